// Small KPI charts as plain SVG. Each chart carries its numbers as text too: an aria-label for screen readers and the
// values printed beside the bars, so nothing is only a bar length.
import type { Week } from "../bindings/ipc";

const WIDTH = 340;

/** Cases opened and closed per ISO week (the last `max` weeks with any activity), as paired bars. */
export function WeekBars({ weeks, max = 12 }: { weeks: Week[]; max?: number }) {
  const shown = weeks.slice(-max);
  if (!shown.some((w) => w.opened || w.closed)) return <p class="muted small kpi-empty">No cases opened yet.</p>;
  const H = 120, BASE = 100, TOP = 14;
  const peak = Math.max(1, ...shown.flatMap((w) => [w.opened, w.closed]));
  const slot = WIDTH / shown.length;
  const bar = Math.max(3, Math.min(14, slot / 2 - 3));
  const h = (n: number) => ((BASE - TOP) * n) / peak;
  const words = shown.map((w) => `${w.week}: ${w.opened} opened, ${w.closed} closed`).join("; ");
  return (
    <svg class="kpi-chart" viewBox={`0 0 ${WIDTH} ${H}`} role="img" aria-label={`Cases per week. ${words}`}>
      {shown.map((w, i) => {
        const mid = i * slot + slot / 2;
        return (
          <g key={w.week}>
            <rect class="opened" x={mid - bar - 1} width={bar} y={BASE - h(w.opened)} height={h(w.opened)}><title>{`${w.week}: ${w.opened} opened`}</title></rect>
            <rect class="closed" x={mid + 1} width={bar} y={BASE - h(w.closed)} height={h(w.closed)}><title>{`${w.week}: ${w.closed} closed`}</title></rect>
            {w.opened > 0 && <text class="value" x={mid - bar / 2 - 1} y={BASE - h(w.opened) - 3} text-anchor="middle">{w.opened}</text>}
            {w.closed > 0 && <text class="value" x={mid + bar / 2 + 1} y={BASE - h(w.closed) - 3} text-anchor="middle">{w.closed}</text>}
            <text class="axis" x={mid} y={H - 6} text-anchor="middle">{w.week.slice(5)}</text>
          </g>
        );
      })}
      <line class="baseline" x1={0} x2={WIDTH} y1={BASE} y2={BASE} />
    </svg>
  );
}

export type Bar = { label: string; value: number; text: string; title?: string };

/** Labelled horizontal bars, longest value = full width; `empty` when there is nothing to draw. */
export function BarList({ bars, empty, label }: { bars: Bar[]; empty: string; label: string }) {
  if (!bars.length) return <p class="muted small kpi-empty">{empty}</p>;
  const ROW = 18, LABEL = 150, VALUE = 70;
  const room = WIDTH - LABEL - VALUE;
  const peak = Math.max(...bars.map((b) => b.value), 0) || 1;
  const clip = (s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s);
  return (
    <svg class="kpi-chart" viewBox={`0 0 ${WIDTH} ${bars.length * ROW + 2}`} role="img" aria-label={`${label}: ${bars.map((b) => `${b.label} ${b.text}`).join("; ")}`}>
      {bars.map((b, i) => (
        <g key={b.label}>
          <title>{`${b.title ?? b.label}: ${b.text}`}</title>
          <text class="label" x={0} y={i * ROW + 13}>{clip(b.label)}</text>
          <rect class="kpi-fill" x={LABEL} y={i * ROW + 4} width={Math.max(1, (room * Math.max(0, b.value)) / peak)} height={ROW - 7} />
          <text class="value" x={WIDTH} y={i * ROW + 13} text-anchor="end">{b.text}</text>
        </g>
      ))}
    </svg>
  );
}

/** A fraction as a filled bar (0..1). */
export function ShareBar({ fraction, label }: { fraction: number; label: string }) {
  const f = Math.min(1, Math.max(0, fraction));
  return (
    <svg class="kpi-chart share" viewBox={`0 0 ${WIDTH} 10`} preserveAspectRatio="none" role="img" aria-label={`${label}: ${Math.round(f * 100)}%`}>
      <rect class="track" x={0} y={0} width={WIDTH} height={10} rx={3} />
      <rect class="kpi-fill" x={0} y={0} width={WIDTH * f} height={10} rx={3} />
    </svg>
  );
}
