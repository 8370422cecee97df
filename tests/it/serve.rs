//! Live preview without a browser: editor save patterns give exactly one
//! rebuild of the right thing, incremental rebuilds touch only what a
//! change affects, the reload channel's protocol, the annotate endpoint,
//! and server hygiene. Every wait is bounded (see `live_common`).

use crate::live_common;

use live_common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// How long to listen for a second, unwanted rebuild.
const SETTLE: Duration = Duration::from_millis(700);

fn is_rebuild(l: &str) -> bool {
    l.starts_with("rebuilt ") || l.starts_with("build failed")
}

/// Start `briefing watch` and wait for its first build.
fn watching(root: &Path) -> Running {
    let mut r = Running::start(root, &["watch"]);
    r.wait_line(|l| l.starts_with("watching for changes"));
    r
}

/// After an edit: exactly one rebuild line, which it returns.
fn one_rebuild(r: &mut Running) -> String {
    let line = r.wait_line(is_rebuild);
    let more: Vec<String> = r
        .lines_for(SETTLE)
        .into_iter()
        .filter(|l| is_rebuild(l))
        .collect();
    assert!(
        more.is_empty(),
        "more than one rebuild: {line} then {more:?}"
    );
    line
}

const NEW_A: &str = "---\ntitle: \"Alpha report\"\nslug: alpha\ndate: 2024-12-06\nsummary: \"Alpha summary.\"\n---\n\nThe first paragraph of alpha mentions Oreshnik missiles.\n\nA second paragraph, edited.\n";

fn assert_alpha_body_rebuild(line: &str) {
    assert!(
        line.starts_with("rebuilt articles/alpha/") && line.contains("(content/alpha.md changed)"),
        "{line}"
    );
    assert!(!line.contains("beta"), "{line}");
}

#[test]
fn save_by_rename_from_temp_file_rebuilds_once() {
    let dir = fixture();
    let mut r = watching(dir.path());
    // JetBrains: write `x___jb_tmp___`, rename it over the file
    let tmp = dir.path().join("content/alpha.md___jb_tmp___");
    std::fs::write(&tmp, NEW_A).unwrap();
    std::fs::rename(&tmp, dir.path().join("content/alpha.md")).unwrap();
    assert_alpha_body_rebuild(&one_rebuild(&mut r));
    let page = std::fs::read_to_string(dir.path().join("site/articles/alpha/index.html")).unwrap();
    assert!(page.contains("A second paragraph, edited."));
}

#[test]
fn save_by_rename_from_any_temp_name_rebuilds_only_the_file() {
    let dir = fixture();
    let mut r = watching(dir.path());
    // an editor whose temporary the watcher does not know by name: it came
    // and went within the save, so only the file itself changed
    let tmp = dir.path().join("content/alpha.md.save-42");
    std::fs::write(&tmp, NEW_A).unwrap();
    std::fs::rename(&tmp, dir.path().join("content/alpha.md")).unwrap();
    let line = one_rebuild(&mut r);
    assert_alpha_body_rebuild(&line);
    assert!(line.contains("(content/alpha.md changed)"), "{line}");
}

#[test]
fn backup_then_write_rebuilds_once() {
    let dir = fixture();
    let mut r = watching(dir.path());
    // vim `backupcopy=no` / helix: move the file to a backup, write a new
    // one, delete the backup
    let f = dir.path().join("content/alpha.md");
    let bak = dir.path().join("content/alpha.md~");
    std::fs::rename(&f, &bak).unwrap();
    std::fs::write(&f, NEW_A).unwrap();
    std::fs::remove_file(&bak).unwrap();
    assert_alpha_body_rebuild(&one_rebuild(&mut r));
    // a slow editor (fsync between the steps): the moment the file is
    // missing is not a deletion
    std::fs::rename(&f, &bak).unwrap();
    std::thread::sleep(Duration::from_millis(60));
    std::fs::write(&f, ARTICLE_A).unwrap();
    std::fs::remove_file(&bak).unwrap();
    assert_alpha_body_rebuild(&one_rebuild(&mut r));
}

#[test]
fn vim_probe_file_and_swap_files_do_not_rebuild() {
    let dir = fixture();
    let mut r = watching(dir.path());
    // vim's write probe and swap file, then the write itself
    let probe = dir.path().join("content/4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    std::fs::write(dir.path().join("content/.alpha.md.swp"), "swap").unwrap();
    std::fs::write(dir.path().join("content/alpha.md"), NEW_A).unwrap();
    assert_alpha_body_rebuild(&one_rebuild(&mut r));
    // only ignored files: nothing at all
    std::fs::write(dir.path().join("content/.alpha.md.swp"), "swap 2").unwrap();
    std::fs::write(dir.path().join("content/4913"), "").unwrap();
    std::fs::write(dir.path().join("annotations/x.md.bck"), "").unwrap();
    let lines = r.lines_for(SETTLE);
    assert!(!lines.iter().any(|l| is_rebuild(l)), "{lines:?}");
}

#[test]
fn saving_identical_bytes_rebuilds_nothing() {
    let dir = fixture();
    let mut r = watching(dir.path());
    std::fs::write(dir.path().join("content/alpha.md"), ARTICLE_A).unwrap();
    std::fs::write(dir.path().join("site/index.html.unrelated"), "x").unwrap();
    let lines = r.lines_for(SETTLE);
    assert!(!lines.iter().any(|l| is_rebuild(l)), "{lines:?}");
}

#[test]
fn css_edit_copies_only_that_file() {
    let dir = fixture();
    let mut r = watching(dir.path());
    std::fs::write(
        dir.path().join("static/style.css"),
        "body { color: red; }\n",
    )
    .unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("rebuilt static/style.css (static/style.css changed)"),
        "{line}"
    );
    let css = std::fs::read_to_string(dir.path().join("site/static/style.css")).unwrap();
    assert_eq!(css, "body { color: red; }\n");
}

#[test]
fn template_edit_rerenders_the_pages_using_it() {
    let dir = fixture();
    let mut r = watching(dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Lost here</p>{% endblock content %}",
    )
    .unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("rebuilt 404.html (templates/404.html changed)"),
        "{line}"
    );
    let page = std::fs::read_to_string(dir.path().join("site/404.html")).unwrap();
    assert!(page.contains("Lost here"));
}

#[test]
fn title_edit_rerenders_the_index_too() {
    let dir = fixture();
    let mut r = watching(dir.path());
    let text = ARTICLE_A.replace("Alpha report", "Alpha, retitled");
    std::fs::write(dir.path().join("content/alpha.md"), text).unwrap();
    let line = one_rebuild(&mut r);
    assert!(line.contains("(content/alpha.md changed)"), "{line}");
    let index = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(index.contains("Alpha, retitled"));
}

#[test]
fn a_new_article_gets_its_page_and_a_deleted_one_loses_it() {
    let dir = fixture();
    let mut r = watching(dir.path());
    std::fs::write(
        dir.path().join("content/gamma.md"),
        ARTICLE_B.replace("beta", "gamma").replace("Beta", "Gamma"),
    )
    .unwrap();
    one_rebuild(&mut r);
    assert!(dir.path().join("site/articles/gamma/index.html").is_file());
    std::fs::remove_file(dir.path().join("content/gamma.md")).unwrap();
    one_rebuild(&mut r);
    assert!(!dir.path().join("site/articles/gamma/index.html").exists());
}

#[test]
fn the_watch_log_never_mentions_site_or_target() {
    let dir = fixture();
    let mut r = watching(dir.path());
    for d in ["site", "target", ".briefing"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
        std::fs::write(dir.path().join(d).join("x.md"), "x").unwrap();
    }
    let lines = r.lines_for(SETTLE);
    assert!(!lines.iter().any(|l| is_rebuild(l)), "{lines:?}");
}

/// An SSE connection to the preview: events as `(name, data)`.
/// The event stream of a page, past its first event (the build number).
fn events(url: &str) -> Receiver<(String, String)> {
    events_at(url).0
}

/// The event stream of a page and the build number it opened with.
fn events_at(url: &str) -> (Receiver<(String, String)>, u64) {
    let host = url.trim_start_matches("http://").to_string();
    let mut s = TcpStream::connect(&host).unwrap();
    write!(
        s,
        "GET /__briefing/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for l in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = l.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = l.strip_prefix("data: ")
                && tx.send((name.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    let (name, data) = next_event(&rx);
    assert_eq!(name, "build", "the first event is the build number");
    let n = data
        .strip_prefix(r#"{"build":"#)
        .and_then(|d| d.strip_suffix('}'))
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("a build number: {data}"));
    (rx, n)
}

/// The next event but `drift` (the list of drifted quotes, sent on
/// connect and when it changes; `drifted_quotes_reach_the_page` checks it).
fn next_event(rx: &Receiver<(String, String)>) -> (String, String) {
    loop {
        let e = rx.recv_timeout(WAIT).expect("an event within the wait");
        if e.0 != "drift" {
            return e;
        }
    }
}

#[test]
fn drifted_quotes_reach_the_page() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let rx = events(r.url());
    // on connect: the state, then the (empty) list of drifted quotes
    let mut got = Vec::new();
    while got.len() < 2 {
        got.push(rx.recv_timeout(WAIT).expect("an event within the wait"));
    }
    assert_eq!(got[0].0, "ok", "{got:?}");
    assert_eq!(
        got[1],
        ("drift".to_string(), r#"{"drifts":[]}"#.to_string())
    );
}

#[test]
fn reload_events_follow_writes_and_errors_reach_new_pages() {
    let dir = fixture();
    let mut r = Running::serve(dir.path());
    // first the number of builds that changed files, then the state
    let (rx, first) = events_at(r.url());
    assert_eq!(next_event(&rx).0, "ok");
    std::fs::write(dir.path().join("content/alpha.md"), NEW_A).unwrap();
    // the edited article's page is announced as soon as it is written,
    // the pages showing it (the edition) after them
    let (name, data) = next_event(&rx);
    assert_eq!(name, "reload");
    assert_eq!(
        data,
        r#"{"pages":["articles/alpha/index.html"],"assets":[]}"#
    );
    // the page is on disk when the event arrives
    let page = get(r.url(), "/articles/alpha/");
    assert!(page.body.contains("A second paragraph, edited."));
    let (name, data) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(!data.contains("articles/alpha/"), "announced once: {data}");
    assert!(!data.contains("beta"), "{data}");
    // ... and the page says which build it is from, as a page connecting
    // now hears (the page's own, or the edition's after it)
    let build = |n: u64| page.body.contains(&format!(r#""build":{n}"#));
    assert!(
        build(first + 1) || build(first + 2),
        "a page knows its build"
    );
    r.wait_line(is_rebuild);
    let (_, built) = events_at(r.url());
    assert_eq!(built, first + 2, "two announcements");

    std::fs::write(
        dir.path().join("content/alpha.md"),
        "---\ntitle: [unclosed\n---\n\n<script>x</script>\n",
    )
    .unwrap();
    let (name, data) = next_event(&rx);
    assert_eq!(name, "error", "{data}");
    assert!(data.contains("content/alpha.md"), "{data}");
    assert!(data.contains("\"line\""), "{data}");
    // a page opened now learns about the error at once
    let (late, now) = events_at(r.url());
    assert_eq!(now, built, "a failed build changes no file");
    assert_eq!(next_event(&late).0, "error");
    // the last good site is still served
    assert!(get(r.url(), "/articles/alpha/").body.contains("edited."));

    std::fs::write(dir.path().join("content/alpha.md"), ARTICLE_A).unwrap();
    assert_eq!(next_event(&rx).0, "ok");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(data.contains("articles/alpha/index.html"), "{data}");
    assert_eq!(next_event(&late).0, "ok");
    r.drain();
}

#[test]
fn css_change_is_announced_as_an_asset() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let rx = events(r.url());
    assert_eq!(next_event(&rx).0, "ok");
    std::fs::write(dir.path().join("static/style.css"), "body{}\n").unwrap();
    let (name, data) = next_event(&rx);
    assert_eq!(name, "reload");
    assert_eq!(data, r#"{"pages":[],"assets":["static/style.css"]}"#);
}

#[test]
fn server_serves_only_site_with_get_and_head() {
    let dir = fixture();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let r = Running::serve(dir.path());
    let url = r.url();
    let index = get(url, "/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("Alpha report"));
    assert!(index.body.contains("window.__briefingLive="));
    assert!(index.headers.contains("content-type: text/html"));
    assert_eq!(get(url, "/articles/alpha/").status, 200);
    let redirect = get(url, "/articles/alpha");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /articles/alpha/"));
    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/%2e%2e%2fsecret.txt",
        "/../secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/.briefing/clean.json",
        "/no/such/page",
    ] {
        let resp = get(url, bad);
        assert_eq!(resp.status, 404, "{bad}");
        assert!(!resp.body.contains("secret"), "{bad}");
        assert!(resp.body.contains("Page not found"), "{bad}: 404.html");
    }
    for m in ["POST", "PUT", "DELETE", "PATCH"] {
        assert_eq!(http(url, m, "/", &[], "").status, 405, "{m}");
    }
    let head = http(url, "HEAD", "/static/style.css", &[], "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let css = get(url, "/static/style.css");
    assert!(css.headers.contains("content-type: text/css"));
    // theme files may be cached a minute (the client refreshes changed
    // ones); pages never
    assert!(
        css.headers.contains("cache-control: max-age=60"),
        "{}",
        css.headers
    );
    assert!(
        index.headers.contains("cache-control: no-store"),
        "{}",
        index.headers
    );
    assert!(
        !css.body.contains("__briefingLive"),
        "scripts go into HTML only"
    );
    // the client is never written into site/
    let on_disk = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(!on_disk.contains("__briefingLive"));
}

/// POST to the annotate endpoint as the preview's own page does (its
/// Origin, JSON), with `token` and `extra` headers.
fn annotate(url: &str, token: &str, extra: &[(&str, &str)], body: &str) -> Resp {
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("X-Briefing-Token", token),
        ("Origin", url),
    ];
    headers.extend_from_slice(extra);
    http(url, "POST", "/__briefing/annotate", &headers, body)
}

#[test]
fn annotate_endpoint_needs_the_token_and_a_real_article() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    let token = token_of(&get(url, "/articles/alpha/").body);
    let post = |tok: &str, body: &str| annotate(url, tok, &[], body);
    let body = r#"{"slug":"alpha","quote":"first paragraph\nof alpha"}"#;
    assert_eq!(post("wrong", body).status, 403);
    assert_eq!(
        http(url, "POST", "/__briefing/annotate", &[], body).status,
        403
    );
    assert_eq!(
        post(&token, r#"{"slug":"../../etc","quote":"q"}"#).status,
        400
    );
    assert_eq!(post(&token, r#"{"slug":"nope","quote":"q"}"#).status, 404);
    assert_eq!(get(url, "/__briefing/annotate").status, 405);
    assert!(!dir.path().join("annotations/alpha.md").exists());
    let created = post(&token, body);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body, r#"{"file":"annotations/alpha.md"}"#);
    let text = std::fs::read_to_string(dir.path().join("annotations/alpha.md")).unwrap();
    assert_eq!(
        text,
        "---\narticle: alpha\n---\n\n## \"first paragraph of alpha\"\n\nNote…\n"
    );
    assert_eq!(
        post(&token, r#"{"slug":"alpha","quote":"second"}"#).status,
        201
    );
    let text = std::fs::read_to_string(dir.path().join("annotations/alpha.md")).unwrap();
    assert!(
        text.ends_with("Note…\n\n## \"second\"\n\nNote…\n"),
        "{text}"
    );
}

#[test]
fn annotate_endpoint_writes_only_quotes_of_the_article() {
    let dir = fixture();
    // the analyst keeps alpha's notes in a file of their own naming
    std::fs::create_dir_all(dir.path().join("annotations/week-49")).unwrap();
    let notes = "---\narticle: alpha\n---\nWhat I think of alpha, no final newline.";
    std::fs::write(dir.path().join("annotations/week-49/notes.md"), notes).unwrap();
    let r = Running::serve(dir.path());
    let url = r.url();
    let token = token_of(&get(url, "/articles/alpha/").body);
    let post = |quote: &str| {
        let body = serde_json::json!({ "slug": "alpha", "quote": quote }).to_string();
        annotate(url, &token, &[], &body)
    };
    for (quote, status, says) in [
        (
            "words alpha never said",
            400,
            "not a passage of content/alpha.md",
        ),
        ("Beta body text", 400, "not a passage"),
        ("alpha", 400, "occurs 2 times"),
        ("\n\t ", 400, "select some text"),
    ] {
        let resp = post(quote);
        assert_eq!(resp.status, status, "{quote}: {}", resp.body);
        assert!(resp.body.contains(says), "{quote}: {}", resp.body);
        assert!(
            resp.headers.contains("content-type: text/plain"),
            "{}",
            resp.headers
        );
    }
    let long = post(&"x".repeat(2001));
    assert_eq!(long.status, 400, "{}", long.body);
    // a body over the limit is not read
    let huge = post(&"x".repeat(100_000));
    assert_eq!(huge.status, 413, "{}", huge.body);
    let form = http(
        url,
        "POST",
        "/__briefing/annotate",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Briefing-Token", &token),
            ("Origin", url),
        ],
        "slug=alpha&quote=first",
    );
    assert_eq!(form.status, 415, "{}", form.body);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("annotations/week-49/notes.md")).unwrap(),
        notes,
        "nothing written by a refused request"
    );

    // accepted, typed with other quotes and case, and appended to the
    // file that already names the article, not a new annotations/alpha.md
    let ok = post("THE FIRST PARAGRAPH of alpha mentions *Oreshnik*");
    assert_eq!(
        ok.status, 400,
        "the asterisks are not in the text: {}",
        ok.body
    );
    let ok = post("THE FIRST PARAGRAPH of alpha mentions Oreshnik");
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.body, r#"{"file":"annotations/week-49/notes.md"}"#);
    assert!(!dir.path().join("annotations/alpha.md").exists());
    let text = std::fs::read_to_string(dir.path().join("annotations/week-49/notes.md")).unwrap();
    assert_eq!(
        text,
        format!("{notes}\n\n## \"THE FIRST PARAGRAPH of alpha mentions Oreshnik\"\n\nNote…\n")
    );
    let again = post("THE FIRST PARAGRAPH of alpha mentions Oreshnik");
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.body.contains("annotations/week-49/notes.md:6"),
        "{}",
        again.body
    );
}

#[test]
fn annotate_endpoint_needs_its_own_origin() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    let token = token_of(&get(url, "/articles/alpha/").body);
    let body = r#"{"slug":"alpha","quote":"first paragraph"}"#;
    let port = url.rsplit(':').next().unwrap();
    let post = |headers: &[(&str, &str)]| {
        let mut h = vec![
            ("Content-Type", "application/json"),
            ("X-Briefing-Token", token.as_str()),
        ];
        h.extend_from_slice(headers);
        http(url, "POST", "/__briefing/annotate", &h, body)
    };
    let evil = format!("http://evil.example:{port}");
    let other_port = "http://127.0.0.1:1".to_string();
    let https = url.replace("http://", "https://");
    for origin in [evil.as_str(), other_port.as_str(), https.as_str(), "null"] {
        let resp = post(&[("Origin", origin)]);
        assert_eq!(resp.status, 403, "{origin}: {}", resp.body);
        assert!(resp.body.contains("Origin"), "{}", resp.body);
    }
    assert_eq!(post(&[]).status, 403, "no Origin");
    for site in ["cross-site", "same-site"] {
        let resp = post(&[("Origin", url), ("Sec-Fetch-Site", site)]);
        assert_eq!(resp.status, 403, "{site}: {}", resp.body);
    }
    // the token header needs a CORS preflight, which is never granted
    for path in ["/__briefing/annotate", "/"] {
        let pre = http(
            url,
            "OPTIONS",
            path,
            &[
                ("Origin", evil.as_str()),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "x-briefing-token"),
            ],
            "",
        );
        assert_eq!(pre.status, 405, "{path}: {}", pre.body);
        assert!(!pre.headers.contains("access-control-"), "{}", pre.headers);
    }
    assert!(!dir.path().join("annotations/alpha.md").exists());
    let ok = post(&[("Origin", url), ("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(ok.status, 201, "{}", ok.body);
}

#[test]
fn a_foreign_host_gets_no_page_and_no_token() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    let token = token_of(&get(url, "/articles/alpha/").body);
    let port = url.rsplit(':').next().unwrap();
    let evil = format!("evil.example:{port}");
    // DNS rebinding: evil.example now resolves to 127.0.0.1
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/articles/alpha/"),
        ("HEAD", "/articles/alpha/"),
        ("GET", "/articles/alpha"),
        ("GET", "/static/style.css"),
        ("GET", "/no/such/page"),
        ("GET", "/../secret.txt"),
        ("GET", "/__briefing/events"),
        ("DELETE", "/"),
    ] {
        let resp = http_to(url, Some(&evil), method, path, &[], "");
        assert_eq!(resp.status, 421, "{method} {path}: {}", resp.body);
        assert!(
            !resp.body.contains(&token),
            "{method} {path}: the token leaked"
        );
        assert!(
            !resp.body.contains("Alpha"),
            "{method} {path}: {}",
            resp.body
        );
        assert!(
            resp.headers.contains("content-type: text/plain"),
            "{}",
            resp.headers
        );
    }
    // a write with everything right but the host
    let origin = format!("http://{evil}");
    let post = http_to(
        url,
        Some(&evil),
        "POST",
        "/__briefing/annotate",
        &[
            ("Content-Type", "application/json"),
            ("X-Briefing-Token", &token),
            ("Origin", &origin),
        ],
        r#"{"slug":"alpha","quote":"first paragraph"}"#,
    );
    assert_eq!(post.status, 421, "{}", post.body);
    assert!(!dir.path().join("annotations").join("alpha.md").exists());

    // host names that look local are names all the same
    for host in [
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("evil.example:{port}."),
        "localhost:1".to_string(),
        "localhost".to_string(),
    ] {
        let resp = http_to(url, Some(&host), "GET", "/", &[], "");
        assert!(
            resp.status == 421 || resp.status == 400,
            "{host}: {}",
            resp.status
        );
        assert!(!resp.body.contains(&token), "{host}");
    }
    // no Host, two Hosts, an absolute URI naming another host
    let resp = http_to(url, None, "GET", "/", &[], "");
    assert_eq!(resp.status, 400, "{}", resp.body);
    let local = format!("127.0.0.1:{port}");
    let resp = http_to(url, Some(&local), "GET", "/", &[("Host", &evil)], "");
    assert_eq!(resp.status, 400, "{}", resp.body);
    let abs = format!("http://{evil}/");
    let resp = http_to(url, Some(&local), "GET", &abs, &[], "");
    assert_eq!(resp.status, 421, "{}", resp.body);
    assert!(!resp.body.contains(&token));
}

#[test]
fn loopback_names_are_answered() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    let port = url.rsplit(':').next().unwrap();
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("localhost.:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let resp = http_to(url, Some(&host), "GET", "/articles/alpha/", &[], "");
        assert_eq!(resp.status, 200, "{host}: {}", resp.body);
        assert!(resp.body.contains("Alpha report"), "{host}");
        assert!(
            resp.headers
                .contains("cross-origin-resource-policy: same-origin"),
            "{}",
            resp.headers
        );
    }
    // the page's own annotate request, from localhost
    let token = token_of(&get(url, "/articles/alpha/").body);
    let host = format!("localhost:{port}");
    let origin = format!("http://localhost:{port}");
    let resp = http_to(
        url,
        Some(&host),
        "POST",
        "/__briefing/annotate",
        &[
            ("Content-Type", "application/json"),
            ("X-Briefing-Token", &token),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        r#"{"slug":"alpha","quote":"first paragraph"}"#,
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
}

#[test]
fn another_site_cannot_load_the_preview() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    let cross = |path: &str, mode: &str, dest: &str| {
        http(
            url,
            "GET",
            path,
            &[
                ("Sec-Fetch-Site", "cross-site"),
                ("Sec-Fetch-Mode", mode),
                ("Sec-Fetch-Dest", dest),
            ],
            "",
        )
    };
    // a hostile page's <script src>, <iframe>, fetch() and EventSource
    for (path, mode, dest) in [
        ("/static/style.css", "no-cors", "style"),
        ("/search/index.js", "no-cors", "script"),
        ("/articles/alpha/", "navigate", "iframe"),
        ("/articles/alpha/", "cors", "empty"),
        ("/__briefing/events", "cors", "empty"),
    ] {
        let resp = cross(path, mode, dest);
        assert_eq!(resp.status, 403, "{path} {mode} {dest}: {}", resp.body);
        assert!(!resp.body.contains("__briefingLive"), "{path}");
    }
    // following a link to the preview is fine
    let nav = cross("/articles/alpha/", "navigate", "document");
    assert_eq!(nav.status, 200, "{}", nav.body);
}

#[test]
fn oversized_requests_are_refused() {
    let dir = fixture();
    let r = Running::serve(dir.path());
    let url = r.url();
    // a header larger than any browser sends
    let big = "x".repeat(1 << 20);
    // (0: the connection was reset before the answer could be read, as
    // the server closes it with the rest of the request unread)
    let resp = http(url, "GET", "/", &[("X-Big", &big)], "");
    assert!(matches!(resp.status, 431 | 0), "{}", resp.status);
    assert!(!resp.body.contains("__briefingLive"));
    // a path longer than any page's
    let long = format!("/{}", "a/".repeat(40_000));
    let resp = get(url, &long);
    assert!(matches!(resp.status, 414 | 0), "{}", resp.status);
    // HTTP/1.0 without a Host is refused too
    let resp = raw(url, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(resp.status, 400, "{}", resp.body);
    // the server is still there
    assert_eq!(get(url, "/").status, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = fixture();
    let mut r = Running::start(dir.path(), &["serve", "--port", &port]);
    assert_eq!(r.exit_code(), Some(1));
    let log = r.drain();
    assert!(log.contains("already in use"), "{log}");
    assert!(log.contains("--port"), "{log}");
}

#[test]
fn binding_beyond_loopback_warns() {
    let dir = fixture();
    let mut r = Running::start(dir.path(), &["serve", "--port", "0", "--bind", "0.0.0.0"]);
    r.wait_serving();
    let log = r.drain();
    assert!(log.contains("warning: binding to 0.0.0.0"), "{log}");
}

#[test]
fn a_broken_file_stays_an_error_until_it_is_fixed() {
    let dir = fixture();
    let mut r = watching(dir.path());
    let alpha = dir.path().join("content/alpha.md");
    std::fs::write(&alpha, "---\ntitle: [unclosed\n---\n\nBroken.\n").unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("build failed (content/alpha.md changed)"),
        "{line}"
    );
    // another file changes while alpha is still broken: still an error
    std::fs::write(
        dir.path().join("content/beta.md"),
        ARTICLE_B.replace("Beta body text.", "Beta body, edited."),
    )
    .unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("build failed (content/beta.md changed)"),
        "{line}"
    );
    // fixed: both edits reach the site
    std::fs::write(&alpha, NEW_A).unwrap();
    let line = one_rebuild(&mut r);
    assert!(line.starts_with("rebuilt "), "{line}");
    let a = std::fs::read_to_string(dir.path().join("site/articles/alpha/index.html")).unwrap();
    let b = std::fs::read_to_string(dir.path().join("site/articles/beta/index.html")).unwrap();
    assert!(a.contains("A second paragraph, edited."));
    assert!(b.contains("Beta body, edited."));
}

#[test]
fn a_duplicate_slug_and_a_template_error_recover() {
    let dir = fixture();
    let mut r = watching(dir.path());
    let beta = dir.path().join("content/beta.md");
    std::fs::write(&beta, ARTICLE_B.replace("slug: beta", "slug: alpha")).unwrap();
    let line = one_rebuild(&mut r);
    assert!(line.starts_with("build failed"), "{line}");
    std::fs::write(&beta, ARTICLE_B).unwrap();
    let line = one_rebuild(&mut r);
    assert!(line.starts_with("rebuilt "), "{line}");

    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let t = dir.path().join("templates/404.html");
    std::fs::write(&t, "{% extends \"base.html\" %}{% block content %}{{ oops(").unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("build failed (templates/404.html changed)"),
        "{line}"
    );
    std::fs::write(dir.path().join("content/alpha.md"), NEW_A).unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.starts_with("build failed (content/alpha.md changed)"),
        "{line}"
    );
    std::fs::write(
        &t,
        "{% extends \"base.html\" %}{% block content %}<p>Fine again</p>{% endblock content %}",
    )
    .unwrap();
    let line = one_rebuild(&mut r);
    assert!(line.starts_with("rebuilt "), "{line}");
    let nf = std::fs::read_to_string(dir.path().join("site/404.html")).unwrap();
    assert!(nf.contains("Fine again"));
    let a = std::fs::read_to_string(dir.path().join("site/articles/alpha/index.html")).unwrap();
    assert!(a.contains("A second paragraph, edited."));
}

#[test]
fn a_failed_first_build_serves_a_page_that_recovers() {
    let dir = fixture();
    std::fs::write(dir.path().join("content/alpha.md"), "---\ntitle: [\n---\n").unwrap();
    let r = Running::serve(dir.path());
    let first = get(r.url(), "/");
    assert_eq!(first.status, 404);
    assert!(
        first.body.contains("window.__briefingLive="),
        "the live client is there"
    );
    let rx = events(r.url());
    assert_eq!(next_event(&rx).0, "error");
    std::fs::write(dir.path().join("content/alpha.md"), ARTICLE_A).unwrap();
    assert_eq!(next_event(&rx).0, "ok");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "reload");
    assert!(data.contains("\"404.html\""), "{data}");
    assert_eq!(get(r.url(), "/").status, 200);
}

#[test]
fn a_seed_edit_recleans_it_once_and_never_over_a_hand_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("briefing.toml"), "").unwrap();
    let seed_name = "000_df13072c3159046a.txt";
    std::fs::create_dir_all(root.join("seeds")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(seed_name),
        root.join("seeds").join(seed_name),
    )
    .unwrap();
    let mut r = watching(root);
    let content = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("the seed was cleaned into content/");
    let seed = root.join("seeds").join(seed_name);
    let text = std::fs::read_to_string(&seed).unwrap();
    assert!(text.contains("Oreshnik missile is"));
    std::fs::write(
        &seed,
        text.replacen("Oreshnik missile is", "Oreshnik rocket is", 1),
    )
    .unwrap();
    let line = one_rebuild(&mut r);
    // (the content file the first build cleaned may still be reported in
    // the same batch: the watcher can see that write late)
    assert!(
        line.contains(&format!("seeds/{seed_name} changed)")),
        "{line}"
    );
    let cleaned = std::fs::read_to_string(&content).unwrap();
    assert!(
        cleaned.contains("Oreshnik rocket is"),
        "untouched content follows its seed"
    );

    // edited by hand: the seed's next change leaves it alone, with a warning
    let hand = cleaned.replace("Oreshnik rocket is", "Oreshnik (hand-edited) is");
    std::fs::write(&content, &hand).unwrap();
    one_rebuild(&mut r);
    std::fs::write(&seed, text).unwrap();
    let line = one_rebuild(&mut r);
    assert!(
        line.contains(&format!("(seeds/{seed_name} changed)")),
        "{line}"
    );
    assert!(r.drain().contains("edited by hand"), "a warning says why");
    assert_eq!(std::fs::read_to_string(&content).unwrap(), hand);
}

/// Every file below `dir`, relative path → bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

const HELD: &str = "---\ntitle: \"ZQHELDTITLEQZ story\"\nslug: held\ndate: 2024-12-07\ndraft: true\n---\n\nZQHELDBODYQZ held text.\n";

#[test]
fn serve_links_to_itself_and_shows_held_material_marked_by_default() {
    let dir = fixture();
    std::fs::write(dir.path().join("content/held.md"), HELD).unwrap();
    let mut r = Running::serve(dir.path());
    let url = r.url().to_string();
    // 404.html links relatively (its script resolves them against the
    // site's root) and canonical links point at this server, not at the
    // base_url of briefing.toml (https://example.org/)
    let nf = std::fs::read_to_string(dir.path().join("site/404.html")).unwrap();
    assert!(nf.contains("href=\"static/style.css\""), "{nf}");
    assert!(nf.contains("data-root=\"/\""), "{nf}");
    assert!(!nf.contains("example.org"), "{nf}");
    let index = get(&url, "/index.html").body;
    assert!(
        index.contains(&format!("<link rel=\"canonical\" href=\"{url}/")),
        "{index}"
    );
    // the internal profile: the draft is there, marked, and pages say so
    let index = get(&url, "/index.html").body;
    assert!(index.contains("ZQHELDTITLEQZ story"), "{index}");
    assert!(
        index.contains("held-badge held-draft\">draft</span>"),
        "{index}"
    );
    assert!(index.contains("Do not publish it."));
    assert_eq!(get(&url, "/articles/held/index.html").status, 200);
    assert!(r.drain().contains("internal preview"), "{}", r.drain());
}

#[test]
fn serve_public_with_its_own_output_dir_and_base_url() {
    let dir = fixture();
    std::fs::write(dir.path().join("content/held.md"), HELD).unwrap();
    assert_eq!(
        Running::start(dir.path(), &["build", "--profile", "internal"]).exit_code(),
        Some(0)
    );
    let before = files_of(&dir.path().join("site"));
    let out = dir.path().join("preview");
    let mut r = Running::start(
        dir.path(),
        &[
            "serve",
            "-p",
            "0",
            "-i",
            "127.0.0.1",
            "--profile",
            "public",
            "--base-url",
            "https://desk.example/preview",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    r.wait_serving();
    let url = r.url().to_string();
    let index = get(&url, "/index.html").body;
    assert!(index.contains("Alpha report"), "{index}");
    assert!(
        !index.contains("ZQHELD") && !index.contains("Do not publish"),
        "{index}"
    );
    assert_eq!(get(&url, "/articles/held/index.html").status, 404);
    let nf = std::fs::read_to_string(out.join("404.html")).unwrap();
    // relative links, resolved under the base URL's path
    assert!(nf.contains("href=\"static/style.css\""), "{nf}");
    assert!(nf.contains("data-root=\"/preview/\""), "{nf}");
    for (path, bytes) in files_of(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("ZQHELD"),
            "held-back text in {path}"
        );
    }
    // an edit is rebuilt into the output directory, not site/
    std::fs::write(
        dir.path().join("content/beta.md"),
        ARTICLE_B.replace("Beta body text.", "Beta, edited."),
    )
    .unwrap();
    // (under load a save can come as two events, truncation and write,
    // and so two rebuilds: wait for the page rather than for one line)
    let page = out.join("articles/beta/index.html");
    let edited = poll(|| {
        std::fs::read_to_string(&page)
            .ok()
            .filter(|t| t.contains("Beta, edited."))
    });
    assert!(edited.is_some(), "{}", r.drain());
    assert_eq!(
        files_of(&dir.path().join("site")),
        before,
        "site/ was touched"
    );
}

#[test]
fn watch_takes_a_profile_and_an_output_dir() {
    let dir = fixture();
    std::fs::write(dir.path().join("content/held.md"), HELD).unwrap();
    let out = dir.path().join("pub");
    let mut r = Running::start(
        dir.path(),
        &[
            "watch",
            "--profile",
            "public",
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    r.wait_line(|l| l.starts_with("watching for changes"));
    assert!(out.join("articles/alpha/index.html").is_file());
    assert!(!out.join("articles/held").exists());
    assert!(!dir.path().join("site").exists());
    // un-drafting it is an ordinary edit that publishes it
    std::fs::write(
        dir.path().join("content/held.md"),
        HELD.replace("draft: true\n", ""),
    )
    .unwrap();
    let page = out.join("articles/held/index.html");
    let published = poll(|| {
        std::fs::read_to_string(&page)
            .ok()
            .filter(|t| t.contains("ZQHELDBODYQZ"))
    });
    assert!(published.is_some(), "{}", r.drain());
}
