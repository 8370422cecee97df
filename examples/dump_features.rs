//! Dev helper for training the dump block classifier: print, as one JSON
//! object per line, every block's text and feature row for each dump.
//!
//! Usage: `cargo run --example dump_features -- DUMP... > features.jsonl`

use briefing::clean::dump::{block_features, features::FEATURE_NAMES};

fn main() {
    println!("{}", serde_json::json!({ "feature_names": FEATURE_NAMES }));
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read dump");
        let Ok(text) = briefing::clean::decode(&bytes) else { continue };
        let (texts, rows) = block_features(&text);
        let stem = std::path::Path::new(&path).file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        println!("{}", serde_json::json!({ "page": stem, "texts": texts, "rows": rows }));
    }
}
