import { useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, CaseType } from "../bindings/ipc";
import { duration } from "../logic/desk";
import { humanError } from "../logic/messages";

/** A typed case opened on the desk: due at opening + the type's SLA, with the type's checklist. */
export function DeskNewCase({ backend, types, onOpened, onCancel }: { backend: Backend; types: CaseType[]; onOpened: (s: CaseSummary) => void; onCancel: () => void }) {
  const [title, setTitle] = useState("");
  const [caseType, setCaseType] = useState(types[0]?.id ?? "");
  const [reference, setReference] = useState("");
  const [assignee, setAssignee] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const chosen = types.find((t) => t.id === caseType);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const blank = (s: string) => s.trim() || null;
      onOpened(await backend.newDeskCase({ title: title.trim(), case_type: caseType, reference: blank(reference), assignee: blank(assignee), phone_region: null, opened: null }));
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  if (!types.length) {
    return (
      <div class="card" data-testid="new-case-form">
        This desk has no case types yet, so a case cannot be typed. Add types to the desk's case types file, then open the desk again. <button onClick={onCancel}>Close</button>
      </div>
    );
  }
  return (
    <form class="card new-case" data-testid="new-case-form" onSubmit={submit}>
      <h3>New case on this desk</h3>
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      <div class="new-case-grid">
        <label>Title <input name="title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="Chargeback spike on @creator" /></label>
        <label>
          Type
          <select name="case_type" value={caseType} onChange={(e) => setCaseType(e.currentTarget.value)}>
            {types.map((t) => <option key={t.id} value={t.id}>{t.name} (SLA {duration(t.sla_hours)})</option>)}
          </select>
        </label>
        <label>Reference <input name="reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} placeholder="Zendesk ticket, e.g. ZD-48213" /></label>
        <label>Assignee <input name="assignee" value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} placeholder="you, when empty" /></label>
      </div>
      {chosen && (
        <p class="small muted" data-testid="new-case-type-info">
          Due {duration(chosen.sla_hours)} after opening · {chosen.steps?.length ? `checklist: ${chosen.steps.map((s) => s.title).join(", ")}` : "no checklist"}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy || !title.trim() || !caseType}>Open the new case</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
