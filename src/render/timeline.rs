//! The timeline page (`timeline/`) — publications and annotated events by
//! date, undated articles apart — and the static SVG timeline strip of the
//! index page.

use super::PAGE_SIZE;
use super::pages::{ArticleCard, DateView, Pager, card, common, date_view, output, pager};
use super::{Output, Renderer};
use crate::assembled::Briefing;
use crate::diag::Problem;
use crate::link::timeline::{Entry, EntryKind, Timeline};
use crate::model::SitePath;
use serde::Serialize;
use std::fmt::Write as _;
use std::ops::Range;

#[derive(Serialize)]
struct EntryView {
    date: DateView,
    kind: &'static str,
    label: String,
    url: String,
    article_title: String,
}

#[derive(Serialize)]
struct MonthView {
    heading: String,
    /// Its anchor (`m-2024-12`), for links from the timeline strip.
    id: String,
    entries: Vec<EntryView>,
}

fn kind_id(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Event => "event",
        EntryKind::Published => "published",
    }
}

fn entry_url(e: &Entry, at: &SitePath) -> String {
    let page = SitePath::article(&e.article).relative_from(at);
    match &e.annotation {
        Some(id) => format!("{page}#{id}"),
        None => page,
    }
}

/// Entries per timeline page (whole months: a month with more entries
/// has a page of its own).
pub const PER_PAGE: usize = 1000;

fn month_key(d: &jiff::civil::DateTime) -> (i16, i8) {
    (d.year(), d.month())
}

/// The timeline's pages: ranges of its entries, oldest first, each made of
/// whole months (at least one page, for the undated articles).
pub fn plan(t: &Timeline) -> Vec<Range<usize>> {
    let e = &t.entries;
    let mut pages = Vec::new();
    let mut start = 0;
    while start < e.len() {
        let mut end = start;
        while end < e.len() {
            let m = month_key(&e[end].date);
            let month_end = end
                + e[end..]
                    .iter()
                    .take_while(|x| month_key(&x.date) == m)
                    .count();
            if end > start && month_end - start > PER_PAGE {
                break;
            }
            end = month_end;
        }
        pages.push(start..end);
        start = end;
    }
    if pages.is_empty() {
        pages.push(0..0);
    }
    pages
}

fn path() -> SitePath {
    SitePath::section("timeline")
}

/// The number of timeline pages.
pub fn page_count(b: &Briefing) -> usize {
    plan(&b.links.timeline).len()
}

/// The path of timeline page `n`.
pub fn page_path(n: usize) -> SitePath {
    path().page(n)
}

fn month_id(d: &jiff::civil::DateTime) -> String {
    d.strftime("m-%Y-%m").to_string()
}

/// Timeline page `n` (1-based).
pub fn page(b: &Briefing, r: &Renderer, n: usize) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: super::pages::Common,
        months: Vec<MonthView>,
        undated: Vec<ArticleCard<'a>>,
        events: usize,
        published: usize,
        pager: Pager,
    }
    let t = &b.links.timeline;
    let pages = plan(t);
    let at = page_path(n);
    let range = pages.get(n - 1).cloned().unwrap_or(0..0);
    let mut months: Vec<MonthView> = Vec::new();
    for e in &t.entries[range] {
        let id = month_id(&e.date);
        if months.last().is_none_or(|m| m.id != id) {
            months.push(MonthView {
                heading: e.date.strftime("%B %Y").to_string(),
                id,
                entries: Vec::new(),
            });
        }
        let view = EntryView {
            date: date_view(&e.date),
            kind: kind_id(e.kind),
            label: e.label.clone(),
            url: entry_url(e, &at),
            article_title: b
                .article(&e.article)
                .map_or_else(|| e.article.to_string(), |a| a.title.clone()),
        };
        if let Some(m) = months.last_mut() {
            m.entries.push(view);
        }
    }
    let title = if pages.len() > 1 {
        format!("Timeline, page {n} of {}", pages.len())
    } else {
        "Timeline".to_string()
    };
    let mut pager = pager(pages.len(), n, &at, page_path);
    pager.labels("← Earlier", "Later →");
    let ctx = Ctx {
        page: common(b, &at, &title),
        months,
        // undated articles close the last page
        undated: if n == pages.len() {
            t.undated
                .iter()
                .filter_map(|s| b.article(s))
                .map(|a| card(a, &at))
                .collect()
        } else {
            Vec::new()
        },
        events: t
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Event)
            .count(),
        published: t
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Published)
            .count(),
        pager,
    };
    Ok(output(at, r.page("timeline.html", &ctx, PAGE_SIZE)?))
}

fn seconds(d: &jiff::civil::DateTime) -> f64 {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second() as f64)
        .unwrap_or(0.0)
}

/// Up to this many dated entries, the strip shows one mark per entry;
/// beyond, one mark per stretch of time and kind, sized by its count.
pub const STRIP_MARKS: usize = 150;
/// How many stretches of time the strip is cut into beyond [`STRIP_MARKS`].
pub const STRIP_BINS: usize = 100;

/// A horizontal strip: circles for publications above the axis, diamonds
/// for annotated events below it, each linking to its article — or, for
/// long timelines, a bar per stretch of time and kind, as tall as its
/// count, linking to its month on the timeline pages. Empty when nothing is
/// dated.
pub fn strip_svg(b: &Briefing, at: &SitePath) -> String {
    let entries = &b.links.timeline.entries;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return String::new();
    };
    let (w, h, pad) = (760.0, 96.0, 40.0);
    let (t0, t1) = (seconds(&first.date), seconds(&last.date));
    let x_of = |t: f64| {
        if t1 > t0 {
            pad + (t - t0) / (t1 - t0) * (w - 2.0 * pad)
        } else {
            w / 2.0
        }
    };
    let axis = h / 2.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"timeline-strip\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-labelledby=\"strip-title\"><title id=\"strip-title\">Timeline from {} to {}</title><line class=\"axis\" x1=\"{pad}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\"></line>",
        date_view(&first.date).display,
        date_view(&last.date).display,
        w - pad
    );
    // (x, kind, size 0..1, href, title)
    let mut marks: Vec<(f64, EntryKind, f64, String, String)> = Vec::new();
    if entries.len() <= STRIP_MARKS {
        for e in entries {
            let title = format!("{} — {}", date_view(&e.date).display, e.label);
            marks.push((x_of(seconds(&e.date)), e.kind, 1.0, entry_url(e, at), title));
        }
    } else {
        // entries by stretch and kind: (first entry, last entry, count)
        let span = (t1 - t0).max(1.0);
        let bin_of = |e: &Entry| {
            (((seconds(&e.date) - t0) / span * STRIP_BINS as f64) as usize).min(STRIP_BINS - 1)
        };
        let mut bins: std::collections::BTreeMap<(usize, EntryKind), (usize, usize, usize)> =
            std::collections::BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            let slot = bins.entry((bin_of(e), e.kind)).or_insert((i, i, 0));
            slot.1 = i;
            slot.2 += 1;
        }
        let most = bins.values().map(|v| v.2).max().unwrap_or(1) as f64;
        let pages = plan(&b.links.timeline);
        let page_of = |i: usize| pages.iter().position(|r| r.contains(&i)).unwrap_or(0) + 1;
        let bin_w = (w - 2.0 * pad) / STRIP_BINS as f64;
        for (&(bin, kind), &(i, j, count)) in &bins {
            let (from, to) = (&entries[i], &entries[j]);
            let x = pad + bin as f64 * bin_w;
            let href = format!(
                "{}#{}",
                page_path(page_of(i)).relative_from(at),
                month_id(&from.date)
            );
            let what = match (kind, count) {
                (EntryKind::Published, 1) => "1 article published".to_string(),
                (EntryKind::Published, n) => format!("{n} articles published"),
                (EntryKind::Event, 1) => "1 event reported".to_string(),
                (EntryKind::Event, n) => format!("{n} events reported"),
            };
            let (d0, d1) = (
                super::entities::day_view(&from.date).display,
                super::entities::day_view(&to.date).display,
            );
            let when = if d0 == d1 {
                d0
            } else {
                format!("{d0} – {d1}")
            };
            let size = count as f64 / most;
            marks.push((x, kind, size, href, format!("{when}: {what}")));
        }
        marks.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }
    let binned = entries.len() > STRIP_MARKS;
    let bar_w = ((w - 2.0 * pad) / STRIP_BINS as f64 - 1.0).max(1.0);
    for (x, kind, size, href, title) in marks {
        let title = html_escape::encode_text(&title).into_owned();
        let href = html_escape::encode_double_quoted_attribute(&href).into_owned();
        let shape = match kind {
            // a stretch of time: a bar, as tall as its count (publications
            // above the axis, events below)
            _ if binned => {
                let height = 2.0 + 26.0 * size;
                let y = match kind {
                    EntryKind::Published => axis - 2.0 - height,
                    EntryKind::Event => axis + 2.0,
                };
                format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{height:.1}\"></rect>"
                )
            }
            EntryKind::Published => format!(
                "<circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"6\"></circle>",
                axis - 14.0
            ),
            EntryKind::Event => {
                let y = axis + 14.0;
                format!(
                    "<polygon points=\"{:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\"></polygon>",
                    x,
                    y - 7.0,
                    x + 7.0,
                    y + 7.0,
                    x - 7.0
                )
            }
        };
        let _ = write!(
            svg,
            "<a href=\"{href}\" class=\"mark {}\"><title>{title}</title>{shape}</a>",
            kind_id(kind)
        );
    }
    if t1 > t0 {
        let _ = write!(
            svg,
            "<text x=\"{pad}\" y=\"{}\" text-anchor=\"start\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            h - 6.0,
            date_view(&first.date).display,
            w - pad,
            h - 6.0,
            date_view(&last.date).display
        );
    } else {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            w / 2.0,
            h - 6.0,
            date_view(&first.date).display
        );
    }
    svg.push_str("</svg>");
    svg
}
