//! What a saved page declares about itself, read once: JSON-LD objects
//! (the article's `headline`, dates, `url`, `mainEntityOfPage`,
//! `publisher`), `<meta>` tags (Open Graph, `article:*`, Dublin Core,
//! `application-name`, …), `<link rel=canonical>`, `<base href>`, and
//! `<time>` elements. Nothing is decided here; [`super`] weighs it.

use crate::clean::meta::dates::{Stamp, parse_stamp};
use dom_query::Document;
use serde_json::Value;
use std::collections::HashMap;

/// JSON-LD `@type`s of an article.
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
];

/// The article object of the page's JSON-LD, reduced to what is used.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LdArticle {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub url: Option<String>,
    pub main_entity: Option<String>,
    pub publisher: Option<String>,
}

/// A `<time>` element.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TimeElement {
    pub stamp: Stamp,
    /// Its visible text.
    pub text: String,
    /// Marked as the publication time (`pubdate`, `itemprop=datePublished`,
    /// a class naming publication) or as the update time.
    pub role: TimeRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeRole {
    Published,
    Updated,
    Unknown,
}

/// Everything the page declares, in document order per kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageMeta {
    /// `<meta>` values by lower-cased `property`/`name`/`itemprop`.
    pub meta: HashMap<String, Vec<String>>,
    /// The JSON-LD article, when there is one.
    pub ld: Option<LdArticle>,
    /// JSON-LD `WebSite`/`Organization` names (a site's own name).
    pub ld_site_names: Vec<String>,
    /// `<title>`.
    pub title: Option<String>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
    /// `<base href>`.
    pub base: Option<String>,
    pub times: Vec<TimeElement>,
    /// The page's language tags: `<html lang>`, `xml:lang`, a
    /// `Content-Language` `<meta http-equiv>` (`og:locale` is in `meta`).
    pub langs: Vec<String>,
}

impl PageMeta {
    /// The first non-empty value of any of the `<meta>` keys, in order.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .filter_map(|k| self.meta.get(*k))
            .flatten()
            .map(|v| v.trim())
            .find(|v| !v.is_empty())
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Read the page's declarations.
pub(crate) fn read(doc: &Document) -> PageMeta {
    let mut out = PageMeta::default();
    for n in doc.select("meta").nodes() {
        let Some(content) = n.attr("content") else {
            continue;
        };
        for key in ["property", "name", "itemprop"] {
            if let Some(k) = n.attr(key) {
                let k = k.trim().to_ascii_lowercase();
                if !k.is_empty() {
                    out.meta.entry(k).or_default().push(collapse(&content));
                }
            }
        }
    }
    for n in doc.select("html").nodes().iter().take(1) {
        for a in ["lang", "xml:lang"] {
            out.langs.extend(n.attr(a).map(|l| l.trim().to_string()));
        }
    }
    for n in doc.select("meta[http-equiv][content]").nodes() {
        if n.attr("http-equiv")
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-language"))
        {
            out.langs
                .extend(n.attr("content").map(|l| l.trim().to_string()));
        }
    }
    out.langs.retain(|l| !l.is_empty() && l.len() <= 35);
    out.title = doc
        .select("head title, title")
        .nodes()
        .first()
        .map(|n| collapse(&n.text()))
        .filter(|t| !t.is_empty());
    for n in doc.select("link[rel][href]").nodes() {
        let rel = n.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if rel.split_whitespace().any(|r| r == "canonical") {
            out.canonical = n.attr("href").map(|h| h.trim().to_string());
            break;
        }
    }
    out.base = doc
        .select("base[href]")
        .nodes()
        .first()
        .and_then(|n| n.attr("href"))
        .map(|h| h.trim().to_string());
    let mut graph: Vec<Value> = Vec::new();
    for n in doc.select("script").nodes() {
        let ty = n.attr("type").unwrap_or_default().to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        if let Some(v) = parse_json_ld(&n.text()) {
            flatten(v, &mut graph);
        }
    }
    let by_id: HashMap<&str, &Value> = graph
        .iter()
        .filter_map(|o| Some((o.get("@id")?.as_str()?, o)))
        .collect();
    out.ld = graph
        .iter()
        .find(|o| has_type(o, ARTICLE_TYPES))
        .map(|o| ld_article(o, &by_id));
    out.ld_site_names = graph
        .iter()
        .filter(|o| has_type(o, &["website", "organization", "newsmediaorganization"]))
        .filter_map(|o| text_of(o.get("name")?))
        .collect();
    for n in doc.select("time").nodes() {
        let Some(stamp) = n
            .attr("datetime")
            .or_else(|| n.attr("content"))
            .and_then(|d| parse_stamp(&d))
        else {
            continue;
        };
        let hint = format!(
            "{} {} {}",
            n.attr("itemprop").unwrap_or_default(),
            n.class().unwrap_or_default(),
            if n.has_attr("pubdate") { "pubdate" } else { "" }
        )
        .to_ascii_lowercase();
        let role = if hint.contains("modified") || hint.contains("updated") {
            TimeRole::Updated
        } else if hint.contains("published") || hint.contains("pubdate") || hint.contains("posted")
        {
            TimeRole::Published
        } else {
            TimeRole::Unknown
        };
        out.times.push(TimeElement {
            stamp,
            text: collapse(&n.text()),
            role,
        });
    }
    out
}

/// Parse a JSON-LD script, tolerating what pages wrap around it (HTML
/// comments, CDATA markers, a trailing `;`). `None` when it is not JSON.
fn parse_json_ld(text: &str) -> Option<Value> {
    let mut t = text.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
    ] {
        if let Some(rest) = t.strip_prefix(open) {
            t = rest.trim();
            if let Some(rest) = t.strip_suffix(close) {
                t = rest.trim();
            }
        }
    }
    let t = t.trim_end_matches(';').trim();
    serde_json::from_str(t).ok()
}

/// Objects of a JSON-LD value, `@graph`s and arrays opened, in order.
fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => {
            for i in items {
                flatten(i, out);
            }
        }
        Value::Object(mut o) => {
            let graph = o.remove("@graph");
            out.push(Value::Object(o));
            if let Some(g) = graph {
                flatten(g, out);
            }
        }
        _ => {}
    }
}

fn has_type(o: &Value, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|s| {
            let s = s
                .rsplit(['/', ':'])
                .next()
                .unwrap_or(s)
                .to_ascii_lowercase();
            types.contains(&s.as_str())
        })
    };
    match o.get("@type") {
        Some(Value::Array(ts)) => ts.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// A string value, or the first string of an array, trimmed; `None` when
/// empty.
fn text_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => return a.iter().find_map(text_of),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let s = collapse(&html_escape::decode_html_entities(&s));
    (!s.is_empty()).then_some(s)
}

/// A URL given as a string, or as an object's `@id`/`url`.
fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => o
            .get("url")
            .and_then(url_of)
            .or_else(|| o.get("@id").and_then(text_of)),
        Value::Array(a) => a.iter().find_map(url_of),
        other => text_of(other),
    }
}

fn ld_article(o: &Value, by_id: &HashMap<&str, &Value>) -> LdArticle {
    let publisher = o.get("publisher").and_then(|p| {
        let p = match p {
            Value::Array(a) => a.first()?,
            p => p,
        };
        match p {
            Value::Object(po) => po.get("name").and_then(text_of).or_else(|| {
                let id = po.get("@id")?.as_str()?;
                by_id.get(id)?.get("name").and_then(text_of)
            }),
            other => text_of(other),
        }
    });
    LdArticle {
        headline: o.get("headline").and_then(text_of),
        published: o.get("datePublished").and_then(text_of),
        modified: o.get("dateModified").and_then(text_of),
        url: o.get("url").and_then(url_of),
        main_entity: o.get("mainEntityOfPage").and_then(url_of),
        publisher,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_ld_in_a_graph_with_a_publisher_reference() {
        let html = r#"<html><head>
            <script type="application/ld+json"><!--
            {"@context":"https://schema.org","@graph":[
              {"@type":"Organization","@id":"https://ex.org/#org","name":"The Harbour Times"},
              {"@type":["NewsArticle"],"headline":"Bridge reopens &amp; traffic returns",
               "datePublished":"2024-03-05T09:30:00+01:00","dateModified":"2024-03-06T10:00:00Z",
               "mainEntityOfPage":{"@id":"https://ex.org/news/bridge"},
               "publisher":{"@id":"https://ex.org/#org"}}]}
            --></script>
            <script type="application/ld+json">{not json</script>
            </head><body></body></html>"#;
        let m = read(&Document::from(html));
        let ld = m.ld.unwrap();
        assert_eq!(
            ld.headline.as_deref(),
            Some("Bridge reopens & traffic returns")
        );
        assert_eq!(ld.published.as_deref(), Some("2024-03-05T09:30:00+01:00"));
        assert_eq!(ld.modified.as_deref(), Some("2024-03-06T10:00:00Z"));
        assert_eq!(
            ld.main_entity.as_deref(),
            Some("https://ex.org/news/bridge")
        );
        assert_eq!(ld.publisher.as_deref(), Some("The Harbour Times"));
        assert_eq!(m.ld_site_names, vec!["The Harbour Times".to_string()]);
    }

    #[test]
    fn reads_meta_links_and_times() {
        let html = r#"<html><head><title> Bridge reopens | The Harbour Times </title>
            <meta property="og:site_name" content="The Harbour Times">
            <meta name="DC.date.issued" content="2024-03-05">
            <link rel="Canonical" href="/news/bridge"><base href="https://ex.org/">
            </head><body><time datetime="2024-03-05T09:30:00+01:00" class="entry-date published">5 March</time>
            <time datetime="garbage">x</time><time pubdate datetime="2024-03-04">4 March</time></body></html>"#;
        let m = read(&Document::from(html));
        assert_eq!(m.first(&["og:site_name"]), Some("The Harbour Times"));
        assert_eq!(m.first(&["dc.date.issued"]), Some("2024-03-05"));
        assert_eq!(
            m.title.as_deref(),
            Some("Bridge reopens | The Harbour Times")
        );
        assert_eq!(m.canonical.as_deref(), Some("/news/bridge"));
        assert_eq!(m.base.as_deref(), Some("https://ex.org/"));
        assert_eq!(m.times.len(), 2);
        assert_eq!(m.times[0].role, TimeRole::Published);
        assert_eq!(m.times[0].text, "5 March");
        assert_eq!(m.times[1].role, TimeRole::Published);
    }
}
