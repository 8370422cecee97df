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
    std::process::exit(briefing::cli::main_with(|lifetime| match lifetime {
        briefing::cli::Lifetime::OneShot => one_shot_allocator(),
        briefing::cli::Lifetime::Cleaning => cleaning_allocator(),
        briefing::cli::Lifetime::LongRunning => {}
    }));
}

/// A command that exits when done need not give memory back to the system
/// as it goes: mimalloc's purging (returning freed pages with `madvise`,
/// then faulting them in again) was 2-3% of a 10,000-article build's CPU
/// and ran on at its end (BENCHMARKS.md). It gives it back where a build
/// asks: at once around the stages where memory peaks, and while pages
/// render, what has been unused for `RENDERING_DELAY`. `serve` and
/// `watch` keep purging.
fn one_shot_allocator() {
    #[cfg(not(feature = "system-alloc"))]
    {
        /// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (the
        /// bindings name only the older options); -1: never purge.
        const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        // SAFETY: reading and setting an option are allowed at any time;
        // mimalloc reads it when it next considers purging. Its default
        // (1000 ms) confirms the number names that option.
        let ours = unsafe {
            let ours = libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 1000;
            if ours {
                libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, NEVER_BY_ITSELF);
            }
            ours
        };
        // ... except where a build asks for it (`site::GIVE_BACK_AS_FREED`,
        // around the stages where its memory peaks): at once (0 ms). (A
        // delay set in the environment, MIMALLOC_PURGE_DELAY, is left as
        // it is.)
        // Elsewhere in a build (rendering, which frees and reuses memory
        // page after page), once unused for a while (`RENDERING_DELAY`).
        if ours {
            let _ = briefing::site::GIVE_BACK_AS_FREED.set(|at_once| {
                let delay = if at_once { 0 } else { RENDERING_DELAY };
                // SAFETY: as above
                unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
            });
        }
        // ... but between a build's stages, at once, when the build asks
        // (`site::GIVE_BACK_MEMORY`): what assembling alone needed goes
        // before rendering starts (BENCHMARKS.md)
        let _ = briefing::site::GIVE_BACK_MEMORY.set(|| {
            // SAFETY: collecting may be asked for at any time
            unsafe { libmimalloc_sys::mi_collect(true) }
        });
    }
}

/// The purge delay (ms) while a build renders its pages: memory a page
/// freed and the next reused stays, what stays unused goes back. Never
/// purging there, rendering's peak at 10,000 articles was 10-12 MB higher
/// than purging at once, which cost 0.3-0.4 s more system CPU
/// (BENCHMARKS.md, `searchmem`).
#[cfg(not(feature = "system-alloc"))]
const RENDERING_DELAY: std::ffi::c_long = 100;

/// A purge delay (ms) longer than any build: freed memory is marked to be
/// given back, which only a forced collect then does.
#[cfg(not(feature = "system-alloc"))]
const NEVER_BY_ITSELF: std::ffi::c_long = 24 * 3600 * 1000;

/// `clean` reads seeds of any size: the parses of a 50 MB page and the
/// strings made from it are blocks of tens of megabytes, which mimalloc
/// keeps in its arenas when freed (purged a second later, when cleaning
/// one page is over) and cannot always reuse for the next, larger one.
/// Blocks of 1 MiB or more are mapped from the system on their own and
/// unmapped when freed: on 50 MB pages peak RSS 387 -> 350 MB (paragraphs),
/// 436 -> 393 MB (one line), 845-1,100 -> 549 MB (`&amp;`), for 15-20%
/// more CPU (BENCHMARKS.md).
fn cleaning_allocator() {
    #[cfg(not(feature = "system-alloc"))]
    {
        /// `mi_option_arena_max_object_size` in mimalloc v3's
        /// `mi_option_t`, in KiB; its default is 2 GiB.
        const MI_OPTION_ARENA_MAX_OBJECT_SIZE: libmimalloc_sys::mi_option_t = 45;
        const DEFAULT_KIB: std::ffi::c_long = 2 << 20;
        const LIMIT_KIB: std::ffi::c_long = 1 << 10;
        // SAFETY: as in `one_shot_allocator`; mimalloc reads the option
        // at each allocation it places, and its default confirms the
        // number names that option.
        unsafe {
            if libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_MAX_OBJECT_SIZE) == DEFAULT_KIB {
                libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_MAX_OBJECT_SIZE, LIMIT_KIB);
            }
        }
    }
}
