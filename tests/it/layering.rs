//! The imports run one way. Every top-level module of `src/` sits in one
//! layer of [`LAYERS`], written here once; a module may import (`crate::…`,
//! or `super::…` reaching the crate root) only modules of lower layers.
//! Test modules (`#[cfg(test)] mod … { … }`) and comments are not
//! checked: a test may build its fixtures with a later stage.
//!
//! A new module must be given a layer here; an upward import fails with
//! the file, line and the two modules.

use std::path::Path;

/// Bottom to top. Modules on one line are peers that do not import each
/// other.
const LAYERS: &[&[&str]] = &[
    // utilities: typed problems and their printing, files, stage timings,
    // the unit tests' work sizes
    &["diag", "fsutil", "timing", "testing"],
    &["yaml"],
    // the shared vocabulary: slugs, site paths, figures
    &["model"],
    &["config", "theme"],
    // Markdown rendering, plain text and offsets, shared by the stages
    &["markdown"],
    // the pipeline's stages, in order
    &["clean"],
    &["content"],
    &["sidecar"],
    &["link"],
    &["annotate"],
    &["holdback"],
    // recorded editions and what changed between them
    &["editions"],
    // every stage's output for one site
    &["assembled"],
    &["render"],
    // the edges: reading the project, writing the site
    &["project"],
    &["site", "scaffold"],
    &["serve"],
    // moving annotations in and out (Hypothesis, W3C)
    &["interchange"],
    &["cli"],
    &["lib", "main"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The text with comments and `#[cfg(test)]` modules blanked (lines kept,
/// so line numbers hold).
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_to: Option<String> = None;
    let mut cfg_test = false;
    for line in text.lines() {
        let t = line.trim();
        let keep = if let Some(end) = &skip_to {
            if line.trim_end() == end {
                skip_to = None;
            }
            false
        } else if t == "#[cfg(test)]" {
            cfg_test = true;
            false
        } else if cfg_test && t.starts_with("mod ") && t.ends_with('{') {
            let indent = &line[..line.len() - line.trim_start().len()];
            skip_to = Some(format!("{indent}}}"));
            cfg_test = false;
            false
        } else {
            cfg_test = false;
            !t.starts_with("//")
        };
        if keep {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules `code` names, with the byte offset of each path:
/// `crate::a::…`, `crate::{a, b::c}`, and `super::…` paths that climb
/// past the root from a file `depth` modules deep.
fn imports(code: &str, depth: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let boundary = |i: usize| {
        i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':')
    };
    for (at, _) in code.match_indices("crate::") {
        if !boundary(at) {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // top-level items of the group: split at depth-0 commas
            let mut depth = 0usize;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push((at, ident(item.trim()).to_string()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.push((at, ident(item.trim()).to_string()));
        } else {
            out.push((at, ident(rest).to_string()));
        }
    }
    for (at, _) in code.match_indices("super::") {
        if !boundary(at) {
            continue;
        }
        let mut rest = &code[at..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            ups += 1;
        }
        if ups >= depth {
            out.push((at, ident(rest).to_string()));
        }
    }
    out.retain(|(_, m)| !m.is_empty() && m != "self" && m != "super");
    out
}

/// Every upward import in the `.rs` files below `src`, as messages.
fn upward_imports(src: &Path) -> (Vec<String>, usize) {
    let mut bad = Vec::new();
    let mut seen = 0;
    for e in walkdir::WalkDir::new(src).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src).unwrap();
        if rel.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let parts: Vec<String> = rel
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let top = parts[0].clone();
        let depth = parts.len() - usize::from(parts.len() > 1 && parts.last().unwrap() == "mod");
        let Some(from) = layer(&top) else {
            bad.push(format!(
                "src/{}: module `{top}` has no layer: add it to LAYERS in tests/it/layering.rs",
                rel.display()
            ));
            continue;
        };
        let text = code(&std::fs::read_to_string(e.path()).unwrap());
        for (at, to) in imports(&text, depth) {
            seen += 1;
            if to == top {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            match layer(&to) {
                Some(l) if l < from => {}
                Some(_) => bad.push(format!(
                    "src/{}:{line}: `{top}` imports `{to}`, which is not below it",
                    rel.display()
                )),
                None => bad.push(format!(
                    "src/{}:{line}: `{top}` imports `{to}`, which has no layer",
                    rel.display()
                )),
            }
        }
    }
    (bad, seen)
}

#[test]
fn imports_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (bad, seen) = upward_imports(&src);
    assert!(seen > 100, "only {seen} imports found: is the scan broken?");
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_sees_grouped_nested_and_climbing_imports() {
    let text = "use crate::{diag::Problem, render::{self, x}};\n\
                // use crate::cli;\n\
                fn f() { crate::site::build(); super::super::serve::x(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::cli;\n}\n";
    let found: Vec<String> = imports(&code(text), 2)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(found, ["diag", "render", "site", "serve"]);
    // one level up from a file two deep stays inside its module
    assert!(imports("super::x", 2).is_empty());
    assert_eq!(imports("super::x", 1)[0].1, "x");
}
