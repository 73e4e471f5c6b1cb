//! YAML parsing and emitting on arbitrary input: no panic, and what parses re-emits and re-parses
//! to the same value.
#![no_main]

use chartlab::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = yaml::parse(text) {
        if let Ok(out) = yaml::to_yaml(&v) {
            let again = yaml::parse(&out).expect("emitted YAML must parse");
            assert!(again == v, "round trip changed the value:\n{text:?}\n{out:?}");
        }
    }
});
