//! site: assemble the [`Briefing`] from [`Inputs`] (pure), and write a
//! rendered site to disk (the I/O edge on the output side).
//!
//! A build renders everything in memory first; only when that succeeds is
//! anything written, so a failed build leaves the previous `site/` exactly
//! as it was. Each file is written atomically and only when its bytes
//! changed; files of an earlier build that are no longer produced are
//! removed — never anything outside the output directory.

use crate::annotate;
use crate::clean::Cleaned;
use crate::content;
use crate::diag::{Problem, Problems};
use crate::fsutil;
use crate::link;
use crate::model::Briefing;
use crate::project::{Inputs, Project};
use crate::render::{self, Output};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Parse, anchor and link the inputs into a [`Briefing`]. Pure. Collects
/// every problem instead of stopping at the first.
pub fn assemble(inputs: &Inputs) -> Result<Briefing, Problems> {
    let mut problems = Problems::default();
    let mut articles = Vec::new();
    for (file, text) in &inputs.articles {
        match content::parse_article(file, text.clone()) {
            Ok(a) => articles.push(a),
            Err(p) => problems.push(p),
        }
    }
    assemble_parsed(inputs, articles, problems)
}

/// [`assemble`] with the articles already parsed (the live preview keeps
/// them in memory and re-parses only the file that changed). `problems`
/// are those found while parsing.
pub fn assemble_parsed(
    inputs: &Inputs,
    articles: Vec<crate::content::Article>,
    problems: Problems,
) -> Result<Briefing, Problems> {
    assemble_keeping(inputs, articles, problems).map_err(|(p, _)| p)
}

/// [`assemble_parsed`] that gives the articles back when it fails, so a
/// caller keeping them in memory does not have to parse them all again.
pub fn assemble_keeping(
    inputs: &Inputs,
    mut articles: Vec<crate::content::Article>,
    mut problems: Problems,
) -> Result<Briefing, (Problems, Vec<crate::content::Article>)> {
    // slugs must be unique
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for a in &articles {
        if let Some(first) = seen.insert(a.slug.to_string(), a.file.clone()) {
            problems.push(
                Problem::at(
                    a.file.clone(),
                    a.text.clone(),
                    0,
                    3,
                    format!("slug `{}` is also used by {first}", a.slug),
                )
                .with_help("give one of the articles a different `slug:` in its front matter"),
            );
        }
    }
    articles.sort_by(|a, b| match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.cmp(x).then_with(|| a.slug.cmp(&b.slug)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug)),
    });
    let summary = match &inputs.summary {
        Some((file, text)) => match content::parse_summary(file, text.clone()) {
            Ok(s) => Some(s),
            Err(p) => {
                problems.push(p);
                None
            }
        },
        None => None,
    };
    let registry = match &inputs.entities {
        Some((file, text)) => link::Registry::parse(file, text.clone()).unwrap_or_else(|p| {
            problems.extend(p.0);
            link::Registry::default()
        }),
        None => link::Registry::default(),
    };
    let (annotations, aprobs) = annotate::anchor_with(&annotate::AnchorInputs {
        files: &inputs.annotations,
        articles: &articles,
        summary: summary.as_ref(),
        registry: Some(&registry),
    });
    problems.extend(aprobs.0);
    let (refs, events) = annotation_links(&annotations);
    let links = link::link(
        registry,
        &articles,
        inputs.config.entity_links,
        &refs,
        &events,
    );
    if problems.has_errors() {
        problems.sort();
        return Err((problems, articles));
    }
    Ok(Briefing {
        config: inputs.config.clone(),
        articles,
        summary,
        sources: inputs.sources.clone(),
        annotations,
        links,
    })
}

/// What the link stage needs from annotations: every note's wikilink
/// targets (for backlinks) and the dated `.event` annotations (for the
/// timeline). Anchors on article pages are `a-<id>`; a note on the whole
/// article sits at `#note`.
fn annotation_links(
    a: &annotate::Annotations,
) -> (Vec<link::AnnotationRef>, Vec<link::EventInput>) {
    let target = |t: &annotate::Target| match t {
        annotate::Target::Article { slug } => link::Target::Article(slug.clone()),
        annotate::Target::Annotation { article, id } => {
            link::Target::Passage(article.clone(), format!("a-{id}"))
        }
        annotate::Target::Entity { slug } => link::Target::Entity(slug.clone()),
    };
    let mut refs: Vec<link::AnnotationRef> = a
        .all()
        .iter()
        .map(|n| link::AnnotationRef {
            article: n.article.clone(),
            annotation: format!("a-{}", n.id),
            label: n.quote.clone(),
            targets: n.targets.iter().map(target).collect(),
        })
        .collect();
    refs.extend(a.article_notes().iter().map(|n| link::AnnotationRef {
        article: n.article.clone(),
        annotation: "note".to_string(),
        label: "note on the whole article".to_string(),
        targets: n.targets.iter().map(target).collect(),
    }));
    let events = a
        .events()
        .into_iter()
        .map(|e| link::EventInput {
            date: e.date,
            label: e.label,
            article: e.article,
            annotation: format!("a-{}", e.id),
        })
        .collect();
    (refs, events)
}

/// What writing the site did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Write `outputs` under `dir`: atomically, only changed files, and remove
/// files that an earlier build produced but this one did not.
pub fn write_site(dir: &Path, outputs: &[Output]) -> std::io::Result<WriteStats> {
    write_site_changed(dir, outputs).map(|(stats, _)| stats)
}

/// [`write_site`], also returning the paths that were written or removed.
pub fn write_site_changed(
    dir: &Path,
    outputs: &[Output],
) -> std::io::Result<(WriteStats, Vec<String>)> {
    let mut stats = WriteStats::default();
    let mut changed = Vec::new();
    std::fs::create_dir_all(dir)?;
    let wanted: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let results: Vec<std::io::Result<bool>> = {
        use rayon::prelude::*;
        outputs
            .par_iter()
            .map(|o| fsutil::write_if_changed(&dir.join(o.path.as_str()), &o.bytes))
            .collect()
    };
    for (r, o) in results.into_iter().zip(outputs) {
        if r? {
            changed.push(o.path.as_str().to_string());
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    for f in fsutil::list_files(dir)? {
        let rel = fsutil::display(dir, &f);
        if !wanted.contains(rel.as_str()) {
            std::fs::remove_file(&f)?;
            changed.push(rel);
            stats.removed += 1;
        }
    }
    remove_empty_dirs(dir)?;
    Ok((stats, changed))
}

fn remove_empty_dirs(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            remove_empty_dirs(&p)?;
            if std::fs::read_dir(&p)?.next().is_none() {
                std::fs::remove_dir(&p)?;
            }
        }
    }
    Ok(())
}

/// Options of a build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Output directory (default `site/` in the project).
    pub out: Option<std::path::PathBuf>,
    /// Overrides `base_url` from `briefing.toml`.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    pub stats: WriteStats,
    /// Warnings (a build with errors returns `Err`).
    pub warnings: Problems,
    pub clean: Vec<(String, crate::project::CleanAction)>,
}

/// The whole pipeline: clean what is new, load, assemble, render, write.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<BuildReport, Problems> {
    let outcome = project.clean(&[], false);
    let mut warnings = Problems::default();
    for (seed, action) in &outcome.actions {
        if let crate::project::CleanAction::Protected { content } = action {
            warnings.push(
                Problem::file(
                    content.clone(),
                    format!(
                        "edited by hand after it was cleaned from seeds/{seed}; not overwritten"
                    ),
                )
                .with_help(format!(
                    "run `briefing clean --force seeds/{seed}` to overwrite it (a backup is kept)"
                ))
                .warning(),
            );
        }
    }
    if outcome.problems.has_errors() {
        let mut p = outcome.problems;
        p.sort();
        return Err(p);
    }
    build_from(project, opts, &outcome.cleaned).map(|mut r| {
        r.warnings.extend(warnings.0);
        r.clean = outcome.actions;
        r
    })
}

/// Load, assemble, render and write, without cleaning.
pub fn build_from(
    project: &Project,
    opts: &BuildOptions,
    cleaned: &BTreeMap<String, Cleaned>,
) -> Result<BuildReport, Problems> {
    let mut inputs = project.load(cleaned)?;
    if let Some(url) = &opts.base_url {
        inputs.config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let briefing = assemble(&inputs)?;
    let outputs = render::render_site(&briefing, &inputs.theme)?;
    let out_dir = opts.out.clone().unwrap_or_else(|| project.path("site"));
    let stats = write_site(&out_dir, &outputs).map_err(|e| {
        Problems::from(Problem::file(
            fsutil::display(&project.root, &out_dir),
            format!("cannot write the site: {e}"),
        ))
    })?;
    Ok(BuildReport {
        articles: briefing.articles.len(),
        pages: outputs.len(),
        stats,
        warnings: briefing.annotations.warnings.clone(),
        clean: Vec::new(),
    })
}
