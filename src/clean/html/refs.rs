//! Parse a page as `Document::from` does, without paying html5ever's cost
//! for each character reference.
//!
//! html5ever decodes a reference such as `&amp;` through a small state
//! machine of its own and hands the one character it stands for to the
//! tree builder as a token of its own: about 300 ns each, so a page of ten
//! million `&amp;` took 3 s to parse, where the same bytes of plain text
//! take a few milliseconds. [`parse`] swaps each of a few common references
//! ([`REFS`]) for a private-use character the page does not contain (a
//! *placeholder*), parses that, and puts back in the tree what the
//! reference would have given: the decoded character in text and attribute
//! values, the reference itself where the parser reads text raw (comments
//! and the text of `script`, `style`, `xmp`, `iframe`, `noembed` and
//! `noframes`).
//!
//! The tree is the same as the one parsing the page gives, because the
//! parser treats a placeholder exactly as the character its reference
//! decodes to wherever it decodes references: both reach the tree builder
//! as one character token that is not whitespace or NUL, and the
//! placeholder, not being ASCII alphanumeric or markup, changes no
//! tokenizer state and ends a neighbouring reference's name just as the
//! `&` it replaces does. Where the parser does not decode, the placeholder
//! stands in the text for the reference's characters, which only the
//! places restored above can hold — except a few that [`parse`] does not try to
//! restore, and parses the page as it is instead: a page with a
//! `plaintext` element (its raw text can be moved out of it), one with a
//! CDATA section and a placeholder in the text of an SVG or MathML element
//! (a CDATA section's text is raw but sits where decoded text does), and a
//! tree with a placeholder in an element or attribute name or in the
//! doctype.

use dom_query::{Document, NodeData, NodeRef};
use tendril::StrTendril;

/// The references swapped out, and the character each decodes to. None
/// decodes to whitespace or NUL, which the tree builder treats apart.
const REFS: [(&str, char); 6] = [
    ("&amp;", '&'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&nbsp;", '\u{a0}'),
    ("&#39;", '\''),
];

/// A page with fewer references than this is parsed as it is: they cost
/// it a few milliseconds at most.
const MIN_REFS: usize = 4096;

/// The private-use characters the placeholders are chosen from
/// (U+E000–U+EFFF: three UTF-8 bytes, the first 0xEE).
const PUA_START: u32 = 0xE000;
const PUA_LEN: usize = 0x1000;

/// Parse `html` into the tree `Document::from` gives.
pub(crate) fn parse(html: &StrTendril) -> Document {
    if count(html) < MIN_REFS {
        return Document::from(html.clone());
    }
    parse_swapped(html).unwrap_or_else(|| Document::from(html.clone()))
}

/// The tree of `html` parsed with its references swapped, or `None` when
/// the page is one of those this cannot do exactly.
fn parse_swapped(html: &str) -> Option<Document> {
    if contains_ignore_case(html, b"<plaintext") {
        return None;
    }
    let base = free_placeholders(html)?;
    let doc = Document::from(swap(html, base));
    // (mostly `//<![CDATA[` in a script, which is no CDATA section)
    let cdata = html.contains("<![CDATA[");
    restore(&doc, base, cdata).then_some(doc)
}

/// Which of [`REFS`] starts `rest`.
fn which(rest: &[u8]) -> Option<usize> {
    REFS.iter()
        .position(|(r, _)| rest.starts_with(r.as_bytes()))
}

/// How many of [`REFS`] `html` holds.
fn count(html: &str) -> usize {
    let b = html.as_bytes();
    memchr::memchr_iter(b'&', b)
        .filter(|&i| which(&b[i..]).is_some())
        .count()
}

fn contains_ignore_case(html: &str, needle: &[u8]) -> bool {
    let b = html.as_bytes();
    memchr::memchr_iter(needle[0], b).any(|i| {
        b.get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// The first of [`REFS`]`.len()` consecutive private-use characters, none
/// of which `html` holds.
fn free_placeholders(html: &str) -> Option<u32> {
    let mut used = vec![false; PUA_LEN];
    let b = html.as_bytes();
    for i in memchr::memchr_iter(0xEE, b) {
        // (a lead byte: the string is UTF-8, so two continuation bytes follow)
        if let Some(c) = html.get(i..i + 3).and_then(|s| s.chars().next()) {
            used[(c as u32 - PUA_START) as usize] = true;
        }
    }
    (0..PUA_LEN - REFS.len())
        .step_by(REFS.len())
        .find(|&start| used[start..start + REFS.len()].iter().all(|u| !u))
        .map(|start| PUA_START + start as u32)
}

/// `html` with each of [`REFS`] replaced by its placeholder (never longer).
fn swap(html: &str, base: u32) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for i in memchr::memchr_iter(b'&', b) {
        if i < from {
            continue;
        }
        if let Some(k) = which(&b[i..]) {
            out.push_str(&html[from..i]);
            out.push(placeholder(base, k));
            from = i + REFS[k].0.len();
        }
    }
    out.push_str(&html[from..]);
    out
}

fn placeholder(base: u32, k: usize) -> char {
    char::from_u32(base + k as u32).expect("a private-use character")
}

/// Which reference `c` stands in for.
fn index(base: u32, c: char) -> Option<usize> {
    let k = (c as u32).checked_sub(base)? as usize;
    (k < REFS.len()).then_some(k)
}

/// `s` with its placeholders put back: as the characters they decode to
/// (`decoded`) or as the references themselves; `None` when it has none.
fn put_back(s: &str, base: u32, decoded: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut from = 0;
    for i in memchr::memchr_iter(0xEE, b) {
        let Some(k) = s
            .get(i..i + 3)
            .and_then(|p| p.chars().next())
            .and_then(|c| index(base, c))
        else {
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
        o.push_str(&s[from..i]);
        if decoded {
            o.push(REFS[k].1);
        } else {
            o.push_str(REFS[k].0);
        }
        from = i + 3;
    }
    let mut o = out?;
    o.push_str(&s[from..]);
    Some(o)
}

fn has_placeholder(s: &str, base: u32) -> bool {
    s.chars().any(|c| index(base, c).is_some())
}

/// Put back every placeholder in `doc`; false if one sits where it cannot
/// be put back (see the module's doc; `cdata`: the page may have a CDATA
/// section).
fn restore(doc: &Document, base: u32, cdata: bool) -> bool {
    let mut roots = vec![doc.root()];
    while let Some(root) = roots.pop() {
        // (the iterator holds the tree borrowed)
        let nodes: Vec<NodeRef> = root.descendants_it().collect();
        for node in nodes {
            if !restore_node(&node, base, cdata, &mut roots) {
                return false;
            }
        }
    }
    true
}

fn restore_node<'a>(
    node: &NodeRef<'a>,
    base: u32,
    cdata: bool,
    roots: &mut Vec<NodeRef<'a>>,
) -> bool {
    let parent = node.is_text().then(|| node.parent()).flatten();
    let raw = parent.as_ref().is_some_and(raw_text);
    let foreign = cdata && parent.as_ref().is_some_and(|p| !html_element(p));
    let mut template = None;
    let ok = node
        .update(|n| match &mut n.data {
            NodeData::Text { contents } => {
                if foreign && has_placeholder(contents, base) {
                    return false;
                }
                if let Some(s) = put_back(contents, base, !raw) {
                    *contents = StrTendril::from(s);
                }
                true
            }
            NodeData::Comment { contents } => {
                if let Some(s) = put_back(contents, base, false) {
                    *contents = StrTendril::from(s);
                }
                true
            }
            NodeData::Element(e) => {
                template = e.template_contents;
                if has_placeholder(&e.name.local, base)
                    || e.name
                        .prefix
                        .as_ref()
                        .is_some_and(|p| has_placeholder(p, base))
                {
                    return false;
                }
                for a in &mut e.attrs {
                    if has_placeholder(&a.name.local, base)
                        || a.name
                            .prefix
                            .as_ref()
                            .is_some_and(|p| has_placeholder(p, base))
                    {
                        return false;
                    }
                    if let Some(s) = put_back(&a.value, base, true) {
                        a.value = StrTendril::from(s);
                    }
                }
                true
            }
            NodeData::Doctype {
                name,
                public_id,
                system_id,
            } => ![name, public_id, system_id]
                .iter()
                .any(|s| has_placeholder(s, base)),
            NodeData::ProcessingInstruction { target, contents } => {
                !has_placeholder(target, base) && !has_placeholder(contents, base)
            }
            NodeData::Document | NodeData::Fragment => true,
        })
        .unwrap_or(true);
    if let Some(t) = template {
        roots.push(NodeRef::new(t, node.tree));
    }
    ok
}

/// An HTML element whose text the parser reads raw, not decoding
/// references (scripting is off: `noscript`'s text is decoded).
fn raw_text(node: &NodeRef) -> bool {
    node.qual_name_ref().is_some_and(|q| {
        &*q.ns == HTML_NS
            && matches!(
                &*q.local,
                "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes"
            )
    })
}

/// Whether `node` is an element in the HTML namespace (not one of SVG's
/// or MathML's).
fn html_element(node: &NodeRef) -> bool {
    node.qual_name_ref().is_some_and(|q| &*q.ns == HTML_NS)
}

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

#[cfg(test)]
mod tests;
