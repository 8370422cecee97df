//! Keep serializing a parsed page linear in its size.
//!
//! html5ever's serializer escapes a text node by searching, at each `&`
//! and each byte 0xC2 (the first byte of U+0080–U+00BF, `&nbsp;` among
//! them), the rest of the node for the next `<` or `>`: a long text node
//! full of them costs the square of its length (800,000 `&amp;` in one
//! paragraph took 5 s; a 50 MB one would take hours). An attribute value
//! is escaped the same way. dom_smoothie serializes the article it finds,
//! so before it sees the tree, [`bound`] splits each text node whose
//! escaping would cost more than [`BUDGET`] into adjacent text nodes of
//! bounded cost — the text is unchanged, only its node boundaries differ —
//! and drops attribute values that would (no real page has an attribute
//! with thousands of `&` in it).

use dom_query::{Document, NodeRef};
use tendril::StrTendril;

/// The most bytes the serializer may scan escaping one text node: a node
/// costing more is split into pieces costing at most this each.
pub(crate) const BUDGET: usize = 1 << 16;
/// An attribute value whose escaping scans more than this is dropped.
pub(crate) const ATTR_BUDGET: usize = 1 << 24;

/// The bytes that make the serializer search the rest of the text.
fn special(b: u8) -> bool {
    b == b'&' || b == 0xC2
}

/// What escaping `text` costs, in bytes scanned (an upper bound).
fn cost(text: &str) -> usize {
    let n = text.bytes().filter(|&b| special(b)).count();
    n.saturating_mul(text.len())
}

/// Where to cut `text` so that each piece costs at most about [`BUDGET`]:
/// the byte ranges of the pieces, in order, covering `text`.
fn pieces(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut n) = (0, 0usize);
    for (i, b) in text.bytes().enumerate() {
        if special(b) {
            n += 1;
        }
        let end = i + 1;
        if n.saturating_mul(end - start) >= BUDGET && text.is_char_boundary(end) {
            out.push(start..end);
            start = end;
            n = 0;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Split the costly text nodes of `doc` and drop its costly attribute
/// values; how many nodes were split or attributes dropped.
pub(crate) fn bound(doc: &Document) -> usize {
    let root = doc.root();
    let nodes: Vec<NodeRef> = root.descendants_it().collect();
    let mut changed = 0;
    for node in nodes {
        if node.is_text() {
            let text = node.text();
            if cost(&text) <= BUDGET {
                continue;
            }
            let mut prev = node;
            for (i, r) in pieces(&text).into_iter().enumerate() {
                let piece: StrTendril = text.subtendril(r.start as u32, (r.end - r.start) as u32);
                if i == 0 {
                    node.set_text(piece);
                } else {
                    let next = node.tree.new_text(piece);
                    prev.insert_after(&next);
                    prev = next;
                }
            }
            changed += 1;
        } else if node.is_element() {
            let costly: Vec<String> = node
                .attrs()
                .iter()
                .filter(|a| cost(&a.value) > ATTR_BUDGET)
                .map(|a| a.name.local.to_string())
                .collect();
            for name in &costly {
                node.remove_attr(name);
            }
            changed += costly.len();
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(body: &str) -> Document {
        Document::from(format!("<html><body><p>{body}</p></body></html>"))
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let d = doc("Fish &amp; chips, 5 &lt; 6, caf\u{e9} \u{a0}");
        let before = d.html().to_string();
        assert_eq!(bound(&d), 0);
        assert_eq!(d.html().to_string(), before);
    }

    #[test]
    fn a_long_node_full_of_ampersands_is_split_into_cheap_pieces() {
        let d = doc(&"&amp;".repeat(20_000));
        let before = d.html().to_string();
        assert_eq!(bound(&d), 1);
        let p = d.select("p").nodes().first().copied().unwrap();
        let kids = p.children();
        assert!(kids.len() > 50, "{} pieces", kids.len());
        for k in &kids {
            assert!(k.is_text());
            assert!(cost(&k.text()) <= 2 * BUDGET, "{}", k.text().len());
        }
        assert_eq!(p.text().len(), 20_000);
        // serialized, the text is the same
        assert_eq!(d.html().to_string(), before);
    }

    #[test]
    fn a_costly_attribute_is_dropped_and_an_ordinary_one_kept() {
        let d = Document::from(format!(
            "<p title=\"{}\" class=\"a&amp;b\">x</p>",
            "&amp;".repeat(10_000)
        ));
        assert_eq!(bound(&d), 1);
        let p = d.select("p").nodes().first().copied().unwrap();
        assert!(p.attr("title").is_none());
        assert_eq!(p.attr("class").unwrap().as_ref(), "a&b");
    }

    proptest! {
        // (few, small cases: the serializer this guards against is slow
        // in a debug build)
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn pieces_cover_the_text_on_char_boundaries(
            text in "[&\u{a0}\u{e9}a<\"]{0,3000}",
        ) {
            let ps = pieces(&text);
            let mut at = 0;
            for r in &ps {
                prop_assert_eq!(r.start, at);
                prop_assert!(text.is_char_boundary(r.end));
                at = r.end;
            }
            prop_assert_eq!(at, text.len());
        }

        #[test]
        fn bounding_never_changes_the_serialized_page(
            text in "[&\u{a0}\u{e9}a<> ]{0,1500}",
            reps in 1usize..8,
        ) {
            let body = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").repeat(reps);
            let d = doc(&body);
            let before = d.html().to_string();
            bound(&d);
            prop_assert_eq!(d.html().to_string(), before);
        }
    }
}
