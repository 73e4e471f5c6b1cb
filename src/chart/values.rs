//! Values coalescing (Helm's pkg/chart/common/util/coalesce.go) and the render values
//! (`ToRenderValues`): user values over chart defaults over subchart defaults, globals copied down,
//! `null` deleting keys, and Helm's warnings for type mismatches.

use crate::engine::value::types;
use crate::engine::{Map, Value};

use super::model::Chart;

const GLOBAL_KEY: &str = "global";

/// Warnings Helm prints with `log.Printf` while coalescing ("warning: skipped value for …").
pub type Warnings = Vec<String>;

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn as_table(v: &Value) -> Option<&Map> {
    match v {
        Value::Map(m) if m.ty() == types::MAP || m.ty() == types::VALUES => Some(m),
        _ => None,
    }
}

fn istable(v: &Value) -> bool {
    as_table(v).is_some()
}

/// Helm's CoalesceValues: a deep copy of `vals` coalesced with the chart's defaults. Err when a
/// subchart's values are not a table ("type mismatch on sub: …"); the values coalesced so far
/// come with it, as Helm's do.
pub fn coalesce_values(chart: &Chart, vals: &Map, warnings: &mut Warnings) -> Result<Map, String> {
    let copy = match Value::Map(vals.clone()).deep_copy() {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    coalesce(chart, &copy, "", false, warnings)?;
    Ok(copy)
}

/// Helm's MergeValues: like coalesce_values but keeps nulls.
pub fn merge_values(chart: &Chart, vals: &Map, warnings: &mut Warnings) -> Result<Map, String> {
    let copy = match Value::Map(vals.clone()).deep_copy() {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    coalesce(chart, &copy, "", true, warnings)?;
    Ok(copy)
}

fn coalesce(
    ch: &Chart,
    dest: &Map,
    prefix: &str,
    merge: bool,
    w: &mut Warnings,
) -> Result<(), String> {
    coalesce_chart_values(ch, dest, prefix, merge, w);
    coalesce_deps(ch, dest, prefix, merge, w)
}

fn coalesce_deps(
    ch: &Chart,
    dest: &Map,
    prefix: &str,
    merge: bool,
    w: &mut Warnings,
) -> Result<(), String> {
    for sub in &ch.dependencies {
        let name = sub.name();
        let dv = match dest.get(name) {
            None => {
                let m = Map::new();
                dest.insert(name, Value::Map(m.clone()));
                m
            }
            Some(v) => match as_table(&v) {
                Some(m) => m.clone(),
                None => {
                    return Err(format!(
                        "type mismatch on {name}: {}",
                        crate::engine::printf::sprintf("%t", &[v])
                    ))
                }
            },
        };
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(&dv, dest, &sub_prefix, w);
        coalesce(sub, &dv, &sub_prefix, merge, w)?;
    }
    Ok(())
}

fn coalesce_globals(dest: &Map, src: &Map, prefix: &str, w: &mut Warnings) {
    let dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match as_table(&v) {
            Some(m) => m.clone(),
            None => {
                w.push(format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match as_table(&v) {
            Some(m) => m.clone(),
            None => {
                w.push(format!(
                    "warning: skipping globals because source {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    for (key, val) in sg.entries() {
        if let Some(vm) = as_table(&val) {
            let vv = vm.shallow_copy();
            match dg.get(&key) {
                None => dg.insert(key, Value::Map(vv)),
                Some(destv) => match as_table(&destv) {
                    None => w.push(format!(
                        "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                    )),
                    Some(destvmap) => {
                        let sub_prefix = concat_prefix(prefix, &key);
                        coalesce_tables_full_key(&vv, destvmap, &sub_prefix, true, w);
                        dg.insert(key, Value::Map(vv));
                    }
                },
            }
        } else if dg.get(&key).is_some_and(|dv| istable(&dv)) {
            w.push(format!("key {key} is table. Skipping"));
        } else {
            dg.insert(key, val);
        }
    }
    dest.insert(GLOBAL_KEY, Value::Map(dg));
}

fn coalesce_chart_values(ch: &Chart, v: &Map, prefix: &str, merge: bool, w: &mut Warnings) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    let vc = match Value::Map(ch.values.clone()).deep_copy() {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    for (key, val) in vc.entries() {
        match v.get(&key) {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.remove(&key);
                } else if let Some(dest) = as_table(&value) {
                    match as_table(&val) {
                        None => {
                            if !val.is_nil() {
                                w.push(format!(
                                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                                ));
                            }
                        }
                        Some(src) => {
                            let merge = merge || ch.dependencies.iter().any(|d| d.name() == &*key);
                            if !merge {
                                clean_nil_values(src);
                            }
                            coalesce_tables_full_key(
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                                w,
                            );
                        }
                    }
                }
            }
            None => {
                if !merge {
                    if val.is_nil() {
                        continue;
                    }
                    if let Some(sub) = as_table(&val) {
                        clean_nil_values(sub);
                    }
                }
                v.insert(key, val);
            }
        }
    }
}

/// Helm's CoalesceTables: `dst` wins; `src` fills in.
pub fn coalesce_tables(dst: &Map, src: &Map, w: &mut Warnings) {
    coalesce_tables_full_key(dst, src, "", false, w)
}

/// Helm's MergeTables.
pub fn merge_tables(dst: &Map, src: &Map, w: &mut Warnings) {
    coalesce_tables_full_key(dst, src, "", true, w)
}

fn coalesce_tables_full_key(dst: &Map, src: &Map, prefix: &str, merge: bool, w: &mut Warnings) {
    let src_original_non_nil: std::collections::HashSet<_> = src
        .entries()
        .into_iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, _)| k)
        .collect();
    for (key, val) in dst.entries() {
        if val.is_nil() {
            src.insert(key, Value::Nil);
        }
    }
    for (key, val) in src.entries() {
        let full_key = concat_prefix(prefix, &key);
        let dv = dst.get(&key);
        match dv {
            Some(ref d) if !merge && d.is_nil() && src_original_non_nil.contains(&key) => {
                dst.remove(&key);
            }
            None => dst.insert(key, val),
            Some(d) => {
                if let Some(vm) = as_table(&val) {
                    match as_table(&d) {
                        Some(dm) => coalesce_tables_full_key(dm, vm, &full_key, merge, w),
                        None => w.push(format!(
                            "warning: cannot overwrite table with non table for {full_key} ({})",
                            val.to_v()
                        )),
                    }
                } else if istable(&d) && !val.is_nil() {
                    w.push(format!(
                        "warning: destination for {full_key} is a table. Ignoring non-table value ({})",
                        val.to_v()
                    ));
                }
            }
        }
    }
}

fn clean_nil_values(m: &Map) {
    for (key, val) in m.entries() {
        if val.is_nil() {
            m.remove(&key);
        } else if let Some(sub) = as_table(&val) {
            clean_nil_values(sub);
        }
    }
}

/// common.Values.Table: the map at a dotted path (`Values.sub`), if every step is a map.
pub fn table(vals: &Map, path: &str) -> Option<Map> {
    table_lookup(vals, path).ok()
}

/// common.Values.Table with its error: `"part" is not a table` for the first step that is
/// missing or not a map.
pub fn table_lookup(vals: &Map, path: &str) -> Result<Map, String> {
    let mut cur = vals.clone();
    for part in path.split('.') {
        let not_table = || format!("{} is not a table", crate::engine::printf::quote(part));
        let next = cur.get(part).ok_or_else(not_table)?;
        cur = as_table(&next).ok_or_else(not_table)?.clone();
    }
    Ok(cur)
}

/// common.Values.PathValue: the non-table value at a dotted path; Err is ErrNoValue's text
/// (`"key" is not a value`), or "YAML path cannot be empty".
pub fn path_value(vals: &Map, path: &str) -> Result<Value, String> {
    if path.is_empty() {
        return Err("YAML path cannot be empty".into());
    }
    let parts: Vec<&str> = path.split('.').collect();
    let no_value = |k: &str| format!("{} is not a value", crate::engine::printf::quote(k));
    if parts.len() == 1 {
        return match vals.get(parts[0]) {
            Some(v) if !istable(&v) => Ok(v),
            _ => Err(no_value(parts[0])),
        };
    }
    let (key, init) = parts.split_last().unwrap_or((&"", &[]));
    let t = table_lookup(vals, &init.join(".")).map_err(|_| no_value(key))?;
    match t.get(key) {
        Some(v) if !istable(&v) => Ok(v),
        _ => Err(no_value(key)),
    }
}

/// The CLI's mergeMaps: `b` over `a`, nested maps merged, everything else replaced (how several
/// `-f` files and `--set` layers combine before coalescing).
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = a.shallow_copy();
    for (k, v) in b.entries() {
        if let Some(vm) = as_table(&v) {
            if let Some(bv) = out.get(&k) {
                if let Some(bm) = as_table(&bv) {
                    out.insert(k, Value::Map(merge_maps(bm, vm)));
                    continue;
                }
            }
        }
        out.insert(k, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Map {
        let m = Map::new();
        for (k, v) in pairs {
            m.insert(*k, v.clone());
        }
        m
    }

    #[test]
    fn user_values_win_and_null_deletes() {
        let chart = Chart {
            values: map(&[
                ("a", Value::Float(1.0)),
                ("b", Value::Float(2.0)),
                (
                    "t",
                    Value::Map(map(&[("x", Value::Float(1.0)), ("y", Value::Float(2.0))])),
                ),
            ]),
            ..Default::default()
        };
        let user = map(&[
            ("a", Value::Float(10.0)),
            ("b", Value::Nil),
            ("t", Value::Map(map(&[("y", Value::Nil)]))),
        ]);
        let mut w = Vec::new();
        let out = coalesce_values(&chart, &user, &mut w).unwrap();
        assert_eq!(Value::Map(out).to_v(), "map[a:10 t:map[x:1]]");
    }

    #[test]
    fn type_mismatch_warns_like_helm() {
        let mut chart = Chart {
            values: map(&[("t", Value::Map(map(&[("x", Value::Float(1.0))])))]),
            ..Default::default()
        };
        chart.metadata.name = "demo".into();
        let user = map(&[("t", Value::str("flat"))]);
        let mut w = Vec::new();
        let out = coalesce_values(&chart, &user, &mut w).unwrap();
        assert_eq!(Value::Map(out).to_v(), "map[t:flat]");
        assert!(w.is_empty());
        let user = map(&[("t", Value::Map(map(&[("x", Value::Float(2.0))])))]);
        let chart2 = Chart {
            values: map(&[("t", Value::str("flat"))]),
            metadata: chart.metadata.clone(),
            ..Default::default()
        };
        let mut w = Vec::new();
        coalesce_values(&chart2, &user, &mut w).unwrap();
        assert_eq!(
            w,
            vec!["warning: skipped value for demo.t: Not a table.".to_string()]
        );
    }
}
