//! The browser side of the end-to-end tests (tests/e2e*.rs `mod browser;`): `dist/` served by a
//! static file server of our own (gzip as a static host sends it: the build's zopfli `NAME.gz`
//! files where present), chromedriver with headless Chromium, and the page actions every session
//! uses. Skipped as a whole with `CHARTLAB_SKIP_BROWSER=1`.
#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SKIP_VAR: &str = "CHARTLAB_SKIP_BROWSER";

/// Whether the browser tests are switched off (`CHARTLAB_SKIP_BROWSER=1`); says so when they are.
pub fn skipped() -> bool {
    if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
        eprintln!("e2e: skipped because {SKIP_VAR}=1 (the browser test did NOT run)");
        return true;
    }
    false
}

pub fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "e2e: {} has no index.html: build the web app first with `trunk build --release` \
         (scripts/test does), or set {SKIP_VAR}=1 to skip the browser tests",
        dist.display()
    );
    dist
}

/// Where screenshots go: `<target dir>/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("screenshots");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("e2e: cannot create {}: {e}", dir.display());
    }
    dir
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("e2e: no free port on 127.0.0.1: {e}"))
}

// ---- a tiny static file server for dist/ ------------------------------------------------------

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// Maps a request target to a file under `root`; `None` for anything leaving it.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = root.join(rel);
    Some(if full.is_dir() {
        full.join("index.html")
    } else {
        full
    })
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn serve_one(root: &Path, gz: &Gzipped, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let file = resolve(root, target).and_then(|p| gz.get(&p).map(|body| (p, body.clone())));
    let mut out = stream;
    match file {
        Some((path, body)) => {
            // compressed as a production server sends it, so the page's resource timings show
            // real transfer sizes
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&path),
                body.len()
            )?;
            out.write_all(&body)?;
        }
        None => {
            out.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
        }
    }
    out.flush()
}

/// Every file under `root`, gzipped once up front (the debug-built compressor is slow, and the
/// page's load time must not include it).
type Gzipped = std::collections::HashMap<PathBuf, Vec<u8>>;

fn gzip_tree(root: &Path) -> Gzipped {
    let mut out = Gzipped::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "gz") {
                continue;
            } else if let Ok(body) = std::fs::read(&p) {
                let gz = precompressed(&p, &body).unwrap_or_else(|| gzip(&body));
                out.insert(p, gz);
            }
        }
    }
    out
}

/// The build's own `NAME.gz` beside `path` (scripts/precompress, zopfli), served as a static host
/// with precompressed files would serve it; it must decompress to exactly the file's bytes.
fn precompressed(path: &Path, body: &[u8]) -> Option<Vec<u8>> {
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    let gz = std::fs::read(PathBuf::from(name)).ok()?;
    let mut plain = Vec::new();
    let read = flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut plain);
    assert!(
        read.is_ok() && plain == body,
        "e2e: {}.gz does not hold {} (a stale or broken precompressed file)",
        path.display(),
        path.display()
    );
    Some(gz)
}

/// Serves `root` on 127.0.0.1 from a background thread (for the life of the test process).
pub fn start_static_server(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("e2e: cannot bind the static server: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("e2e: static server address: {e}"));
    let gz = std::sync::Arc::new(gzip_tree(&root));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            let gz = gz.clone();
            std::thread::spawn(move || {
                let _ = serve_one(&root, &gz, stream);
            });
        }
    });
    format!("http://{addr}/")
}

// ---- chromedriver + headless Chromium -----------------------------------------------------------

/// Kills chromedriver (and so its Chromium) when the test ends, even on a failed assertion.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn start_chromedriver(port: u16) -> Driver {
    let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
    match Command::new(&exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => Driver(child),
        Err(e) => panic!(
            "e2e: cannot start `{exe}` ({e}): install chromium-driver (scripts/bootstrap.sh does) \
             or set CHROMEDRIVER, or set {SKIP_VAR}=1 to skip the browser tests"
        ),
    }
}

fn capabilities(width: u32, height: u32) -> fantoccini::wd::Capabilities {
    let binary = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", format!("--window-size={width},{height}")
            ]
        }
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Connects to chromedriver with a 1280×800 window, retrying while it starts up.
pub async fn connect(port: u16) -> Client {
    connect_sized(port, 1280, 800).await
}

/// Connects to chromedriver with a window of this size, retrying while it starts up (it needs a
/// moment to listen).
pub async fn connect_sized(port: u16, width: u32, height: u32) -> Client {
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities(width, height))
            .connect(&url)
            .await;
        match attempt {
            Ok(client) => return client,
            Err(e) if Instant::now() >= deadline => {
                panic!("e2e: no WebDriver session from chromedriver at {url} within 20 s: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

// ---- driving the page ---------------------------------------------------------------------------

pub async fn js(client: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    client
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("e2e: script failed: {e}\n{script}"))
}

pub async fn text_of(client: &Client, selector: &str) -> String {
    js(
        client,
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        vec![selector.into()],
    )
    .await
    .as_str()
    .unwrap_or("")
    .to_string()
}

pub async fn click(client: &Client, selector: &str) {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("e2e: {selector} not on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("e2e: clicking {selector}: {e}"));
}

/// Replaces the open file's text as a paste would (through CodeMirror, so the app sees a user
/// edit).
pub async fn paste(client: &Client, text: &str) {
    let ok = js(
        client,
        "const h = ChartLabEditor.forElement(document.querySelector('#editor')); \
         if (!h) return false; ChartLabEditor.paste(h, arguments[0]); return true;",
        vec![text.into()],
    )
    .await;
    assert_eq!(
        ok,
        serde_json::Value::Bool(true),
        "e2e: no CodeMirror editor at #editor"
    );
}

pub async fn save_screenshot(client: &Client, name: &str) {
    let png = client
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("e2e: screenshot: {e}"));
    let path = screenshot_dir().join(name);
    if let Err(e) = std::fs::write(&path, png) {
        panic!("e2e: writing {}: {e}", path.display());
    }
    eprintln!("e2e: screenshot {}", path.display());
}
