// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { App } from "../components/App";
import { RingList } from "../components/RingList";
import { AccountDetails } from "../components/AccountDetails";
import { fakeBackend } from "./fake";

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe("App", () => {
  it("opens straight into a case the backend already has open", async () => {
    const root = document.createElement("div");
    await act(() => render(<App backend={fakeBackend()} />, root));
    await settle();
    await settle();
    expect(root.textContent).toContain("Sample <b>case</b>");
    expect(root.querySelector("b")).toBeNull(); // a hostile title is text, not markup
    expect(root.textContent).toContain("R-0001");
  });

  it("shows the start screen with the error when the case cannot be opened", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({ caseSummary: async () => { throw { code: "not_a_case", message: "x.db: not a Ringscope case file" }; } });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    expect(root.textContent).toContain("not a Ringscope case file");
    expect(root.textContent).toContain("New case");
  });
});

describe("RingList", () => {
  it("lists rings, renders hostile values as text, and sorts by a clicked column", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend();
    let chosen = "";
    await act(() => render(<RingList backend={backend} selected={null} onSelect={(id) => (chosen = id)} version={0} />, root));
    await settle();
    const rows = root.querySelectorAll("tbody tr");
    expect(rows.length).toBe(2);
    expect(root.querySelector("img")).toBeNull();
    const score = [...root.querySelectorAll("th")].find((th) => th.textContent?.startsWith("Score"))!;
    await act(() => {
      score.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    await settle();
    expect(backend.calls).toContain("listRings:score:false");
    await act(() => {
      (rows[0] as HTMLElement).dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    expect(chosen).toMatch(/^R-000/);
  });
});

describe("AccountDetails", () => {
  it("shows an account's imported values as text, never markup", async () => {
    const root = document.createElement("div");
    await act(() => render(<AccountDetails backend={fakeBackend()} accountId="u1" />, root));
    await settle();
    expect(root.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(root.querySelector("img")).toBeNull();
    expect(root.textContent).toContain("accounts.csv:7");
  });
});
