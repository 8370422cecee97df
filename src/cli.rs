//! cli: the command line — parse arguments, run a command, print
//! diagnostics, choose the exit code (0 ok, 1 diagnostics, 2 usage).

use crate::diag::Problems;
use crate::project::{CleanAction, Project};
use crate::site::{self, BuildOptions};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "briefing",
    version,
    about = "Build an annotated, cross-linked HTML briefing from raw news pages"
)]
pub struct Cli {
    /// The briefing project's directory.
    #[arg(long, short = 'C', global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clean what is new, render site/ (the default command).
    Build {
        /// Absolute URL the site will be published at (overrides briefing.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Output directory (default: site/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Clean seeds into content/ (all seeds when none is named).
    Clean {
        seeds: Vec<PathBuf>,
        /// Overwrite content files edited by hand (a backup is kept in .briefing/backup/).
        #[arg(long)]
        force: bool,
        /// Show every block of the seed as kept or dropped, and why.
        #[arg(long)]
        explain: bool,
        /// Write cleaned Markdown to this directory (`<seed-stem>.md`) instead of content/.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build, watch and serve with live reload.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the briefing in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Build and rebuild on every change, without a server.
    Watch,
    /// Check annotations, wikilinks, entities, and every link in site/.
    Check,
    /// Entity registry helpers.
    Entities {
        #[command(subcommand)]
        command: EntitiesCommand,
    },
    /// Scaffold a new briefing from the built-in theme.
    Init { dir: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum EntitiesCommand {
    /// List recurring names that are not in entities.yaml yet.
    Suggest,
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
        let short = p.offending_line().map_or(0, |l| l.chars().count())
            <= crate::diag::SOURCE_WIDTH
            && p.help.as_ref().map_or(0, |h| h.chars().count()) <= crate::diag::HELP_MAX
            && p.message.chars().count() <= crate::diag::MESSAGE_MAX
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

fn finish(problems: &Problems) -> i32 {
    let errors = print_problems(problems);
    if problems.has_errors() {
        eprintln!("{errors} error(s); nothing was written");
        1
    } else {
        0
    }
}

/// How long the process runs: what the binary's edge tunes its allocator
/// for (see `main.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// A command that does its work and exits (`build`, `clean`, …).
    OneShot,
    /// `serve` and `watch`, which run until stopped (and `clean`, whose
    /// peak memory matters more than the CPU purging costs).
    LongRunning,
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    main_with(|_| {})
}

/// [`main`], telling `lifetime` which kind of command runs before it does.
pub fn main_with(lifetime: impl FnOnce(Lifetime)) -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    lifetime(match cli.command {
        // (and `clean`: it works on a few seeds of any size, and the parses
        // of a 50 MB page leave huge freed blocks that only purging gives
        // back: 450 MB peak instead of 350)
        Some(Command::Serve { .. } | Command::Watch | Command::Clean { .. }) => {
            Lifetime::LongRunning
        }
        _ => Lifetime::OneShot,
    });
    let project = Project::new(&cli.root);
    // Seed arguments are relative to the project, or else to the working
    // directory.
    let resolve = |seeds: Vec<PathBuf>| -> Vec<PathBuf> {
        seeds
            .into_iter()
            .map(|s| {
                if project.root.join(&s).exists() {
                    project.root.join(&s)
                } else {
                    s
                }
            })
            .collect()
    };
    match cli.command.unwrap_or(Command::Build {
        base_url: None,
        out: None,
    }) {
        Command::Build { base_url, out } => build(&project, &BuildOptions { out, base_url }),
        Command::Clean {
            seeds,
            force,
            explain,
            out,
        } => clean(&project, &resolve(seeds), force, explain, out),
        Command::Init { dir } => init(&dir),
        Command::Serve { port, bind, open } => crate::serve::serve(&project, &bind, port, open),
        Command::Watch => crate::serve::watch(&project),
        Command::Check => check(&project),
        Command::Entities {
            command: EntitiesCommand::Suggest,
        } => suggest(&project),
    }
}

fn build(project: &Project, opts: &BuildOptions) -> i32 {
    let start = std::time::Instant::now();
    // A spinner on a terminal; nothing when output is piped or in CI.
    let spinner = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message("building…");
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let result = site::build(project, opts);
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    match result {
        Ok(mut report) => {
            print_problems(&report.warnings);
            for (seed, action) in &report.clean {
                if let CleanAction::Written { content } = action {
                    eprintln!("cleaned seeds/{seed} → {content}");
                }
            }
            eprintln!(
                "built {} articles, {} files ({} written, {} unchanged, {} removed) in {} ms",
                report.articles,
                report.pages,
                report.stats.written,
                report.stats.unchanged,
                report.stats.removed,
                start.elapsed().as_millis()
            );
            // the old site goes while the above is printed; it must be
            // gone before the process ends
            if let Err(e) = std::mem::take(&mut report.removal).wait() {
                eprintln!("warning: cannot remove the previous site ({e}); the next build will");
            }
            0
        }
        Err(problems) => finish(&problems),
    }
}

fn clean(
    project: &Project,
    seeds: &[PathBuf],
    force: bool,
    explain: bool,
    out: Option<PathBuf>,
) -> i32 {
    if explain || out.is_some() {
        let targets: Vec<PathBuf> = if seeds.is_empty() {
            project.seeds()
        } else {
            seeds.to_vec()
        };
        let mut problems = Problems::default();
        for path in &targets {
            let crate::project::CleanedSeed { cleaned: c, sha256 } = match project.clean_seed(path)
            {
                Ok(c) => c,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            problems.extend(project.clean_warnings(path, &c));
            if explain {
                println!(
                    "== {} — “{}”",
                    crate::fsutil::display(&project.root, path),
                    c.title
                );
                for b in c.report.iter() {
                    let mark = match b.verdict {
                        crate::clean::Verdict::Kept => "keep",
                        crate::clean::Verdict::Meta => "meta",
                        crate::clean::Verdict::Dropped => "drop",
                    };
                    let first = b.text.lines().next().unwrap_or("");
                    let short: String = first.chars().take(72).collect();
                    let ell = if first.chars().count() > 72 || b.text.contains('\n') {
                        "…"
                    } else {
                        ""
                    };
                    println!("{:>5}  {mark}  {:<28} {short}{ell}", b.line, b.reason);
                }
            }
            if let Some(dir) = &out {
                let stem = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                let slug = crate::model::Slug::from_title(&c.title)
                    .unwrap_or_else(|| crate::model::Slug::parse("article").unwrap());
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let text = crate::content::cleaned_to_markdown(&c, &slug, &name, Some(&sha256));
                let target = dir.join(format!("{stem}.md"));
                if let Err(e) = crate::fsutil::write_atomic(&target, text.as_bytes()) {
                    let p = match crate::fsutil::file_in_the_way(dir) {
                        Some(f) => crate::diag::Problem::not_a_directory(
                            f.display().to_string(),
                            "the cleaned Markdown",
                        ),
                        None => crate::diag::Problem::io(target.display().to_string(), "write", &e),
                    };
                    problems.push(p);
                    return finish(&problems);
                }
            }
        }
        return finish(&problems);
    }
    let outcome = project.clean(seeds, force);
    for (seed, action) in &outcome.actions {
        match action {
            CleanAction::Written { content } => eprintln!("cleaned seeds/{seed} → {content}"),
            CleanAction::Unchanged { content } => eprintln!("unchanged {content}"),
            CleanAction::Protected { content } => eprintln!(
                "kept {content}: it was edited by hand after it was cleaned; run `briefing clean --force seeds/{seed}` to overwrite it (a backup is kept)"
            ),
            CleanAction::Forced { content, backup } => {
                eprintln!("overwrote {content} (the edited version is kept at {backup})")
            }
        }
    }
    finish(&outcome.problems)
}

/// Build (which fails on orphaned annotations, unresolved wikilinks and
/// aliases claimed twice), then check every link and anchor in `site/`.
fn check(project: &Project) -> i32 {
    let report = match site::build(project, &BuildOptions::default()) {
        Ok(report) => report,
        Err(problems) => return finish(&problems),
    };
    print_problems(&report.warnings);
    let dir = project.path("site");
    let files = match read_site(&dir) {
        Ok(f) => f,
        Err(e) => {
            let rel = crate::fsutil::display(&project.root, &dir);
            return finish(&Problems::from(crate::diag::Problem::io(rel, "read", &e)));
        }
    };
    let broken = crate::link::check::check_links(&files);
    // The same missing target is usually linked from every page (a
    // template): list it once, with a few of the pages.
    let mut by_why: std::collections::BTreeMap<&str, Vec<&crate::link::check::Broken>> =
        Default::default();
    for b in &broken {
        by_why.entry(b.why.as_str()).or_default().push(b);
    }
    for (why, list) in &by_why {
        for b in list.iter().take(3) {
            eprintln!("site/{b}");
        }
        if list.len() > 3 {
            eprintln!("  … and {} more page(s) where {why}", list.len() - 3);
        }
    }
    if broken.is_empty() {
        eprintln!(
            "check: {} articles, {} files, every link and anchor resolves",
            report.articles,
            files.len()
        );
        0
    } else {
        eprintln!("check: {} broken link(s)", broken.len());
        1
    }
}

/// Every file under `dir` as (site-relative path, bytes).
fn read_site(dir: &std::path::Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for f in crate::fsutil::list_files(dir)? {
        out.push((crate::fsutil::display(dir, &f), std::fs::read(&f)?));
    }
    out.sort();
    Ok(out)
}

/// `entities suggest`: recurring proper-noun phrases not in the registry.
fn suggest(project: &Project) -> i32 {
    let inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return finish(&p),
    };
    let briefing = match site::assemble(&inputs) {
        Ok(b) => b,
        Err(p) => return finish(&p),
    };
    let texts: Vec<(crate::model::Slug, String)> = briefing
        .articles
        .iter()
        .map(|a| {
            let plain = crate::render::markdown::plain_text(a.body()).text;
            (a.slug.clone(), format!("{}\n\n{plain}", a.title))
        })
        .collect();
    let found = crate::link::suggest::suggest(&briefing.links.registry, &texts);
    if found.is_empty() {
        eprintln!("no recurring names outside entities.yaml");
        return 0;
    }
    println!("{:>8} {:>6}  name — articles", "articles", "count");
    for s in &found {
        let arts: Vec<&str> = s.articles.iter().map(|a| a.as_str()).collect();
        println!(
            "{:>8} {:>6}  {} — {}",
            s.articles.len(),
            s.count,
            s.name,
            arts.join(", ")
        );
    }
    0
}

fn init(dir: &std::path::Path) -> i32 {
    match crate::scaffold::init(dir) {
        Ok(files) => {
            eprintln!(
                "created a new briefing in {} ({} files)",
                dir.display(),
                files
            );
            eprintln!(
                "next: put page dumps in {}/seeds/ and run `briefing -C {} build`",
                dir.display(),
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
