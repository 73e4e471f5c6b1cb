//! YAML parsing and emitting on arbitrary input: no panic, and what parses re-emits and re-parses
//! to the same value (except where Helm's own toYaml does not round-trip, see below).
#![no_main]

use chartlab::engine::Value;
use chartlab::yaml;
use libfuzzer_sys::fuzz_target;

/// Values Helm's toYaml (go-yaml v2) itself does not round-trip: NEL/LS/PS inside strings are
/// written raw and read back as line breaks, and a `<<` key is written plain and read back as
/// a merge key. ChartLab reproduces both, so the round-trip check skips them.
fn go_yaml_lossy(v: &Value) -> bool {
    let breaks = |s: &str| s.contains(['\u{85}', '\u{2028}', '\u{2029}']);
    match v {
        Value::String(s) => breaks(s),
        Value::List(l) => l.iter().any(go_yaml_lossy),
        Value::Map(m) => m
            .entries()
            .iter()
            .any(|(k, x)| breaks(k) || &**k == "<<" || go_yaml_lossy(x)),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = yaml::parse(text) {
        if let Ok(out) = yaml::to_yaml(&v) {
            let again = yaml::parse(&out).expect("emitted YAML must parse");
            assert!(
                go_yaml_lossy(&v) || again == v,
                "round trip changed the value:\n{text:?}\n{out:?}"
            );
        }
    }
});
