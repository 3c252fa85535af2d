//! Benign look-alikes: groups that share identifiers for innocent reasons and must rank below every fraud ring, or
//! not be reported at all. Parameters are randomized per instance.

use crate::Group;
use crate::Result;
use crate::groups::{DAY, END, HOUR, Profile, START, World};
use crate::values;

impl World<'_> {
    /// Two or three people at one address, months apart: a shared `device` and home IP, or a family `card`.
    pub fn household(&mut self, i: usize) -> Result<Group> {
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
        let (style, what) = if share_card {
            ("card", "a family card")
        } else {
            ("device", "a device")
        };
        Ok(self.group(
            "household",
            style,
            i,
            &members,
            vec![],
            format!("{n} accounts sharing {what} and a home IP"),
        ))
    }

    /// A family of 4–6 on one card and one tablet, sign-ups spread over 1–90 days, each paying its own
    /// creators, no disputes.
    pub fn family_card(&mut self, i: usize) -> Result<Group> {
        let spread = self.rng.range(1, 91) as i64 * DAY;
        let first = self.random_time(START, END - spread - 60 * DAY);
        let card = self.card();
        let tablet = values::device_id(&mut self.rng);
        let mut members = vec![];
        for _ in 0..self.rng.range(4, 7) {
            let created = self.random_time(first, first + spread);
            let mut p = self.profile(created, "fan");
            p.card = card.clone();
            self.write_account(&p)?;
            self.out()
                .login(&p.id, created, "signup", &p.ip, &tablet, p.ua)?;
            for _ in 0..self.rng.range(1, 6) {
                let ts = self.random_time(created + HOUR, END);
                let device = if self.rng.chance(0.6) {
                    &tablet
                } else {
                    &p.device
                };
                self.out().login(&p.id, ts, "login", &p.ip, device, p.ua)?;
            }
            for _ in 0..self.rng.range(1, 5) {
                let creator = self.popular_creator();
                let ts = self.random_time(created + HOUR, END);
                self.pay(&p, &p.card, &creator, ts, 0.04, 0.0)?;
            }
            members.push(p);
        }
        let note = format!(
            "a family of {} on one card and one tablet, joined over {} days",
            members.len(),
            spread / DAY
        );
        Ok(self.group("family_card", "card_and_tablet", i, &members, vec![], note))
    }

    /// 150–250 unrelated fans whose device fingerprint collides (a popular phone model), spread over the year,
    /// each with its own card, home IP and creators.
    pub fn fingerprint_collision(&mut self, i: usize) -> Result<Group> {
        let fingerprint = values::device_id(&mut self.rng);
        let mut members = vec![];
        for _ in 0..self.rng.range(150, 251) {
            let created = self.random_time(START, END - 20 * DAY);
            let mut p = self.profile(created, "fan");
            p.device = fingerprint.clone();
            self.write_account(&p)?;
            let logins = self.rng.range(1, 10);
            self.activity(&p, logins, END - created, 0.0)?;
            for _ in 0..self.rng.range(0, 6) {
                let creator = self.popular_creator();
                let ts = self.random_time(created + HOUR, END);
                self.pay(&p, &p.card, &creator, ts, 0.06, 0.003)?;
            }
            members.push(p);
        }
        let note = format!(
            "{} unrelated fans whose device fingerprint {fingerprint} collides",
            members.len()
        );
        Ok(self.group(
            "fingerprint_collision",
            "popular_model",
            i,
            &members,
            vec![],
            note,
        ))
    }

    /// 150–300 students behind one campus IP over months, each with its own device, card and creators.
    pub fn campus_ip(&mut self, i: usize) -> Result<Group> {
        let ip = format!(
            "128.{}.{}.{}",
            self.rng.range(2, 250),
            self.rng.range(0, 256),
            self.rng.range(1, 255)
        );
        let mut members = vec![];
        for _ in 0..self.rng.range(150, 301) {
            let created = self.random_time(START, END - 20 * DAY);
            let mut p = self.profile(created, "fan");
            p.ip = ip.clone();
            self.write_account(&p)?;
            let logins = self.rng.range(1, 10);
            self.activity(&p, logins, END - created, 0.02)?;
            for _ in 0..self.rng.range(0, 6) {
                let creator = self.popular_creator();
                let ts = self.random_time(created + HOUR, END);
                self.pay(&p, &p.card, &creator, ts, 0.06, 0.003)?;
            }
            members.push(p);
        }
        let note = format!("{} students behind the campus IP {ip}", members.len());
        Ok(self.group("campus_ip", "university", i, &members, vec![], note))
    }
}
