//! The summary of a Markdown body: the plain text of its first paragraph,
//! cut at a word after [`SUMMARY_MAX`] bytes — read from a bounded prefix
//! of the body whenever that provably gives the same text.
//!
//! pulldown-cmark's first pass builds the block tree of the whole input
//! before it yields an event, with a node per escape: a scraped page whose
//! first paragraph was 20 MB of `\&` took 504 MB to summarise. A summary
//! needs a thousand bytes of text, so [`first_paragraph_text`] parses the
//! first 64 KiB (then 1 MiB) of a longer body and keeps the result only
//! when nothing after the cut can change it (see [`bounded`]); otherwise it
//! parses the whole body, as before.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// The longest summary [`first_paragraph_text`] makes, in bytes.
pub const SUMMARY_MAX: usize = 1000;

/// The prefixes tried, in bytes, before the whole body.
const WINDOWS: [usize; 2] = [64 << 10, 1 << 20];

/// The plain text of the first paragraph of a Markdown body, cut at a
/// word after [`SUMMARY_MAX`] bytes (it is shown in every list of
/// articles; a scraped paragraph can be megabytes long).
pub fn first_paragraph_text(md: &str) -> String {
    first_paragraph_text_with(md, SUMMARY_MAX, &WINDOWS)
}

/// [`first_paragraph_text`] with its limits as parameters (the tests use
/// small ones, so that generated bodies cross them).
fn first_paragraph_text_with(md: &str, max: usize, windows: &[usize]) -> String {
    for &window in windows {
        if md.len() <= window {
            break;
        }
        if let Some(s) = bounded(md, max, window) {
            return s;
        }
    }
    whole(md, max)
}

/// The summary from a parse of the whole body.
fn whole(md: &str, max: usize) -> String {
    let mut s = Summary::new(max);
    for ev in Parser::new(md) {
        if let Some(done) = s.push(&ev) {
            return done;
        }
    }
    s.finish()
}

/// The summary being gathered from a stream of events.
struct Summary {
    out: String,
    inside: bool,
    max: usize,
}

impl Summary {
    fn new(max: usize) -> Self {
        Summary {
            out: String::new(),
            inside: false,
            max,
        }
    }

    /// Take one event; the summary once it is decided.
    fn push(&mut self, ev: &Event) -> Option<String> {
        match ev {
            Event::Start(Tag::Paragraph) => self.inside = true,
            Event::End(TagEnd::Paragraph) if self.inside => return Some(self.out.trim().into()),
            Event::Text(t) | Event::Code(t) if self.inside => self.out.push_str(t),
            Event::SoftBreak | Event::HardBreak if self.inside => self.out.push(' '),
            _ => {}
        }
        if self.out.len() > self.max {
            let mut end = self.max;
            while !self.out.is_char_boundary(end) {
                end -= 1;
            }
            let cut = self.out[..end].rfind(' ').filter(|&i| i > 0).unwrap_or(end);
            self.out.truncate(cut);
            return Some(format!("{}…", self.out.trim_end()));
        }
        None
    }

    /// The summary of a body that ended inside (or before) its first
    /// paragraph.
    fn finish(self) -> String {
        self.out.trim().to_string()
    }
}

/// The summary from the first `window` bytes of `md`, or `None` when
/// something after the cut could change it.
///
/// Why the prefix gives the whole body's summary when this says so. The
/// block structure of complete lines depends on later lines only through
/// (a) a setext underline turning the paragraph above it into a heading,
/// (b) a list becoming loose (its items' paragraphs appear) at a later
/// blank line, and (c) link reference definitions, which can stand
/// anywhere; and the cut line (the one the cut falls in) may read
/// differently whole. Inline constructs can reach across the cut only
/// from an opener that is still open there. So the prefix's answer is
/// kept when:
///
/// - its first paragraph lies in nothing but block quotes (no list: b);
/// - every link and image read is an inline one or an autolink (c), and
///   no text read holds an unescaped `[` (a reference not found, which a
///   later definition could make a link; c again);
/// - either the paragraph ended, on a line that is complete and before the
///   cut line (then it is whole in the prefix), or the summary filled up
///   and: the paragraph is at the top level; reading on to where no
///   emphasis, link or image is open, no text read holds an unescaped
///   `*`, `_`, `` ` ``, `<` or `[` (an opener that a closer after the cut
///   could match); what was read ends before the prefix's last
///   non-whitespace character (the end of the input trims it and changes
///   what the last line's ending means); the cut line starts with nothing
///   that could begin a block (`#`, `=`, `-`, digits, …), so it continues
///   the paragraph whole as it does cut; and no line from it to the next
///   blank line is made only of `=` or `-` (a).
fn bounded(md: &str, max: usize, window: usize) -> Option<String> {
    let mut cut = window.min(md.len());
    while !md.is_char_boundary(cut) {
        cut -= 1;
    }
    let line_start = md[..cut].rfind('\n').map_or(0, |i| i + 1);
    let mut s = Summary::new(max);
    // block containers open before the paragraph: whether each is a quote
    let mut blocks: Vec<bool> = Vec::new();
    let mut top_level = false;
    // inside the paragraph: inline tags open, where reading got to, what
    // the text read held, the summary once decided
    let mut depth = 0usize;
    let mut read_to = 0usize;
    let mut opener = false;
    let mut bracket = false;
    let mut decided: Option<String> = None;
    for (ev, range) in Parser::new(&md[..cut]).into_offset_iter() {
        if !s.inside {
            match &ev {
                Event::Start(Tag::Paragraph) => {
                    if blocks.iter().any(|&quote| !quote) {
                        return None;
                    }
                    top_level = blocks.is_empty();
                }
                Event::Start(tag) => blocks.push(matches!(tag, Tag::BlockQuote(_))),
                Event::End(_) => {
                    blocks.pop();
                }
                _ => {}
            }
            s.push(&ev);
            continue;
        }
        if let Event::End(TagEnd::Paragraph) = ev {
            // the paragraph ended inside the prefix (no inline tag is open
            // at its end, so the summary was not decided before it)
            let summary = s.push(&ev)?;
            // (its range ends after its last line's newline, if it has one;
            // the line after it, which ended it, must end before the cut
            // line)
            let from = range.end.min(line_start);
            let newlines = if md[..from].ends_with('\n') { 1 } else { 2 };
            let complete = md[from..line_start].bytes().filter(|&b| b == b'\n').count() >= newlines;
            return (complete && !bracket).then_some(summary);
        }
        match &ev {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                if !matches!(
                    link_type,
                    LinkType::Inline | LinkType::Autolink | LinkType::Email
                ) {
                    return None;
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(_) => {
                bracket |= opener_in(md, range.clone(), b"[");
                opener |= bracket || opener_in(md, range.clone(), b"*_`<");
            }
            _ => {}
        }
        read_to = read_to.max(range.end);
        if decided.is_none() {
            decided = s.push(&ev);
        }
        if decided.is_some() && depth == 0 {
            let safe = top_level
                && !opener
                && md[read_to.min(cut)..cut].contains(|c: char| !c.is_whitespace())
                && cut_line_continues(md, line_start)
                && !setext_from(md, line_start);
            return safe.then(|| decided.unwrap_or_default());
        }
    }
    None
}

/// Whether `md[range]` holds one of `set` not escaped by a backslash.
fn opener_in(md: &str, range: std::ops::Range<usize>, set: &[u8]) -> bool {
    let b = md.as_bytes();
    range.into_iter().any(|i| {
        set.contains(&b[i]) && {
            let backslashes = b[..i].iter().rev().take_while(|&&c| c == b'\\').count();
            backslashes % 2 == 0
        }
    })
}

/// Whether the whole line starting at `start` reads as the continuation
/// of a paragraph, as its cut part does: it starts with nothing that could
/// begin a block (a conservative list).
fn cut_line_continues(md: &str, start: usize) -> bool {
    let line = &md[start..];
    match line.trim_start_matches([' ', '\t']).bytes().next() {
        None | Some(b'\n' | b'\r') => true,
        Some(b) => !(b.is_ascii_digit() || b"#=-*_+`~<>[|!".contains(&b)),
    }
}

/// Whether a line from `start` to the next blank line is made only of
/// `=` or only of `-` (it could turn the paragraph above into a heading).
fn setext_from(md: &str, start: usize) -> bool {
    for line in md[start..].split('\n') {
        let t = line.trim();
        if t.is_empty() {
            return false;
        }
        if t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-') {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hostile page's body: a first paragraph of 2 MB of `\&`.
    #[test]
    fn a_paragraph_of_escapes_is_read_from_a_prefix() {
        let md = format!("{}\n\nSecond.", "\\&".repeat(1 << 20));
        let got = bounded(&md, SUMMARY_MAX, WINDOWS[0]);
        assert_eq!(got.as_deref(), Some(whole(&md, SUMMARY_MAX).as_str()));
        assert_eq!(first_paragraph_text(&md), whole(&md, SUMMARY_MAX));
        assert!(got.unwrap().ends_with("&&&…"));
    }

    /// Long bodies shaped like `clean`'s (headings, lists, quotes,
    /// paragraphs with emphasis and links): the prefix decides.
    #[test]
    fn cleaned_bodies_are_read_from_a_prefix() {
        let para = "The council met on *Tuesday*, said [the mayor](https://example.org/a), \
                    and \\*nothing\\* \\[else\\] \\& \\<more\\>. ";
        let long = para.repeat(5_000);
        for md in [
            format!("## Heading\n\n- one\n- two\n\n> A quote.\n\n{long}\n\nNext."),
            format!("{long}\n\nNext."),
            format!("Short lede.\n\n{long}"),
            format!("> Quoted lede.\n\n{long}"),
            format!("{}\n\n{long}", "word ".repeat(300)),
        ] {
            let got = bounded(&md, SUMMARY_MAX, WINDOWS[0]);
            assert_eq!(got, Some(whole(&md, SUMMARY_MAX)), "{}", &md[..80]);
        }
    }

    /// What comes after the cut and changes the text before it: the prefix
    /// is not trusted, and the answer is the whole parse's.
    #[test]
    fn what_reaches_back_across_the_cut_is_caught() {
        let fill = "word ".repeat(40);
        let pad = "x ".repeat(200);
        for (md, why) in [
            (format!("{fill}\n{pad}\n===\n\nNext."), "setext heading"),
            (format!("{fill}\n{pad}\n---\n\nNext."), "setext heading"),
            (format!("*{fill}{pad}* after"), "emphasis"),
            (format!("[{fill}{pad}](http://x) after"), "link"),
            (format!("`{fill}{pad}` after"), "code span"),
            (format!("<b title=\"{fill}{pad}\"> after"), "inline html"),
            (format!("[{fill}]\n\n{pad}\n\n[{fill}]: /u"), "reference"),
            (format!("- a\n- {fill}{pad}\n\n- b"), "loose list"),
        ] {
            assert_eq!(bounded(&md, 50, 300), None, "{why}");
            assert_eq!(
                first_paragraph_text_with(&md, 50, &[300]),
                whole(&md, 50),
                "{why}"
            );
        }
    }

    /// Pieces of Markdown that interact across lines and cuts, among
    /// plain words (so that the prefix is often trusted, and tested).
    fn piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        use proptest::prelude::*;
        let plain = proptest::sample::select(vec![
            "a", "bb", "word", "é", "日本", " ", " ", " ", "  ", "\n", "\n\n", "\\&",
        ]);
        let markup = proptest::sample::select(vec![
            "\t",
            "\n   ",
            "\n    ",
            "*",
            "**",
            "_",
            "__",
            "`",
            "``",
            "[",
            "]",
            "![",
            "](http://x)",
            "](<a b>)",
            "[r]",
            "[r][]",
            "[x][r]",
            "\n[r]: /u\n",
            "\n[r]: /u \"t\n",
            "\"\n",
            "\\",
            "\\*",
            "\\[",
            "\\\\",
            "\\`",
            "&amp;",
            "&am",
            "&#42;",
            ";",
            "<",
            ">",
            "<b>",
            "</b>",
            "<http://x.y>",
            "<!--",
            "-->",
            "\n# ",
            "#",
            "\n- ",
            "\n* ",
            "\n+ ",
            "\n> ",
            ">",
            "\n1. ",
            "\n2) ",
            "1.",
            "\n===",
            "\n---",
            "\n- - -",
            "=",
            "-",
            "\n```",
            "\n~~~",
            "\n<div>",
            "<div",
            "(",
            ")",
            "\\\n",
            "  \n",
            "!",
            "|",
            "~",
        ]);
        prop_oneof![4 => plain, 1 => markup]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(20_000)))]
        /// The bounded summary is the whole parse's, for any body, limit
        /// and cut.
        #[test]
        fn the_prefix_summary_is_the_whole_ones(
            pieces in proptest::collection::vec(piece(), 0..120),
            repeat in 1usize..4,
            max in 1usize..60,
            w1 in 0usize..400,
            w2 in 0usize..800,
        ) {
            let md = pieces.concat().repeat(repeat);
            let want = whole(&md, max);
            for w in [w1, w2] {
                if let Some(got) = bounded(&md, max, w.min(md.len())) {
                    proptest::prop_assert_eq!(&got, &want, "window {}", w);
                }
            }
            proptest::prop_assert_eq!(first_paragraph_text_with(&md, max, &[w1, w2]), want);
        }
    }
}
