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
//! entity notes and the timeline). The dependencies on every article
//! (`Dep::Cards`, `Dep::Mentions`) are kept in per-article parts, so that
//! after one article is re-linked ([`Scope::Relinked`]) only its parts are
//! hashed again and the whole is a hash of the parts (the registry's part
//! is hashed again only when everything may differ).

use super::pages::Dep;
use crate::annotate::{Annotation, ArticleAnnotations, ArticleNote};
use crate::assembled::Briefing;
use crate::content::Article;
use crate::link::Links;
use crate::model::Slug;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;
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
impl Feed for jiff::civil::DateTime {
    fn feed(&self, h: &mut Fp) {
        // (`Debug` would do, at a hundred times the cost: the timeline
        // has an entry per article and event)
        let d = self;
        h.0.extend_from_slice(&d.year().to_le_bytes());
        h.0.extend_from_slice(&[
            d.month() as u8,
            d.day() as u8,
            d.hour() as u8,
            d.minute() as u8,
            d.second() as u8,
        ]);
        h.0.extend_from_slice(&d.subsec_nanosecond().to_le_bytes());
    }
}
impl Feed for crate::link::MentionAt {
    fn feed(&self, h: &mut Fp) {
        h.feed(&self.start)
            .feed(&self.end)
            .feed(&self.entity())
            .feed(&self.linked());
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
        h.feed(&self.article())
            .feed(&self.mentions())
            .feed(&self.occurrences());
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
        let kind = match kind {
            crate::link::timeline::EntryKind::Event => 0u32,
            crate::link::timeline::EntryKind::Published => 1,
        };
        h.feed(date)
            .feed(&kind)
            .feed(label)
            .feed(article)
            .feed(annotation);
    }
}

/// Which parts of the briefing may differ from the last time the
/// fingerprints were worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Anything (the briefing was assembled again).
    Everything,
    /// Only what annotations feed (the annotations, backlinks, entity
    /// notes, the timeline, the summary's rendering: the briefing was
    /// updated by `site::update_annotations`), and of that only what
    /// [`Touched`] names.
    Annotations(&'a Touched),
    /// What annotations feed, as for [`Scope::Annotations`], one article
    /// (its text and front matter: the cards, the timeline) and what the
    /// link stage changed for it (`site::update_article`,
    /// [`crate::link::relink`]): the articles and entities it names, and
    /// those showing a count that changed. The other articles' and
    /// entities' own parts are kept.
    Relinked(&'a crate::link::Relinked, &'a Touched),
}

/// What an update of the annotations may have changed of what they feed
/// (`site::update_annotations` says): the annotation-fed parts of the
/// other articles and entities are kept, not worked out again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Articles whose annotations, whole-article notes or backlinks may
    /// differ.
    pub articles: BTreeSet<Slug>,
    /// Entities (by slug) whose list of notes naming them may differ.
    pub entities: BTreeSet<Slug>,
    /// Whether the timeline may differ.
    pub timeline: bool,
}

/// The articles (by position) and entities whose own part of their
/// fingerprint may differ after [`Scope::Relinked`]: those `relink`
/// changed, and those showing the count of an entity whose count
/// changed — an article page the chips of the entities it names, an
/// entity page its own count and its co-occurring entities'.
fn relinked_parts(
    l: &Links,
    r: &crate::link::Relinked,
) -> (rustc_hash::FxHashSet<usize>, rustc_hash::FxHashSet<usize>) {
    let mut articles: rustc_hash::FxHashSet<usize> = r.articles.iter().copied().collect();
    let mut entities: rustc_hash::FxHashSet<usize> = r.entities.iter().copied().collect();
    for &e in &r.counts {
        entities.insert(e);
        articles.extend(
            l.entity_articles
                .get(e)
                .into_iter()
                .flatten()
                .map(crate::link::EntityArticle::article),
        );
        // (co-occurrence is symmetric: the entities whose lists hold `e`)
        entities.extend(l.cooccurring.get(e).into_iter().flatten().map(|c| c.entity));
    }
    (articles, entities)
}

/// The fingerprints of a set of dependencies, with what makes working
/// them out again cheap.
#[derive(Default)]
pub struct Fingerprints {
    /// The dependencies, sorted, each once.
    deps: Vec<Dep>,
    /// The rank of each one's article in `order` (for `Dep::Article`,
    /// `Dep::Notes`).
    ranks: Vec<Option<u32>>,
    /// The articles' slugs, sorted.
    order: Order,
    /// Per dependency (by position): the part from articles and the link
    /// stage, and the part from annotations.
    fps: Vec<Parts>,
    /// Values hashed once, by the address of their `Arc` (held, so the
    /// address is not reused while it is remembered).
    texts: Memo<str>,
    /// Each article's [`card_fp`], by its text (and file name).
    cards: Memo<str, (String, Fingerprint)>,
    /// Annotations: their fingerprint and [`set_fp`].
    annotations: Memo<Annotation, (Fingerprint, Fingerprint)>,
    notes: Memo<ArticleNote>,
    articles: Memo<ArticleAnnotations>,
    /// Per article (by rank in `order`): the parts annotations give it.
    per: Vec<PerArticle>,
    /// `Dep::Mentions` and `Dep::Registry` in parts, kept across updates.
    mentions: Option<MentionsParts>,
    /// `Dep::Cards` in parts: each article's [`card_part`], by position in
    /// `Briefing::articles`, kept across updates (re-linking keeps the
    /// articles' order), and the whole.
    card_parts: Vec<Fingerprint>,
    cards_whole: Option<Fingerprint>,
}

/// What `Dep::Mentions` covers, in parts worked out again only where an
/// update may have changed them: the registry's part (its entries, their
/// previews and markup: also all of `Dep::Registry`) when everything may
/// differ (re-linking one article leaves the registry as it is), each
/// article's list of the entities it names for the articles re-linking
/// changed ([`crate::link::Relinked::articles`]), the counts each time.
/// The whole is a pure function of the briefing: what a fresh
/// [`MentionsParts::new`] gives.
struct MentionsParts {
    registry: Fingerprint,
    /// Per article, in the order of `Links::article_entities` (by slug):
    /// [`named_fp`].
    named: Vec<(Slug, Fingerprint)>,
    /// The counts, the registry's part and the articles' parts.
    whole: Fingerprint,
}

/// One article's part of `Dep::Cards`: its [`card_fp`] (remembered in
/// `cards` by its text and file name) and what the build holds back of it.
fn card_part(cards: &Memo<str, (String, Fingerprint)>, a: &Article) -> Fingerprint {
    let fp = match cards.get(&addr(&a.text)) {
        Some((_, (file, fp))) if *file == a.file => *fp,
        _ => card_fp(a),
    };
    let mut h = Fp::default();
    h.feed(&fp).debug(&a.held);
    h.finish()
}

/// All of `Dep::Cards` from the articles' parts, in the articles' order.
fn cards_whole(b: &Briefing, parts: &[Fingerprint]) -> Fingerprint {
    let mut h = Fp::default();
    h.debug(&b.held).feed(parts);
    h.finish()
}

/// The registry's part of `Dep::Mentions`, all of `Dep::Registry`.
fn registry_fp(l: &Links) -> Fingerprint {
    let mut h = Fp::default();
    h.debug(&l.registry.entities)
        .feed(&l.previews)
        .debug(&l.markup);
    h.finish()
}

/// One article's part of `Dep::Mentions`: the entities it names.
fn named_fp(s: &Slug, v: &[(usize, usize)]) -> Fingerprint {
    let mut h = Fp::default();
    h.feed(s).feed(v);
    h.finish()
}

impl MentionsParts {
    fn new(l: &Links) -> MentionsParts {
        Self::with_registry(l, registry_fp(l))
    }

    fn with_registry(l: &Links, registry: Fingerprint) -> MentionsParts {
        let all: Vec<(&Slug, &Vec<(usize, usize)>)> = l.article_entities.iter().collect();
        let named = all
            .par_iter()
            .map(|(s, v)| ((*s).clone(), named_fp(s, v)))
            .collect();
        let mut m = MentionsParts {
            registry,
            named,
            whole: [0; 16],
        };
        m.whole = m.whole_fp(l);
        m
    }

    fn whole_fp(&self, l: &Links) -> Fingerprint {
        let mut h = Fp::default();
        h.feed(&l.mention_counts).feed(&self.registry);
        self.named.len().feed(&mut h);
        for (_, fp) in &self.named {
            h.feed(fp);
        }
        h.finish()
    }

    /// After re-linking the articles `slugs` (the others' lists of the
    /// entities they name are as they were): their parts again, and the
    /// whole. Anything unexpected (an article's list appearing or going)
    /// works out every part again.
    fn relinked(&mut self, l: &Links, slugs: &[&Slug]) {
        let mut again = false;
        for s in slugs {
            match (
                self.named.binary_search_by(|(x, _)| x.cmp(s)),
                l.article_entities.get(*s),
            ) {
                (Ok(j), Some(v)) => self.named[j].1 = named_fp(s, v),
                (Err(_), None) => {}
                _ => again = true,
            }
        }
        if again || self.named.len() != l.article_entities.len() {
            *self = Self::with_registry(l, self.registry);
        } else {
            self.whole = self.whole_fp(l);
        }
    }
}

/// What annotations give one article, as fingerprints: worked out again
/// only for the articles an edit touched ([`Touched`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct PerArticle {
    /// `Dep::Notes`: its annotations and whole-article notes.
    notes: Fingerprint,
    /// The annotation-fed part of `Dep::Article`: its anchored
    /// annotations and its backlinks.
    article: Fingerprint,
    /// Its annotations, its whole-article notes, what decides its
    /// annotations' places in the listings, its claims: its parts of
    /// `Dep::Annotations`, `Dep::AnnotationSet`, `Dep::Claims`.
    all: Fingerprint,
    own_notes: Fingerprint,
    sets: Fingerprint,
    claims: Fingerprint,
}

/// A dependency's fingerprint in two parts: from the articles and the
/// link stage, and from the annotations.
type Parts = (Fingerprint, Fingerprint);

/// Fingerprints of values held in `Arc`s, by address.
type Memo<T, V = Fingerprint> = FxHashMap<usize, (Arc<T>, V)>;

fn addr<T: ?Sized>(a: &Arc<T>) -> usize {
    Arc::as_ptr(a) as *const () as usize
}

/// Hash what is not remembered yet. What is no longer held is forgotten
/// when it is most of the memo (forgetting walks all of it).
fn remember<T: ?Sized + Sync + Send, V: Send + Sync>(
    memo: &mut Memo<T, V>,
    now: Vec<&Arc<T>>,
    hash: impl Fn(&T) -> V + Sync,
) {
    let new: Vec<(usize, (Arc<T>, V))> = now
        .par_iter()
        .filter(|a| !memo.contains_key(&addr(a)))
        .map(|a| (addr(a), ((*a).clone(), hash(a))))
        .collect();
    if memo.len() + new.len() > 2 * now.len() + 64 {
        let held: rustc_hash::FxHashSet<usize> = now.iter().map(|a| addr(a)).collect();
        memo.retain(|k, _| held.contains(k));
    }
    memo.extend(new);
}

/// [`remember`] for a few values (`now`) of the `total` held: what is no
/// longer held is forgotten, as there, when it is most of the memo
/// (`all` gives every value held).
fn remember_few<'a, T: ?Sized + Sync + Send + 'a, V: Send + Sync>(
    memo: &mut Memo<T, V>,
    now: Vec<&Arc<T>>,
    total: usize,
    all: impl FnOnce() -> Vec<&'a Arc<T>>,
    hash: impl Fn(&T) -> V + Sync,
) {
    for a in now {
        memo.entry(addr(a)).or_insert_with(|| (a.clone(), hash(a)));
    }
    if memo.len() > 2 * total + 64 {
        let held: rustc_hash::FxHashSet<usize> = all().into_iter().map(addr).collect();
        memo.retain(|k, _| held.contains(k));
    }
}

fn debug_fp<T: Debug + ?Sized>(v: &T) -> Fingerprint {
    let mut h = Fp::default();
    h.debug(v);
    h.finish()
}

/// What one computation reads, gathered once: the per-article parts
/// ([`Fingerprints::per`]) and what the whole briefing's annotations
/// give the dependencies on all of them.
struct View<'a> {
    b: &'a Briefing,
    memo: &'a Fingerprints,
    /// The annotated parts of `Dep::Annotations`, `Dep::AnnotationSet`,
    /// `Dep::Claims`.
    annotations: Fingerprint,
    set: Fingerprint,
    claims: Fingerprint,
}

/// The slug of the entity at `i` in the registry.
fn l_entity_slug(b: &Briefing, i: usize) -> Option<&Slug> {
    b.links.registry.entities.get(i).map(|e| &e.slug)
}

/// What decides an annotation's place in the listings.
fn set_fp(a: &Annotation) -> Fingerprint {
    let mut h = Fp::default();
    h.feed(&a.article)
        .feed(&a.id)
        .feed(&a.tags)
        .feed(&a.claim)
        .feed(&a.status.map(|s| s as u32));
    h.finish()
}

/// The articles' slugs, sorted: the per-article fingerprints are kept by
/// rank in this order, so that the lists sorted by slug (annotations,
/// anchored articles, backlinks, dependencies) are matched to it in one
/// walk, without a lookup each.
#[derive(Default)]
struct Order(Vec<Slug>);

impl Order {
    fn new(b: &Briefing) -> Order {
        let mut v: Vec<Slug> = b.articles.iter().map(|a| a.slug.clone()).collect();
        v.sort_unstable();
        Order(v)
    }

    /// A cursor for lookups in ascending order (any order works; ascending
    /// ones cost a step each).
    fn cursor(&self) -> Cursor<'_> {
        Cursor { order: self, at: 0 }
    }
}

struct Cursor<'a> {
    order: &'a Order,
    at: usize,
}

impl Cursor<'_> {
    fn rank(&mut self, slug: &Slug) -> Option<usize> {
        let v = &self.order.0;
        // a few steps forward, else a binary search
        for _ in 0..4 {
            match v.get(self.at).map(|s| s.cmp(slug)) {
                Some(std::cmp::Ordering::Less) => self.at += 1,
                Some(std::cmp::Ordering::Equal) => return Some(self.at),
                _ => break,
            }
        }
        match v.binary_search(slug) {
            Ok(i) => {
                self.at = i;
                Some(i)
            }
            Err(_) => None,
        }
    }
}

/// `f(rank, items)` for each run of `items` about one article.
fn runs<'a, T>(
    order: &Order,
    items: impl IntoIterator<Item = (&'a Slug, T)>,
    mut f: impl FnMut(usize, Vec<T>),
) {
    let mut cursor = order.cursor();
    let mut run: Option<(&Slug, Vec<T>)> = None;
    for (slug, item) in items {
        match &mut run {
            Some((s, v)) if *s == slug => v.push(item),
            _ => {
                if let Some((s, v)) = run.take()
                    && let Some(i) = cursor.rank(s)
                {
                    f(i, v);
                }
                run = Some((slug, vec![item]));
            }
        }
    }
    if let Some((s, v)) = run
        && let Some(i) = cursor.rank(s)
    {
        f(i, v);
    }
}

impl<'a> View<'a> {
    fn new(b: &'a Briefing, memo: &'a Fingerprints) -> View<'a> {
        let per = &memo.per;
        let whole = |part: fn(&PerArticle) -> &Fingerprint| {
            let mut h = Fp::default();
            per.len().feed(&mut h);
            for p in per {
                h.feed(part(p));
            }
            h
        };
        let mut annotations = whole(|p| &p.all);
        for p in per {
            annotations.feed(&p.own_notes);
        }
        annotations.debug(b.annotations.drifts());
        View {
            b,
            memo,
            annotations: annotations.finish(),
            set: whole(|p| &p.sets).finish(),
            claims: whole(|p| &p.claims).finish(),
        }
    }
}

impl Fingerprints {
    /// What annotations give one article (see [`PerArticle`]).
    fn per_article(
        &self,
        anns: &[Arc<Annotation>],
        notes: &[&Arc<ArticleNote>],
        anchored: Option<&Arc<ArticleAnnotations>>,
        backlinks: Option<&Vec<crate::link::backlinks::Backlink>>,
    ) -> PerArticle {
        let fps: Vec<(Fingerprint, Fingerprint)> = anns
            .iter()
            .map(|a| match self.annotations.get(&addr(a)) {
                Some((_, (fp, set))) => (*fp, *set),
                None => (debug_fp(&**a), set_fp(a)),
            })
            .collect();
        let note_fps: Vec<Fingerprint> = notes
            .iter()
            .map(|x| match self.notes.get(&addr(x)) {
                Some((_, fp)) => *fp,
                None => debug_fp(&***x),
            })
            .collect();
        let list = |v: &mut dyn Iterator<Item = Fingerprint>| {
            let v: Vec<Fingerprint> = v.collect();
            let mut h = Fp::default();
            h.feed(&v);
            h.finish()
        };
        let all = list(&mut fps.iter().map(|f| f.0));
        let own_notes = list(&mut note_fps.iter().copied());
        let mut h = Fp::default();
        h.feed(&all).feed(&own_notes);
        let notes = h.finish();
        let sets = list(&mut fps.iter().map(|f| f.1));
        let claims = list(
            &mut anns
                .iter()
                .zip(&fps)
                .filter(|(a, _)| a.is_claim())
                .map(|(_, f)| f.0),
        );
        let anchored = anchored.map(|a| match self.articles.get(&addr(a)) {
            Some((_, fp)) => *fp,
            None => debug_fp(&**a),
        });
        let mut h = Fp::default();
        h.feed(&anchored).feed(&backlinks);
        PerArticle {
            notes,
            article: h.finish(),
            all,
            own_notes,
            sets,
            claims,
        }
    }

    /// [`Fingerprints::per_article`] of every article, by rank: one walk
    /// over each list sorted by slug (at 10,000 articles a lookup per
    /// article, each a chain of cache misses, costs more).
    fn every_article(&self, b: &Briefing) -> Vec<PerArticle> {
        let anns = &b.annotations;
        let order = &self.order;
        let n = order.0.len();
        // each article's annotations: a range of `all`, sorted by article
        let mut ranges: Vec<std::ops::Range<usize>> = vec![0..0; n];
        let all = anns.all();
        runs(
            order,
            all.iter().enumerate().map(|(i, a)| (&a.article, i)),
            |r, v| {
                let (first, last) = (v[0], v[v.len() - 1]);
                ranges[r] = first..last + 1;
            },
        );
        let mut notes_of: Vec<Vec<&Arc<ArticleNote>>> = vec![Vec::new(); n];
        runs(
            order,
            anns.article_notes().iter().map(|x| (&x.article, x)),
            |i, v| notes_of[i].extend(v),
        );
        let mut anchored: Vec<Option<&Arc<ArticleAnnotations>>> = vec![None; n];
        runs(order, anns.by_article.iter(), |i, v| {
            anchored[i] = v.first().copied()
        });
        let mut backlinks: Vec<Option<&Vec<crate::link::backlinks::Backlink>>> = vec![None; n];
        runs(order, b.links.backlinks.iter(), |i, v| {
            backlinks[i] = v.first().copied()
        });
        (0..n)
            .into_par_iter()
            .map(|i| {
                self.per_article(
                    &all[ranges[i].clone()],
                    &notes_of[i],
                    anchored[i],
                    backlinks[i],
                )
            })
            .collect()
    }

    /// [`Fingerprints::per_article`] of the articles `only`, with their
    /// ranks.
    fn some_articles(&self, b: &Briefing, only: &BTreeSet<Slug>) -> Vec<(usize, PerArticle)> {
        let anns = &b.annotations;
        let notes = anns.notes_of(only);
        only.iter()
            .filter_map(|s| {
                let rank = self.order.0.binary_search(s).ok()?;
                let mine: &[&Arc<ArticleNote>] = notes.get(s).map_or(&[], Vec::as_slice);
                let p = self.per_article(
                    anns.of_article(s),
                    mine,
                    anns.by_article.get(s),
                    b.links.backlinks.get(s),
                );
                Some((rank, p))
            })
            .collect()
    }
}

impl Fingerprints {
    /// Work out the fingerprints again, of `deps` when given (the
    /// dependencies the page jobs declare; the others are forgotten),
    /// else of the same dependencies as last time, and return the
    /// dependencies whose fingerprint changed, appeared or went. What was
    /// hashed before and is still held is not hashed again; with
    /// [`Scope::Annotations`] the parts not fed by annotations are kept
    /// too. [`Dep::AnnotationSet`] and [`Dep::Events`] are always among
    /// them: they decide the pages there are.
    pub fn update<'d>(
        &mut self,
        b: &Briefing,
        deps: Option<impl IntoIterator<Item = &'d Dep>>,
        scope: Scope<'_>,
    ) -> BTreeSet<Dep> {
        // what annotations touched (`None`: anything)
        let touched = match scope {
            Scope::Everything => None,
            Scope::Annotations(t) | Scope::Relinked(_, t) => Some(t),
        };
        // the per-article parts are kept but for those touched while the
        // articles are the same ones
        let partial = touched.filter(|_| {
            scope != Scope::Everything
                && self.order.0.len() == b.articles.len()
                && self.per.len() == b.articles.len()
        });
        if !matches!(scope, Scope::Annotations(_)) {
            // the articles whose text may be new: after re-linking, those
            // it changed (the edited one among them); else all
            let some: Vec<&Article> = match (scope, partial) {
                (Scope::Relinked(r, _), Some(_)) => r
                    .articles
                    .iter()
                    .filter_map(|&i| b.articles.get(i))
                    .collect(),
                _ => b.articles.iter().collect(),
            };
            let text_fp = |t: &str| {
                let mut h = Fp::default();
                h.feed(t);
                h.finish()
            };
            let texts: Vec<&Arc<str>> = some.iter().map(|a| &a.text).collect();
            let every = || b.articles.iter().map(|a| &a.text).collect::<Vec<_>>();
            if some.len() == b.articles.len() {
                remember(&mut self.texts, texts.clone(), text_fp);
            } else {
                remember_few(
                    &mut self.texts,
                    texts.clone(),
                    b.articles.len(),
                    every,
                    text_fp,
                );
            }
            // (an article whose file name changed is a new entry)
            for a in &some {
                if self
                    .cards
                    .get(&addr(&a.text))
                    .is_some_and(|(_, (file, _))| *file != a.file)
                {
                    self.cards.remove(&addr(&a.text));
                }
            }
            let by_text: FxHashMap<usize, &Article> =
                some.iter().map(|a| (addr(&a.text), *a)).collect();
            let card = |t: &str| {
                let a = by_text[&(t.as_ptr() as usize)];
                (a.file.clone(), card_fp(a))
            };
            if some.len() == b.articles.len() {
                remember(&mut self.cards, texts, card);
            } else {
                remember_few(&mut self.cards, texts, b.articles.len(), every, card);
            }
        }
        // `Dep::Mentions` (an annotation edit leaves what the link stage
        // derives from the articles as it was)
        let relinked_slugs: Option<Vec<&Slug>> = match (scope, partial) {
            (Scope::Relinked(r, _), Some(_)) => Some(
                r.articles
                    .iter()
                    .filter_map(|&i| b.articles.get(i).map(|a| &a.slug))
                    .collect(),
            ),
            _ => None,
        };
        match (&mut self.mentions, scope, &relinked_slugs) {
            (Some(_), Scope::Annotations(_), _) => {}
            (Some(m), Scope::Relinked(..), Some(slugs)) => m.relinked(&b.links, slugs),
            _ => self.mentions = Some(MentionsParts::new(&b.links)),
        }
        // `Dep::Cards`: after re-linking (the same articles in the same
        // order) the parts of the articles it changed again, else all
        match (self.cards_whole, scope, partial) {
            (Some(_), Scope::Annotations(_), _) => {}
            (Some(_), Scope::Relinked(r, _), Some(_))
                if self.card_parts.len() == b.articles.len() =>
            {
                for &i in &r.articles {
                    if let Some(a) = b.articles.get(i) {
                        self.card_parts[i] = card_part(&self.cards, a);
                    }
                }
                self.cards_whole = Some(cards_whole(b, &self.card_parts));
            }
            _ => {
                let cards = &self.cards;
                self.card_parts = b.articles.par_iter().map(|a| card_part(cards, a)).collect();
                self.cards_whole = Some(cards_whole(b, &self.card_parts));
            }
        }
        let anns = &b.annotations;
        match partial {
            Some(t) => {
                let now: Vec<&Arc<Annotation>> =
                    t.articles.iter().flat_map(|s| anns.of_article(s)).collect();
                remember_few(
                    &mut self.annotations,
                    now,
                    anns.len(),
                    || anns.all().iter().collect(),
                    |a| (debug_fp(a), set_fp(a)),
                );
                let notes = anns.notes_of(&t.articles);
                remember_few(
                    &mut self.notes,
                    notes.values().flatten().copied().collect(),
                    anns.notes_len(),
                    || anns.article_notes().iter().collect(),
                    debug_fp,
                );
            }
            None => {
                remember(&mut self.annotations, anns.all().iter().collect(), |a| {
                    (debug_fp(a), set_fp(a))
                });
                remember(
                    &mut self.notes,
                    anns.article_notes().iter().collect(),
                    debug_fp,
                );
            }
        }
        let annotations = &self.annotations;
        let article_fp = |x: &ArticleAnnotations| {
            let ArticleAnnotations {
                article_note_html,
                sidenotes,
                // the annotations in `sidenotes`, in text order (their
                // order follows from their ranges, in their fingerprints)
                annotations: _,
                // their HTML is `article_note_html`; `Dep::Notes` covers
                // what they say
                notes: _,
            } = x;
            let mut h = Fp::default();
            // (the highlights are made from the annotations when asked)
            h.feed(article_note_html).debug(&x.highlights());
            sidenotes.len().feed(&mut h);
            for (end, anns) in sidenotes {
                h.feed(end).feed(&anns.len());
                for a in anns {
                    match annotations.get(&addr(a)) {
                        Some((_, (fp, _))) => h.feed(fp),
                        None => h.debug(&**a),
                    };
                }
            }
            h.finish()
        };
        let mut articles = std::mem::take(&mut self.articles);
        match partial {
            Some(t) => remember_few(
                &mut articles,
                t.articles
                    .iter()
                    .filter_map(|s| anns.by_article.get(s))
                    .collect(),
                anns.by_article.len(),
                || anns.by_article.values().collect(),
                article_fp,
            ),
            None => remember(
                &mut articles,
                anns.by_article.values().collect(),
                article_fp,
            ),
        }
        self.articles = articles;
        // the dependencies, and what each had
        let before: Option<(Vec<Dep>, Vec<Parts>)> = match deps {
            Some(deps) => {
                let mut list: Vec<Dep> = deps.into_iter().cloned().collect();
                list.extend([Dep::AnnotationSet, Dep::Events]);
                list.sort_unstable();
                list.dedup();
                let old = std::mem::replace(&mut self.deps, list);
                Some((old, std::mem::take(&mut self.fps)))
            }
            None => None,
        };
        if scope == Scope::Everything || self.order.0.len() != b.articles.len() {
            self.order = Order::new(b);
            self.ranks.clear();
        }
        match partial {
            Some(t) => {
                for (i, p) in self.some_articles(b, &t.articles) {
                    self.per[i] = p;
                }
            }
            None => self.per = self.every_article(b),
        }
        if before.is_some() || self.ranks.len() != self.deps.len() {
            let mut cursor = self.order.cursor();
            self.ranks = self
                .deps
                .iter()
                .map(|d| match d {
                    Dep::Article(s) | Dep::Notes(s) => cursor.rank(s).map(|r| r as u32),
                    _ => None,
                })
                .collect();
        }
        let view = View::new(b, self);
        let previous = |i: usize, d: &Dep| -> Option<&(Fingerprint, Fingerprint)> {
            match &before {
                None => self.fps.get(i),
                Some((deps, fps)) => deps.binary_search(d).ok().and_then(|j| fps.get(j)),
            }
        };
        let relinked = match scope {
            Scope::Relinked(r, _) => Some(relinked_parts(&b.links, r)),
            _ => None,
        };
        // whether a dependency's annotated part is kept (the per-article
        // ones are kept in `per`)
        let kept_annotated = |d: &Dep| match (partial, d) {
            (Some(t), Dep::Entity(e)) => {
                !l_entity_slug(b, *e).is_some_and(|s| t.entities.contains(s))
            }
            (Some(t), Dep::Events) => !t.timeline,
            _ => false,
        };
        // the slugs of the articles whose own part may differ after
        // re-linking (a few: compared, not looked up)
        let relinked_articles: Vec<&Slug> = match &relinked {
            Some((articles, _)) => articles
                .iter()
                .filter_map(|&i| b.articles.get(i).map(|a| &a.slug))
                .collect(),
            None => Vec::new(),
        };
        // whether a dependency's own part may differ (see `Scope`)
        let kept = |d: &Dep| match (scope, &relinked) {
            (Scope::Everything, _) => false,
            (Scope::Annotations(_), _) => true,
            (Scope::Relinked(..), Some((_, entities))) => match d {
                Dep::Article(s) => !relinked_articles.contains(&s),
                Dep::Entity(e) => !entities.contains(e),
                // (the briefing's own parts: the cards, the counts)
                Dep::Cards | Dep::Mentions | Dep::Summary => false,
                Dep::Registry | Dep::Outlets | Dep::Editions => true,
                Dep::Annotations
                | Dep::AnnotationSet
                | Dep::Notes(_)
                | Dep::Events
                | Dep::Claims => true,
            },
            (Scope::Relinked(..), None) => false,
        };
        let fps: Vec<(Fingerprint, Fingerprint)> = self
            .deps
            .par_iter()
            .enumerate()
            .map(|(i, d)| {
                let old = previous(i, d);
                let base = match old {
                    Some((base, _)) if kept(d) => *base,
                    _ => view.base(d),
                };
                let annotated = match old {
                    Some((_, annotated)) if kept_annotated(d) => *annotated,
                    _ => view.annotated(d, self.ranks[i]),
                };
                (base, annotated)
            })
            .collect();
        let mut changed = BTreeSet::new();
        for (i, (d, fp)) in self.deps.iter().zip(&fps).enumerate() {
            if previous(i, d) != Some(fp) {
                changed.insert(d.clone());
            }
        }
        if let Some((old, _)) = &before {
            for d in old {
                if self.deps.binary_search(d).is_err() {
                    changed.insert(d.clone());
                }
            }
        }
        self.fps = fps;
        changed
    }

    /// The fingerprint of one dependency, when it was worked out.
    pub fn get(&self, d: &Dep) -> Option<Fingerprint> {
        let i = self.deps.binary_search(d).ok()?;
        let (a, n) = self.fps.get(i)?;
        let mut h = Fp::default();
        h.feed(a).feed(n);
        Some(h.finish())
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
        annotations: _, // `Dep::Annotations`, `AnnotationSet`, `Notes`, `Claims`, `Article`, `Summary`
        links,
        outlets: _,     // `Dep::Outlets`
        profile: _,     // set when the session starts: a change rebuilds everything
        held: _,        // `Dep::Cards` (which articles there are)
        leak: _,        // checks the output, shown on no page
        next_change: _, // when the session must build again, shown on no page
        editions: _,    // `Dep::Editions`
        warnings: _,    // printed, shown on no page
    } = b;
    let Links {
        registry: _,         // `Dep::Registry`, `Dep::Mentions`, `Dep::Entity` (its entry)
        mentions: _,         // `Dep::Article`
        article_entities: _, // `Dep::Mentions`, `Dep::Article` (its own)
        occurrences: _,      // `Dep::Entity`
        mention_counts: _,   // `Dep::Mentions`, `Dep::Article` and `Dep::Entity` (those shown)
        entity_articles: _,  // `Dep::Entity`
        previews: _,         // `Dep::Registry`, `Dep::Mentions`, `Dep::Entity`
        markup: _,           // `Dep::Registry`, `Dep::Mentions`
        article_index: _,    // derived from the articles' order: `Dep::Cards`
        cooccurring: _,      // `Dep::Entity`
        related: _,          // `Dep::Article`
        backlinks: _,        // `Dep::Article`
        entity_notes: _,     // `Dep::Entity`
        timeline: _,         // `Dep::Events`
        matcher: _,          // compiled from the registry: `Dep::Mentions`
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
        draft,
        embargo,
        held: _,        // (fed by the caller: `card_fp` is remembered by text)
        body_offset: _, // the body: `Dep::Article`
        text: _,
    } = a;
    h.feed(file)
        .feed(slug)
        .feed(title)
        .feed(date)
        .feed(byline)
        .feed(outlet)
        .feed(url)
        .debug(published)
        .debug(modified)
        .feed(source)
        .feed(seed_sha256)
        .feed(summary)
        .debug(figures)
        .feed(tags)
        .feed(draft)
        .debug(embargo);
}

/// [`card`] as a fingerprint: everything in it is parsed from the
/// article's file name and text (`content::parse_article`), so it is
/// remembered by the text's `Arc` and the file name (what the build holds
/// back, set after parsing, is fed beside it).
fn card_fp(a: &Article) -> Fingerprint {
    let mut h = Fp::default();
    card(&mut h, a);
    h.finish()
}

impl View<'_> {
    /// The part of a dependency's fingerprint from the articles, the
    /// sources, the summary's text and the link stage's mentions.
    fn base(&self, d: &Dep) -> Fingerprint {
        let (b, l) = (self.b, &self.b.links);
        let mut h = Fp::default();
        match d {
            // (in parts kept across updates)
            Dep::Cards => {
                return match self.memo.cards_whole {
                    Some(fp) => fp,
                    None => {
                        let parts: Vec<Fingerprint> = b
                            .articles
                            .iter()
                            .map(|a| card_part(&self.memo.cards, a))
                            .collect();
                        cards_whole(b, &parts)
                    }
                };
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
                    // an article is parsed from its file's name and text
                    // alone (`content::parse_article`): they cover its
                    // front matter and body
                    // (but for what assembling decides: held back)
                    h.feed(&a.file).feed(&a.body_offset).debug(&a.held);
                    match self.memo.texts.get(&addr(&a.text)) {
                        Some((_, fp)) => h.feed(fp),
                        None => h.feed(&*a.text),
                    };
                    h.feed(&l.mentions.get(s)).feed(&l.related.get(s));
                    // the entities it names, with how often the briefing
                    // names each (its chips)
                    let named = l.article_entities.get(s).map_or(&[][..], Vec::as_slice);
                    named.len().feed(&mut h);
                    for &(e, n) in named {
                        h.feed(&e).feed(&n).feed(&l.mention_counts.get(e));
                    }
                    match a.source.as_ref().and_then(|n| b.sources.get(n)) {
                        Some(v) => h.feed(&v.name).debug(&v.report),
                        None => {
                            h.0.push(0);
                            &mut h
                        }
                    };
                }
            },
            // (in parts kept across updates)
            Dep::Mentions => {
                return match &self.memo.mentions {
                    Some(m) => m.whole,
                    None => MentionsParts::new(l).whole,
                };
            }
            Dep::Entity(i) => {
                h.debug(&l.registry.entities.get(*i))
                    .feed(&l.previews.get(*i))
                    .feed(&l.occurrences.get(*i))
                    .feed(&l.entity_articles.get(*i))
                    .feed(&l.cooccurring.get(*i))
                    .feed(&l.mention_counts.get(*i));
                // the co-occurring entities it shows, with their counts
                let shown = l.cooccurring.get(*i).map_or(&[][..], Vec::as_slice);
                for c in shown.iter().take(super::entities::COOCCURRING_SHOWN) {
                    h.feed(&l.mention_counts.get(c.entity));
                }
            }
            Dep::Registry => {
                return match &self.memo.mentions {
                    Some(m) => m.registry,
                    None => registry_fp(l),
                };
            }
            Dep::Outlets => {
                h.debug(&*b.outlets);
            }
            Dep::Editions => {
                for e in &b.editions.editions {
                    h.feed(&e.name).feed(&e.file).bytes(&e.digest);
                }
            }
            Dep::Annotations | Dep::AnnotationSet | Dep::Notes(_) | Dep::Events | Dep::Claims => {}
        }
        h.finish()
    }

    /// The part of a dependency's fingerprint from the annotations and
    /// what they feed.
    fn annotated(&self, d: &Dep, rank: Option<u32>) -> Fingerprint {
        let (b, l) = (self.b, &self.b.links);
        let anns = &b.annotations;
        let rank = rank.map(|r| r as usize);
        let mut h = Fp::default();
        match d {
            Dep::Cards | Dep::Mentions | Dep::Registry | Dep::Outlets | Dep::Editions => {}
            Dep::Summary => {
                h.feed(&anns.summary_html).debug(&anns.summary_targets);
            }
            // (worked out per article already)
            Dep::Article(_) => return rank.map_or([0; 16], |i| self.memo.per[i].article),
            Dep::Entity(i) => {
                let slug = l.registry.entities.get(*i).map(|e| &e.slug);
                h.feed(&slug.and_then(|s| l.entity_notes.get(s)));
            }
            Dep::Annotations => return self.annotations,
            Dep::AnnotationSet => return self.set,
            Dep::Notes(_) => return rank.map_or([0; 16], |i| self.memo.per[i].notes),
            Dep::Claims => return self.claims,
            Dep::Events => {
                let crate::link::timeline::Timeline { entries, undated } = &l.timeline;
                h.feed(entries).feed(undated);
            }
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slug(i: usize) -> Slug {
        Slug::parse(&format!("a-{i}")).unwrap()
    }

    /// Links with `lists[i]` the entities article `i` names, and the
    /// counts they add up to.
    fn links(lists: &[Vec<(usize, usize)>]) -> Links {
        let mut l = Links {
            mention_counts: vec![0; 8],
            ..Links::default()
        };
        for (i, v) in lists.iter().enumerate() {
            for &(e, n) in v {
                l.mention_counts[e] += n;
            }
            l.article_entities.insert(slug(i), v.clone());
        }
        l
    }

    fn list() -> impl Strategy<Value = Vec<(usize, usize)>> {
        proptest::collection::vec((0..8usize, 1..4usize), 0..4)
    }

    proptest! {
        /// Kept parts with the re-linked articles' worked out again give
        /// what working out every part gives, and an edit that changes
        /// what an article names changes the whole.
        #[test]
        fn relinked_mentions_are_those_of_a_fresh_start(
            lists in proptest::collection::vec(list(), 1..6),
            edits in proptest::collection::vec((0..6usize, list()), 1..5),
        ) {
            let mut now = lists.clone();
            let mut l = links(&now);
            let mut m = MentionsParts::new(&l);
            for (i, v) in edits {
                let i = i % now.len();
                let before = m.whole;
                let same = now[i] == v;
                now[i] = v;
                l = links(&now);
                m.relinked(&l, &[&slug(i)]);
                let fresh = MentionsParts::new(&l);
                prop_assert_eq!(m.whole, fresh.whole);
                prop_assert_eq!(&m.named, &fresh.named);
                prop_assert_eq!(same, m.whole == before);
            }
        }
    }

    /// An article whose list appeared (or went) without being named as
    /// re-linked has every part worked out again.
    #[test]
    fn a_list_appearing_elsewhere_works_out_every_part() {
        let mut l = links(&[vec![(0, 1)], vec![(1, 2)]]);
        let mut m = MentionsParts::new(&l);
        l.article_entities.insert(slug(7), vec![(2, 1)]);
        l.mention_counts[2] += 1;
        m.relinked(&l, &[&slug(0)]);
        assert_eq!(m.whole, MentionsParts::new(&l).whole);
        assert_eq!(m.named.len(), 3);
    }

    /// The registry's part is kept by `relinked` (re-linking leaves the
    /// registry as it is) and covers the previews.
    #[test]
    fn the_registry_part_covers_the_previews() {
        let mut l = links(&[vec![(0, 1)]]);
        let before = MentionsParts::new(&l);
        l.previews = vec!["an entity".into()];
        let after = MentionsParts::new(&l);
        assert_ne!(before.registry, after.registry);
        assert_ne!(before.whole, after.whole);
    }
}
