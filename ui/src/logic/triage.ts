// Keyboard triage over the ring list: move with j/k, advance to the next ring without a decision.
import type { Ring } from "../bindings/ipc";

/** The ring `step` places from `current` in the list (the first one when nothing is open), clamped to the ends. */
export function nextRing(rings: Ring[], current: string | null, step: number): string | null {
  if (!rings.length) return null;
  const at = rings.findIndex((r) => r.id === current);
  if (at < 0) return rings[0].id;
  return rings[Math.min(Math.max(at + step, 0), rings.length - 1)].id;
}

/** The next undecided ring after `decided` (wrapping to the top), or null when every other ring has a decision. */
export function nextUndecided(rings: Ring[], decided: string): string | null {
  const at = rings.findIndex((r) => r.id === decided);
  const order = [...rings.slice(at + 1), ...rings.slice(0, Math.max(at, 0))];
  return order.find((r) => r.id !== decided && !r.decision)?.id ?? null;
}
