//! The `briefing` binary: a thin edge over [`briefing::cli`].

/// mimalloc: measured faster than glibc's allocator on the build's many
/// small, short-lived strings (BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(briefing::cli::main());
}
