import { useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { TicketImport as Outcome } from "../bindings/ipc";
import { humanError } from "../logic/messages";

/** Zendesk ticket exports: tickets attach to accounts by requester email and show on the timelines. */
export function TicketImport({ backend, onImported }: { backend: Backend; onImported: () => void }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setError(null);
    setOutcome(null);
    try {
      const [file] = await backend.pick("ticket_export", "Zendesk ticket export (JSON)", null);
      if (!file) return;
      setBusy(true);
      setOutcome(await backend.importTickets(file));
      onImported();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card tickets" data-testid="ticket-import">
      <strong>Support tickets</strong>{" "}
      <span class="muted small">A Zendesk incremental ticket export (JSON, users sideloaded): tickets attach to accounts by the requester's email.</span>{" "}
      <button onClick={run} disabled={busy}>{busy ? "Importing…" : "Import Zendesk tickets…"}</button>
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      {outcome && (
        <div class="small" data-testid="ticket-result">
          {outcome.already_imported
            ? `${outcome.file} was imported before: nothing changed.`
            : `${outcome.file}: ${outcome.tickets} tickets (${outcome.new} new, ${outcome.updated} updated); ${outcome.linked_tickets} requested by accounts of this case${outcome.without_email ? `, ${outcome.without_email} without a requester email` : ""}.`}
        </div>
      )}
    </div>
  );
}
