//! Real-browser check of entity previews: no link on an article page
//! carries its entity's description; pointing at one (keyboard focus here)
//! — a mention in the text, a chip of "Named in this article" — loads
//! `entities/previews.js` once (not before: a reader who never points at
//! an entity never loads it) and shows the popover with the description
//! and the kind, from `file://`. Runs headless Chromium through
//! chromedriver with fantoccini; SKIPS (prints a line, passes) when
//! `/usr/bin/chromedriver` is not installed.

use crate::browser_support;
use crate::common;

/// Focus the `nth` element matching `css`, wait (up to 5 s) for the
/// popover, and return its text, whether the element is described by it,
/// whether any entity link still has a native tooltip and how many
/// previews scripts the page has loaded.
const FOCUS: &str = r#"
const [css, nth, done] = arguments;
const a = document.querySelectorAll(css)[nth];
const loaded = () => document.querySelectorAll('script[src$="entities/previews.js"]').length;
const before = loaded();
a.focus();
const t0 = Date.now();
(function poll() {
  const pop = document.getElementById('entity-popover');
  if (!pop && Date.now() - t0 < 5000) return setTimeout(poll, 20);
  const out = {
    pop: pop ? pop.textContent : null,
    described: a.getAttribute('aria-describedby'),
    titles: document.querySelectorAll('a[id^="mention-"][title], .entity-chips a[title]').length,
    before: before,
    scripts: loaded()
  };
  a.blur();
  done(out);
})();
"#;

#[tokio::test]
async fn every_link_to_an_entity_shows_its_preview() {
    let dir = common::built_fixture("links/basic");
    let page = dir.path().join("site/articles/alpha/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // the page holds no description: entities/previews.js does
    assert!(!html.contains("Capital of Belarus."), "{html}");
    assert!(
        std::fs::read_to_string(dir.path().join("site/entities/previews.js"))
            .unwrap()
            .contains("Capital of Belarus.")
    );

    let Some((_session, client)) =
        browser_support::open("every_link_to_an_entity_shows_its_preview").await
    else {
        return;
    };
    let file_url = format!("file://{}", page.display());
    client.set_window_size(1200, 900).await.unwrap();
    client.goto(&file_url).await.unwrap();
    let mut seen = Vec::new();
    for (css, nth) in [
        (
            "a[id^=\"mention-\"][href$=\"entities/minsk/index.html\"]",
            0,
        ),
        (".entity-chips a[href$=\"entities/minsk/index.html\"]", 0),
    ] {
        let v = client
            .execute_async(FOCUS, vec![css.into(), nth.into()])
            .await
            .unwrap();
        seen.push(v);
    }
    // close before asserting, so a failure does not leave a browser behind
    let _ = client.close().await;
    for v in &seen {
        let pop = v["pop"].as_str().unwrap_or_default();
        assert!(pop.starts_with("Minsk"), "{v}");
        assert!(
            pop.contains("place") && pop.contains("Capital of Belarus."),
            "{v}"
        );
        assert_eq!(v["described"], "entity-popover", "{v}");
        assert_eq!(v["titles"], 0, "no native tooltips: {v}");
        // loaded when first pointed at, and once
        assert_eq!(v["scripts"], 1, "{v}");
    }
    assert_eq!(seen[0]["before"], 0, "not loaded before: {}", seen[0]);
}

/// The styles of a page's entity mentions, which they get by their
/// `mention-` anchor (a first mention has no class): a linked one is a
/// quiet link (the text's colour), a targeted one (an entity page links
/// an article's first mention of it) is highlighted and clear of the top
/// of the window.
const STYLES: &str = r#"
const linked = document.getElementById('mention-vladimir-putin-1');
const targeted = document.getElementById('mention-minsk-1');
const s = (el) => getComputedStyle(el);
return {
  linked_color: s(linked).color,
  text_color: s(linked.parentElement).color,
  linked_background: s(linked).backgroundColor,
  targeted_tag: targeted.tagName,
  targeted_background: s(targeted).backgroundColor,
  targeted_margin: s(targeted).scrollMarginTop
};
"#;

#[tokio::test]
async fn mentions_are_quiet_links_and_highlighted_when_targeted() {
    let dir = common::built_fixture("links/basic");
    let page = dir.path().join("site/articles/alpha/index.html");
    let Some((_session, client)) =
        browser_support::open("mentions_are_quiet_links_and_highlighted_when_targeted").await
    else {
        return;
    };
    let url = format!("file://{}#mention-minsk-1", page.display());
    client.set_window_size(1200, 900).await.unwrap();
    client.goto(&url).await.unwrap();
    let v = client.execute(STYLES, vec![]).await.unwrap();
    let _ = client.close().await;
    assert_eq!(v["linked_color"], v["text_color"], "{v}");
    assert_eq!(v["linked_background"], "rgba(0, 0, 0, 0)", "{v}");
    assert_eq!(v["targeted_tag"], "A", "{v}");
    assert_ne!(v["targeted_background"], "rgba(0, 0, 0, 0)", "{v}");
    assert_ne!(v["targeted_margin"], "0px", "{v}");
}
