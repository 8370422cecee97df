//! What changed from one edition to the next: a pure function of the two
//! ([`compare`]), whatever caused it (a re-scrape, a hand edit of
//! `content/`, an annotation edit).
//!
//! Articles are matched by `url`, else by slug, so an article whose slug
//! was renamed is one changed article, not one removed and one added;
//! annotations by their article (through that match) and id; claims by
//! key; entities by slug.

use super::diff::{self, Block};
use super::{AnnotationRecord, ArticleRecord, Edition, EntityRecord};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An article as a list of changes names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleRef {
    pub slug: String,
    pub title: String,
    pub url: Option<String>,
}

impl ArticleRef {
    fn of(a: &ArticleRecord) -> ArticleRef {
        ArticleRef {
            slug: a.slug.clone(),
            title: a.title.clone(),
            url: a.url.clone(),
        }
    }
}

/// An article in both editions that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleChange {
    /// As it is now.
    pub article: ArticleRef,
    /// Its slug before, when it was renamed.
    pub old_slug: Option<String>,
    /// Its title before, when that changed.
    pub old_title: Option<String>,
    /// The text's differences (empty when only the title or slug changed,
    /// or past the diffs asked for: see [`compare_with_diffs`]).
    pub diff: Vec<Block>,
    /// Whether the text changed.
    pub text_changed: bool,
    /// Words deleted and inserted (0 without `diff`).
    pub deleted: usize,
    pub inserted: usize,
    /// Whether the seed it was cleaned from changed (a re-scrape).
    pub rescraped: bool,
}

/// An annotation as a list of changes names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnnotationRef {
    /// The article's slug (now, for one in both editions).
    pub article: String,
    pub id: String,
    pub quote: String,
}

impl AnnotationRef {
    fn of(a: &AnnotationRecord, article: &str) -> AnnotationRef {
        AnnotationRef {
            article: article.to_string(),
            id: a.id.clone(),
            quote: a.quote.clone(),
        }
    }
}

/// An annotation whose quote, note, status or credibility changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnnotationEdit {
    pub annotation: AnnotationRef,
    /// What changed, in words: `note`, `quote: “a” → “b”`,
    /// `status: unverified → disputed`, `credibility: 3 → 2`.
    pub what: Vec<String>,
}

/// How an annotation's anchoring changed because its article's text did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorChange {
    /// Its passage is now in another paragraph.
    Moved,
    /// Its quote no longer matches the text exactly.
    Approximate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnchorMove {
    pub annotation: AnnotationRef,
    pub change: AnchorChange,
}

/// A claim whose statuses or grades changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimChange {
    pub key: String,
    pub old_statuses: Vec<String>,
    pub new_statuses: Vec<String>,
    pub old_grades: Vec<String>,
    pub new_grades: Vec<String>,
}

/// Everything that changed from one edition to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub articles_added: Vec<ArticleRef>,
    pub articles_removed: Vec<ArticleRef>,
    pub articles_changed: Vec<ArticleChange>,
    pub annotations_added: Vec<AnnotationRef>,
    pub annotations_removed: Vec<AnnotationRef>,
    pub annotations_edited: Vec<AnnotationEdit>,
    pub anchors: Vec<AnchorMove>,
    pub claims: Vec<ClaimChange>,
    pub entities_added: Vec<EntityRecord>,
    pub entities_removed: Vec<EntityRecord>,
}

impl Changes {
    /// How many changes there are (one per article, annotation, claim or
    /// entity listed).
    pub fn count(&self) -> usize {
        self.articles_added.len()
            + self.articles_removed.len()
            + self.articles_changed.len()
            + self.annotations_added.len()
            + self.annotations_removed.len()
            + self.annotations_edited.len()
            + self.anchors.len()
            + self.claims.len()
            + self.entities_added.len()
            + self.entities_removed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// Which old article each new one is (by index): the same `url`, else the
/// same slug, each old article matched once.
pub fn match_articles(old: &[ArticleRecord], new: &[ArticleRecord]) -> Vec<Option<usize>> {
    let mut by_url: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in old.iter().enumerate().rev() {
        if let Some(u) = &a.url {
            by_url.entry(u.as_str()).or_default().push(i);
        }
    }
    let by_slug: BTreeMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.as_str(), i))
        .collect();
    let mut taken = vec![false; old.len()];
    let mut out = vec![None; new.len()];
    // by url first, for every article, so that a slug another article
    // took over does not steal the match
    for (j, a) in new.iter().enumerate() {
        if let Some(list) = a.url.as_deref().and_then(|u| by_url.get_mut(u))
            && let Some(i) = list.pop()
        {
            taken[i] = true;
            out[j] = Some(i);
        }
    }
    for (j, a) in new.iter().enumerate() {
        if out[j].is_none()
            && let Some(&i) = by_slug.get(a.slug.as_str())
            && !taken[i]
        {
            taken[i] = true;
            out[j] = Some(i);
        }
    }
    out
}

/// What changed from `old` to `new`, with the word differences of every
/// changed article.
pub fn compare(old: &Edition, new: &Edition) -> Changes {
    compare_with_diffs(old, new, usize::MAX)
}

/// What changed from `old` to `new`, with the word differences of the
/// first `diffs` changed articles only (word diffs are the costly part:
/// a count of the changes needs none).
pub fn compare_with_diffs(old: &Edition, new: &Edition, diffs: usize) -> Changes {
    let mut c = Changes::default();
    let matched = match_articles(&old.articles, &new.articles);
    let mut old_seen = vec![false; old.articles.len()];
    // old slug → new slug, for the annotations; and which texts changed
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    let mut text_changed: BTreeSet<&str> = BTreeSet::new();
    for (a, m) in new.articles.iter().zip(&matched) {
        let Some(i) = *m else {
            c.articles_added.push(ArticleRef::of(a));
            continue;
        };
        old_seen[i] = true;
        let o = &old.articles[i];
        renamed.insert(&o.slug, &a.slug);
        if o.text != a.text {
            text_changed.insert(&a.slug);
        }
        if o.text != a.text || o.title != a.title || o.slug != a.slug {
            let d = if c.articles_changed.len() < diffs {
                diff::words(&o.text, &a.text)
            } else {
                Vec::new()
            };
            let (deleted, inserted) = diff::counts(&d);
            c.articles_changed.push(ArticleChange {
                article: ArticleRef::of(a),
                old_slug: (o.slug != a.slug).then(|| o.slug.clone()),
                old_title: (o.title != a.title).then(|| o.title.clone()),
                diff: d,
                text_changed: o.text != a.text,
                deleted,
                inserted,
                rescraped: o.seed_sha256 != a.seed_sha256 && o.seed_sha256.is_some(),
            });
        }
    }
    for (o, seen) in old.articles.iter().zip(&old_seen) {
        if !seen {
            c.articles_removed.push(ArticleRef::of(o));
        }
    }
    // annotations, by (article now, id)
    let olds: BTreeMap<(&str, &str), &AnnotationRecord> = old
        .annotations
        .iter()
        .map(|a| {
            let slug = renamed.get(a.article.as_str()).copied();
            ((slug.unwrap_or(a.article.as_str()), a.id.as_str()), a)
        })
        .collect();
    let news: BTreeMap<(&str, &str), &AnnotationRecord> = new
        .annotations
        .iter()
        .map(|a| ((a.article.as_str(), a.id.as_str()), a))
        .collect();
    for (&(article, _), a) in &news {
        let Some(o) = olds.get(&(article, a.id.as_str())) else {
            c.annotations_added.push(AnnotationRef::of(a, article));
            continue;
        };
        let mut what = Vec::new();
        if o.quote != a.quote {
            what.push(format!("quote: “{}” → “{}”", o.quote, a.quote));
        }
        if o.note != a.note {
            what.push("note".to_string());
        }
        if o.status != a.status {
            what.push(format!(
                "status: {} → {}",
                o.status.as_deref().unwrap_or("none"),
                a.status.as_deref().unwrap_or("none")
            ));
        }
        if o.credibility != a.credibility {
            let d = |c: Option<u8>| c.map_or("none".to_string(), |c| c.to_string());
            what.push(format!(
                "credibility: {} → {}",
                d(o.credibility),
                d(a.credibility)
            ));
        }
        if !what.is_empty() {
            c.annotations_edited.push(AnnotationEdit {
                annotation: AnnotationRef::of(a, article),
                what,
            });
        }
        let change = if a.method == "approximate" && o.method != "approximate" {
            Some(AnchorChange::Approximate)
        } else if o.paragraph != a.paragraph && o.quote == a.quote && text_changed.contains(article)
        {
            Some(AnchorChange::Moved)
        } else {
            None
        };
        if let Some(change) = change {
            c.anchors.push(AnchorMove {
                annotation: AnnotationRef::of(a, article),
                change,
            });
        }
    }
    for (&(article, _), o) in &olds {
        if !news.contains_key(&(article, o.id.as_str())) {
            c.annotations_removed.push(AnnotationRef::of(o, article));
        }
    }
    let old_claims: BTreeMap<&str, _> = old.claims.iter().map(|x| (x.key.as_str(), x)).collect();
    for n in &new.claims {
        if let Some(o) = old_claims.get(n.key.as_str())
            && (o.statuses != n.statuses || o.grades != n.grades)
        {
            c.claims.push(ClaimChange {
                key: n.key.clone(),
                old_statuses: o.statuses.clone(),
                new_statuses: n.statuses.clone(),
                old_grades: o.grades.clone(),
                new_grades: n.grades.clone(),
            });
        }
    }
    let old_entities: BTreeSet<&str> = old.entities.iter().map(|e| e.slug.as_str()).collect();
    let new_entities: BTreeSet<&str> = new.entities.iter().map(|e| e.slug.as_str()).collect();
    c.entities_added = new
        .entities
        .iter()
        .filter(|e| !old_entities.contains(e.slug.as_str()))
        .cloned()
        .collect();
    c.entities_removed = old
        .entities
        .iter()
        .filter(|e| !new_entities.contains(e.slug.as_str()))
        .cloned()
        .collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::ClaimRecord;

    fn art(slug: &str, url: Option<&str>, text: &str) -> ArticleRecord {
        ArticleRecord {
            slug: slug.into(),
            url: url.map(str::to_string),
            seed_sha256: None,
            title: slug.to_uppercase(),
            date: None,
            text: text.into(),
        }
    }

    fn ann(article: &str, id: &str, note: &str, start: usize) -> AnnotationRecord {
        AnnotationRecord {
            article: article.into(),
            id: id.into(),
            quote: "q".into(),
            status: None,
            credibility: None,
            grade: None,
            note: note.into(),
            start,
            paragraph: start / 100,
            method: "exact".into(),
        }
    }

    #[test]
    fn no_change_is_no_change() {
        let e = Edition {
            articles: vec![art("a", Some("https://x.example/a"), "text")],
            annotations: vec![ann("a", "n1", "h", 0)],
            ..Edition::default()
        };
        assert!(compare(&e, &e).is_empty());
    }

    #[test]
    fn a_renamed_slug_with_the_same_url_is_one_changed_article() {
        let old = Edition {
            articles: vec![art("old-name", Some("https://x.example/a"), "text")],
            annotations: vec![ann("old-name", "n1", "h", 0)],
            ..Edition::default()
        };
        let new = Edition {
            articles: vec![art("new-name", Some("https://x.example/a"), "text")],
            annotations: vec![ann("new-name", "n1", "h", 0)],
            ..Edition::default()
        };
        let c = compare(&old, &new);
        assert!(c.articles_added.is_empty() && c.articles_removed.is_empty());
        assert_eq!(c.articles_changed.len(), 1);
        assert_eq!(c.articles_changed[0].old_slug.as_deref(), Some("old-name"));
        assert!(c.articles_changed[0].diff.is_empty());
        // the annotation followed its article
        assert!(c.annotations_added.is_empty() && c.annotations_removed.is_empty());
    }

    #[test]
    fn articles_without_url_match_by_slug() {
        let old = Edition {
            articles: vec![art("a", None, "one two"), art("gone", None, "x")],
            ..Edition::default()
        };
        let new = Edition {
            articles: vec![art("a", None, "one three"), art("fresh", None, "y")],
            ..Edition::default()
        };
        let c = compare(&old, &new);
        assert_eq!(c.articles_added[0].slug, "fresh");
        assert_eq!(c.articles_removed[0].slug, "gone");
        assert_eq!(c.articles_changed[0].article.slug, "a");
        assert_eq!(
            (
                c.articles_changed[0].deleted,
                c.articles_changed[0].inserted
            ),
            (1, 1)
        );
    }

    #[test]
    fn annotations_claims_and_entities_are_compared() {
        let mut old = Edition {
            articles: vec![art("a", None, "one two")],
            annotations: vec![ann("a", "kept", "h", 0), ann("a", "gone", "h", 0)],
            claims: vec![ClaimRecord {
                key: "c".into(),
                statuses: vec!["unverified".into()],
                grades: vec!["B3".into()],
            }],
            entities: vec![EntityRecord {
                slug: "x".into(),
                name: "X".into(),
            }],
        };
        old.annotations[0].status = Some("unverified".into());
        let mut new = old.clone();
        new.articles[0].text = "zero one two".into();
        new.annotations = vec![ann("a", "kept", "h2", 5), ann("a", "fresh", "h", 0)];
        new.annotations[0].status = Some("disputed".into());
        new.annotations[0].method = "approximate".into();
        new.claims[0].statuses = vec!["disputed".into()];
        new.entities.push(EntityRecord {
            slug: "y".into(),
            name: "Y".into(),
        });
        let c = compare(&old, &new);
        assert_eq!(c.annotations_added[0].id, "fresh");
        assert_eq!(c.annotations_removed[0].id, "gone");
        assert_eq!(
            c.annotations_edited[0].what,
            ["note", "status: unverified → disputed"]
        );
        assert_eq!(c.anchors[0].change, AnchorChange::Approximate);
        assert_eq!(c.claims[0].old_statuses, ["unverified"]);
        assert_eq!(c.claims[0].new_statuses, ["disputed"]);
        assert_eq!(c.entities_added[0].slug, "y");
        assert_eq!(c.count(), 7);
    }

    #[test]
    fn a_passage_that_moved_because_the_text_changed_is_listed() {
        let old = Edition {
            articles: vec![art("a", None, "one two")],
            annotations: vec![ann("a", "n", "h", 4)],
            ..Edition::default()
        };
        let mut new = old.clone();
        new.articles[0].text = "zero\n\none two".into();
        new.annotations[0].start = 6;
        new.annotations[0].paragraph = 1;
        let c = compare(&old, &new);
        assert_eq!(c.anchors[0].change, AnchorChange::Moved);
    }
}
