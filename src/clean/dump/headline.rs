//! The headline of a text dump, chosen once the body is known: the
//! single-line block just above the article text that a reader would take
//! for its headline. Every block in a window before the body is scored on
//! language-independent evidence —
//!
//! - *position*: close above the first body block;
//! - *a dateline or byline right after it* (or just above: a kicker);
//! - *its words recur in the body* (a headline summarises the article;
//!   navigation text and other stories' titles mostly do not);
//! - *repetition*: the page shows it again, whole or inside another line
//!   (a breadcrumb ending in it, "Share … for: ‹headline›");
//! - *shape*: one line of 2–40 words, not a sentence ending in a full stop,
//!   not a label ending in `:` ("Set Your Location:"), not one short item in
//!   a run of short items (a menu), not a date, byline or picture credit.
//!
//! and the best is taken. This runs after classification, so it does not
//! change the features the block classifier was trained with (those use
//! [`super::find_title`]).

use super::features::{Shape, headline_shaped, is_cjk, is_long, tokens};
use crate::clean::meta;
use regex::Regex;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// Blocks before the first body block that may hold the headline.
const WINDOW: usize = 40;
/// Body blocks whose words are compared with a candidate's.
const BODY_BLOCKS: usize = 40;

/// The candidates' features, by index into a feature row.
const F_LENGTH: usize = 0;
const F_WORDS_IN_BODY: usize = 1;
const F_STANDFIRST_AFTER: usize = 2;
const F_DATELINE_AFTER: usize = 3;
const F_DATELINE_STEPS: usize = 4;
const F_DATELINE_BEFORE: usize = 5;
const F_CREDIT_AFTER: usize = 6;
const F_DISTANCE: usize = 7;
const F_IN_BODY: usize = 8;
const F_BELOW_KEPT: usize = 9;
const F_THREE_COPIES: usize = 10;
const F_REPEATED: usize = 11;
const F_STOP_LONG: usize = 12;
const F_STOP_MID: usize = 13;
const F_SENTENCES: usize = 14;
const F_CAPTION_CREDIT: usize = 15;
const F_MENU_ITEM: usize = 16;
const F_TITLE_LIST: usize = 17;
const F_STANDFIRST: usize = 18;
const F_SHORT: usize = 19;
const F_CONTAINS_LINE: usize = 20;
const F_COMMON_SHARE: usize = 21;
const F_FOOTER_COPY: usize = 22;
const F_BREADCRUMB: usize = 23;
const F_DAY_MONTH: usize = 24;
const F_DASH_START: usize = 25;
const F_INSIDE_BODY_TEXT: usize = 26;
const F_OVERLONG: usize = 27;
/// How many features a candidate has.
pub const FEATURES: usize = 28;

/// The features' names, for diagnostics and training.
pub const NAMES: [&str; FEATURES] = [
    "length",
    "words in body",
    "standfirst after",
    "dateline after",
    "dateline steps away",
    "dateline before",
    "credit after",
    "distance",
    "in the body",
    "below kept text",
    "shown three times or more",
    "repeated",
    "full stop, long",
    "full stop",
    "sentences",
    "caption credit",
    "menu item",
    "in a list of titles",
    "standfirst",
    "under four words",
    "breadcrumb ending in another line",
    "share of words common on the page",
    "shown again after the article",
    "breadcrumb arrows",
    "a day and month alone",
    "starts with a dash",
    "written inside a body paragraph",
    "over 25 words",
];

// BEGIN WEIGHTS (written by scripts/train-headline-model.py)
/// The features' weights: a candidate's score is their weighted sum.
#[rustfmt::skip]
const WEIGHTS: [f64; FEATURES] = [
    1.7476, // length
    3.3712, // words in body
    0.7774, // standfirst after
    3.3033, // dateline after
    0.3706, // dateline steps away
    0.2986, // dateline before
    -0.6281, // credit after
    -0.2082, // distance
    -0.5189, // in the body
    -0.5426, // below kept text
    0.1383, // shown three times or more
    0.6809, // repeated
    -2.0723, // full stop, long
    -0.5213, // full stop
    -1.2244, // sentences
    -0.5824, // caption credit
    -1.0162, // menu item
    -0.586, // in a list of titles
    -1.4737, // standfirst
    -1.1776, // under four words
    -1.0945, // breadcrumb ending in another line
    0.118, // share of words common on the page
    -0.3116, // shown again after the article
    -0.485, // breadcrumb arrows
    -0.1094, // a day and month alone
    -0.4273, // starts with a dash
    -0.4612, // written inside a body paragraph
    -0.5311, // over 25 words
];
// END WEIGHTS

/// A scored candidate, for diagnostics.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub index: usize,
    pub score: f64,
    /// The evidence, named, with its weighted value (features that count).
    pub parts: Vec<(&'static str, f64)>,
    /// The raw feature values, in the order of [`NAMES`].
    pub features: [f64; FEATURES],
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Shape features of the line itself beyond the exclusion rules. (Letter
/// case and typography — the share of capitalised words, all capitals, a
/// closing `?` or `!`, a `|` separator — were features too; they read
/// conventions of some languages and sites, not the page's structure, and
/// leaving them out lost no dev page out of fold and won two.)
fn extra_features(s: &Shape, f: &mut [f64; FEATURES]) {
    f[F_SHORT] = flag(s.units < 4.0);
    // longer than a headline runs (a notice, a standfirst, a paragraph)
    f[F_OVERLONG] = flag(s.units > 25.0);
}

/// Is block `i` a dateline or byline (a line of article metadata), or a
/// short line with a clock time ("Monday 5:30PM")?
fn is_meta_line(text: &str, s: &Shape) -> bool {
    if s.units > 25.0 || s.lines > 3 {
        return false;
    }
    text.lines().any(|l| meta::parse_byline(l).is_some())
        || (s.units <= 16.0 && !meta::dates::printed_dates(text).is_empty())
        || (s.units <= 4.0 && has_clock_time(text))
        || (s.units <= 12.0 && meta::dates::dateline_like(text))
        || (s.units <= 5.0 && relative_time(text))
}

/// A relative time stamp: a number and a word saying "ago" in one of a
/// few languages ("1 day ago", "vor 2 Stunden", "há 3 horas", "il y a 5
/// min", "2 jam lalu", "3 часа назад", "2時間前").
fn relative_time(text: &str) -> bool {
    const AGO: &[&str] = &["ago", "vor", "hace", "há", "fa", "lalu", "назад"];
    let t = text.trim().to_lowercase();
    t.chars().any(|c| c.is_ascii_digit())
        && (t.split_whitespace().any(|w| AGO.contains(&w))
            || t.starts_with("il y a ")
            || t.ends_with('前')
            || t.ends_with('전'))
}

fn has_clock_time(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// A picture credit without a credit word: names separated by `/` or `|`,
/// each of one to five capitalised words ("Anna Moneymaker/The New York
/// Times", "Natalie Naccache | Bloomberg | Getty Images").
fn credit_shaped(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['/', '|']).map(str::trim).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            let words: Vec<&str> = p.split_whitespace().collect();
            (1..=5).contains(&words.len())
                && words.iter().all(|w| {
                    w.chars()
                        .find(|c| c.is_alphanumeric())
                        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
                })
        })
}

/// Is `text` excluded from being a headline by its shape alone?
fn excluded(text: &str, s: &Shape) -> bool {
    let t = text.trim();
    s.lines != 1
        || s.units < 1.5
        || s.units > 40.0
        || t.chars().count() < 6
        || t.ends_with(':')
        || t.starts_with('©')
        || t.to_lowercase().contains("copyright")
        || t.contains("://")
        || credit_shaped(t)
        || (s.units < 10.0 && !meta::dates::printed_dates(t).is_empty())
        || meta::parse_byline(t).is_some()
        || meta::split_credit(t).is_some()
}

/// A sentence ends inside the line ("… the plumes. (NASA/…)", "…
/// advertiser. All opinions …", "… Austria.Leonhard Foeger"): a caption or
/// a run of sentences, not a headline. A lower-case word of three or more
/// letters before the stop keeps abbreviations ("Rep. Ilhan Omar",
/// "U.S. border") out.
static INNER_SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\p{Ll}{3,}[.?!](?:\s+[\p{Lu}("“#]|\p{Lu}\p{Ll})"#).expect("valid regex")
});

/// A picture credit at the end of a caption: a closing parenthesis around
/// a credit with a slash or © ("… (NASA/JPL/Space Science Institute)").
fn credit_tail(text: &str) -> bool {
    text.strip_suffix(')')
        .and_then(|body| body.rfind('(').map(|open| &body[open + 1..]))
        .is_some_and(|inner| inner.contains('/') || inner.contains('©'))
}

/// A picture caption: a line ending in its picture's credit, either
/// parenthesised ([`credit_tail`]) or written after the caption's last
/// sentence as names joined by `/` or `|` ("… New York, U.S., November
/// 18, 2019. REUTERS/Jane Roe", "… on Tuesday. Jane Roe | Agency").
fn caption_shaped(text: &str) -> bool {
    let t = text.trim();
    credit_tail(t)
        || t.rfind(". ").is_some_and(|k| {
            t[..k].split_whitespace().count() >= 3
                && sentence_end(&t[..k])
                && credit_shaped(&t[k + 2..])
        })
}

/// Does `text`, followed by a full stop, end a sentence rather than an
/// abbreviation ("Dr.", "St.", "U.S.")? Its last word ends in a digit, or
/// has three characters or more and no full stop of its own.
fn sentence_end(text: &str) -> bool {
    let word = text.rsplit(char::is_whitespace).next().unwrap_or("");
    word.ends_with(|c: char| c.is_ascii_digit())
        || (word.chars().count() >= 3 && !word.contains('.'))
}

/// Share of `words` found in `body` (0 without words).
fn overlap(words: &[String], body: &FxHashSet<String>) -> f64 {
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|w| body.contains(*w)).count() as f64 / words.len() as f64
}

/// Tokens found in at least a tenth of the blocks `texts` (and in three
/// or more).
fn common_tokens(texts: &[&str]) -> FxHashSet<String> {
    let mut df: rustc_hash::FxHashMap<String, usize> = Default::default();
    for t in texts {
        let set: FxHashSet<String> = tokens(t).into_iter().collect();
        for w in set {
            *df.entry(w).or_default() += 1;
        }
    }
    let min = (texts.len() / 10).max(3);
    df.into_iter()
        .filter(|(_, c)| *c >= min)
        .map(|(w, _)| w)
        .collect()
}

/// The most of a block's text the headline scoring reads, in bytes.
const BLOCK_MAX: usize = 16 * 1024;

/// The first `max` bytes of `text` or a little less, on a char boundary.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Normalised text for repetition checks: lower-cased alphanumerics with
/// single spaces.
fn norm(text: &str) -> String {
    tokens(text).join(" ")
}

/// Dropped blocks in a row that part one run of kept text from the next.
const RUN_GAP: usize = 12;

/// Where the article's text starts: the first long prose block of the kept
/// text. When the kept text comes in runs parted by much dropped text, and
/// the runs before the largest one hold little next to it (a quotation or
/// a notice kept in a sidebar above the article), the largest run's first
/// long block: the headline sits above the article, not above the sidebar.
fn article_start(shapes: &[Shape], keep: &[bool], first_kept: usize) -> usize {
    let first_long = |from: usize| {
        (from..keep.len())
            .find(|&i| keep[i] && is_long(&shapes[i]))
            .unwrap_or(from)
    };
    // runs of kept text: (first block, kept units)
    let mut runs: Vec<(usize, f64)> = Vec::new();
    let mut gap = RUN_GAP;
    for (i, s) in shapes.iter().enumerate().skip(first_kept) {
        if keep[i] {
            if gap >= RUN_GAP {
                runs.push((i, 0.0));
            }
            if let Some(run) = runs.last_mut() {
                run.1 += s.units;
            }
            gap = 0;
        } else {
            gap += 1;
        }
    }
    let Some(main) = (0..runs.len()).max_by(|&a, &b| runs[a].1.total_cmp(&runs[b].1)) else {
        return first_long(first_kept);
    };
    let before: f64 = runs[..main].iter().map(|r| r.1).sum();
    if main > 0 && before < 0.25 * runs[main].1 {
        first_long(runs[main].0)
    } else {
        first_long(first_kept)
    }
}

/// Score the candidates for the headline of a page whose body blocks are
/// marked in `keep`, best first.
pub fn candidates(texts: &[&str], shapes: &[Shape], keep: &[bool]) -> Vec<Candidate> {
    // (no headline is this long, and the words shared with the body or
    // repeated on the page show in a block's first kilobytes: a 50 MB
    // one-block dump was tokenized whole, twice, into sets of millions)
    let texts: Vec<&str> = texts.iter().map(|t| head(t, BLOCK_MAX)).collect();
    let texts = &texts[..];
    let n = texts.len();
    let Some(first_kept) = keep.iter().position(|&k| k) else {
        return Vec::new();
    };
    // the body's first long prose block (a stray short block kept among the
    // navigation does not start the article; a long run of links between
    // the headline and the text does not hide the headline)
    let body = article_start(shapes, keep, first_kept);
    // distances count substantial blocks only: a run of one-word menu
    // items between the headline and the text does not move it away
    let minor = |j: usize| shapes[j].units <= 3.0 && shapes[j].lines == 1;
    let mut lo = body;
    let mut seen = 0;
    // (and no further than eight windows of blocks: a hostile page of
    // millions of one-word lines would make every candidate's checks
    // against its neighbours quadratic)
    while lo > 0 && seen < WINDOW && body - lo < WINDOW * 8 {
        lo -= 1;
        seen += usize::from(!minor(lo));
    }
    let hi = (body + 2).min(n);
    let mut before_body = vec![0usize; hi - lo];
    for i in (lo..hi).rev() {
        before_body[i - lo] = if i + 1 >= body {
            0
        } else {
            before_body[i + 1 - lo] + usize::from(!minor(i + 1))
        };
    }
    // words common on the page outside the article (in a tenth of the
    // blocks around it that are not kept as its text, or more: function
    // words, the site's name, menu words) say little. (Counted over the
    // article's own blocks too, the article's topic words were "common" on
    // a short page, and a headline made of them shared no word with its
    // body.)
    let outside: Vec<&str> = (lo..(body + WINDOW * 2).min(n))
        .filter(|&j| !keep[j])
        .map(|j| texts[j])
        .collect();
    let common = common_tokens(&outside);
    let content = |text: &str| -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter(|w| !common.contains(w) && (w.chars().count() > 2 || w.chars().any(is_cjk)))
            .collect()
    };
    let body_tokens: FxHashSet<String> = (body..n)
        .filter(|&i| keep[i])
        .take(BODY_BLOCKS)
        .flat_map(|i| tokens(texts[i]))
        .collect();
    // lines around the window, for the repetition checks
    let near_lo = lo.saturating_sub(WINDOW);
    let near_hi = (hi + WINDOW * 4).min(n);
    let near: Vec<String> = (near_lo..near_hi).map(|j| norm(texts[j])).collect();
    let meta_lo = lo.saturating_sub(3);
    let meta_line: Vec<bool> = (meta_lo..(hi + 4).min(n))
        .map(|j| is_meta_line(texts[j], &shapes[j]))
        .collect();
    let is_meta = |j: usize| j >= meta_lo && meta_line.get(j - meta_lo) == Some(&true);
    // a line like another story's title: one line of six or more words
    // without a sentence ending, not metadata
    let listy =
        |j: usize| headline_shaped(texts[j], &shapes[j]) && shapes[j].units >= 6.0 && !is_meta(j);
    // the body's paragraphs, normalised (a pull quote or a body sentence
    // is written inside one; a headline seldom is)
    let body_norm: Vec<String> = (body..n)
        .filter(|&j| keep[j] && !minor(j))
        .take(BODY_BLOCKS)
        .map(|j| norm(texts[j]))
        .collect();
    // lines after the article (a footer's site name, menus shown again)
    let last_kept = keep.iter().rposition(|&k| k).unwrap_or(body);
    let footer: FxHashSet<String> = (last_kept + 1..n)
        .filter(|&j| shapes[j].lines == 1 && shapes[j].units <= 40.0)
        .map(|j| norm(texts[j]))
        .collect();
    let listed_date = |j: usize| {
        meta::dates::printed_dates(texts[j])
            .first()
            .is_some_and(|p| meta::dates::in_dated_list(texts, j, p.date))
    };
    let mut out = Vec::new();
    for i in lo..hi {
        let (t, s) = (texts[i].trim(), &shapes[i]);
        // a block kept as body is no headline, unless it is a one-line
        // title above the article's first paragraph (the classifier kept
        // it with the text it heads)
        let kept_title = i < body && headline_shaped(t, s);
        if excluded(t, s) || (keep[i] && s.units >= 8.0 && !kept_title) {
            continue;
        }
        let mut f = [0.0; FEATURES];
        f[F_LENGTH] = s.units.min(12.0) / 6.0;
        f[F_WORDS_IN_BODY] = overlap(&content(t), &body_tokens);
        // the next substantial block (over a comment count, a section label)
        let next = (i + 1..(i + 4).min(n)).find(|&j| !minor(j));
        let me = &near[i - near_lo];
        // a standfirst right after it (a longer line about the same story;
        // not past a dateline, not a copy of this line, and not itself
        // shown again on the page as headlines are)
        let dek = next.filter(|&j| {
            (i + 1..j).all(|k| !is_meta(k))
                && near[j - near_lo] != *me
                && near.iter().filter(|o| **o == near[j - near_lo]).count() == 1
                && shapes[j].lines == 1
                && shapes[j].units >= 8.0
                && shapes[j].units <= 60.0
                && !is_meta(j)
                && (!headline_shaped(texts[j], &shapes[j]) || shapes[j].units >= 1.5 * s.units)
                && overlap(&content(texts[j]), &body_tokens) >= 0.3
        });
        f[F_STANDFIRST_AFTER] = flag(dek.is_some());
        // the dateline or byline follows (after the standfirst, if any;
        // over short lines and picture credits)
        let from = dek.map_or(i + 1, |d| d + 1);
        let mut steps = 0;
        let mut meta_at = None;
        let mut dated_entry = false;
        for (j, text) in texts.iter().enumerate().take((from + 6).min(n)).skip(from) {
            if is_meta(j) {
                // a date line among other stories' dates is an entry of a
                // list, not this line's dateline
                if listed_date(j) {
                    dated_entry = true;
                } else {
                    meta_at = Some(steps);
                }
                break;
            }
            let skip = minor(j)
                || credit_shaped(text.trim())
                || caption_shaped(text)
                || meta::split_credit(text).is_some();
            if !skip {
                steps += 1;
                if steps > 2 {
                    break;
                }
            }
        }
        if let Some(d) = meta_at {
            f[F_DATELINE_AFTER] = 1.0;
            f[F_DATELINE_STEPS] = d as f64;
        } else if (i.saturating_sub(2)..i).any(|j| is_meta(j) && !listed_date(j)) {
            f[F_DATELINE_BEFORE] = 1.0;
        }
        dated_entry |= (i.saturating_sub(2)..i).any(|j| is_meta(j) && listed_date(j));
        // a caption: its credit follows
        f[F_CREDIT_AFTER] = flag(
            i + 1 < n
                && (credit_shaped(texts[i + 1].trim())
                    || meta::split_credit(texts[i + 1]).is_some()),
        );
        f[F_DISTANCE] = before_body[i - lo] as f64;
        f[F_IN_BODY] = flag(i >= body);
        // below text already kept as the article's: a subheading
        let kept_above = (lo..i).filter(|&j| keep[j] && !minor(j)).count();
        f[F_BELOW_KEPT] = (0.25 * kept_above as f64).min(1.5);
        let copies = near.iter().filter(|o| *o == me).count();
        if copies >= 3 {
            // a menu item shown in every menu
            f[F_THREE_COPIES] = 1.0;
        } else if s.units >= 4.0 {
            // shown again, alone or as most of another line
            let repeated = near.iter().enumerate().any(|(k, other)| {
                k + near_lo != i && other.len() <= me.len() * 3 && other.contains(me.as_str())
            });
            f[F_REPEATED] = flag(repeated);
        }
        // a sentence (a standfirst, a caption, a body sentence) is not a
        // headline: headlines do not end in a full stop
        let end = t.trim_end_matches(['"', '\'', '”', '’', '»', ')']);
        if end.ends_with('.') && !end.ends_with("...") {
            f[if s.units >= 8.0 {
                F_STOP_LONG
            } else {
                F_STOP_MID
            }] = 1.0;
        }
        f[F_SENTENCES] = flag(INNER_SENTENCE_END.is_match(t));
        f[F_CAPTION_CREDIT] = flag(caption_shaped(t));
        f[F_MENU_ITEM] = flag(
            s.units <= 3.0 && i > 0 && i + 1 < n && minor(i - 1) && minor(i + 1) && !is_meta(i + 1),
        );
        // one of a list of other stories' titles: such lines on both
        // sides, or two or more after it
        let before = (i.saturating_sub(3)..i).filter(|&j| listy(j)).count();
        let after = (i + 1..(i + 4).min(n))
            .filter(|&j| Some(j) != dek && listy(j))
            .count();
        // (or its date line is one of a list of dated entries)
        f[F_TITLE_LIST] = flag((before >= 1 && after >= 1) || after >= 2 || dated_entry);
        // the standfirst of a headline just above it
        // (over a picture's caption between them)
        // (a line shown again on the page is a headline's shape, not a
        // standfirst's)
        f[F_STANDFIRST] = flag(
            copies == 1
                && (lo..i)
                    .rev()
                    .find(|&j| !minor(j) && !caption_shaped(texts[j]))
                    .is_some_and(|p| {
                        headline_shaped(texts[p], &shapes[p])
                            && !near[p - near_lo].contains(near[i - near_lo].as_str())
                            && !near[i - near_lo].contains(near[p - near_lo].as_str())
                            && !is_meta(p)
                            && overlap(&content(texts[p]), &body_tokens) >= 0.5
                            && s.units >= 8.0
                            && overlap(&content(t), &body_tokens) >= 0.3
                    }),
        );
        // a breadcrumb trail ending in another line of the page ("Home
        // News Business ‹headline›"): that line is the title, this one is not
        f[F_CONTAINS_LINE] = flag(near.iter().enumerate().any(|(k, other)| {
            k + near_lo != i
                && other.len() >= 12
                && other.len() < me.len()
                && other.split(' ').count() >= 3
                && me.ends_with(other.as_str())
        }));
        let all = tokens(t);
        if !all.is_empty() {
            f[F_COMMON_SHARE] =
                all.iter().filter(|w| common.contains(*w)).count() as f64 / all.len() as f64;
        }
        f[F_FOOTER_COPY] = flag(footer.contains(me));
        // navigation trail arrows ("Home » Section »", "Blog > Recipes")
        f[F_BREADCRUMB] = flag(t.contains(['»', '›']) || t.contains(" > "));
        // a date heading ("November 18") or an attribution ("— Jane Roe
        // on Sunday …"), not a headline
        f[F_DAY_MONTH] = flag(meta::dates::day_and_month(t));
        f[F_DASH_START] = flag(t.starts_with(['—', '–']) || t.starts_with("- "));
        f[F_INSIDE_BODY_TEXT] = flag(
            s.units >= 4.0
                && body_norm
                    .iter()
                    .any(|b| b.len() > me.len() && b.contains(me.as_str())),
        );
        extra_features(s, &mut f);
        let parts: Vec<(&'static str, f64)> = NAMES
            .iter()
            .zip(f.iter().zip(WEIGHTS.iter()))
            .filter(|(_, (x, _))| **x != 0.0)
            .map(|(name, (x, w))| (*name, x * w))
            .filter(|(_, v)| *v != 0.0)
            .collect();
        let score = f.iter().zip(WEIGHTS.iter()).map(|(x, w)| x * w).sum();
        out.push(Candidate {
            index: i,
            score,
            parts,
            features: f,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    out
}

/// The headline's block index, if any block qualifies.
pub fn find_headline(texts: &[&str], shapes: &[Shape], keep: &[bool]) -> Option<usize> {
    candidates(texts, shapes, keep).first().map(|c| c.index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::dump::features::shape;

    #[test]
    fn head_cuts_long_text_on_a_char_boundary() {
        assert_eq!(head("short", BLOCK_MAX), "short");
        let long = "é".repeat(BLOCK_MAX);
        let h = head(&long, BLOCK_MAX);
        assert_eq!(h.len(), BLOCK_MAX);
        let odd = format!("a{long}");
        assert_eq!(head(&odd, BLOCK_MAX).len(), BLOCK_MAX - 1);
    }

    const P1: &str = "The council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate about the cost of repairs.";
    const P2: &str = "Engineers told the meeting that the steel under the bridge deck had corroded faster than expected, and that heavy traffic made it worse every day.";
    const P3: &str = "Shop owners near the harbour said they feared losing trade, while cyclists welcomed the plan to keep the bridge open to bikes and pedestrians.";

    fn pick(blocks: &[&str], body_from: usize) -> Option<String> {
        let shapes: Vec<Shape> = blocks.iter().map(|t| shape(t)).collect();
        // the body: the three paragraphs from `body_from`
        let keep: Vec<bool> = (0..blocks.len())
            .map(|i| (body_from..body_from + 3).contains(&i))
            .collect();
        find_headline(blocks, &shapes, &keep).map(|i| blocks[i].to_string())
    }

    #[test]
    fn navigation_label_is_not_the_headline() {
        let page = [
            "Home",
            "Set Your Location:",
            "News",
            "Sport",
            "Council closes harbour bridge to cars",
            "By Jane Roe",
            "Updated Nov 13, 2019, 10:28am EST",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 7).as_deref(),
            Some("Council closes harbour bridge to cars")
        );
    }

    #[test]
    fn share_bar_and_repeated_interface_text_lose() {
        let page = [
            "Continue reading the main story",
            "Opinion",
            "Harbour bridge closes to cars",
            "Why the council chose to close the bridge now, and what it means for the town.",
            "By Jane Roe",
            "Share",
            P1,
            P2,
            P3,
            "Continue reading the main story",
        ];
        assert_eq!(
            pick(&page, 6).as_deref(),
            Some("Harbour bridge closes to cars")
        );
    }

    #[test]
    fn another_storys_title_in_a_list_loses() {
        let page = [
            "Most read",
            "Mayor opens new library in the east end",
            "Trains cancelled after storm damage on the coast line",
            "Council votes to close harbour bridge to cars",
            "19 November 2019 • 1:16pm",
            "Share",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 6).as_deref(),
            Some("Council votes to close harbour bridge to cars")
        );
    }

    #[test]
    fn a_dated_entry_of_a_story_list_loses_to_the_headline() {
        // the list of dated stories sits between the headline and the text:
        // the entry just above the text has a date line after it, but that
        // line is one of the list's
        let page = [
            "Council votes to close harbour bridge to cars",
            "By Jane Roe, 19 November 2019",
            "Related",
            "Ferry fares rise again for harbour commuters",
            "3 March 2019",
            "Cyclists plan a ride across the harbour bridge",
            "9 January 2018",
            "Harbour bridge repairs to cost more than planned",
            "30 June 2017",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 9).as_deref(),
            Some("Council votes to close harbour bridge to cars")
        );
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| i >= 9).collect();
        let last = candidates(&page, &shapes, &keep)
            .into_iter()
            .find(|c| c.index == 7)
            .expect("the last entry is a candidate");
        assert_eq!(last.features[F_DATELINE_AFTER], 0.0);
        assert_eq!(last.features[F_TITLE_LIST], 1.0);
    }

    #[test]
    fn captions_credits_and_sentences_are_not_headlines() {
        let page = [
            "Harbour bridge to close to cars",
            "By Jane Roe",
            "The bridge at dawn on Tuesday. (Photo: J. Smith/Harbour Times)",
            "Engineers inspect the bridge deck",
            "Anna Moneymaker/The New York Times",
            "The council said so on Tuesday.",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 6).as_deref(),
            Some("Harbour bridge to close to cars")
        );
    }

    #[test]
    fn relative_time_stamps() {
        for t in [
            "1 day ago",
            "vor 2 Stunden",
            "há 3 horas",
            "il y a 5 min",
            "2 jam lalu",
            "2時間前",
        ] {
            assert!(relative_time(t), "{t}");
        }
        for t in ["5 famous bridges", "Ago", "Sports", "Top 10 facts"] {
            assert!(!relative_time(t), "{t}");
        }
    }

    #[test]
    fn a_relative_dateline_marks_the_headline() {
        let page = [
            "Mayor opens new library in the east end",
            "Council votes to close harbour bridge to cars",
            "Jane Roe",
            "1 day ago",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 4).as_deref(),
            Some("Council votes to close harbour bridge to cars")
        );
    }

    #[test]
    fn a_breadcrumb_trail_ending_in_the_headline_loses_to_it() {
        let page = [
            "Home",
            "News",
            "Home News Harbour Council closes harbour bridge to cars",
            "Council closes harbour bridge to cars",
            "Jane Roe",
            "Updated Nov 13, 2019, 10:28am EST",
            P1,
            P2,
            P3,
        ];
        assert_eq!(
            pick(&page, 6).as_deref(),
            Some("Council closes harbour bridge to cars")
        );
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| i >= 6).collect();
        let trail = candidates(&page, &shapes, &keep)
            .into_iter()
            .find(|c| c.index == 2)
            .expect("the trail is a candidate");
        assert_eq!(trail.features[F_CONTAINS_LINE], 1.0);
        assert!(trail.parts.contains(&(
            "breadcrumb ending in another line",
            WEIGHTS[F_CONTAINS_LINE]
        )));
    }

    #[test]
    fn navigation_arrows_mark_a_breadcrumb() {
        let page = [
            "Home » Harbour news » Bridges »",
            "Council closes harbour bridge",
            "Jane Roe",
            P1,
            P2,
            P3,
        ];
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| i >= 3).collect();
        let cands = candidates(&page, &shapes, &keep);
        assert_eq!(cands[0].index, 1);
        let trail = cands.iter().find(|c| c.index == 0).expect("a candidate");
        assert_eq!(trail.features[F_BREADCRUMB], 1.0);
        // the score is the weighted sum of the features
        let sum: f64 = trail.features.iter().zip(WEIGHTS).map(|(x, w)| x * w).sum();
        assert!((trail.score - sum).abs() < 1e-12);
        let parts: f64 = trail.parts.iter().map(|(_, v)| v).sum();
        assert!((trail.score - parts).abs() < 1e-12);
    }

    #[test]
    fn every_feature_has_a_name_and_a_finite_weight() {
        assert_eq!(NAMES.len(), WEIGHTS.len());
        assert!(WEIGHTS.iter().all(|w| w.is_finite()));
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FEATURES, "feature names are distinct");
    }

    #[test]
    fn a_date_heading_and_an_attribution_are_not_headlines() {
        let page = [
            "November 18",
            "Council closes harbour bridge to cars",
            "— Jane Roe on Sunday, November 17th, 2019 in a statement to the council",
            "Jane Roe",
            P1,
            P2,
            P3,
        ];
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| i >= 4).collect();
        let cands = candidates(&page, &shapes, &keep);
        assert_eq!(cands[0].index, 1);
        let of = |i: usize| cands.iter().find(|c| c.index == i).expect("a candidate");
        assert_eq!(of(0).features[F_DAY_MONTH], 1.0);
        assert_eq!(of(2).features[F_DASH_START], 1.0);
        assert_eq!(
            of(1).features[F_DAY_MONTH] + of(1).features[F_DASH_START],
            0.0
        );
    }

    #[test]
    fn a_pull_quote_from_the_body_is_marked() {
        let page = [
            "Council closes harbour bridge to cars",
            "By Jane Roe",
            P1,
            "\"steel under the bridge deck had corroded faster than expected\"",
            P2,
            P3,
        ];
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| i >= 2 && i != 3).collect();
        let cands = candidates(&page, &shapes, &keep);
        let quote = cands.iter().find(|c| c.index == 3).expect("a candidate");
        assert_eq!(quote.features[F_INSIDE_BODY_TEXT], 1.0);
        assert!(quote.parts.contains(&(
            "written inside a body paragraph",
            WEIGHTS[F_INSIDE_BODY_TEXT]
        )));
        let head = cands.iter().find(|c| c.index == 0).expect("a candidate");
        assert_eq!(head.features[F_INSIDE_BODY_TEXT], 0.0);
    }

    /// The candidates of a page whose body is the blocks marked in `keep`.
    fn scored(page: &[&str], keep: &[usize]) -> Vec<Candidate> {
        let shapes: Vec<Shape> = page.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..page.len()).map(|i| keep.contains(&i)).collect();
        candidates(page, &shapes, &keep)
    }

    #[test]
    fn the_window_above_the_article_is_bounded_by_blocks_as_well() {
        // a headline above a thousand one-word lines (which do not count
        // as distance) is out of reach: the walk back stops after eight
        // windows of blocks, so a page of millions of such lines costs
        // no more than one of a few hundred
        let mut page = vec!["Council votes to close the old harbour bridge to all cars"];
        page.extend(std::iter::repeat_n("Menu", 1000));
        page.extend([P1, P2, P3]);
        let n = page.len();
        let cands = scored(&page, &[n - 3, n - 2, n - 1]);
        assert!(cands.iter().all(|c| c.index != 0));
        assert!(cands.iter().all(|c| n - 3 - c.index <= WINDOW * 8));
        // within reach it is found
        let mut page = vec!["Council votes to close the old harbour bridge to all cars"];
        page.extend(std::iter::repeat_n("Menu", 100));
        page.extend([P1, P2, P3]);
        let n = page.len();
        let cands = scored(&page, &[n - 3, n - 2, n - 1]);
        assert_eq!(cands[0].index, 0);
    }

    fn of(cands: &[Candidate], i: usize) -> &Candidate {
        cands
            .iter()
            .find(|c| c.index == i)
            .unwrap_or_else(|| panic!("block {i} is a candidate"))
    }

    #[test]
    fn a_title_kept_with_the_text_it_heads_is_a_candidate() {
        // the classifier kept the headline with the article: it is still
        // the headline, while a kept body sentence above the text is not
        let page = [
            "Home",
            "Design",
            "Harbour Festival 2019 | Lanterns light up the old harbour bridge",
            "By JANE ROE - 2019-04-10",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[2, 4, 5, 6]);
        assert_eq!(cands[0].index, 2);
        let page = [
            "Harbour news",
            "Council closes harbour bridge to cars",
            "The bridge will close to cars from next spring, the council said.",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[2, 3, 4, 5]);
        assert!(cands.iter().all(|c| c.index != 2));
        assert_eq!(cands[0].index, 1);
    }

    #[test]
    fn captions_ending_in_a_credit() {
        for t in [
            "Traders at work on the floor of the exchange in Harbourtown, November 18, 2019. AGENCY/Jane Roe",
            "The bridge at dawn on Tuesday. Jane Roe | Harbour Times",
            "The bridge at dawn (Harbour Times/Jane Roe)",
        ] {
            assert!(caption_shaped(t), "{t}");
        }
        for t in [
            "Council closes harbour bridge to cars",
            "Harbour Festival 2019 | Lanterns light up the old bridge",
            "Rates rise. Markets/Banks",
            "Council votes on bridge (again)",
            // abbreviations are no sentence's end
            "Interview With Dr. Jane Roe | Harbour Times",
            "Storm Hits St. Louis | Weather Alert",
            "Protest at the U.S. Senate/House Hearing",
        ] {
            assert!(!caption_shaped(t), "{t}");
        }
    }

    #[test]
    fn a_caption_above_the_headline_takes_neither_its_dateline_nor_makes_it_a_standfirst() {
        let page = [
            "Menu",
            "The harbour bridge at dawn on Tuesday. (Harbour Times/Jane Roe)",
            "NEWS",
            "Council votes to close the old harbour bridge to all cars from next spring",
            "JANE ROE, HARBOUR TIMES",
            "18 Nov 2019",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[6, 7, 8]);
        let caption = of(&cands, 1);
        assert_eq!(caption.features[F_CAPTION_CREDIT], 1.0);
        // the headline is not the caption's standfirst, and the headline's
        // standfirst is not the first paragraph past the dateline
        let head = of(&cands, 3);
        assert_eq!(head.features[F_STANDFIRST], 0.0);
        assert_eq!(head.features[F_STANDFIRST_AFTER], 0.0);
        assert_eq!(head.features[F_DATELINE_AFTER], 1.0);
        assert_eq!(cands[0].index, 3);
        // a caption between a headline and its dateline is stepped over
        let page = [
            "Council votes to close the old harbour bridge",
            "The harbour bridge at dawn on Tuesday, November 18, 2019. AGENCY/Jane Roe",
            "Traffic on the bridge at noon. AGENCY/John Doe",
            "Updated Nov 19, 2019, 10:28am EST",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[4, 5, 6]);
        let head = of(&cands, 0);
        assert_eq!(head.features[F_DATELINE_AFTER], 1.0);
        assert_eq!(head.features[F_DATELINE_STEPS], 0.0);
        assert_eq!(cands[0].index, 0);
    }

    #[test]
    fn another_storys_title_does_not_take_the_headline_for_its_standfirst() {
        // a list of other stories runs into the headline: the entry above
        // it is a title of the same shape, not a line with a standfirst
        let page = [
            "Mayor opens the new library in the east end of town",
            "Why ferry fares will rise again for harbour commuters next year",
            "Council votes to close the old harbour bridge to cars from spring",
            "Jane Roe",
            "1 day ago",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[5, 6, 7]);
        assert_eq!(of(&cands, 1).features[F_STANDFIRST_AFTER], 0.0);
        assert_eq!(cands[0].index, 2);
        // a longer line after the headline is still its standfirst
        let page = [
            "Council closes harbour bridge",
            "Engineers found the steel under the deck corroded, and the council will keep it open to bikes and pedestrians only",
            "By Jane Roe",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[3, 4, 5]);
        assert_eq!(of(&cands, 0).features[F_STANDFIRST_AFTER], 1.0);
    }

    #[test]
    fn a_headline_shown_twice_is_no_standfirst() {
        // a promotion line above a headline the page shows twice
        let page = [
            "Get the free ebook about the harbour bridge and its history today",
            "Council votes to close the harbour bridge to cars",
            "Council votes to close the harbour bridge to cars",
            "Jane Roe 19/11/2019",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[4, 5, 6]);
        let promo = of(&cands, 0);
        assert_eq!(promo.features[F_STANDFIRST_AFTER], 0.0);
        assert_eq!(of(&cands, 1).features[F_STANDFIRST], 0.0);
    }

    #[test]
    fn a_notice_longer_than_a_headline_is_marked() {
        let page = [
            "Our website uses cookies to improve its performance and your experience of it; by going on you agree to our use of them and to the terms of our privacy policy for readers",
            "Accept",
            "Harbour bridge closes to cars",
            "19.11.2019",
            P1,
            P2,
            P3,
        ];
        let cands = scored(&page, &[4, 5, 6]);
        assert_eq!(of(&cands, 0).features[F_OVERLONG], 1.0);
        assert_eq!(of(&cands, 2).features[F_OVERLONG], 0.0);
        assert_eq!(cands[0].index, 2);
    }

    #[test]
    fn a_quotation_kept_in_a_sidebar_does_not_start_the_article() {
        // sidebar links, a quotation kept as text, more sidebar, then the
        // article with its headline: the headline is looked for above the
        // article, not above the quotation
        let mut page: Vec<String> = (0..20).map(|k| format!("Sidebar link {k}")).collect();
        page.push("The sea does not care who built the bridge, and neither should we, said the old harbour master to the crowd.".into());
        page.extend((20..45).map(|k| format!("Archive {k}")));
        page.push("Council votes to close the harbour bridge to cars".into());
        page.push("Posted on November 19, 2019 by Jane Roe".into());
        let body_from = page.len();
        for k in 0..6 {
            page.push(format!("{} {}", [P1, P2, P3][k % 3], k));
        }
        let texts: Vec<&str> = page.iter().map(String::as_str).collect();
        let shapes: Vec<Shape> = texts.iter().map(|t| shape(t)).collect();
        let keep: Vec<bool> = (0..texts.len())
            .map(|i| i == 20 || i >= body_from)
            .collect();
        assert_eq!(article_start(&shapes, &keep, 20), body_from);
        let cands = candidates(&texts, &shapes, &keep);
        assert_eq!(
            texts[cands[0].index],
            "Council votes to close the harbour bridge to cars"
        );
        // kept text before the article that is not small next to it
        // starts the article
        let mut shapes2 = shapes.clone();
        for s in &mut shapes2[..20] {
            *s = shape(P1);
        }
        let keep2: Vec<bool> = (0..texts.len()).map(|i| i < 21 || i >= body_from).collect();
        assert_eq!(article_start(&shapes2, &keep2, 0), 0);
        // so does a lede parted from the rest by a few dropped blocks
        let mut page3 = page.clone();
        page3.insert(body_from + 1, "Advertisement".into());
        page3.insert(body_from + 1, "Read more".into());
        let shapes3: Vec<Shape> = page3.iter().map(|t| shape(t)).collect();
        let keep3: Vec<bool> = (0..page3.len())
            .map(|i| i >= body_from && !(body_from + 1..body_from + 3).contains(&i))
            .collect();
        assert_eq!(article_start(&shapes3, &keep3, body_from), body_from);
    }

    #[test]
    fn the_articles_own_words_are_not_common_on_the_page() {
        // a short page whose every paragraph names the story's topic: the
        // headline's words are the body's, not words common on the page,
        // while the site's name in every menu line is
        let body = [
            "Teachers filled the hall on Tuesday to protest against low pay, and teachers from other towns joined the protest by noon.",
            "The protest was the largest of teachers in the region for years, the union said, and more teachers will strike next week.",
            "Teachers said the protest would go on until the council answers, while parents brought food to the teachers in the hall.",
            "The council said it would meet the teachers on Friday to talk about pay, the protest and the strike planned for next week.",
        ];
        let mut page = vec![
            "Harbour Times Home",
            "Harbour Times News",
            "Harbour Times Sport",
            "Harbour Times Weekly edition",
            "Teachers pack the hall for a pay protest",
            "By Jane Roe",
        ];
        page.extend(body);
        page.extend(["Harbour Times Contact", "Harbour Times About"]);
        let cands = scored(&page, &[6, 7, 8, 9]);
        let head = of(&cands, 4);
        assert_eq!(head.features[F_COMMON_SHARE], 0.0);
        assert!(head.features[F_WORDS_IN_BODY] > 0.5, "{:?}", head.features);
        assert_eq!(cands[0].index, 4);
        // the menu's words are common: the site's name is most of this line
        let menu = of(&cands, 3);
        assert!(menu.features[F_COMMON_SHARE] >= 0.5, "{:?}", menu.features);
        assert_eq!(menu.features[F_WORDS_IN_BODY], 0.0);
    }

    #[test]
    fn letter_case_does_not_score() {
        // a headline scores the same in Title Case, in sentence case and in
        // capitals (languages and sites differ in how they case headlines;
        // scripts without case have none)
        let score = |headline: &str| {
            let page = ["Home", "News", headline, "By Jane Roe", P1, P2, P3];
            of(&scored(&page, &[4, 5, 6]), 2).score
        };
        let title = score("Council Closes Harbour Bridge To Cars");
        assert_eq!(title, score("Council closes harbour bridge to cars"));
        assert_eq!(title, score("COUNCIL CLOSES HARBOUR BRIDGE TO CARS"));
        // while its punctuation still does: a full stop ends a sentence
        assert!(score("Council closes harbour bridge to cars.") < title);
    }

    #[test]
    fn no_body_no_headline() {
        assert_eq!(pick(&["Home", "News"], 9), None);
    }
}
