//! Dev helper: clean every seed given on the command line and write the body
//! blocks (joined by blank lines) to `OUTDIR/<stem>.md`.
//!
//! Usage: `cargo run --example clean_dir -- OUTDIR SEED...`

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: clean_dir OUTDIR SEED...");
    std::fs::create_dir_all(&out).expect("create OUTDIR");
    for seed in args {
        let path = Path::new(&seed);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("out");
        let bytes = std::fs::read(path).expect("read seed");
        let body = match briefing::clean::clean_seed(&bytes, name) {
            Ok(c) => c.body.join("\n\n"),
            Err(e) => {
                eprintln!("{seed}: {e}");
                String::new()
            }
        };
        std::fs::write(Path::new(&out).join(format!("{stem}.md")), body).expect("write output");
    }
}
