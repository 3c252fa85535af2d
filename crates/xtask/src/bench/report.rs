//! BENCHMARKS.md, generated from the results: the machine, the figures per size, ratios to each peer, the
//! targets, and the scaling plot; hand-written notes (profiles) follow.

use super::{Results, SizeResult, Step};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn machine() -> BTreeMap<String, String> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_gib = read("/proc/meminfo")
        .lines()
        .find_map(|l| {
            l.strip_prefix("MemTotal:")
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_else(|| "?".into());
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| {
            l.strip_prefix("PRETTY_NAME=")
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "?".into());
    let mut m = BTreeMap::new();
    m.insert("cpu".into(), model);
    m.insert("cores".into(), cores.to_string());
    m.insert("memory".into(), mem_gib);
    m.insert("os".into(), os);
    m.insert(
        "date".into(),
        chrono::Utc::now().format("%Y-%m-%d").to_string(),
    );
    m
}

/// The steps in report order, with what each one is.
pub const STEPS: [(&str, &str); 11] = [
    ("floor_cat", "floor: `cat` the CSV files to /dev/null"),
    (
        "ringscope_import",
        "**Ringscope import** (CSV → case file, provenance, normalization)",
    ),
    ("duckdb_load", "DuckDB `read_csv` into a database file"),
    ("sqlite3_import", "sqlite3 shell `.import`"),
    ("pandas_to_sql", "pandas `read_csv` + `to_sql` (SQLite)"),
    (
        "ringscope_rings",
        "**Ringscope ring detection** (graph build, rings, scores; `ringscope rings`)",
    ),
    (
        "ringscope_rings_unchanged",
        "**Ringscope rings on the unchanged case** (the detection the case keeps)",
    ),
    (
        "igraph_components",
        "igraph: read links, connected components (process)",
    ),
    (
        "networkx_components",
        "networkx: read links, connected components (process)",
    ),
    (
        "ringscope_csv_to_rings",
        "**Ringscope CSV → ranked rings** (init + import + rings)",
    ),
    (
        "ringscope_reimport_1pct",
        "**Ringscope re-import of 1% new rows** into the 99% case",
    ),
];

fn step<'a>(size: &'a SizeResult, name: &str) -> Option<&'a Step> {
    size.steps.get(name)
}

fn ratio(size: &SizeResult, a: &str, b: &str) -> Option<f64> {
    Some(step(size, a)?.wall_s / step(size, b)?.wall_s)
}

fn fmt_opt(x: Option<f64>, unit: &str) -> String {
    x.filter(|v| v.is_finite())
        .map_or("–".into(), |v| format!("{v:.2}{unit}"))
}

/// A target: what, the goal, the measured value, how to show it, and whether it meets the goal.
type TargetRow<'a> = (
    &'a str,
    &'a str,
    Option<f64>,
    &'a dyn Fn(f64) -> String,
    fn(f64) -> bool,
);

fn targets(s: &SizeResult) -> String {
    let mut out = String::new();
    let total = step(s, "ringscope_csv_to_rings");
    let import = step(s, "ringscope_import");
    let rings = step(s, "ringscope_rings");
    let igraph_cc =
        step(s, "igraph_components").and_then(|st| st.inner_s.get("components_s").copied());
    let times = |r: f64| format!("{r:.2}×");
    let faster = |r: f64| {
        if r >= 1.0 {
            format!("{r:.2}× faster")
        } else {
            format!("{:.2}× slower", 1.0 / r)
        }
    };
    let seconds = |v: f64| format!("{v:.2} s");
    let gib = |mb: f64| format!("{:.2} GiB", mb / 1024.0);
    let percent = |r: f64| format!("{:.2}%", r * 100.0);
    let rows: [TargetRow; 9] = [
        (
            "Import within 1.5× DuckDB",
            "≤ 1.5",
            ratio(s, "ringscope_import", "duckdb_load"),
            &times,
            |r| r <= 1.5,
        ),
        (
            "Import at least 5× faster than pandas + to_sql",
            "≥ 5",
            ratio(s, "pandas_to_sql", "ringscope_import"),
            &faster,
            |r| r >= 5.0,
        ),
        (
            "Case file no larger than its CSV",
            "≤ 1×",
            (s.case_bytes > 0).then(|| s.case_bytes as f64 / s.csv_bytes as f64),
            &times,
            |r| r <= 1.0,
        ),
        (
            "Ring detection within 1.5× igraph connected components (process vs process)",
            "≤ 1.5",
            ratio(s, "ringscope_rings", "igraph_components"),
            &times,
            |r| r <= 1.5,
        ),
        (
            "… against igraph's `connected_components` call alone",
            "≤ 1.5",
            rings.zip(igraph_cc).map(|(r, c)| r.wall_s / c),
            &times,
            |r| r <= 1.5,
        ),
        (
            "CSV → ranked rings",
            "≤ 25 s",
            total.map(|t| t.wall_s),
            &seconds,
            |v| v <= 25.0,
        ),
        (
            "Peak RSS, CSV → ranked rings",
            "≤ 1.5 GB",
            total.map(|t| t.rss_mb),
            &gib,
            |mb| mb <= 1536.0,
        ),
        (
            "Re-import of 1% new rows, share of a full import",
            "≤ 5%",
            step(s, "ringscope_reimport_1pct")
                .zip(import)
                .map(|(r, i)| r.wall_s / i.wall_s),
            &percent,
            |r| r <= 0.05,
        ),
        (
            "`rings` on a case unchanged since its last detection",
            "< 1 s",
            step(s, "ringscope_rings_unchanged").map(|t| t.wall_s),
            &seconds,
            |v| v < 1.0,
        ),
    ];
    out.push_str("| target | goal | measured | met |\n|---|---|---|---|\n");
    for (what, goal, value, show, ok) in rows {
        let value = value.filter(|v| v.is_finite());
        let (got, met) = match value {
            Some(v) => (show(v), if ok(v) { "yes" } else { "**no**" }),
            None => ("–".to_string(), "not measured"),
        };
        let _ = writeln!(out, "| {what} | {goal} | {got} | {met} |");
    }
    out
}

fn size_table(s: &SizeResult) -> String {
    let mut out =
        String::from("| step | wall s | CPU s | peak RSS MB | ratio |\n|---|---:|---:|---:|---|\n");
    for (name, what) in STEPS.iter() {
        let Some(st) = step(s, name) else { continue };
        let ratio = match *name {
            "ringscope_import" => format!(
                "{} DuckDB · {} sqlite3 · {} pandas · {} cat",
                fmt_opt(ratio(s, name, "duckdb_load"), "×"),
                fmt_opt(ratio(s, name, "sqlite3_import"), "×"),
                fmt_opt(ratio(s, name, "pandas_to_sql"), "×"),
                fmt_opt(ratio(s, name, "floor_cat"), "×"),
            ),
            "ringscope_rings" => format!(
                "{} igraph · {} networkx",
                fmt_opt(ratio(s, name, "igraph_components"), "×"),
                fmt_opt(ratio(s, name, "networkx_components"), "×"),
            ),
            "ringscope_reimport_1pct" => format!(
                "{} of a full import",
                fmt_opt(ratio(s, name, "ringscope_import").map(|r| r * 100.0), "%")
            ),
            _ => String::new(),
        };
        let inner = if st.inner_s.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                st.inner_s
                    .iter()
                    .map(|(k, v)| format!(
                        "{} {v:.2} s",
                        k.trim_end_matches("_s").replace('_', " ")
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(
            out,
            "| {what}{inner} | {:.2} | {:.2} | {:.0} | {ratio} |",
            st.wall_s, st.cpu_s, st.rss_mb
        );
    }
    out
}

pub fn markdown(r: &Results, notes: &str) -> String {
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n<!-- Generated by `cargo xtask bench`; edit docs/bench/notes.md for the hand-written part. -->\n\n");
    out.push_str(
        "Ringscope against the tools an analyst would use instead, **in the same run, on the same files**: release builds, each step\n\
         a separate process under `/usr/bin/time` (wall time, CPU time of the process and its children, peak RSS), medians of\n\
         several rounds. Ratios are Ringscope's time over the peer's (below 1 means Ringscope is faster). Reproduce with:\n\n    cargo xtask bench                      # 10k, 100k and 1M accounts, 3 rounds\n    cargo xtask bench --sizes 10k --runs 1 # a quick look\n\n",
    );
    let _ = writeln!(
        out,
        "Machine: {} ({} cores), {}, {}; measured {}. Peers: {}. Rounds per size: {} (1M accounts and more: {}).\n",
        r.machine.get("cpu").map_or("?", String::as_str),
        r.machine.get("cores").map_or("?", String::as_str),
        r.machine.get("memory").map_or("?", String::as_str),
        r.machine.get("os").map_or("?", String::as_str),
        r.machine.get("date").map_or("?", String::as_str),
        r.peers
            .as_object()
            .map(|m| m
                .iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default(),
        r.runs,
        r.large_runs,
    );
    if let Some(largest) = r.sizes.iter().max_by_key(|s| s.accounts) {
        let _ = writeln!(
            out,
            "## Targets, at {} accounts\n\n{}",
            largest.accounts,
            targets(largest)
        );
    }
    out.push_str("## Scaling\n\n![Time and peak memory from the smallest to the largest case](docs/bench/scaling.svg)\n\n");
    out.push_str("| accounts | CSV rows | CSV MB | links | Ringscope import s | DuckDB s | Ringscope rings s | igraph s | CSV → rings s | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for s in &r.sizes {
        let w = |n: &str| step(s, n).map_or("–".into(), |st| format!("{:.2}", st.wall_s));
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            s.accounts,
            s.rows,
            s.csv_bytes as f64 / 1e6,
            s.links,
            w("ringscope_import"),
            w("duckdb_load"),
            w("ringscope_rings"),
            w("igraph_components"),
            w("ringscope_csv_to_rings"),
            step(s, "ringscope_csv_to_rings")
                .map_or("–".into(), |st| format!("{:.0}", st.rss_mb)),
        );
    }
    out.push('\n');
    for s in &r.sizes {
        let _ = writeln!(
            out,
            "## {} accounts ({} CSV rows, {:.0} MB; {} links; median of {} rounds)\n\n{}",
            s.accounts,
            s.rows,
            s.csv_bytes as f64 / 1e6,
            s.links,
            s.rounds,
            size_table(s)
        );
    }
    out.push_str("Raw samples: [docs/bench/results.json](docs/bench/results.json).\n\n");
    out.push_str(notes);
    out
}
