//! Real-browser check of sidenotes: beside their passage at 1400 px, folded
//! under it at 400 px. Runs headless Chromium through chromedriver with
//! fantoccini; SKIPS (prints a line, passes) when `/usr/bin/chromedriver`
//! is not installed.

mod common;

use assert_cmd::Command;
use common::copy_dir;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Ends what the test started, even when it fails: the browser processes
/// that use our fresh profile directory (found by that unique path), then
/// the chromedriver child.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let marker = format!("--user-data-dir={}", self.profile.display());
        if let Ok(procs) = std::fs::read_dir("/proc") {
            for p in procs.flatten() {
                let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let cmd = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
                if cmd.split(|&b| b == 0).any(|a| a == marker.as_bytes()) {
                    let _ = std::process::Command::new("kill")
                        .arg(pid.to_string())
                        .status();
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn built_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/annotations/good");
    copy_dir(&fx, dir.path());
    Command::cargo_bin("briefing")
        .unwrap()
        .arg("-C")
        .arg(dir.path())
        .arg("build")
        .assert()
        .success();
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
    if !Path::new(CHROMEDRIVER).exists() {
        println!("skipped: {CHROMEDRIVER} is not installed");
        return;
    }
    let (_dir, page) = built_site();
    let profile = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver {
        child: std::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
        profile: profile.path().to_path_buf(),
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    // wait for chromedriver to accept connections (bounded retries)
    let url = format!("http://127.0.0.1:{port}");
    let mut client = None;
    for _ in 0..100 {
        match fantoccini::ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    let client = client.expect("connect to chromedriver");
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
