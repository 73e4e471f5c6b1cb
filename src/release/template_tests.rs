//! `helm template` text against real Helm's output (tests/data/template, made by
//! scripts/gen-release-goldens.py from the Helm v4.2.3 SDK) for the scaffold chart, Helm's
//! release-fixture chart, a hooks/CRDs chart and the workshop charts.

use std::path::PathBuf;

use super::render::{self, ResourceOptions, TemplateOptions};
use crate::chart::{self, RenderOptions};
use crate::engine::{Env, Map};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_chart(spec: &str) -> chart::Chart {
    match spec.strip_prefix("scaffold:") {
        Some(name) => chart::load_files(&chart::create::create(name).unwrap()).unwrap(),
        None => chart::load::load_dir(&root().join(spec)).unwrap(),
    }
}

fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn template_text_matches_helm() {
    let dir = root().join("tests/data/template");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 30);
    for c in cases {
        let golden = c["golden"].as_str().unwrap();
        let want = std::fs::read_to_string(dir.join(golden)).unwrap();
        let ch = load_chart(c["chart"].as_str().unwrap());
        let vals = match c["values"].as_str() {
            Some(p) => chart::load::parse_values(&std::fs::read_to_string(root().join(p)).unwrap())
                .unwrap(),
            None => Map::new(),
        };
        let mut ro = RenderOptions::default();
        ro.release.name = c["name"].as_str().unwrap().to_string();
        ro.release.namespace = c["namespace"].as_str().unwrap().to_string();
        let o = &c["options"];
        let flag = |k: &str| o.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let topts = TemplateOptions {
            show_only: strings(o.get("show_only")),
            skip_tests: flag("skip_tests"),
            include_crds: flag("include_crds"),
            no_hooks: flag("no_hooks"),
            ..Default::default()
        };
        let res = render::render_resources(
            &ch,
            &vals,
            &ro,
            &Env::default(),
            &ResourceOptions {
                include_crds: topts.include_crds,
                ..Default::default()
            },
        );
        let got = match res {
            Ok(r) => render::template_text(&r, &topts).unwrap_or_else(|e| format!("ERROR {e}")),
            Err(e) => format!("ERROR {}", e.message),
        };
        if got != want {
            failures.push(format!("{golden}:\n--- want\n{want}\n--- got\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn one_template(text: &str) -> chart::Chart {
    let mut fm = chart::FileMap::new();
    fm.insert(
        "Chart.yaml".into(),
        b"apiVersion: v2\nname: demo\nversion: 0.1.0\n".to_vec(),
    );
    fm.insert("templates/t.yaml".into(), text.as_bytes().to_vec());
    chart::load_files(&fm).unwrap()
}

#[test]
fn helm_template_errors_read_like_helm() {
    use super::render::{helm_template, TemplateRequest};
    let env = Env::default();
    let run = |text: &str, debug: bool| {
        let mut req = TemplateRequest::default();
        req.options.debug = debug;
        helm_template(&one_template(text), &Map::new(), &req, &env).unwrap_err()
    };
    // the messages are real Helm's (a client-side dry-run install of the same chart); the
    // `--debug` hint is what pkg/cmd/template.go appends
    let hint = "\n\nUse --debug flag to render out invalid YAML";
    assert_eq!(
        run("{{ fail \"boom\" }}\n", false).message,
        format!("execution error at (demo/templates/t.yaml:1:3): boom{hint}")
    );
    let yaml = run("a: [\n", false);
    assert_eq!(
        yaml.message,
        format!("YAML parse error on demo/templates/t.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content{hint}")
    );
    // with --debug the rendered files are printed and the error has no hint
    let dbg = run("a: [\n", true);
    assert_eq!(dbg.stdout, "---\n# Source: demo/templates/t.yaml\na: [\n");
    assert!(!dbg.message.contains("--debug"));
    let req = TemplateRequest {
        release_name: "Bad_Name".into(),
        ..Default::default()
    };
    assert!(
        helm_template(&one_template("a: 1\n"), &Map::new(), &req, &env)
            .unwrap_err()
            .message
            .starts_with(
                "release name check failed: release name \"Bad_Name\": invalid release name"
            )
    );
}

#[test]
fn kube_version_constraint_is_checked_before_rendering() {
    use super::render::{helm_template, TemplateRequest};
    let mut fm = chart::FileMap::new();
    fm.insert(
        "Chart.yaml".into(),
        b"apiVersion: v2\nname: demo\nversion: 0.1.0\nkubeVersion: \">= 1.40.0\"\n".to_vec(),
    );
    fm.insert("templates/t.yaml".into(), b"a: 1\n".to_vec());
    let c = chart::load_files(&fm).unwrap();
    let e = helm_template(
        &c,
        &Map::new(),
        &TemplateRequest::default(),
        &Env::default(),
    )
    .unwrap_err();
    // Helm's text (client-side dry-run install); helm template adds its --debug hint
    assert_eq!(
        e.message,
        "chart requires kubeVersion: >= 1.40.0 which is incompatible with Kubernetes v1.36.0\n\nUse --debug flag to render out invalid YAML"
    );
    let req = TemplateRequest {
        kube_version: Some(crate::chart::objects::KubeVersion::parse("1.41.0").unwrap()),
        ..Default::default()
    };
    assert!(helm_template(&c, &Map::new(), &req, &Env::default()).is_ok());
}
