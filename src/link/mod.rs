//! link: cross-references between the parts of a briefing — the entity
//! registry, entity mentions in article text, related articles, backlinks,
//! co-occurring entities and the timeline — plus the tools that work on
//! them (`entities suggest`, the link check, the search index).
//!
//! [`link`] is the stage of the pipeline: a pure function from the articles,
//! the registry and what the annotation stage exposes to [`Links`].

pub mod backlinks;
pub mod check;
pub mod mentions;
pub mod outlets;
pub mod registry;
pub mod related;
pub mod search;
pub mod suggest;
pub mod timeline;

pub use backlinks::{AnnotationRef, Backlink, Target};
pub use registry::{Entity, EntityEntry, EntityKind, Registry};
pub use timeline::{EventInput, Timeline};

use crate::config::EntityLinks;
use crate::content::Article;
use crate::markdown::{self, Attrs, Span};
use crate::model::{SitePath, Slug};
use mentions::{Matcher, Mention};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The longest entity preview, in characters.
pub const PREVIEW_CHARS: usize = 220;

/// How many related articles an article page lists.
pub const RELATED_LIMIT: usize = 5;

/// How many of the most recent articles naming an entity its page quotes
/// in context ...
pub const CONTEXT_ARTICLES: usize = 20;
/// ... and at most how many mentions of each.
pub const CONTEXT_SNIPPETS: usize = 60;

/// A mention of an entity quoted in context on the entity's page: one of
/// the first [`CONTEXT_SNIPPETS`] mentions in each of the first
/// [`CONTEXT_ARTICLES`] articles naming the entity (no page quotes the
/// others: only their number is kept, [`EntityArticle::mentions`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Position of the article in the articles linked.
    pub article: u32,
    /// Its number among the article's mentions of the entity, from 1; the
    /// first alone has an anchor on the article page, [`mention_id`].
    pub n: u32,
    /// The text before it in its paragraph, the mention, the text after it
    /// (cut at words, see [`snippet`]).
    pub before: String,
    pub text: String,
    pub after: String,
}

/// An entity mention in an article body, as [`Links`] keeps it: its byte
/// range in the body's plain text, the entity (index into
/// [`Registry::entities`]) and whether it is a link (see
/// [`EntityLinks`]). Its decoration (anchor, link, preview) is made only
/// when the article's page is rendered: [`Links::mention_spans`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
///
/// 12 bytes (whether it is a link is the entity's top bit): a briefing of
/// 10,000 articles has about 850,000 of them.
pub struct MentionAt {
    pub start: u32,
    pub end: u32,
    entity: u32,
}

impl MentionAt {
    const LINKED: u32 = 1 << 31;

    /// (Offsets and indices fit: bodies and registries are far smaller
    /// than 2 GiB.)
    pub fn new(start: usize, end: usize, entity: usize, linked: bool) -> MentionAt {
        debug_assert!((entity as u32) < Self::LINKED);
        MentionAt {
            start: start as u32,
            end: end as u32,
            entity: entity as u32 | if linked { Self::LINKED } else { 0 },
        }
    }
    /// The entity (index into [`Registry::entities`]).
    pub fn entity(&self) -> u32 {
        self.entity & !Self::LINKED
    }
    /// Whether it is a link (see [`EntityLinks`]).
    pub fn linked(&self) -> bool {
        self.entity & Self::LINKED != 0
    }
}

/// The mentions of one entity in one article: the article's position in
/// the briefing, how many, and the range of those quoted in
/// [`Links::occurrences`] (empty when none is; each entity's occurrences
/// are in article order, so an article's are contiguous, and they are its
/// first mentions: numbers 1, 2, …).
///
/// Kept as 32-bit numbers (16 bytes, not 32): a briefing has one for every
/// entity of every article, at 10,000 articles about 450,000 of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityArticle {
    article: u32,
    mentions: u32,
    occurrences: std::ops::Range<u32>,
}

impl EntityArticle {
    /// (Positions and counts fit: a briefing has far fewer than 4 billion
    /// articles, mentions and quoted mentions.)
    pub fn new(article: usize, mentions: usize, occurrences: std::ops::Range<usize>) -> Self {
        EntityArticle {
            article: article as u32,
            mentions: mentions as u32,
            occurrences: occurrences.start as u32..occurrences.end as u32,
        }
    }
    /// The article's position in the articles linked.
    pub fn article(&self) -> usize {
        self.article as usize
    }
    /// How many times it names the entity.
    pub fn mentions(&self) -> usize {
        self.mentions as usize
    }
    /// Its mentions quoted on the entity's page, in [`Links::occurrences`].
    pub fn occurrences(&self) -> std::ops::Range<usize> {
        self.occurrences.start as usize..self.occurrences.end as usize
    }
    fn set_occurrences(&mut self, r: std::ops::Range<usize>) {
        self.occurrences = r.start as u32..r.end as u32;
    }
}

/// A related article: its slug, its score, and the entities it shares
/// (registry indices).
pub type RelatedArticle = (Slug, f64, Vec<usize>);

/// Derived links of the whole briefing.
#[derive(Clone, Debug, Default)]
pub struct Links {
    pub registry: Registry,
    /// The entity mentions of each article body, in text order (their
    /// decorations: [`Links::mention_spans`]).
    pub mentions: BTreeMap<Slug, Vec<MentionAt>>,
    /// Entities named in each article, most mentioned first.
    pub article_entities: BTreeMap<Slug, Vec<(usize, usize)>>,
    /// Per entity (registry index): its mentions quoted on its page, in
    /// article order.
    pub occurrences: Vec<Vec<Occurrence>>,
    /// Per entity: how many mentions it has in the whole briefing.
    pub mention_counts: Vec<usize>,
    /// Per entity: the articles naming it, in article order — an index so
    /// that an entity page costs its own mentions, not every article.
    pub entity_articles: Vec<Vec<EntityArticle>>,
    /// Per entity: its description as one line of plain text
    /// ([`preview`], at most [`PREVIEW_CHARS`]), for tooltips and lists.
    pub previews: Vec<String>,
    /// Per entity: what its mentions on an article page share, written
    /// once (see [`mention_spans`]).
    pub markup: Vec<MentionMarkup>,
    /// Position of each article (by slug) in the articles linked.
    pub article_index: rustc_hash::FxHashMap<Slug, usize>,
    /// Per entity: entities named in the same paragraphs.
    pub cooccurring: Vec<Vec<related::Cooccurrence>>,
    /// Related articles (slug, score, shared entity indices), best first.
    pub related: BTreeMap<Slug, Vec<RelatedArticle>>,
    /// Annotations pointing at each article.
    pub backlinks: BTreeMap<Slug, Vec<Backlink>>,
    /// Annotations naming each entity (by entity slug).
    pub entity_notes: BTreeMap<Slug, Vec<Backlink>>,
    pub timeline: Timeline,
    /// The registry's compiled names, kept so that [`relink`] (an article
    /// edit in the live preview) scans one article without compiling them
    /// again.
    pub matcher: Option<std::sync::Arc<Matcher>>,
}

impl Links {
    /// An entity's preview (see [`Links::previews`]).
    pub fn preview(&self, entity: usize) -> &str {
        self.previews.get(entity).map_or("", String::as_str)
    }

    /// Total mentions of an entity.
    pub fn mention_count(&self, entity: usize) -> usize {
        self.mention_counts.get(entity).copied().unwrap_or(0)
    }

    /// The decorations of an article body for its entity mentions (see
    /// [`mention_spans`]), made when its page is rendered: kept for every
    /// article at once they would be most of a large build's memory.
    pub fn mention_spans(&self, article: &Slug) -> Vec<Span> {
        let found = self.mentions.get(article).map_or(&[][..], Vec::as_slice);
        mention_spans(&self.registry, &self.markup, found)
    }
}

/// The decorations of the mentions `found` in the body of an article:
/// an entity's first mention in the article gets the anchor
/// [`mention_id`]`(entity, 1)`, which entity pages link to (for each
/// article quoted in context, where it first names the entity); later
/// mentions have no anchor of their own (one on each was 1.5 KB of a 23 KB
/// page). A linked mention (see [`EntityLinks`]) is a link to the entity's
/// page (the first one's anchor on the link itself, no wrapper); a first
/// mention not linked is a `span` with its anchor, later ones not linked
/// are plain text. No class on a first mention: the `mention-` id is what
/// the stylesheet and the script select it by (`[id^="mention-"]`); later
/// linked ones, and the pieces after the first of one a highlight cuts,
/// have `class="mention"`. No `title`: the script's preview reads the
/// entity's kind and description from one file for the whole site
/// ([`crate::render`]'s `entities/previews.js`), not from each page — they
/// were a fifth of a page with real descriptions.
pub fn mention_spans(
    registry: &Registry,
    markup: &[MentionMarkup],
    found: &[MentionAt],
) -> Vec<Span> {
    // Per entity: mentions so far. An article names a few dozen entities:
    // a short list beats a map.
    let mut seen: Vec<(u32, usize)> = Vec::new();
    let mut spans = Vec::with_capacity(found.len());
    for m in found {
        let entity = m.entity();
        let e = &registry.entities[entity as usize];
        let s = match seen.iter().position(|s| s.0 == entity) {
            Some(i) => &mut seen[i],
            None => {
                seen.push((entity, 0));
                seen.last_mut().expect("just pushed")
            }
        };
        s.1 += 1;
        let (start, end) = (m.start as usize, m.end as usize);
        if s.1 > 1 {
            // a later mention: a link (when configured) told by its class,
            // else plain text
            if m.linked() {
                spans.push(Span {
                    start,
                    end,
                    tag: "a",
                    attrs: markup[entity as usize].link.clone(),
                    first_attrs: MENTION_REST.clone(),
                    rest_attrs: MENTION_REST.clone(),
                });
            }
            continue;
        }
        // the id is `mention_id(slug)` (a slug needs no escaping)
        let mut first = String::with_capacity(16 + e.slug.as_str().len());
        first.push_str(" id=\"mention-");
        first.push_str(e.slug.as_str());
        first.push_str("-1\"");
        let (tag, attrs) = if m.linked() {
            ("a", markup[entity as usize].link.clone())
        } else {
            ("span", Attrs::default())
        };
        spans.push(Span {
            start,
            end,
            tag,
            attrs,
            first_attrs: Attrs::from_written(first),
            rest_attrs: MENTION_REST.clone(),
        });
    }
    spans
}

/// What the mentions of an entity on article pages share, written once:
/// the attributes of a link to its page (its URL: every article page is
/// at the same depth).
#[derive(Clone, Debug, Default)]
pub struct MentionMarkup {
    pub link: Attrs,
}

impl MentionMarkup {
    fn new(e: &Entity) -> MentionMarkup {
        let from = SitePath::article(&Slug::parse("x").expect("a slug"));
        MentionMarkup {
            link: Attrs::new(&[("href", &SitePath::entity(&e.slug).relative_from(&from))]),
        }
    }
}

/// The class of a linked mention's segments other than a first mention's
/// first one, which carries its `mention-` id instead (a mention is cut in
/// segments where a highlight starts or ends in it): one string for all.
static MENTION_REST: LazyLock<Attrs> = LazyLock::new(|| Attrs::new(&[("class", "mention")]));

/// The anchor id of an entity's first mention in an article (the only
/// mention with one): `mention-<entity>-1`.
pub fn mention_id(entity: &Slug) -> String {
    format!("mention-{entity}-1")
}

/// Plain text of a Markdown description, on one line, at most `max` chars.
pub fn preview(md: &str, max: usize) -> String {
    let text = markdown::plain_text(md).text;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::model::shorten(&flat, max).into_owned()
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Context around `start..end` within `block`, cut at word boundaries.
fn snippet(
    text: &str,
    block: &std::ops::Range<usize>,
    start: usize,
    end: usize,
) -> (String, String) {
    const SIDE: usize = 90;
    let from = ceil(text, start.saturating_sub(SIDE).max(block.start));
    let to = floor(text, (end + SIDE).min(block.end));
    let mut before = text[from..start].to_string();
    if from > block.start {
        before = match before.split_once(' ') {
            Some((_, rest)) => format!("…{rest}"),
            None => format!("…{before}"),
        };
    }
    let mut after = text[end..to].to_string();
    if to < block.end {
        after = match after.rsplit_once(' ') {
            Some((rest, _)) => format!("{rest}…"),
            None => format!("{after}…"),
        };
    }
    (before, after)
}

/// What the link stage finds in one article on its own.
struct Scanned {
    plain: markdown::PlainText,
    found: Vec<Mention>,
    /// For each mention, its 1-based number among the article's mentions
    /// of the same entity (the first's anchor is [`mention_id`]).
    numbers: Vec<u32>,
    /// (entity, mentions), by entity.
    counts: Vec<(usize, usize)>,
    /// The entities of each block (paragraph), sorted, by block.
    block_sets: BTreeMap<usize, Vec<usize>>,
}

fn scan(a: &Article, matcher: &Matcher, mode: EntityLinks) -> Scanned {
    let plain = markdown::plain_text(a.body());
    let found = matcher.find(&plain.text, &plain.blocks, &plain.code, &plain.links, mode);
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut numbers = Vec::with_capacity(found.len());
    let mut block_sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for m in &found {
        let k = counts.entry(m.entity).or_default();
        *k += 1;
        numbers.push(*k as u32);
        let set = block_sets.entry(m.block).or_default();
        if !set.contains(&m.entity) {
            set.push(m.entity);
        }
    }
    for set in block_sets.values_mut() {
        set.sort_unstable();
    }
    Scanned {
        plain,
        found,
        numbers,
        counts: counts.into_iter().collect(),
        block_sets,
    }
}

/// How many articles [`link`] scans at once: their plain texts are held
/// until their mentions are filed, so this bounds that memory, and it is
/// large enough to keep every thread busy.
const SCAN_CHUNK: usize = 256;

/// Whether the entity page of `entity` quotes its `k`th (1-based) mention
/// in the article being filed (its articles so far are the ones before).
fn quoted(links: &Links, entity: usize, k: usize) -> bool {
    links.entity_articles[entity].len() < CONTEXT_ARTICLES && k <= CONTEXT_SNIPPETS
}

/// File what [`scan`] found in article `ai` into `links`: its mentions,
/// those the entity pages quote (in context), its
/// entities; collect its entity set (for related articles) and count the
/// entities named together in its paragraphs.
fn file_article(
    links: &mut Links,
    ai: usize,
    a: &Article,
    sc: Scanned,
    entity_sets: &mut Vec<Vec<usize>>,
    cooccurrences: &mut related::CooccurrenceCounts,
) {
    let mut found = Vec::with_capacity(sc.found.len());
    for (m, &k) in sc.found.iter().zip(&sc.numbers) {
        // Entity pages quote the first mentions of the most recent
        // articles only (articles are newest first): the context of the
        // others is not worth computing.
        if quoted(links, m.entity, k as usize) {
            let empty = 0..0;
            let block = sc.plain.blocks.get(m.block).unwrap_or(&empty);
            let (before, after) = snippet(&sc.plain.text, block, m.start, m.end);
            links.occurrences[m.entity].push(Occurrence {
                article: ai as u32,
                n: k,
                before,
                text: sc.plain.text[m.start..m.end].to_string(),
                after,
            });
        }
        // (offsets and indices fit: bodies and registries are far smaller
        // than 4 GiB)
        found.push(MentionAt::new(m.start, m.end, m.entity, m.linked));
    }
    for set in sc.block_sets.values() {
        cooccurrences.add(ai, set);
    }
    for &(e, c) in &sc.counts {
        // the first of its mentions, when quoted
        let q = (1..=c).take_while(|&k| quoted(links, e, k)).count();
        let end = links.occurrences[e].len();
        links.entity_articles[e].push(EntityArticle::new(ai, c, end - q..end));
        links.mention_counts[e] += c;
    }
    let mut by_count = sc.counts;
    entity_sets.push(by_count.iter().map(|&(e, _)| e).collect::<Vec<_>>());
    by_count.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    links.article_entities.insert(a.slug.clone(), by_count);
    links.mentions.insert(a.slug.clone(), found);
}
/// The linking stage. `refs` and `events` come from the annotation stage
/// (resolved wikilinks of notes; dated `.event` annotations).
pub fn link(
    registry: Registry,
    articles: &[Article],
    mode: EntityLinks,
    refs: &[AnnotationRef],
    events: &[EventInput],
) -> Links {
    let matcher = std::sync::Arc::new(Matcher::new(&registry));
    let n = registry.entities.len();
    let previews: Vec<String> = registry
        .entities
        .iter()
        .map(|e| preview(&e.entry.description, PREVIEW_CHARS))
        .collect();
    let mut links = Links {
        occurrences: vec![Vec::new(); n],
        mention_counts: vec![0; n],
        entity_articles: vec![Vec::new(); n],
        article_index: articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.slug.clone(), i))
            .collect(),
        ..Links::default()
    };
    let mut entity_sets = Vec::with_capacity(articles.len());
    let mut cooccurrences = related::CooccurrenceCounts::default();
    // One scan per article, in parallel, with everything that concerns the
    // article alone (its mentions, their numbers, entity counts), a chunk
    // of articles at a time; then, in article order, what spans articles.
    // Filing a chunk overlaps scanning the next one, and what depends on
    // annotations (the live preview updates these in place after an
    // annotation edit, see `backlinks::update`) is made beside it all.
    let scan_chunk = |chunk: &[Article]| -> Vec<Scanned> {
        chunk.par_iter().map(|a| scan(a, &matcher, mode)).collect()
    };
    let chunks: Vec<&[Article]> = articles.chunks(SCAN_CHUNK).collect();
    let (annotation_links, ()) = rayon::join(
        || {
            (
                backlinks::backlinks(refs),
                timeline::timeline(articles, events),
            )
        },
        || {
            let mut pending = chunks.first().map(|c| scan_chunk(c));
            for (c, chunk) in chunks.iter().enumerate() {
                let scanned = pending.take().unwrap_or_default();
                let ((), next) = rayon::join(
                    || {
                        for (i, (a, sc)) in chunk.iter().zip(scanned).enumerate() {
                            let ai = c * SCAN_CHUNK + i;
                            file_article(
                                &mut links,
                                ai,
                                a,
                                sc,
                                &mut entity_sets,
                                &mut cooccurrences,
                            );
                        }
                    },
                    || chunks.get(c + 1).map(|n| scan_chunk(n)),
                );
                pending = next;
            }
        },
    );
    links.cooccurring = cooccurrences.finish(n);
    // the per-entity lists grew an article at a time and are kept to the
    // end of the build: without their spare room (at 10,000 articles
    // about a third of `entity_articles`)
    for v in &mut links.entity_articles {
        v.shrink_to_fit();
    }
    for v in &mut links.occurrences {
        v.shrink_to_fit();
    }
    // the lists made on every core, the map built from them at once
    let related: Vec<(Slug, Vec<RelatedArticle>)> = articles
        .par_iter()
        .zip(related::related(&entity_sets, RELATED_LIMIT))
        .map(|(a, rel)| {
            let list = rel
                .into_iter()
                .map(|r| (articles[r.article].slug.clone(), r.score, r.shared))
                .collect();
            (a.slug.clone(), list)
        })
        .collect();
    links.related = related.into_iter().collect();
    links.markup = registry.entities.iter().map(MentionMarkup::new).collect();
    links.registry = registry;
    links.previews = previews;
    links.matcher = Some(matcher);
    ((links.backlinks, links.entity_notes), links.timeline) = annotation_links;
    links
}

/// [`link`] again after one article changed, in place: what the link
/// stage derives from that article is taken out of `links` and what it
/// derives from the new one put in — its mentions, the entities' counts,
/// the articles naming each entity (and the mentions their pages quote),
/// co-occurrences — and the related articles are ranked again for the
/// articles whose inputs changed only (those naming an entity the edit
/// added or removed; none when the article names the same entities).
/// `articles` are the briefing's articles with the new one at `ai`, in
/// the same order as when `links` was made (the caller falls back to
/// [`link`] when the order changes); `old` is the article as it was.
/// Backlinks, entity notes and the timeline are the annotations' (see
/// `site::update_annotations`). Afterwards `links` equals [`link`] of
/// `articles` (the tests compare them).
pub fn relink(
    links: &mut Links,
    articles: &[Article],
    ai: usize,
    old: &Article,
    mode: EntityLinks,
) -> Relinked {
    let matcher = match &links.matcher {
        Some(m) => m.clone(),
        None => {
            let m = std::sync::Arc::new(Matcher::new(&links.registry));
            links.matcher = Some(m.clone());
            m
        }
    };
    let a = &articles[ai];
    let (was, now) = rayon::join(|| scan(old, &matcher, mode), || scan(a, &matcher, mode));
    let entities = links.registry.entities.len();
    // the entities each names, sorted
    let old_set: Vec<usize> = was.counts.iter().map(|&(e, _)| e).collect();
    let new_set: Vec<usize> = now.counts.iter().map(|&(e, _)| e).collect();
    // entities whose articles changed: in either, sorted
    let mut touched: Vec<usize> = old_set.iter().chain(&new_set).copied().collect();
    touched.sort_unstable();
    touched.dedup();
    touched.retain(|&e| e < entities);
    // the postings' lengths before (for related articles below)
    let before: Vec<usize> = touched
        .iter()
        .map(|&e| links.entity_articles[e].len())
        .collect();

    // counts and the articles naming each entity, with what entity pages
    // quote of the first CONTEXT_ARTICLES of them
    let counts_before: Vec<usize> = touched.iter().map(|&e| links.mention_counts[e]).collect();
    for &(e, c) in &was.counts {
        links.mention_counts[e] -= c;
    }
    for &(e, c) in &now.counts {
        links.mention_counts[e] += c;
    }
    let mut out = Relinked {
        counts: touched
            .iter()
            .zip(&counts_before)
            .filter(|&(&e, &c)| links.mention_counts[e] != c)
            .map(|(&e, _)| e)
            .collect(),
        entities: touched.iter().copied().collect(),
        articles: [ai].into(),
    };
    for &e in &touched {
        refile_entity(links, articles, ai, e, &now, &matcher, mode);
    }

    // co-occurrences: the old paragraphs out, the new ones in
    out.entities.extend(related::update_cooccurring(
        &mut links.cooccurring,
        was.block_sets.values(),
        now.block_sets.values(),
    ));

    // related articles: an article's list reads its entities and their
    // postings, which changed only for the entities the edit added or
    // removed (an entity in more than MAX_POSTING articles before and
    // after proposes no candidates: its posting is read by no one)
    if old_set != new_set {
        let mut targets: Vec<usize> = vec![ai];
        for (k, &e) in touched.iter().enumerate() {
            let in_both = old_set.binary_search(&e).is_ok() && new_set.binary_search(&e).is_ok();
            let after = links.entity_articles[e].len();
            if in_both || before[k].min(after) > related::MAX_POSTING {
                continue;
            }
            // (the posting before is this one with or without the edited
            // article, which is a target already)
            targets.extend(links.entity_articles[e].iter().map(EntityArticle::article));
        }
        targets.sort_unstable();
        targets.dedup();
        let sets: Vec<(usize, Vec<usize>)> = targets
            .into_iter()
            .map(|t| {
                let mut set: Vec<usize> = if t == ai {
                    new_set.clone()
                } else {
                    links
                        .article_entities
                        .get(&articles[t].slug)
                        .map(|v| v.iter().map(|&(e, _)| e).collect())
                        .unwrap_or_default()
                };
                set.sort_unstable();
                (t, set)
            })
            .collect();
        let ranked = related::related_of(
            articles.len(),
            |e| links.entity_articles[e].as_slice(),
            |x: &EntityArticle| x.article(),
            &sets,
            RELATED_LIMIT,
        );
        out.articles.extend(sets.iter().map(|(t, _)| *t));
        for ((t, _), rel) in sets.iter().zip(ranked) {
            let list = rel
                .into_iter()
                .map(|r| (articles[r.article].slug.clone(), r.score, r.shared))
                .collect();
            links.related.insert(articles[*t].slug.clone(), list);
        }
    }

    // the article's own mentions and entities
    let mut found = Vec::with_capacity(now.found.len());
    for m in &now.found {
        found.push(MentionAt::new(m.start, m.end, m.entity, m.linked));
    }
    let mut by_count = now.counts;
    by_count.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    links.article_entities.insert(a.slug.clone(), by_count);
    links.mentions.insert(a.slug.clone(), found);
    out
}

/// What [`relink`] changed: the articles whose own link values (mentions,
/// entities, related list) may differ, the entities whose articles,
/// quoted mentions or co-occurrences may differ, and the entities whose
/// count changed (every page showing one of those counts shows a new
/// number: the articles naming it, the entities named with it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relinked {
    pub articles: std::collections::BTreeSet<usize>,
    pub entities: std::collections::BTreeSet<usize>,
    pub counts: Vec<usize>,
}

/// [`relink`] for one entity `e`: article `ai`'s entry among the articles
/// naming it replaced by what `now` found (or taken out), and the quoted
/// mentions of the first [`CONTEXT_ARTICLES`] of them made again when
/// the article is or was among those (the others' are copied; an article
/// that moves up into them is scanned again for its snippets).
fn refile_entity(
    links: &mut Links,
    articles: &[Article],
    ai: usize,
    e: usize,
    now: &Scanned,
    matcher: &Matcher,
    mode: EntityLinks,
) {
    let list = &mut links.entity_articles[e];
    let old_rank = list.binary_search_by_key(&ai, EntityArticle::article);
    // what was quoted, by article
    let quoted_before: Vec<(usize, std::ops::Range<usize>)> = list
        .iter()
        .take(CONTEXT_ARTICLES)
        .map(|x| (x.article(), x.occurrences()))
        .collect();
    let count = now
        .counts
        .binary_search_by_key(&e, |&(x, _)| x)
        .ok()
        .map(|i| now.counts[i].1);
    let rank = match (old_rank, count) {
        (Ok(i), Some(c)) => {
            list[i].mentions = c as u32;
            i
        }
        (Ok(i), None) => {
            list.remove(i);
            i
        }
        (Err(i), Some(c)) => {
            list.insert(i, EntityArticle::new(ai, c, 0..0));
            i
        }
        (Err(_), None) => return,
    };
    let old_occ = std::mem::take(&mut links.occurrences[e]);
    if rank >= CONTEXT_ARTICLES {
        // the quoted articles are the same: only the new entry's (empty)
        // range, at the end of the quoted ones
        let end = old_occ.len();
        links.occurrences[e] = old_occ;
        for x in links.entity_articles[e].iter_mut().skip(CONTEXT_ARTICLES) {
            x.set_occurrences(end..end);
        }
        return;
    }
    let mut occ: Vec<Occurrence> = Vec::with_capacity(old_occ.len() + CONTEXT_SNIPPETS);
    let first = links.entity_articles[e].len().min(CONTEXT_ARTICLES);
    for k in 0..first {
        let x = &links.entity_articles[e][k];
        let from = occ.len();
        if x.article() == ai {
            occ.extend(quotes(now, e, ai));
        } else if let Some((_, r)) = quoted_before.iter().find(|(a, _)| *a == x.article()) {
            occ.extend_from_slice(&old_occ[r.clone()]);
        } else {
            // moved up into the quoted articles: its snippets
            let sc = scan(&articles[x.article()], matcher, mode);
            occ.extend(quotes(&sc, e, x.article()));
        }
        links.entity_articles[e][k].set_occurrences(from..occ.len());
    }
    let end = occ.len();
    for x in links.entity_articles[e].iter_mut().skip(CONTEXT_ARTICLES) {
        x.set_occurrences(end..end);
    }
    links.occurrences[e] = occ;
}

/// The mentions of entity `e` an entity page quotes from one scanned
/// article (its first [`CONTEXT_SNIPPETS`]), as [`file_article`] makes
/// them.
fn quotes(sc: &Scanned, e: usize, ai: usize) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (m, &k) in sc.found.iter().zip(&sc.numbers) {
        if m.entity != e || k as usize > CONTEXT_SNIPPETS {
            continue;
        }
        let empty = 0..0;
        let block = sc.plain.blocks.get(m.block).unwrap_or(&empty);
        let (before, after) = snippet(&sc.plain.text, block, m.start, m.end);
        out.push(Occurrence {
            article: ai as u32,
            n: k,
            before,
            text: sc.plain.text[m.start..m.end].to_string(),
            after,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_link_stage_keeps_its_per_mention_values_small() {
        // one of each for every mention and for every entity of every
        // article: most of the link stage's memory
        assert_eq!(std::mem::size_of::<MentionAt>(), 12);
        assert_eq!(std::mem::size_of::<EntityArticle>(), 16);
        for (entity, linked) in [(0, false), (7, true), ((1 << 31) - 1, true)] {
            let m = MentionAt::new(3, 9, entity, linked);
            assert_eq!(
                (m.start, m.end, m.entity(), m.linked()),
                (3, 9, entity as u32, linked)
            );
        }
        let ea = EntityArticle::new(5, 2, 10..12);
        assert_eq!(
            (ea.article(), ea.mentions(), ea.occurrences()),
            (5, 2, 10..12)
        );
    }

    fn art(slug: &str, body: &str) -> Article {
        let text = format!("---\ntitle: {slug}\nslug: {slug}\n---\n{body}\n");
        crate::content::parse_article("content/x.md", Arc::from(text)).unwrap()
    }

    fn reg() -> Registry {
        let y = "- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n  description: \"President of **Russia**.\"\n- name: Minsk\n  kind: place\n- name: Dnipro\n  kind: place\n";
        Registry::parse("entities.yaml", Arc::from(y)).unwrap()
    }

    #[test]
    fn mentions_become_anchored_links_with_previews() {
        let arts = [art("a", "Putin went to Minsk. Putin spoke.")];
        let l = link(reg(), &arts, EntityLinks::First, &[], &[]);
        let found = &l.mentions[&arts[0].slug];
        let text: Vec<(&str, bool)> = found
            .iter()
            .map(|m| {
                (
                    &arts[0].body()[m.start as usize..m.end as usize],
                    m.linked(),
                )
            })
            .collect();
        assert_eq!(
            text,
            [("Putin", true), ("Minsk", true), ("Putin", false)],
            "the plain text of this body is the body"
        );
        let spans = &l.mention_spans(&arts[0].slug);
        // the second Putin is plain text: no span of its own
        assert_eq!(spans.len(), 2);
        let links: Vec<&Span> = spans.iter().filter(|s| s.tag == "a").collect();
        assert_eq!(links.len(), 2, "first Putin and Minsk");
        assert_eq!(
            links[0].attrs.as_str(),
            " href=\"../../entities/vladimir-putin/index.html\""
        );
        assert_eq!(
            links[0].first_attrs.as_str(),
            " id=\"mention-vladimir-putin-1\"",
            "no description on the page: the script reads it from entities/previews.js"
        );
        let occ = &l.occurrences[0];
        assert_eq!(occ.len(), 2);
        assert_eq!((occ[1].article, occ[1].n), (0, 2));
        let c = &occ[1];
        assert_eq!(c.before, "Putin went to Minsk. ");
        assert_eq!(c.text, "Putin");
        assert_eq!(c.after, " spoke.");
        assert_eq!(l.article_entities[&arts[0].slug], [(0, 2), (1, 1)]);
        let html = markdown::render(
            arts[0].body(),
            &markdown::Decorations {
                spans: spans.clone(),
                after_block: vec![],
            },
        );
        assert!(html.contains("<a href=\"../../entities/vladimir-putin/index.html\" id=\"mention-vladimir-putin-1\">Putin</a>"), "{html}");
        assert!(html.ends_with(" Putin spoke.</p>\n"), "{html}");
    }

    #[test]
    fn the_first_mention_alone_has_an_anchor_and_later_links_a_class() {
        let arts = [art("a", "Putin.\n\nPutin, Putin and Minsk.")];
        let got = |mode| {
            let l = link(reg(), &arts, mode, &[], &[]);
            l.mention_spans(&arts[0].slug)
                .iter()
                .map(|s| (s.tag, s.first_attrs.as_str().to_string(), s.start))
                .collect::<Vec<_>>()
        };
        let first = (" id=\"mention-vladimir-putin-1\"".to_string(), 0);
        let later = |at| (" class=\"mention\"".to_string(), at);
        let minsk = (" id=\"mention-minsk-1\"".to_string(), 25);
        let with = |tag: &'static str, (a, at): (String, usize)| (tag, a, at);
        // first: the later Putins are plain text (no span)
        assert_eq!(
            got(EntityLinks::First),
            [with("a", first.clone()), with("a", minsk.clone())]
        );
        assert_eq!(
            got(EntityLinks::Paragraph),
            [
                with("a", first.clone()),
                with("a", later(8)),
                with("a", minsk.clone())
            ]
        );
        assert_eq!(
            got(EntityLinks::All),
            [
                with("a", first),
                with("a", later(8)),
                with("a", later(15)),
                with("a", minsk)
            ]
        );
        let l = link(reg(), &arts, EntityLinks::First, &[], &[]);
        assert!(
            l.mention_spans(&Slug::from_title("nowhere").unwrap())
                .is_empty()
        );
    }

    #[test]
    fn articles_scanned_in_chunks_are_filed_in_order() {
        let count = SCAN_CHUNK + 10;
        let arts: Vec<Article> = (0..count)
            .map(|i| art(&format!("a{i}"), &format!("Putin {i}, Putin.")))
            .collect();
        let l = link(reg(), &arts, EntityLinks::All, &[], &[]);
        assert_eq!(l.mention_count(0), 2 * count);
        // only the most recent articles' mentions are quoted
        let occ = &l.occurrences[0];
        assert_eq!(occ.len(), 2 * CONTEXT_ARTICLES);
        for (j, o) in occ.iter().enumerate() {
            assert_eq!((o.article as usize, o.n as usize), (j / 2, j % 2 + 1));
        }
        let c = &occ[2 * CONTEXT_ARTICLES - 1];
        let last = CONTEXT_ARTICLES - 1;
        assert_eq!(
            (c.before.as_str(), c.after.as_str()),
            (&*format!("Putin {last}, "), ".")
        );
        assert_eq!(l.entity_articles[0].len(), count);
        let none = 2 * CONTEXT_ARTICLES..2 * CONTEXT_ARTICLES;
        for (i, ea) in l.entity_articles[0].iter().enumerate() {
            let quoted = if i < CONTEXT_ARTICLES {
                2 * i..2 * i + 2
            } else {
                none.clone()
            };
            assert_eq!(
                (ea.article(), ea.mentions(), ea.occurrences()),
                (i, 2, quoted)
            );
        }
        for (i, a) in arts.iter().enumerate() {
            assert_eq!(l.article_index[&a.slug], i);
            let m = &l.mentions[&a.slug];
            assert_eq!(m.len(), 2);
            let after = &a.body()[m[0].end as usize..];
            assert!(after.starts_with(&format!(" {i},")), "{after}");
        }
    }

    #[test]
    fn an_article_has_at_most_its_first_mentions_quoted() {
        let body = "Minsk. ".repeat(CONTEXT_SNIPPETS + 5);
        let arts = [art("a", &body), art("b", "Minsk.")];
        let l = link(reg(), &arts, EntityLinks::All, &[], &[]);
        let minsk = 1;
        let ea = &l.entity_articles[minsk];
        let all = CONTEXT_SNIPPETS + 5;
        assert_eq!(
            (ea[0].mentions(), ea[0].occurrences()),
            (all, 0..CONTEXT_SNIPPETS)
        );
        let next = CONTEXT_SNIPPETS..CONTEXT_SNIPPETS + 1;
        assert_eq!((ea[1].mentions(), ea[1].occurrences()), (1, next));
        let ns: Vec<u32> = l.occurrences[minsk].iter().map(|o| o.n).collect();
        assert_eq!(ns[..3], [1, 2, 3]);
        assert_eq!(ns[CONTEXT_SNIPPETS], 1);
        assert_eq!(l.mention_count(minsk), all + 1);
        assert_eq!(l.mentions[&arts[0].slug].len(), all);
    }

    #[test]
    fn related_and_cooccurring_across_articles() {
        let arts = [
            art("a", "Putin in Minsk."),
            art("b", "Putin and Dnipro."),
            art("c", "Nothing here."),
        ];
        let l = link(reg(), &arts, EntityLinks::All, &[], &[]);
        let rel = &l.related[&arts[0].slug];
        assert_eq!(rel.len(), 1);
        assert_eq!(rel[0].0.as_str(), "b");
        assert_eq!(rel[0].2, [0]);
        assert!(l.related[&arts[2].slug].is_empty());
        let co: Vec<usize> = l.cooccurring[0].iter().map(|c| c.entity).collect();
        assert_eq!(co, [1, 2]);
    }

    /// Every derived field of two links, compared.
    fn assert_same_links(got: &Links, want: &Links, context: &str) {
        assert_eq!(got.mentions, want.mentions, "mentions, {context}");
        assert_eq!(
            got.article_entities, want.article_entities,
            "article entities, {context}"
        );
        assert_eq!(got.occurrences, want.occurrences, "occurrences, {context}");
        assert_eq!(
            got.mention_counts, want.mention_counts,
            "mention counts, {context}"
        );
        assert_eq!(
            got.entity_articles, want.entity_articles,
            "entity articles, {context}"
        );
        assert_eq!(got.cooccurring, want.cooccurring, "co-occurring, {context}");
        assert_eq!(got.related, want.related, "related, {context}");
        assert_eq!(got.article_index, want.article_index, "{context}");
        assert_eq!(got.previews, want.previews, "{context}");
    }

    fn reg5() -> Registry {
        let y = "- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n- name: Minsk\n  kind: place\n- name: Dnipro\n  kind: place\n- name: Oreshnik\n  kind: other\n- name: Lavrov\n  kind: person\n";
        Registry::parse("entities.yaml", Arc::from(y)).unwrap()
    }

    /// A body from word choices: paragraphs of names and filler.
    fn body_of(words: &[(u8, u8)]) -> String {
        const W: &[&str] = &[
            "Putin", "Minsk", "Dnipro", "Oreshnik", "Lavrov", "rain", "`Minsk`", "said",
        ];
        let mut out = String::new();
        for (i, &(w, brk)) in words.iter().enumerate() {
            if i > 0 {
                out.push_str(if brk % 4 == 0 { ".\n\n" } else { " " });
            }
            out.push_str(W[w as usize % W.len()]);
        }
        out.push('.');
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: crate::testing::cases(256),
            failure_persistence: None,
            ..Default::default()
        })]
        /// Re-linking one edited article gives what linking every article
        /// again gives: mentions, counts, the entities' articles and quoted
        /// mentions (more articles than an entity page quotes), co-occurrences
        /// and related articles.
        #[test]
        fn relinking_one_article_equals_linking_all(
            bodies in proptest::collection::vec(
                proptest::collection::vec((0u8..8, 0u8..8), 0..12), 1..40),
            edits in proptest::collection::vec(
                (0usize..40, proptest::collection::vec((0u8..8, 0u8..8), 0..12)), 1..4),
            all in proptest::bool::ANY,
        ) {
            let mode = if all { EntityLinks::All } else { EntityLinks::First };
            let mut arts: Vec<Article> = bodies
                .iter()
                .enumerate()
                .map(|(i, b)| art(&format!("a{i}"), &body_of(b)))
                .collect();
            let mut links = link(reg5(), &arts, mode, &[], &[]);
            for (i, words) in &edits {
                let i = i % arts.len();
                let old = std::mem::replace(&mut arts[i], art(&format!("a{i}"), &body_of(words)));
                relink(&mut links, &arts, i, &old, mode);
                let want = link(reg5(), &arts, mode, &[], &[]);
                assert_same_links(&links, &want, &format!("after editing article {i}"));
            }
        }
    }

    #[test]
    fn relinking_across_the_posting_limit_of_related_articles() {
        // Minsk in MAX_POSTING articles, each also naming one of two rarer
        // entities: an edit adds Minsk to one more article (past the limit,
        // Minsk proposes no candidates) and takes it out again
        let n = related::MAX_POSTING + 2;
        let body = |i: usize, minsk: bool| {
            let other = if i.is_multiple_of(2) {
                "Dnipro"
            } else {
                "Lavrov"
            };
            if minsk {
                format!("Minsk and {other}.")
            } else {
                format!("{other} only, Oreshnik {i}.")
            }
        };
        let mut arts: Vec<Article> = (0..n)
            .map(|i| art(&format!("a{i}"), &body(i, i < related::MAX_POSTING)))
            .collect();
        let mode = EntityLinks::All;
        let mut links = link(reg5(), &arts, mode, &[], &[]);
        let last = n - 1;
        for minsk in [true, false, true] {
            let old = std::mem::replace(
                &mut arts[last],
                art(&format!("a{last}"), &body(last, minsk)),
            );
            relink(&mut links, &arts, last, &old, mode);
            let want = link(reg5(), &arts, mode, &[], &[]);
            assert_same_links(&links, &want, &format!("Minsk in the last: {minsk}"));
        }
        // and an article among the first ones, whose entity pages quote it
        let old = std::mem::replace(&mut arts[0], art("a0", "Nothing."));
        relink(&mut links, &arts, 0, &old, mode);
        assert_same_links(
            &links,
            &link(reg5(), &arts, mode, &[], &[]),
            "first emptied",
        );
    }

    #[test]
    fn previews_are_cut_at_a_word() {
        assert_eq!(preview("One two three four", 9), "One two…");
        assert_eq!(preview("Short.", 9), "Short.");
    }
}
