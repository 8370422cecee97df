//! Fragments: small templates (`templates/fragments/*.html`) rendered once
//! per entity or article and pasted into every page that shows them, as
//! Hugo's `partialCached` does. An article page names ~50 entities and an
//! entity page lists up to a thousand articles: the same few hundred bytes
//! each time, so rendering them once instead of on every page saves most
//! of the template work of those pages.
//!
//! Every fragment is made for a page two directories deep (an article or an
//! entity page, see [`super::pages::Depth2`]), where its relative links are
//! the same from every page.

use super::Renderer;
use super::entities::EntityRef;
use super::pages::{DateView, Depth2};
use crate::assembled::Briefing;
use crate::diag::Problem;
use serde::Serialize;
use std::borrow::Cow;

/// An entity as a chip (`fragments/entity_chip.html`): its name linking to
/// its page, and how often the briefing names it.
pub const ENTITY_CHIP: &str = "fragments/entity_chip.html";
/// An article as one line of a list (`fragments/article_item.html`): its
/// title linking to it, and its day.
pub const ARTICLE_ITEM: &str = "fragments/article_item.html";

/// The rendered fragments of a briefing.
pub(super) struct Fragments {
    /// The chip of each entity (by registry index).
    pub chips: Vec<String>,
    /// The list line of each article (by position).
    pub items: Vec<String>,
}

/// A fragment's output: small, so start small.
const FRAGMENT_SIZE: usize = 256;

/// Render every fragment. Serially: this runs inside the first page job
/// that needs it (from a rayon worker), where a parallel loop could steal
/// another page job that waits for this very result.
pub(super) fn render(b: &Briefing, r: &Renderer, d2: &Depth2) -> Result<Fragments, Problem> {
    #[derive(Serialize)]
    struct Item<'a> {
        title: &'a str,
        url: &'a str,
        date: Option<&'a DateView>,
        held: Option<super::pages::HeldView>,
    }
    let chips = (0..b.links.registry.entities.len())
        .map(|i| chip(b, r, d2, i))
        .collect::<Result<Vec<String>, Problem>>()?;
    let items = b
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let item = Item {
                title: &a.title,
                url: &d2.articles[i],
                date: d2.days[i].as_ref(),
                held: super::pages::held_view(a),
            };
            r.render_sized(ARTICLE_ITEM, &item, FRAGMENT_SIZE)
        })
        .collect::<Result<Vec<String>, Problem>>()?;
    Ok(Fragments { chips, items })
}

/// The chip of entity `i` (`fragments/entity_chip.html`).
pub(super) fn chip(b: &Briefing, r: &Renderer, d2: &Depth2, i: usize) -> Result<String, Problem> {
    #[derive(Serialize)]
    struct Chip<'a> {
        e: EntityRef<'a>,
    }
    let e = super::entities::entity_ref_with(b, i, Cow::Borrowed(&d2.entities[i]));
    r.render_sized(ENTITY_CHIP, &Chip { e }, FRAGMENT_SIZE)
}
