//! Cleaning of saved HTML pages.

use super::{CleanError, Cleaned};

/// Clean a saved HTML page.
pub fn clean_html(_html: &str) -> Result<Cleaned, CleanError> {
    Err(CleanError::NoArticle {
        why: "HTML seeds are not supported yet".into(),
    })
}
