//! `briefing entities suggest`: proper-noun phrases that recur in the
//! articles but are not in the registry, ranked by how many articles name
//! them, then how often.

use super::registry::Registry;
use crate::model::Slug;
use std::collections::{BTreeMap, BTreeSet};

/// A candidate entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    pub count: usize,
    /// Articles naming it, in briefing order.
    pub articles: Vec<Slug>,
}

/// Capitalised words that start sentences or titles and name nothing.
const COMMON: &[&str] = &[
    "A",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Mr",
    "Mrs",
    "Ms",
    "No",
    "Not",
    "Of",
    "On",
    "Or",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "We",
    "What",
    "When",
    "Which",
    "While",
    "Who",
    "With",
    "You",
    "Yes",
    "After",
    "Before",
    "However",
    "Some",
    "Speaking",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Picture",
    "Read",
    "More",
];

/// Words that may join capitalised words inside one name ("Ministry of
/// Defence", "Union State of Russia").
const JOINERS: &[&str] = &["of", "de", "del", "da", "von", "van", "al", "bin"];

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Proper-noun phrases of a text: runs of capitalised words (with joiners
/// inside), cut at punctuation; possessive `'s` removed; a leading common
/// word ("The", "In") dropped.
pub fn phrases(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sentence in text.split(|c: char| ".,;:!?\"“”()[]—–\n".contains(c)) {
        let mut run: Vec<&str> = Vec::new();
        // (word, ends a phrase): a possessive ends the name it closes.
        let words = sentence.split_whitespace().map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            match w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
                Some(stem) => (stem, true),
                None => (w, false),
            }
        });
        let mut flush = |run: &mut Vec<&str>| {
            while run.last().is_some_and(|w| JOINERS.contains(w)) {
                run.pop();
            }
            while run.first().is_some_and(|w| COMMON.contains(w)) {
                run.remove(0);
            }
            let too_short = run.len() == 1 && run[0].len() < 2;
            if !run.is_empty() && !too_short {
                out.push(run.join(" "));
            }
            run.clear();
        };
        for (w, ends) in words.chain(std::iter::once(("", true))) {
            let proper = !w.is_empty()
                && (capitalised(w) && w.chars().any(char::is_lowercase)
                    || w.len() > 1 && w.chars().all(char::is_uppercase));
            if proper {
                run.push(w);
                if ends {
                    flush(&mut run);
                }
            } else if JOINERS.contains(&w) && !run.is_empty() {
                run.push(w);
            } else {
                flush(&mut run);
            }
        }
    }
    out
}

/// A single capitalised adjective rather than a name: a demonym of a
/// registered place ("Russian", "Ukrainian", "Venezuelan") or a word with
/// an adjective ending ("Belarusian", "American", "Western", "Chinese").
fn adjective(registry: &Registry, phrase: &str) -> bool {
    if phrase.contains(' ') {
        return false;
    }
    if ["ian", "can", "ern", "ese", "ish"]
        .iter()
        .any(|end| phrase.len() > end.len() + 2 && phrase.ends_with(end))
    {
        return true;
    }
    let Some(stem) = phrase.strip_suffix('n') else {
        return false;
    };
    let stems = [
        stem.to_string(),
        stem.strip_suffix('a')
            .map(str::to_string)
            .unwrap_or_default(),
        stem.strip_suffix("ia")
            .map(|s| format!("{s}e"))
            .unwrap_or_default(),
    ];
    stems
        .iter()
        .any(|s| !s.is_empty() && registry.resolve(s).is_some())
}

/// Rank candidates across `texts` (article slug, plain text). A phrase is
/// kept when it occurs at least twice, is not a registered name or alias,
/// and contains no registered name as a whole phrase.
pub fn suggest(registry: &Registry, texts: &[(Slug, String)]) -> Vec<Suggestion> {
    let mut found: BTreeMap<String, (usize, BTreeSet<usize>)> = BTreeMap::new();
    for (i, (_, text)) in texts.iter().enumerate() {
        for p in phrases(text) {
            let slot = found.entry(p).or_default();
            slot.0 += 1;
            slot.1.insert(i);
        }
    }
    let known = |p: &str| {
        let words: Vec<&str> = p.split(' ').collect();
        (0..words.len()).any(|i| {
            (i + 1..=words.len()).any(|j| registry.resolve(&words[i..j].join(" ")).is_some())
        })
    };
    let mut out: Vec<Suggestion> = found
        .into_iter()
        .filter(|(p, (count, _))| *count >= 2 && !known(p) && !adjective(registry, p))
        .map(|(name, (count, arts))| Suggestion {
            name,
            count,
            articles: arts.into_iter().map(|i| texts[i].0.clone()).collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        (b.articles.len(), b.count)
            .cmp(&(a.articles.len(), a.count))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn proper_noun_phrases() {
        assert_eq!(
            phrases(
                "The Supreme State Council of the Union met. In Minsk, Russia's Defence Ministry said NATO's plan failed."
            ),
            [
                "Supreme State Council",
                "Union",
                "Minsk",
                "Russia",
                "Defence Ministry",
                "NATO"
            ]
        );
        assert_eq!(
            phrases("Ministry of Defence officials"),
            ["Ministry of Defence"]
        );
    }

    #[test]
    fn ranks_unregistered_recurring_names() {
        let reg = Registry::parse(
            "entities.yaml",
            Arc::from("- name: Putin\n  kind: person\n"),
        )
        .unwrap();
        let s = |x: &str| Slug::parse(x).unwrap();
        let texts = vec![
            (s("a"), "Russian and Putinan things. Western views. Putin met Lukashenko. Lukashenko smiled. Sergei Shoigu too. President Putin spoke.".to_string()),
            (s("b"), "Russian views. Western too. Lukashenko again. Sergei Shoigu was there. Kyiv once.".to_string()),
        ];
        let got = suggest(&reg, &texts);
        let names: Vec<(&str, usize, usize)> = got
            .iter()
            .map(|g| (g.name.as_str(), g.count, g.articles.len()))
            .collect();
        assert_eq!(names, [("Lukashenko", 3, 2), ("Sergei Shoigu", 2, 2)]);
    }
}
