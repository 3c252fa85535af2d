import { useEffect, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { WatchEntry } from "../bindings/ipc";
import { when } from "../logic/desk";
import { humanError } from "../logic/messages";

/** Identifiers of accounts in rings confirmed on this desk (or imported): new cases are checked against them. */
export function DeskWatchlist({ backend, version }: { backend: Backend; version: number }) {
  const [entries, setEntries] = useState<WatchEntry[] | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** A failed export or import is shown beside the buttons; the list stays. */
  const [shareError, setShareError] = useState<ApiError | null>(null);
  const [reread, setReread] = useState(0);
  useEffect(() => {
    backend.deskWatchlist().then(setEntries, (e) => setError(asApiError(e)));
  }, [version, reread]);
  /** Share with another team: the watchlist as CSV out, theirs in. */
  const share = async (direction: "export" | "import") => {
    setDone(null);
    setShareError(null);
    try {
      if (direction === "export") {
        const [dir] = await backend.pick("export_folder", "Folder for watchlist.csv", null);
        if (!dir) return;
        const [file, n] = await backend.exportWatchlist(dir);
        setDone(`${n} entries written to ${file}`);
      } else {
        const [file] = await backend.pick("watchlist_file", "Another team's watchlist (CSV)", null);
        if (!file) return;
        const n = await backend.importWatchlist(file);
        setDone(`${n} entries added from ${file}`);
        setReread((r) => r + 1);
      }
    } catch (e) {
      setShareError(asApiError(e));
    }
  };
  if (error) return <div class="error" role="alert">{humanError(error)}</div>;
  if (!entries) return <p class="muted">Loading the watchlist…</p>;
  const needle = text.trim().toLowerCase();
  const shown = needle
    ? entries.filter((w) => [w.kind, w.value, w.case_title, w.reference, w.ring_id, w.account_id, w.decided_by].some((s) => s?.toLowerCase().includes(needle)))
    : entries;
  return (
    <div class="desk-watchlist">
      <div class="filters row small">
        <input type="search" aria-label="Filter the watchlist" data-testid="watchlist-filter" placeholder="identifier, case, ring, account…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <span class="muted" data-testid="watchlist-count">{shown.length} of {entries.length} identifiers</span>
        <span class="spacer" />
        <button data-testid="watchlist-export" onClick={() => share("export")} disabled={!entries.length}>Export CSV…</button>
        <button data-testid="watchlist-import" onClick={() => share("import")}>Import CSV…</button>
      </div>
      {done && <div class="notice small" data-testid="watchlist-shared">{done}</div>}
      {shareError && <div class="error small" role="alert" data-testid="watchlist-share-error">{humanError(shareError)}</div>}
      {entries.length ? (
        <table class="dense desk-table" data-testid="watchlist">
          <thead><tr><th class="col-kind">Kind</th><th>Value</th><th>From case</th><th class="col-ring">Ring</th><th class="col-account">Account</th><th class="col-decided">Decided</th></tr></thead>
          <tbody>
            {shown.map((w) => (
              <tr key={`${w.kind}:${w.value}:${w.case_uid}:${w.ring_id}:${w.account_id}`} data-testid="watchlist-row">
                <td><span class={`kind kind-${w.kind}`}>{w.kind}</span></td>
                <td class="mono" title={w.value}><bdi>{w.value}</bdi></td>
                <td title={w.case_file ?? w.case_uid}><bdi>{w.case_title ?? w.case_file ?? w.case_uid}</bdi> {w.reference && <span class="muted small">{w.reference}</span>}{w.origin === "import" && <span class="muted small"> (imported)</span>}</td>
                <td class="mono">{w.ring_id}</td>
                <td class="mono">{w.account_id}</td>
                <td class="small">{w.decided_at ? when(w.decided_at) : "–"}{w.decided_by && <> · <bdi>{w.decided_by}</bdi></>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted empty-note">Nothing on the watchlist yet: when a ring is confirmed in a case on this desk, its members' identifiers are watched in every other case.</p>
      )}
    </div>
  );
}
