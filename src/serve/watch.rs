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
//! Events are gathered into batches by what they say, not by a fixed wait:
//! a write that is finished (the file closed after writing, renamed into
//! place, removed) closes its batch after a short quiet period ([`QUIET`]),
//! so a save reaches the build within a few milliseconds; a file still
//! being written (created or modified, not yet closed — or a platform that
//! does not report closing) waits until its events have been quiet for
//! [`DEBOUNCE`]. One save gives one batch.

use crate::fsutil;
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The directories of inputs, watched recursively: the project's
/// ([`crate::project::INPUT_DIRS`]).
pub const INPUT_DIRS: [&str; 6] = {
    let d = crate::project::INPUT_DIRS;
    [d[0].0, d[1].0, d[2].0, d[3].0, d[4].0, d[5].0]
};
/// The input files in the project root.
pub const ROOT_FILES: &[&str] = &["briefing.toml", "entities.yaml", "sources.yaml"];

/// How long events must be quiet before a batch is closed while a changed
/// file may still be being written (created or modified, not yet closed).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How long to wait for more events once every changed file is finished
/// (closed after writing, renamed, removed): a save is one burst of events
/// well under a millisecond apart, and "save all" a few of them.
const QUIET: Duration = Duration::from_millis(2);
/// How long a batch waits more when a changed file is missing: editors
/// that save by moving the old file away and writing a new one leave a
/// gap, which must not look like a deletion.
const GAP: Duration = Duration::from_millis(150);

/// What one event says of its paths: `Some(true)` when they are finished
/// (closed after writing, renamed, removed, their metadata changed),
/// `Some(false)` when more may come (created, written to), `None` when it
/// is no change at all (opened, read).
fn finished(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) => None,
        EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_)) => Some(true),
        EventKind::Remove(_) => Some(true),
        EventKind::Create(notify::event::CreateKind::Folder) => Some(true),
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any | EventKind::Other => {
            Some(false)
        }
    }
}

/// A running watcher.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    /// Each event's paths, whether it finished them (see [`finished`]),
    /// and whether it created them.
    rx: Receiver<(Vec<PathBuf>, bool, bool)>,
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
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(e) = res
                && let Some(done) = finished(&e.kind)
                && !e.paths.is_empty()
            {
                let created = matches!(e.kind, EventKind::Create(_));
                let _ = tx.send((e.paths, done, created));
            }
        })
        .map_err(|e| format!("cannot start watching files: {e}"))?;
        let mut w = Watcher {
            root,
            watcher,
            rx,
            watched: BTreeSet::new(),
        };
        w.watcher
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
        if self.watcher.watch(&p, RecursiveMode::Recursive).is_ok() {
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
        self.batch(Some(Instant::now() + wait))
    }

    fn batch(&mut self, until: Option<Instant>) -> Next {
        loop {
            let first = match until {
                None => self.rx.recv().ok(),
                Some(t) => match self
                    .rx
                    .recv_timeout(t.saturating_duration_since(Instant::now()))
                {
                    Ok(p) => Some(p),
                    Err(RecvTimeoutError::Timeout) => return Next::Quiet,
                    Err(RecvTimeoutError::Disconnected) => None,
                },
            };
            let Some(first) = first else {
                return Next::Stopped;
            };
            // every path, whether each input's last event finished it, and
            // the inputs created in this batch (a temporary file renamed
            // into place is gone when the batch closes: nothing to wait for)
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut open: HashMap<PathBuf, bool> = HashMap::new();
            let mut created: HashSet<PathBuf> = HashSet::new();
            let root = &self.root;
            let mut take = |(ps, done, new): (Vec<PathBuf>, bool, bool),
                            open: &mut HashMap<PathBuf, bool>,
                            created: &mut HashSet<PathBuf>| {
                for p in ps {
                    if input_rel(root, &p).is_some() {
                        // created in this batch: its first event made it (a
                        // file that was there before, deleted, made again
                        // and deleted is a deletion)
                        if new && !open.contains_key(&p) {
                            created.insert(p.clone());
                        }
                        open.insert(p.clone(), done);
                    }
                    paths.push(p);
                }
            };
            take(first, &mut open, &mut created);
            // a changed file that is missing may be an editor's save in
            // steps (the old file moved away, a new one written): wait
            // for it up to `GAP`, and for it to be finished
            let mut gap: Option<Instant> = None;
            loop {
                let missing = open.keys().any(|p| {
                    input_rel(root, p).is_some_and(|r| r.contains('/'))
                        && !created.contains(p)
                        && !p.exists()
                });
                let wait = if missing {
                    let end = *gap.get_or_insert_with(|| Instant::now() + GAP);
                    end.saturating_duration_since(Instant::now())
                } else if open.values().all(|done| *done) {
                    QUIET
                } else {
                    DEBOUNCE
                };
                match self.rx.recv_timeout(wait) {
                    Ok(more) => take(more, &mut open, &mut created),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            let mut batch = BTreeSet::new();
            for p in &paths {
                // (a file that came and went in this batch, such as an
                // editor's temporary renamed into place, changed nothing)
                if created.contains(p) && !p.exists() {
                    continue;
                }
                if let Some(rel) = input_rel(&self.root, p) {
                    batch.insert(rel);
                }
            }
            // an input directory that appeared: watch it, and count the
            // files already in it (written before the watch started)
            for dir in &INPUT_DIRS {
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
