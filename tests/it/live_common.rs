//! Shared helpers of the live-preview tests: a fixture project in a
//! tempdir, a `briefing serve`/`watch` child process that is killed on
//! drop, its log lines, and a tiny HTTP client. Every wait is bounded.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The longest any test waits for something to happen: a hang detector,
/// not a timing check (a loaded 2-core machine has taken over 10 s).
pub const WAIT: Duration = Duration::from_secs(30);

pub const ARTICLE_A: &str = "---\ntitle: \"Alpha report\"\nslug: alpha\ndate: 2024-12-06\nsummary: \"Alpha summary.\"\n---\n\nThe first paragraph of alpha mentions Oreshnik missiles.\n\nA second paragraph of alpha.\n";
pub const ARTICLE_B: &str =
    "---\ntitle: \"Beta report\"\nslug: beta\ndate: 2024-12-05\n---\n\nBeta body text.\n";

/// A fixture project: two articles, no seeds.
pub fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::write(
        p.join("briefing.toml"),
        "title = \"Test briefing\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(p.join("content")).unwrap();
    std::fs::create_dir_all(p.join("annotations")).unwrap();
    std::fs::create_dir_all(p.join("static")).unwrap();
    std::fs::write(p.join("content/alpha.md"), ARTICLE_A).unwrap();
    std::fs::write(p.join("content/beta.md"), ARTICLE_B).unwrap();
    std::fs::write(
        p.join("static/style.css"),
        "body { color: rgb(1, 2, 3); }\n",
    )
    .unwrap();
    dir
}

/// A running `briefing` child, killed on drop.
pub struct Running {
    child: Child,
    /// Lines of stderr (and the stdout `serving …` line).
    lines: Receiver<String>,
    pub log: Vec<String>,
    pub url: Option<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_briefing"))
}

impl Running {
    /// Start `briefing -C root ARGS`.
    pub fn start(root: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(bin())
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing");
        let (tx, rx) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx2.send(l);
            }
        });
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        Running {
            child,
            lines: rx,
            log: Vec::new(),
            url: None,
        }
    }

    /// Wait for the `serving URL` line (printed after the first build).
    pub fn wait_serving(&mut self) {
        let l = self.wait_line(|l| l.starts_with("serving http"));
        self.url = l
            .split_whitespace()
            .nth(1)
            .map(|u| u.trim_end_matches('/').to_string());
    }

    /// Start `briefing serve --port 0`, past its first build.
    pub fn serve(root: &Path) -> Running {
        let mut r = Running::start(root, &["serve", "--port", "0"]);
        r.wait_serving();
        r
    }

    pub fn url(&self) -> &str {
        self.url.as_deref().expect("serving")
    }

    /// Wait (bounded) for a log line matching `f`; panics with the log.
    pub fn wait_line(&mut self, f: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + WAIT;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.log.push(l.clone());
                    if f(&l) {
                        return l;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "no matching line within {WAIT:?}; log:\n{}",
                        self.log.join("\n")
                    )
                }
            }
        }
    }

    /// Lines logged during `d` (for "nothing else happened" checks).
    pub fn lines_for(&mut self, d: Duration) -> Vec<String> {
        let end = Instant::now() + d;
        let mut got = Vec::new();
        while let Ok(l) = self
            .lines
            .recv_timeout(end.saturating_duration_since(Instant::now()))
        {
            self.log.push(l.clone());
            got.push(l);
        }
        got
    }

    /// Wait for the child to exit (bounded); its exit code.
    pub fn exit_code(&mut self) -> Option<i32> {
        let end = Instant::now() + WAIT;
        while Instant::now() < end {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Everything logged so far, including lines not waited for.
    pub fn drain(&mut self) -> String {
        while let Ok(l) = self.lines.try_recv() {
            self.log.push(l);
        }
        self.log.join("\n")
    }
}

/// A minimal HTTP response.
pub struct Resp {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// Send a raw HTTP/1.1 request (the path exactly as given).
pub fn http(url: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
    let host = url.trim_start_matches("http://");
    http_to(url, Some(host), method, path, headers, body)
}

/// [`http`] with the `Host` header given (`None`: no `Host` header).
pub fn http_to(
    url: &str,
    host: Option<&str>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let mut req = format!("{method} {path} HTTP/1.1\r\n");
    if let Some(h) = host {
        req.push_str(&format!("Host: {h}\r\n"));
    }
    req.push_str(&format!(
        "Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    ));
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    raw(url, req.as_bytes())
}

/// Send `bytes` as they are to the server at `url`; its response.
pub fn raw(url: &str, bytes: &[u8]) -> Resp {
    let addr = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    // (the server may answer and close before reading a large body)
    let _ = s.write_all(bytes);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Resp {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

pub fn get(url: &str, path: &str) -> Resp {
    http(url, "GET", path, &[], "")
}

/// The preview token injected into a served page.
pub fn token_of(page: &str) -> String {
    let i = page.find("\"token\":\"").expect("token in page") + 9;
    page[i..].split('"').next().unwrap().to_string()
}

/// Poll `f` until it returns `Some` (bounded).
pub fn poll<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + WAIT;
    while Instant::now() < end {
        if let Some(t) = f() {
            return Some(t);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    None
}
