//! Ringscope's integration tests: the `ringscope` binary and the library crates, on real files.

mod util;

mod bad_input;
mod decisions;
mod desk;
mod events;
mod hostile_receivers;
mod hostile_text;
mod import_rules;
mod interrupted;
mod invariants;
mod migration;
mod originals;
mod packets;
mod ring_state;
mod ring_views;
mod rings;
mod sample;
