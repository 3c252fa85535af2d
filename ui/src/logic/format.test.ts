import { describe, expect, it } from "vitest";
import { accountsActiveBetween, money, nodeStyle } from "./format";

describe("money", () => {
  it("formats integer minor units exactly, per currency exponent", () => {
    expect(money(123456, "USD")).toBe("1,234.56 USD");
    expect(money(5, "USD")).toBe("0.05 USD");
    expect(money(-50, "EUR")).toBe("-0.50 EUR");
    expect(money(1500, "JPY")).toBe("1,500 JPY");
    expect(money(1250, "KWD")).toBe("1.250 KWD");
    // 0.1 + 0.2 style drift cannot happen: no floating point is involved.
    expect(money(30, "USD")).toBe("0.30 USD");
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
