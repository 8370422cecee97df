//! watch: watch a project's input directories and turn file-system events
//! into batches of changed project-relative paths.
//!
//! Directories are watched, not files, because editors save by writing a
//! temp file and renaming it over the original (vim, helix, JetBrains): a
//! rename onto a watched path is a change of that path. The project root is
//! watched non-recursively (for `briefing.toml`, `entities.yaml` and input
//! directories that appear later); `seeds/`, `content/`, `annotations/`,
//! `templates/` and `static/` recursively. Editor temp, swap and backup
//! files, hidden files, and `site/`, `target/`, `.briefing/` are ignored.
//! Events are debounced, and a batch is closed only after a short quiet
//! period, so one save gives one batch.

use crate::fsutil;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// The directories of inputs, watched recursively.
pub const INPUT_DIRS: &[&str] = &[
    "seeds",
    "content",
    "annotations",
    "templates",
    "static",
    "editions",
];
/// The input files in the project root.
pub const ROOT_FILES: &[&str] = &["briefing.toml", "entities.yaml", "sources.yaml"];

/// How long a path must be quiet before its events are delivered. A save
/// (write, or write a temp file and rename it) is one burst of events well
/// under a millisecond apart; a save that leaves the file missing for a
/// while is [`GAP`]'s business. The debouncer checks every quarter of this,
/// so an edit waits 10–13 ms here (of the 50 ms an annotation edit may take
/// to reach its page at 10,000 articles).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How long to wait for more events before closing a batch.
const QUIET: Duration = Duration::from_millis(5);
/// How long a batch waits more when a changed file is missing: editors
/// that save by moving the old file away and writing a new one leave a
/// gap, which must not look like a deletion.
const GAP: Duration = Duration::from_millis(150);

/// A running watcher.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rx: Receiver<Vec<PathBuf>>,
    watched: BTreeSet<&'static str>,
}

/// The project-relative path of an event path, when it is an input.
pub fn input_rel(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?;
    let (first, rest) = parts.split_first()?;
    if rest.is_empty() {
        return (ROOT_FILES.contains(first) || INPUT_DIRS.contains(first))
            .then(|| first.to_string());
    }
    if !INPUT_DIRS.contains(first) || rest.iter().any(|p| fsutil::is_ignored_name(p)) {
        return None;
    }
    Some(parts.join("/"))
}

impl Watcher {
    /// Start watching the project at `root`.
    pub fn start(root: &Path) -> Result<Watcher, String> {
        // canonical, so event paths (which are absolute) strip cleanly
        let root = std::fs::canonicalize(root)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let (tx, rx) = channel();
        let debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
            if let Ok(events) = res {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        })
        .map_err(|e| format!("cannot start watching files: {e}"))?;
        let mut w = Watcher {
            root,
            debouncer,
            rx,
            watched: BTreeSet::new(),
        };
        w.debouncer
            .watch(&w.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", w.root.display()))?;
        for dir in INPUT_DIRS {
            w.watch_dir(dir);
        }
        Ok(w)
    }

    fn watch_dir(&mut self, dir: &'static str) -> bool {
        let p = self.root.join(dir);
        if self.watched.contains(dir) || !p.is_dir() {
            return false;
        }
        if self.debouncer.watch(&p, RecursiveMode::Recursive).is_ok() {
            self.watched.insert(dir);
            return true;
        }
        false
    }

    /// Block until inputs change; returns the changed project-relative
    /// paths. `None` when the watcher stopped.
    pub fn next_batch(&mut self) -> Option<BTreeSet<String>> {
        match self.batch(None) {
            Next::Batch(b) => Some(b),
            Next::Quiet | Next::Stopped => None,
        }
    }

    /// [`Watcher::next_batch`], waiting at most `wait` for inputs to
    /// change.
    pub fn next_batch_within(&mut self, wait: std::time::Duration) -> Next {
        self.batch(Some(std::time::Instant::now() + wait))
    }

    fn batch(&mut self, until: Option<std::time::Instant>) -> Next {
        loop {
            let first = match until {
                None => self.rx.recv().ok(),
                Some(t) => match self
                    .rx
                    .recv_timeout(t.saturating_duration_since(std::time::Instant::now()))
                {
                    Ok(p) => Some(p),
                    Err(RecvTimeoutError::Timeout) => return Next::Quiet,
                    Err(RecvTimeoutError::Disconnected) => None,
                },
            };
            let Some(mut paths) = first else {
                return Next::Stopped;
            };
            loop {
                match self.rx.recv_timeout(QUIET) {
                    Ok(more) => paths.extend(more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            if paths
                .iter()
                .any(|p| input_rel(&self.root, p).is_some_and(|r| r.contains('/')) && !p.exists())
            {
                let end = std::time::Instant::now() + GAP;
                while let Ok(more) = self
                    .rx
                    .recv_timeout(end.saturating_duration_since(std::time::Instant::now()))
                {
                    paths.extend(more);
                    if paths.iter().all(|p| {
                        input_rel(&self.root, p).is_none_or(|r| !r.contains('/')) || p.exists()
                    }) {
                        break;
                    }
                }
            }
            let mut batch = BTreeSet::new();
            for p in &paths {
                if let Some(rel) = input_rel(&self.root, p) {
                    batch.insert(rel);
                }
            }
            // an input directory that appeared: watch it, and count the
            // files already in it (written before the watch started)
            for dir in INPUT_DIRS {
                if batch.contains(*dir) && self.watch_dir(dir) {
                    for f in fsutil::list_files(&self.root.join(dir)).unwrap_or_default() {
                        if let Some(rel) = input_rel(&self.root, &f) {
                            batch.insert(rel);
                        }
                    }
                    batch.remove(*dir);
                } else if batch.contains(*dir) && self.root.join(dir).is_dir() {
                    // already watched, still there: its files report themselves
                    batch.remove(*dir);
                } else if batch.contains(*dir) {
                    self.watched.remove(dir);
                }
            }
            if !batch.is_empty() {
                return Next::Batch(batch);
            }
        }
    }
}

/// What [`Watcher::next_batch_within`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Changed inputs (project-relative paths).
    Batch(BTreeSet<String>),
    /// None in the time given.
    Quiet,
    /// The watcher stopped.
    Stopped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/p");
        let rel = |s: &str| input_rel(root, &root.join(s));
        assert_eq!(rel("annotations/x.md").as_deref(), Some("annotations/x.md"));
        assert_eq!(rel("briefing.toml").as_deref(), Some("briefing.toml"));
        assert_eq!(rel("content").as_deref(), Some("content"));
        for ignored in [
            "site/index.html",
            "target/debug/x",
            ".briefing/clean.json",
            "annotations/4913",
            "annotations/.x.md.swp",
            "annotations/x.md~",
            "annotations/x.md___jb_tmp___",
            "annotations/x.md.bck",
            "content/.hidden/x.md",
            "README.md",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }
}
