//! Dev helper for training the dump block classifier: print, as one JSON
//! object per line, every block's text and feature rows for each dump
//! (stage-2 rows too when a stage-1 model is given).
//!
//! Usage: `cargo run --example dump_features -- [--stage1 TREES.json] DUMP... > features.jsonl`

use briefing::clean::dump::{
    block_features, features::FEATURE_NAMES, model::STAGE2_NAMES, model::Trees,
};

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let stage1: Option<Trees> = if args.peek().is_some_and(|a| a == "--stage1") {
        args.next();
        let path = args.next().expect("--stage1 needs a file");
        Some(
            serde_json::from_str(&std::fs::read_to_string(path).expect("read model"))
                .expect("parse model"),
        )
    } else {
        None
    };
    println!(
        "{}",
        serde_json::json!({ "feature_names": FEATURE_NAMES, "stage2_names": STAGE2_NAMES })
    );
    for path in args {
        let bytes = std::fs::read(&path).expect("read dump");
        let Ok(text) = briefing::clean::decode(&bytes) else {
            continue;
        };
        let (texts, rows, rows2) = block_features(&text, stage1.as_ref());
        let stem = std::path::Path::new(&path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        println!(
            "{}",
            serde_json::json!({ "page": stem, "texts": texts, "rows": rows, "rows2": rows2 })
        );
    }
}
