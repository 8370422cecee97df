//! annotate: parse `annotations/*.md` and anchor each note to its quoted
//! passage in the article body; resolve the notes' wikilinks; build the
//! decorations (highlights, sidenotes) the article pages render.
//!
//! Pure: files come in as [`AnnotationSource`]s, problems go out as
//! [`Problems`]. Submodules: [`parse`] (one file → headings, attributes,
//! notes), [`normalize`] and [`anchor`] (finding a quote), [`srcmap`]
//! (plain-text offsets → article line:col), [`wikilink`] (`[[…]]`),
//! [`note`] (note HTML and sidenote markup), `update` (anchoring again
//! only what an edit reaches, for a live session), `map`
//! ([`ArticleMap`], each article's results in shared chunks).

pub mod anchor;
mod map;
pub mod normalize;
pub mod note;
pub mod parse;
pub mod srcmap;
mod update;
pub mod wikilink;

pub use anchor::Method;
pub use map::ArticleMap;
pub use parse::Status;
pub use wikilink::Target;

use crate::content::{Article, Summary};
use crate::diag::{Problem, Problems, line_col};
use crate::link::Registry;
use crate::markdown::{Attrs, Span, plain_text};
use crate::model::{SitePath, Slug};
use parse::{NoteSrc, ParsedFile};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
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
    /// The article's text just before and after the passage (see
    /// [`anchor::context`]): a W3C `TextQuoteSelector`'s `prefix`/`suffix`.
    pub prefix: String,
    pub suffix: String,
    /// Byte range of the passage in the article's plain text.
    #[serde(skip)]
    pub range: Range<usize>,
    pub method: Method,
    pub score: f64,
    pub tags: Vec<String>,
    pub status: Option<Status>,
    /// The claim this passage belongs to (`claim=`, or its own id).
    pub claim: Option<String>,
    /// The claim's credibility (`cred=`).
    pub cred: Option<crate::link::outlets::Credibility>,
    #[serde(serialize_with = "ser_date_opt")]
    pub date: Option<jiff::civil::Date>,
    /// `occurrence=`: which of several identical passages is meant.
    pub occurrence: Option<usize>,
    /// `origin=`: where an imported annotation came from.
    pub origin: Option<String>,
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
        self.rendered.at(&self.links, at)
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
    /// The note as the analyst wrote it (Markdown, wikilinks unresolved).
    pub fn note_md(&self) -> &str {
        &self.note_md
    }
}

/// The note on a whole article from one annotation file.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleNote {
    pub article: Slug,
    pub file: String,
    pub targets: Vec<Target>,
    /// From a draft annotation file (only an internal build has one).
    pub draft: bool,
    note_md: String,
    links: Vec<Resolved>,
}

impl ArticleNote {
    /// The note as the analyst wrote it (Markdown, wikilinks unresolved).
    pub fn note_md(&self) -> &str {
        &self.note_md
    }
    pub fn html(&self, at: &SitePath) -> String {
        let html = note::render(&wikilink::rewrite(&self.note_md, &self.links, at));
        if self.draft {
            format!("<div class=\"held held-draft\"><p class=\"held-badge\">Draft</p>{html}</div>")
        } else {
            html
        }
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

impl Claim<'_> {
    /// The statuses its passages give, sorted, each once.
    pub fn statuses(&self) -> Vec<&'static str> {
        statuses_of(self.passages.iter().copied())
    }
}

/// The statuses `passages` give, sorted, each once.
pub fn statuses_of<'a>(passages: impl IntoIterator<Item = &'a Annotation>) -> Vec<&'static str> {
    let mut statuses: Vec<&'static str> = passages
        .into_iter()
        .filter_map(|a| a.status.map(|s| s.as_str()))
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// Anchored annotations of the whole briefing.
#[derive(Clone, Debug, Default)]
pub struct Annotations {
    pub by_article: ArticleMap,
    /// Every annotation (see [`Self::all`]): put together from
    /// `by_article` when first asked for — after an edit in `serve`, once
    /// the edited article's page is written.
    all: std::sync::OnceLock<Vec<Arc<Annotation>>>,
    /// Every note on a whole article, in file order, likewise.
    notes: std::sync::OnceLock<Vec<Arc<ArticleNote>>>,
    /// How many of each.
    count: usize,
    notes_count: usize,
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
    /// The sidenotes: after the top-level block ending at each offset, its
    /// annotations in order. Their HTML is made when the page is rendered,
    /// not kept from anchoring until then (at 10,000 articles that was
    /// 45 MB, an eighth of the build's peak memory).
    pub sidenotes: Vec<(usize, Vec<Arc<Annotation>>)>,
    /// The article's annotations in text order (the ones in `sidenotes`).
    pub annotations: Vec<Arc<Annotation>>,
    /// Its notes on the whole article, in file order (`article_note_html`
    /// is their HTML).
    pub notes: Vec<Arc<ArticleNote>>,
}

impl ArticleAnnotations {
    /// The highlighted passages, as spans of the body's plain text (its
    /// sidenotes: [`Self::after_block`]), in text order. Made when the
    /// page is rendered, like the sidenotes (kept for every article from
    /// anchoring on they were 8 MB at 10,000 articles).
    pub fn highlights(&self) -> Vec<Span> {
        self.annotations
            .iter()
            .map(|a| Span {
                start: a.range.start,
                end: a.range.end,
                tag: "mark",
                attrs: Attrs::new(&[
                    (
                        "class",
                        &note::classes(&a.tags, a.status.map(Status::as_str)),
                    ),
                    ("data-ann", a.id.as_str()),
                ]),
                first_attrs: Attrs::new(&[
                    ("id", &format!("a-{}", a.id)),
                    ("data-n", &a.number.to_string()),
                    ("aria-details", &format!("n-{}", a.id)),
                ]),
                rest_attrs: Attrs::default(),
            })
            .collect()
    }

    /// The sidenotes' HTML to insert after their blocks in the body of the
    /// article `slug` (for [`crate::markdown::render_with`]).
    pub fn after_block(&self, slug: &Slug) -> Vec<(usize, String)> {
        self.after_block_graded(slug, |_| None)
    }

    /// [`Self::after_block`], with `grade` giving a claim's grade (`B2`)
    /// and what it means.
    pub fn after_block_graded(
        &self,
        slug: &Slug,
        grade: impl Fn(&Annotation) -> Option<(String, String)>,
    ) -> Vec<(usize, String)> {
        let at = SitePath::article(slug);
        self.sidenotes
            .iter()
            .map(|(end, notes)| {
                let mut html = String::from("<div class=\"sidenotes\">");
                for a in notes {
                    html.push_str(&note::sidenote(&note::SidenoteView {
                        id: &a.id,
                        number: a.number,
                        quote: &a.quote,
                        tags: &a.tags,
                        status: a.status.map(Status::as_str),
                        date: a.date.map(|d| d.to_string()),
                        grade: grade(a),
                        html: &a.note_html(&at),
                    }));
                }
                html.push_str("</div>");
                (*end, html)
            })
            .collect()
    }
}

impl Annotations {
    pub fn for_article(&self, slug: &Slug) -> Option<&ArticleAnnotations> {
        self.by_article.get(slug).map(|a| &**a)
    }
    /// Every annotation, by article slug then position in the text.
    pub fn all(&self) -> &[Arc<Annotation>] {
        self.all.get_or_init(|| {
            use rayon::prelude::*;
            let per: Vec<&Arc<ArticleAnnotations>> = self.by_article.values().collect();
            per.par_iter()
                .flat_map_iter(|a| a.annotations.iter().cloned())
                .collect()
        })
    }
    /// How many annotations there are (`all().len()`).
    pub fn len(&self) -> usize {
        self.count
    }
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// Notes on whole articles, by file.
    pub fn article_notes(&self) -> &[Arc<ArticleNote>] {
        self.notes.get_or_init(|| {
            let mut v: Vec<Arc<ArticleNote>> = self
                .by_article
                .values()
                .flat_map(|a| a.notes.iter().cloned())
                .collect();
            // in file order, as the files are read
            v.sort_by(|a, b| a.file.cmp(&b.file));
            v
        })
    }
    /// How many notes on whole articles there are (`article_notes().len()`).
    pub fn notes_len(&self) -> usize {
        self.notes_count
    }
    /// Approximately anchored annotations (for `briefing check`).
    pub fn drifts(&self) -> &[Drift] {
        &self.drifts
    }
    /// The annotations of one article, in text order.
    pub fn of_article(&self, slug: &Slug) -> &[Arc<Annotation>] {
        self.by_article
            .get(slug)
            .map_or(&[], |a| a.annotations.as_slice())
    }
    /// The notes on whole articles, for the articles in `only` (each
    /// article's in file order).
    pub fn notes_of<'a>(
        &'a self,
        only: &std::collections::BTreeSet<Slug>,
    ) -> BTreeMap<&'a Slug, Vec<&'a Arc<ArticleNote>>> {
        only.iter()
            .filter_map(|s| {
                let (slug, a) = self.by_article.get_key_value(s)?;
                (!a.notes.is_empty()).then(|| (slug, a.notes.iter().collect()))
            })
            .collect()
    }
    /// The articles whose annotations or whole-article notes may differ
    /// between `old` and `self` (those whose parts were not reused, or
    /// that gained or lost their annotation files); the others' are equal.
    pub fn changed_articles(&self, old: &Annotations) -> std::collections::BTreeSet<Slug> {
        // (in `serve` this runs after every annotation edit: the chunks
        // both maps share are skipped)
        self.by_article.changed_since(&old.by_article)
    }
    /// Dated `.event` annotations, by date.
    pub fn events(&self) -> Vec<EventRef> {
        let mut v: Vec<EventRef> = self
            .all()
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
        for a in self.all().iter().filter(|a| a.is_claim()) {
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
        for a in self.all() {
            for t in &a.tags {
                by.entry(t.clone()).or_default().push(a);
            }
        }
        by
    }
}

/// What a public build held back, as wikilink resolution asks about it.
/// Implemented by [`crate::holdback::HeldBack`]: holding back reads
/// annotation files, so it is a stage above this one and is asked
/// through this trait.
pub trait HeldTargets: Sync + std::fmt::Debug {
    /// Why `[[target]]` (in a note of `current`) points at held-back
    /// material, if it does: the message, in words.
    fn link_reason(&self, target: &str, current: Option<&Slug>) -> Option<String>;
}

/// Everything anchoring reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct AnchorInputs<'a> {
    pub files: &'a [AnnotationSource],
    pub articles: &'a [Article],
    pub summary: Option<&'a Summary>,
    pub registry: Option<&'a Registry>,
    /// Results of earlier builds to reuse, and to update.
    pub cache: Option<&'a AnchorCache>,
    /// Articles that did not load, as (probable slug, file): annotation
    /// files and wikilinks naming them are not checked but counted under
    /// the article's own problem ([`Problem::unchecked`]).
    pub unavailable: &'a [(Slug, String)],
    /// What a public build held back (already taken out of `files` and
    /// `articles`): a wikilink to it is an error saying so.
    pub held: Option<&'a dyn HeldTargets>,
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

/// Anchoring results kept between builds of a long-lived session
/// (`serve`/`watch` own one and pass it in [`AnchorInputs::cache`]), so that
/// an edit costs what it changed, not the size of the briefing (see
/// `Unit`). Holds only what the last build used.
#[derive(Default)]
pub struct AnchorCache(std::sync::Mutex<Memo>);

impl std::fmt::Debug for AnchorCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnchorCache")
    }
}

#[derive(Default)]
struct Memo {
    /// The annotation files' paths, sorted (shared from build to build
    /// while the set of files stays the same, as it does while annotating).
    paths: Arc<[String]>,
    /// Each of those files as last parsed, in the same order.
    parsed: Vec<Parsed>,
    /// Each article's annotations as last built, by slug.
    units: BTreeMap<Slug, Arc<Unit>>,
    /// What wikilinks resolved against besides annotations (see
    /// [`world_digest`]; `None` when not known).
    world: Option<blake3::Hash>,
    /// What the last build read besides the files, for an update that
    /// works on what changed alone (`update::update`).
    last: Option<update::Last>,
}

/// A digest of what resolving wikilinks reads besides annotations: the
/// articles' slugs and titles, and the entity names.
fn world_digest(articles: &[Article], registry: Option<&Registry>) -> blake3::Hash {
    // one buffer hashed at once: many small updates cost more than the bytes
    let mut buf: Vec<u8> = Vec::with_capacity(articles.len() * 96);
    let mut part = |b: &[u8]| {
        buf.extend_from_slice(&(b.len() as u64).to_le_bytes());
        buf.extend_from_slice(b);
    };
    for a in articles {
        part(a.slug.as_str().as_bytes());
        part(a.title.as_bytes());
    }
    if let Some(r) = registry {
        for (name, i) in r.names() {
            part(name.as_bytes());
            part(r.entities[i].slug.as_str().as_bytes());
        }
    }
    blake3::hash(&buf)
}

/// A digest of the entity names wikilinks resolve against (`None`: no
/// registry).
fn registry_digest(registry: Option<&Registry>) -> Option<blake3::Hash> {
    let r = registry?;
    let mut h = blake3::Hasher::new();
    for (name, i) in r.names() {
        for b in [name.as_bytes(), r.entities[i].slug.as_str().as_bytes()] {
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        }
    }
    Some(h.finalize())
}

/// One annotation file parsed: kept while its text is the same.
#[derive(Clone)]
struct Parsed {
    text: Arc<str>,
    parsed: Option<Arc<ParsedFile>>,
    problems: Problems,
}

/// An article's plain text and block ranges, and its source map, made
/// only when a diagnostic needs a line and column (a second parse of the
/// body that a briefing whose quotes are all found never needs).
struct Body {
    text: String,
    blocks: Vec<Range<usize>>,
    map: std::sync::OnceLock<srcmap::SourceMap>,
}

impl Body {
    fn of(a: &Article) -> Body {
        let p = plain_text(a.body());
        Body {
            text: p.text,
            blocks: p.blocks,
            map: std::sync::OnceLock::new(),
        }
    }
}

/// `file:line:col` of plain-text offset `plain` of the body of `a` (the
/// article `body` was made from).
fn loc(a: &Article, body: &Body, plain: usize) -> String {
    let map = body.map.get_or_init(|| srcmap::SourceMap::new(a.body()));
    let (l, c) = line_col(&a.text, a.body_offset + map.to_source(plain));
    format!("{}:{l}:{c}", a.file)
}

/// One anchored item before wikilinks are resolved (`file` is its
/// position among the files of its [`Anchoring`]).
#[derive(Clone)]
struct Anchored {
    file: usize,
    item: parse::ParsedAnnotation,
    range: Range<usize>,
    method: Method,
    score: f64,
}

/// Anchoring one article's annotation files: everything that depends only
/// on the article and those files.
struct Anchoring {
    /// What was read of the article (to tell whether it changed).
    article_file: String,
    article_text: Arc<str>,
    body_offset: usize,
    /// The files naming the article, by path.
    files: Vec<Arc<ParsedFile>>,
    body: Arc<Body>,
    /// Anchored passages with unique ids, in file order.
    anchored: Vec<Anchored>,
    /// Items not anchored (`(file, item)`): their notes are only checked.
    unanchored: Vec<(usize, usize)>,
    drifts: Vec<Drift>,
    warnings: Problems,
    problems: Problems,
}

impl Anchoring {
    fn reads_the_same(&self, art: &Article, files: &[Arc<ParsedFile>]) -> bool {
        self.article_file == art.file
            && self.body_offset == art.body_offset
            && same_text(&self.article_text, &art.text)
            && self.files.len() == files.len()
            && self.files.iter().zip(files).all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

fn same_text(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// One article's annotations, resolved: the unit the live preview reuses.
/// It depends on its [`Anchoring`] and on what its notes' wikilinks looked
/// up elsewhere (other articles' titles and annotation quotes, entities),
/// recorded as [`Lookup`]s; while both are unchanged it is reused whole.
struct Unit {
    /// Kept only with a cache (it holds the article's plain text: a build
    /// drops each as soon as its unit is made).
    anchoring: Option<Arc<Anchoring>>,
    /// The quotes of the article's annotations by id (see [`quotes_of`]).
    quotes: Arc<Quotes>,
    /// What anchoring found wrong or approximate.
    drifts: Vec<Drift>,
    warnings: Problems,
    anchor_problems: Problems,
    /// `None` when a wikilink did not resolve (never reused: the build
    /// fails anyway).
    lookups: Option<Vec<Lookup>>,
    problems: Problems,
    /// Its annotations and notes, and what its page shows of them.
    result: Arc<ArticleAnnotations>,
}

/// One question resolving a wikilink asked, with its answer.
#[derive(Clone, Debug, PartialEq)]
enum Lookup {
    /// The title of the article with this slug.
    Article(Slug, Option<String>),
    /// The quote of annotation `id` of an article.
    Quote(Slug, String, Option<String>),
    /// The entity a name resolves to.
    Entity(String, Option<Slug>),
}

/// Every well-formed item's quote by id (first wins), which `[[slug#id]]`
/// links to, anchored or not.
type Quotes = HashMap<String, String>;

fn quotes_of(files: &[Arc<ParsedFile>]) -> Quotes {
    let mut quotes = Quotes::default();
    for pf in files {
        for item in &pf.items {
            quotes
                .entry(item.id.clone())
                .or_insert_with(|| item.quote.clone());
        }
    }
    quotes
}

/// What wikilinks resolve against.
struct World<'a> {
    /// Article slug → position in `articles`.
    index: &'a HashMap<Slug, usize>,
    articles: &'a [Article],
    /// The quotes of each article with annotation files.
    quotes: &'a HashMap<Slug, Arc<Quotes>>,
    registry: Option<&'a Registry>,
    /// Articles that did not load (see [`AnchorInputs::unavailable`]).
    unavailable: &'a [(Slug, String)],
    /// What the build held back (see [`AnchorInputs::held`]).
    held: Option<&'a dyn HeldTargets>,
}

impl<'a> World<'a> {
    /// The world of `inp`, with its article index and quotes.
    fn of(
        inp: &AnchorInputs<'a>,
        index: &'a HashMap<Slug, usize>,
        quotes: &'a HashMap<Slug, Arc<Quotes>>,
    ) -> Self {
        World {
            index,
            articles: inp.articles,
            quotes,
            registry: inp.registry,
            unavailable: inp.unavailable,
            held: inp.held,
        }
    }
    fn title(&self, s: &Slug) -> Option<&str> {
        self.index.get(s).map(|&i| self.articles[i].title.as_str())
    }
    fn quote(&self, s: &Slug, id: &str) -> Option<&str> {
        self.quotes
            .get(s)
            .and_then(|q| q.get(id))
            .map(String::as_str)
    }
    fn entity(&self, name: &str) -> Option<&Slug> {
        self.registry?.resolve(name).map(|e| &e.slug)
    }
    /// Whether every lookup still gets the same answer.
    fn answers(&self, lookups: &[Lookup]) -> bool {
        lookups.iter().all(|l| match l {
            Lookup::Article(s, t) => self.title(s) == t.as_deref(),
            Lookup::Quote(s, id, q) => self.quote(s, id) == q.as_deref(),
            Lookup::Entity(n, s) => self.entity(n) == s.as_ref(),
        })
    }
}

/// Article slugs, sorted (for suggestions).
fn sorted_slugs(index: &HashMap<Slug, usize>) -> Vec<&str> {
    let mut v: Vec<&str> = index.keys().map(|s| s.as_str()).collect();
    v.sort_unstable();
    v
}

/// Parse, anchor and resolve everything (see the module docs).
///
/// The work is split by article: each article with annotation files is
/// anchored (`Anchoring`) and its notes resolved (`Unit`) on its own, in
/// parallel, and the results are put together in slug order, so the
/// output does not depend on scheduling. With an [`AnchorCache`] holding
/// the last build of the same articles, only what an edit can change is
/// worked out again (`update::update`); otherwise every unit whose
/// inputs did not change is still reused.
pub fn anchor_with(inp: &AnchorInputs) -> (Annotations, Problems) {
    use rayon::prelude::*;
    let mut files: Vec<&AnnotationSource> = inp.files.iter().collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    let mut memo: Option<Memo> = inp
        .cache
        .map(|c| std::mem::take(&mut *c.0.lock().unwrap_or_else(|e| e.into_inner())));
    if let (Some(cache), Some(m)) = (inp.cache, memo.as_mut())
        && let Some(done) = update::update(inp, &files, m)
    {
        *cache.0.lock().unwrap_or_else(|e| e.into_inner()) = memo.unwrap_or_default();
        return done;
    }
    let mut problems = Problems::default();
    let index: HashMap<Slug, usize> = inp
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.clone(), i))
        .collect();
    let world_now = memo
        .as_ref()
        .map(|_| world_digest(inp.articles, inp.registry));

    // 1. parse each file (again only if its text changed)
    let same_paths = memo.as_ref().is_some_and(|m| {
        m.paths.len() == files.len() && m.paths.iter().zip(&files).all(|(p, f)| *p == f.file)
    });
    let old_parsed = |i: usize, f: &AnnotationSource| {
        let m = memo.as_ref()?;
        let i = if same_paths {
            i
        } else {
            m.paths.binary_search_by(|p| p.as_str().cmp(&f.file)).ok()?
        };
        m.parsed.get(i)
    };
    let parsed: Vec<Parsed> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| match old_parsed(i, f) {
            Some(old) if same_text(&old.text, &f.text) => old.clone(),
            _ => Parsed::of(f),
        })
        .collect();

    // 2. group the files by the article they name
    let mut by_slug: BTreeMap<&Slug, Vec<Arc<ParsedFile>>> = BTreeMap::new();
    let mut flagged = std::collections::BTreeSet::new();
    let mut slugs = None;
    for (p, f) in parsed.iter().zip(&files) {
        if file_problems(p, &index, inp.unavailable, &mut slugs, &mut problems) {
            flagged.insert(f.file.clone());
        }
        if let Some(pf) = &p.parsed
            && let Some((slug, _)) = index.get_key_value(&pf.article)
        {
            by_slug.entry(slug).or_default().push(pf.clone());
        }
    }
    drop(slugs);

    // 3. each article's quotes (what `[[slug#id]]` finds)
    let old_unit = |slug: &Slug| memo.as_ref().and_then(|m| m.units.get(slug));
    let grouped: Vec<(&Slug, Vec<Arc<ParsedFile>>)> = by_slug.into_iter().collect();
    let quotes: HashMap<Slug, Arc<Quotes>> = grouped
        .par_iter()
        .map(|(slug, files)| {
            let old = old_unit(slug).filter(|u| {
                u.anchoring.as_ref().is_some_and(|a| {
                    a.files.len() == files.len()
                        && a.files.iter().zip(files).all(|(x, y)| Arc::ptr_eq(x, y))
                })
            });
            let q = match old {
                Some(u) => u.quotes.clone(),
                None => Arc::new(quotes_of(files)),
            };
            ((*slug).clone(), q)
        })
        .collect();

    // 4. anchor each article's files and resolve their notes (again only
    //    if they, the article, or what the notes' wikilinks found changed)
    let world = World::of(inp, &index, &quotes);
    // when articles and entities are as they were, a unit's lookups can
    // only have changed if they ask for the quotes of an article whose
    // annotations' quotes changed
    let same_world = memo
        .as_ref()
        .is_some_and(|m| m.world.is_some() && m.world == world_now);
    let requoted: HashSet<&Slug> = match &memo {
        Some(m) if same_world => {
            let mut v: HashSet<&Slug> = quotes
                .iter()
                .filter(|(slug, q)| match m.units.get(*slug) {
                    Some(u) => !Arc::ptr_eq(&u.quotes, q) && u.quotes != **q,
                    None => true,
                })
                .map(|(slug, _)| slug)
                .collect();
            v.extend(m.units.keys().filter(|s| !quotes.contains_key(*s)));
            v
        }
        _ => HashSet::default(),
    };
    let still_valid = |lookups: &[Lookup]| {
        if !same_world {
            return world.answers(lookups);
        }
        requoted.is_empty()
            || !lookups
                .iter()
                .any(|l| matches!(l, Lookup::Quote(s, ..) if requoted.contains(s)))
    };
    let keep = inp.cache.is_some();
    let units: Vec<(Slug, Arc<Unit>)> = grouped
        .par_iter()
        .map(|(slug, files)| {
            let art = &inp.articles[index[*slug]];
            let unit = unit_of(slug, art, files, old_unit(slug), &world, &still_valid, keep);
            ((*slug).clone(), unit)
        })
        .collect();

    // 5. the summary, and everything put together in slug order
    let (summary_html, summary_targets) = summary(inp, &world, &mut problems);
    let totals = Totals::of(&units);
    let out = gather(
        &totals,
        units.iter().map(|(_, u)| u).filter(|u| u.noisy()),
        summary_html,
        summary_targets,
        problems,
    );
    if let Some(cache) = inp.cache {
        let garbage: Vec<Vec<Arc<ParsedFile>>> = grouped.into_iter().map(|(_, v)| v).collect();
        let paths = match &memo {
            Some(m) if same_paths => m.paths.clone(),
            _ => files.iter().map(|f| f.file.clone()).collect(),
        };
        let unresolved = units
            .iter()
            .filter(|(_, u)| u.lookups.is_none())
            .map(|(s, _)| s.clone())
            .collect();
        // (with articles that did not load, every later build is whole)
        let last = inp.unavailable.is_empty().then(|| update::Last {
            articles: inp.articles.iter().map(update::Seen::of).collect(),
            index,
            quotes,
            registry: registry_digest(inp.registry),
            held: inp.held.is_some(),
            flagged,
            unresolved,
            totals,
        });
        let next = Memo {
            paths,
            parsed,
            units: units.into_iter().collect(),
            world: world_now,
            last,
        };
        *cache.0.lock().unwrap_or_else(|e| e.into_inner()) = next;
        // the last build's memo and this one's groups of files (tens of
        // thousands of reference counts and small allocations) are freed
        // beside the rest of the rebuild
        rayon::spawn(move || drop((memo, garbage)));
    } else {
        // Free what only this function needed (tens of thousands of small
        // allocations in a large briefing) on every core.
        let quotes: Vec<Arc<Quotes>> = quotes.into_values().collect();
        drop(grouped);
        rayon::join(
            || units.into_par_iter().for_each(drop),
            || {
                parsed.into_par_iter().for_each(drop);
                quotes.into_par_iter().for_each(drop);
                drop(index);
            },
        );
    }
    out
}

impl Parsed {
    fn of(f: &AnnotationSource) -> Parsed {
        let mut problems = Problems::default();
        let parsed = parse::parse_file(f, &mut problems).map(Arc::new);
        Parsed {
            text: f.text.clone(),
            parsed,
            problems,
        }
    }
}

/// Add the problems of one parsed file of its own to `problems`: those
/// parsing found, and that of naming no article (`slugs`: the article
/// slugs sorted, made when first needed). Whether it had any.
fn file_problems<'a>(
    p: &Parsed,
    index: &'a HashMap<Slug, usize>,
    unavailable: &[(Slug, String)],
    slugs: &mut Option<Vec<&'a str>>,
    problems: &mut Problems,
) -> bool {
    problems.extend(p.problems.0.iter().cloned());
    let mut any = !p.problems.0.is_empty();
    let Some(pf) = &p.parsed else { return any };
    if index.contains_key(&pf.article) {
        return any;
    }
    any = true;
    let at_article = |msg: String| {
        Problem::at(
            &pf.file,
            pf.text.clone(),
            pf.article_at.0,
            pf.article_at.1,
            msg,
        )
    };
    if let Some((_, file)) = unavailable.iter().find(|(s, _)| *s == pf.article) {
        problems.push(
            at_article(format!("annotations of `{}` not checked", pf.article))
                .unchecked(crate::diag::codes::UNCHECKED_FILE, file.clone()),
        );
        return any;
    }
    let slugs = slugs.get_or_insert_with(|| sorted_slugs(index));
    let close = slugs
        .iter()
        .map(|s| (strsim::jaro_winkler(s, pf.article.as_str()), *s))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = match close {
        Some((_, s)) => format!("did you mean `{s}`?"),
        None if slugs.is_empty() => "there are no articles in content/".to_string(),
        None => format!("the articles are: {}", crate::diag::some_of(slugs, 5)),
    };
    problems.push(at_article(format!("no article has the slug `{}`", pf.article)).with_help(help));
    any
}

/// One article's unit: `old` if what it read is unchanged (its anchoring,
/// and `still_valid` says its lookups are), otherwise anchored again
/// (when the article or its files changed) and resolved again.
fn unit_of(
    slug: &Slug,
    art: &Article,
    files: &[Arc<ParsedFile>],
    old: Option<&Arc<Unit>>,
    world: &World,
    still_valid: &(dyn Fn(&[Lookup]) -> bool + Sync),
    keep: bool,
) -> Arc<Unit> {
    let old_anchoring = old.and_then(|u| u.anchoring.as_ref());
    let anchoring = match old_anchoring {
        Some(a) if a.reads_the_same(art, files) => a.clone(),
        _ => Arc::new(anchor_article(art, files, old_anchoring)),
    };
    if let Some(old) = old
        && old_anchoring.is_some_and(|a| Arc::ptr_eq(a, &anchoring))
        && old.lookups.as_deref().is_some_and(still_valid)
    {
        return old.clone();
    }
    let unit = resolve_article(
        slug,
        &anchoring,
        world.quotes[slug].clone(),
        world,
        old.map(|u| &**u),
    );
    Arc::new(Unit {
        anchoring: keep.then_some(anchoring),
        ..unit
    })
}

/// The executive summary rendered with its wikilinks resolved, and what
/// they point at.
fn summary(
    inp: &AnchorInputs,
    world: &World,
    problems: &mut Problems,
) -> (Option<String>, Vec<Target>) {
    let Some(s) = inp.summary else {
        return (None, Vec::new());
    };
    let src = NoteSrc {
        md: s.body.clone(),
        offset: s.body_offset,
    };
    let resolver = Resolver { world };
    let (links, targets) = resolver.resolve(&src, &s.file, &s.text, None, problems, &mut None);
    let html = note::render(&wikilink::rewrite(&s.body, &links, &SitePath::index()));
    (Some(html), targets)
}

/// What the units give the whole briefing: each article's results, how
/// many annotations and notes there are, and the articles whose units
/// have drifts or problems (`units` in slug order).
struct Totals {
    by_article: ArticleMap,
    count: usize,
    notes_count: usize,
    noisy: std::collections::BTreeSet<Slug>,
}

impl Totals {
    fn of(units: &[(Slug, Arc<Unit>)]) -> Totals {
        let mut t = Totals {
            by_article: ArticleMap::from_sorted(
                units
                    .iter()
                    .map(|(slug, u)| (slug.clone(), u.result.clone())),
            ),
            count: 0,
            notes_count: 0,
            noisy: Default::default(),
        };
        for (slug, u) in units {
            t.add(slug, u, 1);
        }
        t
    }

    /// Count `u` in (`sign` 1) or out (`sign` -1); `by_article` is set by
    /// the caller.
    fn add(&mut self, slug: &Slug, u: &Unit, sign: isize) {
        let n = |x: usize| x as isize * sign;
        self.count = self
            .count
            .saturating_add_signed(n(u.result.annotations.len()));
        self.notes_count = self
            .notes_count
            .saturating_add_signed(n(u.result.notes.len()));
        if sign > 0 && u.noisy() {
            self.noisy.insert(slug.clone());
        } else if sign < 0 {
            self.noisy.remove(slug);
        }
    }
}

impl Unit {
    /// Whether it has drifts, warnings or problems.
    fn noisy(&self) -> bool {
        !(self.drifts.is_empty()
            && self.warnings.0.is_empty()
            && self.anchor_problems.0.is_empty()
            && self.problems.0.is_empty())
    }
}

/// Every unit's results put together (`noisy`: the units with drifts or
/// problems, in slug order; `problems`: the files' own and the summary's,
/// before the units'), sorted as a build gives them.
fn gather<'a>(
    totals: &Totals,
    noisy: impl Iterator<Item = &'a Arc<Unit>>,
    summary_html: Option<String>,
    summary_targets: Vec<Target>,
    mut problems: Problems,
) -> (Annotations, Problems) {
    let mut drifts = Vec::new();
    let mut warnings = Problems::default();
    for u in noisy {
        drifts.extend(u.drifts.iter().cloned());
        warnings.extend(u.warnings.0.iter().cloned());
        problems.extend(u.anchor_problems.0.iter().cloned());
        problems.extend(u.problems.0.iter().cloned());
    }
    drifts.sort_by(|a: &Drift, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems.sort();
    warnings.sort();
    (
        Annotations {
            // (a copy shares every chunk; every annotation in one list is
            // made when first asked for, see `Annotations::all`)
            by_article: totals.by_article.clone(),
            all: Default::default(),
            notes: Default::default(),
            count: totals.count,
            notes_count: totals.notes_count,
            drifts,
            summary_html,
            summary_targets,
            warnings,
        },
        problems,
    )
}

/// Anchor the annotation files naming one article (`old`: the last
/// anchoring of that article, whose plain text is reused if the article
/// did not change).
fn anchor_article(
    art: &Article,
    files: &[Arc<ParsedFile>],
    old: Option<&Arc<Anchoring>>,
) -> Anchoring {
    let body = match old {
        Some(o)
            if o.article_file == art.file
                && o.body_offset == art.body_offset
                && same_text(&o.article_text, &art.text) =>
        {
            o.body.clone()
        }
        _ => Arc::new(Body::of(art)),
    };
    let mut anchored: Vec<Anchored> = Vec::new();
    let mut unanchored = Vec::new();
    let mut drifts = Vec::new();
    let mut warnings = Problems::default();
    let mut problems = Problems::default();
    let plain = body.text.as_str();
    for (fi, pf) in files.iter().enumerate() {
        for (ii, item) in pf.items.iter().enumerate() {
            let here = |msg: String| {
                Problem::at(
                    &pf.file,
                    pf.text.clone(),
                    item.quote_at.0,
                    item.quote_at.1,
                    msg,
                )
            };
            let found = if item.valid {
                anchor_item(art, &body, item, &here, &mut problems)
            } else {
                None
            };
            let Some((range, method, score)) = found else {
                unanchored.push((fi, ii));
                continue;
            };
            if method == Method::Approximate {
                let p = here(format!(
                    "quoted passage matched approximately ({}% similar) in {}",
                    (score * 100.0).floor(),
                    art.file
                ))
                .with_help(format!(
                    "the article now reads “{}” at {}; update the quote",
                    note::shorten(&one_line(&plain[range.clone()]), 160),
                    loc(art, &body, range.start)
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
                    score,
                });
                warnings.push(p.clone());
                problems.push(p);
            }
            anchored.push(Anchored {
                file: fi,
                item: item.clone(),
                range,
                method,
                score,
            });
        }
    }

    // ids must be unique per article
    let mut first: HashMap<&str, usize> = HashMap::default();
    let mut keep = vec![true; anchored.len()];
    for (i, a) in anchored.iter().enumerate() {
        if let Some(&f) = first.get(a.item.id.as_str()) {
            let (pf, fpf) = (&files[a.file], &files[anchored[f].file]);
            let (l, c) = line_col(&fpf.text, anchored[f].item.quote_at.0);
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
            first.insert(&a.item.id, i);
        }
    }
    let mut kept = keep.iter();
    anchored.retain(|_| *kept.next().unwrap_or(&true));

    Anchoring {
        article_file: art.file.clone(),
        article_text: art.text.clone(),
        body_offset: art.body_offset,
        files: files.to_vec(),
        body,
        anchored,
        unanchored,
        drifts,
        warnings,
        problems,
    }
}

/// Where one well-formed item's quote is in the article: its range, how it
/// was found and how well; `None` (with a problem) when it is not found
/// or not found once.
fn anchor_item(
    art: &Article,
    body: &Body,
    item: &parse::ParsedAnnotation,
    here: &dyn Fn(String) -> Problem,
    problems: &mut Problems,
) -> Option<(Range<usize>, Method, f64)> {
    let plain = body.text.as_str();
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
            problems
                .push(here(format!("quoted passage not found in {}", art.file)).with_help(help));
            None
        }
        anchor::Outcome::Found(m) => {
            let n = m.ranges.len();
            let range = match item.occurrence {
                Some(k) if k <= n => m.ranges[k - 1].clone(),
                Some(k) => {
                    problems.push(
                        here(format!(
                            "`occurrence={k}` but the passage occurs {} in {}",
                            times(n),
                            art.file
                        ))
                        .with_help(format!("it occurs at {}", places(art, body, &m.ranges))),
                    );
                    return None;
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
                    return None;
                }
                None => m.ranges[0].clone(),
            };
            Some((range, m.method, m.score))
        }
    }
}

/// Resolve the notes of one article's annotations and build what its page
/// shows (`old`: the last unit of that article, whose rendered notes and
/// decorations are reused where they would come out the same).
fn resolve_article(
    slug: &Slug,
    an: &Arc<Anchoring>,
    quotes: Arc<Quotes>,
    world: &World,
    old: Option<&Unit>,
) -> Unit {
    let resolver = Resolver { world };
    let mut problems = Problems::default();
    let mut lookups = Some(Vec::new());
    let files = &an.files;
    for &(fi, ii) in &an.unanchored {
        let pf = &files[fi];
        resolver.resolve(
            &pf.items[ii].note,
            &pf.file,
            &pf.text,
            Some(slug),
            &mut problems,
            &mut lookups,
        );
    }
    let plain = &an.body.text;
    let mut all: Vec<Annotation> = Vec::new();
    for a in &an.anchored {
        let pf = &files[a.file];
        let (links, targets) = resolver.resolve(
            &a.item.note,
            &pf.file,
            &pf.text,
            Some(slug),
            &mut problems,
            &mut lookups,
        );
        let (line, column) = line_col(&pf.text, a.item.quote_at.0);
        let note_md = &a.item.note.md;
        let (prefix, suffix) = anchor::context(plain, &a.range);
        // an unchanged note is not rendered again
        let rendered = old
            .and_then(|o| o.result.annotations.iter().find(|o| o.id == a.item.id))
            .filter(|o| o.note_md == *note_md && o.links == links)
            .map(|o| o.rendered.clone())
            .unwrap_or_else(|| note::Rendered::new(note_md, &links));
        all.push(Annotation {
            article: slug.clone(),
            id: a.item.id.clone(),
            file: pf.file.clone(),
            line,
            column,
            quote: a.item.quote.clone(),
            found: plain[a.range.clone()].to_string(),
            prefix,
            suffix,
            range: a.range.clone(),
            method: a.method,
            score: a.score,
            // an internal build marks the annotations of a draft file
            tags: if pf.draft && !a.item.tags.iter().any(|t| t == "draft") {
                let mut t = a.item.tags.clone();
                t.push("draft".into());
                t
            } else {
                a.item.tags.clone()
            },
            status: a.item.status,
            claim: a.item.claim.clone().or_else(|| {
                a.item
                    .tags
                    .iter()
                    .any(|t| t == "claim")
                    .then(|| a.item.id.clone())
            }),
            cred: a.item.cred,
            date: a.item.date,
            occurrence: a.item.occurrence,
            origin: a.item.origin.clone(),
            number: 0,
            targets,
            note_md: note_md.clone(),
            links,
            rendered,
        });
    }
    all.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end), &a.id).cmp(&(
            b.range.start,
            std::cmp::Reverse(b.range.end),
            &b.id,
        ))
    });
    for (n, a) in all.iter_mut().enumerate() {
        a.number = n + 1;
    }
    let mut notes = Vec::new();
    for pf in files {
        if let Some(n) = &pf.article_note {
            let (links, targets) = resolver.resolve(
                n,
                &pf.file,
                &pf.text,
                Some(slug),
                &mut problems,
                &mut lookups,
            );
            notes.push(ArticleNote {
                article: slug.clone(),
                file: pf.file.clone(),
                draft: pf.draft,
                targets,
                note_md: n.md.clone(),
                links,
            });
        }
    }
    let result = match old {
        Some(o)
            if o.anchoring
                .as_ref()
                .is_some_and(|oa| Arc::ptr_eq(&oa.body, &an.body))
                && o.result.annotations.iter().map(|a| &**a).eq(all.iter())
                && o.result.notes.iter().map(|n| &**n).eq(notes.iter()) =>
        {
            o.result.clone()
        }
        _ => {
            // shared with the sidenotes of the result; `arcs`, not
            // `into_iter().map(Arc::new).collect()`, which reuses the
            // source's allocation and so would keep room for the whole
            // annotations behind their pointers (at 10,000 articles
            // 20 MB held to the end of the build)
            let all: Vec<Arc<Annotation>> = arcs(all);
            let notes: Vec<Arc<ArticleNote>> = arcs(notes);
            Arc::new(article_annotations(slug, &an.body, all, notes))
        }
    };
    Unit {
        anchoring: Some(an.clone()),
        quotes,
        drifts: an.drifts.clone(),
        warnings: an.warnings.clone(),
        anchor_problems: an.problems.clone(),
        lookups,
        problems,
        result,
    }
}

/// Each of `items` behind its own reference count, in a list of its own
/// length.
fn arcs<T>(items: Vec<T>) -> Vec<Arc<T>> {
    let mut out = Vec::with_capacity(items.len());
    out.extend(items.into_iter().map(Arc::new));
    out
}

/// What one article gets from its annotations (sorted by position) and
/// its whole-article notes: sidenotes, the article note (highlights:
/// [`ArticleAnnotations::highlights`]).
fn article_annotations(
    slug: &Slug,
    body: &Body,
    mine: Vec<Arc<Annotation>>,
    notes: Vec<Arc<ArticleNote>>,
) -> ArticleAnnotations {
    let at = SitePath::article(slug);
    let mut by_block: BTreeMap<usize, Vec<Arc<Annotation>>> = BTreeMap::new();
    for a in &mine {
        let block_end = body
            .blocks
            .iter()
            .find(|b| b.end >= a.range.end)
            .map_or(usize::MAX, |b| b.end);
        by_block.entry(block_end).or_default().push(a.clone());
    }
    let sidenotes = by_block
        .into_iter()
        .map(|(end, notes)| (end.min(body.text.len()), notes))
        .collect();
    let note_html: Vec<String> = notes.iter().map(|n| n.html(&at)).collect();
    ArticleAnnotations {
        article_note_html: (!note_html.is_empty()).then(|| note_html.concat()),
        sidenotes,
        annotations: mine,
        notes,
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

/// Where a passage occurs, for a help line: the first few places (the
/// file named once), then how many more — a one-letter quote occurs
/// hundreds of times, and the help must stay one short line.
fn places(a: &Article, body: &Body, ranges: &[Range<usize>]) -> String {
    const SHOWN: usize = 3;
    let v: Vec<String> = ranges
        .iter()
        .take(SHOWN)
        .enumerate()
        .map(|(i, r)| {
            let at = loc(a, body, r.start);
            if i == 0 {
                at
            } else {
                // `content/x.md:8:31` → `8:31`
                at.strip_prefix(&format!("{}:", a.file))
                    .map_or(at.clone(), str::to_string)
            }
        })
        .collect();
    let mut all = v;
    all.extend(std::iter::repeat_n(
        String::new(),
        ranges.len().saturating_sub(SHOWN),
    ));
    let shown: Vec<&str> = all.iter().map(String::as_str).collect();
    crate::diag::some_of(&shown, SHOWN)
}

/// Resolves wikilink targets against articles, annotations and entities,
/// noting what it looked up (see [`Unit`]).
struct Resolver<'a> {
    world: &'a World<'a>,
}

impl Resolver<'_> {
    /// The links of a note and what they point at. Each question asked is
    /// added to `lookups`, which becomes `None` when a link does not
    /// resolve.
    fn resolve(
        &self,
        note: &NoteSrc,
        file: &str,
        text: &Arc<str>,
        current: Option<&Slug>,
        problems: &mut Problems,
        lookups: &mut Option<Vec<Lookup>>,
    ) -> (Vec<Resolved>, Vec<Target>) {
        let mut links = Vec::new();
        let mut targets = Vec::new();
        let mut asked = Vec::new();
        for w in wikilink::find(&note.md) {
            if let Some(why) = self
                .world
                .held
                .and_then(|h| h.link_reason(&w.target, current))
            {
                *lookups = None;
                problems.push(
                    Problem::at(
                        file,
                        text.clone(),
                        note.offset + w.range.start,
                        w.range.len(),
                        format!(
                            "wikilink `[[{}]]` points at held-back material: {why}, and a public build leaves it out",
                            w.target
                        ),
                    )
                    .with_help(
                        "remove the link, move it into an ```internal block, or mark this annotation `.internal`; `briefing build --profile internal` keeps it",
                    ),
                );
                continue;
            }
            match self.target(&w.target, current, &mut asked) {
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
                Err(why) => {
                    *lookups = None;
                    let at = |msg: String| {
                        Problem::at(
                            file,
                            text.clone(),
                            note.offset + w.range.start,
                            w.range.len(),
                            msg,
                        )
                    };
                    problems.push(match self.unchecked_because(&w.target) {
                        Some(cause) => at(format!("wikilink `[[{}]]` not checked", w.target))
                            .unchecked(crate::diag::codes::UNCHECKED_LINK, cause),
                        None => {
                            at(format!("unresolved wikilink `[[{}]]`", w.target)).with_help(why)
                        }
                    })
                }
            }
        }
        if let Some(l) = lookups {
            l.append(&mut asked);
        }
        targets.sort();
        // kept as long as the annotation: no room for more
        links.shrink_to_fit();
        targets.shrink_to_fit();
        (links, targets)
    }

    /// The file that did not load and may hold what the unresolved
    /// `[[t]]` points at — an article (`[[slug]]`, `[[slug#id]]`) or, for
    /// `[[Name]]`, the entity registry: that file's error is the cause,
    /// and the link is not checked.
    fn unchecked_because(&self, t: &str) -> Option<String> {
        let w = self.world;
        let slug = t.split('#').next().unwrap_or("").trim();
        if let Some((_, file)) = w.unavailable.iter().find(|(s, _)| s.as_str() == slug) {
            return Some(file.clone());
        }
        if t.contains('#') {
            return None;
        }
        w.registry
            .and_then(Registry::unloaded_file)
            .map(str::to_string)
    }

    /// The target of `[[t]]` and its default shown text, or why not.
    fn target(
        &self,
        t: &str,
        current: Option<&Slug>,
        asked: &mut Vec<Lookup>,
    ) -> Result<(Target, String), String> {
        let w = self.world;
        if let Some((slug, id)) = t.split_once('#') {
            let slug = slug.trim();
            let id = id.trim();
            let article = if slug.is_empty() {
                current.cloned().ok_or_else(|| {
                    "`[[#id]]` works only in an annotation file; write `[[article-slug#id]]`"
                        .to_string()
                })?
            } else {
                let s =
                    Slug::parse(slug).map_err(|_| format!("no article has the slug `{slug}`"))?;
                let title = w.title(&s);
                asked.push(Lookup::Article(s.clone(), title.map(str::to_string)));
                if title.is_none() {
                    return Err(format!("no article has the slug `{slug}`"));
                }
                s
            };
            let quote = w.quote(&article, id);
            asked.push(Lookup::Quote(
                article.clone(),
                id.to_string(),
                quote.map(str::to_string),
            ));
            let Some(quote) = quote else {
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
        if let Ok(slug) = Slug::parse(t) {
            let title = w.title(&slug).map(str::to_string);
            asked.push(Lookup::Article(slug.clone(), title.clone()));
            if let Some(title) = title {
                return Ok((Target::Article { slug }, title));
            }
        }
        let entity = w.entity(t).cloned();
        asked.push(Lookup::Entity(t.to_string(), entity.clone()));
        if let Some(slug) = entity {
            return Ok((Target::Entity { slug }, t.to_string()));
        }
        let mut names = sorted_slugs(w.index);
        if let Some(r) = w.registry {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_articles_annotations_are_kept_in_a_list_of_their_own_length() {
        // (collecting `into_iter().map(Arc::new)` reuses the source's
        // allocation: room for three whole annotations behind three
        // pointers)
        let items = vec![[0u64; 64]; 3];
        let v = arcs(items);
        assert_eq!((v.len(), v.capacity()), (3, 3));
        assert!(v.iter().all(|a| a[0] == 0));
    }
}
