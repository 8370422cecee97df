//! server: the dev server's HTTP side — serve `site/` (and nothing else),
//! inject the live-reload script into HTML pages, and route the preview's
//! own endpoints (`/__briefing/events`, `/__briefing/annotate`).
//!
//! Every request first passes [`super::guard`] (its `Host` must name this
//! server, against DNS rebinding; cross-site requests other than
//! navigations are refused), and every response says
//! `Cross-Origin-Resource-Policy: same-origin`, so no other site can embed
//! the preview's files.
//!
//! Hygiene: only GET and HEAD outside the annotate endpoint (405
//! otherwise); any path with a `..`, `.`-prefixed or backslash segment —
//! percent-encoded or not — is 404; symlinks leading out of `site/` are
//! 404; `/` and directories serve their `index.html` (a directory without
//! its trailing slash is redirected, so relative links work); unknown paths
//! serve `404.html` with status 404. Nothing is cached by the browser but
//! theme files, for a minute (the preview client refreshes a changed one).

use super::annotate_endpoint;
use super::guard::{Allowed, Authority};
use super::reload::Hub;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The preview client, injected into every HTML response.
const LIVE_JS: &str = include_str!("live.js");

/// What the server needs.
pub struct App {
    /// Project root.
    pub root: PathBuf,
    /// The served directory (`site/`).
    pub site: PathBuf,
    /// This run's random token (for the annotate endpoint).
    pub token: String,
    pub hub: Arc<Hub>,
    /// The articles of the last good build: slug → content file.
    pub articles: Arc<RwLock<BTreeMap<String, String>>>,
    /// Serialises annotation writes.
    pub annotate_lock: tokio::sync::Mutex<()>,
    /// The hosts this server answers to.
    pub allowed: Allowed,
}

/// The router of the dev server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__briefing/events", get(events))
        .route(
            "/__briefing/annotate",
            post(annotate).layer(DefaultBodyLimit::max(annotate_endpoint::MAX_BODY)),
        )
        .fallback(files)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Every request: refused unless its host is this server (see
/// [`super::guard`]); the authority it was sent to goes to the handlers.
async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let mut r = match app.allowed.check(req.method(), req.uri(), req.headers()) {
        Ok(authority) => {
            req.extensions_mut().insert(authority);
            next.run(req).await
        }
        Err((status, msg)) => text(status, msg),
    };
    let h = r.headers_mut();
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn events(State(app): State<Arc<App>>) -> Response {
    let mut r = app.hub.sse().into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn annotate(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Extension(authority): Extension<Authority>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = headers
        .get("x-briefing-token")
        .and_then(|v| v.to_str().ok());
    let checked = app
        .allowed
        .check_write(&authority, &headers)
        .and_then(|()| annotate_endpoint::authorize(&peer, token, &app.token))
        .and_then(|()| annotate_endpoint::content_type(headers.get(header::CONTENT_TYPE)));
    if let Err((status, msg)) = checked {
        return text(status, msg);
    }
    let _guard = app.annotate_lock.lock().await;
    let root = app.root.clone();
    let articles = app.articles.clone();
    let result = tokio::task::spawn_blocking(move || {
        annotate_endpoint::append(&root, &body, |s| {
            articles.read().ok().and_then(|m| m.get(s).cloned())
        })
    })
    .await
    .unwrap_or_else(|e| Err((500, format!("internal error: {e}"))));
    match result {
        Ok(rel) => {
            let body = serde_json::json!({ "file": rel }).to_string();
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = StatusCode::CREATED;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err((status, msg)) => text(status, msg),
    }
}

fn text(status: u16, msg: String) -> Response {
    let mut r = Response::new(Body::from(msg + "\n"));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Percent-decode a URL path; `None` when it is not valid UTF-8 or has a
/// malformed escape.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The segments of a request path inside `site/`, or `None` when the path
/// could leave it or names a hidden file. Empty segments are dropped.
pub fn safe_segments(path: &str) -> Option<Vec<String>> {
    let decoded = percent_decode(path)?;
    let mut segs = Vec::new();
    for seg in decoded.split('/') {
        if seg.is_empty() {
            continue;
        }
        if seg.starts_with('.') || seg.contains('\\') || seg.contains('\0') || seg.contains(':') {
            return None;
        }
        segs.push(seg.to_string());
    }
    Some(segs)
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("pdf") => "application/pdf",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A digest of everything in a page but its `<main>` element (`None`
/// without one): the preview client puts a changed page's `<main>` in
/// place of its own when the rest of the page is the same, and reloads
/// otherwise.
pub fn shell(html: &[u8]) -> Option<String> {
    let open = memchr::memmem::find(html, b"<main")?;
    let close = memchr::memmem::rfind(html, b"</main>")?;
    if close < open {
        return None;
    }
    let mut h = blake3::Hasher::new();
    h.update(&(open as u64).to_le_bytes());
    h.update(&html[..open]);
    h.update(&html[close..]);
    Some(h.finalize().to_hex()[..32].to_string())
}

/// Inject the preview client before the last `</body>` (or at the end).
/// `build` is the number of the build the page comes from (see
/// [`super::reload`]'s `build` event).
pub fn inject(html: &[u8], token: &str, page: &str, build: u64) -> Vec<u8> {
    let article = page
        .strip_prefix("articles/")
        .and_then(|p| p.strip_suffix("/index.html"))
        .filter(|s| !s.contains('/'));
    let cfg = serde_json::json!({
        "token": token,
        "page": page,
        "article": article,
        "build": build,
        "shell": shell(html),
    })
    .to_string()
    .replace("</", "<\\/");
    let script =
        format!("<script>window.__briefingLive={cfg};</script>\n<script>{LIVE_JS}</script>\n");
    let lower: Vec<u8> = html.iter().map(|b| b.to_ascii_lowercase()).collect();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

async fn files(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(405, "method not allowed".into());
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = method == Method::HEAD;
    let path = uri.path();
    let Some(segs) = safe_segments(path) else {
        return not_found(&app, head).await;
    };
    let mut file = app.site.clone();
    for s in &segs {
        file.push(s);
    }
    if tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir()) {
        if !path.ends_with('/') {
            let mut loc = format!("{path}/");
            if let Some(q) = uri.query() {
                loc = format!("{loc}?{q}");
            }
            let mut r = text(301, format!("moved to {loc}"));
            if let Ok(v) = HeaderValue::from_str(&loc) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        file.push("index.html");
    }
    // the build number before the read: a page never claims a newer build
    // than the one it shows
    let build = app.hub.generation();
    match read_inside(&app.site, &file).await {
        Some(bytes) => respond(&app, StatusCode::OK, &file, (bytes, build), head),
        None => not_found(&app, head).await,
    }
}

/// Read `file` when it is a regular file really inside `site` (symlinks
/// resolved).
async fn read_inside(site: &Path, file: &Path) -> Option<Vec<u8>> {
    let site = tokio::fs::canonicalize(site).await.ok()?;
    let real = tokio::fs::canonicalize(file).await.ok()?;
    if !real.starts_with(&site) || !tokio::fs::metadata(&real).await.ok()?.is_file() {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

async fn not_found(app: &App, head: bool) -> Response {
    let file = app.site.join("404.html");
    let build = app.hub.generation();
    match read_inside(&app.site, &file).await {
        Some(bytes) => respond(app, StatusCode::NOT_FOUND, &file, (bytes, build), head),
        // no site yet (the first build failed): a page that still shows
        // the error overlay and reloads once there is a site
        None => respond(
            app,
            StatusCode::NOT_FOUND,
            &file,
            (
                b"<!doctype html><meta charset=\"utf-8\"><title>Not built yet</title>\n<body><p>There is no page here (yet). When the briefing builds, this page reloads.</p></body>\n".to_vec(),
                build,
            ),
            head,
        ),
    }
}

/// A file's response: its bytes and the number of the build they come
/// from (HTML gets the preview client, which needs the number).
fn respond(
    app: &App,
    status: StatusCode,
    file: &Path,
    (bytes, build): (Vec<u8>, u64),
    head: bool,
) -> Response {
    let ctype = content_type(file);
    let bytes = if ctype.starts_with("text/html") {
        let page = file
            .strip_prefix(&app.site)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        inject(&bytes, &app.token, &page, build)
    } else {
        bytes
    };
    // theme files may stay in the browser's cache for a minute, so that a
    // live reload asks only for the page (the preview client refreshes a
    // changed theme file in the cache before it reloads); the rest never
    let site_rel = file.strip_prefix(&app.site).unwrap_or(file);
    let cache = if site_rel.starts_with("static") && !ctype.starts_with("text/html") {
        "max-age=60"
    } else {
        "no-store"
    };
    let len = bytes.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(bytes)
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/a/%2E%2E/%2e%2e/x",
            "/..\\x",
            "/%5c..",
            "/.briefing/clean.json",
            "/%zz",
            "/%c0%ae",
        ] {
            assert_eq!(safe_segments(bad), None, "{bad}");
        }
        assert_eq!(
            safe_segments("/articles/a%20b/").unwrap(),
            vec!["articles".to_string(), "a b".to_string()]
        );
        assert!(safe_segments("/").unwrap().is_empty());
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<p></BODY></html>", "t", "articles/x/index.html", 3);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("<p><script>window.__briefingLive="));
        assert!(s.contains(r#""article":"x""#));
        assert!(s.ends_with("</script>\n</BODY></html>"));
    }
}
