//! Integration tests: bad input gets a diagnostic (file, line, column, the
//! offending line, what to do) and exit code 1 — never a panic.

mod common;

use common::TestProject;

fn build_err(p: &TestProject) -> String {
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "expected failure, got: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

#[test]
fn malformed_front_matter_yaml() {
    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: A\nfigures: [unclosed\n---\nBody\n",
    );
    let e = build_err(&p);
    assert!(
        e.starts_with("content/a.md:3:11: error: front matter is not valid: figures[0]: invalid type: string \"unclosed\", expected struct Figure\n"),
        "{e}"
    );
    assert!(
        e.contains("3 | figures: [unclosed\n  |           ^\n"),
        "{e}"
    );
}

#[test]
fn unclosed_front_matter() {
    let p = TestProject::new().file("content/a.md", "---\ntitle: A\n\nBody\n");
    let e = build_err(&p);
    assert_eq!(
        e.lines().take(5).collect::<Vec<_>>(),
        [
            "content/a.md:1:1: error: front matter is not closed",
            "  |",
            "1 | ---",
            "  | ^^^",
            "  = help: end the front matter with a line holding only `---`",
        ]
    );
}

#[test]
fn missing_title() {
    let p = TestProject::new().file("content/a.md", "---\nbyline: Someone\n---\nBody\n");
    let e = build_err(&p);
    assert_eq!(
        e.lines().take(5).collect::<Vec<_>>(),
        [
            "content/a.md:1:1: error: article has no title",
            "  |",
            "1 | ---",
            "  | ^^^ front matter starts here",
            "  = help: add a line `title: \"The headline\"` to the front matter",
        ]
    );
}

#[test]
fn wrong_type_in_front_matter_points_at_the_value() {
    let p = TestProject::new().file("content/a.md", "---\ntitle: A\ntags: 7\n---\nBody\n");
    let e = build_err(&p);
    assert!(e.starts_with("content/a.md:3:7: error: front matter is not valid: tags: invalid type: integer `7`, expected a sequence\n"), "{e}");
    assert!(e.contains("3 | tags: 7\n"), "{e}");
}

#[test]
fn unreadable_date() {
    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: A\ndate: last Tuesday\n---\nBody\n",
    );
    let e = build_err(&p);
    assert!(
        e.starts_with("content/a.md:3:7: error: cannot read the date \"last Tuesday\"\n"),
        "{e}"
    );
    assert!(
        e.contains("help: write dates as 2024-12-06T15:39:00 or 2024-12-06, or remove the line"),
        "{e}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let p = TestProject::new()
        .file("content/a.md", "---\nbyline: x\n---\nBody\n")
        .file("content/b.md", "---\ntitle: B\ndate: soon\n---\nBody\n");
    let e = build_err(&p);
    assert!(
        e.contains("content/a.md:1:1: error: article has no title"),
        "{e}"
    );
    assert!(
        e.contains("content/b.md:3:7: error: cannot read the date \"soon\""),
        "{e}"
    );
    assert!(e.contains("2 error(s); nothing was written"), "{e}");
}

#[test]
fn empty_seed() {
    let p = TestProject::new().file("seeds/empty.txt", "");
    let e = build_err(&p);
    assert!(
        e.starts_with("seeds/empty.txt: error: the seed is empty\n"),
        "{e}"
    );
    assert!(
        e.contains("help: save the page again, or delete the empty file from seeds/"),
        "{e}"
    );
}

#[test]
fn binary_seed() {
    let p = TestProject::new();
    p.write_bytes("seeds/photo.txt", b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c");
    let e = build_err(&p);
    assert!(
        e.starts_with("seeds/photo.txt:1:8: error: the seed looks like a binary file"),
        "{e}"
    );
    assert!(
        e.contains("1 | GIF89a\u{fffd}"),
        "control characters are not echoed: {e}"
    );
    assert!(
        e.contains("help: seeds/ takes *.txt page dumps and *.html saved pages"),
        "{e}"
    );
}

#[test]
fn bad_config_key() {
    let p = TestProject::new().file("briefing.toml", "title = \"x\"\nbase_ulr = \"https://x\"\n");
    let e = build_err(&p);
    assert!(
        e.starts_with(
            "briefing.toml:2:1: error: briefing.toml is not valid: unknown field `base_ulr`"
        ),
        "{e}"
    );
}

#[test]
fn duplicate_slugs() {
    let p = TestProject::new()
        .file("content/a.md", "---\ntitle: Same\n---\nA\n")
        .file("content/b.md", "---\ntitle: Same\n---\nB\n");
    let e = build_err(&p);
    assert!(
        e.contains("content/b.md:1:1: error: slug `same` is also used by content/a.md"),
        "{e}"
    );
}

#[test]
fn not_utf8_content() {
    let p = TestProject::new();
    p.write_bytes("content/a.md", b"---\ntitle: caf\xe9\n---\nx\n");
    let e = build_err(&p);
    assert!(
        e.starts_with("content/a.md:2:11: error: the file is not valid UTF-8"),
        "{e}"
    );
}
