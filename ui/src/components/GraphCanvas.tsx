import { useEffect, useRef, useState } from "preact/hooks";
import Graph from "graphology";
import Sigma from "sigma";
import { NodePointProgram } from "sigma/rendering";
import forceAtlas2 from "graphology-layout-forceatlas2";
import type { GraphView } from "../bindings/ipc";
import { accountsInView, BANNED_COLOR, creatorIds, drawnKind, edgeSize, GRAPH_STYLE, HUB_COLOR, isImportant, labelPlacement, seedLayout } from "../logic/graph";
import { describeGroup, groupEdgeSize, groupNodeSize, type ShownGraph } from "../logic/graphGroups";

export type GraphProps = {
  view: GraphView;
  /** What to draw of the view: hidden and single-use identifiers left out, big kinds grouped (shownGraph). */
  shown: ShownGraph;
  /** Nodes to emphasize (a why-linked chain, accounts active in a time range); others fade. */
  highlight: Set<string>;
  selected: string[];
  /** Accounts a reason names (banned members): drawn dark with a mark in their label. */
  marked: Set<string>;
  onNode: (id: string, additive: boolean) => void;
};

type Point = { x: number; y: number };

/** Identifiers as squares, creators as diamonds (accounts stay discs): the shape says the kind without colour. */
function shapeProgram(fragment: string) {
  return class extends NodePointProgram {
    getDefinition() {
      return { ...super.getDefinition(), FRAGMENT_SHADER_SOURCE: fragment };
    }
  };
}
const SHAPE_FRAGMENT = (inside: string) => `
precision mediump float;
varying vec4 v_color;
varying float v_border;
void main(void) {
  vec2 m = gl_PointCoord - vec2(0.5, 0.5);
  #ifdef PICKING_MODE
  if (${inside}) gl_FragColor = v_color; else gl_FragColor = vec4(0.0);
  #else
  if (${inside}) gl_FragColor = v_color; else discard;
  #endif
}
`;
const NodeSquareProgram = shapeProgram(SHAPE_FRAGMENT("max(abs(m.x), abs(m.y)) < 0.36"));
const NodeDiamondProgram = shapeProgram(SHAPE_FRAGMENT("abs(m.x) + abs(m.y) < 0.5"));

/** ForceAtlas2 from a seeded layout for a bounded time: synchronous, so the CSP needs no worker or blob source. */
function forceLayout(g: Graph, budgetMs: number) {
  if (g.order < 3 || budgetMs <= 0) return 0;
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 400, outboundAttractionDistribution: true };
  const started = performance.now();
  let iterations = 0;
  while (iterations < 400 && performance.now() - started < budgetMs) {
    forceAtlas2.assign(g, { iterations: 10, settings });
    iterations += 10;
  }
  return iterations;
}

/** Colours that follow the theme (light, dark or the OS's), read from the stylesheet's variables. */
function themeColors(el: Element) {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { label: v("--text", "#1d2430"), faded: v("--line", "#dde1e6"), fadedEdge: v("--panel", "#eceff2") };
}


export function GraphCanvas({ view, shown, highlight, selected, marked, onNode }: GraphProps) {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  // Positions survive re-renders and expansions: an expansion lays out the new nodes around the old ones.
  const positions = useRef(new Map<string, Point>());
  const [problem, setProblem] = useState<string | null>(null);
  const state = useRef({ highlight, selected: new Set(selected) });
  state.current = { highlight, selected: new Set(selected) };

  useEffect(() => {
    const started = performance.now();
    const g = new Graph({ type: "undirected" });
    const creators = creatorIds(view);
    const shared = accountsInView(view);
    const weights = new Map(view.nodes.map((n) => [n.id, n.hub ? 0 : n.weight]));
    const pos = seedLayout({ ...view, nodes: shown.nodes, edges: shown.edges }, positions.current);
    const bigRing = view.nodes.length > 400;
    for (const n of shown.nodes) {
      const p = pos.get(n.id) ?? { x: 0, y: 0 };
      const group = shown.groups.get(n.id);
      if (group) {
        // Few and large: always labelled, even in a big ring, so the investigator sees what is collapsed.
        const style = GRAPH_STYLE[group.kind];
        const size = groupNodeSize(style.size, group.identifiers.length);
        g.addNode(n.id, { x: p.x, y: p.y, size, color: style.color, label: `${n.label} — click to expand`, tooltip: describeGroup(group), kind: group.kind, important: true, type: style.shape, forceLabel: true });
        continue;
      }
      const kind = drawnKind(n, creators);
      const style = GRAPH_STYLE[kind] ?? { color: "#555555", size: 4, shape: "square" };
      const important = isImportant(n, kind, shared.get(n.id) ?? 0, marked);
      const size = (n.member ? style.size + 1 : style.size) * (bigRing && kind === "account" ? 0.7 : 1) + (important && kind !== "account" ? 2 : 0);
      const color = marked.has(n.id) ? BANNED_COLOR : n.hub ? HUB_COLOR : style.color;
      const label = marked.has(n.id) ? `⛔ ${n.label}` : n.label;
      g.addNode(n.id, { x: p.x, y: p.y, size, color, label, kind, important, type: style.shape, forceLabel: important && !bigRing });
    }
    for (const e of shown.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
      const size = shown.groups.has(e.target) ? groupEdgeSize(e.count) : edgeSize(e.kind, e.count, weights.get(e.target));
      g.addEdge(e.source, e.target, { size, color: e.kind === "pays" ? "#e8a25f" : "#aab3bd" });
    }
    const fresh = g.filterNodes((n) => !positions.current.has(n)).length;
    const iterations = forceLayout(g, fresh === 0 ? 0 : fresh < g.order / 3 ? 250 : 900);
    g.forEachNode((n, a) => void positions.current.set(n, { x: a.x, y: a.y }));
    let colors = themeColors(container.current!);
    let renderer: Sigma;
    try {
      renderer = new Sigma(g, container.current!, {
        allowInvalidContainer: true,
        zIndex: true,
        labelColor: { color: colors.label },
        labelRenderedSizeThreshold: bigRing ? 9 : 6,
        labelDensity: bigRing ? 0.5 : 1,
        labelGridCellSize: 90,
        nodeProgramClasses: { square: NodeSquareProgram, diamond: NodeDiamondProgram },
        defaultDrawNodeLabel: drawLabelInside,
        stagePadding: 40,
        // A big ring pans and zooms on its nodes alone; edges and labels come back when the view rests.
        hideEdgesOnMove: bigRing,
        hideLabelsOnMove: bigRing,
      });
      setProblem(null);
    } catch (e) {
      setProblem(`The graph cannot be drawn here (${e instanceof Error ? e.message : String(e)}); the tables beside it still hold the ring.`);
      return;
    }
    // A theme switch (the toggle, or the OS) recolours labels and faded nodes without rebuilding the graph.
    const recolor = () => {
      colors = themeColors(container.current!);
      renderer.setSetting("labelColor", { color: colors.label });
    };
    const themeObserver = new MutationObserver(recolor);
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const osTheme = window.matchMedia?.("(prefers-color-scheme: dark)");
    osTheme?.addEventListener?.("change", recolor);
    // A group stands in for its identifiers: it lights up when one of them is highlighted or selected.
    const lit = (node: string, ids: { has: (id: string) => boolean }) => ids.has(node) || (shown.groups.get(node)?.identifiers.some((i) => ids.has(i)) ?? false);
    renderer.setSetting("nodeReducer", (node, data) => {
      const { highlight: hl, selected: sel } = state.current;
      const out = { ...data };
      if (hl.size && !lit(node, hl)) Object.assign(out, { color: colors.faded, label: "", forceLabel: false });
      if (lit(node, sel)) Object.assign(out, { highlighted: true, zIndex: 2, forceLabel: true });
      return out;
    });
    renderer.setSetting("edgeReducer", (edge, data) => {
      const { highlight: hl } = state.current;
      const [s, t] = g.extremities(edge);
      return hl.size && !(lit(s, hl) && lit(t, hl)) ? { ...data, color: colors.fadedEdge } : data;
    });
    // Group nodes explain themselves on hover (the canvas has no elements of its own to carry a title).
    renderer.on("enterNode", (e) => {
      container.current!.title = g.getNodeAttribute(e.node, "tooltip") ?? "";
    });
    renderer.on("leaveNode", () => {
      container.current!.title = "";
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
      positions.current.set(dragged, p);
      e.preventSigmaDefault();
      e.original.preventDefault();
      e.original.stopPropagation();
    });
    renderer.getMouseCaptor().on("mouseup", () => {
      dragged = null;
    });
    renderer.on("clickNode", (e) => onNode(e.node, (e.event.original as MouseEvent).shiftKey));
    // Hidden behind another tab the container has no size; shown again, the graph is redrawn as it was left.
    const resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => {
      renderer.resize();
      renderer.refresh();
    });
    resized?.observe(container.current!);
    sigma.current = renderer;
    renderer.refresh();
    publishPerf(renderer, g.order, g.size, performance.now() - started, iterations);
    return () => {
      themeObserver.disconnect();
      resized?.disconnect();
      osTheme?.removeEventListener?.("change", recolor);
      renderer.kill();
      sigma.current = null;
    };
  }, [view, shown, marked]);

  useEffect(() => {
    sigma.current?.refresh();
  }, [highlight, selected]);

  return (
    <div class="graph-wrap">
      <div class="graph" ref={container} data-testid="graph" />
      {problem && <div class="graph-problem muted small">{problem}</div>}
    </div>
  );
}

type LabelData = { x: number; y: number; size: number; label: string | null };
type LabelSettings = { labelSize: number; labelFont: string; labelWeight: string; labelColor: { color?: string } };

/** Sigma's label, kept inside the canvas: drawn left of the node when it would run off the right edge. */
function drawLabelInside(context: CanvasRenderingContext2D, data: LabelData, settings: LabelSettings) {
  if (!data.label) return;
  const size = settings.labelSize;
  context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
  const width = context.measureText(data.label).width;
  const ratio = window.devicePixelRatio || 1;
  const at = labelPlacement(data.x, data.y, data.size, width, context.canvas.width / ratio, context.canvas.height / ratio, size);
  context.fillStyle = settings.labelColor.color ?? "#000";
  context.fillText(data.label, at.x, at.y);
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
function publishPerf(renderer: Sigma, nodes: number, edges: number, renderMs: number, layoutIterations: number) {
  (window as { __ringscopePerf?: unknown }).__ringscopePerf = { nodes, edges, renderMs, layoutIterations, measureFrames: (ms: number) => measureFrames(renderer, ms) };
}
