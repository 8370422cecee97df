//! Integration tests: bad input gets a diagnostic (file, line, column, the
//! offending line, what to do) and exit code 1 — never a panic. The root
//! cause comes first and nothing cascades from it: each test below
//! checks the exact first diagnostic and how many errors follow.

use crate::common;

use common::TestProject;

fn build_err(p: &TestProject) -> String {
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "expected failure, got: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

/// The headlines (`file:line:col: error: …`) of a run's output.
fn errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(": error: "))
        .collect()
}

/// The count in the closing `N error(s); nothing was written` line.
fn error_count(stderr: &str) -> usize {
    let last = stderr
        .lines()
        .find(|l| l.ends_with(" error(s); nothing was written"))
        .unwrap_or_else(|| panic!("no error count in: {stderr}"));
    last.split(' ').next().unwrap().parse().unwrap()
}

/// Every printed line is at most this long (a screen), whatever the input.
const SCREEN: usize = 300;

fn assert_short_lines(stderr: &str) {
    for l in stderr.lines() {
        assert!(
            l.chars().count() <= SCREEN,
            "a {}-character line: {}…",
            l.chars().count(),
            l.chars().take(120).collect::<String>()
        );
    }
}

/// An article naming three entities, and an annotation linking to them
/// (and to the article, and to one of its passages).
fn briefing_with_entities(entities: &str) -> TestProject {
    TestProject::new()
        .file(
            "content/a.md",
            "---\ntitle: A\n---\nVladimir Putin met Alexander Lukashenko in Minsk.\n",
        )
        .file(
            "annotations/a.md",
            "---\narticle: a\n---\n## \"met Alexander Lukashenko\" {#met}\n\n[[Vladimir Putin]] and [[Alexander Lukashenko|Lukashenko]] in [[Minsk]]; see [[a]] and [[a#met]].\n",
        )
        .file("entities.yaml", entities)
}

const ENTITIES: &str = "- name: Vladimir Putin\n  kind: person\n- name: Alexander Lukashenko\n  kind: person\n- name: Minsk\n  kind: place\n";

#[test]
fn malformed_front_matter_yaml() {
    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: A\nfigures: [unclosed\n---\nBody\n",
    );
    let e = build_err(&p);
    assert!(
        e.starts_with("content/a.md:3:11: error: each entry of `figures` must be a mapping (`key: value` lines) (found the text \"unclosed\")\n"),
        "{e}"
    );
    assert!(
        e.contains("3 | figures: [unclosed\n  |           ^^^^^^^^\n"),
        "{e}"
    );
    assert!(
        e.contains(
            "= help: write each figure as `- caption: …` with an optional `credit: …` line\n"
        ),
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
    assert!(
        e.starts_with("content/a.md:3:7: error: `tags` must be a list (found the number 7)\n"),
        "{e}"
    );
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
fn unknown_config_key_is_a_warning_naming_the_closest() {
    let p = TestProject::new().file("briefing.toml", "title = \"x\"\nbase_ulr = \"https://x\"\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.lines().take(5).collect::<Vec<_>>(),
        [
            "briefing.toml:2:1: warning: unknown key `base_ulr` in briefing.toml: did you mean `base_url`?",
            "  |",
            "2 | base_ulr = \"https://x\"",
            "  | ^^^^^^^^",
            "  = help: the keys are title, base_url, language, description, entity_links, author; this one is ignored",
        ]
    );
}

#[test]
fn unknown_front_matter_keys_are_warnings_naming_the_closest() {
    let p = TestProject::new()
        .file("content/a.md", "---\ntitle: A\ndrafts: true\n---\nBody.\n")
        .file("content/_briefing.md", "---\ntitel: Summary\n---\nText.\n")
        .file("annotations/a.md", "---\narticle: a\ndarft: true\n---\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(
        warnings,
        // root causes first: articles before the annotations on them
        [
            "content/_briefing.md:2:1: warning: unknown key `titel` in the front matter: did you mean `title`?",
            "content/a.md:3:1: warning: unknown key `drafts` in the front matter: did you mean `draft`?",
            "annotations/a.md:3:1: warning: unknown key `darft` in the front matter: did you mean `draft`?",
        ]
    );
    // an unknown key is ignored: the article is published
    assert!(p.exists("site/articles/a/index.html"));
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

// ── the root cause first, no cascade ─────────────────────────────────────

#[test]
fn a_type_error_in_entities_yaml_is_one_error_in_plain_words() {
    let p = briefing_with_entities(&ENTITIES.replacen("kind: person", "kind: [person]", 1));
    let e = build_err(&p);
    assert_eq!(
        e.lines().take(6).collect::<Vec<_>>(),
        [
            "entities.yaml:2:9: error: `kind` must be one of person, place, organisation, weapon, event, other (found a list)",
            "  |",
            "2 |   kind: [person]",
            "  |         ^^^^^^^^",
            "  = help: write one of: person, place, organisation, weapon, event, other",
            "  = note: until it loads, 3 wikilink(s) in annotations/a.md cannot be checked",
        ]
    );
    assert_eq!(errors(&e).len(), 1, "{e}");
    assert_eq!(error_count(&e), 1);
    assert!(!e.contains("unresolved wikilink"), "{e}");
    // fixed, it builds: nothing else was wrong
    p.write("entities.yaml", ENTITIES);
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_yaml_syntax_error_in_entities_yaml_is_one_error() {
    let p = briefing_with_entities(
        "- name: Vladimir Putin\n  kind: person\n - name: Minsk\n  kind: place\n",
    );
    let e = build_err(&p);
    let first = errors(&e)[0];
    assert!(
        first.starts_with("entities.yaml:3:2: error: the entity registry is not valid YAML: "),
        "{e}"
    );
    assert_eq!(error_count(&e), 1, "{e}");
    assert!(
        e.contains("= note: until it loads, 3 wikilink(s) in annotations/a.md cannot be checked\n"),
        "{e}"
    );
    assert!(!e.contains("unresolved wikilink"), "{e}");
}

#[test]
fn a_broken_registry_still_reports_links_that_do_not_depend_on_it() {
    let p = briefing_with_entities(&ENTITIES.replace("kind: place", "kind: plaice")).file(
        "annotations/b.md",
        "---\narticle: a\n---\nSee [[a#nope]].\n",
    );
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        [
            "entities.yaml:6:9: error: `kind` must be one of person, place, organisation, weapon, event, other (found `plaice`)",
            "annotations/b.md:4:5: error: unresolved wikilink `[[a#nope]]`",
        ],
        "{e}"
    );
    assert!(e.contains("= help: did you mean `place`?\n"), "{e}");
}

#[test]
fn a_broken_article_is_one_error_not_its_annotations_and_links_too() {
    let p = briefing_with_entities(ENTITIES)
        .file("content/b.md", "---\ntitle: B\ndate: soon\n---\nB.\n")
        .file(
            "annotations/b.md",
            "---\narticle: b\n---\n## \"B\" {#x}\n\nSee [[a]].\n",
        )
        .file(
            "annotations/c.md",
            "---\narticle: a\n---\nSee [[b]], [[b#x]] and [[a#nope]].\n",
        );
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        [
            "content/b.md:3:7: error: cannot read the date \"soon\"",
            "annotations/c.md:4:24: error: unresolved wikilink `[[a#nope]]`",
        ],
        "{e}"
    );
    assert!(
        e.contains("  = note: until it loads, 2 wikilink(s) in annotations/c.md and the annotations in annotations/b.md cannot be checked\n"),
        "{e}"
    );
}

#[test]
fn an_unknown_key_in_entities_yaml() {
    let p = briefing_with_entities(&ENTITIES.replacen(
        "  kind: person\n",
        "  kind: person\n  alias: [Putin]\n",
        1,
    ));
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["entities.yaml:3:3: error: unknown key `alias` in this entry"],
        "{e}"
    );
    assert!(
        e.contains(
            "= help: did you mean `aliases`? the keys are name, kind, aliases, description\n"
        ),
        "{e}"
    );
}

#[test]
fn a_missing_kind_and_an_over_indented_line() {
    let p = briefing_with_entities(&ENTITIES.replacen("  kind: person\n", "", 1));
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["entities.yaml:1:3: error: this entry has no `kind`"],
        "{e}"
    );
    assert!(e.contains("= help: add a line `kind: …`\n"), "{e}");

    let p = briefing_with_entities("- name: Minsk\n  kind: place\n   aliases: [Mensk]\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        [
            "entities.yaml:2:9: error: `kind` must be one of person, place, organisation, weapon, event, other (found `place aliases`)"
        ],
        "{e}"
    );
    assert!(
        e.contains(
            "= help: `place` is followed by more text: is the next line indented too far?\n"
        ),
        "{e}"
    );
}

#[test]
fn type_errors_in_front_matter_and_settings_are_plain() {
    let p = TestProject::new().file("content/a.md", "---\ntitle: [A]\n---\nBody\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["content/a.md:2:8: error: `title` must be text (found a list)"]
    );
    assert!(
        e.contains("= help: to write text that starts with `[` or `{` or holds `: `, put it in quotes: `title: \"…\"`"),
        "{e}"
    );

    let p = TestProject::new()
        .file("content/a.md", "---\ntitle: A\n---\nBody\n")
        .file("annotations/a.md", "---\narticle: [a]\n---\nNote.\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["annotations/a.md:2:10: error: `article` must be text (found a list)"]
    );

    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: A\nfigures:\n- credit: x\n---\nBody\n",
    );
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["content/a.md:4:3: error: an entry of `figures` has no `caption`"]
    );

    let p = TestProject::new().file("content/a.md", "---\ntitle: A\ntitle: B\n---\nBody\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["content/a.md:3:1: error: `title` is given twice"]
    );

    let p = TestProject::new().file("briefing.toml", "entity_links = [\"all\"]\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        [
            "briefing.toml:1:16: error: `entity_links` must be one of all, first, paragraph (found a list)"
        ]
    );
}

/// The built-in base template with a syntax error on its first line.
fn broken_base() -> String {
    let base = std::fs::read_to_string(common::repo_root().join("templates/base.html")).unwrap();
    format!("{{% if %}}\n{base}")
}

#[test]
fn a_template_syntax_error_is_one_error_at_its_position() {
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file("templates/base.html", &broken_base());
    let e = build_err(&p);
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "templates/base.html:1:7: error: template syntax error: Found `%}` but expected one of: integer, float, string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`",
            "  |",
            "1 | {% if %}",
            "  |       ^^",
            "  = help: fix the template, or delete it from templates/ to use the built-in one",
        ],
        "{e}"
    );
    assert!(
        lines[5].starts_with("  = note: ")
            && lines[5].contains(
                " template(s) extending it (404.html, annotation_tag.html, annotations.html and "
            )
            && lines[5].ends_with(" more) are not checked until it is fixed"),
        "{e}"
    );
    assert_eq!(error_count(&e), 1, "{e}");
    assert!(!e.contains("doesn't exist"), "{e}");
}

#[test]
fn a_template_error_while_rendering_is_reported_once() {
    let base = std::fs::read_to_string(common::repo_root().join("templates/base.html")).unwrap();
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file("content/b.md", "---\ntitle: B\n---\nB.\n")
        .file("templates/base.html", &format!("{{{{ nope.x }}}}\n{base}"));
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["templates/base.html:1:4: error: template error: Variable `nope` is not defined"],
        "{e}"
    );
    assert!(e.contains("  = note: the same problem was found "), "{e}");
    assert_eq!(error_count(&e), 1);
    assert_short_lines(&e);
}

#[test]
fn content_or_annotations_being_a_file_says_so() {
    for (dir, holds) in [
        ("content", "the articles"),
        ("annotations", "the annotations"),
        ("seeds", "the saved pages"),
        ("templates", "the theme's templates"),
    ] {
        let p = TestProject::new().file(dir, "not a directory\n");
        if dir != "content" {
            p.write("content/a.md", common::ARTICLE);
        }
        let e = build_err(&p);
        assert_eq!(
            e.lines().collect::<Vec<_>>(),
            [
                format!("{dir}: error: {dir} is a file, but it must be a directory ({holds})").as_str(),
                format!("  = help: move or rename the file `{dir}`, then run briefing again (it makes the directory)").as_str(),
                "1 error(s); nothing was written",
            ],
        );
    }
    // and the output directory
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file("site", "not a directory\n");
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["site: error: site is a file, but it must be a directory (the built site)"]
    );
    assert_eq!(error_count(&e), 1);
}

#[test]
fn an_attribute_block_with_odd_characters_is_reported_at_its_column() {
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file(
            "annotations/a.md",
            "---\narticle: a-test-article\n---\n\n## \"the summary\" {#id .tag ké=v \"x\"}\n\nNote.\n",
        )
        .file(
            "annotations/b.md",
            "---\narticle: a-test-article\n---\nSee [[a-test-article#id]].\n",
        );
    let e = build_err(&p);
    assert_eq!(
        e.lines().take(5).collect::<Vec<_>>(),
        [
            "annotations/a.md:5:29: error: unexpected `é` in the attribute block",
            "  |",
            "5 | ## \"the summary\" {#id .tag ké=v \"x\"}",
            "  |                             ^",
            "  = help: an attribute block holds `#id`, `.tag` and `key=value` separated by spaces, written with letters, digits, `-` and `_` (the keys: date, status, claim, cred, occurrence, origin)",
        ]
    );
    assert_eq!(error_count(&e), 1, "{e}");
    assert!(!e.contains("not found"), "{e}");

    // characters pulldown-cmark does not take in a block at all
    for (heading, col, what) in [
        (
            "## \"the summary\" {#id .a<b>}",
            25,
            "unexpected `<` in the attribute block",
        ),
        (
            "## \"the summary\" {#id .tag",
            18,
            "the attribute block is not closed",
        ),
        (
            "## \"the summary\" {#id \\x}",
            23,
            "unexpected `\\` in the attribute block",
        ),
    ] {
        p.write(
            "annotations/a.md",
            &format!("---\narticle: a-test-article\n---\n\n{heading}\n\nNote.\n"),
        );
        let e = build_err(&p);
        assert_eq!(
            errors(&e),
            [format!("annotations/a.md:5:{col}: error: {what}").as_str()],
            "{heading}: {e}"
        );
    }
}

#[test]
fn a_one_letter_quote_gets_a_short_help_line() {
    let body = "a ".repeat(3000);
    let p = TestProject::new()
        .file("content/a.md", &format!("---\ntitle: A\n---\n{body}\n"))
        .file(
            "annotations/a.md",
            "---\narticle: a\n---\n## \"a\"\n\nNote.\n",
        );
    let e = build_err(&p);
    assert_eq!(
        e.lines().take(5).collect::<Vec<_>>(),
        [
            "annotations/a.md:4:4: error: quoted passage occurs 3000 times in content/a.md",
            "  |",
            "4 | ## \"a\"",
            "  |    ^^^",
            "  = help: it occurs at content/a.md:4:1, 4:3, 4:5 and 2997 more; quote more words, or add `occurrence=N` to pick one",
        ]
    );
    assert_eq!(error_count(&e), 1);
    assert_short_lines(&e);
}

/// Bad inputs whose diagnostics could quote or list without end: every
/// printed line stays within a screen.
#[test]
fn no_printed_line_is_longer_than_a_screen() {
    let long_word = "x".repeat(5000);
    // seven screens wide: the approximate search for it is quadratic in
    // its length, and a debug build pays for every column
    let long_line = format!("{} {{#id}}", "quoted ".repeat(300));
    let mut p = TestProject::new()
        .file("content/a.md", &format!("---\ntitle: A\n---\n{}\n", "word ".repeat(5000)))
        // a quote found nowhere, with a long closest passage
        .file("annotations/a.md", &format!("---\narticle: a\n---\n## \"{long_line}\"\n\nSee [[{long_word}]] and [[a#{long_word}]].\n"))
        // an article slug found nowhere, among many
        .file("annotations/b.md", &format!("---\narticle: {}\n---\nNote.\n", "q".repeat(300)))
        .file("entities.yaml", &format!("- name: {long_word}\n  kind: {long_word}\n"))
        .file("content/c.md", &format!("---\ntitle: C\ndate: {long_word}\n---\nC\n"));
    for i in 0..200 {
        p = p.file(
            &format!("content/n{i}.md"),
            &format!("---\ntitle: Article number {i}\n---\nText.\n"),
        );
    }
    let e = build_err(&p);
    assert_short_lines(&e);
    let e = p.run(&["check"]).stderr;
    assert_short_lines(&e);
}

// ── file-system problems ─────────────────────────────────────────────────

/// A tiny tmpfs for the output, when this process may mount one (root on
/// Linux); `None` (and the test says it is skipped) otherwise.
struct TinyDisk(tempfile::TempDir);

impl TinyDisk {
    fn mount(kib: usize) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root on Linux)");
            return None;
        }
        Some(TinyDisk(dir))
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_diagnostic_naming_the_path() {
    let Some(disk) = TinyDisk::mount(48) else {
        return;
    };
    let mut p = TestProject::new();
    for i in 0..40 {
        p = p.file(
            &format!("content/a{i}.md"),
            &format!(
                "---\ntitle: Article {i}\n---\n{}\n",
                "Some words. ".repeat(200)
            ),
        );
    }
    let out = disk.0.path().join("site");
    let r = p.run(&["build", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = r.stderr;
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 3, "{e}");
    // the file the disk filled on (which one depends on timing), in the
    // new site being written
    let site = out.display().to_string();
    let file = lines[0]
        .strip_suffix(": error: cannot write the new site: the disk is full")
        .unwrap_or_else(|| panic!("{e}"));
    assert!(file.starts_with(&format!("{site}/")), "{e}");
    assert_eq!(
        lines[1],
        format!(
            "  = help: free some space on the disk holding `{file}`, then run briefing again; the previous {site} is as it was"
        ),
    );
    assert_eq!(lines[2], "1 error(s); nothing was written");
}

#[cfg(unix)]
#[test]
fn an_unreadable_input_names_the_file_and_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file(
            "annotations/a.md",
            "---\narticle: a-test-article\n---\nNote.\n",
        );
    let f = p.path("annotations/a.md");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&f).is_ok() {
        eprintln!("skipped: this user reads files whatever their permissions (root)");
        return;
    }
    let e = build_err(&p);
    assert_eq!(
        e.lines().collect::<Vec<_>>(),
        [
            "annotations/a.md: error: cannot read annotations/a.md: permission denied",
            "  = help: check the permissions of `annotations/a.md` and its directory: the user running briefing must be allowed to read it",
            "1 error(s); nothing was written",
        ]
    );
}

// ── symbolic links ───────────────────────────────────────────────────────

#[cfg(unix)]
#[test]
fn symlinked_inputs_inside_the_project_are_followed() {
    use std::os::unix::fs::symlink;
    let p = briefing_with_entities(ENTITIES);
    // entities.yaml, an annotation file and a directory of content, each a
    // link to somewhere else in the project
    std::fs::rename(p.path("entities.yaml"), p.path("data-entities.yaml")).unwrap();
    symlink("data-entities.yaml", p.path("entities.yaml")).unwrap();
    p.write("shared/notes.md", "---\narticle: a\n---\nSee [[Minsk]].\n");
    symlink("../shared/notes.md", p.path("annotations/notes.md")).unwrap();
    p.write("more/b.md", "---\ntitle: B\n---\nMinsk again.\n");
    symlink("../more", p.path("content/more")).unwrap();
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists("site/entities/minsk/index.html"));
    assert!(
        p.exists("site/articles/b/index.html"),
        "the linked directory's article"
    );
    // a change to a linked file is seen (the fingerprint follows links)
    std::thread::sleep(std::time::Duration::from_millis(50));
    p.write("more/b.md", "---\ntitle: B\n---\nMinsk once more.\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.read("site/articles/b/index.html").contains("once more"));
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_or_to_nothing_is_an_error_naming_it() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("entities.yaml"), ENTITIES).unwrap();
    let p = briefing_with_entities(ENTITIES);
    std::fs::remove_file(p.path("entities.yaml")).unwrap();
    let target = outside.path().join("entities.yaml");
    symlink(&target, p.path("entities.yaml")).unwrap();
    let e = build_err(&p);
    assert_eq!(
        e.lines().collect::<Vec<_>>(),
        [
            format!(
                "entities.yaml: error: a symbolic link to `{}`, outside the briefing",
                target.display()
            )
            .as_str(),
            "  = help: briefing reads only files inside the project: point the link at a file inside it, or replace the link with a copy of the file",
            "1 error(s); nothing was written",
        ]
    );

    std::fs::remove_file(p.path("entities.yaml")).unwrap();
    symlink("nowhere.yaml", p.path("entities.yaml")).unwrap();
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        ["entities.yaml: error: a symbolic link to `nowhere.yaml`, which does not exist"]
    );
    assert_eq!(error_count(&e), 1);

    // the same in every input directory
    std::fs::remove_file(p.path("entities.yaml")).unwrap();
    std::fs::write(p.path("entities.yaml"), ENTITIES).unwrap();
    for dir in ["seeds", "content", "annotations", "templates", "static"] {
        let link = format!("{dir}/linked.md");
        std::fs::create_dir_all(p.path(dir)).unwrap();
        symlink(&target, p.path(&link)).unwrap();
        let e = build_err(&p);
        assert_eq!(
            errors(&e),
            [format!(
                "{link}: error: a symbolic link to `{}`, outside the briefing",
                target.display()
            )
            .as_str()],
            "{dir}"
        );
        std::fs::remove_file(p.path(&link)).unwrap();
    }
    // and a whole input directory
    std::fs::create_dir_all(outside.path().join("notes")).unwrap();
    std::fs::remove_dir_all(p.path("annotations")).unwrap();
    symlink(outside.path().join("notes"), p.path("annotations")).unwrap();
    let e = build_err(&p);
    assert_eq!(
        errors(&e),
        [format!(
            "annotations: error: a symbolic link to `{}`, outside the briefing",
            outside.path().join("notes").display()
        )
        .as_str()]
    );
}
