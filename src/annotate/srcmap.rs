//! Map offsets in a body's plain text ([`crate::markdown::plain_text`])
//! back to offsets in its Markdown source, so diagnostics about a passage
//! can name the line and column in the article file.
//!
//! Walks the same pulldown-cmark events as `plain_text`, with source ranges
//! (`into_offset_iter`), and records where each text run came from.

use crate::markdown::options;
use pulldown_cmark::{Event, Parser};

#[derive(Clone, Copy, Debug)]
struct Seg {
    plain: usize,
    len: usize,
    src: usize,
    src_len: usize,
}

/// Plain-text → source offset map of one Markdown body.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    segs: Vec<Seg>,
    /// The plain text, identical to `plain_text(md).text`.
    pub text: String,
}

use crate::markdown::{is_block, is_block_end};

impl SourceMap {
    pub fn new(md: &str) -> SourceMap {
        let mut map = SourceMap::default();
        let mut pending_break = false;
        for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
            let piece: Option<std::borrow::Cow<str>> = match &ev {
                Event::Start(tag) if is_block(tag) => None,
                Event::End(tag) if is_block_end(tag) => {
                    pending_break = true;
                    None
                }
                Event::Text(t)
                | Event::Code(t)
                | Event::Html(t)
                | Event::InlineHtml(t)
                | Event::InlineMath(t)
                | Event::DisplayMath(t) => Some(t.to_string().into()),
                Event::SoftBreak | Event::HardBreak => Some(" ".into()),
                _ => None,
            };
            let Some(piece) = piece else { continue };
            if pending_break && !map.text.is_empty() {
                map.text.push_str("\n\n");
            }
            pending_break = false;
            let (src, src_len) = match &ev {
                // a code span's range includes its backticks
                Event::Code(t) => {
                    let slice = md.get(range.clone()).unwrap_or("");
                    match slice.find(t.as_ref()) {
                        Some(i) => (range.start + i, t.len()),
                        None => (range.start, range.len()),
                    }
                }
                _ => (range.start, range.len()),
            };
            map.segs.push(Seg {
                plain: map.text.len(),
                len: piece.len(),
                src,
                src_len,
            });
            map.text.push_str(&piece);
        }
        map
    }

    /// The source offset of plain-text offset `at`.
    pub fn to_source(&self, at: usize) -> usize {
        let i = self.segs.partition_point(|s| s.plain <= at);
        if i == 0 {
            return self.segs.first().map_or(0, |s| s.src);
        }
        let s = self.segs[i - 1];
        let within = at - s.plain;
        if within >= s.len {
            s.src + s.src_len
        } else if s.len == s.src_len {
            s.src + within
        } else {
            s.src
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::plain_text;

    #[test]
    fn agrees_with_plain_text_and_maps_back() {
        let md = "# Head\n\nOne *two*\nthree `c` \\*x\\*.\n\n- a\n- b\n\n> quoted “text”\n";
        let m = SourceMap::new(md);
        assert_eq!(m.text, plain_text(md).text);
        for word in ["two", "three", "quoted", "text", "b"] {
            let p = m.text.find(word).unwrap();
            let s = m.to_source(p);
            assert_eq!(&md[s..s + word.len()], word, "{word}");
        }
        let p = m.text.find('c').unwrap();
        assert_eq!(&md[m.to_source(p)..][..1], "c");
    }

    #[test]
    fn agrees_on_the_seed_articles() {
        for f in [
            "content/russia-sending-hypersonic-missiles-to-venezuela.md",
            "content/russia-to-fire-its-hypersonic-oreshnik-missiles-from-belarus.md",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
            let Ok(md) = std::fs::read_to_string(path) else {
                continue;
            };
            assert_eq!(SourceMap::new(&md).text, plain_text(&md).text, "{f}");
        }
    }
}
