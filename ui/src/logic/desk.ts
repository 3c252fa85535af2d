// The desk's case list and KPIs in words: sorting, filtering, overdue, durations and shares. Pure, unit-tested.
import type { CaseRow, CaseStatus, ChecklistItem, Money } from "../bindings/ipc";
import { CURRENCY_EXPONENTS } from "../bindings/currencyExponents";
import { money } from "./format";

export const STATUSES: CaseStatus[] = ["open", "in_review", "escalated", "closed"];

export const STATUS_LABELS: Record<CaseStatus, string> = { open: "open", in_review: "in review", escalated: "escalated", closed: "closed" };

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as CaseStatus] ?? status.replace(/_/g, " ");
}

/** Due and not closed at `now` (the desk's `as_of`, so a list reads the same as its KPIs). */
export function isOverdue(due: string | null, status: string, now: string | number): boolean {
  if (!due || status === "closed") return false;
  const at = typeof now === "number" ? now : Date.parse(now);
  return Date.parse(due) < at;
}

/** Money per currency, each with its own exponent: "12,345.00 USD · 99.00 EUR". */
export function moneyList(list: Money[]): string {
  return list.length ? list.map((m) => money(m.minor, m.currency)).join(" · ") : "–";
}

/** A rough size for sorting money across currencies: the sum in major units (exact amounts are shown, not this). */
function moneySize(list: Money[]): number {
  return list.reduce((sum, m) => sum + m.minor / 10 ** (CURRENCY_EXPONENTS[m.currency] ?? 2), 0);
}

export type CaseSort = "title" | "reference" | "type" | "status" | "assignee" | "opened" | "due" | "rings" | "amount";

const SORT_VALUE: Record<CaseSort, (r: CaseRow) => string | number | null> = {
  title: (r) => r.title.toLowerCase(),
  reference: (r) => r.reference?.toLowerCase() ?? null,
  type: (r) => (r.type_name ?? r.case_type)?.toLowerCase() ?? null,
  status: (r) => STATUSES.indexOf(r.status),
  assignee: (r) => r.assignee?.toLowerCase() ?? null,
  opened: (r) => r.opened_at,
  due: (r) => r.due_at,
  rings: (r) => r.rings_confirmed,
  amount: (r) => moneySize(r.amount_at_stake),
};

/** Rows ordered by `key`; rows without a value (no due date, unassigned) go last either way. */
export function sortCases(rows: CaseRow[], key: CaseSort, descending: boolean): CaseRow[] {
  const value = SORT_VALUE[key];
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
}

export type CaseFilter = { status: string; type: string; assignee: string; text: string };
export const NO_FILTER: CaseFilter = { status: "", type: "", assignee: "", text: "" };
/** Filter values for "no type" and "nobody" (never a real type id or name: they contain a space). */
export const UNTYPED = " untyped";
export const UNASSIGNED = " unassigned";

/** Rows matching every filter; `status: "active"` is every status but closed. */
export function filterCases(rows: CaseRow[], f: CaseFilter): CaseRow[] {
  const needle = f.text.trim().toLowerCase();
  return rows.filter((r) => {
    if (f.status === "active" ? r.status === "closed" : f.status && r.status !== f.status) return false;
    if (f.type && (f.type === UNTYPED ? r.case_type !== null : r.case_type !== f.type)) return false;
    if (f.assignee && (f.assignee === UNASSIGNED ? r.assignee !== null : r.assignee !== f.assignee)) return false;
    if (!needle) return true;
    return [r.title, r.reference, r.file, r.assignee, r.type_name, r.case_type].some((s) => s?.toLowerCase().includes(needle));
  });
}

/** Hours as an investigator reads them: "45 min", "5.5 h", "3.2 days". */
export function duration(hours: number | null): string {
  if (hours === null) return "–";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${+hours.toFixed(1)} h`;
  return `${+(hours / 24).toFixed(1)} days`;
}

export function share(fraction: number | null): string {
  return fraction === null ? "–" : `${Math.round(fraction * 100)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Required checklist steps neither done nor skipped: closing with any of them open needs a reason. */
export function openRequired(checklist: ChecklistItem[]): ChecklistItem[] {
  return checklist.filter((s) => s.required && !s.mark);
}

/** "2026-11-25 14:03" from an RFC 3339 instant (UTC, as the audit log writes it). */
export function when(iso: string | null): string {
  return iso ? iso.replace("T", " ").replace(/(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)$/, "") : "–";
}

const LAST_DESK = "ringscope.desk";

/** The desk folder opened last, offered again on the start screen. */
export function lastDesk(): string | null {
  return localStorage.getItem(LAST_DESK);
}

export function rememberDesk(dir: string) {
  localStorage.setItem(LAST_DESK, dir);
}
