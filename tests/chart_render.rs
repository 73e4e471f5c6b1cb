//! Charts loaded from folders and rendered like `helm template` (ProcessDependencies, values,
//! schema, templates), checked against real Helm: every folder of tests/data/charts holds a
//! chart, optional user values, and what Helm v4.2.3 rendered or the error it gave (gen.py there
//! regenerates them).

mod common;

use std::path::Path;

use chartlab::chart::{self, render::RenderOptions};
use chartlab::engine::{Env, Map, Timestamp};

fn yaml_available() -> bool {
    chartlab::yaml::parse("a: 1").is_ok()
}

/// Renders one case: Ok(files) or Err(message).
fn render_case(dir: &Path) -> Result<std::collections::BTreeMap<String, String>, String> {
    let chart = chart::load::load_dir(&dir.join("chart"))?;
    let values = match std::fs::read_to_string(dir.join("values.yaml")) {
        Ok(text) => chart::load::load_values(&text)?,
        Err(_) => Map::new(),
    };
    let mut opts = RenderOptions::default();
    opts.release.name = "rel".into();
    opts.release.namespace = "testns".into();
    let env = Env::fixed(Timestamp::utc(0, 0), 1);
    chart::render(&chart, &values, &opts, &env)
        .map(|r| r.files)
        .map_err(|e| e.message)
}

#[test]
fn charts_render_like_helm() {
    if !yaml_available() {
        eprintln!("skipping: the YAML module is not on this branch yet");
        return;
    }
    let root = Path::new("tests/data/charts");
    let mut cases: Vec<_> = std::fs::read_dir(root)
        .expect("tests/data/charts")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("chart").is_dir() || p.join("expected_error.txt").exists())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let got = render_case(dir);
        if let Ok(want) = std::fs::read_to_string(dir.join("expected_error.txt")) {
            match got {
                Err(e) if e == want => {}
                other => failures.push(format!("{name}: got {other:?}\n  want error {want:?}")),
            }
            continue;
        }
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
        )
        .expect("valid JSON");
        match got {
            Ok(files) => {
                let got = serde_json::Value::Object(
                    files
                        .into_iter()
                        .map(|(k, v)| (k, serde_json::Value::String(v)))
                        .collect(),
                );
                if got != want {
                    failures.push(format!("{name}:\n  got  {got}\n  want {want}"));
                }
            }
            Err(e) => failures.push(format!("{name}: unexpected error {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} charts differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
