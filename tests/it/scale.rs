//! Pages at scale: a briefing built programmatically with more articles,
//! mentions and annotations than the pages show in full, checking that the
//! listings are capped or paginated and that every article, mention list
//! and annotation stays reachable by links.

use crate::common;

use common::TestProject;
use std::collections::BTreeSet;

/// Articles in the big fixture: more than an archive page (1000), an
/// entity's list page (20 in context + 1000), a timeline page (1000).
const N: usize = 1050;
/// Annotated articles (one annotation each, tagged `signal`): more than an
/// annotation page (200).
const ANNOTATED: usize = 210;

fn slug(i: usize) -> String {
    format!("a-{i:04}")
}

/// Article `i`, dated 12 a day from 1 January 2024 (three months for the
/// whole fixture); the newest names Putin six times in one paragraph.
fn article(i: usize) -> String {
    let day = jiff::civil::date(2024, 1, 1)
        .checked_add(jiff::Span::new().days((i / 12) as i64))
        .unwrap();
    let putin = if i == N - 1 {
        "Putin spoke. Putin again. Putin once more. Putin and Putin. Putin last."
    } else {
        "Putin spoke again. Putin said more. Putin left."
    };
    format!(
        "---\ntitle: \"Report number {i}\"\nslug: {}\ndate: {day}T{:02}:00:00\nbyline: Desk {}\n---\n\nThe delegation arrived in Minsk for round {i}.\n\n{putin}\n",
        slug(i),
        i % 12 + 8,
        i % 3
    )
}

fn big() -> TestProject {
    let p = TestProject::new().file(
        "entities.yaml",
        "- name: Minsk\n  kind: place\n  description: Capital of Belarus.\n- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n  description: President of Russia.\n",
    );
    for i in 0..N {
        p.write(&format!("content/{}.md", slug(i)), &article(i));
    }
    // the newest articles are annotated
    for i in N - ANNOTATED..N {
        p.write(
            &format!("annotations/{}.md", slug(i)),
            &format!(
                "---\narticle: {}\n---\n\n## \"arrived in Minsk\" {{#arrival .signal}}\n\nAnother round in [[Minsk]].\n",
                slug(i)
            ),
        );
    }
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    p
}

/// The article slugs an HTML page links to (`…articles/<slug>/index.html`).
fn linked_articles(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("articles/a-") {
        let rest = &html[i + "articles/".len()..];
        let end = rest.find('/').unwrap();
        out.push(rest[..end].to_string());
    }
    out
}

#[test]
fn listings_are_capped_or_paginated_and_reach_every_article() {
    let p = big();
    let all: BTreeSet<String> = (0..N).map(slug).collect();

    // The archive: every article once, a thousand a page, newest first.
    let page1 = p.read("site/articles/index.html");
    let page2 = p.read("site/articles/index-2.html");
    assert!(!p.exists("site/articles/index-3.html"));
    let mut archived = linked_articles(&page1);
    assert_eq!(archived.len(), 1000);
    assert_eq!(archived[0], slug(N - 1), "newest first");
    archived.extend(linked_articles(&page2));
    assert_eq!(archived.len(), N, "each article once");
    assert_eq!(archived.iter().cloned().collect::<BTreeSet<_>>(), all);
    assert!(
        page1.contains("<a rel=\"next\" href=\"../articles/index-2.html\">"),
        "{page1}"
    );
    assert!(
        page2.contains("<h2>January 2024 <span class=\"count\">"),
        "grouped by month"
    );

    // The front page: the latest articles with summaries, then the archive.
    let index = p.read("site/index.html");
    assert_eq!(index.matches("<li class=\"card\">").count(), 30);
    assert!(
        index.contains(&format!(
            "<a href=\"articles/index.html\">All {N} articles</a>"
        )),
        "{index}"
    );
    assert!(index.len() < 100_000, "index.html is {} bytes", index.len());
    assert!(
        index.contains("<a href=\"articles/index.html\">Articles</a>"),
        "the masthead links the archive"
    );

    // The 404 page: a few recent articles and the archive.
    let nf = p.read("site/404.html");
    assert_eq!(linked_articles(&nf).len(), 10);
    assert!(nf.contains(&format!("All {N} articles</a>")), "{nf}");
    assert!(nf.len() < 10_000);

    // No page grows with the briefing — but the print edition, which is
    // the whole briefing by design (tests/it/edition.rs)
    for (path, bytes) in common::snapshot(&p.path("site")) {
        if path.ends_with(".html") && path != "edition/index.html" {
            assert!(bytes.len() < 400_000, "{path} is {} bytes", bytes.len());
        }
    }
    assert_eq!(p.run(&["check"]).code, 0, "every link and anchor resolves");
}

#[test]
fn entity_pages_show_recent_mentions_in_context_then_every_other_article() {
    let p = big();
    let minsk = p.read("site/entities/minsk/index.html");
    let (context, rest) = minsk.split_once("id=\"others-heading\"").unwrap();
    // 20 articles in context, newest first, each with its snippet
    let groups = context.matches("<h3><a href=").count();
    assert_eq!(groups, 20);
    let in_context = linked_articles(context);
    assert_eq!(in_context[0], slug(N - 1));
    assert!(context.contains(&format!("Mentions <span class=\"count\">{N}</span>")));
    assert!(
        context.contains(&format!("In {N} articles: the 20 most recent in context")),
        "{context}"
    );
    assert!(
        context.contains("<mark>Minsk</mark> for round 1049."),
        "{context}"
    );
    // then the others by title and date, a thousand a page
    let others = rest.split("id=\"notes-heading\"").next().unwrap();
    let listed = linked_articles(others);
    assert_eq!(listed.len(), 1000, "the first page of the list");
    assert!(others.contains("<time datetime=\"2024-03-"), "{others}");
    let page2 = p.read("site/entities/minsk/index-2.html");
    let listed2 = linked_articles(&page2);
    assert_eq!(listed2.len(), N - 20 - 1000);
    assert!(!p.exists("site/entities/minsk/index-3.html"));
    assert!(
        !page2.contains("<mark>"),
        "no contexts after the first page"
    );
    let mut seen: BTreeSet<String> = in_context.into_iter().collect();
    seen.extend(listed);
    seen.extend(listed2);
    assert_eq!(seen.len(), N, "every article naming Minsk is linked");
    // annotations naming it: the most recent, with the total
    let notes = rest.split("id=\"notes-heading\"").nth(1).unwrap();
    assert!(
        notes.contains(&format!("<span class=\"count\">{ANNOTATED}</span>")),
        "{notes}"
    );
    assert_eq!(notes.matches("<li><a href=").count(), 20);

    // at most a few snippets per article, and a link to the rest
    let putin = p.read("site/entities/vladimir-putin/index.html");
    let newest = putin.split("<h3>").nth(1).unwrap();
    let newest = newest.split("<h3>").next().unwrap();
    assert_eq!(newest.matches("<mark>").count(), 3, "{newest}");
    assert!(
        newest.contains(&format!(
            "<a href=\"../../articles/{}/index.html\">3 more mentions in this article</a>",
            slug(N - 1)
        )),
        "{newest}"
    );
    // the list says how often an article names the entity, beside its day
    let listed = putin.split("id=\"others-heading\"").nth(1).unwrap();
    let row = format!(
        "<li><a href=\"../../articles/{0}/index.html\">Report number {1}</a> <span class=\"meta\"><time datetime=\"2024-03-",
        slug(N - 21),
        N - 21
    );
    let row_at = listed
        .find(&row)
        .expect("the newest article not in context");
    let row_end = row_at + listed[row_at..].find("</li>").unwrap();
    assert!(
        listed[row_at..row_end].ends_with("</span> <span class=\"meta\">· 3 mentions</span>"),
        "{}",
        &listed[row_at..row_end]
    );
    // the first quote links the article's first mention, which has the
    // anchor (the later ones have none)
    assert!(
        newest.contains(&format!(
            "<li><a href=\"../../articles/{}/index.html#mention-vladimir-putin-1\">",
            slug(N - 1)
        )),
        "{newest}"
    );
    assert_eq!(newest.matches("<li><a href=").count(), 1, "{newest}");
    let a = p.read(&format!("site/articles/{}/index.html", slug(N - 1)));
    assert!(a.contains("id=\"mention-vladimir-putin-1\""), "{a}");
    assert!(!a.contains("id=\"mention-vladimir-putin-2\""), "{a}");
}

#[test]
fn annotation_and_timeline_listings_are_paginated() {
    let p = big();
    // every annotation, by article (newest first), 200 a page
    let index = p.read("site/annotations/index.html");
    let index2 = p.read("site/annotations/index-2.html");
    assert!(!p.exists("site/annotations/index-3.html"));
    assert!(index.contains(&format!(
        "Every annotation <span class=\"count\">{ANNOTATED}</span>"
    )));
    let count = |html: &str| html.matches("<li class=\"ann-item").count();
    assert_eq!(count(&index), 200);
    assert_eq!(count(&index) + count(&index2), ANNOTATED);
    assert!(
        index.contains(&format!("<h2><a href=\"../articles/{}/index.html\">Report number {}</a> <span class=\"count\">1</span></h2>", slug(N - 1), N - 1)),
        "grouped by article: {index}"
    );
    // one tag, two pages
    let tag = p.read("site/annotations/tags/signal/index.html");
    let tag2 = p.read("site/annotations/tags/signal/index-2.html");
    assert_eq!(count(&tag), 200);
    assert_eq!(count(&tag2), ANNOTATED - 200);
    assert!(tag.contains(&format!(
        "Tagged “signal” <span class=\"count\">{ANNOTATED}</span>"
    )));
    assert!(
        tag2.contains("<a rel=\"prev\" href=\"../../../annotations/tags/signal/index.html\">"),
        "{tag2}"
    );

    // the timeline: whole months, up to a thousand entries a page
    let t1 = p.read("site/timeline/index.html");
    let t2 = p.read("site/timeline/index-2.html");
    assert!(t1.contains("id=\"m-2024-01\"") && t1.contains("id=\"m-2024-02\""));
    assert!(!t1.contains("id=\"m-2024-03\"") && t2.contains("id=\"m-2024-03\""));
    assert_eq!(linked_articles(&t1).len() + linked_articles(&t2).len(), N);
    // the front page's strip summarises stretches of time, linking to them
    let index = p.read("site/index.html");
    let strip = index.split("<svg class=\"timeline-strip\"").nth(1).unwrap();
    let strip = strip.split("</svg>").next().unwrap();
    let marks = strip.matches("<a href=").count();
    assert!(marks > 10 && marks <= 100, "{marks} marks");
    assert!(
        strip.contains("href=\"timeline/index-2.html#m-2024-03\""),
        "{strip}"
    );
    assert!(strip.contains("articles published</title>"), "{strip}");
}

#[test]
fn the_entity_graph_shows_the_most_mentioned_and_their_strongest_links() {
    let names: Vec<String> = (1..=70).map(|i| format!("Town{i:02}")).collect();
    let registry: String = names
        .iter()
        .map(|n| format!("- name: {n}\n  kind: place\n"))
        .collect();
    // Town01 is named most, Town70 least; every pair shares paragraphs
    let p = TestProject::new().file("entities.yaml", &registry);
    for a in 0..3 {
        let mut body = String::new();
        for (i, n) in names.iter().enumerate() {
            body.push_str(&format!("{n} ").repeat(70 - i));
        }
        p.write(
            &format!("content/t{a}.md"),
            &format!(
                "---\ntitle: \"Towns {a}\"\ndate: 2024-05-0{}\n---\n\n{body}\n",
                a + 1
            ),
        );
    }
    assert_eq!(p.run(&["build"]).code, 0);
    let html = p.read("site/entities/index.html");
    let graph = html.split("<svg class=\"graph\"").nth(1).unwrap();
    assert_eq!(graph.matches("class=\"node kind-place\"").count(), 60);
    assert_eq!(graph.matches("<line ").count(), 180);
    assert!(graph.contains(">Town01</text>") && !graph.contains(">Town61</text>"));
    assert!(
        html.contains("Shown: the 60 most mentioned of 70 entities, and the 180 strongest of 2415 links among them."),
        "{html}"
    );
    // every entity keeps its page and its place in the list
    assert!(html.contains("href=\"../entities/town70/index.html\">Town70</a>"));
}
