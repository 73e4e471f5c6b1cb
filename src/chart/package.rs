//! Writing charts back out (Helm's pkg/chart/v2/util/save.go and pkg/action/package.go): a chart
//! as the `.tgz` `helm package` and `helm dependency update` write — `name/` prefix, Chart.yaml
//! re-marshalled from the metadata (sorted keys, apiVersion v1 charts without their
//! dependencies), Chart.lock for apiVersion v2, values.yaml as written, the schema, templates,
//! other files, then every subchart as a folder under `charts/`.

use super::archive::{gzip_helm, TarWriter};
use super::chartfile;
use super::dependencies::check_dependencies;
use super::load::{load_files, FileMap};
use super::model::Chart;

/// A written archive.
#[derive(Clone, Debug, PartialEq)]
pub struct Archive {
    /// `name-version.tgz`, as Helm names it.
    pub file_name: String,
    pub data: Vec<u8>,
}

/// Helm's validateName for charts being saved.
fn validate_name(name: &str) -> Result<(), String> {
    if super::ignore::go_base(name) != name {
        return Err(format!(
            "{} is not a valid chart name",
            crate::engine::printf::quote(name)
        ));
    }
    Ok(())
}

/// sigs.k8s.io/yaml.Marshal of Helm's Metadata struct (what Save writes as Chart.yaml).
pub fn chart_yaml(chart: &Chart) -> Result<String, String> {
    crate::yaml::to_yaml(&chartfile::metadata_value(&chart.metadata)).map_err(|e| e.to_string())
}

fn write_contents(out: &mut TarWriter, c: &Chart, prefix: &str, mtime: i64) -> Result<(), String> {
    validate_name(c.name())?;
    let base = if prefix.is_empty() {
        c.name().to_string()
    } else {
        format!("{prefix}/{}", c.name())
    };
    out.add_file(
        &format!("{base}/Chart.yaml"),
        chart_yaml(c)?.as_bytes(),
        mtime,
    );
    if c.metadata.api_version == "v2" {
        if let Some(lock) = &c.lock {
            let text =
                crate::yaml::to_yaml(&chartfile::lock_value(lock)).map_err(|e| e.to_string())?;
            out.add_file(&format!("{base}/Chart.lock"), text.as_bytes(), mtime);
        }
    }
    for f in c.raw.iter().filter(|f| f.name == "values.yaml") {
        out.add_file(&format!("{base}/values.yaml"), &f.data, mtime);
    }
    if let Some(schema) = &c.schema {
        if super::jsontext::parse_document(&String::from_utf8_lossy(schema)).is_err() {
            return Err("invalid JSON in values.schema.json".into());
        }
        out.add_file(&format!("{base}/values.schema.json"), schema, mtime);
    }
    for f in c.templates.iter().chain(c.files.iter()) {
        out.add_file(&format!("{base}/{}", f.name), &f.data, mtime);
    }
    for d in &c.dependencies {
        write_contents(out, d, &format!("{base}/charts"), mtime)?;
    }
    Ok(())
}

/// Helm's chartutil.Save: the chart (validated first) as `.tgz` bytes, every entry stamped with
/// `mtime` (Unix seconds).
pub fn save(chart: &Chart, mtime: i64) -> Result<Archive, String> {
    let mut md = chart.metadata.clone();
    chartfile::validate(&mut md).map_err(|e| format!("chart validation: validation: {e}"))?;
    let mut c = chart.clone();
    c.metadata = md;
    let mut tw = TarWriter::new();
    write_contents(&mut tw, &c, "", mtime)?;
    Ok(Archive {
        file_name: format!("{}-{}.tgz", c.name(), c.metadata.version),
        data: gzip_helm(&tw.finish()),
    })
}

/// `helm package` options.
#[derive(Clone, Debug, Default)]
pub struct PackageOptions {
    /// `--version`
    pub version: Option<String>,
    /// `--app-version`
    pub app_version: Option<String>,
    /// The time stamped on the archive's entries (Unix seconds).
    pub mtime: i64,
}

/// Helm's action.Package.Run on a chart folder: load it, apply `--version`/`--app-version`,
/// require its declared dependencies to be present, save.
pub fn package(files: &FileMap, opts: &PackageOptions) -> Result<Archive, String> {
    let mut chart = load_files(files)?;
    if let Some(v) = &opts.version {
        chart.metadata.version = v.clone();
    }
    if !super::semver::is_valid_version(&chart.metadata.version) {
        return Err(super::semver::version_error(&chart.metadata.version));
    }
    if let Some(a) = &opts.app_version {
        chart.metadata.app_version = a.clone();
    }
    if !chart.meta_dependencies().is_empty() {
        check_dependencies(&chart)?;
    }
    save(&chart, opts.mtime).map_err(|e| format!("failed to save: {e}"))
}
