//! A build with nothing to do (`.briefing/build.json`): it stops early
//! only when a full build would write nothing, and never leaves the site
//! other than a full build makes it.

use crate::common::{ARTICLE, TestProject, snapshot};

/// The site a full build makes of the same inputs (the stamp ignored).
fn full_build(p: &TestProject) -> std::collections::BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_file(p.path(".briefing/build.json"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    p.build(&["-o", site.to_str().unwrap()]);
    snapshot(&site)
}

fn nothing_done(p: &TestProject) -> bool {
    let run = p.build(&[]);
    run.stderr.contains("(0 written")
        && run.stderr.contains("0 removed")
        && p.exists(".briefing/build.json")
}

#[test]
fn a_build_with_nothing_to_do_skips_and_any_input_change_is_built() {
    let p = TestProject::new().file("content/a.md", ARTICLE).file(
        "annotations/a.md",
        "---\narticle: a-test-article\n---\n\n> first paragraph\n\nA note on it.\n",
    );
    p.build(&[]);
    assert!(nothing_done(&p));
    // the article edited in place at once, keeping its length
    let edited = ARTICLE.replace("The first paragraph", "THE FIRST PARAGRAPH");
    assert_eq!(edited.len(), ARTICLE.len());
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(p.path("content/a.md"))
        .unwrap();
    std::io::Write::write_all(&mut &f, edited.as_bytes()).unwrap();
    drop(f);
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/a-test-article/index.html")
            .contains("THE FIRST PARAGRAPH")
    );
    assert!(nothing_done(&p));
    // the annotation file deleted, then another added
    std::fs::remove_file(p.path("annotations/a.md")).unwrap();
    assert!(!nothing_done(&p));
    assert!(
        !p.page("articles/a-test-article/index.html")
            .contains("A note on it.")
    );
    p.write(
        "annotations/b.md",
        "---\narticle: a-test-article\n---\n\n> second paragraph\n\nAnother note.\n",
    );
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/a-test-article/index.html")
            .contains("Another note.")
    );
    // the configuration and a template of the project's own
    p.write("briefing.toml", "title = \"Renamed\"\n");
    assert!(!nothing_done(&p));
    assert!(p.page("index.html").contains("Renamed"));
    p.write("static/extra.txt", "x");
    assert!(!nothing_done(&p));
    assert_eq!(p.read("site/static/extra.txt"), "x");
    // after each build judged to have nothing to do, the site is what a
    // full build of the same inputs makes
    assert!(nothing_done(&p));
    assert_eq!(snapshot(&p.path("site")), full_build(&p));
}

#[test]
fn a_site_removed_or_changed_at_its_top_is_made_again() {
    let p = TestProject::new().file("content/a.md", ARTICLE);
    p.build(&[]);
    let made = snapshot(&p.path("site"));
    std::fs::remove_dir_all(p.path("site")).unwrap();
    assert!(!nothing_done(&p));
    assert_eq!(snapshot(&p.path("site")), made);
    std::fs::remove_file(p.path("site/index.html")).unwrap();
    assert!(!nothing_done(&p));
    assert_eq!(snapshot(&p.path("site")), made);
    // another option is another site
    let run = p.build(&["--base-url", "https://example.org/"]);
    assert!(!run.stderr.contains("(0 written"), "{}", run.stderr);
    assert!(!nothing_done(&p));
    assert_eq!(snapshot(&p.path("site")), made);
}
