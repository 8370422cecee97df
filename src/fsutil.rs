//! File-system helpers used at the edges: atomic writes (temp file +
//! rename) and directory walking in a deterministic order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: write a temporary file in the same
/// directory, flush it, then rename it over the target. Readers see either
/// the old or the new file, never half of one. Parent directories are
/// created.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, true)
}

/// [`write_atomic`], flushing the data to the disk (`fdatasync`) before
/// the rename only when `durable`. Files that can be made again (the
/// generated site) need not be durable: readers still see the old or the
/// new file, and after a crash the next build rewrites whatever differs.
fn write_atomic_with(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = temp_beside(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_data()?;
        }
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The hidden temporary file beside `path` that an atomic write of it goes
/// through (ignored by [`is_ignored_name`], so never taken for an input or
/// a stale output).
pub fn temp_beside(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    dir.join(format!(".{name}.{}.briefing-tmp", std::process::id()))
}

/// Write only when the bytes differ from what is on disk. Returns whether
/// the file was written.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    write_if_changed_with(path, bytes, true)
}

/// [`write_if_changed`] for generated files: atomic but not flushed to the
/// disk before the rename (see `write_atomic_with`). One `fdatasync` per
/// page made site writes disk-bound on real file systems.
pub fn write_generated(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    write_if_changed_with(path, bytes, false)
}

fn write_if_changed_with(path: &Path, bytes: &[u8], durable: bool) -> io::Result<bool> {
    if let Ok(old) = std::fs::read(path)
        && old == bytes
    {
        return Ok(false);
    }
    write_atomic_with(path, bytes, durable)?;
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
        assert!(!write_generated(&p, b"three").unwrap());
        assert!(write_generated(&p, b"four").unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"four");
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
