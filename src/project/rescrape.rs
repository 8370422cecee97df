//! rescrape: which of several seeds of one page is its newest scrape.
//!
//! Seeds whose `url` is the same page (compared as
//! [`content::url_key`] compares addresses: the scheme, `www.`, the
//! host's case, a trailing `/` and the fragment do not count) are scrapes
//! of one article — unless the address is a site's home page, where some
//! sites point every page's canonical link. The newest makes the article; the others make none.
//! Newer is decided from what the seeds and their sidecars say, never from
//! file times (which git does not keep), step by step:
//!
//! 1. the later last change: `modified`, or `published` for a seed that
//!    gives no `modified`;
//! 2. the later `published`;
//! 3. the later `scraped` (a sidecar key: when the scraper fetched the
//!    page);
//!
//! at each step a seed that gives a time is newer than one that gives
//! none, and times without an offset are taken as UTC. When no step tells
//! two seeds apart, the one whose file name sorts last is the newer, and
//! that is worth a warning ([`Why::Name`]) unless their bytes are the
//! same.
//!
//! Pure: what each seed says in, groups out; [`crate::project`] applies
//! them when it cleans.

use crate::content::{self, Stamp};
use jiff::Timestamp;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// What one seed says about when it was made.
#[derive(Clone, Debug, Default)]
pub struct Scrape<'a> {
    /// The seed's file name.
    pub name: &'a str,
    /// Its `url` (the sidecar's, else the page's).
    pub url: Option<&'a str>,
    pub modified: Option<Stamp>,
    pub published: Option<Stamp>,
    /// The sidecar's `scraped`.
    pub scraped: Option<Stamp>,
    /// SHA-256 of its bytes.
    pub sha256: &'a str,
}

/// What tells an older scrape from a newer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Step 1: a later `modified` (or `published`, for a seed without one).
    Changed,
    /// Step 2: a later `published`.
    Published,
    /// Step 3: a later sidecar `scraped`.
    Scraped,
    /// Nothing but the file names: the newer sorts last.
    Name,
}

impl Why {
    /// Why the newer one wins, in words.
    pub fn words(self) -> &'static str {
        match self {
            Why::Changed => "changed later, by `modified` or `published`",
            Why::Published => "published later",
            Why::Scraped => "scraped later, by its sidecar's `scraped`",
            Why::Name => "its file name sorts last, and nothing else tells them apart",
        }
    }
}

type Key = [Option<Timestamp>; 3];

fn key(s: &Scrape) -> Key {
    let at = |t: Option<Stamp>| t.and_then(|t| t.instant());
    [
        at(s.modified.or(s.published)),
        at(s.published),
        at(s.scraped),
    ]
}

/// Which of two scrapes is the newer: `Greater` when `a` is.
pub fn newer(a: &Scrape, b: &Scrape) -> Ordering {
    key(a).cmp(&key(b)).then_with(|| a.name.cmp(b.name))
}

/// What tells `older` from `newer` (the first step where they differ).
pub fn why(older: &Scrape, newer: &Scrape) -> Why {
    let (a, b) = (key(older), key(newer));
    match (0..3).find(|&i| a[i] != b[i]) {
        Some(0) => Why::Changed,
        Some(1) => Why::Published,
        Some(_) => Why::Scraped,
        None => Why::Name,
    }
}

/// The seeds that are scrapes of one page, as indices into `scrapes`,
/// oldest first (the last is the newest, the one that makes the article);
/// only pages with two seeds or more, in the order of their newest seed's
/// index.
pub fn groups(scrapes: &[Scrape]) -> Vec<Vec<usize>> {
    let mut by_url: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in scrapes.iter().enumerate() {
        // (a site's home page is no article's address: pages whose
        // canonical link points there are not one page)
        if let Some(k) = s.url.and_then(content::url_key).filter(|k| k.contains('/')) {
            by_url.entry(k).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = by_url
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by(|&a, &b| newer(&scrapes[a], &scrapes[b]));
            g
        })
        .collect();
    out.sort_by_key(|g| *g.last().expect("two or more"));
    out
}

/// The older seeds of a group that nothing but the file name tells from
/// the newest, and whose bytes differ from it: which of them is the
/// article cannot be known.
pub fn undecided(scrapes: &[Scrape], group: &[usize]) -> Vec<usize> {
    let Some((&newest, older)) = group.split_last() else {
        return Vec::new();
    };
    let n = &scrapes[newest];
    older
        .iter()
        .copied()
        .filter(|&i| {
            let s = &scrapes[i];
            why(s, n) == Why::Name && s.sha256 != n.sha256
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<Stamp> {
        Some(Stamp::parse(s).unwrap())
    }

    fn scrape<'a>(name: &'a str, url: &'a str) -> Scrape<'a> {
        Scrape {
            name,
            url: Some(url),
            sha256: name,
            ..Scrape::default()
        }
    }

    #[test]
    fn pages_group_by_their_normalised_address() {
        let s = [
            scrape("a.txt", "https://www.news.example/story/"),
            scrape("b.txt", "https://other.example/x"),
            scrape("c.html", "http://news.example/story#comments"),
            Scrape {
                url: None,
                ..scrape("d.txt", "")
            },
            scrape("e.txt", "https://news.example/story?page=2"),
            // a home page is no article's address
            scrape("f.txt", "https://news.example/"),
            scrape("g.txt", "https://www.news.example"),
        ];
        assert_eq!(groups(&s), vec![vec![0, 2]]);
    }

    #[test]
    fn the_later_change_wins_then_publication_then_scrape() {
        let mut old = scrape("z-old.txt", "https://n.example/a");
        let mut new = scrape("a-new.txt", "https://n.example/a");
        old.published = t("2024-12-06T10:00:00+01:00");
        new.published = old.published;
        new.modified = t("2024-12-06T12:00:00+01:00");
        assert_eq!(groups(&[old.clone(), new.clone()]), vec![vec![0, 1]]);
        assert_eq!(why(&old, &new), Why::Changed);
        // a later publication beats an earlier modification of the other
        let mut later = scrape("0.txt", "https://n.example/a");
        later.published = t("2024-12-07T08:00:00Z");
        assert_eq!(newer(&later, &new), Ordering::Greater);
        assert_eq!(why(&new, &later), Why::Changed);
        // the same change, publication decides
        let mut a = scrape("b.txt", "https://n.example/a");
        let mut b = scrape("a.txt", "https://n.example/a");
        a.modified = t("2024-12-06T12:00:00Z");
        b.modified = a.modified;
        a.published = t("2024-12-06T09:00:00Z");
        b.published = t("2024-12-06T10:00:00Z");
        assert_eq!(newer(&b, &a), Ordering::Greater);
        assert_eq!(why(&a, &b), Why::Published);
        // nothing from the page: the scraper's time
        let mut a = scrape("b.txt", "https://n.example/a");
        let mut b = scrape("a.txt", "https://n.example/a");
        a.scraped = t("2024-12-06T09:00:00Z");
        b.scraped = t("2024-12-08T09:00:00Z");
        assert_eq!(groups(&[b.clone(), a.clone()]), vec![vec![1, 0]]);
        assert_eq!(why(&a, &b), Why::Scraped);
        assert!(undecided(&[b, a], &[1, 0]).is_empty());
    }

    #[test]
    fn offsets_count_and_a_time_beats_none() {
        let mut a = scrape("a.txt", "https://n.example/a");
        let mut b = scrape("b.txt", "https://n.example/a");
        // 12:00+03:00 is 09:00Z, before 10:00Z
        a.modified = t("2024-12-06T12:00:00+03:00");
        b.modified = t("2024-12-06T10:00:00Z");
        assert_eq!(newer(&b, &a), Ordering::Greater);
        let c = scrape("c.txt", "https://n.example/a");
        assert_eq!(newer(&a, &c), Ordering::Greater, "a time beats none");
    }

    #[test]
    fn only_the_file_name_left_is_undecided_unless_the_bytes_agree() {
        let a = scrape("001.txt", "https://n.example/a");
        let b = scrape("002.txt", "https://n.example/a");
        let s = [b.clone(), a.clone()];
        let g = groups(&s);
        assert_eq!(g, vec![vec![1, 0]], "the name that sorts last is newest");
        assert_eq!(why(&a, &b), Why::Name);
        assert_eq!(undecided(&s, &g[0]), vec![1]);
        let same = [
            Scrape {
                sha256: "x",
                ..a.clone()
            },
            Scrape { sha256: "x", ..b },
        ];
        assert!(undecided(&same, &groups(&same)[0]).is_empty());
    }

    #[test]
    fn the_order_does_not_depend_on_the_listing() {
        let mut s: Vec<Scrape> = (0..5)
            .map(|i| {
                let mut x = scrape(["c", "a", "e", "b", "d"][i], "https://n.example/a");
                if i % 2 == 0 {
                    x.published = t(&format!("2024-12-0{}T00:00:00Z", i + 1));
                }
                x
            })
            .collect();
        let names = |s: &[Scrape]| -> Vec<String> {
            groups(s)[0]
                .iter()
                .map(|&i| s[i].name.to_string())
                .collect()
        };
        let first = names(&s);
        s.reverse();
        assert_eq!(names(&s), first);
        assert_eq!(first, ["a", "b", "c", "e", "d"]);
    }
}
