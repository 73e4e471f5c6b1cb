//! TOML tests; expectations from real Helm v4.2.3 (conformance cases fn-toToml, fn-fromToml,
//! helm-toml, fn-mustToToml, fn-toToml-err, fn-mustToToml-err).

use super::*;
use crate::engine::{List, Map, Value};

fn m(entries: Vec<(&str, Value)>) -> Value {
    let map = Map::new();
    for (k, v) in entries {
        map.insert(k, v);
    }
    Value::Map(map)
}

#[test]
fn to_toml_cases() {
    let cfg = crate::yaml::read_values(
        "title: x\nowner:\n  name: me\n  tags: [a, b]\nservers:\n  - {ip: 10.0.0.1}\n  - {ip: 10.0.0.2}\nport: 8080\n",
    )
    .unwrap();
    assert_eq!(
        to_toml(&Value::Map(cfg)).unwrap(),
        "port = 8080.0\ntitle = \"x\"\n\n[owner]\n  name = \"me\"\n  tags = [\"a\", \"b\"]\n\n[[servers]]\n  ip = \"10.0.0.1\"\n\n[[servers]]\n  ip = \"10.0.0.2\"\n"
    );
    let b = m(vec![
        ("k", Value::str("v")),
        ("n", Value::Int(1)),
        ("f", Value::Float(1.5)),
        ("b", Value::Bool(true)),
        ("l", Value::list(vec![Value::Int(1), Value::Int(2)])),
    ]);
    assert_eq!(
        to_toml(&b).unwrap(),
        "b = true\nf = 1.5\nk = \"v\"\nl = [1, 2]\nn = 1\n"
    );
    assert_eq!(to_toml(&m(vec![])).unwrap(), "");
    assert_eq!(to_toml(&Value::str("scalar")).unwrap(), "\"scalar\"");
    assert_eq!(
        to_toml(&Value::list(vec![Value::Int(1), Value::Int(2)])).unwrap(),
        "[1, 2]"
    );
    assert_eq!(
        to_toml(&Value::list(vec![Value::Nil])).unwrap_err(),
        EncodeError::Error("toml: cannot encode array with nil element".into())
    );
    assert_eq!(
        to_toml(&m(vec![("a", Value::Nil), ("b", Value::Int(1))])).unwrap(),
        "b = 1\n"
    );
    assert_eq!(
        to_toml(&Value::Nil).unwrap_err(),
        EncodeError::Panic("reflect: call of reflect.Value.Type on zero Value".into())
    );
    assert_eq!(
        to_toml(&m(vec![("a", m(vec![("b", Value::Int(1))]))])).unwrap(),
        "[a]\n  b = 1\n"
    );
    assert_eq!(
        to_toml(&m(vec![(
            "l",
            Value::List(List::new(vec![Value::Int(1), Value::Nil]))
        )]))
        .unwrap_err(),
        EncodeError::Error("toml: cannot encode array with nil element".into())
    );
}

#[test]
fn from_toml_cases() {
    let (v, e) = from_toml("a = 1\nb = 'x'\n[t]\nk = [1, 2]").unwrap();
    assert!(e.is_none());
    assert_eq!(
        crate::json::to_json(&Value::Map(v.clone()), true).unwrap(),
        r#"{"a":1,"b":"x","t":{"k":[1,2]}}"#
    );
    assert_eq!(v.get("a").unwrap().type_name(), "int64");
    let (_, e) = from_toml("a = ").unwrap();
    assert_eq!(
        e.unwrap(),
        "toml: line 1 (last key \"a\"): unexpected EOF; expected value"
    );
    let (v, _) = from_toml("d = 1979-05-27T07:32:00Z").unwrap();
    assert_eq!(
        crate::json::to_json(&Value::Map(v), true).unwrap(),
        r#"{"d":"1979-05-27T07:32:00Z"}"#
    );
    let (v, _) = from_toml("f = 1.5").unwrap();
    assert_eq!(v.get("f").unwrap().type_name(), "float64");
    let (v, e) = from_toml("").unwrap();
    assert!(e.is_none() && v.is_empty());
}
