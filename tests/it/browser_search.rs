//! A real browser on the search page: typing finds articles and entities
//! (the last word as a prefix, diacritics folded), a second word narrows
//! the results, `?q=` fills the field and follows it, ↓ moves to the
//! results, a hostile title stays text, a sharded index loads the shards it
//! needs — served under a sub-path by a tiny static file server and opened
//! from `file://`. And an entity link shows its description when focused.
//! Headless Chromium through chromedriver; skipped (with a line on stdout)
//! when chromedriver or chromium is not installed.

use crate::browser_support;
use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

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

/// A made-up word for generated article `i` and word `j` (deterministic).
fn word(i: usize, j: usize) -> String {
    const C: &[u8] = b"bcdfghjklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut x = (i * 7919 + j * 104_729 + 13) as u64;
    let mut w = String::new();
    for _ in 0..3 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = (x >> 33) as usize;
        w.push(C[r % C.len()] as char);
        w.push(V[(r / C.len()) % V.len()] as char);
    }
    w
}

const GENERATED: usize = 400;

/// The link fixture plus articles with diacritics, a hostile title and
/// enough generated ones that the index is split into shards.
fn search_fixture() -> tempfile::TempDir {
    let dir = common::fixture("links/basic");
    let content = dir.path().join("content");
    let write = |name: &str, text: String| std::fs::write(content.join(name), text).unwrap();
    write(
        "delta.md",
        "---\ntitle: \"Erdoğan meets Łukašenka\"\nslug: delta\ndate: 2024-10-01\n---\n\nRecep Tayyip Erdoğan flew to Москва after Minsk.\n".into(),
    );
    write(
        "cjk.md",
        "---\ntitle: \"北京大学の研究\"\nslug: cjk\ndate: 2024-09-01\n---\n\n東京と北京の大学が共同研究を発表した。\n".into(),
    );
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::write(
        dir.path().join("annotations/delta.md"),
        "---\narticle: delta\n---\n\n## \"flew to Москва\" {#trip .event date=2024-10-01}\n\nThe visit was announced by the presidency beforehand.\n",
    )
    .unwrap();
    write(
        "evil.md",
        "---\ntitle: 'Pwned </script><img src=x onerror=\"window.pwned=1\"> title'\nslug: evil\n---\n\nA scraped page with markup in its title.\n".into(),
    );
    for i in 0..GENERATED {
        let words: Vec<String> = (0..30).map(|j| word(i, j)).collect();
        write(
            &format!("gen-{i:03}.md"),
            format!(
                "---\ntitle: \"Generated {i}\"\nslug: gen-{i:03}\n---\n\n{}.\n",
                words.join(" ")
            ),
        );
    }
    dir
}

/// What the search page shows: status, result titles and links, marked
/// words, the page's URL.
#[derive(Debug, serde::Deserialize)]
struct Shown {
    status: String,
    results: Vec<(String, String)>,
    marks: Vec<String>,
    url: String,
    /// The `q` parameter of the page's URL.
    q: Option<String>,
}

const SHOWN_JS: &str = "return {
    status: document.getElementById('search-status').textContent,
    results: Array.from(document.querySelectorAll('#search-results li > a')).map(a => [a.textContent, a.href]),
    marks: Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent),
    url: location.href,
    q: new URLSearchParams(location.search).get('q'),
};";

/// Wait until the page has answered `q` (its URL says `?q=` and it is no
/// longer searching), polling a bounded number of times.
async fn shown(client: &fantoccini::Client, q: &str) -> Result<Shown, fantoccini::error::CmdError> {
    for _ in 0..200 {
        let v = client.execute(SHOWN_JS, vec![]).await?;
        let s: Shown = serde_json::from_value(v).unwrap();
        if s.q.as_deref() == Some(q.trim()) && !s.status.is_empty() && s.status != "Searching…" {
            return Ok(s);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no answer to {q:?}");
}

/// Type `q` into the (cleared) search field and wait for the answer.
async fn search(
    client: &fantoccini::Client,
    q: &str,
) -> Result<Shown, fantoccini::error::CmdError> {
    use fantoccini::Locator;
    let input = client.find(Locator::Css("#search-input")).await?;
    input.clear().await?;
    input.send_keys(q).await?;
    shown(client, q).await
}

fn titles(s: &Shown) -> Vec<&str> {
    s.results.iter().map(|r| r.0.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_narrows_prefills_and_works_from_file() {
    let dir = search_fixture();
    let site = common::build(dir.path(), &[]);
    let shards = common::read(&site, "search/index.js");
    assert!(shards.contains("\"м\""), "the index is split: {shards}");
    let from_file = format!("file://{}/search/index.html?q=minsk", site.display());
    let port = serve(site);
    let base = format!("http://127.0.0.1:{port}{PREFIX}");
    let Some((_session, client)) =
        browser_support::open("search_finds_narrows_prefills_and_works_from_file").await
    else {
        return;
    };
    let result = async {
        use fantoccini::{Locator, key::Key};
        client.goto(&format!("{base}search/index.html")).await?;
        let minsk = search(&client, "minsk").await?;
        // the last word is a prefix: a few letters are enough
        let oresh = search(&client, "oresh").await?;
        let russia = search(&client, "russia").await?;
        let narrowed = search(&client, "russia caracas").await?;
        // a finished word (space after it) is not a prefix
        let exact = search(&client, "oresh ").await;
        let folded = search(&client, "erdogan lukasenka").await?;
        let cyrillic = search(&client, "МОСКВА").await?;
        let generated = search(&client, &word(7, 3)).await?;
        let hostile = search(&client, "pwned").await?;
        // CJK by character pairs; stems; a typo; words only in a note
        let cjk = search(&client, "北京").await?;
        let cjk_pair = search(&client, "共同研究 ").await?;
        let stems = search(&client, "announcing ").await?;
        let typo = search(&client, "presidancy ").await?;
        let pwned = client
            .execute(
                "return [window.pwned === undefined, document.querySelectorAll('#search-results img').length]",
                vec![],
            )
            .await?;
        let nothing = search(&client, "zzzzqqq").await?;
        // ↓ moves from the field to the first result
        search(&client, "minsk").await?;
        client
            .find(Locator::Css("#search-input"))
            .await?
            .send_keys(&char::from(Key::Down).to_string())
            .await?;
        let focused = client
            .execute("return document.activeElement.textContent", vec![])
            .await?;
        // ?q= fills the field and searches
        client
            .goto(&format!("{base}search/index.html?q=caracas"))
            .await?;
        let prefilled = shown(&client, "caracas").await?;
        let value = client
            .find(Locator::Css("#search-input"))
            .await?
            .prop("value")
            .await?;
        // from file://: the shards load with <script src> there too
        client.goto(&from_file).await?;
        let file = shown(&client, "minsk").await?;
        Ok::<_, fantoccini::error::CmdError>((
            (minsk, oresh, russia, narrowed),
            exact,
            (folded, cyrillic, generated, hostile, pwned, nothing),
            (focused, prefilled, value, file),
            (cjk, cjk_pair, stems, typo),
        ))
    }
    .await;
    client.close().await.ok();
    let (
        (minsk, oresh, russia, narrowed),
        exact,
        (folded, cyrillic, generated, hostile, pwned, nothing),
        (focused, prefilled, value, file),
        (cjk, cjk_pair, stems, typo),
    ) = result.unwrap();

    assert_eq!(titles(&cjk), ["北京大学の研究"], "{cjk:?}");
    assert!(cjk.marks.contains(&"北京".to_string()), "{cjk:?}");
    assert_eq!(titles(&cjk_pair), ["北京大学の研究"], "{cjk_pair:?}");
    assert!(
        cjk_pair.marks.contains(&"共同研究".to_string()),
        "{cjk_pair:?}"
    );
    // "announcing" finds the note saying "announced", linked to its passage
    assert!(
        stems.results.iter().any(|(t, h)| t == "“flew to Москва”"
            && h == &format!("{base}articles/delta/index.html#a-trip")),
        "{stems:?}"
    );
    assert!(stems.marks.contains(&"announced".to_string()), "{stems:?}");
    assert!(
        typo.results.iter().any(|(t, _)| t == "“flew to Москва”"),
        "{typo:?}"
    );
    assert!(typo.marks.contains(&"presidency".to_string()), "{typo:?}");

    let t = titles(&minsk);
    assert!(
        t.contains(&"Putin in Minsk") && t.contains(&"Minsk"),
        "{minsk:?}"
    );
    assert!(
        minsk.status.starts_with(&format!("{} results", t.len())),
        "{minsk:?}"
    );
    assert!(
        minsk.results.contains(&(
            "Putin in Minsk".to_string(),
            format!("{base}articles/alpha/index.html")
        )),
        "{minsk:?}"
    );
    assert!(minsk.marks.iter().all(|m| m == "Minsk"), "{minsk:?}");
    assert!(!minsk.marks.is_empty());

    let t = titles(&oresh);
    assert!(
        t.contains(&"Oreshnik for Caracas") && t.contains(&"Oreshnik"),
        "{oresh:?}"
    );
    assert!(oresh.marks.iter().any(|m| m == "Oreshnik"), "{oresh:?}");

    let (all, few) = (titles(&russia), titles(&narrowed));
    assert!(few.len() < all.len(), "{russia:?} {narrowed:?}");
    assert!(few.iter().all(|t| all.contains(t)));
    assert!(few.contains(&"Oreshnik for Caracas"), "{narrowed:?}");
    assert!(!few.contains(&"Putin in Minsk"), "{narrowed:?}");

    let exact = exact.unwrap();
    assert!(exact.results.is_empty(), "{exact:?}");
    assert_eq!(exact.status, "Nothing found for “oresh”.");

    assert_eq!(titles(&folded), ["Erdoğan meets Łukašenka"], "{folded:?}");
    assert!(folded.marks.contains(&"Erdoğan".to_string()), "{folded:?}");
    // the article, and the note on its passage that quotes the word
    assert_eq!(
        titles(&cyrillic),
        ["Erdoğan meets Łukašenka", "“flew to Москва”"],
        "{cyrillic:?}"
    );
    assert!(
        cyrillic.marks.contains(&"Москва".to_string()),
        "{cyrillic:?}"
    );
    assert!(titles(&generated).contains(&"Generated 7"), "{generated:?}");

    assert_eq!(
        titles(&hostile),
        ["Pwned </script><img src=x onerror=\"window.pwned=1\"> title"],
        "{hostile:?}"
    );
    assert_eq!(pwned, serde_json::json!([true, 0]));
    assert!(nothing.results.is_empty() && nothing.status.starts_with("Nothing found"));

    assert!(
        focused.as_str().is_some_and(|t| t.contains("Minsk")),
        "{focused:?}"
    );

    assert!(
        titles(&prefilled).contains(&"Oreshnik for Caracas"),
        "{prefilled:?}"
    );
    assert_eq!(value.as_deref(), Some("caracas"));

    assert!(file.url.starts_with("file://"), "{file:?}");
    assert!(
        file.results.iter().any(|(t, h)| t == "Putin in Minsk"
            && h.starts_with("file://")
            && h.ends_with("/articles/alpha/index.html")),
        "{file:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn focusing_an_entity_link_shows_its_description() {
    let dir = common::seeds_project();
    let site = common::build(dir.path(), &[]);
    let port = serve(site);
    let Some((_session, client)) =
        browser_support::open("focusing_an_entity_link_shows_its_description").await
    else {
        return;
    };
    let result = async {
        use fantoccini::Locator;
        client
            .goto(&format!(
                "http://127.0.0.1:{port}{PREFIX}articles/russia-sending-hypersonic-missiles-to-venezuela/index.html"
            ))
            .await?;
        client
            .execute(
                "document.querySelector('a[id^=\"mention-\"][href$=\"entities/maria-zakharova/index.html\"]').focus()",
                vec![],
            )
            .await?;
        client
            .wait()
            .for_element(Locator::Css(".entity-popover"))
            .await?
            .text()
            .await
    }
    .await;
    client.close().await.ok();
    let pop = result.unwrap();
    assert!(pop.starts_with("Maria Zakharova"), "{pop}");
    assert!(
        pop.contains("Spokeswoman of the Russian Ministry of Foreign Affairs"),
        "{pop}"
    );
}

/// Queries a reader of the seeds' briefing would type, each with the
/// pages (or passages) that answer it: the site path the result links to,
/// `#anchor` included. Words in other forms than the text's, typos, words
/// only the analyst wrote, and the summary.
const QUERIES: &[(&str, &[&str])] = &[
    // words of the articles, in another form than the text's
    (
        "missile ",
        &[
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html",
            "articles/russia-sending-hypersonic-missiles-to-venezuela/index.html",
        ],
    ),
    (
        "deploying oreshnik ",
        &["articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html"],
    ),
    // words only in the analyst's notes
    (
        "serial production ",
        &[
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html#a-deployment-timeline",
        ],
    ),
    (
        "legislator ",
        &["articles/russia-sending-hypersonic-missiles-to-venezuela/index.html#a-transfer-offer"],
    ),
    (
        "counterweight ",
        &[
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html#a-intercepted",
        ],
    ),
    (
        "confirmation ",
        &[
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html#a-advance-notice",
        ],
    ),
    (
        "signalling story ",
        &["articles/russia-sending-hypersonic-missiles-to-venezuela/index.html#note"],
    ),
    (
        "repairs air defences ",
        &["articles/russia-sending-hypersonic-missiles-to-venezuela/index.html#a-maduro-request"],
    ),
    // a typo in a longer word
    (
        "Zhuravlyev ",
        &[
            "entities/alexei-zhuravlyov/index.html",
            "articles/russia-sending-hypersonic-missiles-to-venezuela/index.html#a-transfer-offer",
        ],
    ),
    ("Lukashneko ", &["entities/alexander-lukashenko/index.html"]),
    // claims across sources
    (
        "interception ",
        &["annotations/claims/index.html#claim-intercept"],
    ),
    // the executive summary
    ("political signal ", &["index.html#summary-title"]),
    // a prefix while typing
    (
        "Astrakh",
        &[
            "entities/astrakhan/index.html",
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html#a-dnipro-strike",
        ],
    ),
    (
        "Dnipro strike ",
        &[
            "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html#a-dnipro-strike",
        ],
    ),
];

/// Recall at 5 over [`QUERIES`] on the seeds' briefing: of the pages that
/// answer a query, the share among its first five results, averaged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_recall_at_5_on_the_seeds_briefing() {
    let dir = common::seeds_project();
    let site = common::build(dir.path(), &[]);
    let page = format!("file://{}/search/index.html", site.display());
    let Some((_session, client)) =
        browser_support::open("search_recall_at_5_on_the_seeds_briefing").await
    else {
        return;
    };
    let result = async {
        let mut answers = Vec::new();
        for (q, _) in QUERIES {
            let url = format!("{page}?q={}", q.replace(' ', "+"));
            client.goto(&url).await?;
            answers.push(shown(&client, q).await?);
        }
        Ok::<_, fantoccini::error::CmdError>(answers)
    }
    .await;
    client.close().await.ok();
    let answers = result.unwrap();
    let prefix = format!("file://{}/", site.display());
    let mut total = 0.0;
    let mut misses = Vec::new();
    for ((q, want), got) in QUERIES.iter().zip(&answers) {
        let top: Vec<&str> = got
            .results
            .iter()
            .take(5)
            .map(|(_, h)| h.strip_prefix(&prefix).unwrap_or(h))
            .collect();
        let found = want.iter().filter(|w| top.contains(w)).count();
        total += found as f64 / want.len() as f64;
        if found < want.len() {
            misses.push(format!("{q:?}: want {want:?}, top 5 {top:?}"));
        }
    }
    let recall = total / QUERIES.len() as f64;
    println!(
        "search recall@5 = {recall:.3} over {} queries",
        QUERIES.len()
    );
    assert!(
        misses.is_empty(),
        "recall@5 = {recall:.3}; missed:\n{}",
        misses.join("\n")
    );
}
