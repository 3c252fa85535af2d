// Pure presentation logic, unit-tested without a browser.
import type { Amount } from "../bindings/Amount";
import type { Ring } from "../bindings/Ring";

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

/** Integer minor units as a decimal string, exactly (no floating point). */
export function money(minor: number, currency: string): string {
  const exp = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  const sign = minor < 0 ? "-" : "";
  const digits = Math.abs(minor).toString().padStart(exp + 1, "0");
  const whole = digits.slice(0, digits.length - exp).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${whole}${exp ? "." + digits.slice(digits.length - exp) : ""} ${currency}`;
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
