//! Tests for the YAML layer. Expected texts come from real Helm v4.2.3 (the conformance cases
//! named in each test, or scratch charts rendered with the oracle).

use super::*;
use crate::engine::{List, Map, Value};

fn y(v: &Value) -> String {
    to_yaml(v).unwrap_or_else(|e| format!("ERR {e}"))
}

fn values(text: &str) -> Value {
    Value::Map(read_values(text).unwrap())
}

fn get(v: &Value, k: &str) -> Value {
    v.as_map().and_then(|m| m.get(k)).unwrap_or(Value::Nil)
}

/// Helm's toYaml: Marshal, then the trailing newline trimmed.
fn to_yaml_helm(v: &Value) -> String {
    y(v).strip_suffix('\n')
        .map(str::to_string)
        .unwrap_or_else(|| y(v))
}

#[test]
fn fn_to_yaml_case() {
    // conformance case fn-toYaml
    let vals = values(
        "m:\n  zeta: 1\n  alpha: {nested: true, list: [a, b]}\nquoting: [\"yes\", \"no\", \"on\", \"true\", \"1\", \"1.5\", \"\", \"null\", \"~\", \"0x1F\", \"1e3\", \" lead\", \"a: b\", \"#c\", \"-\", \"é\", \"@x\", \"*y\"]\nnums: [1, 1.5, 1000000, 1.0e-7, -0.0, 123456789012]\nlong: \"aaaaaaaaaa bbbbbbbbbbbb ccccccccccccccccccccccccc dd aaaaaaaaaa bbbbbbbbbbbb ccccccccccccccccccccccccc dd\"\n",
    );
    assert_eq!(
        to_yaml_helm(&get(&vals, "m")),
        "alpha:\n  list:\n  - a\n  - b\n  nested: true\nzeta: 1"
    );
    assert_eq!(
        to_yaml_helm(&get(&vals, "quoting")),
        "- \"yes\"\n- \"no\"\n- \"on\"\n- \"true\"\n- \"1\"\n- \"1.5\"\n- \"\"\n- \"null\"\n- \"~\"\n- \"0x1F\"\n- \"1e3\"\n- ' lead'\n- 'a: b'\n- '#c'\n- '-'\n- é\n- '@x'\n- '*y'"
    );
    assert_eq!(
        to_yaml_helm(&get(&vals, "nums")),
        "- 1\n- 1.5\n- 1000000\n- 1e-07\n- 0\n- 123456789012"
    );
    assert_eq!(to_yaml_helm(&Value::list(vec![])), "[]");
    assert_eq!(to_yaml_helm(&Value::Map(Map::new())), "{}");
    assert_eq!(to_yaml_helm(&Value::Nil), "null");
    assert_eq!(to_yaml_helm(&Value::str("")), "\"\"");
    assert_eq!(
        to_yaml_helm(&Value::str("multi\nline\n")),
        "|\n  multi\n  line"
    );
    assert_eq!(
        to_yaml_helm(&get(&vals, "long")),
        "aaaaaaaaaa bbbbbbbbbbbb ccccccccccccccccccccccccc dd aaaaaaaaaa bbbbbbbbbbbb ccccccccccccccccccccccccc\n  dd"
    );
    assert_eq!(
        to_yaml(&Value::Float(f64::NAN)).unwrap_err(),
        "error marshaling into JSON: json: unsupported value: NaN"
    );
    let k = Map::new();
    k.insert("k", Value::list(vec![]));
    let h = Value::List(List::new(vec![
        Value::Int(1),
        Value::str("a"),
        Value::list(vec![Value::Int(2)]),
        Value::Map(k),
    ]));
    assert_eq!(to_yaml_helm(&h), "- 1\n- a\n- - 2\n- k: []");
}

#[test]
fn fn_to_yaml_pretty_case() {
    // conformance case fn-toYamlPretty
    let vals = values("m:\n  b: [1, [2, 3], {k: v}]\n  a: {list: [x]}\nquoting: [\"yes\", \"on\", \"1\", \"\", \"null\", \"0x1F\", \" lead\"]\n");
    let p = |v: &Value| {
        let s = to_yaml_pretty(v).unwrap();
        s.strip_suffix('\n').unwrap_or(&s).to_string()
    };
    assert_eq!(
        p(&get(&vals, "m")),
        "a:\n  list:\n    - x\nb:\n  - 1\n  - - 2\n    - 3\n  - k: v"
    );
    assert_eq!(p(&Value::list(vec![])), "[]");
    assert_eq!(p(&Value::Map(Map::new())), "{}");
    assert_eq!(p(&Value::Nil), "null");
    assert_eq!(
        p(&get(&vals, "quoting")),
        "- \"yes\"\n- \"on\"\n- \"1\"\n- \"\"\n- \"null\"\n- \"0x1F\"\n- ' lead'"
    );
    let d = Value::List(List::new(vec![
        Value::Int(1),
        Value::Float(1.5),
        Value::Int64(7),
        Value::str("s"),
        Value::Bool(true),
    ]));
    assert_eq!(p(&d), "- 1\n- 1.5\n- 7\n- s\n- true");
    assert_eq!(p(&Value::str("multi\nline")), "|-\n  multi\n  line");
}
