//! Entity pages: the registry index grouped by kind with a co-occurrence
//! graph (static SVG, circular layout by kind), one page per entity with
//! every mention in context, and the entity/related/backlink data that
//! article and index pages show.

use super::PAGE_SIZE;
use super::Renderer;
pub use super::pages::day_view;
use super::pages::{DateView, Shared, common, date_view, is_depth2, output};
use crate::assembled::Briefing;
use crate::content::Article;
use crate::diag::Problem;
use crate::link::{Backlink, EntityKind, mention_id};
use crate::markdown;
use crate::model::{SitePath, Slug};
use crate::render::Output;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;

/// A link to an entity, for lists.
#[derive(Serialize, Clone)]
pub struct EntityRef<'a> {
    pub name: &'a str,
    pub url: Cow<'a, str>,
    pub kind: &'static str,
    pub mentions: usize,
    pub preview: &'a str,
}

fn entity_ref<'a>(b: &'a Briefing, i: usize, at: &SitePath) -> EntityRef<'a> {
    let url = SitePath::entity(&b.links.registry.entities[i].slug).relative_from(at);
    entity_ref_with(b, i, url.into())
}

/// [`entity_ref`] with the entity's URL already known.
pub(super) fn entity_ref_with<'a>(b: &'a Briefing, i: usize, url: Cow<'a, str>) -> EntityRef<'a> {
    let e = &b.links.registry.entities[i];
    EntityRef {
        name: &e.entry.name,
        url,
        kind: e.entry.kind.id(),
        mentions: b.links.mention_count(i),
        preview: b.links.preview(i),
    }
}

/// Where [`previews`] writes the entities' previews.
pub const PREVIEWS_PATH: &str = "entities/previews.js";

/// `entities/previews.js`: a script that hands the page's script
/// (`static/briefing.js`) every described entity's name, kind and preview
/// (one line of its description), by slug:
/// `briefingPreviews({"slug":["Name","kind","Preview"],…});` — once for the
/// whole site instead of a `title` on the links of every page, loaded with
/// `<script src>` (which works from `file://`, unlike a fetch) the first
/// time a reader points at an entity. It holds what the entity pages show
/// (the registry, which a public build does not hold back) and, as every
/// output, goes through the leak check.
pub fn previews(b: &Briefing) -> Output {
    let reg = &b.links.registry;
    let rows = reg.entities.iter().enumerate().map(|(i, e)| {
        (
            e.slug.as_str(),
            e.entry.name.as_str(),
            e.entry.kind.id(),
            b.links.preview(i),
        )
    });
    Output {
        path: SitePath::new(PREVIEWS_PATH),
        bytes: previews_js(rows).into_bytes(),
    }
}

/// The script of [`previews`] for rows of (slug, name, kind, preview);
/// an entity without a preview is left out (its popover has nothing to
/// show).
fn previews_js<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str)>) -> String {
    let mut js = String::from("briefingPreviews({");
    let mut first = true;
    for (slug, name, kind, preview) in rows {
        if preview.is_empty() {
            continue;
        }
        if !first {
            js.push(',');
        }
        first = false;
        // JSON is JavaScript; the texts are the analyst's (escaped as
        // JSON strings), the slug is one (nothing to escape)
        let row = serde_json::to_string(&(name, kind, preview)).expect("strings serialize");
        let _ = write!(js, "\"{slug}\":{row}");
    }
    js.push_str("});\n");
    js
}

/// The most mentioned entities of the briefing.
pub fn key_entities<'a>(b: &'a Briefing, at: &SitePath, limit: usize) -> Vec<EntityRef<'a>> {
    let mut idx: Vec<usize> = (0..b.links.registry.entities.len())
        .filter(|&i| b.links.mention_count(i) > 0)
        .collect();
    idx.sort_by_key(|&i| (std::cmp::Reverse(b.links.mention_count(i)), i));
    idx.truncate(limit);
    idx.into_iter().map(|i| entity_ref(b, i, at)).collect()
}

/// A related article: its card and the entities both name (Tera values
/// made once per article and entity, [`Shared::card_value`]).
#[derive(Serialize)]
pub struct RelatedView {
    card: tera::Value,
    shared: Vec<tera::Value>,
}

/// An annotation pointing at a page.
#[derive(Serialize)]
pub struct BacklinkView<'a> {
    from_title: &'a str,
    /// The annotation on its article page.
    from_url: String,
    label: &'a str,
    /// The passage of this page it points at.
    passage_url: Option<String>,
}

fn backlink_view<'a>(
    b: &'a Briefing,
    l: &'a Backlink,
    at: &SitePath,
    here: Option<&Slug>,
) -> BacklinkView<'a> {
    let from = SitePath::article(&l.from_article).relative_from(at);
    BacklinkView {
        from_title: b
            .article(&l.from_article)
            .map_or(l.from_article.as_str(), |a| a.title.as_str()),
        from_url: format!("{from}#{}", l.annotation),
        label: &l.label,
        passage_url: match (&l.passage, here) {
            (Some(p), Some(_)) => Some(format!("#{p}")),
            _ => None,
        },
    }
}

/// What an article page shows about its links.
#[derive(Serialize)]
pub struct ArticleLinks<'a> {
    /// The chips of the entities it names (`fragments/entity_chip.html`,
    /// one after the other).
    entity_chips: String,
    related: Vec<RelatedView>,
    backlinks: Vec<BacklinkView<'a>>,
}

pub fn article_links<'a>(
    b: &'a Briefing,
    r: &Renderer,
    a: &Article,
    at: &SitePath,
    shared: &'a Shared,
) -> Result<ArticleLinks<'a>, Problem> {
    // an article page links to each entity it names, and to related
    // articles: URLs the same from every article page
    debug_assert!(is_depth2(at));
    let named = b
        .links
        .article_entities
        .get(&a.slug)
        .map_or(&[][..], |l| &l[..]);
    let entity_chips = if named.is_empty() {
        String::new()
    } else {
        let chips = &shared.fragments(b, r)?.chips;
        let mut html = String::with_capacity(named.iter().map(|&(e, _)| chips[e].len()).sum());
        for &(e, _) in named {
            html.push_str(&chips[e]);
        }
        html
    };
    let related = b
        .links
        .related
        .get(&a.slug)
        .map(|l| {
            l.iter()
                .filter_map(|(slug, _, names)| {
                    let i = b.article_position(slug)?;
                    Some(RelatedView {
                        card: shared.card_value(b, i),
                        shared: names.iter().map(|&e| shared.entity_value(b, e)).collect(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let backlinks = b
        .links
        .backlinks
        .get(&a.slug)
        .map(|l| {
            l.iter()
                .map(|x| backlink_view(b, x, at, Some(&a.slug)))
                .collect()
        })
        .unwrap_or_default();
    Ok(ArticleLinks {
        entity_chips,
        related,
        backlinks,
    })
}

#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    label: &'static str,
    entities: Vec<EntityRef<'a>>,
}

pub fn index(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: super::pages::Common,
        groups: Vec<KindGroup<'a>>,
        graph_svg: String,
        graph: GraphCaps,
        count: usize,
    }
    let at = SitePath::section("entities");
    let reg = &b.links.registry;
    let groups = EntityKind::ALL
        .iter()
        .map(|&k| {
            let mut idx: Vec<usize> = (0..reg.entities.len())
                .filter(|&i| reg.entities[i].entry.kind == k)
                .collect();
            idx.sort_by(|&x, &y| reg.entities[x].entry.name.cmp(&reg.entities[y].entry.name));
            KindGroup {
                kind: k.id(),
                label: k.plural(),
                entities: idx.into_iter().map(|i| entity_ref(b, i, &at)).collect(),
            }
        })
        .filter(|g| !g.entities.is_empty())
        .collect();
    let (graph_svg, graph) = graph_svg(b, &at);
    let ctx = Ctx {
        page: common(b, &at, "Entities"),
        groups,
        graph_svg,
        graph,
        count: reg.entities.len(),
    };
    Ok(output(at, r.page("entities.html", &ctx, PAGE_SIZE)?))
}

/// How many articles an entity page shows mentions in context for (the
/// most recent ones; the others are listed by title and date), and how
/// many snippets at most, shared by those articles ...
pub use crate::link::{CONTEXT_ARTICLES, CONTEXT_SNIPPETS};
/// ... and at least this many per article.
pub const MIN_SNIPPETS_PER_ARTICLE: usize = 3;
/// How many annotations naming an entity its page quotes (the most recent
/// ones; the annotation pages list every one).
pub const ENTITY_NOTES: usize = 20;
/// How many other articles naming an entity one of its pages lists; the
/// list goes on at `index-2.html`, ….
pub const LIST_PER_PAGE: usize = 1000;

/// How many pages an entity has: the first, and more when its list of
/// articles is longer than [`LIST_PER_PAGE`].
pub fn entity_pages(b: &Briefing, i: usize) -> usize {
    let articles = b.links.entity_articles.get(i).map_or(0, Vec::len);
    articles
        .saturating_sub(CONTEXT_ARTICLES)
        .div_ceil(LIST_PER_PAGE)
        .max(1)
}

/// The path of page `n` (1-based) of entity `i`.
pub fn entity_path(b: &Briefing, i: usize, n: usize) -> SitePath {
    SitePath::entity(&b.links.registry.entities[i].slug).page(n)
}

/// Page `n` (1-based) of entity `i`: the first has its description, the
/// most recent mentions in context, the start of the list of the other
/// articles naming it, the annotations naming it and the entities named
/// with it; the others continue the list.
pub fn entity(
    b: &Briefing,
    r: &Renderer,
    shared: &Shared,
    i: usize,
    n: usize,
) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct MentionView<'a> {
        before: &'a str,
        text: &'a str,
        after: &'a str,
        /// The first mention's anchor in its article; the later ones have
        /// none (see `link::mention_spans`), so their quotes are not links.
        url: Option<String>,
    }
    #[derive(Serialize)]
    struct Group<'a> {
        title: &'a str,
        url: String,
        date: Option<DateView>,
        mentions: Vec<MentionView<'a>>,
        /// Mentions of this article not shown, and a link to the article.
        more: usize,
        more_url: Option<String>,
    }
    #[derive(Serialize)]
    struct Co {
        entity: tera::Value,
        paragraphs: u32,
        articles: u32,
    }
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: tera::Value,
        name: &'a str,
        kind: &'static str,
        kind_label: &'static str,
        aliases: &'a [String],
        description_html: String,
        mentions: usize,
        /// Articles naming the entity.
        articles: usize,
        /// Whether this is the entity's first page.
        first_page: bool,
        groups: Vec<Group<'a>>,
        /// The other articles naming it (this page's part of the list):
        /// `<li>` items, each its article's `fragments/article_item.html`
        /// and how often it names the entity when more than once.
        others_html: String,
        /// How many items `others_html` has.
        others: usize,
        others_total: usize,
        /// Positions (1-based) of this page's first and last other article.
        others_from: usize,
        others_to: usize,
        notes: Vec<BacklinkView<'a>>,
        notes_total: usize,
        annotations_url: String,
        cooccurring: Vec<Co>,
        entities_url: String,
        first_page_url: String,
        pager: super::pages::Pager,
    }
    let e = &b.links.registry.entities[i];
    let at = entity_path(b, i, n);
    let occ = &b.links.occurrences[i];
    let arts = b
        .links
        .entity_articles
        .get(i)
        .map_or(&[][..], Vec::as_slice);
    let pages = entity_pages(b, i);
    let first_page = n == 1;
    let article_url = |a: &Article| SitePath::article(&a.slug).relative_from(&at);
    // The most recent articles, in context: a budget of snippets shared
    // among them, never fewer than a few per article.
    let shown = arts.len().min(CONTEXT_ARTICLES);
    let per_article = (CONTEXT_SNIPPETS / shown.max(1)).max(MIN_SNIPPETS_PER_ARTICLE);
    let groups = if first_page {
        arts[..shown]
            .iter()
            .map(|ea| {
                let a = &b.articles[ea.article()];
                let url = article_url(a);
                // its first mentions, quoted (never fewer than `take`)
                let mine = &occ[ea.occurrences()];
                let take = ea.mentions().min(per_article);
                Group {
                    title: &a.title,
                    date: a.date.as_ref().map(date_view),
                    mentions: mine
                        .iter()
                        .take(take)
                        .map(|o| MentionView {
                            before: &o.before,
                            text: &o.text,
                            after: &o.after,
                            url: (o.n == 1).then(|| format!("{url}#{}", mention_id(&e.slug))),
                        })
                        .collect(),
                    more: ea.mentions() - take,
                    more_url: (take < ea.mentions()).then(|| url.clone()),
                    url,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // Every other article naming it, compactly, a page at a time.
    let rest = &arts[shown..];
    let from = ((n - 1) * LIST_PER_PAGE).min(rest.len());
    let to = (from + LIST_PER_PAGE).min(rest.len());
    // (URLs and dates shared by every entity page: all at the same depth)
    debug_assert!(is_depth2(&at));
    let others_html = if from < to {
        let items = &shared.fragments(b, r)?.items;
        let rows = &rest[from..to];
        let mut html =
            String::with_capacity(rows.iter().map(|ea| items[ea.article()].len() + 48).sum());
        for ea in rows {
            html.push_str("<li>");
            html.push_str(&items[ea.article()]);
            if ea.mentions() > 1 {
                let _ = write!(
                    html,
                    " <span class=\"meta\">· {} mentions</span>",
                    ea.mentions()
                );
            }
            html.push_str("</li>\n");
        }
        html
    } else {
        String::new()
    };
    // The most recent annotations naming it (article order, then as sorted).
    let mut notes: Vec<(usize, &Backlink)> = if first_page {
        b.links
            .entity_notes
            .get(&e.slug)
            .into_iter()
            .flatten()
            .map(|n| (b.article_position(&n.from_article).unwrap_or(usize::MAX), n))
            .collect()
    } else {
        Vec::new()
    };
    notes.sort_by_key(|&(pos, _)| pos);
    let notes_total = notes.len();
    notes.truncate(ENTITY_NOTES);
    let title = if pages > 1 && !first_page {
        format!("{}, page {n} of {pages}", e.entry.name)
    } else {
        e.entry.name.clone()
    };
    let ctx = Ctx {
        page: shared.page(b, &at, &title),
        name: &e.entry.name,
        kind: e.entry.kind.id(),
        kind_label: e.entry.kind.plural(),
        aliases: &e.entry.aliases,
        description_html: if first_page {
            markdown::render_typographic(&e.entry.description)
        } else {
            String::new()
        },
        mentions: b.links.mention_count(i),
        articles: arts.len(),
        first_page,
        groups,
        others_html,
        others: to - from,
        others_total: rest.len(),
        others_from: from + 1,
        others_to: to,
        notes: notes
            .into_iter()
            .map(|(_, x)| backlink_view(b, x, &at, None))
            .collect(),
        notes_total,
        annotations_url: SitePath::section("annotations").relative_from(&at),
        cooccurring: if first_page {
            b.links.cooccurring[i]
                .iter()
                .take(COOCCURRING_SHOWN)
                .map(|c| Co {
                    entity: shared.entity_value(b, c.entity),
                    paragraphs: c.paragraphs,
                    articles: c.articles,
                })
                .collect()
        } else {
            Vec::new()
        },
        entities_url: SitePath::section("entities").relative_from(&at),
        first_page_url: entity_path(b, i, 1).relative_from(&at),
        pager: super::pages::pager(pages, n, &at, |k| entity_path(b, i, k)),
    };
    let size = 32 * 1024 + ctx.others_html.len();
    Ok(output(at, r.page("entity.html", &ctx, size)?))
}

/// How many co-occurring entities an entity page shows (with their
/// counts: `Dep::Entity` covers them).
pub const COOCCURRING_SHOWN: usize = 12;

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// The most mentioned entities the co-occurrence graph shows ...
pub const GRAPH_NODES: usize = 60;
/// ... and its strongest edges among them.
pub const GRAPH_EDGES: usize = 180;

/// Node sizes grow with mentions up to this many (beyond, they are scaled).
const GRAPH_MENTIONS_AT_MOST: f64 = 50.0;
/// Edges thicken with paragraphs up to this many (beyond, they are scaled).
const GRAPH_PARAGRAPHS_AT_MOST: f64 = 20.0;

/// What the co-occurrence graph leaves out, for its caption.
#[derive(Serialize, Default)]
pub struct GraphCaps {
    pub nodes: usize,
    pub nodes_total: usize,
    pub edges: usize,
    pub edges_total: usize,
}

/// The co-occurrence graph: the [`GRAPH_NODES`] most mentioned entities
/// on a circle, grouped by kind and sorted by name; an edge for each of
/// the [`GRAPH_EDGES`] pairs among them named most often in the same
/// paragraph, thicker the more often. Deterministic.
pub fn graph_svg(b: &Briefing, at: &SitePath) -> (String, GraphCaps) {
    let reg = &b.links.registry;
    let mut nodes: Vec<usize> = (0..reg.entities.len())
        .filter(|&i| b.links.mention_count(i) > 0)
        .collect();
    if nodes.is_empty() {
        return (String::new(), GraphCaps::default());
    }
    let nodes_total = nodes.len();
    nodes.sort_by_key(|&i| (std::cmp::Reverse(b.links.mention_count(i)), i));
    nodes.truncate(GRAPH_NODES);
    let mut shown = vec![false; reg.entities.len()];
    for &i in &nodes {
        shown[i] = true;
    }
    // Each pair once (x < y), strongest first, ties by entity order.
    let mut edges: Vec<(usize, usize, u32)> = Vec::new();
    let mut edges_total = 0;
    for x in 0..reg.entities.len() {
        for c in b.links.cooccurring.get(x).into_iter().flatten() {
            if c.entity > x {
                edges_total += 1;
                if shown[x] && shown[c.entity] {
                    edges.push((x, c.entity, c.paragraphs));
                }
            }
        }
    }
    edges.sort_by_key(|&(x, y, p)| (std::cmp::Reverse(p), x, y));
    edges.truncate(GRAPH_EDGES);
    edges.sort_unstable();
    let caps = GraphCaps {
        nodes: nodes.len(),
        nodes_total,
        edges: edges.len(),
        edges_total,
    };
    nodes.sort_by(|&x, &y| {
        let (ex, ey) = (&reg.entities[x].entry, &reg.entities[y].entry);
        (ex.kind, &ex.name).cmp(&(ey.kind, &ey.name))
    });
    // Labels run outward along the radius, so neighbours never overlap;
    // the margin leaves room for about 24 characters.
    let (w, h, cx, cy, radius) = (800.0, 800.0, 400.0, 400.0, 230.0);
    let n = nodes.len() as f64;
    let mut pos = vec![None; reg.entities.len()];
    for (k, &i) in nodes.iter().enumerate() {
        let angle = std::f64::consts::TAU * k as f64 / n - std::f64::consts::FRAC_PI_2;
        pos[i] = Some((angle, cx + radius * angle.cos(), cy + radius * angle.sin()));
    }
    let most = nodes
        .iter()
        .map(|&i| b.links.mention_count(i))
        .max()
        .unwrap_or(1);
    let scale = (GRAPH_MENTIONS_AT_MOST / most as f64).min(1.0);
    // edges thicken with the log of their paragraphs, up to a cap
    let strongest = edges.iter().map(|e| e.2).max().unwrap_or(1) as f64;
    let edge_scale = if strongest > GRAPH_PARAGRAPHS_AT_MOST {
        GRAPH_PARAGRAPHS_AT_MOST.ln() / strongest.ln()
    } else {
        1.0
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"graph\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-labelledby=\"graph-title\"><title id=\"graph-title\">Entities named in the same paragraphs</title><g class=\"edges\">"
    );
    for &(x, y, paragraphs) in &edges {
        let (Some((_, x1, y1)), Some((_, x2, y2))) = (pos[x], pos[y]) else {
            continue;
        };
        let width = 1.0 + (paragraphs as f64).ln() * 1.5 * edge_scale;
        // a link of one paragraph is left out on small screens
        let weak = if paragraphs <= 1 {
            " class=\"weak\""
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<line{weak} x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke-width=\"{width:.1}\"><title>{} and {}: {} paragraph(s)</title></line>",
            esc(&reg.entities[x].entry.name),
            esc(&reg.entities[y].entry.name),
            paragraphs
        );
    }
    svg.push_str("</g><g class=\"nodes\">");
    for &i in &nodes {
        let e = &reg.entities[i];
        let Some((angle, x, y)) = pos[i] else {
            continue;
        };
        // the area grows with the mentions, up to a cap (so that a briefing
        // of thousands of articles does not draw circles wider than the graph)
        let r = 4.0 + (b.links.mention_count(i) as f64 * scale).sqrt() * 1.6;
        let (lx, ly) = (x + (r + 5.0) * angle.cos(), y + (r + 5.0) * angle.sin());
        // On the left half, turn the text over so it reads left to right.
        let (anchor, deg) = if angle.cos() < 0.0 {
            ("end", angle.to_degrees() + 180.0)
        } else {
            ("start", angle.to_degrees())
        };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"node kind-{}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"></circle><text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\" transform=\"rotate({deg:.1} {lx:.1} {ly:.1})\">{}</text></a>",
            esc(&SitePath::entity(&e.slug).relative_from(at)),
            e.entry.kind.id(),
            esc(&e.entry.name)
        );
    }
    svg.push_str("</g></svg>");
    (svg, caps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_a_script_call_with_json_and_skip_the_undescribed() {
        let hostile = "Says \"hi\" </script><script>alert(1)</script> \\ \u{2028} end";
        let js = previews_js(
            [
                ("minsk", "Minsk", "place", "Capital of Belarus."),
                ("nobody", "Nobody", "person", ""),
                ("x", "X \"Y\"", "other", hostile),
            ]
            .into_iter(),
        );
        let inner = js
            .strip_prefix("briefingPreviews(")
            .and_then(|s| s.strip_suffix(");\n"))
            .expect("one call");
        let v: serde_json::Value = serde_json::from_str(inner).expect("JSON");
        assert_eq!(
            v,
            serde_json::json!({
                "minsk": ["Minsk", "place", "Capital of Belarus."],
                "x": ["X \"Y\"", "other", hostile],
            })
        );
        assert_eq!(previews_js(std::iter::empty()), "briefingPreviews({});\n");
    }
}
