//! Cleaning of text dumps (one block per line group, blank lines between
//! blocks): find the headline, metadata and body paragraphs.

use super::{BlockReport, CleanError, Cleaned, Verdict, markdown::escape_paragraph};

/// A block of the dump with its 1-based starting line.
#[derive(Clone, Debug)]
pub struct RawBlock<'a> {
    pub line: usize,
    pub text: &'a str,
}

/// Split a dump into blocks separated by blank lines.
pub fn blocks(text: &str) -> Vec<RawBlock<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, line)
    let mut pos = 0;
    for (i, line) in text.split('\n').enumerate() {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some((pos, i + 1)),
            (true, Some((s, l))) => {
                out.push(RawBlock {
                    line: l,
                    text: text[s..pos].trim_end_matches('\n').trim(),
                });
                start = None;
            }
            _ => {}
        }
        pos += line.len() + 1;
    }
    if let Some((s, l)) = start {
        out.push(RawBlock {
            line: l,
            text: text[s..].trim(),
        });
    }
    out
}

/// Clean a decoded text dump. (Baseline: first block is the title, blocks of
/// 15 or more words are the body.)
pub fn clean_dump(text: &str) -> Result<Cleaned, CleanError> {
    let blocks = blocks(text);
    let Some(first) = blocks.first() else {
        return Err(CleanError::Empty);
    };
    let title = first.text.lines().next().unwrap_or("").trim().to_string();
    let mut report = Vec::new();
    let mut body = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let words = b.text.split_whitespace().count();
        let (verdict, reason) = if i == 0 {
            (Verdict::Meta, "headline")
        } else if words >= 15 {
            body.push(escape_paragraph(b.text));
            (Verdict::Kept, "body paragraph")
        } else {
            (Verdict::Dropped, "short block")
        };
        report.push(BlockReport {
            line: b.line,
            text: b.text.to_string(),
            verdict,
            reason: reason.into(),
        });
    }
    if body.is_empty() {
        return Err(CleanError::NoArticle {
            why: "no block looks like a paragraph of prose".into(),
        });
    }
    Ok(Cleaned {
        title,
        date: None,
        byline: None,
        figures: Vec::new(),
        body,
        report,
    })
}
