//! Working out what a file is from its header: a Stripe payments export, Ringscope's canonical layout (with a few
//! common aliases), a saved mapping, or a mapping file.

use crate::error::{Error, Result};
use crate::mapping::Mapping;
use ringscope_model::RecordKind;
use std::collections::BTreeMap;

/// Where a field's value comes from in each row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSource {
    Column(usize),
    Constant(String),
}

/// A header resolved against a kind: one optional source per field, in [`RecordKind::fields`] order.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: RecordKind,
    pub detected_as: String,
    pub sources: Vec<Option<FieldSource>>,
    /// The mapping equivalent of this layout, recorded with the source file.
    pub mapping: Mapping,
    /// True when the layout came from a mapping file, so it should be saved for this header.
    pub save: bool,
}

const STRIPE: &[(&str, &[&str])] = &[
    ("payment_id", &["id"]),
    ("created_at", &["Created (UTC)", "Created"]),
    ("amount", &["Amount"]),
    ("currency", &["Currency"]),
    ("status", &["Status"]),
    (
        "account_id",
        &[
            "account_id (metadata)",
            "fan_id (metadata)",
            "user_id (metadata)",
            "payer_id (metadata)",
        ],
    ),
    (
        "creator_id",
        &["creator_id (metadata)", "payee_id (metadata)"],
    ),
    ("customer_id", &["Customer ID"]),
    ("customer_email", &["Customer Email"]),
    ("card_fingerprint", &["Card Fingerprint"]),
    ("card_last4", &["Card Last4"]),
    ("card_brand", &["Card Brand", "Card Type"]),
    ("card_country", &["Card Issue Country"]),
    ("amount_refunded", &["Amount Refunded"]),
    ("disputed_amount", &["Disputed Amount"]),
    ("dispute_status", &["Dispute Status"]),
    ("dispute_reason", &["Dispute Reason"]),
    ("dispute_date", &["Dispute Date (UTC)", "Dispute Date"]),
    ("description", &["Description"]),
];

const STRIPE_MARKERS: &[&str] = &[
    "Card Fingerprint",
    "Seller Message",
    "Statement Descriptor",
    "Converted Amount",
    "PaymentIntent ID",
];

/// Canonical names and well-known aliases, compared after [`fold`].
const ALIASES: &[(&str, &[&str])] = &[
    (
        "account_id",
        &["account_id", "user_id", "userid", "accountid"],
    ),
    ("payment_id", &["payment_id", "charge_id", "transaction_id"]),
    ("creator_id", &["creator_id", "payee_id"]),
    (
        "created_at",
        &[
            "created_at",
            "created",
            "signup_at",
            "signed_up_at",
            "registered_at",
        ],
    ),
    (
        "timestamp",
        &["timestamp", "ts", "time", "event_time", "date", "datetime"],
    ),
    ("email", &["email", "email_address"]),
    ("phone", &["phone", "phone_number", "mobile"]),
    (
        "display_name",
        &["display_name", "username", "screen_name", "name"],
    ),
    ("event_type", &["event_type", "event", "action"]),
    ("ip", &["ip", "ip_address", "client_ip", "ipaddress"]),
    (
        "device_id",
        &[
            "device_id",
            "deviceid",
            "visitorid",
            "visitor_id",
            "fingerprint",
            "device_fingerprint",
        ],
    ),
    ("user_agent", &["user_agent", "useragent", "ua"]),
];

/// Lowercase with spaces, dashes and dots as underscores: `Visitor-ID` and `visitor_id` compare equal.
fn fold(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if matches!(c, ' ' | '-' | '.') { '_' } else { c })
        .collect()
}

/// Resolves a header. Order: an explicit mapping (when the file has the columns it names, so one `--mapping` can
/// go with a batch of mixed files), a mapping saved for this header, Stripe, canonical names and aliases.
pub fn resolve(
    file: &str,
    header: &[String],
    kind_hint: Option<RecordKind>,
    mapping: Option<&Mapping>,
    saved: Option<Mapping>,
) -> Result<Layout> {
    let mut mapping_error = None;
    if let Some(m) = mapping {
        if let Some(k) = kind_hint.filter(|&k| k != m.kind) {
            return Err(Error::Mapping {
                file: file.into(),
                reason: format!("mapping is for {}, --kind says {k}", m.kind),
            });
        }
        match from_mapping(file, header, m, "mapping file", true) {
            Ok(layout) => return Ok(layout),
            Err(e) => mapping_error = Some(e),
        }
    }
    detect(file, header, kind_hint, saved).map_err(|e| mapping_error.unwrap_or(e))
}

fn detect(
    file: &str,
    header: &[String],
    kind_hint: Option<RecordKind>,
    saved: Option<Mapping>,
) -> Result<Layout> {
    if let Some(m) = saved.filter(|m| kind_hint.is_none_or(|k| k == m.kind)) {
        return from_mapping(file, header, &m, "mapping saved in the case", false);
    }
    if kind_hint.is_none_or(|k| k == RecordKind::Payments) && is_stripe(header) {
        let older =
            !header.iter().any(|h| h == "Created (UTC)") || header.iter().any(|h| h == "Card Type");
        let what = if older {
            "Stripe payments export (older layout)"
        } else {
            "Stripe payments export"
        };
        return auto(
            RecordKind::Payments,
            header,
            STRIPE,
            |h| h.trim().to_lowercase(),
            what,
        )
        .ok_or_else(|| unknown(file, header, &[RecordKind::Payments]));
    }
    let kinds: Vec<RecordKind> = kind_hint.map_or(RecordKind::ALL.to_vec(), |k| vec![k]);
    let mut found: Vec<Layout> = kinds
        .iter()
        .filter_map(|&k| auto(k, header, ALIASES, fold, &format!("{k} (canonical header)")))
        .collect();
    found.sort_by_key(|l| std::cmp::Reverse(mapped(l)));
    match found.as_slice() {
        [] => Err(unknown(file, header, &kinds)),
        [one] => Ok(one.clone()),
        [a, b, ..] if mapped(a) > mapped(b) => Ok(a.clone()),
        _ => Err(Error::AmbiguousKind {
            file: file.into(),
            kinds: found.iter().map(|l| l.kind).collect(),
        }),
    }
}

fn mapped(l: &Layout) -> usize {
    l.sources.iter().filter(|s| s.is_some()).count()
}

fn is_stripe(header: &[String]) -> bool {
    let has = |n: &str| header.iter().any(|h| h.trim() == n);
    has("id")
        && has("Amount")
        && has("Currency")
        && (has("Created (UTC)") || has("Created"))
        && STRIPE_MARKERS.iter().any(|m| has(m))
}

/// Maps every field of `kind` whose candidate names appear in the header; `None` unless all required fields do.
fn auto(
    kind: RecordKind,
    header: &[String],
    table: &[(&str, &[&str])],
    key: fn(&str) -> String,
    what: &str,
) -> Option<Layout> {
    let folded: Vec<String> = header.iter().map(|h| key(h)).collect();
    let mut columns = BTreeMap::new();
    let sources: Vec<Option<FieldSource>> = kind
        .fields()
        .iter()
        .map(|field| {
            // A field the table does not list is matched by its canonical name.
            let own = [field.name];
            let candidates = table
                .iter()
                .find(|(f, _)| *f == field.name)
                .map_or(&own[..], |(_, c)| *c);
            let idx = candidates
                .iter()
                .find_map(|c| folded.iter().position(|h| *h == key(c)))?;
            columns.insert(field.name.to_string(), header[idx].clone());
            Some(FieldSource::Column(idx))
        })
        .collect();
    let complete = kind
        .fields()
        .iter()
        .zip(&sources)
        .all(|(f, s)| !f.required || s.is_some());
    complete.then(|| Layout {
        kind,
        detected_as: what.to_string(),
        sources,
        mapping: Mapping {
            kind,
            columns,
            defaults: BTreeMap::new(),
            timestamp_formats: BTreeMap::new(),
            number_formats: BTreeMap::new(),
        },
        save: false,
    })
}

fn from_mapping(
    file: &str,
    header: &[String],
    m: &Mapping,
    what: &str,
    save: bool,
) -> Result<Layout> {
    let err = |reason: String| Error::Mapping {
        file: file.into(),
        reason,
    };
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for field in m.kind.fields() {
        let source = match (m.columns.get(field.name), m.defaults.get(field.name)) {
            (Some(column), _) => {
                let idx = header.iter().position(|h| h.trim() == column.trim()).ok_or_else(|| {
                    err(format!("field {} maps to column {column:?}, which the file does not have; columns found: {}", field.name, quoted(header)))
                })?;
                Some(FieldSource::Column(idx))
            }
            (None, Some(constant)) => Some(FieldSource::Constant(constant.clone())),
            (None, None) => None,
        };
        if field.required && source.is_none() {
            missing.push(field.name);
        }
        sources.push(source);
    }
    if !missing.is_empty() {
        return Err(err(format!(
            "required field(s) not mapped: {}",
            missing.join(", ")
        )));
    }
    Ok(Layout {
        kind: m.kind,
        detected_as: what.to_string(),
        sources,
        mapping: m.clone(),
        save,
    })
}

fn unknown(file: &str, header: &[String], kinds: &[RecordKind]) -> Error {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let needed = kinds
        .iter()
        .map(|&k| {
            let missing = k
                .required_fields()
                .filter(|f| {
                    let names = ALIASES
                        .iter()
                        .find(|(n, _)| *n == f.name)
                        .map_or(&[][..], |(_, c)| *c);
                    !folded
                        .iter()
                        .any(|h| h == f.name || names.contains(&h.as_str()))
                })
                .map(|f| f.name.to_string())
                .collect();
            (k, missing)
        })
        .collect();
    Error::UnknownHeader {
        file: file.into(),
        found: header.to_vec(),
        needed,
    }
}

fn quoted(header: &[String]) -> String {
    header
        .iter()
        .map(|h| format!("{h:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &str) -> Vec<String> {
        cols.split(',').map(String::from).collect()
    }

    #[test]
    fn detects_stripe_both_layouts() {
        let new = h(
            "id,Description,Seller Message,Created (UTC),Amount,Currency,Status,Card Brand,Card Fingerprint,account_id (metadata),creator_id (metadata)",
        );
        let l = resolve("s.csv", &new, None, None, None).unwrap();
        assert_eq!(
            (l.kind, l.detected_as.as_str()),
            (RecordKind::Payments, "Stripe payments export")
        );
        assert_eq!(l.mapping.columns["account_id"], "account_id (metadata)");
        let old = h("id,Created,Amount,Currency,Status,Card Type,Card Fingerprint");
        let l = resolve("s.csv", &old, None, None, None).unwrap();
        assert_eq!(l.detected_as, "Stripe payments export (older layout)");
        assert_eq!(l.mapping.columns["card_brand"], "Card Type");
    }

    #[test]
    fn detects_canonical_kinds_and_aliases() {
        let l = resolve(
            "a.csv",
            &h("account_id,created_at,email,phone"),
            None,
            None,
            None,
        )
        .unwrap();
        assert_eq!(l.kind, RecordKind::Accounts);
        let l = resolve(
            "e.csv",
            &h("User ID,ts,IP Address,visitorId"),
            None,
            None,
            None,
        )
        .unwrap();
        assert_eq!(l.kind, RecordKind::Events);
        assert_eq!(l.mapping.columns["device_id"], "visitorId");
    }

    #[test]
    fn unknown_header_lists_columns_and_needs() {
        let err = resolve("v.csv", &h("linkedId,requestTime,addr"), None, None, None).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("\"linkedId\", \"requestTime\", \"addr\""),
            "{msg}"
        );
        assert!(
            msg.contains("as events, fields still needed: account_id, timestamp"),
            "{msg}"
        );
        assert!(
            msg.contains(
                "as payments, fields still needed: payment_id, created_at, amount, currency"
            ),
            "{msg}"
        );
    }

    #[test]
    fn a_mapping_applies_only_to_files_it_fits() {
        let m = Mapping::parse("kind = \"events\"\n[columns]\naccount_id = \"linkedId\"\ntimestamp = \"requestTime\"\n").unwrap();
        let l = resolve(
            "a.csv",
            &h("account_id,created_at,email"),
            None,
            Some(&m),
            None,
        )
        .unwrap();
        assert_eq!((l.kind, l.save), (RecordKind::Accounts, false));
        let l = resolve("v.csv", &h("linkedId,requestTime"), None, Some(&m), None).unwrap();
        assert_eq!((l.kind, l.save), (RecordKind::Events, true));
    }

    #[test]
    fn mapping_must_name_real_columns() {
        let m = Mapping::parse(
            "kind = \"events\"\n[columns]\naccount_id = \"linkedId\"\ntimestamp = \"when\"\n",
        )
        .unwrap();
        let err = resolve("v.csv", &h("linkedId,requestTime"), None, Some(&m), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("timestamp maps to column \"when\""),
            "{err}"
        );
        let m =
            Mapping::parse("kind = \"events\"\n[columns]\naccount_id = \"linkedId\"\n").unwrap();
        let err = resolve("v.csv", &h("linkedId,requestTime"), None, Some(&m), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("required field(s) not mapped: timestamp"),
            "{err}"
        );
    }
}
