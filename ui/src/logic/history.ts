// Audit log entries as sentences an investigator reads, instead of their JSON details.
import type { AuditEntry } from "../bindings/ipc";

const STATES: Record<string, string> = { confirmed: "confirmed", dismissed: "dismissed", needs_review: "marked for review" };

function itemName(kind: unknown, item: string): string {
  if (kind === "account") return `account ${item}`;
  if (kind === "ring" || /^R-\d+/.test(item)) return `ring ${item}`;
  return item;
}

/** One audit entry in words: "confirmed ring R-0001 — “same device farm”". */
export function describeEntry(e: AuditEntry): { what: string; detail: string } {
  const d = (e.details && typeof e.details === "object" && !Array.isArray(e.details) ? e.details : {}) as Record<string, unknown>;
  switch (e.action) {
    case "decide": {
      const state = typeof d.state === "string" ? STATES[d.state] ?? d.state.replace(/_/g, " ") : "decided";
      return { what: `${state[0].toUpperCase()}${state.slice(1)} ${itemName(d.kind, e.item)}`, detail: typeof d.note === "string" && d.note ? `“${d.note}”` : "" };
    }
    case "note":
      return { what: `Added a note to ${itemName(d.kind, e.item)}`, detail: typeof d.text === "string" ? `“${d.text}”` : "" };
    case "import": {
      const rows = (d.rows ?? {}) as Record<string, unknown>;
      const parts = [
        typeof d.kind === "string" ? `${d.kind}` : "",
        typeof rows.imported === "number" ? `${rows.imported} rows imported` : "",
        typeof rows.rejected === "number" && rows.rejected ? `${rows.rejected} rejected` : "",
        typeof d.sha256 === "string" ? `SHA-256 ${d.sha256.slice(0, 12)}…` : "",
      ].filter(Boolean);
      return { what: `Imported ${e.item}`, detail: parts.join(" · ") };
    }
    case "export":
      return { what: `Exported evidence packet ${e.item}`, detail: typeof d.sha256 === "string" ? `SHA-256 ${d.sha256.slice(0, 12)}…` : "" };
    // The case's workflow (desk cases) and its watch flags.
    case "case.type":
      return { what: `Typed the case ${typeof d.name === "string" ? d.name : e.item}`, detail: typeof d.due_at === "string" ? `due ${d.due_at.replace("T", " ").replace(/(:\d\d)?Z$/, "")}` : "" };
    case "case.step": {
      const title = typeof d.title === "string" ? d.title : e.item;
      return d.state === "skipped"
        ? { what: `Skipped step “${title}”`, detail: typeof d.reason === "string" ? `“${d.reason}”` : "" }
        : { what: `Marked step “${title}” done`, detail: "" };
    }
    case "case.status": {
      const open = Array.isArray(d.open_required_steps) && d.open_required_steps.length ? `required steps open: ${d.open_required_steps.join(", ")}` : "";
      const reason = typeof d.reason === "string" && d.reason ? `“${d.reason}”` : "";
      return { what: `Set the case status to ${e.item.replace(/_/g, " ")}`, detail: [reason, open].filter(Boolean).join(" · ") };
    }
    case "case.assign":
      return { what: `Assigned the case to ${e.item}`, detail: typeof d.from === "string" && d.from ? `was ${d.from}` : "" };
    case "watchlist.flag":
      return {
        what: `Flagged account ${e.item}: uses a ${typeof d.kind === "string" ? d.kind : "identifier"} confirmed earlier`,
        detail: [d.value, d.case_title ?? d.case_file, d.ring_id].filter((x) => typeof x === "string" && x).join(" · "),
      };
    default: {
      const simple = Object.entries(d).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)).map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`);
      return { what: `${e.action.replace(/_/g, " ")} ${e.item}`.trim(), detail: simple.join(" · ") };
    }
  }
}

/** The kinds of entry the history can be filtered to. */
export const ENTRY_KINDS = ["decisions", "notes", "imports", "exports", "rings", "case"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Which filter an entry falls under. */
export function entryKind(e: AuditEntry): EntryKind {
  if (e.action === "decide") return "decisions";
  if (e.action === "note") return "notes";
  if (e.action === "import") return "imports";
  if (e.action === "export") return "exports";
  if (e.action.startsWith("rings")) return "rings";
  return "case";
}

/** Entries of `kind` (all when null) whose sentence, actor or item contains `text` (case-insensitive). */
export function filterEntries(entries: AuditEntry[], kind: EntryKind | null, text: string): AuditEntry[] {
  const needle = text.trim().toLowerCase();
  return entries.filter((e) => {
    if (kind && entryKind(e) !== kind) return false;
    if (!needle) return true;
    const d = describeEntry(e);
    return [d.what, d.detail, e.actor, e.item].some((s) => s.toLowerCase().includes(needle));
  });
}
