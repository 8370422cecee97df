//! scaffold: `briefing init DIR` — a new briefing project, ready to build
//! and preview. It uses the built-in theme (so an upgrade of `briefing`
//! upgrades it), unless asked for a copy to edit (`--theme`).

use crate::fsutil;
use std::path::Path;

const CONFIG: &str = "title = \"New briefing\"\n# Where the site is published: only the feed, the sitemap and canonical links\n# use it. This one is `briefing serve`'s address; set the real one before you\n# publish (or pass `briefing build --base-url URL`).\nbase_url = \"http://127.0.0.1:1111/\"\nlanguage = \"en\"\ndescription = \"\"\n";
const SUMMARY: &str = "---\ntitle: Executive summary\n---\n\nWrite the briefing's executive summary here. Link articles with `[[slug]]`.\n";
const ENTITIES: &str = "# The entity registry: name, kind (person, place, organisation, weapon, event, other),\n# optional aliases and a Markdown description.\n[]\n";
/// The generated site, and what a build interrupted by a kill may leave
/// until the next one (the new site beside the old, temporary files).
const GITIGNORE: &str = "/site\n/.site.briefing-*\n*.briefing-tmp\n";

/// Create the project (with a copy of the theme when `theme`). Refuses
/// to touch a directory that already has a `briefing.toml`, and never
/// overwrites an existing file. Returns how many files it wrote.
pub fn init(dir: &Path, theme: bool) -> Result<usize, String> {
    if dir.join("briefing.toml").exists() {
        return Err(format!(
            "{} already holds a briefing (briefing.toml exists); nothing was changed",
            dir.display()
        ));
    }
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("briefing.toml".into(), CONFIG.into()),
        ("content/_briefing.md".into(), SUMMARY.into()),
        ("entities.yaml".into(), ENTITIES.into()),
        (".gitignore".into(), GITIGNORE.into()),
        ("seeds/.keep".into(), Vec::new()),
        ("annotations/.keep".into(), Vec::new()),
    ];
    if theme {
        files.extend(crate::theme::scaffold_files().map(|(p, b)| (p, b.to_vec())));
    }
    let mut n = 0;
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if path.exists() {
            continue;
        }
        fsutil::write_atomic(&path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_briefing_uses_the_built_in_theme_unless_asked_to_copy_it() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        assert_eq!(init(&plain, false).unwrap(), 6);
        assert!(!plain.join("templates").exists() && !plain.join("static").exists());
        let cfg = crate::config::Config::parse(
            "briefing.toml",
            &std::fs::read_to_string(plain.join("briefing.toml")).unwrap(),
        )
        .unwrap();
        assert_eq!(cfg.base_url, "http://127.0.0.1:1111/");
        let copied = dir.path().join("copied");
        assert!(init(&copied, true).unwrap() > 6);
        assert!(copied.join("templates/base.html").is_file());
        assert!(copied.join("static/style.css").is_file());
        assert!(
            init(&copied, true)
                .unwrap_err()
                .contains("already holds a briefing")
        );
    }
}
