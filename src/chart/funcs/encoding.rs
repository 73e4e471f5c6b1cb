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

/// `toToml`: BurntSushi/toml's encoder; on error the error text itself.
fn to_toml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match toml::to_toml(arg(args)) {
        Ok(s) => Ok(Value::string(s)),
        Err(toml::EncodeError::Error(e)) => Ok(Value::string(e)),
        // the encoder panicked (e.g. on nil): text/template reports the panic
        Err(toml::EncodeError::Panic(e)) => Err(e),
    }
}

fn must_to_toml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match toml::to_toml(arg(args)) {
        Ok(s) => Ok(Value::string(s)),
        Err(toml::EncodeError::Error(e)) | Err(toml::EncodeError::Panic(e)) => Err(e),
    }
}

/// `fromToml`: `toml.Unmarshal` into a `map[string]interface {}`; errors go under `"Error"`.
fn from_toml(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let text = arg(args).as_str().unwrap_or("");
    let (m, err) = toml::from_toml(text)?;
    if let Some(e) = err {
        m.insert("Error", Value::string(e));
    }
    Ok(Value::Map(m))
}
