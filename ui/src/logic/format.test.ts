import { describe, expect, it } from "vitest";
import { accountsActiveBetween, money, nodeStyle, timelineDetail } from "./format";

describe("money", () => {
  it("formats integer minor units exactly, per currency exponent", () => {
    expect(money(123456, "USD")).toBe("1,234.56 USD");
    expect(money(5, "USD")).toBe("0.05 USD");
    expect(money(-50, "EUR")).toBe("-0.50 EUR");
    expect(money(1500, "JPY")).toBe("1,500 JPY");
    expect(money(1250, "KWD")).toBe("1.250 KWD");
    // 0.1 + 0.2 style drift cannot happen: no floating point is involved.
    expect(money(30, "USD")).toBe("0.30 USD");
    expect(money(999, "USD")).toBe("9.99 USD");
    expect(money(1000, "JPY")).toBe("1,000 JPY");
    expect(money(1234, "KWD")).toBe("1.234 KWD");
    expect(money(-50, "USD")).toBe("-0.50 USD");
    expect(money(-5, "KWD")).toBe("-0.005 KWD");
  });
  it("says when a currency is unknown instead of guessing its exponent", () => {
    expect(money(999, "XYZ")).toBe("999 minor units of XYZ (unknown currency)");
    expect(money(999, "")).toBe("999 minor units (no currency)");
  });
  it("shows timeline payments in major units (9.99 USD, not 999 USD)", () => {
    const e = { ts: 0, account: "u1", kind: "payment", detail: "9.99 USD to c1", amount_minor: 999, currency: "USD" };
    expect(timelineDetail(e)).toBe("9.99 USD to c1");
    expect(timelineDetail({ ...e, amount_minor: 100000, currency: "JPY", detail: "100000 JPY to c2" })).toBe("100,000 JPY to c2");
    expect(timelineDetail({ ts: 0, account: "u1", kind: "login", detail: "1.2.3.4 d1", amount_minor: null, currency: null })).toBe("1.2.3.4 d1");
  });
});

describe("graph styling", () => {
  it("marks hubs whatever their kind", () => {
    expect(nodeStyle("ip", true).label).toBe("IP (hub)");
    expect(nodeStyle("device", false).color).toBe("#3a9a5b");
    expect(nodeStyle("unknown-kind", false).size).toBeGreaterThan(0);
  });
});

describe("timeline selection", () => {
  it("finds the accounts active in a range", () => {
    const events = [
      { ts: 10, account: "a" },
      { ts: 20, account: "b" },
      { ts: 30, account: "c" },
    ];
    expect([...accountsActiveBetween(events, 15, 30)].sort()).toEqual(["b", "c"]);
    expect(accountsActiveBetween(events, 31, 40).size).toBe(0);
  });
});
