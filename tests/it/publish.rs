//! Publishing: feed, sitemap, robots, 404, canonical links from base_url,
//! the search index, relative links everywhere, deterministic output, and
//! (when Java and vnu are installed) HTML that vnu accepts.

use crate::common::*;

#[test]
fn feed_is_atom_with_absolute_urls_from_base_url() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &["--base-url", "https://news.example/sub/path"]);
    let feed = read(&site, "feed.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n  <title>Fixture briefing</title>\n"));
    assert!(feed.contains("  <link rel=\"self\" type=\"application/atom+xml\" href=\"https://news.example/sub/path/feed.xml\"/>\n"));
    assert!(feed.contains(
        "  <id>https://news.example/sub/path/</id>\n  <updated>2024-12-06T15:39:00Z</updated>\n"
    ));
    assert!(feed.contains("  <entry>\n    <title>Putin in Minsk</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"https://news.example/sub/path/articles/alpha/\"/>\n    <id>https://news.example/sub/path/articles/alpha/</id>\n    <updated>2024-12-06T15:39:00Z</updated>\n    <published>2024-12-06T15:39:00Z</published>\n    <author><name>A. Writer</name></author>\n"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert_eq!(
        feed.matches("<entry>").count(),
        feed.matches("</entry>").count()
    );
    assert!(feed.ends_with("</feed>\n"));
}

#[test]
fn sitemap_robots_canonical_and_404() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &["--base-url", "https://news.example/b/"]);
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://news.example/b/</loc></url>"));
    assert!(sitemap.contains("<url><loc>https://news.example/b/entities/minsk/</loc></url>"));
    assert!(sitemap.contains(
        "<url><loc>https://news.example/b/articles/alpha/</loc><lastmod>2024-12-06</lastmod></url>"
    ));
    assert!(sitemap.contains("<url><loc>https://news.example/b/articles/gamma/</loc></url>"));
    assert!(!sitemap.contains("404"));
    assert!(!sitemap.contains(".js<"));
    assert_eq!(
        read(&site, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://news.example/b/sitemap.xml\n"
    );
    let article = read(&site, "articles/alpha/index.html");
    assert!(
        article
            .contains("<link rel=\"canonical\" href=\"https://news.example/b/articles/alpha/\">")
    );
    // Open Graph and Twitter card on the index and the articles
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Putin in Minsk\">",
        "<meta property=\"og:url\" content=\"https://news.example/b/articles/alpha/\">",
        "<meta property=\"og:site_name\" content=\"Fixture briefing\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta property=\"article:published_time\" content=\"2024-12-06T15:39:00\">",
    ] {
        assert!(article.contains(tag), "{tag} not in the article");
    }
    // the description once: Open Graph readers (Facebook, LinkedIn, Slack,
    // Discord, iMessage, X) fall back to it for `og:description`
    assert_eq!(
        article
            .matches("<meta name=\"description\" content=\"")
            .count(),
        1
    );
    assert!(!article.contains("og:description"));
    let index = read(&site, "index.html");
    for tag in [
        "<meta property=\"og:type\" content=\"website\">",
        "<meta property=\"og:url\" content=\"https://news.example/b/\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(index.contains(tag), "{tag} not in the index");
    }
    // 404.html links relatively like every page (a line of script makes
    // the site's root its base when it is served at another address)
    let nf = read(&site, "404.html");
    for link in [
        "<a href=\"index.html\">the briefing’s front page</a>",
        "<a href=\"search/index.html\">Search</a>",
        "<a href=\"articles/beta/index.html\">Oreshnik for Caracas</a>",
        "<link rel=\"stylesheet\" href=\"static/style.css\">",
        "<a href=\"timeline/index.html\">Timeline</a>",
        "<script data-root=\"/b/\">",
    ] {
        assert!(nf.contains(link), "{link} not in {nf}");
    }
    assert!(!nf.contains("og:"), "no Open Graph tags on 404.html");
}

/// Every quoted attribute value `name="…"` in `html`, with what precedes it.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let pat = format!(" {name}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let v = &html[i + pat.len()..];
            (&html[..i], &v[..v.find('"').unwrap()])
        })
        .collect()
}

#[test]
fn internal_links_are_relative_so_the_site_works_at_any_path() {
    // every output, 404.html included: no link from the site's root, and
    // base_url only in the feed, the sitemap, robots.txt, the briefing as
    // data (read by other tools, away from the site) and the page
    // metadata that must be absolute (canonical link, og:url, JSON-LD)
    const BASE: &str = "https://news.example/b/";
    let dir = fixture("links/basic");
    let site = build(dir.path(), &["--base-url", BASE]);
    let mut pages = 0;
    for (path, bytes) in files(&site) {
        if [
            "feed.xml",
            "sitemap.xml",
            "robots.txt",
            "data/briefing.json",
        ]
        .contains(&path.as_str())
        {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // fonts
        };
        let mut allowed = 0;
        if path.ends_with(".html") {
            pages += 1;
            for name in [
                "href",
                "src",
                "action",
                "content",
                "data-index",
                "srcset",
                "poster",
            ] {
                for (before, url) in attributes(&text, name) {
                    assert!(
                        !url.starts_with('/'),
                        "{path}: {name}=\"{url}\" is from the root"
                    );
                    if url.contains(BASE) {
                        let tag = &before[before.rfind('<').unwrap()..];
                        let canonical = tag == "<link rel=\"canonical\"";
                        let og = tag == "<meta property=\"og:url\"";
                        assert!(canonical || og, "{path}: {tag} {name}=\"{url}\"");
                        allowed += 1;
                    }
                }
            }
            // the 404 page's hint of where the site lies: a path, not a link
            for (before, root) in attributes(&text, "data-root") {
                if before.ends_with("<script") {
                    assert_eq!((path.as_str(), root), ("404.html", "/b/"));
                } else {
                    assert!(!root.starts_with('/'), "{path}: data-root=\"{root}\"");
                }
            }
            if let Some(i) = text.find("<script type=\"application/ld+json\">") {
                let end = i + text[i..].find("</script>").unwrap();
                allowed += text[i..end].matches(BASE).count();
            }
        }
        if path.ends_with(".css") {
            for (i, _) in text.match_indices("url(") {
                let url = text[i + 4..].trim_start_matches(['"', '\'']);
                assert!(!url.starts_with('/'), "{path}: url({url}");
            }
        }
        assert_eq!(
            text.matches(BASE).count(),
            allowed,
            "{path} names base_url outside its canonical link, og:url and JSON-LD"
        );
    }
    assert!(pages > 10);
}

#[test]
fn search_page_and_index() {
    let dir = fixture("links/basic");
    let site = build(dir.path(), &[]);
    let page = read(&site, "search/index.html");
    assert!(
        page.contains("data-index=\"../search/index.js\" data-root=\"../\""),
        "{page}"
    );
    // it works from file:// now: no note saying otherwise
    assert!(!page.contains("file://"), "{page}");
    // the box's example is this briefing's most-named entities
    assert!(
        page.contains("placeholder=\"e.g. Russia, Oreshnik, Vladimir Putin\""),
        "{page}"
    );
    // 3 articles and 5 entities; a handful of terms fit one shard; words
    // are stemmed in the briefing's language (en)
    assert_eq!(
        read(&site, "search/index.js"),
        "briefingSearch.init(\"\",{\"docs\":8,\"chunk\":64,\"stemmer\":\"english\",\"shards\":[\"\"]});\n"
    );
    let file = read(&site, "search/docs/0.js");
    assert!(file.starts_with("briefingSearch.docz(\"\",0,\""), "{file}");
    let docs =
        String::from_utf8(briefing::link::search::docs_text(file.as_bytes()).unwrap()).unwrap();
    assert!(docs.starts_with("[[\"articles/alpha/\",\"Putin in Minsk\",\"article\",\"6 December 2024\",\"Putin spoke in Minsk about the Oreshnik. Putin said Russia's missile was ready.\"],\n"), "{docs}");
    assert!(docs.contains("[\"articles/gamma/\",\"An undated note\",\"article\",\"\","));
    assert!(
        docs.contains(
            "[\"entities/caracas/\",\"Caracas\",\"place\",\"\",\"Capital of Venezuela.\"]]"
        )
    );
    let terms = read(&site, "search/terms/t.js");
    assert!(
        terms.starts_with("briefingSearch.add(\"\",\"\",{"),
        "{terms}"
    );
    // Minsk: alpha (title, and twice in the text: weight 32 + 13; its
    // summary is its first paragraph, indexed once) and the entity (title,
    // and once in a short text: 32 + 18); Venezuela only in the Caracas
    // entity's description (document 7): per document, the documents
    // skipped (base-24 digits: `(` is 4, `)` 5, `+` 7), then the weight
    assert!(terms.contains("\"minsk\":\"t(y\""), "{terms}");
    assert!(terms.contains("\"venezuela\":\"+S\""), "{terms}");
    // "missile" (alpha) and "missile" (Oreshnik's description) are one
    // stem; the form points to it by its length
    assert!(terms.contains("\"missil\":\"N)U\""), "{terms}");
    assert!(terms.contains("\"missile\":6"), "{terms}");
    let entries = files(&site);
    let search: Vec<&str> = entries
        .iter()
        .map(|f| f.0.as_str())
        .filter(|p| p.starts_with("search/"))
        .collect();
    assert_eq!(
        search,
        [
            "search/docs/0.js",
            "search/index.html",
            "search/index.js",
            "search/terms/t.js"
        ]
    );
    assert!(!entries.iter().any(|f| f.0.contains("pagefind")));
    let article = read(&site, "articles/alpha/index.html");
    assert!(article.contains("<article class=\"article\">"));
    assert!(!article.contains("data-pagefind"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = fixture("links/basic");
    let b = fixture("links/basic");
    let sa = files(&build(a.path(), &[]));
    let sb = files(&build(b.path(), &[]));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&sa), names(&sb));
    for (x, y) in sa.iter().zip(&sb) {
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
}

/// vnu (the Nu HTML checker) finds no errors in the seeds' site. Skipped
/// when Java or vnu.jar is not available (`scripts/validate-html.sh`
/// installs it; set VNU_JAR to use another copy).
#[test]
fn vnu_accepts_the_site() {
    let dir = seeds_project();
    let site = build(dir.path(), &[]);
    assert_vnu_accepts("vnu_accepts_the_site", &site);
}
