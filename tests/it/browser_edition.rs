//! The print edition saved as PDF by headless Chromium (Chrome DevTools'
//! `Page.printToPDF`, through chromedriver), as a reader saving it from
//! the print dialogue would: the pages are counted (`/Type /Page` objects
//! of the file), and its text (`pdftotext`, from poppler-utils, which CI
//! installs) has every article's title, each article starting a page of
//! its own under the running head, and the page numbers at the foot.
//!
//! Skips, saying so, when chromedriver or chromium is not installed;
//! without `pdftotext` the text checks are skipped with a line on stdout
//! (and fail under `CI`).

use crate::browser_support;
use crate::common;

use base64::Engine as _;
use common::TestProject;

/// A briefing of `n` articles, each with two annotated passages (one a
/// claim), an executive summary and entities.
fn briefing(n: usize) -> TestProject {
    let p = TestProject::new()
        .file("briefing.toml", "title = \"The Edition Test\"\nlanguage = \"en\"\n")
        .file(
            "entities.yaml",
            "- name: Minsk\n  kind: place\n- name: Kremlin\n  kind: organisation\n",
        )
        .file(
            "content/_briefing.md",
            "---\ntitle: Executive summary\n---\n\nTalks in Minsk went on; the Kremlin said little.\n",
        );
    let para = "Officials in Minsk said the talks had gone on for hours and would resume, and the Kremlin said nothing about what had been agreed, which observers took as a sign that little had been.";
    for i in 1..=n {
        let body = (0..12)
            .map(|k| format!("{para} Paragraph {k} of article {i}."))
            .collect::<Vec<_>>()
            .join("\n\n");
        p.write(
            &format!("content/a{i}.md"),
            &format!(
                "---\ntitle: \"Article number {i} on the summit talks\"\nslug: a{i}\ndate: 2024-12-{:02}T10:00:00\n---\n\n{body}\n",
                i.min(28)
            ),
        );
        p.write(
            &format!("annotations/a{i}.md"),
            &format!(
                "---\narticle: a{i}\n---\n\n## \"Paragraph 2 of article {i}\" {{#p2 .claim status=unverified}}\n\nThe analyst doubts this one.\n\n## \"Paragraph 7 of article {i}\" {{#p7}}\n\nA second note, on the seventh paragraph.\n"
            ),
        );
    }
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p
}

/// Page objects of a PDF (not the `/Pages` tree nodes).
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && !w[needle.len()].is_ascii_alphanumeric())
        .count()
}

/// The text of each page (`pdftotext`); `None` when it is not installed.
fn pdf_pages(pdf: &std::path::Path) -> Option<Vec<String>> {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// Words joined by single spaces (titles wrap across lines).
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_edition_prints_to_pdf_with_every_article() {
    let Some((_session, client)) =
        browser_support::open("the_edition_prints_to_pdf_with_every_article").await
    else {
        return;
    };
    const N: usize = 4;
    let p = briefing(N);
    let url = format!("file://{}/edition/index.html", p.path("site").display());
    let printed = async {
        client.goto(&url).await?;
        client
            .execute_async(
                "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));",
                vec![],
            )
            .await?;
        client
            .issue_cmd(browser_support::Cdp {
                method: "Page.printToPDF",
                params: serde_json::json!({"preferCSSPageSize": true, "printBackground": false}),
            })
            .await
    }
    .await;
    let _ = client.close().await;
    let printed = printed.unwrap();
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(printed["data"].as_str().expect("PDF data"))
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let file = p.path("edition.pdf");
    std::fs::write(&file, &pdf).unwrap();

    // cover, summary, contents, an article a page at least, claims, index;
    // and no runaway of blank pages (each article fits on two)
    let pages = page_count(&pdf);
    println!(
        "edition of {N} articles: {pages} pages, {} bytes",
        pdf.len()
    );
    assert!(
        (3 + N + 2..=3 + 2 * N + 2).contains(&pages),
        "{pages} pages for {N} articles"
    );

    let Some(text) = pdf_pages(&file) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is not installed (apt-get install poppler-utils)"
        );
        println!("SKIP the edition's text checks: pdftotext not installed (poppler-utils)");
        return;
    };
    assert_eq!(text.len(), pages, "pdftotext and the page objects agree");
    let all = words(&text.join(" "));
    assert!(all.contains("The Edition Test"), "the cover's title");
    assert!(all.contains("Talks in Minsk went on"), "the summary");
    for i in 1..=N {
        let title = format!("Article number {i} on the summit talks");
        // the contents, the article's heading
        assert!(all.matches(&title).count() >= 2, "{title} in the PDF");
        // the article starts a page: under the running head, its kicker
        let starts = text.iter().position(|page| {
            let page = words(page);
            let rest = page
                .strip_prefix("The Edition Test")
                .unwrap_or(&page)
                .trim();
            // "ARTICLE <n> <title>" (newest first: n is not i)
            rest.strip_prefix("ARTICLE ")
                .and_then(|r| r.split_once(' '))
                .is_some_and(|(n, r)| n.parse::<usize>().is_ok() && r.starts_with(&title))
        });
        assert!(
            starts.is_some(),
            "article {i} does not start a page: {:?}",
            text.iter()
                .map(|p| words(p).chars().take(80).collect::<String>())
                .collect::<Vec<_>>()
        );
        // its notes as footnotes
        assert!(all.contains("The analyst doubts this one."));
    }
    assert!(all.contains("Claims") && all.contains("Index of entities"));
    // the cover has neither running head nor number; the others both
    let cover: Vec<&str> = text[0].lines().map(str::trim).collect();
    assert!(!cover.contains(&"1"), "a number on the cover: {cover:?}");
    assert_ne!(
        cover.first(),
        Some(&"The Edition Test"),
        "a head on the cover"
    );
    for (k, page) in text.iter().enumerate().skip(1) {
        let lines: Vec<&str> = page.lines().map(str::trim).collect();
        assert!(
            lines.contains(&(k + 1).to_string().as_str()),
            "page {} has no number: {page:?}",
            k + 1
        );
        assert!(
            lines.first().is_some_and(|l| *l == "The Edition Test"),
            "page {} has no running head: {page:?}",
            k + 1
        );
    }
}
