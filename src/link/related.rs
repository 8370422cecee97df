//! Related articles and co-occurring entities, from an inverted index
//! (entity → articles) — never an all-pairs loop over articles.
//!
//! Relatedness is the sum, over shared entities, of a smoothed inverse
//! document frequency `ln(1 + N / df)`: an entity named in few articles
//! says more about two articles than one named everywhere, and an entity
//! named in every article still counts a little.

use rayon::prelude::*;

/// An article related to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    /// Index of the related article.
    pub article: usize,
    pub score: f64,
    /// Shared entities, rarest first.
    pub shared: Vec<usize>,
}

/// Smoothed inverse document frequency.
pub fn idf(articles: usize, df: usize) -> f64 {
    if df == 0 {
        0.0
    } else {
        (1.0 + articles as f64 / df as f64).ln()
    }
}

/// Entities named in more articles than this do not propose candidates:
/// they would add the same small weight to almost every pair, and walking
/// their long posting lists would make the whole pass quadratic.
pub const MAX_POSTING: usize = 200;

/// For each article (its sorted, distinct entity indices), the `limit` most
/// related other articles, best first; ties by article order. Work is
/// bounded by articles × entities per article × [`MAX_POSTING`].
pub fn related(entity_sets: &[Vec<usize>], limit: usize) -> Vec<Vec<Related>> {
    let n = entity_sets.len();
    // Entity indices are dense (registry positions): plain vectors, not maps.
    let entities = entity_sets
        .iter()
        .flat_map(|s| s.iter().copied())
        .max()
        .map_or(0, |m| m + 1);
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); entities];
    for (a, set) in entity_sets.iter().enumerate() {
        for &e in set {
            postings[e].push(a);
        }
    }
    let weight: Vec<f64> = postings.iter().map(|arts| idf(n, arts.len())).collect();
    let index = Postings {
        articles: n,
        posting: |e: usize| postings[e].as_slice(),
        article: |a: &usize| *a,
        weight: |e: usize| weight[e],
    };
    // Articles are independent: in parallel, each thread with its scratch.
    entity_sets
        .par_iter()
        .enumerate()
        .map_init(
            || Scratch::new(n),
            |sc, (a, set)| index.rank(a, set, limit, sc),
        )
        .collect()
}

/// [`related`] of some articles only (`targets`: each article with its
/// sorted, distinct entities), from an entity → articles index kept
/// elsewhere: the live preview, after an article edit, ranks again only
/// the articles whose inputs changed (see `link::relink`). `posting(e)`
/// lists the articles naming entity `e` in article order, `article`
/// reads an article index from one of its items; `articles` is how many
/// articles there are. The same values as [`related`] of the whole
/// briefing, bit for bit (the same sums in the same order).
pub fn related_of<'p, T: Sync + 'p>(
    articles: usize,
    posting: impl Fn(usize) -> &'p [T] + Sync,
    article: impl Fn(&T) -> usize + Sync,
    targets: &[(usize, Vec<usize>)],
    limit: usize,
) -> Vec<Vec<Related>> {
    let index = Postings {
        articles,
        posting: &posting,
        article: &article,
        weight: |e: usize| idf(articles, posting(e).len()),
    };
    targets
        .par_iter()
        .map_init(
            || Scratch::new(articles),
            |sc, (a, set)| index.rank(*a, set, limit, sc),
        )
        .collect()
}

/// An entity → articles index as [`Postings::rank`] reads it.
struct Postings<P, A, W> {
    articles: usize,
    posting: P,
    article: A,
    weight: W,
}

impl<'p, T: 'p, P, A, W> Postings<P, A, W>
where
    P: Fn(usize) -> &'p [T],
    A: Fn(&T) -> usize,
    W: Fn(usize) -> f64,
{
    /// The `limit` articles most related to article `a` (entities `set`).
    fn rank(&self, a: usize, set: &[usize], limit: usize, sc: &mut Scratch) -> Vec<Related> {
        debug_assert_eq!(sc.score.len(), self.articles);
        let best_first =
            |x: &(usize, f64), y: &(usize, f64)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        for &e in set {
            let posting = (self.posting)(e);
            if posting.len() > MAX_POSTING {
                continue;
            }
            let w = (self.weight)(e);
            for item in posting {
                let b = (self.article)(item);
                if b != a {
                    if sc.shared[b].is_empty() {
                        sc.touched.push(b);
                    }
                    sc.score[b] += w;
                    sc.shared[b].push(e);
                }
            }
        }
        let Scratch {
            score,
            shared,
            touched,
            cands,
        } = sc;
        cands.clear();
        cands.extend(
            touched
                .drain(..)
                .map(|b| (b, std::mem::replace(&mut score[b], 0.0))),
        );
        // the best `limit` (a total order: the same as a full sort's)
        if cands.len() > limit {
            cands.select_nth_unstable_by(limit, best_first);
            for &(b, _) in &cands[limit..] {
                shared[b].clear();
            }
            cands.truncate(limit);
        }
        cands.sort_by(best_first);
        cands
            .iter()
            .map(|&(b, s)| {
                let mut sh = std::mem::take(&mut shared[b]);
                sh.sort_by(|x, y| {
                    (self.weight)(*y)
                        .total_cmp(&(self.weight)(*x))
                        .then(x.cmp(y))
                });
                Related {
                    article: b,
                    score: s,
                    shared: sh,
                }
            })
            .collect()
    }
}

/// What [`related`] reuses from one article to the next (per thread): a
/// score accumulator and shared-entity lists per article index, reset
/// after each article (the final sort is a total order, so the visiting
/// order does not matter, and each score is summed in entity order), and
/// the candidates (an article can have thousands, of which it keeps a few).
struct Scratch {
    score: Vec<f64>,
    shared: Vec<Vec<usize>>,
    touched: Vec<usize>,
    cands: Vec<(usize, f64)>,
}

impl Scratch {
    fn new(articles: usize) -> Scratch {
        Scratch {
            score: vec![0.0; articles],
            shared: vec![Vec::new(); articles],
            touched: Vec::new(),
            cands: Vec::new(),
        }
    }
}

/// How often two entities appear together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cooccurrence {
    pub entity: usize,
    /// Paragraphs naming both.
    pub paragraphs: u32,
    /// Articles naming both.
    pub articles: u32,
}

/// For each of `entities` entities, the others it appears with, most often
/// first (paragraphs, then articles, then registry order). `units` are the
/// entity sets of paragraphs, each tagged with its article index.
pub fn cooccurring(entities: usize, units: &[(usize, Vec<usize>)]) -> Vec<Vec<Cooccurrence>> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| units[i].0);
    let mut counts = CooccurrenceCounts::default();
    for i in order {
        counts.add(units[i].0, &units[i].1);
    }
    counts.finish(entities)
}

/// [`cooccurring`] a paragraph at a time, so that the paragraphs of a whole
/// briefing need not be held: [`CooccurrenceCounts::add`] each paragraph's
/// entities, articles in order, then [`CooccurrenceCounts::finish`].
#[derive(Default)]
pub struct CooccurrenceCounts {
    /// Per pair of entities `x < y` (`x << 32 | y`): (paragraphs, articles,
    /// the last article counted + 1). Both orders of a pair count the same,
    /// so one entry serves both. (Counting articles with the last one seen
    /// instead of a set per pair: a `BTreeMap` of `BTreeSet`s was the top
    /// cost of `assemble` at 3k articles.)
    pairs: rustc_hash::FxHashMap<u64, (u32, u32, u32)>,
    last: Option<usize>,
}

impl CooccurrenceCounts {
    /// Count the pairs of one paragraph of article `article`: `set` is its
    /// entities, sorted and distinct. Articles must come in order (an
    /// article's paragraphs together).
    pub fn add(&mut self, article: usize, set: &[usize]) {
        debug_assert!(self.last.is_none_or(|l| l <= article), "articles in order");
        debug_assert!(set.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
        self.last = Some(article);
        let tag = article as u32 + 1;
        for (k, &x) in set.iter().enumerate() {
            for &y in &set[k + 1..] {
                let slot = self
                    .pairs
                    .entry(((x as u64) << 32) | y as u64)
                    .or_insert((0, 0, 0));
                slot.0 += 1;
                if slot.2 != tag {
                    slot.1 += 1;
                    slot.2 = tag;
                }
            }
        }
    }

    /// The co-occurring entities of each of `entities` entities (see
    /// [`cooccurring`]).
    pub fn finish(self, entities: usize) -> Vec<Vec<Cooccurrence>> {
        let (x_of, y_of) = (|k: u64| (k >> 32) as usize, |k: u64| k as u32 as usize);
        // lists of their exact size: they are kept for the whole build
        let mut len = vec![0usize; entities];
        for &k in self.pairs.keys() {
            len[x_of(k)] += 1;
            len[y_of(k)] += 1;
        }
        let mut out: Vec<Vec<Cooccurrence>> = len.into_iter().map(Vec::with_capacity).collect();
        // Any visiting order: each list is sorted below by a total order.
        for (k, (paragraphs, articles, _)) in self.pairs {
            let (x, y) = (x_of(k), y_of(k));
            out[x].push(Cooccurrence {
                entity: y,
                paragraphs,
                articles,
            });
            out[y].push(Cooccurrence {
                entity: x,
                paragraphs,
                articles,
            });
        }
        out.par_iter_mut().for_each(|list| {
            list.sort_by(|a, b| {
                (b.paragraphs, b.articles)
                    .cmp(&(a.paragraphs, a.articles))
                    .then(a.entity.cmp(&b.entity))
            });
        });
        out
    }
}

/// The pairs of entities `(x, y)`, `x < y`, named together in the
/// paragraphs of one article (`sets`: each paragraph's entities, sorted
/// and distinct), with the number of paragraphs naming both.
fn article_pairs<'a>(
    sets: impl IntoIterator<Item = &'a Vec<usize>>,
) -> rustc_hash::FxHashMap<(usize, usize), i64> {
    let mut pairs = rustc_hash::FxHashMap::default();
    for set in sets {
        for (k, &x) in set.iter().enumerate() {
            for &y in &set[k + 1..] {
                *pairs.entry((x, y)).or_insert(0) += 1;
            }
        }
    }
    pairs
}

/// Update the lists of [`cooccurring`] for an article whose paragraphs'
/// entity sets were `old` and are now `new` (its contribution taken out,
/// the new one added): the lists equal those of the whole briefing
/// counted again. Returns the entities whose lists changed.
pub fn update_cooccurring<'a>(
    lists: &mut [Vec<Cooccurrence>],
    old: impl IntoIterator<Item = &'a Vec<usize>>,
    new: impl IntoIterator<Item = &'a Vec<usize>>,
) -> std::collections::BTreeSet<usize> {
    // per pair: (paragraphs, articles) to add
    let mut delta: std::collections::BTreeMap<(usize, usize), (i64, i64)> = Default::default();
    for (pair, n) in article_pairs(old) {
        let d = delta.entry(pair).or_default();
        d.0 -= n;
        d.1 -= 1;
    }
    for (pair, n) in article_pairs(new) {
        let d = delta.entry(pair).or_default();
        d.0 += n;
        d.1 += 1;
    }
    let mut touched = std::collections::BTreeSet::new();
    let adjust = |list: &mut Vec<Cooccurrence>, other: usize, (dp, da): (i64, i64)| {
        let add = |v: u32, d: i64| u32::try_from(i64::from(v) + d).unwrap_or(0);
        match list.iter().position(|c| c.entity == other) {
            Some(i) => {
                let c = &mut list[i];
                c.paragraphs = add(c.paragraphs, dp);
                c.articles = add(c.articles, da);
                if c.paragraphs == 0 {
                    list.remove(i);
                }
            }
            None => list.push(Cooccurrence {
                entity: other,
                paragraphs: add(0, dp),
                articles: add(0, da),
            }),
        }
    };
    for ((x, y), d) in delta {
        if d == (0, 0) || x >= lists.len() || y >= lists.len() {
            continue;
        }
        adjust(&mut lists[x], y, d);
        adjust(&mut lists[y], x, d);
        touched.extend([x, y]);
    }
    for &e in &touched {
        lists[e].sort_by(|a, b| {
            (b.paragraphs, b.articles)
                .cmp(&(a.paragraphs, a.articles))
                .then(a.entity.cmp(&b.entity))
        });
    }
    touched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_shared_entities_weigh_more() {
        // entity 0 everywhere, entity 1 in articles 0 and 2, entity 2 in 0 and 1
        let sets = vec![vec![0, 1, 2], vec![0, 2], vec![0, 1], vec![0]];
        let r = related(&sets, 5);
        let order: Vec<usize> = r[0].iter().map(|x| x.article).collect();
        // 1 and 2 share one rare entity each (tie → article order), 3 only the common one
        assert_eq!(order, [1, 2, 3]);
        assert!((r[0][2].score - idf(4, 4)).abs() < 1e-12);
        assert!((r[0][0].score - (idf(4, 4) + idf(4, 2))).abs() < 1e-12);
        assert_eq!(r[0][0].shared, [2, 0]);
        assert_eq!(idf(4, 4), 2f64.ln());
        assert!(r[3].iter().all(|x| x.shared == [0]));
    }

    #[test]
    fn the_best_few_of_many_candidates_as_a_full_sort_ranks_them() {
        // 300 articles naming a few of 40 entities (a fixed pseudo-random
        // choice): each has many candidates, with ties
        let mut x: u64 = 7;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let sets: Vec<Vec<usize>> = (0..300)
            .map(|_| {
                let mut s: Vec<usize> = (0..1 + next(5)).map(|_| next(40) as usize).collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect();
        let df = |e: usize| sets.iter().filter(|s| s.contains(&e)).count();
        for limit in [1, 5, 1000] {
            let got = related(&sets, limit);
            for (a, set) in sets.iter().enumerate() {
                // every other article sharing a usable entity, fully sorted
                let mut all: Vec<Related> = (0..sets.len())
                    .filter(|&b| b != a)
                    .filter_map(|b| {
                        let mut sh: Vec<usize> = set
                            .iter()
                            .copied()
                            .filter(|&e| sets[b].contains(&e) && df(e) <= MAX_POSTING)
                            .collect();
                        let score = sh.iter().map(|&e| idf(sets.len(), df(e))).sum();
                        sh.sort_by(|x, y| {
                            idf(sets.len(), df(*y))
                                .total_cmp(&idf(sets.len(), df(*x)))
                                .then(x.cmp(y))
                        });
                        (!sh.is_empty()).then_some(Related {
                            article: b,
                            score,
                            shared: sh,
                        })
                    })
                    .collect();
                all.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.article.cmp(&y.article)));
                all.truncate(limit);
                assert_eq!(got[a], all, "article {a}, limit {limit}");
            }
        }
    }

    #[test]
    fn entities_in_very_many_articles_do_not_relate_them() {
        let mut sets = vec![vec![0]; MAX_POSTING + 1];
        sets[0].push(1);
        sets[1].push(1);
        let r = related(&sets, 3);
        assert_eq!(r[0].len(), 1);
        assert_eq!((r[0][0].article, r[0][0].shared.clone()), (1, vec![1]));
        assert!(r[2].is_empty());
    }

    #[test]
    fn articles_without_entities_have_no_related() {
        let r = related(&[vec![], vec![1]], 3);
        assert!(r[0].is_empty() && r[1].is_empty());
    }

    #[test]
    fn cooccurrence_counts_paragraphs_and_articles() {
        let units = vec![(0, vec![0, 1, 2]), (0, vec![0, 1]), (1, vec![0, 2])];
        let c = cooccurring(3, &units);
        assert_eq!(
            c[0],
            [
                Cooccurrence {
                    entity: 1,
                    paragraphs: 2,
                    articles: 1
                },
                Cooccurrence {
                    entity: 2,
                    paragraphs: 2,
                    articles: 2
                },
            ]
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
        );
        assert_eq!(c[1][0].entity, 0);
    }

    #[test]
    fn counted_a_paragraph_at_a_time_as_by_definition() {
        // 60 articles of a few paragraphs naming some of 12 entities
        let mut x: u64 = 11;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut units: Vec<(usize, Vec<usize>)> = Vec::new();
        for a in 0..60 {
            for _ in 0..next(4) {
                let mut set: Vec<usize> = (0..next(5)).map(|_| next(12) as usize).collect();
                set.sort_unstable();
                set.dedup();
                units.push((a, set));
            }
        }
        let got = cooccurring(12, &units);
        for (e, got) in got.iter().enumerate() {
            // by definition: paragraphs naming both, articles naming both
            // in one paragraph
            let mut want: Vec<Cooccurrence> = (0..12)
                .filter(|&o| o != e)
                .filter_map(|o| {
                    let both: Vec<usize> = units
                        .iter()
                        .filter(|(_, s)| s.contains(&e) && s.contains(&o))
                        .map(|(a, _)| *a)
                        .collect();
                    let mut arts = both.clone();
                    arts.dedup();
                    (!both.is_empty()).then_some(Cooccurrence {
                        entity: o,
                        paragraphs: both.len() as u32,
                        articles: arts.len() as u32,
                    })
                })
                .collect();
            want.sort_by(|a, b| {
                (b.paragraphs, b.articles)
                    .cmp(&(a.paragraphs, a.articles))
                    .then(a.entity.cmp(&b.entity))
            });
            assert_eq!(*got, want, "entity {e}");
        }
    }
}
