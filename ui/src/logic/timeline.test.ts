import { describe, expect, it } from "vitest";
import { binEvents, ticks, timelineKind } from "./timeline";
import { applyTheme, nextTheme, savedTheme } from "./theme";

describe("binEvents", () => {
  it("counts every event in range exactly once, by kind, with the last instant in the last bin", () => {
    const events = [
      { ts: 0, kind: "signup" }, { ts: 5, kind: "login" }, { ts: 9, kind: "device_change" },
      { ts: 50, kind: "payment" }, { ts: 99, kind: "decline" }, { ts: 100, kind: "dispute" }, { ts: 101, kind: "payment" },
      { ts: 51, kind: "ticket" },
    ];
    const bins = binEvents(events, 0, 100, 10);
    expect(bins).toHaveLength(10);
    expect(bins.reduce((n, b) => n + b.total, 0)).toBe(7); // ts 101 is outside
    expect(bins[0].counts).toEqual({ signup: 1, login: 2, payment: 0, decline: 0, dispute: 0, ticket: 0 });
    expect(bins[5].counts.ticket).toBe(1); // support tickets have their own lane
    expect(bins[5].counts.payment).toBe(1);
    expect(bins[9].counts).toMatchObject({ decline: 1, dispute: 1 });
    expect(timelineKind("password_reset")).toBe("login");
  });

  it("copes with a single instant", () => {
    const bins = binEvents([{ ts: 7, kind: "signup" }], 7, 7, 4);
    expect(bins.reduce((n, b) => n + b.total, 0)).toBe(1);
    expect(ticks(7, 7)).toHaveLength(1);
  });

  it("puts ticks on whole days inside the span", () => {
    const day = 86_400_000;
    const t = ticks(Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 0, 11), 5);
    expect(t.length).toBeGreaterThanOrEqual(4);
    for (const [ms] of t) expect(ms % day).toBe(0);
    expect(t[0][1]).toBe("01-02");
  });
});

describe("theme", () => {
  it("cycles system → light → dark, persists, and only sets data-theme when not following the OS", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    expect(savedTheme(storage)).toBe("system");
    applyTheme(nextTheme("system"), root, storage);
    expect(root.dataset.theme).toBe("light");
    expect(savedTheme(storage)).toBe("light");
    applyTheme("system", root, storage);
    expect(root.dataset.theme).toBeUndefined();
    store.set("ringscope.theme", "<script>");
    expect(savedTheme(storage)).toBe("system");
    expect(nextTheme("dark")).toBe("system");
  });
});
