//! incremental: the live preview's build session — keeps the parsed inputs,
//! the assembled briefing and the compiled templates in memory between
//! rebuilds, and turns a set of changed files into the smallest rebuild
//! that is still correct (falling back to a full one when in doubt).
//!
//! What a change affects:
//!
//! | changed file | re-read | assembled again | rendered again |
//! |---|---|---|---|
//! | `annotations/x.md` | that file | annotations (unchanged files come from the anchoring cache) and the links they feed: backlinks, entity notes, timeline | pages depending on what changed |
//! | `content/x.md` | that file | everything (mentions and related articles span articles) | pages depending on what changed |
//! | `content/_briefing.md` | that file | everything | pages depending on what changed |
//! | `seeds/x` (or its sidecar `seeds/x.meta.yaml`) | that seed, cleaned again (hand edits protected) | as for its content file | its article's pages too |
//! | `templates/t.html` | the theme | nothing | pages rendered with `t.html` (everything when another template uses it) |
//! | `static/f` | the theme | nothing | nothing: `f` is copied |
//! | `briefing.toml`, `entities.yaml`, new or deleted articles, seeds | everything | everything | everything |
//!
//! "Pages depending on what changed": after assembling, the old and new
//! briefing are compared part by part ([`Dep`]: an article, an entity, the
//! article cards, the annotations, the events, the summary, the mentions),
//! and a page is rendered again when one of the parts it declares
//! (`render::pages`, `Job::deps`) changed. An annotation edit in a large
//! briefing thus renders its article, the annotation pages, and the pages
//! of entities its notes name — not every entity page. Unchanged bytes are
//! not written.
//!
//! A failed rebuild keeps the session (the last good articles stay in
//! memory) and remembers what it still has to redo, so a file that is still
//! broken stays an error and fixing it is incremental too.

use crate::clean::Cleaned;
use crate::content::{self, Article};
use crate::diag::{Problem, Problems};
use crate::model::{Briefing, SitePath, Slug, SourceView};
use crate::project::{CleanAction, Inputs, Project};
use crate::render::{self, Dep, Output, PageJob, Renderer};
use crate::site;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Site paths of pages whose bytes changed (written or removed).
    pub pages: Vec<String>,
    /// Site paths of other files (static assets) that changed.
    pub assets: Vec<String>,
    /// Pages rendered (changed or not).
    pub rendered: Vec<String>,
    /// Whether everything was rebuilt.
    pub full: bool,
    pub warnings: Problems,
    pub millis: u128,
}

impl Rebuild {
    /// One line for the log: what was rebuilt, why, how long it took.
    pub fn log_line(&self, cause: &str) -> String {
        let what = if self.full {
            format!(
                "everything ({} pages, {} files changed)",
                self.rendered.len(),
                self.pages.len() + self.assets.len()
            )
        } else {
            let mut names: Vec<String> = self
                .rendered
                .iter()
                .map(|p| SitePath::new(p.clone()).pretty().to_string())
                .map(|p| if p.is_empty() { "index".into() } else { p })
                .chain(self.assets.iter().cloned())
                .collect();
            names.dedup();
            // the pages of the changed article first: they are what the
            // analyst is looking at
            names.sort_by_key(|n| !n.starts_with("articles/"));
            match names.len() {
                0 => "nothing".to_string(),
                1..=3 => names.join(", "),
                n => format!("{} +{} more", names[..3].join(", "), n - 3),
            }
        };
        format!("rebuilt {what} ({cause}) in {} ms", self.millis)
    }
}

/// A rebuild that failed: the problems, and how long finding them took.
#[derive(Debug)]
pub struct Failed {
    pub problems: Problems,
    pub millis: u128,
}

/// A rebuild that panicked (a bug: bad input is a [`Problem`]) as a failed
/// one: an error naming what changed, shown like any other, so `serve`
/// keeps serving the last good site.
fn panicked(payload: &(dyn std::any::Any + Send), changed: &str, start: Instant) -> Failed {
    Failed {
        problems: Problem::file(
            changed,
            format!(
                "the rebuild after this change failed: internal error ({})",
                crate::diag::panic_message(payload)
            ),
        )
        .with_help(
            "this is a bug in briefing: the last good site is still served, and the next change rebuilds everything; please report it with the file",
        )
        .into(),
        millis: start.elapsed().as_millis(),
    }
}

/// Describe changed files for the log: `annotations/x.md changed`.
pub fn cause(changed: &BTreeSet<String>) -> String {
    let mut names: Vec<&str> = changed.iter().map(String::as_str).take(3).collect();
    if changed.len() > 3 {
        names.push("…");
    }
    format!("{} changed", names.join(", "))
}

struct State {
    inputs: Inputs,
    briefing: Briefing,
    renderer: Renderer,
    /// The page jobs of `briefing`, kept while what decides them (the
    /// articles, the set of annotations, the events) is unchanged.
    jobs: Vec<render::PageJob>,
    /// Their pages; the page set changes only in full builds.
    pages: Vec<SitePath>,
    /// What pages share (links to every article and entity), kept while
    /// the articles are unchanged.
    shared: render::Shared,
    /// The publishing files (feed, sitemap, robots, search index): every
    /// output that is neither a page nor a theme file.
    published: BTreeSet<String>,
    /// What a failed rebuild still has to redo.
    pending: Dirty,
}

/// The build session of `serve`/`watch`.
pub struct Session {
    project: Project,
    out: PathBuf,
    cleaned: BTreeMap<String, Cleaned>,
    /// `None` until a build succeeds, and after a failed one: the next
    /// rebuild is then a full one.
    state: Option<State>,
    /// The articles of the last good build, slug → content file (for the
    /// annotate endpoint).
    slugs: BTreeMap<String, String>,
    /// Bumped whenever `slugs` is recomputed.
    slugs_version: u64,
    /// Anchoring results of the last build: an annotation edit anchors
    /// and resolves again only the article it changed.
    anchor_cache: std::sync::Arc<crate::annotate::AnchorCache>,
    /// What the session builds: output directory, `base_url`, profile
    /// and time (part of its configuration, applied on every full build;
    /// a `draft:` or `embargo:` edit is an ordinary content edit).
    opts: site::BuildOptions,
    /// The removal of the site a full build replaced, still running (see
    /// [`Session::settle`]).
    removal: site::Removal,
}

/// How a change is handled.
enum Kind {
    Full { reclean: bool },
    Seed(PathBuf, String),
    Article(String),
    Summary,
    Annotation(String),
    Template(String),
    Static(String),
    Ignore,
}

fn classify(project: &Project, rel: &str) -> Kind {
    let path = project.path(rel);
    if rel == "briefing.toml" || rel == "entities.yaml" {
        return Kind::Full { reclean: false };
    }
    let Some((top, rest)) = rel.split_once('/') else {
        // a watched directory itself appeared or went away
        return match rel {
            "seeds" => Kind::Full { reclean: true },
            "content" | "annotations" | "templates" | "static" => Kind::Full { reclean: false },
            _ => Kind::Ignore,
        };
    };
    if path.is_dir() {
        // a directory moved in or out: its files gave no events of their own
        return Kind::Full {
            reclean: top == "seeds",
        };
    }
    let md = rel.ends_with(".md");
    match top {
        // a sidecar is cleaned with its seed (several seeds, or none: all)
        "seeds" if rel.ends_with(crate::sidecar::SUFFIX) => {
            match project.seeds_of_sidecar(&path).as_slice() {
                [seed] => {
                    let name = seed.file_name().unwrap_or_default().to_string_lossy();
                    Kind::Seed(seed.clone(), name.into_owned())
                }
                _ => Kind::Full { reclean: true },
            }
        }
        "seeds" => Kind::Seed(path, rest.rsplit('/').next().unwrap_or(rest).to_string()),
        "content" if rest == "_briefing.md" => Kind::Summary,
        "content" if md => Kind::Article(rel.to_string()),
        "annotations" if md => Kind::Annotation(rel.to_string()),
        "templates" => Kind::Template(rest.to_string()),
        "static" => Kind::Static(rest.to_string()),
        _ => Kind::Ignore,
    }
}

/// Read a project file as text; `Ok(None)` when it does not exist.
fn read_opt(project: &Project, rel: &str) -> Result<Option<Arc<str>>, Problem> {
    match std::fs::read(project.path(rel)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Problem::file(rel, format!("cannot read the file: {e}"))),
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Ok(Some(Arc::from(s))),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned());
                Err(
                    Problem::at(rel, lossy, at, 1, "the file is not valid UTF-8")
                        .with_help("save the file as UTF-8"),
                )
            }
        },
    }
}

/// The fields of an article that pages other than its own show (an
/// internal build's lists badge a held article).
fn card(a: &Article) -> impl PartialEq + '_ {
    (
        (&a.slug, &a.title, &a.date, &a.byline, &a.source, &a.summary),
        (&a.tags, &a.figures, &a.held),
    )
}

/// The parts of the briefing that annotations feed (their pages,
/// backlinks, entity notes, the timeline) and that differ between `old`
/// and `new`.
fn annotation_deps(old: &Briefing, new: &Briefing) -> BTreeSet<Dep> {
    let mut deps = BTreeSet::new();
    let (ol, links, annotations) = (&old.links, &new.links, &new.annotations);
    for a in &old.articles {
        let s = &a.slug;
        let same = match (
            old.annotations.by_article.get(s),
            annotations.by_article.get(s),
        ) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (a, b) => a.is_none() && b.is_none(),
        };
        if !same || ol.backlinks.get(s) != links.backlinks.get(s) {
            deps.insert(Dep::Article(s.clone()));
        }
    }
    if old.annotations.summary_html != annotations.summary_html {
        deps.insert(Dep::Summary);
    }
    let (oa, na) = (&old.annotations, annotations);
    if !same_arcs(oa.all(), na.all()) || !same_arcs(oa.article_notes(), na.article_notes()) {
        deps.insert(Dep::Annotations);
        if oa.all().len() != na.all().len()
            || oa
                .all()
                .iter()
                .zip(na.all())
                .any(|(x, y)| !Arc::ptr_eq(x, y) && set_key(x) != set_key(y))
        {
            deps.insert(Dep::AnnotationSet);
        }
        let (before, after) = (
            by_article(oa.all(), oa.article_notes()),
            by_article(na.all(), na.article_notes()),
        );
        for slug in before.keys().chain(after.keys()) {
            let same = match (before.get(slug), after.get(slug)) {
                (Some((a, n)), Some((b, m))) => same_arcs(a, b) && same_arcs(n, m),
                _ => false,
            };
            if !same {
                deps.insert(Dep::Notes((*slug).clone()));
            }
        }
    }
    if ol.timeline != links.timeline {
        deps.insert(Dep::Events);
    }
    for (i, e) in ol.registry.entities.iter().enumerate() {
        if ol.entity_notes.get(&e.slug) != links.entity_notes.get(&e.slug) {
            deps.insert(Dep::Entity(i));
        }
    }
    deps
}

/// The parts of the briefing an annotation edit changed, from what
/// [`site::update_annotations`] says changed (`b` is the briefing after it).
fn update_deps(b: &Briefing, ch: &site::AnnotationChanges) -> BTreeSet<Dep> {
    let mut deps = BTreeSet::new();
    let (old, new) = (&ch.previous, &b.annotations);
    for s in ch.articles.iter().chain(&ch.backlinks) {
        deps.insert(Dep::Article(s.clone()));
    }
    if old.summary_html != new.summary_html {
        deps.insert(Dep::Summary);
    }
    let (old_notes, new_notes) = (old.notes_of(&ch.articles), new.notes_of(&ch.articles));
    for s in &ch.articles {
        let (before, after) = (old.of_article(s), new.of_article(s));
        if !same_arcs(before, after) || old_notes.get(s) != new_notes.get(s) {
            deps.insert(Dep::Annotations);
            deps.insert(Dep::Notes(s.clone()));
        }
        if before.len() != after.len()
            || before
                .iter()
                .zip(after)
                .any(|(x, y)| set_key(x) != set_key(y))
        {
            deps.insert(Dep::AnnotationSet);
        }
    }
    if ch.timeline {
        deps.insert(Dep::Events);
    }
    for e in &ch.entity_notes {
        if let Some(i) = b.links.registry.position(e) {
            deps.insert(Dep::Entity(i));
        }
    }
    deps
}

/// What decides an annotation's place in the listings.
fn set_key(
    a: &crate::annotate::Annotation,
) -> (
    &Slug,
    &String,
    &Vec<String>,
    &Option<String>,
    Option<crate::annotate::Status>,
) {
    (&a.article, &a.id, &a.tags, &a.claim, a.status)
}

/// Whether two lists hold equal items (the same ones, most of the time).
fn same_arcs<T: PartialEq>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
}

/// One article's annotations and its whole-article notes.
type ArticleParts<'a> = (
    &'a [Arc<crate::annotate::Annotation>],
    Vec<Arc<crate::annotate::ArticleNote>>,
);

/// Each article's annotations and whole-article notes (`all` is sorted by
/// article).
fn by_article<'a>(
    all: &'a [Arc<crate::annotate::Annotation>],
    notes: &'a [Arc<crate::annotate::ArticleNote>],
) -> BTreeMap<&'a Slug, ArticleParts<'a>> {
    let mut out: BTreeMap<&Slug, (&[Arc<crate::annotate::Annotation>], Vec<_>)> = BTreeMap::new();
    let mut start = 0;
    while start < all.len() {
        let slug = &all[start].article;
        let len = all[start..]
            .iter()
            .take_while(|a| a.article == *slug)
            .count();
        out.insert(slug, (&all[start..start + len], Vec::new()));
        start += len;
    }
    for n in notes {
        out.entry(&n.article)
            .or_insert((&[], Vec::new()))
            .1
            .push(n.clone());
    }
    out
}

/// The parts of the briefing that differ between `old` and `new`, which
/// have the same articles (a new, removed or renamed article takes a full
/// rebuild).
fn briefing_deps(old: &Briefing, new: &Briefing) -> BTreeSet<Dep> {
    let (ol, nl) = (&old.links, &new.links);
    let mut deps = annotation_deps(old, new);
    let same_order = old.articles.len() == new.articles.len()
        && old
            .articles
            .iter()
            .zip(&new.articles)
            .all(|(a, b)| a.slug == b.slug);
    if !same_order {
        // a date changed: lists order articles by date
        deps.insert(Dep::Cards);
    }
    let old_by_slug: BTreeMap<&Slug, &Article> =
        old.articles.iter().map(|a| (&a.slug, a)).collect();
    for a in &new.articles {
        let s = &a.slug;
        let Some(o) = old_by_slug.get(s) else {
            deps.insert(Dep::Cards);
            continue;
        };
        if card(o) != card(a) {
            deps.insert(Dep::Cards);
        }
        if o.text != a.text
            || ol.mentions.get(s) != nl.mentions.get(s)
            || ol.related.get(s) != nl.related.get(s)
        {
            deps.insert(Dep::Article(s.clone()));
        }
    }
    if old.summary.as_ref().map(|s| (&s.title, &s.body))
        != new.summary.as_ref().map(|s| (&s.title, &s.body))
    {
        deps.insert(Dep::Summary);
    }
    if ol.article_entities != nl.article_entities {
        deps.insert(Dep::Mentions);
    }
    for i in 0..nl.registry.entities.len() {
        if ol.occurrences.get(i) != nl.occurrences.get(i)
            || ol.cooccurring.get(i) != nl.cooccurring.get(i)
        {
            deps.insert(Dep::Entity(i));
        }
    }
    deps
}

/// Write outputs whose bytes changed, each file atomically in place;
/// returns their paths.
fn write_changed(out: &std::path::Path, outputs: &[Output]) -> Result<Vec<String>, Problems> {
    site::write_in_place(out, outputs).map_err(|(rel, e)| {
        let file = if rel.is_empty() {
            "site".to_string()
        } else {
            format!("site/{rel}")
        };
        Problems::from(Problem::io_then(
            file,
            "update the site",
            &e,
            "the pages not yet updated show the last good build",
        ))
    })
}

fn protected_warning(seed: &str, content: &str) -> Problem {
    Problem::file(
        content.to_string(),
        format!("edited by hand after it was cleaned from seeds/{seed}; not overwritten"),
    )
    .with_help(format!(
        "run `briefing clean --force seeds/{seed}` to overwrite it (a backup is kept)"
    ))
    .warning()
}

/// What an incremental rebuild has to render again.
#[derive(Default)]
struct Dirty {
    /// Re-assemble the briefing.
    data: bool,
    /// The executive summary changed (it is parsed with the articles).
    summary: bool,
    /// Render every page (and remove pages that went away).
    all: bool,
    /// Parts of the briefing that changed: pages depending on one are
    /// rendered again.
    deps: BTreeSet<Dep>,
    templates: BTreeSet<String>,
    statics: BTreeSet<String>,
    /// Seeds whose cleaning report changed (their source pages).
    sources: BTreeSet<String>,
    /// Content files to parse again (their new text is in the inputs).
    content: BTreeSet<String>,
}

impl Dirty {
    fn selects(&self, j: &PageJob) -> bool {
        if self.all {
            return true;
        }
        let template = match j.template {
            Some(t) => self.templates.contains(t),
            None => !self.templates.is_empty(),
        };
        template || j.deps.iter().any(|d| self.deps.contains(d))
    }
}

impl Session {
    /// A session building the public site into `site/`.
    pub fn new(project: &Project) -> Session {
        Session::with_options(project, site::BuildOptions::default())
    }

    /// A session building what `opts` say.
    pub fn with_options(project: &Project, opts: site::BuildOptions) -> Session {
        Session {
            anchor_cache: Default::default(),
            out: opts.out_dir(project),
            opts,
            project: project.clone(),
            cleaned: BTreeMap::new(),
            state: None,
            slugs: BTreeMap::new(),
            slugs_version: 0,
            removal: site::Removal::default(),
        }
    }

    /// Wait for the old site a full build replaced to be removed: after
    /// the build is reported (open pages reload meanwhile), before the next
    /// one. A removal that fails leaves the old site to the next start.
    pub fn settle(&mut self) {
        let _ = std::mem::take(&mut self.removal).wait();
    }

    /// The articles of the last good build: slug → content file.
    pub fn slugs(&self) -> &BTreeMap<String, String> {
        &self.slugs
    }

    /// Changes whenever [`Session::slugs`] may have changed.
    pub fn slugs_version(&self) -> u64 {
        self.slugs_version
    }

    /// [`Session::full`] surviving a panic: it becomes a failed build
    /// (the site on disk is the last good one: pages are staged until all
    /// are made), and the next rebuild is a full one.
    pub fn full_guarded(&mut self, reclean: bool) -> Result<Rebuild, Failed> {
        let start = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.full(reclean)));
        result.unwrap_or_else(|payload| {
            self.forget();
            Err(panicked(&*payload, "the briefing", start))
        })
    }

    /// [`Session::rebuild`] surviving a panic, as [`Session::full_guarded`].
    pub fn rebuild_guarded(
        &mut self,
        changed: &BTreeSet<String>,
    ) -> Result<Option<Rebuild>, Failed> {
        let start = Instant::now();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.rebuild(changed)));
        result.unwrap_or_else(|payload| {
            self.forget();
            let what: Vec<&str> = changed.iter().map(String::as_str).take(3).collect();
            Err(panicked(&*payload, &what.join(", "), start))
        })
    }

    /// Drop what a panicking rebuild may have left half updated: the next
    /// rebuild cleans and builds everything again.
    fn forget(&mut self) {
        self.state = None;
        self.cleaned.clear();
    }

    /// Clean what is new and build everything (the first build, and the
    /// fallback).
    pub fn full(&mut self, reclean: bool) -> Result<Rebuild, Failed> {
        let start = Instant::now();
        self.state = None;
        let fail = |problems: Problems| Failed {
            problems,
            millis: start.elapsed().as_millis(),
        };
        let mut warnings = Problems::default();
        if reclean || self.cleaned.is_empty() {
            let outcome = self.project.clean(&[], false);
            for (seed, action) in &outcome.actions {
                if let CleanAction::Protected { content } = action {
                    warnings.push(protected_warning(seed, content));
                }
            }
            if outcome.problems.has_errors() {
                let mut p = outcome.problems;
                p.sort();
                return Err(fail(p));
            }
            // the rest are warnings (a sidecar with no seed, what cleaning
            // had to change in a malformed seed)
            warnings.extend(outcome.problems.0);
            self.cleaned = outcome.cleaned;
        }
        let mut inputs = self.project.load(&self.cleaned).map_err(fail)?;
        inputs.anchor_cache = Some(self.anchor_cache.clone());
        self.opts.apply(&mut inputs);
        let briefing = site::assemble(&inputs).map_err(fail)?;
        warnings.extend(briefing.warnings.0.iter().cloned());
        // `render_site_into` is the reference output (pages and every other
        // file), written as it renders and moved into place when complete
        let renderer = Renderer::new(&inputs.theme).map_err(fail)?;
        let kept = "the last good site is still served";
        let staged = site::Staged::new(&self.out).map_err(|e| {
            fail(
                match crate::fsutil::file_in_the_way(&self.out) {
                    Some(f) => Problem::not_a_directory(
                        crate::fsutil::display(&self.project.root, &f),
                        "the built site",
                    ),
                    None => Problem::io_then("site", "prepare the new site", &e, kept),
                }
                .into(),
            )
        })?;
        let scan = briefing
            .leak
            .as_deref()
            .map(crate::holdback::leak::Scan::new);
        render::render_site_into(&briefing, &inputs.theme, &|o| {
            if let Some(scan) = &scan {
                scan.file(o.path.as_str(), &o.bytes);
            }
            staged.put(&o).map_err(|e| {
                // (every later write fails with the first error: one diagnostic)
                staged
                    .failure("site")
                    .unwrap_or_else(|| Problem::io_then("site", "write the new site", &e, kept))
            })
        })
        .map_err(fail)?;
        if let Some(scan) = scan {
            let leaks = scan.problems(&crate::fsutil::display(&self.project.root, &self.out));
            if !leaks.is_empty() {
                staged.abort();
                return Err(fail(leaks));
            }
        }
        let rendered_all = staged.paths();
        let rendered = rendered_all.clone();
        let (_, changed, removal) = staged.commit().map_err(|e| {
            fail(Problem::io_then("site", "put the new site in place", &e, kept).into())
        })?;
        // the old site goes while the build is reported (`settle`)
        self.removal = removal;
        let is_page = |p: &str| p.ends_with(".html");
        let rebuild = Rebuild {
            pages: changed.iter().filter(|p| is_page(p)).cloned().collect(),
            assets: changed.iter().filter(|p| !is_page(p)).cloned().collect(),
            rendered: rendered.into_iter().filter(|p| is_page(p)).collect(),
            full: true,
            warnings,
            millis: start.elapsed().as_millis(),
        };
        self.slugs = briefing
            .articles
            .iter()
            .map(|a| (a.slug.to_string(), a.file.clone()))
            .collect();
        self.slugs_version += 1;
        let jobs = render::page_jobs(&briefing);
        self.state = Some(State {
            pages: jobs.iter().map(|j| j.path(&briefing)).collect(),
            jobs,
            shared: render::Shared::default(),
            published: rendered_all
                .into_iter()
                .filter(|p| !is_page(p) && !p.starts_with("static/"))
                .collect(),
            pending: Dirty::default(),
            inputs,
            briefing,
            renderer,
        });
        Ok(rebuild)
    }

    /// Rebuild after `changed` (project-relative paths) changed on disk.
    /// `Ok(None)`: nothing that matters changed (same bytes, ignored file).
    pub fn rebuild(&mut self, changed: &BTreeSet<String>) -> Result<Option<Rebuild>, Failed> {
        let start = Instant::now();
        let kinds: Vec<Kind> = changed.iter().map(|r| classify(&self.project, r)).collect();
        if kinds.iter().all(|k| matches!(k, Kind::Ignore)) {
            return Ok(None);
        }
        let full = |s: &mut Session, reclean| {
            s.full(reclean).map(|mut r| {
                r.millis = start.elapsed().as_millis();
                Some(r)
            })
        };
        if self.state.is_none() {
            let reclean = kinds.iter().any(|k| matches!(k, Kind::Seed(..)));
            return full(self, reclean);
        }
        if let Some(reclean) = kinds.iter().find_map(|k| match k {
            Kind::Full { reclean } => Some(*reclean),
            _ => None,
        }) {
            return full(self, reclean);
        }
        let mut dirty = match self.state.as_mut() {
            Some(st) => std::mem::take(&mut st.pending),
            None => Dirty::default(),
        };
        let result = self.incremental(kinds, &mut dirty, start);
        match result {
            Ok(Step::Done(r)) => Ok(r),
            Ok(Step::Full { reclean }) => full(self, reclean),
            Err(problems) => {
                // keep what is in memory, and what still has to be redone
                if let Some(st) = self.state.as_mut() {
                    st.pending = dirty;
                }
                Err(Failed {
                    problems,
                    millis: start.elapsed().as_millis(),
                })
            }
        }
    }

    fn incremental(
        &mut self,
        kinds: Vec<Kind>,
        dirty: &mut Dirty,
        start: Instant,
    ) -> Result<Step, Problems> {
        let mut warnings = Problems::default();
        // 1. update the inputs from the files that changed (and notice when
        //    nothing did)
        let mut seeds = Vec::new();
        let mut contents = Vec::new();
        for k in kinds {
            match k {
                Kind::Seed(path, name) => seeds.push((path, name)),
                Kind::Article(rel) => contents.push(rel),
                Kind::Summary => {
                    let st = self.state.as_mut().expect("state");
                    let text = read_opt(&self.project, "content/_briefing.md")?;
                    let old = st.inputs.summary.as_ref().map(|(_, t)| t.clone());
                    if old.as_deref() != text.as_deref() {
                        st.inputs.summary = text.map(|t| ("content/_briefing.md".to_string(), t));
                        dirty.data = true;
                        dirty.summary = true;
                    }
                }
                Kind::Annotation(rel) => {
                    let st = self.state.as_mut().expect("state");
                    let text = read_opt(&self.project, &rel)?;
                    let anns = &mut st.inputs.annotations;
                    let pos = anns.iter().position(|a| a.file == rel);
                    match (pos, text) {
                        (Some(i), Some(t)) if *anns[i].text != *t => anns[i].text = t,
                        (Some(_), Some(_)) => continue,
                        (Some(i), None) => {
                            anns.remove(i);
                        }
                        (None, Some(t)) => {
                            anns.push(crate::annotate::AnnotationSource {
                                file: rel.clone(),
                                text: t,
                            });
                            anns.sort_by(|a, b| a.file.cmp(&b.file));
                        }
                        (None, None) => continue,
                    }
                    dirty.data = true;
                }
                Kind::Template(name) => {
                    dirty.templates.insert(name);
                }
                Kind::Static(name) => {
                    dirty.statics.insert(name);
                }
                Kind::Full { reclean } => return Ok(Step::Full { reclean }),
                Kind::Ignore => {}
            }
        }
        // seeds: clean just those (never over a hand-edited content file)
        for (path, name) in seeds {
            let st = self.state.as_mut().expect("state");
            if !path.is_file() || !st.inputs.sources.contains_key(&name) {
                return Ok(Step::Full { reclean: true });
            }
            let outcome = self.project.clean(std::slice::from_ref(&path), false);
            if outcome.problems.has_errors() {
                return Err(outcome.problems);
            }
            warnings.extend(outcome.problems.0);
            for (seed, action) in &outcome.actions {
                match action {
                    CleanAction::Protected { content } => {
                        warnings.push(protected_warning(seed, content))
                    }
                    CleanAction::Written { content } | CleanAction::Forced { content, .. } => {
                        contents.push(content.clone());
                    }
                    CleanAction::Unchanged { .. } => {}
                }
            }
            if let Some(c) = outcome.cleaned.get(&name) {
                let report = c.report.clone();
                let view = st.inputs.sources.get(&name);
                if view.is_none_or(|v| format!("{:?}", v.report) != format!("{report:?}")) {
                    st.inputs.sources.insert(
                        name.clone(),
                        SourceView {
                            name: name.clone(),
                            report,
                        },
                    );
                    dirty.sources.insert(name.clone());
                    dirty.data = true;
                }
                self.cleaned.insert(name, c.clone());
            }
        }
        // content files: re-read; new or deleted articles change the site's
        // page set, so they take the full path
        for rel in contents {
            let st = self.state.as_mut().expect("state");
            let text = read_opt(&self.project, &rel)?;
            let pos = st.inputs.articles.iter().position(|(f, _)| *f == rel);
            match (pos, text) {
                (Some(i), Some(t)) => {
                    if *st.inputs.articles[i].1 != *t {
                        st.inputs.articles[i].1 = t;
                        dirty.content.insert(rel);
                    }
                }
                (None, None) => {}
                _ => return Ok(Step::Full { reclean: false }),
            }
        }
        if !dirty.templates.is_empty() || !dirty.statics.is_empty() {
            let st = self.state.as_mut().expect("state");
            let theme = self.project.theme()?;
            if !dirty.templates.is_empty() {
                st.renderer = Renderer::new(&theme)?;
                // fragments were rendered with the old templates
                st.shared = render::Shared::default();
                // a template another one extends, includes or imports: all
                for name in &dirty.templates {
                    let quoted = [format!("\"{name}\""), format!("'{name}'")];
                    let used_by_other = theme.templates.iter().any(|(n, t)| {
                        n != name && quoted.iter().any(|q| t.source.contains(q.as_str()))
                    });
                    if used_by_other || !st.renderer_knows(name) {
                        dirty.all = true;
                    }
                }
            }
            st.inputs.theme = theme;
        }
        if !dirty.content.is_empty() {
            dirty.data = true;
        }
        if !dirty.data
            && dirty.templates.is_empty()
            && dirty.statics.is_empty()
            && warnings.is_empty()
        {
            return Ok(Step::Done(None));
        }

        // 2. assemble again, re-parsing only the changed articles
        let st = self.state.as_mut().expect("state");
        let mut timer = site::StageTimer::from_env();
        let mut refresh_publishing = false;
        // the notes' search index shows what annotations say
        let mut refresh_notes = false;
        if dirty.data {
            let mut problems = Problems::default();
            let mut parsed = Vec::new();
            for rel in &dirty.content {
                let Some((_, text)) = st.inputs.articles.iter().find(|(f, _)| f == rel) else {
                    return Ok(Step::Full { reclean: false });
                };
                match content::parse_article(rel, text.clone()) {
                    Ok(a) => parsed.push(a),
                    Err(p) => problems.push(p),
                }
            }
            if problems.has_errors() {
                // the articles in memory stay the last good ones
                problems.sort();
                return Err(problems);
            }
            let content_changed =
                !(parsed.is_empty() && dirty.sources.is_empty() && !dirty.summary);
            if !content_changed {
                // only annotations changed: the articles and all that
                // derives from them alone stay
                let changes = site::update_annotations(&st.inputs, &mut st.briefing)?;
                refresh_notes = true;
                dirty.deps.extend(update_deps(&st.briefing, &changes));
                // the annotations as they were (tens of thousands of
                // reference counts) are freed beside the page renders
                rayon::spawn(move || drop(changes));
                timer.lap("update annotations");
            } else {
                let mut articles = st.briefing.articles.clone();
                for a in parsed {
                    let Some(i) = articles.iter().position(|old| old.file == a.file) else {
                        return Ok(Step::Full { reclean: false });
                    };
                    if a.slug != articles[i].slug || a.source != articles[i].source {
                        // the set of pages changes: old pages must go
                        return Ok(Step::Full { reclean: false });
                    }
                    articles[i] = a;
                }
                let briefing = site::assemble_keeping(&st.inputs, articles, problems)
                    .map_err(|(problems, _)| problems)?;
                refresh_publishing = true;
                dirty.content.clear();
                dirty.deps.extend(briefing_deps(&st.briefing, &briefing));
                for a in &briefing.articles {
                    if a.source.as_ref().is_some_and(|s| dirty.sources.contains(s)) {
                        dirty.deps.insert(Dep::Article(a.slug.clone()));
                    }
                }
                st.briefing = briefing;
                timer.lap("assemble");
            }
            // annotation tags have pages of their own, and listings are
            // paginated: a new or vanished tag, or a listing growing a page
            // or losing one, changes the page set (and the sitemap), which
            // only a full rebuild gets right
            if content_changed {
                st.shared = render::Shared::default();
            }
            let d = &dirty.deps;
            if content_changed || d.contains(&Dep::AnnotationSet) || d.contains(&Dep::Events) {
                let jobs = render::page_jobs(&st.briefing);
                if jobs
                    .iter()
                    .map(|j| j.path(&st.briefing))
                    .ne(st.pages.iter().cloned())
                {
                    return Ok(Step::Full { reclean: false });
                }
                st.jobs = jobs;
            }
        }

        // 3. render what is affected, write what changed
        let outputs = render::render_jobs(&st.briefing, &st.renderer, &st.jobs, &st.shared, |j| {
            dirty.selects(j)
        })?;
        timer.lap("render");
        let rendered: Vec<String> = outputs
            .iter()
            .map(|o| o.path.as_str().to_string())
            .collect();
        let shown = crate::fsutil::display(&self.project.root, &self.out);
        site::check_leaks(&st.briefing, &outputs, &shown)?;
        let pages = write_changed(&self.out, &outputs)?;
        timer.lap("write");
        let mut assets = Vec::new();
        if refresh_publishing {
            // the feed, sitemap and search index show article text and cards
            let paths: Vec<&SitePath> = st.pages.iter().collect();
            let search = render::publish::search_index(&st.briefing);
            let files = render::publish::publishing(&st.briefing, &paths, search);
            site::check_leaks(&st.briefing, &files, &shown)?;
            assets.extend(write_changed(&self.out, &files)?);
            let now: BTreeSet<String> = files.iter().map(|o| o.path.as_str().to_string()).collect();
            for gone in st.published.difference(&now) {
                if std::fs::remove_file(self.out.join(gone)).is_ok() {
                    assets.push(gone.clone());
                }
            }
            st.published = now;
        } else if refresh_notes {
            // only the notes index: the rest of the index is the articles'
            let files = render::publish::publishing_files(render::publish::notes_search_index(
                &st.briefing,
            ));
            assets.extend(write_changed(&self.out, &files)?);
            let dir = crate::link::search::dir_of(render::publish::NOTES_INDEX);
            let now: BTreeSet<String> = files.iter().map(|o| o.path.as_str().to_string()).collect();
            let old: Vec<String> = st
                .published
                .iter()
                .filter(|p| p.starts_with(&dir) && !now.contains(*p))
                .cloned()
                .collect();
            for gone in old {
                if std::fs::remove_file(self.out.join(&gone)).is_ok() {
                    assets.push(gone.clone());
                }
                st.published.remove(&gone);
            }
            st.published.extend(now);
        }
        for name in &dirty.statics {
            match render::asset_output(&st.inputs.theme, name) {
                Some(o) => assets.extend(write_changed(&self.out, std::slice::from_ref(&o))?),
                None => {
                    let p = self.out.join("static").join(name);
                    if p.is_file() && std::fs::remove_file(&p).is_ok() {
                        assets.push(format!("static/{name}"));
                    }
                }
            }
        }
        // slugs cannot have changed: a new, deleted or renamed article
        // takes the full path
        let full = dirty.all;
        *dirty = Dirty::default();
        Ok(Step::Done(Some(Rebuild {
            pages,
            assets,
            rendered,
            full,
            warnings,
            millis: start.elapsed().as_millis(),
        })))
    }
}

enum Step {
    Done(Option<Rebuild>),
    Full { reclean: bool },
}

impl State {
    /// Whether a template name is one page jobs render with.
    fn renderer_knows(&self, name: &str) -> bool {
        render::page_jobs(&self.briefing)
            .iter()
            .any(|j| j.template == Some(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_rebuild_is_a_failed_build_naming_the_change() {
        let payload: Box<dyn std::any::Any + Send> = Box::new(String::from("boom"));
        let f = panicked(&*payload, "seeds/x.html", Instant::now());
        assert_eq!(f.problems.len(), 1);
        let p = &f.problems.0[0];
        assert_eq!(
            p.headline(),
            "seeds/x.html: error: the rebuild after this change failed: internal error (boom)"
        );
        assert!(p.help.as_deref().unwrap().contains("last good site"));
    }

    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        for e in walkdir::WalkDir::new(from) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(from).unwrap();
            let dest = to.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }

    /// The repo's own briefing (seeds, content, annotations, entities,
    /// theme), copied to a temp dir.
    fn repo_project() -> tempfile::TempDir {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "briefing.toml",
            "entities.yaml",
            "seeds",
            "content",
            "annotations",
            "templates",
            "static",
            ".briefing",
        ] {
            let from = repo.join(name);
            if from.is_dir() {
                copy_tree(&from, &dir.path().join(name));
            } else if from.is_file() {
                std::fs::copy(&from, dir.path().join(name)).unwrap();
            }
        }
        dir
    }

    /// Every file under `site/`, by relative path.
    fn site_files(root: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
        let site = root.join("site");
        walkdir::WalkDir::new(&site)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&site).unwrap();
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn an_annotation_edit_gives_the_bytes_of_a_full_build() {
        let rel = "annotations/venezuela.md";
        let r = edit_and_compare(&[
            (
                rel,
                "The Kremlin's claim, repeated",
                "Edited in the live preview. The Kremlin's claim, repeated",
            ),
            // a passage moves to another claim: the claims page changes
            (rel, "claim=venezuela-transfer}", "claim=intercept}"),
            // a tag no annotation had: the page set changes, so a full
            // rebuild
            (
                rel,
                ".claim .unverified claim=intercept}",
                ".claim .brandnewtag claim=intercept}",
            ),
        ]);
        let full: Vec<bool> = r.iter().map(|x| x.full).collect();
        assert_eq!(full, [false, false, true]);
        assert!(
            r[0].pages.iter().any(|p| p == VENEZUELA),
            "{:?}",
            r[0].pages
        );
    }

    /// Apply `edits` (project file, text before, text after) one at a time
    /// to a live session; after each, the site must equal a fresh full
    /// build of the same files. Returns each rebuild.
    fn edit_and_compare(edits: &[(&str, &str, &str)]) -> Vec<Rebuild> {
        let live = repo_project();
        let mut session = Session::new(&Project::new(live.path()));
        session.full(false).expect("the first build");
        let mut rebuilds = Vec::new();
        for (rel, from, to) in edits {
            let path = live.path().join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.contains(from),
                "the fixture changed: {rel} lacks {from:?}"
            );
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let changed: BTreeSet<String> = [rel.to_string()].into();
            let r = session
                .rebuild(&changed)
                .expect("the rebuild")
                .expect("something changed");
            let fresh = repo_project();
            for f in ["content", "annotations", "templates"] {
                copy_tree(&live.path().join(f), &fresh.path().join(f));
            }
            Session::new(&Project::new(fresh.path()))
                .full(false)
                .expect("the full build");
            let (x, y) = (site_files(live.path()), site_files(fresh.path()));
            let paths: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            let differ: Vec<&&String> = paths.iter().filter(|p| x.get(**p) != y.get(**p)).collect();
            assert!(
                differ.is_empty(),
                "after editing {rel}, incremental and full builds differ: {differ:?}\n{}",
                r.log_line("test")
            );
            rebuilds.push(r);
        }
        rebuilds
    }

    #[test]
    fn a_sidecar_edit_recleans_its_seed_as_a_seed_edit_does() {
        let side = "seeds/004_a621f7fa4f80e312.meta.yaml";
        let article = "content/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus.md";
        let live = repo_project();
        std::fs::write(live.path().join(side), "outlet: First Outlet\n").unwrap();
        let project = Project::new(live.path());
        assert!(
            matches!(classify(&project, side), Kind::Seed(_, n) if n == "004_a621f7fa4f80e312.txt")
        );
        let mut session = Session::new(&project);
        session.full(false).expect("the first build");
        let edited = "outlet: Second Outlet\nurl: https://news.example/belarus\n";
        std::fs::write(live.path().join(side), edited).unwrap();
        let r = session
            .rebuild(&[side.to_string()].into())
            .expect("the rebuild")
            .expect("something changed");
        assert!(!r.full, "{}", r.log_line("test"));
        assert!(r.pages.iter().any(|p| p == BELARUS), "{:?}", r.pages);
        let text = std::fs::read_to_string(live.path().join(article)).unwrap();
        assert!(text.contains("outlet: Second Outlet\n"), "{text}");
        assert!(
            text.contains("url: https://news.example/belarus\n"),
            "{text}"
        );
        // the bytes of a full build
        let fresh = repo_project();
        std::fs::write(fresh.path().join(side), edited).unwrap();
        Session::new(&Project::new(fresh.path()))
            .full(false)
            .expect("the full build");
        let (x, y) = (site_files(live.path()), site_files(fresh.path()));
        assert!(x == y, "incremental and full builds differ");
    }

    const BELARUS: &str =
        "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html";
    const VENEZUELA: &str = "articles/russia-sending-hypersonic-missiles-to-venezuela/index.html";

    #[test]
    fn an_annotation_edit_renders_only_the_pages_that_show_it() {
        let r = edit_and_compare(&[
            // a note's text: its article and the annotation pages; no entity page
            (
                "annotations/belarus.md",
                "The stated timeline:",
                "The timeline as stated:",
            ),
            // a note now names an entity: that entity's page too
            (
                "annotations/belarus.md",
                "The timeline as stated",
                "[[Minsk]]'s timeline as stated",
            ),
            // a note now links to the other article: its backlinks change
            (
                "annotations/belarus.md",
                "Watch for evidence",
                "See [[russia-sending-hypersonic-missiles-to-venezuela]]. Watch for evidence",
            ),
            // an event's date: the timeline and the index's strip
            (
                "annotations/belarus.md",
                "date=2024-11-21}",
                "date=2024-11-20}",
            ),
        ]);
        let rendered =
            |i: usize| -> BTreeSet<&str> { r[i].rendered.iter().map(String::as_str).collect() };
        assert!(
            r.iter().all(|x| !x.full),
            "{:?}",
            r.iter().map(|x| x.log_line("t")).collect::<Vec<_>>()
        );
        let first = rendered(0);
        assert!(first.contains(BELARUS), "{first:?}");
        assert!(first.contains("annotations/index.html"), "{first:?}");
        assert!(!first.contains(VENEZUELA), "{first:?}");
        assert!(
            !first.iter().any(|p| p.starts_with("entities/")),
            "{first:?}"
        );
        assert!(!first.contains("timeline/index.html"), "{first:?}");
        // listings: only those showing an annotation of the edited article
        assert!(
            first.contains("annotations/tags/forecast/index.html"),
            "{first:?}"
        );
        assert!(
            !first.contains("annotations/tags/signal/index.html"),
            "{first:?}"
        );
        assert!(
            rendered(1).contains("entities/minsk/index.html"),
            "{:?}",
            rendered(1)
        );
        assert!(rendered(2).contains(VENEZUELA), "{:?}", rendered(2));
        assert!(
            rendered(3).contains("timeline/index.html"),
            "{:?}",
            rendered(3)
        );
        assert!(rendered(3).contains("index.html"), "{:?}", rendered(3));
    }

    #[test]
    fn content_and_summary_edits_give_the_bytes_of_a_full_build() {
        let r = edit_and_compare(&[
            // a body edit: that article; a title edit: every list of cards
            (
                "content/russia-sending-hypersonic-missiles-to-venezuela.md",
                "translating as “hazel tree”",
                "which translates as “hazel tree”",
            ),
            (
                "content/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus.md",
                "title: ",
                "title: Edited ",
            ),
            (
                "content/_briefing.md",
                "\n\n",
                "\n\nAn added paragraph.\n\n",
            ),
        ]);
        assert!(
            r.iter().all(|x| !x.full),
            "{:?}",
            r.iter().map(|x| x.log_line("t")).collect::<Vec<_>>()
        );
        assert!(
            !r[0].rendered.iter().any(|p| p == BELARUS),
            "{:?}",
            r[0].rendered
        );
        assert!(
            r[1].rendered.iter().any(|p| p == VENEZUELA),
            "{:?}",
            r[1].rendered
        );
    }

    #[test]
    fn a_fragment_template_edit_renders_the_pages_that_paste_it() {
        // fragments are rendered once and pasted into pages: an edit must
        // not leave the old ones in the session's cache
        let r = edit_and_compare(&[
            // an article page rendered by the session: fragments made
            (
                "annotations/belarus.md",
                "The stated timeline:",
                "The timeline as stated:",
            ),
            (
                "templates/fragments/entity_chip.html",
                "<span class=\"count\">",
                "<span class=\"count chip-count\">",
            ),
        ]);
        // (and edit_and_compare checks them against a fresh build)
        assert!(
            r[0].rendered.iter().any(|p| p == BELARUS),
            "{:?}",
            r[0].rendered
        );
        assert!(r[1].pages.iter().any(|p| p == BELARUS), "{:?}", r[1].pages);
    }

    #[test]
    fn changes_are_classified_by_place() {
        let p = Project::new("/nonexistent-briefing-project");
        let kind = |rel: &str| match classify(&p, rel) {
            Kind::Full { reclean } => format!("full {reclean}"),
            Kind::Seed(_, n) => format!("seed {n}"),
            Kind::Article(r) => format!("article {r}"),
            Kind::Summary => "summary".into(),
            Kind::Annotation(r) => format!("annotation {r}"),
            Kind::Template(n) => format!("template {n}"),
            Kind::Static(n) => format!("static {n}"),
            Kind::Ignore => "ignore".into(),
        };
        assert_eq!(kind("briefing.toml"), "full false");
        assert_eq!(kind("entities.yaml"), "full false");
        assert_eq!(kind("seeds"), "full true");
        assert_eq!(kind("seeds/a.txt"), "seed a.txt");
        // a sidecar with no seed beside it: everything is cleaned again
        assert_eq!(kind("seeds/a.meta.yaml"), "full true");
        assert_eq!(kind("content/_briefing.md"), "summary");
        assert_eq!(kind("content/x.md"), "article content/x.md");
        assert_eq!(kind("content/x.png"), "ignore");
        assert_eq!(kind("annotations/x.md"), "annotation annotations/x.md");
        assert_eq!(kind("templates/base.html"), "template base.html");
        assert_eq!(kind("static/css/a.css"), "static css/a.css");
        assert_eq!(kind("README.md"), "ignore");
    }

    #[test]
    fn the_log_line_says_what_why_and_how_long() {
        let r = Rebuild {
            rendered: vec!["articles/x/index.html".into()],
            millis: 12,
            ..Rebuild::default()
        };
        let changed: BTreeSet<String> = ["annotations/x.md".to_string()].into();
        assert_eq!(
            r.log_line(&cause(&changed)),
            "rebuilt articles/x/ (annotations/x.md changed) in 12 ms"
        );
    }

    /// A small briefing with no links between its articles' notes (so
    /// any of them can be held back without breaking a public build).
    fn desk() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("briefing.toml", "title = \"Desk\"\n");
        w("entities.yaml", "- name: Minsk\n  kind: place\n");
        for (slug, day) in [("a", 1), ("b", 2), ("c", 3), ("d", 4)] {
            w(
                &format!("content/{slug}.md"),
                &format!(
                    "---\ntitle: \"Article {slug} from Minsk\"\nslug: {slug}\ndate: 2024-12-0{day}\n---\n\nThe talks in Minsk on day {day} went on for hours.\n\nA second paragraph of {slug}.\n"
                ),
            );
        }
        w(
            "annotations/a.md",
            "---\narticle: a\n---\n## \"went on for hours\" {#hours .claim}\n\nThe length of the talks.\n\n## \"A second paragraph\" {#second .event date=2024-12-01}\n\nWhat the second paragraph says.\n",
        );
        dir
    }

    /// Every profile's session, through edits that hold material back and
    /// publish it again: after each, its site equals a full build
    /// (`site::build`, as `briefing build` runs it) with the same options.
    /// Returns the live project of the last profile run.
    fn sessions_agree_with_full_builds(profile: crate::holdback::Profile) -> tempfile::TempDir {
        let opts = site::BuildOptions {
            profile,
            now: Some("2024-12-10T00:00:00Z".parse().unwrap()),
            ..site::BuildOptions::default()
        };
        let edits: [(&str, &str, &str); 6] = [
            // an annotation marked internal (an annotation-only edit)
            (
                "annotations/a.md",
                "{#second .event",
                "{#second .internal .event",
            ),
            // an article made a draft, another put under embargo (ordinary
            // content edits)
            ("content/b.md", "slug: b\n", "slug: b\ndraft: true\n"),
            (
                "content/c.md",
                "slug: c\n",
                "slug: c\nembargo: 2030-01-01T00:00:00+01:00\n",
            ),
            // an internal block in a note
            (
                "annotations/a.md",
                "The length of the talks.\n",
                "The length of the talks.\n\n```internal\nA delegate told us.\n```\n",
            ),
            // published again
            ("content/b.md", "draft: true\n", "draft: false\n"),
            ("annotations/a.md", " .internal", ""),
        ];
        let live = desk();
        let mut session = Session::with_options(&Project::new(live.path()), opts.clone());
        session.full(false).expect("the first build");
        for (rel, from, to) in edits {
            let path = live.path().join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{rel} lacks {from:?}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let changed: BTreeSet<String> = [rel.to_string()].into();
            session
                .rebuild(&changed)
                .unwrap_or_else(|f| panic!("{rel}: {}", f.problems))
                .expect("something changed");
            let fresh = desk();
            for f in ["content", "annotations"] {
                copy_tree(&live.path().join(f), &fresh.path().join(f));
            }
            site::build(&Project::new(fresh.path()), &opts).expect("the full build");
            let (x, y) = (site_files(live.path()), site_files(fresh.path()));
            let paths: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            let differ: Vec<&&String> = paths.iter().filter(|p| x.get(**p) != y.get(**p)).collect();
            assert!(
                differ.is_empty(),
                "{profile:?}: after editing {rel} ({from:?} → {to:?}), the session and a full build differ: {differ:?}"
            );
        }
        live
    }

    #[test]
    fn a_profile_is_part_of_the_session_and_holding_back_is_a_content_edit() {
        use crate::holdback::Profile;
        sessions_agree_with_full_builds(Profile::Public);
        let internal = sessions_agree_with_full_builds(Profile::Internal);
        // where an internal session and a public full build should agree:
        // every public page is in the internal site, and an article with
        // nothing held back reads the same in both
        let public = desk();
        for f in ["content", "annotations"] {
            copy_tree(&internal.path().join(f), &public.path().join(f));
        }
        let opts = site::BuildOptions {
            now: Some("2024-12-10T00:00:00Z".parse().unwrap()),
            ..site::BuildOptions::default()
        };
        site::build(&Project::new(public.path()), &opts).expect("the public build");
        let (int, publ) = (site_files(internal.path()), site_files(public.path()));
        let missing: Vec<&String> = publ.keys().filter(|p| !int.contains_key(*p)).collect();
        assert!(missing.is_empty(), "{missing:?}");
        let held: Vec<&String> = int.keys().filter(|p| !publ.contains_key(*p)).collect();
        assert!(
            held.iter().any(|p| p.starts_with("articles/c/")),
            "the embargoed article is only in the internal site: {held:?}"
        );
        let body = |site: &BTreeMap<String, Vec<u8>>, page: &str| {
            let html = String::from_utf8(site[page].clone()).unwrap();
            let start = html.find("<div class=\"body prose").expect("a body");
            let end = start + html[start..].find("</div>").unwrap();
            html[start..end].to_string()
        };
        for page in ["articles/b/index.html", "articles/d/index.html"] {
            assert_eq!(body(&int, page), body(&publ, page), "{page}");
        }
        // a's notes keep an internal block: boxed in one, absent in the other
        let page = |site: &BTreeMap<String, Vec<u8>>| {
            String::from_utf8(site["articles/a/index.html"].clone()).unwrap()
        };
        assert!(page(&int).contains("A delegate told us."));
        assert!(!page(&publ).contains("delegate") && !page(&publ).contains("held-internal"));
        let internal_index = String::from_utf8(int["index.html"].clone()).unwrap();
        assert!(internal_index.contains("embargoed until 2030-01-01T00:00:00+01:00"));
    }
}
