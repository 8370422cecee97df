//! Integration tests: a newer scrape of an article dropped into `seeds/`
//! (under the same file name, or another one with the same `url`) is
//! cleaned into the article's content file — keeping its slug, never over
//! a hand edit — and an older scrape never wins.

use crate::common;

use common::{TestProject, repo_root};

const URL: &str = "https://wire.example/world/2024/03/07/geneva-talks";
/// The paragraph the outlet rewrote between the two scrapes.
const OLD: &str = "The previous round ended after six days without a joint statement.";
const NEW: &str = "The previous round ended after nine days with a short joint statement.";

/// The text dump of the article, as first scraped.
fn first_scrape() -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/provenance/seeds/talks.txt")).unwrap()
}

/// The same article, rewritten by the outlet.
fn second_scrape() -> String {
    let t = first_scrape();
    assert!(t.contains(OLD));
    t.replace(OLD, NEW)
}

fn sidecar(url: &str, modified: &str) -> String {
    format!(
        "url: {url}\noutlet: The Wire\npublished: 2024-03-07T08:15:00-05:00\nmodified: {modified}\n"
    )
}

fn content_files(p: &TestProject) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p.path("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    v.sort();
    v
}

/// The one article's project-relative content file.
fn the_article(p: &TestProject) -> String {
    let files = content_files(p);
    assert_eq!(files.len(), 1, "one article: {files:?}");
    format!("content/{}", files[0])
}

fn article_pages(p: &TestProject) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p.path("site/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("page"))
        .filter(|n| p.path(&format!("site/articles/{n}/index.html")).is_file())
        .collect();
    v.sort();
    v
}

fn front(text: &str, key: &str) -> Option<String> {
    let fm = text.strip_prefix("---\n")?.split("\n---").next()?;
    fm.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(|v| v.trim_matches(['"', '\'']).to_string())
}

/// A project with the first scrape cleaned and built, an annotation on a
/// passage both scrapes keep: (project, content file, slug).
fn built_first() -> (TestProject, String, String) {
    let p = TestProject::new()
        .file("seeds/talks.txt", &first_scrape())
        .file(
            "seeds/talks.meta.yaml",
            &sidecar(URL, "2024-03-08T10:00:00-05:00"),
        );
    p.build(&[]);
    let rel = the_article(&p);
    let slug = rel
        .trim_start_matches("content/")
        .trim_end_matches(".md")
        .to_string();
    p.write(
        &format!("annotations/{slug}.md"),
        &format!(
            "---\narticle: {slug}\n---\n\n## \"exchanged written proposals\" {{#proposals .claim}}\n\nThe mediators' account.\n"
        ),
    );
    p.build(&[]);
    assert!(p.read(&rel).contains(OLD));
    (p, rel, slug)
}

/// The newer scrape of the same page, under another file name, with a
/// later `modified`.
fn drop_newer_scrape(p: &TestProject) {
    p.write("seeds/talks-again.txt", &second_scrape());
    p.write(
        "seeds/talks-again.meta.yaml",
        &sidecar(URL, "2024-03-09T10:00:00-05:00"),
    );
}

fn assert_annotated(p: &TestProject, slug: &str) {
    let page = p.page(&format!("articles/{slug}/index.html"));
    assert!(page.contains("id=\"a-proposals\""), "anchored: {page}");
    assert!(page.contains("The mediators"), "the note is shown");
}

#[test]
fn a_rescrape_under_the_same_file_name_is_cleaned_again() {
    let (p, rel, slug) = built_first();
    let sha = front(&p.read(&rel), "seed_sha256").unwrap();
    p.write("seeds/talks.txt", &second_scrape());
    let r = p.build(&[]);
    assert!(
        r.stderr
            .contains(&format!("cleaned seeds/talks.txt → {rel}")),
        "{}",
        r.stderr
    );
    let text = p.read(&rel);
    assert!(text.contains(NEW) && !text.contains(OLD), "{text}");
    assert_ne!(
        front(&text, "seed_sha256").unwrap(),
        sha,
        "the new seed's hash"
    );
    assert_eq!(the_article(&p), rel);
    assert_annotated(&p, &slug);
}

#[test]
fn a_newer_scrape_under_another_name_replaces_the_article_and_keeps_its_slug() {
    let (p, rel, slug) = built_first();
    // the same page by another address form (no `www.` matters, nor the
    // scheme, a trailing slash or a fragment), changed later, with a new
    // headline that would give another slug
    p.write("seeds/talks-again.txt", &second_scrape());
    p.write(
        "seeds/talks-again.meta.yaml",
        &format!(
            "{}title: Geneva talks end with a joint statement\n",
            sidecar(
                "http://www.wire.example/world/2024/03/07/geneva-talks/#top",
                "2024-03-09T10:00:00-05:00"
            )
        ),
    );
    let r = p.build(&[]);
    assert!(
        r.stderr
            .contains(&format!("cleaned seeds/talks-again.txt → {rel}")),
        "{}",
        r.stderr
    );
    assert_eq!(the_article(&p), rel, "no second article");
    let text = p.read(&rel);
    assert!(text.contains(NEW) && !text.contains(OLD), "{text}");
    assert_eq!(front(&text, "source").as_deref(), Some("talks-again.txt"));
    assert_eq!(
        front(&text, "title").as_deref(),
        Some("Geneva talks end with a joint statement")
    );
    assert_eq!(front(&text, "slug"), Some(slug.clone()), "the old slug");
    assert_eq!(article_pages(&p), vec![slug.clone()]);
    assert_annotated(&p, &slug);

    // `clean` says what became of the older seed; nothing is written again
    let r = p.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "older scrape seeds/talks.txt: seeds/talks-again.txt is the same page, newer (changed later, by `modified` or `published`); {rel} is cleaned from it"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("unchanged {rel}")),
        "{}",
        r.stderr
    );

    // an older seed that turns out to be another page becomes its own
    // article; the page's file stays the newer scrape's
    p.write(
        "seeds/talks.meta.yaml",
        &sidecar(
            "https://wire.example/world/2024/03/06/geneva-preview",
            "2024-03-08T10:00:00-05:00",
        ),
    );
    p.build(&[]);
    let files = content_files(&p);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(p.read(&rel).contains(NEW));
    let other = files
        .iter()
        .map(|f| format!("content/{f}"))
        .find(|f| *f != rel)
        .unwrap();
    assert_eq!(
        front(&p.read(&other), "source").as_deref(),
        Some("talks.txt")
    );
    p.write(
        "seeds/talks.meta.yaml",
        &sidecar(URL, "2024-03-08T10:00:00-05:00"),
    );
    std::fs::remove_file(p.path(&other)).unwrap();
    p.build(&[]);
    assert_eq!(the_article(&p), rel);
    assert!(p.read(&rel).contains(NEW));

    // removing the newer seed goes back to the older one, in the same file
    std::fs::remove_file(p.path("seeds/talks-again.txt")).unwrap();
    std::fs::remove_file(p.path("seeds/talks-again.meta.yaml")).unwrap();
    p.build(&[]);
    assert_eq!(the_article(&p), rel);
    assert!(p.read(&rel).contains(OLD));
    assert_annotated(&p, &slug);
}

#[test]
fn a_hand_edited_article_is_not_replaced_by_a_newer_scrape() {
    let (p, rel, slug) = built_first();
    let edited = p.read(&rel).replace(OLD, "EDITED by the desk.");
    p.write(&rel, &edited);
    drop_newer_scrape(&p);
    let r = p.build(&[]);
    assert!(
        r.stderr.contains(&format!(
            "{rel}: warning: edited by hand after it was cleaned; not overwritten with seeds/talks-again.txt"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("run `briefing clean --force seeds/talks-again.txt` to overwrite it"),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&rel), edited, "the desk's edit stays");
    assert_eq!(the_article(&p), rel, "and no second article appears");
    assert!(
        p.page(&format!("articles/{slug}/index.html"))
            .contains("EDITED by the desk.")
    );

    // forcing the older scrape forces nothing: it never wins
    let r = p.run(&["clean", "--force", "seeds/talks.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "kept {rel}: it was edited by hand after it was cleaned; run `briefing clean --force seeds/talks-again.txt`"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("older scrape seeds/talks.txt"),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&rel), edited);

    let r = p.run(&["clean", "--force", "seeds/talks-again.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let backup = format!(".briefing/backup/{}.1", rel.trim_start_matches("content/"));
    assert!(
        r.stderr.contains(&format!(
            "overwrote {rel} (the edited version is kept at {backup})"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&backup), edited);
    assert!(p.read(&rel).contains(NEW));
    p.build(&[]);
    assert_annotated(&p, &slug);
}

#[test]
fn an_older_scrape_arriving_later_does_not_win() {
    // the newer scrape first, under a name that sorts first
    let p = TestProject::new()
        .file("seeds/a-talks.txt", &second_scrape())
        .file(
            "seeds/a-talks.meta.yaml",
            &sidecar(URL, "2024-03-09T10:00:00-05:00"),
        );
    p.build(&[]);
    let rel = the_article(&p);
    // then an older one, whose name sorts last and which is published
    // as early but changed earlier
    p.write("seeds/z-talks.txt", &first_scrape());
    p.write(
        "seeds/z-talks.meta.yaml",
        &sidecar(URL, "2024-03-08T10:00:00-05:00"),
    );
    let r = p.build(&[]);
    assert!(!r.stderr.contains("cleaned seeds/"), "{}", r.stderr);
    assert_eq!(the_article(&p), rel);
    let text = p.read(&rel);
    assert!(text.contains(NEW) && !text.contains(OLD), "{text}");
    assert_eq!(front(&text, "source").as_deref(), Some("a-talks.txt"));

    // the scraper's fetch time decides when the page's own times agree
    p.write(
        "seeds/z-talks.meta.yaml",
        &format!(
            "{}scraped: 2024-03-01T00:00:00Z\n",
            sidecar(URL, "2024-03-09T10:00:00-05:00")
        ),
    );
    p.write(
        "seeds/a-talks.meta.yaml",
        &format!(
            "{}scraped: 2024-03-10T00:00:00Z\n",
            sidecar(URL, "2024-03-09T10:00:00-05:00")
        ),
    );
    let r = p.build(&[]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert_eq!(
        front(&p.read(&rel), "source").as_deref(),
        Some("a-talks.txt")
    );
}

#[test]
fn two_scrapes_nothing_orders_are_named_in_a_warning() {
    let side = format!("url: {URL}\n");
    let p = TestProject::new()
        .file("seeds/one.txt", &first_scrape())
        .file("seeds/one.meta.yaml", &side)
        .file("seeds/two.txt", &second_scrape())
        .file("seeds/two.meta.yaml", &side);
    let r = p.build(&[]);
    assert!(
        r.stderr.contains(&format!(
            "seeds/two.txt: warning: seeds/one.txt and seeds/two.txt are scrapes of the same page ({URL}), and nothing says which is newer"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("give the newer one's sidecar `scraped:`"));
    let rel = the_article(&p);
    assert_eq!(front(&p.read(&rel), "source").as_deref(), Some("two.txt"));
    // the same bytes twice are one scrape: nothing to warn about
    p.write("seeds/two.txt", &first_scrape());
    let r = p.build(&[]);
    assert!(!r.stderr.contains("nothing says"), "{}", r.stderr);
    assert_eq!(the_article(&p), rel);
}

#[test]
fn two_articles_found_to_be_one_page_keep_the_older_and_name_the_other() {
    // cleaned as two pages (the newer scrape's sidecar had another
    // address), then found to be one
    let (p, rel, _) = built_first();
    p.write("seeds/talks-again.txt", &second_scrape());
    p.write(
        "seeds/talks-again.meta.yaml",
        &format!(
            "{}title: Geneva talks end with a joint statement\n",
            sidecar(
                "https://wire.example/elsewhere",
                "2024-03-09T10:00:00-05:00"
            )
        ),
    );
    p.build(&[]);
    let other = "content/geneva-talks-end-with-a-joint-statement.md";
    assert!(p.exists(other));
    p.write(
        "seeds/talks-again.meta.yaml",
        &format!(
            "{}title: Geneva talks end with a joint statement\n",
            sidecar(URL, "2024-03-09T10:00:00-05:00")
        ),
    );
    let r = p.build(&[]);
    assert!(
        r.stderr.contains(&format!(
            "{other}: warning: cleaned from seeds/talks-again.txt, a scrape of the same page as {rel}; no longer cleaned"
        )),
        "{}",
        r.stderr
    );
    assert!(
        p.read(&rel).contains(NEW),
        "the older article's file has the newest scrape"
    );
    assert!(p.read(other).contains(NEW), "the other is left as it was");
}

#[test]
fn a_newer_scrape_that_fails_to_clean_does_not_hand_the_article_back() {
    let (p, rel, _) = built_first();
    drop_newer_scrape(&p);
    p.build(&[]);
    assert!(p.read(&rel).contains(NEW));
    // the newer seed is damaged: the build stops at it, and the older
    // scrape neither takes its place nor becomes a second article
    p.write_bytes(
        "seeds/talks-again.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("seeds/talks-again.txt"), "{}", r.stderr);
    assert_eq!(the_article(&p), rel);
    assert!(p.read(&rel).contains(NEW));
    // repaired, all is as before
    p.write("seeds/talks-again.txt", &second_scrape());
    p.build(&[]);
    assert_eq!(the_article(&p), rel);
    assert!(p.read(&rel).contains(NEW));
}

#[test]
fn a_newer_scrape_found_to_be_another_page_hands_the_article_back() {
    let (p, rel, slug) = built_first();
    drop_newer_scrape(&p);
    p.build(&[]);
    assert!(p.read(&rel).contains(NEW));
    // its address was wrong: cleaning it alone cleans the older scrape
    // it had replaced too, which gets its article back
    p.write(
        "seeds/talks-again.meta.yaml",
        &sidecar(
            "https://wire.example/world/2024/03/09/geneva-follow-up",
            "2024-03-09T10:00:00-05:00",
        ),
    );
    let r = p.run(&["clean", "seeds/talks-again.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = content_files(&p);
    assert_eq!(files.len(), 2, "{files:?}");
    let text = p.read(&rel);
    assert!(text.contains(OLD) && !text.contains(NEW), "{text}");
    assert_eq!(front(&text, "source").as_deref(), Some("talks.txt"));
    let other = files
        .iter()
        .map(|f| format!("content/{f}"))
        .find(|f| *f != rel)
        .unwrap();
    assert_eq!(
        front(&p.read(&other), "source").as_deref(),
        Some("talks-again.txt")
    );
    p.build(&[]);
    assert_annotated(&p, &slug);
}
