import { describe, expect, it } from "vitest";
import { farmView } from "../test/farm";
import { describeGroup, GROUP_ABOVE, groupEdgeSize, groupIdentifiers, groupNodeSize, KEEP_INDIVIDUAL, shownGraph } from "./graphGroups";

const ipCount = (v: { nodes: { kind: string }[] }) => v.nodes.filter((n) => n.kind === "ip").length;
const shownAll = { hidden: new Set<string>(), showSingles: false, grouping: true, expanded: new Set<string>() };

describe("grouping identifiers by kind", () => {
  it("leaves a ring at or under the threshold unchanged", () => {
    const v = farmView(GROUP_ABOVE - 2);
    expect(ipCount(v)).toBe(GROUP_ABOVE);
    const g = groupIdentifiers(v, new Set());
    expect(g.groups.size).toBe(0);
    expect(g.nodes).toEqual(v.nodes);
    expect(g.edges).toEqual(v.edges);
  });

  it("collapses a kind above the threshold into one node, keeping the most-shared few and no hub", () => {
    const v = farmView(GROUP_ABOVE - 1);
    const g = groupIdentifiers(v, new Set());
    const group = g.groups.get("group:ip")!;
    expect(group.identifiers.length).toBe(GROUP_ABOVE + 1 - KEEP_INDIVIDUAL);
    expect(group.identifiers).toContain("ip:hub"); // links nobody, however wide
    const ips = g.nodes.filter((n) => n.kind === "ip").map((n) => n.id);
    expect(ips).toContain("ip:wide"); // shared by ten accounts: stays its own node
    expect(ips).toContain("group:ip");
    expect(ips.length).toBe(KEEP_INDIVIDUAL + 1);
    expect(g.nodes.find((n) => n.id === "group:ip")!.label).toBe(`${group.identifiers.length} IPs`);
    // The device (one node) and the payment are untouched; no edge points at a grouped identifier any more.
    expect(g.nodes.some((n) => n.id === "device:d1")).toBe(true);
    expect(g.edges.some((e) => e.kind === "pays")).toBe(true);
    expect(g.edges.some((e) => group.identifiers.includes(e.target))).toBe(false);
  });

  it("weights each account's edge to the group by how many of its identifiers the account uses", () => {
    const v = farmView(40);
    v.edges.push({ ...v.edges.find((e) => e.target === "ip:10.0.0.20")! }); // a repeated row counts once
    const g = groupIdentifiers(v, new Set());
    const group = g.groups.get("group:ip")!;
    const expected = new Map<string, Set<string>>();
    for (const e of v.edges) {
      if (!group.identifiers.includes(e.target)) continue;
      expected.set(e.source, (expected.get(e.source) ?? new Set()).add(e.target));
    }
    const toGroup = g.edges.filter((e) => e.target === "group:ip");
    expect(toGroup.length).toBe(expected.size);
    for (const e of toGroup) expect(e.count).toBe(expected.get(e.source)!.size);
    expect(g.nodes.find((n) => n.id === "group:ip")!.accounts_total).toBe(expected.size);
  });

  it("expanding a group restores exactly the original nodes and edges", () => {
    const v = farmView(60);
    const expanded = groupIdentifiers(v, new Set(["group:ip"]));
    expect(expanded.groups.size).toBe(0);
    expect(expanded.nodes).toEqual(v.nodes);
    expect(expanded.edges).toEqual(v.edges);
    // And the grouped view hides nothing: its nodes plus the group's identifiers are the original nodes.
    const g = groupIdentifiers(v, new Set());
    const ids = [...g.nodes.filter((n) => !g.groups.has(n.id)).map((n) => n.id), ...g.groups.get("group:ip")!.identifiers];
    expect(ids.sort()).toEqual(v.nodes.map((n) => n.id).sort());
  });

  it("counts only what is shown: hidden and single-use identifiers do not push a kind over", () => {
    const v = farmView(GROUP_ABOVE);
    expect(shownGraph(v, shownAll).groups.size).toBe(1);
    expect(shownGraph(v, { ...shownAll, hidden: new Set(["ip:10.0.0.0", "ip:10.0.0.1"]) }).groups.size).toBe(0);
    expect(shownGraph(v, { ...shownAll, grouping: false }).nodes).toEqual(v.nodes);
    // Forty IPs used by one account each: hidden by default, grouped (as "used", not "shared") when shown.
    for (let i = 0; i < 40; i++) {
      v.nodes.push({ id: `ip:192.0.2.${i}`, kind: "ip", label: `192.0.2.${i}`, member: false, hub: false, accounts_total: 1, weight: 0.1 });
      v.edges.push({ source: "account:a0", target: `ip:192.0.2.${i}`, kind: "uses", count: 1 });
    }
    const singlesHidden = shownGraph(v, shownAll);
    expect(singlesHidden.groups.get("group:ip")!.identifiers.length).toBe(GROUP_ABOVE + 2 - KEEP_INDIVIDUAL);
    expect(describeGroup(singlesHidden.groups.get("group:ip")!)).toBe(`${GROUP_ABOVE + 2 - KEEP_INDIVIDUAL} IP addresses shared by accounts in this ring — click to expand`);
    const all = shownGraph(v, { ...shownAll, showSingles: true }).groups.get("group:ip")!;
    expect(all.identifiers.length).toBe(GROUP_ABOVE + 42 - KEEP_INDIVIDUAL);
    expect(describeGroup(all)).toMatch(/^\d+ IP addresses used by accounts in this ring/);
  });

  it("draws bigger groups bigger and heavier edges thicker", () => {
    expect(groupNodeSize(4, 212)).toBeGreaterThan(groupNodeSize(4, 31));
    expect(groupNodeSize(4, 31)).toBeGreaterThan(4);
    expect(groupEdgeSize(5)).toBeGreaterThan(groupEdgeSize(1));
  });
});
