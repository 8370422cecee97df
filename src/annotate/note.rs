//! Notes as HTML: Markdown (with wikilinks already rewritten) rendered by
//! the site's Markdown renderer, which is safe by construction (raw HTML
//! becomes text, links and images keep only safe URLs, headings only an id
//! and classes; `markdown`'s property test checks the DOM of
//! hostile input); and the sidenote markup placed after an annotated
//! passage.

use super::wikilink::{self, Resolved};
use crate::markdown;
use crate::model::SitePath;

/// Render a note's Markdown to safe HTML, with typographic quotes and
/// dashes (the analyst types straight ones; the articles have curly ones).
pub fn render(md: &str) -> String {
    markdown::render_typographic(md)
}

/// A note rendered to safe HTML once for every page that shows it (its
/// article's sidenote, the annotation listings): the URL of each wikilink
/// is a placeholder that [`Rendered::at`] fills in for the page, since
/// only those URLs depend on where the page is. Rendering the Markdown is
/// the expensive part; filling in is a copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The note's HTML without its wikilinks' URLs.
    html: String,
    /// Where each wikilink's URL goes in `html`: (byte offset, index into
    /// the note's links, which [`Rendered::at`] is given rather than a
    /// copy of their targets being kept here), in order.
    holes: Vec<(u32, u32)>,
}

/// An absolute URL (so the renderer keeps it as it is) on a reserved
/// domain, followed by the link's index.
const PLACEHOLDER: &str = "https://briefing.invalid/wikilink/";

impl Rendered {
    pub fn new(md: &str, links: &[Resolved]) -> Rendered {
        let md = wikilink::rewrite_with(md, links, |i, _| format!("{PLACEHOLDER}{i}"));
        let rendered = render(&md);
        // cut the placeholders out once: each page then only fills in
        let mut html = String::with_capacity(rendered.len());
        let mut holes = Vec::new();
        let mut rest = rendered.as_str();
        let finder = memchr::memmem::Finder::new(PLACEHOLDER);
        while let Some(p) = finder.find(rest.as_bytes()) {
            let after = &rest[p + PLACEHOLDER.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            match after[..digits]
                .parse::<usize>()
                .ok()
                .filter(|&i| i < links.len())
            {
                Some(i) => {
                    html.push_str(&rest[..p]);
                    // (a note is far shorter than 4 GiB)
                    holes.push((html.len() as u32, i as u32));
                }
                // (not one of ours: the note's own text)
                None => html.push_str(&rest[..p + PLACEHOLDER.len() + digits]),
            }
            rest = &after[digits..];
        }
        html.push_str(rest);
        html.shrink_to_fit();
        holes.shrink_to_fit();
        Rendered { html, holes }
    }

    /// The note's HTML with its links relative to the page `at`; `links`
    /// are the ones it was made [`new`](Rendered::new) with.
    pub fn at(&self, links: &[Resolved], at: &SitePath) -> String {
        let mut out = String::with_capacity(self.html.len() + self.holes.len() * 40);
        let mut last = 0;
        for &(pos, i) in &self.holes {
            let pos = pos as usize;
            out.push_str(&self.html[last..pos]);
            // URLs of slugs and ids: nothing in them to escape
            links[i as usize].target.push_url(at, &mut out);
            last = pos;
        }
        out.push_str(&self.html[last..]);
        out
    }
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// What a sidenote shows.
pub struct SidenoteView<'a> {
    pub id: &'a str,
    pub number: usize,
    pub quote: &'a str,
    pub tags: &'a [String],
    pub status: Option<&'a str>,
    pub date: Option<String>,
    /// A claim's grade (`B2`) and what it means.
    pub grade: Option<(String, String)>,
    /// Sanitised note HTML.
    pub html: &'a str,
}

/// Shorten a quote for a label: at most `max` characters, cut at a word
/// ([`crate::model::shorten`]).
pub fn shorten(s: &str, max: usize) -> String {
    crate::model::shorten(s, max).into_owned()
}

/// The classes of a passage and its note: `ann tag-claim status-disputed`.
pub fn classes(tags: &[String], status: Option<&str>) -> String {
    let mut c = String::from("ann");
    for t in tags {
        c.push_str(" tag-");
        c.push_str(t);
    }
    if let Some(s) = status {
        c.push_str(" status-");
        c.push_str(s);
    }
    c
}

/// A claim's grade as a label: `B2`, what it means on hover.
pub fn grade_label(grade: Option<&(String, String)>) -> String {
    match grade {
        Some((g, meaning)) => format!(
            "<abbr class=\"ann-label grade grade-{}\" title=\"{}\">{}</abbr>",
            attr(&g[..1]),
            attr(meaning),
            esc(g)
        ),
        None => String::new(),
    }
}

/// The visible tag labels.
pub fn labels(tags: &[String], status: Option<&str>, date: Option<&str>) -> String {
    let mut out = String::new();
    for t in tags {
        if Some(t.as_str()) == status {
            continue;
        }
        out.push_str(&format!(
            "<span class=\"ann-label tag-{}\">{}</span>",
            attr(t),
            esc(t)
        ));
    }
    if let Some(s) = status {
        out.push_str(&format!(
            "<span class=\"ann-label status status-{}\">{}</span>",
            attr(s),
            esc(s)
        ));
    }
    if let Some(d) = date {
        out.push_str(&format!(
            "<time class=\"ann-label date\" datetime=\"{}\">{}</time>",
            attr(d),
            esc(d)
        ));
    }
    out
}

/// One sidenote: beside the text on wide screens, a fold under the passage
/// on narrow ones (`<details>`, keyboard-operable without JS), a numbered
/// note in print.
pub fn sidenote(v: &SidenoteView) -> String {
    let id = attr(v.id);
    format!(
        "<aside class=\"{classes}\" id=\"n-{id}\" data-ann=\"{id}\" aria-label=\"Note {n}\">\
<details class=\"sidenote-fold\"><summary><span class=\"note-num\">{n}</span> \
<span class=\"note-quote\">“{quote}”</span> <span class=\"ann-labels\">{labels}</span></summary>\
<div class=\"note-body\">{html}</div>\
<p class=\"note-meta\"><a class=\"permalink\" href=\"#a-{id}\" title=\"Link to this passage\">¶ <span class=\"visually-hidden\">Permalink to passage </span>{n}</a></p>\
</details></aside>",
        classes = attr(&classes(v.tags, v.status).replacen("ann", "sidenote", 1)),
        n = v.number,
        quote = esc(&shorten(v.quote, 60)),
        labels = labels(v.tags, v.status, v.date.as_deref()) + &grade_label(v.grade.as_ref()),
        html = v.html,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_rendered_once_fills_in_its_links_for_any_page() {
        use crate::annotate::wikilink::Target;
        use crate::model::Slug;
        let md = "See [[a]], [[a#x|the passage]] and [[Putin]]; also [w](https://example.org/wikilink/0) and https://briefing.invalid/wikilink/9.";
        let at = |find: &str| {
            let start = md.find(find).unwrap();
            start..start + find.len()
        };
        let slug = |s: &str| Slug::parse(s).unwrap();
        let links = vec![
            Resolved {
                range: at("[[a]]"),
                target: Target::Article { slug: slug("a") },
                text: "Article A".into(),
            },
            Resolved {
                range: at("[[a#x|the passage]]"),
                target: Target::Annotation {
                    article: slug("a"),
                    id: "x".into(),
                },
                text: "the passage".into(),
            },
            Resolved {
                range: at("[[Putin]]"),
                target: Target::Entity {
                    slug: slug("vladimir-putin"),
                },
                text: "Putin".into(),
            },
        ];
        let once = Rendered::new(md, &links);
        for page in [
            SitePath::index(),
            SitePath::section("annotations"),
            SitePath::article(&slug("a")),
            SitePath::new("annotations/tags/claim/index-2.html"),
        ] {
            let each = render(&wikilink::rewrite(md, &links, &page));
            assert_eq!(once.at(&links, &page), each, "on {page}");
        }
        let on_a = once.at(&links, &SitePath::article(&slug("a")));
        assert!(on_a.contains("href=\"#a-x\""), "{on_a}");
    }

    #[test]
    fn notes_are_markdown_and_safe() {
        let h = render(
            "A *b* <script>x</script> [l](javascript:alert(1))\n\n- i\n\n### Sub {onclick=alert(1)}\n",
        );
        assert!(h.contains("<em>b</em>"), "{h}");
        assert!(h.contains("<li>i</li>"), "{h}");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(h.contains("<h3>Sub</h3>"), "{h}");
    }

    #[test]
    fn code_keeps_its_highlight_classes() {
        let h = render("```rust\nfn main() {}\n```\n");
        assert!(h.contains("class="), "{h}");
    }

    #[test]
    fn shortens_at_a_word() {
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("short", 10), "short");
    }
}
