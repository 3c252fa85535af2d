//! The Ringscope desktop app. Commands are thin adapters over the use cases in `ringscope_api` (shared with the
//! CLI): they check grants, build the use case's context for the open case, run it on a blocking thread, and return
//! data or an [`error::ApiError`]. TypeScript types for every
//! payload are generated from these Rust types (ts-rs) into `ui/src/bindings/`; a test fails when they are stale.

mod bindings;
pub mod commands;
pub mod error;
pub mod state;

pub use state::AppState;

/// The app's state and commands on any runtime (the real one, or tauri's mock runtime in tests).
pub fn app<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                use tauri::{Emitter, Manager};
                let accepted = commands::pick::accept_dropped(&window.state::<AppState>(), paths);
                if !accepted.is_empty() {
                    let _ = window.emit(commands::pick::FILES_DROPPED, accepted);
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::case::create_case,
            commands::case::open_case,
            commands::case::case_summary,
            commands::import::preview_import,
            commands::import::import_files,
            commands::import::cancel_import,
            commands::rings::list_rings,
            commands::rings::ring_graph,
            commands::rings::ring_members,
            commands::rings::explain_link,
            commands::rings::ring_timeline,
            commands::accounts::account_detail,
            commands::accounts::search_accounts,
            commands::accounts::source_row,
            commands::history::decide,
            commands::history::add_note,
            commands::history::history,
            commands::packet::export_packet,
            commands::pick::pick,
        ])
}

/// Starts the app; a case file given as the first argument is opened at once.
pub fn run() {
    let state = AppState::default();
    if let Some(arg) = std::env::args_os().nth(1).map(std::path::PathBuf::from) {
        if arg.is_file() {
            eprintln!("ringscope: opening {}", arg.display());
            state.grant(arg.clone());
            let investigator = ringscope_api::case::summary(&ringscope_api::Context::new(
                arg.clone(),
                ringscope_api::default_actor(),
            ))
            .ok()
            .and_then(|s| s.meta.investigator);
            state.set_case(arg, investigator);
        } else {
            eprintln!("ringscope: no case file at {}", arg.display());
        }
    }
    let result = app(tauri::Builder::default(), state)
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("ringscope: {e}");
        std::process::exit(1);
    }
}
