// Backend errors in words a GUI user can act on. The backend's messages are written for the CLI too ("pass --kind
// and --mapping FILE"); here every code a user can hit gets the GUI's wording, with the file named when known.
import type { ApiError } from "../bindings/ipc";

const GUI_WORDING: Record<string, string> = {
  no_case: "No case is open. Open a case or create a new one.",
  not_a_case: "This file is not a Ringscope case. Choose a .ringscope case file, or create a new case.",
  newer_schema: "This case was made by a newer Ringscope. Update Ringscope to open it.",
  already_exists: "A case with that name already exists there. Choose another name or open the existing case.",
  not_found: "That file or item could not be found. It may have been moved or deleted.",
  not_granted: "Ringscope may only open files you chose. Choose the file again with Open…",
  case_file: "The case file could not be read or written. Check that the disk has room and the file is not open elsewhere.",
  busy: "The case is busy with another task. Try again in a moment.",
  io: "The file could not be read. Check that it still exists and you may read it.",
  changed_while_reading: "The file changed while it was being read. Wait until it is fully written, then import it again.",
  empty_file: "The file is empty.",
  no_rows: "The file has a header but no rows.",
  binary_file: "This is not a text (CSV) file. Export the data as CSV and import that.",
  invalid_utf8: "The file is not UTF-8 text. Save it as UTF-8 CSV and import it again.",
  unterminated_quote: "A quoted value in the file is never closed, so the rows cannot be read.",
  csv: "The file is not valid CSV.",
  duplicate_column: "Two columns in the file have the same name. Rename one and import again.",
  unknown_header: "Ringscope does not recognise these columns. Choose what the file holds and map its columns to fields below, then import.",
  ambiguous_kind: "These columns fit more than one kind of export. Choose what the file holds (accounts, payments or events) below.",
  mapping: "The column mapping does not fit this file. Map each required field to one of its columns.",
  bad_rows: "Some rows could not be imported; nothing was changed. The rows are listed below.",
  cancelled: "Import cancelled; the case was not changed.",
  unknown_ring: "That ring no longer exists; the rings were detected again after an import. Pick it from the list again.",
  unknown_account: "That account is not in this case.",
  export: "The evidence packet could not be written.",
  no_desk: "No desk is open. Open a desk folder or create a new desk.",
  not_a_desk: "This folder is not a Ringscope desk. Choose the folder that holds desk.json, or create a new desk there.",
  case_types: "The desk's case types could not be read. Check the desk's case types file for a mistake.",
  desk_index: "The desk's list of cases could not be read or written. Check that the desk folder is writable and not open elsewhere.",
  invalid: "",
  internal: "Something went wrong inside Ringscope.",
};

/** Developer wording that must never reach the window. */
const CLI_HINTS = [/\s*\(--[a-z][a-z-]*\)/g, /;?\s*pass --kind( and --mapping FILE)?( \(see README: Mappings\))?/g, /\s*\(see README[^)]*\)/g, /--mapping FILE/g];

/** A backend message without the CLI's flags and README pointers. */
export function cleanMessage(message: string): string {
  return CLI_HINTS.reduce((m, re) => m.replace(re, ""), message).trim();
}

/** The message to show for an error: the GUI wording for its code, with the backend's (cleaned) detail after it. */
export function humanError(e: ApiError): string {
  const detail = cleanMessage(e.message);
  const wording = GUI_WORDING[e.code];
  if (wording === undefined || wording === "") return detail || "Something went wrong.";
  if (!detail || e.code === "no_case" || e.code === "no_desk" || e.code === "not_granted" || e.code === "internal") return e.code === "not_granted" && detail ? `${wording} (${detail.replace(/ was not chosen.*$/, "")})` : wording;
  return `${wording} (${detail})`;
}
