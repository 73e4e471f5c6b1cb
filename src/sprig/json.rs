//! Sprig's JSON functions (defaults.go): toJson, mustToJson, toPrettyJson, mustToPrettyJson,
//! toRawJson, mustToRawJson, fromJson, mustFromJson.
//!
//! Helm replaces `toJson`, `mustToJson` and `fromJson` with its own versions
//! (chart/funcs/encoding.rs); Sprig's are registered here with Sprig's exact semantics so the
//! Sprig function map stands on its own: `to*` swallow errors into `""` (except `toRawJson`,
//! which panics), `must*` return them, `fromJson` returns whatever decoded (nil on error).

use crate::engine::{CallCtx, FnResult, FuncMap, Signature, Ty, Value};
use crate::json::{self, Target};

const ANY1: Signature = Signature::fixed(&[Ty::Any]);
const STR1: Signature = Signature::fixed(&[Ty::String]);

pub(crate) fn register(m: &mut FuncMap) {
    m.add("toJson", ANY1, to_json);
    m.add("mustToJson", ANY1, must_to_json);
    m.add("toPrettyJson", ANY1, to_pretty_json);
    m.add("mustToPrettyJson", ANY1, must_to_pretty_json);
    m.add("toRawJson", ANY1, to_raw_json);
    m.add("mustToRawJson", ANY1, must_to_raw_json);
    m.add("fromJson", STR1, from_json);
    m.add("mustFromJson", STR1, must_from_json);
}

fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

fn str_arg(args: &[Value]) -> &str {
    arg(args).as_str().unwrap_or("")
}

/// `toJson`: `json.Marshal`, the error dropped (`""`).
fn to_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::string(
        json::to_json(arg(args), true).unwrap_or_default(),
    ))
}

fn must_to_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    json::to_json(arg(args), true).map(Value::string)
}

/// `toPrettyJson`: `json.MarshalIndent(v, "", "  ")`, the error dropped.
fn to_pretty_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::string(
        json::to_json_indent(arg(args), "", "  ").unwrap_or_default(),
    ))
}

fn must_to_pretty_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    json::to_json_indent(arg(args), "", "  ").map(Value::string)
}

/// `toRawJson`: an `Encoder` without HTML escaping, trailing newline trimmed; panics on error.
fn to_raw_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    json::to_json(arg(args), false).map(Value::string)
}

fn must_to_raw_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    json::to_json(arg(args), false).map(Value::string)
}

/// `fromJson`: `json.Unmarshal` into `interface{}`, the error dropped.
fn from_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let d = json::unmarshal(str_arg(args), Target::Any);
    Ok(d.value)
}

fn must_from_json(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let d = json::unmarshal(str_arg(args), Target::Any);
    match d.error {
        Some(e) => Err(e),
        None => Ok(d.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, Map};

    fn call(f: fn(&mut CallCtx, &[Value]) -> FnResult, v: Value) -> FnResult {
        CallCtx::with_env(&Env::default(), |ctx| f(ctx, &[v]))
    }

    #[test]
    fn sprig_json_case() {
        // conformance cases fn-toPrettyJson, fn-toRawJson, fn-mustToRawJson-err, fn-mustFromJson-err
        let m = Map::new();
        m.insert("b", Value::str("<&>"));
        m.insert("a", Value::list(vec![Value::Float(1.0), Value::Float(2.0)]));
        let v = Value::Map(m);
        assert_eq!(
            call(to_pretty_json, v.clone()).unwrap().to_v(),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"\\u003c\\u0026\\u003e\"\n}"
        );
        assert_eq!(
            call(to_raw_json, v).unwrap().to_v(),
            "{\"a\":[1,2],\"b\":\"<&>\"}"
        );
        assert_eq!(
            call(to_raw_json, Value::Float(f64::NAN)).unwrap_err(),
            "json: unsupported value: NaN"
        );
        assert_eq!(
            call(to_pretty_json, Value::Float(f64::NAN)).unwrap().to_v(),
            ""
        );
        assert_eq!(
            call(must_from_json, Value::str("{bad")).unwrap_err(),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert!(call(from_json, Value::str("{bad")).unwrap().is_nil());
    }
}
