// What the ring graph draws, decided without a browser (unit-tested): which nodes show, their kind, size and
// colour, edge thickness by evidence weight, and which labels are worth drawing at low zoom.
import type { GraphView, GraphNode } from "../bindings/ipc";

export const GRAPH_STYLE: Record<string, { color: string; label: string; size: number; shape: "circle" | "square" | "diamond" }> = {
  account: { color: "#2f6fb0", label: "account", size: 6, shape: "circle" },
  creator: { color: "#e67e22", label: "creator", size: 10, shape: "diamond" },
  device: { color: "#3a9a5b", label: "device", size: 5, shape: "square" },
  card: { color: "#8e44ad", label: "card", size: 5, shape: "square" },
  email: { color: "#16a2a8", label: "email", size: 5, shape: "square" },
  phone: { color: "#7a5c3a", label: "phone", size: 5, shape: "square" },
  ip: { color: "#7f8c8d", label: "IP", size: 4, shape: "square" },
};
export const HUB_COLOR = "#c0392b";
export const BANNED_COLOR = "#111111";

/** Creators: accounts the ring pays (from the ring's money flow and the graph's pays edges), members or not. */
export function creatorIds(view: GraphView): Set<string> {
  const ids = new Set(view.ring.creators_paid.map((c) => `account:${c.creator_id}`));
  for (const e of view.edges) if (e.kind === "pays") ids.add(e.target);
  return ids;
}

/** The kind a node is drawn as: a paid account is a creator even when it is a ring member. */
export function drawnKind(n: GraphNode, creators: Set<string>): string {
  if ((n.kind === "account" || n.kind === "creator") && creators.has(n.id)) return "creator";
  return n.kind;
}

/** How many distinct accounts in the view use each identifier node. */
export function accountsInView(view: GraphView): Map<string, number> {
  const users = new Map<string, Set<string>>();
  for (const e of view.edges) {
    if (e.kind !== "uses") continue;
    if (!users.has(e.target)) users.set(e.target, new Set());
    users.get(e.target)!.add(e.source);
  }
  return new Map([...users].map(([k, v]) => [k, v.size]));
}

/** Identifiers only one account in the view uses: they link nothing, so they are hidden unless asked for. */
export function singleUseIdentifiers(view: GraphView): Set<string> {
  const counts = accountsInView(view);
  return new Set(view.nodes.filter((n) => n.kind !== "account" && n.kind !== "creator" && (counts.get(n.id) ?? 0) < 2).map((n) => n.id));
}

/** Edge thickness: an identifier's evidence weight (0 for a hub, 1 when it binds), a payment's count. */
export function edgeSize(kind: string, count: number, weight: number | undefined): number {
  if (kind === "pays") return Math.min(0.6 + Math.log2(1 + count) * 0.6, 3);
  return 0.4 + 2.6 * Math.max(0, Math.min(weight ?? 0, 1));
}

/** Nodes labelled at every zoom: creators, hubs, banned or named accounts, identifiers shared by 3+ accounts. */
export function isImportant(n: GraphNode, kind: string, shared: number, marked: Set<string>): boolean {
  return kind === "creator" || n.hub || marked.has(n.id) || (kind !== "account" && shared >= 3);
}

/** Where a label of `width` px goes next to a node at (x, y): right of it, or left when it would run off. */
export function labelPlacement(x: number, y: number, size: number, width: number, canvasWidth: number, canvasHeight: number, fontSize: number) {
  const right = x + size + 3;
  const lx = right + width <= canvasWidth - 2 ? right : Math.max(2, x - size - 3 - width);
  const ly = Math.min(Math.max(y + fontSize / 3, fontSize), canvasHeight - 3);
  return { x: lx, y: ly };
}

/** A seed layout: members on a circle, identifiers and creators at the mean of the accounts they touch. */
export function seedLayout(view: GraphView, keep: Map<string, { x: number; y: number }>) {
  const pos = new Map<string, { x: number; y: number }>();
  const members = view.nodes.filter((n) => n.kind === "account" && n.member);
  const r = Math.max(1, Math.sqrt(view.nodes.length) * 4);
  members.forEach((n, i) => {
    const t = (2 * Math.PI * i) / Math.max(members.length, 1);
    pos.set(n.id, keep.get(n.id) ?? { x: r * Math.cos(t), y: r * Math.sin(t) });
  });
  const neighbours = new Map<string, string[]>();
  for (const e of view.edges) {
    if (!neighbours.has(e.source)) neighbours.set(e.source, []);
    if (!neighbours.has(e.target)) neighbours.set(e.target, []);
    neighbours.get(e.source)!.push(e.target);
    neighbours.get(e.target)!.push(e.source);
  }
  // Two passes: new accounts land near their identifiers once those are placed.
  for (let pass = 0; pass < 2; pass++) {
    view.nodes.forEach((n, i) => {
      if (pos.has(n.id) && pass === 0) return;
      if (keep.has(n.id)) return void pos.set(n.id, keep.get(n.id)!);
      const known = (neighbours.get(n.id) ?? []).map((m) => pos.get(m)).filter((p) => p) as { x: number; y: number }[];
      if (pass === 1 && pos.has(n.id) && !known.length) return;
      const jitter = () => (((i * 9301 + 49297) % 233280) / 233280 - 0.5) * r * 0.2;
      if (known.length) {
        pos.set(n.id, { x: known.reduce((s, p) => s + p.x, 0) / known.length + jitter(), y: known.reduce((s, p) => s + p.y, 0) / known.length - jitter() });
      } else if (!pos.has(n.id)) {
        const t = i * 2.399;
        pos.set(n.id, { x: r * 1.3 * Math.cos(t), y: r * 1.3 * Math.sin(t) });
      }
    });
  }
  return pos;
}

/** What an expansion added, in words, when it added nothing visible. */
export function expansionNote(before: GraphView, after: GraphView, node: GraphNode | undefined): string | null {
  if (after.nodes.length > before.nodes.length) return null;
  const what = node ? `${node.kind} ${node.label}` : "that node";
  if (node?.hub) return `Nothing added: ${what} is a hub (used by ${node.accounts_total} accounts), and hubs never link accounts.`;
  return `Nothing added: every account linked to ${what} is already shown.`;
}
