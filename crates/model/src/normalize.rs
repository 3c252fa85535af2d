//! Normalization for linking. Every function here is pure; the original text is kept by the caller for evidence.

use crate::error::{Error, Result};
use crate::kind::{FieldSpec, ValueKind};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::net::IpAddr;

/// A normalized value as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Null => f.write_str(""),
            Value::Text(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
        }
    }
}

/// Settings that normalization needs from the case.
#[derive(Debug, Clone)]
pub struct NormalizeOptions {
    /// Region used to read phone numbers written without a country code.
    pub phone_region: phonenumber::country::Id,
}

impl NormalizeOptions {
    pub fn with_region(region: &str) -> Result<Self> {
        let phone_region = region
            .trim()
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| Error::Region(region.to_string()))?;
        Ok(NormalizeOptions { phone_region })
    }
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            phone_region: phonenumber::country::Id::US,
        }
    }
}

/// Normalizes one field's text into its stored columns (see [`FieldSpec::stored_columns`]).
/// `currency` is the row's normalized currency, needed for money fields.
/// Blank text is `Null` in every column.
pub fn normalize_field(
    spec: &FieldSpec,
    raw: &str,
    currency: Option<&str>,
    opts: &NormalizeOptions,
    out: &mut Vec<Value>,
) -> Result<()> {
    let text = raw.trim();
    if text.is_empty() {
        let n = if spec.value == ValueKind::Email { 2 } else { 1 };
        out.extend(std::iter::repeat_n(Value::Null, n));
        return Ok(());
    }
    match spec.value {
        ValueKind::Id => out.push(Value::Text(text.to_string())),
        ValueKind::Text => out.push(Value::Text(raw.to_string())),
        ValueKind::Label => out.push(Value::Text(text.to_lowercase())),
        ValueKind::Email => {
            let (lower, canon) = email(text)?;
            out.push(Value::Text(lower));
            out.push(Value::Text(canon));
        }
        ValueKind::Phone => out.push(Value::Text(phone(text, opts)?)),
        ValueKind::Ip => out.push(Value::Text(ip(text)?.to_string())),
        ValueKind::Timestamp => out.push(Value::Int(timestamp_ms(text)?)),
        ValueKind::Money => {
            let currency = currency
                .ok_or_else(|| Error::Money(raw.to_string(), "no currency on this row".into()))?;
            out.push(Value::Int(money_minor(text, currency)?));
        }
        ValueKind::Currency => out.push(Value::Text(self::currency(text)?)),
        ValueKind::Country => out.push(Value::Text(country(text)?)),
    }
    Ok(())
}

/// Returns (trimmed lowercase, canonical). The canonical form drops a `+tag` from the local part for every
/// provider (most honour sub-addressing) and, for Gmail, the dots too; `googlemail.com` folds into `gmail.com`.
pub fn email(text: &str) -> Result<(String, String)> {
    let lower = text.trim().to_lowercase();
    let bad = || Error::Email(text.to_string());
    let (local, domain) = lower.rsplit_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty()
        || local.contains('@')
        || !domain_ok
        || lower.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    let base = local.split('+').next().unwrap_or(local);
    let (base, domain) = match domain {
        "gmail.com" | "googlemail.com" => (base.replace('.', ""), "gmail.com"),
        _ => (base.to_string(), domain),
    };
    if base.is_empty() {
        return Err(bad());
    }
    Ok((lower.clone(), format!("{base}@{domain}")))
}

pub fn phone(text: &str, opts: &NormalizeOptions) -> Result<String> {
    let parsed = phonenumber::parse(Some(opts.phone_region), text)
        .map_err(|e| Error::Phone(text.to_string(), e.to_string()))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(Error::Phone(
            text.to_string(),
            "not a valid number for its region".into(),
        ));
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

pub fn ip(text: &str) -> Result<IpAddr> {
    let addr: IpAddr = text
        .trim()
        .parse()
        .map_err(|_| Error::Ip(text.to_string()))?;
    Ok(match addr {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    })
}

const MIN_MS: i64 = 631_152_000_000; // 1990-01-01
const MAX_MS: i64 = 4_102_444_800_000; // 2100-01-01

/// Parses the timestamp forms exports use into UTC milliseconds:
/// RFC 3339 with `Z` or an offset; `YYYY-MM-DD HH:MM:SS[.fff]` or with `T` and no offset (UTC by convention);
/// `YYYY-MM-DD`; epoch seconds (up to 11 digits, optional fraction) or milliseconds (12 to 14 digits).
pub fn timestamp_ms(text: &str) -> Result<i64> {
    let t = text.trim();
    let bad = || Error::Timestamp(text.to_string());
    let ms = if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        epoch_ms(t).ok_or_else(bad)?
    } else if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        dt.timestamp_millis()
    } else if let Some(dt) = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(t, fmt).ok())
    {
        dt.and_utc().timestamp_millis()
    } else if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        d.and_hms_opt(0, 0, 0)
            .ok_or_else(bad)?
            .and_utc()
            .timestamp_millis()
    } else {
        return Err(bad());
    };
    if !(MIN_MS..MAX_MS).contains(&ms) {
        return Err(Error::TimestampRange(text.to_string()));
    }
    Ok(ms)
}

fn epoch_ms(t: &str) -> Option<i64> {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || frac.contains('.') {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    match int.len() {
        1..=11 => {
            let frac_ms: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
            whole.checked_mul(1000)?.checked_add(frac_ms)
        }
        12..=14 if frac.is_empty() => Some(whole),
        _ => None,
    }
}

/// Decimal digits of a currency's minor unit (ISO 4217, as Stripe uses them).
pub fn currency_exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "MGA" | "PYG" | "RWF"
        | "UGX" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Parses a decimal amount in the currency's major unit into integer minor units, exactly.
/// Accepts an optional sign, `,` thousands separators in groups of three, and up to the currency's exponent of
/// decimals (further zeros are fine; a non-zero digit past the minor unit is an error, never rounded).
pub fn money_minor(text: &str, currency: &str) -> Result<i64> {
    let bad = |why: &str| Error::Money(text.to_string(), why.to_string());
    let t = text.trim();
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let int = strip_thousands(int).ok_or_else(|| bad("misplaced thousands separator"))?;
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad("not a decimal number"));
    }
    let exp = currency_exponent(currency) as usize;
    let (kept, dropped) = frac.split_at(frac.len().min(exp));
    if dropped.bytes().any(|b| b != b'0') {
        return Err(bad(&format!("more than {exp} decimals for {currency}")));
    }
    let digits = format!("{int}{kept:0<exp$}");
    let minor: i64 = digits.parse().map_err(|_| bad("too large"))?;
    Ok(if negative { -minor } else { minor })
}

fn strip_thousands(int: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !int.contains(',') {
        return Some(int.into());
    }
    let mut groups = int.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || groups.clone().any(|g| g.len() != 3) {
        return None;
    }
    Some(int.replace(',', "").into())
}

pub fn currency(text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(Error::Currency(text.to_string()))
    }
}

pub fn country(text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(Error::Country(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_fold_gmail_dots_and_tags() {
        assert_eq!(
            email(" J.Doe+fans@GoogleMail.com ").unwrap(),
            ("j.doe+fans@googlemail.com".into(), "jdoe@gmail.com".into())
        );
        assert_eq!(email("a.b+x@example.org").unwrap().1, "a.b@example.org");
        for bad in [
            "nobody",
            "@x.com",
            "a@b",
            "a b@c.com",
            "a@@b.com",
            "+tag@gmail.com",
            "a@.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_become_e164() {
        let us = NormalizeOptions::default();
        assert_eq!(phone("(415) 555-2671", &us).unwrap(), "+14155552671");
        assert_eq!(phone("+44 20 7946 0958", &us).unwrap(), "+442079460958");
        let de = NormalizeOptions::with_region("de").unwrap();
        assert_eq!(phone("030 1234567", &de).unwrap(), "+49301234567");
        assert!(phone("12", &us).is_err());
        assert!(phone("not a phone", &us).is_err());
        assert!(NormalizeOptions::with_region("XX1").is_err());
    }

    #[test]
    fn ips_parse_v4_v6_and_fold_mapped() {
        assert_eq!(ip(" 10.0.0.1 ").unwrap().to_string(), "10.0.0.1");
        assert_eq!(ip("2001:DB8::1").unwrap().to_string(), "2001:db8::1");
        assert_eq!(ip("::ffff:192.0.2.7").unwrap().to_string(), "192.0.2.7");
        assert!(ip("300.1.1.1").is_err());
        assert!(ip("10.0.0").is_err());
    }

    #[test]
    fn timestamps_in_every_export_form() {
        let t = 1_700_000_000_000; // 2023-11-14T22:13:20Z
        for form in [
            "2023-11-14T22:13:20Z",
            "2023-11-14T23:13:20+01:00",
            "2023-11-14 22:13:20",
            "2023-11-14T22:13:20",
            "1700000000",
            "1700000000000",
            "1700000000.000",
        ] {
            assert_eq!(timestamp_ms(form).unwrap(), t, "{form}");
        }
        assert_eq!(timestamp_ms("2023-11-14 22:13:20.250").unwrap(), t + 250);
        assert_eq!(timestamp_ms("1700000000.5").unwrap(), t + 500);
        assert_eq!(timestamp_ms("2023-11-14").unwrap(), 1_699_920_000_000);
        assert!(matches!(
            timestamp_ms("17000"),
            Err(Error::TimestampRange(_))
        ));
        for bad in [
            "yesterday",
            "2023-13-01",
            "2023-11-14 25:00:00",
            "1.2.3",
            "170000000000000000",
        ] {
            assert!(timestamp_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_is_exact_minor_units() {
        assert_eq!(money_minor("12.34", "USD").unwrap(), 1234);
        assert_eq!(money_minor("12.3", "USD").unwrap(), 1230);
        assert_eq!(money_minor("12", "USD").unwrap(), 1200);
        assert_eq!(money_minor("-0.50", "EUR").unwrap(), -50);
        assert_eq!(money_minor("1,234.56", "USD").unwrap(), 123456);
        assert_eq!(money_minor("500", "JPY").unwrap(), 500);
        assert_eq!(money_minor("1.250", "KWD").unwrap(), 1250);
        assert_eq!(money_minor("9.990", "USD").unwrap(), 999);
        for bad in ["12.345", "1,23.00", "$5", "", "1e3", "12..3", "--1"] {
            assert!(money_minor(bad, "USD").is_err(), "{bad}");
        }
        assert!(money_minor("1.5", "JPY").is_err());
        // 0.1 + 0.2 style float drift cannot happen: the digits are read as an integer.
        assert_eq!(money_minor("0.30", "USD").unwrap(), 30);
    }

    #[test]
    fn blank_is_null_in_every_column() {
        let spec = crate::RecordKind::Accounts.field("email").unwrap();
        let mut out = vec![];
        normalize_field(spec, "   ", None, &NormalizeOptions::default(), &mut out).unwrap();
        assert_eq!(out, vec![Value::Null, Value::Null]);
    }
}
