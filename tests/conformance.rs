//! Helm conformance as a test: runs `scripts/conformance` (the shared corpus of charts rendered
//! by real Helm v4.2.3, through `chartlab template`) and fails if fewer cases pass than the floor
//! in `tests/conformance-floor.txt`. Raise the floor as the engine lands so no pass is ever lost.
//! `CHARTLAB_SKIP_CONFORMANCE=1` skips it (quick runs); the summary is `target/conformance.json`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

const SKIP_VAR: &str = "CHARTLAB_SKIP_CONFORMANCE";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The floor: the first line of tests/conformance-floor.txt that is not blank or a `#` comment.
fn floor() -> u64 {
    let path = repo().join("tests/conformance-floor.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("conformance: cannot read {}: {e}", path.display()));
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_else(|| panic!("conformance: {} holds no number", path.display()));
    line.parse().unwrap_or_else(|e| {
        panic!(
            "conformance: {}: {line:?} is not a count: {e}",
            path.display()
        )
    })
}

fn summary_path() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("conformance.json")
}

fn count(summary: &serde_json::Value, key: &str) -> u64 {
    summary
        .get(key)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_else(|| panic!("conformance: the summary has no count {key:?}"))
}

#[test]
fn conformance_pass_count_does_not_drop_below_the_floor() {
    if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
        eprintln!("conformance: skipped because {SKIP_VAR}=1 (the corpus did NOT run)");
        return;
    }
    let floor = floor();
    let summary_file = summary_path();
    let _ = std::fs::remove_file(&summary_file);

    let out = Command::new("bash")
        .current_dir(repo())
        .arg("scripts/conformance")
        .args(["--quiet", "--strict-errors", "--summary"])
        .arg(&summary_file)
        .arg("--no-fail")
        .output()
        .unwrap_or_else(|e| panic!("conformance: cannot run bash scripts/conformance: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "conformance: scripts/conformance failed ({}):\n{stderr}\n{}",
        out.status,
        stdout.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    );

    let text = std::fs::read_to_string(&summary_file).unwrap_or_else(|e| {
        panic!(
            "conformance: no summary at {} ({e}); run.py said:\n{stdout}\n{stderr}",
            summary_file.display()
        )
    });
    let summary: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("conformance: {} is not JSON: {e}", summary_file.display()));
    let (passed, failed) = (count(&summary, "passed"), count(&summary, "failed"));
    // Without --strict-errors an error case passes on any non-zero exit; say how many of the
    // passes are such, so a count inflated by a CLI that fails everything is visible.
    let loose_errors = summary
        .get("error_cases_message_mismatch")
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    eprintln!(
        "conformance: {passed} passed ({loose_errors} of them error cases whose message differs \
         from Helm's), {failed} failed, floor {floor}; details in {}",
        summary_file.display()
    );
    assert!(
        passed + failed > 0,
        "conformance: the corpus ran no case; run.py said:\n{stdout}"
    );
    assert!(
        passed >= floor,
        "conformance: only {passed} cases pass, below the floor of {floor} in \
         tests/conformance-floor.txt: a change broke cases that passed before \
         (see `scripts/conformance --verbose` and {})",
        summary_file.display()
    );
    if passed > floor {
        eprintln!(
            "conformance: {passed} > floor {floor}: raise tests/conformance-floor.txt to lock the gain in"
        );
    }
}
