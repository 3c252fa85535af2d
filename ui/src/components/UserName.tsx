import { useState } from "preact/hooks";
import { asApiError, type Backend } from "../api";
import { humanError } from "../logic/messages";

const KEY = "ringscope.user";

/** The name this machine's user chose; the app sends it at start-up so the audit log names them. */
export function savedUser(): string | null {
  return localStorage.getItem(KEY);
}

/**
 * Who the audit log names for what you do: a name you choose (kept between sessions), else the open case's
 * investigator. Someone working a case assigned to a colleague says who they are here.
 */
export function UserName({ backend, actor, onActor }: { backend: Backend; actor: string | null; onActor: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(savedUser() ?? "");
  const [error, setError] = useState<string | null>(null);
  const save = async (value: string | null) => {
    try {
      onActor(await backend.setUser(value));
      if (value?.trim()) localStorage.setItem(KEY, value.trim());
      else localStorage.removeItem(KEY);
      setEditing(false);
      setError(null);
    } catch (e) {
      setError(humanError(asApiError(e)));
    }
  };
  if (!editing)
    return (
      <button class="small user-name" data-testid="user-name" title="Who the case history names for what you do. Click to change." onClick={() => setEditing(true)}>
        <span class="muted">You:</span> <bdi>{actor ?? "—"}</bdi>
      </button>
    );
  return (
    <form class="user-form small" data-testid="user-form" onSubmit={(e) => { e.preventDefault(); save(name); }}>
      <input aria-label="Your name for the case history" value={name} maxLength={200} placeholder="your name" onInput={(e) => setName(e.currentTarget.value)} />
      <button type="submit" disabled={!name.trim()}>Save</button>
      <button type="button" title="Name the open case's investigator instead" onClick={() => { setName(""); save(null); }}>Clear</button>
      <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      {error && <span class="bad-text">{error}</span>}
    </form>
  );
}
