import { useState } from "preact/hooks";
import { asApiError, type Backend } from "../api";
import type { OriginalRow } from "../bindings/ipc";
import { humanError } from "../logic/messages";

/** A `file:line` reference that opens the row it points at: the original values as the export had them (text,
 * never markup), what became of the row, and which imported file (by SHA-256) it is in. */
export function SourceRef({ backend, reference }: { backend: Backend; reference: string }) {
  const [rows, setRows] = useState<OriginalRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (!rows) backend.sourceRow(reference).then(setRows, (e) => setError(humanError(asApiError(e))));
  };
  return (
    <span class="source-ref">
      <button type="button" class="link mono" aria-expanded={open} title="Show the original row" onClick={toggle}>{reference}</button>
      {open && (
        <div class="card source-row" role="dialog" aria-label={`Row ${reference}`} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {error && <div class="error small">{error}</div>}
          {!rows && !error && <div class="muted small">Reading the row…</div>}
          {rows?.map((r) => (
            <div key={r.source_id}>
              <div class="small muted">
                {r.file}:{r.line} · {r.kind} · {r.fate === "imported" ? "imported" : r.fate === "repeated" ? "repeated row" : "rejected"} · source #{r.source_id} · SHA-256 {r.sha256.slice(0, 12)}…
              </div>
              {r.note && <div class="small">{r.note}</div>}
              <table class="dense">
                <tbody>
                  {r.values.map(([k, v], i) => <tr key={i}><th class="mono">{k}</th><td class="mono">{v}</td></tr>)}
                </tbody>
              </table>
            </div>
          ))}
          <button type="button" onClick={() => setOpen(false)}>Close</button>
        </div>
      )}
    </span>
  );
}
