//! Populating a case: creators, benign fans, households, and the planted rings.

use crate::out::{Account, Card, Out, Payment};
use crate::rng::Rng;
use crate::values::{self, CARD_BRANDS, PLACEHOLDER_DEVICES, Person, USER_AGENTS};
use crate::{Config, Error, Group, Result, RowTotals, Truth};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// 2026-01-01T00:00:00Z .. 2026-10-31T00:00:00Z
const START: i64 = 1_767_225_600_000;
const END: i64 = START + 303 * DAY;

/// An account before it is written: rings adjust these values to plant their links.
struct Profile {
    id: String,
    person: Person,
    created: i64,
    email: String,
    phone: String,
    name: String,
    country: &'static str,
    role: &'static str,
    status: &'static str,
    device: String,
    ip: String,
    card: Card,
    ua: &'static str,
}

pub struct World<'c> {
    cfg: &'c Config,
    rng: Rng,
    out: Option<Out>,
    free_ids: Vec<u32>,
    creators: Vec<String>,
    nat_ips: Vec<String>,
    wifi_ips: Vec<String>,
    serial: u64,
}

impl<'c> World<'c> {
    pub fn new(cfg: &'c Config, out: Out) -> Result<Self> {
        let ring_members = cfg.rings_per_kind * 5 * 12 + cfg.big_farm;
        if cfg.accounts < ring_members + cfg.households * 3 + 20 {
            return Err(Error::TooSmall(
                cfg.accounts,
                cfg.rings_per_kind * 5,
                cfg.households,
            ));
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
        })
    }

    fn out(&mut self) -> &mut Out {
        self.out.as_mut().expect("output is open until finish")
    }

    pub fn finish(&mut self) -> Result<RowTotals> {
        self.out.take().expect("finish is called once").finish()
    }

    fn random_time(&mut self, from: i64, to: i64) -> i64 {
        let ms = self.rng.range(from as u64, to.max(from + 1) as u64) as i64;
        ms - ms % 1000
    }

    fn card(&mut self) -> Card {
        Card {
            fingerprint: values::card_fingerprint(&mut self.rng),
            last4: format!("{:04}", self.rng.range(0, 10_000)),
            brand: self.rng.one_of(CARD_BRANDS),
            country: values::country(&mut self.rng),
        }
    }

    fn profile(&mut self, created: i64, role: &'static str) -> Profile {
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

    fn write_account(&mut self, p: &Profile) -> Result<()> {
        let a = Account {
            id: &p.id,
            created_ms: p.created,
            email: &p.email,
            phone: &p.phone,
            display_name: &p.name,
            country: p.country,
            role: p.role,
            status: p.status,
        };
        self.out().account(&a)
    }

    /// The sign-up event plus `logins` later logins, each from `ip_for`/`device_for`'s choice.
    fn activity(&mut self, p: &Profile, logins: u64, window: i64, noise: f64) -> Result<()> {
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

    fn maybe_placeholder(&mut self, device: &str, p: f64) -> String {
        if self.rng.chance(p) {
            self.rng.one_of(PLACEHOLDER_DEVICES).to_string()
        } else {
            device.to_string()
        }
    }

    fn pay(
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
    fn popular_creator(&mut self) -> String {
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
            rings.push(self.self_funding(i)?);
            rings.push(self.ban_evasion(i)?);
            rings.push(self.chargeback_crew(i)?);
            rings.push(self.chain(i)?);
        }
        if cfg.big_farm > 0 {
            rings.push(self.device_farm_of(cfg.rings_per_kind, Some(cfg.big_farm))?);
        }
        let mut benign = vec![];
        for i in 0..cfg.households {
            benign.push(self.household(i)?);
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

    fn group(
        &self,
        kind: &str,
        i: usize,
        members: &[Profile],
        creators_paid: Vec<String>,
        note: String,
    ) -> Group {
        Group {
            id: format!("{kind}-{i}"),
            kind: kind.into(),
            members: members.iter().map(|m| m.id.clone()).collect(),
            creators_paid,
            note,
        }
    }

    /// Dozens of fans created within hours on a few devices behind proxies, each with its own stolen card.
    fn device_farm(&mut self, i: usize) -> Result<Group> {
        self.device_farm_of(i, None)
    }

    /// `size: None` draws 8–12 accounts, at the same point of the random stream as always (fixtures depend on it).
    fn device_farm_of(&mut self, i: usize, size: Option<usize>) -> Result<Group> {
        let base = self.random_time(START, END - 30 * DAY);
        // An oversized farm spreads over more devices: 500 accounts on 3 phones would make each phone a hub.
        let device_count = match size {
            Some(n) => (n as u64 / 8).max(2),
            None => self.rng.range(2, 5),
        };
        let devices: Vec<String> = (0..device_count)
            .map(|_| values::device_id(&mut self.rng))
            .collect();
        let proxies: Vec<String> = (0..self.rng.range(1, 4))
            .map(|_| values::proxy_ip(&mut self.rng))
            .collect();
        let targets: Vec<String> = (0..self.rng.range(1, 3))
            .map(|_| self.popular_creator())
            .collect();
        let mut fans = vec![];
        let size = size.unwrap_or_else(|| self.rng.range(8, 13) as usize);
        for k in 0..size {
            let created = self.random_time(base, base + 6 * HOUR);
            let mut p = self.profile(created, "fan");
            p.device = devices[k % devices.len()].clone();
            p.ip = self.rng.pick(&proxies).clone();
            p.phone.clear();
            self.write_account(&p)?;
            self.out()
                .login(&p.id, created, "signup", &p.ip, &p.device, p.ua)?;
            // The farm's phones are shared: each account is worked from whichever device is free.
            for _ in 0..self.rng.range(3, 7) {
                let ts = self.random_time(created + HOUR, created + 7 * DAY);
                let device = self.rng.pick(&devices).clone();
                let ip = if self.rng.chance(0.2) {
                    self.rng.pick(&self.nat_ips).clone()
                } else {
                    self.rng.pick(&proxies).clone()
                };
                self.out().login(&p.id, ts, "login", &ip, &device, p.ua)?;
            }
            for _ in 0..self.rng.range(2, 7) {
                let creator = self.rng.pick(&targets).clone();
                let ts = self.random_time(created + HOUR, created + 10 * DAY);
                self.pay(&p, &p.card, &creator, ts, 0.3, 0.3)?;
            }
            fans.push(p);
        }
        let note = format!(
            "{} fans on {} shared devices behind {} proxy IP(s), created within 6 hours",
            fans.len(),
            devices.len(),
            proxies.len()
        );
        Ok(self.group("device_farm", i, &fans, targets, note))
    }

    /// A creator's fake fans pay the creator with the creator's own cards, signing up on the creator's device.
    fn self_funding(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START + 40 * DAY, END - 30 * DAY);
        let mut creator = self.profile(base - 30 * DAY, "creator");
        creator.phone = values::phone(&mut self.rng);
        self.write_account(&creator)?;
        self.activity(&creator, 6, 60 * DAY, 0.0)?;
        let cards: Vec<Card> = (0..self.rng.range(1, 3)).map(|_| self.card()).collect();
        let mut members = vec![];
        for k in 0..self.rng.range(5, 11) as usize {
            let created = self.random_time(base, base + 5 * DAY);
            let p = self.profile(created, "fan");
            self.write_account(&p)?;
            // Sign-up on the creator's device, later logins on the fan's "own" device.
            self.out().login(
                &p.id,
                created,
                "signup",
                &creator.ip,
                &creator.device,
                creator.ua,
            )?;
            for _ in 0..self.rng.range(1, 4) {
                let ts = self.random_time(created + HOUR, created + 20 * DAY);
                self.out()
                    .login(&p.id, ts, "login", &p.ip, &p.device, p.ua)?;
            }
            let card = &cards[k % cards.len()];
            for _ in 0..self.rng.range(3, 8) {
                let ts = self.random_time(created + HOUR, created + 25 * DAY);
                self.pay(&p, card, &creator.id, ts, 0.02, 0.0)?;
            }
            members.push(p);
        }
        let note = format!(
            "creator {} and {} fans paying with {} of the creator's cards",
            creator.id,
            members.len(),
            cards.len()
        );
        let creator_id = creator.id.clone();
        members.insert(0, creator);
        Ok(self.group("self_funding", i, &members, vec![creator_id], note))
    }

    /// A banned account returns as new accounts on the same device or card, with a `+tag`/dotted Gmail address.
    fn ban_evasion(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START + 60 * DAY, END - 30 * DAY);
        let mut banned = self.profile(base - 60 * DAY, "fan");
        self.serial += 1;
        let local = format!(
            "{}{}{}",
            banned.person.first, banned.person.last, self.serial
        );
        banned.email = format!("{local}@gmail.com");
        banned.status = "banned";
        self.write_account(&banned)?;
        self.activity(&banned, 4, 50 * DAY, 0.0)?;
        for _ in 0..3 {
            let creator = self.popular_creator();
            let ts = self.random_time(banned.created + DAY, base - DAY);
            self.pay(&banned, &banned.card, &creator, ts, 0.1, 0.4)?;
        }
        let mut members = vec![];
        for k in 0..self.rng.range(1, 4) as usize {
            let created = self.random_time(base, base + 20 * DAY);
            let mut p = self.profile(created, "fan");
            let (head, tail) = local.split_at(k % local.len().max(1) + 1);
            p.email = match k % 3 {
                0 => format!("{local}+{}@gmail.com", self.rng.range(1, 99)),
                1 => format!("{head}.{tail}@gmail.com"),
                _ => format!("{head}.{tail}+new@googlemail.com"),
            };
            let shares_card = k % 2 == 1;
            if shares_card {
                p.card = banned.card.clone();
            } else {
                p.device = banned.device.clone();
            }
            if k == 0 && !banned.phone.is_empty() {
                p.phone = banned.phone.clone();
            }
            self.write_account(&p)?;
            self.activity(&p, 3, 30 * DAY, 0.0)?;
            for _ in 0..self.rng.range(1, 4) {
                let creator = self.popular_creator();
                let ts = self.random_time(created + HOUR, created + 30 * DAY);
                self.pay(&p, &p.card, &creator, ts, 0.1, 0.2)?;
            }
            members.push(p);
        }
        let note = format!(
            "banned account {} back as {} new account(s) on its device or card",
            banned.id,
            members.len()
        );
        members.insert(0, banned);
        Ok(self.group("ban_evasion", i, &members, vec![], note))
    }

    /// Accounts passing a few cards among themselves and disputing most payments.
    fn chargeback_crew(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 60 * DAY);
        let cards: Vec<Card> = (0..self.rng.range(2, 4)).map(|_| self.card()).collect();
        let mut members = vec![];
        let mut paid = vec![];
        for k in 0..self.rng.range(4, 8) as usize {
            let created = self.random_time(base, base + 30 * DAY);
            let p = self.profile(created, "fan");
            self.write_account(&p)?;
            self.activity(&p, 4, 40 * DAY, 0.0)?;
            for n in 0..self.rng.range(3, 8) as usize {
                let creator = self.popular_creator();
                let ts = self.random_time(created + HOUR, created + 40 * DAY);
                let card = &cards[(k + n) % cards.len()];
                self.pay(&p, card, &creator, ts, 0.05, 0.6)?;
                paid.push(creator);
            }
            members.push(p);
        }
        paid.sort();
        paid.dedup();
        let note = format!(
            "{} accounts sharing {} cards, most payments disputed",
            members.len(),
            cards.len()
        );
        Ok(self.group("chargeback_crew", i, &members, paid, note))
    }

    /// A-B share a device, B-C a card, C-D a phone, D-E an email: no single identifier covers the ring.
    fn chain(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 40 * DAY);
        let n = self.rng.range(4, 7) as usize;
        let mut members: Vec<Profile> = (0..n)
            .map(|_| {
                let created = self.random_time(base, base + 10 * DAY);
                self.profile(created, "fan")
            })
            .collect();
        for k in (2..n - 1).step_by(4) {
            if members[k].phone.is_empty() {
                members[k].phone = values::phone(&mut self.rng);
            }
        }
        for k in 0..n - 1 {
            let (a, b) = members.split_at_mut(k + 1);
            let (prev, next) = (&a[k], &mut b[0]);
            match k % 4 {
                0 => next.device = prev.device.clone(),
                1 => next.card = prev.card.clone(),
                2 => next.phone = prev.phone.clone(),
                _ => {
                    let (user, domain) = prev
                        .email
                        .split_once('@')
                        .unwrap_or((&prev.email, "gmail.com"));
                    next.email = format!("{user}+alt@{domain}");
                }
            }
        }
        let mut paid = vec![];
        for p in &members {
            self.write_account(p)?;
            self.activity(p, 3, 30 * DAY, 0.0)?;
            for _ in 0..self.rng.range(2, 5) {
                let creator = self.popular_creator();
                let ts = self.random_time(p.created + HOUR, p.created + 30 * DAY);
                self.pay(p, &p.card, &creator, ts, 0.1, 0.35)?;
                paid.push(creator);
            }
        }
        paid.sort();
        paid.dedup();
        let note = format!("{n} accounts linked pairwise by device, card, phone and email in turn");
        Ok(self.group("chain", i, &members, paid, note))
    }

    /// Two or three people at one address: a shared device and home IP, or a family card. Benign.
    fn household(&mut self, i: usize) -> Result<Group> {
        let n = self.rng.range(2, 4) as usize;
        let first_created = self.random_time(START, END - 120 * DAY);
        let mut members: Vec<Profile> = vec![];
        let share_card = self.rng.chance(0.4);
        for k in 0..n {
            let created = self.random_time(
                first_created + k as i64 * 30 * DAY,
                first_created + (k as i64 + 1) * 30 * DAY,
            );
            let mut p = self.profile(created, "fan");
            if let Some(first) = members.first() {
                p.ip = first.ip.clone();
                if share_card {
                    p.card = first.card.clone();
                } else {
                    p.device = first.device.clone();
                }
            }
            members.push(p);
        }
        for p in &members {
            self.write_account(p)?;
            let logins = self.rng.range(2, 8);
            self.activity(p, logins, 90 * DAY, 0.0)?;
            for _ in 0..self.rng.range(1, 4) {
                let creator = self.popular_creator();
                let ts = self.random_time(p.created + HOUR, p.created + 90 * DAY);
                self.pay(p, &p.card, &creator, ts, 0.03, 0.0)?;
            }
        }
        let what = if share_card {
            "a family card"
        } else {
            "a device"
        };
        Ok(self.group(
            "household",
            i,
            &members,
            vec![],
            format!("{n} accounts sharing {what} and a home IP"),
        ))
    }
}
