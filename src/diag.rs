//! Diagnostics: what went wrong, where (file, line, column), the offending
//! line, and what to do about it.
//!
//! Every stage reports bad input as a [`Problem`] instead of panicking; a
//! build collects all of them ([`Problems`]) so the analyst sees every
//! mistake at once. [`Problem`] is a `miette::Diagnostic`, so the terminal
//! shows the source snippet; [`Problem::headline`] gives the one-line
//! `file:line:col: message` form used in logs, tests and the browser
//! overlay.

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Severity of a [`Problem`]: errors fail `briefing build`, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One diagnostic about one input file.
#[derive(Clone, Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct Problem {
    pub severity: Severity,
    /// What is wrong, one sentence, no trailing period.
    pub message: String,
    /// The file as shown to the user (project-relative when possible).
    pub file: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    /// What to do about it.
    #[help]
    pub help: Option<String>,
    /// 1-based line and column of `span` (0, 0 when the problem is about the
    /// whole file).
    pub line: usize,
    pub column: usize,
}

impl Problem {
    /// A problem at byte `offset..offset+len` of `text` (the file's content).
    pub fn at(
        file: impl Into<String>,
        text: Arc<str>,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Problem {
        let file = file.into();
        let offset = offset.min(text.len());
        let len = len.min(text.len() - offset);
        let (line, column) = line_col(&text, offset);
        Problem {
            severity: Severity::Error,
            message: message.into(),
            src: NamedSource::new(file.clone(), text),
            file,
            span: Some(SourceSpan::new(offset.into(), len)),
            label: "here".into(),
            help: None,
            line,
            column,
        }
    }

    /// A problem about a whole file (unreadable, empty, binary).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Problem {
        let file = file.into();
        Problem {
            severity: Severity::Error,
            message: message.into(),
            src: NamedSource::new(file.clone(), Arc::from("")),
            file,
            span: None,
            label: String::new(),
            help: None,
            line: 0,
            column: 0,
        }
    }

    /// A file-system operation on `file` that failed: "cannot {doing}:
    /// {error}", with what to do for the usual causes (a full disk, no
    /// permission, a read-only file system) and `then` — what the failure
    /// left as it was, or what to do next — after it.
    pub fn io(file: impl Into<String>, doing: &str, e: &std::io::Error, then: &str) -> Problem {
        use std::io::ErrorKind as K;
        let file = file.into();
        let what = match e.kind() {
            K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
                "the disk (or your quota) is full: free some space"
            }
            K::PermissionDenied => "check the permissions of this path and of its directory",
            K::ReadOnlyFilesystem => "this file system is mounted read-only",
            K::NotADirectory | K::IsADirectory | K::AlreadyExists => {
                "a file or directory is in the way: move it aside"
            }
            _ => "fix what the error names",
        };
        let then = if then.is_empty() {
            String::new()
        } else {
            format!("; {then}")
        };
        Problem::file(file, format!("cannot {doing}: {e}")).with_help(format!("{what}{then}"))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Problem {
        self.label = label.into();
        self
    }

    pub fn warning(mut self) -> Problem {
        self.severity = Severity::Warning;
        self
    }

    /// `file:line:col: error: message` (or `file: error: message`).
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            format!(
                "{}:{}:{}: {sev}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            format!("{}: {sev}: {}", self.file, self.message)
        }
    }

    /// The text of the line the problem points at, if any.
    pub fn offending_line(&self) -> Option<String> {
        if self.line == 0 {
            return None;
        }
        let text = self.src.inner();
        // never echo control characters (a binary file) to a terminal
        text.lines().nth(self.line - 1).map(|l| {
            l.chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect()
        })
    }

    /// A compact, plain-text rendering: headline, offending line with a
    /// caret, help. Deterministic (no colours), for logs, tests and CI.
    pub fn render_plain(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(line) = self.offending_line() {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            out.push_str(&format!("{pad} |\n{num} | {line}\n"));
            // column is in characters, 1-based
            let caret_pad: String = line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = self
                .span
                .map(|s| {
                    let start = s.offset();
                    let text = self.src.inner();
                    let end = (start + s.len()).min(text.len());
                    text.get(start..end)
                        .map(|t| t.lines().next().unwrap_or("").chars().count())
                        .unwrap_or(1)
                })
                .unwrap_or(1)
                .max(1);
            out.push_str(&format!("{pad} | {caret_pad}{}", "^".repeat(width)));
            if !self.label.is_empty() && self.label != "here" {
                out.push(' ');
                out.push_str(&self.label);
            }
            out.push('\n');
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out
    }

    /// Serializable summary for the live-reload overlay.
    pub fn to_overlay(&self) -> OverlayProblem {
        OverlayProblem {
            severity: self.severity,
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: self.message.clone(),
            source_line: self.offending_line(),
            help: self.help.clone(),
        }
    }
}

/// What the browser overlay shows for one problem.
#[derive(Clone, Debug, Serialize)]
pub struct OverlayProblem {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub source_line: Option<String>,
    pub help: Option<String>,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Every problem found by one run, in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.severity == Severity::Error)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
    /// Sort by file, then position, so output is deterministic.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
    }
    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            f.write_str(&p.render_plain())?;
        }
        Ok(())
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems(vec![p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncé d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('d').unwrap()), (2, 4));
    }

    #[test]
    fn an_io_problem_names_the_path_and_what_to_do() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let p = Problem::io(
            "site/index.html",
            "write the new site",
            &full,
            "the previous site is unchanged",
        );
        let r = p.render_plain();
        assert!(
            r.starts_with("site/index.html: error: cannot write the new site: "),
            "{r}"
        );
        assert!(
            r.contains("= help: the disk (or your quota) is full: free some space; the previous site is unchanged"),
            "{r}"
        );
    }

    #[test]
    fn plain_rendering_points_at_the_span() {
        let text: Arc<str> = Arc::from("---\ntitle: [oops\n---\n");
        let p = Problem::at(
            "content/a.md",
            text,
            11,
            5,
            "front matter is not valid YAML",
        )
        .with_help("close the bracket");
        let r = p.render_plain();
        assert!(
            r.starts_with("content/a.md:2:8: error: front matter is not valid YAML\n"),
            "{r}"
        );
        assert!(r.contains("2 | title: [oops\n"), "{r}");
        assert!(r.contains("  |        ^^^^^\n"), "{r}");
        assert!(r.contains("= help: close the bracket"), "{r}");
    }
}
