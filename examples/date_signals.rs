//! Dev helper: for each seed (`*.txt` dump or `*.html` page), one JSON
//! line with its cleaned date, the signal that decided it (or why there is
//! none) and every date signal's day read alone — what
//! `scripts/cleaning-meta/date_signals.py` ranks against the labels.
//!
//! Usage: `cargo run --release --example date_signals -- SEED...`

fn main() {
    for path in std::env::args().skip(1) {
        let p = std::path::Path::new(&path);
        let id = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(bytes) = std::fs::read(p) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let Ok(text) = briefing::clean::decode(&bytes) else {
            eprintln!("{path}: not text");
            continue;
        };
        let html = p.extension().is_some_and(|e| e == "html" || e == "htm");
        let mut v = if html {
            briefing::clean::html::date_signals(&text)
        } else {
            briefing::clean::dump::date_signals(&text)
        };
        if v.is_null() {
            v = serde_json::json!({});
        }
        v["id"] = serde_json::json!(id);
        v["kind"] = serde_json::json!(if html { "html" } else { "dump" });
        println!("{v}");
    }
}
