//! provenance: what pages show of where an article comes from — the
//! outlet, the dateline (the date as printed, "updated …"), the link to the
//! original, the facts of the source page, and the JSON-LD `NewsArticle`
//! block — each made once per page from the article's parsed front matter
//! (no re-parsing: [`Article`] holds typed values).

use super::pages::{DateView, date_view};
use crate::content::{Article, Stamp, civil_iso};
use serde::Serialize;

/// What the article page's head and dateline show of provenance.
#[derive(Serialize)]
pub struct Cite<'a> {
    /// The publication's name.
    pub outlet: Option<&'a str>,
    /// The original's address (an absolute `http(s)` URL: [`Article::url`]
    /// is checked when the article is read).
    pub original_url: Option<&'a str>,
    /// The original's host, for the link's text (`news.example`).
    pub original_host: Option<&'a str>,
    /// The date the dateline shows: `date` as the page printed it, else
    /// the wall-clock time of first publication.
    pub date: Option<DateView>,
    /// Last modification, when it differs from publication.
    pub updated: Option<DateView>,
}

/// The dateline and the original link of an article.
pub fn cite(a: &Article) -> Cite<'_> {
    let shown = a.date.or(a.published.map(|p| p.time));
    Cite {
        outlet: a.outlet.as_deref(),
        original_url: a.url.as_deref(),
        original_host: a.url.as_deref().map(host),
        date: shown.as_ref().map(|d| {
            let mut v = date_view(d);
            // the printed time is the publication's: say its offset too
            if let Some(p) = a.published.filter(|p| p.time == *d && p.offset.is_some()) {
                v.iso = p.iso();
            }
            v
        }),
        updated: updated(a, shown).map(|m| {
            // the same day as the dateline: the time says enough
            let same_day = shown.is_some_and(|d| d.date() == m.time.date());
            let display = if same_day {
                format!("{:02}:{:02}", m.time.hour(), m.time.minute())
            } else {
                date_view(&m.time).display
            };
            DateView {
                display,
                iso: m.iso(),
            }
        }),
    }
}

/// `modified`, when it says something the dateline does not: a different
/// instant from `published`, or (without `published`) a different
/// wall-clock time from the date shown.
fn updated(a: &Article, shown: Option<jiff::civil::DateTime>) -> Option<Stamp> {
    let m = a.modified?;
    let differs = match (a.published, shown) {
        (Some(p), _) => p.instant() != m.instant(),
        (None, Some(d)) => d != m.time,
        (None, None) => true,
    };
    differs.then_some(m)
}

/// The host of an absolute URL, without a leading `www.`
/// (`https://www.news.example:8080/a` → `news.example:8080`).
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    host.strip_prefix("www.").unwrap_or(host)
}

/// The scheme and authority of an absolute URL
/// (`https://news.example:8080/a` → `https://news.example:8080`).
pub fn origin(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    &url[..end]
}

/// A moment for people and machines, with its offset when it has one
/// ("6 December 2024, 15:39 UTC+01:00").
pub fn stamp_view(s: &Stamp) -> DateView {
    let iso = s.iso();
    let mut display = date_view(&s.time).display;
    if s.offset.is_some() {
        let offset = &iso[iso.len() - 6..];
        display.push_str(" UTC");
        if offset != "+00:00" {
            display.push_str(offset);
        }
    }
    DateView { display, iso }
}

/// A schema.org `NewsArticle` describing an article page, for a
/// `<script type="application/ld+json">` block.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    /// This page.
    url: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    /// The original this page reproduces.
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
}

/// `{"@type": "Person", "name": …}` and the like.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// The JSON-LD `NewsArticle` of an article whose page is at `page_url`
/// (absolute), ready to sit inside `<script type="application/ld+json">`:
/// `datePublished` is `published` with its offset (else the date shown),
/// `dateModified` is `modified`, the author the byline, the publisher the
/// outlet, and `isBasedOn`/`sameAs` the original's URL.
pub fn json_ld(a: &Article, page_url: &str) -> String {
    let doc = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &a.title,
        url: page_url,
        date_published: a
            .published
            .map(|p| p.iso())
            .or_else(|| a.date.as_ref().map(civil_iso)),
        date_modified: a.modified.map(|m| m.iso()),
        author: a.byline.as_deref().map(|name| Named {
            kind: "Person",
            name,
        }),
        publisher: a.outlet.as_deref().map(|name| Named {
            kind: "Organization",
            name,
        }),
        is_based_on: a.url.as_deref(),
        same_as: a.url.as_deref(),
    };
    script_json(&doc)
}

/// JSON safe to paste between `<script>` and `</script>`: `<`, `>` and `&`
/// (and the line separators U+2028/U+2029) are written as `\u` escapes.
/// They can only occur inside JSON strings, where the escape means the
/// same character, so the JSON is unchanged; but no `</script>`, `<!--`
/// or `]]>` can appear in the page. Escaped as it is written, in one pass.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let mut ser = serde_json::Serializer::with_formatter(Vec::with_capacity(512), ScriptSafe);
    value
        .serialize(&mut ser)
        .expect("serializing plain data to JSON cannot fail");
    String::from_utf8(ser.into_inner()).expect("serde_json writes UTF-8")
}

/// serde_json's compact output, with the characters [`script_json`]
/// escapes escaped inside strings (keys and values).
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let b = fragment.as_bytes();
        let mut last = 0;
        for (i, &c) in b.iter().enumerate() {
            let (esc, len): (&[u8], usize) = match c {
                b'<' => (b"\\u003c", 1),
                b'>' => (b"\\u003e", 1),
                b'&' => (b"\\u0026", 1),
                // U+2028, U+2029: E2 80 A8, E2 80 A9
                0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
                    Some(0xA8) => (b"\\u2028", 3),
                    Some(0xA9) => (b"\\u2029", 3),
                    _ => continue,
                },
                _ => continue,
            };
            w.write_all(&b[last..i])?;
            w.write_all(esc)?;
            last = i + len;
        }
        w.write_all(&b[last..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn article(fm: &str) -> Article {
        crate::content::parse_article(
            "content/a.md",
            Arc::from(format!("---\n{fm}---\n\nThe lede.\n")),
        )
        .unwrap()
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028} ]]>";
        let a = article(&format!(
            "title: {}\nbyline: \"</SCRIPT>\"\noutlet: \"<!--x\"\n",
            serde_json::to_string(hostile).unwrap()
        ));
        let json = json_ld(&a, "https://b.example/articles/a/");
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!json.contains(bad), "{bad:?} in {json}");
        }
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["headline"], hostile);
        assert_eq!(v["author"]["name"], "</SCRIPT>");
        assert_eq!(v["publisher"]["name"], "<!--x");
    }

    #[test]
    fn news_article_carries_the_provenance() {
        let a = article(
            "title: T\ndate: 2024-12-06T15:39:00\nbyline: Kit Heren\noutlet: The Example Times\nurl: https://news.example/a\npublished: 2024-12-06T15:39:00+01:00\nmodified: 2024-12-07T09:10:00+01:00\n",
        );
        let v: serde_json::Value =
            serde_json::from_str(&json_ld(&a, "https://b.example/articles/t/")).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "NewsArticle");
        assert_eq!(v["url"], "https://b.example/articles/t/");
        assert_eq!(v["datePublished"], "2024-12-06T15:39:00+01:00");
        assert_eq!(v["dateModified"], "2024-12-07T09:10:00+01:00");
        assert_eq!(v["author"]["@type"], "Person");
        assert_eq!(v["publisher"]["@type"], "Organization");
        assert_eq!(v["publisher"]["name"], "The Example Times");
        assert_eq!(v["isBasedOn"], "https://news.example/a");
        assert_eq!(v["sameAs"], "https://news.example/a");
        // nothing known: nothing claimed
        let v: serde_json::Value =
            serde_json::from_str(&json_ld(&article("title: T\n"), "https://b.example/")).unwrap();
        for key in [
            "datePublished",
            "dateModified",
            "author",
            "publisher",
            "isBasedOn",
            "sameAs",
        ] {
            assert!(v.get(key).is_none(), "{key}");
        }
    }

    #[test]
    fn the_dateline_says_updated_only_when_it_differs() {
        let c = |fm: &str| {
            let a = article(fm);
            let c = cite(&a);
            (
                c.date.map(|d| d.display),
                c.updated.map(|u| (u.display, u.iso)),
            )
        };
        // modified the same instant as published: no "updated"
        assert_eq!(
            c(
                "title: T\ndate: 2024-12-06T15:39\npublished: 2024-12-06T15:39:00+01:00\nmodified: 2024-12-06T14:39:00Z\n"
            ),
            (Some("6 December 2024, 15:39".into()), None)
        );
        // later the same day: the time
        assert_eq!(
            c("title: T\ndate: 2024-12-06T15:39\npublished: 2024-12-06T15:39:00+01:00\nmodified: 2024-12-06T17:02:00+01:00\n").1,
            Some(("17:02".into(), "2024-12-06T17:02:00+01:00".into()))
        );
        // another day: the date
        assert_eq!(
            c("title: T\ndate: 2024-12-06\nmodified: 2024-12-07T09:10:00+01:00\n").1,
            Some((
                "7 December 2024, 09:10".into(),
                "2024-12-07T09:10:00+01:00".into()
            ))
        );
        // no date printed: the dateline shows when it was published
        assert_eq!(
            c("title: T\npublished: 2024-12-06T23:30:00-05:00\n").0,
            Some("6 December 2024, 23:30".into())
        );
    }

    #[test]
    fn hosts_and_stamps_for_people() {
        assert_eq!(
            host("https://www.news.example:8080/a?b#c"),
            "news.example:8080"
        );
        assert_eq!(host("http://news.example"), "news.example");
        assert_eq!(
            origin("https://www.news.example:8080/a?b#c"),
            "https://www.news.example:8080"
        );
        assert_eq!(origin("http://news.example?x"), "http://news.example");
        let s = Stamp::parse("2024-12-06T15:39:00+01:00").unwrap();
        assert_eq!(stamp_view(&s).display, "6 December 2024, 15:39 UTC+01:00");
        let s = Stamp::parse("2024-12-06T15:39:00Z").unwrap();
        assert_eq!(stamp_view(&s).display, "6 December 2024, 15:39 UTC");
        let s = Stamp::parse("2024-12-06T15:39:00").unwrap();
        assert_eq!(stamp_view(&s).display, "6 December 2024, 15:39");
    }

    #[test]
    fn script_json_changes_no_value() {
        let v = serde_json::json!({"a": "x<y>&z\u{2029}\u{2028}é\u{2030}", "<b>": ["</script>", "]]>"]});
        let s = script_json(&v);
        assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{s}");
        assert!(
            s.contains('\u{2030}'),
            "other characters stay as they are: {s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    proptest::proptest! {
        /// Whatever the text, the block parses back to it and holds no
        /// character that could end the script or open a comment.
        #[test]
        fn script_json_is_safe_for_any_text(
            text in r"[<>&/!\[\]a-z \u{2028}\u{2029}\u{2030}é\u{1F600}\\\x00-\x1f-]{0,40}"
        ) {
            let v = serde_json::json!({ "headline": text, "list": [text.clone()] });
            let s = script_json(&v);
            proptest::prop_assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{}", s);
            let back: serde_json::Value = serde_json::from_str(&s).unwrap();
            proptest::prop_assert_eq!(back, v);
        }
    }
}
