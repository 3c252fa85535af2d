// The tables that decide a ring, beside its graph: members, binding identifiers, money to creators.
// A row click selects the node in the graph (and a node click marks its row).
import { useState } from "preact/hooks";
import type { Ring, MemberRow, DecisionState, RingEdit } from "../bindings/ipc";
import { amounts, date, money } from "../logic/format";
import { verdictLabel } from "../logic/reasons";

type Table = "members" | "identifiers" | "money";

/** Accounts ticked in the members table (by hand, or from a timeline range) and deciding them, one or many. */
export interface AccountChoice {
  checked: Set<string>;
  setChecked: (ids: Set<string>) => void;
  decide: (accounts: string[], state: DecisionState) => Promise<void>;
  /** Take accounts out of the ring as false positives (the note is the reason), or put removed ones back. */
  remove: (accounts: string[]) => Promise<void>;
  restore: (accounts: string[]) => Promise<void>;
  /** Move accounts into a new ring of their own (the note is the reason). */
  split: (accounts: string[]) => Promise<void>;
  /** Export an evidence packet of just these accounts. */
  exportAccounts: (accounts: string[]) => void;
  undoEdit: (editId: number) => Promise<void>;
}

/** A split or merge in words, from the side of the ring shown. */
function editText(e: RingEdit, shown: string): string {
  const n = e.accounts.length;
  if (e.kind === "merge") return `${e.other_ring} (${n} account${n === 1 ? "" : "s"}) was merged into this ring.`;
  return e.ring_id === shown ? `${n} accounts were split off into ${e.other_ring}.` : `Split off from ${e.ring_id} (${n} accounts).`;
}

export function RingTables({ ring, members, marked, selected, onSelect, choice }: { ring: Ring; members: MemberRow[] | null; marked: Set<string>; selected: string[]; onSelect: (nodeId: string) => void; choice: AccountChoice }) {
  const [table, setTable] = useState<Table>("members");
  const { checked, setChecked } = choice;
  const toggle = (account: string) => {
    const next = new Set(checked);
    if (next.has(account)) next.delete(account);
    else next.add(account);
    setChecked(next);
  };
  const allChecked = !!members?.length && members.every((m) => checked.has(m.account_id));
  const isSelected = (id: string) => selected.includes(id);
  // Accounts a reason names lead, then the most money through them.
  const byMoney = members ? [...members].sort((a, b) => Number(marked.has(`account:${b.account_id}`)) - Number(marked.has(`account:${a.account_id}`)) || rank(b) - rank(a)) : null;
  return (
    <div class="ring-tables">
      <nav class="subtabs small" role="tablist">
        <button role="tab" class={table === "members" ? "tab active" : "tab"} onClick={() => setTable("members")}>Members ({ring.members.length})</button>
        <button role="tab" class={table === "identifiers" ? "tab active" : "tab"} onClick={() => setTable("identifiers")}>Identifiers ({ring.binding.length})</button>
        <button role="tab" class={table === "money" ? "tab active" : "tab"} onClick={() => setTable("money")}>Money ({ring.creators_paid.length})</button>
      </nav>
      <div class="table-scroll">
        {table === "members" &&
          (byMoney ? (
            <>
            {checked.size > 0 && (
              <div class="bulk row small" data-testid="account-bulk">
                <strong>{checked.size} account{checked.size === 1 ? "" : "s"}</strong>
                <button class="ok" onClick={() => choice.decide([...checked], "confirmed")}>Confirm</button>
                <button onClick={() => choice.decide([...checked], "needs_review")}>Needs review</button>
                <button onClick={() => choice.decide([...checked], "dismissed")}>Dismiss</button>
                <button title="Not part of this ring: detection keeps it out (recorded, reversible)" onClick={() => choice.remove([...checked])}>Remove from ring</button>
                {checked.size >= 2 && ring.members.length - checked.size >= 2 && (
                  <button data-testid="split-ring" title="A ring of their own: detection keeps them apart (recorded, undoable)" onClick={() => choice.split([...checked])}>Split into new ring</button>
                )}
                <button data-testid="export-accounts" onClick={() => choice.exportAccounts([...checked])}>Export these…</button>
                <button onClick={() => setChecked(new Set())}>Clear</button>
              </div>
            )}
            {(ring.edits ?? []).length > 0 && (
              <div class="removed small" data-testid="ring-edits">
                {(ring.edits ?? []).map((e) => (
                  <div key={e.id} title={`${e.actor} at ${e.ts}${e.reason ? `: ${e.reason}` : ""}`}>
                    {editText(e, ring.id)} <button class="link" onClick={() => choice.undoEdit(e.id)}>undo</button>
                  </div>
                ))}
              </div>
            )}
            {(ring.removed ?? []).length > 0 && (
              <div class="removed small" data-testid="removed-members">
                Removed from this ring:{" "}
                {(ring.removed ?? []).map((r) => (
                  <span key={r.account_id} class="removed-member" title={`${r.actor} at ${r.ts}${r.reason ? `: ${r.reason}` : ""}`}>
                    <span class="mono">{r.account_id}</span> <button class="link" onClick={() => choice.restore([r.account_id])}>restore</button>{" "}
                  </span>
                ))}
              </div>
            )}
            <table class="dense members" data-testid="members-table">
              <thead><tr><th class="check"><input type="checkbox" aria-label="Select every member" checked={allChecked} onChange={() => setChecked(allChecked ? new Set() : new Set(members?.map((m) => m.account_id)))} /></th><th>Account</th><th>Role</th><th>Status</th><th>Sign-up</th><th class="num">Paid</th><th class="num">Received</th><th class="num">Disp.</th><th>Decision</th></tr></thead>
              <tbody>
                {byMoney.map((m) => {
                  const id = `account:${m.account_id}`;
                  return (
                    <tr key={m.account_id} class={`${isSelected(id) ? "selected" : ""} ${marked.has(id) ? "marked" : ""}`} onClick={() => onSelect(id)} data-account={m.account_id}>
                      <td class="check" onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={`Select ${m.account_id}`} checked={checked.has(m.account_id)} onChange={() => toggle(m.account_id)} /></td>
                      <td class="mono">{marked.has(id) && <span title="named by a reason (banned)">⛔ </span>}{m.account_id}</td>
                      <td>{m.role ?? "–"}</td>
                      <td class={m.status === "banned" ? "bad-text" : ""}>{m.status ?? "–"}</td>
                      <td class="small">{date(m.created_at)}</td>
                      <td class="num small">{amounts(m.paid)}</td>
                      <td class="num small">{m.received.length ? m.received.map((a) => money(a.paid_minor, a.currency)).join(" · ") : "–"}</td>
                      <td class="num">{m.disputes || "–"}</td>
                      <td>{m.decision ? <span class={`pill ${m.decision.state}`}>{m.decision.state.replace("_", " ")}</span> : <span class="muted">–</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            </>
          ) : (
            <div class="muted small">Loading members…</div>
          ))}
        {table === "identifiers" && (
          <table class="dense identifiers" data-testid="identifiers-table">
            <thead><tr><th>Kind</th><th>Value</th><th class="num">Members</th><th class="num">In case</th><th>Reading</th></tr></thead>
            <tbody>
              {[...ring.binding].sort((a, b) => b.reading.weight - a.reading.weight || b.members.length - a.members.length).map((b) => {
                const id = `${b.kind}:${b.value}`;
                return (
                  <tr key={id} class={isSelected(id) ? "selected" : ""} onClick={() => onSelect(id)}>
                    <td><span class={`kind kind-${b.kind}`}>{b.kind}</span></td>
                    <td class="mono small value">{b.value}</td>
                    <td class="num">{b.members.length}</td>
                    <td class="num">{b.accounts_total}</td>
                    <td class="small"><strong class={`verdict-${b.reading.verdict}`}>{verdictLabel(b.reading.verdict)}</strong> <span class="muted">{b.reading.why}</span></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {table === "money" &&
          (ring.creators_paid.length ? (
            <table class="dense money" data-testid="money-table">
              <thead><tr><th>Creator</th><th class="num">Received</th><th class="num">Share</th><th class="num">Payers</th><th>In ring</th></tr></thead>
              <tbody>
                {[...ring.creators_paid].sort((a, b) => b.share - a.share).map((c) => {
                  const id = `account:${c.creator_id}`;
                  return (
                    <tr key={`${c.creator_id}:${c.currency}`} class={isSelected(id) ? "selected" : ""} onClick={() => onSelect(id)}>
                      <td class="mono">{c.creator_id}</td>
                      <td class="num">{money(c.amount_minor, c.currency)}</td>
                      <td class="num">{Math.round(c.share * 100)}%</td>
                      <td class="num">{c.payers}</td>
                      <td>{c.in_ring ? "yes" : "no"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <div class="muted small">The ring paid no creator.</div>
          ))}
      </div>
    </div>
  );
}

/** Members with the most money through them first (paid plus received, all currencies summed as minor units). */
function rank(m: MemberRow): number {
  return [...m.paid, ...m.received].reduce((s, a) => s + a.paid_minor, 0);
}
