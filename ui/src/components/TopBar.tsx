import type { Backend } from "../api";
import type { CaseSummary } from "../bindings/ipc";
import type { Theme } from "../logic/theme";
import { AccountSearch } from "./AccountSearch";
import { UserName } from "./UserName";

export type Pane = "rings" | "import" | "history" | "case";

const TABS: [Pane, string, string][] = [["rings", "Rings", "1"], ["import", "Import", "2"], ["history", "History", "3"], ["case", "Case", "4: type, status, assignee and checklist"]];

/** The app's top bar: the desk (when one is open), the open case with its panes and search, and the theme. */
export function TopBar({ backend, summary, hasDesk, deskShown, pane, onPane, onDesk, onOpenDesk, onOpenRing, theme, onTheme, actor, onActor }: {
  backend: Backend;
  summary: CaseSummary | null;
  hasDesk: boolean;
  deskShown: boolean;
  pane: Pane;
  onPane: (p: Pane) => void;
  onDesk: () => void;
  /** No desk is open yet (a case was opened on its own): choose a desk folder. */
  onOpenDesk: () => void;
  onOpenRing: (id: string) => void;
  theme: Theme;
  onTheme: () => void;
  /** Who the audit log names now (null until the backend said). */
  actor: string | null;
  onActor: (name: string) => void;
}) {
  const c = summary?.counts;
  return (
    <header class="topbar">
      <div class="brand">Ringscope</div>
      {hasDesk ? (
        <button class={deskShown ? "tab active" : "tab"} data-testid="desk-tab" title="The desk: its cases, KPIs and watchlist" onClick={onDesk}>Desk</button>
      ) : (
        <button class="tab" data-testid="open-desk-top" title="Open a desk folder: its cases, KPIs and watchlist" onClick={onOpenDesk}>Desk…</button>
      )}
      {summary && c ? (
        <>
          <div class="case-title" title={summary.path}>
            <bdi>{summary.meta.title}</bdi> <span class="muted">{summary.meta.reference ?? ""}</span>
          </div>
          <nav>
            {TABS.map(([p, label, key]) => (
              <button key={p} class={!deskShown && pane === p ? "tab active" : "tab"} data-testid={`tab-${p}`} onClick={() => onPane(p)} title={key}>{label}</button>
            ))}
          </nav>
          <AccountSearch backend={backend} onOpenRing={onOpenRing} />
          <div class="counts muted">
            {c.accounts} accounts · {c.payments} payments · {c.events} events · {summary.sources.length} sources
          </div>
        </>
      ) : (
        <span class="muted spacer">No case open: choose one from the desk.</span>
      )}
      <UserName backend={backend} actor={actor} onActor={onActor} />
      <button class="small theme-toggle" title="Theme: system, light or dark" onClick={onTheme}>{theme === "system" ? "◐ system" : theme === "light" ? "☀ light" : "☾ dark"}</button>
    </header>
  );
}
