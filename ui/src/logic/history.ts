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
    default: {
      const simple = Object.entries(d).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)).map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`);
      return { what: `${e.action.replace(/_/g, " ")} ${e.item}`.trim(), detail: simple.join(" · ") };
    }
  }
}
