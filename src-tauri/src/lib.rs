//! The Ringscope desktop app. Commands are thin adapters over the use cases in `ringscope_api` (shared with the
//! CLI): they check grants, build the use case's context for the open case, run it on a blocking thread, and return
//! data or an [`error::ApiError`]. [`ipc`] declares the IPC surface once (tauri-specta): the invoke handler is made
//! from it, and so are the TypeScript bindings in `ui/src/bindings/ipc.ts` (command wrappers, argument and result
//! types, the `files-dropped` event); a test fails when the committed bindings are stale.

mod bindings;
pub mod commands;
pub mod error;
pub mod state;

pub use state::AppState;

/// Files dropped on the window, granted like a dialog's answer (`pick::accept_dropped`); the payload is the
/// list of paths.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct FilesDropped(pub Vec<String>);

impl tauri_specta::Event for FilesDropped {
    const NAME: &'static str = commands::pick::FILES_DROPPED;
}

/// The IPC surface, declared once: every command the webview may invoke and every event it may listen to. The
/// invoke handler is made from this list, and so are the TypeScript bindings (`bindings.rs`). Errors are thrown
/// to the page as [`error::ApiError`] (`{code, message}`); 64-bit integers and floats are TypeScript `number`s.
pub fn ipc<R: tauri::Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(tauri_specta::collect_commands![
            commands::case::create_case,
            commands::case::open_case,
            commands::case::case_summary,
            commands::case::set_user,
            commands::import::preview_import,
            commands::import::import_files,
            commands::import::cancel_import,
            commands::rings::list_rings,
            commands::rings::ring_graph,
            commands::rings::ring_members,
            commands::rings::explain_link,
            commands::rings::ring_timeline,
            commands::rings::remove_members,
            commands::rings::restore_members,
            commands::rings::split_ring,
            commands::rings::merge_rings,
            commands::rings::undo_ring_edit,
            commands::accounts::account_detail,
            commands::accounts::search_accounts,
            commands::accounts::source_row,
            commands::history::decide,
            commands::history::decide_many,
            commands::history::add_note,
            commands::history::history,
            commands::packet::export_packet,
            commands::pick::pick,
            commands::desk::open_desk,
            commands::desk::desk_overview,
            commands::desk::new_desk_case,
            commands::desk::open_desk_case,
            commands::desk::add_desk_case,
            commands::desk::desk_watchlist,
            commands::desk::export_watchlist,
            commands::desk::import_watchlist,
            commands::desk::watch_flags,
            commands::desk::case_workflow,
            commands::desk::mark_step,
            commands::desk::set_case_status,
            commands::desk::assign_case,
            commands::desk::open_ticket,
            commands::desk::export_kpi_report,
            commands::tickets::import_tickets,
        ])
        .events(tauri_specta::collect_events![FilesDropped])
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        .dangerously_cast_bigints_to_number()
        // Scores, weights and shares are finite, so a float is a `number` (serde_json would send NaN as null).
        .semantic_types(
            specta_typescript::semantic::Configuration::empty().enable_lossless_floats(),
        )
        // One TypeScript type per Rust type (these serialize and deserialize alike).
        .disable_serde_phases()
}

/// The app's state and commands on any runtime (the real one, or tauri's mock runtime in tests).
pub fn app<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let ipc = ipc::<R>();
    builder
        .manage(state)
        .invoke_handler(ipc.invoke_handler())
        .setup(move |app| {
            use tauri::Manager;
            ipc.mount_events(app);
            let picker = commands::pick::native_picker(app.handle().clone());
            let _ = app.state::<AppState>().picker.set(picker);
            let opener = commands::desk::native_opener(app.handle().clone());
            let _ = app.state::<AppState>().opener.set(opener);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                use tauri::{Emitter, Manager};
                use tauri_specta::Event;
                let accepted = commands::pick::accept_dropped(&window.state::<AppState>(), paths);
                if !accepted.is_empty() {
                    // By its name, so a drop can never depend on the event registry being mounted yet.
                    let _ = window.emit(FilesDropped::NAME, FilesDropped(accepted));
                }
            }
        })
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
        .plugin(tauri_plugin_opener::init())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("ringscope: {e}");
        std::process::exit(1);
    }
}
