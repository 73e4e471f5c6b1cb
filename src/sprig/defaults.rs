//! Sprig v3.3.0's defaults functions (defaults.go): `default`, `empty`, `coalesce`, `all`, `any`,
//! `ternary`.
//!
//! Emptiness is Sprig's reflect-based `empty`: nil, false, 0, 0.0, "", and empty slices and maps
//! are empty; structs and non-nil pointers never are (text/template's truth, negated).

use crate::engine::{CallCtx, FnResult, FuncMap, Signature, Ty, Value};

use super::util::empty;

pub(crate) fn register(m: &mut FuncMap) {
    m.add("default", Signature::variadic(&[Ty::Any], Ty::Any), default);
    m.add("empty", Signature::fixed(&[Ty::Any]), is_empty);
    m.add("coalesce", Signature::variadic(&[], Ty::Any), coalesce);
    m.add("all", Signature::variadic(&[], Ty::Any), all);
    m.add("any", Signature::variadic(&[], Ty::Any), any);
    m.add(
        "ternary",
        Signature::fixed(&[Ty::Any, Ty::Any, Ty::Bool]),
        ternary,
    );
}

/// `default d [given]`: `given` unless it is missing or empty, else `d` (only the first
/// `given` counts).
fn default(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(match args {
        [_, given, ..] if !empty(given) => given.clone(),
        [d, ..] => d.clone(),
        [] => Value::Nil,
    })
}

fn is_empty(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Bool(args.first().is_none_or(empty)))
}

/// `coalesce v…`: the first non-empty value, nil when there is none.
fn coalesce(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(args
        .iter()
        .find(|v| !empty(v))
        .cloned()
        .unwrap_or(Value::Nil))
}

/// `all v…`: no value is empty (true for none).
fn all(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Bool(args.iter().all(|v| !empty(v))))
}

/// `any v…`: some value is not empty (false for none).
fn any(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Bool(args.iter().any(|v| !empty(v))))
}

/// `ternary yes no cond`.
fn ternary(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let cond = matches!(args.get(2), Some(Value::Bool(true)));
    let pick = if cond { args.first() } else { args.get(1) };
    Ok(pick.cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, Map, Object};

    fn call(name: &str, args: &[Value]) -> Value {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m.get(name).unwrap_or_else(|| panic!("no function {name}"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, args))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn b(name: &str, args: &[Value]) -> bool {
        match call(name, args) {
            Value::Bool(x) => x,
            other => panic!("{name} returned {other:?}"),
        }
    }

    fn i(n: i64) -> Value {
        Value::Int(n)
    }
    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn l(items: Vec<Value>) -> Value {
        Value::list(items)
    }

    /// A struct value such as `time.Time` (never empty).
    struct Time;
    impl Object for Time {
        fn type_name(&self) -> &str {
            "time.Time"
        }
        fn kind(&self) -> crate::engine::value::Kind {
            crate::engine::value::Kind::Struct
        }
        fn write_v(&self, out: &mut String, _plus: bool) {
            out.push_str("2020-01-01 00:00:00 +0000 UTC");
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn default_picks_non_empty() {
        // fn-default
        let d = |given: Value| call("default", &[s("d"), given]).to_v();
        assert_eq!(d(s("")), "d");
        assert_eq!(d(s("x")), "x");
        assert_eq!(d(i(0)), "d");
        assert_eq!(d(Value::Bool(false)), "d");
        assert_eq!(d(Value::Nil), "d");
        assert_eq!(d(l(vec![])), "d");
        assert_eq!(d(Value::empty_map()), "d");
        assert_eq!(d(Value::Float(0.0)), "d");
        assert_eq!(d(s("0")), "0");
        assert_eq!(d(l(vec![i(0)])), "[0]");
        assert_eq!(d(Value::Bool(true)), "true");
        assert_eq!(call("default", &[i(5), Value::Float(0.0)]).to_v(), "5");
        let fallback = Value::Map(Map::from_entries([("a".into(), i(1))]));
        assert!(call("default", &[fallback.clone(), Value::Nil]).deep_equal(&fallback));
        assert_eq!(call("default", &[s("d")]).to_v(), "d");
    }

    #[test]
    fn empty_is_reflect_zero() {
        // fn-empty
        let e = |v: Value| b("empty", &[v]);
        assert_eq!(
            [
                e(s("")),
                e(s("x")),
                e(i(0)),
                e(i(1)),
                e(Value::Float(0.0)),
                e(Value::Bool(false)),
                e(Value::Bool(true))
            ],
            [true, false, true, false, true, true, false]
        );
        assert_eq!(
            [
                e(Value::Nil),
                e(l(vec![])),
                e(Value::empty_map()),
                e(l(vec![Value::Nil])),
                e(s(" "))
            ],
            [true, true, true, false, false]
        );
        assert!(!e(Value::object(Time)));
    }

    #[test]
    fn coalesce_all_any() {
        // fn-coalesce
        let c = |args: &[Value]| call("coalesce", args);
        assert_eq!(c(&[s(""), i(0), Value::Nil, s("x"), s("y")]).to_v(), "x");
        assert!(c(&[]).is_nil());
        assert!(c(&[Value::Nil, s("")]).is_nil());
        assert_eq!(c(&[s(""), Value::Nil, s("third")]).to_v(), "third");
        assert_eq!(
            c(&[l(vec![]), Value::empty_map(), l(vec![i(1)])]).to_v(),
            "[1]"
        );
        assert_eq!(c(&[Value::Bool(false), Value::Bool(true)]).to_v(), "true");
        // fn-all
        assert!(b("all", &[]));
        assert!(b("all", &[i(1), s("x"), Value::Bool(true)]));
        assert!(!b("all", &[i(1), s("")]));
        assert!(b("all", &[l(vec![i(0)])]));
        assert!(!b("all", &[Value::Float(0.0)]));
        assert!(!b("all", &[s("x"), Value::Float(0.0)]));
        // fn-any
        assert!(!b("any", &[]));
        assert!(b("any", &[i(0), s(""), s("x")]));
        assert!(!b("any", &[i(0), Value::Bool(false), Value::Nil]));
        assert!(!b("any", &[l(vec![])]));
        assert!(b("any", &[Value::Float(0.0), s("x")]));
    }

    #[test]
    fn ternary_picks_by_bool() {
        // fn-ternary
        let t = |a: Value, b: Value, c: bool| call("ternary", &[a, b, Value::Bool(c)]);
        assert_eq!(t(s("yes"), s("no"), true).to_v(), "yes");
        assert_eq!(t(s("yes"), s("no"), false).to_v(), "no");
        assert_eq!(t(i(1), i(2), false).to_v(), "2");
        assert!(t(l(vec![i(1)]), Value::Nil, false).is_nil());
    }
}
