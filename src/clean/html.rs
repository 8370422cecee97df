//! Cleaning of saved HTML pages: find the article with dom_smoothie
//! (a Readability port), render it to escaped Markdown blocks, drop the
//! boilerplate Readability leaves inside, and read the metadata.

mod depth;
mod escape_cost;
mod filter;
mod meta;
mod refs;
mod render;

use super::{BlockReport, CleanError, Cleaned, Verdict};
use dom_query::Document;
use dom_smoothie::{Config, Readability};
use render::Block;

/// Clean a saved HTML page.
pub fn clean_html(html: &str) -> Result<Cleaned, CleanError> {
    clean_bounded(check(html)?)
}

/// [`clean_html`] taking the page, to free it early (it can be tens of
/// megabytes).
pub fn clean_html_string(html: String) -> Result<Cleaned, CleanError> {
    let bounded = check(&html)?;
    drop(html);
    clean_bounded(bounded)
}

/// The page parsed with its nesting bounded ([`depth::parse`]).
type Bounded = (
    tendril::StrTendril,
    Document,
    Vec<crate::clean::CleanWarning>,
);

fn check(html: &str) -> Result<Bounded, CleanError> {
    if html.trim().is_empty() {
        return Err(CleanError::NoArticle {
            why: "the page is empty".into(),
        });
    }
    depth::parse(html)
}

fn clean_bounded(bounded: Bounded) -> Result<Cleaned, CleanError> {
    let copy = copy_beats_parse(&bounded.0);
    clean_parsed(bounded, copy)
}

/// [`clean_bounded`], the page's tree read from a copy (`copy`) or from a
/// second parse: the two give the same.
fn clean_parsed((text, tree, warnings): Bounded, copy: bool) -> Result<Cleaned, CleanError> {
    // dom_smoothie rearranges the tree it is given, so the page's blocks
    // and metadata are read from another tree of the page, made after
    // dom_smoothie is done (its trees and the page's are not held at
    // once; a 50 MB page's are hundreds of megabytes), or copied before
    // it starts when parsing the page again would cost more than holding
    // the copy (see `copy_beats_parse`).
    let html: &str = &text;
    let copy = copy.then(|| tree.clone());
    // (dom_smoothie serializes the article: keep that linear)
    escape_cost::bound(&tree);
    let article = Readability::with_document(tree, None, Some(readability_config()))
        .map_err(|e| CleanError::NoArticle { why: e.to_string() })
        .and_then(|mut r| {
            r.parse().map_err(|e| CleanError::NoArticle {
                why: format!("no block of the page reads like an article ({e})"),
            })
        })
        .map(|mut a| {
            // unused, and as large as the article
            a.text_content = Default::default();
            a
        });

    let page = copy.unwrap_or_else(|| refs::parse(&text));
    let mut page_blocks = body_blocks(&page);
    if page_blocks.is_empty() {
        return Err(CleanError::NoArticle {
            why: "the page has no visible text".into(),
        });
    }
    // (listing entries are found from the page's blocks; after that they
    // are matched with the content's by their text only)
    let listed = filter::listing_keys(&page_blocks);
    for b in &mut page_blocks {
        b.md = String::new();
    }
    let article = article?;

    let texts: Vec<&str> = page_blocks.iter().map(|b| b.text.as_str()).collect();
    let decided = meta::decide(&page, &texts, &article.title);
    let title = decided.title;
    let byline = article.byline.as_deref().and_then(meta::tidy_byline);
    let figures = meta::figures(&page);
    drop(page);

    // The article's blocks come from a parse of the HTML dom_smoothie
    // writes out, not from its tree: it leaves elements where the parser
    // never puts them (a `<div>` it renamed `<p>` around paragraphs), and
    // the parse moves them as a browser would.
    let mut blocks = {
        let content = refs::parse(&article.content);
        let deepest = depth::max_depth(&content.root());
        if deepest > depth::MAX_TREE_DEPTH {
            return Err(CleanError::TooDeep { depth: deepest });
        }
        body_blocks(&content)
    };
    let ctx = filter::Context {
        title: &title,
        byline: byline.as_deref(),
        figures: &figures,
        listed: &listed,
    };
    let decisions = filter::filter(&blocks, &ctx);

    let words: usize = blocks
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| d.0 == Verdict::Kept)
        .map(|(b, _)| b.words())
        .sum();
    // (the report needs the blocks' text, not their Markdown)
    let body: Vec<String> = blocks
        .iter_mut()
        .zip(&decisions)
        .filter(|(_, d)| d.0 == Verdict::Kept)
        .map(|(b, _)| std::mem::take(&mut b.md))
        .collect();
    if body.is_empty() || words < filter::MIN_ARTICLE_WORDS {
        return Err(CleanError::NoArticle {
            why: format!(
                "after removing navigation and boilerplate, the main block of the page holds only {words} words (an article needs at least {})",
                filter::MIN_ARTICLE_WORDS
            ),
        });
    }
    let report = report(html, page_blocks, &blocks, &decisions, &ctx);
    Ok(Cleaned {
        title,
        date: decided.date,
        byline,
        provenance: decided.provenance,
        figures,
        body,
        report: report.into(),
        warnings,
    })
}

/// Whether copying a parsed page's tree beats parsing the page again. A
/// copy costs memory for each node (about one per tag; the text is
/// shared); a parse costs time for each character reference, which
/// html5ever decodes and appends one at a time (a page of 10 million
/// `&amp;` took 3 s to parse, and its tree is a few nodes).
fn copy_beats_parse(html: &str) -> bool {
    let b = html.as_bytes();
    memchr::memchr_iter(b'&', b).count() > memchr::memchr_iter(b'<', b).count()
}

/// The blocks of a parsed page's `<body>`.
fn body_blocks(doc: &Document) -> Vec<Block> {
    doc.select("body")
        .nodes()
        .first()
        .map(render::render)
        .unwrap_or_default()
}

fn readability_config() -> Config {
    Config {
        max_elements_to_parse: 0,
        // class names are the filter's best evidence of page furniture
        keep_classes: true,
        ..Default::default()
    }
}

/// Development aid: how a page's date was decided and each date signal's
/// day alone, as JSON (`examples/date_signals.rs`). The page is cleaned
/// first, for its headline, then its metadata read again.
#[doc(hidden)]
pub fn date_signals(html: &str) -> serde_json::Value {
    use serde_json::json;
    let Ok(cleaned) = clean_html(html) else {
        return json!(null);
    };
    let Ok((text, _, _)) = depth::parse(html) else {
        return json!(null);
    };
    let page = refs::parse(&text);
    let blocks = body_blocks(&page);
    let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
    let decided = meta::decide(&page, &texts, &cleaned.title);
    let signals: serde_json::Map<String, serde_json::Value> = decided
        .date_signals
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({
        "date": cleaned.date,
        "from": decided.date_from,
        "signals": signals,
        // (the headline read again decides the same date)
        "same": decided.date == cleaned.date,
    })
}

/// Development aid: the blocks of the whole page and of the extracted
/// content with the filter's decisions, as JSON.
#[doc(hidden)]
pub fn debug_blocks(html: &str) -> serde_json::Value {
    use serde_json::json;
    // (the page with its nesting bounded, as cleaning reads it)
    let Ok((text, tree, _)) = depth::parse(html) else {
        return json!(null);
    };
    // (a second parse, for the page as it was: this is a development aid)
    let page = Document::from(text);
    let page_blocks = body_blocks(&page);
    escape_cost::bound(&tree);
    let Ok(mut readability) = Readability::with_document(tree, None, Some(readability_config()))
    else {
        return json!(null);
    };
    let Ok(article) = readability.parse() else {
        return json!(null);
    };
    let h1 = page
        .select("h1")
        .nodes()
        .iter()
        .map(|n| n.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty());
    let sites: Vec<&str> = article.site_name.as_deref().into_iter().collect();
    let title = meta::trim_title(&article.title, &sites, h1.as_deref());
    let byline = article.byline.as_deref().and_then(meta::tidy_byline);
    let figures = meta::figures(&page);
    let blocks = body_blocks(&Document::from(article.content.as_ref()));
    let listed = filter::listing_keys(&page_blocks);
    let ctx = filter::Context {
        title: &title,
        byline: byline.as_deref(),
        figures: &figures,
        listed: &listed,
    };
    let decisions = filter::filter(&blocks, &ctx);
    let dump = |b: &Block| {
        json!({
            "kind": format!("{:?}", b.kind),
            "md": b.md,
            "text": b.text,
            "words": b.words(),
            "link": b.link_density(),
            "hints": b.hints,
            "path": b.path,
        })
    };
    json!({
        "title": title,
        "content_html": article.content.to_string(),
        "byline": byline,
        "page": page_blocks.iter().map(dump).collect::<Vec<_>>(),
        "content": blocks.iter().zip(&decisions).map(|(b, d)| {
            let mut v = dump(b);
            v["verdict"] = json!(format!("{:?}", d.0));
            v["reason"] = json!(d.1);
            v
        }).collect::<Vec<_>>(),
    })
}

/// One entry per visible block of the whole page, in document order: the
/// decision taken on it when it is part of the extracted content, else
/// "outside the main content".
fn report(
    html: &str,
    page_blocks: Vec<Block>,
    blocks: &[Block],
    decisions: &[(Verdict, &'static str)],
    ctx: &filter::Context,
) -> Vec<BlockReport> {
    use std::collections::{HashMap, VecDeque};
    // (a queue: a page may repeat one block a hundred thousand times)
    let mut by_key: HashMap<String, VecDeque<(Verdict, &'static str)>> = HashMap::new();
    for (b, d) in blocks.iter().zip(decisions) {
        by_key
            .entry(filter::key(&b.text))
            .or_default()
            .push_back(*d);
    }
    let mut lines = LineFinder::new(html);
    let mut out = Vec::with_capacity(page_blocks.len());
    for b in page_blocks {
        let k = filter::key(&b.text);
        let (verdict, reason) = match by_key.get_mut(&k) {
            Some(v) if !v.is_empty() => v.pop_front().expect("not empty"),
            _ => filter::outside(&b, ctx),
        };
        out.push(BlockReport {
            line: lines.find(&b.text),
            text: b.text,
            verdict,
            reason: reason.to_string(),
        });
    }
    out
}

/// Finds the source line of a block by searching its first words in the
/// HTML after the previous block's position (falls back to that position
/// when the text is written with entities or markup in between).
///
/// Searches that fail scan to the end of the page; a page of a million
/// blocks written with entities would make that quadratic, so all the
/// searches together scan at most a few times the page (after that, a
/// block gets the line of the last one found).
struct LineFinder<'a> {
    html: &'a str,
    pos: usize,
    line: usize,
    budget: usize,
}

impl<'a> LineFinder<'a> {
    fn new(html: &'a str) -> Self {
        // start the search at <body> so the <title> does not match first
        let pos = html.find("<body").unwrap_or(0);
        let line = html[..pos].matches('\n').count() + 1;
        let budget = 4 * html.len() + (1 << 20);
        LineFinder {
            html,
            pos,
            line,
            budget,
        }
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
        let mut end = (self.pos + self.budget).min(self.html.len());
        while !self.html.is_char_boundary(end) {
            end -= 1;
        }
        let found = (!needle.is_empty())
            .then(|| self.html[self.pos..end].find(&needle))
            .flatten();
        match found {
            Some(off) => {
                let at = self.pos + off;
                self.budget = self.budget.saturating_sub(off + needle.len());
                self.line += self.html[self.pos..at].matches('\n').count();
                self.pos = at;
            }
            None => self.budget = self.budget.saturating_sub(end - self.pos),
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = include_str!("../../tests/fixtures/cleaning-html/article.html");
    const HOSTILE: &str = include_str!("../../tests/fixtures/cleaning-html/hostile.html");
    const NAV_ONLY: &str = include_str!("../../tests/fixtures/cleaning-html/nav-only.html");
    const NOT_FOUND: &str = include_str!("../../tests/fixtures/cleaning-html/not-found.html");

    fn render(md: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
        html
    }

    #[test]
    fn article_metadata() {
        let c = clean_html(ARTICLE).unwrap();
        assert_eq!(c.title, "Harbour bridge reopens after two years of repairs");
        assert_eq!(c.date.as_deref(), Some("2024-03-05T09:30:00"));
        assert_eq!(c.byline.as_deref(), Some("Jane Roe"));
        assert_eq!(
            c.figures,
            vec![crate::model::Figure {
                caption: "The bridge at dawn on its first day back in service.".into(),
                credit: Some("Photo: John Smith".into()),
            }]
        );
    }

    #[test]
    fn article_body_keeps_structure_and_drops_boilerplate() {
        let c = clean_html(ARTICLE).unwrap();
        assert_eq!(
            c.body,
            vec![
                "The harbour bridge reopened to traffic on Tuesday morning after two years of repairs that cost the city more than *£80 million*, officials said.",
                "Engineers replaced the steel cables, resurfaced the deck and rebuilt both approach ramps, work that the council's transport committee described as the largest maintenance project in the town's history.",
                "## Traffic returns",
                "The first cars crossed shortly after six in the morning, and by the end of the rush hour more than 5,000 vehicles had used the bridge, according to the [regional traffic office](https://example.org/traffic).",
                "- Speed limit: 30 mph\n- Cyclists use the new east lane",
                "> We have waited a long time for this day, and the town can breathe again.",
                "Local shops near the eastern ramp said trade had fallen by a third while the bridge was closed, and several owners said they hoped customers would now return in numbers before the summer season begins.",
            ]
        );
        for b in &c.body {
            assert!(!b.contains("\n\n"), "blank line inside a block: {b:?}");
            assert!(
                !b.contains("secretTracking")
                    && !b.contains("injected")
                    && !b.contains("font-family")
            );
        }
    }

    #[test]
    fn article_report_explains_each_block() {
        let c = clean_html(ARTICLE).unwrap();
        let got: Vec<(usize, Verdict, &str)> = c
            .report
            .iter()
            .map(|r| (r.line, r.verdict, r.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (15, Verdict::Dropped, "outside the main content"),
                (22, Verdict::Meta, "headline"),
                (23, Verdict::Meta, "byline"),
                (24, Verdict::Meta, "date"),
                (28, Verdict::Meta, "caption"),
                (31, Verdict::Kept, "article body"),
                (32, Verdict::Kept, "article body"),
                (34, Verdict::Kept, "article body"),
                (35, Verdict::Kept, "article body"),
                (37, Verdict::Kept, "article body"),
                (40, Verdict::Kept, "article body"),
                (41, Verdict::Kept, "article body"),
                (42, Verdict::Dropped, "newsletter prompt"),
                (45, Verdict::Dropped, "outside the main content"),
                (45, Verdict::Dropped, "outside the main content"),
                (47, Verdict::Dropped, "outside the main content"),
            ]
        );
        assert_eq!(
            c.report[1].text,
            "Harbour bridge reopens after two years of repairs"
        );
        assert_eq!(
            c.report[12].text,
            "Sign up for our newsletter to get the morning headlines."
        );
    }

    #[test]
    fn hostile_page_renders_no_executable_html() {
        let c = clean_html(HOSTILE).unwrap();
        assert_eq!(c.title, "Council approves new budget for the coming year");
        assert_eq!(c.body.len(), 4);
        assert_eq!(
            c.body[1],
            "Critics said the plan relied on optimistic forecasts, and one member held up a sign reading \\<script\\>alert(\"sign\")\\</script\\> during the vote to make a point about hidden costs."
        );
        let html = render(&c.body.join("\n\n"));
        for bad in [
            "<script",
            "<img",
            "<iframe",
            "onerror",
            "onclick",
            "onmouseover",
            "onload",
            "href=\"javascript:",
            "style leak",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        // the literal text survives, escaped
        assert!(
            html.contains("&lt;script&gt;alert(\"sign\")&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.org/budget\">summary tables</a>"),
            "{html}"
        );
        assert!(html.contains("on the council website"), "{html}");
    }

    #[test]
    fn pages_without_an_article_are_refused() {
        for page in [
            "",
            "   \n",
            "<html><body></body></html>",
            NAV_ONLY,
            NOT_FOUND,
        ] {
            match clean_html(page) {
                Err(CleanError::NoArticle { why }) => assert!(!why.is_empty()),
                other => panic!("expected NoArticle, got {other:?}"),
            }
        }
        assert_eq!(
            clean_html(NOT_FOUND),
            Err(CleanError::NoArticle {
                why: "after removing navigation and boilerplate, the main block of the page holds only 7 words (an article needs at least 25)".into()
            })
        );
    }

    /// Word sequence, as the benchmark's scorer sees text (`\w+` runs).
    fn words(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Synthetic pages of the shapes that went wrong on sites the cleaner
    /// had not seen (comments, listings, sidebars, galleries, name cards,
    /// old table/`<font>` layouts, Windows-1252): the body is exactly the
    /// article's text.
    #[test]
    fn failure_shapes_give_the_article_body() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cleaning-html/shapes");
        let mut n = 0;
        for shape in [
            "br-div",
            "caps-subhead-list",
            "comments-plain",
            "comments-section",
            "embedded-tweet",
            "gallery",
            "most-read-related",
            "name-card",
            "old-table-font",
            "sidebar",
        ] {
            let bytes = std::fs::read(dir.join(format!("{shape}.html"))).unwrap();
            let truth = std::fs::read_to_string(dir.join(format!("{shape}.truth.txt"))).unwrap();
            let c = crate::clean::clean_seed(&bytes, "page.html").unwrap();
            assert_eq!(
                words(&c.body.join("\n\n")),
                words(&truth),
                "{shape}: {:#?}",
                c.body
            );
            n += 1;
        }
        assert_eq!(n, 10);
    }

    /// Reading the page from a copy of its tree and from a second parse
    /// give the same article, report and metadata.
    #[test]
    fn a_copied_tree_reads_as_a_parsed_one() {
        let amp = format!(
            "<html><head><title>Fish &amp; chips</title></head><body><article><p>{}</p><p>{}</p></article></body></html>",
            "Fish &amp; chips &lt;b&gt; caf&eacute; &nbsp; ".repeat(60),
            "The harbour bridge reopened on Tuesday after two years of repairs that cost the city far more than planned, officials said."
        );
        for page in [ARTICLE, HOSTILE, NOT_FOUND, amp.as_str()] {
            let parsed = clean_parsed(check(page).unwrap(), false);
            let copied = clean_parsed(check(page).unwrap(), true);
            assert_eq!(copied, parsed);
        }
        assert!(copy_beats_parse(&amp));
        assert!(!copy_beats_parse(ARTICLE));
    }

    #[test]
    fn script_and_style_never_leak() {
        let page = format!(
            "<html><head><style>p{{color:red}}</style></head><body><article><p>{}</p><script>var leaked = 1;</script><style>.leak{{}}</style><noscript>Please enable JavaScript</noscript><p>{}</p></article></body></html>",
            "The river rose by two metres overnight and flooded the lower streets of the old town, forcing dozens of families to leave their homes before dawn.",
            "Emergency crews worked through the morning to pump water out of the cellars, and the mayor said the clean-up would take at least a week."
        );
        let c = clean_html(&page).unwrap();
        assert_eq!(c.body.len(), 2);
        let all = c.body.join(" ");
        assert!(
            !all.contains("leaked")
                && !all.contains("leak")
                && !all.contains("color")
                && !all.contains("JavaScript")
        );
    }
}
