import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { RingPage, RingQuery, IdKind, Ring, DecisionState, RingSort, DecisionFilter } from "../bindings/ipc";
import { amounts, boundBy } from "../logic/format";
import { reasonLabel, sortedReasons } from "../logic/reasons";
import { humanError } from "../logic/messages";

const PAGE = 50;
const COLUMNS: [RingSort, string][] = [["rank", "Ring"], ["score", "Score"], ["accounts", "Acc"], ["amount", "Paid"], ["disputes", "Disp"]];

export type RingListProps = {
  backend: Backend;
  selected: string | null;
  onSelect: (id: string) => void;
  version: number;
  /** The rings shown, in order: the keyboard moves through them. */
  onPage?: (rings: Ring[]) => void;
  /** After a bulk decision. */
  onChanged?: () => void;
};

export function RingList({ backend, selected, onSelect, version, onPage, onChanged }: RingListProps) {
  const [query, setQuery] = useState<RingQuery>({ sort: "score", descending: true, kind: null, min_score: null, decision: null, offset: 0, limit: PAGE });
  const [page, setPage] = useState<RingPage | null>(null);
  const [reviewed, setReviewed] = useState<{ done: number; total: number } | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [bulkNote, setBulkNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [merging, setMerging] = useState(false);
  // The rank of every ring seen on a page, so a merge across pages still keeps the best-ranked ring.
  const ranks = useRef(new Map<string, number>());
  useEffect(() => {
    backend.listRings(query).then((p) => {
      for (const r of p.rings) ranks.current.set(r.id, r.rank);
      setPage(p);
      onPage?.(p.rings);
    }, (e) => setError(asApiError(e)));
  }, [query, version]);
  useEffect(() => {
    // Reviewed = has a decision, over every ring of the case (not only this page or filter).
    const all = { ...query, kind: null, min_score: null, offset: 0, limit: 1 };
    Promise.all([backend.listRings({ ...all, decision: null }), backend.listRings({ ...all, decision: "none" })]).then(
      ([every, open]) => setReviewed({ done: every.total - open.total, total: every.total }),
      () => setReviewed(null),
    );
  }, [version]);
  const toggle = (id: string) => setChecked((c) => { const n = new Set(c); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const bulk = async (state: DecisionState) => {
    try {
      await backend.decideMany([...checked], state, bulkNote.trim() || null);
      setChecked(new Set());
      setBulkNote("");
      onChanged?.();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  /** Fold every other ticked ring into the best-ranked one (one merge each; each recorded and undoable). */
  const merge = async () => {
    const rank = (id: string) => ranks.current.get(id) ?? Number.MAX_SAFE_INTEGER;
    const [into, ...from] = [...checked].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    setMerging(true);
    try {
      for (const f of from) await backend.mergeRings(into, f, bulkNote.trim() || null);
      setChecked(new Set());
      setBulkNote("");
      onSelect(into);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setMerging(false);
      onChanged?.();
    }
  };
  // x adds the open ring to the selection for a bulk decision.
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.key !== "x" || e.ctrlKey || e.metaKey || e.altKey || !selected) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
      toggle(selected);
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, [selected]);
  const allChecked = !!page?.rings.length && page.rings.every((r) => checked.has(r.id));
  const sortBy = (key: RingSort) => setQuery({ ...query, sort: key, descending: query.sort === key ? !query.descending : key !== "rank", offset: 0 });
  return (
    <section class="ring-list">
      <div class="filters">
        <select aria-label="Bound by" value={query.kind ?? ""} onChange={(e) => setQuery({ ...query, kind: (e.currentTarget.value || null) as IdKind | null, offset: 0 })}>
          <option value="">any identifier</option>
          {["device", "card", "email", "phone", "ip"].map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <select aria-label="Decision" value={query.decision ?? ""} onChange={(e) => setQuery({ ...query, decision: (e.currentTarget.value || null) as DecisionFilter | null, offset: 0 })}>
          <option value="">any decision</option><option value="none">undecided</option><option value="confirmed">confirmed</option>
          <option value="needs_review">needs review</option><option value="dismissed">dismissed</option>
        </select>
        <input aria-label="Minimum score" type="number" step="0.5" placeholder="min score" value={query.min_score ?? ""} onInput={(e) => setQuery({ ...query, min_score: e.currentTarget.value ? Number(e.currentTarget.value) : null, offset: 0 })} />
      </div>
      {reviewed && <div class="reviewed small" data-testid="reviewed"><strong>{reviewed.done} of {reviewed.total} reviewed</strong> <span class="muted">· j/k or ↑/↓ move · c confirm · r review · d dismiss · n note · x select</span></div>}
      {checked.size > 0 && (
        <div class="bulk small" role="group" aria-label="Bulk decision">
          <strong>{checked.size} selected</strong>
          <input aria-label="Bulk note" placeholder="note for all (optional)" value={bulkNote} onInput={(e) => setBulkNote(e.currentTarget.value)} />
          <button class="ok" onClick={() => bulk("confirmed")}>Confirm all</button>
          <button onClick={() => bulk("needs_review")}>Review all</button>
          <button onClick={() => bulk("dismissed")}>Dismiss all</button>
          {checked.size >= 2 && <button data-testid="merge-rings" title="One operator: fold the others into the best-ranked ring (recorded, undoable from the ring)" onClick={merge} disabled={merging}>{merging ? "Merging…" : "Merge into one"}</button>}
          <button onClick={() => setChecked(new Set())}>Clear</button>
        </div>
      )}
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      <table class="dense rings">
        <thead>
          <tr>
            <th class="check"><input type="checkbox" aria-label="Select all rings on this page" checked={allChecked} onChange={() => setChecked(allChecked ? new Set() : new Set(page?.rings.map((r) => r.id)))} /></th>
            {COLUMNS.map(([key, label]) => (
              <th key={key} class="sortable" onClick={() => sortBy(key)}>{label}{query.sort === key ? (query.descending ? " ▾" : " ▴") : ""}</th>
            ))}
            <th>Decision</th><th>Why</th>
          </tr>
        </thead>
        <tbody>
          {page?.rings.map((r) => (
            <tr key={r.id} class={`${r.id === selected ? "selected" : ""} ${checked.has(r.id) ? "checked" : ""}`} onClick={() => onSelect(r.id)} tabIndex={0} onKeyDown={(e) => {
              if (e.key === "Enter") onSelect(r.id);
            }} data-ring={r.id}>
              <td class="check" onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={`Select ${r.id}`} checked={checked.has(r.id)} onChange={() => toggle(r.id)} /></td>
              <td class="mono">{r.id}</td>
              <td class="num">{r.score.toFixed(2)}</td>
              <td class="num">{r.counts.accounts}</td>
              <td class="num" title={amounts(r.amounts)}>{amounts(r.amounts)}</td>
              <td class="num">{r.counts.disputes}</td>
              <td>{r.decision ? <span class={`pill ${r.decision.state}`}>{r.decision.state.replace("_", " ")}</span> : <span class="muted">–</span>}</td>
              <td class="small muted why" title={sortedReasons(r.reasons).map((x) => `${reasonLabel(x.feature)} ${x.contribution >= 0 ? "+" : ""}${x.contribution.toFixed(1)}`).join("\n")}>{sortedReasons(r.reasons).slice(0, 2).map((x) => reasonLabel(x.feature)).join(", ")} {boundBy(r).map((k) => <span key={k} class={`kind kind-${k}`}>{k}</span>)}</td>
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
