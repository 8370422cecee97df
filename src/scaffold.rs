//! scaffold: `briefing init DIR` — a new briefing project from the built-in
//! theme, ready to build.

use crate::fsutil;
use std::path::Path;

const CONFIG: &str = "title = \"New briefing\"\n# Absolute URL the site is published at (feed, sitemap, canonical links only).\nbase_url = \"https://example.org/briefing/\"\nlanguage = \"en\"\ndescription = \"\"\n";
const SUMMARY: &str = "---\ntitle: Executive summary\n---\n\nWrite the briefing's executive summary here. Link articles with `[[slug]]`.\n";
const ENTITIES: &str = "# The entity registry: name, kind (person, place, organisation, weapon, event, other),\n# optional aliases and a Markdown description.\n[]\n";
/// The generated site, and what a build interrupted by a kill may leave
/// until the next one (the new site beside the old, temporary files).
const GITIGNORE: &str = "/site\n/.site.briefing-*\n*.briefing-tmp\n";

/// Create the project. Refuses to touch a directory that already has a
/// `briefing.toml`, and never overwrites an existing file.
pub fn init(dir: &Path) -> Result<usize, String> {
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
    files.extend(crate::theme::scaffold_files().map(|(p, b)| (p, b.to_vec())));
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
