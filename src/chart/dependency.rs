//! `helm dependency list|update|build` over a workspace of files (Helm's pkg/action/dependency.go,
//! pkg/downloader/manager.go and internal/resolver): dependencies in `charts/` folders and in
//! `file://` folders of the workspace are resolved, archived into `charts/NAME-VERSION.tgz` with
//! Helm's Save, and locked in Chart.lock with Helm's digest (SHA-256 of the JSON of the declared
//! and the locked dependencies). Repositories that need the network (`https://`, `oci://`) cannot
//! be reached from the browser; those fail with an explanation of how to supply the chart.
//!
//! The workspace is a map of paths (relative to the workspace root, `/`-separated) to contents;
//! `chart_dir` names the chart's folder in it, as the user typed it (`mychart`, `./mychart`).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::engine::Value;

use super::archive::clean_path;
use super::chartfile;
use super::load::{load_archive, load_files, FileMap};
use super::model::{Chart, Dependency, Lock};
use super::package::save;
use super::semver::{self, CheckError};

/// A point in time for what Helm stamps: Chart.lock's `generated` and archive entry times.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// Unix seconds.
    pub unix: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
}

impl Clock {
    /// time.Time's JSON form (RFC 3339 with nanoseconds, trailing zeros dropped), in UTC.
    pub fn rfc3339_nano(&self) -> String {
        let days = self.unix.div_euclid(86400);
        let secs = self.unix.rem_euclid(86400);
        let (y, m, d) = civil_from_days(days);
        let mut s = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push('Z');
        s
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The workspace files of one folder (paths relative to it).
fn folder(ws: &FileMap, dir: &str) -> FileMap {
    let prefix = if dir.is_empty() || dir == "." {
        String::new()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    ws.iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(&prefix)
                .map(|rel| (rel.to_string(), v.clone()))
        })
        .collect()
}

fn exists(ws: &FileMap, path: &str) -> bool {
    let p = clean_path(path);
    if p == "." {
        return true;
    }
    ws.contains_key(&p) || ws.keys().any(|k| k.starts_with(&format!("{p}/")))
}

fn is_dir(ws: &FileMap, path: &str) -> bool {
    let p = clean_path(path);
    p == "." || ws.keys().any(|k| k.starts_with(&format!("{p}/")))
}

/// filepath.Join for workspace paths.
fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        return clean_path(b);
    }
    clean_path(&format!("{a}/{b}"))
}

/// Helm's resolver.GetLocalPath: where a `file://` repository (or `charts/NAME`) points.
fn local_path(repo: &str, chart_dir: &str, ws: &FileMap) -> Result<String, String> {
    let p = repo.strip_prefix("file://").unwrap_or(repo);
    let dep_path = match p.strip_prefix('/') {
        // An absolute path means the workspace's root here.
        Some(abs) => clean_path(abs),
        None => join(chart_dir, p),
    };
    if !exists(ws, &dep_path) {
        return Err(format!("directory {dep_path} not found"));
    }
    Ok(dep_path)
}

fn load_dir_at(ws: &FileMap, dir: &str) -> Result<Chart, String> {
    load_files(&folder(ws, dir))
}

fn needs_network(repo: &str) -> bool {
    !repo.is_empty() && !repo.starts_with("file://")
}

/// A chart the user supplied for a dependency the browser cannot download: an archive directly in
/// the chart's charts/ (what `helm pull` makes, uploaded into the workspace) whose chart has the
/// dependency's name and a version its constraint accepts — the newest such. Returns the archive's
/// path, the chart's version and the archive bytes.
fn supplied_archive(
    ws: &FileMap,
    chart_dir: &str,
    dep: &Dependency,
) -> Option<(String, String, Vec<u8>)> {
    use crate::sprig::semver::Version;
    let prefix = format!("{}/", join(chart_dir, "charts"));
    let mut best: Option<(Version, String, String, Vec<u8>)> = None;
    for (path, data) in ws.range(prefix.clone()..) {
        let Some(rest) = path.strip_prefix(&prefix) else {
            break;
        };
        if rest.contains('/') || !(rest.ends_with(".tgz") || rest.ends_with(".tar.gz")) {
            continue;
        }
        let Ok(ch) = load_archive(data) else {
            continue;
        };
        if ch.metadata.name != dep.name
            || semver::check(&dep.version, &ch.metadata.version) != Ok(true)
        {
            continue;
        }
        let Ok(v) = Version::parse(&ch.metadata.version) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|b| v.compare(&b.0) == std::cmp::Ordering::Greater)
        {
            best = Some((v, path.clone(), ch.metadata.version.clone(), data.clone()));
        }
    }
    best.map(|(_, path, version, data)| (path, version, data))
}

/// What ChartLab prints instead of a download it cannot make.
fn supplied_note(dep: &Dependency, path: &str, version: &str) -> String {
    format!(
        "ChartLab: {} cannot be reached from the browser; using {path} ({} {version}), which you supplied, in its place\n",
        dep.repository, dep.name
    )
}

/// The error for a dependency that only the network could provide.
fn network_error(dep: &Dependency) -> String {
    let q = crate::engine::printf::quote;
    let kind = if dep.repository.starts_with("oci://") {
        "an OCI registry"
    } else {
        "a chart repository"
    };
    format!(
        "dependency {} comes from {kind} ({}), which ChartLab cannot reach: the browser has no network access to registries. Supply the chart yourself: put it into charts/ (as a folder, or as the .tgz that `helm pull {}` or `helm package` makes), or set its repository to file://PATH pointing at a folder of this workspace",
        q(&dep.name),
        dep.repository,
        if dep.repository.starts_with("oci://") {
            format!("{}/{}", dep.repository.trim_end_matches('/'), dep.name)
        } else {
            format!("{} --repo {}", dep.name, dep.repository)
        }
    )
}

/// Go's encoding/json string encoding (HTML-safe, as json.Marshal does).
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// encoding/json's float64 text.
fn json_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let abs = f.abs();
    if (1e-6..1e21).contains(&abs) {
        format!("{f}")
    } else {
        let e = format!("{f:e}");
        let (m, x) = e.split_once('e').unwrap_or((&e, "0"));
        let x: i32 = x.parse().unwrap_or(0);
        if x < 0 {
            format!("{m}e-{:02}", -x)
        } else {
            format!("{m}e+{x:02}")
        }
    }
}

/// json.Marshal of a value (maps with sorted keys).
fn json_value(out: &mut String, v: &Value) {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Uint(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::String(s) => json_string(out, s),
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_value(out, e);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, e)) in m.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, &k);
                out.push(':');
                json_value(out, &e);
            }
            out.push('}');
        }
        other => json_string(out, &other.to_v()),
    }
}

/// json.Marshal of a *Dependency (nil → null).
fn json_dependency(out: &mut String, d: Option<&Dependency>) {
    let Some(d) = d else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"name\":");
    json_string(out, &d.name);
    if !d.version.is_empty() {
        out.push_str(",\"version\":");
        json_string(out, &d.version);
    }
    out.push_str(",\"repository\":");
    json_string(out, &d.repository);
    if !d.condition.is_empty() {
        out.push_str(",\"condition\":");
        json_string(out, &d.condition);
    }
    if !d.tags.is_empty() {
        out.push_str(",\"tags\":[");
        for (i, t) in d.tags.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(out, t);
        }
        out.push(']');
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        out.push_str(",\"import-values\":");
        json_value(out, &Value::list(d.import_values.clone()));
    }
    if !d.alias.is_empty() {
        out.push_str(",\"alias\":");
        json_string(out, &d.alias);
    }
    out.push('}');
}

fn json_dependencies(out: &mut String, deps: &[Option<Dependency>]) {
    out.push('[');
    for (i, d) in deps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_dependency(out, d.as_ref());
    }
    out.push(']');
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Helm's resolver.HashReq: the digest Chart.lock records.
pub fn hash_req(req: &[Dependency], lock: &[Option<Dependency>]) -> String {
    let mut s = String::from("[");
    let req: Vec<Option<Dependency>> = req.iter().cloned().map(Some).collect();
    json_dependencies(&mut s, &req);
    s.push(',');
    json_dependencies(&mut s, lock);
    s.push(']');
    format!("sha256:{}", sha256_hex(s.as_bytes()))
}

/// Helm's resolver.HashV2Req (apiVersion v1 charts locked by Helm 2).
pub fn hash_v2_req(req: &[Dependency]) -> String {
    let mut s = String::from("{\"dependencies\":");
    let req: Vec<Option<Dependency>> = req.iter().cloned().map(Some).collect();
    json_dependencies(&mut s, &req);
    s.push('}');
    format!("sha256:{}", sha256_hex(s.as_bytes()))
}

/// Helm's provenance digest of an archive (`sha256:` + hex), as `helm_python.digest` reports.
pub fn archive_digest(data: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(data))
}

/// What `helm dependency list` shows for one dependency.
#[derive(Clone, Debug, PartialEq)]
pub struct DependencyStatus {
    pub name: String,
    pub version: String,
    pub repository: String,
    /// ok, missing, unpacked, wrong version, invalid version, corrupt, misnamed, too many matches
    pub status: String,
}

/// gosuri/uitable's rendering: cells padded to their column's width (at most `max_width`,
/// longer ones cut with `...`), joined by tabs.
pub fn ui_table(rows: &[Vec<String>], max_width: usize) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count().min(max_width);
            if widths.len() <= i {
                widths.push(0);
            }
            widths[i] = widths[i].max(w);
        }
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| {
                    let n = widths[i];
                    let len = cell.chars().count();
                    if len == n {
                        cell.clone()
                    } else if len < n {
                        format!("{cell}{}", " ".repeat(n - len))
                    } else {
                        let mut out = String::new();
                        for (w, c) in cell.chars().enumerate() {
                            out.push(c);
                            if w + 1 >= n.saturating_sub(3) {
                                break;
                            }
                        }
                        out.push_str("...");
                        out
                    }
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    lines.join("\n")
}

/// Files directly in `dir` (not folders), sorted, as filepath.Glob(dir/*) lists them.
fn dir_entries(ws: &FileMap, dir: &str) -> Vec<(String, bool)> {
    let prefix = format!("{}/", clean_path(dir));
    let mut names: BTreeMap<String, bool> = BTreeMap::new();
    for k in ws.keys() {
        if let Some(rest) = k.strip_prefix(&prefix) {
            match rest.split_once('/') {
                Some((d, _)) => {
                    names.insert(d.to_string(), true);
                }
                None => {
                    names.entry(rest.to_string()).or_insert(false);
                }
            }
        }
    }
    names.into_iter().collect()
}

fn check_status(dep: &Dependency, version: &str) -> Option<&'static str> {
    if version == dep.version {
        return None;
    }
    match semver::check(&dep.version, version) {
        Err(_) => Some("invalid version"),
        Ok(false) => Some("wrong version"),
        Ok(true) => None,
    }
}

fn archive_status(ws: &FileMap, path: &str, dep: &Dependency) -> &'static str {
    let Some(data) = ws.get(path) else {
        return "";
    };
    let c = match load_archive(data) {
        Ok(c) => c,
        Err(_) => return "corrupt",
    };
    if c.name() != dep.name {
        return "misnamed";
    }
    check_status(dep, &c.metadata.version).unwrap_or("ok")
}

fn dependency_status(ws: &FileMap, chart_dir: &str, dep: &Dependency, parent: &Chart) -> String {
    let charts = join(chart_dir, "charts");
    let pattern = format!("{}-*.tgz", dep.name);
    let mut archives = Vec::new();
    let mut bad = false;
    for (name, dir) in dir_entries(ws, &charts) {
        match super::ignore::go_match(&pattern, &name) {
            Ok(true) if !dir => archives.push(join(&charts, &name)),
            Ok(_) => {}
            Err(_) => bad = true,
        }
    }
    if bad {
        return "bad pattern".into();
    }
    if archives.len() > 1 {
        let found: Vec<&String> = archives
            .iter()
            .filter(|a| {
                let base = super::ignore::go_base(a);
                let stem = base.strip_suffix(".tgz").unwrap_or(base);
                let v = stem.strip_prefix(&format!("{}-", dep.name)).unwrap_or(stem);
                semver::is_strict_version(v)
            })
            .collect();
        if found.len() == 1 {
            let r = archive_status(ws, found[0], dep);
            if !r.is_empty() {
                return r.into();
            }
        } else if found.len() > 1 {
            return "too many matches".into();
        }
    } else if archives.len() == 1 {
        let r = archive_status(ws, &archives[0], dep);
        if !r.is_empty() {
            return r.into();
        }
    }
    let Some(dc) = parent
        .dependencies
        .iter()
        .rev()
        .find(|d| d.name() == dep.name)
    else {
        return "missing".into();
    };
    check_status(dep, &dc.metadata.version)
        .unwrap_or("unpacked")
        .into()
}

/// `helm dependency list CHART`: the statuses, and the text Helm prints.
pub fn list(ws: &FileMap, chart_dir: &str) -> Result<(Vec<DependencyStatus>, String), String> {
    let dir = clean_path(chart_dir);
    let c = load_dir_at(ws, &dir)?;
    let Some(deps) = &c.metadata.dependencies else {
        return Ok((
            Vec::new(),
            format!(
                "WARNING: no dependencies at {}\n",
                join(chart_dir, "charts")
            ),
        ));
    };
    let statuses: Vec<DependencyStatus> = deps
        .iter()
        .map(|d| DependencyStatus {
            name: d.name.clone(),
            version: d.version.clone(),
            repository: d.repository.clone(),
            status: dependency_status(ws, &dir, d, &c),
        })
        .collect();
    let mut rows = vec![vec![
        "NAME".to_string(),
        "VERSION".into(),
        "REPOSITORY".into(),
        "STATUS".into(),
    ]];
    for s in &statuses {
        rows.push(vec![
            s.name.clone(),
            s.version.clone(),
            s.repository.clone(),
            s.status.clone(),
        ]);
    }
    let mut out = ui_table(&rows, 80);
    out.push_str("\n\n");
    let charts = join(chart_dir, "charts");
    for (name, is_dir) in dir_entries(ws, &join(&dir, "charts")) {
        if !is_dir && !name.ends_with(".tgz") {
            continue;
        }
        let shown = format!("{charts}/{name}");
        let path = join(&dir, &format!("charts/{name}"));
        let loaded = if is_dir {
            load_dir_at(ws, &path)
        } else {
            ws.get(&path)
                .map_or(Err(String::new()), |d| load_archive(d))
        };
        match loaded {
            Err(_) => out.push_str(&format!(
                "WARNING: {} is not a chart.\n",
                crate::engine::printf::quote(&shown)
            )),
            Ok(sc) => {
                if !deps.iter().any(|d| d.name == sc.name()) {
                    out.push_str(&format!(
                        "WARNING: {} is not in Chart.yaml.\n",
                        crate::engine::printf::quote(&shown)
                    ));
                }
            }
        }
    }
    Ok((statuses, out))
}

/// What a dependency command did to the workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// What Helm prints.
    pub output: String,
    /// Files written (workspace paths).
    pub written: Vec<String>,
    /// Files removed (workspace paths).
    pub removed: Vec<String>,
}

/// Helm's resolveRepoNames for a workspace without repositories.yaml entries.
fn resolve_repo_names(ws: &FileMap, chart_dir: &str, deps: &[Dependency]) -> Result<(), String> {
    let mut missing = Vec::new();
    for d in deps {
        if d.repository.is_empty() {
            continue;
        }
        if d.repository.starts_with("file://") {
            local_path(&d.repository, chart_dir, ws)?;
            continue;
        }
        if d.repository.starts_with("oci://") {
            continue;
        }
        if d.repository.starts_with('@')
            || d.repository.starts_with("alias:")
            || !d.repository.contains(':')
        {
            missing.push(d.repository.clone());
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut msg = format!(
        "no repository definition for {}. Please add them via 'helm repo add'",
        missing.join(", ")
    );
    if missing
        .iter()
        .any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:"))
    {
        msg.push_str("\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').");
    }
    Err(msg)
}

/// internal/resolver's Resolve for local dependencies: the lock.
fn resolve(
    ws: &FileMap,
    chart_dir: &str,
    reqs: &[Dependency],
    clock: &Clock,
) -> Result<(Lock, Vec<Option<Dependency>>), String> {
    let mut locked: Vec<Option<Dependency>> = Vec::new();
    let mut missing = Vec::new();
    let q = crate::engine::printf::quote;
    for d in reqs {
        if let Err(CheckError::Constraint(e)) = semver::check(&d.version, "0.0.0") {
            return Err(format!(
                "dependency {} has an invalid version/constraint format: {e}",
                q(&d.name)
            ));
        }
        if d.repository.is_empty() {
            local_path(&join("charts", &d.name), chart_dir, ws)?;
            locked.push(Some(Dependency {
                name: d.name.clone(),
                version: d.version.clone(),
                ..Default::default()
            }));
            continue;
        }
        if d.repository.starts_with("file://") {
            let path = local_path(&d.repository, chart_dir, ws)?;
            let ch = load_dir_at(ws, &path)?;
            match semver::check(&d.version, &ch.metadata.version) {
                Err(CheckError::Version(_)) => {
                    locked.push(None);
                    continue;
                }
                Ok(true) => locked.push(Some(Dependency {
                    name: d.name.clone(),
                    repository: d.repository.clone(),
                    version: ch.metadata.version.clone(),
                    ..Default::default()
                })),
                _ => {
                    missing.push(format!(
                        "{} (repository {}, version {})",
                        q(&d.name),
                        q(&d.repository),
                        q(&d.version)
                    ));
                    locked.push(None);
                }
            }
            continue;
        }
        match supplied_archive(ws, chart_dir, d) {
            Some((_, version, _)) => locked.push(Some(Dependency {
                name: d.name.clone(),
                repository: d.repository.clone(),
                version,
                ..Default::default()
            })),
            None => return Err(network_error(d)),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
            missing.len(),
            missing.join(", ")
        ));
    }
    let digest = hash_req(reqs, &locked);
    Ok((
        Lock {
            generated: clock.rfc3339_nano(),
            digest,
            dependencies: locked.iter().flatten().cloned().collect(),
        },
        locked,
    ))
}

/// Manager.downloadAll for local dependencies: archives into charts/, outdated archives removed.
fn download_all(
    ws: &mut FileMap,
    chart_dir: &str,
    deps: &mut [Option<Dependency>],
    clock: &Clock,
    out: &mut Outcome,
) -> Result<(), String> {
    let charts_dir = join(chart_dir, "charts");
    if ws.contains_key(&charts_dir) {
        return Err(format!(
            "{} is not a directory",
            crate::engine::printf::quote(&charts_dir)
        ));
    }
    out.output
        .push_str(&format!("Saving {} charts\n", deps.len()));
    let mut saved: Vec<(String, Vec<u8>)> = Vec::new();
    let mut save_error: Option<String> = None;
    for dep in deps.iter_mut() {
        let Some(dep) = dep else {
            continue;
        };
        if dep.repository.is_empty() {
            out.output.push_str(&format!(
                "Dependency {} did not declare a repository. Assuming it exists in the charts directory\n",
                dep.name
            ));
            let path = join(&charts_dir, &dep.name);
            let ch = load_dir_at(ws, &path)
                .map_err(|e| format!("unable to load chart '{path}': {e}"))?;
            match semver::check(&dep.version, &ch.metadata.version) {
                Err(CheckError::Constraint(e)) => {
                    return Err(format!(
                        "dependency {} has an invalid version/constraint format: {e}",
                        dep.name
                    ))
                }
                Err(CheckError::Version(e)) => {
                    return Err(format!(
                        "invalid version {} for dependency {}: {e}",
                        dep.version, dep.name
                    ))
                }
                Ok(false) => {
                    save_error = Some(format!(
                        "dependency {} at version {} does not satisfy the constraint {}",
                        dep.name, ch.metadata.version, dep.version
                    ));
                    break;
                }
                Ok(true) => continue,
            }
        }
        if dep.repository.starts_with("file://") {
            let r = local_path(&dep.repository, chart_dir, ws).and_then(|path| {
                let ch = load_dir_at(ws, &path)?;
                match semver::check(&dep.version, &ch.metadata.version) {
                    Err(CheckError::Constraint(e)) => Err(format!(
                        "dependency {} has an invalid version/constraint format: {e}",
                        dep.name
                    )),
                    Err(CheckError::Version(e)) => Err(e),
                    Ok(true) => {
                        let a = save(&ch, clock.unix)?;
                        Ok((ch.metadata.version.clone(), a))
                    }
                    Ok(false) => Err(format!(
                        "can't get a valid version for dependency {}",
                        dep.name
                    )),
                }
            });
            match r {
                Ok((ver, a)) => {
                    dep.version = ver;
                    saved.push((a.file_name, a.data));
                }
                Err(e) => {
                    save_error = Some(e);
                    break;
                }
            }
            continue;
        }
        let exact = Dependency {
            version: dep.version.clone(),
            ..dep.clone()
        };
        match supplied_archive(ws, chart_dir, &exact) {
            Some((path, version, data)) => {
                out.output.push_str(&supplied_note(dep, &path, &version));
                saved.push((format!("{}-{version}.tgz", dep.name), data));
            }
            None => {
                save_error = Some(network_error(dep));
                break;
            }
        }
    }
    if let Some(e) = save_error {
        out.output.push_str(&format!("Save error occurred:  {e}\n"));
        return Err(e);
    }
    // safeMoveDeps
    let local: Vec<String> = deps
        .iter()
        .flatten()
        .filter(|d| d.repository.is_empty())
        .map(|d| d.name.clone())
        .collect();
    let existing = dir_entries(ws, &charts_dir);
    let mut moved = Vec::new();
    for (name, data) in saved {
        let dest = join(&charts_dir, &name);
        if let Err(e) = load_archive(&data) {
            out.output.push_str(&format!(
                "Could not verify {name} for moving: {e} (Skipping)"
            ));
            continue;
        }
        ws.insert(dest.clone(), data);
        out.written.push(dest);
        moved.push(name);
    }
    out.output.push_str("Deleting outdated charts\n");
    for (name, is_dir) in existing {
        if is_dir || moved.contains(&name) {
            continue;
        }
        let path = join(&charts_dir, &name);
        let loaded = ws.get(&path).map(|d| load_archive(d));
        match loaded {
            Some(Ok(c)) => {
                if local.iter().any(|n| n == c.name()) {
                    continue;
                }
                ws.remove(&path);
                out.removed.push(path);
            }
            Some(Err(e)) => out.output.push_str(&format!(
                "Could not verify {path} for deletion: {e} (Skipping)\n"
            )),
            None => {}
        }
    }
    Ok(())
}

fn lock_file_name(chart: &Chart) -> &'static str {
    if chart.metadata.api_version == "v1" {
        "requirements.lock"
    } else {
        "Chart.lock"
    }
}

fn write_lock(
    ws: &mut FileMap,
    chart_dir: &str,
    chart: &Chart,
    lock: &Lock,
    out: &mut Outcome,
) -> Result<(), String> {
    let text = crate::yaml::to_yaml(&chartfile::lock_value(lock)).map_err(|e| e.to_string())?;
    let path = join(chart_dir, lock_file_name(chart));
    ws.insert(path.clone(), text.into_bytes());
    out.written.push(path);
    Ok(())
}

fn load_chart_dir(ws: &FileMap, chart_dir: &str) -> Result<Chart, String> {
    let dir = clean_path(chart_dir);
    if ws.contains_key(&dir) {
        return Err("only unpacked charts can be updated".into());
    }
    if !is_dir(ws, &dir) {
        return Err(format!(
            "could not find {chart_dir}: stat {chart_dir}: no such file or directory"
        ));
    }
    load_dir_at(ws, &dir)
}

/// `helm dependency update CHART`: resolve Chart.yaml's dependencies, archive them into charts/,
/// write Chart.lock (unless its digest is unchanged).
pub fn update(ws: &mut FileMap, chart_dir: &str, clock: &Clock) -> Result<Outcome, String> {
    let mut out = Outcome::default();
    update_into(ws, chart_dir, clock, &mut out)?;
    Ok(out)
}

/// [`update`] recording into `out`, which keeps what Helm printed (and what was written) before
/// an error.
pub fn update_into(
    ws: &mut FileMap,
    chart_dir: &str,
    clock: &Clock,
    out: &mut Outcome,
) -> Result<(), String> {
    let dir = clean_path(chart_dir);
    let c = load_chart_dir(ws, chart_dir)?;
    let Some(req) = c.metadata.dependencies.clone() else {
        return Ok(());
    };
    resolve_repo_names(ws, &dir, &req)?;
    if let Some(d) = req
        .iter()
        .find(|d| needs_network(&d.repository) && supplied_archive(ws, &dir, d).is_none())
    {
        return Err(network_error(d));
    }
    let (mut lock, mut locked) = resolve(ws, &dir, &req, clock)?;
    download_all(ws, &dir, &mut locked, clock, out)?;
    lock.digest = hash_req(&req, &locked);
    lock.dependencies = locked.iter().flatten().cloned().collect();
    if c.lock.as_ref().is_some_and(|old| old.digest == lock.digest) {
        return Ok(());
    }
    write_lock(ws, &dir, &c, &lock, out)
}

/// `helm dependency build CHART`: rebuild charts/ from Chart.lock (update when there is none).
pub fn build(ws: &mut FileMap, chart_dir: &str, clock: &Clock) -> Result<Outcome, String> {
    let mut out = Outcome::default();
    build_into(ws, chart_dir, clock, &mut out)?;
    Ok(out)
}

/// [`build`] recording into `out` (kept when an error follows).
pub fn build_into(
    ws: &mut FileMap,
    chart_dir: &str,
    clock: &Clock,
    out: &mut Outcome,
) -> Result<(), String> {
    let dir = clean_path(chart_dir);
    let c = load_chart_dir(ws, chart_dir)?;
    let Some(lock) = c.lock.clone() else {
        return update_into(ws, chart_dir, clock, out);
    };
    let req = c.meta_dependencies().to_vec();
    let v2_sum = (c.metadata.api_version == "v1").then(|| hash_v2_req(&req));
    resolve_repo_names(ws, &dir, &req)?;
    let locked: Vec<Option<Dependency>> = lock.dependencies.iter().cloned().map(Some).collect();
    if hash_req(&req, &locked) != lock.digest {
        match v2_sum {
            Some(sum) => {
                out.output.push_str(&super::dependencies::slog_line(
                    "INFO",
                    "warning: a valid Helm v3 hash was not found. Checking against Helm v2 hash...",
                    &[],
                ));
                out.output.push('\n');
                if sum != lock.digest {
                    return Err("the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies".into());
                }
            }
            None => return Err("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'".into()),
        }
    }
    if let Some(d) = lock
        .dependencies
        .iter()
        .find(|d| needs_network(&d.repository) && supplied_archive(ws, &dir, d).is_none())
    {
        return Err(network_error(d));
    }
    let mut deps = locked;
    download_all(ws, &dir, &mut deps, clock, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_like_helm() {
        // The digest real Helm wrote for this Chart.yaml entry (file://../libsub, >=0.1.0).
        let req = vec![Dependency {
            name: "libsub".into(),
            version: ">=0.1.0".into(),
            repository: "file://../libsub".into(),
            tags: vec!["a".into()],
            import_values: vec![Value::str("data")],
            ..Default::default()
        }];
        let locked = vec![Some(Dependency {
            name: "libsub".into(),
            version: "0.2.0".into(),
            repository: "file://../libsub".into(),
            ..Default::default()
        })];
        assert_eq!(
            hash_req(&req, &locked),
            "sha256:ce0a54753915a0d7ba80388922a562efedd95b95616fca573a69613368e50c7b"
        );
    }

    /// A dependency from an OCI registry the browser cannot reach, supplied as the archive
    /// `helm pull` makes: update locks it with its registry URL and keeps the archive.
    #[test]
    fn supplied_archive_stands_in_for_a_registry() {
        let mut sub = FileMap::new();
        sub.insert(
            "Chart.yaml".into(),
            b"apiVersion: v2\nname: common\nversion: 2.31.10\ntype: library\n".to_vec(),
        );
        sub.insert(
            "templates/_h.tpl".into(),
            b"{{ define \"x\" }}x{{ end }}".to_vec(),
        );
        let archive = save(&load_files(&sub).unwrap(), 0).unwrap();
        let mut ws = FileMap::new();
        ws.insert(
            "myapi/Chart.yaml".into(),
            b"apiVersion: v2\nname: myapi\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n".to_vec(),
        );
        let clock = Clock { unix: 0, nanos: 0 };
        // nothing supplied: the network error that says how to supply it
        let e = update(&mut ws, "myapi", &clock).unwrap_err();
        assert!(e.contains("cannot reach") && e.contains("charts/"), "{e}");
        ws.insert(
            "myapi/charts/common-2.31.10.tgz".into(),
            archive.data.clone(),
        );
        let out = update(&mut ws, "myapi", &clock).unwrap();
        assert!(out.output.contains("which you supplied"), "{}", out.output);
        let lock = String::from_utf8(ws["myapi/Chart.lock"].clone()).unwrap();
        assert!(
            lock.contains("- name: common\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 2.31.10\n"),
            "{lock}"
        );
        let req = vec![Dependency {
            name: "common".into(),
            version: "2.x.x".into(),
            repository: "oci://registry-1.docker.io/bitnamicharts".into(),
            ..Default::default()
        }];
        let locked = vec![Some(Dependency {
            name: "common".into(),
            version: "2.31.10".into(),
            repository: "oci://registry-1.docker.io/bitnamicharts".into(),
            ..Default::default()
        })];
        assert!(lock.contains(&hash_req(&req, &locked)));
        assert_eq!(ws["myapi/charts/common-2.31.10.tgz"], archive.data);
        // and build (from the lock) accepts the supplied archive too
        let out = build(&mut ws, "myapi", &clock).unwrap();
        assert!(out.output.contains("Saving 1 charts"), "{}", out.output);
    }

    #[test]
    fn times_print_like_go() {
        let c = Clock {
            unix: 1795515806,
            nanos: 288867593,
        };
        assert_eq!(c.rfc3339_nano(), "2026-11-24T10:23:26.288867593Z");
        let c = Clock {
            unix: 0,
            nanos: 500_000_000,
        };
        assert_eq!(c.rfc3339_nano(), "1970-01-01T00:00:00.5Z");
    }

    #[test]
    fn tables_like_uitable() {
        let rows = vec![
            vec!["NAME".to_string(), "VERSION".into()],
            vec!["libsub".into(), ">=0.1.0".into()],
        ];
        assert_eq!(ui_table(&rows, 80), "NAME  \tVERSION\nlibsub\t>=0.1.0");
    }
}
