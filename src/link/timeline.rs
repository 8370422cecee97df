//! The timeline: publication dates of articles and dates of annotated
//! events, in one chronological list; undated articles kept apart.

use crate::content::Article;
use crate::model::Slug;
use jiff::civil::{Date, DateTime};

/// An event date taken from an annotation (`.event` with `date=`), as the
/// annotation stage exposes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventInput {
    pub date: Date,
    /// What happened (the annotation's label or passage).
    pub label: String,
    /// The annotated article.
    pub article: Slug,
    /// The annotation's id (its anchor in the article page).
    pub annotation: String,
}

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// An event the article reports, dated by an annotation.
    Event,
    /// The article's publication.
    Published,
}

/// One dated entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub date: DateTime,
    pub kind: EntryKind,
    pub label: String,
    pub article: Slug,
    pub annotation: Option<String>,
}

/// The whole timeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Oldest first; on one date events before publications, then by
    /// article slug and label.
    pub entries: Vec<Entry>,
    /// Articles without a date, in briefing order.
    pub undated: Vec<Slug>,
}

/// Build the timeline from articles and annotated events.
pub fn timeline(articles: &[Article], events: &[EventInput]) -> Timeline {
    let mut t = Timeline::default();
    for a in articles {
        match a.date {
            Some(date) => t.entries.push(Entry {
                date,
                kind: EntryKind::Published,
                label: a.title.clone(),
                article: a.slug.clone(),
                annotation: None,
            }),
            None => t.undated.push(a.slug.clone()),
        }
    }
    for e in events {
        t.entries.push(Entry {
            date: e.date.to_datetime(jiff::civil::Time::midnight()),
            kind: EntryKind::Event,
            label: e.label.clone(),
            article: e.article.clone(),
            annotation: Some(e.annotation.clone()),
        });
    }
    t.entries.sort_by(|a, b| {
        (a.date, a.kind, &a.article, &a.label, &a.annotation).cmp(&(
            b.date,
            b.kind,
            &b.article,
            &b.label,
            &b.annotation,
        ))
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn art(slug: &str, date: Option<&str>) -> Article {
        let d = date.map(|d| format!("date: {d}\n")).unwrap_or_default();
        let text = format!("---\ntitle: {slug}\nslug: {slug}\n{d}---\nx\n");
        crate::content::parse_article("content/x.md", Arc::from(text)).unwrap()
    }

    #[test]
    fn events_and_publications_in_date_order_undated_apart() {
        let arts = [
            art("b", Some("2024-12-06T15:39:00")),
            art("a", Some("2024-11-22")),
            art("u", None),
        ];
        let ev = [EventInput {
            date: "2024-11-21".parse().unwrap(),
            label: "Oreshnik strike on Dnipro".into(),
            article: Slug::parse("b").unwrap(),
            annotation: "strike".into(),
        }];
        let t = timeline(&arts, &ev);
        let got: Vec<(String, EntryKind)> = t
            .entries
            .iter()
            .map(|e| (e.date.to_string(), e.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("2024-11-21T00:00:00".to_string(), EntryKind::Event),
                ("2024-11-22T00:00:00".to_string(), EntryKind::Published),
                ("2024-12-06T15:39:00".to_string(), EntryKind::Published),
            ]
        );
        assert_eq!(t.undated, [Slug::parse("u").unwrap()]);
    }
}
