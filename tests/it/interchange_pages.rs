//! Notes on whole articles that travel: exported as page notes (W3C: an
//! `Annotation` whose targets are the original and the published page,
//! without a selector; Hypothesis: a `target` with a `source` only) and
//! imported into the note before the annotation file's first heading,
//! their origin in its front matter's `origin:` list.

use crate::common;

use common::{TestProject, snapshot};
use serde_json::Value;

const CONFIG: &str = "title = \"T\"\nbase_url = \"https://brief.example/\"\n";
const ALPHA: &str = "---\ntitle: Alpha\nslug: alpha\ndate: 2024-12-06T15:39:00\nurl: https://news.example/2024/alpha\n---\n\nThe missile is impossible to intercept, the ministry said on Friday.\n";
const BETA: &str = "---\ntitle: Beta\nslug: beta\ndate: 2024-12-07T10:00:00\n---\n\nTalks resumed in Geneva on Saturday.\n";
/// alpha: a page note in two files, and a passage; beta (no `url:`): a
/// page note only.
const ALPHA_NOTES: &str = "---\narticle: alpha\n---\nA signalling story; see [[beta]].\n\n- no transfer announced\n- *watch* Minsk\n\n## \"impossible to intercept\" {#intercept .claim}\n\nThe ministry's claim.\n";
const ALPHA_MORE: &str = "---\narticle: alpha\n---\nSecond desk's view.\n";
const BETA_NOTES: &str = "---\narticle: beta\n---\nTalks, again.\n";

fn empty_copy() -> TestProject {
    TestProject::new()
        .file("briefing.toml", CONFIG)
        .file("content/alpha.md", ALPHA)
        .file("content/beta.md", BETA)
}

fn project() -> TestProject {
    empty_copy()
        .file("annotations/alpha.md", ALPHA_NOTES)
        .file("annotations/alpha-more.md", ALPHA_MORE)
        .file("annotations/beta.md", BETA_NOTES)
}

fn export(p: &TestProject, format: &str) -> (String, Value) {
    let out = p.path("export.json");
    let run = p.run(&["export", format, "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "export: {}", run.stderr);
    let text = std::fs::read_to_string(out).unwrap();
    let v = serde_json::from_str(&text).unwrap();
    (text, v)
}

/// The article page's note on the whole article (the `#note` aside).
fn page_note(p: &TestProject, slug: &str) -> String {
    let page = p.page(&format!("articles/{slug}/index.html"));
    let start = page.find("id=\"note\"").expect("a note on the article");
    let end = start + page[start..].find("</aside>").unwrap();
    page[start..end].to_string()
}

fn round_trip(format: &str) -> TestProject {
    let original = project();
    original.build(&[]);
    let (text, _) = export(&original, format);
    let copy = empty_copy();
    copy.write("in.json", &text);
    let run = copy.run(&["import", format, "in.json"]);
    assert_eq!(run.code, 0, "import: {}", run.stderr);
    assert!(run.stderr.contains("imported 3 of 3"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("annotations/beta.md: 0 annotation(s) and 1 page note(s)"),
        "{}",
        run.stderr
    );
    copy.build(&[]);
    for slug in ["alpha", "beta"] {
        assert_eq!(page_note(&copy, slug), page_note(&original, slug), "{slug}");
    }
    assert!(page_note(&copy, "alpha").contains("Second desk"));
    assert!(page_note(&copy, "alpha").contains("<em>watch</em>"));
    // the page note and the passage in one file, the note first
    let alpha = copy.read("annotations/alpha.md");
    let note = alpha.find("A signalling story").unwrap();
    let passage = alpha.find("## \"impossible to intercept\"").unwrap();
    assert!(note < passage, "{alpha}");
    assert!(alpha.contains("\norigin:\n- \""), "{alpha}");

    // importing again adds nothing, and changes no file
    let before = snapshot(&copy.path("annotations"));
    let run = copy.run(&["import", format, "in.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("imported 0 of 3") && run.stderr.contains("3 already there"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&copy.path("annotations")), before);

    // nor does importing into the briefing that holds the notes already
    let before = snapshot(&original.path("annotations"));
    original.write("in.json", &text);
    let run = original.run(&["import", format, "in.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("imported 0 of 3"), "{}", run.stderr);
    assert_eq!(snapshot(&original.path("annotations")), before);
    copy
}

#[test]
fn a_w3c_round_trip_keeps_the_notes_on_whole_articles() {
    let p = project();
    let (_, v) = export(&p, "w3c");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::repo_root().join("tests/fixtures/w3c/web-annotation.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["total"], 3);
    let items = v["first"]["items"].as_array().unwrap();
    let note = items
        .iter()
        .find(|a| a["id"] == "https://brief.example/articles/alpha/#note")
        .expect("alpha's page note");
    assert_eq!(note["motivation"], "commenting");
    assert_eq!(
        note["target"],
        serde_json::json!([
            "https://news.example/2024/alpha",
            "https://brief.example/articles/alpha/"
        ]),
        "the original and the published page, no selector"
    );
    assert_eq!(note["body"][0]["format"], "text/markdown");
    assert_eq!(note["body"][0]["purpose"], "commenting");
    assert_eq!(
        note["body"][0]["value"],
        "Second desk's view.\n\nA signalling story; see [[beta]].\n\n- no transfer announced\n- *watch* Minsk",
        "every file's note, in file order"
    );
    let beta = items
        .iter()
        .find(|a| a["id"] == "https://brief.example/articles/beta/#note")
        .expect("beta's page note");
    assert_eq!(
        beta["target"],
        serde_json::json!(["https://brief.example/articles/beta/"]),
        "no url: the published page only"
    );
    let copy = round_trip("w3c");
    assert!(
        copy.read("annotations/beta.md")
            .contains("origin:\n- \"https://brief.example/articles/beta/#note\"\n")
    );
}

#[test]
fn a_hypothesis_round_trip_keeps_the_notes_on_whole_articles() {
    let p = project();
    let (_, v) = export(&p, "hypothesis");
    let anns = v["annotations"].as_array().unwrap();
    assert_eq!(anns.len(), 3);
    let note = anns.iter().find(|a| a["id"] == "note-alpha").unwrap();
    assert_eq!(note["uri"], "https://news.example/2024/alpha");
    assert_eq!(
        note["target"],
        serde_json::json!([{ "source": "https://news.example/2024/alpha" }]),
        "a page note as Hypothesis writes one"
    );
    assert!(note["text"].as_str().unwrap().ends_with("*watch* Minsk"));
    assert_eq!(
        note["links"]["html"],
        "https://brief.example/articles/alpha/#note"
    );
    let copy = round_trip("hypothesis");
    assert!(
        copy.read("annotations/beta.md")
            .contains("origin:\n- \"hypothesis:note-beta\"\n")
    );
}

#[test]
fn hypothesis_page_notes_join_the_note_and_its_origin_list() {
    let p = project();
    let import = |name: &str, json: &str| {
        p.write(name, json);
        let run = p.run(&["import", "hypothesis", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stderr
    };
    // a page note with a reply, on the address in another form
    let err = import(
        "one.json",
        r#"{"annotations":[
{"id":"P1","uri":"http://www.news.example/2024/alpha/","text":"Read in the browser: # not a heading","target":[{"source":"http://www.news.example/2024/alpha/"}]},
{"id":"P1r","uri":"https://news.example/2024/alpha","text":"Agreed.","references":["P1"],"user":"acct:bob@hypothes.is","created":"2024-12-08T11:00:00Z","target":[{"source":"https://news.example/2024/alpha"}]}
]}"#,
    );
    assert!(err.contains("imported 1 of 2"), "{err}");
    assert!(err.contains("1 repl(ies) folded into notes"), "{err}");
    let alpha = p.read("annotations/alpha.md");
    let expected = ALPHA_NOTES
        .replace("article: alpha\n", "article: alpha\norigin:\n- \"hypothesis:P1\"\n")
        .replace(
            "- *watch* Minsk\n\n",
            "- *watch* Minsk\n\nRead in the browser: # not a heading\n\n**Reply** — bob, 2024-12-08:\n\n> Agreed.\n\n",
        );
    assert_eq!(alpha, expected);
    // a second one: the list grows, the first stays
    let err = import(
        "two.json",
        r#"[{"id":"P2","uri":"https://news.example/2024/alpha","text":"Later thought.","target":[{"source":"https://news.example/2024/alpha"}]},
            {"id":"P1","uri":"https://news.example/2024/alpha","text":"Read in the browser: # not a heading","target":[{"source":"https://news.example/2024/alpha"}]}]"#,
    );
    assert!(err.contains("imported 1 of 2"), "{err}");
    assert!(err.contains("1 already there"), "{err}");
    let alpha = p.read("annotations/alpha.md");
    assert!(
        alpha.starts_with(
            "---\narticle: alpha\norigin:\n- \"hypothesis:P1\"\n- \"hypothesis:P2\"\n---\n"
        ),
        "{alpha}"
    );
    assert!(
        alpha.contains("> Agreed.\n\nLater thought.\n\n## \"impossible"),
        "{alpha}"
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let note = page_note(&p, "alpha");
    assert!(note.contains("Later thought."), "{note}");
    assert!(note.contains("# not a heading"), "{note}");
}

#[test]
fn a_page_note_that_would_break_the_build_is_reported_not_imported() {
    let p = empty_copy();
    p.write(
        "in.json",
        r#"[{"id":"P","uri":"https://news.example/2024/alpha","text":"See [[no-such-article]].","target":[{"source":"https://news.example/2024/alpha"}]},
            {"id":"E","uri":"https://news.example/2024/alpha","text":"","target":[{"source":"https://news.example/2024/alpha"}]}]"#,
    );
    let run = p.run(&["import", "hypothesis", "in.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("in.json:1:2: warning: not imported: it would add an error to the build"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("in.json:2:13: warning: a page note without text is not imported"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("imported 0 of 2"), "{}", run.stderr);
    assert!(!p.exists("annotations/alpha.md"));
}

#[test]
fn a_w3c_page_note_is_imported_and_a_region_is_not_taken_for_one() {
    let p = empty_copy();
    p.write(
        "in.jsonld",
        r#"[{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:uuid:1","type":"Annotation","motivation":"commenting",
  "body":{"type":"TextualBody","value":"About the whole page.","format":"text/markdown"},"target":"https://news.example/2024/alpha"},
{"@context":"http://www.w3.org/ns/anno.jsonld","id":"urn:uuid:2","type":"Annotation","body":{"type":"TextualBody","value":"The photo."},
  "target":{"source":"https://news.example/2024/alpha","selector":{"type":"FragmentSelector","value":"xywh=0,0,10,10"}}}]"#,
    );
    let run = p.run(&["import", "w3c", "in.jsonld"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "in.jsonld:3:1: warning: its passage is given by a FragmentSelector only; not imported"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("imported 1 of 2"), "{}", run.stderr);
    assert_eq!(
        p.read("annotations/alpha.md"),
        "---\narticle: alpha\norigin:\n- \"urn:uuid:1\"\n---\n\nAbout the whole page.\n"
    );
    p.build(&[]);
    assert!(page_note(&p, "alpha").contains("About the whole page."));
}
