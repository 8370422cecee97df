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
//! | `content/x.md` | that file | its annotations, and what the link stage derives from it (`link::relink`: its mentions, the counts, articles and co-occurrences of the entities it names or named, the related lists naming those); everything when its slug, source, place in the order or holding back changes | pages depending on what changed, its own first |
//! | `content/_briefing.md` | that file | everything | pages depending on what changed |
//! | `seeds/x` (or its sidecar `seeds/x.meta.yaml`) | that seed, cleaned again (hand edits protected) | as for its content file | its article's pages too |
//! | `templates/t.html` | the theme | nothing | pages rendered with `t.html` (everything when another template uses it) |
//! | `static/f` | the theme | nothing | nothing: `f` is copied |
//! | `briefing.toml`, `entities.yaml`, new or deleted articles, seeds | everything | everything | everything |
//!
//! "Pages depending on what changed": every part of the briefing a page
//! declares it reads ([`Dep`]: an article, an entity, the article cards,
//! the annotations, the events, the summary, the mentions; `Job::deps`)
//! has a fingerprint computed beside the page registry
//! ([`render::Fingerprints`]); after assembling, the session works them
//! out again and renders the pages with a dependency whose fingerprint
//! changed. An annotation edit in a large
//! briefing thus renders its article, the annotation pages, and the pages
//! of entities its notes name — not every entity page. Unchanged bytes are
//! not written.
//!
//! The publishing files (feed, sitemap, search index) come after the
//! pages; `serve` defers them until saves pause ([`Session::defer_publishing`],
//! [`Session::publish`]).
//!
//! A failed rebuild keeps the session (the last good articles stay in
//! memory) and remembers what it still has to redo, so a file that is still
//! broken stays an error and fixing it is incremental too.

use crate::assembled::{Briefing, SourceView};
use crate::clean::Cleaned;
use crate::content;
use crate::diag::{Problem, Problems};
use crate::model::SitePath;
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
    /// The annotations whose quotes matched only approximately (drift):
    /// warnings that do not stop the build, shown in the log line and,
    /// in a milder form than errors, in the preview's pages.
    pub drifts: Vec<DriftNote>,
    /// The pages among `pages` already announced while the rebuild ran
    /// (the edited articles' own, see [`Session::on_first_pages`]).
    pub announced: Vec<String>,
}

/// A quote that drifted, for the log and the preview.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DriftNote {
    /// The annotation file, and the line and column of its quote.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The article's slug and the annotation's id (its passage's anchor
    /// on the article page is `a-<id>`).
    pub article: String,
    pub id: String,
    pub quoted: String,
    /// What the article reads there now.
    pub found: String,
    /// How similar, in percent.
    pub similarity: u32,
}

/// The drifted quotes of a briefing, in file order.
fn drift_notes(b: &Briefing) -> Vec<DriftNote> {
    b.annotations
        .drifts()
        .iter()
        .map(|d| DriftNote {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            article: d.article.to_string(),
            id: d.id.clone(),
            quoted: d.quoted.clone(),
            found: d.found.clone(),
            similarity: (d.score * 100.0).round().clamp(0.0, 100.0) as u32,
        })
        .collect()
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
        let mut line = format!("rebuilt {what} ({cause}) in {} ms", self.millis);
        if !self.drifts.is_empty() {
            let n = self.drifts.len();
            let at: Vec<String> = self
                .drifts
                .iter()
                .take(2)
                .map(|d| format!("{}:{} ({}% similar)", d.file, d.line, d.similarity))
                .collect();
            let more = if n > 2 {
                format!(" +{} more", n - 2)
            } else {
                String::new()
            };
            line.push_str(&format!(
                "; {n} quote(s) matched only approximately: {}{more}",
                at.join(", ")
            ));
        }
        line
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
    /// The fingerprint of every dependency `jobs` declare: after an
    /// edit, the pages whose dependencies' fingerprints changed are
    /// rendered again.
    fingerprints: render::Fingerprints,
    /// What a failed rebuild still has to redo.
    pending: Dirty,
    /// The publishing files an edit changed, not yet written (see
    /// [`Session::defer_publishing`]).
    unpublished: Option<Publish>,
    /// Whether an edit changed `data/briefing.json`, not yet written.
    unrendered_data: bool,
}

/// Which publishing files an edit changed: the search index of the notes,
/// or every one (feed, sitemap, both search indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Publish {
    Notes,
    All,
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
    /// The annotation files' views of the last build (what a public build
    /// holds back of them): an edit reads again only the files it changed.
    view_cache: std::sync::Arc<crate::holdback::ViewCache>,
    /// What the session builds: output directory, `base_url`, profile
    /// and time (part of its configuration, applied on every full build;
    /// a `draft:` or `embargo:` edit is an ordinary content edit).
    opts: site::BuildOptions,
    /// The removal of the site a full build replaced, still running (see
    /// [`Session::settle`]).
    removal: site::Removal,
    /// Whether a rebuild leaves the publishing files to
    /// [`Session::publish`] (see [`Session::defer_publishing`]).
    defer_publishing: bool,
    /// Told the edited articles' pages as soon as they are on disk.
    on_first: Option<FirstPages>,
}

/// What [`Session::on_first_pages`] calls.
pub type FirstPages = Box<dyn Fn(&[String]) + Send>;

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
    if rel == "briefing.toml" || rel == "entities.yaml" || rel == crate::link::outlets::FILE {
        return Kind::Full { reclean: false };
    }
    let Some((top, rest)) = rel.split_once('/') else {
        // a watched directory itself appeared or went away
        return match rel {
            "seeds" => Kind::Full { reclean: true },
            "content" | "annotations" | "templates" | "static" | "editions" => {
                Kind::Full { reclean: false }
            }
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
        // an edition recorded (or removed) while the preview runs: every
        // page comparing against it, and the index, change — rare enough
        // for a full rebuild
        "editions" => Kind::Full { reclean: false },
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
        format!("edited by hand after it was cleaned; not overwritten with seeds/{seed}"),
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
            view_cache: Default::default(),
            out: opts.out_dir(project),
            opts,
            project: project.clone(),
            cleaned: BTreeMap::new(),
            state: None,
            slugs: BTreeMap::new(),
            slugs_version: 0,
            removal: site::Removal::default(),
            defer_publishing: false,
            on_first: None,
        }
    }

    /// Call `f` with the edited articles' pages that changed as soon as
    /// they are written, before the pages showing them (listings, entity
    /// pages) are rendered: `serve` tells the open pages at once. Those
    /// pages are also in the rebuild's [`Rebuild::announced`].
    pub fn on_first_pages(&mut self, f: FirstPages) {
        self.on_first = Some(f);
    }

    /// Leave the publishing files (feed, sitemap, search index, and
    /// `data/briefing.json`: a large briefing's search index takes longer
    /// than the pages an edit changes) to [`Session::publish`], called once the pages are reported, so that
    /// open pages reload without waiting for them. Off by default: a
    /// rebuild then writes everything.
    pub fn defer_publishing(&mut self, on: bool) {
        self.defer_publishing = on;
    }

    /// Whether rebuilds left publishing files to [`Session::publish`].
    pub fn unpublished(&self) -> bool {
        self.state
            .as_ref()
            .is_some_and(|s| s.unpublished.is_some() || s.unrendered_data)
    }

    /// Write the publishing files the last rebuilds left (see
    /// [`Session::defer_publishing`]); the paths of those that changed.
    /// On an error the next rebuild is a full one.
    pub fn publish(&mut self) -> Result<Vec<String>, Failed> {
        let start = Instant::now();
        let shown = crate::fsutil::display(&self.project.root, &self.out);
        let Some(st) = self.state.as_mut() else {
            return Ok(Vec::new());
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            st.publish(&self.out, &shown)
        }));
        match result {
            Ok(Ok(assets)) => Ok(assets),
            Ok(Err(problems)) => {
                self.forget();
                Err(Failed {
                    problems,
                    millis: start.elapsed().as_millis(),
                })
            }
            Err(payload) => {
                self.forget();
                Err(panicked(&*payload, "the search index", start))
            }
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
        inputs.view_cache = Some(self.view_cache.clone());
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
            drifts: drift_notes(&briefing),
            announced: Vec::new(),
        };
        self.slugs = briefing
            .articles
            .iter()
            .map(|a| (a.slug.to_string(), a.file.clone()))
            .collect();
        self.slugs_version += 1;
        let jobs = render::page_jobs(&briefing);
        let mut fingerprints = render::Fingerprints::default();
        fingerprints.update(&briefing, Some(declared(&jobs)), render::Scope::Everything);
        let pages: Vec<SitePath> = jobs.iter().map(|j| j.path(&briefing)).collect();
        // (page jobs that are not HTML, `data/briefing.json`, are pages)
        let job_paths: BTreeSet<&str> = pages.iter().map(|p| p.as_str()).collect();
        let published = rendered_all
            .into_iter()
            .filter(|p| !is_page(p) && !p.starts_with("static/") && !job_paths.contains(p.as_str()))
            .collect();
        self.state = Some(State {
            fingerprints,
            pages,
            jobs,
            shared: render::Shared::default(),
            published,
            pending: Dirty::default(),
            unpublished: None,
            unrendered_data: false,
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
                    CleanAction::Unchanged { .. } | CleanAction::Superseded { .. } => {}
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
        let mut timer = crate::timing::StageTimer::from_env();
        let mut refresh_publishing = false;
        // the articles edited (their pages are written first)
        let mut edited: BTreeSet<crate::model::Slug> = BTreeSet::new();
        // what re-linking one edited article changed
        let mut relinked: Option<crate::link::Relinked> = None;
        // the notes' search index shows what annotations say
        let mut refresh_notes = false;
        // what the annotations' update touched (see `render::Touched`)
        let mut touched = render::Touched::default();
        // the annotations as they were (tens of thousands of reference
        // counts), freed once the edited pages are written, not beside
        // the work that writes them
        let mut previous: Option<crate::annotate::Annotations> = None;
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
                // the pages of the articles whose notes changed go first
                edited.clone_from(&changes.articles);
                touched = touched_by(&changes);
                refresh_notes = true;
                previous = Some(changes.previous);
                timer.lap("update annotations");
            } else if let [a] = parsed.as_slice()
                && !dirty.summary
                && dirty.sources.iter().all(|s| a.source.as_ref() == Some(s))
                && let Some(changes) = site::update_article(&st.inputs, &mut st.briefing, a)?
            {
                // one article, the briefing's shape unchanged: it alone is
                // linked again (and its annotations anchored again)
                edited.insert(a.slug.clone());
                touched = touched_by(&changes.annotations);
                // (the timeline lists articles by title and date)
                touched.timeline |= changes.listed;
                refresh_publishing = true;
                refresh_notes = true;
                dirty.content.clear();
                if changes.listed {
                    st.shared = render::Shared::default();
                } else {
                    let counts = &changes.links.counts;
                    st.shared.refresh_counts(&st.briefing, &st.renderer, counts);
                }
                relinked = Some(changes.links);
                previous = Some(changes.annotations.previous);
                timer.lap("update article");
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
                st.briefing = briefing;
                timer.lap("assemble");
            }
            // annotation tags have pages of their own, and listings are
            // paginated: a new or vanished tag, or a listing growing a page
            // or losing one, changes the page set (and the sitemap), which
            // only a full rebuild gets right
            if content_changed && relinked.is_none() {
                st.shared = render::Shared::default();
            }
            // what changed: the dependencies whose fingerprints changed
            // (`render::Fingerprints`, beside the page registry). After an
            // annotation edit the jobs stay unless the annotation set or
            // the events changed (what decides the listings' pages)
            let scope = match &relinked {
                Some(r) => render::Scope::Relinked(r, &touched),
                None if content_changed => render::Scope::Everything,
                None => render::Scope::Annotations(&touched),
            };
            let mut changed = BTreeSet::new();
            if !content_changed || relinked.is_some() {
                // the same jobs, so the same dependencies (after re-linking
                // one article, but for the pages of entities it names:
                // their number follows the articles naming them)
                if let Some(r) = &relinked
                    && !render::entity_pages_hold(
                        &st.briefing,
                        &st.jobs,
                        r.entities.iter().chain(&r.counts).copied(),
                    )
                {
                    return Ok(Step::Full { reclean: false });
                }
                changed = st
                    .fingerprints
                    .update(&st.briefing, None::<[&Dep; 0]>, scope);
            }
            if (content_changed && relinked.is_none())
                || changed.contains(&Dep::AnnotationSet)
                || changed.contains(&Dep::Events)
            {
                let jobs = render::page_jobs(&st.briefing);
                if jobs
                    .iter()
                    .map(|j| j.path(&st.briefing))
                    .ne(st.pages.iter().cloned())
                {
                    return Ok(Step::Full { reclean: false });
                }
                st.jobs = jobs;
                changed.extend(st.fingerprints.update(
                    &st.briefing,
                    Some(declared(&st.jobs)),
                    scope,
                ));
            }
            dirty.deps.extend(changed);
            timer.lap("fingerprints");
        }

        // 3. render what is affected, write what changed: the pages of the
        //    articles edited first (what the analyst is looking at), then
        //    the pages showing them (listings, entity pages)
        let shown = crate::fsutil::display(&self.project.root, &self.out);
        let edited = std::mem::take(&mut edited);
        let first = |j: &PageJob| j.article(&st.briefing).is_some_and(|s| edited.contains(s));
        // `data/briefing.json` (the whole briefing as data: at 10,000
        // articles the largest file an annotation edit changes) goes with
        // the publishing files when they wait
        let defer = self.defer_publishing;
        if defer && st.jobs.iter().any(|j| j.is_data() && dirty.selects(j)) {
            st.unrendered_data = true;
        }
        let mut rendered = Vec::new();
        let mut pages = Vec::new();
        let mut announced = Vec::new();
        for wave in [true, false] {
            if wave && edited.is_empty() {
                continue;
            }
            let outputs =
                render::render_jobs(&st.briefing, &st.renderer, &st.jobs, &st.shared, |j| {
                    dirty.selects(j)
                        && !(defer && j.is_data())
                        && (edited.is_empty() || first(j) == wave)
                })?;
            timer.lap(if wave { "render article" } else { "render" });
            rendered.extend(outputs.iter().map(|o| o.path.as_str().to_string()));
            site::check_leaks(&st.briefing, &outputs, &shown)?;
            let written = write_changed(&self.out, &outputs)?;
            timer.lap(if wave { "write article" } else { "write" });
            if wave
                && !written.is_empty()
                && let Some(tell) = &self.on_first
            {
                tell(&written);
                announced.clone_from(&written);
            }
            if let Some(p) = previous.take() {
                rayon::spawn(move || drop(p));
            }
            pages.extend(written);
        }
        let mut assets = Vec::new();
        // the publishing files (feed, sitemap, search index) after the
        // pages: now, or when the caller asks (`serve` does once the
        // pages are reported, see `Session::publish`)
        let publish = if refresh_publishing {
            Some(Publish::All)
        } else if refresh_notes {
            Some(Publish::Notes)
        } else {
            None
        };
        st.unpublished = st.unpublished.max(publish);
        if !self.defer_publishing {
            assets.extend(st.publish(&self.out, &shown)?);
            timer.lap("publish");
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
            drifts: drift_notes(&st.briefing),
            announced,
        })))
    }
}

/// What an update of the annotations may have changed of what they feed.
fn touched_by(c: &site::AnnotationChanges) -> render::Touched {
    render::Touched {
        articles: c.articles.union(&c.backlinks).cloned().collect(),
        entities: c.entity_notes.clone(),
        timeline: c.timeline,
    }
}

/// Every dependency the jobs declare.
fn declared(jobs: &[PageJob]) -> impl Iterator<Item = &Dep> {
    jobs.iter().flat_map(|j| &j.deps)
}

enum Step {
    Done(Option<Rebuild>),
    Full { reclean: bool },
}

impl State {
    /// Write the publishing files an edit left to do ([`State::unpublished`]);
    /// the paths of those that changed.
    fn publish(&mut self, out: &std::path::Path, shown: &str) -> Result<Vec<String>, Problems> {
        let mut assets = Vec::new();
        if self.unrendered_data {
            let outputs = render::render_jobs(
                &self.briefing,
                &self.renderer,
                &self.jobs,
                &self.shared,
                PageJob::is_data,
            )?;
            site::check_leaks(&self.briefing, &outputs, shown)?;
            assets.extend(write_changed(out, &outputs)?);
            self.unrendered_data = false;
        }
        let Some(what) = self.unpublished else {
            return Ok(assets);
        };
        let (files, dir) = match what {
            Publish::All => {
                // the feed, sitemap and search index show article text and
                // cards
                let paths: Vec<&SitePath> = self.pages.iter().collect();
                let search = render::publish::search_index(&self.briefing);
                (
                    render::publish::publishing(&self.briefing, &paths, search),
                    String::new(),
                )
            }
            // only the notes index: the rest of the index is the articles'
            Publish::Notes => (
                render::publish::publishing_files(render::publish::notes_search_index(
                    &self.briefing,
                )),
                crate::link::search::dir_of(render::publish::NOTES_INDEX),
            ),
        };
        site::check_leaks(&self.briefing, &files, shown)?;
        assets.extend(write_changed(out, &files)?);
        let now: BTreeSet<String> = files.iter().map(|o| o.path.as_str().to_string()).collect();
        let gone: Vec<String> = self
            .published
            .iter()
            .filter(|p| p.starts_with(&dir) && !now.contains(*p))
            .cloned()
            .collect();
        for gone in gone {
            if std::fs::remove_file(out.join(&gone)).is_ok() {
                assets.push(gone.clone());
            }
            self.published.remove(&gone);
        }
        self.published.extend(now);
        self.unpublished = None;
        Ok(assets)
    }

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
            // a claim's credibility: the claims pages change (its grade)
            (
                rel,
                "claim=venezuela-transfer}",
                "claim=venezuela-transfer cred=2}",
            ),
            // a tag no annotation had: the page set changes, so a full
            // rebuild
            (
                rel,
                ".claim .unverified claim=venezuela-transfer cred=2}",
                ".claim .brandnewtag claim=venezuela-transfer cred=2}",
            ),
            // a passage moves to another claim: its claim's page goes
            (
                rel,
                "claim=venezuela-transfer cred=2}",
                "claim=intercept cred=2}",
            ),
        ]);
        let full: Vec<bool> = r.iter().map(|x| x.full).collect();
        assert_eq!(full, [false, false, true, true]);
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
    fn an_article_edit_naming_an_entity_relinks_that_article_alone() {
        // Minsk, named in the other article only, now in this one too:
        // its count, its page's articles and co-occurrences, both
        // articles' related lists change; then the mention goes again
        let file = "content/russia-sending-hypersonic-missiles-to-venezuela.md";
        let r = edit_and_compare(&[
            (
                file,
                "translating as “hazel tree”",
                "translating as “hazel tree” (said in Minsk, with Lavrov)",
            ),
            (file, " (said in Minsk, with Lavrov)", ""),
        ]);
        for x in &r {
            assert!(!x.full, "{}", x.log_line("t"));
            assert!(
                x.rendered.iter().any(|p| p == VENEZUELA),
                "{:?}",
                x.rendered
            );
            assert!(
                x.rendered.iter().any(|p| p == "entities/minsk/index.html"),
                "{:?}",
                x.rendered
            );
        }
        // the article's page is written before the pages that list it
        assert_eq!(r[0].rendered.first().map(String::as_str), Some(VENEZUELA));
    }

    #[test]
    fn deferred_publishing_files_are_written_when_asked() {
        // `serve` writes the pages at once and the search index, feed,
        // sitemap and data/briefing.json when saves pause: until then only
        // those differ from a full build
        let live = repo_project();
        let mut session = Session::new(&Project::new(live.path()));
        session.full(false).expect("the first build");
        session.defer_publishing(true);
        assert!(!session.unpublished());
        let differ = |x: &BTreeMap<String, Vec<u8>>, y: &BTreeMap<String, Vec<u8>>| {
            let paths: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            paths
                .into_iter()
                .filter(|p| x.get(*p) != y.get(*p))
                .cloned()
                .collect::<Vec<String>>()
        };
        let edits = [
            (
                "content/russia-sending-hypersonic-missiles-to-venezuela.md",
                "hazel tree",
                "hazel tree zqxword",
                "search/",
            ),
            (
                "annotations/venezuela.md",
                "The Kremlin's claim, repeated",
                "Deferred. The Kremlin's claim, repeated",
                "data/briefing.json",
            ),
        ];
        for (file, from, to, later) in edits {
            let path = live.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "the fixture changed: {file}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let r = session
                .rebuild(&[file.to_string()].into())
                .unwrap()
                .unwrap();
            assert!(r.pages.iter().any(|p| p == VENEZUELA), "{:?}", r.pages);
            assert!(session.unpublished());
            let fresh = copy_inputs(live.path());
            Session::new(&Project::new(fresh.path()))
                .full(false)
                .unwrap();
            let want = site_files(fresh.path());
            let before = differ(&site_files(live.path()), &want);
            assert!(
                before.iter().any(|p| p.starts_with(later))
                    && before.iter().all(|p| !p.ends_with(".html")),
                "{file}: {before:?}"
            );
            let files = session.publish().unwrap();
            assert!(files.iter().any(|p| p.starts_with(later)), "{files:?}");
            assert!(!session.unpublished());
            assert_eq!(
                differ(&site_files(live.path()), &want),
                Vec::<String>::new()
            );
        }
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
                "<small>",
                "<small class=\"chip-count\">",
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

    /// One edit of a project file, as an analyst (or a scraper) makes it.
    #[derive(Clone, Debug)]
    enum Edit {
        /// A paragraph naming `word` appended to the `i`th article.
        ArticleBody(usize, usize),
        /// Every mention of `word` in the `i`th article's body taken out
        /// (its entity's counts, quoted mentions, co-occurrences and
        /// related articles change).
        ArticleUnname(usize, usize),
        /// A paragraph naming two words put first in the `i`th article's
        /// body (every mention after it moves; co-occurrences).
        ArticleLead(usize, usize),
        /// The `i`th article's title.
        ArticleTitle(usize, usize),
        /// The `i`th article's date (set or changed).
        ArticleDate(usize, usize),
        /// A new article (or a new text for it) without a seed.
        AddArticle(usize, usize),
        /// The `i`th article added by the test deleted, or renamed.
        DeleteAdded(usize),
        RenameAdded(usize, usize),
        /// A sentence with a wikilink in the `i`th annotation file.
        AnnotationNote(usize, usize),
        /// A tag of the `i`th annotation file changed.
        AnnotationTag(usize, usize),
        /// A passage annotated again in a new file for the `i`th article.
        AddAnnotation(usize, usize),
        DeleteAnnotation(usize),
        RenameAnnotation(usize, usize),
        /// A new entity, or an entity's description.
        AddEntity(usize),
        EntityDescription(usize, usize),
        /// A paragraph appended to the `i`th seed, or its sidecar written.
        Seed(usize, usize),
        Sidecar(usize, usize),
        /// A comment in the `i`th of a few templates.
        Template(usize, usize),
        /// The stylesheet edited; another static file added, deleted,
        /// renamed.
        Style(usize),
        AddStatic(usize),
        DeleteStatic(usize),
        RenameStatic(usize, usize),
        /// The site's description.
        Config(usize),
        /// A paragraph naming `word` appended to the executive summary.
        Summary(usize),
        /// `sources.yaml` written (an outlet added, one's grade changed:
        /// the sidecar edit names `Outlet w`), or deleted.
        Outlets(usize, usize),
        /// A claim's `cred=` in the `i`th annotation file set or changed.
        Cred(usize, usize),
    }

    const WORDS: &[&str] = &[
        "Minsk",
        "Putin",
        "Belarus",
        "Oreshnik",
        "Lavrov",
        "hazel tree",
        "Kalibr",
        "nothing at all",
    ];

    const WIKILINKS: &[&str] = &[
        "[[Minsk]]",
        "[[Vladimir Putin|Putin]]",
        "[[russia-sending-hypersonic-missiles-to-venezuela]]",
        "[[russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus#intercepted]]",
        "[[Astrakhan]]",
    ];

    fn edit_strategy() -> impl proptest::strategy::Strategy<Value = Edit> {
        use proptest::prelude::*;
        let n = || 0usize..8;
        prop_oneof![
            (n(), n()).prop_map(|(i, w)| Edit::ArticleBody(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::ArticleUnname(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::ArticleLead(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::ArticleTitle(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::ArticleDate(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::AddArticle(i, w)),
            n().prop_map(Edit::DeleteAdded),
            (n(), n()).prop_map(|(i, w)| Edit::RenameAdded(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::AnnotationNote(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::AnnotationTag(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::AddAnnotation(i, w)),
            n().prop_map(Edit::DeleteAnnotation),
            (n(), n()).prop_map(|(i, w)| Edit::RenameAnnotation(i, w)),
            n().prop_map(Edit::AddEntity),
            (n(), n()).prop_map(|(i, w)| Edit::EntityDescription(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::Seed(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::Sidecar(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::Template(i, w)),
            n().prop_map(Edit::Style),
            n().prop_map(Edit::AddStatic),
            n().prop_map(Edit::DeleteStatic),
            (n(), n()).prop_map(|(i, w)| Edit::RenameStatic(i, w)),
            n().prop_map(Edit::Config),
            n().prop_map(Edit::Summary),
            (n(), n()).prop_map(|(i, w)| Edit::Outlets(i, w)),
            (n(), n()).prop_map(|(i, w)| Edit::Cred(i, w)),
        ]
    }

    /// The files of `dir` (project-relative) whose names pass `keep`,
    /// sorted.
    fn files_in(root: &std::path::Path, dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(root.join(dir))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| keep(n))
                    .map(|n| format!("{dir}/{n}"))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// Apply `edit` to the project at `root`; the project files it
    /// changed (none when it does not apply).
    fn apply(root: &std::path::Path, edit: &Edit) -> BTreeSet<String> {
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let pick = |v: &[String], i: usize| -> Option<String> {
            (!v.is_empty()).then(|| v[i % v.len()].clone())
        };
        let articles = files_in(root, "content", |n| {
            n.ends_with(".md") && n != "_briefing.md"
        });
        let added = files_in(root, "content", |n| n.starts_with("added-"));
        let annotations = files_in(root, "annotations", |n| n.ends_with(".md"));
        let seeds = files_in(root, "seeds", |n| n.ends_with(".txt"));
        let statics = files_in(root, "static", |n| n.starts_with("extra-"));
        let one = |rel: &str| -> BTreeSet<String> { [rel.to_string()].into() };
        let two = |a: &str, b: &str| -> BTreeSet<String> { [a.to_string(), b.to_string()].into() };
        // the line starting with `key` replaced by `line` (after the
        // first line, the front matter's fence); without one, `line` goes
        // after the title
        let replace_line = |text: &str, key: &str, line: &str| -> String {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = lines.iter().skip(1).position(|l| l.starts_with(key));
            let mut out = String::new();
            for (n, l) in lines.iter().enumerate() {
                match at {
                    Some(k) if k + 1 == n => out.push_str(line),
                    None if n > 0 && l.starts_with("title:") => {
                        out.push_str(l);
                        out.push_str(line);
                    }
                    _ => out.push_str(l),
                }
            }
            out
        };
        match *edit {
            Edit::ArticleBody(i, w) => {
                let Some(f) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                write(&f, &format!("{text}\nA sentence naming {}.\n", WORDS[w]));
                one(&f)
            }
            Edit::ArticleUnname(i, w) => {
                let Some(f) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                let Some(body_at) = text.get(4..).and_then(|t| t.find("\n---\n")) else {
                    return BTreeSet::new();
                };
                let body_at = body_at + 4 + 5;
                let word = WORDS[w];
                if !text[body_at..].contains(word) {
                    return BTreeSet::new();
                }
                let body = text[body_at..].replace(word, "someone");
                write(&f, &format!("{}{body}", &text[..body_at]));
                one(&f)
            }
            Edit::ArticleLead(i, w) => {
                let Some(f) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                let Some(body_at) = text.get(4..).and_then(|t| t.find("\n---\n")) else {
                    return BTreeSet::new();
                };
                let body_at = body_at + 4 + 5;
                write(
                    &f,
                    &format!(
                        "{}\n{} met {} in the lead.\n\n{}",
                        &text[..body_at],
                        WORDS[w],
                        WORDS[(w + 3) % WORDS.len()],
                        &text[body_at..]
                    ),
                );
                one(&f)
            }
            Edit::ArticleTitle(i, w) => {
                let Some(f) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                write(
                    &f,
                    &replace_line(&text, "title:", &format!("title: A title {w}\n")),
                );
                one(&f)
            }
            Edit::ArticleDate(i, d) => {
                let Some(f) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                write(
                    &f,
                    &replace_line(&text, "date:", &format!("date: 2024-12-0{}\n", d + 1)),
                );
                one(&f)
            }
            Edit::AddArticle(i, w) => {
                let f = format!("content/added-{}.md", i % 3);
                write(
                    &f,
                    &format!(
                        "---\ntitle: Added article {i}\ndate: 2024-11-2{w}\ntags: [added]\n---\n\nAn added article about {} and {}.\n",
                        WORDS[w],
                        WORDS[(w + 1) % WORDS.len()]
                    ),
                );
                one(&f)
            }
            Edit::DeleteAdded(i) => {
                let Some(f) = pick(&added, i) else {
                    return BTreeSet::new();
                };
                std::fs::remove_file(root.join(&f)).unwrap();
                one(&f)
            }
            Edit::RenameAdded(i, n) => {
                let Some(f) = pick(&added, i) else {
                    return BTreeSet::new();
                };
                let to = format!("content/added-{}.md", n % 3 + 3);
                if to == f || root.join(&to).exists() {
                    return BTreeSet::new();
                }
                std::fs::rename(root.join(&f), root.join(&to)).unwrap();
                two(&f, &to)
            }
            Edit::AnnotationNote(i, w) => {
                let Some(f) = pick(&annotations, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                let Some(at) = text
                    .find("\n## ")
                    .and_then(|h| text[h + 1..].find('\n').map(|e| h + 1 + e))
                else {
                    return BTreeSet::new();
                };
                let link = WIKILINKS[w % WIKILINKS.len()];
                write(
                    &f,
                    &format!("{}\n\nSee {link}, edit {w}.\n{}", &text[..at], &text[at..]),
                );
                one(&f)
            }
            Edit::AnnotationTag(i, w) => {
                let Some(f) = pick(&annotations, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                let tags = [" .forecast", " .signal", " .context", " .newtag"];
                let from = tags.iter().find(|t| text.contains(**t));
                let Some(from) = from else {
                    return BTreeSet::new();
                };
                write(&f, &text.replacen(from, tags[w % tags.len()], 1));
                one(&f)
            }
            Edit::AddAnnotation(i, w) => {
                // the first sentence of an article's body, annotated in a
                // file of its own
                let Some(a) = pick(&articles, i) else {
                    return BTreeSet::new();
                };
                let text = read(&a);
                let Some(body) = text.splitn(3, "---\n").nth(2) else {
                    return BTreeSet::new();
                };
                let Some(quote) = body
                    .split("\n\n")
                    .map(str::trim)
                    .find(|p| p.len() > 30 && !p.contains(['"', '*', '[', '#', '_', '`', '<']))
                    .map(|p| p.chars().take(30).collect::<String>())
                else {
                    return BTreeSet::new();
                };
                let stem = a.trim_start_matches("content/").trim_end_matches(".md");
                let slug = text
                    .lines()
                    .find_map(|l| l.strip_prefix("slug: "))
                    .unwrap_or(stem)
                    .trim()
                    .to_string();
                let f = format!("annotations/extra-{}.md", i % 2);
                write(
                    &f,
                    &format!(
                        "---\narticle: {slug}\n---\n\n## \"{}\" {{#extra-{w} .added}}\n\nA note naming {}.\n",
                        quote.trim(),
                        WIKILINKS[w % WIKILINKS.len()]
                    ),
                );
                one(&f)
            }
            Edit::DeleteAnnotation(i) => {
                // mostly a file the test added or renamed: the summary
                // and the other file link to the original ones' passages
                let ours: Vec<String> = annotations
                    .iter()
                    .filter(|f| f.contains("/extra-") || f.contains("/renamed-"))
                    .cloned()
                    .collect();
                let from = if i % 4 == 0 || ours.is_empty() {
                    &annotations
                } else {
                    &ours
                };
                let Some(f) = pick(from, i) else {
                    return BTreeSet::new();
                };
                std::fs::remove_file(root.join(&f)).unwrap();
                one(&f)
            }
            Edit::RenameAnnotation(i, n) => {
                let Some(f) = pick(&annotations, i) else {
                    return BTreeSet::new();
                };
                let to = format!("annotations/renamed-{n}.md");
                if to == f || root.join(&to).exists() {
                    return BTreeSet::new();
                }
                std::fs::rename(root.join(&f), root.join(&to)).unwrap();
                two(&f, &to)
            }
            Edit::AddEntity(w) => {
                let text = read("entities.yaml");
                let name = ["Kalibr", "Hazel", "Gazeta.Ru", "Storm Shadow"][w % 4];
                if text.contains(&format!("- name: {name}\n")) {
                    return BTreeSet::new();
                }
                write(
                    "entities.yaml",
                    &format!("{text}\n- name: {name}\n  kind: other\n  description: Added {w}.\n"),
                );
                one("entities.yaml")
            }
            Edit::EntityDescription(i, w) => {
                let text = read("entities.yaml");
                let from = [
                    "President of Belarus",
                    "Russia's foreign minister",
                    "President of Russia",
                ][i % 3];
                if !text.contains(from) {
                    return BTreeSet::new();
                }
                write(
                    "entities.yaml",
                    &text.replacen(from, &format!("{from} ({w})"), 1),
                );
                one("entities.yaml")
            }
            Edit::Seed(i, w) => {
                let Some(f) = pick(&seeds, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                write(
                    &f,
                    &format!(
                        "{text}\n\nA paragraph the scraper found later about {}, number {w}.\n",
                        WORDS[w]
                    ),
                );
                one(&f)
            }
            Edit::Sidecar(i, w) => {
                let Some(f) = pick(&seeds, i) else {
                    return BTreeSet::new();
                };
                let side = f.replace(".txt", ".meta.yaml");
                write(&side, &format!("outlet: Outlet {w}\n"));
                one(&side)
            }
            Edit::Template(i, w) => {
                let names = [
                    "templates/article.html",
                    "templates/base.html",
                    "templates/index.html",
                    "templates/entity.html",
                    "templates/annotations.html",
                    "templates/fragments/entity_chip.html",
                    "templates/fragments/article_item.html",
                    "templates/edition.html",
                ];
                let f = names[i % names.len()];
                let text = read(f);
                let text = if text.contains("{% block content %}") {
                    text.replacen(
                        "{% block content %}",
                        &format!("{{% block content %}}<!-- e{w} -->"),
                        1,
                    )
                } else {
                    format!("<!-- e{w} -->{text}")
                };
                write(f, &text);
                one(f)
            }
            Edit::Style(w) => {
                let text = read("static/style.css");
                write("static/style.css", &format!("{text}\n/* edit {w} */\n"));
                one("static/style.css")
            }
            Edit::AddStatic(w) => {
                let f = format!("static/extra-{}.css", w % 3);
                write(&f, &format!("p {{ margin: {w}px }}\n"));
                one(&f)
            }
            Edit::DeleteStatic(i) => {
                let Some(f) = pick(&statics, i) else {
                    return BTreeSet::new();
                };
                std::fs::remove_file(root.join(&f)).unwrap();
                one(&f)
            }
            Edit::RenameStatic(i, n) => {
                let Some(f) = pick(&statics, i) else {
                    return BTreeSet::new();
                };
                let to = format!("static/extra-{}.css", n % 3 + 3);
                if to == f || root.join(&to).exists() {
                    return BTreeSet::new();
                }
                std::fs::rename(root.join(&f), root.join(&to)).unwrap();
                two(&f, &to)
            }
            Edit::Outlets(i, w) => {
                let f = "sources.yaml";
                let exists = root.join(f).is_file();
                if i % 4 == 0 && exists {
                    std::fs::remove_file(root.join(f)).unwrap();
                    return one(f);
                }
                let letter = ["A", "B", "C", "D", "E", "F"][w % 6];
                let text = if exists {
                    read(f)
                } else {
                    "- name: The Example Times\n  domains: [news.example]\n  reliability: B\n  description: A daily.\n".to_string()
                };
                let text = match i % 4 {
                    // an outlet the sidecar edit names
                    1 if !text.contains(&format!("name: Outlet {w}\n")) => format!(
                        "{text}- name: Outlet {w}\n  domains: [o{w}.example]\n  reliability: {letter}\n  description: Added {w}.\n"
                    ),
                    2 => replace_line(
                        &text,
                        "  reliability:",
                        &format!("  reliability: {letter}\n"),
                    ),
                    _ => replace_line(
                        &text,
                        "  description:",
                        &format!("  description: Edited {w}.\n"),
                    ),
                };
                write(f, &text);
                one(f)
            }
            Edit::Cred(i, w) => {
                let Some(f) = pick(&annotations, i) else {
                    return BTreeSet::new();
                };
                let text = read(&f);
                let cred = format!("cred={}", 1 + w % 6);
                let Some(line) = text
                    .lines()
                    .find(|l| l.starts_with("## ") && l.contains(" .claim") && l.ends_with('}'))
                else {
                    return BTreeSet::new();
                };
                let edited = match line.find(" cred=") {
                    Some(at) => format!("{}{}{}", &line[..at + 1], cred, &line[at + 7..]),
                    None => format!("{} {cred}}}", &line[..line.len() - 1]),
                };
                write(&f, &text.replacen(line, &edited, 1));
                one(&f)
            }
            Edit::Config(w) => {
                let text = read("briefing.toml");
                write(
                    "briefing.toml",
                    &replace_line(
                        &text,
                        "description =",
                        &format!("description = \"Edited {w}\"\n"),
                    ),
                );
                one("briefing.toml")
            }
            Edit::Summary(w) => {
                let text = read("content/_briefing.md");
                write(
                    "content/_briefing.md",
                    &format!("{text}\nA summary sentence about {}.\n", WORDS[w]),
                );
                one("content/_briefing.md")
            }
        }
    }

    /// A copy of the project's inputs (not its site) in a new directory.
    fn copy_inputs(from: &std::path::Path) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let name = e.file_name();
            if name == "site" || name.to_string_lossy().starts_with(".site") {
                continue;
            }
            if e.path().is_dir() {
                copy_tree(&e.path(), &dir.path().join(&name));
            } else {
                std::fs::copy(e.path(), dir.path().join(&name)).unwrap();
            }
        }
        let _ = std::fs::remove_file(dir.path().join(".briefing/build.json"));
        dir
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 16,
            failure_persistence: None,
            ..Default::default()
        })]
        /// Any sequence of edits to any kind of input, each followed by a
        /// rebuild of the live session: the site equals a full build of
        /// the same files byte for byte (and a build that fails fails in
        /// both). Nothing here lists what each edit should render again:
        /// that is the fingerprints' job.
        #[test]
        fn any_edits_give_the_bytes_of_a_full_build(
            edits in proptest::collection::vec(edit_strategy(), 1..7)
        ) {
            let live = repo_project();
            let mut session = Session::new(&Project::new(live.path()));
            session.full(false).expect("the first build");
            let mut done = Vec::new();
            for edit in &edits {
                let changed = apply(live.path(), edit);
                if changed.is_empty() {
                    continue;
                }
                done.push(edit.clone());
                let incremental = session.rebuild(&changed);
                let fresh = copy_inputs(live.path());
                let full = Session::new(&Project::new(fresh.path())).full(false);
                match (&incremental, &full) {
                    // the live site stays the last good one
                    (Err(_), Err(_)) => continue,
                    (Ok(_), Ok(_)) => {}
                    (a, b) => proptest::prop_assert!(
                        false,
                        "after {done:?}: incremental {} but full {}",
                        match a { Ok(_) => "succeeded".to_string(), Err(f) => f.problems.to_string() },
                        match b { Ok(_) => "succeeded".to_string(), Err(f) => f.problems.to_string() },
                    ),
                }
                let (x, y) = (site_files(live.path()), site_files(fresh.path()));
                let paths: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                let differ: Vec<&&String> =
                    paths.iter().filter(|p| x.get(**p) != y.get(**p)).collect();
                proptest::prop_assert!(
                    differ.is_empty(),
                    "after {done:?}, incremental and full builds differ: {differ:?}"
                );
            }
        }
    }

    #[test]
    fn a_drifted_quote_is_in_the_log_line_and_the_rebuild() {
        // the article's words change under a quote: it still anchors, only
        // approximately — a warning the preview shows, not an error
        let r = edit_and_compare(&[(
            "content/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus.md",
            "Republic of Belarus to be feasible",
            "Republic of Belarus to be quite feasible",
        )]);
        let d = &r[0].drifts;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].id, "belarus-deployment");
        assert_eq!(d[0].file, "annotations/belarus.md");
        assert_eq!(
            d[0].article,
            "russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus"
        );
        assert!(d[0].found.contains("to be quite"), "{:?}", d[0].found);
        assert!((50..100).contains(&d[0].similarity), "{}", d[0].similarity);
        let line = r[0].log_line("test");
        assert!(
            line.ends_with(&format!(
                "; 1 quote(s) matched only approximately: annotations/belarus.md:{} ({}% similar)",
                d[0].line, d[0].similarity
            )),
            "{line}"
        );
    }

    #[test]
    fn a_build_without_drift_says_nothing_of_it() {
        let live = repo_project();
        let r = Session::new(&Project::new(live.path()))
            .full(false)
            .expect("the build");
        assert!(r.drifts.is_empty(), "{:?}", r.drifts);
        assert!(!r.log_line("t").contains("approximately"));
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
