//! Real-browser check of sidenotes: beside their passage at 1400 px, folded
//! under it at 400 px. Runs headless Chromium through chromedriver with
//! fantoccini; SKIPS (prints a line, passes) when `/usr/bin/chromedriver`
//! is not installed.

use crate::browser_support;
use crate::common;

use std::path::PathBuf;

fn built_site() -> (tempfile::TempDir, PathBuf) {
    let dir = common::built_fixture("annotations/good");
    let page = dir.path().join("site/articles/alpha/index.html");
    (dir, page)
}

const MEASURE: &str = r#"
const m = document.getElementById('a-intercept');
const n = document.getElementById('n-intercept');
const p = m.closest('p').getBoundingClientRect();
const mr = m.getBoundingClientRect();
const nr = n.getBoundingClientRect();
const nb = n.querySelector('.note-body');
const body = nb.getBoundingClientRect();
const shown = nb.checkVisibility ? nb.checkVisibility() : body.height > 0;
return {
  mark_top: mr.top, p_right: p.right, p_bottom: p.bottom,
  note_left: nr.left, note_top: nr.top,
  open: n.querySelector('details').open, body_shown: shown,
  width: window.innerWidth
};
"#;

#[tokio::test]
async fn sidenotes_sit_beside_wide_and_fold_narrow() {
    let (_dir, page) = built_site();
    let Some((_session, client)) =
        browser_support::open("sidenotes_sit_beside_wide_and_fold_narrow").await
    else {
        return;
    };
    let file_url = format!("file://{}", page.display());

    let measure = |c: &fantoccini::Client| {
        let c = c.clone();
        async move {
            let v = c.execute(MEASURE, vec![]).await.unwrap();
            let f = |k: &str| v[k].as_f64().unwrap();
            (
                f("mark_top"),
                f("p_right"),
                f("p_bottom"),
                f("note_left"),
                f("note_top"),
                v["open"].as_bool().unwrap(),
                v["body_shown"].as_bool().unwrap(),
                f("width"),
            )
        }
    };

    client.set_window_size(1400, 1000).await.unwrap();
    client.goto(&file_url).await.unwrap();
    let wide = measure(&client).await;
    client.set_window_size(400, 900).await.unwrap();
    client.goto(&file_url).await.unwrap();
    let narrow = measure(&client).await;
    // close before asserting, so a failure does not leave a browser behind
    let _ = client.close().await;

    let (mark_top, p_right, p_bottom, note_left, note_top, open, shown, width) = wide;
    assert!(width >= 1200.0, "viewport {width}");
    assert!(
        note_left >= p_right,
        "note at {note_left}, paragraph ends at {p_right}"
    );
    assert!(
        note_top < p_bottom,
        "note top {note_top} below paragraph {p_bottom}"
    );
    assert!(
        (note_top - mark_top).abs() < 200.0,
        "note {note_top} far from mark {mark_top}"
    );
    assert!(open && shown, "note folded on a wide screen");

    let (_, _, p_bottom, _, note_top, open, shown, width) = narrow;
    assert!(width < 1200.0, "viewport {width}");
    assert!(
        note_top >= p_bottom,
        "note {note_top} not under paragraph {p_bottom}"
    );
    assert!(
        !open && !shown,
        "note not folded on a narrow screen: open={open}"
    );
}
