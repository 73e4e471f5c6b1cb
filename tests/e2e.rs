//! End-to-end: the trunk-built page (`dist/`) in headless Chromium, driven over WebDriver.
//!
//! The test serves `dist/` itself (a small static file server on 127.0.0.1, free port, gzip as a
//! static host sends it: the build's zopfli `NAME.gz` files where present), starts `chromedriver`
//! on a free port and drives the playground as a learner would: the scaffold on load, edits re-rendering the output, a template error
//! shown and its line marked in the editor, a share link opened in a fresh browser profile,
//! a 10 MB paste and runaway templates leaving the page responsive, and the benchmark page
//! (`?bench`) with the keystroke-to-output latency; the releases panel: install, upgrade and
//! roll back through its buttons (timeline, diff, rollout report), lab 2's decode pipeline in
//! its terminal, the cluster view, the Secret inspector, the cluster kept across a reload.
//! Every expected output of the playground is what the native
//! playground code renders for the same document. Screenshots land in `target/screenshots/`,
//! the figures in `target/bench-figures.json`. Needs `trunk build --release` first
//! (scripts/test does it); without dist/ or chromedriver it fails, unless
//! `CHARTLAB_SKIP_BROWSER=1`.
#![cfg(not(target_arch = "wasm32"))]

use chartlab::engine::Env;
use chartlab::playground::examples::{self, ExampleId};
use chartlab::playground::render::render_document;
use chartlab::playground::Document;
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

mod browser;
use browser::{
    click, connect, dist_dir, free_port, js, paste, save_screenshot, screenshot_dir, skipped,
    start_chromedriver, start_static_server, text_of,
};

// ---- driving the page ---------------------------------------------------------------------------

/// Polls until `selector`'s text satisfies `ok` (30 s: a loaded 2-core machine); fails with the
/// last text seen.
async fn wait_text(
    client: &Client,
    selector: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = text_of(client, selector).await;
        if ok(&got) {
            return got;
        }
        if Instant::now() >= deadline {
            let shown: String = got.chars().take(600).collect();
            panic!("e2e: {what}: {selector} never did; last seen {shown:?}");
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// The output pane shows what the native code renders for `doc`.
async fn expect_render(client: &Client, doc: &Document, what: &str) {
    match render_document(doc, &Env::default()) {
        Ok(out) => {
            wait_text(client, "#output", what, |t| t == out.text).await;
        }
        Err(f) => {
            let want = format!("Error: {}", f.message);
            wait_text(client, "#error", what, |t| t == want).await;
        }
    }
}

async fn open_file(client: &Client, path: &str) {
    click(client, &format!("[data-path='{path}'] .tree-open")).await;
    wait_text(client, ".editor-pane .file-path", "the file opens", |t| {
        t == path
    })
    .await;
}

/// Milliseconds a trivial script takes to come back: how responsive the page is.
async fn ping_ms(client: &Client) -> f64 {
    let t = Instant::now();
    js(client, "return 1;", vec![]).await;
    t.elapsed().as_secs_f64() * 1000.0
}

async fn session(port: u16, url: &str) -> Client {
    let client = connect(port).await;
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("e2e: loading {url}: {e}"));
    let title = client.title().await.unwrap_or_default();
    assert!(title.contains("ChartLab"), "e2e: page title is {title:?}");
    wait_text(&client, "#render-status", "the first render", |t| {
        t.starts_with("Rendered") || t.starts_with("Failed")
    })
    .await;
    client
}

fn with_file(mut doc: Document, path: &str, text: &str) -> Document {
    doc.workspace
        .write(path, text.as_bytes().to_vec())
        .unwrap_or_else(|e| panic!("e2e: {path}: {e}"));
    doc
}

// ---- the tests ----------------------------------------------------------------------------------

/// One test, so that the browsers run one after another (a 2-core machine, and the figures
/// measured without another browser busy beside them): the benchmark page, then the playground.
#[tokio::test]
async fn the_playground_in_a_browser() {
    if skipped() {
        return;
    }
    let page = start_static_server(dist_dir());
    let port = free_port();
    let _driver = start_chromedriver(port);
    let figures = benchmark_figures(port, &page).await;
    learner_session(port, &page).await;
    releases_session(port, &page).await;
    // The budgets that do not depend on how busy the machine is (checked last, so that a
    // budget overrun does not hide what the sessions would find).
    let transfer = figures["transfer_bytes"].as_f64().unwrap_or(f64::MAX);
    assert!(
        transfer > 0.0 && transfer <= 1024.0 * 1024.0,
        "e2e: {transfer} bytes transferred, over 1 MiB"
    );
    let link = figures["share_link_chars"].as_u64().unwrap_or(u64::MAX);
    assert!(link <= 200, "e2e: a {link}-character share link");
}

/// Waits until the releases panel has finished its command (buttons enabled again).
async fn releases_idle(client: &Client) {
    wait_text(client, "#releases", "the releases panel", |_| true).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let busy = js(
            client,
            "const e = document.querySelector('#releases'); return e ? e.dataset.busy : null;",
            vec![],
        )
        .await;
        if busy.as_str() == Some("false") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "e2e: the releases panel stayed busy"
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// Types a line into the releases terminal and presses Enter.
async fn terminal_run(client: &Client, line: &str) {
    let input = client
        .find(Locator::Css("#terminal-input"))
        .await
        .unwrap_or_else(|e| panic!("e2e: no terminal input: {e}"));
    input
        .send_keys(line)
        .await
        .unwrap_or_else(|e| panic!("e2e: typing into the terminal: {e}"));
    input
        .send_keys(&fantoccini::key::Key::Enter.to_string())
        .await
        .unwrap_or_else(|e| panic!("e2e: Enter: {e}"));
    releases_idle(client).await;
}

async fn set_input(client: &Client, selector: &str, value: &str) {
    js(
        client,
        "const i = document.querySelector(arguments[0]); i.value = arguments[1]; \
         i.dispatchEvent(new InputEvent('input', {bubbles: true})); return true;",
        vec![selector.into(), value.into()],
    )
    .await;
}

async fn choose(client: &Client, selector: &str, value: &str) {
    js(
        client,
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![selector.into(), value.into()],
    )
    .await;
}

/// The releases panel: install, upgrade and roll back through the buttons (timeline, diff and
/// rollout report follow), lab 2's decode pipeline in the terminal, the cluster view and the
/// Secret inspector; the cluster survives a reload.
async fn releases_session(port: u16, page: &str) {
    let client = session(port, page).await;
    click(&client, ".settings-row .tree-open").await;
    set_input(&client, "#release-name", "myapi-release").await;
    click(&client, "#releases-toggle").await;
    wait_text(&client, "#rel-timeline", "an empty timeline", |t| {
        t.contains("Release myapi-release has no revisions yet")
    })
    .await;
    releases_idle(&client).await;

    // Install: the terminal shows the command the button ran and Helm's output.
    click(&client, "#rel-install").await;
    releases_idle(&client).await;
    let term = wait_text(&client, "#terminal", "helm install", |t| {
        t.contains("helm install myapi-release ./myapi") && t.contains("STATUS: deployed")
    })
    .await;
    assert!(term.contains("NAME: myapi-release"), "{term}");
    wait_text(&client, "#rel-timeline", "revision 1", |t| {
        t.contains("Install complete") && t.contains("deployed")
    })
    .await;

    // Upgrade with two replicas and another image tag.
    open_file(&client, "values.yaml").await;
    let scaffold = examples::build(ExampleId::Scaffold);
    let values = scaffold
        .workspace
        .text("values.yaml")
        .expect("values.yaml")
        .replace("replicaCount: 1", "replicaCount: 2")
        .replacen("tag: \"\"", "tag: \"1.27\"", 1);
    assert!(
        values.contains("tag: \"1.27\""),
        "the scaffold's image tag line"
    );
    paste(&client, &values).await;
    let doc = with_file(scaffold.clone(), "values.yaml", &values);
    let mut doc = doc;
    doc.release.name = "myapi-release".into();
    expect_render(&client, &doc, "the edited values").await;
    click(&client, "#rel-upgrade").await;
    releases_idle(&client).await;
    wait_text(&client, "#terminal", "helm upgrade", |t| {
        t.contains("Release \"myapi-release\" has been upgraded. Happy Helming!")
    })
    .await;
    wait_text(&client, "#rel-timeline", "revision 2", |t| {
        t.contains("Upgrade complete")
    })
    .await;
    click(&client, "[data-tab='report']").await;
    let report = wait_text(&client, "#rel-report", "the rollout report", |t| {
        t.contains("pods roll: yes, because")
    })
    .await;
    assert!(
        report.contains("image nginx:1.16.0 → nginx:1.27"),
        "e2e: the report names the image change: {report}"
    );
    save_screenshot(&client, "10-releases-report.png").await;
    click(&client, "[data-tab='diff']").await;
    let diff = wait_text(&client, "#rel-diff", "the diff of 1 and 2", |t| {
        t.contains("From revision 1 to revision 2")
    })
    .await;
    assert!(diff.contains("+  replicas: 2"), "e2e: diff: {diff}");
    assert!(diff.contains("pods roll, because"), "e2e: diff: {diff}");
    save_screenshot(&client, "11-releases-diff.png").await;

    // Roll back to 1: a third revision.
    choose(&client, "#rel-rollback-to", "1").await;
    click(&client, "#rel-rollback").await;
    releases_idle(&client).await;
    wait_text(&client, "#terminal", "helm rollback", |t| {
        t.contains("helm rollback myapi-release 1")
            && t.contains("Rollback was a success! Happy Helming!")
    })
    .await;
    click(&client, "[data-tab='timeline']").await;
    let timeline = wait_text(&client, "#rel-timeline", "revision 3", |t| {
        t.contains("Rollback to 1")
    })
    .await;
    assert_eq!(
        timeline.matches("superseded").count(),
        2,
        "e2e: timeline: {timeline}"
    );
    save_screenshot(&client, "09-releases-timeline.png").await;

    // Lab 2: the release record, decoded in the terminal.
    terminal_run(
        &client,
        "kubectl get secret sh.helm.release.v1.myapi-release.v1 -o jsonpath=\"{.data.release}\" | base64 --decode | base64 --decode | gunzip | jq -r .manifest",
    )
    .await;
    let term = wait_text(&client, "#terminal", "the decoded manifest", |t| {
        t.contains("# Source: myapi/templates/deployment.yaml")
    })
    .await;
    assert!(
        term.contains("replicas: 1\n") && term.contains("image: \"nginx:1.16.0\""),
        "e2e: revision 1's manifest: {term}"
    );
    save_screenshot(&client, "12-releases-terminal.png").await;
    // up: the last command comes back
    let input = client
        .find(Locator::Css("#terminal-input"))
        .await
        .unwrap_or_else(|e| panic!("e2e: no terminal input: {e}"));
    input
        .send_keys(&fantoccini::key::Key::Up.to_string())
        .await
        .unwrap_or_else(|e| panic!("e2e: Up: {e}"));
    let recalled = js(
        &client,
        "return document.querySelector('#terminal-input').value;",
        vec![],
    )
    .await;
    assert!(
        recalled
            .as_str()
            .unwrap_or("")
            .starts_with("kubectl get secret"),
        "e2e: history: {recalled}"
    );
    set_input(&client, "#terminal-input", "").await;

    click(&client, "[data-tab='cluster']").await;
    wait_text(&client, "#rel-cluster", "kubectl get all", |t| {
        t.contains("deployment.apps/myapi-release") && t.contains("service/myapi-release")
    })
    .await;
    save_screenshot(&client, "13-releases-cluster.png").await;

    click(&client, "[data-tab='secret']").await;
    let secret = wait_text(&client, "#rel-secret", "the release Secret's layers", |t| {
        t.contains("the release record (JSON)")
    })
    .await;
    assert!(
        secret.contains("{\"name\":\"myapi-release\",\"info\":{"),
        "e2e: layers: {secret}"
    );
    save_screenshot(&client, "14-releases-secret.png").await;
    js(
        &client,
        "const s = document.querySelector('#theme'); s.value = 'dark'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )
    .await;
    click(&client, "[data-tab='diff']").await;
    wait_text(&client, "#rel-diff", "the diff again", |t| {
        t.contains("From revision")
    })
    .await;
    save_screenshot(&client, "15-releases-dark.png").await;

    // A reload keeps the cluster (autosaved) and its releases.
    client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("e2e: reload: {e}"));
    wait_text(&client, "#render-status", "the render after reload", |t| {
        t.starts_with("Rendered")
    })
    .await;
    click(&client, "#releases-toggle").await;
    wait_text(&client, "#rel-timeline", "the saved releases", |t| {
        t.contains("Rollback to 1")
    })
    .await;
    if let Err(e) = client.close().await {
        eprintln!("e2e: closing the WebDriver session: {e}");
    }
}

/// The playground as a learner uses it, in one browser after another (fresh profiles).
async fn learner_session(port: u16, page: &str) {
    // 1. Load: the scaffold, rendered as the native code renders it, in CodeMirror.
    let client = session(port, page).await;
    let scaffold = examples::build(ExampleId::Scaffold);
    expect_render(&client, &scaffold, "the scaffold on load").await;
    assert!(
        client
            .find(Locator::Css("#editor .cm-editor"))
            .await
            .is_ok(),
        "e2e: the editor is CodeMirror"
    );
    save_screenshot(&client, "01-scaffold.png").await;

    // 2. Edit values: the output follows.
    let values = scaffold
        .workspace
        .text("values.yaml")
        .expect("values.yaml")
        .replace("replicaCount: 1", "replicaCount: 3");
    paste(&client, &values).await;
    let mut doc = with_file(scaffold.clone(), "values.yaml", &values);
    expect_render(&client, &doc, "after editing values.yaml").await;

    // ... and real keystrokes in a template reach the output too.
    open_file(&client, "templates/service.yaml").await;
    let content = client
        .find(Locator::Css("#editor .cm-content"))
        .await
        .unwrap_or_else(|e| panic!("e2e: no editor content: {e}"));
    content
        .click()
        .await
        .unwrap_or_else(|e| panic!("e2e: focusing the editor: {e}"));
    content
        .send_keys(&(fantoccini::key::Key::Control + &fantoccini::key::Key::End.to_string()))
        .await
        .unwrap_or_else(|e| panic!("e2e: Ctrl+End: {e}"));
    content
        .send_keys("# typed by e2e")
        .await
        .unwrap_or_else(|e| panic!("e2e: typing: {e}"));
    let service = doc
        .workspace
        .text("templates/service.yaml")
        .expect("service")
        .into_owned();
    doc = with_file(
        doc,
        "templates/service.yaml",
        &format!("{service}# typed by e2e"),
    );
    expect_render(&client, &doc, "after typing in service.yaml").await;

    // 3. A template error: Helm's message, and the line marked in the editor.
    let broken = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.service.name | nosuchfunc }}\n";
    paste(&client, broken).await;
    let broken_doc = with_file(doc.clone(), "templates/service.yaml", broken);
    let failure =
        render_document(&broken_doc, &Env::default()).expect_err("the template is broken");
    expect_render(&client, &broken_doc, "the template error").await;
    let marked = wait_text(
        &client,
        "#editor .cm-errorLine",
        "the failing line marked",
        |t| !t.is_empty(),
    )
    .await;
    assert_eq!(
        marked, "  name: {{ .Values.service.name | nosuchfunc }}",
        "e2e: the marked line"
    );
    assert!(failure
        .marks
        .iter()
        .any(|m| m.path == "templates/service.yaml" && m.line == 4));
    assert!(
        client
            .find(Locator::Css("#editor .cm-lint-marker-error"))
            .await
            .is_ok(),
        "e2e: a lint marker in the gutter"
    );
    save_screenshot(&client, "02-template-error.png").await;
    paste(&client, &service).await;
    doc = with_file(doc, "templates/service.yaml", &service);
    expect_render(&client, &doc, "the error fixed").await;

    // 4. Share: the link opens the same chart in a fresh browser profile.
    click(&client, "#share").await;
    let link = js(
        &client,
        "const e = document.querySelector('#share-link'); return e ? e.value : null;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_else(|| panic!("e2e: no share link shown"))
    .to_string();
    eprintln!("e2e: share link ({} chars) {link}", link.len());
    save_screenshot(&client, "03-share.png").await;
    if let Err(e) = client.close().await {
        eprintln!("e2e: closing the WebDriver session: {e}");
    }
    let client = session(port, &link).await;
    expect_render(&client, &doc, "the shared chart in a fresh profile").await;
    wait_text(
        &client,
        ".editor-pane .file-path",
        "the shared open file",
        |t| t == "templates/service.yaml",
    )
    .await;

    // 5. Runaway templates end with an error while the page stays responsive.
    for (body, says) in [
        (
            "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}",
            "exceeded maximum template nesting",
        ),
        (
            "{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}",
            "exceeded maximum template depth",
        ),
        (
            "{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}",
            "evaluation steps",
        ),
    ] {
        let t = Instant::now();
        paste(&client, body).await;
        let shown = wait_text(&client, "#error", "a runaway template stopped", |t| {
            t.contains(says)
        })
        .await;
        let ms = t.elapsed().as_millis();
        let ping = ping_ms(&client).await;
        eprintln!(
            "e2e: runaway template stopped after {ms} ms, page answers in {ping:.0} ms: {}",
            shown.lines().next().unwrap_or("")
        );
        assert!(
            ping < 2_000.0,
            "e2e: the page is not responsive after a runaway template"
        );
    }
    save_screenshot(&client, "04-runaway.png").await;
    paste(&client, &service).await;
    expect_render(&client, &doc, "back to a working template").await;

    // 6. A 10 MB paste into values.yaml: rendered (or paused, with a Render button), and the
    //    page keeps answering.
    open_file(&client, "values.yaml").await;
    let mut big = values.clone();
    big.push_str("bigText: |\n");
    let line = "  0123456789 abcdefghij klmnopqrst uvwxyz ABCDEFGHIJ KLMNOPQRSTUVWXYZ 0123456789 abcdefghij\n";
    while big.len() < 10 << 20 {
        big.push_str(line);
    }
    let revs = "const p = document.querySelector('.output-pane'); \
                return [Number(p.dataset.rev), Number(p.dataset.renderedRev)];";
    let before = js(&client, revs, vec![]).await[0].as_u64().unwrap_or(0);
    let t = Instant::now();
    paste(&client, &big).await;
    let ping = ping_ms(&client).await;
    // the editor hands a document this big to the app after a 300 ms pause in typing; then it
    // is rendered (or live rendering pauses, offering a Render button)
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = js(&client, revs, vec![]).await;
        let (rev, rendered) = (r[0].as_u64().unwrap_or(0), r[1].as_u64().unwrap_or(0));
        if rev > before && rendered == rev {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "e2e: the 10 MB document was never rendered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = text_of(&client, "#render-status").await;
    let total = t.elapsed().as_millis();
    let ping_after = ping_ms(&client).await;
    eprintln!("e2e: 10 MB paste: page answered in {ping:.0} ms, render status {status:?} after {total} ms, then {ping_after:.0} ms");
    assert!(
        ping_after < 2_000.0,
        "e2e: the page is not responsive after a 10 MB paste"
    );
    save_screenshot(&client, "05-big-paste.png").await;
    paste(&client, &values).await;

    // 7. Release settings and the dark theme.
    click(&client, ".settings-row .tree-open").await;
    wait_text(&client, ".command code", "the settings", |t| {
        t.starts_with("helm template")
    })
    .await;
    save_screenshot(&client, "06-settings.png").await;
    js(
        &client,
        "const s = document.querySelector('#theme'); s.value = 'dark'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )
    .await;
    open_file(&client, "templates/deployment.yaml").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    save_screenshot(&client, "07-dark.png").await;
    if let Err(e) = client.close().await {
        eprintln!("e2e: closing the WebDriver session: {e}");
    }
}

/// The figures the brief asks for, measured in the browser against the release build: download
/// size (gzip), time to the first render, scaffold render time in wasm, keystroke to painted
/// output, share-link length. Written to target/bench-figures.json and printed.
async fn benchmark_figures(port: u16, page: &str) -> serde_json::Value {
    let client = session(port, &format!("{page}?bench")).await;
    let json = wait_text(&client, "#bench", "the benchmark report", |t| {
        t.starts_with('{')
    })
    .await;
    let mut figures: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("e2e: bench JSON: {e}: {json}"));

    // Keystroke to painted output: from the keydown (its event time) to the frame after the
    // output changed, typing digits into `replicaCount: 1` (each changes `replicas:`).
    let line = client
        .find(Locator::XPath(
            "//div[contains(@class,'cm-line')][starts-with(normalize-space(.),'replicaCount:')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("e2e: no replicaCount line: {e}"));
    line.click()
        .await
        .unwrap_or_else(|e| panic!("e2e: clicking the line: {e}"));
    let content = client
        .find(Locator::Css("#editor .cm-content"))
        .await
        .unwrap_or_else(|e| panic!("e2e: no editor content: {e}"));
    content
        .send_keys(&fantoccini::key::Key::End.to_string())
        .await
        .unwrap_or_else(|e| panic!("e2e: End: {e}"));
    let mut samples = Vec::new();
    for digit in ["0", "1", "2", "3", "4", "5", "6", "7"] {
        js(
            &client,
            "window.__lat = null; let t0 = null; \
             document.addEventListener('keydown', e => { t0 = e.timeStamp; }, {capture: true, once: true}); \
             const out = document.querySelector('.output-pane .pane-body'); \
             const obs = new MutationObserver(() => { obs.disconnect(); \
               requestAnimationFrame(() => { window.__lat = performance.now() - t0; }); }); \
             obs.observe(out, {childList: true, subtree: true, characterData: true}); return true;",
            vec![],
        )
        .await;
        content
            .send_keys(digit)
            .await
            .unwrap_or_else(|e| panic!("e2e: typing: {e}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = js(&client, "return window.__lat;", vec![]).await;
            if let Some(ms) = v.as_f64() {
                samples.push(ms);
                break;
            }
            assert!(
                Instant::now() < deadline,
                "e2e: the output never changed after a keystroke"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    figures["keystroke_to_paint_ms"] = serde_json::json!({"median": median, "samples": samples});
    let out = serde_json::to_string_pretty(&figures).unwrap_or_default();
    let path = screenshot_dir()
        .parent()
        .map(|p| p.join("bench-figures.json"));
    if let Some(p) = &path {
        let _ = std::fs::write(p, &out);
    }
    eprintln!("e2e: benchmark figures:\n{out}");
    save_screenshot(&client, "08-bench.png").await;
    if let Err(e) = client.close().await {
        eprintln!("e2e: closing the WebDriver session: {e}");
    }
    figures
}
