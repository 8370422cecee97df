//! Dev helper: the headline candidates of text dumps, best first, with
//! their scores and evidence — or, with `--json`, one JSON line per dump
//! with every candidate's raw features (what
//! `scripts/train-headline-model.py` learns the weights from).
//!
//! Usage: `cargo run --example headline_candidates -- [--json] DUMP... [-n N]`

use briefing::clean::dump::{self, headline};

fn main() {
    let mut json = false;
    let mut n = 6;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "-n" => n = args.next().and_then(|a| a.parse().ok()).unwrap_or(n),
            _ => paths.push(a),
        }
    }
    if json {
        println!(
            "{}",
            serde_json::json!({ "feature_names": headline::NAMES.to_vec() })
        );
    }
    for path in paths {
        let bytes = std::fs::read(&path).expect("read dump");
        let text = String::from_utf8_lossy(&bytes);
        let cands = dump::headline_candidates(&text);
        if json {
            let page = std::path::Path::new(&path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rows: Vec<serde_json::Value> = cands
                .iter()
                .map(|(t, c)| serde_json::json!({"index": c.index, "text": t, "x": c.features.to_vec()}))
                .collect();
            println!("{}", serde_json::json!({"page": page, "candidates": rows}));
            continue;
        }
        println!("== {path}");
        for (t, cand) in cands.iter().take(n) {
            let t: String = t.chars().take(90).collect();
            println!("{:6.2} {:>4} {t}", cand.score, cand.index);
            let parts: Vec<String> = cand
                .parts
                .iter()
                .map(|(k, v)| format!("{k} {v:+.2}"))
                .collect();
            println!("            {}", parts.join(", "));
        }
    }
}
