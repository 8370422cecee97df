//! The I/O edge of `briefing import` and `briefing export`: reading the
//! import file and the briefing, checking the plan against a build, and
//! writing (annotation files, atomically; the export to standard output
//! or, atomically, to `-o FILE`).
//!
//! An import writes nothing when the file does not read (exit 1, the
//! file, line and column); otherwise it appends what the plan found, after
//! checking that every file reads back as before plus the new sections
//! and that the briefing builds with no error it did not have before
//! (a section that would add one is left out and reported).

use super::plan::{FilePlan, ImportFile};
use super::{Format, plan, read};
use crate::diag::print_problems;
use crate::diag::{Problem, Problems, Severity};
use crate::holdback::Profile;
use crate::project::{Inputs, Project};
use crate::site::{self, BuildOptions};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

fn fail(problems: Problems, what: &str) -> i32 {
    print_problems(&problems);
    eprintln!("{what}");
    1
}

/// `briefing import FORMAT FILE` (`shown`: the file as the command line
/// named it, for diagnostics).
pub fn import(project: &Project, format: Format, file: &Path, shown: &Path) -> i32 {
    let name = shown.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return fail(Problem::io(name, "read", &e).into(), "nothing was imported"),
    };
    let text: Arc<str> = match String::from_utf8(bytes) {
        Ok(t) => Arc::from(t),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            let p = Problem::at(&name, lossy, at, 1, "not UTF-8 text")
                .with_help("a JSON file is UTF-8; export it again");
            return fail(p.into(), "nothing was imported");
        }
    };
    let incoming = match read::read(&name, &text, format) {
        Ok(v) => v,
        Err(p) => return fail(p.into(), "nothing was imported"),
    };
    let mut inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return fail(p, "nothing was imported: fix the briefing first"),
    };
    // an import is the analyst's: drafts and embargoed articles count
    inputs.policy = crate::holdback::Policy::new(Profile::Internal, jiff::Timestamp::now());
    let articles: Vec<crate::content::Article> = inputs
        .articles
        .iter()
        .filter_map(|(f, t)| crate::content::parse_article(f, t.clone()).ok())
        .collect();
    let total = incoming.len();
    let mut plan = plan::plan(
        &ImportFile {
            name: &name,
            text: &text,
        },
        incoming,
        &articles,
        &inputs.annotations,
        &inputs.config,
    );
    let mut notes = Problems::default();

    // every file reads back as before plus its sections
    for f in &mut plan.files {
        if f.reads_back() {
            continue;
        }
        let all = std::mem::take(&mut f.sections);
        for p in std::mem::take(&mut f.pages) {
            f.pages.push(p);
            if !f.reads_back() {
                let p = f.pages.pop().expect("just pushed");
                plan.problems.push(
                    Problem::at_line_col(&name, text.clone(), p.at, 1, p.line_col, format!("the page note would not read back from {}", f.rel))
                        .with_help("its note holds what the note on the whole article cannot take (does that note end inside a code or HTML block?), or the file's `origin:` is not a list; not imported")
                        .warning(),
                );
            }
        }
        for s in all {
            f.sections.push(s);
            if !f.reads_back() {
                let s = f.sections.pop().expect("just pushed");
                plan.problems.push(
                    Problem::at_line_col(&name, text.clone(), s.at, 1, s.line_col, format!("the annotation on “{}” would not read back from {}", crate::annotate::note::shorten(&s.quote, 60), f.rel))
                        .with_help("its note or quote holds what the annotation file cannot take (does the file end inside a code or HTML block?); not imported")
                        .warning(),
                );
            }
        }
    }
    plan.files
        .retain(|f| !f.sections.is_empty() || !f.pages.is_empty());

    // the briefing builds with no new error (a wikilink to nothing, an id
    // used twice); sections that would add one are left out
    if !plan.files.is_empty() {
        let before = headlines(&inputs);
        for _round in 0..4 {
            let mut after_inputs = inputs.clone();
            apply(&mut after_inputs, &plan.files);
            let (errors, warnings) = build_problems(&after_inputs);
            let new_errors: Vec<&Problem> = errors
                .iter()
                .filter(|p| !before.contains(&p.headline()))
                .collect();
            if new_errors.is_empty() {
                for w in warnings {
                    if !before.contains(&w.headline()) {
                        notes.push(w);
                    }
                }
                break;
            }
            let mut dropped = false;
            for f in &mut plan.files {
                let lines = f.section_lines();
                let mut keep = vec![true; f.sections.len()];
                let page_lines = f.page_lines();
                let mut keep_page = vec![true; f.pages.len()];
                for p in &new_errors {
                    if p.file != f.rel {
                        continue;
                    }
                    if let Some(i) = page_lines.iter().position(|r| r.contains(&p.line)) {
                        if keep_page[i] {
                            plan.problems.push(
                                Problem::at_line_col(
                                    &name,
                                    text.clone(),
                                    f.pages[i].at,
                                    1,
                                    f.pages[i].line_col,
                                    format!(
                                        "not imported: it would add an error to the build: {}",
                                        p.headline()
                                    ),
                                )
                                .with_help(p.help.clone().unwrap_or_default())
                                .warning(),
                            );
                        }
                        keep_page[i] = false;
                    } else if let Some(i) = lines.iter().position(|r| r.contains(&p.line)) {
                        if keep[i] {
                            plan.problems.push(
                                Problem::at(
                                    &name,
                                    text.clone(),
                                    f.sections[i].at,
                                    1,
                                    format!(
                                        "not imported: it would add an error to the build: {}",
                                        p.headline()
                                    ),
                                )
                                .with_help(p.help.clone().unwrap_or_default())
                                .warning(),
                            );
                        }
                        keep[i] = false;
                    }
                }
                let mut k = keep.iter();
                let n = f.sections.len();
                f.sections.retain(|_| *k.next().unwrap_or(&true));
                dropped |= f.sections.len() != n;
                let mut k = keep_page.iter();
                let n = f.pages.len();
                f.pages.retain(|_| *k.next().unwrap_or(&true));
                dropped |= f.pages.len() != n;
            }
            plan.files
                .retain(|f| !f.sections.is_empty() || !f.pages.is_empty());
            if !dropped {
                // an error outside the new sections: write nothing
                let mut ps = Problems::default();
                for p in new_errors {
                    ps.push(p.clone());
                }
                return fail(
                    ps,
                    "nothing was imported: these errors would follow from it",
                );
            }
        }
    }

    // write
    let mut written = 0;
    for f in &plan.files {
        let path = project.path(&f.rel);
        match crate::serve::annotate_endpoint::write_unless_changed(
            &project.root,
            &path,
            f.old.as_deref(),
            f.text().as_bytes(),
        ) {
            Ok(()) => written += 1,
            Err((_, msg)) => plan
                .problems
                .push(Problem::file(&f.rel, format!("{}: {msg}", f.rel))),
        }
    }
    plan.problems.extend(notes.0);
    print_problems(&plan.problems);
    let added = plan.added();
    let skipped = plan.problems.iter().filter(|p| p.file == name).count();
    if plan.annotated_count > 3 {
        eprintln!(
            "({} passages annotated already: the first 3 are shown)",
            plan.annotated_count
        );
    }
    eprintln!(
        "imported {added} of {total} {} annotation(s) into {written} file(s){}{}{}",
        format.name(),
        if plan.already > 0 {
            format!("; {} already there", plan.already)
        } else {
            String::new()
        },
        if plan.replies > 0 {
            format!("; {} repl(ies) folded into notes", plan.replies)
        } else {
            String::new()
        },
        if skipped > 0 {
            format!("; {skipped} warning(s) above")
        } else {
            String::new()
        },
    );
    for f in &plan.files {
        let pages = match f.pages.len() {
            0 => String::new(),
            n => format!(" and {n} page note(s)"),
        };
        eprintln!("  {}: {} annotation(s){pages}", f.rel, f.sections.len());
    }
    if plan.problems.has_errors() { 1 } else { 0 }
}

/// The inputs with the planned files' new texts.
fn apply(inputs: &mut Inputs, files: &[FilePlan]) {
    for f in files {
        let text: Arc<str> = Arc::from(f.text());
        match inputs.annotations.iter_mut().find(|a| a.file == f.rel) {
            Some(a) => a.text = text,
            None => inputs.annotations.push(crate::annotate::AnnotationSource {
                file: f.rel.clone(),
                text,
            }),
        }
    }
}

/// The errors and warnings a build of `inputs` reports (as far as
/// assembling goes: anchoring, wikilinks, ids).
fn build_problems(inputs: &Inputs) -> (Vec<Problem>, Vec<Problem>) {
    let all: Vec<Problem> = match site::assemble(inputs) {
        Ok(b) => b
            .warnings
            .iter()
            .chain(b.annotations.warnings.iter())
            .cloned()
            .collect(),
        Err(p) => p.0,
    };
    all.into_iter().partition(|p| p.severity == Severity::Error)
}

fn headlines(inputs: &Inputs) -> BTreeSet<String> {
    let (e, w) = build_problems(inputs);
    e.iter().chain(&w).map(Problem::headline).collect()
}

/// `briefing export FORMAT [-o FILE]`.
pub fn export(
    project: &Project,
    format: Format,
    out: Option<&Path>,
    profile: Profile,
    base_url: Option<String>,
) -> i32 {
    let mut inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return fail(p, "nothing was exported"),
    };
    BuildOptions {
        profile,
        base_url,
        ..Default::default()
    }
    .apply(&mut inputs);
    let briefing = match site::assemble(&inputs) {
        Ok(b) => b,
        Err(p) => return fail(p, "nothing was exported: fix these first"),
    };
    let now = jiff::Timestamp::now().to_string();
    let write = |w: &mut dyn std::io::Write| match format {
        Format::W3c => super::export::w3c(&briefing, w),
        Format::Hypothesis => super::export::hypothesis(&briefing, w, &now),
    };
    let result = match out {
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write(&mut w).and_then(|n| std::io::Write::flush(&mut w).map(|_| n))
        }
        Some(path) => {
            let mut buf = Vec::new();
            write(&mut buf).and_then(|n| crate::fsutil::write_atomic(path, &buf).map(|_| n))
        }
    };
    let shown = out.map_or("standard output".to_string(), |p| p.display().to_string());
    match result {
        Ok(n) => {
            eprintln!(
                "exported {n} annotation(s) as {} to {shown}{}",
                format.name(),
                if profile == Profile::Public {
                    ""
                } else {
                    " (internal: drafts and internal notes included)"
                }
            );
            0
        }
        Err(e) => fail(
            Problem::io(shown, "write", &e).into(),
            "the export is incomplete",
        ),
    }
}
