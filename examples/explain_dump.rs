//! Dev helper: print the cleaner's decision on every block of a dump
//! (verdict, reason, start of the text), like `briefing clean --explain`.
//!
//! Usage: `cargo run --example explain_dump -- DUMP`

fn main() {
    let path = std::env::args().nth(1).expect("usage: explain_dump DUMP");
    let bytes = std::fs::read(&path).expect("read dump");
    match briefing::clean::clean_seed(&bytes, &path) {
        Ok(c) => {
            println!(
                "title: {}\ndate: {:?}\nbyline: {:?}",
                c.title, c.date, c.byline
            );
            for f in &c.figures {
                println!("figure: {} | {:?}", f.caption, f.credit);
            }
            for b in c.report.iter() {
                let t: String = b.text.replace('\n', " ⏎ ").chars().take(100).collect();
                println!(
                    "{:>5} {:<8} {:<40} {}",
                    b.line,
                    format!("{:?}", b.verdict),
                    b.reason,
                    t
                );
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
