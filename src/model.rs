//! The typed vocabulary shared by every stage: slugs, site paths and
//! figures, and how a long text is shortened for a label ([`shorten`]).
//! The bottom of the pipeline: it imports no other stage (the assembled
//! briefing, which holds every stage's output, is [`crate::assembled`]).
//!
//! Nothing here does I/O. Types exist so that distinct things cannot be
//! mixed up: a [`Slug`] is not any string, a [`SitePath`] is always relative
//! to the site root and is the only way page URLs are built.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A URL segment: ASCII, lowercase, `[a-z0-9-]`, no leading/trailing or
/// doubled hyphens, at most [`Slug::MAX_LEN`] bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Longest slug derived from a title.
    pub const MAX_LEN: usize = 60;

    /// Derive a slug from free text (a headline, an entity name): fold to
    /// ASCII, lowercase, keep `[a-z0-9]`, join words with `-`, and cut at a
    /// hyphen so the result is at most 60 bytes. Returns `None` when nothing
    /// sluggable is left (e.g. a title of only punctuation).
    pub fn from_title(text: &str) -> Option<Slug> {
        let folded = slug::slugify(text);
        let mut out = String::new();
        for word in folded.split('-').filter(|w| !w.is_empty()) {
            let extra = if out.is_empty() {
                word.len()
            } else {
                word.len() + 1
            };
            if out.len() + extra > Self::MAX_LEN {
                if out.is_empty() {
                    out.push_str(&word[..Self::MAX_LEN]);
                }
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(word);
        }
        if out.is_empty() {
            None
        } else {
            Some(Slug(out))
        }
    }

    /// Accept an already-formed slug (from front matter), or say why not.
    pub fn parse(s: &str) -> Result<Slug, String> {
        if s.is_empty() {
            return Err("a slug cannot be empty".into());
        }
        if s.len() > 100 {
            return Err("a slug is at most 100 characters".into());
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err("a slug may contain only a-z, 0-9 and '-'".into());
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err("a slug cannot start or end with '-' or contain '--'".into());
        }
        Ok(Slug(s.to_string()))
    }

    /// The slug with a numeric suffix, for disambiguation (`-2`, `-3`, …).
    pub fn with_suffix(&self, n: usize) -> Slug {
        Slug(format!("{}-{n}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A path inside the output site, relative to its root, with `/`
/// separators and no leading slash: `articles/some-slug/index.html`.
///
/// Every link between pages is built from two `SitePath`s with
/// [`SitePath::relative_from`], which is what makes `site/` work under any
/// sub-path and from `file://`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SitePath(String);

impl SitePath {
    pub fn new(path: impl Into<String>) -> SitePath {
        let p: String = path.into();
        debug_assert!(
            !p.starts_with('/') && !p.contains(".."),
            "bad site path {p}"
        );
        SitePath(p)
    }
    pub fn index() -> SitePath {
        SitePath::new("index.html")
    }
    pub fn article(slug: &Slug) -> SitePath {
        SitePath::new(format!("articles/{slug}/index.html"))
    }
    pub fn article_source(slug: &Slug) -> SitePath {
        SitePath::new(format!("articles/{slug}/source/index.html"))
    }
    pub fn entity(slug: &Slug) -> SitePath {
        SitePath::new(format!("entities/{slug}/index.html"))
    }
    pub fn section(name: &str) -> SitePath {
        SitePath::new(format!("{name}/index.html"))
    }
    /// Page `n` (1-based) of a paginated listing whose first page is
    /// `self` (a `…/index.html`): `…/index-2.html`, `…/index-3.html`. A
    /// slug cannot contain `.`, so these never clash with article or entity
    /// directories.
    pub fn page(&self, n: usize) -> SitePath {
        if n <= 1 {
            return self.clone();
        }
        let dir = self.0.strip_suffix("index.html").unwrap_or(&self.0);
        SitePath::new(format!("{dir}index-{n}.html"))
    }
    pub fn asset(name: &str) -> SitePath {
        SitePath::new(format!("static/{name}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many directories deep the page is (`a/b/index.html`: 2).
    pub fn dir_depth(&self) -> usize {
        // (bytes: `matches` runs a char searcher, 1% of a build's
        // instructions for the links of every page)
        self.0.bytes().filter(|&b| b == b'/').count()
    }

    /// A relative URL from the page at `from` to `self`. `index.html` is
    /// kept explicit so links work from `file://`, where a directory URL
    /// shows a listing instead of the page.
    pub fn relative_from(&self, from: &SitePath) -> String {
        let mut url = String::with_capacity(3 * from.dir_depth() + self.0.len());
        self.push_relative_from(from, &mut url);
        url
    }

    /// [`SitePath::relative_from`] appended to `out`.
    pub fn push_relative_from(&self, from: &SitePath, out: &mut String) {
        for _ in 0..from.dir_depth() {
            out.push_str("../");
        }
        out.push_str(&self.0);
    }

    /// The path a browser sees under `base_url` (for feed, sitemap,
    /// canonical links): `index.html` is dropped from the end.
    pub fn pretty(&self) -> &str {
        self.0.strip_suffix("index.html").unwrap_or(&self.0)
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A picture caption found on the page, with its credit when one is given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// `text` as a label of at most `max` characters before an ellipsis: cut
/// at the end of a word (unless that would keep less than half), without
/// a trailing `,;:.` or space, then `…`; a text that fits is itself.
/// The one rule for every shortened quote, preview and description.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return Cow::Borrowed(text);
    };
    let kept = &text[..end];
    // the cut falls between two words when the next character is a space
    let at_word_end = text[end..].starts_with(char::is_whitespace);
    let kept = match kept.rfind(char::is_whitespace) {
        Some(i) if !at_word_end && i > kept.len() / 2 => &kept[..i],
        _ => kept,
    };
    let kept =
        kept.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.'));
    Cow::Owned(format!("{kept}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_the_end_of_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("exactly10c", 10), "exactly10c");
        assert_eq!(shorten("one two three four", 10), "one two…");
        // the cut falls on a space: the word before it is whole
        assert_eq!(shorten("one two three", 7), "one two…");
        // and just after a space: the word before it, without the space
        assert_eq!(shorten("one two three", 8), "one two…");
        assert_eq!(shorten("Minsk, and more", 6), "Minsk…");
        // multibyte letters on either side of the cut
        assert_eq!(shorten("Nicolás Maduro habló", 14), "Nicolás Maduro…");
        assert_eq!(shorten("Nicolás Maduro habló", 15), "Nicolás Maduro…");
        assert_eq!(shorten("Nicolás Maduro habló", 10), "Nicolás…");
        // one long word is cut inside rather than to nothing
        assert_eq!(shorten("a Oreshnikmissilesystem", 12), "a Oreshnikmi…");
    }

    proptest::proptest! {
        #[test]
        fn shorten_keeps_a_prefix_of_whole_words(
            words in proptest::collection::vec("[a-zé]{1,8}", 1..30),
            sep in "[ ,.]{0,1} ",
            max in 1usize..80,
        ) {
            let text = words.join(&sep);
            let short = shorten(&text, max);
            if text.chars().count() <= max {
                proptest::prop_assert_eq!(&*short, &*text);
            } else {
                let kept = short.strip_suffix('…').unwrap();
                proptest::prop_assert!(kept.chars().count() <= max);
                proptest::prop_assert!(text.starts_with(kept));
                // whole words, unless the last word would leave less than half
                let next = text[kept.len()..].chars().next();
                let whole = next.is_some_and(|c| matches!(c, ' ' | ',' | '.'));
                let prefix: String = text.chars().take(max).collect();
                let hard_cut = prefix.rfind(' ').is_none_or(|i| i <= prefix.len() / 2);
                proptest::prop_assert!(whole || hard_cut, "{:?} {} {:?}", text, max, kept);
            }
        }
    }

    #[test]
    fn slug_is_cut_at_a_hyphen_within_60() {
        let s = Slug::from_title("Russia 'to fire its hypersonic Oreshnik missiles from Belarus next year', Putin claims in chilling warning").unwrap();
        assert_eq!(
            s.as_str(),
            "russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus"
        );
        assert!(s.as_str().len() <= Slug::MAX_LEN);
    }

    #[test]
    fn slug_folds_accents_and_punctuation() {
        let s = Slug::from_title("Nicolás Maduro: ¿qué pasó?").unwrap();
        assert_eq!(s.as_str(), "nicolas-maduro-que-paso");
        assert_eq!(Slug::from_title("?!…"), None);
    }

    #[test]
    fn slug_parse_rejects_bad_input() {
        assert!(Slug::parse("ok-slug-2").is_ok());
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("-x").is_err());
        assert!(Slug::parse("").is_err());
    }

    #[test]
    fn relative_links_climb_to_the_root() {
        let a = SitePath::article(&Slug::parse("a").unwrap());
        let b = SitePath::article(&Slug::parse("b").unwrap());
        assert_eq!(b.relative_from(&a), "../../articles/b/index.html");
        assert_eq!(SitePath::index().relative_from(&a), "../../index.html");
        assert_eq!(a.relative_from(&SitePath::index()), "articles/a/index.html");
        assert_eq!(a.pretty(), "articles/a/");
        let list = SitePath::section("articles");
        assert_eq!(list.page(1), list);
        assert_eq!(list.page(3).as_str(), "articles/index-3.html");
        assert_eq!(a.relative_from(&list.page(3)), "../articles/a/index.html");
    }
}
