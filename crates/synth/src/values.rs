//! Realistic-looking identifier values.

use crate::rng::Rng;

const FIRST: &[&str] = &[
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "william",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "carlos",
    "karen",
    "daniel",
    "lisa",
    "matthew",
    "nancy",
    "anthony",
    "sofia",
    "mark",
    "emma",
    "paul",
    "olivia",
    "kevin",
    "mia",
    "brian",
    "ava",
    "yuki",
    "amara",
    "liam",
    "noah",
    "chloe",
    "lucas",
    "ines",
    "mateo",
    "zara",
    "omar",
    "priya",
    "wei",
    "fatima",
    "ivan",
];
const LAST: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
];
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "icloud.com",
    "proton.me",
    "hotmail.com",
];
const AREA_CODES: &[&str] = &[
    "201", "212", "213", "305", "312", "415", "503", "512", "617", "646", "702", "713", "808",
    "917",
];
const COUNTRIES: &[&str] = &[
    "US", "US", "US", "US", "GB", "CA", "DE", "FR", "BR", "AU", "ES", "MX",
];
pub const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];
pub const CARD_BRANDS: &[&str] = &[
    "Visa",
    "Visa",
    "MasterCard",
    "MasterCard",
    "American Express",
    "Discover",
];

pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
}

impl Person {
    pub fn random(rng: &mut Rng) -> Person {
        Person {
            first: rng.one_of(FIRST),
            last: rng.one_of(LAST),
        }
    }

    pub fn display_name(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => format!("{}{}", capitalize(self.first), capitalize(self.last)),
            1 => format!("{} {}", capitalize(self.first), capitalize(self.last)),
            _ => format!("{}_{}", self.first, rng.range(1, 999)),
        }
    }

    /// A unique address: the serial keeps two people of the same name apart.
    pub fn email(&self, serial: u64, rng: &mut Rng) -> String {
        format!(
            "{}.{}{}@{}",
            self.first,
            self.last,
            serial,
            rng.one_of(PROVIDERS)
        )
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub fn country(rng: &mut Rng) -> &'static str {
    rng.one_of(COUNTRIES)
}

/// A US number in a real area code, written the way sign-up forms store them.
pub fn phone(rng: &mut Rng) -> String {
    let (area, exchange, line) = (
        rng.one_of(AREA_CODES),
        rng.range(201, 999),
        rng.range(1000, 9999),
    );
    match rng.below(3) {
        0 => format!("+1{area}{exchange}{line}"),
        1 => format!("({area}) {exchange}-{line}"),
        _ => format!("{area}-{exchange}-{line}"),
    }
}

pub fn device_id(rng: &mut Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    )
}

/// Residential address: public unicast, away from the ranges used for hubs and proxies below.
pub fn residential_ip(rng: &mut Rng) -> String {
    if rng.chance(0.1) {
        return format!(
            "2600:1700:{:x}:{:x}::{:x}",
            rng.range(1, 0xffff),
            rng.range(1, 0xffff),
            rng.range(1, 0xffff)
        );
    }
    let first = *rng.pick(&[24u64, 47, 67, 68, 71, 73, 76, 98, 99, 108]);
    format!(
        "{first}.{}.{}.{}",
        rng.range(0, 256),
        rng.range(0, 256),
        rng.range(1, 255)
    )
}

/// Carrier-grade NAT egress addresses: one address in front of thousands of phones.
pub fn carrier_nat_ip(i: usize) -> String {
    format!("172.56.{}.{}", 10 + i / 250, 1 + i % 250)
}

pub fn public_wifi_ip(i: usize) -> String {
    format!("198.51.{}.{}", 100 + i / 250, 1 + i % 250)
}

/// Datacenter proxies, as device farms use.
pub fn proxy_ip(rng: &mut Rng) -> String {
    format!(
        "185.{}.{}.{}",
        rng.range(216, 224),
        rng.range(0, 256),
        rng.range(1, 255)
    )
}

/// Stripe-style card fingerprint: 16 alphanumerics, stable per card.
pub fn card_fingerprint(rng: &mut Rng) -> String {
    rng.alnum(16)
}

/// Device ids that vendors emit when they could not fingerprint; they must never link accounts.
pub const PLACEHOLDER_DEVICES: &[&str] = &["00000000-0000-0000-0000-000000000000", "unknown", ""];
