// @vitest-environment jsdom
// The desk (case list, new typed cases, KPIs, watchlist) and the open case's workflow (checklist, status, assignee)
// and watch flags, through the App as an investigator uses them, against the in-memory desk of fakeDesk.ts.
import { beforeEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { App } from "../components/App";
import { CaseWorkflow } from "../components/CaseWorkflow";
import { DeskKpis } from "../components/DeskKpis";
import { fakeBackend } from "./fake";
import { BIDI, DESK_DIR, HOSTILE } from "./fakeDesk";
import type { Kpis } from "../bindings/ipc";

async function settle(times = 3) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

const $ = <T extends Element = HTMLElement>(root: Element, testid: string) => root.querySelector<T>(`[data-testid="${testid}"]`)!;
const $$ = (root: Element, testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];

async function click(el: Element) {
  await act(() => void (el as HTMLElement).click());
  await settle();
}

async function type(el: Element, value: string) {
  const field = el as HTMLInputElement | HTMLSelectElement;
  await act(() => {
    field.value = value;
    field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
  await settle(1);
}

const titles = (root: Element) => $$(root, "desk-case-row").map((r) => r.querySelector(".case-name")!.textContent);
const step = (root: Element, id: string) => root.querySelector<HTMLElement>(`[data-testid=checklist-step][data-step=${id}]`)!;

/** The app on the start screen, then the desk opened with "Open desk…" (the dialog answers DESK_DIR). */
async function openDesk() {
  const root = document.createElement("div");
  document.body.append(root);
  const backend = fakeBackend({}, { noCase: true, picks: { desk_folder: [DESK_DIR], open_case: ["/elsewhere/added.ringscope"] } });
  await act(() => render(<App backend={backend} />, root));
  await settle();
  await click($(root, "open-desk"));
  return { root, backend };
}

/** Open a case of the desk by clicking its row, then its Case pane. */
async function openCasePane(root: Element, file: string) {
  await click(root.querySelector(`[data-testid=desk-case-row][data-file="${file}"]`)!);
  await click($(root, "tab-case"));
}

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = "";
});

describe("Desk", () => {
  it("opens from the start screen, lists its cases with hostile titles as text, and remembers the folder", async () => {
    const { root, backend } = await openDesk();
    expect(backend.calls).toContain(`openDesk:${DESK_DIR}:false`);
    expect($(root, "desk-view")).not.toBeNull();
    expect($(root, "desk-dir").textContent).toBe(DESK_DIR);
    expect(titles(root)).toEqual([HOSTILE, "Chargeback spike on @mira", BIDI, "Old escalation"]); // newest first
    expect(root.querySelector("img")).toBeNull();
    const spike = root.querySelector("[data-file='chargeback-mira.ringscope']")!;
    expect(spike.textContent).toContain("ZD-48213");
    expect(spike.textContent).toContain("in review");
    expect(spike.querySelector("td.amounts")!.getAttribute("title")).toBe("12,345.00 USD · 9,900 JPY");
    expect(spike.querySelector("[data-testid=overdue]")).not.toBeNull(); // due 2026-11-23, as of 2026-11-25
    expect(root.querySelector("[data-file='promo-abuse.ringscope'] [data-testid=overdue]")).toBeNull(); // closed
    expect(localStorage.getItem("ringscope.desk")).toBe(DESK_DIR);
  });

  it("reopens the last desk of an earlier session through the dialog, at that folder", async () => {
    localStorage.setItem("ringscope.desk", DESK_DIR);
    const root = document.createElement("div");
    const backend = fakeBackend({}, { noCase: true });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    await click($(root, "last-desk"));
    expect(backend.calls.filter((c) => c.startsWith("pick") || c.startsWith("openDesk"))).toEqual([
      `openDesk:${DESK_DIR}:false`, `pick:desk_folder:${DESK_DIR}`, `openDesk:${DESK_DIR}:false`,
    ]);
    expect($(root, "desk-view")).not.toBeNull();
    expect(root.querySelector("[role=alert]")).toBeNull();
  });

  it("opens a desk from the top bar when a case was opened on its own, and switches between them", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({}, { picks: { desk_folder: [DESK_DIR] } });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    expect($(root, "desk-tab")).toBeNull();
    await click($(root, "open-desk-top"));
    expect($(root, "desk-view")).not.toBeNull();
    expect(root.querySelector(".case-title")!.textContent).toContain("Sample <b>case</b>"); // the case stays open
    await click($(root, "tab-rings"));
    expect($(root, "desk-view")).toBeNull();
    expect(root.querySelector("tr[data-ring='R-0001']")).not.toBeNull();
    await click($(root, "desk-tab"));
    expect($(root, "desk-view")).not.toBeNull();
  });

  it("says so in words when the folder is not a desk", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({}, { noCase: true, picks: { desk_folder: ["/tmp/photos"] } });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    await click($(root, "open-desk"));
    expect(root.querySelector("[role=alert]")!.textContent).toContain("This folder is not a Ringscope desk");
    expect($(root, "desk-view")).toBeNull();
  });

  it("sorts by a clicked column and filters by status, type, assignee and text", async () => {
    const { root } = await openDesk();
    await click(root.querySelector("th[data-sort=title]")!);
    expect(titles(root)).toEqual([HOSTILE, "Chargeback spike on @mira", "Old escalation", BIDI]);
    await click(root.querySelector("th[data-sort=title]")!);
    expect(titles(root)[0]).toBe(BIDI);
    await click(root.querySelector("th[data-sort=due]")!);
    expect(titles(root)).toEqual([BIDI, "Chargeback spike on @mira", HOSTILE, "Old escalation"]); // no due date last
    await type($(root, "desk-filter-status"), "closed");
    expect(titles(root)).toEqual([BIDI]);
    await type($(root, "desk-filter-status"), "active");
    expect(titles(root)).toHaveLength(3);
    await type($(root, "desk-filter-type"), "chargeback");
    expect(titles(root)).toEqual(["Chargeback spike on @mira"]);
    await type($(root, "desk-filter-type"), "");
    await type($(root, "desk-filter-assignee"), "bo");
    expect(titles(root)).toEqual([HOSTILE]);
    await type($(root, "desk-filter-assignee"), "");
    await type($(root, "desk-filter-text"), "zd-471");
    expect($(root, "desk-case-count").textContent).toBe("0 of 4 cases"); // the closed one is filtered out by "active"
    await type($(root, "desk-filter-status"), "");
    expect(titles(root)).toEqual([BIDI]);
  });

  it("opens a new typed case from the form and lands in it, due by its SLA, with its checklist", async () => {
    const { root, backend } = await openDesk();
    await click($(root, "desk-new-case"));
    const form = $(root, "new-case-form");
    const typeSelect = form.querySelector<HTMLSelectElement>("select[name=case_type]")!;
    expect([...typeSelect.options].map((o) => o.textContent)).toEqual(["Chargeback spike (SLA 3 days)", "Ban evasion (SLA 7 days)"]);
    await type(form.querySelector("input[name=title]")!, "Refund fraud \u202eon @lee");
    await type(typeSelect, "ban_evasion");
    await type(form.querySelector("input[name=reference]")!, "ZD-49999");
    await type(form.querySelector("input[name=assignee]")!, "cy");
    expect($(root, "new-case-type-info").textContent).toContain("Link to the banned account");
    await act(() => void form.querySelector<HTMLButtonElement>("button[type=submit]")!.click());
    await settle();
    expect(backend.calls).toContain("newDeskCase:Refund fraud \u202eon @lee:ban_evasion:ZD-49999:cy");
    expect($(root, "desk-view")).toBeNull();
    expect(root.querySelector(".case-title")!.textContent).toContain("Refund fraud \u202eon @lee");
    expect($(root, "empty-case")).not.toBeNull(); // a new case: import first
    await click($(root, "tab-case"));
    expect($(root, "case-type").textContent).toBe("Ban evasion");
    expect($(root, "case-due").textContent).toContain("2026-12-02 12:00");
    expect($<HTMLInputElement>(root, "case-assignee").value).toBe("cy");
    expect($$(root, "checklist-step").map((s) => s.dataset.step)).toEqual(["link_banned"]);
    await click($(root, "desk-tab"));
    expect(titles(root)).toContain("Refund fraud \u202eon @lee");
  });

  it("adds a case file picked in a dialog", async () => {
    const { root, backend } = await openDesk();
    await click($(root, "desk-add-case"));
    expect(backend.calls).toContain("addDeskCase:/elsewhere/added.ringscope:null");
    expect(titles(root)).toContain("Added case");
  });

  it("shows the KPI numbers as text, and they move when a case closes", async () => {
    const { root } = await openDesk();
    expect($(root, "kpi-cases").textContent).toBe("4 cases · 1 open · 1 in review · 1 escalated · 1 closed");
    expect($(root, "kpi-weeks").querySelector("svg")!.getAttribute("aria-label")).toContain("2026-W47: 1 opened, 0 closed");
    expect($(root, "kpi-first-decision").textContent).toContain("5.5 h");
    expect($(root, "kpi-first-decision").textContent).toContain("30 h");
    expect($(root, "kpi-close").textContent).toContain("2 days");
    expect($(root, "kpi-sla").textContent).toContain("100%");
    expect($(root, "kpi-sla").textContent).toContain("1 of 1 closed case with a due date");
    expect($(root, "kpi-oldest").textContent).toContain("Old escalation");
    expect($(root, "kpi-oldest").textContent).toContain("55 days ago");
    expect($(root, "kpi-overturned").textContent).toContain("Chargeback spike");
    expect($(root, "kpi-overturned").querySelector("svg[aria-label^='Overturned by ring reason']")!.getAttribute("aria-label")).toContain("Creator paid by its own ring 2");
    expect($(root, "kpi-confirmed").textContent).toContain("3 rings confirmed");
    expect($(root, "kpi-confirmed-money").textContent).toBe("12,845.00 USD · 9,900 JPY");
    expect($(root, "kpi-dismissed").textContent).toContain("30%");

    await openCasePane(root, "old-escalation.ringscope");
    await type($(root, "case-status"), "closed"); // untyped: no required steps, no reason asked
    await click($(root, "desk-tab"));
    expect($(root, "kpi-cases").textContent).toBe("4 cases · 1 open · 1 in review · 0 escalated · 2 closed");
    expect($(root, "kpi-close").textContent).toContain("over 2 closed cases");
    expect($(root, "kpi-oldest").textContent).toContain("Chargeback spike on @mira");
  });

  it("says what is missing when a desk has no cases yet", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({}, { noCase: true, picks: { desk_folder: ["/desks/new"] } });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    await click($(root, "new-desk"));
    expect(backend.calls).toContain("openDesk:/desks/new:true");
    const kpis = $(root, "kpi-panel").textContent!;
    for (const note of ["No cases opened yet.", "No decisions yet.", "No closed cases yet.", "No open cases.", "No decisions overturned.", "No rings confirmed yet."]) {
      expect(kpis).toContain(note);
    }
    expect(root.textContent).toContain("No cases on this desk yet.");
  });

  it("draws KPI charts from sparse numbers without failing", async () => {
    const kpis: Kpis = {
      as_of: "2026-11-25T12:00:00Z", cases: 1, by_status: { open: 1 }, weeks: [{ week: "2026-W48", opened: 1, closed: 0 }],
      time_to_first_decision: { count: 1, median_hours: 0.5, p90_hours: 0.5 }, time_to_close: { count: 0, median_hours: null, p90_hours: null },
      closed_with_sla: 0, closed_within_sla: 0, closed_within_sla_share: null, oldest_open: null, overturned: 1,
      overturned_by_case_type: { gone_type: 1 }, overturned_by_ring_reason: {}, confirmed_rings: 0, confirmed_money: [], decided: 1, dismissed: 0, dismissed_share: 0,
    };
    const root = document.createElement("div");
    await act(() => render(<DeskKpis kpis={kpis} types={[]} onOpenCase={() => undefined} />, root));
    expect($(root, "kpi-first-decision").textContent).toContain("30 min");
    expect($(root, "kpi-close").textContent).toContain("No closed cases yet.");
    expect($(root, "kpi-overturned").textContent).toContain("gone_type");
    expect($(root, "kpi-overturned").textContent).toContain("No ring decisions overturned.");
    expect($(root, "kpi-dismissed").textContent).toContain("0%");
  });

  it("lists the watchlist with hostile values as text", async () => {
    const { root } = await openDesk();
    await click($(root, "desk-tab-watchlist"));
    const rows = $$(root, "watchlist-row");
    expect(rows).toHaveLength(3);
    expect(rows[2].textContent).toContain(HOSTILE);
    // A right-to-left override in a title stays inside it: it must not reverse the reference shown after it.
    expect([...rows[2].querySelectorAll("bdi")].map((b) => b.textContent)).toContain(BIDI);
    expect(rows[2].textContent).toContain("R-0002");
    expect(root.querySelector("img")).toBeNull();
    await type($(root, "watchlist-filter"), "fp_9");
    expect($(root, "watchlist-count").textContent).toBe("1 of 3 identifiers");
  });
});

describe("Case workflow", () => {
  it("ticks a step, skips one with a reason, and asks why before closing with required steps open", async () => {
    const { root, backend } = await openDesk();
    await openCasePane(root, "chargeback-mira.ringscope");
    expect(backend.calls).toContain("openDeskCase:chargeback-mira.ringscope");
    expect($<HTMLSelectElement>(root, "case-status").value).toBe("in_review");
    expect($(root, "case-due").querySelector(".pill.bad")!.textContent).toBe("overdue");
    expect(step(root, "pull_disputes").dataset.state).toBe("done");
    expect(step(root, "check_devices").textContent).toContain("Import the device log");
    expect(step(root, "notify_creator").textContent).toContain("optional");

    await click(step(root, "check_devices").querySelector("input[type=checkbox]")!);
    expect(backend.calls).toContain("markStep:check_devices:null");
    expect(step(root, "check_devices").dataset.state).toBe("done");
    expect(step(root, "check_devices").querySelector<HTMLInputElement>("input[type=checkbox]")!.checked).toBe(true);
    expect(step(root, "check_devices").textContent).toContain("Done by ana, 2026-11-25 12:00");

    await click(step(root, "notify_creator").querySelector("[data-testid=skip-step]")!);
    await type($(root, "skip-reason"), "The creator is <b>the suspect</b>");
    await act(() => void $(root, "skip-form").querySelector<HTMLButtonElement>("button[type=submit]")!.click());
    await settle();
    expect(backend.calls).toContain("markStep:notify_creator:The creator is <b>the suspect</b>");
    expect(step(root, "notify_creator").dataset.state).toBe("skipped");
    expect(step(root, "notify_creator").textContent).toContain("“The creator is <b>the suspect</b>”");
    expect(root.querySelector(".checklist b")).toBeNull();
    expect($(root, "checklist-progress").textContent).toBe("2 of 4 steps done · 1 skipped · 1 required still open");

    await type($(root, "case-status"), "closed");
    expect(backend.calls.some((c) => c.startsWith("setCaseStatus"))).toBe(false); // asked first
    expect($(root, "close-reason").textContent).toContain("Required steps are still open: Write the summary.");
    expect($<HTMLButtonElement>(root, "close-case").disabled).toBe(true);
    await type($(root, "close-reason-input"), "Creator banned; summary in ZD-48213");
    await act(() => void $(root, "close-case").click());
    await settle();
    expect(backend.calls).toContain("setCaseStatus:closed:Creator banned; summary in ZD-48213");
    expect($<HTMLSelectElement>(root, "case-status").value).toBe("closed");
    expect($(root, "close-reason")).toBeNull();
    expect($(root, "case-due").querySelector(".pill.bad")).toBeNull(); // closed: no longer overdue
  });

  it("shows the backend's refusal to close in words, and then asks for a reason", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({
      caseWorkflow: async () => ({ case_type: null, type_name: null, status: "open", assignee: null, due_at: null, checklist: [] }),
      setCaseStatus: async () => { throw { code: "invalid", message: "required steps are still open (write_summary): closing needs a reason (--reason)" }; },
    });
    await act(() => render(<CaseWorkflow backend={backend} />, root));
    await settle();
    await type($(root, "case-status"), "closed");
    await settle();
    expect($(root, "workflow-error").textContent).toBe("required steps are still open (write_summary): closing needs a reason");
    expect($(root, "close-reason")).not.toBeNull();
  });

  it("assigns the case, and shows a hint instead of a checklist for an untyped case", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend();
    await act(() => render(<App backend={backend} />, root));
    await settle();
    await click($(root, "tab-case"));
    expect($(root, "case-type").textContent).toBe("untyped");
    expect($(root, "checklist-untyped").textContent).toContain("no checklist");
    expect($(root, "checklist")).toBeNull();
    expect($(root, "desk-tab")).toBeNull(); // no desk open
  });

  it("reassigns a desk case", async () => {
    const { root, backend } = await openDesk();
    await openCasePane(root, "ban-evasion.ringscope");
    await type($(root, "case-assignee"), "dee");
    await act(() => void $(root, "case-assign").click());
    await settle();
    expect(backend.calls).toContain("assignCase:dee");
    expect($<HTMLButtonElement>(root, "case-assign").disabled).toBe(true);
  });
});

describe("Watch flags", () => {
  it("tells when accounts use identifiers confirmed in earlier cases, and which", async () => {
    const { root } = await openDesk();
    await click(root.querySelector("[data-testid=desk-case-row][data-file='chargeback-mira.ringscope']")!);
    const notice = $(root, "watch-flags");
    expect($(root, "watch-flags-summary").textContent).toBe("3 accounts use identifiers confirmed in earlier cases");
    const flags = $$(notice, "watch-flag");
    expect(flags).toHaveLength(4);
    expect(flags[0].textContent).toContain("u0000357");
    expect(flags[0].textContent).toContain("dev-77");
    expect([...flags[0].querySelectorAll("bdi")].map((b) => b.textContent)).toEqual(["dev-77", BIDI, "ana"]);
    expect(flags[0].textContent).toContain("R-0002");
    expect(flags[0].textContent).toContain("confirmed 2026-11-12 09:30 by ana");
    expect(flags[2].textContent).toContain(HOSTILE);
    expect(root.querySelector("img")).toBeNull();
  });

  it("opens the earlier case a flag came from", async () => {
    const { root, backend } = await openDesk();
    await click(root.querySelector("[data-testid=desk-case-row][data-file='chargeback-mira.ringscope']")!);
    const link = $(root, "watch-flags").querySelector<HTMLButtonElement>("[data-testid=open-earlier-case]")!;
    const file = link.title.replace(/^Open /, "");
    await click(link);
    expect(file).toMatch(/\.ringscope$/);
    expect(backend.calls).toContain(`openDeskCase:${file}`);
  });

  it("shows nothing for a case without flags", async () => {
    const { root } = await openDesk();
    await click(root.querySelector("[data-testid=desk-case-row][data-file='old-escalation.ringscope']")!);
    expect($(root, "watch-flags")).toBeNull();
  });
});
