//! Cleaning of text dumps (one block per line group, blank lines between
//! blocks): find the headline, date, byline and figures, classify every
//! block as body or boilerplate, and explain each decision.
//!
//! The pipeline: split into blocks → headline and metadata lines → per-block
//! features ([`features`]) → block classifier ([`model`], weights trained
//! by `scripts/train-dump-model.py`) → structural smoothing (the article is
//! one mostly contiguous region) → body, figures and report.

pub mod features;
pub mod headline;
pub mod model;
mod structure;
#[rustfmt::skip]
mod weights;

use super::{BlockReport, CleanError, Cleaned, Verdict, markdown::escape_paragraph, meta};
use crate::model::Figure;
use features::{Shape, is_long};
use model::{CompiledModel, Model};
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A block of the dump with its 1-based starting line.
#[derive(Clone, Debug)]
pub struct RawBlock<'a> {
    pub line: usize,
    pub text: &'a str,
}

/// Split a dump into blocks separated by blank lines. Lines are trimmed of
/// surrounding whitespace (tabs included) when the block is used.
pub fn blocks(text: &str) -> Vec<RawBlock<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, line)
    let mut pos = 0;
    for (i, line) in text.split('\n').enumerate() {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some((pos, i + 1)),
            (true, Some((s, l))) => {
                out.push(RawBlock {
                    line: l,
                    text: text[s..pos].trim_end_matches('\n').trim(),
                });
                start = None;
            }
            _ => {}
        }
        pos += line.len() + 1;
    }
    if let Some((s, l)) = start {
        out.push(RawBlock {
            line: l,
            text: text[s..].trim(),
        });
    }
    out
}

/// Normalise a block's text: trim every line, collapse runs of spaces and
/// tabs inside lines.
fn normalise(text: &str) -> Cow<'_, str> {
    if is_normalised(text) {
        // most blocks already are: no copy
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut first = true;
        for w in line.split_whitespace() {
            if !first {
                out.push(' ');
            }
            out.push_str(w);
            first = false;
        }
    }
    Cow::Owned(out)
}

/// Does [`normalise`] return `text` unchanged? Yes when every line is its
/// words joined by single spaces (whitespace only as single spaces between
/// other characters and as `\n` between lines: no tab, `\r` or other
/// whitespace, none at either end of a line), and the text does not end in
/// a line break (`lines` drops the empty line after it).
fn is_normalised(text: &str) -> bool {
    // byte by byte, decoding only characters that are not ASCII
    let mut prev = b'\n'; // as at the start of a line
    for (i, &b) in text.as_bytes().iter().enumerate() {
        match b {
            b'\n' if prev == b' ' => return false,
            b' ' if prev == b' ' || prev == b'\n' => return false,
            b'\n' | b' ' => {}
            b'\t'..=b'\r' => return false, // other ASCII whitespace
            0xC0.. if text[i..].starts_with(char::is_whitespace) => return false,
            _ => {}
        }
        prev = b;
    }
    prev != b' ' && !text.ends_with('\n')
}

static SCRAPER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^date\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)\s+(?P<title>\S.*)$",
    )
    .expect("valid regex")
});

/// The headline: the scraper's metadata header when there is one (`date
/// 2024-12-06 <headline>`), otherwise the short single-line block that best
/// looks like a headline just before the article text (repeated, shares
/// words with the lede, title-sized). Returns (block index, headline, date
/// from the header).
pub fn find_title(texts: &[&str], shapes: &[Shape]) -> Option<Title> {
    if let Some(first) = texts.first()
        && let Some(c) = SCRAPER_HEADER.captures(first.trim())
    {
        let date = meta::parse_date(&c["date"]);
        return Some((0, c["title"].trim().to_string(), date));
    }
    let first_long = shapes
        .iter()
        .position(|s| is_long(s) && s.ends_sentence)
        .or_else(|| shapes.iter().position(is_long))?;
    // (fast hashes: only the counts matter)
    // (the lede's opening is enough: a dump can be one 50 MB line)
    let lede: rustc_hash::FxHashSet<String> =
        features::tokens(prefix(texts[first_long], 64 * 1024))
            .into_iter()
            .collect();
    let repeats = features::repeat_counts(texts);
    let lo = first_long.saturating_sub(25);
    let mut best: Option<(f64, usize)> = None;
    for i in lo..first_long {
        let s = &shapes[i];
        if s.lines != 1 || s.units < 2.0 || s.units > 40.0 || s.chars < 10 {
            continue;
        }
        let t = texts[i].trim();
        if meta::parse_date(t).is_some() && s.units < 8.0 || meta::parse_byline(t).is_some() {
            continue;
        }
        let toks = features::tokens(t);
        let shared = if toks.is_empty() {
            0.0
        } else {
            toks.iter().filter(|w| lede.contains(*w)).count() as f64 / toks.len() as f64
        };
        let dup = repeats[i] > 1;
        let mut score = shared * 3.0 + if dup { 1.5 } else { 0.0 } + (s.units.min(12.0) / 6.0);
        score -= (first_long - i) as f64 * 0.08;
        if t.ends_with('.') {
            score -= 0.7;
        }
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, i));
        }
    }
    let (_, i) = best?;
    Some((i, texts[i].trim().to_string(), None))
}

/// The first `max` bytes of `s` (fewer, to end on a character).
fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// What a block was recognised as before classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MetaKind {
    None,
    Date,
    Byline,
}

fn meta_kind(text: &str, s: &Shape) -> MetaKind {
    if s.units > 25.0 || s.lines > 3 {
        return MetaKind::None;
    }
    if text.lines().any(|l| meta::parse_byline(l).is_some()) {
        return MetaKind::Byline;
    }
    if s.units <= 16.0 && meta::parse_date(text).is_some() {
        return MetaKind::Date;
    }
    MetaKind::None
}

/// Clean a decoded text dump with the embedded model.
pub fn clean_dump(text: &str) -> Result<Cleaned, CleanError> {
    clean_dump_compiled(text, CompiledModel::embedded())
}

/// Feature rows of every block (for training and diagnostics): the
/// blocks' normalised texts, stage-1 rows, and — when a stage-1 model is
/// given — stage-2 rows built from its probabilities.
pub fn block_features(
    text: &str,
    stage1: Option<&model::Trees>,
) -> (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let raw = blocks(text);
    let normal: Vec<Cow<str>> = raw.iter().map(|b| normalise(b.text)).collect();
    let texts: Vec<&str> = normal.iter().map(|t| t.as_ref()).collect();
    let (pf, _, _) = analyse(&texts);
    let rows2 = match stage1 {
        Some(t) => {
            let p: Vec<f64> = pf.rows.iter().map(|r| t.prob(r)).collect();
            let units: Vec<f64> = pf.shapes.iter().map(|s| s.units).collect();
            model::stage2_rows(&pf.rows, &p, &units)
                .map(|r| r.to_vec())
                .collect()
        }
        None => Vec::new(),
    };
    let texts = texts.iter().map(|t| t.to_string()).collect();
    (texts, pf.rows.iter().map(|r| r.to_vec()).collect(), rows2)
}

/// The headline found: (block index, headline, date from a scraper header).
type Title = (usize, String, Option<String>);

fn analyse(refs: &[&str]) -> (features::PageFeatures, Option<Title>, Vec<MetaKind>) {
    let shapes: Vec<Shape> = refs.iter().map(|t| features::shape(t)).collect();
    let title = find_title(refs, &shapes);
    let kinds: Vec<MetaKind> = refs
        .iter()
        .zip(&shapes)
        .map(|(t, s)| meta_kind(t, s))
        .collect();
    let meta_line: Vec<bool> = kinds.iter().map(|k| *k != MetaKind::None).collect();
    // the shapes are measured once, here, for the title, metadata and features
    let pf = features::page_features_with_shapes(
        refs,
        shapes,
        title.as_ref().map(|(i, t, _)| (*i, t.as_str())),
        &meta_line,
    );
    (pf, title, kinds)
}

/// The body blocks as the classifier and the structural rules mark them:
/// (probabilities, kept, the rule that dropped a block).
fn classify_blocks(
    texts: &[&str],
    pf: &features::PageFeatures,
    title: Option<&Title>,
    model: &CompiledModel,
) -> (Vec<f64>, Vec<bool>, Vec<Option<&'static str>>) {
    let n = texts.len();
    let units: Vec<f64> = pf.shapes.iter().map(|s| s.units).collect();
    let probs = model.probs(&pf.rows, &units);
    let mut keep: Vec<bool> = probs.iter().map(|&p| p >= model.threshold).collect();
    let mut rule: Vec<Option<&'static str>> = vec![None; n];
    // Shapes of boilerplate whatever the score, so that no later smoothing
    // brings them back either.
    let slides = structure::gallery_slides(texts, &pf.shapes);
    let teasers = structure::glued_teasers(texts, &pf.shapes);
    for i in 0..n {
        let (t, s) = (texts[i], &pf.shapes[i]);
        rule[i] = if s.units <= 4.0 && (t.ends_with("...") || t.ends_with('…')) {
            // interface text or teasers ("Loading…", "Read more..."), never
            // whole paragraphs
            Some("short text ending in an ellipsis")
        } else if features::label_prefixed(t, s) {
            Some("labelled link to another article")
        } else if interposed_headline(texts, &pf.shapes, i) {
            Some("headline-like line between paragraphs (link to another story)")
        } else if slides[i] {
            Some("slide counter or caption of a photo gallery")
        } else if teasers[i] {
            Some("headline glued to its teaser (a list of other stories)")
        } else {
            None
        };
        keep[i] &= rule[i].is_none();
    }
    structure::cut_story_lists(&mut keep, &mut rule, &probs, texts, &pf.shapes);
    structure::cut_after_link_bar(&mut keep, &mut rule, texts, pf);
    structure::cut_comment_thread(&mut keep, &mut rule, pf);
    structure::cut_comment_form(&mut keep, &mut rule, texts, pf);
    extend_edges(&mut keep, &rule, &probs, pf, title.map(|t| t.0));
    structure::keep_embedded_posts(&mut keep, &mut rule, texts, pf);
    structure::fill_article(&mut keep, &rule, &probs, &pf.shapes);
    let byline = structure::head_byline(texts, pf, &keep);
    structure::cut_author_bio(&mut keep, &mut rule, texts, pf, byline.as_deref());
    // A tiny line without a sentence ending as the very last kept block is a
    // section label ("12 comments", "Tags"), not the end of the article.
    while let Some(last) = keep.iter().rposition(|&k| k) {
        let s = &pf.shapes[last];
        if s.units > 3.0 || s.ends_sentence || keep.iter().filter(|&&k| k).count() < 2 {
            break;
        }
        keep[last] = false;
        rule[last] = Some("short label after the article");
    }
    if !keep.iter().any(|&k| k) {
        // Nothing scored as body (a very short or unusual page): fall back to
        // the long prose blocks of the densest region.
        if let Some((a, b)) = pf.main {
            for i in a..=b {
                if is_long(&pf.shapes[i]) && rule[i].is_none() {
                    keep[i] = true;
                }
            }
        }
    }
    (probs, keep, rule)
}

/// The headline candidates of a dump as the cleaner scores them, best
/// first, with their blocks' texts (for training and diagnostics).
pub fn headline_candidates(text: &str) -> Vec<(String, headline::Candidate)> {
    let raw = blocks(text);
    let normal: Vec<Cow<str>> = raw.iter().map(|b| normalise(b.text)).collect();
    let texts: Vec<&str> = normal.iter().map(|t| t.as_ref()).collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let (pf, title, _) = analyse(&texts);
    let (_, keep, _) = classify_blocks(&texts, &pf, title.as_ref(), CompiledModel::embedded());
    headline::candidates(&texts, &pf.shapes, &keep)
        .into_iter()
        .map(|c| (texts[c.index].trim().to_string(), c))
        .collect()
}

/// Clean a decoded text dump with a given block classifier.
pub fn clean_dump_with(text: &str, model: &Model) -> Result<Cleaned, CleanError> {
    clean_dump_compiled(text, &CompiledModel::new(model))
}

fn clean_dump_compiled(text: &str, model: &CompiledModel) -> Result<Cleaned, CleanError> {
    clean_dump_dated(text, model).map(|(c, _)| c)
}

/// Development aid: how a dump's date was decided and each date signal's
/// day alone, as JSON (`examples/date_signals.rs`).
#[doc(hidden)]
pub fn date_signals(text: &str) -> serde_json::Value {
    use serde_json::json;
    let Ok((cleaned, dd)) = clean_dump_dated(text, CompiledModel::embedded()) else {
        return json!(null);
    };
    // a naive baseline: the first full date printed anywhere in the dump
    let first = blocks(text).iter().find_map(|b| {
        let t = normalise(b.text);
        let p = meta::dates::printed_dates(&t).into_iter().next()?;
        Some(p.civil(p.date))
    });
    let mut signals: serde_json::Map<String, serde_json::Value> = dd
        .signals
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    if let Some(f) = first {
        signals.insert("first printed".into(), json!(f));
    }
    json!({ "date": cleaned.date, "from": dd.from, "signals": signals })
}

/// [`clean_dump_compiled`], with how the date was decided.
fn clean_dump_dated(text: &str, model: &CompiledModel) -> Result<(Cleaned, DumpDate), CleanError> {
    let raw = blocks(text);
    if raw.is_empty() {
        return Err(CleanError::Empty);
    }
    // blocks that are already normal are borrowed from the dump, not copied
    let normal: Vec<Cow<str>> = raw.iter().map(|b| normalise(b.text)).collect();
    let texts: Vec<&str> = normal.iter().map(|t| t.as_ref()).collect();
    let (pf, title, kinds) = analyse(&texts);
    let n = texts.len();
    let (probs, mut keep, rule) = classify_blocks(&texts, &pf, title.as_ref(), model);
    let mut verdicts: Vec<(Verdict, String)> = vec![(Verdict::Dropped, String::new()); n];

    // Headline: the scraper's metadata header when there is one, else the
    // block that best reads as the headline now that the body is known
    // (`headline`). It and its exact copies before the body are metadata.
    // The classifier's features were built around `title`; that block and
    // its copies stay out of the body as well, so a better headline never
    // changes the body but by taking its own block out of it.
    let header = title
        .as_ref()
        .filter(|(i, _, _)| *i == 0 && SCRAPER_HEADER.is_match(texts[0].trim()));
    let header_date = header.and_then(|(_, _, d)| d.clone());
    let first_kept = keep.iter().position(|&k| k);
    let Some(first_kept) = first_kept else {
        return Err(CleanError::NoArticle {
            why: format!("none of the {n} blocks looks like article prose (no run of sentences)"),
        });
    };
    let last_kept = keep.iter().rposition(|&k| k).unwrap_or(first_kept);
    let head: Option<(usize, String)> = match header {
        Some((i, t, _)) => Some((*i, t.clone())),
        None => headline::find_headline(&texts, &pf.shapes, &keep)
            .map(|i| (i, texts[i].trim().to_string()))
            .or_else(|| title.as_ref().map(|(i, t, _)| (*i, t.clone()))),
    };
    let title_text = head.as_ref().map_or(String::new(), |(_, t)| t.clone());
    let feature_title = title.as_ref().map(|(i, t, _)| (*i, t.as_str()));

    // the first long prose block: copies of the headline before it are
    // repeats of the headline, not body
    let first_long = pf.shapes.iter().position(is_long).unwrap_or(0);
    // The dateline: the dates printed next to the headline.
    let dateline = head
        .as_ref()
        .and_then(|(h, _)| meta::dates::dateline(&texts, *h));
    // Metadata in the head of the article: date and byline lines between the
    // (classifier's) headline and the first body paragraphs.
    let head_lo = feature_title.map_or(first_kept.saturating_sub(8), |(i, _)| i);
    let mut date_line_seen = false;
    let mut byline = None;
    let mut figures = Vec::new();
    for i in 0..n {
        let t = texts[i];
        if let Some((hi, _)) = &head
            && (i == *hi || (t == title_text && (i < *hi || i < first_long)))
        {
            keep[i] = false;
            verdicts[i] = (Verdict::Meta, "headline".into());
            continue;
        }
        if let Some((ti, tt)) = feature_title
            && (i == ti || (t == tt && (i < ti || i < first_long)))
        {
            keep[i] = false;
            verdicts[i] = (
                Verdict::Dropped,
                "headline-like line before the article".into(),
            );
            continue;
        }
        let in_head = i >= head_lo && i <= first_kept + 3;
        let head_meta = in_head && kinds[i] != MetaKind::None && pf.shapes[i].units <= 16.0;
        if dateline.as_ref().is_some_and(|d| d.blocks.contains(&i)) && (!keep[i] || head_meta) {
            if byline.is_none() && kinds[i] == MetaKind::Byline {
                byline = t.lines().find_map(meta::parse_byline);
            }
            date_line_seen |= head_meta && kinds[i] == MetaKind::Date;
            keep[i] = false;
            verdicts[i] = (Verdict::Meta, "date".into());
            continue;
        }
        if in_head && !keep[i] || head_meta {
            match kinds[i] {
                MetaKind::Date if !date_line_seen => {
                    date_line_seen = true;
                    keep[i] = false;
                    verdicts[i] = (Verdict::Meta, "date".into());
                    continue;
                }
                MetaKind::Byline if byline.is_none() => {
                    byline = t.lines().find_map(meta::parse_byline);
                    keep[i] = false;
                    verdicts[i] = (Verdict::Meta, "byline".into());
                    continue;
                }
                _ => {}
            }
        }
        // Figures: caption blocks inside the article (a credit line may
        // follow the last kept block, its caption).
        if i >= head_lo
            && i <= last_kept + 1
            && pf.shapes[i].units <= 80.0
            && let Some(fig) = figure(t)
        {
            {
                if fig.caption.is_empty()
                    && i > 0
                    && verdicts[i - 1].0 == Verdict::Dropped
                    && pf.shapes[i - 1].lines == 1
                    && pf.shapes[i - 1].units <= 40.0
                {
                    keep[i - 1] = false;
                    // a credit line belongs to the caption block before it
                    let cap = texts[i - 1].lines().next().unwrap_or("").trim();
                    let cap = cap.strip_prefix("Above:").unwrap_or(cap).trim();
                    figures.push(Figure {
                        caption: cap.to_string(),
                        credit: fig.credit,
                    });
                    verdicts[i - 1] = (Verdict::Meta, "caption".into());
                } else if !fig.caption.is_empty() {
                    figures.push(fig);
                }
                keep[i] = false;
                verdicts[i] = (Verdict::Meta, "caption with credit".into());
                continue;
            }
        }
    }
    let dd = decide_date(
        &texts,
        dateline.as_ref(),
        head.as_ref().map(|(h, _)| *h),
        header_date,
    );
    if let Some(j) = dd.yearless_at
        && verdicts[j].0 != Verdict::Meta
        && !keep[j]
    {
        verdicts[j] = (Verdict::Meta, "date".into());
    }
    let date = dd.date.clone();
    let provenance = super::Provenance {
        outlet: meta::outlet::dump_outlet(&texts, head.as_ref().map(|(_, t)| t.as_str())),
        published: dd.published.clone(),
        modified: dd.modified.clone(),
        ..Default::default()
    };

    let mut body = Vec::new();
    let mut report = Vec::with_capacity(n);
    for i in 0..n {
        let (verdict, reason) = if verdicts[i].0 == Verdict::Meta {
            verdicts[i].clone()
        } else if keep[i] {
            body.push(escape_paragraph(texts[i]));
            (Verdict::Kept, format!("body text (p={:.2})", probs[i]))
        } else {
            match rule[i] {
                Some(r) => (Verdict::Dropped, format!("{r} (p={:.2})", probs[i])),
                None => (Verdict::Dropped, drop_reason(&pf, i, probs[i])),
            }
        };
        report.push(BlockReport {
            line: raw[i].line,
            text: raw[i].text.to_string(),
            verdict,
            reason,
        });
    }
    if body.is_empty() {
        return Err(CleanError::NoArticle {
            why: "every prose-like block was metadata".into(),
        });
    }
    let title = if title_text.is_empty() {
        fallback_title(&texts)
    } else {
        title_text
    };
    let cleaned = Cleaned {
        title,
        date,
        byline,
        provenance,
        figures,
        body,
        report: report.into(),
        warnings: Vec::new(),
    };
    Ok((cleaned, dd))
}

/// A dump's date, how it was decided, and each of its signals read alone
/// (for `scripts/cleaning-meta/date_signals.py`).
#[derive(Debug, Default)]
struct DumpDate {
    /// The date shown to readers (`YYYY-MM-DD`, with a time when printed).
    date: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    /// The block of the year-less dateline taken, when one was.
    yearless_at: Option<usize>,
    /// The signal the date came from, or why there is none.
    from: &'static str,
    /// Each signal's day, alone: the dateline next to the headline (even
    /// where it is one entry of a list), a year-less dateline, the
    /// scraper's header.
    signals: Vec<(&'static str, String)>,
}

/// The date shown to readers: the dateline's (an ambiguous numeric date
/// read in the page's own day/month order, or not at all), else a dateline
/// without a year in the year of the page's copyright notice, else the
/// scraper header's day; none when the dateline and the header are more
/// than a day apart.
fn decide_date(
    texts: &[&str],
    dateline: Option<&meta::dates::Dateline>,
    head: Option<usize>,
    header_date: Option<String>,
) -> DumpDate {
    use meta::dates;
    let mut signals = Vec::new();
    let resolve = |p: &dates::Printed| {
        let order = if p.alt.is_some() {
            dates::page_order(texts.iter().copied())
        } else {
            dates::Order::Unknown
        };
        p.resolve(order).map(|d| p.civil(d))
    };
    if let Some(d) = dateline.and_then(|d| d.shown()).and_then(resolve) {
        signals.push(("dateline", d));
    }
    // A dateline that is one entry of a list of dated items (the headline
    // chosen was another story's, or the list sits against the article)
    // says nothing sure: no date rather than another story's.
    let listed = |p: &dates::Printed, at: usize| dates::in_dated_list(texts, at, p.date);
    let dated = dateline.filter(|d| {
        !d.shown()
            .zip(d.blocks.first())
            .is_some_and(|(p, &at)| listed(p, at))
    });
    let shown = dated.and_then(|d| d.shown()).and_then(resolve);
    // no full date: a dateline without a year, in the year of the page's
    // copyright notice
    let yearless = match (dateline, head) {
        (None, Some(h)) if header_date.is_none() => {
            dates::copyright_year(texts).and_then(|y| dates::yearless_dateline(texts, h, y))
        }
        _ => None,
    };
    if let Some((p, _)) = &yearless {
        signals.push(("yearless", p.civil(p.date)));
    }
    let yearless = yearless.filter(|(p, j)| !listed(p, *j));
    if let Some(h) = &header_date {
        signals.push(("header", h.clone()));
    }
    let (shown, from) = match (shown, yearless) {
        (Some(s), _) => (Some(s), "dateline"),
        (None, Some((p, _))) => (Some(p.civil(p.date)), "yearless"),
        (None, None) => (None, ""),
    };
    // the scraper's header and the printed dateline more than a day apart:
    // the page contradicts itself, so no date
    let day = |s: &Option<String>| s.as_deref().and_then(dates::day_of);
    let (date, from) = if day(&shown)
        .zip(day(&header_date))
        .is_some_and(|(a, b)| !dates::within_a_day(a, b))
    {
        (None, "none: dateline and header disagree")
    } else if shown.is_some() {
        (shown, from)
    } else if header_date.is_some() {
        (header_date.clone(), "header")
    } else if dateline.is_some() {
        (None, "none: dateline in a list or unresolved")
    } else {
        (None, "none")
    };
    // `published` and `modified` only beside a date: where the cleaner
    // does not trust the page's dates for `date`, it does not write them
    // as the page's publication either
    let trusted = date.is_some();
    DumpDate {
        published: dated
            .and_then(|d| d.published.as_ref())
            .and_then(resolve)
            .or(header_date)
            .filter(|_| trusted),
        modified: dated
            .and_then(|d| d.updated.as_ref())
            .and_then(resolve)
            .filter(|_| trusted),
        date,
        yearless_at: yearless.map(|(_, j)| j),
        from,
        signals,
    }
}

/// A single headline-shaped line (no sentence ending, 10–30 words) with a
/// full prose paragraph on each side: the shape of a link to another story
/// dropped into the article, not of a subheading (short) or a list item
/// (its neighbours would be items too).
fn interposed_headline(texts: &[&str], shapes: &[Shape], i: usize) -> bool {
    let s = &shapes[i];
    let t = texts[i].trim_end();
    if i == 0 || i + 1 >= shapes.len() || s.lines != 1 || s.ends_sentence || t.ends_with(':') {
        return false;
    }
    if !(10.0..=30.0).contains(&s.units) {
        return false;
    }
    let prose = |j: usize| shapes[j].units >= 20.0 && shapes[j].ends_sentence;
    prose(i - 1) && prose(i + 1)
}

/// Structural smoothing at the edges of the article: a prose block
/// (sentence ending, not tiny) right next to a kept block, with a middling
/// score, continues the article; and a prose block between the headline and
/// the first kept block, separated from it only by a few short lines
/// (an audio player, a share bar), is the lede.
fn extend_edges(
    keep: &mut [bool],
    rule: &[Option<&str>],
    probs: &[f64],
    pf: &features::PageFeatures,
    title: Option<usize>,
) {
    let n = keep.len();
    let prose = |i: usize| {
        let s = &pf.shapes[i];
        rule[i].is_none() && s.ends_sentence && s.units >= 8.0 && s.lines <= 3
    };
    // forward then backward, so a chain of such blocks is followed
    for i in 1..n {
        if !keep[i] && keep[i - 1] && prose(i) && probs[i] >= 0.15 {
            keep[i] = true;
        }
    }
    for i in (0..n.saturating_sub(1)).rev() {
        if !keep[i] && keep[i + 1] && prose(i) && probs[i] >= 0.15 {
            keep[i] = true;
        }
    }
    let Some(first) = keep.iter().position(|&k| k) else {
        return;
    };
    let lo = title.map_or(first.saturating_sub(4), |t| t + 1);
    for i in (lo..first).rev() {
        let between_short = (i + 1..first).all(|j| pf.shapes[j].units < 8.0);
        if first - i <= 4 && between_short && prose(i) && is_long(&pf.shapes[i]) && probs[i] >= 0.2
        {
            keep[i] = true;
            break;
        }
    }
}

fn fallback_title(texts: &[&str]) -> String {
    texts
        .iter()
        .find(|t| !t.trim().is_empty())
        .and_then(|t| t.lines().next())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A caption block: two lines where the second repeats the first and adds a
/// credit ("X" / "X. Picture: Alamy"), or one line ending in a credit.
fn figure(text: &str) -> Option<Figure> {
    let mut lines = text.lines();
    let (a, b) = (lines.next()?.trim(), lines.next().map(str::trim));
    if lines.next().is_some() {
        return None;
    }
    match b {
        Some(b) if a.len() > 8 && b.starts_with(a.trim_end_matches('.')) => {
            let credit = meta::split_credit(b).map(|(_, c)| c);
            Some(Figure {
                caption: a.trim_end_matches('.').to_string(),
                credit,
            })
        }
        Some(_) => None,
        None => {
            let (cap, credit) = meta::split_credit(a)?;
            Some(Figure {
                caption: cap,
                credit: Some(credit),
            })
        }
    }
}

fn drop_reason(pf: &features::PageFeatures, i: usize, p: f64) -> String {
    let s = &pf.shapes[i];
    let r = &pf.rows[i];
    let why = if r[features::DUP_COUNT] > 0.0 && s.units < 30.0 {
        "repeated block"
    } else if s.units < 10.0 && r[26] > 1.5 {
        "short line in a run of links or headlines"
    } else if pf.main.is_some_and(|(_, b)| i > b) {
        "after the article"
    } else if pf.main.is_some_and(|(a, _)| i < a) {
        "before the article"
    } else if s.units < 10.0 {
        "short line"
    } else {
        "not like the article text"
    };
    format!("{why} (p={p:.2})")
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit_tests {
    use super::*;
    use crate::clean::{clean_seed, decode};

    /// Front matter and body paragraphs of a golden `.md` file.
    fn golden(md: &str) -> (serde_yaml::Value, Vec<String>) {
        let rest = md.strip_prefix("---\n").expect("front matter");
        let (fm, body) = rest.split_once("\n---\n").expect("end of front matter");
        let fm: serde_yaml::Value = serde_yaml::from_str(fm).expect("yaml");
        let paras = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        (fm, paras)
    }

    fn check_golden(seed: &str, md: &str) {
        let (fm, paras) = golden(md);
        let got = clean_dump(seed).expect("seed cleans");
        let s = |k: &str| fm.get(k).and_then(|v| v.as_str()).map(str::to_string);
        assert_eq!(Some(got.title.clone()), s("title"));
        // dates in YAML may come back as strings
        let date = fm.get("date").map(|v| match v {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .expect("yaml")
                .trim()
                .to_string(),
        });
        assert_eq!(got.date, date);
        assert_eq!(got.byline, s("byline"));
        let want_figs: Vec<(String, Option<String>)> = fm
            .get("figures")
            .and_then(|f| f.as_sequence())
            .map(|seq| {
                seq.iter()
                    .map(|f| {
                        (
                            f.get("caption")
                                .and_then(|c| c.as_str())
                                .unwrap_or("")
                                .to_string(),
                            f.get("credit").and_then(|c| c.as_str()).map(str::to_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let got_figs: Vec<(String, Option<String>)> = got
            .figures
            .iter()
            .map(|f| (f.caption.clone(), f.credit.clone()))
            .collect();
        assert_eq!(got_figs, want_figs);
        for (i, (g, w)) in got.body.iter().zip(&paras).enumerate() {
            assert_eq!(g, w, "body paragraph {}", i + 1);
        }
        assert_eq!(
            got.body.len(),
            paras.len(),
            "number of body paragraphs; got {:#?}",
            got.body
        );
        assert_eq!(
            s("summary").as_deref(),
            got.body.first().map(String::as_str)
        );
    }

    #[test]
    fn seed_000_gives_the_golden_result() {
        check_golden(
            include_str!("../../seeds/000_df13072c3159046a.txt"),
            include_str!("../../tests/fixtures/golden/000_df13072c3159046a.md"),
        );
    }

    #[test]
    fn seed_004_gives_the_golden_result() {
        check_golden(
            include_str!("../../seeds/004_a621f7fa4f80e312.txt"),
            include_str!("../../tests/fixtures/golden/004_a621f7fa4f80e312.md"),
        );
    }

    fn page() -> String {
        include_str!("../../seeds/004_a621f7fa4f80e312.txt").to_string()
    }

    #[test]
    fn report_lists_every_block_once_in_order() {
        let text = page();
        let got = clean_dump(&text).expect("cleans");
        let b = blocks(&text);
        assert_eq!(got.report.len(), b.len());
        for (r, b) in got.report.iter().zip(&b) {
            assert_eq!((r.line, r.text.as_str()), (b.line, b.text));
            assert!(!r.reason.is_empty());
        }
        let kept = got
            .report
            .iter()
            .filter(|r| r.verdict == Verdict::Kept)
            .count();
        assert_eq!(kept, got.body.len());
    }

    #[test]
    fn windows_1252_and_latin1_dumps_decode() {
        let mut bytes = b"Caf\xe9 owners \x93welcome\x94 the bridge plan\n\n".to_vec();
        for _ in 0..3 {
            bytes.extend_from_slice(
                b"The caf\xe9 owners on the quay said on Tuesday that they were \x93relieved\x94 by the council\x92s decision to keep the bridge open to pedestrians and cyclists.\n\n",
            );
        }
        let got = clean_seed(&bytes, "page.txt").expect("cleans");
        assert!(got.body[0].starts_with("The café owners on the quay said on Tuesday that they were “relieved” by the council’s decision"), "{:?}", got.body);
        // Latin-1 without any Windows-1252 punctuation
        let latin1: &[u8] = b"Na manh\xe3 de ter\xe7a-feira, a c\xe2mara municipal decidiu fechar a ponte velha do porto aos carros a partir da pr\xf3xima primavera, depois de semanas de debate sobre o custo das repara\xe7\xf5es.\n\nOs engenheiros disseram que a estrutura de a\xe7o est\xe1 mais corro\xedda do que se esperava e que o tr\xe2nsito pesado aumenta o desgaste todos os dias. \xc9 uma decis\xe3o dif\xedcil, afirmou o respons\xe1vel pelos transportes.";
        let text = decode(latin1).expect("decodes");
        assert!(
            text.starts_with("Na manhã de terça-feira, a câmara"),
            "{text}"
        );
        assert!(
            text.contains("reparações") && text.contains("É uma decisão difícil"),
            "{text}"
        );
    }

    #[test]
    fn bom_crlf_and_tabs() {
        let text = "\u{feff}Bridge to close\r\n\r\n\tThe city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate.\t\r\n\r\nMore news\r\n";
        let got = clean_seed(text.as_bytes(), "x.txt").expect("cleans");
        assert_eq!(
            got.body,
            vec!["The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending weeks of debate.".to_string()]
        );
        assert!(got.report.iter().all(|r| !r.text.contains('\r')));
    }

    #[test]
    fn empty_and_binary_input_are_errors() {
        assert_eq!(clean_seed(b"", "a.txt"), Err(CleanError::Empty));
        assert_eq!(clean_seed(b"\n \n\t\n", "a.txt"), Err(CleanError::Empty));
        assert!(matches!(
            clean_seed(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt"),
            Err(CleanError::Binary { .. })
        ));
        assert_eq!(clean_dump(""), Err(CleanError::Empty));
    }

    #[test]
    fn page_without_article_is_no_article() {
        let nav = "Home\n\nNews\n\nSport\n\nWeather\n\nContact\n\nPrivacy\n\n404 Not Found";
        match clean_dump(nav) {
            Err(CleanError::NoArticle { why }) => assert!(why.contains("blocks"), "{why}"),
            other => panic!("expected NoArticle, got {other:?}"),
        }
    }

    #[test]
    fn one_giant_paragraph_is_kept_whole() {
        let sentence = "The council said the bridge would stay open to buses, cyclists and pedestrians while engineers study a replacement. ";
        let giant = sentence.repeat(400);
        let text = format!(
            "Home\n\nNews\n\nBridge to close to cars\n\n{}\n\nMore news\n\nPrivacy",
            giant.trim()
        );
        let got = clean_dump(&text).expect("cleans");
        assert_eq!(got.body, vec![escape_paragraph(giant.trim())]);
        assert_eq!(got.title, "Bridge to close to cars");
    }

    /// (5 MB in a debug build unless `BRIEFING_FULL_TESTS=1`: [`crate::testing`])
    #[test]
    fn a_50_mb_dump_completes() {
        let one = page();
        let mut text = String::with_capacity(52 * 1024 * 1024);
        while text.len() < crate::testing::size(50 * 1024 * 1024) {
            text.push_str(&one);
            text.push_str("\n\n");
        }
        let got = clean_dump(&text).expect("cleans");
        assert_eq!(got.report.len(), blocks(&text).len());
        assert!(!got.body.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(200)))]
        #[test]
        fn never_panics_and_reports_every_block(s in "(?s)[a-zA-Z0-9 .,:!?\\n\t“”é日本-]{0,400}") {
            if let Ok(got) = clean_dump(&s) {
                proptest::prop_assert_eq!(got.report.len(), blocks(&s).len());
                let kept = got.report.iter().filter(|r| r.verdict == Verdict::Kept).count();
                proptest::prop_assert_eq!(kept, got.body.len());
            }
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = clean_seed(&bytes, "x.txt");
        }
    }

    /// `normalise` as it was, without the fast path.
    fn normalise_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let mut first = true;
            for w in line.split_whitespace() {
                if !first {
                    out.push(' ');
                }
                out.push_str(w);
                first = false;
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(5_000)))]
        #[test]
        fn normalise_is_unchanged(s in "(?s)([a-zé日]{1,3}|[ \n\t\r\u{a0}\u{2003}\u{85}\u{b}]|  |\n\n| \n){0,12}") {
            proptest::prop_assert_eq!(normalise(&s), normalise_reference(&s));
        }
    }

    #[test]
    fn blocks_split_on_blank_lines() {
        let b = blocks("a\nb\n\n\nc");
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].line, b[0].text), (1, "a\nb"));
        assert_eq!((b[1].line, b[1].text), (5, "c"));
    }
}
