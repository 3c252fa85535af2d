// The backend as the UI sees it. Components take a `Backend`, so UI logic runs in tests without Tauri.
import type { CaseSummary } from "./bindings/CaseSummary";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { ImportEvent } from "./bindings/ImportEvent";
import type { RingQuery } from "./bindings/RingQuery";
import type { RingPage } from "./bindings/RingPage";
import type { GraphView } from "./bindings/GraphView";
import type { MemberRow } from "./bindings/MemberRow";
import type { Explanation } from "./bindings/Explanation";
import type { TimelineEvent } from "./bindings/TimelineEvent";
import type { AccountRecord } from "./bindings/AccountRecord";
import type { AccountSearch } from "./bindings/AccountSearch";
import type { Decision } from "./bindings/Decision";
import type { DecisionState } from "./bindings/DecisionState";
import type { History } from "./bindings/History";
import type { ExportInput } from "./bindings/ExportInput";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { ApiError } from "./bindings/ApiError";
import type { PickPurpose } from "./bindings/PickPurpose";
import type { SourceRow } from "./bindings/SourceRow";

export interface Backend {
  createCase(path: string, title: string, reference: string, investigator: string): Promise<CaseSummary>;
  openCase(path: string): Promise<CaseSummary>;
  caseSummary(): Promise<CaseSummary>;
  previewImport(path: string): Promise<ImportPreview>;
  importFiles(request: ImportRequest, onEvent: (e: ImportEvent) => void): Promise<void>;
  cancelImport(): Promise<void>;
  listRings(query: RingQuery): Promise<RingPage>;
  ringGraph(ringId: string, expand: string[]): Promise<GraphView>;
  /** A ring's members with role, status, sign-up, money paid and received, disputes and decision. */
  ringMembers(ringId: string): Promise<MemberRow[]>;
  explainLink(from: string, to: string): Promise<Explanation>;
  ringTimeline(accounts: string[]): Promise<TimelineEvent[]>;
  /** One account in full: record, saved ring, identifiers used, payments. */
  accountDetail(accountId: string): Promise<AccountRecord>;
  /** Accounts whose id, display name or email contains `text`, and accounts that used `text` as an identifier. */
  searchAccounts(text: string, limit: number): Promise<AccountSearch>;
  /** The original values of the row a `file:line` reference points at. */
  sourceRow(reference: string): Promise<SourceRow[]>;
  decide(item: string, decision: DecisionState, note: string | null): Promise<Decision>;
  addNote(item: string, text: string): Promise<void>;
  history(item: string | null): Promise<History>;
  exportPacket(input: ExportInput): Promise<ExportOutcome>;
  /** A native dialog (opened by the backend, which then accepts only the paths chosen); [] when cancelled. */
  pick(purpose: PickPurpose, title: string): Promise<string[]>;
  /** Files dropped on the window (granted by the backend like a dialog's answer); resolves to an unsubscribe. */
  onFilesDropped(handler: (paths: string[]) => void): Promise<() => void>;
}

/** Errors from the backend arrive as `{code, message}`; anything else becomes one. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as ApiError;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

export type { ApiError };
