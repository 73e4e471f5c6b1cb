//! Engine tests: Go text/template semantics on small templates (expectations from Go/Helm).

use super::*;

fn json_to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => Value::Map(Map::from_entries(
            o.iter()
                .map(|(k, v)| (Str::from(k.as_str()), json_to_value(v))),
        )),
    }
}

fn run_mk(text: &str, data: &str, mk: MissingKey) -> Result<String, String> {
    let mut t = Templates::new("gotpl", FuncMap::new());
    t.set_missing_key(mk);
    t.parse("t", text).map_err(|e| e.to_string())?;
    let data = json_to_value(&serde_json::from_str(data).unwrap());
    t.execute("t", &data, &Env::default())
        .map_err(|e| e.to_string())
}

fn run(text: &str, data: &str) -> Result<String, String> {
    run_mk(text, data, MissingKey::Zero)
}

fn ok(text: &str, data: &str) -> String {
    run(text, data).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn text_and_fields() {
    assert_eq!(ok("a{{.x}}b", r#"{"x": "X"}"#), "aXb");
    assert_eq!(ok("{{.a.b}}", r#"{"a": {"b": 5}}"#), "5");
    assert_eq!(ok("{{.missing}}", r#"{}"#), "<no value>");
    assert_eq!(ok("{{ .m }}", r#"{"m": {"b": 2, "a": 1}}"#), "map[a:1 b:2]");
}

#[test]
fn nil_pointer_error_matches_go() {
    assert_eq!(
        run("a: {{ .Values.missing.deeper.key }}", r#"{"Values": {}}"#).unwrap_err(),
        "template: t:1:13: executing \"t\" at <.Values.missing.deeper.key>: nil pointer evaluating interface {}.deeper"
    );
    // a variable holding nil is invalid: fields of it are silently empty
    assert_eq!(ok("{{ $x := .missing }}{{ $x.foo }}", "{}"), "<no value>");
}

#[test]
fn control_flow() {
    assert_eq!(ok("{{if .a}}y{{else}}n{{end}}", r#"{"a": 0}"#), "n");
    assert_eq!(
        ok(
            "{{with .a}}{{.}}{{else with .b}}b{{.}}{{end}}",
            r#"{"b": 2}"#
        ),
        "b2"
    );
    assert_eq!(
        ok(
            "{{range $i, $v := .l}}{{$i}}={{$v}};{{end}}",
            r#"{"l": ["a", "b"]}"#
        ),
        "0=a;1=b;"
    );
    assert_eq!(
        ok(
            "{{range $k, $v := .m}}{{$k}}{{$v}}{{end}}",
            r#"{"m": {"b": 2, "a": 1}}"#
        ),
        "a1b2"
    );
    assert_eq!(
        ok(
            "{{range .l}}{{if eq . 2.0}}{{break}}{{end}}{{.}}{{end}}",
            r#"{"l": [1, 2, 3]}"#
        ),
        "1"
    );
    assert_eq!(
        ok(
            "{{range .l}}{{if eq . 2.0}}{{continue}}{{end}}{{.}}{{end}}",
            r#"{"l": [1, 2, 3]}"#
        ),
        "13"
    );
    assert_eq!(ok("{{range 3}}{{.}}{{end}}", "{}"), "012");
    assert_eq!(
        ok("{{range .l}}x{{else}}empty{{end}}", r#"{"l": []}"#),
        "empty"
    );
    assert_eq!(
        ok("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "{}"),
        "2"
    );
}

#[test]
fn templates_and_blocks() {
    assert_eq!(
        ok(
            r#"{{define "a"}}[{{.}}]{{end}}{{template "a" "x"}}{{block "b" 1}}B{{.}}{{end}}"#,
            "{}"
        ),
        "[x]B1"
    );
}

#[test]
fn endless_template_recursion_stops_at_go_depth() {
    // 100000 nested calls need a deep stack, as Go's goroutine stacks grow to 1 GB.
    let err = std::thread::Builder::new()
        .stack_size(4 << 30)
        .spawn(|| {
            run(
                r#"{{define "tmpl"}}{{template "tmpl" .}}{{end}}{{template "tmpl" .}}"#,
                "{}",
            )
        })
        .unwrap()
        .join()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err,
        "template: t:1:28: executing \"tmpl\" at <{{template \"tmpl\" .}}>: exceeded maximum template depth (100000)"
    );
}

#[test]
fn builtins_behave_like_go() {
    assert_eq!(
        ok("{{and 1 0 2}} {{or 0 \"\" 3}} {{not 0}}", "{}"),
        "0 3 true"
    );
    assert_eq!(
        ok(
            "{{len .l}} {{index .l 1}} {{index .m \"a\"}}",
            r#"{"l": [1,2], "m": {"a": "A"}}"#
        ),
        "2 2 A"
    );
    assert_eq!(
        ok(
            "{{eq 1 1}} {{eq \"a\" \"b\" \"a\"}} {{lt 1 2}} {{ge 2.5 2.5}}",
            "{}"
        ),
        "true true true true"
    );
    assert_eq!(
        run("{{eq .n 3}}", r#"{"n": 3}"#).unwrap_err(),
        "template: t:1:2: executing \"t\" at <eq .n 3>: error calling eq: incompatible types for comparison: float64 and int"
    );
    assert_eq!(
        run("{{len .missing}}", "{}").unwrap_err(),
        "template: t:1:2: executing \"t\" at <len .missing>: error calling len: len of nil pointer"
    );
    assert_eq!(
        run("{{index .l 5}}", r#"{"l": [1]}"#).unwrap_err(),
        "template: t:1:2: executing \"t\" at <index .l 5>: error calling index: index out of range: 5"
    );
}

#[test]
fn argument_errors() {
    assert_eq!(
        run("{{ .x | printf }}", r#"{"x": 1}"#).unwrap_err(),
        "template: t:1:8: executing \"t\" at <printf>: wrong type for value; expected string; got float64"
    );
    assert_eq!(
        run("{{ printf }}", "{}").unwrap_err(),
        "template: t:1:3: executing \"t\" at <printf>: wrong number of args for printf: want at least 1 got 0"
    );
    assert_eq!(
        run("{{ nil }}", "{}").unwrap_err(),
        "template: t:1:3: executing \"t\" at <nil>: nil is not a command"
    );
    assert_eq!(
        run("{{ range .s }}{{ . }}{{ end }}", r#"{"s": "text"}"#).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.s>: range can't iterate over text"
    );
}

#[test]
fn trim_markers_and_comments() {
    assert_eq!(ok("a  {{- /* c */ -}}  b", "{}"), "ab");
    assert_eq!(ok("x\n  {{- 1 }}\n", "{}"), "x1\n");
}

#[test]
fn step_limit_stops_runaway_templates() {
    let mut t = Templates::new("gotpl", FuncMap::new());
    t.parse("t", "{{range 100000000}}x{{end}}").unwrap();
    let mut env = Env::default();
    env.limits.max_steps = 10_000;
    let err = t.execute("t", &Value::Nil, &env).unwrap_err().to_string();
    assert!(err.contains("evaluation steps"), "{err}");
}
