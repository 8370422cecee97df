//! Metadata found in page text: publication dates, bylines, picture
//! captions and credits. General helpers, shared by the dump and HTML
//! cleaners; nothing here knows about a particular site.

pub mod dates;
pub mod outlet;

use jiff::civil::{Date, DateTime, Time};
use regex::Regex;
use std::sync::LazyLock;

/// Month names (English, German, French, Spanish, Portuguese, Italian,
/// Dutch, Indonesian) mapped to their English three-letter abbreviation, so
/// one `%b` format parses them all. Longest first where one is a prefix of
/// another is handled by whole-word matching.
const MONTHS: &[(&str, &str)] = &[
    ("january", "Jan"),
    ("jan", "Jan"),
    ("januar", "Jan"),
    ("janvier", "Jan"),
    ("enero", "Jan"),
    ("janeiro", "Jan"),
    ("gennaio", "Jan"),
    ("januari", "Jan"),
    ("jänner", "Jan"),
    ("february", "Feb"),
    ("feb", "Feb"),
    ("februar", "Feb"),
    ("février", "Feb"),
    ("febrero", "Feb"),
    ("fevereiro", "Feb"),
    ("febbraio", "Feb"),
    ("februari", "Feb"),
    ("fev", "Feb"),
    ("febr", "Feb"),
    ("march", "Mar"),
    ("mar", "Mar"),
    ("märz", "Mar"),
    ("mars", "Mar"),
    ("marzo", "Mar"),
    ("março", "Mar"),
    ("maret", "Mar"),
    ("maart", "Mar"),
    ("april", "Apr"),
    ("apr", "Apr"),
    ("avril", "Apr"),
    ("abril", "Apr"),
    ("aprile", "Apr"),
    ("abr", "Apr"),
    ("may", "May"),
    ("mai", "May"),
    ("mayo", "May"),
    ("maio", "May"),
    ("maggio", "May"),
    ("mei", "May"),
    ("june", "Jun"),
    ("jun", "Jun"),
    ("juni", "Jun"),
    ("juin", "Jun"),
    ("junio", "Jun"),
    ("junho", "Jun"),
    ("giugno", "Jun"),
    ("july", "Jul"),
    ("jul", "Jul"),
    ("juli", "Jul"),
    ("juillet", "Jul"),
    ("julio", "Jul"),
    ("julho", "Jul"),
    ("luglio", "Jul"),
    ("august", "Aug"),
    ("aug", "Aug"),
    ("août", "Aug"),
    ("agosto", "Aug"),
    ("agustus", "Aug"),
    ("ago", "Aug"),
    ("augustus", "Aug"),
    ("september", "Sep"),
    ("sep", "Sep"),
    ("sept", "Sep"),
    ("septembre", "Sep"),
    ("septiembre", "Sep"),
    ("setembro", "Sep"),
    ("settembre", "Sep"),
    ("set", "Sep"),
    ("october", "Oct"),
    ("oct", "Oct"),
    ("oktober", "Oct"),
    ("octobre", "Oct"),
    ("octubre", "Oct"),
    ("outubro", "Oct"),
    ("ottobre", "Oct"),
    ("okt", "Oct"),
    ("out", "Oct"),
    ("november", "Nov"),
    ("nov", "Nov"),
    ("novembre", "Nov"),
    ("noviembre", "Nov"),
    ("novembro", "Nov"),
    ("nopember", "Nov"),
    ("december", "Dec"),
    ("dec", "Dec"),
    ("dezember", "Dec"),
    ("décembre", "Dec"),
    ("diciembre", "Dec"),
    ("dezembro", "Dec"),
    ("dicembre", "Dec"),
    ("desember", "Dec"),
    ("dez", "Dec"),
    ("dic", "Dec"),
];

fn month_abbr(word: &str) -> Option<&'static str> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// Formats tried, in order, on the normalised date part (month names
/// already turned into English abbreviations, ordinals, commas and "of"
/// removed).
const DATE_FORMATS: &[&str] = &[
    "%d %b %Y", "%b %d %Y", "%Y %b %d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d",
];
/// Formats tried on the normalised time part.
const TIME_FORMATS: &[&str] = &["%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M"];

static MONTH_NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<d1>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?(?P<m1>\p{L}{3,10})\.?,?\s+(?:de\s+)?(?P<y1>\d{4})\b
        | \b(?P<m2>\p{L}{3,10})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})\b",
    )
    .expect("valid regex")
});

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<y1>(?:19|20)\d{2})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?:[T\s](?P<t1>\d{2}:\d{2}(?::\d{2})?))?
        | \b(?P<y2>(?:19|20)\d{2})\s*[./年년]\s*(?P<m2>\d{1,2})\s*[./月월]\s*(?P<d2>\d{1,2})(?:\s*[日일])?
        | \b(?P<a3>\d{1,2})[/.](?P<b3>\d{1,2})[/.](?P<y3>(?:19|20)\d{2})\b",
    )
    .expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<p>[ap])\.?\s?m\b\.?)?",
    )
    .expect("valid regex")
});

fn parse_with(formats: &[&str], s: &str) -> Option<Date> {
    formats
        .iter()
        .find_map(|f| jiff::fmt::strtime::parse(f, s).ok()?.to_date().ok())
}

fn parse_time(s: &str) -> Option<Time> {
    TIME_FORMATS
        .iter()
        .find_map(|f| jiff::fmt::strtime::parse(f, s).ok()?.to_time().ok())
}

/// Find a publication date (and time, when given on the same line) in a
/// short piece of page text and normalise it to `YYYY-MM-DDTHH:MM:SS`
/// (midnight when no time is given).
///
/// Understands day–month–year and month–day–year with month names in
/// several languages ("6 December 2024, 15:39", "Nov. 19, 2019 at 3:04
/// p.m.", "19 de novembro de 2019"), ISO dates and date-times, `Y.M.D`,
/// `Y/M/D`, CJK `2019年11月19日`, and `M/D/Y` (read as day-first only when
/// the first number cannot be a month). Relative dates ("2 hours ago") and
/// text without a date give `None`: a date is never guessed.
pub fn parse_date(text: &str) -> Option<String> {
    let (date, after) = find_date(text)?;
    let time = TIME.captures(after).and_then(|c| {
        let mut t = format!("{}:{}", &c["h"], &c["m"]);
        if let Some(s) = c.name("s") {
            t.push(':');
            t.push_str(s.as_str());
        }
        if let Some(p) = c.name("p") {
            t.push(' ');
            t.push_str(&p.as_str().to_uppercase());
            t.push('M');
        }
        parse_time(&t)
    });
    let dt = DateTime::from_parts(date, time.unwrap_or(Time::midnight()));
    Some(dt.strftime("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The first date in `text`, and the text after it (where a time may be).
/// A time written just before the date ("11:03 PM, Nov 18 2019") is also
/// looked for there, by returning the whole text when nothing follows.
fn find_date(text: &str) -> Option<(Date, &str)> {
    if !has_four_digits(text) {
        // both date regexes need a year: skip them (they use Unicode `\b`,
        // slow on non-ASCII text) for the many lines without one
        return None;
    }
    let mut best: Option<(usize, Date, usize)> = None;
    for c in MONTH_NAME_DATE.captures_iter(text) {
        let (d, m, y) = match (c.name("d1"), c.name("m1"), c.name("y1")) {
            (Some(d), Some(m), Some(y)) => (d, m, y),
            _ => match (c.name("d2"), c.name("m2"), c.name("y2")) {
                (Some(d), Some(m), Some(y)) => (d, m, y),
                _ => continue,
            },
        };
        let Some(abbr) = month_abbr(m.as_str()) else {
            continue;
        };
        let s = format!("{} {} {}", d.as_str(), abbr, y.as_str());
        if let Some(date) = parse_with(DATE_FORMATS, &s) {
            let m0 = c.get(0).expect("match");
            best = Some((m0.start(), date, m0.end()));
            break;
        }
    }
    for c in NUMERIC_DATE.captures_iter(text) {
        let m0 = c.get(0).expect("match");
        if best.is_some_and(|(start, _, _)| start < m0.start()) {
            break;
        }
        let s = if let (Some(y), Some(m), Some(d)) = (c.name("y1"), c.name("m1"), c.name("d1")) {
            format!("{}-{}-{}", y.as_str(), m.as_str(), d.as_str())
        } else if let (Some(y), Some(m), Some(d)) = (c.name("y2"), c.name("m2"), c.name("d2")) {
            format!("{}/{}/{}", y.as_str(), m.as_str(), d.as_str())
        } else if let (Some(a), Some(b), Some(y)) = (c.name("a3"), c.name("b3"), c.name("y3")) {
            let (a_n, b_n): (u32, u32) = (a.as_str().parse().ok()?, b.as_str().parse().ok()?);
            // US month-first unless the first number cannot be a month, or
            // the separator is a dot (European day-first).
            let dotted = text[a.end()..].starts_with('.');
            if a_n > 12 || dotted {
                format!("{}-{}-{}", y.as_str(), b_n, a_n)
            } else {
                format!("{}-{}-{}", y.as_str(), a_n, b_n)
            }
        } else {
            continue;
        };
        if let Some(date) = parse_with(DATE_FORMATS, &s) {
            let end = c.name("t1").map_or(m0.end(), |t| t.start());
            best = Some((m0.start(), date, end));
            break;
        }
    }
    let (start, date, end) = best?;
    let after = &text[end..];
    if TIME.is_match(after) {
        Some((date, after))
    } else {
        Some((date, &text[..start]))
    }
}

/// Does `text` hold four numeric characters in a row? Every match of
/// [`MONTH_NAME_DATE`] and [`NUMERIC_DATE`] does: a year is `\d{4}` or
/// `(?:19|20)\d{2}`, and `\d` (Unicode decimal digits) is numeric.
fn has_four_digits(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_numeric() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|von|por|di|oleh|par|door)\s*:?\s+(?P<who>\p{Lu}.*)$").expect("valid regex")
});

/// The words a [`BYLINE`] starts with (lower-case ASCII letters).
const BYLINE_WORDS: &[&str] = &["by", "von", "por", "di", "oleh", "par", "door"];

/// Parse a byline line ("By Kit Heren", "By A and B", "By A, B | Reuters",
/// "BY JANE DOE, Associated Press • Updated 2 hours ago") into the names.
/// `None` when the line is not a byline.
pub fn parse_byline(line: &str) -> Option<String> {
    let line = line.trim();
    // most lines do not start with a byline word: skip the regex for them
    if !BYLINE_WORDS.iter().any(|w| starts_with_folded(line, w)) || line.chars().count() > 160 {
        return None;
    }
    let who = BYLINE.captures(line)?.name("who")?.as_str();
    // cut at separators that start other metadata
    let mut end = who.len();
    for sep in [
        " | ",
        " |",
        " • ",
        "•",
        " — ",
        " – ",
        " - ",
        "\t",
        " Updated",
        " Published",
        " Posted",
        " on ",
    ] {
        if let Some(i) = who.find(sep) {
            end = end.min(i);
        }
    }
    let mut who = who[..end].trim();
    // a trailing date ("By Jane Doe November 19, 2019")
    if let Some(m) = MONTH_NAME_DATE.find(who).or_else(|| NUMERIC_DATE.find(who)) {
        who = who[..m.start()].trim();
    }
    let who = who.trim_end_matches([',', ';', ':', '.', ' ']).trim();
    let words = who.split_whitespace().count();
    if who.is_empty() || words > 12 || who.ends_with('?') {
        return None;
    }
    Some(who.to_string())
}

static CREDIT_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<cap>.*?)[\s.]*(?:\b(?:picture|photo|photograph|image|images|credit|image credit|photo credit|foto|bild|source)s?\s*:\s*(?P<who>[^:()]{1,80}))$",
    )
    .expect("valid regex")
});

static PHOTO_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<cap>.*?)\s*\(\s*(?:photo|picture|image|foto)s?\s*(?:by\b|credit\b:?|:)\s*(?P<who>[^()]{1,80})\)\.?$")
        .expect("valid regex")
});

/// Split a picture caption into the caption proper and its credit:
/// "… Belarus. Picture: Alamy" → ("… Belarus", "Alamy"),
/// "… (Photo by Richard Shotwell/Invision/AP)" → (…, "Richard
/// Shotwell/Invision/AP"), "Image Credit: WeWork" → ("", "WeWork").
/// `None` when the text names no credit.
pub fn split_credit(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    // The regexes use Unicode `\b`, so on non-ASCII text (curly quotes) they
    // run in the slow backtracker; almost no block can match, and the cheap
    // necessary conditions below say so first (same result, see their tests).
    let c = may_match_credit_suffix(text)
        .then(|| CREDIT_SUFFIX.captures(text))
        .flatten()
        .or_else(|| may_match_photo_by(text).then(|| PHOTO_BY.captures(text))?)?;
    let who = c.name("who")?.as_str().trim().trim_end_matches('.').trim();
    if who.is_empty() || who.split_whitespace().count() > 8 {
        return None;
    }
    let cap = c.name("cap").map_or("", |m| m.as_str()).trim();
    let cap = cap
        .strip_suffix('.')
        .filter(|c| !c.ends_with('.'))
        .unwrap_or(cap)
        .trim();
    Some((cap.to_string(), who.to_string()))
}

/// Fold a character the way the regexes' case-insensitive mode does, for
/// letters that fold to ASCII: ASCII letters to lower case, `ſ` (long s) to
/// `s` and `K` (Kelvin sign) to `k`. Any other character gives `None`.
fn fold_ascii_letter(c: char) -> Option<u8> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(c.to_ascii_lowercase() as u8),
        '\u{17F}' => Some(b's'),
        '\u{212A}' => Some(b'k'),
        _ => None,
    }
}

/// Does `text` end with `word` (lower-case ASCII letters), compared as the
/// regexes' `(?i)` compares?
fn ends_with_folded(text: &str, word: &str) -> bool {
    let mut chars = text.chars().rev();
    word.bytes()
        .rev()
        .all(|w| chars.next().and_then(fold_ascii_letter) == Some(w))
}

/// Does `text` start with `word` (lower-case ASCII letters), compared as the
/// regexes' `(?i)` compares?
fn starts_with_folded(text: &str, word: &str) -> bool {
    let mut chars = text.chars();
    word.bytes()
        .all(|w| chars.next().and_then(fold_ascii_letter) == Some(w))
}

/// The credit words of [`CREDIT_SUFFIX`] ("image credit" and "photo credit"
/// end in "credit").
const CREDIT_WORDS: &[&str] = &[
    "picture",
    "photo",
    "photograph",
    "image",
    "images",
    "credit",
    "foto",
    "bild",
    "source",
];

/// A necessary condition for [`CREDIT_SUFFIX`] to match: the credit (no
/// `:`, `(` or `)`, at most 80 characters after leading whitespace) follows
/// the last `:`, and before that colon, but for whitespace, stands a
/// credit word with an optional plural `s`. (`\s` is Unicode White_Space,
/// as `char::is_whitespace`, and a credit word ends in a letter, so trimming
/// finds the word's end.)
fn may_match_credit_suffix(text: &str) -> bool {
    let Some(colon) = text.rfind(':') else {
        return false;
    };
    let (before, rest) = (&text[..colon], &text[colon + 1..]);
    if rest.is_empty() || rest.contains(['(', ')']) || rest.trim_start().chars().nth(80).is_some() {
        return false;
    }
    let before = before.trim_end();
    let singular = before.strip_suffix(['s', 'S', '\u{17F}']).unwrap_or(before);
    CREDIT_WORDS
        .iter()
        .any(|w| ends_with_folded(before, w) || ends_with_folded(singular, w))
}

/// A necessary condition for [`PHOTO_BY`] to match: the text ends in `)` or
/// `).`, and after the last `(` (the credit holds no parentheses), but for
/// whitespace, comes a picture word.
fn may_match_photo_by(text: &str) -> bool {
    let body = text.strip_suffix('.').unwrap_or(text);
    let Some(body) = body.strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let after = body[open + 1..].trim_start();
    ["photo", "picture", "image", "foto"]
        .iter()
        .any(|w| starts_with_folded(after, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_shapes_pages_use() {
        let cases: &[(&str, Option<&str>)] = &[
            ("6 December 2024, 15:39", Some("2024-12-06T15:39:00")),
            (
                "Reuters November 18, 2019 11:03 PM",
                Some("2019-11-18T23:03:00"),
            ),
            ("October 5, 2018", Some("2018-10-05T00:00:00")),
            (
                "Updated 10:05 AM ET, Tue November 19, 2019",
                Some("2019-11-19T10:05:00"),
            ),
            (
                "Published: Nov. 19, 2019 at 3:04 p.m. ET",
                Some("2019-11-19T15:04:00"),
            ),
            ("Posted on Sept. 3rd, 2019", Some("2019-09-03T00:00:00")),
            ("2019-11-19T08:30:00Z", Some("2019-11-19T08:30:00")),
            ("date 2024-12-06", Some("2024-12-06T00:00:00")),
            (
                "by ライトハウス国際特許事務所 ／ 2016.12.01",
                Some("2016-12-01T00:00:00"),
            ),
            ("2013年04月09日", Some("2013-04-09T00:00:00")),
            ("2019년 11월 19일 오전 10:20", Some("2019-11-19T10:20:00")),
            ("19 de novembro de 2019", Some("2019-11-19T00:00:00")),
            (
                "Dienstag, 19. November 2019, 14:05 Uhr",
                Some("2019-11-19T14:05:00"),
            ),
            ("19 novembre 2019 - 08:12", Some("2019-11-19T08:12:00")),
            (
                "Selasa, 19 November 2019 09:45 WIB",
                Some("2019-11-19T09:45:00"),
            ),
            ("11/19/2019", Some("2019-11-19T00:00:00")),
            ("19/11/2019 13:00", Some("2019-11-19T13:00:00")),
            ("19.11.2019", Some("2019-11-19T00:00:00")),
            ("2 hours ago", None),
            ("Yesterday at 10:30", None),
            ("Share this article", None),
            ("Chapter 31 of 2019", None),
            ("February 30, 2019", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text).as_deref(), *want, "for {text:?}");
        }
    }

    #[test]
    fn bylines() {
        let cases: &[(&str, Option<&str>)] = &[
            ("By Kit Heren", Some("Kit Heren")),
            ("By Jane Doe and John Roe", Some("Jane Doe and John Roe")),
            ("By Jane Doe, John Roe", Some("Jane Doe, John Roe")),
            ("BY MARIA LOPEZ | Associated Press", Some("MARIA LOPEZ")),
            ("By Sam Lee • Updated 2 hours ago", Some("Sam Lee")),
            ("By Anna Bell November 19, 2019", Some("Anna Bell")),
            ("Von Max Mustermann", Some("Max Mustermann")),
            ("by ライトハウス国際特許事務所 ／ 2016.12.01", None),
            ("Byline", None),
            (
                "By the way, the shop is closed on Sundays and holidays.",
                None,
            ),
            ("by popular demand", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_byline(text).as_deref(), *want, "for {text:?}");
        }
    }

    #[test]
    fn credits() {
        let s = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            split_credit("Putin with Lukashenko on Friday. Picture: Getty"),
            s("Putin with Lukashenko on Friday", "Getty")
        );
        assert_eq!(split_credit("Image Credit: WeWork"), s("", "WeWork"));
        assert_eq!(
            split_credit("Meghan arrives at the gala. (Photo by Richard Shotwell/Invision/AP)"),
            s("Meghan arrives at the gala", "Richard Shotwell/Invision/AP")
        );
        assert_eq!(
            split_credit("Firefighters at the scene. Photo: Jane Roe/Reuters"),
            s("Firefighters at the scene", "Jane Roe/Reuters")
        );
        assert_eq!(
            split_credit("The pier at dusk (Photo: PA)"),
            s("The pier at dusk", "PA")
        );
        assert_eq!(
            split_credit("He said the picture was clear: nobody moved."),
            None
        );
    }

    /// Every `char`, for the exhaustive checks below.
    fn all_chars() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    #[test]
    fn folding_matches_the_regex_case_insensitivity() {
        let letter = Regex::new(r"(?i)^[a-z]$").unwrap();
        let each: Vec<(u8, Regex)> = (b'a'..=b'z')
            .map(|l| (l, Regex::new(&format!("(?i)^{}$", l as char)).unwrap()))
            .collect();
        let mut buf = [0u8; 4];
        for c in all_chars() {
            let c_str = c.encode_utf8(&mut buf);
            let want = letter.is_match(c_str).then(|| {
                let found: Vec<u8> = each
                    .iter()
                    .filter(|(_, r)| r.is_match(c_str))
                    .map(|(l, _)| *l)
                    .collect();
                assert_eq!(found.len(), 1, "{c:?}");
                found[0]
            });
            assert_eq!(fold_ascii_letter(c), want, "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(5_000)))]
        #[test]
        fn byline_pre_check_never_rejects_a_match(
            line in "[ \t]{0,2}(By|BY|bY|by|Von|VON|por|Por|di|DI|Di|oleh|Oleh|par|PAR|door|Door|ſ|K|[a-z]{1,3})\
                [ \u{a0}:]{0,3}[A-Za-zÉ ]{0,10}"
        ) {
            if BYLINE.is_match(line.trim()) {
                proptest::prop_assert!(BYLINE_WORDS.iter().any(|w| starts_with_folded(line.trim(), w)));
            }
        }
    }

    #[test]
    fn regex_digits_are_numeric() {
        let digit = Regex::new(r"^\d$").unwrap();
        let mut buf = [0u8; 4];
        for c in all_chars() {
            if digit.is_match(c.encode_utf8(&mut buf)) {
                assert!(c.is_numeric(), "{c:?}");
            }
        }
    }

    /// Text with dates of all the shapes the date regexes look for (and
    /// near misses: three-digit years, other text).
    const DATE_LIKE: &str = "[a-z ]{0,3}(?:\
            [0-9٠-٩]{1,2}(st|º)?\\.? (de |of )?[A-Za-zé]{3,9}\\.?,? [0-9٠-٩]{3,4}\
            |[A-Za-z]{3,9}\\.? [0-9]{1,2},? [0-9٠-٩]{3,4}\
            |(19|20|1)[0-9٠-٩]{1,2}\\s*[-./年]\\s*[0-9]{1,2}\\s*[-./月]\\s*[0-9]{1,2}\
            |[0-9]{1,2}[/.][0-9]{1,2}[/.](19|20)[0-9]{1,2}\
            |[0-9a-z .,:/-]{0,20})[ a-z0-9]{0,3}";

    #[test]
    fn date_like_texts_often_match() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = proptest::string::string_regex(DATE_LIKE).unwrap();
        let matched = (0..2000)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .filter(|t| MONTH_NAME_DATE.is_match(t) || NUMERIC_DATE.is_match(t))
            .count();
        assert!(matched > 200, "{matched}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(5_000)))]
        #[test]
        fn dates_have_four_digits(text in DATE_LIKE) {
            let matched = MONTH_NAME_DATE.is_match(&text) || NUMERIC_DATE.is_match(&text);
            proptest::prop_assert!(!matched || has_four_digits(&text));
        }
    }

    #[test]
    fn regex_whitespace_is_char_whitespace() {
        let ws = Regex::new(r"^\s$").unwrap();
        let mut buf = [0u8; 4];
        for c in all_chars() {
            assert_eq!(
                ws.is_match(c.encode_utf8(&mut buf)),
                c.is_whitespace(),
                "{c:?}"
            );
        }
    }

    /// `split_credit` as it was before the pre-checks.
    fn split_credit_regexes_only(text: &str) -> Option<(String, String)> {
        let text = text.trim();
        let c = CREDIT_SUFFIX
            .captures(text)
            .or_else(|| PHOTO_BY.captures(text))?;
        let who = c.name("who")?.as_str().trim().trim_end_matches('.').trim();
        if who.is_empty() || who.split_whitespace().count() > 8 {
            return None;
        }
        let cap = c.name("cap").map_or("", |m| m.as_str()).trim();
        let cap = cap
            .strip_suffix('.')
            .filter(|c| !c.ends_with('.'))
            .unwrap_or(cap)
            .trim();
        Some((cap.to_string(), who.to_string()))
    }

    /// Texts near both credit shapes: a caption, maybe a credit word (in
    /// odd cases, with long s and Kelvin sign), whitespace of several kinds,
    /// colons, parentheses and a credit of around 80 characters.
    const NEAR_CREDIT: &str = "(?s)[a-z “”.,:()]{0,12}[ .(]{0,2}(?:\
        (?:PicTure|photo|PHOTOGRAPH|image|Images|credit|image credit|photo Credit|foto|bild|ſource|[a-zſ\u{212A}]{0,4})\
        [sSſ]?[ \t\n\u{a0}\u{2003}]{0,2}[:;]{0,2}[ \n\u{a0}]{0,2}\
        [a-zA-Z/ .’\u{a0}]{0,60}[:()]?[a-zA-Z/ .’]{0,30}\
        |\
        \\((?:\\s)?(?:photo|Picture|IMAGE|foto|[a-zſ]{0,4})[sSſ]?[ \t\u{a0}]{0,2}\
        (?:by|BY|credit|credit:|:|Credit :|[a-z]{1,2})[ \u{a0}]{0,2}\
        [a-zA-Z/ .’]{0,60}[():]?[a-zA-Z/ .’]{0,25}\\)?\\.?[.)]?)";

    #[test]
    fn near_credit_texts_often_match() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = proptest::string::string_regex(NEAR_CREDIT).unwrap();
        let (mut suffix, mut photo_by, mut passed) = (0, 0, 0);
        for _ in 0..20_000 {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            suffix += usize::from(CREDIT_SUFFIX.is_match(&text));
            photo_by += usize::from(PHOTO_BY.is_match(&text));
            passed += usize::from(may_match_credit_suffix(&text) || may_match_photo_by(&text));
        }
        eprintln!(
            "of 20000: {suffix} credit suffixes, {photo_by} photo-by, {passed} pass a pre-check"
        );
        assert!(suffix > 500 && photo_by > 100, "{suffix} {photo_by}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(20_000)))]

        #[test]
        fn credit_prechecks_never_reject_a_match(text in NEAR_CREDIT) {
            if CREDIT_SUFFIX.is_match(&text) {
                proptest::prop_assert!(may_match_credit_suffix(&text));
            }
            if PHOTO_BY.is_match(&text) {
                proptest::prop_assert!(may_match_photo_by(&text));
            }
            proptest::prop_assert_eq!(split_credit(&text), split_credit_regexes_only(&text));
        }

        #[test]
        fn split_credit_is_unchanged_on_any_text(text in "(?s)\\PC{0,120}") {
            proptest::prop_assert_eq!(split_credit(&text), split_credit_regexes_only(&text));
        }
    }
}
