//! The static search index: a small inverted index of our own, built from
//! plain-text records (an article's title, byline, summary and body; an
//! entity's names and description) and written as JavaScript files that
//! the search page loads with `<script src>`. No `fetch()`, no modules, no
//! WASM: search works from `file://` as well as on any static host and
//! under any sub-path. The client is the search section of
//! `static/briefing.js`.
//!
//! Files, all under [`DIR`]:
//! - `index.js`: `briefingSearch.init({"docs":N,"chunk":C,"shards":[keys]})`.
//! - `terms/t<key>.js`: one shard, `briefingSearch.add("<key>",{"<term>":"<postings>",…})`.
//! - `docs/<n>.js`: `briefingSearch.docz(index,n,"<base 85>")`, the JSON
//!   `[[path,title,kind,meta,excerpt(,back)],…]` of documents `n*C .. (n+1)*C`
//!   (ids are record order), compressed ([`DOCS_CALL`]).
//!
//! **Terms** ([`terms`]): runs of alphanumeric characters, lowercased, with
//! the Latin diacritics folded (é → e, ş → s, ß → ss), 2 to 40 characters
//! long. No stemming: the client matches the last word of a query as a
//! prefix. The client folds queries the same way (keep them in step).
//!
//! **Shards**: every term starts in one shard (key `""`); a shard over
//! [`SHARD_BYTES`] is split by the next character of its terms, down to keys
//! of [`MAX_KEY`] characters, and keeps only the term equal to its key. A
//! term therefore lives in the shard with the longest key that is a prefix
//! of it, and a prefix query loads that shard plus the shards whose keys
//! start with the prefix.
//!
//! **Postings** (one string per term): per document, how many documents
//! were skipped since the previous one (the first: since the start) as
//! base-24 digits, low digits first, from 24 punctuation characters that
//! JSON and HTML leave as they are (none when it is the next document, so a
//! term in most documents costs one character a document); then the
//! weight, one base64url character, 1–63: BM25's term-frequency part for
//! the text, quantised to 0–31, plus [`TITLE_BONUS`] when the term is in
//! the title, so that title matches rank above text-only ones. The client
//! multiplies weights by the term's IDF. No positions: phrase queries are
//! not offered.
//!
//! Output is deterministic: terms and keys are sorted, documents keep the
//! order of the records. JSON strings escape `<`, `>` and `&`, so text
//! scraped from the web (untrusted) cannot close a script or inject markup.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::fmt::Write as _;

/// Where the index lives in the site (next to the search page).
pub const DIR: &str = "search";
/// Documents per `docs/<n>.js` file. Compressed together, documents
/// share their words: at 10,000 articles with three notes each, 64 a file
/// take 360 bytes an article where 32 took 427 (BENCHMARKS.md G), for a
/// file of about 8 KB fetched per result shown (a divisor of the
/// analysis chunk).
pub const CHUNK: usize = 64;
/// A shard is split when its terms and postings take more bytes than this.
pub const SHARD_BYTES: usize = 32 * 1024;
/// Shard keys are at most this many characters.
pub const MAX_KEY: usize = 6;
/// Shortest and longest term, in characters.
const MIN_TERM: usize = 2;
const MAX_TERM: usize = 40;
/// What a term in the title adds to its weight: more than the text alone
/// can give.
pub const TITLE_BONUS: u32 = 32;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// The largest weight (one base64url digit).
const MAX_WEIGHT: u32 = 63;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// One searchable record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Site-relative path of the page (`articles/x/index.html`), with an
    /// `#anchor` for a passage; with [`Record::parent`], only `#anchor`.
    pub path: String,
    pub title: String,
    /// Plain text to index besides the title.
    pub text: String,
    /// What it is: `article`, `note`, `claim`, `summary`, or an entity's
    /// kind (`person`, `place`, …).
    pub kind: String,
    /// Shown after the kind: a date for people (`6 December 2024`), a
    /// note's labels; or empty.
    pub meta: String,
    /// Shown under the result ([`excerpt`]); the client cuts a snippet
    /// around the first match from it.
    pub excerpt: String,
    /// For a passage of a page indexed just before it (an article's
    /// notes follow the article): how many records back that page is. The
    /// result links to the page at [`Record::path`] and names it.
    pub parent: Option<u32>,
}

/// The lowercase letters of U+00C0..U+024F whose canonical decomposition is
/// an ASCII letter and combining marks (U+0300..U+036F), as that letter;
/// `.` for every other code point. Generated with Python's `unicodedata`;
/// the client applies the same rule with `String.normalize("NFD")`.
const FOLD: &[u8] = concat!(
    "................................aaaaaa.ceeeeiiii", // U+00C0
    ".nooooo..uuuuy.y.a.a.a.c.c.c.c.d...e.e.e.e.e.g.g", // U+00F0
    ".g.g.h...i.i.i.i.....j.k..l.l.l.....n.n.n....o.o", // U+0120
    ".o...r.r.r.s.s.s.s.t.t...u.u.u.u.u.u.w.y..z.z.z.", // U+0150
    ".................................o..............", // U+0180
    "u.............................a.i.o.u.u.u.u.u..a", // U+01B0
    ".a.....g.k.o.o..j....g...n.a.....a.a.e.e.i.i.o.o", // U+01E0
    ".r.r.u.u.s.t...h.......a.e.o.o.o.o.y............", // U+0210
    "................",                                 // U+0240
)
.as_bytes();

/// Letters folded although they do not decompose (the client's `EXTRA`).
fn fold_extra(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' => "d",
        'ł' => "l",
        'ı' => "i",
        'ς' => "σ",
        _ => return None,
    })
}

/// Append the folded form of the lowercase `c`; returns how many characters
/// it added.
fn push_folded(c: char, out: &mut String) -> usize {
    if let Some(s) = fold_extra(c) {
        out.push_str(s);
        return s.chars().count();
    }
    let folded = (c as usize)
        .checked_sub(0xC0)
        .and_then(|i| FOLD.get(i))
        .filter(|&&b| b != b'.');
    match folded {
        Some(&b) => out.push(b as char),
        None => out.push(c),
    }
    1
}

/// ASCII letters and digits, lowercased; 0 for every other byte.
static ASCII_TERM: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Whether `c` is written without spaces between words (Han, Hiragana,
/// Katakana, Hangul): such runs are indexed by character pairs. The client
/// uses the same ranges (`CJK` in `static/briefing.js`).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF // Hangul Jamo
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3130..=0x318F // Hangul compatibility Jamo
        | 0x31F0..=0x31FF // Katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // half-width Katakana
        | 0x20000..=0x3FFFF // CJK extensions B–H
    )
}

/// Call `f` with each term of `text`, in order. `buf` is scratch space:
/// a term already in normal form (lowercase ASCII, the common case) is
/// passed as a slice of `text`, without copying.
fn for_each_term(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    // the term being built in `buf` (it has non-ASCII or capital letters)
    let mut chars = 0usize;
    let end = |buf: &mut String, chars: &mut usize, f: &mut dyn FnMut(&str)| {
        if (MIN_TERM..=MAX_TERM).contains(chars) {
            f(buf);
        }
        buf.clear();
        *chars = 0;
    };
    while i < bytes.len() {
        let b = bytes[i];
        if ASCII_TERM[b as usize] != 0 {
            let run = i;
            let mut lower = true;
            while i < bytes.len() && ASCII_TERM[bytes[i] as usize] != 0 {
                lower &= ASCII_TERM[bytes[i] as usize] == bytes[i];
                i += 1;
            }
            let next_is_ascii = i == bytes.len() || bytes[i].is_ascii();
            if chars == 0 && lower && next_is_ascii {
                // a whole term, as it is
                if (MIN_TERM..=MAX_TERM).contains(&(i - run)) {
                    f(&text[run..i]);
                }
            } else {
                let from = buf.len();
                buf.push_str(&text[run..i]);
                buf[from..].make_ascii_lowercase();
                chars += i - run;
            }
            continue;
        }
        if b.is_ascii() {
            i += 1;
            if chars > 0 {
                end(buf, &mut chars, &mut f);
            }
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if is_cjk(c) && c.is_alphanumeric() {
            // Chinese, Japanese and Korean: no spaces between words, so a
            // run of these is indexed as its overlapping character pairs
            // (a lone character as itself)
            if chars > 0 {
                end(buf, &mut chars, &mut f);
            }
            let run = i;
            let mut prev = None;
            for ch in text[run..]
                .chars()
                .take_while(|&ch| is_cjk(ch) && ch.is_alphanumeric())
            {
                let start = i;
                i += ch.len_utf8();
                if let Some(p) = prev {
                    f(&text[p..i]);
                }
                prev = Some(start);
            }
            if prev == Some(run) {
                f(&text[run..i]);
            }
            continue;
        }
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                chars += push_folded(l, buf);
            }
        } else if chars > 0 {
            end(buf, &mut chars, &mut f);
        }
    }
    if chars > 0 {
        end(buf, &mut chars, &mut f);
    }
}

/// The terms of `text`, in order, repeats included.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// The start of `text`, to show under a result: whitespace
/// collapsed, at most `max` characters, cut at a word boundary with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if chars + sep + n > max {
            if out.is_empty() {
                out.extend(word.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        chars += sep + n;
    }
    out
}

/// Records are analysed in chunks of this many, in parallel.
const ANALYSIS_CHUNK: usize = 256;

/// The distinct terms of a chunk of records, and each record's counts of
/// them: every record's entries one after another in one array of bytes
/// (no allocation per record), which [`Analysed::merge`] later rewrites
/// with the index's stems. Entries are small numbers (a chunk has a few
/// thousand distinct terms; most counts are 1 to 3), so they are written
/// as varints ([`push_varint`]): about 3 bytes an entry where a
/// `(u32, u16, u16)` took 8, at the build's memory peak.
struct Analysed {
    /// The chunk's terms; a local id is an index.
    vocab: Vec<Box<str>>,
    /// Per entry: the term's id (a local id, then, once merged, a stem)
    /// times two, plus one when it is in the record's title; then its
    /// occurrences in the text (saturating at `u16::MAX`).
    entries: Vec<u8>,
    /// Per record: where its entries end, and its number of terms (title
    /// and text).
    docs: Vec<(usize, u32)>,
}

/// Append `x` as a LEB128 varint: seven bits a byte, low bits first, the
/// top bit set on every byte but the last.
fn push_varint(out: &mut Vec<u8>, mut x: u32) {
    while x >= 0x80 {
        out.push(x as u8 | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// The varint at `*at` in `bytes` ([`push_varint`]), moving `*at` past it.
fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut x = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        x |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            return x;
        }
        shift += 7;
    }
}

/// One entry: (term id, occurrences in the text, in the title or not).
fn push_entry(out: &mut Vec<u8>, id: u32, text: u16, title: bool) {
    debug_assert!(id < 1 << 31);
    push_varint(out, id << 1 | u32::from(title));
    push_varint(out, u32::from(text));
}

/// Call `f` with each entry of `bytes` ([`push_entry`]).
fn for_each_entry(bytes: &[u8], mut f: impl FnMut(u32, u16, bool)) {
    let mut at = 0;
    while at < bytes.len() {
        let id = read_varint(bytes, &mut at);
        let text = read_varint(bytes, &mut at);
        f(id >> 1, text as u16, id & 1 == 1);
    }
}

impl Analysed {
    /// Rewrite the entries with stems: each local id becomes the id of its
    /// stem (`stem_of[global[id]]`), and the forms of one stem in a record
    /// become one entry, their counts added up. `seen` (by stem: the
    /// record that last had it, and its place in `doc`) and `doc` are
    /// scratch space, and `mark` the number of the last record marked.
    fn merge(
        &mut self,
        global: &[u32],
        stem_of: &[u32],
        seen: &mut [(u32, u32)],
        mark: &mut u32,
        doc: &mut Vec<(u32, u16, bool)>,
    ) {
        let mut out = Vec::with_capacity(self.entries.len());
        let mut from = 0;
        for d in &mut self.docs {
            *mark += 1;
            doc.clear();
            for_each_entry(&self.entries[from..d.0], |id, text, title| {
                let st = stem_of[global[id as usize] as usize];
                let slot = &mut seen[st as usize];
                if slot.0 == *mark {
                    let e = &mut doc[slot.1 as usize];
                    e.1 = e.1.saturating_add(text);
                    e.2 |= title;
                } else {
                    *slot = (*mark, doc.len() as u32);
                    doc.push((st, text, title));
                }
            });
            for &(st, text, title) in doc.iter() {
                push_entry(&mut out, st, text, title);
            }
            from = d.0;
            d.0 = out.len();
        }
        out.shrink_to_fit();
        self.entries = out;
    }
}

/// A term of at most 16 bytes packed into an integer, as a map key that
/// hashes and compares without a call to `memcmp` (most terms are short).
/// Terms hold no zero byte (letters and digits), so the zero padding
/// cannot make two terms equal.
fn packed(t: &str) -> Option<u128> {
    let b = t.as_bytes();
    (b.len() <= 16).then(|| {
        let mut k = [0u8; 16];
        k[..b.len()].copy_from_slice(b);
        u128::from_le_bytes(k)
    })
}

/// Term → local id, for one chunk of records.
#[derive(Default)]
struct Ids {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
}

impl Ids {
    /// The id of `t`, made with `new` if it has none yet.
    fn get_or(&mut self, t: &str, new: impl FnOnce() -> u32) -> u32 {
        match packed(t) {
            Some(k) => *self.short.entry(k).or_insert_with(new),
            None => match self.long.get(t) {
                Some(&id) => id,
                None => {
                    let id = new();
                    self.long.insert(t.into(), id);
                    id
                }
            },
        }
    }
}

fn analyse<R: Borrow<Record>>(records: &[R]) -> Analysed {
    let mut ids = Ids::default();
    let mut vocab: Vec<Box<str>> = Vec::new();
    // by local id: counts in the current record (zero between records)
    let mut counts: Vec<(u16, u16)> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    let mut buf = String::new();
    let mut out = Analysed {
        vocab: Vec::new(),
        entries: Vec::new(),
        docs: Vec::with_capacity(records.len()),
    };
    for r in records {
        let r = r.borrow();
        let mut len = 0u32;
        for (text, in_title) in [(&r.title, true), (&r.text, false)] {
            for_each_term(text, &mut buf, |t| {
                let id = ids.get_or(t, || {
                    vocab.push(t.into());
                    counts.push((0, 0));
                    (vocab.len() - 1) as u32
                });
                let c = &mut counts[id as usize];
                if *c == (0, 0) {
                    touched.push(id);
                }
                if in_title {
                    c.1 = c.1.saturating_add(1);
                } else {
                    c.0 = c.0.saturating_add(1);
                }
                len += 1;
            });
        }
        for id in touched.drain(..) {
            let (text, title) = std::mem::take(&mut counts[id as usize]);
            push_entry(&mut out.entries, id, text, title > 0);
        }
        out.docs.push((out.entries.len(), len));
    }
    out.vocab = vocab;
    out
}

/// A posting's weight, 1..=[`MAX_WEIGHT`]: BM25's term-frequency part for
/// the `text` occurrences, scaled to 0..[`TITLE_BONUS`], plus the bonus
/// when the term is in the title. `norm` is `k1 * (1 - b + b * len /
/// avg_len)`.
fn weight(text: u16, title: u16, norm: f64) -> u32 {
    let tf = f64::from(text);
    let part = tf / (tf + norm); // [0, 1)
    let text = (part * f64::from(TITLE_BONUS - 1)).round() as u32;
    let bonus = if title > 0 { TITLE_BONUS } else { 0 };
    (text + bonus).clamp(1, MAX_WEIGHT)
}

/// The digits of a gap in [`encode_postings`]: printable ASCII that JSON
/// and HTML leave alone (no `"`, `\\`, `<`, `>`, `&`, `'`) and that is not in
/// the base64url alphabet of the weights.
const SKIP: &[u8; 24] = b"!#$%()*+,./:;=?@[]^`{|}~";

/// How many base-[`SKIP`] digits `x` takes (none for 0).
fn skip_digits(mut x: u32) -> usize {
    let mut n = 0;
    while x > 0 {
        n += 1;
        x /= SKIP.len() as u32;
    }
    n
}

/// How many characters [`encode_postings`] writes for `postings`.
fn encoded_len(postings: &[u32]) -> usize {
    let mut next = 0;
    let mut n = postings.len(); // the weights
    for &p in postings {
        let doc = p >> 6;
        n += skip_digits(doc - next);
        next = doc + 1;
    }
    n
}

/// Append the postings (`doc << 6 | weight`, by doc) in the compact form:
/// per document, the documents skipped since the previous one (the first:
/// since the start) as base-24 digits from [`SKIP`], low digits first,
/// none when it is the next document; then its weight (1–63) as one
/// base64url character. A term in most documents costs about a character
/// a document.
fn encode_postings(postings: &[u32], out: &mut String) {
    let mut next = 0;
    for &p in postings {
        let doc = p >> 6;
        let mut skipped = doc - next;
        next = doc + 1;
        while skipped > 0 {
            out.push(SKIP[(skipped % SKIP.len() as u32) as usize] as char);
            skipped /= SKIP.len() as u32;
        }
        out.push(B64[(p & 63) as usize] as char);
    }
}

/// Append `s` as a JSON string that is also safe inside HTML and in any
/// JavaScript engine (`<`, `>`, `&`, U+2028, U+2029 escaped).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The file of the shard with `key`, relative to [`DIR`]: `terms/t` and the
/// key, each character outside `[a-z0-9]` written `_<hex>_` (ASCII names
/// that no file system or URL mangles; the `t` avoids Windows' reserved
/// names such as `con`). The client derives the same names.
pub fn shard_file(key: &str) -> String {
    let mut s = String::from("terms/t");
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            s.push(c);
        } else {
            let _ = write!(s, "_{:x}_", c as u32);
        }
    }
    s.push_str(".js");
    s
}

/// An entry of a shard: a term (a stem) with its postings, or a word form
/// that stems to another term.
enum Entry<'a> {
    Term {
        postings: &'a [u32],
    },
    /// The stem, and how many leading characters of the form it is (when
    /// it is a prefix of the form, as it mostly is: written as that count).
    Form {
        stem: &'a str,
        prefix: Option<usize>,
    },
}

/// An entry with its text and the bytes it takes in a shard file.
struct Keyed<'a> {
    text: &'a str,
    entry: Entry<'a>,
    size: usize,
}

/// Split the sorted `entries` (all starting with `key`, of `depth` chars)
/// into shards: (key, range in `entries`).
fn split(
    entries: &[Keyed],
    offset: usize,
    key: &str,
    depth: usize,
    out: &mut Vec<(String, std::ops::Range<usize>)>,
) {
    let size: usize = entries.iter().map(|t| t.size).sum();
    if size <= SHARD_BYTES || depth >= MAX_KEY {
        out.push((key.to_string(), offset..offset + entries.len()));
        return;
    }
    // the entries equal to the key (a term, a form) sort first and stay here
    let own = entries.iter().take_while(|t| t.text == key).count();
    if own > 0 {
        out.push((key.to_string(), offset..offset + own));
    }
    let mut i = own;
    while i < entries.len() {
        let next = entries[i].text[key.len()..].chars().next().unwrap_or(' ');
        let child = format!("{key}{next}");
        let n = entries[i..]
            .iter()
            .take_while(|t| t.text.starts_with(&child))
            .count();
        split(&entries[i..i + n], offset + i, &child, depth + 1, out);
        i += n;
    }
}

/// A path as the documents' files write it: `index.html` left out at the
/// end or before `#` (the client puts it back), so `articles/x/index.html`
/// is `articles/x/` and `index.html#s` is `#s`.
fn short_path(path: &str) -> &str {
    let (page, _) = path.split_once('#').unwrap_or((path, ""));
    match page.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => {
            // (the anchor, if any, follows the directory)
            &path[..dir.len()]
        }
        _ => page,
    }
}

/// The documents' file `docs/<n>.js`: what a result shows of `records`,
/// `[path, title, kind, meta, excerpt]`, and the records back to the
/// parent page for a passage — a JSON array, compressed ([`DOCS_CALL`]).
fn docs_file<R: Borrow<Record>>(index: &str, n: usize, records: &[R]) -> (String, Vec<u8>) {
    let mut s = String::from("[");
    for (i, r) in records.iter().enumerate() {
        let r = r.borrow();
        if i > 0 {
            s.push_str(",\n");
        }
        s.push('[');
        let page = short_path(&r.path);
        let mut path = String::with_capacity(r.path.len());
        path.push_str(page);
        if let Some((_, anchor)) = r.path.split_once('#') {
            path.push('#');
            path.push_str(anchor);
        }
        for (j, field) in [&path, &r.title, &r.kind, &r.meta, &r.excerpt]
            .into_iter()
            .enumerate()
        {
            if j > 0 {
                s.push(',');
            }
            push_json_str(&mut s, field);
        }
        if let Some(back) = r.parent {
            let _ = write!(s, ",{back}");
        }
        s.push(']');
    }
    s.push(']');
    let mut out = String::from(DOCS_CALL);
    push_json_str(&mut out, index);
    let _ = write!(out, ",{n},\"");
    base85(
        &miniz_oxide::deflate::compress_to_vec(s.as_bytes(), DEFLATE_LEVEL),
        &mut out,
    );
    out.push_str("\");\n");
    (format!("{}docs/{n}.js", dir_of(index)), out.into_bytes())
}

/// How a documents' file starts: `briefingSearch.docz("<index>",<n>,"…")`
/// holds the chunk's JSON array compressed (raw DEFLATE) and in base 85
/// ([`base85`]);
/// the client inflates it with the browser's `DecompressionStream`. What
/// a result shows is most of the index's bytes and it is text: compressed,
/// it takes less than half the room.
pub const DOCS_CALL: &str = "briefingSearch.docz(";

/// miniz_oxide's level (0–10): the best it does, as the files are
/// written once and read many times.
const DEFLATE_LEVEL: u8 = 10;

/// The digits of [`base85`]: printable ASCII without `"`, `\\`, `'`, `<`,
/// `>`, `&`, `` ` ``, `}` and `~` (nothing a JavaScript string, JSON or
/// HTML would need escaped), in code-point order.
const BASE85: &[u8; 85] =
    b"!#$%()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|";

/// Append `bytes` in base 85: each group of four bytes (big-endian) as five
/// digits of [`BASE85`], most significant first; a last group of `k < 4`
/// bytes as its first `k + 1` digits after padding with zero bytes (as
/// Ascii85 does). Five characters for four bytes where base64 takes
/// five and a third: the documents' files are 6 % smaller. The client's
/// `unbase85` reads it.
fn base85(bytes: &[u8], out: &mut String) {
    for c in bytes.chunks(4) {
        let mut group = [0u8; 4];
        group[..c.len()].copy_from_slice(c);
        let mut n = u32::from_be_bytes(group);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = BASE85[(n % 85) as usize];
            n /= 85;
        }
        for &d in &digits[..c.len() + 1] {
            out.push(d as char);
        }
    }
}

/// The bytes of `text` written by [`base85`]; `None` if it is not.
fn unbase85(text: &[u8]) -> Option<Vec<u8>> {
    let mut value = [0u8; 128];
    for (i, &c) in BASE85.iter().enumerate() {
        value[usize::from(c)] = i as u8 + 1;
    }
    let mut out = Vec::with_capacity(text.len() / 5 * 4 + 4);
    for c in text.chunks(5) {
        if c.len() == 1 {
            return None;
        }
        let mut n: u64 = 0;
        for k in 0..5 {
            // a short last group is padded with the largest digit
            let d = match c.get(k) {
                Some(&b) => u64::from(value.get(usize::from(b)).copied().filter(|&v| v > 0)? - 1),
                None => 84,
            };
            n = n * 85 + d;
        }
        let n = u32::try_from(n).ok()?;
        out.extend_from_slice(&n.to_be_bytes()[..c.len() - 1]);
    }
    Some(out)
}

/// The JSON text of a documents' file (see [`DOCS_CALL`]); `None` for any
/// other file. For what reads the site's bytes for text, as the leak check
/// of a public build does.
pub fn docs_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let rest = bytes.strip_prefix(DOCS_CALL.as_bytes())?;
    let start = rest.iter().position(|&b| b == b',')?;
    let rest = &rest[start + 1..];
    let start = rest.iter().position(|&b| b == b'"')? + 1;
    let len = rest[start..].iter().position(|&b| b == b'"')?;
    let raw = unbase85(&rest[start..start + len])?;
    miniz_oxide::inflate::decompress_to_vec(&raw).ok()
}

/// The Snowball stemmer for a briefing's `language` (an ISO 639-1 code,
/// optionally with a region: `en`, `pt-BR`); `None` for a language
/// Snowball has no stemmer for (its words are then indexed as they are).
pub fn stemmer_for(language: &str) -> Option<rust_stemmers::Algorithm> {
    use rust_stemmers::Algorithm::*;
    let code = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match code.as_str() {
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "en" => English,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return None,
    })
}

/// The Snowball name of a stemmer, as the index's manifest states it.
fn algorithm_name(a: rust_stemmers::Algorithm) -> &'static str {
    use rust_stemmers::Algorithm::*;
    match a {
        Arabic => "arabic",
        Danish => "danish",
        Dutch => "dutch",
        English => "english",
        Finnish => "finnish",
        French => "french",
        German => "german",
        Greek => "greek",
        Hungarian => "hungarian",
        Italian => "italian",
        Norwegian => "norwegian",
        Portuguese => "portuguese",
        Romanian => "romanian",
        Russian => "russian",
        Spanish => "spanish",
        Swedish => "swedish",
        Tamil => "tamil",
        Turkish => "turkish",
    }
}

/// Whether a term is a word the stemmer should see: letters only (no
/// digits: `2024`, `su30mk2`), not CJK pairs, at least three characters.
fn stemmable(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|c| c.is_alphabetic() && !is_cjk(c))
}

/// The terms of `forms` as stemmed by `algorithm`: (the stems, and for
/// each form the index of its stem); without a stemmer every form is its
/// own stem.
fn stems<'a>(
    forms: &[&'a str],
    algorithm: Option<rust_stemmers::Algorithm>,
) -> (Vec<std::borrow::Cow<'a, str>>, Vec<u32>) {
    use std::borrow::Cow;
    let Some(algorithm) = algorithm else {
        return (
            forms.iter().map(|&f| Cow::Borrowed(f)).collect(),
            (0..forms.len() as u32).collect(),
        );
    };
    let stemmer = rust_stemmers::Stemmer::create(algorithm);
    // each distinct form once, in parallel
    let stemmed: Vec<Option<String>> = forms
        .par_iter()
        .map(|&f| {
            if !stemmable(f) {
                return None;
            }
            let st = stemmer.stem(f);
            // a stem is folded like the words it comes from
            let mut out = String::with_capacity(st.len());
            for c in st.chars() {
                push_folded(c, &mut out);
            }
            (out != f && !out.is_empty()).then_some(out)
        })
        .collect();
    let mut ids: FxHashMap<Cow<'a, str>, u32> = FxHashMap::default();
    let mut list: Vec<Cow<'a, str>> = Vec::new();
    let mut of = Vec::with_capacity(forms.len());
    for (&f, st) in forms.iter().zip(stemmed) {
        let key: Cow<'a, str> = match st {
            Some(st) => Cow::Owned(st),
            None => Cow::Borrowed(f),
        };
        let id = match ids.get(&key) {
            Some(&id) => id,
            None => {
                let id = list.len() as u32;
                list.push(key.clone());
                ids.insert(key, id);
                id
            }
        };
        of.push(id);
    }
    (list, of)
}

/// Build the index for `records` without stemming: (site-relative path,
/// bytes) of every file, sorted by path.
pub fn build(records: &[Record]) -> Vec<(String, Vec<u8>)> {
    build_with("", records.len(), "", |i| &records[i])
}

/// Build the index for `records` in `language` (see [`stemmer_for`]).
pub fn build_in(language: &str, records: &[Record]) -> Vec<(String, Vec<u8>)> {
    build_with("", records.len(), language, |i| &records[i])
}

/// Where the files of the index called `index` go in the site: `search/`
/// for the main one (`""`), `search/<index>/` for another.
pub fn dir_of(index: &str) -> String {
    if index.is_empty() {
        format!("{DIR}/")
    } else {
        format!("{DIR}/{index}/")
    }
}

/// [`build_in`] for the index called `index` (see [`dir_of`]), of `count`
/// records made on demand by `record(i)`, a chunk at a time: a chunk's
/// records are analysed, their documents' files written, and dropped, so
/// the texts of all of them (most of a large briefing) are never held at
/// once.
pub fn build_with<R: Borrow<Record>>(
    index: &str,
    count: usize,
    language: &str,
    record: impl Fn(usize) -> R + Sync,
) -> Vec<(String, Vec<u8>)> {
    collect(|put| build_into(index, count, language, record, put))
}

/// The files that `fill` hands to its writer (from any thread), gathered
/// and sorted by path: for callers that want an index's files in memory
/// rather than written as they are made.
pub fn collect(fill: impl FnOnce(&(dyn Fn(String, Vec<u8>) + Sync))) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    fill(&|path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// [`build_with`] handing each file to `put` (from any thread, in no
/// particular order) as soon as it is made, instead of holding them all
/// until the end; and the analysis of each chunk of records freed as soon
/// as it is merged.
pub fn build_into<R: Borrow<Record>>(
    index: &str,
    count: usize,
    language: &str,
    record: impl Fn(usize) -> R + Sync,
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    const {
        assert!(
            ANALYSIS_CHUNK.is_multiple_of(CHUNK),
            "documents' files within a chunk"
        )
    };
    let mut chunks: Vec<Analysed> = (0..count.div_ceil(ANALYSIS_CHUNK))
        .into_par_iter()
        .map(|c| {
            let from = c * ANALYSIS_CHUNK;
            let chunk: Vec<R> = (from..count.min(from + ANALYSIS_CHUNK))
                .map(&record)
                .collect();
            for (k, records) in chunk.chunks(CHUNK).enumerate() {
                let (path, bytes) = docs_file(index, from / CHUNK + k, records);
                put(path, bytes);
            }
            analyse(&chunk)
        })
        .collect();

    // One id for every distinct word form, in the order first seen: the
    // chunks' vocabularies merged, each freed as it is (a word is kept
    // once, not once per chunk).
    let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let global: Vec<Vec<u32>> = chunks
        .iter_mut()
        .map(|chunk| {
            std::mem::take(&mut chunk.vocab)
                .into_iter()
                .map(|t| {
                    let next = ids.len() as u32;
                    *ids.entry(t).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut forms: Vec<&str> = vec![""; ids.len()];
    for (t, &id) in &ids {
        forms[id as usize] = t;
    }
    // Each form's stem: the terms of the index.
    let (vocab, stem_of) = stems(&forms, stemmer_for(language));
    debug_assert!(vocab.len() < 1 << 31);

    // Every record's entries become its stems' counts (the forms of a
    // stem in one record added up), chunk by chunk, each chunk's entries
    // replaced as it goes: no array of all of them beside the chunks'.
    // The chunks in a few runs side by side, each with its scratch space
    // (8 bytes a stem: at most four, whatever the number of cores, so the
    // memory peak does not grow with them).
    let runs = rayon::current_num_threads()
        .clamp(1, chunks.len().max(1))
        .min(4);
    let per_run = chunks.len().div_ceil(runs).max(1);
    chunks
        .par_chunks_mut(per_run)
        .zip(global.par_chunks(per_run))
        .for_each(|(chunks, global)| {
            let mut seen = vec![(0u32, 0u32); vocab.len()];
            let (mut mark, mut doc) = (0, Vec::new());
            for (chunk, global) in chunks.iter_mut().zip(global) {
                chunk.merge(global, &stem_of, &mut seen, &mut mark, &mut doc);
            }
        });
    drop(global);
    let total: u64 = chunks
        .iter()
        .flat_map(|c| &c.docs)
        .map(|&(_, len)| u64::from(len))
        .sum();
    let avg = (total as f64 / count.max(1) as f64).max(1.0);

    // How many documents each stem has, then all postings in one array,
    // stem after stem, documents in order; each chunk freed once its
    // postings are in (the array fills as the chunks go).
    let mut df = vec![0u32; vocab.len()];
    for c in &chunks {
        for_each_entry(&c.entries, |st, _, _| df[st as usize] += 1);
    }
    let mut start = Vec::with_capacity(vocab.len() + 1);
    let mut at = 0usize;
    for &n in &df {
        start.push(at);
        at += n as usize;
    }
    start.push(at);
    drop(df);
    let mut next = start.clone();
    let mut postings = vec![0u32; at];
    let mut doc = 0u32;
    for c in chunks {
        let mut from = 0;
        for &(to, len) in &c.docs {
            let norm = K1 * (1.0 - B + B * f64::from(len) / avg);
            for_each_entry(&c.entries[from..to], |st, text, title| {
                let g = st as usize;
                postings[next[g]] = (doc << 6) | weight(text, u16::from(title), norm);
                next[g] += 1;
            });
            from = to;
            doc += 1;
        }
    }
    drop(next);

    // The shards' entries: every stem with its postings, and every form
    // whose stem differs, sorted by text.
    let mut keyed: Vec<Keyed> = (0..vocab.len())
        .into_par_iter()
        .map(|i| {
            let p = &postings[start[i]..start[i + 1]];
            let text: &str = &vocab[i];
            Keyed {
                text,
                entry: Entry::Term { postings: p },
                size: text.len() + encoded_len(p) + 6,
            }
        })
        .collect();
    keyed.par_extend(
        forms
            .par_iter()
            .zip(stem_of.par_iter())
            .filter_map(|(&f, &st)| {
                let stem: &str = &vocab[st as usize];
                (stem != f).then(|| {
                    let prefix = f.starts_with(stem).then(|| stem.chars().count());
                    let size =
                        f.len() + prefix.map_or(stem.len() + 2, |n| if n < 10 { 1 } else { 2 }) + 4;
                    Keyed {
                        text: f,
                        entry: Entry::Form { stem, prefix },
                        size,
                    }
                })
            }),
    );
    // terms before forms of the same text
    keyed.par_sort_unstable_by(|a, b| {
        a.text.cmp(b.text).then_with(|| {
            matches!(a.entry, Entry::Form { .. }).cmp(&matches!(b.entry, Entry::Form { .. }))
        })
    });

    let mut shards = Vec::new();
    split(&keyed, 0, "", 0, &mut shards);

    shards.par_iter().for_each(|(key, range)| {
        let entries = &keyed[range.clone()];
        let size: usize = entries.iter().map(|t| t.size).sum();
        let mut s = String::with_capacity(size + key.len() + 40);
        s.push_str("briefingSearch.add(");
        push_json_str(&mut s, index);
        s.push(',');
        push_json_str(&mut s, key);
        s.push_str(",{");
        let mut first = true;
        for t in entries {
            if let Entry::Term { postings } = t.entry {
                if !first {
                    s.push(',');
                }
                first = false;
                push_json_str(&mut s, t.text);
                s.push_str(":\"");
                encode_postings(postings, &mut s);
                s.push('"');
            }
        }
        s.push('}');
        let mut first = true;
        for t in entries {
            if let Entry::Form { stem, prefix } = t.entry {
                s.push_str(if first { ",{" } else { "," });
                first = false;
                push_json_str(&mut s, t.text);
                s.push(':');
                match prefix {
                    Some(n) => {
                        let _ = write!(s, "{n}");
                    }
                    None => push_json_str(&mut s, stem),
                }
            }
        }
        if !first {
            s.push('}');
        }
        s.push_str(");\n");
        put(
            format!("{}{}", dir_of(index), shard_file(key)),
            s.into_bytes(),
        );
    });

    let mut manifest = String::from("briefingSearch.init(");
    push_json_str(&mut manifest, index);
    let _ = write!(
        manifest,
        ",{{\"docs\":{count},\"chunk\":{CHUNK},\"stemmer\":"
    );
    push_json_str(
        &mut manifest,
        stemmer_for(language).map_or("", |a| algorithm_name(a)),
    );
    manifest.push_str(",\"shards\":[");
    for (i, (key, _)) in shards.iter().enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        push_json_str(&mut manifest, key);
    }
    manifest.push_str("]});\n");
    put(format!("{}index.js", dir_of(index)), manifest.into_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, title: &str, text: &str) -> Record {
        Record {
            path: path.to_string(),
            title: title.to_string(),
            text: text.to_string(),
            kind: "article".to_string(),
            meta: String::new(),
            excerpt: excerpt(text, 40),
            parent: None,
        }
    }

    /// Decode a postings string (the client's algorithm) into (doc, weight).
    fn decode(s: &str) -> Vec<(u32, u32)> {
        let (mut next, mut skipped, mut scale, mut out) = (0, 0, 1, Vec::new());
        for c in s.bytes() {
            if let Some(d) = SKIP.iter().position(|&b| b == c) {
                skipped += d as u32 * scale;
                scale *= SKIP.len() as u32;
            } else {
                let w = B64.iter().position(|&b| b == c).unwrap() as u32;
                let doc = next + skipped;
                out.push((doc, w));
                (next, skipped, scale) = (doc + 1, 0, 1);
            }
        }
        out
    }

    fn file<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
        let f = files.iter().find(|f| f.0 == path).unwrap_or_else(|| {
            panic!(
                "{path} not in {:?}",
                files.iter().map(|f| &f.0).collect::<Vec<_>>()
            )
        });
        std::str::from_utf8(&f.1).unwrap()
    }

    /// The JSON arguments of a `briefingSearch.<call>(…);` file.
    fn args(js: &str, call: &str) -> serde_json::Value {
        if call == "docs" {
            // `docz(index,n,"<compressed>")`: the array inflated in its place
            let text = docs_text(js.as_bytes()).unwrap_or_else(|| panic!("not docs: {js}"));
            let head = js.strip_prefix(DOCS_CALL).unwrap();
            let head = &head[..head.find(",\"").unwrap()];
            let array = std::str::from_utf8(&text).unwrap();
            return serde_json::from_str(&format!("[{head},{array}]")).unwrap();
        }
        let inner = js
            .strip_prefix(&format!("briefingSearch.{call}("))
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("not a {call} call: {js}"));
        serde_json::from_str(&format!("[{inner}]")).unwrap()
    }

    #[test]
    fn terms_are_lowercase_folded_alphanumeric_runs() {
        assert_eq!(
            terms("Erdoğan's U.S. visit: São Paulo, 2024-12-06; Straße ÉTÉ a"),
            [
                "erdogan", "visit", "sao", "paulo", "2024", "12", "06", "strasse", "ete"
            ]
        );
        assert_eq!(
            terms("Łódź, Øresund, Œuvre, Ærø"),
            ["lodz", "oresund", "oeuvre", "aero"]
        );
        assert_eq!(terms("Москва и Київ"), ["москва", "київ"]);
        // ASCII runs are taken as they are or lowercased and joined with
        // what follows
        assert_eq!(
            terms("Russia’s NATO-led x2 ÉTÉ2024 naïve Naïve"),
            ["russia", "nato", "led", "x2", "ete2024", "naive", "naive"]
        );
        assert_eq!(terms("ΟΔΟΣ οδός"), ["οδοσ", "οδόσ"]);
        // nothing survives from punctuation, single letters or huge runs
        assert!(terms("— a b , . x").is_empty());
        assert!(terms(&"x".repeat(41)).is_empty());
        assert_eq!(terms(&"y".repeat(40)), ["y".repeat(40)]);
    }

    #[test]
    fn fold_table_matches_its_rule() {
        let fold = |c: char| {
            let mut s = String::new();
            push_folded(c, &mut s);
            s
        };
        for (c, want) in [
            ('à', "a"),
            ('ç', "c"),
            ('ÿ', "y"),
            ('ğ', "g"),
            ('ş', "s"),
            ('ș', "s"),
            ('ț', "t"),
            ('ž', "z"),
            ('ơ', "o"),
            ('ǖ', "u"),
            ('ð', "ð"),
            ('þ', "þ"),
            ('×', "×"),
            ('ɏ', "ɏ"),
            ('ß', "ss"),
        ] {
            assert_eq!(fold(c), want, "{c}");
        }
        assert_eq!(FOLD.len(), 0x250 - 0xC0);
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("  one two\n three  ", 40), "one two three");
        assert_eq!(excerpt("one two three", 9), "one two…");
        assert_eq!(excerpt("unbreakable", 4), "unbr…");
        assert_eq!(excerpt("", 4), "");
    }

    #[test]
    fn documents_files_are_compressed_scripts_that_inflate_to_their_json() {
        let hostile = "</script><script>alert(1)</script> \"quoted\" & \u{2028} é 中文";
        let records = [record("articles/a/index.html", hostile, hostile)];
        let (path, bytes) = docs_file("notes", 3, &records);
        assert_eq!(path, "search/notes/docs/3.js");
        let js = std::str::from_utf8(&bytes).unwrap();
        assert!(js.starts_with("briefingSearch.docz(\"notes\",3,\""), "{js}");
        assert!(js.ends_with("\");\n"));
        // nothing but base 85 digits in the string
        let inner = &js[js.find(",\"").unwrap() + 2..js.len() - 4];
        assert!(inner.bytes().all(|b| BASE85.contains(&b)), "{inner}");
        let text: serde_json::Value = serde_json::from_slice(&docs_text(&bytes).unwrap()).unwrap();
        assert_eq!(text[0][1], hostile);
        assert_eq!(text[0][0], "articles/a/");
        assert_eq!(docs_text(b"briefingSearch.add(\"\",\"\",{});"), None);
    }

    #[test]
    fn base85_alphabet_is_sorted_distinct_and_safe_in_strings() {
        assert!(BASE85.windows(2).all(|w| w[0] < w[1]));
        assert!(BASE85.iter().all(|b| b.is_ascii_graphic()));
        assert!(!BASE85.iter().any(|b| b"\"\\'<>&`}~".contains(b)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(1000)))]
        /// Every byte string, of every length of its last group (the
        /// largest bytes too, which come closest to overflowing a group),
        /// comes back from base 85, in five characters for four bytes.
        #[test]
        fn base85_round_trips(bytes in proptest::collection::vec(
            proptest::prop_oneof![proptest::prelude::any::<u8>(), proptest::strategy::Just(0xFFu8)],
            0..40,
        )) {
            let mut s = String::new();
            base85(&bytes, &mut s);
            proptest::prop_assert_eq!(s.len(), bytes.len() / 4 * 5 + (bytes.len() % 4).min(1) * (bytes.len() % 4 + 1));
            proptest::prop_assert_eq!(unbase85(s.as_bytes()), Some(bytes));
        }
    }

    #[test]
    fn base85_refuses_what_it_did_not_write() {
        assert_eq!(unbase85(b"!"), None); // a group of one digit
        assert_eq!(unbase85(b"ab\"cd"), None); // not a digit
        assert_eq!(unbase85(b"|||||"), None); // over 32 bits
        assert_eq!(unbase85(b""), Some(vec![]));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(1000)))]
        /// Entries read back as written, whatever the numbers' sizes.
        #[test]
        fn entries_round_trip(entries in proptest::collection::vec(
            (0u32..1 << 31, proptest::prelude::any::<u16>(), proptest::bool::ANY), 0..50)
        ) {
            let mut bytes = Vec::new();
            for &(id, text, title) in &entries {
                push_entry(&mut bytes, id, text, title);
            }
            let mut back = Vec::new();
            for_each_entry(&bytes, |id, text, title| back.push((id, text, title)));
            proptest::prop_assert_eq!(back, entries);
        }
    }

    #[test]
    fn postings_round_trip() {
        let postings: Vec<u32> = [(0, 5), (1, 63), (33, 1), (1000, 20), (70_000, 9)]
            .iter()
            .map(|&(d, w)| (d << 6) | w)
            .collect();
        let mut s = String::new();
        encode_postings(&postings, &mut s);
        assert_eq!(
            decode(&s),
            [(0, 5), (1, 63), (33, 1), (1000, 20), (70_000, 9)]
        );
        assert!(s.bytes().all(|b| B64.contains(&b) || SKIP.contains(&b)));
        assert_eq!(encoded_len(&postings), s.len());
        // the next document costs its weight alone, 31 skipped two digits
        assert_eq!(&s[..5], "F_+#B");
        // nothing JSON or HTML would escape
        assert!(!SKIP.iter().any(|b| b"\"\\<>&'".contains(b)));
        assert!(!SKIP.iter().any(|b| B64.contains(b)));
    }

    #[test]
    fn weights_favour_titles_and_short_documents() {
        let avg = K1;
        let body_once = weight(1, 0, avg);
        assert!(weight(3, 0, avg) > body_once);
        assert!(weight(1, 0, avg * 3.0) < body_once);
        // the title beats any amount of text, and adds to it
        assert!(weight(0, 1, avg) > weight(u16::MAX, 0, 0.01));
        assert!(weight(2, 1, avg) > weight(0, 1, avg));
        assert_eq!(weight(u16::MAX, u16::MAX, 0.01), MAX_WEIGHT);
        assert_eq!(weight(1, 0, 1e9), 1);
    }

    #[test]
    fn index_files_and_postings() {
        let records = vec![
            record(
                "articles/a/index.html",
                "Putin in Minsk",
                "Putin spoke in Minsk.",
            ),
            record(
                "articles/b/index.html",
                "Oreshnik",
                "The missile. Minsk, Minsk!",
            ),
            record("entities/c/index.html", "Caracas", "Capital of Venezuela."),
        ];
        let files = build(&records);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            ["search/docs/0.js", "search/index.js", "search/terms/t.js"]
        );
        let init = args(file(&files, "search/index.js"), "init");
        assert_eq!(
            init,
            serde_json::json!(["", {"docs": 3, "chunk": CHUNK, "stemmer": "", "shards": [""]}])
        );
        let shard = args(file(&files, "search/terms/t.js"), "add");
        assert_eq!(shard[0], "");
        assert_eq!(shard[1], "");
        let map = shard[2].as_object().unwrap();
        let keys: Vec<&String> = map.keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(map.contains_key("in"), "two letters are kept: {keys:?}");
        let docs = |t: &str| -> Vec<u32> {
            decode(map[t].as_str().unwrap())
                .into_iter()
                .map(|p| p.0)
                .collect()
        };
        assert_eq!(docs("minsk"), [0, 1]);
        assert_eq!(docs("putin"), [0]);
        assert_eq!(docs("venezuela"), [2]);
        let w = |t: &str| decode(map[t].as_str().unwrap());
        // a title word beats the same word once in the text
        assert!(w("oreshnik")[0].1 > w("missile")[0].1);
        let d = args(file(&files, "search/docs/0.js"), "docs");
        assert_eq!(d[1], 0);
        assert_eq!(
            d[2][1],
            serde_json::json!([
                "articles/b/",
                "Oreshnik",
                "article",
                "",
                "The missile. Minsk, Minsk!"
            ])
        );
    }

    #[test]
    fn big_shards_split_by_prefix() {
        // 2000 documents, each with its own words: too much for one shard
        let records: Vec<Record> = (0..2000)
            .map(|i| {
                let text = format!("alpha{i} beta{i} bravo{i} gamma common");
                record(&format!("articles/{i}/index.html"), "t", &text)
            })
            .collect();
        let files = build(&records);
        let init = args(file(&files, "search/index.js"), "init");
        let keys: Vec<String> = init[1]["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        assert!(keys.len() > 1, "{keys:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        // every term is in the shard of the longest key prefixing it, and
        // that is the file named after the key
        let mut seen = 0;
        for key in &keys {
            let shard = args(file(&files, &format!("search/{}", shard_file(key))), "add");
            assert_eq!(shard[1], key.as_str());
            for (term, postings) in shard[2].as_object().unwrap() {
                let longest = keys
                    .iter()
                    .filter(|k| term.starts_with(k.as_str()))
                    .max_by_key(|k| k.len())
                    .unwrap();
                assert_eq!(longest, key, "{term}");
                seen += decode(postings.as_str().unwrap()).len();
            }
            let bytes = file(&files, &format!("search/{}", shard_file(key))).len();
            assert!(
                bytes < 2 * SHARD_BYTES || key.chars().count() == MAX_KEY,
                "{key}: {bytes}"
            );
        }
        // alphaN, betaN, bravoN, gamma, common: 5 postings per document
        assert_eq!(seen, 5 * 2000);
    }

    #[test]
    fn records_made_on_demand_are_made_once_each_and_indexed_in_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let count = 3 * ANALYSIS_CHUNK + 5;
        let calls: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
        let files = build_with("", count, "", |i| {
            calls[i].fetch_add(1, Ordering::Relaxed);
            record(
                &format!("articles/{i}/index.html"),
                &format!("T{i}"),
                &format!("w{i} common"),
            )
        });
        assert!(calls.iter().all(|c| c.load(Ordering::Relaxed) == 1));
        // document ids are record positions: each term's one posting is its
        // record, whatever the chunk that analysed it
        for i in [0, ANALYSIS_CHUNK - 1, ANALYSIS_CHUNK, count - 1] {
            let term = format!("w{i}");
            let shard = files
                .iter()
                .filter(|f| f.0.starts_with("search/terms/"))
                .map(|f| args(std::str::from_utf8(&f.1).unwrap(), "add"))
                .find_map(|v| v[2].get(&term).map(|p| p.as_str().unwrap().to_string()))
                .unwrap_or_else(|| panic!("{term} not indexed"));
            assert_eq!(
                decode(&shard).iter().map(|p| p.0).collect::<Vec<_>>(),
                [i as u32]
            );
        }
        let docs = args(
            file(&files, &format!("search/docs/{}.js", (count - 1) / CHUNK)),
            "docs",
        );
        let last = docs[2].as_array().unwrap().last().unwrap();
        assert_eq!(last[1], format!("T{}", count - 1).as_str());
    }

    #[test]
    fn shard_file_names_are_ascii() {
        assert_eq!(shard_file(""), "terms/t.js");
        assert_eq!(shard_file("co"), "terms/tco.js");
        assert_eq!(shard_file("sé"), "terms/ts_e9_.js");
        assert_eq!(shard_file("мо"), "terms/t_43c__43e_.js");
    }

    #[test]
    fn same_records_same_bytes() {
        let records: Vec<Record> = (0..2500)
            .map(|i| {
                record(
                    &format!("articles/{i}/index.html"),
                    &format!("Title {i}"),
                    &format!("word{} shared text {} more{}", i % 97, i % 13, i % 7),
                )
            })
            .collect();
        let a = build(&records);
        let b = build(&records);
        assert_eq!(a.len(), b.len());
        assert!(a == b);
        // the documents in files of CHUNK
        let last = (2500 - 1) / CHUNK;
        assert!(a.iter().any(|f| f.0 == format!("search/docs/{last}.js")));
        assert!(
            !a.iter()
                .any(|f| f.0 == format!("search/docs/{}.js", last + 1))
        );
    }

    #[test]
    fn untrusted_text_cannot_break_out_of_the_script() {
        let evil = "</script><img src=x onerror=alert(1)> & \"q\" \\ \u{2028}";
        let mut r = record("articles/x/index.html", evil, evil);
        r.excerpt = evil.to_string();
        let files = build(&[r]);
        for (path, bytes) in &files {
            let js = std::str::from_utf8(bytes).unwrap();
            assert!(!js.contains('<') && !js.contains('>'), "{path}: {js}");
            assert!(!js.contains('\u{2028}'), "{path}");
        }
        let d = args(file(&files, "search/docs/0.js"), "docs");
        assert_eq!(d[2][0][1], evil);
        assert_eq!(d[2][0][4], evil);
    }

    #[test]
    fn cjk_runs_are_indexed_by_character_pairs() {
        assert_eq!(terms("北京大学"), ["北京", "京大", "大学"]);
        // a lone character is a term; other words around are words
        assert_eq!(
            terms("G7の会議 in 東京"),
            ["g7", "の会", "会議", "in", "東京"]
        );
        assert_eq!(terms("日 本"), ["日", "本"]);
        // Hangul and Katakana too; punctuation between ends a run
        assert_eq!(terms("서울・カタ"), ["서울", "カタ"]);
    }

    #[test]
    fn stemmers_by_language_code() {
        use rust_stemmers::Algorithm;
        assert!(matches!(stemmer_for("en"), Some(Algorithm::English)));
        assert!(matches!(stemmer_for("pt-BR"), Some(Algorithm::Portuguese)));
        assert!(matches!(stemmer_for("nb"), Some(Algorithm::Norwegian)));
        assert!(matches!(stemmer_for("DE"), Some(Algorithm::German)));
        assert!(stemmer_for("ja").is_none());
        assert!(stemmer_for("").is_none());
    }

    #[test]
    fn paths_leave_out_index_html() {
        assert_eq!(short_path("articles/x/index.html"), "articles/x/");
        assert_eq!(short_path("index.html"), "");
        assert_eq!(short_path("index.html#s"), "");
        assert_eq!(
            short_path("annotations/claims/index.html#c"),
            "annotations/claims/"
        );
        assert_eq!(short_path("#a-x"), "");
        assert_eq!(short_path("feed.xml"), "feed.xml");
        assert_eq!(short_path("myindex.html"), "myindex.html");
    }

    #[test]
    fn stems_are_terms_and_forms_point_to_them() {
        let records = vec![
            record(
                "articles/a/index.html",
                "Missiles",
                "The missile was deployed.",
            ),
            record(
                "articles/b/index.html",
                "Deployment",
                "Deploying missiles, 2024.",
            ),
        ];
        let files = build_in("en", &records);
        let init = args(file(&files, "search/index.js"), "init");
        assert_eq!(init[1]["stemmer"], "english");
        let shard = args(file(&files, "search/terms/t.js"), "add");
        let terms = shard[2].as_object().unwrap();
        let forms = shard[3].as_object().unwrap();
        let docs = |t: &str| -> Vec<u32> {
            decode(
                terms[t]
                    .as_str()
                    .unwrap_or_else(|| panic!("{t} not a term: {terms:?}")),
            )
            .into_iter()
            .map(|p| p.0)
            .collect()
        };
        // one posting per document for all the forms of a stem
        assert_eq!(docs("missil"), [0, 1]);
        assert_eq!(docs("deploy"), [0, 1]);
        assert_eq!(docs("2024"), [1]);
        assert!(!terms.contains_key("missiles") && !terms.contains_key("deployed"));
        // forms: how many characters of the form its stem is, or the stem
        assert_eq!(forms["missiles"], 6);
        assert_eq!(forms["missile"], 6);
        assert_eq!(forms["deploying"], 6);
        assert_eq!(forms["deployment"], 6);
        assert!(!forms.contains_key("2024") && !forms.contains_key("the"));
        // "was" stays "was"; a stem that is not a prefix is written out
        let files = build_in(
            "en",
            &[record("p/index.html", "t", "Studies of happy armies.")],
        );
        let shard = args(file(&files, "search/terms/t.js"), "add");
        let forms = shard[3].as_object().unwrap();
        assert_eq!(forms["happy"], "happi");
        assert_eq!(forms["studies"], 5);
        // without a stemmer: no forms
        let files = build(&records);
        let shard = args(file(&files, "search/terms/t.js"), "add");
        assert_eq!(shard.as_array().unwrap().len(), 3);
        assert!(shard[2].as_object().unwrap().contains_key("missiles"));
    }

    /// Every term's postings as a plain build would make them: each
    /// record's terms stemmed one by one, counted per stem in a map, the
    /// weights from the average length; by term, (record, weight) in
    /// record order.
    fn reference_postings(
        records: &[Record],
        language: &str,
    ) -> std::collections::BTreeMap<String, Vec<(u32, u32)>> {
        use std::collections::BTreeMap;
        let algorithm = stemmer_for(language);
        let stem = |t: &str| -> String {
            let (list, of) = stems(&[t], algorithm);
            list[of[0] as usize].to_string()
        };
        let mut buf = String::new();
        // per record: its stems' (text, title) counts, and its length
        type Counted = (BTreeMap<String, (u16, u16)>, u32);
        let mut per_record: Vec<Counted> = Vec::new();
        for r in records {
            let (mut counts, mut len) = (BTreeMap::new(), 0u32);
            for (text, in_title) in [(&r.title, true), (&r.text, false)] {
                for_each_term(text, &mut buf, |t| {
                    let c: &mut (u16, u16) = counts.entry(stem(t)).or_default();
                    if in_title {
                        c.1 = c.1.saturating_add(1);
                    } else {
                        c.0 = c.0.saturating_add(1);
                    }
                    len += 1;
                });
            }
            per_record.push((counts, len));
        }
        let total: u64 = per_record.iter().map(|r| u64::from(r.1)).sum();
        let avg = (total as f64 / records.len().max(1) as f64).max(1.0);
        let mut out: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (doc, (counts, len)) in per_record.into_iter().enumerate() {
            let norm = K1 * (1.0 - B + B * f64::from(len) / avg);
            for (st, (text, title)) in counts {
                out.entry(st)
                    .or_default()
                    .push((doc as u32, weight(text, title, norm)));
            }
        }
        out
    }

    /// Every term's postings as the index's shard files hold them.
    fn built_postings(
        files: &[(String, Vec<u8>)],
    ) -> std::collections::BTreeMap<String, Vec<(u32, u32)>> {
        let mut out = std::collections::BTreeMap::new();
        for (path, bytes) in files {
            if path.starts_with("search/terms/") {
                let shard = args(std::str::from_utf8(bytes).unwrap(), "add");
                for (term, postings) in shard[2].as_object().unwrap() {
                    out.insert(term.clone(), decode(postings.as_str().unwrap()));
                }
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::cases(12)))]
        /// The index's postings, made chunk by chunk with each chunk's
        /// entries merged in place, are those of a plain build: forms of
        /// one stem (in the title, the text, both) added up per record,
        /// across several analysis chunks and merge runs.
        #[test]
        fn postings_equal_a_plain_build(
            words in proptest::collection::vec(
                proptest::collection::vec(0usize..24, 0..12), 2 * ANALYSIS_CHUNK + 1..3 * ANALYSIS_CHUNK + 40),
            titles in proptest::collection::vec(0usize..24, 0..4),
            stemmed in proptest::bool::ANY,
        ) {
            const WORDS: [&str; 24] = [
                "missile", "missiles", "Missiles", "deploy", "deployed", "deploying",
                "deployment", "happy", "happier", "studies", "study", "Minsk", "2024",
                "su30mk2", "a", "Zürich", "zurich", "ÉTÉ", "été", "in", "on", "东京大学",
                "running", "runs",
            ];
            let records: Vec<Record> = words
                .iter()
                .enumerate()
                .map(|(i, ws)| {
                    let text: Vec<&str> = ws.iter().map(|&w| WORDS[w]).collect();
                    // some records have a title of the pool's words
                    let title: Vec<&str> = if i % 3 == 0 {
                        titles.iter().map(|&w| WORDS[(w + i) % WORDS.len()]).collect()
                    } else {
                        vec!["T"]
                    };
                    record(&format!("articles/{i}/index.html"), &title.join(" "), &text.join(" "))
                })
                .collect();
            let language = if stemmed { "en" } else { "" };
            let files = build_in(language, &records);
            proptest::prop_assert_eq!(built_postings(&files), reference_postings(&records, language));
        }
    }
}
