//! `--set`, `--set-string`, `--set-json`, `--set-literal` parsing checked against real Helm:
//! tests/data/strvals/cases.json was produced by Helm v4.2.3's pkg/strvals (gen.py beside it).

mod common;

use chartlab::chart::strvals;
use chartlab::engine::{Map, Value};

#[test]
fn strvals_cases_match_helm() {
    let text = std::fs::read_to_string("tests/data/strvals/cases.json").expect("cases.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("valid JSON");
    let mut failures = Vec::new();
    for c in &cases {
        let mode = c["mode"].as_str().unwrap_or("");
        let input = c["input"].as_str().unwrap_or("");
        let m = Map::new();
        let r = match mode {
            "set" => strvals::parse_into(input, &m),
            "set-string" => strvals::parse_into_string(input, &m),
            "set-json" => strvals::parse_json(input, &m),
            "set-literal" => strvals::parse_literal_into(input, &m),
            other => panic!("unknown mode {other}"),
        };
        match (r, c.get("error")) {
            (Err(e), Some(want)) => {
                if want.as_str() != Some(e.as_str()) {
                    failures.push(format!("{mode} {input:?}: error {e:?}, want {want}"));
                }
            }
            (Ok(()), None) => {
                let got = common::to_json(&Value::Map(m));
                if !common::json_eq(&got, &c["value"]) {
                    failures.push(format!("{mode} {input:?}: got {got}, want {}", c["value"]));
                }
            }
            (Err(e), None) => failures.push(format!("{mode} {input:?}: unexpected error {e:?}")),
            (Ok(()), Some(want)) => failures.push(format!(
                "{mode} {input:?}: got {}, want error {want}",
                common::to_json(&Value::Map(m))
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn set_infers_int64_like_helm() {
    let m = strvals::parse("a=1,b=-7,c=0,d=1.5,e=true").unwrap();
    assert!(matches!(m.get("a"), Some(Value::Int64(1))));
    assert!(matches!(m.get("b"), Some(Value::Int64(-7))));
    assert!(matches!(m.get("c"), Some(Value::Int64(0))));
    assert_eq!(m.get("d"), Some(Value::str("1.5")));
    assert_eq!(m.get("e"), Some(Value::Bool(true)));
    let m = Map::new();
    strvals::parse_json("a=1", &m).unwrap();
    assert!(matches!(m.get("a"), Some(Value::Float(f)) if f == 1.0));
}
