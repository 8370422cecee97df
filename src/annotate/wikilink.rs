//! Wikilinks in notes and the executive summary: finding `[[…]]` outside
//! code, resolving targets (`[[slug]]`, `[[slug#annotation-id]]`,
//! `[[#annotation-id]]`, `[[Entity name]]`, `[[target|shown text]]`), and
//! rewriting them as ordinary Markdown links relative to a page.

use crate::markdown::options;
use crate::model::{SitePath, Slug};
use pulldown_cmark::{Event, Parser, Tag};
use serde::Serialize;
use std::ops::Range;

/// A `[[…]]` in a Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikiRef {
    /// Byte range of the whole `[[…]]`.
    pub range: Range<usize>,
    /// What is linked (before `|`), trimmed.
    pub target: String,
    /// The shown text (after `|`), if given.
    pub text: Option<String>,
}

/// What a wikilink points at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Target {
    Article { slug: Slug },
    Annotation { article: Slug, id: String },
    Entity { slug: Slug },
}

impl Target {
    /// The page (and fragment) the link goes to, relative to `at`.
    pub fn url(&self, at: &SitePath) -> String {
        let mut url = String::new();
        self.push_url(at, &mut url);
        url
    }

    /// [`Target::url`] appended to `out` (a note's links are written
    /// into its HTML on every page that shows it: without a string each).
    pub fn push_url(&self, at: &SitePath, out: &mut String) {
        match self {
            Target::Article { slug } => SitePath::article(slug).push_relative_from(at, out),
            Target::Annotation { article, id } => {
                let page = SitePath::article(article);
                if &page != at {
                    page.push_relative_from(at, out);
                }
                out.push_str("#a-");
                out.push_str(id);
            }
            Target::Entity { slug } => SitePath::entity(slug).push_relative_from(at, out),
        }
    }
}

/// A resolved wikilink, ready to be rewritten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub range: Range<usize>,
    pub target: Target,
    pub text: String,
}

/// The byte ranges of `md` that are code (spans and blocks, but not an
/// `internal` block), in order.
fn code_ranges(md: &str) -> Vec<Range<usize>> {
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut in_code_block: Option<usize> = None;
    for (ev, r) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Code(_) => code.push(r),
            // an `internal` block is a note's own text, only held back
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if crate::markdown::internal::is_internal(&info) => {}
            Event::Start(Tag::CodeBlock(_)) => in_code_block = Some(r.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(s) = in_code_block.take() {
                    code.push(s..r.end);
                }
            }
            _ => {}
        }
    }
    code.sort_by_key(|c| c.start);
    code
}

/// Whether `md` can hold code at all: a span or fence needs a backtick or
/// a tilde, an indented block a tab or four spaces in a row. Most notes
/// have none of them, and need no Markdown parse to find their links.
fn may_hold_code(md: &str) -> bool {
    let b = md.as_bytes();
    memchr::memchr3(b'`', b'~', b'\t', b).is_some() || memchr::memmem::find(b, b"    ").is_some()
}

/// Every `[[…]]` of `md` that is not inside code (an `internal` block
/// is not code: its wikilinks resolve, and a public build never sees it):
/// from left to right, a `[[` whose text up to the next `]]` holds no
/// newline and no other `[[`. Linear in `md` (the next `]]`, `[[`, newline
/// and code span are found by searches that only move forward), so `[[`
/// repeated 100,000 times costs no more than reading it.
pub fn find(md: &str) -> Vec<WikiRef> {
    if memchr::memmem::find(md.as_bytes(), b"[[").is_none() {
        return Vec::new();
    }
    let code = if may_hold_code(md) {
        code_ranges(md)
    } else {
        Vec::new()
    };
    let mut code = code.into_iter().peekable();
    let (mut close, mut open, mut newline) = (
        Next::new(md, "]]"),
        Next::new(md, "[["),
        Next::new(md, "\n"),
    );
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = open.at(from) {
        let Some(close_at) = close.at(start + 2) else {
            break;
        };
        let end = close_at + 2;
        // (code spans do not overlap, and `start` only grows)
        while code.next_if(|c| c.end <= start).is_some() {}
        let in_code = code.peek().is_some_and(|c| c.contains(&start));
        let nested = open.at(start + 2).is_some_and(|o| o + 2 <= close_at);
        let broken = newline.at(start + 2).is_some_and(|n| n < close_at);
        if nested || broken || in_code {
            from = start + 2;
            continue;
        }
        let inner = &md[start + 2..close_at];
        let (target, text) = match inner.split_once('|') {
            Some((t, x)) => (t.trim(), Some(x.trim().to_string())),
            None => (inner.trim(), None),
        };
        out.push(WikiRef {
            range: start..end,
            target: target.to_string(),
            text: text.filter(|t| !t.is_empty()),
        });
        from = end;
    }
    out
}

/// The first `pat` in `hay` at or after a position that never decreases
/// from one call to the next: a search starts only when the last answer
/// lies before the position asked, so all calls together read `hay` once.
struct Next<'a> {
    hay: &'a str,
    pat: &'static str,
    /// The last answer (`None`: no `pat` after `asked`).
    found: Option<usize>,
    asked: usize,
    started: bool,
}

impl<'a> Next<'a> {
    fn new(hay: &'a str, pat: &'static str) -> Next<'a> {
        Next {
            hay,
            pat,
            found: None,
            asked: 0,
            started: false,
        }
    }

    fn at(&mut self, pos: usize) -> Option<usize> {
        debug_assert!(pos >= self.asked || !self.started);
        let stale = match self.found {
            Some(f) => f < pos,
            None => !self.started,
        };
        if stale {
            self.found = self
                .hay
                .get(pos..)
                .and_then(|s| s.find(self.pat))
                .map(|i| pos + i);
        }
        self.started = true;
        self.asked = pos;
        self.found
    }
}

/// Backslash-escape every ASCII punctuation character, so text is shown as
/// written inside Markdown.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `md` with every resolved wikilink replaced by a Markdown link whose URL
/// is relative to the page `at`.
pub fn rewrite(md: &str, links: &[Resolved], at: &SitePath) -> String {
    rewrite_with(md, links, |_, t| t.url(at))
}

/// [`rewrite`] with the URL of the `i`th link given by `url(i, target)`.
pub fn rewrite_with(
    md: &str,
    links: &[Resolved],
    url: impl Fn(usize, &Target) -> String,
) -> String {
    let mut out = String::with_capacity(md.len() + links.len() * 32);
    let mut pos = 0;
    for (i, l) in links.iter().enumerate() {
        if l.range.start < pos || l.range.end > md.len() {
            continue;
        }
        out.push_str(&md[pos..l.range.start]);
        out.push('[');
        out.push_str(&escape_md(&l.text));
        out.push_str("](<");
        out.push_str(&url(i, &l.target));
        out.push_str(">)");
        pos = l.range.end;
    }
    out.push_str(&md[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_outside_code() {
        let md =
            "See [[a-b]] and [[Oreshnik|the missile]].\n\n`[[not]]`\n\n```\n[[nor]]\n```\n[[x#y]]";
        let f = find(md);
        assert_eq!(f.len(), 3, "{f:?}");
        let inside = find("```internal\nSee [[a-b]].\n```\n");
        assert_eq!(inside.len(), 1, "{inside:?}");
        assert_eq!(f[0].target, "a-b");
        assert_eq!(f[1].text.as_deref(), Some("the missile"));
        assert_eq!(&md[f[2].range.clone()], "[[x#y]]");
    }

    #[test]
    fn rewrites_relative_to_the_page() {
        let md = "See [[a]].";
        let slug = Slug::parse("a").unwrap();
        let links = vec![Resolved {
            range: 4..9,
            target: Target::Annotation {
                article: slug.clone(),
                id: "k".into(),
            },
            text: "*x*".into(),
        }];
        let at = SitePath::section("annotations");
        assert_eq!(
            rewrite(md, &links, &at),
            "See [\\*x\\*](<../articles/a/index.html#a-k>)."
        );
        assert_eq!(
            rewrite(md, &links, &SitePath::article(&slug)),
            "See [\\*x\\*](<#a-k>)."
        );
    }

    #[test]
    fn a_url_appended_is_the_url() {
        let (a, e) = (Slug::parse("a").unwrap(), Slug::parse("e").unwrap());
        let targets = [
            Target::Article { slug: a.clone() },
            Target::Annotation {
                article: a.clone(),
                id: "k".into(),
            },
            Target::Entity { slug: e.clone() },
        ];
        let pages = [
            SitePath::new("index.html"),
            SitePath::article(&a),
            SitePath::entity(&e),
            SitePath::section("annotations").page(2),
        ];
        let mut seen = Vec::new();
        for t in &targets {
            for at in &pages {
                let mut out = String::from("x");
                t.push_url(at, &mut out);
                assert_eq!(out, format!("x{}", t.url(at)));
                seen.push(t.url(at));
            }
        }
        assert_eq!(seen[1], "../../articles/a/index.html");
        assert_eq!(seen[5], "#a-k");
        assert_eq!(seen[8], "entities/e/index.html");
    }

    /// The first version of [`find`] (quadratic), as the reference.
    fn find_slow(md: &str) -> Vec<WikiRef> {
        let code = code_ranges(md);
        let in_code = |i: usize| code.iter().any(|c| c.contains(&i));
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = md.get(from..).and_then(|s| s.find("[[")) {
            let start = from + i;
            let Some(len) = md[start + 2..].find("]]") else {
                break;
            };
            let inner = &md[start + 2..start + 2 + len];
            let end = start + 2 + len + 2;
            if inner.contains('\n') || inner.contains("[[") || in_code(start) {
                from = start + 2;
                continue;
            }
            let (target, text) = match inner.split_once('|') {
                Some((t, x)) => (t.trim(), Some(x.trim().to_string())),
                None => (inner.trim(), None),
            };
            out.push(WikiRef {
                range: start..end,
                target: target.to_string(),
                text: text.filter(|t| !t.is_empty()),
            });
            from = end;
        }
        out
    }

    #[test]
    fn deep_brackets_give_the_innermost_link() {
        let n = 100_000;
        let md = format!("{}x{}", "[[".repeat(n), "]]".repeat(n));
        let f = find(&md);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].range, 2 * n - 2..2 * n + 3);
        assert_eq!(f[0].target, "x");
    }

    proptest::proptest! {
        #[test]
        fn finds_what_the_first_version_found(
            md in "([\\[\\]]{1,3}|[a|#` \n]|```\n|\\[\\[a\\]\\]){0,80}",
        ) {
            proptest::prop_assert_eq!(find(&md), find_slow(&md));
        }

        /// What has no backtick, tilde, tab or four spaces in a row holds
        /// no code, whatever blocks it is made of.
        #[test]
        fn text_that_cannot_hold_code_has_none(
            md in "([-*>#+1. ]{1,3}|[a\\[\\]<>|_!()]|\n|\n\n|   ){0,60}",
        ) {
            if !may_hold_code(&md) {
                proptest::prop_assert_eq!(code_ranges(&md), Vec::<Range<usize>>::new());
            }
        }
    }

    #[test]
    fn code_of_every_kind_is_seen_as_possible() {
        for md in [
            "`a`",
            "~~~\na\n~~~",
            "```\na\n```",
            "    a",
            "\ta",
            "- a\n\n      b",
            ">     a",
        ] {
            assert!(!code_ranges(md).is_empty(), "{md:?}");
            assert!(may_hold_code(md), "{md:?}");
        }
        assert!(!may_hold_code(
            "Note 1: see [[France]] and compare [[a-b]]."
        ));
    }
}
