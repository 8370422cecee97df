//! The link check of `briefing check`: every internal `href`/`src` of every
//! HTML page of a built site resolves to a file of the site, and every
//! `#fragment` to an `id` on the target page. Pure: it works on the site's
//! files in memory (the command reads `site/` at the edge).

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A link that does not resolve.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    /// The page holding the link (site-relative path).
    pub page: String,
    /// 1-based line of the link in the page.
    pub line: usize,
    /// The URL as written.
    pub url: String,
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} — {}",
            self.page, self.line, self.url, self.why
        )
    }
}

static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)[\s"'](href|src|id)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
});

/// A scanned page: its URLs (with byte offsets), its ids, its text.
type Page<'a> = (Vec<(usize, String)>, BTreeSet<String>, &'a str);

/// `href`/`src` values (with byte offsets) and `id`s of an HTML page.
fn scan(html: &str) -> (Vec<(usize, String)>, BTreeSet<String>) {
    let mut urls = Vec::new();
    let mut ids = BTreeSet::new();
    for c in ATTR.captures_iter(html) {
        let value = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
        let value = html_escape::decode_html_entities(value).into_owned();
        if c[1].eq_ignore_ascii_case("id") {
            ids.insert(value);
        } else {
            urls.push((c.get(0).map_or(0, |m| m.start()), value));
        }
    }
    (urls, ids)
}

/// Whether a URL leaves the site (`https:`, `mailto:`, `//host`, …).
fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let stop = url.find(['/', '?', '#']).unwrap_or(url.len());
    url[..stop].contains(':')
}

/// Resolve a relative path against the page's directory; `None` when it
/// climbs above the site root.
fn resolve(page: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop();
        p
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') || path.is_empty() || out.is_empty() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str("index.html");
    }
    Some(out)
}

/// Check every link of the site. `files` are (site-relative path, bytes);
/// HTML pages are the `.html` files. Absolute links (`/x`) are reported:
/// they break under a sub-path and from `file://`.
pub fn check_links(files: &[(String, Vec<u8>)]) -> Vec<Broken> {
    let names: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let pages: BTreeMap<&str, Page> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, b)| std::str::from_utf8(b).ok().map(|s| (p.as_str(), s)))
        .map(|(p, s)| {
            let (urls, ids) = scan(s);
            (p, (urls, ids, s))
        })
        .collect();
    let mut out = Vec::new();
    for (page, (urls, _, text)) in &pages {
        for (at, url) in urls {
            if is_external(url) {
                continue;
            }
            let line = text[..*at].matches('\n').count() + 1;
            let broken = |why: String| Broken {
                page: page.to_string(),
                line,
                url: url.clone(),
                why,
            };
            if url.starts_with('/') {
                out.push(broken(
                    "absolute path: breaks under a sub-path and from file://".into(),
                ));
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                Some(page.to_string())
            } else {
                resolve(page, path)
            };
            let Some(target) = target else {
                out.push(broken("climbs above the site root".into()));
                continue;
            };
            if !names.contains(target.as_str()) {
                out.push(broken(format!("no file {target} in the site")));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let f = percent_decode(f);
                match pages.get(target.as_str()) {
                    Some((_, ids, _)) if ids.contains(&f) => {}
                    Some(_) => out.push(broken(format!("no id=\"{f}\" in {target}"))),
                    None => {}
                }
            }
        }
    }
    out.sort();
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && s.is_char_boundary(i + 3)
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("a/b/index.html", "../../x.css"),
            Some("x.css".into())
        );
        assert_eq!(resolve("a/index.html", "./"), Some("a/index.html".into()));
        assert_eq!(resolve("index.html", "e/"), Some("e/index.html".into()));
        assert_eq!(resolve("index.html", "../x"), None);
    }

    #[test]
    fn reports_missing_files_fragments_and_absolute_paths() {
        let s = site(&[
            (
                "index.html",
                "<a href=\"a/index.html#p1\">x</a>\n<a href=\"a/index.html#nope\">y</a>\n<img src=\"gone.png\"><a href=\"https://ex.org/\">z</a><a href=\"/abs\">w</a><a href=\"#top\" id=\"top\">t</a>",
            ),
            (
                "a/index.html",
                "<p id=\"p1\">p</p><a href=\"../index.html\">h</a>",
            ),
        ]);
        let got: Vec<String> = check_links(&s).iter().map(|b| b.to_string()).collect();
        assert_eq!(
            got,
            [
                "index.html:2: a/index.html#nope — no id=\"nope\" in a/index.html",
                "index.html:3: /abs — absolute path: breaks under a sub-path and from file://",
                "index.html:3: gone.png — no file gone.png in the site",
            ]
        );
    }

    #[test]
    fn data_attributes_are_not_ids() {
        let s = site(&[("index.html", "<p data-id=\"x\"></p><a href=\"#x\">x</a>")]);
        assert_eq!(check_links(&s).len(), 1);
    }
}
