//! A real browser types a query into the search page and sees the right
//! article, and sees an entity's description when its link gets focus: headless Chromium through chromedriver, the built site served
//! under a sub-path by a tiny static file server. Skipped (with a line on
//! stdout) when chromedriver or chromium is not installed.

mod links_support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PREFIX: &str = "/some/sub/path/";

/// Serve `root` under [`PREFIX`] until the process ends.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || respond(&root, stream));
        }
    });
    port
}

fn respond(root: &Path, mut stream: TcpStream) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("");
    let found = path.strip_prefix(PREFIX).and_then(|rel| {
        if rel.split('/').any(|s| s == "..") {
            return None;
        }
        let mut p = root.join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            p = p.join("index.html");
        }
        std::fs::read(&p).ok().map(|b| (p, b))
    });
    let (status, ctype, body) = match found {
        Some((p, b)) => {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let ctype = match ext {
                "html" => "text/html; charset=utf-8",
                "js" => "text/javascript",
                "css" => "text/css",
                "json" => "application/json",
                "wasm" => "application/wasm",
                _ => "application/octet-stream",
            };
            ("200 OK", ctype, b)
        }
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium() -> Option<&'static str> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_query_finds_the_article() {
    let (Some(chrome), true) = (chromium(), Path::new(CHROMEDRIVER).exists()) else {
        println!("SKIP typing_a_query_finds_the_article: chromedriver or chromium not installed");
        return;
    };
    let dir = links_support::seeds_project();
    let site = links_support::build(dir.path(), &[]);
    let search_file = format!("file://{}/search/index.html", site.display());
    let port = serve(site);

    let driver_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let caps: serde_json::Map<String, serde_json::Value> =
        serde_json::from_value(serde_json::json!({
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }))
        .unwrap();
    // chromedriver needs a moment to listen: retry the connection, bounded
    // by attempts rather than by time.
    let mut client = None;
    for _ in 0..100 {
        match fantoccini::ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
    let client = client.expect("chromedriver did not accept a session");
    let result = async {
        use fantoccini::Locator;
        client
            .goto(&format!("http://127.0.0.1:{port}{PREFIX}search/index.html"))
            .await?;
        let input = client.find(Locator::Css("#search-input")).await?;
        input.send_keys("Zakharova").await?;
        client
            .wait()
            .for_element(Locator::Css("#search-results li a"))
            .await?;
        let mut found = Vec::new();
        for a in client
            .find_all(Locator::Css("#search-results li a"))
            .await?
        {
            found.push((a.text().await?, a.prop("href").await?.unwrap_or_default()));
        }
        // The entity preview: focusing an entity link shows its description.
        client
            .goto(&format!(
                "http://127.0.0.1:{port}{PREFIX}articles/russia-sending-hypersonic-missiles-to-venezuela/index.html"
            ))
            .await?;
        client
            .execute(
                "document.querySelector('a.entity[href$=\"entities/maria-zakharova/index.html\"]').focus()",
                vec![],
            )
            .await?;
        let pop = client
            .wait()
            .for_element(Locator::Css(".entity-popover"))
            .await?
            .text()
            .await?;
        // From file:// the page says search cannot work there.
        client.goto(&search_file).await?;
        let note = client.find(Locator::Id("search-file")).await?;
        let shown = note.is_displayed().await?;
        let disabled = client
            .find(Locator::Css("#search-input"))
            .await?
            .attr("disabled")
            .await?
            .is_some();
        Ok::<_, fantoccini::error::CmdError>((found, pop, shown && disabled))
    }
    .await;
    client.close().await.ok();
    let (found, pop, file_note) = result.unwrap();
    assert!(
        file_note,
        "the file:// note is shown and the input disabled"
    );
    assert!(pop.starts_with("Maria Zakharova"), "{pop}");
    assert!(
        pop.contains("Spokeswoman of the Russian Ministry of Foreign Affairs"),
        "{pop}"
    );
    let want = (
        "Russia Sending Hypersonic Missiles to Venezuela?".to_string(),
        format!(
            "http://127.0.0.1:{port}{PREFIX}articles/russia-sending-hypersonic-missiles-to-venezuela/index.html"
        ),
    );
    assert!(found.contains(&want), "results: {found:?}");
    // the Belarus article does not name her
    assert!(
        !found.iter().any(|(_, h)| h.contains("from-belarus")),
        "{found:?}"
    );
}
