//! Dev helper: the headline candidates of a text dump, best first, with
//! their scores and the cleaner's choice.
//!
//! Usage: `cargo run --example headline_candidates -- DUMP [N]`

use briefing::clean::dump::{features, headline};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: headline_candidates DUMP [N]");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(6);
    let bytes = std::fs::read(&path).expect("read dump");
    let c = match briefing::clean::clean_seed(&bytes, &path) {
        Ok(c) => c,
        Err(e) => {
            println!("error: {e}");
            return;
        }
    };
    let texts: Vec<String> = c
        .report
        .iter()
        .map(|r| {
            r.text
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let shapes: Vec<features::Shape> = refs.iter().map(|t| features::shape(t)).collect();
    let keep: Vec<bool> = c
        .report
        .iter()
        .map(|r| r.verdict == briefing::clean::Verdict::Kept)
        .collect();
    println!("title: {}\ndate: {:?}", c.title, c.date);
    println!("first body block: {:?}", keep.iter().position(|&k| k));
    for cand in headline::candidates(&refs, &shapes, &keep).iter().take(n) {
        let t: String = refs[cand.index].chars().take(90).collect();
        println!("{:6.2} {:>4} {t}", cand.score, cand.index);
        let parts: Vec<String> = cand
            .parts
            .iter()
            .map(|(k, v)| format!("{k} {v:+.2}"))
            .collect();
        println!("            {}", parts.join(", "));
    }
}
