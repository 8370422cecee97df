//! Dev helper: print the cleaner's decision on every block of a dump
//! (verdict, reason, start of the text), like `briefing clean --explain`.
//!
//! Usage: `cargo run --example explain_dump -- [--model MODEL.json] DUMP`
//! (`--model` replaces the embedded dump classifier, e.g. with a
//! cross-validation fold's model, to see decisions on pages it never saw.)

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
    let path = args
        .next()
        .expect("usage: explain_dump [--model MODEL.json] DUMP");
    let bytes = std::fs::read(&path).expect("read dump");
    let cleaned = match &model {
        Some(m) => briefing::clean::decode(&bytes)
            .and_then(|t| briefing::clean::dump::clean_dump_with(&t, m)),
        None => briefing::clean::clean_seed(&bytes, &path),
    };
    match cleaned {
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
