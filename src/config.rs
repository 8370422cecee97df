//! `briefing.toml`: the site's title, base URL, language and options.

use crate::diag::Problem;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Site configuration. Every key is optional; defaults give a working site.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Config {
    /// The briefing's title, shown on every page.
    pub title: String,
    /// Absolute URL the site is published at; used only where an absolute
    /// URL is required (feed, sitemap, canonical links).
    pub base_url: String,
    /// Language of the pages (`lang` attribute).
    pub language: String,
    /// Short description for the feed and `<meta name=description>`.
    pub description: String,
    /// Link entity mentions: `"first"` (an entity's first mention in the
    /// article body), `"paragraph"` (its first in each paragraph) or
    /// `"all"` (every mention).
    pub entity_links: EntityLinks,
    /// Who publishes the assessments (the `author` of each claim's
    /// `ClaimReview`); the site's title when empty.
    pub author: String,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum EntityLinks {
    All,
    /// The first mention of each entity in the body (as newsrooms and
    /// Wikipedia link): later mentions are plain text with their anchor.
    #[default]
    First,
    /// The first mention of each entity in each paragraph.
    Paragraph,
}

impl<'de> Deserialize<'de> for EntityLinks {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::yaml::one_of(
            d,
            &["all", "first", "paragraph"],
            &[EntityLinks::All, EntityLinks::First, EntityLinks::Paragraph],
        )
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefing".into(),
            base_url: "http://localhost:1111/".into(),
            language: "en".into(),
            description: String::new(),
            entity_links: EntityLinks::First,
            author: String::new(),
        }
    }
}

/// The keys of `briefing.toml` (any other is a warning, and ignored).
pub const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "description",
    "entity_links",
    "author",
];

impl Config {
    /// Parse `briefing.toml`; errors point at the offending key.
    pub fn parse(file: &str, text: &str) -> Result<Config, Problem> {
        Self::parse_with_warnings(file, text).map(|(c, _)| c)
    }

    /// [`Config::parse`], and a warning for each key it does not know
    /// (at the key, naming the closest known one).
    pub fn parse_with_warnings(file: &str, text: &str) -> Result<(Config, Vec<Problem>), Problem> {
        let cfg = Self::parse_values(file, text)?;
        let mut warnings = Vec::new();
        if let Ok(table) = toml::de::DeTable::parse(text) {
            let src: Arc<str> = Arc::from(text);
            for (key, _) in table.get_ref().iter() {
                let k: &str = key.get_ref();
                if !KEYS.contains(&k) {
                    warnings.push(crate::yaml::unknown_key(
                        file,
                        &src,
                        key.span().start,
                        k,
                        KEYS,
                        "briefing.toml",
                    ));
                }
            }
        }
        warnings.sort_by_key(|p| (p.line, p.column));
        Ok((cfg, warnings))
    }

    fn parse_values(file: &str, text: &str) -> Result<Config, Problem> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let plain =
                crate::yaml::plain_error("briefing.toml", key_at(text, span.start), e.message());
            // a syntax error: TOML's words, not YAML's
            let message = plain.message.replace(
                "briefing.toml is not valid YAML",
                "briefing.toml is not valid TOML",
            );
            let help = match plain.help {
                Some(h) if !message.contains("not valid TOML") => h,
                _ => "see README.md, section \"briefing.toml\", for the keys and their meaning"
                    .to_string(),
            };
            Problem::at(
                file,
                Arc::from(text),
                span.start,
                span.len().max(1),
                message,
            )
            .with_help(help)
        })?;
        if !cfg.base_url.ends_with('/') {
            cfg.base_url.push('/');
        }
        Ok(cfg)
    }

    /// An absolute URL for a site path (feed, sitemap, canonical).
    pub fn absolute(&self, path: &crate::model::SitePath) -> String {
        format!("{}{}", self.base_url, path.pretty())
    }
}

/// The key of the `key = value` line (or `[table]` header) holding
/// byte `at`, for messages: TOML's errors do not name the key.
fn key_at(text: &str, at: usize) -> Option<&str> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    let key = match line.strip_prefix('[') {
        Some(rest) => rest.trim_start_matches('[').split(']').next()?,
        None => line.split('=').next()?,
    };
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !line.starts_with('#')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_trailing_slash() {
        let c = Config::parse(
            "briefing.toml",
            "title = \"X\"\nbase_url = \"https://ex.org/b\"",
        )
        .unwrap();
        assert_eq!(c.title, "X");
        assert_eq!(c.base_url, "https://ex.org/b/");
        assert_eq!(c.language, "en");
    }

    #[test]
    fn unknown_keys_are_warnings_with_position_and_the_closest_key() {
        let (c, w) = Config::parse_with_warnings(
            "briefing.toml",
            "title = \"X\"\ntitel = 3\n[profile]\nx = 1\n",
        )
        .unwrap();
        assert_eq!(c.title, "X");
        let w: Vec<(usize, usize, String, bool)> = w
            .iter()
            .map(|p| {
                (
                    p.line,
                    p.column,
                    p.message.clone(),
                    p.severity == crate::diag::Severity::Warning,
                )
            })
            .collect();
        assert_eq!(
            w,
            [
                (
                    2,
                    1,
                    "unknown key `titel` in briefing.toml: did you mean `title`?".to_string(),
                    true
                ),
                (
                    3,
                    2,
                    "unknown key `profile` in briefing.toml".to_string(),
                    true
                )
            ]
        );
    }

    #[test]
    fn wrong_types_are_said_in_plain_words() {
        let msg = |t: &str| Config::parse("briefing.toml", t).unwrap_err().message;
        assert_eq!(
            msg("title = 3\n"),
            "`title` must be text (found the number 3)"
        );
        assert_eq!(
            msg("entity_links = [\"all\"]\n"),
            "`entity_links` must be one of all, first, paragraph (found a list)"
        );
        assert_eq!(
            msg("entity_links = \"most\"\n"),
            "`entity_links` must be one of all, first, paragraph (found `most`)"
        );
        assert_eq!(
            msg("title = \"a\"\ntitle = \"b\"\n"),
            "`title` is given twice"
        );
        assert!(
            msg("title = \n").starts_with("briefing.toml is not valid TOML: "),
            "{}",
            msg("title = \n")
        );
    }
}
