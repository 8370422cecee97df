//! The command line as a new user meets it: golden `--help` texts (every
//! option has help), finding the briefing by walking up to
//! `briefing.toml`, refusing outside one without writing anything,
//! `build -o DIR` writing only DIR, `init`, and `new annotation`.

use crate::common;

use common::{ARTICLE, TestProject, snapshot};
use std::path::Path;

/// Run the binary in `cwd` (no `-C`), as a user in a shell would.
fn run_at(cwd: &Path, args: &[&str]) -> common::Run {
    let mut cmd = assert_cmd::Command::cargo_bin("briefing").unwrap();
    cmd.current_dir(cwd).args(args).env("NO_COLOR", "1");
    cmd.output().unwrap().into()
}

/// `tests/fixtures/help/<name>.txt` against `briefing <args> --help`.
/// `BLESS=1 cargo test --test it cli::` writes the files anew.
fn golden_help(name: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push("--help");
    let r = run_at(dir.path(), &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = common::repo_root().join(format!("tests/fixtures/help/{name}.txt"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &r.stdout).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BLESS=1 writes it)", path.display()));
    assert_eq!(
        r.stdout,
        want,
        "`briefing {} --help` changed: if on purpose, run with BLESS=1 and review the diff",
        args.join(" ")
    );
    r.stdout
}

#[test]
fn help_texts_are_golden_and_every_option_has_help() {
    let cases: &[(&str, &[&str])] = &[
        ("briefing", &[]),
        ("build", &["build"]),
        ("serve", &["serve"]),
        ("watch", &["watch"]),
        ("clean", &["clean"]),
        ("check", &["check"]),
        ("edition", &["edition"]),
        ("init", &["init"]),
        ("new-annotation", &["new", "annotation"]),
        ("entities-suggest", &["entities", "suggest"]),
        ("sources-suggest", &["sources", "suggest"]),
        ("import-hypothesis", &["import", "hypothesis"]),
        ("import-w3c", &["import", "w3c"]),
        ("export-w3c", &["export", "w3c"]),
        ("export-hypothesis", &["export", "hypothesis"]),
    ];
    for (name, args) in cases {
        let text = golden_help(name, args);
        // every option has words after its name: on its line
        // (`--x <V>  Help`) or, in the long form, on the next
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start().as_bytes();
            let option =
                t.starts_with(b"--") || (t.len() > 1 && t[0] == b'-' && t[1].is_ascii_alphabetic());
            if !option {
                continue;
            }
            let same = line
                .trim()
                .split("  ")
                .filter(|s| !s.trim().is_empty())
                .count()
                >= 2;
            let next = lines.get(i + 1).is_some_and(|n| {
                n.len() - n.trim_start().len() > line.len() - line.trim_start().len()
                    && !n.trim().is_empty()
            });
            assert!(same || next, "{name}: an option without help: {line:?}");
        }
    }
    // the options the CLI conventions name
    let show = |args: &[&str]| golden_help(&args.join("-"), args);
    for cmd in ["build", "serve", "watch"] {
        let h = show(&[cmd]);
        for opt in [
            "-o, --output-dir <DIR>",
            "--base-url <URL>",
            "--profile <PROFILE>",
            "--now <TIME>",
        ] {
            assert!(h.contains(opt), "{cmd} --help lacks {opt}");
        }
    }
    let serve = show(&["serve"]);
    for opt in [
        "-p, --port <PORT>",
        "-i, --bind <ADDRESS>",
        "[alias: --interface]",
    ] {
        assert!(serve.contains(opt), "serve --help lacks {opt}");
    }
    assert!(show(&["build"]).contains("[default: public]"));
    assert!(show(&["serve"]).contains("[default: internal]"));
    assert!(show(&["watch"]).contains("[default: internal]"));
    assert!(show(&["init"]).contains("--theme"));
}

#[test]
fn short_and_long_option_names_agree() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    for (flag, dir) in [("-o", "one"), ("--output-dir", "two"), ("--out", "three")] {
        let out = p.path(dir);
        let r = p.run(&["build", flag, out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{flag}: {}", r.stderr);
        assert!(
            out.join("articles/a-test-article/index.html").is_file(),
            "{flag}"
        );
    }
    assert_eq!(snapshot(&p.path("one")), snapshot(&p.path("two")));
}

#[test]
fn build_o_writes_only_that_directory_and_leaves_site_alone() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    // no site/ yet: none is made
    let out = p.path("elsewhere/out");
    let r = p.run(&["build", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("index.html").is_file());
    assert!(!p.exists("site"), "build -o made site/");
    // a site/ that exists is left exactly as it was, stale or not
    assert_eq!(p.run(&["build"]).code, 0);
    p.write("site/stray.txt", "mine");
    let before = snapshot(&p.path("site"));
    p.write(
        "content/a.md",
        &ARTICLE.replace("A test article", "Renamed"),
    );
    let r = p.run(&["build", "--output-dir", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Renamed")
    );
    assert_eq!(snapshot(&p.path("site")), before);
}

#[test]
fn commands_find_the_briefing_by_walking_up() {
    let p = TestProject::new()
        .file("briefing.toml", "title = \"Walked up\"\n")
        .file("content/a.md", ARTICLE);
    // from a subdirectory, without -C
    let r = run_at(&p.path("content"), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        p.read("site/index.html")
            .contains("<title>Walked up</title>")
    );
    assert!(!p.exists("content/site") && !p.exists("content/.briefing"));
    // -C names a directory inside it just as well
    std::fs::remove_dir_all(p.path("site")).unwrap();
    let r = common::run_in(&p.path("content"), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists("site/index.html"));
}

#[test]
fn outside_a_briefing_commands_refuse_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // a folder that looks like one, but without briefing.toml
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/a.md"), ARTICLE).unwrap();
    let before = snapshot(dir.path());
    let dirs = |p: &Path| -> Vec<String> {
        walkdir::WalkDir::new(p)
            .into_iter()
            .map(|e| e.unwrap().path().display().to_string())
            .collect()
    };
    let dirs_before = dirs(dir.path());
    for args in [
        &[][..],
        &["build"],
        &["build", "--profile", "internal"],
        &["check"],
        &["serve", "--port", "0"],
        &["watch"],
        &["clean"],
        &["new", "annotation", "a-test-article"],
        &["entities", "suggest"],
    ] {
        for r in [run_at(dir.path(), args), common::run_in(dir.path(), args)] {
            assert_ne!(r.code, 0, "{args:?} succeeded outside a briefing");
            assert!(
                r.stderr.contains("not inside a briefing"),
                "{args:?}: {}",
                r.stderr
            );
            assert!(r.stderr.contains("briefing init"), "{args:?}: {}", r.stderr);
        }
    }
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(dirs(dir.path()), dirs_before, "a directory was made");
    // `-C` naming a directory that does not exist, inside a briefing,
    // does not fall back on that briefing
    let p = TestProject::new().file("content/a.md", ARTICLE);
    let r = common::run_in(&p.path("typo"), &["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a directory"), "{}", r.stderr);
    assert!(!p.exists("site") && !p.exists("typo"));
}

#[test]
fn init_uses_the_built_in_theme_and_says_what_to_do_next() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_at(dir.path(), &["init", "desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let desk = dir.path().join("desk");
    assert!(!desk.join("templates").exists() && !desk.join("static").exists());
    let toml = std::fs::read_to_string(desk.join("briefing.toml")).unwrap();
    assert!(
        toml.contains("base_url = \"http://127.0.0.1:1111/\""),
        "{toml}"
    );
    assert!(!toml.contains("example.org"), "{toml}");
    // the next three commands, the first going into it
    let steps: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        steps,
        [
            "cd desk",
            "briefing serve",
            "briefing new annotation <slug>"
        ],
        "{}",
        r.stderr
    );
    // it builds, and the links it writes work locally
    let r = run_at(&desk, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let nf = std::fs::read_to_string(desk.join("site/404.html")).unwrap();
    // (404.html links relatively, resolved against the site's root by
    // its script, so it works from any address and from disk)
    assert!(nf.contains("href=\"static/style.css\""), "{nf}");
    assert!(!nf.contains("example.org"), "{nf}");
    // in the current directory: no `cd`
    let here = dir.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let r = run_at(&here, &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(here.join("briefing.toml").is_file());
    assert!(r.stderr.contains("  briefing serve"), "{}", r.stderr);
    assert!(!r.stderr.contains("  cd "), "{}", r.stderr);
    // --theme: a copy to edit
    let r = run_at(dir.path(), &["init", "--theme", "themed"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "templates/base.html",
        "templates/article.html",
        "static/style.css",
    ] {
        assert!(dir.path().join("themed").join(f).is_file(), "missing {f}");
    }
}

#[test]
fn new_annotation_creates_the_file_or_names_the_one_holding_the_notes() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    let r = p.run(&["new", "annotation", "a-test-article"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        "created annotations/a-test-article.md for content/a.md"
    );
    let text = p.read("annotations/a-test-article.md");
    assert!(text.starts_with("---\narticle: a-test-article\n"), "{text}");
    // the new file builds as it is, warning-free, and shows nothing
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        !p.read("site/articles/a-test-article/index.html")
            .contains("level-2 heading")
    );
    // asked again: it says where the notes are, and changes nothing
    p.write(
        "annotations/a-test-article.md",
        "---\narticle: a-test-article\n---\nMine.\n",
    );
    let r = p.run(&["new", "annotation", "a-test-article"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "annotations/a-test-article.md already holds the notes on `a-test-article`"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        p.read("annotations/a-test-article.md"),
        "---\narticle: a-test-article\n---\nMine.\n"
    );
    // another file holding them is named too
    std::fs::remove_file(p.path("annotations/a-test-article.md")).unwrap();
    p.write(
        "annotations/desk.md",
        "---\narticle: a-test-article\n---\nTheirs.\n",
    );
    let r = p.run(&["new", "annotation", "a-test-article"]);
    assert!(
        r.stderr.starts_with("annotations/desk.md already holds"),
        "{}",
        r.stderr
    );
    assert!(!p.exists("annotations/a-test-article.md"));
    // a slug no article has
    let r = p.run(&["new", "annotation", "a-test-articel"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no article has the slug `a-test-articel`")
            && r.stderr.contains("did you mean `a-test-article`?"),
        "{}",
        r.stderr
    );
    assert!(!p.exists("annotations/a-test-articel.md"));
}
