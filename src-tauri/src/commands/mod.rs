//! The commands the webview may invoke. Each is `async`, finds the open case, and does its work in
//! [`crate::state::blocking`].

pub mod accounts;
pub mod case;
pub mod desk;
pub mod history;
pub mod import;
pub mod packet;
pub mod pick;
pub mod rings;
#[cfg(test)]
mod tests;
pub mod tickets;
