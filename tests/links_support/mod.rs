//! Helpers shared by the integration tests: fixture projects copied into
//! temporary directories, and reading a built site back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Copy `tests/fixtures/<rel>` into a fresh temporary directory.
pub fn fixture(rel: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The whole seed project (the crate's own content/, entities.yaml, …).
pub fn seeds_project() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for f in ["briefing.toml", "entities.yaml"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["content", "seeds", "annotations"] {
        if root.join(d).is_dir() {
            copy_dir(&root.join(d), &dir.path().join(d));
        }
    }
    dir
}

pub fn briefing(root: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("briefing").unwrap();
    c.arg("-C").arg(root);
    c
}

/// Build the project; panics with the diagnostics when it fails.
pub fn build(root: &Path, extra: &[&str]) -> PathBuf {
    let out = briefing(root).arg("build").args(extra).output().unwrap();
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("site")
}

pub fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file of a site as (relative path, bytes), sorted.
pub fn files(site: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(site) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out.sort();
    out
}

/// Every broken link and anchor in a built site.
pub fn broken_links(site: &Path) -> Vec<String> {
    briefing::link::check::check_links(&files(site))
        .into_iter()
        .map(|b| b.to_string())
        .collect()
}
