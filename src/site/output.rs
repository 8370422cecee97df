//! output: the built site on disk. A build writes the new site beside the
//! live one and swaps the two directories in one step, so the output
//! directory is at every instant the whole previous site or the whole new
//! one — also when the build is killed or the disk fills up — and whatever
//! a killed process left is put right by the next one.
//!
//! For an output directory `<parent>/<name>` (`site/`), these names are
//! ours, and nothing else is ever removed outside the output directory:
//!
//! - `<parent>/.<name>.briefing-new/` — the new site while it is written
//!   ([`Staged`]). Each file is compared with the live one: an unchanged
//!   file is a hard link to it (no bytes written), a changed one a new
//!   file. Once every file is there, the hidden entries of the live site
//!   (a deployment checkout's `.git/`, `.well-known/`, `.nojekyll`, at any
//!   depth) are moved into it, and the two directories are exchanged:
//!   `renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on
//!   macOS. The old tree, now under this name, is then removed.
//! - `<parent>/.<name>.briefing-old/` — where the exchange is not
//!   available (other systems; file systems without it, e.g. NFS), the
//!   live site is renamed here and the new one into place: two renames,
//!   with an instant between them when there is no `site/`.
//! - `<name>/.briefing-staging/` — files on their way into a site updated
//!   in place ([`write_in_place`]): by the live preview after an edit, and
//!   by a build whose output directory cannot be replaced (a mount point,
//!   or a parent directory we may not write in). Each file is renamed into
//!   place on its own, so a reader never sees half a file.
//!
//! Everything that uses these names holds an advisory lock on the parent
//! directory while it does ([`Lock`]), so two builds of one site (a
//! `serve` and a `build`) take turns, and whatever of them exists when the
//! lock is taken was left by a killed process: [`Staged::new`] and
//! [`write_in_place`] first put it right ([`recover`]) — the live site
//! back if a kill came between the two renames, its hidden entries back
//! into it, the rest removed.

use crate::diag::Problem;
use crate::fsutil;
use crate::render::Output;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Suffix of the directory the new site is written to, beside the live one.
const NEW: &str = ".briefing-new";
/// Suffix of the old site's name between two renames (no exchange).
const OLD: &str = ".briefing-old";
/// The directory, inside the output directory, of files on their way into
/// a site updated in place.
pub const STAGING: &str = ".briefing-staging";

/// What writing the site did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Where a site and the directories of its build live.
#[derive(Clone, Debug)]
struct Places {
    /// The output directory (a symlinked one resolved: the link stays).
    out: PathBuf,
    parent: PathBuf,
    /// `<parent>/.<name>.briefing-new`
    new: PathBuf,
    /// `<parent>/.<name>.briefing-old`
    old: PathBuf,
    /// `<out>/.briefing-staging`
    staging: PathBuf,
}

impl Places {
    /// The places of the site at `out`; creates its parent directory.
    fn of(out: &Path) -> io::Result<Places> {
        let no_name = || {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the output directory must be a directory with a name, not a root",
            )
        };
        // the real path (`..` resolved; a symlinked site: the directory it
        // points to, so that the link stays)
        let out = if exists(out) {
            std::fs::canonicalize(out)?
        } else {
            let abs = std::path::absolute(out)?;
            let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err(no_name());
            };
            std::fs::create_dir_all(parent)?;
            std::fs::canonicalize(parent)?.join(name)
        };
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(no_name());
        };
        let name = name.to_string_lossy();
        Ok(Places {
            parent: parent.to_path_buf(),
            new: parent.join(format!(".{name}{NEW}")),
            old: parent.join(format!(".{name}{OLD}")),
            staging: out.join(STAGING),
            out,
        })
    }
}

/// An advisory lock (`flock`) on the directory that holds a site, held
/// while its build directories are in use. Released when dropped, or when
/// the process ends, however it ends. Where a directory cannot be locked
/// (Windows, some network file systems) builds of one site must not run
/// at the same time.
struct Lock(#[allow(dead_code)] Option<std::fs::File>);

impl Lock {
    /// Take the lock, waiting (and saying so) while another process has it.
    fn take(dir: &Path) -> Lock {
        let Ok(file) = std::fs::File::open(dir) else {
            return Lock(None);
        };
        match file.try_lock() {
            Ok(()) => return Lock(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => eprintln!(
                "waiting for another build of the site in {} to finish",
                dir.display()
            ),
            Err(std::fs::TryLockError::Error(_)) => return Lock(None),
        }
        Lock(file.lock().is_ok().then_some(file))
    }
}

fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Remove a directory tree; one that is not there is fine. A site's
/// `articles/` holds a directory per article, so removing an old site is
/// tens of thousands of `unlink`s and `rmdir`s: the entries of a directory
/// are removed by many threads at once. Where freeing a directory waits for
/// the disk (ext4 mounted with `discard`: ~3 ms each), sixteen threads
/// removed a 10,000-article site in 1.6–2 s instead of 30; in memory or on
/// a plain ext4 it makes no difference.
fn remove_tree(p: &Path) -> io::Result<()> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    match std::fs::symlink_metadata(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        // (a symlink goes, not what it points to)
        Ok(m) if !m.is_dir() => std::fs::remove_file(p),
        Ok(_) => {
            let pool = POOL.get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(16)
                    .thread_name(|i| format!("remove-{i}"))
                    .build()
                    .ok()
            });
            match pool {
                Some(pool) => pool.install(|| remove_dir_tree(p)),
                None => std::fs::remove_dir_all(p),
            }
        }
    }
}

fn remove_dir_tree(p: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = match std::fs::read_dir(p) {
        Ok(rd) => rd.collect::<io::Result<_>>()?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_dir_tree(&e.path())
        } else {
            match std::fs::remove_file(e.path()) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                r => r,
            }
        }
    })?;
    match std::fs::remove_dir(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Whether a name in a site is one of ours: the staging directory, or a
/// temporary file of an atomic write (an older version wrote those beside
/// each page). Nothing else is taken for ours.
fn is_ours(name: &str) -> bool {
    name == STAGING || fsutil::temp_owner(name).is_some()
}

/// What a site tree holds: its hidden entries that are not ours (relative
/// paths; not looked into), and its other regular files (site paths).
#[derive(Default)]
struct Scan {
    hidden: Vec<PathBuf>,
    files: Vec<String>,
}

/// Scan a site tree, the entries of each directory side by side (a site's
/// `articles/` holds a directory per article).
fn scan(dir: &Path) -> io::Result<Scan> {
    scan_in(dir, Path::new(""))
}

/// [`scan`] of `dir`, which is at `rel` in the tree.
fn scan_in(dir: &Path, rel: &Path) -> io::Result<Scan> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    let parts: Vec<io::Result<Scan>> = entries
        .par_iter()
        .map(|e| {
            let name = e.file_name();
            let path = rel.join(&name);
            let name = name.to_string_lossy();
            let kind = e.file_type()?;
            let mut scan = Scan::default();
            if name.starts_with('.') {
                if !is_ours(&name) {
                    scan.hidden.push(path);
                }
            } else if kind.is_dir() {
                return scan_in(&e.path(), &path);
            } else if kind.is_file() {
                scan.files.push(path.to_string_lossy().replace('\\', "/"));
            }
            Ok(scan)
        })
        .collect();
    let mut scan = Scan::default();
    for part in parts {
        let part = part?;
        scan.hidden.extend(part.hidden);
        scan.files.extend(part.files);
    }
    Ok(scan)
}

/// Move the hidden entries (not ours) of the tree at `from` to the same
/// places in `to`. One whose place is taken is kept beside it as
/// `<name>.recovered` (`.recovered2`, …): nothing of the analyst's is lost.
fn move_hidden(from: &Path, to: &Path) -> io::Result<()> {
    for rel in scan(from)?.hidden {
        let target = to.join(&rel);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut free = target.clone();
        let mut n = 1;
        while exists(&free) {
            let suffix = if n == 1 { String::new() } else { n.to_string() };
            let mut name = target.clone().into_os_string();
            name.push(format!(".recovered{suffix}"));
            free = PathBuf::from(name);
            n += 1;
        }
        std::fs::rename(from.join(&rel), &free)?;
    }
    Ok(())
}

/// Put right what a process killed while it held the lock left behind:
/// the live site renamed away (a kill between two renames) goes back; the
/// hidden entries of the live site found in a build directory go back
/// into it; the build directories are removed. The caller holds the lock.
fn recover(p: &Places) -> io::Result<()> {
    let is_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    if !exists(&p.out) && is_dir(&p.old) {
        std::fs::rename(&p.old, &p.out)?;
    }
    for stale in [&p.new, &p.old] {
        if is_dir(stale) {
            move_hidden(stale, &p.out)?;
        }
        remove_tree(stale)?;
    }
    remove_tree(&p.staging)
}

/// Put right what a killed build or preview left beside and in the site at
/// `out` (see [`recover`]), waiting for a build of it that is running. For
/// a build that finds nothing to do.
pub fn recover_site(out: &Path) -> io::Result<()> {
    let p = Places::of(out)?;
    let _lock = Lock::take(&p.parent);
    recover(&p)
}

/// Whether `out`'s directory can be replaced by another: it is not a mount
/// point (a rename cannot move one).
fn replaceable(p: &Places, out: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&p.parent).is_ok_and(|parent| parent.dev() == out.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (p, out);
        true
    }
}

/// How a build puts its site in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Write the whole site beside the live one and swap (`live`: there is
    /// one), or rename it into place (no site yet).
    Replace { live: bool },
    /// Stage changed files inside the live site and rename them into place
    /// one by one (the site cannot be replaced).
    InPlace,
}

/// Writes a site file by file while it renders, without touching what a
/// reader sees until the whole build has succeeded, then puts it in place
/// in one step ([`Staged::commit`]; see the module documentation). Dropping
/// it uncommitted ([`Staged::abort`]) leaves the old site as it was and
/// nothing behind.
pub struct Staged {
    places: Places,
    mode: Mode,
    /// Where files are written: `new` or `staging`, opened once (every
    /// file is made relative to it).
    stage: fsutil::Dir,
    /// The live site, opened once, when its files are compared with the
    /// new ones.
    live: Option<fsutil::Dir>,
    /// Directories made in the stage so far (site paths): each is made
    /// once, without asking first whether it exists.
    dirs: Mutex<rustc_hash::FxHashSet<String>>,
    lock: Option<Lock>,
    state: Mutex<StagedState>,
    /// Hard links work here (else unchanged files are copied).
    links: AtomicBool,
    /// Names of files staged to update a site in place (flat: no
    /// directories to make and remove).
    staged: std::sync::atomic::AtomicUsize,
    /// Use the exchange where the system has it (tests turn it off to try
    /// the two renames).
    exchange: bool,
    /// Done: nothing for `Drop` to undo.
    done: bool,
    /// Tests: the number of files written before every write fails as on
    /// a full disk.
    #[cfg(test)]
    fail_after: Option<std::sync::atomic::AtomicUsize>,
}

#[derive(Default)]
struct StagedState {
    /// Every file put, by site path.
    paths: BTreeSet<String>,
    /// Site paths whose bytes changed (or are new).
    written: Vec<String>,
    /// Updating in place: (staged file, site path) of each changed file.
    moves: Vec<(PathBuf, String)>,
    unchanged: usize,
    /// The first write that failed: the site path and the error; every
    /// later put fails at once with it.
    failure: Option<(String, io::ErrorKind, String)>,
}

impl Staged {
    /// Start writing a site into `dir`, after putting right what a killed
    /// build left there and waiting for a running build of it to end.
    pub fn new(dir: &Path) -> io::Result<Staged> {
        Staged::open(dir, false)
    }

    /// [`Staged::new`]; `in_place`: update the site in place, as when it
    /// cannot be replaced (for tests).
    fn open(dir: &Path, in_place: bool) -> io::Result<Staged> {
        let places = Places::of(dir)?;
        let lock = Lock::take(&places.parent);
        recover(&places)?;
        let mut mode = match std::fs::symlink_metadata(&places.out) {
            Ok(m) if !m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "the output path is a file, not a directory",
                ));
            }
            Ok(m) if !in_place && replaceable(&places, &m) => Mode::Replace { live: true },
            Ok(_) => Mode::InPlace,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Mode::Replace { live: false },
            Err(e) => return Err(e),
        };
        if mode != Mode::InPlace {
            match std::fs::create_dir(&places.new) {
                Ok(()) => {}
                // a directory we may not write in: update the site in place
                Err(e)
                    if mode == (Mode::Replace { live: true })
                        && matches!(
                            e.kind(),
                            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                        ) =>
                {
                    mode = Mode::InPlace
                }
                Err(e) => return Err(e),
            }
        }
        let stage = if mode == Mode::InPlace {
            std::fs::create_dir(&places.staging)?;
            fsutil::Dir::open(&places.staging)?
        } else {
            fsutil::Dir::open(&places.new)?
        };
        let live = match mode {
            Mode::Replace { live: false } => None,
            _ => Some(fsutil::Dir::open(&places.out)?),
        };
        Ok(Staged {
            places,
            mode,
            stage,
            live,
            dirs: Mutex::default(),
            lock: Some(lock),
            state: Mutex::new(StagedState::default()),
            links: AtomicBool::new(true),
            staged: Default::default(),
            exchange: true,
            done: false,
            #[cfg(test)]
            fail_after: None,
        })
    }

    /// Do without the directory exchange, as on systems that lack it.
    #[cfg(test)]
    fn without_exchange(mut self) -> Staged {
        self.exchange = false;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StagedState> {
        // a panic elsewhere must not hide the staged files from cleanup
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stage one file (the first file put at a path wins). After a write
    /// failed, every put fails with that first error.
    pub fn put(&self, o: &Output) -> io::Result<()> {
        let rel = o.path.as_str();
        self.put_by(rel, || self.put_file(rel, &o.bytes))
    }

    /// [`Staged::put`] for a file written as it is made, never held whole
    /// (`data/briefing.json`, 46 MB at 10,000 articles): `write` writes
    /// its bytes to the writer it is given, which goes to the staged file
    /// through a buffer and is compared with the live file on the way, so
    /// an unchanged file is still the live one linked, as with `put`.
    pub fn put_with(&self, rel: &str, write: crate::render::WriteFile<'_>) -> io::Result<()> {
        self.put_by(rel, || self.put_file_with(rel, write))
    }

    /// What `put` and `put_with` share: the first put at a path wins, a
    /// failed write fails every later one, and what was staged is recorded.
    fn put_by(
        &self,
        rel: &str,
        put: impl FnOnce() -> io::Result<(bool, Option<PathBuf>)>,
    ) -> io::Result<()> {
        {
            let mut st = self.lock();
            if let Some((_, kind, msg)) = &st.failure {
                return Err(io::Error::new(*kind, msg.clone()));
            }
            if !st.paths.insert(rel.to_string()) {
                return Ok(());
            }
        }
        let result = put();
        let mut st = self.lock();
        match result {
            Ok((changed, tmp)) => {
                if let Some(tmp) = tmp {
                    st.moves.push((tmp, rel.to_string()));
                }
                if changed {
                    st.written.push(rel.to_string());
                } else {
                    st.unchanged += 1;
                }
                Ok(())
            }
            Err(e) => {
                if st.failure.is_none() {
                    st.failure = Some((rel.to_string(), e.kind(), e.to_string()));
                }
                Err(e)
            }
        }
    }

    /// Write one file into the stage; whether its bytes changed, and
    /// (updating in place) the staged file to move into place.
    fn put_file(&self, rel: &str, bytes: &[u8]) -> io::Result<(bool, Option<PathBuf>)> {
        #[cfg(test)]
        if let Some(n) = &self.fail_after
            && n.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_err()
        {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let live = self.live.as_ref();
        if self.mode == Mode::InPlace {
            if live.is_some_and(|d| same_file(d, rel, bytes)) {
                return Ok((false, None));
            }
            let n = self.staged.fetch_add(1, Ordering::Relaxed).to_string();
            write_new(&self.stage, &n, bytes)?;
            return Ok((true, Some(self.stage.path().join(n))));
        }
        self.make_dir(rel.rsplit_once('/').map_or("", |(dir, _)| dir))?;
        if let Some(live) = live
            && same_file(live, rel, bytes)
        {
            if self.links.load(Ordering::Relaxed) && live.hard_link(rel, &self.stage).is_ok() {
                return Ok((false, None));
            }
            // no hard links on this file system: a copy
            write_new(&self.stage, rel, bytes)?;
            self.links.store(false, Ordering::Relaxed);
            return Ok((false, None));
        }
        write_new(&self.stage, rel, bytes)?;
        Ok((true, None))
    }

    /// [`Staged::put_file`] for a file whose bytes `write` writes as they
    /// are made: written to the stage while compared with the live file
    /// ([`Compared`]); when they turn out the same, the staged copy gives
    /// way to the live file, as `put_file` would have left it.
    fn put_file_with(
        &self,
        rel: &str,
        write: crate::render::WriteFile<'_>,
    ) -> io::Result<(bool, Option<PathBuf>)> {
        #[cfg(test)]
        if let Some(n) = &self.fail_after
            && n.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_err()
        {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let in_place = self.mode == Mode::InPlace;
        let name = if in_place {
            self.staged.fetch_add(1, Ordering::Relaxed).to_string()
        } else {
            self.make_dir(rel.rsplit_once('/').map_or("", |(dir, _)| dir))?;
            rel.to_string()
        };
        let live = self.live.as_ref();
        let old = live
            .and_then(|d| d.open_file(rel).ok())
            .filter(|f| f.metadata().is_ok_and(|m| m.is_file()));
        let mut w = Compared {
            out: io::BufWriter::with_capacity(BUFFER, self.stage.create_new(&name)?),
            old: old.map(|f| io::BufReader::with_capacity(BUFFER, f)),
            buf: Vec::new(),
        };
        write(&mut w)?;
        let same = w.finish()?;
        let staged = self.stage.path().join(&name);
        if !same {
            return Ok((true, in_place.then_some(staged)));
        }
        // unchanged: the live file stays (updating in place) or is linked
        // into the new site, as `put_file` does
        if in_place {
            std::fs::remove_file(&staged)?;
            return Ok((false, None));
        }
        let live = live.expect("compared with it");
        if self.links.load(Ordering::Relaxed) {
            std::fs::remove_file(&staged)?;
            if live.hard_link(rel, &self.stage).is_ok() {
                return Ok((false, None));
            }
            // no hard links on this file system: a copy
            self.links.store(false, Ordering::Relaxed);
            let mut to = self.stage.create_new(rel)?;
            io::copy(&mut live.open_file(rel)?, &mut to)?;
        }
        Ok((false, None))
    }

    /// Make the directory `rel` (a site path; `""`: the stage itself) and
    /// those above it in the stage, unless made already.
    fn make_dir(&self, rel: &str) -> io::Result<()> {
        let made = |d: &Mutex<rustc_hash::FxHashSet<String>>| {
            d.lock().unwrap_or_else(|e| e.into_inner()).contains(rel)
        };
        if rel.is_empty() || made(&self.dirs) {
            return Ok(());
        }
        let mkdir = || match self.stage.mkdir(rel) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            r => r,
        };
        match mkdir() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some((parent, _)) = rel.rsplit_once('/') {
                    self.make_dir(parent)?;
                }
                mkdir()?;
            }
            r => r?,
        }
        self.dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        Ok(())
    }

    /// Every site path put so far, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.lock().paths.iter().cloned().collect()
    }

    /// How many files were put so far.
    pub fn file_count(&self) -> usize {
        self.lock().paths.len()
    }

    /// The first write that failed, as the one diagnostic to show for it:
    /// the file (`shown` is the output directory as the user names it),
    /// what failed, and what to do.
    pub fn failure(&self, shown: &str) -> Option<Problem> {
        let st = self.lock();
        let (rel, kind, msg) = st.failure.as_ref()?;
        Some(Problem::io_then(
            format!("{}/{rel}", shown.trim_end_matches('/')),
            "write the new site",
            &io::Error::new(*kind, msg.clone()),
            &format!("the previous {shown} is as it was"),
        ))
    }

    /// Put the new site in place and the old one away (see the module
    /// documentation). Returns what changed (written and removed site
    /// paths, sorted), and the removal of the old tree, which runs on
    /// another thread: wait for it (or drop it) before the process ends.
    pub fn commit(mut self) -> io::Result<(WriteStats, Vec<String>, Removal)> {
        let st = std::mem::take(&mut *self.lock());
        let wanted: BTreeSet<&str> = st.paths.iter().map(String::as_str).collect();
        let mut stats = WriteStats {
            written: st.written.len(),
            unchanged: st.unchanged,
            removed: 0,
        };
        let mut changed = st.written.clone();
        let p = self.places.clone();
        let removal = match self.mode {
            Mode::Replace { live: false } => {
                std::fs::rename(&p.new, &p.out)?;
                Removal(None)
            }
            Mode::Replace { live: true } => {
                let old = scan(&p.out)?;
                for rel in &old.hidden {
                    let to = p.new.join(rel);
                    if let Some(dir) = to.parent() {
                        std::fs::create_dir_all(dir)?;
                    }
                    std::fs::rename(p.out.join(rel), &to)?;
                }
                if let Ok(m) = std::fs::metadata(&p.out) {
                    let _ = std::fs::set_permissions(&p.new, m.permissions());
                }
                let old_tree = swap(&p, self.exchange)?;
                self.done = true;
                for f in old.files {
                    if !wanted.contains(f.as_str()) {
                        stats.removed += 1;
                        changed.push(f);
                    }
                }
                let lock = self.lock.take();
                Removal(Some(std::thread::spawn(move || {
                    let _lock = lock;
                    let start = std::time::Instant::now();
                    let r = remove_tree(&old_tree);
                    crate::timing::timing("remove the old site", start);
                    r
                })))
            }
            Mode::InPlace => {
                for (tmp, rel) in &st.moves {
                    let to = p.out.join(rel);
                    std::fs::create_dir_all(to.parent().unwrap_or(&p.out))?;
                    std::fs::rename(tmp, &to)?;
                }
                let gone = remove_stale(&p.out, &wanted)?;
                stats.removed = gone.len();
                changed.extend(gone);
                remove_tree(&p.staging)?;
                Removal(None)
            }
        };
        self.done = true;
        changed.sort();
        Ok((stats, changed, removal))
    }

    /// Discard everything staged; the site stays as it was.
    pub fn abort(self) {
        drop(self)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            // hidden entries moved into the new site go back; the staged
            // files go (best effort: the next build finishes the job)
            let _ = recover(&self.places);
        }
    }
}

/// Exchange the new site with the live one; returns where the old one is
/// now (to be removed).
fn swap(p: &Places, exchange: bool) -> io::Result<PathBuf> {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    if exchange {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, &p.new, CWD, &p.out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(p.new.clone()),
            // not on this file system (or kernel): two renames
            Err(e)
                if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP].contains(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    let _ = exchange;
    std::fs::rename(&p.out, &p.old)?;
    if let Err(e) = std::fs::rename(&p.new, &p.out) {
        let _ = std::fs::rename(&p.old, &p.out);
        return Err(e);
    }
    Ok(p.old.clone())
}

/// The removal of an old site's tree after a build, on another thread.
/// Dropping it waits for it to finish: the old tree never outlives the
/// process that replaced it (unless killed; then the next build removes
/// it).
#[derive(Debug, Default)]
pub struct Removal(Option<std::thread::JoinHandle<io::Result<()>>>);

impl Removal {
    /// Wait for the removal to finish.
    pub fn wait(mut self) -> io::Result<()> {
        match self.0.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(io::Error::other("the removal of the old site panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let _ = h.join();
        }
    }
}

/// Write `outputs` under `dir`: the whole site replaced at once, only
/// changed files written, files an earlier build produced but this one did
/// not removed. Waits for the old site to be removed.
pub fn write_site(dir: &Path, outputs: &[Output]) -> io::Result<WriteStats> {
    let staged = Staged::new(dir)?;
    for o in outputs {
        staged.put(o)?;
    }
    let (stats, _, removal) = staged.commit()?;
    removal.wait()?;
    Ok(stats)
}

/// Update files of the site at `out` in place (the live preview): each
/// file whose bytes changed is written into the staging directory and
/// renamed over its target, so a reader sees the old file or the new one,
/// never half of one, and nothing is left behind (a killed process's
/// staging directory goes the next time). Making and removing the staging
/// directory in `out` moves `out`'s modification time on, which is how the
/// build stamp knows the site is no longer the one a build left
/// (`project::BuildStamp`). Returns the site paths written; on an error,
/// the site path that failed and the error.
pub fn write_in_place(out: &Path, outputs: &[Output]) -> Result<Vec<String>, (String, io::Error)> {
    use rayon::prelude::*;
    let places = Places::of(out).map_err(|e| (String::new(), e))?;
    let _lock = Lock::take(&places.parent);
    recover(&places).map_err(|e| (String::new(), e))?;
    let live = fsutil::Dir::open(&places.out).ok();
    let changed: Vec<(usize, &Output)> = outputs
        .par_iter()
        .enumerate()
        .filter(|(_, o)| {
            !live
                .as_ref()
                .is_some_and(|d| same_file(d, o.path.as_str(), &o.bytes))
        })
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(&places.staging).map_err(|e| (STAGING.to_string(), e))?;
    let staging = fsutil::Dir::open(&places.staging).map_err(|e| (STAGING.to_string(), e))?;
    // (flat names in the staging directory: no directories to make and
    // remove on every edit)
    let results: Vec<io::Result<()>> = changed
        .par_iter()
        .map(|(i, o)| {
            let target = places.out.join(o.path.as_str());
            let tmp = i.to_string();
            write_new(&staging, &tmp, &o.bytes)?;
            let tmp = places.staging.join(tmp);
            std::fs::create_dir_all(target.parent().unwrap_or(&places.out))?;
            std::fs::rename(&tmp, &target)
        })
        .collect();
    // (a few files: no threads)
    let cleaned = std::fs::remove_dir_all(&places.staging);
    let mut written = Vec::new();
    for (r, (_, o)) in results.into_iter().zip(&changed) {
        match r {
            Ok(()) => written.push(o.path.as_str().to_string()),
            Err(e) => return Err((o.path.as_str().to_string(), e)),
        }
    }
    cleaned.map_err(|e| (STAGING.to_string(), e))?;
    Ok(written)
}

/// Remove the files under `dir` that are not `wanted` (site paths), our
/// own temporary files, and directories left with nothing wanted in them.
/// Hidden entries (not ours) are never touched. Returns the site paths of
/// the files removed (not the temporaries).
fn remove_stale(dir: &Path, wanted: &BTreeSet<&str>) -> io::Result<Vec<String>> {
    let mut gone = Vec::new();
    let mut wanted_dirs: BTreeSet<&str> = BTreeSet::new();
    for p in wanted {
        let mut p = *p;
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if !wanted_dirs.insert(p) {
                break;
            }
        }
    }
    let mut stale_dirs = Vec::new();
    for entry in fsutil::walk(dir) {
        let entry = entry?;
        let rel = fsutil::display(dir, entry.path());
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            if !wanted_dirs.contains(rel.as_str()) {
                stale_dirs.push(entry.into_path());
            }
        } else if entry.file_type().is_file() {
            if fsutil::temp_owner(&name).is_some() {
                std::fs::remove_file(entry.path())?;
            } else if !name.starts_with('.') && !wanted.contains(rel.as_str()) {
                std::fs::remove_file(entry.path())?;
                gone.push(rel);
            }
        }
    }
    // children before parents; a directory that still holds something
    // (a hidden file) stays
    for d in stale_dirs.iter().rev() {
        match std::fs::remove_dir(d) {
            Err(e) if e.kind() != io::ErrorKind::DirectoryNotEmpty => return Err(e),
            _ => {}
        }
    }
    Ok(gone)
}

/// The buffer of a file written as it is made, and of the live file it is
/// compared with.
const BUFFER: usize = 256 * 1024;

/// A writer to a staged file that compares what it is given with the
/// live file at the same path as it goes ([`Staged::put_with`]), so that
/// neither file is ever held whole.
struct Compared {
    out: io::BufWriter<std::fs::File>,
    /// The live file, while every byte so far matched it.
    old: Option<io::BufReader<std::fs::File>>,
    buf: Vec<u8>,
}

impl Compared {
    /// Write the staged file out; whether the live file holds the same
    /// bytes.
    fn finish(mut self) -> io::Result<bool> {
        use std::io::Read as _;
        self.out.into_inner().map_err(|e| e.into_error())?;
        // the same only if the live file has nothing more
        Ok(self
            .old
            .take()
            .is_some_and(|mut f| matches!(f.read(&mut [0]), Ok(0))))
    }
}

impl io::Write for Compared {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        use std::io::Read as _;
        let n = self.out.write(data)?;
        if let Some(old) = &mut self.old {
            self.buf.resize(n, 0);
            if old.read_exact(&mut self.buf).is_err() || self.buf[..] != data[..n] {
                self.old = None;
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Write `bytes` to a new file at `rel` in `dir` (never into an existing
/// one: it could be a hard link to a live page).
fn write_new(dir: &fsutil::Dir, rel: &str, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    dir.create_new(rel)?.write_all(bytes)
}

/// Whether the file at `rel` in `dir` holds `bytes`.
fn same_file(dir: &fsutil::Dir, rel: &str, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    let Ok(mut f) = dir.open_file(rel) else {
        return false;
    };
    if !f
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    let mut old = Vec::with_capacity(bytes.len());
    f.read_to_end(&mut old).is_ok() && old == bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SitePath;

    fn out(path: &str, bytes: &str) -> Output {
        Output {
            path: SitePath::new(path),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    /// A temporary directory holding `site/` (so that what a build puts
    /// beside it is seen).
    fn root() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        (root, site)
    }

    /// Every entry below `dir`, hidden ones included, with the contents of
    /// files: `path` or `path=bytes`.
    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = fsutil::display(dir, e.path());
                if e.file_type().is_file() {
                    format!("{rel}={}", std::fs::read_to_string(e.path()).unwrap())
                } else {
                    rel
                }
            })
            .collect();
        v.sort();
        v
    }

    fn build(site: &Path, outputs: &[Output]) -> (WriteStats, Vec<String>) {
        let staged = Staged::new(site).unwrap();
        for o in outputs {
            staged.put(o).unwrap();
        }
        let (stats, changed, removal) = staged.commit().unwrap();
        removal.wait().unwrap();
        (stats, changed)
    }

    /// Stage `bytes` at `rel` as a file written as it is made, in pieces of
    /// three bytes.
    fn put_streamed(staged: &Staged, rel: &str, bytes: &str) -> io::Result<()> {
        staged.put_with(rel, &mut |w| {
            for piece in bytes.as_bytes().chunks(3) {
                w.write_all(piece)?;
            }
            Ok(())
        })
    }

    #[test]
    fn a_file_written_as_it_is_made_is_compared_with_the_live_one_on_the_way() {
        use std::os::unix::fs::MetadataExt as _;
        let (root, d) = root();
        let live = [
            ("data/same.json", "the same bytes, and more of them"),
            ("data/longer.json", "short"),
            ("data/shorter.json", "longer than the new one"),
            ("data/other.json", "abcdefghij"),
        ];
        let outputs: Vec<Output> = live.iter().map(|(p, b)| out(p, b)).collect();
        write_site(&d, &outputs).unwrap();
        let ino = |rel: &str| std::fs::metadata(d.join(rel)).unwrap().ino();
        let before = ino("data/same.json");
        let staged = Staged::new(&d).unwrap();
        put_streamed(&staged, "data/same.json", live[0].1).unwrap();
        put_streamed(&staged, "data/longer.json", "short and then some").unwrap();
        put_streamed(&staged, "data/shorter.json", "longer").unwrap();
        put_streamed(&staged, "data/other.json", "abcdefghiX").unwrap();
        put_streamed(&staged, "data/new.json", "new").unwrap();
        // the first put at a path wins
        put_streamed(&staged, "data/new.json", "again").unwrap();
        let (stats, changed, removal) = staged.commit().unwrap();
        removal.wait().unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (4, 1, 0));
        assert_eq!(
            changed,
            [
                "data/longer.json",
                "data/new.json",
                "data/other.json",
                "data/shorter.json"
            ]
        );
        // unchanged: the live file itself, linked into the new site
        assert_eq!(ino("data/same.json"), before);
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/data",
                "site/data/longer.json=short and then some",
                "site/data/new.json=new",
                "site/data/other.json=abcdefghiX",
                "site/data/same.json=the same bytes, and more of them",
                "site/data/shorter.json=longer",
            ]
        );
    }

    #[test]
    fn a_file_written_as_it_is_made_updates_a_site_in_place_only_if_it_changed() {
        let (root, d) = root();
        write_site(&d, &[out("a.json", "same"), out("b.json", "old")]).unwrap();
        let staged = Staged::open(&d, true).unwrap();
        put_streamed(&staged, "a.json", "same").unwrap();
        put_streamed(&staged, "b.json", "new!").unwrap();
        assert_eq!(listing(&d.join(STAGING)), ["1=new!"]);
        let (stats, changed, _) = staged.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(changed, ["b.json"]);
        assert_eq!(
            listing(root.path()),
            ["site", "site/a.json=same", "site/b.json=new!"]
        );
    }

    #[test]
    fn a_file_written_as_it_is_made_that_fails_leaves_the_site_as_it_was() {
        let (root, d) = root();
        write_site(&d, &[out("a.json", "old")]).unwrap();
        let staged = Staged::new(&d).unwrap();
        let e = staged
            .put_with("a.json", &mut |w| {
                w.write_all(b"half")?;
                Err(io::Error::other("serialising failed"))
            })
            .unwrap_err();
        assert_eq!(e.to_string(), "serialising failed");
        // every later put fails with it
        assert!(staged.put(&out("b.json", "b")).is_err());
        assert!(staged.failure("site").is_some());
        staged.abort();
        assert_eq!(listing(root.path()), ["site", "site/a.json=old"]);
    }

    #[test]
    fn stale_files_and_dirs_go_hidden_ones_stay() {
        let (root, d) = root();
        let first = [out("index.html", "i"), out("articles/a/index.html", "a")];
        let s = write_site(&d, &first).unwrap();
        assert_eq!((s.written, s.removed), (2, 0));
        for f in [
            ".git/HEAD",
            ".git/refs/heads/main",
            "articles/a/.keep",
            ".nojekyll",
        ] {
            fsutil::write_atomic(&d.join(f), b"x").unwrap();
        }
        std::fs::create_dir_all(d.join(".git/refs/tags")).unwrap();
        std::fs::create_dir_all(d.join("old/empty")).unwrap();
        let second = [out("index.html", "i"), out("articles/b/index.html", "b")];
        let s = write_site(&d, &second).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        // kept alive by its hidden file; empty stale directories are gone;
        // a deployment checkout in site/ is carried over, empty dirs included
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/.git",
                "site/.git/HEAD=x",
                "site/.git/refs",
                "site/.git/refs/heads",
                "site/.git/refs/heads/main=x",
                "site/.git/refs/tags",
                "site/.nojekyll=x",
                "site/articles",
                "site/articles/a",
                "site/articles/a/.keep=x",
                "site/articles/b",
                "site/articles/b/index.html=b",
                "site/index.html=i",
            ]
        );
    }

    #[test]
    fn a_build_shows_nothing_until_it_commits_and_a_failed_one_leaves_nothing() {
        let (root, d) = root();
        write_site(&d, &[out("index.html", "old"), out("gone.html", "g")]).unwrap();
        fsutil::write_atomic(&d.join(".git/HEAD"), b"x").unwrap();
        let before = listing(root.path());

        // a build that fails half-way: nothing a reader sees has changed,
        // and nothing is left behind
        let staged = Staged::new(&d).unwrap();
        staged.put(&out("index.html", "new")).unwrap();
        staged.put(&out("articles/a/index.html", "a")).unwrap();
        assert_eq!(
            listing(&d),
            ["", ".git", ".git/HEAD=x", "gone.html=g", "index.html=old"][1..]
        );
        staged.abort();
        assert_eq!(listing(root.path()), before);

        // a build that succeeds: changed files are new, unchanged ones are
        // not rewritten, stale ones go, the first put of a path wins
        let staged = Staged::new(&d).unwrap();
        staged.put(&out("index.html", "new")).unwrap();
        staged.put(&out("index.html", "second")).unwrap();
        staged.put(&out("articles/a/index.html", "a")).unwrap();
        assert_eq!(staged.paths(), ["articles/a/index.html", "index.html"]);
        let (stats, changed, removal) = staged.commit().unwrap();
        // the new site is in place before the old one is gone
        assert_eq!(
            listing(&d),
            [
                ".git",
                ".git/HEAD=x",
                "articles",
                "articles/a",
                "articles/a/index.html=a",
                "index.html=new"
            ]
        );
        removal.wait().unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 1));
        assert_eq!(
            changed,
            ["articles/a/index.html", "gone.html", "index.html"]
        );
        assert_eq!(listing(root.path())[0], "site", "nothing beside the site");
        let (stats, changed) = build(
            &d,
            &[out("index.html", "new"), out("articles/a/index.html", "a")],
        );
        assert_eq!((stats.written, stats.unchanged), (0, 2));
        assert!(changed.is_empty());
        assert!(listing(root.path()).iter().all(|p| p.starts_with("site")));
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_the_live_files_linked_not_written_again() {
        use std::os::unix::fs::MetadataExt;
        let (_root, d) = root();
        write_site(&d, &[out("same.html", "s"), out("changed.html", "1")]).unwrap();
        let ino = |f: &str| std::fs::metadata(d.join(f)).unwrap().ino();
        let (same, changed) = (ino("same.html"), ino("changed.html"));
        build(&d, &[out("same.html", "s"), out("changed.html", "2")]);
        assert_eq!(ino("same.html"), same);
        assert_ne!(ino("changed.html"), changed);
        assert_eq!(std::fs::metadata(d.join("same.html")).unwrap().nlink(), 1);
    }

    #[test]
    fn a_first_build_appears_whole_or_not_at_all() {
        let (root, d) = root();
        // fails half-way: no site, nothing left behind
        let staged = Staged::new(&d).unwrap();
        staged.put(&out("index.html", "i")).unwrap();
        staged.put(&out("articles/a/index.html", "a")).unwrap();
        assert!(!d.exists());
        staged.abort();
        assert!(
            listing(root.path()).is_empty(),
            "{:?}",
            listing(root.path())
        );
        // succeeds: every file at once, by one rename
        let staged = Staged::new(&d).unwrap();
        staged.put(&out("index.html", "i")).unwrap();
        staged.put(&out("index.html", "second")).unwrap();
        staged.put(&out("articles/a/index.html", "a")).unwrap();
        assert!(!d.exists());
        let (stats, changed, _) = staged.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 0));
        assert_eq!(changed, ["articles/a/index.html", "index.html"]);
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/articles",
                "site/articles/a",
                "site/articles/a/index.html=a",
                "site/index.html=i"
            ]
        );
    }

    #[test]
    fn without_the_exchange_two_renames_give_the_same_site() {
        let (root, d) = root();
        write_site(&d, &[out("index.html", "old"), out("gone.html", "g")]).unwrap();
        fsutil::write_atomic(&d.join(".git/HEAD"), b"x").unwrap();
        let staged = Staged::new(&d).unwrap().without_exchange();
        staged.put(&out("index.html", "new")).unwrap();
        let (stats, changed, removal) = staged.commit().unwrap();
        removal.wait().unwrap();
        assert_eq!((stats.written, stats.removed), (1, 1));
        assert_eq!(changed, ["gone.html", "index.html"]);
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/.git",
                "site/.git/HEAD=x",
                "site/index.html=new"
            ]
        );
    }

    #[test]
    fn a_full_disk_fails_once_with_the_path_and_leaves_the_site_as_it_was() {
        let (root, d) = root();
        write_site(
            &d,
            &[out("a.html", "1"), out("b.html", "1"), out("c.html", "1")],
        )
        .unwrap();
        fsutil::write_atomic(&d.join(".git/HEAD"), b"x").unwrap();
        let before = listing(root.path());
        let mut staged = Staged::new(&d).unwrap();
        staged.fail_after = Some(1.into());
        staged.put(&out("a.html", "2")).unwrap();
        let e = staged.put(&out("b.html", "2")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        // every later write fails at once, with the first error
        assert_eq!(
            staged.put(&out("c.html", "2")).unwrap_err().kind(),
            e.kind()
        );
        let p = staged.failure("site").unwrap();
        assert_eq!(p.file, "site/b.html");
        assert!(
            p.message.starts_with("cannot write the new site: "),
            "{}",
            p.message
        );
        assert!(
            p.help
                .unwrap()
                .contains("then run briefing again; the previous site is as it was")
        );
        drop(staged);
        assert_eq!(listing(root.path()), before);
    }

    /// The states a build killed at each step leaves, and what the next
    /// build makes of them.
    #[test]
    fn what_a_killed_build_left_is_put_right() {
        let old = [out("index.html", "old"), out("articles/a/index.html", "a")];
        let setup = || {
            let (root, d) = root();
            write_site(&d, &old).unwrap();
            fsutil::write_atomic(&d.join(".git/HEAD"), b"x").unwrap();
            fsutil::write_atomic(&d.join("articles/.keep"), b"k").unwrap();
            // not ours: never touched
            fsutil::write_atomic(&root.path().join(".site.briefing-newer/f"), b"n").unwrap();
            fsutil::write_atomic(&root.path().join(".other.briefing-new/f"), b"n").unwrap();
            let expected = listing(root.path());
            let p = Places::of(&d).unwrap();
            (root, d, p, expected)
        };
        let stage_new = |p: &Places| {
            fsutil::write_atomic(&p.new.join("index.html"), b"new").unwrap();
            fsutil::write_atomic(&p.new.join("articles/b/index.html"), b"b").unwrap();
        };
        let move_hidden_into = |p: &Places, to: &Path| {
            std::fs::rename(p.out.join(".git"), to.join(".git")).unwrap();
            std::fs::create_dir_all(to.join("articles")).unwrap();
            std::fs::rename(p.out.join("articles/.keep"), to.join("articles/.keep")).unwrap();
        };

        // killed while writing the new site
        let (root, _d, p, expected) = setup();
        stage_new(&p);
        recover_site(&p.out).unwrap();
        assert_eq!(listing(root.path()), expected);

        // killed while moving the hidden entries into the new site
        let (root, _d, p, expected) = setup();
        stage_new(&p);
        move_hidden_into(&p, &p.new);
        recover_site(&p.out).unwrap();
        assert_eq!(listing(root.path()), expected);

        // killed between the two renames (no exchange): no site/ at all
        let (root, _d, p, expected) = setup();
        stage_new(&p);
        move_hidden_into(&p, &p.new);
        std::fs::rename(&p.out, &p.old).unwrap();
        recover_site(&p.out).unwrap();
        assert_eq!(listing(root.path()), expected);

        // killed while the old site was being removed (after the exchange,
        // or after both renames): the new site stays, the old one goes
        for after in [&|p: &Places| p.new.clone(), &|p: &Places| p.old.clone()]
            as [&dyn Fn(&Places) -> PathBuf; 2]
        {
            let (root, _d, p, _) = setup();
            stage_new(&p);
            move_hidden_into(&p, &p.new);
            if after(&p) == p.old {
                std::fs::rename(&p.out, &p.old).unwrap();
                std::fs::rename(&p.new, &p.out).unwrap();
            } else {
                // (what the exchange does)
                let tmp = root.path().join("tmp");
                std::fs::rename(&p.new, &tmp).unwrap();
                std::fs::rename(&p.out, &p.new).unwrap();
                std::fs::rename(&tmp, &p.out).unwrap();
            }
            std::fs::remove_file(after(&p).join("index.html")).unwrap();
            recover_site(&p.out).unwrap();
            let l = listing(root.path());
            assert!(l.contains(&"site/index.html=new".to_string()), "{l:?}");
            assert!(l.contains(&"site/.git/HEAD=x".to_string()), "{l:?}");
            assert!(l.contains(&"site/articles/.keep=k".to_string()), "{l:?}");
            let ours = |e: &String| {
                [".site.briefing-new", ".site.briefing-old"]
                    .iter()
                    .any(|n| e == n || e.starts_with(&format!("{n}/")))
            };
            assert!(!l.iter().any(ours), "{l:?}");
            assert!(l.contains(&".site.briefing-newer/f=n".to_string()), "{l:?}");
        }

        // a hidden entry whose place was taken meanwhile is kept beside it
        let (root, _d, p, _) = setup();
        stage_new(&p);
        move_hidden_into(&p, &p.new);
        fsutil::write_atomic(&p.out.join(".git/HEAD"), b"y").unwrap();
        recover_site(&p.out).unwrap();
        let l = listing(root.path());
        assert!(l.contains(&"site/.git/HEAD=y".to_string()), "{l:?}");
        assert!(
            l.contains(&"site/.git.recovered/HEAD=x".to_string()),
            "{l:?}"
        );

        // a preview killed while updating in place, and temporaries an
        // older version left beside pages: gone, with nothing else
        let (root, _d, p, expected) = setup();
        fsutil::write_atomic(&p.staging.join("index.html"), b"half").unwrap();
        recover_site(&p.out).unwrap();
        assert_eq!(listing(root.path()), expected);
        fsutil::write_atomic(&p.out.join("articles/a/.index.html.99.briefing-tmp"), b"t").unwrap();
        build(&p.out, &old);
        assert_eq!(listing(root.path()), expected);
    }

    #[test]
    fn a_site_that_cannot_be_replaced_is_updated_in_place_leaving_nothing() {
        let (root, d) = root();
        write_site(&d, &[out("index.html", "old"), out("gone.html", "g")]).unwrap();
        fsutil::write_atomic(&d.join(".git/HEAD"), b"x").unwrap();
        fsutil::write_atomic(&d.join("a/.index.html.99.briefing-tmp"), b"t").unwrap();
        let staged = Staged::open(&d, true).unwrap();
        staged.put(&out("index.html", "new")).unwrap();
        staged.put(&out("same.html", "s")).unwrap();
        staged.abort();
        assert_eq!(
            listing(&d),
            [
                ".git",
                ".git/HEAD=x",
                "a",
                "a/.index.html.99.briefing-tmp=t",
                "gone.html=g",
                "index.html=old"
            ]
        );
        let staged = Staged::open(&d, true).unwrap();
        staged.put(&out("index.html", "new")).unwrap();
        assert_eq!(listing(&d.join(STAGING)), ["0=new"]);
        let (stats, changed, _) = staged.commit().unwrap();
        assert_eq!((stats.written, stats.removed), (1, 1));
        assert_eq!(changed, ["gone.html", "index.html"]);
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/.git",
                "site/.git/HEAD=x",
                "site/index.html=new"
            ]
        );
    }

    #[test]
    fn the_preview_updates_files_in_place_and_leaves_nothing() {
        let (root, d) = root();
        write_site(&d, &[out("index.html", "old"), out("same.html", "s")]).unwrap();
        // what a preview killed half-way left
        fsutil::write_atomic(&d.join(STAGING).join("index.html"), b"half").unwrap();
        let written = write_in_place(
            &d,
            &[
                out("index.html", "new"),
                out("same.html", "s"),
                out("n/x.html", "x"),
            ],
        )
        .unwrap();
        assert_eq!(written, ["index.html", "n/x.html"]);
        assert_eq!(
            listing(root.path()),
            [
                "site",
                "site/index.html=new",
                "site/n",
                "site/n/x.html=x",
                "site/same.html=s"
            ]
        );
    }

    #[test]
    fn a_build_holds_the_lock_until_the_old_site_is_gone() {
        let (root, d) = root();
        write_site(&d, &[out("index.html", "old")]).unwrap();
        let locked = || {
            let f = std::fs::File::open(root.path()).unwrap();
            matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        };
        assert!(!locked());
        let staged = Staged::new(&d).unwrap();
        staged.put(&out("index.html", "new")).unwrap();
        assert!(locked());
        let (_, _, removal) = staged.commit().unwrap();
        removal.wait().unwrap();
        assert!(!locked());
    }

    #[test]
    fn a_file_in_the_way_is_an_error_and_stays() {
        let (root, d) = root();
        std::fs::write(&d, "mine").unwrap();
        let e = Staged::new(&d).err().unwrap();
        assert_eq!(e.kind(), io::ErrorKind::NotADirectory);
        assert_eq!(listing(root.path()), ["site=mine"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_site_stays_a_symlink() {
        let (root, d) = root();
        let real = root.path().join("real");
        write_site(&real, &[out("index.html", "old")]).unwrap();
        std::os::unix::fs::symlink(&real, &d).unwrap();
        build(&d, &[out("index.html", "new")]);
        assert!(
            std::fs::symlink_metadata(&d)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            listing(root.path()),
            ["real", "real/index.html=new", "site"]
        );
    }
}
