// Timeline binning for the ring chart: events counted per time bin, stacked by kind.
export const TIMELINE_KINDS = ["signup", "login", "payment", "decline", "dispute", "ticket"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const TIMELINE_COLORS: Record<TimelineKind, string> = {
  signup: "#2f6fb0", login: "#8e98a5", payment: "#3a9a5b", decline: "#d9822b", dispute: "#c0392b", ticket: "#7d4fb5",
};

export type Bin = { start: number; end: number; counts: Record<TimelineKind, number>; total: number };

/** The chart's kind for an event kind from the backend (logins and other device events are one lane). */
export function timelineKind(kind: string): TimelineKind {
  return (TIMELINE_KINDS as readonly string[]).includes(kind) ? (kind as TimelineKind) : "login";
}

/** `bins` equal bins over [from, to]; an event at `to` falls in the last bin. */
export function binEvents(events: { ts: number; kind: string }[], from: number, to: number, bins: number): Bin[] {
  const width = Math.max(1, (to - from) / bins);
  const out: Bin[] = Array.from({ length: bins }, (_, i) => ({
    start: from + i * width, end: from + (i + 1) * width, total: 0,
    counts: { signup: 0, login: 0, payment: 0, decline: 0, dispute: 0, ticket: 0 },
  }));
  for (const e of events) {
    if (e.ts < from || e.ts > to) continue;
    const bin = out[Math.min(bins - 1, Math.floor((e.ts - from) / width))];
    bin.counts[timelineKind(e.kind)] += 1;
    bin.total += 1;
  }
  return out;
}

/** Tick positions: about `count` round dates across the span, as [ms, label]. */
export function ticks(from: number, to: number, count = 6): [number, string][] {
  if (to <= from) return [[from, new Date(from).toISOString().slice(0, 10)]];
  const day = 86_400_000;
  const step = Math.max(day, Math.ceil((to - from) / count / day) * day);
  const first = Math.ceil(from / day) * day;
  const out: [number, string][] = [];
  for (let t = first; t <= to; t += step) out.push([t, new Date(t).toISOString().slice(step >= 28 * day ? 0 : 5, step >= 28 * day ? 7 : 10)]);
  return out;
}
