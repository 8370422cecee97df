//! Integration tests: cleaning seeds into content/ without losing work.

mod common;

use common::TestProject;

fn content_files(p: &TestProject) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p.path("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn build_cleans_new_seeds_once() {
    let p = TestProject::with_seeds();
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(content_files(&p).len(), 2, "{:?}", content_files(&p));
    assert!(
        r.stderr
            .contains("cleaned seeds/000_df13072c3159046a.txt → content/"),
        "{}",
        r.stderr
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains("cleaned seeds/"),
        "a second build cleans nothing new: {}",
        r.stderr
    );
}

#[test]
fn a_hand_edited_article_is_not_overwritten_and_force_keeps_a_backup() {
    let p = TestProject::with_seeds();
    assert_eq!(p.run(&["clean"]).code, 0);
    let name = content_files(&p)
        .into_iter()
        .find(|n| n.starts_with("russia-sending"))
        .unwrap();
    let rel = format!("content/{name}");
    let edited = p.read(&rel).replacen(
        "\n\nRussia could provide",
        "\n\nEDITED: Russia could provide",
        1,
    );
    p.write(&rel, &edited);

    let r = p.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("kept {rel}: it was edited by hand after it was cleaned; run `briefing clean --force seeds/000_df13072c3159046a.txt` to overwrite it (a backup is kept)")),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&rel), edited);

    // build warns but does not overwrite either
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: edited by hand after it was cleaned"),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&rel), edited);
    assert!(
        p.read("site/articles/russia-sending-hypersonic-missiles-to-venezuela/index.html")
            .contains("EDITED: Russia could provide")
    );

    let r = p.run(&["clean", "--force", "seeds/000_df13072c3159046a.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let backup = format!(".briefing/backup/{name}.1");
    assert!(
        r.stderr.contains(&format!(
            "overwrote {rel} (the edited version is kept at {backup})"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(p.read(&backup), edited);
    assert!(!p.read(&rel).contains("EDITED"));
}

#[test]
fn a_seed_clean_names_the_seed_in_front_matter_and_slugs_are_unique() {
    let p = TestProject::with_seeds();
    // the same page twice: second copy gets a -2 slug, in seed order
    let seed = std::fs::read(p.path("seeds/000_df13072c3159046a.txt")).unwrap();
    p.write_bytes("seeds/001_copy.txt", &seed);
    let r = p.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = content_files(&p);
    let first = files
        .iter()
        .find(|f| f.starts_with("russia-sending") && !f.contains("-2.md"))
        .unwrap();
    let second = first.replace(".md", "-2.md");
    assert!(files.contains(&second), "{files:?}");
    assert!(
        p.read(&format!("content/{first}"))
            .contains("source: 000_df13072c3159046a.txt")
    );
    assert!(
        p.read(&format!("content/{second}"))
            .contains("source: 001_copy.txt")
    );
    assert_eq!(p.run(&["build"]).code, 0);
}

#[test]
fn a_content_file_naming_its_seed_is_adopted_not_duplicated() {
    // A clone without .briefing/: the committed article names its seed.
    let p = TestProject::with_seeds();
    assert_eq!(p.run(&["clean"]).code, 0);
    std::fs::remove_dir_all(p.path(".briefing")).unwrap();
    let before = content_files(&p);
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(content_files(&p), before);
}

#[test]
fn clean_out_writes_elsewhere_and_leaves_content_alone() {
    let p = TestProject::with_seeds();
    let out = p.path("eval-out");
    let r = p.run(&["clean", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("000_df13072c3159046a.md").exists());
    assert!(!p.exists("content"));
}

#[test]
fn explain_lists_every_block_with_a_verdict() {
    let p = TestProject::with_seeds();
    let r = p.run(&["clean", "--explain", "seeds/000_df13072c3159046a.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("== seeds/000_df13072c3159046a.txt — “Russia Sending Hypersonic Missiles to Venezuela?”\n"), "{}", r.stdout);
    let seed = p.read("seeds/000_df13072c3159046a.txt");
    let blocks = seed.split("\n\n").filter(|b| !b.trim().is_empty()).count();
    let lines = r
        .stdout
        .lines()
        .filter(|l| l.contains("  keep  ") || l.contains("  drop  ") || l.contains("  meta  "))
        .count();
    assert_eq!(lines, blocks, "{}", r.stdout);
    assert!(!p.exists("content"), "--explain writes nothing");
}
