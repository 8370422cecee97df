//! The `briefing` binary: a thin edge over [`briefing::cli`].

fn main() {
    std::process::exit(briefing::cli::main());
}
