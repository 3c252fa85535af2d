import { useEffect, useState } from "preact/hooks";
import { asApiError, type Backend } from "../api";
import type { AccountRecord } from "../bindings/ipc";
import { SourceRef } from "./SourceRef";

/** An account's record as imported, its ring and the identifiers it used. Every value is data from the exports
 * and is rendered as text. */
export function AccountDetails({ backend, accountId, onLoaded }: { backend: Backend; accountId: string; onLoaded?: (record: AccountRecord) => void }) {
  const [record, setRecord] = useState<AccountRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRecord(null);
    setError(null);
    backend.accountDetail(accountId).then(
      (r) => { setRecord(r); onLoaded?.(r); },
      (e) => setError(asApiError(e).message),
    );
  }, [accountId]);
  if (error) return <p class="muted small">{error}</p>;
  if (!record) return null;
  const a = record.account;
  const rows: [string, string | null][] = [
    ["Display name", a.display_name],
    ["Email", a.email],
    ["Phone", a.phone],
    ["Role / status", [a.role, a.status].filter(Boolean).join(" / ") || null],
    ["Signed up", a.created_at],
    ["Country", a.country],
    ["Payments", `${a.payments} (${a.disputes} disputed)`],
    ["Ring", record.ring],
  ];
  return (
    <table class="dense account-details" data-testid="account-details">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}><th>{k}</th><td>{v ?? "–"}</td></tr>
        ))}
        <tr><th>Record</th><td>{a.source ? <SourceRef backend={backend} reference={a.source} /> : "–"}</td></tr>
        {record.identifiers.slice(0, 12).map((i) => (
          <tr key={`${i.kind}:${i.value}`} class="identifier-row"><th>{i.kind}</th><td class="mono">{i.value} <span class="muted small">×{i.times}</span></td></tr>
        ))}
        {record.identifiers.length > 12 && <tr><th /><td class="muted small">and {record.identifiers.length - 12} more identifiers</td></tr>}
        {record.watch_flags.map((f) => (
          <tr key={`w:${f.kind}:${f.value}:${f.case_uid}:${f.ring_id}`} class="watch-row" data-testid="account-watch-flag">
            <th>watchlist</th>
            <td><span class="pill bad">watched</span> {f.kind} <span class="mono">{f.value}</span> was confirmed in <bdi>{f.case_title ?? f.case_uid}</bdi>, ring {f.ring_id}</td>
          </tr>
        ))}
        {record.tickets.map((t) => (
          <tr key={`t:${t.ticket_id}`} class="ticket-row" data-testid="account-ticket">
            <th>ticket #{t.ticket_id}</th>
            <td><bdi>{t.subject ?? ""}</bdi> <span class="muted small">{t.status ?? ""} · {t.created_at.slice(0, 10)}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
