import { useEffect, useState } from "preact/hooks";
import type { Backend } from "../api";
import type { History } from "../bindings/ipc";
import { describeEntry, ENTRY_KINDS, filterEntries, type EntryKind } from "../logic/history";

export function HistoryPanel({ backend, item }: { backend: Backend; item: string | null }) {
  const [history, setHistory] = useState<History | null>(null);
  const [kind, setKind] = useState<EntryKind | null>(null);
  const [text, setText] = useState("");
  useEffect(() => {
    backend.history(item).then(setHistory, () => setHistory(null));
  }, [item]);
  if (!history) return <div class="muted">Loading history…</div>;
  const shown = filterEntries(history.entries, kind, text);
  return (
    <section class="panel history">
      <h2>{item ? `History of ${item}` : "Case history"}</h2>
      <p class={history.chain_ok ? "small ok-text" : "small bad-text"}>{history.chain_ok ? "Audit log hash chain intact." : "Audit log hash chain BROKEN: an entry was edited or removed."}</p>
      {history.notes.length > 0 && (
        <div class="card">{history.notes.map((n, i) => <div key={i}><span class="muted small">{n.ts} {n.actor}:</span> {n.text}</div>)}</div>
      )}
      <div class="filters row small">
        <select aria-label="Kind of entry" value={kind ?? ""} onChange={(e) => setKind((e.currentTarget.value || null) as EntryKind | null)}>
          <option value="">every entry</option>
          {ENTRY_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <input type="search" aria-label="Filter history" placeholder="who, what, which ring or account…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <span class="muted" data-testid="history-count">{shown.length} of {history.entries.length} entries</span>
      </div>
      <table class="dense">
        <thead><tr><th>#</th><th>When (UTC)</th><th>Who</th><th>What</th></tr></thead>
        <tbody>
          {shown.map((e) => {
            const d = describeEntry(e);
            return (
              <tr key={e.seq} class={`audit-${e.action}`}><td class="num small muted">{e.seq}</td><td class="small">{e.ts.replace("T", " ").replace(/(\.\d+)?Z$/, "")}</td><td>{e.actor}</td><td>{d.what}{d.detail && <span class="small muted"> — {d.detail}</span>}</td></tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
