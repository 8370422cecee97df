//! Dev helper: measure how long cleaning a directory of dumps takes on one
//! core (files are read first; only `clean_seed` is timed). Build with
//! `--release` for meaningful numbers.
//!
//! Usage: `cargo run --release --example bench_clean -- [DIR] [ROUNDS]`

/// The binary's allocator, so that the numbers are the build's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/eval/cleaning/dev".into());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut seeds = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read DIR") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name.ends_with(".txt") && !name.ends_with(".truth.txt") {
            seeds.push((name, std::fs::read(&path).expect("read seed")));
        }
    }
    let bytes: usize = seeds.iter().map(|(_, b)| b.len()).sum();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut kept = 0usize;
        for (name, b) in &seeds {
            if let Ok(c) = briefing::clean::clean_seed(b, name) {
                kept += c.body.len();
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(kept);
    }
    println!(
        "{} dumps, {:.1} MB: best of {rounds} rounds {:.3} s ({:.1} MB/s)",
        seeds.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
}
