//! Ringscope's use cases: one function per operation, shared by the `ringscope` CLI and the desktop app (in the
//! spirit of GitButler's `but-api`). Each takes a [`Context`] (case file, actor, clock, cached analysis) and plain
//! arguments, and returns data or an [`ApiError`] with a stable code. Front ends only parse their input, call one of
//! these, and present the result; they hold no analysis or SQL of their own.

pub mod accounts;
pub mod case;
mod context;
pub mod desk;
pub mod error;
pub mod history;
pub mod import;
pub mod packet;
pub mod rings;
pub mod tickets;

pub use accounts::Subjects;
pub use context::{AnalysisCache, Clock, Context, LinkGraphRef, default_actor};
pub use error::{ApiError, ApiResult};
