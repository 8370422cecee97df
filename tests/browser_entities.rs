//! Real-browser check of entity previews: only an entity's first link of a
//! page carries its description (`title`), yet focusing any link to it —
//! a later mention in the text, a chip of "Named in this article" — shows
//! the popover with the description and the kind. Runs headless Chromium
//! through chromedriver with fantoccini; SKIPS (prints a line, passes) when
//! `/usr/bin/chromedriver` is not installed.

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

/// Focus the `nth` element matching `css` and return the popover's text
/// and whether any entity link still has a native tooltip.
const FOCUS: &str = r#"
const [css, nth] = arguments;
const a = document.querySelectorAll(css)[nth];
a.focus();
const pop = document.getElementById('entity-popover');
return {
  pop: pop ? pop.textContent : null,
  described: a.getAttribute('aria-describedby'),
  titles: document.querySelectorAll('a.entity[title], .entity-chips a[title]').length
};
"#;

#[tokio::test]
async fn every_link_to_an_entity_shows_its_preview() {
    if !Path::new(CHROMEDRIVER).exists() {
        println!("skipped: {CHROMEDRIVER} is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links/basic");
    copy_dir(&fx, dir.path());
    Command::cargo_bin("briefing")
        .unwrap()
        .arg("-C")
        .arg(dir.path())
        .arg("build")
        .assert()
        .success();
    let page = dir.path().join("site/articles/alpha/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // the second paragraph's Minsk link has no title of its own
    assert_eq!(
        html.matches("href=\"../../entities/minsk/index.html\" id=")
            .count(),
        2
    );
    assert_eq!(html.matches("title=\"Capital of Belarus.\"").count(), 1);

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
    client.set_window_size(1200, 900).await.unwrap();
    client.goto(&file_url).await.unwrap();
    let mut seen = Vec::new();
    for (css, nth) in [
        ("a.entity[href$=\"entities/minsk/index.html\"]", 0),
        ("a.entity[href$=\"entities/minsk/index.html\"]", 1),
        (".entity-chips a[href$=\"entities/minsk/index.html\"]", 0),
    ] {
        let v = client
            .execute(FOCUS, vec![css.into(), nth.into()])
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
        assert_eq!(v["titles"], 0, "the script replaces native tooltips: {v}");
    }
}
