//! A headless Chromium session for the browser tests: chromedriver on a
//! free port, a fresh profile, and a fantoccini client. Browser tests skip
//! (printing a line, passing) when chromedriver or chromium is not
//! installed; CI installs both.
//!
//! All integration tests share one process, so browser tests take turns:
//! a [`Session`] holds [`TURN`] for as long as its browser runs (several
//! Chromiums at once on a 2-core machine only slow each other down, and
//! the live-preview test waits on page loads).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Ends what a test started, even when it fails: the browser processes
/// using its fresh profile directory (found by that unique path), then
/// chromedriver.
pub struct Session {
    child: Child,
    profile: tempfile::TempDir,
    /// Released after the browser is gone (fields drop after `drop`).
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

/// One browser at a time (see the module doc). A tokio mutex, so waiting
/// for it does not block a test's runtime, and a test that fails while
/// holding it does not poison it for the others.
static TURN: std::sync::LazyLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
    std::sync::LazyLock::new(Default::default);

impl Drop for Session {
    fn drop(&mut self) {
        let marker = format!("--user-data-dir={}", self.profile.path().display());
        if let Ok(procs) = std::fs::read_dir("/proc") {
            for p in procs.flatten() {
                let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let cmd = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
                if cmd.split(|&b| b == 0).any(|a| a == marker.as_bytes()) {
                    let _ = Command::new("kill").arg(pid.to_string()).status();
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Start chromedriver and open a headless Chromium session; `None`, after
/// printing a SKIP line naming `test`, when the browser is not installed.
/// Keep the [`Session`] alive as long as the client.
pub async fn open(test: &str) -> Option<(Session, fantoccini::Client)> {
    let (Some(chrome), true) = (chromium(), Path::new(CHROMEDRIVER).exists()) else {
        println!(
            "SKIP {test}: chromedriver or chromium not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let turn = TURN.clone().lock_owned().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let session = Session {
        child: Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
        profile: tempfile::tempdir().unwrap(),
        _turn: turn,
    };
    let caps: serde_json::Map<String, serde_json::Value> =
        serde_json::from_value(serde_json::json!({
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run",
                    format!("--user-data-dir={}", session.profile.path().display()),
                ]
            }
        }))
        .unwrap();
    // chromedriver needs a moment to listen: retry, bounded by attempts
    for _ in 0..100 {
        match fantoccini::ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Some((session, c)),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not accept a session");
}

/// A Chrome DevTools Protocol command sent through chromedriver's
/// `goog/cdp/execute` endpoint (emulating dark mode or print media in the
/// same session).
#[derive(Debug)]
#[allow(dead_code)]
pub struct Cdp {
    pub method: &'static str,
    pub params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.method, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Emulate a media type (`""`, `"print"`) and colour scheme (`"light"`,
/// `"dark"`) for the pages of this session.
#[allow(dead_code)]
pub async fn emulate(
    client: &fantoccini::Client,
    media: &str,
    scheme: &str,
) -> Result<(), fantoccini::error::CmdError> {
    client
        .issue_cmd(Cdp {
            method: "Emulation.setEmulatedMedia",
            params: serde_json::json!({
                "media": media,
                "features": [{"name": "prefers-color-scheme", "value": scheme}]
            }),
        })
        .await
        .map(|_| ())
}
