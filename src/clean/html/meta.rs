//! Page metadata for HTML seeds: the headline (the visible `<h1>` against
//! the titles the metadata gives, site names trimmed), the date shown to
//! readers (the dateline printed next to the headline, else `<time>` and
//! the declared publication time on the page's own calendar day), the
//! provenance (canonical URL, outlet, declared publication and update
//! times), byline tidying and figure captions with credits.

pub(crate) mod page;

use crate::clean::Provenance;
use crate::clean::meta::dates::{Stamp, within_a_day};
use crate::model::Figure;
use dom_query::Document;
use regex::Regex;
use std::sync::LazyLock;

/// Separators between a headline and a site name in `<title>`/og:title.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " : ", ": ",
];

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Trim a trailing (or leading) site-name part from a title, in either
/// position ("Rain falls | The Daily", "The Daily: Rain falls"). A part is
/// a site name when it matches one of `sites` (names, or a domain such as
/// `dailynews.com`), or when the remaining part is exactly the page's
/// `<h1>`.
pub(crate) fn trim_title(title: &str, sites: &[&str], h1: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let sites: Vec<String> = sites
        .iter()
        .flat_map(|s| {
            // a domain also names the site by its first label
            let label = s
                .split('.')
                .next()
                .filter(|_| s.contains('.') && !s.contains(' '));
            [Some(norm(s)), label.map(norm)]
        })
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    let h1n = h1.map(norm).filter(|s| !s.is_empty());
    let is_site = |part: &str| {
        let p = norm(part);
        !p.is_empty()
            && sites
                .iter()
                .any(|s| p == *s || (p.len() >= 3 && (s.contains(&p) || p.contains(s.as_str()))))
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

/// The metadata decided for a saved page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Decided {
    pub title: String,
    /// `YYYY-MM-DDTHH:MM:SS`, the date the page shows (see [`decide`]).
    pub date: Option<String>,
    pub provenance: Provenance,
    /// The signal the date came from, or why there is none.
    pub date_from: &'static str,
    /// Each date signal's day, read alone (`examples/date_signals.rs`).
    pub date_signals: Vec<(&'static str, String)>,
}

/// Lower-cased tokens, for comparing titles.
fn words(s: &str) -> Vec<String> {
    crate::clean::dump::features::tokens(s)
}

/// How much of the shorter title's words the other has (0–1).
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let long: std::collections::HashSet<&String> = long.iter().collect();
    short.iter().filter(|w| long.contains(w)).count() as f64 / short.len() as f64
}

/// `<meta>` keys giving the first publication time, most specific first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "dc.date",
    "dcterms.date",
    "date",
    "article:published",
];

/// `<meta>` keys giving the last modification time.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:article:modified_time",
    "datemodified",
    "article.updated",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
];

/// Absolute http(s) URL of `href` against `base` (when relative).
fn absolute(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let u = match url::Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    Some(u.to_string())
}

/// The article's canonical URL: `<link rel=canonical>`, `og:url`, JSON-LD
/// `url`/`mainEntityOfPage`, absolute, http(s) only. A candidate that is
/// only a site's home page gives way to one with a path.
fn page_url(pm: &page::PageMeta) -> Option<String> {
    let absolute_first = [
        pm.first(&["og:url"]),
        pm.ld.as_ref().and_then(|l| l.url.as_deref()),
        pm.ld.as_ref().and_then(|l| l.main_entity.as_deref()),
        pm.canonical.as_deref(),
    ];
    let base = pm
        .base
        .as_deref()
        .into_iter()
        .chain(absolute_first.iter().flatten().copied())
        .find_map(|b| url::Url::parse(b).ok().filter(|u| u.host_str().is_some()));
    let candidates: Vec<String> = [
        pm.canonical.as_deref(),
        pm.first(&["og:url"]),
        pm.ld.as_ref().and_then(|l| l.url.as_deref()),
        pm.ld.as_ref().and_then(|l| l.main_entity.as_deref()),
    ]
    .into_iter()
    .flatten()
    .filter_map(|h| absolute(h, base.as_ref()))
    .collect();
    let is_home = |u: &str| url::Url::parse(u).is_ok_and(|u| u.path().trim_matches('/').is_empty());
    candidates
        .iter()
        .find(|u| !is_home(u))
        .or(candidates.first())
        .cloned()
}

/// The site's own names, as the page declares them, most trusted first.
fn site_names(pm: &page::PageMeta) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim().trim_start_matches('@').trim();
        if !s.is_empty()
            && !s.contains("://")
            && s.chars().count() <= 80
            && !out.iter().any(|o| o == s)
        {
            out.push(s.to_string());
        }
    };
    if let Some(p) = pm.ld.as_ref().and_then(|l| l.publisher.as_deref()) {
        push(p);
    }
    for k in [
        "og:site_name",
        "application-name",
        "apple-mobile-web-app-title",
    ] {
        if let Some(v) = pm.first(&[k]) {
            push(v);
        }
    }
    for n in &pm.ld_site_names {
        push(n);
    }
    out
}

/// The outlet: among the names the page gives itself (a tagline split off),
/// the most trusted one that agrees with the URL's domain, else the most
/// trusted; the `<title>`'s site part ("… - The New York Times") when the
/// page declares no name; else the registrable domain.
fn outlet(
    names: &[String],
    twitter: Option<&str>,
    title_tag: Option<&str>,
    headline: &str,
    domain: Option<&str>,
) -> Option<String> {
    let mut candidates: Vec<String> = Vec::new();
    for n in names {
        let parts = super::super::meta::outlet::name_parts(n);
        // the part agreeing with the domain, else the first
        let pick = domain
            .and_then(|d| {
                parts
                    .iter()
                    .find(|p| super::super::meta::outlet::name_matches_domain(p, d))
            })
            .or(parts.first());
        if let Some(p) = pick {
            candidates.push(p.clone());
        }
    }
    // weaker: the Twitter account and the <title> minus the headline
    // ("… | Site"), taken only when they agree with the domain
    let strong = candidates.len();
    if let Some(tw) = twitter {
        candidates.push(tw.trim().trim_start_matches('@').to_string());
    }
    if let Some(t) = title_tag {
        let h = norm(headline);
        for sep in SEPARATORS {
            if let Some(i) = t.rfind(sep) {
                let (head, tail) = (&t[..i], t[i + sep.len()..].trim());
                if norm(head).ends_with(&h) && !h.is_empty() && !tail.is_empty() {
                    candidates.push(tail.to_string());
                }
            }
        }
    }
    let plausible = |c: &&String| {
        let w = c.split_whitespace().count();
        (1..=8).contains(&w) && c.chars().any(char::is_alphanumeric) && norm(c) != norm(headline)
    };
    if let Some(d) = domain
        && let Some(c) = candidates
            .iter()
            .filter(plausible)
            .find(|c| super::super::meta::outlet::name_matches_domain(c, d))
    {
        return Some(c.clone());
    }
    candidates[..strong]
        .iter()
        .find(plausible)
        .cloned()
        .or_else(|| domain.map(str::to_string))
}

/// The visible headline: the page's `<h1>` that agrees best with the titles
/// its metadata gives (the visible one wins where they differ), a lone
/// `<h1>` that is not the site's name, else the metadata title with the
/// site's name trimmed.
fn headline(doc: &Document, meta_titles: &[String], sites: &[String]) -> Option<String> {
    let site_norms: Vec<String> = sites.iter().map(|s| norm(s)).collect();
    let h1s: Vec<String> = doc
        .select("h1")
        .nodes()
        .iter()
        .map(|n| n.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| {
            let n = norm(t);
            let w = t.split_whitespace().count();
            !n.is_empty() && (1..=40).contains(&w) && !site_norms.contains(&n)
        })
        .collect();
    let best = h1s
        .iter()
        .map(|h| {
            let s = meta_titles
                .iter()
                .map(|m| similarity(h, m))
                .fold(0.0, f64::max);
            (s, h)
        })
        .fold(None::<(f64, &String)>, |acc, (s, h)| match acc {
            Some((b, _)) if b >= s => acc,
            _ => Some((s, h)),
        });
    match best {
        Some((s, h)) if s >= 0.5 => return Some(h.clone()),
        Some((_, h)) if h1s.len() == 1 && h.split_whitespace().count() >= 2 => {
            return Some(h.clone());
        }
        Some((s, h)) if s >= 0.25 => return Some(h.clone()),
        _ => {}
    }
    meta_titles.first().cloned()
}

/// A date in the article's URL (`/2019/11/18/`, `/2019-11-19/`).
fn url_date(url: &str) -> Option<jiff::civil::Date> {
    static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)").expect("valid regex")
    });
    let c = URL_DATE.captures(url)?;
    jiff::civil::Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?).ok()
}

/// The calendar date of a machine timestamp in the page's own time zone:
/// the wall clock as written when an offset other than UTC is given; for a
/// UTC time, the date in the article's URL when that is the same day or
/// the day before (an evening article west of Greenwich), else the UTC date.
fn local_date(s: &Stamp, url: Option<&str>) -> jiff::civil::Date {
    let d = s.date();
    if s.is_utc()
        && let Some(u) = url.and_then(url_date)
        && u <= d
        && within_a_day(u, d)
    {
        return u;
    }
    d
}

/// The first visible `<time>` element not marked as an update, when every
/// such element on the page falls within a day of it; elements that
/// disagree are a list of other stories or comments, not the article's
/// date.
fn agreeing_time_element(times: &[page::TimeElement]) -> Option<Stamp> {
    let mut shown = times.iter().filter(|t| t.role != page::TimeRole::Updated);
    let first = shown.next()?.stamp;
    let d = first.date();
    shown
        .all(|t| within_a_day(t.stamp.date(), d))
        .then_some(first)
}

/// Whether a declared timestamp, with no printed date to check it against,
/// surely gives the day the page prints. Not when it is later than the
/// page's own update time by more than a day (the metadata contradicts
/// itself), nor when it is a UTC or zone-less time of day that falls on
/// another calendar day somewhere between UTC−8 and UTC+8 (before 08:00
/// or from 16:00) and the article's URL does not name the day: the page's
/// own zone is unknown, so its printed day is too.
fn declared_day_is_sure(s: &Stamp, modified: Option<&Stamp>, url: Option<&str>) -> bool {
    if later_than_its_update(s, modified) {
        return false;
    }
    if !s.has_time || s.offset.is_some_and(|o| o != 0) {
        return true;
    }
    let hour = s.at.time().hour();
    if (8..16).contains(&hour) {
        return true;
    }
    let d = s.date();
    url.and_then(url_date)
        .is_some_and(|u| u <= d && within_a_day(u, d))
}

/// Whether a declared publication time is more than a day after the
/// page's own update time (the metadata contradicts itself).
fn later_than_its_update(s: &Stamp, modified: Option<&Stamp>) -> bool {
    modified.is_some_and(|m| s.date() > m.date() && !within_a_day(s.date(), m.date()))
}

/// Whether the page's other declarations agree with the publication time
/// `taken` (when no printed date was there to check it): every declared
/// publication time (JSON-LD, `<meta>`, a `<time>` marked as the
/// publication's) and the date in the article's URL fall within a day of
/// it, each on its own calendar day. A JSON-LD block copied from another
/// story, a `<meta>` date left from a template, or a sidebar's `<time>`
/// taken while the URL names another day: the page contradicts itself,
/// and which of its dates it prints is not known.
fn declarations_agree(
    declared: &[(&'static str, Option<Stamp>)],
    taken: &Stamp,
    url: Option<&str>,
) -> bool {
    let day = local_date(taken, url);
    declared
        .iter()
        .filter_map(|(_, s)| s.as_ref())
        .map(|s| local_date(s, url))
        .chain(url.and_then(url_date))
        .all(|d| within_a_day(d, day))
}

/// Decide a saved page's headline, date and provenance. `texts` are the
/// page's visible blocks in order (for the dateline printed next to the
/// headline); `fallback_title` is the title the article extractor found.
pub(crate) fn decide(doc: &Document, texts: &[&str], fallback_title: &str) -> Decided {
    use crate::clean::meta::outlet as out;
    let pm = page::read(doc);
    let url = page_url(&pm);
    let domain = url.as_deref().and_then(out::registrable_domain);
    // a "site name" that is the article's title (some pages put the title
    // in application-name) is not one
    let og_title = pm.first(&["og:title"]).map(norm);
    let sites: Vec<String> = site_names(&pm)
        .into_iter()
        .filter(|s| {
            s.split_whitespace().count() <= 8 && og_title.as_deref() != Some(norm(s).as_str())
        })
        .collect();
    let mut trim_with: Vec<&str> = sites.iter().map(String::as_str).collect();
    if let Some(d) = &domain {
        trim_with.push(d);
    }
    let meta_titles: Vec<String> = [
        pm.first(&["og:title"]),
        pm.first(&["twitter:title"]),
        pm.ld.as_ref().and_then(|l| l.headline.as_deref()),
        pm.title.as_deref(),
        Some(fallback_title),
    ]
    .into_iter()
    .flatten()
    .map(|t| trim_title(t, &trim_with, None))
    .filter(|t| !t.trim().is_empty() && !trim_with.iter().any(|s| norm(s) == norm(t)))
    .collect();
    let title = headline(doc, &meta_titles, &sites)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            [pm.first(&["og:title"]), pm.title.as_deref()]
                .into_iter()
                .flatten()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| fallback_title.trim().to_string());
    let outlet = outlet(
        &sites,
        pm.first(&["twitter:site"]),
        pm.title.as_deref(),
        &title,
        domain.as_deref(),
    );

    let dd = decide_date(&pm, texts, &title, url.as_deref());
    Decided {
        title,
        date: dd.date,
        provenance: Provenance {
            url,
            outlet,
            published: dd.published.map(|s| s.rfc3339()),
            modified: dd.modified.map(|s| s.rfc3339()),
        },
        date_from: dd.from,
        date_signals: dd.signals,
    }
}

/// A saved page's date, how it was decided, and each signal's day alone.
struct PageDate {
    date: Option<String>,
    published: Option<Stamp>,
    modified: Option<Stamp>,
    from: &'static str,
    signals: Vec<(&'static str, String)>,
}

/// The date shown to readers of a page whose visible blocks are `texts`
/// and headline `title`: the dateline printed next to the headline when a
/// declared date comes within a day of it (or none is declared), else the
/// declared publication time or a visible `<time>` on its own calendar day
/// when that day is sure ([`declared_day_is_sure`]).
fn decide_date(pm: &page::PageMeta, texts: &[&str], title: &str, url: Option<&str>) -> PageDate {
    use crate::clean::meta::dates;
    // machine-readable dates
    let stamp_of = |v: Option<&str>| v.and_then(dates::parse_stamp);
    // the declared publication time: JSON-LD, else `<meta>`, else a
    // `<time>` marked as the publication's (each also a signal alone)
    let declared: [(&'static str, Option<Stamp>); 3] = [
        (
            "jsonld",
            stamp_of(pm.ld.as_ref().and_then(|l| l.published.as_deref())),
        ),
        (
            "meta",
            PUBLISHED_KEYS.iter().find_map(|k| stamp_of(pm.first(&[k]))),
        ),
        (
            "time pubdate",
            pm.times
                .iter()
                .find(|t| t.role == page::TimeRole::Published)
                .map(|t| t.stamp),
        ),
    ];
    let published_from = declared.iter().find_map(|(k, s)| Some((*k, (*s)?)));
    let published = published_from.map(|(_, s)| s);
    let modified = stamp_of(pm.ld.as_ref().and_then(|l| l.modified.as_deref()))
        .or_else(|| MODIFIED_KEYS.iter().find_map(|k| stamp_of(pm.first(&[k]))))
        .or_else(|| {
            pm.times
                .iter()
                .find(|t| t.role == page::TimeRole::Updated)
                .map(|t| t.stamp)
        });

    // the dateline printed next to the visible headline
    let t = norm(title);
    let head = texts.iter().position(|b| !t.is_empty() && norm(b) == t);
    let dateline = head.and_then(|h| dates::dateline(texts, h));
    // the declared days (publication, update, the URL's date), and
    // whether a day is within a day of one
    let url_day = url.and_then(url_date);
    let machine: Vec<jiff::civil::Date> = [published, modified]
        .iter()
        .flatten()
        .map(|s| local_date(s, url))
        .chain(url_day)
        .collect();
    let declared_near = |d: jiff::civil::Date| machine.iter().any(|m| within_a_day(*m, d));
    // the order the page's language and its country's domain imply
    let host = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    let langs = pm.langs.iter().map(String::as_str);
    let locale = dates::locale_order(
        langs.chain(
            pm.meta
                .get("og:locale")
                .into_iter()
                .flatten()
                .map(String::as_str),
        ),
        host.as_deref(),
    );
    let resolve = |p: &dates::Printed| -> Option<jiff::civil::Date> {
        if p.alt.is_none() {
            return Some(p.date);
        }
        // the reading the metadata agrees with, else the page's order
        let agreeing: Vec<jiff::civil::Date> = p.readings().filter(|d| declared_near(*d)).collect();
        if agreeing.len() == 1 {
            return Some(agreeing[0]);
        }
        p.resolve(dates::with_locale(
            dates::page_order(texts.iter().copied()),
            locale,
        ))
    };
    // a printed date that no declared date comes near (within a day) was
    // read from something else near the headline (a sidebar's time, another
    // story's date): the declared one wins. Abstaining here instead cost a
    // right date on DEV and fixed no wrong one.
    let shown = dateline
        .as_ref()
        .and_then(|d| d.shown().zip(d.blocks.first()))
        // with nothing declared to check it against, a date line among
        // other stories' dates is no dateline
        .filter(|(p, at)| !machine.is_empty() || !dates::in_dated_list(texts, **at, p.date))
        .and_then(|(p, _)| Some((*p, resolve(p)?)));
    let printed = shown.filter(|(_, d)| machine.is_empty() || declared_near(*d));
    let day = |d: jiff::civil::Date| d.strftime("%Y-%m-%d").to_string();
    let mut signals: Vec<(&'static str, String)> = declared
        .iter()
        .filter_map(|(k, s)| Some((*k, day((*s)?.date()))))
        .collect();
    let first_time = pm.times.iter().find(|t| t.role != page::TimeRole::Updated);
    signals.extend(first_time.map(|t| ("time first", day(t.stamp.date()))));
    signals.extend(modified.map(|s| ("modified", day(s.date()))));
    signals.extend(url_day.map(|d| ("url", day(d))));
    signals.extend(
        dateline
            .as_ref()
            .and_then(|d| d.shown())
            .and_then(resolve)
            .map(|d| ("dateline", day(d))),
    );
    let mut from;
    // the date was refused for want of a second signal: the publication
    // time it came from is not written either (pages fall back to it)
    let mut unsupported = false;
    let date = match printed {
        Some((p, d)) => {
            from = "dateline";
            // the time printed with it, else the metadata's when it is that day
            let time = p.time.or_else(|| {
                [published, modified]
                    .iter()
                    .flatten()
                    .find(|s| s.has_time && !s.is_utc() && s.date() == d)
                    .map(|s| s.at.time())
            });
            Some(
                jiff::civil::DateTime::from_parts(d, time.unwrap_or(jiff::civil::Time::midnight()))
                    .strftime("%Y-%m-%dT%H:%M:%S")
                    .to_string(),
            )
        }
        None => {
            // the declared publication time, else a visible <time> element,
            // on its own calendar day — when that day is certain
            let time_el = agreeing_time_element(&pm.times);
            from = match (published_from, time_el) {
                (Some((k, _)), _) => k,
                (None, Some(_)) => "time first",
                (None, None) if shown.is_some() => "none: dateline far from the declared dates",
                (None, None) => "none",
            };
            let sure = published
                .or(time_el)
                .filter(|s| declared_day_is_sure(s, modified.as_ref(), url))
                .filter(|s| declarations_agree(&declared, s, url));
            if sure.is_none() && (published_from.is_some() || time_el.is_some()) {
                from = "none: the declared day is not sure";
            }
            // one signal is not enough against a printed date far from it,
            // nor, when it is a declaration no reader sees, alone: the
            // signals within a day of the one taken (itself included)
            let visible_time = declared[2].1.or(first_time.map(|t| t.stamp));
            let support = |s: &Stamp, with_modified: bool| {
                let day = local_date(s, url);
                let near =
                    |x: Option<&Stamp>| x.is_some_and(|x| within_a_day(local_date(x, url), day));
                [
                    near(declared[0].1.as_ref()),
                    near(declared[1].1.as_ref()),
                    near(visible_time.as_ref()),
                    url_day.is_some_and(|u| within_a_day(u, day)),
                    with_modified && near(modified.as_ref()),
                ]
                .into_iter()
                .filter(|&b| b)
                .count()
            };
            let invisible = matches!(published_from, Some(("jsonld" | "meta", _)));
            let sure = match sure {
                Some(s) if shown.is_some() && support(&s, false) < 2 => {
                    from = "none: one signal against the printed date";
                    unsupported = true;
                    None
                }
                Some(s) if invisible && support(&s, true) < 2 => {
                    from = "none: one declaration alone";
                    unsupported = true;
                    None
                }
                sure => sure,
            };
            sure.map(|s| {
                let d = local_date(&s, url);
                let time = if d == s.date() && !s.is_utc() {
                    s.at.time()
                } else {
                    jiff::civil::Time::midnight()
                };
                jiff::civil::DateTime::from_parts(d, time)
                    .strftime("%Y-%m-%dT%H:%M:%S")
                    .to_string()
            })
        }
    };
    // a publication time the page contradicts (another declaration or the
    // URL's date more than a day away, later than the page's own update
    // time) is not written as the page's publication either, unless the
    // printed date was taken beside it (within a day of it: the feed
    // prefers `published` to the date), nor one refused as the date for
    // want of a second signal (the article page, listings and feed fall
    // back to `published` where there is no date); one whose calendar day
    // alone is unsure (a UTC clock) is still the moment the page declares
    let date_day = date
        .as_deref()
        .and_then(|d| d.get(..10)?.parse::<jiff::civil::Date>().ok());
    let published = published.filter(|s| {
        date_day.is_some_and(|day| within_a_day(local_date(s, url), day))
            || (date.is_none()
                && !unsupported
                && declarations_agree(&declared, s, url)
                && !later_than_its_update(s, modified.as_ref()))
    });
    PageDate {
        date,
        published,
        modified,
        from,
        signals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_site_suffix_is_trimmed() {
        assert_eq!(
            trim_title("Rain falls | The Daily", &["The Daily"], None),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Rain falls - Daily News", &["dailynews.com"], None),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Rain falls - Daily", &[], Some("Rain falls")),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Left - right wing", &[], None),
            "Left - right wing"
        ); // the site name in front
        assert_eq!(
            trim_title("The Daily: Rain falls", &["The Daily"], None),
            "Rain falls"
        );
        assert_eq!(
            trim_title("Daily News | Rain falls", &["dailynews.com"], None),
            "Rain falls"
        );
    }

    fn decide_on(html: &str) -> Decided {
        let doc = Document::from(html);
        let blocks = doc
            .select("body")
            .nodes()
            .first()
            .map(super::super::render::render)
            .unwrap_or_default();
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        decide(&doc, &texts, "")
    }

    #[test]
    fn the_visible_headline_wins_and_a_site_name_h1_is_not_one() {
        let d = decide_on(
            r#"<html><head><title>Bridge reopens to traffic - Harbour Times</title>
            <meta property="og:title" content="Harbour bridge reopened: what changes for drivers">
            <meta property="og:site_name" content="Harbour Times"></head>
            <body><h1 class="logo">Harbour Times</h1><h1>Games</h1>
            <h1>Bridge reopens to traffic after two years</h1></body></html>"#,
        );
        assert_eq!(d.title, "Bridge reopens to traffic after two years");
        // only the site's name in an <h1>: the metadata title, trimmed
        let d = decide_on(
            r#"<html><head><title>Bridge reopens | Harbour Times</title>
            <meta property="og:site_name" content="Harbour Times"></head>
            <body><h1>Harbour Times</h1><p>Text.</p></body></html>"#,
        );
        assert_eq!(d.title, "Bridge reopens");
    }

    #[test]
    fn outlet_agrees_with_the_domain_and_loses_its_tagline() {
        let d = decide_on(
            r#"<html><head><link rel="canonical" href="https://www.linknews.com/2024/03/story.html">
            <meta property="og:site_name" content="LinkNews | The nation's popular news platform">
            <script type="application/ld+json">{"@type":"BlogPosting","publisher":{"name":"Blogger"}}</script>
            </head><body><h1>Story</h1></body></html>"#,
        );
        assert_eq!(d.provenance.outlet.as_deref(), Some("LinkNews"));
        // no name at all: the registrable domain
        let d = decide_on(
            r#"<html><head><meta property="og:url" content="https://news.example.co.uk/a/b"></head>
            <body><h1>Story</h1></body></html>"#,
        );
        assert_eq!(d.provenance.outlet.as_deref(), Some("example.co.uk"));
        assert_eq!(
            d.provenance.url.as_deref(),
            Some("https://news.example.co.uk/a/b")
        );
    }

    #[test]
    fn url_is_absolute_http_and_not_the_home_page() {
        let d = decide_on(
            r#"<html><head><link rel="canonical" href="https://ex.org/">
            <meta property="og:url" content="https://ex.org/news/bridge-reopens"></head><body></body></html>"#,
        );
        assert_eq!(
            d.provenance.url.as_deref(),
            Some("https://ex.org/news/bridge-reopens")
        );
        let d = decide_on(
            r#"<html><head><link rel="canonical" href="javascript:alert(1)"></head><body></body></html>"#,
        );
        assert_eq!(d.provenance.url, None);
    }

    #[test]
    fn dates_on_the_pages_own_day() {
        // no printed date: the declared time with its offset is the local day
        let d = decide_on(&format!(
            "<html><head>{}</head><body><h1>Story</h1></body></html>",
            declared("2019-11-18T22:30:00-05:00")
        ));
        assert_eq!(d.date.as_deref(), Some("2019-11-18T22:30:00"));
        assert_eq!(
            d.provenance.published.as_deref(),
            Some("2019-11-18T22:30:00-05:00")
        );
        // a UTC time just after midnight, the URL's date the day before
        let d = decide_on(
            r#"<html><head><meta property="og:url" content="https://ex.org/2019/11/18/story/">
            <meta property="article:published_time" content="2019-11-19T03:30:00Z"></head>
            <body><h1>Story</h1></body></html>"#,
        );
        assert_eq!(d.date.as_deref(), Some("2019-11-18T00:00:00"));
        // a placeholder is no date
        let d = decide_on(
            r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z"}</script></head>
            <body><h1>Story</h1></body></html>"#,
        );
        assert_eq!((d.date, d.provenance.published), (None, None));
        // a numeric date that reads both ways and that nothing on the
        // page decides is no printed date: the declared one is taken
        let d = decide_on(&format!(
            "<html><head>{}</head><body><h1>Story about the bridge</h1><p>Other story 11/12/19 4:40PM</p></body></html>",
            declared("2019-11-18T17:30:00-05:00")
        ));
        assert_eq!(d.date.as_deref(), Some("2019-11-18T17:30:00"));
        // a printed date far from every declared one is something else's:
        // the declared one wins when a second signal (a visible <time>, the
        // URL's date, another declaration) agrees with it …
        let d = decide_on(
            r#"<html><head><meta property="article:published_time" content="2021-03-02T10:00:00+01:00"></head>
            <body><h1>Harbour reopens</h1><p>Published 14 February 2021</p>
            <p><time datetime="2021-03-02T10:00:00+01:00">2 March</time></p></body></html>"#,
        );
        assert_eq!(d.date.as_deref(), Some("2021-03-02T10:00:00"));
        assert_eq!(
            d.provenance.published.as_deref(),
            Some("2021-03-02T10:00:00+01:00")
        );
        // … and alone (the page's update time on the same day is no second
        // witness against a printed date), one signal against another is
        // no date
        let d = decide_on(&format!(
            "<html><head>{}</head><body><h1>Harbour reopens</h1><p>Published 14 February 2021</p></body></html>",
            declared("2021-03-02T10:00:00+01:00")
        ));
        assert_eq!(
            (d.date, d.date_from),
            (None, "none: one signal against the printed date")
        );
        assert_eq!(d.provenance.published, None);
        // a printed date taken beside its page's canonical URL's date: a
        // declaration a fortnight away is not written as the publication
        let d = decide_on(&format!(
            r#"<html><head>{}<link rel="canonical" href="https://example.org/2021/02/14/harbour-reopens"></head><body><h1>Harbour reopens</h1><p>Published 14 February 2021</p></body></html>"#,
            declared("2021-03-02T10:00:00+01:00")
        ));
        assert_eq!(
            (d.date.as_deref(), d.provenance.published.as_deref()),
            (Some("2021-02-14T00:00:00"), None),
            "{}",
            d.date_from
        );
        // ... and within a day of it, the printed date is taken
        let d = decide_on(
            r#"<html><head><meta property="article:published_time" content="2021-02-15T01:00:00Z"></head>
            <body><h1>Harbour reopens</h1><p>Published 14 February 2021</p></body></html>"#,
        );
        assert_eq!(d.date.as_deref(), Some("2021-02-14T00:00:00"));
    }

    /// The date of a page with this head and body under one headline.
    fn page(head: &str, body: &str) -> Option<String> {
        decide_on(&format!(
            "<html><head>{head}</head><body><h1>Harbour reopens</h1>{body}</body></html>"
        ))
        .date
    }

    /// A declared publication time in Open Graph's `<meta>`.
    fn published(t: &str) -> String {
        format!(r#"<meta property="article:published_time" content="{t}">"#)
    }

    /// A declared publication time and an update time on the same day (a
    /// declaration with a second witness).
    fn declared(t: &str) -> String {
        format!(
            r#"{}<meta property="article:modified_time" content="{t}">"#,
            published(t)
        )
    }

    #[test]
    fn one_declaration_alone_is_no_date() {
        // no printed date, no <time>, no date in the URL, no update time:
        // a lone declaration (a template's, another story's) is not enough
        let d = decide_on(&format!(
            "<html><head>{}</head><body><h1>Harbour reopens</h1></body></html>",
            published("2021-02-15T10:00:00+01:00")
        ));
        assert_eq!((d.date, d.date_from), (None, "none: one declaration alone"));
        // … nor a publication time, which pages would show in its place
        assert_eq!(d.provenance.published, None);
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-02-15T10:00:00+01:00"}</script>"#;
        assert_eq!(page(ld, ""), None);
        // a second witness within a day: JSON-LD and <meta>, the URL's
        // date, a visible <time>, the page's update time
        let second = [
            published("2021-02-15T10:00:00+01:00"),
            r#"<link rel="canonical" href="https://news.example/2021/02/15/harbour/">"#.into(),
            r#"<meta property="article:modified_time" content="2021-02-16T09:00:00+01:00">"#.into(),
        ];
        for s in &second {
            assert_eq!(
                page(&format!("{ld}{s}"), "").as_deref(),
                Some("2021-02-15T10:00:00"),
                "{s}"
            );
        }
        assert_eq!(
            page(
                ld,
                r#"<p><time datetime="2021-02-15T10:00:00+01:00">15 Feb</time></p>"#
            )
            .as_deref(),
            Some("2021-02-15T10:00:00")
        );
        // a visible <time> alone is what a reader sees: it is taken
        assert_eq!(
            page(
                "",
                r#"<p><time datetime="2021-02-15T10:00:00+01:00">15 Feb</time></p>"#
            )
            .as_deref(),
            Some("2021-02-15T10:00:00")
        );
    }

    #[test]
    fn a_declared_day_that_is_not_sure_is_no_date() {
        // a UTC time of day that is another calendar day west or east of
        // Greenwich, with no printed date and no date in the URL
        assert_eq!(page(&declared("2021-02-15T02:10:00Z"), ""), None);
        assert_eq!(page(&declared("2021-02-15T19:40:00+00:00"), ""), None);
        assert_eq!(page(&declared("2021-02-15T23:40:00"), ""), None);
        // the same day from UTC-8 to UTC+8, a local offset, or a date alone
        assert_eq!(
            page(&declared("2021-02-15T12:10:00Z"), "").as_deref(),
            Some("2021-02-15T00:00:00")
        );
        assert_eq!(
            page(&declared("2021-02-15T23:40:00-05:00"), "").as_deref(),
            Some("2021-02-15T23:40:00")
        );
        assert_eq!(
            page(&declared("2021-02-15"), "").as_deref(),
            Some("2021-02-15T00:00:00")
        );
        // the URL names the day
        let url = r#"<link rel="canonical" href="https://news.example/2021/02/15/harbour/">"#;
        assert_eq!(
            page(&format!("{url}{}", published("2021-02-15T19:40:00Z")), "").as_deref(),
            Some("2021-02-15T00:00:00")
        );
        // published after the page's own update time
        let both = format!(
            r#"{}<meta property="article:modified_time" content="2021-02-10T12:00:00+01:00">"#,
            published("2021-02-15T12:00:00+01:00")
        );
        assert_eq!(page(&both, ""), None);
        // <time> elements that disagree are a list, not the article's date
        let times = r#"<time datetime="2021-02-15T12:00:00+01:00">15 Feb</time>
            <p>Other stories</p><time datetime="2020-06-01T12:00:00+01:00">1 June</time>"#;
        assert_eq!(page("", times), None);
        let times = r#"<time datetime="2021-02-15T12:00:00+01:00">15 Feb</time>
            <p>Comments</p><time datetime="2021-02-15T18:00:00+01:00">later</time>"#;
        assert_eq!(page("", times).as_deref(), Some("2021-02-15T12:00:00"));
    }

    #[test]
    fn declarations_that_disagree_give_no_date() {
        let ld = |t: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Harbour reopens","datePublished":"{t}"}}</script>"#
            )
        };
        let canonical = |u: &str| format!(r#"<link rel="canonical" href="{u}">"#);
        let url = canonical("https://news.example/2021/02/15/harbour-reopens/");
        // JSON-LD and <meta> a day apart at most: the JSON-LD's day
        assert_eq!(
            page(
                &format!(
                    "{}{}",
                    ld("2021-02-15T10:00:00+01:00"),
                    published("2021-02-14T23:00:00+01:00")
                ),
                ""
            )
            .as_deref(),
            Some("2021-02-15T10:00:00")
        );
        // further apart (a block copied from another story, a template's
        // date): the page contradicts itself, and its publication time is
        // not written either
        let contradicting = format!(
            "{}{}",
            ld("2021-02-15T10:00:00+01:00"),
            published("2021-01-03T10:00:00+01:00")
        );
        assert_eq!(page(&contradicting, ""), None);
        let d = decide_on(&format!(
            "<html><head>{contradicting}</head><body><h1>Harbour reopens</h1></body></html>"
        ));
        assert_eq!((d.date, d.provenance.published), (None, None));
        // a UTC time whose calendar day alone is unsure is still the moment
        // the page declares
        let d = decide_on(&format!(
            "<html><head>{}</head><body><h1>Harbour reopens</h1></body></html>",
            published("2021-02-15T02:10:00Z")
        ));
        assert_eq!(
            (d.date, d.provenance.published.as_deref()),
            (None, Some("2021-02-15T02:10:00+00:00"))
        );
        // the URL names another day than the declared one
        let other_day = canonical("https://news.example/2021/01/03/harbour-reopens/");
        assert_eq!(
            page(
                &format!("{other_day}{}", published("2021-02-15T10:00:00+01:00")),
                ""
            ),
            None
        );
        // … or than a lone <time> (a sidebar's)
        let time = r#"<aside><time datetime="2021-03-20T09:00:00+01:00">20 March</time></aside>"#;
        assert_eq!(page(&url, time), None);
        assert_eq!(
            page(
                &url,
                r#"<time datetime="2021-02-15T09:00:00+01:00">15 Feb</time>"#
            )
            .as_deref(),
            Some("2021-02-15T09:00:00")
        );
        // a date printed next to the headline that neither a declared date
        // nor the URL comes near is not taken
        let printed = "<p>March 20, 2021</p><p>The harbour opened again on Monday.</p>";
        assert_eq!(page(&url, printed), None);
        // one that the URL confirms is
        let printed = "<p>February 15, 2021</p><p>The harbour opened again on Monday.</p>";
        assert_eq!(page(&url, printed).as_deref(), Some("2021-02-15T00:00:00"));
        // the URL decides an ambiguous printed date
        let printed = "<p>Posted 02/03/2021</p><p>The harbour opened again on Monday.</p>";
        assert_eq!(
            page(
                &canonical("https://news.example/2021/03/02/harbour/"),
                printed
            )
            .as_deref(),
            Some("2021-03-02T00:00:00")
        );
        assert_eq!(
            page(
                &canonical("https://news.example/2021/02/03/harbour/"),
                printed
            )
            .as_deref(),
            Some("2021-02-03T00:00:00")
        );
        // placeholders are no declaration at all
        for placeholder in [
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "1970-01-01T00:00:00Z",
            // the epoch written in a zone west of UTC, or east of it
            "1969-12-31T19:00:00-05:00",
            "1970-01-01T05:30:00+05:30",
            "1900-01-01T00:00:00",
            "1899-12-31T19:00:00-05:00",
        ] {
            assert_eq!(page(&declared(placeholder), ""), None, "{placeholder}");
            assert_eq!(
                page(
                    &format!(
                        "{url}{}{}",
                        published(placeholder),
                        ld("2021-02-15T10:00:00+01:00")
                    ),
                    ""
                )
                .as_deref(),
                Some("2021-02-15T10:00:00"),
                "{placeholder}"
            );
        }
    }

    #[test]
    fn the_pages_locale_decides_a_numeric_dates_order() {
        // 02/03/2021 with no declared date and no other date on the page
        let printed = "<p>Posted 02/03/2021</p><p>The harbour opened again on Monday.</p>";
        let at = |html_attrs: &str, head: &str, body: &str| {
            decide_on(&format!(
                "<html{html_attrs}><head>{head}</head><body><h1>Harbour reopens</h1>{body}</body></html>"
            ))
            .date
        };
        let canonical = |u: &str| format!(r#"<link rel="canonical" href="{u}">"#);
        // a British page: day first
        assert_eq!(
            at(r#" lang="en-GB""#, "", printed).as_deref(),
            Some("2021-03-02T00:00:00")
        );
        assert_eq!(
            at(
                "",
                r#"<meta property="og:locale" content="fr_FR">"#,
                printed
            )
            .as_deref(),
            Some("2021-03-02T00:00:00")
        );
        assert_eq!(
            at(
                r#" lang="en""#,
                &canonical("https://www.example.co.uk/news/harbour"),
                printed
            )
            .as_deref(),
            Some("2021-03-02T00:00:00")
        );
        // American English or a generic domain does not decide: no date
        assert_eq!(at(r#" lang="en-US""#, "", printed), None);
        assert_eq!(
            at(
                "",
                &canonical("https://www.example.com/news/harbour"),
                printed
            ),
            None
        );
        // an en-US template default on a British domain: they disagree
        assert_eq!(
            at(
                r#" lang="en-US""#,
                &canonical("https://www.example.co.uk/news/harbour"),
                printed
            ),
            None
        );
        // the page's own dates written month first against its locale
        let widget = format!("{printed}<p>Comments closed 12/13/2021</p>");
        assert_eq!(at(r#" lang="en-GB""#, "", &widget), None);
        // the page's own dates written day first, with its locale
        let own = format!("{printed}<p>Comments closed 13/12/2021</p>");
        assert_eq!(
            at(r#" lang="en-GB""#, "", &own).as_deref(),
            Some("2021-03-02T00:00:00")
        );
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
