//! End-to-end, connected mode: the trunk-built app (`dist/`) served by the real
//! `kubectl proxy --www=dist --www-prefix=/chartlab/` in front of the test API server
//! (tests/apiserver), in headless Chromium over WebDriver. The user connects (and confirms),
//! previews, installs, upgrades and rolls back a release; the server then holds Helm-format
//! release Secrets. Also measures what the connected mode's design rests on (synchronous XHR
//! in a worker against `fetch` on the page, and the worker's start).
//!
//! Needs dist/ (`trunk build --release`; scripts/test builds it before this step),
//! chromedriver and /usr/bin/kubectl; skipped with `CHARTLAB_SKIP_BROWSER=1`.
#![cfg(not(target_arch = "wasm32"))]

mod apiserver;

use std::time::{Duration, Instant};

use apiserver::{have_kubectl, ApiServer};
use browser::{connect_sized, dist_dir, free_port, screenshot_dir, start_chromedriver};
use fantoccini::{Client, Locator};

mod browser;

fn skipped() -> bool {
    if browser::skipped() {
        return true;
    }
    assert!(
        have_kubectl(),
        "e2e_cluster: /usr/bin/kubectl is missing (scripts/bootstrap.sh installs it)"
    );
    false
}

async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el
            .prop("textContent")
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the text of `css` contains `want` (up to `secs`).
async fn wait_text(c: &Client, css: &str, want: &str, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let got = text_of(c, css).await;
        if got.contains(want) {
            return got;
        }
        if Instant::now() >= deadline {
            let alert = text_of(c, "[role=alert]").await;
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(screenshot_dir().join("e2e-cluster-failure.png"), png);
            }
            let panel = text_of(c, "#cluster").await;
            eprintln!("e2e_cluster: the panel reads {panel:?}");
            panic!(
                "e2e_cluster: {css} never contained {want:?}; last seen {got:?}; alert {alert:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(c: &Client, css: &str) {
    let el = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("e2e_cluster: no {css}: {e}"));
    // wait until enabled (buttons are disabled while an action runs)
    let deadline = Instant::now() + Duration::from_secs(60);
    while el.prop("disabled").await.ok().flatten().as_deref() == Some("true")
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    el.click()
        .await
        .unwrap_or_else(|e| panic!("e2e_cluster: clicking {css}: {e}"));
}

fn release_records(s: &ApiServer) -> Vec<(String, String)> {
    s.objects("core/secrets", "default")
        .iter()
        .filter(|o| o["type"] == "helm.sh/release.v1")
        .map(|o| {
            (
                o["metadata"]["name"].as_str().unwrap_or("").to_string(),
                o["metadata"]["labels"]["status"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn install_upgrade_rollback_through_kubectl_proxy() {
    if skipped() {
        return;
    }
    let dist = dist_dir();
    let s = ApiServer::start();
    let proxy = s.proxy(Some((&dist, "/chartlab/")));
    let dport = free_port();
    let _driver = start_chromedriver(dport);
    let c = connect_sized(dport, 1280, 1600).await;
    let page = format!("{}/chartlab/", proxy.url());
    c.goto(&page).await.expect("load the app");
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("cluster-connect"))
        .await
        .expect("the cluster panel offers to connect");
    // loading the page (or a shared link) sends nothing to the cluster (kubectl proxy's own
    // start-up check and the browser's favicon request aside)
    let from_app = |s: &ApiServer| {
        s.requests()
            .into_iter()
            .filter(|r| r.user_agent.contains("Mozilla") && r.path != "/favicon.ico")
            .count()
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(from_app(&s), 0, "{:?}", s.requests());
    click(&c, "#cluster-connect").await;
    assert_eq!(from_app(&s), 0, "asking is not connecting");
    let t0 = Instant::now();
    click(&c, "#cluster-confirm").await;
    wait_text(&c, "#cluster-status", "Connected to Kubernetes v1.36.0", 60).await;
    eprintln!(
        "e2e_cluster: connected (worker started, wasm loaded) in {:?}",
        t0.elapsed()
    );

    // the chart is the page's (on first load the `helm create` scaffold)
    // install: preview first, then apply exactly that
    click(&c, "#cluster-preview").await;
    let plan = wait_text(&c, "#cluster-plan", "install demo (revision 1)", 60).await;
    assert!(plan.contains("create    Deployment/demo-"), "{plan}");
    assert!(plan.contains("create    Service/demo-"), "{plan}");
    assert!(release_records(&s).is_empty(), "a preview changes nothing");
    click(&c, "#cluster-apply").await;
    let out = wait_text(&c, "#cluster-output", "STATUS: deployed", 60).await;
    assert!(
        out.starts_with("Release \"demo\" does not exist. Installing it now.\nNAME: demo\n"),
        "{out}"
    );
    // upgrade: the preview says nothing would change; Helm still makes a revision
    click(&c, "#cluster-preview").await;
    let plan = wait_text(&c, "#cluster-plan", "upgrade demo (revision 2)", 60).await;
    assert!(plan.contains("unchanged Deployment/demo-"), "{plan}");
    click(&c, "#cluster-apply").await;
    wait_text(
        &c,
        "#cluster-output",
        "Release \"demo\" has been upgraded. Happy Helming!",
        60,
    )
    .await;
    wait_text(&c, "#cluster-history", "Upgrade complete", 30).await;
    // roll back to revision 1 (confirmed)
    click(&c, ".cluster-rollback[data-revision='1']").await;
    click(&c, "#cluster-rollback-confirm").await;
    wait_text(
        &c,
        "#cluster-output",
        "Rollback was a success! Happy Helming!",
        60,
    )
    .await;
    wait_text(&c, "#cluster-history", "Rollback to 1", 30).await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join("e2e-cluster.png"), png).expect("write screenshot");

    // the server holds Helm's release Secrets
    assert_eq!(
        release_records(&s),
        [
            (
                "sh.helm.release.v1.demo.v1".to_string(),
                "superseded".to_string()
            ),
            (
                "sh.helm.release.v1.demo.v2".to_string(),
                "superseded".to_string()
            ),
            (
                "sh.helm.release.v1.demo.v3".to_string(),
                "deployed".to_string()
            ),
        ]
    );
    let deployments = s.objects("apps/deployments", "default");
    assert_eq!(deployments.len(), 1, "the scaffold's Deployment");
    // the browser's writes: release records as protobuf, objects by server-side apply as helm
    let reqs = s.requests();
    assert!(reqs.iter().any(|r| r.method == "POST"
        && r.content_type.as_deref() == Some("application/vnd.kubernetes.protobuf")));
    assert!(reqs
        .iter()
        .filter(|r| r.method == "PATCH")
        .all(|r| r.field_manager().as_deref() == Some("helm")
            && r.content_type.as_deref() == Some("application/apply-patch+yaml")));
    let _ = c.close().await;
}

/// The evidence behind running the release code in a worker with synchronous XHR: per-request
/// cost against `fetch` on the page, both through kubectl proxy to the test server.
#[tokio::test]
async fn sync_xhr_in_a_worker_costs_what_fetch_costs() {
    if skipped() {
        return;
    }
    let dist = dist_dir();
    let s = ApiServer::start();
    let proxy = s.proxy(Some((&dist, "/chartlab/")));
    let dport = free_port();
    let _driver = start_chromedriver(dport);
    let c = connect_sized(dport, 1280, 1600).await;
    c.goto(&format!("{}/chartlab/", proxy.url()))
        .await
        .expect("load");
    let script = r#"
const done = arguments[arguments.length - 1];
const N = 40, url = location.origin + '/api/v1/namespaces/default/configmaps';
(async () => {
  let t = performance.now();
  for (let i = 0; i < N; i++) { await (await fetch(url)).text(); }
  const fetchMs = (performance.now() - t) / N;
  const src = `self.onmessage = () => { const t = performance.now();
    for (let i = 0; i < ${N}; i++) { const x = new XMLHttpRequest(); x.open('GET', '${url}', false); x.send(); }
    self.postMessage((performance.now() - t) / ${N}); };`;
  const w = new Worker(URL.createObjectURL(new Blob([src], {type: 'text/javascript'})));
  const xhrMs = await new Promise((r, j) => { w.onmessage = e => r(e.data); w.onerror = e => j('xhr worker: ' + e.message); w.postMessage(0); });
  w.terminate();
  t = performance.now();
  const mw = new Worker('./chartlab-worker_loader.js');
  await new Promise((r, j) => { mw.onmessage = r; mw.onerror = e => j('cluster worker: ' + (e.message || 'failed to load')); });
  const startMs = performance.now() - t;
  mw.terminate();
  done({fetchMs, xhrMs, startMs});
})().catch(e => done({error: String(e)}));
"#;
    let r = c.execute_async(script, vec![]).await.expect("measure");
    eprintln!("e2e_cluster: measured {r}");
    assert!(r.get("error").is_none(), "{r}");
    let fetch_ms = r["fetchMs"].as_f64().unwrap_or(f64::NAN);
    let xhr_ms = r["xhrMs"].as_f64().unwrap_or(f64::NAN);
    assert!(fetch_ms > 0.0 && xhr_ms > 0.0, "{r}");
    // a synchronous request in the worker is no slower than an awaited fetch (generous bound
    // for a busy 2-core machine)
    assert!(xhr_ms < fetch_ms * 3.0 + 5.0, "{r}");
    let _ = c.close().await;
}
