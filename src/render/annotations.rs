//! The annotation pages: `annotations/` (every annotation, grouped by
//! article, newest first), `annotations/tags/<tag>/` (one tag), and
//! `annotations/claims/` (each claim with its passages across sources, in
//! date order, with their outlets and grades) and `annotations/claims/<key>/`
//! (one claim, with its `ClaimReview`).
//! The listings are paginated (`index-2.html`, …) so that no page grows
//! with the briefing: the live preview renders them again on every
//! annotation edit. Plain links, no JS needed.

use super::PAGE_SIZE;
use super::pages::{DateView, Pager, date_view, output, pager};
use super::{Output, Renderer};
use crate::annotate::Annotation;
use crate::assembled::Briefing;
use crate::diag::Problem;
use crate::model::SitePath;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// Annotations per page of a listing (the index keeps an article's
/// annotations together, so one of its pages can hold more).
pub const PER_PAGE: usize = 200;

/// One annotation page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// Page `n` (1-based) of the index.
    Index(usize),
    /// Page `n` of a tag's listing.
    Tag(String, usize),
    Claims,
    /// One claim, by key.
    Claim(String),
}

/// What the annotation pages list, worked out once for all of them.
#[derive(Debug, Default)]
pub struct Plan {
    /// Indices into [`crate::annotate::Annotations::all`]: newest article
    /// first (briefing order), then in text order.
    order: Vec<usize>,
    /// The index pages: ranges of `order`, each made of whole articles.
    index_pages: Vec<Range<usize>>,
    /// Each tag with its annotations (indices into `all`, in `order`).
    tags: BTreeMap<String, Vec<usize>>,
    /// The claims' keys, sorted.
    claims: Vec<String>,
}

impl Plan {
    pub fn new(b: &Briefing) -> Plan {
        let all = b.annotations.all();
        let mut order: Vec<(usize, usize)> = all
            .iter()
            .enumerate()
            .map(|(i, a)| (b.article_position(&a.article).unwrap_or(usize::MAX), i))
            .collect();
        // `all` is in text order within an article: a stable sort keeps it
        order.sort_by_key(|&(pos, _)| pos);
        let mut index_pages: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        while start < order.len() {
            // whole articles, up to PER_PAGE annotations (at least one article)
            let mut end = start;
            while end < order.len() {
                let pos = order[end].0;
                let group_end = end + order[end..].iter().take_while(|x| x.0 == pos).count();
                if end > start && group_end - start > PER_PAGE {
                    break;
                }
                end = group_end;
            }
            index_pages.push(start..end);
            start = end;
        }
        let order: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
        let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &order {
            for t in &all[i].tags {
                match tags.get_mut(t) {
                    Some(v) => v.push(i),
                    None => {
                        tags.insert(t.clone(), vec![i]);
                    }
                }
            }
        }
        Plan {
            order,
            index_pages,
            tags,
            claims: b.annotations.claims().into_iter().map(|c| c.key).collect(),
        }
    }

    /// The annotations a listing page shows (indices into
    /// [`crate::annotate::Annotations::all`]); `None` for the claims page,
    /// which gathers from every article.
    pub fn listed(&self, page: &Page) -> Option<&[usize]> {
        match page {
            Page::Index(n) => {
                let range = self.index_pages.get(n - 1).cloned().unwrap_or(0..0);
                Some(&self.order[range])
            }
            Page::Tag(tag, n) => {
                let list = self.tags.get(tag).map_or(&[][..], Vec::as_slice);
                let from = ((n - 1) * PER_PAGE).min(list.len());
                let to = (from + PER_PAGE).min(list.len());
                Some(&list[from..to])
            }
            Page::Claims | Page::Claim(_) => None,
        }
    }

    /// The annotation pages, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let mut v: Vec<Page> = (1..=self.index_pages.len().max(1))
            .map(Page::Index)
            .collect();
        v.push(Page::Claims);
        v.extend(self.claims.iter().cloned().map(Page::Claim));
        for (t, items) in &self.tags {
            v.extend((1..=items.len().div_ceil(PER_PAGE)).map(|n| Page::Tag(t.clone(), n)));
        }
        v
    }
}

fn index_path() -> SitePath {
    SitePath::section("annotations")
}

/// `annotations/claims/`.
pub fn claims_path() -> SitePath {
    SitePath::new("annotations/claims/index.html")
}

/// `annotations/claims/<key>/` (a key is letters, digits, `-` and `_`).
pub fn claim_path(key: &str) -> SitePath {
    SitePath::new(format!("annotations/claims/{key}/index.html"))
}

fn tag_path(tag: &str) -> SitePath {
    SitePath::new(format!("annotations/tags/{tag}/index.html"))
}

#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

/// What `annotation_item.html` shows of an annotation.
#[derive(Serialize)]
struct AnnView<'a> {
    number: usize,
    article_title: &'a str,
    article_url: String,
    url: String,
    quote: &'a str,
    /// What the article reads now (when `drifted`).
    found: &'a str,
    drifted: bool,
    similarity: u32,
    tags: Vec<TagRef<'a>>,
    classes: String,
    status: Option<&'static str>,
    date: Option<String>,
    note_html: String,
    /// A claim's grade (`B2`) and what it means.
    grade: Option<String>,
    grade_letter: &'static str,
    grade_meaning: Option<String>,
    /// Where and when it appeared (on the claims pages).
    appeared: Option<super::sources::Appearance<'a>>,
}

#[derive(Serialize)]
struct TagRef<'a> {
    name: &'a str,
    url: String,
}

fn view<'a>(b: &'a Briefing, a: &'a Annotation, at: &SitePath) -> AnnView<'a> {
    let status = a.status.map(|s| s.as_str());
    let drifted = a.method == crate::annotate::Method::Approximate;
    // (an annotation page is never the article's page)
    let article_url = SitePath::article(&a.article).relative_from(at);
    let grade = super::sources::grade_of(b, a);
    AnnView {
        number: a.number,
        article_title: b
            .article(&a.article)
            .map_or(a.article.as_str(), |x| x.title.as_str()),
        url: format!("{article_url}#a-{}", a.id),
        article_url,
        quote: &a.quote,
        found: if drifted { &a.found } else { "" },
        drifted,
        similarity: (a.score * 100.0).floor() as u32,
        tags: a
            .tags
            .iter()
            .map(|t| TagRef {
                name: t,
                url: tag_path(t).relative_from(at),
            })
            .collect(),
        classes: crate::annotate::note::classes(&a.tags, status),
        status,
        date: a.date.map(|d| d.to_string()),
        note_html: a.note_html(at),
        grade: grade.map(|g| g.to_string()),
        grade_letter: grade.map_or("", |g| g.reliability.letter()),
        grade_meaning: grade.map(|g| g.meaning()),
        appeared: None,
    }
}

fn tag_links<'a>(plan: &'a Plan, at: &SitePath) -> Vec<TagLink<'a>> {
    plan.tags
        .iter()
        .map(|(t, v)| TagLink {
            url: tag_path(t).relative_from(at),
            name: t,
            count: v.len(),
        })
        .collect()
}

/// An article's annotations on an index page.
#[derive(Serialize)]
struct Group<'a> {
    title: &'a str,
    url: String,
    date: Option<DateView>,
    items: Vec<AnnView<'a>>,
}

/// A claim's heading: its first passage, quoted (the analyst names a claim
/// by an id, `claim=intercept`, which is no heading for a reader).
pub fn claim_title(c: &crate::annotate::Claim) -> String {
    match c.passages.first() {
        Some(a) => format!("“{}”", crate::annotate::note::shorten(&a.quote, 120)),
        None => c.key.clone(),
    }
}

/// [`claim_title`] of a claim with its passages in date order: its
/// earliest passage.
pub fn claim_title_of(c: &super::sources::ClaimSources) -> String {
    match c.passages.first() {
        Some(p) => format!("“{}”", crate::annotate::note::shorten(&p.ann.quote, 120)),
        None => c.key.clone(),
    }
}

/// What the claims pages show of a claim.
#[derive(Serialize)]
struct ClaimView<'a> {
    key: String,
    title: String,
    url: String,
    /// Its status overall.
    status: &'static str,
    statuses: Vec<&'static str>,
    sources: usize,
    /// "single source", "weak sources", or empty.
    weight: &'static str,
    weight_class: &'static str,
    passages: Vec<AnnView<'a>>,
}

fn claim_view<'a>(
    b: &'a Briefing,
    cs: &super::sources::ClaimSources<'a>,
    at: &SitePath,
) -> ClaimView<'a> {
    let statuses = crate::annotate::statuses_of(cs.passages.iter().map(|p| p.ann));
    let mut arts: Vec<&crate::model::Slug> = cs.passages.iter().map(|p| &p.ann.article).collect();
    arts.sort();
    arts.dedup();
    ClaimView {
        key: cs.key.clone(),
        title: claim_title_of(cs),
        url: claim_path(&cs.key).relative_from(at),
        status: cs.status.as_str(),
        statuses,
        sources: arts.len(),
        weight: cs.weight.map_or("", crate::link::outlets::Weight::label),
        weight_class: cs.weight.map_or("", crate::link::outlets::Weight::class),
        passages: cs
            .passages
            .iter()
            .map(|p| AnnView {
                appeared: Some(super::sources::appearance(b, p, at)),
                ..view(b, p.ann, at)
            })
            .collect(),
    }
}

/// The path of an annotation page.
pub fn path(page: &Page) -> SitePath {
    match page {
        Page::Index(n) => index_path().page(*n),
        Page::Tag(t, n) => tag_path(t).page(*n),
        Page::Claims => claims_path(),
        Page::Claim(key) => claim_path(key),
    }
}

/// Render one annotation page.
pub fn render(
    b: &Briefing,
    r: &Renderer,
    shared: &super::pages::Shared,
    plan: &Plan,
    page: &Page,
) -> Result<Output, Problem> {
    let all = b.annotations.all();
    let at = path(page);
    match page {
        Page::Index(n) => {
            #[derive(Serialize)]
            struct Ctx<'a> {
                page: tera::Value,
                total: usize,
                articles: usize,
                tags: Vec<TagLink<'a>>,
                groups: Vec<Group<'a>>,
                claims_url: String,
                pager: Pager,
                /// The items sit under their article's heading.
                grouped: bool,
            }
            let range = plan.index_pages.get(n - 1).cloned().unwrap_or(0..0);
            let mut groups: Vec<Group> = Vec::new();
            let mut last = None;
            for &i in &plan.order[range] {
                let a = &all[i];
                if last != Some(&a.article) {
                    last = Some(&a.article);
                    let article = b.article(&a.article);
                    groups.push(Group {
                        title: article.map_or(a.article.as_str(), |x| x.title.as_str()),
                        url: SitePath::article(&a.article).relative_from(&at),
                        date: article.and_then(|x| x.date.as_ref()).map(date_view),
                        items: Vec::new(),
                    });
                }
                if let Some(g) = groups.last_mut() {
                    g.items.push(view(b, a, &at));
                }
            }
            let pages = plan.index_pages.len().max(1);
            let title = if pages > 1 {
                format!("Annotations, page {n} of {pages}")
            } else {
                "Annotations".to_string()
            };
            let ctx = Ctx {
                page: shared.page(b, &at, &title),
                total: all.len(),
                articles: b.annotations.by_article.len(),
                tags: tag_links(plan, &at),
                groups,
                claims_url: path(&Page::Claims).relative_from(&at),
                pager: pager(pages, *n, &at, |k| index_path().page(k)),
                grouped: true,
            };
            let size = 16 * 1024 + ctx.groups.iter().map(|g| g.items.len()).sum::<usize>() * 900;
            Ok(output(at, r.page("annotations.html", &ctx, size)?))
        }
        Page::Tag(tag, n) => {
            #[derive(Serialize)]
            struct Ctx<'a> {
                page: tera::Value,
                tag: &'a str,
                /// Annotations with this tag (on every page).
                total: usize,
                tags: Vec<TagLink<'a>>,
                items: Vec<AnnView<'a>>,
                index_url: String,
                pager: Pager,
                grouped: bool,
            }
            let list = plan.tags.get(tag).map_or(&[][..], Vec::as_slice);
            let pages = list.len().div_ceil(PER_PAGE).max(1);
            let from = ((n - 1) * PER_PAGE).min(list.len());
            let to = (from + PER_PAGE).min(list.len());
            let title = if pages > 1 {
                format!("Annotations tagged “{tag}”, page {n} of {pages}")
            } else {
                format!("Annotations tagged “{tag}”")
            };
            let ctx = Ctx {
                page: shared.page(b, &at, &title),
                tag,
                total: list.len(),
                tags: tag_links(plan, &at),
                items: list[from..to]
                    .iter()
                    .map(|&i| view(b, &all[i], &at))
                    .collect(),
                index_url: index_path().relative_from(&at),
                pager: pager(pages, *n, &at, |k| tag_path(tag).page(k)),
                grouped: false,
            };
            let size = 16 * 1024 + ctx.items.len() * 900;
            Ok(output(at, r.page("annotation_tag.html", &ctx, size)?))
        }
        Page::Claims => {
            #[derive(Serialize)]
            struct Ctx<'a> {
                page: tera::Value,
                claims: Vec<ClaimView<'a>>,
                index_url: String,
                /// `sources/`, when the briefing grades its outlets.
                sources_url: Option<String>,
                grouped: bool,
            }
            let claims = b
                .annotations
                .claims()
                .iter()
                .map(|c| claim_view(b, &super::sources::claim_sources(b, c), &at))
                .collect();
            let ctx = Ctx {
                page: shared.page(b, &at, "Claims"),
                claims,
                index_url: index_path().relative_from(&at),
                sources_url: b
                    .outlets
                    .present
                    .then(|| super::sources::index_path().relative_from(&at)),
                grouped: false,
            };
            Ok(output(at, r.page("claims.html", &ctx, PAGE_SIZE)?))
        }
        Page::Claim(key) => {
            #[derive(Serialize)]
            struct Ctx<'a> {
                page: tera::Value,
                claim: ClaimView<'a>,
                /// The `ClaimReview` JSON-LD, escaped for `<script>`.
                json_ld: String,
                claims_url: String,
                sources_url: Option<String>,
                grouped: bool,
            }
            let all = b.annotations.claims();
            let Some(c) = all.iter().find(|c| &c.key == key) else {
                return Err(Problem::file(
                    at.to_string(),
                    format!("no claim `{key}` to render"),
                ));
            };
            let cs = super::sources::claim_sources(b, c);
            let claim = ClaimView {
                // (no link to itself)
                url: String::new(),
                ..claim_view(b, &cs, &at)
            };
            let json_ld = super::sources::claim_review(b, &cs, &b.config.absolute(&at));
            let ctx = Ctx {
                page: shared.page(b, &at, &format!("Claim {}", claim.title)),
                claim,
                json_ld,
                claims_url: claims_path().relative_from(&at),
                sources_url: b
                    .outlets
                    .present
                    .then(|| super::sources::index_path().relative_from(&at)),
                grouped: false,
            };
            Ok(output(at, r.page("claim.html", &ctx, PAGE_SIZE)?))
        }
    }
}
