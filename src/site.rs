//! site: assemble the [`Briefing`] from [`Inputs`] (pure), and write a
//! rendered site to disk (the I/O edge on the output side).
//!
//! A build writes each page as soon as it is rendered, so memory holds only
//! the pages in flight, into a hidden directory beside `site/` (unchanged
//! pages are hard links to the live ones), and swaps the two directories
//! in one step only when the whole build has succeeded ([`Staged`], in
//! `output`): `site/` is at every instant the whole previous site or the
//! whole new one, whether a build fails, fills the disk or is killed, and
//! what a killed build left is put right by the next one
//! ([`remove_leftovers`]). Hidden entries of `site/` (a deployment
//! checkout's `.git/`) are carried over; nothing outside the output
//! directory is touched but our own hidden build directories beside it.

use crate::annotate;
use crate::assembled::Briefing;
use crate::clean::Cleaned;
use crate::content;
use crate::diag::{Problem, Problems};
use crate::fsutil;
use crate::holdback::{self, HeldBack};
use crate::link;
use crate::model::Slug;
use crate::project::{Inputs, Project};
use crate::render;
use crate::timing::{StageTimer, timing, timings_on};
use std::collections::BTreeMap;
use std::path::Path;

mod output;
pub use output::{Removal, STAGING, Staged, WriteStats, recover_site, write_in_place, write_site};

/// Parse, anchor and link the inputs into a [`Briefing`]. Pure. Collects
/// every problem instead of stopping at the first.
pub fn assemble(inputs: &Inputs) -> Result<Briefing, Problems> {
    use rayon::prelude::*;
    let parsed: Vec<Result<content::Article, Problem>> = inputs
        .articles
        .par_iter()
        .with_min_len(64)
        .map(|(file, text)| content::parse_article(file, text.clone()))
        .collect();
    let mut problems = Problems::default();
    let mut articles = Vec::with_capacity(parsed.len());
    for r in parsed {
        match r {
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
    // what the build holds back (see `holdback`): a public build takes
    // held articles out here, before anything downstream reads them
    let policy = inputs.policy;
    let t0 = std::time::Instant::now();
    let mut warnings = inputs.warnings.clone();
    {
        use rayon::prelude::*;
        warnings.extend(
            articles
                .par_iter()
                .flat_map_iter(content::unknown_keys)
                .collect::<Vec<Problem>>(),
        );
        articles
            .par_iter_mut()
            .for_each(|a| a.held = holdback::article_hold(a, policy.now));
    }
    let next_change = holdback::next_embargo_end(&articles, policy.now);
    let mut held = HeldBack::default();
    if policy.is_public() {
        use rayon::prelude::*;
        let (out, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut articles)
            .into_iter()
            .partition(|a| a.held.is_some());
        articles = kept;
        for a in &out {
            let hold = a.held.expect("partitioned on it");
            held.items.push(holdback::article_item(a, &hold));
            held.articles.insert(a.slug.clone(), hold);
        }
        // `internal` blocks in the bodies (texts keep their length)
        let blocks: Vec<Vec<holdback::leak::Item>> = articles
            .par_iter_mut()
            .with_min_len(64)
            .map(|a| match holdback::article_view(a) {
                Some((text, items)) => {
                    a.text = text;
                    items
                }
                None => Vec::new(),
            })
            .collect();
        held.items.extend(blocks.into_iter().flatten());
    }
    articles.sort_by(article_order);
    // (collected a parse at a time, with room for up to as many again:
    // kept to the end of the build)
    articles.shrink_to_fit();
    let summary = match &inputs.summary {
        Some((file, text)) => match content::parse_summary(file, text.clone()) {
            Ok(s) => {
                warnings.extend(content::front_matter_warnings(
                    file,
                    text,
                    content::SUMMARY_KEYS,
                ));
                match holdback::summary_view(&s).filter(|_| policy.is_public()) {
                    Some((public, items)) => {
                        held.items.extend(items);
                        Some(public)
                    }
                    None => Some(s),
                }
            }
            Err(p) => {
                problems.push(p);
                None
            }
        },
        None => None,
    };
    let (files, file_warnings) = annotation_sources(inputs, &mut held);
    timing("assemble: hold back", t0);
    // articles that did not parse (the problems so far): what links to
    // them is not checked, but counted under their own error
    let unavailable: Vec<(Slug, String)> = problems
        .iter()
        .flat_map(|p| {
            content::probable_slugs(&p.file, p.src.inner())
                .into_iter()
                .map(|s| (s, p.file.clone()))
        })
        .collect();
    let registry = match &inputs.entities {
        Some((file, text)) => link::Registry::parse(file, text.clone()).unwrap_or_else(|p| {
            problems.extend(p.0);
            link::Registry::unloaded(file.clone())
        }),
        None => link::Registry::default(),
    };
    let outlets = match &inputs.outlets {
        Some((file, text)) => {
            link::outlets::Outlets::parse(file, text.clone()).unwrap_or_else(|p| {
                problems.extend(p.0);
                link::outlets::Outlets::default()
            })
        }
        None => link::outlets::Outlets::default(),
    };
    let t0 = std::time::Instant::now();
    let (mut annotations, aprobs) = annotate::anchor_with(&annotate::AnchorInputs {
        files: &files,
        articles: &articles,
        summary: summary.as_ref(),
        registry: Some(&registry),
        cache: inputs.anchor_cache.as_deref(),
        unavailable: &unavailable,
        held: policy
            .is_public()
            .then_some::<&dyn annotate::HeldTargets>(&held),
    });
    annotations.warnings.extend(file_warnings);
    problems.extend(aprobs.0);
    problems.summarise_unchecked();
    timing("assemble: anchor", t0);
    let t0 = std::time::Instant::now();
    let (refs, events) = annotation_links(&annotations);
    timing("assemble: annotation links", t0);
    let t0 = std::time::Instant::now();
    let links = link::link(
        registry,
        &articles,
        inputs.config.entity_links,
        &refs,
        &events,
    );
    timing("assemble: link", t0);
    // tens of thousands of small strings, freed beside the next stage
    rayon::spawn(move || drop((refs, events)));
    if problems.has_errors() {
        problems.sort();
        return Err((problems, articles));
    }
    let t0 = std::time::Instant::now();
    let leak = leak_checker(
        &held,
        &articles,
        &files,
        summary.as_ref(),
        inputs,
        &annotations,
    );
    timing("assemble: leak needles", t0);
    let mut sources = inputs.sources.clone();
    if !held.articles.is_empty() {
        // the cleaning reports of held articles' seeds: their whole text
        let public: std::collections::BTreeSet<&str> = articles
            .iter()
            .filter_map(|a| a.source.as_deref())
            .collect();
        let gone: std::collections::BTreeSet<String> = inputs
            .sources
            .keys()
            .filter(|s| !public.contains(s.as_str()))
            .cloned()
            .collect();
        sources.retain(|name, _| !gone.contains(name));
    }
    warnings.sort();
    Ok(Briefing {
        config: inputs.config.clone(),
        articles,
        summary,
        sources,
        annotations,
        links,
        outlets: std::sync::Arc::new(outlets),
        profile: policy.profile,
        held: std::sync::Arc::new(held),
        leak,
        next_change,
        editions: inputs.editions.clone(),
        warnings,
    })
}

/// The annotation files as the build reads them ([`holdback::annotation_view`]:
/// a public build leaves out draft files and those of held articles, and
/// blanks internal annotations and blocks), recording what was held back
/// in `held`; and the warnings about their front matter.
fn annotation_sources(
    inputs: &Inputs,
    held: &mut HeldBack,
) -> (Vec<annotate::AnnotationSource>, Vec<Problem>) {
    use rayon::prelude::*;
    let profile = inputs.policy.profile;
    let views: Vec<holdback::AnnotationView> = match &inputs.view_cache {
        Some(cache) => cache.views(&inputs.annotations, profile, &held.articles),
        None => inputs
            .annotations
            .par_iter()
            .with_min_len(64)
            .map(|s| holdback::annotation_view(s, profile, &held.articles))
            .collect(),
    };
    let mut files = Vec::with_capacity(views.len());
    let mut warnings = Vec::new();
    held.annotations.clear();
    held.annotation_items.clear();
    for (src, v) in inputs.annotations.iter().zip(views) {
        warnings.extend(v.warnings);
        held.annotation_items.extend(v.items);
        held.annotations.extend(v.ids);
        if let Some(text) = v.text {
            files.push(annotate::AnnotationSource {
                file: src.file.clone(),
                text,
            });
        }
    }
    (files, warnings)
}

/// The leak check's needles for what a public build held back (`None`
/// when it held nothing back), less what public inputs show by right.
fn leak_checker(
    held: &HeldBack,
    articles: &[content::Article],
    files: &[annotate::AnnotationSource],
    summary: Option<&content::Summary>,
    inputs: &Inputs,
    annotations: &annotate::Annotations,
) -> Option<std::sync::Arc<holdback::leak::Checker>> {
    if !inputs.policy.is_public() || (held.items.is_empty() && held.annotation_items.is_empty()) {
        return None;
    }
    let mut texts: Vec<&str> = articles.iter().map(|a| &*a.text).collect();
    texts.extend(files.iter().map(|f| &*f.text));
    texts.extend(summary.map(|s| &*s.text));
    texts.extend(inputs.entities.as_ref().map(|(_, t)| &**t));
    texts.extend(inputs.outlets.as_ref().map(|(_, t)| &**t));
    texts.push(&inputs.config.title);
    texts.push(&inputs.config.description);
    // the built-in theme's words (a project's own templates are checked:
    // they could print held-back text)
    texts.extend(
        crate::theme::scaffold_files().filter_map(|(_, bytes)| std::str::from_utf8(bytes).ok()),
    );
    let ids: std::collections::HashSet<&str> =
        annotations.all().iter().map(|a| a.id.as_str()).collect();
    let tags: std::collections::HashSet<&str> = annotations
        .all()
        .iter()
        .flat_map(|a| a.tags.iter().map(String::as_str))
        .collect();
    let items: Vec<holdback::leak::Item> = held
        .items
        .iter()
        .chain(&held.annotation_items)
        .cloned()
        .collect();
    Some(std::sync::Arc::new(holdback::leak::Checker::new(
        &items, &texts, &ids, &tags,
    )))
}

/// Scan `outputs` with the briefing's leak check (a public build that
/// held something back): the problems, naming the file and the item,
/// when any holds held-back material. `dir` is the output directory as
/// shown (`site`).
pub fn check_leaks(
    b: &Briefing,
    outputs: &[crate::render::Output],
    dir: &str,
) -> Result<(), Problems> {
    let Some(checker) = &b.leak else {
        return Ok(());
    };
    let scan = holdback::leak::Scan::new(checker);
    for o in outputs {
        scan.file(o.path.as_str(), &o.bytes);
    }
    let problems = scan.problems(dir);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// What an annotation edit changed (see [`update_annotations`]).
#[derive(Debug)]
pub struct AnnotationChanges {
    /// Articles whose annotations or whole-article notes may have changed.
    pub articles: std::collections::BTreeSet<Slug>,
    /// Articles whose backlinks changed.
    pub backlinks: std::collections::BTreeSet<Slug>,
    /// Entities (by slug) whose list of annotations naming them changed.
    pub entity_notes: std::collections::BTreeSet<Slug>,
    /// Whether the timeline changed.
    pub timeline: bool,
    /// The annotations before the change.
    pub previous: annotate::Annotations,
}

/// [`assemble`] again after only annotation files changed, in place:
/// anchor the annotations anew (what did not change comes from the
/// anchoring cache, see [`annotate::AnchorCache`]) and update the
/// links that depend on them — backlinks and entity notes for the
/// articles whose annotations changed, the timeline if their events did.
/// Everything derived from the articles alone stays as it is. `b` then
/// equals a full assemble of the same inputs; on an error it is untouched.
pub fn update_annotations(
    inputs: &Inputs,
    b: &mut Briefing,
) -> Result<AnnotationChanges, Problems> {
    let mut held = (*b.held).clone();
    let (files, file_warnings) = annotation_sources(inputs, &mut held);
    let (mut annotations, mut problems) = annotate::anchor_with(&annotate::AnchorInputs {
        files: &files,
        articles: &b.articles,
        summary: b.summary.as_ref(),
        registry: Some(&b.links.registry),
        cache: inputs.anchor_cache.as_deref(),
        unavailable: &[],
        held: inputs
            .policy
            .is_public()
            .then_some::<&dyn annotate::HeldTargets>(&held),
    });
    annotations.warnings.extend(file_warnings);
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    b.leak = leak_checker(
        &held,
        &b.articles,
        &files,
        b.summary.as_ref(),
        inputs,
        &annotations,
    );
    b.held = std::sync::Arc::new(held);
    let changed = annotations.changed_articles(&b.annotations);
    let refs_of = |a: &annotate::Annotations| {
        let notes = a.notes_of(&changed);
        let mut refs = Vec::new();
        for slug in &changed {
            let mine = notes.get(slug).into_iter().flatten().copied();
            refs.extend(annotation_refs(a.of_article(slug), mine));
        }
        refs
    };
    let (before, after) = (refs_of(&b.annotations), refs_of(&annotations));
    let (backlinks, entity_notes) = link::backlinks::update(
        (&mut b.links.backlinks, &mut b.links.entity_notes),
        &changed,
        &before,
        &after,
    );
    let has_events = |a: &annotate::Annotations| {
        changed.iter().any(|s| {
            a.of_article(s)
                .iter()
                .any(|n| n.tags.iter().any(|t| t == "event"))
        })
    };
    let mut timeline = false;
    if has_events(&b.annotations) || has_events(&annotations) {
        let t = link::timeline::timeline(&b.articles, &event_inputs(&annotations));
        timeline = t != b.links.timeline;
        b.links.timeline = t;
    }
    Ok(AnnotationChanges {
        articles: changed,
        backlinks,
        entity_notes,
        timeline,
        previous: std::mem::replace(&mut b.annotations, annotations),
    })
}

/// [`assemble`] again after one article's file changed (its new text
/// parsed into `new`), in place, when the change leaves the briefing's
/// shape as it was: the same slug, source, place in the briefing's order,
/// and nothing held back in or because of it. The article is swapped in,
/// the annotations anchored again ([`update_annotations`]: only what the
/// article's text or title feeds is worked out again), and the link stage
/// updated for that article alone ([`link::relink`]). `Ok(None)`: the
/// change is not one of these (the caller assembles everything); `b` is
/// then untouched, as it is on an error. Otherwise `b` equals a full
/// assemble of the same inputs.
pub fn update_article(
    inputs: &Inputs,
    b: &mut Briefing,
    new: &content::Article,
) -> Result<Option<ArticleChanges>, Problems> {
    let Some(ai) = b.articles.iter().position(|a| a.file == new.file) else {
        return Ok(None);
    };
    let policy = inputs.policy;
    let mut new = new.clone();
    new.held = holdback::article_hold(&new, policy.now);
    let old = &b.articles[ai];
    let same_shape = new.slug == old.slug
        && new.source == old.source
        && new.draft == old.draft
        && new.embargo == old.embargo
        && new.held == old.held
        // held material (and the leak check's needles, which read every
        // article's text) is worked out with the whole briefing
        && b.leak.is_none()
        && !(policy.is_public() && (new.held.is_some() || holdback::article_view(&new).is_some()));
    if !same_shape {
        return Ok(None);
    }
    // the briefing's order (newest first) must stay: the link stage's
    // indices are positions in it
    let order = |x: &content::Article, y: &content::Article| article_order(x, y).is_lt();
    let in_place = (ai == 0 || order(&b.articles[ai - 1], &new))
        && b.articles.get(ai + 1).is_none_or(|next| order(&new, next));
    if !in_place {
        return Ok(None);
    }
    let old = std::mem::replace(&mut b.articles[ai], new);
    let changes = match update_annotations(inputs, b) {
        Ok(c) => c,
        Err(p) => {
            b.articles[ai] = old;
            return Err(p);
        }
    };
    let a = &b.articles[ai];
    // its front matter's warnings
    let key = |p: &Problem| (p.line, p.column, p.message.clone());
    let mut gone: Vec<(usize, usize, String)> =
        content::unknown_keys(&old).iter().map(key).collect();
    b.warnings.0.retain(|p| {
        if p.file != a.file {
            return true;
        }
        match gone.iter().position(|k| *k == key(p)) {
            Some(i) => {
                gone.swap_remove(i);
                false
            }
            None => true,
        }
    });
    b.warnings.extend(content::unknown_keys(a));
    b.warnings.sort();
    if let Some(name) = &a.source
        && let Some(view) = inputs.sources.get(name)
    {
        b.sources.insert(name.clone(), view.clone());
    }
    let links = link::relink(
        &mut b.links,
        &b.articles,
        ai,
        &old,
        inputs.config.entity_links,
    );
    // the timeline lists articles by title and date (its events were
    // updated with the annotations)
    let a = &b.articles[ai];
    let listed = a.title != old.title || a.date != old.date || a.held != old.held;
    if listed {
        b.links.timeline = link::timeline::timeline(&b.articles, &event_inputs(&b.annotations));
    }
    // (freed beside the page renders)
    rayon::spawn(move || drop(old));
    Ok(Some(ArticleChanges {
        annotations: changes,
        links,
        listed,
    }))
}

/// What [`update_article`] changed.
#[derive(Debug)]
pub struct ArticleChanges {
    pub annotations: AnnotationChanges,
    /// What the link stage changed ([`link::relink`]).
    pub links: link::Relinked,
    /// Whether the article's title or date changed (how lists show it).
    pub listed: bool,
}

/// The order of a briefing's articles: newest first, then by slug;
/// undated ones last, by title.
fn article_order(a: &content::Article, b: &content::Article) -> std::cmp::Ordering {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.cmp(x).then_with(|| a.slug.cmp(&b.slug)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug)),
    }
}

/// The refs (for backlinks) of some annotations and whole-article notes.
/// Anchors on article pages are `a-<id>`; a note on the whole article sits
/// at `#note`.
fn annotation_refs<'a>(
    all: impl IntoIterator<Item = &'a std::sync::Arc<annotate::Annotation>>,
    notes: impl IntoIterator<Item = &'a std::sync::Arc<annotate::ArticleNote>>,
) -> Vec<link::AnnotationRef> {
    let mut refs: Vec<link::AnnotationRef> = all.into_iter().map(|n| annotation_ref(n)).collect();
    refs.extend(notes.into_iter().map(|n| note_ref(n)));
    refs
}

/// [`annotation_refs`] of every annotation and note, in parallel (a large
/// briefing has tens of thousands).
fn all_annotation_refs(a: &annotate::Annotations) -> Vec<link::AnnotationRef> {
    use rayon::prelude::*;
    let mut refs: Vec<link::AnnotationRef> =
        a.all().par_iter().map(|n| annotation_ref(n)).collect();
    refs.par_extend(a.article_notes().par_iter().map(|n| note_ref(n)));
    refs
}

fn link_target(t: &annotate::Target) -> link::Target {
    match t {
        annotate::Target::Article { slug } => link::Target::Article(slug.clone()),
        annotate::Target::Annotation { article, id } => {
            link::Target::Passage(article.clone(), format!("a-{id}"))
        }
        annotate::Target::Entity { slug } => link::Target::Entity(slug.clone()),
    }
}

fn annotation_ref(n: &annotate::Annotation) -> link::AnnotationRef {
    link::AnnotationRef {
        article: n.article.clone(),
        annotation: format!("a-{}", n.id),
        label: n.quote.clone(),
        targets: n.targets.iter().map(link_target).collect(),
    }
}

fn note_ref(n: &annotate::ArticleNote) -> link::AnnotationRef {
    link::AnnotationRef {
        article: n.article.clone(),
        annotation: "note".to_string(),
        label: "note on the whole article".to_string(),
        targets: n.targets.iter().map(link_target).collect(),
    }
}

/// The timeline's input: dated `.event` annotations.
fn event_inputs(a: &annotate::Annotations) -> Vec<link::EventInput> {
    a.events()
        .into_iter()
        .map(|e| link::EventInput {
            date: e.date,
            label: e.label,
            article: e.article,
            annotation: format!("a-{}", e.id),
        })
        .collect()
}

/// What the link stage needs from annotations: every note's wikilink
/// targets (for backlinks) and the dated `.event` annotations (for the
/// timeline).
fn annotation_links(
    a: &annotate::Annotations,
) -> (Vec<link::AnnotationRef>, Vec<link::EventInput>) {
    rayon::join(|| all_annotation_refs(a), || event_inputs(a))
}

/// Options of a build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Output directory (default `site/` in the project).
    pub out: Option<std::path::PathBuf>,
    /// Overrides `base_url` from `briefing.toml`.
    pub base_url: Option<String>,
    /// Who the build is for (public by default: nothing held back).
    pub profile: holdback::Profile,
    /// The time embargoes are judged at (default: the clock's).
    pub now: Option<jiff::Timestamp>,
}

impl BuildOptions {
    /// What the build holds back, judged now (or at `now`).
    pub fn policy(&self) -> holdback::Policy {
        holdback::Policy::new(self.profile, self.now.unwrap_or_else(jiff::Timestamp::now))
    }

    /// The output directory of `project`.
    pub fn out_dir(&self, project: &Project) -> std::path::PathBuf {
        self.out.clone().unwrap_or_else(|| project.path("site"))
    }

    /// Apply `--base-url` to the loaded configuration.
    pub fn apply(&self, inputs: &mut Inputs) {
        inputs.policy = self.policy();
        if let Some(url) = &self.base_url {
            inputs.config.base_url = if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            };
        }
    }
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
    /// How many items a public build held back (articles, annotations,
    /// internal blocks).
    pub held_back: usize,
    /// What the leak check cost: CPU time summed over threads, and the
    /// bytes of output it scanned (`None`: nothing was held back).
    pub leak_check: Option<(std::time::Duration, u64)>,
    /// When an embargo ends (the build's output then changes).
    pub next_change: Option<jiff::Timestamp>,
    /// The removal of the old site, still running: wait for it (dropping
    /// the report does) before the process ends.
    pub removal: Removal,
}

/// Put right what a killed process left in the project: the site's build
/// directories (the previous site restored if need be, see
/// [`Staged::new`]) and the temporary files of atomic writes to the
/// inputs (`content/`, `annotations/`, `.briefing/`, …) whose process has
/// ended. Waits for a build of the same site that is running.
pub fn remove_leftovers(project: &Project, out: &Path) -> Result<(), Problem> {
    holds_no_project(project, out)?;
    remove_stale_temporaries(project, true);
    recover_leftover_site(project, out)
}

/// Remove the temporary files of atomic writes that a killed process left
/// (see [`remove_leftovers`]): in the project's own directory and
/// `.briefing/`, and in the input directories unless `inputs` is false
/// (a build's fingerprint removes those as it lists them).
fn remove_stale_temporaries(project: &Project, inputs: bool) {
    if inputs {
        for (dir, _) in crate::project::INPUT_DIRS {
            fsutil::remove_stale_temporaries(&project.path(dir), true);
        }
    }
    fsutil::remove_stale_temporaries(&project.path(crate::project::STATE_DIR), true);
    fsutil::remove_stale_temporaries(&project.root, false);
}

/// The site's part of [`remove_leftovers`].
fn recover_leftover_site(project: &Project, out: &Path) -> Result<(), Problem> {
    recover_site(out).map_err(|e| match fsutil::file_in_the_way(out) {
        Some(f) => Problem::not_a_directory(fsutil::display(&project.root, &f), "the built site"),
        None => Problem::io_then(
            fsutil::display(&project.root, out),
            "put right what an interrupted build left beside it",
            &e,
            "then build again",
        ),
    })
}

/// The whole pipeline: clean what is new, load, assemble, render, write.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<BuildReport, Problems> {
    let mut timer = StageTimer::from_env();
    let out_dir = opts.out_dir(project);
    holds_no_project(project, &out_dir)?;
    // what a killed build left: the site first (the stamp compares it), the
    // temporaries beside the stamp check (the inputs' fingerprint, taken
    // there or by `build_from`, removes those in the input directories)
    recover_leftover_site(project, &out_dir)?;
    let ((), current) = rayon::join(
        || remove_stale_temporaries(project, false),
        || up_to_date(project, opts),
    );
    let fingerprint = match current {
        Ok(report) => {
            timer.lap("up-to-date");
            return Ok(report);
        }
        Err(fingerprint) => fingerprint,
    };
    let outcome = project.clean(&[], false);
    timer.lap("clean");
    let mut warnings = Problems::default();
    for (seed, action) in &outcome.actions {
        if let crate::project::CleanAction::Protected { content } = action {
            warnings.push(
                Problem::file(
                    content.clone(),
                    format!(
                        "edited by hand after it was cleaned; not overwritten with seeds/{seed}"
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
    // the rest are warnings (a sidecar with no seed, what cleaning had
    // to change in a malformed seed)
    warnings.extend(outcome.problems.0);
    // The inputs' fingerprint taken to compare with the stamp serves for
    // the build too, unless cleaning wrote content files since (then it is
    // taken again, for a stamp that matches them). An input edited between
    // the two is seen by the next build either way.
    let wrote = outcome.actions.iter().any(|(_, a)| {
        matches!(
            a,
            crate::project::CleanAction::Written { .. }
                | crate::project::CleanAction::Forced { .. }
        )
    });
    let fingerprint = fingerprint.filter(|_| !wrote);
    build_from(project, opts, &outcome.cleaned, fingerprint).map(|mut r| {
        if !warnings.is_empty() {
            // keep showing them: no shortcut for the next build
            let _ = project.save_build_stamp(None);
        }
        r.warnings.extend(warnings.0);
        r.clean = outcome.actions;
        r
    })
}

/// Load, assemble, render and write, without cleaning. `fingerprint`: the
/// inputs' fingerprint, when it was taken before (it must have been taken
/// before anything is read).
fn build_from(
    project: &Project,
    opts: &BuildOptions,
    cleaned: &BTreeMap<String, Cleaned>,
    fingerprint: Option<String>,
) -> Result<BuildReport, Problems> {
    let mut timer = StageTimer::from_env();
    // before reading anything: an edit made while we build is seen next time
    let fingerprint = fingerprint.unwrap_or_else(|| project.fingerprint(&build_key(opts)));
    timer.lap("fingerprint");
    // the stages whose working data is freed while the briefing they make
    // grows beside it (the peak of a build's memory): what they free goes
    // back at once, not at their end
    let _eager = GiveBackAsFreed::during_the_peak();
    let mut inputs = project.load(cleaned)?;
    timer.lap("load");
    opts.apply(&mut inputs);
    let briefing = assemble(&inputs)?;
    // The briefing holds its own copy of the sources (clean reports) and the
    // parsed texts: free the loaded ones before rendering, the memory peak
    // (rendering reads only the theme).
    inputs.sources = BTreeMap::new();
    inputs.articles = Vec::new();
    inputs.annotations = Vec::new();
    (inputs.summary, inputs.entities, inputs.outlets) = (None, None, None);
    give_back_memory();
    timer.lap("assemble");
    // Pages go to disk as they are rendered (memory holds only those in
    // flight), staged until every one has succeeded.
    let out_dir = opts.out_dir(project);
    let shown = fsutil::display(&project.root, &out_dir);
    let kept = format!("the previous {shown} is as it was");
    let staged = Staged::new(&out_dir).map_err(|e| match fsutil::file_in_the_way(&out_dir) {
        Some(f) => Problem::not_a_directory(fsutil::display(&project.root, &f), "the built site"),
        None => Problem::io_then(shown.clone(), "prepare the new site", &e, &kept),
    })?;
    // the leak check scans every file as it is made, before it is staged
    let scan = briefing.leak.as_deref().map(holdback::leak::Scan::new);
    // (every later write fails with the first error: one diagnostic)
    let failed = |e: std::io::Error| {
        staged
            .failure(&shown)
            .unwrap_or_else(|| Problem::io_then(shown.clone(), "write the new site", &e, &kept))
    };
    let sink = |o: render::Output| {
        if let Some(scan) = &scan {
            scan.file(o.path.as_str(), &o.bytes);
        }
        staged.put(&o).map_err(failed)
    };
    // The search index first, on its own (its working data is the largest
    // a build makes after assembling: made beside the pages, it was
    // 10-20 MB more at the peak at 10,000 articles), then the pages.
    render::search_index_into(&briefing, &sink)?;
    // (rendering frees far more often, and each page's memory is reused
    // by the next)
    drop(_eager);
    give_back_memory();
    render::render_site_to(
        &briefing,
        &inputs.theme,
        &sink,
        &|path, write| {
            if scan.is_some() {
                // the leak check reads whole files
                let mut bytes = Vec::new();
                write(&mut bytes).map_err(failed)?;
                return sink(render::Output {
                    path: path.clone(),
                    bytes,
                });
            }
            staged.put_with(path.as_str(), write).map_err(failed)
        },
        false,
    )?;
    timer.lap("render"); // includes staging the changed files and the leak check
    let leak_check = scan.as_ref().map(|s| s.cost());
    if let Some(scan) = scan {
        let (cpu, bytes) = scan.cost();
        if timings_on() {
            eprintln!(
                "timing leak-check cpu {:.1} ms over {} MB ({} needles)",
                cpu.as_secs_f64() * 1000.0,
                bytes / 1_000_000,
                briefing.leak.as_ref().map_or(0, |c| c.len())
            );
        }
        let problems = scan.problems(&fsutil::display(&project.root, &out_dir));
        if !problems.is_empty() {
            staged.abort();
            return Err(problems);
        }
    }
    let (articles, mut warnings) = (briefing.articles.len(), briefing.warnings.clone());
    warnings.extend(briefing.annotations.warnings.0.iter().cloned());
    warnings.sort();
    let held_back = briefing.held.items.len() + briefing.held.annotation_items.len();
    let next_change = briefing.next_change;
    // Freeing a large briefing's many small allocations takes a while and
    // nothing waits for it.
    std::thread::spawn(move || drop((briefing, inputs)));
    let pages = staged.file_count();
    let (stats, _, removal) = staged.commit().map_err(|e| {
        Problem::io_then(
            shown.clone(),
            "put the new site in place",
            &e,
            "build again once that is fixed",
        )
    })?;
    timer.lap("write"); // swapping the new site in (the old one goes meanwhile)
    let report = BuildReport {
        articles,
        pages,
        stats,
        warnings,
        clean: Vec::new(),
        held_back,
        leak_check,
        next_change,
        removal,
    };
    record_build(project, fingerprint, &out_dir, &report);
    timer.lap("stamp"); // what the next build compares to skip its work
    Ok(report)
}

/// Set by the binary for one-shot commands: give the memory freed so far
/// back to the system (its allocator keeps freed memory for reuse rather
/// than returning it as it goes, which costs CPU on every free).
pub static GIVE_BACK_MEMORY: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Set by the binary for one-shot commands: `true` asks that memory
/// freed from now on go back to the system as soon as it is free, `false`
/// that it stay for reuse a while (rendering frees and reuses memory page
/// after page; the binary gives back what stays unused for 100 ms) or
/// until [`GIVE_BACK_MEMORY`] (see [`GiveBackAsFreed`]).
pub static GIVE_BACK_AS_FREED: std::sync::OnceLock<fn(bool)> = std::sync::OnceLock::new();

/// Freed memory given back as it is freed while this lives (through
/// [`GIVE_BACK_AS_FREED`]): from loading to the end of the search index,
/// where the peak of a build's memory is. Giving back pages that are
/// soon used again costs CPU, so rendering keeps them a while; at 10,000 articles
/// this makes the peak about 40 MB lower (BENCHMARKS.md).
struct GiveBackAsFreed(());

impl GiveBackAsFreed {
    fn during_the_peak() -> GiveBackAsFreed {
        if let Some(f) = GIVE_BACK_AS_FREED.get() {
            f(true);
        }
        GiveBackAsFreed(())
    }
}

impl Drop for GiveBackAsFreed {
    fn drop(&mut self) {
        if let Some(f) = GIVE_BACK_AS_FREED.get() {
            f(false);
        }
    }
}

/// Between the stages of a build: what one stage needed and the next
/// does not (the loaded inputs, the anchoring's and the link stage's
/// working data, the search index's) goes back to the system once,
/// instead of staying in the process beside what the next one makes.
fn give_back_memory() {
    if let Some(f) = GIVE_BACK_MEMORY.get() {
        f();
    }
}

/// A build replaces its output directory whole: refuse one that holds the
/// project (`--out .`), which it would take away with it, or one that is
/// or lies inside an input directory (`--out content`), whose files (the
/// analyst's articles, notes, …) it would delete. `serve` and `watch` ask
/// too (through [`remove_leftovers`]).
fn holds_no_project(project: &Project, out: &Path) -> Result<(), Problem> {
    let (Some(real), Ok(root)) = (resolved(out), project.root.canonicalize()) else {
        return Ok(());
    };
    if root.starts_with(&real) {
        return Err(Problem::file(
            fsutil::display(&project.root, out),
            "the output directory holds the briefing project itself",
        )
        .with_help("build into a directory of its own: `briefing build --out DIR`"));
    }
    outside_the_inputs(
        project,
        out,
        "a build replaces its output directory whole and would delete them",
    )
}

/// Refuse an output directory `out` that is or lies in one of the
/// project's input directories (`content/`, …): `why` says what writing
/// there would do to their files.
pub fn outside_the_inputs(project: &Project, out: &Path, why: &str) -> Result<(), Problem> {
    let (Some(real), Ok(root)) = (resolved(out), project.root.canonicalize()) else {
        return Ok(());
    };
    if !root.join("briefing.toml").is_file() {
        return Ok(()); // (`clean --out` outside a briefing)
    }
    let state = (crate::project::STATE_DIR, "what clean and build record");
    for (dir, holds) in crate::project::INPUT_DIRS.into_iter().chain([state]) {
        // (an input directory that is a link: where it leads)
        let input = resolved(&root.join(dir)).unwrap_or_else(|| root.join(dir));
        if real.starts_with(&input) || real.starts_with(root.join(dir)) {
            return Err(Problem::file(
                fsutil::display(&project.root, out),
                format!("the output directory is inside `{dir}/`, which holds {holds}: {why}"),
            )
            .with_help(
                "write into a directory of its own, outside the project's inputs: `--out DIR`",
            ));
        }
    }
    Ok(())
}

/// `path` made absolute with its links resolved, as far as it exists (the
/// rest, which the build will make, is appended with its `..` applied).
fn resolved(path: &Path) -> Option<std::path::PathBuf> {
    use std::path::Component;
    let mut tail = Vec::new();
    let mut at = path;
    let mut real = loop {
        if let Ok(real) = at.canonicalize() {
            break real;
        }
        tail.push(at.components().next_back()?);
        at = match at.parent() {
            Some(p) if p.as_os_str().is_empty() => Path::new("."),
            Some(p) => p,
            None => return None,
        };
    };
    for c in tail.into_iter().rev() {
        match c {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    Some(real)
}

// ---- No-op rebuilds ---------------------------------------------------------
//
// A successful build without warnings leaves a stamp (`.briefing/build.json`):
// a fingerprint of its inputs (names, sizes, mtimes — no contents) and the
// mark of the site directory it put in place (see `BuildStamp`). When both
// still match, `build` returns at once instead of cleaning, parsing and
// rendering everything again to find nothing to write.

fn build_key(opts: &BuildOptions) -> String {
    format!(
        "out={:?} base_url={:?} profile={} now={:?}",
        opts.out,
        opts.base_url,
        opts.profile.as_str(),
        opts.now.map(|t| t.as_second())
    )
}

/// The report of a build that would change nothing, or (`Err`) the inputs'
/// fingerprint when it was taken to find out.
fn up_to_date(project: &Project, opts: &BuildOptions) -> Result<BuildReport, Option<String>> {
    let stamp = project.build_stamp().ok_or(None)?;
    let out_dir = opts.out_dir(project);
    let fingerprint = project.fingerprint(&build_key(opts));
    if !stamp.is_current(&fingerprint, &out_dir) {
        return Err(Some(fingerprint));
    }
    // an embargo ended since: the same inputs build another site
    if stamp
        .until
        .is_some_and(|until| opts.policy().now.as_second() >= until)
    {
        return Err(Some(fingerprint));
    }
    Ok(BuildReport {
        articles: stamp.articles,
        pages: stamp.pages,
        stats: WriteStats {
            unchanged: stamp.pages,
            ..WriteStats::default()
        },
        ..BuildReport::default()
    })
}

fn record_build(project: &Project, fingerprint: String, out_dir: &Path, report: &BuildReport) {
    let stamp = report.warnings.is_empty().then(|| {
        let mut s =
            crate::project::BuildStamp::new(fingerprint, out_dir, report.articles, report.pages);
        s.until = report.next_change.map(|t| t.as_second());
        s
    });
    // best effort: without a stamp the next build just does all the work
    let _ = project.save_build_stamp(stamp.as_ref());
}

#[cfg(test)]
mod write_tests {
    use super::*;

    #[test]
    fn a_build_with_nothing_changed_is_skipped_until_an_input_or_output_changes() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let article = dir.path().join("content/a.md");
        fsutil::write_atomic(&article, b"---\ntitle: A\n---\n\nBody.\n").unwrap();
        let opts = BuildOptions::default();
        assert!(up_to_date(&project, &opts).is_err());
        // the article was just written: the build waits for the clock to
        // pass its modification time, then leaves a usable stamp
        let first = build(&project, &opts).unwrap();
        let skipped = up_to_date(&project, &opts).expect("nothing changed");
        assert_eq!((skipped.articles, skipped.pages), (1, first.pages));
        assert_eq!(skipped.stats.unchanged, first.pages);
        // other options are another build
        let other = BuildOptions {
            base_url: Some("https://example.com/".into()),
            ..BuildOptions::default()
        };
        assert!(up_to_date(&project, &other).is_err());
        // a file of the site's own directory replaced by hand (a new file
        // renamed over it, as editors save) is put right
        fsutil::write_atomic(&dir.path().join("site/index.html"), b"x").unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        assert_eq!(build(&project, &opts).unwrap().stats.written, 1);
        assert!(up_to_date(&project, &opts).is_ok());
        // an input edited
        std::fs::write(&article, "---\ntitle: Bee\n---\n\nBody.\n").unwrap();
        assert!(up_to_date(&project, &opts).is_err());
    }

    /// A project with one article built once; its stamp is current.
    fn built() -> (tempfile::TempDir, Project, BuildOptions) {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        fsutil::write_atomic(
            &dir.path().join("content/a.md"),
            b"---\ntitle: A\n---\n\nBody.\n",
        )
        .unwrap();
        let opts = BuildOptions::default();
        build(&project, &opts).unwrap();
        assert!(up_to_date(&project, &opts).is_ok());
        (dir, project, opts)
    }

    #[test]
    fn a_site_not_left_as_the_last_build_left_it_is_built_again() {
        // removed
        let (dir, project, opts) = built();
        let site = dir.path().join("site");
        std::fs::remove_dir_all(&site).unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        let again = build(&project, &opts).unwrap();
        assert_eq!(again.stats.written, again.pages);
        // replaced by a copy of itself (another directory, the same files)
        let copy = dir.path().join("copy");
        std::fs::rename(&site, &copy).unwrap();
        std::fs::create_dir(&site).unwrap();
        for f in fsutil::list_files(&copy).unwrap() {
            let rel = fsutil::display(&copy, &f);
            fsutil::write_atomic(&site.join(&rel), &std::fs::read(&f).unwrap()).unwrap();
        }
        assert!(up_to_date(&project, &opts).is_err());
        build(&project, &opts).unwrap();
        assert!(up_to_date(&project, &opts).is_ok());
        // a file of its own directory deleted, or one added
        std::fs::remove_file(site.join("index.html")).unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        assert_eq!(build(&project, &opts).unwrap().stats.written, 1);
        assert!(site.join("index.html").is_file());
        std::fs::write(site.join("extra.html"), "x").unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        assert_eq!(build(&project, &opts).unwrap().stats.removed, 1);
        assert!(up_to_date(&project, &opts).is_ok());
        // the live preview's update of a page in place (not the build's
        // way: no stamp of its own)
        let page = write_in_place(
            &site,
            &[crate::render::Output {
                path: crate::model::SitePath::new("articles/a/index.html"),
                bytes: b"live".to_vec(),
            }],
        )
        .unwrap();
        assert_eq!(page, ["articles/a/index.html"]);
        assert!(up_to_date(&project, &opts).is_err());
        assert_eq!(build(&project, &opts).unwrap().stats.written, 1);
        assert!(up_to_date(&project, &opts).is_ok());
        // (what is not looked at: a page below the site's own directory
        // edited in place by hand, see `BuildStamp`)
    }

    #[test]
    fn no_change_to_an_input_goes_unseen() {
        let (dir, project, opts) = built();
        let path = |rel: &str| dir.path().join(rel);
        // edited in place at once (within the clock's granularity of the
        // build), keeping its length
        std::fs::write(path("content/a.md"), b"---\ntitle: B\n---\n\nBody.\n").unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        build(&project, &opts).unwrap();
        assert!(up_to_date(&project, &opts).is_ok());
        let cases: [(&str, &dyn Fn()); 8] = [
            ("an article added", &|| {
                fsutil::write_atomic(&path("content/b.md"), b"---\ntitle: Second\n---\n").unwrap()
            }),
            ("an article deleted", &|| {
                std::fs::remove_file(path("content/b.md")).unwrap()
            }),
            ("an article in a subdirectory", &|| {
                fsutil::write_atomic(&path("content/sub/c.md"), b"---\ntitle: Third\n---\n")
                    .unwrap()
            }),
            ("an annotation file added", &|| {
                fsutil::write_atomic(&path("annotations/a.md"), b"---\narticle: third\n---\n")
                    .unwrap()
            }),
            ("a template added", &|| {
                fsutil::write_atomic(&path("templates/x.html"), b"x").unwrap()
            }),
            ("a static file added", &|| {
                fsutil::write_atomic(&path("static/x.css"), b"x").unwrap()
            }),
            ("the configuration written", &|| {
                fsutil::write_atomic(&path("briefing.toml"), b"title = \"T\"\n").unwrap()
            }),
            ("the static file touched", &|| {
                let f = std::fs::File::options()
                    .write(true)
                    .open(path("static/x.css"))
                    .unwrap();
                f.set_modified(std::time::SystemTime::now()).unwrap();
            }),
        ];
        for (what, change) in cases {
            change();
            assert!(up_to_date(&project, &opts).is_err(), "{what}");
            let report = build(&project, &opts).unwrap();
            assert!(report.warnings.is_empty(), "{what}: {:?}", report.warnings);
            assert!(up_to_date(&project, &opts).is_ok(), "{what}");
        }
        // an input directory that is a link (inside the project), and a
        // file reached through one: the same files, the same fingerprint
        // either way; a change through the link is seen
        #[cfg(unix)]
        {
            std::fs::rename(path("static"), path("theme-static")).unwrap();
            std::os::unix::fs::symlink("theme-static", path("static")).unwrap();
            std::os::unix::fs::symlink("../theme-static/x.css", path("templates/y.css")).unwrap();
            build(&project, &opts).unwrap();
            assert!(up_to_date(&project, &opts).is_ok());
            std::fs::write(path("theme-static/x.css"), "y").unwrap();
            assert!(up_to_date(&project, &opts).is_err());
        }
    }

    #[test]
    fn a_build_that_cleaned_a_seed_stamps_the_content_it_wrote() {
        // the fingerprint taken before cleaning is taken again once
        // cleaning wrote content/: the next build has nothing to do
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        fsutil::write_atomic(
            &dir.path().join("seeds/a.txt"),
            std::fs::read("seeds/000_df13072c3159046a.txt")
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        let opts = BuildOptions::default();
        let first = build(&project, &opts).unwrap();
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        assert!(
            dir.path()
                .join("content")
                .read_dir()
                .unwrap()
                .next()
                .is_some()
        );
        assert!(up_to_date(&project, &opts).is_ok());
        // a stamp already there (from a build before the seed) is compared
        // with the inputs as they were before cleaning
        fsutil::write_atomic(
            &dir.path().join("seeds/b.txt"),
            std::fs::read("seeds/004_a621f7fa4f80e312.txt")
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        assert!(up_to_date(&project, &opts).is_err());
        let second = build(&project, &opts).unwrap();
        assert_eq!(second.articles, 2);
        assert!(up_to_date(&project, &opts).is_ok());
    }
}
