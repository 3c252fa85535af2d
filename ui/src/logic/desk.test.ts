import { describe, expect, it } from "vitest";
import type { CaseRow } from "../bindings/ipc";
import { duration, filterCases, isOverdue, moneyList, NO_FILTER, share, sortCases, UNASSIGNED, UNTYPED, when } from "./desk";
import { describeEntry } from "./history";
import { humanError } from "./messages";
import { reasonLabel } from "./reasons";

const row = (file: string, extra: Partial<CaseRow>): CaseRow => ({
  file, case_uid: file, title: file, reference: null, case_type: null, type_name: null, status: "open", assignee: null,
  opened_at: "2026-11-01T00:00:00Z", due_at: null, closed_at: null, first_decision_at: null, rings_confirmed: 0, amount_at_stake: [],
  steps_total: 0, steps_done: 0, steps_skipped: 0, required_open: [], decided: 0, dismissed: 0, ...extra,
});

describe("desk logic", () => {
  const rows = [
    row("a", { due_at: "2026-11-20T00:00:00Z", assignee: "ana", case_type: "chargeback", amount_at_stake: [{ currency: "JPY", minor: 100000 }] }),
    row("b", { status: "closed", due_at: "2026-11-02T00:00:00Z", amount_at_stake: [{ currency: "USD", minor: 5000 }] }),
    row("c", { reference: "ZD-1", status: "escalated" }),
  ];

  it("sorts by a column, rows without a value last in either direction", () => {
    expect(sortCases(rows, "due", false).map((r) => r.file)).toEqual(["b", "a", "c"]);
    expect(sortCases(rows, "due", true).map((r) => r.file)).toEqual(["a", "b", "c"]);
    expect(sortCases(rows, "status", false).map((r) => r.file)).toEqual(["a", "c", "b"]);
    // 100,000 JPY is more than 50 USD in major units (the exponent counts, not the minor units).
    expect(sortCases(rows, "amount", true).map((r) => r.file)).toEqual(["a", "b", "c"]);
  });

  it("filters by status (or not closed), type, assignee and text", () => {
    expect(filterCases(rows, { ...NO_FILTER, status: "active" }).map((r) => r.file)).toEqual(["a", "c"]);
    expect(filterCases(rows, { ...NO_FILTER, type: UNTYPED }).map((r) => r.file)).toEqual(["b", "c"]);
    expect(filterCases(rows, { ...NO_FILTER, assignee: UNASSIGNED }).map((r) => r.file)).toEqual(["b", "c"]);
    expect(filterCases(rows, { ...NO_FILTER, text: " zd-1 " }).map((r) => r.file)).toEqual(["c"]);
  });

  it("marks open cases past their due date as overdue, never closed ones", () => {
    expect(isOverdue("2026-11-20T00:00:00Z", "open", "2026-11-25T00:00:00Z")).toBe(true);
    expect(isOverdue("2026-11-20T00:00:00Z", "closed", "2026-11-25T00:00:00Z")).toBe(false);
    expect(isOverdue(null, "open", "2026-11-25T00:00:00Z")).toBe(false);
    expect(isOverdue("2026-11-30T00:00:00Z", "in_review", Date.parse("2026-11-25T00:00:00Z"))).toBe(false);
  });

  it("words durations, shares, money and instants", () => {
    expect([duration(0.25), duration(5.54), duration(48), duration(null)]).toEqual(["15 min", "5.5 h", "2 days", "–"]);
    expect([share(0.333), share(null)]).toEqual(["33%", "–"]);
    expect(moneyList([{ currency: "USD", minor: 123456 }, { currency: "JPY", minor: 5 }])).toBe("1,234.56 USD · 5 JPY");
    expect(moneyList([])).toBe("–");
    expect(when("2026-11-25T14:03:22.5Z")).toBe("2026-11-25 14:03");
  });

  it("has words for the desk's errors and the watchlist reason", () => {
    expect(humanError({ code: "no_desk", message: "open or create a desk first" })).toBe("No desk is open. Open a desk folder or create a new desk.");
    expect(humanError({ code: "not_a_desk", message: "/x has no desk.json" })).toContain("not a Ringscope desk");
    expect(humanError({ code: "case_types", message: "types.toml: line 3" })).toContain("(types.toml: line 3)");
    expect(humanError({ code: "desk_index", message: "locked" })).toContain("list of cases could not be read");
    expect(reasonLabel("watchlist")).toBe("Uses identifiers confirmed in an earlier case");
  });

  it("reads workflow and watch-flag audit entries as sentences", () => {
    const base = { seq: 1, ts: "2026-11-25T10:00:00Z", actor: "ana", prev_hash: "", hash: "" };
    expect(describeEntry({ ...base, action: "case.step", item: "notify", details: { state: "skipped", reason: "creator is the suspect", title: "Notify the creator" } }))
      .toEqual({ what: "Skipped step “Notify the creator”", detail: "“creator is the suspect”" });
    expect(describeEntry({ ...base, action: "case.status", item: "closed", details: { from: "open", to: "closed", reason: "banned", open_required_steps: ["write_summary"] } }))
      .toEqual({ what: "Set the case status to closed", detail: "“banned” · required steps open: write_summary" });
    expect(describeEntry({ ...base, action: "case.assign", item: "bo", details: { from: "ana" } })).toEqual({ what: "Assigned the case to bo", detail: "was ana" });
    expect(describeEntry({ ...base, action: "watchlist.flag", item: "u1", details: { kind: "device", value: "dev-7", case_title: "Spike", ring_id: "R-0002" } }))
      .toEqual({ what: "Flagged account u1: uses a device confirmed earlier", detail: "dev-7 · Spike · R-0002" });
  });
});
