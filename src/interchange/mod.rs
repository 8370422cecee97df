//! interchange: annotations in and out of the briefing — the W3C Web
//! Annotation Data Model (JSON-LD) and Hypothesis's JSON.
//!
//! - [`read`] turns a Hypothesis or W3C file into [`Incoming`]
//!   annotations, each with its byte position in the file; a file that is
//!   not JSON, or not of the format named, is one [`Problem`] at its line
//!   and column.
//! - [`plan`] decides, purely, what an import appends to which annotation
//!   file: the article is found by its `url` (or its page on this site),
//!   the quote anchored as the build anchors it (prefix and suffix pick
//!   one of several equal passages: `occurrence=N`), the origin id kept in
//!   `origin=` so that importing again adds nothing; highlights that do
//!   not anchor are orphans, reported with the closest passage.
//! - [`export`] writes the anchored annotations of a built briefing as a
//!   W3C `AnnotationCollection` or a Hypothesis export.
//! - [`command`] is the I/O edge of `briefing import` and `briefing export`.

pub mod command;
pub mod export;
pub mod plan;
pub mod read;

use crate::annotate::Status;

/// The W3C Web Annotation JSON-LD context.
pub const W3C_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The two formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// W3C Web Annotation Data Model (JSON-LD).
    W3c,
    /// Hypothesis's JSON export.
    Hypothesis,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::W3c => "W3C Web Annotation",
            Format::Hypothesis => "Hypothesis",
        }
    }
}

/// A quoted passage as a selector gives it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// One annotation read from an import file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Incoming {
    /// Byte offset of the annotation in the import file.
    pub at: usize,
    /// Its line and column there.
    pub line_col: (usize, usize),
    /// Where it came from: `hypothesis:<id>`, or the W3C annotation's IRI.
    pub origin: Option<String>,
    /// The addresses of the annotated page (target sources, `uri`, the
    /// document's links), first the most specific.
    pub sources: Vec<String>,
    /// The passage; `None` for a page note.
    pub quote: Option<Quote>,
    /// The type of a selector that was not read (no `TextQuoteSelector`
    /// beside it): not a page note, but a passage this cannot find.
    pub unread_selector: Option<String>,
    /// The note (Markdown).
    pub note: String,
    pub tags: Vec<String>,
    /// A W3C `assessing` body.
    pub status: Option<Status>,
    /// The id the annotation had in a briefing (`…#a-<id>` in its IRI or
    /// link): a round trip keeps it.
    pub id_hint: Option<String>,
    /// A reply: the origin of the annotation it answers.
    pub reply_to: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
}

/// The id in `…#a-<id>` (a passage's anchor on a briefing's page).
pub fn id_from_anchor(iri: &str) -> Option<String> {
    let (_, frag) = iri.rsplit_once("#a-")?;
    valid_name(frag).then(|| frag.to_string())
}

/// An id or tag usable in HTML ids, classes and URLs (as the annotation
/// parser requires).
pub fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A free-text tag ("Needs review", "climate change") as a tag name
/// (`needs-review`): lower case, runs of other characters as one `-`.
/// `None` when nothing is left.
pub fn tag_name(tag: &str) -> Option<String> {
    let mut out = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if c.is_alphanumeric() {
            // (tags are ASCII in class names and URLs)
            if let Some(a) = crate::model::Slug::from_title(&c.to_string()) {
                out.push_str(a.as_str());
            }
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-');
    let mut cut = t.len().min(80);
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    let t = t[..cut].trim_end_matches('-');
    (!t.is_empty()).then(|| t.to_string())
}

/// An origin (an id or an IRI) as the value of `origin=`: characters an
/// attribute value may not hold are percent-encoded.
pub fn origin_value(origin: &str) -> String {
    let mut out = String::with_capacity(origin.len());
    for c in origin.chars() {
        if c.is_ascii_alphanumeric()
            || c == '-'
            || c == '_'
            || crate::annotate::parse::origin_char(c)
        {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// What special tags say: `claim:KEY`, `date:YYYY-MM-DD`, `status:WORD`
/// (how claims and events travel through Hypothesis's tags and W3C
/// tagging bodies).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Special {
    pub claim: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub status: Option<Status>,
}

/// Split `claim:`/`date:`/`status:` tags from the others.
pub fn special_tags(tags: &[String]) -> (Vec<String>, Special) {
    let mut rest = Vec::new();
    let mut sp = Special::default();
    for t in tags {
        let t = t.trim();
        if let Some(k) = t.strip_prefix("claim:").filter(|k| valid_name(k)) {
            sp.claim = Some(k.to_string());
        } else if let Some(d) = t
            .strip_prefix("date:")
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        {
            sp.date = Some(d);
        } else if let Some(s) = t.strip_prefix("status:").and_then(Status::parse) {
            sp.status = Some(s);
        } else {
            rest.push(t.to_string());
        }
    }
    (rest, sp)
}

/// The special tags an annotation is exported with (see [`special_tags`]):
/// only what its own tags and id do not already say, so that importing
/// them gives the same annotation.
pub fn special_tags_of(a: &crate::annotate::Annotation) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = a.claim.as_ref().filter(|c| **c != a.id) {
        out.push(format!("claim:{c}"));
    }
    if let Some(d) = a.date {
        out.push(format!("date:{d}"));
    }
    if let Some(s) = a.status.filter(|s| !a.tags.iter().any(|t| t == s.as_str())) {
        out.push(format!("status:{}", s.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_names() {
        assert_eq!(tag_name("Needs review").as_deref(), Some("needs-review"));
        assert_eq!(tag_name("  claim ").as_deref(), Some("claim"));
        assert_eq!(tag_name("Москва").as_deref(), Some("moskva"));
        assert_eq!(tag_name("!!!"), None);
        assert!(tag_name(&"x".repeat(200)).unwrap().len() <= 80);
    }

    #[test]
    fn origins_are_attribute_values() {
        assert_eq!(
            origin_value("hypothesis:Z3_5ZtcNEe-0kdvJfpx1pA"),
            "hypothesis:Z3_5ZtcNEe-0kdvJfpx1pA"
        );
        assert_eq!(origin_value("urn:x {a}\"é"), "urn:x%20%7Ba%7D%22%C3%A9");
    }

    #[test]
    fn anchors_give_ids() {
        assert_eq!(
            id_from_anchor("https://b.example/articles/x/#a-intercept-claim").as_deref(),
            Some("intercept-claim")
        );
        assert_eq!(id_from_anchor("urn:uuid:1234"), None);
        assert_eq!(id_from_anchor("https://x/#a-bad id"), None);
    }

    #[test]
    fn special_tags_split() {
        let (rest, sp) = special_tags(&[
            "claim:intercept".into(),
            "date:2024-11-21".into(),
            "status:disputed".into(),
            "date:soon".into(),
            "x".into(),
        ]);
        assert_eq!(rest, ["date:soon", "x"]);
        assert_eq!(sp.claim.as_deref(), Some("intercept"));
        assert_eq!(sp.date.unwrap().to_string(), "2024-11-21");
        assert_eq!(sp.status, Some(Status::Disputed));
    }
}
