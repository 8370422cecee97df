//! The print edition (`edition/index.html`): the whole briefing on one
//! page — cover, summary, contents, every article with its notes as
//! numbered footnotes, the claims table and the entity index — with ids
//! of its own (articles' bodies share the page) and every in-page link
//! leading somewhere. Printing it is `browser_edition.rs`.

use crate::common;

use common::TestProject;
use std::collections::BTreeSet;

fn project() -> TestProject {
    let p = TestProject::new()
        .file(
            "briefing.toml",
            "title = \"Desk \\\"Minsk\\\" </style>\"\ndescription = \"What the desk knows.\"\n",
        )
        .file(
            "entities.yaml",
            "- name: Minsk\n  kind: place\n- name: Kremlin\n  kind: organisation\n- name: Nobody Named\n  kind: person\n",
        )
        .file(
            "content/_briefing.md",
            "---\ntitle: The week\n---\n\nTalks in Minsk: see [[older]].\n",
        )
        .file(
            "content/older.md",
            "---\ntitle: \"Talks open in Minsk\"\nslug: older\ndate: 2024-12-01T09:00:00\noutlet: The Wire\nurl: https://wire.example/talks\n---\n\nTalks opened in Minsk on Monday.\n\n## Background {#bg}\n\nThe Kremlin sent a delegation. See [above](#bg).\n",
        )
        .file(
            "content/newer.md",
            "---\ntitle: \"Talks end in Minsk\"\nslug: newer\ndate: 2024-12-05T09:00:00\n---\n\nThe talks in Minsk ended on Friday without a deal.\n\n## Background {#bg}\n\nThe Kremlin said nothing.\n",
        )
        .file(
            "annotations/older.md",
            "---\narticle: older\n---\nThe opening was routine.\n\n## \"Talks opened in Minsk\" {#open .claim claim=talks status=corroborated}\n\nConfirmed by two sources; see [[newer]].\n\n## \"sent a delegation\" {#delegation}\n\nA small one.\n",
        )
        .file(
            "annotations/newer.md",
            "---\narticle: newer\n---\n## \"ended on Friday without a deal\" {#end .claim claim=talks status=disputed}\n\nOne source says a deal was close.\n",
        );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    p
}

/// The values of attribute `name` in `html`.
fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn the_edition_is_the_whole_briefing_on_one_page() {
    let p = project();
    let index = p.read("site/index.html");
    assert!(
        index.contains("<a href=\"edition/index.html\">Print edition</a>"),
        "{index}"
    );
    let ed = p.read("site/edition/index.html");
    // the cover: title (escaped), the newest article's day, what it holds
    assert!(ed.contains("<h1 id=\"ed-title\">Desk &quot;Minsk&quot; &lt;/style&gt;</h1>"));
    assert!(
        ed.contains("As of <time datetime=\"2024-12-05T00:00:00\">5 December 2024</time>"),
        "{ed}"
    );
    assert!(ed.contains("2 articles"), "{ed}");
    assert!(ed.contains("3 analyst’s notes"), "{ed}");
    // the running head: the title as a CSS string that cannot end the style
    assert!(
        ed.contains("@top-left { content: \"Desk \\22 Minsk\\22  \\3c /style\\3e \";"),
        "{ed}"
    );
    // the summary, its link rebased from the site's root
    assert!(ed.contains("<h2 id=\"ed-summary-title\">The week</h2>"));
    assert!(ed.contains("href=\"../articles/older/index.html\""), "{ed}");
    // contents, newest first, linking to the articles' sections
    let (c1, c2) = (
        ed.find("<a href=\"#art-1\"><span class=\"ed-title\">Talks end in Minsk</span>")
            .unwrap(),
        ed.find("<a href=\"#art-2\"><span class=\"ed-title\">Talks open in Minsk</span>")
            .unwrap(),
    );
    assert!(c1 < c2);
    assert!(ed.contains("<article class=\"ed-article\" id=\"art-2\""));
    // the original's address printed, the outlet in the dateline
    assert!(ed.contains("Original: <a href=\"https://wire.example/talks\""));
    assert!(ed.contains("<span class=\"outlet\">The Wire</span>"));
    // notes as footnotes: numbered, linked both ways; no sidenotes, no
    // entity links in the text
    assert!(ed.contains("<mark class=\"fn-ref\" id=\"a2-ref-1\" data-n=\"1\" aria-details=\"a2-fn-1\">Talks opened in Minsk</mark>"), "{ed}");
    assert!(
        ed.contains(
            "<li id=\"a2-fn-2\" value=\"2\"><a class=\"ed-back\" href=\"#a2-ref-2\">2.</a>"
        ),
        "{ed}"
    );
    assert!(ed.contains("A small one."));
    assert!(ed.contains("The opening was routine."));
    assert!(ed.contains("<span class=\"ed-label\">corroborated</span>"));
    assert!(
        !ed.contains("class=\"sidenotes\"")
            && !ed.contains("class=\"entity")
            && !ed.contains("mention-")
    );
    // the articles' own ids and in-page links, prefixed
    assert!(
        ed.contains("<h2 id=\"a1-bg\">Background</h2>")
            && ed.contains("<h2 id=\"a2-bg\">Background</h2>")
    );
    assert!(ed.contains("<a href=\"#a2-bg\">above</a>"));
    // the claims: one row, both passages by article.note
    assert!(ed.contains("<tr><td>“ended on Friday without a deal”</td><td>corroborated, disputed</td><td><a href=\"#a1-fn-1\">1.1</a>, <a href=\"#a2-fn-1\">2.1</a></td></tr>"), "{ed}");
    // the index: entities named, with the articles naming them
    assert!(ed.contains("<span class=\"ed-entity\">Kremlin</span> <span class=\"ed-kind\">organisation</span> <a href=\"#art-1\">1</a>, <a href=\"#art-2\">2</a>"), "{ed}");
    assert!(!ed.contains("Nobody Named"));

    // every id once, every in-page link to one of them
    let ids = attrs(&ed, "id");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for href in attrs(&ed, "href") {
        if let Some(target) = href.strip_prefix('#') {
            assert!(unique.contains(target), "#{target} leads nowhere");
        }
    }
    for target in attrs(&ed, "aria-details") {
        assert!(
            unique.contains(target),
            "aria-details {target} leads nowhere"
        );
    }
    // and the site's link check agrees
    let r = p.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn an_empty_briefing_has_an_edition_too() {
    let p = TestProject::new();
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ed = p.read("site/edition/index.html");
    assert!(ed.contains("0 articles"), "{ed}");
    assert!(!ed.contains("ed-claims") && !ed.contains("ed-index\""));
}

/// A briefing of more articles than an edition holds prints the newest
/// ones and says how many are left out; a claim made only in an article
/// left out is not in its claims table.
#[test]
fn a_large_briefing_prints_its_newest_articles_and_says_so() {
    let max = briefing::render::edition::MAX_ARTICLES;
    let total = max + 3;
    let mut p = TestProject::new().config("title = \"Desk\"\n");
    for i in 0..total {
        // day i+1 of a long year: article 0 is the oldest
        let date = jiff::civil::date(2024, 1, 1) + jiff::Span::new().days(i as i64);
        p = p.article(
            &format!("a{i}"),
            &format!("---\ntitle: \"Story number {i}\"\nslug: a{i}\ndate: {date}T09:00:00\n---\n\nThe text of story {i}.\n"),
        );
    }
    let p = p
        .annotations(
            "a0",
            "---\narticle: a0\n---\n## \"The text of story 0\" {#old .claim claim=oldest}\n\nOnly in the oldest.\n",
        )
        .annotations(
            &format!("a{}", total - 1),
            &format!(
                "---\narticle: a{n}\n---\n## \"The text of story {n}\" {{#new .claim claim=newest}}\n\nIn the newest.\n",
                n = total - 1
            ),
        );
    p.build(&[]);
    let html = p.page("edition/index.html");
    assert!(
        html.contains(&format!(
            "The {max} newest of {total} articles; the 3 older ones are in the online briefing."
        )),
        "{html}"
    );
    assert!(html.contains(&format!("Story number {}", total - 1)));
    assert!(html.contains("Story number 3<"));
    for old in 0..3 {
        assert!(
            !html.contains(&format!("Story number {old}<")),
            "article {old} is in the edition"
        );
    }
    assert!(html.contains("In the newest."));
    assert!(!html.contains("Only in the oldest."));
    assert_eq!(html.matches("class=\"ed-article\"").count(), max);
}
