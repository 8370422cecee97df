//! Entity pages: the registry index grouped by kind with a co-occurrence
//! graph (static SVG, circular layout by kind), one page per entity with
//! every mention in context, and the entity/related/backlink data that
//! article and index pages show.

use super::pages::{ArticleCard, DateView, card, common, date_view, output};
use super::{Renderer, markdown};
use crate::content::Article;
use crate::diag::Problem;
use crate::link::{Backlink, EntityKind};
use crate::model::{Briefing, SitePath, Slug};
use crate::render::Output;
use serde::Serialize;
use std::fmt::Write as _;

/// A link to an entity, for lists.
#[derive(Serialize, Clone)]
pub struct EntityRef {
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    pub mentions: usize,
    pub preview: String,
}

fn entity_ref(b: &Briefing, i: usize, at: &SitePath) -> EntityRef {
    let e = &b.links.registry.entities[i];
    EntityRef {
        name: e.entry.name.clone(),
        url: SitePath::entity(&e.slug).relative_from(at),
        kind: e.entry.kind.id(),
        mentions: b.links.mention_count(i),
        preview: crate::link::preview(&e.entry.description, 220),
    }
}

/// The most mentioned entities of the briefing.
pub fn key_entities(b: &Briefing, at: &SitePath, limit: usize) -> Vec<EntityRef> {
    let mut idx: Vec<usize> = (0..b.links.registry.entities.len())
        .filter(|&i| b.links.mention_count(i) > 0)
        .collect();
    idx.sort_by_key(|&i| (std::cmp::Reverse(b.links.mention_count(i)), i));
    idx.truncate(limit);
    idx.into_iter().map(|i| entity_ref(b, i, at)).collect()
}

#[derive(Serialize)]
pub struct RelatedView {
    card: ArticleCard,
    shared: Vec<EntityRef>,
}

/// An annotation pointing at a page.
#[derive(Serialize)]
pub struct BacklinkView {
    from_title: String,
    /// The annotation on its article page.
    from_url: String,
    label: String,
    /// The passage of this page it points at.
    passage_url: Option<String>,
}

fn backlink_view(b: &Briefing, l: &Backlink, at: &SitePath, here: Option<&Slug>) -> BacklinkView {
    let from = SitePath::article(&l.from_article).relative_from(at);
    BacklinkView {
        from_title: b
            .article(&l.from_article)
            .map_or_else(|| l.from_article.to_string(), |a| a.title.clone()),
        from_url: format!("{from}#{}", l.annotation),
        label: l.label.clone(),
        passage_url: match (&l.passage, here) {
            (Some(p), Some(_)) => Some(format!("#{p}")),
            _ => None,
        },
    }
}

/// What an article page shows about its links.
#[derive(Serialize)]
pub struct ArticleLinks {
    entities: Vec<EntityRef>,
    related: Vec<RelatedView>,
    backlinks: Vec<BacklinkView>,
}

pub fn article_links(b: &Briefing, a: &Article, at: &SitePath) -> ArticleLinks {
    let entities = b
        .links
        .article_entities
        .get(&a.slug)
        .map(|l| l.iter().map(|&(e, _)| entity_ref(b, e, at)).collect())
        .unwrap_or_default();
    let related = b
        .links
        .related
        .get(&a.slug)
        .map(|l| {
            l.iter()
                .filter_map(|(slug, _, shared)| {
                    let other = b.article(slug)?;
                    Some(RelatedView {
                        card: card(other, at),
                        shared: shared.iter().map(|&e| entity_ref(b, e, at)).collect(),
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
    ArticleLinks {
        entities,
        related,
        backlinks,
    }
}

#[derive(Serialize)]
struct KindGroup {
    kind: &'static str,
    label: &'static str,
    entities: Vec<EntityRef>,
}

pub fn index(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx {
        page: super::pages::Common,
        groups: Vec<KindGroup>,
        graph_svg: String,
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
    let ctx = Ctx {
        page: common(b, &at, "Entities"),
        groups,
        graph_svg: graph_svg(b, &at),
        count: reg.entities.len(),
    };
    Ok(output(at, r.render("entities.html", &ctx)?))
}

pub fn entity(b: &Briefing, r: &Renderer, i: usize) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct MentionView {
        before: String,
        text: String,
        after: String,
        url: String,
    }
    #[derive(Serialize)]
    struct Group {
        title: String,
        url: String,
        date: Option<DateView>,
        mentions: Vec<MentionView>,
    }
    #[derive(Serialize)]
    struct Co {
        entity: EntityRef,
        paragraphs: u32,
        articles: u32,
    }
    #[derive(Serialize)]
    struct Ctx {
        page: super::pages::Common,
        name: String,
        kind: &'static str,
        kind_label: &'static str,
        aliases: Vec<String>,
        description_html: String,
        mentions: usize,
        groups: Vec<Group>,
        notes: Vec<BacklinkView>,
        cooccurring: Vec<Co>,
        entities_url: String,
    }
    let e = &b.links.registry.entities[i];
    let at = SitePath::entity(&e.slug);
    let occ = &b.links.occurrences[i];
    // Articles in briefing order (newest first), each with its mentions.
    // Occurrences grouped by article in one pass (was a scan of every
    // occurrence per article: entities × articles × occurrences).
    let mut by_article: std::collections::HashMap<&str, Vec<&crate::link::Occurrence>> =
        std::collections::HashMap::new();
    for o in occ {
        by_article.entry(o.article.as_str()).or_default().push(o);
    }
    let groups = b
        .articles
        .iter()
        .filter_map(|a| {
            let mine = by_article.get(a.slug.as_str())?;
            let here: Vec<MentionView> = mine
                .iter()
                .map(|o| MentionView {
                    before: o.before.clone(),
                    text: o.text.clone(),
                    after: o.after.clone(),
                    url: format!("{}#{}", SitePath::article(&a.slug).relative_from(&at), o.id),
                })
                .collect();
            (!here.is_empty()).then(|| Group {
                title: a.title.clone(),
                url: SitePath::article(&a.slug).relative_from(&at),
                date: a.date.as_ref().map(date_view),
                mentions: here,
            })
        })
        .collect();
    let ctx = Ctx {
        page: common(b, &at, &e.entry.name),
        name: e.entry.name.clone(),
        kind: e.entry.kind.id(),
        kind_label: e.entry.kind.plural(),
        aliases: e.entry.aliases.clone(),
        description_html: markdown::render_plain(&e.entry.description),
        mentions: occ.len(),
        groups,
        notes: b
            .links
            .entity_notes
            .get(&e.slug)
            .map(|l| l.iter().map(|x| backlink_view(b, x, &at, None)).collect())
            .unwrap_or_default(),
        cooccurring: b.links.cooccurring[i]
            .iter()
            .take(12)
            .map(|c| Co {
                entity: entity_ref(b, c.entity, &at),
                paragraphs: c.paragraphs,
                articles: c.articles,
            })
            .collect(),
        entities_url: SitePath::section("entities").relative_from(&at),
    };
    Ok(output(at, r.render("entity.html", &ctx)?))
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// The co-occurrence graph: entities that are mentioned, on a circle,
/// grouped by kind and sorted by name; an edge for every pair named in the
/// same paragraph, thicker the more often. Deterministic.
pub fn graph_svg(b: &Briefing, at: &SitePath) -> String {
    let reg = &b.links.registry;
    let mut nodes: Vec<usize> = (0..reg.entities.len())
        .filter(|&i| b.links.mention_count(i) > 0)
        .collect();
    if nodes.is_empty() {
        return String::new();
    }
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
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"graph\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-labelledby=\"graph-title\"><title id=\"graph-title\">Entities named in the same paragraphs</title><g class=\"edges\">"
    );
    for &x in &nodes {
        for c in &b.links.cooccurring[x] {
            let y = c.entity;
            if y <= x {
                continue;
            }
            let (Some((_, x1, y1)), Some((_, x2, y2))) = (pos[x], pos[y]) else {
                continue;
            };
            let width = 1.0 + (c.paragraphs as f64).ln() * 1.5;
            let _ = write!(
                svg,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke-width=\"{width:.1}\"><title>{} and {}: {} paragraph(s)</title></line>",
                esc(&reg.entities[x].entry.name),
                esc(&reg.entities[y].entry.name),
                c.paragraphs
            );
        }
    }
    svg.push_str("</g><g class=\"nodes\">");
    for &i in &nodes {
        let e = &reg.entities[i];
        let Some((angle, x, y)) = pos[i] else {
            continue;
        };
        let r = 4.0 + (b.links.mention_count(i) as f64).sqrt() * 1.6;
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
    svg
}
