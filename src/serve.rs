//! serve: the dev server and watcher — build, watch inputs, rebuild what a
//! change affects, and reload open pages.

use crate::project::Project;

/// `briefing serve`.
pub fn serve(_project: &Project, _bind: &str, _port: u16, _open: bool) -> i32 {
    eprintln!(
        "briefing: `serve` is not available yet; run `briefing build` and open site/index.html"
    );
    1
}

/// `briefing watch`.
pub fn watch(_project: &Project) -> i32 {
    eprintln!("briefing: `watch` is not available yet");
    1
}
