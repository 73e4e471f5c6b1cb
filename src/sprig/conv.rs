//! Sprig v3.3.0's type conversions (functions.go's `atoi`, `int`, `int64`, `float64`,
//! `toString`, `toStrings`, and numeric.go's `toDecimal`).
//!
//! `int`/`int64`/`float64` are spf13/cast v1.7.0's `ToInt`/`ToInt64`/`ToFloat64`, which turn
//! anything unconvertible into 0; `atoi` is `strconv.Atoi` with the error dropped (so an
//! out-of-range number keeps Atoi's clamped value); `toString` is Sprig's `strval`.

use crate::engine::value::{types, List};
use crate::engine::{CallCtx, FnResult, FuncMap, Signature, Ty, Value};

use super::util::{
    atoi as go_atoi, parse_int, slice_items, strval, strval_value, to_float64, to_int, to_int64,
};

const ANY1: Signature = Signature::fixed(&[Ty::Any]);

pub(crate) fn register(m: &mut FuncMap) {
    m.add("atoi", Signature::fixed(&[Ty::String]), atoi);
    m.add("int", ANY1, int);
    m.add("int64", ANY1, int64);
    m.add("float64", ANY1, float64);
    m.add("toString", ANY1, to_string);
    m.add("toStrings", ANY1, to_strings);
    m.add("toDecimal", ANY1, to_decimal);
}

fn arg(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Nil)
}

/// `atoi`: `strconv.Atoi`, errors ignored (0 for bad syntax, the clamped value when too big).
fn atoi(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let s = arg(args).as_str().unwrap_or("");
    let n = match go_atoi(s) {
        Ok(n) => n,
        Err((clamped, _)) => clamped,
    };
    Ok(Value::Int(n))
}

/// `int`: cast's ToInt (strings in any Go base prefix, "3.0" but not "3.5", floats truncated).
fn int(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Int(to_int(arg(args))))
}

fn int64(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Int64(to_int64(arg(args))))
}

fn float64(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Float(to_float64(arg(args))))
}

/// `toString`: Sprig's `strval` (`%v` for everything but strings and bytes).
fn to_string(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(strval_value(arg(args)))
}

/// `toStrings` (Sprig's `strslice`): a `[]string` as it is; each non-nil element of any other
/// slice through `strval`; nil → empty; any other value → a one-element list.
fn to_strings(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let v = arg(args);
    if let Value::List(l) = v {
        if l.ty() == types::STRINGS {
            return Ok(v.clone());
        }
    }
    let out = match slice_items(v) {
        Some(items) => items
            .iter()
            .filter(|x| !x.is_nil())
            .map(strval_value)
            .collect(),
        None if v.is_nil() => Vec::new(),
        None => vec![Value::string(strval(v))],
    };
    Ok(Value::List(List::typed(types::STRINGS, out)))
}

/// `toDecimal`: reads `fmt.Sprint(v)` as an octal number (`"0777"` and `777` are 511); 0 when it
/// is not one (`"8"`, `"0o17"`, or a float that prints as `1e+06`).
fn to_decimal(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let text = strval(arg(args));
    Ok(Value::Int64(parse_int(&text, 8, 64).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, Map};

    fn call(name: &str, args: &[Value]) -> Value {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m.get(name).unwrap_or_else(|| panic!("no function {name}"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, args))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn ints(name: &str, args: &[Value]) -> Vec<String> {
        args.iter()
            .map(|a| {
                let v = call(name, std::slice::from_ref(a));
                format!("{}:{}", v.type_name(), v.to_v())
            })
            .collect()
    }

    fn i(n: i64) -> Value {
        Value::Int(n)
    }
    fn f(x: f64) -> Value {
        Value::Float(x)
    }
    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn atoi_drops_errors() {
        // fn-atoi
        let got = ints(
            "atoi",
            &[
                "42", "-7", "+5", " 42", "4.5", "", "0x10", "1e3", "abc", "007",
            ]
            .map(s),
        );
        let want = ["42", "-7", "5", "0", "0", "0", "0", "0", "0", "7"].map(|n| format!("int:{n}"));
        assert_eq!(got, want);
        assert_eq!(
            ints("atoi", &[s("99999999999999999999")]),
            ["int:9223372036854775807"]
        );
        assert_eq!(ints("atoi", &[s("1_000")]), ["int:0"]);
    }

    #[test]
    fn int_int64_float64_follow_cast() {
        // fn-int
        let got = ints(
            "int",
            &[
                s("12"),
                f(3.9),
                f(-3.9),
                Value::Bool(true),
                Value::Bool(false),
                Value::Nil,
                s("0x1F"),
                s("010"),
                s("08"),
                s("3.0"),
                s("3.5"),
                s(" 5"),
                s(""),
                f(1e6),
                f(2.99),
                s("17"),
                s("1_000"),
                Value::list(vec![i(1)]),
            ],
        );
        let want = [
            "12", "3", "-3", "1", "0", "0", "31", "8", "0", "3", "0", "0", "0", "1000000", "2",
            "17", "1000", "0",
        ]
        .map(|n| format!("int:{n}"));
        assert_eq!(got, want);
        // fn-int64
        let got = ints(
            "int64",
            &[
                s("42"),
                f(3.99),
                f(-3.99),
                Value::Bool(true),
                Value::Nil,
                s("0x1F"),
                s("0o17"),
                s("0b101"),
                s("010"),
                s("3.0"),
                s("3.5"),
                f(12345678901.0),
                s("9223372036854775807"),
                s("9223372036854775808"),
                Value::empty_map(),
            ],
        );
        let want = [
            "42",
            "3",
            "-3",
            "1",
            "0",
            "31",
            "15",
            "5",
            "8",
            "3",
            "0",
            "12345678901",
            "9223372036854775807",
            "0",
            "0",
        ]
        .map(|n| format!("int64:{n}"));
        assert_eq!(got, want);
        // fn-float64
        let fl = |v: Value| match call("float64", &[v]) {
            Value::Float(x) => x,
            other => panic!("float64 returned {other:?}"),
        };
        assert_eq!(fl(s("1.25")), 1.25);
        assert_eq!(fl(i(3)), 3.0);
        assert_eq!(fl(s("1e3")), 1000.0);
        assert_eq!(fl(s("abc")), 0.0);
        assert_eq!(fl(Value::Bool(true)), 1.0);
        assert_eq!(fl(Value::Nil), 0.0);
        assert_eq!(fl(f(1e6)), 1e6);
        assert_eq!(fl(s("0x10")), 0.0);
        assert_eq!(fl(s(" 1")), 0.0);
        assert!(fl(s("-0")).is_sign_negative());
        assert_eq!(fl(s("Inf")), f64::INFINITY);
        assert!(fl(s("NaN")).is_nan());
        assert_eq!(fl(s("1_000.5")), 1000.5);
        assert_eq!(fl(s("1e400")), 0.0);
        assert_eq!(fl(s("-1e400")), 0.0);
    }

    #[test]
    fn to_string_is_strval() {
        // fn-toString
        let ts = |v: Value| {
            let out = call("toString", &[v]);
            assert_eq!(out.type_name(), "string");
            out.as_str().unwrap_or_default().to_string()
        };
        assert_eq!(ts(s("s")), "s");
        assert_eq!(ts(i(5)), "5");
        assert_eq!(ts(i(-5)), "-5");
        assert_eq!(ts(f(1.5)), "1.5");
        assert_eq!(ts(Value::Bool(true)), "true");
        assert_eq!(ts(Value::Nil), "<nil>");
        assert_eq!(ts(i(42)), "42");
        assert_eq!(
            ts(Value::list(vec![i(1), s("a"), Value::Nil])),
            "[1 a <nil>]"
        );
        let m = Map::from_entries([("b".into(), i(1)), ("a".into(), i(2))]);
        assert_eq!(ts(Value::Map(m)), "map[a:2 b:1]");
        assert_eq!(ts(Value::Bytes(b"hi".as_slice().into())), "hi");
        assert_eq!(ts(i(97)), "97");
    }

    #[test]
    fn to_strings_is_strslice() {
        // fn-toStrings
        let ts = |v: Value| {
            let out = call("toStrings", &[v]);
            assert_eq!(out.type_name(), "[]string");
            out.to_v()
        };
        assert_eq!(
            ts(Value::list(vec![i(1), s("b"), f(2.5), Value::Bool(true)])),
            "[1 b 2.5 true]"
        );
        assert_eq!(ts(Value::list(vec![s("x"), Value::Nil, s("y")])), "[x y]");
        assert_eq!(ts(s("single")), "[single]");
        assert_eq!(ts(Value::Nil), "[]");
        assert_eq!(ts(i(5)), "[5]");
        assert_eq!(ts(Value::list(vec![])), "[]");
        let m = Map::from_entries([("a".into(), i(1))]);
        assert_eq!(ts(Value::Map(m)), "[map[a:1]]");
        assert_eq!(ts(Value::strings(["p", "q"])), "[p q]");
        // nested nil slices are not nil interfaces: they print as []
        let nil_list = Value::List(List::nil(types::LIST));
        assert_eq!(
            ts(Value::List(List::typed(types::LISTS, vec![nil_list]))),
            "[[]]"
        );
    }

    #[test]
    fn to_decimal_reads_octal() {
        // fn-toDecimal
        let got = ints(
            "toDecimal",
            &[
                s("0777"),
                s("777"),
                i(777),
                s("644"),
                s("8"),
                s(""),
                s("0o17"),
                s("-17"),
                f(755.0),
                f(1e6),
                Value::Bool(true),
                f(1.5),
            ],
        );
        let want = [
            "511", "511", "511", "420", "0", "0", "0", "-15", "493", "0", "0", "0",
        ]
        .map(|n| format!("int64:{n}"));
        assert_eq!(got, want);
    }

    #[test]
    fn temporary_float_sprint_is_gos_v() {
        let cases = [
            (1e6, "1e+06"),
            (755.0, "755"),
            (1.5, "1.5"),
            (123456789.0, "1.23456789e+08"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (999999.0, "999999"),
            (-0.0, "-0"),
            (1e21, "1e+21"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (f, want) in cases {
            assert_eq!(strval(&Value::Float(f)), want);
        }
    }
}
