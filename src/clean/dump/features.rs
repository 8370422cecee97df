//! Per-block features of a text dump, for the block classifier: shape of
//! the block itself (length, punctuation, lines) and of its neighbourhood
//! (runs of short blocks, the densest region of prose, repetition,
//! similarity to the headline). Language-independent: lengths count
//! characters as well as words, so CJK text is measured fairly.

use rustc_hash::{FxHashMap, FxHashSet};

/// Names of the features, in the order of [`BlockFeatures::values`]. The
/// training script reads these names; the exported model refers to features
/// by index in this list.
pub const FEATURE_NAMES: &[&str] = &[
    "log_chars",
    "log_units",
    "n_lines",
    "ends_sentence",
    "sentences",
    "comma_rate",
    "digit_ratio",
    "upper_word_ratio",
    "avg_word_len",
    "rel_pos_chars",
    "rel_pos_blocks",
    "dup_count",
    "title_sim",
    "is_title",
    "win2_mean_log",
    "win5_mean_log",
    "win5_long_frac",
    "prev_log",
    "next_log",
    "prev_ends",
    "next_ends",
    "in_main",
    "dist_main",
    "main_rel",
    "after_title",
    "caption_shape",
    "short_run",
    "punct_ratio",
    "is_meta_line",
    "long_rank",
    "before_first_long",
    "after_last_long",
    "ends_colon",
    "ends_ellipsis",
    "timestamp_like",
    "ts_win",
    "ts_before",
    "gaps_before",
    "gaps_after",
    "label_prefix",
    "headline_shaped",
    "headline_win4",
    "headline_before10",
    "headline_after10",
];

/// Index of `dup_count` in a feature row.
pub const DUP_COUNT: usize = 11;
/// Index of `timestamp_like` in a feature row.
pub const TIMESTAMP_LIKE: usize = 34;

/// Number of features.
pub const N_FEATURES: usize = FEATURE_NAMES.len();

/// Simple measurements of one block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    /// Non-whitespace characters.
    pub chars: usize,
    /// Word units: whitespace words, with CJK characters counted as about
    /// half a word each.
    pub units: f64,
    pub lines: usize,
    pub ends_sentence: bool,
    pub sentences: usize,
    pub commas: usize,
    pub digits: usize,
    pub letters: usize,
    pub upper_words: usize,
    pub words: usize,
    pub punct: usize,
}

/// Is `c` a CJK ideograph, kana or Hangul syllable (scripts written without
/// spaces between words)?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | ';' | '다' | '요')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | '」' | '』' | '）' | ']'
    )
}

/// Classes of ASCII characters for [`shape`], as bit flags.
const WS: u8 = 1; // whitespace, as `char::is_whitespace`: ' ' and '\t'..='\r'
const STOP: u8 = 2; // '.', '!', '?'
const COMMA: u8 = 4;
const DIGIT: u8 = 8;
const ALPHA: u8 = 16;
const UPPER: u8 = 32;
const PUNCT: u8 = 64; // neither whitespace, letter nor digit
const NEWLINE: u8 = 128;

/// [`WS`], [`STOP`], … of every ASCII character.
static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if matches!(c, b' ' | b'\t'..=b'\r') {
            WS | if c == b'\n' { NEWLINE } else { 0 }
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if c.is_ascii_lowercase() {
            ALPHA
        } else {
            PUNCT
                | match c {
                    b'.' | b'!' | b'?' => STOP,
                    b',' => COMMA,
                    _ => 0,
                }
        };
        b += 1;
    }
    table
};

/// Measure one block, in one pass over its characters. ASCII characters
/// are counted without branches from a table of their classes (for them
/// `is_whitespace`, `is_alphabetic`, `is_numeric`, `is_uppercase` and
/// `is_cjk` reduce to the table's classes); others as before.
pub fn shape(text: &str) -> Shape {
    let mut s = Shape::default();
    let mut newlines = 0usize;
    let mut cjk = 0usize;
    // words (whitespace-separated, as `split_whitespace`) holding a CJK character
    let mut cjk_words = 0usize;
    let mut in_word = false;
    let mut word_has_cjk = false;
    // the previous character was '.', '!' or '?' (a sentence ends at
    // whitespace after it)
    let mut after_stop = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            let class = ASCII_CLASS[usize::from(b)];
            let is = |flag: u8| class & flag != 0;
            let ws = is(WS);
            let starts_word = !ws & !in_word;
            s.sentences += usize::from(ws & after_stop);
            s.words += usize::from(starts_word);
            s.upper_words += usize::from(starts_word & is(UPPER));
            word_has_cjk &= !starts_word;
            s.chars += usize::from(!ws);
            s.commas += usize::from(is(COMMA));
            s.digits += usize::from(is(DIGIT));
            s.letters += usize::from(is(ALPHA));
            s.punct += usize::from(is(PUNCT));
            newlines += usize::from(is(NEWLINE));
            after_stop = is(STOP);
            in_word = !ws;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("at a character boundary");
        i += c.len_utf8();
        if c.is_whitespace() {
            if after_stop {
                s.sentences += 1;
            }
            after_stop = false;
            in_word = false;
            continue;
        }
        if !in_word {
            in_word = true;
            word_has_cjk = false;
            s.words += 1;
            if c.is_uppercase() {
                s.upper_words += 1;
            }
        }
        s.chars += 1;
        after_stop = false;
        if is_cjk(c) {
            cjk += 1;
            if !word_has_cjk {
                word_has_cjk = true;
                cjk_words += 1;
            }
        }
        if matches!(c, '。' | '！' | '？') {
            s.sentences += 1;
        }
        if matches!(c, '、' | '，') {
            s.commas += 1;
        }
        if c.is_alphabetic() {
            s.letters += 1;
        } else if !c.is_numeric() {
            s.punct += 1;
        }
    }
    // as `text.lines().count()`: a last line without a line break counts too
    s.lines = (newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))).max(1);
    let non_cjk_words = s.words - cjk_words;
    s.units = (non_cjk_words as f64 + cjk as f64 / 2.0).max(s.words as f64);
    let trimmed = text.trim_end().trim_end_matches(is_closing);
    s.ends_sentence = trimmed.chars().last().is_some_and(is_terminal);
    if s.ends_sentence && !text.trim_end().ends_with(['。', '！', '？']) {
        s.sentences += 1;
    }
    s
}

/// Does a short block look like a timestamp (a clock time or a date, as
/// under comments and in headline lists)?
pub fn timestamp_like(text: &str, s: &Shape, meta_line: bool) -> bool {
    if s.units > 12.0 {
        return false;
    }
    if meta_line {
        return true;
    }
    let b = text.as_bytes();
    b.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// Does the block start with a short label and a colon ("Read more: …",
/// "Related: …", "WATCH: …") and end without a sentence ending — the shape
/// of a link to another article?
pub fn label_prefixed(text: &str, s: &Shape) -> bool {
    if s.ends_sentence || s.lines > 2 || s.units > 30.0 {
        return false;
    }
    let first = text.lines().next().unwrap_or("");
    match first.find(':') {
        Some(i) => {
            let label = &first[..i];
            let rest = first[i + 1..].trim();
            let words = label.split_whitespace().count();
            (1..=3).contains(&words)
                && label.chars().count() <= 24
                && rest.split_whitespace().count() >= 3
        }
        None => false,
    }
}

/// A single line of headline length without a sentence ending (a linked
/// headline in a list of other stories, or a subheading).
pub fn headline_shaped(text: &str, s: &Shape) -> bool {
    s.lines == 1
        && !s.ends_sentence
        && !text.trim_end().ends_with(':')
        && (4.0..=25.0).contains(&s.units)
}

/// Is this block "long prose": enough words or CJK characters and a
/// sentence ending?
pub fn is_long(s: &Shape) -> bool {
    s.units >= 25.0 || (s.units >= 12.0 && s.ends_sentence && s.sentences >= 1)
}

/// Lower-cased word tokens (Unicode alphanumeric runs; CJK characters as
/// single tokens).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Lower-cased tokens of several blocks, one after another in one buffer
/// instead of a `String` each (as UTF-8 bytes: equal tokens have equal
/// bytes, and the ASCII ones are written a byte at a time).
#[derive(Default)]
struct TokenScratch {
    bytes: Vec<u8>,
    /// Each token's byte range in `bytes`.
    spans: Vec<(usize, usize)>,
}

impl TokenScratch {
    fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    fn token(&self, k: usize) -> &[u8] {
        let (a, b) = self.spans[k];
        &self.bytes[a..b]
    }

    /// Append the tokens of `text`, as [`tokens`] finds them.
    fn tokenise(&mut self, text: &str) {
        let mut start = self.bytes.len();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // for ASCII, `is_alphanumeric` is the ASCII test, the
                // lower case is one ASCII byte, and nothing is CJK
                i += 1;
                if b.is_ascii_alphanumeric() {
                    self.bytes.push(b.to_ascii_lowercase());
                    continue;
                }
                self.end_token(start);
                start = self.bytes.len();
                continue;
            }
            let c = text[i..].chars().next().expect("at a character boundary");
            i += c.len_utf8();
            if is_cjk(c) {
                self.end_token(start);
                start = self.bytes.len();
                self.push(c);
                self.end_token(start);
            } else if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    self.push(l);
                }
                continue;
            } else {
                self.end_token(start);
            }
            start = self.bytes.len();
        }
        self.end_token(start);
    }

    fn push(&mut self, c: char) {
        let mut utf8 = [0; 4];
        self.bytes
            .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }

    fn end_token(&mut self, start: usize) {
        if self.bytes.len() > start {
            self.spans.push((start, self.bytes.len()));
        }
    }
}

/// Blocks longer than this (in non-whitespace characters) get no headline
/// overlap.
const TITLE_SIM_MAX_CHARS: usize = 2000;

/// The headline-overlap feature of every block: the share of the block's
/// distinct tokens that are in `title` (0 without tokens, without a
/// headline, or for blocks over [`TITLE_SIM_MAX_CHARS`]).
///
/// Equal to `overlap(&tokens(text), title)` with a set of each block's
/// tokens, but faster: the blocks are tokenised into one buffer, and one
/// table for the whole page (a batch of blocks, on huge pages) keeps for
/// each distinct token the last block it was counted in and whether the
/// headline has it, so a token is counted once per block and looked up in
/// the headline once per page. The counts, and so the shares, are the same.
fn title_overlaps(texts: &[&str], shapes: &[Shape], title: &FxHashSet<&[u8]>) -> Vec<f64> {
    /// Tokens are tabled a batch of blocks at a time, of about this many
    /// bytes, so a huge page never holds all its tokens.
    const BATCH_BYTES: usize = 1 << 16;
    let n = texts.len();
    let mut out = vec![0.0; n];
    if title.is_empty() {
        return out;
    }
    let mut scratch = TokenScratch::default();
    // block `first + k`'s tokens are `scratch.spans[ends[k]..ends[k + 1]]`
    let mut ends = Vec::new();
    let mut first = 0;
    while first < n {
        scratch.clear();
        ends.clear();
        ends.push(0);
        let mut next = first;
        while next < n && (next == first || scratch.bytes.len() < BATCH_BYTES) {
            if shapes[next].chars <= TITLE_SIM_MAX_CHARS {
                scratch.tokenise(texts[next]);
            }
            ends.push(scratch.spans.len());
            next += 1;
        }
        // token -> (last block counted in, in the headline)
        let mut seen: FxHashMap<&[u8], (usize, bool)> =
            FxHashMap::with_capacity_and_hasher(scratch.spans.len(), Default::default());
        for (k, w) in ends.windows(2).enumerate() {
            let block = first + k;
            let (mut distinct, mut shared) = (0usize, 0usize);
            for t in w[0]..w[1] {
                let token = scratch.token(t);
                let entry = seen
                    .entry(token)
                    .or_insert_with(|| (usize::MAX, title.contains(token)));
                if entry.0 != block {
                    entry.0 = block;
                    distinct += 1;
                    shared += usize::from(entry.1);
                }
            }
            if distinct > 0 {
                out[block] = shared as f64 / distinct as f64;
            }
        }
        first = next;
    }
    out
}

/// A block's trimmed text as a key for counting repeats: equal texts are
/// equal keys, hashed by their length and at most 32 bytes at each end
/// only. Blocks are long and rarely share both, and equal texts share any
/// part, so the counts are those of a map keyed by the whole text while far
/// less is hashed.
#[derive(PartialEq, Eq)]
struct RepeatKey<'a>(&'a str);

impl std::hash::Hash for RepeatKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let b = self.0.as_bytes();
        b.len().hash(state);
        b[..b.len().min(32)].hash(state);
        b[b.len().saturating_sub(32)..].hash(state);
    }
}

/// How many blocks of the page have each block's trimmed text (1 for a
/// text seen once).
pub fn repeat_counts(texts: &[&str]) -> Vec<usize> {
    // block -> first block with its text; counts kept at the first block
    let mut first: FxHashMap<RepeatKey, usize> =
        FxHashMap::with_capacity_and_hasher(texts.len(), Default::default());
    let mut counts = vec![0usize; texts.len()];
    let group: Vec<usize> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let g = *first.entry(RepeatKey(t.trim())).or_insert(i);
            counts[g] += 1;
            g
        })
        .collect();
    group.into_iter().map(|g| counts[g]).collect()
}

/// The contiguous span of blocks that maximises the total "prose score"
/// (long blocks count positively by their length, other blocks negatively):
/// the densest region of article text. `None` when there is no long block.
pub fn main_region(shapes: &[Shape]) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let mut cur = 0.0;
    let mut start = 0;
    for (i, s) in shapes.iter().enumerate() {
        let v = if is_long(s) {
            s.units.sqrt() * 2.0
        } else {
            -(1.0 + s.units.min(12.0) / 6.0)
        };
        if cur <= 0.0 {
            cur = 0.0;
            start = i;
        }
        cur += v;
        if cur > 0.0 && best.is_none_or(|(b, _, _)| cur > b) {
            best = Some((cur, start, i));
        }
    }
    best.map(|(_, a, b)| (a, b))
}

/// Features of every block, plus what the cleaner reuses (shapes, the
/// headline candidate and the main region).
#[derive(Clone, Debug)]
pub struct PageFeatures {
    pub shapes: Vec<Shape>,
    pub rows: Vec<[f64; N_FEATURES]>,
    /// Index of the block chosen as headline, if any.
    pub title: Option<usize>,
    pub main: Option<(usize, usize)>,
}

/// Compute features for all blocks of a page. `title` is the headline
/// candidate's block index (see `dump::find_title`), `meta_line` marks
/// blocks that look like dates, bylines or credits.
pub fn page_features(
    texts: &[&str],
    title: Option<(usize, &str)>,
    meta_line: &[bool],
) -> PageFeatures {
    let shapes = texts.iter().map(|t| shape(t)).collect();
    page_features_with_shapes(texts, shapes, title, meta_line)
}

/// [`page_features`] for blocks already measured: `shapes[i]` is
/// `shape(texts[i])`.
pub fn page_features_with_shapes(
    texts: &[&str],
    shapes: Vec<Shape>,
    title: Option<(usize, &str)>,
    meta_line: &[bool],
) -> PageFeatures {
    let n = texts.len();
    let logc: Vec<f64> = shapes.iter().map(|s| (1.0 + s.chars as f64).ln()).collect();
    let long: Vec<bool> = shapes.iter().map(is_long).collect();
    let total_chars: f64 = shapes.iter().map(|s| s.chars as f64).sum::<f64>().max(1.0);
    let repeats = repeat_counts(texts);
    let title_tokens: Vec<String> = title.map(|(_, t)| tokens(t)).unwrap_or_default();
    let title_set: FxHashSet<&[u8]> = title_tokens.iter().map(String::as_bytes).collect();
    let title_sim = title_overlaps(texts, &shapes, &title_set);
    let main = main_region(&shapes);
    let first_long = long.iter().position(|&l| l);
    let last_long = long.iter().rposition(|&l| l);
    // prefix sums for windows
    let mut pre_log = vec![0.0; n + 1];
    let mut pre_long = vec![0.0; n + 1];
    for i in 0..n {
        pre_log[i + 1] = pre_log[i] + logc[i];
        pre_long[i + 1] = pre_long[i] + if long[i] { 1.0 } else { 0.0 };
    }
    let window = |pre: &[f64], i: usize, r: usize| {
        let a = i.saturating_sub(r);
        let b = (i + r + 1).min(n);
        (pre[b] - pre[a]) / (b - a) as f64
    };
    // length of the run of short single-line blocks each block is in
    let mut short_run = vec![0usize; n];
    let mut i = 0;
    while i < n {
        if shapes[i].units < 10.0 && !long[i] {
            let mut j = i;
            while j < n && shapes[j].units < 10.0 && !long[j] {
                j += 1;
            }
            for k in short_run.iter_mut().take(j).skip(i) {
                *k = j - i;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    let ts: Vec<bool> = (0..n)
        .map(|i| {
            timestamp_like(
                texts[i],
                &shapes[i],
                meta_line.get(i).copied().unwrap_or(false),
            )
        })
        .collect();
    let mut pre_ts = vec![0.0; n + 1];
    for i in 0..n {
        pre_ts[i + 1] = pre_ts[i] + if ts[i] { 1.0 } else { 0.0 };
    }
    // gaps: runs of 3 or more blocks that are not long prose, counted from
    // the first long block onwards
    let mut gaps_before = vec![0usize; n];
    let mut g = 0usize;
    let mut run = 0usize;
    for i in 0..n {
        gaps_before[i] = g;
        if long[i] {
            if run >= 3 && first_long.is_some_and(|f| i > f) {
                g += 1;
                gaps_before[i] = g;
            }
            run = 0;
        } else {
            run += 1;
        }
    }
    let total_gaps = g;
    let hl: Vec<bool> = (0..n)
        .map(|i| headline_shaped(texts[i], &shapes[i]))
        .collect();
    let mut pre_hl = vec![0.0; n + 1];
    for i in 0..n {
        pre_hl[i + 1] = pre_hl[i] + if hl[i] { 1.0 } else { 0.0 };
    }
    // rank of block among long blocks, by order (0 = first long block)
    let mut long_seen = 0usize;
    let n_long = long.iter().filter(|&&l| l).count().max(1);
    let mut cum_chars = 0.0;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let s = &shapes[i];
        let rel_chars = (cum_chars + s.chars as f64 / 2.0) / total_chars;
        cum_chars += s.chars as f64;
        let (in_main, dist_main, main_rel) = match main {
            Some((a, b)) => {
                let d = if i < a {
                    (a - i) as f64
                } else if i > b {
                    (i - b) as f64
                } else {
                    0.0
                };
                let rel = (i as f64 - a as f64) / ((b - a + 1) as f64);
                (
                    if d == 0.0 { 1.0 } else { 0.0 },
                    (1.0 + d).ln(),
                    rel.clamp(-2.0, 3.0),
                )
            }
            None => (0.0, 5.0, -2.0),
        };
        let caption_shape = {
            let mut ls = texts[i].lines();
            match (ls.next(), ls.next(), ls.next()) {
                (Some(a), Some(b), None) => {
                    let a = a.trim();
                    let b = b.trim();
                    if a.len() > 8 && b.starts_with(a.trim_end_matches('.')) {
                        1.0
                    } else {
                        0.0
                    }
                }
                _ => 0.0,
            }
        };
        let row = [
            logc[i],
            (1.0 + s.units).ln(),
            (s.lines as f64).ln(),
            if s.ends_sentence { 1.0 } else { 0.0 },
            (s.sentences as f64).min(10.0),
            s.commas as f64 / s.units.max(1.0),
            s.digits as f64 / (s.chars.max(1) as f64),
            if s.words > 0 {
                s.upper_words as f64 / s.words as f64
            } else {
                0.0
            },
            s.chars as f64 / s.words.max(1) as f64,
            rel_chars,
            i as f64 / n.max(1) as f64,
            (repeats[i] as f64 - 1.0).min(5.0),
            title_sim[i],
            if title.is_some_and(|(t, _)| t == i) {
                1.0
            } else {
                0.0
            },
            window(&pre_log, i, 2),
            window(&pre_log, i, 5),
            window(&pre_long, i, 5),
            if i > 0 { logc[i - 1] } else { 0.0 },
            if i + 1 < n { logc[i + 1] } else { 0.0 },
            if i > 0 && shapes[i - 1].ends_sentence {
                1.0
            } else {
                0.0
            },
            if i + 1 < n && shapes[i + 1].ends_sentence {
                1.0
            } else {
                0.0
            },
            in_main,
            dist_main,
            main_rel,
            match title {
                Some((t, _)) if i > t => ((i - t) as f64).ln_1p(),
                Some(_) => -1.0,
                None => 0.0,
            },
            caption_shape,
            (short_run[i] as f64).ln_1p(),
            s.punct as f64 / s.chars.max(1) as f64,
            if meta_line.get(i).copied().unwrap_or(false) {
                1.0
            } else {
                0.0
            },
            long_seen as f64 / n_long as f64,
            if first_long.is_some_and(|f| i < f) {
                1.0
            } else {
                0.0
            },
            if last_long.is_some_and(|l| i > l) {
                1.0
            } else {
                0.0
            },
            if texts[i].trim_end().ends_with(':') {
                1.0
            } else {
                0.0
            },
            if texts[i].trim_end().ends_with("...") || texts[i].trim_end().ends_with('…') {
                1.0
            } else {
                0.0
            },
            if ts[i] { 1.0 } else { 0.0 },
            window(&pre_ts, i, 6),
            (pre_ts[i] - pre_ts[i.saturating_sub(30)]).ln_1p(),
            (gaps_before[i] as f64).ln_1p(),
            ((total_gaps - gaps_before[i]) as f64).ln_1p(),
            if label_prefixed(texts[i], s) {
                1.0
            } else {
                0.0
            },
            if hl[i] { 1.0 } else { 0.0 },
            window(&pre_hl, i, 4),
            (pre_hl[i] - pre_hl[i.saturating_sub(10)]) / 10.0,
            (pre_hl[(i + 11).min(n)] - pre_hl[i + 1]) / 10.0,
        ];
        if long[i] {
            long_seen += 1;
        }
        rows.push(row);
    }
    PageFeatures {
        shapes,
        rows,
        title: title.map(|(i, _)| i),
        main,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dup_count_index_names_the_feature() {
        assert_eq!(FEATURE_NAMES[DUP_COUNT], "dup_count");
        assert_eq!(FEATURE_NAMES[TIMESTAMP_LIKE], "timestamp_like");
    }

    /// `shape` as it was: several passes, Unicode tests on every character.
    fn shape_reference(text: &str) -> Shape {
        let mut s = Shape {
            lines: text.lines().count().max(1),
            ..Shape::default()
        };
        let mut cjk = 0usize;
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if c.is_whitespace() {
                if prev.is_some_and(|p| matches!(p, '.' | '!' | '?')) {
                    s.sentences += 1;
                }
                prev = Some(c);
                continue;
            }
            s.chars += 1;
            if is_cjk(c) {
                cjk += 1;
            }
            if matches!(c, '。' | '！' | '？') {
                s.sentences += 1;
            }
            if matches!(c, ',' | '、' | '，') {
                s.commas += 1;
            }
            if c.is_ascii_digit() {
                s.digits += 1;
            }
            if c.is_alphabetic() {
                s.letters += 1;
            } else if !c.is_numeric() {
                s.punct += 1;
            }
            prev = Some(c);
        }
        for w in text.split_whitespace() {
            s.words += 1;
            if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                s.upper_words += 1;
            }
        }
        let non_cjk_words = text
            .split_whitespace()
            .filter(|w| !w.chars().any(is_cjk))
            .count();
        s.units = (non_cjk_words as f64 + cjk as f64 / 2.0).max(s.words as f64);
        let trimmed = text.trim_end().trim_end_matches(is_closing);
        s.ends_sentence = trimmed.chars().last().is_some_and(is_terminal);
        if s.ends_sentence && !text.trim_end().ends_with(['。', '！', '？']) {
            s.sentences += 1;
        }
        s
    }

    /// `overlap` as it was.
    fn overlap_reference(a: &[String], title: &std::collections::HashSet<&str>) -> f64 {
        if a.is_empty() || title.is_empty() {
            return 0.0;
        }
        let set: std::collections::HashSet<&str> = a.iter().map(String::as_str).collect();
        set.iter().filter(|t| title.contains(*t)).count() as f64 / set.len() as f64
    }

    /// Block-like text: words in several scripts and cases (with letters
    /// that lower-case to other lengths, like `İ`), digits of several
    /// kinds, CJK, sentence and closing punctuation, all kinds of
    /// whitespace.
    const BLOCKISH: &str = "(?s)([A-Za-z0-9]{1,8}|[ÀÉİßΣσẞǅ٣²]{1,3}|[日本語한국어カナ]{1,4}|[.!?。！？,、，;:\"'”’»)」』）\\]…-]{1,2}|[ \\t\\n\\u{a0}\\u{2003}\\u{3000}\\u{85}]{1,2}|[\\x00-\\x1f\\x7f]|\\PC){0,60}";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::cases(5_000)))]

        #[test]
        fn shape_is_unchanged(text in BLOCKISH) {
            prop_assert_eq!(shape(&text), shape_reference(&text));
        }

        #[test]
        fn shape_is_unchanged_on_any_text(text in "(?s)\\PC{0,80}|.{0,40}") {
            prop_assert_eq!(shape(&text), shape_reference(&text));
        }

        #[test]
        fn title_overlaps_are_unchanged(
            blocks in proptest::collection::vec(BLOCKISH, 0..12),
            title in "([a-z0-9]{1,4}|[àéi̇ßσ日本]{1,2}| ){0,12}",
            long in proptest::collection::vec(0..3000usize, 12),
        ) {
            // titles share tokens with the blocks as often as not
            let first = blocks.first().map_or("", String::as_str);
            let title = format!("{title} {}", first.chars().take(20).collect::<String>());
            let title_tokens = tokens(&title);
            let fast: FxHashSet<&[u8]> = title_tokens.iter().map(String::as_bytes).collect();
            let slow: std::collections::HashSet<&str> =
                title_tokens.iter().map(String::as_str).collect();
            let texts: Vec<&str> = blocks.iter().map(String::as_str).collect();
            // some blocks pretend to be too long for the feature
            let shapes: Vec<Shape> = texts
                .iter()
                .zip(&long)
                .map(|(t, &chars)| Shape { chars: shape(t).chars.max(chars), ..Shape::default() })
                .collect();
            let want = |title: &std::collections::HashSet<&str>| -> Vec<u64> {
                texts
                    .iter()
                    .zip(&shapes)
                    .map(|(t, s)| {
                        let toks = if title.is_empty() || s.chars > 2000 { Vec::new() } else { tokens(t) };
                        overlap_reference(&toks, title).to_bits()
                    })
                    .collect()
            };
            let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
            prop_assert_eq!(bits(title_overlaps(&texts, &shapes, &fast)), want(&slow));
            prop_assert_eq!(
                bits(title_overlaps(&texts, &shapes, &FxHashSet::default())),
                want(&std::collections::HashSet::new())
            );
        }

        #[test]
        fn tokenise_gives_the_tokens(before in BLOCKISH, text in BLOCKISH) {
            let mut scratch = TokenScratch::default();
            scratch.tokenise(&before);
            let k = scratch.spans.len();
            scratch.tokenise(&text);
            let got: Vec<&[u8]> = (k..scratch.spans.len()).map(|t| scratch.token(t)).collect();
            let want = tokens(&text);
            prop_assert_eq!(got, want.iter().map(String::as_bytes).collect::<Vec<_>>());
        }
    }

    #[test]
    fn repeat_counts_count_equal_trimmed_texts() {
        let long = "x".repeat(40);
        let (a, b) = (format!("{long}a{long}"), format!("{long}b{long}"));
        let texts = ["a", " a", "b", &a, &b, &a, "", " ", "a\n"];
        assert_eq!(repeat_counts(&texts), vec![3, 3, 1, 2, 1, 2, 2, 2, 3]);
    }

    proptest! {
        #[test]
        fn repeat_counts_are_unchanged(blocks in proptest::collection::vec("[ab ]{0,3}|[xy]{60,70}", 0..20)) {
            let texts: Vec<&str> = blocks.iter().map(String::as_str).collect();
            let mut counts: std::collections::HashMap<&str, usize> = Default::default();
            for t in &texts {
                *counts.entry(t.trim()).or_default() += 1;
            }
            let want: Vec<usize> = texts.iter().map(|t| counts[t.trim()]).collect();
            prop_assert_eq!(repeat_counts(&texts), want);
        }
    }

    #[test]
    fn ascii_classes_are_the_char_tests() {
        for b in 0..128u8 {
            let (c, class) = (char::from(b), ASCII_CLASS[usize::from(b)]);
            let is = |flag: u8| class & flag != 0;
            assert_eq!(is(WS), c.is_whitespace(), "{c:?}");
            assert_eq!(is(ALPHA), c.is_alphabetic(), "{c:?}");
            assert_eq!(is(UPPER), c.is_uppercase(), "{c:?}");
            assert_eq!(is(DIGIT), c.is_ascii_digit() && c.is_numeric(), "{c:?}");
            assert_eq!(is(DIGIT), c.is_numeric(), "{c:?}");
            let punct = !c.is_whitespace() && !c.is_alphabetic() && !c.is_numeric();
            assert_eq!(is(PUNCT), punct, "{c:?}");
            assert_eq!(is(STOP), matches!(c, '.' | '!' | '?'), "{c:?}");
            assert_eq!(is(COMMA), c == ',', "{c:?}");
            assert_eq!(is(NEWLINE), c == '\n', "{c:?}");
            assert!(!is_cjk(c));
        }
    }

    #[test]
    fn title_overlaps_of_a_page_of_many_batches_are_unchanged() {
        let seed = include_str!("../../../seeds/004_a621f7fa4f80e312.txt").repeat(30);
        let texts: Vec<&str> = seed.split("\n\n").collect();
        let shapes: Vec<Shape> = texts.iter().map(|t| shape(t)).collect();
        let title_tokens = tokens(texts[0]);
        let fast: FxHashSet<&[u8]> = title_tokens.iter().map(String::as_bytes).collect();
        let slow: std::collections::HashSet<&str> =
            title_tokens.iter().map(String::as_str).collect();
        let got = title_overlaps(&texts, &shapes, &fast);
        assert!(seed.len() > 3 << 16 && got.iter().filter(|&&s| s > 0.0).count() > 30);
        for ((t, s), got) in texts.iter().zip(&shapes).zip(got) {
            let toks = if s.chars > 2000 {
                Vec::new()
            } else {
                tokens(t)
            };
            assert_eq!(
                got.to_bits(),
                overlap_reference(&toks, &slow).to_bits(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn shapes_of_the_seeds_are_unchanged() {
        for seed in [
            include_str!("../../../seeds/000_df13072c3159046a.txt"),
            include_str!("../../../seeds/004_a621f7fa4f80e312.txt"),
        ] {
            for block in seed.split("\n\n") {
                assert_eq!(shape(block), shape_reference(block), "{block:?}");
            }
        }
    }
}
