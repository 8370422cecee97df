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

/// Words after a publication's name that make it the name of the company
/// behind it ("Forbes Media", "Quiller Media", "Gamer Network"): a
/// variant without them is tried as well.
const COMPANY_WORDS: &[&str] = &[
    "media",
    "group",
    "network",
    "networks",
    "interactive",
    "communications",
    "holdings",
    "publishing",
    "publications",
    "newspapers",
    "digital",
    "enterprises",
];

/// The names a holder may go by on its own pages: the holder, its first
/// part before a separator ("Inexhibit 2019 - ISSN: …" → "Inexhibit"), a
/// domain-shaped name without its suffix ("MacRumors.com" → "MacRumors"),
/// each with `false`; and the name without trailing company words
/// ("Forbes Media" → "Forbes") with `true` (only a printed domain may
/// confirm that one: "Vox Media" publishes more than Vox). Longest first.
fn holder_variants(holder: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |s: &str, plain: bool| {
        let s = s.trim().trim_matches(|c: char| !c.is_alphanumeric()).trim();
        if s.chars().count() >= 2 && !out.iter().any(|(o, _)| o.eq_ignore_ascii_case(s)) {
            out.push((s.to_string(), plain));
        }
    };
    let first = name_parts(holder).into_iter().next().unwrap_or_default();
    let first = LEGAL.replace(&first, "").to_string();
    push(holder, false);
    push(&first, false);
    if !first.contains(' ')
        && let Some((name, _)) = first.split_once('.')
    {
        push(name, false);
    }
    let words: Vec<&str> = first.split_whitespace().collect();
    let mut k = words.len();
    while k > 1 && COMPANY_WORDS.contains(&words[k - 1].to_lowercase().as_str()) {
        k -= 1;
    }
    if k < words.len() {
        push(&words[..k].join(" "), true);
    }
    out
}

/// Is `domain` exactly `name` written as a domain ("Al Bawaba" ~
/// `albawaba.com`, "The Verge" ~ `theverge.com`)? Stricter than
/// [`name_matches_domain`]: a page prints many domains.
fn is_domain_of(name: &str, domain: &str) -> bool {
    let label = compact(domain.split('.').next().unwrap_or(""));
    // a domain-shaped name ("CBSSports.com") by its first label
    let name = match name.split_once('.') {
        Some((head, _)) if !name.contains(' ') => head,
        _ => name,
    };
    let whole = compact(name);
    let without_the = whole.strip_prefix("the").unwrap_or(&whole);
    label.len() >= 3 && (label == whole || label == without_the)
}

/// Domain names printed on a page: in addresses (`www.example.com`,
/// `https://…`), e-mail addresses (`tips@example.com`) and domain-shaped
/// names (`Snopes.com`), as registrable domains.
fn printed_domains(texts: &[&str]) -> Vec<String> {
    static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}\b")
            .expect("valid regex")
    });
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        // (domains are short words: no need to scan a giant paragraph)
        if t.len() > 2000 || !t.contains('.') {
            continue;
        }
        for m in DOMAIN.find_iter(t) {
            let host = m.as_str().to_ascii_lowercase();
            // a file name ("photo.jpg") or a sentence run on into the next
            // ("said.It") is not a domain: the suffix must be a known one,
            // and a two-letter one written in lower case
            let Some(domain) = psl::domain(host.as_bytes()) else {
                continue;
            };
            let suffix = domain.suffix();
            let lower = m.as_str() == host;
            if !suffix.is_known() || (suffix.as_bytes().len() <= 2 && !lower) {
                continue;
            }
            let Ok(d) = std::str::from_utf8(domain.as_bytes()) else {
                continue;
            };
            if !out.iter().any(|o| o == d) {
                out.push(d.to_string());
            }
        }
    }
    out
}

/// The outlet a text dump names, by general shapes only:
///
/// 1. a site-name suffix after the headline in a title line
///    ("‹headline› | ‹Outlet›", the page's title or share text);
/// 2. the holder of a copyright line (the last one, as footers come last)
///    — or its plain form ("Forbes Media" → "Forbes") — when the page
///    names it again outside copyright lines (a masthead, "Search
///    ‹Outlet›", a credit, "Follow ‹Outlet› on …") or prints a domain that
///    agrees with it (`albawaba.com`); a parent company named only in the
///    small print (Dow Jones for The Wall Street Journal) is not the
///    outlet;
/// 3. a short masthead line near the top of the page whose name agrees
///    with a domain printed on the page ("Snopes.com", "HoustonChronicle").
///
/// `None` when the dump names none.
pub fn dump_outlet(texts: &[&str], headline: Option<&str>) -> Option<String> {
    if let Some(h) = headline
        && let Some(name) = title_suffix(texts, h)
    {
        return Some(name);
    }
    let is_copyright = |t: &str| t.contains('©') || t.to_lowercase().contains("copyright");
    let domains = printed_domains(texts);
    let agrees = |name: &str| domains.iter().any(|d| is_domain_of(name, d));
    // the site's copyright notice, not a picture credit ("© Reuters"): a
    // line that says more than the holder's name (a year, a legal form,
    // "all rights reserved"), else any
    let holders: Vec<(String, bool)> = texts
        .iter()
        .rev()
        .filter(|t| is_copyright(t) && t.chars().count() <= 300)
        .flat_map(|t| t.lines().rev())
        .filter_map(|l| {
            let h = copyright_holder(l)?;
            let bare = l.trim().trim_start_matches(['©', ' ']).trim() == h;
            Some((h, !bare))
        })
        .collect();
    let holder = holders
        .iter()
        .find(|(_, full)| *full)
        .or(holders.first())
        .map(|(h, _)| h.clone());
    if let Some(holder) = holder {
        let others: Vec<&str> = texts
            .iter()
            .filter(|t| !is_copyright(t) && t.split_whitespace().count() <= 12)
            .copied()
            .collect();
        for (v, plain) in holder_variants(&holder) {
            // named again as a name is written: in its own case or in capitals
            let upper = v.to_uppercase();
            let named_again = !plain
                && others
                    .iter()
                    .any(|t| contains_word(t, &v) || contains_word(t, &upper));
            // the plain name of a company, named on its own (not as the
            // start of a longer name: "CBS" of "CBS Sports") in two lines
            let named_alone = plain
                && others
                    .iter()
                    .filter(|t| named_alone_in(t, &v))
                    .nth(1)
                    .is_some();
            if named_again || named_alone || agrees(&v) {
                return Some(v);
            }
        }
    }
    // a masthead: a short line near the top that a printed domain names
    texts
        .iter()
        .take(40)
        .map(|t| t.trim())
        .filter(|t| {
            let w = t.split_whitespace().count();
            (1..=4).contains(&w) && !t.contains('@') && !t.contains('/') && t.chars().count() >= 3
        })
        .find(|t| agrees(t))
        .map(str::to_string)
}

/// Does `hay` hold `needle` as whole words (not "Vox" in "Voxel")?
fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let (a, b) = (from + i, from + i + needle.len());
        let before = hay[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = a + needle.len().max(1);
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Does `hay` name `name` on its own: as whole words, not followed by
/// another capitalised word ("Vox homepage", "Follow Vox online", not
/// "Vox Sentences")?
fn named_alone_in(hay: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(name) {
        let (a, b) = (from + i, from + i + name.len());
        let before = hay[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = &hay[b..];
        let after = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
        let next_capital = rest
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
            && rest.starts_with(' ');
        if before && after && !next_capital {
            return true;
        }
        from = b;
    }
    false
}

/// A line that is the headline followed by a separator and a short name
/// ("Rain falls | The Daily"): the name after it.
fn title_suffix(texts: &[&str], headline: &str) -> Option<String> {
    let h = headline.trim();
    if h.split_whitespace().count() < 2 {
        return None;
    }
    texts.iter().find_map(|t| {
        let rest = t.trim().strip_prefix(h)?;
        SEPARATORS.iter().find_map(|sep| {
            let name = rest.strip_prefix(sep)?.trim();
            let w = name.split_whitespace().count();
            ((1..=5).contains(&w)
                && name.chars().any(char::is_alphabetic)
                && !name.ends_with(['.', '!', '?']))
            .then(|| name_parts(name).into_iter().next().unwrap_or_default())
            .filter(|n| !n.is_empty())
        })
    })
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

    #[test]
    fn dump_outlet_from_general_shapes() {
        // a site-name suffix after the headline in a title line
        let page = [
            "Home",
            "Rain falls on the harbour town | The Daily Post",
            "Rain falls on the harbour town",
            "The rain fell all day.",
        ];
        assert_eq!(
            dump_outlet(&page, Some("Rain falls on the harbour town")).as_deref(),
            Some("The Daily Post")
        );
        // a copyright holder confirmed by a domain printed on the page
        let page = ["News", "Tips: desk@albawaba.com", "© 2000 - 2019 Al Bawaba"];
        assert_eq!(dump_outlet(&page, None).as_deref(), Some("Al Bawaba"));
        // a holder named again; a bare picture credit is not the notice
        let page = [
            "Search ScienceAlert",
            "© ScienceAlert Pty Ltd. All rights reserved.",
            "A photo of the moon.",
            "© Reuters",
            "REUTERS",
        ];
        assert_eq!(dump_outlet(&page, None).as_deref(), Some("ScienceAlert"));
        // a company's plain name only when named on its own twice
        let page = [
            "Vox homepage",
            "Follow Vox online:",
            "© 2019 Vox Media, LLC. All Rights Reserved",
        ];
        assert_eq!(dump_outlet(&page, None).as_deref(), Some("Vox"));
        let page = [
            "CBS Sports Home",
            "Watch CBS Sports Network",
            "© 2019 CBS Interactive. All Rights Reserved.",
        ];
        assert_eq!(dump_outlet(&page, None), None);
        // a parent company named only in the small print
        let page = ["Markets", "Copyright © 2019 Dow Jones & Company, Inc."];
        assert_eq!(dump_outlet(&page, None), None);
        // a masthead agreeing with a printed domain; a sister site's name
        // that only contains the domain's label does not
        let page = [
            "Snopes.com",
            "Space Calendar",
            "Support us at https://www.snopes.com/support",
        ];
        assert_eq!(dump_outlet(&page, None).as_deref(), Some("Snopes.com"));
    }

    #[test]
    fn printed_domains_skip_run_on_sentences_and_files() {
        let got = printed_domains(&[
            "He said.It was late. See photo.jpg or write to a@news.example.co.uk",
            "EXPRESS.CO.UK",
        ]);
        assert_eq!(got, vec!["example.co.uk", "express.co.uk"]);
    }
}
