//! A small HTTP/1.1 client for ClickHouse's HTTP interface: POST a statement (or data
//! with the statement in the URL), read the answer as a stream. Plain `http://` only;
//! credentials come from the environment and go in a Basic authorization header,
//! never in the URL.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use base64::Engine as _;

use crate::diag::Diagnostic;

/// Environment variables holding the user and password.
pub const USER_VAR: &str = "CLICKHOUSE_USER";
pub const PASSWORD_VAR: &str = "CLICKHOUSE_PASSWORD";

/// A ClickHouse server's HTTP endpoint.
#[derive(Clone)]
pub struct Endpoint {
    host: String,
    port: u16,
    /// The URL as given, without credentials (for messages).
    pub url: String,
    auth: Option<String>,
}

impl std::fmt::Debug for Endpoint {
    // Never print the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint").field("url", &self.url).finish()
    }
}

impl Endpoint {
    /// `http://host[:port][/]`, with the user and password from the environment.
    pub fn new(url: &str) -> Result<Endpoint, Diagnostic> {
        let user = std::env::var(USER_VAR).ok().filter(|u| !u.is_empty());
        let password = std::env::var(PASSWORD_VAR).unwrap_or_default();
        Self::with_credentials(url, user.as_deref(), &password)
    }

    pub fn with_credentials(url: &str, user: Option<&str>, password: &str) -> Result<Endpoint, Diagnostic> {
        let bad = |why: &str| {
            Diagnostic::usage(format!("--url {url}: {why}")).help("give the HTTP interface, e.g. http://localhost:8123")
        };
        let rest = if let Some(r) = url.strip_prefix("http://") {
            r
        } else if url.starts_with("https://") {
            return Err(bad("https is not supported; reach the server over http (a private network or an SSH tunnel)"));
        } else {
            return Err(bad("the URL must start with http://"));
        };
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            return Err(bad("credentials do not go in the URL").help(format!("set {USER_VAR} and {PASSWORD_VAR}")));
        }
        if rest.trim_start_matches(authority).trim_matches('/').contains(['?', '#']) || rest.contains('?') {
            return Err(bad("give only the server; the database and table have their own options"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                (h.to_string(), p.parse::<u16>().map_err(|_| bad("the port is not a number"))?)
            }
            _ => (authority.to_string(), 8123),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let auth = user.map(|u| {
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{password}"));
            format!("Basic {token}")
        });
        Ok(Endpoint { host, port, url: format!("http://{authority}"), auth })
    }

    /// POST `body` to `/?params`; the answer's body as a stream, or the server's error.
    pub fn post(&self, params: &[(&str, &str)], body: &[u8]) -> Result<Body, Diagnostic> {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<_> = (host, self.port)
            .to_socket_addrs()
            .map_err(|e| Diagnostic::runtime(format!("cannot resolve {}: {e}", self.url)))?
            .collect();
        let mut last = None;
        let mut stream = None;
        for a in addrs {
            match TcpStream::connect_timeout(&a, Duration::from_secs(10)) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let Some(mut stream) = stream else {
            let why = last.map_or("no address".to_string(), |e| e.to_string());
            return Err(Diagnostic::runtime(format!("cannot connect to ClickHouse at {}: {why}", self.url))
                .help("is the server running, and is this its HTTP port (8123 by default)?"));
        };
        let query: String =
            params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let mut head = format!(
            "POST /?{query} HTTP/1.1\r\nHost: {}:{}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.host,
            self.port,
            body.len()
        );
        if let Some(a) = &self.auth {
            head.push_str(&format!("Authorization: {a}\r\n"));
        }
        head.push_str("\r\n");
        let io = |e: std::io::Error| Diagnostic::runtime(format!("ClickHouse at {}: {e}", self.url));
        stream.write_all(head.as_bytes()).map_err(io)?;
        stream.write_all(body).map_err(io)?;
        stream.flush().map_err(io)?;
        // Waits for the answer wake up now and then to see whether the query was
        // stopped (Ctrl-C in the console sets exec::CANCEL).
        stream.set_read_timeout(Some(Duration::from_millis(200))).map_err(io)?;
        let stream = Interruptible { inner: stream, cancel: &crate::exec::CANCEL };
        let mut reader = BufReader::with_capacity(1 << 16, stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).map_err(io)?;
        let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| {
            Diagnostic::runtime(format!("{} did not answer as an HTTP server: {:?}", self.url, status_line.trim()))
        })?;
        let mut chunked = false;
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).map_err(io)? == 0 {
                break;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                } else if k == "content-length" {
                    length = v.parse::<u64>().ok();
                }
            }
        }
        let inner: Box<dyn Read + Send> = if chunked {
            Box::new(Chunked { inner: reader, left: 0, done: false })
        } else if let Some(n) = length {
            Box::new(reader.take(n))
        } else {
            Box::new(reader)
        };
        let mut body = Body { inner: BufReader::with_capacity(1 << 16, inner) };
        if status != 200 {
            let mut text = String::new();
            let _ = body.inner.by_ref().take(1 << 16).read_to_string(&mut text);
            return Err(server_error(&self.url, status, &text));
        }
        Ok(body)
    }

    /// Run a statement that returns little (DDL, a count): its whole answer as text.
    pub fn execute(&self, sql: &str) -> Result<String, Diagnostic> {
        let mut body = self.post(&[], sql.as_bytes())?;
        let mut text = String::new();
        body.inner
            .read_to_string(&mut text)
            .map_err(|e| Diagnostic::runtime(format!("ClickHouse at {}: {e}", self.url)))?;
        Ok(text)
    }
}

/// The answer of a request, de-chunked.
pub struct Body {
    pub inner: BufReader<Box<dyn Read + Send>>,
}

/// ClickHouse's error text (`Code: 60, e.displayText() = DB::Exception: Table ... doesn't
/// exist`) as a diagnostic.
pub fn server_error(url: &str, status: u16, text: &str) -> Diagnostic {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let message = first.split(", e.what()").next().unwrap_or(first);
    let message = message.replace("e.displayText() = ", "");
    let message = if message.chars().count() > 600 {
        format!("{}...", message.chars().take(600).collect::<String>())
    } else {
        message
    };
    Diagnostic::runtime(format!("ClickHouse at {url} answered {status}: {message}"))
}

/// Percent-encoding for a URL query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A socket read that waits for the server in short slices and gives up once `cancel`
/// is set (with `Other`: std's readers retry `Interrupted`).
struct Interruptible<R> {
    inner: R,
    cancel: &'static std::sync::atomic::AtomicBool,
}

impl<R: Read> Read for Interruptible<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                        return Err(std::io::Error::other("query interrupted"));
                    }
                }
                other => return other,
            }
        }
    }
}

/// `Transfer-Encoding: chunked`, decoded as it is read.
struct Chunked<R> {
    inner: R,
    left: usize,
    done: bool,
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.inner.read_line(&mut line)?;
            if line.trim().is_empty() {
                // The CRLF after the previous chunk.
                line.clear();
                self.inner.read_line(&mut line)?;
            }
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(size, 16).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad chunk size {size:?}"))
            })?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let n = buf.len().min(self.left);
        let got = self.inner.read(&mut buf[..n])?;
        if got == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the answer ended early"));
        }
        self.left -= got;
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_credentials_kept_out_of_them() {
        let e = Endpoint::with_credentials("http://db.internal:9000/", Some("alice"), "s3cret").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("db.internal", 9000));
        assert!(!format!("{e:?}").contains("s3cret"));
        assert_eq!(Endpoint::with_credentials("http://localhost", None, "").unwrap().port, 8123);
        for bad in ["https://x", "localhost:8123", "http://u:p@x", "http://x/?database=y", "http://x:port"] {
            assert!(Endpoint::with_credentials(bad, None, "").is_err(), "{bad}");
        }
    }

    /// A reader that never has data yet, as a socket waiting for a slow query.
    struct Waiting;

    impl Read for Waiting {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(5));
            Err(std::io::Error::new(std::io::ErrorKind::WouldBlock, "not yet"))
        }
    }

    #[test]
    fn a_wait_for_the_server_stops_when_cancelled() {
        static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        let mut r = Interruptible { inner: Waiting, cancel: &STOP };
        let setter = std::thread::spawn(|| {
            std::thread::sleep(Duration::from_millis(50));
            STOP.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        let mut text = String::new();
        let e = BufReader::new(&mut r).read_line(&mut text).unwrap_err();
        setter.join().unwrap();
        assert_eq!(e.to_string(), "query interrupted");
        // Data that is there is read as usual.
        let mut r = Interruptible { inner: &b"abc"[..], cancel: &STOP };
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf).unwrap(), 3);
    }

    #[test]
    fn chunked_bodies_decode() {
        let raw = b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
        let mut c = Chunked { inner: &raw[..], left: 0, done: false };
        let mut s = String::new();
        c.read_to_string(&mut s).unwrap();
        assert_eq!(s, "Wikipedia");
    }

    #[test]
    fn server_errors_read_well() {
        let d = server_error(
            "http://x:8123",
            404,
            "Code: 60, e.displayText() = DB::Exception: Table default.flows doesn't exist., e.what() = DB::Exception\n",
        );
        assert!(d.message.contains("answered 404: Code: 60, DB::Exception: Table default.flows doesn't exist."));
    }
}
