//! Dev helper: clean every seed given on the command line and write the body
//! blocks (joined by blank lines) to `OUTDIR/<stem>.md`.
//!
//! Usage: `cargo run --example clean_dir -- [--model MODEL.json] OUTDIR SEED...`
//! (`--model` replaces the embedded dump classifier, for cross-validation.)

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let model: Option<briefing::clean::dump::model::Model> =
        if args.peek().is_some_and(|a| a == "--model") {
            args.next();
            let path = args.next().expect("--model needs a file");
            Some(
                serde_json::from_str(&std::fs::read_to_string(path).expect("read model"))
                    .expect("parse model"),
            )
        } else {
            None
        };
    let out = args.next().expect("usage: clean_dir OUTDIR SEED...");
    std::fs::create_dir_all(&out).expect("create OUTDIR");
    for seed in args {
        let path = Path::new(&seed);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("out");
        let bytes = std::fs::read(path).expect("read seed");
        let cleaned = match &model {
            Some(m) if !name.ends_with(".html") => briefing::clean::decode(&bytes)
                .and_then(|t| briefing::clean::dump::clean_dump_with(&t, m)),
            _ => briefing::clean::clean_seed(&bytes, name),
        };
        let body = match cleaned {
            Ok(c) => c.body.join("\n\n"),
            Err(e) => {
                eprintln!("{seed}: {e}");
                String::new()
            }
        };
        std::fs::write(Path::new(&out).join(format!("{stem}.md")), body).expect("write output");
    }
}
