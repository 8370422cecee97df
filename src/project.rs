//! project: the briefing on disk — finding and reading its inputs, and the
//! one place that writes outside `site/`: `content/` files made by `clean`.
//!
//! This is the I/O edge on the input side. It reads files into typed
//! [`Inputs`] for the pure stages, and applies the no-data-loss rules when
//! writing cleaned articles: a content file edited by hand after it was
//! cleaned is never overwritten (unless forced, and then a backup is kept),
//! and every write is atomic.

use crate::annotate::AnnotationSource;
use crate::assembled::SourceView;
use crate::clean::{self, CleanError, Cleaned};
use crate::config::Config;
use crate::content;
use crate::diag::{Problem, Problems};
use crate::fsutil;
use crate::model::Slug;
use crate::sidecar::{self, Sidecar};
use crate::theme::Theme;

pub mod listing;
pub mod rescrape;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the clean step remembers what it wrote (committed with the
/// project, so a fresh clone knows which content files are untouched).
pub const STATE_DIR: &str = ".briefing";
const MANIFEST: &str = ".briefing/clean.json";
/// Modification times closer than this to "now" may be shared by a later
/// change (coarse file-system clocks tick every 1–10 ms).
pub const RACY: std::time::Duration = std::time::Duration::from_millis(30);
/// What the last successful build read and wrote (see [`BuildStamp`]).
const BUILD_STAMP: &str = ".briefing/build.json";
/// Every input a build reads. A new kind of input must be added here, or a
/// change to it would not trigger a rebuild (see [`Project::fingerprint`]).
const INPUT_FILES: [&str; 4] = [
    "briefing.toml",
    "entities.yaml",
    crate::link::outlets::FILE,
    MANIFEST,
];
/// The input directories, each with what it holds (in words, for
/// diagnostics).
pub const INPUT_DIRS: [(&str, &str); 6] = [
    ("content", "the articles"),
    ("annotations", "the annotations"),
    ("seeds", "the saved pages"),
    ("templates", "the theme's templates"),
    ("static", "the theme's static files"),
    (crate::editions::DIR, "the recorded editions"),
];

/// A briefing project rooted at a directory.
#[derive(Clone, Debug)]
pub struct Project {
    pub root: PathBuf,
}

/// Every input of a build, read from disk.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub config: Config,
    /// `(project-relative name, text)` of each `content/*.md` except
    /// `_briefing.md`, sorted by name.
    pub articles: Vec<(String, Arc<str>)>,
    pub summary: Option<(String, Arc<str>)>,
    pub annotations: Vec<AnnotationSource>,
    pub entities: Option<(String, Arc<str>)>,
    /// `sources.yaml`, the outlet registry, when there is one.
    pub outlets: Option<(String, Arc<str>)>,
    pub sources: BTreeMap<String, SourceView>,
    pub theme: Theme,
    /// Anchoring results of earlier builds (a live session's).
    pub anchor_cache: Option<Arc<crate::annotate::AnchorCache>>,
    /// The annotation files' views of earlier builds (a live session's).
    pub view_cache: Option<Arc<crate::holdback::ViewCache>>,
    /// What the build holds back (by default: a public build at the
    /// beginning of time, which lifts no embargo; callers set the time).
    pub policy: crate::holdback::Policy,
    /// Warnings found while loading (unknown keys in `briefing.toml`).
    pub warnings: Problems,
    /// The editions recorded in `editions/`, oldest first.
    pub editions: Arc<crate::editions::History>,
}

/// What `clean` did with one seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CleanAction {
    Written {
        content: String,
    },
    Unchanged {
        content: String,
    },
    /// Not overwritten: the content file was edited by hand.
    Protected {
        content: String,
    },
    /// Overwritten with `--force`; the old file was kept at `backup`.
    Forced {
        content: String,
        backup: String,
    },
    /// Not cleaned: an older scrape of the page seed `by` is a newer scrape
    /// of (the same `url`, see [`rescrape`]); `content` is cleaned from
    /// `by`.
    Superseded {
        content: String,
        by: String,
        why: rescrape::Why,
    },
}

/// A seed cleaned (its sidecar laid over it), with the hash of its bytes.
#[derive(Clone, Debug)]
pub struct CleanedSeed {
    pub cleaned: Cleaned,
    /// SHA-256 of the seed's bytes, lowercase hex (`seed_sha256`).
    pub sha256: String,
    /// When the scraper fetched it (its sidecar's `scraped`).
    pub scraped: Option<content::Stamp>,
}

/// Whether a file in `seeds/` is a seed (`*.txt`, `*.html`, `*.htm`, any
/// case); a sidecar (`*.meta.yaml`) is not.
pub fn is_seed_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".txt") || n.ends_with(".html") || n.ends_with(".htm")
}

/// The outcome of cleaning the seeds.
#[derive(Debug, Default)]
pub struct CleanOutcome {
    /// Seed name → action.
    pub actions: Vec<(String, CleanAction)>,
    /// Seed name → cleaning result (for provenance pages and `--explain`).
    pub cleaned: BTreeMap<String, Cleaned>,
    pub problems: Problems,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Manifest {
    seeds: BTreeMap<String, ManifestEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ManifestEntry {
    /// Project-relative content file written for this seed.
    content: String,
    /// blake3 of the bytes last written there.
    content_hash: String,
    /// For an older scrape: the newer seed of its page it was cleaned
    /// from (while that seed fails to clean, this one waits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    via: Option<String>,
    /// For a page with several scrapes: its address as compared
    /// ([`content::url_key`]). A seed whose `url` is no longer that page's
    /// has no claim to the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<String>,
}

/// What the last successful, warning-free build read and wrote, so that a
/// build with nothing changed can stop after one `stat` per input instead
/// of cleaning, parsing and rendering everything again.
///
/// The outputs are not looked at one by one (at 100,000 articles that is
/// 118,000 more `stat`s, more than the whole rest of the check): what
/// proves the site is the one this build left is the output directory's
/// [`fsutil::DirMark`] — the same directory (every build puts a new one in
/// place, so another build's site, or a site removed and made again, is
/// another directory) and no entry of it created, removed or renamed
/// since (the live preview's updates in place go through a staging
/// directory made in it, which moves its modification time on). A page
/// edited or deleted by hand below the top of the site is not noticed:
/// remove the site (or `.briefing/build.json`) to have it made again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildStamp {
    /// [`Project::fingerprint`] of the inputs the build read.
    pub inputs: String,
    /// The output directory.
    pub out: PathBuf,
    pub articles: usize,
    /// How many files the build wrote.
    pub pages: usize,
    /// The output directory as the build left it ([`settled_mark`]);
    /// `None`: unknown, the stamp matches nothing.
    pub site: Option<fsutil::DirMark>,
    /// When an embargo ends (seconds since the epoch): from then on the
    /// same inputs build another site, so the stamp is no longer current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

impl BuildStamp {
    /// The stamp of a build that wrote `pages` files into `out`, after it
    /// put them in place (the mark of `out` is taken now).
    pub fn new(inputs: String, out: &Path, articles: usize, pages: usize) -> BuildStamp {
        BuildStamp {
            inputs,
            out: out.to_path_buf(),
            articles,
            pages,
            site: settled_mark(out),
            until: None,
        }
    }

    /// Whether a build with inputs `fingerprint` into `out` would change
    /// nothing: same inputs, and the output directory as that build left
    /// it.
    pub fn is_current(&self, fingerprint: &str, out: &Path) -> bool {
        self.inputs == fingerprint
            && self.out == out
            && self.site.is_some()
            && self.site == fsutil::dir_mark(out)
    }
}

/// What a stamp remembers of a file: its length and modification time (ns
/// since the epoch).
pub use crate::fsutil::Stat as FileMeta;

/// An input file (relative to its directory) and its [`FileMeta`] (`None`:
/// it could not be read).
type InputStat = (String, Option<FileMeta>);

/// How long after a modification time another change may still get the
/// same one (ns): [`RACY`]; on a file system that keeps whole seconds (FAT,
/// some network file systems: a time with no nanoseconds), two seconds.
fn racy_window(mtime: u128) -> u128 {
    if mtime.is_multiple_of(1_000_000_000) {
        2_000_000_000
    } else {
        RACY.as_nanos()
    }
}

fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// The [`fsutil::DirMark`] of the output directory `out` once no later
/// change can share its modification time: when the mark is too recent
/// ([`racy_window`]), this waits for the clock to move on and takes it
/// again (an update in place after that moves the time on); `None` when
/// it is still changing.
fn settled_mark(out: &Path) -> Option<fsutil::DirMark> {
    let mark = fsutil::dir_mark(out)?;
    let (mtime, now) = (u128::from(mark.mtime), now_ns());
    let window = racy_window(mtime);
    if mtime + window <= now {
        return Some(mark);
    }
    let wait = (mtime + window - now).min(window);
    std::thread::sleep(std::time::Duration::from_nanos(wait as u64 + 1_000_000));
    fsutil::dir_mark(out).filter(|m| u128::from(m.mtime) + racy_window(m.mtime.into()) <= now_ns())
}

/// Feed each file's name (relative to `base`) and [`FileMeta`] (not its
/// bytes) to `h`, in order; the `stat` calls run in parallel, relative to
/// `base` opened once ([`fsutil::stat_all`]). Returns the newest
/// modification time (ns since the epoch; 0 when unknown).
fn hash_files(h: &mut blake3::Hasher, base: &Path, rels: &[String]) -> u128 {
    let metas = fsutil::stat_all(base, rels);
    let mut newest = 0;
    let mut buf = Vec::new();
    for (rel, meta) in rels.iter().zip(metas) {
        push_meta(&mut buf, "", rel, meta);
        newest = newest.max(meta.map_or(0, |m| m.mtime));
    }
    h.update(&buf);
    newest
}

/// What the fingerprint takes of one file: its path (`dir/rel`, or `rel`
/// when `dir` is empty), length, modification and status change times and
/// inode number, appended to `buf` (hashed in one piece: blake3 is fastest
/// over long inputs). The device is left out: it may be numbered anew at
/// the next boot.
fn push_meta(buf: &mut Vec<u8>, dir: &str, rel: &str, meta: Option<FileMeta>) {
    if !dir.is_empty() {
        buf.extend_from_slice(dir.as_bytes());
        buf.push(b'/');
    }
    buf.extend_from_slice(rel.as_bytes());
    buf.push(0);
    match meta {
        Some(m) => {
            buf.extend_from_slice(&m.len.to_le_bytes());
            buf.extend_from_slice(&m.mtime.to_le_bytes());
            buf.extend_from_slice(&m.ctime.to_le_bytes());
            buf.extend_from_slice(&m.ino.to_le_bytes());
        }
        None => buf.extend_from_slice(b"missing"),
    }
}

/// How the files of one input directory were found for the fingerprint.
enum Found<'a> {
    /// As the remembered listing says ([`listing::Entry::still_at`]),
    /// each `stat`ed.
    Remembered(&'a listing::Entry<'a>, &'a [Option<FileMeta>]),
    /// Listed again ([`fsutil::stat_tree`]).
    Listed(fsutil::Tree),
    /// Listed the slow way ([`Project::input_stats`]: a link in it).
    Slow(Vec<InputStat>),
}

/// Run `clean` on the seed `rel`; a panic becomes an error naming it.
fn guarded<T>(rel: &str, clean: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, Problem> {
    std::panic::catch_unwind(clean).map_err(|payload| {
        Problem::file(
            rel,
            format!(
                "cleaning this seed failed: internal error ({})",
                crate::diag::panic_message(&*payload)
            ),
        )
        .with_help(
            "this is a bug in briefing, not a mistake in the seed: the seed is skipped and the rest is built; please report it with the seed attached",
        )
    })
}

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn rel(&self, p: &Path) -> String {
        fsutil::display(&self.root, p)
    }

    fn read_text(&self, p: &Path) -> Result<Arc<str>, Problem> {
        let bytes = std::fs::read(p).map_err(|e| Problem::io(self.rel(p), "read", &e))?;
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Arc::from(s)),
            Err(e) => {
                let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned());
                let at = e.utf8_error().valid_up_to();
                Err(
                    Problem::at(self.rel(p), lossy, at, 1, "the file is not valid UTF-8")
                        .with_help("save the file as UTF-8"),
                )
            }
        }
    }

    /// A problem for an input path that cannot be used (see
    /// [`fsutil::list_inputs`]); `holds` says what its directory is for.
    fn input_problem(&self, issue: fsutil::Issue, holds: &str) -> Problem {
        let rel = self.rel(&issue.path);
        let link_help = "briefing reads only files inside the project: point the link at a file inside it, or replace the link with a copy of the file";
        match issue.issue {
            fsutil::InputIssue::NotADirectory => Problem::not_a_directory(rel, holds),
            fsutil::InputIssue::NotAFile => Problem::file(
                rel.clone(),
                format!("{rel} is a directory, but it must be a file"),
            )
            .with_help(format!("move the directory `{rel}` out of the way")),
            fsutil::InputIssue::Outside(target) => Problem::file(
                rel,
                format!(
                    "a symbolic link to `{}`, outside the briefing",
                    target.display()
                ),
            )
            .with_help(link_help),
            fsutil::InputIssue::Dangling(target) => Problem::file(
                rel,
                format!(
                    "a symbolic link to `{}`, which does not exist",
                    target.display()
                ),
            )
            .with_help("fix the link, or delete it"),
            fsutil::InputIssue::Loop => Problem::file(rel, "a loop of symbolic links")
                .with_help("fix the link, or delete it"),
            fsutil::InputIssue::Unreadable(e) => Problem::io(rel, "read", &e),
        }
    }

    /// The files of the input directory `dir` (`content`, …), following
    /// symbolic links that stay in the project, and a problem for every
    /// path in it that cannot be used — none is skipped silently.
    fn input_dir(&self, dir: &str) -> (Vec<PathBuf>, Problems) {
        let (files, issues) = fsutil::list_inputs(&self.root, &self.path(dir));
        let holds = match dir {
            "content" => "the articles",
            "annotations" => "the annotations",
            "seeds" => "the saved pages",
            "templates" => "the theme's templates",
            "static" => "the theme's static files",
            "editions" => "the recorded editions",
            _ => "inputs",
        };
        let problems = issues
            .into_iter()
            .map(|i| self.input_problem(i, holds))
            .collect();
        (files, Problems(problems))
    }

    /// An input file (`briefing.toml`, `entities.yaml`): `None` when there
    /// is none; a problem when it cannot be used (a directory, a link out
    /// of the project or to nothing).
    fn input_file(&self, rel: &str) -> Result<Option<PathBuf>, Problem> {
        fsutil::input_file(&self.root, &self.path(rel)).map_err(|i| self.input_problem(i, rel))
    }

    /// A fingerprint of every input of a build: the names, lengths and
    /// modification times of the files in `content/`, `annotations/`,
    /// `seeds/`, `templates/`, `static/`, of `briefing.toml`,
    /// `entities.yaml` and the clean manifest, of the running binary (it
    /// embeds the default theme), and `key` (the build options). Reads no
    /// file's bytes, so it costs one `stat` per input.
    ///
    /// File systems stamp modification times from a coarse clock, so a file
    /// changed twice within a few milliseconds, keeping its length, could
    /// look unchanged. When an input changed that recently (typically: the
    /// clean step just wrote `content/`), this waits until the clock has
    /// moved on (at most [`RACY`]) and looks again; if inputs keep changing
    /// the fingerprint is made unique, so that it matches nothing later.
    ///
    /// The temporary files of atomic writes that a killed process left in
    /// the input directories are removed on the way (see
    /// [`fsutil::remove_stale_temporaries`]).
    pub fn fingerprint(&self, key: &str) -> String {
        match self.fingerprint_once(key) {
            Ok(f) => f,
            Err(wait) => {
                std::thread::sleep(wait);
                self.fingerprint_once(key)
                    .unwrap_or_else(|_| format!("racy-{}-{}", now_ns(), std::process::id()))
            }
        }
    }

    /// The fingerprint, or how long to wait when an input is too recent.
    fn fingerprint_once(&self, key: &str) -> Result<String, std::time::Duration> {
        let start = now_ns();
        let mut h = blake3::Hasher::new();
        h.update(key.as_bytes());
        h.update(&[0]);
        match std::env::current_exe() {
            Ok(exe) => {
                let meta = std::fs::metadata(exe).ok().map(|m| FileMeta::of(&m));
                let mut buf = Vec::new();
                push_meta(&mut buf, "", "(binary)", meta);
                h.update(&buf);
            }
            Err(_) => {
                h.update(std::process::id().to_le_bytes().as_slice());
            }
        }
        let files: Vec<String> = INPUT_FILES.iter().map(|rel| rel.to_string()).collect();
        let mut newest = hash_files(&mut h, &self.root, &files);
        // the input directories whose directories are as the last
        // fingerprint listed them: their files' `stat`s alone, split
        // between the cores
        let saved = std::fs::read(self.path(listing::FILE)).unwrap_or_default();
        let remembered = listing::decode(&saved).unwrap_or_default();
        let still: Vec<Option<(fsutil::Dir, &listing::Entry)>> = INPUT_DIRS
            .iter()
            .map(|(dir, _)| {
                let entry = remembered.iter().find(|e| e.dir == *dir)?;
                Some((entry.still_at(&self.path(dir))?, entry))
            })
            .collect();
        let jobs: Vec<(&fsutil::Dir, &str)> = still
            .iter()
            .flatten()
            .flat_map(|(d, e)| e.files.iter().map(move |f| (d, *f)))
            .collect();
        let stats = fsutil::stat_files(&jobs);
        let mut rest = stats.as_slice();
        let remembered_stats: Vec<Option<&[Option<FileMeta>]>> = still
            .iter()
            .map(|s| {
                let (_, e) = s.as_ref()?;
                let (mine, others) = rest.split_at(e.files.len());
                rest = others;
                // (a file gone without its directory changing: listed
                // again)
                mine.iter().all(Option::is_some).then_some(mine)
            })
            .collect();
        // the others listed again, side by side
        let found: Vec<Found> = {
            use rayon::prelude::*;
            INPUT_DIRS
                .par_iter()
                .zip(&still)
                .zip(&remembered_stats)
                .map(|(((dir, _), s), stats)| match (s, stats) {
                    (Some((_, entry)), Some(stats)) => Found::Remembered(entry, stats),
                    _ => match fsutil::stat_tree(&self.path(dir)) {
                        Some(tree) => {
                            fsutil::remove_temporaries(&tree.temporaries);
                            Found::Listed(tree)
                        }
                        None => Found::Slow(self.input_stats(dir)),
                    },
                })
                .collect()
        };
        // (hashed a megabyte at a time: blake3 is fast over long inputs,
        // and 200,000 records need not be held at once)
        const PIECE: usize = 1 << 20;
        let mut buf = Vec::with_capacity(PIECE + 4096);
        for ((dir, _), found) in INPUT_DIRS.iter().zip(&found) {
            let mut add = |rel: &str, meta: Option<FileMeta>| {
                push_meta(&mut buf, dir, rel, meta);
                newest = newest.max(meta.map_or(0, |m| m.mtime));
                if buf.len() >= PIECE {
                    h.update(&buf);
                    buf.clear();
                }
            };
            match found {
                Found::Remembered(entry, stats) => {
                    for (rel, meta) in entry.files.iter().zip(stats.iter()) {
                        add(rel, *meta);
                    }
                }
                Found::Listed(tree) => {
                    for (rel, meta) in &tree.files {
                        add(rel, Some(*meta));
                    }
                }
                Found::Slow(files) => {
                    for (rel, meta) in files {
                        add(rel, *meta);
                    }
                }
            }
        }
        h.update(&buf);
        let racy = racy_window(newest);
        if newest + racy > start {
            let wait = (newest + racy).saturating_sub(start).min(racy);
            return Err(std::time::Duration::from_nanos(wait as u64 + 1_000_000));
        }
        self.remember_listing(&remembered, &found, start);
        Ok(h.finalize().to_hex().to_string())
    }

    /// Save the listing of the input directories `found` for the next
    /// fingerprint ([`listing`]) when it is not the one `remembered`: a
    /// directory listed again is remembered unless a change after `start`
    /// (when the listing began) could share one of its directories'
    /// modification times ([`racy_window`]; it is listed again next time),
    /// it holds temporary files (whose writers may end: the next listing
    /// removes them) or it was listed the slow way. Best effort: without it
    /// the next fingerprint lists the directories.
    fn remember_listing(&self, remembered: &[listing::Entry], found: &[Found], start: u128) {
        let settled = |tree: &fsutil::Tree| {
            tree.dirs.iter().all(|(_, st)| {
                // a tool that sets a directory's time back (tar, cp -a,
                // rsync -a) leaves its ctime at the change
                st.mtime + racy_window(st.mtime) <= start
                    && st.ctime + racy_window(st.ctime) <= start
            })
        };
        let mut changed = false;
        let mut entries = Vec::new();
        for ((dir, _), found) in INPUT_DIRS.iter().zip(found) {
            let had = remembered.iter().any(|e| e.dir == *dir);
            match found {
                Found::Remembered(entry, _) => entries.push((*entry).clone()),
                Found::Listed(tree)
                    if tree.temporaries.is_empty() && !tree.dirs.is_empty() && settled(tree) =>
                {
                    changed = true;
                    entries.push(listing::Entry {
                        dir,
                        dirs: tree.dirs.iter().map(|(r, s)| (r.as_str(), *s)).collect(),
                        files: tree.files.iter().map(|(r, _)| r.as_str()).collect(),
                    });
                }
                _ => changed |= had,
            }
        }
        if changed {
            let _ = fsutil::write_atomic(&self.path(listing::FILE), &listing::encode(&entries));
        }
    }

    /// The files `load` reads from the input directory `dir` (relative to
    /// it), each with its [`FileMeta`], listed the same way (links
    /// followed: the metadata is the target's); what it skips (editor swap
    /// files…) cannot change a build. For a directory with a symbolic link
    /// in it, where [`fsutil::stat_tree`] does not give the same files.
    ///
    /// Removes on the way the temporary files of atomic writes that ended
    /// processes left there.
    fn input_stats(&self, dir: &str) -> Vec<InputStat> {
        let path = self.path(dir);
        fsutil::remove_stale_temporaries(&path, true);
        let rels: Vec<String> = fsutil::list_inputs(&self.root, &path)
            .0
            .iter()
            .map(|p| fsutil::display(&path, p))
            .collect();
        let stats = fsutil::stat_all(&path, &rels);
        rels.into_iter().zip(stats).collect()
    }

    /// The stamp of the last successful build, if any.
    pub fn build_stamp(&self) -> Option<BuildStamp> {
        let bytes = std::fs::read(self.path(BUILD_STAMP)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Record a successful build; `None` forgets the last one.
    pub fn save_build_stamp(&self, stamp: Option<&BuildStamp>) -> std::io::Result<()> {
        match stamp {
            Some(s) => {
                let bytes = serde_json::to_vec(s).expect("stamp serializes");
                fsutil::write_if_changed(&self.path(BUILD_STAMP), &bytes).map(|_| ())
            }
            None => match std::fs::remove_file(self.path(BUILD_STAMP)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }

    /// `briefing.toml`, or defaults when there is none.
    pub fn config(&self) -> Result<Config, Problem> {
        self.config_with_warnings().map(|(c, _)| c)
    }

    /// [`Project::config`] and the warnings about it (unknown keys).
    pub fn config_with_warnings(&self) -> Result<(Config, Vec<Problem>), Problem> {
        let Some(p) = self.input_file("briefing.toml")? else {
            return Ok((Config::default(), Vec::new()));
        };
        let text = self.read_text(&p)?;
        Config::parse_with_warnings("briefing.toml", &text)
    }

    /// Seed files (`seeds/*.txt`, `*.html`, `*.htm`), sorted by name.
    /// Sidecars (`*.meta.yaml`) are not seeds.
    pub fn seeds(&self) -> Vec<PathBuf> {
        self.seed_files().0
    }

    /// [`Project::seeds`], and a problem for every path in `seeds/` that
    /// cannot be used (see [`Project::input_dir`]).
    fn seed_files(&self) -> (Vec<PathBuf>, Problems) {
        let (files, problems) = self.input_dir("seeds");
        let seeds = files
            .into_iter()
            .filter(|p| is_seed_name(&p.to_string_lossy()))
            .collect();
        (seeds, problems)
    }

    /// Sidecar files (`seeds/*.meta.yaml`, see [`crate::sidecar`]), sorted
    /// by name.
    pub fn sidecars(&self) -> Vec<PathBuf> {
        self.input_dir("seeds")
            .0
            .into_iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(sidecar::seed_stem)
                    .is_some()
            })
            .collect()
    }

    /// The seeds a sidecar belongs to: those beside it with its stem
    /// (`seeds/x.meta.yaml` → `seeds/x.txt`, `seeds/x.html`), whether or
    /// not the sidecar exists.
    pub fn seeds_of_sidecar(&self, sidecar_path: &Path) -> Vec<PathBuf> {
        let Some(stem) = sidecar_path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(sidecar::seed_stem)
        else {
            return Vec::new();
        };
        let dir = sidecar_path.parent().unwrap_or(Path::new(""));
        ["txt", "html", "htm", "TXT", "HTML", "HTM"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .filter(|p| p.is_file())
            .collect()
    }

    fn load_manifest(&self) -> Manifest {
        std::fs::read(self.path(MANIFEST))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save_manifest(&self, m: &Manifest) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(m).expect("manifest serializes");
        bytes.push(b'\n');
        fsutil::write_if_changed(&self.path(MANIFEST), &bytes).map(|_| ())
    }

    /// Clean one seed into a result or a diagnostic (its sidecar, if
    /// any, laid over it).
    pub fn clean_one(&self, path: &Path) -> Result<Cleaned, Problem> {
        self.clean_seed(path).map(|s| s.cleaned)
    }

    /// Clean one seed: read its bytes, hash them, clean them, and lay its
    /// sidecar (`seeds/<stem>.meta.yaml`, when there is one) over the
    /// result. A sidecar that cannot be read or checked is the seed's
    /// problem: nothing is cleaned with half its metadata.
    pub fn clean_seed(&self, path: &Path) -> Result<CleanedSeed, Problem> {
        let rel = self.rel(path);
        let bytes = std::fs::read(path).map_err(|e| Problem::io(rel.clone(), "read", &e))?;
        let side = self.sidecar_of(path)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // (the seed's hash and head are taken first: its bytes go to the
        // cleaner, which makes them its text without a copy; the head shows
        // where a binary file goes wrong)
        let sha256 = content::sha256_hex(&bytes);
        let head = bytes[..bytes.len().min(4096)].to_vec();
        // A panic while cleaning is a bug, not bad input; it costs this
        // seed, not the build (nor `serve`).
        let mut cleaned = guarded(&rel, || clean::clean_seed_vec(bytes, name))?.map_err(|e| {
            let p = match &e {
                CleanError::Binary { offset, .. } => {
                    let text: Arc<str> = Arc::from(String::from_utf8_lossy(&head).into_owned());
                    let off = (*offset).min(text.len());
                    Problem::at(rel.clone(), text, off, 1, e.to_string())
                }
                _ => Problem::file(rel.clone(), e.to_string()),
            };
            p.with_help(e.help())
        })?;
        let scraped = side.as_ref().and_then(|s| s.scraped);
        if let Some(side) = side {
            side.apply(&mut cleaned);
        }
        Ok(CleanedSeed {
            cleaned,
            sha256,
            scraped,
        })
    }

    /// What cleaning a seed had to change (tags nested too deep, …), as
    /// warnings naming the seed and the line.
    pub fn clean_warnings(&self, path: &Path, cleaned: &Cleaned) -> Vec<Problem> {
        let rel = self.rel(path);
        cleaned
            .warnings
            .iter()
            .map(|w| {
                let mut p = Problem::file(rel.clone(), w.message.clone())
                    .with_help(w.help.clone())
                    .warning();
                (p.line, p.column) = (w.line, 1);
                p
            })
            .collect()
    }

    /// The checked sidecar of a seed, `None` when it has none.
    fn sidecar_of(&self, seed: &Path) -> Result<Option<Sidecar>, Problem> {
        let path = sidecar::path_for(seed);
        if !path.is_file() {
            return Ok(None);
        }
        let text = self.read_text(&path)?;
        sidecar::parse(&self.rel(&path), text).map(Some)
    }

    /// A warning for each sidecar with no seed beside it (a typo in its
    /// name would otherwise lose what it says without a word).
    fn orphan_sidecars(&self) -> Vec<Problem> {
        self.sidecars()
            .into_iter()
            .filter(|p| self.seeds_of_sidecar(p).is_empty())
            .map(|p| {
                let stem = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(sidecar::seed_stem)
                    .unwrap_or("")
                    .to_string();
                Problem::file(self.rel(&p), "this sidecar has no seed beside it")
                    .with_help(format!(
                        "a sidecar is named after its seed: seeds/{stem}.meta.yaml describes seeds/{stem}.txt or seeds/{stem}.html; rename it or remove it"
                    ))
                    .warning()
            })
            .collect()
    }

    /// Clean seeds into `content/`. `only` limits it to some seeds (all
    /// when empty). Never overwrites a hand-edited content file unless
    /// `force`, and then keeps a backup under `.briefing/backup/`.
    pub fn clean(&self, only: &[PathBuf], force: bool) -> CleanOutcome {
        let mut out = CleanOutcome::default();
        let mut manifest = self.load_manifest();
        let (seeds, seed_problems) = self.seed_files();
        out.problems.extend(seed_problems.0);
        // cleaned articles go into content/: a file there is the cause of
        // every write failing, say so once
        if let Some(file) = fsutil::file_in_the_way(&self.path("content")) {
            out.problems
                .push(Problem::not_a_directory(self.rel(&file), "the articles"));
            return out;
        }
        let selected: BTreeSet<PathBuf> = only
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        let known: BTreeSet<PathBuf> = seeds
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        for (arg, canon) in only.iter().zip(&selected) {
            if !known.contains(canon) {
                out.problems.push(
                    Problem::file(arg.to_string_lossy(), "not a seed of this briefing").with_help(
                        "name a file in the project's seeds/ directory (*.txt or *.html)",
                    ),
                );
            }
        }
        if out.problems.has_errors() {
            return out;
        }
        if only.is_empty() {
            out.problems.extend(self.orphan_sidecars());
        }

        // Both maps below read content/, which only a seed the manifest does
        // not know needs: skip that (a read and a YAML parse of every article)
        // when every seed has been cleaned before, e.g. on a rebuild.
        let needs_scan = seeds.iter().any(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !manifest.seeds.contains_key(name.as_ref())
        });
        let content_files = if needs_scan {
            fsutil::list_files(&self.path("content")).unwrap_or_default()
        } else {
            Vec::new()
        };

        // Slugs already used by content files that no seed produced.
        let produced: BTreeSet<String> =
            manifest.seeds.values().map(|e| e.content.clone()).collect();
        let mut taken: BTreeSet<String> = content_files
            .iter()
            .map(|p| self.rel(p))
            .filter(|r| r.ends_with(".md") && !produced.contains(r))
            .collect();

        // Content files that name a seed as their source, for seeds the
        // manifest does not know (a project cloned without it, or written by
        // hand): that file is the seed's article.
        let mut by_source: BTreeMap<String, String> = BTreeMap::new();
        for p in &content_files {
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            let Ok(split) = crate::yaml::split_front_matter(&text) else {
                continue;
            };
            let Some(y) = split.yaml else { continue };
            if let Some(fm) = crate::yaml::from_str_loose::<content::FrontMatter>(y)
                && let Some(src) = fm.source
            {
                by_source.entry(src).or_insert_with(|| self.rel(p));
            }
        }

        // Content file → the seed that owns it in the manifest (kept up to
        // date below), so that choosing a new slug is not quadratic.
        // (an older scrape's entry names its page's file, not its own)
        let mut owner: BTreeMap<String, String> = manifest
            .seeds
            .iter()
            .filter(|(_, e)| e.via.is_none())
            .map(|(s, e)| (e.content.clone(), s.clone()))
            .collect();

        let results: Vec<(PathBuf, Result<CleanedSeed, Problem>)> = {
            use rayon::prelude::*;
            seeds
                .par_iter()
                .map(|p| (p.clone(), self.clean_seed(p)))
                .collect()
        };
        let mut ok: Vec<(PathBuf, String, CleanedSeed)> = Vec::with_capacity(results.len());
        let mut failed: BTreeSet<String> = BTreeSet::new();
        for (path, result) in results {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            match result {
                Ok(c) => {
                    out.problems.extend(self.clean_warnings(&path, &c.cleaned));
                    ok.push((path, name, c));
                }
                Err(p) => {
                    out.problems.push(p);
                    failed.insert(name);
                }
            }
        }
        // Seeds that are scrapes of one page (the same `url`): the newest
        // makes the article, in the file of the oldest that made one (its
        // slug, so annotations and links keep working); the others make none.
        let groups = {
            let stamp = |s: &Option<String>| s.as_deref().and_then(content::Stamp::parse);
            let scrapes: Vec<rescrape::Scrape> = ok
                .iter()
                .map(|(_, name, c)| rescrape::Scrape {
                    name,
                    url: c.cleaned.provenance.url.as_deref(),
                    modified: stamp(&c.cleaned.provenance.modified),
                    published: stamp(&c.cleaned.provenance.published),
                    scraped: c.scraped,
                    sha256: &c.sha256,
                })
                .collect();
            rescrape::groups(&scrapes)
                .into_iter()
                .map(|g| {
                    let newest = *g.last().expect("two or more");
                    let why: Vec<rescrape::Why> = g
                        .iter()
                        .map(|&i| rescrape::why(&scrapes[i], &scrapes[newest]))
                        .collect();
                    let undecided = rescrape::undecided(&scrapes, &g);
                    (g, why, undecided)
                })
                .collect::<Vec<_>>()
        };
        let mut group_of: BTreeMap<usize, usize> = BTreeMap::new();
        for (gi, (g, _, _)) in groups.iter().enumerate() {
            for &i in g {
                group_of.insert(i, gi);
            }
        }
        let mut chosen: Vec<bool> = ok
            .iter()
            .map(|(path, _, _)| {
                selected.is_empty()
                    || selected
                        .contains(&std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
            })
            .collect();
        // (`--force` applies to the seeds named, not to those cleaned
        // with them)
        let named = chosen.clone();
        // (an older scrape cleaned through a chosen seed is cleaned with
        // it: the two may have stopped being one page)
        let through: BTreeSet<&str> = ok
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|((_, n, _), _)| n.as_str())
            .collect();
        for (c, (_, name, _)) in chosen.iter_mut().zip(&ok) {
            let via = manifest.seeds.get(name).and_then(|e| e.via.as_deref());
            *c |= via.is_some_and(|v| through.contains(v));
        }
        // the content file each page's article is in, once decided
        let mut group_file: BTreeMap<usize, String> = BTreeMap::new();

        // Each seed's content file, in seed order (a new slug must differ
        // from those chosen before it) ...
        struct Planned {
            name: String,
            cleaned: Cleaned,
            sha256: String,
            rel_content: String,
            selected: bool,
            /// An older scrape: the newest seed of its page, and why.
            superseded: Option<(String, rescrape::Why)>,
            /// What the manifest says was last written to `rel_content`.
            written: Option<ManifestEntry>,
            /// The page's address, when it has several scrapes.
            page: Option<String>,
            /// Named (or all seeds were): `--force` applies to it.
            named: bool,
        }
        let mut planned = Vec::with_capacity(ok.len());
        let alone: Vec<usize> = Vec::new();
        let seed_names: BTreeSet<String> = seeds
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        // the page each seed is a scrape of
        let keys: Vec<Option<String>> = ok
            .iter()
            .map(|(_, _, c)| {
                c.cleaned
                    .provenance
                    .url
                    .as_deref()
                    .and_then(content::url_key)
            })
            .collect();
        // A seed's manifest entry, unless it was written for another page
        // (its `url` changed since), or, without a page recorded, as an
        // older scrape of a seed that is now another page's.
        let entry_of = |seed: &str, key: Option<&str>, page: &[&str]| {
            manifest.seeds.get(seed).filter(|e| match &e.page {
                Some(k) => Some(k.as_str()) == key,
                None => e.via.as_ref().is_none_or(|v| {
                    !seed_names.contains(v) || page.contains(&v.as_str()) || failed.contains(v)
                }),
            })
        };
        // Whether a seed's page is cleaned from a seed that failed to
        // clean this time: then its older scrapes must not take its place.
        let waits = |seed: &str| {
            manifest
                .seeds
                .get(seed)
                .and_then(|e| e.via.as_ref())
                .is_some_and(|v| failed.contains(v))
        };
        let page_of = |i: usize| -> (Vec<&str>, Option<&str>) {
            match group_of.get(&i) {
                Some(&gi) => {
                    let g = &groups[gi].0;
                    let newest = *g.last().expect("two or more");
                    let names = g.iter().map(|&m| ok[m].1.as_str()).collect();
                    (names, keys[newest].as_deref())
                }
                None => (vec![ok[i].1.as_str()], keys[i].as_deref()),
            }
        };
        // the files seeds have a claim to (a seed whose page changed must
        // not take the file of the page it left)
        let mut claimed: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (j, (_, name, _)) in ok.iter().enumerate() {
            let (names, key) = page_of(j);
            if let Some(e) = entry_of(name, key, &names) {
                claimed
                    .entry(e.content.clone())
                    .or_default()
                    .push(name.as_str());
            }
        }
        for (i, (_, name, _)) in ok.iter().enumerate() {
            let group = group_of.get(&i).map(|&gi| (gi, &groups[gi]));
            let (members, why, undecided) = match group {
                Some((_, (g, why, undecided))) => {
                    (g.as_slice(), why.as_slice(), undecided.as_slice())
                }
                None => (std::slice::from_ref(&i), &[][..], alone.as_slice()),
            };
            let newest = *members.last().expect("one or more");
            let key = keys[newest].as_deref();
            let names: Vec<&str> = members.iter().map(|&m| ok[m].1.as_str()).collect();
            let selected = members.iter().any(|&m| chosen[m]) && !names.iter().any(|m| waits(m));
            // slug: keep the one this seed (or the oldest scrape of its
            // page) had; else derive, unique in seed order
            let decided = group.and_then(|(gi, _)| group_file.get(&gi).cloned());
            let rel_content = match decided {
                Some(rel) => rel,
                None => {
                    // (of the page's scrapes, the oldest's that is there)
                    let files: Vec<&str> = names
                        .iter()
                        .filter_map(|m| entry_of(m, key, &names).map(|e| e.content.as_str()))
                        .collect();
                    let known = files
                        .iter()
                        .find(|f| files.len() == 1 || self.path(f).is_file())
                        .or(files.first())
                        .map(|f| f.to_string())
                        .or_else(|| names.iter().find_map(|m| by_source.get(*m).cloned()));
                    let rel = match known {
                        Some(rel) => rel,
                        None => {
                            let base = Slug::from_title(&ok[newest].2.cleaned.title)
                                .unwrap_or_else(|| Slug::parse("article").expect("valid slug"));
                            let mut n = 1;
                            loop {
                                let slug = if n == 1 {
                                    base.clone()
                                } else {
                                    base.with_suffix(n)
                                };
                                let rel = format!("content/{slug}.md");
                                let owned_by_other = owner
                                    .get(&rel)
                                    .is_some_and(|s| !names.contains(&s.as_str()))
                                    || claimed
                                        .get(&rel)
                                        .is_some_and(|c| c.iter().any(|s| !names.contains(s)));
                                if !taken.contains(&rel) && !owned_by_other {
                                    break rel;
                                }
                                n += 1;
                            }
                        }
                    };
                    if let Some((gi, _)) = group {
                        group_file.insert(gi, rel.clone());
                    }
                    rel
                }
            };
            taken.insert(rel_content.clone());
            owner.insert(rel_content.clone(), name.clone());
            let superseded = (newest != i).then(|| {
                let at = members.iter().position(|&m| m == i).expect("a member");
                (ok[newest].1.clone(), why[at])
            });
            if group.is_some() && selected {
                if newest == i {
                    for &u in undecided {
                        out.problems
                            .push(self.undecided_scrapes(&ok[u].1, name, &ok[i].2.cleaned));
                    }
                }
                // (a page cleaned into two articles before its seeds were
                // known to be one page: the other stays, no longer cleaned)
                if let Some(e) = entry_of(name, key, &names)
                    && e.content != rel_content
                    && self.path(&e.content).is_file()
                {
                    let slug = e
                        .content
                        .trim_start_matches("content/")
                        .trim_end_matches(".md");
                    out.problems.push(
                        Problem::file(
                            e.content.clone(),
                            format!(
                                "cleaned from seeds/{name}, a scrape of the same page as {rel_content}; no longer cleaned"
                            ),
                        )
                        .with_help(format!(
                            "the page's newest scrape is cleaned into {rel_content}; move what names `{slug}` there and remove {}",
                            e.content
                        ))
                        .warning(),
                    );
                }
            }
            let written = std::iter::once(name.as_str())
                .chain(names.iter().copied())
                .filter_map(|m| entry_of(m, key, &names))
                .find(|e| e.content == rel_content)
                .cloned();
            let page = group.and(key).map(str::to_string);
            planned.push((rel_content, selected, superseded, written, page, named[i]));
        }
        let planned: Vec<Planned> = ok
            .into_iter()
            .zip(planned)
            .map(
                |((_, name, seed), (rel_content, selected, superseded, written, page, named))| {
                    Planned {
                        name,
                        cleaned: seed.cleaned,
                        sha256: seed.sha256,
                        rel_content,
                        selected,
                        superseded,
                        written,
                        page,
                        named,
                    }
                },
            )
            .collect();
        // ... then their Markdown, written in parallel (one file each; in
        // order if a damaged manifest gives two seeds the same file) ...
        let write = |p: &Planned| {
            (p.selected && p.superseded.is_none()).then(|| {
                let slug_str = p
                    .rel_content
                    .trim_start_matches("content/")
                    .trim_end_matches(".md");
                let slug = Slug::parse(slug_str)
                    .unwrap_or_else(|_| Slug::parse("article").expect("valid"));
                let text =
                    content::cleaned_to_markdown(&p.cleaned, &slug, &p.name, Some(&p.sha256));
                let action = self.write_content(
                    &p.rel_content,
                    text.as_bytes(),
                    p.written.as_ref(),
                    force && p.named,
                );
                (hash(text.as_bytes()), action)
            })
        };
        let writers = planned.iter().filter(|p| p.superseded.is_none());
        let files: BTreeSet<&str> = writers.clone().map(|p| p.rel_content.as_str()).collect();
        let written: Vec<Option<(String, Result<CleanAction, Problem>)>> =
            if files.len() == writers.count() {
                use rayon::prelude::*;
                planned.par_iter().map(write).collect()
            } else {
                planned.iter().map(write).collect()
            };
        // ... and what was done, in seed order (an older scrape's entry is
        // its page's: what was last written to the file they share).
        let entries: BTreeMap<String, ManifestEntry> = planned
            .iter()
            .zip(&written)
            .filter_map(|(p, w)| match w {
                Some((text_hash, Ok(action))) => {
                    let content_hash = match action {
                        CleanAction::Protected { .. } => p
                            .written
                            .as_ref()
                            .map(|e| e.content_hash.clone())
                            .unwrap_or_default(),
                        _ => text_hash.clone(),
                    };
                    let entry = ManifestEntry {
                        content: p.rel_content.clone(),
                        content_hash,
                        via: None,
                        page: p.page.clone(),
                    };
                    Some((p.name.clone(), entry))
                }
                _ => None,
            })
            .collect();
        for (p, w) in planned.into_iter().zip(written) {
            match (w, &p.superseded) {
                (Some((_, Ok(action))), _) => {
                    manifest
                        .seeds
                        .insert(p.name.clone(), entries[&p.name].clone());
                    out.actions.push((p.name.clone(), action));
                }
                (Some((_, Err(problem))), _) => out.problems.push(problem),
                (None, Some((by, why))) if p.selected => {
                    if let Some(e) = entries.get(by) {
                        let via = Some(by.clone());
                        manifest
                            .seeds
                            .insert(p.name.clone(), ManifestEntry { via, ..e.clone() });
                    }
                    let action = CleanAction::Superseded {
                        content: p.rel_content.clone(),
                        by: by.clone(),
                        why: *why,
                    };
                    out.actions.push((p.name.clone(), action));
                }
                (None, _) => {}
            }
            out.cleaned.insert(p.name, p.cleaned);
        }
        if let Err(e) = self.save_manifest(&manifest) {
            out.problems.push(Problem::io(MANIFEST, "write", &e));
        }
        out
    }

    /// The warning for two scrapes of one page that nothing but their
    /// file names tells apart (`newest`, the one cleaned, sorts last).
    fn undecided_scrapes(&self, older: &str, newest: &str, cleaned: &Cleaned) -> Problem {
        // (a page's own text: no control characters in a diagnostic)
        let url: String = cleaned
            .provenance
            .url
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        Problem::file(
            format!("seeds/{newest}"),
            format!(
                "seeds/{older} and seeds/{newest} are scrapes of the same page ({url}), and nothing says which is newer"
            ),
        )
        .with_help(format!(
            "seeds/{newest} is cleaned, as its file name sorts last; to say which is newer give the newer one's sidecar `scraped:` (when it was fetched, e.g. `scraped: 2024-12-07T09:00:00Z`) or `modified:`, or remove the older seed"
        ))
        .warning()
    }

    fn write_content(
        &self,
        rel: &str,
        bytes: &[u8],
        entry: Option<&ManifestEntry>,
        force: bool,
    ) -> Result<CleanAction, Problem> {
        let path = self.path(rel);
        let io_err = |e: std::io::Error| Problem::io(rel.to_string(), "write", &e);
        let content = rel.to_string();
        match std::fs::read(&path) {
            Err(_) => {
                fsutil::write_atomic(&path, bytes).map_err(io_err)?;
                Ok(CleanAction::Written { content })
            }
            Ok(existing) => {
                let untouched =
                    entry.is_some_and(|e| e.content == rel && e.content_hash == hash(&existing));
                if existing == bytes {
                    Ok(CleanAction::Unchanged { content })
                } else if untouched {
                    fsutil::write_atomic(&path, bytes).map_err(io_err)?;
                    Ok(CleanAction::Written { content })
                } else if force {
                    // the analyst's version, complete and on disk under a
                    // name of its own (never over an earlier backup), before
                    // the content file is replaced
                    let stem = rel.trim_start_matches("content/");
                    let base = self.path(&format!("{STATE_DIR}/backup/{stem}"));
                    let backup = fsutil::write_new_numbered(&base, &existing).map_err(|e| {
                        Problem::io_then(
                            format!("{STATE_DIR}/backup/{stem}"),
                            "keep a backup",
                            &e,
                            &format!("{rel} was not overwritten"),
                        )
                    })?;
                    let backup = self.rel(&backup);
                    fsutil::write_atomic(&path, bytes).map_err(io_err)?;
                    Ok(CleanAction::Forced { content, backup })
                } else {
                    Ok(CleanAction::Protected { content })
                }
            }
        }
    }

    /// The theme: built-in, overridden by the project's `templates/` and
    /// `static/`.
    pub fn theme(&self) -> Result<Theme, Problems> {
        let mut theme = Theme::builtin();
        let mut problems = Problems::default();
        let tdir = self.path("templates");
        let (templates, issues) = self.input_dir("templates");
        problems.extend(issues.0);
        for p in templates {
            let name = fsutil::display(&tdir, &p);
            match self.read_text(&p) {
                Ok(t) => theme.set_template(&name, t.to_string(), self.rel(&p)),
                Err(e) => problems.push(e),
            }
        }
        let sdir = self.path("static");
        let (statics, issues) = self.input_dir("static");
        problems.extend(issues.0);
        for p in statics {
            match std::fs::read(&p) {
                Ok(b) => theme.set_static(&fsutil::display(&sdir, &p), b),
                Err(e) => problems.push(Problem::io(self.rel(&p), "read", &e)),
            }
        }
        if problems.is_empty() {
            Ok(theme)
        } else {
            Err(problems)
        }
    }

    /// Read every input of a build. `cleaned` supplies cleaning reports for
    /// provenance pages (seeds not in it are cleaned again here).
    pub fn load(&self, cleaned: &BTreeMap<String, Cleaned>) -> Result<Inputs, Problems> {
        let mut problems = Problems::default();
        let mut config_warnings = Problems::default();
        let config = self
            .config_with_warnings()
            .map(|(c, w)| {
                config_warnings.extend(w);
                c
            })
            .map_err(|p| problems.push(p))
            .ok();
        // Reading is most of loading (tens of thousands of small files):
        // read in parallel, keep the listing's order.
        type Read = (Vec<(PathBuf, Result<Arc<str>, Problem>)>, Problems);
        let read_md = |dir: &str| -> Read {
            use rayon::prelude::*;
            let (files, issues) = self.input_dir(dir);
            let files: Vec<PathBuf> = files
                .into_iter()
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("md"))
                .collect();
            let read = files
                .into_par_iter()
                .with_min_len(64)
                .map(|p| {
                    let text = self.read_text(&p);
                    (p, text)
                })
                .collect();
            (read, issues)
        };
        let ((content, content_issues), (annotation_files, annotation_issues)) =
            rayon::join(|| read_md("content"), || read_md("annotations"));
        problems.extend(content_issues.0);
        problems.extend(annotation_issues.0);
        let mut articles = Vec::new();
        let mut summary = None;
        for (p, text) in content {
            let rel = self.rel(&p);
            match text {
                Ok(t) if p.file_name().is_some_and(|n| n == "_briefing.md") => {
                    summary = Some((rel, t))
                }
                Ok(t) => articles.push((rel, t)),
                Err(e) => problems.push(e),
            }
        }
        let mut annotations = Vec::new();
        for (p, text) in annotation_files {
            match text {
                Ok(text) => annotations.push(AnnotationSource {
                    file: self.rel(&p),
                    text,
                }),
                Err(e) => problems.push(e),
            }
        }
        let mut root_file = |name: &str| match self.input_file(name) {
            Ok(Some(ep)) => match self.read_text(&ep) {
                Ok(t) => Some((name.to_string(), t)),
                Err(e) => {
                    problems.push(e);
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let entities = root_file("entities.yaml");
        let outlets = root_file(crate::link::outlets::FILE);
        let mut sources = BTreeMap::new();
        for p in self.seeds() {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let report = match cleaned.get(&name) {
                Some(c) => c.report.clone(),
                None => match self.clean_one(&p) {
                    Ok(c) => c.report,
                    Err(_) => continue, // reported by the clean step
                },
            };
            sources.insert(name.clone(), SourceView { name, report });
        }
        let theme = match self.theme() {
            Ok(t) => Some(t),
            Err(ps) => {
                problems.extend(ps.0);
                None
            }
        };
        let editions = self.editions().unwrap_or_else(|p| {
            problems.extend(p.0);
            Default::default()
        });
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Inputs {
            config: config.expect("no errors means config loaded"),
            articles,
            summary,
            annotations,
            entities,
            outlets,
            sources,
            theme: theme.expect("no errors means theme loaded"),
            anchor_cache: None,
            view_cache: None,
            policy: Default::default(),
            warnings: config_warnings,
            editions: Arc::new(editions),
        })
    }

    /// The editions recorded in `editions/` (`<name>.json.gz`; other files
    /// there are not read), oldest first. A file that does not read as an
    /// edition is an error naming it; nothing here writes to it.
    pub fn editions(&self) -> Result<crate::editions::History, Problems> {
        use crate::editions::{Recorded, codec};
        use rayon::prelude::*;
        let dir = self.path(crate::editions::DIR);
        let (files, mut problems) = self.input_dir(crate::editions::DIR);
        // (each edition's texts shared with those read before it)
        let texts = std::sync::Mutex::new(crate::editions::Texts::default());
        let read: Vec<Result<Recorded, Problem>> = files
            .into_par_iter()
            .filter(|p| p.parent() == Some(dir.as_path()))
            .filter_map(|p| {
                let name = p.file_name()?.to_str()?.strip_suffix(codec::EXTENSION)?;
                Some((name.to_string(), p))
            })
            .map(|(name, p)| {
                let file = self.rel(&p);
                let bytes = std::fs::read(&p).map_err(|e| Problem::io(&file, "read", &e))?;
                if let Err(why) = crate::editions::check_name(&name) {
                    return Err(Problem::file(
                        &file,
                        format!("this edition's name is not usable: {why}"),
                    )
                    .with_help("rename the file (`editions/<name>.json.gz`)"));
                }
                match codec::decode(&bytes) {
                    Ok(mut edition) => Ok(Recorded {
                        edition: {
                            let mut t = texts.lock().unwrap_or_else(|e| e.into_inner());
                            t.share(&mut edition);
                            edition
                        },
                        name,
                        file,
                        digest: *blake3::hash(&bytes).as_bytes(),
                    }),
                    Err(e) => Err(Problem::file(&file, e.to_string()).with_help(e.help())),
                }
            })
            .collect();
        let mut editions = Vec::new();
        for r in read {
            match r {
                Ok(e) => editions.push(e),
                Err(p) => problems.push(p),
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(crate::editions::History::new(editions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_as_recent_as_the_clocks_granularity_is_waited_for() {
        const TICK: std::time::Duration = std::time::Duration::from_millis(10);
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let file = dir.path().join("content/a.md");
        fsutil::write_atomic(&file, b"a").unwrap();
        let set = |t: std::time::SystemTime| {
            let f = std::fs::File::options().write(true).open(&file).unwrap();
            f.set_modified(t).unwrap();
        };
        // just written: wait for the clock to pass it (a busy machine may
        // let more than `RACY` pass before the check: then it need not
        // wait, so try a few times, and never accept an early answer)
        let waited = (0..20).any(|_| {
            let before = std::time::SystemTime::now();
            fsutil::write_atomic(&file, b"a").unwrap();
            let answer = project.fingerprint_once("");
            // (file times come from a coarse clock, up to a tick behind)
            let since = before.elapsed().unwrap_or_default() + TICK;
            assert!(
                answer.is_err() || since >= RACY,
                "answered {since:?} after a write"
            );
            answer.is_err()
        });
        assert!(waited);
        let now = std::time::SystemTime::now();
        // a time in whole seconds (a file system that keeps no more) may be
        // shared by a change up to a second later: waited for too
        let second = std::time::UNIX_EPOCH
            + std::time::Duration::from_secs(
                now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
            );
        set(second);
        let wait = project.fingerprint_once("").unwrap_err();
        assert!(
            wait > RACY && wait <= std::time::Duration::from_millis(2001),
            "{wait:?}"
        );
        // older than that: none
        set(now - std::time::Duration::from_secs(3));
        let a = project.fingerprint_once("").unwrap();
        assert_eq!(project.fingerprint("").as_str(), a);
        // the same files another way (a link to the directory): the same
        // fingerprint
        #[cfg(unix)]
        {
            std::fs::rename(dir.path().join("content"), dir.path().join("c")).unwrap();
            std::os::unix::fs::symlink("c", dir.path().join("content")).unwrap();
            assert_eq!(project.fingerprint_once("").unwrap(), a);
        }
    }

    #[test]
    fn a_listing_is_remembered_only_once_its_directories_are_older_than_the_clocks_granularity() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let file = dir.path().join("content/sub/a.md");
        fsutil::write_atomic(&file, b"a").unwrap();
        // the file's own time is old, its directories' are not: the
        // fingerprint need not wait, but a file added now could share the
        // directories' times, so their listing is not remembered
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3);
        let set = |path: &Path| {
            std::fs::File::open(path)
                .unwrap()
                .set_modified(old)
                .unwrap()
        };
        set(&file);
        let remembered = || {
            let bytes = std::fs::read(project.path(listing::FILE)).unwrap_or_default();
            listing::decode(&bytes)
                .unwrap_or_default()
                .iter()
                .map(|e| e.dir.to_string())
                .collect::<Vec<_>>()
        };
        let a = project.fingerprint_once("").unwrap();
        assert!(remembered().is_empty());
        // once they are: remembered, and the same fingerprint from it
        std::thread::sleep(RACY + std::time::Duration::from_millis(5));
        assert_eq!(project.fingerprint_once("").unwrap(), a);
        assert_eq!(remembered(), ["content"]);
        assert_eq!(project.fingerprint_once("").unwrap(), a);
        // a file added: listed again (and remembered once settled)
        fsutil::write_atomic(&dir.path().join("content/sub/b.md"), b"b").unwrap();
        set(&dir.path().join("content/sub/b.md"));
        let b = project.fingerprint_once("").unwrap();
        assert_ne!(a, b);
        std::thread::sleep(RACY + std::time::Duration::from_millis(5));
        assert_eq!(project.fingerprint_once("").unwrap(), b);
        assert_eq!(project.fingerprint_once("").unwrap(), b);
        assert_eq!(remembered(), ["content"]);
    }

    #[test]
    fn a_panic_while_cleaning_is_an_error_naming_the_seed() {
        let p = guarded("seeds/x.html", || -> () { panic!("boom") }).unwrap_err();
        assert_eq!(
            p.headline(),
            "seeds/x.html: error: cleaning this seed failed: internal error (boom)"
        );
        assert!(p.help.unwrap().contains("a bug in briefing"));
        let n = 3;
        let p = guarded("seeds/y.txt", || -> () { panic!("index {n} out of range") }).unwrap_err();
        assert!(
            p.message.ends_with("(index 3 out of range)"),
            "{}",
            p.message
        );
        assert_eq!(guarded("seeds/z.txt", || 7).unwrap(), 7);
    }
}
