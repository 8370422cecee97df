//! The assembled [`Briefing`]: every stage's output for one site, the one
//! value `render` reads. Above the stages it holds (`content`, `annotate`,
//! `link`, `holdback`) and below `render` and `site`, which makes it.

use crate::model::Slug;

/// A seed and what cleaning made of it, for the provenance page.
#[derive(Clone, Debug)]
pub struct SourceView {
    /// File name in `seeds/`.
    pub name: String,
    pub report: std::sync::Arc<[crate::clean::BlockReport]>,
}

/// Everything a site is rendered from: the loaded, anchored and linked
/// briefing. Built by [`crate::site::assemble`]; read by [`crate::render`].
#[derive(Clone, Debug)]
pub struct Briefing {
    pub config: crate::config::Config,
    /// Articles, newest first; undated ones last, by title.
    pub articles: Vec<crate::content::Article>,
    /// The executive summary (`content/_briefing.md`), when there is one.
    pub summary: Option<crate::content::Summary>,
    /// Cleaning reports by seed file name.
    pub sources: std::collections::BTreeMap<String, SourceView>,
    pub annotations: crate::annotate::Annotations,
    pub links: crate::link::Links,
    /// The outlet registry (`sources.yaml`; empty and not
    /// [`present`](crate::link::outlets::Outlets::present) without one).
    pub outlets: std::sync::Arc<crate::link::outlets::Outlets>,
    /// Who it is built for: a public briefing holds nothing back that
    /// readers may not see; an internal one marks what a public one
    /// would hold back.
    pub profile: crate::holdback::Profile,
    /// What a public build held back (empty in an internal one).
    pub held: std::sync::Arc<crate::holdback::HeldBack>,
    /// The leak check's needles (a public build holding something back).
    pub leak: Option<std::sync::Arc<crate::holdback::leak::Checker>>,
    /// When an embargo ends and the same inputs would build another site.
    pub next_change: Option<jiff::Timestamp>,
    /// The editions recorded in `editions/`, oldest first, as recorded (a
    /// public build leaves out of them what it holds back when it compares
    /// them: [`crate::editions::History::visible`]).
    pub editions: std::sync::Arc<crate::editions::History>,
    /// Warnings about the inputs (unknown keys); the annotations' are in
    /// [`crate::annotate::Annotations::warnings`].
    pub warnings: crate::diag::Problems,
}

impl Briefing {
    /// The briefing as an edition would record it now.
    pub fn edition(&self) -> crate::editions::Edition {
        crate::editions::record(
            &self.articles,
            &self.annotations,
            &self.outlets,
            &self.links.registry,
        )
    }

    /// The article with this slug: through the link stage's index when it
    /// matches the articles (it always does for an assembled briefing).
    pub fn article(&self, slug: &Slug) -> Option<&crate::content::Article> {
        self.article_position(slug).map(|i| &self.articles[i])
    }

    /// The position of the article with this slug in [`Briefing::articles`].
    pub fn article_position(&self, slug: &Slug) -> Option<usize> {
        let index = &self.links.article_index;
        match index.get(slug) {
            Some(&i) if self.articles.get(i).is_some_and(|a| &a.slug == slug) => Some(i),
            None if index.len() == self.articles.len() => None,
            _ => self.articles.iter().position(|a| &a.slug == slug),
        }
    }
}

#[cfg(test)]
impl Briefing {
    /// A briefing of these articles alone, with nothing else loaded (for
    /// tests of one stage).
    pub(crate) fn of_articles(articles: Vec<crate::content::Article>) -> Self {
        Briefing {
            config: Default::default(),
            articles,
            summary: None,
            sources: Default::default(),
            annotations: Default::default(),
            links: Default::default(),
            outlets: Default::default(),
            profile: Default::default(),
            held: Default::default(),
            leak: None,
            next_change: None,
            editions: Default::default(),
            warnings: Default::default(),
        }
    }
}
