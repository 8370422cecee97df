//! Sources and grades end to end, with the binary, on the fixture
//! `tests/fixtures/sources/`: three outlets in `sources.yaml` (B, D, E)
//! and an unregistered one, claims across them (one carried by B and D,
//! one by B alone, one by D and E, one by the unregistered blog).
//!
//! Golden pages (`tests/fixtures/sources_golden/`, the `<main>` of each
//! page; `BLESS=1` rewrites them), the `ClaimReview` of each claim checked
//! against schema.org's vocabulary and the properties it requires and
//! recommends, `briefing check`'s "single source" warnings, `briefing
//! sources suggest`, diagnostics for a bad `sources.yaml` and a bad
//! `cred=`, and a briefing without `sources.yaml` building as before.

use crate::common;

use common::{TestProject, built_fixture, copy_dir, repo_root, run_in};
use serde_json::Value;

/// The pages compared with their golden copies.
const GOLDEN: &[(&str, &str)] = &[
    ("sources/index.html", "sources-index.html"),
    ("sources/the-example-times/index.html", "outlet-times.html"),
    ("sources/state-wire/index.html", "outlet-wire.html"),
    ("annotations/claims/index.html", "claims.html"),
    (
        "annotations/claims/intercept/index.html",
        "claim-intercept.html",
    ),
    ("articles/times-oreshnik/index.html", "article-times.html"),
];

#[test]
fn pages_match_their_golden_copies() {
    let dir = built_fixture("sources");
    common::assert_mains_match_golden(&dir.path().join("site"), "sources_golden", GOLDEN);
}

#[test]
fn outlets_grades_and_sourcing_are_shown() {
    let dir = built_fixture("sources");
    let read = |p: &str| std::fs::read_to_string(dir.path().join("site").join(p)).unwrap();
    // the article names its outlet with its letter, linking its page
    let times = read("articles/times-oreshnik/index.html");
    assert!(times.contains("<a href=\"../../sources/the-example-times/index.html\">The Example Times</a> <abbr class=\"reliability reliability-B\""), "{times}");
    // the sidenote carries the grade
    assert!(times.contains(">B2</abbr>") && times.contains(">B4</abbr>"));
    // matched by its URL's domain (no `outlet` key)
    let wire = read("articles/wire-intercept/index.html");
    assert!(wire.contains(">State Wire</a> <abbr class=\"reliability reliability-D\""));
    // an outlet not in the registry is F
    let blog = read("articles/blog-rumour/index.html");
    assert!(blog.contains("Some Blog <abbr class=\"reliability reliability-F\""));
    // the claims page: passages in date order, single and weak sources marked
    let claims = read("annotations/claims/index.html");
    let intercept = &claims[claims.find("id=\"claim-intercept\"").unwrap()..];
    let intercept = &intercept[..intercept.find("</section>").unwrap()];
    let (wire_at, times_at) = (
        intercept.find("#a-wire-intercept").unwrap(),
        intercept.find("#a-times-intercept").unwrap(),
    );
    assert!(
        wire_at < times_at,
        "the wire (5 Dec) before the Times (6 Dec)"
    );
    assert!(!intercept.contains("single source"), "carried by B and D");
    let section = |key: &str| {
        let s = &claims[claims.find(&format!("id=\"claim-{key}\"")).unwrap()..];
        s[..s.find("</section>").unwrap()].to_string()
    };
    assert!(section("stationing").contains("Rests on a single source"));
    assert!(section("launchers").contains("Rests on a single source"));
    assert!(section("troops").contains("Rests on weak sources"));
    // the outlet page: its claims with status, its tally
    let outlet = read("sources/the-example-times/index.html");
    assert!(
        outlet.contains("2 corroborated") || outlet.contains("1 corroborated, 1 disputed"),
        "{outlet}"
    );
    assert!(
        outlet.contains("<em>foreign desk</em>"),
        "the description is Markdown"
    );
    // the tag listing shows grades too
    let tag = read("annotations/tags/claim/index.html");
    assert!(tag.contains(">D5</abbr>") && tag.contains(">F6</abbr>"));
}

/// schema.org's properties of the types a `ClaimReview` uses (from the
/// vocabulary, https://schema.org/ClaimReview, /Rating, /Claim,
/// /CreativeWork, /Organization: each type's own properties and those it
/// inherits that we could use). A property outside its type's list is an
/// error.
fn vocabulary(t: &str) -> &'static [&'static str] {
    const THING: &[&str] = &[
        "@type",
        "@context",
        "name",
        "url",
        "description",
        "alternateName",
        "sameAs",
        "identifier",
        "image",
    ];
    const CREATIVE_WORK: &[&str] = &[
        "headline",
        "author",
        "publisher",
        "datePublished",
        "dateModified",
        "about",
        "inLanguage",
        "text",
        "isBasedOn",
        "creator",
    ];
    let own: &[&str] = match t {
        "ClaimReview" => &[
            "claimReviewed",
            "reviewRating",
            "itemReviewed",
            "reviewBody",
        ],
        "Rating" => &[
            "ratingValue",
            "bestRating",
            "worstRating",
            "ratingExplanation",
            "author",
            "reviewAspect",
        ],
        "Claim" => &["appearance", "firstAppearance", "claimInterpreter"],
        "CreativeWork" | "Organization" => &[],
        _ => panic!("unexpected type {t}"),
    };
    own.iter()
        .copied()
        .chain(THING.iter().copied())
        .chain(
            ["ClaimReview", "Claim", "CreativeWork"]
                .contains(&t)
                .then_some(CREATIVE_WORK)
                .into_iter()
                .flatten()
                .copied(),
        )
        .collect::<Vec<_>>()
        .leak()
}

/// Every object in the document uses only its type's properties.
fn check_vocabulary(v: &Value, path: &str, errors: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            let t = m.get("@type").and_then(Value::as_str);
            if let Some(t) = t {
                let allowed = vocabulary(t);
                for k in m.keys() {
                    if !allowed.contains(&k.as_str()) {
                        errors.push(format!("{path}: `{k}` is not a property of {t}"));
                    }
                }
            }
            for (k, v) in m {
                check_vocabulary(v, &format!("{path}.{k}"), errors);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                check_vocabulary(v, &format!("{path}[{i}]"), errors);
            }
        }
        _ => {}
    }
}

fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let s = &html[i + open.len()..];
            serde_json::from_str(&s[..s.find("</script>").unwrap()]).unwrap()
        })
        .collect()
}

#[test]
fn each_claim_page_has_one_valid_claim_review() {
    let dir = built_fixture("sources");
    let site = dir.path().join("site");
    let mut pages = 0;
    for key in ["intercept", "launchers", "stationing", "troops"] {
        let html =
            std::fs::read_to_string(site.join(format!("annotations/claims/{key}/index.html")))
                .unwrap();
        let docs = json_ld(&html);
        assert_eq!(docs.len(), 1, "{key}: one ClaimReview");
        let d = &docs[0];
        let mut errors = Vec::new();
        check_vocabulary(d, key, &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(d["@context"], "https://schema.org");
        assert_eq!(d["@type"], "ClaimReview");
        // required (Google's ClaimReview guidelines): claimReviewed,
        // reviewRating with alternateName, url, author with a name
        assert!(d["claimReviewed"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(
            d["url"],
            format!("https://briefing.example/desk/annotations/claims/{key}/")
        );
        assert_eq!(d["author"]["name"], "The Example Desk");
        let r = &d["reviewRating"];
        assert_eq!(r["@type"], "Rating");
        let value = r["ratingValue"].as_u64().unwrap();
        let (best, worst) = (
            r["bestRating"].as_u64().unwrap(),
            r["worstRating"].as_u64().unwrap(),
        );
        assert!(worst <= value && value <= best, "{r}");
        assert!(r["alternateName"].as_str().is_some_and(|s| !s.is_empty()));
        // recommended: datePublished, itemReviewed (a Claim with its
        // appearances, their URLs and dates, and its first appearance)
        assert!(d["datePublished"].as_str().is_some());
        let item = &d["itemReviewed"];
        assert_eq!(item["@type"], "Claim");
        let apps = item["appearance"].as_array().unwrap();
        assert!(!apps.is_empty());
        for a in apps {
            assert!(
                a["url"].as_str().is_some_and(|u| u.starts_with("https://")),
                "{a}"
            );
            assert!(a["datePublished"].as_str().is_some(), "{a}");
        }
        assert_eq!(item["firstAppearance"], apps[0]);
        pages += 1;
    }
    assert_eq!(pages, 4);
    // the statuses as alternateName, the original's URL as appearance
    let intercept = json_ld(
        &std::fs::read_to_string(site.join("annotations/claims/intercept/index.html")).unwrap(),
    )
    .remove(0);
    assert_eq!(intercept["reviewRating"]["alternateName"], "disputed");
    assert_eq!(intercept["claimReviewed"], "impossible to intercept");
    let apps = intercept["itemReviewed"]["appearance"].as_array().unwrap();
    assert_eq!(
        apps[0]["url"],
        "https://www.statewire.example/news/oreshnik-intercept"
    );
    assert_eq!(apps[1]["publisher"]["name"], "The Example Times");
    // a claim from an article without `url`: its page here
    let launchers = json_ld(
        &std::fs::read_to_string(site.join("annotations/claims/launchers/index.html")).unwrap(),
    )
    .remove(0);
    assert_eq!(
        launchers["itemReviewed"]["appearance"][0]["url"],
        "https://briefing.example/desk/articles/blog-rumour/"
    );
}

#[test]
fn check_warns_about_claims_on_a_single_source_naming_them() {
    let dir = built_fixture("sources");
    let r = run_in(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "warnings do not fail the check: {}", r.stderr);
    for w in [
        "annotations/times-oreshnik.md:8:4: warning: claim `stationing` rests on a single source: The Example Times (B)",
        "annotations/blog-rumour.md:4:4: warning: claim `launchers` rests on a single source: Some Blog (F)",
        "annotations/wire-intercept.md:8:4: warning: claim `troops` rests on weak sources only (graded D or worse): State Wire (D), Border Gazette (E)",
    ] {
        assert!(r.stderr.contains(w), "missing {w:?} in:\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("`intercept`"), "{}", r.stderr);
    // a second check (the build is up to date) warns the same
    let again = run_in(dir.path(), &["check"]);
    assert!(
        again
            .stderr
            .contains("claim `stationing` rests on a single source")
    );
}

#[test]
fn sources_suggest_lists_outlets_missing_from_the_registry() {
    let dir = built_fixture("sources");
    let r = run_in(dir.path(), &["sources", "suggest"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("       1  Some Blog — blog-rumour"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("Example Times"), "{}", r.stdout);
}

fn fixture_copy() -> TestProject {
    let p = TestProject::new();
    copy_dir(&repo_root().join("tests/fixtures/sources"), p.dir.path());
    p
}

#[test]
fn a_bad_registry_is_an_error_at_its_line_and_column() {
    let p = fixture_copy();
    let text = p.read("sources.yaml");
    p.write(
        "sources.yaml",
        &text.replacen("reliability: D", "reliability: X", 1),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("sources.yaml:10:16: error:") && r.stderr.contains("A, B, C, D, E, F"),
        "{}",
        r.stderr
    );
    p.write(
        "sources.yaml",
        &text.replacen("domains: [gazette.example]", "domains: [news.example]", 1),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("sources.yaml:14:13: error: the domain \"news.example\" is claimed by both \"The Example Times\" and \"Border Gazette\""),
        "{}",
        r.stderr
    );
    p.write(
        "sources.yaml",
        &text.replacen("  domains: [news.example]", "  domain: [news.example]", 1),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("sources.yaml:3:3: error:"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_cred_is_an_error_at_the_annotation_naming_cred() {
    let p = fixture_copy();
    let text = p.read("annotations/gazette-troops.md");
    p.write(
        "annotations/gazette-troops.md",
        &text.replace("cred=5", "cred=9"),
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "annotations/gazette-troops.md:4:80: error: `cred` must be a digit from 1 to 6, not `9`"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn without_sources_yaml_nothing_is_graded() {
    let p = fixture_copy();
    std::fs::remove_file(p.path("sources.yaml")).unwrap();
    // and no cred: what a briefing had before grades existed
    for f in ["times-oreshnik", "wire-intercept", "gazette-troops"] {
        let rel = format!("annotations/{f}.md");
        let text = p.read(&rel);
        let stripped: String = (2..=5).fold(text, |t, d| t.replace(&format!(" cred={d}"), ""));
        p.write(&rel, &stripped);
    }
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!p.exists("site/sources"));
    let claims = p.read("site/annotations/claims/index.html");
    assert!(!claims.contains("single source") && !claims.contains("class=\"ann-label grade"));
    let times = p.read("site/articles/times-oreshnik/index.html");
    assert!(
        times.contains("<span class=\"outlet\">The Example Times</span> ·"),
        "{times}"
    );
    assert!(!times.contains("reliability"));
    let r = p.run(&["check"]);
    assert!(!r.stderr.contains("single source"), "{}", r.stderr);
}

/// vnu (the Nu HTML checker) finds no errors in the fixture's pages.
#[test]
fn vnu_accepts_the_sources_pages() {
    let dir = built_fixture("sources");
    common::assert_vnu_accepts("vnu_accepts_the_sources_pages", &dir.path().join("site"));
}

#[test]
fn data_and_edition_carry_grades() {
    let dir = built_fixture("sources");
    let read = |p: &str| std::fs::read_to_string(dir.path().join("site").join(p)).unwrap();
    let data: Value = serde_json::from_str(&read("data/briefing.json")).unwrap();
    let claim = data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "intercept")
        .unwrap();
    let grades: std::collections::BTreeMap<&str, &str> = claim["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["grade"].as_str().unwrap()))
        .collect();
    // The Example Times is B, State Wire D; the claim takes the strongest
    assert_eq!(grades["times-intercept"], "B4");
    assert_eq!(grades["wire-intercept"], "D5");
    assert_eq!(claim["grade"], "B4");
    // the print edition names each outlet with its letter too
    let edition = read("edition/index.html");
    assert!(
        edition.contains("The Example Times <abbr class=\"reliability reliability-B\""),
        "{edition}"
    );
}
