//! Cross-linking end to end: entity links in articles, entity pages,
//! related articles, the timeline, `entities suggest` and `check`, on a
//! fixture project and on the seeds' briefing.

use crate::common::*;

#[test]
fn mentions_link_to_entity_pages_first_in_the_article() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    let html = read(&site, "articles/alpha/index.html");
    // the first Putin is a link (the anchor on the link itself, no
    // description: the script reads it from entities/previews.js), the
    // second plain text: no link, no anchor, no wrapper
    assert!(html.contains("<a href=\"../../entities/vladimir-putin/index.html\" id=\"mention-vladimir-putin-1\">Putin</a>"), "{html}");
    assert!(!html.contains("mention-vladimir-putin-2"), "{html}");
    assert!(!html.contains("<span id=\"mention-"), "{html}");
    assert!(html.contains("</a>. Putin said "), "{html}");
    assert!(!html.contains(" title=\"President of Russia.\""), "{html}");
    // possessive, and the longest name wins ("Oreshnik missile" is one alias)
    assert!(
        html.contains(
            "<a href=\"../../entities/russia/index.html\" id=\"mention-russia-1\">Russia</a>&#x27;s"
        ) || html.contains(">Russia</a>'s"),
        "{html}"
    );
    assert!(html.contains("Oreshnik missile"), "{html}");
    assert!(!html.contains("mention-oreshnik-2"), "{html}");
    // Minsk is linked once in the text (the second paragraph's is plain
    // text), once in the list of entities
    assert_eq!(
        html.matches("href=\"../../entities/minsk/index.html\"")
            .count(),
        1 + 1,
        "one in the text, one in the list of entities"
    );
    assert!(!html.contains("mention-minsk-2"), "{html}");
    // the descriptions, once for the site
    let previews = read(&site, "entities/previews.js");
    assert!(previews.starts_with("briefingPreviews({"), "{previews}");
    assert!(
        previews.contains("\"minsk\":[\"Minsk\",\"place\",\"Capital of Belarus.\"]"),
        "{previews}"
    );
}

#[test]
fn mentions_link_first_per_paragraph_when_configured() {
    let dir = fixture("links/basic");
    let toml = dir.path().join("briefing.toml");
    let mut cfg = std::fs::read_to_string(&toml).unwrap();
    cfg.push_str("entity_links = \"paragraph\"\n");
    std::fs::write(&toml, cfg).unwrap();
    let site = build(dir.path(), &[]);
    let html = read(&site, "articles/alpha/index.html");
    // the first in each paragraph: the first mention with its anchor,
    // the later ones told by their class
    assert!(
        html.contains("<a href=\"../../entities/minsk/index.html\" id=\"mention-minsk-1\">"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../../entities/minsk/index.html\" class=\"mention\">"),
        "{html}"
    );
    assert!(!html.contains("mention-vladimir-putin-2"), "{html}");
}

#[test]
fn every_mention_is_linked_when_configured() {
    let dir = fixture("links/basic");
    let toml = dir.path().join("briefing.toml");
    let mut cfg = std::fs::read_to_string(&toml).unwrap();
    cfg.push_str("entity_links = \"all\"\n");
    std::fs::write(&toml, cfg).unwrap();
    let site = build(dir.path(), &[]);
    let html = read(&site, "articles/alpha/index.html");
    // both Putins are links, the first with its anchor
    assert_eq!(
        html.matches(
            "href=\"../../entities/vladimir-putin/index.html\" id=\"mention-vladimir-putin-1\""
        )
        .count(),
        1,
        "{html}"
    );
    assert_eq!(
        html.matches("href=\"../../entities/vladimir-putin/index.html\" class=\"mention\"")
            .count(),
        1,
        "{html}"
    );
}

#[test]
fn entity_pages_show_mentions_in_context_and_cooccurrence() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    let html = read(&site, "entities/minsk/index.html");
    assert!(html.contains("<h1>Minsk</h1>"));
    assert!(html.contains("<p>Capital of Belarus.</p>"), "{html}");
    assert!(
        html.contains("Mentions <span class=\"count\">2</span>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"../../articles/alpha/index.html#mention-minsk-1\">Putin spoke in <mark>Minsk</mark> about the Oreshnik. Putin said Russia&#39;s missile was ready.</a>"), "{html}");
    // co-occurring: Putin and Oreshnik share two paragraphs with Minsk
    let co = html.split("Often named with").nth(1).unwrap();
    let first = co.find("Oreshnik").unwrap();
    let putin = co.find("Vladimir Putin").unwrap();
    let russia = co.find(">Russia<").unwrap();
    assert!(first < putin && putin < russia, "{co}");
    // an entity that is never mentioned still has a page
    assert!(read(&site, "entities/caracas/index.html").contains("Oreshnik for Caracas"));
    let index = read(&site, "entities/index.html");
    assert!(index.contains("<h2 id=\"kind-person\">People"));
    assert!(index.contains("<svg class=\"graph\""));
    assert!(index.contains("href=\"../entities/minsk/index.html\" class=\"node kind-place\""));
}

#[test]
fn related_articles_weigh_rare_entities_more() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    let html = read(&site, "articles/alpha/index.html");
    let related = html.split("Related articles").nth(1).unwrap();
    let beta = related.find("Oreshnik for Caracas").unwrap();
    let gamma = related.find("An undated note").unwrap();
    assert!(beta < gamma, "beta shares the rarer Oreshnik: {related}");
}

#[test]
fn timeline_lists_dated_entries_in_order_and_undated_apart() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    let html = read(&site, "timeline/index.html");
    let nov = html.find("<h2>November 2024</h2>").unwrap();
    let dec = html.find("<h2>December 2024</h2>").unwrap();
    assert!(nov < dec);
    let undated = html.split("id=\"undated-heading\"").nth(1).unwrap();
    assert!(undated.contains("An undated note"));
    assert!(!html[..html.find("id=\"undated-heading\"").unwrap()].contains("An undated note"));
    let index = read(&site, "index.html");
    assert!(index.contains("<svg class=\"timeline-strip\""));
    assert!(index.contains("Key entities"));
}

#[test]
fn suggest_lists_recurring_unregistered_names() {
    let dir = fixture("links/basic");
    let out = briefing(dir.path())
        .args(["entities", "suggest"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("Supreme State Council"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        line.split_whitespace().take(2).collect::<Vec<_>>(),
        ["2", "2"]
    );
    assert!(line.ends_with("— alpha, beta"), "{line}");
    assert!(
        !text.contains(" Minsk"),
        "registered names are not suggested: {text}"
    );
}

#[test]
fn an_alias_claimed_twice_fails_the_build_with_its_position() {
    let dir = fixture("links/basic");
    let reg = dir.path().join("entities.yaml");
    let mut y = std::fs::read_to_string(&reg).unwrap();
    y.push_str("- name: Putin\n  kind: other\n");
    std::fs::write(&reg, y).unwrap();
    let out = briefing(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("entities.yaml:"), "{err}");
    assert!(err.contains("claimed by both"), "{err}");
}

#[test]
fn check_reports_a_broken_anchor_and_exits_1() {
    let dir = fixture("links/basic");
    let tpl = dir.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<a href=\"index.html#nowhere\">x</a>{% endblock content %}",
    )
    .unwrap();
    let out = briefing(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("site/404.html:")
            && err.contains("index.html#nowhere — no id=\"nowhere\" in index.html"),
        "{err}"
    );
}

#[test]
fn fixture_site_has_no_broken_links() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

#[test]
fn seeds_briefing_links_its_registry() {
    let dir = seeds_project();
    let site = build(dir.path(), &[]);
    assert_eq!(broken_links(&site), Vec::<String>::new());
    for e in [
        "vladimir-putin",
        "alexander-lukashenko",
        "oreshnik",
        "su-30mk2",
        "nato",
        "dnipro",
    ] {
        let page = read(&site, &format!("entities/{e}/index.html"));
        assert!(page.contains("<mark>"), "{e} has mentions in context");
    }
    let belarus = read(
        &site,
        "articles/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus/index.html",
    );
    assert!(belarus.contains("Related articles"));
    assert!(belarus.contains("Russia Sending Hypersonic Missiles to Venezuela?"));
}

/// What the annotation stage hands over — resolved wikilinks and dated
/// events — shows as backlinks on article and entity pages and as events
/// on the timeline (the lead wires the real annotations in `assemble`).
#[test]
fn annotation_inputs_become_backlinks_and_timeline_events() {
    use briefing::link::{self, AnnotationRef, EventInput, Target};
    use briefing::model::Slug;
    let dir = fixture("links/basic");
    let project = briefing::project::Project::new(dir.path());
    let inputs = project.load(&Default::default()).unwrap();
    let mut b = briefing::site::assemble(&inputs).unwrap();
    let s = |x: &str| Slug::parse(x).unwrap();
    let refs = [AnnotationRef {
        article: s("beta"),
        annotation: "claim-range".into(),
        label: "the range claim".into(),
        targets: vec![
            Target::Passage(s("alpha"), "mention-oreshnik-1".into()),
            Target::Entity(s("oreshnik")),
        ],
    }];
    let events = [EventInput {
        date: "2024-11-21".parse().unwrap(),
        label: "Oreshnik strike on Dnipro".into(),
        article: s("alpha"),
        annotation: "dnipro-strike".into(),
    }];
    b.links = link::link(
        b.links.registry.clone(),
        &b.articles,
        b.config.entity_links,
        &refs,
        &events,
    );
    let out = briefing::render::render_site(&b, &inputs.theme).unwrap();
    let page = |p: &str| {
        let o = out.iter().find(|o| o.path.as_str() == p).unwrap();
        String::from_utf8(o.bytes.clone()).unwrap()
    };
    let alpha = page("articles/alpha/index.html");
    assert!(alpha.contains("<li>Annotated in <a href=\"../../articles/beta/index.html#claim-range\">Oreshnik for Caracas</a>: “the range claim” — at <a href=\"#mention-oreshnik-1\">this passage</a></li>"), "{alpha}");
    let oreshnik = page("entities/oreshnik/index.html");
    assert!(oreshnik.contains("<li><a href=\"../../articles/beta/index.html#claim-range\">the range claim</a> <span class=\"meta\">in Oreshnik for Caracas</span></li>"), "{oreshnik}");
    let timeline = page("timeline/index.html");
    let event = timeline.find("<li class=\"tl-event\">").unwrap();
    let published = timeline.find("<li class=\"tl-published\">").unwrap();
    assert!(
        event < published,
        "the 21 November event precedes the 22 November article"
    );
    assert!(timeline.contains("<span class=\"tl-kind\">Event</span> <a href=\"../articles/alpha/index.html#dnipro-strike\">Oreshnik strike on Dnipro</a> <span class=\"meta\">reported in Putin in Minsk</span>"), "{timeline}");
    let index = page("index.html");
    assert!(
        index.contains("<a href=\"articles/alpha/index.html#dnipro-strike\" class=\"mark event\">"),
        "{index}"
    );
}
