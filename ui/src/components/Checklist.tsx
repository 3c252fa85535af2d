import { useState } from "preact/hooks";
import type { ChecklistItem } from "../bindings/ipc";
import { openRequired, plural, when } from "../logic/desk";

/**
 * The case type's procedure: tick a step done, or skip it with a reason. Marks are logged and stay (a later mark
 * replaces an earlier one: a skipped step can still be done), so a done step cannot be unticked.
 */
export function Checklist({ items, onMark }: { items: ChecklistItem[]; onMark: (step: string, skipReason: string | null) => Promise<boolean> }) {
  const [skipping, setSkipping] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const done = items.filter((i) => i.mark?.state === "done").length;
  const skipped = items.filter((i) => i.mark?.state === "skipped").length;
  const open = openRequired(items).length;
  const skip = async (e: Event, step: string) => {
    e.preventDefault();
    if (await onMark(step, reason.trim())) setSkipping(null);
  };
  return (
    <section class="checklist" data-testid="checklist">
      <p class="small" data-testid="checklist-progress">
        {done} of {plural(items.length, "step")} done · {skipped} skipped · <span class={open ? "warn-text" : "ok-text"}>{open ? `${open} required still open` : "every required step marked"}</span>
      </p>
      <ol>
        {items.map((item) => {
          const state = item.mark?.state ?? "open";
          return (
            <li key={item.id} data-testid="checklist-step" data-step={item.id} data-state={state} class={`step step-${state}`}>
              <div class="step-head">
                <label>
                  <input
                    type="checkbox"
                    checked={state === "done"}
                    disabled={state === "done"}
                    aria-label={`Mark “${item.title}” done`}
                    onChange={(e) => {
                      // The box shows the case's state, not the click: it turns on once the mark is saved.
                      e.currentTarget.checked = false;
                      onMark(item.id, null);
                    }}
                  />{" "}
                  <span class="step-title">{item.title}</span>
                </label>
                <span class={`pill ${item.required ? "warn" : ""}`}>{item.required ? "required" : "optional"}</span>
                {state === "open" && skipping !== item.id && (
                  <button class="small" data-testid="skip-step" onClick={() => { setSkipping(item.id); setReason(""); }}>Skip…</button>
                )}
              </div>
              {item.instruction && <div class="small muted step-instruction">{item.instruction}</div>}
              {item.mark && (
                <div class="small step-mark" data-testid="step-mark">
                  {item.mark.state === "done" ? "Done" : "Skipped"} by <bdi>{item.mark.actor}</bdi>, {when(item.mark.ts)}
                  {item.mark.reason && <> — “<bdi>{item.mark.reason}</bdi>”</>}
                </div>
              )}
              {skipping === item.id && (
                <form class="row small" data-testid="skip-form" onSubmit={(e) => skip(e, item.id)}>
                  <input aria-label={`Why skip “${item.title}”`} data-testid="skip-reason" placeholder="why this step does not apply" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                  <button type="submit" disabled={!reason.trim()}>Skip step</button>
                  <button type="button" onClick={() => setSkipping(null)}>Cancel</button>
                </form>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
