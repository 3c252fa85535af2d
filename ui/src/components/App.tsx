import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, DeskOverview, Ring } from "../bindings/ipc";
import { CaseStart } from "./CaseStart";
import { ImportPanel } from "./ImportPanel";
import { HistoryPanel } from "./HistoryPanel";
import { RingsPane } from "./RingsPane";
import { TopBar, type Pane } from "./TopBar";
import { DeskView } from "./DeskView";
import { chooseDesk } from "./DeskStart";
import { CaseWorkflow } from "./CaseWorkflow";
import { WatchFlags } from "./WatchFlags";
import { savedUser } from "./UserName";
import { humanError } from "../logic/messages";
import { nextRing } from "../logic/triage";
import { applyTheme, nextTheme, savedTheme, type Theme } from "../logic/theme";

const PANE_KEYS: Record<string, Pane> = { "1": "rings", "2": "import", "3": "history", "4": "case" };

export function App({ backend }: { backend: Backend }) {
  const [summary, setSummary] = useState<CaseSummary | null>(null);
  const [desk, setDesk] = useState<DeskOverview | null>(null);
  // The desk view is shown instead of the case (always when no case is open).
  const [onDesk, setOnDesk] = useState(false);
  const [pane, setPane] = useState<Pane>("rings");
  const [ringId, setRingId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const [dropped, setDropped] = useState<string[]>([]);
  const [theme, setTheme] = useState<Theme>(() => savedTheme());
  const rings = useRef<Ring[]>([]);
  const current = useRef<string | null>(null);
  current.current = ringId;
  const deskShown = !!desk && (onDesk || !summary);
  const deskShownRef = useRef(deskShown);
  deskShownRef.current = deskShown;
  const refresh = () => backend.caseSummary().then(setSummary, (e) => setError(asApiError(e)));
  const bump = () => setVersion((v) => v + 1);
  // The watchlist check reads every identifier of the case: only when what it compares changes (a case or desk
  // opened, an import), not after every decision.
  const [watchChecks, setWatchChecks] = useState(0);
  const recheckWatchlist = () => setWatchChecks((v) => v + 1);
  const show = (p: Pane) => {
    setPane(p);
    setOnDesk(false);
  };
  /** A case opened from the start screen or the desk: its rings, from the top. */
  const openCase = (s: CaseSummary) => {
    setSummary(s);
    setRingId(null);
    rings.current = [];
    show("rings");
    bump();
  };

  useEffect(() => {
    // A case given on the command line is already open.
    backend.caseSummary().then(setSummary, (e) => {
      const err = asApiError(e);
      if (err.code !== "no_case") setError(err);
    });
    // So is a desk after the window reloads.
    backend.deskOverview().then(setDesk, () => undefined);
  }, []);
  // Who the audit log names: the name this user chose (kept between sessions), else the case's investigator.
  const [actor, setActor] = useState<string | null>(null);
  useEffect(() => {
    backend.setUser(savedUser()).then(setActor, () => undefined);
  }, [summary?.path]);

  useEffect(() => applyTheme(theme), [theme]);

  useEffect(() => {
    // Files dropped anywhere on the window go to the import pane.
    const off = backend.onFilesDropped((paths) => {
      show("import");
      setDropped(paths);
    });
    return () => void off.then((unsubscribe) => unsubscribe());
  }, []);

  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
      // The desk view has no rings to move through, nor panes of a case.
      if (deskShownRef.current) return;
      // j/k or the arrows move through the rings (the list's order), outside text fields.
      const step = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
      if (step && rings.current.length) {
        e.preventDefault();
        const id = nextRing(rings.current, current.current, step);
        if (id) {
          show("rings");
          setRingId(id);
        }
      }
      if (PANE_KEYS[e.key]) show(PANE_KEYS[e.key]);
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, []);

  if (!summary && !desk) return <CaseStart backend={backend} onOpen={openCase} onDesk={setDesk} startupError={error} />;
  return (
    <div class="app">
      <TopBar
        backend={backend}
        summary={summary}
        hasDesk={!!desk}
        deskShown={deskShown}
        pane={pane}
        onPane={show}
        onDesk={() => setOnDesk(true)}
        onOpenDesk={() =>
          chooseDesk(backend, false).then((d) => {
            if (!d) return;
            setDesk(d);
            setOnDesk(true);
            recheckWatchlist(); // the open case against this desk
          }, (e) => setError(asApiError(e)))
        }
        onOpenRing={(id) => { show("rings"); setRingId(id); }}
        theme={theme}
        onTheme={() => setTheme(nextTheme(theme))}
        actor={actor}
        onActor={setActor}
      />
      {error && (
        <div class="error" role="alert">
          {humanError(error)} <button onClick={() => setError(null)}>×</button>
        </div>
      )}
      {summary && !deskShown && <WatchFlags backend={backend} caseKey={summary.path} version={watchChecks} onOpenEarlier={(file) => backend.openDeskCase(file).then(openCase, (e) => setError(asApiError(e)))} />}
      <main>
        {desk && deskShown && <DeskView backend={backend} overview={desk} onOverview={setDesk} onOpenCase={openCase} />}
        {summary && !deskShown && pane === "import" && (
          <ImportPanel
            key={summary.path}
            backend={backend}
            summary={summary}
            dropped={dropped}
            onImported={() => {
              refresh();
              bump();
              recheckWatchlist();
            }}
          />
        )}
        {summary && !deskShown && pane === "history" && <HistoryPanel key={summary.path} backend={backend} item={null} />}
        {summary && !deskShown && pane === "case" && <CaseWorkflow key={summary.path} backend={backend} />}
        {summary && !deskShown && pane === "rings" && (
          <RingsPane
            key={summary.path}
            backend={backend}
            empty={summary.counts.accounts === 0}
            ringId={ringId}
            onSelect={setRingId}
            version={version}
            onChanged={bump}
            rings={rings}
            onImport={() => show("import")}
          />
        )}
      </main>
    </div>
  );
}
