//! deps: what each [`Dep`] a page declares covers, as a fingerprint of
//! that part of the briefing — the one place that says both what a page
//! reads and what counts as a change to it.
//!
//! The live preview keeps the fingerprint of every dependency its page
//! jobs declare ([`Fingerprints`]); after an edit it works them out again
//! and renders the pages whose dependencies' fingerprints changed. There
//! is no second, hand-written comparison of old and new briefing to keep
//! in step with [`Job::deps`](super::pages::Job::deps): a part of the
//! briefing no dependency covers is a compile error here (every field of
//! [`Briefing`], [`Article`], [`Links`] is taken apart by name), and a
//! field added to one of them must be given to a dependency.
//!
//! Costs: a fingerprint hashes the values (blake3 over their bytes); the
//! large values held in `Arc`s (article files, anchored annotations) are
//! hashed once and remembered by pointer while the session holds them. An
//! annotation edit ([`Scope::Annotations`]) hashes again only what
//! annotations feed — the rest of the briefing is the same values, not
//! rebuilt (`site::update_annotations` writes only annotations, backlinks,
//! entity notes and the timeline).

use super::pages::Dep;
use crate::annotate::{Annotation, ArticleAnnotations, ArticleNote};
use crate::content::Article;
use crate::link::Links;
use crate::model::{Briefing, Slug};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::Arc;

/// The fingerprint of one part of the briefing: 128 bits of blake3.
pub type Fingerprint = [u8; 16];

/// Bytes to hash: each value is written with its length, so that
/// different values never give the same bytes.
#[derive(Default)]
struct Fp(Vec<u8>);

impl Fp {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.0.extend_from_slice(b);
    }

    fn feed<T: Feed + ?Sized>(&mut self, v: &T) -> &mut Self {
        v.feed(self);
        self
    }

    /// A value through its `Debug` form: for small or rare values whose
    /// every field (also one added later) must count.
    fn debug<T: Debug + ?Sized>(&mut self, v: &T) -> &mut Self {
        use std::io::Write;
        let start = self.0.len();
        self.0.extend_from_slice(&[0; 8]);
        let _ = write!(self.0, "{v:?}");
        let len = (self.0.len() - start - 8) as u64;
        self.0[start..start + 8].copy_from_slice(&len.to_le_bytes());
        self
    }

    fn finish(&self) -> Fingerprint {
        let h = blake3::hash(&self.0);
        let mut out = [0; 16];
        out.copy_from_slice(&h.as_bytes()[..16]);
        out
    }
}

/// A value written into a fingerprint.
trait Feed {
    fn feed(&self, h: &mut Fp);
}

impl Feed for str {
    fn feed(&self, h: &mut Fp) {
        h.bytes(self.as_bytes())
    }
}
impl Feed for String {
    fn feed(&self, h: &mut Fp) {
        h.bytes(self.as_bytes())
    }
}
impl Feed for Slug {
    fn feed(&self, h: &mut Fp) {
        h.bytes(self.as_str().as_bytes())
    }
}
impl Feed for u64 {
    fn feed(&self, h: &mut Fp) {
        h.0.extend_from_slice(&self.to_le_bytes())
    }
}
impl Feed for usize {
    fn feed(&self, h: &mut Fp) {
        (*self as u64).feed(h)
    }
}
impl Feed for u32 {
    fn feed(&self, h: &mut Fp) {
        h.0.extend_from_slice(&self.to_le_bytes())
    }
}
impl Feed for bool {
    fn feed(&self, h: &mut Fp) {
        h.0.push(*self as u8)
    }
}
impl Feed for f64 {
    fn feed(&self, h: &mut Fp) {
        self.to_bits().feed(h)
    }
}
impl Feed for Fingerprint {
    fn feed(&self, h: &mut Fp) {
        h.0.extend_from_slice(self)
    }
}
impl<T: Feed> Feed for Option<T> {
    fn feed(&self, h: &mut Fp) {
        match self {
            None => h.0.push(0),
            Some(v) => {
                h.0.push(1);
                v.feed(h)
            }
        }
    }
}
impl<T: Feed> Feed for [T] {
    fn feed(&self, h: &mut Fp) {
        self.len().feed(h);
        for v in self {
            v.feed(h)
        }
    }
}
impl<T: Feed> Feed for Vec<T> {
    fn feed(&self, h: &mut Fp) {
        self.as_slice().feed(h)
    }
}
impl<T: Feed + ?Sized> Feed for &T {
    fn feed(&self, h: &mut Fp) {
        (**self).feed(h)
    }
}
impl<A: Feed, B: Feed> Feed for (A, B) {
    fn feed(&self, h: &mut Fp) {
        self.0.feed(h);
        self.1.feed(h)
    }
}
impl<A: Feed, B: Feed, C: Feed> Feed for (A, B, C) {
    fn feed(&self, h: &mut Fp) {
        self.0.feed(h);
        self.1.feed(h);
        self.2.feed(h)
    }
}
impl Feed for std::ops::Range<usize> {
    fn feed(&self, h: &mut Fp) {
        (self.start, self.end).feed(h)
    }
}
impl Feed for crate::link::MentionAt {
    fn feed(&self, h: &mut Fp) {
        let crate::link::MentionAt {
            start,
            end,
            entity,
            linked,
        } = self;
        h.feed(start).feed(end).feed(entity).feed(linked);
    }
}
impl Feed for crate::link::Occurrence {
    fn feed(&self, h: &mut Fp) {
        let crate::link::Occurrence {
            article,
            n,
            before,
            text,
            after,
        } = self;
        h.feed(article).feed(n).feed(before).feed(text).feed(after);
    }
}
impl Feed for crate::link::EntityArticle {
    fn feed(&self, h: &mut Fp) {
        let crate::link::EntityArticle {
            article,
            mentions,
            occurrences,
        } = self;
        h.feed(article).feed(mentions).feed(occurrences);
    }
}
impl Feed for crate::link::related::Cooccurrence {
    fn feed(&self, h: &mut Fp) {
        let crate::link::related::Cooccurrence {
            entity,
            paragraphs,
            articles,
        } = self;
        h.feed(entity).feed(paragraphs).feed(articles);
    }
}
impl Feed for crate::link::backlinks::Backlink {
    fn feed(&self, h: &mut Fp) {
        let crate::link::backlinks::Backlink {
            passage,
            from_article,
            annotation,
            label,
        } = self;
        h.feed(passage)
            .feed(from_article)
            .feed(annotation)
            .feed(label);
    }
}
impl Feed for crate::link::timeline::Entry {
    fn feed(&self, h: &mut Fp) {
        let crate::link::timeline::Entry {
            date,
            kind,
            label,
            article,
            annotation,
        } = self;
        h.debug(date)
            .debug(kind)
            .feed(label)
            .feed(article)
            .feed(annotation);
    }
}

/// Which parts of the briefing may differ from the last time the
/// fingerprints were worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anything (the briefing was assembled again).
    Everything,
    /// Only what annotations feed: the annotations, backlinks, entity
    /// notes, the timeline, the summary's rendering (the briefing was
    /// updated by `site::update_annotations`).
    Annotations,
}

/// The fingerprints of a set of dependencies, with what makes working
/// them out again cheap.
#[derive(Default)]
pub struct Fingerprints {
    /// Per dependency: the part from articles and the link stage, and the
    /// part from annotations.
    deps: BTreeMap<Dep, (Fingerprint, Fingerprint)>,
    /// Values hashed once, by the address of their `Arc` (held, so the
    /// address is not reused while it is remembered).
    texts: FxHashMap<usize, (Arc<str>, Fingerprint)>,
    annotations: FxHashMap<usize, (Arc<Annotation>, Fingerprint)>,
    notes: FxHashMap<usize, (Arc<ArticleNote>, Fingerprint)>,
    articles: FxHashMap<usize, (Arc<ArticleAnnotations>, Fingerprint)>,
}

fn addr<T: ?Sized>(a: &Arc<T>) -> usize {
    Arc::as_ptr(a) as *const () as usize
}

/// Hash what is not remembered yet; remember only what `now` holds.
fn remember<T: ?Sized + Sync + Send>(
    old: &FxHashMap<usize, (Arc<T>, Fingerprint)>,
    now: Vec<&Arc<T>>,
    hash: impl Fn(&T) -> Fingerprint + Sync,
) -> FxHashMap<usize, (Arc<T>, Fingerprint)> {
    now.into_par_iter()
        .map(|a| {
            let k = addr(a);
            let fp = match old.get(&k) {
                Some((_, fp)) => *fp,
                None => hash(a),
            };
            (k, (a.clone(), fp))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn debug_fp<T: Debug + ?Sized>(v: &T) -> Fingerprint {
    let mut h = Fp::default();
    h.debug(v);
    h.finish()
}

/// What one computation reads, gathered once.
struct View<'a> {
    b: &'a Briefing,
    memo: &'a Fingerprints,
    /// Each article's whole-article notes.
    notes_by_article: BTreeMap<&'a Slug, Vec<&'a Arc<ArticleNote>>>,
}

impl Fingerprints {
    /// Work out the fingerprints of `deps` in `b` again (those of other
    /// dependencies are forgotten) and return the dependencies whose
    /// fingerprint changed, appeared or went. What was hashed before and
    /// is still held is not hashed again; with [`Scope::Annotations`] the
    /// parts not fed by annotations are kept too.
    pub fn update<'d>(
        &mut self,
        b: &Briefing,
        deps: impl IntoIterator<Item = &'d Dep>,
        scope: Scope,
    ) -> BTreeSet<Dep> {
        let deps: BTreeSet<&Dep> = deps.into_iter().collect();
        if scope == Scope::Everything {
            let all: Vec<&Arc<str>> = b.articles.iter().map(|a| &a.text).collect();
            self.texts = remember(&self.texts, all, |t: &str| {
                let mut h = Fp::default();
                h.feed(t);
                h.finish()
            });
        }
        self.annotations = remember(
            &self.annotations,
            b.annotations.all().iter().collect(),
            debug_fp,
        );
        self.notes = remember(
            &self.notes,
            b.annotations.article_notes().iter().collect(),
            debug_fp,
        );
        let annotations = &self.annotations;
        self.articles = remember(
            &self.articles,
            b.annotations.by_article.values().collect(),
            |x: &ArticleAnnotations| {
                let ArticleAnnotations {
                    article_note_html,
                    highlights,
                    sidenotes,
                } = x;
                let mut h = Fp::default();
                h.feed(article_note_html).debug(highlights);
                sidenotes.len().feed(&mut h);
                for (end, anns) in sidenotes {
                    h.feed(end).feed(&anns.len());
                    for a in anns {
                        match annotations.get(&addr(a)) {
                            Some((_, fp)) => h.feed(fp),
                            None => h.debug(&**a),
                        };
                    }
                }
                h.finish()
            },
        );
        let mut notes_by_article: BTreeMap<&Slug, Vec<&Arc<ArticleNote>>> = BTreeMap::new();
        for n in b.annotations.article_notes() {
            notes_by_article.entry(&n.article).or_default().push(n);
        }
        let view = View {
            b,
            memo: self,
            notes_by_article,
        };
        let fps: BTreeMap<Dep, (Fingerprint, Fingerprint)> = deps
            .into_par_iter()
            .map(|d| {
                let base = match (scope, self.deps.get(d)) {
                    (Scope::Annotations, Some((base, _))) => *base,
                    _ => view.base(d),
                };
                (d.clone(), (base, view.annotated(d)))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let mut changed = BTreeSet::new();
        for (d, fp) in &fps {
            if self.deps.get(d) != Some(fp) {
                changed.insert(d.clone());
            }
        }
        for d in self.deps.keys() {
            if !fps.contains_key(d) {
                changed.insert(d.clone());
            }
        }
        self.deps = fps;
        changed
    }

    /// The fingerprint of one dependency, when it was worked out.
    pub fn get(&self, d: &Dep) -> Option<Fingerprint> {
        self.deps.get(d).map(|(a, n)| {
            let mut h = Fp::default();
            h.feed(a).feed(n);
            h.finish()
        })
    }
}

/// Every part of the briefing and the dependency that covers it. Taking
/// the structs apart by name makes a new field a compile error here until
/// it is given to a dependency (and hashed there).
#[allow(dead_code)]
fn every_part_is_covered(b: &Briefing) {
    let Briefing {
        config: _,      // a change rebuilds everything (`briefing.toml`)
        articles: _,    // `Dep::Cards` (metadata, order), `Dep::Article` (text)
        summary: _,     // `Dep::Summary`
        sources: _,     // `Dep::Article` (its source's report)
        annotations: _, // `Dep::Annotations`, `AnnotationSet`, `Notes`, `Article`, `Summary`
        links,
    } = b;
    let Links {
        registry: _,         // `Dep::Mentions`, `Dep::Entity` (its entry)
        mentions: _,         // `Dep::Article`
        article_entities: _, // `Dep::Mentions`
        occurrences: _,      // `Dep::Entity`
        mention_counts: _,   // `Dep::Mentions`
        entity_articles: _,  // `Dep::Entity`
        previews: _,         // `Dep::Mentions`, `Dep::Entity`
        markup: _,           // `Dep::Mentions`
        article_index: _,    // derived from the articles' order: `Dep::Cards`
        cooccurring: _,      // `Dep::Entity`
        related: _,          // `Dep::Article`
        backlinks: _,        // `Dep::Article`
        entity_notes: _,     // `Dep::Entity`
        timeline: _,         // `Dep::Events`
    } = links;
}

/// What lists of articles may show of one: everything but its text.
fn card(h: &mut Fp, a: &Article) {
    let Article {
        file,
        slug,
        title,
        date,
        byline,
        outlet,
        url,
        published,
        modified,
        source,
        seed_sha256,
        summary,
        figures,
        tags,
        body_offset: _, // the body: `Dep::Article`
        text: _,
    } = a;
    h.feed(file)
        .feed(slug)
        .feed(title)
        .debug(date)
        .feed(byline)
        .feed(outlet)
        .feed(url)
        .debug(published)
        .debug(modified)
        .feed(source)
        .feed(seed_sha256)
        .feed(summary)
        .debug(figures)
        .feed(tags);
}

impl View<'_> {
    /// The part of a dependency's fingerprint from the articles, the
    /// sources, the summary's text and the link stage's mentions.
    fn base(&self, d: &Dep) -> Fingerprint {
        let (b, l) = (self.b, &self.b.links);
        let mut h = Fp::default();
        match d {
            Dep::Cards => {
                b.articles.len().feed(&mut h);
                for a in &b.articles {
                    card(&mut h, a);
                }
            }
            Dep::Summary => {
                if let Some(s) = &b.summary {
                    let crate::content::Summary {
                        file,
                        title,
                        body,
                        body_offset,
                        text,
                    } = s;
                    h.feed(file)
                        .feed(title)
                        .feed(body)
                        .feed(body_offset)
                        .feed(&**text);
                }
            }
            Dep::Article(s) => match b.article(s) {
                None => h.0.push(0),
                Some(a) => {
                    card(&mut h, a);
                    h.feed(&a.body_offset);
                    match self.memo.texts.get(&addr(&a.text)) {
                        Some((_, fp)) => h.feed(fp),
                        None => h.feed(&*a.text),
                    };
                    h.feed(&l.mentions.get(s)).feed(&l.related.get(s));
                    match a.source.as_ref().and_then(|n| b.sources.get(n)) {
                        Some(v) => h.feed(&v.name).debug(&v.report),
                        None => {
                            h.0.push(0);
                            &mut h
                        }
                    };
                }
            },
            Dep::Mentions => {
                h.feed(&l.mention_counts).feed(&l.previews);
                l.article_entities.len().feed(&mut h);
                for (s, v) in &l.article_entities {
                    h.feed(s).feed(v);
                }
                h.debug(&l.registry.entities).debug(&l.markup);
            }
            Dep::Entity(i) => {
                h.debug(&l.registry.entities.get(*i))
                    .feed(&l.previews.get(*i))
                    .feed(&l.occurrences.get(*i))
                    .feed(&l.entity_articles.get(*i))
                    .feed(&l.cooccurring.get(*i));
            }
            Dep::Annotations | Dep::AnnotationSet | Dep::Notes(_) | Dep::Events => {}
        }
        h.finish()
    }

    /// The part of a dependency's fingerprint from the annotations and
    /// what they feed.
    fn annotated(&self, d: &Dep) -> Fingerprint {
        let (b, l, m) = (self.b, &self.b.links, self.memo);
        let anns = &b.annotations;
        let ann = |h: &mut Fp, a: &Arc<Annotation>| match m.annotations.get(&addr(a)) {
            Some((_, fp)) => {
                h.feed(fp);
            }
            None => {
                h.debug(&**a);
            }
        };
        let note = |h: &mut Fp, n: &Arc<ArticleNote>| match m.notes.get(&addr(n)) {
            Some((_, fp)) => {
                h.feed(fp);
            }
            None => {
                h.debug(&**n);
            }
        };
        let mut h = Fp::default();
        match d {
            Dep::Cards | Dep::Mentions => {}
            Dep::Summary => {
                h.feed(&anns.summary_html).debug(&anns.summary_targets);
            }
            Dep::Article(s) => {
                match anns.by_article.get(s) {
                    Some(a) => match m.articles.get(&addr(a)) {
                        Some((_, fp)) => h.feed(fp),
                        None => h.debug(&**a),
                    },
                    None => h.feed(&None::<usize>),
                };
                h.feed(&l.backlinks.get(s));
            }
            Dep::Entity(i) => {
                let slug = l.registry.entities.get(*i).map(|e| &e.slug);
                h.feed(&slug.and_then(|s| l.entity_notes.get(s)));
            }
            Dep::Annotations => {
                anns.all().len().feed(&mut h);
                for a in anns.all() {
                    ann(&mut h, a);
                }
                anns.article_notes().len().feed(&mut h);
                for n in anns.article_notes() {
                    note(&mut h, n);
                }
                h.debug(anns.drifts());
            }
            Dep::AnnotationSet => {
                anns.all().len().feed(&mut h);
                for a in anns.all() {
                    h.feed(&a.article)
                        .feed(&a.id)
                        .feed(&a.tags)
                        .feed(&a.claim)
                        .debug(&a.status);
                }
            }
            Dep::Notes(s) => {
                let of = anns.of_article(s);
                of.len().feed(&mut h);
                for a in of {
                    ann(&mut h, a);
                }
                let notes = self.notes_by_article.get(s).map_or(&[][..], Vec::as_slice);
                notes.len().feed(&mut h);
                for n in notes {
                    note(&mut h, n);
                }
            }
            Dep::Events => {
                let crate::link::timeline::Timeline { entries, undated } = &l.timeline;
                h.feed(entries).feed(undated);
            }
        }
        h.finish()
    }
}
