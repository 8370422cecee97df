//! Integration tests: the `briefing` binary on fixture projects.

use crate::common;

use common::{ARTICLE, TestProject, snapshot};

#[test]
fn builds_a_minimal_project_with_the_builtin_theme() {
    let p = TestProject::new()
        .file("content/a.md", ARTICLE)
        .file("briefing.toml", "title = \"Desk\"\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let index = p.read("site/index.html");
    assert!(index.contains("<title>Desk</title>"), "{index}");
    assert!(
        index.contains("href=\"articles/a-test-article/index.html\""),
        "{index}"
    );
    assert!(index.contains("The first paragraph is the summary."));
    assert!(
        index.contains("datetime=\"2024-12-06T15:39:00\">6 December 2024, 15:39</time>"),
        "{index}"
    );
    let article = p.read("site/articles/a-test-article/index.html");
    assert!(article.contains("<h1>A test article</h1>"));
    assert!(article.contains("By Ann Analyst"));
    assert!(
        article.contains("&lt;b&gt;markup&lt;/b&gt;"),
        "raw HTML must be escaped: {article}"
    );
    assert!(
        article.contains("href=\"../../static/style.css\""),
        "{article}"
    );
    assert!(p.exists("site/static/style.css"));
    assert!(p.exists("site/static/syntax.css"));
}

#[test]
fn build_is_the_default_command() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    let r = p.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists("site/index.html"));
}

#[test]
fn a_project_template_overrides_the_builtin_one() {
    let p = TestProject::new().file("content/a.md", ARTICLE).file(
        "templates/index.html",
        "<!doctype html><p>custom {{ articles | length }}</p>",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(p.read("site/index.html"), "<!doctype html><p>custom 1</p>");
    // the other templates still come from the built-in theme
    assert!(
        p.read("site/articles/a-test-article/index.html")
            .contains("<h1>A test article</h1>")
    );
}

#[test]
fn init_scaffolds_a_project_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("desk");
    let r = common::run_in(dir.path(), &["init", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["briefing.toml", "content/_briefing.md", "entities.yaml"] {
        assert!(target.join(f).exists(), "missing {f}");
    }
    // the built-in theme, not a copy that would go stale on upgrade
    assert!(!target.join("templates").exists() && !target.join("static").exists());
    let r = common::run_in(&target, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(target.join("site/index.html"))
            .unwrap()
            .contains("New briefing")
    );
    // init refuses to scaffold over an existing briefing
    let r = common::run_in(dir.path(), &["init", target.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("already holds a briefing"),
        "{}",
        r.stderr
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let p = TestProject::with_seeds().file("content/_briefing.md", "Summary with `code`.\n");
    let (out_a, out_b) = (p.path("out-a"), p.path("out-b"));
    let a = p.run(&["build", "--out", out_a.to_str().unwrap()]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let b = p.run(&["build", "--out", out_b.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let (sa, sb) = (snapshot(&p.path("out-a")), snapshot(&p.path("out-b")));
    assert!(sa.len() > 5);
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between builds");
    }
}

#[test]
fn links_are_relative_so_the_site_works_from_any_path() {
    let p = TestProject::with_seeds();
    assert_eq!(p.run(&["build"]).code, 0);
    for (path, bytes) in snapshot(&p.path("site")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let url = &html[i + attr.len()..];
                let url = &url[..url.find('"').unwrap()];
                let external = url.starts_with("https://") || url.starts_with("http://");
                let canonical = html[..i].ends_with("rel=\"canonical\" ");
                assert!(!url.starts_with('/'), "{path}: root-relative link {url}");
                assert!(!external || canonical, "{path}: absolute link {url}");
            }
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    assert_eq!(p.run(&["build"]).code, 0);
    let before = snapshot(&p.path("site"));
    p.write(
        "content/a.md",
        "---\ntitle: \"Broken\nbyline: x\n---\nBody\n",
    );
    p.write(
        "content/b.md",
        ARTICLE.replace("A test article", "Another").as_str(),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(snapshot(&p.path("site")), before);
}

#[test]
fn a_template_failing_while_pages_are_written_leaves_the_previous_site_untouched() {
    // Pages are written as they render; one failing page must still leave
    // nothing of the failed build behind: no new page, no new directory,
    // no temporary file.
    let p = TestProject::new().file("content/a.md", ARTICLE);
    assert_eq!(p.run(&["build"]).code, 0);
    let before = snapshot(&p.path("site"));
    p.write(
        "content/b.md",
        ARTICLE.replace("A test article", "Another").as_str(),
    );
    p.write(
        "templates/timeline.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("templates/timeline.html"), "{}", r.stderr);
    assert_eq!(snapshot(&p.path("site")), before);
    assert!(
        !p.exists("site/articles/another"),
        "a directory made for the failed build"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let p = TestProject::new();
    assert_eq!(p.run(&["no-such-command"]).code, 2);
    assert_eq!(p.run(&["build", "--no-such-flag"]).code, 2);
}

#[test]
fn stale_pages_are_removed_and_unchanged_ones_not_rewritten() {
    let p = TestProject::new()
        .file("content/a.md", ARTICLE)
        .file("content/b.md", &ARTICLE.replace("A test article", "Second"));
    assert_eq!(p.run(&["build"]).code, 0);
    assert!(p.exists("site/articles/second/index.html"));
    std::fs::remove_file(p.path("content/b.md")).unwrap();
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!p.exists("site/articles/second/index.html"));
    assert!(p.exists("site/articles/a-test-article/index.html"));
    assert!(r.stderr.contains("removed"), "{}", r.stderr);
}

/// The first paragraph is set as a standfirst only when it reads as one:
/// the summary, short, one or two sentences; a first paragraph of
/// reporting, or one the summary does not repeat, is body text.
#[test]
fn standfirst_only_when_the_first_paragraph_is_one() {
    let long = "The ministry said on Tuesday that the launcher had completed its trials. It would enter service within months. Officials have repeated the timetable since the summer, and analysts doubt it.";
    let p = common::TestProject::new()
        .file("briefing.toml", "title = \"T\"\n")
        .file(
            "content/lede.md",
            "---\ntitle: Lede\n---\n\nRussia could launch its missiles from Belarus next year.\n\nMore text.\n",
        )
        .file(
            "content/report.md",
            &format!("---\ntitle: Report\n---\n\n{long}\n\nMore text.\n"),
        )
        .file(
            "content/other.md",
            "---\ntitle: Other\nsummary: A summary of its own.\n---\n\nA short first paragraph.\n",
        );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = |slug: &str| p.read(&format!("site/articles/{slug}/index.html"));
    assert!(page("lede").contains("class=\"body prose with-standfirst\""));
    assert!(
        page("report").contains("class=\"body prose\""),
        "{}",
        page("report")
    );
    assert!(page("other").contains("class=\"body prose\""));
}

/// The test-project builder end to end: configuration, an article, its
/// notes and an entity registry written through [`TestProject`], one build,
/// and the article page shows the note and links the entity.
#[test]
fn a_project_made_with_the_builder_builds_notes_and_entity_links() {
    let p = TestProject::new()
        .config("title = \"Builder briefing\"\n")
        .article(
            "alpha",
            "---\ntitle: Alpha\ndate: 2024-12-06\n---\n\nIn Minsk the talks began.\n",
        )
        .annotations(
            "alpha",
            "---\narticle: alpha\n---\n## \"the talks began\" {#talks}\n\nA builder note.\n",
        )
        .entities("- name: Minsk\n  kind: place\n");
    p.build(&[]);
    let page = p.page("articles/alpha/index.html");
    assert!(page.contains("A builder note."), "{page}");
    assert!(page.contains("id=\"a-talks\""), "{page}");
    assert!(
        page.contains("href=\"../../entities/minsk/index.html\""),
        "{page}"
    );
}
