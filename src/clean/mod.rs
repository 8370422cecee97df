//! clean: turn one raw seed (a page's text dump or a saved HTML page) into a
//! [`Cleaned`] article — headline, metadata, figures and body paragraphs —
//! plus a per-block report of what was kept or dropped and why.
//!
//! Pure: bytes in, values out. Writing `content/*.md` (and protecting hand
//! edits) is the job of [`crate::content`]; this module never touches the
//! file system.

pub mod dump;
pub mod html;
pub mod markdown;
pub mod meta;

use crate::model::Figure;
use serde::Serialize;

/// What cleaning one seed produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cleaned {
    /// The headline.
    pub title: String,
    /// Publication date-time, normalised to `YYYY-MM-DDTHH:MM:SS`; `None`
    /// when the page gives none (never guessed).
    pub date: Option<String>,
    /// Author(s), as the page names them ("Kit Heren", "A and B").
    pub byline: Option<String>,
    /// Where the article was published, as the page declares it, for
    /// citation (provenance; all `None` when the page does not say).
    pub provenance: Provenance,
    /// Picture captions with credits.
    pub figures: Vec<Figure>,
    /// Body blocks as Markdown, already escaped so they render literally
    /// (paragraphs; headings, lists and quotes when the input had them).
    pub body: Vec<String>,
    /// Every block of the input, in order, with the decision taken on it
    /// (shared: the source pages show it, and a raw build of ten thousand
    /// pages held three copies of every block's text).
    pub report: std::sync::Arc<[BlockReport]>,
    /// What cleaning had to change in a malformed seed (tags nested too
    /// deep, …): the seed's file name is added when they are reported.
    #[serde(skip)]
    pub warnings: Vec<CleanWarning>,
}

/// Something a seed holds that cleaning could not take as it is, and
/// what it did instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanWarning {
    /// 1-based line in the (decoded) seed.
    pub line: usize,
    /// What was wrong and what was done, one sentence.
    pub message: String,
    /// What the analyst can do about it.
    pub help: String,
}

/// Where an article comes from: the metadata a desk editor cites it by.
/// Every field is what the page itself declares (or a sidecar the scraper
/// wrote beside a text dump); nothing is guessed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The article's canonical URL (`<link rel=canonical>`, `og:url`,
    /// JSON-LD `url`/`mainEntityOfPage`).
    pub url: Option<String>,
    /// The publication's name (JSON-LD publisher, `og:site_name`, …).
    pub outlet: Option<String>,
    /// First publication, RFC 3339 with the page's offset when it gives
    /// one (`2024-12-06T15:39:00+00:00`), else a civil date-time.
    pub published: Option<String>,
    /// Last modification, in the same form as `published`.
    pub modified: Option<String>,
}

/// The decision on one input block, for `clean --explain` and the
/// provenance page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockReport {
    /// 1-based line of the block's first line in the (decoded) seed.
    pub line: usize,
    /// The block's text as it appears in the seed.
    pub text: String,
    pub verdict: Verdict,
    /// Why, in a few words ("repeated headline", "caption", "short line in a
    /// run of headlines", "body paragraph").
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Part of the body.
    Kept,
    /// Used as metadata (title, date, byline, caption/credit).
    Meta,
    /// Boilerplate, dropped.
    Dropped,
}

/// The kind of seed, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedKind {
    /// A text dump: one block per line-group, blank lines between blocks.
    Text,
    /// A saved HTML page.
    Html,
}

impl SeedKind {
    /// `*.html`/`*.htm` are HTML; `*.txt` (and anything else) is a dump.
    pub fn from_name(name: &str) -> SeedKind {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            SeedKind::Html
        } else {
            SeedKind::Text
        }
    }
}

/// Why a seed could not be cleaned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CleanError {
    #[error("the seed is empty")]
    Empty,
    #[error(
        "the seed looks like a binary file, not a text dump or HTML page (byte {offset} is {byte:#04x})"
    )]
    Binary { offset: usize, byte: u8 },
    #[error("no article found in the seed: {why}")]
    NoArticle { why: String },
    #[error("the page nests elements {depth} deep, too deep to read safely")]
    TooDeep { depth: usize },
}

impl CleanError {
    /// What the analyst can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            CleanError::Empty => "save the page again, or delete the empty file from seeds/",
            CleanError::Binary { .. } => {
                "seeds/ takes *.txt page dumps and *.html saved pages; remove or convert this file"
            }
            CleanError::NoArticle { .. } => {
                "check that the dump holds an article (not a section front or an error page), or write content/<slug>.md by hand"
            }
            CleanError::TooDeep { .. } => {
                "the page is malformed or hostile: save the article again from the browser, or write content/<slug>.md by hand"
            }
        }
    }
}

/// Signatures of binary formats that turn up where pages are saved
/// (images, PDFs, archives, executables): such a file is never text.
const BINARY_MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",
    b"\x7fELF",
    b"MZ",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ",
    b"\x00\x00\x01\x00",
    b"OggS",
    b"ID3",
    b"\x1aE\xdf\xa3",
    b"wOFF",
    b"wOF2",
];

/// Decode a seed's bytes to text: UTF-8 (with or without BOM) when valid,
/// UTF-16 when it starts with a byte-order mark, otherwise the encoding
/// `chardetng` detects (Windows-1252, Latin-1, …).
/// Normalises CRLF/CR to LF. Rejects empty and binary input.
///
/// A page is binary only when its text is not: a file that starts like an
/// image, PDF or archive is, and so is one where NUL bytes are common
/// (more than one byte in twenty of the first 64 KiB) or control
/// characters are; a few NUL bytes inside a page's text (an inline
/// script, an attribute, a stray one in a paragraph) are dropped, as
/// browsers do, and the page reads normally.
pub fn decode(bytes: &[u8]) -> Result<String, CleanError> {
    decode_cow(std::borrow::Cow::Borrowed(bytes))
}

/// [`decode`] taking the bytes, so that valid UTF-8 (most seeds) becomes
/// the text without a copy (a seed may be tens of megabytes).
pub fn decode_vec(bytes: Vec<u8>) -> Result<String, CleanError> {
    decode_cow(std::borrow::Cow::Owned(bytes))
}

fn decode_cow(input: std::borrow::Cow<'_, [u8]>) -> Result<String, CleanError> {
    // UTF-16 with a byte-order mark (as some Windows tools save text)
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&input)
        && enc != encoding_rs::UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(&input[bom..]);
        return decode(text.as_bytes());
    }
    let skip = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let bytes = &input[skip..];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CleanError::Empty);
    }
    if BINARY_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        // point at the first byte that is not text: a NUL, else another
        // control byte, else the start
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let offset = memchr::memchr(0, head)
            .or_else(|| {
                head.iter()
                    .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
            })
            .unwrap_or(0);
        return Err(CleanError::Binary {
            offset,
            byte: bytes[offset],
        });
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let nuls = memchr::memchr_iter(0, head).count();
    if nuls * 20 > head.len() {
        let offset = memchr::memchr(0, head).unwrap_or(0);
        return Err(CleanError::Binary { offset, byte: 0 });
    }
    let stripped: Vec<u8>;
    let has_nul = memchr::memchr(0, bytes).is_some();
    let bytes = if has_nul {
        stripped = bytes.iter().copied().filter(|&b| b != 0).collect();
        if stripped.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(CleanError::Empty);
        }
        &stripped[..]
    } else {
        bytes
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => match input {
            // (the NUL bytes are gone from `s`, not from the input)
            std::borrow::Cow::Owned(mut v) if !has_nul => {
                v.drain(..skip);
                String::from_utf8(v).expect("checked above")
            }
            _ => s.to_string(),
        },
        Err(_) => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let enc = det.guess(None, chardetng::Utf8Detection::Deny);
            let (cow, _, _) = enc.decode(bytes);
            cow.into_owned()
        }
    };
    // control characters among the first 64 Ki characters, in one pass
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars().take(64 * 1024) {
        chars += 1;
        controls += usize::from(c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    }
    if controls * 20 > chars {
        let offset = text
            .find(|c: char| c.is_control() && !c.is_whitespace())
            .unwrap_or(0);
        return Err(CleanError::Binary {
            offset,
            byte: text.as_bytes()[offset],
        });
    }
    if !text.contains('\r') {
        // nothing to normalise: keep the text rather than copy it twice
        return Ok(text);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Clean one seed. `name` is the seed's file name (it picks the parser).
pub fn clean_seed(bytes: &[u8], name: &str) -> Result<Cleaned, CleanError> {
    clean_text(decode(bytes)?, name)
}

/// [`clean_seed`] taking the bytes (no copy of a large seed's text).
pub fn clean_seed_vec(bytes: Vec<u8>, name: &str) -> Result<Cleaned, CleanError> {
    clean_text(decode_vec(bytes)?, name)
}

fn clean_text(text: String, name: &str) -> Result<Cleaned, CleanError> {
    match SeedKind::from_name(name) {
        SeedKind::Text => dump::clean_dump(&text),
        SeedKind::Html => html::clean_html_string(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_empty_and_binary() {
        assert_eq!(decode(b""), Err(CleanError::Empty));
        assert_eq!(decode(b"  \n\n"), Err(CleanError::Empty));
        // whitespace and a stray NUL byte or two is still empty
        let mut blank = vec![b' '; 60];
        blank.extend_from_slice(b"\0\n\0");
        assert_eq!(decode(&blank), Err(CleanError::Empty));
        for binary in [
            &b"PK\x03\x04\x00\x00"[..],
            b"PK\x03\x04 a zip whose first entry is plain text, long enough to read",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            b"GIF89a\x01\x00\x01\x00",
            b"\x7fELF\x02\x01\x01\x00",
        ] {
            assert!(
                matches!(decode(binary), Err(CleanError::Binary { .. })),
                "{binary:?}"
            );
        }
        // many NUL bytes: not text, whatever the start
        let mut ucs = Vec::new();
        for _ in 0..200 {
            ucs.extend_from_slice(b"a\0\0\0");
        }
        assert!(matches!(
            decode(&ucs),
            Err(CleanError::Binary { byte: 0, .. })
        ));
    }

    #[test]
    fn decode_drops_stray_nul_bytes_in_a_page() {
        let page = b"<html><head><script>var s = \"a\0b\";</script></head>\r\n<body><p title=\"x\0y\">The bridge reopened on Tuesday.\0</p></body></html>";
        let text = decode(page).expect("a page with NUL bytes in a script reads");
        assert!(!text.contains('\0') && !text.contains('\r'), "{text:?}");
        assert!(text.contains("var s = \"ab\";"), "{text}");
        assert!(text.contains("The bridge reopened on Tuesday."), "{text}");
        // and cleans
        let page = format!(
            "<html><body><script>x = '\0';</script><article><h1>Bridge reopens</h1><p>{}</p><p>{}</p></article></body></html>",
            "The harbour bridge reopened to traffic on Tuesday morning after two years of repairs that cost the city more than eighty million pounds.",
            "Engineers replaced the cables, resurfaced the deck and rebuilt both approach ramps, the largest maintenance project in the town's history."
        );
        let c = clean_seed(page.as_bytes(), "page.html").expect("cleans");
        assert_eq!(c.title, "Bridge reopens");
        assert_eq!(c.body.len(), 2);
    }

    #[test]
    fn decode_handles_bom_crlf_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
        // "café “quoted”" in Windows-1252
        let w1252 = b"Le caf\xe9 \x93quoted\x94 is open in the city centre today and tomorrow";
        let s = decode(w1252).unwrap();
        assert!(s.contains("café “quoted”"), "{s}");
    }

    /// `decode` as it was: two passes over the head, two copies at the end.
    fn decode_reference(bytes: &[u8]) -> Result<String, CleanError> {
        if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
            && enc != encoding_rs::UTF_8
        {
            let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
            return decode_reference(text.as_bytes());
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(CleanError::Empty);
        }
        let head = &bytes[..bytes.len().min(64 * 1024)];
        if let Some(offset) = head.iter().position(|&b| b == 0) {
            return Err(CleanError::Binary { offset, byte: 0 });
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                det.feed(bytes, true);
                let enc = det.guess(None, chardetng::Utf8Detection::Deny);
                let (cow, _, _) = enc.decode(bytes);
                cow.into_owned()
            }
        };
        let controls = text
            .chars()
            .take(64 * 1024)
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .count();
        if controls * 20 > text.chars().take(64 * 1024).count() {
            let offset = text
                .find(|c: char| c.is_control() && !c.is_whitespace())
                .unwrap_or(0);
            return Err(CleanError::Binary {
                offset,
                byte: text.as_bytes()[offset],
            });
        }
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(1_000)))]
        /// Any bytes: no panic; text that comes out has no NUL and no CR.
        #[test]
        fn decoded_text_has_no_nul_or_cr(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    proptest::prelude::Just(0u8),
                    proptest::prelude::Just(b'\r'),
                    proptest::prelude::Just(b'a'),
                    proptest::prelude::Just(b' '),
                ],
                0..200,
            )
        ) {
            if let Ok(text) = decode(&bytes) {
                proptest::prop_assert!(!text.contains('\0') && !text.contains('\r'));
            }
        }

    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(5_000)))]
        /// Input without NUL bytes or a binary signature decodes as before
        /// (`decode_reference`, the earlier single-pass rewrite's model).
        #[test]
        fn decode_is_unchanged(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    proptest::prelude::Just(b'\r'),
                    proptest::prelude::Just(b'\n'),
                    proptest::prelude::Just(b'a'),
                    proptest::prelude::Just(b' '),
                ],
                0..200,
            )
        ) {
            let magic = BINARY_MAGIC
                .iter()
                .any(|m| bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).starts_with(m));
            if !bytes.contains(&0) && !magic {
                proptest::prop_assert_eq!(decode(&bytes), decode_reference(&bytes));
            }
            // taking the bytes decodes them the same
            proptest::prop_assert_eq!(decode_vec(bytes.clone()), decode(&bytes));
        }
    }

    #[test]
    fn decode_handles_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Café\r\nbar".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap(), "Café\nbar");
        let mut be = vec![0xFE, 0xFF];
        for u in "日本".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), "日本");
        assert_eq!(decode(&[0xFF, 0xFE]), Err(CleanError::Empty));
    }
}
