//! Robustness (issue 15): generated hostile inputs for every parser —
//! saved pages, text dumps, files that are not text, Markdown articles and
//! notes, front matter, `entities.yaml`, sidecars, `briefing.toml` — run
//! through `briefing build`. Each must end with exit 0, or exit 1 and a
//! diagnostic naming the file; never a panic, a signal or a hang.
//!
//! The watchdog ([`WATCHDOG`]) only detects hangs: it is far above any
//! normal run and asserts nothing about speed (performance is measured by
//! `scripts/bench/hostile.py`, which also holds the truly huge sizes).
//! Inputs here are sized for depth, which matters more than bytes, so the
//! file stays quick in a debug build.
//!
//! The property tests at the end call the parsers in-process, on the test
//! thread's 2 MiB stack — the size of the rayon workers the build parses
//! on.

use crate::common;

use common::*;
use proptest::prelude::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A run longer than this is a hang (not a timing assertion).
const WATCHDOG: Duration = Duration::from_secs(120);

/// Depth of the nesting cases (the target).
const DEEP: usize = 100_000;

/// `briefing -C dir args…` with a watchdog: a run past [`WATCHDOG`] is
/// killed and the test fails as a hang.
fn run_watched(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start briefing");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for briefing") {
            break s;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "hang: `briefing {}` still running after {WATCHDOG:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap();
    let stderr = err.join().unwrap();
    let code = match status.code() {
        Some(c) => c,
        None => panic!("killed by a signal ({status}); stderr:\n{}", tail(&stderr)),
    };
    Run {
        code,
        stdout,
        stderr,
    }
}

/// The end of a long stderr, for failure messages.
fn tail(s: &str) -> &str {
    let mut at = s.len().saturating_sub(4000);
    while !s.is_char_boundary(at) {
        at += 1;
    }
    &s[at..]
}

/// Build the project: exit 0, or exit 1 with a diagnostic naming `file`;
/// no panic.
fn survives(p: &TestProject, file: &str) -> Run {
    let start = Instant::now();
    let run = run_watched(p.dir.path(), &["build"]);
    // shown with --nocapture: what each case did
    eprintln!(
        "{file}: exit {} after {:.1?}; {}",
        run.code,
        start.elapsed(),
        run.stderr
            .lines()
            .find(|l| l.contains("error") || l.contains("warning"))
            .unwrap_or("")
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
        "a panic on {file}:\n{}",
        tail(&run.stderr)
    );
    match run.code {
        0 => {}
        1 => assert!(
            run.stderr.contains(file),
            "exit 1 without naming {file}:\n{}",
            tail(&run.stderr)
        ),
        c => panic!("exit {c} on {file}:\n{}", tail(&run.stderr)),
    }
    run
}

/// Like [`survives`], and the build must fail (the input is refused).
fn refused(p: &TestProject, file: &str) -> Run {
    let run = survives(p, file);
    assert_eq!(run.code, 1, "{file} accepted:\n{}", tail(&run.stderr));
    run
}

/// A project with one ordinary article, so a build has a site to make.
fn project() -> TestProject {
    TestProject::new().file("content/ok.md", ARTICLE)
}

const PARA: &str = "The council met on Tuesday evening to discuss the harbour bridge, which reopened after two years of repairs that cost far more than planned. ";

fn page(inner_open: &str, inner_close: &str) -> String {
    let body: String = (0..4)
        .map(|_| format!("<p>{}</p>\n", PARA.repeat(3)))
        .collect();
    format!(
        "<!doctype html><html><head><title>Harbour bridge reopens</title></head>\
         <body><article><h1>Harbour bridge reopens</h1>\n{inner_open}{body}{inner_close}\
         </article></body></html>\n"
    )
}

fn seed(name: &str, bytes: &[u8]) -> TestProject {
    let p = project();
    p.write_bytes(&format!("seeds/{name}"), bytes);
    p
}

// ---- saved HTML pages ---------------------------------------------------

#[test]
fn html_nested_divs() {
    let p = seed(
        "deep.html",
        page(&"<div>".repeat(DEEP), &"</div>".repeat(DEEP)).as_bytes(),
    );
    survives(&p, "seeds/deep.html");
}

#[test]
fn html_unclosed_divs_and_mixed_tags() {
    let p = seed("divs.html", page(&"<div>".repeat(DEEP), "").as_bytes());
    let tags = [
        "div",
        "span",
        "section",
        "em",
        "li",
        "ul",
        "blockquote",
        "table",
        "td",
    ];
    let mixed: String = (0..DEEP)
        .map(|i| format!("<{}>", tags[i % tags.len()]))
        .collect();
    p.write("seeds/mixed.html", &page(&mixed, ""));
    let run = survives(&p, "seeds/");
    if run.code == 1 {
        assert!(run.stderr.contains("seeds/divs.html") || run.stderr.contains("seeds/mixed.html"));
    }
}

#[test]
fn html_unclosed_inline_tags() {
    // html5ever keeps unclosed formatting elements open and reconstructs
    // them in every later paragraph
    let bold: String = (0..6_000).map(|i| format!("<b>w{i} ")).collect();
    let p = seed("bold.html", page(&format!("<p>{bold}</p>"), "").as_bytes());
    // distinct attributes defeat the three-identical-elements limit
    let font: String = (0..6_000)
        .map(|i| format!("<font color=\"#{i:06x}\">"))
        .collect();
    p.write("seeds/font.html", &page(&font, ""));
    survives(&p, "seeds/");
}

#[test]
fn html_one_long_line() {
    // 1 MB on one line (the 50 MB case is in scripts/bench/hostile.py)
    let text = PARA.repeat(1 << 20 >> 7);
    let p = seed(
        "line.html",
        format!("<html><head><title>Harbour bridge reopens</title></head><body><article><h1>Harbour bridge reopens</h1><p>{text}</p></article></body></html>").as_bytes(),
    );
    survives(&p, "seeds/line.html");
}

#[test]
fn html_odd_markup() {
    let p = project();
    let cases: [(&str, String); 7] = [
        (
            "attrs.html",
            page(&format!("<div {}>", "a=b ".repeat(50_000)), "</div>"),
        ),
        ("comment.html", page("<!--", "")),
        ("script.html", page("<script>", "")),
        ("table.html", page(&"<table><tr><td>".repeat(3_000), "")),
        // html5ever's serializer is quadratic in a text node full of `&`
        // (see clean/html/escape_cost.rs)
        (
            "entities.html",
            page(
                &format!(
                    "<p>{}</p>",
                    "&amp;&#x0;&#xD800;&#1114112;&bogus;&nbsp;\u{b7}".repeat(10_000)
                ),
                "",
            ),
        ),
        (
            "attr-entities.html",
            page(&format!("<p title=\"{}\">", "&amp;".repeat(50_000)), "</p>"),
        ),
        ("nul.html", page("\0<p>\0\u{1}\u{1b}[31m</p>", "")),
    ];
    for (name, text) in &cases {
        p.write(&format!("seeds/{name}"), text);
    }
    survives(&p, "seeds/");
}

// ---- text dumps -----------------------------------------------------------

#[test]
fn dump_one_long_line() {
    let text = format!("Harbour bridge reopens\n\n{}\n", PARA.repeat(1 << 20 >> 7));
    let p = seed("line.txt", text.as_bytes());
    survives(&p, "seeds/line.txt");
}

fn dump_text() -> String {
    format!(
        "Harbour bridge reopens in Zürich\n\nBy Ann Analyst\n\n{}\n\n{}\n",
        PARA.repeat(3),
        PARA.repeat(2)
    )
}

#[test]
fn dumps_in_odd_encodings() {
    let text = dump_text();
    let mut utf16le = vec![0xff, 0xfe];
    utf16le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf16be = vec![0xfe, 0xff];
    utf16be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    // UTF-16 without a BOM, odd length
    let mut bare16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bare16.push(b'x');
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u32::from(c).try_into().unwrap_or(b'?'))
        .collect();
    let mut invalid = text.clone().into_bytes();
    invalid.splice(30..30, [0xff, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]);
    let nul = text.replace(' ', "\0 ").into_bytes();
    let control: String = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 7 == 0 {
                char::from_u32(i as u32 % 32).unwrap()
            } else {
                c
            }
        })
        .collect();
    let mut bom8 = vec![0xef, 0xbb, 0xbf];
    bom8.extend(text.as_bytes());
    let p = project();
    for (name, bytes) in [
        ("utf16le.txt", utf16le.clone()),
        ("utf16be.txt", utf16be),
        ("bare16.txt", bare16),
        ("latin1.txt", latin1.clone()),
        ("invalid.txt", invalid.clone()),
        ("nul.txt", nul),
        ("control.txt", control.into_bytes()),
        ("bom8.txt", bom8),
        ("utf16le.html", {
            let mut v = vec![0xff, 0xfe];
            v.extend(page("", "").encode_utf16().flat_map(u16::to_le_bytes));
            v
        }),
        ("latin1.html", {
            let mut v = page("", "").into_bytes();
            v.extend(&latin1);
            v
        }),
        ("invalid.html", {
            let mut v = page("", "").into_bytes();
            v.extend(&invalid);
            v
        }),
    ] {
        p.write_bytes(&format!("seeds/{name}"), &bytes);
    }
    survives(&p, "seeds/");
}

// ---- files that are not text ----------------------------------------------

#[test]
fn seeds_that_are_not_text() {
    let p = project();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0\0\0!\0\xff\xff\xff\xff";
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..100_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    for (name, bytes) in [
        ("png.html", &png[..]),
        ("png.txt", &png[..]),
        ("pdf.txt", &pdf[..]),
        ("pdf.html", &pdf[..]),
        ("zip.txt", &zip[..]),
        ("noise.txt", &noise[..]),
        ("noise.htm", &noise[..]),
        ("empty.txt", b""),
        ("empty.html", b""),
        ("blank.txt", b" \n\n\t\r\n"),
    ] {
        p.write_bytes(&format!("seeds/{name}"), bytes);
    }
    survives(&p, "seeds/");
}

#[test]
fn a_directory_named_like_a_seed() {
    let p = project();
    std::fs::create_dir_all(p.path("seeds/folder.html")).unwrap();
    std::fs::create_dir_all(p.path("seeds/folder.txt/inner")).unwrap();
    std::fs::create_dir_all(p.path("seeds/folder.meta.yaml")).unwrap();
    survives(&p, "seeds/folder");
}

#[test]
fn project_files_that_are_not_text() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\xff\xfe\0";
    for file in [
        "content/png.md",
        "annotations/png.md",
        "entities.yaml",
        "briefing.toml",
        "seeds/x.meta.yaml",
    ] {
        let p = project();
        p.write("seeds/x.txt", &dump_text());
        p.write_bytes(file, png);
        refused(&p, file);
    }
    // a directory where a file is expected
    let p = project();
    std::fs::create_dir_all(p.path("entities.yaml")).unwrap();
    refused(&p, "entities.yaml");
    // without a briefing.toml file the directory is no briefing: a usage
    // error (exit 2) that names the file
    let p = project();
    std::fs::remove_file(p.path("briefing.toml")).unwrap();
    std::fs::create_dir_all(p.path("briefing.toml")).unwrap();
    let run = run_watched(p.dir.path(), &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("briefing.toml is not a file") && !run.stderr.contains("panicked"),
        "{}",
        run.stderr
    );
}

// ---- Markdown articles and notes ------------------------------------------

const HEAD: &str = "---\ntitle: Deep\nslug: deep\n---\n\nThe passage is here.\n\n";

fn nestings() -> Vec<(&'static str, String)> {
    vec![
        ("lists", format!("{}x", "- ".repeat(DEEP))),
        ("quotes", format!("{}x", "> ".repeat(DEEP))),
        ("ordered", format!("{}x", "1. ".repeat(DEEP))),
        ("mixed", format!("{}x", "> - ".repeat(DEEP / 2))),
        (
            "emphasis",
            format!("{}x{}", "*a ".repeat(DEEP), " b*".repeat(DEEP)),
        ),
        (
            "links",
            format!("{}x{}", "[".repeat(DEEP), "](y)".repeat(DEEP)),
        ),
        (
            "images",
            format!("{}x{}", "![".repeat(DEEP / 2), "](y)".repeat(DEEP / 2)),
        ),
        ("html", format!("{}x", "<div>".repeat(DEEP))),
        (
            "indented",
            (0..1_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "footnotes",
            (0..20_000)
                .map(|i| format!("[^{i}]: [^{}]\n", i + 1))
                .collect(),
        ),
        ("wikilinks", "[[".repeat(DEEP) + &"]]".repeat(DEEP)),
        (
            "table",
            format!("|a|b|\n|-|-|\n{}", "|x|y|\n".repeat(20_000)),
        ),
        (
            "entities",
            "&amp;&#0;&#xD800;&#99999999;&nbsp;".repeat(20_000),
        ),
    ]
}

#[test]
fn articles_nested_deeply() {
    let p = project();
    for (name, body) in nestings() {
        p.write(
            &format!("content/{name}.md"),
            &format!(
                "{}{body}\n",
                HEAD.replace("slug: deep", &format!("slug: {name}"))
            ),
        );
    }
    // deep Markdown is valid Markdown: the site is built
    let run = survives(&p, "content/");
    assert_eq!(run.code, 0, "{}", tail(&run.stderr));
    assert!(p.exists("site/articles/lists/index.html"));
}

#[test]
fn notes_nested_deeply() {
    let p = project().file("content/deep.md", &format!("{HEAD}A plain paragraph.\n"));
    let (wikilinks, valid): (Vec<_>, Vec<_>) =
        nestings().into_iter().partition(|(n, _)| *n == "wikilinks");
    for (name, body) in valid {
        p.write(
            &format!("annotations/{name}.md"),
            &format!(
                "---\narticle: deep\n---\n\n## \"The passage is here.\" {{#n-{name}}}\n\n{body}\n"
            ),
        );
    }
    // valid notes: the site is built, every note rendered
    let run = survives(&p, "annotations/");
    assert_eq!(run.code, 0, "{}", tail(&run.stderr));
    assert!(p.exists("site/articles/deep/index.html"));
    // `[[[[…]]]]` is an unresolved wikilink
    for (name, body) in wikilinks {
        p.write(
            &format!("annotations/{name}.md"),
            &format!(
                "---\narticle: deep\n---\n\n## \"The passage is here.\" {{#n-{name}}}\n\n{body}\n"
            ),
        );
    }
    survives(&p, "annotations/wikilinks.md");
}

#[test]
fn a_note_heading_nested_deeply() {
    let p = project().file("content/deep.md", &format!("{HEAD}A plain paragraph.\n"));
    // a heading whose quote and attribute block are themselves deep
    p.write(
        "annotations/quote.md",
        &format!(
            "---\narticle: deep\n---\n\n## \"{}\" {{#{} .{}}}\n\nx\n",
            "\"".repeat(DEEP),
            "{".repeat(DEEP),
            "}".repeat(DEEP)
        ),
    );
    survives(&p, "annotations/");
}

// ---- YAML: front matter, entities.yaml, sidecars, notes --------------------

/// Hostile YAML documents (each a whole mapping document).
fn hostile_yaml() -> Vec<(&'static str, String)> {
    let mut laughs = String::from(
        "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    vec![
        ("billion laughs", format!("{laughs}title: *a9\n")),
        ("merge bomb", format!("{laughs}<<: *a9\n")),
        ("deep flow list", format!("title: {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP))),
        ("deep flow map", format!("title: {}{}\n", "{a: ".repeat(DEEP), "}".repeat(DEEP))),
        ("unclosed flow", format!("title: {}\n", "[{".repeat(DEEP))),
        (
            "deep block map",
            (0..2_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect(),
        ),
        ("deep block list", format!("title:\n{}x\n", "- ".repeat(DEEP))),
        ("huge key", format!("{}: 1\ntitle: x\n", "k".repeat(1 << 20))),
        ("huge value", format!("title: {}\n", "v".repeat(1 << 20))),
        ("many keys", (0..50_000).map(|i| format!("k{i}: {i}\n")).collect()),
        ("wrong types", "title: [1, 2]\ndate: {a: b}\nslug: 5\nkind: [person]\nname: {x: 1}\nurl: [1]\narticle: {a: 1}\ntags: 7\n".to_string()),
        ("tags", "title: !!binary aGVsbG8=\ndate: !custom x\nslug: !!python/object x\n".to_string()),
        ("anchors undefined", "title: *nowhere\n".to_string()),
        ("recursive alias", "a: &a [*a]\ntitle: *a\n".to_string()),
        ("control chars", "title: \"\\0\\x01\\u202e\"\nslug: \"a\u{1}b\"\n".to_string()),
        ("tabs", "title:\t\tx\n\t- y\n".to_string()),
        ("documents", "title: a\n---\ntitle: b\n...\n---\n".to_string()),
    ]
}

#[test]
fn hostile_front_matter() {
    let p = project();
    for (i, (_, yaml)) in hostile_yaml().iter().enumerate() {
        p.write(
            &format!("content/y{i}.md"),
            &format!("---\n{yaml}---\n\nBody {i}.\n"),
        );
    }
    survives(&p, "content/");
}

#[test]
fn hostile_note_front_matter() {
    let p = project();
    for (i, (_, yaml)) in hostile_yaml().iter().enumerate() {
        p.write(
            &format!("annotations/y{i}.md"),
            &format!("---\narticle: ok\n{yaml}---\n\nNote {i}.\n"),
        );
    }
    survives(&p, "annotations/");
}

#[test]
fn hostile_entities_yaml() {
    for (what, yaml) in hostile_yaml() {
        for doc in [
            yaml.clone(),
            // the same inside a list entry, where entities live
            format!(
                "- name: Ann\n  kind: person\n{}",
                yaml.replace("title:", "description:")
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            ),
        ] {
            let p = project();
            p.write("entities.yaml", &doc);
            let run = survives(&p, "entities.yaml");
            assert!(
                run.code == 1 || !run.stderr.contains("error"),
                "{what}: {}",
                tail(&run.stderr)
            );
        }
    }
}

#[test]
fn hostile_sidecars() {
    let p = project();
    for (i, (_, yaml)) in hostile_yaml().iter().enumerate() {
        p.write(
            &format!("seeds/s{i}.txt"),
            &dump_text().replace("Zürich", &format!("Zürich {i}")),
        );
        p.write(&format!("seeds/s{i}.meta.yaml"), yaml);
    }
    // a sidecar without its seed
    p.write("seeds/alone.meta.yaml", "url: https://example.org/\n");
    survives(&p, "seeds/s");
}

// ---- briefing.toml ----------------------------------------------------------

#[test]
fn hostile_briefing_toml() {
    let cases: Vec<(&str, String)> = vec![
        (
            "deep array",
            format!("x = {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
        ),
        (
            "deep inline table",
            format!("x = {}1{}\n", "{a = ".repeat(DEEP), "}".repeat(DEEP)),
        ),
        ("unclosed", format!("x = {}\n", "[{a=".repeat(DEEP))),
        (
            "deep dotted key",
            format!("{} = 1\n", vec!["a"; DEEP].join(".")),
        ),
        (
            "deep table header",
            format!("[{}]\n", vec!["a"; DEEP].join(".")),
        ),
        ("huge key", format!("{} = 1\n", "k".repeat(1 << 20))),
        (
            "huge value",
            format!("title = \"{}\"\n", "v".repeat(1 << 20)),
        ),
        (
            "wrong types",
            "title = 5\nbase_url = [1]\nlanguage = {a = 1}\n".to_string(),
        ),
        ("duplicate", "title = \"a\"\ntitle = \"b\"\n".to_string()),
        ("control", "title = \"a\u{0}b\"\n".to_string()),
        ("yaml", "title: \"a\"\nbase_url: *x\n".to_string()),
    ];
    for (what, toml) in cases {
        let p = project();
        p.write("briefing.toml", &toml);
        let run = survives(&p, "briefing.toml");
        // a huge value is a valid title, and an unknown key (however
        // long) a warning; the rest is refused
        if what != "huge value" && what != "huge key" {
            assert_eq!(run.code, 1, "{what} accepted");
        }
    }
    // invalid UTF-8
    let p = project();
    p.write_bytes("briefing.toml", b"title = \"\xff\xfe\"\n");
    refused(&p, "briefing.toml");
}

// ---- property tests: the parsers in-process -------------------------------

/// Text that is mostly the given parser's own syntax, nested to a random
/// depth: `open` repeated, some filler, maybe `close` repeated.
fn nested(
    open: &'static [&'static str],
    close: &'static [&'static str],
) -> impl Strategy<Value = String> {
    (
        prop::sample::select(open),
        prop::sample::select(close),
        0usize..20_000,
        "[a-z :#\\-\\[\\]{}&*!|>'\"\n]{0,20}",
        any::<bool>(),
    )
        .prop_map(|(o, c, n, filler, closed)| {
            let mut s = o.repeat(n);
            s.push_str(&filler);
            if closed {
                s.push_str(&c.repeat(n));
            }
            s
        })
}

const YAML_OPEN: &[&str] = &[
    "[", "{a: ", "- ", "[{", "? ", "&a [", "!t [", "\"", "  k:\n",
];
const YAML_CLOSE: &[&str] = &["]", "}", "\n", "}]", "'", "*a, "];

const TOML_OPEN: &[&str] = &["[", "{a = ", "[{a=", "a.", "[[", "\"\\u"];
const TOML_CLOSE: &[&str] = &["]", "}", "}]", "]]", "\""];

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x7f]{0,200}",
        "(---\n)?[a-z]{0,5}: [\\[\\]{}&*!|>'\"a-z0-9 ,:\n-]{0,200}(\n---\n)?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn config_parse_never_panics(text in prop_oneof![
        any_text(),
        nested(TOML_OPEN, TOML_CLOSE).prop_map(|s| format!("x = {s}\n")),
        nested(TOML_OPEN, TOML_CLOSE),
    ]) {
        if let Err(p) = briefing::config::Config::parse("briefing.toml", &text) {
            prop_assert_eq!(p.file.as_str(), "briefing.toml");
        }
    }

    #[test]
    fn sidecar_parse_never_panics(text in prop_oneof![
        any_text(),
        nested(YAML_OPEN, YAML_CLOSE),
        nested(YAML_OPEN, YAML_CLOSE).prop_map(|s| format!("url: {s}\n")),
    ]) {
        if let Err(p) = briefing::sidecar::parse("seeds/x.meta.yaml", Arc::from(text)) {
            prop_assert_eq!(p.file.as_str(), "seeds/x.meta.yaml");
        }
    }

    #[test]
    fn registry_parse_never_panics(text in prop_oneof![
        any_text(),
        nested(YAML_OPEN, YAML_CLOSE),
        nested(YAML_OPEN, YAML_CLOSE).prop_map(|s| format!("- name: A\n  kind: {s}\n")),
    ]) {
        if let Err(ps) = briefing::link::registry::Registry::parse("entities.yaml", Arc::from(text)) {
            for p in ps.iter() {
                prop_assert_eq!(p.file.as_str(), "entities.yaml");
            }
        }
    }

    #[test]
    fn article_parse_never_panics(text in prop_oneof![
        any_text(),
        nested(YAML_OPEN, YAML_CLOSE).prop_map(|s| format!("---\ntitle: {s}\n---\n\nBody.\n")),
        nested(&["- ", "> ", "1. ", "*", "[", "<div>", "    "], &["*", "](x)", "</div>", "\n"])
            .prop_map(|s| format!("---\ntitle: T\n---\n\n{s}\n")),
    ]) {
        if let Err(p) = briefing::content::parse_article("content/x.md", Arc::from(text)) {
            prop_assert_eq!(p.file.as_str(), "content/x.md");
        }
    }
}

// ---- serve: a hostile save is at most a failed build ----------------------

use crate::live_common;

/// While `serve` runs, hostile seeds, articles, notes and YAML are saved
/// into the project: each gives a rebuild or a failed build (with the
/// overlay's error naming the file), the server stays up, and the last
/// good pages stay served.
#[test]
fn serve_survives_hostile_saves() {
    use live_common::{Running, fixture, get};
    let dir = fixture();
    let root = dir.path();
    std::fs::create_dir_all(root.join("seeds")).unwrap();
    let mut r = Running::serve(root);
    let url = r.url().to_string();
    let alpha = |url: &str| {
        let page = get(url, "/articles/alpha/");
        assert_eq!(page.status, 200, "the last good alpha page is served");
        assert!(page.body.contains("The first paragraph of alpha"));
    };
    alpha(&url);
    let is_rebuild = |l: &str| l.starts_with("rebuilt ") || l.starts_with("build failed");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let laughs = {
        let mut y = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            y.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 9].join(", ")
            ));
        }
        y
    };
    let steps: Vec<(&str, Vec<u8>, bool)> = vec![
        (
            "seeds/deep.html",
            page(&"<div>".repeat(DEEP), &"</div>".repeat(DEEP)).into_bytes(),
            false,
        ),
        (
            "seeds/bold.html",
            page(
                &(0..6_000).map(|i| format!("<b>w{i} ")).collect::<String>(),
                "",
            )
            .into_bytes(),
            false,
        ),
        (
            "content/deep.md",
            format!("{HEAD}{}x\n\n{}x\n", "- ".repeat(DEEP), "> ".repeat(DEEP)).into_bytes(),
            false,
        ),
        (
            "annotations/deep.md",
            format!(
                "---\narticle: deep\n---\n\n## \"The passage is here.\"\n\n{}x\n",
                "> - ".repeat(DEEP / 2)
            )
            .into_bytes(),
            false,
        ),
        ("seeds/png.html", png, true),
        (
            "content/bomb.md",
            format!("---\n{laughs}title: *a9\n---\n\nBody.\n").into_bytes(),
            true,
        ),
        (
            "entities.yaml",
            format!("- name: {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)).into_bytes(),
            true,
        ),
    ];
    let mut failed = false;
    for (file, bytes, fails) in &steps {
        let mut events = live_common_events(&url);
        // saved whole, as an editor does (a temporary renamed over it): a
        // plain write can be seen empty first, and an empty file builds
        // where the whole one fails (or the other way), two rebuilds for
        // one step on a busy machine
        let tmp = root.join(format!("{file}___jb_tmp___"));
        std::fs::write(&tmp, bytes).unwrap();
        std::fs::rename(&tmp, root.join(file)).unwrap();
        let line = r.wait_line(is_rebuild);
        if *fails || failed {
            assert!(line.starts_with("build failed"), "{file}: {line}");
        } else {
            assert!(line.starts_with("rebuilt "), "{file}: {line}");
        }
        if *fails && !failed {
            // the overlay names the file
            let (_, data) = events.find(|(n, _)| n == "error").expect("an error event");
            assert!(data.contains(file), "{data}");
        }
        failed |= *fails;
        alpha(&url);
    }
    let log = r.drain();
    assert!(!log.contains("panicked"), "{log}");
    // fixed: the site builds again, with the hostile pages that were fine
    for (file, _, fails) in &steps {
        if *fails {
            std::fs::remove_file(root.join(file)).unwrap();
        }
    }
    r.wait_line(|l| l.starts_with("rebuilt "));
    alpha(&url);
    assert_eq!(get(&url, "/articles/deep/").status, 200);
}

/// The events of the live-reload stream, from now on (bounded waits).
fn live_common_events(url: &str) -> impl Iterator<Item = (String, String)> {
    use std::io::{BufRead, BufReader, Write};
    let host = url.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&host).unwrap();
    s.set_read_timeout(Some(live_common::WAIT)).unwrap();
    write!(
        s,
        "GET /__briefing/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut name = String::new();
    BufReader::new(s)
        .lines()
        .map_while(Result::ok)
        .filter_map(move |l| {
            if let Some(n) = l.strip_prefix("event: ") {
                name = n.to_string();
                None
            } else {
                l.strip_prefix("data: ")
                    .map(|d| (name.clone(), d.to_string()))
            }
        })
}
