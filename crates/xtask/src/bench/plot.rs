//! The scaling plot: wall time (left) and peak memory (right) against case size, log–log, one line per step.

use super::Results;
use std::fmt::Write;

const SERIES: [(&str, &str, &str); 7] = [
    ("ringscope_import", "Ringscope import", "#2f6fb0"),
    ("ringscope_rings", "Ringscope rings", "#8e44ad"),
    ("ringscope_csv_to_rings", "Ringscope CSV→rings", "#c0392b"),
    ("duckdb_load", "DuckDB load", "#3a9a5b"),
    ("sqlite3_import", "sqlite3 .import", "#7f8c8d"),
    ("pandas_to_sql", "pandas to_sql", "#d9822b"),
    ("igraph_components", "igraph components", "#16a2a8"),
];

fn panel(
    out: &mut String,
    r: &Results,
    x0: f64,
    title: &str,
    value: impl Fn(&super::Step) -> f64,
    unit: &str,
) {
    let (w, h, left, top) = (380.0, 260.0, x0 + 50.0, 30.0);
    let points: Vec<(usize, f64)> = r
        .sizes
        .iter()
        .flat_map(|s| s.steps.values().map(|st| (s.accounts, value(st))))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    if points.is_empty() {
        return;
    }
    let lx = |a: usize| (a.max(1) as f64).log10();
    let (xmin, xmax) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (a, _)| {
            (lo.min(lx(*a)), hi.max(lx(*a)))
        });
    let (ymin, ymax) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| {
            (lo.min(v.log10()), hi.max(v.log10()))
        });
    let (ymin, ymax) = (ymin.floor(), ymax.ceil().max(ymin.floor() + 1.0));
    let xspan = (xmax - xmin).max(1e-9);
    let px = |a: usize| left + (lx(a) - xmin) / xspan * w;
    let py = |v: f64| top + h - (v.log10() - ymin) / (ymax - ymin) * h;
    let _ = writeln!(
        out,
        r#"<text x="{}" y="18" font-weight="bold">{title}</text>"#,
        left
    );
    let _ = writeln!(
        out,
        r##"<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#ccc"/>"##
    );
    for e in (ymin as i32)..=(ymax as i32) {
        let y = py(10f64.powi(e));
        let _ = writeln!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#eee"/><text x="{}" y="{}" text-anchor="end" font-size="10">{}{unit}</text>"##,
            left + w,
            left - 4.0,
            y + 3.0,
            10f64.powi(e)
        );
    }
    for s in &r.sizes {
        let x = px(s.accounts);
        let _ = writeln!(
            out,
            r#"<text x="{x}" y="{}" text-anchor="middle" font-size="10">{}</text>"#,
            top + h + 14.0,
            s.accounts
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="10">accounts</text>"#,
        left + w / 2.0,
        top + h + 28.0
    );
    for (name, _, color) in SERIES {
        let pts: Vec<String> = r
            .sizes
            .iter()
            .filter_map(|s| s.steps.get(name).map(|st| (s.accounts, value(st))))
            .filter(|(_, v)| *v > 0.0)
            .map(|(a, v)| format!("{:.1},{:.1}", px(a), py(v)))
            .collect();
        if !pts.is_empty() {
            let _ = writeln!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
                pts.join(" ")
            );
            for p in &pts {
                let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
                let _ = writeln!(out, r#"<circle cx="{x}" cy="{y}" r="3" fill="{color}"/>"#);
            }
        }
    }
}

pub fn scaling(r: &Results) -> String {
    let mut out = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="920" height="384" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
"#,
    );
    panel(&mut out, r, 0.0, "Wall time (s), log–log", |s| s.wall_s, "");
    panel(
        &mut out,
        r,
        460.0,
        "Peak RSS (MB), log–log",
        |s| s.rss_mb,
        "",
    );
    for (i, (_, label, color)) in SERIES.iter().enumerate() {
        let x = 50.0 + (i % 4) as f64 * 215.0;
        let y = 350.0 + (i / 4) as f64 * 16.0;
        let _ = writeln!(
            out,
            r#"<rect x="{x}" y="{}" width="10" height="10" fill="{color}"/><text x="{}" y="{}">{label}</text>"#,
            y - 9.0,
            x + 14.0,
            y
        );
    }
    out.push_str("</svg>\n");
    out
}
