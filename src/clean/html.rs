//! Cleaning of saved HTML pages: find the article with dom_smoothie
//! (a Readability port), render it to escaped Markdown blocks, drop the
//! boilerplate Readability leaves inside, and read the metadata.

mod filter;
mod meta;
mod render;

use super::{BlockReport, CleanError, Cleaned, Verdict};
use dom_query::Document;
use dom_smoothie::{Config, Readability};
use render::{Block, Kind};

/// Clean a saved HTML page.
pub fn clean_html(html: &str) -> Result<Cleaned, CleanError> {
    if html.trim().is_empty() {
        return Err(CleanError::NoArticle {
            why: "the page is empty".into(),
        });
    }
    let page = Document::from(html);
    let page_blocks = page
        .select("body")
        .nodes()
        .first()
        .map(render::render)
        .unwrap_or_default();
    if page_blocks.is_empty() {
        return Err(CleanError::NoArticle {
            why: "the page has no visible text".into(),
        });
    }

    let cfg = Config {
        max_elements_to_parse: 0,
        ..Default::default()
    };
    let mut readability = Readability::new(html, None, Some(cfg))
        .map_err(|e| CleanError::NoArticle { why: e.to_string() })?;
    let article = readability.parse().map_err(|e| CleanError::NoArticle {
        why: format!("no block of the page reads like an article ({e})"),
    })?;

    let h1 = page
        .select("h1")
        .nodes()
        .iter()
        .map(|n| n.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty());
    let title = meta::trim_title(&article.title, article.site_name.as_deref(), h1.as_deref());
    let byline = article.byline.as_deref().and_then(meta::tidy_byline);
    let date = meta::page_date(&page, article.published_time.as_deref());
    let figures = meta::figures(&page);

    let content = Document::from(article.content.as_ref());
    let blocks = content
        .select("body")
        .nodes()
        .first()
        .map(render::render)
        .unwrap_or_default();
    let ctx = filter::Context {
        title: &title,
        byline: byline.as_deref(),
        figures: &figures,
    };
    let decisions = filter::filter(&blocks, &ctx);

    let body: Vec<String> = blocks
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| d.0 == Verdict::Kept)
        .map(|(b, _)| b.md.clone())
        .collect();
    let words: usize = blocks
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| d.0 == Verdict::Kept)
        .map(|(b, _)| b.words())
        .sum();
    if body.is_empty() || words < filter::MIN_ARTICLE_WORDS {
        return Err(CleanError::NoArticle {
            why: format!(
                "the main block of the page holds only {words} words of text after removing navigation and boilerplate"
            ),
        });
    }
    let title = if title.trim().is_empty() {
        h1.clone().unwrap_or_default()
    } else {
        title
    };

    let report = report(html, &page_blocks, &blocks, &decisions);
    Ok(Cleaned {
        title,
        date,
        byline,
        figures,
        body,
        report,
    })
}

/// Normalised text used to match the page's blocks with the content's.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One entry per visible block of the whole page, in document order: the
/// decision taken on it when it is part of the extracted content, else
/// "outside the main content".
fn report(
    html: &str,
    page_blocks: &[Block],
    blocks: &[Block],
    decisions: &[(Verdict, &'static str)],
) -> Vec<BlockReport> {
    use std::collections::HashMap;
    let mut by_key: HashMap<String, Vec<(Verdict, &'static str)>> = HashMap::new();
    for (b, d) in blocks.iter().zip(decisions) {
        by_key.entry(key(&b.text)).or_default().push(*d);
    }
    let mut lines = LineFinder::new(html);
    let mut out = Vec::with_capacity(page_blocks.len());
    for b in page_blocks {
        let k = key(&b.text);
        let (verdict, reason) = match by_key.get_mut(&k) {
            Some(v) if !v.is_empty() => v.remove(0),
            _ => match b.kind {
                Kind::Caption => (Verdict::Dropped, "caption outside the main content"),
                _ => (Verdict::Dropped, "outside the main content"),
            },
        };
        out.push(BlockReport {
            line: lines.find(&b.text),
            text: b.text.clone(),
            verdict,
            reason: reason.to_string(),
        });
    }
    out
}

/// Finds the source line of a block by searching its first words in the
/// HTML after the previous block's position (falls back to that position
/// when the text is written with entities or markup in between).
struct LineFinder<'a> {
    html: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> LineFinder<'a> {
    fn new(html: &'a str) -> Self {
        // start the search at <body> so the <title> does not match first
        let pos = html.find("<body").unwrap_or(0);
        let line = html[..pos].matches('\n').count() + 1;
        LineFinder { html, pos, line }
    }

    fn find(&mut self, text: &str) -> usize {
        let needle: String = {
            let mut n = String::new();
            for w in text.split_whitespace() {
                if n.chars().count() + w.chars().count() > 24 {
                    break;
                }
                if !n.is_empty() {
                    n.push(' ');
                }
                n.push_str(w);
            }
            if n.is_empty() {
                text.chars().take(24).collect()
            } else {
                n
            }
        };
        if !needle.is_empty()
            && let Some(off) = self.html[self.pos..].find(&needle)
        {
            let at = self.pos + off;
            self.line += self.html[self.pos..at].matches('\n').count();
            self.pos = at;
        }
        self.line
    }
}
