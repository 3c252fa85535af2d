// A big ring's graph for tests of identifier grouping (logic and RingView).
import type { GraphEdge, GraphNode, GraphView } from "../bindings/ipc";
import { ring } from "./fake";

/** A farm's graph: `chained` IPs each shared by two neighbouring accounts, one IP shared by ten, one hub IP on
 *  every account, one device binding them all, and a payment to a creator. */
export function farmView(chained: number): GraphView {
  const accounts = Array.from({ length: chained + 1 }, (_, i) => `a${i}`);
  const node = (id: string, kind: GraphNode["kind"], extra: Partial<GraphNode> = {}): GraphNode => ({
    id, kind, label: id.slice(id.indexOf(":") + 1), member: kind === "account", hub: false, accounts_total: 1, weight: 0.3, ...extra,
  });
  const uses = (account: string, target: string): GraphEdge => ({ source: `account:${account}`, target, kind: "uses", count: 1 });
  const nodes = [
    ...accounts.map((a) => node(`account:${a}`, "account", { weight: 0 })),
    node("account:c1", "creator", { weight: 0 }),
    node("device:d1", "device", { weight: 1, accounts_total: accounts.length }),
    node("ip:wide", "ip", { weight: 0.8, accounts_total: 10 }),
    node("ip:hub", "ip", { hub: true, weight: 0, accounts_total: 5000 }),
    ...Array.from({ length: chained }, (_, i) => node(`ip:10.0.0.${i}`, "ip", { accounts_total: 2 })),
  ];
  const edges = [
    ...accounts.map((a) => uses(a, "device:d1")),
    ...accounts.slice(0, 10).map((a) => uses(a, "ip:wide")),
    ...accounts.map((a) => uses(a, "ip:hub")),
    ...Array.from({ length: chained }, (_, i) => [uses(`a${i}`, `ip:10.0.0.${i}`), uses(`a${i + 1}`, `ip:10.0.0.${i}`)]).flat(),
    { source: "account:a0", target: "account:c1", kind: "pays" as const, count: 3 },
  ];
  return { ring: ring("R-FARM", 8, accounts), nodes, edges };
}
