import { useEffect, useState } from "preact/hooks";
import type { Backend } from "../api";
import type { History } from "../bindings/History";

export function HistoryPanel({ backend, item }: { backend: Backend; item: string | null }) {
  const [history, setHistory] = useState<History | null>(null);
  useEffect(() => {
    backend.history(item).then(setHistory, () => setHistory(null));
  }, [item]);
  if (!history) return <div class="muted">Loading history…</div>;
  return (
    <section class="panel history">
      <h2>{item ? `History of ${item}` : "Case history"}</h2>
      <p class={history.chain_ok ? "small ok-text" : "small bad-text"}>{history.chain_ok ? "Audit log hash chain intact." : "Audit log hash chain BROKEN: an entry was edited or removed."}</p>
      {history.notes.length > 0 && (
        <div class="card">{history.notes.map((n, i) => <div key={i}><span class="muted small">{n.ts} {n.actor}:</span> {n.text}</div>)}</div>
      )}
      <table class="dense">
        <thead><tr><th>#</th><th>Time (UTC)</th><th>Who</th><th>Action</th><th>Item</th><th>Details</th></tr></thead>
        <tbody>
          {history.entries.map((e) => (
            <tr key={e.seq}><td>{e.seq}</td><td class="mono small">{e.ts}</td><td>{e.actor}</td><td>{e.action}</td><td class="mono">{e.item}</td><td class="small muted">{summarize(e.details)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function summarize(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  const d = details as Record<string, unknown>;
  if (typeof d.state === "string") return `${d.state}${d.note ? `: ${d.note}` : ""}`;
  if (typeof d.text === "string") return d.text;
  if (typeof d.sha256 === "string") return `sha256 ${d.sha256.slice(0, 12)}…`;
  return JSON.stringify(details).slice(0, 120);
}
