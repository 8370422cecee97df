//! Builds killed at random moments, a full disk, and what killed processes
//! leave: `site/` is at every instant the whole previous site or the whole
//! new one, and nothing of ours survives the next build.

use crate::common;
use crate::live_common;

use common::TestProject;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic random number generator (splitmix64): the kill
/// test's delays come from a seed it prints, so a failure can be replayed
/// (`BRIEFING_KILL_SEED=…`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const WORDS: [&str; 16] = [
    "minister",
    "army",
    "border",
    "talks",
    "missile",
    "city",
    "council",
    "report",
    "strike",
    "ceasefire",
    "vote",
    "market",
    "oil",
    "sanctions",
    "election",
    "court",
];

/// A briefing of `n` generated articles, titled `title`.
fn generated(n: usize, title: &str) -> TestProject {
    let p = TestProject::new();
    let mut rng = Rng(n as u64);
    for i in 0..n {
        let mut body = String::new();
        for _ in 0..6 {
            let words: Vec<&str> = (0..60)
                .map(|_| WORDS[(rng.next() % WORDS.len() as u64) as usize])
                .collect();
            body.push_str(&format!("{}.\n\n", words.join(" ")));
        }
        p.write(
            &format!("content/a{i:04}.md"),
            &format!(
                "---\ntitle: \"Article {i}\"\ndate: 2024-{:02}-{:02}T10:00:00\n---\n\n{body}",
                1 + i % 12,
                1 + i % 28
            ),
        );
    }
    set_title(&p, title);
    p
}

/// The project moved to a RAM disk (`/dev/shm`) when there is one.
fn in_memory(p: TestProject) -> TestProject {
    let shm = Path::new("/dev/shm");
    match tempfile::tempdir_in(shm) {
        Ok(dir) if shm.is_dir() => {
            common::copy_dir(p.dir.path(), dir.path());
            TestProject { dir }
        }
        _ => p,
    }
}

fn set_title(p: &TestProject, title: &str) {
    p.write("briefing.toml", &format!("title = \"{title}\"\n"));
}

/// Every entry below `dir`, hidden ones included, except `skip` (site
/// paths of hidden entries checked on their own): directories as `path/`,
/// files with their bytes.
fn tree(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut it = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(e) = it.next() {
        let Ok(e) = e else { continue };
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if skip.contains(&rel.as_str()) {
            if e.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if e.file_type().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
        } else {
            out.insert(rel, std::fs::read(e.path()).unwrap_or_default());
        }
    }
    out
}

/// Paths under `root` that carry one of our temporary names: a temporary
/// file of an atomic write, the staging directories beside and in `site/`.
fn ours(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.ends_with(".briefing-tmp")
                || n == ".briefing-staging"
                || n == ".site.briefing-new"
                || n == ".site.briefing-old"
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// How two trees differ, in a few lines.
fn diff(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).take(5).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).take(5).collect();
    let differ: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .take(5)
        .collect();
    format!("only in the first: {only_a:?}; only in the second: {only_b:?}; different: {differ:?}")
}

fn build_ok(p: &TestProject) {
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A process id that no process has (one that just ended).
fn ended_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[cfg(unix)]
#[test]
fn killed_builds_leave_the_old_site_or_the_new_one_and_nothing_behind() {
    // big enough that a build takes a few hundred ms
    let p = generated(300, "Desk A");
    // (each build swaps in a new tree of ~600 files and directories: on a
    // disk mounted with `discard` that takes seconds, in memory a few ms)
    let p = in_memory(p);
    let hidden = [".git", "articles/.keep"];
    build_ok(&p);
    // a deployment checkout in site/, and a hidden file deeper down
    p.write("site/.git/HEAD", "ref: refs/heads/main\n");
    p.write("site/articles/.keep", "");
    let a = tree(&p.path("site"), &hidden);
    set_title(&p, "Desk B");
    let start = Instant::now();
    build_ok(&p);
    let took = start.elapsed();
    let b = tree(&p.path("site"), &hidden);
    assert_ne!(a, b);
    assert!(p.exists("site/.git/HEAD") && p.exists("site/articles/.keep"));

    let seed = std::env::var("BRIEFING_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_u64);
    let kills: usize = std::env::var("BRIEFING_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let mut rng = Rng(seed);
    let sites = [("Desk A", &a), ("Desk B", &b)];
    let mut shown = 1; // site/ holds B
    let (mut old, mut new) = (0, 0);
    // kills that left build files: before the swap, and while the old
    // site was being removed
    let (mut before, mut removing) = (0, 0);
    // where in a build (a fraction of its time) the new site goes in: found
    // as the kills go, so that half of them land around it — where hidden
    // entries move, the directories swap and the old one is removed
    let mut swap_at = 0.8;
    for i in 0..kills {
        let next = 1 - shown;
        set_title(&p, sites[next].0);
        let near = i % 2 == 1;
        let at = if near {
            swap_at + (rng.unit() - 0.5) * 0.3
        } else {
            rng.unit() * 1.3
        };
        let delay = took.mul_f64(at.max(0.0));
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("-C")
            .arg(p.dir.path())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let site = tree(&p.path("site"), &hidden);
        if &site == sites[shown].1 {
            old += 1;
            if near {
                swap_at = (swap_at + 0.05).min(1.5);
            }
        } else if &site == sites[next].1 {
            new += 1;
            shown = next;
            if near {
                swap_at = (swap_at - 0.05).max(0.1);
            }
        } else {
            panic!(
                "kill {i} (seed {seed}, after {delay:?}) left a mixed site/: against the old \
                 one: {}; against the new one: {}",
                diff(&site, sites[shown].1),
                diff(&site, sites[next].1)
            );
        }
        // hidden entries are in site/, or moved into the new site beside it
        // (killed before the swap: the next build puts them back)
        for h in hidden {
            let beside = p.path(".site.briefing-new").join(h);
            assert!(
                p.path("site").join(h).exists() || beside.exists(),
                "kill {i} (seed {seed}): {h} is gone"
            );
        }
        if !ours(p.dir.path()).is_empty() {
            if shown == next {
                removing += 1;
            } else {
                before += 1;
            }
        }
    }
    // the next build puts everything right
    build_ok(&p);
    let last = sites
        .iter()
        .position(|(t, _)| p.read("briefing.toml").contains(t));
    assert_eq!(&tree(&p.path("site"), &hidden), sites[last.unwrap()].1);
    assert!(p.exists("site/.git/HEAD") && p.exists("site/articles/.keep"));
    assert_eq!(ours(p.dir.path()), Vec::<String>::new());
    eprintln!(
        "{kills} kills (seed {seed}, build {took:?}, in {}): {old} left the old site, {new} the \
         new one, 0 a mixed one; build files were left by {before} killed before the swap and \
         {removing} while removing the old site, all removed by the next build",
        p.dir.path().display()
    );
}

/// Mounts a small tmpfs (root only), unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: u64) -> Result<Tmpfs, String> {
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| e.to_string())?;
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
        }
        Ok(Tmpfs(dir.to_path_buf()))
    }

    fn resize(&self, size: u64) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// Bytes in use.
    fn used(&self) -> u64 {
        let o = Command::new("df")
            .args(["-B1", "--output=used"])
            .arg(&self.0)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        text.lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The disk fills up half-way through a build: one diagnostic that names
/// the file and what to do, the previous site whole, nothing left behind.
/// A real full disk (a small tmpfs) rather than a fault injected in the
/// writer (the unit tests do that): it also shows that nothing else the
/// build writes (the stamp, the manifest) turns into more messages, and
/// that the failed build's files are removed on a disk with no room.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_with_one_diagnostic_and_leaves_the_site_whole() {
    let outer = tempfile::tempdir().unwrap();
    let mnt = outer.path().join("disk");
    std::fs::create_dir(&mnt).unwrap();
    let disk = match Tmpfs::mount(&mnt, 64 << 20) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipped: cannot mount a tmpfs to fill (needs root): {e}");
            return;
        }
    };
    let src = generated(60, "Desk A");
    let root = mnt.join("p");
    common::copy_dir(src.dir.path(), &root);
    let run = |args: &[&str]| common::run_in(&root, args);
    let r = run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::create_dir_all(root.join("site/.git")).unwrap();
    std::fs::write(root.join("site/.git/HEAD"), "x").unwrap();
    let before = tree(&mnt, &[]);
    let site_bytes: u64 = tree(&root.join("site"), &[])
        .values()
        .map(|b| (b.len() as u64).div_ceil(4096) * 4096)
        .sum();
    // room for half of a new site: every page changes with the title
    disk.resize(disk.used() + site_bytes / 2);
    std::fs::write(root.join("briefing.toml"), "title = \"Desk B\"\n").unwrap();
    let before_edit = {
        let mut t = before.clone();
        t.insert(
            "p/briefing.toml".into(),
            std::fs::read(root.join("briefing.toml")).unwrap(),
        );
        t
    };
    let r = run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].starts_with("site/") && errors[0].contains("cannot write the new site"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("free some space on the disk holding `site/")
            && r.stderr.contains("the previous site is as it was"),
        "{}",
        r.stderr
    );
    // nothing changed but the edit: no temporary, no staged site
    let after = tree(&mnt, &[]);
    assert!(after == before_edit, "{}", diff(&before_edit, &after));
    // with room again, the build goes through
    disk.resize(64 << 20);
    let r = run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(root.join("site/index.html"))
            .unwrap()
            .contains("Desk B")
    );
    assert!(root.join("site/.git/HEAD").exists());
    assert_eq!(ours(&mnt), Vec::<String>::new());
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
#[test]
fn what_killed_processes_left_goes_with_the_next_build_and_nothing_else() {
    let p = TestProject::new().file("content/a.md", common::ARTICLE);
    build_ok(&p);
    let dead = ended_pid();
    let alive = std::process::id();
    let left = [
        format!("content/.a.md.{dead}.briefing-tmp"),
        format!("annotations/.a.md.{dead}.briefing-tmp"),
        format!(".briefing/.build.json.{dead}.briefing-tmp"),
        format!(".briefing/backup/.a.md.1.{dead}.briefing-tmp"),
        ".site.briefing-new/index.html".to_string(),
        "site/.briefing-staging/index.html".to_string(),
    ];
    let not_ours = [
        format!("content/.a.md.{alive}.briefing-tmp"),
        "content/.a.md.swp".to_string(),
        ".site.briefing-newer/x".to_string(),
        "site.bak/index.html".to_string(),
        "site/.well-known/security.txt".to_string(),
    ];
    for f in left.iter().chain(&not_ours) {
        p.write(f, "x");
    }
    // a build killed after it moved the deployment checkout into the new
    // site, just before the swap
    p.write(".site.briefing-new/.git/HEAD", "ref");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in &left {
        assert!(!p.exists(f), "{f} is left");
    }
    assert!(!p.exists(".site.briefing-new") && !p.exists("site/.briefing-staging"));
    for f in &not_ours {
        assert!(p.exists(f), "{f} was removed");
    }
    assert_eq!(p.read("site/.git/HEAD"), "ref");
    assert!(p.read("site/index.html").contains("A test article"));
    // temporaries an older version left beside pages go with the next
    // build that writes the site (a new binary's first build always does)
    let legacy = format!("site/articles/.index.html.{dead}.briefing-tmp");
    p.write(&legacy, "x");
    p.write("content/a.md", &common::ARTICLE.replace("summary", "gist"));
    build_ok(&p);
    assert!(!p.exists(&legacy));
    for f in &not_ours {
        assert!(p.exists(f), "{f} was removed");
    }
}

#[test]
fn an_output_directory_holding_the_project_is_refused() {
    let p = TestProject::new().file("content/a.md", common::ARTICLE);
    let root = p.dir.path().to_str().unwrap().to_string();
    for out in [root.clone(), format!("{root}/..")] {
        let r = p.run(&["build", "--out", &out]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("error: the output directory holds the briefing project itself"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(p.read("content/a.md"), common::ARTICLE);
    assert!(!p.exists("site"));
}

/// A build replaces its output directory whole, so `--out content` (or
/// any directory of the inputs, or one inside them) would delete the
/// articles or notes there: refused by `build` and by `watch`/`serve`
/// before anything is written.
#[test]
fn an_output_directory_inside_the_inputs_is_refused() {
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file(
            "annotations/n.md",
            "---\narticle: a-test-article\n---\n\nA note.\n",
        );
    let root = p.dir.path().to_str().unwrap().to_string();
    for (out, dir) in [
        ("content", "content"),
        ("annotations", "annotations"),
        ("content/site", "content"),
        ("content/new/..", "content"),
        ("annotations/./x/../y", "annotations"),
        ("seeds", "seeds"),
        (".briefing/site", ".briefing"),
    ] {
        for cmd in ["build", "watch"] {
            let r = p.run(&[cmd, "--out", &format!("{root}/{out}")]);
            assert_eq!(r.code, 1, "{cmd} --out {out}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!("error: the output directory is inside `{dir}/`")),
                "{cmd} --out {out}: {}",
                r.stderr
            );
        }
    }
    assert_eq!(p.read("content/a.md"), common::ARTICLE);
    assert!(p.read("annotations/n.md").contains("A note."));
    assert!(!p.exists("content/site") && !p.exists("seeds") && !p.exists("annotations/y"));
    // an input directory that is a link: where it leads is an input too
    std::fs::create_dir(p.dir.path().join("theme-static")).unwrap();
    std::fs::write(p.dir.path().join("theme-static/extra.css"), "p{}").unwrap();
    std::os::unix::fs::symlink("theme-static", p.dir.path().join("static")).unwrap();
    let r = p.run(&["build", "--out", &format!("{root}/theme-static")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: the output directory is inside `static/`"),
        "{}",
        r.stderr
    );
    assert_eq!(p.read("theme-static/extra.css"), "p{}");
    // a directory of its own inside the project is fine
    let r = p.run(&["build", "--out", &format!("{root}/public")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists("public/index.html"));
}

/// `clean --out DIR` writes `<seed>.md` over any file of that name, so a
/// directory of the inputs is refused: a hand-written article stays.
#[test]
fn clean_out_into_the_inputs_is_refused() {
    let hand = "---\ntitle: Hand written\n---\n\nThe analyst's own text.\n";
    let dump = format!(
        "Harbour bridge reopens\n\n{}\n",
        "The council met on Tuesday evening to discuss the harbour bridge, which reopened after two years of repairs. ".repeat(5)
    );
    let p = TestProject::new()
        .file("seeds/s.txt", &dump)
        .file("content/s.md", hand);
    let root = p.dir.path().to_str().unwrap().to_string();
    for out in ["content", "annotations/x"] {
        let r = p.run(&["clean", "--out", &format!("{root}/{out}"), "seeds/s.txt"]);
        assert_eq!(r.code, 1, "{out}: {}", r.stderr);
        assert!(
            r.stderr.contains("error: the output directory is inside"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(p.read("content/s.md"), hand);
    assert!(!p.exists("annotations/x"));
    let r = p.run(&["clean", "--out", &format!("{root}/out"), "seeds/s.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.read("out/s.md").contains("Harbour bridge reopens"));
}

/// The live preview updates pages in place: killed at any moment after an
/// edit, it leaves no half-written page, and what it left goes with the
/// next start.
#[cfg(unix)]
#[test]
fn a_killed_preview_leaves_whole_pages_and_nothing_behind() {
    let p = in_memory(generated(150, "Desk"));
    let mut rng = Rng(7);
    for i in 0..8 {
        let mut r = live_common::Running::start(p.dir.path(), &["watch"]);
        r.wait_line(|l| l.starts_with("watching for changes"));
        p.write(
            "content/a0001.md",
            &format!("---\ntitle: \"Article 1, take {i}\"\n---\n\nEdited {i}.\n"),
        );
        std::thread::sleep(Duration::from_millis((rng.unit() * 150.0) as u64));
        drop(r); // SIGKILL
        for (rel, bytes) in tree(&p.path("site"), &[".briefing-staging"]) {
            if rel.ends_with(".html") {
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    text.trim_end().ends_with("</html>"),
                    "kill {i}: {rel} is cut short"
                );
            }
            assert!(!rel.contains("briefing-tmp"), "kill {i}: {rel}");
        }
    }
    build_ok(&p);
    assert_eq!(ours(p.dir.path()), Vec::<String>::new());
    assert!(
        p.read("site/articles/article-1-take-7/index.html")
            .contains("Edited 7.")
    );
}

/// `clean --force` killed at random moments: every backup is a whole copy
/// of an edited article, every article whole, and the next run leaves no
/// temporary.
#[cfg(unix)]
#[test]
fn a_killed_forced_clean_leaves_whole_backups_and_whole_articles() {
    let p = TestProject::with_seeds();
    // the same two pages many times over, so that cleaning takes a while
    let seeds: Vec<PathBuf> = std::fs::read_dir(p.path("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for i in 0..20 {
        for s in &seeds {
            let name = s.file_name().unwrap().to_string_lossy();
            std::fs::copy(s, p.path(&format!("seeds/{i:02}{name}"))).unwrap();
        }
    }
    let r = p.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let articles = || -> Vec<PathBuf> {
        std::fs::read_dir(p.path("content"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|f| f.extension().is_some_and(|x| x == "md"))
            .collect()
    };
    let cleaned: BTreeMap<PathBuf, String> = articles()
        .into_iter()
        .map(|f| {
            let t = std::fs::read_to_string(&f).unwrap();
            (f, t)
        })
        .collect();
    let mut edited: Vec<String> = Vec::new();
    let edit = |take: usize, edited: &mut Vec<String>| {
        for (f, text) in &cleaned {
            let e = format!("{text}\nEdited by hand, take {take}.\n");
            std::fs::write(f, &e).unwrap();
            edited.push(e);
        }
    };
    edit(0, &mut edited);
    let start = Instant::now();
    let r = p.run(&["clean", "--force"]);
    let took = start.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rng = Rng(11);
    for i in 1..=8 {
        edit(i, &mut edited);
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("-C")
            .arg(p.dir.path())
            .args(["clean", "--force"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(rng.unit() * 1.5));
        let _ = child.kill();
        child.wait().unwrap();
        for f in articles() {
            let t = std::fs::read_to_string(&f).unwrap();
            assert!(
                cleaned.get(&f) == Some(&t) || edited.contains(&t),
                "kill {i}: {} is neither cleaned nor edited",
                f.display()
            );
        }
        for b in std::fs::read_dir(p.path(".briefing/backup"))
            .into_iter()
            .flatten()
        {
            let b = b.unwrap();
            if b.file_name().to_string_lossy().ends_with(".briefing-tmp") {
                continue;
            }
            let t = std::fs::read_to_string(b.path()).unwrap();
            assert!(
                edited.contains(&t),
                "kill {i}: backup {:?} is not whole",
                b.file_name()
            );
        }
    }
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ours(p.dir.path()), Vec::<String>::new());
}
