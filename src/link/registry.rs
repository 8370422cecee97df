//! The entity registry: parse `entities.yaml` into [`Entity`]s with unique
//! page slugs, and look entities up by name, alias or slug.

use crate::diag::{Problem, Problems};
use crate::model::Slug;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What kind of thing an entity is (read as one of [`EntityKind::NAMES`],
/// so that `kind: [person]` says which words are allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organisation,
    Weapon,
    Event,
    Other,
}

/// One entry of `entities.yaml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityEntry {
    pub name: String,
    pub kind: EntityKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Markdown.
    #[serde(default)]
    pub description: String,
}

impl<'de> Deserialize<'de> for EntityKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::yaml::one_of(d, &EntityKind::NAMES, &EntityKind::ALL)
    }
}

/// A registered entity with its page slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub slug: Slug,
    pub entry: EntityEntry,
}

/// The entity registry, with lookup by name or alias (case-insensitive).
#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub entities: Vec<Entity>,
    by_name: BTreeMap<String, usize>,
    by_slug: BTreeMap<Slug, usize>,
    /// The registry file that exists but did not load (see
    /// [`Registry::unloaded`]).
    unloaded: Option<String>,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Registry {
    /// Parse `entities.yaml` (a list of entries).
    pub fn parse(file: &str, text: Arc<str>) -> Result<Registry, Problems> {
        let entries: Vec<EntityEntry> =
            crate::yaml::from_str_at(file, &text, &text, 0, "the entity registry")?;
        let mut reg = Registry::default();
        let mut problems = Problems::default();
        let mut cursor = 0;
        for entry in entries {
            let Some(base) = Slug::from_title(&entry.name) else {
                let at = text.find(&entry.name).unwrap_or(0);
                problems.push(Problem::at(
                    file,
                    text.clone(),
                    at,
                    entry.name.len().max(1),
                    format!("entity name {:?} has no letters or digits", entry.name),
                ));
                continue;
            };
            let mut slug = base.clone();
            let mut n = 2;
            while reg.by_slug.contains_key(&slug) {
                slug = base.with_suffix(n);
                n += 1;
            }
            let idx = reg.entities.len();
            // Entries appear in file order: point at this entry's own text.
            let entry_at = text[cursor..]
                .find(entry.name.as_str())
                .map_or(cursor, |p| p + cursor);
            cursor = (entry_at + entry.name.len()).min(text.len());
            for name in std::iter::once(&entry.name).chain(entry.aliases.iter()) {
                if let Some(&other) = reg.by_name.get(&key(name)) {
                    if other == idx {
                        continue; // the same entity spelt twice ("NATO", "Nato")
                    }
                    let at = text[entry_at..]
                        .find(name.as_str())
                        .map_or(entry_at, |p| p + entry_at);
                    problems.push(
                        Problem::at(
                            file,
                            text.clone(),
                            at,
                            name.len().max(1),
                            format!(
                                "{name:?} is claimed by both {:?} and {:?}",
                                reg.entities[other].entry.name, entry.name
                            ),
                        )
                        .with_help(
                            "a name or alias may belong to one entity only; remove it from one of them",
                        ),
                    );
                } else {
                    reg.by_name.insert(key(name), idx);
                }
            }
            reg.by_slug.insert(slug.clone(), idx);
            reg.entities.push(Entity { slug, entry });
        }
        if problems.has_errors() {
            Err(problems)
        } else {
            Ok(reg)
        }
    }

    /// The stand-in for an `entities.yaml` that did not load: it knows no
    /// entity, and says so ([`Registry::is_unloaded`]), so that a wikilink
    /// to an entity is counted as not checked instead of reported as
    /// unresolved — the registry's own error is the root cause.
    pub fn unloaded(file: impl Into<String>) -> Registry {
        Registry {
            unloaded: Some(file.into()),
            ..Registry::default()
        }
    }

    /// The registry file, when it did not load.
    pub fn unloaded_file(&self) -> Option<&str> {
        self.unloaded.as_deref()
    }

    /// The entity a name or alias refers to.
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        self.by_name.get(&key(name)).map(|&i| &self.entities[i])
    }

    /// The index of the entity with this slug.
    pub fn position(&self, slug: &Slug) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    pub fn by_slug(&self, slug: &Slug) -> Option<&Entity> {
        self.by_slug.get(slug).map(|&i| &self.entities[i])
    }

    /// Index of the entity a name or alias refers to.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(&key(name)).copied()
    }

    /// Every name and alias with its entity's index, in registry order.
    pub fn names(&self) -> Vec<(&str, usize)> {
        let mut out = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            out.push((e.entry.name.as_str(), i));
            for a in &e.entry.aliases {
                out.push((a.as_str(), i));
            }
        }
        out
    }
}

impl EntityKind {
    /// Every kind, in the order entity lists are grouped.
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Organisation,
        EntityKind::Weapon,
        EntityKind::Event,
        EntityKind::Other,
    ];
    /// Their names in `entities.yaml`, in the same order.
    pub const NAMES: [&'static str; 6] = [
        "person",
        "place",
        "organisation",
        "weapon",
        "event",
        "other",
    ];

    /// Lowercase identifier (`person`), as in `entities.yaml`.
    pub fn id(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Plural heading for lists (`People`).
    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Person => "People",
            EntityKind::Place => "Places",
            EntityKind::Organisation => "Organisations",
            EntityKind::Weapon => "Weapons",
            EntityKind::Event => "Events",
            EntityKind::Other => "Other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_names_and_aliases() {
        let y = "- name: Vladimir Putin\n  kind: person\n  aliases: [Putin]\n- name: Oreshnik\n  kind: weapon\n";
        let r = Registry::parse("entities.yaml", Arc::from(y)).unwrap();
        assert_eq!(r.resolve("putin").unwrap().slug.as_str(), "vladimir-putin");
        assert_eq!(
            r.resolve("Oreshnik").unwrap().entry.kind,
            EntityKind::Weapon
        );
        assert!(r.resolve("Lukashenko").is_none());
    }

    #[test]
    fn an_alias_claimed_twice_is_a_diagnostic() {
        let y = "- name: A\n  kind: person\n  aliases: [X]\n- name: B\n  kind: person\n  aliases: [X]\n";
        let e = Registry::parse("entities.yaml", Arc::from(y)).unwrap_err();
        assert_eq!(e.0[0].message, "\"X\" is claimed by both \"A\" and \"B\"");
        assert_eq!((e.0[0].line, e.0[0].column), (6, 13), "the second claim");
    }

    #[test]
    fn one_entity_may_spell_a_name_twice() {
        let y = "- name: NATO\n  kind: organisation\n  aliases: [Nato]\n";
        let r = Registry::parse("entities.yaml", Arc::from(y)).unwrap();
        assert_eq!(r.names(), [("NATO", 0), ("Nato", 0)]);
    }
}
