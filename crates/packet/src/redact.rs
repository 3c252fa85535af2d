//! Redaction profiles.
//!
//! - `legal` (default): everything as imported.
//! - `external`: emails, phones, IPs and card data are replaced by keyed hashes (HMAC-SHA-256, key derived from the
//!   case's secret id and the packet id), so the same value masks the same way throughout one packet and links
//!   still show, but values cannot be looked up or matched across packets. Card last-four digits become `****`.
//!   Original rows are left out (they hold the unmasked values); the normalized, masked fields remain.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Who the packet is for; `legal` and `external` in JSON and on the command line.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Legal,
    External,
}

impl Profile {
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "legal" => Some(Profile::Legal),
            "external" => Some(Profile::External),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Legal => "legal",
            Profile::External => "external",
        }
    }
}

pub struct Redactor {
    pub profile: Profile,
    key: [u8; 32],
}

/// What a field holds, for masking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitive {
    Email,
    Phone,
    Ip,
    Card,
    CardLast4,
}

impl Sensitive {
    pub fn of_field(name: &str) -> Option<Sensitive> {
        match name {
            "email" | "email_canon" | "customer_email" | "customer_email_canon" => {
                Some(Sensitive::Email)
            }
            "phone" => Some(Sensitive::Phone),
            "ip" => Some(Sensitive::Ip),
            "card_fingerprint" => Some(Sensitive::Card),
            "card_last4" => Some(Sensitive::CardLast4),
            _ => None,
        }
    }

    pub fn of_identifier(kind: ringscope_graph::IdKind) -> Option<Sensitive> {
        use ringscope_graph::IdKind::*;
        match kind {
            Email => Some(Sensitive::Email),
            Phone => Some(Sensitive::Phone),
            Ip => Some(Sensitive::Ip),
            Card => Some(Sensitive::Card),
            Device => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Sensitive::Email => "email",
            Sensitive::Phone => "phone",
            Sensitive::Ip => "ip",
            Sensitive::Card | Sensitive::CardLast4 => "card",
        }
    }
}

impl Redactor {
    pub fn new(profile: Profile, case_uid: &str, packet_id: &str) -> Redactor {
        let key: [u8; 32] =
            Sha256::digest(format!("ringscope-redaction\0{case_uid}\0{packet_id}").as_bytes())
                .into();
        Redactor { profile, key }
    }

    pub fn keeps_originals(&self) -> bool {
        self.profile == Profile::Legal
    }

    pub fn mask(&self, what: Sensitive, value: &str) -> String {
        if self.profile == Profile::Legal || value.is_empty() {
            return value.to_string();
        }
        if what == Sensitive::CardLast4 {
            return "****".into();
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(what.label().as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        let tag = hex::encode(mac.finalize().into_bytes());
        format!("{}:{}", what.label(), &tag[..16])
    }

    pub fn mask_field(&self, name: &str, value: &serde_json::Value) -> serde_json::Value {
        match (Sensitive::of_field(name), value.as_str()) {
            (Some(what), Some(s)) => serde_json::Value::String(self.mask(what, s)),
            _ => value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_masks_consistently_and_legal_keeps_everything() {
        let ext = Redactor::new(Profile::External, "case", "P1");
        let a = ext.mask(Sensitive::Email, "a@x.com");
        assert_eq!(a, ext.mask(Sensitive::Email, "a@x.com"));
        assert_ne!(a, ext.mask(Sensitive::Email, "b@x.com"));
        assert!(a.starts_with("email:") && !a.contains("a@x.com"));
        assert_ne!(
            a,
            Redactor::new(Profile::External, "case", "P2").mask(Sensitive::Email, "a@x.com"),
            "packets do not share masks"
        );
        assert_eq!(ext.mask(Sensitive::CardLast4, "4242"), "****");
        assert_eq!(
            Redactor::new(Profile::Legal, "case", "P1").mask(Sensitive::Ip, "1.2.3.4"),
            "1.2.3.4"
        );
    }
}
