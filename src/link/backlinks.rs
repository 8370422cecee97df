//! Backlinks: which annotations point at an article, a passage or an
//! entity. The annotation stage resolves its wikilinks and hands them over
//! as [`AnnotationRef`]s; this module only inverts them.

use crate::model::Slug;
use std::collections::BTreeMap;

/// Where a resolved wikilink points, as a page and anchor. (The annotation
/// stage resolves `[[…]]` text and names annotations by id; `site`
/// translates its targets into these, with the page anchors `a-<id>`.)
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// `[[slug]]`
    Article(Slug),
    /// A passage of an article: its slug and the anchor id on its page.
    Passage(Slug, String),
    /// `[[Entity name]]`
    Entity(Slug),
}

/// One annotation and the targets its note links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationRef {
    /// The annotated article.
    pub article: Slug,
    /// The annotation's id (its anchor on the article page).
    pub annotation: String,
    /// A short text for lists: the annotated passage.
    pub label: String,
    pub targets: Vec<Target>,
}

/// An annotation pointing here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    /// The passage of this article it points at, when it names one.
    pub passage: Option<String>,
    /// Where the pointing annotation is.
    pub from_article: Slug,
    pub annotation: String,
    pub label: String,
}

/// Backlinks by target article, and annotations by entity slug; each list
/// sorted and without duplicates.
pub fn backlinks(
    refs: &[AnnotationRef],
) -> (BTreeMap<Slug, Vec<Backlink>>, BTreeMap<Slug, Vec<Backlink>>) {
    let mut articles: BTreeMap<Slug, Vec<Backlink>> = BTreeMap::new();
    let mut entities: BTreeMap<Slug, Vec<Backlink>> = BTreeMap::new();
    for r in refs {
        for t in &r.targets {
            let (map, key, passage) = match t {
                Target::Article(s) => (&mut articles, s, None),
                Target::Passage(s, id) => (&mut articles, s, Some(id.clone())),
                Target::Entity(s) => (&mut entities, s, None),
            };
            map.entry(key.clone()).or_default().push(Backlink {
                passage,
                from_article: r.article.clone(),
                annotation: r.annotation.clone(),
                label: r.label.clone(),
            });
        }
    }
    for list in articles.values_mut().chain(entities.values_mut()) {
        list.sort();
        list.dedup();
        // (kept to the end of the build)
        list.shrink_to_fit();
    }
    (articles, entities)
}

/// Backlink lists by slug.
pub type Lists = BTreeMap<Slug, Vec<Backlink>>;

/// [`backlinks`] after the annotations of the articles `from` changed:
/// `before` and `after` are every ref from those articles, before and
/// after the change. Updates both maps in place to what [`backlinks`] of
/// the new refs gives, and returns the article and entity slugs whose
/// lists changed.
pub fn update(
    maps: (&mut Lists, &mut Lists),
    from: &std::collections::BTreeSet<Slug>,
    before: &[AnnotationRef],
    after: &[AnnotationRef],
) -> (
    std::collections::BTreeSet<Slug>,
    std::collections::BTreeSet<Slug>,
) {
    let (mut added_a, mut added_e) = backlinks(after);
    let (articles, entities) = maps;
    let mut touched_a: std::collections::BTreeSet<Slug> = added_a.keys().cloned().collect();
    let mut touched_e: std::collections::BTreeSet<Slug> = added_e.keys().cloned().collect();
    for r in before {
        for t in &r.targets {
            match t {
                Target::Article(s) | Target::Passage(s, _) => touched_a.insert(s.clone()),
                Target::Entity(s) => touched_e.insert(s.clone()),
            };
        }
    }
    let redo = |map: &mut BTreeMap<Slug, Vec<Backlink>>,
                added: &mut BTreeMap<Slug, Vec<Backlink>>,
                touched: std::collections::BTreeSet<Slug>| {
        let mut changed = std::collections::BTreeSet::new();
        for t in touched {
            let old = map.remove(&t).unwrap_or_default();
            let mut list: Vec<Backlink> = old
                .iter()
                .filter(|b| !from.contains(&b.from_article))
                .cloned()
                .collect();
            list.extend(added.remove(&t).unwrap_or_default());
            list.sort();
            list.dedup();
            if list != old {
                changed.insert(t.clone());
            }
            if !list.is_empty() {
                map.insert(t, list);
            }
        }
        changed
    };
    (
        redo(articles, &mut added_a, touched_a),
        redo(entities, &mut added_e, touched_e),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Slug {
        Slug::parse(x).unwrap()
    }

    #[test]
    fn inverts_targets_by_article_passage_and_entity() {
        let refs = [
            AnnotationRef {
                article: s("a"),
                annotation: "n1".into(),
                label: "range claim".into(),
                targets: vec![
                    Target::Passage(s("b"), "p2".into()),
                    Target::Entity(s("oreshnik")),
                    Target::Passage(s("b"), "p2".into()),
                ],
            },
            AnnotationRef {
                article: s("c"),
                annotation: "n9".into(),
                label: "x".into(),
                targets: vec![Target::Article(s("b"))],
            },
        ];
        let (arts, ents) = backlinks(&refs);
        let b = &arts[&s("b")];
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].passage, None);
        assert_eq!(b[0].from_article, s("c"));
        assert_eq!(b[1].passage.as_deref(), Some("p2"));
        assert_eq!(ents[&s("oreshnik")][0].annotation, "n1");
    }

    use proptest::prelude::*;

    fn arb_ref() -> impl Strategy<Value = AnnotationRef> {
        let target = prop_oneof![
            (0..4u8).prop_map(|a| Target::Article(s(&format!("a{a}")))),
            (0..4u8, 0..2u8)
                .prop_map(|(a, p)| Target::Passage(s(&format!("a{a}")), format!("p{p}"))),
            (0..3u8).prop_map(|e| Target::Entity(s(&format!("e{e}")))),
        ];
        (
            0..4u8,
            0..3u8,
            0..2u8,
            proptest::collection::vec(target, 0..4),
        )
            .prop_map(|(a, n, l, targets)| AnnotationRef {
                article: s(&format!("a{a}")),
                annotation: format!("n{n}"),
                label: format!("label {l}"),
                targets,
            })
    }

    proptest! {
        /// Updating the backlinks for the articles whose refs changed
        /// gives what inverting all the new refs gives.
        #[test]
        fn an_update_equals_a_fresh_inversion(
            old in proptest::collection::vec(arb_ref(), 0..12),
            fresh in proptest::collection::vec(arb_ref(), 0..12),
            changed in proptest::collection::btree_set(0..4u8, 0..4),
        ) {
            let from: std::collections::BTreeSet<Slug> =
                changed.iter().map(|a| s(&format!("a{a}"))).collect();
            let before: Vec<AnnotationRef> =
                old.iter().filter(|r| from.contains(&r.article)).cloned().collect();
            let after: Vec<AnnotationRef> =
                fresh.into_iter().filter(|r| from.contains(&r.article)).collect();
            let mut new_refs: Vec<AnnotationRef> =
                old.iter().filter(|r| !from.contains(&r.article)).cloned().collect();
            new_refs.extend(after.iter().cloned());
            let (mut arts, mut ents) = backlinks(&old);
            let (old_arts, old_ents) = (arts.clone(), ents.clone());
            let (ca, ce) = update((&mut arts, &mut ents), &from, &before, &after);
            let (want_arts, want_ents) = backlinks(&new_refs);
            prop_assert_eq!(&arts, &want_arts);
            prop_assert_eq!(&ents, &want_ents);
            // what it says changed is exactly what changed
            for (slug, list) in want_arts.iter() {
                prop_assert_eq!(ca.contains(slug), old_arts.get(slug) != Some(list));
            }
            for (slug, list) in want_ents.iter() {
                prop_assert_eq!(ce.contains(slug), old_ents.get(slug) != Some(list));
            }
        }
    }
}
