import { useEffect, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { RingPage } from "../bindings/RingPage";
import type { RingQuery } from "../bindings/RingQuery";
import type { IdKind } from "../bindings/IdKind";
import { amounts, boundBy, topReasons } from "../logic/format";

const PAGE = 50;
const COLUMNS: [string, string][] = [["rank", "Ring"], ["score", "Score"], ["accounts", "Accounts"], ["amount", "Paid"], ["disputes", "Disputes"]];

export function RingList({ backend, selected, onSelect, version }: { backend: Backend; selected: string | null; onSelect: (id: string) => void; version: number }) {
  const [query, setQuery] = useState<RingQuery>({ sort: "score", descending: true, kind: null, min_score: null, decision: null, offset: 0, limit: PAGE });
  const [page, setPage] = useState<RingPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    backend.listRings(query).then(setPage, (e) => setError(asApiError(e)));
  }, [query, version]);
  const sortBy = (key: string) => setQuery({ ...query, sort: key, descending: query.sort === key ? !query.descending : key !== "rank", offset: 0 });
  return (
    <section class="ring-list">
      <div class="filters">
        <select aria-label="Bound by" value={query.kind ?? ""} onChange={(e) => setQuery({ ...query, kind: (e.currentTarget.value || null) as IdKind | null, offset: 0 })}>
          <option value="">any identifier</option>
          {["device", "card", "email", "phone", "ip"].map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <select aria-label="Decision" value={query.decision ?? ""} onChange={(e) => setQuery({ ...query, decision: e.currentTarget.value || null, offset: 0 })}>
          <option value="">any decision</option><option value="none">undecided</option><option value="confirmed">confirmed</option>
          <option value="needs_review">needs review</option><option value="dismissed">dismissed</option>
        </select>
        <input aria-label="Minimum score" type="number" step="0.5" placeholder="min score" value={query.min_score ?? ""} onInput={(e) => setQuery({ ...query, min_score: e.currentTarget.value ? Number(e.currentTarget.value) : null, offset: 0 })} />
      </div>
      {error && <div class="error" role="alert">{error.message}</div>}
      <table class="dense rings">
        <thead>
          <tr>
            {COLUMNS.map(([key, label]) => (
              <th key={key} class="sortable" onClick={() => sortBy(key)}>{label}{query.sort === key ? (query.descending ? " ▾" : " ▴") : ""}</th>
            ))}
            <th>Bound by</th><th>Decision</th><th>Why</th>
          </tr>
        </thead>
        <tbody>
          {page?.rings.map((r) => (
            <tr key={r.id} class={r.id === selected ? "selected" : ""} onClick={() => onSelect(r.id)} tabIndex={0} onKeyDown={(e) => e.key === "Enter" && onSelect(r.id)} data-ring={r.id}>
              <td class="mono">{r.id}</td>
              <td class="num">{r.score.toFixed(2)}</td>
              <td class="num">{r.counts.accounts}</td>
              <td class="num">{amounts(r.amounts)}</td>
              <td class="num">{r.counts.disputes}</td>
              <td>{boundBy(r).map((k) => <span key={k} class={`kind kind-${k}`}>{k}</span>)}</td>
              <td>{r.decision ? <span class={`pill ${r.decision.state}`}>{r.decision.state.replace("_", " ")}</span> : <span class="muted">–</span>}</td>
              <td class="small muted why">{topReasons(r, 2).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && (
        <div class="pager small">
          {page.total} rings
          <button disabled={query.offset === 0} onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - PAGE) })}>‹</button>
          <button disabled={query.offset + PAGE >= page.total} onClick={() => setQuery({ ...query, offset: query.offset + PAGE })}>›</button>
        </div>
      )}
    </section>
  );
}
