//! Untrusted text: seeds come from the web, and notes and content files
//! are Markdown. Whatever they hold renders as text on the built pages,
//! never as markup a browser would run.

use crate::common;

use common::TestProject;

/// A saved page whose heading ends like Markdown heading attributes
/// (`{#id .class key=value}`), which pulldown-cmark would turn into
/// attributes of the heading: an event handler from the web.
const EVIL_PAGE: &str = r#"<html><head><title>Evil news story about things</title></head><body>
<article><h1>Evil news story about things</h1>
<p>The first paragraph of the story is long enough to be kept by the extractor, with several sentences. It talks about many things in detail and at length.</p>
<h2>Background {onclick=alert(1) style=color:red}</h2>
<p>Another paragraph of the story that is long enough to be kept by the extractor, with several sentences. It goes on and on about the background of the matter.</p>
<p>A third paragraph, also long enough to be kept, describing yet more things about the story in question, so that the page has a body.</p>
</article></body></html>"#;

#[test]
fn a_seed_heading_that_looks_like_attributes_stays_text() {
    let p = TestProject::new().file("seeds/evil.html", EVIL_PAGE);
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = p.read("site/articles/evil-news-story-about-things/index.html");
    assert!(
        page.contains("<h2>Background {onclick=alert(1) style=color:red}</h2>"),
        "{page}"
    );
    assert!(!page.contains(" onclick="), "{page}");
    assert!(!page.contains("color:red\""), "{page}");
}

#[test]
fn content_and_notes_get_no_attributes_or_scripts_from_markdown() {
    let p = TestProject::new()
        .file(
            "content/a.md",
            "---\ntitle: A\nslug: a\n---\n\nThe passage is here.\n\n## Section {#sec .key onmouseover=alert(1)}\n\nMore <script>alert(2)</script> text.\n",
        )
        .file(
            "annotations/a.md",
            "---\narticle: a\n---\n\n## \"The passage is here.\"\n\n### Why {onclick=alert(3)}\n\n<img src=x onerror=alert(4)> [link](javascript:alert(5))\n\n```js\nalert(6)\n```\n",
        );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = p.read("site/articles/a/index.html");
    // the analyst's id and class stay; the handler does not
    assert!(
        page.contains("<h2 id=\"sec\" class=\"key\">Section</h2>"),
        "{page}"
    );
    for bad in [
        "onmouseover=",
        "onclick=",
        "onerror=\"",
        "<script>",
        "javascript:",
        "<img src=\"x\"",
    ] {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
    assert!(
        page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("<h3>Why</h3>"), "{page}");
    // the note's code block is highlighted and closed once
    let note = page.split("class=\"note-body\"").nth(1).unwrap();
    let note = note.split("</details>").next().unwrap();
    assert_eq!(note.matches("</pre>").count(), 1, "{note}");
}
