import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError, type Backend } from "../api";
import type { AccountSearch as Results } from "../bindings/ipc";
import { AccountDetails } from "./AccountDetails";

/** Find any account in the case by id, display name or email, or by an identifier it used (a device id, IP, card
 * fingerprint, email or phone, as linking reads it); "/" focuses it. Open the account's record or its ring. */
export function AccountSearch({ backend, onOpenRing }: { backend: Backend; onOpenRing: (ringId: string) => void }) {
  const [text, setText] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [openRing, setOpenRing] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const focus = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener("keydown", focus);
    return () => window.removeEventListener("keydown", focus);
  }, []);

  useEffect(() => {
    const query = text.trim();
    if (!query) {
      setResults(null);
      return;
    }
    // Wait for a pause in typing; drop answers to queries the user has already typed past.
    let current = true;
    const timer = setTimeout(() => {
      backend.searchAccounts(query, 20).then(
        (r) => current && (setResults(r), setMessage(null)),
        (e) => current && setMessage(asApiError(e).message),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  const close = () => {
    setText("");
    setResults(null);
    setOpen(null);
    setOpenRing(null);
  };
  const show = (id: string) => { setOpenRing(null); setOpen(id); };
  return (
    <div class="account-search" onKeyDown={(e) => e.key === "Escape" && close()}>
      <input ref={input} type="search" placeholder="Find account  /" aria-label="Find account" value={text} onInput={(e) => { setText(e.currentTarget.value); setOpen(null); }} />
      {(results || message) && !open && (
        <ul class="search-results card" role="listbox">
          {message && <li class="muted">{message}</li>}
          {results?.hits.length === 0 && results.identifiers.length === 0 && <li class="muted">No account matches.</li>}
          {results?.hits.map((h) => (
            <li key={h.account_id} role="option" tabIndex={0} onClick={() => show(h.account_id)} onKeyDown={(e) => e.key === "Enter" && show(h.account_id)}>
              <span class="mono">{h.account_id}</span> <span class="hit-name">{h.display_name ?? ""}</span> <span class="muted small">{h.email ?? ""}</span>
              {h.ring && <span class="pill">{h.ring}</span>}
            </li>
          ))}
          {results?.truncated && <li class="muted small">More accounts match; type more to narrow.</li>}
          {results?.identifiers.map((h) => (
            <li key={`${h.account_id}:${h.kind}`} role="option" tabIndex={0} class="identifier-hit" onClick={() => show(h.account_id)} onKeyDown={(e) => e.key === "Enter" && show(h.account_id)}>
              <span class="mono">{h.account_id}</span> <span class="muted small">used {h.kind}</span> <span class="mono small">{h.value}</span>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div class="search-results card account-card" role="dialog" aria-label={`Account ${open}`}>
          <div class="row"><strong class="mono">{open}</strong><span class="spacer" /><button onClick={close} aria-label="Close">×</button></div>
          <AccountDetails backend={backend} accountId={open} onLoaded={(r) => setOpenRing(r.ring)} />
          <div class="row">
            {openRing ? <button class="primary" onClick={() => { onOpenRing(openRing); close(); }}>Open ring {openRing}</button> : <span class="muted small">In no ring.</span>}
          </div>
        </div>
      )}
    </div>
  );
}
