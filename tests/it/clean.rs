//! Integration tests: cleaning seeds into content/ without losing work.

use crate::common;

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

/// Clean the fixture pages of `tests/fixtures/cleaning-meta/` with
/// `clean --out` and return each one's front matter.
fn cleaned_front_matter(
    names: &[&str],
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, serde_yaml::Value>> {
    let p = TestProject::new();
    for name in names {
        p.write_bytes(
            &format!("seeds/{name}"),
            &std::fs::read(
                common::repo_root()
                    .join("tests/fixtures/cleaning-meta")
                    .join(name),
            )
            .unwrap(),
        );
    }
    let out = p.path("out");
    let mut args = vec![
        "clean".to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(names.iter().map(|n| format!("seeds/{n}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = p.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    names
        .iter()
        .map(|name| {
            let stem = name.rsplit_once('.').unwrap().0;
            let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
            let fm = md
                .strip_prefix("---\n")
                .and_then(|r| r.split_once("\n---\n"))
                .expect("front matter")
                .0;
            (name.to_string(), serde_yaml::from_str(fm).unwrap())
        })
        .collect()
}

fn key(fm: &std::collections::BTreeMap<String, serde_yaml::Value>, k: &str) -> Option<String> {
    fm.get(k).map(|v| match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
    })
}

#[test]
fn saved_pages_give_their_visible_headline_printed_date_and_provenance() {
    let all = cleaned_front_matter(&["utc-next-day.html", "uk-numeric.html", "nul-in-script.html"]);
    // the visible <h1>, not the SEO og:title; the printed US date, not the
    // UTC timestamp of the next day; the canonical link made absolute
    let us = &all["utc-next-day.html"];
    assert_eq!(
        key(us, "title").as_deref(),
        Some("Ferry service to the islands resumes after the storm")
    );
    assert_eq!(key(us, "date").as_deref(), Some("2024-03-05T21:30:00"));
    assert_eq!(key(us, "outlet").as_deref(), Some("The Harbour Gazette"));
    assert_eq!(
        key(us, "url").as_deref(),
        Some("https://www.harbourgazette.example.com/news/2024/03/05/ferry-service-resumes/")
    );
    assert_eq!(
        key(us, "published").as_deref(),
        Some("2024-03-06T02:30:00+00:00")
    );
    assert_eq!(
        key(us, "modified").as_deref(),
        Some("2024-03-06T04:10:00+00:00")
    );
    // a UK page: the site name trimmed from either end of the title, the
    // 0001-01-01 placeholder ignored, 05/03/2024 read day first because
    // the page writes "7 March 2024"
    let uk = &all["uk-numeric.html"];
    assert_eq!(
        key(uk, "title").as_deref(),
        Some("Village hall saved by a late donation")
    );
    assert_eq!(key(uk, "date").as_deref(), Some("2024-03-05T00:00:00"));
    assert_eq!(key(uk, "outlet").as_deref(), Some("The Dale Courier"));
    assert_eq!(key(uk, "published"), None);
    assert_eq!(key(uk, "url"), None, "no canonical link: no url");
    // NUL bytes in an inline script do not make a page binary
    let nul = &all["nul-in-script.html"];
    assert_eq!(key(nul, "title").as_deref(), Some("Market hall reopens"));
    assert_eq!(key(nul, "outlet").as_deref(), Some("Riverside Post"));
    assert_eq!(key(nul, "date"), None, "the page shows no date");
}

#[test]
fn a_dump_gives_its_headline_dateline_and_copyright_outlet() {
    let all = cleaned_front_matter(&["nav-first.txt"]);
    let d = &all["nav-first.txt"];
    // not the navigation text of the first lines, not another story's
    // title from the list above it, not the standfirst below it
    assert_eq!(
        key(d, "title").as_deref(),
        Some("Ferry service to the islands resumes after the storm")
    );
    assert_eq!(key(d, "date").as_deref(), Some("2024-12-06T15:39:00"));
    assert_eq!(key(d, "published").as_deref(), Some("2024-12-06T15:39:00"));
    assert_eq!(key(d, "byline").as_deref(), Some("Maria Lund"));
    assert_eq!(key(d, "outlet").as_deref(), Some("The Harbour Gazette"));
    assert_eq!(key(d, "url"), None, "a dump shows no address");
}
