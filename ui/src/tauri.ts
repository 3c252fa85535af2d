// The real backend: Tauri commands.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Backend } from "./api";
import type { ImportEvent } from "./bindings/ImportEvent";

export const tauriBackend: Backend = {
  createCase: (path, title, reference, investigator) => invoke("create_case", { path, title, reference, investigator }),
  openCase: (path) => invoke("open_case", { path }),
  caseSummary: () => invoke("case_summary"),
  previewImport: (path) => invoke("preview_import", { path }),
  importFiles: (request, onEvent) => {
    const events = new Channel<ImportEvent>();
    events.onmessage = onEvent;
    return invoke("import_files", { request, events });
  },
  cancelImport: () => invoke("cancel_import"),
  listRings: (query) => invoke("list_rings", { query }),
  ringGraph: (ringId, expand) => invoke("ring_graph", { ringId, expand }),
  ringMembers: (ringId) => invoke("ring_members", { ringId }),
  explainLink: (from, to) => invoke("explain_link", { from, to }),
  ringTimeline: (accounts) => invoke("ring_timeline", { accounts }),
  accountDetail: (accountId) => invoke("account_detail", { accountId }),
  searchAccounts: (text, limit) => invoke("search_accounts", { text, limit }),
  sourceRow: (reference) => invoke("source_row", { reference }),
  decide: (item, decision, note) => invoke("decide", { item, decision, note }),
  addNote: async (item, text) => {
    await invoke("add_note", { item, text });
  },
  history: (item) => invoke("history", { item }),
  exportPacket: (input) => invoke("export_packet", { input }),
  pick: (purpose, title) => invoke("pick", { purpose, title }),
  onFilesDropped: (handler) => listen<string[]>("files-dropped", (e) => handler(e.payload)),
};
