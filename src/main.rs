//! The `briefing` binary: a thin edge over [`briefing::cli`].

/// mimalloc: measured faster than glibc's allocator on the build's many
/// small, short-lived strings (BENCHMARKS.md). `--features system-alloc`
/// keeps the system's, for heap profilers that hook `malloc`
/// (heaptrack, valgrind's massif).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Transparent huge pages (on by default on many Linux systems) back the
    // allocator's regions with 2 MiB pages that a build only partly uses:
    // without them a 10,000-article build peaks about 30 MB lower
    // (BENCHMARKS.md). Nothing to do if the kernel refuses.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    std::process::exit(briefing::cli::main());
}
