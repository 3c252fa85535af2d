//! Errors as the UI receives them: `{code, message}`, the use cases' [`ringscope_api::ApiError`]. The app adds two
//! codes of its own: `no_case` (nothing open yet) and `not_granted` (a path the user did not choose).

pub use ringscope_api::{ApiError, ApiResult};
