//! `internal` blocks: text inside a note, the executive summary or an
//! article that only an internal build shows. A block is a fenced code
//! block whose info string is `internal`:
//!
//! ````markdown
//! The ministry denies it.
//!
//! ```internal
//! Our source is the deputy minister's aide; do not name her.
//! ```
//! ````
//!
//! Why a fence: CommonMark reads it as one block whatever it holds (it
//! cannot run on into the next paragraph, turn into a list or close
//! early on a blank line), an unclosed fence runs to the end of its
//! container — holding back more, never less —, and a renderer that does
//! not know the word shows the text as code rather than as live
//! Markdown. A public build blanks every block ([`strip`]) before
//! anything reads the text; an internal build renders its content as
//! Markdown in a marked box (`markdown`).

use crate::markdown::options;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// The info string that opens an internal block.
pub const WORD: &str = "internal";

/// Whether a fenced code block's info string opens an internal block
/// (its first word is `internal`, in any case).
pub fn is_internal(info: &str) -> bool {
    info.split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case(WORD))
}

/// Whether `md` may hold an internal block: a run of three or more
/// backticks or tildes followed (after spaces) by the word. Linear, so a
/// public build can skip parsing the many texts that hold none; it jumps
/// from one backtick or tilde to the next (`memchr2`), as a build runs it
/// over every article's text.
pub fn may_hold(md: &str) -> bool {
    let b = md.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(at) = memchr::memchr2(b'`', b'~', &b[i..]) else {
            return false;
        };
        i += at;
        let c = b[i];
        let start = i;
        while i < b.len() && b[i] == c {
            i += 1;
        }
        if i - start < 3 {
            continue;
        }
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if b.len() - j >= WORD.len() && b[j..j + WORD.len()].eq_ignore_ascii_case(WORD.as_bytes()) {
            return true;
        }
    }
    false
}

/// One internal block of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The whole block, fences included (byte range in the text).
    pub range: Range<usize>,
    /// What it holds (Markdown).
    pub content: String,
}

/// Every internal block of the Markdown `md`, as CommonMark reads it.
pub fn blocks(md: &str) -> Vec<Block> {
    if !may_hold(md) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if open.is_none() && is_internal(&info) =>
            {
                open = Some(Block {
                    range,
                    content: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(b) = open.as_mut() {
                    b.content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = open.take() {
                    out.push(b);
                }
            }
            _ => {}
        }
    }
    out.extend(open);
    out
}

/// `text` with every byte in `ranges` but line breaks turned into a
/// space: the same length and the same lines, so every offset, line and
/// column after a blanked range still points where it did.
pub fn blank(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        let end = r.end.min(bytes.len());
        for b in &mut bytes[r.start.min(end)..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // ranges start and end on character boundaries, and every byte of a
    // character inside one became a space
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `md` with its internal blocks blanked ([`blank`]), and the blocks;
/// `None` when it holds none.
pub fn strip(md: &str) -> Option<(String, Vec<Block>)> {
    let found = blocks(md);
    if found.is_empty() {
        return None;
    }
    Some((blank(md, found.iter().map(|b| b.range.clone())), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_named_internal_is_a_block_and_only_that() {
        let md = "Public.\n\n```internal\nSecret *note*.\n\nMore.\n```\n\n```rust\nlet internal = 1;\n```\n\n~~~ Internal extra\nTilde.\n~~~\n\nAn internal matter, in words.\n";
        let found = blocks(md);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].content, "Secret *note*.\n\nMore.\n");
        assert_eq!(found[1].content, "Tilde.\n");
        assert!(md[found[0].range.clone()].starts_with("```internal"));
        assert!(md[found[0].range.clone()].trim_end().ends_with("```"));
        let (public, _) = strip(md).unwrap();
        assert_eq!(public.len(), md.len());
        assert_eq!(public.lines().count(), md.lines().count());
        assert!(!public.contains("Secret") && !public.contains("Tilde"));
        assert!(public.contains("let internal = 1;") && public.contains("An internal matter"));
        // the fence's line is still a line, of spaces
        assert_eq!(public.lines().nth(2), Some(" ".repeat(11).as_str()));
    }

    #[test]
    fn an_unclosed_block_holds_back_the_rest() {
        let md = "Public.\n\n```internal\nSecret.\n\nStill secret.\n";
        let (public, found) = strip(md).unwrap();
        assert_eq!(found.len(), 1);
        assert!(!public.contains("ecret"), "{public:?}");
    }

    #[test]
    fn blocks_inside_lists_and_quotes_are_found() {
        let md =
            "- item\n\n  ```internal\n  In a list.\n  ```\n\n> ```internal\n> In a quote.\n> ```\n";
        let (public, found) = strip(md).unwrap();
        assert_eq!(found.len(), 2);
        assert!(!public.contains("In a"), "{public:?}");
    }

    #[test]
    fn the_quick_check_needs_a_fence_before_the_word() {
        assert!(may_hold("```internal\n"));
        assert!(may_hold("x\n~~~~  INTERNAL\n"));
        assert!(!may_hold("internal affairs ``code`` internal"));
        assert!(!may_hold("`` internal"));
        assert!(blocks("internal affairs").is_empty());
        // multi-byte text keeps its length and stays valid
        let (p, _) = strip("é\n```internal\nñandú ü\n```\nö").unwrap();
        assert_eq!(p.len(), "é\n```internal\nñandú ü\n```\nö".len());
        assert!(p.starts_with('é') && p.ends_with('ö'));
    }

    /// The quick check byte by byte, as it was written before it jumped
    /// between fence characters.
    fn may_hold_bytewise(md: &str) -> bool {
        let b = md.as_bytes();
        (0..b.len()).any(|i| {
            let c = b[i];
            if (c != b'`' && c != b'~') || (i > 0 && b[i - 1] == c) {
                return false;
            }
            let run = b[i..].iter().take_while(|&&x| x == c).count();
            let rest = &b[i + run..];
            let j = rest
                .iter()
                .take_while(|&&x| x == b' ' || x == b'\t')
                .count();
            run >= 3
                && rest.len() - j >= WORD.len()
                && rest[j..j + WORD.len()].eq_ignore_ascii_case(WORD.as_bytes())
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(512)))]
        #[test]
        fn the_quick_check_agrees_with_a_byte_by_byte_one(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just("`"), proptest::prelude::Just("~"),
                    proptest::prelude::Just("```"), proptest::prelude::Just(" "),
                    proptest::prelude::Just("\t"), proptest::prelude::Just("internal"),
                    proptest::prelude::Just("INTERNAL"), proptest::prelude::Just("intern"),
                    proptest::prelude::Just("é"), proptest::prelude::Just("x\n"),
                ],
                0..24,
            )
        ) {
            let md = parts.concat();
            proptest::prop_assert_eq!(may_hold(&md), may_hold_bytewise(&md), "{:?}", md);
        }
    }
}
