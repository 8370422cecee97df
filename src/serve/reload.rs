//! reload: the live-reload channel — what the build loop tells open pages
//! (reload these pages, swap these stylesheets, show or clear the error
//! overlay), delivered over server-sent events at `/__briefing/events`.
//!
//! Protocol (one SSE event each, JSON data):
//!
//! - `reload` `{"pages": [site paths], "assets": [site paths]}` — sent only
//!   after the new files are on disk. A page reloads when its own path (or
//!   `*`) is in `pages` or a non-CSS asset changed; CSS assets are swapped
//!   in place.
//! - `error` `{"problems": [OverlayProblem…]}` — the build failed; the last
//!   good site is still served. Also sent on connect while the error lasts.
//! - `ok` `{}` — the build is good (on connect, and when an error is fixed).
//! - `build` `{"build": N}` — first on connect: how many builds have
//!   changed files so far. A page was served with the number of its own
//!   build and reloads if it is behind: a reload announced while the page
//!   was navigating (its stream closed) is not lost.

use crate::diag::Problems;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

/// One message to open pages.
#[derive(Clone, Debug)]
pub struct Message {
    pub event: &'static str,
    pub data: Arc<str>,
}

/// The hub between the build loop and the open pages.
pub struct Hub {
    tx: broadcast::Sender<Message>,
    /// The current error, for pages that connect while it lasts.
    error: Mutex<Option<Message>>,
    /// Builds that changed files so far (see the `build` event).
    generation: std::sync::atomic::AtomicU64,
}

#[derive(Serialize)]
struct ReloadData<'a> {
    pages: &'a [String],
    assets: &'a [String],
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    pub fn new() -> Hub {
        let (tx, _) = broadcast::channel(64);
        Hub {
            tx,
            error: Mutex::new(None),
            generation: Default::default(),
        }
    }

    fn send(&self, m: Message) {
        // no receivers is fine: nobody has the preview open
        let _ = self.tx.send(m);
    }

    /// A successful build: clear any error, then tell pages what changed.
    pub fn built(&self, pages: &[String], assets: &[String]) {
        let was_error = self.error.lock().map(|mut e| e.take()).ok().flatten();
        if was_error.is_some() {
            self.send(Message {
                event: "ok",
                data: Arc::from("{}"),
            });
        }
        if pages.is_empty() && assets.is_empty() {
            return;
        }
        // the files are on disk: a page served from now on shows this build
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let data = serde_json::to_string(&ReloadData { pages, assets }).unwrap_or_default();
        self.send(Message {
            event: "reload",
            data: Arc::from(data),
        });
    }

    /// A failed build: show the problems in every open page.
    pub fn failed(&self, problems: &Problems) {
        let list: Vec<_> = problems.iter().map(|p| p.to_overlay()).collect();
        let data = serde_json::json!({ "problems": list }).to_string();
        let m = Message {
            event: "error",
            data: Arc::from(data),
        };
        if let Ok(mut e) = self.error.lock() {
            *e = Some(m.clone());
        }
        self.send(m);
    }

    /// The number of builds that changed files so far.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The event stream of one page: the build number and the current
    /// state first, then every message.
    pub fn subscribe(&self) -> impl Stream<Item = Message> + Send + 'static {
        let rx = self.tx.subscribe();
        let build = Message {
            event: "build",
            data: Arc::from(format!("{{\"build\":{}}}", self.generation())),
        };
        let first = self
            .error
            .lock()
            .ok()
            .and_then(|e| e.clone())
            .unwrap_or(Message {
                event: "ok",
                data: Arc::from("{}"),
            });
        stream::iter([build, first])
            .chain(BroadcastStream::new(rx).filter_map(|m| async move { m.ok() }))
    }

    /// The SSE response for one page.
    pub fn sse(&self) -> Sse<impl Stream<Item = Result<Event, Infallible>> + Send + 'static> {
        let s = self
            .subscribe()
            .map(|m| Ok(Event::default().event(m.event).data(&*m.data)));
        Sse::new(s).keep_alive(KeepAlive::default())
    }
}
