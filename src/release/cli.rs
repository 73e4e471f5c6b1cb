//! The texts Helm's CLI prints for releases (pkg/cmd history.go, list.go, status.go,
//! get_*.go, install.go, upgrade.go, rollback.go, uninstall.go, release_testing.go and
//! pkg/cli/output): gosuri/uitable tables, the status printer, `-o json` (`json.Encoder`, HTML
//! escaped, newline-terminated) and `-o yaml` (sigs.k8s.io/yaml) — shared by the shell and
//! the UI so both print what Helm prints. No colour: Helm disables it when not on a terminal.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;

use super::gotime;
use super::model::{self, HookEvent, Release, ReleaseChart};
use super::query::ReleaseMetadata;
use crate::engine::{Map, Timestamp, Value};

/// Output formats (`-o table|json|yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Yaml,
}

impl Format {
    /// `output.ParseFormat`.
    pub fn parse(s: &str) -> Result<Format, String> {
        match s {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "yaml" => Ok(Format::Yaml),
            _ => Err("invalid format type".into()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// uitable

/// go-runewidth's `RuneWidth` (East Asian wide characters count 2, combining marks 0).
fn rune_width(c: char) -> usize {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return 0;
    }
    let zero = [
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05BD),
        (0x0610, 0x061A),
        (0x064B, 0x065F),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x200B, 0x200F),
        (0x20D0, 0x20FF),
        (0xFE00, 0xFE0F),
        (0xFE20, 0xFE2F),
    ];
    if zero.iter().any(|(a, b)| (*a..=*b).contains(&u)) {
        return 0;
    }
    let wide = [
        (0x1100, 0x115F),
        (0x2E80, 0x303E),
        (0x3041, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xA000, 0xA4CF),
        (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFF60),
        (0xFFE0, 0xFFE6),
        (0x1F300, 0x1F64F),
        (0x1F900, 0x1F9FF),
        (0x20000, 0x3FFFD),
    ];
    if wide.iter().any(|(a, b)| (*a..=*b).contains(&u)) {
        2
    } else {
        1
    }
}

fn string_width(s: &str) -> usize {
    s.chars().map(rune_width).sum()
}

/// `uitable.Table` with Helm's settings (tab separator, no wrapping, no width limit):
/// every cell padded to its column's width, the last one too.
pub fn uitable(rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.split('\n').map(string_width).max().unwrap_or(0);
            if i >= widths.len() {
                widths.push(0);
            }
            widths[i] = widths[i].max(w);
        }
    }
    let mut lines = Vec::new();
    for row in rows {
        let height = row.iter().map(|c| c.split('\n').count()).max().unwrap_or(1);
        for l in 0..height {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let part = c.split('\n').nth(l).unwrap_or("");
                    let w = string_width(part);
                    let mut s = part.to_string();
                    for _ in w..widths[i] {
                        s.push(' ');
                    }
                    s
                })
                .collect();
            lines.push(cells.join("\t"));
        }
    }
    lines.join("\n")
}

/// `output.EncodeTable`: the table and a newline.
fn encode_table(rows: &[Vec<String>]) -> String {
    let mut s = uitable(rows);
    s.push('\n');
    s
}

/// `output.EncodeJSON`: `json.NewEncoder(out).Encode(v)`.
fn encode_json(json: String) -> String {
    format!("{json}\n")
}

/// `output.EncodeYAML` of a JSON document: sigs.k8s.io/yaml.Marshal.
fn encode_yaml(json: &str) -> Result<String, String> {
    let v = crate::json::parse(json)?;
    crate::yaml::to_yaml(&v).map_err(|e| format!("unable to write YAML output: {e}"))
}

fn json_str(s: &str) -> String {
    let mut out = String::new();
    crate::json::write_string(&mut out, s, true);
    out
}

/// Writes a JSON object from (key, already-encoded value) pairs.
fn json_obj(fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", json_str(k)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

// ---------------------------------------------------------------------------------------------
// history

/// `formatChartName`.
pub fn chart_name(c: Option<&ReleaseChart>) -> String {
    match c.and_then(|c| c.metadata.as_ref()) {
        Some(m) => format!("{}-{}", m.name, m.version),
        None => "MISSING".into(),
    }
}

/// `formatAppVersion`.
pub fn app_version(c: Option<&ReleaseChart>) -> String {
    match c.and_then(|c| c.metadata.as_ref()) {
        Some(m) => m.app_version.clone(),
        None => "MISSING".into(),
    }
}

fn last_deployed(r: &Release) -> Timestamp {
    r.info
        .as_ref()
        .map(|i| i.last_deployed.clone())
        .unwrap_or_else(gotime::zero)
}

/// `helm history` in a format; `rels` as [`super::query::history_for_cli`] returns them.
pub fn history(rels: &[Release], format: Format) -> Result<String, String> {
    match format {
        Format::Table => {
            let mut rows = vec![vec![
                "REVISION".to_string(),
                "UPDATED".into(),
                "STATUS".into(),
                "CHART".into(),
                "APP VERSION".into(),
                "DESCRIPTION".into(),
            ]];
            for r in rels {
                rows.push(vec![
                    r.version.to_string(),
                    gotime::ansic(&last_deployed(r)),
                    r.status().as_str().to_string(),
                    chart_name(r.chart.as_ref()),
                    app_version(r.chart.as_ref()),
                    r.info
                        .as_ref()
                        .map(|i| i.description.clone())
                        .unwrap_or_default(),
                ]);
            }
            Ok(encode_table(&rows))
        }
        Format::Json | Format::Yaml => {
            let items: Vec<String> = rels
                .iter()
                .map(|r| {
                    let mut f = vec![("revision", r.version.to_string())];
                    let t = last_deployed(r);
                    if !gotime::is_zero(&t) {
                        f.push(("updated", json_str(&gotime::rfc3339_nano(&t))));
                    }
                    f.push(("status", json_str(r.status().as_str())));
                    f.push(("chart", json_str(&chart_name(r.chart.as_ref()))));
                    f.push(("app_version", json_str(&app_version(r.chart.as_ref()))));
                    f.push((
                        "description",
                        json_str(
                            &r.info
                                .as_ref()
                                .map(|i| i.description.clone())
                                .unwrap_or_default(),
                        ),
                    ));
                    json_obj(&f)
                })
                .collect();
            let json = format!("[{}]", items.join(","));
            if format == Format::Json {
                Ok(encode_json(json))
            } else {
                encode_yaml(&json)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// list

/// `helm list` flags that shape the text.
#[derive(Clone, Debug, Default)]
pub struct ListPrint {
    /// `--time-format` (a Go layout).
    pub time_format: String,
    pub no_headers: bool,
    /// `-q`.
    pub short: bool,
}

fn list_updated(r: &Release, time_format: &str) -> String {
    let t = last_deployed(r);
    if gotime::is_zero(&t) {
        return "-".into();
    }
    if time_format.is_empty() {
        gotime::go_string(&t)
    } else {
        gotime::format_layout(&t, time_format)
    }
}

/// `helm list` in a format.
pub fn list(rels: &[Release], format: Format, opts: &ListPrint) -> Result<String, String> {
    if opts.short {
        match format {
            Format::Json => {
                let names: Vec<String> = rels.iter().map(|r| json_str(&r.name)).collect();
                return Ok(encode_json(format!("[{}]", names.join(","))));
            }
            Format::Yaml => {
                let names: Vec<String> = rels.iter().map(|r| json_str(&r.name)).collect();
                return encode_yaml(&format!("[{}]", names.join(",")));
            }
            Format::Table => {
                return Ok(rels.iter().map(|r| format!("{}\n", r.name)).collect());
            }
        }
    }
    match format {
        Format::Table => {
            let mut rows = Vec::new();
            if !opts.no_headers {
                rows.push(
                    [
                        "NAME",
                        "NAMESPACE",
                        "REVISION",
                        "UPDATED",
                        "STATUS",
                        "CHART",
                        "APP VERSION",
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                );
            }
            for r in rels {
                rows.push(vec![
                    r.name.clone(),
                    r.namespace.clone(),
                    r.version.to_string(),
                    list_updated(r, &opts.time_format),
                    r.status().as_str().to_string(),
                    chart_name(r.chart.as_ref()),
                    app_version(r.chart.as_ref()),
                ]);
            }
            Ok(encode_table(&rows))
        }
        Format::Json | Format::Yaml => {
            let items: Vec<String> = rels
                .iter()
                .map(|r| {
                    json_obj(&[
                        ("name", json_str(&r.name)),
                        ("namespace", json_str(&r.namespace)),
                        ("revision", json_str(&r.version.to_string())),
                        ("updated", json_str(&list_updated(r, &opts.time_format))),
                        ("status", json_str(r.status().as_str())),
                        ("chart", json_str(&chart_name(r.chart.as_ref()))),
                        ("app_version", json_str(&app_version(r.chart.as_ref()))),
                    ])
                })
                .collect();
            let json = format!("[{}]", items.join(","));
            if format == Format::Json {
                Ok(encode_json(json))
            } else {
                encode_yaml(&json)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// status

/// The statusPrinter's switches.
#[derive(Clone, Debug, Default)]
pub struct StatusPrint {
    /// `--debug` (and `helm get all`): values, hooks and manifest too.
    pub debug: bool,
    /// `helm get all`: chart name and versions.
    pub show_metadata: bool,
    pub hide_notes: bool,
    /// The RESOURCES section, already formatted ([`status_resources`]); empty: none.
    pub resources: String,
}

fn values_yaml(m: &Map) -> Result<String, String> {
    crate::yaml::to_yaml(&Value::Map(m.clone()))
        .map_err(|e| format!("unable to write YAML output: {e}"))
}

/// `statusPrinter.WriteTable`.
pub fn status_table(rel: &Release, p: &StatusPrint) -> Result<String, String> {
    let mut out = String::new();
    let info = rel.info.clone().unwrap_or_default();
    out.push_str(&format!("NAME: {}\n", rel.name));
    if !gotime::is_zero(&info.last_deployed) {
        out.push_str(&format!(
            "LAST DEPLOYED: {}\n",
            gotime::ansic(&info.last_deployed)
        ));
    }
    out.push_str(&format!("NAMESPACE: {}\n", rel.namespace));
    out.push_str(&format!("STATUS: {}\n", info.status));
    out.push_str(&format!("REVISION: {}\n", rel.version));
    if p.show_metadata {
        let md = rel
            .chart
            .as_ref()
            .and_then(|c| c.metadata.clone())
            .unwrap_or_default();
        out.push_str(&format!("CHART: {}\n", md.name));
        out.push_str(&format!("VERSION: {}\n", md.version));
        out.push_str(&format!("APP_VERSION: {}\n", md.app_version));
    }
    out.push_str(&format!("DESCRIPTION: {}\n", info.description));
    if !p.resources.is_empty() {
        out.push_str(&format!("RESOURCES:\n{}\n", p.resources));
    }
    let tests: Vec<&model::Hook> = rel
        .hooks
        .iter()
        .filter(|h| h.has_event(HookEvent::Test))
        .collect();
    if tests.is_empty() {
        out.push_str("TEST SUITE: None\n");
    } else {
        for h in tests {
            if gotime::is_zero(&h.last_run.started_at) {
                continue;
            }
            out.push_str(&format!(
                "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {}\n",
                h.name,
                gotime::ansic(&h.last_run.started_at),
                gotime::ansic(&h.last_run.completed_at),
                h.last_run.phase.0
            ));
        }
    }
    if p.debug {
        out.push_str("USER-SUPPLIED VALUES:\n");
        out.push_str(&values_yaml(&rel.config)?);
        out.push('\n');
        let chart = rel
            .chart
            .as_ref()
            .map(ReleaseChart::to_chart)
            .unwrap_or_default();
        let computed = super::upgrade::coalesce_values(&chart, &rel.config)?;
        out.push_str("COMPUTED VALUES:\n");
        out.push_str(&values_yaml(&computed)?);
        out.push('\n');
    }
    if info.description.eq_ignore_ascii_case("Dry run complete") || p.debug {
        out.push_str("HOOKS:\n");
        for h in &rel.hooks {
            out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
        }
        out.push_str(&format!("MANIFEST:\n{}\n", rel.manifest));
    }
    if !p.hide_notes && !info.notes.is_empty() {
        out.push_str(&format!("NOTES:\n{}\n", info.notes.trim()));
    }
    Ok(out)
}

/// `helm status` (and the output of install/upgrade) in a format. `helm status` itself
/// drops the chart from the release before printing (`rel.Chart = nil`).
pub fn status(rel: &Release, format: Format, p: &StatusPrint) -> Result<String, String> {
    match format {
        Format::Table => status_table(rel, p),
        Format::Json => Ok(encode_json(model::to_json(rel)?)),
        Format::Yaml => encode_yaml(&model::to_json(rel)?),
    }
}

/// The RESOURCES section of `helm status`: per `version/Kind` group (sorted here; Go's map
/// order is random), `==> group` and each object's server-side table, printed one object at a
/// time the way Helm's table printer does (headers only when the columns change).
pub fn status_resources(
    reg: &crate::kube::resources::Registry,
    resources: &BTreeMap<String, Vec<serde_json::Value>>,
    now: crate::kube::time::Time,
) -> String {
    use crate::kube::printers::{table_for, table_text, tabwrite, PrintOptions};
    let mut buf = String::new();
    let mut last_columns: Option<Vec<String>> = None;
    let mut printed_headers = false;
    for (key, objs) in resources {
        buf.push_str(&format!("==> {key}\n"));
        let related = key.ends_with("(related)");
        let batches: Vec<Vec<serde_json::Value>> = if related {
            vec![objs.clone()]
        } else {
            objs.iter().map(|o| vec![o.clone()]).collect()
        };
        for batch in batches {
            let Some(first) = batch.first() else {
                continue;
            };
            let Ok(gvk) = crate::kube::object::GroupVersionKind::of(first) else {
                continue;
            };
            let Some(info) = reg.for_gvk(&gvk) else {
                continue;
            };
            let table = table_for(info, &batch, now, false);
            let cols: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
            let mut opts = PrintOptions::default();
            if printed_headers && last_columns.as_ref() == Some(&cols) {
                opts.no_headers = true;
            }
            if last_columns.as_ref() != Some(&cols) {
                last_columns = Some(cols);
                printed_headers = false;
            }
            if !table.rows.is_empty() {
                printed_headers = true;
            }
            let text = table_text(&table, info, &opts, false);
            if text.is_empty() {
                continue;
            }
            let mut printed = tabwrite(&text);
            if !printed.ends_with('\n') {
                printed.push('\n');
            }
            buf.push_str(&printed);
        }
        buf.push('\n');
    }
    buf
}

// ---------------------------------------------------------------------------------------------
// get

/// `helm get values`.
pub fn get_values(vals: &Map, all: bool, format: Format) -> Result<String, String> {
    let v = Value::Map(vals.clone());
    match format {
        Format::Table => {
            let head = if all {
                "COMPUTED VALUES:\n"
            } else {
                "USER-SUPPLIED VALUES:\n"
            };
            Ok(format!("{head}{}", values_yaml(vals)?))
        }
        Format::Json => Ok(encode_json(crate::json::to_json(&v, true)?)),
        Format::Yaml => values_yaml(vals),
    }
}

/// `helm get manifest`.
pub fn get_manifest(rel: &Release) -> String {
    format!("{}\n", rel.manifest)
}

/// `helm get hooks`.
pub fn get_hooks(rel: &Release) -> String {
    rel.hooks
        .iter()
        .map(|h| format!("---\n# Source: {}\n{}\n", h.path, h.manifest))
        .collect()
}

/// `helm get notes`.
pub fn get_notes(rel: &Release) -> String {
    match rel.info.as_ref().map(|i| i.notes.as_str()) {
        Some(n) if !n.is_empty() => format!("NOTES:\n{n}\n"),
        _ => String::new(),
    }
}

/// `helm get all` (the status printer with everything).
pub fn get_all(rel: &Release) -> Result<String, String> {
    status_table(
        rel,
        &StatusPrint {
            debug: true,
            show_metadata: true,
            ..Default::default()
        },
    )
}

/// `labels.Set.String()`: `k=v` pairs, sorted, comma-separated.
fn label_set(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn metadata_json(m: &ReleaseMetadata) -> Result<String, String> {
    let mut f = vec![
        ("name", json_str(&m.name)),
        ("chart", json_str(&m.chart)),
        ("version", json_str(&m.version)),
        ("appVersion", json_str(&m.app_version)),
    ];
    if let Some(a) = &m.annotations {
        if !a.is_empty() {
            let parts: Vec<String> = a
                .iter()
                .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
                .collect();
            f.push(("annotations", format!("{{{}}}", parts.join(","))));
        }
    }
    if !m.labels.is_empty() {
        let parts: Vec<String> = m
            .labels
            .iter()
            .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
            .collect();
        f.push(("labels", format!("{{{}}}", parts.join(","))));
    }
    if !m.dependencies.is_empty() {
        let mut deps = Vec::new();
        for d in &m.dependencies {
            let mut s = String::new();
            let md = crate::chart::model::Metadata {
                dependencies: Some(vec![d.clone()]),
                ..Default::default()
            };
            model::write_metadata(&mut s, &md)?;
            // {"dependencies":[X]} → X
            let inner = s
                .strip_prefix("{\"dependencies\":[")
                .and_then(|x| x.strip_suffix("]}"))
                .unwrap_or("{}")
                .to_string();
            deps.push(inner);
        }
        f.push(("dependencies", format!("[{}]", deps.join(","))));
    }
    f.push(("namespace", json_str(&m.namespace)));
    f.push(("revision", m.revision.to_string()));
    f.push(("status", json_str(&m.status)));
    f.push(("deployedAt", json_str(&m.deployed_at)));
    if !m.apply_method.is_empty() {
        f.push(("applyMethod", json_str(&m.apply_method)));
    }
    Ok(json_obj(&f))
}

/// `helm get metadata`.
pub fn get_metadata(m: &ReleaseMetadata, format: Format) -> Result<String, String> {
    match format {
        Format::Table => {
            let method = match m.apply_method.as_str() {
                "" => "client-side apply (defaulted)".to_string(),
                "csa" => "client-side apply".to_string(),
                "ssa" => "server-side apply".to_string(),
                other => format!("unknown ({})", super::kubeclient::quote(other)),
            };
            let mut deps: Vec<String> = m.dependencies.iter().map(|d| d.name.clone()).collect();
            deps.sort_stable();
            Ok(format!(
                "NAME: {}\nCHART: {}\nVERSION: {}\nAPP_VERSION: {}\nANNOTATIONS: {}\nLABELS: {}\nDEPENDENCIES: {}\nNAMESPACE: {}\nREVISION: {}\nSTATUS: {}\nDEPLOYED_AT: {}\nAPPLY_METHOD: {}\n",
                m.name,
                m.chart,
                m.version,
                m.app_version,
                label_set(&m.annotations.clone().unwrap_or_default()),
                label_set(&m.labels),
                deps.join(","),
                m.namespace,
                m.revision,
                m.status,
                m.deployed_at,
                method
            ))
        }
        Format::Json => Ok(encode_json(metadata_json(m)?)),
        Format::Yaml => encode_yaml(&metadata_json(m)?),
    }
}

// ---------------------------------------------------------------------------------------------
// one-liners

/// `helm upgrade`'s first line.
pub fn upgraded(name: &str) -> String {
    format!(
        "Release {} has been upgraded. Happy Helming!\n",
        super::kubeclient::quote(name)
    )
}

/// `helm upgrade --install` when there is nothing to upgrade.
pub fn installing_now(name: &str) -> String {
    format!(
        "Release {} does not exist. Installing it now.\n",
        super::kubeclient::quote(name)
    )
}

/// `helm rollback`.
pub const ROLLBACK_SUCCESS: &str = "Rollback was a success! Happy Helming!\n";

/// `helm uninstall` for one release (the kept-resources note first, if any).
pub fn uninstalled(name: &str, info: &str) -> String {
    let mut s = String::new();
    if !info.is_empty() {
        s.push_str(info);
        s.push('\n');
    }
    s.push_str(&format!("release \"{name}\" uninstalled\n"));
    s
}

/// `Error: …` as cobra prints a command's error.
pub fn error_line(msg: &str) -> String {
    format!("Error: {msg}\n")
}
