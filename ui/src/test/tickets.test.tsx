// @vitest-environment jsdom
// Support tickets (issue #15): a case reference opens its Zendesk ticket through the backend, a ticket export is
// imported from the import pane, and an account shows its tickets and watchlist flags.
import { describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { App } from "../components/App";
import { AccountDetails } from "../components/AccountDetails";
import { UserName } from "../components/UserName";
import { ImportPanel } from "../components/ImportPanel";
import { fakeBackend, summary, type FakeOptions } from "./fake";
import { DESK_DIR } from "./fakeDesk";

async function settle(times = 3) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

function mount() {
  const root = document.createElement("div");
  document.body.append(root);
  return root;
}

/** The app on the start screen, then the fake desk opened with "Open desk…"; `picks` answer the other dialogs. */
async function openDesk(picks: FakeOptions["picks"] = {}, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const root = mount();
  const backend = fakeBackend(overrides, { noCase: true, picks: { desk_folder: [DESK_DIR], ...picks } });
  await act(() => render(<App backend={backend} />, root));
  await settle();
  await click(root, "open-desk");
  return { root, backend };
}

async function click(root: Element, testid: string) {
  await act(() => root.querySelector<HTMLButtonElement>(`[data-testid=${testid}]`)!.click());
  await settle();
}

describe("Ticket links", () => {
  it("opens a case's ticket without opening the case, and only cases with a link offer it", async () => {
    const { root, backend } = await openDesk();
    const links = root.querySelectorAll<HTMLButtonElement>("[data-testid=open-ticket]");
    expect(links.length).toBe(1);
    expect(links[0].textContent).toContain("ZD-48213");
    await act(() => links[0].click());
    await settle();
    expect(backend.calls).toContain("open-ticket:chargeback-mira.ringscope");
    // Still on the desk: the row's own click (open the case) did not fire.
    expect(root.querySelector("[data-testid=desk-view]")).not.toBeNull();
    root.remove();
  });
});

describe("Weekly review", () => {
  it("writes the program review PDF into a picked folder and says where", async () => {
    const { root, backend } = await openDesk({ export_folder: ["/reviews"] });
    await click(root, "desk-review");
    expect(backend.calls).toContain("review:/reviews");
    expect(root.querySelector("[data-testid=desk-review-done]")?.textContent).toContain("/reviews/program-review-2026-W48.pdf");
    root.remove();
  });
});

describe("Ticket import", () => {
  it("imports a picked Zendesk export and says what it attached", async () => {
    const root = mount();
    const backend = fakeBackend({ pick: async (purpose) => (purpose === "ticket_export" ? ["/exports/tickets.json"] : []) });
    let imported = 0;
    await act(() => render(<ImportPanel backend={backend} summary={summary} dropped={[]} onImported={() => imported++} />, root));
    await act(() => [...root.querySelectorAll("button")].find((b) => b.textContent === "Import Zendesk tickets…")!.click());
    await settle();
    expect(backend.calls).toContain("tickets:/exports/tickets.json");
    expect(root.querySelector("[data-testid=ticket-result]")?.textContent).toContain("4 tickets (4 new, 0 updated); 2 requested by accounts of this case, 1 without a requester email");
    expect(imported).toBe(1);
    root.remove();
  });

  it("shows a refused export in words", async () => {
    const root = mount();
    const backend = fakeBackend({
      pick: async () => ["/exports/broken.json"],
      importTickets: async () => {
        throw { code: "tickets", message: "broken.json:3:12: not valid JSON: expected value" };
      },
    });
    await act(() => render(<ImportPanel backend={backend} summary={summary} dropped={[]} onImported={() => {}} />, root));
    await act(() => [...root.querySelectorAll("button")].find((b) => b.textContent === "Import Zendesk tickets…")!.click());
    await settle();
    expect(root.querySelector("[data-testid=ticket-import] [role=alert]")?.textContent).toContain("broken.json:3:12");
    root.remove();
  });
});

describe("Account card", () => {
  it("lists the account's tickets and watchlist flags as text", async () => {
    const root = mount();
    const backend = fakeBackend();
    const record = await backend.accountDetail("u1");
    const flagged = {
      ...record,
      watch_flags: [{ account_id: "u1", kind: "device", value: "dev-9", case_uid: "c0", case_title: "Old <i>case</i>", ring_id: "R-0004" }],
    };
    await act(() => render(<AccountDetails backend={fakeBackend({ accountDetail: async () => flagged })} accountId="u1" />, root));
    await settle();
    const ticket = root.querySelector("[data-testid=account-ticket]")!;
    expect(ticket.textContent).toContain("ticket #90102");
    expect(ticket.textContent).toContain("Refund <b>please</b>");
    expect(ticket.querySelector("b")).toBeNull();
    const flag = root.querySelector("[data-testid=account-watch-flag]")!;
    expect(flag.textContent).toContain("device dev-9 was confirmed in Old <i>case</i>, ring R-0004");
    root.remove();
  });
});

describe("Who the history names", () => {
  it("sends a chosen name, keeps it between sessions, and clears it back to the case's investigator", async () => {
    localStorage.removeItem("ringscope.user");
    const root = mount();
    const backend = fakeBackend();
    let actor = "";
    await act(() => render(<UserName backend={backend} actor="ana" onActor={(a) => (actor = a)} />, root));
    expect(root.querySelector("[data-testid=user-name]")?.textContent).toContain("ana");
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=user-name]")!.click());
    const input = root.querySelector<HTMLInputElement>("[data-testid=user-form] input")!;
    await act(() => {
      input.value = "Bo <b>Lind</b>";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=user-form] button[type=submit]")!.click());
    await settle();
    expect(backend.calls).toContain("user:Bo <b>Lind</b>");
    expect(actor).toBe("Bo <b>Lind</b>");
    expect(localStorage.getItem("ringscope.user")).toBe("Bo <b>Lind</b>");
    await act(() => render(<UserName backend={backend} actor={actor} onActor={(a) => (actor = a)} />, root));
    expect(root.querySelector("b")).toBeNull();
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=user-name]")!.click());
    await act(() => [...root.querySelectorAll<HTMLButtonElement>("[data-testid=user-form] button")].find((b) => b.textContent === "Clear")!.click());
    await settle();
    expect(actor).toBe("ana");
    expect(localStorage.getItem("ringscope.user")).toBeNull();
    root.remove();
  });
});

describe("Sharing the watchlist", () => {
  it("exports it as CSV into a picked folder and adds another team's", async () => {
    const { root, backend } = await openDesk({ export_folder: ["/share"], watchlist_file: ["/share/theirs.csv"] });
    await click(root, "desk-tab-watchlist");
    await click(root, "watchlist-export");
    expect(backend.calls).toContain("watchlist-export:/share");
    expect(root.querySelector("[data-testid=watchlist-shared]")?.textContent).toBe("3 entries written to /share/watchlist.csv");
    await click(root, "watchlist-import");
    expect(backend.calls).toContain("watchlist-import:/share/theirs.csv");
    expect(root.querySelector("[data-testid=watchlist-shared]")?.textContent).toBe("2 entries added from /share/theirs.csv");
    root.remove();
  });
});

describe("A failed watchlist import", () => {
  it("says why beside the buttons and keeps the list", async () => {
    const { root } = await openDesk({ watchlist_file: ["/share/theirs.csv"] }, { importWatchlist: async () => { throw { code: "invalid", message: "theirs.csv line 3: kind must be device, card, email, phone or ip, with a value" }; } });
    await click(root, "desk-tab-watchlist");
    await click(root, "watchlist-import");
    expect(root.querySelector("[data-testid=watchlist-share-error]")?.textContent).toContain("theirs.csv line 3");
    expect(root.querySelector("[data-testid=watchlist]")).not.toBeNull();
    root.remove();
  });
});
