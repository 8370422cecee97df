//! sources: where claims come from and how far they are trusted — the
//! outlet pages (`sources/`, `sources/<slug>/`), an article's outlet with
//! its reliability letter, a passage's grade (`B2`), the passages carrying
//! a claim in date order with what the claim rests on ("single source"),
//! the warnings `briefing check` gives about it, and each claim's
//! `ClaimReview` JSON-LD.

use super::pages::{ArticleCard, DateView, Shared, card, date_view, output};
use super::{Output, PAGE_SIZE, Renderer};
use crate::annotate::{Annotation, Claim, Status};
use crate::assembled::Briefing;
use crate::content::Article;
use crate::diag::{Problem, Problems};
use crate::link::outlets::{self, Grade, Outlet, Reliability, SourceId, Weight};
use crate::markdown;
use crate::model::{SitePath, Slug};
use serde::Serialize;

pub fn index_path() -> SitePath {
    SitePath::section("sources")
}

pub fn outlet_path(slug: &Slug) -> SitePath {
    SitePath::new(format!("sources/{slug}/index.html"))
}

/// The registered outlet an article is from.
pub fn outlet_of<'b>(b: &'b Briefing, a: &Article) -> Option<(usize, &'b Outlet)> {
    let i = b
        .outlets
        .match_article(a.outlet.as_deref(), a.url.as_deref())?;
    Some((i, &b.outlets.outlets[i]))
}

/// The reliability of an article's outlet (`None`: not registered).
fn reliability(b: &Briefing, a: Option<&Article>) -> Option<Reliability> {
    a.and_then(|a| outlet_of(b, a))
        .map(|(_, o)| o.entry.reliability)
}

/// A claim passage's grade ([`outlets::grade`]); `None` for a passage that
/// is no claim, or when there is nothing to grade it by.
pub fn grade_of(b: &Briefing, ann: &Annotation) -> Option<Grade> {
    if !ann.is_claim() {
        return None;
    }
    let rel = reliability(b, b.article(&ann.article));
    outlets::grade(b.outlets.present, rel, ann.cred)
}

/// An outlet as pages name it: its name with its reliability letter, and
/// its page when it is registered.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct OutletRef<'a> {
    pub name: &'a str,
    pub letter: &'static str,
    /// "usually reliable".
    pub meaning: &'static str,
    pub url: Option<String>,
}

/// An article's outlet as the page at `at` names it: only when the
/// briefing grades its outlets (`sources.yaml`); an outlet not in it is
/// `F` (its reliability cannot be judged).
pub fn outlet_ref<'a>(b: &'a Briefing, a: &'a Article, at: &SitePath) -> Option<OutletRef<'a>> {
    if !b.outlets.present {
        return None;
    }
    match outlet_of(b, a) {
        Some((_, o)) => Some(OutletRef {
            name: &o.entry.name,
            letter: o.entry.reliability.letter(),
            meaning: o.entry.reliability.meaning(),
            url: Some(outlet_path(&o.slug).relative_from(at)),
        }),
        None => a.outlet.as_deref().map(|name| OutletRef {
            name,
            letter: Reliability::F.letter(),
            meaning: Reliability::F.meaning(),
            url: None,
        }),
    }
}

/// One passage carrying a claim, with where it appeared.
pub struct Carrier<'a> {
    pub ann: &'a Annotation,
    pub article: Option<&'a Article>,
    pub reliability: Reliability,
    pub grade: Option<Grade>,
}

impl Carrier<'_> {
    /// When the passage appeared: its article's date, else its first
    /// publication.
    pub fn date(&self) -> Option<jiff::civil::DateTime> {
        self.article
            .and_then(|a| a.date.or(a.published.map(|p| p.time)))
    }
}

/// A claim with its passages in date order (undated last), the status it
/// has overall and what it rests on.
pub struct ClaimSources<'a> {
    pub key: String,
    pub passages: Vec<Carrier<'a>>,
    pub status: Status,
    /// `None` when the briefing does not grade its outlets.
    pub weight: Option<Weight>,
}

/// A claim's status overall: retracted by any passage, else disputed by
/// any, else corroborated by any, else unverified.
pub fn claim_status(statuses: impl IntoIterator<Item = Option<Status>>) -> Status {
    let all: Vec<Status> = statuses.into_iter().flatten().collect();
    [Status::Retracted, Status::Disputed, Status::Corroborated]
        .into_iter()
        .find(|s| all.contains(s))
        .unwrap_or(Status::Unverified)
}

pub fn claim_sources<'a>(b: &'a Briefing, c: &Claim<'a>) -> ClaimSources<'a> {
    let mut passages: Vec<Carrier<'a>> = c
        .passages
        .iter()
        .map(|ann| {
            let article = b.article(&ann.article);
            Carrier {
                ann,
                article,
                reliability: reliability(b, article).unwrap_or(Reliability::F),
                grade: grade_of(b, ann),
            }
        })
        .collect();
    // a stable sort: the same day keeps the passages' order
    passages.sort_by_key(|p| (p.date().is_none(), p.date()));
    let ids: Vec<(SourceId, Reliability)> = passages
        .iter()
        .map(|p| {
            let id = match p.article {
                Some(a) => SourceId::of(
                    outlet_of(b, a).map(|(i, _)| i),
                    a.outlet.as_deref(),
                    a.url.as_deref(),
                    &a.slug,
                ),
                None => SourceId::Article(p.ann.article.clone()),
            };
            (id, p.reliability)
        })
        .collect();
    ClaimSources {
        key: c.key.clone(),
        status: claim_status(passages.iter().map(|p| p.ann.status)),
        weight: b.outlets.present.then(|| outlets::weight(&ids)),
        passages,
    }
}

/// `briefing check`'s warnings: each claim resting on a single source or
/// on weak sources only, at its first passage's heading (a briefing
/// without `sources.yaml` has none).
pub fn sourcing_problems(b: &Briefing) -> Problems {
    let mut out = Problems::default();
    if !b.outlets.present {
        return out;
    }
    for c in b.annotations.claims() {
        let cs = claim_sources(b, &c);
        let Some(first) = cs.passages.first() else {
            continue;
        };
        let names: Vec<String> = {
            let mut v: Vec<String> = cs
                .passages
                .iter()
                .map(
                    |p| match p.article.and_then(|a| outlet_ref(b, a, &SitePath::index())) {
                        Some(o) => format!("{} ({})", o.name, o.letter),
                        None => format!("an unnamed outlet ({})", p.ann.article),
                    },
                )
                .collect();
            v.dedup();
            v
        };
        let (message, help) = match cs.weight {
            Some(Weight::Single) => (
                format!(
                    "claim `{}` rests on a single source: {}",
                    cs.key,
                    names.join(", ")
                ),
                "find another outlet carrying it and tie its passage in with the same `claim=`",
            ),
            Some(Weight::Weak) => (
                format!(
                    "claim `{}` rests on weak sources only (graded D or worse): {}",
                    cs.key,
                    names.join(", ")
                ),
                "find an outlet graded A, B or C carrying it, or say in the note why it stands",
            ),
            _ => continue,
        };
        let a = first.ann;
        let mut p = Problem::file(a.file.clone(), message)
            .with_help(help)
            .warning();
        (p.line, p.column) = (a.line, a.column);
        out.push(p);
    }
    out
}

/// A passage as the claims pages list it: where and when it appeared.
#[derive(Serialize)]
pub struct Appearance<'a> {
    pub outlet: Option<OutletRef<'a>>,
    pub date: Option<DateView>,
}

pub fn appearance<'a>(b: &'a Briefing, p: &Carrier<'a>, at: &SitePath) -> Appearance<'a> {
    Appearance {
        outlet: p.article.and_then(|a| outlet_ref(b, a, at)),
        date: p.date().as_ref().map(date_view),
    }
}

/// The rating a status is given in a `ClaimReview` (1 worst, 5 best).
fn rating(s: Status) -> u8 {
    match s {
        Status::Retracted => 1,
        Status::Disputed => 2,
        Status::Unverified => 3,
        Status::Corroborated => 5,
    }
}

/// A claim's schema.org `ClaimReview`, for a `<script
/// type="application/ld+json">` block on its page (`page_url`, absolute):
/// the claim is its earliest passage, the rating its status (1 retracted,
/// 2 disputed, 3 unverified, 5 corroborated; the word as `alternateName`),
/// each passage an appearance (the original's URL when the article has one,
/// else its page here) and the author `briefing.toml`'s `author` (else the
/// site's title).
pub fn claim_review(b: &Briefing, cs: &ClaimSources, page_url: &str) -> String {
    use serde_json::{Value, json};
    let author = if b.config.author.trim().is_empty() {
        b.config.title.as_str()
    } else {
        b.config.author.trim()
    };
    let appearances: Vec<Value> = cs
        .passages
        .iter()
        .map(|p| {
            let mut w = serde_json::Map::new();
            w.insert("@type".into(), json!("CreativeWork"));
            let url = match p.article.and_then(|a| a.url.as_deref()) {
                Some(u) => u.to_string(),
                None => b.config.absolute(&SitePath::article(&p.ann.article)),
            };
            w.insert("url".into(), json!(url));
            if let Some(a) = p.article {
                w.insert("headline".into(), json!(a.title));
                let name = outlet_of(b, a)
                    .map(|(_, o)| o.entry.name.as_str())
                    .or(a.outlet.as_deref());
                if let Some(n) = name {
                    w.insert(
                        "publisher".into(),
                        json!({"@type": "Organization", "name": n}),
                    );
                }
            }
            if let Some(d) = p.date() {
                w.insert("datePublished".into(), json!(crate::content::civil_iso(&d)));
            }
            Value::Object(w)
        })
        .collect();
    let mut claim = serde_json::Map::new();
    claim.insert("@type".into(), json!("Claim"));
    if let Some(first) = appearances.first() {
        claim.insert("firstAppearance".into(), first.clone());
        if let Some(d) = first.get("datePublished") {
            claim.insert("datePublished".into(), d.clone());
        }
        if let Some(p) = first.get("publisher") {
            claim.insert("author".into(), p.clone());
        }
    }
    claim.insert("appearance".into(), Value::Array(appearances));
    let mut doc = serde_json::Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert("@type".into(), json!("ClaimReview"));
    doc.insert("url".into(), json!(page_url));
    let reviewed = cs
        .passages
        .first()
        .map_or(cs.key.as_str(), |p| &p.ann.quote);
    doc.insert("claimReviewed".into(), json!(reviewed));
    doc.insert(
        "author".into(),
        json!({"@type": "Organization", "name": author, "url": b.config.base_url}),
    );
    if let Some(d) = cs.passages.iter().filter_map(Carrier::date).max() {
        doc.insert(
            "datePublished".into(),
            json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
        );
    }
    doc.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": rating(cs.status),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": cs.status.as_str(),
        }),
    );
    doc.insert("itemReviewed".into(), Value::Object(claim));
    super::provenance::script_json(&Value::Object(doc))
}

/// How an outlet's claims stand.
#[derive(Serialize, Default, Clone, Copy)]
struct Tally {
    claims: usize,
    corroborated: usize,
    disputed: usize,
    unverified: usize,
    retracted: usize,
    single: usize,
}

/// A claim an outlet carries, on its page.
#[derive(Serialize)]
struct CarriedClaim {
    title: String,
    url: String,
    status: &'static str,
    weight: &'static str,
    weight_class: &'static str,
    /// Its passages from this outlet: grade and article.
    passages: Vec<CarriedPassage>,
}

#[derive(Serialize)]
struct CarriedPassage {
    grade: Option<String>,
    grade_letter: &'static str,
    grade_meaning: Option<String>,
    article_title: String,
    url: String,
}

/// Each claim with its passages in date order, and the registered
/// outlet (index) of each passage's article, worked out once per page.
fn all_claims(b: &Briefing) -> Vec<(ClaimSources<'_>, Vec<Option<usize>>)> {
    b.annotations
        .claims()
        .iter()
        .map(|c| {
            let cs = claim_sources(b, c);
            let outlets = cs
                .passages
                .iter()
                .map(|p| p.article.and_then(|a| outlet_of(b, a)).map(|(j, _)| j))
                .collect();
            (cs, outlets)
        })
        .collect()
}

impl Tally {
    fn count(&mut self, cs: &ClaimSources) {
        self.claims += 1;
        match cs.status {
            Status::Corroborated => self.corroborated += 1,
            Status::Disputed => self.disputed += 1,
            Status::Unverified => self.unverified += 1,
            Status::Retracted => self.retracted += 1,
        }
        if cs.weight == Some(Weight::Single) {
            self.single += 1;
        }
    }
}

/// The claims an outlet (by registry index) carries, and their tally.
fn carried(b: &Briefing, i: usize, at: &SitePath) -> (Vec<CarriedClaim>, Tally) {
    let mut out = Vec::new();
    let mut t = Tally::default();
    for (cs, outlets) in all_claims(b) {
        let mine: Vec<&Carrier> = cs
            .passages
            .iter()
            .zip(&outlets)
            .filter(|(_, o)| **o == Some(i))
            .map(|(p, _)| p)
            .collect();
        if mine.is_empty() {
            continue;
        }
        t.count(&cs);
        out.push(CarriedClaim {
            title: super::annotations::claim_title_of(&cs),
            url: super::annotations::claim_path(&cs.key).relative_from(at),
            status: cs.status.as_str(),
            weight: cs.weight.map_or("", Weight::label),
            weight_class: cs.weight.map_or("", Weight::class),
            passages: mine
                .iter()
                .map(|p| CarriedPassage {
                    grade: p.grade.map(|g| g.to_string()),
                    grade_letter: p.grade.map_or("", |g| g.reliability.letter()),
                    grade_meaning: p.grade.map(|g| g.meaning()),
                    article_title: p
                        .article
                        .map_or_else(|| p.ann.article.to_string(), |a| a.title.clone()),
                    url: format!(
                        "{}#a-{}",
                        SitePath::article(&p.ann.article).relative_from(at),
                        p.ann.id
                    ),
                })
                .collect(),
        });
    }
    (out, t)
}

/// An outlet on the index page.
#[derive(Serialize)]
struct OutletRow<'a> {
    name: &'a str,
    url: String,
    letter: &'static str,
    meaning: &'static str,
    labels: &'a [String],
    articles: usize,
    #[serde(flatten)]
    tally: Tally,
}

/// The articles of each outlet (by registry index), in briefing order.
fn articles_by_outlet(b: &Briefing) -> Vec<Vec<&Article>> {
    let mut by = vec![Vec::new(); b.outlets.outlets.len()];
    for a in &b.articles {
        if let Some((i, _)) = outlet_of(b, a) {
            by[i].push(a);
        }
    }
    by
}

/// One step of the reliability scale.
#[derive(Serialize)]
struct Scale {
    letter: &'static str,
    meaning: &'static str,
}

/// `sources/`: every registered outlet with its grade and how its claims
/// stand.
pub fn index(b: &Briefing, r: &Renderer, shared: &Shared) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: tera::Value,
        outlets: Vec<OutletRow<'a>>,
        claims_url: String,
        scale: Vec<Scale>,
        unregistered: usize,
    }
    let at = index_path();
    let by = articles_by_outlet(b);
    // every outlet's tally in one pass over the claims
    let mut tallies = vec![Tally::default(); b.outlets.outlets.len()];
    for (cs, outlets) in all_claims(b) {
        let mut mine: Vec<usize> = outlets.into_iter().flatten().collect();
        mine.sort_unstable();
        mine.dedup();
        for i in mine {
            tallies[i].count(&cs);
        }
    }
    let outlets = b
        .outlets
        .outlets
        .iter()
        .enumerate()
        .map(|(i, o)| OutletRow {
            name: &o.entry.name,
            url: outlet_path(&o.slug).relative_from(&at),
            letter: o.entry.reliability.letter(),
            meaning: o.entry.reliability.meaning(),
            labels: &o.entry.labels,
            articles: by[i].len(),
            tally: tallies[i],
        })
        .collect();
    let ctx = Ctx {
        page: shared.page(b, &at, "Sources"),
        outlets,
        claims_url: super::annotations::claims_path().relative_from(&at),
        scale: Reliability::ALL
            .iter()
            .map(|r| Scale {
                letter: r.letter(),
                meaning: r.meaning(),
            })
            .collect(),
        unregistered: b.articles.len() - by.iter().map(Vec::len).sum::<usize>(),
    };
    Ok(output(at, r.page("outlets.html", &ctx, PAGE_SIZE)?))
}

/// `sources/<slug>/`: one outlet — its grade and description, its
/// articles, the claims it carries with their status, and how often they
/// were corroborated or disputed.
pub fn outlet(b: &Briefing, r: &Renderer, shared: &Shared, i: usize) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: tera::Value,
        name: &'a str,
        letter: &'static str,
        meaning: &'static str,
        labels: &'a [String],
        domains: &'a [String],
        aliases: &'a [String],
        description_html: String,
        articles: Vec<ArticleCard<'a>>,
        claims: Vec<CarriedClaim>,
        tally: Tally,
        index_url: String,
    }
    let o = &b.outlets.outlets[i];
    let at = outlet_path(&o.slug);
    let (claims, tally) = carried(b, i, &at);
    let articles: Vec<ArticleCard> = articles_by_outlet(b)
        .swap_remove(i)
        .into_iter()
        .map(|a| card(a, &at))
        .collect();
    let ctx = Ctx {
        page: shared.page(
            b,
            &at,
            &format!("{} ({})", o.entry.name, o.entry.reliability.letter()),
        ),
        name: &o.entry.name,
        letter: o.entry.reliability.letter(),
        meaning: o.entry.reliability.meaning(),
        labels: &o.entry.labels,
        domains: &o.entry.domains,
        aliases: &o.entry.aliases,
        description_html: markdown::render_typographic(&o.entry.description),
        articles,
        claims,
        tally,
        index_url: index_path().relative_from(&at),
    };
    let size = PAGE_SIZE + ctx.articles.len() * 600 + ctx.claims.len() * 600;
    Ok(output(at, r.page("outlet.html", &ctx, size)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claims_status_is_its_most_serious_passages() {
        use Status::*;
        assert_eq!(claim_status([None, None]), Unverified);
        assert_eq!(claim_status([Some(Corroborated), None]), Corroborated);
        assert_eq!(claim_status([Some(Corroborated), Some(Disputed)]), Disputed);
        assert_eq!(
            claim_status([Some(Disputed), Some(Retracted), Some(Corroborated)]),
            Retracted
        );
        assert_eq!(rating(Corroborated), 5);
        assert_eq!(rating(Retracted), 1);
    }
}
