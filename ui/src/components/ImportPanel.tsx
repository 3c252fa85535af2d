import { useEffect, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, ImportPreview, ImportEvent, RecordKind } from "../bindings/ipc";
import { cleanMessage, humanError } from "../logic/messages";
import { TicketImport } from "./TicketImport";

type Progress = { file: string; phase: string; done: number; total: number; rows: number };

export function ImportPanel({ backend, summary, dropped, onImported }: { backend: Backend; summary: CaseSummary; dropped: string[]; onImported: () => void }) {
  const [previews, setPreviews] = useState<ImportPreview[]>([]);
  const [mapping, setMapping] = useState<{ kind: RecordKind; columns: Record<string, string> }>({ kind: "events", columns: {} });
  const [allowRejects, setAllowRejects] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [results, setResults] = useState<ImportEvent[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  const preview = async (paths: string[]) => {
    try {
      setError(null);
      setPreviews(await Promise.all(paths.map((p) => backend.previewImport(p))));
      setResults([]);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const pick = async () => {
    try {
      await preview(await backend.pick("import_files", "CSV exports to import", null));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    if (!dropped.length) return;
    if (running) setError({ code: "busy", message: "An import is running: drop the files again when it has finished." });
    else preview(dropped);
  }, [dropped]);
  const unknown = previews.filter((p) => !p.kind);
  const run = async () => {
    setRunning(true);
    setResults([]);
    try {
      const columns = Object.entries(mapping.columns).filter(([, c]) => c) as [string, string][];
      await backend.importFiles(
        { paths: previews.map((p) => p.path), mapping: unknown.length ? { kind: mapping.kind, columns } : null, allow_rejects: allowRejects },
        (e) => {
          if (e.event === "progress") setProgress({ file: e.file, phase: e.phase, done: e.bytes_done, total: e.bytes_total, rows: e.rows });
          else setResults((r) => [...r, e]);
        },
      );
      onImported();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setRunning(false);
      setProgress(null);
    }
  };
  const fields = unknown.length ? unknown[0].fields.filter(([k]) => k === mapping.kind) : [];
  // Import stays disabled until every required field of an unrecognised file is mapped to a column.
  const unmapped = fields.filter(([, field, required]) => required && !mapping.columns[field]).map(([, field]) => field);
  return (
    <section class="panel import">
      <h2>Import exports</h2>
      <p class="muted">Accounts, payments (the Stripe export is recognized) and device/login logs. Each file is imported whole or not at all; a file already in the case is skipped.</p>
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      <div class="row">
        <button class="primary" onClick={pick} disabled={running}>Choose files…</button>
        <label class="check"><input type="checkbox" checked={allowRejects} onChange={(e) => setAllowRejects(e.currentTarget.checked)} /> Import good rows, keep bad ones as rejects</label>
      </div>
      {!previews.length && <div class="drop-hint muted">…or drop CSV files anywhere on the window.</div>}
      {!previews.length && <TicketImport backend={backend} onImported={onImported} />}
      {previews.map((p) => (
        <div class="card preview" key={p.path}>
          <div class="preview-head">
            <strong>{p.file}</strong> <span class={p.kind ? "pill ok" : "pill warn"}>{p.kind ? `${p.kind} · ${p.detected_as}` : "unknown header"}</span>
          </div>
          {p.problem && <div class="muted small">{cleanMessage(p.problem)}</div>}
          <div class="table-scroll">
            <table class="dense">
              <thead><tr>{p.header.map((h) => <th key={h}>{h}</th>)}</tr></thead>
              <tbody>{p.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
            </table>
          </div>
        </div>
      ))}
      {unknown.length > 0 && (
        <div class="card mapping">
          <h3>Column mapping for {unknown.map((u) => u.file).join(", ")}</h3>
          <label>Kind{" "}
            <select value={mapping.kind} onChange={(e) => setMapping({ kind: e.currentTarget.value as RecordKind, columns: {} })}>
              <option value="accounts">accounts</option><option value="payments">payments</option><option value="events">device/login events</option>
            </select>
          </label>
          <div class="mapping-grid">
            {fields.map(([, field, required]) => (
              <label key={field}>{field}{required ? " *" : ""}
                <select value={mapping.columns[field] ?? ""} onChange={(e) => setMapping({ ...mapping, columns: { ...mapping.columns, [field]: e.currentTarget.value } })}>
                  <option value="">—</option>
                  {unknown[0].header.map((h) => <option key={h} value={h}>{h}</option>)}
                </select>
              </label>
            ))}
          </div>
          <p class="muted small">The mapping is saved in the case; the next file with this header imports without it.</p>
        </div>
      )}
      {previews.length > 0 && (
        <div class="row">
          <button class="primary" onClick={run} disabled={running || unmapped.length > 0}>Import {previews.length} file(s)</button>
          {unmapped.length > 0 && <span class="small warn-text" role="status">Map the required fields first: {unmapped.join(", ")}.</span>}
          {running && <button onClick={() => backend.cancelImport()}>Cancel</button>}
        </div>
      )}
      {progress && (
        <div class="progress">
          <div class="bar"><div style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 0}%` }} /></div>
          <span class="small">{progress.file}: {progress.phase} {progress.rows ? `${progress.rows} rows` : ""}</span>
        </div>
      )}
      {results.map((r, i) =>
        r.event === "finished" ? (
          <div class="card result ok" key={i}>
            <strong>{r.report.file}</strong>{" "}
            {r.report.already_imported
              ? "was already in the case; nothing changed."
              : `${r.report.rows.read} rows read, ${r.report.rows.imported} imported, ${r.report.rows.duplicate} duplicate, ${r.report.rows.rejected} rejected.`}
            {r.report.rejects.map((x, j) => <div class="small mono" key={j}>{`${x.file}:${x.line}:${x.column ?? 1}: ${x.reason}`}</div>)}
            {r.report.kept_verbatim.length > 0 && (
              <details class="small kept-verbatim">
                <summary>
                  Kept as written, not normalized (their rows were imported):{" "}
                  {r.report.kept_verbatim.map((k) => `${k.count} ${k.field}`).join(", ")}
                </summary>
                {r.report.kept_verbatim.flatMap((k) => k.examples).map((x, j) => <div class="mono" key={j}>{`${x.file}:${x.line}:${x.column ?? 1}: ${x.reason}`}</div>)}
              </details>
            )}
          </div>
        ) : r.event === "failed" ? (
          <div class="card result bad" key={i}>
            <strong>{r.file}</strong>: {humanError(r.error)}
            {r.bad_rows.slice(0, 20).map((x, j) => <div class="small mono" key={j}>{`${x.file}:${x.line}:${x.column ?? 1}: ${x.reason}`}</div>)}
          </div>
        ) : null,
      )}
      <h3>Sources in this case</h3>
      <table class="dense">
        <thead><tr><th>#</th><th>File</th><th>Kind</th><th>Rows</th><th>SHA-256</th><th>Imported</th></tr></thead>
        <tbody>
          {summary.sources.map((s) => (
            <tr key={s.id}><td>{s.id}</td><td>{s.file_name}</td><td>{s.kind}</td><td>{s.rows.imported}/{s.rows.read}</td><td class="mono small">{s.sha256.slice(0, 16)}…</td><td>{s.imported_at} by {s.imported_by}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
