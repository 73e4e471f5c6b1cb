//! Dependencies at render time (Helm's pkg/chart/v2/util/dependencies.go, ProcessDependencies):
//! subcharts matched to their Chart.yaml entries (version ranges, `alias` copies), `tags` and
//! `condition` deciding which stay enabled, disabled ones removed from the chart and from
//! `.Chart.Dependencies`, then `import-values` (the `exports` shorthand and child/parent pairs)
//! merged into each parent's values, children first.
//!
//! Helm logs through slog while doing this; the warnings come back as the lines Helm's CLI prints
//! (`level=WARN msg="returned non-bool value" path=… chart=…`).

use crate::engine::value::types;
use crate::engine::{Map, Value};

use super::model::{Chart, Dependency};
use super::semver::is_compatible_range;
use super::values::{self, Warnings};

/// slog's TextHandler quoting rule for a value.
fn needs_quoting(s: &str) -> bool {
    s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c != '\\' && (c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20 || c == '\x7f')
            } else {
                c == '\u{FFFD}' || c.is_whitespace() || !crate::engine::printf::is_print(c)
            }
        })
}

fn slog_value(s: &str) -> String {
    if needs_quoting(s) {
        crate::engine::printf::quote(s)
    } else {
        s.to_string()
    }
}

/// A line as Helm's CLI logger (slog TextHandler without time) prints it.
pub fn slog_line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut out = format!("level={level} msg={}", slog_value(msg));
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push('=');
        out.push_str(&slog_value(v));
    }
    out
}

/// Helm's ProcessDependencies: enables/disables subcharts from `vals` (the user values) and
/// imports values from children into parents. Mutates `chart` like Helm does.
pub fn process_dependencies(
    chart: &mut Chart,
    vals: &Map,
    warnings: &mut Warnings,
) -> Result<(), String> {
    process_enabled(chart, vals, "", warnings)?;
    process_import_values_rec(chart, warnings)?;
    // Aliased copies carry their new names; recompute the paths templates see.
    if chart.is_root {
        chart.set_root();
    }
    Ok(())
}

/// Helm's checkIfInstallable (install/template): only application charts install.
pub fn check_installable(chart: &Chart) -> Result<(), String> {
    match chart.metadata.type_.as_str() {
        "" | "application" => Ok(()),
        other => Err(format!("{other} charts are not installable")),
    }
}

/// Helm's action.CheckDependencies: every dependency declared in Chart.yaml must be present under
/// charts/ (by name). `helm install/template` put [`CHECK_DEPENDENCIES_HINT`] before the error.
pub fn check_dependencies(chart: &Chart) -> Result<(), String> {
    let missing: Vec<&str> = chart
        .meta_dependencies()
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    ))
}

/// What `helm install/template` say before a CheckDependencies error.
pub const CHECK_DEPENDENCIES_HINT: &str = "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: ";

/// getAliasDependency: a copy of the chart `dep` names (if its version fits the range), renamed
/// to the alias.
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    for c in charts {
        if c.name() != dep.name {
            continue;
        }
        if !is_compatible_range(&dep.version, &c.metadata.version) {
            continue;
        }
        let mut out = c.clone();
        if !dep.alias.is_empty() {
            out.metadata.name = dep.alias.clone();
        }
        return Some(out);
    }
    None
}

fn process_enabled(
    c: &mut Chart,
    v: &Map,
    path: &str,
    warnings: &mut Warnings,
) -> Result<(), String> {
    let Some(mut reqs) = c.metadata.dependencies.take() else {
        return Ok(());
    };
    let existing = std::mem::take(&mut c.dependencies);
    let mut chart_deps: Vec<Chart> = Vec::new();
    // Charts in charts/ that no Chart.yaml entry claims stay as they are.
    for e in &existing {
        let claimed = reqs
            .iter()
            .any(|r| e.name() == r.name && is_compatible_range(&r.version, &e.metadata.version));
        if !claimed {
            chart_deps.push(e.clone());
        }
    }
    for req in reqs.iter_mut() {
        if let Some(d) = alias_dependency(&existing, req) {
            chart_deps.push(d);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for r in reqs.iter_mut() {
        r.enabled = true;
    }
    let cvals = match values::coalesce_values(c, v, warnings) {
        Ok(m) => m,
        Err(e) => {
            c.metadata.dependencies = Some(reqs);
            return Err(e);
        }
    };
    process_tags(&mut reqs, &cvals, warnings);
    process_conditions(&mut reqs, &cvals, path, warnings);
    let removed: Vec<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    let mut kept: Vec<Chart> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .filter(|d| !removed.iter().any(|n| n == d.name()))
        .collect();
    let kept_meta: Vec<Dependency> = reqs
        .into_iter()
        .filter(|r| !removed.contains(&r.name))
        .collect();
    for t in kept.iter_mut() {
        let subpath = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &subpath, warnings)?;
    }
    c.metadata.dependencies = Some(kept_meta);
    c.dependencies = kept;
    Ok(())
}

/// processDependencyTags: a chart with tags is disabled when all its tags that are set are
/// false, enabled when one is true or none is set.
fn process_tags(reqs: &mut [Dependency], cvals: &Map, warnings: &mut Warnings) {
    let Ok(vt) = values::table_lookup(cvals, "tags") else {
        return;
    };
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            if let Some(b) = vt.get(k) {
                match b {
                    Value::Bool(true) => has_true = true,
                    Value::Bool(false) => has_false = true,
                    _ => warnings.push(slog_line(
                        "WARN",
                        "returned non-bool value",
                        &[("tag", k), ("chart", &r.name)],
                    )),
                }
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

/// processDependencyConditions: the first condition path holding a bool decides.
fn process_conditions(reqs: &mut [Dependency], cvals: &Map, cpath: &str, warnings: &mut Warnings) {
    for r in reqs.iter_mut() {
        let condition = super::ignore::go_trim_space(&r.condition).to_string();
        for c in condition.split(',') {
            if c.is_empty() {
                continue;
            }
            match values::path_value(cvals, &format!("{cpath}{c}")) {
                Ok(Value::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Ok(_) => warnings.push(slog_line(
                    "WARN",
                    "returned non-bool value",
                    &[("path", c), ("chart", &r.name)],
                )),
                Err(e) if e.ends_with(" is not a value") => {}
                Err(e) => warnings.push(slog_line(
                    "WARN",
                    "the method PathValue returned error",
                    &[("error", &e)],
                )),
            }
        }
    }
}

/// pathToMap: `data` nested under a dotted path (`.` is the top).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let m = Map::new();
        m.insert(part, Value::Map(cur));
        cur = m;
    }
    cur
}

fn process_import_values_rec(c: &mut Chart, warnings: &mut Warnings) -> Result<(), String> {
    for d in c.dependencies.iter_mut() {
        process_import_values_rec(d, warnings)?;
    }
    process_import_values(c, warnings)
}

/// Go's `fmt.Sprintf("%v", x)` of an import-values field.
fn sprint(v: Option<Value>) -> String {
    match v {
        None => "<nil>".into(),
        Some(v) => crate::engine::printf::sprintf("%v", &[v]),
    }
}

/// processImportValues with merge=true (what ProcessDependencies uses).
fn process_import_values(c: &mut Chart, warnings: &mut Warnings) -> Result<(), String> {
    let Some(mut reqs) = c.metadata.dependencies.take() else {
        return Ok(());
    };
    let cvals = match values::merge_values(c, &Map::new(), warnings) {
        Ok(m) => m,
        Err(e) => {
            c.metadata.dependencies = Some(reqs);
            return Err(e);
        }
    };
    let b = Map::new();
    for r in reqs.iter_mut() {
        let mut out: Vec<Value> = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(iv) => {
                    let child = sprint(iv.get("child"));
                    let parent = sprint(iv.get("parent"));
                    let pair = Map::typed(types::STRING_MAP, Default::default());
                    pair.insert("child", Value::str(&child));
                    pair.insert("parent", Value::str(&parent));
                    out.push(Value::Map(pair));
                    match values::table_lookup(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => {
                            let src = path_to_map(&parent, as_map(vv));
                            values::merge_tables(&b, &src, warnings);
                        }
                        Err(e) => warnings.push(slog_line(
                            "WARN",
                            "ImportValues missing table from chart",
                            &[("chart", &r.name), ("error", &e)],
                        )),
                    }
                }
                Value::String(iv) => {
                    let child = format!("exports.{iv}");
                    let pair = Map::typed(types::STRING_MAP, Default::default());
                    pair.insert("child", Value::str(&child));
                    pair.insert("parent", Value::str("."));
                    out.push(Value::Map(pair));
                    match values::table_lookup(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => values::merge_tables(&b, &as_map(vm), warnings),
                        Err(e) => warnings.push(slog_line(
                            "WARN",
                            "ImportValues missing table",
                            &[("error", &e)],
                        )),
                    }
                }
                _ => {}
            }
        }
        r.import_values = out;
    }
    let copy = match Value::Map(cvals).deep_copy() {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    values::merge_tables(&copy, &b, warnings);
    c.values = copy;
    c.values_present = true;
    c.metadata.dependencies = Some(reqs);
    Ok(())
}

/// Values.AsMap: the same map seen as `map[string]interface{}`.
fn as_map(v: Map) -> Map {
    if v.ty() == types::MAP {
        v
    } else {
        v.with_type_shared(types::MAP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slog_lines_quote_like_go() {
        assert_eq!(
            slog_line(
                "WARN",
                "returned non-bool value",
                &[("path", "sub.enabled"), ("chart", "sub")]
            ),
            "level=WARN msg=\"returned non-bool value\" path=sub.enabled chart=sub"
        );
        assert_eq!(
            slog_line("WARN", "ImportValues missing table", &[("error", "\"exports\" is not a table")]),
            "level=WARN msg=\"ImportValues missing table\" error=\"\\\"exports\\\" is not a table\""
        );
        assert_eq!(
            slog_line("INFO", "x", &[("k", "")]),
            "level=INFO msg=x k=\"\""
        );
    }

    #[test]
    fn path_to_map_nests() {
        let d = Map::new();
        d.insert("x", Value::Float(1.0));
        assert_eq!(
            Value::Map(path_to_map("a.b", d.clone())).to_v(),
            "map[a:map[b:map[x:1]]]"
        );
        assert!(path_to_map(".", d.clone()).ptr_eq(&d));
    }
}
