import { useMemo, useState } from "preact/hooks";
import type { CaseRow, CaseType } from "../bindings/ipc";
import { date, money } from "../logic/format";
import {
  filterCases, isOverdue, moneyList, NO_FILTER, sortCases, statusLabel, STATUSES, UNASSIGNED, UNTYPED, type CaseFilter, type CaseSort,
} from "../logic/desk";

const COLUMNS: [CaseSort, string][] = [
  ["title", "Title"], ["reference", "Reference"], ["type", "Type"], ["status", "Status"], ["assignee", "Assignee"],
  ["opened", "Opened"], ["due", "Due"], ["rings", "Rings"], ["amount", "At stake"],
];

/** The desk's cases, sortable by any column and filterable; a row (click or Enter) opens its case. */
export function DeskCaseTable({ rows, types, asOf, onOpen, onTicket }: { rows: CaseRow[]; types: CaseType[]; asOf: string; onOpen: (file: string) => void; onTicket?: (file: string) => void }) {
  // Newest first: the cases an investigator just opened are the ones they look for.
  const [sort, setSort] = useState<{ key: CaseSort; descending: boolean }>({ key: "opened", descending: true });
  const [filter, setFilter] = useState<CaseFilter>(NO_FILTER);
  const shown = useMemo(() => sortCases(filterCases(rows, filter), sort.key, sort.descending), [rows, filter, sort]);
  const assignees = [...new Set(rows.map((r) => r.assignee).filter((a): a is string => !!a))].sort();
  const set = (part: Partial<CaseFilter>) => setFilter({ ...filter, ...part });
  const sortBy = (key: CaseSort) => setSort({ key, descending: sort.key === key ? !sort.descending : key === "opened" || key === "rings" || key === "amount" });
  return (
    <div class="desk-cases">
      <div class="filters row small">
        <select aria-label="Status" data-testid="desk-filter-status" value={filter.status} onChange={(e) => set({ status: e.currentTarget.value })}>
          <option value="">any status</option>
          <option value="active">not closed</option>
          {STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
        </select>
        <select aria-label="Type" data-testid="desk-filter-type" value={filter.type} onChange={(e) => set({ type: e.currentTarget.value })}>
          <option value="">any type</option>
          {types.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          <option value={UNTYPED}>untyped</option>
        </select>
        <select aria-label="Assignee" data-testid="desk-filter-assignee" value={filter.assignee} onChange={(e) => set({ assignee: e.currentTarget.value })}>
          <option value="">anyone</option>
          {assignees.map((a) => <option key={a} value={a}>{a}</option>)}
          <option value={UNASSIGNED}>unassigned</option>
        </select>
        <input type="search" aria-label="Filter cases" data-testid="desk-filter-text" placeholder="title, reference, file…" value={filter.text} onInput={(e) => set({ text: e.currentTarget.value })} />
        <span class="muted" data-testid="desk-case-count">{shown.length} of {rows.length} cases</span>
      </div>
      <table class="dense desk-table" data-testid="desk-cases">
        <thead>
          <tr>
            {COLUMNS.map(([key, label]) => (
              <th key={key} class={`sortable col-${key}`} data-sort={key} aria-sort={sort.key === key ? (sort.descending ? "descending" : "ascending") : "none"} onClick={() => sortBy(key)}>
                {label}{sort.key === key ? (sort.descending ? " ▾" : " ▴") : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => {
            const overdue = isOverdue(r.due_at, r.status, asOf);
            return (
              <tr key={r.file} data-testid="desk-case-row" data-file={r.file} class={overdue ? "overdue" : ""} tabIndex={0} onClick={() => onOpen(r.file)} onKeyDown={(e) => e.key === "Enter" && onOpen(r.file)}>
                <td class="case-name" title={`${r.title}\n${r.file}`}>{r.title}</td>
                <td class="mono small" title={r.ticket_url ?? r.reference ?? ""}>
                  {r.reference && r.ticket_url && onTicket ? (
                    <button class="link" data-testid="open-ticket" onClick={(e) => { e.stopPropagation(); onTicket(r.file); }}>{r.reference} ↗</button>
                  ) : (r.reference ?? "–")}
                </td>
                <td title={r.type_name ?? r.case_type ?? "untyped"}>{r.type_name ?? r.case_type ?? <span class="muted">untyped</span>}</td>
                <td title={r.steps_total ? `${r.steps_done} of ${r.steps_total} steps done, ${r.steps_skipped} skipped` : ""}><span class={`pill status-${r.status}`}>{statusLabel(r.status)}</span></td>
                <td>{r.assignee ?? <span class="muted">–</span>}</td>
                <td class="small">{date(r.opened_at)}</td>
                <td class="small">{date(r.due_at)}{overdue && <> <span class="pill bad" data-testid="overdue">overdue</span></>}</td>
                <td class="num">{r.rings_confirmed}</td>
                <td class="num small amounts" title={moneyList(r.amount_at_stake)}>{r.amount_at_stake.length ? r.amount_at_stake.map((m) => <div key={m.currency}>{money(m.minor, m.currency)}</div>) : "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!shown.length && <p class="muted empty-note">{rows.length ? "No case matches these filters." : "No cases on this desk yet. Open a new case or add a case file."}</p>}
    </div>
  );
}
