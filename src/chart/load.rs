//! Loading charts (Helm's pkg/chart/loader): from an in-memory file map (the browser's
//! workspace) or a directory, with Chart.yaml parsed and validated in Helm's words.

use std::collections::BTreeMap;

use crate::engine::{Map, Value};

use super::model::{Chart, Dependency, File, Maintainer, Metadata};

/// A chart as files: path relative to the chart root → contents.
pub type FileMap = BTreeMap<String, Vec<u8>>;

/// Loads a chart (and the subcharts under charts/) from its files.
pub fn load_files(files: &FileMap) -> Result<Chart, String> {
    let mut chart = load_one(files)?;
    chart.set_root();
    Ok(chart)
}

fn load_one(files: &FileMap) -> Result<Chart, String> {
    let mut chart = Chart::default();
    let mut subdirs: BTreeMap<String, FileMap> = BTreeMap::new();
    let mut has_chart_yaml = false;
    for (name, data) in files {
        let name = name.trim_start_matches("./");
        match name {
            "Chart.yaml" => {
                has_chart_yaml = true;
                let text = String::from_utf8_lossy(data).into_owned();
                chart.metadata =
                    parse_metadata(&text).map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
                chart.raw_metadata = Some(text);
            }
            "values.yaml" => {
                let text = String::from_utf8_lossy(data).into_owned();
                // Helm's loader reads values.yaml with LoadValues (multi-document, merged).
                chart.values = crate::yaml::load_values(&text)
                    .map_err(|e| format!("cannot load values.yaml: {e}"))?;
                chart.raw_values = Some(text);
            }
            "values.schema.json" => chart.schema = Some(std::rc::Rc::from(data.as_slice())),
            "Chart.lock" => chart.lock = Some(File::new(name, data.clone())),
            _ if name.starts_with("templates/") => {
                chart.templates.push(File::new(name, data.clone()))
            }
            _ if name.starts_with("charts/") => {
                let rest = &name["charts/".len()..];
                match rest.split_once('/') {
                    Some((dir, inner)) => {
                        subdirs
                            .entry(dir.to_string())
                            .or_default()
                            .insert(inner.to_string(), data.clone());
                    }
                    None => {
                        // charts/*.tgz archives are unpacked by the archive loader; other files
                        // directly under charts/ are ignored, as Helm does.
                        if rest.ends_with(".tgz") || rest.ends_with(".tar.gz") {
                            let sub = super::archive::unpack(data)?;
                            chart.dependencies.push(load_one(&sub)?);
                        }
                    }
                }
            }
            _ => chart.files.push(File::new(name, data.clone())),
        }
    }
    if !has_chart_yaml {
        return Err("Chart.yaml file is missing".into());
    }
    validate(&chart.metadata).map_err(|e| format!("validation: {e}"))?;
    for (_, sub) in subdirs {
        chart.dependencies.push(load_one(&sub)?);
    }
    Ok(chart)
}

/// Reads a chart directory from disk (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &std::path::Path) -> Result<Chart, String> {
    let mut files = FileMap::new();
    read_dir_into(dir, dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    load_files(&files)
}

#[cfg(not(target_arch = "wasm32"))]
fn read_dir_into(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut FileMap,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            read_dir_into(root, &path, out)?;
        } else if ft.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(&path)?);
        }
    }
    Ok(())
}

/// Helm's ReadValues: YAML into a map; an empty document is an empty map.
pub fn parse_values(text: &str) -> Result<Map, String> {
    crate::yaml::parse_values(text).map_err(|e| e.to_string())
}

fn get_string(m: &Map, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Nil) | None => String::new(),
        Some(other) => other.to_v(),
    }
}

fn get_strings(m: &Map, key: &str) -> Vec<String> {
    match m.get(key) {
        Some(Value::List(l)) => l
            .iter()
            .map(|v| match v {
                Value::String(s) => s.to_string(),
                other => other.to_v(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Chart.yaml into Metadata (field names as Helm's JSON tags).
pub fn parse_metadata(text: &str) -> Result<Metadata, String> {
    let v = crate::yaml::parse(text).map_err(|e| e.to_string())?;
    let m = match v {
        Value::Map(m) => m,
        Value::Nil => Map::new(),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type v2.Metadata",
                json_kind(&other)
            ))
        }
    };
    let maintainers = match m.get("maintainers") {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|v| v.as_map().cloned())
            .map(|mm| Maintainer {
                name: get_string(&mm, "name"),
                email: get_string(&mm, "email"),
                url: get_string(&mm, "url"),
            })
            .collect(),
        _ => Vec::new(),
    };
    let annotations = match m.get("annotations") {
        Some(Value::Map(a)) => Some(
            a.entries()
                .into_iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        match v {
                            Value::String(s) => s.to_string(),
                            other => other.to_v(),
                        },
                    )
                })
                .collect(),
        ),
        _ => None,
    };
    let dependencies = match m.get("dependencies") {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|v| v.as_map().cloned())
            .map(|d| dependency_from(&d))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Metadata {
        name: get_string(&m, "name"),
        home: get_string(&m, "home"),
        sources: get_strings(&m, "sources"),
        version: get_string(&m, "version"),
        description: get_string(&m, "description"),
        keywords: get_strings(&m, "keywords"),
        maintainers,
        icon: get_string(&m, "icon"),
        api_version: get_string(&m, "apiVersion"),
        condition: get_string(&m, "condition"),
        tags: get_string(&m, "tags"),
        app_version: get_string(&m, "appVersion"),
        deprecated: matches!(m.get("deprecated"), Some(Value::Bool(true))),
        annotations,
        kube_version: get_string(&m, "kubeVersion"),
        dependencies,
        type_: get_string(&m, "type"),
    })
}

fn dependency_from(d: &Map) -> Dependency {
    Dependency {
        name: get_string(d, "name"),
        version: get_string(d, "version"),
        repository: get_string(d, "repository"),
        condition: get_string(d, "condition"),
        tags: get_strings(d, "tags"),
        enabled: matches!(d.get("enabled"), Some(Value::Bool(true))),
        import_values: match d.get("import-values") {
            Some(Value::List(l)) => l.to_vec(),
            _ => Vec::new(),
        },
        alias: get_string(d, "alias"),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(_) | Value::Int64(_) | Value::Uint(_) => "number",
        _ => "object",
    }
}

/// Helm's Metadata.Validate (the messages after "validation: ").
pub fn validate(md: &Metadata) -> Result<(), String> {
    if md.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    if md.name == "." || md.name == ".." {
        return Err(format!("chart.metadata.name {:?} is not allowed", md.name));
    }
    if md.name.contains('/') {
        return Err(format!("chart.metadata.name {:?} is invalid", md.name));
    }
    if md.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if !matches!(md.type_.as_str(), "" | "application" | "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    let mut seen = std::collections::HashSet::new();
    for d in &md.dependencies {
        let key = if d.alias.is_empty() {
            &d.name
        } else {
            &d.alias
        };
        if !seen.insert(key.clone()) {
            return Err(format!(
                "more than one dependency with name or alias {key:?}"
            ));
        }
    }
    Ok(())
}
