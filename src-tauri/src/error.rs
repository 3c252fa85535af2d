//! Errors as the UI receives them: a stable code to branch on and a message to show.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: &str, message: impl std::fmt::Display) -> ApiError {
        ApiError {
            code: code.into(),
            message: message.to_string(),
        }
    }
}

impl From<ringscope_store::Error> for ApiError {
    fn from(e: ringscope_store::Error) -> Self {
        let code = match &e {
            ringscope_store::Error::NotACase { .. } => "not_a_case",
            ringscope_store::Error::NewerSchema { .. } => "newer_schema",
            ringscope_store::Error::AlreadyExists { .. } => "already_exists",
            ringscope_store::Error::NotFound { .. } => "not_found",
            ringscope_store::Error::InvalidMeta(_) => "invalid",
            _ => "case_file",
        };
        ApiError::new(code, e)
    }
}

impl From<ringscope_ingest::Error> for ApiError {
    fn from(e: ringscope_ingest::Error) -> Self {
        ApiError::new(e.code(), e)
    }
}

impl From<ringscope_graph::Error> for ApiError {
    fn from(e: ringscope_graph::Error) -> Self {
        let code = match &e {
            ringscope_graph::Error::UnknownAccount(_) => "unknown_account",
            ringscope_graph::Error::UnknownRing(_) => "unknown_ring",
            _ => "analysis",
        };
        ApiError::new(code, e)
    }
}

impl From<ringscope_packet::Error> for ApiError {
    fn from(e: ringscope_packet::Error) -> Self {
        ApiError::new("export", e)
    }
}

impl From<tauri::Error> for ApiError {
    fn from(e: tauri::Error) -> Self {
        ApiError::new("internal", e)
    }
}
