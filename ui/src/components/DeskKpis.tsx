import type { ComponentChildren } from "preact";
import type { CaseType, Kpis, Spread } from "../bindings/ipc";
import { duration, moneyList, plural, share, statusLabel, STATUSES, when } from "../logic/desk";
import { reasonLabel } from "../logic/reasons";
import { BarList, ShareBar, WeekBars, type Bar } from "./KpiCharts";

function Kpi({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="kpi" data-testid={id} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function spreadBars(s: Spread): Bar[] {
  if (!s.count) return [];
  return [
    { label: "median", value: s.median_hours ?? 0, text: duration(s.median_hours) },
    { label: "90th percentile", value: s.p90_hours ?? 0, text: duration(s.p90_hours) },
  ];
}

function counted(map: Record<string, number>, name: (key: string) => string): Bar[] {
  return Object.entries(map)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => ({ label: name(key), value: n, text: String(n), title: key }));
}

/** The desk's program KPIs, as of `kpis.as_of`. */
export function DeskKpis({ kpis, types, onOpenCase }: { kpis: Kpis; types: CaseType[]; onOpenCase: (file: string) => void }) {
  const typeName = (id: string) => (id === "untyped" ? "untyped" : types.find((t) => t.id === id)?.name ?? id);
  const weeksShown = Math.min(kpis.weeks.length, 12);
  return (
    <div class="kpis" data-testid="kpi-panel">
      <p class="small muted">As of {when(kpis.as_of)} UTC</p>
      <Kpi id="kpi-status" title="Cases">
        <p data-testid="kpi-cases">
          <strong>{plural(kpis.cases, "case")}</strong>
          {STATUSES.map((s) => <span key={s} class="small"> · {kpis.by_status[s] ?? 0} {statusLabel(s)}</span>)}
        </p>
      </Kpi>
      <Kpi id="kpi-weeks" title="Opened and closed per week">
        <WeekBars weeks={kpis.weeks} />
        {kpis.weeks.length > 0 && (
          <p class="small legend-line">
            <i class="swatch opened" /> opened {kpis.weeks.slice(-12).reduce((n, w) => n + w.opened, 0)} · <i class="swatch closed" /> closed{" "}
            {kpis.weeks.slice(-12).reduce((n, w) => n + w.closed, 0)} <span class="muted">(last {plural(weeksShown, "active week")})</span>
          </p>
        )}
      </Kpi>
      <Kpi id="kpi-first-decision" title="Time to first decision">
        <BarList bars={spreadBars(kpis.time_to_first_decision)} label="Time to first decision" empty="No decisions yet." />
        {kpis.time_to_first_decision.count > 0 && <p class="small muted">over {plural(kpis.time_to_first_decision.count, "case")}</p>}
      </Kpi>
      <Kpi id="kpi-close" title="Time to close">
        <BarList bars={spreadBars(kpis.time_to_close)} label="Time to close" empty="No closed cases yet." />
        {kpis.time_to_close.count > 0 && <p class="small muted">over {plural(kpis.time_to_close.count, "closed case")}</p>}
      </Kpi>
      <Kpi id="kpi-sla" title="Closed within SLA">
        {kpis.closed_with_sla && kpis.closed_within_sla_share !== null ? (
          <>
            <p><strong>{share(kpis.closed_within_sla_share)}</strong> <span class="small">({kpis.closed_within_sla} of {plural(kpis.closed_with_sla, "closed case")} with a due date)</span></p>
            <ShareBar fraction={kpis.closed_within_sla_share} label="Closed within SLA" />
          </>
        ) : <p class="muted small kpi-empty">No closed cases yet.</p>}
      </Kpi>
      <Kpi id="kpi-oldest" title="Oldest open case">
        {kpis.oldest_open ? (
          <p>
            <button class="link" onClick={() => onOpenCase(kpis.oldest_open!.file)} title={kpis.oldest_open.file}><bdi>{kpis.oldest_open.title}</bdi></button>
            <span class="small"> · opened {when(kpis.oldest_open.opened_at).slice(0, 10)}, {plural(Math.floor(kpis.oldest_open.age_days), "day")} ago</span>
          </p>
        ) : <p class="muted small kpi-empty">No open cases.</p>}
      </Kpi>
      <Kpi id="kpi-overturned" title="Overturned decisions">
        {kpis.overturned ? (
          <>
            <p><strong>{plural(kpis.overturned, "decision")}</strong> changed later</p>
            <h4 class="small">By case type</h4>
            <BarList bars={counted(kpis.overturned_by_case_type, typeName)} label="Overturned by case type" empty="–" />
            <h4 class="small">By ring reason</h4>
            <BarList bars={counted(kpis.overturned_by_ring_reason, reasonLabel)} label="Overturned by ring reason" empty="No ring decisions overturned." />
          </>
        ) : <p class="muted small kpi-empty">No decisions overturned.</p>}
      </Kpi>
      <Kpi id="kpi-confirmed" title="Confirmed rings">
        {kpis.confirmed_rings ? (
          <p><strong>{plural(kpis.confirmed_rings, "ring")}</strong> confirmed · <span data-testid="kpi-confirmed-money">{moneyList(kpis.confirmed_money)}</span></p>
        ) : <p class="muted small kpi-empty">No rings confirmed yet.</p>}
      </Kpi>
      <Kpi id="kpi-dismissed" title="Dismissed">
        {kpis.decided && kpis.dismissed_share !== null ? (
          <>
            <p><strong>{share(kpis.dismissed_share)}</strong> <span class="small">({kpis.dismissed} of {plural(kpis.decided, "decision")} dismissed)</span></p>
            <ShareBar fraction={kpis.dismissed_share} label="Decisions dismissed" />
          </>
        ) : <p class="muted small kpi-empty">No decisions yet.</p>}
      </Kpi>
    </div>
  );
}
