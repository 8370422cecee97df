//! The print edition (`edition/index.html`): the briefing (its newest
//! [`MAX_ARTICLES`] articles) as one
//! document to print or save as PDF — a cover, the executive summary, the
//! contents, every article with the analyst's notes as numbered
//! footnotes, the claims as a table and an index of the entities named.
//!
//! It is one page of the site and links like one (relatively). Its ids
//! are its own: every article's body, whose headings may carry ids that
//! another article also uses, gets the prefix `a<n>-` on its ids and
//! in-page links. What it shows comes from the [`Briefing`] alone, so a
//! public build's edition holds nothing held back, as every other page.

use super::pages::{DateView, HeldView, common, date_view, held_view, output};
use super::{Output, Renderer};
use crate::annotate::Annotation;
use crate::assembled::Briefing;
use crate::diag::Problem;
use crate::markdown;
use crate::model::SitePath;
use serde::Serialize;
use std::collections::BTreeMap;

/// The most articles an edition holds: the newest ones. A printed
/// briefing of thousands of articles is no one's reading, and the page
/// (and the memory to make it) grows with every article it holds: at
/// 10,000 articles the whole briefing was a 90 MB page that tripled a
/// build's peak memory. The cover says how many are left out.
pub const MAX_ARTICLES: usize = 200;

/// The articles the edition holds: the newest [`MAX_ARTICLES`]
/// ([`Briefing::articles`] is newest first).
pub fn articles(b: &Briefing) -> &[crate::content::Article] {
    &b.articles[..b.articles.len().min(MAX_ARTICLES)]
}

/// The edition's page.
pub fn path() -> SitePath {
    SitePath::section("edition")
}

#[derive(Serialize)]
struct Ctx<'a> {
    page: super::pages::Common,
    /// The `@page` rules with the running head (the briefing's title),
    /// escaped for a `<style>` element.
    page_css: String,
    /// The newest article's day: what the edition is current to.
    as_of: Option<DateView>,
    /// The oldest article's day.
    since: Option<DateView>,
    summary_title: Option<String>,
    summary_html: Option<String>,
    articles: Vec<ArticleView<'a>>,
    /// Older articles left out ([`MAX_ARTICLES`]), and the whole count.
    omitted: usize,
    total: usize,
    notes: usize,
    claims: Vec<ClaimRow>,
    index: Vec<IndexEntry>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    /// 1-based position in the edition.
    n: usize,
    /// The section's id (`art-<n>`).
    anchor: String,
    title: &'a str,
    #[serde(flatten)]
    cite: super::provenance::Cite<'a>,
    /// The outlet with its reliability letter, when the briefing grades
    /// its outlets (`sources.yaml`).
    graded_outlet: Option<super::sources::OutletRef<'a>>,
    byline: Option<&'a str>,
    held: Option<HeldView>,
    article_note_html: Option<String>,
    body_html: String,
    footnotes: Vec<Footnote>,
}

/// An annotation as a footnote: its number in its article, the passage
/// it is on, and the note.
#[derive(Serialize)]
struct Footnote {
    number: usize,
    id: String,
    /// The highlighted passage's id, for the link back.
    back: String,
    labels: Vec<&'static str>,
    tags: Vec<String>,
    html: String,
}

#[derive(Serialize)]
struct ClaimRow {
    title: String,
    statuses: Vec<&'static str>,
    /// Where the claim is made: each passage's article and footnote.
    places: Vec<Place>,
}

#[derive(Serialize)]
struct Place {
    label: String,
    url: String,
}

#[derive(Serialize)]
struct IndexEntry {
    name: String,
    kind: &'static str,
    /// The articles naming it, by their number in the edition.
    articles: Vec<Place>,
}

/// The ids of article `n`'s elements in the edition.
fn prefix(n: usize) -> String {
    format!("a{n}-")
}

/// `html` (our renderer's, in which text never holds a `"`: it is
/// written `&quot;`) with `prefix` put before every id and every in-page
/// link's target, so that several articles' bodies share one page.
fn prefix_ids(html: &str, prefix: &str) -> String {
    // each pattern's next place, found once (not again from every match:
    // linear in the page)
    let ids = memchr::memmem::find_iter(html.as_bytes(), " id=\"").map(|i| i + 5);
    let hrefs = memchr::memmem::find_iter(html.as_bytes(), " href=\"#").map(|i| i + 8);
    let mut at: Vec<usize> = ids.chain(hrefs).collect();
    at.sort_unstable();
    let mut out = String::with_capacity(html.len() + at.len() * prefix.len());
    let mut last = 0;
    for i in at {
        out.push_str(&html[last..i]);
        out.push_str(prefix);
        last = i;
    }
    out.push_str(&html[last..]);
    out
}

/// `html` made for the site's root page with its relative links made
/// relative to a page `depth` directories down: `href="articles/x/"`
/// becomes `href="../articles/x/"`; absolute URLs and in-page links stay.
fn rebase(html: &str, depth: usize) -> String {
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(" href=\"") {
        let start = at + 7;
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let value = &rest[..rest.find('"').unwrap_or(rest.len())];
        let scheme = value
            .split_once(':')
            .is_some_and(|(s, _)| !s.contains('/') && !s.is_empty());
        if !(value.starts_with('#') || value.starts_with('/') || scheme) {
            out.push_str(&up);
        }
    }
    out.push_str(rest);
    out
}

/// `s` as a CSS string literal that is also safe inside `<style>`: quotes,
/// backslashes, `<`, `>`, `&` and control characters as hex escapes.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The edition's own page rules (the theme's print rules set the page
/// and its number): the briefing's title as the running head, and neither
/// head nor number on the cover. Margin boxes are Chromium 131 and later;
/// other browsers print without them.
fn page_css(title: &str) -> String {
    format!(
        "@page {{ @top-left {{ content: {}; font-family: \"Source Sans 3\", sans-serif; font-size: 8pt; color: #555; }} }}\n\
         @page :first {{ @top-left {{ content: none; }} @bottom-right {{ content: none; }} }}",
        css_string(title)
    )
}

fn footnote(a: &Annotation, n: usize, at: &SitePath) -> Footnote {
    let p = prefix(n);
    let mut labels: Vec<&'static str> = Vec::new();
    if let Some(s) = a.status {
        labels.push(s.as_str());
    }
    Footnote {
        number: a.number,
        id: format!("{p}fn-{}", a.number),
        back: format!("{p}ref-{}", a.number),
        labels,
        tags: a.tags.clone(),
        html: prefix_ids(&a.note_html(at), &format!("{p}fn-{}-", a.number)),
    }
}

pub(super) fn page(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    let at = path();
    let shown = articles(b);
    let slugs: std::collections::BTreeSet<_> = shown.iter().map(|a| a.slug.clone()).collect();
    let article_notes = b.annotations.notes_of(&slugs);
    let mut number: BTreeMap<&crate::model::Slug, usize> = BTreeMap::new();
    let mut notes = 0;
    let articles: Vec<ArticleView> = shown
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let n = i + 1;
            number.insert(&a.slug, n);
            let p = prefix(n);
            let mine = b.annotations.of_article(&a.slug);
            notes += mine.len();
            // each passage marked and numbered as its footnote
            let spans: Vec<markdown::Span> = mine
                .iter()
                .map(|x| markdown::Span {
                    start: x.range.start,
                    end: x.range.end,
                    tag: "mark",
                    attrs: markdown::Attrs::new(&[("class", "fn-ref")]),
                    first_attrs: markdown::Attrs::new(&[
                        ("id", &format!("ref-{}", x.number)),
                        ("data-n", &x.number.to_string()),
                        ("aria-details", &format!("{p}fn-{}", x.number)),
                    ]),
                    rest_attrs: markdown::Attrs::default(),
                })
                .collect();
            let body = markdown::render_with(a.body(), spans.iter(), &[]);
            let article_note_html = article_notes.get(&a.slug).map(|v| {
                v.iter()
                    .map(|x| prefix_ids(&x.html(&at), &format!("{p}note-")))
                    .collect::<String>()
            });
            ArticleView {
                n,
                anchor: format!("art-{n}"),
                title: &a.title,
                cite: super::provenance::cite(a),
                graded_outlet: super::sources::outlet_ref(b, a, &at),
                byline: a.byline.as_deref(),
                held: held_view(a),
                article_note_html,
                body_html: prefix_ids(&body, &p),
                footnotes: mine.iter().map(|x| footnote(x, n, &at)).collect(),
            }
        })
        .collect();

    let claims = b
        .annotations
        .claims()
        .iter()
        .map(|c| {
            let statuses = c.statuses();
            ClaimRow {
                title: super::annotations::claim_title(c),
                statuses,
                places: c
                    .passages
                    .iter()
                    .filter_map(|a| {
                        let n = *number.get(&a.article)?;
                        Some(Place {
                            label: format!("{n}.{}", a.number),
                            url: format!("#{}fn-{}", prefix(n), a.number),
                        })
                    })
                    .collect(),
            }
        })
        // (a claim made only in articles the edition leaves out)
        .filter(|c| !c.places.is_empty())
        .collect();

    // the entities each article names, turned round
    let registry = &b.links.registry.entities;
    let mut named: Vec<Vec<usize>> = vec![Vec::new(); registry.len()];
    for (slug, entities) in &b.links.article_entities {
        if let Some(&n) = number.get(slug) {
            for &(e, _) in entities {
                if let Some(v) = named.get_mut(e) {
                    v.push(n);
                }
            }
        }
    }
    let mut index: Vec<IndexEntry> = named
        .into_iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(e, mut v)| {
            v.sort_unstable();
            IndexEntry {
                name: registry[e].entry.name.clone(),
                kind: registry[e].entry.kind.id(),
                articles: v
                    .into_iter()
                    .map(|n| Place {
                        label: n.to_string(),
                        url: format!("#art-{n}"),
                    })
                    .collect(),
            }
        })
        .collect();
    index.sort_by_cached_key(|e| (e.name.to_lowercase(), e.name.clone()));

    let day = |d: Option<&jiff::civil::DateTime>| {
        d.map(|d| date_view(&jiff::civil::DateTime::from(d.date())))
    };
    let ctx = Ctx {
        page: common(b, &at, "Print edition"),
        page_css: page_css(&b.config.title),
        as_of: day(shown.iter().filter_map(|a| a.date.as_ref()).max()),
        since: day(shown.iter().filter_map(|a| a.date.as_ref()).min()),
        omitted: b.articles.len() - shown.len(),
        total: b.articles.len(),
        summary_title: b.summary.as_ref().and_then(|s| s.title.clone()),
        summary_html: b
            .annotations
            .summary_html
            .as_deref()
            .map(|h| rebase(h, at.dir_depth()))
            .or_else(|| {
                b.summary
                    .as_ref()
                    .map(|s| markdown::render_typographic(&s.body))
            }),
        notes,
        claims,
        index,
        articles,
    };
    let size = ctx
        .articles
        .iter()
        .map(|a| a.body_html.len() + a.footnotes.len() * 600 + 1024)
        .sum::<usize>()
        + 32 * 1024;
    Ok(output(at, r.page("edition.html", &ctx, size)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_in_page_links_get_the_prefix() {
        let html = "<h2 id=\"top\">T</h2><p><a href=\"#top\">up</a> <a href=\"../x/\">x</a> &quot; id=&quot;no&quot;</p><mark data-id=\"k\" id=\"m\">";
        assert_eq!(
            prefix_ids(html, "a3-"),
            "<h2 id=\"a3-top\">T</h2><p><a href=\"#a3-top\">up</a> <a href=\"../x/\">x</a> &quot; id=&quot;no&quot;</p><mark data-id=\"k\" id=\"a3-m\">"
        );
        assert_eq!(prefix_ids("plain", "a1-"), "plain");
    }

    #[test]
    fn root_relative_links_are_rebased() {
        let html = "<a href=\"articles/x/index.html#a-q\">x</a> <a href=\"https://ex.org/\">e</a> <a href=\"#s\">s</a> <a href=\"mailto:a@b\">m</a>";
        assert_eq!(
            rebase(html, 1),
            "<a href=\"../articles/x/index.html#a-q\">x</a> <a href=\"https://ex.org/\">e</a> <a href=\"#s\">s</a> <a href=\"mailto:a@b\">m</a>"
        );
    }

    #[test]
    fn the_running_head_cannot_close_the_style_element() {
        let css = page_css("A \"b\" </style><script>\\");
        assert!(!css.contains('<') && !css.contains('>') && !css.contains('&'));
        assert!(css.contains("content: \"A \\22 b\\22  \\3c /style\\3e \\3c script\\3e \\5c \";"));
    }
}
