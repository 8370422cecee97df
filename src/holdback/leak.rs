//! The leak check: proof that a public build shows nothing it held back.
//!
//! Every held-back item leaves *needles* ([`Item`]): the page path of an
//! article (`articles/<slug>/`), the ids and tag pages of annotations
//! (`id="a-<id>"`, `annotations/tags/<tag>/`), and distinctive runs of its
//! text — its title and its longest sentences ([`sentences`]), taken
//! only from characters that no escaping changes (no `&<>"'/\=` or
//! backticks), so a run reads the same in HTML, XML, JSON and JavaScript.
//! A [`Checker`] keeps the needles that cannot occur in a public build
//! by right: text that public inputs also hold (two wire stories share a
//! paragraph), ids or tags a public annotation also has. Every output file is
//! then scanned once, all needles at once (Aho–Corasick, [`Scan`]), and
//! any hit fails the build, naming the output file and the item.

use aho_corasick::AhoCorasick;
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Shortest run of text taken as a sentence: long enough not to occur
/// by chance.
const MIN_SENTENCE: usize = 24;
/// Spaces a sentence must hold (five words).
const MIN_SPACES: usize = 4;
/// Shortest title phrase (titles are short, and checked against every
/// public input).
const MIN_TITLE: usize = 16;
const MIN_TITLE_SPACES: usize = 2;
/// Sentences kept per text.
pub const SENTENCES: usize = 3;

/// One held-back item and what of it would show in a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    /// What it is, for messages: ``the draft article `x` (content/x.md)``.
    pub what: String,
    /// Paths of its pages (`articles/x/`): nothing public links there.
    pub marks: Vec<String>,
    /// Its title and sentences: checked unless public inputs hold them.
    pub text: Vec<String>,
    /// Its annotation ids: checked unless a public annotation has one too.
    pub ids: Vec<String>,
    /// Its annotation tags: checked unless a public annotation has one too.
    pub tags: Vec<String>,
}

/// Whether `c` reads the same in every output format (HTML text and
/// attributes, XML, JSON, a JavaScript string).
fn plain_char(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '&' | '<' | '>' | '"' | '\'' | '`' | '\\' | '/' | '='))
}

/// The runs of [`plain_char`]s of `text` with single spaces, trimmed.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !plain_char(c))
        .flat_map(|r| r.split("  "))
        .map(str::trim)
        .filter(|r| !r.is_empty())
}

/// The longest runs of plain text in the Markdown `md` (each within one
/// text of the Markdown: markup and line breaks end a run) that are long
/// enough to be distinctive: at most `max`, longest first.
pub fn sentences(md: &str, max: usize) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    let mut found: Vec<&str> = Vec::new();
    let texts: Vec<pulldown_cmark::CowStr> = Parser::new_ext(md, crate::markdown::options())
        .filter_map(|ev| match ev {
            Event::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    for t in &texts {
        for line in t.lines() {
            found.extend(
                runs(line)
                    .filter(|r| r.len() >= MIN_SENTENCE && r.matches(' ').count() >= MIN_SPACES),
            );
        }
    }
    found.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    found.dedup();
    found.into_iter().take(max).map(str::to_string).collect()
}

/// The longest plain run of a title, if long enough to be distinctive.
pub fn title_phrase(title: &str) -> Option<String> {
    runs(title)
        .filter(|r| r.len() >= MIN_TITLE && r.matches(' ').count() >= MIN_TITLE_SPACES)
        .max_by_key(|r| r.len())
        .map(str::to_string)
}

/// What a needle is of its item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Page,
    Text,
    Id,
    Tag,
}

/// The needles of every held-back item, ready to scan outputs with.
pub struct Checker {
    ac: Option<AhoCorasick>,
    /// Why the needles' automaton could not be built (then every scan
    /// fails: a check that cannot run must not pass).
    unbuilt: Option<String>,
    /// For each needle: its item, what it is, and the needle.
    needles: Vec<(usize, Kind, String)>,
    /// Each item's description.
    items: Vec<String>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("items", &self.items.len())
            .field("needles", &self.needles.len())
            .finish()
    }
}

impl Checker {
    /// The needles of `held`, less those public material may show by
    /// right: text occurring in any of `public_texts` (the public inputs),
    /// ids and tags in `public_ids` and `public_tags`.
    pub fn new(
        held: &[Item],
        public_texts: &[&str],
        public_ids: &HashSet<&str>,
        public_tags: &HashSet<&str>,
    ) -> Checker {
        use rayon::prelude::*;
        // text also in public inputs is not held back (one pass over them)
        let candidates: Vec<&str> = {
            let mut v: Vec<&str> = held
                .iter()
                .flat_map(|i| i.text.iter().map(String::as_str))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let public: Vec<AtomicBool> = candidates.iter().map(|_| AtomicBool::new(false)).collect();
        if let Ok(ac) = AhoCorasick::new(&candidates)
            && !candidates.is_empty()
        {
            public_texts.par_iter().for_each(|t| {
                for m in ac.find_overlapping_iter(*t) {
                    public[m.pattern().as_usize()].store(true, Ordering::Relaxed);
                }
            });
        }
        let is_public = |s: &str| {
            candidates
                .binary_search(&s)
                .is_ok_and(|i| public[i].load(Ordering::Relaxed))
        };
        let mut needles = Vec::new();
        for (n, item) in held.iter().enumerate() {
            needles.extend(item.marks.iter().map(|m| (n, Kind::Page, m.clone())));
            needles.extend(
                item.text
                    .iter()
                    .filter(|t| !is_public(t))
                    .map(|t| (n, Kind::Text, t.clone())),
            );
            for id in item.ids.iter().filter(|i| !public_ids.contains(i.as_str())) {
                // the passage's anchor, links to it, the sidenote's
                // marker, and the highlight's annotation attribute
                for form in [
                    format!("\"a-{id}\""),
                    format!("#a-{id}\""),
                    format!("data-ann=\"{id}\""),
                ] {
                    needles.push((n, Kind::Id, form));
                }
            }
            for tag in item
                .tags
                .iter()
                .filter(|t| !public_tags.contains(t.as_str()))
            {
                needles.push((n, Kind::Tag, format!("annotations/tags/{tag}/")));
            }
        }
        let (ac, unbuilt) = if needles.is_empty() {
            (None, None)
        } else {
            match AhoCorasick::new(needles.iter().map(|(_, _, s)| s.as_str())) {
                Ok(ac) => (Some(ac), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        Checker {
            ac,
            unbuilt,
            needles,
            items: held.iter().map(|i| i.what.clone()).collect(),
        }
    }

    /// How many needles it looks for.
    pub fn len(&self) -> usize {
        self.needles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// The needles found in `bytes`: the first of each item, by needle
    /// index.
    fn find(&self, bytes: &[u8]) -> Vec<usize> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut first: BTreeMap<usize, usize> = BTreeMap::new();
        for m in ac.find_overlapping_iter(bytes) {
            let p = m.pattern().as_usize();
            first.entry(self.needles[p].0).or_insert(p);
        }
        first.into_values().collect()
    }
}

/// A scan of a build's output files, file by file from any thread.
pub struct Scan<'a> {
    checker: &'a Checker,
    /// Per needle found: the output files holding it.
    hits: Mutex<BTreeMap<usize, Vec<String>>>,
    /// Time spent scanning, summed over threads (ns).
    nanos: AtomicU64,
    bytes: AtomicU64,
}

impl<'a> Scan<'a> {
    pub fn new(checker: &'a Checker) -> Scan<'a> {
        Scan {
            checker,
            hits: Mutex::new(BTreeMap::new()),
            nanos: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Scan one output file (`path`: its site path).
    pub fn file(&self, path: &str, bytes: &[u8]) {
        let start = std::time::Instant::now();
        let mut found = self.checker.find(bytes);
        // the search index's documents are compressed: their text too
        if let Some(text) = crate::link::search::docs_text(bytes) {
            found.extend(self.checker.find(&text));
            found.sort_unstable();
            found.dedup();
        }
        if !found.is_empty() {
            let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
            for p in found {
                hits.entry(p).or_default().push(path.to_string());
            }
        }
        self.nanos
            .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    }

    /// CPU time spent scanning so far, and the bytes scanned.
    pub fn cost(&self) -> (std::time::Duration, u64) {
        (
            std::time::Duration::from_nanos(self.nanos.load(Ordering::Relaxed)),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// One error per held-back item found, at the first output file
    /// holding it (`dir`: how to show the output directory, e.g. `site`),
    /// the others in a note.
    pub fn problems(&self, dir: &str) -> crate::diag::Problems {
        if let Some(why) = &self.checker.unbuilt {
            return crate::diag::Problems::from(
                crate::diag::Problem::file(
                    if dir.is_empty() { "." } else { dir },
                    format!(
                        "the leak check could not search the output for {} held-back item(s): {why}",
                        self.checker.items.len()
                    ),
                )
                .with_help("nothing was published; report this, or build with `--profile internal` for a private preview"),
            );
        }
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // by item, each with its first needle found and every file
        let mut by_item: BTreeMap<usize, (usize, Vec<String>)> = BTreeMap::new();
        for (&p, files) in hits.iter() {
            let e = by_item
                .entry(self.checker.needles[p].0)
                .or_insert((p, Vec::new()));
            e.1.extend(files.iter().cloned());
        }
        let mut out = crate::diag::Problems::default();
        for (item, (p, mut files)) in by_item {
            files.sort();
            files.dedup();
            let (_, kind, needle) = &self.checker.needles[p];
            let shown = |f: &str| {
                if dir.is_empty() {
                    f.to_string()
                } else {
                    format!("{dir}/{f}")
                }
            };
            let what = match kind {
                Kind::Page => format!("a link to its page `{needle}`"),
                Kind::Text => format!("its text “{}”", crate::diag::fit(needle, 80)),
                Kind::Id => format!("its annotation id ({needle})"),
                Kind::Tag => format!("its tag page `{needle}`"),
            };
            let mut p = crate::diag::Problem::file(
                shown(&files[0]),
                format!(
                    "a public build must not show {}, but this file holds {what}",
                    self.checker.items[item]
                ),
            )
            .with_help(
                "something printed held-back material into the site — a project template, a file in static/, or public text copying it: remove it there (`briefing build --profile internal` shows held-back material, marked, for a private preview)",
            );
            if files.len() > 1 {
                let more: Vec<String> = files[1..].iter().map(|f| shown(f)).collect();
                p.note = Some(format!("also in {}", crate::diag::some_of(&more, 3)));
            }
            out.push(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_long_plain_runs_within_one_text() {
        let md = "Short one.\n\nThe deputy minister said the deal was off on Monday night in Minsk, **twice**.\n\nA link [to the other long sentence of this text here](http://x) ends a run.\n";
        assert_eq!(
            sentences(md, 3),
            [
                "The deputy minister said the deal was off on Monday night in Minsk,",
                "to the other long sentence of this text here",
            ]
        );
        assert_eq!(sentences(md, 1).len(), 1);
        // quotes and slashes end a run: they are escaped in some outputs
        assert_eq!(
            sentences(
                "He said \"we will not sign this agreement today\" / and left.",
                3
            ),
            ["we will not sign this agreement today"]
        );
        assert!(sentences("too short to count", 3).is_empty());
    }

    #[test]
    fn titles_keep_their_longest_plain_phrase() {
        assert_eq!(
            title_phrase("Russia 'to fire its hypersonic Oreshnik missiles from Belarus'")
                .as_deref(),
            Some("to fire its hypersonic Oreshnik missiles from Belarus")
        );
        assert_eq!(title_phrase("Alpha report"), None);
    }

    fn item(what: &str, text: &[&str], ids: &[&str]) -> Item {
        Item {
            what: what.into(),
            marks: vec![format!("articles/{what}/")],
            text: text.iter().map(|s| s.to_string()).collect(),
            ids: ids.iter().map(|s| s.to_string()).collect(),
            tags: vec!["internal".into()],
        }
    }

    #[test]
    fn public_text_and_ids_are_not_needles_and_hits_name_file_and_item() {
        let held = [
            item(
                "secret",
                &[
                    "the plan was agreed in Minsk on Monday",
                    "a wire paragraph both stories carry",
                ],
                &["x", "source"],
            ),
            item("other", &["nothing of this reaches the site"], &[]),
        ];
        let public = ["Public story: a wire paragraph both stories carry, verbatim."];
        let ids: HashSet<&str> = ["x"].into();
        let c = Checker::new(&held, &public, &ids, &HashSet::new());
        let needles: Vec<&str> = c.needles.iter().map(|(_, _, s)| s.as_str()).collect();
        assert!(!needles.contains(&"a wire paragraph both stories carry"));
        assert!(!needles.iter().any(|n| n.contains("a-x\"")));
        assert!(needles.contains(&"\"a-source\""));
        let scan = Scan::new(&c);
        scan.file(
            "index.html",
            b"<p>a wire paragraph both stories carry</p> <a id=\"a-x\">",
        );
        scan.file(
            "feed.xml",
            b"<title>the plan was agreed in Minsk on Monday</title><a href=\"articles/secret/\">",
        );
        scan.file("articles/b/index.html", b"<mark id=\"a-source\">");
        let p = scan.problems("site");
        assert_eq!(p.len(), 1, "{p}");
        let p = &p.0[0];
        assert_eq!(p.file, "site/articles/b/index.html");
        assert!(p.message.contains("secret"), "{}", p.message);
        assert_eq!(p.note.as_deref(), Some("also in site/feed.xml"));
        assert!(scan.cost().1 > 0);
    }

    #[test]
    fn the_search_index_compressed_documents_are_read() {
        let held = [item(
            "secret",
            &["the plan was agreed in Minsk on Monday"],
            &[],
        )];
        let c = Checker::new(&held, &[], &HashSet::new(), &HashSet::new());
        let record = crate::link::search::Record {
            path: "articles/a/index.html".into(),
            title: "A".into(),
            text: "words".into(),
            excerpt: "So the plan was agreed in Minsk on Monday, it said.".into(),
            ..Default::default()
        };
        let scan = Scan::new(&c);
        for (path, bytes) in crate::link::search::build(&[record]) {
            assert!(!bytes.windows(6).any(|w| w == b"Monday"), "{path}: plain");
            scan.file(&path, &bytes);
        }
        let p = scan.problems("site");
        assert_eq!(p.len(), 1, "{p}");
        assert_eq!(p.0[0].file, "site/search/docs/0.js");
    }
}
