//! map: what each article gets from its annotations, by slug — a sorted
//! map kept in shared chunks, so that a copy costs a reference count per
//! chunk and changing one article copies one chunk: after an edit in
//! `serve`, the new map shares all but the edited article's chunk with
//! the last one (at 10,000 articles, copying a `BTreeMap` entry by entry
//! cost more than anchoring the edit), and telling which articles differ
//! skips the chunks both share.

use super::ArticleAnnotations;
use crate::model::Slug;
use std::sync::Arc;

/// About how many articles a chunk holds (in tests a few, so that the
/// tests' small briefings span chunks, split them and empty them).
const CHUNK: usize = if cfg!(test) { 3 } else { 64 };

type Entry = (Slug, Arc<ArticleAnnotations>);

/// Article slug → [`ArticleAnnotations`], sorted by slug.
#[derive(Clone, Default)]
pub struct ArticleMap {
    chunks: Vec<Arc<Vec<Entry>>>,
    len: usize,
}

impl ArticleMap {
    /// The map of `entries`, sorted by slug, each slug once.
    pub(super) fn from_sorted(entries: impl IntoIterator<Item = Entry>) -> ArticleMap {
        let mut chunks = Vec::new();
        let mut len = 0;
        let mut chunk = Vec::with_capacity(CHUNK);
        for e in entries {
            debug_assert!(chunk.last().is_none_or(|(s, _): &Entry| *s < e.0));
            chunk.push(e);
            len += 1;
            if chunk.len() == CHUNK {
                chunks.push(Arc::new(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(CHUNK),
                )));
            }
        }
        if !chunk.is_empty() {
            chunks.push(Arc::new(chunk));
        }
        ArticleMap { chunks, len }
    }

    /// The chunk that holds `slug` if any does (or where it would go).
    fn chunk_of(&self, slug: &Slug) -> usize {
        self.chunks
            .partition_point(|c| c.last().is_some_and(|(s, _)| s < slug))
    }

    pub fn get(&self, slug: &Slug) -> Option<&Arc<ArticleAnnotations>> {
        self.get_key_value(slug).map(|(_, v)| v)
    }

    pub fn get_key_value(&self, slug: &Slug) -> Option<(&Slug, &Arc<ArticleAnnotations>)> {
        let c = self.chunks.get(self.chunk_of(slug))?;
        let i = c.binary_search_by(|(s, _)| s.cmp(slug)).ok()?;
        Some((&c[i].0, &c[i].1))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Slug, &Arc<ArticleAnnotations>)> + Clone {
        self.chunks
            .iter()
            .flat_map(|c| c.iter().map(|(s, v)| (s, v)))
    }

    pub fn values(&self) -> impl Iterator<Item = &Arc<ArticleAnnotations>> + Clone {
        self.iter().map(|(_, v)| v)
    }

    /// Set (`Some`) or remove (`None`) the entry of `slug`, copying only
    /// the chunk it is in.
    pub(super) fn set(&mut self, slug: &Slug, value: Option<Arc<ArticleAnnotations>>) {
        let mut ci = self.chunk_of(slug);
        if ci == self.chunks.len() {
            match value {
                // after every slug: at the end of the last chunk
                Some(_) if ci > 0 => ci -= 1,
                Some(v) => {
                    self.chunks.push(Arc::new(vec![(slug.clone(), v)]));
                    self.len += 1;
                    return;
                }
                None => return,
            }
        }
        let chunk = &self.chunks[ci];
        let at = chunk.binary_search_by(|(s, _)| s.cmp(slug));
        match (at, value) {
            (Ok(i), Some(v)) => {
                if !Arc::ptr_eq(&chunk[i].1, &v) {
                    Arc::make_mut(&mut self.chunks[ci])[i].1 = v;
                }
            }
            (Ok(i), None) => {
                let c = Arc::make_mut(&mut self.chunks[ci]);
                c.remove(i);
                self.len -= 1;
                if c.is_empty() {
                    self.chunks.remove(ci);
                }
            }
            (Err(i), Some(v)) => {
                let c = Arc::make_mut(&mut self.chunks[ci]);
                c.insert(i, (slug.clone(), v));
                self.len += 1;
                if c.len() > 2 * CHUNK {
                    let rest = c.split_off(CHUNK);
                    self.chunks.insert(ci + 1, Arc::new(rest));
                }
            }
            (Err(_), None) => {}
        }
    }

    /// The slugs whose entries differ between `old` and `self` (by pointer:
    /// an entry kept is the same `Arc`), skipping the chunks both share.
    pub fn changed_since(&self, old: &ArticleMap) -> std::collections::BTreeSet<Slug> {
        let mut changed = std::collections::BTreeSet::new();
        if self.chunks.len() == old.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&old.chunks)
                .all(|(a, b)| Arc::ptr_eq(a, b))
        {
            return changed;
        }
        // both in step; a chunk both share is skipped whole
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&self.chunks, &old.chunks);
        while i < a.len() && j < b.len() {
            if Arc::ptr_eq(&a[i], &b[j]) {
                i += 1;
                j += 1;
                continue;
            }
            // the entries of the two chunks, merged by slug, until both
            // end at the same slug
            let (mut x, mut y) = (a[i].iter().peekable(), b[j].iter().peekable());
            loop {
                match (x.peek(), y.peek()) {
                    (Some((s, v)), Some((t, w))) => match s.cmp(t) {
                        std::cmp::Ordering::Equal => {
                            if !Arc::ptr_eq(v, w) {
                                changed.insert(s.clone());
                            }
                            x.next();
                            y.next();
                        }
                        std::cmp::Ordering::Less => {
                            changed.insert(s.clone());
                            x.next();
                        }
                        std::cmp::Ordering::Greater => {
                            changed.insert(t.clone());
                            y.next();
                        }
                    },
                    (Some(_), None) => {
                        // the old side goes on in its next chunk
                        j += 1;
                        match b.get(j) {
                            Some(c) => y = c.iter().peekable(),
                            None => {
                                changed.extend(x.map(|(s, _)| s.clone()));
                                i += 1;
                                break;
                            }
                        }
                    }
                    (None, Some(_)) => {
                        i += 1;
                        match a.get(i) {
                            Some(c) => x = c.iter().peekable(),
                            None => {
                                changed.extend(y.map(|(s, _)| s.clone()));
                                j += 1;
                                break;
                            }
                        }
                    }
                    (None, None) => {
                        i += 1;
                        j += 1;
                        break;
                    }
                }
            }
        }
        for c in &a[i.min(a.len())..] {
            changed.extend(c.iter().map(|(s, _)| s.clone()));
        }
        for c in &b[j.min(b.len())..] {
            changed.extend(c.iter().map(|(s, _)| s.clone()));
        }
        changed
    }
}

impl<'a> IntoIterator for &'a ArticleMap {
    type Item = (&'a Slug, &'a Arc<ArticleAnnotations>);
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl PartialEq for ArticleMap {
    fn eq(&self, other: &ArticleMap) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for ArticleMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn slug(i: usize) -> Slug {
        Slug::parse(&format!("a-{i:04}")).unwrap()
    }

    proptest! {
        /// Random sets and removals give the map a `BTreeMap` gives, and
        /// `changed_since` names exactly the slugs whose entries differ.
        #[test]
        fn a_chunked_map_is_a_sorted_map(
            start in proptest::collection::btree_set(0..400usize, 0..300),
            edits in proptest::collection::vec((0..400usize, any::<bool>()), 0..60),
        ) {
            let value = || Arc::new(ArticleAnnotations::default());
            let mut model: BTreeMap<Slug, Arc<ArticleAnnotations>> =
                start.iter().map(|&i| (slug(i), value())).collect();
            let mut map = ArticleMap::from_sorted(model.clone());
            let old = map.clone();
            let old_model = model.clone();
            for (i, set) in edits {
                let v = set.then(value);
                match &v {
                    Some(v) => model.insert(slug(i), v.clone()),
                    None => model.remove(&slug(i)),
                };
                map.set(&slug(i), v);
            }
            prop_assert_eq!(map.len(), model.len());
            prop_assert!(map.iter().map(|(s, v)| (s.clone(), Arc::as_ptr(v)))
                .eq(model.iter().map(|(s, v)| (s.clone(), Arc::as_ptr(v)))));
            for i in 0..400 {
                prop_assert_eq!(
                    map.get(&slug(i)).map(Arc::as_ptr),
                    model.get(&slug(i)).map(Arc::as_ptr)
                );
            }
            let mut want = std::collections::BTreeSet::new();
            for (s, v) in &model {
                if old_model.get(s).is_none_or(|w| !Arc::ptr_eq(v, w)) {
                    want.insert(s.clone());
                }
            }
            want.extend(old_model.keys().filter(|s| !model.contains_key(*s)).cloned());
            prop_assert_eq!(map.changed_since(&old), want);
        }
    }
}
