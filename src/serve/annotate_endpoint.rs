//! annotate_endpoint: `POST /__briefing/annotate` — the preview's "Annotate"
//! button. Appends an annotation stub for a selected quote to
//! `annotations/<slug>.md`; the watcher then rebuilds and reloads the page.
//!
//! Accepted only from loopback peers carrying this run's random token in
//! the `X-Briefing-Token` header (a cross-site page cannot send that header
//! without a CORS preflight, which this server never allows). The slug must
//! be valid and name an article of the last good build; the only file ever
//! written is `annotations/<slug>.md`, atomically, and existing text is
//! kept.

use crate::fsutil;
use crate::model::Slug;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

/// The request body.
#[derive(Deserialize)]
pub struct Request {
    pub slug: String,
    pub quote: String,
}

/// Longest quote accepted, in characters.
const MAX_QUOTE: usize = 2000;

/// Why a request was refused: HTTP status and message.
pub type Refusal = (u16, String);

/// The quote on one line: control characters (newlines, tabs) become
/// spaces, runs of white space collapse, and the ends are trimmed.
pub fn one_line(quote: &str) -> String {
    let mut out = String::with_capacity(quote.len());
    for word in quote
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The stub appended for a quote.
pub fn stub(quote: &str) -> String {
    format!("\n## \"{quote}\"\n\nNote…\n")
}

/// Check the peer and token.
pub fn authorize(peer: &SocketAddr, token: Option<&str>, expected: &str) -> Result<(), Refusal> {
    if !peer.ip().is_loopback() {
        return Err((
            403,
            "the annotate endpoint answers only this machine".into(),
        ));
    }
    match token {
        Some(t) if constant_time_eq(t.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err((403, "missing or wrong preview token".into())),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Validate a request and append its stub. `exists` says whether an
/// article with that slug exists. Returns the project-relative file.
pub fn append(root: &Path, body: &[u8], exists: impl Fn(&str) -> bool) -> Result<String, Refusal> {
    let req: Request = serde_json::from_slice(body)
        .map_err(|e| (400, format!("expected JSON {{\"slug\", \"quote\"}}: {e}")))?;
    let slug = Slug::parse(&req.slug).map_err(|e| (400, format!("bad slug: {e}")))?;
    if !exists(slug.as_str()) {
        return Err((404, format!("no article `{slug}`")));
    }
    let quote = one_line(&req.quote);
    if quote.is_empty() {
        return Err((400, "select some text to annotate".into()));
    }
    if quote.chars().count() > MAX_QUOTE {
        return Err((400, format!("select at most {MAX_QUOTE} characters")));
    }
    let dir = root.join("annotations");
    let rel = format!("annotations/{slug}.md");
    let path = dir.join(format!("{slug}.md"));
    let existing = match std::fs::read(&path) {
        Ok(b) => {
            String::from_utf8(b).map_err(|_| (409, format!("{rel} is not UTF-8; not changed")))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("---\narticle: {slug}\n---\n")
        }
        Err(e) => return Err((500, format!("cannot read {rel}: {e}"))),
    };
    let text = existing + &stub(&quote);
    fsutil::write_atomic(&path, text.as_bytes())
        .map_err(|e| (500, format!("cannot write {rel}: {e}")))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_one_line() {
        assert_eq!(one_line("  a\nb\r\n\tc  "), "a b c");
        assert_eq!(stub("x"), "\n## \"x\"\n\nNote…\n");
    }

    #[test]
    fn appends_and_creates() {
        let dir = tempfile::tempdir().unwrap();
        let ok = |s: &str| s == "a";
        let rel = append(dir.path(), br#"{"slug":"a","quote":"one\ntwo"}"#, ok).unwrap();
        assert_eq!(rel, "annotations/a.md");
        append(dir.path(), br#"{"slug":"a","quote":"three"}"#, ok).unwrap();
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        assert_eq!(
            text,
            "---\narticle: a\n---\n\n## \"one two\"\n\nNote…\n\n## \"three\"\n\nNote…\n"
        );
        for (body, status) in [
            (&br#"{"slug":"../x","quote":"q"}"#[..], 400),
            (br#"{"slug":"b","quote":"q"}"#, 404),
            (br#"{"slug":"a","quote":" \n "}"#, 400),
            (b"nope", 400),
        ] {
            assert_eq!(append(dir.path(), body, ok).unwrap_err().0, status);
        }
    }

    #[test]
    fn only_loopback_with_token() {
        let local: SocketAddr = "127.0.0.1:5".parse().unwrap();
        let remote: SocketAddr = "10.0.0.1:5".parse().unwrap();
        assert!(authorize(&local, Some("t"), "t").is_ok());
        assert!(authorize(&local, Some("u"), "t").is_err());
        assert!(authorize(&local, None, "t").is_err());
        assert!(authorize(&remote, Some("t"), "t").is_err());
    }
}
