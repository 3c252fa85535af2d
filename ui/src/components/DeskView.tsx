import { useEffect, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseSummary, DeskOverview } from "../bindings/ipc";
import { humanError } from "../logic/messages";
import { DeskCaseTable } from "./DeskCaseTable";
import { DeskKpis } from "./DeskKpis";
import { DeskNewCase } from "./DeskNewCase";
import { DeskWatchlist } from "./DeskWatchlist";

/** The desk: its cases (or its watchlist) on the left, the program KPIs on the right. */
export function DeskView({ backend, overview, onOverview, onOpenCase }: {
  backend: Backend;
  overview: DeskOverview;
  onOverview: (o: DeskOverview) => void;
  onOpenCase: (s: CaseSummary) => void;
}) {
  const [tab, setTab] = useState<"cases" | "watchlist">("cases");
  const [adding, setAdding] = useState(false);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const fail = (e: unknown) => setError(asApiError(e));
  const reload = () => backend.deskOverview().then(onOverview, fail);
  const refresh = () => {
    setVersion((v) => v + 1); // the watchlist too
    reload();
  };
  // Read again whenever the desk is shown: the open case's status, checklist and decisions may have changed since.
  useEffect(() => void reload(), []);
  const openCase = (file: string) => backend.openDeskCase(file).then(onOpenCase, fail);
  const [review, setReview] = useState<string | null>(null);
  /** This week's program review as a PDF, into a folder the user picks. */
  const exportReview = async () => {
    try {
      const [dir] = await backend.pick("export_folder", "Folder for the weekly program review", null);
      if (dir) setReview(await backend.exportKpiReport(dir));
    } catch (e) {
      fail(e);
    }
  };
  const addFile = async () => {
    try {
      const [path] = await backend.pick("open_case", "Add a case file to the desk", null);
      if (path) onOverview(await backend.addDeskCase(path, null));
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div class="desk" data-testid="desk-view">
      <div class="desk-head">
        <h2>Desk</h2>
        <span class="muted small desk-dir" title={overview.dir} data-testid="desk-dir">{overview.dir}</span>
        <span class="spacer" />
        <button class="primary" data-testid="desk-new-case" onClick={() => setAdding(true)} disabled={adding}>New case…</button>
        <button data-testid="desk-add-case" onClick={addFile}>Add case file…</button>
        <button data-testid="desk-review" onClick={exportReview} title="KPIs, charts and open cases by due date, for the weekly review">Weekly review PDF…</button>
        <button data-testid="desk-refresh" onClick={refresh} title="Read the desk's cases again">Refresh</button>
      </div>
      {review && <div class="notice small" data-testid="desk-review-done">Program review written to <span class="mono">{review}</span> <button class="link" onClick={() => setReview(null)}>×</button></div>}
      {error && <div class="error" role="alert">{humanError(error)} <button onClick={() => setError(null)}>×</button></div>}
      {adding && <DeskNewCase backend={backend} types={overview.types.types} onOpened={onOpenCase} onCancel={() => setAdding(false)} />}
      <div class="desk-body">
        <div class="desk-main">
          <div class="subtabs">
            <button class={tab === "cases" ? "tab active" : "tab"} data-testid="desk-tab-cases" onClick={() => setTab("cases")}>Cases ({overview.cases.length})</button>
            <button class={tab === "watchlist" ? "tab active" : "tab"} data-testid="desk-tab-watchlist" onClick={() => setTab("watchlist")}>Watchlist</button>
          </div>
          {tab === "cases" ? (
            <DeskCaseTable rows={overview.cases} types={overview.types.types} asOf={overview.kpis.as_of} onOpen={openCase} onTicket={(file) => backend.openTicket(file).catch(fail)} />
          ) : (
            <DeskWatchlist backend={backend} version={version} />
          )}
        </div>
        <aside class="desk-kpis">
          <DeskKpis kpis={overview.kpis} types={overview.types.types} onOpenCase={openCase} />
        </aside>
      </div>
    </div>
  );
}
