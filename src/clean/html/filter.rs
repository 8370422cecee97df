//! Decide, block by block, what of the extracted content is article body:
//! Readability keeps captions, headline/byline/date lines, share and
//! newsletter prompts and "Read more" links around the body; these rules
//! remove them without naming any site.

use super::render::{Block, Kind};
use crate::clean::Verdict;
use crate::model::Figure;
use regex::Regex;
use std::sync::LazyLock;

/// Fewer words than this in the kept body means there is no article.
pub(crate) const MIN_ARTICLE_WORDS: usize = 25;

pub(crate) struct Context<'a> {
    pub title: &'a str,
    pub byline: Option<&'a str>,
    pub figures: &'a [Figure],
}

pub(crate) type Decision = (Verdict, &'static str);

fn key(s: &str) -> String {
    // ASCII byte by byte (blocks can be megabytes long)
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.bytes().position(|b| !b.is_ascii()) {
        out.extend(
            rest.as_bytes()[..i]
                .iter()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        let c = rest[i..].chars().next().expect("a character");
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.extend(
        rest.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase())),
    );
    out
}

/// Class/id words that mark page furniture rather than article text, with
/// the verdict they imply. Matched as substrings of the class/id values of
/// the block's element and its ancestors inside the extracted content.
const HINTS: &[(&str, Verdict, &str)] = &[
    ("caption", Verdict::Meta, "caption"),
    ("credit", Verdict::Meta, "caption"),
    ("byline", Verdict::Meta, "byline"),
    ("author", Verdict::Meta, "byline"),
    ("timestamp", Verdict::Meta, "date"),
    ("gallery", Verdict::Dropped, "gallery"),
    ("share", Verdict::Dropped, "share buttons"),
    ("social", Verdict::Dropped, "share buttons"),
    ("newsletter", Verdict::Dropped, "newsletter prompt"),
    ("signup", Verdict::Dropped, "newsletter prompt"),
    ("subscribe", Verdict::Dropped, "newsletter prompt"),
    ("related", Verdict::Dropped, "related links"),
    ("promo", Verdict::Dropped, "promotion"),
    ("sponsor", Verdict::Dropped, "promotion"),
    ("advert", Verdict::Dropped, "advertisement"),
    ("breadcrumb", Verdict::Dropped, "navigation"),
    ("trending", Verdict::Dropped, "related links"),
    ("copyright", Verdict::Dropped, "copyright notice"),
];

/// Whole class/id tokens with the same meaning (too short to be matched as
/// substrings).
const HINT_TOKENS: &[(&str, Verdict, &str)] = &[
    ("meta", Verdict::Meta, "article metadata"),
    ("date", Verdict::Meta, "date"),
    ("time", Verdict::Meta, "date"),
    ("dateline", Verdict::Meta, "date"),
    ("bio", Verdict::Dropped, "author bio"),
    ("ad", Verdict::Dropped, "advertisement"),
    ("ads", Verdict::Dropped, "advertisement"),
    ("email", Verdict::Dropped, "share buttons"),
    ("print", Verdict::Dropped, "share buttons"),
    ("photo", Verdict::Meta, "caption"),
    ("media", Verdict::Meta, "caption"),
    ("figure", Verdict::Meta, "caption"),
    ("header", Verdict::Meta, "article header"),
    ("tags", Verdict::Dropped, "tags"),
    ("comments", Verdict::Dropped, "comments"),
];

fn hint_decision(hints: &str) -> Option<Decision> {
    let h = hints.to_lowercase();
    let words: Vec<&str> = h
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for w in &words {
        if w.starts_with("readability") {
            continue;
        }
        for (needle, v, why) in HINTS {
            if w.contains(needle) {
                return Some((*v, why));
            }
        }
        for (tok, v, why) in HINT_TOKENS {
            if w == tok {
                return Some((*v, why));
            }
        }
    }
    None
}

static CREDIT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\(\s*(?:image|images|photo|photos|photograph|picture|pic|credit|foto|bild|source|ap photo|getty|reuters|afp|epa|pa)\b[^()]*\)|\b(?:getty images|shutterstock|ap photo[^)]*|afp|reuters|epa)\)?)\s*\.?\s*$",
    )
    .unwrap()
});

static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*\(?\s*(?:image|photo|photograph|picture|credit|foto|bild|source)s?\s*(?:by|:)",
    )
    .unwrap()
});

static BYLINE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:By|BY|Por|Von|Oleh)\s+\p{Lu}").unwrap());

static REPORTING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:(?:additional\s+)?reporting by|editing by|written by|compiled by|\S+(?:\s+\S+){0,4}\s+contributed (?:to )?(?:this )?report)")
        .unwrap()
});

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:newsletters?|sign up (?:to|for) (?:our|the)|follow us|join our|affiliate (?:links?|commission)|may earn)\b",
    )
    .unwrap()
});

static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\d+(?:st|nd|rd|th|h|am|pm)?|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|am|pm|a|p|m|utc|gmt|et|pt|ct|est|edt|pst|pdt|cst|cdt|bst|cet|cest|ist|published|updated|posted|original|modified|last|on|at|de|às|um|am|le|il|publicado|atualizado|aktualisiert|veröffentlicht|pubblicato|aggiornato|diterbitkan|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|segunda|terça|quarta|quinta|sexta|sábado|domingo|feira|januar|februar|märz|mai|juni|juli|oktober|dezember|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)$",
    )
    .unwrap()
});

/// A short line made of date/time words only ("Updated 1:33 am CST,
/// Wednesday, November 20, 2019").
fn is_date_line(text: &str) -> bool {
    // (25 are enough to know: a block can be megabytes long)
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(25)
        .collect();
    if words.is_empty() || words.len() > 24 {
        return false;
    }
    let has_digit = text.chars().any(|c| c.is_ascii_digit());
    let other = words.iter().filter(|w| !DATE_WORD.is_match(w)).count();
    has_digit && other * 5 <= words.len().max(1) && other <= 2
}

/// Only an e-mail address or a URL.
fn is_contact(text: &str) -> bool {
    let t = text.trim();
    !t.contains(' ')
        && (t.contains('@')
            || t.starts_with("http")
            || t.starts_with("www.")
            || t.contains(".com/"))
}

pub(crate) fn filter(blocks: &[Block], ctx: &Context) -> Vec<Decision> {
    let title = key(ctx.title);
    let byline = ctx.byline.map(key).unwrap_or_default();
    let captions: Vec<String> = ctx.figures.iter().map(|f| key(&f.caption)).collect();
    let mut body_started = false;
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let words = b.words();
        let d = decide(b, words, &title, &byline, &captions, body_started);
        if d.0 == Verdict::Kept && b.kind == Kind::Paragraph && words >= 8 {
            body_started = true;
        }
        out.push(d);
    }
    out
}

/// The verdict on one block of the extracted content.
fn decide(
    b: &Block,
    words: usize,
    title: &str,
    byline: &str,
    captions: &[String],
    body_started: bool,
) -> Decision {
    let k = key(&b.text);
    if b.kind == Kind::Caption {
        return (Verdict::Meta, "caption");
    }
    if !title.is_empty() && k == title {
        return (Verdict::Meta, "headline");
    }
    if !byline.is_empty() && (k == byline || k == format!("by{byline}")) {
        return (Verdict::Meta, "byline");
    }
    if k.len() > 8 && captions.contains(&k) {
        return (Verdict::Meta, "caption");
    }
    if let Some(d) = hint_decision(&b.hints)
        && words <= 120
    {
        return d;
    }
    if b.link_density() > 0.5 {
        return (Verdict::Dropped, "mostly links");
    }
    if words <= 60
        && (CREDIT_END.is_match(&b.text) || (words <= 12 && CREDIT_LINE.is_match(&b.text)))
    {
        return (Verdict::Meta, "caption");
    }
    if is_date_line(&b.text) {
        return (Verdict::Meta, "date");
    }
    if words <= 25 && BYLINE_LINE.is_match(&b.text) {
        return (Verdict::Meta, "byline");
    }
    if words <= 60 && REPORTING_LINE.is_match(&b.text) {
        return (Verdict::Dropped, "reporting credits");
    }
    if words <= 50 && PROMPT.is_match(&b.text) {
        return (Verdict::Dropped, "newsletter or subscription prompt");
    }
    if is_contact(&b.text) {
        return (Verdict::Dropped, "contact line");
    }
    // a long "heading" before the first paragraph is the standfirst
    if !body_started
        && let Kind::Heading(_) = b.kind
        && words >= 12
    {
        return (Verdict::Dropped, "standfirst");
    }
    (Verdict::Kept, "article body")
}

/// The verdict on a block of the page outside the extracted content: the
/// headline, byline, date and captions there are metadata, the rest is
/// page furniture.
pub(crate) fn outside(b: &Block, ctx: &Context) -> Decision {
    let k = key(&b.text);
    let title = key(ctx.title);
    let byline = ctx.byline.map(key).unwrap_or_default();
    if !title.is_empty() && k == title {
        return (Verdict::Meta, "headline");
    }
    if !byline.is_empty() && (k == byline || k == format!("by{byline}")) {
        return (Verdict::Meta, "byline");
    }
    if b.kind == Kind::Caption
        || (k.len() > 8
            && ctx.figures.iter().any(|f| {
                key(&format!(
                    "{} {}",
                    f.caption,
                    f.credit.as_deref().unwrap_or("")
                )) == k
                    || key(&f.caption) == k
            }))
    {
        return (Verdict::Meta, "caption");
    }
    if is_date_line(&b.text) {
        return (Verdict::Meta, "date");
    }
    (Verdict::Dropped, "outside the main content")
}

#[cfg(test)]
mod tests {
    use super::key;

    proptest::proptest! {
        /// `key` is the alphanumeric characters, lower-cased.
        #[test]
        fn key_keeps_alphanumerics_lowercased(s in "[a-zA-Z0-9 .,éÉßİ日本\u{300}-]{0,40}") {
            let want: String = s
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(key(&s), want);
        }
    }
}
