//! The static search index: pagefind, used as a library, turns rendered
//! pages into a chunked index bundle (plus its JS and WASM) in memory. The
//! bundle is served from `pagefind/` next to the pages and needs no server
//! logic, only static files.
//!
//! Only elements marked `data-pagefind-body` are indexed (article and
//! entity pages), so navigation and lists do not pollute results. Result
//! URLs keep `index.html` so they work from a sub-path and match the
//! site's own links.

/// Where the bundle lives in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// Build the search bundle for `pages` (site-relative path, HTML). Returns
/// (site-relative path, bytes) for every file of the bundle, sorted.
pub fn bundle(
    pages: &[(String, String)],
    language: &str,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let pages = pages.to_vec();
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

async fn index(
    pages: Vec<(String, String)>,
    language: String,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let options = PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language(language)
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    for (path, html) in pages {
        index
            .add_html_file(Some(path.clone()), None, html)
            .await
            .map_err(|e| format!("cannot index {path}: {e}"))?;
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
