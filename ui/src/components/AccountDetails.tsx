import { useEffect, useState } from "preact/hooks";
import type { Backend } from "../api";
import type { AccountDetail } from "../bindings/ipc";

/** An account's record as imported. Every value is data from the exports and is rendered as text. */
export function AccountDetails({ backend, accountId }: { backend: Backend; accountId: string }) {
  const [detail, setDetail] = useState<AccountDetail | null>(null);
  useEffect(() => {
    backend.accountDetail(accountId).then(setDetail, () => setDetail(null));
  }, [accountId]);
  if (!detail) return null;
  const rows: [string, string | null][] = [
    ["Display name", detail.display_name],
    ["Email", detail.email],
    ["Phone", detail.phone],
    ["Role / status", [detail.role, detail.status].filter(Boolean).join(" / ") || null],
    ["Signed up", detail.created_at],
    ["Country", detail.country],
    ["Payments", `${detail.payments} (${detail.disputes} disputed)`],
    ["Record", detail.source],
  ];
  return (
    <table class="dense account-details" data-testid="account-details">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}><th>{k}</th><td>{v ?? "–"}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
