//! sidecar: what the scraper knew about a seed. `seeds/<name>.meta.yaml`
//! beside `seeds/<name>.txt` (or `.html`) gives the article's `url`,
//! `outlet`, `published`, `modified`, `title`, `date` and `byline`, each
//! optional; its values win over what the cleaner found, since the scraper
//! saw the live page and a text dump keeps little of it. `scraped`, when
//! the scraper fetched the page, is not the article's: it only tells two
//! scrapes of one page apart (see `project::rescrape`).
//!
//! Pure: a sidecar's text in, a checked [`Sidecar`] or a [`Problem`] out;
//! [`crate::project`] finds and reads the file, and lays it over the
//! cleaned seed ([`Sidecar::apply`]).

use crate::clean::Cleaned;
use crate::clean::meta::dates::is_placeholder;
use crate::content::{self, Stamp};
use crate::diag::Problem;
use crate::yaml;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a sidecar's name ends: `<seed stem>.meta.yaml`.
pub const SUFFIX: &str = ".meta.yaml";

/// The keys a sidecar may hold.
pub const KEYS: [&str; 8] = [
    "url",
    "outlet",
    "published",
    "modified",
    "title",
    "date",
    "byline",
    "scraped",
];

/// A sidecar as written (every value a string; checked by [`parse`]).
#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of url, outlet, published, modified, title, date, byline, scraped"
)]
struct Written {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    byline: Option<String>,
    #[serde(default)]
    scraped: Option<String>,
}

/// What a sidecar says, checked: a key left out or empty is `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sidecar {
    /// An absolute `http(s)` URL ([`content::check_url`]).
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<Stamp>,
    pub modified: Option<Stamp>,
    pub title: Option<String>,
    /// The date shown to readers (wall-clock, the page's own time zone).
    pub date: Option<jiff::civil::DateTime>,
    pub byline: Option<String>,
    /// When the scraper fetched the page: which of two scrapes of one
    /// page is the newer, when the page's own times do not say.
    pub scraped: Option<Stamp>,
}

/// The sidecar of a seed: `seeds/x.txt` → `seeds/x.meta.yaml`.
pub fn path_for(seed: &Path) -> PathBuf {
    let stem = seed.file_stem().unwrap_or_default().to_string_lossy();
    seed.with_file_name(format!("{stem}{SUFFIX}"))
}

/// The stem of the seeds a sidecar file name belongs to (`x.meta.yaml` →
/// `x`), or `None` when the name is not a sidecar's.
pub fn seed_stem(file_name: &str) -> Option<&str> {
    file_name
        .strip_suffix(SUFFIX)
        .filter(|stem| !stem.is_empty())
}

/// What every sidecar problem says to do, after its own advice.
fn help(what: &str) -> String {
    format!(
        "{what}; a sidecar holds what the scraper knew about its seed, with the optional keys {}",
        KEYS.join(", ")
    )
}

/// Read and check a sidecar. `file` is its project-relative name, `text`
/// its content. Every problem points at the offending key or value.
pub fn parse(file: &str, text: Arc<str>) -> Result<Sidecar, Problem> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    let w: Written = if blank {
        Written::default()
    } else {
        yaml::from_str_at(file, &text, &text, 0, "sidecar").map_err(|p| {
            if p.message.starts_with("unknown key") {
                let hint = p
                    .help
                    .as_deref()
                    .and_then(|h| h.split("? ").next())
                    .filter(|h| h.starts_with("did you mean"));
                let what = match hint {
                    Some(h) => format!("{h}? Otherwise remove the line"),
                    None => "rename the key to one a sidecar knows, or remove the line".to_string(),
                };
                p.with_help(help(&what))
            } else {
                p.with_help(help(
                    "write one `key: value` line per key, quoting values that hold `: ` or ` #`",
                ))
            }
        })?
    };
    let at = |key: &str| content::key_span(&text, 0, key).unwrap_or((0, 1));
    let problem = |key: &str, message: String, what: &str| {
        let (start, len) = at(key);
        Problem::at(file, text.clone(), start, len, message).with_help(help(what))
    };
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let url = match given(w.url) {
        Some(u) => {
            content::check_url(&u).map_err(|why| {
                problem(
                    "url",
                    format!("`url` is not an absolute http(s) address: {why}"),
                    "write the address of the page the scraper fetched, e.g. `url: https://news.example/2024/12/06/story`",
                )
            })?;
            Some(u)
        }
        None => None,
    };
    // a time that is what an empty one becomes (the Unix epoch in any
    // offset, 0001-01-01, 1900-01-01) says nothing about the page
    let placeholder = |key: &str, s: &str| {
        problem(
            key,
            format!(
                "`{key}` {s:?} is a placeholder (the Unix epoch, 1900-01-01 or 0001-01-01: what an empty time becomes), not a time the page gives"
            ),
            "write the page's own time, or remove the line when the scraper did not know it",
        )
    };
    let stamp = |key: &str, v: Option<String>| -> Result<Option<Stamp>, Problem> {
        match given(v) {
            Some(s) => match Stamp::parse(&s) {
                Some(t) if is_placeholder(t.time.date()) => Err(placeholder(key, &s)),
                Some(t) => Ok(Some(t)),
                None => Err(problem(
                    key,
                    format!("cannot read the `{key}` time {s:?}"),
                    content::STAMP_HELP,
                )),
            },
            None => Ok(None),
        }
    };
    let published = stamp("published", w.published)?;
    let modified = stamp("modified", w.modified)?;
    let scraped = stamp("scraped", w.scraped)?;
    let date = match given(w.date) {
        Some(d) => match content::parse_date(&d) {
            Some(t) if is_placeholder(t.date()) => return Err(placeholder("date", &d)),
            Some(t) => Some(t),
            None => {
                return Err(problem(
                    "date",
                    format!("cannot read the date {d:?}"),
                    "write the date the page shows, as 2024-12-06T15:39:00 or 2024-12-06, or remove the line",
                ));
            }
        },
        None => None,
    };
    Ok(Sidecar {
        url,
        outlet: given(w.outlet),
        published,
        modified,
        title: given(w.title),
        date,
        byline: given(w.byline),
        scraped,
    })
}

impl Sidecar {
    /// Lay the sidecar over a cleaned seed: each value it gives replaces
    /// the cleaner's. When neither gives a `date`, the wall-clock day of
    /// `published` is the date (the publication's own clock).
    pub fn apply(&self, c: &mut Cleaned) {
        if let Some(t) = &self.title {
            c.title = t.clone();
        }
        if let Some(d) = &self.date {
            c.date = Some(content::civil_iso(d));
        } else {
            // the cleaner's date against what the scraper saw: more than a
            // day from the declared publication, or after the page was
            // fetched, it is not the page's date — and which one is, the
            // page does not say, so none (no date is better than a wrong one)
            use crate::clean::meta::dates::{day_of, within_a_day};
            let apart = |a, b| !within_a_day(a, b);
            let found = c.date.as_deref().and_then(day_of);
            let contradicted = found.is_some_and(|d| {
                self.published.is_some_and(|p| apart(d, p.time.date()))
                    || self
                        .scraped
                        .is_some_and(|s| d > s.time.date() && apart(d, s.time.date()))
            });
            if contradicted {
                c.date = None;
            } else if c.date.is_none()
                && let Some(p) = &self.published
            {
                c.date = Some(content::civil_iso(&p.time));
            }
        }
        if let Some(b) = &self.byline {
            c.byline = Some(b.clone());
        }
        let p = &mut c.provenance;
        if let Some(u) = &self.url {
            p.url = Some(u.clone());
        }
        if let Some(o) = &self.outlet {
            p.outlet = Some(o.clone());
        }
        if let Some(t) = &self.published {
            p.published = Some(t.iso());
        }
        if let Some(t) = &self.modified {
            p.modified = Some(t.iso());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sidecar(text: &str) -> Result<Sidecar, Problem> {
        parse("seeds/a.meta.yaml", Arc::from(text))
    }

    #[test]
    fn reads_every_key() {
        let s = sidecar(
            "# written by the scraper\nurl: https://news.example/2024/12/06/story?id=1#top\noutlet: The Example Times\npublished: 2024-12-06T15:39:00+01:00\nmodified: \"2024-12-07T09:10:00Z\"\ntitle: 'Headline: with a colon'\ndate: 2024-12-06\nbyline: Kit Heren\nscraped: 2024-12-07T10:00:00Z\n",
        )
        .unwrap();
        assert_eq!(
            s.url.as_deref(),
            Some("https://news.example/2024/12/06/story?id=1#top")
        );
        assert_eq!(s.outlet.as_deref(), Some("The Example Times"));
        assert_eq!(s.published.unwrap().iso(), "2024-12-06T15:39:00+01:00");
        assert_eq!(s.modified.unwrap().iso(), "2024-12-07T09:10:00+00:00");
        assert_eq!(s.title.as_deref(), Some("Headline: with a colon"));
        assert_eq!(s.date.unwrap().to_string(), "2024-12-06T00:00:00");
        assert_eq!(s.byline.as_deref(), Some("Kit Heren"));
        assert_eq!(s.scraped.unwrap().iso(), "2024-12-07T10:00:00+00:00");
    }

    #[test]
    fn empty_or_comment_only_sidecars_say_nothing() {
        for t in ["", "\n", "# nothing known\n", "url:\ntitle: ''\n"] {
            assert_eq!(sidecar(t).unwrap(), Sidecar::default(), "{t:?}");
        }
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_the_allowed_ones() {
        let e = sidecar("url: https://a.example/x\nauthor: Someone\n").unwrap_err();
        assert!(
            e.message.starts_with("unknown key `author`"),
            "{}",
            e.message
        );
        let help = e.help.as_deref().unwrap();
        for key in KEYS {
            assert!(help.contains(key), "{key}: {help}");
        }
        assert_eq!(e.line, 2, "{}", e.render_plain());
        assert!(
            e.headline().starts_with("seeds/a.meta.yaml:2:"),
            "{}",
            e.headline()
        );
        assert!(e.help.as_deref().unwrap().contains("byline"));
    }

    #[test]
    fn a_bad_url_points_at_the_value() {
        for (text, why) in [
            (
                "outlet: X\nurl: javascript:alert(1)\n",
                "http:// or https://",
            ),
            ("url: /relative/path\n", "http:// or https://"),
            ("url: \"https://a.example/x y\"\n", "space"),
            ("url: https://user:pw@a.example/\n", "user name"),
            ("url: https:///path\n", "no host"),
            ("url: https://a.example:http/\n", "port"),
            ("url: 'https://a.example/\"><script>'\n", "percent-encoded"),
        ] {
            let e = sidecar(text).unwrap_err();
            assert!(
                e.message
                    .starts_with("`url` is not an absolute http(s) address"),
                "{}",
                e.message
            );
            assert!(e.message.contains(why), "{text:?}: {}", e.message);
            let line = text.lines().position(|l| l.starts_with("url:")).unwrap() + 1;
            assert_eq!((e.line, e.column), (line, 6), "{}", e.render_plain());
        }
    }

    #[test]
    fn bad_times_and_dates_point_at_the_value() {
        let e = sidecar("published: last Tuesday\n").unwrap_err();
        assert_eq!(
            e.message,
            "cannot read the `published` time \"last Tuesday\""
        );
        assert_eq!((e.line, e.column), (1, 12));
        let e = sidecar("title: T\nmodified: 2024-13-01\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 11));
        let e = sidecar("date: 06/12/2024\n").unwrap_err();
        assert_eq!(e.message, "cannot read the date \"06/12/2024\"");
    }

    #[test]
    fn placeholder_times_are_a_diagnostic_at_the_value() {
        for (text, key, column) in [
            ("published: 1969-12-31T19:00:00-05:00\n", "published", 12),
            ("title: T\nmodified: 1970-01-01T00:00:00Z\n", "modified", 11),
            ("scraped: 0001-01-01T00:00:00Z\n", "scraped", 10),
            ("date: 1900-01-01\n", "date", 7),
        ] {
            let e = sidecar(text).unwrap_err();
            assert!(
                e.message.starts_with(&format!("`{key}` "))
                    && e.message.contains("is a placeholder"),
                "{text:?}: {}",
                e.message
            );
            let line = text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
            assert_eq!((e.line, e.column), (line, column), "{text:?}");
            assert!(
                e.help
                    .as_deref()
                    .is_some_and(|h| h.contains("remove the line"))
            );
        }
        // the day after the epoch is a time like any other
        assert!(sidecar("published: 1970-01-02T00:00:00Z\n").is_ok());
    }

    #[test]
    fn yaml_that_is_not_a_mapping_is_a_diagnostic() {
        for (t, start) in [
            (
                "- url\n- outlet\n",
                "sidecar must be mapping of url, outlet",
            ),
            ("url: [a, b]\n", "`url` must be text (found a list)"),
            ("just text\n", "sidecar must be mapping of url, outlet"),
            ("url: \"open\n", "sidecar is not valid YAML"),
        ] {
            let e = sidecar(t).unwrap_err();
            assert!(e.message.starts_with(start), "{t:?}: {}", e.message);
            assert!(e.line > 0, "{t:?}");
        }
    }

    #[test]
    fn its_values_win_over_the_cleaners() {
        let mut c = Cleaned {
            title: "Set Your Location:".into(),
            date: Some("2024-12-05T00:00:00".into()),
            byline: None,
            provenance: crate::clean::Provenance {
                url: Some("https://old.example/".into()),
                outlet: Some("Old".into()),
                published: None,
                modified: None,
            },
            figures: Vec::new(),
            body: vec!["Text.".into()],
            report: Vec::new().into(),
            warnings: Vec::new(),
        };
        sidecar("title: The real headline\ndate: 2024-12-06T15:39\nurl: https://news.example/a\npublished: 2024-12-06T15:39:00-05:00\n")
            .unwrap()
            .apply(&mut c);
        assert_eq!(c.title, "The real headline");
        assert_eq!(c.date.as_deref(), Some("2024-12-06T15:39:00"));
        assert_eq!(c.provenance.url.as_deref(), Some("https://news.example/a"));
        assert_eq!(
            c.provenance.outlet.as_deref(),
            Some("Old"),
            "kept: the sidecar has none"
        );
        assert_eq!(
            c.provenance.published.as_deref(),
            Some("2024-12-06T15:39:00-05:00")
        );
        // no date anywhere: the publication's own wall clock
        c.date = None;
        sidecar("published: 2024-12-06T23:30:00-05:00\n")
            .unwrap()
            .apply(&mut c);
        assert_eq!(c.date.as_deref(), Some("2024-12-06T23:30:00"));
    }

    #[test]
    fn a_cleaned_date_it_contradicts_is_no_date() {
        let cleaned = |date: &str| Cleaned {
            title: "Harbour reopens".into(),
            date: Some(date.into()),
            byline: None,
            provenance: crate::clean::Provenance::default(),
            figures: Vec::new(),
            body: vec!["Text.".into()],
            report: Vec::new().into(),
            warnings: Vec::new(),
        };
        let date_after = |date: &str, side: &str| {
            let mut c = cleaned(date);
            sidecar(side).unwrap().apply(&mut c);
            c.date
        };
        // more than a day from the declared publication: none, and the
        // declared time is still kept as `published`
        let mut c = cleaned("2024-11-02T00:00:00");
        sidecar("published: 2024-12-06T15:39:00+00:00\n")
            .unwrap()
            .apply(&mut c);
        assert_eq!(c.date, None);
        assert_eq!(
            c.provenance.published.as_deref(),
            Some("2024-12-06T15:39:00+00:00")
        );
        // within a day of it (the page's own zone): the printed one stays
        assert_eq!(
            date_after("2024-12-05T00:00:00", "published: 2024-12-06T01:10:00Z\n").as_deref(),
            Some("2024-12-05T00:00:00")
        );
        // after the page was fetched
        assert_eq!(
            date_after("2025-03-01T00:00:00", "scraped: 2024-12-07T09:00:00Z\n"),
            None
        );
        // before it, or the same day in another zone
        assert_eq!(
            date_after("2024-12-08T00:00:00", "scraped: 2024-12-07T23:00:00Z\n").as_deref(),
            Some("2024-12-08T00:00:00")
        );
        assert_eq!(
            date_after("2019-05-01T00:00:00", "scraped: 2024-12-07T09:00:00Z\n").as_deref(),
            Some("2019-05-01T00:00:00")
        );
        // the sidecar's own `date` always wins
        assert_eq!(
            date_after(
                "2024-11-02T00:00:00",
                "date: 2024-12-06T15:39\npublished: 2024-12-06T15:39:00Z\n"
            )
            .as_deref(),
            Some("2024-12-06T15:39:00")
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            path_for(Path::new("seeds/000_ab.txt")),
            Path::new("seeds/000_ab.meta.yaml")
        );
        assert_eq!(
            path_for(Path::new("seeds/page.html")),
            Path::new("seeds/page.meta.yaml")
        );
        assert_eq!(seed_stem("000_ab.meta.yaml"), Some("000_ab"));
        assert_eq!(seed_stem(".meta.yaml"), None);
        assert_eq!(seed_stem("a.yaml"), None);
    }
}
