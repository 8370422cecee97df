//! link: cross-references — entities and their mentions, wikilinks,
//! related articles, backlinks and the timeline.

use crate::model::Slug;
use crate::render::markdown::Span;
use std::collections::BTreeMap;

/// Derived links of the whole briefing.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// Entity-mention spans per article body.
    pub mentions: BTreeMap<Slug, Vec<Span>>,
}
