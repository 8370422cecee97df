//! Structural rules at the end of the article, applied to the classifier's
//! decisions: the article is one mostly contiguous region, and what follows
//! it — a list of other stories, a share bar or a menu, a thread of reader
//! comments — is not part of it however prose-like it reads.

use super::features::{self, PageFeatures, is_long};
use regex::Regex;
use std::sync::LazyLock;

/// After the article, a short heading ("More news", "Related") followed by
/// a run dominated by headline-shaped lines starts a list of other stories:
/// nothing from there on is body, provided most of the kept text lies
/// before it.
pub(super) fn cut_story_lists(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    probs: &[f64],
    texts: &[&str],
    shapes: &[features::Shape],
) {
    let n = keep.len();
    let Some(first) = keep.iter().position(|&k| k) else {
        return;
    };
    let total: f64 = (0..n).filter(|&i| keep[i]).map(|i| shapes[i].units).sum();
    let mut before = 0.0;
    for i in first..n {
        let s = &shapes[i];
        let heading = s.units <= 6.0
            && !s.ends_sentence
            && s.lines == 1
            && before >= total * 0.6
            && (!keep[i] || probs[i] < 0.6)
            && !texts[i].contains(|c: char| c == ':' || c.is_ascii_digit())
            // a line opening with a dash signs what precedes it (a quote's
            // author, a reader's name), it heads nothing
            && !texts[i].starts_with(['–', '—', '-']);
        if keep[i] {
            before += s.units;
        }
        if !heading {
            continue;
        }
        let end = (i + 11).min(n);
        let heads = (i + 1..end)
            .filter(|&j| features::headline_shaped(texts[j], &shapes[j]))
            .count();
        let run = end - i - 1;
        // two confident paragraphs in a row under the heading: a section
        // of the article (a recipe, a how-to), not a list of other
        // stories, whose teasers alternate with their headlines
        let prose = |j: usize| keep[j] && probs[j] >= 0.9 && is_long(&shapes[j]);
        let section = (i + 2..end).any(|j| prose(j - 1) && prose(j));
        if run >= 6 && heads * 5 >= run * 2 && !section {
            drop_from(
                keep,
                rule,
                i,
                "in a list of other stories after the article",
            );
            return;
        }
    }
}

/// A slide counter at the start of a block: an optional word, the slide's
/// number, a separator (a short word such as "of", or a slash) and the
/// number of slides ("Image 3 of 12", "1 / 9", "2of4A shopper looks …").
static SLIDE_COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\p{L}+\s+)?(\d{1,3})(\s*/\s*|\s+\p{L}{1,4}\s+(?:/\s*)?|\p{L}{1,4})(\d{1,3})(.*)$",
    )
    .expect("valid regex")
});

/// A slide counter opening a block's first line.
struct SlideCounter<'a> {
    slide: u32,
    slides: u32,
    /// the separator between the numbers
    sep: &'a str,
    /// the text after the counter
    rest: &'a str,
}

fn slide_counter(text: &str) -> Option<SlideCounter<'_>> {
    let first = text.lines().next()?.trim();
    let c = SLIDE_COUNTER.captures(first)?;
    let (slide, slides) = (c[1].parse().ok()?, c[3].parse().ok()?);
    (1..=slides).contains(&slide).then(|| SlideCounter {
        slide,
        slides,
        sep: c.get(2).map_or("", |m| m.as_str()),
        rest: c.get(4).map_or("", |m| m.as_str()),
    })
}

/// Blocks of a photo gallery's slides: a block that is nothing but a slide
/// counter ("Image 1 of 9", "1 / 9": a spaced word or a slash between the
/// numbers), and captions that open with a worded counter, glued or spaced
/// ("1of4Grass Valley's …"), when another block counts a different slide
/// of as many slides. Galleries repeat captions the article's own figures
/// have; the counters are the evidence, in any language.
pub(super) fn gallery_slides(texts: &[&str], shapes: &[features::Shape]) -> Vec<bool> {
    let counters: Vec<Option<SlideCounter>> = texts
        .iter()
        .zip(shapes)
        .map(|(t, s)| (s.units <= 80.0).then(|| slide_counter(t)).flatten())
        .collect();
    let worded = |c: &SlideCounter| c.sep.contains(char::is_alphabetic);
    // for each number of slides, the worded counters' first slide and
    // whether any other slide was counted (one pass: a page of a hundred
    // thousand counters is not compared pairwise)
    let mut seen: std::collections::HashMap<u32, (u32, bool)> = Default::default();
    for c in counters.iter().flatten().filter(|c| worded(c)) {
        let e = seen.entry(c.slides).or_insert((c.slide, false));
        e.1 |= e.0 != c.slide;
    }
    let another_slide = |c: &SlideCounter| {
        seen.get(&c.slides)
            .is_some_and(|&(first, several)| several || first != c.slide)
    };
    counters
        .iter()
        .map(|c| {
            let Some(c) = c else { return false };
            let only = !c.rest.contains(char::is_alphanumeric)
                && c.sep.contains(|ch: char| ch == '/' || ch.is_whitespace());
            let caption = worded(c)
                && c.rest.trim_start().starts_with(char::is_uppercase)
                && another_slide(c);
            only || caption
        })
        .collect()
}

/// Words a glued teaser's headline has at least (not counting those that
/// open with a digit), and its teaser.
const GLUED_MIN_HEAD: usize = 4;
const GLUED_MIN_TEASER: usize = 8;

/// Is this a headline glued to its teaser, the way a list of other stories
/// reads once its markup is gone: one line whose opening words are in
/// title case ("Ford Recalls F-150s; Loose Cable Can Cause Stalling Or
/// Fires") and run, with no space, into a sentence ("Fires" + "Ford is
/// recalling …")? The join is a capital right after three lower-case
/// letters (or a digit or closing punctuation), followed by a lower-case
/// letter or, as a one-letter word, by a word in lower case ("SteakhouseA
/// party of six …"); most names written so ("McDonald", "WeWork",
/// "MacBook") have fewer lower-case letters before the capital, and the
/// words before the others are no title-case headline (at least
/// [`GLUED_MIN_HEAD`] words, three in four capitalised).
pub fn glued_teaser(text: &str, s: &features::Shape) -> bool {
    if s.lines != 1 || !s.ends_sentence || s.units < (GLUED_MIN_HEAD + GLUED_MIN_TEASER) as f64 {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (k, w) in words.iter().enumerate() {
        let chars: Vec<char> = w.chars().collect();
        for p in 1..chars.len() {
            let c = chars[p];
            let next_lower = match chars.get(p + 1) {
                Some(n) => n.is_lowercase(),
                None => words
                    .get(k + 1)
                    .is_some_and(|n| n.starts_with(char::is_lowercase)),
            };
            if !(c.is_uppercase() && next_lower) {
                continue;
            }
            let before = chars[p - 1];
            let joined = if before.is_lowercase() {
                p >= 3 && chars[p - 3..p].iter().all(|c| c.is_lowercase())
            } else {
                before.is_ascii_digit()
                    || matches!(before, '?' | '!' | '’' | '\'' | ')' | '”' | '"')
            };
            if !joined {
                continue;
            }
            // the headline's words, the glued one included; words that
            // open with a digit ("16-inch", "250,000The") count for neither
            let head: Vec<&&str> = words[..=k]
                .iter()
                .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
                .collect();
            if head.len() < GLUED_MIN_HEAD || words.len() - k < GLUED_MIN_TEASER {
                return false;
            }
            let titled = head
                .iter()
                .filter(|w| w.starts_with(char::is_uppercase))
                .count();
            return titled * 4 >= head.len() * 3;
        }
    }
    false
}

/// Glued teasers ([`glued_teaser`]), when the page has at least two: a
/// list of other stories, never the article. (One line alone may be a
/// sentence that opens with four capitalised words and a name such as
/// "PlayStation".)
pub(super) fn glued_teasers(texts: &[&str], shapes: &[features::Shape]) -> Vec<bool> {
    let glued: Vec<bool> = texts
        .iter()
        .zip(shapes)
        .map(|(t, s)| glued_teaser(t, s))
        .collect();
    if glued.iter().filter(|&&g| g).count() < 2 {
        return vec![false; texts.len()];
    }
    glued
}

/// Drop every kept block from `from` on, saying why.
fn drop_from(keep: &mut [bool], rule: &mut [Option<&'static str>], from: usize, why: &'static str) {
    for (k, r) in keep.iter_mut().zip(rule.iter_mut()).skip(from) {
        if *k {
            *k = false;
            *r = Some(why);
        }
    }
}

/// Blocks in a run of short repeated lines that ends the article.
const LINK_BAR_MIN_RUN: usize = 4;
/// Kept words needed before such a run for it to end the article.
const LINK_BAR_MIN_BEFORE: f64 = 50.0;

/// Is block `i` a link-bar item: one line of at most three words whose
/// text occurs elsewhere on the page too (share buttons, section menus and
/// footers repeat; the article's own list items do not), or a templated
/// button ([`templated_line`])?
fn link_bar_item(texts: &[&str], pf: &PageFeatures, i: usize) -> bool {
    let s = &pf.shapes[i];
    s.lines == 1 && s.units <= 3.0 && pf.rows[i][features::DUP_COUNT] > 0.0
        || templated_line(texts, pf, i)
}

/// Words of a templated line that must open its neighbour too.
const TEMPLATE_WORDS: usize = 2;

/// Is block `i` one of a run of lines made from one template: a line of at
/// most twelve words without a sentence ending whose first
/// [`TEMPLATE_WORDS`] words (letters only, any case) open the line before
/// or after it too ("Share on
/// Facebook", "Share on Reddit"; "Click to share on Twitter (Opens in new
/// window)", "Click to print (Opens in new window)")? Share and print
/// buttons are written so; the article's list items seldom are.
fn templated_line(texts: &[&str], pf: &PageFeatures, i: usize) -> bool {
    let short = |j: usize| {
        let s = &pf.shapes[j];
        s.lines == 1 && s.units <= 12.0 && !s.ends_sentence
    };
    let opening = |j: usize| -> Option<Vec<String>> {
        let words: Vec<String> = texts[j]
            .split_whitespace()
            .take(TEMPLATE_WORDS)
            .map(str::to_lowercase)
            .collect();
        let letters = |w: &String| w.chars().all(char::is_alphabetic);
        (words.len() == TEMPLATE_WORDS && words.iter().all(letters)).then_some(words)
    };
    if !short(i) {
        return false;
    }
    let Some(mine) = opening(i) else {
        return false;
    };
    let same = |j: usize| short(j) && opening(j).is_some_and(|o| o == mine);
    (i > 0 && same(i - 1)) || (i + 1 < texts.len() && same(i + 1))
}

/// Structural smoothing at the end of the article: the first run of at
/// least [`LINK_BAR_MIN_RUN`] link-bar items ([`link_bar_item`]) after
/// [`LINK_BAR_MIN_BEFORE`] kept words is a share bar or a menu that closes
/// the article. What is kept after it (previous/next links, teasers, a
/// sidebar) is dropped, unless it holds more long prose than was kept
/// before the run (then the run sat above the article, not below it).
pub(super) fn cut_after_link_bar(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    texts: &[&str],
    pf: &PageFeatures,
) {
    let n = keep.len();
    let mut before = 0.0;
    let mut i = 0;
    while i < n {
        if !link_bar_item(texts, pf, i) {
            if keep[i] {
                before += pf.shapes[i].units;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < n && link_bar_item(texts, pf, i) {
            if keep[i] {
                before += pf.shapes[i].units;
            }
            i += 1;
        }
        if i - start < LINK_BAR_MIN_RUN || before < LINK_BAR_MIN_BEFORE {
            continue;
        }
        let prose_after: f64 = (i..n)
            .filter(|&j| keep[j] && is_long(&pf.shapes[j]))
            .map(|j| pf.shapes[j].units)
            .sum();
        if prose_after >= before {
            return;
        }
        drop_from(
            keep,
            rule,
            start,
            "after a bar of short repeated links that ends the article",
        );
        return;
    }
}

/// Comment headers that make a thread, within [`THREAD_SPAN`] blocks.
const THREAD_MIN_HEADS: usize = 3;
/// Blocks within which [`THREAD_MIN_HEADS`] comment headers must fall.
const THREAD_SPAN: usize = 30;

/// Is block `i` a short name-like line: one line of at most four words,
/// no sentence ending, not a timestamp?
fn name_like(pf: &PageFeatures, i: usize) -> bool {
    let s = &pf.shapes[i];
    s.lines == 1
        && s.units <= 4.0
        && !s.ends_sentence
        && pf.rows[i][features::TIMESTAMP_LIKE] == 0.0
}

/// Is block `i` a comment header: a timestamp-like line (a date or a clock
/// time) next to a short name-like line, the shape of "name / when" above
/// each reader comment?
fn comment_head(pf: &PageFeatures, i: usize) -> bool {
    let n = pf.shapes.len();
    pf.rows[i][features::TIMESTAMP_LIKE] > 0.0
        && ((i > 0 && name_like(pf, i - 1)) || (i + 1 < n && name_like(pf, i + 1)))
}

/// Structural smoothing at the end of the article: a reader comment thread
/// (at least [`THREAD_MIN_HEADS`] comment headers, [`comment_head`], within
/// [`THREAD_SPAN`] blocks) that starts after some kept text and after a
/// dropped stretch (the article has ended) is not body, nor anything after
/// it, however prose-like the comments are.
pub(super) fn cut_comment_thread(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    pf: &PageFeatures,
) {
    let n = keep.len();
    let heads: Vec<usize> = (0..n).filter(|&i| comment_head(pf, i)).collect();
    let mut before = 0.0;
    let mut last_kept: Option<usize> = None;
    let mut k = 0;
    for i in 0..n {
        if k < heads.len() && heads[k] == i {
            let thread = heads
                .get(k + THREAD_MIN_HEADS - 1)
                .is_some_and(|&h| h - i <= THREAD_SPAN);
            // the header line pair starts one block earlier when the name comes first
            let start = if i > 0 && name_like(pf, i - 1) {
                i - 1
            } else {
                i
            };
            let ended =
                last_kept.is_some_and(|l| start >= l + 3 && !keep[start..i].iter().any(|&x| x));
            if thread && ended && before >= LINK_BAR_MIN_BEFORE {
                drop_from(
                    keep,
                    rule,
                    start,
                    "in a thread of reader comments after the article",
                );
                return;
            }
            k += 1;
        }
        if keep[i] {
            before += pf.shapes[i].units;
            last_kept = Some(i);
        }
    }
}

/// Is this the label of a required form field: one short line ending in
/// an asterisk ("Name *", "E-mail*")?
pub fn form_field(text: &str, s: &features::Shape) -> bool {
    let label = text.trim_end();
    s.lines == 1
        && s.units <= 3.0
        && label.ends_with('*')
        && label
            .trim_end_matches(['*', ' '])
            .chars()
            .any(char::is_alphabetic)
}

/// Structural smoothing at the end of the article: a comment form (two
/// required fields in a row, [`form_field`]) after [`LINK_BAR_MIN_BEFORE`]
/// kept words ends the article; what is kept after it (the form's consent
/// text, a sidebar) is dropped.
pub(super) fn cut_comment_form(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    texts: &[&str],
    pf: &PageFeatures,
) {
    let n = keep.len();
    let field = |i: usize| form_field(texts[i], &pf.shapes[i]);
    let mut before = 0.0;
    for i in 0..n.saturating_sub(1) {
        if before >= LINK_BAR_MIN_BEFORE && field(i) && field(i + 1) {
            drop_from(keep, rule, i, "in a comment form after the article");
            return;
        }
        if keep[i] {
            before += pf.shapes[i].units;
        }
    }
}

/// Blocks between the article and an embedded post's attribution line.
const EMBED_MAX_GAP: usize = 3;

/// Is this the attribution line under an embedded social-media post: a
/// dash, the author, and a handle in parentheses ("— Jane Doe (@jdoe)
/// November 4, 2019"), as the embed code prints it in every language?
pub fn embed_attribution(text: &str, s: &features::Shape) -> bool {
    if s.lines > 2 || s.units > 30.0 {
        return false;
    }
    let Some(rest) = text.strip_prefix(['—', '–', '-']) else {
        return false;
    };
    rest.split("(@").skip(1).any(|after| {
        let handle = after.split(')').next().unwrap_or("");
        after.contains(')')
            && !handle.is_empty()
            && handle.chars().all(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Structural smoothing: an embedded post (a tweet) quoted by the article
/// is part of it. When an attribution line ([`embed_attribution`]) follows
/// the kept text within [`EMBED_MAX_GAP`] blocks, the post's text and the
/// attribution are kept, so the article is not cut short at the embed.
pub(super) fn keep_embedded_posts(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    texts: &[&str],
    pf: &PageFeatures,
) {
    let mut last_kept: Option<usize> = None;
    for a in 0..keep.len() {
        if keep[a] {
            last_kept = Some(a);
            continue;
        }
        let Some(l) = last_kept else { continue };
        if a - l <= EMBED_MAX_GAP && embed_attribution(texts[a], &pf.shapes[a]) {
            for j in l + 1..=a {
                keep[j] = true;
                rule[j] = None;
            }
            last_kept = Some(a);
        }
    }
}

/// Kept blocks at the end of the article among which an author's note is
/// looked for.
const BIO_MAX_FROM_END: usize = 4;
/// Words of an author's note at most.
const BIO_MAX_UNITS: f64 = 60.0;

/// The author named by a byline line ("By Jane Doe | …") in the head of
/// the article: before the first kept block or just after it.
pub(super) fn head_byline(texts: &[&str], pf: &PageFeatures, keep: &[bool]) -> Option<String> {
    let first = keep.iter().position(|&k| k)?;
    (0..(first + 3).min(texts.len()))
        .rev()
        .filter(|&i| pf.shapes[i].units <= 25.0 && pf.shapes[i].lines <= 3)
        .find_map(|i| texts[i].lines().find_map(super::meta::parse_byline))
}

/// Does `text` open with the author's name (`first_name_enough`: the first
/// name alone, "Jane is a reporter …"; else the whole of it, "Jane Doe's
/// book …", "Jane Doe (jane@…) edits …"), or, as a short line, contain the
/// whole name ("Write to Jane Doe at …", "About Jane Doe")?
fn about_author(text: &str, s: &features::Shape, name: &[String], first_name_enough: bool) -> bool {
    let toks = features::tokens(text);
    let opens = if first_name_enough {
        toks.first() == name.first()
    } else {
        toks.starts_with(name)
    };
    let whole = s.units <= 12.0 && toks.windows(name.len()).any(|w| w == name);
    opens || whole
}

/// Structural smoothing at the end of the article: a note about the
/// author — a short block among the last [`BIO_MAX_FROM_END`] kept blocks
/// that opens with the byline's name, or a short line that contains all of
/// it — is not the article's text, nor anything kept after it. The name's
/// repetition is the evidence, in any language.
pub(super) fn cut_author_bio(
    keep: &mut [bool],
    rule: &mut [Option<&'static str>],
    texts: &[&str],
    pf: &PageFeatures,
    byline: Option<&str>,
) {
    let Some(name) = byline.map(features::tokens) else {
        return;
    };
    if name.len() < 2 {
        return;
    }
    let kept: Vec<usize> = (0..keep.len()).filter(|&i| keep[i]).collect();
    let total: f64 = kept.iter().map(|&i| pf.shapes[i].units).sum();
    let tail = &kept[kept.len().saturating_sub(BIO_MAX_FROM_END)..];
    // the byline's first word alone names the author only when it is not
    // a word the article's own paragraphs open with ("By The Associated
    // Press": "The …"; "By Reuters Staff": "Reuters said …")
    let opens_body = |i: usize| {
        kept.iter()
            .filter(|&&j| j != i)
            .any(|&j| features::tokens(texts[j]).first() == name.first())
    };
    for &i in tail {
        let before: f64 = kept
            .iter()
            .take_while(|&&j| j < i)
            .map(|&j| pf.shapes[j].units)
            .sum();
        let s = &pf.shapes[i];
        if before >= total * 0.7
            && s.units <= BIO_MAX_UNITS
            && about_author(texts[i], s, &name, !opens_body(i))
        {
            drop_from(keep, rule, i, "a note about the author after the article");
            return;
        }
    }
}

/// Minimum score of a block inside the article for [`fill_article`] to
/// keep it.
const FILL_MIN_P: f64 = 0.05;
/// The same for a short line without a sentence ending (at most
/// [`FILL_SHORT_UNITS`] words: a button, a label, a subhead).
const FILL_MIN_P_SHORT: f64 = 0.3;
const FILL_SHORT_UNITS: f64 = 4.0;

/// Structural smoothing inside the article: it is one contiguous region,
/// so a block between the first and the last kept block belongs to it
/// unless the classifier is all but sure it does not (score below
/// [`FILL_MIN_P`], or [`FILL_MIN_P_SHORT`] for a short line) or a rule
/// dropped it. This keeps what the classifier doubts inside an article —
/// subheads, list items, table rows, product boxes — while menus and link
/// lists, which score near zero, stay out.
pub(super) fn fill_article(
    keep: &mut [bool],
    rule: &[Option<&'static str>],
    probs: &[f64],
    shapes: &[features::Shape],
) {
    let (Some(first), Some(last)) = (keep.iter().position(|&k| k), keep.iter().rposition(|&k| k))
    else {
        return;
    };
    for i in first..last {
        let s = &shapes[i];
        let min = if s.units <= FILL_SHORT_UNITS && !s.ends_sentence {
            FILL_MIN_P_SHORT
        } else {
            FILL_MIN_P
        };
        if !keep[i] && rule[i].is_none() && probs[i] >= min {
            keep[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "The council said on Tuesday that the old bridge would close to cars next spring, after engineers found that its steel frame had corroded faster than expected.";

    /// Features of a page of blocks (no headline, no metadata lines).
    fn page(blocks: &[&str]) -> PageFeatures {
        features::page_features(blocks, None, &vec![false; blocks.len()])
    }

    /// The texts of the blocks `keep` marks kept.
    fn kept(texts: &[&str], keep: &[bool]) -> Vec<String> {
        texts
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(t, _)| t.to_string())
            .collect()
    }

    /// A structural rule at the end of the article, as the tests run it.
    type EndRule = fn(&mut [bool], &mut [Option<&'static str>], &[&str], &PageFeatures);

    /// Run a rule on `blocks` with the blocks marked `K` kept; the kept
    /// blocks after it.
    fn run(blocks: &[(&str, bool)], rule: EndRule) -> Vec<String> {
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        let mut why = vec![None; blocks.len()];
        rule(&mut keep, &mut why, &texts, &pf);
        for (k, w) in keep.iter().zip(&why) {
            // a block is dropped by the rule exactly when it gives a reason
            assert!(!k || w.is_none());
        }
        kept(&texts, &keep)
    }

    const K: bool = true;
    const D: bool = false;

    fn share(kept: bool) -> Vec<(&'static str, bool)> {
        ["Facebook", "Twitter", "Email", "Pinterest", "WhatsApp"]
            .iter()
            .map(|t| (*t, kept))
            .collect()
    }

    #[test]
    fn a_share_bar_after_the_article_ends_it() {
        let mut blocks = share(D); // the bar at the top of the page too
        blocks.extend([(PROSE, K), (PROSE, K)]);
        blocks.extend(share(D));
        blocks.extend([
            ("Previous Post", K),
            ("Next Post", K),
            ("Why the ferry timetable changes this winter […]", K),
        ]);
        let kept = run(&blocks, cut_after_link_bar);
        assert_eq!(kept, vec![PROSE, PROSE]);
    }

    #[test]
    fn a_share_bar_above_the_article_does_not_end_it() {
        // too little kept before the bar: it opens the article
        let mut blocks = vec![("Bridge news", K)];
        blocks.extend(share(D));
        blocks.extend([(PROSE, K), (PROSE, K)]);
        blocks.extend(share(D));
        let kept = run(&blocks, cut_after_link_bar);
        assert_eq!(kept, vec!["Bridge news", PROSE, PROSE]);
        // more prose after the bar than before it: the bar sat inside the
        // article's head
        let mut blocks = vec![(PROSE, K)];
        blocks.extend(share(D));
        blocks.extend([(PROSE, K), (PROSE, K), (PROSE, K)]);
        blocks.extend(share(D));
        let kept = run(&blocks, cut_after_link_bar);
        assert_eq!(kept.len(), 4);
    }

    #[test]
    fn short_list_items_that_do_not_repeat_are_no_bar() {
        let mut blocks = vec![(PROSE, K), (PROSE, K)];
        blocks.extend(
            ["Flour", "Two eggs", "Milk", "A pinch of salt", "Butter"]
                .iter()
                .map(|t| (*t, K)),
        );
        blocks.push((PROSE, K));
        let kept = run(&blocks, cut_after_link_bar);
        assert_eq!(kept.len(), 8);
    }

    #[test]
    fn templated_share_buttons_after_the_article_end_it() {
        let blocks = [
            (PROSE, K),
            (PROSE, K),
            ("Share this:", K),
            ("Click to share on Facebook (Opens in new window)", K),
            ("Click to share on Twitter (Opens in new window)", K),
            ("Click to email this to a friend (Opens in new window)", K),
            ("Click to print (Opens in new window)", K),
            ("Permalink 34 Comments Feed for comments Back to top", K),
        ];
        let kept = run(&blocks, cut_after_link_bar);
        assert_eq!(kept, vec![PROSE, PROSE, "Share this:"]);
    }

    #[test]
    fn list_items_of_the_article_are_no_template() {
        // items that share one opening word, or open with numbers, or are
        // sentences: the article's own list
        let mut blocks = vec![(PROSE, K), (PROSE, K)];
        blocks.extend(
            [
                "Spain (Group F): 11th appearance",
                "Sweden (Group F): Seventh appearance",
                "1 cup of flour",
                "1 cup of milk",
                "1 cup of sugar",
                "1 cup of water",
                "The bridge closes to cars.",
                "The bridge reopens in May.",
                "The bridge gets new rails.",
                "The bridge gets a cycle lane.",
            ]
            .iter()
            .map(|t| (*t, K)),
        );
        blocks.push((PROSE, K));
        assert_eq!(run(&blocks, cut_after_link_bar).len(), blocks.len());
    }

    /// Run `cut_author_bio` on blocks whose head has a byline line.
    fn bio(blocks: &[(&str, bool)]) -> Vec<String> {
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        let byline = head_byline(&texts, &pf, &keep);
        let wanted = texts[0].trim_start_matches("By ").split(" |").next();
        assert_eq!(byline.as_deref(), wanted);
        cut_author_bio(
            &mut keep,
            &mut vec![None; blocks.len()],
            &texts,
            &pf,
            byline.as_deref(),
        );
        kept(&texts, &keep)
    }

    #[test]
    fn a_note_about_the_author_after_the_article_is_dropped() {
        let head = [("By Jane Okafor | 19 November 2019", D)];
        for note in [
            "Jane Okafor is a reporter for the Harbour Post, covering transport and city hall.",
            "Jane is our transport reporter; she has covered the harbour for ten years.",
            "Jane Okafor's book about the city's bridges came out in 2018.",
            "Write to Jane Okafor at jane@example.org",
        ] {
            let mut blocks = head.to_vec();
            blocks.extend([
                (PROSE, K),
                (PROSE, K),
                (PROSE, K),
                (note, K),
                ("Subscribe to our newsletter for more stories like this.", K),
            ]);
            assert_eq!(bio(&blocks), vec![PROSE; 3], "{note}");
        }
        // the name in the article's own text, or too early to be a note
        let mut blocks = head.to_vec();
        blocks.extend([
            (
                "Jane Okafor rode the last tram across the bridge on Tuesday.",
                K,
            ),
            (PROSE, K),
            (
                "Engineers told Jane Okafor and other reporters that the frame had corroded.",
                K,
            ),
            (PROSE, K),
        ]);
        assert_eq!(bio(&blocks).len(), 4);
        // an agency's byline: its first word opens the article's own
        // paragraphs, so a last paragraph opening with it is text
        let mut blocks = vec![("By The Associated Press | 19 November 2019", D)];
        blocks.extend([
            (
                "The council met on Tuesday to discuss the ferry timetable for the winter.",
                K,
            ),
            (PROSE, K),
            (PROSE, K),
            (PROSE, K),
            ("The new timetable starts on Monday, the company said.", K),
        ]);
        assert_eq!(bio(&blocks).len(), 5);
        // ... while the whole name opening a short last block is still a note
        let mut blocks = vec![("By The Associated Press | 19 November 2019", D)];
        blocks.extend([
            (
                "The council met on Tuesday to discuss the ferry timetable for the winter.",
                K,
            ),
            (PROSE, K),
            (PROSE, K),
            (PROSE, K),
            ("The Associated Press contributed to this report.", K),
        ]);
        assert_eq!(bio(&blocks).len(), 4);
    }

    #[test]
    fn headlines_glued_to_teasers() {
        let yes = [
            "Ferry Timetable Changes For The Winter Season StartsThe harbour company will run fewer boats from Monday, it said.",
            "Is The Old Bridge Safe For Cyclists?Engineers say the frame has corroded faster than anyone expected.",
            "Council Votes On Bridge Budget For 2020The council will vote on the repair budget next week, officials said.",
            "Zwei Fähren Fallen Im Winter KomplettDie Hafengesellschaft fährt ab Montag seltener, teilte sie mit.",
            "Two Ferries Cancelled. Here's What Changes On The Quay For Winter TravelA new timetable starts on Monday, the company said.",
            "Tram Strike Ends After Late Talks In The Depot TonightUnions and the city agreed on pay just after midnight.",
        ];
        let no = [
            // names with an inner capital, in prose
            "The merged Gannett and GateHouse may not diverge from the trend, its chairman has said.",
            "Singer-keyboardist McDonald and the band will play thirty dates in North America next summer.",
            // title case run on without a join, and too few words either side
            "Trevor Daugherty is the Senior Editor of 9to5Toys and has written about deals since 2014.",
            "Contact UsWork with us.",
            "The New York Times reported on Sunday that WeWork is preparing to cut jobs across its offices.",
            "The 16-inch MacBook Pro also features a physical Esc key and an inverted-T arrow key layout.",
            "Following the 16-inch MacBook Pro, Apple plans to release a new 13-inch model next year.",
            PROSE,
        ];
        for t in yes {
            assert!(glued_teaser(t, &features::shape(t)), "{t}");
        }
        for t in no {
            assert!(!glued_teaser(t, &features::shape(t)), "{t}");
        }
        // one glued line alone on a page is no list of other stories (a
        // sentence that opens with four capitalised words and a name
        // such as "PlayStation" has the shape)
        let shapes: Vec<features::Shape> =
            [yes[0], PROSE].iter().map(|t| features::shape(t)).collect();
        assert_eq!(glued_teasers(&[yes[0], PROSE], &shapes), [false, false]);
        let page = [PROSE, yes[0], yes[1], PROSE];
        let shapes: Vec<features::Shape> = page.iter().map(|t| features::shape(t)).collect();
        assert_eq!(glued_teasers(&page, &shapes), [false, true, true, false]);
    }

    /// Run `cut_story_lists` with the kept blocks' probabilities.
    fn story_lists(blocks: &[(&str, bool, f64)]) -> Vec<String> {
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let shapes: Vec<features::Shape> = texts.iter().map(|t| features::shape(t)).collect();
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        let probs: Vec<f64> = blocks.iter().map(|b| b.2).collect();
        let mut why = vec![None; blocks.len()];
        cut_story_lists(&mut keep, &mut why, &probs, &texts, &shapes);
        kept(&texts, &keep)
    }

    const TEASER: &str =
        "The mayor opened the winter fair on Saturday with a record number of stalls.";

    #[test]
    fn a_heading_over_headlines_and_teasers_starts_a_story_list() {
        let mut blocks = vec![(PROSE, K, 0.99); 6];
        blocks.push(("Top stories", D, 0.2));
        for h in [
            "Train strike called off after late-night talks",
            "Record number of visitors at the winter fair",
            "School reopens after roof repairs this week",
            "Local team wins the regional cup final",
        ] {
            blocks.extend([(h, D, 0.3), (TEASER, K, 0.95)]);
        }
        assert_eq!(story_lists(&blocks), vec![PROSE; 6]);
    }

    #[test]
    fn a_subhead_over_paragraphs_and_a_list_is_a_section() {
        // a how-to: a subhead, two confident paragraphs in a row, then
        // short list items (headline-shaped lines)
        let mut blocks = vec![(PROSE, K, 0.99); 6];
        blocks.push(("GIVING THE JAM AS A GIFT", D, 0.3));
        blocks.extend([(PROSE, K, 0.98), (PROSE, K, 0.97)]);
        for item in [
            "Eight ripe pears, cored and peeled",
            "One lemon or a quarter cup of juice",
            "Six tablespoons of fruit pectin",
            "One teaspoon of ground cinnamon",
            "Half a teaspoon of ground cloves",
        ] {
            blocks.push((item, D, 0.2));
        }
        assert_eq!(story_lists(&blocks), vec![PROSE; 8]);
    }

    #[test]
    fn quotes_signed_with_a_dash_are_no_story_list() {
        // reader reviews quoted one by one, each signed "– Name": the
        // signature is no heading, the quotes no list of other stories
        let mut blocks = vec![(PROSE, K, 0.99); 4];
        for (quote, name) in [
            (
                "“A wonderful evening, the dancers were superb!”",
                "– Mel****",
            ),
            (
                "“Good seats and friendly staff at the door.”",
                "– An** Fe***",
            ),
            (
                "“The drums were the best part of the show.”",
                "– Dia**** Co**",
            ),
            (
                "“We will come back with the children next year.”",
                "– Jo** Al**",
            ),
        ] {
            blocks.extend([(name, D, 0.5), (quote, K, 0.8)]);
        }
        blocks.push((PROSE, K, 0.95));
        let kept = story_lists(&blocks);
        assert_eq!(kept.len(), 9, "{kept:?}");
    }

    fn slides(blocks: &[&str]) -> Vec<bool> {
        let shapes: Vec<features::Shape> = blocks.iter().map(|t| features::shape(t)).collect();
        gallery_slides(blocks, &shapes)
    }

    #[test]
    fn gallery_counters_and_numbered_captions() {
        let page = [
            PROSE,
            "1of3Shoppers queue for gas cans at a hardware store on Tuesday.",
            "2of3Extension cords on the shelves of the same store.",
            "3 de 3 Un vendedor cuenta las linternas que quedan.",
            "Image 1 of 12",
            "Bild 2 von 12",
            "1 / 9",
            "Close",
            PROSE,
        ];
        assert_eq!(
            slides(&page),
            [false, true, true, true, true, true, true, false, false]
        );
        // a lone numbered caption, fractions, dates, times, scores and
        // numbers in prose are no gallery
        let page = [
            "1of3Shoppers queue for gas cans at a hardware store on Tuesday.",
            "1/4 cup of sugar",
            "3/4 cup of flour",
            "9to5 Daily",
            "24/7 Sports",
            "20/11/2019 / 11:54 am",
            "9h104",
            "3 of 5 residents said the bridge should close to cars.",
            "2 of 5 said it should stay open.",
            PROSE,
        ];
        assert_eq!(slides(&page), [false; 10]);
    }

    #[test]
    fn attribution_lines_of_embedded_posts() {
        let yes = [
            "— The City Council (@citycouncil) October 9, 2018",
            "– Ana Souza (@ana_souza) 4 de novembro de 2019",
            "-Harbour News (@HarbourNews2) 19. November 2019",
        ];
        let no = [
            "The City Council (@citycouncil) October 9, 2018",
            "— The City Council, October 9, 2018",
            "— Write to us (@ the front desk) any time",
            "Follow us on Twitter @citycouncil",
        ];
        for t in yes {
            assert!(embed_attribution(t, &features::shape(t)), "{t}");
        }
        for t in no {
            assert!(!embed_attribution(t, &features::shape(t)), "{t}");
        }
    }

    #[test]
    fn an_embedded_post_after_the_text_is_kept() {
        let post = "The bridge will close to cars from next spring, the council decided tonight. pic.twitter.com/abc";
        let attribution = "— The City Council (@citycouncil) October 9, 2018";
        let blocks = [
            (PROSE, K),
            (post, D),
            (attribution, D),
            ("Related stories", D),
            ("Train strike called off after late-night talks", D),
        ];
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        let mut why = vec![Some("dropped"); blocks.len()];
        why[0] = None;
        keep_embedded_posts(&mut keep, &mut why, &texts, &pf);
        assert_eq!(keep, [K, K, K, D, D]);
        assert_eq!(why[1..3], [None, None]);
        // too far from the article: a sidebar's embed, not the article's
        let far = [
            (PROSE, K),
            ("a", D),
            ("b", D),
            ("c", D),
            (post, D),
            (attribution, D),
        ];
        let texts: Vec<&str> = far.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = far.iter().map(|b| b.1).collect();
        keep_embedded_posts(&mut keep, &mut vec![None; far.len()], &texts, &pf);
        assert_eq!(keep, [K, D, D, D, D, D]);
    }

    #[test]
    fn doubtful_blocks_inside_the_article_are_filled_in() {
        let texts = [
            PROSE,
            PROSE,
            "Ingredients for the pear jam",
            PROSE,
            PROSE,
            "Listen",
            "Subscribe now",
            PROSE,
            PROSE,
        ];
        let shapes: Vec<features::Shape> = texts.iter().map(|t| features::shape(t)).collect();
        let mut keep = [D, K, D, D, D, D, D, K, D];
        let probs = [0.3, 0.9, 0.2, 0.01, 0.4, 0.2, 0.35, 0.95, 0.4];
        let mut why = [None; 9];
        why[4] = Some("labelled link to another article");
        fill_article(&mut keep, &why, &probs, &shapes);
        // before the first and after the last kept block: unchanged; inside,
        // all but near-certain boilerplate, a doubtful button and the
        // rule's block
        assert_eq!(keep, [D, K, K, D, D, D, K, K, D]);
        let mut none = [D; 3];
        fill_article(&mut none, &[None; 3], &[0.4; 3], &shapes[..3]);
        assert_eq!(none, [D; 3]);
    }

    #[test]
    fn a_comment_form_after_the_article_ends_it() {
        let blocks = [
            (PROSE, K),
            (PROSE, K),
            ("Leave a Reply", D),
            ("Name *", D),
            ("E-mail *", D),
            ("Website", D),
            (
                "Save my name, email, and website in this browser for the next time I comment.",
                K,
            ),
            (
                "Your data will only be used to publish your comment, as our privacy policy explains.",
                K,
            ),
        ];
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        cut_comment_form(&mut keep, &mut vec![None; blocks.len()], &texts, &pf);
        assert_eq!(keep, [K, K, D, D, D, D, D, D]);
        // one starred line is a footnote, not a form
        let blocks = [
            (PROSE, K),
            (PROSE, K),
            ("Prices as of Monday *", K),
            (PROSE, K),
        ];
        let texts: Vec<&str> = blocks.iter().map(|b| b.0).collect();
        let pf = page(&texts);
        let mut keep: Vec<bool> = blocks.iter().map(|b| b.1).collect();
        cut_comment_form(&mut keep, &mut vec![None; blocks.len()], &texts, &pf);
        assert_eq!(keep, [K; 4]);
        for no in ["*", "* *", "Name", "Terms and conditions apply *"] {
            assert!(!form_field(no, &features::shape(no)), "{no}");
        }
        assert!(form_field("Imię*", &features::shape("Imię*")));
    }

    fn thread() -> Vec<(&'static str, bool)> {
        vec![
            ("12 comments", D),
            ("harbourfan", D),
            ("November 19, 2019 at 6:34 am", D),
            (
                "About time they did something about that bridge, it has been falling apart for years.",
                K,
            ),
            ("Reply", D),
            ("riverside_rita", D),
            ("November 19, 2019 at 7:02 am", D),
            (
                "What about the shops on the quay? Nobody seems to have asked them what they think of it.",
                K,
            ),
            (
                "I have run a café there for twenty years and the bridge brings half of my customers.",
                K,
            ),
            ("Reply", D),
            ("old_sailor", D),
            ("2 days ago at 07:52 am", D),
            ("Build a new one and be done with it.", K),
        ]
    }

    #[test]
    fn a_comment_thread_after_the_article_is_dropped() {
        let mut blocks = vec![(PROSE, K), (PROSE, K), ("Share this article", D)];
        blocks.extend(thread());
        let kept = run(&blocks, |k, r, _, pf| cut_comment_thread(k, r, pf));
        assert_eq!(kept, vec![PROSE, PROSE]);
    }

    #[test]
    fn timestamps_inside_the_article_are_no_thread() {
        // a live blog: time lines between kept entries, no dropped stretch
        // between the article and them
        let mut blocks = vec![(PROSE, K)];
        for time in ["10:32", "10:15", "09:58", "09:40"] {
            blocks.extend([("Live", D), (time, D), (PROSE, K)]);
        }
        let kept = run(&blocks, |k, r, _, pf| cut_comment_thread(k, r, pf));
        assert_eq!(kept.len(), 5);
        // the thread alone, nothing kept before it: no article to end
        let kept = run(&thread(), |k, r, _, pf| cut_comment_thread(k, r, pf));
        assert_eq!(kept.len(), 4);
    }
}
