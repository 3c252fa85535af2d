//! Architecture invariants (ARCHITECTURE.md), checked rather than hoped for.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

fn workspace_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Nothing under crates/ depends on Tauri, directly or through another crate: the analysis, storage and export
/// logic must work headless (CLI, scripts, tests) and the app stays a thin adapter over it.
#[test]
fn crates_never_depend_on_tauri() {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
            env!("RINGSCOPE_TARGET"),
        ])
        .current_dir(workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let deps: HashMap<&str, Vec<&str>> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap(),
                n["dependencies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    let crates_dir = workspace_root().canonicalize().unwrap().join("crates");
    let library_crates: Vec<&str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| Path::new(p["manifest_path"].as_str().unwrap()).starts_with(&crates_dir))
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(library_crates.len() >= 5, "found {library_crates:?}");
    for root in library_crates {
        let mut seen = HashSet::new();
        let mut stack = vec![(root, vec![names[root]])];
        while let Some((id, path)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let name = names[id];
            assert!(
                !(name.starts_with("tauri") || name == "wry" || name == "tao"),
                "{} depends on {name}",
                path.join(" -> ")
            );
            for dep in deps.get(id).into_iter().flatten() {
                let mut next = path.clone();
                next.push(names[dep]);
                stack.push((dep, next));
            }
        }
    }
    let architecture = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    assert!(
        architecture.contains("Nothing under `crates/` depends on Tauri"),
        "ARCHITECTURE.md states the invariant"
    );
}

/// The app is a thin adapter: it reaches the case file and the graph only through the library crates, so it has no
/// direct dependency on rusqlite or petgraph and no SQL of its own (ARCHITECTURE.md, "The app adds no analysis").
#[test]
fn the_app_has_no_database_or_graph_library_and_no_sql() {
    let manifest = std::fs::read_to_string(workspace_root().join("src-tauri/Cargo.toml")).unwrap();
    let manifest: toml::Table = manifest.parse().unwrap();
    let direct: Vec<&String> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|section| manifest.get(*section).and_then(|d| d.as_table()))
        .flat_map(|deps| deps.keys())
        .collect();
    for forbidden in ["rusqlite", "petgraph"] {
        assert!(
            !direct.iter().any(|d| d.as_str() == forbidden),
            "src-tauri depends on {forbidden} directly: go through ringscope-store / ringscope-graph"
        );
    }
    let mut stack = vec![workspace_root().join("src-tauri/src")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            checked += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in [
                "SELECT ",
                "INSERT INTO",
                "UPDATE ",
                "DELETE FROM",
                ".conn()",
            ] {
                assert!(
                    !text.contains(needle),
                    "{} contains {needle:?}: SQL belongs to crates/store",
                    path.display()
                );
            }
        }
    }
    assert!(checked >= 5, "read {checked} files");
}
