//! The live preview in a real browser (headless Chromium through
//! chromedriver and fantoccini): edits show without a manual reload, a
//! build error shows as an overlay and goes away when fixed, CSS is swapped
//! without navigation, the scroll position survives a reload, and
//! "Annotate" writes a stub. Skipped (with a printed line) when
//! `/usr/bin/chromedriver` is absent.

use crate::browser_support;
use crate::live_common;

use fantoccini::Locator;
use live_common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Poll a JavaScript expression until it is truthy (bounded).
async fn until(c: &fantoccini::Client, what: &str, js: &str) -> Value {
    let end = Instant::now() + WAIT;
    loop {
        let v = c
            .execute(&format!("return ({js});"), vec![])
            .await
            .unwrap_or(Value::Null);
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        assert!(Instant::now() < end, "timed out waiting for {what} ({js})");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

async fn until_file(path: &std::path::Path, needle: &str) -> String {
    let end = Instant::now() + WAIT;
    loop {
        if let Ok(t) = std::fs::read_to_string(path)
            && t.contains(needle)
        {
            return t;
        }
        assert!(
            Instant::now() < end,
            "timed out waiting for {needle:?} in {path:?}"
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

fn long_article(extra: &str) -> String {
    let mut s = ARTICLE_A.to_string();
    for i in 0..120 {
        s.push_str(&format!(
            "\nFiller paragraph number {i} to make the page tall.\n"
        ));
    }
    s.push_str(&format!("\n{extra}\n"));
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_preview_in_a_real_browser() {
    let Some((_session, c)) = browser_support::open("live_preview_in_a_real_browser").await else {
        return;
    };
    let dir = fixture();
    let root = dir.path().to_path_buf();
    std::fs::write(
        root.join("content/alpha.md"),
        long_article("First version."),
    )
    .unwrap();
    let mut server = Running::serve(&root);
    let url = server.url().to_string();

    let article = format!("{url}/articles/alpha/");
    c.goto(&article).await.unwrap();
    until(
        &c,
        "the page",
        "document.body.innerText.includes('First version.')",
    )
    .await;
    until(
        &c,
        "the live channel",
        "window.__briefingLive && window.__briefingLive.article === 'alpha'",
    )
    .await;

    // 1. an edit shows without a manual reload, at the same scroll position;
    //    only the page's <main> changed, so it is put in place without
    //    navigating
    c.execute(
        "window.scrollTo(0, 1200); window.__swapStayed = 'yes'; return window.scrollY;",
        vec![],
    )
    .await
    .unwrap();
    let before = until(&c, "scrolled", "window.scrollY").await;
    std::fs::write(
        root.join("content/alpha.md"),
        long_article("Second version."),
    )
    .unwrap();
    until(
        &c,
        "the new text",
        "document.body.innerText.includes('Second version.')",
    )
    .await;
    let after = until(&c, "scroll restored", "window.scrollY").await;
    assert_eq!(before, after, "scroll position kept across the reload");
    let stayed = c
        .execute("return window.__swapStayed || null;", vec![])
        .await
        .unwrap();
    assert_eq!(stayed, json!("yes"), "<main> swapped, no navigation");

    // 1b. a title edit changes more than <main> (the page's <title>): the
    //     page reloads, at the same scroll position
    std::fs::write(
        root.join("content/alpha.md"),
        long_article("Second version.").replace("Alpha report", "Alpha renamed"),
    )
    .unwrap();
    until(
        &c,
        "the new title",
        "document.title.includes('Alpha renamed') && !window.__swapStayed",
    )
    .await;
    let after = until(&c, "scroll restored", "window.scrollY").await;
    assert_eq!(before, after, "scroll position kept across the reload");

    // 2. a broken front matter shows the overlay (escaped); the last good
    //    page stays
    std::fs::write(
        root.join("content/alpha.md"),
        "---\ntitle: [<b>unclosed\n---\n\nBroken.\n",
    )
    .unwrap();
    let text = until(
        &c,
        "the error overlay",
        "document.getElementById('briefing-error-overlay') && document.getElementById('briefing-error-overlay').innerText",
    )
    .await;
    let text = text.as_str().unwrap().to_string();
    assert!(text.contains("content/alpha.md"), "{text}");
    let markup = c
        .execute(
            "return document.getElementById('briefing-error-overlay').querySelector('b') === null;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(markup, json!(true), "the overlay shows text, not markup");
    until(
        &c,
        "the last good page",
        "document.body.innerText.includes('Second version.')",
    )
    .await;

    // a page opened while the error lasts shows it too
    c.goto(&format!("{url}/")).await.unwrap();
    until(
        &c,
        "the overlay on a new page",
        "document.getElementById('briefing-error-overlay')",
    )
    .await;

    // 3. fixing it removes the overlay
    std::fs::write(
        root.join("content/alpha.md"),
        long_article("Fixed version."),
    )
    .unwrap();
    until(
        &c,
        "the overlay gone",
        "document.getElementById('briefing-error-overlay') === null",
    )
    .await;
    c.goto(&article).await.unwrap();
    until(
        &c,
        "the fixed page",
        "document.body.innerText.includes('Fixed version.')",
    )
    .await;

    // 4. a CSS edit applies without navigation
    c.execute("window.__stayed = 'yes'; return 1;", vec![])
        .await
        .unwrap();
    std::fs::write(
        root.join("static/style.css"),
        "body { color: rgb(200, 0, 0); }\n",
    )
    .unwrap();
    until(
        &c,
        "the new style",
        "getComputedStyle(document.body).color === 'rgb(200, 0, 0)'",
    )
    .await;
    let stayed = c
        .execute("return window.__stayed || null;", vec![])
        .await
        .unwrap();
    assert_eq!(stayed, json!("yes"), "no navigation for a CSS change");

    // 4b. a theme script edit reloads the page with the new script, not a
    //     copy the browser kept (the server lets theme files be cached)
    let script = std::fs::read_to_string(root.join("site/static/briefing.js")).unwrap();
    std::fs::write(
        root.join("static/briefing.js"),
        format!("{script}\nwindow.__themeScript = 'v2';\n"),
    )
    .unwrap();
    until(&c, "the new script", "window.__themeScript === 'v2'").await;

    // 5. select text, click Annotate: the stub is in the file
    c.execute("window.scrollTo(0, 0); return 1;", vec![])
        .await
        .unwrap();
    c.execute(
        r#"
        const main = document.querySelector('main');
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && !node.data.includes('first paragraph of alpha')) {}
        const at = node.data.indexOf('first paragraph of alpha');
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 'first paragraph of alpha'.length);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return 1;
        "#,
        vec![],
    )
    .await
    .unwrap();
    until(
        &c,
        "the Annotate button",
        "getComputedStyle(document.getElementById('briefing-annotate')).display === 'block'",
    )
    .await;
    c.find(Locator::Id("briefing-annotate"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let text = until_file(
        &root.join("annotations/alpha.md"),
        "## \"first paragraph of alpha\"",
    )
    .await;
    assert!(text.starts_with("---\narticle: alpha\n---\n"), "{text}");
    assert!(
        text.ends_with("\n## \"first paragraph of alpha\"\n\nNote…\n"),
        "{text}"
    );

    // 6. editing the annotation file shows the highlighted passage and the
    //    new note without a manual reload, and so does a second edit
    for note in ["A live note, first.", "A live note, second."] {
        std::fs::write(
            root.join("annotations/alpha.md"),
            format!("---\narticle: alpha\n---\n\n## \"first paragraph of alpha\" {{#live .analysis}}\n\n{note}\n"),
        )
        .unwrap();
        until(
            &c,
            "the new note",
            &format!("document.querySelector('main').textContent.includes('{note}')"),
        )
        .await;
        let mark = until(
            &c,
            "the highlighted passage",
            "document.getElementById('a-live') && document.getElementById('a-live').textContent",
        )
        .await;
        assert_eq!(mark, json!("first paragraph of alpha"));
    }
    let stale = c
        .execute(
            "return document.querySelector('main').textContent.includes('A live note, first.');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(stale, json!(false), "the old note is gone");

    let _ = c.close().await;
    server.drain();
}
