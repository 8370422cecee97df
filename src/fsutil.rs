//! File-system helpers used at the edges: atomic writes (temp file +
//! rename), removing the temporary files a killed process left, and
//! directory walking in a deterministic order.
//!
//! Inputs and outputs are walked differently: [`list_inputs`] follows
//! symbolic links that stay inside the project and reports the others
//! (pointing outside, dangling, looping) and anything that cannot be read,
//! instead of skipping them silently; [`walk`] and [`list_files`], for the
//! output directory, never follow a link (so a clean-up can never reach
//! outside it).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: write a temporary file in the same
/// directory ([`temp_beside`]), flush it to the disk, then rename it over
/// the target. Readers see either the old or the new file, never half of
/// one; the temporary is removed if anything fails, and one left by a
/// killed process is removed by the next build
/// ([`remove_stale_temporaries`]). Parent directories are created.
/// (The generated site is written by `site`, which does without the
/// flush: it can be made again.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (_, tmp) = write_temp(path, bytes, false)?;
    let result = std::fs::rename(&tmp, path);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The first half of every write here: `bytes` in the temporary file
/// beside `path` ([`temp_beside`]), flushed to the disk (contents only, or
/// with its metadata when `full`), its directory created first. Returns
/// the directory and the temporary; nothing is left behind on failure.
fn write_temp(path: &Path, bytes: &[u8], full: bool) -> io::Result<(PathBuf, PathBuf)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let tmp = temp_beside(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if full { f.sync_all() } else { f.sync_data() }
    })();
    match result {
        Ok(()) => Ok((dir, tmp)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The second half of [`write_new`] and [`write_new_numbered`]: `bytes`,
/// written durably beside `base`, take the first of the names `name(1)`,
/// `name(2)`, … that is free — by a hard link, which fails if the name
/// exists, so no file is ever replaced; `name` answering `None` ends the
/// search with [`io::ErrorKind::AlreadyExists`]. Returns the path taken.
fn write_under_free_name(
    base: &Path,
    bytes: &[u8],
    mut name: impl FnMut(&Path, u32) -> Option<PathBuf>,
) -> io::Result<PathBuf> {
    let (dir, tmp) = write_temp(base, bytes, true)?;
    let result = (|| {
        let mut n = 1u32;
        let path = loop {
            let Some(path) = name(&dir, n) else {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            };
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => break path,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => n += 1,
                // a file system without hard links: the name, if free,
                // taken by a rename (another process could take it first)
                Err(_) if !path.exists() => {
                    std::fs::rename(&tmp, &path)?;
                    break path;
                }
                Err(_) => n += 1,
            }
        };
        sync_dir(&dir);
        Ok(path)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// The hidden temporary file beside `path` that an atomic write of it goes
/// through: `.<name>.<pid>.briefing-tmp` (ignored by [`is_ignored_name`],
/// so never taken for an input or a stale output; the pid tells
/// [`remove_stale_temporaries`] whether its writer is still running).
pub fn temp_beside(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()))
}

const TEMP_SUFFIX: &str = ".briefing-tmp";

/// The process id in the name of one of our temporary files
/// (`.<name>.<pid>.briefing-tmp`, see [`temp_beside`]); `None` for any
/// other name, so nothing that is not ours is ever taken for one.
pub fn temp_owner(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (stem, pid) = inner.rsplit_once('.')?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether the process `pid` has ended (so a temporary file it left can
/// go). This process is running; so is any process we may not signal.
/// Where that cannot be asked, a process is taken to have ended when its
/// file is more than an hour old (`modified`).
fn process_ended(pid: u32, modified: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        let _ = modified;
        match i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            Some(p) => rustix::process::test_kill_process(p) == Err(rustix::io::Errno::SRCH),
            None => false,
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        let _ = pid;
        modified
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600))
    }
}

/// Remove the temporary files of atomic writes ([`temp_beside`]) that a
/// process killed half-way left in `dir` (and below it when `recursive`,
/// not into hidden directories; `dir` itself may be hidden, e.g.
/// `.briefing/`), when that process has ended. Nothing else is touched.
/// Returns the paths removed.
pub fn remove_stale_temporaries(dir: &Path, recursive: bool) -> Vec<PathBuf> {
    // (`read_dir`, not a walker: this runs before every build, no-op ones
    // included, over directories of ten thousand files)
    let mut removed = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if recursive && !name.starts_with('.') {
                    dirs.push(entry.path());
                }
                continue;
            }
            if kind.is_file() && temp_owner(name).is_some() && remove_if_stale(&entry.path()) {
                removed.push(entry.path());
            }
        }
    }
    removed
}

/// Remove the temporary file `path` (one of ours, [`temp_owner`]) if the
/// process that wrote it has ended; whether it was removed.
fn remove_if_stale(path: &Path) -> bool {
    let Some(pid) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(temp_owner)
    else {
        return false;
    };
    let modified = std::fs::symlink_metadata(path)
        .ok()
        .and_then(|m| m.modified().ok());
    process_ended(pid, modified) && std::fs::remove_file(path).is_ok()
}

/// [`remove_stale_temporaries`] of the files `paths` (found by
/// [`stat_tree`]); returns those removed.
pub fn remove_temporaries(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| remove_if_stale(p))
        .cloned()
        .collect()
}

/// Write `bytes` to a new file `<base>.<n>`, with the first `n` from 1 that
/// is free, atomically and durably: the file is complete (on disk) before
/// it has its name, and an existing file is never replaced, even by two
/// processes at once (the name is taken by a hard link, which fails if it
/// exists). For backups of the analyst's files. Returns the path written.
pub fn write_new_numbered(base: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let name = base.file_name().unwrap_or_default().to_string_lossy();
    write_under_free_name(base, bytes, |dir, n| Some(dir.join(format!("{name}.{n}"))))
}

/// Write `bytes` to `path`, a file that must not exist yet, atomically and
/// durably: the file is complete (on disk) before it has its name, and an
/// existing file is never replaced, even by two processes at once (the
/// name is taken by a hard link, which fails if it exists: the error is
/// then [`io::ErrorKind::AlreadyExists`]). For files that are written once
/// and never again (editions).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_under_free_name(path, bytes, |_, n| (n == 1).then(|| path.to_path_buf())).map(drop)
}

/// Flush a directory's entries to the disk (that a file was created or
/// renamed in it), where the platform allows it; best effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Write only when the bytes differ from what is on disk. Returns whether
/// the file was written.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if let Ok(old) = std::fs::read(path)
        && old == bytes
    {
        return Ok(false);
    }
    write_atomic(path, bytes)?;
    Ok(true)
}

/// Regular files below `dir` (recursively), sorted, skipping hidden files,
/// hidden directories (`.git/`, `.obsidian/`) and editor temp files. A
/// missing directory gives an empty list.
pub fn list_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        let entry = entry?;
        if entry.file_type().is_file() && !is_ignored_name(entry.file_name().to_str().unwrap_or(""))
        {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// Every entry below `dir` (not `dir` itself), sorted by name, parents
/// before their children, without descending into hidden directories.
/// A missing directory gives nothing.
pub fn walk(dir: &Path) -> impl Iterator<Item = io::Result<walkdir::DirEntry>> {
    let exists = dir.is_dir();
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir() && e.file_name().to_str().is_some_and(|n| n.starts_with('.')))
        })
        .filter(move |_| exists)
        .map(|e| e.map_err(io::Error::other))
}

/// A directory opened once, for many file operations under it: each names
/// a path relative to the directory, so the kernel looks up only that
/// path's own components, not the directory's whole path again (a site
/// of 100,000 pages is that many `open`s, `mkdir`s and `stat`s; the
/// lookup of a long absolute path was most of their cost). Where the
/// platform has no `*at` calls, the paths are joined.
pub struct Dir {
    path: PathBuf,
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    fd: std::os::fd::OwnedFd,
}

/// A file's length, modification time and status change time (ns since
/// the epoch; 0 before it or unknown), and its device and inode numbers
/// (0 where the platform has none), as `std::fs::Metadata` gives them.
///
/// The status change time (`ctime`) moves with every write, rename or
/// change of the file's times, and nothing sets it back: a file whose
/// bytes were replaced and its modification time set back to the old one
/// (`cp -p`, `rsync -a`, `touch -r`) keeps its length and `mtime` but
/// not its `ctime`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub len: u64,
    pub mtime: u128,
    pub ctime: u128,
    pub ino: u64,
    pub dev: u64,
}

/// ns since the epoch of a time given as seconds and nanoseconds; 0 before
/// the epoch.
fn ns(sec: i64, nsec: i64) -> u128 {
    if sec < 0 || nsec < 0 {
        0
    } else {
        sec as u128 * 1_000_000_000 + nsec as u128
    }
}

impl Stat {
    pub fn of(m: &std::fs::Metadata) -> Stat {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stat {
                len: m.len(),
                mtime,
                ctime: ns(m.ctime(), m.ctime_nsec()),
                ino: m.ino(),
                dev: m.dev(),
            }
        }
        #[cfg(not(unix))]
        Stat {
            len: m.len(),
            mtime,
            ..Stat::default()
        }
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    fn of_raw(st: &rustix::fs::Stat) -> Stat {
        // (the fields' integer types differ between systems)
        #[allow(clippy::unnecessary_cast)]
        Stat {
            len: st.st_size as u64,
            mtime: ns(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: ns(st.st_ctime as i64, st.st_ctime_nsec as i64),
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
        }
    }
}

impl Dir {
    /// Open the directory at `path` (links followed).
    pub fn open(path: &Path) -> io::Result<Dir> {
        Dir::open_with(path, true)
    }

    /// Open the directory at `path`, which must not be a symbolic link
    /// itself (the directories above it may be).
    pub fn open_real(path: &Path) -> io::Result<Dir> {
        Dir::open_with(path, false)
    }

    fn open_with(path: &Path, follow: bool) -> io::Result<Dir> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{Mode, OFlags};
            let nofollow = if follow {
                OFlags::empty()
            } else {
                OFlags::NOFOLLOW
            };
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | nofollow,
                Mode::empty(),
            )?;
            Ok(Dir {
                path: path.to_path_buf(),
                fd,
            })
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        {
            let meta = if follow {
                std::fs::metadata(path)?
            } else {
                std::fs::symlink_metadata(path)?
            };
            if !meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "not a directory",
                ));
            }
            Ok(Dir {
                path: path.to_path_buf(),
            })
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Create the new file `rel` for writing; it must not exist.
    pub fn create_new(&self, rel: &str) -> io::Result<std::fs::File> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::openat(
                &self.fd,
                rel,
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o666),
            )?;
            Ok(std::fs::File::from(fd))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(rel))
    }

    /// Open the file `rel` for reading.
    pub fn open_file(&self, rel: &str) -> io::Result<std::fs::File> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::openat(
                &self.fd,
                rel,
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(std::fs::File::from(fd))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        std::fs::File::open(self.path.join(rel))
    }

    /// Make the directory `rel` (its parent must exist).
    pub fn mkdir(&self, rel: &str) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            rustix::fs::mkdirat(&self.fd, rel, rustix::fs::Mode::from_raw_mode(0o777))?;
            Ok(())
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        std::fs::create_dir(self.path.join(rel))
    }

    /// Make `rel` in `to` a hard link to the file `rel` here.
    pub fn hard_link(&self, rel: &str, to: &Dir) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            rustix::fs::linkat(&self.fd, rel, &to.fd, rel, rustix::fs::AtFlags::empty())?;
            Ok(())
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        std::fs::hard_link(self.path.join(rel), to.path.join(rel))
    }

    /// The length and modification time of `rel` (links followed), or
    /// `None` if it cannot be read.
    pub fn stat(&self, rel: &str) -> Option<Stat> {
        self.stat_with(rel, false)
    }

    /// [`Dir::stat`] of `rel` when it is a regular file itself (not a
    /// symbolic link to one); `None` otherwise.
    pub fn stat_file(&self, rel: &str) -> Option<Stat> {
        self.stat_with(rel, true)
    }

    /// [`Dir::stat`] of `rel` when it is a directory itself (not a
    /// symbolic link to one); `None` otherwise.
    pub fn stat_dir(&self, rel: &str) -> Option<Stat> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{AtFlags, FileType};
            let st = rustix::fs::statat(&self.fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            (FileType::from_raw_mode(st.st_mode as _) == FileType::Directory)
                .then(|| Stat::of_raw(&st))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        {
            let m = std::fs::symlink_metadata(self.path.join(rel)).ok()?;
            m.is_dir().then(|| Stat::of(&m))
        }
    }

    /// The [`Stat`] of the directory itself.
    pub fn stat_self(&self) -> Option<Stat> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            rustix::fs::fstat(&self.fd).ok().map(|st| Stat::of_raw(&st))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        std::fs::metadata(&self.path).ok().map(|m| Stat::of(&m))
    }

    fn stat_with(&self, rel: &str, file_only: bool) -> Option<Stat> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{AtFlags, FileType};
            let flags = if file_only {
                AtFlags::SYMLINK_NOFOLLOW
            } else {
                AtFlags::empty()
            };
            let st = rustix::fs::statat(&self.fd, rel, flags).ok()?;
            if file_only && FileType::from_raw_mode(st.st_mode as _) != FileType::RegularFile {
                return None;
            }
            Some(Stat::of_raw(&st))
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        {
            let path = self.path.join(rel);
            let m = if file_only {
                std::fs::symlink_metadata(path).ok()?
            } else {
                std::fs::metadata(path).ok()?
            };
            (!file_only || m.is_file()).then(|| Stat::of(&m))
        }
    }
}

/// What tells one directory from another and says when its entries last
/// changed: its device and inode numbers (0 where the platform has none)
/// and its modification time (ns since the epoch), which creating,
/// removing or renaming an entry in it moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DirMark {
    pub dev: u64,
    pub ino: u64,
    pub mtime: u64,
}

/// The [`DirMark`] of the directory at `path` (links followed), or `None`
/// when it is not a directory or cannot be read.
pub fn dir_mark(path: &Path) -> Option<DirMark> {
    let m = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    let (dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let (dev, ino) = (0, 0);
    let mtime = u64::try_from(Stat::of(&m).mtime).unwrap_or(u64::MAX);
    Some(DirMark { dev, ino, mtime })
}

/// [`Dir::stat`] of each of `rels` under `base`, side by side; all `None`
/// when `base` cannot be opened.
pub fn stat_all<S: AsRef<str> + Sync>(base: &Path, rels: &[S]) -> Vec<Option<Stat>> {
    use rayon::prelude::*;
    match Dir::open(base) {
        Ok(dir) => rels
            .par_iter()
            .with_min_len(256)
            .map(|r| dir.stat(r.as_ref()))
            .collect(),
        Err(_) => vec![None; rels.len()],
    }
}

/// [`Dir::stat_file`] of each `(directory, path)` of `files`, on as many
/// scoped threads as the machine has cores, each taking the next piece
/// of 2,048 files while there is one (the `stat`s of 200,000 inputs are
/// most of a build with nothing to do; on a busy machine a thread that
/// loses its core leaves its pieces to the others, and no idle worker
/// spins as a pool's would).
pub fn stat_files(files: &[(&Dir, &str)]) -> Vec<Option<Stat>> {
    const PIECE: usize = 2048;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().div_ceil(PIECE))
        .max(1);
    let mut out = vec![None; files.len()];
    if threads == 1 {
        for (o, (d, rel)) in out.iter_mut().zip(files) {
            *o = d.stat_file(rel);
        }
        return out;
    }
    let pieces = std::sync::Mutex::new(files.chunks(PIECE).zip(out.chunks_mut(PIECE)));
    // (the lock is let go before the piece is worked on)
    let next = || pieces.lock().ok().and_then(|mut p| p.next());
    let work = || {
        while let Some((files, out)) = next() {
            for (o, (d, rel)) in out.iter_mut().zip(files) {
                *o = d.stat_file(rel);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    out
}

/// What [`stat_tree`] finds below an input directory.
#[derive(Debug, Default)]
pub struct Tree {
    /// The regular files, each with its [`Stat`], sorted by path (relative
    /// to the directory, `/`-separated).
    pub files: Vec<(String, Stat)>,
    /// The directories listed (`""` for the directory itself, then
    /// `sub/`, …), each with its [`Stat`] taken before its entries were
    /// read: while a directory's `Stat` is the same, so are its entries
    /// (creating, removing or renaming one moves its modification time).
    pub dirs: Vec<(String, Stat)>,
    /// Our own temporary files ([`temp_owner`]) seen on the way, for
    /// [`remove_temporaries`]: the pass that lists the files finds them
    /// without another.
    pub temporaries: Vec<PathBuf>,
}

/// The regular files below the input directory `dir`, each with its
/// [`Stat`]: the files [`list_inputs`] lists (hidden and editor files and
/// hidden directories skipped, subdirectories entered), found with one
/// pass over each directory's entries (`getdents`, whose entry types say
/// which are files) and one `fstatat` per file relative to its directory
/// opened once, the `stat`s side by side. For the build's fingerprint of
/// 200,000 inputs; [`list_inputs`] + [`stat_all`] cost more
/// (paths parsed and sorted as `Path`s, two components looked up per
/// file).
///
/// `None` where that listing would not be the same as [`list_inputs`]' or
/// cannot be made: `dir` or anything in it is a symbolic link (which
/// `list_inputs` follows when it stays inside the project, and reports
/// otherwise), a name is not UTF-8, `dir` is not a directory, or something
/// cannot be read. The caller then takes `list_inputs`' way. A missing
/// `dir` gives nothing.
pub fn stat_tree(dir: &Path) -> Option<Tree> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Some(Tree::default()),
        Ok(m) if m.is_dir() => {}
        _ => return None,
    }
    let mut tree = Tree::default();
    stat_tree_into(dir, "", &mut tree)?;
    tree.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(tree)
}

/// [`stat_tree`] of `dir`, which is at `prefix` (`""` or ending in `/`)
/// below the directory listed, into `tree`.
fn stat_tree_into(dir: &Path, prefix: &str, tree: &mut Tree) -> Option<()> {
    use rayon::prelude::*;
    let handle = Dir::open(dir).ok()?;
    tree.dirs.push((prefix.to_string(), handle.stat_self()?));
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        // (a name that is not UTF-8: `list_inputs` judges it as "")
        let name = name.to_str()?;
        // (`file_type` comes with the entry on Linux and macOS: no `stat`)
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            return None;
        }
        if kind.is_dir() {
            if !name.starts_with('.') {
                subdirs.push(name.to_string());
            }
        } else if !kind.is_file() {
        } else if !is_ignored_name(name) {
            files.push(name.to_string());
        } else if temp_owner(name).is_some() {
            tree.temporaries.push(entry.path());
        }
    }
    let stats: Vec<Option<Stat>> = files
        .par_iter()
        .with_min_len(256)
        .map(|name| handle.stat_file(name))
        .collect();
    for (name, stat) in files.into_iter().zip(stats) {
        // (gone since it was listed, or replaced by a link: the slow way)
        tree.files.push((format!("{prefix}{name}"), stat?));
    }
    for sub in subdirs {
        stat_tree_into(&dir.join(&sub), &format!("{prefix}{sub}/"), tree)?;
    }
    Some(())
}

/// Why an input path cannot be used as it is.
#[derive(Debug)]
pub enum InputIssue {
    /// A directory was expected (`content/`), a file is there.
    NotADirectory,
    /// A file was expected (`entities.yaml`), a directory is there.
    NotAFile,
    /// A symbolic link to a path outside the project (its target as
    /// written).
    Outside(PathBuf),
    /// A symbolic link to nothing (its target as written).
    Dangling(PathBuf),
    /// Symbolic links that lead back to themselves.
    Loop,
    /// Anything else that stopped it being read.
    Unreadable(io::Error),
}

/// An input path that cannot be used, and why.
#[derive(Debug)]
pub struct Issue {
    pub path: PathBuf,
    pub issue: InputIssue,
}

/// Where the symbolic link at `path` leads, if it stays inside `root`
/// (canonical).
fn follow_link(root: &Path, path: &Path) -> Result<PathBuf, InputIssue> {
    let written = std::fs::read_link(path).unwrap_or_default();
    match std::fs::canonicalize(path) {
        Ok(real) if real.starts_with(root) => Ok(real),
        Ok(_) => Err(InputIssue::Outside(written)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(InputIssue::Dangling(written)),
        Err(e) if e.raw_os_error() == Some(40) => Err(InputIssue::Loop),
        Err(e) => Err(InputIssue::Unreadable(e)),
    }
}

/// An input file of the project (`briefing.toml`, `entities.yaml`): the
/// path to read, `None` when there is none, or why it cannot be used (a
/// directory, a link out of the project or to nothing).
pub fn input_file(root: &Path, path: &Path) -> Result<Option<PathBuf>, Issue> {
    let issue = |issue| Issue {
        path: path.to_path_buf(),
        issue,
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(issue(InputIssue::Unreadable(e))),
    };
    if meta.file_type().is_symlink() {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let real = follow_link(&root, path).map_err(issue)?;
        if real.is_dir() {
            return Err(issue(InputIssue::NotAFile));
        }
    } else if meta.is_dir() {
        return Err(issue(InputIssue::NotAFile));
    }
    Ok(Some(path.to_path_buf()))
}

/// The files below the input directory `dir` of the project at `root`,
/// sorted, as [`list_files`] lists them (hidden and editor files
/// skipped), but following symbolic links that stay inside the project,
/// and with every path that cannot be used reported rather than skipped:
/// a link out of the project or to nothing, a loop, an unreadable
/// directory, `dir` itself being a file. A missing `dir` gives nothing.
pub fn list_inputs(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Issue>) {
    let mut issues = Vec::new();
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (Vec::new(), issues),
        Err(e) => {
            issues.push(Issue {
                path: dir.to_path_buf(),
                issue: InputIssue::Unreadable(e),
            });
            return (Vec::new(), issues);
        }
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if meta.file_type().is_symlink()
        && let Err(issue) = follow_link(&root, dir)
    {
        issues.push(Issue {
            path: dir.to_path_buf(),
            issue,
        });
        return (Vec::new(), issues);
    }
    if !dir.is_dir() {
        issues.push(Issue {
            path: dir.to_path_buf(),
            issue: InputIssue::NotADirectory,
        });
        return (Vec::new(), issues);
    }
    // links leading out are reported and not followed
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_str().unwrap_or("");
            if e.file_type().is_dir() && name.starts_with('.') {
                return false;
            }
            if e.path_is_symlink()
                && let Err(issue) = follow_link(&root, e.path())
            {
                if !is_ignored_name(name) {
                    outside.borrow_mut().push(Issue {
                        path: e.path().to_path_buf(),
                        issue,
                    });
                }
                return false;
            }
            true
        });
    let mut out = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_file() && !is_ignored_name(e.file_name().to_str().unwrap_or(""))
                {
                    out.push(e.into_path());
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if is_ignored_name(name) {
                    continue; // an editor's lock file may point nowhere
                }
                let issue = if err.loop_ancestor().is_some() {
                    InputIssue::Loop
                } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
                {
                    match follow_link(&root, &path) {
                        Err(issue) => issue,
                        Ok(_) => InputIssue::Unreadable(io::Error::other(err.to_string())),
                    }
                } else {
                    match err.into_io_error() {
                        Some(e) => InputIssue::Unreadable(e),
                        None => InputIssue::Loop,
                    }
                };
                issues.push(Issue { path, issue });
            }
        }
    }
    issues.extend(outside.into_inner());
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    (out, issues)
}

/// The first of `path` and the directories above it that exists and is
/// not a directory: the file in the way when writing below `path` fails.
pub fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|p| p.exists() && !p.is_dir())
        .map(Path::to_path_buf)
}

/// Hidden files, editor swap/backup/temp files and our own temp files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".bck")
        || name.ends_with(".bak")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".briefing-tmp")
        || name.starts_with('#')
        || name == "4913"
}

/// A path shown to the user: relative to `root` when it is inside it.
pub fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(!write_if_changed(&p, b"two").unwrap());
        assert!(write_if_changed(&p, b"three").unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"three");
    }

    #[test]
    fn only_our_own_temporary_names_are_taken_for_ours() {
        assert_eq!(temp_owner(".a.md.1234.briefing-tmp"), Some(1234));
        assert_eq!(temp_owner(".index.html.7.briefing-tmp"), Some(7));
        for n in [
            "a.md.1234.briefing-tmp",
            ".1234.briefing-tmp",
            ".a.md.12x4.briefing-tmp",
            ".a.md..briefing-tmp",
            ".a.md.1234.briefing-tmp~",
            ".a.md.1234.tmp",
            ".site.briefing-new",
        ] {
            assert_eq!(temp_owner(n), None, "{n}");
        }
        let t = temp_beside(Path::new("x/a.md"));
        let name = t.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_owner(name), Some(std::process::id()));
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn temporaries_of_ended_processes_go_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let me = std::process::id();
        let files = [
            format!("content/.a.md.{dead}.briefing-tmp"),
            format!("content/sub/.b.md.{dead}.briefing-tmp"),
            format!(".briefing/backup/.a.md.1.{dead}.briefing-tmp"),
            format!("content/.c.md.{me}.briefing-tmp"),
            format!("content/.d.md.{dead}.tmp"),
            format!("content/a.md.{dead}.briefing-tmp"),
            format!("content/.hidden/.e.md.{dead}.briefing-tmp"),
            "content/a.md".to_string(),
        ];
        for f in &files {
            write_atomic(&dir.path().join(f), b"x").unwrap();
        }
        let mut gone: Vec<String> = remove_stale_temporaries(&dir.path().join("content"), true)
            .into_iter()
            .chain(remove_stale_temporaries(
                &dir.path().join(".briefing"),
                true,
            ))
            .map(|p| display(dir.path(), &p))
            .collect();
        gone.sort();
        assert_eq!(gone, [files[2].clone(), files[0].clone(), files[1].clone()]);
        for f in &files[3..] {
            assert!(dir.path().join(f).exists(), "{f}");
        }
        // not below `dir` unless recursive
        write_atomic(&dir.path().join(&files[1]), b"x").unwrap();
        assert!(remove_stale_temporaries(&dir.path().join("content"), false).is_empty());
    }

    #[test]
    fn numbered_backups_never_replace_one_another() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("backup/a.md");
        let first = write_new_numbered(&base, b"one").unwrap();
        let second = write_new_numbered(&base, b"two").unwrap();
        assert_eq!(display(dir.path(), &first), "backup/a.md.1");
        assert_eq!(display(dir.path(), &second), "backup/a.md.2");
        std::fs::remove_file(&first).unwrap();
        // a free number is taken again; nothing else is left
        let third = write_new_numbered(&base, b"three").unwrap();
        assert_eq!(third, first);
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("backup"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.md.1", "a.md.2"]);
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        assert_eq!(std::fs::read(&third).unwrap(), b"three");
    }

    #[test]
    fn hidden_directories_are_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        for f in [".git/HEAD", ".git/refs/x", "a/.hidden/b", "a/c.md", "d.md"] {
            write_atomic(&dir.path().join(f), b"x").unwrap();
        }
        let rels: Vec<String> = list_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| display(dir.path(), p))
            .collect();
        assert_eq!(rels, ["a/c.md", "d.md"]);
        assert!(list_files(&dir.path().join("missing")).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn input_links_inside_are_followed_and_others_reported() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let r = root.path();
        write_atomic(&r.join("data/b.md"), b"b").unwrap();
        write_atomic(&r.join("data/sub/c.md"), b"c").unwrap();
        write_atomic(&r.join("notes/a.md"), b"a").unwrap();
        write_atomic(&outside.path().join("x.md"), b"x").unwrap();
        symlink(r.join("data/b.md"), r.join("notes/b.md")).unwrap();
        symlink("../data/sub", r.join("notes/sub")).unwrap();
        symlink(outside.path().join("x.md"), r.join("notes/x.md")).unwrap();
        symlink(outside.path(), r.join("notes/out")).unwrap();
        symlink("nowhere.md", r.join("notes/gone.md")).unwrap();
        symlink("nowhere", r.join("notes/.#lock.md")).unwrap();
        let (files, issues) = list_inputs(r, &r.join("notes"));
        let rels: Vec<String> = files.iter().map(|p| display(r, p)).collect();
        assert_eq!(rels, ["notes/a.md", "notes/b.md", "notes/sub/c.md"]);
        let got: Vec<(String, String)> = issues
            .iter()
            .map(|i| (display(r, &i.path), format!("{:?}", i.issue)))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, "notes/gone.md");
        assert!(got[0].1.starts_with("Dangling"), "{got:?}");
        assert_eq!(got[1].0, "notes/out");
        assert!(got[1].1.starts_with("Outside"), "{got:?}");
        assert_eq!(got[2].0, "notes/x.md");
        assert!(got[2].1.starts_with("Outside"), "{got:?}");

        // a file where the directory should be
        let (files, issues) = list_inputs(r, &r.join("notes/a.md"));
        assert!(files.is_empty());
        assert!(matches!(issues[0].issue, InputIssue::NotADirectory));
        assert!(list_inputs(r, &r.join("missing")).1.is_empty());

        // single files
        symlink("data/b.md", r.join("linked.yaml")).unwrap();
        symlink(outside.path().join("x.md"), r.join("out.yaml")).unwrap();
        assert!(input_file(r, &r.join("linked.yaml")).unwrap().is_some());
        assert!(input_file(r, &r.join("none.yaml")).unwrap().is_none());
        assert!(matches!(
            input_file(r, &r.join("out.yaml")).unwrap_err().issue,
            InputIssue::Outside(_)
        ));
        assert!(matches!(
            input_file(r, &r.join("data")).unwrap_err().issue,
            InputIssue::NotAFile
        ));
        assert_eq!(
            file_in_the_way(&r.join("notes/a.md/x/y")),
            Some(r.join("notes/a.md"))
        );
        assert_eq!(file_in_the_way(&r.join("notes/new/y")), None);
    }

    #[test]
    fn a_directory_handle_makes_reads_links_and_stats_files_under_it() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir(r.join("a")).unwrap();
        std::fs::create_dir(r.join("b")).unwrap();
        let (a, b) = (
            Dir::open(&r.join("a")).unwrap(),
            Dir::open(&r.join("b")).unwrap(),
        );
        assert_eq!(a.path(), r.join("a"));
        a.mkdir("x").unwrap();
        assert_eq!(
            a.mkdir("x").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(a.mkdir("y/z").unwrap_err().kind(), io::ErrorKind::NotFound);
        a.create_new("x/f.html")
            .unwrap()
            .write_all(b"hello")
            .unwrap();
        // never into an existing file
        assert_eq!(
            a.create_new("x/f.html").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        let mut read = String::new();
        std::io::Read::read_to_string(&mut a.open_file("x/f.html").unwrap(), &mut read).unwrap();
        assert_eq!(read, "hello");
        // the same length and time as the standard library's metadata
        let meta = std::fs::metadata(r.join("a/x/f.html")).unwrap();
        assert_eq!(a.stat("x/f.html"), Some(Stat::of(&meta)));
        assert_eq!(a.stat("x/f.html").unwrap().len, 5);
        assert_eq!(a.stat("missing"), None);
        b.mkdir("x").unwrap();
        a.hard_link("x/f.html", &b).unwrap();
        assert_eq!(std::fs::read(r.join("b/x/f.html")).unwrap(), b"hello");
        // (a new link moves the file's status change time)
        let meta = std::fs::metadata(r.join("a/x/f.html")).unwrap();
        let rels = ["x/f.html", "nothing", "x"];
        let stats = stat_all(&r.join("a"), &rels);
        assert_eq!(stats[0], Some(Stat::of(&meta)));
        assert_eq!(stats[1], None);
        assert!(stats[2].is_some());
        assert_eq!(stat_all(&r.join("none"), &rels), vec![None; 3]);
        assert!(Dir::open(&r.join("a/x/f.html")).is_err());
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn a_tree_of_stats_lists_the_inputs_and_sees_the_temporaries() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        for f in [
            "b.md",
            "a.md",
            "sub/c.md",
            "sub/deeper/d.md",
            ".hidden.md",
            "x.md~",
            ".x.md.swp",
            ".git/HEAD",
            "sub/.obsidian/e.md",
            &format!(".a.md.{dead}.briefing-tmp"),
            &format!("sub/.c.md.{dead}.briefing-tmp"),
        ] {
            write_atomic(&dir.join(f), f.as_bytes()).unwrap();
        }
        let tree = stat_tree(&dir).unwrap();
        let listed: Vec<String> = list_inputs(root.path(), &dir)
            .0
            .iter()
            .map(|p| display(&dir, p))
            .collect();
        let rels: Vec<&str> = tree.files.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(rels, ["a.md", "b.md", "sub/c.md", "sub/deeper/d.md"]);
        // each directory listed, with its own stat (hidden ones not listed)
        let dirs: Vec<&str> = tree.dirs.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(dirs, ["", "sub/", "sub/deeper/"]);
        for (rel, stat) in &tree.dirs {
            let meta = std::fs::metadata(dir.join(rel)).unwrap();
            assert_eq!(*stat, Stat::of(&meta), "{rel}");
        }
        // the same stats from the files' names, split between threads
        // (more names than one thread takes)
        let handle = Dir::open(&dir).unwrap();
        let jobs: Vec<(&Dir, &str)> = (0..10_000)
            .map(|i| (&handle, ["a.md", "sub/c.md", "none.md", "sub"][i % 4]))
            .collect();
        let stats = stat_files(&jobs);
        assert_eq!(stats.len(), jobs.len());
        for ((_, rel), stat) in jobs.iter().zip(&stats) {
            assert_eq!(*stat, handle.stat_file(rel), "{rel}");
        }
        assert!(stats[0].is_some() && stats[2].is_none() && stats[3].is_none());
        assert_eq!(rels, listed);
        for (rel, stat) in &tree.files {
            let meta = std::fs::metadata(dir.join(rel)).unwrap();
            assert_eq!(*stat, Stat::of(&meta), "{rel}");
        }
        let mut temps: Vec<String> = tree.temporaries.iter().map(|p| display(&dir, p)).collect();
        temps.sort();
        assert_eq!(
            temps,
            [
                format!(".a.md.{dead}.briefing-tmp"),
                format!("sub/.c.md.{dead}.briefing-tmp")
            ]
        );
        assert_eq!(remove_temporaries(&tree.temporaries).len(), 2);
        assert!(stat_tree(&dir).unwrap().temporaries.is_empty());
        // a missing directory: nothing; a file, or a link anywhere: the
        // slow way
        assert!(
            stat_tree(&root.path().join("none"))
                .unwrap()
                .files
                .is_empty()
        );
        assert!(stat_tree(&dir.join("a.md")).is_none());
        std::os::unix::fs::symlink("a.md", dir.join("sub/link.md")).unwrap();
        assert!(stat_tree(&dir).is_none());
    }

    #[test]
    fn editor_files_are_ignored() {
        for n in [
            ".x.md.swp",
            "x.md~",
            "4913",
            "x.md___jb_tmp___",
            ".#x.md",
            "x.bck",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
