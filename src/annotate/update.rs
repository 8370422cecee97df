//! update: anchoring again after an edit, working on what the edit can
//! change alone — the articles the changed annotation files name (before
//! and after the edit), the articles whose text changed, and those whose
//! notes' wikilinks looked up something that changed — and reusing the
//! last build's units for every other article, so that the result is the
//! one [`super::anchor_with`] gives without a cache (a property test
//! compares the two on random edits).

use super::{
    AnchorInputs, AnnotationSource, Annotations, Lookup, Memo, Parsed, Quotes, Totals, Unit, World,
    file_problems, gather, quotes_of, registry_digest, same_text, summary, unit_of,
};
use crate::content::Article;
use crate::diag::Problems;
use crate::model::Slug;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::parse::ParsedFile;

/// What the last build read besides the annotation files: enough to tell
/// which articles changed and to resolve wikilinks without going over
/// every article again.
pub(super) struct Last {
    /// The articles, in the order they were given.
    pub articles: Vec<Seen>,
    /// Article slug → position in `articles`.
    pub index: HashMap<Slug, usize>,
    /// The quotes of each article with annotation files.
    pub quotes: HashMap<Slug, Arc<Quotes>>,
    /// The entity names (see [`registry_digest`]).
    pub registry: Option<blake3::Hash>,
    /// Whether a public build's held-back set was given.
    pub held: bool,
    /// The files with problems of their own (parse problems, or naming no
    /// article), by path.
    pub flagged: BTreeSet<String>,
    /// The articles whose notes have a wikilink that did not resolve (their
    /// units are never reused).
    pub unresolved: BTreeSet<Slug>,
    /// What the units give the whole briefing.
    pub totals: Totals,
}

/// What anchoring reads of an article.
pub(super) struct Seen {
    file: String,
    slug: Slug,
    title: String,
    body_offset: usize,
    text: Arc<str>,
}

impl Seen {
    pub fn of(a: &Article) -> Seen {
        Seen {
            file: a.file.clone(),
            slug: a.slug.clone(),
            title: a.title.clone(),
            body_offset: a.body_offset,
            text: a.text.clone(),
        }
    }
}

/// Fewer items than this are worked on by the calling thread: handing an
/// edit's one or two articles to the thread pool and waiting for it to
/// wake costs more than the work (and, on a busy machine, a scheduling
/// delay).
const FEW: usize = 4;

/// One annotation file that changed: its position among the last build's
/// files (`None`: new) and among the sorted `files` now (`None`: gone).
struct Change {
    old: Option<usize>,
    new: Option<usize>,
}

/// [`super::anchor_with`] for a cache whose last build read the same
/// articles (the same slugs and files, in the same order; their texts may
/// differ), the same entity names and no unavailable article. `memo` is
/// brought up to date. `None` when it does not apply (`memo` is then
/// left for a whole anchoring, which reuses what it can).
pub(super) fn update(
    inp: &AnchorInputs,
    files: &[&AnnotationSource],
    memo: &mut Memo,
) -> Option<(Annotations, Problems)> {
    let mut last = memo.last.take()?;
    if !inp.unavailable.is_empty()
        || inp.held.is_some() != last.held
        || inp.articles.len() != last.articles.len()
        || registry_digest(inp.registry) != last.registry
    {
        return None;
    }

    // 1. the articles whose text changed (their titles too: what
    //    `[[slug]]` shows)
    let mut edited: Vec<usize> = Vec::new();
    let mut retitled = false;
    for (i, (a, s)) in inp.articles.iter().zip(&mut last.articles).enumerate() {
        // (an article's slug and title follow from its file and text)
        let same =
            Arc::ptr_eq(&a.text, &s.text) && a.body_offset == s.body_offset && a.file == s.file;
        if same {
            continue;
        }
        if a.slug != s.slug || a.file != s.file {
            return None;
        }
        if a.title != s.title {
            retitled = true;
        }
        if a.title != s.title || a.body_offset != s.body_offset || !same_text(&a.text, &s.text) {
            edited.push(i);
        } else {
            // the same text read again: compared by pointer next time
            s.text = a.text.clone();
        }
    }

    // 2. the annotation files that changed, were added or went away
    let mut changes: Vec<Change> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < memo.paths.len() || j < files.len() {
        if j > 0 && j < files.len() && files[j].file == files[j - 1].file {
            // the same path twice: a whole anchoring reports it
            return None;
        }
        let order = match (memo.paths.get(i), files.get(j)) {
            (Some(p), Some(f)) => p.as_str().cmp(&f.file),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Equal => {
                if !same_text(&memo.parsed[i].text, &files[j].text) {
                    changes.push(Change {
                        old: Some(i),
                        new: Some(j),
                    });
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                changes.push(Change {
                    old: Some(i),
                    new: None,
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                changes.push(Change {
                    old: None,
                    new: Some(j),
                });
                j += 1;
            }
        }
    }
    // a unit without its anchoring (not kept) cannot give its files
    let kept = |s: &Slug| memo.units.get(s).is_none_or(|u| u.anchoring.is_some());
    let new_parsed: Vec<Option<Parsed>> = {
        use rayon::prelude::*;
        let parse = |c: &Change| c.new.map(|j| Parsed::of(files[j]));
        if changes.len() < FEW {
            changes.iter().map(parse).collect()
        } else {
            changes.par_iter().map(parse).collect()
        }
    };

    // 3. the articles the changes reach directly: those the changed files
    //    named before and name now, and those edited
    let article_of = |p: &Parsed| p.parsed.as_ref().map(|pf| pf.article.clone());
    let mut reached: BTreeSet<Slug> = BTreeSet::new();
    for (c, new) in changes.iter().zip(&new_parsed) {
        reached.extend(c.old.and_then(|i| article_of(&memo.parsed[i])));
        reached.extend(new.as_ref().and_then(article_of));
    }
    reached.extend(edited.iter().map(|&i| inp.articles[i].slug.clone()));
    reached.retain(|s| last.index.contains_key(s));
    if !reached.iter().all(kept) {
        return None;
    }
    // their files now, in path order
    let gone: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| c.old.map(|i| memo.paths[i].as_str()))
        .collect();
    let mut groups: BTreeMap<Slug, Vec<Arc<ParsedFile>>> = reached
        .iter()
        .map(|s| {
            let kept: Vec<Arc<ParsedFile>> = memo
                .units
                .get(s)
                .and_then(|u| u.anchoring.as_ref())
                .map(|a| {
                    a.files
                        .iter()
                        .filter(|pf| !gone.contains(pf.file.as_str()))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            (s.clone(), kept)
        })
        .collect();
    for p in new_parsed.iter().flatten() {
        if let Some(pf) = &p.parsed
            && let Some(g) = groups.get_mut(&pf.article)
        {
            g.push(pf.clone());
        }
    }
    for g in groups.values_mut() {
        g.sort_by(|a, b| a.file.cmp(&b.file));
    }

    // from here on `memo` and `last` are brought up to date
    // 4. the files
    for c in &changes {
        if let Some(i) = c.old {
            last.flagged.remove(&memo.paths[i]);
        }
    }
    if changes.iter().all(|c| c.old.is_some() && c.new.is_some()) {
        // the same paths: each changed file in its place
        for (c, new) in changes.iter().zip(new_parsed) {
            if let (Some(i), Some(new)) = (c.old, new) {
                memo.parsed[i] = new;
            }
        }
    } else {
        let mut fresh: HashMap<usize, Parsed> = changes
            .iter()
            .zip(new_parsed)
            .filter_map(|(c, p)| Some((c.new?, p?)))
            .collect();
        let mut olds: Vec<Option<Parsed>> = std::mem::take(&mut memo.parsed)
            .into_iter()
            .map(Some)
            .collect();
        let mut parsed = Vec::with_capacity(files.len());
        let mut i = 0;
        for (j, f) in files.iter().enumerate() {
            if let Some(p) = fresh.remove(&j) {
                parsed.push(p);
                continue;
            }
            // an unchanged file: the last build's with its path
            while memo.paths[i] != f.file {
                i += 1;
            }
            parsed.push(olds[i].take().expect("each old file once"));
            i += 1;
        }
        memo.parsed = parsed;
        memo.paths = files.iter().map(|f| f.file.clone()).collect();
    }
    for c in &changes {
        let Some(j) = c.new else { continue };
        let p = &memo.parsed[j];
        let orphan = p
            .parsed
            .as_ref()
            .is_some_and(|pf| !last.index.contains_key(&pf.article));
        if orphan || !p.problems.0.is_empty() {
            last.flagged.insert(files[j].file.clone());
        }
    }

    // 5. the quotes of the articles reached, and who asked for them
    let mut requoted: BTreeSet<Slug> = BTreeSet::new();
    for (slug, g) in &groups {
        if g.is_empty() {
            if last.quotes.remove(slug).is_some() {
                requoted.insert(slug.clone());
            }
            continue;
        }
        let q = quotes_of(g);
        match last.quotes.get(slug) {
            Some(old) if **old == q => {}
            _ => {
                last.quotes.insert(slug.clone(), Arc::new(q));
                requoted.insert(slug.clone());
            }
        }
    }
    for &i in &edited {
        last.articles[i] = Seen::of(&inp.articles[i]);
    }
    if retitled {
        // what a whole anchoring would compare its world with is stale
        memo.world = None;
    }
    let world = World::of(inp, &last.index, &last.quotes);
    let still_valid = |lookups: &[Lookup]| {
        if retitled {
            return world.answers(lookups);
        }
        requoted.is_empty()
            || !lookups
                .iter()
                .any(|l| matches!(l, Lookup::Quote(s, ..) if requoted.contains(s)))
    };
    // 6. the articles to work on: those reached, those whose lookups no
    //    longer hold, those whose links did not resolve
    let mut redo: BTreeSet<Slug> = reached;
    redo.extend(last.unresolved.iter().cloned());
    if retitled || !requoted.is_empty() {
        redo.extend(
            memo.units
                .iter()
                .filter(|(s, u)| {
                    !groups.contains_key(*s) && !u.lookups.as_deref().is_some_and(still_valid)
                })
                .map(|(s, _)| s.clone()),
        );
    }
    let work: Vec<(Slug, Option<Vec<Arc<ParsedFile>>>)> = redo
        .into_iter()
        .map(|s| {
            let g = match groups.remove(&s) {
                Some(g) => Some(g).filter(|g| !g.is_empty()),
                None => memo
                    .units
                    .get(&s)
                    .and_then(|u| u.anchoring.as_ref())
                    .map(|a| a.files.clone()),
            };
            (s, g)
        })
        .collect();
    let units: Vec<(Slug, Option<Arc<Unit>>)> = {
        use rayon::prelude::*;
        let unit = |(slug, g): &(Slug, Option<Vec<Arc<ParsedFile>>>)| {
            let unit = g.as_ref().map(|g| {
                let art = &inp.articles[last.index[slug]];
                let old = memo.units.get(slug);
                unit_of(slug, art, g, old, &world, &still_valid, true)
            });
            (slug.clone(), unit)
        };
        if work.len() < FEW {
            work.iter().map(unit).collect()
        } else {
            work.par_iter().map(unit).collect()
        }
    };
    let mut replaced = Vec::new();
    for (slug, unit) in units {
        last.unresolved.remove(&slug);
        if unit.as_ref().is_some_and(|u| u.lookups.is_none()) {
            last.unresolved.insert(slug.clone());
        }
        let totals = &mut last.totals;
        totals
            .by_article
            .set(&slug, unit.as_ref().map(|u| u.result.clone()));
        let old = match unit {
            Some(u) => memo.units.insert(slug.clone(), u),
            None => memo.units.remove(&slug),
        };
        if let Some(old) = &old {
            totals.add(&slug, old, -1);
        }
        if let Some(u) = memo.units.get(&slug) {
            totals.add(&slug, u, 1);
        }
        replaced.extend(old);
    }

    // 7. everything put together, as a whole anchoring does
    let mut problems = Problems::default();
    let mut slugs = None;
    for path in &last.flagged {
        if let Ok(i) = memo.paths.binary_search(path) {
            file_problems(
                &memo.parsed[i],
                &last.index,
                inp.unavailable,
                &mut slugs,
                &mut problems,
            );
        }
    }
    drop(slugs);
    let world = World::of(inp, &last.index, &last.quotes);
    let (summary_html, summary_targets) = summary(inp, &world, &mut problems);
    let out = gather(
        &last.totals,
        last.totals.noisy.iter().filter_map(|s| memo.units.get(s)),
        summary_html,
        summary_targets,
        problems,
    );
    memo.last = Some(last);
    #[cfg(test)]
    UPDATES.with(|u| u.set(u.get() + 1));
    // the replaced units are freed beside the rest of the rebuild
    rayon::spawn(move || drop(replaced));
    Some(out)
}

#[cfg(test)]
thread_local! {
    /// How many anchorings this thread did through [`update`] (tests check
    /// it ran).
    pub(super) static UPDATES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::super::{AnchorCache, AnchorInputs, AnnotationSource, Annotations, anchor_with};
    use super::UPDATES;
    use crate::content::{Article, parse_article};
    use crate::diag::Problems;
    use crate::link::Registry;
    use crate::model::SitePath;
    use proptest::prelude::*;
    use std::sync::Arc;

    const SLUGS: [&str; 6] = ["a", "b", "c", "d", "e", "renamed"];
    const SENTENCES: [&str; 6] = [
        "The minister said the talks in Minsk would resume next week.",
        "Officials confirmed that the border crossing stayed closed overnight.",
        "Analysts expect the central bank to raise rates again in spring.",
        "The minister said the talks in Minsk would resume next week.",
        "Farmers blocked the main road with tractors on Tuesday morning.",
        "A spokesman declined to comment on the reported troop movements.",
    ];
    const NOTES: [&str; 7] = [
        "Plain.",
        "See [[b]].",
        "Compare [[a#n1]].",
        "Compare [[c#n2]] and [[Minsk]].",
        "Broken [[nosuch]].",
        "Back to [[#n1]].",
        "See [[renamed]] and [[d#n3]].",
    ];
    const IDS: [&str; 3] = ["n1", "n2", "n3"];
    const PATHS: [&str; 5] = [
        "annotations/a.md",
        "annotations/b.md",
        "annotations/extra.md",
        "annotations/more/z.md",
        "annotations/zz.md",
    ];

    /// One annotation file: the article it names (an index into `SLUGS`,
    /// or one past them: no such article), its note on the whole article,
    /// its items (quote: a sentence's words, id, note).
    #[derive(Clone, Debug)]
    struct FileSpec {
        article: usize,
        whole: Option<usize>,
        items: Vec<(usize, usize, usize, bool)>,
    }

    /// One article: its slug, title and body sentences (each maybe with a
    /// word changed, so a quote of it anchors only approximately).
    #[derive(Clone, Debug)]
    struct ArticleSpec {
        slug: usize,
        title: usize,
        body: Vec<(usize, bool)>,
    }

    #[derive(Clone, Debug)]
    enum Edit {
        /// A file written (or deleted).
        File(usize, Option<FileSpec>),
        /// An article's body or title rewritten.
        Article(usize, Vec<(usize, bool)>, usize),
        /// The first item of one file moved to the end of another.
        Move(usize, usize),
        /// An article's slug changed.
        Rename(usize, usize),
        /// An article deleted, or back.
        Toggle(usize),
    }

    fn file_spec() -> impl Strategy<Value = FileSpec> {
        (
            // mostly an article there is
            prop_oneof![6 => 0..4usize, 1 => 4..SLUGS.len() + 1],
            proptest::option::of(0..NOTES.len()),
            proptest::collection::vec(
                (
                    0..SENTENCES.len(),
                    0..IDS.len(),
                    0..NOTES.len(),
                    any::<bool>(),
                ),
                0..4,
            ),
        )
            .prop_map(|(article, whole, items)| FileSpec {
                article,
                whole,
                items,
            })
    }

    fn body() -> impl Strategy<Value = Vec<(usize, bool)>> {
        proptest::collection::vec((0..SENTENCES.len(), proptest::bool::weighted(0.2)), 1..4)
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            4 => (0..PATHS.len(), proptest::option::weighted(0.85, file_spec()))
                .prop_map(|(i, f)| Edit::File(i, f)),
            2 => (0..4usize, body(), 0..3usize).prop_map(|(i, b, t)| Edit::Article(i, b, t)),
            1 => (0..PATHS.len(), 0..PATHS.len()).prop_map(|(a, b)| Edit::Move(a, b)),
            1 => (0..4usize, 0..SLUGS.len()).prop_map(|(i, s)| Edit::Rename(i, s)),
            1 => (0..4usize).prop_map(Edit::Toggle),
        ]
    }

    fn file_text(f: &FileSpec) -> String {
        let article = SLUGS.get(f.article).copied().unwrap_or("nosuch-article");
        let mut t = format!("---\narticle: {article}\n---\n");
        if let Some(n) = f.whole {
            t.push_str(&format!("{}\n", NOTES[n]));
        }
        for &(q, id, note, short) in &f.items {
            let words: Vec<&str> = SENTENCES[q].split_whitespace().collect();
            // a short quote occurs wherever its sentence does; a long one
            // is worth matching approximately when a word changes
            let quote = if short {
                words[..4].join(" ")
            } else {
                words[..words.len() - 1].join(" ")
            };
            t.push_str(&format!(
                "\n## \"{quote}\" {{#{}}}\n{}\n",
                IDS[id], NOTES[note]
            ));
        }
        t
    }

    fn article_text(a: &ArticleSpec) -> String {
        let mut body = Vec::new();
        for &(s, changed) in &a.body {
            let mut words: Vec<&str> = SENTENCES[s].split_whitespace().collect();
            if changed {
                words[3] = "quite";
            }
            body.push(words.join(" "));
        }
        let title = ["A title", "Another title", "The Minsk talks"][a.title];
        format!(
            "---\ntitle: {title}\nslug: {}\n---\n\n{}\n",
            SLUGS[a.slug],
            body.join("\n\n")
        )
    }

    /// Everything a build reads of an anchoring, as text.
    fn seen(a: &Annotations, p: &Problems) -> Vec<String> {
        let at = SitePath::index();
        let mut v: Vec<String> = a
            .all()
            .iter()
            .map(|x| format!("{x:?} {}", x.note_html(&at)))
            .collect();
        v.push(format!("{:?}", a.by_article));
        v.extend(
            a.article_notes()
                .iter()
                .map(|n| format!("{n:?} {}", n.html(&at))),
        );
        v.push(format!("{:?}", a.drifts()));
        v.push(format!("{:?} {:?}", a.summary_html, a.summary_targets));
        v.push(a.warnings.to_string());
        v.push(format!("{:?}", a.warnings));
        v.push(p.to_string());
        v.push(format!("{p:?}"));
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..Default::default()
        })]
        /// Random edits to annotation files (rewritten, deleted, a note
        /// moved from one file to another) and articles (body, title —
        /// quotes drifting —, slug renamed, deleted and back), each
        /// anchored with the session's cache: the result is the one an
        /// anchoring without a cache gives, problems included.
        #[test]
        fn an_update_equals_a_whole_anchoring(
            start in proptest::collection::vec(
                proptest::option::weighted(0.9, file_spec()),
                PATHS.len(),
            ),
            edits in proptest::collection::vec(edit(), 1..10),
        ) {
            let registry = Registry::parse(
                "entities.yaml",
                Arc::from("- name: Minsk\n  kind: place\n"),
            )
            .expect("the registry");
            let mut files: Vec<Option<FileSpec>> = start;
            let mut arts: Vec<(ArticleSpec, bool)> = (0..4)
                .map(|i| {
                    let body = vec![(i, false), ((i + 1) % SENTENCES.len(), false), (3, false)];
                    (ArticleSpec { slug: i, title: i % 3, body }, true)
                })
                .collect();
            let cache = AnchorCache::default();
            let updates = UPDATES.with(|u| u.get());
            let mut file_edits = 0;
            for step in 0..=edits.len() {
                if step > 0 {
                    match &edits[step - 1] {
                        Edit::File(i, f) => {
                            files[*i] = f.clone();
                            file_edits += 1;
                        }
                        Edit::Article(i, body, title) => {
                            arts[*i].0.body = body.clone();
                            arts[*i].0.title = *title;
                        }
                        Edit::Move(from, to) => {
                            if let (Some(f), Some(_)) = (&files[*from], &files[*to])
                                && !f.items.is_empty()
                                && from != to
                            {
                                let item = files[*from].as_mut().expect("a file").items.remove(0);
                                files[*to].as_mut().expect("a file").items.push(item);
                            }
                        }
                        Edit::Rename(i, s) => {
                            if arts.iter().all(|(a, _)| a.slug != *s) {
                                arts[*i].0.slug = *s;
                            }
                        }
                        Edit::Toggle(i) => arts[*i].1 = !arts[*i].1,
                    }
                }
                let sources: Vec<AnnotationSource> = files
                    .iter()
                    .zip(PATHS)
                    .filter_map(|(f, p)| {
                        Some(AnnotationSource {
                            file: p.to_string(),
                            text: Arc::from(file_text(f.as_ref()?)),
                        })
                    })
                    .collect();
                let articles: Vec<Article> = arts
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, present))| *present)
                    .map(|(i, (a, _))| {
                        parse_article(&format!("content/{i}.md"), Arc::from(article_text(a)))
                            .expect("an article")
                    })
                    .collect();
                let run = |cache| {
                    anchor_with(&AnchorInputs {
                        files: &sources,
                        articles: &articles,
                        summary: None,
                        registry: Some(&registry),
                        cache,
                        unavailable: &[],
                        held: None,
                    })
                };
                let (cached, cp) = run(Some(&cache));
                let (whole, wp) = run(None);
                prop_assert_eq!(
                    seen(&cached, &cp),
                    seen(&whole, &wp),
                    "after {:?}",
                    &edits[..step]
                );
            }
            // the update, not the whole anchoring, did the file edits
            let updated = UPDATES.with(|u| u.get()) - updates;
            prop_assert!(file_edits == 0 || updated > 0, "{updated} updates");
        }
    }
}
