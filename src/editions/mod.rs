//! Editions: what the briefing held when the analyst recorded it
//! (`briefing edition NAME`, one file `editions/<NAME>.json.gz` each), and
//! what changed between two of them. Pure: [`record`] takes the assembled
//! parts of a briefing, [`codec`] turns an edition into bytes and back,
//! [`compare`] finds the changes; `project` reads the files and `cli`
//! writes them.
//!
//! An edition holds what a comparison needs and nothing else: per article
//! its slug, url, seed hash, title, date and plain text; per annotation its
//! article, id, quote, status, credibility, grade, a hash of its note and
//! where it anchored; per claim its statuses and grades; the entities. No
//! recording time, path or random id: the same briefing recorded under two
//! names gives the same bytes.

pub mod codec;
pub mod compare;
pub mod diff;

use crate::annotate::Annotations;
use crate::content::Article;
use crate::link::Registry;
use crate::link::outlets::Outlets;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The project's folder of editions.
pub const DIR: &str = "editions";

/// One recorded edition. Every list is sorted (articles by slug,
/// annotations by article and id, claims by key, entities by slug), so
/// equal briefings give equal editions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub articles: Vec<ArticleRecord>,
    pub annotations: Vec<AnnotationRecord>,
    pub claims: Vec<ClaimRecord>,
    pub entities: Vec<EntityRecord>,
}

/// What an edition keeps of an article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub slug: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_sha256: Option<String>,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM:SS`, the date the page prints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The body's plain text (paragraphs separated by a blank line), the
    /// text annotations anchor in. (Shared: the editions of a history hold
    /// each distinct text once, see [`History::new`].)
    pub text: std::sync::Arc<str>,
}

/// What an edition keeps of an annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationRecord {
    /// The article's slug.
    pub article: String,
    pub id: String,
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `cred=`, 1–6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<u8>,
    /// A claim passage's grade (`B2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The first 16 hex digits of the BLAKE3 hash of the note's Markdown.
    pub note: String,
    /// Where the passage anchored: byte offset in the article's text.
    pub start: usize,
    /// The paragraph (plain-text block, from 0) it starts in.
    #[serde(default)]
    pub paragraph: usize,
    /// How it anchored: `exact`, `normalized` or `approximate`.
    pub method: String,
}

/// What an edition keeps of a claim (`.claim` passages by `claim=` key).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRecord {
    pub key: String,
    /// The statuses its passages give, sorted, each once.
    pub statuses: Vec<String>,
    /// Its passages' grades, sorted, each once.
    pub grades: Vec<String>,
}

/// An entity of the registry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub slug: String,
    pub name: String,
}

/// A recorded edition with its name (its file's name without
/// [`codec::EXTENSION`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub name: String,
    /// The file, project-relative (`editions/2026-12-07.json.gz`).
    pub file: String,
    pub edition: Edition,
    /// BLAKE3 of the file's bytes: what the live preview compares.
    pub digest: [u8; 32],
}

/// Every recorded edition, oldest first (by name: names sort as the
/// editions were issued — dates do), with each edition's articles indexed
/// by url and slug.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub editions: Vec<Recorded>,
    index: Vec<Lookup>,
}

/// Article texts seen so far: an edition passed through
/// [`Texts::share`] points at the texts an earlier one holds instead of
/// keeping copies (`project` shares each edition as soon as it is read,
/// so that reading many editions holds each distinct text once).
#[derive(Default)]
pub struct Texts(std::collections::HashSet<std::sync::Arc<str>>);

impl Texts {
    pub fn share(&mut self, e: &mut Edition) {
        for a in &mut e.articles {
            match self.0.get(&*a.text) {
                Some(t) => a.text = t.clone(),
                None => {
                    self.0.insert(a.text.clone());
                }
            }
        }
    }
}

/// An edition's articles by url and by slug (positions in its list).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Lookup {
    by_url: BTreeMap<String, usize>,
    by_slug: BTreeMap<String, usize>,
}

impl History {
    /// The editions, sorted by name (see [`order`]), each distinct
    /// article text held once however many editions hold it (most
    /// articles do not change from one edition to the next).
    pub fn new(mut editions: Vec<Recorded>) -> History {
        editions.sort_by(|a, b| order(&a.name, &b.name));
        let mut texts = Texts::default();
        for r in &mut editions {
            texts.share(&mut r.edition);
        }
        let index = editions
            .iter()
            .map(|r| {
                let mut l = Lookup::default();
                for (i, a) in r.edition.articles.iter().enumerate() {
                    if let Some(u) = &a.url {
                        l.by_url.entry(u.clone()).or_insert(i);
                    }
                    l.by_slug.insert(a.slug.clone(), i);
                }
                l
            })
            .collect();
        History { editions, index }
    }

    /// The newest edition.
    pub fn latest(&self) -> Option<&Recorded> {
        self.editions.last()
    }

    /// Edition `i`'s record of the article with this url, else this slug.
    pub fn find(&self, i: usize, url: Option<&str>, slug: &str) -> Option<&ArticleRecord> {
        let l = self.index.get(i)?;
        let at = url
            .and_then(|u| l.by_url.get(u))
            .or_else(|| l.by_slug.get(slug))?;
        self.editions[i].edition.articles.get(*at)
    }

    /// The earliest edition holding the article (by url, else slug), and
    /// that edition's record of it.
    pub fn first_seen(&self, url: Option<&str>, slug: &str) -> Option<(usize, &ArticleRecord)> {
        (0..self.editions.len()).find_map(|i| Some((i, self.find(i, url, slug)?)))
    }

    /// Where the article's text first changed after edition `since`: the
    /// first later edition whose record of it differs from the one before
    /// (its page, `editions/<name>/`, shows the difference), with its
    /// record there; `None` when no recorded edition shows a change.
    pub fn first_change(
        &self,
        since: usize,
        url: Option<&str>,
        slug: &str,
    ) -> Option<(usize, &ArticleRecord)> {
        let mut prev = self.find(since, url, slug)?;
        for i in since + 1..self.editions.len() {
            if let Some(r) = self.find(i, url, slug) {
                if r.text != prev.text {
                    return Some((i, r));
                }
                prev = r;
            }
        }
        None
    }
}

impl Edition {
    /// The edition without what a public build holds back now: held
    /// articles (by slug) and their annotations, held annotations, and the
    /// paragraphs holding the text of a held block (a passage marked
    /// `internal` since). (An edition is recorded as a public build sees
    /// it; something held back since must not come back through it.)
    pub fn visible(&self, held: &crate::holdback::HeldBack) -> std::borrow::Cow<'_, Edition> {
        use std::borrow::Cow;
        if held.articles.is_empty() && held.annotations.is_empty() && held.items.is_empty() {
            return Cow::Borrowed(self);
        }
        let article_held = |slug: &str| {
            crate::model::Slug::parse(slug).is_ok_and(|s| held.articles.contains_key(&s))
        };
        let annotation_held = |a: &AnnotationRecord| {
            article_held(&a.article)
                || crate::model::Slug::parse(&a.article)
                    .is_ok_and(|s| held.annotations.contains(&(s, a.id.clone())))
        };
        let needles: Vec<&str> = held
            .items
            .iter()
            .flat_map(|i| &i.text)
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
            .collect();
        let finder = (!needles.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(&needles).ok())
            .flatten();
        let holds_held_text = |text: &str| finder.as_ref().is_some_and(|f| f.find(text).is_some());
        if !self
            .articles
            .iter()
            .any(|a| article_held(&a.slug) || holds_held_text(&a.text))
            && !self.annotations.iter().any(annotation_held)
        {
            return Cow::Borrowed(self);
        }
        Cow::Owned(Edition {
            articles: self
                .articles
                .iter()
                .filter(|a| !article_held(&a.slug))
                .map(|a| {
                    if !holds_held_text(&a.text) {
                        return a.clone();
                    }
                    let text: Vec<&str> = a
                        .text
                        .split("\n\n")
                        .filter(|p| !holds_held_text(p))
                        .collect();
                    ArticleRecord {
                        text: text.join("\n\n").into(),
                        ..a.clone()
                    }
                })
                .collect(),
            annotations: self
                .annotations
                .iter()
                .filter(|a| !annotation_held(a))
                .cloned()
                .collect(),
            claims: self.claims.clone(),
            entities: self.entities.clone(),
        })
    }
}

/// The order of editions: by name, runs of digits compared as numbers
/// (`issue-9` before `issue-10`; ISO dates sort either way).
pub fn order(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o.is_ne() {
            return o;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

/// Longest edition name.
pub const NAME_MAX: usize = 64;

/// Whether `name` may name an edition: 1–64 ASCII letters, digits, `-`,
/// `_` and `.`, starting with a letter or digit (it becomes a file name
/// and a page's URL). The error says what is wrong.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > NAME_MAX {
        return Err(format!(
            "an edition's name has 1 to {NAME_MAX} characters (`{}` has {})",
            crate::diag::fit(name, 80),
            name.len()
        ));
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Err(format!(
            "an edition's name starts with a letter or a digit, not `{}`",
            name.chars().next().unwrap_or(' ')
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "an edition's name holds only ASCII letters, digits, `-`, `_` and `.`, not `{c}`"
        ));
    }
    if name.ends_with('.') || name.contains("..") {
        return Err(format!("`{name}` is no good file name for an edition"));
    }
    Ok(())
}

/// The note hash kept in an edition.
pub fn note_hash(note_md: &str) -> String {
    let h = blake3::hash(note_md.trim().as_bytes());
    h.to_hex()[..16].to_string()
}

/// The articles of a briefing as an edition records them, sorted by
/// slug, with where each one's paragraphs start (the costly part of
/// recording: every article's plain text).
#[derive(Clone, Debug, Default)]
pub struct ArticleRecords {
    pub records: Vec<ArticleRecord>,
    /// The plain-text offsets where each record's paragraphs start.
    starts: Vec<Vec<usize>>,
}

impl ArticleRecords {
    /// The record of the article with this slug.
    pub fn get(&self, slug: &str) -> Option<&ArticleRecord> {
        let i = self
            .records
            .binary_search_by(|r| r.slug.as_str().cmp(slug))
            .ok()?;
        self.records.get(i)
    }

    /// The paragraph (from 0) of the article `slug` holding offset `at`.
    fn paragraph(&self, slug: &str, at: usize) -> usize {
        self.records
            .binary_search_by(|r| r.slug.as_str().cmp(slug))
            .ok()
            .map_or(0, |i| {
                self.starts[i]
                    .partition_point(|&b| b <= at)
                    .saturating_sub(1)
            })
    }
}

/// The articles as an edition records them.
pub fn record_articles(articles: &[Article]) -> ArticleRecords {
    use rayon::prelude::*;
    let mut both: Vec<(ArticleRecord, Vec<usize>)> = articles
        .par_iter()
        .with_min_len(64)
        .map(|a| {
            let plain = crate::markdown::plain_text(a.body());
            let starts = plain.blocks.iter().map(|b| b.start).collect();
            let record = ArticleRecord {
                slug: a.slug.to_string(),
                url: a.url.clone(),
                seed_sha256: a.seed_sha256.clone(),
                title: a.title.clone(),
                date: a
                    .date
                    .as_ref()
                    .map(|d| d.strftime("%Y-%m-%dT%H:%M:%S").to_string()),
                text: plain.text.into(),
            };
            (record, starts)
        })
        .collect();
    both.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
    let (records, starts) = both.into_iter().unzip();
    ArticleRecords { records, starts }
}

/// The edition of a briefing: its articles (as the build saw them: a
/// public build's held articles and internal blocks are already out),
/// anchored annotations, outlet registry (for the grades) and entity
/// registry.
pub fn record(
    articles: &[Article],
    annotations: &Annotations,
    outlets: &Outlets,
    registry: &Registry,
) -> Edition {
    record_with(
        &record_articles(articles),
        articles,
        annotations,
        outlets,
        registry,
    )
}

/// [`record`] with the articles' records already made
/// ([`record_articles`] of the same articles).
pub fn record_with(
    records: &ArticleRecords,
    articles: &[Article],
    annotations: &Annotations,
    outlets: &Outlets,
    registry: &Registry,
) -> Edition {
    let arts = records.records.clone();
    let paragraph = |slug: &crate::model::Slug, at: usize| records.paragraph(slug.as_str(), at);
    let by_slug: std::collections::BTreeMap<&crate::model::Slug, &Article> =
        articles.iter().map(|a| (&a.slug, a)).collect();
    let grade = |ann: &crate::annotate::Annotation| -> Option<String> {
        if !ann.is_claim() {
            return None;
        }
        // (as `render::sources::grade_of` grades a passage)
        let reliability = by_slug.get(&ann.article).and_then(|a| {
            outlets
                .match_article(a.outlet.as_deref(), a.url.as_deref())
                .map(|i| outlets.outlets[i].entry.reliability)
        });
        crate::link::outlets::grade(outlets.present, reliability, ann.cred).map(|g| g.to_string())
    };
    let mut anns: Vec<AnnotationRecord> = annotations
        .all()
        .iter()
        .map(|a| AnnotationRecord {
            article: a.article.to_string(),
            id: a.id.clone(),
            quote: a.quote.clone(),
            status: a.status.map(|s| s.as_str().to_string()),
            credibility: a.cred.map(|c| c.digit()),
            grade: grade(a),
            note: note_hash(a.note_md()),
            start: a.range.start,
            paragraph: paragraph(&a.article, a.range.start),
            method: method_name(&a.method).to_string(),
        })
        .collect();
    anns.sort_by(|a, b| (&a.article, &a.id).cmp(&(&b.article, &b.id)));
    let claims = annotations
        .claims()
        .into_iter()
        .map(|c| {
            let mut grades: Vec<String> = c.passages.iter().filter_map(|a| grade(a)).collect();
            grades.sort();
            grades.dedup();
            ClaimRecord {
                statuses: c.statuses().into_iter().map(str::to_string).collect(),
                grades,
                key: c.key,
            }
        })
        .collect();
    let mut entities: Vec<EntityRecord> = registry
        .entities
        .iter()
        .map(|e| EntityRecord {
            slug: e.slug.to_string(),
            name: e.entry.name.clone(),
        })
        .collect();
    entities.sort_by(|a, b| a.slug.cmp(&b.slug));
    Edition {
        articles: arts,
        annotations: anns,
        claims,
        entities,
    }
}

fn method_name(m: &crate::annotate::anchor::Method) -> &'static str {
    use crate::annotate::anchor::Method;
    match m {
        Method::Exact => "exact",
        Method::Normalized => "normalized",
        Method::Approximate => "approximate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_with_numbers_as_numbers() {
        let mut v = vec!["issue-10", "issue-9", "2026-12-07", "2026-11-30", "b", "a"];
        v.sort_by(|a, b| order(a, b));
        assert_eq!(
            v,
            ["2026-11-30", "2026-12-07", "a", "b", "issue-9", "issue-10"]
        );
    }

    #[test]
    fn a_history_holds_each_text_once() {
        let rec = |name: &str, text: &str| Recorded {
            name: name.into(),
            file: format!("editions/{name}.json.gz"),
            edition: Edition {
                articles: vec![ArticleRecord {
                    slug: "a".into(),
                    text: text.into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            digest: [0; 32],
        };
        let h = History::new(vec![rec("3", "same"), rec("1", "same"), rec("2", "other")]);
        let names: Vec<&str> = h.editions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["1", "2", "3"]);
        let text = |i: usize| &h.editions[i].edition.articles[0].text;
        assert!(std::sync::Arc::ptr_eq(text(0), text(2)));
        assert_eq!(h.first_seen(None, "a").unwrap().0, 0);
        assert_eq!(h.first_change(0, None, "a").unwrap().0, 1);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("2026-12-07").is_ok());
        assert!(check_name("monday_am.2").is_ok());
        for bad in ["", ".hidden", "a/b", "a..b", "x.", "é", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
