//! Normalization for linking. Every function here is pure; the original text is kept by the caller for evidence.
//!
//! [`normalize_field`] always yields the field's stored columns. A value that does not normalize is an error that
//! still leaves its best linkable form in the columns (the digits of a phone that parses but is not assigned, the
//! address of an email that fails a stricter check) or `Null`; the importer rejects the row only when the field is
//! required, and otherwise keeps the row and reports the value.

use crate::error::{Error, Result};
use crate::kind::{FieldSpec, ValueKind};
use crate::tables::{COUNTRIES, CURRENCY_SIGNS, ISO_CURRENCIES, fold_country_name};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
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
    /// Region used to read phone numbers written without a country code, when the row names no country.
    pub phone_region: phonenumber::country::Id,
}

impl NormalizeOptions {
    pub fn with_region(region: &str) -> Result<Self> {
        Ok(NormalizeOptions {
            phone_region: phone_region(region).ok_or_else(|| Error::Region(region.to_string()))?,
        })
    }
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            phone_region: phonenumber::country::Id::US,
        }
    }
}

fn phone_region(code: &str) -> Option<phonenumber::country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// The order of day and month in a numeric date such as `03/04/2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// How a column writes numbers: its decimal mark and thousands separator (none when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub decimal: char,
    #[serde(default)]
    pub thousands: Option<char>,
}

const THOUSANDS_MARKS: [char; 6] = [',', '.', ' ', '\'', '\u{a0}', '\u{202f}'];

impl NumberFormat {
    pub fn check(&self) -> std::result::Result<(), String> {
        if !matches!(self.decimal, '.' | ',') {
            return Err(format!("decimal mark {:?} is not '.' or ','", self.decimal));
        }
        match self.thousands {
            Some(t) if t == self.decimal => Err(format!(
                "thousands separator {t:?} is also the decimal mark"
            )),
            Some(t) if !THOUSANDS_MARKS.contains(&t) => Err(format!(
                "thousands separator {t:?} is not one of , . ' or a space"
            )),
            _ => Ok(()),
        }
    }
}

/// Checks a chrono strftime format for use with timestamps (see [`timestamp_ms_with`]).
pub fn check_timestamp_format(format: &str) -> std::result::Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(format!("{format:?} is not a valid chrono strftime format"));
    }
    Ok(())
}

/// What normalizing one field may depend on besides its own text.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldContext<'a> {
    /// The row's normalized currency, for money fields.
    pub currency: Option<&'a str>,
    /// The row's normalized country, for phones written without a country code.
    pub country: Option<&'a str>,
    /// A chrono strftime format the column's timestamps are written in (from a mapping).
    pub timestamp_format: Option<&'a str>,
    /// The column's number convention (from a mapping); otherwise it is worked out per value.
    pub number_format: Option<NumberFormat>,
    /// The column's day/month order for numeric dates whose numbers do not settle it.
    pub date_order: Option<DateOrder>,
}

/// Normalizes one field's text into its stored columns (see [`FieldSpec::stored_columns`]). Blank text is `Null`
/// in every column. On error the columns are still pushed: the best linkable form where there is one, else `Null`.
pub fn normalize_field(
    spec: &FieldSpec,
    raw: &str,
    ctx: &FieldContext<'_>,
    opts: &NormalizeOptions,
    out: &mut Vec<Value>,
) -> Result<()> {
    let text = raw.trim();
    if text.is_empty() {
        let n = if spec.value == ValueKind::Email { 2 } else { 1 };
        out.extend(std::iter::repeat_n(Value::Null, n));
        return Ok(());
    }
    let text_or_null = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    match spec.value {
        ValueKind::Id => out.push(Value::Text(text.to_string())),
        ValueKind::DeviceId => out.push(Value::Text(device_id(text))),
        ValueKind::Text => out.push(Value::Text(raw.to_string())),
        ValueKind::Label => out.push(Value::Text(text.to_lowercase())),
        ValueKind::Email => match email_parts(text) {
            Ok((lower, canon)) => out.extend([Value::Text(lower), Value::Text(canon)]),
            Err((e, linkable)) => {
                let (lower, canon) = linkable.unzip();
                out.extend([text_or_null(lower), text_or_null(canon)]);
                return Err(e);
            }
        },
        ValueKind::Phone => match phone_parts(text, ctx.country, opts) {
            Ok(e164) => out.push(Value::Text(e164)),
            Err((e, linkable)) => {
                out.push(text_or_null(linkable));
                return Err(e);
            }
        },
        ValueKind::Ip => match ip(text) {
            Ok(addr) => out.push(Value::Text(addr.to_string())),
            Err(e) => {
                out.push(Value::Null);
                return Err(e);
            }
        },
        ValueKind::Timestamp => {
            let ms = timestamp_ms_with(text, ctx.timestamp_format, ctx.date_order);
            out.push(ms.as_ref().map_or(Value::Null, |&ms| Value::Int(ms)));
            ms?;
        }
        ValueKind::Money => {
            let minor = match ctx.currency {
                Some(currency) => money_minor_with(text, currency, ctx.number_format),
                None => Err(Error::Money(
                    raw.to_string(),
                    "no currency on this row".into(),
                )),
            };
            out.push(minor.as_ref().map_or(Value::Null, |&m| Value::Int(m)));
            minor?;
        }
        ValueKind::Currency => {
            let code = currency(text);
            out.push(text_or_null(code.as_ref().ok().cloned()));
            code?;
        }
        ValueKind::Country => {
            let code = country(text);
            out.push(text_or_null(code.as_ref().ok().cloned()));
            code?;
        }
    }
    Ok(())
}

/// Device ids as different collectors write them are one id: trimmed, lowercased, a GUID's `{braces}` dropped.
pub fn device_id(text: &str) -> String {
    let t = text.trim();
    let inner = t
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(t);
    inner.trim().to_lowercase()
}

/// Returns (trimmed lowercase, canonical). `Jane <jane@x.com>` and `mailto:jane@x.com` are read as
/// `jane@x.com`. The canonical form drops a `+tag` from the local part for every provider (most honour
/// sub-addressing; a local part that is all tag, `+cmd@…`, stays whole) and, for Gmail, the dots too;
/// `googlemail.com` folds into `gmail.com`.
pub fn email(text: &str) -> Result<(String, String)> {
    email_parts(text).map_err(|(e, _)| e)
}

type Linkable<T> = (Error, Option<T>);

fn email_parts(text: &str) -> std::result::Result<(String, String), Linkable<(String, String)>> {
    let bad = || Error::Email(text.to_string());
    let mut address = text.trim();
    // `Display Name <address>`: the address is what the angle brackets hold.
    if let Some(open) = address.rfind('<')
        && let Some(inner) = address[open + 1..].strip_suffix('>')
    {
        address = inner.trim();
    }
    if address.len() > 7 && address[..7].eq_ignore_ascii_case("mailto:") {
        address = address[7..].trim();
    }
    let lower = address.to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return Err((bad(), None));
    };
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\@".contains(c);
    if local.is_empty()
        || domain.is_empty()
        || local.chars().any(forbidden)
        || domain.chars().any(forbidden)
    {
        return Err((bad(), None));
    }
    let tagless = match local.split_once('+') {
        Some((base, _)) if !base.is_empty() => base,
        _ => local,
    };
    let (base, canon_domain) = match domain {
        "gmail.com" | "googlemail.com" => (tagless.replace('.', ""), "gmail.com"),
        _ => (tagless.to_string(), domain),
    };
    if base.is_empty() {
        return Err((bad(), None));
    }
    let forms = (lower.clone(), format!("{base}@{canon_domain}"));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if !domain_ok {
        // `local@host` is still an address the same person would write again: keep it for linking.
        return Err((bad(), Some(forms)));
    }
    Ok(forms)
}

/// E.164. A number without a country code is read in the row's country when it is valid there, else in the case's
/// region. An extension is kept, RFC 3966 style: `+14155552671;ext=12`.
pub fn phone(text: &str, row_country: Option<&str>, opts: &NormalizeOptions) -> Result<String> {
    phone_parts(text, row_country, opts).map_err(|(e, _)| e)
}

fn phone_parts(
    text: &str,
    row_country: Option<&str>,
    opts: &NormalizeOptions,
) -> std::result::Result<String, Linkable<String>> {
    let bad = |why: String| Error::Phone(text.to_string(), why);
    let mut regions = vec![];
    if let Some(region) = row_country.and_then(phone_region) {
        regions.push(region);
    }
    if !regions.contains(&opts.phone_region) {
        regions.push(opts.phone_region);
    }
    let mut first = None;
    for region in regions {
        match phonenumber::parse(Some(region), text) {
            Ok(parsed) if phonenumber::is_valid(&parsed) => return Ok(e164(&parsed)),
            Ok(parsed) => {
                first.get_or_insert(Ok(parsed));
            }
            Err(e) => {
                first.get_or_insert(Err(e));
            }
        }
    }
    match first.expect("at least the case's region was tried") {
        Ok(parsed) => {
            // A number that parses but is not assigned is still the same string of digits wherever it appears;
            // keep it for linking when it has a plausible length.
            let national_digits = parsed.national().to_string().len();
            let country_digits = parsed.code().value().to_string().len();
            let plausible = national_digits >= 7 && national_digits + country_digits <= 15;
            Err((
                bad("not a valid number for its region".into()),
                plausible.then(|| e164(&parsed)),
            ))
        }
        Err(e) => Err((bad(e.to_string()), None)),
    }
}

fn e164(parsed: &phonenumber::PhoneNumber) -> String {
    let number = parsed.format().mode(phonenumber::Mode::E164).to_string();
    match parsed.extension() {
        Some(ext) if !ext.is_empty() => format!("{number};ext={ext}"),
        _ => number,
    }
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

/// [`timestamp_ms_with`] with no column format and no known day/month order.
pub fn timestamp_ms(text: &str) -> Result<i64> {
    timestamp_ms_with(text, None, None)
}

/// Parses the timestamp forms exports use into UTC milliseconds. `format` (chrono strftime, from a mapping) is
/// tried first. Then: RFC 3339 with `Z` or an offset; RFC 2822 (`Tue, 25 Nov 2026 14:03:00 +0000`);
/// `YYYY-MM-DD HH:MM[:SS[.fff]]` or with `T` and no offset (UTC by convention); `YYYY-MM-DD`; numeric dates with a
/// four-digit year and an optional `H:MM[:SS]` time with optional AM/PM, in UTC: `DD.MM.YYYY` is day-first,
/// `11/25/2026` and `25/11/2026` are read by whichever number cannot be a month, and otherwise by `order`;
/// epoch seconds (up to 11 digits, optional fraction) or milliseconds (12 to 14 digits).
pub fn timestamp_ms_with(
    text: &str,
    format: Option<&str>,
    order: Option<DateOrder>,
) -> Result<i64> {
    let t = text.trim();
    let bad = || Error::Timestamp(text.to_string());
    let ms = if let Some(ms) = format.and_then(|f| with_format(t, f)) {
        ms
    } else if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !is_numeric_date(t) {
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
        d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
    } else if let Ok(dt) = DateTime::parse_from_rfc2822(t) {
        dt.timestamp_millis()
    } else if let Some(date) = NumericDate::parse(t) {
        date.to_ms(order).map_err(|why| match why {
            NumericDateError::Ambiguous => Error::AmbiguousDate(text.to_string()),
            NumericDateError::Invalid => bad(),
        })?
    } else if let Some(f) = format {
        return Err(Error::TimestampFormat(text.to_string(), f.to_string()));
    } else {
        return Err(bad());
    };
    if !(MIN_MS..MAX_MS).contains(&ms) {
        return Err(Error::TimestampRange(text.to_string()));
    }
    Ok(ms)
}

fn with_format(t: &str, format: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_str(t, format) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
        return Some(dt.and_utc().timestamp_millis());
    }
    NaiveDate::parse_from_str(t, format)
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

fn is_numeric_date(t: &str) -> bool {
    t.bytes().filter(|&b| b == b'.').count() == 2 && NumericDate::parse(t).is_some()
}

/// Which day/month order a numeric date's numbers prove, if any: `25/11/2026` is day-first, `11/25/2026`
/// month-first, `03/04/2026` proves nothing. Dates whose separator fixes the order (`25.11.2026`) prove nothing
/// about a column of slashed dates either.
pub fn date_order_evidence(text: &str) -> Option<DateOrder> {
    let date = NumericDate::parse(text.trim()).filter(|d| d.order_open())?;
    match (date.a > 12, date.b > 12) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// True for a numeric date that reads as two different days depending on the day/month order (`03/04/2026`).
pub fn has_ambiguous_date_order(text: &str) -> bool {
    NumericDate::parse(text.trim())
        .is_some_and(|d| d.order_open() && d.a <= 12 && d.b <= 12 && d.a != d.b)
}

/// `a?b?yyyy[ H:MM[:SS[.fff]][ AM|PM]]` with `/`, `.` or `-` between the date's numbers, or `yyyy/mm/dd ...`.
struct NumericDate {
    a: u32,
    b: u32,
    year: i32,
    separator: char,
    year_first: bool,
    time: NaiveTime,
}

enum NumericDateError {
    Ambiguous,
    Invalid,
}

impl NumericDate {
    fn parse(t: &str) -> Option<NumericDate> {
        let (date, time) = match t.split_once([' ', 'T']) {
            Some((d, rest)) => (d, Some(rest.trim())),
            None => (t, None),
        };
        let separator = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
        let mut parts = date.split(separator);
        let (Some(p0), Some(p1), Some(p2), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if ![p0, p1, p2]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let (year_first, a, b, year) = if p0.len() == 4 && p1.len() <= 2 && p2.len() <= 2 {
            (true, p1, p2, p0)
        } else if p2.len() == 4 && p0.len() <= 2 && p1.len() <= 2 {
            (false, p0, p1, p2)
        } else {
            return None;
        };
        // ISO dates with dashes are handled by the ISO rules; here only the day-first `25-11-2026`.
        if separator == '-' && year_first {
            return None;
        }
        Some(NumericDate {
            a: a.parse().ok()?,
            b: b.parse().ok()?,
            year: year.parse().ok()?,
            separator,
            year_first,
            time: match time {
                Some(time) => clock_time(time)?,
                None => NaiveTime::MIN,
            },
        })
    }

    /// Whether the numbers alone (not the separator or position) must settle day versus month.
    fn order_open(&self) -> bool {
        !self.year_first && self.separator == '/'
    }

    fn to_ms(&self, order: Option<DateOrder>) -> std::result::Result<i64, NumericDateError> {
        let order = if self.year_first {
            DateOrder::MonthFirst // yyyy/mm/dd
        } else if !self.order_open() || self.a > 12 {
            DateOrder::DayFirst // 25.11.2026 and 25-11-2026 always; 25/11/2026 by its numbers
        } else if self.b > 12 || self.a == self.b {
            DateOrder::MonthFirst
        } else {
            order.ok_or(NumericDateError::Ambiguous)?
        };
        let (month, day) = match order {
            DateOrder::MonthFirst => (self.a, self.b),
            DateOrder::DayFirst => (self.b, self.a),
        };
        let date =
            NaiveDate::from_ymd_opt(self.year, month, day).ok_or(NumericDateError::Invalid)?;
        Ok(date.and_time(self.time).and_utc().timestamp_millis())
    }
}

/// `H:MM`, `H:MM:SS`, `H:MM:SS.fff`, each optionally followed by `AM`/`PM` (with or without a space).
fn clock_time(text: &str) -> Option<NaiveTime> {
    let upper = text.trim().to_ascii_uppercase();
    let (clock, meridiem) = match upper.strip_suffix("AM").or(upper.strip_suffix("PM")) {
        Some(clock) => (clock.trim_end(), Some(upper.ends_with("PM"))),
        None => (upper.as_str(), None),
    };
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(clock, f).ok())?;
    match meridiem {
        None => Some(time),
        Some(pm) => {
            use chrono::Timelike;
            let hour = time.hour();
            if !(1..=12).contains(&hour) {
                return None;
            }
            time.with_hour(hour % 12 + if pm { 12 } else { 0 })
        }
    }
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

/// Decimal digits of a currency's minor unit (ISO 4217, as Stripe uses them). Only meaningful for codes
/// [`currency`] accepts.
pub fn currency_exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "MGA" | "PYG" | "RWF"
        | "UGX" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" => 4,
        _ => 2,
    }
}

/// [`money_minor_with`] with the number convention worked out from the text.
pub fn money_minor(text: &str, currency: &str) -> Result<i64> {
    money_minor_with(text, currency, None)
}

/// Parses an amount in the currency's major unit into integer minor units, exactly: never a float, never rounded
/// (a non-zero digit past the minor unit is an error). Accepts a sign; a currency sign or code before or after
/// the number (`$9.99`, `€12,50`, `12.50 USD`), which must agree with `currency`; and thousands separators in
/// groups of three. Without a `format`, the decimal mark is the last of `.` and `,` when both appear; a lone `,`
/// is a decimal comma unless exactly three digits follow it (`1,500` is fifteen hundred); a lone `.` is a decimal
/// point unless it repeats.
pub fn money_minor_with(text: &str, currency: &str, format: Option<NumberFormat>) -> Result<i64> {
    let bad = |why: &str| Error::Money(text.to_string(), why.to_string());
    if !ISO_CURRENCIES.contains(&currency) {
        return Err(Error::UnknownCurrency(currency.to_string()));
    }
    let (outer_negative, t) = strip_sign(text.trim());
    let is_number_char = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    let number_start = t
        .find(|c: char| is_number_char(c) || c == '-' || c == '+')
        .unwrap_or(t.len());
    let prefix = t[..number_start].trim();
    let rest = &t[number_start..];
    let number_end = rest.rfind(is_number_char).map_or(0, |i| i + 1);
    let suffix = rest[number_end..].trim();
    let (inner_negative, number) = strip_sign(rest[..number_end].trim());
    if outer_negative && inner_negative {
        return Err(bad("two signs"));
    }
    let negative = outer_negative || inner_negative;
    match (prefix, suffix) {
        ("", "") => {}
        (sign, "") | ("", sign) => check_currency_sign(sign, currency).map_err(|why| bad(&why))?,
        _ => return Err(bad("text on both sides of the number")),
    }
    let format = match format {
        Some(f) => f,
        None => guess_number_format(number),
    };
    let (int, frac) = match number.split_once(format.decimal) {
        Some((int, frac)) => (int, frac),
        None => (number, ""),
    };
    let int = match format.thousands {
        Some(sep) => {
            strip_thousands(int, sep).ok_or_else(|| bad("misplaced thousands separator"))?
        }
        None => int.to_string(),
    };
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

fn strip_sign(t: &str) -> (bool, &str) {
    match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
    }
}

fn check_currency_sign(sign: &str, currency: &str) -> std::result::Result<(), String> {
    if sign.len() == 3 && sign.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = sign.to_ascii_uppercase();
        return if code == currency {
            Ok(())
        } else {
            Err(format!(
                "written in {code}, but the row's currency is {currency}"
            ))
        };
    }
    match CURRENCY_SIGNS.iter().find(|(s, _)| *s == sign) {
        Some((_, currencies)) if currencies.contains(&currency) => Ok(()),
        Some(_) => Err(format!("{sign} is not the row's currency {currency}")),
        None => Err(format!("unrecognized currency sign {sign:?}")),
    }
}

fn guess_number_format(number: &str) -> NumberFormat {
    let last_dot = number.rfind('.');
    let last_comma = number.rfind(',');
    let other = number.chars().find(|c| THOUSANDS_MARKS[2..].contains(c));
    match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => NumberFormat {
            decimal: ',',
            thousands: Some('.'),
        },
        (Some(_), Some(_)) => NumberFormat {
            decimal: '.',
            thousands: Some(','),
        },
        (None, Some(c)) if number.matches(',').count() == 1 && number.len() - c - 1 != 3 => {
            NumberFormat {
                decimal: ',',
                thousands: other,
            }
        }
        (None, Some(_)) => NumberFormat {
            decimal: '.',
            thousands: Some(','),
        },
        (Some(_), None) if number.matches('.').count() > 1 => NumberFormat {
            decimal: ',',
            thousands: Some('.'),
        },
        _ => NumberFormat {
            decimal: '.',
            thousands: other,
        },
    }
}

fn strip_thousands(int: &str, sep: char) -> Option<String> {
    if !int.contains(sep) {
        return Some(int.to_string());
    }
    let mut groups = int.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || groups.clone().any(|g| g.len() != 3) {
        return None;
    }
    Some(int.replace(sep, ""))
}

/// An ISO 4217 code, uppercase. A well-formed code that is not a currency (`XYZ`) is refused too: its minor
/// unit is unknown, so no amount in it can be stored exactly.
pub fn currency(text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = t.to_ascii_uppercase();
        if ISO_CURRENCIES.contains(&code.as_str()) {
            return Ok(code);
        }
        return Err(Error::UnknownCurrency(text.to_string()));
    }
    Err(Error::Currency(text.to_string()))
}

/// ISO 3166 alpha-2, uppercase, from an alpha-2 code, an alpha-3 code or a common country name (`United States`,
/// `USA`, `U.K.`, `Deutschland` ...).
pub fn country(text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = t.to_ascii_uppercase();
        // UK is not ISO 3166 but is what most people write for GB.
        return Ok(if code == "UK" { "GB".into() } else { code });
    }
    let folded = fold_country_name(t);
    COUNTRIES
        .iter()
        .find(|(_, iso3, names)| {
            iso3.eq_ignore_ascii_case(&folded) || names.contains(&folded.as_str())
        })
        .map(|(iso2, _, _)| iso2.to_string())
        .ok_or_else(|| Error::Country(text.to_string()))
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
            "a b@c.com",
            "a@@b.com",
            "a@b",
            "a\u{1b}[2J@x.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_in_display_name_and_mailto_form_are_read() {
        for form in [
            "Jane <jane@x.com>",
            "\"Doe, Jane\" <Jane@X.com>",
            "<jane@x.com>",
            "mailto:jane@x.com",
        ] {
            assert_eq!(email(form).unwrap().0, "jane@x.com", "{form}");
        }
    }

    #[test]
    fn an_address_that_is_all_tag_is_valid() {
        assert_eq!(
            email("+cmd@evil.example").unwrap(),
            ("+cmd@evil.example".into(), "+cmd@evil.example".into())
        );
        assert_eq!(email("+tag@gmail.com").unwrap().1, "+tag@gmail.com");
    }

    fn columns(
        field: (crate::RecordKind, &str),
        text: &str,
        ctx: &FieldContext<'_>,
    ) -> (Vec<Value>, bool) {
        let spec = field.0.field(field.1).unwrap();
        let mut out = vec![];
        let ok = normalize_field(spec, text, ctx, &NormalizeOptions::default(), &mut out).is_ok();
        assert_eq!(out.len(), spec.stored_columns().len(), "{text}");
        (out, ok)
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    const ACCOUNTS: crate::RecordKind = crate::RecordKind::Accounts;

    #[test]
    fn a_value_that_does_not_normalize_keeps_its_best_linkable_form() {
        let none = FieldContext::default();
        assert_eq!(
            columns((ACCOUNTS, "email"), "Jane <jane@x>", &none),
            (vec![text("jane@x"), text("jane@x")], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "email"), "not-an-email", &none),
            (vec![Value::Null, Value::Null], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "phone"), "+12220196219", &none),
            (vec![text("+12220196219")], false),
            "parses, not assigned: the digits still link"
        );
        assert_eq!(
            columns((ACCOUNTS, "phone"), "(555) 010-9999", &none),
            (vec![text("+15550109999")], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "phone"), "n/a", &none),
            (vec![Value::Null], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "phone"), "12", &none),
            (vec![Value::Null], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "country"), "Narnia", &none),
            (vec![Value::Null], false)
        );
        assert_eq!(
            columns((ACCOUNTS, "created_at"), "yesterday", &none),
            (vec![Value::Null], false)
        );
        assert_eq!(
            columns(
                (crate::RecordKind::Payments, "amount"),
                "€5",
                &FieldContext {
                    currency: Some("USD"),
                    ..none
                }
            ),
            (vec![Value::Null], false)
        );
    }

    #[test]
    fn phones_become_e164() {
        let us = NormalizeOptions::default();
        assert_eq!(phone("(415) 555-2671", None, &us).unwrap(), "+14155552671");
        assert_eq!(
            phone("+44 20 7946 0958", None, &us).unwrap(),
            "+442079460958"
        );
        let de = NormalizeOptions::with_region("de").unwrap();
        assert_eq!(phone("030 1234567", None, &de).unwrap(), "+49301234567");
        assert!(phone("12", None, &us).is_err());
        assert!(phone("not a phone", None, &us).is_err());
        assert!(NormalizeOptions::with_region("XX1").is_err());
    }

    #[test]
    fn every_format_of_one_phone_is_one_value() {
        let us = NormalizeOptions::default();
        for form in [
            "+1 415 555 2671",
            "(415) 555-2671",
            "415-555-2671",
            "415.555.2671",
            "1 (415) 555-2671",
            "+14155552671",
            "tel:+1-415-555-2671",
        ] {
            assert_eq!(phone(form, None, &us).unwrap(), "+14155552671", "{form}");
        }
    }

    #[test]
    fn phones_use_the_rows_country_first() {
        let us = NormalizeOptions::default();
        assert_eq!(
            phone("020 7946 0958", Some("GB"), &us).unwrap(),
            "+442079460958"
        );
        assert!(
            phone("020 7946 0958", None, &us).is_err(),
            "not a US number"
        );
        // A US-written number on a GB row is not a GB number; the case's region still reads it.
        assert_eq!(
            phone("(415) 555-2671", Some("GB"), &us).unwrap(),
            "+14155552671"
        );
        let de = NormalizeOptions::with_region("DE").unwrap();
        assert_eq!(
            phone("(415) 555-2671", Some("US"), &de).unwrap(),
            "+14155552671"
        );
    }

    #[test]
    fn phone_extensions_are_kept() {
        let us = NormalizeOptions::default();
        for form in [
            "(415) 555-2671 ext. 12",
            "415-555-2671 x12",
            "+1 415 555 2671 ext 12",
        ] {
            assert_eq!(
                phone(form, None, &us).unwrap(),
                "+14155552671;ext=12",
                "{form}"
            );
        }
    }

    #[test]
    fn device_ids_from_different_collectors_are_one_id() {
        for form in [
            "{F5C46179-D033-020E-B5B4-34D228FF094E}",
            "F5C46179-D033-020E-B5B4-34D228FF094E",
            " f5c46179-d033-020e-b5b4-34d228ff094e ",
            "{ f5c46179-d033-020e-b5b4-34d228ff094e }",
        ] {
            assert_eq!(
                device_id(form),
                "f5c46179-d033-020e-b5b4-34d228ff094e",
                "{form}"
            );
        }
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
            "Tue, 14 Nov 2023 22:13:20 +0000",
            "Tue, 14 Nov 2023 23:13:20 +0100",
            "11/14/2023 22:13:20",
            "14/11/2023 22:13:20",
            "11/14/2023 10:13:20 PM",
            "14.11.2023 22:13:20",
            "2023/11/14 22:13:20",
        ] {
            assert_eq!(timestamp_ms(form).unwrap(), t, "{form}");
        }
        assert_eq!(timestamp_ms("11/25/2026 14:03").unwrap(), 1_795_615_380_000);
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
            "13/13/2023",
            "11/14/23",
            "11/14/2023 13:00 PM",
        ] {
            assert!(timestamp_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn day_month_order_comes_from_the_numbers_or_the_column() {
        assert!(matches!(
            timestamp_ms("03/04/2026"),
            Err(Error::AmbiguousDate(_))
        ));
        assert!(has_ambiguous_date_order("03/04/2026"));
        assert!(!has_ambiguous_date_order("04/04/2026"), "same either way");
        assert!(
            !has_ambiguous_date_order("03.04.2026"),
            "dots are day-first"
        );
        assert_eq!(date_order_evidence("25/11/2026"), Some(DateOrder::DayFirst));
        assert_eq!(
            date_order_evidence("11/25/2026 14:03"),
            Some(DateOrder::MonthFirst)
        );
        assert_eq!(date_order_evidence("03/04/2026"), None);
        let april_3 = timestamp_ms("2026-04-03").unwrap();
        assert_eq!(
            timestamp_ms_with("04/03/2026", None, Some(DateOrder::MonthFirst)).unwrap(),
            april_3
        );
        assert_eq!(
            timestamp_ms_with("03/04/2026", None, Some(DateOrder::DayFirst)).unwrap(),
            april_3
        );
    }

    #[test]
    fn a_named_timestamp_format_is_used() {
        let t = timestamp_ms("2026-04-03 14:05:00").unwrap();
        assert_eq!(
            timestamp_ms_with("03|04|2026 14h05", Some("%d|%m|%Y %Hh%M"), None).unwrap(),
            t
        );
        assert_eq!(
            timestamp_ms_with("03/04/2026 14:05", Some("%d/%m/%Y %H:%M"), None).unwrap(),
            t
        );
        assert_eq!(
            timestamp_ms_with("20260403", Some("%Y%m%d"), None).unwrap(),
            timestamp_ms("2026-04-03").unwrap()
        );
        // The usual forms still read in a column with a format.
        assert_eq!(
            timestamp_ms_with("2026-04-03T14:05:00Z", Some("%d/%m/%Y %H:%M"), None).unwrap(),
            t
        );
        assert!(matches!(
            timestamp_ms_with("tomorrow", Some("%d/%m/%Y %H:%M"), None),
            Err(Error::TimestampFormat(..))
        ));
        assert!(check_timestamp_format("%d/%m/%Y %H:%M").is_ok());
        assert!(check_timestamp_format("%d/%m/%Y %Q").is_err());
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
        assert_eq!(money_minor("1,500", "JPY").unwrap(), 1500);
        for bad in ["12.345", "1,23.00", "", "1e3", "12..3", "--1", "abc"] {
            assert!(money_minor(bad, "USD").is_err(), "{bad}");
        }
        assert!(money_minor("1.5", "JPY").is_err());
        // 0.1 + 0.2 style float drift cannot happen: the digits are read as an integer.
        assert_eq!(money_minor("0.30", "USD").unwrap(), 30);
    }

    #[test]
    fn money_with_signs_codes_and_decimal_commas() {
        for (text, currency, minor) in [
            ("$9.99", "USD", 999),
            ("US$ 9.99", "USD", 999),
            ("-$9.99", "USD", -999),
            ("$-9.99", "USD", -999),
            ("€12,50", "EUR", 1250),
            ("12,50 €", "EUR", 1250),
            ("12.50 USD", "USD", 1250),
            ("usd 12.50", "USD", 1250),
            ("1.234,56", "EUR", 123456),
            ("1 234,56", "EUR", 123456),
            ("1'234.56", "CHF", 123456),
            ("1.234.567", "EUR", 123456700),
            ("£3", "GBP", 300),
            ("¥500", "JPY", 500),
            ("$5", "CAD", 500),
        ] {
            assert_eq!(
                money_minor(text, currency).unwrap(),
                minor,
                "{text} {currency}"
            );
        }
        for (text, currency) in [
            ("€12,50", "USD"),
            ("12.50 USD", "EUR"),
            ("£3", "USD"),
            ("12.50 ZZ", "USD"),
            ("$5 USD", "USD"),
            ("-$-5", "USD"),
        ] {
            assert!(money_minor(text, currency).is_err(), "{text} {currency}");
        }
    }

    #[test]
    fn a_named_number_format_decides() {
        let german = NumberFormat {
            decimal: ',',
            thousands: Some('.'),
        };
        assert_eq!(
            money_minor_with("1.250", "EUR", Some(german)).unwrap(),
            125000
        );
        assert_eq!(
            money_minor("1.250", "EUR").unwrap(),
            125,
            "without it a lone dot is a decimal point"
        );
        assert_eq!(money_minor_with("12,5", "EUR", Some(german)).unwrap(), 1250);
        assert!(money_minor_with("1,234.50", "EUR", Some(german)).is_err());
        assert!(german.check().is_ok());
        assert!(
            NumberFormat {
                decimal: ',',
                thousands: Some(',')
            }
            .check()
            .is_err()
        );
        assert!(
            NumberFormat {
                decimal: ';',
                thousands: None
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn unknown_currencies_are_not_given_two_decimals() {
        assert!(matches!(currency("XYZ"), Err(Error::UnknownCurrency(_))));
        assert!(matches!(
            money_minor("12.50", "XYZ"),
            Err(Error::UnknownCurrency(_))
        ));
        assert_eq!(currency(" eur ").unwrap(), "EUR");
        assert!(matches!(currency("dollars"), Err(Error::Currency(_))));
    }

    #[test]
    fn countries_by_code_name_or_alpha3() {
        for (text, code) in [
            ("us", "US"),
            ("United States", "US"),
            ("UNITED STATES OF AMERICA", "US"),
            ("USA", "US"),
            ("U.S.A.", "US"),
            ("UK", "GB"),
            ("United  Kingdom", "GB"),
            ("GBR", "GB"),
            ("Deutschland", "DE"),
            ("deu", "DE"),
            ("Brasil", "BR"),
        ] {
            assert_eq!(country(text).unwrap(), code, "{text}");
        }
        assert!(country("Narnia").is_err());
    }

    #[test]
    fn blank_is_null_in_every_column() {
        let spec = crate::RecordKind::Accounts.field("email").unwrap();
        let mut out = vec![];
        normalize_field(
            spec,
            "   ",
            &FieldContext::default(),
            &NormalizeOptions::default(),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, vec![Value::Null, Value::Null]);
    }
}
