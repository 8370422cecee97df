//! serve: the live preview — `briefing serve` (build, watch, serve with live
//! reload) and `briefing watch` (build and watch, no server).
//!
//! Submodules, one job each: [`watch`] turns file-system events into
//! batches of changed inputs; [`incremental`] rebuilds what a batch
//! affects; [`reload`] tells open pages what changed; [`server`] serves
//! `site/` with the preview client injected, to requests that pass
//! [`guard`] (this server's host only, no cross-site loads);
//! [`annotate_endpoint`] writes annotation stubs for the preview's
//! "Annotate" button.

pub mod annotate_endpoint;
pub mod guard;
pub mod incremental;
pub mod reload;
pub mod server;
pub mod watch;

use crate::diag::print_problems;
use crate::project::Project;
use incremental::{Failed, Rebuild, Session};
use reload::Hub;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};

/// Report one build on stderr; tell the hub. Returns whether it succeeded.
fn report(result: Result<Option<Rebuild>, Failed>, cause: &str, hub: Option<&Hub>) -> bool {
    match result {
        Ok(None) => true,
        Ok(Some(r)) => {
            print_problems(&r.warnings);
            eprintln!("{}", r.log_line(cause));
            if let Some(hub) = hub {
                // (the edited articles' pages were announced when written)
                let pages: Vec<String> = r
                    .pages
                    .iter()
                    .filter(|p| !r.announced.contains(p))
                    .cloned()
                    .collect();
                hub.built(&pages, &r.assets);
                hub.drifts(&r.drifts);
            }
            true
        }
        Err(f) => {
            print_problems(&f.problems);
            eprintln!(
                "build failed ({cause}): {} error(s) in {} ms; still serving the last good site",
                f.problems.errors(),
                f.millis
            );
            if let Some(hub) = hub {
                hub.failed(&f.problems);
            }
            false
        }
    }
}

/// How long saves must pause before the live preview brings the feed,
/// sitemap and search index up to date (the pages are, at once).
const PUBLISH_AFTER: std::time::Duration = std::time::Duration::from_millis(800);

/// Build once, then rebuild on every change until the watcher stops.
fn run_loop(
    project: &Project,
    mut watcher: watch::Watcher,
    mut session: Session,
    hub: Option<&Arc<Hub>>,
    slugs: Option<&RwLock<BTreeMap<String, String>>>,
) {
    let mut version = session.slugs_version();
    // the pages at once; the feed, sitemap and search index once saves
    // pause (a large briefing's search index takes longer than the pages
    // an edit changes, and saves in quick succession would wait for it)
    session.defer_publishing(true);
    if let Some(hub) = hub {
        let hub = hub.clone();
        session.on_first_pages(Box::new(move |pages| hub.built(pages, &[])));
    }
    let mut next = watcher.next_batch();
    while let Some(batch) = next {
        let result = session.rebuild_guarded(&batch);
        let cause = incremental::cause(&batch);
        report(result, &cause, hub.map(|h| &**h));
        session.settle();
        if session.slugs_version() != version
            && let Some(s) = slugs
            && let Ok(mut s) = s.write()
        {
            s.clone_from(session.slugs());
            version = session.slugs_version();
        }
        next = loop {
            if !session.unpublished() {
                break watcher.next_batch();
            }
            match watcher.next_batch_within(PUBLISH_AFTER) {
                watch::Next::Batch(b) => break Some(b),
                watch::Next::Stopped => break None,
                watch::Next::Quiet => match session.publish() {
                    // open search pages reload (the others do not show
                    // the index)
                    Ok(files) => {
                        if let Some(hub) = hub
                            && files.iter().any(|f| f.starts_with("search/"))
                        {
                            hub.built(&["search/index.html".to_string()], &[]);
                        }
                    }
                    Err(f) => {
                        report(Err(f), "the search index", hub.map(|h| &**h));
                    }
                },
            }
        };
    }
    let _ = project;
}

fn start(
    project: &Project,
    opts: crate::site::BuildOptions,
) -> Result<(watch::Watcher, Session), i32> {
    // what a killed build or preview left (temporaries, a staged site)
    if let Err(p) = crate::site::remove_leftovers(project, &opts.out_dir(project)) {
        print_problems(&p.into());
        return Err(1);
    }
    // watch before the first build, so no edit made during it is missed
    let watcher = watch::Watcher::start(&project.root).map_err(|e| {
        eprintln!("error: {e}");
        1
    })?;
    if opts.profile == crate::holdback::Profile::Internal {
        eprintln!(
            "internal preview: drafts, internal notes and embargoed articles are shown, marked (`--profile public` shows what readers will see)"
        );
    }
    Ok((watcher, Session::with_options(project, opts)))
}

/// What `briefing serve` is asked for.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// The address to listen on (`--bind`, `--interface`).
    pub bind: String,
    pub port: u16,
    /// Open the briefing in a browser.
    pub open: bool,
    /// What to build (its `base_url` defaults to the address served).
    pub build: crate::site::BuildOptions,
}

/// A random token for this run (the annotate endpoint requires it).
fn random_token() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !ok {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        h.write_u32(std::process::id());
        bytes[..8].copy_from_slice(&h.finish().to_le_bytes());
        let h2 = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        bytes[8..].copy_from_slice(&h2.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `briefing serve`.
pub fn serve(project: &Project, opts: &ServeOptions) -> i32 {
    let (bind, port, open) = (opts.bind.as_str(), opts.port, opts.open);
    let ip: IpAddr = match bind.parse() {
        Ok(ip) => ip,
        Err(_) if bind == "localhost" => IpAddr::from([127, 0, 0, 1]),
        Err(_) => {
            eprintln!("error: --bind {bind}: not an IP address (try 127.0.0.1)");
            return 2;
        }
    };
    if !ip.is_loopback() {
        eprintln!(
            "warning: binding to {ip}: the preview can be read from other machines (the annotate \
             endpoint still answers only this one); use --bind 127.0.0.1 to keep it local"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return 1;
        }
    };
    let addr = SocketAddr::new(ip, port);
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(addr)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: cannot serve on {addr}: the port is already in use\n  = help: stop the other \
                 server, or pick another port with `--port N` (`--port 0` picks a free one)"
            );
            return 1;
        }
        Err(e) => {
            eprintln!("error: cannot serve on {addr}: {e}");
            return 1;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let host = match local.ip() {
        IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    let url = format!("http://{host}:{}/", local.port());
    // canonical links, the feed and 404.html point at this server unless
    // told otherwise
    let mut build = opts.build.clone();
    build.base_url.get_or_insert_with(|| url.clone());
    let site = build.out_dir(project);
    let (watcher, mut session) = match start(project, build) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let hub = Arc::new(Hub::new());
    let slugs = Arc::new(RwLock::new(BTreeMap::new()));
    let first = session.full_guarded(true).map(Some);
    if report(first, "first build", Some(&hub))
        && let Ok(mut s) = slugs.write()
    {
        s.clone_from(session.slugs());
    }
    session.settle();
    let app = Arc::new(server::App {
        root: project.root.clone(),
        site,
        token: random_token(),
        hub: hub.clone(),
        articles: slugs.clone(),
        annotate_lock: tokio::sync::Mutex::new(()),
        allowed: guard::Allowed::new(local),
    });
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    let loop_project = project.clone();
    let loop_hub = hub.clone();
    std::thread::spawn(move || {
        run_loop(
            &loop_project,
            watcher,
            session,
            Some(&loop_hub),
            Some(&slugs),
        );
    });
    let router = server::router(app);
    // Ctrl-C ends the server at once: live-reload connections never end by
    // themselves, so a graceful shutdown would wait for every open tab
    let served = runtime.block_on(async move {
        let server = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        );
        tokio::select! {
            r = server => r,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopped");
                Ok(())
            }
        }
    });
    runtime.shutdown_background();
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            1
        }
    }
}

/// `briefing watch`.
pub fn watch(project: &Project, opts: crate::site::BuildOptions) -> i32 {
    let (watcher, mut session) = match start(project, opts) {
        Ok(x) => x,
        Err(code) => return code,
    };
    report(session.full_guarded(true).map(Some), "first build", None);
    session.settle();
    eprintln!("watching for changes (Ctrl-C to stop)");
    run_loop(project, watcher, session, None, None);
    0
}
