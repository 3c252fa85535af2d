// @vitest-environment jsdom
// The ring workspace (issue #16): graph logic, deciding tables, keyboard triage, bulk decisions, GUI messages.
import { describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { App } from "../components/App";
import { RingList } from "../components/RingList";
import { RingView } from "../components/RingView";
import { ImportPanel } from "../components/ImportPanel";
import { HistoryPanel } from "../components/HistoryPanel";
import { fakeBackend, ring, summary } from "./fake";
import { farmView } from "./farm";
import type { GraphView, Value } from "../bindings/ipc";
import { creatorIds, drawnKind, edgeSize, expansionNote, labelPlacement, singleUseIdentifiers } from "../logic/graph";
import { KEEP_INDIVIDUAL } from "../logic/graphGroups";
import { reasonLabel, sortedReasons } from "../logic/reasons";
import { humanError } from "../logic/messages";
import { nextRing, nextUndecided } from "../logic/triage";
import { describeEntry } from "../logic/history";

async function settle(times = 2) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

function key(k: string, target: EventTarget = window) {
  return act(() => void target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })));
}

function button(root: Element, text: string) {
  return [...root.querySelectorAll("button")].find((b) => b.textContent?.startsWith(text)) as HTMLButtonElement;
}

const view = (): GraphView => {
  const r = ring("R-1", 5, ["a1", "a2", "c1"]);
  r.creators_paid = [{ creator_id: "c1", currency: "USD", amount_minor: 500, share: 1, payers: 2, in_ring: true }];
  return {
    ring: r,
    nodes: [
      { id: "account:a1", kind: "account", label: "a1", member: true, hub: false, accounts_total: 1, weight: 0 },
      { id: "account:a2", kind: "account", label: "a2", member: true, hub: false, accounts_total: 1, weight: 0 },
      { id: "account:c1", kind: "account", label: "c1", member: true, hub: false, accounts_total: 1, weight: 0 },
      { id: "device:d1", kind: "device", label: "d1", member: false, hub: false, accounts_total: 2, weight: 1 },
      { id: "ip:1.2.3.4", kind: "ip", label: "1.2.3.4", member: false, hub: false, accounts_total: 1, weight: 0.2 },
    ],
    edges: [
      { source: "account:a1", target: "device:d1", kind: "uses", count: 3 },
      { source: "account:a2", target: "device:d1", kind: "uses", count: 1 },
      { source: "account:a1", target: "ip:1.2.3.4", kind: "uses", count: 1 },
      { source: "account:a1", target: "account:c1", kind: "pays", count: 4 },
    ],
  };
};

describe("graph logic", () => {
  it("hides identifiers one account uses, draws a paid member as a creator, sizes edges by weight", () => {
    const v = view();
    expect([...singleUseIdentifiers(v)]).toEqual(["ip:1.2.3.4"]);
    const creators = creatorIds(v);
    expect(drawnKind(v.nodes[2], creators)).toBe("creator");
    expect(drawnKind(v.nodes[0], creators)).toBe("account");
    expect(edgeSize("uses", 1, 1)).toBeGreaterThan(edgeSize("uses", 1, 0.2));
    expect(edgeSize("uses", 1, 0)).toBeLessThan(1);
  });

  it("keeps a label inside the canvas: flips it left at the right edge", () => {
    expect(labelPlacement(100, 50, 5, 60, 800, 400, 12).x).toBe(108);
    const edge = labelPlacement(780, 50, 5, 60, 800, 400, 12);
    expect(edge.x + 60).toBeLessThanOrEqual(800);
    expect(labelPlacement(10, 399, 5, 60, 800, 400, 12).y).toBeLessThanOrEqual(397);
  });

  it("says why an expansion added nothing", () => {
    const v = view();
    const hub = { ...v.nodes[3], hub: true, accounts_total: 900 };
    expect(expansionNote(v, v, hub)).toMatch(/hub.*900 accounts/);
    expect(expansionNote(v, v, v.nodes[3])).toMatch(/already shown/);
    expect(expansionNote(v, { ...v, nodes: [...v.nodes, v.nodes[0]] }, v.nodes[3])).toBeNull();
  });
});

describe("plain words", () => {
  it("labels reasons and orders them largest first", () => {
    expect(reasonLabel("creator_concentration")).toBe("Money concentrated on one creator");
    expect(reasonLabel("some_new_feature")).toBe("Some new feature");
    const sorted = sortedReasons([
      { feature: "a", value: 0, contribution: 1, detail: "" },
      { feature: "b", value: 0, contribution: -2, detail: "" },
      { feature: "c", value: 0, contribution: 3, detail: "" },
    ]);
    expect(sorted.map((r) => r.feature)).toEqual(["c", "a", "b"]);
  });

  it("maps error codes to GUI wording without CLI flags", () => {
    const m = humanError({ code: "unknown_header", message: "x.csv: unrecognized header; missing account_id; pass --kind and --mapping FILE (see README: Mappings)" });
    expect(m).not.toMatch(/--kind|--mapping|README/);
    expect(m).toMatch(/map its columns/);
    expect(humanError({ code: "not_granted", message: "/a/b.ringscope was not chosen in a dialog; choose it again" })).toMatch(/Choose the file again/);
    expect(humanError({ code: "ambiguous_kind", message: "f.csv: header matches more than one kind (accounts, events); pass --kind" })).not.toMatch(/--kind/);
  });

  it("renders audit entries as sentences", () => {
    const base = { seq: 1, ts: "2026-01-01T10:00:00Z", actor: "ana", prev_hash: "", hash: "" };
    expect(describeEntry({ ...base, action: "decide", item: "R-0001", details: { kind: "ring", state: "needs_review", note: "check cards" } })).toEqual({ what: "Marked for review ring R-0001", detail: "“check cards”" });
    expect(describeEntry({ ...base, action: "import", item: "accounts.csv", details: { kind: "accounts", rows: { imported: 12, rejected: 0 }, sha256: "abcdef0123456789" } }).detail).toBe("accounts · 12 rows imported · SHA-256 abcdef012345…");
  });
});

describe("triage logic", () => {
  it("moves through rings and advances to the next undecided one", () => {
    const rings = [ring("A", 1, []), ring("B", 1, []), ring("C", 1, [])];
    expect(nextRing(rings, null, 1)).toBe("A");
    expect(nextRing(rings, "A", 1)).toBe("B");
    expect(nextRing(rings, "A", -1)).toBe("A");
    rings[1].decision = { item_kind: "ring", item_id: "B", state: "confirmed", note: null, actor: "", ts: "" };
    expect(nextUndecided(rings, "A")).toBe("C");
    expect(nextUndecided(rings, "C")).toBe("A");
  });
});

describe("RingView tables", () => {
  it("shows members with status and money, marks the banned member, labels reasons in words", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend();
    const r = (await backend.listRings({ offset: 0, limit: 5 } as never)).rings[1];
    r.reasons.push({ feature: "ban_evasion", value: 1, contribution: 2.5, detail: "1 account(s) created after a banned member" });
    await act(() => render(<RingView backend={backend} ringId={r.id} onChanged={() => {}} />, root));
    await settle();
    const labels = [...root.querySelectorAll(".reason-label")].map((e) => e.textContent);
    expect(labels[0]).toBe("Accounts created after a banned member");
    const table = root.querySelector("[data-testid=members-table]")!;
    const rows = [...table.querySelectorAll("tbody tr")];
    expect(rows.length).toBe(2);
    expect(rows[0].classList.contains("marked")).toBe(true); // the banned member leads and is marked
    expect(rows[0].textContent).toContain("banned");
    expect(rows[0].textContent).toContain("⛔");
    expect(table.textContent).toContain("20.00 USD");
    expect(root.querySelector(".marked-note")?.textContent).toContain("u4");
    await act(() => button(root, "Money").click());
    expect(root.textContent).toContain("The ring paid no creator.");
  });
});

describe("Account decisions", () => {
  it("decides ticked members one by one or all at once, and refreshes their decisions", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const backend = fakeBackend();
    const r = (await backend.listRings({ sort: "score", descending: true, kind: null, min_score: null, decision: null, offset: 0, limit: 5 })).rings[0];
    await act(() => render(<RingView backend={backend} ringId={r.id} onChanged={() => {}} />, root));
    await settle();
    const boxes = () => [...root.querySelectorAll<HTMLInputElement>("[data-testid=members-table] tbody input[type=checkbox]")];
    expect(root.querySelector("[data-testid=account-bulk]")).toBeNull();
    await act(() => boxes()[0].click());
    expect(root.querySelector("[data-testid=account-bulk]")?.textContent).toContain("1 account");
    const account = root.querySelector("[data-testid=members-table] tbody tr")!.getAttribute("data-account");
    const bulk = (text: string) => [...root.querySelectorAll<HTMLButtonElement>("[data-testid=account-bulk] button")].find((b) => b.textContent === text)!;
    await act(() => bulk("Dismiss").click());
    await settle();
    expect(backend.calls.filter((c) => c.startsWith("decide:")).length).toBe(1);
    expect(backend.calls).toContain(`decide:${account}:dismissed:null`);
    expect(root.textContent).toContain("1 account marked dismissed.");
    // Every member at once, from the header's box.
    await act(() => root.querySelector<HTMLInputElement>("[data-testid=members-table] thead input[type=checkbox]")!.click());
    expect(root.querySelector("[data-testid=account-bulk]")?.textContent).toContain(`${r.members.length} accounts`);
    await act(() => bulk("Confirm").click());
    await settle();
    expect(backend.calls.filter((c) => c.endsWith(":confirmed:null")).length).toBe(r.members.length);
    expect(root.querySelector("[data-testid=account-bulk]")).toBeNull();
    root.remove();
  });
});

describe("A big ring's identifiers", () => {
  it("are grouped by kind, expand from the toolbar without a backend call, and undo back into a group", async () => {
    const root = document.createElement("div");
    document.body.append(root); // a detached checkbox fires no change event
    const asked: string[][] = [];
    const backend = fakeBackend({ ringGraph: async (_id, expand) => (asked.push(expand), farmView(60)) });
    await act(() => render(<RingView backend={backend} ringId="R-0001" onChanged={() => {}} />, root));
    await settle();
    const groups = () => [...root.querySelectorAll<HTMLButtonElement>(".expand-group")];
    const toggle = root.querySelector<HTMLInputElement>("[data-testid=group-identifiers]")!;
    expect(toggle.checked).toBe(true);
    const ips = 62 - KEEP_INDIVIDUAL; // 60 chained IPs, one wide, one hub; the most shared stay individual
    expect(groups().map((b) => b.textContent)).toEqual([`Expand ${ips} IPs`]);
    expect(groups()[0].title).toBe(`${ips} IP addresses shared by accounts in this ring — click to expand`);
    await act(() => groups()[0].click());
    await settle();
    expect(groups()).toEqual([]);
    await act(() => button(root, "Undo expand (1)").click());
    await settle();
    expect(groups().length).toBe(1);
    await act(() => toggle.click());
    await settle();
    expect(groups()).toEqual([]);
    expect(button(root, "Undo expand")).toBeUndefined();
    expect(asked).toEqual([[]]); // opening a group is local: the backend was asked once, for the ring itself
    root.remove();
  });
});

describe("Removing a member", () => {
  it("takes a ticked member out of the ring with the note as reason, lists it, and restores it", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const backend = fakeBackend();
    const r = (await backend.listRings({ sort: "score", descending: true, kind: null, min_score: null, decision: null, offset: 0, limit: 5 })).rings[0];
    const before = r.members.length;
    await act(() => render(<RingView backend={backend} ringId={r.id} onChanged={() => {}} />, root));
    await settle();
    const first = root.querySelector("[data-testid=members-table] tbody tr")!.getAttribute("data-account")!;
    await act(() => root.querySelector<HTMLInputElement>("[data-testid=members-table] tbody input[type=checkbox]")!.click());
    const note = root.querySelector<HTMLInputElement>(".decide input")!;
    await act(() => {
      note.value = "the creator's own test account";
      note.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => [...root.querySelectorAll<HTMLButtonElement>("[data-testid=account-bulk] button")].find((b) => b.textContent === "Remove from ring")!.click());
    await settle();
    expect(backend.calls).toContain(`remove:${r.id}:${first}:the creator's own test account`);
    expect(root.querySelector("[data-testid=removed-members]")?.textContent).toContain(first);
    expect(root.textContent).toContain(`1 account removed from ${r.id}.`);
    expect(r.members.length).toBe(before - 1);
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=removed-members] button")!.click());
    await settle();
    expect(backend.calls).toContain(`restore:${r.id}:${first}`);
    expect(root.querySelector("[data-testid=removed-members]")).toBeNull();
    root.remove();
  });
});

describe("Keyboard triage", () => {
  it("moves with j/k, decides with c and advances, saves a note with Enter, counts reviewed rings", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const backend = fakeBackend();
    await act(() => render(<App backend={backend} />, root));
    await settle(3);
    expect(root.querySelector("[data-testid=reviewed]")?.textContent).toContain("0 of 3 reviewed");
    await key("j");
    await settle();
    expect(root.querySelector(".ring-head h2")?.textContent).toContain("R-0001");
    await key("j");
    await key("k");
    await key("ArrowDown");
    await settle();
    expect(root.querySelector(".ring-head h2")?.textContent).toContain("R-0002");
    const note = root.querySelector("input[aria-label=Note]") as HTMLInputElement;
    await act(() => {
      note.value = "same device farm";
      note.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await key("Enter", note);
    await settle();
    expect(backend.calls).toContain("note:R-0002:same device farm");
    await key("c");
    await settle(3);
    expect(backend.calls).toContain("decide:R-0002:confirmed:null");
    expect(root.querySelector(".ring-head h2")?.textContent).toContain("R-0003"); // advanced to the next undecided
    await key("d");
    await settle(3);
    expect(backend.calls).toContain("decide:R-0003:dismissed:null");
    expect(root.querySelector(".ring-head h2")?.textContent).toContain("R-0001"); // wrapped to the top
    expect(root.querySelector("[data-testid=reviewed]")?.textContent).toContain("2 of 3 reviewed");
    root.remove();
  });

  it("makes a bulk decision on selected rings", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend();
    document.body.append(root);
    let changed = 0;
    await act(() => render(<RingList backend={backend} selected={null} onSelect={() => {}} version={0} onChanged={() => changed++} />, root));
    await settle();
    const boxes = root.querySelectorAll("tbody input[type=checkbox]");
    await act(() => (boxes[0] as HTMLInputElement).click());
    await act(() => (boxes[2] as HTMLInputElement).click());
    expect(root.querySelector(".bulk")?.textContent).toContain("2 selected");
    await act(() => button(root, "Dismiss all").click());
    await settle();
    expect(backend.calls.filter((c) => c.startsWith("decide:"))).toEqual(["decide:R-0001:dismissed:null", "decide:R-0003:dismissed:null"]);
    expect(changed).toBe(1);
    expect(root.querySelector(".bulk")).toBeNull();
    root.remove();
  });
});

describe("Messages and empty states", () => {
  it("keeps Import disabled until the required fields are mapped", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({
      previewImport: async (path) => ({
        path, file: "odd.csv", header: ["uid", "when"], rows: [["u1", "2026"]], kind: null, detected_as: null, columns: [],
        problem: "odd.csv: unrecognized header; pass --kind and --mapping FILE (see README: Mappings)",
        fields: [["events", "account_id", true], ["events", "timestamp", true], ["events", "ip", false]],
      }) as never,
    });
    await act(() => render(<ImportPanel backend={backend} summary={summary} dropped={["/x/odd.csv"]} onImported={() => {}} />, root));
    await settle();
    const importButton = button(root, "Import 1 file");
    expect(importButton.disabled).toBe(true);
    expect(root.textContent).toContain("Map the required fields first: account_id, timestamp");
    expect(root.textContent).not.toContain("--kind");
    const selects = root.querySelectorAll(".mapping-grid select");
    for (const [i, col] of [[0, "uid"], [1, "when"]] as const) {
      await act(() => {
        (selects[i] as HTMLSelectElement).value = col;
        selects[i].dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    expect(button(root, "Import 1 file").disabled).toBe(false);
  });

  it("opens a new empty case on a prompt to import", async () => {
    const root = document.createElement("div");
    const empty = { ...summary, counts: { ...summary.counts, accounts: 0, payments: 0, events: 0 } };
    await act(() => render(<App backend={fakeBackend({ caseSummary: async () => empty, listRings: async () => ({ total: 0, rings: [], hub_identifiers: 0, placeholder_values: 0 }) })} />, root));
    await settle();
    expect(root.querySelector("[data-testid=empty-case]")?.textContent).toContain("This case is empty");
    await act(() => button(root, "Import files").click());
    expect(root.querySelector(".tab.active")?.textContent).toBe("Import");
  });

  it("shows history as readable entries, not JSON", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({
      history: async () => ({
        chain_ok: true, chain_error: null, notes: [],
        entries: [{ seq: 1, ts: "2026-01-01T10:00:00Z", actor: "ana", action: "decide", item: "R-0001", details: { kind: "ring", state: "confirmed", note: "farm" }, prev_hash: "", hash: "" }],
      }),
    });
    await act(() => render(<HistoryPanel backend={backend} item={null} />, root));
    await settle();
    expect(root.querySelector("tbody")?.textContent).toContain("Confirmed ring R-0001 — “farm”");
    expect(root.textContent).not.toContain("{");
  });

  it("filters the history by kind of entry and by text", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const entry = (seq: number, actor: string, action: string, item: string, details: Value) => ({ seq, ts: "2026-01-01T10:00:00Z", actor, action, item, details, prev_hash: "", hash: "" });
    const backend = fakeBackend({
      history: async () => ({
        chain_ok: true, chain_error: null, notes: [],
        entries: [
          entry(1, "ana", "import", "accounts.csv", { kind: "accounts", rows: { imported: 10, rejected: 0 }, sha256: "ab".repeat(32) }),
          entry(2, "ana", "decide", "R-0001", { kind: "ring", state: "confirmed", note: "farm" }),
          entry(3, "bo", "decide", "u0000013", { kind: "account", state: "dismissed", note: null }),
          entry(4, "bo", "note", "R-0002", { kind: "ring", text: "a couple?" }),
        ],
      }),
    });
    await act(() => render(<HistoryPanel backend={backend} item={null} />, root));
    await settle();
    const rows = () => [...root.querySelectorAll("tbody tr")].map((r) => r.textContent ?? "");
    expect(rows().length).toBe(4);
    const select = root.querySelector<HTMLSelectElement>("select[aria-label='Kind of entry']")!;
    await act(() => {
      select.value = "decisions";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(rows().length).toBe(2);
    const search = root.querySelector<HTMLInputElement>("input[aria-label='Filter history']")!;
    await act(() => {
      search.value = "u0000013";
      search.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(rows()).toEqual([expect.stringContaining("Dismissed account u0000013")]);
    expect(root.querySelector("[data-testid=history-count]")?.textContent).toBe("1 of 4 entries");
    root.remove();
  });
});
