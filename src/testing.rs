//! How much work the heavy unit tests do (test builds only).
//!
//! The counts written in the tests — proptest cases, input sizes — are
//! what an optimised build runs. A debug build (plain `cargo test`) runs a
//! tenth of the cases (never fewer than 256, nor more than written) and
//! inputs a tenth of the size: the same properties on the same
//! generators, at a cost a 2-core machine pays in minutes, not a quarter
//! of an hour. `BRIEFING_FULL_TESTS=1 cargo test`, or `cargo test
//! --release`, runs the written counts.

/// Whether to run the counts as written.
pub fn full() -> bool {
    !cfg!(debug_assertions)
        || std::env::var_os("BRIEFING_FULL_TESTS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The proptest cases of a test written with `n`.
pub fn cases(n: u32) -> u32 {
    if full() { n } else { (n / 10).max(n.min(256)) }
}

/// An input size (bytes, items) of a test written with `n`.
pub fn size(n: usize) -> usize {
    if full() { n } else { n / 10 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_debug_build_runs_a_tenth_but_never_below_256_cases() {
        if super::full() {
            assert_eq!(super::cases(5_000), 5_000);
        } else {
            assert_eq!(super::cases(5_000), 500);
            assert_eq!(super::cases(1_000), 256);
            assert_eq!(super::cases(48), 48);
            assert_eq!(super::size(50 << 20), 5 << 20);
        }
    }
}
