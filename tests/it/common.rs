//! Test projects: a builder for briefing projects in temporary directories
//! ([`TestProject`]: write `briefing.toml`, articles, annotations,
//! entities; run the binary; read what it wrote), copies of
//! `tests/fixtures/` briefings, and reading a built site back.
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

    /// A copy of the fixture briefing `tests/fixtures/<rel>`.
    pub fn fixture(rel: &str) -> TestProject {
        let p = TestProject {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(&repo_root().join("tests/fixtures").join(rel), p.dir.path());
        p
    }

    /// `briefing.toml`.
    pub fn config(self, toml: &str) -> TestProject {
        self.file("briefing.toml", toml)
    }

    /// `content/<slug>.md`.
    pub fn article(self, slug: &str, text: &str) -> TestProject {
        self.file(&format!("content/{slug}.md"), text)
    }

    /// `annotations/<name>.md`.
    pub fn annotations(self, name: &str, text: &str) -> TestProject {
        self.file(&format!("annotations/{name}.md"), text)
    }

    /// `entities.yaml`.
    pub fn entities(self, yaml: &str) -> TestProject {
        self.file("entities.yaml", yaml)
    }

    /// `briefing build ARGS…`, which must succeed (the diagnostics are the
    /// panic message when it does not).
    pub fn build(&self, args: &[&str]) -> Run {
        let run = self.run(&[&["build"], args].concat());
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the built site (`site/<rel>`).
    pub fn page(&self, rel: &str) -> String {
        self.read(&format!("site/{rel}"))
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
    let p = TestProject::fixture(fixture);
    p.build(&[]);
    p.dir
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

// ---- fixture briefings and built sites ---------------------------------------

/// Copy `tests/fixtures/<rel>` into a fresh temporary directory.
pub fn fixture(rel: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    dir
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

/// vnu (the Nu HTML checker) finds no errors in the HTML under `site`.
/// Skipped, with a line naming `test`, when Java or vnu.jar is not
/// available (`scripts/validate-html.sh` installs it; `VNU_JAR` points at
/// another copy).
pub fn assert_vnu_accepts(test: &str, site: &Path) {
    let jar = std::env::var("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("target/vnu/node_modules/vnu-jar/build/dist/vnu.jar"));
    let java = std::process::Command::new("java").arg("-version").output();
    if !jar.is_file() || java.is_err() {
        println!(
            "SKIP {test}: no java or no {} (run scripts/validate-html.sh)",
            jar.display()
        );
        return;
    }
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "vnu:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A page's `<main>`: what a feature renders (the chrome around it is
/// other tests' business).
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// Compare the `<main>` of each built page (`site`-relative path, golden
/// file name) with its copy in `tests/fixtures/<golden>/`; with `BLESS=1`
/// set, write the copies anew instead.
pub fn assert_mains_match_golden(site: &Path, golden: &str, pages: &[(&str, &str)]) {
    let dir = repo_root().join("tests/fixtures").join(golden);
    let bless = std::env::var_os("BLESS").is_some();
    let mut differ = Vec::new();
    for (page, name) in pages {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let got = main_of(&html);
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (BLESS=1 writes it)", path.display()));
        if got != want {
            differ.push(format!("{page} (golden {name})"));
        }
    }
    assert!(
        differ.is_empty(),
        "pages differ from tests/fixtures/{golden}/ (BLESS=1 rewrites them): {differ:?}"
    );
}
