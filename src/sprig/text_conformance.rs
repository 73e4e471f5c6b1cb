//! The text families (strings, regex, encoding, paths, URLs, reflection) through the real
//! text/template executor, on the conformance cases that need nothing beyond Sprig (no values
//! file, no JSON/YAML, no Helm objects): output and error texts are Helm v4.2.3's.

use std::path::PathBuf;

use crate::engine::value::types;
use crate::engine::{Env, Map, Templates, Value};

fn case_dir(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/cases")
        .join(case)
}

/// The case's values, built by hand from its values.yaml (numbers from YAML are float64).
fn values(case: &str) -> Map {
    let f = Value::Float;
    let s = Value::str;
    let map = |pairs: Vec<(&str, Value)>| {
        Value::Map(Map::from_entries(
            pairs.into_iter().map(|(k, v)| (k.into(), v)),
        ))
    };
    let pairs: Vec<(&str, Value)> = match case {
        "fn-cat" => vec![("big", f(2000000.0))],
        "fn-quote" => vec![
            ("big", f(1000000.0)),
            ("ratio", f(0.5)),
            ("port", f(8080.0)),
        ],
        "fn-squote" => vec![("big", f(1000000.0))],
        "fn-join" => vec![(
            "l",
            Value::list(vec![s("one"), f(2.0), f(3.5), f(1000000.0)]),
        )],
        "fn-plural" => vec![("items", Value::list(vec![s("a")]))],
        "fn-trunc" => vec![(
            "long",
            s("a-very-long-release-name-that-exceeds-the-sixty-three-character-limit-for-names"),
        )],
        "fn-upper" => vec![("num", f(1.5))],
        "fn-trim" => vec![("num", f(7.0))],
        "fn-typeIs" => vec![("num", f(1.0)), ("m", map(vec![]))],
        "fn-deepEqual" => vec![("num", f(1.0)), ("m", map(vec![("k", s("v"))]))],
        "sprig-reflect" => vec![
            ("m", map(vec![("k", s("v"))])),
            ("l", Value::list(vec![f(1.0)])),
            ("i", f(3.0)),
        ],
        "sprig-str-misc" => vec![("num", f(123.0))],
        "sprig-str-quote" => vec![("port", f(8080.0))],
        _ => vec![],
    };
    Map::typed(
        types::VALUES,
        pairs.into_iter().map(|(k, v)| (k.into(), v)).collect(),
    )
}

/// Renders the case's single template like Helm's engine (`<no value>` removed).
fn render(case: &str) -> Result<String, String> {
    let name = "demo/templates/t.yaml";
    let text = std::fs::read_to_string(case_dir(case).join("chart/templates/t.yaml"))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let mut t = Templates::new("gotpl", crate::sprig::funcs());
    t.parse(name, &text).map_err(|e| e.to_string())?;
    let top = Value::Map(Map::from_entries([(
        "Values".into(),
        Value::Map(values(case)),
    )]));
    t.execute(name, &top, &Env::default())
        .map(|out| out.replace("<no value>", ""))
        .map_err(|e| e.to_string())
}

fn expected(case: &str) -> Result<String, String> {
    let dir = case_dir(case);
    if let Ok(err) = std::fs::read_to_string(dir.join("expected_error.txt")) {
        return Err(err.trim_end().to_string());
    }
    let json = std::fs::read_to_string(dir.join("expected.json"))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    let map: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    Ok(map["demo/templates/t.yaml"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

#[test]
fn conformance_cases_render_like_helm() {
    let cases = [
        "fn-abbrev",
        "fn-abbrevboth",
        "fn-b32dec",
        "fn-b32enc",
        "fn-b64dec",
        "fn-base",
        "fn-camelcase",
        "fn-clean",
        "fn-contains",
        "fn-dir",
        "fn-ext",
        "fn-fail",
        "fn-hasPrefix",
        "fn-hasSuffix",
        "fn-hello",
        "fn-indent-err",
        "fn-initials",
        "fn-isAbs",
        "fn-kebabcase",
        "fn-lower",
        "fn-mustRegexFind",
        "fn-mustRegexFind-err",
        "fn-mustRegexFindAll-err",
        "fn-mustRegexMatch",
        "fn-mustRegexMatch-err",
        "fn-mustRegexReplaceAll",
        "fn-mustRegexReplaceAll-err",
        "fn-mustRegexReplaceAllLiteral",
        "fn-mustRegexReplaceAllLiteral-err",
        "fn-mustRegexSplit-err",
        "fn-nospace",
        "fn-osBase",
        "fn-osClean",
        "fn-osDir",
        "fn-osExt",
        "fn-osIsAbs",
        "fn-regexFind",
        "fn-regexFind-err",
        "fn-regexFindAll-err",
        "fn-regexMatch",
        "fn-regexQuoteMeta",
        "fn-regexReplaceAll",
        "fn-regexReplaceAll-err",
        "fn-regexReplaceAllLiteral",
        "fn-regexReplaceAllLiteral-err",
        "fn-regexSplit-err",
        "fn-repeat",
        "fn-repeat-err",
        "fn-replace",
        "fn-snakecase",
        "fn-substr",
        "fn-substr-err",
        "fn-swapcase",
        "fn-title",
        "fn-trimAll",
        "fn-trimPrefix",
        "fn-trimSuffix",
        "fn-trimall-deprecated",
        "fn-untitle",
        "fn-urlJoin",
        "fn-urlJoin-err",
        "fn-urlParse-err",
        "fn-wrap",
        "fn-wrapWith",
        "sprig-encoding",
        "sprig-paths",
        "sprig-str-case",
        "sprig-str-case-conversions",
        "sprig-str-contains",
        "sprig-str-indent",
        "sprig-str-substr-trunc",
        "sprig-str-trim",
        "sprig-str-wrap-initials-plural",
        // with their values built by hand
        "fn-cat",
        "fn-quote",
        "fn-squote",
        "fn-join",
        "fn-plural",
        "fn-trunc",
        "fn-upper",
        "fn-trim",
        "fn-typeIs",
        "fn-deepEqual",
        "sprig-reflect",
        "sprig-str-misc",
        "sprig-str-quote",
        "sprig-str-repeat-replace",
    ];
    let mut failures = Vec::new();
    for case in cases {
        let (got, want) = (render(case), expected(case));
        if got != want {
            failures.push(format!("{case}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_functions_are_registered_and_env_is_not() {
    let m = crate::sprig::funcs();
    let names = "abbrev abbrevboth cat contains hasPrefix hasSuffix hello indent nindent initials lower \
        nospace plural quote squote repeat replace substr swapcase title trim trimAll trimall trimPrefix \
        trimSuffix trunc untitle upper wrap wrapWith camelcase kebabcase snakecase shuffle split splitList \
        splitn join fail regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll \
        regexReplaceAllLiteral regexSplit mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll \
        mustRegexReplaceAllLiteral mustRegexSplit b64enc b64dec b32enc b32dec base dir clean ext isAbs \
        osBase osClean osDir osExt osIsAbs urlParse urlJoin typeOf typeIs typeIsLike kindOf kindIs deepEqual";
    for name in names.split_whitespace() {
        assert!(m.contains(name), "{name} is not registered");
    }
    assert!(!m.contains("env") && !m.contains("expandenv"));
}
