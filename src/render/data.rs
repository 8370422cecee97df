//! data: `data/briefing.json`, the briefing as data — articles with
//! their provenance, annotations with their anchors and tags, claims with
//! their statuses, entities with the articles naming them — and its JSON
//! Schema, `data/briefing.schema.json` (the file `schemas/briefing.schema.json`
//! of this repository).
//!
//! It is made from the assembled [`Briefing`], so it obeys the publishing
//! profile as every page does: a public build's briefing holds nothing
//! held back, and the file goes through the leak check with the rest of
//! the output. The layout is versioned ([`VERSION`]): a change that
//! removes or retypes a field is a new version.

use super::Output;
use crate::assembled::Briefing;
use crate::model::SitePath;
use serde::{Serialize, Serializer};

/// Where it is in the site.
pub const PATH: &str = "data/briefing.json";
/// Where its schema is.
pub const SCHEMA_PATH: &str = "data/briefing.schema.json";
/// The layout's version.
pub const VERSION: u32 = 1;
/// The schema (kept in the repository, validated against in the tests).
pub const SCHEMA: &str = include_str!("../../schemas/briefing.schema.json");

/// The whole file. Its long lists are [`Seq`]s, made as they are
/// written: at 10,000 articles the file is 46 MB, and its lists held whole
/// beside it were a fifth of the build's peak memory.
#[derive(Serialize)]
struct Data<'a, Ar, An, Cl, En> {
    schema: &'static str,
    version: u32,
    generator: &'static str,
    title: &'a str,
    language: &'a str,
    base_url: &'a str,
    profile: &'static str,
    articles: Ar,
    annotations: An,
    claims: Cl,
    entities: En,
    editions: Vec<EditionData>,
}

/// A JSON array written item by item as `make()` yields them, never held
/// whole.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// A recorded edition (`editions/`): what it holds as this build shows it
/// and how many changes it has against the one before.
#[derive(Serialize)]
struct EditionData {
    name: String,
    page: String,
    articles: usize,
    annotations: usize,
    /// `None` for the first edition.
    changes: Option<usize>,
}

#[derive(Serialize)]
struct ArticleData<'a> {
    slug: &'a str,
    title: &'a str,
    /// Its page on the published site.
    page: String,
    url: Option<&'a str>,
    outlet: Option<&'a str>,
    date: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    byline: Option<&'a str>,
    source: Option<&'a str>,
    seed_sha256: Option<&'a str>,
    summary: &'a str,
    tags: &'a [String],
    /// In an internal build, why a public one would leave it out.
    held: Option<Held>,
}

#[derive(Serialize)]
struct Held {
    kind: &'static str,
    until: Option<String>,
}

#[derive(Serialize)]
struct Anchor<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    /// The passage as the article reads now.
    found: &'a str,
    method: crate::annotate::Method,
    score: f64,
    occurrence: Option<usize>,
}

#[derive(Serialize)]
struct AnnotationData<'a> {
    id: &'a str,
    article: &'a str,
    page: String,
    quote: &'a str,
    anchor: Anchor<'a>,
    tags: &'a [String],
    status: Option<&'static str>,
    claim: Option<&'a str>,
    date: Option<String>,
    note: String,
    origin: Option<&'a str>,
}

#[derive(Serialize)]
struct Passage<'a> {
    article: &'a str,
    id: &'a str,
    status: Option<&'static str>,
    /// Its outlet's reliability and its `cred=` (`B2`), when the briefing
    /// grades its sources (`sources.yaml`) or the passage has a `cred=`.
    grade: Option<String>,
}

#[derive(Serialize)]
struct ClaimData<'a> {
    key: String,
    /// The statuses its passages give, sorted, once each.
    statuses: Vec<&'static str>,
    /// The strongest grade among its passages (`B2` before `C1`), when
    /// any is graded.
    grade: Option<String>,
    passages: Vec<Passage<'a>>,
}

#[derive(Serialize)]
struct Mention<'a> {
    article: &'a str,
    mentions: usize,
}

#[derive(Serialize)]
struct EntityData<'a, M> {
    slug: &'a str,
    name: &'a str,
    kind: &'static str,
    aliases: &'a [String],
    page: String,
    mentions: usize,
    articles: M,
}

/// A note as data: blank lines left where a public build blanked
/// internal text run together.
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.trim().lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    out
}

/// The annotations, with their anchors, as they are written.
fn annotations(b: &Briefing) -> impl Iterator<Item = AnnotationData<'_>> {
    // the page of the article of the annotation before (they come by article)
    let mut last: Option<(&crate::model::Slug, String)> = None;
    b.annotations.all().iter().map(move |a| {
        if last.as_ref().is_none_or(|(s, _)| **s != a.article) {
            last = Some((
                &a.article,
                b.config.absolute(&SitePath::article(&a.article)),
            ));
        }
        let page = &last.as_ref().expect("just set").1;
        AnnotationData {
            id: &a.id,
            article: a.article.as_str(),
            page: format!("{page}#a-{}", a.id),
            quote: &a.quote,
            anchor: Anchor {
                exact: &a.quote,
                prefix: &a.prefix,
                suffix: &a.suffix,
                found: &a.found,
                method: a.method,
                score: a.score,
                occurrence: a.occurrence,
            },
            tags: &a.tags,
            status: a.status.map(|s| s.as_str()),
            claim: a.claim.as_deref(),
            date: a.date.map(|d| d.to_string()),
            note: tidy(a.note_md()),
            origin: a.origin.as_deref(),
        }
    })
}

/// `data/briefing.json` in memory (the live preview; a build writes it
/// to its file as it is made, [`write`]).
pub fn render(b: &Briefing) -> Output {
    let mut bytes = Vec::with_capacity(64 * 1024);
    write(b, &mut bytes).expect("serialising plain values into memory cannot fail");
    Output {
        path: SitePath::new(PATH),
        bytes,
    }
}

/// Write `data/briefing.json` to `w` as it is made, in blocks of 64 KiB.
/// Nothing but the bytes in flight is held: its lists are made item by
/// item as they are written.
pub fn write(b: &Briefing, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let start = std::time::Instant::now();
    let articles = || {
        b.articles.iter().map(|a| ArticleData {
            slug: a.slug.as_str(),
            title: &a.title,
            page: b.config.absolute(&SitePath::article(&a.slug)),
            url: a.url.as_deref(),
            outlet: a.outlet.as_deref(),
            date: a.date.as_ref().map(crate::content::civil_iso),
            published: a.published.as_ref().map(|s| s.iso()),
            modified: a.modified.as_ref().map(|s| s.iso()),
            byline: a.byline.as_deref(),
            source: a.source.as_deref(),
            seed_sha256: a.seed_sha256.as_deref(),
            summary: &a.summary,
            tags: &a.tags,
            held: a.held.map(|h| Held {
                kind: h.kind(),
                until: match h {
                    crate::holdback::Hold::Embargo(s) => Some(s.iso()),
                    crate::holdback::Hold::Draft => None,
                },
            }),
        })
    };
    let claims = || {
        b.annotations.claims().into_iter().map(|c| {
            let statuses = c.statuses();
            let grade = c
                .passages
                .iter()
                .filter_map(|a| super::sources::grade_of(b, a))
                .min()
                .map(|g| g.to_string());
            ClaimData {
                key: c.key,
                statuses,
                grade,
                passages: c
                    .passages
                    .iter()
                    .map(|a| Passage {
                        article: a.article.as_str(),
                        id: &a.id,
                        status: a.status.map(|s| s.as_str()),
                        grade: super::sources::grade_of(b, a).map(|g| g.to_string()),
                    })
                    .collect(),
            }
        })
    };
    let l = &b.links;
    let entities = || {
        l.registry
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| EntityData {
                slug: e.slug.as_str(),
                name: &e.entry.name,
                kind: e.entry.kind.id(),
                aliases: &e.entry.aliases,
                page: b.config.absolute(&SitePath::entity(&e.slug)),
                mentions: l.mention_count(i),
                articles: Seq(move || {
                    l.entity_articles
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|ea| {
                            Some(Mention {
                                article: b.articles.get(ea.article())?.slug.as_str(),
                                mentions: ea.mentions(),
                            })
                        })
                }),
            })
    };
    let data = Data {
        schema: "briefing.schema.json",
        version: VERSION,
        generator: concat!("briefing ", env!("CARGO_PKG_VERSION")),
        title: &b.config.title,
        language: &b.config.language,
        base_url: &b.config.base_url,
        profile: b.profile.as_str(),
        articles: Seq(articles),
        annotations: Seq(|| annotations(b)),
        claims: Seq(claims),
        entities: Seq(entities),
        editions: super::changes::edition_summaries(b)
            .into_iter()
            .map(|e| EditionData {
                page: b.config.absolute(&super::changes::edition_path(&e.name)),
                name: e.name,
                articles: e.articles,
                annotations: e.annotations,
                changes: e.changes,
            })
            .collect(),
    };
    // (serialising makes a call for every token: into a buffer of its own,
    // not through `w`'s dynamic calls)
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer(&mut w, &data)?;
    w.write_all(b"\n")?;
    w.flush()?;
    crate::timing::timing("data", start);
    Ok(())
}

/// `data/briefing.schema.json`.
pub fn schema() -> Output {
    Output {
        path: SitePath::new(SCHEMA_PATH),
        bytes: SCHEMA.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy_runs_blank_lines_together() {
        assert_eq!(super::tidy("a\n   \n\n  \nb\nc  \n\n"), "a\n\nb\nc");
    }

    #[test]
    fn the_schema_is_json_and_names_its_version() {
        let v: serde_json::Value = serde_json::from_str(super::SCHEMA).unwrap();
        assert_eq!(v["properties"]["version"]["const"], super::VERSION);
    }
}
