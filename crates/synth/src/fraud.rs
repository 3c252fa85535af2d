//! The planted fraud rings, each pattern in several styles with randomized parameters (sizes, device and proxy
//! counts, time windows, decline and dispute rates), so a detector cannot pass by fitting one idea of a ring.
//! Every style is documented on its function and listed in `fixtures/sample/ANSWER.md`.

use crate::Group;
use crate::Result;
use crate::groups::{DAY, END, HOUR, Profile, START, World};
use crate::out::Card;
use crate::values;

/// How a farm account chooses its phone: any of the farm's (`hopping`) or always its own (`pinned`).
pub const DEVICE_FARM_STYLES: [&str; 2] = ["hopping", "pinned"];
pub const SELF_FUNDING_STYLES: [&str; 2] = ["shared_device", "cards_only"];
pub const BAN_EVASION_STYLES: [&str; 4] = ["device", "card", "email_variant", "phone_format"];

impl World<'_> {
    /// Picks instance `i`'s style: every style comes up as instances accumulate, in a seed-dependent order.
    fn style(&mut self, styles: &'static [&'static str], i: usize) -> &'static str {
        styles[(i + self.style_offset) % styles.len()]
    }

    /// A device farm. `hopping`: 8–12 fans created within 6 hours, each worked from whichever of the farm's 2–4
    /// phones is free. `pinned`: 6–30 fans each staying on one of 2–4 phones (no phone covers the farm), all
    /// created within 1–8 hours behind the same 2–4 proxy IPs. Both: each fan pays 1–2 target creators with its
    /// own stolen card, with many declines and disputes.
    pub fn device_farm(&mut self, i: usize) -> Result<Group> {
        match self.style(&DEVICE_FARM_STYLES, i) {
            "hopping" => self.hopping_farm(i, None),
            _ => self.pinned_farm(i),
        }
    }

    /// `size: None` draws 8–12 accounts; `Some(n)` is the oversized farm for the app's performance test.
    pub fn hopping_farm(&mut self, i: usize, size: Option<usize>) -> Result<Group> {
        let base = self.random_time(START, END - 30 * DAY);
        // An oversized farm spreads over more devices, so its phones stay plausible.
        let device_count = match size {
            Some(n) => (n as u64 / 8).max(2),
            None => self.rng.range(2, 5),
        };
        let devices: Vec<String> = (0..device_count)
            .map(|_| values::device_id(&mut self.rng))
            .collect();
        let proxies = self.proxies(1, 4);
        let targets = self.targets(1, 3);
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
            for _ in 0..self.rng.range(3, 7) {
                let ts = self.random_time(created + HOUR, created + 7 * DAY);
                let device = self.rng.pick(&devices).clone();
                let ip = self.farm_login_ip(&proxies);
                self.out().login(&p.id, ts, "login", &ip, &device, p.ua)?;
            }
            self.farm_payments(&p, &targets, 0.3, 0.3)?;
            fans.push(p);
        }
        let note = format!(
            "{} fans hopping between {} devices behind {} proxy IP(s), created within 6 hours",
            fans.len(),
            devices.len(),
            proxies.len()
        );
        Ok(self.group("device_farm", "hopping", i, &fans, targets, note))
    }

    fn pinned_farm(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 30 * DAY);
        let window = self.rng.range(1, 9) as i64 * HOUR;
        let devices: Vec<String> = (0..self.rng.range(2, 5))
            .map(|_| values::device_id(&mut self.rng))
            .collect();
        let proxies = self.proxies(2, 5);
        let targets = self.targets(1, 3);
        let (declines, disputes) = (
            self.rng.range(15, 45) as f64 / 100.0,
            self.rng.range(10, 40) as f64 / 100.0,
        );
        let mut fans = vec![];
        for k in 0..self.rng.range(6, 31) as usize {
            let created = self.random_time(base, base + window);
            let mut p = self.profile(created, "fan");
            p.device = devices[k % devices.len()].clone();
            p.ip = self.rng.pick(&proxies).clone();
            self.write_account(&p)?;
            self.out()
                .login(&p.id, created, "signup", &p.ip, &p.device, p.ua)?;
            for _ in 0..self.rng.range(2, 8) {
                let ts = self.random_time(created + HOUR, created + 14 * DAY);
                let ip = self.farm_login_ip(&proxies);
                self.out().login(&p.id, ts, "login", &ip, &p.device, p.ua)?;
            }
            self.farm_payments(&p, &targets, declines, disputes)?;
            fans.push(p);
        }
        let note = format!(
            "{} fans each pinned to one of {} phones, created within {} h behind {} proxy IPs",
            fans.len(),
            devices.len(),
            window / HOUR,
            proxies.len()
        );
        Ok(self.group("device_farm", "pinned", i, &fans, targets, note))
    }

    /// 250–400 emulator accounts on 2–3 device ids, created within 1–2 days through a pool of 4–10 proxies,
    /// paying two creators: by count alone its devices look like hubs.
    pub fn big_farm(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 30 * DAY);
        let window = self.rng.range(24, 49) as i64 * HOUR;
        let devices: Vec<String> = (0..self.rng.range(2, 4))
            .map(|_| values::device_id(&mut self.rng))
            .collect();
        let proxies = self.proxies(4, 11);
        let targets = self.targets(2, 3);
        let mut fans = vec![];
        for _ in 0..self.rng.range(250, 401) {
            let created = self.random_time(base, base + window);
            let mut p = self.profile(created, "fan");
            p.device = self.rng.pick(&devices).clone();
            p.ip = self.rng.pick(&proxies).clone();
            p.phone.clear();
            self.write_account(&p)?;
            self.out()
                .login(&p.id, created, "signup", &p.ip, &p.device, p.ua)?;
            for _ in 0..self.rng.range(0, 4) {
                let ts = self.random_time(created + HOUR, created + 10 * DAY);
                let ip = self.farm_login_ip(&proxies);
                self.out().login(&p.id, ts, "login", &ip, &p.device, p.ua)?;
            }
            self.farm_payments(&p, &targets, 0.25, 0.15)?;
            fans.push(p);
        }
        let note = format!(
            "{} emulator accounts on {} device ids, created within {} h, paying {} creators",
            fans.len(),
            devices.len(),
            window / HOUR,
            targets.len()
        );
        Ok(self.group("big_farm", "emulators", i, &fans, targets, note))
    }

    /// 8–25 accounts, a fresh device id each, signed up 1–20 minutes apart from 2–4 residential-proxy IPs (not a
    /// datacenter range), all paying one creator; later logins rotate over the proxies.
    pub fn proxy_farm(&mut self, i: usize) -> Result<Group> {
        let mut t = self.random_time(START, END - 30 * DAY);
        let proxies: Vec<String> = (0..self.rng.range(2, 5))
            .map(|_| values::residential_ip(&mut self.rng))
            .collect();
        let target = self.targets(1, 2);
        let mut fans = vec![];
        for _ in 0..self.rng.range(8, 26) {
            t += self.rng.range(1, 21) as i64 * 60_000;
            let mut p = self.profile(t, "fan");
            p.ip = self.rng.pick(&proxies).clone();
            self.write_account(&p)?;
            self.out()
                .login(&p.id, t, "signup", &p.ip, &p.device, p.ua)?;
            for _ in 0..self.rng.range(1, 5) {
                let ts = self.random_time(t + HOUR, t + 10 * DAY);
                let ip = self.rng.pick(&proxies).clone();
                self.out().login(&p.id, ts, "login", &ip, &p.device, p.ua)?;
            }
            self.farm_payments(&p, &target, 0.2, 0.2)?;
            fans.push(p);
        }
        let note = format!(
            "{} accounts with a fresh device each, signed up minutes apart from {} proxy IPs",
            fans.len(),
            proxies.len()
        );
        Ok(self.group("proxy_farm", "residential_proxies", i, &fans, target, note))
    }

    /// A creator's fake fans (5–10) pay the creator with 1–2 of the creator's cards. `shared_device`: they sign up
    /// on the creator's device and IP; `cards_only`: each on its own device and IP, bound by the cards alone.
    pub fn self_funding(&mut self, i: usize) -> Result<Group> {
        let style = self.style(&SELF_FUNDING_STYLES, i);
        let base = self.random_time(START + 40 * DAY, END - 30 * DAY);
        let mut creator = self.profile(base - 30 * DAY, "creator");
        creator.phone = values::phone(&mut self.rng);
        self.write_account(&creator)?;
        self.activity(&creator, 6, 60 * DAY, 0.0)?;
        let cards: Vec<Card> = (0..self.rng.range(1, 3)).map(|_| self.card()).collect();
        let spread = self.rng.range(2, 15) as i64 * DAY;
        let mut members = vec![];
        for k in 0..self.rng.range(5, 11) as usize {
            let created = self.random_time(base, base + spread);
            let p = self.profile(created, "fan");
            self.write_account(&p)?;
            let (ip, device, ua) = if style == "shared_device" {
                (&creator.ip, &creator.device, creator.ua)
            } else {
                (&p.ip, &p.device, p.ua)
            };
            self.out().login(&p.id, created, "signup", ip, device, ua)?;
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
            "creator {} and {} fans paying with {} of the creator's cards ({style})",
            creator.id,
            members.len(),
            cards.len()
        );
        let creator_id = creator.id.clone();
        members.insert(0, creator);
        Ok(self.group("self_funding", style, i, &members, vec![creator_id], note))
    }

    /// A banned account back as 1–3 new accounts, bound to it by one thing per style: its `device` (written by a
    /// second collector in upper case with braces), its `card`, a Gmail `email_variant` (`+tag`, dots,
    /// googlemail.com), or its phone in another `phone_format`.
    pub fn ban_evasion(&mut self, i: usize) -> Result<Group> {
        let style = self.style(&BAN_EVASION_STYLES, i);
        let base = self.random_time(START + 60 * DAY, END - 30 * DAY);
        let mut banned = self.profile(base - 60 * DAY, "fan");
        self.serial += 1;
        let local = format!(
            "{}{}{}",
            banned.person.first, banned.person.last, self.serial
        );
        banned.email = format!("{local}@gmail.com");
        banned.status = "banned";
        let (area, exchange, line) = (
            self.rng.pick(&["415", "212", "646", "305"]).to_string(),
            self.rng.range(201, 999),
            self.rng.range(1000, 9999),
        );
        banned.phone = format!("+1{area}{exchange}{line}");
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
            match style {
                "device" => p.device = format!("{{{}}}", banned.device.to_uppercase()),
                "card" => p.card = banned.card.clone(),
                "email_variant" => {
                    let (head, tail) = local.split_at(k % local.len().max(1) + 1);
                    p.email = match k % 3 {
                        0 => format!("{local}+{}@gmail.com", self.rng.range(1, 99)),
                        1 => format!("{head}.{tail}@gmail.com"),
                        _ => format!("{head}.{tail}+new@googlemail.com"),
                    };
                }
                _ => {
                    p.phone = match k % 3 {
                        0 => format!("({area}) {exchange}-{line}"),
                        1 => format!("{area}-{exchange}-{line}"),
                        _ => format!("+1 {area} {exchange} {line}"),
                    }
                }
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
            "banned account {} back as {} new account(s) through its {}",
            banned.id,
            members.len(),
            style.replace('_', " ")
        );
        members.insert(0, banned);
        Ok(self.group("ban_evasion", style, i, &members, vec![], note))
    }

    /// 4–7 accounts passing 2–3 cards among themselves and disputing 40–80% of payments.
    pub fn chargeback_crew(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 60 * DAY);
        let cards: Vec<Card> = (0..self.rng.range(2, 4)).map(|_| self.card()).collect();
        let disputes = self.rng.range(40, 81) as f64 / 100.0;
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
                self.pay(&p, card, &creator, ts, 0.05, disputes)?;
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
        Ok(self.group("chargeback_crew", "card_rotation", i, &members, paid, note))
    }

    /// A-B share a device, B-C a card, C-D a phone, D-E an email, ... (4–7 accounts): no identifier covers it.
    pub fn chain(&mut self, i: usize) -> Result<Group> {
        let base = self.random_time(START, END - 40 * DAY);
        let n = self.rng.range(4, 8) as usize;
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
        Ok(self.group("chain", "alternating", i, &members, paid, note))
    }

    /// Datacenter proxies of one farm; no two farms share one (the truth says they are separate operations).
    fn proxies(&mut self, lo: u64, hi: u64) -> Vec<String> {
        let n = self.rng.range(lo, hi);
        let mut out = vec![];
        while (out.len() as u64) < n {
            let ip = values::proxy_ip(&mut self.rng);
            if self.proxies_used.insert(ip.clone()) {
                out.push(ip);
            }
        }
        out
    }

    fn targets(&mut self, lo: u64, hi: u64) -> Vec<String> {
        let mut t: Vec<String> = (0..self.rng.range(lo, hi))
            .map(|_| self.popular_creator())
            .collect();
        t.dedup();
        t
    }

    /// Farm logins come through the proxies, and now and then through a carrier NAT.
    fn farm_login_ip(&mut self, proxies: &[String]) -> String {
        if self.rng.chance(0.2) {
            self.rng.pick(&self.nat_ips).clone()
        } else {
            self.rng.pick(proxies).clone()
        }
    }

    fn farm_payments(
        &mut self,
        p: &Profile,
        targets: &[String],
        declines: f64,
        disputes: f64,
    ) -> Result<()> {
        for _ in 0..self.rng.range(2, 7) {
            let creator = self.rng.pick(targets).clone();
            let ts = self.random_time(p.created + HOUR, p.created + 10 * DAY);
            self.pay(p, &p.card, &creator, ts, declines, disputes)?;
        }
        Ok(())
    }
}
