//! Markdown → HTML with *decorations*: spans of the body's plain text that
//! are wrapped in elements (highlighted annotation passages, entity links)
//! and HTML inserted after the block that holds an offset (sidenotes).
//!
//! Positions are byte offsets into the body's **plain text**
//! ([`plain_text`]): the concatenation of its text, with `"\n\n"` between
//! blocks and `" "` for a soft line break. Anchoring and entity detection
//! work on that text; this module maps their offsets back onto the HTML.
//! Raw HTML in the Markdown is rendered as text (escaped), never passed
//! through.
//!
//! A shared layer: below `annotate`, `link` and `holdback` (which read
//! plain text and offsets through it) and `render` (which writes pages
//! with it). `highlight` is syntect for fenced code; `internal` finds the
//! `internal` blocks a public build holds back.

pub mod highlight;
pub mod internal;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Parser options used everywhere, so offsets agree between passes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// One decorated span of plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// Element name: `mark`, `a`, `span`.
    pub tag: &'static str,
    /// Attributes on every segment.
    pub attrs: Attrs,
    /// Extra attributes on the first segment only (e.g. `id`).
    pub first_attrs: Attrs,
    /// Extra attributes on every segment but the first (e.g. the class
    /// that the first segment's `id` stands for).
    pub rest_attrs: Attrs,
}

impl Span {
    fn is_link(&self) -> bool {
        self.tag == "a"
    }
}

/// Attributes of a [`Span`], written out and escaped once when made
/// (` class="…" href="…"`): a page has thousands of decorated segments,
/// and the same entity link decorates many mentions, so the text is
/// shared ([`Attrs::new`]) rather than escaped again for each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attrs(AttrText);

#[derive(Clone, Debug, PartialEq, Eq)]
enum AttrText {
    /// Shared by many spans.
    Shared(std::sync::Arc<str>),
    /// One span's own (an `id`).
    Own(String),
}

impl Default for Attrs {
    fn default() -> Attrs {
        Attrs(AttrText::Own(String::new()))
    }
}

impl Attrs {
    /// The attributes `pairs` (name, value), values escaped, to share.
    pub fn new(pairs: &[(&str, &str)]) -> Attrs {
        let mut out = String::new();
        for (k, v) in pairs {
            Attrs::push(&mut out, k, v);
        }
        Attrs(AttrText::Shared(out.into()))
    }

    /// Append the attribute `name="value"` (escaped) to `out`, for callers
    /// building one attribute text from parts.
    pub fn push(out: &mut String, name: &str, value: &str) {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        push_escaped(out, value, true);
        out.push('"');
    }

    /// Attributes already written with [`Attrs::push`] (or known to need
    /// no escaping), for one span.
    pub fn from_written(text: String) -> Attrs {
        Attrs(AttrText::Own(text))
    }

    /// The attribute text, with its leading space (empty when none).
    pub fn as_str(&self) -> &str {
        match &self.0 {
            AttrText::Shared(s) => s,
            AttrText::Own(s) => s,
        }
    }
}

/// What to add to a body while rendering it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decorations {
    pub spans: Vec<Span>,
    /// Raw HTML to insert after the top-level block containing the offset
    /// (trusted: built by our own code from escaped/sanitised parts).
    pub after_block: Vec<(usize, String)>,
}

/// The plain text of a Markdown body, and the range of each top-level block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlainText {
    pub text: String,
    pub blocks: Vec<std::ops::Range<usize>>,
    /// The ranges of code (inline code, code blocks' text) and of image
    /// descriptions (which become `alt` attributes): names there are not
    /// entity mentions, and the renderer does not decorate them.
    pub code: Vec<std::ops::Range<usize>>,
    /// The ranges of link text (inside a Markdown link or autolink): a
    /// mention there gets its anchor but is not a link itself (HTML has no
    /// link inside a link).
    pub links: Vec<std::ops::Range<usize>>,
}

/// Whether a tag opens a block (the unit that plain text separates with
/// `"\n\n"`). Shared by every pass that walks plain-text offsets.
pub fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
    )
}

/// Whether a tag closes a block (see [`is_block`]).
pub fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}

/// Tracks the plain-text position while walking events.
#[derive(Default)]
struct Cursor {
    pos: usize,
    pending_break: bool,
    started: bool,
}

impl Cursor {
    /// Account for text about to be appended; returns its start position.
    fn text(&mut self, len: usize, out: Option<&mut String>) -> usize {
        if self.pending_break && self.started {
            self.pos += 2;
            if let Some(o) = out {
                o.push_str("\n\n");
            }
        }
        self.pending_break = false;
        self.started = true;
        let start = self.pos;
        self.pos += len;
        start
    }
}

/// The plain text of `md` (see the module docs for its definition).
pub fn plain_text(md: &str) -> PlainText {
    // (the text is nearly as long as the Markdown: one allocation, no regrowing)
    let mut out = PlainText {
        text: String::with_capacity(md.len()),
        ..PlainText::default()
    };
    let mut cur = Cursor::default();
    let mut depth = 0usize;
    let mut block_start: Option<usize> = None;
    let mut in_code = false;
    let (mut links, mut images) = (0usize, 0usize);
    for ev in Parser::new_ext(md, options()) {
        let inline_code = matches!(ev, Event::Code(_));
        match ev {
            Event::Start(Tag::Link { .. }) => links += 1,
            Event::End(TagEnd::Link) => links = links.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(tag) if is_block(&tag) => {
                in_code |= matches!(tag, Tag::CodeBlock(_));
                if depth == 0 {
                    block_start = None;
                }
                depth += 1;
            }
            Event::End(tag) if is_block_end(&tag) => {
                in_code &= !matches!(tag, TagEnd::CodeBlock);
                depth = depth.saturating_sub(1);
                cur.pending_break = true;
                if depth == 0
                    && let Some(s) = block_start.take()
                {
                    out.blocks.push(s..cur.pos);
                }
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => {
                let s = cur.text(t.len(), Some(&mut out.text));
                out.text.push_str(&t);
                block_start.get_or_insert(s);
                if in_code || inline_code || images > 0 {
                    out.code.push(s..s + t.len());
                } else if links > 0 {
                    out.links.push(s..s + t.len());
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                let s = cur.text(1, Some(&mut out.text));
                out.text.push(' ');
                block_start.get_or_insert(s);
            }
            _ => {}
        }
    }
    out
}

/// Append `s` with `&`, `<` and `>` escaped, and `"` too when `quote`
/// (the escapes of `html_escape::encode_text` and
/// `encode_double_quoted_attribute`, without their per-call allocation).
/// Text is most of an article page, and has few of these bytes: they are
/// found with `memchr` (vectorised), and the runs between them copied whole.
fn push_escaped(out: &mut String, s: &str, quote: bool) {
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut at = |i: usize, out: &mut String| {
        let rep = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    };
    if quote {
        for (i, b) in bytes.iter().enumerate() {
            if matches!(b, b'&' | b'<' | b'>' | b'"') {
                at(i, out);
            }
        }
    } else {
        for i in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
            at(i, out);
        }
    }
    out.push_str(&s[last..]);
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Buffers [`decorate_text`] reuses from one text to the next.
#[derive(Default)]
struct Scratch {
    cuts: Vec<usize>,
    covering: Vec<usize>,
    tags: Vec<&'static str>,
    /// Per span: whether its first segment (the one with its
    /// `first_attrs`, e.g. its anchor `id`) was written.
    shown: Vec<bool>,
}

/// Bring the spans reaching text `p..end` into `active` (`next`: the first
/// span not yet seen; spans are sorted by start) and drop those ended.
fn activate(spans: &[&Span], next: &mut usize, active: &mut Vec<usize>, p: usize, end: usize) {
    while *next < spans.len() && spans[*next].start < end {
        active.push(*next);
        *next += 1;
    }
    active.retain(|&i| spans[i].end > p);
}

/// For text that is written without decorations (code, an image's
/// description): the anchors of the active spans not written yet, as
/// empty elements, so that every span's `id` is on the page.
fn anchors_only(spans: &[&Span], active: &[usize], shown: &mut [bool], out: &mut String) {
    for &i in active {
        if shown[i] {
            continue;
        }
        shown[i] = true;
        let s = spans[i];
        let tag = if s.is_link() { "span" } else { s.tag };
        out.push('<');
        out.push_str(tag);
        if !s.is_link() {
            out.push_str(s.attrs.as_str());
        }
        out.push_str(s.first_attrs.as_str());
        out.push_str("></");
        out.push_str(tag);
        out.push('>');
    }
}

/// Render decorated text `t` that starts at plain position `p`.
fn decorate_text(
    t: &str,
    p: usize,
    spans: &[&Span],
    active: &[usize],
    in_link: bool,
    scratch: &mut Scratch,
    out: &mut String,
) {
    let end = p + t.len();
    let cuts = &mut scratch.cuts;
    cuts.clear();
    cuts.extend([p, end]);
    for &i in active {
        let s = spans[i];
        for b in [s.start, s.end] {
            if b > p && b < end {
                cuts.push(b);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let covering = &mut scratch.covering;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        covering.clear();
        covering.extend(active.iter().copied().filter(|&i| {
            let s = spans[i];
            s.start <= a && s.end >= b
        }));
        covering.sort_by_key(|&i| {
            let s = spans[i];
            (s.is_link(), s.start, std::cmp::Reverse(s.end))
        });
        // never nest a link in a link: a link span inside a Markdown link,
        // or inside another link span, is a `span` with only its own
        // attributes (its anchor `id` stays: pages link to it)
        let tags = &mut scratch.tags;
        tags.clear();
        let mut seen_link = in_link;
        for &i in covering.iter() {
            let s = spans[i];
            let plain = s.is_link() && seen_link;
            seen_link |= s.is_link();
            // the first segment written, which is not always the one at
            // the span's start (that may be code)
            let first = !std::mem::replace(&mut scratch.shown[i], true);
            if plain && !first {
                tags.push("");
                continue;
            }
            let tag = if plain { "span" } else { s.tag };
            tags.push(tag);
            out.push('<');
            out.push_str(tag);
            if !plain {
                out.push_str(s.attrs.as_str());
            }
            if first {
                out.push_str(s.first_attrs.as_str());
            } else {
                out.push_str(s.rest_attrs.as_str());
            }
            out.push('>');
        }
        let (ta, tb) = (floor_boundary(t, a - p), floor_boundary(t, b - p));
        push_escaped(out, &t[ta..tb], false);
        for tag in tags.iter().rev().filter(|t| !t.is_empty()) {
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
    }
}

/// Render a Markdown body to HTML, applying `deco`.
pub fn render(md: &str, deco: &Decorations) -> String {
    render_with(md, deco.spans.iter(), &deco.after_block)
}

/// [`render`] with the spans of several decorations (borrowed, not
/// merged into one [`Decorations`]) and the HTML to insert after blocks.
pub fn render_with<'a>(
    md: &str,
    spans: impl Iterator<Item = &'a Span>,
    after_block: &[(usize, String)],
) -> String {
    render_opts(md, spans, after_block, options())
}

/// [`render_plain`] with typographic punctuation: straight quotes become
/// curly ones, `--` and `---` dashes, `...` an ellipsis. For what the
/// analyst writes (notes, the summary, entity descriptions), so it sits
/// beside the articles' typography; never for article bodies, whose
/// offsets are the anchors' and whose text is the source's.
pub fn render_typographic(md: &str) -> String {
    render_opts(
        md,
        std::iter::empty(),
        &[],
        options() | Options::ENABLE_SMART_PUNCTUATION,
    )
}

fn render_opts<'a>(
    md: &str,
    spans: impl Iterator<Item = &'a Span>,
    after_block: &[(usize, String)],
    opts: Options,
) -> String {
    let mut spans: Vec<&Span> = spans.filter(|s| s.end > s.start).collect();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut inserts: Vec<(usize, &str)> =
        after_block.iter().map(|(o, h)| (*o, h.as_str())).collect();
    inserts.sort_by_key(|(o, _)| *o);
    let mut next_insert = 0;

    let mut cur = Cursor::default();
    let mut depth = 0usize;
    let mut block_start: Option<usize> = None;
    let mut next_span = 0usize;
    let mut active: Vec<usize> = Vec::new();
    let mut scratch = Scratch {
        shown: vec![false; spans.len()],
        ..Scratch::default()
    };
    // anchors of spans starting in an image's description or a code
    // block, written after the image or before the block
    let mut pending = String::new();
    let mut link_depth = 0usize;
    // an image's description becomes its `alt` text: no markup in it
    let mut image_depth = 0usize;
    let mut code: Option<(String, String)> = None; // (lang, text)

    let mut events: Vec<Event> = Vec::new();
    // decorations add markup: links and highlights about 100 bytes each
    let mut html = String::with_capacity(md.len() * 3 / 2 + spans.len() * 100);
    let flush = |events: &mut Vec<Event>, html: &mut String| {
        pulldown_cmark::html::push_html(html, events.drain(..));
    };

    for ev in Parser::new_ext(md, opts) {
        if let Some((_, text)) = code.as_mut() {
            match ev {
                Event::Text(t) => {
                    let s = cur.text(t.len(), None);
                    block_start.get_or_insert(s);
                    text.push_str(&t);
                    activate(&spans, &mut next_span, &mut active, s, s + t.len());
                    anchors_only(&spans, &active, &mut scratch.shown, &mut pending);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    if !pending.is_empty() {
                        events.push(Event::Html(std::mem::take(&mut pending).into()));
                    }
                    let (lang, text) = code.take().unwrap();
                    let html = if crate::markdown::internal::is_internal(&lang) {
                        internal_block(&text, &lang)
                    } else {
                        highlight::code_block(&text, &lang)
                    };
                    events.push(Event::Html(html.into()));
                }
                _ => continue,
            }
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                if depth == 0 {
                    block_start = None;
                }
                depth += 1;
                code = Some((lang, String::new()));
            }
            Event::Start(tag) => {
                if is_block(&tag) {
                    if depth == 0 {
                        block_start = None;
                    }
                    depth += 1;
                }
                if matches!(tag, Tag::Link { .. }) {
                    link_depth += 1;
                    // CommonMark lets an autolink sit in a link's text;
                    // HTML has no link inside a link: only its text stays
                    if link_depth > 1 {
                        continue;
                    }
                }
                if matches!(tag, Tag::Image { .. }) {
                    image_depth += 1;
                }
                // images and links: only safe URL schemes; headings: an
                // id and classes, never other attributes (`{onclick=…}`)
                let tag = match tag {
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs: _,
                    } => Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs: Vec::new(),
                    },
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    } => Tag::Link {
                        link_type,
                        dest_url: safe_url(dest_url),
                        title,
                        id,
                    },
                    Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    } => Tag::Image {
                        link_type,
                        dest_url: safe_url(dest_url),
                        title,
                        id,
                    },
                    other => other,
                };
                events.push(Event::Start(tag));
            }
            Event::End(tag) => {
                let block = is_block_end(&tag);
                if matches!(tag, TagEnd::Link) {
                    link_depth = link_depth.saturating_sub(1);
                    if link_depth > 0 {
                        continue;
                    }
                }
                if matches!(tag, TagEnd::Image) {
                    image_depth = image_depth.saturating_sub(1);
                }
                // a code block is written whole by `highlight::code_block`
                // (its start was never passed on)
                if tag != TagEnd::CodeBlock {
                    events.push(Event::End(tag));
                }
                if image_depth == 0 && !pending.is_empty() {
                    events.push(Event::InlineHtml(std::mem::take(&mut pending).into()));
                }
                if block {
                    depth = depth.saturating_sub(1);
                    cur.pending_break = true;
                    if depth == 0 {
                        let range = block_start.take().map(|s| s..cur.pos);
                        if let Some(r) = range {
                            let mut extra = String::new();
                            while next_insert < inserts.len() && inserts[next_insert].0 <= r.end {
                                extra.push_str(inserts[next_insert].1);
                                next_insert += 1;
                            }
                            if !extra.is_empty() {
                                events.push(Event::Html(extra.into()));
                            }
                        }
                    }
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                let p = cur.text(t.len(), None);
                block_start.get_or_insert(p);
                activate(&spans, &mut next_span, &mut active, p, p + t.len());
                if image_depth > 0 {
                    anchors_only(&spans, &active, &mut scratch.shown, &mut pending);
                    events.push(Event::Text(t));
                } else if active.is_empty() {
                    events.push(Event::Text(t));
                } else {
                    let mut s = String::with_capacity(t.len() * 3);
                    decorate_text(&t, p, &spans, &active, link_depth > 0, &mut scratch, &mut s);
                    events.push(Event::InlineHtml(s.into()));
                }
            }
            Event::Code(t) => {
                let p = cur.text(t.len(), None);
                block_start.get_or_insert(p);
                activate(&spans, &mut next_span, &mut active, p, p + t.len());
                let mut anchors = String::new();
                let shown = &mut scratch.shown;
                if image_depth > 0 {
                    anchors_only(&spans, &active, shown, &mut pending);
                } else {
                    anchors_only(&spans, &active, shown, &mut anchors);
                }
                if !anchors.is_empty() {
                    events.push(Event::InlineHtml(anchors.into()));
                }
                events.push(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                let p = cur.text(1, None);
                block_start.get_or_insert(p);
                events.push(ev);
            }
            other => events.push(other),
        }
        if depth == 0 && events.len() > 256 {
            flush(&mut events, &mut html);
        }
    }
    flush(&mut events, &mut html);
    // inserts past the end (e.g. an empty body)
    for (_, extra) in &inserts[next_insert..] {
        html.push_str(extra);
    }
    html
}

thread_local! {
    /// Whether an `internal` block is being rendered (one inside it is
    /// shown as code: no recursion).
    static IN_INTERNAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// An `internal` block (see [`crate::markdown::internal`]; only an
/// internal build still has them): its Markdown, rendered as any note
/// is, in a box marked as internal.
fn internal_block(md: &str, lang: &str) -> String {
    if IN_INTERNAL.with(|f| f.get()) {
        return highlight::code_block(md, lang);
    }
    let inner = IN_INTERNAL.with(|f| {
        f.set(true);
        let html = render_plain(md);
        f.set(false);
        html
    });
    format!(
        "<div class=\"held held-internal\" role=\"note\"><p class=\"held-badge\">Internal</p>\n{inner}</div>\n"
    )
}

/// Keep http(s), mailto, relative and fragment URLs; neutralise others
/// (`javascript:`, `data:` …).
fn safe_url(url: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    match scheme {
        Some(s) if s.contains('/') || s.contains('?') || s.contains('#') => url,
        Some("http") | Some("https") | Some("mailto") | None => url,
        Some(_) => "#".into(),
    }
}

/// Render Markdown with no decorations.
pub fn render_plain(md: &str) -> String {
    render(md, &Decorations::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_block_is_markdown_in_a_marked_box() {
        let html = render_plain(
            "Public.\n\n````internal\nOnly *the desk* <b>sees</b> this.\n\n```internal\nnested\n```\n````\n",
        );
        assert!(
            html.contains("<div class=\"held held-internal\" role=\"note\"><p class=\"held-badge\">Internal</p>\n<p>Only <em>the desk</em> &lt;b&gt;sees&lt;/b&gt; this.</p>"),
            "{html}"
        );
        // only one level: the renderer never recurses further
        assert_eq!(html.matches("held-internal").count(), 1, "{html}");
        assert!(html.contains("nested"), "{html}");
        let code = render_plain("```internals\nx\n```\n");
        assert!(!code.contains("held-internal"), "{code}");
    }

    fn mark(start: usize, end: usize, id: &str) -> Span {
        Span {
            start,
            end,
            tag: "mark",
            attrs: Attrs::new(&[("data-ann", id)]),
            first_attrs: Attrs::new(&[("id", &format!("a-{id}"))]),
            rest_attrs: Attrs::default(),
        }
    }

    #[test]
    fn analysts_text_gets_curly_quotes_and_dashes_but_code_does_not() {
        let html = render_typographic("He said \"no\" -- it's 'final'... `\"x\"`");
        assert_eq!(
            html,
            "<p>He said “no” – it’s ‘final’… <code>\"x\"</code></p>\n"
        );
        // article bodies keep the source's characters
        assert_eq!(render_plain("\"no\" -- x"), "<p>\"no\" -- x</p>\n");
    }

    #[test]
    fn plain_text_joins_blocks() {
        let p = plain_text("# Head\n\nOne *two*\nthree.\n\n- a\n- b\n");
        assert_eq!(p.text, "Head\n\nOne two three.\n\na\n\nb");
        assert_eq!(p.blocks.len(), 3);
        assert_eq!(&p.text[p.blocks[1].clone()], "One two three.");
    }

    #[test]
    fn raw_html_is_escaped() {
        let h = render_plain("<script>alert(1)</script>\n\nHi <b onclick=x>there</b>\n");
        assert!(!h.contains("<script>"), "{h}");
        assert!(!h.contains("<b "), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn javascript_links_are_neutralised() {
        let h = render_plain("[x](javascript:alert(1)) [y](https://ex.org/a)");
        assert!(h.contains("href=\"#\""), "{h}");
        assert!(h.contains("href=\"https://ex.org/a\""), "{h}");
    }

    #[test]
    fn a_span_across_emphasis_and_paragraphs_is_split_into_segments() {
        let md = "Alpha *beta* gamma.\n\nDelta epsilon.";
        let p = plain_text(md);
        let s = p.text.find("beta").unwrap();
        let e = p.text.find("Delta").unwrap() + "Delta".len();
        let d = Decorations {
            spans: vec![mark(s, e, "x")],
            after_block: vec![(e, "<aside>N</aside>".into())],
        };
        let h = render(md, &d);
        assert_eq!(
            h,
            "<p>Alpha <em><mark data-ann=\"x\" id=\"a-x\">beta</mark></em><mark data-ann=\"x\"> gamma.</mark></p>\n<p><mark data-ann=\"x\">Delta</mark> epsilon.</p>\n<aside>N</aside>"
        );
    }

    #[test]
    fn overlapping_spans_nest_per_segment() {
        let md = "one two three";
        let d = Decorations {
            spans: vec![mark(0, 7, "a"), mark(4, 13, "b")],
            after_block: vec![],
        };
        let h = render(md, &d);
        assert_eq!(
            h,
            "<p><mark data-ann=\"a\" id=\"a-a\">one </mark><mark data-ann=\"a\"><mark data-ann=\"b\" id=\"a-b\">two</mark></mark><mark data-ann=\"b\"> three</mark></p>\n"
        );
    }

    #[test]
    fn a_span_cut_by_another_has_its_rest_attributes_after_the_first_segment() {
        // a mention "Alpha Beta" that a highlight starting in it cuts in two
        let mention = Span {
            start: 0,
            end: 10,
            tag: "a",
            attrs: Attrs::new(&[("href", "e/")]),
            first_attrs: Attrs::new(&[("id", "m1")]),
            rest_attrs: Attrs::new(&[("class", "mention")]),
        };
        let h = render(
            "Alpha Beta gamma",
            &Decorations {
                spans: vec![mention, mark(6, 16, "x")],
                after_block: vec![],
            },
        );
        assert_eq!(
            h,
            "<p><a href=\"e/\" id=\"m1\">Alpha </a><mark data-ann=\"x\" id=\"a-x\"><a href=\"e/\" class=\"mention\">Beta</a></mark><mark data-ann=\"x\"> gamma</mark></p>\n"
        );
    }

    #[test]
    fn no_link_inside_a_link() {
        let md = "[Putin speaks](https://ex.org) of *Putin*";
        let link = |start, end, id: &str| Span {
            start,
            end,
            tag: "a",
            attrs: Attrs::new(&[("href", "e/")]),
            first_attrs: Attrs::new(&[("id", id)]),
            rest_attrs: Attrs::default(),
        };
        let h = render(
            md,
            &Decorations {
                spans: vec![link(0, 5, "m1"), link(16, 21, "m2")],
                after_block: vec![],
            },
        );
        // inside the link, the mention keeps its anchor on a span
        assert_eq!(
            h,
            "<p><a href=\"https://ex.org\"><span id=\"m1\">Putin</span> speaks</a> of <em><a href=\"e/\" id=\"m2\">Putin</a></em></p>\n"
        );
    }

    #[test]
    fn an_autolink_inside_a_link_is_text() {
        let h = render_plain("[see <https://a.org>](https://b.org)");
        assert_eq!(
            h,
            "<p><a href=\"https://b.org\">see https://a.org</a></p>\n"
        );
    }

    #[test]
    fn image_descriptions_get_no_markup() {
        let md = "![Putin at home](x.png) Putin";
        let plain = plain_text(md);
        assert_eq!(plain.text, "Putin at home Putin");
        assert_eq!(plain.code, vec![0..13]);
        let mark = mark(0, 19, "x");
        let h = render(
            md,
            &Decorations {
                spans: vec![mark],
                after_block: vec![],
            },
        );
        assert!(h.contains("alt=\"Putin at home\""), "{h}");
    }

    #[test]
    fn a_span_starting_in_code_keeps_its_anchor() {
        // plain text: "Run rm now.\n\ncode block\n\nSee pic here."
        let md = "Run `rm` now.\n\n```\ncode block\n```\n\nSee ![pic](p.png) here.";
        let plain = plain_text(md);
        let at = |w: &str| plain.text.find(w).unwrap();
        let d = Decorations {
            spans: vec![
                mark(at("rm"), at(" now") + 4, "in-code"),
                mark(at("code block") + 2, at("code block") + 6, "in-block"),
                mark(at("pic"), at("pic") + 3, "in-alt"),
            ],
            after_block: vec![],
        };
        let h = render(md, &d);
        assert!(
            h.contains("Run <mark data-ann=\"in-code\" id=\"a-in-code\"></mark><code>rm</code><mark data-ann=\"in-code\"> now</mark>."),
            "{h}"
        );
        assert!(
            h.contains("<mark data-ann=\"in-block\" id=\"a-in-block\"></mark><pre"),
            "{h}"
        );
        assert!(
            h.contains("alt=\"pic\" /><mark data-ann=\"in-alt\" id=\"a-in-alt\"></mark> here"),
            "{h}"
        );
        assert_eq!(h.matches(" id=\"a-").count(), 3, "each anchor once: {h}");
    }

    #[test]
    fn plain_text_knows_where_links_are() {
        let plain = plain_text("a [b *c*](x) <https://d.org> `[e](y)`");
        let got: Vec<&str> = plain.links.iter().map(|r| &plain.text[r.clone()]).collect();
        assert_eq!(got, ["b ", "c", "https://d.org"]);
    }

    #[test]
    fn attributes_are_escaped() {
        let span = Span {
            start: 0,
            end: 1,
            tag: "span",
            attrs: Attrs::new(&[("title", "\"><script>")]),
            first_attrs: Attrs::default(),
            rest_attrs: Attrs::default(),
        };
        let h = render(
            "x",
            &Decorations {
                spans: vec![span],
                after_block: vec![],
            },
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("title=\"&quot;&gt;&lt;script&gt;\""), "{h}");
    }

    #[test]
    fn a_code_block_is_closed_once() {
        let h = render_plain("```rust\nfn main() {}\n```\n\nAfter.\n");
        assert_eq!(h.matches("</pre>").count(), 1, "{h}");
        assert!(h.ends_with("</code></pre>\n<p>After.</p>\n"), "{h}");
    }

    #[test]
    fn headings_keep_an_id_and_classes_and_no_other_attribute() {
        let h = render_plain("## Head {#top .key onclick=alert(1) style=x}\n");
        assert_eq!(h, "<h2 id=\"top\" class=\"key\">Head</h2>\n");
    }

    /// What rendered Markdown may contain: the elements pulldown-cmark
    /// writes and our code blocks, with their attributes.
    fn allowed(tag: &str, attr: &str) -> bool {
        let common = matches!(attr, "id" | "class");
        common
            || match tag {
                "a" => matches!(attr, "href" | "title"),
                "img" => matches!(attr, "src" | "alt" | "title"),
                "ol" => attr == "start",
                "th" | "td" => attr == "style",
                "code" => attr == "data-lang",
                "mark" | "span" => attr.starts_with("data-") || attr == "title",
                _ => false,
            }
    }

    const ELEMENTS: &[&str] = &[
        "html",
        "head",
        "body",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "code",
        "span",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "del",
        "a",
        "img",
        "sup",
        "div",
        "hr",
        "br",
        "mark",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(512)))]
        /// Safe by construction, whatever the Markdown: only the elements
        /// and attributes Markdown makes, no event handler, no script, and
        /// links and images only to safe URLs — checked on the DOM a
        /// browser builds from the output (notes are not run through an
        /// HTML sanitiser: this is why they need none).
        #[test]
        fn hostile_markdown_renders_to_safe_html(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:x\">",
                "[l](javascript:alert(1))", "[l]( JaVaScRiPt:x)", "![i](data:text/html,x)",
                "[l](vbscript:x \"t\")", "<http://x.org>", "<javascript:x>", "# H {onclick=x}",
                "## H {#i .c style=x}", "{onmouseover=x}", "\"", "'", "&", "<", ">", "`",
                "```\n<b>\n```", "| a | b |\n|:-|-:|\n| <i> | x |", "[^n]\n\n[^n]: <x>", "\n\n",
                "\n", " ", "text", "*em*", "**b**", "~~d~~", "> q", "- i", "1. o", "<!-- c -->",
                "<style>x</style>", "<iframe src=x>", "[r]: javascript:x\n\n[r]", "&#106;avascript:",
            ]), 0..12)) {
            let md: String = parts.concat();
            let html = render_plain(&md);
            let doc = dom_query::Document::from(html.as_str());
            for node in doc.select("*").nodes() {
                let tag = node.node_name().map(|t| t.to_string()).unwrap_or_default();
                proptest::prop_assert!(ELEMENTS.contains(&tag.as_str()), "<{}> in {:?}", tag, html);
                for a in node.attrs() {
                    let name = a.name.local.to_string();
                    proptest::prop_assert!(allowed(&tag, &name), "{}={:?} on <{}> in {:?}", name, a.value, tag, html);
                    if name == "href" || name == "src" {
                        let v = a.value.trim().to_ascii_lowercase();
                        let scheme = v.split_once(':').map(|(s, _)| s.to_string());
                        proptest::prop_assert!(
                            scheme.as_ref().is_none_or(|s| s.contains(['/', '?', '#']) || ["http", "https", "mailto"].contains(&s.as_str())),
                            "{}={:?} in {:?}", name, a.value, html
                        );
                    }
                }
            }
        }

        /// The vectorised escaping gives html-escape's bytes.
        #[test]
        fn escaping_is_html_escapes(s in r#"[a-z<>&"' é“\n]{0,60}"#) {
            let mut text = String::new();
            push_escaped(&mut text, &s, false);
            proptest::prop_assert_eq!(&text, &html_escape::encode_text(&s));
            let mut attr = String::new();
            push_escaped(&mut attr, &s, true);
            proptest::prop_assert_eq!(&attr, &html_escape::encode_double_quoted_attribute(&s));
        }
    }
}
