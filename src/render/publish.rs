//! Publishing files: the Atom feed, the sitemap, `robots.txt`, the search
//! page and the search index. Absolute URLs appear only here (feed,
//! sitemap) — built from `base_url` by [`crate::config::Config::absolute`].

use super::PAGE_SIZE;
use super::pages::{common, output};
use super::{Output, Renderer};
use crate::assembled::Briefing;
use crate::content::{Article, Stamp};
use crate::diag::Problem;
use crate::model::SitePath;
use serde::Serialize;
use std::fmt::Write as _;

/// The search page. The client script loads the index (`search/index.js`
/// and the shards it names) with `<script src>` relative to the page, so it
/// works under any sub-path and from `file://`.
pub fn search_page(b: &Briefing, r: &Renderer) -> Result<Output, Problem> {
    #[derive(Serialize)]
    struct Ctx {
        page: super::pages::Common,
        index_url: String,
        placeholder: String,
    }
    let at = SitePath::section("search");
    let ctx = Ctx {
        page: common(b, &at, "Search"),
        placeholder: search_placeholder(b),
        index_url: SitePath::new(format!("{}/index.js", crate::link::search::DIR))
            .relative_from(&at),
    };
    Ok(output(at, r.page("search.html", &ctx, PAGE_SIZE)?))
}

/// The search box's example: the three entities the briefing names most
/// (its own names, not another briefing's), or nothing.
pub fn search_placeholder(b: &Briefing) -> String {
    let reg = &b.links.registry.entities;
    let mut order: Vec<usize> = (0..reg.len())
        .filter(|&i| b.links.mention_count(i) > 0)
        .collect();
    // most named first; ties by registry order, so the output is stable
    order.sort_by_key(|&i| (std::cmp::Reverse(b.links.mention_count(i)), i));
    let names: Vec<&str> = order
        .iter()
        .take(3)
        .map(|&i| reg[i].entry.name.as_str())
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("e.g. {}", names.join(", "))
    }
}

/// Escape text for XML content and double-quoted attributes.
fn x(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn atom_date(d: &jiff::civil::DateTime) -> String {
    d.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// When an article was first published: `published`, else `date` (both
/// taken as UTC when they have no offset).
fn published_of(a: &Article) -> Option<Stamp> {
    a.published
        .or(a.date.map(|time| Stamp { time, offset: None }))
}

/// When an article last changed: `modified`, else when it was published.
fn updated_of(a: &Article) -> Option<Stamp> {
    a.modified.or_else(|| published_of(a))
}

/// How many entries the feed carries: feed readers poll it, and a
/// briefing with thousands of articles would otherwise send them all on
/// every poll.
pub const FEED_LIMIT: usize = 50;

/// The Atom feed (RFC 4287): the [`FEED_LIMIT`] newest articles, newest
/// first. An entry's `published` and `updated` are the article's
/// `published` and `modified` where the page gave them (with their
/// offsets), else its date; undated articles carry the feed's `updated`,
/// the latest of them all (Atom requires one). The original is linked
/// with `rel="via"` (the source of the entry's information), the byline
/// is the author, and the outlet is the entry's `source` title.
pub fn feed(b: &Briefing) -> String {
    let c = &b.config;
    let newest = b
        .articles
        .iter()
        .filter_map(|a| updated_of(a)?.instant())
        .chain(b.editions.editions.iter().filter_map(|r| {
            super::changes::edition_date(r)?
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        }))
        .max();
    let updated = newest.map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |t| atom_date(&t.to_zoned(jiff::tz::TimeZone::UTC).datetime()),
    );
    let home = c.absolute(&SitePath::index());
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        x(&c.language),
        x(&c.title)
    );
    if !c.description.is_empty() {
        let _ = writeln!(s, "  <subtitle>{}</subtitle>", x(&c.description));
    }
    let _ = write!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>briefing</generator>\n",
        x(&c.absolute(&SitePath::new("feed.xml"))),
        x(&home),
        x(&home),
        x(&c.title)
    );
    for a in b.articles.iter().take(FEED_LIMIT) {
        let url = c.absolute(&SitePath::article(&a.slug));
        let changed = updated_of(a).map_or_else(|| updated.clone(), |t| t.rfc3339());
        let _ = write!(
            s,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            x(&a.title),
            x(&url),
        );
        if let Some(original) = &a.url {
            let _ = writeln!(
                s,
                "    <link rel=\"via\" type=\"text/html\" href=\"{}\"/>",
                x(original)
            );
        }
        let _ = write!(
            s,
            "    <id>{}</id>\n    <updated>{changed}</updated>\n",
            x(&url)
        );
        if let Some(p) = published_of(a) {
            let _ = writeln!(s, "    <published>{}</published>", p.rfc3339());
        }
        if let Some(by) = &a.byline {
            let _ = writeln!(s, "    <author><name>{}</name></author>", x(by));
        }
        if !a.summary.is_empty() {
            let _ = writeln!(s, "    <summary>{}</summary>", x(&a.summary));
        }
        if let Some(outlet) = &a.outlet {
            // the publication the entry's text comes from (RFC 4287
            // 4.2.11: the metadata of where the entry was first published)
            let _ = write!(s, "    <source><title>{}</title>", x(outlet));
            if let Some(original) = &a.url {
                let _ = write!(
                    s,
                    "<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>",
                    x(super::provenance::origin(original))
                );
            }
            s.push_str("</source>\n");
        }
        s.push_str("  </entry>\n");
    }
    // an entry per recorded edition: what changed since the one before
    for (i, (name, path, count)) in super::changes::feed_entries(b).into_iter().enumerate() {
        let url = c.absolute(&path);
        let r = &b.editions.editions[b.editions.editions.len() - 1 - i];
        let when =
            super::changes::edition_date(r).map_or_else(|| updated.clone(), |d| atom_date(&d));
        let summary = match count {
            Some(n) => format!("{n} change(s) since the edition before"),
            None => "The first recorded edition".to_string(),
        };
        let _ = write!(
            s,
            "  <entry>\n    <title>Edition {}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <updated>{when}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            x(&name),
            x(&url),
            x(&url),
            x(&summary)
        );
    }
    s.push_str("</feed>\n");
    s
}

/// An article's `lastmod` (W3C Datetime): `modified`, else `published`,
/// in full with their offset; a time without one, and `date`, as a day.
fn lastmod(a: &Article) -> Option<String> {
    match a.modified.or(a.published) {
        Some(t) if t.offset.is_some() => Some(t.iso()),
        Some(t) => Some(t.time.strftime("%Y-%m-%d").to_string()),
        None => a.date.map(|d| d.strftime("%Y-%m-%d").to_string()),
    }
}

/// The sitemap: every page but `404.html`, by path; article pages with
/// the time their article last changed ([`lastmod`]).
pub fn sitemap(b: &Briefing, pages: &[&SitePath]) -> String {
    let mut paths: Vec<&&SitePath> = pages
        .iter()
        .filter(|p| p.as_str().ends_with(".html") && p.as_str() != "404.html")
        .collect();
    paths.sort();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let dated: std::collections::BTreeMap<SitePath, String> = b
        .articles
        .iter()
        .filter_map(|a| Some((SitePath::article(&a.slug), lastmod(a)?)))
        .collect();
    for p in paths {
        match dated.get(*p) {
            Some(d) => {
                let _ = writeln!(
                    s,
                    "  <url><loc>{}</loc><lastmod>{d}</lastmod></url>",
                    x(&b.config.absolute(p))
                );
            }
            None => {
                let _ = writeln!(s, "  <url><loc>{}</loc></url>", x(&b.config.absolute(p)));
            }
        }
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(b: &Briefing) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        b.config.absolute(&SitePath::new("sitemap.xml"))
    )
}

/// Characters of an article's or an entity's excerpt.
const EXCERPT_CHARS: usize = 200;
/// Characters of a note's excerpt: the client cuts a snippet around the
/// first match from it.
const NOTE_CHARS: usize = 320;

/// The index of the analyst's notes (`search/notes/`): built apart from
/// the main one so that an annotation edit in the live preview rebuilds
/// only it.
pub const NOTES_INDEX: &str = "notes";

/// The text of HTML we rendered (a note, the summary): tags dropped,
/// entities decoded, a space where a block ends.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag.trim_start_matches('/');
        if [
            "p",
            "li",
            "br",
            "ul",
            "ol",
            "blockquote",
            "h",
            "div",
            "pre",
            "tr",
            "td",
            "th",
        ]
        .iter()
        .any(|b| name.starts_with(b))
        {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

/// What the main search index holds: every article (title; byline,
/// summary and body text), the executive summary, then every entity
/// (name; name, aliases and description). Article `i` is record `i` (the
/// notes index refers to them so). How many records there are:
/// [`search_record_count`].
pub fn search_record(b: &Briefing, i: usize) -> crate::link::search::Record {
    use crate::link::search::{Record, excerpt};
    if let Some(a) = b.articles.get(i) {
        let body = crate::markdown::plain_text(a.body()).text;
        let byline = a.byline.as_deref().unwrap_or("");
        let shown = if a.summary.trim().is_empty() {
            &body
        } else {
            &a.summary
        };
        // the summary is most often the body's first paragraph: its words
        // are indexed once, not counted twice
        let summary = a.summary.trim();
        let text = if body.starts_with(summary) {
            format!("{byline}\n{body}")
        } else {
            format!("{byline}\n{summary}\n{body}")
        };
        return Record {
            path: SitePath::article(&a.slug).as_str().to_string(),
            title: a.title.clone(),
            excerpt: excerpt(shown, EXCERPT_CHARS),
            text,
            kind: "article".to_string(),
            meta: a
                .date
                .map(|d| d.strftime("%-d %B %Y").to_string())
                .unwrap_or_default(),
            parent: None,
        };
    }
    let mut i = i - b.articles.len();
    if let Some(s) = &b.summary {
        if i == 0 {
            let text = match &b.annotations.summary_html {
                Some(html) => html_text(html),
                None => crate::markdown::plain_text(&s.body).text,
            };
            return Record {
                path: "index.html#summary-title".to_string(),
                title: s
                    .title
                    .clone()
                    .unwrap_or_else(|| "Executive summary".to_string()),
                excerpt: excerpt(&text, NOTE_CHARS),
                text,
                kind: "summary".to_string(),
                meta: String::new(),
                parent: None,
            };
        }
        i -= 1;
    }
    let e = &b.links.registry.entities[i];
    let description = crate::markdown::plain_text(&e.entry.description).text;
    Record {
        path: SitePath::entity(&e.slug).as_str().to_string(),
        title: e.entry.name.clone(),
        excerpt: excerpt(&description, EXCERPT_CHARS),
        // the name again: a page about it, not just a title that says it
        text: format!(
            "{}\n{}\n{description}",
            e.entry.name,
            e.entry.aliases.join(", ")
        ),
        kind: e.entry.kind.id().to_string(),
        meta: String::new(),
        parent: None,
    }
}

/// Every record of the main search index at once (for tools and
/// benchmarks: a build makes them a chunk at a time, [`search_index`]).
pub fn search_records(b: &Briefing) -> Vec<crate::link::search::Record> {
    use rayon::prelude::*;
    (0..search_record_count(b))
        .into_par_iter()
        .map(|i| search_record(b, i))
        .collect()
}

/// How many records the main search index has (see [`search_record`]).
pub fn search_record_count(b: &Briefing) -> usize {
    b.articles.len() + usize::from(b.summary.is_some()) + b.links.registry.entities.len()
}

/// One record of the notes index.
pub enum NoteItem<'a> {
    /// The note on a whole article (by position), its HTML.
    ArticleNote(usize, &'a str),
    /// A note on a passage of an article (by position).
    Note(usize, &'a crate::annotate::Annotation),
    /// A claim with its passages across sources.
    Claim(crate::annotate::Claim<'a>),
}

/// What the notes index holds, in order: per article (newest first) its
/// note on the whole and its notes in text order, then the claims.
pub fn note_items(b: &Briefing) -> Vec<NoteItem<'_>> {
    let mut items = Vec::new();
    for (i, a) in b.articles.iter().enumerate() {
        let Some(notes) = b.annotations.for_article(&a.slug) else {
            continue;
        };
        if let Some(html) = &notes.article_note_html {
            items.push(NoteItem::ArticleNote(i, html));
        }
        for (_, list) in &notes.sidenotes {
            items.extend(list.iter().map(|n| NoteItem::Note(i, n)));
        }
    }
    items.extend(b.annotations.claims().into_iter().map(NoteItem::Claim));
    items
}

/// A note's labels as a result shows them: its tags, status and date.
fn note_labels(n: &crate::annotate::Annotation) -> String {
    let status = n.status.map(|s| s.as_str());
    let mut labels: Vec<String> = n
        .tags
        .iter()
        .filter(|t| *t != "claim" && Some(t.as_str()) != status)
        .cloned()
        .collect();
    labels.extend(status.map(str::to_string));
    labels.extend(n.date.map(|d| d.to_string()));
    labels.join(" · ")
}

/// The record of one item of the notes index: a note links to its passage
/// (`#a-<id>` on its article's page, the main index's record
/// `parent`), a claim to its section of the claims page.
pub fn note_record(item: &NoteItem) -> crate::link::search::Record {
    use crate::link::search::{Record, excerpt};
    match item {
        NoteItem::ArticleNote(i, html) => {
            let text = html_text(html);
            Record {
                path: "#note".to_string(),
                title: "Analyst’s note".to_string(),
                excerpt: excerpt(&text, NOTE_CHARS),
                text,
                kind: "note".to_string(),
                meta: String::new(),
                parent: Some(*i as u32),
            }
        }
        NoteItem::Note(i, n) => {
            let text = html_text(&n.note_html(&SitePath::article(&n.article)));
            Record {
                path: format!("#a-{}", n.id),
                title: format!("“{}”", n.quote),
                excerpt: excerpt(&text, NOTE_CHARS),
                text,
                kind: if n.is_claim() { "claim" } else { "note" }.to_string(),
                meta: note_labels(n),
                parent: Some(*i as u32),
            }
        }
        NoteItem::Claim(c) => {
            let quotes: Vec<&str> = c.passages.iter().map(|a| a.quote.as_str()).collect();
            let sources = {
                let mut s: Vec<&crate::model::Slug> =
                    c.passages.iter().map(|a| &a.article).collect();
                s.sort();
                s.dedup();
                s.len()
            };
            let n = c.passages.len();
            Record {
                path: format!("annotations/claims/index.html#claim-{}", c.key),
                title: super::annotations::claim_title(c),
                excerpt: excerpt(&quotes.join(" / "), NOTE_CHARS),
                // the key's words too (`venezuela-transfer`)
                text: format!("{}\n{}", c.key.replace('-', " "), quotes.join("\n")),
                kind: "claim".to_string(),
                meta: format!(
                    "{n} passage{} in {sources} source{}",
                    if n == 1 { "" } else { "s" },
                    if sources == 1 { "" } else { "s" }
                ),
                parent: None,
            }
        }
    }
}

/// The search index's files: (site-relative path, bytes).
pub type SearchFiles = Vec<(String, Vec<u8>)>;

/// The search indexes' files (the main one and the notes), built from the
/// model alone (no rendered page is needed, so they can be built while
/// the pages render). Empty when there is nothing to index. Records are
/// made as the index is built, not all at once: their texts are the
/// whole briefing.
pub fn search_index(b: &Briefing) -> SearchFiles {
    crate::link::search::collect(|put| search_index_into(b, put))
}

/// [`search_index`], handing each file to `put` as soon as it is made (a
/// build writes them as they come instead of holding them all).
pub fn search_index_into(b: &Briefing, put: &(dyn Fn(String, Vec<u8>) + Sync)) {
    use crate::link::search::build_into;
    let count = search_record_count(b);
    if count == 0 {
        return;
    }
    // The two indexes side by side: each ends in a merge of its chunks'
    // terms that runs on one core (a tenth of a second at 10,000
    // articles), which the other index's analysis fills.
    rayon::join(
        || build_into("", count, &b.config.language, |i| search_record(b, i), put),
        || {
            let items = note_items(b);
            if !items.is_empty() {
                build_into(
                    NOTES_INDEX,
                    items.len(),
                    &b.config.language,
                    |i| note_record(&items[i]),
                    put,
                );
            }
        },
    );
}

/// The notes index's files alone (`search/notes/`): what an annotation
/// edit changes.
pub fn notes_search_index(b: &Briefing) -> SearchFiles {
    let items = note_items(b);
    if items.is_empty() {
        // no notes, no index: the client finds none and searches the rest
        return Vec::new();
    }
    crate::link::search::build_with(NOTES_INDEX, items.len(), &b.config.language, |i| {
        note_record(&items[i])
    })
}

/// Feed, sitemap, robots and the search index, given the paths of every
/// other output (for the sitemap).
pub fn publishing(b: &Briefing, paths: &[&SitePath], search: SearchFiles) -> Vec<Output> {
    let mut out = vec![
        Output {
            path: SitePath::new("sitemap.xml"),
            bytes: sitemap(b, paths).into_bytes(),
        },
        Output {
            path: SitePath::new("feed.xml"),
            bytes: feed(b).into_bytes(),
        },
        Output {
            path: SitePath::new("robots.txt"),
            bytes: robots(b).into_bytes(),
        },
    ];
    out.extend(publishing_files(search));
    out
}

/// Search index files as outputs.
pub fn publishing_files(search: SearchFiles) -> Vec<Output> {
    search
        .into_iter()
        .map(|(path, bytes)| Output {
            path: SitePath::new(path),
            bytes,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn briefing_of(md: &str) -> Briefing {
        let article =
            crate::content::parse_article("content/a.md", std::sync::Arc::from(md)).unwrap();
        Briefing::of_articles(vec![article])
    }

    #[test]
    fn a_summary_that_is_the_first_paragraph_is_indexed_once() {
        let lede = briefing_of("---\ntitle: T\n---\n\nThe lede here.\n\nMore text.\n");
        let r = search_record(&lede, 0);
        assert_eq!(r.text.matches("The lede here.").count(), 1, "{}", r.text);
        assert_eq!(r.excerpt, "The lede here.");
        let own =
            briefing_of("---\ntitle: T\nsummary: A summary of its own.\n---\n\nThe lede here.\n");
        let r = search_record(&own, 0);
        assert!(r.text.contains("A summary of its own."), "{}", r.text);
        assert!(r.text.contains("The lede here."), "{}", r.text);
    }

    #[test]
    fn atom_dates_are_utc() {
        let d: jiff::civil::DateTime = "2024-12-06T15:39:00".parse().unwrap();
        assert_eq!(atom_date(&d), "2024-12-06T15:39:00Z");
        assert_eq!(x("a & <b> \"/\""), "a &amp; &lt;b&gt; &quot;/&quot;");
    }

    #[test]
    fn feed_and_sitemap_carry_the_provenance() {
        let b = briefing_of(
            "---\ntitle: \"T <b>\"\ndate: 2024-12-06T15:39:00\nbyline: Kit Heren\noutlet: \"The <Times> & Co\"\nurl: https://news.example/a?b=1&c=2\npublished: 2024-12-06T15:39:00+01:00\nmodified: 2024-12-07T09:10:00+01:00\n---\n\nLede.\n",
        );
        let f = feed(&b);
        assert!(
            f.contains(
                "  <id>http://localhost:1111/</id>\n  <updated>2024-12-07T08:10:00Z</updated>\n"
            ),
            "{f}"
        );
        assert!(
            f.contains("    <link rel=\"via\" type=\"text/html\" href=\"https://news.example/a?b=1&amp;c=2\"/>\n"),
            "{f}"
        );
        assert!(
            f.contains("    <updated>2024-12-07T09:10:00+01:00</updated>\n    <published>2024-12-06T15:39:00+01:00</published>\n    <author><name>Kit Heren</name></author>\n"),
            "{f}"
        );
        assert!(
            f.contains("    <source><title>The &lt;Times&gt; &amp; Co</title><link rel=\"alternate\" type=\"text/html\" href=\"https://news.example/\"/></source>\n  </entry>"),
            "{f}"
        );
        let page = SitePath::article(&b.articles[0].slug);
        let map = sitemap(&b, &[&page]);
        assert!(
            map.contains("<lastmod>2024-12-07T09:10:00+01:00</lastmod>"),
            "{map}"
        );
    }

    #[test]
    fn without_provenance_the_feed_is_as_before() {
        let b = briefing_of("---\ntitle: T\ndate: 2024-12-06T15:39:00\n---\n\nLede.\n");
        let f = feed(&b);
        assert!(
            f.contains("    <updated>2024-12-06T15:39:00Z</updated>\n    <published>2024-12-06T15:39:00Z</published>\n"),
            "{f}"
        );
        assert!(!f.contains("rel=\"via\"") && !f.contains("<source>"), "{f}");
        let page = SitePath::article(&b.articles[0].slug);
        assert!(sitemap(&b, &[&page]).contains("<lastmod>2024-12-06</lastmod>"));
    }
}
