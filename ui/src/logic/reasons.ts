// Plain-word labels for the scoring features (crates/graph/src/score.rs) and the identifier readings.
import type { Reason } from "../bindings/ipc";

export const REASON_LABELS: Record<string, string> = {
  accounts: "Many linked accounts",
  signup_burst: "Accounts signed up in a burst",
  dispute_rate: "Disputes above the base rate",
  decline_rate: "Many declined payments",
  accounts_per_device: "Several accounts per device",
  accounts_per_card: "Several accounts per card",
  creator_concentration: "Money concentrated on one creator",
  self_funding: "Creator paid by its own ring",
  ban_evasion: "Accounts created after a banned member",
  banned_member: "A member is banned",
  email_variants: "Email address variants",
  chained_links: "Linked only through chains",
  household_profile: "Looks like a household",
  watchlist: "Uses identifiers confirmed in an earlier case",
};

/** A feature's label in plain words; an unknown feature reads as its name with spaces. */
export function reasonLabel(feature: string): string {
  return REASON_LABELS[feature] ?? feature.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Reasons largest contribution first (what raised the score most leads; what lowered it comes last). */
export function sortedReasons(reasons: Reason[]): Reason[] {
  return [...reasons].sort((a, b) => b.contribution - a.contribution);
}

export const VERDICT_LABELS: Record<string, string> = { binds: "binds the ring", weak: "weak: only corroborates", hub: "hub: links nothing" };

export function verdictLabel(verdict: string): string {
  return VERDICT_LABELS[verdict] ?? verdict.replace(/_/g, " ");
}
