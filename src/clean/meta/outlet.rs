//! The outlet: the publication an article appeared in, by the names a page
//! gives itself (site name, publisher, copyright holder) and its address
//! (the registrable domain, `nytimes.com`), and whether a name and an
//! address agree ("The New York Times" ~ `nytimes.com`, "WSJ" ~ `wsj.com`).

use regex::Regex;
use std::sync::LazyLock;

/// The host of an absolute http(s) URL, lower-cased.
pub fn host(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.host_str().map(str::to_ascii_lowercase)
}

/// The registrable domain of an absolute http(s) URL (`www.bbc.co.uk` →
/// `bbc.co.uk`), from the Public Suffix List.
pub fn registrable_domain(url: &str) -> Option<String> {
    let host = host(url)?;
    let d = psl::domain_str(&host)?;
    Some(d.to_string())
}

/// Letters and digits only, lower-cased.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Does a publication's name agree with its domain? The domain's first
/// label (`nytimes` of `nytimes.com`) is compared with the name written
/// compactly ("cbssports.com", "The Detroit News" → "detroitnews"), with
/// its initials ("Wall Street Journal" → "wsj") and with its initials
/// before the last word ("New York Times" → "nytimes", "Los Angeles Times"
/// → "latimes").
pub fn name_matches_domain(name: &str, domain: &str) -> bool {
    let label = compact(domain.split('.').next().unwrap_or(""));
    if label.len() < 2 {
        return false;
    }
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .map(compact)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    let whole = words.concat();
    let without_the = if words.len() > 1 && words[0] == "the" {
        words[1..].concat()
    } else {
        whole.clone()
    };
    let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
    let short_initials: String = words
        .iter()
        .filter(|w| *w != "the")
        .filter_map(|w| w.chars().next())
        .collect();
    let head_initials: String = if words.len() > 1 {
        let last = words.len() - 1;
        words[..last]
            .iter()
            .filter(|w| *w != "the")
            .filter_map(|w| w.chars().next())
            .chain(words[last].chars())
            .collect()
    } else {
        String::new()
    };
    let contains = |a: &str, b: &str| b.len() >= 3 && a.contains(b);
    [whole, without_the]
        .iter()
        .any(|v| v == &label || contains(v, &label) || contains(&label, v))
        || [initials, short_initials, head_initials]
            .iter()
            .any(|v| v.len() >= 2 && v == &label)
}

/// Separators between a site's name and a tagline in a site name
/// ("LinkNaija | Nigeria's popular news platform").
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • ", ": "];

/// The parts of a site name written with a tagline, first the name.
pub fn name_parts(name: &str) -> Vec<String> {
    let mut parts = vec![name.trim().to_string()];
    for sep in SEPARATORS {
        let mut next = Vec::new();
        for p in parts {
            next.extend(
                p.split(sep)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
        parts = next;
    }
    parts
}

static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:©|\(c\)|\bcopyright\b)(?:\s*©)?\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:(?:19|20)\d{2})?)?\s*[.,]?\s*)?(?:\bby\s+)?(?P<name>[^.,|©()\n]{2,80})",
    )
    .expect("valid regex")
});

/// Legal forms after a company's name, dropped from a copyright holder.
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:[\s,]+(?:inc|llc|l\.l\.c|ltd|limited|plc|gmbh|ag|s\.?a|corp|corporation|company|co|pty|pvt|private|llp|lp|all rights reserved|todos os direitos reservados|alle rechte vorbehalten|tous droits réservés|(?:19|20)\d{2}))+\.?\s*$",
    )
    .expect("valid regex")
});

/// The holder named in a copyright line ("© 2019 The New York Times
/// Company" → "The New York Times", "Copyright © 2019 Sputnik. All rights
/// reserved" → "Sputnik"), without years and legal forms. `None` when the
/// line names no holder.
pub fn copyright_holder(line: &str) -> Option<String> {
    let c = COPYRIGHT.captures(line)?;
    let mut name = c.name("name")?.as_str().trim().to_string();
    // "2005-2019 SlashGear", "2019, Los Angeles Times"
    loop {
        let cut = LEGAL.replace(&name, "").trim().to_string();
        if cut == name {
            break;
        }
        name = cut;
    }
    let name = name
        .trim_matches(|c: char| !c.is_alphanumeric())
        .trim()
        .to_string();
    let words = name.split_whitespace().count();
    let lower = name.to_lowercase();
    if !(1..=6).contains(&words)
        || !name.chars().any(char::is_alphabetic)
        || lower.starts_with("all rights")
        || lower.contains("rights reserved")
    {
        return None;
    }
    Some(name)
}

/// The outlet a text dump names: the holder of its copyright line (the
/// last one, as footers come last), when the page names the holder again
/// outside copyright lines (a masthead, a credit, "Follow ‹holder› on …")
/// — a parent company named only in the small print (Dow Jones for The Wall
/// Street Journal) is not the outlet. `None` when the dump names none.
pub fn dump_outlet(texts: &[&str]) -> Option<String> {
    let is_copyright = |t: &str| t.contains('©') || t.to_lowercase().contains("copyright");
    let holder = texts
        .iter()
        .rev()
        .filter(|t| is_copyright(t) && t.chars().count() <= 300)
        .find_map(|t| t.lines().rev().find_map(copyright_holder))?;
    let needle = holder.to_lowercase();
    // named again before the article ends: the masthead, a credit, a byline
    let named_again = texts[..texts.len() * 2 / 3].iter().any(|t| {
        !is_copyright(t) && t.split_whitespace().count() <= 12 && t.to_lowercase().contains(&needle)
    });
    named_again.then_some(holder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(
            registrable_domain("https://www.bbc.co.uk/news/x").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            registrable_domain("http://blog.example.com.br/a?b#c").as_deref(),
            Some("example.com.br")
        );
        assert_eq!(registrable_domain("javascript:alert(1)"), None);
        assert_eq!(registrable_domain("/relative/path"), None);
        assert_eq!(registrable_domain("ftp://example.com/x"), None);
    }

    #[test]
    fn names_and_domains() {
        for (name, domain) in [
            ("The New York Times", "nytimes.com"),
            ("Wall Street Journal", "wsj.com"),
            ("WSJ", "wsj.com"),
            ("Los Angeles Times", "latimes.com"),
            ("CBSSports.com", "cbssports.com"),
            ("The Detroit News", "detroitnews.com"),
            ("Reuters", "reuters.com"),
            ("Space", "space.com"),
        ] {
            assert!(name_matches_domain(name, domain), "{name} {domain}");
        }
        for (name, domain) in [
            ("U.S.", "reuters.com"),
            ("Blogger", "linknaija.com"),
            ("DH News Service", "deccanherald.com"),
            ("MSN", "nbcnews.com"),
        ] {
            assert!(!name_matches_domain(name, domain), "{name} {domain}");
        }
    }

    #[test]
    fn site_names_with_taglines() {
        assert_eq!(
            name_parts("LinkNaija | Nigeria's popular news platform"),
            vec!["LinkNaija", "Nigeria's popular news platform"]
        );
        assert_eq!(name_parts("Vox"), vec!["Vox"]);
    }

    #[test]
    fn copyright_holders() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "© 2019 The New York Times Company",
                Some("The New York Times"),
            ),
            (
                "Copyright © 2019 Sputnik. All rights reserved",
                Some("Sputnik"),
            ),
            (
                "© 2005-2019 SlashGear, All Rights Reserved.",
                Some("SlashGear"),
            ),
            (
                "Copyright © 2019, Los Angeles Times | Terms of Service",
                Some("Los Angeles Times"),
            ),
            ("©2019 Ascom", Some("Ascom")),
            (
                "© Telegraph Media Group Limited 2019",
                Some("Telegraph Media Group"),
            ),
            ("Copyright", None),
            ("All content © all rights reserved", None),
            ("The weather today is fine", None),
        ];
        for (line, want) in cases {
            assert_eq!(copyright_holder(line).as_deref(), *want, "{line:?}");
        }
    }
}
