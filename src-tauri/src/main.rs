//! The Ringscope desktop app (Tauri 2) is not built yet; the `ringscope` command line does everything so far.
//! This crate exists so the workspace has its final shape; it says so rather than pretending to work.

fn main() -> std::process::ExitCode {
    eprintln!(
        "The Ringscope desktop app is not built yet. Use the `ringscope` command line (see README.md)."
    );
    std::process::ExitCode::from(2)
}
