// @vitest-environment jsdom
// Correcting what detection found (issue #16): split ticked members into a ring of their own, merge ticked rings,
// undo either, and export a packet of just the ticked accounts.
import { describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { RingList } from "../components/RingList";
import { RingView } from "../components/RingView";
import { fakeBackend } from "./fake";

async function settle(times = 2) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

const query = { sort: "score" as const, descending: true, kind: null, min_score: null, decision: null, offset: 0, limit: 5 };

function mount() {
  const root = document.createElement("div");
  document.body.append(root);
  return root;
}

async function tick(root: Element, ...rows: number[]) {
  const boxes = root.querySelectorAll<HTMLInputElement>("[data-testid=members-table] tbody input[type=checkbox]");
  for (const i of rows) await act(() => boxes[i].click());
}

async function typeNote(root: Element, text: string) {
  const note = root.querySelector<HTMLInputElement>(".decide input")!;
  await act(() => {
    note.value = text;
    note.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

describe("Splitting a ring", () => {
  it("moves ticked members into a new ring with the note as reason, lists the split, and undoes it", async () => {
    const root = mount();
    const backend = fakeBackend();
    const r = (await backend.listRings(query)).rings[0];
    r.members = ["a1", "a2", "a3", "a4", "a5"];
    await act(() => render(<RingView backend={backend} ringId={r.id} onChanged={() => {}} />, root));
    await settle();
    // One ticked account is no ring: the split is offered only with two or more on each side.
    await tick(root, 0);
    expect(root.querySelector("[data-testid=split-ring]")).toBeNull();
    await tick(root, 1);
    await typeNote(root, "a second crew on the same proxy");
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=split-ring]")!.click());
    await settle();
    const split = backend.calls.find((c) => c.startsWith("split:"))!;
    expect(split).toMatch(new RegExp(`^split:${r.id}:[^:]+,[^:]+:a second crew on the same proxy$`));
    expect(r.members.length).toBe(3);
    expect(root.textContent).toMatch(/2 accounts split off into R-\d{4}\./);
    const edits = root.querySelector("[data-testid=ring-edits]")!;
    expect(edits.textContent).toContain("2 accounts were split off into");
    await act(() => edits.querySelector("button")!.click());
    await settle();
    expect(backend.calls.some((c) => c.startsWith("undo:"))).toBe(true);
    expect(root.textContent).toContain("Split or merge undone.");
    root.remove();
  });
});

describe("Undoing a split from the split-off ring", () => {
  it("goes to the ring the accounts went back to, since the ring shown is retired", async () => {
    const root = mount();
    const backend = fakeBackend();
    const r = (await backend.listRings(query)).rings[0];
    r.members = ["a1", "a2", "a3", "a4", "a5"];
    const split = await backend.splitRing(r.id, ["a4", "a5"], null);
    let opened = "";
    let changed = 0;
    await act(() => render(<RingView backend={backend} ringId={split.edit.other_ring} onChanged={() => changed++} onOpenRing={(id) => (opened = id)} />, root));
    await settle();
    const edits = root.querySelector("[data-testid=ring-edits]")!;
    expect(edits.textContent).toContain(`Split off from ${r.id}`);
    await act(() => edits.querySelector("button")!.click());
    await settle();
    expect(opened).toBe(r.id);
    expect(changed).toBe(1);
    root.remove();
  });
});

describe("Exporting a selection", () => {
  it("exports only the ticked accounts, and can go back to the whole ring", async () => {
    const root = mount();
    const sent: unknown[] = [];
    const backend = fakeBackend({
      pick: async () => ["/out"],
      exportPacket: async (input) => {
        sent.push(input);
        throw { code: "export", message: "disk full" };
      },
    });
    const r = (await backend.listRings(query)).rings[0];
    await act(() => render(<RingView backend={backend} ringId={r.id} onChanged={() => {}} />, root));
    await settle();
    const first = root.querySelector("[data-testid=members-table] tbody tr")!.getAttribute("data-account");
    await tick(root, 0);
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=export-accounts]")!.click());
    await settle();
    expect(root.querySelector("[data-testid=export-subjects]")?.textContent).toContain("1 selected account");
    const exportButton = () => [...root.querySelectorAll("button")].find((b) => b.textContent === "Export packet…")!;
    await act(() => exportButton().click());
    await settle();
    expect(sent[0]).toMatchObject({ ring_id: null, accounts: [first] });
    await act(() => [...root.querySelectorAll("button")].find((b) => b.textContent === "Export the whole ring instead")!.click());
    await act(() => exportButton().click());
    await settle();
    expect(sent[1]).toMatchObject({ ring_id: r.id, accounts: [] });
    root.remove();
  });
});

describe("Merging rings", () => {
  it("folds the other ticked rings into the best-ranked one and opens it", async () => {
    const root = mount();
    const backend = fakeBackend();
    let opened = "";
    await act(() => render(<RingList backend={backend} selected={null} onSelect={(id) => (opened = id)} version={0} />, root));
    await settle();
    const boxes = root.querySelectorAll<HTMLInputElement>("tbody input[type=checkbox]");
    await act(() => boxes[0].click());
    expect(root.querySelector("[data-testid=merge-rings]")).toBeNull();
    await act(() => boxes[1].click());
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=merge-rings]")!.click());
    await settle();
    expect(backend.calls).toContain("merge:R-0001:R-0002:");
    expect(opened).toBe("R-0001");
    root.remove();
  });
});
