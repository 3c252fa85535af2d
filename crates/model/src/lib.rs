//! Ringscope's domain model.
//!
//! The three record kinds an investigator imports (accounts, payments, device/login events) are described as data:
//! each kind has a list of [`FieldSpec`]s saying what the field means, whether it is required and how it is
//! normalized. The store derives its tables from these specs and the importer its validation, so adding a field is
//! a one-line change here. Normalization (emails, phones, IPs, timestamps, money) lives in [`normalize`]; it is pure
//! and does no I/O.

pub mod display;
mod error;
mod kind;
pub mod linking;
pub mod money;
pub mod normalize;
mod tables;

pub use error::{Error, Result};
pub use kind::{FieldSpec, RecordKind, StoredColumn, ValueKind};
pub use linking::{IdKind, IdentifierColumn, payment};
pub use normalize::{DateOrder, FieldContext, NormalizeOptions, NumberFormat, Value};
