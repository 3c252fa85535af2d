// Big rings: identifiers of one kind collapsed into one group node ("212 IPs"), decided without a browser
// (unit-tested). A group expands back into exactly the nodes and edges it replaced.
import type { GraphEdge, GraphNode, GraphView, NodeKind } from "../bindings/ipc";
import { singleUseIdentifiers } from "./graph";

/** More shown identifiers of one kind than this collapse into a group: past ~30 same-shaped nodes a kind stops
 *  reading as individual nodes (labels are culled, edges overlap), while ordinary rings stay well under it. */
export const GROUP_ABOVE = 30;
/** The most-shared identifiers of a grouped kind stay as their own nodes: the ones tying many accounts together
 *  are the evidence an investigator looks for, the long tail shared by two or three accounts is what clutters. */
export const KEEP_INDIVIDUAL = 5;

const GROUP_PREFIX = "group:";
const IDENTIFIER_KINDS: NodeKind[] = ["device", "card", "email", "phone", "ip"];
const NOUNS: Record<string, { short: string; long: string }> = {
  device: { short: "devices", long: "devices" },
  card: { short: "cards", long: "cards" },
  email: { short: "emails", long: "email addresses" },
  phone: { short: "phones", long: "phone numbers" },
  ip: { short: "IPs", long: "IP addresses" },
};

export type IdentifierGroup = {
  id: string;
  kind: NodeKind;
  /** The ids of the identifier nodes it stands for, in the view's order. */
  identifiers: string[];
  /** Every one of them is used by two or more shown accounts. */
  shared: boolean;
};
export type ShownGraph = { nodes: GraphNode[]; edges: GraphEdge[]; groups: Map<string, IdentifierGroup> };

export const groupId = (kind: string) => `${GROUP_PREFIX}${kind}`;
export const isGroupId = (id: string) => id.startsWith(GROUP_PREFIX);

/** "212 IPs" */
export function groupLabel(g: IdentifierGroup): string {
  return `${g.identifiers.length} ${NOUNS[g.kind]?.short ?? g.kind}`;
}

/** The group in plain words, for its tooltip and expand button. */
export function describeGroup(g: IdentifierGroup): string {
  const how = g.shared ? "shared by accounts" : "used by accounts";
  return `${g.identifiers.length} ${NOUNS[g.kind]?.long ?? g.kind} ${how} in this ring — click to expand`;
}

/** A group node's size grows with the log of its count, so 1,000 IPs do not swallow the canvas. */
export function groupNodeSize(kindSize: number, count: number): number {
  return kindSize + 2 * Math.log2(Math.max(count, 1));
}

/** An account-to-group edge is as thick as the number of the group's identifiers the account uses. */
export function groupEdgeSize(count: number): number {
  return Math.min(0.6 + Math.log2(1 + count) * 0.6, 3.5);
}

/** The view as drawn: hidden and (unless asked for) single-use identifiers left out, then big kinds grouped. */
export function shownGraph(view: GraphView, opts: { hidden: Set<string>; showSingles: boolean; grouping: boolean; expanded: Set<string> }): ShownGraph {
  const singles = opts.showSingles ? new Set<string>() : singleUseIdentifiers(view);
  const nodes = view.nodes.filter((n) => !opts.hidden.has(n.id) && !singles.has(n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = view.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  if (!opts.grouping) return { nodes, edges, groups: new Map() };
  return groupIdentifiers({ nodes, edges }, opts.expanded);
}

/** Collapses each identifier kind with more than `above` nodes (and not in `expanded`) into one group node. */
export function groupIdentifiers(graph: { nodes: GraphNode[]; edges: GraphEdge[] }, expanded: Set<string>, above = GROUP_ABOVE, keep = KEEP_INDIVIDUAL): ShownGraph {
  const users = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    if (e.kind !== "uses") continue;
    if (!users.has(e.target)) users.set(e.target, new Set());
    users.get(e.target)!.add(e.source);
  }
  const sharing = (id: string) => users.get(id)?.size ?? 0;

  const groupOf = new Map<string, string>();
  const groups = new Map<string, IdentifierGroup>();
  for (const kind of IDENTIFIER_KINDS) {
    const id = groupId(kind);
    const ofKind = graph.nodes.filter((n) => n.kind === kind);
    if (ofKind.length <= above || expanded.has(id)) continue;
    // Hubs never stay out: they link nobody (weight 0), however many accounts touch them.
    const kept = new Set(
      ofKind.filter((n) => !n.hub).sort((a, b) => sharing(b.id) - sharing(a.id) || b.weight - a.weight || (a.id < b.id ? -1 : 1)).slice(0, keep).map((n) => n.id),
    );
    const identifiers = ofKind.filter((n) => !kept.has(n.id)).map((n) => n.id);
    if (identifiers.length < 2) continue; // a group of one says less than the node itself
    identifiers.forEach((i) => groupOf.set(i, id));
    groups.set(id, { id, kind, identifiers, shared: identifiers.every((i) => sharing(i) >= 2) });
  }
  if (!groups.size) return { ...graph, groups };

  // One edge per account and group, weighted by how many of the group's identifiers the account uses.
  const uses = new Map<string, Map<string, Set<string>>>();
  const edges: GraphEdge[] = [];
  for (const e of graph.edges) {
    const group = groupOf.get(e.target);
    if (!group) {
      edges.push(e);
      continue;
    }
    if (!uses.has(group)) uses.set(group, new Map());
    const byAccount = uses.get(group)!;
    if (!byAccount.has(e.source)) byAccount.set(e.source, new Set());
    byAccount.get(e.source)!.add(e.target);
  }
  const nodes = graph.nodes.filter((n) => !groupOf.has(n.id));
  for (const g of groups.values()) {
    const byAccount = uses.get(g.id) ?? new Map<string, Set<string>>();
    nodes.push({ id: g.id, kind: g.kind, label: groupLabel(g), member: false, hub: false, accounts_total: byAccount.size, weight: 0 });
    for (const [account, used] of byAccount) edges.push({ source: account, target: g.id, kind: "uses", count: used.size });
  }
  return { nodes, edges, groups };
}
