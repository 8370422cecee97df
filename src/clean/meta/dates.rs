//! Dates as pages give them: printed in the text a reader sees
//! ([`printed_dates`], "Updated Nov 13, 2019, 10:28am", "21:17 18.11.2019",
//! "sexta-feira, 22 de outubro de 2010"), found as the article's dateline
//! next to its headline ([`dateline`]), and machine-readable timestamps from
//! metadata ([`parse_stamp`]: ISO 8601 with or without an offset, RFC 2822,
//! compact `20191119`).
//!
//! Nothing is guessed: a relative date ("2 hours ago") is no date, a numeric
//! date whose day and month could be swapped keeps both readings
//! ([`Printed::alt`]) until evidence from the page decides ([`Order`]), and
//! placeholder timestamps (`0001-01-01`, the Unix epoch) are rejected.

use jiff::civil::{Date, DateTime, Time};
use regex::Regex;
use std::sync::LazyLock;

/// Month names and common abbreviations, in the languages the cleaner
/// meets most (English, German, French, Spanish, Portuguese, Italian,
/// Dutch, Indonesian, Scandinavian, Polish, Turkish, Russian — nominative
/// and genitive), mapped to the month number.
const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("janeiro", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("januari", 1),
    ("jänner", 1),
    ("stycznia", 1),
    ("styczeń", 1),
    ("ocak", 1),
    ("январь", 1),
    ("января", 1),
    ("янв", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("févr", 2),
    ("fevr", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("febr", 2),
    ("lutego", 2),
    ("luty", 2),
    ("şubat", 2),
    ("февраль", 2),
    ("февраля", 2),
    ("фев", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maret", 3),
    ("maart", 3),
    ("marca", 3),
    ("marzec", 3),
    ("mart", 3),
    ("март", 3),
    ("марта", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("kwietnia", 4),
    ("kwiecień", 4),
    ("nisan", 4),
    ("апрель", 4),
    ("апреля", 4),
    ("апр", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maio", 5),
    ("maggio", 5),
    ("mag", 5),
    ("mei", 5),
    ("maj", 5),
    ("maja", 5),
    ("mayıs", 5),
    ("май", 5),
    ("мая", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("junho", 6),
    ("giugno", 6),
    ("giu", 6),
    ("czerwca", 6),
    ("czerwiec", 6),
    ("haziran", 6),
    ("июнь", 6),
    ("июня", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("julho", 7),
    ("luglio", 7),
    ("lug", 7),
    ("lipca", 7),
    ("lipiec", 7),
    ("temmuz", 7),
    ("июль", 7),
    ("июля", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("agosto", 8),
    ("ago", 8),
    ("agustus", 8),
    ("augustus", 8),
    ("sierpnia", 8),
    ("sierpień", 8),
    ("ağustos", 8),
    ("август", 8),
    ("августа", 8),
    ("авг", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("setembro", 9),
    ("settembre", 9),
    ("set", 9),
    ("września", 9),
    ("wrzesień", 9),
    ("eylül", 9),
    ("сентябрь", 9),
    ("сентября", 9),
    ("сен", 9),
    ("сент", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("out", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("października", 10),
    ("październik", 10),
    ("ekim", 10),
    ("октябрь", 10),
    ("октября", 10),
    ("окт", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("nopember", 11),
    ("listopada", 11),
    ("listopad", 11),
    ("kasım", 11),
    ("ноябрь", 11),
    ("ноября", 11),
    ("ноя", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dezembro", 12),
    ("dicembre", 12),
    ("desember", 12),
    ("grudnia", 12),
    ("grudzień", 12),
    ("aralık", 12),
    ("декабрь", 12),
    ("декабря", 12),
    ("дек", 12),
];

fn month_number(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// Words that, written before a date, say it is the update time.
const UPDATED_WORDS: &[&str] = &[
    "updated",
    "update",
    "modified",
    "edited",
    "aktualisiert",
    "geändert",
    "actualizado",
    "actualizada",
    "atualizado",
    "atualizada",
    "actualisé",
    "mis à jour",
    "mise à jour",
    "aggiornato",
    "aggiornamento",
    "bijgewerkt",
    "diperbarui",
    "zaktualizowano",
    "güncelleme",
    "обновлено",
    "обновлен",
    "更新",
    "수정",
];

/// Words that, written before a date, say it is the publication time.
const PUBLISHED_WORDS: &[&str] = &[
    "published",
    "posted",
    "publish",
    "veröffentlicht",
    "publiziert",
    "erschienen",
    "publié",
    "publicado",
    "publicada",
    "pubblicato",
    "gepubliceerd",
    "diterbitkan",
    "dipublikasikan",
    "opublikowano",
    "yayınlanma",
    "опубликовано",
    "公開",
    "投稿",
    "入力",
    "입력",
];

/// What a printed date is, from the words written before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// "Published …", "Posted …".
    Published,
    /// "Updated …", "Modified …".
    Updated,
    /// No label.
    Plain,
}

/// Does a short line read as a dateline even without a full date: a clock
/// time with a month name or a "published"/"updated" word ("Posted Nov 19,
/// 6:51 AM", "Updated 10:05 AM ET")?
pub fn dateline_like(text: &str) -> bool {
    if !TIME.is_match(text) {
        return false;
    }
    let lower = text.to_lowercase();
    if UPDATED_WORDS
        .iter()
        .chain(PUBLISHED_WORDS)
        .any(|w| lower.contains(w))
    {
        return true;
    }
    lower
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 3 && month_number(w).is_some())
}

/// Is a short line only a day and a month, without a year ("November
/// 18", "18 Nov.", "Nov 18th")? (A date heading a list, never a headline.)
pub fn day_and_month(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=3).contains(&words.len()) {
        return false;
    }
    let (mut months, mut days) = (0, 0);
    for w in &words {
        let w = w.trim_end_matches([',', '.']);
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        if month_number(w).is_some() {
            months += 1;
        } else if !digits.is_empty()
            && digits.len() <= 2
            && digits.chars().all(|c| c.is_ascii_digit())
            && matches!(&w[digits.len()..], "" | "st" | "nd" | "rd" | "th")
        {
            days += 1;
        } else {
            return false;
        }
    }
    months == 1 && days == 1
}

/// Day/month order of a page's numeric dates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// No evidence either way.
    #[default]
    Unknown,
    /// `21/06/2014` (most of the world).
    DayFirst,
    /// `11/19/2019` (the United States).
    MonthFirst,
}

/// A date printed in a line of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Printed {
    /// The date as first read: month first for `a/b/yyyy`, day first for
    /// `a.b.yyyy`, as written otherwise.
    pub date: Date,
    /// The other reading of a numeric date whose day and month could be
    /// swapped (`05/06/2019`); `None` when the date is unambiguous.
    pub alt: Option<Date>,
    /// The time written with it, when there is one.
    pub time: Option<Time>,
    pub role: Role,
    /// Whether `date` is the month-first reading of an ambiguous date.
    month_first: bool,
}

impl Printed {
    /// The date under a page's day/month order: `None` for an ambiguous
    /// numeric date when the order is unknown.
    pub fn resolve(&self, order: Order) -> Option<Date> {
        let Some(alt) = self.alt else {
            return Some(self.date);
        };
        let (month_first, day_first) = if self.month_first {
            (self.date, alt)
        } else {
            (alt, self.date)
        };
        match order {
            Order::DayFirst => Some(day_first),
            Order::MonthFirst => Some(month_first),
            Order::Unknown => None,
        }
    }

    /// Both readings (one when unambiguous).
    pub fn readings(&self) -> impl Iterator<Item = Date> {
        std::iter::once(self.date).chain(self.alt)
    }

    /// `YYYY-MM-DDTHH:MM:SS` for the given reading (midnight without a time).
    pub fn civil(&self, date: Date) -> String {
        DateTime::from_parts(date, self.time.unwrap_or(Time::midnight()))
            .strftime("%Y-%m-%dT%H:%M:%S")
            .to_string()
    }
}

static MONTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<d1>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?(?P<m1>\p{L}{3,11})\.?,?\s+(?:de\s+)?(?P<y1>\d{4})\b
        | \b(?P<d3>\d{1,2})-(?P<m3>\p{L}{3,9})-(?P<y3>\d{4})\b
        | \b(?P<m2>\p{L}{3,11})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(?P<t2>\d{1,2}:\d{2})\s+)?(?P<y2>\d{4})\b",
    )
    .expect("valid regex")
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<y1>(?:19|20)\d{2})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?:T|\b)
        | \b(?P<y2>(?:19|20)\d{2})\s*[./年년]\s*(?P<m2>\d{1,2})\s*[./月월]\s*(?P<d2>\d{1,2})(?:\s*[日일])?
        | \b(?P<a3>\d{1,2})(?P<s3>[/.])\x20?(?P<b3>\d{1,2})[/.]\x20?(?P<y3>(?:19|20)\d{2})\b
        | \b(?P<a4>\d{1,2})/(?P<b4>\d{1,2})/(?P<y4>\d{2})\b",
    )
    .expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<p>[ap])\.?\s?m\b\.?)?",
    )
    .expect("valid regex")
});

/// Glued text from adjacent elements ("20194:29 AM", "18.11.2019Get short
/// URL", "Estes11/12/19") is split so the patterns' word boundaries hold.
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<y>(?:19|20)\d{2})(?P<t>\d{1,2}:\d{2}|\p{L})|(?P<l>\p{L})(?P<n>\d{1,2}/\d{1,2}/\d{2})",
    )
    .expect("valid regex")
});

fn unglue(text: &str) -> std::borrow::Cow<'_, str> {
    GLUED.replace_all(text, |c: &regex::Captures| {
        if let (Some(y), Some(t)) = (c.name("y"), c.name("t")) {
            format!("{} {}", y.as_str(), t.as_str())
        } else {
            format!("{} {}", &c["l"], &c["n"])
        }
    })
}

/// Can `text` hold a date at all (a four-digit run, or a slash between
/// digits for `m/d/yy`)? A cheap test before the regexes.
fn may_hold_date(text: &str) -> bool {
    let (mut run, mut prev_digit, mut slash) = (0, false, false);
    for c in text.chars() {
        if c.is_numeric() {
            run += 1;
            if run == 4 || slash {
                return true;
            }
            prev_digit = true;
        } else {
            run = 0;
            slash = c == '/' && prev_digit;
            prev_digit = false;
        }
    }
    false
}

fn valid_year(y: i16) -> bool {
    (1900..=2100).contains(&y)
}

/// Whether a day is what an empty or default time becomes rather than a
/// date a page was published on — the one test of placeholders, for
/// printed dates and machine timestamps alike: a year outside 1900–2100
/// (`0001-01-01`, and `0000-12-31`, what it becomes west of UTC),
/// `1900-01-01` (the "no date" of spreadsheets and some CMSs), and the
/// Unix epoch on either side of midnight, as a zone east of UTC writes it
/// (`1970-01-01T05:30:00+05:30`) or one west of it
/// (`1969-12-31T19:00:00-05:00`, "December 31, 1969" printed by a CMS
/// whose time was empty). Whatever the offset, the wall-clock day is one
/// of these.
pub fn is_placeholder(d: Date) -> bool {
    !valid_year(d.year())
        || d == Date::constant(1900, 1, 1)
        || d == Date::constant(1969, 12, 31)
        || d == Date::constant(1970, 1, 1)
}

fn date(y: i16, m: i8, d: i8) -> Option<Date> {
    if !valid_year(y) {
        return None;
    }
    Date::new(y, m, d).ok().filter(|d| !is_placeholder(*d))
}

/// Whole calendar days between two dates, either way round.
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from((a - b).get_days()).abs()
}

/// Whether two calendar days are the same or next to each other: the one
/// moment read on two clocks (a UTC time near midnight against the page's
/// own zone) lands on days at most this far apart. The one test every
/// "do these dates agree" check of the cleaner and the sidecar uses.
pub fn within_a_day(a: Date, b: Date) -> bool {
    days_between(a, b) <= 1
}

/// The calendar day of a `YYYY-MM-DD…` string (a cleaned `date`, a civil
/// or RFC 3339 time).
pub fn day_of(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

fn num<T: std::str::FromStr>(c: &regex::Captures, name: &str) -> Option<T> {
    c.name(name)?.as_str().parse().ok()
}

/// A date match: byte span in the (unglued) text and its readings.
struct Span {
    start: usize,
    end: usize,
    date: Date,
    alt: Option<Date>,
    month_first: bool,
    /// A time written inside the date ("November 20 15:23 2019").
    time: Option<Time>,
}

fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for c in MONTH_DATE.captures_iter(text) {
        let (d, m, y) = if c.name("d1").is_some() {
            ("d1", "m1", "y1")
        } else if c.name("d3").is_some() {
            ("d3", "m3", "y3")
        } else {
            ("d2", "m2", "y2")
        };
        let Some(month) = c.name(m).and_then(|m| month_number(m.as_str())) else {
            continue;
        };
        if let (Some(d), Some(y)) = (num::<i8>(&c, d), num::<i16>(&c, y))
            && let Some(date) = date(y, month, d)
        {
            let m0 = c.get(0).expect("match");
            let time = c
                .name("t2")
                .and_then(|t| TIME.captures(t.as_str()))
                .and_then(|t| time_in(&t));
            out.push(Span {
                start: m0.start(),
                end: m0.end(),
                date,
                alt: None,
                month_first: false,
                time,
            });
        }
    }
    for c in NUMERIC.captures_iter(text) {
        let m0 = c.get(0).expect("match");
        let found = if c.name("y1").is_some() {
            date(
                num(&c, "y1").unwrap_or(0),
                num(&c, "m1").unwrap_or(0),
                num(&c, "d1").unwrap_or(0),
            )
            .map(|d| (d, None, false))
        } else if c.name("y2").is_some() {
            date(
                num(&c, "y2").unwrap_or(0),
                num(&c, "m2").unwrap_or(0),
                num(&c, "d2").unwrap_or(0),
            )
            .map(|d| (d, None, false))
        } else {
            let (a, b, y, dotted) = if c.name("y3").is_some() {
                (
                    num::<i8>(&c, "a3").unwrap_or(0),
                    num::<i8>(&c, "b3").unwrap_or(0),
                    num::<i16>(&c, "y3").unwrap_or(0),
                    c.name("s3").is_some_and(|s| s.as_str() == "."),
                )
            } else {
                (
                    num::<i8>(&c, "a4").unwrap_or(0),
                    num::<i8>(&c, "b4").unwrap_or(0),
                    2000 + num::<i16>(&c, "y4").unwrap_or(-2000),
                    false,
                )
            };
            let month_first = date(y, a, b);
            let day_first = date(y, b, a);
            match (month_first, day_first) {
                (Some(mf), Some(df)) if mf != df => {
                    if dotted {
                        Some((df, Some(mf), false))
                    } else {
                        Some((mf, Some(df), true))
                    }
                }
                (Some(d), _) | (None, Some(d)) => Some((d, None, false)),
                (None, None) => None,
            }
        };
        if let Some((date, alt, month_first)) = found {
            out.push(Span {
                start: m0.start(),
                end: m0.end(),
                date,
                alt,
                month_first,
                time: None,
            });
        }
    }
    out.sort_by_key(|s| s.start);
    // overlapping matches: keep the first (the month-name one on ties,
    // which was pushed first and sorts first)
    let mut kept: Vec<Span> = Vec::with_capacity(out.len());
    for s in out {
        if kept.last().is_none_or(|k| s.start >= k.end) {
            kept.push(s);
        }
    }
    kept
}

fn time_in(c: &regex::Captures) -> Option<Time> {
    let h: i8 = num(c, "h")?;
    let m: i8 = num(c, "m")?;
    let s: i8 = num(c, "s").unwrap_or(0);
    let h = match c.name("p") {
        Some(p) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            let pm = p.as_str().eq_ignore_ascii_case("p");
            match (pm, h) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            }
        }
        None => h,
    };
    Time::new(h, m, s, 0).ok()
}

fn role_in(segment: &str) -> Role {
    let lower = segment.to_lowercase();
    let last = |words: &[&str]| words.iter().filter_map(|w| lower.rfind(w)).max();
    match (last(UPDATED_WORDS), last(PUBLISHED_WORDS)) {
        (Some(u), Some(p)) if u > p => Role::Updated,
        (Some(_), None) => Role::Updated,
        (_, Some(_)) => Role::Published,
        (None, None) => Role::Plain,
    }
}

/// Every date printed in `text`, in order: each with the time written next
/// to it (after it, else just before it) and its role from the words
/// before it ("Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM on
/// Nov 18, 2019" gives a published and an updated date). Relative dates
/// ("2 hours ago") and year-less ones ("Nov 19") are not dates.
pub fn printed_dates(text: &str) -> Vec<Printed> {
    if !may_hold_date(text) {
        return Vec::new();
    }
    let text = unglue(text);
    let text = text.as_ref();
    let spans = spans(text);
    let mut out = Vec::with_capacity(spans.len());
    // where the time the date before took from the text after it ends
    // (that time, written before this date, is not this date's as well)
    let mut taken_until = 0;
    for (k, s) in spans.iter().enumerate() {
        let prev_end = if k == 0 { 0 } else { spans[k - 1].end };
        let next_start = spans.get(k + 1).map_or(text.len(), |n| n.start);
        let before = &text[prev_end..s.start];
        let after = &text[s.end..next_start];
        let time_after = TIME
            .captures(after)
            .filter(|c| c.get(0).is_some_and(|m| m.start() <= 24))
            .and_then(|c| Some((time_in(&c)?, c.get(0)?.end())));
        let time = s.time.or(time_after.map(|(t, _)| t)).or_else(|| {
            TIME.captures_iter(before)
                .last()
                .filter(|c| {
                    c.get(0)
                        .is_some_and(|m| m.start() >= taken_until && before.len() - m.end() <= 24)
                })
                .and_then(|c| time_in(&c))
        });
        taken_until = match (s.time, time_after) {
            (None, Some((_, end))) => end,
            _ => 0,
        };
        out.push(Printed {
            date: s.date,
            alt: s.alt,
            time,
            role: role_in(before),
            month_first: s.month_first,
        });
    }
    out
}

/// The day/month order a page's own dates show: numeric dates that can be
/// read only one way (`21/06/2014`, `11/19/2019`), then the order of day
/// and month in dates written with month names ("6 December 2024" against
/// "December 6, 2024"). Each decides only when it is clear (two to one or
/// more); `Unknown` when there is no evidence, it is split, or the numeric
/// and the named dates point different ways — an ambiguous date is then
/// left out rather than read the wrong way round.
pub fn page_order<'a>(texts: impl IntoIterator<Item = &'a str>) -> Order {
    static UNAMBIGUOUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,2})[/.](\d{1,2})[/.](?:19|20)?\d{2}\b").expect("valid regex")
    });
    let (mut day_first, mut month_first) = (0usize, 0usize);
    let (mut dmy, mut mdy) = (0usize, 0usize);
    for t in texts {
        if !may_hold_date(t) {
            continue;
        }
        for c in UNAMBIGUOUS.captures_iter(t) {
            let a: u32 = c[1].parse().unwrap_or(0);
            let b: u32 = c[2].parse().unwrap_or(0);
            if (13..=31).contains(&a) && (1..=12).contains(&b) {
                day_first += 1;
            } else if (13..=31).contains(&b) && (1..=12).contains(&a) {
                month_first += 1;
            }
        }
        for c in MONTH_DATE.captures_iter(t) {
            let m = c.name("m1").or(c.name("m2"));
            if m.is_some_and(|m| month_number(m.as_str()).is_some()) {
                if c.name("d1").is_some() {
                    dmy += 1;
                } else {
                    mdy += 1;
                }
            }
        }
    }
    // each kind of evidence decides only when it agrees clearly (a page's
    // own dates against a widget's or an agency's, 2 to 1 or more)
    let clear = |a: usize, b: usize| {
        if a > 2 * b {
            Some(Order::DayFirst)
        } else if b > 2 * a {
            Some(Order::MonthFirst)
        } else {
            None
        }
    };
    let numeric = clear(day_first, month_first);
    let named = clear(dmy, mdy);
    match (numeric, named) {
        // the two kinds disagree (a British page with an American
        // widget's dates): no order, and no ambiguous date
        (Some(a), Some(b)) if a != b => Order::Unknown,
        (Some(a), _) => a,
        (None, _) if day_first + month_first > 0 => Order::Unknown,
        (None, Some(b)) => b,
        (None, None) => Order::Unknown,
    }
}

/// The day/month order a page's locale implies: day first for a page in
/// a language other than English (`lang="de"`, `og:locale` `fr_FR`), in
/// English of a country that writes the day first (`en-GB`, `en_AU`,
/// `en-IN`…), or on a country's domain that does (`.co.uk`, `.com.au`,
/// `.de`…). Never month first: `en-US` is too often a template's default
/// on sites that write the day first, so only a page's own dates say that
/// (an American locale or `.us` domain only makes a day-first one
/// disagree).
/// Languages that write the year first (Chinese, Japanese, Korean,
/// Hungarian, Lithuanian) and the few countries that mix orders
/// (Canada, the Philippines) say nothing; so do locales and domains that
/// disagree (`en-GB` on a `.us` site: `Unknown`).
pub fn locale_order<'a>(langs: impl IntoIterator<Item = &'a str>, host: Option<&str>) -> Order {
    // English-speaking countries that write the day first
    const DAY_FIRST_EN: &[&str] = &[
        "gb", "uk", "ie", "au", "nz", "in", "za", "sg", "my", "ng", "ke", "gh", "pk", "lk", "bd",
        "jm", "tt", "mt", "zw", "ug", "tz", "hk",
    ];
    // country-code domains of countries that write the day first (not
    // those used as generic names: .co, .io, .tv, .me, .fm, .ly, .ai…)
    const DAY_FIRST_TLD: &[&str] = &[
        "uk", "ie", "au", "nz", "in", "za", "sg", "my", "ng", "ke", "gh", "pk", "lk", "bd", "de",
        "at", "ch", "fr", "be", "nl", "lu", "es", "pt", "it", "br", "ar", "cl", "pe", "uy", "ve",
        "mx", "pl", "ru", "ua", "by", "tr", "se", "no", "dk", "fi", "is", "id", "gr", "cz", "sk",
        "ro", "bg", "hr", "rs", "si", "ba", "ee", "lv", "il", "eg", "sa", "ae", "qa", "vn", "th",
        "ma", "tn", "dz",
    ];
    // year first, or (Filipino, Tagalog) month first as in the
    // Philippines, or no language at all (undetermined, multiple, none,
    // missing)
    const NO_ORDER_LANG: &[&str] = &[
        "zh", "ja", "ko", "hu", "lt", "mn", "fa", "fil", "tl", "und", "mul", "zxx", "mis",
    ];
    let mut votes: Vec<bool> = Vec::new(); // true: day first; false: month first
    for tag in langs {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let (Some(lang), region) = (parts.next(), parts.find(|p| p.len() == 2)) else {
            continue;
        };
        if lang.len() < 2 || lang.len() > 3 || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if NO_ORDER_LANG.contains(&lang) {
            continue;
        }
        if lang != "en" {
            votes.push(true);
        } else if region == Some("us") {
            votes.push(false);
        } else if region.is_some_and(|r| DAY_FIRST_EN.contains(&r)) {
            votes.push(true);
        }
    }
    if let Some(tld) = host.and_then(|h| h.trim_end_matches('.').rsplit('.').next()) {
        let tld = tld.to_ascii_lowercase();
        if DAY_FIRST_TLD.contains(&tld.as_str()) {
            votes.push(true);
        } else if tld == "us" {
            votes.push(false);
        }
    }
    match (votes.iter().any(|&v| v), votes.iter().any(|&v| !v)) {
        (true, false) => Order::DayFirst,
        _ => Order::Unknown,
    }
}

/// A page's own order ([`page_order`]) with its locale's
/// ([`locale_order`]): the locale decides when the page's dates do not,
/// and where the two disagree (a British page's dates read month first
/// from an American widget) neither does.
pub fn with_locale(own: Order, locale: Order) -> Order {
    match (own, locale) {
        (Order::Unknown, l) => l,
        (o, Order::Unknown) => o,
        (o, l) if o == l => o,
        _ => Order::Unknown,
    }
}

/// The article's printed dates, read from the lines next to its headline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dateline {
    /// The publication date (a date labelled as such, else the first
    /// unlabelled one).
    pub published: Option<Printed>,
    /// The printed update date.
    pub updated: Option<Printed>,
    /// Indices of the blocks the dates were read from.
    pub blocks: Vec<usize>,
}

impl Dateline {
    /// The date a reader is shown as the article's: the publication date,
    /// else the update date when that is all the page prints.
    pub fn shown(&self) -> Option<&Printed> {
        self.published.as_ref().or(self.updated.as_ref())
    }
}

/// Blocks after the headline searched for the dateline.
const AFTER: usize = 8;
/// Blocks before the headline searched (a kicker line with the date).
const BEFORE: usize = 3;

fn words(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            let wide = w
                .chars()
                .filter(|c| crate::clean::dump::features::is_cjk(*c))
                .count();
            (wide / 2).max(1)
        })
        .sum()
}

fn is_prose(text: &str) -> bool {
    words(text) > 25
}

fn labelled(text: &str, dates: &[Printed]) -> bool {
    dates
        .iter()
        .any(|d| d.role != Role::Plain || d.time.is_some())
        || bylined(text)
}

/// A byline in the line, or a line opening with a byline word ("By", "Von"…).
fn bylined(text: &str) -> bool {
    super::parse_byline(text).is_some()
        || text.split_whitespace().next().is_some_and(|w| {
            let w = w.to_lowercase();
            matches!(
                w.as_str(),
                "by" | "von" | "por" | "par" | "di" | "oleh" | "door"
            )
        })
}

/// The dates of one candidate block: a short line (at most 12 words, or 25
/// when a label, time or byline says it is a dateline), not a caption.
fn block_dates(text: &str) -> Vec<Printed> {
    let n = words(text);
    if n > 25 || super::split_credit(text).is_some() {
        return Vec::new();
    }
    let dates = printed_dates(text);
    if dates.is_empty() || (n > 12 && !labelled(text, &dates)) {
        return Vec::new();
    }
    dates
}

/// The text of blocks `used`, joined by spaces.
fn used_text(texts: &[&str], used: &[usize]) -> String {
    used.iter().map(|&k| texts[k]).collect::<Vec<_>>().join(" ")
}

/// Find the dateline of the article whose headline is block `head`: the
/// first short block after the headline that prints a date (before the
/// article's second prose paragraph, at most [`AFTER`] blocks on; below
/// the first prose paragraph not a sentence with a bare date, as a short
/// body line may name one), with the one or two blocks after it
/// ("Posted: …" / "Updated: …"); failing
/// that, a labelled or timed date line just above the headline (a kicker
/// "October 9, 2018 at 4:02 pm"). Runs of tiny blocks ("November 20" /
/// "15:23" / "2019") are read together. Dates elsewhere on the page (the
/// site header's date, related stories, comments) are never taken.
pub fn dateline(texts: &[&str], head: usize) -> Option<Dateline> {
    let n = texts.len();
    let mut prose = 0;
    let mut found: Vec<(usize, Vec<Printed>)> = Vec::new();
    let mut j = head + 1;
    while j < n && j <= head + AFTER && prose < 2 {
        let t = texts[j];
        if is_prose(t) {
            prose += 1;
            j += 1;
            continue;
        }
        let mut dates = block_dates(t);
        let mut used = vec![j];
        if dates.is_empty() && words(t) <= 3 {
            // a date split over tiny blocks
            let mut joined = t.to_string();
            for (k, next) in texts.iter().enumerate().take((j + 3).min(n)).skip(j + 1) {
                if words(next) > 3 {
                    break;
                }
                joined.push(' ');
                joined.push_str(next);
                used.push(k);
                dates = block_dates(&joined);
                if !dates.is_empty() {
                    break;
                }
            }
            if dates.is_empty() {
                used.truncate(1);
            }
        }
        // below the article's first paragraph (or a long standfirst) a
        // sentence with a bare date is body text ("The vote is on 12
        // December 2019."), not the dateline
        if prose > 0
            && !dates.is_empty()
            && t.trim_end().ends_with(['.', '!', '?'])
            && !labelled(&used_text(texts, &used), &dates)
        {
            j += 1;
            continue;
        }
        if !dates.is_empty() {
            let last = *used.last().unwrap_or(&j);
            found.push((j, dates));
            // the dateline may go on for a block or two
            for (k, t) in texts
                .iter()
                .enumerate()
                .take((last + 3).min(n))
                .skip(last + 1)
            {
                let more = block_dates(t);
                if !more.is_empty() {
                    found.push((k, more));
                }
            }
            break;
        }
        j += 1;
    }
    if found.is_empty() {
        for j in (head.saturating_sub(BEFORE)..head).rev() {
            let t = texts[j];
            if is_prose(t) {
                break;
            }
            let dates = block_dates(t);
            if !dates.is_empty() && labelled(t, &dates) {
                found.push((j, dates));
                break;
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let all: Vec<&Printed> = found.iter().flat_map(|(_, d)| d).collect();
    let published = all
        .iter()
        .find(|d| d.role == Role::Published)
        .or_else(|| all.iter().find(|d| d.role == Role::Plain))
        .map(|d| **d);
    let updated = all.iter().find(|d| d.role == Role::Updated).map(|d| **d);
    Some(Dateline {
        published,
        updated,
        blocks: found.iter().map(|(i, _)| *i).collect(),
    })
}

/// Blocks on either side of a dateline searched for the other dates of a
/// list ([`in_dated_list`]).
const LIST_REACH: usize = 10;

/// Whether the dateline read from block `at` (`date`) is one entry of a
/// list of dated items — other stories, each with its own date line — and
/// so says nothing sure about this article: the line is a bare date line
/// itself (at most six words, no published/updated label, no byline), and
/// within [`LIST_REACH`] blocks of it at least two other such lines print
/// days that are neither `date` nor next to it and differ from each other,
/// one of them within three blocks (the next entry). An article's own
/// dateline stands alone, beside its update date or with its byline; a
/// site header's "today" is one line, not two.
pub fn in_dated_list(texts: &[&str], at: usize, date: Date) -> bool {
    let bare = |t: &str| words(t) <= 6 && !bylined(t);
    let Some(line) = texts.get(at) else {
        return false;
    };
    if !bare(line) || printed_dates(line).iter().any(|p| p.role != Role::Plain) {
        return false;
    }
    let near = |x: Date| within_a_day(x, date);
    let lo = at.saturating_sub(LIST_REACH);
    let hi = (at + LIST_REACH + 1).min(texts.len());
    let mut others: Vec<Date> = Vec::new();
    let mut next_entry = false;
    for (j, t) in texts.iter().enumerate().take(hi).skip(lo) {
        if j == at || !bare(t) {
            continue;
        }
        for p in printed_dates(t) {
            if p.role != Role::Plain || p.readings().any(near) {
                continue;
            }
            next_entry |= j.abs_diff(at) <= 3;
            if !others.iter().any(|o| p.readings().any(|r| r == *o)) {
                others.push(p.date);
            }
        }
    }
    next_entry && others.len() >= 2
}

/// A dateline without a year ("Posted Nov 19, 6:51 AM", "Updated 19 Nov
/// 10:05"): a short line among the [`AFTER`] blocks after the headline
/// (before the second prose paragraph) with a month name, a day, and a
/// clock time or a "published"/"updated" word — a site prints the year
/// only for past years' articles, so `year` (the page's own: its copyright
/// line's) completes it. The publication date when one is labelled, else
/// the first. `None` when there is no such line or the day is not valid.
pub fn yearless_dateline(texts: &[&str], head: usize, year: i16) -> Option<(Printed, usize)> {
    static YEARLESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)
            \b(?P<d1>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?(?P<m1>\p{L}{3,11})\b\.?
            | \b(?P<m2>\p{L}{3,11})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b",
        )
        .expect("valid regex")
    });
    if !valid_year(year) {
        return None;
    }
    let mut prose = 0;
    for (j, t) in texts.iter().enumerate().skip(head + 1).take(AFTER) {
        if is_prose(t) {
            prose += 1;
            if prose >= 2 {
                break;
            }
            continue;
        }
        if words(t) > 12 || super::split_credit(t).is_some() {
            continue;
        }
        let labelled = role_in(t) != Role::Plain;
        if !labelled && !TIME.is_match(t) {
            continue;
        }
        let mut found: Vec<Printed> = Vec::new();
        let mut last_end = 0;
        for c in YEARLESS.captures_iter(t) {
            let (d, m) = if c.name("d1").is_some() {
                ("d1", "m1")
            } else {
                ("d2", "m2")
            };
            let Some(month) = c.name(m).and_then(|m| month_number(m.as_str())) else {
                continue;
            };
            let Some(day) = num::<i8>(&c, d) else {
                continue;
            };
            let Some(date) = date(year, month, day) else {
                continue;
            };
            let m0 = c.get(0).expect("match");
            let after = &t[m0.end()..];
            let time = TIME
                .captures(after)
                .filter(|c| c.get(0).is_some_and(|m| m.start() <= 8))
                .and_then(|c| time_in(&c));
            found.push(Printed {
                date,
                alt: None,
                time,
                role: role_in(&t[last_end..m0.start()]),
                month_first: false,
            });
            last_end = m0.end();
        }
        if let Some(p) = found
            .iter()
            .find(|p| p.role == Role::Published)
            .or(found.first())
        {
            return Some((*p, j));
        }
    }
    None
}

/// The year of a page's copyright notice ("© 2005-2019 …" → 2019): the
/// latest year written in a short copyright line.
pub fn copyright_year(texts: &[&str]) -> Option<i16> {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(?:19|20)\d{2}\b").expect("valid regex"));
    texts
        .iter()
        .filter(|t| t.chars().count() <= 300)
        .filter(|t| t.contains('©') || t.to_lowercase().contains("copyright"))
        .flat_map(|t| {
            YEAR.find_iter(t)
                .filter_map(|m| m.as_str().parse::<i16>().ok())
        })
        .max()
}

/// A machine-readable timestamp from page metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The wall-clock date and time as written (midnight without a time).
    pub at: DateTime,
    /// Whether a time was written.
    pub has_time: bool,
    /// The UTC offset written with it, in seconds (`Z`, `UTC`, `GMT`: 0).
    pub offset: Option<i32>,
}

impl Stamp {
    pub fn date(&self) -> Date {
        self.at.date()
    }

    /// `YYYY-MM-DDTHH:MM:SS`, the wall clock as written.
    pub fn civil(&self) -> String {
        self.at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// RFC 3339 with the offset when one was written
    /// (`2019-11-19T07:03:25+00:00`), else the civil date-time; a date
    /// without a time stays a date (`2019-11-19`).
    pub fn rfc3339(&self) -> String {
        if !self.has_time {
            return self.at.date().strftime("%Y-%m-%d").to_string();
        }
        match self.offset {
            Some(off) => {
                let sign = if off < 0 { '-' } else { '+' };
                let a = off.unsigned_abs();
                format!("{}{sign}{:02}:{:02}", self.civil(), a / 3600, a % 3600 / 60)
            }
            None => self.civil(),
        }
    }

    /// Is the offset UTC itself (so the wall clock may not be the page's
    /// local time)?
    pub fn is_utc(&self) -> bool {
        self.offset == Some(0)
    }
}

static ISO_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})(?:[T\s]+(?P<h>\d{1,2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?)?\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$",
    )
    .expect("valid regex")
});

/// `Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)`, as
/// JavaScript's `Date.toString` writes it.
static JS_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*\p{L}{3},?\s+(?P<mo>\p{L}{3})\s+(?P<d>\d{1,2})\s+(?P<y>\d{4})\s+(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})\s+(?:GMT|UTC)(?P<z>[+-]\d{4})?",
    )
    .expect("valid regex")
});

fn offset_of(z: &str) -> Option<i32> {
    let z = z.trim();
    if z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") || z.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn stamp(date: Date, time: Option<Time>, offset: Option<i32>) -> Option<Stamp> {
    if is_placeholder(date) {
        return None;
    }
    let at = DateTime::from_parts(date, time.unwrap_or(Time::midnight()));
    Some(Stamp {
        at,
        has_time: time.is_some(),
        offset: if time.is_some() { offset } else { None },
    })
}

/// Parse a timestamp from metadata: ISO 8601 / RFC 3339 (with or without
/// seconds, fractions, offset; `2019-11-19 02:24:00 UTC`), compact
/// `20191119`, RFC 2822, JavaScript's `Date` string, or failing those a
/// date written for readers ("November 19, 2019, 07:47 PM EST", read
/// without its zone unless it is GMT/UTC). Placeholders
/// ([`is_placeholder`]: `0001-01-01`, `1900-01-01`, the Unix epoch in any
/// offset) give `None`.
pub fn parse_stamp(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if s.is_empty() || s.len() > 120 {
        return None;
    }
    if let Some(c) = ISO_STAMP.captures(s) {
        let d = Date::new(num(&c, "y")?, num(&c, "mo")?, num(&c, "d")?).ok()?;
        let time = match c.name("h") {
            Some(_) => {
                Some(Time::new(num(&c, "h")?, num(&c, "mi")?, num(&c, "s").unwrap_or(0), 0).ok()?)
            }
            None => None,
        };
        return stamp(d, time, c.name("z").and_then(|z| offset_of(z.as_str())));
    }
    if let Some(c) = JS_STAMP.captures(s) {
        let d = Date::new(num(&c, "y")?, month_number(&c["mo"])?, num(&c, "d")?).ok()?;
        let t = Time::new(num(&c, "h")?, num(&c, "mi")?, num(&c, "s")?, 0).ok()?;
        return stamp(
            d,
            Some(t),
            c.name("z").map_or(Some(0), |z| offset_of(z.as_str())),
        );
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        let off = z.offset().seconds();
        let dt = z.datetime();
        return stamp(dt.date(), Some(dt.time()), Some(off));
    }
    let p = printed_dates(s).into_iter().next()?;
    if p.alt.is_some() {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    let utc = p.time.is_some() && (upper.contains("GMT") || upper.contains("UTC"));
    stamp(p.date, p.time, utc.then_some(0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn yearless_datelines_take_the_copyright_year() {
        let page = [
            "Entertainment",
            "Band to reunite for a summer show",
            "Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM",
            "The band will tour again next year, its members said on Monday, after a decade apart and many rumours.",
            "Nov 3",
            "© 2005-2019 Example Media. All rights reserved.",
        ];
        assert_eq!(copyright_year(&page), Some(2019));
        let (p, j) = yearless_dateline(&page, 1, 2019).expect("dateline");
        assert_eq!(j, 2);
        assert_eq!(p.role, Role::Published);
        assert_eq!(p.civil(p.date), "2019-11-19T06:51:00");
        // a bare "Nov 3" (no time, no label) is not a dateline; nor is a
        // date after the second paragraph
        let bare = ["Headline here", "Nov 3", "Some menu"];
        assert_eq!(yearless_dateline(&bare, 0, 2019), None);
        // no copyright line, no year
        assert_eq!(copyright_year(&bare), None);
        // an impossible day
        let bad = ["Headline here", "Posted Feb 30, 10:00 AM"];
        assert_eq!(yearless_dateline(&bad, 0, 2019), None);
    }

    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn first(text: &str) -> Option<Printed> {
        printed_dates(text).into_iter().next()
    }

    #[test]
    fn printed_dates_in_the_shapes_pages_use() {
        type Case<'a> = (&'a str, Date, Option<(i8, i8)>);
        let cases: &[Case] = &[
            ("6 December 2024, 15:39", d(2024, 12, 6), Some((15, 39))),
            // day-month-year with hyphens, and dotted with spaces
            ("Posted: 19-Nov-2019 10:20", d(2019, 11, 19), Some((10, 20))),
            ("19. 11. 2019 10:20", d(2019, 11, 19), Some((10, 20))),
            ("Dec. 6, 2024 3:39 PM ET", d(2024, 12, 6), Some((15, 39))),
            (
                "By Umair Irfan Updated Nov 13, 2019, 10:28am EST",
                d(2019, 11, 13),
                Some((10, 28)),
            ),
            (
                "PUBLISHED WED, NOV 20 20194:29 AM ESTUPDATED AN HOUR AGO",
                d(2019, 11, 20),
                Some((4, 29)),
            ),
            (
                "21:17 18.11.2019Get short URL",
                d(2019, 11, 18),
                Some((21, 17)),
            ),
            (
                "BY KASHMIRA GANDER ON 11/13/19 AT 4:00 PM EST",
                d(2019, 11, 13),
                Some((16, 0)),
            ),
            (
                "Adam Clark Estes11/22/19 4:40PM",
                d(2019, 11, 22),
                Some((16, 40)),
            ),
            (
                "sexta-feira, 22 de outubro de 2010 às 20:13",
                d(2010, 10, 22),
                Some((20, 13)),
            ),
            (
                "Текст: Венера Ерофеева·24 сентября 2018",
                d(2018, 9, 24),
                None,
            ),
            (
                "Von Moritz Bachmann publiziert am 25. September 2018",
                d(2018, 9, 25),
                None,
            ),
            ("Posted on Oktober 27, 2015 by Admin", d(2015, 10, 27), None),
            ("November 20 15:23 2019", d(2019, 11, 20), Some((15, 23))),
            ("11.14.2019 09:00 AM", d(2019, 11, 14), Some((9, 0))),
            ("2013年04月09日", d(2013, 4, 9), None),
            ("2019-11-18T20:51:19Z", d(2019, 11, 18), Some((20, 51))),
        ];
        for (text, want, time) in cases {
            let got = first(text).unwrap_or_else(|| panic!("no date in {text:?}"));
            assert_eq!(got.date, *want, "{text:?}");
            assert_eq!(
                got.time.map(|t| (t.hour(), t.minute())),
                *time,
                "time of {text:?}"
            );
            assert_eq!(got.alt, None, "{text:?}");
        }
        for text in [
            "2 hours ago",
            "Monday 5:30PM",
            "Posted Nov 19, 6:51 AM",
            "Chapter 31 of 2019",
            "24/7/365 support",
            "February 30, 2019",
            "0001-01-01",
            // a CMS printing an empty time
            "Posted December 31, 1969 at 7:00 pm",
            "01/01/1970",
            "1 January 1900",
            "Score 3-1 in 1890",
        ] {
            assert_eq!(first(text), None, "{text:?}");
        }
    }

    #[test]
    fn datelines_without_a_year() {
        assert!(dateline_like(
            "Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM"
        ));
        assert!(dateline_like("Updated 10:05 AM ET"));
        assert!(!dateline_like("Monday 5:30PM"));
        assert!(!dateline_like("The bridge opens in November"));
    }

    #[test]
    fn a_day_and_a_month_alone() {
        for t in ["November 18", "18 Nov.", "Nov 18th", "18. November"] {
            assert!(day_and_month(t), "{t}");
        }
        for t in [
            "November 18, 2019",
            "Top 18",
            "May the 4th",
            "18",
            "Nov 18 news",
        ] {
            assert!(!day_and_month(t), "{t}");
        }
    }

    #[test]
    fn roles_come_from_the_words_before_a_date() {
        let got = printed_dates(
            "Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM CST on Nov 18, 2019",
        );
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].role, got[1].role), (Role::Published, Role::Updated));
        assert_eq!(got[0].time, Some(Time::new(16, 7, 0, 0).unwrap()));
        assert_eq!(got[1].time, Some(Time::new(17, 36, 0, 0).unwrap()));
        // the time after the first date is not the second's as well
        let got = printed_dates("Published December 6, 2024 11:40 PM | Updated December 7, 2024");
        assert_eq!(got[0].time, Some(Time::new(23, 40, 0, 0).unwrap()));
        assert_eq!((got[1].role, got[1].time), (Role::Updated, None));
        assert_eq!(
            first("Aktualisiert am 3. März 2020").unwrap().role,
            Role::Updated
        );
        assert_eq!(
            first("19 November 2019 • 1:16pm").unwrap().role,
            Role::Plain
        );
    }

    #[test]
    fn ambiguous_numeric_dates_keep_both_readings() {
        let p = first("05/06/2019").unwrap();
        assert_eq!((p.date, p.alt), (d(2019, 5, 6), Some(d(2019, 6, 5))));
        assert_eq!(p.resolve(Order::MonthFirst), Some(d(2019, 5, 6)));
        assert_eq!(p.resolve(Order::DayFirst), Some(d(2019, 6, 5)));
        assert_eq!(p.resolve(Order::Unknown), None);
        let dotted = first("05.06.2019").unwrap();
        assert_eq!(dotted.date, d(2019, 6, 5));
        assert_eq!(dotted.resolve(Order::DayFirst), Some(d(2019, 6, 5)));
        assert_eq!(dotted.resolve(Order::MonthFirst), Some(d(2019, 5, 6)));
        // one reading only: no ambiguity
        assert_eq!(first("21/06/2014").unwrap().alt, None);
        assert_eq!(first("06/06/2014").unwrap().alt, None);
    }

    #[test]
    fn page_order_from_the_pages_own_dates() {
        assert_eq!(page_order(["Posted 21/06/2014", "x"]), Order::DayFirst);
        assert_eq!(page_order(["11/19/2019 by Lars"]), Order::MonthFirst);
        // a UK page writes the day first in words too
        assert_eq!(
            page_order(["6 December 2024, 15:39", "Updated 7 December 2024"]),
            Order::DayFirst
        );
        assert_eq!(
            page_order(["Dec. 6, 2024", "December 9, 2024"]),
            Order::MonthFirst
        );
        assert_eq!(
            page_order(["6 December 2024", "December 9, 2024"]),
            Order::Unknown
        );
        assert_eq!(page_order(["no dates"]), Order::Unknown);
    }

    #[test]
    fn a_bare_date_in_a_short_body_line_is_not_the_dateline() {
        let prose = "The council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate about the cost of repairs and the safety of the steel deck.";
        let page = [
            "Council closes harbour bridge",
            "Jane Roe",
            prose,
            "The bridge shuts on 12 December 2019.",
            prose,
        ];
        assert_eq!(dateline(&page, 0), None);
        // a labelled one there still counts (a dateline printed below a
        // lead paragraph or picture)
        let page = [
            "Council closes harbour bridge",
            prose,
            "Published 19 November 2019, 10:05",
            prose,
        ];
        let d = dateline(&page, 0).expect("a dateline");
        assert_eq!(d.shown().map(|p| p.date), Date::new(2019, 11, 19).ok());
        // above the first paragraph a bare date is the dateline
        let page = ["Council closes harbour bridge", "19 November 2019", prose];
        assert!(dateline(&page, 0).is_some());
        // below a long standfirst, a credit line with a bare date is
        let page = [
            "Council closes harbour bridge",
            prose,
            "Text: Jane Roe · 19 November 2019",
            prose,
        ];
        assert!(dateline(&page, 0).is_some());
    }

    #[test]
    fn locale_order_says_day_first_or_nothing() {
        use Order::*;
        let host = Some;
        for (langs, h, want) in [
            (vec!["en-GB"], None, DayFirst),
            (vec!["en_AU"], None, DayFirst),
            (vec!["de"], None, DayFirst),
            (vec!["pt-BR"], host("g1.globo.com"), DayFirst),
            (vec![], host("www.example.co.uk"), DayFirst),
            (vec!["en"], host("news.example.com.au"), DayFirst),
            (vec!["en"], host("example.de"), DayFirst),
            // American English, plain English, a generic domain: nothing
            (vec!["en-US"], host("example.com"), Unknown),
            (vec!["en"], host("example.com"), Unknown),
            (vec![], host("example.io"), Unknown),
            (vec![], None, Unknown),
            // countries that mix orders, languages that put the year first
            (vec!["en-CA"], host("example.ca"), Unknown),
            (vec!["en-PH"], None, Unknown),
            (vec!["ja"], host("example.jp"), Unknown),
            (vec!["fil"], None, Unknown),
            (vec!["tl-PH"], None, Unknown),
            // no language: undetermined, several, none, missing
            (vec!["und"], None, Unknown),
            (vec!["mul"], None, Unknown),
            (vec!["zxx"], None, Unknown),
            (vec!["mis"], None, Unknown),
            // a template's en-US default on a British domain: they disagree
            (vec!["en-US"], host("example.co.uk"), Unknown),
            (vec!["en-GB"], host("example.us"), Unknown),
            // junk tags say nothing
            (vec!["", "x", "12-34"], None, Unknown),
        ] {
            assert_eq!(
                locale_order(langs.iter().copied(), h),
                want,
                "{langs:?} {h:?}"
            );
        }
        // the page's own dates first; the locale when they say nothing;
        // neither when they disagree
        assert_eq!(with_locale(Unknown, DayFirst), DayFirst);
        assert_eq!(with_locale(MonthFirst, Unknown), MonthFirst);
        assert_eq!(with_locale(DayFirst, DayFirst), DayFirst);
        assert_eq!(with_locale(MonthFirst, DayFirst), Unknown);
    }

    #[test]
    fn page_order_needs_clear_agreeing_evidence() {
        // one unambiguous date each way: split
        assert_eq!(
            page_order(["Posted 21/06/2014", "Comment 11/19/2019"]),
            Order::Unknown
        );
        // a British page's named dates against one American-style date
        // in a widget: no order
        assert_eq!(
            page_order([
                "19 November 2019",
                "Updated 20 November 2019",
                "Poll closes 11/30/2019"
            ]),
            Order::Unknown
        );
        // numeric and named evidence agree
        assert_eq!(
            page_order(["19 November 2019", "Posted 19/11/2019"]),
            Order::DayFirst
        );
        // a clear numeric majority decides
        assert_eq!(
            page_order(["21/06/2014", "22/06/2014", "23/06/2014", "11/19/2019"]),
            Order::DayFirst
        );
    }

    fn texts(s: &str) -> Vec<&str> {
        s.split("\n\n").collect()
    }

    #[test]
    fn dateline_after_the_headline_wins_over_the_site_header_date() {
        let page = texts(
            "Wednesday November 20, 2019\n\nNews\n\nHeadline of the story\n\nBy Jane Roe\n\nUpdated: 19 Nov 2019 9:38 pm\n\nPosted: 18 Nov 2019 8:11 pm\n\nThe body of the article starts here and goes on for long enough to be prose, with many words in a row, more than twenty-five of them in total.",
        );
        let dl = dateline(&page, 2).unwrap();
        assert_eq!(dl.published.unwrap().date, d(2019, 11, 18));
        assert_eq!(dl.updated.unwrap().date, d(2019, 11, 19));
        assert_eq!(dl.shown().unwrap().date, d(2019, 11, 18));
        assert_eq!(dl.blocks, vec![4, 5]);
    }

    #[test]
    fn a_date_line_among_other_stories_dates_is_in_a_list() {
        let page = texts(
            "More stories\n\nRiver barge sinks\n\nMarch 3, 2021\n\nNew bridge opens\n\nJanuary 9, 2020\n\nMayor re-elected\n\nJune 30, 2019\n\nThe council met on Monday to vote on the plan for the harbour front.",
        );
        let head = 2;
        let d = dateline(&page, head).expect("a date line");
        assert!(in_dated_list(&page, d.blocks[0], d.shown().unwrap().date));
        // an article's own dateline beside its update date is not a list
        let page = texts(
            "River barge sinks\n\nPublished March 3, 2021\n\nUpdated March 4, 2021\n\nMarch 3, 2021\n\nThe barge went down near the harbour mouth on Wednesday morning.",
        );
        let d = dateline(&page, 0).expect("a dateline");
        assert!(!in_dated_list(&page, d.blocks[0], d.shown().unwrap().date));
        // the article's own byline and date above a list of dated stories
        let page = texts(
            "River barge sinks\n\nBy Jane Roe, 12 March 2021\n\nRelated\n\nFerry fares rise\n\nMarch 3, 2021\n\nNew bridge opens\n\nJanuary 9, 2020\n\nThe barge went down near the harbour mouth on Wednesday morning.",
        );
        let d = dateline(&page, 0).expect("a dateline");
        assert!(!in_dated_list(&page, d.blocks[0], d.shown().unwrap().date));
        // one other date (the site header's "today") is not a list either
        let page = texts(
            "Friday, March 12, 2021\n\nRiver barge sinks\n\nMarch 3, 2021\n\nThe barge went down near the harbour mouth on Wednesday morning.",
        );
        let d = dateline(&page, 1).expect("a dateline");
        assert!(!in_dated_list(&page, d.blocks[0], d.shown().unwrap().date));
    }

    #[test]
    fn dateline_only_updated_is_shown() {
        let page = texts("Headline\n\nBy Umair Irfan Updated Nov 13, 2019, 10:28am EST\n\nBody.");
        let dl = dateline(&page, 0).unwrap();
        assert_eq!(dl.published, None);
        assert_eq!(dl.shown().unwrap().date, d(2019, 11, 13));
    }

    #[test]
    fn dateline_before_the_headline_needs_a_label_or_time() {
        let kicker = texts(
            "Sport\n\nOctober 9, 2018 at 4:02 pm\n\nTweet\n\nHeadline here\n\nA long first paragraph of the article with many words in it so that it reads as prose and more than twenty five words are here.",
        );
        assert_eq!(
            dateline(&kicker, 3).unwrap().shown().unwrap().date,
            d(2018, 10, 9)
        );
        let header = texts(
            "Wednesday November 20, 2019\n\nHeadline here\n\nA long first paragraph of the article with many words in it so that it reads as prose and more than twenty five words are here.",
        );
        assert_eq!(dateline(&header, 1), None);
    }

    #[test]
    fn dateline_is_not_read_from_the_body_or_captions() {
        let long = "A long paragraph of the article that goes on and on with words and more words so that it is clearly prose and not a date line at all.";
        let page = format!(
            "Headline\n\nRodrigo Campos\n\n{long}\n\nFILE PHOTO: Traders work on the floor at the New York Stock Exchange (NYSE) in New York, U.S., November 18, 2019. REUTERS/Brendan McDermid\n\n{long}\n\nOn November 18, 2019 the index rose."
        );
        assert_eq!(dateline(&texts(&page), 0), None);
    }

    #[test]
    fn dateline_split_over_tiny_blocks() {
        let page =
            texts("Deportees return home\n\nNovember 20\n\n15:23\n\n2019\n\nPrint This Article");
        let dl = dateline(&page, 0).unwrap();
        assert_eq!(dl.shown().unwrap().date, d(2019, 11, 20));
        assert_eq!(
            dl.shown().unwrap().time,
            Some(Time::new(15, 23, 0, 0).unwrap())
        );
    }

    #[test]
    fn datelines_in_the_shapes_and_languages_unseen_pages_use() {
        // (text, day read first, the other reading of an ambiguous
        // numeric date, role, time)
        use Role::{Plain, Published, Updated};
        let dec6 = d(2024, 12, 6);
        let jun12 = d(2024, 6, 12);
        type Case<'a> = (&'a str, Date, Option<Date>, Role, Option<&'a str>);
        let cases: &[Case] = &[
            ("6 December 2024, 15:39", dec6, None, Plain, Some("15:39")),
            ("Dec. 6, 2024 3:39 PM ET", dec6, None, Plain, Some("15:39")),
            (
                "Updated Dec. 6, 2024 at 3:39 p.m. ET",
                dec6,
                None,
                Updated,
                Some("15:39"),
            ),
            (
                "Last updated: 6 Dec 2024 15:39 GMT",
                dec6,
                None,
                Updated,
                Some("15:39"),
            ),
            (
                "Posted on December 6, 2024 by Jane Doe",
                dec6,
                None,
                Published,
                None,
            ),
            ("By Jane Doe | December 6, 2024", dec6, None, Plain, None),
            (
                "December 6, 2024 | 3:39pm",
                dec6,
                None,
                Plain,
                Some("15:39"),
            ),
            ("FRIDAY, DECEMBER 6TH, 2024", dec6, None, Plain, None),
            (
                "Publicado el 6 de diciembre de 2024",
                dec6,
                None,
                Published,
                None,
            ),
            (
                "6 dicembre 2024 alle 15:39",
                dec6,
                None,
                Plain,
                Some("15:39"),
            ),
            (
                "Veröffentlicht am 6. Dezember 2024, 15:39 Uhr",
                dec6,
                None,
                Published,
                Some("15:39"),
            ),
            (
                "le 6 décembre 2024 à 15h39",
                dec6,
                None,
                Plain,
                Some("15:39"),
            ),
            ("mis à jour le 6 déc. 2024", dec6, None, Updated, None),
            (
                "Sexta-feira, 6 de Dezembro de 2024",
                dec6,
                None,
                Plain,
                None,
            ),
            ("6 grudnia 2024", dec6, None, Plain, None),
            ("6 декабря 2024 г.", dec6, None, Plain, None),
            ("6 Aralık 2024", dec6, None, Plain, None),
            ("6 Desember 2024", dec6, None, Plain, None),
            ("6. december 2024", dec6, None, Plain, None),
            ("2024年12月6日 15:39", dec6, None, Plain, Some("15:39")),
            ("2024-12-06 15:39", dec6, None, Plain, Some("15:39")),
            ("6-Dec-2024", dec6, None, Plain, None),
            // numeric day and month that could be swapped keep both
            // readings: dotted ones day first, slashed ones month first,
            // until the page's evidence decides (`page_order`)
            (
                "06.12.2024 um 15:39",
                dec6,
                Some(jun12),
                Plain,
                Some("15:39"),
            ),
            (
                "Pubblicato il 06/12/2024",
                jun12,
                Some(dec6),
                Published,
                None,
            ),
            (
                "12/06/2024 03:39 PM",
                dec6,
                Some(jun12),
                Plain,
                Some("15:39"),
            ),
            ("13/06/2024", d(2024, 6, 13), None, Plain, None),
        ];
        for (text, date, alt, role, time) in cases {
            let p = first(text).unwrap_or_else(|| panic!("no date in {text:?}"));
            assert_eq!(p.date, *date, "{text}");
            assert_eq!(p.alt, *alt, "{text}");
            assert_eq!(p.role, *role, "{text}");
            assert_eq!(
                p.time.map(|t| t.strftime("%H:%M").to_string()).as_deref(),
                *time,
                "{text}"
            );
        }
        // an ambiguous date is read in the page's own order, or not at all
        let p = first("Published: 06/12/2024").expect("a date");
        assert_eq!(p.resolve(Order::DayFirst), Some(dec6));
        assert_eq!(p.resolve(Order::MonthFirst), Some(jun12));
        assert_eq!(p.resolve(Order::Unknown), None);
    }

    #[test]
    fn days_within_a_day_either_way_and_across_months_and_years() {
        assert!(within_a_day(d(2019, 11, 19), d(2019, 11, 19)));
        assert!(within_a_day(d(2019, 11, 19), d(2019, 11, 18)));
        assert!(within_a_day(d(2019, 11, 18), d(2019, 11, 19)));
        assert!(within_a_day(d(2019, 12, 31), d(2020, 1, 1)));
        assert!(within_a_day(d(2020, 3, 1), d(2020, 2, 29)));
        assert!(!within_a_day(d(2019, 11, 19), d(2019, 11, 21)));
        assert!(!within_a_day(d(2019, 11, 19), d(2018, 11, 19)));
        assert_eq!(days_between(d(2019, 11, 30), d(2019, 12, 2)), 2);
        assert_eq!(days_between(d(2020, 1, 1), d(2019, 1, 1)), 365);
        assert_eq!(day_of("2019-11-19T23:59:00+05:00"), Some(d(2019, 11, 19)));
        assert_eq!(day_of("2019-11-19"), Some(d(2019, 11, 19)));
        assert_eq!(day_of("2019-11"), None);
        assert_eq!(day_of("2019-13-01T00:00"), None);
        assert_eq!(day_of("20191119"), None);
    }

    #[test]
    fn stamps() {
        let s = parse_stamp("2019-11-19T13:03:00.000Z").unwrap();
        assert_eq!(
            (s.civil().as_str(), s.offset),
            ("2019-11-19T13:03:00", Some(0))
        );
        assert_eq!(s.rfc3339(), "2019-11-19T13:03:00+00:00");
        let s = parse_stamp("2019-11-20T04:31:13-06:00").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-20T04:31:13-06:00");
        let s = parse_stamp("2019-11-19 02:24:00 UTC").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-19T02:24:00+00:00");
        let s = parse_stamp("2019-11-19T08:30:00+0530").unwrap();
        assert_eq!(s.offset, Some(5 * 3600 + 1800));
        assert_eq!(parse_stamp("20191119").unwrap().rfc3339(), "2019-11-19");
        assert_eq!(parse_stamp("2019-11-19").unwrap().rfc3339(), "2019-11-19");
        let s = parse_stamp("2019-11-19 08:05").unwrap();
        assert_eq!(
            (s.rfc3339().as_str(), s.offset),
            ("2019-11-19T08:05:00", None)
        );
        let s = parse_stamp("Tue, 19 Nov 2019 10:00:00 +0100").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-19T10:00:00+01:00");
        let s =
            parse_stamp("Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-19T03:05:46+00:00");
        let s = parse_stamp("19 Nov 2019 07:09 GMT").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-19T07:09:00+00:00");
        let s = parse_stamp("November 19, 2019, 07:47 PM EST").unwrap();
        assert_eq!(s.rfc3339(), "2019-11-19T19:47:00");
        for bad in [
            "0001-01-01T00:00:00Z",
            "0001-01-01",
            "1970-01-01T00:00:00Z",
            // the epoch, and the other placeholders, in any offset
            "1969-12-31T19:00:00-05:00",
            "1969-12-31T16:00:00-08:00",
            "1969-12-31 19:00:00",
            "1969-12-31",
            "1970-01-01T05:30:00+05:30",
            "1970-01-01T01:00:00+01:00",
            "Wed, 31 Dec 1969 19:00:00 -0500",
            "Wed Dec 31 1969 19:00:00 GMT-0500 (Eastern Standard Time)",
            "December 31, 1969, 07:00 PM EST",
            "0001-01-01T00:00:00+01:00",
            "0000-12-31T19:03:58-04:56",
            "1900-01-01T00:00:00-05:00",
            "1899-12-31T19:00:00-05:00",
            "1900-01-01T09:00:00+09:00",
            "yesterday",
            "2019-13-01",
            "2019-02-30T10:00:00Z",
            "",
            "3019-01-01",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad:?}");
        }
        // the days next to the placeholders are dates (an archive's)
        for good in ["1969-12-30T19:00:00-05:00", "1970-01-02", "1900-01-02"] {
            assert!(parse_stamp(good).is_some(), "{good:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(3_000)))]

        /// Any text: no panic, and every date found is a real calendar date
        /// in the accepted years.
        #[test]
        fn printed_dates_never_panic(text in "(?s)\\PC{0,80}") {
            for p in printed_dates(&text) {
                proptest::prop_assert!(valid_year(p.date.year()));
            }
            let _ = parse_stamp(&text);
        }

        /// A date written in any of several shapes reads back as itself.
        #[test]
        fn printed_dates_round_trip(
            y in 1990i16..2090, m in 1i8..=12, day in 1i8..=28, h in 0i8..24, mi in 0i8..60,
            shape in 0usize..6,
        ) {
            let date = Date::new(y, m, day).unwrap();
            let text = match shape {
                0 => DateTime::from_parts(date, Time::new(h, mi, 0, 0).unwrap()).strftime("%-d %B %Y, %H:%M").to_string(),
                1 => date.strftime("%b. %-d, %Y").to_string() + &format!(" {}:{:02} {}", if h % 12 == 0 { 12 } else { h % 12 }, mi, if h < 12 { "AM" } else { "PM" }),
                2 => date.strftime("Updated %Y-%m-%d").to_string() + &format!("T{h:02}:{mi:02}:00Z"),
                3 => date.strftime("%Y年%m月%d日").to_string(),
                4 => format!("Posted {}/{}/{} {h:02}:{mi:02}", m, day, y),
                _ => format!("{:02}.{:02}.{} {h:02}:{mi:02}", day, m, y),
            };
            let p = printed_dates(&text).into_iter().next();
            proptest::prop_assert!(p.is_some(), "{}", text);
            let p = p.unwrap();
            let want_order = if shape == 4 { Order::MonthFirst } else { Order::DayFirst };
            proptest::prop_assert_eq!(p.resolve(want_order), Some(date), "{}", text);
            if shape != 3 {
                proptest::prop_assert_eq!(p.time.map(|t| (t.hour(), t.minute())), Some((h, mi)), "{}", text);
            }
        }

        /// A timestamp written by RFC 3339 reads back as itself.
        #[test]
        fn stamps_round_trip(
            y in 1990i16..2090, m in 1i8..=12, day in 1i8..=28, h in 0i8..24, mi in 0i8..60, s in 0i8..60,
            off in proptest::option::of(-12i32..=14),
        ) {
            let text = format!(
                "{y:04}-{m:02}-{day:02}T{h:02}:{mi:02}:{s:02}{}",
                off.map_or(String::new(), |o| if o == 0 { "+00:00".into() } else { format!("{}{:02}:00", if o < 0 { '-' } else { '+' }, o.abs()) })
            );
            let st = parse_stamp(&text).unwrap();
            proptest::prop_assert_eq!(st.rfc3339(), text);
        }
    }
}
