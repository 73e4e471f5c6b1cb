//! Helm's YAML/JSON/TOML functions (pkg/engine/funcs.go): toYaml, mustToYaml, toYamlPretty,
//! fromYaml, fromYamlArray, toJson, mustToJson, fromJson, fromJsonArray, toToml, mustToToml,
//! fromToml. They replace Sprig's functions of the same names.
//!
//! Helm's conventions: `to*` swallow errors into `""` (toToml returns the error text instead),
//! `mustTo*` fail the template with the error, `from*` never fail but put the error under the
//! `"Error"` key (arrays: the error text as the only element). `toYaml`/`mustToYaml`/
//! `toYamlPretty` drop the YAML's final newline.

use crate::engine::value::types;
use crate::engine::{CallCtx, FnResult, FuncMap, List, Map, Signature, Ty, Value};
use crate::json::{self, Target};
use crate::sprig::date::{Location, Time};
use crate::toml;
use crate::yaml;

const ANY1: Signature = Signature::fixed(&[Ty::Any]);
const STR1: Signature = Signature::fixed(&[Ty::String]);

pub(crate) fn register(m: &mut FuncMap) {
    m.add("toToml", ANY1, to_toml);
    m.add("mustToToml", ANY1, must_to_toml);
    m.add("fromToml", STR1, from_toml);
    m.add("toYaml", ANY1, to_yaml);
    m.add("mustToYaml", ANY1, must_to_yaml);
    m.add("toYamlPretty", ANY1, to_yaml_pretty);
    m.add("fromYaml", STR1, from_yaml);
    m.add("fromYamlArray", STR1, from_yaml_array);
    m.add("toJson", ANY1, to_json);
    m.add("mustToJson", ANY1, must_to_json);
    m.add("fromJson", STR1, from_json);
    m.add("fromJsonArray", STR1, from_json_array);
}

fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

fn str_arg(args: &[Value]) -> &[u8] {
    arg(args).as_str().unwrap_or("").as_bytes()
}

fn trim_newline(s: String) -> String {
    match s.strip_suffix('\n') {
        Some(t) => t.to_string(),
        None => s,
    }
}

/// `toYaml`: sigs.k8s.io/yaml.Marshal without the final newline; `""` on error.
fn to_yaml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::string(
        yaml::to_yaml(arg(args))
            .map(trim_newline)
            .unwrap_or_default(),
    ))
}

fn must_to_yaml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    yaml::to_yaml(arg(args))
        .map(trim_newline)
        .map(Value::string)
}

/// `toYamlPretty`: go-yaml v3's encoder with a 2-space indent; `""` on an encoder error.
fn to_yaml_pretty(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match yaml::to_yaml_pretty(arg(args)) {
        Ok(s) => Ok(Value::string(trim_newline(s))),
        // go-yaml panics (not an encoder error) for types it cannot marshal at all
        Err(e) if e.starts_with("cannot marshal type") => Err(e),
        Err(_) => Ok(Value::str("")),
    }
}

/// `fromYaml`: sigs.k8s.io/yaml.Unmarshal into a `map[string]interface {}`; errors go under
/// the `"Error"` key of the (possibly partly filled) map.
fn from_yaml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let (v, err) = yaml::unmarshal(str_arg(args), Target::Map(types::MAP));
    let m = match v {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    if let Some(e) = err {
        m.insert("Error", Value::string(e.message));
    }
    Ok(Value::Map(m))
}

/// `fromYamlArray`: into a `[]interface {}`; on error the error text is the only element.
fn from_yaml_array(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match yaml::unmarshal(str_arg(args), Target::List) {
        (_, Some(e)) => Ok(Value::List(List::new(vec![Value::string(e.message)]))),
        (v, None) => Ok(v),
    }
}

/// `toJson`: `json.Marshal`; `""` on error.
fn to_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::string(
        json::to_json(arg(args), true).unwrap_or_default(),
    ))
}

fn must_to_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    json::to_json(arg(args), true).map(Value::string)
}

/// `fromJson`: `json.Unmarshal` into a `map[string]interface {}` (JSON `null` leaves a nil
/// map); errors go under `"Error"`.
fn from_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let text = arg(args).as_str().unwrap_or("");
    let d = json::unmarshal(text, Target::Map(types::MAP));
    let m = match d.value {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    if let Some(e) = d.error {
        // (a nil map only comes from `null`, which is not an error)
        m.insert("Error", Value::string(e));
    }
    Ok(Value::Map(m))
}

/// `fromJsonArray`: into a `[]interface {}`; on error the error text is the only element.
fn from_json_array(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let text = arg(args).as_str().unwrap_or("");
    let d = json::unmarshal(text, Target::List);
    match d.error {
        Some(e) => Ok(Value::List(List::new(vec![Value::string(e)]))),
        None => Ok(d.value),
    }
}

// ---------------------------------------------------------------- TOML datetimes

/// How deep the time conversions below look (the TOML encoder stops at 200 levels anyway).
const TIME_WALK_DEPTH: usize = 256;

/// A TOML datetime as the `time.Time` the rest of ChartLab uses (Sprig's date functions, its
/// methods, `%v`): offset times in UTC (`Z`), `Local` when the offset is the machine's, else a
/// nameless fixed zone; local dates and times in BurntSushi's `*-local` zones.
fn go_time(ctx: &CallCtx, t: &toml::TomlTime) -> Value {
    let now = ctx.now();
    let loc = match t.kind {
        toml::TimeKind::Offset if t.zulu => Location::utc(),
        toml::TimeKind::Offset if t.offset == now.offset => Location::local(&now),
        toml::TimeKind::Offset => Location::fixed("", t.offset),
        _ => Location::fixed(&t.zone, 0),
    };
    let gt = Time::date(
        t.year,
        t.month as i64,
        t.day as i64,
        t.hour as i64,
        t.min as i64,
        t.sec as i64,
        t.nsec as i64,
        loc,
    )
    .with_local(&Location::local(&now));
    Value::object(gt)
}

/// Replaces the TOML decoder's datetimes in a freshly decoded tree by `time.Time` objects.
fn toml_times_to_go(ctx: &CallCtx, v: Value, depth: usize) -> Value {
    if depth > TIME_WALK_DEPTH {
        return v;
    }
    match v {
        Value::Object(_) => match v.downcast::<toml::TomlTime>() {
            Some(t) => go_time(ctx, t),
            None => v,
        },
        Value::List(l) => Value::List(List::typed(
            l.ty(),
            l.iter()
                .map(|x| toml_times_to_go(ctx, x.clone(), depth + 1))
                .collect(),
        )),
        Value::Map(m) => {
            for (k, x) in m.entries() {
                if matches!(x, Value::Object(_) | Value::List(_) | Value::Map(_)) {
                    m.insert(k, toml_times_to_go(ctx, x, depth + 1));
                }
            }
            Value::Map(m)
        }
        other => other,
    }
}

/// The TOML encoder's view of `time.Time` values (which zone decides the TOML form).
fn go_times_to_toml(v: &Value, depth: usize) -> Value {
    if depth > TIME_WALK_DEPTH {
        return v.clone();
    }
    match v {
        Value::Object(_) => match v.downcast::<Time>() {
            Some(t) => {
                let f = t.fields();
                let name = t.location().name().to_string();
                let kind = match name.as_str() {
                    "datetime-local" => toml::TimeKind::LocalDatetime,
                    "date-local" => toml::TimeKind::LocalDate,
                    "time-local" => toml::TimeKind::LocalTime,
                    _ => toml::TimeKind::Offset,
                };
                Value::object(toml::TomlTime {
                    year: f.year,
                    month: f.month as u32,
                    day: f.day as u32,
                    hour: f.hour as u32,
                    min: f.min as u32,
                    sec: f.sec as u32,
                    nsec: t.nanosecond(),
                    offset: f.offset,
                    zone: f.zone.to_string(),
                    kind,
                    zulu: t.location().is_utc(),
                })
            }
            None => v.clone(),
        },
        Value::List(l) if !l.is_nil() => Value::List(List::typed(
            l.ty(),
            l.iter().map(|x| go_times_to_toml(x, depth + 1)).collect(),
        )),
        Value::Map(m) if !m.is_nil() => {
            let out = Map::typed(m.ty(), Default::default());
            for (k, x) in m.entries() {
                out.insert(k, go_times_to_toml(&x, depth + 1));
            }
            Value::Map(out)
        }
        other => other.clone(),
    }
}

/// `toToml`: BurntSushi/toml's encoder; on error the error text itself.
fn to_toml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match toml::to_toml(&go_times_to_toml(arg(args), 0)) {
        Ok(s) => Ok(Value::string(s)),
        Err(toml::EncodeError::Error(e)) => Ok(Value::string(e)),
        // the encoder panicked (e.g. on nil): text/template reports the panic
        Err(toml::EncodeError::Panic(e)) => Err(e),
    }
}

fn must_to_toml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match toml::to_toml(&go_times_to_toml(arg(args), 0)) {
        Ok(s) => Ok(Value::string(s)),
        Err(toml::EncodeError::Error(e)) | Err(toml::EncodeError::Panic(e)) => Err(e),
    }
}

/// `fromToml`: `toml.Unmarshal` into a `map[string]interface {}`; errors go under `"Error"`.
fn from_toml(ctx: &mut CallCtx, args: &[Value]) -> FnResult {
    let text = arg(args).as_str().unwrap_or("");
    let (m, err) = toml::from_toml(text)?;
    if let Some(e) = err {
        m.insert("Error", Value::string(e));
    }
    Ok(toml_times_to_go(ctx, Value::Map(m), 0))
}

#[cfg(test)]
mod tests {
    use crate::engine::{CallCtx, Env, FuncMap, Value};

    /// (function chain, input, Helm v4.2.3's output), rendered by the oracle from one chart
    /// whose template applies each chain to its input (see docs/yaml.md, "Testing").
    const CASES: &str = include_str!("testdata/helm_v4.2.3_encoding_cases.json");

    fn call(m: &FuncMap, name: &str, arg: Value) -> Result<Value, String> {
        let f = m
            .get(name)
            .unwrap_or_else(|| panic!("{name} not registered"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, &[arg]))
    }

    fn s(v: Value) -> String {
        v.as_str().map(str::to_string).unwrap_or_else(|| v.to_v())
    }

    /// The template `{{ chain input }}` for each case, as the oracle chart rendered it.
    fn render(m: &FuncMap, chain: &str, input: &str) -> Result<String, String> {
        let i = Value::str(input);
        let json_in = |m: &FuncMap| call(m, "mustFromJson", i.clone());
        Ok(match chain {
            "fromYaml" => s(call(m, "toJson", call(m, "fromYaml", i.clone())?)?),
            "fromYamlArray" => s(call(m, "toJson", call(m, "fromYamlArray", i.clone())?)?),
            "toYaml" => s(call(m, "toYaml", json_in(m)?)?),
            "toYamlPretty" => s(call(m, "toYamlPretty", json_in(m)?)?),
            "yamlRoundTrip" => s(call(m, "toYaml", call(m, "fromYaml", i.clone())?)?),
            "yamlTypes" => {
                let v = call(m, "fromYaml", i.clone())?;
                let mut out = String::new();
                if let Some(map) = v.as_map() {
                    for (k, x) in map.entries() {
                        out.push_str(&format!("{k}={};", x.type_name()));
                    }
                }
                out
            }
            "fromJson" => s(call(m, "toJson", call(m, "fromJson", i.clone())?)?),
            "fromJsonArray" => s(call(m, "toJson", call(m, "fromJsonArray", i.clone())?)?),
            "toPrettyJson" => s(call(m, "toPrettyJson", json_in(m)?)?),
            "toRawJson" => s(call(m, "toRawJson", json_in(m)?)?),
            "toToml" => s(call(m, "toToml", json_in(m)?)?),
            "fromToml" => s(call(m, "toJson", call(m, "fromToml", i.clone())?)?),
            "tomlRoundTrip" => s(call(m, "toToml", call(m, "fromToml", i.clone())?)?),
            other => return Err(format!("unknown chain {other}")),
        })
    }

    #[test]
    fn matches_helm_on_oracle_cases() {
        let cases: Vec<(String, String, String)> = serde_json::from_str(CASES).expect("fixture");
        assert!(cases.len() > 3000);
        let m = super::super::helm_funcs();
        let mut failures = Vec::new();
        for (chain, input, want) in &cases {
            let got = render(&m, chain, input).unwrap_or_else(|e| format!("ERROR {e}"));
            if &got != want {
                failures.push(format!(
                    "{chain} {input:?}\n  helm: {want:?}\n  mine: {got:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} differ:\n{}",
            failures.len(),
            cases.len(),
            failures[..failures.len().min(10)].join("\n")
        );
    }

    #[test]
    fn error_texts_are_helms() {
        // conformance cases fn-mustToYaml-err, fn-mustToJson-err, fn-toToml-err,
        // fn-mustToToml-err, fn-mustFromJson-err, fn-toRawJson-err
        let m = super::super::helm_funcs();
        let nan_map = crate::engine::Map::new();
        nan_map.insert("x", Value::Float(f64::NAN));
        assert_eq!(
            call(&m, "mustToYaml", Value::Map(nan_map)).unwrap_err(),
            "error marshaling into JSON: json: unsupported value: NaN"
        );
        assert_eq!(
            call(&m, "mustToJson", Value::Float(f64::NAN)).unwrap_err(),
            "json: unsupported value: NaN"
        );
        assert_eq!(
            call(&m, "toJson", Value::Float(f64::NAN)).unwrap().to_v(),
            ""
        );
        assert_eq!(
            call(&m, "toYaml", Value::Float(f64::NAN)).unwrap().to_v(),
            ""
        );
        assert_eq!(
            call(&m, "toToml", Value::Nil).unwrap_err(),
            "reflect: call of reflect.Value.Type on zero Value"
        );
        let l = crate::engine::Map::new();
        l.insert("l", Value::list(vec![Value::Int(1), Value::Nil]));
        assert_eq!(
            call(&m, "mustToToml", Value::Map(l)).unwrap_err(),
            "toml: cannot encode array with nil element"
        );
        assert_eq!(
            call(&m, "mustFromJson", Value::str("{bad")).unwrap_err(),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(
            call(&m, "toRawJson", Value::Float(f64::NAN)).unwrap_err(),
            "json: unsupported value: NaN"
        );
        assert!(m.get("mustFromYaml").is_none());
        // fromJson "null" is a nil map: typeOf map, toJson null
        let v = call(&m, "fromJson", Value::str("null")).unwrap();
        assert_eq!(v.type_name(), "map[string]interface {}");
        assert_eq!(call(&m, "toJson", v).unwrap().to_v(), "null");
        let v = call(&m, "fromJsonArray", Value::str("null")).unwrap();
        assert_eq!(call(&m, "toJson", v).unwrap().to_v(), "null");
        // fromYaml of an empty document is an empty (non-nil) map
        let v = call(&m, "fromYaml", Value::str("")).unwrap();
        assert_eq!(call(&m, "toJson", v).unwrap().to_v(), "{}");
    }
}
