// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { App } from "../components/App";
import { RingList } from "../components/RingList";
import { AccountDetails } from "../components/AccountDetails";
import { SourceRef } from "../components/SourceRef";
import { AccountSearch } from "../components/AccountSearch";
import { TimelineChart } from "../components/TimelineChart";
import { RingView } from "../components/RingView";
import { CaseStart } from "../components/CaseStart";
import { ExportPanel } from "../components/ExportPanel";
import { ImportPanel } from "../components/ImportPanel";
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
    expect(rows.length).toBe(3);
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

  it("lists the identifiers the account used and its ring", async () => {
    const root = document.createElement("div");
    await act(() => render(<AccountDetails backend={fakeBackend()} accountId="u1" />, root));
    await settle();
    const row = root.querySelector(".identifier-row")!;
    expect(row.textContent).toContain("device");
    expect(row.textContent).toContain("\u202edevice-1");
    expect(row.textContent).toContain("×3");
    expect(root.textContent).toContain("R-0001");
  });

  it("says why when the account is not in the case", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({ accountDetail: async () => { throw { code: "unknown_account", message: "no account u9 in this case" }; } });
    await act(() => render(<AccountDetails backend={backend} accountId="u9" />, root));
    await settle();
    expect(root.textContent).toContain("no account u9 in this case");
  });
});

describe("SourceRef", () => {
  it("opens the original row behind a file:line reference, hostile values as text", async () => {
    const root = document.createElement("div");
    await act(() => render(<SourceRef backend={fakeBackend()} reference="accounts.csv:7" />, root));
    const button = root.querySelector("button")!;
    expect(button.textContent).toBe("accounts.csv:7");
    await act(() => {
      button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    await settle();
    const dialog = root.querySelector("[role=dialog]")!;
    expect(dialog.getAttribute("aria-label")).toBe("Row accounts.csv:7");
    expect(dialog.textContent).toContain("display_name");
    expect(dialog.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(dialog.textContent).toContain("imported");
    expect(root.querySelector("img")).toBeNull();
  });
});

describe("AccountSearch", () => {
  it("finds accounts by an identifier they used, and opens them", async () => {
    const root = document.createElement("div");
    await act(() => render(<AccountSearch backend={fakeBackend()} onOpenRing={() => undefined} />, root));
    const input = root.querySelector("input")!;
    await act(() => {
      input.value = "abc-device";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 250));
    });
    const hit = root.querySelector(".identifier-hit") as HTMLElement;
    expect(hit.textContent).toContain("u0000412");
    expect(hit.textContent).toContain("used device");
    expect(hit.textContent).toContain("abc-device");
    await act(() => {
      hit.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    await settle();
    expect(root.querySelector("[role=dialog]")?.getAttribute("aria-label")).toBe("Account u0000412");
    expect(root.textContent).toContain("Open ring R-0001");
  });

  it("finds accounts, shows hostile names as text, and opens the account's ring", async () => {
    const root = document.createElement("div");
    let opened = "";
    await act(() => render(<AccountSearch backend={fakeBackend()} onOpenRing={(id) => (opened = id)} />, root));
    const input = root.querySelector("input")!;
    await act(() => {
      input.value = "yuki";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 250)); // the search waits for a pause in typing
    });
    const hit = root.querySelector("[role=option]") as HTMLElement;
    expect(hit.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(hit.textContent).toContain("yuki@example.org");
    expect(root.querySelector("img")).toBeNull();
    await act(() => {
      hit.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    await settle();
    expect(root.querySelector("[data-testid=account-details]")?.textContent).toContain("accounts.csv:7");
    const open = [...root.querySelectorAll("button")].find((b) => b.textContent === "Open ring R-0001")!;
    await act(() => {
      open.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
    expect(opened).toBe("R-0001");
  });
});

describe("Drag and drop", () => {
  it("previews files dropped on the window in the import pane", async () => {
    const root = document.createElement("div");
    let drop: (paths: string[]) => void = () => undefined;
    const previewed: string[] = [];
    const backend = fakeBackend({
      onFilesDropped: async (handler) => {
        drop = handler;
        return () => undefined;
      },
      previewImport: async (path) => {
        previewed.push(path);
        return { path, file: "accounts.csv", header: ["account_id"], rows: [["u1"]], kind: "accounts", detected_as: "accounts", columns: [["account_id", "account_id"]], problem: null, fields: [] };
      },
    });
    await act(() => render(<App backend={backend} />, root));
    await settle();
    await act(() => drop(["/exports/accounts.csv"]));
    await settle();
    expect(previewed).toEqual(["/exports/accounts.csv"]);
    expect(root.querySelector(".tab.active")?.textContent).toBe("Import");
  });
});

describe("TimelineChart", () => {
  it("selects a time range by dragging and clears it with a click", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const ranges: ([number, number] | null)[] = [];
    const events = [
      { ts: 0, account: "u1", kind: "signup", detail: "", amount_minor: null, currency: null },
      { ts: 1000, account: "u2", kind: "payment", detail: "9.99 USD to c1", amount_minor: 999, currency: "USD" },
    ];
    await act(() => render(<TimelineChart events={events} range={null} onRange={(r) => ranges.push(r)} />, root));
    const svg = root.querySelector("svg")!;
    svg.getBoundingClientRect = () => ({ left: 0, width: 100, top: 0, height: 10, right: 100, bottom: 10, x: 0, y: 0, toJSON: () => ({}) });
    const pointer = (type: string, clientX: number) => void svg.dispatchEvent(new MouseEvent(type, { bubbles: true, clientX }));
    await act(() => pointer("mousedown", 20));
    await act(() => pointer("mousemove", 60));
    await act(() => pointer("mouseup", 60));
    expect(ranges[0]).toEqual([200, 600]);
    await act(() => pointer("mousedown", 30));
    await act(() => pointer("mouseup", 30));
    expect(ranges[1]).toBeNull();
    expect(svg.querySelectorAll("rect").length).toBeGreaterThanOrEqual(2);
    root.remove();
  });
});

describe("RingView", () => {
  it("lists reasons largest first and says how each binding identifier was read", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend();
    const ring = (await backend.listRings({ offset: 0, limit: 1 } as never)).rings[0];
    ring.reasons.push({ feature: "household_profile", value: 1, contribution: -1.5, detail: "no disputes" });
    ring.binding[0].reading = { verdict: "binds", weight: 1, why: "read as a ring: 100% of the 40 accounts signed up within 72 h" };
    await act(() => render(<RingView backend={backend} ringId={ring.id} onChanged={() => {}} />, root));
    await settle();
    const reasons = [...root.querySelectorAll(".reason strong")].map((e) => e.textContent);
    expect(reasons[reasons.length - 1]).toBe("-1.50");
    expect(reasons[0]?.startsWith("+")).toBe(true);
    const identifiers = [...root.querySelectorAll(".ring-tables .tab")].find((b) => b.textContent?.startsWith("Identifiers")) as HTMLElement;
    await act(() => identifiers.click());
    expect(root.querySelector("[data-testid=identifiers-table]")?.textContent).toContain("read as a ring: 100% of the 40 accounts");
  });
});

describe("ImportPanel", () => {
  it("reports values kept as written, with their file:line:column", async () => {
    const root = document.createElement("div");
    const backend = fakeBackend({
      previewImport: async (path) => ({ path, file: "accounts.csv", header: ["account_id", "phone"], rows: [["u1", "n/a"]], kind: "accounts", detected_as: "accounts", columns: [["account_id", "account_id"], ["phone", "phone"]], problem: null, fields: [] }),
      importFiles: async (_request, onEvent) => {
        onEvent({
          event: "finished",
          report: {
            file: "accounts.csv", sha256: "x", size: 10, kind: "accounts", detected_as: "accounts", source_id: 1, already_imported: false,
            rows: { read: 1, imported: 1, rejected: 0, duplicate: 0, conflicting: 0 }, mapping_saved: false, rejects: [], conflicts: [],
            kept_verbatim: [{ field: "phone", count: 1, examples: [{ file: "accounts.csv", line: 2, column: 2, header: "phone", reason: "not a phone number" }] }],
          },
        });
      },
    });
    const summary = await backend.caseSummary();
    await act(() => render(<ImportPanel backend={backend} summary={summary} dropped={["/x/accounts.csv"]} onImported={() => {}} />, root));
    await settle();
    const button = [...root.querySelectorAll("button")].find((b) => b.textContent?.startsWith("Import 1"))!;
    await act(() => void button.dispatchEvent(new MouseEvent("click", { bubbles: true })));
    await settle();
    const kept = root.querySelector(".kept-verbatim")!;
    expect(kept.textContent).toContain("1 phone");
    expect(kept.textContent).toContain("accounts.csv:2:2: not a phone number");
  });
});

describe("CaseStart", () => {
  it("opens a recent case from an earlier session through the dialog, at that file, instead of failing", async () => {
    localStorage.setItem("ringscope.recent", JSON.stringify(["/cases/zd-4711.ringscope"]));
    const root = document.createElement("div");
    document.body.append(root);
    const picked: (string | null)[] = [];
    const opened: string[] = [];
    const granted = new Set<string>();
    const backend = fakeBackend({
      pick: async (_purpose, _title, suggested) => {
        picked.push(suggested);
        if (suggested) granted.add(suggested);
        return suggested ? [suggested] : [];
      },
      openCase: async (path) => {
        if (!granted.has(path)) throw { code: "not_granted", message: `${path} was not chosen in a dialog; choose it again` };
        return { ...(await fakeBackend().caseSummary()), path };
      },
    });
    await act(() => render(<CaseStart backend={backend} onOpen={(s) => opened.push(s.path)} startupError={null} />, root));
    await act(() => root.querySelector<HTMLAnchorElement>(".recent a")!.click());
    await settle();
    expect(picked).toEqual(["/cases/zd-4711.ringscope"]);
    expect(opened).toEqual(["/cases/zd-4711.ringscope"]);
    expect(root.querySelector("[role=alert]")).toBeNull();
    root.remove();
    localStorage.removeItem("ringscope.recent");
  });
});

describe("ExportPanel", () => {
  it("shows each export step with its counts while the packet is written", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    let finish: () => void = () => undefined;
    const backend = fakeBackend({
      pick: async () => ["/out"],
      exportPacket: (_input, onProgress) => {
        onProgress({ step: "records", done: 1, total: 3, detail: "Writing 1361 payments records (2064 in all)" });
        return new Promise((resolve) => {
          finish = () => resolve({ packet_id: "P-1", folder: "/out/P-1", zip: null, signed_by: null, verification: { ok: true, files_checked: 20, problems: [], signature: { status: "missing" } } as never });
        });
      },
    });
    await act(() => render(<ExportPanel backend={backend} ringId="R-0001" onExported={() => undefined} />, root));
    await act(() => [...root.querySelectorAll("button")].find((b) => b.textContent === "Export packet…")!.click());
    await settle();
    const status = root.querySelector("[data-testid=export-progress]");
    expect(status?.textContent).toContain("Writing 1361 payments records (2064 in all)");
    expect(status?.querySelector("progress")?.getAttribute("value")).toBe("1");
    await act(async () => finish());
    await settle();
    expect(root.querySelector("[data-testid=export-progress]")).toBeNull();
    expect(root.querySelector("[data-testid=export-result]")?.textContent).toContain("P-1");
    root.remove();
  });
});
