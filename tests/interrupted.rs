//! A real `kill -9` of an import in progress: on the next open the case is consistent, and each file is either
//! fully present or absent.

use crate::util::{Sandbox, ringscope_command};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// Runs `ringscope import` with JSON progress and kills it once `file` is being written to the case.
fn kill_while_importing(s: &Sandbox, args: &[&std::ffi::OsStr], file: &str) {
    let mut child = ringscope_command()
        .args(["import".as_ref(), s.case.as_os_str()])
        .args(args)
        .args(["--progress", "json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ringscope");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut killed_at = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        let Ok(p) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if p["file"] == file && p["phase"] == "importing" && p["rows"].as_u64().unwrap_or(0) > 0 {
            child.kill().expect("SIGKILL the import");
            killed_at = Some(p["rows"].as_u64().unwrap());
            break;
        }
    }
    let status = child.wait().unwrap();
    let rows = killed_at
        .unwrap_or_else(|| panic!("the import of {file} finished before it could be killed"));
    assert!(
        !status.success(),
        "killed after {rows} rows, yet it exited cleanly"
    );
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9));
}

fn integrity_ok(s: &Sandbox) {
    assert_eq!(s.open().integrity_check().unwrap(), "ok");
    s.open().verify_audit_log().unwrap();
}

#[test]
fn killed_import_leaves_each_file_whole_or_absent() {
    let data = tempfile::tempdir().unwrap();
    let truth =
        ringscope_synth::generate(&ringscope_synth::Config::sized(15_000), data.path()).unwrap();
    let accounts = data.path().join(ringscope_synth::ACCOUNTS_FILE);
    let logins = data.path().join(ringscope_synth::LOGINS_FILE);
    let mapping = data.path().join(ringscope_synth::LOGINS_MAPPING_FILE);
    let s = Sandbox::new();

    // Killed in the middle of the only file: nothing of it is there.
    let empty = s.state();
    kill_while_importing(
        &s,
        &[
            logins.as_os_str(),
            "--mapping".as_ref(),
            mapping.as_os_str(),
        ],
        "logins.csv",
    );
    integrity_ok(&s);
    assert_eq!(s.state(), empty);

    // Killed in the second file: the first is complete, the second absent.
    kill_while_importing(
        &s,
        &[
            accounts.as_os_str(),
            logins.as_os_str(),
            "--mapping".as_ref(),
            mapping.as_os_str(),
        ],
        "logins.csv",
    );
    integrity_ok(&s);
    let (counts, sources) = s.state();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].file_name, "accounts.csv");
    assert_eq!(counts.accounts as u64, truth.rows.accounts);
    assert_eq!(counts.events, 0);

    // And the import simply runs again afterwards.
    s.import([
        logins.as_os_str(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
    ])
    .ok();
    integrity_ok(&s);
    assert_eq!(s.state().0.events as u64, truth.rows.logins);
}
