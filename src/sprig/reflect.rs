//! Sprig's reflection functions (reflect.go): `typeOf` (`fmt.Sprintf("%T")`), `typeIs`,
//! `typeIsLike` (T or *T), `kindOf` (`reflect.Value.Kind().String()`, `invalid` for nil),
//! `kindIs`, and `deepEqual` (`reflect.DeepEqual`).

use super::strings::str_arg;
use crate::engine::{FuncMap, Signature, Ty, Value};

pub(crate) fn register(m: &mut FuncMap) {
    m.add("typeOf", Signature::fixed(&[Ty::Any]), |_, a| {
        Ok(Value::string(type_of(&a[0])))
    });
    m.add(
        "typeIs",
        Signature::fixed(&[Ty::String, Ty::Any]),
        |_, a| Ok(Value::Bool(str_arg(a, 0)? == type_of(&a[1]))),
    );
    m.add(
        "typeIsLike",
        Signature::fixed(&[Ty::String, Ty::Any]),
        |_, a| {
            let (target, t) = (str_arg(a, 0)?, type_of(&a[1]));
            Ok(Value::Bool(
                t == target || t.strip_prefix('*') == Some(target),
            ))
        },
    );
    m.add("kindOf", Signature::fixed(&[Ty::Any]), |_, a| {
        Ok(Value::str(a[0].kind().name()))
    });
    m.add(
        "kindIs",
        Signature::fixed(&[Ty::String, Ty::Any]),
        |_, a| Ok(Value::Bool(str_arg(a, 0)? == a[1].kind().name())),
    );
    m.add(
        "deepEqual",
        Signature::fixed(&[Ty::Any, Ty::Any]),
        |_, a| Ok(Value::Bool(a[0].deep_equal(&a[1]))),
    );
}

/// `fmt.Sprintf("%T", v)`.
fn type_of(v: &Value) -> String {
    v.type_name()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::types;
    use crate::engine::{CallCtx, Env, List, Map, Str};

    fn call(name: &str, args: &[Value]) -> String {
        let mut m = FuncMap::new();
        register(&mut m);
        CallCtx::with_env(&Env::default(), |ctx| {
            (m.get(name).expect("registered").imp)(ctx, args)
        })
        .map(|v| v.to_v())
        .unwrap_or_else(|e| e)
    }
    fn values() -> Value {
        Value::Map(Map::typed(
            types::VALUES,
            [(Str::from("num"), Value::Float(1.0))]
                .into_iter()
                .collect(),
        ))
    }

    // Expected values are Helm v4.2.3's (conformance fn-typeOf, fn-kindOf, fn-typeIs*,
    // fn-kindIs, fn-deepEqual).

    #[test]
    fn type_and_kind_names() {
        let cases: Vec<(Value, &str, &str)> = vec![
            (Value::Int(1), "int", "int"),
            (Value::Float(1.0), "float64", "float64"),
            (Value::str("s"), "string", "string"),
            (Value::Bool(true), "bool", "bool"),
            (Value::Nil, "<nil>", "invalid"),
            (Value::list(vec![]), "[]interface {}", "slice"),
            (Value::empty_map(), "map[string]interface {}", "map"),
            (values(), "common.Values", "map"),
            (Value::strings(["a"]), "[]string", "slice"),
            (
                Value::List(List::typed(types::INTS, vec![])),
                "[]int",
                "slice",
            ),
            (
                Value::Map(Map::typed(types::STRING_MAP, Default::default())),
                "map[string]string",
                "map",
            ),
            (Value::Int64(1), "int64", "int64"),
            (Value::Uint(1), "uint64", "uint64"),
            (Value::Bytes(b"x"[..].into()), "[]uint8", "slice"),
        ];
        for (v, t, k) in cases {
            assert_eq!(call("typeOf", std::slice::from_ref(&v)), t);
            assert_eq!(call("kindOf", std::slice::from_ref(&v)), k);
            assert_eq!(call("typeIs", &[Value::str(t), v.clone()]), "true");
            assert_eq!(call("kindIs", &[Value::str(k), v.clone()]), "true");
            assert_eq!(call("typeIsLike", &[Value::str(t), v]), "true");
        }
        assert_eq!(
            call("typeIs", &[Value::str("int"), Value::Float(1.0)]),
            "false"
        );
        assert_eq!(
            call("typeIsLike", &[Value::str("int"), Value::Float(1.0)]),
            "false"
        );
        assert_eq!(
            call("kindIs", &[Value::str("string"), Value::Int(1)]),
            "false"
        );
    }

    #[test]
    fn deep_equal() {
        let l = |items: Vec<Value>| Value::list(items);
        let eq = |a: Value, b: Value| call("deepEqual", &[a, b]);
        assert_eq!(
            eq(
                l(vec![Value::Int(1), Value::Int(2)]),
                l(vec![Value::Int(1), Value::Int(2)])
            ),
            "true"
        );
        assert_eq!(eq(Value::Int(1), Value::Float(1.0)), "false");
        assert_eq!(eq(Value::Float(1.0), Value::Float(1.0)), "true");
        assert_eq!(eq(Value::empty_map(), Value::empty_map()), "true");
        assert_eq!(eq(Value::Nil, Value::Nil), "true");
        assert_eq!(eq(l(vec![]), Value::strings([""; 0])), "false");
        assert_eq!(eq(l(vec![Value::str("a")]), Value::strings(["a"])), "false");
        let m = Value::Map(Map::from_entries([(Str::from("num"), Value::Float(1.0))]));
        assert_eq!(eq(values(), m), "false");
        assert_eq!(
            eq(
                Value::List(List::nil(types::STRINGS)),
                Value::strings([""; 0])
            ),
            "false"
        );
        assert_eq!(eq(Value::Float(f64::NAN), Value::Float(f64::NAN)), "false");
    }
}
