//! Provenance: `clean` writes where an article comes from (outlet, url,
//! published, modified, the seed's SHA-256) from the seed and its sidecar
//! (`seeds/<name>.meta.yaml`); the article page shows the outlet, the
//! dateline and a link to the original, with a JSON-LD `NewsArticle`; the
//! source page, the feed and the sitemap carry them too. The fixture
//! (`tests/fixtures/provenance/`) has a saved HTML page and a text dump,
//! each with a sidecar; the dump's sidecar gives a hostile headline.

use crate::common;

use common::{TestProject, built_fixture, copy_dir, repo_root, run_in};
use std::collections::BTreeMap;
use std::path::Path;

const HARBOUR: &str = "harbour-bridge-reopens-after-two-years-of-repairs";
const TALKS: &str = "geneva-script-script-alert-1-script-talks-resume";
const HOSTILE_TITLE: &str = "Geneva </script><script>alert(1)</script><!-- talks resume";

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter of a content file, as YAML values.
fn front_matter(dir: &Path, slug: &str) -> BTreeMap<String, serde_yaml::Value> {
    let text = read(dir, &format!("content/{slug}.md"));
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closing fence");
    serde_yaml::from_str(&rest[..end]).unwrap()
}

fn key<'a>(fm: &'a BTreeMap<String, serde_yaml::Value>, k: &str) -> &'a str {
    fm.get(k)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("front matter has no `{k}`: {fm:?}"))
}

fn sha256_of(path: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text between `<script type="application/ld+json">` and its end.
fn json_ld(page: &str) -> &str {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("a JSON-LD block") + open.len();
    let len = page[start..].find("</script>").expect("closed");
    &page[start..start + len]
}

#[test]
fn clean_writes_provenance_and_the_seed_hash() {
    let dir = built_fixture("provenance");
    let d = dir.path();
    let fm = front_matter(d, HARBOUR);
    assert_eq!(
        key(&fm, "url"),
        "https://coastal.example/news/harbour-bridge-reopens?ref=rss&utm=x"
    );
    assert_eq!(key(&fm, "outlet"), "Coastal Times");
    assert_eq!(key(&fm, "published"), "2024-03-05T09:30:00+01:00");
    assert_eq!(key(&fm, "modified"), "2024-03-05T14:05:00+01:00");
    assert_eq!(key(&fm, "source"), "harbour.html");
    assert_eq!(
        key(&fm, "seed_sha256"),
        sha256_of(&d.join("seeds/harbour.html"))
    );
    let fm = front_matter(d, TALKS);
    // the sidecar's values win over what the cleaner found in the dump
    assert_eq!(key(&fm, "title"), HOSTILE_TITLE);
    assert_eq!(key(&fm, "byline"), "Ana Ortiz");
    assert_eq!(key(&fm, "outlet"), "The Wire <Daily> & Co");
    assert_eq!(
        key(&fm, "url"),
        "https://wire.example/world/2024/03/07/geneva-talks"
    );
    assert_eq!(key(&fm, "published"), "2024-03-07T08:15:00-05:00");
    assert_eq!(key(&fm, "modified"), "2024-03-08T10:00:00-05:00");
    let hash = key(&fm, "seed_sha256");
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(hash, sha256_of(&d.join("seeds/talks.txt")));
    // a sidecar is not a seed: no article of its own
    let articles = std::fs::read_dir(d.join("content")).unwrap().count();
    assert_eq!(articles, 2);
}

#[test]
fn clean_out_writes_the_seed_hash_too() {
    let p = TestProject::new();
    copy_dir(&repo_root().join("tests/fixtures/provenance"), p.dir.path());
    let out = p.path("out");
    let r = p.run(&["clean", "--out", out.to_str().unwrap(), "seeds/talks.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(out.join("talks.md")).unwrap();
    let want = format!("seed_sha256: {}\n", sha256_of(&p.path("seeds/talks.txt")));
    assert!(text.contains(&want), "{text}");
    assert!(text.contains("outlet: The Wire <Daily> & Co\n"), "{text}");
}

#[test]
fn the_article_page_shows_outlet_dateline_and_the_original() {
    let dir = built_fixture("provenance");
    let page = read(dir.path(), &format!("site/articles/{HARBOUR}/index.html"));
    assert!(
        page.contains("<p class=\"dateline\"><span class=\"outlet\">Coastal Times</span> · <time datetime=\"2024-03-05T09:30:00+01:00\">5 March 2024, 09:30</time> <span class=\"updated\">(updated <time datetime=\"2024-03-05T14:05:00+01:00\">14:05</time>)</span> · <span class=\"byline\">By Jane Roe</span></p>"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"original\"><a class=\"original-link\" href=\"https://coastal.example/news/harbour-bridge-reopens?ref=rss&amp;utm=x\" rel=\"noopener noreferrer\">Read the original at coastal.example</a></p>"),
        "{page}"
    );
    let page = read(dir.path(), &format!("site/articles/{TALKS}/index.html"));
    // hostile text is text: escaped in the dateline and the headline
    assert!(
        page.contains("<span class=\"outlet\">The Wire &lt;Daily&gt; &amp; Co</span>"),
        "{page}"
    );
    assert!(
        page.contains(
            "(updated <time datetime=\"2024-03-08T10:00:00-05:00\">8 March 2024, 10:00</time>)"
        ),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert_eq!(
        page.matches("<script").count(),
        page.matches("</script>").count(),
        "every script closes where it should"
    );
}

#[test]
fn json_ld_parses_and_round_trips_a_hostile_title() {
    let dir = built_fixture("provenance");
    let page = read(dir.path(), &format!("site/articles/{TALKS}/index.html"));
    let raw = json_ld(&page);
    for bad in ["<", ">", "&"] {
        assert!(!raw.contains(bad), "{bad:?} inside the script: {raw}");
    }
    let v: serde_json::Value = serde_json::from_str(raw).unwrap();
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "NewsArticle");
    assert_eq!(v["headline"], HOSTILE_TITLE);
    assert_eq!(
        v["url"],
        format!("https://briefing.example/articles/{TALKS}/")
    );
    assert_eq!(v["datePublished"], "2024-03-07T08:15:00-05:00");
    assert_eq!(v["dateModified"], "2024-03-08T10:00:00-05:00");
    assert_eq!(v["author"]["name"], "Ana Ortiz");
    assert_eq!(
        v["publisher"],
        serde_json::json!({"@type": "Organization", "name": "The Wire <Daily> & Co"})
    );
    assert_eq!(
        v["isBasedOn"],
        "https://wire.example/world/2024/03/07/geneva-talks"
    );
    assert_eq!(v["sameAs"], v["isBasedOn"]);
}

#[test]
fn the_source_page_names_the_seed_and_its_hash() {
    let dir = built_fixture("provenance");
    let page = read(
        dir.path(),
        &format!("site/articles/{TALKS}/source/index.html"),
    );
    let hash = sha256_of(&dir.path().join("seeds/talks.txt"));
    assert!(
        page.contains(&format!(
            "<dt>SHA-256</dt><dd><code class=\"hash\">{hash}</code></dd>"
        )),
        "{page}"
    );
    assert!(
        page.contains("<dt>Seed file</dt><dd><code>seeds/talks.txt</code></dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Original</dt><dd><a class=\"original-link\" href=\"https://wire.example/world/2024/03/07/geneva-talks\" rel=\"noopener noreferrer\">"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Outlet</dt><dd>The Wire &lt;Daily&gt; &amp; Co</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Published</dt><dd><time datetime=\"2024-03-07T08:15:00-05:00\">7 March 2024, 08:15 UTC-05:00</time></dd>"),
        "{page}"
    );
}

#[test]
fn feed_and_sitemap_carry_the_provenance() {
    let dir = built_fixture("provenance");
    let feed = read(dir.path(), "site/feed.xml");
    // the feed's own `updated`: the latest change of any article, in UTC
    assert!(
        feed.contains("  <updated>2024-03-08T15:00:00Z</updated>\n"),
        "{feed}"
    );
    let entry = format!(
        "  <entry>\n    <title>Geneva &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- talks resume</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"https://briefing.example/articles/{TALKS}/\"/>\n    <link rel=\"via\" type=\"text/html\" href=\"https://wire.example/world/2024/03/07/geneva-talks\"/>\n    <id>https://briefing.example/articles/{TALKS}/</id>\n    <updated>2024-03-08T10:00:00-05:00</updated>\n    <published>2024-03-07T08:15:00-05:00</published>\n    <author><name>Ana Ortiz</name></author>\n"
    );
    assert!(feed.contains(&entry), "{feed}");
    assert!(
        feed.contains("    <source><title>The Wire &lt;Daily&gt; &amp; Co</title><link rel=\"alternate\" type=\"text/html\" href=\"https://wire.example/\"/></source>\n  </entry>\n"),
        "{feed}"
    );
    assert!(
        feed.contains(
            "href=\"https://coastal.example/news/harbour-bridge-reopens?ref=rss&amp;utm=x\""
        ),
        "{feed}"
    );
    let sitemap = read(dir.path(), "site/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<url><loc>https://briefing.example/articles/{HARBOUR}/</loc><lastmod>2024-03-05T14:05:00+01:00</lastmod></url>")),
        "{sitemap}"
    );
}

#[test]
fn check_passes_on_the_fixture() {
    let dir = built_fixture("provenance");
    let r = run_in(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_bad_sidecar_is_a_diagnostic_with_its_place_and_what_to_do() {
    let p = TestProject::new();
    copy_dir(&repo_root().join("tests/fixtures/provenance"), p.dir.path());
    p.write(
        "seeds/talks.meta.yaml",
        "outlet: The Wire\nauthor: Ana Ortiz\n",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("seeds/talks.meta.yaml:2:1: error: unknown key `author`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "with the optional keys url, outlet, published, modified, title, date, byline"
        ),
        "{}",
        r.stderr
    );
    p.write(
        "seeds/talks.meta.yaml",
        "outlet: The Wire\nurl: javascript:alert(1)\n",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("seeds/talks.meta.yaml:2:6: error: `url` is not an absolute http(s) address: it does not start with http:// or https://"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_sidecar_edit_cleans_its_seed_again() {
    let dir = built_fixture("provenance");
    let d = dir.path();
    std::fs::write(
        d.join("seeds/harbour.meta.yaml"),
        "url: https://coastal.example/news/harbour-bridge-reopens\noutlet: The Coastal Times\n",
    )
    .unwrap();
    let r = run_in(d, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "cleaned seeds/harbour.html → content/{HARBOUR}.md"
        )),
        "{}",
        r.stderr
    );
    let fm = front_matter(d, HARBOUR);
    assert_eq!(key(&fm, "outlet"), "The Coastal Times");
    assert!(!fm.contains_key("modified"), "{fm:?}");
    let page = read(d, &format!("site/articles/{HARBOUR}/index.html"));
    assert!(page.contains("<span class=\"outlet\">The Coastal Times</span>"));
    // the other seed's article is as it was
    assert!(!r.stderr.contains("talks.txt"), "{}", r.stderr);
}

#[test]
fn a_sidecar_with_no_seed_is_a_warning_and_not_a_seed() {
    let p = TestProject::new()
        .file("content/a.md", common::ARTICLE)
        .file("seeds/typo.meta.yaml", "outlet: Somewhere\n");
    let r = p.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("seeds/typo.meta.yaml: warning: this sidecar has no seed beside it"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(p.path("content")).unwrap().count(), 1);
}

#[test]
fn bad_provenance_in_front_matter_points_at_the_value() {
    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: T\nurl: \"https://a.example/<x>\"\n---\n\nText.\n",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/a.md:3:6: error: `url` is not an absolute http(s) address: it contains a character that must be percent-encoded"),
        "{}",
        r.stderr
    );
    let p = TestProject::new().file(
        "content/a.md",
        "---\ntitle: T\npublished: 6 Dec 2024\n---\n\nText.\n",
    );
    let r = p.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/a.md:3:12: error: cannot read the `published` time \"6 Dec 2024\""),
        "{}",
        r.stderr
    );
}

/// vnu (the Nu HTML checker) finds no errors in the fixture's pages.
#[test]
fn vnu_accepts_the_provenance_pages() {
    let dir = built_fixture("provenance");
    common::assert_vnu_accepts("vnu_accepts_the_provenance_pages", &dir.path().join("site"));
}
