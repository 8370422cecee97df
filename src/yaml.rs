//! Every YAML call in the crate lives here (front matter, `entities.yaml`),
//! so that swapping `serde_yaml` for a fork is a one-file change. Parse
//! errors become [`Problem`]s pointing at the right line and column of the
//! *whole file*, not of the YAML fragment.

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
    // An empty document deserializes as unit; treat it as an empty mapping.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str::<T>(source).map_err(|e| {
        let (at, len) = match e.location() {
            Some(loc) if !yaml.trim().is_empty() => (offset + loc.index().min(yaml.len()), 1),
            _ => (offset, yaml.lines().next().map_or(1, str::len).max(1)),
        };
        let msg = clean_message(&e.to_string());
        Problem::at(
            file,
            text.clone(),
            at,
            len,
            format!("{what} is not valid: {msg}"),
        )
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

/// Deserialize YAML, ignoring errors (for best-effort scans).
pub fn from_str_loose<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    serde_yaml::from_str(yaml).ok()
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
        assert!(
            e.message.starts_with("front matter is not valid:"),
            "{}",
            e.message
        );
    }
}
