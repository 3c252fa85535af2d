import { useEffect, useState } from "preact/hooks";
import type { Backend } from "../api";
import type { Flag } from "../bindings/ipc";
import { when } from "../logic/desk";

/**
 * A notice when accounts of the open case use identifiers of rings confirmed in earlier cases of the desk. Shown
 * again after each import (`version`); without a desk the backend answers none.
 */
/** A returning farm can flag thousands of identifier uses: the notice lists the first ones. */
const SHOWN = 200;

export function WatchFlags({ backend, caseKey, version, onOpenEarlier }: { backend: Backend; caseKey: string; version: number; onOpenEarlier?: (file: string) => void }) {
  const [flags, setFlags] = useState<Flag[]>([]);
  useEffect(() => {
    // A notice, not a task: if the desk cannot be read now, the case works as without one. An answer for a case
    // that is no longer shown is dropped.
    let current = true;
    backend.watchFlags().then((f) => current && setFlags(f), () => current && setFlags([]));
    return () => {
      current = false;
    };
  }, [caseKey, version]);
  if (!flags.length) return null;
  const accounts = new Set(flags.map((f) => f.account_id)).size;
  return (
    <details class="notice watch-flags" data-testid="watch-flags">
      <summary>
        <strong data-testid="watch-flags-summary">
          {accounts} account{accounts === 1 ? " uses" : "s use"} identifiers confirmed in earlier cases
        </strong>{" "}
        <span class="small">({flags.length} identifier use{flags.length === 1 ? "" : "s"} · show which)</span>
      </summary>
      <div class="watch-flags-list">
        <table class="dense small">
          <thead><tr><th>Account</th><th>Identifier</th><th>Earlier case</th><th>Ring</th><th>Decided</th></tr></thead>
          <tbody>
            {flags.slice(0, SHOWN).map((f) => (
              <tr key={`${f.account_id}:${f.kind}:${f.value}:${f.earlier.case_uid}:${f.earlier.ring_id}`} data-testid="watch-flag" data-account={f.account_id}>
                <td class="mono">{f.account_id}</td>
                <td><span class={`kind kind-${f.kind}`}>{f.kind}</span> <bdi class="mono">{f.value}</bdi></td>
                <td>
                  {f.earlier.case_file && onOpenEarlier ? (
                    <button class="link" data-testid="open-earlier-case" title={`Open ${f.earlier.case_file}`} onClick={() => onOpenEarlier(f.earlier.case_file!)}><bdi>{f.earlier.case_title ?? f.earlier.case_file}</bdi></button>
                  ) : (
                    <bdi>{f.earlier.case_title ?? f.earlier.case_file ?? f.earlier.case_uid}</bdi>
                  )}{" "}
                  {f.earlier.reference && <span class="muted">{f.earlier.reference}</span>}
                </td>
                <td class="mono">{f.earlier.ring_id} <span class="muted">({f.earlier.account_id})</span></td>
                <td>{f.earlier.decided_at ? `confirmed ${when(f.earlier.decided_at)}` : "confirmed"}{f.earlier.decided_by && <> by <bdi>{f.earlier.decided_by}</bdi></>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {flags.length > SHOWN && <p class="muted small">and {flags.length - SHOWN} more (every flag is in the case history, and on each account)</p>}
      </div>
    </details>
  );
}
