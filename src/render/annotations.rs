//! The annotation pages: `annotations/` (every annotation, grouped by tag),
//! `annotations/tags/<tag>/` (one tag), and `annotations/claims/` (each
//! claim with its passages across sources). Plain links, no JS needed.

use super::pages::{common, output};
use super::{Output, Renderer};
use crate::annotate::Annotation;
use crate::diag::Problem;
use crate::model::{Briefing, SitePath};
use serde::Serialize;

/// One annotation page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Index,
    Tag(String),
    Claims,
}

/// The annotation pages of a briefing, in a stable order.
pub fn pages(b: &Briefing) -> Vec<Page> {
    let mut v = vec![Page::Index, Page::Claims];
    v.extend(b.annotations.by_tag().into_keys().map(Page::Tag));
    v
}

fn tag_path(tag: &str) -> SitePath {
    SitePath::new(format!("annotations/tags/{tag}/index.html"))
}

#[derive(Serialize)]
struct TagLink {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct AnnView {
    id: String,
    number: usize,
    article_title: String,
    article_url: String,
    url: String,
    quote: String,
    found: String,
    drifted: bool,
    similarity: u32,
    tags: Vec<TagLink>,
    classes: String,
    status: Option<&'static str>,
    date: Option<String>,
    note_html: String,
    source: String,
}

fn view(b: &Briefing, a: &Annotation, at: &SitePath) -> AnnView {
    let status = a.status.map(|s| s.as_str());
    AnnView {
        id: a.id.clone(),
        number: a.number,
        article_title: b
            .article(&a.article)
            .map_or_else(|| a.article.to_string(), |x| x.title.clone()),
        article_url: SitePath::article(&a.article).relative_from(at),
        url: a.url(at),
        quote: a.quote.clone(),
        found: a.found.clone(),
        drifted: a.method == crate::annotate::Method::Approximate,
        similarity: (a.score * 100.0).floor() as u32,
        tags: a
            .tags
            .iter()
            .map(|t| TagLink {
                name: t.clone(),
                url: tag_path(t).relative_from(at),
                count: 0,
            })
            .collect(),
        classes: crate::annotate::note::classes(&a.tags, status),
        status,
        date: a.date.map(|d| d.to_string()),
        note_html: a.note_html(at),
        source: format!("{}:{}", a.file, a.line),
    }
}

fn tag_links(b: &Briefing, at: &SitePath) -> Vec<TagLink> {
    b.annotations
        .by_tag()
        .into_iter()
        .map(|(t, v)| TagLink {
            url: tag_path(&t).relative_from(at),
            name: t,
            count: v.len(),
        })
        .collect()
}

#[derive(Serialize)]
struct Group {
    name: String,
    url: String,
    items: Vec<AnnView>,
}

/// Render one annotation page.
pub fn render(b: &Briefing, r: &Renderer, page: &Page) -> Result<Output, Problem> {
    match page {
        Page::Index => {
            #[derive(Serialize)]
            struct Ctx {
                page: super::pages::Common,
                total: usize,
                tags: Vec<TagLink>,
                groups: Vec<Group>,
                untagged: Vec<AnnView>,
                claims_url: String,
            }
            let at = SitePath::section("annotations");
            let groups = b
                .annotations
                .by_tag()
                .into_iter()
                .map(|(t, v)| Group {
                    url: tag_path(&t).relative_from(&at),
                    items: v.into_iter().map(|a| view(b, a, &at)).collect(),
                    name: t,
                })
                .collect();
            let ctx = Ctx {
                page: common(b, &at, "Annotations"),
                total: b.annotations.all().len(),
                tags: tag_links(b, &at),
                groups,
                untagged: b
                    .annotations
                    .all()
                    .iter()
                    .filter(|a| a.tags.is_empty())
                    .map(|a| view(b, a, &at))
                    .collect(),
                claims_url: SitePath::new("annotations/claims/index.html").relative_from(&at),
            };
            Ok(output(at, r.render("annotations.html", &ctx)?))
        }
        Page::Tag(tag) => {
            #[derive(Serialize)]
            struct Ctx {
                page: super::pages::Common,
                tag: String,
                tags: Vec<TagLink>,
                items: Vec<AnnView>,
                index_url: String,
            }
            let at = tag_path(tag);
            let items = b
                .annotations
                .by_tag()
                .remove(tag)
                .unwrap_or_default()
                .into_iter()
                .map(|a| view(b, a, &at))
                .collect();
            let ctx = Ctx {
                page: common(b, &at, &format!("Annotations tagged “{tag}”")),
                tag: tag.clone(),
                tags: tag_links(b, &at),
                items,
                index_url: SitePath::section("annotations").relative_from(&at),
            };
            Ok(output(at, r.render("annotation_tag.html", &ctx)?))
        }
        Page::Claims => {
            #[derive(Serialize)]
            struct ClaimView {
                key: String,
                statuses: Vec<&'static str>,
                sources: usize,
                passages: Vec<AnnView>,
            }
            #[derive(Serialize)]
            struct Ctx {
                page: super::pages::Common,
                claims: Vec<ClaimView>,
                index_url: String,
            }
            let at = SitePath::new("annotations/claims/index.html");
            let claims = b
                .annotations
                .claims()
                .into_iter()
                .map(|c| {
                    let mut statuses: Vec<&'static str> = c
                        .passages
                        .iter()
                        .filter_map(|a| a.status.map(|s| s.as_str()))
                        .collect();
                    statuses.sort_unstable();
                    statuses.dedup();
                    let mut arts: Vec<&crate::model::Slug> =
                        c.passages.iter().map(|a| &a.article).collect();
                    arts.sort();
                    arts.dedup();
                    ClaimView {
                        key: c.key,
                        statuses,
                        sources: arts.len(),
                        passages: c.passages.iter().map(|a| view(b, a, &at)).collect(),
                    }
                })
                .collect();
            let ctx = Ctx {
                page: common(b, &at, "Claims"),
                claims,
                index_url: SitePath::section("annotations").relative_from(&at),
            };
            Ok(output(at, r.render("claims.html", &ctx)?))
        }
    }
}
