//! Turn a DOM subtree into a flat list of Markdown blocks (paragraphs,
//! headings, lists, quotes), each with its plain text and a few facts the
//! filter needs (link density, caption-ness, class/id hints).
//!
//! All text is escaped so that it renders literally; the only Markdown
//! produced is the structure written here (block markers, `*`/`**`
//! emphasis, `[text](http…)` links, hard breaks).

use dom_query::NodeRef;

/// What kind of Markdown block a [`Block`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Paragraph,
    /// Heading of the given source level (1–6).
    Heading(u8),
    List,
    Quote,
    /// Text of a `<figcaption>` (or an element marked as a caption).
    Caption,
}

/// One block of the rendered subtree.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: Kind,
    /// The Markdown for the body (escaped).
    pub md: String,
    /// Visible text, whitespace collapsed (line breaks become spaces).
    pub text: String,
    /// Characters of `text` that sit inside links.
    pub link_chars: usize,
    /// Lower-cased class and id values of the block's element and its
    /// ancestors within the rendered subtree (for boilerplate hints).
    pub hints: String,
    /// The structural containers (`div`, `section`, `td`, …: elements that
    /// group paragraphs) around the block, outermost first, each numbered
    /// in document order: blocks whose paths end in the same number are
    /// siblings in one container.
    pub path: Vec<usize>,
    /// The block's container also holds a form or a form field (a
    /// sign-up box, a comment form, a search box).
    pub beside_form: bool,
    /// [`Block::words`], counted once (the filter asks for it often).
    words: usize,
}

/// Length of `text` in words; in scripts written without spaces (Chinese,
/// Japanese) two characters count as a word.
fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            let wide = w.chars().filter(|c| is_cjk(*c)).count();
            (wide / 2).max(1)
        })
        .sum()
}

impl Block {
    /// Length in words; in scripts written without spaces (Chinese,
    /// Japanese) two characters count as a word.
    pub fn words(&self) -> usize {
        self.words
    }
    /// The innermost container (0: none).
    pub fn container(&self) -> usize {
        self.path.last().copied().unwrap_or(0)
    }
    pub fn link_density(&self) -> f64 {
        let n = self.text.chars().count();
        if n == 0 {
            0.0
        } else {
            self.link_chars as f64 / n as f64
        }
    }
}

/// Han, kana and Hangul syllables, and full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xff00..=0xffef)
}

/// Elements whose content is never visible article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "button",
    "input", "select", "textarea", "option", "canvas", "video", "audio", "map", "head", "title",
    "meta", "link", "img", "picture", "source", "math", "dialog",
];

/// Elements that end the current paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "hr",
    "address",
    "center",
    "body",
    "html",
    "fieldset",
    "details",
    "summary",
    "caption",
    "menu",
    "hgroup",
];

fn name_of(node: &NodeRef) -> Option<String> {
    if !node.is_element() {
        return None;
    }
    node.node_name().map(|n| n.to_ascii_lowercase())
}

fn hint_of(node: &NodeRef) -> String {
    let mut s = String::new();
    if let Some(c) = node.class() {
        s.push_str(&c.to_lowercase());
    }
    if let Some(i) = node.id_attr() {
        s.push(' ');
        s.push_str(&i.to_lowercase());
    }
    s
}

/// Render the children of `root` (and `root` itself when it is a block)
/// into blocks.
pub(crate) fn render(root: &NodeRef) -> Vec<Block> {
    let mut r = Renderer::default();
    r.walk(root, &[]);
    r.flush();
    r.forms.sort_unstable();
    for b in &mut r.blocks {
        b.beside_form = r.forms.binary_search(&b.container()).is_ok();
    }
    r.blocks
}

/// Inline content being accumulated.
#[derive(Default, Clone)]
struct Inline {
    md: String,
    text: String,
    link_chars: usize,
}

impl Inline {
    fn push_text(&mut self, raw: &str, in_link: bool) {
        // (room for all of it at once: a text node can be tens of
        // megabytes, and doubling would copy it and leave spare room)
        self.text.reserve(raw.len());
        self.md.reserve(raw.len());
        for c in raw.chars() {
            let c = if c.is_whitespace() || c == '\u{a0}' {
                ' '
            } else {
                c
            };
            if c == ' ' {
                if !(self.text.is_empty() || self.text.ends_with(' ') || self.text.ends_with('\n'))
                {
                    self.text.push(' ');
                    self.md.push(' ');
                }
                continue;
            }
            if c.is_control() || c == '\u{200b}' || c == '\u{feff}' {
                continue;
            }
            self.text.push(c);
            if in_link {
                self.link_chars += 1;
            }
            push_escaped(&mut self.md, c);
        }
    }

    fn push_break(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        while self.md.ends_with(' ') {
            self.md.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
            self.md.push('\n');
        }
    }

    /// Append `inner` wrapped in `mark` (emphasis), keeping surrounding
    /// whitespace outside the delimiters.
    fn push_wrapped(&mut self, inner: Inline, mark: &str) {
        let t = inner.md.trim();
        if t.is_empty() || t.contains('\n') || mark.is_empty() {
            self.push_raw(inner);
            return;
        }
        let lead = inner.md.starts_with(' ');
        let trail = inner.md.ends_with(' ');
        if lead && !(self.text.is_empty() || self.text.ends_with(' ')) {
            self.md.push(' ');
            self.text.push(' ');
        }
        self.md.push_str(mark);
        self.md.push_str(t);
        self.md.push_str(mark);
        self.text.push_str(inner.text.trim());
        self.link_chars += inner.link_chars;
        if trail {
            self.md.push(' ');
            self.text.push(' ');
        }
    }

    fn push_raw(&mut self, inner: Inline) {
        let mut md = inner.md.as_str();
        let mut text = inner.text.as_str();
        if self.text.is_empty() || self.text.ends_with(' ') || self.text.ends_with('\n') {
            md = md.trim_start_matches(' ');
            text = text.trim_start_matches(' ');
        }
        self.md.push_str(md);
        self.text.push_str(text);
        self.link_chars += inner.link_chars;
    }
}

/// Escape one character of text for inline Markdown.
fn push_escaped(out: &mut String, c: char) {
    if matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
    ) {
        out.push('\\');
    }
    out.push(c);
}

/// Escape what would start a block construct at the beginning of a line.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0
        && digits < 10
        && matches!(line[digits..].chars().next(), Some('.') | Some(')'))
        && matches!(line[digits + 1..].chars().next(), None | Some(' '))
    {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    let first = line.chars().next();
    let rest = line.get(1..).unwrap_or("x");
    let rest_starts_space = rest.is_empty() || rest.starts_with(' ');
    match first {
        Some('#') | Some('=') => format!("\\{line}"),
        Some('-') | Some('+')
            if rest_starts_space || line.chars().all(|c| c == '-' || c == ' ') =>
        {
            format!("\\{line}")
        }
        _ => line.to_string(),
    }
}

/// Final shape of inline Markdown: lines trimmed, line starts escaped,
/// joined with hard breaks. (One pass into one string: a scraped
/// paragraph can be tens of megabytes.)
fn finish_md(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("  \n");
        }
        match line.as_bytes()[0] {
            b'0'..=b'9' | b'#' | b'=' | b'-' | b'+' => out.push_str(&escape_line_start(line)),
            _ => out.push_str(line), // nothing to escape: no copy
        }
    }
    out
}

/// A paragraph this long (bytes of text) is finished in place.
const LARGE_PARAGRAPH: usize = 1 << 20;

/// [`finish_md`] of a string the caller gives up: a line needing no
/// change is trimmed in place (a paragraph of tens of megabytes is not
/// copied).
fn finish_md_owned(mut md: String) -> String {
    if md.contains('\n') {
        return finish_md(&md);
    }
    let trimmed = md.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    if matches!(
        trimmed.as_bytes()[0],
        b'0'..=b'9' | b'#' | b'=' | b'-' | b'+'
    ) {
        return finish_md(&md);
    }
    let (start, end) = (
        trimmed.as_ptr() as usize - md.as_ptr() as usize,
        trimmed.as_ptr() as usize - md.as_ptr() as usize + trimmed.len(),
    );
    md.truncate(end);
    md.drain(..start);
    md
}

/// [`finish_text`] of a string the caller gives up, in place: the words
/// moved down over the whitespace they drop (a paragraph of tens of
/// megabytes is not copied).
fn finish_text_owned(text: String) -> String {
    let mut bytes = text.into_bytes();
    let (mut read, mut write) = (0, 0);
    // a space is due before the next word
    let mut gap = false;
    while read < bytes.len() {
        let b = bytes[read];
        let len = utf8_len(b);
        let space = if b.is_ascii() {
            (b as char).is_whitespace()
        } else {
            std::str::from_utf8(&bytes[read..read + len])
                .ok()
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_whitespace)
        };
        if space {
            gap = write > 0;
        } else {
            if gap {
                // (a dropped whitespace character took at least this byte)
                bytes[write] = b' ';
                write += 1;
                gap = false;
            }
            bytes.copy_within(read..read + len, write);
            write += len;
        }
        read += len;
    }
    bytes.truncate(write);
    // (whole characters were moved, so this is still UTF-8)
    String::from_utf8(bytes).unwrap_or_default()
}

/// The length of the UTF-8 character starting with byte `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Words joined by single spaces.
fn finish_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn is_http(url: &str) -> bool {
    let l = url.trim().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Percent-encode the characters that would break out of `(…)`.
fn safe_url(url: &str) -> String {
    let mut out = String::new();
    for c in url.trim().chars() {
        match c {
            '(' | ')' | '<' | '>' | ' ' | '"' | '\\' | '`' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Elements that group paragraphs (the containers of [`Block::container`]).
const CONTAINERS: &[&str] = &[
    "div", "section", "article", "main", "header", "footer", "aside", "nav", "td", "th", "body",
    "html", "center", "fieldset", "details", "dd", "address", "figure", "form",
];

#[derive(Default)]
struct Renderer {
    blocks: Vec<Block>,
    cur: Inline,
    cur_hints: String,
    /// Container numbers of the enclosing containers, innermost last.
    containers: Vec<usize>,
    /// Containers seen so far (the next container's number).
    seen: usize,
    /// Containers around the inline content in `cur`.
    cur_path: Vec<usize>,
    /// Containers that hold a form or a form field directly.
    forms: Vec<usize>,
}

impl Renderer {
    fn flush(&mut self) {
        let cur = std::mem::take(&mut self.cur);
        // A long paragraph is finished in place, not copied beside the
        // buffer it was written in (a one-paragraph 50 MB page held both);
        // a short one is copied, which leaves no spare capacity behind
        // (93,000 paragraphs finished in place held 100 MB more).
        let large = cur.text.len() >= LARGE_PARAGRAPH;
        let text = if large {
            finish_text_owned(cur.text)
        } else {
            finish_text(&cur.text)
        };
        if text.is_empty() {
            return;
        }
        let md = if large {
            finish_md_owned(cur.md)
        } else {
            finish_md(&cur.md)
        };
        let words = count_words(&text);
        self.blocks.push(Block {
            kind: Kind::Paragraph,
            md,
            text,
            link_chars: cur.link_chars,
            hints: std::mem::take(&mut self.cur_hints),
            path: std::mem::take(&mut self.cur_path),
            beside_form: false,
            words,
        });
    }

    fn push_block(&mut self, kind: Kind, md: String, inl: &Inline, hints: &str) {
        let text = finish_text(&inl.text);
        if text.is_empty() || md.trim().is_empty() {
            return;
        }
        let words = count_words(&text);
        self.blocks.push(Block {
            kind,
            md,
            text,
            link_chars: inl.link_chars,
            hints: hints.to_string(),
            path: self.containers.clone(),
            beside_form: false,
            words,
        });
    }

    fn walk(&mut self, node: &NodeRef, hints: &[String]) {
        for child in node.children_it(false) {
            self.node(&child, hints);
        }
    }

    fn node(&mut self, node: &NodeRef, hints: &[String]) {
        if node.is_text() {
            if self.cur.text.is_empty() {
                self.cur_hints = hints.join(" ");
                self.cur_path.clone_from(&self.containers);
            }
            self.cur.push_text(&node.text(), false);
            return;
        }
        let Some(name) = name_of(node) else {
            return;
        };
        if matches!(name.as_str(), "form" | "input" | "textarea" | "select") {
            self.forms
                .push(self.containers.last().copied().unwrap_or(0));
        }
        if SKIP.contains(&name.as_str()) || is_hidden(node) {
            return;
        }
        if !BLOCKS.contains(&name.as_str()) && !wraps_blocks(node, &name) {
            if self.cur.text.is_empty() {
                self.cur_hints = hints.join(" ");
                self.cur_path.clone_from(&self.containers);
            }
            let mut inl = std::mem::take(&mut self.cur);
            inline_element(node, &name, &mut inl, false);
            self.cur = inl;
            return;
        }
        self.flush();
        let mut hints = hints.to_vec();
        let h = hint_of(node);
        if !h.is_empty() {
            hints.push(h);
        }
        let joined = hints.join(" ");
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                let mut inl = Inline::default();
                inline_children(node, &mut inl, false);
                // a heading ending in `{…}` would be read as attributes
                // (`{#id .class key=value}`): its braces are text
                let body = finish_md(&inl.md).replace("  \n", " ").replace('}', "\\}");
                let marks = "#".repeat(level.clamp(2, 6) as usize);
                self.push_block(
                    Kind::Heading(level),
                    format!("{marks} {body}"),
                    &inl,
                    &joined,
                );
            }
            "ul" | "ol" | "menu" => {
                let mut lines = Vec::new();
                let mut all = Inline::default();
                list_lines(node, &name, 0, &mut lines, &mut all);
                if !lines.is_empty() {
                    self.push_block(Kind::List, lines.join("\n"), &all, &joined);
                }
            }
            "blockquote" => {
                let inner = render_with(node, &hints);
                let mut md = Vec::new();
                let mut all = Inline::default();
                for b in &inner {
                    if !md.is_empty() {
                        md.push(">".to_string());
                    }
                    for l in b.md.lines() {
                        md.push(format!("> {l}"));
                    }
                    all.text.push_str(&b.text);
                    all.text.push(' ');
                    all.link_chars += b.link_chars;
                }
                self.push_block(Kind::Quote, md.join("\n"), &all, &joined);
            }
            "figcaption" => {
                let mut inl = Inline::default();
                inline_children(node, &mut inl, false);
                let md = finish_md(&inl.md);
                self.push_block(Kind::Caption, md, &inl, &joined);
            }
            "tr" if has_layout_cells(node) => {
                // a layout table: each cell is a container of paragraphs
                for cell in node.children_it(false) {
                    if let Some(n) = name_of(&cell)
                        && (n == "td" || n == "th")
                    {
                        self.node(&cell, &hints);
                    }
                }
            }
            "tr" => {
                let mut inl = Inline::default();
                for cell in node.children_it(false) {
                    if let Some(n) = name_of(&cell)
                        && (n == "td" || n == "th")
                    {
                        if !inl.text.trim().is_empty() {
                            inl.text.push(' ');
                            inl.md.push_str(" \\| ");
                        }
                        inline_children(&cell, &mut inl, false);
                    }
                }
                let md = finish_md(&inl.md).replace("  \n", " ");
                self.push_block(Kind::Paragraph, md, &inl, &joined);
            }
            "hr" => {}
            _ => {
                let is_container = CONTAINERS.contains(&name.as_str());
                if is_container {
                    self.seen += 1;
                    self.containers.push(self.seen);
                }
                self.walk(node, &hints);
                self.flush();
                if is_container {
                    self.containers.pop();
                }
            }
        }
    }
}

fn render_with(node: &NodeRef, hints: &[String]) -> Vec<Block> {
    let mut r = Renderer::default();
    r.walk(node, hints);
    r.flush();
    r.blocks
}

/// An inline element (`<font>`, `<span>`, `<b>`) that wraps paragraphs, as
/// old pages do (`<font face=…><p>…</p><p>…</p></font>`), is rendered as a
/// container of blocks, not as one paragraph. A link keeps its content
/// inline (a linked teaser card is one link). Looks at the children and
/// the children of inline children only, so the check costs linear time.
fn wraps_blocks(node: &NodeRef, name: &str) -> bool {
    if name == "a" || name == "br" {
        return false;
    }
    node.children_it(false).any(|c| match name_of(&c) {
        Some(n) if is_wrapped_block(&n) => true,
        Some(n) if !BLOCKS.contains(&n.as_str()) && n != "a" => c
            .children_it(false)
            .any(|g| name_of(&g).is_some_and(|n| is_wrapped_block(&n))),
        _ => false,
    })
}

fn is_wrapped_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "table"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "section"
            | "article"
    )
}

/// Whether a table row lays out the page rather than holding data: one of
/// its cells holds paragraphs, lists, headings, nested tables or line
/// breaks (text set out with `<br>`) among its first few hundred
/// descendants (a bound, so nested layout tables cost linear time).
fn has_layout_cells(tr: &NodeRef) -> bool {
    tr.children_it(false).any(|cell| {
        matches!(name_of(&cell).as_deref(), Some("td") | Some("th"))
            && cell.descendants_it().take(512).any(|d| {
                name_of(&d).is_some_and(|n| {
                    n == "br" || (is_wrapped_block(&n) && n != "section" && n != "article")
                })
            })
    })
}

/// Class/id words of pop-ups that a page's style sheet shows only on
/// hover or click: a name card inside a paragraph, a tooltip.
const POPUP_WORDS: &[&str] = &[
    "tooltip",
    "popover",
    "popup",
    "hovercard",
    "modal",
    "dropdown",
    "card",
];

/// An inline element that is a pop-up, not running text.
fn is_popup(node: &NodeRef) -> bool {
    let h = hint_of(node);
    h.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| *w != "vcard" && *w != "hcard")
        .any(|w| POPUP_WORDS.iter().any(|p| w.ends_with(p)))
}

/// Hidden by attribute (`hidden`, `aria-hidden`, inline `display:none`).
fn is_hidden(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(s) = node.attr("style") {
        let s = s.to_ascii_lowercase().replace(' ', "");
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

fn inline_children(node: &NodeRef, out: &mut Inline, in_link: bool) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_text(&child.text(), in_link);
        } else if let Some(name) = name_of(&child) {
            if SKIP.contains(&name.as_str()) || is_hidden(&child) {
                continue;
            }
            if !BLOCKS.contains(&name.as_str()) && !out.text.trim().is_empty() && is_popup(&child) {
                continue;
            }
            inline_element(&child, &name, out, in_link);
        }
    }
}

fn inline_element(node: &NodeRef, name: &str, out: &mut Inline, in_link: bool) {
    match name {
        "br" => out.push_break(),
        "em" | "i" | "cite" | "dfn" => {
            let mut inner = Inline::default();
            inline_children(node, &mut inner, in_link);
            out.push_wrapped(inner, "*");
        }
        "strong" | "b" => {
            let mut inner = Inline::default();
            inline_children(node, &mut inner, in_link);
            out.push_wrapped(inner, "**");
        }
        "a" => {
            let mut inner = Inline::default();
            inline_children(node, &mut inner, true);
            let href = node.attr("href").map(|h| h.to_string()).unwrap_or_default();
            let t = inner.md.trim().to_string();
            if !in_link && is_http(&href) && !t.is_empty() && !t.contains('\n') {
                let url = safe_url(&href);
                let lead = inner.md.starts_with(' ');
                let trail = inner.md.ends_with(' ');
                if lead && !(out.text.is_empty() || out.text.ends_with(' ')) {
                    out.md.push(' ');
                    out.text.push(' ');
                }
                out.md.push_str(&format!("[{t}]({url})"));
                out.text.push_str(inner.text.trim());
                out.link_chars += inner.link_chars;
                if trail {
                    out.md.push(' ');
                    out.text.push(' ');
                }
            } else {
                out.push_raw(inner);
            }
        }
        _ => {
            if BLOCKS.contains(&name) {
                // a block inside inline context (list item): separate words
                out.push_text(" ", in_link);
                inline_children(node, out, in_link);
                out.push_text(" ", in_link);
            } else {
                inline_children(node, out, in_link);
            }
        }
    }
}

/// Render a list into `- item` / `1. item` lines (nested lists indented).
fn list_lines(node: &NodeRef, name: &str, depth: usize, lines: &mut Vec<String>, all: &mut Inline) {
    let ordered = name == "ol";
    let mut n: i64 = node
        .attr("start")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for li in node.children_it(false) {
        let Some(child_name) = name_of(&li) else {
            continue;
        };
        if child_name == "ul" || child_name == "ol" {
            list_lines(&li, &child_name, depth + 1, lines, all);
            continue;
        }
        if child_name != "li" || is_hidden(&li) {
            continue;
        }
        let mut inl = Inline::default();
        let mut nested = Vec::new();
        for c in li.children_it(false) {
            if c.is_text() {
                inl.push_text(&c.text(), false);
            } else if let Some(cn) = name_of(&c) {
                if cn == "ul" || cn == "ol" {
                    nested.push((c, cn));
                } else if !SKIP.contains(&cn.as_str()) && !is_hidden(&c) {
                    inline_element(&c, &cn, &mut inl, false);
                }
            }
        }
        let body = finish_md(&inl.md).replace("  \n", " ");
        let indent = "   ".repeat(depth);
        if !body.is_empty() {
            let marker = if ordered {
                format!("{n}.")
            } else {
                "-".to_string()
            };
            lines.push(format!("{indent}{marker} {body}"));
            all.text.push_str(&inl.text);
            all.text.push(' ');
            all.link_chars += inl.link_chars;
            n += 1;
        }
        for (c, cn) in nested {
            list_lines(&c, &cn, depth + 1, lines, all);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn blocks(html: &str) -> Vec<Block> {
        let doc = Document::from(html);
        let body = doc.select("body");
        render(&body.nodes()[0])
    }

    fn texts(html: &str) -> Vec<String> {
        blocks(html).into_iter().map(|b| b.text).collect()
    }

    proptest::proptest! {
        /// Finishing a paragraph in place gives what finishing a copy
        /// gives (whitespace of every kind, line starts that need escaping).
        #[test]
        fn finishing_in_place_is_finishing_a_copy(
            s in "[ \n\t\u{0b}\u{a0}\u{3000}\u{2028}a-z0-9#=+\\-é漢]{0,40}",
        ) {
            proptest::prop_assert_eq!(finish_text_owned(s.clone()), finish_text(&s));
            proptest::prop_assert_eq!(finish_md_owned(s.clone()), finish_md(&s));
        }
    }

    #[test]
    fn font_wrapping_paragraphs_gives_one_block_per_paragraph() {
        let got = texts(
            "<body><font face=\"Arial\"><b>Headline here</b><p>First paragraph.</p><p>Second paragraph.</p></font></body>",
        );
        assert_eq!(
            got,
            vec!["Headline here", "First paragraph.", "Second paragraph."]
        );
    }

    #[test]
    fn a_link_wrapping_blocks_stays_one_linked_block() {
        let b = blocks(
            "<body><div><a href=\"https://example.org/x\"><h3>Other story</h3><p>Its teaser</p></a></div></body>",
        );
        assert_eq!(b.len(), 1);
        assert!(b[0].link_density() > 0.8, "{b:?}");
    }

    #[test]
    fn layout_table_cells_are_separate_containers() {
        let b = blocks(
            "<body><table><tr><td><a href=\"/a\">Home</a><br><a href=\"/b\">News</a></td>\
             <td><p>The article text is here.</p><p>And it goes on.</p></td></tr></table></body>",
        );
        let t: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            t,
            vec!["Home News", "The article text is here.", "And it goes on."]
        );
        assert_ne!(b[0].container(), b[1].container());
        assert_eq!(b[1].container(), b[2].container());
    }

    #[test]
    fn data_table_rows_stay_one_block_each() {
        let t = texts(
            "<body><table><tr><th>Team</th><th>Points</th></tr><tr><td>Reds</td><td>12</td></tr></table></body>",
        );
        assert_eq!(t, vec!["Team Points", "Reds 12"]);
    }

    #[test]
    fn aria_hidden_content_is_not_rendered() {
        let t = texts(
            "<body><p>Visible text.</p><div aria-hidden=\"true\"><p>Lightbox copy.</p></div><div aria-hidden=\"false\"><p>Shown.</p></div></body>",
        );
        assert_eq!(t, vec!["Visible text.", "Shown."]);
    }

    #[test]
    fn pop_up_cards_inside_paragraphs_are_left_out() {
        let t = texts(
            "<body><p>The plan was criticised by <span class=\"person\"><a href=\"/p\">Tom Hale</a>\
             <span class=\"hover-card\"><span>Tom Hale</span><span>Member for Valley North</span></span></span>, \
             who spoke on Monday.</p></body>",
        );
        assert_eq!(
            t,
            vec!["The plan was criticised by Tom Hale, who spoke on Monday."]
        );
    }

    #[test]
    fn blocks_beside_a_form_are_marked() {
        let b = blocks(
            "<body><div><p>Article text.</p></div><div><h3>Get our briefing</h3><p>Every morning.</p>\
             <form><input type=\"email\"><button>Go</button></form></div></body>",
        );
        let marks: Vec<bool> = b.iter().map(|b| b.beside_form).collect();
        assert_eq!(marks, vec![false, true, true]);
    }

    #[test]
    fn blocks_record_their_containers() {
        let b = blocks("<body><div><p>One.</p><p>Two.</p><div><p>Three.</p></div></div></body>");
        assert_eq!(b[0].path, b[1].path);
        assert_eq!(b[2].path.len(), b[0].path.len() + 1);
        assert_eq!(b[2].path[..b[0].path.len()], b[0].path[..]);
    }
}
