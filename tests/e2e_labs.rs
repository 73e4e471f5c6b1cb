//! End-to-end, guided labs: the trunk-built page (`dist/`) in headless Chromium over WebDriver.
//! A teacher's link (`#lab=2&step=1`) opens lab 2 with lab 1 done; the learner completes lab 2
//! through the page — an edit in the editor, "Show me", the terminal, and the instructor view's
//! rollback button (the releases panel's), whose diff shows before it happens — and every step
//! turns done. Screenshots
//! of the lesson panel and of the instructor view during a rollback land in
//! `target/screenshots/`.
//!
//! Needs dist/ (`trunk build --release`; scripts/test builds it before this step) and
//! chromedriver; skipped with `CHARTLAB_SKIP_BROWSER=1`.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use chartlab::playground::examples::{self, ExampleId};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

mod browser;
use browser::{
    click, connect, dist_dir, free_port, js, paste, save_screenshot, skipped, start_chromedriver,
    start_static_server, text_of,
};

// ---- driving the page ---------------------------------------------------------------------------

/// Polls until `selector`'s text satisfies `ok` (60 s: the worker replays earlier steps on a
/// loaded 2-core machine); fails with the last text seen.
async fn wait_text(
    client: &Client,
    selector: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = text_of(client, selector).await;
        if ok(&got) {
            return got;
        }
        if Instant::now() >= deadline {
            let shown: String = got.chars().take(800).collect();
            let checks = text_of(client, "#lesson-checks").await;
            let error = text_of(client, "#lesson-error").await;
            let page = text_of(client, "body").await;
            let page: String = page.chars().take(1500).collect();
            save_screenshot(client, "labs-failure.png").await;
            panic!(
                "e2e_labs: {what}: {selector} never did; last seen {shown:?}\nchecks: {checks}\nerror: {error}\npage: {page}"
            );
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

/// Polls a script until its value satisfies `ok` (60 s).
async fn wait_js(client: &Client, script: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = js(client, script, vec![]).await;
        if ok(&got) {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "e2e_labs: {what}: last seen {got}"
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

/// Types a line into the lesson terminal and presses Enter; waits until it shows.
async fn terminal(client: &Client, line: &str) {
    let before = js(
        client,
        "return document.querySelectorAll('#terminal .term-entry').length;",
        vec![],
    )
    .await
    .as_u64()
    .unwrap_or(0);
    let input = client
        .find(Locator::Css("#terminal-input"))
        .await
        .unwrap_or_else(|e| panic!("e2e_labs: no terminal input: {e}"));
    input
        .send_keys(line)
        .await
        .unwrap_or_else(|e| panic!("e2e_labs: typing {line:?}: {e}"));
    input
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .unwrap_or_else(|e| panic!("e2e_labs: Enter: {e}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let n = js(
            client,
            "return document.querySelectorAll('#terminal .term-entry').length;",
            vec![],
        )
        .await
        .as_u64()
        .unwrap_or(0);
        if n > before {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "e2e_labs: {line:?} never showed in the terminal"
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

/// The last terminal entry's output.
async fn last_output(client: &Client) -> String {
    js(
        client,
        "const e = [...document.querySelectorAll('#terminal .term-entry')].pop(); \
         const o = e && e.querySelector('.term-out'); return o ? o.textContent : '';",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Waits until step `n` (1-based) of the lesson is marked done.
async fn step_done(client: &Client, n: usize) {
    let sel = format!("#lesson-steps li[data-step='{n}']");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = js(
            client,
            "const e = document.querySelector(arguments[0]); return e ? e.dataset.done : null;",
            vec![sel.clone().into()],
        )
        .await;
        if done == Value::String("true".into()) {
            return;
        }
        if Instant::now() >= deadline {
            let checks = text_of(client, "#lesson-checks").await;
            let error = text_of(client, "#lesson-error").await;
            panic!("e2e_labs: step {n} never turned done; checks: {checks}; error: {error}");
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

// ---- the test -----------------------------------------------------------------------------------

#[tokio::test]
async fn lab_2_through_the_page_and_the_instructor_view() {
    if skipped() {
        return;
    }
    let page = start_static_server(dist_dir());
    let port = free_port();
    let _driver = start_chromedriver(port);
    let client = connect(port).await;
    let url = format!("{page}#lab=2&step=1");
    client
        .goto(&url)
        .await
        .unwrap_or_else(|e| panic!("e2e_labs: loading {url}: {e}"));

    // the link opens lab 2, step 1, with lab 1 replayed in the worker
    wait_text(&client, "#lesson-step h3", "lab 2 opens", |t| {
        t == "Step 1 of 8: Values for the API"
    })
    .await;
    assert_eq!(
        js(
            &client,
            "return document.querySelector('#lesson-select').selectedOptions[0].textContent;",
            vec![]
        )
        .await,
        Value::String("Lab 2: Turn it into an API".into())
    );
    // the editor shows the lesson's chart: the scaffold helm create wrote in lab 1
    wait_text(
        &client,
        ".editor-pane .file-path",
        "values.yaml open",
        |t| t == "values.yaml",
    )
    .await;
    let checks = text_of(&client, "#lesson-checks").await;
    assert!(
        checks.contains("image.repository is \"nginx\" in charts/myapi/values.yaml, not \"tiangolo/uvicorn-gunicorn-fastapi\" yet"),
        "{checks}"
    );
    // the link follows the lesson (a version 2 share link)
    wait_js(
        &client,
        "return location.hash;",
        "the link follows the lesson",
        |h| h.as_str().is_some_and(|h| h.starts_with("#v2.")),
    )
    .await;

    // step 1: the values, typed into the editor
    let api = examples::build(ExampleId::Api);
    let values = api
        .workspace
        .text("values.yaml")
        .expect("values")
        .into_owned();
    paste(&client, &values).await;
    step_done(&client, 1).await;
    save_screenshot(&client, "labs-step2.png").await;

    // steps 2 and 3: "Show me" (the ConfigMap, the Deployment's edits)
    click(&client, "#lesson-show").await;
    step_done(&client, 2).await;
    wait_text(&client, "#lesson-step h3", "step 3", |t| {
        t.starts_with("Step 3 of 8")
    })
    .await;
    click(&client, "#lesson-show").await;
    step_done(&client, 3).await;

    // step 4: the upgrade, typed in the terminal; the rollout report says why the pods rolled
    terminal(
        &client,
        "helm upgrade --install myapi-release ./charts/myapi",
    )
    .await;
    step_done(&client, 4).await;
    assert!(
        last_output(&client)
            .await
            .starts_with("Release \"myapi-release\" has been upgraded. Happy Helming!\n"),
        "{}",
        last_output(&client).await
    );
    let report = text_of(&client, "#rel-report pre").await;
    assert!(
        report.starts_with("Revision 2 of myapi-release (Upgrade complete):"),
        "{report}"
    );
    assert!(report.contains("pods roll: yes, because"), "{report}");

    // steps 5 and 6: Helm's records, and one opened with the decode pipeline
    terminal(&client, "kubectl get secrets").await;
    step_done(&client, 5).await;
    assert!(last_output(&client)
        .await
        .contains("sh.helm.release.v1.myapi-release.v2   helm.sh/release.v1   1"));
    terminal(&client, "kubectl get secret sh.helm.release.v1.myapi-release.v2 -o jsonpath=\"{.data.release}\" | base64 --decode | base64 --decode | gunzip | jq -r .manifest").await;
    step_done(&client, 6).await;
    assert!(last_output(&client)
        .await
        .starts_with("---\n# Source: myapi/templates/serviceaccount.yaml\n"));

    // step 7 in the instructor view: "Roll back to 1" shows the diff first
    click(&client, "#lesson-instructor").await;
    wait_text(&client, "#lesson-instructor", "instructor view on", |t| {
        t == "Instructor view: on"
    })
    .await;
    let hash = js(&client, "return location.hash;", vec![]).await;
    js(
        &client,
        "const s = document.querySelector('#rel-rollback-to'); s.value = '1'; \
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await;
    wait_js(
        &client,
        "return document.querySelector('#rel-rollback').title;",
        "the rollback targets revision 1",
        |t| {
            t.as_str()
                .is_some_and(|t| t.starts_with("helm rollback myapi-release 1 "))
        },
    )
    .await;
    click(&client, "#rel-rollback").await;
    let preview = wait_text(&client, "#lesson-preview pre", "the rollback's diff", |t| {
        !t.is_empty()
    })
    .await;
    assert!(
        preview.starts_with("helm rollback myapi-release 1 would make revision 3 with revision 1's manifest.\nFrom revision 2 to revision 1:\n"),
        "{preview}"
    );
    assert!(
        preview.contains("- ConfigMap myapi-release: removed\n"),
        "{preview}"
    );
    assert!(preview.contains("-          image: \"tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim\"\n+          image: \"nginx:1.16.0\"\n"), "{preview}");
    // nothing happened yet
    assert_eq!(
        js(
            &client,
            "return document.querySelectorAll('#rel-timeline tbody tr').length;",
            vec![]
        )
        .await,
        Value::from(2)
    );
    save_screenshot(&client, "labs-instructor-rollback-preview.png").await;
    click(&client, "#lesson-apply").await;
    wait_text(&client, "#rel-timeline tbody", "revision 3", |t| {
        t.contains("Rollback to 1")
    })
    .await;
    terminal(&client, "helm ls").await;
    step_done(&client, 7).await;
    let report = text_of(&client, "#rel-report pre").await;
    assert!(
        report.starts_with("Revision 3 of myapi-release (Rollback to 1):"),
        "{report}"
    );
    assert!(
        report.contains("ConfigMap myapi-release: deleted"),
        "{report}"
    );
    save_screenshot(&client, "labs-instructor-rollback.png").await;
    wait_js(
        &client,
        "return location.hash;",
        "the link follows the step",
        |h| *h != hash,
    )
    .await;

    // step 8: forward again, in the terminal
    terminal(&client, "helm rollback myapi-release 2").await;
    assert_eq!(
        last_output(&client).await,
        "Rollback was a success! Happy Helming!\n"
    );
    terminal(&client, "helm ls").await;
    step_done(&client, 8).await;
    let all_done = js(
        &client,
        "return [...document.querySelectorAll('#lesson-steps li')].map(e => e.dataset.done);",
        vec![],
    )
    .await;
    assert_eq!(all_done, Value::from(vec!["true"; 8]));
    wait_text(&client, "#lesson-step h3", "lab 2 complete", |t| {
        t == "Lab 2 complete"
    })
    .await;
    // the progress is saved in the browser
    let saved = js(
        &client,
        "return localStorage.getItem('chartlab.lessons');",
        vec![],
    )
    .await;
    assert!(
        saved
            .as_str()
            .is_some_and(|s| s.contains("\"lab2\":[1,2,3,4,5,6,7,8]")),
        "{saved}"
    );
    let _ = client.close().await;
}
