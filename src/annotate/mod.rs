//! annotate: parse `annotations/*.md` and anchor each note to its quoted
//! passage in the article body; resolve the notes' wikilinks; build the
//! decorations (highlights, sidenotes) the article pages render.
//!
//! Pure: files come in as [`AnnotationSource`]s, problems go out as
//! [`Problems`]. Submodules: [`parse`] (one file → headings, attributes,
//! notes), [`normalize`] and [`anchor`] (finding a quote), [`srcmap`]
//! (plain-text offsets → article line:col), [`wikilink`] (`[[…]]`),
//! [`note`] (note HTML and sidenote markup).

pub mod anchor;
pub mod normalize;
pub mod note;
pub mod parse;
pub mod srcmap;
pub mod wikilink;

pub use anchor::Method;
pub use parse::Status;
pub use wikilink::Target;

use crate::content::{Article, Summary};
use crate::diag::{Problem, Problems, line_col};
use crate::link::Registry;
use crate::model::{SitePath, Slug};
use crate::render::markdown::{Decorations, Span, plain_text};
use parse::{NoteSrc, ParsedFile};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
use wikilink::Resolved;

/// An annotation file as read from disk.
#[derive(Clone, Debug)]
pub struct AnnotationSource {
    /// Project-relative path (`annotations/x.md`).
    pub file: String,
    pub text: Arc<str>,
}

/// One anchored annotation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    pub article: Slug,
    pub id: String,
    /// The annotation file, and the line and column of its heading's quote.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The passage as quoted in the annotation file.
    pub quote: String,
    /// The passage as it stands in the article now.
    pub found: String,
    /// Byte range of the passage in the article's plain text.
    #[serde(skip)]
    pub range: Range<usize>,
    pub method: Method,
    pub score: f64,
    pub tags: Vec<String>,
    pub status: Option<Status>,
    /// The claim this passage belongs to (`claim=`, or its own id).
    pub claim: Option<String>,
    #[serde(serialize_with = "ser_date_opt")]
    pub date: Option<jiff::civil::Date>,
    /// 1-based position among the article's annotations, in text order.
    pub number: usize,
    /// What the note's wikilinks point at (for backlinks).
    pub targets: Vec<Target>,
    #[serde(skip)]
    note_md: String,
    #[serde(skip)]
    links: Vec<Resolved>,
    /// The note rendered once (see [`note::Rendered`]).
    #[serde(skip)]
    rendered: note::Rendered,
}

impl Annotation {
    /// The note as safe HTML, its links relative to the page `at`.
    pub fn note_html(&self, at: &SitePath) -> String {
        self.rendered.at(at)
    }
    /// The URL of the highlighted passage, relative to `at`.
    pub fn url(&self, at: &SitePath) -> String {
        Target::Annotation {
            article: self.article.clone(),
            id: self.id.clone(),
        }
        .url(at)
    }
    pub fn is_claim(&self) -> bool {
        self.tags.iter().any(|t| t == "claim")
    }
}

/// The note on a whole article from one annotation file.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleNote {
    pub article: Slug,
    pub file: String,
    pub targets: Vec<Target>,
    note_md: String,
    links: Vec<Resolved>,
}

impl ArticleNote {
    pub fn html(&self, at: &SitePath) -> String {
        note::render(&wikilink::rewrite(&self.note_md, &self.links, at))
    }
}

/// An annotation that was anchored approximately: its quote no longer
/// matches the article exactly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drift {
    pub article: Slug,
    pub id: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub quoted: String,
    pub found: String,
    pub score: f64,
}

/// A dated `.event` annotation, for the timeline.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EventRef {
    #[serde(serialize_with = "ser_date")]
    pub date: jiff::civil::Date,
    pub label: String,
    pub article: Slug,
    pub id: String,
}

/// One claim and every passage that carries it.
#[derive(Clone, Debug)]
pub struct Claim<'a> {
    pub key: String,
    pub passages: Vec<&'a Annotation>,
}

/// Anchored annotations of the whole briefing.
#[derive(Clone, Debug, Default)]
pub struct Annotations {
    pub by_article: BTreeMap<Slug, ArticleAnnotations>,
    all: Vec<Annotation>,
    notes: Vec<ArticleNote>,
    drifts: Vec<Drift>,
    /// The executive summary rendered with its wikilinks, for the index.
    pub summary_html: Option<String>,
    /// What the summary's wikilinks point at.
    pub summary_targets: Vec<Target>,
    /// The warnings among the problems [`anchor_with`] returned, so a
    /// successful build can still print them.
    pub warnings: Problems,
}

/// What one article gets from its annotations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleAnnotations {
    /// Rendered HTML of the note on the whole article.
    pub article_note_html: Option<String>,
    /// Highlights and sidenotes to apply to the body.
    pub decorations: Decorations,
}

impl Annotations {
    pub fn for_article(&self, slug: &Slug) -> Option<&ArticleAnnotations> {
        self.by_article.get(slug)
    }
    /// Every annotation, by article slug then position in the text.
    pub fn all(&self) -> &[Annotation] {
        &self.all
    }
    /// Notes on whole articles, by file.
    pub fn article_notes(&self) -> &[ArticleNote] {
        &self.notes
    }
    /// Approximately anchored annotations (for `briefing check`).
    pub fn drifts(&self) -> &[Drift] {
        &self.drifts
    }
    /// Dated `.event` annotations, by date.
    pub fn events(&self) -> Vec<EventRef> {
        let mut v: Vec<EventRef> = self
            .all
            .iter()
            .filter(|a| a.tags.iter().any(|t| t == "event"))
            .filter_map(|a| {
                Some(EventRef {
                    date: a.date?,
                    label: a.quote.clone(),
                    article: a.article.clone(),
                    id: a.id.clone(),
                })
            })
            .collect();
        v.sort();
        v
    }
    /// Claims, by key: `.claim` annotations grouped by `claim=` (or alone).
    pub fn claims(&self) -> Vec<Claim<'_>> {
        let mut by: BTreeMap<String, Vec<&Annotation>> = BTreeMap::new();
        for a in self.all.iter().filter(|a| a.is_claim()) {
            by.entry(a.claim.clone().unwrap_or_else(|| a.id.clone()))
                .or_default()
                .push(a);
        }
        by.into_iter()
            .map(|(key, passages)| Claim { key, passages })
            .collect()
    }
    /// Annotations by tag, tags sorted.
    pub fn by_tag(&self) -> BTreeMap<String, Vec<&Annotation>> {
        let mut by: BTreeMap<String, Vec<&Annotation>> = BTreeMap::new();
        for a in &self.all {
            for t in &a.tags {
                by.entry(t.clone()).or_default().push(a);
            }
        }
        by
    }
}

/// Everything anchoring reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct AnchorInputs<'a> {
    pub files: &'a [AnnotationSource],
    pub articles: &'a [Article],
    pub summary: Option<&'a Summary>,
    pub registry: Option<&'a Registry>,
}

/// Parse and anchor every annotation file against the articles (no
/// summary, no entity registry).
pub fn anchor_all(files: &[AnnotationSource], articles: &[Article]) -> (Annotations, Problems) {
    anchor_with(&AnchorInputs {
        files,
        articles,
        ..Default::default()
    })
}

/// Per-file anchoring results kept between builds of a long-lived session
/// (`serve`/`watch`): a file whose text, and whose article's text, did not
/// change is not anchored again. Keyed by a digest of everything anchoring
/// a file reads, so a hit gives exactly what anchoring would; holds only
/// what the last build used.
static MEMO: std::sync::Mutex<Option<Memo>> = std::sync::Mutex::new(None);

#[derive(Default)]
struct Memo {
    bodies: std::collections::HashMap<blake3::Hash, Arc<Body>>,
    files: std::collections::HashMap<blake3::Hash, FileAnchors>,
    /// What each article got from its annotations: reused while its
    /// annotations and notes compare equal (rendering sidenotes is the
    /// costly part of an edit in a large briefing).
    articles: std::collections::HashMap<Slug, Arc<MemoArticle>>,
}

struct MemoArticle {
    body: Arc<Body>,
    annotations: Vec<Annotation>,
    notes: Vec<ArticleNote>,
    result: ArticleAnnotations,
}

/// Keep anchoring results between builds in this process (see [`MEMO`]).
pub fn remember_anchoring() {
    let mut m = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    if m.is_none() {
        *m = Some(Memo::default());
    }
}

fn digest(parts: &[&[u8]]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()
}

/// What anchoring one file gives.
#[derive(Clone)]
struct FileAnchors {
    anchored: Vec<Anchored>,
    drifts: Vec<Drift>,
    warnings: Problems,
    problems: Problems,
}

/// An article's plain text with its source map and block ranges.
struct Body {
    map: srcmap::SourceMap,
    blocks: Vec<Range<usize>>,
}

fn loc(a: &Article, body: &Body, plain: usize) -> String {
    let (l, c) = line_col(&a.text, a.body_offset + body.map.to_source(plain));
    format!("{}:{l}:{c}", a.file)
}

/// One anchored item before wikilinks are resolved.
#[derive(Clone)]
struct Anchored {
    file: usize,
    item: parse::ParsedAnnotation,
    range: Range<usize>,
    method: Method,
    score: f64,
}

/// Parse, anchor and resolve everything (see the module docs).
pub fn anchor_with(inp: &AnchorInputs) -> (Annotations, Problems) {
    let mut problems = Problems::default();
    let mut files: Vec<&AnnotationSource> = inp.files.iter().collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    let articles: BTreeMap<&Slug, &Article> = inp.articles.iter().map(|a| (&a.slug, a)).collect();

    let mut parsed: Vec<ParsedFile> = Vec::new();
    for f in files {
        let Some(pf) = parse::parse_file(f, &mut problems) else {
            continue;
        };
        if !articles.contains_key(&pf.article) {
            let slugs: Vec<&str> = articles.keys().map(|s| s.as_str()).collect();
            let close = slugs
                .iter()
                .map(|s| (strsim::jaro_winkler(s, pf.article.as_str()), *s))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let help = match close {
                Some((_, s)) => format!("did you mean `{s}`?"),
                None if slugs.is_empty() => "there are no articles in content/".to_string(),
                None => format!("the articles are: {}", slugs.join(", ")),
            };
            problems.push(
                Problem::at(
                    &pf.file,
                    pf.text.clone(),
                    pf.article_at.0,
                    pf.article_at.1,
                    format!("no article has the slug `{}`", pf.article),
                )
                .with_help(help),
            );
            continue;
        }
        parsed.push(pf);
    }

    // Anchor: each article's plain text once, then each file against its
    // article, in parallel (files are independent; results are merged in
    // file order, so the output does not depend on scheduling).
    use rayon::prelude::*;
    let wanted: std::collections::BTreeSet<&Slug> = parsed.iter().map(|pf| &pf.article).collect();
    let memo = MEMO.lock().unwrap_or_else(|e| e.into_inner()).take();
    let bodies: BTreeMap<Slug, (blake3::Hash, Arc<Body>)> = wanted
        .into_par_iter()
        .map(|slug| {
            let art = articles[slug];
            let key = digest(&[art.body.as_bytes()]);
            let body = match memo.as_ref().and_then(|m| m.bodies.get(&key)) {
                Some(b) => b.clone(),
                None => Arc::new(Body {
                    map: srcmap::SourceMap::new(&art.body),
                    blocks: plain_text(&art.body).blocks,
                }),
            };
            (slug.clone(), (key, body))
        })
        .collect();
    let per_file: Vec<(blake3::Hash, FileAnchors)> = parsed
        .par_iter()
        .enumerate()
        .map(|(fi, pf)| {
        let art = articles[&pf.article];
        let key = digest(&[
            pf.file.as_bytes(),
            pf.text.as_bytes(),
            art.file.as_bytes(),
            art.text.as_bytes(),
            &(art.body_offset as u64).to_le_bytes(),
        ]);
        if let Some(hit) = memo.as_ref().and_then(|m| m.files.get(&key)) {
            let mut hit = hit.clone();
            for a in &mut hit.anchored {
                a.file = fi;
            }
            return (key, hit);
        }
        let body = &*bodies[&pf.article].1;
        let mut anchored: Vec<Anchored> = Vec::new();
        let mut drifts = Vec::new();
        let mut warnings = Problems::default();
        let mut problems = Problems::default();
        let plain = body.map.text.as_str();
        for item in pf.items.iter().filter(|i| i.valid) {
            let here = |msg: String| {
                Problem::at(
                    &pf.file,
                    pf.text.clone(),
                    item.quote_at.0,
                    item.quote_at.1,
                    msg,
                )
            };
            match anchor::find(plain, &item.quote) {
                anchor::Outcome::Missing(closest) => {
                    let help = match closest {
                        Some((r, score)) => format!(
                            "the closest passage is “{}” at {} ({}% similar); quote the article's words exactly",
                            note::shorten(&one_line(&plain[r.clone()]), 120),
                            loc(art, body, r.start),
                            (score * 100.0).floor()
                        ),
                        None => "the article has no text like it".to_string(),
                    };
                    problems.push(
                        here(format!("quoted passage not found in {}", art.file)).with_help(help),
                    );
                }
                anchor::Outcome::Found(m) => {
                    let n = m.ranges.len();
                    let range = match item.occurrence {
                        Some(k) if k <= n => Some(m.ranges[k - 1].clone()),
                        Some(k) => {
                            problems.push(
                                here(format!(
                                    "`occurrence={k}` but the passage occurs {} in {}",
                                    times(n),
                                    art.file
                                ))
                                .with_help(format!(
                                    "it occurs at {}",
                                    places(art, body, &m.ranges)
                                )),
                            );
                            None
                        }
                        None if n > 1 => {
                            problems.push(
                                here(format!(
                                    "quoted passage occurs {} in {}",
                                    times(n),
                                    art.file
                                ))
                                .with_help(format!(
                                    "it occurs at {}; quote more words, or add `occurrence=N` to pick one",
                                    places(art, body, &m.ranges)
                                )),
                            );
                            None
                        }
                        None => Some(m.ranges[0].clone()),
                    };
                    let Some(range) = range else { continue };
                    if m.method == Method::Approximate {
                        let p = here(format!(
                            "quoted passage matched approximately ({}% similar) in {}",
                            (m.score * 100.0).floor(),
                            art.file
                        ))
                        .with_help(format!(
                            "the article now reads “{}” at {}; update the quote",
                            note::shorten(&one_line(&plain[range.clone()]), 160),
                            loc(art, body, range.start)
                        ))
                        .warning();
                        drifts.push(Drift {
                            article: pf.article.clone(),
                            id: item.id.clone(),
                            file: pf.file.clone(),
                            line: p.line,
                            column: p.column,
                            quoted: item.quote.clone(),
                            found: plain[range.clone()].to_string(),
                            score: m.score,
                        });
                        warnings.push(p.clone());
                        problems.push(p);
                    }
                    anchored.push(Anchored {
                        file: fi,
                        item: item.clone(),
                        range,
                        method: m.method,
                        score: m.score,
                    });
                }
            }
        }
            (key, FileAnchors {
            anchored,
            drifts,
            warnings,
            problems,
        })
        })
        .collect();
    let mut next_memo = memo.as_ref().map(|_| Memo {
        bodies: bodies.values().map(|(k, b)| (*k, b.clone())).collect(),
        files: per_file.iter().map(|(k, f)| (*k, f.clone())).collect(),
        articles: Default::default(),
    });
    let bodies: BTreeMap<Slug, Arc<Body>> = bodies.into_iter().map(|(s, (_, b))| (s, b)).collect();
    let mut anchored: Vec<Anchored> = Vec::new();
    let mut drifts = Vec::new();
    let mut warnings = Problems::default();
    for (_, f) in per_file {
        anchored.extend(f.anchored);
        drifts.extend(f.drifts);
        warnings.extend(f.warnings.0);
        problems.extend(f.problems.0);
    }

    // Ids must be unique per article.
    let mut ids: BTreeMap<(Slug, String), usize> = BTreeMap::new();
    let mut keep = vec![true; anchored.len()];
    for (i, a) in anchored.iter().enumerate() {
        let pf = &parsed[a.file];
        let key = (pf.article.clone(), a.item.id.clone());
        if let Some(&first) = ids.get(&key) {
            let f = &anchored[first];
            let fpf = &parsed[f.file];
            let (l, c) = line_col(&fpf.text, f.item.quote_at.0);
            problems.push(
                Problem::at(
                    &pf.file,
                    pf.text.clone(),
                    a.item.quote_at.0,
                    a.item.quote_at.1,
                    format!(
                        "annotation id `{}` is used twice for article `{}`",
                        a.item.id, pf.article
                    ),
                )
                .with_help(format!(
                    "the first is at {}:{l}:{c}; give one of them another `{{#id}}`",
                    fpf.file
                )),
            );
            keep[i] = false;
        } else {
            ids.insert(key, i);
        }
    }

    // Wikilinks may point at any well-formed annotation, anchored or not
    // (an unanchored one is already an error of its own).
    let mut quotes: BTreeMap<(Slug, String), String> = BTreeMap::new();
    for pf in &parsed {
        for item in &pf.items {
            quotes
                .entry((pf.article.clone(), item.id.clone()))
                .or_insert_with(|| item.quote.clone());
        }
    }
    let resolver = Resolver {
        articles: &articles,
        quotes: &quotes,
        registry: inp.registry,
    };
    // Notes of annotations that were not anchored are still checked.
    // (A set, not a scan of `anchored` per item: that was quadratic in the
    // number of annotations.)
    let done: std::collections::HashSet<(usize, (usize, usize))> =
        anchored.iter().map(|a| (a.file, a.item.quote_at)).collect();
    for (fi, pf) in parsed.iter().enumerate() {
        for item in &pf.items {
            if !done.contains(&(fi, item.quote_at)) {
                resolver.resolve(
                    &item.note,
                    &pf.file,
                    &pf.text,
                    Some(&pf.article),
                    &mut problems,
                );
            }
        }
    }
    let mut all: Vec<Annotation> = Vec::new();
    for (i, a) in anchored.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let pf = &parsed[a.file];
        let (links, targets) = resolver.resolve(
            &a.item.note,
            &pf.file,
            &pf.text,
            Some(&pf.article),
            &mut problems,
        );
        let (line, column) = line_col(&pf.text, a.item.quote_at.0);
        let plain = &bodies[&pf.article].map.text;
        all.push(Annotation {
            article: pf.article.clone(),
            id: a.item.id.clone(),
            file: pf.file.clone(),
            line,
            column,
            quote: a.item.quote.clone(),
            found: plain[a.range.clone()].to_string(),
            range: a.range.clone(),
            method: a.method,
            score: a.score,
            tags: a.item.tags.clone(),
            status: a.item.status,
            claim: a.item.claim.clone().or_else(|| {
                a.item
                    .tags
                    .iter()
                    .any(|t| t == "claim")
                    .then(|| a.item.id.clone())
            }),
            date: a.item.date,
            number: 0,
            targets,
            note_md: a.item.note.md.clone(),
            links,
            rendered: note::Rendered::default(),
        });
    }
    // Render each note once, in parallel: the sidenotes below and the
    // annotation pages only fill in its links for their page.
    {
        use rayon::prelude::*;
        // the live preview keeps the last build's notes: an unchanged note
        // is not rendered again
        let previous = |a: &Annotation| {
            let old = memo.as_ref()?.articles.get(&a.article)?;
            let o = old.annotations.iter().find(|o| o.id == a.id)?;
            (o.note_md == a.note_md && o.links == a.links).then(|| o.rendered.clone())
        };
        all.par_iter_mut().for_each(|a| {
            a.rendered = previous(a).unwrap_or_else(|| note::Rendered::new(&a.note_md, &a.links))
        });
    }
    all.sort_by(|a, b| {
        (
            &a.article,
            a.range.start,
            std::cmp::Reverse(a.range.end),
            &a.id,
        )
            .cmp(&(
                &b.article,
                b.range.start,
                std::cmp::Reverse(b.range.end),
                &b.id,
            ))
    });
    let mut notes = Vec::new();
    for pf in &parsed {
        if let Some(n) = &pf.article_note {
            let (links, targets) =
                resolver.resolve(n, &pf.file, &pf.text, Some(&pf.article), &mut problems);
            notes.push(ArticleNote {
                article: pf.article.clone(),
                file: pf.file.clone(),
                targets,
                note_md: n.md.clone(),
                links,
            });
        }
    }
    let (summary_html, summary_targets) = match inp.summary {
        Some(s) => {
            let src = NoteSrc {
                md: s.body.clone(),
                offset: s.body_offset,
            };
            let (links, targets) = resolver.resolve(&src, &s.file, &s.text, None, &mut problems);
            let html = note::render(&wikilink::rewrite(&s.body, &links, &SitePath::index()));
            (Some(html), targets)
        }
        None => (None, Vec::new()),
    };

    // Decorations per article.
    let mut by_article: BTreeMap<Slug, ArticleAnnotations> = BTreeMap::new();
    let mut n = 0;
    let mut last: Option<Slug> = None;
    for a in all.iter_mut() {
        if last.as_ref() != Some(&a.article) {
            n = 0;
            last = Some(a.article.clone());
        }
        n += 1;
        a.number = n;
    }
    // `all` is sorted by article: group it (and the notes) once instead of
    // filtering per article, which was quadratic on large briefings
    let mut all_by: BTreeMap<&Slug, Vec<&Annotation>> = BTreeMap::new();
    for a in &all {
        all_by.entry(&a.article).or_default().push(a);
    }
    let mut notes_by: BTreeMap<&Slug, Vec<&ArticleNote>> = BTreeMap::new();
    for n in &notes {
        notes_by.entry(&n.article).or_default().push(n);
    }
    let old_articles = memo.map(|m| m.articles);
    let built: Vec<(Slug, ArticleAnnotations, Option<Arc<MemoArticle>>)> = bodies
        .par_iter()
        .map(|(slug, body)| {
            let mine: &[&Annotation] = all_by.get(slug).map_or(&[], Vec::as_slice);
            let my_notes: &[&ArticleNote] = notes_by.get(slug).map_or(&[], Vec::as_slice);
            if let Some(old) = old_articles.as_ref().and_then(|m| m.get(slug))
                && Arc::ptr_eq(&old.body, body)
                && old.annotations.iter().eq(mine.iter().copied())
                && old.notes.iter().eq(my_notes.iter().copied())
            {
                return (slug.clone(), old.result.clone(), Some(old.clone()));
            }
            let result = article_annotations(slug, body, mine, my_notes);
            let keep = old_articles.as_ref().map(|_| {
                Arc::new(MemoArticle {
                    body: body.clone(),
                    annotations: mine.iter().map(|a| (*a).clone()).collect(),
                    notes: my_notes.iter().map(|n| (*n).clone()).collect(),
                    result: result.clone(),
                })
            });
            (slug.clone(), result, keep)
        })
        .collect();
    for (slug, result, keep) in built {
        if let (Some(m), Some(k)) = (next_memo.as_mut(), keep) {
            m.articles.insert(slug.clone(), k);
        }
        by_article.insert(slug, result);
    }
    if let Some(next) = next_memo {
        *MEMO.lock().unwrap_or_else(|e| e.into_inner()) = Some(next);
    }
    problems.sort();
    warnings.sort();
    (
        Annotations {
            by_article,
            all,
            notes,
            drifts,
            summary_html,
            summary_targets,
            warnings,
        },
        problems,
    )
}

/// What one article gets from its annotations (sorted by position) and
/// its whole-article notes: highlights, sidenotes, the article note.
fn article_annotations(
    slug: &Slug,
    body: &Body,
    mine: &[&Annotation],
    notes: &[&ArticleNote],
) -> ArticleAnnotations {
    let at = SitePath::article(slug);
    let mut deco = Decorations::default();
    let mut by_block: BTreeMap<usize, String> = BTreeMap::new();
    for a in mine {
        let status = a.status.map(Status::as_str);
        deco.spans.push(Span {
            start: a.range.start,
            end: a.range.end,
            tag: "mark",
            attrs: vec![
                ("class".into(), note::classes(&a.tags, status)),
                ("data-ann".into(), a.id.clone()),
            ],
            first_attrs: vec![
                ("id".into(), format!("a-{}", a.id)),
                ("data-n".into(), a.number.to_string()),
                ("aria-details".into(), format!("n-{}", a.id)),
            ],
        });
        let html = note::sidenote(&note::SidenoteView {
            id: &a.id,
            number: a.number,
            quote: &a.quote,
            tags: &a.tags,
            status,
            date: a.date.map(|d| d.to_string()),
            html: &a.note_html(&at),
        });
        let block_end = body
            .blocks
            .iter()
            .find(|b| b.end >= a.range.end)
            .map_or(usize::MAX, |b| b.end);
        by_block.entry(block_end).or_default().push_str(&html);
    }
    for (end, html) in by_block {
        let end = end.min(body.map.text.len());
        deco.after_block
            .push((end, format!("<div class=\"sidenotes\">{html}</div>")));
    }
    let note_html: Vec<String> = notes.iter().map(|n| n.html(&at)).collect();
    ArticleAnnotations {
        article_note_html: (!note_html.is_empty()).then(|| note_html.concat()),
        decorations: deco,
    }
}

fn ser_date<S: serde::Serializer>(d: &jiff::civil::Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn ser_date_opt<S: serde::Serializer>(
    d: &Option<jiff::civil::Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Text with every whitespace run as one space, for messages.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

fn places(a: &Article, body: &Body, ranges: &[Range<usize>]) -> String {
    let v: Vec<String> = ranges.iter().map(|r| loc(a, body, r.start)).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
    }
}

/// Resolves wikilink targets against articles, annotations and entities.
struct Resolver<'a> {
    articles: &'a BTreeMap<&'a Slug, &'a Article>,
    quotes: &'a BTreeMap<(Slug, String), String>,
    registry: Option<&'a Registry>,
}

impl Resolver<'_> {
    fn resolve(
        &self,
        note: &NoteSrc,
        file: &str,
        text: &Arc<str>,
        current: Option<&Slug>,
        problems: &mut Problems,
    ) -> (Vec<Resolved>, Vec<Target>) {
        let mut links = Vec::new();
        let mut targets = Vec::new();
        for w in wikilink::find(&note.md) {
            match self.target(&w.target, current) {
                Ok((target, default_text)) => {
                    if !targets.contains(&target) {
                        targets.push(target.clone());
                    }
                    links.push(Resolved {
                        range: w.range,
                        target,
                        text: w.text.unwrap_or(default_text),
                    });
                }
                Err(why) => problems.push(
                    Problem::at(
                        file,
                        text.clone(),
                        note.offset + w.range.start,
                        w.range.len(),
                        format!("unresolved wikilink `[[{}]]`", w.target),
                    )
                    .with_help(why),
                ),
            }
        }
        targets.sort();
        (links, targets)
    }

    /// The target of `[[t]]` and its default shown text, or why not.
    fn target(&self, t: &str, current: Option<&Slug>) -> Result<(Target, String), String> {
        if let Some((slug, id)) = t.split_once('#') {
            let slug = slug.trim();
            let id = id.trim();
            let article = if slug.is_empty() {
                current.cloned().ok_or_else(|| {
                    "`[[#id]]` works only in an annotation file; write `[[article-slug#id]]`"
                        .to_string()
                })?
            } else {
                Slug::parse(slug)
                    .ok()
                    .filter(|s| self.articles.contains_key(s))
                    .ok_or_else(|| format!("no article has the slug `{slug}`"))?
            };
            let Some(quote) = self.quotes.get(&(article.clone(), id.to_string())) else {
                return Err(format!(
                    "article `{article}` has no annotation with the id `{id}`"
                ));
            };
            let quote = note::shorten(quote, 80);
            return Ok((
                Target::Annotation {
                    article,
                    id: id.to_string(),
                },
                format!("“{quote}”"),
            ));
        }
        if let Ok(slug) = Slug::parse(t)
            && let Some(a) = self.articles.get(&slug)
        {
            return Ok((Target::Article { slug }, a.title.clone()));
        }
        if let Some(e) = self.registry.and_then(|r| r.resolve(t)) {
            return Ok((
                Target::Entity {
                    slug: e.slug.clone(),
                },
                t.to_string(),
            ));
        }
        let mut names: Vec<&str> = self.articles.keys().map(|s| s.as_str()).collect();
        if let Some(r) = self.registry {
            names.extend(r.entities.iter().map(|e| e.entry.name.as_str()));
        }
        let close = names
            .iter()
            .map(|n| {
                (
                    strsim::jaro_winkler(&n.to_lowercase(), &t.to_lowercase()),
                    *n,
                )
            })
            .filter(|(s, _)| *s > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Err(match close {
            Some((_, n)) => {
                format!("no article slug or entity is called `{t}`; did you mean `[[{n}]]`?")
            }
            None => format!(
                "no article slug or entity is called `{t}`; link an article by its slug or add the entity to entities.yaml"
            ),
        })
    }
}
