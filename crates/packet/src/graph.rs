//! The subjects' link graph as data (nodes.csv, edges.csv with the source row behind every link) and as a drawing
//! (graph.svg). Every label is escaped: values come from the data, never from us.

use crate::Result;
use crate::records::neutralize;
use crate::redact::{Redactor, Sensitive};
use crate::subjects::Subjects;
use ringscope_graph::IdKind;
use ringscope_graph::explain::usage_limited;
use ringscope_model::RecordKind;
use ringscope_store::Case;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A node of the packet graph.
pub struct GraphNode {
    pub id: String,
    pub kind: &'static str,
    pub label: String,
    pub subject: bool,
    pub accounts_total: usize,
    pub weight: f64,
    pub hub: bool,
}

pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub relation: &'static str,
    pub file: String,
    pub sha256: String,
    pub line: i64,
}

pub struct PacketGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

fn kind_name(kind: IdKind) -> &'static str {
    kind.as_str()
}

pub fn build(case: &Case, subjects: &Subjects, redactor: &Redactor) -> Result<PacketGraph> {
    let mut nodes = vec![];
    let mut edges = vec![];
    for a in &subjects.accounts {
        nodes.push(GraphNode {
            id: format!("account:{a}"),
            kind: "account",
            label: a.clone(),
            subject: true,
            accounts_total: 1,
            weight: 0.0,
            hub: false,
        });
    }
    for (i, s) in subjects.shared.iter().enumerate() {
        let label = Sensitive::of_identifier(s.kind)
            .map_or_else(|| s.value.clone(), |what| redactor.mask(what, &s.value));
        let id = format!("{}:{}", kind_name(s.kind), i + 1);
        nodes.push(GraphNode {
            id: id.clone(),
            kind: kind_name(s.kind),
            label,
            subject: false,
            accounts_total: s.accounts_total,
            weight: s.weight,
            hub: s.hub,
        });
        for account in &s.subjects {
            let usage = usage_limited(case, s.kind, &s.value, account, usize::MAX >> 1)?;
            for row in usage.rows {
                let sha256 = subjects
                    .source(row.source_id)
                    .map(|x| x.sha256.clone())
                    .unwrap_or_default();
                edges.push(GraphEdge {
                    from: format!("account:{account}"),
                    to: id.clone(),
                    relation: "uses",
                    file: row.file,
                    sha256,
                    line: row.line,
                });
            }
        }
    }
    // Money: every payment a subject made to a creator, as a `pays` edge backed by its payment row.
    let mut creators: BTreeMap<String, ()> = BTreeMap::new();
    for p in subjects
        .records
        .get(&RecordKind::Payments)
        .into_iter()
        .flatten()
    {
        let Some(creator) = Subjects::field(p, "creator_id").and_then(|v| v.as_str()) else {
            continue;
        };
        if !subjects.accounts.iter().any(|a| a == creator) {
            creators.insert(creator.to_string(), ());
        }
        let source = subjects.source(p.source_id);
        edges.push(GraphEdge {
            from: format!("account:{}", p.account_id),
            to: format!("account:{creator}"),
            relation: "pays",
            file: source.map(|s| s.file_name.clone()).unwrap_or_default(),
            sha256: source.map(|s| s.sha256.clone()).unwrap_or_default(),
            line: p.line,
        });
    }
    for c in creators.into_keys() {
        nodes.push(GraphNode {
            id: format!("account:{c}"),
            kind: "creator",
            label: c,
            subject: false,
            accounts_total: 1,
            weight: 0.0,
            hub: false,
        });
    }
    Ok(PacketGraph { nodes, edges })
}

pub fn nodes_csv(g: &PacketGraph) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "node_id",
        "kind",
        "label",
        "subject",
        "accounts_total",
        "weight",
        "hub",
    ])?;
    for n in &g.nodes {
        w.write_record([
            neutralize(&n.id).as_ref(),
            n.kind,
            neutralize(&n.label).as_ref(),
            if n.subject { "true" } else { "false" },
            &n.accounts_total.to_string(),
            &format!("{:.2}", n.weight),
            if n.hub { "true" } else { "false" },
        ])?;
    }
    crate::records::finish(w)
}

pub fn edges_csv(g: &PacketGraph) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "from",
        "to",
        "relation",
        "source_file",
        "source_sha256",
        "source_line",
    ])?;
    for e in &g.edges {
        w.write_record([
            neutralize(&e.from).as_ref(),
            neutralize(&e.to).as_ref(),
            e.relation,
            neutralize(&e.file).as_ref(),
            &e.sha256,
            &e.line.to_string(),
        ])?;
    }
    crate::records::finish(w)
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn short(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 14 {
        label.to_string()
    } else {
        format!("{}…", chars[..13].iter().collect::<String>())
    }
}

const STYLE: &[(&str, &str, &str)] = &[
    // kind, fill, legend text
    ("account", "#2f6fb0", "subject account"),
    ("creator", "#d9822b", "creator paid (not a subject)"),
    ("device", "#3a9a5b", "device"),
    ("card", "#8e44ad", "card"),
    ("email", "#16a2a8", "email"),
    ("phone", "#7a5c3a", "phone"),
    ("ip", "#7f8c8d", "IP address"),
];

fn fill(kind: &str) -> &'static str {
    STYLE
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("#555555", |(_, f, _)| f)
}

fn shape(out: &mut String, kind: &str, x: f64, y: f64, r: f64, hub: bool) {
    let stroke = if hub {
        r##" stroke="#c0392b" stroke-width="2.5" stroke-dasharray="4 2""##
    } else {
        r##" stroke="#222222" stroke-width="1""##
    };
    let f = fill(kind);
    let _ = match kind {
        "account" | "creator" => writeln!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{f}"{stroke}/>"#
        ),
        "device" => writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{f}"{stroke}/>"#,
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        "card" => writeln!(
            out,
            r#"<polygon points="{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}" fill="{f}"{stroke}/>"#,
            y - r * 1.2,
            x + r * 1.2,
            y + r * 1.2,
            x - r * 1.2
        ),
        "ip" => writeln!(
            out,
            r#"<polygon points="{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{f}"{stroke}/>"#,
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        _ => {
            let pts: Vec<String> = (0..6)
                .map(|i| {
                    let a = std::f64::consts::PI / 3.0 * i as f64;
                    format!("{:.1},{:.1}", x + r * a.cos(), y + r * a.sin())
                })
                .collect();
            writeln!(
                out,
                r#"<polygon points="{}" fill="{f}"{stroke}/>"#,
                pts.join(" ")
            )
        }
    };
}

/// A deterministic drawing: subjects on a circle, shared identifiers between the subjects using them, creators
/// paid outside the circle, a legend below.
pub fn svg(g: &PacketGraph) -> String {
    let (w, h, cx, cy) = (900.0, 980.0, 450.0, 440.0);
    let accounts: Vec<&GraphNode> = g.nodes.iter().filter(|n| n.kind == "account").collect();
    let creators: Vec<&GraphNode> = g.nodes.iter().filter(|n| n.kind == "creator").collect();
    let radius = 330.0;
    let mut pos: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (i, a) in accounts.iter().enumerate() {
        let t = 2.0 * std::f64::consts::PI * i as f64 / accounts.len().max(1) as f64
            - std::f64::consts::FRAC_PI_2;
        pos.insert(&a.id, (cx + radius * t.cos(), cy + radius * t.sin()));
    }
    for (i, c) in creators.iter().enumerate() {
        let x = 60.0 + (w - 120.0) * (i as f64 + 0.5) / creators.len().max(1) as f64;
        pos.insert(&c.id, (x, 40.0));
    }
    let mut by_ident: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for e in g.edges.iter().filter(|e| e.relation == "uses") {
        if let Some(&p) = pos.get(e.from.as_str()) {
            let v = by_ident.entry(&e.to).or_default();
            if !v.contains(&p) {
                v.push(p);
            }
        }
    }
    // Identifiers sit evenly on an inner circle, in the order of the angle at which their users sit, so each is
    // near the accounts using it and none overlap.
    let mut idents: Vec<(f64, &GraphNode)> = g
        .nodes
        .iter()
        .filter(|n| !matches!(n.kind, "account" | "creator"))
        .map(|n| {
            let pts = by_ident.get(n.id.as_str()).cloned().unwrap_or_default();
            let (sx, sy) = pts
                .iter()
                .fold((0.0, 0.0), |(x, y), p| (x + p.0 - cx, y + p.1 - cy));
            (sy.atan2(sx), n)
        })
        .collect();
    idents.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    let inner = radius * if idents.len() > 24 { 0.62 } else { 0.5 };
    for (i, (_, n)) in idents.iter().enumerate() {
        let slot = 2.0 * std::f64::consts::PI * i as f64 / idents.len().max(1) as f64;
        // Start the slots at the first identifier's own angle, so the circle is not arbitrarily rotated.
        let t = slot + idents.first().map_or(0.0, |f| f.0);
        pos.insert(&n.id, (cx + inner * t.cos(), cy + inner * t.sin()));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let mut drawn = std::collections::BTreeSet::new();
    for e in &g.edges {
        if !drawn.insert((&e.from, &e.to)) {
            continue;
        }
        if let (Some(a), Some(b)) = (pos.get(e.from.as_str()), pos.get(e.to.as_str())) {
            let style = if e.relation == "pays" {
                r##"stroke="#d9822b" stroke-width="1" stroke-dasharray="5 3""##
            } else {
                r##"stroke="#999999" stroke-width="1.2""##
            };
            let _ = writeln!(
                out,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" {style}/>"#,
                a.0, a.1, b.0, b.1
            );
        }
    }
    for n in &g.nodes {
        let Some(&(x, y)) = pos.get(n.id.as_str()) else {
            continue;
        };
        let r = if matches!(n.kind, "account" | "creator") {
            11.0
        } else {
            8.0
        };
        shape(&mut out, n.kind, x, y, r, n.hub);
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y + r + 12.0,
            // Shown as the report shows values: a bidi control or control character as its code point.
            xml_escape(&short(&ringscope_model::display::visible(&n.label)))
        );
    }
    let legend_y = h - 110.0;
    let _ = writeln!(
        out,
        r##"<rect x="20" y="{:.1}" width="{:.1}" height="100" fill="#f6f6f6" stroke="#cccccc"/>"##,
        legend_y - 10.0,
        w - 40.0
    );
    for (i, (kind, _, text)) in STYLE.iter().enumerate() {
        let (x, y) = (
            50.0 + (i % 4) as f64 * 215.0,
            legend_y + 15.0 + (i / 4) as f64 * 30.0,
        );
        shape(&mut out, kind, x, y, 7.0, false);
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}">{text}</text>"#,
            x + 14.0,
            y + 4.0
        );
    }
    let (x, y) = (50.0 + 3.0 * 215.0, legend_y + 45.0);
    shape(&mut out, "device", x, y, 7.0, true);
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}">hub (shared far beyond the subjects)</text>"#,
        x + 14.0,
        y + 4.0
    );
    let _ = writeln!(
        out,
        r#"<text x="50" y="{:.1}">grey line: account uses identifier; dashed orange: payment to creator</text>"#,
        legend_y + 78.0
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_escaped() {
        assert_eq!(
            super::xml_escape("<img src=x onerror=\"a&b\">"),
            "&lt;img src=x onerror=&quot;a&amp;b&quot;&gt;"
        );
    }
}
