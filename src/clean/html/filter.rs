//! Decide, block by block, what of the extracted content is article body:
//! Readability keeps captions, headline/byline/date lines, share and
//! newsletter prompts and "Read more" links around the body; these rules
//! remove them without naming any site.

use super::render::{Block, Kind};
use crate::clean::Verdict;
use crate::model::Figure;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Fewer words than this in the kept body means there is no article.
pub(crate) const MIN_ARTICLE_WORDS: usize = 25;

pub(crate) struct Context<'a> {
    pub title: &'a str,
    pub byline: Option<&'a str>,
    pub figures: &'a [Figure],
    /// Keys of the page's blocks that are entries of listings (other
    /// stories, comments), from [`listing_keys`].
    pub listed: &'a HashSet<String>,
}

pub(crate) type Decision = (Verdict, &'static str);

/// Normalised text used to match blocks by their text: the alphanumeric
/// characters, lower-cased.
pub(crate) fn key(s: &str) -> String {
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
    ("disqus", Verdict::Dropped, "comments"),
    ("sidebar", Verdict::Dropped, "sidebar"),
    ("popular", Verdict::Dropped, "related links"),
    ("mostread", Verdict::Dropped, "related links"),
    ("recommend", Verdict::Dropped, "related links"),
    ("outbrain", Verdict::Dropped, "related links"),
    ("taboola", Verdict::Dropped, "related links"),
    ("footer", Verdict::Dropped, "page footer"),
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
    ("comment", Verdict::Dropped, "comments"),
    ("commentlist", Verdict::Dropped, "comments"),
    ("replies", Verdict::Dropped, "comments"),
    ("jobs", Verdict::Dropped, "job ads"),
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
    drop_listed(blocks, ctx.listed, &mut out);
    drop_repeats(blocks, &mut out);
    drop_empty_sections(blocks, &mut out);
    drop_author_bio(blocks, &byline, &mut out);
    out
}

/// Keys of the page's blocks that are entries of a listing rather than
/// part of an article (see [`listing_marks`]) and that no other block of
/// the page shares (so an article paragraph quoted in a teaser stays).
pub(crate) fn listing_keys(page: &[Block]) -> HashSet<String> {
    let marks = listing_marks(page);
    let mut listed = HashSet::new();
    let mut other = HashSet::new();
    for (b, m) in page.iter().zip(marks) {
        let k = key(&b.text);
        if k.is_empty() {
            continue;
        }
        if m {
            listed.insert(k);
        } else {
            other.insert(k);
        }
    }
    listed.retain(|k| !other.contains(k));
    listed
}

/// Drops the content's blocks that are listing entries on the page, unless
/// they are most of the content (then the listing is the article: a live
/// blog, a list of short items).
fn drop_listed(blocks: &[Block], listed: &HashSet<String>, out: &mut [Decision]) {
    if listed.is_empty() {
        return;
    }
    let mut kept = 0;
    let mut hit = Vec::new();
    for (i, (b, d)) in blocks.iter().zip(out.iter()).enumerate() {
        if d.0 != Verdict::Kept {
            continue;
        }
        kept += b.words();
        if listed.contains(&key(&b.text)) {
            hit.push(i);
        }
    }
    let dropped: usize = hit.iter().map(|&i| blocks[i].words()).sum();
    if dropped * 5 > kept * 3 {
        return;
    }
    for i in hit {
        out[i] = (Verdict::Dropped, "list of other stories or comments");
    }
}

/// A short block that is mostly a link: a story's linked headline, an
/// author's name, "Reply".
fn is_link_line(b: &Block) -> bool {
    b.link_density() > 0.5 && b.words() <= 20
}

/// Marks the blocks of a page that belong to listings:
///
/// - runs of three or more sibling containers that each look like an
///   entry rather than part of an article: few words, at least one link
///   line (other stories with their teasers, reader comments with their
///   authors' names and "Reply" links, job ads). An article's paragraphs
///   sit side by side in one container, or in a few long ones, so they
///   never form such a run;
/// - teasers set out in one container without a wrapper per story: three
///   or more linked headings, each followed by at most two short blocks;
/// - the text of a small box around a form (a newsletter sign-up, a
///   comment form).
pub(crate) fn listing_marks(blocks: &[Block]) -> Vec<bool> {
    #[derive(Default)]
    struct Stats {
        words: usize,
        blocks: usize,
        link_lines: usize,
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Item {
        Child(usize),
        Direct,
    }
    let mut stats: HashMap<usize, Stats> = HashMap::new();
    // per container, what it holds in order: child containers and blocks
    let mut seq: HashMap<usize, Vec<Item>> = HashMap::new();
    for b in blocks {
        for (d, &c) in b.path.iter().enumerate() {
            let s = stats.entry(c).or_default();
            s.words += b.words();
            s.blocks += 1;
            s.link_lines += usize::from(is_link_line(b));
            let item = b.path.get(d + 1).map_or(Item::Direct, |&c| Item::Child(c));
            let v = seq.entry(c).or_default();
            if v.last() != Some(&item) || item == Item::Direct {
                v.push(item);
            }
        }
    }
    let entry_like = |c: usize| {
        stats
            .get(&c)
            .is_some_and(|s| s.link_lines >= 1 && s.words <= 80 && (2..=8).contains(&s.blocks))
    };
    let mut listed: Vec<usize> = Vec::new();
    for items in seq.values() {
        let mut run: Vec<usize> = Vec::new();
        for it in items.iter().chain(std::iter::once(&Item::Direct)) {
            match it {
                Item::Child(c) if entry_like(*c) => run.push(*c),
                _ => {
                    if run.len() >= 3 {
                        listed.extend(&run);
                    }
                    run.clear();
                }
            }
        }
    }
    listed.sort_unstable();
    let mut marks: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.path.iter().any(|c| listed.binary_search(c).is_ok())
                || (b.beside_form && stats.get(&b.container()).is_some_and(|s| s.words <= 60))
        })
        .collect();
    mark_teaser_runs(blocks, &mut marks);
    marks
}

fn is_linked_heading(b: &Block) -> bool {
    matches!(b.kind, Kind::Heading(_)) && is_link_line(b)
}

/// Marks runs of three or more linked headings in one container, each
/// followed by at most two short blocks (the teaser, a time).
fn mark_teaser_runs(blocks: &[Block], marks: &mut [bool]) {
    let mut i = 0;
    while i < blocks.len() {
        if !is_linked_heading(&blocks[i]) {
            i += 1;
            continue;
        }
        let container = blocks[i].container();
        let mut entries = 0;
        let mut j = i;
        while j < blocks.len()
            && blocks[j].container() == container
            && is_linked_heading(&blocks[j])
        {
            entries += 1;
            j += 1;
            let mut tail = 0;
            while j < blocks.len()
                && tail < 2
                && blocks[j].container() == container
                && !matches!(blocks[j].kind, Kind::Heading(_))
                && blocks[j].words() <= 40
            {
                tail += 1;
                j += 1;
            }
        }
        if entries >= 3 {
            for m in &mut marks[i..j] {
                *m = true;
            }
        }
        i = j.max(i + 1);
    }
}

/// The last kept blocks, when short and starting with the byline's name,
/// are the author's bio ("Jane Roe is our environment correspondent…").
fn drop_author_bio(blocks: &[Block], byline: &str, out: &mut [Decision]) {
    if byline.chars().count() < 5 {
        return;
    }
    let kept: Vec<usize> = (0..blocks.len())
        .filter(|&i| out[i].0 == Verdict::Kept)
        .collect();
    // never the first kept block: a bio follows an article
    for &i in kept.iter().skip(1).rev().take(2) {
        let b = &blocks[i];
        if b.kind == Kind::Paragraph && b.words() <= 60 && key(&b.text).starts_with(byline) {
            out[i] = (Verdict::Dropped, "author bio");
        } else {
            break;
        }
    }
}

static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:\w+\s+)?\d{1,3}\s*(?:/|of|von|de|di|sur|из)\s*\d{1,3}\W*(?:\w+\W*)?$")
        .unwrap()
});

/// A block that repeats an earlier caption (shown again in a gallery's
/// viewer) is a caption too; a gallery's "3 of 12" counter is dropped.
fn drop_repeats(blocks: &[Block], out: &mut [Decision]) {
    let mut first: HashMap<String, Decision> = HashMap::new();
    for (b, d) in blocks.iter().zip(out.iter_mut()) {
        if d.0 == Verdict::Kept && b.words() <= 6 && COUNTER.is_match(&b.text) {
            *d = (Verdict::Dropped, "gallery counter");
            continue;
        }
        if b.words() < 4 {
            continue;
        }
        match first.entry(key(&b.text)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                if d.0 == Verdict::Kept && matches!(e.get().1, "caption" | "gallery") {
                    *d = *e.get();
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(*d);
            }
        }
    }
}

/// A heading whose section (up to the next heading of its level or
/// above) keeps nothing is the title of dropped furniture ("Most read",
/// "Comments").
fn drop_empty_sections(blocks: &[Block], out: &mut [Decision]) {
    // walk backwards, remembering per level whether kept text follows
    let mut kept_after = [false; 7];
    for (b, d) in blocks.iter().zip(out.iter_mut()).rev() {
        match b.kind {
            Kind::Heading(level) => {
                let l = usize::from(level.clamp(1, 6));
                if d.0 == Verdict::Kept && !kept_after[l] {
                    *d = (
                        Verdict::Dropped,
                        "heading of a section with no article text",
                    );
                }
                // a heading closes the sections of its level and below;
                // the text after it still counts for the enclosing ones
                for k in kept_after[l..].iter_mut() {
                    *k = false;
                }
            }
            _ => {
                if d.0 == Verdict::Kept {
                    for k in kept_after.iter_mut() {
                        *k = true;
                    }
                }
            }
        }
    }
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
    use super::super::render::render;
    use super::*;
    use dom_query::Document;

    fn blocks(html: &str) -> Vec<Block> {
        let doc = Document::from(html);
        let body = doc.select("body");
        render(&body.nodes()[0])
    }

    const PARA: &str = "The council said on Tuesday that the repairs to the northern embankment would take at least another eighteen months, and that further delays could not be ruled out.";

    fn kept(html: &str, listed_from_page: bool) -> Vec<String> {
        let b = blocks(html);
        let listed = if listed_from_page {
            listing_keys(&b)
        } else {
            HashSet::new()
        };
        let ctx = Context {
            title: "",
            byline: None,
            figures: &[],
            listed: &listed,
        };
        filter(&b, &ctx)
            .iter()
            .zip(&b)
            .filter(|(d, _)| d.0 == Verdict::Kept)
            .map(|(_, b)| b.text.clone())
            .collect()
    }

    #[test]
    fn comment_threads_are_listings() {
        let comment = |who: &str| {
            format!(
                "<div><div><a href=\"/u/{who}\">{who}</a> <span>2 hours ago</span></div>\
                 <p>I walk along that embankment every day and nobody has told us anything about the works.</p>\
                 <div><a href=\"#r\">Reply</a> <a href=\"#f\">Report</a></div></div>"
            )
        };
        let html = format!(
            "<body><article><p>{PARA}</p><p>{PARA} Again.</p><div>{}{}{}</div></article></body>",
            comment("ann"),
            comment("bob"),
            comment("cy")
        );
        assert_eq!(
            kept(&html, true),
            vec![PARA.to_string(), format!("{PARA} Again.")]
        );
        // without the page-level listing evidence the comments stay
        assert!(kept(&html, false).len() > 2);
    }

    #[test]
    fn teaser_cards_are_listings_but_article_paragraphs_are_not() {
        let teaser = |n: u32| {
            format!(
                "<div><a href=\"/s/{n}\">Another story number {n}</a><p>A short teaser for story {n}.</p></div>"
            )
        };
        let html = format!(
            "<body><div><p>{PARA}</p><p>{PARA} Two.</p><p>{PARA} Three.</p></div><div>{}{}{}</div></body>",
            teaser(1),
            teaser(2),
            teaser(3)
        );
        let b = blocks(&html);
        let marks = listing_marks(&b);
        assert_eq!(&marks[..3], &[false, false, false]);
        assert!(marks[3..].iter().all(|m| *m), "{marks:?}");
    }

    #[test]
    fn linked_headings_with_teasers_in_one_container_are_listings() {
        let mut html = format!("<body><div><p>{PARA}</p></div><div>");
        for n in 1..=3 {
            html.push_str(&format!(
                "<h3><a href=\"/s/{n}\">Another story {n}</a></h3><p>Its teaser, number {n}.</p>"
            ));
        }
        html.push_str("</div></body>");
        let marks = listing_marks(&blocks(&html));
        assert_eq!(marks, vec![false, true, true, true, true, true, true]);
    }

    #[test]
    fn two_entries_are_not_a_listing() {
        let html = format!(
            "<body><p>{PARA}</p><div><div><a href=\"/a\">A link</a><p>Text one.</p></div>\
             <div><a href=\"/b\">B link</a><p>Text two.</p></div></div></body>"
        );
        assert!(listing_marks(&blocks(&html)).iter().all(|m| !m));
    }

    #[test]
    fn listings_that_are_most_of_the_content_are_kept() {
        // a live blog: short posts, each with a linked time
        let mut html = String::from("<body><div>");
        for n in 1..=4 {
            html.push_str(&format!(
                "<div><a href=\"#p{n}\">10:0{n}</a><p>Post number {n} of the live coverage from the town hall.</p></div>"
            ));
        }
        html.push_str("</div></body>");
        let k = kept(&html, true);
        assert!(k.iter().any(|t| t.starts_with("Post number 1")), "{k:?}");
    }

    #[test]
    fn sign_up_boxes_are_listings() {
        let html = format!(
            "<body><div><p>{PARA}</p></div><div><h3>Get the morning briefing</h3>\
             <p>The day's stories in your inbox every morning.</p><form><input type=\"email\"></form></div></body>"
        );
        assert_eq!(kept(&html, true), vec![PARA.to_string()]);
    }

    #[test]
    fn a_trailing_bio_of_the_byline_is_dropped() {
        let html = format!(
            "<body><p>{PARA}</p><p>Jane Roe is our environment correspondent and has covered the valley since 2009.</p></body>"
        );
        let b = blocks(&html);
        let listed = HashSet::new();
        let ctx = Context {
            title: "",
            byline: Some("Jane Roe"),
            figures: &[],
            listed: &listed,
        };
        let d = filter(&b, &ctx);
        assert_eq!(d[0], (Verdict::Kept, "article body"));
        assert_eq!(d[1], (Verdict::Dropped, "author bio"));
        // a paragraph that merely mentions the author early on stays
        let html = format!("<body><p>Jane Roe said so.</p><p>{PARA}</p></body>");
        let b = blocks(&html);
        assert!(filter(&b, &ctx).iter().all(|d| d.0 != Verdict::Dropped));
    }

    #[test]
    fn headings_of_empty_sections_are_dropped() {
        let html = format!(
            "<body><h2>Inside the plan</h2><p>{PARA}</p><h3>Most read</h3>\
             <ul><li><a href=\"/a\">One story</a></li><li><a href=\"/b\">Another story</a></li></ul></body>"
        );
        assert_eq!(
            kept(&html, false),
            vec!["Inside the plan".to_string(), PARA.to_string()]
        );
    }

    #[test]
    fn gallery_counters_and_repeated_captions_are_dropped() {
        let html = format!(
            "<body><figure><figcaption>Flood water in the market square on Sunday.</figcaption></figure>\
             <p>{PARA}</p><div><p>Flood water in the market square on Sunday.</p><p>Image 1 of 9</p><p>3/12</p></div></body>"
        );
        assert_eq!(kept(&html, false), vec![PARA.to_string()]);
    }

    #[test]
    fn class_words_mark_comments_and_sidebars() {
        let html = format!(
            "<body><p>{PARA}</p><div class=\"comment-content\"><p>First!</p></div>\
             <div class=\"article-sidebar\"><p>Something else entirely.</p></div></body>"
        );
        assert_eq!(kept(&html, false), vec![PARA.to_string()]);
    }

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
