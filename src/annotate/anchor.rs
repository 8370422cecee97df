//! Anchoring: find a quoted passage in an article's plain text.
//!
//! Three steps, each tried only when the one before finds nothing: an exact
//! match; a match after [`normalize`](super::normalize) (whitespace, case,
//! quotes, dashes, ellipses, soft hyphens); an approximate match by edit
//! distance (Sellers' semi-global alignment over the normalised text,
//! O(text × quote), so linear in the article's length for a given quote).
//! Results are byte ranges of the original plain text.

use super::normalize::{Normalized, normalize};
use std::ops::Range;

/// How a passage was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Exact,
    Normalized,
    Approximate,
}

/// The places a quote matched, all found by the same method.
#[derive(Clone, Debug, PartialEq)]
pub struct Matches {
    pub method: Method,
    /// Byte ranges in the plain text, in text order.
    pub ranges: Vec<Range<usize>>,
    /// 1.0 for exact and normalised matches; `1 - edits / quote length`
    /// for approximate ones.
    pub score: f64,
}

/// The outcome of looking for a quote.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Found(Matches),
    /// Not found; the closest passage and its score, if the text has any.
    Missing(Option<(Range<usize>, f64)>),
}

/// Characters of context kept before and after a passage (its `prefix`
/// and `suffix`, as a W3C `TextQuoteSelector` gives them).
pub const CONTEXT_CHARS: usize = 32;

/// The `prefix` and `suffix` of the passage `range` of `plain`.
pub fn context(plain: &str, range: &std::ops::Range<usize>) -> (String, String) {
    let before = &plain[..range.start.min(plain.len())];
    let start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let after = &plain[range.end.min(plain.len())..];
    let end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    (before[start..].to_string(), after[..end].to_string())
}

/// Shortest normalised quote (in characters) that may match approximately.
pub const MIN_APPROX_CHARS: usize = 12;
/// Lowest score an approximate match may have.
pub const MIN_SCORE: f64 = 0.75;

/// Every start of `needle` in `hay`, overlapping ones included (found
/// with `memchr::memmem`, vectorised: a build looks for every quote).
fn find_all(hay: &str, needle: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let finder = memchr::memmem::Finder::new(needle);
    let mut from = 0;
    while let Some(i) = finder.find(&hay.as_bytes()[from..]) {
        let at = from + i;
        out.push(at..at + needle.len());
        // the next start is a character boundary: a match starts with the
        // needle's first character
        let step = hay[at..].chars().next().map_or(1, char::len_utf8);
        from = at + step;
    }
    out
}

/// Find `quote` in `plain` (see the module docs).
pub fn find(plain: &str, quote: &str) -> Outcome {
    let quote = quote.trim();
    let exact = find_all(plain, quote);
    if !exact.is_empty() {
        return Outcome::Found(Matches {
            method: Method::Exact,
            ranges: exact,
            score: 1.0,
        });
    }
    let nt = normalize(plain);
    let nq = normalize(quote);
    if nq.text.is_empty() {
        return Outcome::Missing(None);
    }
    let norm: Vec<Range<usize>> = find_all(&nt.text, &nq.text)
        .into_iter()
        .map(|r| nt.original(r))
        .collect();
    if !norm.is_empty() {
        return Outcome::Found(Matches {
            method: Method::Normalized,
            ranges: norm,
            score: 1.0,
        });
    }
    let Some((ranges, score)) = approximate(&nt, &nq.text) else {
        return Outcome::Missing(None);
    };
    let qchars = nq.text.chars().count();
    if qchars >= MIN_APPROX_CHARS && score >= MIN_SCORE {
        Outcome::Found(Matches {
            method: Method::Approximate,
            ranges,
            score,
        })
    } else {
        Outcome::Missing(ranges.into_iter().next().map(|r| (r, score)))
    }
}

/// The best approximate matches of `quote` (normalised) in `nt`: original
/// byte ranges of every distinct best place, and their score.
fn approximate(nt: &Normalized, quote: &str) -> Option<(Vec<Range<usize>>, f64)> {
    let p: Vec<char> = quote.chars().collect();
    let t: Vec<(usize, char)> = nt.text.char_indices().collect();
    let (m, n) = (p.len(), t.len());
    if m == 0 || n == 0 {
        return None;
    }
    // (cost, start column) per pattern prefix length, for the previous and
    // the current text column.
    let mut prev: Vec<(u32, u32)> = (0..=m as u32).map(|i| (i, 0)).collect();
    let mut cur = prev.clone();
    let mut ends: Vec<(u32, u32, u32)> = Vec::new(); // (cost, start, end) in chars
    let mut best = u32::MAX;
    for (j, &(_, tc)) in t.iter().enumerate() {
        cur[0] = (0, j as u32 + 1);
        for i in 1..=m {
            let sub = (prev[i - 1].0 + u32::from(p[i - 1] != tc), prev[i - 1].1);
            let skip_text = (prev[i].0 + 1, prev[i].1);
            let skip_quote = (cur[i - 1].0 + 1, cur[i - 1].1);
            let mut b = sub;
            if skip_text.0 < b.0 {
                b = skip_text;
            }
            if skip_quote.0 < b.0 {
                b = skip_quote;
            }
            cur[i] = b;
        }
        let (cost, start) = cur[m];
        if cost < best {
            best = cost;
            ends.clear();
        }
        if cost == best {
            ends.push((cost, start, j as u32 + 1));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    // Distinct places: overlapping best alignments are one place (keep the
    // first); widen each to whole words.
    let mut places: Vec<Range<usize>> = Vec::new();
    for &(_, s, e) in &ends {
        let (mut s, mut e) = (s as usize, e as usize);
        if places.last().is_some_and(|last| s < last.end) {
            continue;
        }
        while s < e && t[s].1 == ' ' {
            s += 1;
        }
        while e > s && t[e - 1].1 == ' ' {
            e -= 1;
        }
        if s >= e {
            continue;
        }
        while s > 0 && t[s - 1].1.is_alphanumeric() && t[s].1.is_alphanumeric() {
            s -= 1;
        }
        while e < n && t[e - 1].1.is_alphanumeric() && t[e].1.is_alphanumeric() {
            e += 1;
        }
        places.push(s..e);
    }
    let byte = |c: usize| if c < n { t[c].0 } else { nt.text.len() };
    let ranges: Vec<Range<usize>> = places
        .into_iter()
        .map(|r| nt.original(byte(r.start)..byte(r.end)))
        .collect();
    let score = 1.0 - f64::from(best) / m as f64;
    (!ranges.is_empty()).then_some((ranges, score.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_a_few_characters_each_side() {
        let plain = "ab cd ef";
        assert_eq!(context(plain, &(3..5)), ("ab ".into(), " ef".into()));
        let long = "é".repeat(50);
        let (p, s) = context(&format!("{long}X{long}"), &(100..101));
        assert_eq!(p.chars().count(), CONTEXT_CHARS);
        assert_eq!(s.chars().count(), CONTEXT_CHARS);
    }

    fn found(o: &Outcome) -> &Matches {
        match o {
            Outcome::Found(m) => m,
            other => panic!("not found: {other:?}"),
        }
    }

    #[test]
    fn exact_then_normalised_then_approximate() {
        let text =
            "The Kremlin claims the “Oreshnik” missile is impossible to intercept.\n\nNext para.";
        let m = found(&find(text, "impossible to intercept")).clone();
        assert_eq!(m.method, Method::Exact);
        assert_eq!(&text[m.ranges[0].clone()], "impossible to intercept");

        let m = found(&find(text, "the \"oreshnik\" missile")).clone();
        assert_eq!(m.method, Method::Normalized);
        assert_eq!(&text[m.ranges[0].clone()], "the “Oreshnik” missile");

        let m = found(&find(text, "intercept. Next para")).clone();
        assert_eq!(&text[m.ranges[0].clone()], "intercept.\n\nNext para");

        let m = found(&find(text, "missile is impossibel to intercept")).clone();
        assert_eq!(m.method, Method::Approximate);
        assert_eq!(
            &text[m.ranges[0].clone()],
            "missile is impossible to intercept"
        );
        assert!(m.score > 0.9 && m.score < 1.0, "{}", m.score);
    }

    #[test]
    fn repeated_quotes_are_all_reported() {
        let m = found(&find("a b a b a", "a b")).clone();
        assert_eq!(m.ranges, vec![0..3, 4..7]);
    }

    #[test]
    fn missing_gives_the_closest_candidate() {
        let text = "Russia could provide its most advanced hypersonic missiles to Venezuela.";
        match find(text, "Russia will sell old rockets to Cuba") {
            Outcome::Missing(Some((r, score))) => {
                assert!(score < MIN_SCORE);
                assert!(text[r].starts_with("Russia"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(find("", "x"), Outcome::Missing(None));
        assert_eq!(find("abc", "  "), Outcome::Missing(None));
    }
}
