//! The article archive: `articles/` (and `articles/index-N.html`) lists
//! every article by title and date, newest first, grouped by month, a
//! fixed number per page — the one list from which every article is
//! reachable, whatever the size of the briefing.

use super::pages::{Common, DateView, Pager, common, output, pager};
use super::{Output, Renderer};
use crate::assembled::Briefing;
use crate::diag::Problem;
use crate::model::SitePath;
use serde::Serialize;

/// Articles per archive page.
pub const PER_PAGE: usize = 1000;

/// How many archive pages a briefing has (at least one, even when empty).
pub fn page_count(b: &Briefing) -> usize {
    b.articles.len().div_ceil(PER_PAGE).max(1)
}

/// The first archive page.
pub fn path() -> SitePath {
    SitePath::section("articles")
}

#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    url: String,
    date: Option<DateView>,
    byline: Option<&'a str>,
    held: Option<super::pages::HeldView>,
}

#[derive(Serialize)]
struct Month<'a> {
    heading: String,
    articles: Vec<Item<'a>>,
}

/// Archive page `n` (1-based).
pub fn page(b: &Briefing, r: &Renderer, n: usize) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: Common,
        total: usize,
        /// Positions (1-based, newest first) of the first and last article
        /// of this page.
        first: usize,
        last: usize,
        months: Vec<Month<'a>>,
        pager: Pager,
    }
    let pages = page_count(b);
    let at = path().page(n);
    let from = ((n - 1) * PER_PAGE).min(b.articles.len());
    let to = (from + PER_PAGE).min(b.articles.len());
    let mut months: Vec<Month> = Vec::new();
    for a in &b.articles[from..to] {
        let heading = a.date.map_or_else(
            || "Undated".to_string(),
            |d| d.strftime("%B %Y").to_string(),
        );
        if months.last().is_none_or(|m| m.heading != heading) {
            months.push(Month {
                heading,
                articles: Vec::new(),
            });
        }
        if let Some(m) = months.last_mut() {
            m.articles.push(Item {
                title: &a.title,
                url: SitePath::article(&a.slug).relative_from(&at),
                date: a.date.as_ref().map(super::entities::day_view),
                byline: a.byline.as_deref(),
                held: super::pages::held_view(a),
            });
        }
    }
    let title = if pages > 1 {
        format!("Articles, page {n} of {pages}")
    } else {
        "Articles".to_string()
    };
    let ctx = Ctx {
        page: common(b, &at, &title),
        total: b.articles.len(),
        first: from + 1,
        last: to,
        months,
        pager: pager(pages, n, &at, |k| path().page(k)),
    };
    let size = 16 * 1024 + (to - from) * 220;
    Ok(output(at, r.page("archive.html", &ctx, size)?))
}
