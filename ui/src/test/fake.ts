// An in-memory backend for UI tests: the same interface the Tauri backend implements.
import type { Backend } from "../api";
import type { CaseSummary, PickPurpose, Ring } from "../bindings/ipc";
import { fakeDesk } from "./fakeDesk";

export function ring(id: string, score: number, members: string[]): Ring {
  return {
    id, rank: 1, score, members,
    reasons: [{ feature: "accounts", value: members.length, contribution: score, detail: `${members.length} linked accounts` }],
    binding: [
      {
        kind: "device",
        value: "dev-1",
        weight: 1,
        accounts_total: members.length,
        members,
        reading: { verdict: "binds", weight: 1, why: `a device shared by ${members.length} accounts` },
      },
    ],
    counts: { accounts: members.length, creators: 0, devices: 1, cards: 0, ips: 0, emails: 0, phones: 0, hubs: 0, payments: 2, declines: 0, disputes: 1 },
    amounts: [{ currency: "USD", paid_minor: 1999, disputed_minor: 999 }],
    first_activity: "2026-01-01T00:00:00Z", last_activity: "2026-01-02T00:00:00Z",
    signup_burst: members.length, signup_burst_window_hours: 48, creators_paid: [], decision: null, removed: [],
  };
}

export const summary: CaseSummary = {
  path: "/cases/sample.ringscope",
  schema_version: 3,
  meta: { case_uid: "u", title: "Sample <b>case</b>", reference: "ZD-1", investigator: "ana", phone_region: "US", created_at: "2026-01-01T00:00:00Z" },
  counts: { accounts: 3, payments: 2, events: 5, sources: 1, sightings: 0, conflicts: 0, rejects: 0, audit_entries: 2 },
  sources: [],
};

export type FakeOptions = {
  /** Start with no case open (the start screen); by default `summary` is open, as if given on the command line. */
  noCase?: boolean;
  /** What a dialog answers for a purpose when it suggests no path (a suggested path is chosen again as it is). */
  picks?: Partial<Record<PickPurpose, string[]>>;
};

export function fakeBackend(overrides: Partial<Backend> = {}, options: FakeOptions = {}): Backend & { calls: string[] } {
  const calls: string[] = [];
  // Paths the user chose in a dialog: the desk, like the real backend, opens only those.
  const granted = new Set<string>();
  let open: CaseSummary | null = options.noCase ? null : summary;
  const rings = [ring("R-0001", 9.5, ["<img src=x onerror=alert(1)>", "u2"]), ring("R-0002", 2.1, ["u3", "u4"]), ring("R-0003", 1.2, ["u5", "u6"])];
  const base: Backend = {
    createCase: async () => (open = summary),
    openCase: async () => (open = summary),
    caseSummary: async () => {
      if (!open) throw { code: "no_case", message: "no case is open" };
      return open;
    },
    previewImport: async () => { throw { code: "x", message: "not used" }; },
    importFiles: async () => undefined,
    cancelImport: async () => undefined,
    listRings: async (q) => {
      calls.push(`listRings:${q.sort}:${q.descending}`);
      const shown = rings.filter((r) => (q.decision === "none" ? !r.decision : true));
      return { total: shown.length, rings: q.descending ? shown : [...shown].reverse(), hub_identifiers: 0, placeholder_values: 0 };
    },
    ringGraph: async (id) => ({ ring: rings.find((r) => r.id === id)!, nodes: [], edges: [] }),
    ringMembers: async (id) => rings.find((r) => r.id === id)!.members.map((m, i) => ({
      account_id: m, role: "fan", status: i === 1 ? "banned" : "active", created_at: "2026-01-01T00:00:00Z",
      paid: [{ currency: "USD", paid_minor: 1000 * (i + 1), disputed_minor: 0 }], received: [], payments: i + 1, disputes: i, decision: null,
    })),
    explainLink: async (from, to) => ({ from, to, linked: false, hops: [] }),
    ringTimeline: async () => [],
    accountDetail: async (id) => ({
      account: {
        account_id: id, role: "fan", status: "active", created_at: "2026-01-01T00:00:00Z", email: "a@example.org", phone: null,
        display_name: "<img src=x onerror=alert(1)>", country: "US", payments: 2, disputes: 1, source: "accounts.csv:7",
      },
      ring: "R-0001",
      identifiers: [{ kind: "device", value: "\u202edevice-1", times: 3 }],
      payments_made: [],
      payments_received: [],
      tickets: [{ account_id: id, ticket_id: 90102, subject: "Refund <b>please</b>", status: "new", created_at: "2026-02-22T11:00:00Z", updated_at: null, tags: [] }],
      watch_flags: [],
    }),
    sourceRow: async (reference) => [{
      file: reference.split(":")[0], source_id: 1, sha256: "ab".repeat(32), line: Number(reference.split(":")[1]), kind: "accounts",
      fate: "imported", values: [["account_id", "u1"], ["display_name", "<img src=x onerror=alert(1)>"]], note: null,
    }],
    removeMembers: async (ringId, accounts, reason) => {
      calls.push(`remove:${ringId}:${accounts.join(",")}:${reason}`);
      const r = rings.find((x) => x.id === ringId)!;
      r.members = r.members.filter((m) => !accounts.includes(m));
      r.removed = [...(r.removed ?? []), ...accounts.map((account_id) => ({ ring_id: ringId, account_id, reason, actor: "ana", ts: "2026-11-25T10:00:00Z" }))];
      return r;
    },
    restoreMembers: async (ringId, accounts) => {
      calls.push(`restore:${ringId}:${accounts.join(",")}`);
      const r = rings.find((x) => x.id === ringId)!;
      r.members = [...r.members, ...accounts];
      r.removed = (r.removed ?? []).filter((m) => !accounts.includes(m.account_id));
      return r;
    },
    splitRing: async (ringId, accounts, reason) => {
      calls.push(`split:${ringId}:${accounts.join(",")}:${reason ?? ""}`);
      const r = rings.find((x) => x.id === ringId)!;
      const before = [...r.members];
      r.members = r.members.filter((m) => !accounts.includes(m));
      const edit = { id: rings.length + 100, kind: "split" as const, ring_id: ringId, other_ring: `R-${String(rings.length + 1).padStart(4, "0")}`, accounts, ring_accounts: before, reason, actor: "ana", ts: "2026-01-03T00:00:00Z" };
      const split = { ...ring(edit.other_ring, 1, accounts), edits: [edit] };
      r.edits = [...(r.edits ?? []), edit];
      rings.push(split);
      return { edit, rings: [r, split] };
    },
    mergeRings: async (into, from, reason) => {
      calls.push(`merge:${into}:${from}:${reason ?? ""}`);
      const kept = rings.find((x) => x.id === into)!;
      const gone = rings.findIndex((x) => x.id === from);
      const edit = { id: rings.length + 200, kind: "merge" as const, ring_id: into, other_ring: from, accounts: rings[gone].members, ring_accounts: kept.members, reason, actor: "ana", ts: "2026-01-03T00:00:00Z" };
      kept.members = [...kept.members, ...rings[gone].members];
      kept.edits = [...(kept.edits ?? []), edit];
      rings.splice(gone, 1);
      return { edit, rings: [kept] };
    },
    undoRingEdit: async (editId) => {
      calls.push(`undo:${editId}`);
      const r = rings.find((x) => (x.edits ?? []).some((e) => e.id === editId))!;
      const edit = r.edits!.find((e) => e.id === editId)!;
      r.edits = r.edits!.filter((e) => e.id !== editId);
      return { edit, rings: [r] };
    },
    decideMany: async (items, state, note) => {
      const out = [];
      for (const item of items) out.push(await base.decide(item, state, note));
      return out;
    },
    decide: async (item, state, note) => {
      calls.push(`decide:${item}:${state}:${note}`);
      const decision = { item_kind: "ring" as const, item_id: item, state, note, actor: "ana", ts: "" };
      const r = rings.find((x) => x.id === item);
      if (r) r.decision = decision;
      return decision;
    },
    addNote: async (item, text) => void calls.push(`note:${item}:${text}`),
    history: async () => ({ chain_ok: true, chain_error: null, entries: [], notes: [] }),
    exportPacket: async () => { throw { code: "export", message: "not used" }; },
    pick: async (purpose, _title, suggested) => {
      calls.push(`pick:${purpose}:${suggested}`);
      const chosen = suggested ? [suggested] : options.picks?.[purpose] ?? [];
      for (const path of chosen) granted.add(path);
      return chosen;
    },
    searchAccounts: async (text) => ({
      hits: [{ account_id: "u0000357", display_name: "<img src=x onerror=alert(1)>", email: `${text}@example.org`, role: "fan", ring: "R-0001" }],
      truncated: false,
      identifiers: [{ account_id: "u0000412", kind: "device", value: text }],
    }),
    onFilesDropped: async () => () => undefined,
    setUser: async (name) => {
      calls.push(`user:${name ?? ""}`);
      return name?.trim() || "ana";
    },
    importTickets: async (path) => {
      calls.push(`tickets:${path}`);
      return { file: "tickets.json", sha256: "ab", tickets: 4, new: 4, updated: 0, unchanged: 0, already_imported: false, linked_tickets: 2, without_email: 1 };
    },
    exportWatchlist: async (dir) => {
      calls.push(`watchlist-export:${dir}`);
      return [`${dir}/watchlist.csv`, 3];
    },
    importWatchlist: async (path) => {
      calls.push(`watchlist-import:${path}`);
      return 2;
    },
    exportKpiReport: async (dir) => {
      calls.push(`review:${dir}`);
      return `${dir}/program-review-2026-W48.pdf`;
    },
    openTicket: async (file) => {
      calls.push(`open-ticket:${file}`);
      return `https://example.zendesk.com/agent/tickets/${file}`;
    },
    ...fakeDesk(calls, granted, (s) => (open = s)),
  };
  return Object.assign(base, overrides, { calls });
}
