//! listing: the input directories' files as the last fingerprint found
//! them, remembered in `.briefing/inputs.list` so that the next one can
//! `stat` each input without reading the directories again.
//!
//! A directory's entries cannot change without its modification time
//! moving (creating, removing or renaming an entry sets it to the present),
//! so while every directory of an input tree has the [`Stat`] it had when
//! it was listed — the same device, inode, modification and status change
//! times — its files are the ones listed then. A listing is remembered only
//! when its directories' times were older than the clock's granularity
//! when they were read (the caller's racy rule), so a change made just
//! after cannot share their times. The files themselves are `stat`ed
//! every time: an edit in place changes nothing but the file's own inode.
//!
//! The file is a cache: anything that does not decode (another version, a
//! torn write: it ends with a blake3 checksum of the rest) is ignored, and
//! a directory whose times moved is listed again. A listing that names
//! anything outside its input directory (an absolute path, a `..` or `.`
//! step, an empty step; on Windows a backslash) does not decode either, whoever wrote
//! it: the fingerprint then lists the directories afresh.
//!
//! Layout (integers little-endian): the magic line; the number of
//! entries (u32); per entry its input directory's name, the number of its
//! directories (u32) and each one's path (`""`, `sub/`, …) and [`Stat`]
//! (len u64, mtime u128, ctime u128, ino u64, dev u64), then the number of
//! its files (u32) and their paths, sorted, each ended by a NUL byte; the
//! checksum last. A string is its length (u32) and its UTF-8 bytes.

use crate::fsutil::{self, Stat};
use std::path::Path;

/// Where the listing is kept, relative to the project.
pub const FILE: &str = ".briefing/inputs.list";
const MAGIC: &[u8] = b"briefing input listing 1\n";

/// One input directory as it was listed ([`fsutil::Tree`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The input directory (`content`, …).
    pub dir: &'a str,
    /// Its directories, itself (`""`) first, each with its [`Stat`].
    pub dirs: Vec<(&'a str, Stat)>,
    /// Its regular files, relative to it, sorted.
    pub files: Vec<&'a str>,
}

impl Entry<'_> {
    /// The directory `path` (this entry's input directory) opened, when it
    /// is a directory, not a link, and it and its subdirectories have the
    /// [`Stat`]s listed: its files are then [`Entry::files`].
    pub fn still_at(&self, path: &Path) -> Option<fsutil::Dir> {
        let (top, subdirs) = self.dirs.split_first()?;
        if !top.0.is_empty() {
            return None;
        }
        let dir = fsutil::Dir::open_real(path).ok()?;
        if dir.stat_self()? != top.1 {
            return None;
        }
        for (rel, stat) in subdirs {
            if dir.stat_dir(rel.trim_end_matches('/'))? != *stat {
                return None;
            }
        }
        Some(dir)
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn put_stat(out: &mut Vec<u8>, st: &Stat) {
    out.extend_from_slice(&st.len.to_le_bytes());
    out.extend_from_slice(&st.mtime.to_le_bytes());
    out.extend_from_slice(&st.ctime.to_le_bytes());
    out.extend_from_slice(&st.ino.to_le_bytes());
    out.extend_from_slice(&st.dev.to_le_bytes());
}

/// The bytes of the listing file holding `entries`.
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let names: usize = entries
        .iter()
        .flat_map(|e| &e.files)
        .map(|f| f.len() + 1)
        .sum();
    let mut out = Vec::with_capacity(MAGIC.len() + names + 4096);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, entries.len());
    for e in entries {
        put_str(&mut out, e.dir);
        put_u32(&mut out, e.dirs.len());
        for (rel, stat) in &e.dirs {
            put_str(&mut out, rel);
            put_stat(&mut out, stat);
        }
        put_u32(&mut out, e.files.len());
        for f in &e.files {
            out.extend_from_slice(f.as_bytes());
            out.push(0);
        }
    }
    let sum = blake3::hash(&out);
    out.extend_from_slice(sum.as_bytes());
    out
}

/// A reader of [`encode`]'s bytes; every method answers `None` past the
/// end or on bytes that are not what they should be.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn stat(&mut self) -> Option<Stat> {
        Some(Stat {
            len: self.u64()?,
            mtime: self.u128()?,
            ctime: self.u128()?,
            ino: self.u64()?,
            dev: self.u64()?,
        })
    }

    /// `n` names, each ended by a NUL byte.
    fn names(&mut self, n: usize) -> Option<Vec<&'a str>> {
        let mut ends = Vec::with_capacity(n.min(self.bytes.len()));
        let mut at = 0;
        for end in memchr::memchr_iter(0, self.bytes).take(n) {
            ends.push((at, end));
            at = end + 1;
        }
        if ends.len() != n {
            return None;
        }
        // (checked as UTF-8 in one piece: NUL bytes are UTF-8 too)
        let text = std::str::from_utf8(&self.bytes[..at]).ok()?;
        self.bytes = &self.bytes[at..];
        Some(ends.into_iter().map(|(a, b)| &text[a..b]).collect())
    }
}

/// Whether `path` names something inside the directory it is relative to:
/// one or more `/`-separated steps, none empty, `.` or `..`, and on
/// Windows no backslash or colon (legal characters in a Unix name).
fn is_inner_path(path: &str) -> bool {
    // on Windows a backslash separates and a colon names a drive (`C:x`)
    let separator_inside = cfg!(windows) && path.contains(['\\', ':']);
    !path.is_empty()
        && !separator_inside
        && path.split('/').all(|step| !matches!(step, "" | "." | ".."))
}

/// The entries of a listing file's `bytes`, borrowing their names from
/// them; `None` when they are not a whole listing of this version.
pub fn decode(bytes: &[u8]) -> Option<Vec<Entry<'_>>> {
    let body = bytes.strip_prefix(MAGIC)?;
    let split = body.len().checked_sub(blake3::OUT_LEN)?;
    let (body, sum) = body.split_at(split);
    let whole = &bytes[..bytes.len() - blake3::OUT_LEN];
    if blake3::hash(whole).as_bytes() != sum {
        return None;
    }
    let mut r = Reader { bytes: body };
    let count = r.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let dir = r.str()?;
        if !is_inner_path(dir) {
            return None;
        }
        let ndirs = r.u32()?;
        let mut dirs = Vec::new();
        for _ in 0..ndirs {
            let path = r.str()?;
            let inner = path.is_empty() || path.strip_suffix('/').is_some_and(is_inner_path);
            if !inner {
                return None;
            }
            dirs.push((path, r.stat()?));
        }
        let nfiles = r.u32()?;
        let files = r.names(nfiles)?;
        if !files.iter().all(|f| is_inner_path(f)) {
            return None;
        }
        entries.push(Entry { dir, dirs, files });
    }
    r.bytes.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(n: u64) -> Stat {
        Stat {
            len: n,
            mtime: u128::from(n) * 1_000_000_007,
            ctime: u128::MAX - u128::from(n),
            ino: n + 1,
            dev: 7,
        }
    }

    #[test]
    fn a_listing_reads_back_as_written_and_anything_else_reads_as_none() {
        let entries = vec![
            Entry {
                dir: "content",
                dirs: vec![("", stat(1)), ("sub/", stat(2))],
                files: vec!["a.md", "b é.md", "sub/c.md"],
            },
            Entry {
                dir: "annotations",
                dirs: vec![("", stat(3))],
                files: vec![],
            },
        ];
        let bytes = encode(&entries);
        assert_eq!(decode(&bytes).unwrap(), entries);
        assert_eq!(decode(&encode(&[])).unwrap(), vec![]);
        // any byte changed, cut short, lengthened, or another version
        for i in [
            0,
            MAGIC.len(),
            MAGIC.len() + 9,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            let mut b = bytes.clone();
            b[i] ^= 1;
            assert_eq!(decode(&b), None, "byte {i}");
        }
        for n in [0, 10, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..n]), None, "{n} bytes");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // a checksum that matches bytes that do not decode
        let mut bad = MAGIC.to_vec();
        bad.extend_from_slice(&5u32.to_le_bytes());
        let sum = blake3::hash(&bad);
        bad.extend_from_slice(sum.as_bytes());
        assert_eq!(decode(&bad), None);
    }

    #[test]
    fn a_listing_that_names_anything_outside_its_directory_reads_as_none() {
        let entry = |dir, sub, file| Entry {
            dir,
            dirs: vec![("", stat(1)), (sub, stat(2))],
            files: vec!["a.md", file],
        };
        assert!(
            decode(&encode(&[entry(
                "content",
                "sub/deeper/",
                "sub/deeper/b.md"
            )]))
            .is_some()
        );
        for (dir, sub, file) in [
            ("/etc", "sub/", "b.md"),
            ("..", "sub/", "b.md"),
            ("content/../..", "sub/", "b.md"),
            ("content", "../", "b.md"),
            ("content", "/abs/", "b.md"),
            ("content", "sub", "b.md"),
            ("content", "sub//", "b.md"),
            ("content", "sub/", "../b.md"),
            ("content", "sub/", "/etc/passwd"),
            ("content", "sub/", "sub/./b.md"),
            ("content", "sub/", ""),
            ("", "sub/", "b.md"),
        ] {
            let bytes = encode(&[entry(dir, sub, file)]);
            assert_eq!(decode(&bytes), None, "{dir:?} {sub:?} {file:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_is_still_as_listed_until_an_entry_of_it_or_below_changes() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content");
        fsutil::write_atomic(&dir.join("a.md"), b"a").unwrap();
        fsutil::write_atomic(&dir.join("sub/b.md"), b"b").unwrap();
        let listed = || {
            let tree = fsutil::stat_tree(&dir).unwrap();
            let dirs: Vec<(String, Stat)> = tree.dirs.clone();
            let files: Vec<String> = tree.files.iter().map(|(f, _)| f.clone()).collect();
            (dirs, files)
        };
        let (dirs, files) = listed();
        let entry = |dirs: &[(String, Stat)], files: &[String]| -> Vec<u8> {
            encode(&[Entry {
                dir: "content",
                dirs: dirs.iter().map(|(r, s)| (r.as_str(), *s)).collect(),
                files: files.iter().map(String::as_str).collect(),
            }])
        };
        let bytes = entry(&dirs, &files);
        let still = |bytes: &[u8]| decode(bytes).unwrap()[0].still_at(&dir).is_some();
        assert_eq!(files, ["a.md", "sub/b.md"]);
        assert!(still(&bytes));
        // an edit in place is not the directory's business
        std::fs::write(dir.join("a.md"), b"x").unwrap();
        assert!(still(&bytes));
        // a file added below
        std::fs::write(dir.join("sub/c.md"), b"c").unwrap();
        assert!(!still(&bytes));
        let (dirs, files) = listed();
        let bytes = entry(&dirs, &files);
        assert!(still(&bytes));
        // removed, renamed at the top
        std::fs::remove_file(dir.join("a.md")).unwrap();
        assert!(!still(&bytes));
        let (dirs, files) = listed();
        let bytes = entry(&dirs, &files);
        std::fs::rename(dir.join("sub/c.md"), dir.join("sub/d.md")).unwrap();
        assert!(!still(&bytes));
        // the directory replaced by a copy, or by a link to itself
        let (dirs, files) = listed();
        let bytes = entry(&dirs, &files);
        std::fs::rename(&dir, root.path().join("old")).unwrap();
        std::os::unix::fs::symlink("old", &dir).unwrap();
        assert!(!still(&bytes));
        std::fs::remove_file(&dir).unwrap();
        std::fs::rename(root.path().join("old"), &dir).unwrap();
        let (dirs, files) = listed();
        assert!(still(&entry(&dirs, &files)));
        // gone
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(!still(&entry(&dirs, &files)));
    }
}
