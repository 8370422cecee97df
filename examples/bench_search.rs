//! Dev helper: time building the search index of a briefing alone (the
//! briefing is loaded and assembled first, untimed). Build with `--release`;
//! `RAYON_NUM_THREADS=1` for one core.
//!
//! Usage: `cargo run --release --example bench_search -- DIR [ROUNDS]`

/// The binary's allocator, so that the numbers are the build's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

/// CPU seconds (user + system) of this process so far, from /proc (Linux;
/// 0 elsewhere). Wall time is unreliable on a shared machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |r| r.1)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after `)`
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: bench_search DIR [ROUNDS]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let project = briefing::project::Project::new(&dir);
    let inputs = project
        .load(&Default::default())
        .unwrap_or_else(|p| panic!("{p:?}"));
    let b = briefing::site::assemble(&inputs).unwrap_or_else(|p| panic!("{p:?}"));
    let (mut best_records, mut best_index) = (f64::INFINITY, f64::INFINITY);
    let (mut files, mut bytes) = (0, 0);
    let records = briefing::render::publish::search_records(&b);
    let cpu = cpu_seconds();
    for _ in 0..rounds {
        std::hint::black_box(briefing::link::search::build(&records));
    }
    let cpu_index = (cpu_seconds() - cpu) / rounds as f64;
    for _ in 0..rounds {
        let start = Instant::now();
        let records = briefing::render::publish::search_records(&b);
        let mid = Instant::now();
        let out = briefing::link::search::build(&records);
        best_records = best_records.min((mid - start).as_secs_f64());
        best_index = best_index.min(mid.elapsed().as_secs_f64());
        files = out.len();
        bytes = out.iter().map(|f| f.1.len()).sum::<usize>();
    }
    println!(
        "{} articles: records {:.1} ms, index {:.1} ms (best of {rounds}; {:.1} ms CPU); {files} files, {:.1} MB",
        b.articles.len(),
        best_records * 1000.0,
        best_index * 1000.0,
        cpu_index * 1000.0,
        bytes as f64 / 1e6
    );
    // Bytes per article of the whole index as a build writes it (main
    // index, notes index; each: term shards, document files, manifest).
    let all = briefing::render::publish::search_index(&b);
    let n = b.articles.len().max(1) as f64;
    let notes = format!("{}/notes/", briefing::link::search::DIR);
    let mut parts: std::collections::BTreeMap<String, usize> = Default::default();
    for (path, data) in &all {
        let index = if path.starts_with(&notes) {
            "notes"
        } else {
            "main"
        };
        let kind = if path.contains("/terms/") {
            "terms"
        } else if path.contains("/docs/") {
            "docs"
        } else {
            "manifest"
        };
        *parts.entry(format!("{index} {kind}")).or_default() += data.len();
    }
    // BENCH_SEARCH_OUT=DIR: write the files there too, to look at
    if let Some(out) = std::env::var_os("BENCH_SEARCH_OUT") {
        for (path, data) in &all {
            let p = std::path::Path::new(&out).join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
    }
    let total: usize = parts.values().sum();
    for (part, bytes) in &parts {
        println!(
            "  {part}: {bytes} bytes, {:.0} B/article",
            *bytes as f64 / n
        );
    }
    println!(
        "  total: {total} bytes in {} files, {:.0} B/article",
        all.len(),
        total as f64 / n
    );
}
