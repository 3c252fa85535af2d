import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, Ring } from "../bindings/ipc";
import { CaseStart } from "./CaseStart";
import { ImportPanel } from "./ImportPanel";
import { RingList } from "./RingList";
import { RingView } from "./RingView";
import { HistoryPanel } from "./HistoryPanel";
import { AccountSearch } from "./AccountSearch";
import { humanError } from "../logic/messages";
import { nextRing, nextUndecided } from "../logic/triage";
import { applyTheme, nextTheme, savedTheme, type Theme } from "../logic/theme";

type Pane = "rings" | "import" | "history";

export function App({ backend }: { backend: Backend }) {
  const [summary, setSummary] = useState<CaseSummary | null>(null);
  const [pane, setPane] = useState<Pane>("rings");
  const [ringId, setRingId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const [dropped, setDropped] = useState<string[]>([]);
  const [theme, setTheme] = useState<Theme>(() => savedTheme());
  const [listWidth, setListWidth] = useState(() => Number(localStorage.getItem("ringscope.listWidth")) || 490);
  const rings = useRef<Ring[]>([]);
  const current = useRef<string | null>(null);
  current.current = ringId;
  const refresh = () => backend.caseSummary().then(setSummary, (e) => setError(asApiError(e)));

  useEffect(() => {
    // A case given on the command line is already open.
    backend.caseSummary().then(setSummary, (e) => {
      const err = asApiError(e);
      if (err.code !== "no_case") setError(err);
    });
  }, []);

  useEffect(() => applyTheme(theme), [theme]);

  useEffect(() => {
    // Files dropped anywhere on the window go to the import pane.
    const off = backend.onFilesDropped((paths) => {
      setPane("import");
      setDropped(paths);
    });
    return () => void off.then((unsubscribe) => unsubscribe());
  }, []);

  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
      // j/k or the arrows move through the rings (the list's order), outside text fields.
      const step = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
      if (step && rings.current.length) {
        e.preventDefault();
        const id = nextRing(rings.current, current.current, step);
        if (id) {
          setPane("rings");
          setRingId(id);
        }
      }
      if (e.key === "1") setPane("rings");
      if (e.key === "2") setPane("import");
      if (e.key === "3") setPane("history");
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, []);

  if (!summary) return <CaseStart backend={backend} onOpen={setSummary} startupError={error} />;
  const c = summary.counts;
  return (
    <div class="app">
      <header class="topbar">
        <div class="brand">Ringscope</div>
        <div class="case-title" title={summary.path}>
          {summary.meta.title} <span class="muted">{summary.meta.reference ?? ""}</span>
        </div>
        <nav>
          <button class={pane === "rings" ? "tab active" : "tab"} onClick={() => setPane("rings")} title="1">Rings</button>
          <button class={pane === "import" ? "tab active" : "tab"} onClick={() => setPane("import")} title="2">Import</button>
          <button class={pane === "history" ? "tab active" : "tab"} onClick={() => setPane("history")} title="3">History</button>
        </nav>
        <AccountSearch backend={backend} onOpenRing={(id) => { setPane("rings"); setRingId(id); }} />
        <div class="counts muted">
          {c.accounts} accounts · {c.payments} payments · {c.events} events · {summary.sources.length} sources
        </div>
        <button class="small theme-toggle" title="Theme: system, light or dark" onClick={() => setTheme(nextTheme(theme))}>{theme === "system" ? "◐ system" : theme === "light" ? "☀ light" : "☾ dark"}</button>
      </header>
      {error && (
        <div class="error" role="alert">
          {humanError(error)} <button onClick={() => setError(null)}>×</button>
        </div>
      )}
      <main>
        {pane === "import" && (
          <ImportPanel
            backend={backend}
            summary={summary}
            dropped={dropped}
            onImported={() => {
              refresh();
              setVersion((v) => v + 1);
            }}
          />
        )}
        {pane === "history" && <HistoryPanel backend={backend} item={null} />}
        {pane === "rings" && (
          <div class="split" style={{ gridTemplateColumns: `${listWidth}px 5px minmax(0, 1fr)` }}>
            <RingList backend={backend} selected={ringId} onSelect={setRingId} version={version} onPage={(r) => (rings.current = r)} onChanged={() => setVersion((v) => v + 1)} />
            <div
              class="splitter"
              role="separator"
              aria-orientation="vertical"
              title="Drag to resize"
              onMouseDown={(e) => {
                e.preventDefault();
                const start = e.clientX;
                const from = listWidth;
                let width = from;
                const move = (m: MouseEvent) => setListWidth((width = Math.min(Math.max(from + m.clientX - start, 300), window.innerWidth - 480)));
                const up = () => {
                  window.removeEventListener("mousemove", move);
                  window.removeEventListener("mouseup", up);
                  localStorage.setItem("ringscope.listWidth", String(width));
                };
                window.addEventListener("mousemove", move);
                window.addEventListener("mouseup", up);
              }}
            />
            {c.accounts === 0 ? (
              <div class="empty empty-case" data-testid="empty-case">
                <div class="card">
                  <h2>This case is empty</h2>
                  <p>Import the platform's exports (accounts, payments, device and login logs) to find rings.</p>
                  <button class="primary" onClick={() => setPane("import")}>Import files…</button> <span class="muted small">or drop CSV files on the window</span>
                </div>
              </div>
            ) : ringId ? (
              <RingView
                key={ringId}
                backend={backend}
                ringId={ringId}
                onChanged={() => setVersion((v) => v + 1)}
                onDecided={(id) => {
                  // Advance to the next ring without a decision.
                  const next = nextUndecided(rings.current, id);
                  if (next) setRingId(next);
                }}
              />
            ) : (
              <div class="empty muted">Select a ring to see its graph, timeline and reasons.</div>
            )}
          </div>
        )}
      </main>
    </div>
  );
}
