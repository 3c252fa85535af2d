import { useEffect, useRef } from "preact/hooks";
import Graph from "graphology";
import Sigma from "sigma";
import type { GraphView } from "../bindings/GraphView";
import { nodeStyle } from "../logic/format";

export type GraphProps = {
  view: GraphView;
  hidden: Set<string>;
  /** Nodes to emphasize (a why-linked chain, accounts active in a time range); others fade. */
  highlight: Set<string>;
  selected: string[];
  onNode: (id: string, additive: boolean) => void;
};

/** Members on a circle, identifiers and creators inside it near the members using them, hubs outside. */
function layout(view: GraphView, hidden: Set<string>) {
  const pos = new Map<string, { x: number; y: number }>();
  const members = view.nodes.filter((n) => n.kind === "account" && n.member);
  members.forEach((n, i) => {
    const t = (2 * Math.PI * i) / Math.max(members.length, 1);
    pos.set(n.id, { x: Math.cos(t), y: Math.sin(t) });
  });
  const others = view.nodes.filter((n) => !pos.has(n.id) && !hidden.has(n.id));
  const neighbours = new Map<string, string[]>();
  for (const e of view.edges) {
    neighbours.set(e.source, [...(neighbours.get(e.source) ?? []), e.target]);
    neighbours.set(e.target, [...(neighbours.get(e.target) ?? []), e.source]);
  }
  others.forEach((n, i) => {
    const known = (neighbours.get(n.id) ?? []).map((m) => pos.get(m)).filter((p) => p) as { x: number; y: number }[];
    const mx = known.reduce((s, p) => s + p.x, 0) / Math.max(known.length, 1);
    const my = known.reduce((s, p) => s + p.y, 0) / Math.max(known.length, 1);
    const angle = known.length ? Math.atan2(my, mx) : (2 * Math.PI * i) / others.length;
    const r = n.hub ? 1.45 : n.kind === "account" || n.kind === "creator" ? 1.25 : 0.55 + 0.1 * (i % 3);
    const jitter = ((i * 2.399) % 1) * 0.25;
    pos.set(n.id, { x: Math.cos(angle + jitter) * r, y: Math.sin(angle + jitter) * r });
  });
  return pos;
}

/** Colours that follow the theme (light, dark or the OS's), read from the stylesheet's variables. */
function themeColors(el: Element) {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { label: v("--text", "#1d2430"), faded: v("--line", "#dde1e6"), fadedEdge: v("--panel", "#eceff2") };
}

export function GraphCanvas({ view, hidden, highlight, selected, onNode }: GraphProps) {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  const state = useRef({ highlight, selected });
  state.current = { highlight, selected };

  useEffect(() => {
    const started = performance.now();
    const g = new Graph({ type: "undirected" });
    const pos = layout(view, hidden);
    for (const n of view.nodes) {
      if (hidden.has(n.id)) continue;
      const style = nodeStyle(n.kind, n.hub);
      const p = pos.get(n.id) ?? { x: 0, y: 0 };
      g.addNode(n.id, { x: p.x, y: p.y, size: n.member ? style.size + 2 : style.size, color: style.color, label: n.label, kind: n.kind });
    }
    for (const e of view.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
      g.addEdge(e.source, e.target, { size: e.kind === "pays" ? 1 : Math.min(1 + Math.log2(e.count), 4), color: e.kind === "pays" ? "#d9822b" : "#9aa4ae" });
    }
    let colors = themeColors(container.current!);
    const renderer = new Sigma(g, container.current!, { labelRenderedSizeThreshold: 5, allowInvalidContainer: true, zIndex: true, labelColor: { color: colors.label } });
    // A theme switch (the toggle, or the OS) recolours labels and faded nodes without rebuilding the graph.
    const recolor = () => {
      colors = themeColors(container.current!);
      renderer.setSetting("labelColor", { color: colors.label });
    };
    const themeObserver = new MutationObserver(recolor);
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const osTheme = window.matchMedia?.("(prefers-color-scheme: dark)");
    osTheme?.addEventListener?.("change", recolor);
    renderer.setSetting("nodeReducer", (node, data) => {
      const { highlight: hl, selected: sel } = state.current;
      const out = { ...data };
      if (hl.size && !hl.has(node)) Object.assign(out, { color: colors.faded, label: "" });
      if (sel.includes(node)) Object.assign(out, { highlighted: true, zIndex: 2 });
      return out;
    });
    renderer.setSetting("edgeReducer", (edge, data) => {
      const { highlight: hl } = state.current;
      const [s, t] = g.extremities(edge);
      return hl.size && !(hl.has(s) && hl.has(t)) ? { ...data, color: colors.fadedEdge } : data;
    });
    // Dragging a node moves it instead of panning the view.
    let dragged: string | null = null;
    renderer.on("downNode", (e) => {
      dragged = e.node;
    });
    renderer.getMouseCaptor().on("mousemovebody", (e) => {
      if (!dragged) return;
      const p = renderer.viewportToGraph(e);
      g.mergeNodeAttributes(dragged, { x: p.x, y: p.y });
      e.preventSigmaDefault();
      e.original.preventDefault();
      e.original.stopPropagation();
    });
    renderer.getMouseCaptor().on("mouseup", () => {
      dragged = null;
    });
    renderer.on("clickNode", (e) => onNode(e.node, (e.event.original as MouseEvent).shiftKey));
    sigma.current = renderer;
    renderer.refresh();
    publishPerf(renderer, g.order, g.size, performance.now() - started);
    return () => {
      themeObserver.disconnect();
      osTheme?.removeEventListener?.("change", recolor);
      renderer.kill();
      sigma.current = null;
    };
  }, [view, hidden]);

  useEffect(() => {
    sigma.current?.refresh();
  }, [highlight, selected]);

  return <div class="graph" ref={container} data-testid="graph" />;
}

/** Frame times while the camera moves, from requestAnimationFrame timestamps. */
async function measureFrames(renderer: Sigma, ms: number) {
  const stamps: number[] = [];
  const camera = renderer.getCamera();
  camera.animate({ ratio: 0.35, x: 0.35, y: 0.65 }, { duration: ms / 2 });
  setTimeout(() => camera.animate({ ratio: 1, x: 0.5, y: 0.5 }, { duration: ms / 2 }), ms / 2);
  await new Promise<void>((done) => {
    const end = performance.now() + ms;
    const tick = (t: number) => {
      stamps.push(t);
      if (t < end) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(gaps.length, 1);
  return { frames: gaps.length, meanMs: mean, p95Ms: gaps[Math.floor(gaps.length * 0.95)] ?? 0 };
}

/** How big the drawn graph is and how long it took; read by the performance test (ui/e2e/perf.mjs). */
function publishPerf(renderer: Sigma, nodes: number, edges: number, renderMs: number) {
  (window as { __ringscopePerf?: unknown }).__ringscopePerf = { nodes, edges, renderMs, measureFrames: (ms: number) => measureFrames(renderer, ms) };
}
