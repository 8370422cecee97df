//! Annotations that travel: `briefing export w3c|hypothesis`, `briefing
//! import hypothesis|w3c FILE`, and `data/briefing.json`.
//!
//! The round trips export a briefing, import the file into a copy with no
//! annotations, build it, and compare the anchored annotations (from each
//! build's `data/briefing.json`, which is itself checked against its
//! schema); the W3C export is checked against the Web Annotation model's
//! requirements (`tests/fixtures/w3c/`).

use crate::common;

use common::{TestProject, snapshot};
use serde_json::Value;

const ALPHA: &str = "---\ntitle: \"Alpha: missiles over the border\"\nslug: alpha\ndate: 2024-12-06T15:39:00\nurl: https://news.example/2024/alpha\noutlet: The Example\n---\n\nThe missile is impossible to intercept, the ministry said on Friday.\n\nExperts said the missile was first used in the eastern city of Dnipro in November.\n\nThen the missile flew again. Officials said the missile flew again, later.\n";
const BETA: &str = "---\ntitle: \"Beta: talks resume\"\nslug: beta\ndate: 2024-12-07T10:00:00\nurl: https://news.example/2024/beta\n---\n\nTalks resumed in Geneva on Saturday after a pause of two years.\n\nThe Oreshnik was not on the agenda.\n";
const ENTITIES: &str = "- name: Oreshnik\n  kind: weapon\n  description: A missile.\n";
const ALPHA_NOTES: &str = "---\narticle: alpha\n---\nWhole-article note.\n\n## \"impossible to intercept\" {#intercept .claim .disputed claim=intercept-key}\n\nThe ministry's claim; see [[beta#talks]] and [[Oreshnik]].\n\n## \"first used in the eastern city of Dnipro\" {#dnipro .event date=2024-11-21}\n\nFirst use.\n\n## \"the missile flew again\" {#again occurrence=2 .watch}\n\nThe second time.\n\n## \"the ministry said on Friday\"\n";
const BETA_NOTES: &str = "---\narticle: beta\n---\n## \"Talks resumed in Geneva\" {#talks .claim status=corroborated}\n\nBack to [[alpha#intercept]].\n\n```internal\nSource: an aide.\n```\n";

fn project() -> TestProject {
    TestProject::new()
        .file(
            "briefing.toml",
            "title = \"T\"\nbase_url = \"https://brief.example/\"\n",
        )
        .file("entities.yaml", ENTITIES)
        .file("content/alpha.md", ALPHA)
        .file("content/beta.md", BETA)
        .file("annotations/alpha.md", ALPHA_NOTES)
        .file("annotations/beta.md", BETA_NOTES)
}

/// The same briefing with no annotation files.
fn empty_copy() -> TestProject {
    TestProject::new()
        .file(
            "briefing.toml",
            "title = \"T\"\nbase_url = \"https://brief.example/\"\n",
        )
        .file("entities.yaml", ENTITIES)
        .file("content/alpha.md", ALPHA)
        .file("content/beta.md", BETA)
}

fn build(p: &TestProject, args: &[&str]) -> Value {
    let mut all = vec!["build"];
    all.extend(args);
    let run = p.run(&all);
    assert_eq!(run.code, 0, "build: {}", run.stderr);
    let data: Value = serde_json::from_str(&p.read("site/data/briefing.json")).unwrap();
    let errors = schema_errors(
        &serde_json::from_str(&p.read("site/data/briefing.schema.json")).unwrap(),
        &data,
    );
    assert!(errors.is_empty(), "data/briefing.json: {errors:#?}");
    data
}

fn schema_errors(schema: &Value, v: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema");
    validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The anchored annotations of a build, without where an import put them
/// or where they came from.
fn anchored(data: &Value) -> Vec<Value> {
    data["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.as_object_mut().unwrap().remove("origin");
            a
        })
        .collect()
}

fn export(p: &TestProject, format: &str) -> (String, Value) {
    let out = p.path("export.json");
    let run = p.run(&["export", format, "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "export: {}", run.stderr);
    let text = std::fs::read_to_string(out).unwrap();
    let v = serde_json::from_str(&text).unwrap();
    (text, v)
}

fn round_trip(format: &str) {
    let original = project();
    let data = build(&original, &[]);
    let (text, _) = export(&original, format);
    let copy = empty_copy();
    copy.write("in.json", &text);
    let run = copy.run(&["import", format, "in.json"]);
    assert_eq!(run.code, 0, "import: {}", run.stderr);
    // five passages and alpha's note on the whole article
    assert!(run.stderr.contains("imported 6 of 6"), "{}", run.stderr);
    let again = build(&copy, &[]);
    assert_eq!(anchored(&again), anchored(&data));
    assert_eq!(again["claims"], data["claims"]);
    // every imported annotation remembers where it came from
    for a in again["annotations"].as_array().unwrap() {
        assert!(a["origin"].is_string(), "{a}");
    }

    // importing again adds nothing, and changes no file
    let before = snapshot(&copy.path("annotations"));
    let run = copy.run(&["import", format, "in.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("imported 0 of 6") && run.stderr.contains("6 already there"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&copy.path("annotations")), before);
}

#[test]
fn a_w3c_round_trip_keeps_the_anchored_annotations_and_their_ids() {
    round_trip("w3c");
}

#[test]
fn a_hypothesis_round_trip_keeps_the_anchored_annotations_and_their_ids() {
    round_trip("hypothesis");
}

#[test]
fn the_w3c_export_is_a_web_annotation_collection() {
    let p = project();
    let (_, v) = export(&p, "w3c");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::repo_root().join("tests/fixtures/w3c/web-annotation.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let errors = schema_errors(&schema, &v);
    assert!(errors.is_empty(), "{errors:#?}");
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(v["total"], 6);
    assert_eq!(
        items.len(),
        6,
        "one Annotation per passage, and alpha's page note"
    );
    let claim = items
        .iter()
        .find(|a| a["id"] == "https://brief.example/articles/alpha/#a-intercept")
        .expect("the claim");
    assert_eq!(claim["motivation"], "assessing");
    let bodies = claim["body"].as_array().unwrap();
    let with = |purpose: &str| -> Vec<&str> {
        bodies
            .iter()
            .filter(|b| b["purpose"] == purpose)
            .map(|b| b["value"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        with("commenting"),
        ["The ministry's claim; see [[beta#talks]] and [[Oreshnik]]."]
    );
    assert_eq!(
        with("tagging"),
        ["claim", "disputed", "claim:intercept-key"]
    );
    assert_eq!(with("assessing"), ["disputed"]);
    assert_eq!(bodies[0]["format"], "text/markdown");
    let targets = claim["target"].as_array().unwrap();
    assert_eq!(targets[0]["source"], "https://news.example/2024/alpha");
    let sel = &targets[0]["selector"][0];
    assert_eq!(sel["type"], "TextQuoteSelector");
    assert_eq!(sel["exact"], "impossible to intercept");
    assert_eq!(sel["prefix"], "The missile is ");
    assert_eq!(sel["suffix"], ", the ministry said on Friday.\n\n");
    assert_eq!(
        targets[1]["source"],
        "https://brief.example/articles/alpha/"
    );
    // the public export has no internal text
    assert!(!serde_json::to_string(&v).unwrap().contains("an aide"));
}

#[test]
fn export_writes_to_standard_output_by_default() {
    let p = project();
    let run = p.run(&["export", "hypothesis"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let anns = v["annotations"].as_array().unwrap();
    assert_eq!(anns.len(), 6, "five passages and a page note");
    let a = anns.iter().find(|a| a["id"] == "dnipro").unwrap();
    assert_eq!(a["uri"], "https://news.example/2024/alpha");
    assert_eq!(a["tags"], serde_json::json!(["event", "date:2024-11-21"]));
    assert_eq!(
        a["target"][0]["selector"][0]["exact"],
        "first used in the eastern city of Dnipro"
    );
    assert!(
        run.stderr
            .contains("exported 6 annotation(s) as Hypothesis to standard output")
    );
}

const HYPOTHESIS: &str = r#"{"export_date":"2024-12-08T10:00:00Z","export_userid":"acct:ann@hypothes.is","client_version":"1.0","annotations":[
{"id":"H_first","uri":"https://www.news.example/2024/alpha/","text":"Highlighted in the browser.","tags":["Needs review","claim"],
 "target":[{"source":"https://news.example/2024/alpha","selector":[{"type":"TextPositionSelector","start":1,"end":2},{"type":"TextQuoteSelector","exact":"the missile flew again","prefix":"in November.\n\nThen ","suffix":". Officials said"}]}]},
{"id":"H_reply","uri":"https://news.example/2024/alpha","text":"Agreed; ## not a heading","references":["H_first"],"user":"acct:bob@hypothes.is","created":"2024-12-08T11:00:00Z","target":[{"source":"https://news.example/2024/alpha"}]},
{"id":"H_orphan","uri":"https://news.example/2024/alpha","text":"From the sidebar.","target":[{"source":"https://news.example/2024/alpha","selector":[{"type":"TextQuoteSelector","exact":"Subscribe to our newsletter for more","prefix":"","suffix":""}]}]},
{"id":"H_page","uri":"https://news.example/2024/alpha","text":"A page note.","target":[{"source":"https://news.example/2024/alpha"}]},
{"id":"H_elsewhere","uri":"https://other.example/x","text":"n","target":[{"source":"https://other.example/x","selector":[{"type":"TextQuoteSelector","exact":"x"}]}]},
{"id":"H_beta","uri":"https://news.example/2024/beta","text":"","tags":[],"target":[{"source":"https://news.example/2024/beta","selector":[{"type":"TextQuoteSelector","exact":"after a pause of two years"}]}]}
]}"#;

#[test]
fn a_hypothesis_export_is_appended_to_the_articles_annotation_files() {
    let p = project();
    p.write("h.json", HYPOTHESIS);
    let run = p.run(&["import", "hypothesis", "h.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alpha = p.read("annotations/alpha.md");
    // the analyst's text is kept byte for byte; the page note joins the
    // note on the whole article, its origin the front matter
    let with_page = ALPHA_NOTES
        .replace(
            "article: alpha\n",
            "article: alpha\norigin:\n- \"hypothesis:H_page\"\n",
        )
        .replace(
            "Whole-article note.\n\n",
            "Whole-article note.\n\nA page note.\n\n",
        );
    assert!(alpha.starts_with(&with_page), "{alpha}");
    let added = &alpha[with_page.len()..];
    // prefix and suffix chose the first of two equal passages; the
    // reply is folded into the note, its heading-like text escaped
    assert_eq!(
        added,
        "\n## \"the missile flew again\" {#the-missile-flew-again-e2ad06 .needs-review .claim occurrence=1 origin=hypothesis:H_first}\n\nHighlighted in the browser.\n\n**Reply** — bob, 2024-12-08:\n\n> Agreed; ## not a heading\n"
            .replace("e2ad06", &derived_suffix("the missile flew again")),
    );
    let beta = p.read("annotations/beta.md");
    assert!(beta.starts_with(BETA_NOTES));
    assert!(beta.ends_with("origin=hypothesis:H_beta}\n"), "{beta}");
    // orphans and the rest are reported at their place in the file
    let err = &run.stderr;
    assert!(
        err.contains("h.json:5:1: warning: quoted passage not found in content/alpha.md: “Subscribe to our newsletter for more”"),
        "{err}"
    );
    assert!(err.contains("the closest passage is"), "{err}");
    assert!(
        err.contains("h.json:7:1: warning: no article has the address `https://other.example/x`"),
        "{err}"
    );
    assert!(
        err.contains("imported 3 of 6 Hypothesis annotation(s) into 2 file(s)"),
        "{err}"
    );
    assert!(err.contains("1 repl(ies) folded into notes"), "{err}");
    // and the briefing builds with them
    let data = build(&p, &["--profile", "internal"]);
    let found = data["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["origin"] == "hypothesis:H_first")
        .unwrap()
        .clone();
    assert_eq!(found["anchor"]["occurrence"], 1);
    assert!(
        found["anchor"]["prefix"]
            .as_str()
            .unwrap()
            .ends_with("November.\n\nThen ")
    );
}

/// The hash part of the id derived from a quote.
fn derived_suffix(quote: &str) -> String {
    let h = blake3::hash(quote.as_bytes()).to_hex();
    h[..6].to_string()
}

#[test]
fn malformed_or_foreign_files_exit_1_naming_the_position_and_change_nothing() {
    let p = project();
    let before = snapshot(p.dir.path());
    for (format, name, text, expected) in [
        (
            "hypothesis",
            "bad.json",
            "{\"annotations\": [\n  {\"uri\": \"https://news.example/2024/alpha\",\n   \"tags\": [1]}\n]}",
            "bad.json:3:13: error: not a Hypothesis annotation: invalid type: integer `1`, expected a string",
        ),
        (
            "w3c",
            "cut.jsonld",
            "{\"type\": \"AnnotationCollection\", \"first\": {\"items\": [",
            "cut.jsonld:1:53: error: not valid JSON: EOF while parsing a list",
        ),
        (
            "w3c",
            "hyp.json",
            HYPOTHESIS,
            "hyp.json:1:1: error: not a W3C Web Annotation file: no AnnotationCollection, AnnotationPage or Annotation",
        ),
    ] {
        std::fs::write(p.path(name), text).unwrap();
        let snap = snapshot(p.dir.path());
        let run = p.run(&["import", format, name]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{}", run.stderr);
        assert!(
            run.stderr.contains("nothing was imported"),
            "{}",
            run.stderr
        );
        assert_eq!(snapshot(p.dir.path()), snap, "{name} changed files");
        std::fs::remove_file(p.path(name)).unwrap();
    }
    assert_eq!(snapshot(p.dir.path()), before);
    let run = p.run(&["import", "w3c", "missing.json"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
}

#[test]
fn data_briefing_json_holds_every_article_and_obeys_the_profile() {
    let p = project()
        .file(
            "content/gamma.md",
            "---\ntitle: \"Gamma draft GAMMA-SECRET-TITLE\"\nslug: gamma\ndraft: true\nurl: https://news.example/gamma\n---\n\nA drafted story about GAMMA-SECRET-BODY things.\n",
        )
        .file(
            "annotations/beta-internal.md",
            "---\narticle: beta\n---\n## \"The Oreshnik was not on the agenda\" {#held-note .internal}\n\nINTERNAL-NOTE-MARKER here.\n",
        );
    let public = build(&p, &[]);
    let text = p.read("site/data/briefing.json");
    for marker in [
        "GAMMA-SECRET",
        "gamma",
        "INTERNAL-NOTE-MARKER",
        "held-note",
        "an aide",
    ] {
        assert!(
            !text.contains(marker),
            "public data/briefing.json holds `{marker}`"
        );
    }
    let articles = public["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 2);
    for a in articles {
        assert!(
            a["url"]
                .as_str()
                .unwrap()
                .starts_with("https://news.example/"),
            "{a}"
        );
        assert!(a["held"].is_null());
    }
    assert_eq!(public["profile"], "public");
    let claims = public["claims"].as_array().unwrap();
    let k = claims.iter().find(|c| c["key"] == "intercept-key").unwrap();
    assert_eq!(k["statuses"], serde_json::json!(["disputed"]));
    assert!(k["grade"].is_null());
    let oreshnik = public["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Oreshnik")
        .unwrap();
    assert_eq!(oreshnik["articles"][0]["article"], "beta");

    let internal = build(&p, &["--profile", "internal"]);
    let gamma = internal["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "gamma")
        .unwrap();
    assert_eq!(gamma["held"]["kind"], "draft");
    assert!(
        internal["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == "held-note")
    );
}
