//! content: the Markdown articles in `content/` — parsing them (front
//! matter + body) into [`Article`]s, and turning a [`Cleaned`] seed into the
//! text of a new content file.
//!
//! Pure: callers pass file names and texts in and get values or
//! [`Problem`]s back. Deciding whether an existing file may be overwritten
//! lives in [`crate::project`], which owns the file system.

use crate::clean::Cleaned;
use crate::diag::Problem;
use crate::model::{Figure, Slug};
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Front matter of an article, as written in `content/*.md`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The publication's name (provenance, written by `clean`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The article's canonical URL on the web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// First publication as the page declares it (RFC 3339, offset kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last modification as the page declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// SHA-256 of the seed's bytes, so a re-scrape can be told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A parsed article.
#[derive(Clone, Debug)]
pub struct Article {
    /// Project-relative file name (`content/x.md`), for diagnostics.
    pub file: String,
    pub slug: Slug,
    pub title: String,
    pub date: Option<jiff::civil::DateTime>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub summary: String,
    pub figures: Vec<Figure>,
    pub tags: Vec<String>,
    /// Byte offset of the Markdown body in `text` (see [`Article::body`]).
    pub body_offset: usize,
    /// The whole file, for diagnostics that quote it.
    pub text: Arc<str>,
}

impl Article {
    /// The Markdown body: a view into the file's text, not a copy (ten
    /// thousand bodies are tens of megabytes held all build).
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// The executive summary, `content/_briefing.md`.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub file: String,
    pub title: Option<String>,
    pub body: String,
    pub body_offset: usize,
    pub text: Arc<str>,
}

/// Parse a date as written in front matter: `2024-12-06T15:39:00`,
/// `2024-12-06 15:39`, or `2024-12-06`.
pub fn parse_date(s: &str) -> Option<jiff::civil::DateTime> {
    let s = s.trim();
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Some(dt);
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Some(d.to_datetime(jiff::civil::Time::midnight()));
    }
    // An offset or zone: keep the wall-clock time as written.
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime());
    }
    None
}

/// Find the byte span of a top-level key's value in front matter, for
/// diagnostics that concern a key (`date: yesterday`).
fn key_span(yaml: &str, yaml_offset: usize, key: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.strip_prefix(':')
        {
            let lead = value.len() - value.trim_start().len();
            let start = yaml_offset + pos + key.len() + 1 + lead;
            return Some((start, value.trim().len().max(1)));
        }
        pos += line.len();
    }
    None
}

/// Parse one article file. `file` is its project-relative name.
pub fn parse_article(file: &str, text: Arc<str>) -> Result<Article, Problem> {
    let split = yaml::split_front_matter(&text).map_err(|at| {
        Problem::at(file, text.clone(), at, 3, "front matter is not closed")
            .with_help("end the front matter with a line holding only `---`")
    })?;
    let Some(yaml_src) = split.yaml else {
        return Err(
            Problem::at(file, text.clone(), 0, 0, "article has no front matter")
                .with_help("start the file with `---`, a line `title: …`, and `---`"),
        );
    };
    let fm: FrontMatter =
        yaml::from_str_at(file, &text, yaml_src, split.yaml_offset, "front matter")?;
    let title = match fm.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => {
            return Err(
                Problem::at(file, text.clone(), 0, 3, "article has no title")
                    .with_label("front matter starts here")
                    .with_help("add a line `title: \"The headline\"` to the front matter"),
            );
        }
    };
    let slug = match &fm.slug {
        Some(s) => Slug::parse(s).map_err(|why| {
            let (at, len) = key_span(yaml_src, split.yaml_offset, "slug").unwrap_or((0, 3));
            Problem::at(file, text.clone(), at, len, format!("invalid slug: {why}")).with_help(
                "use lowercase letters, digits and single hyphens, e.g. `slug: my-article`",
            )
        })?,
        None => Slug::from_title(&title).ok_or_else(|| {
            Problem::at(
                file,
                text.clone(),
                0,
                3,
                "cannot derive a slug from the title",
            )
            .with_help("add `slug: some-name` to the front matter")
        })?,
    };
    let date = match &fm.date {
        Some(d) => Some(parse_date(d).ok_or_else(|| {
            let (at, len) = key_span(yaml_src, split.yaml_offset, "date").unwrap_or((0, 3));
            Problem::at(
                file,
                text.clone(),
                at,
                len,
                format!("cannot read the date {d:?}"),
            )
            .with_help("write dates as 2024-12-06T15:39:00 or 2024-12-06, or remove the line")
        })?),
        None => None,
    };
    let summary = match fm.summary {
        Some(s) if !s.trim().is_empty() => s,
        _ => first_paragraph_text(split.body),
    };
    Ok(Article {
        file: file.to_string(),
        slug,
        title,
        date,
        byline: fm.byline.filter(|b| !b.trim().is_empty()),
        source: fm.source,
        summary,
        figures: fm.figures,
        tags: fm.tags,
        body_offset: split.body_offset,
        text,
    })
}

/// Parse `content/_briefing.md` (front matter optional).
pub fn parse_summary(file: &str, text: Arc<str>) -> Result<Summary, Problem> {
    #[derive(Deserialize, Default)]
    struct Fm {
        #[serde(default)]
        title: Option<String>,
    }
    let split = yaml::split_front_matter(&text).map_err(|at| {
        Problem::at(file, text.clone(), at, 3, "front matter is not closed")
            .with_help("end the front matter with a line holding only `---`")
    })?;
    let fm: Fm = match split.yaml {
        Some(y) => yaml::from_str_at(file, &text, y, split.yaml_offset, "front matter")?,
        None => Fm::default(),
    };
    Ok(Summary {
        file: file.to_string(),
        title: fm.title,
        body: split.body.to_string(),
        body_offset: split.body_offset,
        text,
    })
}

/// The plain text of the first paragraph of a Markdown body.
pub fn first_paragraph_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut inside = false;
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The text of a new content file for a cleaned seed.
pub fn cleaned_to_markdown(c: &Cleaned, slug: &Slug, source: &str) -> String {
    let body = c.body.join("\n\n");
    let fm = FrontMatter {
        title: Some(c.title.clone()),
        slug: Some(slug.to_string()),
        date: c.date.clone(),
        byline: c.byline.clone(),
        outlet: c.provenance.outlet.clone(),
        url: c.provenance.url.clone(),
        published: c.provenance.published.clone(),
        modified: c.provenance.modified.clone(),
        source: Some(source.to_string()),
        seed_sha256: None,
        summary: Some(first_paragraph_text(&body)).filter(|s| !s.is_empty()),
        figures: c.figures.clone(),
        tags: Vec::new(),
    };
    format!("---\n{}---\n\n{}\n", yaml::to_string(&fm), body)
}

/// The slugs an article that failed to parse probably has, from what can
/// still be read of it (a `slug:` or `title:` line, the file name), so
/// that links to it are not reported as unresolved while its own error
/// stands: `content/` files only; none for the summary.
pub fn probable_slugs(file: &str, text: &str) -> Vec<Slug> {
    let Some(stem) = file
        .strip_prefix("content/")
        .and_then(|f| f.strip_suffix(".md"))
        .filter(|f| *f != "_briefing")
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |s: Option<Slug>| {
        if let Some(s) = s
            && !out.contains(&s)
        {
            out.push(s);
        }
    };
    let front = text.strip_prefix("---").unwrap_or("");
    let front = &front[..front.find("\n---").unwrap_or(front.len())];
    let value = |key: &str| {
        front.lines().find_map(|line| {
            line.strip_prefix(key)
                .map(|v| v.trim().trim_matches(['"', '\'']).trim().to_string())
        })
    };
    // the slug is the `slug:` line's, else the title's
    match value("slug:") {
        Some(v) => push(Slug::parse(&v).ok()),
        None => push(value("title:").and_then(|t| Slug::from_title(&t))),
    }
    push(Slug::parse(stem.rsplit('/').next().unwrap_or(stem)).ok());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(text: &str) -> Result<Article, Problem> {
        parse_article("content/a.md", Arc::from(text))
    }

    #[test]
    fn a_broken_article_still_tells_its_probable_slugs() {
        let slugs = |f: &str, t: &str| -> Vec<String> {
            probable_slugs(f, t).iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(
            slugs("content/x-y.md", "---\ntitle: [oops A B\nslug: a-b\n---\n"),
            ["a-b", "x-y"]
        );
        assert_eq!(
            slugs(
                "content/x.md",
                "---\ntitle: \"The Deal\"\ndate: soon\n---\n"
            ),
            ["the-deal", "x"]
        );
        assert!(slugs("content/_briefing.md", "---\ntitle: x\n---\n").is_empty());
        assert!(slugs("annotations/a.md", "---\n").is_empty());
    }

    #[test]
    fn parses_a_full_article() {
        let a = art("---\ntitle: \"A: b\"\ndate: 2024-12-06T15:39:00\nbyline: Kit Heren\nfigures:\n  - caption: c\n    credit: Alamy\n---\n\nFirst para.\n\nSecond.\n").unwrap();
        assert_eq!(a.title, "A: b");
        assert_eq!(a.slug.as_str(), "a-b");
        assert_eq!(a.date.unwrap().to_string(), "2024-12-06T15:39:00");
        assert_eq!(a.summary, "First para.");
        assert_eq!(a.figures[0].credit.as_deref(), Some("Alamy"));
        assert_eq!(a.body(), "\nFirst para.\n\nSecond.\n");
    }

    #[test]
    fn missing_title_is_a_diagnostic() {
        let e = art("---\ndate: 2024-01-01\n---\nx\n").unwrap_err();
        assert_eq!(e.message, "article has no title");
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let e = art("---\ntitle: T\ndate: yesterday\n---\nx\n").unwrap_err();
        assert_eq!(e.message, "cannot read the date \"yesterday\"");
        assert_eq!((e.line, e.column), (3, 7));
    }

    #[test]
    fn bad_slug_points_at_the_value() {
        let e = art("---\ntitle: T\nslug: Not OK\n---\nx\n").unwrap_err();
        assert!(e.message.starts_with("invalid slug"), "{}", e.message);
        assert_eq!((e.line, e.column), (3, 7));
    }

    #[test]
    fn cleaned_round_trips_through_front_matter() {
        let c = Cleaned {
            title: "Quote: \"x\" — # not a comment".into(),
            date: Some("2024-12-06T15:39:00".into()),
            byline: Some("Kit Heren".into()),
            provenance: Default::default(),
            figures: vec![Figure {
                caption: "- a caption: yes".into(),
                credit: Some("Getty".into()),
            }],
            body: vec!["Para \\*one\\*.".into(), "Two.".into()],
            report: Vec::new().into(),
        };
        let slug = Slug::from_title(&c.title).unwrap();
        let md = cleaned_to_markdown(&c, &slug, "x.txt");
        let a = art(&md).unwrap();
        assert_eq!(a.title, c.title);
        assert_eq!(a.figures, c.figures);
        assert_eq!(a.summary, "Para *one*.");
        assert_eq!(a.source.as_deref(), Some("x.txt"));
    }
}
