//! bench_live: measure the live preview's latency — from saving a file to
//! the new text visible in a headless Chromium page — and print the median.
//! Run through `scripts/bench-live.sh`; a measurement, never a test.
//!
//! ```text
//! bench_live --bin target/release/briefing --project DIR --slug SLUG \
//!            [--edit content|annotation] [--file REL] [--runs 15] \
//!            [--save in-place|rename]
//! ```
//!
//! `--save rename` writes a temporary file beside the file and renames it
//! over the file (as editors that save atomically do); the default writes
//! the file in place.
//!
//! Each run appends a uniquely marked sentence to the article's content
//! file (or to the first note of its annotation file), notes the wall-clock
//! time just before the write, waits until the marker is in the page's
//! text, and takes the time the reloaded page finished loading its DOM
//! (`performance.timeOrigin + domContentLoadedEventEnd`) or, when the
//! preview put the page's new `<main>` in place without a reload, the
//! animation frame after it (`window.__briefingSwappedAt`, set by the
//! preview client), so the polling interval does not count.

use fantoccini::ClientBuilder;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: bench_live --bin BRIEFING --project DIR --slug SLUG [--edit content|annotation] [--file REL] [--runs N] [--save in-place|rename]";
    let (Some(bin), Some(project), Some(slug)) = (
        arg(&args, "--bin"),
        arg(&args, "--project"),
        arg(&args, "--slug"),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let edit = arg(&args, "--edit").unwrap_or_else(|| "content".into());
    let rename = arg(&args, "--save").is_some_and(|s| s == "rename");
    let runs: usize = arg(&args, "--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let project = PathBuf::from(project);
    // `--file REL`: the file to edit when it is not named after the slug
    // (the seeds' annotation files are not)
    let file = match (edit.as_str(), arg(&args, "--file")) {
        ("content" | "annotation", Some(rel)) => project.join(rel),
        ("content", None) => project.join(format!("content/{slug}.md")),
        ("annotation", None) => project.join(format!("annotations/{slug}.md")),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let original = std::fs::read_to_string(&file).expect("the file to edit");

    // the preview
    let mut serve = Command::new(&bin)
        .arg("-C")
        .arg(&project)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start briefing serve");
    let out = BufReader::new(serve.stdout.take().unwrap());
    let err = serve.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        BufReader::new(err)
            .lines()
            .map_while(Result::ok)
            .filter(|l| {
                std::env::var_os("BENCH_DETAIL").is_some()
                    || l.starts_with("rebuilt")
                    || l.starts_with("build failed")
            })
            .map(|l| {
                if std::env::var_os("BENCH_DETAIL").is_some() {
                    format!("{:.0} {l}", now_ms())
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
    });
    let _serve = Kill(serve);
    let url = out
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("serving ")
                .map(|u| u.split(' ').next().unwrap().to_string())
        })
        .expect("the serving line");

    // the browser
    let port = free_port();
    let driver = Kill(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver"),
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "args": [
            "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            format!("--user-data-dir={}", profile.path().display()),
        ]}),
    );
    let c = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    c.goto(&format!("{url}articles/{slug}/")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut samples = Vec::new();
    for run in 0..runs {
        let marker = format!("Livemarker{run}x{}", std::process::id());
        let text = match edit.as_str() {
            "content" => format!("{original}\n{marker} appears here.\n"),
            _ => match original.find("\n## ") {
                // in the first note's text
                Some(i) => {
                    let j = original[i + 4..]
                        .find("\n\n")
                        .map(|j| i + 4 + j + 2)
                        .unwrap_or(original.len());
                    format!("{}{marker} ", &original[..j]) + &original[j..]
                }
                None => format!("{original}\n{marker}\n"),
            },
        };
        // (a swap of <main> sets it again; a reload forgets it)
        c.execute("window.__briefingSwappedAt = 0; return 1;", vec![])
            .await
            .unwrap();
        let t0 = now_ms();
        if rename {
            let tmp = file.with_extension("md.bench-tmp");
            std::fs::write(&tmp, &text).unwrap();
            std::fs::rename(&tmp, &file).unwrap();
        } else {
            std::fs::write(&file, &text).unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let js = format!(
            "if (!document.body || !document.body.textContent.includes('{marker}')) return null; \
             if (window.__briefingSwappedAt === 0) return null; \
             if (window.__briefingSwappedAt) return window.__briefingSwappedAt; \
             const n = performance.getEntriesByType('navigation')[0]; \
             return performance.timeOrigin + (n.domContentLoadedEventEnd || performance.now());"
        );
        let seen = loop {
            if let Ok(Value::Number(n)) = c.execute(&js, vec![]).await {
                break n.as_f64();
            }
            if Instant::now() > deadline {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        if std::env::var_os("BENCH_DETAIL").is_some() {
            let d = c
                .execute(
                    "const n = performance.getEntriesByType('navigation')[0]; \
                     return [n.requestStart, n.responseEnd, n.domInteractive, n.domContentLoadedEventEnd, \
                     performance.getEntriesByType('resource').map(r => [r.name.split('/').pop(), Math.round(r.startTime), Math.round(r.responseEnd)])];",
                    vec![],
                )
                .await
                .unwrap_or(Value::Null);
            eprintln!(
                "  navigation [requestStart, responseEnd, domInteractive, dclEnd, resources] = {d}"
            );
        }
        match seen {
            Some(t) => {
                let ms = t - t0;
                eprintln!("run {run}: {ms:.1} ms");
                samples.push(ms);
            }
            None => {
                eprintln!(
                    "run {run}: the marker never appeared (is this kind of edit rendered? \
                     is another preview writing the same site/?)"
                );
            }
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    std::fs::write(&file, &original).unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let _ = c.close().await;
    drop(driver);
    drop(_serve);
    let rebuilds = log.join().unwrap_or_default();
    if std::env::var_os("BENCH_DETAIL").is_some() {
        for l in &rebuilds {
            eprintln!("  server: {l}");
        }
    }
    if let Some(l) = rebuilds.iter().rev().nth(1) {
        eprintln!("server log, a typical rebuild: {l}");
    }
    if samples.is_empty() {
        println!("no samples");
        std::process::exit(1);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let median = samples[samples.len() / 2];
    let p90 = samples[(samples.len() * 9 / 10).min(samples.len() - 1)];
    println!(
        "{edit} edit ({}) → visible: median {median:.1} ms, p90 {p90:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        if rename { "rename" } else { "in place" },
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}
