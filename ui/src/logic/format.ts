// Pure presentation logic, unit-tested without a browser.
import type { Amount, Ring, TimelineEvent } from "../bindings/ipc";
import { CURRENCY_EXPONENTS } from "../bindings/currencyExponents";

/**
 * Integer minor units as a decimal string with the currency's ISO 4217 exponent, exactly (no floating point),
 * the sign kept between -1 and 0. The exponents come from Rust (`ringscope_model::money`, generated into
 * bindings/currencyExponents.ts); an unknown currency is said to be so, never guessed.
 */
export function money(minor: number, currency: string): string {
  const exp = CURRENCY_EXPONENTS[currency];
  if (!currency) return `${minor} minor units (no currency)`;
  if (exp === undefined) return `${minor} minor units of ${currency} (unknown currency)`;
  const sign = minor < 0 ? "-" : "";
  const digits = Math.abs(minor).toString().padStart(exp + 1, "0");
  const whole = digits.slice(0, digits.length - exp).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${whole}${exp ? "." + digits.slice(digits.length - exp) : ""} ${currency}`;
}

/** A timeline row's detail: payments show their amount with the currency's exponent (9.99 USD, not 999). */
export function timelineDetail(e: TimelineEvent): string {
  if (e.amount_minor === null || e.currency === null) return e.detail;
  const to = e.detail.lastIndexOf(" to ");
  return `${money(e.amount_minor, e.currency)}${to >= 0 ? e.detail.slice(to) : ""}`;
}

export function amounts(list: Amount[]): string {
  return list.length ? list.map((a) => money(a.paid_minor, a.currency)).join(" · ") : "–";
}

export function date(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "–";
}

/** Distinct binding identifier kinds of a ring, in a fixed order. */
export function boundBy(ring: Ring): string[] {
  const order = ["device", "card", "email", "phone", "ip"];
  const kinds = new Set(ring.binding.map((b) => b.kind as string));
  return order.filter((k) => kinds.has(k));
}

export function topReasons(ring: Ring, n = 3): string[] {
  return [...ring.reasons].sort((a, b) => b.contribution - a.contribution).slice(0, n).map((r) => `${r.feature} +${r.contribution.toFixed(1)}`);
}

export const NODE_STYLE: Record<string, { color: string; label: string; size: number }> = {
  account: { color: "#2f6fb0", label: "account", size: 9 },
  creator: { color: "#d9822b", label: "creator", size: 9 },
  device: { color: "#3a9a5b", label: "device", size: 6 },
  card: { color: "#8e44ad", label: "card", size: 6 },
  email: { color: "#16a2a8", label: "email", size: 6 },
  phone: { color: "#7a5c3a", label: "phone", size: 6 },
  ip: { color: "#7f8c8d", label: "IP", size: 5 },
};

export function nodeStyle(kind: string, hub: boolean) {
  const base = NODE_STYLE[kind] ?? { color: "#555555", label: kind, size: 5 };
  return hub ? { ...base, color: "#c0392b", label: `${base.label} (hub)` } : base;
}

/** Events between two instants (inclusive), for highlighting accounts active in a time range. */
export function accountsActiveBetween(events: { ts: number; account: string }[], from: number, to: number): Set<string> {
  return new Set(events.filter((e) => e.ts >= from && e.ts <= to).map((e) => e.account));
}
