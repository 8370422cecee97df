//! Dev helper: for every `*.html` in a directory, write the blocks of the
//! whole page and of the extracted content with the filter's decisions, as
//! JSON lines (`{"id":…, …}`), for prototyping cleaning rules.
//!
//! `cargo run --release --example html_blocks -- IN_DIR > blocks.jsonl`

fn main() {
    let inp = std::env::args().nth(1).expect("usage: html_blocks IN_DIR");
    let mut paths: Vec<_> = std::fs::read_dir(&inp)
        .expect("read IN_DIR")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    for p in &paths {
        let id = p.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(p).expect("read page");
        let text = match briefing::clean::decode(&bytes) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let mut v = briefing::clean::html::debug_blocks(&text);
        if v.is_null() {
            v = serde_json::json!({});
        }
        v["id"] = serde_json::json!(id);
        println!("{v}");
    }
}
