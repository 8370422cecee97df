//! Page metadata for HTML seeds: headline clean-up, date normalisation,
//! byline tidying and figure captions with credits.

use crate::model::Figure;
use dom_query::Document;
use regex::Regex;
use std::sync::LazyLock;

/// Separators between a headline and a site name in `<title>`/og:title.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " : ",
];

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Trim a trailing (or leading) site-name part from a title. A part is a
/// site name when it matches `site_name`, or the host of the page, or when
/// the remaining part is exactly the page's `<h1>`.
pub(crate) fn trim_title(title: &str, site_name: Option<&str>, h1: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let site = site_name.map(norm).filter(|s| !s.is_empty());
    let h1n = h1.map(norm).filter(|s| !s.is_empty());
    let is_site = |part: &str| {
        let p = norm(part);
        if p.is_empty() {
            return false;
        }
        if let Some(s) = &site
            && (p == *s || (p.len() >= 3 && (s.contains(&p) || p.contains(s.as_str()))))
        {
            return true;
        }
        false
    };
    let mut t = title.clone();
    for _ in 0..3 {
        let mut changed = false;
        for sep in SEPARATORS {
            if let Some(i) = t.rfind(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                let head_is_h1 = h1n.as_deref() == Some(norm(head).as_str());
                if !head.trim().is_empty() && (is_site(tail) || head_is_h1) {
                    t = head.trim().to_string();
                    changed = true;
                    break;
                }
            }
            if let Some(i) = t.find(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                let tail_is_h1 = h1n.as_deref() == Some(norm(tail).as_str());
                if !tail.trim().is_empty() && (is_site(head) || tail_is_h1) {
                    t = tail.trim().to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    t
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?").unwrap()
});

/// Normalise a machine-readable date (ISO 8601, as in JSON-LD and meta
/// tags) to `YYYY-MM-DDTHH:MM:SS`, keeping the wall-clock time as written
/// and dropping any offset. Returns `None` for anything else.
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    if let Some(c) = ISO.captures(s) {
        let num = |i: usize| {
            c.get(i)
                .map(|m| m.as_str().parse::<u32>().unwrap_or(99))
                .unwrap_or(0)
        };
        let (y, mo, d, h, mi, se) = (num(1), num(2), num(3), num(4), num(5), num(6));
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
            return None;
        }
        return Some(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}"));
    }
    // RFC 2822 ("Tue, 19 Nov 2019 10:00:00 +0000"), seen in some meta tags
    if let Ok(z) = jiff::fmt::rfc2822::parse(s.trim()) {
        return Some(z.datetime().strftime("%Y-%m-%dT%H:%M:%S").to_string());
    }
    None
}

/// The page's publication date from the metadata dom_smoothie found, or
/// from common meta tags and `<time datetime>` in the page header.
pub(crate) fn page_date(doc: &Document, published: Option<&str>) -> Option<String> {
    if let Some(d) = published.and_then(normalise_date) {
        return Some(d);
    }
    const SELECTORS: &[(&str, &str)] = &[
        ("meta[property='article:published_time']", "content"),
        ("meta[name='article:published_time']", "content"),
        ("meta[itemprop='datePublished']", "content"),
        ("meta[name='pubdate']", "content"),
        ("meta[name='publishdate']", "content"),
        ("meta[name='date']", "content"),
        ("meta[name='dc.date']", "content"),
        ("meta[name='DC.date.issued']", "content"),
        ("meta[name='sailthru.date']", "content"),
        ("[itemprop='datePublished']", "datetime"),
        ("[itemprop='datePublished']", "content"),
        ("time[pubdate]", "datetime"),
        ("article time[datetime]", "datetime"),
    ];
    for (sel, attr) in SELECTORS {
        for n in doc.select(sel).nodes() {
            if let Some(v) = n.attr(attr)
                && let Some(d) = normalise_date(&v)
            {
                return Some(d);
            }
        }
    }
    None
}

static TRAILING_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[-–—|,·]\s*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}.*$").unwrap());

static BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:written\s+)?(?:by|von|por|di|par|oleh)[\s:]+").unwrap()
});

/// Tidy an author string: strip "By ", collapse whitespace; reject URLs and
/// things too long to be names.
pub(crate) fn tidy_byline(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = TRAILING_DATE.replace(&s, "");
    let s = BY
        .replace(&s, "")
        .trim()
        .trim_end_matches([',', ';', '|', '-'])
        .trim()
        .to_string();
    if s.is_empty() || s.contains("://") || s.starts_with("www.") || s.chars().count() > 100 {
        return None;
    }
    if !s.chars().any(char::is_alphabetic) {
        return None;
    }
    Some(s)
}

static CREDIT_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s.,;|–—-])\s*((?:photo(?:graph)?s?|image|picture|pic|credit|foto|fotos|bild|illustration|video|source)\s*(?:by|:)\s*[^.]{2,80}|©\s*[^.]{2,80}|\((?:[^()]{2,60})\)|(?:getty images|afp|reuters|ap photo|epa|shutterstock)[^.]{0,60})\s*\.?\s*$",
    )
    .unwrap()
});

/// Split a caption into (caption, credit) when a credit is recognisable:
/// a trailing "Photo: X", "Credit: X", "© X", or a parenthesised trailer.
pub(crate) fn split_credit(caption: &str) -> (String, Option<String>) {
    let caption = caption.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = CREDIT_TAIL.captures(&caption) {
        let m = c.get(1).unwrap();
        let credit = m.as_str().trim().trim_end_matches('.').trim();
        let head = caption[..m.start()]
            .trim()
            .trim_end_matches(['|', '–', '—', '-', ';'])
            .trim();
        // a parenthesised trailer is a credit only when it looks like a name
        let paren = credit.starts_with('(');
        let inner = credit.trim_start_matches('(').trim_end_matches(')').trim();
        let namey = inner.split_whitespace().count() <= 6
            && inner
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '©');
        if !head.is_empty() && (!paren || namey) {
            let credit = if paren {
                inner.to_string()
            } else {
                credit.to_string()
            };
            return (head.to_string(), Some(credit));
        }
    }
    (caption, None)
}

/// Figures of the page: each `<figure>` with a `<figcaption>` (outside
/// navigation, asides and footers); a child marked as credit/copyright
/// becomes the credit, otherwise a trailing credit is split off.
pub(crate) fn figures(doc: &Document) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    for cap in doc
        .select("figure figcaption, .caption, .wp-caption-text")
        .nodes()
    {
        if cap.ancestors_it(None).any(|a| {
            a.node_name()
                .is_some_and(|n| matches!(&*n, "nav" | "aside" | "footer" | "noscript"))
        }) {
            continue;
        }
        // a figcaption nested in another matched caption is handled there
        if cap
            .ancestors_it(None)
            .any(|a| a.has_class("caption") || a.has_class("wp-caption-text"))
        {
            continue;
        }
        let mut credit = None;
        for d in cap.descendants_it() {
            if !d.is_element() {
                continue;
            }
            let hint = format!(
                "{} {}",
                d.class().map(|c| c.to_lowercase()).unwrap_or_default(),
                d.attr("itemprop")
                    .map(|c| c.to_lowercase())
                    .unwrap_or_default()
            );
            if hint.contains("credit")
                || hint.contains("copyright")
                || hint.contains("author")
                || hint.contains("source")
            {
                let t = d.text().split_whitespace().collect::<Vec<_>>().join(" ");
                if !t.is_empty() {
                    credit = Some(t);
                    break;
                }
            }
        }
        let full = cap.text().split_whitespace().collect::<Vec<_>>().join(" ");
        let (caption, credit) = match credit {
            Some(c) => {
                let head = full.replacen(&c, "", 1);
                let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
                let head = head
                    .trim()
                    .trim_end_matches(['|', '–', '—', '-', ';'])
                    .trim()
                    .to_string();
                let c = c
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .trim()
                    .to_string();
                (head, Some(c))
            }
            None => split_credit(&full),
        };
        // a credit without a caption describes nothing
        if caption.is_empty() {
            continue;
        }
        if out.iter().any(|f| f.caption == caption) {
            continue;
        }
        out.push(Figure { caption, credit });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_site_suffix_is_trimmed() {
        assert_eq!(
            trim_title("Rain falls | The Daily", Some("The Daily"), None),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Rain falls - Daily News", Some("dailynews.com"), None),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Rain falls - Daily", None, Some("Rain falls")),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Left - right wing", None, None),
            "Left - right wing"
        );
    }

    #[test]
    fn dates_keep_wall_clock() {
        assert_eq!(
            normalise_date("2019-11-19T15:39:00+01:00").unwrap(),
            "2019-11-19T15:39:00"
        );
        assert_eq!(
            normalise_date("2019-11-19T15:39:00.000Z").unwrap(),
            "2019-11-19T15:39:00"
        );
        assert_eq!(normalise_date("2019-11-19").unwrap(), "2019-11-19T00:00:00");
        assert_eq!(
            normalise_date("2019-11-19 08:05").unwrap(),
            "2019-11-19T08:05:00"
        );
        assert_eq!(
            normalise_date("Tue, 19 Nov 2019 10:00:00 +0000").unwrap(),
            "2019-11-19T10:00:00"
        );
        assert_eq!(normalise_date("yesterday"), None);
        assert_eq!(normalise_date("2019-13-01"), None);
    }

    #[test]
    fn bylines_lose_by() {
        assert_eq!(tidy_byline("By  Jane Roe").unwrap(), "Jane Roe");
        assert_eq!(
            tidy_byline("by Jane Roe and John Doe").unwrap(),
            "Jane Roe and John Doe"
        );
        assert_eq!(tidy_byline("https://example.com/jane"), None);
        assert_eq!(tidy_byline("admin - 2018-09-16").unwrap(), "admin");
    }

    #[test]
    fn credits_are_split() {
        assert_eq!(
            split_credit("The bridge at dawn. Photo: Jane Roe"),
            (
                "The bridge at dawn.".to_string(),
                Some("Photo: Jane Roe".to_string())
            )
        );
        assert_eq!(
            split_credit("Protesters in the square (Reuters)"),
            (
                "Protesters in the square".to_string(),
                Some("Reuters".to_string())
            )
        );
        assert_eq!(
            split_credit("A quiet street"),
            ("A quiet street".to_string(), None)
        );
    }
}
