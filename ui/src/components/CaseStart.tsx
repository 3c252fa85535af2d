import { useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, DeskOverview } from "../bindings/ipc";
import { humanError } from "../logic/messages";
import { DeskStart } from "./DeskStart";

const RECENT_KEY = "ringscope.recent";

function recent(): string[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]") as string[];
  } catch {
    return [];
  }
}

function remember(path: string) {
  localStorage.setItem(RECENT_KEY, JSON.stringify([path, ...recent().filter((p) => p !== path)].slice(0, 8)));
}

export function CaseStart({ backend, onOpen, onDesk, startupError }: {
  backend: Backend;
  onOpen: (s: CaseSummary) => void;
  /** A desk opened or created here; without it the desk card is not offered. */
  onDesk?: (d: DeskOverview) => void;
  startupError: ApiError | null;
}) {
  const [title, setTitle] = useState("");
  const [reference, setReference] = useState("");
  const [investigator, setInvestigator] = useState("");
  const [ownError, setError] = useState<ApiError | null>(null);
  const error = ownError ?? startupError;
  const open = async (path?: string) => {
    try {
      const target = path ?? (await backend.pick("open_case", "Open a case file", null))[0];
      if (!target) return;
      const s = await backend.openCase(target).catch(async (e: unknown) => {
        // A recent case from an earlier session: the app opens only files chosen in this one, so the dialog opens
        // on it to choose it again (one click), instead of an error.
        if (!path || asApiError(e).code !== "not_granted") throw e;
        const again = (await backend.pick("open_case", `Open ${path.split(/[\\/]/).pop()} again`, path))[0];
        if (!again) return null;
        return backend.openCase(again);
      });
      if (!s) return;
      remember(s.path);
      onOpen(s);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const [path] = await backend.pick("create_case", "Create the case file", null);
      if (!path) return;
      const s = await backend.createCase(path, title, reference, investigator);
      remember(s.path);
      onOpen(s);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <div class="start">
      <h1>Ringscope</h1>
      <p class="muted">Fraud-ring forensics for creator platforms. Everything stays on this machine.</p>
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      <div class="start-grid">
        <form class="card" onSubmit={create}>
          <h2>New case</h2>
          <label>Title <input required value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="Chargeback spike on @creator" /></label>
          <label>Reference <input value={reference} onInput={(e) => setReference(e.currentTarget.value)} placeholder="ZD-48213" /></label>
          <label>Investigator <input value={investigator} onInput={(e) => setInvestigator(e.currentTarget.value)} /></label>
          <button type="submit" class="primary" disabled={!title.trim()}>Create case…</button>
        </form>
        <div class="card">
          <h2>Open a case</h2>
          <button onClick={() => open()}>Open case file…</button>
          <h3>Recent</h3>
          <ul class="recent">
            {recent().map((p) => (
              <li key={p}><a href="#" onClick={(e) => { e.preventDefault(); open(p); }}>{p}</a></li>
            ))}
          </ul>
        </div>
      </div>
      {onDesk && <DeskStart backend={backend} onOpen={onDesk} />}
    </div>
  );
}
