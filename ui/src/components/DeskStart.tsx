import { useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { DeskOverview } from "../bindings/ipc";
import { lastDesk, rememberDesk } from "../logic/desk";
import { humanError } from "../logic/messages";

/**
 * Open (or with `create`, make) a desk in a folder chosen in a dialog, or in `remembered` (the last desk); null when
 * the dialog is cancelled. The folder is remembered for the next start.
 */
export async function chooseDesk(backend: Backend, create: boolean, remembered?: string): Promise<DeskOverview | null> {
  const title = create ? "Choose a folder for the new desk" : "Open a desk folder";
  const target = remembered ?? (await backend.pick("desk_folder", title, null))[0];
  if (!target) return null;
  const overview = await backend.openDesk(target, create).catch(async (e: unknown) => {
    // The last desk, from an earlier session: the app opens only folders chosen in this one, so the dialog opens
    // on it to choose it again (one click), instead of an error.
    if (!remembered || asApiError(e).code !== "not_granted") throw e;
    const again = (await backend.pick("desk_folder", `Open the desk ${remembered.split(/[\\/]/).pop()} again`, remembered))[0];
    return again ? backend.openDesk(again, false) : null;
  });
  if (overview) rememberDesk(overview.dir);
  return overview;
}

/** The start screen's desk card: open a desk folder, make a new one, or reopen the last one. */
export function DeskStart({ backend, onOpen }: { backend: Backend; onOpen: (d: DeskOverview) => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const last = lastDesk();
  const open = (create: boolean, remembered?: string) =>
    chooseDesk(backend, create, remembered).then((d) => d && onOpen(d), (e) => setError(asApiError(e)));
  return (
    <div class="card desk-start" data-testid="desk-start">
      <h2>Desk</h2>
      <p class="muted small">A desk is a folder of cases: one list with types, checklists and due dates, program KPIs, and a watchlist of identifiers from confirmed rings.</p>
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      <div class="row">
        <button data-testid="open-desk" onClick={() => open(false)}>Open desk…</button>
        <button data-testid="new-desk" onClick={() => open(true)}>New desk…</button>
        {last && (
          <span class="small">
            Last desk: <a href="#" data-testid="last-desk" title={last} onClick={(e) => { e.preventDefault(); open(false, last); }}>{last}</a>
          </span>
        )}
      </div>
    </div>
  );
}
