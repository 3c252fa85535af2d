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

/// The dependency tables of a manifest: `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` and their
/// `[target.'cfg(..)'.*]` forms.
fn dependency_names(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let sections = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = sections
        .iter()
        .filter_map(|s| manifest.get(*s).and_then(|d| d.as_table()))
        .collect();
    for target in manifest
        .get("target")
        .and_then(|t| t.as_table())
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(|t| t.as_table())
    {
        tables.extend(
            sections
                .iter()
                .filter_map(|s| target.get(*s).and_then(|d| d.as_table())),
        );
    }
    tables
        .into_iter()
        .flat_map(|deps| deps.iter())
        .map(|(name, spec)| {
            // `alias = { package = "real-name", .. }` depends on the real name.
            spec.get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(name)
                .to_string()
        })
        .collect()
}

/// Every package manifest of the workspace: crates/* and src-tauri.
fn manifests() -> Vec<(String, std::path::PathBuf)> {
    let mut out = vec![(
        "src-tauri".to_string(),
        workspace_root().join("src-tauri/Cargo.toml"),
    )];
    for entry in std::fs::read_dir(workspace_root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = dir.join("Cargo.toml");
        if manifest.is_file() {
            let name = dir.file_name().unwrap().to_string_lossy();
            out.push((format!("crates/{name}"), manifest));
        }
    }
    out.sort();
    out
}

/// The store owns the schema: only crates/store links SQLite. The app is a thin adapter: it reaches the case file,
/// the graph and CSV files only through the library crates (ARCHITECTURE.md, "The app adds no analysis").
#[test]
fn only_the_store_depends_on_rusqlite_only_the_graph_on_petgraph_and_the_app_on_no_csv() {
    let manifests = manifests();
    assert!(manifests.len() >= 8, "found {manifests:?}");
    let mut wrong = vec![];
    for (package, manifest) in &manifests {
        let deps = dependency_names(manifest);
        // The graph's internals (petgraph) stay inside crates/graph: others use its views (view.rs, shared.rs).
        // xtask uses petgraph for the evaluation baseline (plain connected components).
        let forbidden: &[&str] = match package.as_str() {
            "crates/store" => &["petgraph"],
            "crates/graph" | "crates/xtask" => &["rusqlite"],
            "src-tauri" => &["rusqlite", "petgraph", "csv"],
            _ => &["rusqlite", "petgraph"],
        };
        for f in forbidden {
            if deps.iter().any(|d| d == f) {
                wrong.push(format!("{package} depends on {f}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}: SQL belongs to ringscope-store, graphs to ringscope-graph, CSV reading to ringscope-ingest",
        wrong.join("; ")
    );
}

/// The string literals of Rust source, each with the line it starts on. Comments, char literals and lifetimes are
/// skipped; raw strings (`r"…"`, `r#"…"#`) and byte strings are read too.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = vec![];
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}', '"') or a lifetime ('a): skip past it.
            let close = if next == Some('\\') {
                (i + 3..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            i = close.map_or(i + 1, |j| j + 1);
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let start_line = line;
            let mut text = String::new();
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                line += usize::from(chars[j] == '\n');
                text.push(chars[j]);
                j += 1;
            }
            out.push((start_line, text));
            i = j;
        } else if c == '"' {
            let start_line = line;
            let mut text = String::new();
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    text.push(' ');
                    j += 1;
                    line += usize::from(chars.get(j) == Some(&'\n'));
                } else {
                    line += usize::from(chars[j] == '\n');
                    text.push(chars[j]);
                }
                j += 1;
            }
            out.push((start_line, text));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// The SQL statement a literal holds, if any: `SELECT … FROM`, `INSERT [OR …] INTO`, `UPDATE t SET`, `DELETE FROM`,
/// `CREATE [TEMP|UNIQUE] TABLE|INDEX`, `PRAGMA name`.
fn sql_in(literal: &str) -> Option<&'static str> {
    let words: Vec<&str> = literal
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    for (i, w) in words.iter().enumerate() {
        let found = match *w {
            "SELECT" if words[i + 1..].contains(&"FROM") => Some("SELECT … FROM"),
            "INSERT" if (i + 1..i + 4).any(|j| at(j) == "INTO") => Some("INSERT INTO"),
            "UPDATE" if at(i + 2) == "SET" => Some("UPDATE … SET"),
            "DELETE" if at(i + 1) == "FROM" => Some("DELETE FROM"),
            "CREATE" => {
                let mut j = i + 1;
                while matches!(at(j), "TEMP" | "TEMPORARY" | "UNIQUE") {
                    j += 1;
                }
                matches!(at(j), "TABLE" | "INDEX").then_some("CREATE TABLE/INDEX")
            }
            "PRAGMA" if !at(i + 1).is_empty() => Some("PRAGMA"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The store is the only owner of the schema (ARCHITECTURE.md, crates/store): no Rust string outside crates/store
/// holds an SQL statement, in the library crates or in the app.
#[test]
fn no_sql_outside_the_store() {
    let store = workspace_root().join("crates/store");
    let mut stack = vec![
        workspace_root().join("crates"),
        workspace_root().join("src-tauri/src"),
    ];
    let (mut checked, mut found) = (0, vec![]);
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path == store || path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            checked += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for (line, literal) in string_literals(&text) {
                if let Some(what) = sql_in(&literal) {
                    let file = path.strip_prefix(workspace_root()).unwrap_or(&path);
                    found.push(format!("{}:{line}: {what}", file.display()));
                }
            }
        }
    }
    assert!(checked >= 50, "read {checked} files");
    assert!(
        found.is_empty(),
        "SQL outside crates/store (add a typed method to ringscope-store instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_sql_finder_finds_statements_and_not_prose() {
    let source = r####"
        // "SELECT a FROM b" in a comment is not code
        let c = '"'; let l: &'static str = "ok";
        let q = "SELECT a,
                 b FROM t";
        let r = r#"INSERT OR IGNORE INTO t VALUES (1)"#;
        let u = "UPDATE t SET a = 1"; let d = "DELETE FROM t"; let p = "PRAGMA query_only = ON";
        let t = "CREATE TEMP TABLE x (a)"; let i = "CREATE UNIQUE INDEX i ON t(a)";
        let prose = "Select a ring from the list, then delete it"; let e = "\"quoted\" text";
    "####;
    let found: Vec<(usize, &str)> = string_literals(source)
        .iter()
        .filter_map(|(line, l)| sql_in(l).map(|what| (*line, what)))
        .collect();
    assert_eq!(
        found,
        [
            (4, "SELECT … FROM"),
            (6, "INSERT INTO"),
            (7, "UPDATE … SET"),
            (7, "DELETE FROM"),
            (7, "PRAGMA"),
            (8, "CREATE TABLE/INDEX"),
            (8, "CREATE TABLE/INDEX"),
        ]
    );
}

/// The front ends add no analysis of their own: detection, graph building, explanation, views, imports and exports
/// run only through the use cases in `crates/api`, so the CLI and the app cannot drift apart.
#[test]
fn front_ends_run_analysis_only_through_the_use_cases() {
    let calls = [
        "analyze(",
        "LinkGraph::build",
        "explain::explain(",
        "ring_view(",
        "import_file(",
        "ringscope_packet::export(",
        "verify::verify(",
    ];
    let mut found = vec![];
    let mut checked = 0;
    for dir in ["crates/cli/src", "src-tauri/src"] {
        let mut stack = vec![workspace_root().join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // The app's command tests set cases up through the libraries, as fixtures.
                let fixtures = path.parent().is_some_and(|p| p.ends_with("commands/tests"));
                if path.extension().is_none_or(|e| e != "rs") || fixtures {
                    continue;
                }
                checked += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if line.trim_start().starts_with("//") {
                        continue;
                    }
                    for call in calls.iter().filter(|c| line.contains(*c)) {
                        let file = path.strip_prefix(workspace_root()).unwrap_or(&path);
                        found.push(format!("{}:{}: {call}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(checked >= 15, "read {checked} files");
    assert!(
        found.is_empty(),
        "a front end calls analysis directly (add or use a use case in crates/api):\n{}",
        found.join("\n")
    );
}
