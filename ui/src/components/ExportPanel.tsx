import { useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { ExportOutcome, ExportProgress, Profile } from "../bindings/ipc";
import { humanError } from "../logic/messages";

/** A ring's packet, or (`accounts`) one of just some of its accounts. */
export function ExportPanel({ backend, ringId, accounts, onWholeRing, onExported }: { backend: Backend; ringId: string; accounts?: string[] | null; onWholeRing?: () => void; onExported: () => void }) {
  const [narrative, setNarrative] = useState("");
  const [profile, setProfile] = useState<Profile>("legal");
  const [key, setKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async () => {
    const [dir] = await backend.pick("export_folder", "Folder for the evidence packet", null);
    if (!dir) return;
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const subjects = accounts?.length ? { ring_id: null, accounts } : { ring_id: ringId, accounts: [] };
      setOutcome(await backend.exportPacket({ ...subjects, out_dir: dir, narrative, profile, sign_key: key, zip: true }, setProgress));
      onExported();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };
  return (
    <div class="export">
      {accounts?.length ? (
        <div class="small" data-testid="export-subjects">
          Exporting <strong>{accounts.length} selected account{accounts.length === 1 ? "" : "s"}</strong> of {ringId}, not the whole ring.{" "}
          {onWholeRing && <button class="link" onClick={onWholeRing}>Export the whole ring instead</button>}
        </div>
      ) : (
        <div class="small muted">Exporting ring {ringId}: every member, the identifiers that bind them, their payments and your decisions.</div>
      )}
      <label>Narrative for the report<textarea rows={6} value={narrative} onInput={(e) => setNarrative(e.currentTarget.value)} placeholder="What happened, what the evidence shows, what you recommend." /></label>
      <div class="row">
        <label>Redaction <select value={profile} onChange={(e) => setProfile(e.currentTarget.value as Profile)}><option value="legal">legal (everything)</option><option value="external">external (mask emails, phones, IPs, cards)</option></select></label>
        <button onClick={async () => setKey((await backend.pick("signing_key", "minisign secret key", null))[0] ?? null)}>{key ? "Signing key chosen" : "Sign with key…"}</button>
        {key && <button onClick={() => setKey(null)}>Don't sign</button>}
        <button class="primary" disabled={busy} onClick={run}>{busy ? "Exporting…" : "Export packet…"}</button>
      </div>
      {busy && progress && (
        <div class="export-progress small" role="status" data-testid="export-progress">
          <progress max={Math.max(progress.total, 1)} value={progress.total ? progress.done : 0} /> {progress.detail}…
        </div>
      )}
      {error && <div class="error" role="alert">{humanError(error)}</div>}
      {outcome && (
        <div class={`card result ${outcome.verification.ok ? "ok" : "bad"}`} data-testid="export-result">
          <div>Packet <strong class="mono">{outcome.packet_id}</strong> written to <span class="mono small">{outcome.folder}</span></div>
          {outcome.zip && <div class="small">zip: <span class="mono">{outcome.zip}</span></div>}
          <div>{outcome.signed_by ? `Signed with key ${outcome.signed_by}.` : "Not signed."}</div>
          <div><strong>{outcome.verification.ok ? "Verified: complete and unaltered" : "Verification FAILED"}</strong> ({outcome.verification.files_checked} file hashes checked)</div>
          {outcome.verification.problems.map((p, i) => <div class="small mono" key={i}>{p.file}: {p.message}</div>)}
        </div>
      )}
    </div>
  );
}
