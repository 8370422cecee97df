//! Property: whatever `build` produces passes `briefing check`. Generated
//! briefings put entity mentions everywhere Markdown can hold text —
//! links, autolinks, images, headings, emphasis, strikethrough, lists,
//! quotes, tables, footnotes, code spans and code blocks — and annotate
//! passages starting and ending anywhere in them (with notes linking to
//! entities, articles and annotations); every internal link and anchor of
//! the rendered site must resolve, and no link may sit inside a link.
//! Built in-process through the library (assemble, render, check), as the
//! command does, so a case costs milliseconds.

use briefing::annotate::AnnotationSource;
use briefing::annotate::anchor::{Method, Outcome, find};
use briefing::config::{Config, EntityLinks};
use briefing::link::check::check_links;
use briefing::markdown::plain_text;
use briefing::project::Inputs;
use briefing::render::render_site;
use briefing::serve::annotate_endpoint::{escape_heading, one_line};
use briefing::site::assemble;
use briefing::theme::Theme;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const ENTITIES: &str = "- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n  description: \"President of **Russia**.\"\n- name: Russia\n  kind: place\n  description: The Russian Federation.\n- name: Storm Shadow\n  kind: weapon\n- name: Storm\n  kind: other\n- name: Minsk\n  kind: place\n";

/// A word of running text: plain words, entity names and their variants.
fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Putin",
        "Vladimir Putin",
        "Russia",
        "Russia's",
        "Russia’s",
        "Storm",
        "Storm Shadow",
        "Stormy",
        "Minsk",
        "said",
        "the",
        "missile",
        "in",
        "report",
        "2024",
    ])
    .prop_map(str::to_string)
}

/// Inline Markdown, nested: emphasis, links, images, code in one another.
fn inline() -> impl Strategy<Value = String> {
    let leaf = prop::collection::vec(word(), 1..4).prop_map(|w| w.join(" "));
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.join(" ")),
            inner.clone().prop_map(|s| format!("*{s}*")),
            inner.clone().prop_map(|s| format!("**{s}**")),
            inner.clone().prop_map(|s| format!("~~{s}~~")),
            inner
                .clone()
                .prop_map(|s| format!("[{s}](https://example.org/x)")),
            inner
                .clone()
                .prop_map(|s| format!("![{s}](https://example.org/i.png)")),
            inner.clone().prop_map(|s| format!("`{s}`")),
            inner.clone().prop_map(|s| format!("{s}\n{s}")),
            Just("<https://example.org/Putin>".to_string()),
            inner.prop_map(|s| format!("{s}[^n]")),
        ]
    })
}

/// A block of Markdown.
fn block() -> impl Strategy<Value = String> {
    let simple = prop_oneof![
        inline(),
        (1usize..7, inline()).prop_map(|(l, s)| format!(
            "{} {}",
            "#".repeat(l),
            s.replace('\n', " ")
        )),
        inline().prop_map(|s| format!("## {} {{#sec .k}}", s.replace('\n', " "))),
        prop::collection::vec(inline(), 1..4).prop_map(|v| {
            v.iter()
                .map(|s| format!("- {}", s.replace('\n', " ")))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        prop::collection::vec(inline(), 1..3).prop_map(|v| {
            v.iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {}", i + 1, s.replace('\n', " ")))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        prop::collection::vec(word(), 1..6).prop_map(|w| format!("```\n{}\n```", w.join(" "))),
        prop::collection::vec(word(), 1..6).prop_map(|w| format!("    {}", w.join(" "))),
        (inline(), inline()).prop_map(|(a, b)| format!(
            "| {} | b |\n|---|---|\n| {} | x |",
            a.replace(['\n', '|'], " "),
            b.replace(['\n', '|'], " ")
        )),
    ];
    simple.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| {
                v.join("\n\n")
                    .lines()
                    .map(|l| format!("> {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            (inline(), inner).prop_map(|(a, b)| {
                let nested: Vec<String> = b.lines().map(|l| format!("  {l}")).collect();
                format!("- {}\n\n{}", a.replace('\n', " "), nested.join("\n"))
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..6).prop_map(|blocks| {
        let mut b = blocks.join("\n\n");
        // every footnote reference has its definition
        if b.contains("[^n]") {
            b.push_str("\n\n[^n]: A footnote naming Putin and [Russia](https://example.org/r).");
        }
        b
    })
}

/// Passages to annotate: where in the plain text, how long, which tags.
type Picks = Vec<(usize, usize, usize)>;

const TAGS: &[&str] = &[
    "",
    " {.claim}",
    " {.event date=2024-11-21}",
    " {.analysis .claim claim=k}",
];

/// The annotation file of article `i`: a heading per passage picked that
/// occurs once in it.
fn annotations(i: usize, body: &str, picks: &Picks) -> Option<AnnotationSource> {
    let plain: Vec<char> = plain_text(body).text.chars().collect();
    let text: String = plain.iter().collect();
    let mut file = format!("---\narticle: a{i}\n---\nOn [[Putin]] and [[a0]].\n");
    let mut quotes = Vec::new();
    for &(at, len, tag) in picks {
        if plain.is_empty() {
            break;
        }
        let at = at % plain.len();
        let quote = one_line(
            &plain[at..(at + len).min(plain.len())]
                .iter()
                .collect::<String>(),
        );
        let once = matches!(find(&text, &quote), Outcome::Found(m) if m.ranges.len() == 1 && m.method != Method::Approximate);
        if quote.is_empty() || !once || quotes.contains(&quote) {
            continue;
        }
        file.push_str(&format!(
            "\n## \"{}\"{}\n\nSee [[Russia]], [[a0]] and [[#{}]].\n",
            escape_heading(&quote),
            TAGS[tag % TAGS.len()],
            briefing::annotate::parse::derive_id(&quote),
        ));
        quotes.push(quote);
    }
    (!quotes.is_empty()).then(|| AnnotationSource {
        file: format!("annotations/a{i}.md"),
        text: Arc::from(file),
    })
}

fn inputs(bodies: &[String], mode: EntityLinks) -> Inputs {
    annotated(bodies, &[], mode)
}

fn annotated(bodies: &[String], picks: &[Picks], mode: EntityLinks) -> Inputs {
    let articles = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("content/a{i}.md"),
                Arc::from(format!(
                    "---\ntitle: \"Article {i} on Putin\"\nslug: a{i}\ndate: 2024-12-0{}\n---\n\n{b}\n",
                    i + 1
                )),
            )
        })
        .collect();
    Inputs {
        config: Config {
            entity_links: mode,
            ..Config::default()
        },
        articles,
        summary: None,
        outlets: None,
        annotations: bodies
            .iter()
            .zip(picks)
            .enumerate()
            .filter_map(|(i, (b, p))| annotations(i, b, p))
            .collect(),
        entities: Some(("entities.yaml".into(), Arc::from(ENTITIES))),
        sources: BTreeMap::new(),
        theme: Theme::builtin(),
        anchor_cache: None,
        view_cache: None,
        policy: Default::default(),
        warnings: Default::default(),
        editions: Default::default(),
    }
}

/// Build in memory and run the link check; the broken links, as text.
fn build_and_check(inputs: &Inputs) -> Vec<String> {
    let briefing = match assemble(inputs) {
        Ok(b) => b,
        Err(p) => panic!("the generated briefing does not build:\n{p}"),
    };
    let outputs = render_site(&briefing, &inputs.theme).expect("renders");
    let files: Vec<(String, Vec<u8>)> = outputs
        .into_iter()
        .map(|o| (o.path.as_str().to_string(), o.bytes))
        .collect();
    let mut problems: Vec<String> = check_links(&files).iter().map(|b| b.to_string()).collect();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            if let Some(at) = link_in_link(&html) {
                problems.push(format!(
                    "{path}: a link inside a link: …{}",
                    &html[at.saturating_sub(200)..at]
                ));
            }
        }
    }
    problems
}

/// Where an `<a>` opens inside another one (HTML forbids it), if anywhere.
fn link_in_link(html: &str) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    let mut open = false;
    let mut i = 0;
    while let Some(j) = lower[i..].find('<') {
        let at = i + j;
        let rest = &lower[at..];
        if rest.starts_with("<a ") || rest.starts_with("<a>") {
            if open {
                return Some(at);
            }
            open = true;
        } else if rest.starts_with("</a>") {
            open = false;
        }
        i = at + 1;
    }
    None
}

#[test]
fn a_first_mention_inside_a_link_keeps_its_anchor() {
    let body = "See [Putin said](https://example.org/x) more about Putin.\n\n![Putin at home](https://example.org/i.png)".to_string();
    let broken = build_and_check(&inputs(&[body], EntityLinks::First));
    assert!(broken.is_empty(), "{broken:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn what_build_produces_passes_check(
        bodies in prop::collection::vec(body(), 1..3),
        picks in prop::collection::vec(
            prop::collection::vec((0usize..500, 1usize..40, 0usize..4), 0..4),
            2,
        ),
        all in any::<bool>(),
    ) {
        let mode = if all { EntityLinks::All } else { EntityLinks::First };
        let broken = build_and_check(&annotated(&bodies, &picks, mode));
        prop_assert!(broken.is_empty(), "broken links: {:#?}\nbodies: {:#?}", broken, bodies);
    }
}
