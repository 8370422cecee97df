//! Word-level differences between two versions of an article's text:
//! paragraphs are matched first (so an unchanged paragraph is one line of
//! "unchanged", whatever its length), then the paragraphs that differ are
//! compared word by word (`similar`, Myers, no deadline: the same texts
//! always give the same differences).

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp};

/// A run of words that is in both versions, only the old one, or only the
/// new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Piece {
    Same(String),
    Del(String),
    Ins(String),
}

/// One step through the text: unchanged paragraphs (how many), or a
/// changed passage (one or more paragraphs) with its words marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Unchanged { paragraphs: usize },
    Changed { pieces: Vec<Piece> },
}

/// The differences between `old` and `new` (plain texts, paragraphs
/// separated by a blank line). Empty when they are equal.
pub fn words(old: &str, new: &str) -> Vec<Block> {
    if old == new {
        return Vec::new();
    }
    let a: Vec<&str> = paragraphs(old);
    let b: Vec<&str> = paragraphs(new);
    let ops = similar::capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut out = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { len, .. } => out.push(Block::Unchanged { paragraphs: len }),
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(
                a[old_index..old_index + old_len]
                    .iter()
                    .map(|p| changed(vec![Piece::Del(p.to_string())])),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(
                b[new_index..new_index + new_len]
                    .iter()
                    .map(|p| changed(vec![Piece::Ins(p.to_string())])),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let o = a[old_index..old_index + old_len].join("\n\n");
                let n = b[new_index..new_index + new_len].join("\n\n");
                out.extend(split_paragraphs(word_pieces(&o, &n)));
            }
        }
    }
    out
}

/// Changed pieces as one block per paragraph: a piece holding a blank
/// line ends a paragraph there.
fn split_paragraphs(pieces: Vec<Piece>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    for p in pieces {
        let make: fn(String) -> Piece = match &p {
            Piece::Same(_) => Piece::Same,
            Piece::Del(_) => Piece::Del,
            Piece::Ins(_) => Piece::Ins,
        };
        let (Piece::Same(text) | Piece::Del(text) | Piece::Ins(text)) = p;
        let mut parts = text.split("\n\n").peekable();
        while let Some(part) = parts.next() {
            let part = if parts.peek().is_some() {
                part.trim_end()
            } else {
                part
            };
            let part = if current.is_empty() {
                part.trim_start()
            } else {
                part
            };
            if !part.is_empty() {
                current.push(make(part.to_string()));
            }
            if parts.peek().is_some() && !current.is_empty() {
                blocks.push(changed(std::mem::take(&mut current)));
            }
        }
    }
    if !current.is_empty() {
        blocks.push(changed(current));
    }
    blocks
}

fn changed(pieces: Vec<Piece>) -> Block {
    Block::Changed { pieces }
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// `old` and `new` word by word. A run of changed words, with the spaces
/// between them and any unchanged spaces inside it, becomes one deletion
/// and one insertion (`-[b c]+[x y]`, not `-[b]+[x] -[c]+[y]`); a change
/// of whitespace alone is no change.
fn word_pieces(old: &str, new: &str) -> Vec<Piece> {
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_words(old, new);
    let toks: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let is_ws = |t: &str| t.trim().is_empty();
    let mut out: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (tag, text) = toks[i];
        if tag == ChangeTag::Equal || is_ws(text) {
            // (whitespace between runs: as the new text has it)
            if tag != ChangeTag::Delete {
                match out.last_mut() {
                    Some(Piece::Same(s)) => s.push_str(text),
                    _ => out.push(Piece::Same(text.to_string())),
                }
            }
            i += 1;
            continue;
        }
        // a run: changed words and whitespace, up to its last changed word
        let mut last = i;
        let mut j = i;
        while j < toks.len() && (toks[j].0 != ChangeTag::Equal || is_ws(toks[j].1)) {
            if !is_ws(toks[j].1) {
                last = j;
            }
            j += 1;
        }
        let (mut del, mut ins) = (String::new(), String::new());
        for &(t, s) in &toks[i..=last] {
            match t {
                ChangeTag::Delete => del.push_str(s),
                ChangeTag::Insert => ins.push_str(s),
                ChangeTag::Equal => {
                    del.push_str(s);
                    ins.push_str(s);
                }
            }
        }
        let (del, ins) = (del.trim(), ins.trim());
        if !del.is_empty() {
            out.push(Piece::Del(del.to_string()));
        }
        if !ins.is_empty() {
            out.push(Piece::Ins(ins.to_string()));
        }
        i = last + 1;
    }
    out
}

/// How many words the differences delete and insert.
pub fn counts(blocks: &[Block]) -> (usize, usize) {
    let (mut del, mut ins) = (0, 0);
    for b in blocks {
        if let Block::Changed { pieces } = b {
            for p in pieces {
                match p {
                    Piece::Del(s) => del += s.split_whitespace().count(),
                    Piece::Ins(s) => ins += s.split_whitespace().count(),
                    Piece::Same(_) => {}
                }
            }
        }
    }
    (del, ins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn show(blocks: &[Block]) -> String {
        let mut s = String::new();
        for b in blocks {
            match b {
                Block::Unchanged { paragraphs } => s.push_str(&format!("[{paragraphs} same]")),
                Block::Changed { pieces } => {
                    s.push('{');
                    for p in pieces {
                        match p {
                            Piece::Same(t) => s.push_str(t),
                            Piece::Del(t) => s.push_str(&format!("-[{t}]")),
                            Piece::Ins(t) => s.push_str(&format!("+[{t}]")),
                        }
                    }
                    s.push('}');
                }
            }
        }
        s
    }

    #[test]
    fn words_are_marked_within_changed_paragraphs_only() {
        let old = "First stays.\n\nThe minister said ten people died.\n\nLast stays.";
        let new = "First stays.\n\nThe minister said twelve people had died.\n\nLast stays.";
        assert_eq!(
            show(&words(old, new)),
            "[1 same]{The minister said -[ten]+[twelve] people +[had] died.}[1 same]"
        );
    }

    #[test]
    fn added_and_removed_paragraphs_are_whole() {
        let old = "A.\n\nB.";
        let new = "A.\n\nB.\n\nC is new.";
        assert_eq!(show(&words(old, new)), "[2 same]{+[C is new.]}");
        assert_eq!(show(&words(new, old)), "[2 same]{-[C is new.]}");
        assert!(words(old, old).is_empty());
    }

    #[test]
    fn a_paragraph_put_in_before_a_changed_one_is_its_own() {
        let old = "The minister said ten.\n\nEnd.";
        let new = "Rain fell.\n\nThe minister said twelve.\n\nEnd.";
        assert_eq!(
            show(&words(old, new)),
            "{+[Rain fell.]}{The minister said -[ten.]+[twelve.]}[1 same]"
        );
    }

    #[test]
    fn runs_of_changed_words_are_one_piece() {
        let blocks = words("a b c d", "a x y d");
        assert_eq!(show(&blocks), "{a -[b c]+[x y] d}");
        assert_eq!(counts(&blocks), (2, 2));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::cases(256)))]
        /// Within a paragraph, the old text's words are the unchanged and
        /// deleted ones, the new text's the unchanged and inserted ones,
        /// in order.
        #[test]
        fn the_pieces_give_both_texts_back(
            old in proptest::collection::vec("[a-c]{1,2}", 1..30),
            new in proptest::collection::vec("[a-c]{1,2}", 1..30),
        ) {
            let (old, new) = (old.join(" "), new.join(" "));
            let blocks = words(&old, &new);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for bl in &blocks {
                let Block::Changed { pieces } = bl else {
                    panic!("one paragraph, changed or not: {blocks:?}")
                };
                for p in pieces {
                    let w = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
                    match p {
                        Piece::Same(t) => {
                            a.extend(w(t));
                            b.extend(w(t));
                        }
                        Piece::Del(t) => a.extend(w(t)),
                        Piece::Ins(t) => b.extend(w(t)),
                    }
                }
            }
            let words_of = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            if blocks.is_empty() {
                prop_assert_eq!(&old, &new);
            } else {
                prop_assert_eq!(a, words_of(&old));
                prop_assert_eq!(b, words_of(&new));
            }
        }
    }
}
