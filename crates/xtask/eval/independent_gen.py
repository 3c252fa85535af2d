#!/usr/bin/env python3
"""Independent synthetic case generator for an honest, held-out evaluation of Ringscope's ring list.

Written from the product description only (docs: shared/design/rings.md, export-formats.md, the README's
"Importing" section and issue 11), WITHOUT reading the detector or `crates/synth`. Standard library only.

    python3 independent_gen.py OUT_DIR --accounts N --seed S [--styles all|KIND[/STYLE],...]

Writes OUT_DIR/accounts.csv (canonical account header), OUT_DIR/payments.csv (Stripe dashboard "All payments"
layout with `account_id (metadata)` / `creator_id (metadata)`, newest first), OUT_DIR/logins.csv (canonical event
header: account_id,timestamp,event_type,ip,device_id,user_agent) and OUT_DIR/truth.json. Same seed, same bytes.

Background population (counts scale with N)
-------------------------------------------
* ~N accounts created over Jan-Oct 2026 (slight growth); ~2% creators with Pareto(1.1) popularity and their own
  price tier; fans pay 0-8 times (subscription start, monthly renewals, tips, unlocks) to 1-3 creators.
* ~5% of attempts fail (decline codes; half retried), ~1% refunded (some partial), ~0.25% disputed (friendly
  fraud etc.), ~0.6% of payments are bank debits without a card; ~15% lack `Customer Email`.
* each fan: 1-3 devices (iOS IDFV upper-case UUIDs, Android ids, lower-case UUIDs, FingerprintJS-like visitor ids),
  a home IP (25% change ISP/move mid-year, 5% IPv6), mobile fans also on their carrier's NAT egress IPs (6 + N/25k
  carrier-NAT IPs, each shared by ~1k-5k accounts), occasional travel IPs.
* two collectors write the logs: collector A (RFC 3339 `Z`), collector B (RFC 3339 with the account's local UTC
  offset, device ids as `{UPPER}`/`{lower}` GUIDs or the other letter case, 5% IPv4-mapped IPv6 `::ffff:a.b.c.d`);
  ~25% of accounts have 20-60% of their rows from B, so one device shows up in several spellings.
* placeholders on ~1.5% of rows: `00000000-0000-0000-0000-000000000000`, `{00000000-0000-0000-0000-000000000000}`,
  `unknown`; empty device on ~1%, empty ip/user agent/event type on a few rows, private IPs (10/8, 192.168/16) on
  ~0.3%, 0.2% duplicated log rows, ~1.5% of accounts without a signup event.
* emails from realistic providers per country (3% odd capitalisation, a few with stray spaces); phones on ~55% of
  accounts in mixed formats: `+1 415 555 0134`, `(415) 555-0134`, `415-555-0134`, `+14155550134`, `415.555.0134`,
  GB national `020 7946 0958` / `07700 900123` or `+44 ...`, FR/AU national, other countries international.
* statuses: ~0.5% suspended, ~0.3% banned (no evasion), ~0.8% deleted (scrubbed contact fields).

Planted rings (truth.json "rings"; every parameter drawn per instance)
----------------------------------------------------------------------
Per pattern about round(N/2200) instances (>= 1), dealt over the pattern's styles round-robin; ~55 rings at 20k.
* device_farm/pinned: 6-30 fan accounts signed up within 1-6 h behind 2-4 proxy IPs, each pinned to ONE of 2-4
  phones (same budget model/UA); each its own stolen card (foreign issuers), paying 1-2 creators; 2-7 attempts,
  25-60% declined, 10-40% of paid disputed; 8-20% of logins from carrier NAT, some one-off IPs, 10-30% suspended.
* device_farm/hopping: as pinned but every account hops between 2..all of the farm's phones.
* big_farm/emulator: 250-400 accounts on 2-3 emulator device ids (3-8% of rows `unknown`), created within 6-48 h
  from a pool of 8-30 proxy IPs (+ NAT), paying two creators; own cards (10% reused inside the farm), 30-60%
  declined, 10-30% disputed. N < 8000: none; 20k: 1; 100k: 2-3.
* proxy_farm/burst: 8-40 accounts, a fresh device id and randomized UA each, sign-ups 1-15 min apart from 2-5
  residential-proxy IPs (30% of those IPs are also some benign fan's home IP), one creator, 20-50% declined, 5-30%
  disputed. proxy_farm/drip: the same but sign-ups in 2-4 short bursts over 2-5 days.
* self_funding/shared_device: a creator plus 4-15 fake fans created over 3-60 days on the creator's 1-2 devices
  and home IP (60-100% of their rows), paying the creator 2-10 times each with the creator's 1-3 cards; large tips,
  0-8% declined, no disputes. The creator is a member (its own device; pays another creator with a card 40%).
* self_funding/cards_only: as above but each fan has its own device; 40-70% of fan rows from the creator's home IP;
  the creator pays another creator with one of the cards in 60% of instances.
* ban_evasion/{device,card,email_variant,phone_format}: a fan (status banned, 50% with chargebacks) returns 1-30
  days after its last activity as 1-3 new accounts (star or chain) linked by the same device (possibly spelled
  differently), the same card fingerprint, a Gmail dot/+tag/case variant of the email, or the same phone written
  in another format; otherwise new identifiers; same home IP in 50%; 70% pay the old favourite creator.
* chargeback_crew/card_passing: 4-8 accounts created over 1-8 weeks passing 2-3 cards around (each account 1-3
  cards, card graph connected), own devices (30%: one pair shares a device), 2-6 creators, 3-10 payments each,
  60-90% of paid disputed 10-60 days later.
* chain/mixed_links: 4-7 accounts, consecutive pairs linked by a device, a card, a phone (other format) or an email
  variant in turn (types never repeat back to back), each identifier shared by that pair only; 1-2 creators,
  10-30% declined, 20-50% disputed.

Benign look-alikes (truth.json "benign"; a detector must not rank them as rings)
--------------------------------------------------------------------------------
* household: round(N/400); 2-3 accounts sharing a home IP and a device (50%), a card (35%) or both; different
  creators; no disputes; 20% pay with the parent's receipt email.
* family_card: max(1, N/4000); 4-6 accounts on one card and one tablet (+ own phones 60%), one home IP, different
  creators, no disputes.
* fingerprint_collision: max(1, N/12000); 150-250 background fans whose main device id is the same popular-model
  fingerprint, created across the year, own cards, home IPs and creators.
* campus_ip: max(1, N/20000); 200-500 background fans using one university IP for 30-80% of in-term rows.
* office_ip: round(N/10000); 30-120 background fans on one office IP, weekdays 9-18 local.
* carrier_nat: every carrier NAT IP (members: everyone who used it, ring accounts included).
* placeholder_device: every placeholder device value (members: everyone who has it on a row).

--styles filters planted instances: `all`, or a comma list of kinds or kind/style (e.g. `device_farm/pinned,
household`). Carrier NAT and placeholders are background and always present.
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

T0 = 1767225600          # 2026-01-01T00:00:00Z
T_END = T0 + 304 * 86400  # 2026-11-01T00:00:00Z
DAY = 86400
HOUR = 3600

PAY_HEADER = (
    "id,Description,Seller Message,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,"
    "Converted Amount Refunded,Fee,Tax,Converted Currency,Mode,Status,Statement Descriptor,Customer ID,"
    "Customer Description,Customer Email,Captured,Card ID,Card Last4,Card Brand,Card Funding,Card Exp Month,"
    "Card Exp Year,Card Name,Card Address Line1,Card Address Line2,Card Address City,Card Address State,"
    "Card Address Country,Card Address Zip,Card Issue Country,Card Fingerprint,Card CVC Status,"
    "Card AVS Zip Status,Card AVS Line1 Status,Card Tokenization Method,Disputed Amount,Dispute Status,"
    "Dispute Reason,Dispute Date (UTC),Dispute Evidence Due (UTC),Invoice ID,Payment Source Type,Destination,"
    "Transfer,Interchange Costs,Merchant Service Charge,Transfer Group,PaymentIntent ID,account_id (metadata),"
    "creator_id (metadata)"
).split(",")
ACC_HEADER = ["account_id", "created_at", "email", "phone", "display_name", "country", "role", "status"]
LOGIN_HEADER = ["account_id", "timestamp", "event_type", "ip", "device_id", "user_agent"]

PLACEHOLDERS = ["00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000000}", "unknown"]

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
LOWER36 = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"

# ----------------------------------------------------------------------------------------------------------------
# reference data

COUNTRIES = ["US", "GB", "CA", "DE", "FR", "ES", "BR", "MX", "AU"]
COUNTRY_W = [50, 12, 7, 7, 5, 4, 6, 4, 5]
TZ = {"US": [-300, -360, -420, -480], "GB": [0, 60], "CA": [-300, -480], "DE": [60, 120], "FR": [60, 120],
      "ES": [60, 120], "BR": [-180], "MX": [-360], "AU": [600, 660, 480]}
CURRENCY = {"US": ("usd", 1.0), "GB": ("gbp", 0.7), "CA": ("cad", 0.5), "DE": ("eur", 0.6), "FR": ("eur", 0.6),
            "ES": ("eur", 0.6), "BR": ("usd", 1.0), "MX": ("usd", 1.0), "AU": ("aud", 0.5)}
FX = {"usd": 1.0, "gbp": 1.27, "eur": 1.08, "cad": 0.73, "aud": 0.66}
HOME_OCTETS = {"US": [24, 47, 50, 67, 68, 69, 70, 71, 72, 73, 75, 76, 96, 97, 98, 99, 108, 173, 174],
               "GB": [2, 5, 31, 51, 62, 77, 78, 81, 86, 90], "CA": [24, 64, 65, 70, 99, 142, 184],
               "DE": [46, 77, 79, 80, 84, 87, 91, 93], "FR": [2, 37, 78, 82, 86, 88, 90, 92],
               "ES": [31, 79, 81, 83, 84, 88, 95], "BR": [177, 179, 186, 187, 189, 191, 200, 201],
               "MX": [177, 187, 189, 200, 201], "AU": [1, 14, 27, 49, 58, 101, 110, 120]}
NAT_PREFIX = {"US": ["172.56", "172.58", "107.77", "166.205", "174.205", "174.224"], "GB": ["82.132", "31.94"],
              "CA": ["70.28", "184.151"], "DE": ["80.187", "109.43"], "FR": ["37.171", "92.184"],
              "ES": ["88.29"], "BR": ["177.79", "179.240"], "MX": ["189.203"], "AU": ["1.136", "49.180"]}
DC_OCTETS = [23, 45, 64, 104, 138, 143, 146, 155, 159, 167, 185, 193, 194, 198, 207, 209, 212]

FIRST = {
    "default": ["James", "Mary", "Michael", "Jennifer", "David", "Jessica", "Chris", "Ashley", "Daniel", "Sarah",
                "Matthew", "Emily", "Joshua", "Amanda", "Andrew", "Megan", "Ryan", "Rachel", "Tyler", "Lauren",
                "Kevin", "Nicole", "Brandon", "Hannah", "Justin", "Olivia", "Jacob", "Madison", "Ethan", "Chloe",
                "Noah", "Ava", "Liam", "Sophia", "Mason", "Isabella", "Logan", "Mia", "Aiden", "Zoe", "Jordan",
                "Taylor", "Kayla", "Marcus", "Jasmine", "Andre", "Priya", "Wei", "Yuki", "Omar", "Fatima", "Kwame"],
    "GB": ["Oliver", "George", "Harry", "Jack", "Charlie", "Thomas", "Amelia", "Isla", "Poppy", "Ella", "Grace",
           "Freya", "Alfie", "Archie", "Lily", "Evie", "Callum", "Rhys", "Niamh", "Aisha"],
    "DE": ["Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Lea", "Anna", "Lena", "Marie", "Sophie", "Laura",
           "Tim", "Jan", "Katharina", "Julia", "Maximilian", "Niklas"],
    "FR": ["Lucas", "Hugo", "Louis", "Jules", "Gabriel", "Emma", "Lea", "Manon", "Camille", "Chloe", "Ines",
           "Theo", "Nathan", "Clement", "Margaux", "Juliette"],
    "ES": ["Alejandro", "Pablo", "Daniel", "Javier", "Sergio", "Lucia", "Maria", "Paula", "Laura", "Marta",
           "Carmen", "Alba", "Diego", "Adrian"],
    "BR": ["Joao", "Pedro", "Gabriel", "Lucas", "Mateus", "Ana", "Beatriz", "Larissa", "Juliana", "Camila",
           "Rafael", "Thiago", "Leticia", "Fernanda"],
    "MX": ["Jose", "Luis", "Carlos", "Juan", "Miguel", "Sofia", "Valeria", "Ximena", "Regina", "Fernanda",
           "Diego", "Emiliano", "Andrea", "Daniela"],
}
LAST = {
    "default": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
                "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
                "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young",
                "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores", "Green", "Adams", "Baker", "Nelson",
                "Carter", "Mitchell", "Patel", "Kim", "Chen", "Singh", "Okafor", "Cohen", "Murphy", "Reyes"],
    "GB": ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
           "Roberts", "Robinson", "Wright", "Walker", "Hughes", "Green", "Hall", "Khan", "Edwards", "Clarke"],
    "DE": ["Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
           "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz"],
    "FR": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Fournier"],
    "ES": ["Garcia", "Fernandez", "Gonzalez", "Rodriguez", "Lopez", "Martinez", "Sanchez", "Perez", "Gomez",
           "Martin", "Jimenez", "Ruiz", "Hernandez", "Diaz"],
    "BR": ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes",
           "Costa", "Ribeiro", "Martins", "Carvalho"],
    "MX": ["Hernandez", "Garcia", "Martinez", "Lopez", "Gonzalez", "Perez", "Rodriguez", "Sanchez", "Ramirez",
           "Cruz", "Flores", "Gomez", "Morales", "Vazquez"],
}
HANDLE_WORDS = ["sunny", "shadow", "night", "moon", "pixel", "gamer", "wolf", "fox", "lucky", "happy", "blue",
                "dark", "silent", "crazy", "sweet", "honey", "ghost", "tiger", "rose", "star", "cool", "big",
                "little", "chill", "vibe", "dream", "coffee", "music", "lover", "fan", "king", "queen"]
DOMAINS = {
    "default": [("gmail.com", 45), ("yahoo.com", 12), ("outlook.com", 10), ("hotmail.com", 8), ("icloud.com", 10),
                ("aol.com", 2), ("proton.me", 3), ("protonmail.com", 1), ("live.com", 2), ("me.com", 2),
                ("comcast.net", 2), ("msn.com", 1)],
    "GB": [("gmail.com", 40), ("hotmail.co.uk", 12), ("yahoo.co.uk", 8), ("outlook.com", 8), ("icloud.com", 8),
           ("btinternet.com", 5), ("sky.com", 3), ("live.co.uk", 3)],
    "DE": [("gmail.com", 30), ("gmx.de", 20), ("web.de", 20), ("t-online.de", 8), ("outlook.de", 5),
           ("icloud.com", 5)],
    "FR": [("gmail.com", 40), ("orange.fr", 12), ("hotmail.fr", 12), ("free.fr", 8), ("laposte.net", 5),
           ("yahoo.fr", 5)],
    "ES": [("gmail.com", 50), ("hotmail.es", 15), ("yahoo.es", 8), ("outlook.es", 8)],
    "BR": [("gmail.com", 55), ("hotmail.com", 15), ("outlook.com", 10), ("yahoo.com.br", 10), ("uol.com.br", 5),
           ("bol.com.br", 5)],
    "MX": [("gmail.com", 50), ("hotmail.com", 25), ("outlook.com", 10), ("yahoo.com.mx", 10)],
    "AU": [("gmail.com", 40), ("bigpond.com", 10), ("outlook.com", 10), ("hotmail.com", 10), ("icloud.com", 10),
           ("optusnet.com.au", 5)],
}
US_AREA = [201, 202, 206, 212, 213, 214, 215, 267, 305, 310, 312, 313, 323, 347, 404, 408, 415, 424, 469, 503,
           510, 512, 602, 614, 617, 646, 650, 702, 713, 718, 720, 773, 786, 808, 818, 832, 858, 904, 917, 949, 971]
CA_AREA = [416, 604, 514, 403, 613, 647, 778, 905, 780, 902]

IOS_VERS = ["16_7_8", "17_2_1", "17_3_1", "17_4_1", "17_5_1", "17_6_1", "18_0_1", "18_1_1", "18_2", "18_3_2"]
ANDROID_MODELS = ["SM-S918B", "SM-S911U", "SM-A546B", "SM-A155F", "Pixel 7", "Pixel 8", "Pixel 8 Pro",
                  "moto g power (2023)", "2201117TY", "CPH2451", "SM-G991U", "SM-A125F", "motorola edge 2022"]
CHROME_VERS = ["120.0.6099.144", "121.0.6167.178", "122.0.6261.119", "123.0.6312.105", "124.0.6367.82",
               "125.0.6422.113", "126.0.6478.122", "127.0.6533.103", "128.0.6613.127", "129.0.6668.100",
               "130.0.6723.92"]
FF_VERS = ["121.0", "122.0", "123.0", "124.0", "125.0", "126.0", "127.0", "128.0", "129.0", "130.0"]
APP_VERS = ["5.9.2", "5.10.0", "5.10.3", "5.11.1", "5.12.0", "5.13.4", "6.0.1", "6.1.0"]


def ua_for(platform, v, model=None, app=False):
    """A realistic user agent for a platform; v is a version index (later = newer)."""
    if platform in ("ios", "ipad"):
        iv = IOS_VERS[min(v, len(IOS_VERS) - 1)]
        if app:
            dev = "iPhone15,3" if platform == "ios" else "iPad13,18"
            return "FanPay/%s (%s; iOS %s; Scale/3.00)" % (APP_VERS[min(v, len(APP_VERS) - 1)], dev,
                                                          iv.replace("_", "."))
        major = iv.split("_")[0]
        short = ".".join(iv.split("_")[:2])
        kind = "iPhone; CPU iPhone OS" if platform == "ios" else "iPad; CPU OS"
        return ("Mozilla/5.0 (%s %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%s "
                "Mobile/15E148 Safari/604.1" % (kind, iv, short if major != "18" else major + ".0"))
    if platform == "android":
        cv = CHROME_VERS[min(v, len(CHROME_VERS) - 1)]
        aver = 12 + (v % 3) if model is None else (11 if "A12" in (model or "") else 14)
        if app:
            return "FanPay/%s (Android %d; %s)" % (APP_VERS[min(v, len(APP_VERS) - 1)], aver, model or "Pixel 8")
        if model is None or v % 4 == 0:
            return ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s.0.0.0 "
                    "Mobile Safari/537.36" % cv.split(".")[0])
        return ("Mozilla/5.0 (Linux; Android %d; %s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s "
                "Mobile Safari/537.36" % (aver, model, cv))
    if platform == "windows":
        k = v % 3
        if k == 0:
            return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s "
                    "Safari/537.36" % CHROME_VERS[min(v, len(CHROME_VERS) - 1)])
        if k == 1:
            cv = CHROME_VERS[min(v, len(CHROME_VERS) - 1)]
            return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s "
                    "Safari/537.36 Edg/%s" % (cv, cv.split(".")[0] + ".0.2478.80"))
        fv = FF_VERS[min(v, len(FF_VERS) - 1)]
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%s) Gecko/20100101 Firefox/%s" % (fv, fv)
    if platform == "mac":
        if v % 2 == 0:
            return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    "Version/17.%d Safari/605.1.15" % (v % 7))
        return ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/%s Safari/537.36" % CHROME_VERS[min(v, len(CHROME_VERS) - 1)])
    if platform == "emulator":
        return ("Mozilla/5.0 (Linux; Android 13; sdk_gphone64_x86_64 Build/TE1A.220922.012; wv) "
                "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/%s Mobile Safari/537.36"
                % CHROME_VERS[min(v, len(CHROME_VERS) - 1)])
    fv = FF_VERS[min(v, len(FF_VERS) - 1)]
    return "Mozilla/5.0 (X11; Linux x86_64; rv:%s) Gecko/20100101 Firefox/%s" % (fv, fv)


DECLINE_BENIGN = [("insufficient_funds", 40), ("generic_decline", 25), ("do_not_honor", 15), ("expired_card", 8),
                  ("incorrect_cvc", 7), ("processing_error", 3), ("card_velocity_exceeded", 2)]
DECLINE_FRAUD = [("do_not_honor", 25), ("stolen_card", 12), ("lost_card", 10), ("fraudulent", 18),
                 ("incorrect_cvc", 10), ("insufficient_funds", 8), ("generic_decline", 10),
                 ("card_velocity_exceeded", 5), ("pickup_card", 2)]
DISPUTE_BENIGN = [("fraudulent", 40), ("subscription_canceled", 25), ("product_not_received", 15),
                  ("unrecognized", 10), ("duplicate", 5), ("general", 5)]
DISPUTE_FRAUD = [("fraudulent", 80), ("unrecognized", 15), ("general", 5)]
DISPUTE_CREW = [("product_not_received", 30), ("fraudulent", 30), ("unrecognized", 15),
                ("subscription_canceled", 15), ("credit_not_processed", 10)]
DISPUTE_STATUS = [("needs_response", 20), ("under_review", 15), ("won", 20), ("lost", 40), ("warning_closed", 5)]
BRANDS = [("Visa", 50), ("MasterCard", 30), ("American Express", 10), ("Discover", 6), ("JCB", 2),
          ("Diners Club", 1), ("UnionPay", 1)]
TIPS = [1.0, 2.0, 3.0, 5.0, 5.0, 10.0, 10.0, 15.0, 20.0, 25.0, 50.0, 100.0]
TIERS = [4.99, 5.99, 7.99, 9.99, 9.99, 12.99, 14.99, 19.99, 24.99, 29.99, 49.99]
UNLOCK = [2.99, 3.99, 4.99, 7.99, 9.99, 14.99, 19.99, 29.99]


def wchoice(rng, pairs):
    tot = sum(w for _, w in pairs)
    x = rng.random() * tot
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def gmail_canon(email):
    local, _, dom = email.strip().lower().partition("@")
    local = local.split("+", 1)[0]
    if dom in ("gmail.com", "googlemail.com"):
        local = local.replace(".", "")
        dom = "gmail.com"
    return local + "@" + dom


_DAYS = {}


def _day(d):
    s = _DAYS.get(d)
    if s is None:
        s = datetime.fromtimestamp(d * DAY, timezone.utc).strftime("%Y-%m-%d")
        _DAYS[d] = s
    return s


def ts_z(t):
    d, r = divmod(t, DAY)
    h, r = divmod(r, 3600)
    m, s = divmod(r, 60)
    return "%sT%02d:%02d:%02dZ" % (_day(d), h, m, s)


def ts_space(t):
    d, r = divmod(t, DAY)
    h, r = divmod(r, 3600)
    m, s = divmod(r, 60)
    return "%s %02d:%02d:%02d" % (_day(d), h, m, s)


def ts_off(t, off):
    d, r = divmod(t + off * 60, DAY)
    h, r = divmod(r, 3600)
    m, s = divmod(r, 60)
    sign = "+" if off >= 0 else "-"
    a = abs(off)
    return "%sT%02d:%02d:%02d%s%02d:%02d" % (_day(d), h, m, s, sign, a // 60, a % 60)


def money(x):
    return "%.2f" % x


# ----------------------------------------------------------------------------------------------------------------
# model objects

class Account:
    __slots__ = ("id", "created", "email", "phone", "name", "country", "role", "status", "cus", "tz", "bshare",
                 "first", "last", "phone_obj", "dest", "tier")


class Dev:
    __slots__ = ("canon", "fmt", "upper", "platform", "ua", "ua2", "ua_t", "mobile", "group")

    def render(self, rng, b):
        """Spelling of this device id in a log row; b = row from collector B."""
        if self.fmt == "uuid":
            if not b:
                return self.canon.upper() if self.upper else self.canon
            x = rng.random()
            if x < 0.55:
                return "{" + self.canon.upper() + "}"
            if x < 0.75:
                return "{" + self.canon + "}"
            return self.canon if self.upper else self.canon.upper()
        if self.fmt == "aid":
            return self.canon.upper() if b else self.canon
        return self.canon


class Card:
    __slots__ = ("fp", "last4", "brand", "funding", "exp_m", "exp_y", "country", "name", "zip", "tok")


class Phone:
    __slots__ = ("key", "spellings", "weights")


class Profile:
    """Behaviour of a background-like account (fans, creators, households, hub recruits)."""
    __slots__ = ("acct", "devs", "dev_w", "home", "ip_switch", "carrier", "mobile_p", "hub_ip", "hub_kind",
                 "hub_p", "cards", "creators", "n_pay", "n_login", "pay_email", "special", "force_pay_to",
                 "exclude")

    def __init__(self, acct):
        self.acct = acct
        self.devs = []
        self.dev_w = []
        self.home = []
        self.ip_switch = T_END + 1
        self.carrier = None
        self.mobile_p = 0.0
        self.hub_ip = None
        self.hub_kind = None
        self.hub_p = 0.0
        self.cards = []
        self.creators = []
        self.n_pay = 0
        self.n_login = 0
        self.pay_email = None
        self.special = None
        self.force_pay_to = None
        self.exclude = None


# ----------------------------------------------------------------------------------------------------------------

class Gen:
    def __init__(self, n, seed, styles):
        self.rng = random.Random(seed)
        self.N = n
        self.seed = seed
        self.styles = styles
        self.accounts = []
        self.ids = set()
        self.email_keys = set()
        self.phone_keys = set()
        self.used_ips = set()
        self.logins = []       # (t, row)
        self.payments = []     # (t, row)
        self.card_ids = {}
        self.hub_members = {}  # ip -> set(account ids)
        self.ph_members = {p: set() for p in PLACEHOLDERS}
        self.dev_groups = {}   # group name -> set
        self.rings = []
        self.benign = []
        self.creators = []
        self.cprof = {}
        self.used_creators = set()
        self.pay_seq = 0

    # ---------------------------------------------------------------- ids and identifiers
    def rid(self, n, alphabet=ALNUM):
        return "".join(self.rng.choices(alphabet, k=n))

    def new_id(self):
        while True:
            i = "usr_" + self.rid(10, LOWER36)
            if i not in self.ids:
                self.ids.add(i)
                return i

    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) & 3] + h[17:]
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def public_ip(self, country=None, dc=False):
        rng = self.rng
        while True:
            if dc:
                a = rng.choice(DC_OCTETS)
            else:
                a = rng.choice(HOME_OCTETS[country or "US"])
            ip = "%d.%d.%d.%d" % (a, rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
            if ip not in self.used_ips:
                self.used_ips.add(ip)
                return ip

    def home_ip(self, country):
        if self.rng.random() < 0.05:
            r = self.rng
            ip = "%s:%x:%x:%x:%x:%x:%x" % (r.choice(["2600", "2601", "2a02", "2a01", "2001", "2806", "2804"]),
                                          r.randrange(1, 65536), r.randrange(65536), r.randrange(65536),
                                          r.randrange(1, 65536), r.randrange(65536), r.randrange(1, 65536))
            return ip
        return self.public_ip(country)

    def new_dev(self, platform=None, fmt=None, model=None, v=None, app=None):
        rng = self.rng
        d = Dev()
        if platform is None:
            platform = wchoice(rng, [("ios", 34), ("android", 34), ("windows", 16), ("mac", 10), ("ipad", 4),
                                     ("linux", 2)])
        d.platform = platform
        d.mobile = platform in ("ios", "android", "ipad", "emulator")
        if fmt is None:
            x = rng.random()
            if platform in ("ios", "ipad"):
                fmt = "uuid" if x < 0.65 else "fp"
            elif platform in ("android", "emulator"):
                fmt = "aid" if x < 0.4 else ("uuid" if x < 0.8 else "fp")
            else:
                fmt = "fp" if x < 0.6 else "uuid"
        d.fmt = fmt
        d.upper = platform in ("ios", "ipad")
        if fmt == "uuid":
            d.canon = self.uuid()
        elif fmt == "aid":
            d.canon = "%016x" % rng.getrandbits(64)
        else:
            d.canon = self.rid(20)
        if v is None:
            v = rng.randrange(0, 7)
        if app is None:
            app = d.mobile and rng.random() < 0.45
        if model is None and platform == "android":
            model = rng.choice(ANDROID_MODELS)
        d.ua = ua_for(platform, v, model, app)
        if rng.random() < 0.35:
            d.ua2 = ua_for(platform, v + 1 + rng.randrange(2), model, app)
            d.ua_t = T0 + rng.randrange(304 * DAY)
        else:
            d.ua2 = None
            d.ua_t = T_END + 1
        d.group = None
        return d

    def new_card(self, country, holder=None, stolen=False):
        rng = self.rng
        c = Card()
        c.fp = self.rid(16)
        c.brand = wchoice(rng, BRANDS)
        if c.brand == "Discover" and country not in ("US", "CA"):
            c.brand = "Visa"
        c.last4 = "%04d" % rng.randrange(10000)
        c.funding = wchoice(rng, [("credit", 55), ("debit", 38), ("prepaid", 5), ("unknown", 2)])
        if stolen and rng.random() < 0.15:
            c.funding = "prepaid"
        c.exp_m = rng.randint(1, 12)
        c.exp_y = rng.randint(2026, 2031)
        c.country = country
        c.name = holder if (holder and rng.random() < 0.45) else ""
        c.zip = ("%05d" % rng.randrange(1000, 99999)) if (country == "US" and rng.random() < 0.3) else ""
        c.tok = ""
        return c

    def person(self, country):
        rng = self.rng
        key = country if country in FIRST else "default"
        first = rng.choice(FIRST[key] if rng.random() < 0.8 else FIRST["default"])
        last = rng.choice(LAST[key] if rng.random() < 0.8 else LAST["default"])
        return first, last

    def make_email(self, first, last, country, throwaway=False, domain=None):
        rng = self.rng
        doms = DOMAINS.get(country, DOMAINS["default"])
        for attempt in range(50):
            f, l = first.lower(), last.lower()
            if throwaway:
                x = rng.random()
                if x < 0.4:
                    local = "%s%s%d" % (f, l[:rng.randint(1, len(l))], rng.randint(1, 9999))
                elif x < 0.7:
                    local = "%s.%s%d" % (rng.choice(HANDLE_WORDS), rng.choice(HANDLE_WORDS), rng.randint(1, 999))
                else:
                    local = self.rid(rng.randint(7, 11), LOWER36)
                    if local[0].isdigit():
                        local = f[0] + local
            else:
                x = rng.random()
                if x < 0.25:
                    local = "%s.%s" % (f, l)
                elif x < 0.4:
                    local = "%s%s" % (f, l)
                elif x < 0.5:
                    local = "%s_%s" % (f, l)
                elif x < 0.6:
                    local = "%s%s" % (f[0], l)
                elif x < 0.75:
                    local = "%s.%s%d" % (f, l, rng.randint(1, 99))
                elif x < 0.85:
                    local = "%s%d" % (f, rng.randint(1970, 2008))
                else:
                    local = "%s%s%d" % (rng.choice(HANDLE_WORDS), f, rng.randint(1, 999))
            if attempt > 3:
                local += str(rng.randint(10, 9999))
            dom = domain or wchoice(rng, doms)
            email = local + "@" + dom
            k = gmail_canon(email)
            if k not in self.email_keys:
                self.email_keys.add(k)
                return email
        raise RuntimeError("email space exhausted")

    def email_variant(self, email):
        """Same mailbox for Gmail-style canonicalization: dots, +tag, capitalisation."""
        rng = self.rng
        local, _, dom = email.partition("@")
        base = local.split("+", 1)[0]
        opts = []
        if dom == "gmail.com":
            plain = base.replace(".", "")
            if len(plain) > 3:
                i = rng.randrange(1, len(plain) - 1)
                opts.append(plain[:i] + "." + plain[i:])
            opts.append(plain)
        opts.append(base + "+" + rng.choice(["fans", "new", "sub", "2", "backup", "x", "alt", "vip"]))
        opts.append(base[:1].upper() + base[1:] + ("+%d" % rng.randint(1, 99)))
        for o in opts[:]:
            if o == local:
                opts.remove(o)
        v = rng.choice(opts) if opts else base + "+alt"
        return v + "@" + dom

    def make_phone(self, country):
        rng = self.rng
        for _ in range(50):
            p = Phone()
            if country in ("US", "CA") or country not in NAT_PREFIX:
                a = rng.choice(US_AREA if country != "CA" else CA_AREA)
                e = rng.randint(200, 999)
                while e == 555 or e % 100 == 11:
                    e = rng.randint(200, 999)
                l = rng.randrange(10000)
                p.key = "+1%d%d%04d" % (a, e, l)
                p.spellings = ["+1 %d %d %04d" % (a, e, l), "(%d) %d-%04d" % (a, e, l), "%d-%d-%04d" % (a, e, l),
                               "+1%d%d%04d" % (a, e, l), "%d.%d.%04d" % (a, e, l), "1 (%d) %d-%04d" % (a, e, l),
                               "+1 (%d) %d-%04d" % (a, e, l)]
                p.weights = [20, 25, 20, 20, 5, 3, 7]
            elif country == "GB":
                if rng.random() < 0.4:
                    n1, n2 = rng.randint(7000, 8999), rng.randrange(10000)
                    p.key = "+4420%d%04d" % (n1, n2)
                    p.spellings = ["020 %d %04d" % (n1, n2), "+44 20 %d %04d" % (n1, n2),
                                   "+4420%d%04d" % (n1, n2), "(020) %d %04d" % (n1, n2)]
                else:
                    n1, n2 = rng.randint(700, 799), rng.randrange(1000000)
                    p.key = "+447%d%06d" % (n1, n2)
                    p.spellings = ["07%d %06d" % (n1, n2), "+44 7%d %06d" % (n1, n2), "+447%d%06d" % (n1, n2),
                                   "07%d%06d" % (n1, n2)]
                p.weights = [50, 25, 20, 5]
            elif country == "DE":
                n = rng.randrange(10 ** 7, 10 ** 8)
                pre = rng.choice(["151", "152", "160", "170", "176", "30", "89"])
                p.key = "+49%s%d" % (pre, n)
                p.spellings = ["+49 %s %d" % (pre, n), "+49%s%d" % (pre, n), "0%s %d" % (pre, n)]
                p.weights = [50, 35, 15]
            elif country == "FR":
                d = [rng.randrange(100) for _ in range(4)]
                m = rng.choice([6, 7])
                p.key = "+33%d%02d%02d%02d%02d" % (m, *d)
                p.spellings = ["+33 %d %02d %02d %02d %02d" % (m, *d), "0%d %02d %02d %02d %02d" % (m, *d),
                               "+33%d%02d%02d%02d%02d" % (m, *d)]
                p.weights = [40, 40, 20]
            elif country == "ES":
                n = rng.randrange(10 ** 7, 10 ** 8)
                p.key = "+346%d" % n
                s = "6%d" % n
                p.spellings = ["+34 %s %s %s" % (s[:3], s[3:6], s[6:]), "+34%s" % s]
                p.weights = [60, 40]
            elif country == "BR":
                a, b = rng.randrange(1000, 10000), rng.randrange(10000)
                ddd = rng.choice([11, 21, 31, 41, 51, 61, 71, 81])
                p.key = "+55%d9%d%04d" % (ddd, a, b)
                p.spellings = ["+55 %d 9%d-%04d" % (ddd, a, b), "+55%d9%d%04d" % (ddd, a, b),
                               "+55 (%d) 9%d-%04d" % (ddd, a, b)]
                p.weights = [50, 30, 20]
            elif country == "MX":
                a, b = rng.randrange(1000, 10000), rng.randrange(10000)
                p.key = "+5255%d%04d" % (a, b)
                p.spellings = ["+52 55 %d %04d" % (a, b), "+5255%d%04d" % (a, b)]
                p.weights = [60, 40]
            else:  # AU
                a, b, c = rng.randrange(10, 100), rng.randrange(100, 1000), rng.randrange(100, 1000)
                p.key = "+614%d%d%d" % (a, b, c)
                p.spellings = ["+61 4%d %d %d" % (a, b, c), "04%d %d %d" % (a, b, c), "+614%d%d%d" % (a, b, c)]
                p.weights = [50, 30, 20]
            if p.key not in self.phone_keys:
                self.phone_keys.add(p.key)
                return p
        raise RuntimeError("phone space exhausted")

    def spell_phone(self, p, avoid=None):
        opts = [(s, w) for s, w in zip(p.spellings, p.weights) if s != avoid]
        return wchoice(self.rng, opts)

    def new_account(self, created, country=None, role="fan", status="active", phone_p=0.55, throwaway=False,
                    email=None, phone=None, bshare=None, first=None, last=None, handle_p=0.35):
        rng = self.rng
        a = Account()
        a.id = self.new_id()
        a.created = int(created)
        a.country = country or wchoice(rng, list(zip(COUNTRIES, COUNTRY_W)))
        a.role = role
        a.status = status
        if first is None:
            first, last = self.person(a.country)
        a.first, a.last = first, last
        a.email = email if email is not None else self.make_email(first, last, a.country, throwaway)
        if phone is not None:
            a.phone_obj = phone
            a.phone = self.spell_phone(phone)
        elif rng.random() < phone_p:
            a.phone_obj = self.make_phone(a.country)
            a.phone = self.spell_phone(a.phone_obj)
        else:
            a.phone_obj = None
            a.phone = ""
        if rng.random() < handle_p:
            a.name = "%s_%s%d" % (first.lower(), rng.choice(HANDLE_WORDS), rng.randint(1, 999))
        else:
            a.name = "%s %s" % (first, last) if rng.random() < 0.7 else "%s %s." % (first, last[0])
        a.cus = "cus_" + self.rid(14)
        a.tz = rng.choice(TZ[a.country])
        if bshare is None:
            bshare = rng.uniform(0.2, 0.6) if rng.random() < 0.25 else 0.0
        a.bshare = bshare
        a.dest = None
        a.tier = None
        self.accounts.append(a)
        return a

    # ---------------------------------------------------------------- rows
    def ev(self, a, t, etype, ip, dev, ph_p=0.015):
        """One log row for account a at epoch t."""
        rng = self.rng
        if t >= T_END:
            return
        b = a.bshare > 0 and rng.random() < a.bshare
        x = rng.random()
        if dev is None:
            ds, ua = "", ""
        else:
            ua = dev.ua if t < dev.ua_t else dev.ua2
            if x < ph_p:
                if b:
                    ds = PLACEHOLDERS[1]
                else:
                    ds = PLACEHOLDERS[0] if rng.random() < 0.5 else PLACEHOLDERS[2]
                self.ph_members[ds].add(a.id)
            elif x < ph_p + 0.01:
                ds = ""
            else:
                ds = dev.render(rng, b)
                if dev.group is not None:
                    dev.group.add(a.id)
        y = rng.random()
        if y < 0.003:
            ip = ""
        elif y < 0.006:
            ip = "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)) \
                if y < 0.0045 else "192.168.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
        else:
            hm = self.hub_members.get(ip)
            if hm is not None:
                hm.add(a.id)
            if b and y > 0.95 and ":" not in ip and ip:
                ip = "::ffff:" + ip
        if y > 0.99:
            ua = ""
        if etype and 0.5 < y < 0.505:
            etype = ""
        row = [a.id, ts_off(t, a.tz) if b else ts_z(t), etype, ip, ds, ua]
        self.logins.append((t, row))
        if y < 0.002:
            self.logins.append((t, row))

    def card_id(self, a, card):
        k = (a.cus, card.fp)
        c = self.card_ids.get(k)
        if c is None:
            c = "card_" + self.rid(24)
            self.card_ids[k] = c
        return c

    def pay(self, a, creator, t, amount, card, status="Paid", decline=None, dispute=None, refund=0.0,
            desc=None, cust_email=None, kind="sub"):
        rng = self.rng
        if t >= T_END:
            return
        self.pay_seq += 1
        suffix = self.rid(21)
        pid = "ch_3" + suffix
        cur, p = CURRENCY.get(a.country, ("usd", 1.0))
        if cur != "usd" and rng.random() > p:
            cur = "usd"
        rate = FX[cur]
        conv = round(amount * rate, 2)
        paid = status != "Failed"
        fee = round(conv * 0.029 + 0.30, 2) if paid else 0.0
        if desc is None:
            if kind == "sub":
                desc = "Subscription creation" if rng.random() < 0.5 else "Subscription update"
            elif kind == "tip":
                desc = "Tip"
            elif kind == "unlock":
                desc = "Unlocked post"
            else:
                desc = ""
        if status == "Failed":
            if decline == "fraudulent":
                msg = "Stripe blocked this payment as too risky."
            elif decline == "generic_decline":
                msg = "The bank did not return any further details with this decline."
            else:
                msg = "The bank returned the decline code `%s`." % decline
        else:
            msg = "Payment complete."
        if cust_email is None:
            x = rng.random()
            cust_email = "" if x < 0.15 else a.email.strip()
        refunded = 0.0
        if status == "Refunded":
            refunded = amount
        elif refund:
            refunded = refund
        dis_amt = dis_status = dis_reason = dis_date = dis_due = ""
        if dispute is not None and paid:
            reason, dstat, td = dispute
            dis_amt = money(amount)
            dis_status = dstat
            dis_reason = reason
            dis_date = ts_space(td)
            dis_due = ts_space(td + rng.randint(7, 21) * DAY) if dstat in ("needs_response", "under_review") \
                else ""
        inv = ("in_1" + self.rid(23)) if kind == "sub" and paid else ""
        if card is None:   # bank debit, no card fields
            row = [pid, desc, msg, ts_space(t), money(amount), money(refunded), cur, money(conv),
                   money(round(refunded * rate, 2)), money(fee), "0.00", "usd", "Live", status, "FANPAY MEMBERSHIP",
                   a.cus, "", cust_email, "true" if paid else "false", "", "", "", "", "", "", "", "", "", "", "",
                   "", "", "", "", "", "", "", "", dis_amt, dis_status, dis_reason, dis_date, dis_due, inv,
                   "us_bank_account", creator.dest, "", "", "", "", "pi_3" + suffix, a.id, creator.id]
        else:
            cvc = "pass" if rng.random() < 0.9 else ("unavailable" if status != "Failed" else "fail")
            avs = "pass" if card.zip else "unavailable"
            row = [pid, desc, msg, ts_space(t), money(amount), money(refunded), cur, money(conv),
                   money(round(refunded * rate, 2)), money(fee), "0.00", "usd", "Live", status, "FANPAY MEMBERSHIP",
                   a.cus, "", cust_email, "true" if paid else "false", self.card_id(a, card), card.last4,
                   card.brand, card.funding, str(card.exp_m), str(card.exp_y), card.name, "", "", "", "",
                   card.country if card.zip else "", card.zip, card.country, card.fp, cvc, avs, "unavailable",
                   card.tok, dis_amt, dis_status, dis_reason, dis_date, dis_due, inv, "card", creator.dest, "",
                   "", "", "", "pi_3" + suffix, a.id, creator.id]
        if rng.random() < 0.003:
            row[-1] = ""   # platform charge without a payee in metadata
        self.payments.append((t, row))

    # ---------------------------------------------------------------- background
    def pick_creators(self, k, exclude=None):
        rng = self.rng
        out = []
        for _ in range(k * 6):
            c = rng.choices(self.creators, cum_weights=self.c_cw, k=1)[0]
            if c in out or (exclude and c.id in exclude):
                continue
            out.append(c)
            if len(out) == k:
                break
        return out

    def base_profile(self, a, n_pay=None):
        rng = self.rng
        p = Profile(a)
        nd = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.85 else 3)
        p.devs = [self.new_dev() for _ in range(nd)]
        p.dev_w = [0.75] + [0.25 / (nd - 1)] * (nd - 1) if nd > 1 else [1.0]
        p.home = [self.home_ip(a.country)]
        if rng.random() < 0.25:
            p.home.append(self.home_ip(a.country))
            p.ip_switch = a.created + rng.randrange(max(DAY, T_END - a.created))
        nats = self.nat_by_country.get(a.country)
        if nats and any(d.mobile for d in p.devs) and rng.random() < 0.55:
            p.carrier = [rng.choice(nats)] if rng.random() < 0.7 else rng.sample(nats, min(2, len(nats)))
            p.mobile_p = rng.uniform(0.2, 0.7)
        holder = "%s %s" % (a.first, a.last)
        nc = 1 if rng.random() < 0.85 else (2 if rng.random() < 0.87 else 3)
        p.cards = [self.new_card(a.country if rng.random() < 0.95 else rng.choice(COUNTRIES), holder)
                   for _ in range(nc)]
        for c in p.cards:
            if any(d.platform in ("ios", "ipad") for d in p.devs) and rng.random() < 0.25:
                c.tok = "apple_pay"
            elif any(d.platform == "android" for d in p.devs) and rng.random() < 0.15:
                c.tok = "google_pay"
        if n_pay is None:
            n_pay = wchoice(rng, [(0, 25), (1, 20), (2, 15), (3, 12), (4, 9), (5, 7), (6, 5), (7, 4), (8, 3)])
        p.n_pay = n_pay
        p.creators = self.pick_creators(1 if rng.random() < 0.55 else (2 if rng.random() < 0.7 else 3)) \
            if self.creators else []
        p.n_login = min(60, int(rng.expovariate(1 / 5.0)) + n_pay // 2)
        return p

    def pick_ip(self, p, t, dev):
        rng = self.rng
        if p.hub_ip is not None and rng.random() < p.hub_p:
            if p.hub_kind == "campus":
                d = (t - T0) // DAY
                if d < 135 or d >= 236:   # in term: Jan-mid May, late Aug-Oct
                    return p.hub_ip
            else:  # office: weekdays 9-18 local
                lt = t + p.acct.tz * 60
                if ((lt // DAY) + 4) % 7 < 5 and 9 <= (lt % DAY) // 3600 < 18:
                    return p.hub_ip
        if p.carrier and dev is not None and dev.mobile and rng.random() < p.mobile_p:
            return p.carrier[0] if len(p.carrier) == 1 else rng.choice(p.carrier)
        if rng.random() < 0.04:
            return self.public_ip(rng.choice(COUNTRIES))   # travel, hotel, friend's wifi
        return p.home[0] if t < p.ip_switch else p.home[-1]

    def pick_dev(self, p):
        if len(p.devs) == 1:
            return p.devs[0]
        return self.rng.choices(p.devs, weights=p.dev_w, k=1)[0]

    def emit_profile(self, p):
        rng = self.rng
        a = p.acct
        t0 = a.created
        span = max(HOUR, T_END - t0)
        if rng.random() > 0.015:
            d = p.devs[0]
            self.ev(a, t0, "signup", self.pick_ip(p, t0, d), d)
        for _ in range(p.n_login):
            t = t0 + 60 + int(span * rng.random() ** 1.4)
            d = self.pick_dev(p)
            x = rng.random()
            et = "login" if x < 0.86 else ("logout" if x < 0.95 else ("password_reset" if x < 0.98 else "2fa_verify"))
            self.ev(a, t, et, self.pick_ip(p, t, d), d)
        if not p.n_pay or not p.creators:
            return
        tier_c = p.creators
        t = t0 + int(rng.expovariate(1 / (3.0 * DAY)))
        last_c = tier_c[0]
        for i in range(p.n_pay):
            if i:
                if rng.random() < 0.6:
                    t += 30 * DAY + rng.randint(-3600, 3600)
                else:
                    t += int(rng.expovariate(1 / (12.0 * DAY))) + 600
                    last_c = rng.choice(tier_c)
            if t >= T_END:
                break
            c = last_c
            x = rng.random()
            if x < 0.7:
                amount, kind = c.tier, "sub"
            elif x < 0.85:
                amount, kind = rng.choice(TIPS), "tip"
            else:
                amount, kind = rng.choice(UNLOCK), "unlock"
            card = p.cards[0] if (len(p.cards) == 1 or rng.random() < 0.8) else rng.choice(p.cards)
            if rng.random() < 0.006:
                card = None
            if rng.random() < 0.6:
                d = self.pick_dev(p)
                tl = max(t0 + 1, t - rng.randint(30, 1200))
                self.ev(a, tl, "login", self.pick_ip(p, tl, d), d)
            self.bg_payment(a, c, t, amount, card, kind, p.pay_email, no_dispute=p.special == "benign_group")

    def bg_payment(self, a, c, t, amount, card, kind, cust_email=None, no_dispute=False):
        rng = self.rng
        x = rng.random()
        if x < 0.05:
            self.pay(a, c, t, amount, card, "Failed", wchoice(rng, DECLINE_BENIGN), kind=kind,
                     cust_email=cust_email)
            if rng.random() < 0.5:
                self.pay(a, c, t + rng.randint(600, 48 * HOUR), amount, card, kind=kind, cust_email=cust_email)
        elif x < 0.06:
            self.pay(a, c, t, amount, card, "Refunded", kind=kind, cust_email=cust_email)
        elif x < 0.0625 and not no_dispute:
            self.pay(a, c, t, amount, card, dispute=(wchoice(rng, DISPUTE_BENIGN), wchoice(rng, DISPUTE_STATUS),
                                                     t + rng.randint(5, 60) * DAY), kind=kind, cust_email=cust_email)
        elif x < 0.066:
            self.pay(a, c, t, amount, card, refund=round(amount / 2, 2), kind=kind, cust_email=cust_email)
        else:
            self.pay(a, c, t, amount, card, kind=kind, cust_email=cust_email)

    def bg_created(self):
        return T0 + int((T_END - T0 - DAY) * self.rng.random() ** 0.8)

    def bg_status(self, a):
        x = self.rng.random()
        if x < 0.005:
            a.status = "suspended"
        elif x < 0.008:
            a.status = "banned"
        elif x < 0.016:
            a.status = "deleted"
            if self.rng.random() < 0.6:
                a.email = ""
                a.phone = ""

    # ---------------------------------------------------------------- planning
    def want(self, kind, style=None):
        if "all" in self.styles:
            return True
        return kind in self.styles or (style is not None and ("%s/%s" % (kind, style)) in self.styles)

    def deal(self, kind, styles, count):
        rng = self.rng
        order = styles[:]
        rng.shuffle(order)
        out = []
        for i in range(count):
            s = order[i % len(order)]
            if self.want(kind, s):
                out.append(s)
        return out

    def beneficiary(self, small=True):
        rng = self.rng
        pool = self.small_creators if (small and rng.random() < 0.6) else self.creators
        for _ in range(200):
            c = rng.choice(pool)
            if c.id not in self.used_creators:
                self.used_creators.add(c.id)
                return c
        return rng.choice(self.creators)

    def ring_start(self, lead=10, tail=45):
        return T0 + lead * DAY + self.rng.randrange((304 - lead - tail) * DAY)

    def add_ring(self, kind, style, members, creators, note):
        self.rings.append({"id": "ring-%03d" % (len(self.rings) + 1), "kind": kind, "style": style,
                           "members": sorted(a.id for a in members),
                           "creators_paid": sorted(set(c.id for c in creators)), "note": note})

    def add_benign(self, kind, style, member_ids, creators, note):
        self.benign.append({"id": "benign-%03d" % (len(self.benign) + 1), "kind": kind, "style": style,
                            "members": sorted(member_ids), "creators_paid": sorted(set(c.id for c in creators)),
                            "note": note})

    def run(self):
        rng = self.rng
        N = self.N
        # carrier NAT IPs
        n_nat = 6 + N // 25000
        nat_c = ["US", "US", "GB", "US", "CA", "DE", "US", "FR", "AU", "BR", "GB", "MX", "ES", "US", "DE"]
        self.nat_by_country = {}
        self.nat_ips = []
        for i in range(n_nat):
            c = nat_c[i % len(nat_c)]
            ip = "%s.%d.%d" % (rng.choice(NAT_PREFIX[c]), rng.randrange(256), rng.randrange(1, 255))
            while ip in self.used_ips:
                ip = "%s.%d.%d" % (rng.choice(NAT_PREFIX[c]), rng.randrange(256), rng.randrange(1, 255))
            self.used_ips.add(ip)
            self.nat_by_country.setdefault(c, []).append(ip)
            self.nat_ips.append(ip)
            self.hub_members[ip] = set()

        # creators
        n_cr = max(5, int(round(N * 0.02)))
        weights = []
        for _ in range(n_cr):
            a = self.new_account(T0 + int((T_END - T0) * 0.8 * rng.random() ** 2), role="creator",
                                 phone_p=0.8, handle_p=0.6)
            a.dest = "acct_1" + self.rid(15)
            a.tier = rng.choice(TIERS)
            self.creators.append(a)
            weights.append(rng.paretovariate(1.1))
        cw, s = [], 0.0
        for w in weights:
            s += w
            cw.append(s)
        self.c_cw = cw
        order = sorted(range(n_cr), key=lambda i: weights[i])
        self.small_creators = [self.creators[i] for i in order[: max(1, n_cr // 2)]]
        for a in self.creators:
            p = self.base_profile(a, n_pay=wchoice(rng, [(0, 85), (1, 5), (2, 5), (4, 5)]))
            p.n_login = rng.randint(10, 60)
            p.creators = self.pick_creators(1, exclude={a.id})
            self.cprof[a.id] = p

        # planned ring / benign instances (sizes drawn first so the background fills up to N)
        per = max(1, int(round(N / 2200.0)))
        plan = []
        for s in self.deal("device_farm", ["pinned", "hopping"], per):
            plan.append(("device_farm", s, rng.randint(6, 30)))
        nb = 0 if N < 8000 else max(1, int(round(N / 40000.0 + rng.uniform(-0.5, 0.5))))
        for s in self.deal("big_farm", ["emulator"], nb):
            plan.append(("big_farm", s, rng.randint(250, 400)))
        for s in self.deal("proxy_farm", ["burst", "drip"], per):
            plan.append(("proxy_farm", s, rng.randint(8, 40)))
        for s in self.deal("self_funding", ["shared_device", "cards_only"], per):
            plan.append(("self_funding", s, rng.randint(4, 15)))
        for s in self.deal("ban_evasion", ["device", "card", "email_variant", "phone_format"], per):
            plan.append(("ban_evasion", s, rng.randint(1, 3)))
        for s in self.deal("chargeback_crew", ["card_passing"], per):
            plan.append(("chargeback_crew", s, rng.randint(4, 8)))
        for s in self.deal("chain", ["mixed_links"], per):
            plan.append(("chain", s, rng.randint(4, 7)))
        bplan = []
        if self.want("household"):
            for _ in range(int(round(N / 400.0))):
                bplan.append(("household", rng.randint(2, 3)))
        if self.want("family_card"):
            for _ in range(max(1, int(round(N / 4000.0)))):
                bplan.append(("family_card", rng.randint(4, 6)))
        planted = sum(x[2] + (1 if x[0] == "ban_evasion" else 0) for x in plan) + sum(x[1] for x in bplan)
        n_bg = max(10, N - n_cr - planted)

        # background fans
        self.bg = []
        for _ in range(n_bg):
            a = self.new_account(self.bg_created())
            self.bg_status(a)
            self.bg.append(self.base_profile(a))

        # hub recruits from the background
        free = [p for p in self.bg]
        rng.shuffle(free)
        cap = max(20, n_bg // 10)

        def take(k):
            k = min(k, cap, len(free))
            out = free[-k:]
            del free[-k:]
            return out

        if self.want("fingerprint_collision"):
            for _ in range(max(1, int(round(N / 12000.0)))):
                recruits = take(rng.randint(150, 250))
                plat = rng.choice(["ios", "android"])
                model = rng.choice(ANDROID_MODELS[:5])
                fmt = rng.choice(["fp", "uuid", "aid"] if plat == "android" else ["fp", "uuid"])
                proto = self.new_dev(plat, fmt, model)
                grp = set()
                for p in recruits:
                    d = self.new_dev(plat, fmt, model, v=rng.randrange(7))
                    d.canon = proto.canon
                    d.group = grp
                    p.devs[0] = d
                    p.dev_w[0] = max(p.dev_w[0], 0.85)
                    p.special = "collision"
                self.dev_groups[proto.canon] = (grp, recruits, plat)
        self.campus = []
        if self.want("campus_ip"):
            for _ in range(max(1, int(round(N / 20000.0)))):
                ip = self.public_ip("US")
                self.hub_members[ip] = set()
                recruits = take(rng.randint(200, 500))
                for p in recruits:
                    p.hub_ip, p.hub_kind, p.hub_p = ip, "campus", rng.uniform(0.3, 0.8)
                    p.n_login = max(p.n_login, rng.randint(3, 12))
                self.campus.append((ip, recruits))
        self.offices = []
        if self.want("office_ip"):
            for _ in range(int(round(N / 10000.0))):
                ip = self.public_ip(rng.choice(["US", "GB", "DE"]))
                self.hub_members[ip] = set()
                recruits = take(rng.randint(30, 120))
                for p in recruits:
                    p.hub_ip, p.hub_kind, p.hub_p = ip, "office", rng.uniform(0.6, 0.95)
                    p.n_login = max(p.n_login, rng.randint(6, 16))
                self.offices.append((ip, recruits))
        self.free_bg = free

        # planted rings
        for kind, style, size in plan:
            getattr(self, "plant_" + kind)(style, size)
        for kind, size in bplan:
            getattr(self, "plant_" + kind)(size)

        # emit background-like profiles
        for a in self.creators:
            self.emit_profile(self.cprof[a.id])
        for p in self.bg:
            self.emit_profile(p)

        # benign hub truth
        for canon, (grp, recruits, plat) in self.dev_groups.items():
            self.add_benign("fingerprint_collision", plat, grp, [],
                            "%d unrelated fans whose %s device id %s collides (popular model), created over months, "
                            "own cards/home IPs/creators" % (len(grp), plat, canon))
        for ip, recruits in self.campus:
            self.add_benign("campus_ip", "university", self.hub_members[ip], [],
                            "%d accounts used university IP %s in term time over months" %
                            (len(self.hub_members[ip]), ip))
        for ip, recruits in self.offices:
            self.add_benign("office_ip", "office", self.hub_members[ip], [],
                            "%d accounts used office IP %s on weekdays" % (len(self.hub_members[ip]), ip))
        for ip in self.nat_ips:
            self.add_benign("carrier_nat", "mobile", self.hub_members[ip], [],
                            "carrier-grade NAT egress %s shared by %d accounts" % (ip, len(self.hub_members[ip])))
        for ph in PLACEHOLDERS:
            self.add_benign("placeholder_device", "placeholder", self.ph_members[ph], [],
                            "placeholder device id %r on %d accounts" % (ph, len(self.ph_members[ph])))

    # ---------------------------------------------------------------- ring helpers
    def fraud_attempts(self, a, pick, creators, cards, t_lo, t_hi, n, decline_p, dispute_p, reasons=DISPUTE_FRAUD,
                       amounts=None, ph_p=0.015):
        """n payment attempts between t_lo and t_hi; each preceded by a login from pick(t) -> (ip, dev)."""
        rng = self.rng
        amounts = amounts or [4.99, 9.99, 9.99, 14.99, 19.99, 24.99, 49.99, 50.0, 100.0]
        for _ in range(n):
            t = t_lo + rng.randrange(max(60, t_hi - t_lo))
            ip, dev = pick(t)
            self.ev(a, max(a.created + 1, t - rng.randint(20, 600)), "login", ip, dev, ph_p)
            c = rng.choice(creators)
            card = rng.choice(cards)
            amount = rng.choice(amounts)
            kind = "tip" if amount in (50.0, 100.0, 25.0, 200.0, 150.0) else "sub"
            if rng.random() < decline_p:
                self.pay(a, c, t, amount, card, "Failed", wchoice(rng, DECLINE_FRAUD), kind=kind)
            elif rng.random() < dispute_p:
                self.pay(a, c, t, amount, card, kind=kind,
                         dispute=(wchoice(rng, reasons), wchoice(rng, DISPUTE_STATUS),
                                  t + rng.randint(10, 60) * DAY))
            else:
                self.pay(a, c, t, amount, card, kind=kind)

    def ring_country(self):
        return "US" if self.rng.random() < 0.6 else self.rng.choice(COUNTRIES)

    # ---------------------------------------------------------------- patterns
    def plant_device_farm(self, style, size):
        rng = self.rng
        n_dev = rng.randint(2, 4)
        n_proxy = rng.randint(2, 4)
        window = rng.uniform(1, 6) * HOUR
        t_start = self.ring_start()
        model = rng.choice(["SM-A125F", "SM-A155F", "moto g power (2023)", "2201117TY", "CPH2451"])
        plat = "android" if rng.random() < 0.8 else "ios"
        fmt = rng.choice(["aid", "uuid", "fp"]) if plat == "android" else "uuid"
        v = rng.randrange(7)
        app = rng.random() < 0.5
        phones = [self.new_dev(plat, fmt, model, v=v, app=app) for _ in range(n_dev)]
        for d in phones[1:]:
            d.ua, d.ua2, d.ua_t = phones[0].ua, None, T_END + 1
        phones[0].ua2, phones[0].ua_t = None, T_END + 1
        proxies = [self.proxy_ip() for _ in range(n_proxy)]
        creators = [self.beneficiary() for _ in range(rng.randint(1, 2))]
        nat_p = rng.uniform(0.08, 0.2)
        decline = rng.uniform(0.25, 0.6)
        dispute = rng.uniform(0.1, 0.4)
        susp = rng.uniform(0.1, 0.3)
        country = self.ring_country()
        bshare = rng.uniform(0.1, 0.5) if rng.random() < 0.5 else 0.0
        times = sorted(t_start + int(rng.random() * window) for _ in range(size))
        members = []
        assign = [i % n_dev for i in range(size)]
        rng.shuffle(assign)
        nats = self.nat_by_country.get(country) or self.nat_ips
        for i, tc in enumerate(times):
            a = self.new_account(tc, country=country, throwaway=rng.random() < 0.7, phone_p=0.25, bshare=bshare,
                                 status="suspended" if rng.random() < susp else "active")
            members.append(a)
            if style == "pinned":
                mydevs = [phones[assign[i]]]
            else:
                k = rng.randint(2, n_dev)
                mydevs = rng.sample(phones, k)

            def pick(t, mydevs=mydevs):
                x = rng.random()
                if x < nat_p:
                    ip = rng.choice(nats)
                elif x < nat_p + 0.05:
                    ip = self.public_ip(rng.choice(COUNTRIES))
                else:
                    ip = rng.choice(proxies)
                return ip, rng.choice(mydevs)

            ip, d = pick(tc)
            if rng.random() < 0.8:
                ip = rng.choice(proxies)
            self.ev(a, tc, "signup", ip, d)
            active = rng.uniform(1, 30) * DAY
            for _ in range(rng.randint(2, 12)):
                t = tc + 120 + rng.randrange(int(active))
                ip, d = pick(t)
                self.ev(a, t, "login", ip, d)
            cards = [self.new_card(rng.choice(COUNTRIES), "%s %s" % self.person(rng.choice(COUNTRIES)),
                                   stolen=True)]
            self.fraud_attempts(a, pick, creators, cards, tc + 300, tc + int(active), rng.randint(2, 7), decline,
                                dispute)
            if rng.random() < 0.1:   # camouflage: one payment to a popular creator
                pc = self.pick_creators(1)
                if pc:
                    self.fraud_attempts(a, pick, pc, cards, tc + 300, tc + int(active), 1, decline, 0.0)
        self.add_ring("device_farm", style, members, creators,
                      "%d accounts on %d phones (%s), %s, sign-ups within %.1fh behind %d proxy IPs, own stolen "
                      "cards, %d creator(s), decline %.0f%%, dispute %.0f%%, NAT logins %.0f%%" %
                      (size, n_dev, fmt, "one phone each" if style == "pinned" else "hopping", window / HOUR,
                       n_proxy, len(creators), decline * 100, dispute * 100, nat_p * 100))

    def proxy_ip(self):
        """A residential proxy exit; 30% of the time it is also some benign fan's home IP."""
        rng = self.rng
        if rng.random() < 0.3 and self.free_bg:
            p = rng.choice(self.free_bg)
            if ":" not in p.home[0]:
                return p.home[0]
        return self.public_ip("US" if rng.random() < 0.7 else rng.choice(COUNTRIES), dc=rng.random() < 0.2)

    def plant_big_farm(self, style, size):
        rng = self.rng
        n_dev = rng.randint(2, 3)
        window = rng.uniform(6, 48) * HOUR
        t_start = self.ring_start()
        v = rng.randrange(7)
        devs = [self.new_dev("emulator", rng.choice(["aid", "uuid"]), v=v, app=rng.random() < 0.5)
                for _ in range(n_dev)]
        proxies = [self.proxy_ip() for _ in range(rng.randint(8, 30))]
        creators = [self.beneficiary(), self.beneficiary()]
        decline = rng.uniform(0.3, 0.6)
        dispute = rng.uniform(0.1, 0.3)
        ph = rng.uniform(0.03, 0.08)
        nat_p = rng.uniform(0.05, 0.15)
        country = self.ring_country()
        nats = self.nat_by_country.get(country) or self.nat_ips
        members, cards_all = [], []
        for _ in range(size):
            tc = t_start + int(rng.random() * window)
            a = self.new_account(tc, country=country, throwaway=True, phone_p=0.1,
                                 bshare=0.3 if rng.random() < 0.3 else 0.0,
                                 status="suspended" if rng.random() < 0.15 else "active")
            members.append(a)
            d0 = rng.choice(devs)

            def pick(t, d0=d0):
                x = rng.random()
                ip = rng.choice(nats) if x < nat_p else rng.choice(proxies)
                return ip, (d0 if rng.random() < 0.9 else rng.choice(devs))

            self.ev(a, tc, "signup", rng.choice(proxies), d0, ph)
            active = rng.uniform(1, 20) * DAY
            for _ in range(rng.randint(1, 6)):
                t = tc + 60 + rng.randrange(int(active))
                ip, d = pick(t)
                self.ev(a, t, "login", ip, d, ph)
            if cards_all and rng.random() < 0.1:
                cards = [rng.choice(cards_all)]
            else:
                cards = [self.new_card(rng.choice(COUNTRIES), "%s %s" % self.person("US"), stolen=True)]
                cards_all.append(cards[0])
            self.fraud_attempts(a, pick, creators, cards, tc + 120, tc + int(active), rng.randint(1, 4), decline,
                                dispute, ph_p=ph)
        self.add_ring("big_farm", style, members, creators,
                      "%d emulator accounts on %d device ids, created within %.0fh from %d proxy IPs, paying 2 "
                      "creators, decline %.0f%%, dispute %.0f%%, placeholder rows %.0f%%" %
                      (size, n_dev, window / HOUR, len(proxies), decline * 100, dispute * 100, ph * 100))

    def plant_proxy_farm(self, style, size):
        rng = self.rng
        proxies = [self.proxy_ip() for _ in range(rng.randint(2, 5))]
        creator = self.beneficiary()
        decline = rng.uniform(0.2, 0.5)
        dispute = rng.uniform(0.05, 0.3)
        gap = rng.uniform(1, 15) * 60
        t = self.ring_start()
        n_bursts = 1 if style == "burst" else rng.randint(2, 4)
        span_days = rng.uniform(2, 5)
        starts = [t] + sorted(t + int(rng.uniform(0.1, 1.0) * span_days * DAY) for _ in range(n_bursts - 1))
        chunk = -(-size // n_bursts)
        country = self.ring_country()
        members = []
        for i in range(size):
            if i % chunk == 0:
                t = max(t, starts[i // chunk])
            t += int(rng.expovariate(1 / gap)) + 30
            a = self.new_account(t, country=country, throwaway=rng.random() < 0.6, phone_p=0.2,
                                 bshare=0.0 if rng.random() < 0.7 else 0.4)
            members.append(a)
            plat = rng.choice(["windows", "mac", "android", "ios"])
            dev = self.new_dev(plat, v=rng.randrange(9))
            dev.ua2, dev.ua_t = None, T_END + 1

            def pick(tt, dev=dev):
                x = rng.random()
                if x < 0.85:
                    return rng.choice(proxies), dev
                return self.public_ip(country), dev

            self.ev(a, t, "signup", rng.choice(proxies), dev)
            active = rng.uniform(1, 14) * DAY
            for _ in range(rng.randint(1, 5)):
                tt = t + 60 + rng.randrange(int(active))
                ip, d = pick(tt)
                self.ev(a, tt, "login", ip, d)
            cards = [self.new_card(rng.choice(COUNTRIES), "%s %s" % self.person(rng.choice(COUNTRIES)),
                                   stolen=True)]
            self.fraud_attempts(a, pick, [creator], cards, t + 120, t + int(active), rng.randint(1, 5), decline,
                                dispute)
        self.add_ring("proxy_farm", style, members, [creator],
                      "%d accounts, fresh device each, sign-ups ~%.0f min apart in %d burst(s) from %d "
                      "residential-proxy IPs, one creator, decline %.0f%%, dispute %.0f%%" %
                      (size, gap / 60, n_bursts, len(proxies), decline * 100, dispute * 100))

    def plant_self_funding(self, style, size):
        rng = self.rng
        creator = self.beneficiary()
        cp = self.cprof[creator.id]
        n_cards = rng.randint(1, 3)
        holder = "%s %s" % (creator.first, creator.last)
        cards = [self.new_card(creator.country, holder) for _ in range(n_cards)]
        for c in cards:
            c.name = holder if rng.random() < 0.6 else ""
        cdevs = cp.devs[: rng.randint(1, min(2, len(cp.devs)))]
        home = cp.home[0]
        cp.ip_switch = T_END + 1
        creator_pays = rng.random() < (0.4 if style == "shared_device" else 0.6)
        if creator_pays:
            cp.cards = [cards[0]]
            cp.n_pay = max(cp.n_pay, rng.randint(1, 4))
            if not cp.creators:
                cp.creators = self.pick_creators(1, exclude={creator.id})
        t0 = max(creator.created + DAY, self.ring_start(tail=60))
        spread = rng.uniform(3, 60) * DAY
        share = rng.uniform(0.6, 1.0) if style == "shared_device" else rng.uniform(0.4, 0.7)
        decline = rng.uniform(0.0, 0.08)
        members = [creator]
        for _ in range(size):
            tc = min(T_END - 3 * DAY, t0 + int(rng.random() * spread))
            a = self.new_account(tc, country=creator.country if rng.random() < 0.8 else None,
                                 throwaway=rng.random() < 0.5, phone_p=0.2, bshare=creator.bshare)
            members.append(a)
            own = self.new_dev()
            nats = self.nat_by_country.get(a.country) or self.nat_ips

            def pick(t, own=own):
                if style == "shared_device":
                    d = rng.choice(cdevs) if rng.random() < share else own
                    ip = home if rng.random() < 0.85 else (rng.choice(nats) if d.mobile else
                                                            self.public_ip(creator.country))
                else:
                    d = own
                    ip = home if rng.random() < share else (rng.choice(nats) if rng.random() < 0.5 else
                                                            self.public_ip(creator.country))
                return ip, d

            ip, d = pick(tc)
            self.ev(a, tc, "signup", ip, d)
            for _ in range(rng.randint(2, 15)):
                t = tc + 300 + rng.randrange(max(DAY, T_END - tc - 300))
                ip, d = pick(t)
                self.ev(a, t, "login", ip, d)
            hi = min(T_END - HOUR, tc + int(rng.uniform(30, 180) * DAY))
            self.fraud_attempts(a, pick, [creator], cards, tc + 600, hi, rng.randint(2, 10), decline, 0.0,
                                amounts=[9.99, 19.99, 25.0, 50.0, 50.0, 100.0, 100.0, 150.0, 200.0])
        self.add_ring("self_funding", style, members, [creator],
                      "creator %s plus %d fake fans created over %.0f days paying it with the creator's %d card(s)"
                      "%s; %s" % (creator.id, size, spread / DAY, n_cards,
                                  " on the creator's %d device(s)" % len(cdevs) if style == "shared_device" else
                                  ", own devices, creator's home IP on %.0f%% of rows" % (share * 100),
                                  "creator also pays another creator with one card" if creator_pays else
                                  "creator itself never uses the cards"))

    def plant_ban_evasion(self, style, n_new):
        rng = self.rng
        country = self.ring_country()
        t_c = T0 + rng.randrange(150 * DAY)
        first, last = self.person(country)
        dom = "gmail.com" if (style == "email_variant" and rng.random() < 0.8) else None
        orig = self.new_account(t_c, country=country, status="banned", first=first, last=last,
                                phone_p=1.0 if style == "phone_format" else 0.5,
                                email=self.make_email(first, last, country, domain=dom) if dom else None)
        op = self.base_profile(orig, n_pay=0)
        op.creators = op.creators or self.pick_creators(1)
        fav = op.creators[0] if op.creators else self.beneficiary()
        active = rng.uniform(10, 90) * DAY
        t_ban = t_c + int(active)
        chargebacks = rng.random() < 0.5
        self.ev(orig, t_c, "signup", self.pick_ip(op, t_c, op.devs[0]), op.devs[0])
        for _ in range(rng.randint(2, 10)):
            t = t_c + rng.randrange(int(active))
            d = self.pick_dev(op)
            self.ev(orig, t, "login", self.pick_ip(op, t, d), d)

        def opick(t):
            d = self.pick_dev(op)
            return self.pick_ip(op, t, d), d

        self.fraud_attempts(orig, opick, [fav], op.cards[:1], t_c + HOUR, t_ban, rng.randint(1, 6),
                            0.1, 0.6 if chargebacks else 0.0, reasons=DISPUTE_CREW)
        members = [orig]
        prev = orig
        prev_p = op
        same_home = rng.random() < 0.5
        t = t_ban
        for _ in range(n_new):
            t += rng.randint(1, 30) * DAY
            t = min(t, T_END - 5 * DAY)
            src, src_p = (orig, op) if rng.random() < 0.5 else (prev, prev_p)
            kw = {}
            if style == "email_variant":
                kw["email"] = self.email_variant(src.email)
            if style == "phone_format":
                if src.phone_obj is None:
                    src.phone_obj = self.make_phone(src.country)
                    src.phone = self.spell_phone(src.phone_obj)
                ph = src.phone_obj
                kw["phone"] = ph
            a = self.new_account(t, country=country, **kw)
            if style == "phone_format":
                a.phone = self.spell_phone(ph, avoid=src.phone)
            p = self.base_profile(a, n_pay=0)
            if style == "device":
                p.devs = [src_p.devs[0]] + p.devs[1:]
                p.dev_w = [0.8] + [0.2 / max(1, len(p.devs) - 1)] * (len(p.devs) - 1) if len(p.devs) > 1 else [1.0]
            if style == "card":
                p.cards = [src_p.cards[0]]
            if same_home:
                p.home = [op.home[0]]
                p.ip_switch = T_END + 1
            creators = [fav] if rng.random() < 0.7 else []
            creators += self.pick_creators(1, exclude={fav.id})

            def pick(tt, p=p):
                d = self.pick_dev(p)
                return self.pick_ip(p, tt, d), d

            ip, d = pick(t)
            self.ev(a, t, "signup", ip, p.devs[0])
            for _ in range(rng.randint(2, 10)):
                tt = t + 60 + rng.randrange(max(DAY, T_END - t - 60))
                ip, d = pick(tt)
                self.ev(a, tt, "login", ip, d)
            self.fraud_attempts(a, pick, creators, p.cards[:1], t + HOUR, min(T_END - 60, t + 60 * DAY),
                                rng.randint(1, 6), 0.08, 0.3 if chargebacks else 0.0, reasons=DISPUTE_CREW)
            members.append(a)
            prev, prev_p = a, p
        self.add_ring("ban_evasion", style, members, [fav],
                      "banned %s (%s) back as %d new account(s) linked by %s%s" %
                      (orig.id, "chargebacks" if chargebacks else "ToS", n_new,
                       {"device": "the same device", "card": "the same card fingerprint",
                        "email_variant": "an email variant (dots/+tag/case)",
                        "phone_format": "the same phone in another format"}[style],
                       ", same home IP" if same_home else ""))

    def plant_chargeback_crew(self, style, size):
        rng = self.rng
        k = rng.randint(2, 3)
        country = self.ring_country()
        cards = [self.new_card(country, "%s %s" % self.person(country)) for _ in range(k)]
        use = []
        for i in range(size):
            s = {i % k, (i + 1) % k} if rng.random() < 0.7 else {i % k}
            if rng.random() < 0.2:
                s.add(rng.randrange(k))
            use.append(s)
        # make the account-card graph connected
        for i in range(1, size):
            seen = set().union(*use[:i])
            if not (use[i] & seen):
                use[i].add(rng.choice(sorted(seen)))
        creators = self.pick_creators(rng.randint(2, 6))
        t0 = self.ring_start(tail=70)
        spread = rng.uniform(7, 56) * DAY
        disp = rng.uniform(0.6, 0.9)
        profiles = []
        members = []
        for i in range(size):
            a = self.new_account(t0 + int(rng.random() * spread), country=country, phone_p=0.5)
            p = self.base_profile(a, n_pay=0)
            p.cards = [cards[j] for j in sorted(use[i])]
            profiles.append(p)
            members.append(a)
        if rng.random() < 0.3:
            i, j = rng.sample(range(size), 2)
            profiles[j].devs = [profiles[i].devs[0]] + profiles[j].devs
            profiles[j].dev_w = [0.5] + [0.5 / (len(profiles[j].devs) - 1)] * (len(profiles[j].devs) - 1)
        if rng.random() < 0.4:
            i, j = rng.sample(range(size), 2)
            profiles[j].home = [profiles[i].home[0]]
            profiles[j].ip_switch = T_END + 1
        for p in profiles:
            a = p.acct

            def pick(t, p=p):
                d = self.pick_dev(p)
                return self.pick_ip(p, t, d), d

            ip, d = pick(a.created)
            self.ev(a, a.created, "signup", ip, p.devs[0])
            for _ in range(rng.randint(2, 10)):
                t = a.created + 60 + rng.randrange(max(DAY, T_END - a.created - 60))
                ip, d = pick(t)
                self.ev(a, t, "login", ip, d)
            self.fraud_attempts(a, pick, creators, p.cards, a.created + HOUR,
                                min(T_END - HOUR, a.created + int(rng.uniform(20, 90) * DAY)), rng.randint(3, 10),
                                0.08, disp, reasons=DISPUTE_CREW,
                                amounts=[9.99, 14.99, 19.99, 24.99, 29.99, 49.99, 99.99])
        self.add_ring("chargeback_crew", style, members, creators,
                      "%d accounts passing %d cards, %d creators, %.0f%% of paid disputed, created over %.0f days" %
                      (size, k, len(creators), disp * 100, spread / DAY))

    def plant_chain(self, style, size):
        rng = self.rng
        types = ["device", "card", "phone", "email"]
        links = []
        order = types[:]
        rng.shuffle(order)
        while len(links) < size - 1:
            cand = [x for x in order if not links or x != links[-1]]
            nxt = cand[0]
            order.remove(nxt)
            order.append(nxt)
            links.append(nxt)
        country = self.ring_country()
        creators = [self.beneficiary() for _ in range(rng.randint(1, 2))]
        t0 = self.ring_start(tail=70)
        spread = rng.uniform(14, 70) * DAY
        decline = rng.uniform(0.1, 0.3)
        disp = rng.uniform(0.2, 0.5)
        accts, profiles = [], []
        for i in range(size):
            left = links[i - 1] if i > 0 else None
            kw = {}
            if left == "email":
                kw["email"] = self.email_variant(accts[i - 1].email)
            if left == "phone":
                kw["phone"] = accts[i - 1].phone_obj
            a = self.new_account(t0 + int(rng.random() * spread), country=country, phone_p=0.6, **kw)
            if left == "phone":
                a.phone = self.spell_phone(a.phone_obj, avoid=accts[i - 1].phone)
            right = links[i] if i < size - 1 else None
            if right == "email" and "gmail.com" not in a.email and rng.random() < 0.7:
                self.email_keys.discard(gmail_canon(a.email))
                a.email = self.make_email(a.first, a.last, country, domain="gmail.com")
            if right == "phone" and a.phone_obj is None:
                a.phone_obj = self.make_phone(country)
                a.phone = self.spell_phone(a.phone_obj)
            p = self.base_profile(a, n_pay=0)
            p.devs = p.devs[:1]
            p.dev_w = [1.0]
            p.cards = p.cards[:1]
            if left == "device":
                p.devs.append(profiles[i - 1].devs[0])
                p.dev_w = [0.6, 0.4]
            if left == "card":
                p.cards.append(profiles[i - 1].cards[0])
            accts.append(a)
            profiles.append(p)
        for i, p in enumerate(profiles):
            a = p.acct

            def pick(t, p=p):
                d = self.pick_dev(p)
                return self.pick_ip(p, t, d), d

            self.ev(a, a.created, "signup", pick(a.created)[0], p.devs[0])
            for d in p.devs:   # every device of the chain is really used
                t = a.created + rng.randrange(DAY, 20 * DAY)
                self.ev(a, t, "login", self.pick_ip(p, t, d), d)
            for _ in range(rng.randint(1, 8)):
                t = a.created + 60 + rng.randrange(max(DAY, T_END - a.created - 60))
                ip, d = pick(t)
                self.ev(a, t, "login", ip, d)
            hi = min(T_END - HOUR, a.created + int(rng.uniform(20, 90) * DAY))
            for c in p.cards:   # every card of the chain is really used
                self.fraud_attempts(a, pick, creators, [c], a.created + HOUR, hi, 1, 0.0, disp)
            self.fraud_attempts(a, pick, creators, p.cards, a.created + HOUR, hi, rng.randint(0, 5), decline, disp)
        self.add_ring("chain", style, accts, creators,
                      "%d accounts linked pairwise by %s; no identifier covers more than two accounts" %
                      (size, " -> ".join(links)))

    # ---------------------------------------------------------------- benign groups
    def plant_household(self, size):
        rng = self.rng
        country = wchoice(rng, list(zip(COUNTRIES, COUNTRY_W)))
        last = self.person(country)[1]
        x = rng.random()
        share = "device" if x < 0.5 else ("card" if x < 0.85 else "device+card")
        t0 = self.bg_created()
        home = self.home_ip(country)
        shared_dev = self.new_dev(rng.choice(["ipad", "windows", "mac", "android"]))
        card = self.new_card(country, "%s %s" % (self.person(country)[0], last))
        used = set()
        members, profiles = [], []
        for i in range(size):
            tc = t0 if i == 0 else (t0 + rng.randint(0, 7) * DAY if rng.random() < 0.3 else self.bg_created())
            a = self.new_account(tc, country=country, last=last, first=self.person(country)[0])
            p = self.base_profile(a)
            p.home = [home]
            p.ip_switch = T_END + 1
            if "device" in share:
                p.devs = [shared_dev] + p.devs[:1]
                p.dev_w = [0.6, 0.4]
            if "card" in share:
                p.cards = [card]
                p.n_pay = max(1, p.n_pay)
            p.creators = self.pick_creators(rng.randint(1, 2), exclude=used) or p.creators
            used.update(c.id for c in p.creators)
            p.special = "benign_group"
            if i > 0 and "card" in share and rng.random() < 0.2 and members[0].email:
                p.pay_email = members[0].email
            members.append(a)
            profiles.append(p)
        if "device" in share:
            p0 = profiles[0]
            p0.devs = [shared_dev]
            p0.dev_w = [1.0]
        self.bg.extend(profiles)
        self.add_benign("household", share, [a.id for a in members], [],
                        "%d accounts of one household sharing %s and home IP %s, different creators, no disputes" %
                        (size, share, home))

    def plant_family_card(self, size):
        rng = self.rng
        country = wchoice(rng, list(zip(COUNTRIES, COUNTRY_W)))
        last = self.person(country)[1]
        home = self.home_ip(country)
        tablet = self.new_dev(rng.choice(["ipad", "android"]))
        card = self.new_card(country, "%s %s" % (self.person(country)[0], last))
        used = set()
        members = []
        for i in range(size):
            a = self.new_account(self.bg_created(), country=country, last=last, first=self.person(country)[0])
            p = self.base_profile(a)
            p.home = [home]
            p.ip_switch = T_END + 1
            if rng.random() < 0.6:
                p.devs = [tablet, p.devs[0]]
                p.dev_w = [0.5, 0.5]
            else:
                p.devs = [tablet]
                p.dev_w = [1.0]
            p.cards = [card]
            p.n_pay = max(1, p.n_pay)
            p.creators = self.pick_creators(rng.randint(1, 2), exclude=used) or p.creators
            used.update(c.id for c in p.creators)
            p.special = "benign_group"
            members.append(a)
            self.bg.append(p)
        self.add_benign("family_card", "card+tablet", [a.id for a in members], [],
                        "%d family accounts on one card and one tablet at home IP %s, different creators" %
                        (size, home))

    # ---------------------------------------------------------------- output
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        accs = sorted(self.accounts, key=lambda a: (a.created, a.id))
        with open(os.path.join(out, "accounts.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(ACC_HEADER)
            rng = self.rng
            for a in accs:
                email = a.email
                x = rng.random()
                if email and x < 0.03:
                    local, _, dom = email.partition("@")
                    email = local[:1].upper() + local[1:] + "@" + (dom.capitalize() if x < 0.01 else dom)
                elif email and x < 0.035:
                    email = " " + email if x < 0.0325 else email + " "
                country = a.country if rng.random() > 0.02 else ""
                w.writerow([a.id, ts_z(a.created), email, a.phone, a.name if rng.random() > 0.02 else "", country,
                            a.role, a.status])
        self.payments.sort(key=lambda x: x[0], reverse=True)
        with open(os.path.join(out, "payments.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(PAY_HEADER)
            w.writerows(r for _, r in self.payments)
        self.logins.sort(key=lambda x: x[0])
        with open(os.path.join(out, "logins.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(LOGIN_HEADER)
            w.writerows(r for _, r in self.logins)
        truth = {
            "seed": self.seed, "generator": "independent", "accounts_requested": self.N,
            "rings": self.rings, "benign": self.benign,
            "hub_ips": sorted(self.nat_ips + [ip for ip, _ in self.campus] + [ip for ip, _ in self.offices]),
            "placeholder_devices": PLACEHOLDERS,
            "rows": {"accounts": len(self.accounts), "payments": len(self.payments), "logins": len(self.logins)},
        }
        with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=1)
            f.write("\n")
        return truth


KNOWN = {"device_farm": ["pinned", "hopping"], "big_farm": ["emulator"], "proxy_farm": ["burst", "drip"],
         "self_funding": ["shared_device", "cards_only"],
         "ban_evasion": ["device", "card", "email_variant", "phone_format"], "chargeback_crew": ["card_passing"],
         "chain": ["mixed_links"], "household": [], "family_card": [], "fingerprint_collision": [], "campus_ip": [],
         "office_ip": []}


def check(out):
    """Re-read the written files: exact headers, row counts as in truth.json, unique ids, members exist."""
    problems = []
    truth = json.load(open(os.path.join(out, "truth.json"), encoding="utf-8"))
    counts = {}
    for name, header in (("accounts", ACC_HEADER), ("payments", PAY_HEADER), ("logins", LOGIN_HEADER)):
        with open(os.path.join(out, name + ".csv"), newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            h = next(r)
            if h != header:
                problems.append("%s.csv header differs" % name)
            n = 0
            ids = set() if name != "logins" else None
            for row in r:
                n += 1
                if len(row) != len(header):
                    problems.append("%s.csv row %d has %d fields" % (name, n + 1, len(row)))
                if ids is not None:
                    if row[0] in ids:
                        problems.append("%s.csv duplicate id %s" % (name, row[0]))
                    ids.add(row[0])
            counts[name] = n
            if name == "accounts":
                acc_ids = ids
        if truth["rows"][name] != counts[name]:
            problems.append("%s: truth says %d rows, file has %d" % (name, truth["rows"][name], counts[name]))
    seen = set()
    for g in truth["rings"] + truth["benign"]:
        for m in g["members"] + g["creators_paid"]:
            if m not in acc_ids:
                problems.append("%s: %s not in accounts.csv" % (g["id"], m))
        if g in truth["rings"]:
            dup = seen & set(g["members"])
            if dup:
                problems.append("%s shares members with another ring: %s" % (g["id"], sorted(dup)[:3]))
            seen |= set(g["members"])
    for p in problems[:50]:
        print("CHECK:", p, file=sys.stderr)
    print("check %s: %s (%s)" % (out, "ok" if not problems else "%d problem(s)" % len(problems),
                                 ", ".join("%s=%d" % kv for kv in sorted(counts.items()))), file=sys.stderr)
    return not problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--styles", default="all",
                    help="all, or comma list of kinds / kind/style (e.g. device_farm/pinned,household)")
    ap.add_argument("--check", action="store_true", help="re-read the output and validate it")
    args = ap.parse_args(argv)
    styles = set(s.strip() for s in args.styles.split(",") if s.strip())
    for s in styles:
        k, _, st = s.partition("/")
        if s != "all" and (k not in KNOWN or (st and st not in KNOWN[k])):
            ap.error("unknown style %r; known: all, %s" % (s, ", ".join(
                k + ("/{%s}" % ",".join(v) if v else "") for k, v in KNOWN.items())))
    t = time.time()
    g = Gen(args.accounts, args.seed, styles)
    g.run()
    truth = g.write(args.out_dir)
    r = truth["rows"]
    by = {}
    for ring in truth["rings"]:
        k = "%s/%s" % (ring["kind"], ring["style"])
        by[k] = by.get(k, 0) + 1
    print("wrote %s: %d accounts, %d payments, %d logins; %d rings (%s); %d benign groups; %.1fs" %
          (args.out_dir, r["accounts"], r["payments"], r["logins"], len(truth["rings"]),
           ", ".join("%s=%d" % kv for kv in sorted(by.items())), len(truth["benign"]), time.time() - t),
          file=sys.stderr)
    if args.check and not check(args.out_dir):
        sys.exit(1)


if __name__ == "__main__":
    main()
