//! The timeline page (`timeline/`) — publications and annotated events by
//! date, undated articles apart — and the static SVG timeline strip of the
//! index page.

use super::pages::{ArticleCard, DateView, card, common, date_view, output};
use super::{Output, Renderer};
use crate::diag::Problem;
use crate::link::timeline::{Entry, EntryKind};
use crate::model::{Briefing, SitePath};
use serde::Serialize;
use std::fmt::Write as _;

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

pub fn page(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx {
        page: super::pages::Common,
        months: Vec<MonthView>,
        undated: Vec<ArticleCard>,
        events: usize,
        published: usize,
    }
    let at = SitePath::section("timeline");
    let t = &b.links.timeline;
    let mut months: Vec<MonthView> = Vec::new();
    for e in &t.entries {
        let heading = e.date.strftime("%B %Y").to_string();
        if months.last().is_none_or(|m| m.heading != heading) {
            months.push(MonthView {
                heading: heading.clone(),
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
    let ctx = Ctx {
        page: common(b, &at, "Timeline"),
        months,
        undated: t
            .undated
            .iter()
            .filter_map(|s| b.article(s))
            .map(|a| card(a, &at))
            .collect(),
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
    };
    Ok(output(at, r.render("timeline.html", &ctx)?))
}

fn seconds(d: &jiff::civil::DateTime) -> f64 {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second() as f64)
        .unwrap_or(0.0)
}

/// A horizontal strip: circles for publications above the axis, diamonds
/// for annotated events below it, each linking to its article. Empty when
/// nothing is dated.
pub fn strip_svg(b: &Briefing, at: &SitePath) -> String {
    let entries = &b.links.timeline.entries;
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return String::new();
    };
    let (w, h, pad) = (760.0, 96.0, 40.0);
    let (t0, t1) = (seconds(&first.date), seconds(&last.date));
    let x_of = |d: &jiff::civil::DateTime| {
        if t1 > t0 {
            pad + (seconds(d) - t0) / (t1 - t0) * (w - 2.0 * pad)
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
    for e in entries {
        let x = x_of(&e.date);
        let title =
            html_escape::encode_text(&format!("{} — {}", date_view(&e.date).display, e.label))
                .into_owned();
        let href = html_escape::encode_double_quoted_attribute(&entry_url(e, at)).into_owned();
        let shape = match e.kind {
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
            kind_id(e.kind)
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
