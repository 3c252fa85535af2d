//! Populating a case: creators, benign fans, households, and the planted rings.

use crate::out::{Account, Card, Out, Payment};
use crate::rng::Rng;
use crate::values::{self, CARD_BRANDS, PLACEHOLDER_DEVICES, Person, USER_AGENTS};
use crate::{Config, Error, Group, Result, RowTotals, Truth};

pub(crate) const DAY: i64 = 86_400_000;
pub(crate) const HOUR: i64 = 3_600_000;
/// 2026-01-01T00:00:00Z .. 2026-10-31T00:00:00Z
pub(crate) const START: i64 = 1_767_225_600_000;
pub(crate) const END: i64 = START + 303 * DAY;

/// An account before it is written: rings adjust these values to plant their links.
pub(crate) struct Profile {
    pub(crate) id: String,
    pub(crate) person: Person,
    pub(crate) created: i64,
    pub(crate) email: String,
    pub(crate) phone: String,
    pub(crate) name: String,
    pub(crate) country: &'static str,
    pub(crate) role: &'static str,
    pub(crate) status: &'static str,
    pub(crate) device: String,
    pub(crate) ip: String,
    pub(crate) card: Card,
    pub(crate) ua: &'static str,
}

pub struct World<'c> {
    pub(crate) cfg: &'c Config,
    pub(crate) rng: Rng,
    pub(crate) out: Option<Out>,
    pub(crate) free_ids: Vec<u32>,
    pub(crate) creators: Vec<String>,
    pub(crate) nat_ips: Vec<String>,
    pub(crate) wifi_ips: Vec<String>,
    pub(crate) serial: u64,
    /// Where in each pattern's list of styles the instances start, so every seed sees another mix.
    pub(crate) style_offset: usize,
    pub(crate) proxies_used: std::collections::HashSet<String>,
}

impl<'c> World<'c> {
    pub fn new(cfg: &'c Config, out: Out) -> Result<Self> {
        if cfg.accounts < cfg.most_planted_accounts() + 20 {
            return Err(Error::TooSmall(cfg.accounts, cfg.most_planted_accounts()));
        }
        let mut rng = Rng::new(cfg.seed);
        // Shuffled ids, so a ring's members are not a run of consecutive ids.
        let mut free_ids: Vec<u32> = (1..=cfg.accounts as u32).collect();
        for i in (1..free_ids.len()).rev() {
            free_ids.swap(i, rng.below(i + 1));
        }
        let nat_ips = (0..(cfg.accounts / 20_000).max(1))
            .map(values::carrier_nat_ip)
            .collect();
        let wifi_ips = (0..(cfg.accounts / 50_000).max(1))
            .map(values::public_wifi_ip)
            .collect();
        Ok(World {
            cfg,
            rng,
            out: Some(out),
            free_ids,
            creators: vec![],
            nat_ips,
            wifi_ips,
            serial: 0,
            style_offset: (cfg.seed % 12) as usize,
            proxies_used: Default::default(),
        })
    }

    pub(crate) fn out(&mut self) -> &mut Out {
        self.out.as_mut().expect("output is open until finish")
    }

    pub fn finish(&mut self) -> Result<RowTotals> {
        self.out.take().expect("finish is called once").finish()
    }

    pub(crate) fn random_time(&mut self, from: i64, to: i64) -> i64 {
        let ms = self.rng.range(from as u64, to.max(from + 1) as u64) as i64;
        ms - ms % 1000
    }

    pub(crate) fn card(&mut self) -> Card {
        Card {
            fingerprint: values::card_fingerprint(&mut self.rng),
            last4: format!("{:04}", self.rng.range(0, 10_000)),
            brand: self.rng.one_of(CARD_BRANDS),
            country: values::country(&mut self.rng),
        }
    }

    pub(crate) fn profile(&mut self, created: i64, role: &'static str) -> Profile {
        let id = format!(
            "u{:07}",
            self.free_ids.pop().expect("accounts were counted up front")
        );
        let person = Person::random(&mut self.rng);
        self.serial += 1;
        let email = person.email(self.serial, &mut self.rng);
        let phone = if self.rng.chance(0.4) {
            values::phone(&mut self.rng)
        } else {
            String::new()
        };
        let name = person.display_name(&mut self.rng);
        Profile {
            id,
            person,
            created,
            email,
            phone,
            name,
            country: values::country(&mut self.rng),
            role,
            status: "active",
            device: values::device_id(&mut self.rng),
            ip: values::residential_ip(&mut self.rng),
            card: self.card(),
            ua: self.rng.one_of(USER_AGENTS),
        }
    }

    pub(crate) fn write_account(&mut self, p: &Profile) -> Result<()> {
        // Every phone here is North American: a national format (`(415) 555-…`) is written only on rows whose
        // country reads it that way, as sign-up forms do; anyone else's is stored with its country code.
        let phone = if p.phone.is_empty()
            || p.phone.starts_with('+')
            || ["US", "CA"].contains(&p.country)
        {
            p.phone.clone()
        } else {
            format!("+1 {}", p.phone)
        };
        let a = Account {
            id: &p.id,
            created_ms: p.created,
            email: &p.email,
            phone: &phone,
            display_name: &p.name,
            country: p.country,
            role: p.role,
            status: p.status,
        };
        self.out().account(&a)
    }

    /// The sign-up event plus `logins` later logins, each from `ip_for`/`device_for`'s choice.
    pub(crate) fn activity(
        &mut self,
        p: &Profile,
        logins: u64,
        window: i64,
        noise: f64,
    ) -> Result<()> {
        let signup_device = self.maybe_placeholder(&p.device, noise);
        self.out()
            .login(&p.id, p.created, "signup", &p.ip, &signup_device, p.ua)?;
        for _ in 0..logins {
            let ts = self.random_time(p.created + HOUR, (p.created + window).min(END));
            let ip = if self.rng.chance(0.25) {
                self.rng.pick(&self.nat_ips).clone()
            } else if self.rng.chance(0.03) {
                self.rng.pick(&self.wifi_ips).clone()
            } else {
                p.ip.clone()
            };
            let device = self.maybe_placeholder(&p.device, noise);
            self.out().login(&p.id, ts, "login", &ip, &device, p.ua)?;
        }
        Ok(())
    }

    pub(crate) fn maybe_placeholder(&mut self, device: &str, p: f64) -> String {
        if self.rng.chance(p) {
            self.rng.one_of(PLACEHOLDER_DEVICES).to_string()
        } else {
            device.to_string()
        }
    }

    pub(crate) fn pay(
        &mut self,
        p: &Profile,
        card: &Card,
        creator: &str,
        ts: i64,
        failed: f64,
        disputed: f64,
    ) -> Result<()> {
        let cents = *self.rng.pick(&[499i64, 999, 999, 1499, 1999, 2500, 4999]);
        let status = if self.rng.chance(failed) {
            "Failed"
        } else if self.rng.chance(0.02) {
            "Refunded"
        } else {
            "Paid"
        };
        let disputed = status == "Paid" && self.rng.chance(disputed);
        let email = if self.rng.chance(0.8) {
            p.email.as_str()
        } else {
            ""
        };
        let payment = Payment {
            account: &p.id,
            email,
            creator,
            ts_ms: ts,
            cents,
            card,
            status,
            disputed,
        };
        self.out().payment(&payment)
    }

    /// Popular creators get most of the money (a rough power law).
    pub(crate) fn popular_creator(&mut self) -> String {
        let n = self.creators.len();
        let i = self.rng.below(n) * self.rng.below(n) / n;
        self.creators[i].clone()
    }

    pub fn populate(&mut self) -> Result<Truth> {
        let cfg = self.cfg;
        for _ in 0..(cfg.accounts / 50).max(5) {
            let created = self.random_time(START - 200 * DAY, START);
            let mut p = self.profile(created, "creator");
            p.phone = values::phone(&mut self.rng);
            self.write_account(&p)?;
            let logins = self.rng.range(3, 15);
            self.activity(&p, logins, 300 * DAY, 0.0)?;
            self.creators.push(p.id);
        }
        let mut rings = vec![];
        for i in 0..cfg.rings_per_kind {
            rings.push(self.device_farm(i)?);
            rings.push(self.proxy_farm(i)?);
            rings.push(self.self_funding(i)?);
            rings.push(self.ban_evasion(i)?);
            rings.push(self.chargeback_crew(i)?);
            rings.push(self.chain(i)?);
        }
        for i in 0..cfg.big_farms {
            rings.push(self.big_farm(i)?);
        }
        if cfg.big_farm > 0 {
            rings.push(self.hopping_farm(cfg.rings_per_kind, Some(cfg.big_farm))?);
        }
        let mut benign = vec![];
        for i in 0..cfg.households {
            benign.push(self.household(i)?);
        }
        for i in 0..cfg.lookalikes {
            benign.push(self.family_card(i)?);
            benign.push(self.fingerprint_collision(i)?);
            benign.push(self.campus_ip(i)?);
        }
        let hostile = [
            "<img src=x onerror=alert(1)>",
            "=HYPERLINK(\"http://x\",\"y\")",
            "Robert'); DROP TABLE accounts;--",
            "\"Quoted, Name\"",
        ];
        let mut hostile = if cfg.hostile_names {
            hostile.iter()
        } else {
            [].iter()
        };
        while !self.free_ids.is_empty() {
            let name = hostile.next().copied();
            self.benign_fan(name)?;
        }
        Ok(Truth {
            seed: cfg.seed,
            rings,
            benign,
            hub_ips: self.nat_ips.iter().chain(&self.wifi_ips).cloned().collect(),
            placeholder_devices: PLACEHOLDER_DEVICES.iter().map(|d| d.to_string()).collect(),
            rows: RowTotals::default(),
        })
    }

    fn benign_fan(&mut self, display_name: Option<&str>) -> Result<()> {
        let created = self.random_time(START, END - 20 * DAY);
        let mut p = self.profile(created, "fan");
        if let Some(name) = display_name {
            p.name = name.to_string();
        }
        self.write_account(&p)?;
        let logins = self.rng.range(0, 12);
        self.activity(&p, logins, END - created, 0.03)?;
        let second = self.rng.chance(0.1).then(|| self.card());
        for _ in 0..self.rng.range(0, 6) {
            let creator = self.popular_creator();
            let ts = self.random_time(created + HOUR, END);
            let card = match &second {
                Some(c) if self.rng.chance(0.5) => c,
                _ => &p.card,
            };
            self.pay(&p, card, &creator, ts, 0.06, 0.003)?;
        }
        Ok(())
    }

    pub(crate) fn group(
        &self,
        kind: &str,
        style: &str,
        i: usize,
        members: &[Profile],
        creators_paid: Vec<String>,
        note: String,
    ) -> Group {
        Group {
            id: format!("{kind}-{i}"),
            kind: kind.into(),
            style: style.into(),
            members: members.iter().map(|m| m.id.clone()).collect(),
            creators_paid,
            note,
        }
    }
}
