//! Per-ring figures computed with polars over the case frames: membership joined to accounts, payments and events,
//! grouped by ring.

use crate::Result;
use polars::prelude::*;
use ringscope_frames::Frames;
use ringscope_model::payment;

/// Raw figures of one ring, before scoring.
#[derive(Debug, Clone, Default)]
pub struct RingFigures {
    pub banned: i64,
    pub creators: i64,
    /// Sign-up times (UTC ms) of members with one, sorted.
    pub signups: Vec<i64>,
    /// Earliest sign-up of a banned member, and the latest sign-up of anyone.
    pub first_banned_signup: Option<i64>,
    /// The banned member who signed up first (the account the others returned as).
    pub first_banned_account: Option<String>,
    /// Members sharing a canonical email while writing it differently (`+tags`, dots).
    pub email_variant_accounts: i64,
    pub payments: i64,
    pub declines: i64,
    pub disputes: i64,
    /// Per currency: (paid minor units, disputed minor units).
    pub amounts: Vec<(String, i64, i64)>,
    /// Per creator paid (not failed): (creator, currency, amount, distinct payers).
    pub creators_paid: Vec<(String, String, i64, i64)>,
    pub first_activity: Option<i64>,
    pub last_activity: Option<i64>,
}

fn i64_at(df: &DataFrame, name: &str, i: usize) -> Result<Option<i64>> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.get(i))
}

fn str_at(df: &DataFrame, name: &str, i: usize) -> Result<Option<String>> {
    Ok(df.column(name)?.str()?.get(i).map(str::to_string))
}

fn ring_at(df: &DataFrame, i: usize) -> Result<usize> {
    Ok(i64_at(df, "ring", i)?.unwrap_or(0) as usize)
}

fn count_if(e: Expr) -> Expr {
    e.cast(DataType::Int64).sum()
}

/// The stored columns of accounts and of payments that [`compute`] reads: detection loads only these for the
/// members (`Frames::load_columns_for`). A column read but not listed fails every detection, in every test.
pub const ACCOUNT_COLUMNS: &[&str] = &[
    "account_id",
    "status",
    "role",
    "created_at_ms",
    "email",
    "email_canon",
];
pub const PAYMENT_COLUMNS: &[&str] = &[
    "account_id",
    "creator_id",
    "created_at_ms",
    "amount_minor",
    "currency",
    payment::STATUS,
    payment::DISPUTED_AMOUNT,
    payment::DISPUTE_STATUS,
];

/// `membership`: (account id, ring index) pairs. Returns figures indexed by ring.
pub fn compute(
    frames: &Frames,
    membership: &[(String, u32)],
    rings: usize,
) -> Result<Vec<RingFigures>> {
    let mut out = vec![RingFigures::default(); rings];
    if membership.is_empty() {
        return Ok(out);
    }
    let members = DataFrame::new(
        membership.len(),
        vec![
            Column::new(
                "account_id".into(),
                membership
                    .iter()
                    .map(|(a, _)| a.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "ring".into(),
                membership
                    .iter()
                    .map(|(_, r)| *r as i64)
                    .collect::<Vec<_>>(),
            ),
        ],
    )?
    .lazy();
    let on = |c: &str| [col(c)];
    let inner = || JoinArgs::new(JoinType::Inner);

    // Accounts: banned members, creators, sign-ups, email variants.
    let accounts = members.clone().join(
        frames.accounts.clone().lazy(),
        on("account_id"),
        on("account_id"),
        inner(),
    );
    let per_ring = accounts
        .clone()
        .group_by([col("ring")])
        .agg([
            count_if(col("status").eq(lit("banned"))).alias("banned"),
            count_if(col("role").eq(lit("creator"))).alias("creators"),
            col("created_at")
                .filter(col("status").eq(lit("banned")))
                .min()
                .cast(DataType::Int64)
                .alias("first_banned"),
        ])
        .collect()?;
    for i in 0..per_ring.height() {
        let r = &mut out[ring_at(&per_ring, i)?];
        r.banned = i64_at(&per_ring, "banned", i)?.unwrap_or(0);
        r.creators = i64_at(&per_ring, "creators", i)?.unwrap_or(0);
        r.first_banned_signup = i64_at(&per_ring, "first_banned", i)?;
    }
    let banned = accounts
        .clone()
        .filter(col("status").eq(lit("banned")))
        .select([
            col("ring"),
            col("account_id"),
            col("created_at").cast(DataType::Int64),
        ])
        .collect()?;
    let mut earliest: Vec<Option<(Option<i64>, String)>> = vec![None; rings];
    for i in 0..banned.height() {
        let key = (
            i64_at(&banned, "created_at", i)?,
            str_at(&banned, "account_id", i)?.unwrap_or_default(),
        );
        let slot = &mut earliest[ring_at(&banned, i)?];
        // Earliest sign-up first, an unknown sign-up last, then by account id.
        let before = |a: &(Option<i64>, String), b: &(Option<i64>, String)| {
            (a.0.is_none(), a.0, &a.1) < (b.0.is_none(), b.0, &b.1)
        };
        if slot.as_ref().is_none_or(|s| before(&key, s)) {
            *slot = Some(key);
        }
    }
    for (r, e) in out.iter_mut().zip(earliest) {
        r.first_banned_account = e.map(|(_, account)| account);
    }
    let signups = accounts
        .clone()
        .select([col("ring"), col("created_at").cast(DataType::Int64)])
        .collect()?;
    for i in 0..signups.height() {
        if let Some(t) = i64_at(&signups, "created_at", i)? {
            out[ring_at(&signups, i)?].signups.push(t);
        }
    }
    for r in &mut out {
        r.signups.sort_unstable();
    }
    let variants = accounts
        .filter(col("email_canon").is_not_null())
        .group_by([col("ring"), col("email_canon")])
        .agg([
            col("email")
                .n_unique()
                .cast(DataType::Int64)
                .alias("spellings"),
            len().cast(DataType::Int64).alias("accounts"),
        ])
        .filter(col("spellings").gt(lit(1)).and(col("accounts").gt(lit(1))))
        .collect()?;
    for i in 0..variants.height() {
        out[ring_at(&variants, i)?].email_variant_accounts +=
            i64_at(&variants, "accounts", i)?.unwrap_or(0);
    }

    // Payments made by members.
    let payments = members.clone().join(
        frames.payments.clone().lazy(),
        on("account_id"),
        on("account_id"),
        inner(),
    );
    let failed = col(payment::STATUS).eq(lit(payment::DECLINED));
    let per_ring = payments
        .clone()
        .group_by([col("ring")])
        .agg([
            len().cast(DataType::Int64).alias("payments"),
            count_if(failed.clone()).alias("declines"),
            count_if(
                col(payment::DISPUTED_AMOUNT)
                    .is_not_null()
                    .or(col(payment::DISPUTE_STATUS).is_not_null()),
            )
            .alias("disputes"),
        ])
        .collect()?;
    for i in 0..per_ring.height() {
        let r = &mut out[ring_at(&per_ring, i)?];
        r.payments = i64_at(&per_ring, "payments", i)?.unwrap_or(0);
        r.declines = i64_at(&per_ring, "declines", i)?.unwrap_or(0);
        r.disputes = i64_at(&per_ring, "disputes", i)?.unwrap_or(0);
    }
    let paid_amount = when(failed.clone())
        .then(lit(0i64))
        .otherwise(col("amount_minor"));
    let amounts = payments
        .clone()
        .group_by([col("ring"), col("currency")])
        .agg([
            paid_amount.clone().sum().alias("paid"),
            col(payment::DISPUTED_AMOUNT).sum().alias("disputed"),
        ])
        .sort(["ring", "currency"], SortMultipleOptions::default())
        .collect()?;
    for i in 0..amounts.height() {
        let currency = str_at(&amounts, "currency", i)?.unwrap_or_default();
        let (paid, disputed) = (
            i64_at(&amounts, "paid", i)?.unwrap_or(0),
            i64_at(&amounts, "disputed", i)?.unwrap_or(0),
        );
        out[ring_at(&amounts, i)?]
            .amounts
            .push((currency, paid, disputed));
    }
    let creators = payments
        .clone()
        .filter(col("creator_id").is_not_null().and(failed.not()))
        .group_by([col("ring"), col("creator_id"), col("currency")])
        .agg([
            col("amount_minor").sum().alias("amount"),
            col("account_id")
                .n_unique()
                .cast(DataType::Int64)
                .alias("payers"),
        ])
        // Ties in amount are broken by creator id: group_by's order is not stable, and packets must be identical
        // for the same case.
        .sort(
            ["amount", "creator_id", "currency"],
            SortMultipleOptions::default().with_order_descending_multi([true, false, false]),
        )
        .collect()?;
    for i in 0..creators.height() {
        let creator = str_at(&creators, "creator_id", i)?.unwrap_or_default();
        let currency = str_at(&creators, "currency", i)?.unwrap_or_default();
        let amount = i64_at(&creators, "amount", i)?.unwrap_or(0);
        let payers = i64_at(&creators, "payers", i)?.unwrap_or(0);
        out[ring_at(&creators, i)?]
            .creators_paid
            .push((creator, currency, amount, payers));
    }

    // Activity span over sign-ups, logins and payments.
    let events = members.join(
        frames.events.clone().lazy(),
        on("account_id"),
        on("account_id"),
        inner(),
    );
    let spans = [
        events.group_by([col("ring")]).agg([
            col("timestamp").min().cast(DataType::Int64).alias("first"),
            col("timestamp").max().cast(DataType::Int64).alias("last"),
        ]),
        payments.group_by([col("ring")]).agg([
            col("created_at").min().cast(DataType::Int64).alias("first"),
            col("created_at").max().cast(DataType::Int64).alias("last"),
        ]),
    ];
    for span in spans {
        let span = span.collect()?;
        for i in 0..span.height() {
            let r = &mut out[ring_at(&span, i)?];
            if let Some(f) = i64_at(&span, "first", i)? {
                r.first_activity = Some(r.first_activity.map_or(f, |x: i64| x.min(f)));
            }
            if let Some(l) = i64_at(&span, "last", i)? {
                r.last_activity = Some(r.last_activity.map_or(l, |x: i64| x.max(l)));
            }
        }
    }
    for r in &mut out {
        if let (Some(&first), Some(&last)) = (r.signups.first(), r.signups.last()) {
            r.first_activity = Some(r.first_activity.map_or(first, |x| x.min(first)));
            r.last_activity = Some(r.last_activity.map_or(last, |x| x.max(last)));
        }
    }
    Ok(out)
}
