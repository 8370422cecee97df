//! cli: the command line — parse arguments, run a command, print
//! diagnostics, choose the exit code (0 ok, 1 diagnostics, 2 usage).

use crate::diag::{Problems, print_problems};
use crate::holdback::Profile;
use crate::project::{CleanAction, Project};
use crate::site::{self, BuildOptions};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "briefing",
    version,
    about = "Build an annotated, cross-linked HTML briefing from raw news pages",
    after_help = "Run inside a briefing (a directory with briefing.toml, or below one), or name it with -C.\nExit codes: 0 ok, 1 problems in the inputs (each listed with file:line:col), 2 usage."
)]
pub struct Cli {
    /// Work on the briefing in DIR (or the one DIR is inside), as if started there.
    #[arg(long = "root", short = 'C', global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where a site goes and what it is built from: shared by `build`,
/// `serve` and `watch`.
#[derive(Args, Debug, Clone, Default)]
pub struct SiteArgs {
    /// Write the site into DIR instead of site/ (site/ is left alone).
    #[arg(
        short = 'o',
        long = "output-dir",
        visible_alias = "out",
        value_name = "DIR"
    )]
    pub output_dir: Option<PathBuf>,
    /// Absolute URL the site is published at, for the feed, the sitemap and canonical links (overrides base_url in briefing.toml; `serve` uses its own address by default).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Judge embargoes at TIME instead of now: an RFC 3339 date-time with an offset, like `embargo:` (e.g. 2024-12-06T15:39:00+01:00).
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,
}

fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    s.trim().parse::<jiff::Timestamp>().map_err(|_| {
        format!(
            "`{s}` is not an RFC 3339 date-time with an offset; write e.g. 2024-12-06T15:39:00+01:00 or 2024-12-06T14:39:00Z"
        )
    })
}

const PROFILE_HELP: &str = "Who the site is for: `public` leaves out drafts, internal annotations and notes, and embargoed articles (and proves it with a leak check); `internal` shows them, marked";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clean what is new in seeds/, then build the site into site/ (the default command).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, value_enum, default_value_t = Profile::Public, help = PROFILE_HELP)]
        profile: Profile,
    },
    /// Clean seeds into articles in content/ (every seed when none is named).
    Clean {
        /// Seed files to clean (default: every seed in seeds/).
        #[arg(value_name = "SEED")]
        seeds: Vec<PathBuf>,
        /// Overwrite content files edited by hand (a backup is kept in .briefing/backup/).
        #[arg(long)]
        force: bool,
        /// Show every block of the seed as kept or dropped, and why.
        #[arg(long)]
        explain: bool,
        /// Write cleaned Markdown to this directory (`<seed-stem>.md`) instead of content/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build, watch every input and serve the site with live reload.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, value_enum, default_value_t = Profile::Internal, help = PROFILE_HELP)]
        profile: Profile,
        /// Port to serve on (0 picks a free one).
        #[arg(short = 'p', long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but a loopback address lets other machines read the preview.
        #[arg(
            short = 'i',
            long = "bind",
            visible_alias = "interface",
            value_name = "ADDRESS",
            default_value = "127.0.0.1"
        )]
        bind: String,
        /// Open the briefing in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Build, then rebuild on every change, without a server.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, value_enum, default_value_t = Profile::Internal, help = PROFILE_HELP)]
        profile: Profile,
    },
    /// Build the public site, then check annotations, wikilinks, entities and every link in site/.
    Check,
    /// Record the briefing as it stands (as the public site shows it) as an edition in editions/, for the changes pages; an edition is never rewritten.
    Edition {
        /// The edition's name: letters, digits, `-`, `_`, `.`; editions sort by name (default: today's date, YYYY-MM-DD).
        #[arg(value_name = "NAME")]
        name: Option<String>,
        /// Judge embargoes at TIME instead of now (as `build --now`).
        #[arg(long, value_name = "TIME", value_parser = parse_now)]
        now: Option<jiff::Timestamp>,
    },
    /// Entity registry helpers.
    Entities {
        #[command(subcommand)]
        command: EntitiesCommand,
    },
    /// Outlet registry helpers (sources.yaml).
    Sources {
        #[command(subcommand)]
        command: SourcesCommand,
    },
    /// Create a file for the analyst to write in.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Import annotations made elsewhere (Hypothesis, W3C Web Annotation) into the articles' annotation files.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Write the briefing's annotations as W3C Web Annotation JSON-LD or a Hypothesis export.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Start a new briefing in DIR, using the built-in theme.
    Init {
        /// Where to create it (default: the current directory).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Copy the built-in templates and static files into the project, to edit them (without it the project follows the theme of the installed briefing).
        #[arg(long)]
        theme: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum EntitiesCommand {
    /// List recurring names that are not in entities.yaml yet.
    Suggest,
}

#[derive(Subcommand, Debug)]
pub enum SourcesCommand {
    /// List outlets the articles name (by `outlet` or `url`) that are not in sources.yaml yet.
    Suggest,
}

#[derive(Subcommand, Debug)]
pub enum NewCommand {
    /// Start the annotation file of an article, or say which file already holds its notes.
    Annotation {
        /// The article's slug (its `slug:`, the name of its page under articles/).
        slug: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a Hypothesis export (JSON): each highlight is appended to the annotation file of the article whose `url:` is its page; importing again adds nothing.
    Hypothesis {
        /// The JSON file Hypothesis exported (or an API search result).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Import W3C Web Annotations (JSON-LD: an AnnotationCollection, an AnnotationPage, or annotations); importing again adds nothing.
    W3c {
        /// The JSON-LD file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Where an export goes and what it holds.
#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Absolute URL the site is published at, for the annotations' ids and their second target (overrides base_url in briefing.toml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    #[arg(long, value_enum, default_value_t = Profile::Public, help = PROFILE_HELP)]
    pub profile: Profile,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// A W3C Web Annotation AnnotationCollection (JSON-LD): one Annotation per annotated passage.
    W3c {
        #[command(flatten)]
        args: ExportArgs,
    },
    /// A Hypothesis export (JSON), as Hypothesis's importer reads it.
    Hypothesis {
        #[command(flatten)]
        args: ExportArgs,
    },
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
    /// A command that does its work and exits (`build`, `check`, …).
    OneShot,
    /// `clean`: a few seeds of any size, whose peak memory matters more
    /// than the CPU that returning freed memory costs.
    Cleaning,
    /// `serve` and `watch`, which run until stopped.
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
        Some(Command::Serve { .. } | Command::Watch { .. }) => Lifetime::LongRunning,
        Some(Command::Clean { .. }) => Lifetime::Cleaning,
        _ => Lifetime::OneShot,
    });
    let command = cli.command.unwrap_or(Command::Build {
        site: SiteArgs::default(),
        profile: Profile::Public,
    });
    let start = match &cli.root {
        Some(r) => r.clone(),
        None => PathBuf::from("."),
    };
    if let Command::Init { dir, theme } = &command {
        let dir = match (dir, &cli.root) {
            (Some(d), Some(r)) if d.is_relative() => r.join(d),
            (Some(d), _) => d.clone(),
            (None, _) => start,
        };
        return init(&dir, *theme);
    }
    // every other command works on a briefing: the nearest directory
    // holding briefing.toml, from where we start upwards (as cargo
    // finds Cargo.toml); outside one nothing is read or written
    let project = match find_project(&start) {
        Some(root) => Project::new(root),
        None => {
            // `clean --explain/--out SEED…` needs no briefing
            if let Command::Clean {
                seeds,
                force,
                explain,
                out,
            } = command
                && (explain || out.is_some())
                && !seeds.is_empty()
            {
                return clean(&Project::new(&start), &seeds, force, explain, out);
            }
            return not_a_briefing(&start);
        }
    };
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
    let options = |site: SiteArgs, profile: Profile| BuildOptions {
        out: site.output_dir,
        base_url: site.base_url,
        profile,
        now: site.now,
    };
    match command {
        Command::Build { site, profile } => build(&project, &options(site, profile)),
        Command::Clean {
            seeds,
            force,
            explain,
            out,
        } => clean(&project, &resolve(seeds), force, explain, out),
        Command::Init { .. } => unreachable!("handled above"),
        Command::Serve {
            site,
            profile,
            port,
            bind,
            open,
        } => crate::serve::serve(
            &project,
            &crate::serve::ServeOptions {
                bind,
                port,
                open,
                build: options(site, profile),
            },
        ),
        Command::Watch { site, profile } => crate::serve::watch(&project, options(site, profile)),
        Command::Check => check(&project),
        Command::Edition { name, now } => record_edition(&project, name, now),
        Command::Entities {
            command: EntitiesCommand::Suggest,
        } => suggest(&project),
        Command::Sources {
            command: SourcesCommand::Suggest,
        } => sources_suggest(&project),
        Command::New {
            what: NewCommand::Annotation { slug },
        } => new_annotation(&project, &slug),
        Command::Import { what } => {
            use crate::interchange::Format;
            let (format, file) = match what {
                ImportCommand::Hypothesis { file } => (Format::Hypothesis, file),
                ImportCommand::W3c { file } => (Format::W3c, file),
            };
            // relative to the working directory, or else to the briefing
            let path = if file.is_relative() && !file.exists() {
                project.root.join(&file)
            } else {
                file.clone()
            };
            crate::interchange::command::import(&project, format, &path, &file)
        }
        Command::Export { what } => {
            use crate::interchange::Format;
            let (format, args) = match what {
                ExportCommand::W3c { args } => (Format::W3c, args),
                ExportCommand::Hypothesis { args } => (Format::Hypothesis, args),
            };
            crate::interchange::command::export(
                &project,
                format,
                args.output.as_deref(),
                args.profile,
                args.base_url,
            )
        }
    }
}

/// The nearest directory at or above `start` that holds `briefing.toml`
/// (none when `start` is not a directory: `-C typo` must not find the
/// briefing its parent is in).
pub fn find_project(start: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    if !abs.is_dir() {
        return None;
    }
    abs.ancestors()
        .find(|d| d.join("briefing.toml").is_file())
        .map(Path::to_path_buf)
}

/// Outside a briefing: say so, and how to start one. Nothing is written.
fn not_a_briefing(start: &Path) -> i32 {
    let shown = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    if !shown.is_dir() {
        eprintln!(
            "error: {} is not a directory\n  = help: `-C DIR` names the briefing's directory (or one inside it); `briefing init DIR` starts a new one",
            shown.display()
        );
        return 2;
    }
    // a `briefing.toml` that is not a file would otherwise read as "none"
    if let Some(odd) = shown
        .ancestors()
        .map(|d| d.join("briefing.toml"))
        .find(|t| t.exists() && !t.is_file())
    {
        eprintln!(
            "error: {} is not a file\n  = help: `briefing.toml` must be the briefing's settings file: move the directory out of the way, then run `briefing init` there or write the file",
            odd.display()
        );
        return 2;
    }
    eprintln!(
        "error: not inside a briefing: neither {} nor any directory above it holds a briefing.toml\n  = help: run `briefing init` to start a briefing here, or `briefing -C DIR …` to work on the one in DIR",
        shown.display()
    );
    2
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
                let seed = crate::diag::printable(seed);
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
            match opts.profile {
                Profile::Internal => eprintln!(
                    "internal build: drafts, internal notes and embargoed articles are in it, marked; do not publish it"
                ),
                Profile::Public if report.held_back > 0 => eprintln!(
                    "held back {} item(s) (drafts, internal notes, embargoes); the leak check found none of them in the output",
                    report.held_back
                ),
                Profile::Public => {}
            }
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
        // (`clean` without --out keeps hand edits; --out writes over files)
        if let Some(dir) = &out
            && let Err(p) = crate::site::outside_the_inputs(
                project,
                dir,
                "`clean --out` writes `<seed>.md` there, over any file of that name (without --out, clean writes content/ and keeps hand edits)",
            )
        {
            return finish(&Problems(vec![p]));
        }
        let targets: Vec<PathBuf> = if seeds.is_empty() {
            project.seeds()
        } else {
            seeds.to_vec()
        };
        let mut problems = Problems::default();
        for path in &targets {
            let crate::project::CleanedSeed {
                cleaned: c, sha256, ..
            } = match project.clean_seed(path) {
                Ok(c) => c,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            problems.extend(project.clean_warnings(path, &c));
            if explain {
                // (the seed's text, shown with its control characters
                // escaped: a hostile page must not drive the terminal)
                println!(
                    "== {} — “{}”",
                    crate::diag::printable(&crate::fsutil::display(&project.root, path)),
                    crate::diag::printable(&c.title)
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
                    let short = crate::diag::printable(&short);
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
        let seed = crate::diag::printable(seed);
        match action {
            CleanAction::Written { content } => eprintln!("cleaned seeds/{seed} → {content}"),
            CleanAction::Unchanged { content } => eprintln!("unchanged {content}"),
            CleanAction::Protected { content } => eprintln!(
                "kept {content}: it was edited by hand after it was cleaned; run `briefing clean --force seeds/{seed}` to overwrite it (a backup is kept)"
            ),
            CleanAction::Forced { content, backup } => {
                eprintln!("overwrote {content} (the edited version is kept at {backup})")
            }
            CleanAction::Superseded { content, by, why } => eprintln!(
                "older scrape seeds/{seed}: seeds/{by} is the same page, newer ({}); {content} is cleaned from it",
                why.words()
            ),
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
    print_problems(&sourcing(project));
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

/// `briefing edition [NAME]`: assemble the briefing as a public build
/// would (nothing is cleaned, nothing in `content/` or `annotations/` is
/// written) and write its edition to `editions/<NAME>.json.gz`, a file
/// that must not exist yet.
fn record_edition(project: &Project, name: Option<String>, now: Option<jiff::Timestamp>) -> i32 {
    use crate::diag::Problem;
    use crate::editions::{self, codec};
    let name = name.unwrap_or_else(|| {
        let now = now.unwrap_or_else(jiff::Timestamp::now);
        now.to_zoned(jiff::tz::TimeZone::system())
            .date()
            .to_string()
    });
    if let Err(why) = editions::check_name(&name) {
        eprintln!("error: {why}");
        return 2;
    }
    let rel = format!("{}/{name}{}", editions::DIR, codec::EXTENSION);
    let path = project.path(&rel);
    let exists = |rel: &str| {
        Problems::from(
            Problem::file(rel, format!("an edition named `{name}` exists already"))
                .with_help(format!(
                    "an edition is never rewritten: record this one under another name (`briefing edition {name}-2`)"
                )),
        )
    };
    if path.exists() {
        return finish(&exists(&rel));
    }
    let mut inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return finish(&p),
    };
    BuildOptions {
        now,
        ..Default::default()
    }
    .apply(&mut inputs);
    let b = match site::assemble(&inputs) {
        Ok(b) => b,
        Err(p) => return finish(&p),
    };
    print_problems(&b.warnings);
    let edition = b.edition();
    let bytes = codec::encode(&edition);
    if let Err(e) = crate::fsutil::write_new(&path, &bytes) {
        return finish(&if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(&rel)
        } else {
            Problems::from(Problem::io(rel.clone(), "write", &e))
        });
    }
    let since = match b.editions.latest() {
        Some(prev) => {
            let n = editions::compare::compare_with_diffs(&prev.edition, &edition, 0).count();
            format!("; {n} change(s) since edition `{}`", prev.name)
        }
        None => "; the first edition".to_string(),
    };
    eprintln!(
        "edition: recorded {rel} ({} articles, {} annotations, {} bytes){since}",
        edition.articles.len(),
        edition.annotations.len(),
        bytes.len()
    );
    0
}

/// The claims of the public briefing that rest on a single source or on
/// weak sources only (warnings; none without `sources.yaml`). The build
/// may have been skipped as up to date, so the briefing is assembled here.
fn sourcing(project: &Project) -> Problems {
    let mut inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return p,
    };
    BuildOptions::default().apply(&mut inputs);
    match site::assemble(&inputs) {
        Ok(b) => crate::render::sources::sourcing_problems(&b),
        Err(p) => p,
    }
}

/// The briefing as the analyst's tools see it: drafts and embargoed
/// articles count too (the internal profile, now).
fn assemble_everything(project: &Project) -> Result<crate::assembled::Briefing, Problems> {
    let mut inputs = project.load(&Default::default())?;
    inputs.policy = crate::holdback::Policy::new(Profile::Internal, jiff::Timestamp::now());
    site::assemble(&inputs)
}

/// `sources suggest`: outlets named by articles but not in `sources.yaml`.
fn sources_suggest(project: &Project) -> i32 {
    let briefing = match assemble_everything(project) {
        Ok(b) => b,
        Err(p) => return finish(&p),
    };
    let arts: Vec<_> = briefing
        .articles
        .iter()
        .map(|a| (a.slug.clone(), a.outlet.as_deref(), a.url.as_deref()))
        .collect();
    let found = crate::link::outlets::missing(&briefing.outlets, &arts);
    if found.is_empty() {
        eprintln!("every outlet the articles name is in sources.yaml");
        return 0;
    }
    println!("{:>8}  outlet (domains) — articles", "articles");
    for m in &found {
        let domains: Vec<&str> = m.domains.iter().map(String::as_str).collect();
        let arts: Vec<&str> = m.articles.iter().map(|a| a.as_str()).collect();
        let domains = if domains.is_empty() {
            String::new()
        } else {
            format!(" ({})", domains.join(", "))
        };
        println!(
            "{:>8}  {}{} — {}",
            m.articles.len(),
            m.name,
            domains,
            arts.join(", ")
        );
    }
    eprintln!(
        "add each to sources.yaml with its `domains` and a `reliability` (A–F); see README.md, \"Sources and grades\""
    );
    0
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
    let briefing = match assemble_everything(project) {
        Ok(b) => b,
        Err(p) => return finish(&p),
    };
    let texts: Vec<(crate::model::Slug, String)> = briefing
        .articles
        .iter()
        .map(|a| {
            let plain = crate::markdown::plain_text(a.body()).text;
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

fn init(dir: &Path, theme: bool) -> i32 {
    match crate::scaffold::init(dir, theme) {
        Ok(files) => {
            let here = std::path::absolute(dir).ok() == std::env::current_dir().ok();
            let theme_note = if theme {
                "with a copy of the built-in theme in templates/ and static/"
            } else {
                "using the built-in theme; `briefing init --theme` copies it to edit"
            };
            eprintln!(
                "created a new briefing in {} ({files} files, {theme_note})",
                dir.display()
            );
            eprintln!("put raw pages (saved .html, or .txt page dumps) in seeds/, then:");
            let mut steps: Vec<(String, &str)> = Vec::new();
            if !here {
                steps.push((format!("cd {}", dir.display()), "go into it"));
            }
            steps.push((
                "briefing serve".into(),
                "clean the pages into articles and preview them at http://127.0.0.1:1111/",
            ));
            steps.push((
                "briefing new annotation <slug>".into(),
                "start annotating an article",
            ));
            steps.push((
                "briefing build".into(),
                "the public site in site/, drafts and internal notes left out",
            ));
            for (cmd, what) in steps.iter().take(3) {
                eprintln!("  {cmd:<32} # {what}");
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// `briefing new annotation <slug>`: the article's annotation file,
/// created with a reminder of the format (in YAML comments, which no page
/// shows) — or, when a file already annotates the article, its name.
fn new_annotation(project: &Project, slug: &str) -> i32 {
    let inputs = match project.load(&Default::default()) {
        Ok(i) => i,
        Err(p) => return finish(&p),
    };
    let slugs: Vec<(crate::model::Slug, String)> = inputs
        .articles
        .iter()
        .filter_map(|(file, text)| {
            crate::content::parse_article(file, text.clone())
                .ok()
                .map(|a| (a.slug, a.file))
        })
        .collect();
    let Some((slug, article_file)) = slugs.iter().find(|(s, _)| s.as_str() == slug.trim()) else {
        let names: Vec<&str> = slugs.iter().map(|(s, _)| s.as_str()).collect();
        let close = names
            .iter()
            .map(|n| (strsim::jaro_winkler(n, slug), *n))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let help = match close {
            Some((_, n)) => format!("did you mean `{n}`?"),
            None if names.is_empty() => "there are no articles in content/ yet: put pages in seeds/ and run `briefing build`".into(),
            None => format!("the articles are: {}", crate::diag::some_of(&names, 5)),
        };
        eprintln!("error: no article has the slug `{slug}`\n  = help: {help}");
        return 1;
    };
    // the files that already annotate it (its own name first, as the
    // preview's Annotate button chooses)
    #[derive(serde::Deserialize)]
    struct Fm {
        #[serde(default)]
        article: Option<String>,
    }
    let rel = format!("annotations/{slug}.md");
    let mut holding: Vec<&str> = inputs
        .annotations
        .iter()
        .filter(|a| {
            crate::yaml::split_front_matter(&a.text)
                .ok()
                .and_then(|s| s.yaml)
                .and_then(crate::yaml::from_str_loose::<Fm>)
                .and_then(|f| f.article)
                .is_some_and(|n| n.trim() == slug.as_str())
        })
        .map(|a| a.file.as_str())
        .collect();
    holding.sort_by_key(|f| *f != rel);
    if let Some(first) = holding.first() {
        let also = if holding.len() > 1 {
            format!(" (and {})", holding[1..].join(", "))
        } else {
            String::new()
        };
        eprintln!(
            "{first}{also} already holds the notes on `{slug}`: add yours there (a level-2 heading quoting the passage, your note below it)"
        );
        return 0;
    }
    let path = project.path(&rel);
    if path.exists() {
        eprintln!(
            "error: {rel} exists but annotates another article\n  = help: give its `article:` line the slug `{slug}`, or write the notes in another file under annotations/"
        );
        return 1;
    }
    let text = format!(
        "---\narticle: {slug}\n# Notes on {article_file}. Annotate a passage with a level-2 heading quoting it\n# exactly, and your note (Markdown) below it:\n#   ## \"words quoted from the article\" {{#an-id .claim}}\n#   Your note; link with [[another-article-slug]] or [[Entity name]].\n# Text before the first heading is a note on the whole article.\n# Held back from a public build: `draft: true` here (the whole file),\n# `.internal` on a heading, or an ```internal fenced block in a note.\n---\n"
    );
    if let Err(e) = crate::fsutil::write_atomic(&path, text.as_bytes()) {
        return finish(&Problems::from(crate::diag::Problem::io(rel, "write", &e)));
    }
    eprintln!("created {rel} for {article_file}");
    0
}
