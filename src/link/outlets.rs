//! The outlet registry: parse `sources.yaml` into [`Outlet`]s graded for
//! reliability (A–F), match articles to them by `outlet` name or `url`
//! domain, grade claims ([`Grade`]: the outlet's reliability and the
//! claim's credibility, 1–6, as the Admiralty/NATO system writes them,
//! `B2`), and say when a claim rests on a single or weak source
//! ([`Weight`]). Pure: text in, values out.

use crate::diag::{Problem, Problems};
use crate::model::Slug;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// The registry's file name, beside `entities.yaml`.
pub const FILE: &str = "sources.yaml";

/// How far a source is trusted, from its record (the Admiralty/NATO
/// system's letters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    pub const ALL: [Reliability; 6] = [
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];
    pub const NAMES: [&'static str; 6] = ["A", "B", "C", "D", "E", "F"];

    pub fn letter(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The standard meaning of the letter.
    pub fn meaning(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }

    /// D, E and F: a claim resting only on such outlets rests on weak
    /// sources.
    pub fn is_weak(self) -> bool {
        self >= Reliability::D
    }
}

impl<'de> Deserialize<'de> for Reliability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::yaml::one_of(d, &Reliability::NAMES, &Reliability::ALL)
    }
}

/// How far a piece of information is believed, on its own merits (the
/// Admiralty/NATO system's digits, 1–6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Credibility(u8);

impl Credibility {
    /// `1`…`6`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Credibility> {
        match s.trim() {
            d @ ("1" | "2" | "3" | "4" | "5" | "6") => d.parse().ok().map(Credibility),
            _ => None,
        }
    }

    /// The value: truth cannot be judged (`6`), for a claim that gives none.
    pub const UNJUDGED: Credibility = Credibility(6);

    pub fn digit(self) -> u8 {
        self.0
    }

    /// The standard meaning of the digit.
    pub fn meaning(self) -> &'static str {
        match self.0 {
            1 => "confirmed by other sources",
            2 => "probably true",
            3 => "possibly true",
            4 => "doubtful",
            5 => "improbable",
            _ => "truth cannot be judged",
        }
    }
}

/// A claim's grade: its outlet's reliability and its own credibility,
/// written `B2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Credibility,
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.reliability.letter(), self.credibility.0)
    }
}

impl Grade {
    /// "B: usually reliable; 2: probably true".
    pub fn meaning(&self) -> String {
        format!(
            "{}: {}; {}: {}",
            self.reliability.letter(),
            self.reliability.meaning(),
            self.credibility.0,
            self.credibility.meaning()
        )
    }
}

/// The grade of a passage: the reliability of its article's outlet (`F`,
/// cannot be judged, for an outlet not in the registry) and the claim's
/// `cred=` (`6`, cannot be judged, when it has none). `None` when neither
/// the briefing grades its outlets (no `sources.yaml`) nor the claim has a
/// credibility: there is nothing to show.
pub fn grade(
    graded: bool,
    reliability: Option<Reliability>,
    credibility: Option<Credibility>,
) -> Option<Grade> {
    (graded || credibility.is_some()).then(|| Grade {
        reliability: reliability.unwrap_or(Reliability::F),
        credibility: credibility.unwrap_or(Credibility::UNJUDGED),
    })
}

/// One entry of `sources.yaml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutletEntry {
    pub name: String,
    /// Hosts its articles live on (`news.example`; a subdomain matches).
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub reliability: Reliability,
    /// Free words: `state-affiliated`, `wire service`.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Markdown.
    #[serde(default)]
    pub description: String,
}

/// A registered outlet with its page slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlet {
    pub slug: Slug,
    pub entry: OutletEntry,
}

/// The outlet registry, with lookup by name, alias or domain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outlets {
    pub outlets: Vec<Outlet>,
    /// A `sources.yaml` exists (grades are shown, outlet pages made).
    pub present: bool,
    by_name: BTreeMap<String, usize>,
    by_domain: BTreeMap<String, usize>,
}

fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A domain as written in `sources.yaml`, or why it is not one.
fn domain_key(d: &str) -> Result<String, &'static str> {
    let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
    let d = d.strip_prefix("www.").unwrap_or(&d).to_string();
    if d.contains("://") || d.contains('/') {
        return Err("write the host only, without `https://` or a path");
    }
    if d.is_empty()
        || !d.contains('.')
        || !d
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        || d.split('.').any(str::is_empty)
    {
        return Err("write a host name such as `news.example`");
    }
    Ok(d)
}

/// The host of an absolute URL, lower-cased, without user or port
/// (`https://u@WWW.News.example:8080/a` → `www.news.example`): by slicing,
/// as every claim passage on a page is matched (an article's `url` is
/// checked absolute `http(s)` when it is read).
fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let auth = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let auth = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let host = auth.split(':').next().unwrap_or("").trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl Outlets {
    /// Parse `sources.yaml` (a list of outlets). Problems point at the
    /// entry's text.
    pub fn parse(file: &str, text: Arc<str>) -> Result<Outlets, Problems> {
        let entries: Vec<OutletEntry> =
            crate::yaml::from_str_at(file, &text, &text, 0, "the outlet registry")?;
        let mut reg = Outlets {
            present: true,
            ..Outlets::default()
        };
        let mut problems = Problems::default();
        let mut slugs = BTreeSet::new();
        let mut cursor = 0;
        // the needle as a whole value (not inside a key or a longer word)
        let at = |from: usize, needle: &str| -> usize {
            let hay = text.get(from..).unwrap_or("");
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            hay.match_indices(needle)
                .find(|(i, _)| {
                    !word(hay[..*i].chars().next_back())
                        && !word(hay[i + needle.len()..].chars().next())
                })
                .map_or(from, |(i, _)| i + from)
        };
        for entry in entries {
            let entry_at = at(cursor, &entry.name);
            let next = (entry_at + entry.name.len()).min(text.len());
            let Some(base) = Slug::from_title(&entry.name) else {
                problems.push(
                    Problem::at(
                        file,
                        text.clone(),
                        entry_at,
                        entry.name.len().max(1),
                        format!("outlet name {:?} has no letters or digits", entry.name),
                    )
                    .with_help(
                        "name the outlet as it names itself, e.g. `name: The Example Times`",
                    ),
                );
                cursor = next;
                continue;
            };
            let mut slug = base.clone();
            let mut n = 2;
            while slugs.contains(&slug) {
                slug = base.with_suffix(n);
                n += 1;
            }
            let idx = reg.outlets.len();
            for name in std::iter::once(&entry.name).chain(&entry.aliases) {
                match reg.by_name.get(&key(name)) {
                    Some(&other) if other != idx => problems.push(
                        Problem::at(
                            file,
                            text.clone(),
                            at(entry_at, name),
                            name.len().max(1),
                            format!(
                                "{name:?} is claimed by both {:?} and {:?}",
                                reg.outlets[other].entry.name, entry.name
                            ),
                        )
                        .with_help(
                            "a name or alias may belong to one outlet only; remove it from one of them",
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        reg.by_name.insert(key(name), idx);
                    }
                }
            }
            for d in &entry.domains {
                let d_at = at(entry_at, d);
                match domain_key(d) {
                    Err(help) => problems.push(
                        Problem::at(
                            file,
                            text.clone(),
                            d_at,
                            d.len().max(1),
                            format!("{d:?} is not a domain"),
                        )
                        .with_help(help),
                    ),
                    Ok(k) => match reg.by_domain.get(&k) {
                        Some(&other) if other != idx => problems.push(
                            Problem::at(
                                file,
                                text.clone(),
                                d_at,
                                d.len().max(1),
                                format!(
                                    "the domain {k:?} is claimed by both {:?} and {:?}",
                                    reg.outlets[other].entry.name, entry.name
                                ),
                            )
                            .with_help("a domain may belong to one outlet only"),
                        ),
                        Some(_) => {}
                        None => {
                            reg.by_domain.insert(k, idx);
                        }
                    },
                }
            }
            cursor = next;
            slugs.insert(slug.clone());
            reg.outlets.push(Outlet { slug, entry });
        }
        if problems.has_errors() {
            Err(problems)
        } else {
            Ok(reg)
        }
    }

    /// The outlet an article is from: by its `outlet` name (or an alias),
    /// else by its `url`'s host (a subdomain of a registered domain
    /// matches it).
    pub fn match_article(&self, outlet: Option<&str>, url: Option<&str>) -> Option<usize> {
        if let Some(i) = outlet.and_then(|o| self.by_name.get(&key(o))) {
            return Some(*i);
        }
        let host = host_of(url?)?;
        let mut h = host.strip_prefix("www.").unwrap_or(&host);
        loop {
            if let Some(&i) = self.by_domain.get(h) {
                return Some(i);
            }
            h = h.split_once('.')?.1;
        }
    }

    /// The outlet with this slug.
    pub fn position(&self, slug: &Slug) -> Option<usize> {
        self.outlets.iter().position(|o| &o.slug == slug)
    }
}

/// Who published a passage, for telling sources apart: a registered
/// outlet, an outlet named only in front matter, a web host, or the
/// article alone (nothing says where it comes from).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceId {
    Registered(usize),
    Named(String),
    Host(String),
    Article(Slug),
}

impl SourceId {
    /// The source of an article: `matched` is its registered outlet.
    pub fn of(
        matched: Option<usize>,
        outlet: Option<&str>,
        url: Option<&str>,
        slug: &Slug,
    ) -> Self {
        if let Some(i) = matched {
            return SourceId::Registered(i);
        }
        if let Some(o) = outlet.map(key).filter(|o| !o.is_empty()) {
            return SourceId::Named(o);
        }
        match url.and_then(crate::clean::meta::outlet::registrable_domain) {
            Some(d) => SourceId::Host(d),
            None => SourceId::Article(slug.clone()),
        }
    }
}

/// What a claim rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weight {
    /// One outlet carries it.
    Single,
    /// Several, but every one graded D or worse.
    Weak,
    /// Several, at least one graded better than D.
    Sound,
}

impl Weight {
    /// A class name: `single`, `weak`, `sound`.
    pub fn class(self) -> &'static str {
        match self {
            Weight::Single => "single",
            Weight::Weak => "weak",
            Weight::Sound => "sound",
        }
    }

    /// The words pages and `briefing check` use.
    pub fn label(self) -> &'static str {
        match self {
            Weight::Single => "single source",
            Weight::Weak => "weak sources",
            Weight::Sound => "",
        }
    }
}

/// What a claim rests on, from the source and reliability of each passage
/// carrying it (an unregistered outlet is `F`).
pub fn weight(passages: &[(SourceId, Reliability)]) -> Weight {
    let distinct: BTreeSet<&SourceId> = passages.iter().map(|(s, _)| s).collect();
    if distinct.len() <= 1 {
        Weight::Single
    } else if passages.iter().all(|(_, r)| r.is_weak()) {
        Weight::Weak
    } else {
        Weight::Sound
    }
}

/// An outlet named by articles but not in the registry, for `briefing
/// sources suggest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The name the articles give, else the domain.
    pub name: String,
    /// The domains its articles are on.
    pub domains: BTreeSet<String>,
    /// The articles, by slug.
    pub articles: Vec<Slug>,
}

/// The outlets articles name (by `outlet`, or by `url`'s domain) that no
/// registry entry matches, most articles first. `articles` are (slug,
/// outlet, url).
pub fn missing(reg: &Outlets, articles: &[(Slug, Option<&str>, Option<&str>)]) -> Vec<Missing> {
    let mut by: BTreeMap<String, Missing> = BTreeMap::new();
    for (slug, outlet, url) in articles {
        if reg.match_article(*outlet, *url).is_some() {
            continue;
        }
        let domain = url.and_then(crate::clean::meta::outlet::registrable_domain);
        let name = match outlet.map(|o| o.trim()).filter(|o| !o.is_empty()) {
            Some(o) => o.to_string(),
            None => match &domain {
                Some(d) => d.clone(),
                None => continue,
            },
        };
        let m = by.entry(key(&name)).or_insert_with(|| Missing {
            name,
            domains: BTreeSet::new(),
            articles: Vec::new(),
        });
        m.domains.extend(domain);
        m.articles.push(slug.clone());
    }
    let mut v: Vec<Missing> = by.into_values().collect();
    v.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
- name: The Example Times
  domains: [news.example]
  aliases: [Example Times]
  reliability: B
  labels: [newspaper]
  description: A daily.
- name: State Wire
  domains: [wire.example, statewire.example]
  reliability: D
  labels: [state-affiliated, wire service]
";

    fn reg() -> Outlets {
        Outlets::parse(FILE, Arc::from(YAML)).unwrap()
    }

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    #[test]
    fn grades_are_written_letter_then_digit() {
        let g = Grade {
            reliability: Reliability::B,
            credibility: Credibility::parse("2").unwrap(),
        };
        assert_eq!(g.to_string(), "B2");
        assert_eq!(g.meaning(), "B: usually reliable; 2: probably true");
        assert_eq!(grade(false, Some(Reliability::A), None), None);
        assert_eq!(
            grade(true, None, None).map(|g| g.to_string()).as_deref(),
            Some("F6")
        );
        assert_eq!(
            grade(false, None, Credibility::parse("3"))
                .map(|g| g.to_string())
                .as_deref(),
            Some("F3")
        );
        assert_eq!(
            grade(true, Some(Reliability::C), Credibility::parse("1"))
                .map(|g| g.to_string())
                .as_deref(),
            Some("C1")
        );
    }

    #[test]
    fn credibility_is_one_to_six() {
        for ok in ["1", "2", "3", "4", "5", "6"] {
            assert!(Credibility::parse(ok).is_some(), "{ok}");
        }
        for bad in ["0", "7", "", "B", "2.5", "-1", "12", "+2"] {
            assert_eq!(Credibility::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn articles_match_by_name_alias_or_domain() {
        let r = reg();
        assert_eq!(r.outlets.len(), 2);
        assert_eq!(r.outlets[1].slug.as_str(), "state-wire");
        assert_eq!(r.match_article(Some("The Example Times"), None), Some(0));
        assert_eq!(r.match_article(Some("example  TIMES"), None), Some(0));
        assert_eq!(
            r.match_article(None, Some("https://www.news.example/a/b")),
            Some(0)
        );
        assert_eq!(
            r.match_article(None, Some("https://live.statewire.example/x")),
            Some(1)
        );
        // the name wins over the address
        assert_eq!(
            r.match_article(Some("State Wire"), Some("https://news.example/a")),
            Some(1)
        );
        assert_eq!(
            r.match_article(Some("Other"), Some("https://other.example/")),
            None
        );
        assert_eq!(r.match_article(None, Some("https://example/")), None);
        assert_eq!(
            r.match_article(None, Some("https://u@WWW.News.Example:8443/x?y#z")),
            Some(0)
        );
        assert_eq!(r.match_article(None, Some("news.example/a")), None);
        assert_eq!(r.match_article(None, None), None);
    }

    #[test]
    fn bad_entries_are_problems_at_their_text() {
        let y = "- name: A\n  domains: [https://a.example/]\n  reliability: A\n- name: B\n  aliases: [a]\n  reliability: B\n";
        let p = Outlets::parse(FILE, Arc::from(y)).unwrap_err();
        let msgs: Vec<String> = p.iter().map(|p| p.headline()).collect();
        assert_eq!(
            msgs,
            [
                "sources.yaml:2:13: error: \"https://a.example/\" is not a domain",
                "sources.yaml:5:13: error: \"a\" is claimed by both \"A\" and \"B\"",
            ]
        );
        let p = Outlets::parse(FILE, Arc::from("- name: A\n  reliability: G\n")).unwrap_err();
        let first = p.iter().next().unwrap();
        assert!(
            first.headline().starts_with("sources.yaml:2:"),
            "{}",
            first.headline()
        );
        assert!(
            first.message.contains("A, B, C, D, E, F"),
            "{}",
            first.message
        );
        let p = Outlets::parse(FILE, Arc::from("- name: A\n  reliabilty: B\n")).unwrap_err();
        assert!(
            p.iter()
                .next()
                .unwrap()
                .headline()
                .starts_with("sources.yaml:2:")
        );
    }

    #[test]
    fn claims_rest_on_single_weak_or_sound_sources() {
        let a = |i| (SourceId::Registered(i), Reliability::B);
        let d = |i| (SourceId::Registered(i), Reliability::D);
        assert_eq!(weight(&[a(0)]), Weight::Single);
        assert_eq!(weight(&[a(0), a(0)]), Weight::Single, "one outlet twice");
        assert_eq!(weight(&[a(0), a(1)]), Weight::Sound);
        assert_eq!(weight(&[d(0), d(1)]), Weight::Weak);
        assert_eq!(weight(&[d(0), a(1)]), Weight::Sound);
        let named = (SourceId::Named("x".into()), Reliability::F);
        assert_eq!(weight(&[named.clone(), d(1)]), Weight::Weak);
        assert_eq!(Weight::Single.label(), "single source");
    }

    #[test]
    fn sources_are_told_apart_by_registry_name_host_or_article() {
        let s = slug("a");
        assert_eq!(
            SourceId::of(Some(2), Some("X"), None, &s),
            SourceId::Registered(2)
        );
        assert_eq!(
            SourceId::of(None, Some(" The  X "), None, &s),
            SourceId::Named("the x".into())
        );
        assert_eq!(
            SourceId::of(None, None, Some("https://www.bbc.co.uk/news/1"), &s),
            SourceId::Host("bbc.co.uk".into())
        );
        assert_eq!(
            SourceId::of(None, None, None, &s),
            SourceId::Article(s.clone())
        );
    }

    #[test]
    fn outlets_missing_from_the_registry_are_suggested() {
        let r = reg();
        let arts = [
            (slug("a"), Some("The Example Times"), None),
            (
                slug("b"),
                Some("Daily Other"),
                Some("https://other.example/b"),
            ),
            (slug("c"), Some("daily other"), None),
            (slug("d"), None, Some("https://www.third.example/d")),
            (slug("e"), None, None),
        ];
        let m = missing(&r, &arts);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].name, "Daily Other");
        assert_eq!(m[0].articles, [slug("b"), slug("c")]);
        assert_eq!(m[0].domains.iter().collect::<Vec<_>>(), ["other.example"]);
        assert_eq!(m[1].name, "third.example");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..Default::default()
        })]
        /// Any text is a registry or problems (with a place in the file),
        /// never a panic; any URL matches an outlet or none.
        #[test]
        fn any_text_parses_or_is_a_problem(
            text in "(- name: [A-Za-z .]{0,12}\n(  (domains|aliases|labels): \\[[a-z.:/, ]{0,20}\\]\n|  reliability: [A-H1]\n|  description: [^\n]{0,20}\n|[^\n]{0,12}\n){0,4}){0,4}",
            url in "(https?://)?[a-z.]{0,20}(/[a-z]{0,5})?",
        ) {
            match Outlets::parse(FILE, Arc::from(text.as_str())) {
                Ok(r) => {
                    let i = r.match_article(None, Some(&url));
                    proptest::prop_assert!(i.is_none_or(|i| i < r.outlets.len()));
                }
                Err(p) => proptest::prop_assert!(p.iter().all(|p| p.file == FILE)),
            }
        }
    }
}
