//! Held-back material end to end, with the binary: unique markers planted
//! in a draft article, an article under embargo, a draft annotation file,
//! an internal annotation and `internal` blocks (in an article, a note and
//! the summary). A public build holds none of them in any file of its
//! output — scanned here, independently of the build's own leak check —
//! while an internal build shows every one, marked; `--now` lifts the
//! embargo; wikilinks to held material are errors in a public build; and
//! the leak check fails a build whose theme prints held-back text.

use crate::common;

use common::{TestProject, snapshot};
use std::collections::BTreeMap;

/// Markers and where they are planted. Lowercase ones are a slug, an id
/// or a tag: they would show in URLs and attributes.
const MARKERS: &[(&str, &str)] = &[
    ("ZQDRAFTTITLEQZ", "the title of a draft article"),
    ("ZQDRAFTBODYQZ", "the body of a draft article"),
    ("zqdraftslugqz", "the slug of a draft article"),
    ("ZQDRAFTSUMMARYQZ", "the summary of a draft article"),
    ("ZQEMBARGOTITLEQZ", "the title of an embargoed article"),
    ("ZQEMBARGOBODYQZ", "the body of an embargoed article"),
    ("ZQDRAFTFILEQZ", "a note in a draft annotation file"),
    ("ZQDRAFTEVENTQZ", "a dated event in a draft annotation file"),
    ("ZQDRAFTARTICLENOTEQZ", "a note on the draft article"),
    ("ZQINTERNALNOTEQZ", "the note of an internal annotation"),
    ("zqinternalidqz", "the id of an internal annotation"),
    ("zqinternaltagqz", "a tag only an internal annotation has"),
    ("ZQNOTEBLOCKQZ", "an internal block in a public note"),
    ("ZQBODYBLOCKQZ", "an internal block in a public article"),
    (
        "ZQSUMMARYBLOCKQZ",
        "an internal block in the executive summary",
    ),
    (
        "ZQWHOLENOTEBLOCKQZ",
        "an internal block in a note on a whole article",
    ),
];

const EMBARGO: &str = "2030-01-01T09:00:00+01:00";

fn desk() -> TestProject {
    TestProject::new()
        .file(
            "briefing.toml",
            "title = \"Desk\"\nbase_url = \"https://news.example/\"\n",
        )
        .file(
            "entities.yaml",
            "- name: Minsk\n  kind: place\n  description: Capital of Belarus, host of the summit.\n- name: Pipeline Board\n  kind: organisation\n",
        )
        // an outlet graded in sources.yaml carries a public and a draft
        // article, and a claim in each: its page, the claims pages and
        // the check show only the public one
        .file(
            "sources.yaml",
            "- name: Desk Wire\n  domains: [wire.example]\n  reliability: C\n  description: The desk's wire.\n",
        )
        .file(
            "content/public.md",
            "---\ntitle: \"The summit in Minsk ends without a deal\"\nslug: public\ndate: 2024-12-05T10:00:00\noutlet: Desk Wire\n---\n\nThe summit in Minsk ended after talks that went on for hours.\n\n```internal\nZQBODYBLOCKQZ the desk believes the minister misled the press.\n```\n\nThe Pipeline Board said nothing at all.\n",
        )
        .file(
            "content/draft.md",
            "---\ntitle: \"ZQDRAFTTITLEQZ: a secret plan for the pipeline\"\nslug: zqdraftslugqz\ndate: 2024-12-06T10:00:00\nurl: https://wire.example/zq\nsummary: \"ZQDRAFTSUMMARYQZ the plan, in one line.\"\ndraft: true\n---\n\nZQDRAFTBODYQZ the Pipeline Board met in Minsk on Tuesday, and Minsk agreed.\n",
        )
        .file(
            "content/embargoed.md",
            &format!("---\ntitle: \"ZQEMBARGOTITLEQZ: the inquiry's findings\"\nslug: inquiry\ndate: 2024-12-07T10:00:00\nembargo: {EMBARGO}\n---\n\nZQEMBARGOBODYQZ the inquiry blames the Pipeline Board, which met in Minsk.\n"),
        )
        .file(
            "content/_briefing.md",
            "---\ntitle: Summary\n---\n\nTalks in Minsk: see [[public]].\n\n```internal\nZQSUMMARYBLOCKQZ do not run the pipeline story before Friday.\n```\n",
        )
        .file(
            "annotations/public.md",
            "---\narticle: public\n---\nA note on the whole article.\n\n```internal\nZQWHOLENOTEBLOCKQZ checked with two sources.\n```\n\n## \"talks that went on for hours\" {#hours .claim}\n\nPublic note on the length of the talks.\n\n```internal\nZQNOTEBLOCKQZ the hours come from a delegate.\n```\n\n## \"The summit in Minsk ended\" {#zqinternalidqz .internal .zqinternaltagqz .event date=2024-12-05}\n\nZQINTERNALNOTEQZ our source in the delegation told us directly.\n",
        )
        .file(
            "annotations/draft-notes.md",
            "---\narticle: public\ndraft: true\n---\n## \"said nothing at all\" {#silence .event date=2024-12-04}\n\nZQDRAFTFILEQZ a draft reading of the silence.\n\n## \"The Pipeline Board\" {#board .zqdrafteventqz}\n\nZQDRAFTEVENTQZ listed under a draft-only tag.\n",
        )
        .file(
            "annotations/draft.md",
            "---\narticle: zqdraftslugqz\n---\nZQDRAFTARTICLENOTEQZ the whole plan is unconfirmed.\n\n## \"met in Minsk on Tuesday\" {.claim claim=hours cred=2}\n\nA note on the draft.\n",
        )
}

/// Which markers occur in which files of a built site (the whole
/// output, every file as bytes).
fn found(site: &std::path::Path) -> BTreeMap<&'static str, Vec<String>> {
    let files = snapshot(site);
    assert!(
        files.len() > 10,
        "{} files in {}",
        files.len(),
        site.display()
    );
    let mut out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (marker, _) in MARKERS {
        let needle = marker.as_bytes();
        for (path, bytes) in &files {
            // (the search index's documents are compressed: their text)
            let text = briefing::link::search::docs_text(bytes);
            let bytes = text.as_deref().unwrap_or(bytes);
            if bytes.windows(needle.len()).any(|w| w == needle) {
                out.entry(marker).or_default().push(path.clone());
            }
        }
    }
    out
}

#[test]
fn a_public_build_holds_no_trace_of_held_back_material() {
    let p = desk();
    let r = p.run(&["build", "--now", "2024-12-10T00:00:00Z"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("held back 9 item(s)"),
        "the build says what it held back: {}",
        r.stderr
    );
    let leaks = found(&p.path("site"));
    assert!(
        leaks.is_empty(),
        "held-back material in the public site: {leaks:#?}"
    );
    // what is public is all there
    let page = p.read("site/articles/public/index.html");
    assert!(page.contains("talks that went on for hours"));
    assert!(page.contains("Public note on the length of the talks."));
    assert!(page.contains("A note on the whole article."));
    // the quote of an internal annotation is public article text; only
    // its highlight, note, id and tags are held back
    assert!(page.contains("</a> ended after <mark"), "{page}");
    assert!(!page.contains("tag-internal") && !page.contains("held-badge"));
    assert!(!p.exists("site/articles/zqdraftslugqz") && !p.exists("site/articles/inquiry"));
    assert!(!p.exists("site/annotations/tags/internal"));
    assert!(!p.exists("site/annotations/tags/draft"));
    // the entities' previews, one file for the site's popovers, are
    // among the files scanned above
    let previews = p.read("site/entities/previews.js");
    assert!(
        previews.contains("Capital of Belarus, host of the summit."),
        "{previews}"
    );
    // the outlet's page lists the public article only
    let outlet = p.read("site/sources/desk-wire/index.html");
    assert!(outlet.contains("The summit in Minsk ends without a deal"));
    assert!(
        outlet.contains("Articles <span class=\"count\">1</span>"),
        "{outlet}"
    );
    // counts: Minsk is named once in public text (and in the summary)
    let minsk = p.read("site/entities/minsk/index.html");
    assert!(minsk.contains("The summit in Minsk ends without a deal"));
    assert!(
        !minsk.contains("inquiry") && !minsk.contains("secret plan"),
        "{minsk}"
    );
    // the timeline has the public event only, the feed and sitemap the
    // public article only
    let feed = p.read("site/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    let sitemap = p.read("site/sitemap.xml");
    assert!(!sitemap.contains("inquiry"), "{sitemap}");
    // not an internal build
    assert!(!p.read("site/index.html").contains("noindex"));
    // the print edition: the public article and its public notes only
    let edition = p.read("site/edition/index.html");
    assert!(edition.contains("The summit in Minsk ends without a deal"));
    assert!(edition.contains("Public note on the length of the talks."));
    assert!(
        !edition.contains("ZQ") && !edition.contains("held-badge"),
        "{edition}"
    );
}

#[test]
fn an_internal_build_shows_everything_marked() {
    let p = desk();
    let out = p.path("internal");
    let r = p.run(&[
        "build",
        "--profile",
        "internal",
        "--now",
        "2024-12-10T00:00:00Z",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("do not publish it"), "{}", r.stderr);
    let shown = found(&out);
    let missing: Vec<&str> = MARKERS
        .iter()
        .filter(|(m, _)| !shown.contains_key(m))
        .map(|(_, what)| *what)
        .collect();
    assert!(missing.is_empty(), "not in the internal build: {missing:?}");
    // marked: the pages say so and ask not to be indexed
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(index.contains("Do not publish it."));
    assert!(
        index.contains("held-badge held-draft\">draft</span>"),
        "{index}"
    );
    assert!(index.contains(&format!(
        "held-badge held-embargoed\">embargoed until {EMBARGO}</span>"
    )));
    let draft = std::fs::read_to_string(out.join("articles/zqdraftslugqz/index.html")).unwrap();
    assert!(draft.contains("A public build leaves this article out."));
    let public = std::fs::read_to_string(out.join("articles/public/index.html")).unwrap();
    assert!(public.contains(
        "<div class=\"held held-internal\" role=\"note\"><p class=\"held-badge\">Internal</p>"
    ));
    assert!(public.contains("tag-internal") && public.contains("tag-draft"));
    // the print edition has it all too, marked
    let edition = std::fs::read_to_string(out.join("edition/index.html")).unwrap();
    for m in [
        "ZQDRAFTTITLEQZ",
        "ZQEMBARGOBODYQZ",
        "ZQINTERNALNOTEQZ",
        "ZQDRAFTARTICLENOTEQZ",
    ] {
        assert!(edition.contains(m), "{m} not in the internal edition");
    }
    assert!(edition.contains("held-badge held-draft"));
    // site/ was not touched
    assert!(!p.exists("site"));
}

#[test]
fn an_embargo_lifts_at_its_time() {
    let p = desk();
    let before = p.run(&["build", "--now", "2030-01-01T07:59:59Z"]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert!(!p.exists("site/articles/inquiry/index.html"));
    assert!(!found(&p.path("site")).contains_key("ZQEMBARGOBODYQZ"));
    // 09:00 at +01:00 is 08:00 UTC
    let after = p.run(&["build", "--now", "2030-01-01T08:00:00Z"]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert!(
        p.read("site/articles/inquiry/index.html")
            .contains("ZQEMBARGOBODYQZ")
    );
    let feed = p.read("site/feed.xml");
    assert!(feed.contains("ZQEMBARGOTITLEQZ"), "{feed}");
    // drafts stay drafts whatever the time
    assert!(!found(&p.path("site")).contains_key("ZQDRAFTBODYQZ"));
    // `--now` is RFC 3339 with an offset, like `embargo:`
    let r = p.run(&["build", "--now", "2030-01-01"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("RFC 3339"), "{}", r.stderr);
}

#[test]
fn a_public_note_linking_to_held_material_is_an_error_saying_so() {
    let p = desk().file(
        "annotations/links.md",
        "---\narticle: public\n---\nSee [[zqdraftslugqz]], [[inquiry|the inquiry]] and [[public#zqinternalidqz]].\n\n```internal\nInside a block [[zqdraftslugqz]] is fine.\n```\n",
    );
    let r = p.run(&["build", "--now", "2024-12-10T00:00:00Z"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "annotations/links.md:4:5: error: wikilink `[[zqdraftslugqz]]` points at held-back material: `zqdraftslugqz` is a draft, and a public build leaves it out",
            "annotations/links.md:4:24: error: wikilink `[[inquiry]]` points at held-back material: `inquiry` is under embargo until 2030-01-01T09:00:00+01:00, and a public build leaves it out",
            "annotations/links.md:4:52: error: wikilink `[[public#zqinternalidqz]]` points at held-back material: annotation `zqinternalidqz` of `public` is internal or a draft, and a public build leaves it out",
        ]
    );
    assert!(
        r.stderr.contains("move it into an ```internal block"),
        "{}",
        r.stderr
    );
    // an internal build links them
    let out = p.path("internal");
    let r = p.run(&[
        "build",
        "--profile",
        "internal",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_leak_check_fails_a_build_whose_theme_prints_held_back_text() {
    let p = desk();
    assert_eq!(p.run(&["build", "--now", "2024-12-10T00:00:00Z"]).code, 0);
    let before = snapshot(&p.path("site"));
    // a project template that prints a draft's title (copied by hand, as
    // an analyst might paste it while drafting a front page)
    let p = p.file(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Coming: ZQDRAFTTITLEQZ: a secret plan for the pipeline</h1>{% endblock content %}",
    );
    let r = p.run(&["build", "--now", "2024-12-10T00:00:00Z"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("site/index.html: error: a public build must not show the draft article `zqdraftslugqz` (content/draft.md), but this file holds its text “ZQDRAFTTITLEQZ: a secret plan for the pipeline”\n"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 error(s); nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(
        snapshot(&p.path("site")),
        before,
        "a failed build writes nothing"
    );
    // a file in static/ holding an internal note's words
    std::fs::remove_file(p.path("templates/index.html")).unwrap();
    let p = p.file(
        "static/notes.txt",
        "ZQINTERNALNOTEQZ our source in the delegation told us directly.",
    );
    let r = p.run(&["build", "--now", "2024-12-10T00:00:00Z"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("site/static/notes.txt: error: a public build must not show the internal annotation `zqinternalidqz` of `public` (annotations/public.md:"),
        "{}",
        r.stderr
    );
    // a link to a held page, printed by a template
    std::fs::remove_file(p.path("static/notes.txt")).unwrap();
    let p = p.file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"articles/inquiry/index.html\">soon</a>{% endblock content %}",
    );
    let r = p.run(&["build", "--now", "2024-12-10T00:00:00Z"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("site/404.html: error: a public build must not show the article `inquiry` (content/embargoed.md), under embargo until 2030-01-01T09:00:00+01:00, but this file holds a link to its page `articles/inquiry/`"),
        "{}",
        r.stderr
    );
    // the same build with the embargo over is fine
    let r = p.run(&["build", "--now", "2030-02-01T00:00:00Z"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn text_public_inputs_also_hold_is_not_a_leak() {
    // two wire stories share a paragraph; one is a draft
    let shared = "The ministry said the pipeline would open in the spring of next year.";
    let p = TestProject::new()
        .file(
            "content/a.md",
            &format!("---\ntitle: Wire copy\nslug: a\n---\n\n{shared}\n"),
        )
        .file(
            "content/b.md",
            &format!("---\ntitle: Wire copy again\nslug: b\ndraft: true\n---\n\n{shared}\n\nZQOWNQZ a sentence only the draft has.\n"),
        );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.read("site/articles/a/index.html").contains(shared));
    assert!(!found(&p.path("site")).values().any(|v| !v.is_empty()));
}

/// `desk()` as if nothing held back had ever been written: the held
/// files gone, internal blocks and the internal annotation cut out.
fn desk_without_held_material() -> TestProject {
    let p = desk();
    for f in [
        "content/draft.md",
        "content/embargoed.md",
        "annotations/draft-notes.md",
        "annotations/draft.md",
    ] {
        std::fs::remove_file(p.path(f)).unwrap();
    }
    let cut = |rel: &str, from: &str, to: Option<&str>| {
        let text = p.read(rel);
        let start = text.find(from).unwrap_or_else(|| panic!("{rel}: {from}"));
        let end = match to {
            Some(t) => start + text[start..].find(t).unwrap() + t.len(),
            None => text.len(),
        };
        p.write(rel, &format!("{}{}", &text[..start], &text[end..]));
    };
    cut("content/public.md", "```internal\n", Some("```\n\n"));
    cut("content/_briefing.md", "\n```internal\n", Some("```\n"));
    cut(
        "annotations/public.md",
        "\n## \"The summit in Minsk ended\"",
        None,
    );
    cut(
        "annotations/public.md",
        "```internal\nZQNOTE",
        Some("```\n"),
    );
    cut(
        "annotations/public.md",
        "```internal\nZQWHOLE",
        Some("```\n\n"),
    );
    p
}

/// The strongest form of "no trace": every output file of the public
/// build — pages, listings, entity counts, related articles, backlinks,
/// timeline, claims, search shards, feed, sitemap, JSON-LD — is byte for
/// byte what a briefing that never held the material would build.
#[test]
fn a_public_build_equals_a_build_without_the_held_material() {
    let now = ["build", "--now", "2024-12-10T00:00:00Z"];
    let (held, clean) = (desk(), desk_without_held_material());
    let r = held.run(&now);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = clean.run(&now);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "content/public.md",
        "annotations/public.md",
        "content/_briefing.md",
    ] {
        assert!(!clean.read(f).contains("ZQ"), "{f}: {}", clean.read(f));
    }
    let (a, b) = (snapshot(&held.path("site")), snapshot(&clean.path("site")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(
        a.contains_key("edition/index.html"),
        "the print edition is compared"
    );
    let differ: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(
        differ.is_empty(),
        "these files show held-back material: {differ:?}"
    );
    // and the held material does change an internal build (counts too)
    let internal = held.path("internal");
    let r = held.run(&[
        "build",
        "--profile",
        "internal",
        "-o",
        internal.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let count = |html: &str| {
        let i = html.find("class=\"count\">").unwrap() + 14;
        html[i..html[i..].find('<').unwrap() + i].to_string()
    };
    let minsk = |dir: &std::path::Path| {
        count(&std::fs::read_to_string(dir.join("entities/minsk/index.html")).unwrap())
    };
    assert_ne!(minsk(&internal), minsk(&held.path("site")));
}

#[test]
fn an_internal_build_into_site_is_replaced_whole_by_a_public_one() {
    let p = desk();
    let now = "2024-12-10T00:00:00Z";
    let r = p.run(&["build", "--profile", "internal", "--now", now]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!found(&p.path("site")).is_empty());
    let r = p.run(&["build", "--now", now]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let leaks = found(&p.path("site"));
    assert!(
        leaks.is_empty(),
        "left over from the internal build: {leaks:#?}"
    );
    assert!(!p.exists("site/articles/zqdraftslugqz"));
}
