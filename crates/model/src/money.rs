//! The one money formatter: integer minor units shown with their currency's ISO 4217 exponent, exactly (no
//! floating point), the sign kept for amounts between −1 and 0, and the currency code. Used by the CLI, the packet
//! and the app (the UI mirrors [`exponent`] in `ui/src/bindings/currencyExponents.ts`, generated from
//! [`known_exponents`] and checked fresh by the app's bindings test).

use crate::normalize::currency_exponent;
use crate::tables::ISO_CURRENCIES;

/// The ISO 4217 exponent (digits of the minor unit) of a currency Ringscope knows; `None` for any other code, whose
/// amounts are then shown as minor units and said to be so, never guessed.
pub fn exponent(currency: &str) -> Option<u32> {
    ISO_CURRENCIES
        .binary_search(&currency)
        .ok()
        .map(|_| currency_exponent(currency))
}

/// Every known currency with its exponent, in code order.
pub fn known_exponents() -> impl Iterator<Item = (&'static str, u32)> {
    ISO_CURRENCIES.iter().map(|&c| (c, currency_exponent(c)))
}

/// The amount alone, as a decimal with the currency's exponent: `9.99` (USD), `1000` (JPY), `1.234` (KWD),
/// `-0.50` (USD). For an unknown currency: `999 minor units`.
pub fn amount(minor: i64, currency: &str) -> String {
    let Some(exp) = exponent(currency) else {
        return format!("{minor} minor units");
    };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let unit = 10u64.pow(exp);
    format!("{sign}{}.{:0w$}", abs / unit, abs % unit, w = exp as usize)
}

/// The amount with its currency: `9.99 USD`, `1000 JPY`, `-0.50 USD`; for an unknown currency
/// `999 minor units of XYZ (unknown currency)`, and `999 minor units (no currency)` when there is none.
pub fn format(minor: i64, currency: &str) -> String {
    if currency.is_empty() {
        format!("{minor} minor units (no currency)")
    } else if exponent(currency).is_none() {
        format!("{minor} minor units of {currency} (unknown currency)")
    } else {
        format!("{} {currency}", amount(minor, currency))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_are_shown_with_their_iso_exponent() {
        assert_eq!(format(999, "USD"), "9.99 USD");
        assert_eq!(format(100_000, "USD"), "1000.00 USD");
        assert_eq!(format(5, "USD"), "0.05 USD");
        assert_eq!(format(1000, "JPY"), "1000 JPY");
        assert_eq!(format(1234, "KWD"), "1.234 KWD");
        assert_eq!(format(5, "KWD"), "0.005 KWD");
        assert_eq!(format(0, "EUR"), "0.00 EUR");
    }

    #[test]
    fn negative_amounts_keep_their_sign_even_above_minus_one() {
        assert_eq!(format(-50, "USD"), "-0.50 USD");
        assert_eq!(format(-1, "USD"), "-0.01 USD");
        assert_eq!(format(-150, "USD"), "-1.50 USD");
        assert_eq!(format(-1000, "JPY"), "-1000 JPY");
        assert_eq!(format(-5, "KWD"), "-0.005 KWD");
        assert_eq!(amount(i64::MIN, "USD"), "-92233720368547758.08");
    }

    #[test]
    fn unknown_currencies_are_said_to_be_unknown_not_guessed() {
        assert_eq!(exponent("XYZ"), None);
        assert_eq!(exponent("usd"), None);
        assert_eq!(
            format(999, "XYZ"),
            "999 minor units of XYZ (unknown currency)"
        );
        assert_eq!(format(999, ""), "999 minor units (no currency)");
        assert_eq!(amount(999, "XYZ"), "999 minor units");
    }

    #[test]
    fn the_table_is_sorted_so_lookups_find_every_code() {
        assert!(ISO_CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(exponent("USD"), Some(2));
        assert_eq!(exponent("JPY"), Some(0));
        assert_eq!(exponent("KWD"), Some(3));
        assert_eq!(exponent("CLF"), Some(4));
        assert_eq!(known_exponents().count(), ISO_CURRENCIES.len());
    }
}
