//! Find entity mentions in an article's plain text: one multi-pattern scan
//! (Aho–Corasick over every name and alias) per article, whole words only,
//! longest match first. Possessives ("Russia's", "Russia’s") match because
//! the apostrophe ends the word.

use super::registry::Registry;
use crate::config::EntityLinks;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// One mention of an entity in a body's plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Index into [`Registry::entities`].
    pub entity: usize,
    /// Byte range in the plain text.
    pub start: usize,
    pub end: usize,
    /// Index of the top-level block (paragraph) holding it.
    pub block: usize,
    /// Whether it is rendered as a link (see [`EntityLinks`]).
    pub linked: bool,
}

/// A compiled matcher over every name and alias of a registry. Build it
/// once per briefing, then scan each article once.
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Pattern index → entity index.
    entity_of: Vec<usize>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("names", &self.entity_of.len())
            .finish_non_exhaustive()
    }
}

/// Up to this many names and aliases, the matcher is a DFA.
const DFA_MAX_NAMES: usize = 10_000;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Matcher {
    pub fn new(registry: &Registry) -> Matcher {
        let names = registry.names();
        let patterns: Vec<&str> = names.iter().map(|(n, _)| n.trim()).collect();
        let entity_of = names.iter().map(|(_, i)| *i).collect();
        let usable = patterns.iter().all(|p| !p.is_empty());
        let ac = (usable && !patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    // a DFA scans fastest, but building it grows faster
                    // than the names: past a few thousand entities (a
                    // registry can list 100,000), aho-corasick chooses
                    .kind((patterns.len() <= DFA_MAX_NAMES).then_some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Matcher { ac, entity_of }
    }

    /// Every whole-word mention in `text`, left to right, without overlaps
    /// (at one position the longest name wins; a later match that overlaps
    /// an earlier one is dropped). `blocks` are the top-level block ranges
    /// of the text; `mode` decides which mentions are linked.
    /// Mentions overlapping a range of `skip` (code and image descriptions,
    /// see [`crate::markdown::PlainText::code`]) are left out; those
    /// overlapping a range of `in_links` (link text,
    /// [`crate::markdown::PlainText::links`]) are never linked
    /// (HTML has no link inside a link: they get their anchor only), and
    /// do not take the place of the entity's first link (see
    /// [`EntityLinks`]). Both lists are in text order and disjoint.
    pub fn find(
        &self,
        text: &str,
        blocks: &[std::ops::Range<usize>],
        skip: &[std::ops::Range<usize>],
        in_links: &[std::ops::Range<usize>],
        mode: EntityLinks,
    ) -> Vec<Mention> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        // All candidate matches (overlapping), kept when they are whole words.
        let mut cands: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
            })
            .map(|m| (m.start(), m.end(), self.entity_of[m.pattern().as_usize()]))
            .collect();
        // Leftmost first; at one start, longest first.
        cands.sort_by_key(|&(s, e, i)| (s, std::cmp::Reverse(e), i));
        let mut out: Vec<Mention> = Vec::new();
        let mut reach = 0;
        let mut block = 0;
        // the entities linked so far (in this paragraph, or in the body)
        let mut linked_already: Vec<usize> = Vec::new();
        let (mut skip_at, mut link_at) = (0, 0);
        for (start, end, entity) in cands {
            if overlaps(skip, &mut skip_at, start, end) || start < reach {
                continue;
            }
            reach = end;
            while block + 1 < blocks.len() && blocks[block].end <= start {
                block += 1;
                if mode == EntityLinks::Paragraph {
                    linked_already.clear();
                }
            }
            let linked = !overlaps(in_links, &mut link_at, start, end)
                && match mode {
                    EntityLinks::All => true,
                    EntityLinks::First | EntityLinks::Paragraph => {
                        if linked_already.contains(&entity) {
                            false
                        } else {
                            linked_already.push(entity);
                            true
                        }
                    }
                };
            out.push(Mention {
                entity,
                start,
                end,
                block,
                linked,
            });
        }
        out
    }
}

/// Whether `start..end` overlaps a range of `ranges` (in text order,
/// disjoint), for starts that never decrease: `at` remembers where the
/// last call stopped, so a whole scan is linear.
fn overlaps(ranges: &[std::ops::Range<usize>], at: &mut usize, start: usize, end: usize) -> bool {
    while ranges.get(*at).is_some_and(|r| r.end <= start) {
        *at += 1;
    }
    ranges.get(*at).is_some_and(|r| r.start < end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn registry() -> Registry {
        let y = "- name: Russia\n  kind: place\n- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n- name: Storm Shadow\n  kind: weapon\n- name: Storm\n  kind: other\n";
        Registry::parse("entities.yaml", Arc::from(y)).unwrap()
    }

    fn found(text: &str, mode: EntityLinks) -> Vec<(String, usize, bool)> {
        let blocks = crate::markdown::plain_text(text).blocks;
        Matcher::new(&registry())
            .find(text, &blocks, &[], &[], mode)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.entity, m.linked))
            .collect()
    }

    #[test]
    fn whole_words_longest_first_and_possessives() {
        let got = found(
            "Russia's and Russia’s Storm Shadow; Russian Putin, Vladimir Putin. Stormy Storm.",
            EntityLinks::All,
        );
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "Russia",
                "Russia",
                "Storm Shadow",
                "Putin",
                "Vladimir Putin",
                "Storm"
            ]
        );
        assert_eq!(got[3].1, got[4].1, "alias and name are one entity");
    }

    #[test]
    fn first_per_paragraph_links_only_the_first() {
        let got = found("Putin met Putin.\n\nPutin again.", EntityLinks::Paragraph);
        let linked: Vec<bool> = got.iter().map(|g| g.2).collect();
        assert_eq!(linked, [true, false, true]);
    }

    #[test]
    fn first_links_the_first_mention_of_the_body_only() {
        let got = found(
            "Putin met Putin.\n\nPutin again, in Russia.\n\nRussia and Vladimir Putin.",
            EntityLinks::First,
        );
        let linked: Vec<(&str, bool)> = got.iter().map(|g| (g.0.as_str(), g.2)).collect();
        assert_eq!(
            linked,
            [
                ("Putin", true),
                ("Putin", false),
                ("Putin", false),
                ("Russia", true),
                ("Russia", false),
                ("Vladimir Putin", false)
            ]
        );
    }

    #[test]
    fn a_mention_in_link_text_does_not_take_the_first_link() {
        let text = "See [Putin](https://x.org).\n\nPutin again. Putin.";
        let plain = crate::markdown::plain_text(text);
        let m = Matcher::new(&registry()).find(
            &plain.text,
            &plain.blocks,
            &plain.code,
            &plain.links,
            EntityLinks::First,
        );
        let linked: Vec<bool> = m.iter().map(|m| m.linked).collect();
        assert_eq!(linked, [false, true, false]);
    }

    const MIXED: &str = "# Putin heading\n\nSee [Putin](https://x.org) and `Putin` inline.\n\n```\nPutin in code\n```\n\n> Putin quoted\n> twice\n\n| a | b |\n|---|---|\n| `Putin` | x |\n\n- one\n- `two`\n";

    #[test]
    fn plain_text_knows_where_code_is() {
        let plain = crate::markdown::plain_text(MIXED);
        let got: Vec<&str> = plain.code.iter().map(|r| &plain.text[r.clone()]).collect();
        assert_eq!(got, ["Putin", "Putin in code\n", "Putin", "two"]);
    }

    #[test]
    fn names_in_code_are_not_mentions() {
        let plain = crate::markdown::plain_text(MIXED);
        let m = Matcher::new(&registry()).find(
            &plain.text,
            &plain.blocks,
            &plain.code,
            &plain.links,
            EntityLinks::All,
        );
        let at: Vec<&str> = m.iter().map(|m| &plain.text[m.start..m.end + 3]).collect();
        assert_eq!(at, ["Putin he", "Putin an", "Putin qu"]);
        // the one in the link is an anchor, not a link
        let linked: Vec<bool> = m.iter().map(|m| m.linked).collect();
        assert_eq!(linked, [true, false, true]);
    }

    #[test]
    fn an_empty_registry_finds_nothing() {
        let m = Matcher::new(&Registry::default());
        let blocks = vec![0..5, 6..6];
        assert!(
            m.find("Putin", &blocks, &[], &[], EntityLinks::All)
                .is_empty()
        );
    }

    #[test]
    fn a_name_starting_with_punctuation_is_found_only_as_a_whole_word() {
        let y = "- name: .NET\n  kind: other\n- name: Putin\n  kind: person\n";
        let reg = Registry::parse("entities.yaml", Arc::from(y)).unwrap();
        let text = "Putin uses .NET and x.NET daily.";
        let got: Vec<&str> = Matcher::new(&reg)
            .find(
                text,
                std::slice::from_ref(&(0..text.len())),
                &[],
                &[],
                EntityLinks::All,
            )
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(got, ["Putin", ".NET"]);
    }
}
