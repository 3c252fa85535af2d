// The real backend: the commands generated from Rust (bindings/ipc.ts), with the import progress channel and the
// files-dropped event adapted to callbacks.
import { Channel } from "@tauri-apps/api/core";
import type { Backend } from "./api";
import { commands, events, type ExportProgress, type ImportEvent } from "./bindings/ipc";

export const tauriBackend: Backend = {
  ...commands,
  importFiles: async (request, onEvent) => {
    const channel = new Channel<ImportEvent>();
    channel.onmessage = onEvent;
    await commands.importFiles(request, channel);
  },
  exportPacket: (input, onProgress) => {
    const channel = new Channel<ExportProgress>();
    channel.onmessage = onProgress;
    return commands.exportPacket(input, channel);
  },
  cancelImport: async () => {
    await commands.cancelImport();
  },
  addNote: async (item, text) => {
    await commands.addNote(item, text);
  },
  onFilesDropped: (handler) => events.filesDropped.listen((e) => handler(e.payload)),
};
