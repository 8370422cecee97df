//! Writing a built briefing's annotations: a W3C Web Annotation
//! `AnnotationCollection` (JSON-LD) or a Hypothesis export.
//!
//! Every anchored passage is one annotation. Its note is a `TextualBody`
//! in Markdown with purpose `commenting`, each tag a `tagging` body, a
//! claim's status an `assessing` body, and what has no place in the model
//! — a claim's key when it is not the passage's own id, an event's date,
//! a status its tags do not say — a tagging body `claim:KEY`,
//! `date:YYYY-MM-DD`, `status:WORD` (Hypothesis: the same as tags). It
//! has two targets: the original article (`url:`) with a
//! `TextQuoteSelector` (`exact` the quote, `prefix` and `suffix` the
//! article's text around it), and the passage on the published page. Its
//! id is the passage's address on the published page (`…#a-<id>`), which
//! `briefing import` turns back into the same id.
//!
//! An article's note on the whole article (every annotation file's text
//! before its first heading, in file order, joined) is one more
//! annotation, first: a page note, targeting the original (`url:`) and
//! the published page without a selector (W3C: their IRIs; Hypothesis:
//! a `target` with a `source` only, as Hypothesis writes a page note), id
//! `…/articles/<slug>/#note` (Hypothesis: `note-<slug>`).
//!
//! The articles are worked on in parallel, each annotation serialised as
//! it is made; the file is written once, in order.

use super::{W3C_CONTEXT, special_tags_of};
use crate::annotate::Annotation;
use crate::assembled::Briefing;
use crate::content::Article;
use crate::model::SitePath;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

/// One passage with what both formats need.
struct Passage<'a> {
    a: &'a Annotation,
    article: &'a Article,
    /// The passage on the published page.
    page: String,
}

/// Every anchored passage, article by article, each serialised by `one`
/// (in parallel); the pieces in the order of `Annotations::all`.
fn pieces(b: &Briefing, one: impl Fn(&Passage) -> Vec<u8> + Sync) -> Vec<Vec<u8>> {
    let all = b.annotations.all();
    // runs of one article's annotations
    let mut runs: Vec<&[Arc<Annotation>]> = Vec::new();
    let mut start = 0;
    for i in 1..=all.len() {
        if i == all.len() || all[i].article != all[start].article {
            if i > start {
                runs.push(&all[start..i]);
            }
            start = i;
        }
    }
    runs.par_iter()
        .map(|run| {
            let Some(article) = b.article(&run[0].article) else {
                return Vec::new();
            };
            let at = SitePath::article(&article.slug);
            let page = b.config.absolute(&at);
            let mut out = Vec::new();
            for a in run.iter() {
                let p = Passage {
                    a,
                    article,
                    page: format!("{page}#a-{}", a.id),
                };
                out.extend(one(&p));
            }
            out
        })
        .collect()
}

/// An article's note on the whole article.
struct PageNote<'a> {
    article: &'a Article,
    /// Every annotation file's note on it, in file order, joined.
    note: String,
    /// The published page.
    page: String,
}

/// The notes on whole articles, by article slug.
fn page_notes(b: &Briefing) -> Vec<PageNote<'_>> {
    let mut by: std::collections::BTreeMap<&crate::model::Slug, Vec<&str>> = Default::default();
    for n in b.annotations.article_notes() {
        let md = n.note_md().trim();
        if !md.is_empty() {
            by.entry(&n.article).or_default().push(md);
        }
    }
    by.into_iter()
        .filter_map(|(slug, notes)| {
            let article = b.article(slug)?;
            Some(PageNote {
                article,
                note: notes.join("\n\n"),
                page: b.config.absolute(&SitePath::article(&article.slug)),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    purpose: &'static str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Selector<'a> {
    Quote(QuoteSelector<'a>),
    Fragment {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(rename = "conformsTo")]
        conforms_to: &'static str,
        value: String,
    },
}

#[derive(Serialize)]
struct SpecificResource<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    source: &'a str,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    body: Vec<Body<'a>>,
    target: Vec<SpecificResource<'a>>,
}

fn quote_selector<'a>(p: &'a Passage) -> QuoteSelector<'a> {
    QuoteSelector {
        kind: "TextQuoteSelector",
        exact: &p.a.quote,
        prefix: &p.a.prefix,
        suffix: &p.a.suffix,
    }
}

/// The W3C annotation of one passage.
fn w3c_one(p: &Passage, language: &str, specials: &[String]) -> Vec<u8> {
    let a = p.a;
    let note = a.note_md().trim();
    let mut body = Vec::new();
    if !note.is_empty() {
        body.push(Body {
            kind: "TextualBody",
            value: note,
            format: Some("text/markdown"),
            language: Some(language),
            purpose: "commenting",
        });
    }
    for t in a.tags.iter().chain(specials) {
        body.push(Body {
            kind: "TextualBody",
            value: t,
            format: None,
            language: None,
            purpose: "tagging",
        });
    }
    if let Some(s) = a.status.filter(|_| a.is_claim()) {
        body.push(Body {
            kind: "TextualBody",
            value: s.as_str(),
            format: None,
            language: None,
            purpose: "assessing",
        });
    }
    let motivation = if a.is_claim() {
        "assessing"
    } else if note.is_empty() && a.tags.is_empty() {
        "highlighting"
    } else {
        "commenting"
    };
    let page_source = p.page.split('#').next().unwrap_or(&p.page);
    let mut target = Vec::new();
    if let Some(url) = &p.article.url {
        target.push(SpecificResource {
            kind: "SpecificResource",
            source: url,
            selector: vec![Selector::Quote(quote_selector(p))],
        });
    }
    target.push(SpecificResource {
        kind: "SpecificResource",
        source: page_source,
        selector: vec![
            Selector::Fragment {
                kind: "FragmentSelector",
                conforms_to: "http://tools.ietf.org/rfc/rfc3986",
                value: format!("a-{}", a.id),
            },
            Selector::Quote(quote_selector(p)),
        ],
    });
    let ann = W3cAnnotation {
        context: W3C_CONTEXT,
        id: &p.page,
        kind: "Annotation",
        motivation,
        body,
        target,
    };
    serde_json::to_vec(&ann).expect("serialising plain values cannot fail")
}

/// The W3C annotation of an article's page note.
fn w3c_page(n: &PageNote, language: &str) -> Vec<u8> {
    #[derive(Serialize)]
    struct PageAnnotation<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        motivation: &'static str,
        body: [Body<'a>; 1],
        target: Vec<&'a str>,
    }
    let id = format!("{}#note", n.page);
    let mut target: Vec<&str> = n.article.url.iter().map(String::as_str).collect();
    target.push(&n.page);
    let ann = PageAnnotation {
        context: W3C_CONTEXT,
        id: &id,
        kind: "Annotation",
        motivation: "commenting",
        body: [Body {
            kind: "TextualBody",
            value: &n.note,
            format: Some("text/markdown"),
            language: Some(language),
            purpose: "commenting",
        }],
        target,
    };
    serde_json::to_vec(&ann).expect("serialising plain values cannot fail")
}

/// Write the W3C `AnnotationCollection` of the briefing's passages (and
/// page notes).
pub fn w3c(b: &Briefing, out: &mut dyn Write) -> std::io::Result<usize> {
    let language = b.config.language.as_str();
    let notes = page_notes(b);
    let mut parts: Vec<Vec<u8>> = notes
        .par_iter()
        .map(|n| {
            let mut v = w3c_page(n, language);
            v.push(b'\n');
            v
        })
        .collect();
    parts.extend(pieces(b, |p| {
        let specials = special_tags_of(p.a);
        let mut v = w3c_one(p, language, &specials);
        v.push(b'\n');
        v
    }));
    let total = notes.len() + b.annotations.all().len();
    #[derive(Serialize)]
    struct Head<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        label: &'a str,
        total: usize,
    }
    let head = serde_json::to_string(&Head {
        context: W3C_CONTEXT,
        kind: "AnnotationCollection",
        label: &b.config.title,
        total,
    })?;
    // the collection with its one page embedded, one annotation a line
    out.write_all(head.trim_end_matches('}').as_bytes())?;
    out.write_all(b",\"first\":{\"type\":\"AnnotationPage\",\"startIndex\":0,\"items\":[\n")?;
    let mut first = true;
    for part in &parts {
        for line in part.split_inclusive(|&c| c == b'\n') {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(line)?;
        }
    }
    out.write_all(b"]}}\n")?;
    Ok(total)
}

/// Write a Hypothesis export (`{"export_date", "export_userid",
/// "client_version", "annotations": […]}`) of the briefing's passages.
pub fn hypothesis(b: &Briefing, out: &mut dyn Write, now: &str) -> std::io::Result<usize> {
    let host = url::Url::parse(&b.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let user = format!("acct:briefing@{host}");
    #[derive(Serialize)]
    struct Target<'a> {
        source: &'a str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        selector: Vec<QuoteSelector<'a>>,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        title: [&'a str; 1],
    }
    #[derive(Serialize)]
    struct Links<'a> {
        html: &'a str,
    }
    #[derive(Serialize)]
    struct Perms<'a> {
        read: [&'a str; 1],
    }
    #[derive(Serialize)]
    struct H<'a> {
        id: &'a str,
        created: &'a str,
        updated: &'a str,
        user: &'a str,
        uri: &'a str,
        text: &'a str,
        tags: Vec<&'a str>,
        group: &'static str,
        permissions: Perms<'a>,
        target: [Target<'a>; 1],
        document: Doc<'a>,
        links: Links<'a>,
        references: [&'a str; 0],
        hidden: bool,
        flagged: bool,
    }
    let notes = page_notes(b);
    let mut parts: Vec<Vec<u8>> = notes
        .par_iter()
        .map(|n| {
            let id = format!("note-{}", n.article.slug);
            let html = format!("{}#note", n.page);
            let uri = n.article.url.as_deref().unwrap_or(&n.page);
            let h = H {
                id: &id,
                created: now,
                updated: now,
                user: &user,
                uri,
                text: &n.note,
                tags: Vec::new(),
                group: "__world__",
                permissions: Perms {
                    read: ["group:__world__"],
                },
                target: [Target {
                    source: uri,
                    selector: Vec::new(),
                }],
                document: Doc {
                    title: [&n.article.title],
                },
                links: Links { html: &html },
                references: [],
                hidden: false,
                flagged: false,
            };
            let mut v = serde_json::to_vec(&h).expect("serialising plain values cannot fail");
            v.push(b'\n');
            v
        })
        .collect();
    parts.extend(pieces(b, |p| {
        let a = p.a;
        let specials = special_tags_of(a);
        let page_source = p.page.split('#').next().unwrap_or(&p.page);
        let uri = p.article.url.as_deref().unwrap_or(page_source);
        let h = H {
            id: &a.id,
            created: now,
            updated: now,
            user: &user,
            uri,
            text: a.note_md().trim(),
            tags: a.tags.iter().chain(&specials).map(String::as_str).collect(),
            group: "__world__",
            permissions: Perms {
                read: ["group:__world__"],
            },
            target: [Target {
                source: uri,
                selector: vec![quote_selector(p)],
            }],
            document: Doc {
                title: [&p.article.title],
            },
            links: Links { html: &p.page },
            references: [],
            hidden: false,
            flagged: false,
        };
        let mut v = serde_json::to_vec(&h).expect("serialising plain values cannot fail");
        v.push(b'\n');
        v
    }));
    #[derive(Serialize)]
    struct Head<'a> {
        export_date: &'a str,
        export_userid: &'a str,
        client_version: &'static str,
    }
    let head = serde_json::to_string(&Head {
        export_date: now,
        export_userid: &user,
        client_version: concat!("briefing ", env!("CARGO_PKG_VERSION")),
    })?;
    out.write_all(head.trim_end_matches('}').as_bytes())?;
    out.write_all(b",\"annotations\":[\n")?;
    let mut first = true;
    let mut n = 0;
    for part in &parts {
        for line in part.split_inclusive(|&c| c == b'\n') {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            n += 1;
            out.write_all(line)?;
        }
    }
    out.write_all(b"]}\n")?;
    Ok(n)
}
