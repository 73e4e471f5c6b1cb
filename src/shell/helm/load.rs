//! Finding and loading a chart from the workspace as Helm does for a chart argument
//! (`ChartPathOptions.LocateChart`, `loader.Load`): a directory or a `.tgz` on disk; repository
//! and OCI references need the network and say so.

use std::collections::BTreeMap;

use super::Helm;
use crate::chart::{Chart, FileMap};
use crate::engine::Timestamp;
use crate::release::model::ChartTimes;
use crate::shell::fs;

/// A chart read from the workspace, with the modification times Helm records.
pub(super) struct Loaded {
    pub chart: Chart,
    pub times: ChartTimes,
}

/// Every file of a directory as a [`FileMap`] (paths relative to it), with mtimes.
pub(super) fn read_tree(h: &Helm, dir: &str) -> Result<(FileMap, BTreeMap<String, i64>), String> {
    let files = fs::walk_files(h.sh.fs.as_ref(), dir, 20_000).map_err(|e| e.to_string())?;
    let mut map = FileMap::new();
    let mut times = BTreeMap::new();
    for rel in files {
        let abs = fs::join(dir, &rel);
        let data =
            h.sh.fs
                .read(&abs)
                .map_err(|e| format!("open {abs}: {}", e.to_string().to_lowercase()))?;
        if let Ok(m) = h.sh.fs.metadata(&abs) {
            times.insert(rel.clone(), m.modified);
        }
        map.insert(rel, data);
    }
    Ok((map, times))
}

/// The files of a chart folder as Helm 4's top-level `loader.LoadDir` accepts them: Chart.yaml
/// must exist and name an apiVersion the CLI loads (v1, v2 or none).
pub(super) fn chart_dir_files(
    h: &Helm,
    abs: &str,
) -> Result<(FileMap, BTreeMap<String, i64>), String> {
    let chart_yaml = fs::join(abs, "Chart.yaml");
    let text = h.sh.fs.read(&chart_yaml).map_err(|e| {
        format!(
            "unable to detect chart at {chart_yaml}: open {chart_yaml}: {}",
            e.to_string().to_lowercase()
        )
    })?;
    crate::chart::load::check_cli_api_version(&String::from_utf8_lossy(&text))?;
    read_tree(h, abs)
}

/// What Helm's loader logs (`log.Print`, which Helm 4 routes through slog at INFO) for a chart
/// and its subcharts.
pub(super) fn log_load_warnings(h: &mut Helm, chart: &Chart) {
    for w in &chart.warnings {
        h.warnings.push(super::slog_line("INFO", w, &[]));
    }
    for d in &chart.dependencies {
        log_load_warnings(h, d);
    }
}

/// `LocateChart` for a chart argument: the chart's absolute path in the workspace.
pub(super) fn locate(h: &Helm, arg: &str) -> Result<String, String> {
    let name = arg.trim();
    if name.starts_with("oci://") {
        return Err(format!(
            "chartlab: {name} is in an OCI registry, which cannot be reached from here; download the chart with `helm pull {name}` on a machine with network access and use the .tgz from your workspace"
        ));
    }
    let abs = h.sh.abs(name);
    match h.sh.fs.metadata(&abs) {
        Ok(_) => Ok(abs),
        Err(_) => {
            if name.starts_with('/') || name.starts_with('.') {
                return Err(format!(
                    "path {} not found",
                    crate::kube::gofmt::quote(name)
                ));
            }
            // a repository reference: Helm looks the repository up in its (empty) configuration
            Err(match name.split_once('/') {
                Some((repo, _)) => format!("repo {repo} not found"),
                None => format!(
                    "non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
                ),
            })
        }
    }
}

/// `loader.Load` of a located chart (a folder or an archive), with the files' times.
pub(super) fn load_located(h: &Helm, abs: &str) -> Result<Loaded, String> {
    let md =
        h.sh.fs
            .metadata(abs)
            .map_err(|e| format!("stat {abs}: {}", e.to_string().to_lowercase()))?;
    let offset = h.sh.env.clock.now().offset;
    let zone = h.sh.env.clock.now().zone;
    let ts = |secs: i64| Timestamp {
        secs,
        nanos: 0,
        offset,
        zone: zone.clone(),
    };
    if md.is_dir {
        let (files, mtimes) = chart_dir_files(h, abs)?;
        let chart = crate::chart::load_files(&files)?;
        let mut times = ChartTimes {
            chart: mtimes.get("Chart.yaml").map(|t| ts(*t)),
            schema: mtimes.get("values.schema.json").map(|t| ts(*t)),
            ..Default::default()
        };
        for (k, v) in mtimes {
            times.files.insert(k, ts(v));
        }
        return Ok(Loaded { chart, times });
    }
    let data = h.sh.fs.read(abs).map_err(|e| e.to_string())?;
    let chart = crate::chart::load::load_chart_file(abs, &data)?;
    let times = ChartTimes {
        chart: Some(ts(md.modified)),
        ..Default::default()
    };
    Ok(Loaded { chart, times })
}
