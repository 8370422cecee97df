//! bench_pages: time the page jobs alone (no search index, no writing) on a
//! briefing, by kind of page — a measurement for work on rendering, never
//! a test.
//!
//! ```text
//! bench_pages DIR [RUNS] [TEMPLATE]
//! ```
//!
//! With a template (`article.html`, …), only its pages, RUNS times (for
//! profiling one kind of page).

use briefing::render::{self, Renderer};

/// The binary's allocator, so that the numbers are the build's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

/// CPU time of the process so far (user + system), in ms; the machine may
/// be shared, so wall time alone is noisy. Linux only (0 elsewhere).
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the command name (which is in parentheses)
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line (1-based)
    (ticks(11) + ticks(12)) * 10.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .expect("usage: bench_pages DIR [RUNS] [TEMPLATE]");
    let only = args.get(3).cloned();
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let project = briefing::project::Project::new(std::path::Path::new(dir));
    let inputs = project.load(&Default::default()).expect("load");
    let t = Instant::now();
    let b = briefing::site::assemble(&inputs).expect("assemble");
    eprintln!("assemble {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let renderer = Renderer::new(&inputs.theme).expect("templates");
    let t = Instant::now();
    let paths = render::page_paths(&b);
    eprintln!(
        "page_paths {:.1} ms ({} pages)",
        t.elapsed().as_secs_f64() * 1000.0,
        paths.len()
    );
    let kinds: Vec<&'static str> = {
        let mut k: Vec<&'static str> = render::page_jobs(&b)
            .iter()
            .filter_map(|j| j.template)
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    for _ in 0..runs {
        let t = Instant::now();
        let cpu = cpu_ms();
        let out = render::render_pages(&b, &renderer, |j| {
            only.as_deref().is_none_or(|o| j.template == Some(o))
        })
        .expect("render");
        let bytes: usize = out.iter().map(|o| o.bytes.len()).sum();
        eprintln!(
            "all pages: {:.0} ms ({:.0} ms CPU), {} files, {:.1} MB",
            t.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu,
            out.len(),
            bytes as f64 / 1e6
        );
    }
    if only.is_some() {
        std::mem::forget(b);
        return;
    }
    for k in kinds {
        let t = Instant::now();
        let cpu = cpu_ms();
        let out = render::render_pages(&b, &renderer, |j| j.template == Some(k)).expect("render");
        let bytes: usize = out.iter().map(|o| o.bytes.len()).sum();
        let max = out.iter().map(|o| o.bytes.len()).max().unwrap_or(0);
        eprintln!(
            "{k:<20} {:>7.0} ms {:>7.0} ms CPU {:>6} files {:>8.1} MB (largest {:.0} KB)",
            t.elapsed().as_secs_f64() * 1000.0,
            cpu_ms() - cpu,
            out.len(),
            bytes as f64 / 1e6,
            max as f64 / 1e3
        );
    }
    // freeing the briefing is not rendering
    std::mem::forget(b);
}
