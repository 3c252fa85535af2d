import { useEffect, useState } from "preact/hooks";
import { asApiError, type ApiError, type Backend } from "../api";
import type { CaseStatus, Workflow } from "../bindings/ipc";
import { isOverdue, openRequired, statusLabel, STATUSES, when } from "../logic/desk";
import { humanError } from "../logic/messages";
import { Checklist } from "./Checklist";

/** The open case's type, status, assignee, due date and checklist. */
export function CaseWorkflow({ backend }: { backend: Backend }) {
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [assignee, setAssignee] = useState("");
  // Closing with required steps open: the reason is asked here before the backend is called.
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const show = (w: Workflow) => {
    setWorkflow(w);
    setAssignee(w.assignee ?? "");
    setError(null);
  };
  useEffect(() => {
    backend.caseWorkflow().then(show, (e) => setError(asApiError(e)));
  }, []);
  const apply = async (change: () => Promise<Workflow>): Promise<boolean> => {
    try {
      show(await change());
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    }
  };
  if (!workflow) return error ? <div class="error" role="alert">{humanError(error)}</div> : <div class="muted panel">Loading the case…</div>;
  const open = openRequired(workflow.checklist);
  const changeStatus = async (status: CaseStatus) => {
    setClosing(false);
    if (status === "closed" && open.length) return setClosing(true);
    // The backend may still refuse (steps it knows to be open): its message is shown, and a reason can be given.
    if (!(await apply(() => backend.setCaseStatus(status, null))) && status === "closed") setClosing(true);
  };
  const close = async (e: Event) => {
    e.preventDefault();
    if (await apply(() => backend.setCaseStatus("closed", reason.trim()))) {
      setClosing(false);
      setReason("");
    }
  };
  const overdue = isOverdue(workflow.due_at, workflow.status, Date.now());
  return (
    <section class="panel case-workflow" data-testid="case-workflow">
      <h2>Case workflow</h2>
      {error && <div class="error" role="alert" data-testid="workflow-error">{humanError(error)}</div>}
      <div class="workflow-facts">
        <div><span class="muted small">Type</span><div data-testid="case-type">{workflow.type_name ?? workflow.case_type ?? "untyped"}</div></div>
        <label>
          <span class="muted small">Status</span>
          <select data-testid="case-status" value={closing ? "closed" : workflow.status} onChange={(e) => changeStatus(e.currentTarget.value as CaseStatus)}>
            {STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <form class="assignee" onSubmit={(e) => { e.preventDefault(); apply(() => backend.assignCase(assignee.trim())); }}>
          <label><span class="muted small">Assignee</span><input data-testid="case-assignee" value={assignee} placeholder="nobody yet" onInput={(e) => setAssignee(e.currentTarget.value)} /></label>
          <button type="submit" data-testid="case-assign" disabled={!assignee.trim() || assignee.trim() === (workflow.assignee ?? "")}>Assign</button>
        </form>
        <div>
          <span class="muted small">Due</span>
          <div data-testid="case-due" class={overdue ? "bad-text" : ""}>
            {workflow.due_at ? when(workflow.due_at) : "no due date"}{overdue && <> <span class="pill bad">overdue</span></>}
          </div>
        </div>
      </div>
      {closing && (
        <form class="card close-reason" data-testid="close-reason" onSubmit={close}>
          <p>
            {open.length ? <>Required steps are still open: <strong>{open.map((s) => s.title).join(", ")}</strong>. </> : null}
            Why close the case anyway? The reason is kept in the case's history.
          </p>
          <div class="row">
            <input aria-label="Reason for closing" data-testid="close-reason-input" value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="e.g. the creator left the platform" />
            <button type="submit" class="primary" data-testid="close-case" disabled={!reason.trim()}>Close the case</button>
            <button type="button" onClick={() => { setClosing(false); setReason(""); }}>Keep it open</button>
          </div>
        </form>
      )}
      {workflow.checklist.length ? (
        <Checklist items={workflow.checklist} onMark={(step, skipReason) => apply(() => backend.markStep(step, skipReason))} />
      ) : (
        <p class="muted" data-testid="checklist-untyped">
          This case has no type, so it has no checklist. Cases opened on a desk with a type (“New case…” in the desk) get their type's steps and due date.
        </p>
      )}
    </section>
  );
}
