//! Diagnostics: what went wrong, where (file, line, column), the offending
//! line, and what to do about it.
//!
//! Every stage reports bad input as a [`Problem`] instead of panicking; a
//! build collects all of them ([`Problems`]) so the analyst sees every
//! mistake at once. [`Problem`] is a `miette::Diagnostic`, so the terminal
//! shows the source snippet; [`Problem::headline`] gives the one-line
//! `file:line:col: message` form used in logs, tests and the browser
//! overlay.
//!
//! Root cause first, no cascade: [`Problems::sort`] puts the files others
//! depend on (`briefing.toml`, `entities.yaml`, templates, …) before those
//! that depend on them, and [`Problems::coalesce`] shows a problem repeated
//! for many files (a full disk) once, with a count. Nothing printed grows
//! with the input: help is capped at [`HELP_MAX`] characters and a long
//! source line is shown as a window around the column.

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Serialize;
use std::fmt;
use std::io::{self, IsTerminal};
use std::sync::Arc;

/// The longest help text shown, in characters; longer help is cut with
/// `…` (the code that makes help keeps it shorter: this is a backstop),
/// so that no printed line is longer than 300 characters.
pub const HELP_MAX: usize = 290;
/// The longest message shown in a headline, in characters.
pub const MESSAGE_MAX: usize = 240;
/// The widest source line shown under a headline, in characters; a longer
/// line is shown as a window of this width around the column.
pub const SOURCE_WIDTH: usize = 160;

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
    /// What kind of problem this is, for problems that are coalesced or
    /// summarised rather than shown one by one (see [`codes`]).
    pub code: Option<&'static str>,
    /// The files of the same problems merged into this one by
    /// [`Problems::coalesce`] (empty when it stands alone).
    pub also: Vec<String>,
    /// What else this problem breaks, in one line (see
    /// [`Problems::summarise_unchecked`]).
    pub note: Option<String>,
    /// For a problem that exists only because another file did not load
    /// (a wikilink into it): that file, under whose problem it is
    /// summarised ([`Problems::summarise_unchecked`]).
    pub depends_on: Option<String>,
}

/// Problem codes (see [`Problem::code`]).
pub mod codes {
    /// A file-system error ([`super::Problem::io`]): the same cause on many
    /// files is shown once.
    pub const IO: &str = "io";
    /// A wikilink that could not be checked because what it points into
    /// (`entities.yaml`, an article) did not load: summarised in one line
    /// under the root cause, never shown on its own.
    pub const UNCHECKED_LINK: &str = "unchecked-link";
    /// An annotation file whose article did not load (see
    /// [`UNCHECKED_LINK`]).
    pub const UNCHECKED_FILE: &str = "unchecked-file";
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
        let at = offset.min(text.len());
        let (line, column) = line_col(&text, at);
        Problem::at_line_col(file, text, offset, len, (line, column), message)
    }

    /// [`Problem::at`] with the line and column of `offset` already known
    /// (from a [`Lines`] walking many problems of one file in order).
    pub fn at_line_col(
        file: impl Into<String>,
        text: Arc<str>,
        offset: usize,
        len: usize,
        (line, column): (usize, usize),
        message: impl Into<String>,
    ) -> Problem {
        let file = file.into();
        let offset = offset.min(text.len());
        let len = len.min(text.len() - offset);
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
            code: None,
            also: Vec::new(),
            note: None,
            depends_on: None,
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
            code: None,
            also: Vec::new(),
            note: None,
            depends_on: None,
        }
    }

    /// A file-system error while `doing` (`"read"`, `"write"`, …) `path`,
    /// in plain words with what to do: the cause (permission, read-only
    /// disk, full disk, a file where a directory should be) and the path.
    pub fn io(path: impl Into<String>, doing: &str, err: &io::Error) -> Problem {
        let path = path.into();
        let (why, help) = io_words(&path, doing, err);
        Problem::file(path.clone(), format!("cannot {doing} {path}: {why}"))
            .with_help(help)
            .with_code(codes::IO)
    }

    /// A file-system operation on `file` that failed while `doing`
    /// something (which names what it worked on): "cannot {doing}: {why}",
    /// with what to do for the cause and `then` — what the failure left as
    /// it was, or what to do next — after it.
    pub fn io_then(file: impl Into<String>, doing: &str, err: &io::Error, then: &str) -> Problem {
        let file = file.into();
        let (why, help) = io_words(&file, doing, err);
        let help = if then.is_empty() {
            help
        } else {
            format!("{help}; {then}")
        };
        Problem::file(file, format!("cannot {doing}: {why}"))
            .with_help(help)
            .with_code(codes::IO)
    }

    /// `path` is a file where briefing needs a directory (`content`,
    /// `annotations`, `site`, …): `needed` says what the directory holds.
    pub fn not_a_directory(path: impl Into<String>, needed: &str) -> Problem {
        let path = path.into();
        Problem::file(
            path.clone(),
            format!("{path} is a file, but it must be a directory ({needed})"),
        )
        .with_help(format!(
            "move or rename the file `{path}`, then run briefing again (it makes the directory)"
        ))
        .with_code(codes::IO)
    }

    pub fn with_code(mut self, code: &'static str) -> Problem {
        self.code = Some(code);
        self
    }

    /// This problem as one that is not checked because `file` did not
    /// load (`code`: [`codes::UNCHECKED_LINK`] or
    /// [`codes::UNCHECKED_FILE`]): a warning, summarised under `file`'s
    /// own problem by [`Problems::summarise_unchecked`].
    pub fn unchecked(mut self, code: &'static str, file: impl Into<String>) -> Problem {
        self.code = Some(code);
        self.depends_on = Some(file.into());
        self.severity = Severity::Warning;
        self
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
        let message = printable(&fit(&self.message, MESSAGE_MAX)).replace('\n', "\\n");
        let file = printable(&self.file).replace('\n', "\\n");
        if self.line > 0 {
            format!("{file}:{}:{}: {sev}: {message}", self.line, self.column)
        } else {
            format!("{file}: {sev}: {message}")
        }
    }

    /// The help as shown: at most [`HELP_MAX`] characters.
    pub fn shown_help(&self) -> Option<String> {
        self.help.as_deref().map(|h| fit(h, HELP_MAX))
    }

    /// The note under a coalesced problem: how many more files had it.
    pub fn also_note(&self) -> Option<String> {
        let n = self.also.len();
        if n == 0 {
            return None;
        }
        if self.also.iter().all(|f| *f == self.file) {
            if self.code == Some(codes::IO) {
                return None; // the same path and cause: once is enough
            }
            return Some(format!("the same problem was found {n} more time(s)"));
        }
        let mut names: Vec<&str> = Vec::new();
        for f in &self.also {
            if !names.contains(&f.as_str()) && names.len() < 3 {
                names.push(f);
            }
        }
        let more = if n > names.len() { ", …" } else { "" };
        Some(format!("the same for {n} more: {}{more}", names.join(", ")))
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
    /// Every line is short: a long source line is shown as a window around
    /// the column, long help is cut.
    pub fn render_plain(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(line) = self.offending_line() {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // the span's width on its first line, in characters
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
            let (shown, col) = window(&line, self.column.saturating_sub(1), SOURCE_WIDTH);
            out.push_str(&format!("{pad} |\n{num} | {shown}\n"));
            // column is in characters, 1-based
            let caret_pad: String = shown
                .chars()
                .take(col)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = width.min(shown.chars().count().saturating_sub(col)).max(1);
            out.push_str(&format!("{pad} | {caret_pad}{}", "^".repeat(width)));
            if !self.label.is_empty() && self.label != "here" {
                out.push(' ');
                out.push_str(&self.label);
            }
            out.push('\n');
        }
        if let Some(help) = self.shown_help() {
            out.push_str(&format!("  = help: {help}\n"));
        }
        for note in self.note.iter().cloned().chain(self.also_note()) {
            out.push_str(&format!("  = note: {}\n", fit(&note, HELP_MAX)));
        }
        printable(&out).into_owned()
    }

    /// Serializable summary for the live-reload overlay.
    pub fn to_overlay(&self) -> OverlayProblem {
        OverlayProblem {
            severity: self.severity,
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: fit(&self.message, MESSAGE_MAX),
            source_line: self
                .offending_line()
                .map(|l| window(&l, self.column.saturating_sub(1), SOURCE_WIDTH).0),
            help: {
                let notes: Vec<String> =
                    self.note.iter().cloned().chain(self.also_note()).collect();
                match (self.shown_help(), notes.is_empty()) {
                    (h, true) => h,
                    (Some(h), false) => Some(format!("{h} ({})", notes.join("; "))),
                    (None, false) => Some(notes.join("; ")),
                }
            },
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

/// The message of a caught panic (`panic!` payloads are a `&str` or a
/// `String`), for the diagnostic that reports it.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".to_string()
    }
}

/// Whether `text` holds a character [`printable`] would escape.
fn has_control(text: &str) -> bool {
    text.chars().any(escaped)
}

/// Characters a terminal must not receive from hostile text: controls
/// (escape sequences, bells, backspaces; not tab or line feed) and the
/// bidirectional overrides that reorder what is shown.
fn escaped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character [`escaped`] names written as an escape
/// (`\u{1b}`), for printing to a terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_control(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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

/// [`line_col`] for increasing offsets into one text, in one pass over it:
/// many problems of one file (a front matter of 50,000 unknown keys)
/// cost the file's length, not its length per problem.
pub struct Lines<'a> {
    text: &'a str,
    /// Where the count stopped, and the line it is on.
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line and column of `offset` (as [`line_col`]); an
    /// offset before the last one asked counts from the start again.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            (self.at, self.line) = (0, 1);
        }
        let bytes = &self.text.as_bytes()[self.at..offset];
        self.line += memchr::memchr_iter(b'\n', bytes).count();
        self.at = offset;
        let before = &self.text[..offset];
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        (self.line, before[line_start..].chars().count() + 1)
    }
}

/// `s` cut to at most `max` characters, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) if s[i..].chars().nth(1).is_some() => format!("{}…", &s[..i]),
        _ => s.to_string(),
    }
}

/// At most `width` characters of `line` around character `col` (0-based),
/// with `…` where it was cut, and `col`'s position in what is returned.
pub fn window(line: &str, col: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= width {
        return (line.to_string(), col);
    }
    let col = col.min(chars.len());
    let start = col.saturating_sub(width / 3).min(chars.len() - width);
    let end = start + width;
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, col - start + usize::from(start > 0))
}

/// Up to `max` items of a list in words: `a, b and c`, or `a, b, c and
/// 12 more` — a list in a help line must not grow with the briefing.
pub fn some_of<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let n = items.len();
    let shown: Vec<&str> = items.iter().take(max.max(1)).map(|s| s.as_ref()).collect();
    match n {
        0 => String::new(),
        1 => shown[0].to_string(),
        _ if n <= shown.len() => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        _ => format!("{} and {} more", shown.join(", "), n - shown.len()),
    }
}

/// The plain words for a file-system error, and what to do about it.
fn io_words(path: &str, doing: &str, err: &io::Error) -> (String, String) {
    use io::ErrorKind as K;
    match err.kind() {
        K::NotFound => (
            "it does not exist".into(),
            format!("check that `{path}` exists (a symbolic link may point nowhere)"),
        ),
        K::PermissionDenied => (
            "permission denied".into(),
            format!(
                "check the permissions of `{path}` and its directory: the user running briefing must be allowed to {doing} it"
            ),
        ),
        K::ReadOnlyFilesystem => (
            "the disk is read-only".into(),
            format!(
                "make the disk holding `{path}` writable, or work on a copy of the briefing on a writable disk"
            ),
        ),
        K::StorageFull | K::QuotaExceeded => (
            "the disk is full".into(),
            format!("free some space on the disk holding `{path}`, then run briefing again"),
        ),
        K::NotADirectory | K::AlreadyExists => (
            "a file is where a directory should be".into(),
            format!(
                "check that the directories above `{path}` are directories; move the file in the way"
            ),
        ),
        K::IsADirectory => (
            "it is a directory".into(),
            format!("move the directory `{path}` out of the way"),
        ),
        K::InvalidData => (err.to_string(), format!("check the contents of `{path}`")),
        _ => (
            strip_os_error(&err.to_string()),
            format!("check `{path}` and try again"),
        ),
    }
}

/// `"No space left on device (os error 28)"` → `"No space left on device"`.
fn strip_os_error(msg: &str) -> String {
    match msg.find(" (os error ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Where a file belongs in the order problems are shown: what others
/// depend on first (the settings, the entity registry, the theme, the
/// seeds, the articles), then what depends on them (annotations), so
/// the root cause of a cascade comes first.
fn rank(file: &str) -> u8 {
    let f = file.trim_start_matches("(built-in) ");
    if f == "briefing.toml" {
        0
    } else if f == "entities.yaml" || f == "sources.yaml" {
        1
    } else if f.starts_with("templates") || f.starts_with("static") {
        2
    } else if f.starts_with("seeds") {
        3
    } else if f.starts_with("content") {
        4
    } else if f.starts_with("annotations") {
        5
    } else {
        6
    }
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
    /// Sort so that output is deterministic and root causes come first:
    /// by kind of file (see `rank`), then file, then position.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (rank(&a.file), &a.file, a.line, a.column, &a.message).cmp(&(
                rank(&b.file),
                &b.file,
                b.line,
                b.column,
                &b.message,
            ))
        });
    }

    /// Take out the problems that exist only because another file did not
    /// load ([`Problem::unchecked`]: wikilinks into it, annotation files
    /// for it), and say what they were in one note on that file's own
    /// problem: one error, not a dozen that would vanish once it is fixed.
    /// A problem whose cause reported nothing is kept as it is.
    pub fn summarise_unchecked(&mut self) {
        // cause → (links, files holding them, annotation files)
        let mut by_cause: std::collections::BTreeMap<String, (usize, Vec<String>, Vec<String>)> =
            Default::default();
        let causes: std::collections::BTreeSet<String> = self
            .0
            .iter()
            .filter(|p| p.depends_on.is_none() && p.severity == Severity::Error)
            .map(|p| p.file.clone())
            .collect();
        self.0.retain(|p| {
            let Some(cause) = p.depends_on.as_ref().filter(|c| causes.contains(*c)) else {
                return true;
            };
            let e = by_cause.entry(cause.clone()).or_default();
            if p.code == Some(codes::UNCHECKED_FILE) {
                e.2.push(p.file.clone());
            } else {
                e.0 += 1;
                if !e.1.contains(&p.file) {
                    e.1.push(p.file.clone());
                }
            }
            false
        });
        for (cause, (links, mut in_files, mut files)) in by_cause {
            in_files.sort();
            files.sort();
            let mut parts = Vec::new();
            if links > 0 {
                parts.push(format!("{links} wikilink(s) in {}", some_of(&in_files, 3)));
            }
            if !files.is_empty() {
                parts.push(format!("the annotations in {}", some_of(&files, 3)));
            }
            let note = format!("until it loads, {} cannot be checked", parts.join(" and "));
            if let Some(p) = self.0.iter_mut().find(|p| p.file == cause) {
                p.note = Some(note);
            }
        }
    }

    /// The problems as they should be shown: the same problem reported
    /// again (same file, place and message), or the same file-system error
    /// on many files ([`codes::IO`] with the same cause), becomes one,
    /// whose [`Problem::also`] lists the others. Order is kept.
    pub fn coalesce(&self) -> Problems {
        let mut out: Vec<Problem> = Vec::with_capacity(self.0.len());
        let mut index: std::collections::HashMap<(String, usize, usize, String), usize> =
            Default::default();
        for p in &self.0 {
            let key = match p.code {
                // the same cause (and so the same help) on another path
                Some(codes::IO) => (
                    String::new(),
                    0,
                    0,
                    format!(
                        "{:?}{}",
                        p.severity,
                        p.help.as_deref().unwrap_or("").replace(&p.file, "")
                    ),
                ),
                _ => (
                    p.file.clone(),
                    p.line,
                    p.column,
                    format!("{:?}{}", p.severity, p.message),
                ),
            };
            match index.get(&key) {
                Some(&i) => {
                    let first = &mut out[i];
                    first.also.push(p.file.clone());
                    first.also.extend(p.also.iter().cloned());
                }
                None => {
                    index.insert(key, out.len());
                    out.push(p.clone());
                }
            }
        }
        Problems(out)
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

/// Print problems to stderr: rich (miette) on a terminal, plain otherwise.
/// The same problem on many files (a full disk) is printed once with a
/// count (`Problems::coalesce`); returns how many errors were printed.
pub fn print_problems(problems: &Problems) -> usize {
    let fancy = std::io::stderr().is_terminal();
    let mut sorted = problems.clone();
    sorted.sort();
    let shown = sorted.coalesce();
    for p in shown.iter() {
        // miette shows the whole source line and help: only when short
        // (and only when it holds no control character: the plain
        // rendering shows those as escapes, so a hostile file name or
        // line cannot drive the terminal)
        let raw = [
            Some(p.file.as_str()),
            Some(p.message.as_str()),
            p.help.as_deref(),
        ];
        let controls = raw.iter().flatten().any(|t| has_control(t))
            || p.offending_line().is_some_and(|l| has_control(&l));
        let short = !controls
            && p.offending_line().map_or(0, |l| l.chars().count()) <= SOURCE_WIDTH
            && p.help.as_ref().map_or(0, |h| h.chars().count()) <= HELP_MAX
            && p.message.chars().count() <= MESSAGE_MAX
            && p.also.is_empty();
        if fancy && p.span.is_some() && short {
            eprintln!("{}", p.headline());
            eprintln!("{:?}", miette::Report::new(p.clone()));
        } else {
            eprint!("{}", p.render_plain());
        }
    }
    shown.errors()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hostile file name or line (an escape sequence that retitles or
    /// clears the terminal, a bidi override) is printed as escapes.
    #[test]
    fn control_characters_are_printed_as_escapes() {
        let text: Arc<str> = "x: \u{1b}]0;pwned\u{7} \u{202e}abc\n".into();
        let p = Problem::at(
            "seeds/a\u{1b}[31m\nb.txt",
            text,
            3,
            1,
            "bad \u{1b}[2J value",
        );
        let r = p.render_plain();
        assert!(!r.chars().any(escaped), "{r:?}");
        assert!(
            r.starts_with("seeds/a\\u{1b}[31m\\nb.txt:1:4: error: bad \\u{1b}[2J value\n"),
            "{r}"
        );
        // (the source line shows controls as U+FFFD already)
        assert!(r.contains("]0;pwned\u{fffd} \\u{202e}abc"), "{r}");
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncé d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('d').unwrap()), (2, 4));
        let mut lines = Lines::new(t);
        for at in [0, 3, t.find('d').unwrap(), 1, t.len(), t.len() + 5] {
            assert_eq!(lines.line_col(at), line_col(t, at), "offset {at}");
        }
    }

    #[test]
    fn an_io_problem_names_the_path_and_what_to_do() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let p = Problem::io_then(
            "site/index.html",
            "write the new site",
            &full,
            "the previous site is unchanged",
        );
        let r = p.render_plain();
        assert!(
            r.starts_with("site/index.html: error: cannot write the new site: the disk is full"),
            "{r}"
        );
        assert!(
            r.contains("= help: free some space on the disk holding `site/index.html`, then run briefing again; the previous site is unchanged"),
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

    #[test]
    fn io_errors_name_the_path_and_what_to_do() {
        use std::io::{Error, ErrorKind};
        let p = Problem::io("site", "write", &Error::from(ErrorKind::StorageFull));
        assert_eq!(
            p.headline(),
            "site: error: cannot write site: the disk is full"
        );
        assert_eq!(
            p.help.as_deref(),
            Some("free some space on the disk holding `site`, then run briefing again")
        );
        let p = Problem::io(
            "content/a.md",
            "read",
            &Error::from(ErrorKind::PermissionDenied),
        );
        assert_eq!(p.message, "cannot read content/a.md: permission denied");
        assert!(p.help.unwrap().contains("allowed to read it"));
        let p = Problem::io(
            "site/x",
            "write",
            &Error::from(ErrorKind::ReadOnlyFilesystem),
        );
        assert_eq!(p.message, "cannot write site/x: the disk is read-only");
        // an OS error is shown without its number
        let p = Problem::io("x", "read", &Error::from_raw_os_error(5));
        assert!(!p.message.contains("os error"), "{}", p.message);
        let p = Problem::not_a_directory("content", "the articles");
        assert_eq!(
            p.headline(),
            "content: error: content is a file, but it must be a directory (the articles)"
        );
    }

    #[test]
    fn a_problem_repeated_on_many_files_is_shown_once() {
        use std::io::{Error, ErrorKind};
        let full = || Error::from(ErrorKind::StorageFull);
        let mut ps = Problems::default();
        for _ in 0..61 {
            ps.push(Problem::io("site", "write", &full()));
        }
        let shown = ps.coalesce();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown.errors(), 1);
        assert!(!shown.to_string().contains("note"), "{shown}");

        // the same cause on different files: one, naming a few of the others
        let mut ps = Problems::default();
        for i in 0..5 {
            ps.push(Problem::io(format!("content/{i}.md"), "write", &full()));
        }
        ps.push(Problem::io(
            "x",
            "write",
            &Error::from(ErrorKind::PermissionDenied),
        ));
        let shown = ps.coalesce();
        assert_eq!(shown.len(), 2, "{shown}");
        assert_eq!(
            shown.0[0].also_note().unwrap(),
            "the same for 4 more: content/1.md, content/2.md, content/3.md, …"
        );

        // a problem reported again at the same place (once per page)
        let text: Arc<str> = Arc::from("{{ x }}");
        let mut ps = Problems::default();
        for _ in 0..3 {
            ps.push(Problem::at("templates/a.html", text.clone(), 3, 1, "bad"));
        }
        ps.push(Problem::at("templates/a.html", text.clone(), 0, 1, "other"));
        let shown = ps.coalesce();
        assert_eq!(shown.len(), 2);
        assert_eq!(
            shown.0[0].also_note().unwrap(),
            "the same problem was found 2 more time(s)"
        );
    }

    #[test]
    fn root_causes_sort_first() {
        let mut ps = Problems::default();
        for f in [
            "annotations/a.md",
            "content/a.md",
            "templates/base.html",
            "entities.yaml",
            "briefing.toml",
            "site",
        ] {
            ps.push(Problem::file(f, "x"));
        }
        ps.sort();
        let files: Vec<&str> = ps.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "briefing.toml",
                "entities.yaml",
                "templates/base.html",
                "content/a.md",
                "annotations/a.md",
                "site"
            ]
        );
    }

    #[test]
    fn unchecked_links_become_one_note_on_their_cause() {
        let text: Arc<str> = Arc::from("[[A]] [[B]]");
        let mut ps = Problems::default();
        ps.push(Problem::at(
            "entities.yaml",
            Arc::from("- x"),
            0,
            1,
            "broken",
        ));
        ps.push(Problem::at(
            "content/c.md",
            Arc::from("---"),
            0,
            1,
            "broken too",
        ));
        for (f, at) in [
            ("annotations/a.md", 0),
            ("annotations/a.md", 6),
            ("annotations/b.md", 0),
        ] {
            ps.push(
                Problem::at(f, text.clone(), at, 5, "not checked")
                    .unchecked(codes::UNCHECKED_LINK, "entities.yaml"),
            );
        }
        ps.push(
            Problem::at("annotations/c.md", text.clone(), 0, 1, "no article")
                .unchecked(codes::UNCHECKED_FILE, "content/c.md"),
        );
        // a cause that reported nothing: the problem stays
        ps.push(
            Problem::at("annotations/d.md", text.clone(), 0, 1, "stays")
                .unchecked(codes::UNCHECKED_LINK, "content/d.md"),
        );
        ps.summarise_unchecked();
        assert_eq!(ps.len(), 3, "{ps}");
        assert_eq!(
            ps.0[0].note.as_deref(),
            Some(
                "until it loads, 3 wikilink(s) in annotations/a.md and annotations/b.md cannot be checked"
            )
        );
        assert_eq!(
            ps.0[1].note.as_deref(),
            Some("until it loads, the annotations in annotations/c.md cannot be checked")
        );
        assert_eq!(ps.0[2].message, "stays");
    }

    #[test]
    fn nothing_printed_grows_with_the_input() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcd", 4), "abcd");
        assert_eq!(some_of(&["a"], 3), "a");
        assert_eq!(some_of(&["a", "b", "c"], 3), "a, b and c");
        assert_eq!(some_of(&["a", "b", "c", "d", "e"], 3), "a, b, c and 2 more");
        // a long line is shown as a window around the column, the caret
        // still under the column
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let text: Arc<str> = Arc::from(line.as_str());
        let p = Problem::at("content/a.md", text, 5000, 1, "here").with_help("h".repeat(20_000));
        let r = p.render_plain();
        for l in r.lines() {
            assert!(
                l.chars().count() <= HELP_MAX + 20,
                "{} chars",
                l.chars().count()
            );
        }
        let lines: Vec<&str> = r.lines().collect();
        let src = lines[2].split_once("| ").unwrap().1;
        let caret = lines[3].split_once("| ").unwrap().1;
        assert_eq!(src.chars().nth(caret.find('^').unwrap()), Some('X'), "{r}");
        assert!(p.to_overlay().help.unwrap().chars().count() <= HELP_MAX);
    }
}
