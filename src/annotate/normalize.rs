//! Text normalisation for anchoring, with a map back to the original text.
//!
//! Folds what differs between a quote as typed and the text as published:
//! whitespace runs (including paragraph breaks) become one space, letters are
//! lowercased, typographic quotes become straight ones, every dash becomes
//! `-`, `…` becomes `...`, and soft hyphens and zero-width characters
//! vanish. Every byte of the result remembers the byte range of the
//! original character it came from, so a match in normalised text maps back
//! to an exact range of the original.

use std::ops::Range;

/// Normalised text and its offset map.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the original byte range it came from.
    map: Vec<(usize, usize)>,
}

impl Normalized {
    /// The original byte range of the normalised range `r` (which must be
    /// non-empty and within `text`).
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.end > self.map.len() {
            let at = self.map.get(r.start).map_or(0, |m| m.0);
            return at..at;
        }
        self.map[r.start].0..self.map[r.end - 1].1
    }
}

fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Normalise `s` (see the module docs).
pub fn normalize(s: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(s.len()),
        map: Vec::with_capacity(s.len()),
    };
    let mut space: Option<(usize, usize)> = None;
    let mut buf = [0u8; 4];
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        if invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = Some(match space {
                Some((st, _)) => (st, end),
                None => (i, end),
            });
            continue;
        }
        if let Some(range) = space.take()
            && !out.text.is_empty()
        {
            out.text.push(' ');
            out.map.push(range);
        }
        let mut push = |ch: char| {
            let enc = ch.encode_utf8(&mut buf);
            out.text.push_str(enc);
            for _ in 0..enc.len() {
                out.map.push((i, end));
            }
        };
        match c {
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => push('\''),
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => push('-'),
            '…' => {
                push('.');
                push('.');
                push('.');
            }
            c if c.is_uppercase() => {
                for l in c.to_lowercase() {
                    push(l);
                }
            }
            c => push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let s = "The  “Oreshnik”\n\nis im\u{ad}possible — really…";
        let n = normalize(s);
        assert_eq!(n.text, "the \"oreshnik\" is impossible - really...");
        let at = n.text.find("oreshnik").unwrap();
        let r = n.original(at..at + "oreshnik".len());
        assert_eq!(&s[r], "Oreshnik");
        let at = n.text.find("impossible").unwrap();
        let r = n.original(at..at + "impossible".len());
        assert_eq!(&s[r], "im\u{ad}possible");
        let at = n.text.find("\" is").unwrap();
        let r = n.original(at..at + 4);
        assert_eq!(&s[r], "”\n\nis");
    }

    #[test]
    fn leading_and_trailing_space_is_dropped() {
        assert_eq!(normalize("  a b \n").text, "a b");
        assert_eq!(normalize("").text, "");
    }
}
