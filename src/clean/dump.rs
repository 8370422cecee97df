//! Cleaning of text dumps (one block per line group, blank lines between
//! blocks): find the headline, date, byline and figures, classify every
//! block as body or boilerplate, and explain each decision.
//!
//! The pipeline: split into blocks → headline and metadata lines → per-block
//! features ([`features`]) → block classifier ([`model`], weights trained
//! by `scripts/train-dump-model.py`) → structural smoothing (the article is
//! one mostly contiguous region) → body, figures and report.

pub mod features;
pub mod model;
mod weights;

use super::{BlockReport, CleanError, Cleaned, Verdict, markdown::escape_paragraph, meta};
use crate::model::Figure;
use features::{Shape, is_long};
use model::Model;
use regex::Regex;
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
                out.push(RawBlock { line: l, text: text[s..pos].trim_end_matches('\n').trim() });
                start = None;
            }
            _ => {}
        }
        pos += line.len() + 1;
    }
    if let Some((s, l)) = start {
        out.push(RawBlock { line: l, text: text[s..].trim() });
    }
    out
}

/// Normalise a block's text: trim every line, collapse runs of spaces and
/// tabs inside lines.
fn normalise(text: &str) -> String {
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

static SCRAPER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^date\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)\s+(?P<title>\S.*)$")
        .expect("valid regex")
});

/// The headline: the scraper's metadata header when there is one (`date
/// 2024-12-06 <headline>`), otherwise the short single-line block that best
/// looks like a headline just before the article text (repeated, shares
/// words with the lede, title-sized). Returns (block index, headline, date
/// from the header).
pub fn find_title(texts: &[&str], shapes: &[Shape]) -> Option<(usize, String, Option<String>)> {
    if let Some(first) = texts.first()
        && let Some(c) = SCRAPER_HEADER.captures(first.trim())
    {
        let date = meta::parse_date(&c["date"]);
        return Some((0, c["title"].trim().to_string(), date));
    }
    let first_long = shapes.iter().position(|s| is_long(s) && s.ends_sentence).or_else(|| shapes.iter().position(is_long))?;
    let lede: std::collections::HashSet<String> = features::tokens(texts[first_long]).into_iter().collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for t in texts {
        *counts.entry(t.trim()).or_default() += 1;
    }
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
        let shared = if toks.is_empty() { 0.0 } else { toks.iter().filter(|w| lede.contains(*w)).count() as f64 / toks.len() as f64 };
        let dup = counts.get(t).copied().unwrap_or(1) > 1;
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
    clean_dump_with(text, Model::embedded())
}

/// Feature rows of every block (for training and diagnostics): the
/// blocks' normalised texts, stage-1 rows, and — when a stage-1 model is
/// given — stage-2 rows built from its probabilities.
pub fn block_features(text: &str, stage1: Option<&model::Trees>) -> (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let raw = blocks(text);
    let texts: Vec<String> = raw.iter().map(|b| normalise(b.text)).collect();
    let (pf, _, _) = analyse(&texts);
    let rows2 = match stage1 {
        Some(t) => {
            let p: Vec<f64> = pf.rows.iter().map(|r| t.prob(r)).collect();
            let units: Vec<f64> = pf.shapes.iter().map(|s| s.units).collect();
            model::stage2_rows(&pf.rows, &p, &units).iter().map(|r| r.to_vec()).collect()
        }
        None => Vec::new(),
    };
    (texts, pf.rows.iter().map(|r| r.to_vec()).collect(), rows2)
}

fn analyse(texts: &[String]) -> (features::PageFeatures, Option<(usize, String, Option<String>)>, Vec<MetaKind>) {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let shapes: Vec<Shape> = refs.iter().map(|t| features::shape(t)).collect();
    let title = find_title(&refs, &shapes);
    let kinds: Vec<MetaKind> = refs.iter().zip(&shapes).map(|(t, s)| meta_kind(t, s)).collect();
    let meta_line: Vec<bool> = kinds.iter().map(|k| *k != MetaKind::None).collect();
    let pf = features::page_features(&refs, title.as_ref().map(|(i, t, _)| (*i, t.as_str())), &meta_line);
    (pf, title, kinds)
}

/// Clean a decoded text dump with a given block classifier.
pub fn clean_dump_with(text: &str, model: &Model) -> Result<Cleaned, CleanError> {
    let raw = blocks(text);
    if raw.is_empty() {
        return Err(CleanError::Empty);
    }
    let texts: Vec<String> = raw.iter().map(|b| normalise(b.text)).collect();
    let (pf, title, kinds) = analyse(&texts);
    let n = texts.len();
    let units: Vec<f64> = pf.shapes.iter().map(|s| s.units).collect();
    let probs = model.probs(&pf.rows, &units);
    let mut keep: Vec<bool> = probs.iter().map(|&p| p >= model.threshold).collect();
    let mut verdicts: Vec<(Verdict, String)> = vec![(Verdict::Dropped, String::new()); n];

    // Headline: the chosen block and its exact repeats before the body.
    let (title_text, header_date) = match &title {
        Some((_, t, d)) => (t.clone(), d.clone()),
        None => (String::new(), None),
    };
    let first_kept = keep.iter().position(|&k| k);
    let Some(first_kept) = first_kept else {
        return Err(CleanError::NoArticle {
            why: format!("none of the {n} blocks looks like article prose (no run of sentences)"),
        });
    };
    let last_kept = keep.iter().rposition(|&k| k).unwrap_or(first_kept);

    // Metadata in the head of the article: date and byline lines between the
    // headline and the first body paragraphs.
    let head_lo = title.as_ref().map_or(first_kept.saturating_sub(8), |(i, _, _)| *i);
    let mut date = None;
    let mut byline = None;
    let mut figures = Vec::new();
    for i in 0..n {
        let t = texts[i].as_str();
        if let Some((ti, _, _)) = &title
            && (i == *ti || (t == title_text && i < first_kept))
        {
            keep[i] = false;
            verdicts[i] = (Verdict::Meta, "headline".into());
            continue;
        }
        let in_head = i >= head_lo && i <= first_kept + 3;
        if in_head && !keep[i] || in_head && kinds[i] != MetaKind::None && pf.shapes[i].units <= 16.0 {
            match kinds[i] {
                MetaKind::Date if date.is_none() => {
                    date = meta::parse_date(t);
                    keep[i] = false;
                    verdicts[i] = (Verdict::Meta, "date".into());
                    continue;
                }
                MetaKind::Byline if byline.is_none() => {
                    byline = t.lines().find_map(meta::parse_byline);
                    if date.is_none() {
                        date = meta::parse_date(t);
                    }
                    keep[i] = false;
                    verdicts[i] = (Verdict::Meta, "byline".into());
                    continue;
                }
                _ => {}
            }
        }
        // Figures: caption blocks inside the article.
        if i >= head_lo && i <= last_kept && pf.shapes[i].units <= 80.0 {
            if let Some(fig) = figure(t, i > 0 && texts[i - 1].len() < 400, texts.get(i.wrapping_sub(1)).map(String::as_str)) {
                if fig.caption.is_empty() && i > 0 && verdicts[i - 1].0 == Verdict::Dropped && !keep[i - 1] {
                    // a credit line belongs to the caption block before it
                    let cap = texts[i - 1].lines().next().unwrap_or("").trim();
                    let cap = cap.strip_prefix("Above:").unwrap_or(cap).trim();
                    figures.push(Figure { caption: cap.to_string(), credit: fig.credit });
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
    if date.is_none()
        && let Some(d) = header_date
    {
        date = Some(d);
    }
    if date.as_deref().is_some_and(|d| d.ends_with("T00:00:00")) {
        // a scraper header gives the day only; a nearby line may give the time
        let day = &date.as_deref().unwrap_or("")[..10];
        for t in texts.iter().take(first_kept + 3).skip(head_lo) {
            if let Some(d) = meta::parse_date(t)
                && d.starts_with(day)
            {
                date = Some(d);
                break;
            }
        }
    }

    let mut body = Vec::new();
    let mut report = Vec::with_capacity(n);
    for i in 0..n {
        let (verdict, reason) = if verdicts[i].0 == Verdict::Meta {
            verdicts[i].clone()
        } else if keep[i] {
            body.push(escape_paragraph(&texts[i]));
            (Verdict::Kept, format!("body text (p={:.2})", probs[i]))
        } else {
            (Verdict::Dropped, drop_reason(&pf, i, probs[i]))
        };
        report.push(BlockReport { line: raw[i].line, text: raw[i].text.to_string(), verdict, reason });
    }
    if body.is_empty() {
        return Err(CleanError::NoArticle { why: "every prose-like block was metadata".into() });
    }
    let title = if title_text.is_empty() { fallback_title(&texts) } else { title_text };
    Ok(Cleaned { title, date, byline, figures, body, report })
}

fn fallback_title(texts: &[String]) -> String {
    texts.iter().find(|t| !t.trim().is_empty()).and_then(|t| t.lines().next()).unwrap_or("").trim().to_string()
}

/// A caption block: two lines where the second repeats the first and adds a
/// credit ("X" / "X. Picture: Alamy"), or one line ending in a credit.
fn figure(text: &str, _prev_short: bool, _prev: Option<&str>) -> Option<Figure> {
    let mut lines = text.lines();
    let (a, b) = (lines.next()?.trim(), lines.next().map(str::trim));
    if lines.next().is_some() {
        return None;
    }
    match b {
        Some(b) if a.len() > 8 && b.starts_with(a.trim_end_matches('.')) => {
            let credit = meta::split_credit(b).map(|(_, c)| c);
            Some(Figure { caption: a.trim_end_matches('.').to_string(), credit })
        }
        Some(_) => None,
        None => {
            let (cap, credit) = meta::split_credit(a)?;
            Some(Figure { caption: cap, credit: Some(credit) })
        }
    }
}

fn drop_reason(pf: &features::PageFeatures, i: usize, p: f64) -> String {
    let s = &pf.shapes[i];
    let r = &pf.rows[i];
    let why = if r[11] > 0.0 && s.units < 30.0 {
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
mod tests {
    use super::*;

    #[test]
    fn blocks_split_on_blank_lines() {
        let b = blocks("a\nb\n\n\nc");
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].line, b[0].text), (1, "a\nb"));
        assert_eq!((b[1].line, b[1].text), (4, "c"));
    }
}
