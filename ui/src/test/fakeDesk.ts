// An in-memory desk for UI tests: four cases of two types in several statuses, checklists that marking and closing
// really change, KPIs recomputed from the cases (so closing one moves them), a watchlist and watch flags.
import type { Backend } from "../api";
import type { CaseRow, CaseSummary, CaseType, DeskOverview, Flag, Kpis, Money, WatchEntry, Workflow } from "../bindings/ipc";

/** "Now" for the fake desk: overdue marks and ages are computed against it, so tests do not depend on the clock. */
export const AS_OF = "2026-11-25T12:00:00Z";
export const DESK_DIR = "/desks/tns";
export const HOSTILE = "<img src=x onerror=alert(1)>";
export const BIDI = "Promo abuse \u202egnp.exe";

export const TYPES: CaseType[] = [
  {
    id: "chargeback", name: "Chargeback spike", sla_hours: 72, steps: [
      { id: "pull_disputes", title: "Pull the disputes", required: true, instruction: "Export the disputes of the last 90 days from Stripe." },
      { id: "check_devices", title: "Check shared devices", required: true, instruction: "Import the device log and review rings bound by a device." },
      { id: "notify_creator", title: "Notify the creator", required: false, instruction: "Tell the creator payouts are on hold." },
      { id: "write_summary", title: "Write the summary", required: true },
    ],
  },
  { id: "ban_evasion", name: "Ban evasion", sla_hours: 168, steps: [{ id: "link_banned", title: "Link to the banned account", required: true }] },
];

type FakeCase = { row: CaseRow; workflow: Workflow; flags: Flag[]; accounts: number };

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;
const plusHours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString().replace(".000Z", "Z");

function isoWeek(iso: string): string {
  const d = new Date(iso.slice(0, 10) + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7)); // the week's Thursday decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${String(Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7)).padStart(2, "0")}`;
}

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function nearestRank(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function facts(c: FakeCase): CaseRow {
  const steps = c.workflow.checklist;
  return {
    ...c.row,
    status: c.workflow.status,
    assignee: c.workflow.assignee,
    steps_total: steps.length,
    steps_done: steps.filter((s) => s.mark?.state === "done").length,
    steps_skipped: steps.filter((s) => s.mark?.state === "skipped").length,
    required_open: steps.filter((s) => s.required && !s.mark).map((s) => s.id),
  };
}

function kpis(rows: CaseRow[]): Kpis {
  const weeks = new Map<string, { week: string; opened: number; closed: number }>();
  const bump = (iso: string, key: "opened" | "closed") => {
    const w = isoWeek(iso);
    const entry = weeks.get(w) ?? { week: w, opened: 0, closed: 0 };
    entry[key]++;
    weeks.set(w, entry);
  };
  const by_status: Record<string, number> = {};
  const closeHours: number[] = [];
  let withSla = 0, withinSla = 0;
  for (const r of rows) {
    by_status[r.status] = (by_status[r.status] ?? 0) + 1;
    bump(r.opened_at, "opened");
    if (r.status === "closed" && r.closed_at) {
      bump(r.closed_at, "closed");
      closeHours.push(hours(r.opened_at, r.closed_at));
      if (r.due_at) {
        withSla++;
        if (r.closed_at <= r.due_at) withinSla++;
      }
    }
  }
  const firstHours = rows.flatMap((r) => (r.first_decision_at ? [hours(r.opened_at, r.first_decision_at)] : []));
  const overturns = rows.flatMap((r) => (r.overturns ?? []).map((o) => [r, o] as const));
  const decided = rows.reduce((n, r) => n + r.decided, 0);
  const dismissed = rows.reduce((n, r) => n + r.dismissed, 0);
  const open = rows.filter((r) => r.status !== "closed").sort((a, b) => a.opened_at.localeCompare(b.opened_at))[0];
  const money = new Map<string, number>();
  for (const r of rows) for (const m of r.rings_confirmed ? r.amount_at_stake : []) money.set(m.currency, (money.get(m.currency) ?? 0) + m.minor);
  return {
    as_of: AS_OF, cases: rows.length, by_status,
    weeks: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
    time_to_first_decision: { count: firstHours.length, median_hours: nearestRank(firstHours, 0.5), p90_hours: nearestRank(firstHours, 0.9) },
    time_to_close: { count: closeHours.length, median_hours: nearestRank(closeHours, 0.5), p90_hours: nearestRank(closeHours, 0.9) },
    closed_with_sla: withSla, closed_within_sla: withinSla, closed_within_sla_share: withSla ? withinSla / withSla : null,
    oldest_open: open ? { file: open.file, title: open.title, opened_at: open.opened_at, age_days: hours(open.opened_at, AS_OF) / 24 } : null,
    overturned: overturns.length,
    overturned_by_case_type: tally(overturns.map(([r]) => r.case_type ?? "untyped")),
    overturned_by_ring_reason: tally(overturns.flatMap(([, o]) => (o.ring_reason ? [o.ring_reason] : []))),
    confirmed_rings: rows.reduce((n, r) => n + r.rings_confirmed, 0),
    confirmed_money: [...money].map(([currency, minor]): Money => ({ currency, minor })),
    decided, dismissed, dismissed_share: decided ? dismissed / decided : null,
  };
}

function watchEntry(kind: string, value: string, account_id: string): WatchEntry {
  return {
    kind, value, account_id, case_uid: "uid-3", case_file: "promo-abuse.ringscope", case_title: BIDI, reference: "ZD-47100",
    ring_id: "R-0002", decided_at: "2026-11-12T09:30:00Z", decided_by: "ana", origin: "desk",
  };
}

const WATCHLIST: WatchEntry[] = [
  watchEntry("device", "dev-77", "u0000101"),
  watchEntry("card", "fp_9", "u0000102"),
  watchEntry("email", HOSTILE, "u0000103"),
];

function newCase(file: string, title: string, type: CaseType | null, opened: string, extra: Partial<CaseRow>, status: Workflow["status"] = "open"): FakeCase {
  const due = type ? plusHours(opened, type.sla_hours) : null;
  const row: CaseRow = {
    file, case_uid: `uid-${file}`, title, reference: null, case_type: type?.id ?? null, type_name: type?.name ?? null, status, assignee: null,
    opened_at: opened, due_at: due, closed_at: null, first_decision_at: null, rings_confirmed: 0, amount_at_stake: [],
    steps_total: 0, steps_done: 0, steps_skipped: 0, required_open: [], decided: 0, dismissed: 0, ...extra,
  };
  const checklist = (type?.steps ?? []).map((s) => ({ ...s, mark: null }));
  return { row, flags: [], accounts: 3, workflow: { case_type: row.case_type, type_name: row.type_name, status, assignee: row.assignee, due_at: due, checklist } };
}

function sampleCases(): FakeCase[] {
  const [chargeback, banEvasion] = TYPES;
  const spike = newCase("chargeback-mira.ringscope", "Chargeback spike on @mira", chargeback, "2026-11-20T08:00:00Z",
    {
      reference: "ZD-48213", ticket_url: "https://example.zendesk.com/agent/tickets/48213", assignee: "ana", rings_confirmed: 2, amount_at_stake: [{ currency: "USD", minor: 1234500 }, { currency: "JPY", minor: 9900 }],
      first_decision_at: "2026-11-20T13:30:00Z", decided: 6, dismissed: 2,
      overturns: [{ item_kind: "ring", item_id: "R-0003", from: "confirmed", to: "dismissed", at: "2026-11-22T10:00:00Z", ring_reason: "self_funding" }],
    }, "in_review");
  spike.workflow.checklist[0].mark = { state: "done", reason: null, actor: "ana", ts: "2026-11-21T10:00:00Z" };
  spike.flags = [
    { account_id: "u0000357", kind: "device", value: "dev-77", earlier: WATCHLIST[0] },
    { account_id: "u0000357", kind: "card", value: "fp_9", earlier: WATCHLIST[1] },
    { account_id: "u0000412", kind: "email", value: HOSTILE, earlier: WATCHLIST[2] },
    { account_id: "u0000413", kind: "device", value: "dev-77", earlier: WATCHLIST[0] },
  ];
  const evasion = newCase("ban-evasion.ringscope", HOSTILE, banEvasion, "2026-11-24T09:00:00Z", { reference: "ZD-48001", assignee: "bo" });
  const promo = newCase("promo-abuse.ringscope", BIDI, chargeback, "2026-11-10T08:00:00Z",
    {
      reference: "ZD-47100", assignee: "ana", closed_at: "2026-11-12T08:00:00Z", rings_confirmed: 1, amount_at_stake: [{ currency: "USD", minor: 50000 }],
      first_decision_at: "2026-11-11T14:00:00Z", decided: 4, dismissed: 1,
    }, "closed");
  for (const s of promo.workflow.checklist) s.mark = { state: "done", reason: null, actor: "ana", ts: "2026-11-12T07:00:00Z" };
  const old = newCase("old-escalation.ringscope", "Old escalation", null, "2026-10-01T08:00:00Z", {
    overturns: [{ item_kind: "ring", item_id: "R-0001", from: "dismissed", to: "confirmed", at: "2026-10-20T10:00:00Z", ring_reason: "self_funding" }],
  }, "escalated");
  return [spike, evasion, promo, old];
}

/** The desk commands over one in-memory desk; `granted` holds the paths the user picked (as the real backend does). */
type DeskCommands = "openDesk" | "deskOverview" | "newDeskCase" | "openDeskCase" | "addDeskCase" | "deskWatchlist" | "watchFlags"
  | "caseWorkflow" | "markStep" | "setCaseStatus" | "assignCase";

export function fakeDesk(calls: string[], granted: Set<string>, setOpen: (s: CaseSummary) => void): Pick<Backend, DeskCommands> {
  let desk: { dir: string; cases: FakeCase[] } | null = null;
  let current: FakeCase | null = null;
  const noDesk = () => ({ code: "no_desk", message: "open or create a desk first" });
  const overview = (): DeskOverview => {
    if (!desk) throw noDesk();
    const rows = desk.cases.map(facts);
    return { dir: desk.dir, types: { version: 1, types: TYPES }, cases: rows, kpis: kpis(rows) };
  };
  const open = (c: FakeCase): CaseSummary => {
    current = c;
    const summary: CaseSummary = {
      path: `${desk!.dir}/${c.row.file}`, schema_version: 3,
      meta: { case_uid: c.row.case_uid, title: c.row.title, reference: c.row.reference, investigator: "ana", phone_region: "US", created_at: c.row.opened_at },
      counts: { accounts: c.accounts, payments: 2, events: 5, sources: 1, sightings: 0, conflicts: 0, rejects: 0, audit_entries: 2 },
      sources: [],
    };
    setOpen(summary);
    return summary;
  };
  const workflow = (): Workflow => {
    if (!current) return { case_type: null, type_name: null, status: "open", assignee: null, due_at: null, checklist: [] };
    return JSON.parse(JSON.stringify(current.workflow)) as Workflow;
  };
  const invalid = (message: string) => ({ code: "invalid", message });
  return {
    openDesk: async (path, create) => {
      calls.push(`openDesk:${path}:${create}`);
      if (!granted.has(path)) throw { code: "not_granted", message: `${path} was not chosen in a dialog; choose it again` };
      if (path === DESK_DIR) desk = desk ?? { dir: path, cases: sampleCases() };
      else if (create) desk = { dir: path, cases: [] };
      else throw { code: "not_a_desk", message: `${path} has no desk.json` };
      return overview();
    },
    deskOverview: async () => overview(),
    newDeskCase: async (n) => {
      calls.push(`newDeskCase:${n.title}:${n.case_type}:${n.reference}:${n.assignee}`);
      if (!desk) throw noDesk();
      const type = TYPES.find((t) => t.id === n.case_type);
      if (!type) throw { code: "case_types", message: `no case type ${n.case_type}` };
      if (!n.title.trim()) throw invalid("a case needs a title");
      const file = `${n.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.ringscope`;
      const c = newCase(file, n.title, type, AS_OF, { reference: n.reference, assignee: n.assignee });
      c.workflow.assignee = n.assignee;
      c.accounts = 0;
      desk.cases.push(c);
      return open(c);
    },
    openDeskCase: async (file) => {
      calls.push(`openDeskCase:${file}`);
      if (!desk) throw noDesk();
      const c = desk.cases.find((x) => x.row.file === file);
      if (!c) throw { code: "not_found", message: `${file} is not on the desk` };
      return open(c);
    },
    addDeskCase: async (path, caseType) => {
      calls.push(`addDeskCase:${path}:${caseType}`);
      if (!desk) throw noDesk();
      desk.cases.push(newCase(path.split("/").pop()!, "Added case", null, AS_OF, {}));
      return overview();
    },
    deskWatchlist: async () => {
      if (!desk) throw noDesk();
      return WATCHLIST;
    },
    watchFlags: async () => (desk && current ? current.flags : []),
    caseWorkflow: async () => workflow(),
    markStep: async (step, skipReason) => {
      calls.push(`markStep:${step}:${skipReason}`);
      const item = current?.workflow.checklist.find((s) => s.id === step);
      if (!item) throw invalid(current?.workflow.checklist.length ? `no step "${step}" in this case's checklist` : "this case has no checklist (give it a type first)");
      if (skipReason !== null && !skipReason.trim()) throw invalid("skipping a step needs a reason");
      item.mark = { state: skipReason === null ? "done" : "skipped", reason: skipReason, actor: "ana", ts: AS_OF };
      return workflow();
    },
    setCaseStatus: async (status, reason) => {
      calls.push(`setCaseStatus:${status}:${reason}`);
      if (!current) return workflow();
      const open = current.workflow.checklist.filter((s) => s.required && !s.mark).map((s) => s.id);
      if (status === "closed" && open.length && !reason?.trim()) {
        throw invalid(`required steps are still open (${open.join(", ")}): closing needs a reason (--reason)`);
      }
      current.workflow.status = status;
      current.row.closed_at = status === "closed" ? AS_OF : null;
      return workflow();
    },
    assignCase: async (name) => {
      calls.push(`assignCase:${name}`);
      if (!name.trim()) throw invalid("an assignee needs a name");
      if (current) current.workflow.assignee = name.trim();
      return workflow();
    },
  };
}
