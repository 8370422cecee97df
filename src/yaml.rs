//! Every YAML call in the crate lives here (front matter, `entities.yaml`),
//! so that swapping `serde_yaml` for a fork is a one-file change. Parse
//! errors become [`Problem`]s pointing at the right line and column of the
//! *whole file*, not of the YAML fragment, in plain words
//! ([`plain_error`]: "`kind` must be one of person, place, … (found a
//! list)", not serde's "expected a YAML tag starting with '!'").

use crate::diag::Problem;
use serde::{Serialize, de::DeserializeOwned};
use std::sync::Arc;

/// A Markdown file split into its front matter and body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// Everything after the closing fence (or the whole file).
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Split `---\n…\n---\n` front matter off a Markdown file. An opening fence
/// without a closing one is an error (offset of the opening fence).
pub fn split_front_matter(text: &str) -> Result<Split<'_>, usize> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let t = &text[bom..];
    let first_end = t.find('\n').unwrap_or(t.len());
    if t[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_offset: 0,
            body: text,
            body_offset: 0,
        });
    }
    let yaml_start = bom + first_end + 1;
    let mut pos = yaml_start;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[yaml_start.min(pos)..pos]),
                yaml_offset: yaml_start.min(pos),
                body: &text[body_offset..],
                body_offset,
            });
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
    }
    Err(bom)
}

/// Deserialize YAML that sits at `offset` inside `text` (the whole file),
/// mapping errors to a [`Problem`] at the right place.
pub fn from_str_at<T: DeserializeOwned>(
    file: &str,
    text: &Arc<str>,
    yaml: &str,
    offset: usize,
    what: &str,
) -> Result<T, Problem> {
    // Front matter is nearly always a few `key: value` lines: read those
    // ourselves (serde_yaml was 3% of a large build), anything else with
    // serde_yaml, which also gives the error messages.
    if let Some(v) = simple::parse(yaml)
        && let Ok(t) = serde_json::from_value::<T>(v)
    {
        return Ok(t);
    }
    if let Some(at) = too_deep(yaml) {
        return Err(Problem::at(
            file,
            text.clone(),
            offset + at,
            1,
            format!("{what} is not valid: collections nested more than {MAX_FLOW_DEPTH} deep"),
        )
        .with_help("write the value as a plain list or mapping, nested a few levels at most"));
    }
    // An empty document deserializes as unit; treat it as an empty mapping.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str::<T>(source).map_err(|e| {
        let raw = clean_message(&e.to_string());
        // (serde_yaml gives no line for this one, only a position in its
        // own message: point at the character)
        if raw.contains("control characters are not allowed")
            && let Some((at, c)) = forbidden_char(yaml)
        {
            return Problem::at(
                file,
                text.clone(),
                offset + at,
                1,
                format!(
                    "{what} is not valid YAML: it holds the control character U+{:04X}, which YAML does not allow",
                    u32::from(c)
                ),
            )
            .with_help("delete the character (it is invisible; it often comes from text pasted from another program), or write it as an escape such as `\\x01` inside double quotes");
        }
        let plain = plain_error(what, None, &raw);
        let (at, len) = match e.location() {
            // serde_yaml has no position for a key given twice at the top
            _ if plain.duplicate.is_some() && !yaml.trim().is_empty() => {
                let key = plain.duplicate.as_deref().unwrap_or("");
                match second_key_line(yaml, key) {
                    Some(i) => (offset + i, key.len().max(1)),
                    None => (offset, 1),
                }
            }
            Some(loc) if !yaml.trim().is_empty() => {
                // the value or key there, to the end of its line
                let at = loc.index().min(yaml.len());
                let rest = yaml[at..].lines().next().unwrap_or("").trim_end();
                (offset + at, rest.len().max(1))
            }
            _ => (offset, yaml.lines().next().map_or(1, str::len).max(1)),
        };
        let p = Problem::at(file, text.clone(), at, len, plain.message);
        match plain.help {
            Some(h) => p.with_help(h),
            None => p,
        }
    })
}

/// The first character YAML does not allow in a stream (C0 and C1
/// controls other than tab, line feed, carriage return and NEL; DEL;
/// U+FFFE and U+FFFF), with its byte offset.
fn forbidden_char(yaml: &str) -> Option<(usize, char)> {
    yaml.char_indices().find(|&(_, c)| {
        matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
    })
}

/// serde_yaml appends "at line X column Y" to its messages; we show the
/// position ourselves (relative to the whole file), so drop it.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Offset of the second line of `yaml` that starts with `key:`.
fn second_key_line(yaml: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    let mut seen = 0;
    for line in yaml.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            seen += 1;
            if seen == 2 {
                return Some(pos);
            }
        }
        pos += line.len();
    }
    None
}

/// A deserialization error in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plain {
    /// What is wrong, one sentence without a trailing period.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// The key given twice, for a duplicate key (to find its position).
    pub duplicate: Option<String>,
}

/// What a serde error says, read back into its parts (serde's messages
/// have a fixed form: `invalid type: …, expected …`, `unknown variant …`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum SerdeError {
    InvalidType {
        found: String,
        expected: String,
    },
    UnknownVariant {
        value: String,
        allowed: Vec<String>,
    },
    UnknownField {
        field: String,
        allowed: Vec<String>,
    },
    MissingField(String),
    Duplicate(Option<String>),
    /// Anything else: a syntax error.
    Other(String),
}

impl SerdeError {
    fn parse(msg: &str) -> SerdeError {
        if let Some(rest) = msg.strip_prefix("invalid type: ")
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            return SerdeError::InvalidType {
                found: found.to_string(),
                expected: expected.to_string(),
            };
        }
        if let Some(rest) = msg.strip_prefix("unknown variant ")
            && let Some((value, allowed)) = rest.split_once(", expected ")
        {
            return SerdeError::UnknownVariant {
                value: ticked(value).unwrap_or(value).to_string(),
                allowed: ticked_list(allowed),
            };
        }
        if let Some(rest) = msg.strip_prefix("unknown field ") {
            let (field, allowed) = rest.split_once(", ").unwrap_or((rest, ""));
            return SerdeError::UnknownField {
                field: ticked(field).unwrap_or(field).to_string(),
                allowed: ticked_list(allowed),
            };
        }
        if let Some(rest) = msg.strip_prefix("missing field ") {
            return SerdeError::MissingField(ticked(rest).unwrap_or(rest).to_string());
        }
        if let Some(rest) = msg.strip_prefix("duplicate field ") {
            return SerdeError::Duplicate(Some(ticked(rest).unwrap_or(rest).to_string()));
        }
        if msg == "duplicate key" {
            return SerdeError::Duplicate(None);
        }
        SerdeError::Other(msg.to_string())
    }
}

/// The text between the first pair of backticks.
fn ticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

/// Every backticked word of `expected one of `a`, `b``, `expected `a` or `b``.
fn ticked_list(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's name for what it expected, in plain words.
fn expected_words(e: &str) -> String {
    match e {
        "a string" | "a borrowed string" | "a character" => "text".into(),
        "a sequence" | "a seq" => "a list".into(),
        "a map" | "a mapping" => "a mapping (`key: value` lines)".into(),
        "a boolean" => "true or false".into(),
        "unit" => "empty".into(),
        "a YAML tag starting with '!'" => "a single word".into(),
        e if e.starts_with("struct ") => "a mapping (`key: value` lines)".into(),
        e if e.starts_with("one of ") => e.to_string(),
        e if [
            "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize",
        ]
        .contains(&e)
            || e.contains("integer") =>
        {
            "a whole number".into()
        }
        e => e.trim_start_matches("a ").to_string(),
    }
}

/// serde's name for what it found, in plain words.
fn found_words(f: &str) -> String {
    let value = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|r| r.trim_matches('`').to_string())
    };
    if f == "sequence" {
        "a list".into()
    } else if f == "map" {
        "a mapping".into()
    } else if f == "unit value" || f == "null" {
        "nothing".into()
    } else if let Some(v) = value("integer ").or_else(|| value("floating point ")) {
        format!("the number {v}")
    } else if let Some(v) = value("boolean ") {
        format!("`{v}`")
    } else if let Some(v) = f.strip_prefix("string ") {
        format!("the text {}", crate::diag::fit(v, 60))
    } else if f == "enum" {
        "a tagged value".into()
    } else {
        f.to_string()
    }
}

/// The closest of `names` to `word`, if close enough to suggest.
fn closest<'a>(word: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| {
            (
                strsim::jaro_winkler(&n.to_lowercase(), &word.to_lowercase()),
                n,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.as_str())
}

/// A serde error message (`tags: invalid type: integer `7`, expected a
/// sequence`) in plain words: which key must be what, what was found,
/// and what to do. `what` names the document ("front matter", "the entity
/// registry"); `key` is the key when the message does not say it (TOML's
/// do not).
pub fn plain_error(what: &str, key: Option<&str>, raw: &str) -> Plain {
    // serde_yaml starts with the path: `.[0].kind: `, `figures[0]: `
    let (path, msg) = match raw.split_once(": ") {
        Some((p, m))
            if !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-[]".contains(&b)) =>
        {
            (p, m)
        }
        _ => ("", raw),
    };
    let mut last = path;
    let mut entry = false;
    while let Some(open) = last.strip_suffix(']').and_then(|l| l.rfind('[')) {
        last = &last[..open];
        entry = true;
    }
    let in_path = last.rsplit('.').next().filter(|n| !n.is_empty());
    let name = in_path.or(key);
    let subject = match (name, entry) {
        (Some(n), false) => format!("`{n}`"),
        (Some(n), true) => format!("each entry of `{n}`"),
        (None, true) => format!("each entry of {what}"),
        (None, false) => what.to_string(),
    };
    let k = name.unwrap_or("key");
    let plain = |message: String, help: Option<String>| Plain {
        message,
        help,
        duplicate: None,
    };
    match SerdeError::parse(msg) {
        SerdeError::InvalidType { found, expected } => {
            let exp = expected_words(&expected);
            let help = if exp == "a list" {
                Some(format!(
                    "write a list: `{k}: [a, b]`, or one `- item` per line under `{k}:`"
                ))
            } else if exp == "text" && (found == "sequence" || found == "map") {
                Some(format!(
                    "to write text that starts with `[` or `{{` or holds `: `, put it in quotes: `{k}: \"…\"`"
                ))
            } else if expected == "struct Figure" {
                Some("write each figure as `- caption: …` with an optional `credit: …` line".into())
            } else if exp.starts_with("a mapping") {
                Some("write one `key: value` per line, indented alike".into())
            } else {
                exp.strip_prefix("one of ")
                    .map(|list| format!("write one of: {list}"))
            };
            plain(
                format!("{subject} must be {exp} (found {})", found_words(&found)),
                help,
            )
        }
        SerdeError::UnknownVariant { value, allowed } => {
            let found = match value.trim() {
                "" | "~" | "null" => "nothing".to_string(),
                v => format!("`{}`", crate::diag::fit(v, 60)),
            };
            let first = value.split_whitespace().next().unwrap_or("");
            let help = if value.contains(char::is_whitespace) && allowed.iter().any(|a| a == first)
            {
                Some(format!(
                    "`{first}` is followed by more text: is the next line indented too far?"
                ))
            } else {
                closest(&value, &allowed).map(|c| format!("did you mean `{c}`?"))
            };
            plain(
                format!(
                    "{subject} must be one of {} (found {found})",
                    allowed.join(", ")
                ),
                help,
            )
        }
        SerdeError::UnknownField { field, allowed } => {
            let keys = if allowed.is_empty() {
                "it takes no keys".to_string()
            } else {
                format!("the keys are {}", allowed.join(", "))
            };
            let help = match closest(&field, &allowed) {
                Some(c) => format!("did you mean `{c}`? {keys}"),
                None => keys,
            };
            let place = match (in_path, entry) {
                (Some(n), _) => format!(" in `{n}`"),
                (None, true) => " in this entry".to_string(),
                (None, false) => String::new(),
            };
            plain(format!("unknown key `{field}`{place}"), Some(help))
        }
        SerdeError::MissingField(field) => {
            let whose = match (in_path, entry) {
                (Some(n), true) => format!("an entry of `{n}`"),
                (Some(n), false) => format!("`{n}`"),
                (None, true) => "this entry".to_string(),
                (None, false) => what.to_string(),
            };
            plain(
                format!("{whose} has no `{field}`"),
                Some(format!("add a line `{field}: …`")),
            )
        }
        SerdeError::Duplicate(field) => {
            let field = field.or(key.map(str::to_string));
            let f = field.as_deref().unwrap_or("a key");
            Plain {
                message: format!("`{f}` is given twice"),
                help: Some("keep one of the two lines".into()),
                duplicate: field,
            }
        }
        SerdeError::Other(m) => {
            let help = if m.contains("mapping values are not allowed") {
                "a value holds `: `: put it in quotes, e.g. `title: \"Russia: the deal\"`"
            } else if m.contains("tab") {
                "indent with spaces: YAML does not allow tabs"
            } else if m.contains("did not find expected") || m.contains("could not find expected") {
                "check the indentation and the brackets and quotes on this line"
            } else {
                "check the indentation and quoting here; text with `: `, `#`, `[` or `{` must be quoted"
            };
            plain(
                format!("{what} is not valid YAML: {m}"),
                Some(help.to_string()),
            )
        }
    }
}

/// Deserialize one word of a fixed set (an enum written as a plain
/// word) so that a wrong type says which words are allowed: serde_yaml's
/// own enum support asks for a YAML tag when it finds a list.
pub fn one_of<'de, D, T: Copy>(
    d: D,
    names: &'static [&'static str],
    values: &[T],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Words(&'static [&'static str]);
    impl serde::de::Visitor<'_> for Words {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "one of {}", self.0.join(", "))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|n| *n == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }
    let i = d.deserialize_str(Words(names))?;
    Ok(values[i])
}

/// Deserialize a yes/no key (`draft: true`): `true` or `false`, written
/// plainly or quoted (the simple reader gives every value as text).
/// Anything else says which words are allowed.
pub fn flag<'de, D>(d: D) -> Result<Option<bool>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Flag;
    impl serde::de::Visitor<'_> for Flag {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true or false")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Option<bool>, E> {
            Ok(Some(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<bool>, E> {
            match v.trim() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                "" => Ok(None),
                _ => Err(E::invalid_type(serde::de::Unexpected::Str(v), &self)),
            }
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Flag)
}

/// The top-level keys of YAML front matter as written — a `key:` at the
/// start of a line — with their byte offsets in `yaml`. Indented lines
/// (values, lists, block text) and comments are not keys.
pub fn top_level_keys(yaml: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let l = line.trim_end();
        if let Some(colon) = l.find(':') {
            let key = &l[..colon];
            let after = &l[colon + 1..];
            let plain = key.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
            if plain && (after.is_empty() || after.starts_with([' ', '\t'])) {
                out.push((pos, key.trim_end()));
            }
        }
        pos += line.len();
    }
    out
}

/// A warning for a key no reader of `what` knows: where it is, the known
/// key it is closest to (`drafts` → `draft`) in the message, and every
/// known key in the help. The key is ignored, so this is never an error.
pub fn unknown_key(
    file: &str,
    text: &Arc<str>,
    at: usize,
    key: &str,
    known: &[&str],
    what: &str,
) -> Problem {
    let line_col = crate::diag::line_col(text, at);
    unknown_key_at(file, text, at, line_col, key, known, what)
}

/// [`unknown_key`] with the position's line and column known.
fn unknown_key_at(
    file: &str,
    text: &Arc<str>,
    at: usize,
    line_col: (usize, usize),
    key: &str,
    known: &[&str],
    what: &str,
) -> Problem {
    let names: Vec<String> = known.iter().map(|k| k.to_string()).collect();
    let message = match closest(key, &names) {
        Some(c) => format!("unknown key `{key}` in {what}: did you mean `{c}`?"),
        None => format!("unknown key `{key}` in {what}"),
    };
    Problem::at_line_col(file, text.clone(), at, key.len().max(1), line_col, message)
        .with_help(format!(
            "the keys are {}; this one is ignored",
            known.join(", ")
        ))
        .warning()
}

/// [`unknown_key`] warnings for every top-level key of the front matter
/// `yaml` (at `offset` in `text`) that is not in `known`.
pub fn unknown_keys(
    file: &str,
    text: &Arc<str>,
    yaml: &str,
    offset: usize,
    known: &[&str],
    what: &str,
) -> Vec<Problem> {
    // the keys come in order: their lines are counted in one pass (a
    // count from the start per key was quadratic in the number of keys)
    let mut lines = crate::diag::Lines::new(text);
    top_level_keys(yaml)
        .into_iter()
        .filter(|(_, k)| !known.contains(k))
        .map(|(at, k)| {
            let line_col = lines.line_col(offset + at);
            unknown_key_at(file, text, offset + at, line_col, k, known, what)
        })
        .collect()
}

/// Deserialize YAML, ignoring errors (for best-effort scans).
pub fn from_str_loose<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    if let Some(v) = simple::parse(yaml)
        && let Ok(t) = serde_json::from_value::<T>(v)
    {
        return Some(t);
    }
    if too_deep(yaml).is_some() {
        return None;
    }
    serde_yaml::from_str(yaml).ok()
}

/// Flow collections (`[…]`, `{…}`) nested deeper than this are refused
/// before the YAML library sees them: libyaml's scanner takes time
/// quadratic in their depth (100,000 levels: minutes), and serde_yaml
/// refuses more than 128 levels anyway, after scanning them all.
pub const MAX_FLOW_DEPTH: usize = 100;

/// The offset where flow collections first nest deeper than
/// [`MAX_FLOW_DEPTH`], if they do. One pass; quoted scalars, comments and
/// block scalars are skipped, and a `[` or `{` inside a plain scalar
/// (`title: a[1]`) is text.
fn too_deep(yaml: &str) -> Option<usize> {
    let b = yaml.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    // at the start of a node: where `[`, `{`, a quote or `|`/`>` begin one
    let mut node_start = true;
    let mut line_start = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let space_after = next.is_none_or(|n| n == b' ' || n == b'\t' || n == b'\n' || n == b'\r');
        match c {
            b'\n' => {
                line_start = i + 1;
                if depth == 0 {
                    node_start = true;
                }
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |e| i + e);
                continue;
            }
            b'"' | b'\'' if node_start => {
                // a quoted scalar (`\` escapes in double quotes, `''` in single)
                i += 1;
                while i < b.len() {
                    if c == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        if c == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                node_start = false;
            }
            b'|' | b'>' if node_start && depth == 0 => {
                // a block scalar: the lines indented more than this one
                let indent = b[line_start..].iter().take_while(|&&x| x == b' ').count();
                let mut end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |e| i + e);
                while end < b.len() {
                    let line = end + 1;
                    let stop = memchr::memchr(b'\n', &b[line..]).map_or(b.len(), |e| line + e);
                    let text = &b[line..stop];
                    let lead = text.iter().take_while(|&&x| x == b' ').count();
                    if lead <= indent && lead < text.len() {
                        break;
                    }
                    end = stop;
                }
                i = end;
                continue;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
                node_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            b',' if depth > 0 => node_start = true,
            b':' | b'-' | b'?' if space_after || (depth > 0 && c == b':') => node_start = true,
            _ => node_start = false,
        }
        i += 1;
    }
    None
}

/// The YAML that front matter nearly always is, read without a YAML
/// library: a block mapping of `key: scalar` lines, whose values may also
/// be block sequences of scalars or of such mappings (`tags:`,
/// `figures:`), with plain, single- or double-quoted one-line scalars.
/// Anything else — flow collections, multi-line or block scalars, null,
/// anchors, tabs, unusual escapes, duplicate keys — is `None`, for
/// serde_yaml to read. Where it answers, it reads what serde_yaml reads
/// into strings (a property test compares the two).
mod simple {
    use serde_json::{Map, Value};

    pub fn parse(yaml: &str) -> Option<Value> {
        if yaml.contains('\t') {
            return None;
        }
        let mut lines = yaml
            .lines()
            .map(|l| (indent(l), l.trim_end()))
            .filter(|(_, l)| !l.trim_start().is_empty() && !l.trim_start().starts_with('#'))
            .peekable();
        let mut top = Map::new();
        while let Some((ind, line)) = lines.next() {
            if ind != 0 {
                return None;
            }
            let (key, rest) = key_value(line)?;
            let value = if rest.is_empty() {
                // a block sequence, at this indentation or deeper
                let (seq_ind, first) = *lines.peek()?;
                if !first[seq_ind..].starts_with("- ") {
                    return None;
                }
                let mut items = Vec::new();
                while let Some(&(i, l)) = lines.peek() {
                    if i != seq_ind || !l[i..].starts_with("- ") {
                        break;
                    }
                    lines.next();
                    let item = &l[i + 2..];
                    let item_ind = i + 2 + indent(item);
                    let item = item.trim_start();
                    if let Some((k, v)) = key_value(item).filter(|_| !item.starts_with(['"', '\'']))
                    {
                        // a mapping: this line and those indented like it
                        let mut map = Map::new();
                        map.insert(k.to_string(), scalar(v)?);
                        while let Some(&(j, m)) = lines.peek() {
                            if j != item_ind {
                                break;
                            }
                            lines.next();
                            let (k, v) = key_value(&m[j..])?;
                            if map.insert(k.to_string(), scalar(v)?).is_some() {
                                return None;
                            }
                        }
                        items.push(Value::Object(map));
                    } else {
                        items.push(scalar(item)?);
                    }
                }
                if lines.peek().is_some_and(|&(i, _)| i != 0) {
                    return None;
                }
                Value::Array(items)
            } else {
                scalar(rest)?
            };
            if top.insert(key.to_string(), value).is_some() {
                return None;
            }
        }
        (!top.is_empty()).then_some(Value::Object(top))
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start_matches(' ').len()
    }

    /// `key: rest` (rest trimmed, empty when the line ends at the colon).
    fn key_value(line: &str) -> Option<(&str, &str)> {
        let colon = line.find(':')?;
        let key = &line[..colon];
        let ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let rest = &line[colon + 1..];
        if !ok || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        Some((key, rest.trim()))
    }

    /// One scalar on one line, as a string.
    fn scalar(s: &str) -> Option<Value> {
        let s = s.trim();
        let text = match s.as_bytes().first()? {
            b'"' => double_quoted(s)?,
            b'\'' => single_quoted(s)?,
            _ => plain(s)?,
        };
        Some(Value::String(text))
    }

    fn double_quoted(s: &str) -> Option<String> {
        let mut out = String::with_capacity(s.len());
        let mut chars = s[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return s[1 + i + 1..].is_empty().then_some(out),
                '\\' => match chars.next()?.1 {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    _ => return None,
                },
                c => out.push(c),
            }
        }
        None
    }

    fn single_quoted(s: &str) -> Option<String> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s.strip_prefix('\'')?;
        loop {
            let q = rest.find('\'')?;
            out.push_str(&rest[..q]);
            rest = &rest[q + 1..];
            match rest.strip_prefix('\'') {
                Some(more) => {
                    out.push('\'');
                    rest = more;
                }
                None => return rest.is_empty().then_some(out),
            }
        }
    }

    /// A plain scalar that YAML reads as this very text: no indicator at
    /// its start, no `: ` or ` #` inside, not null.
    fn plain(s: &str) -> Option<String> {
        let first = s.as_bytes()[0];
        if b"-?:,[]{}#&*!|>'\"%@`".contains(&first)
            || s.contains(": ")
            || s.contains(" #")
            || s.ends_with(':')
            || matches!(s, "null" | "Null" | "NULL" | "~")
        {
            return None;
        }
        Some(s.to_string())
    }
}

/// Serialize a value as YAML (for front matter written by `clean`).
/// Strings are quoted by the serializer whenever YAML would misread them.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect("serializing plain data to YAML cannot fail")
}

/// A parsed YAML value, for callers that inspect loosely typed data.
pub type Value = serde_yaml::Value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_character_is_pointed_at() {
        let text: Arc<str> = "- name: A\n  kind: other\n  description: \"a\u{1}b\"\n".into();
        let e = from_str_at::<Value>("entities.yaml", &text, &text, 0, "the entity registry")
            .unwrap_err();
        assert_eq!((e.line, e.column), (3, 18), "{}", e.message);
        assert!(e.message.contains("U+0001"), "{}", e.message);
        // a NUL after the last line, too
        let text: Arc<str> = "- name: A\n  kind: other\n\0".into();
        let e = from_str_at::<Value>("entities.yaml", &text, &text, 0, "the entity registry")
            .unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{}", e.message);
    }

    #[test]
    fn deep_flow_collections_are_refused_before_parsing() {
        let deep = |open: &str, n: usize| format!("title: A\nx: {}\n", open.repeat(n));
        assert_eq!(too_deep(&deep("[", 100)), None);
        assert_eq!(too_deep(&deep("[", 101)), Some(12 + 100));
        assert!(too_deep(&deep("{a: ", 100_000)).is_some());
        assert!(too_deep(&deep("[{a: ", 60)).is_some());
        assert!(too_deep(&format!("- name: {}", "[".repeat(100_000))).is_some());
        // text, not collections
        for text in [
            format!("title: a{}\n", "[".repeat(200)),
            format!("title: \"{}\"\n", "[".repeat(200)),
            format!("title: '{}''{}'\n", "[".repeat(200), "{".repeat(200)),
            format!("title: A # {}\n", "[".repeat(200)),
            format!("summary: |\n  {}\n  more\ntitle: A\n", "[".repeat(200)),
            format!(
                "summary: >-\n    {}\n\n    {}\ntitle: A\n",
                "[".repeat(200),
                "{".repeat(200)
            ),
            "tags: [a, [b, c], {d: e}]\n".to_string(),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
        }
        let text: Arc<str> = Arc::from(format!("---\n{}---\n", deep("{a: ", 100_000)));
        let e =
            from_str_at::<serde_json::Value>("content/a.md", &text, &text[4..], 4, "front matter")
                .unwrap_err();
        assert_eq!(
            e.headline(),
            "content/a.md:3:404: error: front matter is not valid: collections nested more than 100 deep"
        );
    }
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
    }

    #[test]
    fn splits_front_matter() {
        let t = "---\ntitle: x\n---\nbody\n";
        let s = split_front_matter(t).unwrap();
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.yaml_offset, 4);
        assert_eq!(s.body, "body\n");
        assert_eq!(&t[s.body_offset..], "body\n");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split_front_matter("# hi\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# hi\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split_front_matter("---\ntitle: x\nbody\n"), Err(0));
    }

    /// What front matter holds (as `content::FrontMatter` does).
    #[derive(Deserialize, Debug, PartialEq)]
    struct Front {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        date: Option<String>,
        #[serde(default)]
        summary: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        figures: Vec<Fig>,
        #[serde(default)]
        url: Option<String>,
        #[serde(default)]
        published: Option<String>,
    }

    #[derive(Deserialize, serde::Serialize, Debug, PartialEq, Clone)]
    struct Fig {
        caption: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credit: Option<String>,
    }

    #[test]
    fn front_matter_as_clean_writes_it_is_read_without_serde_yaml() {
        let y = "title: \"60 lawmakers: the \\\"deal\\\"\"\nslug: a-b\ndate: 2024-06-02T14:39:00\nbyline: 'O''Brien'\nsummary: Plain text, with commas.\nfigures:\n- caption: Putin said\n  credit: Alamy\n- caption: Another\ntags:\n  - \"Goma\"\n  - France\n";
        let v = simple::parse(y).expect("the simple reader reads it");
        let fast: Front = serde_json::from_value(v).unwrap();
        let slow: Front = serde_yaml::from_str(y).unwrap();
        assert_eq!(fast, slow);
        assert_eq!(fast.title.as_deref(), Some("60 lawmakers: the \"deal\""));
        assert_eq!(fast.figures.len(), 2);
        assert_eq!(fast.tags, ["Goma", "France"]);
    }

    #[test]
    fn provenance_as_clean_writes_it_is_read_without_serde_yaml() {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            url: &'a str,
            published: &'a str,
        }
        for url in [
            "https://news.example/2024/12/06/story",
            "http://news.example:8080/a?b=1&c=d#frag",
            "https://news.example/a:b/c;d,e~f%20g",
            "https://xn--caf-dma.example/é?q=a+b",
        ] {
            let y = to_string(&Out {
                url,
                published: "2024-12-06T15:39:00+01:00",
            });
            let v = simple::parse(&y).unwrap_or_else(|| panic!("the simple reader reads {y:?}"));
            let fast: Front = serde_json::from_value(v).unwrap();
            let slow: Front = serde_yaml::from_str(&y).unwrap();
            assert_eq!(fast, slow);
            assert_eq!(fast.url.as_deref(), Some(url));
            assert_eq!(fast.published.as_deref(), Some("2024-12-06T15:39:00+01:00"));
        }
    }

    #[test]
    fn unusual_yaml_is_left_to_serde_yaml() {
        for y in [
            "title: [a, b]\n",
            "title: |\n  block\n",
            "title: null\n",
            "title: a: b\n",
            "title: \"multi\n  line\"\n",
            "title: x\ntitle: y\n",
            "title: &a x\n",
            "title: \"\\u00e9\"\n",
            "summary: first line\n  continued\n",
            "key:\n  nested: map\n",
            "title: x # comment\n",
        ] {
            assert!(simple::parse(y).is_none(), "{y:?}");
        }
    }

    proptest::proptest! {
        /// Wherever the simple reader answers, it reads what serde_yaml
        /// reads: for front matter written by serde_yaml (as `clean`
        /// does) from any text, and for lines put together by hand.
        #[test]
        fn the_simple_reader_agrees_with_serde_yaml(
            title in r##"[ a-zA-Z0-9:#'"\\&*!|>%@`,\[\]{}?~.é“-]{0,24}"##,
            tags in proptest::collection::vec(r##"[ a-z0-9:#'"-]{0,8}"##, 0..4),
            caption in r##"[ a-z:'"#-]{0,12}"##,
            url in r##"(https?://)?[a-z.:\[\]-]{0,10}(/[a-zA-Z0-9%?&=#:;,.~_+ '"-]{0,10}){0,3}"##,
            style in 0..3u8,
            raw in proptest::collection::vec(proptest::sample::select(vec![
                "title: ", "tags:", "\n", "- ", "  - ", "  ", "x", "\"", "'", ":", " #", "#",
                "caption: ", "null", "~", "-", "\\", "\\n", "é", "[a]", "{b: c}", "1.5", "\t",
                "url: ", "https://a.example", "/p?q=1&r", "#frag", ":8080", "%20", "published: ",
                "2024-12-06T15:39:00+01:00",
            ]), 0..14),
        ) {
            #[derive(serde::Serialize)]
            struct Out<'a> { title: &'a str, tags: &'a [String], figures: Vec<Fig>, url: &'a str }
            let written = serde_yaml::to_string(&Out {
                title: &title,
                tags: &tags,
                figures: vec![Fig { caption: caption.clone(), credit: Some(title.clone()) }],
                url: &url,
            }).unwrap();
            let quoted = match style {
                0 => format!("title: {title}\n"),
                1 => format!("title: '{}'\n", title.replace('\'', "''")),
                _ => format!("title: \"{}\"\n", title.replace('\\', "\\\\").replace('"', "\\\"")),
            };
            let url_line = format!("url: {url}\npublished: {caption}\n");
            let by_hand: String = raw.concat();
            for y in [written.as_str(), quoted.as_str(), url_line.as_str(), by_hand.as_str()] {
                if let Some(v) = simple::parse(y) {
                    let fast = serde_json::from_value::<Front>(v);
                    let slow = serde_yaml::from_str::<Front>(y);
                    if let Ok(fast) = fast {
                        proptest::prop_assert_eq!(Some(&fast), slow.as_ref().ok(), "{:?}", y);
                    }
                }
            }
        }
    }

    /// serde's messages, as serde_yaml and toml word them, in plain words.
    #[test]
    fn serde_errors_in_plain_words() {
        let plain = |what: &str, raw: &str| {
            let p = plain_error(what, None, raw);
            (p.message, p.help.unwrap_or_default())
        };
        let kinds = "`person`, `place`, `organisation`, `weapon`, `event`, `other`";
        assert_eq!(
            plain(
                "the entity registry",
                ".[0].kind: invalid type: sequence, expected one of person, place, organisation, weapon, event, other"
            ),
            (
                "`kind` must be one of person, place, organisation, weapon, event, other (found a list)".into(),
                "write one of: person, place, organisation, weapon, event, other".into()
            )
        );
        assert_eq!(
            plain(
                "the entity registry",
                &format!(".[0].kind: unknown variant `persn`, expected one of {kinds}")
            )
            .1,
            "did you mean `person`?"
        );
        assert_eq!(
            plain(
                "the entity registry",
                &format!(".[0].kind: unknown variant `person aliases`, expected one of {kinds}")
            )
            .1,
            "`person` is followed by more text: is the next line indented too far?"
        );
        assert_eq!(
            plain(
                "the entity registry",
                &format!(".[0].kind: unknown variant ``, expected one of {kinds}")
            )
            .0,
            "`kind` must be one of person, place, organisation, weapon, event, other (found nothing)"
        );
        assert_eq!(
            plain(
                "front matter",
                "tags: invalid type: integer `7`, expected a sequence"
            )
            .0,
            "`tags` must be a list (found the number 7)"
        );
        assert_eq!(
            plain("front matter", "title: invalid type: sequence, expected a string"),
            (
                "`title` must be text (found a list)".into(),
                "to write text that starts with `[` or `{` or holds `: `, put it in quotes: `title: \"…\"`".into()
            )
        );
        assert_eq!(
            plain(
                "front matter",
                "figures[0]: invalid type: string \"unclosed\", expected struct Figure"
            )
            .0,
            "each entry of `figures` must be a mapping (`key: value` lines) (found the text \"unclosed\")"
        );
        assert_eq!(
            plain(
                "the entity registry",
                ".[0].aliases[0]: invalid type: sequence, expected a string"
            )
            .0,
            "each entry of `aliases` must be text (found a list)"
        );
        assert_eq!(
            plain(
                "the entity registry",
                "invalid type: map, expected a sequence"
            )
            .0,
            "the entity registry must be a list (found a mapping)"
        );
        assert_eq!(
            plain(
                "the entity registry",
                ".[0]: unknown field `alias`, expected one of `name`, `kind`, `aliases`, `description`"
            ),
            (
                "unknown key `alias` in this entry".into(),
                "did you mean `aliases`? the keys are name, kind, aliases, description".into()
            )
        );
        assert_eq!(
            plain("the entity registry", ".[0]: missing field `kind`"),
            (
                "this entry has no `kind`".into(),
                "add a line `kind: …`".into()
            )
        );
        assert_eq!(
            plain("front matter", "figures[0]: missing field `caption`").0,
            "an entry of `figures` has no `caption`"
        );
        assert_eq!(
            plain("front matter", "duplicate field `date`").0,
            "`date` is given twice"
        );
        assert_eq!(
            plain(
                "front matter",
                "mapping values are not allowed in this context"
            ),
            (
                "front matter is not valid YAML: mapping values are not allowed in this context"
                    .into(),
                "a value holds `: `: put it in quotes, e.g. `title: \"Russia: the deal\"`".into()
            )
        );
    }

    #[test]
    fn a_key_given_twice_points_at_the_second() {
        let text: Arc<str> = Arc::from("---\ntitle: A\ndate: 2024-01-01\ndate: x\n---\n");
        let s = split_front_matter(&text).unwrap();
        let e = from_str_at::<crate::content::FrontMatter>(
            "a.md",
            &text,
            s.yaml.unwrap(),
            s.yaml_offset,
            "front matter",
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (4, 1, "`date` is given twice")
        );
    }

    #[test]
    fn errors_point_into_the_file() {
        let text: Arc<str> = Arc::from("---\ntitle: [x\n---\n");
        let s = split_front_matter(&text).unwrap();
        let e = from_str_at::<Fm>(
            "a.md",
            &text,
            s.yaml.unwrap(),
            s.yaml_offset,
            "front matter",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{}", e.render_plain());
        assert_eq!(e.message, "`title` must be text (found a list)");
    }
}
