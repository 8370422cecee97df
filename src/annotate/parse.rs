//! Parse one annotation file: front matter (`article:`), the note on the
//! whole article, and one [`ParsedAnnotation`] per level-2 heading with its
//! attributes (`{#id .tag key=value}`) validated.
//!
//! Positions are byte offsets into the whole file, for diagnostics.

use super::AnnotationSource;
use crate::diag::{Problem, Problems};
use crate::markdown::options;
use crate::model::Slug;
use crate::yaml;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Status of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unverified,
    Corroborated,
    Disputed,
    Retracted,
}

impl Status {
    pub const ALL: [(&'static str, Status); 4] = [
        ("unverified", Status::Unverified),
        ("corroborated", Status::Corroborated),
        ("disputed", Status::Disputed),
        ("retracted", Status::Retracted),
    ];
    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, st)| *st)
    }
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, st)| *st == self)
            .map_or("", |(n, _)| n)
    }
}

/// Markdown of a note and where it starts in its file.
#[derive(Clone, Debug, Default)]
pub struct NoteSrc {
    pub md: String,
    pub offset: usize,
}

/// One `## "quote" {…}` section.
#[derive(Clone, Debug)]
pub struct ParsedAnnotation {
    pub id: String,
    pub quote: String,
    /// Offset and length of the quote in the file (the heading text).
    pub quote_at: (usize, usize),
    pub tags: Vec<String>,
    pub status: Option<Status>,
    pub claim: Option<String>,
    /// `cred=1..6`: how far the claim is believed (see
    /// [`crate::link::outlets::Credibility`]).
    pub cred: Option<crate::link::outlets::Credibility>,
    pub date: Option<jiff::civil::Date>,
    pub occurrence: Option<usize>,
    /// `origin=`: where an imported annotation came from (a Hypothesis
    /// id, a W3C annotation's IRI), so that importing again adds nothing.
    pub origin: Option<String>,
    pub note: NoteSrc,
    /// False when the heading had errors: the note is still checked, but
    /// the passage is not anchored.
    pub valid: bool,
}

/// A parsed annotation file.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub file: String,
    pub text: Arc<str>,
    pub article: Slug,
    /// Offset and length of the `article:` value.
    pub article_at: (usize, usize),
    pub article_note: Option<NoteSrc>,
    pub items: Vec<ParsedAnnotation>,
    /// `draft: true`: the file is held back from a public build (which
    /// never parses it); an internal build marks its annotations.
    pub draft: bool,
    /// `origin:`, a list: where the page notes imported into the note on
    /// the whole article came from (as a section's `origin=` says it for
    /// a passage), so that importing again adds nothing.
    pub origins: Vec<String>,
}

#[derive(Deserialize, Default)]
struct FrontMatter {
    #[serde(default)]
    article: Option<String>,
    #[serde(default, deserialize_with = "yaml::flag")]
    draft: Option<bool>,
    #[serde(default)]
    origin: Vec<String>,
}

/// Keys allowed in heading attributes.
pub const KEYS: &str = "date, status, claim, cred, occurrence, origin";

/// The id derived from a quote: its first words as a slug and a short hash.
pub fn derive_id(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().take(5).collect();
    let base = Slug::from_title(&words.join(" "))
        .map(|s| {
            let s = s.as_str();
            let mut cut = s.len().min(32);
            while cut < s.len() && !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s[..cut].trim_end_matches('-').to_string()
        })
        .unwrap_or_default();
    let hash = blake3::hash(quote.trim().as_bytes()).to_hex();
    if base.is_empty() {
        format!("q-{}", &hash[..8])
    } else {
        format!("{base}-{}", &hash[..6])
    }
}

/// An id or tag is usable in HTML ids, classes and URLs.
fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Strip one pair of surrounding quotes (straight or typographic).
pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\''), ('‘', '’'), ('«', '»')] {
        if s.len() > open.len_utf8()
            && let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close))
        {
            return inner.trim();
        }
    }
    s
}

/// A syntax error in a heading's attribute block.
#[derive(Debug, PartialEq, Eq)]
struct AttrError {
    /// Where the block starts in the line.
    block: usize,
    /// The offending text: offset in the line and length.
    at: usize,
    len: usize,
    message: String,
    help: String,
}

const ATTR_HELP: &str = "an attribute block holds `#id`, `.tag` and `key=value` separated by spaces, written with letters, digits, `-` and `_` (the keys: date, status, claim, cred, occurrence, origin)";

/// Check the `{…}` attribute block of a heading line (`## "quote" {#id
/// .tag key=value}`): the first character or word that is not allowed,
/// or `None` when the block is well formed or there is none. The block
/// starts at a `{` right after the closing quote (or, when the line ends
/// with `}`, at the last `{` after a space, as pulldown-cmark reads it).
fn attribute_syntax(line: &str) -> Option<AttrError> {
    let trimmed = line.trim_end();
    let after_quote = trimmed.char_indices().find(|&(i, c)| {
        c == '{'
            && trimmed[..i]
                .trim_end()
                .ends_with(['"', '”', '\'', '’', '»'])
            && trimmed[..i].trim_start_matches('#').trim().chars().count() > 1
    });
    let open = match after_quote {
        Some((i, _)) => i,
        None if trimmed.ends_with('}') => {
            let i = trimmed.rfind('{')?;
            if !trimmed[..i].ends_with([' ', '\t']) {
                return None;
            }
            i
        }
        None => return None,
    };
    let block = &trimmed[open..];
    let error = |at: usize, len: usize, message: String| AttrError {
        block: open,
        at: open + at,
        len: len.max(1),
        message,
        help: ATTR_HELP.to_string(),
    };
    let Some(inner) = block.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return Some(AttrError {
            help: "end the attribute block with `}` on the heading's line".into(),
            ..error(0, 1, "the attribute block is not closed".into())
        });
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut pos = 1; // after `{`
    for token in inner.split([' ', '\t']) {
        let start = pos;
        pos += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let (body, skip) = match token.as_bytes()[0] {
            b'#' | b'.' => (&token[1..], 1),
            _ => (token, 0),
        };
        let what = match token.as_bytes()[0] {
            b'#' => "id",
            b'.' => "tag",
            _ => "attribute",
        };
        if body.is_empty() {
            return Some(error(
                start,
                1,
                format!("empty {what} in the attribute block"),
            ));
        }
        if skip == 0 && !token.contains('=') && token.chars().all(allowed) {
            return Some(error(
                start,
                token.len(),
                format!("`{token}` in the attribute block is not `#id`, `.tag` or `key=value`"),
            ));
        }
        let bad = if skip == 0 {
            let (k, v) = token.split_once('=').unwrap_or((token, ""));
            if k.is_empty() {
                Some((0, format!("`{token}` has no key before `=`")))
            } else if v.is_empty() && token.contains('=') {
                Some((k.len(), format!("`{k}=` has no value")))
            } else {
                // (an imported annotation's `origin=` is an id or an IRI)
                let in_value = |i: usize, c: char| k == "origin" && i > k.len() && origin_char(c);
                token
                    .char_indices()
                    .find(|&(i, c)| !(allowed(c) || (c == '=' && i == k.len()) || in_value(i, c)))
                    .map(|(i, c)| (i, unexpected(c)))
            }
        } else {
            body.char_indices()
                .find(|&(_, c)| !allowed(c))
                .map(|(i, c)| (i + 1, unexpected(c)))
        };
        if let Some((i, message)) = bad {
            let c_len = token[i..].chars().next().map_or(1, char::len_utf8);
            return Some(error(start + i, c_len, message));
        }
    }
    None
}

/// A character an `origin=` value may hold besides letters, digits, `-`
/// and `_`: those of a URL that neither Markdown nor the attribute block
/// reads as markup (see [`crate::interchange::origin_value`]).
pub fn origin_char(c: char) -> bool {
    matches!(
        c,
        '.' | '~' | ':' | '/' | '?' | '#' | '@' | '!' | '$' | '+' | ',' | ';' | '=' | '%'
    )
}

/// "unexpected `é` in the attribute block", with invisible characters
/// named by their code.
fn unexpected(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!(
            "unexpected character U+{:04X} in the attribute block",
            c as u32
        )
    } else {
        format!("unexpected `{c}` in the attribute block")
    }
}

/// Where `needle` occurs in `text[from..to]`, as an absolute offset.
fn find_in(text: &str, from: usize, to: usize, needle: &str) -> Option<usize> {
    text.get(from..to)?.find(needle).map(|i| from + i)
}

/// Parse an annotation file. Problems go to `problems`; `None` when the
/// file cannot be used at all (no front matter, no `article:`).
pub fn parse_file(src: &AnnotationSource, problems: &mut Problems) -> Option<ParsedFile> {
    let file = src.file.as_str();
    let text = src.text.clone();
    let split = match yaml::split_front_matter(&text) {
        Ok(s) => s,
        Err(at) => {
            problems.push(
                Problem::at(file, text.clone(), at, 3, "front matter is not closed")
                    .with_help("end the front matter with a line holding only `---`"),
            );
            return None;
        }
    };
    let Some(yaml_src) = split.yaml else {
        problems.push(
            Problem::at(
                file,
                text.clone(),
                0,
                0,
                "annotation file has no front matter",
            )
            .with_help("start the file with `---`, a line `article: <slug>`, and `---`"),
        );
        return None;
    };
    let fm: FrontMatter =
        match yaml::from_str_at(file, &text, yaml_src, split.yaml_offset, "front matter") {
            Ok(fm) => fm,
            Err(p) => {
                problems.push(p);
                return None;
            }
        };
    let value_at = |key: &str| -> (usize, usize) {
        let mut pos = split.yaml_offset;
        for line in yaml_src.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let lead = rest.len() - rest.trim_start().len();
                return (pos + key.len() + 1 + lead, rest.trim().len().max(1));
            }
            pos += line.len();
        }
        (0, 3)
    };
    let Some(article) = fm.article.filter(|a| !a.trim().is_empty()) else {
        problems.push(
            Problem::at(file, text.clone(), 0, 3, "annotation file names no article")
                .with_help("add a line `article: <slug of the article>` to the front matter"),
        );
        return None;
    };
    let article_at = value_at("article");
    let article = match Slug::parse(article.trim()) {
        Ok(s) => s,
        Err(why) => {
            problems.push(
                Problem::at(
                    file,
                    text.clone(),
                    article_at.0,
                    article_at.1,
                    format!("invalid article slug: {why}"),
                )
                .with_help("use the `slug:` of an article in content/"),
            );
            return None;
        }
    };

    let body = split.body;
    let base = split.body_offset;
    // Level-2 headings: (heading range in body, attributes, text).
    struct Heading {
        range: std::ops::Range<usize>,
        id: Option<String>,
        classes: Vec<String>,
        attrs: Vec<(String, Option<String>)>,
        text: String,
        text_at: Option<usize>,
    }
    let mut headings: Vec<Heading> = Vec::new();
    let mut current: Option<Heading> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                classes,
                attrs,
            }) => {
                current = Some(Heading {
                    range,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    text: String::new(),
                    text_at: None,
                });
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some(h) = current.take() {
                    headings.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text_at.get_or_insert(range.start);
                    h.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = current.as_mut() {
                    h.text.push(' ');
                }
            }
            _ => {}
        }
    }

    let article_note = {
        let end = headings.first().map_or(body.len(), |h| h.range.start);
        let md = &body[..end];
        (!md.trim().is_empty()).then(|| NoteSrc {
            md: md.to_string(),
            offset: base,
        })
    };

    let mut items = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let h_start = base + h.range.start;
        let h_end = base + h.range.end;
        let line_end = text[h_start..h_end]
            .find('\n')
            .map_or(h_end, |i| h_start + i);
        let quote = unquote(&h.text).to_string();
        let quote_at = match h.text_at {
            Some(t) => (base + t, line_end.saturating_sub(base + t).max(1)),
            None => (h_start, (line_end - h_start).max(1)),
        };
        let at_key = |key: &str| -> (usize, usize) {
            match find_in(&text, h_start, line_end, &format!("{key}=")) {
                Some(o) => {
                    let rest = &text[o..line_end];
                    let len = rest.find([' ', '}']).unwrap_or(rest.len());
                    (o, len.max(1))
                }
                None => (h_start, (line_end - h_start).max(1)),
            }
        };
        let mut bad = false;
        let mut err = |at: (usize, usize), msg: String, help: String| {
            problems.push(Problem::at(file, text.clone(), at.0, at.1, msg).with_help(help));
            bad = true;
        };
        // The attribute block's syntax first: a character pulldown-cmark
        // does not take there leaves the whole block in the heading's
        // text, which would then be reported as a quote not found.
        if let Some(e) = attribute_syntax(&text[h_start..line_end]) {
            err((h_start + e.at, e.len), e.message, e.help);
            let before = text[h_start..h_start + e.block].trim_start_matches('#');
            let quote = unquote(before).to_string();
            let note_end = headings
                .get(i + 1)
                .map_or(body.len(), |n| n.range.start)
                .max(h.range.end);
            // keep the id if it is readable, so that links to it are not
            // reported as well
            let id = text[h_start + e.block..line_end]
                .split(|c: char| c.is_whitespace() || c == '{' || c == '}')
                .find_map(|t| t.strip_prefix('#').filter(|id| valid_name(id)))
                .map_or_else(|| derive_id(&quote), str::to_string);
            items.push(ParsedAnnotation {
                id,
                quote,
                quote_at,
                tags: Vec::new(),
                status: None,
                claim: None,
                cred: None,
                date: None,
                occurrence: None,
                origin: None,
                note: NoteSrc {
                    md: body[h.range.end..note_end].to_string(),
                    offset: h_end,
                },
                valid: false,
            });
            continue;
        }
        if quote.trim().is_empty() {
            err(
                (h_start, (line_end - h_start).max(1)),
                "annotation heading quotes no passage".into(),
                "write the quoted passage as the heading: `## \"words from the article\"`".into(),
            );
            continue;
        }
        let id = match &h.id {
            Some(id) if valid_name(id) => id.clone(),
            Some(id) => {
                let at = find_in(&text, h_start, line_end, &format!("#{id}"))
                    .map_or((h_start, 1), |o| (o, id.len() + 1));
                err(
                    at,
                    format!("invalid annotation id `{id}`"),
                    "use letters, digits, `-` and `_` only, e.g. `{#intercept-claim}`".into(),
                );
                derive_id(&quote)
            }
            None => derive_id(&quote),
        };
        let mut tags = Vec::new();
        for c in &h.classes {
            if valid_name(c) {
                tags.push(c.to_ascii_lowercase());
            } else {
                let at = find_in(&text, h_start, line_end, &format!(".{c}"))
                    .map_or((h_start, 1), |o| (o, c.len() + 1));
                err(
                    at,
                    format!("invalid tag `{c}`"),
                    "use letters, digits, `-` and `_` only, e.g. `.claim`".into(),
                );
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        tags.retain(|t| seen.insert(t.clone()));
        let (mut status, mut claim, mut date, mut occurrence) = (None, None, None, None);
        let mut cred = None;
        let mut origin = None;
        for (k, v) in &h.attrs {
            let v = v.as_deref().unwrap_or("").trim();
            match k.as_str() {
                "status" => match Status::parse(v) {
                    Some(s) => status = Some(s),
                    None => err(
                        at_key("status"),
                        format!("unknown claim status `{v}`"),
                        "use one of: unverified, corroborated, disputed, retracted".into(),
                    ),
                },
                "claim" => {
                    if valid_name(v) {
                        claim = Some(v.to_string());
                    } else {
                        err(
                            at_key("claim"),
                            format!("invalid claim key `{v}`"),
                            "use letters, digits, `-` and `_` only, e.g. `claim=intercept`".into(),
                        );
                    }
                }
                "cred" => match crate::link::outlets::Credibility::parse(v) {
                    Some(c) => cred = Some(c),
                    None => err(
                        at_key("cred"),
                        format!("`cred` must be a digit from 1 to 6, not `{v}`"),
                        "grade the claim's credibility: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 truth cannot be judged; e.g. `cred=2`".into(),
                    ),
                },
                "date" => match v.parse::<jiff::civil::Date>() {
                    Ok(d) => date = Some(d),
                    Err(_) => err(
                        at_key("date"),
                        format!("cannot read the date `{v}`"),
                        "write the date as YYYY-MM-DD, e.g. `date=2024-11-21`".into(),
                    ),
                },
                "occurrence" => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => occurrence = Some(n),
                    _ => err(
                        at_key("occurrence"),
                        format!("`occurrence` must be a number from 1, not `{v}`"),
                        "write e.g. `occurrence=2` for the second place the passage occurs".into(),
                    ),
                },
                "origin" => {
                    if v.is_empty() || v.len() > 2000 {
                        err(
                            at_key("origin"),
                            "`origin=` must name where the annotation came from".into(),
                            "`briefing import` writes it; leave it as it is, or delete it with its value".into(),
                        );
                    } else {
                        origin = Some(v.to_string());
                    }
                }
                other => err(
                    at_key(other),
                    format!("unknown annotation attribute `{other}`"),
                    format!("the attributes are: {KEYS}"),
                ),
            }
        }
        // `.disputed` etc. as a tag on a claim sets its status
        if status.is_none() && tags.iter().any(|t| t == "claim") {
            status = tags.iter().find_map(|t| Status::parse(t));
        }
        let is_claim = tags.iter().any(|t| t == "claim");
        if !is_claim && (status.is_some() || claim.is_some() || cred.is_some()) {
            let key = if claim.is_some() {
                "claim"
            } else if cred.is_some() {
                "cred"
            } else {
                "status"
            };
            err(
                at_key(key),
                format!("`{key}=` is only for claims"),
                "add the tag `.claim` to the heading's attributes".into(),
            );
        }
        let is_event = tags.iter().any(|t| t == "event");
        if is_event && date.is_none() && !h.attrs.iter().any(|(k, _)| k == "date") {
            err(
                (h_start, (line_end - h_start).max(1)),
                "an `.event` annotation needs a date".into(),
                "add `date=YYYY-MM-DD` to the heading's attributes".into(),
            );
        }
        let note_end = headings
            .get(i + 1)
            .map_or(body.len(), |n| n.range.start)
            .max(h.range.end);
        items.push(ParsedAnnotation {
            id,
            quote,
            quote_at,
            tags,
            status,
            claim,
            cred,
            date,
            occurrence,
            origin,
            note: NoteSrc {
                md: body[h.range.end..note_end].to_string(),
                offset: h_end,
            },
            valid: !bad,
        });
    }
    Some(ParsedFile {
        file: file.to_string(),
        text,
        article,
        article_at,
        article_note,
        items,
        draft: fm.draft.unwrap_or(false),
        origins: fm.origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> (Option<ParsedFile>, Problems) {
        let mut p = Problems::default();
        let src = AnnotationSource {
            file: "annotations/a.md".into(),
            text: Arc::from(t),
        };
        (parse_file(&src, &mut p), p)
    }

    #[test]
    fn the_origins_of_imported_page_notes_are_a_list() {
        let (f, p) = parse(
            "---\narticle: a\norigin:\n- \"hypothesis:P1\"\n- \"urn:x#note\"\n---\nImported.\n",
        );
        assert!(p.is_empty(), "{p}");
        let f = f.unwrap();
        assert_eq!(f.origins, ["hypothesis:P1", "urn:x#note"]);
        assert_eq!(f.article_note.unwrap().md.trim(), "Imported.");
        let (f, _) = parse("---\narticle: a\n---\n");
        assert!(f.unwrap().origins.is_empty());
        // one origin written as a scalar is not a list
        let (f, p) = parse("---\narticle: a\norigin: hypothesis:P1\n---\n");
        assert!(f.is_none());
        assert!(p.has_errors(), "{p}");
    }

    #[test]
    fn parses_headings_attributes_and_notes() {
        let (f, p) = parse(
            "---\narticle: a-b\n---\nOverall.\n\n## “impossible to intercept” {#x .claim .disputed claim=k}\n\nThe *claim*.\n\n### sub\n\nmore\n\n## \"first used\" {.event date=2024-11-21}\nEvent.\n",
        );
        assert!(p.is_empty(), "{p}");
        let f = f.unwrap();
        assert_eq!(f.article.as_str(), "a-b");
        assert_eq!(f.article_note.as_ref().unwrap().md.trim(), "Overall.");
        assert_eq!(f.items.len(), 2);
        let a = &f.items[0];
        assert_eq!(a.id, "x");
        assert_eq!(a.quote, "impossible to intercept");
        assert_eq!(a.tags, vec!["claim", "disputed"]);
        assert_eq!(a.status, Some(Status::Disputed));
        assert_eq!(a.claim.as_deref(), Some("k"));
        assert!(a.note.md.contains("### sub"), "{}", a.note.md);
        assert_eq!(&f.text[a.note.offset..][..a.note.md.len()], a.note.md);
        let b = &f.items[1];
        assert_eq!(b.date.unwrap().to_string(), "2024-11-21");
        assert_eq!(b.id, derive_id("first used"));
        assert!(b.id.starts_with("first-used-"), "{}", b.id);
    }

    #[test]
    fn bad_attributes_are_all_reported() {
        let (_, p) = parse(
            "---\narticle: a\n---\n## \"x\" {.claim status=maybe}\n## \"y\" {.event date=soon}\n## \"z\" {.event}\n## \"w\" {foo=1}\n",
        );
        let msgs: Vec<String> = p.iter().map(|p| p.headline()).collect();
        assert_eq!(
            msgs,
            vec![
                "annotations/a.md:4:16: error: unknown claim status `maybe`",
                "annotations/a.md:5:16: error: cannot read the date `soon`",
                "annotations/a.md:6:1: error: an `.event` annotation needs a date",
                "annotations/a.md:7:9: error: unknown annotation attribute `foo`",
            ]
        );
    }

    #[test]
    fn cred_is_read_on_claims_and_bad_values_are_errors_at_it() {
        let (f, p) = parse("---\narticle: a\n---\n## \"x\" {.claim cred=2}\n");
        assert!(p.is_empty(), "{p}");
        assert_eq!(f.unwrap().items[0].cred.map(|c| c.digit()), Some(2));
        let (_, p) = parse(
            "---\narticle: a\n---\n## \"x\" {.claim cred=7}\n## \"y\" {.claim cred=B}\n## \"z\" {.note cred=1}\n",
        );
        let msgs: Vec<String> = p.iter().map(|p| p.headline()).collect();
        assert_eq!(
            msgs,
            vec![
                "annotations/a.md:4:16: error: `cred` must be a digit from 1 to 6, not `7`",
                "annotations/a.md:5:16: error: `cred` must be a digit from 1 to 6, not `B`",
                "annotations/a.md:6:15: error: `cred=` is only for claims",
            ]
        );
    }

    #[test]
    fn attribute_syntax_errors_point_at_the_character() {
        let at = |line: &str| attribute_syntax(line).map(|e| (e.at, e.len, e.message));
        assert_eq!(at("## \"q\" {#id .tag claim=x}"), None);
        assert_eq!(at("## \"q\""), None);
        assert_eq!(at("## \"a {b} c\""), None, "braces inside the quote");
        assert_eq!(at("## plain words {#id}"), None);
        assert_eq!(
            at("## \"q\" {#id .tag ké=v \"x\"}"),
            Some((18, 2, "unexpected `é` in the attribute block".into()))
        );
        assert_eq!(
            at("## \"q\" {#id \"x\"}"),
            Some((12, 1, "unexpected `\"` in the attribute block".into()))
        );
        assert_eq!(
            at("## \"q\" {#id .a<b>}"),
            Some((14, 1, "unexpected `<` in the attribute block".into()))
        );
        assert_eq!(
            at("## \"q\" {#id .tag"),
            Some((7, 1, "the attribute block is not closed".into()))
        );
        assert_eq!(
            at("## \"q\" {# .tag}"),
            Some((8, 1, "empty id in the attribute block".into()))
        );
        assert_eq!(
            at("## \"q\" {#id foo}"),
            Some((
                12,
                3,
                "`foo` in the attribute block is not `#id`, `.tag` or `key=value`".into()
            ))
        );
        assert_eq!(
            at("## \"q\" {date=}"),
            Some((12, 1, "`date=` has no value".into()))
        );
    }

    #[test]
    fn a_bad_attribute_block_is_one_error_not_a_missing_quote() {
        let (f, p) = parse("---\narticle: a\n---\n## \"quote\" {#id .tag ké=v \"x\"}\nNote.\n");
        let msgs: Vec<String> = p.iter().map(|p| p.headline()).collect();
        assert_eq!(
            msgs,
            ["annotations/a.md:4:23: error: unexpected `é` in the attribute block"]
        );
        let item = &f.unwrap().items[0];
        assert!(!item.valid);
        assert_eq!(item.quote, "quote");
    }

    #[test]
    fn origin_holds_an_id_or_an_iri() {
        let (f, p) = parse(
            "---\narticle: a\n---\n## \"q\" {#x .t origin=hypothesis:Z3_5ZtcNEe-0kdvJfpx1pA}\nN.\n\n## \"r\" {origin=https://ex.org/a/b?c=d%20e#a-x}\n",
        );
        assert!(p.is_empty(), "{p}");
        let f = f.unwrap();
        assert_eq!(
            f.items[0].origin.as_deref(),
            Some("hypothesis:Z3_5ZtcNEe-0kdvJfpx1pA")
        );
        assert_eq!(f.items[0].tags, ["t"]);
        assert_eq!(
            f.items[1].origin.as_deref(),
            Some("https://ex.org/a/b?c=d%20e#a-x")
        );
        // only `origin=` takes URL characters
        let (_, p) = parse("---\narticle: a\n---\n## \"q\" {claim=a:b}\n");
        assert_eq!(p.len(), 1, "{p}");
    }

    #[test]
    fn derived_ids_are_stable_and_safe() {
        assert_eq!(derive_id("a b"), derive_id("a b"));
        assert_ne!(derive_id("a b"), derive_id("a c"));
        assert!(derive_id("…").starts_with("q-"));
        assert!(valid_name(&derive_id(
            "Nicolás Maduro, the Venezuelan president"
        )));
    }
}
