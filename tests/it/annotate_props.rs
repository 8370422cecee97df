//! Property tests of anchoring: an exact quote keeps its span, edits outside
//! the passage keep the anchor, typographic variants anchor, a deleted
//! passage orphans, and the same input always gives the same anchors.

use briefing::annotate::anchor::{Outcome, find};
use briefing::annotate::{self, AnnotationSource};
use briefing::content::parse_article;
use proptest::prelude::*;
use std::sync::Arc;

/// Words that cannot collide with the marker passage below.
fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "alpha",
        "beta",
        "gamma",
        "delta",
        "missile",
        "Kremlin",
        "said",
        "the",
        "of",
        "in",
        "Belarus",
        "Venezuela",
        "“quoted”",
        "it’s",
        "—",
        "2024",
        "Nicolás",
        "über",
    ])
    .prop_map(str::to_string)
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..12).prop_map(|w| w.join(" "))
}

const PASSAGE: &str = "the Oreshnik is impossible to intercept";

fn range_of(o: &Outcome) -> Option<std::ops::Range<usize>> {
    match o {
        Outcome::Found(m) if m.ranges.len() == 1 => Some(m.ranges[0].clone()),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn an_exact_quote_keeps_its_span(before in sentence(), after in sentence()) {
        let text = format!("{before} {PASSAGE} {after}");
        let r = range_of(&find(&text, PASSAGE)).expect("found once");
        prop_assert_eq!(&text[r.clone()], PASSAGE);
        prop_assert_eq!(r.start, before.len() + 1);
    }

    #[test]
    fn edits_outside_the_passage_keep_the_anchor(
        before in sentence(), after in sentence(), b2 in sentence(), a2 in sentence()
    ) {
        let one = format!("{before} {PASSAGE}. {after}");
        let two = format!("{b2}\n\n{PASSAGE}. {a2}");
        let r1 = range_of(&find(&one, PASSAGE)).expect("found in one");
        let r2 = range_of(&find(&two, PASSAGE)).expect("found in two");
        prop_assert_eq!(&one[r1], &two[r2]);
    }

    #[test]
    fn typographic_variants_anchor(before in sentence(), after in sentence(), upper in any::<bool>()) {
        let published = "the “Oreshnik” is impossible\u{ad} to intercept — it’s said…";
        let text = format!("{before} {published} {after}");
        let mut typed = "the \"Oreshnik\"   is impossible to intercept - it's said...".to_string();
        if upper {
            typed = typed.to_uppercase();
        }
        let r = range_of(&find(&text, &typed)).expect("typed variant anchors");
        prop_assert_eq!(&text[r], published);
    }

    #[test]
    fn a_deleted_passage_orphans(before in sentence(), after in sentence()) {
        let text = format!("{before} {after}");
        let missing = matches!(find(&text, PASSAGE), Outcome::Missing(_));
        prop_assert!(missing);
    }

    #[test]
    fn anchoring_is_deterministic(before in sentence(), after in sentence(), typo in 0usize..PASSAGE.len()) {
        let body = format!("{before}\n\n{PASSAGE}.\n\n{after}\n");
        let text = format!("---\ntitle: A\nslug: a\n---\n\n{body}");
        let art = parse_article("content/a.md", Arc::from(text)).unwrap();
        let mut quote = PASSAGE.to_string();
        if quote.is_char_boundary(typo) && quote.is_char_boundary(typo + 1) {
            quote.replace_range(typo..typo + 1, "x");
        }
        let file = AnnotationSource {
            file: "annotations/a.md".into(),
            text: Arc::from(format!("---\narticle: a\n---\n## \"{quote}\"\nnote\n")),
        };
        let run = || {
            let (a, p) = annotate::anchor_all(std::slice::from_ref(&file), std::slice::from_ref(&art));
            let spans: Vec<(String, std::ops::Range<usize>)> =
                a.all().iter().map(|x| (x.id.clone(), x.range.clone())).collect();
            let problems: Vec<String> = p.iter().map(|p| p.render_plain()).collect();
            let mine = a.for_article(&art.slug);
            let highlights = mine.map(|x| x.highlights()).unwrap_or_default();
            let html = briefing::markdown::render_with(
                art.body(),
                highlights.iter(),
                &mine.map(|x| x.after_block(&art.slug)).unwrap_or_default(),
            );
            (spans, problems, html)
        };
        let first = run();
        prop_assert_eq!(first.clone(), run());
        // one typo in a 39-character quote still anchors
        prop_assert_eq!(first.0.len(), 1);
    }

    #[test]
    fn arbitrary_input_never_panics(text in "\\PC{0,80}", quote in "\\PC{0,20}") {
        let _ = find(&text, &quote);
        let file = AnnotationSource {
            file: "annotations/x.md".into(),
            text: Arc::from(format!("---\narticle: a\n---\n{text}\n## {quote}\n{text}")),
        };
        let art = parse_article("content/a.md", Arc::from(format!("---\ntitle: A\nslug: a\n---\n{text}"))).unwrap();
        let _ = annotate::anchor_all(&[file], &[art]);
    }
}
