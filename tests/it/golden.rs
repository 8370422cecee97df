//! Cleaning the two seeds gives what `tests/fixtures/golden/` (a copy of
//! `shared/golden/`) shows: the same front-matter values and the same body
//! paragraphs.

use crate::common;

use common::TestProject;
use std::collections::BTreeMap;

/// Front matter as a map of YAML values, and the body's paragraphs.
fn split(md: &str) -> (BTreeMap<String, serde_yaml::Value>, Vec<String>) {
    let rest = md.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closing fence");
    let fm: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(&rest[..end]).unwrap();
    let body = rest[end + 5..]
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    (fm, body)
}

fn check_seed(stem: &str) {
    let p = TestProject::with_seeds();
    let out = p.path("out");
    let r = p.run(&[
        "clean",
        "--out",
        out.to_str().unwrap(),
        &format!("seeds/{stem}.txt"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
    let want = std::fs::read_to_string(
        common::repo_root().join(format!("tests/fixtures/golden/{stem}.md")),
    )
    .unwrap();
    let (got_fm, got_body) = split(&got);
    let (want_fm, want_body) = split(&want);
    for key in [
        "title", "slug", "date", "byline", "source", "summary", "figures",
    ] {
        assert_eq!(
            got_fm.get(key),
            want_fm.get(key),
            "{stem}: front matter `{key}` differs"
        );
    }
    // not in the golden files (a key added after them): the hash of the
    // seed's very bytes, as `sha256sum` prints it
    let seed = std::fs::read(p.path(&format!("seeds/{stem}.txt"))).unwrap();
    let want_hash: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&seed)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(
        got_fm.get("seed_sha256").and_then(|v| v.as_str()),
        Some(want_hash.as_str()),
        "{stem}: front matter `seed_sha256`"
    );
    for (i, (g, w)) in got_body.iter().zip(&want_body).enumerate() {
        assert_eq!(g, w, "{stem}: body paragraph {} differs", i + 1);
    }
    assert_eq!(
        got_body.len(),
        want_body.len(),
        "{stem}: number of body paragraphs"
    );
}

#[test]
fn seed_000_matches_golden() {
    check_seed("000_df13072c3159046a");
}

#[test]
fn seed_004_matches_golden() {
    check_seed("004_a621f7fa4f80e312");
}
