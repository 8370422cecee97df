//! bench_pages: time the page jobs alone (no search index, no writing) on a
//! briefing, by kind of page — a measurement for work on rendering, never
//! a test.
//!
//! ```text
//! bench_pages DIR [RUNS]
//! ```

use briefing::render::{self, Renderer};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: bench_pages DIR [RUNS]");
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let project = briefing::project::Project::new(std::path::Path::new(dir));
    let inputs = project.load(&Default::default()).expect("load");
    let t = Instant::now();
    let b = briefing::site::assemble(&inputs).expect("assemble");
    eprintln!("assemble {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let renderer = Renderer::new(&inputs.theme).expect("templates");
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
        let out = render::render_pages(&b, &renderer, |_| true).expect("render");
        let bytes: usize = out.iter().map(|o| o.bytes.len()).sum();
        eprintln!(
            "all pages: {:.0} ms, {} files, {:.1} MB",
            t.elapsed().as_secs_f64() * 1000.0,
            out.len(),
            bytes as f64 / 1e6
        );
    }
    for k in kinds {
        let t = Instant::now();
        let out = render::render_pages(&b, &renderer, |j| j.template == Some(k)).expect("render");
        let bytes: usize = out.iter().map(|o| o.bytes.len()).sum();
        let max = out.iter().map(|o| o.bytes.len()).max().unwrap_or(0);
        eprintln!(
            "{k:<20} {:>7.0} ms {:>6} files {:>8.1} MB (largest {:.0} KB)",
            t.elapsed().as_secs_f64() * 1000.0,
            out.len(),
            bytes as f64 / 1e6,
            max as f64 / 1e3
        );
    }
}
