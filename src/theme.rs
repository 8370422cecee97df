//! theme: the Tera templates and static files a site is rendered with.
//!
//! The default theme is embedded in the binary by `build.rs`. A project's
//! own `templates/` and `static/` override it file by file, so a project
//! without them still builds and a project can change just one template.

use std::collections::BTreeMap;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Where a theme file came from (for diagnostics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    /// Project-relative path, e.g. `templates/article.html`.
    Project(String),
}

/// One template's source.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    pub source: String,
    pub origin: Origin,
}

/// Templates by name (`article.html`) and static files by path
/// (`style.css`).
#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, TemplateSource>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in theme alone.
    pub fn builtin() -> Theme {
        let mut t = Theme::default();
        for (name, bytes) in embedded::TEMPLATES {
            t.templates.insert(
                name.to_string(),
                TemplateSource {
                    source: String::from_utf8_lossy(bytes).into_owned(),
                    origin: Origin::Builtin,
                },
            );
        }
        for (name, bytes) in embedded::STATIC {
            t.statics.insert(name.to_string(), bytes.to_vec());
        }
        t
    }

    /// Override a template with a project file.
    pub fn set_template(&mut self, name: &str, source: String, path: String) {
        self.templates.insert(
            name.to_string(),
            TemplateSource {
                source,
                origin: Origin::Project(path),
            },
        );
    }

    /// Override (or add) a static file.
    pub fn set_static(&mut self, name: &str, bytes: Vec<u8>) {
        self.statics.insert(name.to_string(), bytes);
    }
}

/// The embedded files, for `briefing init`: `(project-relative path, bytes)`.
pub fn scaffold_files() -> impl Iterator<Item = (String, &'static [u8])> {
    embedded::TEMPLATES
        .iter()
        .map(|(n, b)| (format!("templates/{n}"), *b))
        .chain(
            embedded::STATIC
                .iter()
                .map(|(n, b)| (format!("static/{n}"), *b)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_the_core_templates_and_css() {
        let t = Theme::builtin();
        for name in ["base.html", "index.html", "article.html"] {
            assert!(t.templates.contains_key(name), "missing {name}");
        }
        assert!(t.statics.contains_key("style.css"));
        assert!(t.templates.values().all(|s| s.origin == Origin::Builtin));
    }
}
