//! File-system helpers used at the edges: atomic writes (temp file +
//! rename) and directory walking in a deterministic order.
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
