//! annotate_endpoint: `POST /__briefing/annotate` — the preview's "Annotate"
//! button. Appends an annotation stub for a selected passage to the
//! article's annotation file; the watcher then rebuilds and reloads the page.
//!
//! Who may write: a request [`super::guard`] let through (sent to this
//! server's own host, with this server as its `Origin`), from a loopback
//! peer, carrying this run's random token in the `X-Briefing-Token`
//! header (a cross-site page cannot send that header without a CORS
//! preflight, which this server never allows), with a JSON body
//! (`{"slug", "quote"}`) of at most [`MAX_BODY`] bytes.
//!
//! What is written: only a stub the next build accepts. The slug must name
//! an article of the last good build; the quote (on one line, at most
//! [`MAX_QUOTE`] characters) must occur once in that article as it is on
//! disk now, found as the build finds quotes (exactly, or after
//! normalisation: case, quotes, dashes, white space), and must not be
//! annotated already. It is written as the heading `## "quote"`, with the
//! characters Markdown would read as markup escaped; before anything is
//! written the new file is parsed back and the article anchored with it:
//! a stub that would not read back as the same quote, or that would add
//! any problem to the build, is refused.
//!
//! Where: the article's annotation file — `annotations/<slug>.md` if it
//! names the article, else the first file (by path) whose `article:` names
//! it, else a new `annotations/<slug>.md`. The existing text is kept byte
//! for byte (a newline is added if its last line has none); the write is
//! atomic, and if the file changed while the stub was prepared nothing is
//! written. Nothing outside the project is ever written.

use crate::annotate::anchor::{self, Method, Outcome};
use crate::annotate::parse::{ParsedFile, derive_id, parse_file};
use crate::annotate::{self, AnnotationSource};
use crate::content::{Article, parse_article};
use crate::diag::Problems;
use crate::fsutil;
use crate::markdown::plain_text;
use crate::model::Slug;
use axum::http::HeaderValue;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The request body.
#[derive(Deserialize)]
pub struct Request {
    pub slug: String,
    pub quote: String,
}

/// Longest quote accepted, in characters.
pub const MAX_QUOTE: usize = 2000;

/// Largest request body accepted, in bytes (larger: 413).
pub const MAX_BODY: usize = 64 * 1024;

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

/// A one-line quote as the text of a Markdown heading: every character
/// Markdown could read as markup (emphasis, code, links, HTML, entities,
/// escapes, strikethrough, attribute braces) is backslash-escaped, so the
/// heading's text is the quote itself.
pub fn escape_heading(quote: &str) -> String {
    let mut out = String::with_capacity(quote.len() + 8);
    for c in quote.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '~' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The stub appended for a (one-line) quote.
pub fn stub(quote: &str) -> String {
    format!("\n## \"{}\"\n\nNote…\n", escape_heading(quote))
}

/// Check the peer and token.
pub fn authorize(peer: &SocketAddr, token: Option<&str>, expected: &str) -> Result<(), Refusal> {
    if !peer.ip().to_canonical().is_loopback() {
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

/// The body must be declared JSON (a plain HTML form cannot send that).
pub fn content_type(v: Option<&HeaderValue>) -> Result<(), Refusal> {
    let json = v
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if json {
        Ok(())
    } else {
        Err((415, "send the annotation as application/json".into()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An annotation file on disk.
struct File {
    /// Project-relative path.
    rel: String,
    path: PathBuf,
    text: Arc<str>,
    parsed: Option<ParsedFile>,
}

impl File {
    fn source(&self) -> AnnotationSource {
        AnnotationSource {
            file: self.rel.clone(),
            text: self.text.clone(),
        }
    }
}

fn parse(rel: &str, text: &Arc<str>) -> (Option<ParsedFile>, Problems) {
    let mut problems = Problems::default();
    let src = AnnotationSource {
        file: rel.to_string(),
        text: text.clone(),
    };
    (parse_file(&src, &mut problems), problems)
}

/// The annotation files whose `article:` is `slug`, by path.
fn files_naming(root: &Path, slug: &Slug) -> Vec<File> {
    let dir = root.join("annotations");
    let mut out = Vec::new();
    for path in fsutil::list_files(&dir).unwrap_or_default() {
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // (only files that mention the slug are worth parsing)
        if !text.contains(slug.as_str()) {
            continue;
        }
        let rel = fsutil::display(root, &path);
        let text: Arc<str> = Arc::from(text);
        let (parsed, _) = parse(&rel, &text);
        if parsed.as_ref().is_some_and(|p| p.article == *slug) {
            out.push(File {
                rel,
                path,
                text,
                parsed,
            });
        }
    }
    out
}

/// The article `slug` as it is on disk now (`file`: its content file in
/// the last good build).
fn article_now(root: &Path, slug: &Slug, file: &str) -> Result<Article, Refusal> {
    let text = std::fs::read_to_string(root.join(file))
        .map_err(|e| (409, format!("cannot read {file}: {e}")))?;
    let article = parse_article(file, Arc::from(text))
        .map_err(|p| (409, format!("{} — fix the article first", p.headline())))?;
    if article.slug != *slug {
        return Err((
            409,
            format!(
                "{file} is now the article `{}`; wait for the preview to rebuild",
                article.slug
            ),
        ));
    }
    Ok(article)
}

/// The headlines of the problems anchoring `files` against `article` finds.
fn anchoring_problems(files: &[AnnotationSource], article: &Article) -> Vec<String> {
    let (_, problems) = annotate::anchor_all(files, std::slice::from_ref(article));
    problems.iter().map(|p| p.headline()).collect()
}

/// Validate a request and append its stub. `article_file` gives the
/// content file of an article of the last good build by slug. Returns the
/// project-relative file written.
pub fn append(
    root: &Path,
    body: &[u8],
    article_file: impl Fn(&str) -> Option<String>,
) -> Result<String, Refusal> {
    let req: Request = serde_json::from_slice(body)
        .map_err(|e| (400, format!("expected JSON {{\"slug\", \"quote\"}}: {e}")))?;
    let slug = Slug::parse(&req.slug).map_err(|e| (400, format!("bad slug: {e}")))?;
    let Some(file) = article_file(slug.as_str()) else {
        return Err((404, format!("no article `{slug}`")));
    };
    let quote = one_line(&req.quote);
    if quote.is_empty() {
        return Err((400, "select some text to annotate".into()));
    }
    if quote.chars().count() > MAX_QUOTE {
        return Err((400, format!("select at most {MAX_QUOTE} characters")));
    }

    // the passage is in the article, once
    let article = article_now(root, &slug, &file)?;
    let plain = plain_text(article.body()).text;
    match anchor::find(&plain, &quote) {
        Outcome::Found(m) if m.method != Method::Approximate => {
            if m.ranges.len() > 1 {
                return Err((
                    400,
                    format!(
                        "the selection occurs {} times in {file}; select more words, so that it occurs once",
                        m.ranges.len()
                    ),
                ));
            }
        }
        _ => {
            return Err((
                400,
                format!(
                    "the selection is not a passage of {file}; select words of the article itself (not of a note or of the page around it)"
                ),
            ));
        }
    }

    // ... and not annotated yet
    let files = files_naming(root, &slug);
    let id = derive_id(&quote);
    for f in &files {
        let items = f.parsed.as_ref().map_or(&[][..], |p| &p.items[..]);
        if let Some(item) = items.iter().find(|i| i.id == id || i.quote == quote) {
            let (line, _) = crate::diag::line_col(&f.text, item.quote_at.0);
            return Err((
                409,
                format!("this passage is annotated already, in {}:{line}", f.rel),
            ));
        }
    }

    // the file to append to
    let preferred = format!("annotations/{slug}.md");
    let (rel, path, old) = match files
        .iter()
        .find(|f| f.rel == preferred)
        .or_else(|| files.first())
    {
        Some(f) => (f.rel.clone(), f.path.clone(), Some(f.text.clone())),
        None => {
            let path = root.join("annotations").join(format!("{slug}.md"));
            if std::fs::symlink_metadata(&path).is_ok() {
                let why = match std::fs::read_to_string(&path) {
                    Ok(t) => match parse(&preferred, &Arc::from(t)) {
                        (Some(p), _) => format!("it names the article `{}`", p.article),
                        (None, ps) => ps
                            .iter()
                            .next()
                            .map_or("it cannot be read".into(), |p| p.headline()),
                    },
                    Err(e) => format!("it cannot be read: {e}"),
                };
                return Err((
                    409,
                    format!(
                        "{preferred} exists but is not an annotation file of `{slug}` ({why}); give it `article: {slug}` or move it"
                    ),
                ));
            }
            (preferred, path, None)
        }
    };
    let mut text = match &old {
        Some(t) => t.to_string(),
        None => format!("---\narticle: {slug}\n---\n"),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&stub(&quote));
    let text: Arc<str> = Arc::from(text);

    // it reads back as this quote, and the build finds nothing new wrong
    let (parsed, _) = parse(&rel, &text);
    let before_items = files
        .iter()
        .find(|f| f.rel == rel)
        .and_then(|f| f.parsed.as_ref())
        .map_or(0, |p| p.items.len());
    let reads_back = parsed.as_ref().is_some_and(|p| {
        p.article == slug
            && p.items.len() == before_items + 1
            && p.items.last().is_some_and(|i| i.quote == quote && i.valid)
    });
    if !reads_back {
        return Err((
            409,
            format!(
                "a stub appended to {rel} would not read back as this passage (does the file end inside a code block or an HTML block?); close it, or annotate by hand"
            ),
        ));
    }
    let mut before: Vec<AnnotationSource> = files.iter().map(File::source).collect();
    let mut after = before.clone();
    match after.iter_mut().find(|s| s.file == rel) {
        Some(s) => s.text = text.clone(),
        None => after.push(AnnotationSource {
            file: rel.clone(),
            text: text.clone(),
        }),
    }
    let was = anchoring_problems(&before, &article);
    before.clear();
    let new: Vec<String> = anchoring_problems(&after, &article)
        .into_iter()
        .filter(|p| !was.contains(p))
        .collect();
    if let Some(first) = new.first() {
        return Err((400, format!("the stub would break the build: {first}")));
    }

    write_unless_changed(root, &path, old.as_deref(), text.as_bytes())
        .map_err(|(status, msg)| (status, format!("{rel}: {msg}")))?;
    Ok(rel)
}

/// Write `bytes` to `path` atomically, unless the file no longer holds
/// `old` (`None`: does not exist). Follows a symlinked file or directory
/// as long as it stays inside `root`.
fn write_unless_changed(
    root: &Path,
    path: &Path,
    old: Option<&str>,
    bytes: &[u8],
) -> Result<(), Refusal> {
    let io = |e: std::io::Error| (500, format!("cannot write: {e}"));
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(io)?;
    let real_root = root.canonicalize().map_err(io)?;
    let real = match old {
        Some(_) => path.canonicalize().map_err(io)?,
        None => dir
            .canonicalize()
            .map_err(io)?
            .join(path.file_name().unwrap_or_default()),
    };
    if !real.starts_with(&real_root) {
        return Err((
            409,
            "leads outside the project (a symlink); not written".into(),
        ));
    }
    let unchanged = |now: std::io::Result<Vec<u8>>| match (old, now) {
        (Some(o), Ok(n)) => n == o.as_bytes(),
        (None, Err(e)) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    };
    let changed = || {
        (
            409,
            "changed while the stub was being written; nothing written, try again".to_string(),
        )
    };
    if !unchanged(std::fs::read(&real)) {
        return Err(changed());
    }
    let tmp = fsutil::temp_beside(&real);
    let result = (|| {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_data().map_err(io)?;
        drop(f);
        // the last look before the rename: an editor's save since the
        // first one is not overwritten
        if !unchanged(std::fs::read(&real)) {
            return Err(changed());
        }
        std::fs::rename(&tmp, &real).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "---\ntitle: A\nslug: a\n---\n\nThe first paragraph of alpha, with *emphasis* and a [link](https://x.org) & more.\n\nA second paragraph: say \"hi\" {braces} `code` 3 < 4.\n\nRepeated words. Repeated words.\n";

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), ARTICLE).unwrap();
        dir
    }

    fn known(s: &str) -> Option<String> {
        (s == "a").then(|| "content/a.md".to_string())
    }

    fn post(root: &Path, slug: &str, quote: &str) -> Result<String, Refusal> {
        let body = serde_json::json!({ "slug": slug, "quote": quote }).to_string();
        append(root, body.as_bytes(), known)
    }

    fn status(r: Result<String, Refusal>) -> u16 {
        r.map_or_else(|e| e.0, |_| 201)
    }

    #[test]
    fn quotes_are_one_line_and_escaped() {
        assert_eq!(one_line("  a\nb\r\n\tc  "), "a b c");
        assert_eq!(stub("x"), "\n## \"x\"\n\nNote…\n");
        assert_eq!(
            escape_heading("a *b* [c](d) <e> &amp; {f}"),
            "a \\*b\\* \\[c\\](d) \\<e> \\&amp; \\{f\\}"
        );
    }

    #[test]
    fn appends_and_creates() {
        let dir = project();
        let rel = post(dir.path(), "a", "first paragraph\nof alpha").unwrap();
        assert_eq!(rel, "annotations/a.md");
        post(dir.path(), "a", "second paragraph").unwrap();
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        assert_eq!(
            text,
            "---\narticle: a\n---\n\n## \"first paragraph of alpha\"\n\nNote…\n\n## \"second paragraph\"\n\nNote…\n"
        );
        for (body, status) in [
            (&br#"{"slug":"../x","quote":"q"}"#[..], 400),
            (br#"{"slug":"b","quote":"q"}"#, 404),
            (br#"{"slug":"a","quote":" \n "}"#, 400),
            (b"nope", 400),
        ] {
            assert_eq!(append(dir.path(), body, known).unwrap_err().0, status);
        }
    }

    #[test]
    fn only_quotes_of_the_article_once_and_not_twice() {
        let dir = project();
        let root = dir.path();
        assert_eq!(status(post(root, "a", "words that are not there")), 400);
        assert_eq!(status(post(root, "a", "Note…")), 400);
        // approximately there is not there
        assert_eq!(status(post(root, "a", "the first paragraf of alpha")), 400);
        let e = post(root, "a", "Repeated words").unwrap_err();
        assert_eq!(e.0, 400);
        assert!(e.1.contains("occurs 2 times"), "{}", e.1);
        assert_eq!(status(post(root, "a", "Repeated words. Repeated")), 201);
        // found after normalisation, as the build finds it
        assert_eq!(status(post(root, "a", "THE FIRST  paragraph")), 201);
        // the same selection again
        let e = post(root, "a", "THE FIRST paragraph").unwrap_err();
        assert_eq!(e.0, 409, "{}", e.1);
        assert!(e.1.contains("annotations/a.md:9"), "{}", e.1);
        assert_eq!(status(post(root, "a", &"x".repeat(MAX_QUOTE + 1))), 400);
    }

    #[test]
    fn markup_in_a_quote_stays_text() {
        let dir = project();
        let root = dir.path();
        for q in [
            "with emphasis and a link & more",
            "say \"hi\" {braces} code 3 < 4.",
            "\"hi\" {braces}",
        ] {
            assert_eq!(status(post(root, "a", q)), 201, "{q}");
        }
        let text = std::fs::read_to_string(root.join("annotations/a.md")).unwrap();
        assert!(
            text.contains("## \"say \"hi\" \\{braces\\} code 3 \\< 4.\"\n"),
            "{text}"
        );
        let (parsed, problems) = parse("annotations/a.md", &Arc::from(text));
        assert!(problems.is_empty(), "{problems}");
        let quotes: Vec<String> = parsed.unwrap().items.into_iter().map(|i| i.quote).collect();
        assert_eq!(
            quotes,
            [
                "with emphasis and a link & more",
                "say \"hi\" {braces} code 3 < 4.",
                "\"hi\" {braces}"
            ]
        );
    }

    #[test]
    fn appends_to_the_file_that_already_names_the_article() {
        let dir = project();
        let root = dir.path();
        std::fs::create_dir_all(root.join("annotations/2024")).unwrap();
        let notes = "---\narticle: a\n---\nOverall, by hand.\n\n## \"second paragraph\" {#mine .claim}\n\nMine, no final newline.";
        std::fs::write(root.join("annotations/2024/alpha-notes.md"), notes).unwrap();
        std::fs::write(root.join("annotations/other.md"), "---\narticle: b\n---\n").unwrap();
        let rel = post(root, "a", "first paragraph").unwrap();
        assert_eq!(rel, "annotations/2024/alpha-notes.md");
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        assert_eq!(
            text,
            format!("{notes}\n\n## \"first paragraph\"\n\nNote…\n"),
            "the analyst's text is kept byte for byte"
        );
        assert!(!root.join("annotations/a.md").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("annotations/other.md")).unwrap(),
            "---\narticle: b\n---\n"
        );
    }

    #[test]
    fn a_file_that_cannot_take_the_stub_is_left_alone() {
        let dir = project();
        let root = dir.path();
        std::fs::create_dir_all(root.join("annotations")).unwrap();
        // the slug's file names another article
        let other = "---\narticle: b\n---\n";
        std::fs::write(root.join("annotations/a.md"), other).unwrap();
        let e = post(root, "a", "first paragraph").unwrap_err();
        assert_eq!(e.0, 409, "{}", e.1);
        assert!(e.1.contains("names the article `b`"), "{}", e.1);
        assert_eq!(
            std::fs::read_to_string(root.join("annotations/a.md")).unwrap(),
            other
        );
        // a file ending inside a code block would swallow the heading
        let open = "---\narticle: a\n---\n\n```\nunclosed\n";
        std::fs::write(root.join("annotations/a.md"), open).unwrap();
        let e = post(root, "a", "first paragraph").unwrap_err();
        assert_eq!(e.0, 409, "{}", e.1);
        assert_eq!(
            std::fs::read_to_string(root.join("annotations/a.md")).unwrap(),
            open
        );
    }

    #[test]
    fn a_changed_or_vanished_article_is_not_annotated() {
        let dir = project();
        let root = dir.path();
        std::fs::write(
            root.join("content/a.md"),
            ARTICLE.replace("slug: a", "slug: z"),
        )
        .unwrap();
        assert_eq!(status(post(root, "a", "first paragraph")), 409);
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        assert_eq!(status(post(root, "a", "first paragraph")), 409);
        assert!(!root.join("annotations").exists());
    }

    #[test]
    fn only_loopback_with_token_and_json() {
        let local: SocketAddr = "127.0.0.1:5".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5".parse().unwrap();
        let remote: SocketAddr = "10.0.0.1:5".parse().unwrap();
        assert!(authorize(&local, Some("t"), "t").is_ok());
        assert!(authorize(&mapped, Some("t"), "t").is_ok());
        assert!(authorize(&local, Some("u"), "t").is_err());
        assert!(authorize(&local, None, "t").is_err());
        assert!(authorize(&remote, Some("t"), "t").is_err());
        let ct = |s: &'static str| content_type(Some(&HeaderValue::from_static(s))).is_ok();
        assert!(ct("application/json"));
        assert!(ct("application/JSON; charset=utf-8"));
        assert!(!ct("text/plain"));
        assert!(!ct("application/x-www-form-urlencoded"));
        assert!(content_type(None).is_err());
    }

    /// Paragraph parts with every kind of markup an article can hold.
    const PARTS: &[&str] = &[
        "The *first* paragraph of alpha",
        "a [link to \\*stars\\*](https://x.org) here",
        "`code {x}` and **strong _words_**",
        "an escaped \\*star\\* and a back\\\\slash",
        "AT&amp;T &lt;b&gt; and <b>raw html</b>",
        "“curly quotes” — dashes… and ‘more’",
        "say \"hi\" {#not-attrs .x} ~~struck~~",
        "Nicolás Maduro, über alles",
        "1 < 2 > 0 | pipes | and # hashes",
        "a footnote[^1] and _under_score_",
        "![an image](x.png) after",
        "Repeated words",
    ];

    fn article_body() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(
            prop::collection::vec(prop::sample::select(PARTS), 1..4),
            1..4,
        )
        .prop_map(|paras| {
            let mut b: Vec<String> = paras.iter().map(|p| p.join(" ")).collect();
            b.push("[^1]: The footnote text.".into());
            b.join("\n\n")
        })
    }

    /// What is in `annotations/` before the requests.
    const SETUPS: &[&[(&str, &str)]] = &[
        &[],
        &[(
            "annotations/a.md",
            "---\narticle: a\n---\nA note on the whole article.",
        )],
        &[(
            "annotations/notes/alpha.md",
            "---\narticle: a\n---\n\n## \"zzz\"\n\nAn unanchored one (an error before already).\n",
        )],
        &[
            ("annotations/b.md", "---\narticle: b\n---\n"),
            ("annotations/x.md", "---\narticle: a\n---\n\n> a quote\n"),
        ],
    ];

    /// The number of errors and of annotations a build of `root` has.
    fn build(root: &Path) -> (usize, usize) {
        let inputs = crate::project::Project::new(root)
            .load(&Default::default())
            .expect("inputs load");
        match crate::site::assemble(&inputs) {
            Ok(b) => (0, b.annotations.all().len()),
            Err(p) => (p.errors(), 0),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Whatever the endpoint accepts, the next build accepts too: no
        /// new error, and one more anchored annotation per stub.
        #[test]
        fn an_accepted_stub_never_breaks_the_build(
            body in article_body(),
            setup in 0..SETUPS.len(),
            picks in proptest::collection::vec((0usize..400, 1usize..60, proptest::bool::ANY), 1..4),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::create_dir_all(root.join("content")).unwrap();
            std::fs::write(root.join("content/a.md"), format!("---\ntitle: A\nslug: a\n---\n\n{body}\n")).unwrap();
            std::fs::write(root.join("content/b.md"), "---\ntitle: B\nslug: b\n---\n\nB.\n").unwrap();
            for (rel, text) in SETUPS[setup] {
                let p = root.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            let (errors, count) = build(root);
            let plain: Vec<char> = plain_text(&body).text.chars().collect();
            let mut accepted = 0;
            for (at, len, raw) in picks {
                // a selection of the page's text, or of the Markdown
                let from: Vec<char> = if raw { body.chars().collect() } else { plain.clone() };
                let at = at % from.len().max(1);
                let quote: String = from[at..(at + len).min(from.len())].iter().collect();
                if post(root, "a", &quote).is_ok() {
                    accepted += 1;
                }
            }
            let (errors_after, count_after) = build(root);
            proptest::prop_assert_eq!(errors_after, errors, "new errors");
            if errors == 0 {
                proptest::prop_assert_eq!(count_after, count + accepted);
            }
        }
    }
}
