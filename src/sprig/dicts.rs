//! Sprig v3.3.0's dictionary functions (dict.go), with dario.cat/mergo v1.0.1's merge rules for
//! `merge`/`mergeOverwrite` and mitchellh/copystructure's `deepCopy`.
//!
//! Go maps are references: `set`, `unset`, `merge` and `mergeOverwrite` change the first map in
//! place and return it, so every holder of that map (e.g. `.Values`) sees the change. Nested maps
//! are merged in place too. `keys` and `values` follow ChartLab's sorted key order (Go's is random).

use crate::engine::value::{types, Kind, Map};
use crate::engine::{CallCtx, FnResult, FuncMap, Signature, Ty, Value};

use super::util::{empty, strval};

/// How deep `merge`/`mergeOverwrite`/`deepCopy` follow nested maps and lists. Go has no such
/// bound: a map that contains itself (`set $d "self" $d`) makes Helm recurse until its stack
/// overflows and the process dies. ChartLab stops with an error instead; real values nest a few
/// dozen levels at most.
pub(crate) const MAX_NESTING: usize = 1000;

/// mergo's `ErrDifferentArgumentsTypes`.
const ERR_DIFFERENT_TYPES: &str = "src and dst must be of same type";

pub(crate) fn register(m: &mut FuncMap) {
    m.add("dict", Signature::variadic(&[], Ty::Any), dict);
    m.add("get", Signature::fixed(&[Ty::Map, Ty::String]), get);
    m.add(
        "set",
        Signature::fixed(&[Ty::Map, Ty::String, Ty::Any]),
        set,
    );
    m.add("unset", Signature::fixed(&[Ty::Map, Ty::String]), unset);
    m.add("hasKey", Signature::fixed(&[Ty::Map, Ty::String]), has_key);
    m.add("pluck", Signature::variadic(&[Ty::String], Ty::Map), pluck);
    m.add("dig", Signature::variadic(&[], Ty::Any), dig);
    m.add("keys", Signature::variadic(&[], Ty::Map), keys);
    m.add("pick", Signature::variadic(&[Ty::Map], Ty::String), pick);
    m.add("omit", Signature::variadic(&[Ty::Map], Ty::String), omit);
    let merge_sig = Signature::variadic(&[Ty::Map], Ty::Map);
    m.add("merge", merge_sig, merge);
    m.add("mustMerge", merge_sig, must_merge);
    m.add("mergeOverwrite", merge_sig, merge_overwrite);
    m.add("mustMergeOverwrite", merge_sig, must_merge_overwrite);
    m.add("values", Signature::fixed(&[Ty::Map]), values);
    m.add("deepCopy", Signature::fixed(&[Ty::Any]), deep_copy);
    m.add("mustDeepCopy", Signature::fixed(&[Ty::Any]), deep_copy);
}

/// A map argument: `Some(map)`, or `None` for a nil map (the `nil` literal, which the executor
/// may pass as `Value::Nil` or as a nil [`Map`]).
fn map_arg(args: &[Value], i: usize) -> Option<&Map> {
    match args.get(i) {
        Some(Value::Map(m)) if !m.is_nil() => Some(m),
        _ => None,
    }
}

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// A map argument as the function's Go parameter sees it: converted to `map[string]interface {}`
/// (passing `.Values` converts `common.Values`), sharing the data. Returned maps have this type,
/// so `typeOf (set .Values "k" 1)` is `map[string]interface {}`.
fn as_param(m: &Map) -> Map {
    if m.ty() == types::MAP {
        m.clone()
    } else {
        m.with_type_shared(types::MAP)
    }
}

/// The value to return for a map argument that is nil.
fn nil_map() -> Value {
    Value::Map(Map::nil(types::MAP))
}

/// `dict k1 v1 k2 v2 …`: keys through `strval` (`dict 1 2` has key "1"), a missing last value
/// is "".
fn dict(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let m = Map::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        let key = match &pair[0] {
            Value::String(s) => s.clone(),
            other => strval(other).into(),
        };
        m.insert(key, value);
    }
    Ok(Value::Map(m))
}

/// `get map key`: the value, or "" when the key is absent.
fn get(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(map_arg(args, 0)
        .and_then(|m| m.get(str_arg(args, 1)))
        .unwrap_or_else(|| Value::str("")))
}

/// `set map key value`: assigns in place and returns the same map.
fn set(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let m = map_arg(args, 0).ok_or("assignment to entry in nil map")?;
    m.insert(str_arg(args, 1), args.get(2).cloned().unwrap_or_default());
    Ok(Value::Map(as_param(m)))
}

/// `unset map key`: deletes in place and returns the same map (deleting from nil is a no-op).
fn unset(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match map_arg(args, 0) {
        Some(m) => {
            m.remove(str_arg(args, 1));
            Ok(Value::Map(as_param(m)))
        }
        None => Ok(nil_map()),
    }
}

/// `hasKey map key`: whether the key is present (even with a nil value).
fn has_key(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::Bool(
        map_arg(args, 0).is_some_and(|m| m.contains_key(str_arg(args, 1))),
    ))
}

/// `pluck key map…`: the key's value from each map that has it.
fn pluck(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let key = str_arg(args, 0);
    let out = (1..args.len())
        .filter_map(|i| map_arg(args, i).and_then(|m| m.get(key)))
        .collect();
    Ok(Value::list(out))
}

/// The text of Go's failed type assertion `x.(T)` on an `interface {}` holding `v`.
fn conversion_error(v: &Value, want: &str) -> String {
    let have = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    format!("interface conversion: interface {{}} is {have}, not {want}")
}

/// Sprig's `.(map[string]interface{})`: only that exact type passes (not `common.Values`).
fn as_plain_map(v: &Value) -> Result<&Map, String> {
    match v {
        Value::Map(m) if m.ty() == types::MAP => Ok(m),
        other => Err(conversion_error(other, types::MAP)),
    }
}

/// `dig key… default map`: walks nested maps, the default when a key is missing. The map and
/// every step must be exactly `map[string]interface {}` (so `.Values` itself fails, while maps
/// inside it work), each key a string — otherwise Go's type-assertion panic.
fn dig(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let [keys @ .., default, map] = args else {
        return Err("dig needs at least three arguments".into());
    };
    if keys.is_empty() {
        return Err("dig needs at least three arguments".into());
    }
    let mut current = as_plain_map(map)?.clone();
    let mut names = Vec::with_capacity(keys.len());
    for k in keys {
        names.push(k.as_str().ok_or_else(|| conversion_error(k, "string"))?);
    }
    let (last, path) = names
        .split_last()
        .ok_or("dig needs at least three arguments")?;
    for name in path {
        let Some(step) = current.get(name) else {
            return Ok(default.clone());
        };
        current = as_plain_map(&step)?.clone();
    }
    Ok(current.get(last).unwrap_or_else(|| default.clone()))
}

/// `keys map…`: every key of every map, as `[]string`.
fn keys(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let mut out = Vec::new();
    for i in 0..args.len() {
        if let Some(m) = map_arg(args, i) {
            out.extend(m.borrow().entries.keys().map(|k| Value::String(k.clone())));
        }
    }
    Ok(Value::List(crate::engine::List::typed(types::STRINGS, out)))
}

/// `pick map key…`: a new map with only those keys (the ones present).
fn pick(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let out = Map::new();
    if let Some(m) = map_arg(args, 0) {
        for k in args.iter().skip(1).filter_map(Value::as_str) {
            if let Some(v) = m.get(k) {
                out.insert(k, v);
            }
        }
    }
    Ok(Value::Map(out))
}

/// `omit map key…`: a new map without those keys.
fn omit(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let out = Map::new();
    if let Some(m) = map_arg(args, 0) {
        let drop: Vec<&str> = args.iter().skip(1).filter_map(Value::as_str).collect();
        let d = m.borrow();
        let mut o = out.borrow_mut();
        for (k, v) in d.entries.iter() {
            if !drop.contains(&k.as_ref()) {
                o.entries.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Value::Map(out))
}

/// `values map`: the values as `[]interface {}`.
fn values(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let out = match map_arg(args, 0) {
        Some(m) => m.borrow().entries.values().cloned().collect(),
        None => Vec::new(),
    };
    Ok(Value::list(out))
}

/// How a merge failed.
enum MergeError {
    /// An error mergo returns (`merge`/`mergeOverwrite` swallow it and return "").
    Returned(String),
    /// A Go panic or ChartLab's nesting limit: reported even by the non-`must` forms.
    Panic(String),
}

/// Whether a value's reflect kind is a map (maps and map-kind objects such as `.Files`).
fn is_map_kind(v: &Value) -> bool {
    v.kind() == Kind::Map
}

/// mergo's `deepMerge` for two `map[string]interface{}`s (Helm pins mergo v1.0.1):
///
/// * a nil source value is copied only with overwrite (and then replaces the destination's);
/// * a map source value is merged into a destination map in place, key by key;
/// * afterwards — the destination judged as it is now, after that nested merge — a non-empty
///   destination map is kept when the source is a map too; otherwise the source value is stored
///   when overwriting, or when the destination is missing or empty (0, "", false, nil, empty
///   list or map).
///
/// Slices are never merged element-wise, and (with mergo's `isEmptyValue`) structs and pointers
/// are never empty.
fn merge_into(dst: &Map, src: &Map, overwrite: bool, depth: usize) -> Result<(), MergeError> {
    if depth > MAX_NESTING {
        return Err(MergeError::Panic(format!(
            "merge: maps nested more than {MAX_NESTING} levels deep (a map that contains \
             itself?); ChartLab stops here, Helm would overflow its stack"
        )));
    }
    // Storing into a map[string]string is reflect's panic unless the source is one too.
    let typed_dst = dst.ty() == types::STRING_MAP && src.ty() != types::STRING_MAP;
    let store = |key: &crate::engine::Str, value: Value| -> Result<(), MergeError> {
        if typed_dst {
            return Err(MergeError::Panic(
                "reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string"
                    .into(),
            ));
        }
        dst.insert(key.clone(), value);
        Ok(())
    };
    for key in src.keys() {
        let Some(s) = src.get(&key) else { continue };
        if s.is_nil() {
            if overwrite {
                store(&key, Value::Nil)?;
            }
            continue;
        }
        let d = dst.get(&key);
        if matches!(s.kind(), Kind::Map | Kind::Struct | Kind::Ptr) {
            match (&d, &s) {
                (Some(Value::Map(dm)), Value::Map(sm)) if !dm.is_nil() => {
                    merge_into(dm, sm, overwrite, depth + 1)?;
                }
                // mergo on a pointer destination: with overwrite it cannot set the unaddressable
                // value; without, it only accepts a source of the pointee's type.
                (Some(dv @ Value::Object(_)), _)
                    if dv.kind() == Kind::Ptr && !overwrite && s.kind() != Kind::Ptr =>
                {
                    return Err(MergeError::Returned(ERR_DIFFERENT_TYPES.into()));
                }
                _ => {}
            }
        }
        if let Some(dv) = &d {
            if !empty(dv) {
                if matches!(s, Value::List(_) | Value::Bytes(_)) {
                    // mergo stored the source slice already when overwriting (its slice
                    // branch runs before this check); otherwise the destination stays.
                    if overwrite {
                        store(&key, s)?;
                    }
                    continue;
                }
                if is_map_kind(&s) && is_map_kind(dv) {
                    continue;
                }
            }
        }
        if overwrite || d.as_ref().is_none_or(empty) {
            store(&key, s)?;
        }
    }
    Ok(())
}

/// Sprig's merge loop: `mergo.Merge(&dst, src)` for each source in turn. A nil destination
/// becomes a new map as soon as a source is not nil (mergo's `reflect.MakeMap`).
fn merge_all(args: &[Value], overwrite: bool) -> Result<Value, MergeError> {
    let mut dst = map_arg(args, 0).map(as_param);
    for i in 1..args.len() {
        let Some(src) = map_arg(args, i) else {
            continue;
        };
        let d = dst.get_or_insert_with(Map::new);
        merge_into(d, src, overwrite, 0)?;
    }
    Ok(dst.map_or_else(nil_map, Value::Map))
}

fn merge_swallowing(args: &[Value], overwrite: bool) -> FnResult {
    match merge_all(args, overwrite) {
        Ok(v) => Ok(v),
        Err(MergeError::Returned(_)) => Ok(Value::str("")),
        Err(MergeError::Panic(e)) => Err(e),
    }
}

fn merge_returning(args: &[Value], overwrite: bool) -> FnResult {
    merge_all(args, overwrite).map_err(|e| match e {
        MergeError::Returned(e) | MergeError::Panic(e) => e,
    })
}

/// `merge dst src…`: fills dst's missing or empty values from each src, recursively.
fn merge(_: &mut CallCtx, args: &[Value]) -> FnResult {
    merge_swallowing(args, false)
}

fn must_merge(_: &mut CallCtx, args: &[Value]) -> FnResult {
    merge_returning(args, false)
}

/// `mergeOverwrite dst src…`: like merge, but src values (even empty ones, even nil) win.
fn merge_overwrite(_: &mut CallCtx, args: &[Value]) -> FnResult {
    merge_swallowing(args, true)
}

fn must_merge_overwrite(_: &mut CallCtx, args: &[Value]) -> FnResult {
    merge_returning(args, true)
}

/// copystructure's deep copy: new maps and lists (types, nil-ness kept), shared scalars.
fn copy_value(v: &Value, depth: usize) -> Result<Value, String> {
    if depth > MAX_NESTING {
        return Err(format!(
            "deepCopy: values nested more than {MAX_NESTING} levels deep (a map that contains \
             itself?); ChartLab stops here, Helm would overflow its stack"
        ));
    }
    Ok(match v {
        Value::List(l) if l.is_nil() => v.clone(),
        Value::List(l) => {
            let mut items = Vec::with_capacity(l.len());
            for item in l.iter() {
                items.push(copy_value(item, depth + 1)?);
            }
            Value::List(crate::engine::List::typed(l.ty(), items))
        }
        Value::Map(m) if m.is_nil() => Value::Map(Map::nil(m.ty())),
        Value::Map(m) => {
            let entries = m.entries();
            let out = Map::typed(m.ty(), Default::default());
            for (k, item) in entries {
                let copied = copy_value(&item, depth + 1)?;
                out.insert(k, copied);
            }
            Value::Map(out)
        }
        Value::Bytes(b) => Value::Bytes(b.to_vec().into()),
        other => other.clone(),
    })
}

/// `deepCopy`/`mustDeepCopy`: an independent copy; the nil interface is reflect's panic.
fn deep_copy(_: &mut CallCtx, args: &[Value]) -> FnResult {
    match args.first() {
        None | Some(Value::Nil) => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Some(v) => copy_value(v, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, List};

    fn call(name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m.get(name).unwrap_or_else(|| panic!("no function {name}"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, args))
    }

    fn ok(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn err(name: &str, args: &[Value]) -> String {
        match call(name, args) {
            Ok(v) => panic!("{name}: expected an error, got {v:?}"),
            Err(e) => e,
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
    fn d(pairs: &[(&str, Value)]) -> Value {
        Value::Map(Map::from_entries(
            pairs.iter().map(|(k, v)| ((*k).into(), v.clone())),
        ))
    }
    fn values_map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(Map::typed(
            types::VALUES,
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), v.clone()))
                .collect(),
        ))
    }
    /// A compact JSON-like rendering to compare structures (`null` for nil slices/maps).
    fn j(v: &Value) -> String {
        match v {
            Value::Nil => "null".into(),
            Value::String(x) => format!("{x:?}"),
            Value::List(l) if l.is_nil() => "null".into(),
            Value::List(l) => format!("[{}]", l.iter().map(j).collect::<Vec<_>>().join(",")),
            Value::Map(m) if m.is_nil() => "null".into(),
            Value::Map(m) => format!(
                "{{{}}}",
                m.entries()
                    .iter()
                    .map(|(k, v)| format!("{k:?}:{}", j(v)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            other => other.to_v(),
        }
    }

    #[test]
    fn dict_builds_maps() {
        // fn-dict
        assert_eq!(
            j(&ok("dict", &[s("a"), i(1), s("b"), s("two")])),
            r#"{"a":1,"b":"two"}"#
        );
        assert_eq!(j(&ok("dict", &[])), "{}");
        assert_eq!(j(&ok("dict", &[s("odd")])), r#"{"odd":""}"#);
        assert_eq!(
            j(&ok("dict", &[i(1), i(2), Value::Bool(true), i(3)])),
            r#"{"1":2,"true":3}"#
        );
        assert_eq!(j(&ok("dict", &[s("k"), Value::Nil])), r#"{"k":null}"#);
        assert_eq!(j(&ok("dict", &[s("a"), i(1), s("a"), i(2)])), r#"{"a":2}"#);
        assert_eq!(
            ok("dict", &[s("b"), i(2), s("a"), i(1)]).to_v(),
            "map[a:1 b:2]"
        );
        assert_eq!(j(&ok("dict", &[l(vec![i(1)]), s("x")])), r#"{"[1]":"x"}"#);
    }

    #[test]
    fn get_set_unset_has_key() {
        // fn-get
        let m = d(&[("a", i(1)), ("n", Value::Nil)]);
        assert_eq!(j(&ok("get", &[m.clone(), s("a")])), "1");
        assert_eq!(j(&ok("get", &[m.clone(), s("zz")])), r#""""#);
        assert!(ok("get", &[m.clone(), s("n")]).is_nil());
        let vals = values_map(&[("name", s("top"))]);
        assert_eq!(j(&ok("get", &[vals.clone(), s("name")])), r#""top""#);
        assert_eq!(j(&ok("get", &[Value::Nil, s("a")])), r#""""#);
        // fn-set: in place, visible through every holder
        let m = d(&[("a", i(1))]);
        let r = ok("set", &[m.clone(), s("b"), i(2)]);
        assert_eq!(j(&r), r#"{"a":1,"b":2}"#);
        assert_eq!(j(&m), r#"{"a":1,"b":2}"#);
        assert_eq!(
            j(&ok("set", &[d(&[]), s("k"), Value::Nil])),
            r#"{"k":null}"#
        );
        let r = ok("set", &[vals.clone(), s("shared"), s("from-b")]);
        assert_eq!(j(&vals), r#"{"name":"top","shared":"from-b"}"#);
        // Go converts common.Values to the parameter's map type (checked against Helm v4.2.3)
        assert_eq!(r.type_name(), types::MAP);
        assert_eq!(vals.type_name(), types::VALUES);
        assert_eq!(
            ok("unset", &[vals.clone(), s("zz")]).type_name(),
            types::MAP
        );
        let merged = ok(
            "mergeOverwrite",
            &[vals.clone(), d(&[("x", d(&[("y", i(1))]))])],
        );
        assert_eq!(merged.type_name(), types::MAP);
        assert_eq!(j(&ok("dig", &[s("x"), s("y"), s("none"), merged])), "1");
        assert_eq!(
            err("set", &[Value::Nil, s("a"), i(1)]),
            "assignment to entry in nil map"
        );
        assert_eq!(
            err("set", &[Value::Map(Map::nil(types::MAP)), s("a"), i(1)]),
            "assignment to entry in nil map"
        );
        // fn-unset
        let m = d(&[("a", i(1)), ("b", i(2))]);
        assert_eq!(j(&ok("unset", &[m.clone(), s("a")])), r#"{"b":2}"#);
        assert_eq!(j(&m), r#"{"b":2}"#);
        assert_eq!(j(&ok("unset", &[m.clone(), s("missing")])), r#"{"b":2}"#);
        assert_eq!(j(&ok("unset", &[d(&[]), s("x")])), "{}");
        let nil = ok("unset", &[Value::Nil, s("a")]);
        assert_eq!(
            (j(&nil), nil.to_v(), nil.type_name()),
            ("null".into(), "map[]".into(), types::MAP.into())
        );
        // fn-hasKey
        let m = d(&[("a", i(1)), ("n", Value::Nil), ("e", s(""))]);
        let has = |m: &Value, k: &str| j(&ok("hasKey", &[m.clone(), s(k)]));
        assert_eq!(
            [has(&m, "a"), has(&m, "A"), has(&m, "n"), has(&m, "e")],
            ["true", "false", "true", "true"]
        );
        let vals = values_map(&[("name", s("x")), ("m", d(&[("k", Value::Nil)]))]);
        assert_eq!([has(&vals, "name"), has(&vals, "nope")], ["true", "false"]);
        assert_eq!(has(&d(&[]), ""), "false");
        assert_eq!(has(&Value::Nil, "a"), "false");
    }

    #[test]
    fn pluck_keys_pick_omit_values() {
        // fn-pluck
        let r = ok(
            "pluck",
            &[
                s("a"),
                d(&[("a", i(1))]),
                d(&[("b", i(2))]),
                d(&[("a", i(3))]),
            ],
        );
        assert_eq!(j(&r), "[1,3]");
        assert_eq!(j(&ok("pluck", &[s("z"), d(&[("a", i(1))])])), "[]");
        assert_eq!(j(&ok("pluck", &[s("a")])), "[]");
        assert_eq!(
            j(&ok("pluck", &[s("n"), d(&[("n", Value::Nil)])])),
            "[null]"
        );
        assert_eq!(
            j(&ok("pluck", &[s("a"), Value::Nil, d(&[("a", i(1))])])),
            "[1]"
        );
        // fn-keys
        let m = d(&[("b", i(2)), ("a", i(1)), ("c", i(3))]);
        let k = ok("keys", std::slice::from_ref(&m));
        assert_eq!(
            (k.type_name(), j(&k)),
            (types::STRINGS.to_string(), r#"["a","b","c"]"#.to_string())
        );
        assert_eq!(j(&ok("keys", &[d(&[])])), "[]");
        assert_eq!(
            j(&ok("keys", &[m.clone(), d(&[("a", i(9)), ("z", i(0))])])),
            r#"["a","b","c","a","z"]"#
        );
        assert_eq!(j(&ok("keys", &[Value::Nil])), "[]");
        // fn-pick, fn-omit
        let m = d(&[("a", i(1)), ("b", i(2)), ("c", i(3))]);
        assert_eq!(
            j(&ok("pick", &[m.clone(), s("a"), s("c")])),
            r#"{"a":1,"c":3}"#
        );
        assert_eq!(j(&ok("pick", &[m.clone(), s("zz")])), "{}");
        assert_eq!(j(&ok("pick", std::slice::from_ref(&m))), "{}");
        assert_eq!(j(&ok("omit", &[m.clone(), s("a"), s("c")])), r#"{"b":2}"#);
        assert_eq!(
            j(&ok("omit", std::slice::from_ref(&m))),
            r#"{"a":1,"b":2,"c":3}"#
        );
        assert_eq!(
            j(&ok("omit", &[m.clone(), s("zz")])),
            r#"{"a":1,"b":2,"c":3}"#
        );
        assert_eq!(j(&m), r#"{"a":1,"b":2,"c":3}"#);
        assert_eq!(j(&ok("pick", &[Value::Nil, s("a")])), "{}");
        assert_eq!(j(&ok("omit", &[Value::Nil, s("a")])), "{}");
        // fn-values
        assert_eq!(j(&ok("values", &[d(&[("a", i(1))])])), "[1]");
        assert_eq!(j(&ok("values", &[d(&[])])), "[]");
        assert_eq!(j(&ok("values", &[Value::Nil])), "[]");
    }

    #[test]
    fn dig_walks_plain_maps() {
        // fn-dig
        let m = d(&[("a", d(&[("b", d(&[("c", s("deep"))]))])), ("x", i(1))]);
        assert_eq!(
            j(&ok("dig", &[s("a"), s("b"), s("c"), s("none"), m.clone()])),
            r#""deep""#
        );
        assert_eq!(
            j(&ok("dig", &[s("a"), s("zz"), s("c"), s("none"), m.clone()])),
            r#""none""#
        );
        assert_eq!(j(&ok("dig", &[s("x"), s("none"), m.clone()])), "1");
        assert_eq!(
            j(&ok("dig", &[s("a"), s("b"), s("none"), m.clone()])),
            r#"{"c":"deep"}"#
        );
        // fn-dig-err and further errors checked against Helm v4.2.3
        assert_eq!(
            err("dig", &[s("a"), s("b"), s("x"), d(&[("a", s("str"))])]),
            "interface conversion: interface {} is string, not map[string]interface {}"
        );
        assert_eq!(
            err("dig", &[s("a"), s("x"), values_map(&[("a", i(1))])]),
            "interface conversion: interface {} is common.Values, not map[string]interface {}"
        );
        assert_eq!(
            err("dig", &[s("a"), s("x"), Value::Nil]),
            "interface conversion: interface {} is nil, not map[string]interface {}"
        );
        assert_eq!(
            err("dig", &[i(1), s("x"), d(&[])]),
            "interface conversion: interface {} is int, not string"
        );
        assert_eq!(
            err("dig", &[s("a"), s("b"), s("x"), d(&[("a", Value::Nil)])]),
            "interface conversion: interface {} is nil, not map[string]interface {}"
        );
        assert_eq!(
            err("dig", &[s("x"), d(&[])]),
            "dig needs at least three arguments"
        );
        // nested maps of .Values are plain maps
        let vals = values_map(&[("image", d(&[("tag", s("v1"))]))]);
        assert_eq!(
            j(&ok(
                "dig",
                &[
                    s("tag"),
                    s("latest"),
                    vals.as_map().unwrap().get("image").unwrap()
                ]
            )),
            r#""v1""#
        );
    }

    fn merge_j(name: &str, args: &[Value]) -> String {
        j(&ok(name, args))
    }

    #[test]
    fn merge_follows_mergo() {
        // fn-merge
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[("a", i(1))]), d(&[("a", i(2)), ("b", i(2))])]
            ),
            r#"{"a":1,"b":2}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[
                    d(&[("n", d(&[("x", i(1))]))]),
                    d(&[("n", d(&[("x", i(9)), ("y", i(2))]))])
                ]
            ),
            r#"{"n":{"x":1,"y":2}}"#
        );
        assert_eq!(
            merge_j("merge", &[d(&[("a", s(""))]), d(&[("a", s("x"))])]),
            r#"{"a":"x"}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[
                    d(&[("a", i(0)), ("b", Value::Bool(false)), ("c", Value::Nil)]),
                    d(&[("a", i(5)), ("b", Value::Bool(true)), ("c", s("set"))])
                ]
            ),
            r#"{"a":5,"b":true,"c":"set"}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[("l", l(vec![i(1)]))]), d(&[("l", l(vec![i(2), i(3)]))])]
            ),
            r#"{"l":[1]}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[]), d(&[("a", i(1))]), d(&[("a", i(2)), ("b", i(2))])]
            ),
            r#"{"a":1,"b":2}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[("s", s("str"))]), d(&[("s", d(&[("x", i(1))]))])]
            ),
            r#"{"s":"str"}"#
        );
        // fn-mustMerge
        let vals = values_map(&[("k", s("v")), ("num", Value::Float(1.0))]);
        assert_eq!(
            merge_j("mustMerge", &[d(&[]), vals]),
            r#"{"k":"v","num":1}"#
        );
    }

    #[test]
    fn merge_overwrite_follows_mergo() {
        // fn-mergeOverwrite, fn-mustMergeOverwrite
        let mo = |a: Value, b: Value| merge_j("mergeOverwrite", &[a, b]);
        assert_eq!(
            mo(d(&[("a", i(1))]), d(&[("a", i(2)), ("b", i(2))])),
            r#"{"a":2,"b":2}"#
        );
        assert_eq!(
            mo(
                d(&[("n", d(&[("x", i(1)), ("z", i(0))]))]),
                d(&[("n", d(&[("x", i(9)), ("y", i(2))]))])
            ),
            r#"{"n":{"x":9,"y":2,"z":0}}"#
        );
        assert_eq!(
            mo(
                d(&[("a", i(1)), ("b", s("keep"))]),
                d(&[("a", i(0)), ("b", s(""))])
            ),
            r#"{"a":0,"b":""}"#
        );
        assert_eq!(
            mo(d(&[("a", i(1))]), d(&[("a", Value::Nil)])),
            r#"{"a":null}"#
        );
        assert_eq!(
            mo(d(&[("l", l(vec![i(1), i(2)]))]), d(&[("l", l(vec![i(3)]))])),
            r#"{"l":[3]}"#
        );
        assert_eq!(
            merge_j(
                "mergeOverwrite",
                &[d(&[]), d(&[("a", i(1))]), d(&[("a", i(2))])]
            ),
            r#"{"a":2}"#
        );
        assert_eq!(
            merge_j(
                "mustMergeOverwrite",
                &[
                    d(&[("m", d(&[("x", i(1))]))]),
                    d(&[("m", d(&[("y", i(2))]))])
                ]
            ),
            r#"{"m":{"x":1,"y":2}}"#
        );
    }

    #[test]
    fn merge_edge_cases_match_helm() {
        // Each expectation below was rendered by Helm v4.2.3.
        let m = |a: Value, b: Value| merge_j("merge", &[a, b]);
        let mo = |a: Value, b: Value| merge_j("mergeOverwrite", &[a, b]);
        // a: an empty nested destination map is filled in place
        let e = d(&[]);
        let src = d(&[("n", d(&[("x", i(1))]))]);
        assert_eq!(m(d(&[("n", e.clone())]), src.clone()), r#"{"n":{"x":1}}"#);
        assert_eq!(j(&e), r#"{"x":1}"#);
        let _ = ok(
            "set",
            &[src.as_map().unwrap().get("n").unwrap(), s("y"), i(2)],
        );
        assert_eq!(j(&e), r#"{"x":1}"#);
        // b, c: an empty source map replaces an empty destination map by reference
        for name in ["merge", "mergeOverwrite"] {
            let e2 = d(&[]);
            let s2 = d(&[("n", d(&[]))]);
            let r = ok(name, &[d(&[("n", e2.clone())]), s2.clone()]);
            let _ = ok(
                "set",
                &[s2.as_map().unwrap().get("n").unwrap(), s("z"), i(1)],
            );
            assert_eq!(
                (j(&r), j(&e2)),
                (r#"{"n":{"z":1}}"#.into(), "{}".into()),
                "{name}"
            );
        }
        // d: lists
        assert_eq!(
            m(d(&[("a", l(vec![]))]), d(&[("a", l(vec![i(1)]))])),
            r#"{"a":[1]}"#
        );
        assert_eq!(
            m(d(&[("a", s(""))]), d(&[("a", l(vec![i(1)]))])),
            r#"{"a":[1]}"#
        );
        assert_eq!(
            m(d(&[("a", s("x"))]), d(&[("a", l(vec![i(1)]))])),
            r#"{"a":"x"}"#
        );
        // e, f: map vs list
        let q = || d(&[("q", i(1))]);
        assert_eq!(
            m(d(&[("a", q())]), d(&[("a", l(vec![i(1)]))])),
            r#"{"a":{"q":1}}"#
        );
        assert_eq!(
            mo(d(&[("a", q())]), d(&[("a", l(vec![i(1)]))])),
            r#"{"a":[1]}"#
        );
        assert_eq!(
            m(d(&[("a", l(vec![i(1)]))]), d(&[("a", q())])),
            r#"{"a":[1]}"#
        );
        assert_eq!(
            mo(d(&[("a", l(vec![i(1)]))]), d(&[("a", q())])),
            r#"{"a":{"q":1}}"#
        );
        // g, h, i
        assert_eq!(
            m(d(&[("a", Value::Nil)]), d(&[("a", q())])),
            r#"{"a":{"q":1}}"#
        );
        assert_eq!(
            mo(d(&[("a", Value::Nil)]), d(&[("a", q())])),
            r#"{"a":{"q":1}}"#
        );
        assert_eq!(m(d(&[("a", i(0))]), d(&[("a", q())])), r#"{"a":{"q":1}}"#);
        assert_eq!(mo(d(&[("a", i(5))]), d(&[("a", d(&[]))])), r#"{"a":{}}"#);
        assert_eq!(mo(d(&[("a", q())]), d(&[("a", s("s"))])), r#"{"a":"s"}"#);
        assert_eq!(
            mo(d(&[("a", q())]), d(&[("a", d(&[]))])),
            r#"{"a":{"q":1}}"#
        );
        // j, k: deeper nesting and nil source values
        let dst = || d(&[("a", d(&[("b", d(&[("c", i(1)), ("d", i(0))]))]))]);
        assert_eq!(
            m(
                dst(),
                d(&[(
                    "a",
                    d(&[
                        ("b", d(&[("c", i(2)), ("d", i(3)), ("e", Value::Nil)])),
                        ("x", Value::Nil)
                    ])
                )])
            ),
            r#"{"a":{"b":{"c":1,"d":3}}}"#
        );
        assert_eq!(
            mo(
                dst(),
                d(&[(
                    "a",
                    d(&[
                        ("b", d(&[("c", i(2)), ("e", Value::Nil)])),
                        ("x", Value::Nil)
                    ])
                )])
            ),
            r#"{"a":{"b":{"c":2,"d":0,"e":null},"x":null}}"#
        );
        assert_eq!(m(d(&[]), d(&[("a", Value::Nil)])), "{}");
        // l: merging .Values in place
        let vals = values_map(&[("v", d(&[("w", i(1))]))]);
        assert_eq!(m(d(&[("a", i(1))]), vals.clone()), r#"{"a":1,"v":{"w":1}}"#);
        let _ = ok("merge", &[vals.clone(), d(&[("zz", i(1))])]);
        assert_eq!(j(&vals), r#"{"v":{"w":1},"zz":1}"#);
        // m, n: empty lists and empty strings
        assert_eq!(
            mo(d(&[("a", l(vec![i(1), i(2)]))]), d(&[("a", l(vec![]))])),
            r#"{"a":[]}"#
        );
        assert_eq!(
            m(d(&[("a", l(vec![i(1), i(2)]))]), d(&[("a", l(vec![]))])),
            r#"{"a":[1,2]}"#
        );
        assert_eq!(m(d(&[]), d(&[("a", l(vec![]))])), r#"{"a":[]}"#);
        assert_eq!(
            m(d(&[("b", i(1))]), d(&[("a", l(vec![]))])),
            r#"{"a":[],"b":1}"#
        );
        assert_eq!(m(d(&[("a", d(&[]))]), d(&[("a", d(&[]))])), r#"{"a":{}}"#);
        assert_eq!(m(d(&[]), d(&[("a", s(""))])), r#"{"a":""}"#);
        assert_eq!(
            m(d(&[("a", Value::Bool(false))]), d(&[("a", s(""))])),
            r#"{"a":""}"#
        );
        // nil maps
        assert_eq!(m(Value::Nil, d(&[("a", i(1))])), r#"{"a":1}"#);
        assert_eq!(mo(Value::Nil, d(&[("a", i(1))])), r#"{"a":1}"#);
        assert_eq!(m(d(&[("a", i(1))]), Value::Nil), r#"{"a":1}"#);
        assert_eq!(m(Value::Nil, Value::Nil), "null");
    }

    /// A stand-in for a pointer-to-struct object such as `.Capabilities`.
    struct Caps;
    impl crate::engine::Object for Caps {
        fn type_name(&self) -> &str {
            "*common.Capabilities"
        }
        fn write_v(&self, out: &mut String, _plus: bool) {
            out.push_str("&{caps}");
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn merge_with_typed_maps_and_objects_matches_helm() {
        // Each expectation below was rendered by Helm v4.2.3.
        let split = |pairs: &[(&str, &str)]| {
            Value::Map(Map::typed(
                types::STRING_MAP,
                pairs.iter().map(|(k, v)| ((*k).into(), s(v))).collect(),
            ))
        };
        let xy = || split(&[("_0", "x"), ("_1", "y")]);
        assert_eq!(
            err("merge", &[d(&[("a", xy())]), d(&[("a", d(&[("_0", i(1)), ("z", i(2))]))])]),
            "reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string"
        );
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[("a", xy())]), d(&[("a", d(&[("_0", i(1))]))])]
            ),
            r#"{"a":{"_0":"x","_1":"y"}}"#
        );
        assert_eq!(
            merge_j(
                "mergeOverwrite",
                &[d(&[("a", xy())]), d(&[("a", split(&[("_0", "p")]))])]
            ),
            r#"{"a":{"_0":"p","_1":"y"}}"#
        );
        assert_eq!(
            merge_j(
                "merge",
                &[d(&[("a", d(&[("q", i(1))]))]), d(&[("a", xy())])]
            ),
            r#"{"a":{"_0":"x","_1":"y","q":1}}"#
        );
        let caps = || Value::object(Caps);
        let x1 = || d(&[("x", i(1))]);
        assert_eq!(
            j(&ok("merge", &[d(&[("a", caps())]), d(&[("a", x1())])])),
            r#""""#
        );
        assert_eq!(
            err("mustMerge", &[d(&[("a", caps())]), d(&[("a", x1())])]),
            "src and dst must be of same type"
        );
        assert_eq!(
            merge_j("mergeOverwrite", &[d(&[("a", caps())]), d(&[("a", x1())])]),
            r#"{"a":{"x":1}}"#
        );
        let r = ok("merge", &[d(&[("a", x1())]), d(&[("a", caps())])]);
        assert_eq!(
            r.as_map().unwrap().get("a").unwrap().type_name(),
            types::MAP
        );
        let r = ok("merge", &[d(&[("a", s(""))]), d(&[("a", caps())])]);
        assert_eq!(
            r.as_map().unwrap().get("a").unwrap().type_name(),
            "*common.Capabilities"
        );
        let r = ok("merge", &[d(&[("a", caps())]), d(&[("a", caps())])]);
        assert_eq!(
            r.as_map().unwrap().get("a").unwrap().type_name(),
            "*common.Capabilities"
        );
    }

    #[test]
    fn sprig_dict_merge_case() {
        // sprig-dict-merge, sprig-dict-merge-mutates
        let dst = || {
            d(&[
                ("a", i(1)),
                ("n", d(&[("x", i(1)), ("y", i(2))])),
                ("l", l(vec![i(1)])),
            ])
        };
        let src = d(&[
            ("a", i(9)),
            ("b", i(2)),
            ("n", d(&[("y", i(20)), ("z", i(30))])),
            ("l", l(vec![i(5), i(6)])),
        ]);
        let copy = ok("deepCopy", &[dst()]);
        assert_eq!(
            merge_j("merge", &[copy, src.clone()]),
            r#"{"a":1,"b":2,"l":[1],"n":{"x":1,"y":2,"z":30}}"#
        );
        let copy = ok("deepCopy", &[dst()]);
        assert_eq!(
            merge_j("mergeOverwrite", &[copy, src.clone()]),
            r#"{"a":9,"b":2,"l":[5,6],"n":{"x":1,"y":20,"z":30}}"#
        );
        assert_eq!(j(&src), r#"{"a":9,"b":2,"l":[5,6],"n":{"y":20,"z":30}}"#);
        let vals = values_map(&[
            (
                "base",
                d(&[
                    ("a", Value::Float(1.0)),
                    ("m", d(&[("x", Value::Float(1.0))])),
                ]),
            ),
            ("over", d(&[("m", d(&[("w", Value::Float(2.0))]))])),
        ]);
        let vm = vals.as_map().unwrap();
        let r = ok(
            "merge",
            &[d(&[]), vm.get("over").unwrap(), vm.get("base").unwrap()],
        );
        assert_eq!(j(&r), r#"{"a":1,"m":{"w":2,"x":1}}"#);
        let a = d(&[("x", i(1))]);
        let _ = ok("merge", &[a.clone(), d(&[("y", i(2))])]);
        assert_eq!(j(&a), r#"{"x":1,"y":2}"#);
    }

    #[test]
    fn merge_of_a_cyclic_map_stops() {
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        let v = Value::Map(m.clone());
        assert!(err("merge", &[v.clone(), v.clone()]).contains("nested more than"));
        assert!(err("deepCopy", std::slice::from_ref(&v)).contains("nested more than"));
        // and comparing cyclic maps terminates
        let m2 = Map::new();
        m2.insert("self", Value::Map(m2.clone()));
        assert!(v.deep_equal(&Value::Map(m2)));
    }

    #[test]
    fn deep_copy_is_independent() {
        // fn-deepCopy
        let orig = d(&[("k", s("v")), ("num", Value::Float(1.0))]);
        let c = ok("deepCopy", std::slice::from_ref(&orig));
        let _ = ok("set", &[c.clone(), s("added"), Value::Bool(true)]);
        assert_eq!(j(&c), r#"{"added":true,"k":"v","num":1}"#);
        assert_eq!(j(&orig), r#"{"k":"v","num":1}"#);
        assert_eq!(
            j(&ok(
                "deepCopy",
                &[l(vec![i(1), d(&[("a", l(vec![i(2)]))])])]
            )),
            r#"[1,{"a":[2]}]"#
        );
        assert_eq!(j(&ok("deepCopy", &[s("s")])), r#""s""#);
        assert_eq!(j(&ok("deepCopy", &[l(vec![])])), "[]");
        assert_eq!(
            ok("deepCopy", &[values_map(&[])]).type_name(),
            types::VALUES
        );
        assert_eq!(
            j(&ok("deepCopy", &[d(&[("a", Value::Nil)])])),
            r#"{"a":null}"#
        );
        let nil_list = Value::List(List::nil(types::LIST));
        assert_eq!(j(&ok("deepCopy", std::slice::from_ref(&nil_list))), "null");
        assert_eq!(
            j(&ok("deepCopy", &[d(&[("a", nil_list)])])),
            r#"{"a":null}"#
        );
        // fn-mustDeepCopy
        assert_eq!(
            j(&ok("mustDeepCopy", &[d(&[("a", l(vec![i(1), i(2)]))])])),
            r#"{"a":[1,2]}"#
        );
        // fn-deepCopy-err, fn-mustDeepCopy-err
        for name in ["deepCopy", "mustDeepCopy"] {
            assert_eq!(
                err(name, &[Value::Nil]),
                "reflect: call of reflect.Value.Type on zero Value"
            );
        }
    }
}
