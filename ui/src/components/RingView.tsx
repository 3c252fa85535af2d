import { useEffect, useMemo, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { GraphView } from "../bindings/GraphView";
import type { Explanation } from "../bindings/Explanation";
import type { TimelineEvent } from "../bindings/TimelineEvent";
import type { DecisionState } from "../bindings/DecisionState";
import { accountsActiveBetween, amounts, date, NODE_STYLE, timelineDetail } from "../logic/format";
import { GraphCanvas } from "./GraphCanvas";
import { ExportPanel } from "./ExportPanel";
import { HistoryPanel } from "./HistoryPanel";
import { AccountDetails } from "./AccountDetails";
import { TimelineChart } from "./TimelineChart";

export function RingView({ backend, ringId, onChanged }: { backend: Backend; ringId: string; onChanged: () => void }) {
  const [view, setView] = useState<GraphView | null>(null);
  const [expand, setExpand] = useState<string[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string[]>([]);
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [tab, setTab] = useState<"graph" | "timeline" | "export" | "history">("graph");
  const fail = (e: unknown) => setError(asApiError(e));

  useEffect(() => {
    backend.ringGraph(ringId, expand).then(setView, fail);
  }, [ringId, expand]);
  useEffect(() => {
    if (view) backend.ringTimeline(view.ring.members).then(setEvents, fail);
  }, [view?.ring.id]);

  const highlight = useMemo(() => {
    if (explanation?.linked) {
      const ids = new Set<string>();
      for (const h of explanation.hops) {
        ids.add(`account:${h.from.account}`).add(`account:${h.to.account}`).add(`${h.kind}:${h.value}`);
      }
      return ids;
    }
    if (range) return new Set([...accountsActiveBetween(events, range[0], range[1])].map((a) => `account:${a}`));
    return new Set<string>();
  }, [explanation, range, events]);

  if (!view) return <div class="ring-view muted">{error ? error.message : "Loading ring…"}</div>;
  const ring = view.ring;
  const node = selected.length ? view.nodes.find((n) => n.id === selected[selected.length - 1]) : undefined;
  const accountsSelected = selected.filter((s) => s.startsWith("account:"));
  const decide = async (state: DecisionState) => {
    try {
      await backend.decide(ring.id, state, note.trim() || null);
      setNote("");
      setView({ ...view, ring: { ...ring, decision: { item_kind: "ring", item_id: ring.id, state, note: note.trim() || null, actor: "", ts: "" } } });
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const whyLinked = async () => {
    const [a, b] = accountsSelected.slice(-2).map((s) => s.slice("account:".length));
    try {
      setExplanation(await backend.explainLink(a, b));
    } catch (e) {
      fail(e);
    }
  };
  return (
    <section class="ring-view">
      <header class="ring-head">
        <h2>Ring {ring.id} <span class="muted">score {ring.score.toFixed(2)} · rank {ring.rank}</span></h2>
        <div class="muted small">{ring.counts.accounts} accounts · {ring.counts.devices} devices · {ring.counts.cards} cards · {ring.counts.ips} IPs · {ring.counts.payments} payments ({ring.counts.declines} declined, {ring.counts.disputes} disputed) · {amounts(ring.amounts)} · {date(ring.first_activity)} – {date(ring.last_activity)}</div>
        <div class="decide">
          <span class={`pill ${ring.decision?.state ?? ""}`}>{ring.decision ? ring.decision.state.replace("_", " ") : "undecided"}</span>
          <input placeholder="note for the decision (optional)" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button class="ok" onClick={() => decide("confirmed")}>Confirm</button>
          <button onClick={() => decide("needs_review")}>Needs review</button>
          <button onClick={() => decide("dismissed")}>Dismiss</button>
          <button onClick={() => note.trim() && backend.addNote(ring.id, note).then(() => { setNote(""); onChanged(); }, fail)}>Add note</button>
        </div>
      </header>
      {error && <div class="error" role="alert">{error.message} <button onClick={() => setError(null)}>×</button></div>}
      <div class="reasons">
        {[...ring.reasons].sort((a, b) => b.contribution - a.contribution).map((r) => (
          <div class="reason" key={r.feature} title={r.detail}>
            <span class="mono">{r.feature}</span> <strong>{r.contribution >= 0 ? "+" : ""}{r.contribution.toFixed(2)}</strong> <span class="muted small">{r.detail}</span>
          </div>
        ))}
      </div>
      <div class="bindings small">
        {ring.binding.slice(0, 6).map((b) => (
          <div class="binding" key={`${b.kind}:${b.value}`} title={b.reading.why}>
            <span class={`kind kind-${b.kind}`}>{b.kind}</span> <span class="mono">{b.value}</span> <span class="muted">{b.members.length} of {b.accounts_total} accounts: {b.reading.why}</span>
          </div>
        ))}
        {ring.binding.length > 6 && <div class="muted">and {ring.binding.length - 6} more identifiers</div>}
      </div>
      <nav class="subtabs">
        {(["graph", "timeline", "export", "history"] as const).map((t) => <button key={t} class={tab === t ? "tab active" : "tab"} onClick={() => setTab(t)}>{t}</button>)}
      </nav>
      {tab === "graph" && (
        <div class="graph-pane">
          <GraphCanvas
            view={view}
            hidden={hidden}
            highlight={highlight}
            selected={selected}
            onNode={(id, additive) => {
              setExplanation(null);
              setSelected((s) => (additive ? [...s.filter((x) => x !== id), id] : [id]));
            }}
          />
          <aside class="inspector">
            <div class="legend">
              {Object.entries(NODE_STYLE).map(([k, s]) => <span key={k}><i style={{ background: s.color }} /> {s.label}</span>)}
              <span><i style={{ background: "#c0392b" }} /> hub</span>
            </div>
            <p class="small muted">Click a node; shift-click a second account, then ask why they are linked. Drag to move, scroll to zoom.</p>
            {node && (
              <div class="card">
                <div><strong>{node.label}</strong> <span class="muted">{node.kind}{node.hub ? " (hub)" : ""}</span></div>
                {node.kind !== "account" && node.kind !== "creator" && <div class="small">used by {node.accounts_total} accounts · weight {node.weight.toFixed(2)}</div>}
                {(node.kind === "account" || node.kind === "creator") && <AccountDetails backend={backend} accountId={node.label} />}
                <div class="row">
                  <button onClick={() => setExpand((x) => [...new Set([...x, node.id])])}>Expand one hop</button>
                  {node.kind !== "account" && <button onClick={() => setHidden(new Set([...hidden, node.id]))}>Hide</button>}
                </div>
              </div>
            )}
            {hidden.size > 0 && <button class="small" onClick={() => setHidden(new Set())}>Show {hidden.size} hidden</button>}
            {accountsSelected.length >= 2 && <button class="primary" onClick={whyLinked}>Why linked?</button>}
            {explanation && (
              <div class="card explain">
                {!explanation.linked ? (
                  <div>{explanation.from} and {explanation.to} are not linked by any shared identifier.</div>
                ) : (
                  explanation.hops.map((h, i) => (
                    <div key={i} class="hop">
                      {h.kind === "payment" ? (
                        <div>{i + 1}. {h.from.account} → {h.to.account} by payment</div>
                      ) : (
                        <div>{i + 1}. {h.from.account} → {h.to.account} share <span class={`kind kind-${h.kind}`}>{h.kind}</span> <span class="mono small">{h.value}</span> (weight {h.weight})</div>
                      )}
                      <div class="small muted">{h.why}</div>
                      {[h.from, h.to].map((u) => (
                        <div class="small mono muted" key={u.account}>{u.account}: {u.rows.map((r) => `${r.file}:${r.line}`).join(", ")}{u.total_rows > u.rows.length ? ` (+${u.total_rows - u.rows.length})` : ""}</div>
                      ))}
                    </div>
                  ))
                )}
              </div>
            )}
          </aside>
        </div>
      )}
      {tab === "timeline" && (
        <div class="timeline">
          <TimelineChart events={events} range={range} onRange={setRange} />
          <div class="row small">
            {range ? <span>{new Date(range[0]).toISOString().slice(0, 16)} – {new Date(range[1]).toISOString().slice(0, 16)}: {accountsActiveBetween(events, range[0], range[1]).size} accounts highlighted in the graph <button onClick={() => setRange(null)}>clear</button></span> : <span class="muted">{events.length} events; the table shows the first 500 of the selected range.</span>}
          </div>
          <table class="dense">
            <thead><tr><th>Time (UTC)</th><th>Account</th><th>Event</th><th>Detail</th></tr></thead>
            <tbody>
              {events.filter((e) => !range || (e.ts >= range[0] && e.ts <= range[1])).slice(0, 500).map((e, i) => (
                <tr key={i} class={`ev-${e.kind}`}><td class="mono small">{new Date(e.ts).toISOString().slice(0, 19).replace("T", " ")}</td><td class="mono">{e.account}</td><td>{e.kind}</td><td class="small">{timelineDetail(e)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tab === "export" && <ExportPanel backend={backend} ringId={ring.id} onExported={onChanged} />}
      {tab === "history" && <HistoryPanel backend={backend} item={ring.id} />}
    </section>
  );
}
