//! Editions end to end, with the binary: `briefing edition`, the pages
//! `changes/`, `editions/` and `editions/<name>/`, "updated since first
//! seen", the feed, `data/briefing.json`, and damaged edition files.
//!
//! The fixture `tests/fixtures/editions/` (made by
//! `scripts/make-editions-fixture.sh`) has two recorded editions: between
//! them an article was added, one re-scraped with two paragraphs
//! changed, a claim's status changed, an annotation's note edited and an
//! entity added; since the second, an article was edited by hand and an
//! annotation added. Golden pages: `tests/fixtures/editions_golden/`
//! (the `<main>` of each page; `BLESS=1` rewrites them).

use crate::common;
use crate::live_common;

use common::{TestProject, built_fixture, snapshot};

const GOLDEN: &[(&str, &str)] = &[
    ("changes/index.html", "changes.html"),
    ("editions/index.html", "editions.html"),
    ("editions/2026-12-01/index.html", "edition-2026-12-01.html"),
    ("editions/2026-12-02/index.html", "edition-2026-12-02.html"),
];

#[test]
fn pages_match_their_golden_copies() {
    let dir = built_fixture("editions");
    common::assert_mains_match_golden(&dir.path().join("site"), "editions_golden", GOLDEN);
    common::assert_vnu_accepts("editions", &dir.path().join("site"));
}

#[test]
fn the_pages_show_what_changed() {
    let dir = built_fixture("editions");
    let read = |p: &str| std::fs::read_to_string(dir.path().join("site").join(p)).unwrap();
    // every link of the new pages resolves (annotations' anchors, claims)
    let broken = common::broken_links(&dir.path().join("site"));
    assert!(broken.is_empty(), "{broken:?}");
    // between the two editions: the re-scraped article's words
    let second = read("editions/2026-12-02/index.html");
    assert!(
        second.contains("The minister said <del>ten</del> <ins>twelve</ins> people died in the flood on Monday<ins> night</ins>.")
            || second.contains("<del>ten</del> <ins>twelve</ins>"),
        "{second}"
    );
    assert!(second.contains("Scraped again."), "{second}");
    assert!(
        second.contains("<del>Friday.</del>") || second.contains("<del>"),
        "{second}"
    );
    // the new article, the claim, the note, the entity
    assert!(second.contains("Aid convoy reaches the valley"));
    assert!(
        second.contains("unverified · F3</span> → <strong class=\"now\">disputed · F3</strong>"),
        "{second}"
    );
    assert!(
        second.contains("(status: unverified → disputed)"),
        "{second}"
    );
    assert!(second.contains("(note)"), "{second}");
    assert!(second.contains("Red Crescent"));
    // since the latest: the hand edit and the new annotation
    let changes = read("changes/index.html");
    assert!(
        changes.contains("Changes since edition 2026-12-02"),
        "{changes}"
    );
    assert!(
        changes.contains("<ins>but a second round is planned.</ins>") || changes.contains("<ins>"),
        "{changes}"
    );
    assert!(changes.contains("“a second round is planned”"), "{changes}");
    // the index says how many, since which edition, and links there
    let index = read("index.html");
    assert!(
        index.contains("<a href=\"changes/index.html\">2 changes since edition 2026-12-02</a>"),
        "{index}"
    );
    // the re-scraped article: updated since first seen, linking the diff
    let flood = read("articles/flood/index.html");
    assert!(
        flood.contains("<strong>Updated since first seen</strong> in edition 2026-12-01: <a href=\"../../editions/2026-12-02/index.html#a-flood\">what changed</a>"),
        "{flood}"
    );
    // changed only since the latest edition: the changes page
    let talks = read("articles/talks/index.html");
    assert!(
        talks.contains("href=\"../../changes/index.html#a-talks\""),
        "{talks}"
    );
    // never changed, and added later: nothing
    assert!(!read("articles/aid/index.html").contains("updated-since"));
    // the feed: an entry per edition
    let feed = read("feed.xml");
    assert!(feed.contains("<title>Edition 2026-12-01</title>"), "{feed}");
    assert!(feed.contains("<title>Edition 2026-12-02</title>"), "{feed}");
    assert!(
        feed.contains("<summary>8 change(s) since the edition before</summary>"),
        "{feed}"
    );
    // the data file lists them
    let data: serde_json::Value = serde_json::from_str(&read("data/briefing.json")).unwrap();
    let eds = data["editions"].as_array().unwrap();
    assert_eq!(eds.len(), 2);
    assert_eq!(eds[0]["name"], "2026-12-01");
    assert_eq!(eds[0]["changes"], serde_json::Value::Null);
    assert_eq!(eds[1]["changes"], 8);
    assert_eq!(eds[1]["page"], "https://example.org/editions/2026-12-02/");
    let schema: serde_json::Value =
        serde_json::from_str(&read("data/briefing.schema.json")).unwrap();
    let v = jsonschema::options()
        .build(&schema)
        .expect("a valid schema");
    let errors: Vec<String> = v.iter_errors(&data).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_briefing_without_editions_has_no_changes_pages() {
    let p = TestProject::new().article(
        "a",
        "---\ntitle: A\nslug: a\ndate: 2026-12-01\n---\n\nText.\n",
    );
    p.build(&[]);
    assert!(!p.exists("site/changes/index.html"));
    assert!(!p.exists("site/editions/index.html"));
    assert!(!p.page("index.html").contains("changes-link"));
    assert!(!p.page("feed.xml").contains("Edition"));
}

const ARTICLE: &str =
    "---\ntitle: A\nslug: a\ndate: 2026-12-01\nurl: https://news.example/a\n---\n\nFirst text.\n";

#[test]
fn recording_writes_one_new_file_and_nothing_else() {
    let p = TestProject::new().article("a", ARTICLE).annotations(
        "a",
        "---\narticle: a\n---\n\n## \"First\" {#n1}\n\nA note.\n",
    );
    let before = (
        snapshot(&p.path("content")),
        snapshot(&p.path("annotations")),
    );
    let run = p.run(&["edition", "one"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("recorded editions/one.json.gz (1 articles, 1 annotations"),
        "{}",
        run.stderr
    );
    let after = (
        snapshot(&p.path("content")),
        snapshot(&p.path("annotations")),
    );
    assert!(
        before == after,
        "recording changed content/ or annotations/"
    );
    // the same state under another name: the same bytes
    assert_eq!(p.run(&["edition", "two"]).code, 0);
    let one = std::fs::read(p.path("editions/one.json.gz")).unwrap();
    assert_eq!(one, std::fs::read(p.path("editions/two.json.gz")).unwrap());
    // never over an existing edition
    p.write(
        "content/a.md",
        &ARTICLE.replace("First text.", "First text, edited."),
    );
    let again = p.run(&["edition", "one"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("editions/one.json.gz: error: an edition named `one` exists already"),
        "{}",
        again.stderr
    );
    assert_eq!(one, std::fs::read(p.path("editions/one.json.gz")).unwrap());
    // a name that cannot be a file name is a usage error
    let bad = p.run(&["edition", "../x"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(!p.exists("x.json.gz") && !p.exists("editions/../x.json.gz"));
    // the default name is today's date
    let today = p.run(&["edition"]);
    assert_eq!(today.code, 0, "{}", today.stderr);
    let names: Vec<String> = std::fs::read_dir(p.path("editions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.len() == "2026-12-07.json.gz".len() && n.starts_with("20")),
        "{names:?}"
    );
}

#[test]
fn a_damaged_edition_fails_the_build_naming_the_file_and_is_left_as_it_was() {
    let p = TestProject::new().article("a", ARTICLE);
    assert_eq!(p.run(&["edition", "good"]).code, 0);
    let good = std::fs::read(p.path("editions/good.json.gz")).unwrap();
    let gz = |json: &str| {
        use std::io::Write;
        let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        g.write_all(json.as_bytes()).unwrap();
        g.finish().unwrap()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "is damaged: it ends too early (truncated)",
        ),
        (
            "garbage",
            b"not an edition".to_vec(),
            "this is not an edition file (it is not gzip data)",
        ),
        (
            "foreign",
            gz(r#"{"format":"something-else","version":1}"#),
            "its format is `something-else`",
        ),
        (
            "newer",
            gz(r#"{"format":"briefing-edition","version":99,"edition":{}}"#),
            "recorded by a newer version of briefing (edition format 99",
        ),
        ("empty", Vec::new(), "not an edition file"),
    ];
    for (name, bytes, says) in cases {
        let rel = format!("editions/{name}.json.gz");
        p.write_bytes(&rel, &bytes);
        let run = p.run(&["build"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{rel}: error: ")) && run.stderr.contains(says),
            "{name}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("help:"), "{name}: {}", run.stderr);
        assert_eq!(
            std::fs::read(p.path(&rel)).unwrap(),
            bytes,
            "{name} was changed"
        );
        std::fs::remove_file(p.path(&rel)).unwrap();
    }
    // other files in editions/ are not editions
    p.write("editions/README.md", "Our editions.\n");
    p.build(&[]);
}

#[test]
fn a_public_build_shows_nothing_held_back_in_its_changes() {
    let p = TestProject::new()
        .article(
            "a",
            &format!("{ARTICLE}\nA paragraph that is marked internal later, with its own sentence.\n"),
        )
        .annotations(
            "a",
            "---\narticle: a\n---\n\n## \"First\" {#was-public}\n\nA public note.\n",
        )
        .article(
            "b",
            "---\ntitle: Becoming a draft\nslug: b\ndate: 2026-12-01\n---\n\nWords of the draft-to-be.\n",
        );
    assert_eq!(p.run(&["edition", "e1"]).code, 0);
    // b is now a draft; a gets an internal annotation and a draft article c
    p.write(
        "content/b.md",
        "---\ntitle: Becoming a draft\nslug: b\ndate: 2026-12-01\ndraft: true\n---\n\nWords of the draft-to-be, changed.\n",
    );
    p.write(
        "content/c.md",
        "---\ntitle: Secret new draft\nslug: c\ndate: 2026-12-02\ndraft: true\n---\n\nHidden words.\n",
    );
    p.write(
        "annotations/a.md",
        "---\narticle: a\n---\n\n## \"First\" {#secret-note .internal}\n\nInternal musing.\n\n## \"First text\" {#was-public .internal}\n\nA public note.\n",
    );
    p.write(
        "content/a.md",
        &format!("{ARTICLE}\n```internal\nA paragraph that is marked internal later, with its own sentence.\n```\n"),
    );
    p.build(&[]);
    let changes = p.page("changes/index.html");
    for held in [
        "Becoming a draft",
        "Secret new draft",
        "secret-note",
        "draft-to-be",
    ] {
        assert!(
            !changes.contains(held),
            "{held} in public changes/: {changes}"
        );
    }
    assert!(changes.contains("Nothing has changed since"), "{changes}");
    // an internal build shows them
    p.build(&["--profile", "internal"]);
    let changes = p.page("changes/index.html");
    assert!(changes.contains("Secret new draft"), "{changes}");
    assert!(changes.contains("secret-note"), "{changes}");
}

#[test]
fn a_renamed_slug_is_one_changed_article() {
    let p = TestProject::new().article("a", ARTICLE);
    assert_eq!(p.run(&["edition", "e1"]).code, 0);
    std::fs::remove_file(p.path("content/a.md")).unwrap();
    p.write(
        "content/renamed.md",
        &ARTICLE.replace("slug: a", "slug: renamed"),
    );
    p.build(&[]);
    let changes = p.page("changes/index.html");
    assert!(
        changes.contains("Its page was <code>articles/a/</code>"),
        "{changes}"
    );
    assert!(!changes.contains("New articles"), "{changes}");
    assert!(!changes.contains("Removed articles"), "{changes}");
}

/// The live preview renders `changes/` again as the analyst edits an
/// article and an annotation.
#[test]
fn the_live_preview_updates_the_changes_page() {
    use live_common::{Running, fixture, get, poll};
    let dir = fixture();
    let rec = common::run_in(dir.path(), &["edition", "e1"]);
    assert_eq!(rec.code, 0, "{}", rec.stderr);
    let r = Running::serve(dir.path());
    let url = r.url().to_string();
    let page = get(&url, "/changes/index.html");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Nothing has changed since"),
        "{}",
        page.body
    );
    std::fs::write(
        dir.path().join("content/alpha.md"),
        live_common::ARTICLE_A.replace(
            "A second paragraph of alpha.",
            "A second paragraph, rewritten.",
        ),
    )
    .unwrap();
    let body = poll(|| {
        let b = get(&url, "/changes/index.html").body;
        b.contains("rewritten.</ins>").then_some(b)
    })
    .unwrap_or_else(|| panic!("changes/ never showed the edit"));
    assert!(body.contains("of alpha.</del>"), "{body}");
    std::fs::write(
        dir.path().join("annotations/alpha.md"),
        "---\narticle: alpha\n---\n\n## \"Oreshnik missiles\" {#missiles}\n\nA new note.\n",
    )
    .unwrap();
    poll(|| {
        get(&url, "/changes/index.html")
            .body
            .contains("“Oreshnik missiles”")
            .then_some(())
    })
    .unwrap_or_else(|| panic!("changes/ never showed the new annotation"));
    // (the index is written beside it, maybe a moment later)
    poll(|| {
        get(&url, "/index.html")
            .body
            .contains("2 changes since edition e1")
            .then_some(())
    })
    .unwrap_or_else(|| panic!("the index never counted 2 changes"));
}

/// An edition recorded while the live preview runs shows at once: the
/// preview watches `editions/` and builds the changes pages against it.
#[test]
fn the_live_preview_sees_an_edition_recorded_while_it_runs() {
    use live_common::{Running, fixture, get, poll};
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url().to_string();
    assert_eq!(get(&url, "/changes/index.html").status, 404);
    let rec = common::run_in(dir.path(), &["edition", "e1"]);
    assert_eq!(rec.code, 0, "{}", rec.stderr);
    poll(|| {
        let page = get(&url, "/changes/index.html");
        (page.status == 200 && page.body.contains("Nothing has changed since")).then_some(())
    })
    .unwrap_or_else(|| panic!("changes/ never appeared after recording an edition"));
    poll(|| {
        get(&url, "/index.html")
            .body
            .contains("No changes since edition e1")
            .then_some(())
    })
    .unwrap_or_else(|| panic!("the index never named edition e1"));
}

/// Recording an edition is a change to the inputs: the next build is not
/// skipped as up to date.
#[test]
fn a_build_after_recording_makes_the_changes_pages() {
    let p = TestProject::new().article("a", ARTICLE);
    p.build(&[]);
    assert!(!p.exists("site/changes/index.html"));
    assert_eq!(p.run(&["edition", "e1"]).code, 0);
    p.build(&[]);
    assert!(
        p.page("changes/index.html")
            .contains("Nothing has changed since")
    );
    assert!(p.page("index.html").contains("No changes since edition e1"));
}

/// The computed marks of the first `<del>` and `<ins>` of a diff, and
/// their contrast with what is behind them (WCAG's ratio).
const MARKS_JS: &str = r#"
const lum = c => {
  const [r, g, b] = c.match(/[\d.]+/g).map(Number).slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const behind = e => {
  for (; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/^rgba\(.*, 0\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
};
return ['.word-diff del', '.word-diff ins'].map(sel => {
  const e = document.querySelector(sel);
  if (!e) return {sel, missing: true};
  const s = getComputedStyle(e);
  const [a, b] = [lum(s.color), lum(behind(e))];
  return {sel, line: s.textDecorationLine, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
});
"#;

/// Deletions are struck through and insertions underlined — marks, not
/// colours alone — with readable contrast, on screen in light and dark
/// and in print.
#[tokio::test]
async fn word_diffs_read_on_screen_in_dark_mode_and_in_print() {
    let dir = built_fixture("editions");
    let page = dir.path().join("site/editions/2026-12-02/index.html");
    let Some((_session, client)) =
        crate::browser_support::open("word_diffs_read_on_screen_in_dark_mode_and_in_print").await
    else {
        return;
    };
    let mut seen = Vec::new();
    for (media, scheme) in [("", "light"), ("", "dark"), ("print", "light")] {
        crate::browser_support::emulate(&client, media, scheme)
            .await
            .unwrap();
        client
            .goto(&format!("file://{}", page.display()))
            .await
            .unwrap();
        let v = client.execute(MARKS_JS, vec![]).await.unwrap();
        seen.push((media, scheme, v));
    }
    // close before asserting, so a failure does not leave a browser behind
    let _ = client.close().await;
    for (media, scheme, v) in &seen {
        let marks = v.as_array().unwrap();
        assert_eq!(marks.len(), 2, "{v}");
        for (m, line) in marks.iter().zip(["line-through", "underline"]) {
            assert!(
                m["line"].as_str().unwrap_or("").contains(line),
                "{media} {scheme}: {m}"
            );
            assert!(
                m["ratio"].as_f64().unwrap_or(0.0) >= 4.5,
                "{media} {scheme}: contrast {m}"
            );
        }
    }
}
