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
    std::process::exit(briefing::cli::main_with(|lifetime| {
        if lifetime == briefing::cli::Lifetime::OneShot {
            one_shot_allocator();
        }
    }));
}

/// A command that exits when done never needs to give memory back to the
/// system: mimalloc's purging (returning freed pages with `madvise`, then
/// faulting them in again) was 2-3% of a 10,000-article build's CPU and
/// ran on at its end (BENCHMARKS.md). `serve` and `watch` keep purging.
fn one_shot_allocator() {
    #[cfg(not(feature = "system-alloc"))]
    {
        /// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (the
        /// bindings name only the older options); -1: never purge.
        const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        // SAFETY: reading and setting an option are allowed at any time;
        // mimalloc reads it when it next considers purging. Its default
        // (1000 ms) confirms the number names that option.
        unsafe {
            if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 1000 {
                libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
            }
        }
    }
}
