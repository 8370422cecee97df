//! The pages of a site and the data each template receives.

use super::PAGE_SIZE;
use super::{Output, Renderer};
use crate::assembled::Briefing;
use crate::content::Article;
use crate::diag::Problem;
use crate::markdown;
use crate::model::{SitePath, Slug};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::value::Key;

/// One page to render.
pub enum Job {
    Index,
    /// Page `n` (1-based) of the article archive.
    Archive(usize),
    Article(usize),
    Source(usize),
    NotFound,
    /// `annotations/`, `annotations/tags/<tag>/`, `annotations/claims/`
    /// (and their further pages), with what they list.
    Annotations(super::annotations::Page, Arc<super::annotations::Plan>),
    Entities,
    /// `entities/previews.js`: every entity's name, kind and description,
    /// once for the whole site, for the script's previews on hover.
    Previews,
    /// Page `n` (1-based) of an entity (by registry index).
    Entity(usize, usize),
    /// Page `n` (1-based) of the timeline.
    Timeline(usize),
    Search,
    /// The print edition: the whole briefing on one page.
    Edition,
    /// `sources/`: every registered outlet.
    Outlets,
    /// `sources/<slug>/`: one outlet (by registry index).
    Outlet(usize),
    /// `data/briefing.json`, the briefing as data.
    Data,
    /// `data/briefing.schema.json`, its JSON Schema.
    DataSchema,
    /// `changes/`: the briefing against the latest recorded edition.
    Changes,
    /// `editions/`: the recorded editions.
    Editions,
    /// `editions/<name>/`: an edition (by position, oldest first) against
    /// the one before.
    EditionChanges(usize),
}

/// Every page of the briefing, in a stable order: the largest pages (the
/// annotation listings, the entity pages) first, so that both cores are
/// still busy with small article pages at the end of a build instead of
/// one of them waiting for a large page.
pub fn jobs(b: &Briefing) -> Vec<Job> {
    let plan = Arc::new(super::annotations::Plan::new(b));
    // the edition first: it is the largest page
    let mut jobs: Vec<Job> = vec![Job::Edition];
    jobs.extend(
        plan.pages()
            .into_iter()
            .map(|p| Job::Annotations(p, plan.clone())),
    );
    for i in 0..b.links.registry.entities.len() {
        jobs.extend((1..=super::entities::entity_pages(b, i)).map(|n| Job::Entity(i, n)));
    }
    jobs.extend([
        Job::Data,
        Job::Index,
        Job::NotFound,
        Job::Search,
        Job::Entities,
        Job::Previews,
        Job::DataSchema,
    ]);
    if !b.editions.editions.is_empty() {
        jobs.extend([Job::Changes, Job::Editions]);
        jobs.extend((0..b.editions.editions.len()).map(Job::EditionChanges));
    }
    if b.outlets.present {
        jobs.push(Job::Outlets);
        jobs.extend((0..b.outlets.outlets.len()).map(Job::Outlet));
    }
    jobs.extend((1..=super::archive::page_count(b)).map(Job::Archive));
    jobs.extend((1..=super::timeline::page_count(b)).map(Job::Timeline));
    for (i, a) in b.articles.iter().enumerate() {
        jobs.push(Job::Article(i));
        if a.source.as_ref().is_some_and(|s| b.sources.contains_key(s)) {
            jobs.push(Job::Source(i));
        }
    }
    jobs
}

/// One part of the briefing a page is rendered from. What each covers is
/// its fingerprint ([`super::deps`], the one place that says it): the live
/// preview renders again the pages with a dependency whose fingerprint
/// changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dep {
    /// What lists of articles show of each: slug, title, date, byline,
    /// source, summary, tags, figures — and which articles there are.
    Cards,
    /// The executive summary and its annotations.
    Summary,
    /// One article: its text, annotations, mentions, related articles,
    /// backlinks and cleaning report.
    Article(Slug),
    /// Which entities each article mentions, and how often.
    Mentions,
    /// The entity registry: each entity's name, kind, aliases,
    /// description and preview (what a chip or a mention's link shows but
    /// its count).
    Registry,
    /// One entity (registry index): its mentions in context, co-occurring
    /// entities and the annotations naming it.
    Entity(usize),
    /// Anything about any annotation.
    Annotations,
    /// Which annotations there are, in which order, with which tags and
    /// claims (what decides the pages of the annotation listings).
    AnnotationSet,
    /// The annotations of one article: their passages, notes and labels.
    Notes(Slug),
    /// The timeline's events.
    Events,
    /// The claims: every annotation that is one (`.claim`), whole.
    Claims,
    /// The outlet registry (`sources.yaml`): names, grades, descriptions.
    Outlets,
    /// The recorded editions (`editions/`).
    Editions,
}

/// Everything a page depends on. A page not listing what it shows goes
/// stale in the live preview: keep [`Job::deps`] accurate.
pub type Deps = Vec<Dep>;

/// The "template" of a job made without one (`data/briefing.json`): no
/// template is called so, so no template edit renders it again.
pub const NO_TEMPLATE: &str = "";

impl Job {
    /// The template this job renders with; `None` when unknown (the page is
    /// then rendered again after any template change).
    pub fn template(&self) -> Option<&'static str> {
        use super::annotations::Page;
        Some(match self {
            Job::Index => "index.html",
            Job::Archive(_) => "archive.html",
            Job::Article(_) => "article.html",
            Job::Source(_) => "source.html",
            Job::NotFound => "404.html",
            Job::Annotations(Page::Index(_), _) => "annotations.html",
            Job::Annotations(Page::Tag(..), _) => "annotation_tag.html",
            Job::Annotations(Page::Claims, _) => "claims.html",
            Job::Annotations(Page::Claim(_), _) => "claim.html",
            Job::Outlets => "outlets.html",
            Job::Outlet(_) => "outlet.html",
            Job::Entities => "entities.html",
            Job::Entity(..) => "entity.html",
            Job::Timeline(_) => "timeline.html",
            Job::Search => "search.html",
            Job::Edition => "edition.html",
            Job::Changes | Job::EditionChanges(_) => "changes.html",
            Job::Editions => "editions.html",
            // (made without a template: no template edit renders them again)
            Job::Data | Job::DataSchema | Job::Previews => NO_TEMPLATE,
        })
    }

    /// What the page depends on. Keep this accurate when a page starts to
    /// show more data: the live preview trusts it.
    pub fn deps(&self, b: &Briefing) -> Deps {
        use Dep::*;
        match self {
            // related articles and backlinks show other articles' cards;
            // entity chips show how often each entity is named overall
            // (the counts of the entities it names are its `Article`'s);
            // the outlet with its grade, the claims' grades
            // (and the editions: "updated since first seen")
            Job::Article(i) => {
                let mut deps = vec![
                    Article(b.articles[*i].slug.clone()),
                    Cards,
                    Registry,
                    Outlets,
                ];
                if !b.editions.editions.is_empty() {
                    deps.push(Editions);
                }
                deps
            }
            Job::Source(i) => vec![Article(b.articles[*i].slug.clone()), Outlets],
            Job::NotFound | Job::Archive(_) => vec![Cards],
            // the box's example names the most-named entities
            Job::Search => vec![Mentions],
            // (with editions: how many changes since the latest, which
            // reads what `changes/` reads)
            Job::Index if !b.editions.editions.is_empty() => {
                let mut deps = changes_deps(b);
                deps.extend([Summary, Events]);
                deps
            }
            Job::Index => vec![Summary, Cards, Mentions, Events],
            // the briefing as an edition records it (every article's
            // text, the annotations, claims with their outlets' grades,
            // the entities) and the editions
            Job::Changes => changes_deps(b),
            // (the editions compared; what is still in the briefing is
            // linked: articles, annotations, claims, entities)
            Job::Editions => vec![Editions, Cards],
            Job::EditionChanges(_) => vec![Editions, Cards, AnnotationSet, Mentions],
            // a listing page shows the annotations of a few articles
            Job::Annotations(page, plan) => match plan.listed(page) {
                Some(listed) => {
                    let all = b.annotations.all();
                    // (the claims' grades: their outlets' letters)
                    let mut deps = vec![AnnotationSet, Cards, Outlets];
                    for &i in listed {
                        let d = Notes(all[i].article.clone());
                        if deps.last() != Some(&d) {
                            deps.push(d);
                        }
                    }
                    deps
                }
                None => vec![Annotations, Cards, Outlets],
            },
            // the outlets' articles (cards) and the claims they carry
            Job::Outlets | Job::Outlet(_) => vec![Outlets, Cards, Claims],
            Job::Entities => vec![Mentions],
            // (the counts of the entities it shows are its `Entity`'s)
            Job::Entity(i, _) => vec![Entity(*i), Cards, Registry],
            Job::Timeline(_) => vec![Events, Cards],
            // the summary, the articles it holds with their notes, the
            // claims, the entities each article names
            Job::Edition => {
                // (the entities each article names: its `Article`)
                let mut deps = vec![Summary, Cards, Registry, Claims, Outlets];
                // (which articles it holds, the newest, follows from the
                // cards: their dates and titles)
                for a in super::edition::articles(b) {
                    deps.extend([Article(a.slug.clone()), Notes(a.slug.clone())]);
                }
                deps
            }
            // articles with provenance, annotations with their anchors,
            // claims, entities with the articles naming them
            Job::Data => vec![Cards, Annotations, Mentions, Outlets, Editions],
            Job::DataSchema => vec![],
            // names, kinds and previews
            Job::Previews => vec![Registry],
        }
    }

    /// The path of the page this job renders.
    pub fn path(&self, b: &Briefing) -> SitePath {
        match self {
            Job::Index => SitePath::index(),
            Job::Archive(n) => super::archive::path().page(*n),
            Job::Article(i) => SitePath::article(&b.articles[*i].slug),
            Job::Source(i) => SitePath::article_source(&b.articles[*i].slug),
            Job::NotFound => SitePath::new("404.html"),
            Job::Annotations(p, _) => super::annotations::path(p),
            Job::Entities => SitePath::section("entities"),
            Job::Previews => SitePath::new(super::entities::PREVIEWS_PATH),
            Job::Entity(i, n) => super::entities::entity_path(b, *i, *n),
            Job::Timeline(n) => super::timeline::page_path(*n),
            Job::Search => SitePath::section("search"),
            Job::Edition => super::edition::path(),
            Job::Outlets => super::sources::index_path(),
            Job::Outlet(i) => super::sources::outlet_path(&b.outlets.outlets[*i].slug),
            Job::Data => SitePath::new(super::data::PATH),
            Job::DataSchema => SitePath::new(super::data::SCHEMA_PATH),
            Job::Changes => super::changes::path(),
            Job::Editions => super::changes::editions_path(),
            Job::EditionChanges(i) => super::changes::edition_path(&b.editions.editions[*i].name),
        }
    }

    pub fn run(&self, b: &Briefing, r: &Renderer, shared: &Shared) -> Result<Output, Problem> {
        match self {
            Job::Index => index(b, r, shared),
            Job::Archive(n) => super::archive::page(b, r, *n),
            Job::Article(i) => article(b, r, shared, &b.articles[*i]),
            Job::Source(i) => source(b, r, &b.articles[*i]),
            Job::NotFound => not_found(b, r),
            Job::Annotations(p, plan) => super::annotations::render(b, r, shared, plan, p),
            Job::Entities => super::entities::index(b, r),
            Job::Previews => Ok(super::entities::previews(b)),
            Job::Entity(i, n) => super::entities::entity(b, r, shared, *i, *n),
            Job::Timeline(n) => super::timeline::page(b, r, *n),
            Job::Search => super::publish::search_page(b, r),
            Job::Edition => super::edition::page(b, r),
            Job::Outlets => super::sources::index(b, r, shared),
            Job::Outlet(i) => super::sources::outlet(b, r, shared, *i),
            Job::Data => Ok(super::data::render(b)),
            Job::DataSchema => Ok(super::data::schema()),
            Job::Changes => super::changes::changes_page(b, r, shared),
            Job::Editions => super::changes::editions_page(b, r),
            Job::EditionChanges(i) => super::changes::edition_page(b, r, *i),
        }
    }
}

/// What `changes/` reads: the briefing as an edition records it, and the
/// editions.
fn changes_deps(b: &Briefing) -> Deps {
    use Dep::*;
    let mut deps = vec![Cards, Annotations, Mentions, Outlets, Editions];
    deps.extend(b.articles.iter().map(|a| Article(a.slug.clone())));
    deps
}

/// What several pages use, worked out once per rendering (on first use)
/// instead of once per page. It depends on the articles (slugs, dates,
/// order) and the entity registry only: the live preview keeps it across
/// annotation edits.
///
/// Its [fragments](super::fragments) are rendered with the templates: a
/// new renderer needs a new `Shared`.
#[derive(Default)]
pub struct Shared {
    depth2: std::sync::OnceLock<Depth2>,
    fragments: std::sync::OnceLock<Result<super::fragments::Fragments, Problem>>,
    /// [`Common`] as a Tera map, by the depth and section of a page.
    chrome: std::sync::Mutex<Chrome>,
    /// Each article's card ([`card_with`]) and each entity's reference
    /// (`EntityRef`) as Tera values, for pages two directories deep
    /// ([`Depth2`]), made on first use. A related list or a co-occurrence
    /// list names the same few thousand articles and entities on thousands
    /// of pages, and Tera takes a `tera::Value` in a context as it is (the
    /// clone of an `Arc`) instead of serialising it again.
    values: Values,
    /// The articles as an edition records them (for the changes pages),
    /// with the addresses of the texts they were made from: used only
    /// while the briefing's articles are those very texts.
    edition_articles: std::sync::Mutex<Option<(Vec<usize>, Arc<crate::editions::ArticleRecords>)>>,
}

impl Shared {
    /// The briefing's articles as an edition records them, made once for
    /// the pages that compare them with the editions.
    pub(super) fn edition_articles(&self, b: &Briefing) -> Arc<crate::editions::ArticleRecords> {
        let addr = |a: &Article| Arc::as_ptr(&a.text) as *const u8 as usize;
        let mut cached = self
            .edition_articles
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((at, records)) = &*cached
            && at.len() == b.articles.len()
            && at.iter().zip(&b.articles).all(|(x, a)| *x == addr(a))
        {
            return records.clone();
        }
        let addrs = b.articles.iter().map(addr).collect();
        let records = Arc::new(crate::editions::record_articles(&b.articles));
        *cached = Some((addrs, records.clone()));
        records
    }

    /// The briefing as an edition would record it now.
    pub(super) fn edition(&self, b: &Briefing) -> crate::editions::Edition {
        crate::editions::record_with(
            &self.edition_articles(b),
            &b.articles,
            &b.annotations,
            &b.outlets,
            &b.links.registry,
        )
    }
}

/// See [`Shared::card_value`] and [`Shared::entity_value`].
#[derive(Default)]
struct Values {
    /// By article position: the card and the text it was made from. The
    /// live preview keeps `Shared` across an article edit that leaves its
    /// title and date (a byline or summary may change): a card is used
    /// only while its article's text is the very text it was made from
    /// (held, so its address cannot be reused).
    cards: Slot<Vec<Slot<CardValue>>>,
    /// By registry index (made again when counts change, see
    /// [`Shared::refresh_counts`]).
    entities: Slot<Vec<Slot<tera::Value>>>,
}

/// A value made on first use.
type Slot<T> = std::sync::OnceLock<T>;

/// An article's card and the text it was made from.
type CardValue = (Arc<str>, tera::Value);

fn slots<T>(n: usize) -> Vec<std::sync::OnceLock<T>> {
    (0..n).map(|_| std::sync::OnceLock::new()).collect()
}

impl Shared {
    /// The card of article `i` (by position) as a page two directories
    /// deep shows it, as a Tera value.
    pub(super) fn card_value(&self, b: &Briefing, i: usize) -> tera::Value {
        let a = &b.articles[i];
        let make = || {
            tera::Value::from_serializable(&card_with(
                a,
                Cow::Borrowed(&self.depth2(b).articles[i]),
            ))
        };
        let cards = self.values.cards.get_or_init(|| slots(b.articles.len()));
        match cards.get(i) {
            Some(slot) => {
                let (text, v) = slot.get_or_init(|| (a.text.clone(), make()));
                if Arc::ptr_eq(text, &a.text) {
                    v.clone()
                } else {
                    make()
                }
            }
            None => make(),
        }
    }

    /// The reference to entity `i` (by registry index) as a page two
    /// directories deep shows it (`EntityRef`), as a Tera value.
    pub(super) fn entity_value(&self, b: &Briefing, i: usize) -> tera::Value {
        let make = || {
            let url = Cow::Borrowed(self.depth2(b).entities[i].as_str());
            tera::Value::from_serializable(&super::entities::entity_ref_with(b, i, url))
        };
        let refs = self
            .values
            .entities
            .get_or_init(|| slots(b.links.registry.entities.len()));
        match refs.get(i) {
            Some(slot) => slot.get_or_init(make).clone(),
            None => make(),
        }
    }
}

/// Links from a page two directories deep — an article page
/// (`articles/x/index.html`) or an entity page (`entities/x/…`): the same
/// strings from every such page, and each is needed by thousands of them
/// (an article page links to the ~50 entities it names, an entity page
/// lists every article naming it).
pub(super) struct Depth2 {
    /// The URL of each article page (by position).
    pub articles: Vec<String>,
    /// Each article's day, for lists.
    pub days: Vec<Option<DateView>>,
    /// The URL of each entity page (by registry index).
    pub entities: Vec<String>,
}

impl Shared {
    pub(super) fn depth2(&self, b: &Briefing) -> &Depth2 {
        self.depth2.get_or_init(|| {
            let at = SitePath::entity(&Slug::parse("x").expect("a slug"));
            Depth2 {
                articles: b
                    .articles
                    .iter()
                    .map(|a| SitePath::article(&a.slug).relative_from(&at))
                    .collect(),
                days: b
                    .articles
                    .iter()
                    .map(|a| a.date.as_ref().map(day_view))
                    .collect(),
                entities: b
                    .links
                    .registry
                    .entities
                    .iter()
                    .map(|e| SitePath::entity(&e.slug).relative_from(&at))
                    .collect(),
            }
        })
    }
}

impl Shared {
    /// After an edit that changed no article's card and no entity but the
    /// counts of `entities` (an article's body, see `link::relink`): the
    /// chips of those entities made again, everything else kept. (What
    /// `Shared` holds depends on the articles' slugs, titles, dates and
    /// order, the registry and the entities' counts only.)
    pub fn refresh_counts(&mut self, b: &Briefing, r: &Renderer, entities: &[usize]) {
        if let Some(refs) = self.values.entities.get_mut() {
            for &i in entities {
                if let Some(slot) = refs.get_mut(i) {
                    *slot = std::sync::OnceLock::new();
                }
            }
        }
        let (Some(d2), Some(Ok(f))) = (self.depth2.get(), self.fragments.get_mut()) else {
            return;
        };
        for &i in entities {
            match super::fragments::chip(b, r, d2, i) {
                Ok(chip) if i < f.chips.len() => f.chips[i] = chip,
                _ => {
                    // made again on first use, reporting its error then
                    self.fragments = std::sync::OnceLock::new();
                    return;
                }
            }
        }
    }
}

impl Shared {
    /// The fragments (rendered on first use; a template error in one of
    /// them is every page's that needs them).
    pub(super) fn fragments(
        &self,
        b: &Briefing,
        r: &Renderer,
    ) -> Result<&super::fragments::Fragments, Problem> {
        self.fragments
            .get_or_init(|| super::fragments::render(b, r, self.depth2(b)))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Shared {
    /// What every page's template gets as `page` ([`common`]), for the
    /// page at `at`: made once for all the pages at its depth in its
    /// section (they link to the same stylesheets and sections), then only
    /// the title and canonical URL differ.
    pub(super) fn page(&self, b: &Briefing, at: &SitePath, page_title: &str) -> tera::Value {
        let key = (at.dir_depth(), section_of(at));
        let found = self.lock_chrome().get(&key).cloned();
        let base = match found {
            Some(m) => m,
            None => {
                let m = tera::Value::from_serializable(&common(b, at, page_title))
                    .into_map()
                    .unwrap_or_default();
                let m = Arc::new(m);
                self.lock_chrome().insert(key, m.clone());
                m
            }
        };
        let mut m = (*base).clone();
        m.insert(Key::Str("page_title"), page_title.into());
        m.insert(Key::Str("canonical"), b.config.absolute(at).into());
        tera::Value::from(m)
    }

    fn lock_chrome(&self) -> std::sync::MutexGuard<'_, Chrome> {
        self.chrome.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// [`Common`] as Tera maps, by (depth, section) of the pages they are for.
type Chrome = BTreeMap<(usize, Option<usize>), Arc<tera::Map>>;

/// The site section (index into [`SECTIONS`]) a page is in.
fn section_of(at: &SitePath) -> Option<usize> {
    SECTIONS.iter().position(|(_, dir)| {
        at.as_str()
            .strip_prefix(dir)
            .is_some_and(|r| r.starts_with('/'))
    })
}

/// Whether links from `at` are those of [`Depth2`].
pub(super) fn is_depth2(at: &SitePath) -> bool {
    at.as_str().matches('/').count() == 2
}

/// What every page's template gets.
#[derive(Serialize)]
pub(super) struct Common {
    site_title: String,
    language: String,
    description: String,
    page_title: String,
    /// Relative prefix to the site root ("", "../", "../../").
    root: String,
    canonical: String,
    css: String,
    syntax_css: String,
    js: String,
    home: String,
    /// Site sections for the masthead.
    nav: Vec<NavItem>,
    /// `public` or `internal`.
    profile: &'static str,
    /// An internal build: pages say so, and ask not to be indexed.
    internal: bool,
}

#[derive(Serialize)]
struct NavItem {
    label: &'static str,
    url: String,
    current: bool,
}

/// The site's sections, in masthead order.
const SECTIONS: &[(&str, &str)] = &[
    ("Articles", "articles"),
    ("Entities", "entities"),
    ("Timeline", "timeline"),
    ("Annotations", "annotations"),
    ("Search", "search"),
];

pub(super) fn common(b: &Briefing, at: &SitePath, page_title: &str) -> Common {
    let url = |p: SitePath| p.relative_from(at);
    Common {
        site_title: b.config.title.clone(),
        language: b.config.language.clone(),
        description: b.config.description.clone(),
        page_title: page_title.to_string(),
        root: SitePath::new("").relative_from(at),
        canonical: b.config.absolute(at),
        css: url(SitePath::asset("style.css")),
        syntax_css: url(SitePath::asset("syntax.css")),
        js: url(SitePath::asset("briefing.js")),
        home: url(SitePath::index()),
        profile: b.profile.as_str(),
        internal: b.profile == crate::holdback::Profile::Internal,
        nav: SECTIONS
            .iter()
            .enumerate()
            .map(|(i, (label, dir))| NavItem {
                label,
                current: section_of(at) == Some(i),
                url: url(SitePath::section(dir)),
            })
            .collect(),
    }
}

/// A date for people ("6 December 2024, 15:39") and for machines.
#[derive(Serialize, Clone)]
pub struct DateView {
    pub display: String,
    pub iso: String,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(d: &jiff::civil::DateTime) -> &'static str {
    MONTHS[(d.month() as usize).clamp(1, 12) - 1]
}

/// `date` as `YYYY-MM-DD`.
fn iso_day(d: &jiff::civil::DateTime) -> String {
    let mut s = String::with_capacity(10);
    push_iso_day(&mut s, d);
    s
}

/// `n` in decimal, at least `width` digits (zero-padded), without the
/// formatting machinery (`date_view` runs for every date of every
/// listing).
fn push_num(out: &mut String, n: i64, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n.unsigned_abs());
    let mut width = width;
    if n < 0 {
        // (as `format!("{:04}")`: the sign counts in the width)
        out.push('-');
        width = width.saturating_sub(1);
    }
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

/// `strftime` parses its format on every call, and `format!` is slow for
/// what it does here: these are written out, as every listing formats
/// thousands of dates.
pub fn date_view(d: &jiff::civil::DateTime) -> DateView {
    let month = month_name(d);
    let mut display = String::with_capacity(month.len() + 16);
    push_num(&mut display, d.day().into(), 0);
    display.push(' ');
    display.push_str(month);
    display.push(' ');
    push_num(&mut display, d.year().into(), 0);
    if d.time() != jiff::civil::Time::midnight() {
        display.push_str(", ");
        push_num(&mut display, d.hour().into(), 2);
        display.push(':');
        push_num(&mut display, d.minute().into(), 2);
    }
    let mut iso = String::with_capacity(19);
    push_iso_day(&mut iso, d);
    iso.push('T');
    push_num(&mut iso, d.hour().into(), 2);
    iso.push(':');
    push_num(&mut iso, d.minute().into(), 2);
    iso.push(':');
    push_num(&mut iso, d.second().into(), 2);
    DateView { display, iso }
}

/// [`iso_day`], appended to `out`.
fn push_iso_day(out: &mut String, d: &jiff::civil::DateTime) {
    push_num(out, d.year().into(), 4);
    out.push('-');
    push_num(out, d.month().into(), 2);
    out.push('-');
    push_num(out, d.day().into(), 2);
}

/// A date without its time, for compact lists ("6 Dec 2024").
pub fn day_view(d: &jiff::civil::DateTime) -> DateView {
    DateView {
        display: format!("{} {} {}", d.day(), &month_name(d)[..3], d.year()),
        iso: iso_day(d),
    }
}

#[derive(Serialize)]
pub(super) struct ArticleCard<'a> {
    title: &'a str,
    url: Cow<'a, str>,
    date: Option<DateView>,
    byline: Option<&'a str>,
    summary: &'a str,
    /// Why a public build would hold it back (only an internal build
    /// shows held articles).
    held: Option<HeldView>,
}

/// A held-back article's badge: `kind` for its class (`draft`,
/// `embargoed`), `label` for people.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct HeldView {
    pub kind: &'static str,
    pub label: String,
}

/// The badge of an article an internal build shows but a public one
/// holds back.
pub fn held_view(a: &Article) -> Option<HeldView> {
    a.held.as_ref().map(|h| HeldView {
        kind: h.kind(),
        label: h.label(),
    })
}

pub(super) fn card<'a>(a: &'a Article, at: &SitePath) -> ArticleCard<'a> {
    card_with(a, SitePath::article(&a.slug).relative_from(at).into())
}

/// [`card`] with the article's URL already known.
pub(super) fn card_with<'a>(a: &'a Article, url: Cow<'a, str>) -> ArticleCard<'a> {
    ArticleCard {
        title: &a.title,
        url,
        date: a.date.as_ref().map(date_view),
        byline: a.byline.as_deref(),
        summary: &a.summary,
        held: held_view(a),
    }
}

/// Links between the pages of a paginated listing (`pager.html`).
#[derive(Serialize)]
pub struct Pager {
    label: &'static str,
    prev_label: &'static str,
    next_label: &'static str,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last pages, and those around the current one; a gap
    /// stands for the pages left out.
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    gap: bool,
}

impl Pager {
    /// Say what the previous and next pages hold (newer and older by
    /// default).
    pub fn labels(&mut self, prev: &'static str, next: &'static str) {
        self.prev_label = prev;
        self.next_label = next;
    }
}

/// The pager of page `current` (1-based) of `total`, for the page at `at`;
/// `path_of(n)` is page `n`.
pub(super) fn pager(
    total: usize,
    current: usize,
    at: &SitePath,
    path_of: impl Fn(usize) -> SitePath,
) -> Pager {
    const AROUND: usize = 2;
    let url = |n: usize| path_of(n).relative_from(at);
    let mut pages = Vec::new();
    for n in 1..=total {
        let near = n + AROUND >= current && n <= current + AROUND;
        if n == 1 || n == total || near {
            pages.push(PagerLink {
                number: n,
                url: url(n),
                current: n == current,
                gap: false,
            });
        } else if pages.last().is_some_and(|p: &PagerLink| !p.gap) {
            pages.push(PagerLink {
                number: n,
                url: String::new(),
                current: false,
                gap: true,
            });
        }
    }
    Pager {
        label: "Pages",
        prev_label: "← Newer",
        next_label: "Older →",
        prev: (current > 1).then(|| url(current - 1)),
        next: (current < total).then(|| url(current + 1)),
        pages,
    }
}

/// A page (its bytes from [`Renderer::page`]).
pub(super) fn output(path: SitePath, bytes: Vec<u8>) -> Output {
    Output { path, bytes }
}

/// How many of the most recent articles the front page shows.
pub const RECENT_ARTICLES: usize = 30;

fn index(b: &Briefing, r: &Renderer, shared: &Shared) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: Common,
        summary_title: Option<String>,
        summary_html: Option<String>,
        /// The most recent articles.
        articles: Vec<ArticleCard<'a>>,
        /// Every article.
        total: usize,
        archive_url: String,
        key_entities: Vec<super::entities::EntityRef<'a>>,
        timeline_svg: String,
        timeline_url: String,
        edition_url: String,
        /// How many changes since the latest recorded edition.
        changes: Option<super::changes::IndexNote>,
    }
    let at = SitePath::index();
    let ctx = Ctx {
        page: common(b, &at, &b.config.title),
        summary_title: b.summary.as_ref().and_then(|s| s.title.clone()),
        summary_html: b.annotations.summary_html.clone().or_else(|| {
            b.summary
                .as_ref()
                .map(|s| markdown::render_typographic(&s.body))
        }),
        articles: b
            .articles
            .iter()
            .take(RECENT_ARTICLES)
            .map(|a| card(a, &at))
            .collect(),
        total: b.articles.len(),
        archive_url: super::archive::path().relative_from(&at),
        key_entities: super::entities::key_entities(b, &at, 12),
        timeline_svg: super::timeline::strip_svg(b, &at),
        timeline_url: SitePath::section("timeline").relative_from(&at),
        edition_url: super::edition::path().relative_from(&at),
        changes: super::changes::index_note(b, shared, &at),
    };
    Ok(output(at, r.page("index.html", &ctx, PAGE_SIZE)?))
}

#[derive(Serialize)]
struct FigureView<'a> {
    caption: &'a str,
    credit: Option<&'a str>,
}

fn article(b: &Briefing, r: &Renderer, shared: &Shared, a: &Article) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: tera::Value,
        title: &'a str,
        /// The outlet, the date shown, "updated", the original's link.
        #[serde(flatten)]
        cite: super::provenance::Cite<'a>,
        /// The outlet with its reliability letter (over `cite.outlet`),
        /// when the briefing grades its outlets.
        #[serde(rename = "graded_outlet")]
        outlet: Option<super::sources::OutletRef<'a>>,
        /// The JSON-LD `NewsArticle` block, escaped for `<script>`.
        json_ld: String,
        byline: Option<&'a str>,
        figures: Vec<FigureView<'a>>,
        tags: &'a [String],
        body_html: String,
        /// Why a public build holds it back (internal builds only).
        held: Option<HeldView>,
        /// Its text differs from the first edition that held it.
        updated_since: Option<super::changes::UpdatedView>,
        /// Whether the first paragraph is the standfirst (see [`standfirst`]).
        standfirst: bool,
        article_note_html: Option<&'a str>,
        source_url: Option<String>,
        source_name: Option<&'a str>,
        #[serde(flatten)]
        links: super::entities::ArticleLinks<'a>,
    }
    let at = SitePath::article(&a.slug);
    let notes = b.annotations.for_article(&a.slug);
    // made for this page only (see `Links::mention_spans`)
    let mentions = b.links.mention_spans(&a.slug);
    let sidenotes = notes
        .map(|x| {
            x.after_block_graded(&a.slug, |n| {
                super::sources::grade_of(b, n).map(|g| (g.to_string(), g.meaning()))
            })
        })
        .unwrap_or_default();
    // (made for this page only too)
    let highlights = notes.map(|x| x.highlights()).unwrap_or_default();
    let body_html = markdown::render_with(a.body(), highlights.iter().chain(&mentions), &sidenotes);
    let has_source = a.source.as_ref().is_some_and(|s| b.sources.contains_key(s));
    let mut page = shared.page(b, &at, &a.title);
    if !a.summary.trim().is_empty() {
        // the article's own description (meta description, Open Graph)
        let mut m = page.into_map().unwrap_or_default();
        m.insert(
            Key::Str("description"),
            meta_description(a.summary.trim()).into(),
        );
        page = tera::Value::from(m);
    }
    let ctx = Ctx {
        page,
        title: &a.title,
        cite: super::provenance::cite(a),
        outlet: super::sources::outlet_ref(b, a, &at),
        json_ld: super::provenance::json_ld(a, &b.config.absolute(&at)),
        byline: a.byline.as_deref(),
        figures: a
            .figures
            .iter()
            .map(|f| FigureView {
                caption: &f.caption,
                credit: f.credit.as_deref(),
            })
            .collect(),
        tags: &a.tags,
        body_html,
        held: held_view(a),
        updated_since: super::changes::updated_since_first_seen(b, shared, a, &at),
        standfirst: standfirst(a),
        article_note_html: notes.and_then(|x| x.article_note_html.as_deref()),
        source_url: has_source.then(|| SitePath::article_source(&a.slug).relative_from(&at)),
        source_name: a.source.as_deref(),
        links: super::entities::article_links(b, r, a, &at, shared)?,
    };
    // the page is the body and about 10 KB of chrome and lists
    let size = ctx.body_html.len() + 16 * 1024;
    Ok(output(at, r.page("article.html", &ctx, size)?))
}

/// Words a standfirst has at most.
const STANDFIRST_WORDS: usize = 45;

/// Whether an article's first paragraph reads as its standfirst and is
/// set as one: it is the article's summary (which `clean` takes from the
/// lede, and an analyst may write), at most [`STANDFIRST_WORDS`] words and
/// one or two sentences. A first paragraph of reporting is body text.
pub fn standfirst(a: &Article) -> bool {
    // the words must be the summary's: a summary of no words or too many
    // settles it without parsing the body (most summaries that `clean`
    // takes from a long lede)
    let words = a.summary.split_whitespace().count();
    if words == 0 || words > STANDFIRST_WORDS {
        return false;
    }
    let first = crate::content::first_paragraph_text(a.body());
    let n = first.split_whitespace().count();
    let sentences = first
        .split_inclusive(['.', '!', '?'])
        .filter(|s| s.trim().chars().count() > 3)
        .count();
    n > 0
        && n <= STANDFIRST_WORDS
        && sentences <= 2
        && first.split_whitespace().eq(a.summary.split_whitespace())
}

fn source(b: &Briefing, r: &Renderer, a: &Article) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct BlockView {
        line: usize,
        text: String,
        verdict: crate::clean::Verdict,
        reason: String,
        /// The model's estimate that the block is article text, in
        /// percent, when the reason gives one (`(p=0.98)`).
        score: Option<u32>,
    }
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: Common,
        title: String,
        article_url: String,
        source_name: String,
        /// Where the article comes from (front matter).
        outlet: Option<&'a str>,
        /// The outlet with its reliability letter (`sources.yaml`).
        graded_outlet: Option<super::sources::OutletRef<'a>>,
        original_url: Option<&'a str>,
        published: Option<DateView>,
        modified: Option<DateView>,
        seed_sha256: Option<&'a str>,
        blocks: Vec<BlockView>,
        kept: usize,
        dropped: usize,
    }
    let at = SitePath::article_source(&a.slug);
    let name = a.source.clone().unwrap_or_default();
    let view = &b.sources[&name];
    let blocks: Vec<BlockView> = view
        .report
        .iter()
        .map(|r| {
            let (reason, score) = split_score(&r.reason);
            BlockView {
                line: r.line,
                text: r.text.clone(),
                verdict: r.verdict,
                reason: reason.to_string(),
                score,
            }
        })
        .collect();
    let kept = blocks
        .iter()
        .filter(|b| b.verdict == crate::clean::Verdict::Kept)
        .count();
    let ctx = Ctx {
        page: common(b, &at, &format!("Source of “{}”", a.title)),
        title: a.title.clone(),
        article_url: SitePath::article(&a.slug).relative_from(&at),
        source_name: name,
        outlet: a.outlet.as_deref(),
        graded_outlet: super::sources::outlet_ref(b, a, &at),
        original_url: a.url.as_deref(),
        published: a.published.as_ref().map(super::provenance::stamp_view),
        modified: a.modified.as_ref().map(super::provenance::stamp_view),
        seed_sha256: a.seed_sha256.as_deref(),
        kept,
        dropped: blocks.len() - kept,
        blocks,
    };
    Ok(output(at, r.page("source.html", &ctx, PAGE_SIZE)?))
}

/// The longest page description, in characters: what search engines and
/// link previews show (Google about 160, X's cards 200); a summary is a
/// first paragraph of up to 1,000 bytes, which a page would otherwise
/// carry whole in its head beside the same paragraph in its body.
pub const META_DESCRIPTION_MAX: usize = 200;

/// `summary` cut to at most [`META_DESCRIPTION_MAX`] characters with its
/// ellipsis, at a word ([`crate::model::shorten`]).
fn meta_description(summary: &str) -> Cow<'_, str> {
    if summary.chars().count() <= META_DESCRIPTION_MAX {
        return Cow::Borrowed(summary);
    }
    crate::model::shorten(summary, META_DESCRIPTION_MAX - 1)
}

/// A cleaning reason and the model's score in it: `body text (p=0.98)`
/// is `("body text", Some(98))`; a reason without one is itself.
fn split_score(reason: &str) -> (&str, Option<u32>) {
    if let Some(head) = reason.strip_suffix(')')
        && let Some((text, p)) = head.rsplit_once(" (p=")
        && let Ok(p) = p.parse::<f64>()
        && (0.0..=1.0).contains(&p)
    {
        return (text, Some((p * 100.0).round() as u32));
    }
    (reason, None)
}

/// The path of `base_url` (`https://x.org/briefing/` → `/briefing/`),
/// always starting and ending with `/`.
fn root_path(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
    let path = rest
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_matches('/');
    if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    }
}

/// How many of the most recent articles the 404 page suggests.
pub const NOT_FOUND_ARTICLES: usize = 10;

fn not_found(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Link {
        label: String,
        url: String,
    }
    #[derive(Serialize)]
    struct Ctx {
        page: Common,
        /// Where the site lies on its host (`/briefing/`).
        root_path: String,
        home_url: String,
        sections: Vec<Link>,
        /// The most recent articles.
        articles: Vec<Link>,
        total: usize,
        archive_url: String,
    }
    // 404.html links relatively, like every page: right where it lies
    // (opened from disk, or served at the root's `404.html`). A server
    // shows it at the missing page's own address, at any depth: a line of
    // script in its head then makes the site's root the base of its links
    // (`root_path`, the path of `base_url`, when the address is under it,
    // else the host's root), before the stylesheet loads.
    let at = SitePath::new("404.html");
    let url = |p: SitePath| p.relative_from(&at);
    let ctx = Ctx {
        page: common(b, &at, "Page not found"),
        root_path: root_path(&b.config.base_url),
        home_url: url(SitePath::index()),
        sections: SECTIONS
            .iter()
            .map(|(label, dir)| Link {
                label: label.to_string(),
                url: url(SitePath::section(dir)),
            })
            .collect(),
        articles: b
            .articles
            .iter()
            .take(NOT_FOUND_ARTICLES)
            .map(|a| Link {
                label: a.title.clone(),
                url: url(SitePath::article(&a.slug)),
            })
            .collect(),
        total: b.articles.len(),
        archive_url: url(super::archive::path()),
    };
    Ok(output(at, r.page("404.html", &ctx, PAGE_SIZE)?))
}

#[cfg(test)]
mod tests {
    use super::{
        META_DESCRIPTION_MAX, date_view, day_view, meta_description, month_name, root_path,
        split_score,
    };

    #[test]
    fn a_long_summary_is_cut_at_a_word_for_the_page_description() {
        let short = "Putin spoke in Minsk.";
        assert_eq!(meta_description(short), short);
        let exact = "é".repeat(META_DESCRIPTION_MAX);
        assert_eq!(meta_description(&exact), exact);
        let long = "Putin spoke in Minsk, about the missile. ".repeat(10);
        let d = meta_description(long.trim());
        assert!(d.chars().count() <= META_DESCRIPTION_MAX, "{d}");
        assert!(d.ends_with("…"), "{d}");
        assert!(long.starts_with(d.trim_end_matches('…')), "{d}");
        // whole words only, no dangling punctuation
        let words: Vec<&str> = long.split_whitespace().collect();
        let kept: Vec<&str> = d.trim_end_matches('…').split_whitespace().collect();
        let last = kept.len() - 1;
        assert_eq!(&words[..last], &kept[..last], "{d}");
        assert_eq!(words[last].trim_end_matches([',', '.']), kept[last], "{d}");
        assert!(!d.contains(".…") && !d.contains(",…"), "{d}");
        // a space just at the limit, or just before it: the last word whole
        for at in [META_DESCRIPTION_MAX - 1, META_DESCRIPTION_MAX] {
            let text = format!("{} Minsk more words", "é".repeat(at));
            let d = meta_description(&text);
            assert!(d.chars().count() <= META_DESCRIPTION_MAX, "{d}");
            assert!(!d.contains("Mins"), "{d}");
        }
        let text = format!("{} Minsk more words", "é".repeat(META_DESCRIPTION_MAX - 7));
        assert!(meta_description(&text).ends_with(" Minsk…"));
        // a single word longer than the limit is cut inside it
        let word = "x".repeat(3 * META_DESCRIPTION_MAX);
        assert_eq!(
            meta_description(&word).chars().count(),
            META_DESCRIPTION_MAX
        );
    }

    fn briefing_of(texts: &[&str]) -> crate::assembled::Briefing {
        let articles = texts
            .iter()
            .enumerate()
            .map(|(i, md)| {
                crate::content::parse_article(&format!("content/{i}.md"), std::sync::Arc::from(*md))
                    .unwrap()
            })
            .collect();
        crate::assembled::Briefing::of_articles(articles)
    }

    #[test]
    fn a_card_made_once_follows_an_edit_of_its_article() {
        let md = |by: &str| {
            format!(
                "---\ntitle: One\nslug: one\ndate: 2024-06-02T14:39:00\nbyline: {by}\n---\n\nText.\n"
            )
        };
        let (first, second) = (md("Ann"), md("Bob"));
        let mut b = briefing_of(&[&first]);
        let shared = super::Shared::default();
        let byline = |v: tera::Value| {
            let m = v.into_map().unwrap();
            let by = m.get(&tera::value::Key::Str("byline")).unwrap();
            by.as_str().unwrap().to_string()
        };
        assert_eq!(byline(shared.card_value(&b, 0)), "Ann");
        // the same value again, while the article is the same
        assert_eq!(byline(shared.card_value(&b, 0)), "Ann");
        // the live preview keeps `Shared` across an edit of a byline
        b.articles[0] =
            crate::content::parse_article("content/0.md", std::sync::Arc::from(second.as_str()))
                .unwrap();
        assert_eq!(byline(shared.card_value(&b, 0)), "Bob");
    }

    /// What `date_view` and `day_view` wrote with `format!`.
    fn formatted(d: &jiff::civil::DateTime) -> (String, String, String, String) {
        let day = format!("{} {} {}", d.day(), month_name(d), d.year());
        let display = if d.time() == jiff::civil::Time::midnight() {
            day
        } else {
            format!("{day}, {:02}:{:02}", d.hour(), d.minute())
        };
        let iso_day = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        let iso = format!(
            "{iso_day}T{:02}:{:02}:{:02}",
            d.hour(),
            d.minute(),
            d.second()
        );
        let short = format!("{} {} {}", d.day(), &month_name(d)[..3], d.year());
        (display, iso, short, iso_day)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(512)))]
        #[test]
        fn dates_are_written_as_format_wrote_them(
            year in -9999i16..=9999,
            month in 1i8..=12,
            day in 1i8..=28,
            hour in 0i8..24,
            minute in 0i8..60,
            second in 0i8..60,
            midnight in proptest::bool::ANY,
        ) {
            let d = if midnight {
                jiff::civil::date(year, month, day).at(0, 0, 0, 0)
            } else {
                jiff::civil::date(year, month, day).at(hour, minute, second, 0)
            };
            let (display, iso, short, iso_day) = formatted(&d);
            let v = date_view(&d);
            proptest::prop_assert_eq!(v.display, display);
            proptest::prop_assert_eq!(v.iso, iso);
            let v = day_view(&d);
            proptest::prop_assert_eq!(v.display, short);
            proptest::prop_assert_eq!(v.iso, iso_day);
        }
    }

    #[test]
    fn cleaning_scores_are_split_from_their_reason() {
        assert_eq!(split_score("body text (p=0.98)"), ("body text", Some(98)));
        assert_eq!(split_score("short line (p=0.00)"), ("short line", Some(0)));
        assert_eq!(split_score("headline"), ("headline", None));
        assert_eq!(split_score("odd (p=7)"), ("odd (p=7)", None));
        assert_eq!(split_score("(p=0.5)"), ("(p=0.5)", None));
    }

    #[test]
    fn root_path_is_the_path_of_base_url() {
        assert_eq!(root_path("https://example.org/briefing/"), "/briefing/");
        assert_eq!(root_path("https://example.org/a/b"), "/a/b/");
        assert_eq!(root_path("https://example.org"), "/");
        assert_eq!(root_path("https://example.org/"), "/");
        assert_eq!(root_path("https://example.org/x/?q=1#f"), "/x/");
        assert_eq!(root_path(""), "/");
    }
}
