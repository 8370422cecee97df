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

/// Whether the build stopped at the stamp check: nothing written and the
/// stamp kept as it was (a full build that finds every page unchanged
/// writes nothing either, but leaves a new stamp).
fn nothing_done(p: &TestProject) -> bool {
    let stamp = std::fs::read(p.path(".briefing/build.json")).ok();
    let run = p.build(&[]);
    run.stderr.contains("(0 written")
        && run.stderr.contains("0 removed")
        && stamp.is_some()
        && std::fs::read(p.path(".briefing/build.json")).ok() == stamp
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

/// [`nothing_done`], and then the site is what a full build makes of the
/// same inputs (the project is built again after, for the next check).
fn nothing_done_and_site_is_full(p: &TestProject) -> bool {
    if !nothing_done(p) {
        return false;
    }
    let site = snapshot(&p.path("site"));
    assert_eq!(site, full_build(p));
    p.build(&[]);
    true
}

const SECOND: &str = "---\ntitle: Second\n---\n\nThe body of the second article.\n";

#[test]
fn the_remembered_listing_of_the_inputs_hides_no_file_added_removed_renamed_or_replaced() {
    let p = TestProject::new().file("content/a.md", ARTICLE).file(
        "annotations/a.md",
        "---\narticle: a-test-article\n---\n\n> first paragraph\n\nA note on it.\n",
    );
    p.build(&[]);
    assert!(nothing_done_and_site_is_full(&p));
    // the no-op check used the listing it remembered
    assert!(p.exists(".briefing/inputs.list"));
    // a file added at once after a build judged a no-op
    p.write("content/b.md", SECOND);
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/second/index.html")
            .contains("second article")
    );
    assert!(nothing_done_and_site_is_full(&p));
    // in a new subdirectory, then in that subdirectory alone (the top
    // directory's time does not move)
    p.write(
        "content/sub/c.md",
        "---\ntitle: Third\n---\n\nThird body.\n",
    );
    assert!(!nothing_done(&p));
    assert!(nothing_done_and_site_is_full(&p));
    p.write(
        "content/sub/d.md",
        "---\ntitle: Fourth\n---\n\nFourth body.\n",
    );
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/fourth/index.html")
            .contains("Fourth body.")
    );
    assert!(nothing_done_and_site_is_full(&p));
    // renamed within the subdirectory, then removed
    std::fs::rename(p.path("content/sub/d.md"), p.path("content/sub/e.md")).unwrap();
    assert!(!nothing_done(&p));
    assert!(nothing_done_and_site_is_full(&p));
    std::fs::remove_file(p.path("content/sub/e.md")).unwrap();
    assert!(!nothing_done(&p));
    assert!(!p.exists("site/articles/fourth/index.html"));
    assert!(nothing_done_and_site_is_full(&p));
    // an annotation file replaced in place by other bytes of the same
    // length, its modification time set back (as `cp -p`, `rsync -a` and
    // `touch -r` do)
    let ann = p.path("annotations/a.md");
    let when = std::fs::metadata(&ann).unwrap().modified().unwrap();
    let text = p
        .read("annotations/a.md")
        .replace("A note on it.", "A NOTE ON IT.");
    std::fs::write(&ann, &text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&ann)
        .unwrap()
        .set_modified(when)
        .unwrap();
    assert_eq!(std::fs::metadata(&ann).unwrap().modified().unwrap(), when);
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/a-test-article/index.html")
            .contains("A NOTE ON IT.")
    );
    assert!(nothing_done_and_site_is_full(&p));
    // the directory replaced by a copy of itself with a file more, every
    // time kept
    let copy = p.path("annotations.copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::hard_link(p.path("annotations/a.md"), copy.join("a.md")).unwrap();
    std::fs::write(
        copy.join("b.md"),
        "---\narticle: second\n---\n\n> body of the second\n\nOn the second.\n",
    )
    .unwrap();
    std::fs::remove_dir_all(p.path("annotations")).unwrap();
    std::fs::rename(&copy, p.path("annotations")).unwrap();
    assert!(!nothing_done(&p));
    assert!(
        p.page("articles/second/index.html")
            .contains("On the second.")
    );
    assert!(nothing_done_and_site_is_full(&p));
    // the remembered listing damaged: listed again, nothing else changes
    p.write(".briefing/inputs.list", "not a listing");
    assert!(nothing_done_and_site_is_full(&p));
    p.write("content/f.md", "---\ntitle: Sixth\n---\n\nSixth body.\n");
    assert!(!nothing_done(&p));
    assert!(nothing_done_and_site_is_full(&p));
}
