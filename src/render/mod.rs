//! render: the [`Briefing`] model → every output file of the site, in
//! memory. Tera templates for pages, pulldown-cmark for Markdown, syntect
//! for code.
//!
//! Invariants: rendering never touches the file system (the theme is passed
//! in); output is deterministic (sorted inputs, no clocks, no hash-map
//! order); every link between pages is relative, built by
//! [`SitePath::relative_from`].

mod annotations;
mod archive;
pub mod changes;
pub mod data;
mod deps;
pub mod edition;
mod entities;
mod fragments;
mod pages;
pub mod provenance;
pub mod publish;
pub mod sources;
mod timeline;

use crate::assembled::Briefing;
use crate::diag::{Problem, Problems};
use crate::markdown::highlight;
use crate::model::SitePath;
use crate::theme::{Origin, Theme};
use rayon::prelude::*;
use serde::Serialize;

/// One file of the output site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub path: SitePath,
    pub bytes: Vec<u8>,
}

/// What a page's buffer starts at when its size is not known better.
pub(crate) const PAGE_SIZE: usize = 16 * 1024;

/// Compiled templates, ready to render pages.
pub struct Renderer {
    tera: tera::Tera,
    theme: Theme,
}

/// Where a template's diagnostics point: its project file, or the
/// built-in one.
fn template_file(theme: &Theme, name: &str) -> String {
    match theme.templates.get(name).map(|t| &t.origin) {
        Some(Origin::Project(p)) => p.clone(),
        Some(Origin::Builtin) => format!("(built-in) templates/{name}"),
        None => format!("templates/{name}"),
    }
}

const TEMPLATE_HELP: &str =
    "fix the template, or delete it from templates/ to use the built-in one";

fn template_problem(theme: &Theme, name: Option<&str>, err: &tera::Error) -> Problem {
    // a syntax or rendering error knows its template and position
    if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = err.kind()
        && let Some(t) = theme.templates.get(r.filename())
    {
        let what = match err.kind() {
            tera::ErrorKind::SyntaxError(_) => "template syntax error",
            _ => "template error",
        };
        let range = r.span().range.clone();
        // "Variable `x` is not defined. Available variables: a, b, …": the
        // first sentence is the problem (the same on every page), the
        // list (different on each) goes to the help, shortened
        let msg = r.message().trim();
        let (first, rest) = match msg.split_once(". ") {
            Some((f, r)) => (f, r.trim()),
            None => (msg.trim_end_matches('.'), ""),
        };
        let help = match rest.strip_prefix("Available variables: ") {
            Some(list) => {
                let names: Vec<&str> = list.split(", ").map(str::trim).collect();
                format!(
                    "the variables here are {}; {TEMPLATE_HELP}",
                    crate::diag::some_of(&names, 8)
                )
            }
            None if !rest.is_empty() => format!("{rest}; {TEMPLATE_HELP}"),
            None => TEMPLATE_HELP.to_string(),
        };
        return Problem::at(
            template_file(theme, r.filename()),
            std::sync::Arc::from(t.source.as_str()),
            range.start,
            range.len().max(1),
            format!("{what}: {first}"),
        )
        .with_help(help);
    }
    if let tera::ErrorKind::MissingParent { current, parent } = err.kind() {
        return Problem::file(
            template_file(theme, current),
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .with_help(format!(
            "check the name in `{{% extends \"{parent}\" %}}`, or add templates/{parent}"
        ));
    }
    let mut msg = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    let file = match name {
        Some(n) => template_file(theme, n),
        None => "templates/".to_string(),
    };
    Problem::file(file, format!("template error: {}", msg.trim())).with_help(TEMPLATE_HELP)
}

/// The problems of a theme whose templates do not load together, root
/// causes only: each template with a syntax error, at its line and column,
/// with one note naming the templates that extend it (they cannot be
/// checked until it is fixed, and Tera would report each of them as
/// "inheriting from a template that doesn't exist"); then any error of
/// the other templates taken together.
fn theme_problems(theme: &Theme, err: &tera::Error) -> Problems {
    let mut problems = Problems::default();
    // each template alone: a syntax error is its own; a missing parent is
    // only the probe's (the parent is not loaded) and tells the parent
    let mut broken: Vec<(&str, Problem)> = Vec::new();
    let mut parent_of: std::collections::BTreeMap<&str, String> = Default::default();
    for (name, t) in &theme.templates {
        let mut probe = tera::Tera::new();
        match probe.add_raw_template(name, &t.source) {
            Ok(()) => {}
            Err(e) => match e.kind() {
                tera::ErrorKind::SyntaxError(_) => {
                    broken.push((name.as_str(), template_problem(theme, Some(name), &e)))
                }
                tera::ErrorKind::MissingParent { parent, .. } => {
                    parent_of.insert(name.as_str(), parent.clone());
                }
                _ => {}
            },
        }
    }
    if broken.is_empty() {
        problems.push(template_problem(theme, None, err));
        return problems;
    }
    // which broken template each other one extends, through its parents
    let root_of = |name: &str| -> Option<&str> {
        let mut at = name;
        for _ in 0..theme.templates.len() {
            let parent = parent_of.get(at)?;
            if let Some((b, _)) = broken.iter().find(|(b, _)| b == parent) {
                return Some(b);
            }
            at = parent.as_str();
        }
        None
    };
    let mut dependents: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for name in theme.templates.keys() {
        if let Some(root) = root_of(name) {
            dependents.entry(root).or_default().push(name);
        }
    }
    let unchecked: std::collections::BTreeSet<&str> =
        dependents.values().flatten().copied().collect();
    for (name, mut p) in broken.iter().cloned() {
        if let Some(deps) = dependents.get(name) {
            p.note = Some(format!(
                "{} template(s) extending it ({}) are not checked until it is fixed",
                deps.len(),
                crate::diag::some_of(deps, 3)
            ));
        }
        problems.push(p);
    }
    // the rest, together: an error there is a cause of its own
    let rest: Vec<(&String, &String)> = theme
        .templates
        .iter()
        .filter(|(n, _)| !broken.iter().any(|(b, _)| b == n) && !unchecked.contains(n.as_str()))
        .map(|(n, t)| (n, &t.source))
        .collect();
    if let Err(e) = tera::Tera::new().add_raw_templates(rest) {
        problems.push(template_problem(theme, None, &e));
    }
    problems
}

impl Renderer {
    /// Compile the theme's templates. Every template error is reported,
    /// root causes only (see `theme_problems`).
    pub fn new(theme: &Theme) -> Result<Renderer, Problems> {
        let mut tera = tera::Tera::new();
        let templates: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|(n, t)| (n.clone(), t.source.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            return Err(theme_problems(theme, &e));
        }
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("safe", safe);
        Ok(Renderer {
            tera,
            theme: theme.clone(),
        })
    }

    /// Render one template with a serializable context.
    pub fn render<T: Serialize>(&self, template: &str, ctx: &T) -> Result<String, Problem> {
        self.render_sized(template, ctx, PAGE_SIZE)
    }

    /// [`Renderer::render`] into a buffer of `size` bytes to start with (a
    /// page's expected size: growing a large page's buffer copies it).
    pub fn render_sized<T: Serialize>(
        &self,
        template: &str,
        ctx: &T,
        size: usize,
    ) -> Result<String, Problem> {
        let out = self.page(template, ctx, size)?;
        String::from_utf8(out).map_err(|e| {
            Problem::file(
                template.to_string(),
                format!("template output is not UTF-8: {e}"),
            )
        })
    }

    /// A page's bytes: [`Renderer::render_sized`] without checking that
    /// what Tera wrote is UTF-8 (it writes only `str`s) and making a
    /// `String` of it, as a page goes to a file as bytes.
    pub fn page<T: Serialize>(
        &self,
        template: &str,
        ctx: &T,
        size: usize,
    ) -> Result<Vec<u8>, Problem> {
        let problem = |e: &tera::Error| template_problem(&self.theme, Some(template), e);
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| problem(&e))?;
        let mut out = Vec::with_capacity(size);
        self.tera
            .render_to(template, &ctx, &mut out)
            .map_err(|e| problem(&e))?;
        Ok(out)
    }
}

/// Tera's `safe` filter, giving the same value, without copying the
/// string: Tera's own copies it into a new one (every article body, note
/// and pasted list went through it: a page's bytes copied once more),
/// where marking the shared string safe is enough.
fn safe(val: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if val.is_string() {
        val.mark_safe()
    } else {
        // (what Tera's does with any other value: its text, marked safe)
        tera::Value::safe_string(&val.to_string())
    }
}

/// Tera's autoescaping, with the same output as its default
/// (`tera::escape_html`: `&<>"'` become `&amp; &lt; &gt; &quot; &#39;`), but
/// copying the runs between those bytes whole instead of writing byte by
/// byte through `dyn Write` (a tenth of a build's time went there), and
/// finding them with `memchr` (most values, titles and URLs, have none).
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut last = 0;
    while last < bytes.len() {
        let rest = &bytes[last..];
        let tag = memchr::memchr3(b'&', b'<', b'>', rest).unwrap_or(rest.len());
        let at = memchr::memchr2(b'"', b'\'', &rest[..tag]).unwrap_or(tag);
        if at == rest.len() {
            break;
        }
        let rep: &[u8] = match rest[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        };
        out.write_all(&rest[..at])?;
        out.write_all(rep)?;
        last += at + 1;
    }
    out.write_all(&bytes[last..])
}

/// Render the whole site into memory, sorted by path. Pure: the same
/// briefing and theme give the same bytes. Builds use [`render_site_into`],
/// which does not hold every page at once.
pub fn render_site(b: &Briefing, theme: &Theme) -> Result<Vec<Output>, Problems> {
    let out = std::sync::Mutex::new(Vec::new());
    render_site_into(b, theme, &|o| {
        out.lock().expect("no panics while holding it").push(o);
        Ok(())
    })?;
    let mut out = out.into_inner().expect("no panics while holding it");
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// Where rendered files go, one at a time and from several threads at once
/// (a build writes them to disk as they come).
pub type Sink<'a> = &'a (dyn Fn(Output) -> Result<(), Problem> + Sync);

/// Render the whole site, handing every file to `sink` as soon as it is
/// made, in no particular order, so that memory holds only the pages being
/// rendered. Every problem is collected; when there are any, some files
/// may already have gone to the sink (a build discards them).
pub fn render_site_into(b: &Briefing, theme: &Theme, sink: Sink) -> Result<(), Problems> {
    render_site_to(
        b,
        theme,
        sink,
        &|path, write| {
            let mut bytes = Vec::new();
            write(&mut bytes)
                .map_err(|e| Problem::file(path.as_str(), format!("could not be made: {e}")))?;
            sink(Output {
                path: path.clone(),
                bytes,
            })
        },
        true,
    )
}

/// What writes a file's bytes, given a writer to it.
pub type WriteFile<'a> = &'a mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>;

/// Where a file too large to hold whole goes as it is made: `stream(path,
/// write)` calls `write` with a writer to the file (`data/briefing.json`).
pub type Stream<'a> = &'a (dyn Fn(&SitePath, WriteFile<'_>) -> Result<(), Problem> + Sync);

/// The search index (its files to `sink` as they are made): the first
/// problem the sink had, if any.
pub fn search_index_into(b: &Briefing, sink: Sink) -> Result<(), Problem> {
    let start = std::time::Instant::now();
    let failed = std::sync::Mutex::new(None);
    publish::search_index_into(b, &|path, bytes| {
        let o = Output {
            path: SitePath::new(path),
            bytes,
        };
        if let Err(p) = sink(o) {
            failed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(p);
        }
    });
    crate::timing::timing("search", start);
    failed
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .map_or(Ok(()), Err)
}

/// [`render_site_into`], with `data/briefing.json` written to `stream` as
/// it is made instead of handed to `sink` whole; and the search index
/// made beside the pages only `with_search` (else the caller makes it,
/// [`search_index_into`]).
pub fn render_site_to(
    b: &Briefing,
    theme: &Theme,
    sink: Sink,
    stream: Stream,
    with_search: bool,
) -> Result<(), Problems> {
    let renderer = Renderer::new(theme)?;
    let shared = pages::Shared::default();
    // The search index needs only the model: build it while pages render,
    // each of its files to the sink as soon as it is made. (A whole site
    // needs no page dependencies: those are for the live preview,
    // `page_jobs`.)
    let search_failed = std::sync::Mutex::new(None);
    let pages = || {
        pages::jobs(b)
            .par_iter()
            .map(|j| {
                if let pages::Job::Data = j {
                    let path = SitePath::new(data::PATH);
                    stream(&path, &mut |w| data::write(b, w))?;
                    return Ok(path);
                }
                let o = j.run(b, &renderer, &shared)?;
                let path = o.path.clone();
                sink(o)?;
                Ok(path)
            })
            .collect::<Vec<Result<SitePath, Problem>>>()
    };
    let results = if with_search {
        let ((), results) = rayon::join(
            || {
                if let Err(p) = search_index_into(b, sink) {
                    *search_failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(p);
                }
            },
            pages,
        );
        results
    } else {
        pages()
    };
    let mut problems = Problems::default();
    problems.extend(
        search_failed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    );
    let mut paths = Vec::with_capacity(results.len() + theme.statics.len() + 1);
    for r in results {
        match r {
            Ok(p) => paths.push(p),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    let mut assets: Vec<Output> = theme
        .statics
        .iter()
        .map(|(name, bytes)| Output {
            path: SitePath::asset(name),
            bytes: bytes.clone(),
        })
        .collect();
    if !theme.statics.contains_key("syntax.css") {
        assets.push(Output {
            path: SitePath::asset("syntax.css"),
            bytes: highlight::stylesheet().into_bytes(),
        });
    }
    paths.extend(assets.iter().map(|o| o.path.clone()));
    let refs: Vec<&SitePath> = paths.iter().collect();
    let more = publish::publishing(b, &refs, Vec::new());
    // (a thousand files of the search index among them)
    assets
        .into_par_iter()
        .chain(more)
        .try_for_each(|o| sink(o).map_err(Problems::from))
}

pub use deps::{Fingerprint, Fingerprints, Scope, Touched};
pub use pages::{Dep, Deps, Shared};

/// The paths of every page job of the briefing, in job order. Listings
/// are paginated, so an edit can add or remove pages: the live preview
/// compares these to decide whether it can rebuild incrementally.
pub fn page_paths(b: &Briefing) -> Vec<SitePath> {
    pages::jobs(b).iter().map(|j| j.path(b)).collect()
}

/// A page to render, with what incremental rebuilds need to know about it.
pub struct PageJob {
    job: pages::Job,
    /// The template it renders with (`None`: unknown).
    pub template: Option<&'static str>,
    pub deps: Deps,
}

impl PageJob {
    /// The path of the page this job renders.
    pub fn path(&self, b: &Briefing) -> SitePath {
        self.job.path(b)
    }

    /// Whether the job makes a file for programs rather than a page people
    /// look at (`data/briefing.json` and its schema): the live preview
    /// may write it later, with the search index.
    pub fn is_data(&self) -> bool {
        matches!(self.job, pages::Job::Data | pages::Job::DataSchema)
    }

    /// The article whose page this job renders, if it is an article page.
    pub fn article<'b>(&self, b: &'b Briefing) -> Option<&'b crate::model::Slug> {
        match self.job {
            pages::Job::Article(i) => b.articles.get(i).map(|a| &a.slug),
            _ => None,
        }
    }
}

/// Whether `jobs` still hold every page of the entities `entities`, and
/// no more: how many pages an entity has follows from how many articles
/// name it, which an article edit may change (see `link::relink`).
pub fn entity_pages_hold(
    b: &Briefing,
    jobs: &[PageJob],
    entities: impl IntoIterator<Item = usize>,
) -> bool {
    let mut count: rustc_hash::FxHashMap<usize, usize> =
        entities.into_iter().map(|e| (e, 0)).collect();
    for j in jobs {
        if let pages::Job::Entity(i, _) = j.job
            && let Some(c) = count.get_mut(&i)
        {
            *c += 1;
        }
    }
    count
        .iter()
        .all(|(&i, &c)| c == entities::entity_pages(b, i))
}

/// Every page job of the briefing with its template and dependencies.
pub fn page_jobs(b: &Briefing) -> Vec<PageJob> {
    pages::jobs(b)
        .into_iter()
        .map(|job| PageJob {
            template: job.template(),
            deps: job.deps(b),
            job,
        })
        .collect()
}

/// Render the page jobs `select` picks, with an already compiled renderer
/// (theme static files are not included; see [`asset_outputs`]).
pub fn render_pages(
    b: &Briefing,
    renderer: &Renderer,
    select: impl Fn(&PageJob) -> bool + Sync,
) -> Result<Vec<Output>, Problems> {
    render_jobs(b, renderer, &page_jobs(b), &Shared::default(), select)
}

/// [`render_pages`] with the page jobs already worked out (the live
/// preview keeps them while the set of pages and what each shows stay).
pub fn render_jobs(
    b: &Briefing,
    renderer: &Renderer,
    jobs: &[PageJob],
    shared: &Shared,
    select: impl Fn(&PageJob) -> bool + Sync,
) -> Result<Vec<Output>, Problems> {
    let jobs: Vec<&PageJob> = jobs.iter().filter(|j| select(j)).collect();
    let results: Vec<Result<Output, Problem>> = jobs
        .par_iter()
        .map(|j| j.job.run(b, renderer, shared))
        .collect();
    let mut problems = Problems::default();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(o) => out.push(o),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    Ok(out)
}

/// The output of one theme static file (`None` when the theme has no such
/// file). `syntax.css` is generated.
pub fn asset_output(theme: &Theme, name: &str) -> Option<Output> {
    if let Some(bytes) = theme.statics.get(name) {
        return Some(Output {
            path: SitePath::asset(name),
            bytes: bytes.clone(),
        });
    }
    (name == "syntax.css").then(|| Output {
        path: SitePath::asset("syntax.css"),
        bytes: highlight::stylesheet().into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn escaped(f: fn(&str, &mut dyn std::io::Write) -> std::io::Result<()>, s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        f(s, &mut out).expect("writing to a Vec cannot fail");
        out
    }

    fn theme(templates: &[(&str, &str)]) -> crate::theme::Theme {
        let mut t = crate::theme::Theme::default();
        for (name, src) in templates {
            t.set_template(name, src.to_string(), format!("templates/{name}"));
        }
        t
    }

    fn headlines(t: &crate::theme::Theme) -> Vec<String> {
        match super::Renderer::new(t) {
            Ok(_) => Vec::new(),
            Err(ps) => ps.iter().map(|p| p.headline()).collect(),
        }
    }

    #[test]
    fn a_broken_base_template_is_one_error_naming_its_dependents() {
        let t = theme(&[
            (
                "base.html",
                "<p>\n{% if x %}{% block c %}{% endblock c %}\n",
            ),
            (
                "a.html",
                "{% extends \"base.html\" %}{% block c %}a{% endblock c %}",
            ),
            (
                "b.html",
                "{% extends \"a.html\" %}{% block c %}b{% endblock c %}",
            ),
            ("c.html", "plain"),
        ]);
        let ps = super::Renderer::new(&t).err().unwrap();
        assert_eq!(ps.len(), 1, "{ps}");
        let p = &ps.0[0];
        assert_eq!(p.file, "templates/base.html");
        assert_eq!(p.line, 2, "{ps}");
        assert!(p.message.starts_with("template syntax error: "), "{ps}");
        assert_eq!(
            p.note.as_deref(),
            Some(
                "2 template(s) extending it (a.html and b.html) are not checked until it is fixed"
            )
        );
    }

    #[test]
    fn a_missing_parent_is_named_once() {
        let t = theme(&[
            ("base.html", "{% block c %}{% endblock c %}"),
            (
                "a.html",
                "{% extends \"bse.html\" %}{% block c %}a{% endblock c %}",
            ),
        ]);
        assert_eq!(
            headlines(&t),
            ["templates/a.html: error: template `a.html` extends `bse.html`, which does not exist"]
        );
    }

    #[test]
    fn escapes_what_tera_escapes() {
        assert_eq!(
            escaped(super::escape_html, r#"<a href="x">Tom & 'Jerry'</a>"#),
            b"&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;".to_vec()
        );
    }

    /// `template` rendered with `ctx` by our renderer and by Tera with its
    /// own filters (the same escaping).
    fn ours_and_teras(template: &str, ctx: &serde_json::Value) -> (String, String) {
        let ours = super::Renderer::new(&theme(&[("t.html", template)]))
            .expect("compiles")
            .render("t.html", ctx)
            .expect("renders");
        let mut tera = tera::Tera::new();
        tera.add_raw_template("t.html", template).expect("compiles");
        tera.autoescape_on([".html"]);
        let teras = tera
            .render(
                "t.html",
                &tera::Context::from_serialize(ctx).expect("a map"),
            )
            .expect("renders");
        (ours, teras)
    }

    #[test]
    fn safe_gives_what_teras_safe_gives_for_every_kind_of_value() {
        let ctx = serde_json::json!({
            "short": "<b>&</b>",
            "long": "<p>a paragraph longer than a short string's inline room & more</p>",
            "n": 3, "f": 2.5, "yes": true, "none": null,
            "list": ["<a>", 1, "b\"c"], "map": {"k": "<v>"},
        });
        for name in ["short", "long", "n", "f", "yes", "none", "list", "map"] {
            let template = format!(
                "[{{{{ {name} | safe }}}}][{{{{ {name} }}}}][{{{{ {name} | safe | upper }}}}]"
            );
            let (ours, teras) = ours_and_teras(&template, &ctx);
            assert_eq!(ours, teras, "{name}");
        }
        // and the marked string is still escaped where it is used unmarked
        let (ours, _) = ours_and_teras("{% set x = long | safe %}{{ x }}|{{ long }}", &ctx);
        assert!(
            ours.contains("<p>a paragraph") && ours.contains("&lt;p&gt;a paragraph"),
            "{ours}"
        );
    }

    proptest! {
        /// Our `safe` filter and Tera's agree on any string.
        #[test]
        fn safe_is_teras_safe(s in r#"[a-z<>&"'/ é“”\n]{0,60}"#) {
            let ctx = serde_json::json!({ "s": s });
            let (ours, teras) = ours_and_teras("{{ s | safe }}{{ s }}", &ctx);
            prop_assert_eq!(ours, teras);
        }

        /// Byte for byte the output of Tera's own escaping, so pages do
        /// not change with the faster function.
        #[test]
        fn same_as_teras_escape(s in r#"[a-z<>&"'/ é“”\n]{0,40}"#) {
            prop_assert_eq!(escaped(super::escape_html, &s), escaped(tera::escape_html, &s));
        }
    }
}
