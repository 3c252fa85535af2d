//! The three CSV files a generated case consists of, in the layouts investigators are handed.

use crate::{Error, Result, RowTotals};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

type Writer = csv::Writer<BufWriter<File>>;

pub struct Account<'a> {
    pub id: &'a str,
    pub created_ms: i64,
    pub email: &'a str,
    pub phone: &'a str,
    pub display_name: &'a str,
    pub country: &'a str,
    pub role: &'a str,
    pub status: &'a str,
}

#[derive(Clone)]
pub struct Card {
    pub fingerprint: String,
    pub last4: String,
    pub brand: &'static str,
    pub country: &'static str,
}

pub struct Payment<'a> {
    pub account: &'a str,
    pub email: &'a str,
    pub creator: &'a str,
    pub ts_ms: i64,
    pub cents: i64,
    pub card: &'a Card,
    pub status: &'a str,
    pub disputed: bool,
}

pub struct Out {
    accounts: Writer,
    payments: Writer,
    logins: Writer,
    rows: RowTotals,
}

/// The Stripe dashboard "All payments" header (shared/design/export-formats.md) plus the platform's metadata.
const STRIPE_HEADER: &[&str] = &[
    "id",
    "Description",
    "Seller Message",
    "Created (UTC)",
    "Amount",
    "Amount Refunded",
    "Currency",
    "Converted Amount",
    "Converted Amount Refunded",
    "Fee",
    "Tax",
    "Converted Currency",
    "Mode",
    "Status",
    "Statement Descriptor",
    "Customer ID",
    "Customer Description",
    "Customer Email",
    "Captured",
    "Card ID",
    "Card Last4",
    "Card Brand",
    "Card Funding",
    "Card Exp Month",
    "Card Exp Year",
    "Card Name",
    "Card Address Line1",
    "Card Address Line2",
    "Card Address City",
    "Card Address State",
    "Card Address Country",
    "Card Address Zip",
    "Card Issue Country",
    "Card Fingerprint",
    "Card CVC Status",
    "Card AVS Zip Status",
    "Card AVS Line1 Status",
    "Card Tokenization Method",
    "Disputed Amount",
    "Dispute Status",
    "Dispute Reason",
    "Dispute Date (UTC)",
    "Dispute Evidence Due (UTC)",
    "Invoice ID",
    "Payment Source Type",
    "Destination",
    "Transfer",
    "Interchange Costs",
    "Merchant Service Charge",
    "Transfer Group",
    "PaymentIntent ID",
    "account_id (metadata)",
    "creator_id (metadata)",
];

fn writer(dir: &Path, name: &str) -> Result<Writer> {
    let file = File::create(dir.join(name)).map_err(|e| Error::Io(name.to_string(), e))?;
    Ok(csv::WriterBuilder::new().from_writer(BufWriter::with_capacity(1 << 20, file)))
}

pub fn utc_text(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm; avoids a date library for the hot path of a 10M-row generator.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

impl Out {
    pub fn create(dir: &Path) -> Result<Out> {
        let mut accounts = writer(dir, crate::ACCOUNTS_FILE)?;
        accounts.write_record([
            "account_id",
            "created_at",
            "email",
            "phone",
            "display_name",
            "country",
            "role",
            "status",
        ])?;
        let mut payments = writer(dir, crate::PAYMENTS_FILE)?;
        payments.write_record(STRIPE_HEADER)?;
        let mut logins = writer(dir, crate::LOGINS_FILE)?;
        logins.write_record([
            "request_id",
            "linked_id",
            "visitor_id",
            "request_time",
            "tag",
            "client_ip",
            "browser_user_agent",
        ])?;
        Ok(Out {
            accounts,
            payments,
            logins,
            rows: RowTotals::default(),
        })
    }

    pub fn account(&mut self, a: &Account<'_>) -> Result<()> {
        let created = utc_text(a.created_ms).replace(' ', "T") + "Z";
        self.accounts.write_record([
            a.id,
            &created,
            a.email,
            a.phone,
            a.display_name,
            a.country,
            a.role,
            a.status,
        ])?;
        self.rows.accounts += 1;
        Ok(())
    }

    pub fn login(
        &mut self,
        account: &str,
        ts_ms: i64,
        tag: &str,
        ip: &str,
        device: &str,
        ua: &str,
    ) -> Result<()> {
        self.rows.logins += 1;
        let request = format!("{}.{:06}", ts_ms, self.rows.logins % 1_000_000);
        self.logins.write_record([
            request.as_str(),
            account,
            device,
            &ts_ms.to_string(),
            tag,
            ip,
            ua,
        ])?;
        Ok(())
    }

    pub fn payment(&mut self, p: &Payment<'_>) -> Result<()> {
        self.rows.payments += 1;
        let n = self.rows.payments;
        let id = format!("ch_3Rsc{n:010}{}", &p.card.fingerprint[..6]);
        let created = utc_text(p.ts_ms);
        let amount = money(p.cents);
        let (seller, refunded) = match p.status {
            "Failed" => (
                "The bank returned the decline code `do_not_honor`.",
                "0.00".to_string(),
            ),
            "Refunded" => ("Payment complete.", amount.clone()),
            _ => ("Payment complete.", "0.00".to_string()),
        };
        let fee = money(p.cents * 29 / 1000 + 30);
        let (disputed, dispute_status, dispute_reason, dispute_date) = if p.disputed {
            (
                amount.clone(),
                "lost",
                "fraudulent",
                utc_text(p.ts_ms + 9 * 86_400_000),
            )
        } else {
            (String::new(), "", "", String::new())
        };
        let customer = format!("cus_{}", &p.card.fingerprint[4..14]);
        let card_id = format!("card_{}", &p.card.fingerprint[..12]);
        let description = format!("Subscription to {}", p.creator);
        let (exp_month, exp_year) = ((n % 12 + 1).to_string(), (2027 + n % 4).to_string());
        let captured = if p.status == "Failed" {
            "false"
        } else {
            "true"
        };
        let record: [&str; 53] = [
            &id,
            &description,
            seller,
            &created,
            &amount,
            &refunded,
            "usd",
            &amount,
            &refunded,
            &fee,
            "0.00",
            "usd",
            "Live",
            p.status,
            "RINGSCOPE FANS",
            &customer,
            "",
            p.email,
            captured,
            &card_id,
            &p.card.last4,
            p.card.brand,
            "credit",
            &exp_month,
            &exp_year,
            "",
            "",
            "",
            "",
            "",
            p.card.country,
            "",
            p.card.country,
            &p.card.fingerprint,
            "pass",
            "pass",
            "unavailable",
            "",
            &disputed,
            dispute_status,
            dispute_reason,
            &dispute_date,
            "",
            "",
            "card",
            "",
            "",
            "",
            "",
            "",
            "",
            p.account,
            p.creator,
        ];
        self.payments.write_record(record)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<RowTotals> {
        for w in [&mut self.accounts, &mut self.payments, &mut self.logins] {
            w.flush().map_err(|e| Error::Io("flush".into(), e))?;
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_text_matches_known_dates() {
        assert_eq!(super::utc_text(0), "1970-01-01 00:00:00");
        assert_eq!(super::utc_text(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(super::utc_text(1_709_164_800_000), "2024-02-29 00:00:00");
    }
}
