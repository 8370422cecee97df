//! What changed: `changes/` (the briefing as it stands against the latest
//! recorded edition), `editions/` (every edition, newest first) and
//! `editions/<name>/` (an edition against the one before), from
//! [`crate::editions::compare`]; and what an article page says when its
//! text changed since the first edition that held it.
//!
//! A public build compares what it shows: the editions without what it
//! holds back now ([`crate::editions::Edition::visible`]). Word
//! differences are `<del>` and `<ins>`, which the stylesheet strikes
//! through and underlines (not colour alone: the marks survive print and
//! dark mode).

use super::pages::{Common, Shared, common, output};
use super::{Output, PAGE_SIZE, Renderer};
use crate::assembled::Briefing;
use crate::diag::Problem;
use crate::editions::compare::{self, AnchorChange, Changes};
use crate::editions::diff::Block;
use crate::editions::{Edition, Recorded};
use crate::model::{SitePath, Slug};
use serde::Serialize;

/// How many changed articles a page shows with their word differences
/// (the others are listed by title).
pub const DIFFS_MAX: usize = 100;
/// How many items a page lists of each kind of change.
pub const LIST_MAX: usize = 500;

/// `changes/`.
pub fn path() -> SitePath {
    SitePath::section("changes")
}

/// `editions/`.
pub fn editions_path() -> SitePath {
    SitePath::section(crate::editions::DIR)
}

/// `editions/<name>/`.
pub fn edition_path(name: &str) -> SitePath {
    SitePath::new(format!("{}/{name}/index.html", crate::editions::DIR))
}

/// The anchor of an article's entry on a changes page.
pub fn anchor(slug: &str) -> String {
    format!("a-{slug}")
}

/// The briefing as it stands against the latest edition: the edition and
/// the changes (`None` without editions).
pub fn since_latest<'b>(b: &'b Briefing, shared: &Shared) -> Option<(&'b Recorded, Changes)> {
    let latest = b.editions.latest()?;
    let old = latest.edition.visible(&b.held);
    Some((
        latest,
        compare::compare_with_diffs(&old, &shared.edition(b), DIFFS_MAX),
    ))
}

/// Edition `i` against the one before (`None` for the first), with the
/// word differences of the first `diffs` changed articles.
fn edition_changes(b: &Briefing, i: usize, diffs: usize) -> Option<Changes> {
    let e = &b.editions.editions;
    let prev = e.get(i.checked_sub(1)?)?;
    let old = prev.edition.visible(&b.held);
    let new = e[i].edition.visible(&b.held);
    Some(compare::compare_with_diffs(&old, &new, diffs))
}

#[derive(Serialize)]
struct EditionRef {
    name: String,
    url: String,
}

fn edition_ref(r: &Recorded, at: &SitePath) -> EditionRef {
    EditionRef {
        name: r.name.clone(),
        url: edition_path(&r.name).relative_from(at),
    }
}

/// An article as a changes page names it: a link when it is in the
/// briefing now.
#[derive(Serialize)]
struct ArticleView {
    title: String,
    url: Option<String>,
    original: Option<String>,
    anchor: String,
}

#[derive(Serialize)]
struct ChangedView {
    article: ArticleView,
    old_slug: Option<String>,
    old_title: Option<String>,
    /// `None` past [`DIFFS_MAX`].
    diff: Option<Vec<Block>>,
    text_changed: bool,
    deleted: usize,
    inserted: usize,
    rescraped: bool,
}

#[derive(Serialize)]
struct AnnotationView {
    id: String,
    quote: String,
    article: String,
    url: Option<String>,
    what: Vec<String>,
    change: Option<&'static str>,
}

#[derive(Serialize)]
struct ClaimView {
    key: String,
    url: Option<String>,
    old: String,
    new: String,
}

#[derive(Serialize)]
struct EntityView {
    name: String,
    url: Option<String>,
}

/// Up to [`LIST_MAX`] items, and how many more there are.
#[derive(Serialize)]
struct Listed<T> {
    items: Vec<T>,
    more: usize,
}

fn listed<T, U>(v: Vec<T>, f: impl FnMut(T) -> U) -> Listed<U> {
    let more = v.len().saturating_sub(LIST_MAX);
    Listed {
        items: v.into_iter().take(LIST_MAX).map(f).collect(),
        more,
    }
}

#[derive(Serialize)]
struct ChangesView {
    count: usize,
    added: Listed<ArticleView>,
    removed: Listed<ArticleView>,
    changed: Listed<ChangedView>,
    annotations_added: Listed<AnnotationView>,
    annotations_removed: Listed<AnnotationView>,
    annotations_edited: Listed<AnnotationView>,
    anchors: Listed<AnnotationView>,
    claims: Listed<ClaimView>,
    entities_added: Listed<EntityView>,
    entities_removed: Listed<EntityView>,
}

fn view(b: &Briefing, c: Changes, at: &SitePath) -> ChangesView {
    let article_url = |slug: &str| {
        let s = Slug::parse(slug).ok()?;
        b.article(&s)
            .map(|_| SitePath::article(&s).relative_from(at))
    };
    let title_of = |slug: &str| {
        Slug::parse(slug)
            .ok()
            .and_then(|s| b.article(&s).map(|a| a.title.clone()))
            .unwrap_or_else(|| slug.to_string())
    };
    let article = |a: compare::ArticleRef| ArticleView {
        url: article_url(&a.slug),
        anchor: anchor(&a.slug),
        title: a.title,
        original: a.url,
    };
    let anns: std::collections::BTreeMap<(&str, &str), &crate::annotate::Annotation> = b
        .annotations
        .all()
        .iter()
        .map(|x| ((x.article.as_str(), x.id.as_str()), &**x))
        .collect();
    let annotation_url = |article: &str, id: &str| match anns.get(&(article, id)) {
        Some(a) => Some(a.url(at)),
        None => article_url(article),
    };
    let annotation =
        |a: compare::AnnotationRef, what: Vec<String>, change: Option<&'static str>| {
            AnnotationView {
                url: annotation_url(&a.article, &a.id),
                article: title_of(&a.article),
                id: a.id,
                quote: a.quote,
                what,
                change,
            }
        };
    let claim_keys: std::collections::BTreeSet<String> =
        b.annotations.claims().into_iter().map(|c| c.key).collect();
    let both = |s: &[String], g: &[String]| {
        let mut parts: Vec<String> = Vec::new();
        parts.push(if s.is_empty() {
            "no status".to_string()
        } else {
            s.join(", ")
        });
        if !g.is_empty() {
            parts.push(g.join(", "));
        }
        parts.join(" · ")
    };
    ChangesView {
        count: c.count(),
        added: listed(c.articles_added, article),
        removed: listed(c.articles_removed, |a| ArticleView {
            url: None,
            ..article(a)
        }),
        changed: listed(c.articles_changed, |x| ChangedView {
            article: article(x.article),
            old_slug: x.old_slug,
            old_title: x.old_title,
            diff: (!x.diff.is_empty()).then_some(x.diff),
            text_changed: x.text_changed,
            deleted: x.deleted,
            inserted: x.inserted,
            rescraped: x.rescraped,
        }),
        annotations_added: listed(c.annotations_added, |a| annotation(a, vec![], None)),
        annotations_removed: listed(c.annotations_removed, |a| AnnotationView {
            url: article_url(&a.article),
            ..annotation(a, vec![], None)
        }),
        annotations_edited: listed(c.annotations_edited, |e| {
            annotation(e.annotation, e.what, None)
        }),
        anchors: listed(c.anchors, |m| {
            let change = match m.change {
                AnchorChange::Moved => "moved",
                AnchorChange::Approximate => "approximate",
            };
            annotation(m.annotation, vec![], Some(change))
        }),
        claims: listed(c.claims, |x| ClaimView {
            url: claim_keys
                .contains(&x.key)
                .then(|| super::annotations::claim_path(&x.key).relative_from(at)),
            old: both(&x.old_statuses, &x.old_grades),
            new: both(&x.new_statuses, &x.new_grades),
            key: x.key,
        }),
        entities_added: listed(c.entities_added, |e| EntityView {
            url: Slug::parse(&e.slug)
                .ok()
                .filter(|s| b.links.registry.entities.iter().any(|x| &x.slug == s))
                .map(|s| SitePath::entity(&s).relative_from(at)),
            name: e.name,
        }),
        entities_removed: listed(c.entities_removed, |e| EntityView {
            name: e.name,
            url: None,
        }),
    }
}

#[derive(Serialize)]
struct Extent {
    articles: usize,
    annotations: usize,
}

#[derive(Serialize)]
struct Ctx {
    page: Common,
    /// `changes` (against the briefing now) or `edition`.
    kind: &'static str,
    /// The edition this page is about (an edition page).
    edition: Option<EditionRef>,
    /// The edition compared against.
    since: Option<EditionRef>,
    /// The next edition (an edition page).
    next: Option<EditionRef>,
    changes: Option<ChangesView>,
    /// What the first edition held (its page has nothing to compare).
    first: Option<Extent>,
    changes_url: String,
    editions_url: String,
    editions: usize,
}

/// `changes/`.
pub fn changes_page(b: &Briefing, r: &Renderer, shared: &Shared) -> Result<Output, Problem> {
    let at = path();
    let found = since_latest(b, shared);
    let ctx = Ctx {
        page: common(b, &at, "Changes"),
        kind: "changes",
        edition: None,
        since: found.as_ref().map(|(e, _)| edition_ref(e, &at)),
        next: None,
        first: None,
        changes: found.map(|(_, c)| view(b, c, &at)),
        changes_url: path().relative_from(&at),
        editions_url: editions_path().relative_from(&at),
        editions: b.editions.editions.len(),
    };
    Ok(output(at, r.page("changes.html", &ctx, PAGE_SIZE)?))
}

/// `editions/<name>/`: edition `i` against the one before.
pub fn edition_page(b: &Briefing, r: &Renderer, i: usize) -> Result<Output, Problem> {
    let all = &b.editions.editions;
    let e = &all[i];
    let at = edition_path(&e.name);
    let first = (i == 0).then(|| {
        let v = e.edition.visible(&b.held);
        Extent {
            articles: v.articles.len(),
            annotations: v.annotations.len(),
        }
    });
    let ctx = Ctx {
        page: common(b, &at, &format!("Edition {}", e.name)),
        kind: "edition",
        edition: Some(edition_ref(e, &at)),
        since: i.checked_sub(1).map(|p| edition_ref(&all[p], &at)),
        next: all.get(i + 1).map(|n| edition_ref(n, &at)),
        first,
        changes: edition_changes(b, i, DIFFS_MAX).map(|c| view(b, c, &at)),
        changes_url: path().relative_from(&at),
        editions_url: editions_path().relative_from(&at),
        editions: all.len(),
    };
    Ok(output(at, r.page("changes.html", &ctx, PAGE_SIZE)?))
}

/// What a build shows of one edition: its extent and its changes against
/// the one before (`None` for the first).
pub struct EditionSummary {
    pub name: String,
    pub articles: usize,
    pub annotations: usize,
    pub changes: Option<usize>,
}

/// Every edition, oldest first, as this build shows it.
pub fn edition_summaries(b: &Briefing) -> Vec<EditionSummary> {
    let all = &b.editions.editions;
    (0..all.len())
        .map(|i| {
            let v: std::borrow::Cow<Edition> = all[i].edition.visible(&b.held);
            EditionSummary {
                name: all[i].name.clone(),
                articles: v.articles.len(),
                annotations: v.annotations.len(),
                changes: edition_changes(b, i, 0).map(|c| c.count()),
            }
        })
        .collect()
}

/// `editions/`: every edition, newest first, with how much it changed.
pub fn editions_page(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Item {
        name: String,
        url: String,
        articles: usize,
        annotations: usize,
        /// The first edition (nothing to compare it with).
        first: bool,
        /// Changes against the one before.
        changes: usize,
    }
    #[derive(Serialize)]
    struct Ctx {
        page: Common,
        editions: Vec<Item>,
        changes_url: String,
    }
    let at = editions_path();
    let items = edition_summaries(b)
        .into_iter()
        .rev()
        .map(|e| Item {
            url: edition_path(&e.name).relative_from(&at),
            name: e.name,
            articles: e.articles,
            annotations: e.annotations,
            first: e.changes.is_none(),
            changes: e.changes.unwrap_or(0),
        })
        .collect();
    let ctx = Ctx {
        page: common(b, &at, "Editions"),
        editions: items,
        changes_url: path().relative_from(&at),
    };
    Ok(output(at, r.page("editions.html", &ctx, PAGE_SIZE)?))
}

/// What the index says about changes: how many since which edition, and
/// where they are listed.
#[derive(Serialize)]
pub struct IndexNote {
    pub count: usize,
    pub edition: String,
    pub url: String,
}

pub fn index_note(b: &Briefing, shared: &Shared, at: &SitePath) -> Option<IndexNote> {
    let (e, c) = since_latest(b, shared)?;
    Some(IndexNote {
        count: c.count(),
        edition: e.name.clone(),
        url: path().relative_from(at),
    })
}

/// An article page's "updated since first seen": the edition that first
/// held it, and the page showing the difference.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct UpdatedView {
    pub first_seen: String,
    pub url: String,
}

/// Whether the article's text differs from the earliest edition holding
/// it (same url, else slug), and where its versions are compared: the
/// first edition page showing a change, else `changes/`.
pub fn updated_since_first_seen(
    b: &Briefing,
    shared: &Shared,
    a: &crate::content::Article,
    at: &SitePath,
) -> Option<UpdatedView> {
    let h = &b.editions;
    let slug = a.slug.as_str();
    let (first, record) = h.first_seen(a.url.as_deref(), slug)?;
    let now = shared.edition_articles(b);
    let text = now.get(slug)?.text.clone();
    if *text == *record.text {
        return None;
    }
    let url = match h.first_change(first, a.url.as_deref(), slug) {
        Some((i, r)) => format!(
            "{}#{}",
            edition_path(&h.editions[i].name).relative_from(at),
            anchor(&r.slug)
        ),
        None => format!("{}#{}", path().relative_from(at), anchor(slug)),
    };
    Some(UpdatedView {
        first_seen: h.editions[first].name.clone(),
        url,
    })
}

/// The feed's entries, one per edition, newest first: (name, page URL
/// path, changes against the one before).
pub fn feed_entries(b: &Briefing) -> Vec<(String, SitePath, Option<usize>)> {
    let all = &b.editions.editions;
    (0..all.len())
        .rev()
        .map(|i| {
            (
                all[i].name.clone(),
                edition_path(&all[i].name),
                edition_changes(b, i, 0).map(|c| c.count()),
            )
        })
        .collect()
}

/// The date an edition's feed entry carries: its name when that is a date
/// (`2026-12-07…`), else the newest article date it holds.
pub fn edition_date(r: &Recorded) -> Option<jiff::civil::DateTime> {
    let name_date = r
        .name
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(|d| d.to_datetime(jiff::civil::Time::midnight()));
    name_date.or_else(|| {
        r.edition
            .articles
            .iter()
            .filter_map(|a| a.date.as_deref()?.parse::<jiff::civil::DateTime>().ok())
            .max()
    })
}
