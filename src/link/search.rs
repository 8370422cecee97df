//! The static search index: pagefind, used as a library, turns rendered
//! pages into a chunked index bundle (plus its JS and WASM) in memory. The
//! bundle is served from `pagefind/` next to the pages and needs no server
//! logic, only static files.
//!
//! Records are plain text (an article's title, summary and body; an
//! entity's names and description), not rendered pages: parsing HTML was
//! three quarters of the build time on large briefings, and navigation,
//! lists and mention snippets would only pollute results. Result URLs keep
//! `index.html` so they work from a sub-path and match the site's links.

/// Where the bundle lives in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// One searchable record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Site-relative path of the page (`articles/x/index.html`).
    pub path: String,
    pub title: String,
    /// Plain text to index.
    pub text: String,
}

/// Build the search bundle for `records`. Returns (site-relative path,
/// bytes) for every file of the bundle, sorted.
pub fn bundle(records: Vec<Record>, language: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let pages = records;
    let language = language.to_string();
    // pagefind is async (tokio). Run it on a thread of its own so that a
    // caller already inside a tokio runtime (the dev server) is unaffected.
    std::thread::scope(|s| {
        s.spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the indexer: {e}"))?;
            rt.block_on(index(pages, language))
        })
        .join()
        .map_err(|_| "the search indexer panicked".to_string())?
    })
}

async fn index(pages: Vec<Record>, language: String) -> Result<Vec<(String, Vec<u8>)>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let options = PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language(language.clone())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    for r in pages {
        let meta = std::collections::BTreeMap::from([("title".to_string(), r.title)]);
        index
            .add_custom_record(
                format!("/{}", r.path),
                r.text,
                language.clone(),
                Some(meta),
                None,
                None,
            )
            .await
            .map_err(|e| format!("cannot index {}: {e}", r.path))?;
    }
    let files = index.get_files().await.map_err(|e| e.to_string())?;
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| {
            let rel = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (format!("{BUNDLE_DIR}/{rel}"), f.contents)
        })
        .collect();
    out.sort();
    Ok(out)
}
