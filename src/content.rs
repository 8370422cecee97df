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
    /// `draft: true`: held back from a public build.
    #[serde(
        default,
        deserialize_with = "yaml::flag",
        skip_serializing_if = "Option::is_none"
    )]
    pub draft: Option<bool>,
    /// Public only from this moment on: RFC 3339 with an offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embargo: Option<String>,
}

/// Every key an article's front matter may hold (others are a warning).
pub const KEYS: &[&str] = &[
    "title",
    "slug",
    "date",
    "byline",
    "outlet",
    "url",
    "published",
    "modified",
    "source",
    "seed_sha256",
    "summary",
    "figures",
    "tags",
    "draft",
    "embargo",
];

/// The keys of the executive summary's front matter.
pub const SUMMARY_KEYS: &[&str] = &["title"];

/// A parsed article.
#[derive(Clone, Debug)]
pub struct Article {
    /// Project-relative file name (`content/x.md`), for diagnostics.
    pub file: String,
    pub slug: Slug,
    pub title: String,
    pub date: Option<jiff::civil::DateTime>,
    pub byline: Option<String>,
    /// The publication's name, as the page or its sidecar gives it.
    pub outlet: Option<String>,
    /// The article's address on the web: always an absolute `http(s)` URL
    /// ([`check_url`]).
    pub url: Option<String>,
    /// First publication, as the page declares it.
    pub published: Option<Stamp>,
    /// Last modification, as the page declares it.
    pub modified: Option<Stamp>,
    pub source: Option<String>,
    /// SHA-256 of the seed's bytes when it was cleaned (64 hex digits).
    pub seed_sha256: Option<String>,
    pub summary: String,
    pub figures: Vec<Figure>,
    pub tags: Vec<String>,
    /// `draft: true` in its front matter.
    pub draft: bool,
    /// `embargo:` in its front matter: public only from then on (always
    /// with an offset).
    pub embargo: Option<Stamp>,
    /// Whether the build holds it back, and why: set by
    /// [`crate::site::assemble`], which knows the profile and the time
    /// (`None` from [`parse_article`]). An internal build keeps held
    /// articles and marks them; a public one has none.
    pub held: Option<Hold>,
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

/// A moment a page declares (first published, last modified): its
/// wall-clock time and, when the page gives one, its UTC offset. Written
/// as RFC 3339 (`2024-12-06T15:39:00+01:00`), or without an offset
/// (`2024-12-06T15:39:00`) when the page gives none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The time as the page's clock showed it.
    pub time: jiff::civil::DateTime,
    /// The offset from UTC of that clock, when known.
    pub offset: Option<jiff::tz::Offset>,
}

impl Stamp {
    /// Read an RFC 3339 / ISO 8601 date-time, with an offset
    /// (`2024-12-06T15:39:00+01:00`, `…Z`) or without
    /// (`2024-12-06T15:39:00`, `2024-12-06 15:39`, `2024-12-06`). Fractions
    /// of a second are dropped; a time-zone annotation (`[Europe/Paris]`)
    /// is ignored, the offset kept.
    pub fn parse(s: &str) -> Option<Stamp> {
        let p = jiff::fmt::temporal::Pieces::parse(s.trim()).ok()?;
        let t = p.time().unwrap_or(jiff::civil::Time::midnight());
        let t = jiff::civil::time(t.hour(), t.minute(), t.second(), 0);
        Some(Stamp {
            time: p.date().to_datetime(t),
            offset: p.to_numeric_offset(),
        })
    }

    /// RFC 3339 with the offset (`2024-12-06T15:39:00+01:00`), or the
    /// civil date-time when there is none (`2024-12-06T15:39:00`).
    pub fn iso(&self) -> String {
        let mut s = civil_iso(&self.time);
        if let Some(o) = self.offset {
            push_offset(&mut s, o);
        }
        s
    }

    /// RFC 3339 with an offset always, as Atom requires: a time without
    /// one is taken as UTC (as the feed takes `date`).
    pub fn rfc3339(&self) -> String {
        let mut s = civil_iso(&self.time);
        match self.offset {
            Some(o) => push_offset(&mut s, o),
            None => s.push('Z'),
        }
        s
    }

    /// The instant, a time without an offset taken as UTC (for ordering
    /// and comparing).
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        self.offset
            .unwrap_or(jiff::tz::Offset::UTC)
            .to_timestamp(self.time)
            .ok()
    }
}

/// `YYYY-MM-DDTHH:MM:SS`.
pub fn civil_iso(d: &jiff::civil::DateTime) -> String {
    // written out (not `format!`): every article page writes a few
    let mut s = String::with_capacity(25);
    let year = d.year();
    if (0..=9999).contains(&year) {
        push2(&mut s, (year / 100) as u8);
        push2(&mut s, (year % 100) as u8);
    } else {
        s.push_str(&format!("{year:04}"));
    }
    s.push('-');
    push2(&mut s, d.month() as u8);
    s.push('-');
    push2(&mut s, d.day() as u8);
    s.push('T');
    push2(&mut s, d.hour() as u8);
    s.push(':');
    push2(&mut s, d.minute() as u8);
    s.push(':');
    push2(&mut s, d.second() as u8);
    s
}

/// Two decimal digits (`n` < 100).
fn push2(s: &mut String, n: u8) {
    s.push(char::from(b'0' + n / 10));
    s.push(char::from(b'0' + n % 10));
}

/// `+HH:MM` / `-HH:MM` (seconds of an offset, which RFC 3339 cannot
/// write, are dropped).
fn push_offset(s: &mut String, o: jiff::tz::Offset) {
    let secs = o.seconds();
    s.push(if secs < 0 { '-' } else { '+' });
    let m = secs.unsigned_abs() / 60;
    push2(s, (m / 60).min(99) as u8);
    s.push(':');
    push2(s, (m % 60) as u8);
}

/// An address as compared when telling whether two addresses are the same
/// page (an imported annotation's and an article's, two seeds'): the
/// scheme (`http`/`https`), `www.`, the host's case, a trailing slash and
/// the fragment do not count.
pub fn url_key(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = u.path().trim_end_matches('/');
    let mut key = format!(
        "{host}{}{path}",
        u.port().map_or(String::new(), |p| format!(":{p}"))
    );
    if let Some(q) = u.query().filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(q);
    }
    Some(key)
}

/// Whether `url` is an absolute `http` or `https` URL a reader can follow:
/// a scheme, a host (a name, an IPv4 or a bracketed IPv6 address, an
/// optional port), no user name or password, and no spaces, control
/// characters, quotes or angle brackets anywhere. `Err` says what is
/// wrong.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err("it does not start with http:// or https://");
    };
    if let Some(c) = url.chars().find(|&c| !url_char(c)) {
        return Err(if c.is_whitespace() {
            "it contains a space or line break (percent-encode a space as %20)"
        } else if c.is_control() {
            "it contains a control character"
        } else {
            "it contains a character that must be percent-encoded (\" < > \\ `)"
        });
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err("it carries a user name or password before the host");
    }
    let port = match authority.strip_prefix('[') {
        Some(v6) => {
            let end = v6.find(']').ok_or("its IPv6 address has no closing `]`")?;
            let host = &v6[..end];
            if host.is_empty()
                || !host
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || ":.".contains(c))
            {
                return Err("its IPv6 address is not valid");
            }
            &v6[end + 1..]
        }
        None => {
            let (host, port) = authority.split_at(authority.find(':').unwrap_or(authority.len()));
            if host.is_empty() {
                return Err("it has no host name");
            }
            if !host
                .chars()
                .all(|c| c.is_alphanumeric() || "-._~%".contains(c))
                || host.starts_with(['.', '-'])
                || host.contains("..")
            {
                return Err("its host name is not valid");
            }
            port
        }
    };
    if !port.is_empty() {
        let digits = port.strip_prefix(':').ok_or("its host name is not valid")?;
        if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("its port is not a number");
        }
    }
    Ok(())
}

/// A character a URL may hold as it is (non-ASCII letters included: an
/// IRI is fine in `href`).
fn url_char(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`'))
}

/// A URL found in a page, made fit for front matter: surrounding space
/// trimmed, the characters [`check_url`] refuses percent-encoded as a
/// browser would; `None` when it is still not an absolute `http(s)` URL
/// (a relative or `javascript:` link on a hostile page is dropped, not
/// written).
pub fn normalize_url(url: &str) -> Option<String> {
    let url = url.trim();
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if url_char(c) || c.is_control() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    check_url(&out).is_ok().then_some(out)
}

/// What to do about a `published` or `modified` time that cannot be read.
pub const STAMP_HELP: &str = "write it as RFC 3339, with the page's offset (`2024-12-06T15:39:00+01:00`) or without one (`2024-12-06T15:39:00`), or remove the line";

/// Whether `s` is a SHA-256 digest in hexadecimal.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The SHA-256 of `bytes`, in lowercase hexadecimal (as `sha256sum`
/// prints it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// Find the byte span of a top-level key's value in front matter, for
/// diagnostics that concern a key (`date: yesterday`).
pub(crate) fn key_span(yaml: &str, yaml_offset: usize, key: &str) -> Option<(usize, usize)> {
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
    // where a key's value is, for the diagnostics below
    let at_key = |key: &str| key_span(yaml_src, split.yaml_offset, key).unwrap_or((0, 3));
    let url = match fm.url.filter(|u| !u.trim().is_empty()) {
        Some(u) => match check_url(&u) {
            Ok(()) => Some(u),
            Err(why) => {
                let (at, len) = at_key("url");
                return Err(Problem::at(
                    file,
                    text.clone(),
                    at,
                    len,
                    format!("`url` is not an absolute http(s) address: {why}"),
                )
                .with_help(
                    "write the article's address on the web, e.g. `url: https://news.example/2024/12/06/story`, or remove the line",
                ));
            }
        },
        None => None,
    };
    let stamp = |key: &str, value: Option<&String>| -> Result<Option<Stamp>, Problem> {
        let Some(v) = value.filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        Stamp::parse(v).map(Some).ok_or_else(|| {
            let (at, len) = at_key(key);
            Problem::at(
                file,
                text.clone(),
                at,
                len,
                format!("cannot read the `{key}` time {v:?}"),
            )
            .with_help(STAMP_HELP)
        })
    };
    let published = stamp("published", fm.published.as_ref())?;
    let modified = stamp("modified", fm.modified.as_ref())?;
    let seed_sha256 = match fm.seed_sha256 {
        Some(h) if !is_sha256_hex(&h) => {
            let (at, len) = at_key("seed_sha256");
            return Err(Problem::at(
                file,
                text.clone(),
                at,
                len,
                "`seed_sha256` is not a SHA-256 (64 hexadecimal digits)",
            )
            .with_help("remove the line; `briefing clean --force` writes it again from the seed"));
        }
        h => h,
    };
    let embargo = match fm.embargo.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => match Stamp::parse(v) {
            Some(s) if s.offset.is_some() => Some(s),
            parsed => {
                let (at, len) = at_key("embargo");
                let message = if parsed.is_some() {
                    format!("the embargo {v:?} has no UTC offset")
                } else {
                    format!("cannot read the embargo {v:?}")
                };
                return Err(Problem::at(file, text.clone(), at, len, message).with_help(
                    "write the moment the article may be published as RFC 3339 with its offset, e.g. `embargo: 2024-12-06T15:39:00+01:00` (or `…Z` for UTC)",
                ));
            }
        },
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
        outlet: fm.outlet.filter(|o| !o.trim().is_empty()),
        url,
        published,
        modified,
        source: fm.source,
        seed_sha256,
        summary,
        figures: fm.figures,
        tags: fm.tags,
        draft: fm.draft.unwrap_or(false),
        embargo,
        held: None,
        body_offset: split.body_offset,
        text,
    })
}

/// Warnings for the keys of an article's front matter that no reader
/// knows (`drafts:` → did you mean `draft`?).
pub fn unknown_keys(a: &Article) -> Vec<Problem> {
    front_matter_warnings(&a.file, &a.text, KEYS)
}

/// [`unknown_keys`] of any Markdown file with front matter (`known`: its
/// keys).
pub fn front_matter_warnings(file: &str, text: &Arc<str>, known: &[&str]) -> Vec<Problem> {
    match yaml::split_front_matter(text) {
        Ok(yaml::Split {
            yaml: Some(y),
            yaml_offset,
            ..
        }) => yaml::unknown_keys(file, text, y, yaml_offset, known, "the front matter"),
        _ => Vec::new(),
    }
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

mod summary;
pub use summary::{SUMMARY_MAX, first_paragraph_text};

/// The text of a new content file for a cleaned seed; `seed_sha256` is the
/// hash of the seed's bytes ([`sha256_hex`]). Provenance the cleaner found
/// is written only in a form [`parse_article`] accepts: a URL that is not
/// an absolute `http(s)` one, or a time that cannot be read, is left out
/// rather than written into a file that would not build.
pub fn cleaned_to_markdown(
    c: &Cleaned,
    slug: &Slug,
    source: &str,
    seed_sha256: Option<&str>,
) -> String {
    let body = c.body.join("\n\n");
    let p = &c.provenance;
    let stamp = |s: &Option<String>| s.as_deref().and_then(Stamp::parse).map(|t| t.iso());
    let fm = FrontMatter {
        title: Some(c.title.clone()),
        slug: Some(slug.to_string()),
        date: c.date.clone(),
        byline: c.byline.clone(),
        outlet: p
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string),
        url: p.url.as_deref().and_then(normalize_url),
        published: stamp(&p.published),
        modified: stamp(&p.modified),
        source: Some(source.to_string()),
        seed_sha256: seed_sha256.map(str::to_string),
        summary: Some(first_paragraph_text(&body)).filter(|s| !s.is_empty()),
        figures: c.figures.clone(),
        tags: Vec::new(),
        draft: None,
        embargo: None,
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

/// Why an article is held back (decided by [`crate::holdback::article_hold`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// `draft: true`.
    Draft,
    /// `embargo:` is later than the build's time.
    Embargo(Stamp),
}

impl Hold {
    /// One word for classes: `draft`, `embargoed`.
    pub fn kind(&self) -> &'static str {
        match self {
            Hold::Draft => "draft",
            Hold::Embargo(_) => "embargoed",
        }
    }
    /// What a badge says: `draft`, `embargoed until 2024-12-06T15:39:00+01:00`.
    pub fn label(&self) -> String {
        match self {
            Hold::Draft => "draft".into(),
            Hold::Embargo(s) => format!("embargoed until {}", s.iso()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_match_across_scheme_www_and_slash() {
        assert_eq!(
            url_key("https://www.Example.org/a/b/#x"),
            url_key("http://example.org/a/b")
        );
        assert_ne!(
            url_key("https://example.org/a"),
            url_key("https://example.org/b")
        );
        assert_eq!(url_key("mailto:a@b"), None);
        assert_eq!(url_key("not a url"), None);
    }

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
    fn a_summary_is_cut_at_a_word() {
        let long = "word ".repeat(100_000);
        let s = first_paragraph_text(&format!("{long}\n\nSecond."));
        assert!(s.len() <= SUMMARY_MAX + 3, "{}", s.len());
        assert!(s.ends_with("word…"), "{s}");
        let one = "é".repeat(10_000);
        let s = first_paragraph_text(&one);
        assert!(s.ends_with('…') && s.len() <= SUMMARY_MAX + 3);
        assert_eq!(first_paragraph_text("Short one.\n\nTwo."), "Short one.");
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
            warnings: Vec::new(),
        };
        let slug = Slug::from_title(&c.title).unwrap();
        let md = cleaned_to_markdown(&c, &slug, "x.txt", None);
        let a = art(&md).unwrap();
        assert_eq!(a.title, c.title);
        assert_eq!(a.figures, c.figures);
        assert_eq!(a.summary, "Para *one*.");
        assert_eq!(a.source.as_deref(), Some("x.txt"));
    }

    #[test]
    fn stamps_keep_the_offset_the_page_gives() {
        let s = |t: &str| Stamp::parse(t).map(|s| (s.iso(), s.rfc3339()));
        let both = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            s("2024-12-06T15:39:00+01:00"),
            both("2024-12-06T15:39:00+01:00", "2024-12-06T15:39:00+01:00")
        );
        assert_eq!(
            s("2024-12-06T15:39:00.250Z"),
            both("2024-12-06T15:39:00+00:00", "2024-12-06T15:39:00+00:00")
        );
        assert_eq!(
            s("2024-12-06T15:39-05:30"),
            both("2024-12-06T15:39:00-05:30", "2024-12-06T15:39:00-05:30")
        );
        assert_eq!(
            s("2024-12-06 15:39"),
            both("2024-12-06T15:39:00", "2024-12-06T15:39:00Z")
        );
        assert_eq!(
            s("2024-12-06"),
            both("2024-12-06T00:00:00", "2024-12-06T00:00:00Z")
        );
        assert_eq!(
            s("2024-12-06T15:39:00+01:00[Europe/Paris]"),
            both("2024-12-06T15:39:00+01:00", "2024-12-06T15:39:00+01:00")
        );
        for bad in [
            "yesterday",
            "06/12/2024",
            "2024-13-01",
            "",
            "2024-12-06T25:00",
        ] {
            assert_eq!(Stamp::parse(bad), None, "{bad:?}");
        }
        let a = Stamp::parse("2024-12-06T15:39:00+01:00").unwrap();
        let b = Stamp::parse("2024-12-06T14:39:00Z").unwrap();
        assert_eq!(a.instant(), b.instant());
    }

    #[test]
    fn urls_must_be_absolute_http() {
        for ok in [
            "https://news.example/2024/12/06/story",
            "http://news.example",
            "HTTPS://News.Example:8443/a?b=c&d=e#f",
            "https://[2001:db8::1]/x",
            "https://xn--caf-dma.example/é",
            "https://a.example/{x}|y",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//news.example/x",
            "/x",
            "news.example/x",
            "https://",
            "https://a.example/x y",
            "https://a.example/\"onmouseover=\"x",
            "https://a.example/<script>",
            "https://a@b.example/",
            "https://a.example:port/",
            "https://a..example/",
            "https://[::1/",
            "https://a.example/\u{7}",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn found_urls_are_encoded_or_dropped() {
        assert_eq!(
            normalize_url(" https://a.example/a b\"c ").as_deref(),
            Some("https://a.example/a%20b%22c")
        );
        assert_eq!(normalize_url("javascript:alert(1)"), None);
        assert_eq!(normalize_url("/relative"), None);
        assert_eq!(normalize_url("https://a.example/\n/x"), None);
    }

    #[test]
    fn sha256_is_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&sha256_hex(b"")));
        assert!(!is_sha256_hex("abc"));
    }

    #[test]
    fn provenance_keys_are_read_into_the_article() {
        let a = art("---\ntitle: T\noutlet: The Example Times\nurl: https://news.example/a?b=1#c\npublished: 2024-12-06T15:39:00+01:00\nmodified: 2024-12-07T09:10:00Z\nseed_sha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n---\nx\n").unwrap();
        assert_eq!(a.outlet.as_deref(), Some("The Example Times"));
        assert_eq!(a.url.as_deref(), Some("https://news.example/a?b=1#c"));
        assert_eq!(a.published.unwrap().iso(), "2024-12-06T15:39:00+01:00");
        assert_eq!(a.modified.unwrap().iso(), "2024-12-07T09:10:00+00:00");
        assert_eq!(a.seed_sha256.as_deref().map(str::len), Some(64));
    }

    #[test]
    fn bad_provenance_points_at_the_value() {
        let e = art("---\ntitle: T\nurl: javascript:alert(1)\n---\nx\n").unwrap_err();
        assert!(
            e.message
                .starts_with("`url` is not an absolute http(s) address"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (3, 6));
        let e = art("---\ntitle: T\nmodified: soon\n---\nx\n").unwrap_err();
        assert_eq!(e.message, "cannot read the `modified` time \"soon\"");
        assert_eq!((e.line, e.column), (3, 11));
        let e = art("---\ntitle: T\nseed_sha256: abc\n---\nx\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 14));
    }

    #[test]
    fn clean_writes_only_provenance_that_reads_back() {
        let mut c = Cleaned {
            title: "T".into(),
            date: None,
            byline: None,
            provenance: crate::clean::Provenance {
                url: Some("javascript:alert(1)".into()),
                outlet: Some("  ".into()),
                published: Some("2024-12-06T15:39:00+01:00".into()),
                modified: Some("0001-99-01".into()),
            },
            figures: Vec::new(),
            body: vec!["Body.".into()],
            report: Vec::new().into(),
            warnings: Vec::new(),
        };
        let slug = Slug::parse("t").unwrap();
        let hash = sha256_hex(b"seed");
        let md = cleaned_to_markdown(&c, &slug, "x.html", Some(&hash));
        assert!(!md.contains("javascript"), "{md}");
        assert!(!md.contains("outlet:"), "{md}");
        assert!(!md.contains("modified:"), "{md}");
        assert!(md.contains(&format!("seed_sha256: {hash}\n")), "{md}");
        let a = art(&md).unwrap();
        assert_eq!(a.published.unwrap().iso(), "2024-12-06T15:39:00+01:00");
        assert_eq!(a.url, None);
        c.provenance.url = Some("https://news.example/a b".into());
        let a = art(&cleaned_to_markdown(&c, &slug, "x.html", None)).unwrap();
        assert_eq!(a.url.as_deref(), Some("https://news.example/a%20b"));
    }
}
