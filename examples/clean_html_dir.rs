//! Dev helper: clean every `*.html` in a directory with the HTML cleaner and
//! write each page's body blocks (joined by blank lines) to `OUT/<id>.md`,
//! for scoring with `shared/eval/cleaning/score.py`.
//!
//! `cargo run --example clean_html_dir -- IN_DIR OUT_DIR [--meta]` (`--meta`
//! prints each page's title, date, byline and figures).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let meta = args.iter().any(|a| a == "--meta");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--meta").collect();
    let (inp, out) = match args.as_slice() {
        [_, i, o] => (*i, *o),
        _ => {
            eprintln!("usage: clean_html_dir IN_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(out).expect("create OUT_DIR");
    let mut paths: Vec<_> = std::fs::read_dir(inp)
        .expect("read IN_DIR")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    let start = Instant::now();
    let mut failed = 0;
    for p in &paths {
        let id = p.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(p).expect("read page");
        let body = match briefing::clean::clean_seed(&bytes, &format!("{id}.html")) {
            Ok(c) => {
                if meta {
                    println!(
                        "{id:.8}\t{}\t{:?}\t{:?}\t{:?}",
                        c.title, c.date, c.byline, c.figures
                    );
                }
                c.body.join("\n\n")
            }
            Err(e) => {
                failed += 1;
                eprintln!("{id}: {e}");
                String::new()
            }
        };
        std::fs::write(format!("{out}/{id}.md"), body).expect("write output");
    }
    eprintln!(
        "{} pages in {:.2?} ({failed} failed)",
        paths.len(),
        start.elapsed()
    );
}
