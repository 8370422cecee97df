//! guard: which requests the dev server answers at all. Pure: a request's
//! method, URI and headers in, a verdict out; [`super::server`] applies it
//! to every route before anything is read or served.
//!
//! - **Host** (DNS rebinding): a web page can point its own host name at
//!   127.0.0.1 and then read this server as if it were its own origin. So
//!   the `Host` (and the authority of an absolute-form or HTTP/2 request)
//!   must name this server: `localhost`, a loopback address or the bound
//!   address — any IP address when bound to `0.0.0.0`/`::` — with the port
//!   (case and one trailing dot do not matter; no port means 80). A host
//!   name is never allowed: that is what rebinding uses. Otherwise 421; a
//!   missing, repeated or malformed `Host` is 400 (RFC 9112 §3.2).
//! - **Fetch Metadata**, when the browser sends it: a cross-site request
//!   is refused (403) unless it is a top-level navigation (a link the
//!   analyst followed to the preview), so another site can neither embed
//!   the preview's pages and scripts (the search index is scripts) nor
//!   listen to its event stream.
//! - **Writes** (the annotate endpoint) also need an `Origin` that is this
//!   server, the very host and port the request was sent to (absent or
//!   `null`: refused), and `Sec-Fetch-Site`, if sent, must be
//!   `same-origin`.

use axum::http::{HeaderMap, Method, Uri, header};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a request was refused: HTTP status and a short plain-text reason.
pub type Refusal = (u16, String);

/// The host part of an authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    /// `localhost` (any case, with or without its trailing dot).
    Localhost,
    /// An IP address literal (`127.0.0.1`, `[::1]`).
    Ip(IpAddr),
    /// A host name other than `localhost`.
    Other,
}

/// An authority (`host[:port]`) as this server compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authority {
    pub name: Name,
    pub port: u16,
}

/// Parse an authority: `None` when it is not one (empty, user info, a bad
/// port, an unbracketed IPv6 address, characters no host has).
pub fn parse_authority(s: &str) -> Option<Authority> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:[]~%".contains(&b))
    {
        return None;
    }
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        let ip: Ipv6Addr = v6.parse().ok()?;
        (HostPart::Ip(IpAddr::V6(ip)), port)
    } else {
        let (host, port) = match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        };
        if host.is_empty() || host.contains([':', '[', ']']) {
            return None;
        }
        (HostPart::Text(host), port)
    };
    let port = match port {
        None | Some("") => 80,
        Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    let name = match host {
        HostPart::Ip(ip) => Name::Ip(ip),
        HostPart::Text(h) => {
            let h = h.to_ascii_lowercase();
            let h = h.strip_suffix('.').unwrap_or(&h);
            if h == "localhost" {
                Name::Localhost
            } else if let Ok(v4) = h.parse::<Ipv4Addr>() {
                Name::Ip(IpAddr::V4(v4))
            } else if h.is_empty() {
                return None;
            } else {
                Name::Other
            }
        }
    };
    Some(Authority { name, port })
}

enum HostPart<'a> {
    Ip(IpAddr),
    Text(&'a str),
}

/// What this server answers to: derived from the address it listens on.
#[derive(Clone, Debug)]
pub struct Allowed {
    bound: IpAddr,
    port: u16,
}

impl Allowed {
    /// For a server listening on `local` (the real port, after `--port 0`).
    pub fn new(local: SocketAddr) -> Allowed {
        Allowed {
            bound: local.ip().to_canonical(),
            port: local.port(),
        }
    }

    /// Whether `a` names this server.
    pub fn allows(&self, a: &Authority) -> bool {
        if a.port != self.port {
            return false;
        }
        match a.name {
            Name::Localhost => true,
            Name::Ip(ip) => {
                let ip = ip.to_canonical();
                ip.is_loopback() || ip == self.bound || self.bound.is_unspecified()
            }
            Name::Other => false,
        }
    }

    /// The refusal of a request for another host.
    fn misdirected(&self) -> Refusal {
        let p = self.port;
        let mut names = format!("localhost:{p}, 127.0.0.1:{p}, [::1]:{p}");
        if self.bound.is_unspecified() {
            names.push_str(&format!(" or this machine's IP address with port {p}"));
        } else if !self.bound.is_loopback() {
            let b = match self.bound {
                IpAddr::V6(v6) => format!("[{v6}]"),
                v4 => v4.to_string(),
            };
            names.push_str(&format!(" or {b}:{p}"));
        }
        (
            421,
            format!(
                "misdirected request: this preview answers only to {names} (a host name pointing here is how DNS rebinding attacks work)"
            ),
        )
    }

    /// Check a request before it is routed: its host, and where it comes
    /// from (Fetch Metadata). The authority it was sent to, for
    /// [`Allowed::check_write`].
    pub fn check(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<Authority, Refusal> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = hosts.next();
        if hosts.next().is_some() {
            return Err((400, "bad request: more than one Host header".into()));
        }
        let host = match host {
            Some(v) => Some(
                v.to_str()
                    .ok()
                    .and_then(parse_authority)
                    .ok_or((400, "bad request: malformed Host header".to_string()))?,
            ),
            None => None,
        };
        // an absolute-form (or HTTP/2) request names its authority in the URI
        let target = match uri.authority() {
            Some(a) => Some(
                parse_authority(a.as_str())
                    .ok_or((400, "bad request: malformed request authority".to_string()))?,
            ),
            None => None,
        };
        let Some(authority) = target.or(host) else {
            return Err((400, "bad request: no Host header".into()));
        };
        if [host, target].iter().flatten().any(|a| !self.allows(a)) {
            return Err(self.misdirected());
        }
        check_fetch_site(method, headers)?;
        Ok(authority)
    }

    /// Check a write (the annotate endpoint) sent to `authority`: its
    /// `Origin` must be this very server, and Fetch Metadata, if sent,
    /// must say same-origin.
    pub fn check_write(&self, authority: &Authority, headers: &HeaderMap) -> Result<(), Refusal> {
        if let Some(site) = headers.get("sec-fetch-site")
            && !site.as_bytes().eq_ignore_ascii_case(b"same-origin")
        {
            return Err((
                403,
                "forbidden: only the preview's own pages may annotate".into(),
            ));
        }
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .ok_or((
                403,
                "forbidden: a write needs an Origin header (the preview's own pages send it)"
                    .to_string(),
            ))?;
        let same = origin
            .strip_prefix("http://")
            .and_then(parse_authority)
            .is_some_and(|o| o == *authority && self.allows(&o));
        if same {
            Ok(())
        } else {
            Err((
                403,
                "forbidden: the Origin is not this preview; only its own pages may annotate".into(),
            ))
        }
    }
}

/// Fetch Metadata for reads: a cross-site request is refused unless it is
/// a top-level navigation (GET or HEAD of a document).
fn check_fetch_site(method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("?").to_ascii_lowercase())
    };
    let Some(site) = get("sec-fetch-site") else {
        return Ok(());
    };
    if matches!(site.as_str(), "same-origin" | "same-site" | "none") {
        return Ok(());
    }
    let navigation = (method == Method::GET || method == Method::HEAD)
        && get("sec-fetch-mode").as_deref() == Some("navigate")
        && get("sec-fetch-dest").as_deref() == Some("document");
    if navigation {
        Ok(())
    } else {
        Err((
            403,
            "forbidden: another site may not load the preview's pages or files".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const PORT: u16 = 4321;

    fn loopback() -> Allowed {
        Allowed::new(SocketAddr::from(([127, 0, 0, 1], PORT)))
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn check(a: &Allowed, pairs: &[(&'static str, &str)]) -> Result<Authority, u16> {
        a.check(&Method::GET, &Uri::from_static("/"), &headers(pairs))
            .map_err(|r| r.0)
    }

    #[test]
    fn authorities_parse_like_browsers_send_them() {
        let at = |s| parse_authority(s);
        let lh = |port| {
            Some(Authority {
                name: Name::Localhost,
                port,
            })
        };
        assert_eq!(at("localhost:4321"), lh(4321));
        assert_eq!(at("LOCALHOST:4321"), lh(4321));
        assert_eq!(at("localhost.:4321"), lh(4321));
        assert_eq!(at("localhost"), lh(80));
        assert_eq!(at("localhost:"), lh(80));
        assert_eq!(
            at("[::1]:4321").map(|a| a.name),
            Some(Name::Ip("::1".parse().unwrap()))
        );
        assert_eq!(
            at("127.0.0.1:4321").map(|a| a.name),
            Some(Name::Ip([127, 0, 0, 1].into()))
        );
        assert_eq!(at("evil.example:4321").map(|a| a.name), Some(Name::Other));
        assert_eq!(
            at("localhost.evil.example").map(|a| a.name),
            Some(Name::Other)
        );
        for bad in [
            "",
            "::1",
            "[::1",
            "[::1]x",
            "user@localhost:4321",
            "localhost:99999",
            "localhost:+80",
            "localhost:4321:1",
            "local host",
            "localhost/x",
            ".:80",
            "[evil]:80",
        ] {
            assert_eq!(parse_authority(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_this_server_by_loopback_name_and_port() {
        let a = loopback();
        for ok in [
            "localhost:4321",
            "Localhost:4321",
            "localhost.:4321",
            "127.0.0.1:4321",
            "[::1]:4321",
            "[::ffff:127.0.0.1]:4321",
        ] {
            assert!(check(&a, &[("host", ok)]).is_ok(), "{ok}");
        }
        for (bad, status) in [
            ("evil.example:4321", 421),
            ("localhost.evil.example:4321", 421),
            ("127.0.0.1.nip.io:4321", 421),
            ("localhost:80", 421),
            ("localhost", 421),
            ("127.0.0.1:1111", 421),
            ("10.0.0.1:4321", 421),
            ("0.0.0.0:4321", 421),
            ("local host:4321", 400),
            ("", 400),
        ] {
            assert_eq!(check(&a, &[("host", bad)]).unwrap_err(), status, "{bad}");
        }
        assert_eq!(check(&a, &[]).unwrap_err(), 400, "no Host");
        assert_eq!(
            check(
                &a,
                &[("host", "localhost:4321"), ("host", "localhost:4321")]
            )
            .unwrap_err(),
            400,
            "two Hosts"
        );
    }

    #[test]
    fn an_absolute_uri_must_name_this_server_too() {
        let a = loopback();
        let h = headers(&[("host", "localhost:4321")]);
        let abs = |u: &'static str| a.check(&Method::GET, &Uri::from_static(u), &h);
        assert!(abs("http://127.0.0.1:4321/").is_ok());
        assert_eq!(abs("http://evil.example:4321/").unwrap_err().0, 421);
        // HTTP/2: no Host, the authority in the URI
        let none = HeaderMap::new();
        let got = a.check(
            &Method::GET,
            &Uri::from_static("http://localhost:4321/x"),
            &none,
        );
        assert_eq!(got.unwrap().name, Name::Localhost);
    }

    #[test]
    fn a_bound_address_is_allowed_and_any_address_when_bound_to_all() {
        let lan = Allowed::new("192.168.1.5:4321".parse().unwrap());
        assert!(check(&lan, &[("host", "192.168.1.5:4321")]).is_ok());
        assert!(check(&lan, &[("host", "localhost:4321")]).is_ok());
        assert_eq!(
            check(&lan, &[("host", "192.168.1.6:4321")]).unwrap_err(),
            421
        );
        assert_eq!(check(&lan, &[("host", "mybox.lan:4321")]).unwrap_err(), 421);
        let all = Allowed::new("0.0.0.0:4321".parse().unwrap());
        assert!(check(&all, &[("host", "192.168.1.6:4321")]).is_ok());
        assert!(check(&all, &[("host", "[fe80::1]:4321")]).is_ok());
        assert_eq!(
            check(&all, &[("host", "evil.example:4321")]).unwrap_err(),
            421
        );
        let v6 = Allowed::new("[::1]:4321".parse().unwrap());
        assert!(check(&v6, &[("host", "[::1]:4321")]).is_ok());
        assert!(check(&v6, &[("host", "localhost:4321")]).is_ok());
    }

    #[test]
    fn the_refusal_names_no_secret_and_says_why() {
        let (status, msg) = loopback()
            .check(
                &Method::GET,
                &Uri::from_static("/"),
                &headers(&[("host", "evil.example:4321")]),
            )
            .unwrap_err();
        assert_eq!(status, 421);
        assert!(msg.contains("localhost:4321"), "{msg}");
        assert!(msg.contains("DNS rebinding"), "{msg}");
        assert!(
            !msg.contains("evil"),
            "the request's host is not echoed: {msg}"
        );
    }

    #[test]
    fn cross_site_requests_are_refused_but_navigations() {
        let a = loopback();
        let host = ("host", "localhost:4321");
        for site in ["same-origin", "same-site", "none"] {
            assert!(
                check(&a, &[host, ("sec-fetch-site", site)]).is_ok(),
                "{site}"
            );
        }
        // a hostile page's <script src>, fetch, iframe or EventSource
        for (mode, dest) in [
            ("no-cors", "script"),
            ("cors", "empty"),
            ("navigate", "iframe"),
            ("no-cors", "image"),
        ] {
            let got = check(
                &a,
                &[
                    host,
                    ("sec-fetch-site", "cross-site"),
                    ("sec-fetch-mode", mode),
                    ("sec-fetch-dest", dest),
                ],
            );
            assert_eq!(got.unwrap_err(), 403, "{mode} {dest}");
        }
        // following a link to the preview from elsewhere
        let nav = [
            host,
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"),
            ("sec-fetch-dest", "document"),
        ];
        assert!(check(&a, &nav).is_ok());
        let post = a.check(&Method::POST, &Uri::from_static("/"), &headers(&nav));
        assert_eq!(post.unwrap_err().0, 403, "a cross-site form post");
    }

    #[test]
    fn a_write_needs_its_own_origin() {
        let a = loopback();
        let to = parse_authority("localhost:4321").unwrap();
        let write =
            |pairs: &[(&'static str, &str)]| a.check_write(&to, &headers(pairs)).map_err(|r| r.0);
        assert!(write(&[("origin", "http://localhost:4321")]).is_ok());
        assert!(
            write(&[
                ("origin", "http://LOCALHOST:4321"),
                ("sec-fetch-site", "same-origin")
            ])
            .is_ok()
        );
        for bad in [
            "http://evil.example:4321",
            "http://127.0.0.1:4321",
            "http://localhost:4322",
            "http://localhost",
            "https://localhost:4321",
            "http://localhost:4321/",
            "null",
            "",
        ] {
            assert_eq!(write(&[("origin", bad)]).unwrap_err(), 403, "{bad}");
        }
        assert_eq!(write(&[]).unwrap_err(), 403, "no Origin");
        for site in ["same-site", "cross-site", "none"] {
            assert_eq!(
                write(&[
                    ("origin", "http://localhost:4321"),
                    ("sec-fetch-site", site)
                ])
                .unwrap_err(),
                403,
                "{site}"
            );
        }
    }
}
