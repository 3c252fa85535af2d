import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { GraphView, Explanation, TimelineEvent, DecisionState, MemberRow } from "../bindings/ipc";
import { accountsActiveBetween, amounts, date, timelineDetail } from "../logic/format";
import { BANNED_COLOR, expansionNote, GRAPH_STYLE, HUB_COLOR, singleUseIdentifiers } from "../logic/graph";
import { describeGroup, groupLabel, isGroupId, shownGraph } from "../logic/graphGroups";
import { reasonLabel, sortedReasons } from "../logic/reasons";
import { humanError } from "../logic/messages";
import { GraphCanvas } from "./GraphCanvas";
import { ExportPanel } from "./ExportPanel";
import { HistoryPanel } from "./HistoryPanel";
import { AccountDetails } from "./AccountDetails";
import { SourceRef } from "./SourceRef";
import { TimelineChart } from "./TimelineChart";
import { RingTables } from "./RingTables";

/** Decision hotkeys in the ring view (outside text fields). */
export const DECISION_KEYS: Record<string, DecisionState> = { c: "confirmed", d: "dismissed", r: "needs_review" };

export function RingView({ backend, ringId, onChanged, onDecided, onOpenRing }: { backend: Backend; ringId: string; onChanged: () => void; onDecided?: (ringId: string, state: DecisionState) => void; onOpenRing?: (ringId: string) => void }) {
  const [view, setView] = useState<GraphView | null>(null);
  // Expansions as a stack: each one re-lays out around the shown graph, Undo drops the last. A node id asks the
  // backend for one more hop; a group id (group:ip) opens a collapsed kind locally, without a backend call.
  const [expand, setExpand] = useState<string[]>([]);
  const fetched = expand.filter((id) => !isGroupId(id));
  const openedGroups = expand.filter(isGroupId);
  const [grouping, setGrouping] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [showSingles, setShowSingles] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const splitInto = useRef<string | null>(null);
  /** Accounts to export instead of the whole ring (from the members table's ticks). */
  const [exportOnly, setExportOnly] = useState<string[] | null>(null);
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [members, setMembers] = useState<MemberRow[] | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [range, setRange] = useState<[number, number] | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [tab, setTab] = useState<"graph" | "timeline" | "export" | "history">("graph");
  const noteField = useRef<HTMLInputElement>(null);
  const fail = (e: unknown) => setError(asApiError(e));

  // The node an expansion was asked for: its answer is compared with the graph before it.
  const expanding = useRef<string | null>(null);
  const viewRef = useRef<GraphView | null>(null);
  useEffect(() => {
    backend.ringGraph(ringId, fetched).then((next) => {
      const before = viewRef.current;
      const asked = expanding.current;
      expanding.current = null;
      if (before && asked) {
        const why = expansionNote(before, next, before.nodes.find((n) => n.id === asked));
        if (why) {
          setNotice(why);
          setExpand((x) => x.filter((id) => id !== asked)); // nothing to undo
          return;
        }
      }
      viewRef.current = next;
      setView(next);
    }, fail);
  }, [ringId, fetched.join("\n")]);
  useEffect(() => {
    if (view) backend.ringTimeline(view.ring.members).then(setEvents, fail);
  }, [view?.ring.id]);
  useEffect(() => {
    setChecked(new Set());
    backend.ringMembers(ringId).then(setMembers, fail);
  }, [ringId]);

  /** False positives out of the ring (kept out across re-detection), or back in: the view reloads the ring. */
  const changeMembers = async (change: () => Promise<unknown>, done: string | (() => string)) => {
    try {
      await change();
      setChecked(new Set());
      setNote("");
      expanding.current = null;
      const [view, members] = await Promise.all([backend.ringGraph(ringId, fetched), backend.ringMembers(ringId)]);
      viewRef.current = view;
      setView(view);
      setMembers(members);
      // After the reload, so the notice never describes a table that is not shown yet.
      setNotice(typeof done === "string" ? done : done());
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const removeMembers = (accounts: string[]) =>
    changeMembers(() => backend.removeMembers(ringId, accounts, note.trim() || null), `${accounts.length} account${accounts.length === 1 ? "" : "s"} removed from ${ringId}.`);
  const splitRing = (accounts: string[]) =>
    changeMembers(async () => {
      const out = await backend.splitRing(ringId, accounts, note.trim() || null);
      splitInto.current = out.edit.other_ring;
    }, () => `${accounts.length} accounts split off into ${splitInto.current}.`);
  const undoEdit = async (editId: number) => {
    try {
      const out = await backend.undoRingEdit(editId);
      // Undoing a split from the split-off ring retires the ring shown: go to the ring its accounts went back to.
      if (!out.rings.some((r) => r.id === ringId)) {
        onChanged();
        onOpenRing?.(out.edit.ring_id);
        return;
      }
    } catch (e) {
      fail(e);
      return;
    }
    await changeMembers(async () => {}, "Split or merge undone.");
  };
  const restoreMembers = (accounts: string[]) =>
    changeMembers(() => backend.restoreMembers(ringId, accounts), `${accounts.join(", ")} back in ${ringId}.`);

  /** Decisions on single accounts, one or many (a ticked set, or the accounts of a timeline range). */
  const decideAccounts = async (accounts: string[], state: DecisionState) => {
    try {
      await backend.decideMany(accounts, state, note.trim() || null);
      setNote("");
      setChecked(new Set());
      // The notice follows the refreshed table, so what it says is what the table shows.
      setMembers(await backend.ringMembers(ringId));
      setNotice(`${accounts.length} account${accounts.length === 1 ? "" : "s"} marked ${state.replace("_", " ")}.`);
      onChanged();
    } catch (e) {
      fail(e);
    }
  };

  /** Accounts a reason names: the banned members behind "banned member" and "created after a banned member". */
  const marked = useMemo(() => new Set((members ?? []).filter((m) => m.status === "banned").map((m) => `account:${m.account_id}`)), [members]);

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

  const shown = useMemo(
    () => view && shownGraph(view, { hidden, showSingles, grouping, expanded: new Set(openedGroups) }),
    [view, hidden, showSingles, grouping, openedGroups.join("\n")],
  );
  const expandGroup = (id: string) => {
    setNotice(null);
    setExpand((x) => (x.includes(id) ? x : [...x, id]));
  };
  /** Grouping switched either way starts from every big kind collapsed (or none): opened groups leave the stack. */
  const switchGrouping = (on: boolean) => {
    setGrouping(on);
    setExpand((x) => x.filter((id) => !isGroupId(id)));
  };

  const ring = view?.ring;
  /** Decide the ring; from a hotkey the view then moves on to the next undecided ring (the triage flow). */
  const decide = async (state: DecisionState, advance = false) => {
    if (!view || !ring) return;
    const text = note.trim() || null;
    try {
      await backend.decide(ring.id, state, text);
      setNote("");
      viewRef.current = { ...view, ring: { ...ring, decision: { item_kind: "ring", item_id: ring.id, state, note: text, actor: "", ts: "" } } };
      setView(viewRef.current);
      onChanged();
      if (advance) onDecided?.(ring.id, state);
    } catch (e) {
      fail(e);
    }
  };
  const saveNote = async () => {
    if (!ring || !note.trim()) return;
    try {
      await backend.addNote(ring.id, note.trim());
      setNote("");
      setNotice("Note saved.");
      onChanged();
    } catch (e) {
      fail(e);
    }
  };

  // c / d / r decide, n goes to the note; Enter in the note saves it. Text fields keep their keys.
  const decideRef = useRef(decide);
  decideRef.current = decide;
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
      const state = DECISION_KEYS[e.key];
      if (state) {
        e.preventDefault();
        void decideRef.current(state, true);
      } else if (e.key === "n") {
        e.preventDefault();
        noteField.current?.focus();
      }
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, []);

  if (!view || !ring || !shown) return <div class="ring-view muted">{error ? humanError(error) : "Loading ring…"}</div>;
  const node = selected.length ? view.nodes.find((n) => n.id === selected[selected.length - 1]) : undefined;
  const accountsSelected = selected.filter((s) => s.startsWith("account:"));
  const singles = singleUseIdentifiers(view).size;
  const whyLinked = async () => {
    const [a, b] = accountsSelected.slice(-2).map((s) => s.slice("account:".length));
    try {
      setExplanation(await backend.explainLink(a, b));
    } catch (e) {
      fail(e);
    }
  };
  const select = (id: string, additive = false) => {
    if (isGroupId(id)) return expandGroup(id); // a group node's label says "click to expand"
    setExplanation(null);
    setSelected((s) => (additive ? [...s.filter((x) => x !== id), id] : [id]));
  };
  return (
    <section class="ring-view">
      <header class="ring-head">
        <h2>Ring {ring.id} <span class="muted">score {ring.score.toFixed(2)} · rank {ring.rank}</span></h2>
        <div class="muted small">{ring.counts.accounts} accounts · {ring.counts.devices} devices · {ring.counts.cards} cards · {ring.counts.ips} IPs · {ring.counts.payments} payments ({ring.counts.declines} declined, {ring.counts.disputes} disputed) · {amounts(ring.amounts)} · {date(ring.first_activity)} – {date(ring.last_activity)}</div>
        <div class="decide">
          <span class={`pill ${ring.decision?.state ?? ""}`} data-testid="ring-decision">{ring.decision ? ring.decision.state.replace("_", " ") : "undecided"}</span>
          <input
            ref={noteField}
            aria-label="Note"
            placeholder="note (Enter saves; n to focus)"
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void saveNote();
                e.currentTarget.blur();
              } else if (e.key === "Escape") e.currentTarget.blur();
            }}
          />
          <button class="ok" title="c" onClick={() => decide("confirmed")}>Confirm <kbd>c</kbd></button>
          <button title="r" onClick={() => decide("needs_review")}>Needs review <kbd>r</kbd></button>
          <button title="d" onClick={() => decide("dismissed")}>Dismiss <kbd>d</kbd></button>
          <button onClick={saveNote}>Add note</button>
        </div>
      </header>
      {error && <div class="error" role="alert">{humanError(error)} <button onClick={() => setError(null)}>×</button></div>}
      <div class="reasons">
        {sortedReasons(ring.reasons).map((r) => (
          <div class="reason" key={r.feature} title={`${r.feature}: ${r.detail}`}>
            <span class="reason-label">{reasonLabel(r.feature)}</span> <strong>{r.contribution >= 0 ? "+" : ""}{r.contribution.toFixed(2)}</strong> <span class="muted small">{r.detail}</span>
          </div>
        ))}
        {marked.size > 0 && (
          <div class="reason marked-note small">⛔ banned: {[...marked].map((m) => m.slice("account:".length)).map((id) => <button key={id} class="linkish mono" onClick={() => select(`account:${id}`)}>{id}</button>)}</div>
        )}
      </div>
      <nav class="subtabs">
        {(["graph", "timeline", "export", "history"] as const).map((t) => <button key={t} class={tab === t ? "tab active" : "tab"} onClick={() => setTab(t)}>{t}</button>)}
      </nav>
      {/* The graph stays mounted while another tab shows: zoom and positions survive a look at the timeline. */}
      <div class="graph-pane" style={tab === "graph" ? undefined : { display: "none" }}>
        <div class="graph-col">
          <div class="graph-tools small">
            <label><input type="checkbox" checked={showSingles} onChange={(e) => setShowSingles(e.currentTarget.checked)} /> identifiers used by one account ({singles})</label>
            <label><input type="checkbox" data-testid="group-identifiers" checked={grouping} onChange={(e) => switchGrouping(e.currentTarget.checked)} /> group identifiers by kind</label>
            {[...shown.groups.values()].map((g) => <button key={g.id} class="expand-group" title={describeGroup(g)} onClick={() => expandGroup(g.id)}>Expand {groupLabel(g)}</button>)}
            {expand.length > 0 && <button onClick={() => { setNotice(null); setExpand((x) => x.slice(0, -1)); }}>Undo expand ({expand.length})</button>}
            {hidden.size > 0 && <button onClick={() => setHidden(new Set())}>Show {hidden.size} hidden</button>}
            <span class="legend">
              {Object.entries(GRAPH_STYLE).map(([k, s]) => <span key={k}><i class={`shape-${s.shape}`} style={{ background: s.color }} /> {s.label}</span>)}
              <span><i class="shape-square" style={{ background: HUB_COLOR }} /> hub</span>
              <span><i style={{ background: BANNED_COLOR }} /> banned</span>
            </span>
          </div>
          {notice && <div class="notice small" role="status">{notice} <button onClick={() => setNotice(null)}>×</button></div>}
          <GraphCanvas view={view} shown={shown} highlight={highlight} selected={selected} marked={marked} onNode={select} />
        </div>
        <aside class="inspector">
          {node && (
            <div class="card">
              <div><strong>{node.label}</strong> <span class="muted">{node.kind}{node.hub ? " (hub)" : ""}</span> <button class="small" onClick={() => setSelected([])}>×</button></div>
              {node.kind !== "account" && node.kind !== "creator" && <div class="small">used by {node.accounts_total} accounts · weight {node.weight.toFixed(2)}</div>}
              {(node.kind === "account" || node.kind === "creator") && <AccountDetails backend={backend} accountId={node.label} />}
              <div class="row">
                <button
                  onClick={() => {
                    if (expand.includes(node.id)) return setNotice(`Nothing added: ${node.label} is already expanded.`);
                    setNotice(null);
                    expanding.current = node.id;
                    setExpand((x) => [...x, node.id]);
                  }}
                >
                  Expand one hop
                </button>
                {node.kind !== "account" && <button onClick={() => setHidden(new Set([...hidden, node.id]))}>Hide</button>}
              </div>
            </div>
          )}
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
                      <div class="small mono muted" key={u.account}>{u.account}: {u.rows.map((r, j) => <span key={j}>{j > 0 && ", "}<SourceRef backend={backend} reference={`${r.file}:${r.line}`} /></span>)}{u.total_rows > u.rows.length ? ` (+${u.total_rows - u.rows.length})` : ""}</div>
                    ))}
                  </div>
                ))
              )}
            </div>
          )}
          <RingTables ring={ring} members={members} marked={marked} selected={selected} onSelect={(id) => select(id)} choice={{ checked, setChecked, decide: decideAccounts, remove: removeMembers, restore: restoreMembers, split: splitRing, undoEdit, exportAccounts: (a) => { setExportOnly(a); setTab("export"); } }} />
          {!node && <p class="small muted">Click a node or a row; shift-click a second account, then ask why they are linked. Drag to move, scroll to zoom.</p>}
        </aside>
      </div>
      {tab === "timeline" && (
        <div class="timeline">
          <TimelineChart events={events} range={range} onRange={setRange} />
          <div class="row small">
            {range ? (
              <span>
                {new Date(range[0]).toISOString().slice(0, 16)} – {new Date(range[1]).toISOString().slice(0, 16)}: {accountsActiveBetween(events, range[0], range[1]).size} accounts highlighted in the graph{" "}
                <button data-testid="act-on-range" onClick={() => { setChecked(new Set(accountsActiveBetween(events, range[0], range[1]))); setTab("graph"); }}>Select them to decide</button>{" "}
                <button onClick={() => setRange(null)}>clear</button>
              </span>
            ) : <span class="muted">{events.length} events; the table shows the first 500 of the selected range.</span>}
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
      {tab === "export" && <ExportPanel backend={backend} ringId={ring.id} accounts={exportOnly} onWholeRing={() => setExportOnly(null)} onExported={onChanged} />}
      {tab === "history" && <HistoryPanel backend={backend} item={ring.id} />}
    </section>
  );
}
