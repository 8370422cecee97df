//! annotate: parse `annotations/*.md` and anchor each note to its quoted
//! passage in the article body.

use crate::content::Article;
use crate::diag::Problems;
use crate::model::Slug;
use crate::render::markdown::Decorations;
use std::collections::BTreeMap;
use std::sync::Arc;

/// An annotation file as read from disk.
#[derive(Clone, Debug)]
pub struct AnnotationSource {
    /// Project-relative path (`annotations/x.md`).
    pub file: String,
    pub text: Arc<str>,
}

/// Anchored annotations of the whole briefing.
#[derive(Clone, Debug, Default)]
pub struct Annotations {
    pub by_article: BTreeMap<Slug, ArticleAnnotations>,
}

/// What one article gets from its annotations.
#[derive(Clone, Debug, Default)]
pub struct ArticleAnnotations {
    /// Rendered HTML of the note on the whole article.
    pub article_note_html: Option<String>,
    /// Highlights and sidenotes to apply to the body.
    pub decorations: Decorations,
}

impl Annotations {
    pub fn for_article(&self, slug: &Slug) -> Option<&ArticleAnnotations> {
        self.by_article.get(slug)
    }
}

/// Parse and anchor every annotation file against the articles.
pub fn anchor_all(_files: &[AnnotationSource], _articles: &[Article]) -> (Annotations, Problems) {
    (Annotations::default(), Problems::default())
}
