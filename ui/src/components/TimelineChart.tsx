import { useMemo, useRef, useState } from "preact/hooks";
import type { TimelineEvent } from "../bindings/ipc";
import { binEvents, ticks, TIMELINE_COLORS, TIMELINE_KINDS } from "../logic/timeline";

const W = 1000, H = 150, PAD = 18, BINS = 100;

/**
 * Events per time bin, stacked by kind. Drag across the chart to select a time range (the graph highlights the
 * accounts active in it); a click without a drag clears it.
 */
export function TimelineChart({ events, range, onRange }: { events: TimelineEvent[]; range: [number, number] | null; onRange: (r: [number, number] | null) => void }) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<[number, number] | null>(null);
  const [from, to] = events.length ? [events[0].ts, events[events.length - 1].ts] : [0, 1];
  const bins = useMemo(() => binEvents(events, from, to, BINS), [events]);
  const peak = Math.max(1, ...bins.map((b) => b.total));
  const x = (t: number) => ((t - from) / Math.max(1, to - from)) * W;
  const timeAt = (clientX: number) => {
    const box = svg.current!.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - box.left) / Math.max(1, box.width)));
    return Math.round(from + f * (to - from));
  };
  const shown = drag ?? range;
  const y = (n: number) => ((H - PAD) * n) / peak;
  const finish = (clientX: number) => {
    if (!drag) return;
    const end = timeAt(clientX);
    const [a, b] = [Math.min(drag[0], end), Math.max(drag[0], end)];
    setDrag(null);
    // A click (a drag shorter than half a bin) clears the selection.
    onRange(b - a < (to - from) / BINS / 2 ? null : [a, b]);
  };

  return (
    <div>
      <div class="timeline-legend">
        {TIMELINE_KINDS.map((k) => <span key={k}><i style={{ background: TIMELINE_COLORS[k] }} />{k}</span>)}
        <span class="muted">peak {peak} events per bin · drag to select a time range</span>
      </div>
      <svg
        ref={svg}
        class="timeline-chart"
        data-testid="timeline-chart"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        onMouseDown={(e) => {
          const t = timeAt(e.clientX);
          setDrag([t, t]);
        }}
        onMouseMove={(e) => drag && setDrag([drag[0], timeAt(e.clientX)])}
        onMouseUp={(e) => finish(e.clientX)}
        onMouseLeave={(e) => finish(e.clientX)}
      >
        {bins.map((b, i) => {
          let top = H - PAD;
          return TIMELINE_KINDS.map((k) => {
            const h = y(b.counts[k]);
            if (!h) return null;
            top -= h;
            return <rect key={`${i}-${k}`} x={x(b.start) + 0.5} width={Math.max(1, x(b.end) - x(b.start) - 1)} y={top} height={h} fill={TIMELINE_COLORS[k]}><title>{`${new Date(b.start).toISOString().slice(0, 16)}: ${b.counts[k]} ${k}`}</title></rect>;
          });
        })}
        <line x1={0} x2={W} y1={H - PAD} y2={H - PAD} stroke="currentColor" opacity={0.3} />
        {ticks(from, to).map(([t, label]) => <text key={t} class="axis" x={x(t)} y={H - 4} text-anchor="middle">{label}</text>)}
        {shown && <rect class="brush" x={x(shown[0])} width={Math.max(1, x(shown[1]) - x(shown[0]))} y={0} height={H - PAD} />}
      </svg>
    </div>
  );
}
