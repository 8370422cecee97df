//! A test builder for briefing projects in temporary directories, and a
//! runner for the `briefing` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// A briefing project in a temp dir.
pub struct TestProject {
    pub dir: tempfile::TempDir,
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl TestProject {
    /// An empty project: an empty `briefing.toml` (what makes a directory
    /// a briefing; every key default), no templates (the built-in theme).
    pub fn new() -> TestProject {
        let p = TestProject {
            dir: tempfile::tempdir().unwrap(),
        };
        p.write("briefing.toml", "");
        p
    }

    /// A project holding the repository's two seeds and nothing else.
    pub fn with_seeds() -> TestProject {
        let p = TestProject::new();
        for entry in std::fs::read_dir(repo_root().join("seeds")).unwrap() {
            let e = entry.unwrap();
            p.write_bytes(
                &format!("seeds/{}", e.file_name().to_string_lossy()),
                &std::fs::read(e.path()).unwrap(),
            );
        }
        p
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn file(self, rel: &str, text: &str) -> TestProject {
        self.write(rel, text);
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Run `briefing -C <dir> args…`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("briefing").unwrap();
    cmd.arg("-C").arg(dir).args(args).env("NO_COLOR", "1");
    cmd.output().unwrap().into()
}

/// Every file below `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

pub const ARTICLE: &str = "---\ntitle: \"A test article\"\ndate: 2024-12-06T15:39:00\nbyline: Ann Analyst\n---\n\nThe first paragraph is the summary.\n\nA second paragraph with <b>markup</b> that must be escaped.\n";

/// A copy of `tests/fixtures/<fixture>` in a temp dir, built (the build
/// must succeed).
pub fn built_fixture(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures").join(fixture),
        dir.path(),
    );
    let run = run_in(dir.path(), &["build"]);
    assert_eq!(run.code, 0, "building {fixture}: {}", run.stderr);
    dir
}

/// Copy a directory tree (fixtures into a temp dir).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}
