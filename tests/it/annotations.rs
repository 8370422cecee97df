//! Annotations end to end: fixture projects built with the `briefing`
//! binary (exact diagnostics, failed builds keep the old site, rendered
//! pages), and the library on small inputs (registry wikilinks, duplicate
//! ids, overlapping passages, events, backlink targets, the seed briefing).

use crate::common;

use assert_cmd::Command;
use briefing::annotate::{self, AnchorInputs, AnnotationSource, Method, Target};
use briefing::content::{Article, parse_article};
use briefing::link::Registry;
use briefing::markdown;
use common::copy_dir;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/annotations")
}

/// A project in a tempdir: the `good` articles with `case`'s annotations.
fn project(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("briefing.toml"), "").unwrap();
    copy_dir(
        &fixtures().join("good/content"),
        &dir.path().join("content"),
    );
    copy_dir(
        &fixtures().join(case).join("annotations"),
        &dir.path().join("annotations"),
    );
    dir
}

fn build(dir: &Path) -> (i32, String) {
    let out = Command::cargo_bin("briefing")
        .unwrap()
        .arg("-C")
        .arg(dir)
        .arg("build")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The headline and help lines of diagnostics in stderr.
fn diagnostic_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(": error: ") || l.contains(": warning: ") || l.starts_with("  = help")
        })
        .collect()
}

#[test]
fn a_broken_annotation_file_reports_every_problem_at_once() {
    let dir = project("broken");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        diagnostic_lines(&stderr),
        vec![
            "annotations/alpha.md:4:49: error: unknown claim status `maybe`",
            "  = help: use one of: unverified, corroborated, disputed, retracted",
            "annotations/alpha.md:6:4: error: quoted passage occurs twice in content/alpha.md",
            "  = help: it occurs at content/alpha.md:9:19 and 9:49; quote more words, or add `occurrence=N` to pick one",
            "annotations/alpha.md:8:4: error: quoted passage not found in content/alpha.md",
            "  = help: the closest passage is “things. The Kremlin says more. It was” at content/alpha.md:9:41 (33% similar); quote the article's words exactly",
            "annotations/alpha.md:10:35: error: cannot read the date `2024-13-40`",
            "  = help: write the date as YYYY-MM-DD, e.g. `date=2024-11-21`",
            "annotations/alpha.md:12:4: error: `occurrence=2` but the passage occurs once in content/alpha.md",
            "  = help: it occurs at content/alpha.md:9:1",
            "annotations/alpha.md:14:5: error: unresolved wikilink `[[nowhere]]`",
            "  = help: no article slug or entity is called `nowhere`; link an article by its slug or add the entity to entities.yaml",
            "annotations/alpha.md:14:21: error: unresolved wikilink `[[alpha#nope]]`",
            "  = help: article `alpha` has no annotation with the id `nope`",
            "annotations/typo.md:2:10: error: no article has the slug `alpah`",
            "  = help: did you mean `alpha`?",
        ]
    );
    assert!(
        stderr.contains("8 error(s); nothing was written"),
        "{stderr}"
    );
    assert!(!dir.path().join("site").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = project("good");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 0, "{stderr}");
    let snapshot = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let before = snapshot(&dir.path().join("site"));
    assert!(!before.is_empty());
    std::fs::copy(
        fixtures().join("broken/annotations/alpha.md"),
        dir.path().join("annotations/alpha.md"),
    )
    .unwrap();
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(snapshot(&dir.path().join("site")), before);
}

#[test]
fn an_approximate_anchor_is_a_warning_that_builds() {
    let dir = project("drift");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        diagnostic_lines(&stderr),
        vec![
            "annotations/alpha.md:4:4: warning: quoted passage matched approximately (94% similar) in content/alpha.md",
            "  = help: the article now reads “The missile is “impossible to intercept” at content/alpha.md:7:1; update the quote",
        ]
    );
    let html = std::fs::read_to_string(dir.path().join("site/articles/alpha/index.html")).unwrap();
    assert!(html.contains("id=\"a-drifted\""), "{html}");
}

#[test]
fn the_good_fixture_renders_highlights_sidenotes_and_pages() {
    let dir = project("good");
    let (code, stderr) = build(dir.path());
    assert_eq!(code, 0, "{stderr}");
    let read = |p: &str| std::fs::read_to_string(dir.path().join("site").join(p)).unwrap();
    let alpha = read("articles/alpha/index.html");
    // the passage is highlighted with its id, classes and number
    assert!(
        alpha.contains("<mark class=\"ann tag-claim tag-disputed status-disputed\" data-ann=\"intercept\" id=\"a-intercept\" data-n=\"1\" aria-details=\"n-intercept\">impossible to intercept</mark>"),
        "{alpha}"
    );
    // a passage across emphasis is split into segments; only the first has the id
    assert!(
        alpha.contains("<em><mark class=\"ann tag-event\" data-ann=\"first-used-in-dnipro-"),
        "{alpha}"
    );
    // the sidenote follows the paragraph, with permalink and labels
    assert!(alpha.contains("</p>\n<div class=\"sidenotes\"><aside class=\"sidenote tag-claim tag-disputed status-disputed\" id=\"n-intercept\""), "{alpha}");
    assert!(alpha.contains("href=\"#a-intercept\""), "{alpha}");
    assert!(
        alpha.contains("<time class=\"ann-label date\" datetime=\"2024-11-21\">2024-11-21</time>"),
        "{alpha}"
    );
    // wikilinks are relative to the page; raw HTML is escaped
    assert!(
        alpha.contains("href=\"../../articles/beta/index.html#a-intercepted\""),
        "{alpha}"
    );
    assert!(alpha.contains(">the other piece</a>"), "{alpha}");
    assert!(!alpha.contains("<script>alert"), "{alpha}");
    // the article-level note opens the page
    assert!(alpha.contains("class=\"article-note\""), "{alpha}");
    assert!(
        alpha.contains("href=\"../../articles/beta/index.html\""),
        "{alpha}"
    );
    // occurrence=2 picks the second place
    let second = alpha.find("data-ann=\"the-kremlin-says-").unwrap();
    assert!(alpha[..second].contains("many things. "), "{alpha}");

    let index = read("annotations/index.html");
    assert!(
        index.contains("href=\"../annotations/tags/claim/index.html\""),
        "{index}"
    );
    assert!(
        index.contains("href=\"../articles/alpha/index.html#a-intercept\""),
        "{index}"
    );
    let tag = read("annotations/tags/event/index.html");
    assert!(tag.contains("first used in Dnipro"), "{tag}");
    assert!(
        tag.contains("href=\"../../../articles/alpha/index.html#a-first-used-in-dnipro-"),
        "{tag}"
    );
    let claims = read("annotations/claims/index.html");
    assert!(claims.contains("id=\"claim-intercept\""), "{claims}");
    assert!(claims.contains("2 passages in 2 sources"), "{claims}");
    // headed by its first passage, not by the analyst's id
    assert!(
        claims.contains("<h2 id=\"h-claim-intercept\">“"),
        "{claims}"
    );
    assert!(!claims.contains(">intercept <span"), "{claims}");
    assert!(
        claims.contains("incapable of being intercepted"),
        "{claims}"
    );
}

// ---- library-level tests ----

fn article(slug: &str, body: &str) -> Article {
    let text = format!("---\ntitle: {slug}\nslug: {slug}\n---\n\n{body}");
    parse_article(&format!("content/{slug}.md"), Arc::from(text)).unwrap()
}

fn source(file: &str, text: &str) -> AnnotationSource {
    AnnotationSource {
        file: file.into(),
        text: Arc::from(text),
    }
}

fn headlines(p: &briefing::diag::Problems) -> Vec<String> {
    p.iter().map(|p| p.headline()).collect()
}

#[test]
fn entity_wikilinks_resolve_through_the_registry() {
    let reg = Registry::parse(
        "entities.yaml",
        Arc::from("- name: Oreshnik\n  kind: weapon\n  aliases: [hazel tree]\n"),
    )
    .unwrap();
    let arts = [article("a", "The Oreshnik missile.")];
    let files = [source(
        "annotations/a.md",
        "---\narticle: a\n---\n## \"Oreshnik missile\"\nSee [[Hazel Tree]] and [[Oreshnik|it]] and [[Nope]].\n",
    )];
    let (anns, problems) = annotate::anchor_with(&AnchorInputs {
        files: &files,
        articles: &arts,
        summary: None,
        registry: Some(&reg),
        cache: None,
        unavailable: &[],
        held: None,
    });
    assert_eq!(
        headlines(&problems),
        vec!["annotations/a.md:5:44: error: unresolved wikilink `[[Nope]]`"]
    );
    let a = &anns.all()[0];
    assert_eq!(
        a.targets,
        vec![Target::Entity {
            slug: briefing::model::Slug::parse("oreshnik").unwrap()
        }]
    );
    let html = a.note_html(&briefing::model::SitePath::section("annotations"));
    assert!(
        html.contains("href=\"../entities/oreshnik/index.html\""),
        "{html}"
    );
    assert!(html.contains(">Hazel Tree</a>"), "{html}");
}

#[test]
fn a_duplicate_id_is_a_diagnostic() {
    let arts = [article("a", "one two three four")];
    let files = [
        source(
            "annotations/1.md",
            "---\narticle: a\n---\n## \"one\" {#x}\n",
        ),
        source(
            "annotations/2.md",
            "---\narticle: a\n---\n## \"three\" {#x}\n",
        ),
    ];
    let (_, problems) = annotate::anchor_all(&files, &arts);
    let p = &problems.0[0];
    assert_eq!(
        p.headline(),
        "annotations/2.md:4:4: error: annotation id `x` is used twice for article `a`"
    );
    assert_eq!(
        p.help.as_deref(),
        Some("the first is at annotations/1.md:4:4; give one of them another `{#id}`")
    );
}

#[test]
fn files_without_front_matter_or_article_are_diagnostics() {
    let arts = [article("a", "x")];
    let files = [
        source("annotations/1.md", "## \"x\"\n"),
        source("annotations/2.md", "---\ntitle: t\n---\n## \"x\"\n"),
        source("annotations/3.md", "---\narticle: Not A Slug\n---\n"),
        source(
            "annotations/4.md",
            "---\narticle: a\n---\n## \"x\" {.note claim=k status=disputed}\n",
        ),
        source("annotations/5.md", "---\narticle: a\n---\n## \"\" \n"),
    ];
    let (_, problems) = annotate::anchor_all(&files, &arts);
    assert_eq!(
        headlines(&problems),
        vec![
            "annotations/1.md:1:1: error: annotation file has no front matter",
            "annotations/2.md:1:1: error: annotation file names no article",
            "annotations/3.md:2:10: error: invalid article slug: a slug may contain only a-z, 0-9 and '-'",
            "annotations/4.md:4:15: error: `claim=` is only for claims",
            "annotations/5.md:4:1: error: annotation heading quotes no passage",
        ]
    );
}

#[test]
fn overlapping_and_nested_passages_render_well_formed() {
    let arts = [article("a", "Alpha beta gamma delta epsilon.")];
    let files = [source(
        "annotations/a.md",
        "---\narticle: a\n---\n## \"Alpha beta gamma\" {#outer}\n## \"beta gamma delta\" {#cross}\n## \"gamma\" {#inner}\n",
    )];
    let (anns, problems) = annotate::anchor_all(&files, &arts);
    assert!(problems.is_empty(), "{problems}");
    let mine = anns.for_article(&arts[0].slug).unwrap();
    let html = markdown::render_with(
        arts[0].body(),
        mine.highlights().iter(),
        &mine.after_block(&arts[0].slug),
    );
    let body = html.split("<div class=\"sidenotes\">").next().unwrap();
    // every <mark> is closed, in order
    let mut depth: i32 = 0;
    for piece in body.split('<').skip(1) {
        if piece.starts_with("mark") {
            depth += 1;
        } else if piece.starts_with("/mark") {
            depth -= 1;
            assert!(depth >= 0, "{body}");
        }
    }
    assert_eq!(depth, 0, "{body}");
    for id in ["outer", "cross", "inner"] {
        assert_eq!(body.matches(&format!("id=\"a-{id}\"")).count(), 1, "{body}");
    }
    let numbers: Vec<(String, usize)> = anns
        .all()
        .iter()
        .map(|a| (a.id.clone(), a.number))
        .collect();
    assert_eq!(
        numbers,
        vec![
            ("outer".into(), 1),
            ("cross".into(), 2),
            ("inner".into(), 3)
        ]
    );
    // three notes, one block: one group after the paragraph, in order
    assert_eq!(
        html.matches("<div class=\"sidenotes\">").count(),
        1,
        "{html}"
    );
}

#[test]
fn events_claims_and_backlink_targets_are_exposed() {
    let arts = [
        article(
            "a",
            "It was first used in Dnipro. It cannot be intercepted.",
        ),
        article("b", "It is impossible to intercept."),
    ];
    let files = [
        source(
            "annotations/a.md",
            "---\narticle: a\n---\nSee [[b]].\n\n## \"first used in Dnipro\" {#dnipro .event date=2024-11-21}\nx\n## \"cannot be intercepted\" {#c .claim claim=intercept}\nSee [[b#i]].\n",
        ),
        source(
            "annotations/b.md",
            "---\narticle: b\n---\n## \"impossible to intercept\" {#i .claim status=disputed claim=intercept}\nSee [[a#c]] and [[a]].\n",
        ),
    ];
    let (anns, problems) = annotate::anchor_all(&files, &arts);
    assert!(problems.is_empty(), "{problems}");
    let ev = anns.events();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].date.to_string(), "2024-11-21");
    assert_eq!((ev[0].article.as_str(), ev[0].id.as_str()), ("a", "dnipro"));
    let claims = anns.claims();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].key, "intercept");
    assert_eq!(claims[0].passages.len(), 2);
    let b = anns.all().iter().find(|a| a.id == "i").unwrap();
    assert_eq!(b.targets.len(), 2);
    assert!(matches!(&b.targets[0], Target::Article { slug } if slug.as_str() == "a"));
    assert_eq!(anns.article_notes()[0].targets.len(), 1);
    assert!(anns.drifts().is_empty());
}

#[test]
fn the_seed_briefing_anchors_exactly_and_links_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut arts = Vec::new();
    for e in std::fs::read_dir(root.join("content")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") && !name.starts_with('_') {
            let text = std::fs::read_to_string(&p).unwrap();
            arts.push(parse_article(&format!("content/{name}"), Arc::from(text)).unwrap());
        }
    }
    let mut files = Vec::new();
    for e in std::fs::read_dir(root.join("annotations")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        files.push(source(
            &format!("annotations/{name}"),
            &std::fs::read_to_string(&p).unwrap(),
        ));
    }
    let summary_text = std::fs::read_to_string(root.join("content/_briefing.md")).unwrap();
    let summary =
        briefing::content::parse_summary("content/_briefing.md", Arc::from(summary_text)).unwrap();
    let registry_text = std::fs::read_to_string(root.join("entities.yaml")).unwrap();
    let registry =
        briefing::link::Registry::parse("entities.yaml", Arc::from(registry_text)).unwrap();
    let (anns, problems) = annotate::anchor_with(&AnchorInputs {
        files: &files,
        articles: &arts,
        summary: Some(&summary),
        registry: Some(&registry),
        cache: None,
        unavailable: &[],
        held: None,
    });
    assert!(problems.is_empty(), "{problems}");
    assert!(anns.all().len() >= 10);
    assert!(anns.all().iter().all(|a| a.method == Method::Exact));
    let intercept = anns
        .claims()
        .into_iter()
        .find(|c| c.key == "intercept")
        .unwrap();
    assert_eq!(intercept.passages.len(), 2);
    assert!(
        anns.events()
            .iter()
            .any(|e| e.date.to_string() == "2024-11-21")
    );
    assert!(
        anns.summary_html
            .as_deref()
            .unwrap()
            .contains("href=\"articles/")
    );
}

/// A registry of one entity, Minsk.
fn minsk_registry() -> briefing::link::Registry {
    briefing::link::Registry::parse("entities.yaml", Arc::from("- name: Minsk\n  kind: place\n"))
        .unwrap()
}

/// Anchor `files` with and without `cache`; both must agree.
fn anchor_both(
    arts: &[Article],
    files: &[AnnotationSource],
    reg: &briefing::link::Registry,
    cache: &annotate::AnchorCache,
) -> annotate::Annotations {
    let run = |cache| {
        annotate::anchor_with(&AnchorInputs {
            files,
            articles: arts,
            summary: None,
            registry: Some(reg),
            cache,
            unavailable: &[],
            held: None,
        })
    };
    let (cached, cp) = run(Some(cache));
    let (fresh, fp) = run(None);
    assert_eq!(cp.to_string(), fp.to_string());
    let values = |a: &annotate::Annotations| {
        a.all()
            .iter()
            .map(|x| format!("{x:?} {}", x.note_html(&briefing::model::SitePath::index())))
            .collect::<Vec<_>>()
    };
    assert_eq!(values(&cached), values(&fresh));
    assert_eq!(cached.by_article, fresh.by_article);
    assert_eq!(
        format!("{:?}", cached.article_notes()),
        format!("{:?}", fresh.article_notes())
    );
    assert_eq!(cached.drifts(), fresh.drifts());
    cached
}

#[test]
fn a_cached_anchoring_equals_a_fresh_one_and_redoes_only_what_an_edit_reaches() {
    let reg = minsk_registry();
    let arts = [
        article("a", "The first passage. The second passage."),
        article("b", "Another article about Minsk."),
        article("c", "A third one."),
    ];
    let a_file = |quote: &str, id: &str, note: &str| {
        source(
            "annotations/a.md",
            &format!("---\narticle: a\n---\n## \"{quote}\" {{#{id}}}\n{note}\n"),
        )
    };
    let b_file = source(
        "annotations/b.md",
        "---\narticle: b\n---\n## \"about Minsk\"\nCompare [[a#n1]] and [[Minsk]].\n",
    );
    let c_file = source(
        "annotations/c.md",
        "---\narticle: c\n---\nOn the whole: see [[b]].\n\n## \"third one\"\nPlain.\n",
    );
    let cache = annotate::AnchorCache::default();
    let with = |a| anchor_both(&arts, &[a, b_file.clone(), c_file.clone()], &reg, &cache);
    let slug = |s: &str| briefing::model::Slug::parse(s).unwrap();
    let first = with(a_file("first passage", "n1", "One."));

    // a note's text: only `a` is redone
    let second = with(a_file("first passage", "n1", "One, edited."));
    assert_eq!(
        second.changed_articles(&first),
        [slug("a")].into_iter().collect()
    );

    // the quote `b` links to: `b` shows the new quote
    let third = with(a_file("second passage", "n1", "One, edited."));
    assert!(third.changed_articles(&second).contains(&slug("b")));
    assert!(!third.changed_articles(&second).contains(&slug("c")));
    let b_note = third.of_article(&slug("b"))[0].note_html(&briefing::model::SitePath::index());
    assert!(b_note.contains("second passage"), "{b_note}");

    // the id `b` links to goes away, then comes back
    let (_, problems) = annotate::anchor_with(&AnchorInputs {
        files: &[
            a_file("second passage", "n2", "x"),
            b_file.clone(),
            c_file.clone(),
        ],
        articles: &arts,
        summary: None,
        registry: Some(&reg),
        cache: Some(&cache),
        unavailable: &[],
        held: None,
    });
    assert!(
        problems
            .to_string()
            .contains("no annotation with the id `n1`"),
        "{problems}"
    );
    with(a_file("second passage", "n2", "x"));
    let back = with(a_file("first passage", "n1", "One."));
    let b_note = back.of_article(&slug("b"))[0].note_html(&briefing::model::SitePath::index());
    assert!(b_note.contains("first passage"), "{b_note}");
}

#[test]
fn a_cached_anchoring_follows_annotation_files_added_and_removed() {
    let reg = minsk_registry();
    let arts = [
        article("a", "The first passage. The second passage."),
        article("b", "Another article about Minsk."),
    ];
    let a1 = source(
        "annotations/a.md",
        "---\narticle: a\n---\n## \"first passage\"\nOne.\n",
    );
    let a2 = source(
        "annotations/a2.md",
        "---\narticle: a\n---\n## \"second passage\"\nTwo, see [[b]].\n",
    );
    let b = source(
        "annotations/b.md",
        "---\narticle: b\n---\n## \"about Minsk\"\nSee [[Minsk]] and [[a]].\n",
    );
    let cache = annotate::AnchorCache::default();
    // each step is checked against a fresh anchoring by `anchor_both`
    let quotes = |files: &[AnnotationSource]| -> Vec<String> {
        anchor_both(&arts, files, &reg, &cache)
            .all()
            .iter()
            .map(|x| x.quote.clone())
            .collect()
    };
    assert_eq!(
        quotes(&[a1.clone(), b.clone()]),
        ["first passage", "about Minsk"]
    );
    // a file added between the others
    assert_eq!(
        quotes(&[a1.clone(), a2.clone(), b.clone()]),
        ["first passage", "second passage", "about Minsk"]
    );
    // one removed, the rest given in another order
    assert_eq!(
        quotes(&[b.clone(), a2.clone()]),
        ["second passage", "about Minsk"]
    );
    // the same files again (reused as they were)
    assert_eq!(
        quotes(&[a2.clone(), b.clone()]),
        ["second passage", "about Minsk"]
    );
    assert_eq!(quotes(&[a2]), ["second passage"]);
}
