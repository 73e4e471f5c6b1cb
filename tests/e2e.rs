//! End-to-end: the trunk-built page (`dist/`) in headless Chromium, driven over WebDriver.
//!
//! The test serves `dist/` itself (a small static file server on 127.0.0.1, free port), starts
//! `chromedriver` on a free port, loads the page, types a template and values as a user would,
//! and checks `#output` against what `playground::preview_render` gives natively. A screenshot
//! lands in `target/screenshots/`. Needs `trunk build --release` first (scripts/test does it);
//! without dist/ or chromedriver it fails, unless `CHARTLAB_SKIP_BROWSER=1`.
#![cfg(not(target_arch = "wasm32"))]

use chartlab::playground::preview_render;
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SKIP_VAR: &str = "CHARTLAB_SKIP_BROWSER";

fn skipped() -> bool {
    if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
        eprintln!("e2e: skipped because {SKIP_VAR}=1 (the browser test did NOT run)");
        return true;
    }
    false
}

fn dist_dir() -> PathBuf {
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
fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("screenshots");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("e2e: cannot create {}: {e}", dir.display());
    }
    dir
}

fn free_port() -> u16 {
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

fn serve_one(root: &Path, stream: TcpStream) -> std::io::Result<()> {
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
    let file = resolve(root, target).and_then(|p| std::fs::read(&p).ok().map(|body| (p, body)));
    let mut out = stream;
    match file {
        Some((path, body)) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
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

/// Serves `root` on 127.0.0.1 from a background thread (for the life of the test process).
fn start_static_server(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .unwrap_or_else(|e| panic!("e2e: cannot bind the static server: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("e2e: static server address: {e}"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = serve_one(&root, stream);
            });
        }
    });
    format!("http://{addr}/")
}

// ---- chromedriver + headless Chromium -----------------------------------------------------------

/// Kills chromedriver (and so its Chromium) when the test ends, even on a failed assertion.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_chromedriver(port: u16) -> Driver {
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

fn capabilities() -> fantoccini::wd::Capabilities {
    let binary = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,800"
            ]
        }
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Connects to chromedriver, retrying while it starts up (it needs a moment to listen).
async fn connect(port: u16) -> Client {
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities())
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

async fn text_content(client: &Client, id: &str) -> String {
    let el = client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("e2e: #{id} not on the page: {e}"));
    el.prop("textContent")
        .await
        .unwrap_or_else(|e| panic!("e2e: reading #{id}: {e}"))
        .unwrap_or_default()
}

async fn textarea_value(client: &Client, id: &str) -> String {
    let el = client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("e2e: #{id} not on the page: {e}"));
    el.prop("value")
        .await
        .unwrap_or_else(|e| panic!("e2e: reading #{id}: {e}"))
        .unwrap_or_default()
}

/// Polls `#id`'s text until it equals `want`; fails with the last text seen.
async fn wait_for_text(client: &Client, id: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let got = text_content(client, id).await;
        if got == want {
            return;
        }
        if Instant::now() >= deadline {
            panic!("e2e: #{id} never became {want:?}; last seen {got:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn replace_text(client: &Client, id: &str, text: &str) {
    let area = client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("e2e: #{id} not on the page: {e}"));
    area.clear()
        .await
        .unwrap_or_else(|e| panic!("e2e: clearing #{id}: {e}"));
    area.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("e2e: typing into #{id}: {e}"));
}

async fn save_screenshot(client: &Client, name: &str) {
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

#[tokio::test]
async fn placeholder_page_renders_what_the_user_types() {
    if skipped() {
        return;
    }
    let page = start_static_server(dist_dir());
    let port = free_port();
    let _driver = start_chromedriver(port);
    let client = connect(port).await;

    client
        .goto(&page)
        .await
        .unwrap_or_else(|e| panic!("e2e: loading {page}: {e}"));
    let title = client.title().await.unwrap_or_default();
    assert!(title.contains("ChartLab"), "e2e: page title is {title:?}");

    // The wasm app has started once its sample shows up, rendered as the native code renders it.
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("#template"))
        .await
        .unwrap_or_else(|e| panic!("e2e: the app never mounted (no #template): {e}"));
    let sample = preview_render(
        &textarea_value(&client, "template").await,
        &textarea_value(&client, "values").await,
    )
    .unwrap_or_else(|e| panic!("e2e: the page's sample does not render natively: {e}"));
    assert!(
        !sample.is_empty(),
        "e2e: the page starts with an empty template"
    );
    wait_for_text(&client, "output", &sample).await;

    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-typed\ndata:\n  who: {{ .Values.who | quote }}\n";
    let values = "who: e2e\n";
    replace_text(&client, "values", values).await;
    replace_text(&client, "template", template).await;
    let want = preview_render(template, values)
        .unwrap_or_else(|e| panic!("e2e: the typed template does not render natively: {e}"));
    wait_for_text(&client, "output", &want).await;
    assert_eq!(
        text_content(&client, "error").await,
        "",
        "e2e: #error shows text"
    );

    save_screenshot(&client, "e2e-placeholder.png").await;
    if let Err(e) = client.close().await {
        eprintln!("e2e: closing the WebDriver session: {e}");
    }
}
