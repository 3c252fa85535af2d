// The tables that decide a ring, beside its graph: members, binding identifiers, money to creators.
// A row click selects the node in the graph (and a node click marks its row).
import { useState } from "preact/hooks";
import type { Ring, MemberRow } from "../bindings/ipc";
import { amounts, date, money } from "../logic/format";
import { verdictLabel } from "../logic/reasons";

type Table = "members" | "identifiers" | "money";

export function RingTables({ ring, members, marked, selected, onSelect }: { ring: Ring; members: MemberRow[] | null; marked: Set<string>; selected: string[]; onSelect: (nodeId: string) => void }) {
  const [table, setTable] = useState<Table>("members");
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
            <table class="dense members" data-testid="members-table">
              <thead><tr><th>Account</th><th>Role</th><th>Status</th><th>Sign-up</th><th class="num">Paid</th><th class="num">Received</th><th class="num">Disp.</th><th>Decision</th></tr></thead>
              <tbody>
                {byMoney.map((m) => {
                  const id = `account:${m.account_id}`;
                  return (
                    <tr key={m.account_id} class={`${isSelected(id) ? "selected" : ""} ${marked.has(id) ? "marked" : ""}`} onClick={() => onSelect(id)} data-account={m.account_id}>
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
