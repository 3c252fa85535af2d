use crate::output::{print_json, shown, shown_list};
use clap::Args;
use ringscope_api::Context;
use ringscope_api::rings::{DecisionFilter, RingQuery, RingSort};
use ringscope_graph::IdKind;
use ringscope_model::money;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct RingsArgs {
    case: PathBuf,
    #[arg(long)]
    json: bool,
    /// Show at most this many rings.
    #[arg(long)]
    limit: Option<usize>,
    /// Skip this many rings first (with --limit: one page of the list).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Hide rings scoring below this.
    #[arg(long)]
    min_score: Option<f64>,
    /// Order by score, accounts, amount, disputes or rank.
    #[arg(long, value_parser = parse_sort, default_value = "score")]
    sort: RingSort,
    /// Smallest first (default: largest, or best, first).
    #[arg(long)]
    ascending: bool,
    /// Only rings bound by this kind of identifier: device, ip, card, email or phone.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<IdKind>,
    /// Only rings with this decision: confirmed, dismissed, needs-review, or none (undecided).
    #[arg(long, value_parser = parse_decision)]
    decision: Option<DecisionFilter>,
}

fn parse_sort(s: &str) -> Result<RingSort, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| format!("unknown sort {s:?}: use score, accounts, amount, disputes or rank"))
}

fn parse_kind(s: &str) -> Result<IdKind, String> {
    IdKind::parse(s).ok_or_else(|| {
        format!("unknown identifier kind {s:?}: use device, ip, card, email or phone")
    })
}

fn parse_decision(s: &str) -> Result<DecisionFilter, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).map_err(|_| {
        format!("unknown decision {s:?}: use confirmed, dismissed, needs-review or none")
    })
}

#[derive(Args)]
pub struct RingArgs {
    case: PathBuf,
    ring_id: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExplainArgs {
    case: PathBuf,
    account_a: String,
    account_b: String,
    #[arg(long)]
    json: bool,
}

pub fn rings(args: RingsArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let query = RingQuery {
        sort: args.sort,
        descending: !args.ascending,
        kind: args.kind,
        min_score: args.min_score,
        decision: args.decision,
        offset: args.offset,
        limit: args.limit.unwrap_or(usize::MAX),
    };
    let page = ringscope_api::rings::rings(&ctx, &query)?;
    let shown = &page.rings;
    if args.json {
        // The analysis (the whole link graph) is not needed to print the page.
        drop(ctx);
        print_json(shown)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<7} {:>4} {:>6} {:>8} {:>6} {:>8}  {:<12} {:<28} top reasons",
        "ring", "rank", "score", "accounts", "cards", "disputes", "decision", "bound by"
    );
    for r in shown {
        let mut kinds: Vec<&str> = r.binding.iter().map(|b| b.kind.as_str()).collect();
        kinds.dedup();
        kinds.sort();
        kinds.dedup();
        let mut reasons = r.reasons.clone();
        reasons.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        let top: Vec<String> = reasons
            .iter()
            .take(3)
            .map(|x| format!("{} {:+.1}", x.feature, x.contribution))
            .collect();
        println!(
            "{:<7} {:>4} {:>6.2} {:>8} {:>6} {:>8}  {:<12} {:<28} {}",
            r.id,
            r.rank,
            r.score,
            r.counts.accounts,
            r.counts.cards,
            r.counts.disputes,
            r.decision.as_ref().map_or("-", |d| d.state.as_str()),
            kinds.join(","),
            top.join(", ")
        );
    }
    let filtered = args.min_score.is_some() || args.kind.is_some() || args.decision.is_some();
    let all = if filtered {
        let every = RingQuery {
            limit: 1,
            ..RingQuery::default()
        };
        ringscope_api::rings::rings(&ctx, &every)?.total
    } else {
        page.total
    };
    println!(
        "\n{all} rings; {} hub identifiers ignored as links; {} placeholder values ignored",
        page.hub_identifiers, page.placeholder_values
    );
    Ok(ExitCode::SUCCESS)
}

pub fn ring(args: RingArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let r = &ringscope_api::rings::ring(&Context::new(&args.case, actor), &args.ring_id)?;
    if args.json {
        print_json(r)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Ring {}  rank {}  score {:.2}",
        shown(&r.id),
        r.rank,
        r.score
    );
    println!(
        "Active {} .. {}",
        shown(r.first_activity.as_deref().unwrap_or("-")),
        shown(r.last_activity.as_deref().unwrap_or("-"))
    );
    let c = &r.counts;
    println!(
        "Counts {} accounts ({} creators), {} devices, {} cards, {} IPs, {} emails, {} phones; {} payments, {} declined, {} disputed",
        c.accounts,
        c.creators,
        c.devices,
        c.cards,
        c.ips,
        c.emails,
        c.phones,
        c.payments,
        c.declines,
        c.disputes
    );
    for a in &r.amounts {
        println!(
            "Money  {} paid, {} disputed",
            shown(&money::format(a.paid_minor, &a.currency)),
            shown(&money::format(a.disputed_minor, &a.currency))
        );
    }
    println!("\nScore = sum of reasons:");
    for x in &r.reasons {
        println!(
            "  {:>+6.2}  {:<22} {}",
            x.contribution,
            x.feature,
            shown(&x.detail)
        );
    }
    println!("\nMembers: {}", shown_list(&r.members, ", "));
    println!("\nBound by:");
    for b in &r.binding {
        println!(
            "  {:<6} {:<40} weight {:.2}  used by {} account(s), {} in the ring: {}",
            b.kind,
            shown(&b.value),
            b.weight,
            b.accounts_total,
            b.members.len(),
            shown_list(&b.members, ", ")
        );
        println!("         {}", b.reading.why);
    }
    if !r.creators_paid.is_empty() {
        println!("\nMoney went to:");
        for cp in r.creators_paid.iter().take(10) {
            println!(
                "  {:<12} {:>16}  {:>5.1}%  from {} member(s){}",
                shown(&cp.creator_id),
                shown(&money::format(cp.amount_minor, &cp.currency)),
                cp.share * 100.0,
                cp.payers,
                if cp.in_ring { "  (a ring member)" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: ExplainArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let e = ringscope_api::rings::explain(&ctx, &args.account_a, &args.account_b)?;
    if args.json {
        print_json(&e)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !e.linked {
        println!(
            "{} and {} are not linked by any shared identifier (hubs and placeholders do not count)",
            shown(&e.from),
            shown(&e.to)
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} is linked to {} in {} hop(s):",
        shown(&e.from),
        shown(&e.to),
        e.hops.len()
    );
    for (i, h) in e.hops.iter().enumerate() {
        if h.kind == ringscope_graph::explain::HopKind::Payment {
            println!(
                "\n{}. {} -> {} by payment",
                i + 1,
                shown(&h.from.account),
                shown(&h.to.account)
            );
        } else {
            println!(
                "\n{}. {} -> {} share {} {} (weight {:.2}, used by {} accounts)",
                i + 1,
                shown(&h.from.account),
                shown(&h.to.account),
                h.kind,
                shown(&h.value),
                h.weight,
                h.accounts_sharing
            );
        }
        println!("   {}", h.why);
        for u in [&h.from, &h.to] {
            let rows: Vec<String> = u
                .rows
                .iter()
                .map(|r| format!("{}:{}", shown(&r.file), r.line))
                .collect();
            let more = if u.total_rows as usize > u.rows.len() {
                format!(" (+{} more)", u.total_rows as usize - u.rows.len())
            } else {
                String::new()
            };
            println!("   {}: {}{}", shown(&u.account), rows.join(", "), more);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum GraphFormat {
    Json,
    Graphml,
    Gexf,
}

#[derive(Args)]
pub struct RingGraphArgs {
    case: PathBuf,
    ring_id: String,
    /// json (the app's graph view), graphml or gexf (Gephi).
    #[arg(long, value_enum, default_value = "json")]
    format: GraphFormat,
    /// Add one hop around these node ids (`account:ID` or `KIND:VALUE`), as the app's expand does.
    #[arg(long, value_delimiter = ',')]
    expand: Vec<String>,
    /// Same as --format json (and failures as {code, message}).
    #[arg(long)]
    json: bool,
}

/// The ring's subgraph as the app draws it (`ringscope_graph::view`), on stdout.
pub fn ring_graph(args: RingGraphArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let view = ringscope_api::rings::ring_graph(&ctx, &args.ring_id, &args.expand)?;
    match (args.json, args.format) {
        (true, _) | (false, GraphFormat::Json) => print_json(&view)?,
        (false, GraphFormat::Graphml) => print!("{}", view.to_graphml()),
        (false, GraphFormat::Gexf) => print!("{}", view.to_gexf()),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct MembersArgs {
    case: PathBuf,
    ring_id: String,
    /// Remove these accounts from the ring as false positives (recorded, reversible).
    #[arg(
        long,
        value_delimiter = ',',
        conflicts_with = "restore",
        required_unless_present = "restore"
    )]
    remove: Vec<String>,
    /// Why they are not part of the ring (for the case history).
    #[arg(long, requires = "remove")]
    reason: Option<String>,
    /// Put removed accounts back.
    #[arg(long, value_delimiter = ',')]
    restore: Vec<String>,
    #[arg(long)]
    json: bool,
}

/// Removes members from a ring, or restores them; prints the ring's members after detection ran again.
pub fn members(args: MembersArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let ring = if args.restore.is_empty() {
        ringscope_api::rings::remove_members(
            &ctx,
            &args.ring_id,
            &args.remove,
            args.reason.as_deref(),
        )?
    } else {
        Some(ringscope_api::rings::restore_members(
            &ctx,
            &args.ring_id,
            &args.restore,
        )?)
    };
    if args.json {
        print_json(&ring)?;
        return Ok(ExitCode::SUCCESS);
    }
    match ring {
        Some(r) => {
            println!(
                "Ring {}: {} members: {}",
                shown(&r.id),
                r.members.len(),
                shown_list(&r.members, ", ")
            );
            for m in &r.removed {
                println!(
                    "  removed {} by {} at {}{}",
                    shown(&m.account_id),
                    shown(&m.actor),
                    m.ts,
                    m.reason
                        .as_deref()
                        .map(|x| format!(": {}", shown(x)))
                        .unwrap_or_default()
                );
            }
        }
        None => println!(
            "{} no longer holds two accounts: it is no ring",
            shown(&args.ring_id)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
