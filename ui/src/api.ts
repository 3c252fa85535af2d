// The backend as the UI sees it. Components take a `Backend`, so UI logic runs in tests without Tauri.
// Its methods are the commands generated from Rust (bindings/ipc.ts, tauri-specta): a changed command name,
// argument or result in Rust breaks this file's type check, and so does a command the UI does not cover.
import type { ApiError, commands, ExportOutcome, ExportProgress, ImportEvent } from "./bindings/ipc";

type Commands = typeof commands;
/** A generated command as the UI calls it: the same arguments and result; a failure is thrown as an `ApiError`. */
type Command<K extends keyof Commands> = Commands[K];
/** A generated command whose result the UI does not use. */
type Action<K extends keyof Commands> = (...args: Parameters<Commands[K]>) => Promise<void>;

export interface Backend {
  createCase: Command<"createCase">;
  openCase: Command<"openCase">;
  caseSummary: Command<"caseSummary">;
  /** The name the audit log uses for this machine's user (null: the case's investigator); who is named now. */
  setUser: Command<"setUser">;
  previewImport: Command<"previewImport">;
  /** `import_files` with its progress channel as a callback. */
  importFiles(request: Parameters<Commands["importFiles"]>[0], onEvent: (e: ImportEvent) => void): Promise<void>;
  cancelImport: Action<"cancelImport">;
  listRings: Command<"listRings">;
  ringGraph: Command<"ringGraph">;
  /** A ring's members with role, status, sign-up, money paid and received, disputes and decision. */
  ringMembers: Command<"ringMembers">;
  explainLink: Command<"explainLink">;
  ringTimeline: Command<"ringTimeline">;
  /** One account in full: record, saved ring, identifiers used, payments. */
  accountDetail: Command<"accountDetail">;
  /** Accounts whose id, display name or email contains `text`, and accounts that used `text` as an identifier. */
  searchAccounts: Command<"searchAccounts">;
  /** The original values of the row a `file:line` reference points at. */
  sourceRow: Command<"sourceRow">;
  /** Take accounts out of a ring as false positives (recorded, reversible); the ring as detected again or null. */
  removeMembers: Command<"removeMembers">;
  restoreMembers: Command<"restoreMembers">;
  /** Move ticked members into a new ring of their own (two or more on each side); the edit and both rings. */
  splitRing: Command<"splitRing">;
  /** Fold ring `from` into ring `into` (which keeps its id, decisions and notes). */
  mergeRings: Command<"mergeRings">;
  /** Undo a split or merge listed on a ring (`ring.edits`). */
  undoRingEdit: Command<"undoRingEdit">;
  decide: Command<"decide">;
  /** One decision on many rings or accounts, in one transaction. */
  decideMany: Command<"decideMany">;
  addNote: Action<"addNote">;
  history: Command<"history">;
  /** `export_packet` with its progress channel as a callback (each step with its counts). */
  exportPacket(input: Parameters<Commands["exportPacket"]>[0], onProgress: (p: ExportProgress) => void): Promise<ExportOutcome>;
  /** A native dialog (opened by the backend, which then accepts only the paths chosen); [] when cancelled. */
  pick: Command<"pick">;
  /** Open (or, with `create`, make) the desk in a folder picked with purpose `desk_folder`: cases, types, KPIs. */
  openDesk: Command<"openDesk">;
  /** The open desk again: cases changed since they were indexed are re-read, KPIs recomputed. */
  deskOverview: Command<"deskOverview">;
  /** A new typed case in the desk folder, opened (due at opening + the type's SLA). */
  newDeskCase: Command<"newDeskCase">;
  /** Open a case the desk lists, by its file name. */
  openDeskCase: Command<"openDeskCase">;
  /** Add a case file picked with purpose `open_case` to the desk (copied into its folder). */
  addDeskCase: Command<"addDeskCase">;
  deskWatchlist: Command<"deskWatchlist">;
  /** The watchlist as `watchlist.csv` in a folder picked with purpose `export_folder`: [path, entries]. */
  exportWatchlist: Command<"exportWatchlist">;
  /** Add another team's watchlist CSV picked with purpose `watchlist_file`; how many entries were added. */
  importWatchlist: Command<"importWatchlist">;
  /** The open case's accounts using identifiers confirmed in earlier cases of the desk (logged once each). */
  watchFlags: Command<"watchFlags">;
  caseWorkflow: Command<"caseWorkflow">;
  /** Mark a checklist step done, or skipped with a reason; the workflow after. */
  markStep: Command<"markStep">;
  /** Change the status; closing with required steps open needs a reason. */
  setCaseStatus: Command<"setCaseStatus">;
  assignCase: Command<"assignCase">;
  /** Import a Zendesk ticket export picked with purpose `ticket_export` into the open case. */
  importTickets: Command<"importTickets">;
  /** Open a listed case's ticket in the browser (the backend makes the address from the desk's ticket_url). */
  openTicket: Command<"openTicket">;
  /** Write this week's program review PDF into a folder picked with purpose `export_folder`; its path. */
  exportKpiReport: Command<"exportKpiReport">;
  /** Files dropped on the window (granted by the backend like a dialog's answer); resolves to an unsubscribe. */
  onFilesDropped(handler: (paths: string[]) => void): Promise<() => void>;
}

/** Every generated command has its method here: this fails to type-check when Rust gains a command the UI lacks. */
export const EVERY_COMMAND_IS_IN_BACKEND: [Exclude<keyof Commands, keyof Backend>] extends [never] ? true : false = true;

/** Errors from the backend arrive as `{code, message}`; anything else becomes one. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as ApiError;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

export type { ApiError };
