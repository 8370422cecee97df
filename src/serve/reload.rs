//! reload: the live-reload channel — what the build loop tells open pages
//! (reload these pages, swap these stylesheets, show or clear the error
//! overlay), delivered over server-sent events at `/__briefing/events`.
//!
//! Protocol (one SSE event each, JSON data):
//!
//! - `reload` `{"pages": [site paths], "assets": [site paths]}` — sent only
//!   after the new files are on disk: the edited articles' pages as soon as
//!   they are written, the other pages a rebuild changed when it ends (each
//!   page is announced once per rebuild). A page whose own path is in
//!   `pages` fetches itself and puts the new `<main>` in place when the rest
//!   of it is the same (the `shell` digest in its configuration), else
//!   reloads; it reloads when `pages` holds `*` or a non-CSS asset changed;
//!   CSS assets are swapped in place.
//! - `error` `{"problems": [OverlayProblem…]}` — the build failed; the last
//!   good site is still served. Also sent on connect while the error lasts.
//! - `ok` `{}` — the build is good (on connect, and when an error is fixed).
//! - `drift` `{"drifts": [DriftNote…]}` — the quotes of the last good build
//!   that matched only approximately (warnings, shown milder than errors:
//!   a marker on the passage and a list). Sent on connect and whenever the
//!   list changes (an empty list clears it).
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
    /// The current `drift` message, for pages that connect.
    drift: Mutex<Message>,
}

fn drift_message(drifts: &[super::incremental::DriftNote]) -> Message {
    Message {
        event: "drift",
        data: Arc::from(serde_json::json!({ "drifts": drifts }).to_string()),
    }
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
            drift: Mutex::new(drift_message(&[])),
        }
    }

    /// The drifted quotes of a good build: tell open pages when the list
    /// changed.
    pub fn drifts(&self, drifts: &[super::incremental::DriftNote]) {
        let m = drift_message(drifts);
        let Ok(mut current) = self.drift.lock() else {
            return;
        };
        if current.data != m.data {
            *current = m.clone();
            drop(current);
            self.send(m);
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
        let drift = self
            .drift
            .lock()
            .map(|d| d.clone())
            .unwrap_or_else(|_| drift_message(&[]));
        stream::iter([build, first, drift])
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

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str) -> crate::serve::incremental::DriftNote {
        crate::serve::incremental::DriftNote {
            file: "annotations/x.md".into(),
            line: 3,
            column: 4,
            article: "x".into(),
            id: id.into(),
            quoted: "the quote".into(),
            found: "the quota".into(),
            similarity: 91,
        }
    }

    /// The first `n` messages of a new page's stream.
    fn first(hub: &Hub, n: usize) -> Vec<Message> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(hub.subscribe().take(n).collect())
    }

    #[test]
    fn a_page_that_connects_gets_the_drifted_quotes() {
        let hub = Hub::new();
        let m = first(&hub, 3);
        assert_eq!(m[2].event, "drift");
        assert_eq!(&*m[2].data, r#"{"drifts":[]}"#);
        hub.drifts(&[note("q1")]);
        let m = first(&hub, 3);
        assert_eq!(m[1].event, "ok", "drift is a warning, not an error");
        assert_eq!(m[2].event, "drift");
        let v: serde_json::Value = serde_json::from_str(&m[2].data).unwrap();
        assert_eq!(v["drifts"][0]["id"], "q1");
        assert_eq!(v["drifts"][0]["similarity"], 91);
        assert_eq!(v["drifts"][0]["found"], "the quota");
    }

    #[test]
    fn open_pages_hear_of_drift_only_when_the_list_changes() {
        let hub = Hub::new();
        let mut rx = hub.tx.subscribe();
        hub.drifts(&[note("q1")]);
        hub.drifts(&[note("q1")]);
        hub.drifts(&[]);
        let mut got = Vec::new();
        while let Ok(m) = rx.try_recv() {
            got.push((m.event, m.data.to_string()));
        }
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.contains("q1"));
        assert_eq!(got[1].1, r#"{"drifts":[]}"#);
    }
}
