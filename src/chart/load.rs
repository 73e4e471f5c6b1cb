//! Loading charts (Helm's pkg/chart/v2/loader and the apiVersion switch of pkg/chart/loader):
//! from an in-memory directory (the browser's workspace, with `.helmignore` applied like
//! LoadDir), from a `.tgz`, or from a directory on disk — Chart.yaml, requirements.yaml,
//! Chart.lock, values.yaml (every YAML document merged), values.schema.json, templates/, charts/
//! (folders and archives), and everything else as `.Files` — with Helm's error texts.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::engine::{Map, Value};

use super::archive;
use super::chartfile;
use super::ignore::{self, Rules};
use super::memo::TextMemo;
use super::model::{Chart, File, Metadata};

/// A chart as files: path relative to the chart root → contents.
pub type FileMap = BTreeMap<String, Vec<u8>>;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Helm's LoadDir over an in-memory directory: `.helmignore` rules (plus `templates/.?*`) decide
/// which files exist, files come in the order a directory walk visits them, a UTF-8 BOM is
/// trimmed, then LoadFiles. Subchart folders under charts/ load as part of this chart.
pub fn load_files(files: &FileMap) -> Result<Chart, String> {
    let mut names: Vec<&String> = files.keys().collect();
    names.sort_stable_by(|a, b| walk_order(a, b));
    let kept = kept_files(files.get(ignore::HELM_IGNORE).map(Vec::as_slice), &names)?;
    let mut out = Vec::new();
    for (name, keep) in names.into_iter().zip(kept) {
        if !keep {
            continue;
        }
        let rel = name.trim_start_matches("./");
        let data = &files[name];
        if data.len() as u64 > archive::MAX_DECOMPRESSED_FILE_SIZE {
            return Err(format!(
                "chart file {} is larger than the maximum file size {}",
                crate::engine::printf::quote(ignore::go_base(rel)),
                archive::MAX_DECOMPRESSED_FILE_SIZE
            ));
        }
        let data = data.strip_prefix(BOM).unwrap_or(data);
        out.push(File::new(rel, data.to_vec()));
    }
    load_buffered(out)
}

/// Which of `names` (in walk order) `.helmignore` (plus Helm's default rule) keeps; remembered
/// by the rules and the names, which an edit of a file's contents leaves as they were.
fn kept_files(helmignore: Option<&[u8]>, names: &[&String]) -> Result<Vec<bool>, String> {
    let decide = |_: &str| -> Result<Vec<bool>, String> {
        let mut rules = match helmignore {
            Some(data) => Rules::parse(data)?,
            None => Rules::empty(),
        };
        rules.add_defaults();
        Ok(names
            .iter()
            .map(|name| {
                let rel = name.trim_start_matches("./");
                !rel.is_empty() && !ignore::ignored_with_parents(&rules, rel)
            })
            .collect())
    };
    let rules_text = match helmignore.map(std::str::from_utf8) {
        Some(Ok(t)) => t,
        None => "",
        // rules that are not UTF-8 are rare: decided each time
        Some(Err(_)) => return decide(""),
    };
    // every part with its length, so that no two (rules, names) give the same key; a chart
    // without .helmignore differs from one with an empty .helmignore in the names
    let mut key = String::with_capacity(rules_text.len() + names.len() * 32);
    for part in std::iter::once(rules_text).chain(names.iter().map(|n| n.as_str())) {
        key.push_str(&part.len().to_string());
        key.push(':');
        key.push_str(part);
    }
    KEPT_MEMO.with(|m| m.borrow_mut().get_or(&key, decide))
}

/// The order filepath.Walk visits paths: entries of a directory sorted by name, a directory's
/// contents right after it (so `a/b` comes before `a.txt`).
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Helm's LoadArchive: a chart from `.tgz` bytes (no `.helmignore`: archives load as they are).
pub fn load_archive(data: &[u8]) -> Result<Chart, String> {
    load_buffered(archive::load_archive_files(data)?)
}

/// Helm's LoadFiles: a chart from its files (paths relative to the chart root, in load order).
pub fn load_buffered(files: Vec<File>) -> Result<Chart, String> {
    let mut chart = load_inner(files)?;
    chart.set_root();
    Ok(chart)
}

fn load_inner(files: Vec<File>) -> Result<Chart, String> {
    let mut c = Chart::default();
    let mut metadata: Option<Metadata> = None;
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in &files {
        c.raw.push(f.clone());
        if f.name == "Chart.yaml" {
            let md = metadata.get_or_insert(decode_chart_yaml(&f.text())?);
            if md.api_version.is_empty() {
                md.api_version = "v1".into();
            }
        }
    }
    for f in files {
        match f.name.as_str() {
            "Chart.yaml" => {}
            "Chart.lock" => {
                c.lock = Some(
                    chartfile::parse_lock(&f.text())
                        .map_err(|e| format!("cannot load Chart.lock: {e}"))?,
                );
            }
            "values.yaml" => {
                c.values = load_values_memo(&f.text())
                    .map_err(|e| format!("cannot load values.yaml: {e}"))?;
                c.values_present = true;
            }
            "values.schema.json" => c.schema = Some(f.data.clone()),
            "requirements.yaml" => {
                let md = metadata.get_or_insert_with(Metadata::default);
                if md.api_version != "v1" {
                    c.warnings.push("Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.".into());
                }
                chartfile::decode_metadata_into(md, &f.text())
                    .map_err(|e| format!("cannot load requirements.yaml: {e}"))?;
                if md.api_version == "v1" {
                    c.files.push(f);
                }
            }
            "requirements.lock" => {
                c.lock = Some(
                    chartfile::parse_lock(&f.text())
                        .map_err(|e| format!("cannot load requirements.lock: {e}"))?,
                );
                let md = metadata.get_or_insert_with(Metadata::default);
                if md.api_version != "v1" {
                    c.warnings.push("Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.".into());
                }
                if md.api_version == "v1" {
                    c.files.push(f);
                }
            }
            n if n.starts_with("templates/") => c.templates.push(f),
            n if n.starts_with("charts/") => {
                if go_ext(n) == ".prov" {
                    c.files.push(f);
                    continue;
                }
                let fname = n["charts/".len()..].to_string();
                let cname = fname.split('/').next().unwrap_or("").to_string();
                subcharts.entry(cname).or_default().push(File {
                    name: fname,
                    data: f.data,
                });
            }
            _ => c.files.push(f),
        }
    }
    let Some(mut md) = metadata else {
        return Err("Chart.yaml file is missing".into());
    };
    chartfile::validate(&mut md).map_err(|e| format!("validation: {e}"))?;
    c.metadata = md;
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let sc = if go_ext(&n) == ".tgz" {
            let Some(file) = files.first() else {
                continue;
            };
            if file.name != n {
                return Err(format!(
                    "error unpacking subchart tar in {}: expected {n}, got {}",
                    c.name(),
                    file.name
                ));
            }
            archive::load_archive_files(&file.data).and_then(load_inner)
        } else {
            let buff: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.name.split_once('/')?;
                    Some(File {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_inner(buff)
        };
        match sc {
            Ok(sc) => c.dependencies.push(sc),
            Err(e) => return Err(format!("error unpacking subchart {n} in {}: {e}", c.name())),
        }
    }
    Ok(c)
}

thread_local! {
    /// Chart.yaml and values.yaml by text: a playground re-loads the chart on every edit and
    /// most edits leave both as they were.
    static CHART_YAML_MEMO: RefCell<TextMemo<Result<Metadata, String>>> = RefCell::new(TextMemo::default());
    static VALUES_MEMO: RefCell<TextMemo<Result<Map, String>>> = RefCell::new(TextMemo::default());
    static KEPT_MEMO: RefCell<TextMemo<Result<Vec<bool>, String>>> = RefCell::new(TextMemo::default());
}

/// Chart.yaml decoded into fresh metadata (the first file a chart's walk reads), with Helm's
/// error text.
fn decode_chart_yaml(text: &str) -> Result<Metadata, String> {
    let md = CHART_YAML_MEMO.with(|m| {
        m.borrow_mut().get_or(text, |t| {
            let mut md = Metadata::default();
            chartfile::decode_metadata_into(&mut md, t)
                .map(|()| md)
                .map_err(|e| format!("cannot load Chart.yaml: {e}"))
        })
    })?;
    // the remembered values are never handed out: the chart may change its own copy
    Ok(Metadata {
        dependencies: md.dependencies.map(|deps| {
            deps.into_iter()
                .map(|mut d| {
                    d.import_values = d.import_values.iter().map(Value::deep_copy).collect();
                    d
                })
                .collect()
        }),
        ..md
    })
}

/// [`load_values`] remembered by text; each call gets its own copy of the maps.
fn load_values_memo(text: &str) -> Result<Map, String> {
    let vals = VALUES_MEMO.with(|m| m.borrow_mut().get_or(text, load_values))?;
    match Value::Map(vals).deep_copy() {
        Value::Map(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

/// filepath.Ext: the suffix from the last dot of the last element.
fn go_ext(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(i) => &name[base_start + i..],
        None => "",
    }
}

/// Helm's loader.LoadValues (values.yaml, `-f` files): every YAML document of `text` decoded
/// into a map, later documents merged over earlier ones.
pub fn load_values(text: &str) -> Result<Map, String> {
    crate::yaml::load_values(text).map_err(|e| e.to_string())
}

/// Helm's chartutil.ReadValues: one YAML document into values (an empty document is an empty
/// map). Helm reads user `-f` files and chart values with [`load_values`] instead.
pub fn parse_values(text: &str) -> Result<Map, String> {
    crate::yaml::parse_values(text).map_err(|e| e.to_string())
}

/// The apiVersion check of Helm's top-level loader (pkg/chart/loader) and install action, for
/// `helm template`/`install` on a chart: v1, v2 or none load as v2 charts; v3 is Helm 4's
/// internal chart format that these commands reject; anything else is unsupported.
pub fn check_cli_api_version(chart_yaml: &str) -> Result<(), String> {
    let doc = crate::yaml::parse(chart_yaml).map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
    let api = match &doc {
        Value::Map(m) => match m.get("apiVersion") {
            Some(Value::String(s)) => s.to_string(),
            Some(Value::Nil) | None => String::new(),
            Some(other) => {
                return Err(format!(
                    "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field chartBase.apiVersion of type string",
                    match other {
                        Value::List(_) => "array",
                        Value::Map(_) => "object",
                        Value::Bool(_) => "bool",
                        _ => "number",
                    }
                ))
            }
        },
        _ => String::new(),
    };
    match api.as_str() {
        "" | "v1" | "v2" => Ok(()),
        "v3" => Err("invalid chart apiVersion".into()),
        _ => Err("unsupported chart version".into()),
    }
}

/// Reads a chart directory or `.tgz` from disk (native only), like Helm's loader.Load.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_path(path: &std::path::Path) -> Result<Chart, String> {
    let meta = std::fs::metadata(path).map_err(|e| go_stat_error(path, &e))?;
    if meta.is_dir() {
        let chart_yaml = path.join("Chart.yaml");
        let text = std::fs::read(&chart_yaml).map_err(|e| {
            format!(
                "unable to detect chart at {}: open {}: {}",
                chart_yaml.display(),
                chart_yaml.display(),
                go_io_error(&e)
            )
        })?;
        check_cli_api_version(&String::from_utf8_lossy(&text))?;
        return load_dir(path);
    }
    let data = std::fs::read(path).map_err(|e| go_stat_error(path, &e))?;
    load_chart_file(&path.display().to_string(), &data)
}

/// Helm's loader.LoadFile for `helm template/install NAME FILE`: the file must be a gzip
/// archive (with Helm's hints when it is not), and its Chart.yaml's apiVersion one the CLI
/// installs. `name` is the path as given, for the messages.
pub fn load_chart_file(name: &str, data: &[u8]) -> Result<Chart, String> {
    if !(data.starts_with(&[0x1f, 0x8b, 0x08])) {
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            return Err(format!(
                "file '{name}' seems to be a YAML file, but expected a gzipped archive"
            ));
        }
        return Err(format!(
            "file '{name}' does not appear to be a gzipped archive; got '{}'",
            sniff_content_type(data)
        ));
    }
    let files = archive::load_archive_files(data).map_err(|e| {
        if e == archive::ERR_GZIP_HEADER {
            format!("file '{name}' does not appear to be a valid chart file (details: {e})")
        } else {
            "unable to load chart archive".to_string()
        }
    })?;
    match files.iter().find(|f| f.name == "Chart.yaml") {
        Some(f) => check_cli_api_version(&f.text())?,
        None => return Err("unable to detect chart version, no Chart.yaml found".into()),
    }
    load_buffered(files)
}

/// http.DetectContentType for the cases a chart path can hit.
fn sniff_content_type(data: &[u8]) -> &'static str {
    let head = &data[..data.len().min(512)];
    if head.is_empty() {
        return "text/plain; charset=utf-8";
    }
    if head.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    if std::str::from_utf8(head).is_ok()
        && !head.iter().any(|&b| b < 0x09 || (0x0e..0x20).contains(&b))
    {
        return "text/plain; charset=utf-8";
    }
    "application/octet-stream"
}

#[cfg(not(target_arch = "wasm32"))]
fn go_io_error(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "input/output error",
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn go_stat_error(path: &std::path::Path, e: &std::io::Error) -> String {
    format!("stat {}: {}", path.display(), go_io_error(e))
}

/// Reads a chart directory from disk (native only): Helm's LoadDir.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &std::path::Path) -> Result<Chart, String> {
    load_files(&read_dir_files(dir)?)
}

/// Every regular file under `dir` (symlinks followed), paths relative to it.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_dir_files(dir: &std::path::Path) -> Result<FileMap, String> {
    let mut files = FileMap::new();
    read_dir_into(dir, dir, &mut files, 0).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(files)
}

#[cfg(not(target_arch = "wasm32"))]
fn read_dir_into(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut FileMap,
    depth: usize,
) -> std::io::Result<()> {
    if depth > 64 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let meta = std::fs::metadata(&path)?;
        if meta.is_dir() {
            read_dir_into(root, &path, out, depth + 1)?;
        } else if meta.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(&path)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_visits_directories_before_siblings_with_suffixes() {
        let mut v = vec!["a.txt", "a/b", "Chart.yaml", "a-b"];
        v.sort_stable_by(|x, y| walk_order(x, y));
        assert_eq!(v, vec!["Chart.yaml", "a/b", "a-b", "a.txt"]);
    }

    fn files(entries: &[(&str, &str)]) -> FileMap {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn remembered_loads_hand_out_their_own_values() {
        let f = files(&[
            ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n- name: sub\n  import-values:\n  - child: a\n    parent: b\n"),
            ("values.yaml", "a:\n  b: 1\nlist: [1, 2]\n"),
            ("templates/t.yaml", "x"),
        ]);
        let first = load_files(&f).expect("loads");
        // a chart changing its copy (as coalescing and dependency processing do) leaves the
        // next load as it was
        if let Some(Value::Map(a)) = first.values.get("a") {
            a.insert("b", Value::Int(2));
        }
        first.values.insert("new", Value::Bool(true));
        if let Some(Value::Map(iv)) = first
            .metadata
            .dependencies
            .as_ref()
            .and_then(|d| d[0].import_values.first().cloned())
        {
            iv.insert("child", Value::str("changed"));
        }
        let second = load_files(&f).expect("loads");
        assert_eq!(
            crate::yaml::to_yaml(&Value::Map(second.values.clone())).unwrap_or_default(),
            "a:\n  b: 1\nlist:\n- 1\n- 2\n"
        );
        let iv = second
            .metadata
            .dependencies
            .as_ref()
            .and_then(|d| d[0].import_values.first().cloned());
        match iv {
            Some(Value::Map(m)) => assert_eq!(
                m.get("child")
                    .and_then(|v| v.as_str().map(str::to_string))
                    .as_deref(),
                Some("a")
            ),
            other => panic!("import-values: {other:?}"),
        }
        // errors are remembered with their text
        let bad = files(&[
            ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
            ("values.yaml", "a: [\n"),
        ]);
        let e1 = load_files(&bad).expect_err("bad values");
        assert_eq!(load_files(&bad).expect_err("bad values"), e1);
        assert!(e1.starts_with("cannot load values.yaml: "), "{e1}");
    }

    #[test]
    fn helmignore_decisions_follow_rules_and_names() {
        let base = [
            ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
            ("templates/a.yaml", "a"),
            ("templates/b.yaml", "b"),
            ("notes.md", "n"),
        ];
        let names = |c: &Chart| -> Vec<String> { c.raw.iter().map(|f| f.name.clone()).collect() };
        let all = load_files(&files(&base)).expect("loads");
        assert_eq!(
            names(&all),
            [
                "Chart.yaml",
                "notes.md",
                "templates/a.yaml",
                "templates/b.yaml"
            ]
        );
        let mut with = base.to_vec();
        with.push((".helmignore", "*.md\ntemplates/b.yaml\n"));
        let some = load_files(&files(&with)).expect("loads");
        assert_eq!(
            names(&some),
            [".helmignore", "Chart.yaml", "templates/a.yaml"]
        );
        // same rules, another file list
        with.push(("other.md", "o"));
        with.push(("templates/c.yaml", "c"));
        let more = load_files(&files(&with)).expect("loads");
        assert_eq!(
            names(&more),
            [
                ".helmignore",
                "Chart.yaml",
                "templates/a.yaml",
                "templates/c.yaml"
            ]
        );
        // the first load again: nothing carried over
        assert_eq!(
            names(&load_files(&files(&base)).expect("loads")),
            names(&all)
        );
        let bad = files(&[
            ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
            (".helmignore", "a/**/b\n"),
        ]);
        assert_eq!(
            load_files(&bad).expect_err("bad rules"),
            "double-star (**) syntax is not supported"
        );
    }
}
