//! The pages as a reader sees them, in one headless Chromium session:
//!
//! - margin notes take no room from the text: at 1400 px the gaps between
//!   the paragraphs of an article with dense notes equal those of the same
//!   article without notes (with the script, and without it), every note
//!   sits in the margin, none overlaps another, and each is level with its
//!   passage or pushed down below the note above;
//! - the bundled typeface is used (no network);
//! - print: a 60–75 character measure and no screen-only furniture on
//!   every page type;
//! - axe-core's WCAG 2.1 A/AA rules report no violation on every page type,
//!   light and dark, at 1400 and 390 px.
//!
//! axe-core (MPL-2.0) is not vendored: CI installs it from npm into
//! `target/npm` (`npm install --prefix target/npm axe-core@4.14.1`); without it
//! the axe part is skipped with a line on stdout (and fails under `CI`).
//! The whole test skips when chromedriver or chromium is not installed.

use crate::browser_support;
use crate::common;

use common::TestProject;
use std::path::{Path, PathBuf};

type Result<T> = std::result::Result<T, fantoccini::error::CmdError>;

/// Paragraphs of two to four lines at 1400 px.
const PARAGRAPHS: &[&str] = &[
    "The defence ministry said on Tuesday that the new launcher had completed its trials and would enter service within months, a timetable that officials have repeated since the summer.",
    "Analysts in Vilnius and Warsaw said the announcement was aimed at audiences abroad as much as at home, and noted that no independent source had seen the launcher in the field.",
    "A spokesman declined to say how many launchers had been built, citing security, but said that serial production had begun at a plant in the Urals.",
    "The statement came a day after the foreign minister warned that any deployment of Western missiles in Europe would be met with a response of the same kind.",
    "Satellite images published by a private company showed new construction at a base in the west of the country, though the purpose of the buildings could not be confirmed.",
    "Officials in Minsk welcomed the plan.",
    "The opposition, most of whose leaders live in exile, called it a step towards making the country a hostage of decisions taken elsewhere, and urged neighbours to respond calmly.",
    "Neighbouring governments summoned the ambassador and asked for clarification, which had not been given by the end of the week.",
    "A researcher at a think tank said that the range claimed for the missile was consistent with earlier systems and that its novelty lay mostly in the way it was being presented.",
    "Markets barely moved.",
    "The ministry said further tests were planned for the spring, after which a decision on basing would be taken by the president himself.",
    "Diplomats expect the subject to come up at the next meeting of the alliance's defence ministers, where it is not on the formal agenda.",
];

/// A note of `lines` short sentences: longer than its paragraph.
fn note(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("Point {i}: a consideration the analyst wants beside the passage."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A project with one article; with dense notes (two notes on some
/// paragraphs, most notes taller than their paragraph) when `notes`.
fn dense_project(notes: bool) -> TestProject {
    let body = PARAGRAPHS.join("\n\n");
    let p = TestProject::new().file(
        "content/dense.md",
        &format!("---\ntitle: Dense notes\nslug: dense\ndate: 2024-12-06\n---\n\n{body}\n"),
    );
    if notes {
        let quotes = [
            ("completed its trials", 6),
            ("within months", 3),
            ("aimed at audiences abroad", 8),
            ("citing security", 2),
            ("serial production had begun", 5),
            ("a response of the same kind", 7),
            ("new construction at a base", 4),
            ("Officials in Minsk welcomed the plan", 9),
            ("hostage of decisions taken elsewhere", 3),
            ("summoned the ambassador", 2),
            ("its novelty lay mostly", 6),
            ("Markets barely moved", 5),
        ];
        let mut md = String::from("---\narticle: dense\n---\n");
        for (q, n) in quotes {
            md.push_str(&format!("\n## \"{q}\"\n\n{}\n", note(n)));
        }
        p.write("annotations/dense.md", &md);
    }
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p
}

/// The same page without its script (how a reader with JS off sees it).
fn without_script(page: &Path) -> PathBuf {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html
        .find("<script src=")
        .expect("the page loads briefing.js");
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    let out = page.with_file_name("nojs.html");
    std::fs::write(&out, format!("{}{}", &html[..start], &html[end..])).unwrap();
    out
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Wait until the web fonts are in and the notes are laid out.
async fn settle(client: &fantoccini::Client) -> Result<()> {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
            vec![],
        )
        .await
        .map(|_| ())
}

const GAPS_JS: &str = r#"
const body = document.querySelector('.article .body');
const blocks = [...body.children].filter(e => !e.matches('.sidenotes'));
const gaps = [];
for (let i = 1; i < blocks.length; i++)
  gaps.push(blocks[i].getBoundingClientRect().top - blocks[i - 1].getBoundingClientRect().bottom);
const notes = [...body.querySelectorAll('aside.sidenote')].map(n => {
  const r = n.getBoundingClientRect();
  const m = document.getElementById('a-' + n.dataset.ann).getClientRects()[0];
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, mark: m.top, open: n.querySelector('details').open};
});
return {gaps, notes, text_right: blocks[0].getBoundingClientRect().right, width: innerWidth};
"#;

#[derive(Debug)]
struct Layout {
    gaps: Vec<f64>,
    /// (top, bottom, left, right, top of the passage's first line)
    notes: Vec<(f64, f64, f64, f64, f64)>,
    text_right: f64,
}

async fn layout(client: &fantoccini::Client, url: &str) -> Result<Layout> {
    client.goto(url).await?;
    settle(client).await?;
    let v = client.execute(GAPS_JS, vec![]).await?;
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    Ok(Layout {
        gaps: v["gaps"].as_array().unwrap().iter().map(f).collect(),
        notes: v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    f(&n["top"]),
                    f(&n["bottom"]),
                    f(&n["left"]),
                    f(&n["right"]),
                    f(&n["mark"]),
                )
            })
            .collect(),
        text_right: f(&v["text_right"]),
    })
}

/// What the margin-notes check found: (annotated with script, without
/// script, plain).
async fn margin_notes(client: &fantoccini::Client) -> Result<(Layout, Layout, Layout)> {
    let dense = dense_project(true);
    let plain = dense_project(false);
    let page = dense.path("site/articles/dense/index.html");
    let nojs = without_script(&page);
    client.set_window_size(1400, 1000).await?;
    let with = layout(client, &file_url(&page)).await?;
    let off = layout(client, &file_url(&nojs)).await?;
    let base = layout(
        client,
        &file_url(&plain.path("site/articles/dense/index.html")),
    )
    .await?;
    Ok((with, off, base))
}

fn check_margin_notes(with: &Layout, off: &Layout, base: &Layout) {
    assert_eq!(with.notes.len(), 12, "{with:?}");
    assert!(base.notes.is_empty());
    assert_eq!(with.gaps.len(), PARAGRAPHS.len() - 1);
    for (name, l) in [("with the script", with), ("without the script", off)] {
        assert_eq!(l.gaps.len(), base.gaps.len(), "{name}");
        for (i, (g, b)) in l.gaps.iter().zip(&base.gaps).enumerate() {
            assert!(
                (g - b).abs() < 0.5,
                "{name}: gap after paragraph {} is {g:.1} px, {b:.1} px without notes (all: {:?} vs {:?})",
                i + 1,
                l.gaps,
                base.gaps
            );
        }
        let mut sorted = l.notes.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (i, n) in sorted.iter().enumerate() {
            assert!(
                n.2 >= l.text_right + 16.0 && n.3 <= 1400.0,
                "{name}: note {i} at x {}..{} is not in the margin (text ends at {})",
                n.2,
                n.3,
                l.text_right
            );
            if let Some(next) = sorted.get(i + 1) {
                assert!(next.0 >= n.1, "{name}: notes overlap: {n:?} and {next:?}");
            }
        }
    }
    // with the script: level with the passage, or below the note above
    let mut sorted = with.notes.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (i, n) in sorted.iter().enumerate() {
        let level = (n.0 - n.4).abs() <= 1.0;
        let pushed = i > 0 && n.0 > n.4 && (n.0 - sorted[i - 1].1 - 12.0).abs() <= 1.0;
        assert!(
            level || pushed,
            "note {i} at {} for a passage at {} (note above ends at {:?})",
            n.0,
            n.4,
            i.checked_sub(1).map(|j| sorted[j].1)
        );
    }
    assert!(
        (sorted[0].0 - sorted[0].4).abs() <= 1.0,
        "the first note is not level with its passage: {:?}",
        sorted[0]
    );
    assert!(
        sorted.iter().any(|n| n.0 > n.4 + 20.0),
        "dense notes should push some down: {sorted:?}"
    );
}

/// The seeds' briefing (the repository's own inputs), built; with the
/// outlets graded (sidecars naming them, a `sources.yaml`, a claim's
/// `cred=`) so that the sources pages are among the page types.
fn seeds_briefing() -> TestProject {
    let p = TestProject::with_seeds();
    let root = common::repo_root();
    for f in ["briefing.toml", "entities.yaml", "content/_briefing.md"] {
        p.write(f, &std::fs::read_to_string(root.join(f)).unwrap());
    }
    common::copy_dir(&root.join("annotations"), &p.path("annotations"));
    p.write(
        "seeds/000_df13072c3159046a.meta.yaml",
        "url: https://news.example/venezuela\noutlet: The Example Times\n",
    );
    p.write(
        "seeds/004_a621f7fa4f80e312.meta.yaml",
        "url: https://wire.example/belarus\n",
    );
    p.write(
        "sources.yaml",
        "- name: The Example Times\n  domains: [news.example]\n  reliability: B\n  labels: [newspaper]\n  description: A national daily.\n- name: State Wire\n  domains: [wire.example]\n  reliability: D\n  labels: [state-affiliated, wire service]\n  description: The state news agency.\n",
    );
    for e in std::fs::read_dir(p.path("annotations")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("claim=intercept}", "claim=intercept cred=3}"),
        )
        .unwrap();
    }
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p
}

/// One page of each type (site-relative; the search page with a query).
const PAGE_TYPES: &[&str] = &[
    "index.html",
    "articles/index.html",
    "articles/russia-sending-hypersonic-missiles-to-venezuela/index.html",
    "articles/russia-sending-hypersonic-missiles-to-venezuela/source/index.html",
    "entities/index.html",
    "entities/oreshnik/index.html",
    "timeline/index.html",
    "annotations/index.html",
    "annotations/tags/claim/index.html",
    "annotations/claims/index.html",
    "annotations/claims/intercept/index.html",
    "sources/index.html",
    "sources/the-example-times/index.html",
    "search/index.html?q=oreshnik",
    "404.html",
    "edition/index.html",
];

/// Set the viewport (CSS pixels) and colour scheme of the session.
async fn view(client: &fantoccini::Client, width: u32, scheme: &str, media: &str) -> Result<()> {
    use browser_support::Cdp;
    client
        .issue_cmd(Cdp {
            method: "Emulation.setDeviceMetricsOverride",
            params: serde_json::json!({
                "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600
            }),
        })
        .await?;
    browser_support::emulate(client, media, scheme).await
}

/// Where CI installs axe-core (`npm install --prefix target/npm axe-core@4.14.1`).
fn axe_path() -> Option<PathBuf> {
    let p = common::repo_root().join("target/npm/node_modules/axe-core/axe.min.js");
    p.exists().then_some(p)
}

const AXE_JS: &str = r#"
const done = arguments[arguments.length - 1];
const run = () => axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
}).then(r => done(r.violations.map(v => ({
  id: v.id,
  nodes: v.nodes.length,
  examples: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
}))), e => done([{id: 'axe error: ' + e, nodes: 1, examples: []}]));
if (window.axe) run();
else {
  const s = document.createElement('script');
  s.src = arguments[0];
  s.onload = run;
  s.onerror = () => done([{id: 'cannot load axe-core from ' + arguments[0], nodes: 1, examples: []}]);
  document.head.appendChild(s);
}
"#;

/// axe-core's WCAG 2.1 A and AA violations on every page type, light and
/// dark, wide and narrow: one line per (page, mode, rule).
async fn axe_violations(
    client: &fantoccini::Client,
    site: &Path,
    axe: &Path,
) -> Result<(usize, Vec<String>)> {
    let mut runs = 0;
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        for width in [1400, 390] {
            view(client, width, scheme, "").await?;
            for page in PAGE_TYPES {
                client
                    .goto(&format!("file://{}/{page}", site.display()))
                    .await?;
                settle(client).await?;
                if page.starts_with("search/") {
                    // the results are in
                    client
                        .wait()
                        .for_element(fantoccini::Locator::Css("#search-results li"))
                        .await?;
                }
                let v = client
                    .execute_async(AXE_JS, vec![axe.display().to_string().into()])
                    .await?;
                runs += 1;
                for r in v.as_array().cloned().unwrap_or_default() {
                    found.push(format!(
                        "{page} ({scheme}, {width} px): {} on {} node(s): {}",
                        r["id"].as_str().unwrap_or("?"),
                        r["nodes"],
                        r["examples"]
                    ));
                }
            }
        }
    }
    Ok((runs, found))
}

/// In print media: the screen furniture shown (selectors with a visible
/// box), the mean length in characters of the full lines (every line of a
/// paragraph but its last) of the main text's paragraphs and notes, and
/// the lines counted.
const PRINT_JS: &str = r#"
// (the print edition's contents are a nav, and the document's own)
const furniture = ['.masthead', '.colophon', '.skip', 'form.search', '.pager', '.ann-tag-nav', 'nav:not(.ed-contents)', '.screen-only']
  .filter(sel => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length > 0));
const lens = [];
for (const p of document.querySelectorAll('main p, main li')) {
  if (p.closest('.meta, .dateline, .search-meta, .graph-legend, .entity-chips, .tags, .pager, .provenance-facts, figcaption, .ann-labels, .search-help, .kicker, .label') || p.querySelector('p, li')) continue;
  // the line of each character, from its box
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const lines = [];
  let top = null, n = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    for (let i = 0; i < t.length; i++) {
      const r = document.createRange();
      r.setStart(t, i); r.setEnd(t, i + 1);
      const box = r.getClientRects()[0];
      if (!box || box.width === 0) { n++; continue; }
      if (top !== null && box.top > top + box.height * 0.6) { lines.push(n); n = 0; }
      if (top === null || box.top > top + box.height * 0.6) top = box.top;
      n++;
    }
  }
  // full lines only: not the last, which ends where the text does
  lens.push(...lines);
}
const mean = lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 0;
return {furniture, mean, lines: lens.length};
"#;

/// Print on every page type: no screen furniture, and full lines of 60 to
/// 75 characters (the article with its notes as footnotes included).
async fn print_layout(
    client: &fantoccini::Client,
    site: &Path,
) -> Result<Vec<(String, serde_json::Value)>> {
    // an A4 page's text width at 96 dpi (210 mm less 40 mm of margins)
    view(client, 643, "light", "print").await?;
    let mut out = Vec::new();
    for page in PAGE_TYPES {
        client
            .goto(&format!("file://{}/{page}", site.display()))
            .await?;
        settle(client).await?;
        let v = client.execute(PRINT_JS, vec![]).await?;
        out.push((page.to_string(), v));
    }
    view(client, 1400, "light", "").await?;
    Ok(out)
}

/// The bundled typefaces are the ones the text and the notes are set in,
/// loaded from the site (no network).
const FONTS_JS: &str = r#"
const loaded = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''));
const p = document.querySelector('.article .body p');
const note = document.querySelector('.sidenote .note-body');
return {
  loaded: [...new Set(loaded)].sort(),
  text: getComputedStyle(p).fontFamily.split(',')[0].replace(/"/g, ''),
  note: getComputedStyle(note).fontFamily.split(',')[0].replace(/"/g, ''),
  files: performance.getEntriesByType('resource').map(r => r.name).filter(n => n.endsWith('.woff2')).map(n => n.replace(/^.*\/static\//, 'static/')),
};
"#;

#[tokio::test]
async fn pages_as_a_reader_sees_them() {
    let Some((_session, client)) = browser_support::open("pages_as_a_reader_sees_them").await
    else {
        return;
    };
    let notes = margin_notes(&client).await;
    let seeds = seeds_briefing();
    let fonts = async {
        view(&client, 1400, "light", "").await?;
        client
            .goto(&format!(
                "file://{}/{}",
                seeds.path("site").display(),
                PAGE_TYPES[2]
            ))
            .await?;
        settle(&client).await?;
        client.execute(FONTS_JS, vec![]).await
    }
    .await;
    let print = print_layout(&client, &seeds.path("site")).await;
    let axe = match axe_path() {
        Some(axe) => Some(axe_violations(&client, &seeds.path("site"), &axe).await),
        None => None,
    };
    let _ = client.close().await;
    let (with, off, base) = notes.unwrap();
    check_margin_notes(&with, &off, &base);

    let fonts = fonts.unwrap();
    assert_eq!(fonts["text"], "Source Serif 4", "{fonts}");
    assert_eq!(fonts["note"], "Source Sans 3", "{fonts}");
    let loaded = fonts["loaded"].as_array().unwrap();
    assert!(
        loaded.contains(&"Source Serif 4".into()) && loaded.contains(&"Source Sans 3".into()),
        "{fonts}"
    );
    assert!(
        fonts["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.as_str().unwrap().starts_with("static/fonts/")),
        "{fonts}"
    );

    let mut bad = Vec::new();
    for (page, v) in print.unwrap() {
        let furniture = v["furniture"].as_array().unwrap();
        if !furniture.is_empty() {
            bad.push(format!("{page}: prints {furniture:?}"));
        }
        let (mean, lines) = (v["mean"].as_f64().unwrap(), v["lines"].as_u64().unwrap());
        // pages of lists have few full lines; judge a measure on ten or more
        if lines >= 10 && !(60.0..=75.0).contains(&mean) {
            bad.push(format!(
                "{page}: {mean:.1} characters a line over {lines} lines"
            ));
        }
        println!("print {page}: {mean:.1} characters a line ({lines} full lines)");
    }
    assert!(bad.is_empty(), "print:\n{}", bad.join("\n"));
    match axe {
        Some(result) => {
            let (runs, violations) = result.unwrap();
            assert_eq!(runs, PAGE_TYPES.len() * 4);
            assert!(
                violations.is_empty(),
                "axe-core, WCAG 2.1 AA, {runs} runs:\n{}",
                violations.join("\n")
            );
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("axe-core is not installed (npm install --prefix target/npm axe-core@4.14.1)")
        }
        None => println!(
            "SKIP axe-core checks: not installed (npm install --prefix target/npm axe-core@4.14.1)"
        ),
    }
}
