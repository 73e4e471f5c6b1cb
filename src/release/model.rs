//! Helm 4's release record (pkg/release/v1 release.go, info.go, hook.go, pkg/release/common
//! status.go) and the chart as a release stores it (pkg/chart/v2 chart.go, metadata.go,
//! dependency.go, pkg/chart/common file.go), with `json.Marshal`'s exact bytes: Go field
//! order, `omitempty`/`omitzero`, `null` for nil slices and maps, base64 for `[]byte`, HTML
//! escaping, and the custom `MarshalJSON` of `Info` and `HookExecution`.
//!
//! Decoding accepts what Helm 3 and Helm 4 wrote (empty strings for zero times, missing
//! fields), with encoding/json's case-insensitive field matching and Go's error texts for
//! mistyped fields.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use base64::Engine as _;

use super::gotime::{self, LocalZone};
use crate::chart::model::{Dependency, Maintainer, Metadata};
use crate::engine::value::types;
use crate::engine::{Map, Timestamp, Value};

/// A release's status (pkg/release/common.Status). Any string decodes; the known ones have
/// variants.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Unknown,
    Deployed,
    Uninstalled,
    Superseded,
    Failed,
    Uninstalling,
    PendingInstall,
    PendingUpgrade,
    PendingRollback,
    /// A status string Helm does not define (kept as written). The empty string is `Other("")`.
    Other(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::Unknown => "unknown",
            Status::Deployed => "deployed",
            Status::Uninstalled => "uninstalled",
            Status::Superseded => "superseded",
            Status::Failed => "failed",
            Status::Uninstalling => "uninstalling",
            Status::PendingInstall => "pending-install",
            Status::PendingUpgrade => "pending-upgrade",
            Status::PendingRollback => "pending-rollback",
            Status::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "unknown" => Status::Unknown,
            "deployed" => Status::Deployed,
            "uninstalled" => Status::Uninstalled,
            "superseded" => Status::Superseded,
            "failed" => Status::Failed,
            "uninstalling" => Status::Uninstalling,
            "pending-install" => Status::PendingInstall,
            "pending-upgrade" => Status::PendingUpgrade,
            "pending-rollback" => Status::PendingRollback,
            other => Status::Other(other.to_string()),
        }
    }

    /// `Status.IsPending()`.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            Status::PendingInstall | Status::PendingUpgrade | Status::PendingRollback
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hook event (`helm.sh/hook` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }

    /// The annotation spellings manifest_sorter.go accepts (plus Helm 2's `test-success`).
    pub fn from_annotation(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }
}

impl fmt::Display for HookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `helm.sh/hook-delete-policy` values.
pub const HOOK_SUCCEEDED: &str = "hook-succeeded";
pub const HOOK_FAILED: &str = "hook-failed";
pub const BEFORE_HOOK_CREATION: &str = "before-hook-creation";

/// The phase of a hook run (`HookPhase`); any string decodes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HookPhase(pub String);

impl HookPhase {
    pub const UNKNOWN: &'static str = "Unknown";
    pub const RUNNING: &'static str = "Running";
    pub const SUCCEEDED: &'static str = "Succeeded";
    pub const FAILED: &'static str = "Failed";

    pub fn new(s: &str) -> HookPhase {
        HookPhase(s.to_string())
    }
}

/// `HookExecution`: when a hook last ran and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct HookExecution {
    pub started_at: Timestamp,
    pub completed_at: Timestamp,
    pub phase: HookPhase,
}

impl Default for HookExecution {
    fn default() -> Self {
        HookExecution {
            started_at: gotime::zero(),
            completed_at: gotime::zero(),
            phase: HookPhase::default(),
        }
    }
}

/// A hook: one manifest annotated with `helm.sh/hook`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    /// The template it came from (`demo/templates/hooks.yaml`).
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
    pub last_run: HookExecution,
    pub weight: i64,
    pub delete_policies: Vec<String>,
    pub output_log_policies: Vec<String>,
}

impl Hook {
    pub fn has_event(&self, e: HookEvent) -> bool {
        self.events.contains(&e)
    }
}

/// `Info`: times, status, description and notes of one revision.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    pub first_deployed: Timestamp,
    pub last_deployed: Timestamp,
    pub deleted: Timestamp,
    pub description: String,
    pub status: Status,
    pub notes: String,
    /// `helm status` fills this with the live objects (`v1/Pod(related)` → objects).
    pub resources: BTreeMap<String, Vec<serde_json::Value>>,
}

impl Default for Info {
    fn default() -> Self {
        Info {
            first_deployed: gotime::zero(),
            last_deployed: gotime::zero(),
            deleted: gotime::zero(),
            description: String::new(),
            status: Status::Other(String::new()),
            notes: String::new(),
            resources: BTreeMap::new(),
        }
    }
}

/// A file of a stored chart (`common.File`).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordFile {
    pub name: String,
    pub data: Rc<[u8]>,
    /// Zero when unknown (then omitted, `omitzero`).
    pub modtime: Timestamp,
}

/// `Chart.lock` as Helm parses it (`chart.Lock`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lock {
    pub generated: Timestamp,
    pub digest: String,
    /// `None` is Go's nil slice (`null`).
    pub dependencies: Option<Vec<Dependency>>,
}

/// The chart as a release record holds it: no subcharts (Helm does not serialize them), no
/// raw files. `None`/nil fields marshal as `null`, as Go's nil pointers, slices and maps do.
#[derive(Clone, Debug)]
pub struct ReleaseChart {
    pub metadata: Option<Metadata>,
    pub lock: Option<Lock>,
    pub templates: Option<Vec<RecordFile>>,
    /// A nil map marshals as `null` (a chart without values.yaml).
    pub values: Map,
    pub schema: Option<Rc<[u8]>>,
    pub schema_modtime: Timestamp,
    pub files: Option<Vec<RecordFile>>,
    pub modtime: Timestamp,
}

impl Default for ReleaseChart {
    fn default() -> Self {
        ReleaseChart {
            metadata: None,
            lock: None,
            templates: None,
            values: Map::nil(types::MAP),
            schema: None,
            schema_modtime: gotime::zero(),
            files: None,
            modtime: gotime::zero(),
        }
    }
}

/// Modification times for a chart's files, when the caller knows them (Helm takes them from
/// the file system or the archive; the playground has none, so they are zero and omitted).
#[derive(Clone, Debug, Default)]
pub struct ChartTimes {
    /// Chart.yaml's time (the chart's `modtime`).
    pub chart: Option<Timestamp>,
    /// values.schema.json's time.
    pub schema: Option<Timestamp>,
    /// Per file path (`templates/a.yaml`, `README.md`).
    pub files: BTreeMap<String, Timestamp>,
}

impl ReleaseChart {
    /// The record of a loaded chart (what `json.Marshal(chart)` sees after Helm loaded it).
    pub fn from_chart(c: &crate::chart::Chart, times: &ChartTimes) -> Result<ReleaseChart, String> {
        let t = |name: &str| times.files.get(name).cloned().unwrap_or_else(gotime::zero);
        let file = |f: &crate::chart::File| RecordFile {
            name: f.name.clone(),
            data: f.data.clone(),
            modtime: t(&f.name),
        };
        // Helm's Chart.Lock comes from the last Chart.lock or requirements.lock it loaded.
        let lock = match c
            .raw
            .iter()
            .rev()
            .find(|f| f.name == "Chart.lock" || f.name == "requirements.lock")
        {
            Some(f) => Some(parse_lock(&f.text())?),
            None => None,
        };
        Ok(ReleaseChart {
            metadata: Some(c.metadata.clone()),
            lock,
            templates: if c.templates.is_empty() {
                None
            } else {
                Some(c.templates.iter().map(file).collect())
            },
            values: if c.values_present {
                c.values.with_type_shared(types::MAP)
            } else {
                Map::nil(types::MAP)
            },
            schema: c.schema.clone(),
            schema_modtime: match (&c.schema, &times.schema) {
                (Some(_), Some(ts)) => ts.clone(),
                _ => gotime::zero(),
            },
            files: if c.files.is_empty() {
                None
            } else {
                Some(c.files.iter().map(file).collect())
            },
            modtime: times.chart.clone().unwrap_or_else(gotime::zero),
        })
    }

    /// The chart again, for what Helm does with a stored chart: coalescing values
    /// (`get values --all`, `--reuse-values`). Subcharts are gone, as in Helm.
    pub fn to_chart(&self) -> crate::chart::Chart {
        let files = |v: &Option<Vec<RecordFile>>| -> Vec<crate::chart::File> {
            v.iter()
                .flatten()
                .map(|f| crate::chart::File {
                    name: f.name.clone(),
                    data: f.data.clone(),
                })
                .collect()
        };
        let mut c = crate::chart::Chart {
            metadata: self.metadata.clone().unwrap_or_default(),
            templates: files(&self.templates),
            values: if self.values.is_nil() {
                Map::new()
            } else {
                self.values.clone()
            },
            values_present: !self.values.is_nil(),
            schema: self.schema.clone(),
            files: files(&self.files),
            ..Default::default()
        };
        c.set_root();
        c
    }

    pub fn name(&self) -> &str {
        self.metadata
            .as_ref()
            .map(|m| m.name.as_str())
            .unwrap_or("")
    }
}

/// A release: one revision of an installed chart.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    pub info: Option<Info>,
    pub chart: Option<ReleaseChart>,
    /// The user-supplied values (nil: none).
    pub config: Map,
    pub manifest: String,
    pub hooks: Vec<Hook>,
    pub version: i64,
    pub namespace: String,
    /// Not serialized: the storage object's labels (filtered or not, depending on the read).
    pub labels: BTreeMap<String, String>,
    /// `ssa` or `csa`.
    pub apply_method: String,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            name: String::new(),
            info: None,
            chart: None,
            config: Map::nil(types::MAP),
            manifest: String::new(),
            hooks: Vec::new(),
            version: 0,
            namespace: String::new(),
            labels: BTreeMap::new(),
            apply_method: String::new(),
        }
    }
}

impl Release {
    /// `Release.SetStatus`.
    pub fn set_status(&mut self, status: Status, msg: &str) {
        let info = self.info.get_or_insert_with(Info::default);
        info.status = status;
        info.description = msg.to_string();
    }

    pub fn status(&self) -> Status {
        self.info
            .as_ref()
            .map(|i| i.status.clone())
            .unwrap_or(Status::Other(String::new()))
    }

    pub fn info_mut(&mut self) -> &mut Info {
        self.info.get_or_insert_with(Info::default)
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// A writer for Go struct JSON: keys in the order written, `,` between members.
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut String) -> Obj<'a> {
        out.push('{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
        self.out
    }
    fn str(&mut self, k: &str, v: &str) {
        let out = self.key(k);
        crate::json::write_string(out, v, true);
    }
    fn str_omitempty(&mut self, k: &str, v: &str) {
        if !v.is_empty() {
            self.str(k, v);
        }
    }
    fn time(&mut self, k: &str, t: &Timestamp) {
        let s = gotime::rfc3339_nano(t);
        self.str(k, &s);
    }
    fn time_omitzero(&mut self, k: &str, t: &Timestamp) {
        if !gotime::is_zero(t) {
            self.time(k, t);
        }
    }
    fn raw(&mut self, k: &str, v: &str) {
        self.key(k).push_str(v);
    }
    fn close(self) {
        self.out.push('}');
    }
}

fn write_strs(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::json::write_string(out, s, true);
    }
    out.push(']');
}

fn write_value(out: &mut String, v: &Value) -> Result<(), String> {
    out.push_str(&crate::json::to_json(v, true)?);
    Ok(())
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn write_file(out: &mut String, f: &RecordFile) {
    let mut o = Obj::open(out);
    o.str("name", &f.name);
    o.str("data", &b64(&f.data));
    o.time_omitzero("modtime", &f.modtime);
    o.close();
}

fn write_files(out: &mut String, files: &Option<Vec<RecordFile>>) {
    match files {
        None => out.push_str("null"),
        Some(fs) => {
            out.push('[');
            for (i, f) in fs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_file(out, f);
            }
            out.push(']');
        }
    }
}

/// `chart.Dependency` with its JSON tags.
fn write_dependency(out: &mut String, d: &Dependency) -> Result<(), String> {
    let mut o = Obj::open(out);
    o.str("name", &d.name);
    o.str_omitempty("version", &d.version);
    o.str("repository", &d.repository);
    o.str_omitempty("condition", &d.condition);
    if !d.tags.is_empty() {
        write_strs(o.key("tags"), &d.tags);
    }
    if d.enabled {
        o.raw("enabled", "true");
    }
    if !d.import_values.is_empty() {
        let out = o.key("import-values");
        out.push('[');
        for (i, v) in d.import_values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_value(out, v)?;
        }
        out.push(']');
    }
    o.str_omitempty("alias", &d.alias);
    o.close();
    Ok(())
}

fn write_maintainer(out: &mut String, m: &Maintainer) {
    let mut o = Obj::open(out);
    o.str_omitempty("name", &m.name);
    o.str_omitempty("email", &m.email);
    o.str_omitempty("url", &m.url);
    o.close();
}

fn write_string_map(out: &mut String, m: &BTreeMap<String, String>) {
    let mut o = Obj::open(out);
    for (k, v) in m {
        let out = o.key_escaped(k);
        crate::json::write_string(out, v, true);
    }
    o.close();
}

impl Obj<'_> {
    /// A map key (escaped like any string).
    fn key_escaped(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        crate::json::write_string(self.out, k, true);
        self.out.push(':');
        self.out
    }
}

/// `chart.Metadata` with its JSON tags (everything `omitempty`).
pub fn write_metadata(out: &mut String, m: &Metadata) -> Result<(), String> {
    let mut o = Obj::open(out);
    o.str_omitempty("name", &m.name);
    o.str_omitempty("home", &m.home);
    if !m.sources.is_empty() {
        write_strs(o.key("sources"), &m.sources);
    }
    o.str_omitempty("version", &m.version);
    o.str_omitempty("description", &m.description);
    if !m.keywords.is_empty() {
        write_strs(o.key("keywords"), &m.keywords);
    }
    if !m.maintainers.is_empty() {
        let out = o.key("maintainers");
        out.push('[');
        for (i, mt) in m.maintainers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_maintainer(out, mt);
        }
        out.push(']');
    }
    o.str_omitempty("icon", &m.icon);
    o.str_omitempty("apiVersion", &m.api_version);
    o.str_omitempty("condition", &m.condition);
    o.str_omitempty("tags", &m.tags);
    o.str_omitempty("appVersion", &m.app_version);
    if m.deprecated {
        o.raw("deprecated", "true");
    }
    if let Some(a) = &m.annotations {
        if !a.is_empty() {
            write_string_map(o.key("annotations"), a);
        }
    }
    o.str_omitempty("kubeVersion", &m.kube_version);
    let deps = m.dependencies.as_deref().unwrap_or(&[]);
    if !deps.is_empty() {
        let out = o.key("dependencies");
        out.push('[');
        for (i, d) in deps.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_dependency(out, d)?;
        }
        out.push(']');
    }
    o.str_omitempty("type", &m.type_);
    o.close();
    Ok(())
}

fn write_lock(out: &mut String, l: &Lock) -> Result<(), String> {
    let mut o = Obj::open(out);
    o.time("generated", &l.generated);
    o.str("digest", &l.digest);
    match &l.dependencies {
        None => o.raw("dependencies", "null"),
        Some(ds) => {
            let out = o.key("dependencies");
            out.push('[');
            for (i, d) in ds.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_dependency(out, d)?;
            }
            out.push(']');
        }
    }
    o.close();
    Ok(())
}

/// `json.Marshal(chart)`.
pub fn write_chart(out: &mut String, c: &ReleaseChart) -> Result<(), String> {
    let mut o = Obj::open(out);
    match &c.metadata {
        None => o.raw("metadata", "null"),
        Some(m) => write_metadata(o.key("metadata"), m)?,
    }
    match &c.lock {
        None => o.raw("lock", "null"),
        Some(l) => write_lock(o.key("lock"), l)?,
    }
    write_files(o.key("templates"), &c.templates);
    write_value(o.key("values"), &Value::Map(c.values.clone()))?;
    match &c.schema {
        None => o.raw("schema", "null"),
        Some(s) => o.str("schema", &b64(s)),
    }
    o.time("schemamodtime", &c.schema_modtime);
    write_files(o.key("files"), &c.files);
    o.time_omitzero("modtime", &c.modtime);
    o.close();
    Ok(())
}

/// `Info.MarshalJSON`.
pub fn write_info(out: &mut String, i: &Info) -> Result<(), String> {
    let mut o = Obj::open(out);
    o.time_omitzero("first_deployed", &i.first_deployed);
    o.time_omitzero("last_deployed", &i.last_deployed);
    o.time_omitzero("deleted", &i.deleted);
    o.str_omitempty("description", &i.description);
    o.str_omitempty("status", i.status.as_str());
    o.str_omitempty("notes", &i.notes);
    if !i.resources.is_empty() {
        let out = o.key("resources");
        let mut r = Obj::open(out);
        for (k, objs) in &i.resources {
            let out = r.key_escaped(k);
            out.push('[');
            for (n, v) in objs.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_serde(out, v);
            }
            out.push(']');
        }
        r.close();
    }
    o.close();
    Ok(())
}

/// `write_serde` into a new string.
pub fn serde_compact(v: &serde_json::Value) -> String {
    let mut s = String::new();
    write_serde(&mut s, v);
    s
}

/// A Kubernetes object as `json.Marshal` of an unstructured map writes it: keys sorted.
pub fn write_serde(out: &mut String, v: &serde_json::Value) {
    use serde_json::Value as J;
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) => crate::json::write_string(out, s, true),
        J::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_serde(out, x);
            }
            out.push(']');
        }
        J::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::json::write_string(out, k, true);
                out.push(':');
                write_serde(out, &m[k.as_str()]);
            }
            out.push('}');
        }
    }
}

fn write_hook_execution(out: &mut String, h: &HookExecution) {
    let mut o = Obj::open(out);
    o.time_omitzero("started_at", &h.started_at);
    o.time_omitzero("completed_at", &h.completed_at);
    o.str("phase", &h.phase.0);
    o.close();
}

/// `json.Marshal(hook)`.
pub fn write_hook(out: &mut String, h: &Hook) {
    let mut o = Obj::open(out);
    o.str_omitempty("name", &h.name);
    o.str_omitempty("kind", &h.kind);
    o.str_omitempty("path", &h.path);
    o.str_omitempty("manifest", &h.manifest);
    if !h.events.is_empty() {
        let evs: Vec<String> = h.events.iter().map(|e| e.as_str().to_string()).collect();
        write_strs(o.key("events"), &evs);
    }
    write_hook_execution(o.key("last_run"), &h.last_run);
    if h.weight != 0 {
        o.raw("weight", &h.weight.to_string());
    }
    if !h.delete_policies.is_empty() {
        write_strs(o.key("delete_policies"), &h.delete_policies);
    }
    if !h.output_log_policies.is_empty() {
        write_strs(o.key("output_log_policies"), &h.output_log_policies);
    }
    o.close();
}

/// `json.Marshal(release)`: the bytes Helm gzips into a storage record.
pub fn to_json(r: &Release) -> Result<String, String> {
    let mut out = String::with_capacity(8192);
    let mut o = Obj::open(&mut out);
    o.str_omitempty("name", &r.name);
    if let Some(i) = &r.info {
        write_info(o.key("info"), i)?;
    }
    if let Some(c) = &r.chart {
        write_chart(o.key("chart"), c)?;
    }
    if !r.config.is_empty() {
        write_value(o.key("config"), &Value::Map(r.config.clone()))?;
    }
    o.str_omitempty("manifest", &r.manifest);
    if !r.hooks.is_empty() {
        let out = o.key("hooks");
        out.push('[');
        for (i, h) in r.hooks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_hook(out, h);
        }
        out.push(']');
    }
    if r.version != 0 {
        o.raw("version", &r.version.to_string());
    }
    o.str_omitempty("namespace", &r.namespace);
    o.str_omitempty("apply_method", &r.apply_method);
    o.close();
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Decoding context: the struct path for Go's error texts and the local zone for times.
struct Dec<'a> {
    local: &'a LocalZone,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Nil => "null",
        _ => "number",
    }
}

fn type_err(v: &Value, st: &str, field: &str, ty: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {st}.{field} of type {ty}",
        json_kind(v)
    )
}

/// encoding/json's key matching: exact, else case-insensitive (with Go's special folds).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{212A}' => 'k',
            '\u{17F}' => 's',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Looks a struct field up in a decoded JSON object the way encoding/json does.
fn field(m: &Map, name: &str) -> Option<Value> {
    if let Some(v) = m.get(name) {
        return Some(v);
    }
    let f = fold(name);
    let mut found = None;
    for (k, v) in m.entries() {
        if fold(&k) == f {
            found = Some(v);
        }
    }
    found
}

impl Dec<'_> {
    fn string(&self, m: &Map, st: &str, name: &str) -> Result<String, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(v) => Err(type_err(&v, st, name, "string")),
        }
    }

    fn int(&self, m: &Map, st: &str, name: &str) -> Result<i64, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(0),
            Some(Value::Float(f)) => {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    Ok(f as i64)
                } else {
                    Err(format!(
                        "json: cannot unmarshal number {} into Go struct field {st}.{name} of type int",
                        crate::json::format_json(f)
                    ))
                }
            }
            Some(v) => Err(type_err(&v, st, name, "int")),
        }
    }

    fn bool(&self, m: &Map, st: &str, name: &str) -> Result<bool, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(v) => Err(type_err(&v, st, name, "bool")),
        }
    }

    /// A `time.Time`; `allow_empty`: Helm's custom UnmarshalJSON turns `""` into the zero time.
    fn time(&self, m: &Map, st: &str, name: &str, allow_empty: bool) -> Result<Timestamp, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(gotime::zero()),
            Some(Value::String(s)) if allow_empty && s.is_empty() => Ok(gotime::zero()),
            Some(Value::String(s)) => gotime::parse_rfc3339(&s, self.local),
            Some(v) => Err(format!(
                "json: cannot unmarshal {} into Go struct field {st}.{name} of type time.Time",
                json_kind(&v)
            )),
        }
    }

    fn strings(&self, m: &Map, st: &str, name: &str) -> Result<Vec<String>, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(Vec::new()),
            Some(Value::List(l)) => l
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.to_string()),
                    Value::Nil => Ok(String::new()),
                    v => Err(type_err(v, st, name, "string")),
                })
                .collect(),
            Some(v) => Err(type_err(&v, st, name, "[]string")),
        }
    }

    fn bytes(&self, v: &Value, st: &str, name: &str) -> Result<Option<Rc<[u8]>>, String> {
        match v {
            Value::Nil => Ok(None),
            Value::String(s) => base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map(|b| Some(Rc::from(b)))
                .map_err(|e| format!("illegal base64 data at input byte {}", base64_err_pos(&e))),
            v => Err(type_err(v, st, name, "[]uint8")),
        }
    }

    fn object(&self, v: Value, st: &str, name: &str, ty: &str) -> Result<Option<Map>, String> {
        match v {
            Value::Nil => Ok(None),
            Value::Map(m) => Ok(Some(m)),
            v => Err(type_err(&v, st, name, ty)),
        }
    }

    fn values_map(&self, m: &Map, st: &str, name: &str) -> Result<Map, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(Map::nil(types::MAP)),
            Some(Value::Map(v)) => Ok(v.with_type(types::MAP)),
            Some(v) => Err(type_err(&v, st, name, "map[string]interface {}")),
        }
    }

    fn file(&self, v: Value, name: &str) -> Result<RecordFile, String> {
        let m = self
            .object(v, "Chart", name, "common.File")?
            .unwrap_or_default();
        let data = match field(&m, "data") {
            None => None,
            Some(v) => self.bytes(&v, "File", "data")?,
        };
        Ok(RecordFile {
            name: self.string(&m, "File", "name")?,
            data: data.unwrap_or_else(|| Rc::from(Vec::new())),
            modtime: self.time(&m, "File", "modtime", false)?,
        })
    }

    fn files(&self, m: &Map, name: &str) -> Result<Option<Vec<RecordFile>>, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(None),
            Some(Value::List(l)) => Ok(Some(
                l.iter()
                    .map(|v| self.file(v.clone(), name))
                    .collect::<Result<_, _>>()?,
            )),
            Some(v) => Err(type_err(&v, "Chart", name, "[]*common.File")),
        }
    }

    fn dependency(&self, v: Value, st: &str, name: &str) -> Result<Dependency, String> {
        let m = self
            .object(v, st, name, "chart.Dependency")?
            .unwrap_or_default();
        let import_values = match field(&m, "import-values") {
            None | Some(Value::Nil) => Vec::new(),
            Some(Value::List(l)) => l.items().to_vec(),
            Some(v) => {
                return Err(type_err(
                    &v,
                    "Dependency",
                    "import-values",
                    "[]interface {}",
                ))
            }
        };
        Ok(Dependency {
            name: self.string(&m, "Dependency", "name")?,
            version: self.string(&m, "Dependency", "version")?,
            repository: self.string(&m, "Dependency", "repository")?,
            condition: self.string(&m, "Dependency", "condition")?,
            tags: self.strings(&m, "Dependency", "tags")?,
            enabled: self.bool(&m, "Dependency", "enabled")?,
            import_values,
            alias: self.string(&m, "Dependency", "alias")?,
        })
    }

    fn dependencies(
        &self,
        m: &Map,
        st: &str,
        name: &str,
    ) -> Result<Option<Vec<Dependency>>, String> {
        match field(m, name) {
            None | Some(Value::Nil) => Ok(None),
            Some(Value::List(l)) => Ok(Some(
                l.iter()
                    .map(|v| self.dependency(v.clone(), st, name))
                    .collect::<Result<_, _>>()?,
            )),
            Some(v) => Err(type_err(&v, st, name, "[]*chart.Dependency")),
        }
    }

    fn metadata(&self, v: Value) -> Result<Option<Metadata>, String> {
        let Some(m) = self.object(v, "Chart", "metadata", "chart.Metadata")? else {
            return Ok(None);
        };
        let st = "Metadata";
        let maintainers = match field(&m, "maintainers") {
            None | Some(Value::Nil) => Vec::new(),
            Some(Value::List(l)) => l
                .iter()
                .map(|v| {
                    let mm = self
                        .object(v.clone(), st, "maintainers", "chart.Maintainer")?
                        .unwrap_or_default();
                    Ok(Maintainer {
                        name: self.string(&mm, "Maintainer", "name")?,
                        email: self.string(&mm, "Maintainer", "email")?,
                        url: self.string(&mm, "Maintainer", "url")?,
                    })
                })
                .collect::<Result<_, String>>()?,
            Some(v) => return Err(type_err(&v, st, "maintainers", "[]*chart.Maintainer")),
        };
        let annotations = match field(&m, "annotations") {
            None | Some(Value::Nil) => None,
            Some(Value::Map(a)) => {
                let mut out = BTreeMap::new();
                for (k, v) in a.entries() {
                    match v {
                        Value::String(s) => {
                            out.insert(k.to_string(), s.to_string());
                        }
                        Value::Nil => {
                            out.insert(k.to_string(), String::new());
                        }
                        v => return Err(type_err(&v, st, "annotations", "string")),
                    }
                }
                Some(out)
            }
            Some(v) => return Err(type_err(&v, st, "annotations", "map[string]string")),
        };
        Ok(Some(Metadata {
            name: self.string(&m, st, "name")?,
            home: self.string(&m, st, "home")?,
            sources: self.strings(&m, st, "sources")?,
            version: self.string(&m, st, "version")?,
            description: self.string(&m, st, "description")?,
            keywords: self.strings(&m, st, "keywords")?,
            maintainers,
            icon: self.string(&m, st, "icon")?,
            api_version: self.string(&m, st, "apiVersion")?,
            condition: self.string(&m, st, "condition")?,
            tags: self.string(&m, st, "tags")?,
            app_version: self.string(&m, st, "appVersion")?,
            deprecated: self.bool(&m, st, "deprecated")?,
            annotations,
            kube_version: self.string(&m, st, "kubeVersion")?,
            dependencies: self.dependencies(&m, st, "dependencies")?,
            type_: self.string(&m, st, "type")?,
            ..Default::default()
        }))
    }

    fn chart(&self, v: Value) -> Result<Option<ReleaseChart>, String> {
        let Some(m) = self.object(v, "Release", "chart", "chart.Chart")? else {
            return Ok(None);
        };
        let lock = match field(&m, "lock") {
            None | Some(Value::Nil) => None,
            Some(v) => {
                let lm = self
                    .object(v, "Chart", "lock", "chart.Lock")?
                    .unwrap_or_default();
                Some(Lock {
                    generated: self.time(&lm, "Lock", "generated", false)?,
                    digest: self.string(&lm, "Lock", "digest")?,
                    dependencies: self.dependencies(&lm, "Lock", "dependencies")?,
                })
            }
        };
        let schema = match field(&m, "schema") {
            None => None,
            Some(v) => self.bytes(&v, "Chart", "schema")?,
        };
        Ok(Some(ReleaseChart {
            metadata: match field(&m, "metadata") {
                None => None,
                Some(v) => self.metadata(v)?,
            },
            lock,
            templates: self.files(&m, "templates")?,
            values: self.values_map(&m, "Chart", "values")?,
            schema,
            schema_modtime: self.time(&m, "Chart", "schemamodtime", false)?,
            files: self.files(&m, "files")?,
            modtime: self.time(&m, "Chart", "modtime", false)?,
        }))
    }

    fn info(&self, v: Value) -> Result<Option<Info>, String> {
        let Some(m) = self.object(v, "Release", "info", "v1.Info")? else {
            return Ok(None);
        };
        let st = "infoJSON";
        let mut resources = BTreeMap::new();
        match field(&m, "resources") {
            None | Some(Value::Nil) => {}
            Some(Value::Map(r)) => {
                for (k, v) in r.entries() {
                    let items = match v {
                        Value::List(l) => l
                            .iter()
                            .map(|x| crate::json::to_serde(x).unwrap_or(serde_json::Value::Null))
                            .collect(),
                        _ => Vec::new(),
                    };
                    resources.insert(k.to_string(), items);
                }
            }
            Some(v) => return Err(type_err(&v, st, "resources", "map[string][]runtime.Object")),
        }
        Ok(Some(Info {
            first_deployed: self.time(&m, st, "first_deployed", true)?,
            last_deployed: self.time(&m, st, "last_deployed", true)?,
            deleted: self.time(&m, st, "deleted", true)?,
            description: self.string(&m, st, "description")?,
            status: Status::parse(&self.string(&m, st, "status")?),
            notes: self.string(&m, st, "notes")?,
            resources,
        }))
    }

    fn hook(&self, v: Value) -> Result<Hook, String> {
        let m = self
            .object(v, "Release", "hooks", "v1.Hook")?
            .unwrap_or_default();
        let st = "Hook";
        let events = self
            .strings(&m, st, "events")?
            .into_iter()
            .map(|e| {
                HookEvent::from_annotation(&e).ok_or_else(|| {
                    format!("json: unknown hook event {e:?} in Go struct field Hook.events")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let last_run = match field(&m, "last_run") {
            None | Some(Value::Nil) => HookExecution::default(),
            Some(v) => {
                let lm = self
                    .object(v, st, "last_run", "v1.HookExecution")?
                    .unwrap_or_default();
                let est = "hookExecutionJSON";
                HookExecution {
                    started_at: self.time(&lm, est, "started_at", true)?,
                    completed_at: self.time(&lm, est, "completed_at", true)?,
                    phase: HookPhase(self.string(&lm, est, "phase")?),
                }
            }
        };
        Ok(Hook {
            name: self.string(&m, st, "name")?,
            kind: self.string(&m, st, "kind")?,
            path: self.string(&m, st, "path")?,
            manifest: self.string(&m, st, "manifest")?,
            events,
            last_run,
            weight: self.int(&m, st, "weight")?,
            delete_policies: self.strings(&m, st, "delete_policies")?,
            output_log_policies: self.strings(&m, st, "output_log_policies")?,
        })
    }
}

fn base64_err_pos(e: &base64::DecodeError) -> usize {
    match e {
        base64::DecodeError::InvalidByte(p, _) => *p,
        base64::DecodeError::InvalidLength(p) => *p,
        base64::DecodeError::InvalidLastSymbol(p, _) => *p,
        base64::DecodeError::InvalidPadding => 0,
    }
}

/// `json.Unmarshal(data, &release)`. Times with an offset equal to `local`'s get its zone name.
pub fn from_json(data: &str, local: &LocalZone) -> Result<Release, String> {
    let v = crate::json::parse(data)?;
    let m = match v {
        Value::Map(m) => m,
        Value::Nil => Map::new(),
        v => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type v1.Release",
                json_kind(&v)
            ))
        }
    };
    let d = Dec { local };
    let st = "Release";
    let hooks = match field(&m, "hooks") {
        None | Some(Value::Nil) => Vec::new(),
        Some(Value::List(l)) => l
            .iter()
            .map(|h| d.hook(h.clone()))
            .collect::<Result<_, _>>()?,
        Some(v) => return Err(type_err(&v, st, "hooks", "[]*v1.Hook")),
    };
    Ok(Release {
        name: d.string(&m, st, "name")?,
        info: match field(&m, "info") {
            None => None,
            Some(v) => d.info(v)?,
        },
        chart: match field(&m, "chart") {
            None => None,
            Some(v) => d.chart(v)?,
        },
        config: d.values_map(&m, st, "config")?,
        manifest: d.string(&m, st, "manifest")?,
        hooks,
        version: d.int(&m, st, "version")?,
        namespace: d.string(&m, st, "namespace")?,
        labels: BTreeMap::new(),
        apply_method: d.string(&m, st, "apply_method")?,
    })
}

/// Parses `Chart.lock` (YAML) into Helm's `Lock`.
pub fn parse_lock(text: &str) -> Result<Lock, String> {
    let v = crate::yaml::parse(text).map_err(|e| format!("cannot load Chart.lock: {e}"))?;
    let m = match v {
        Value::Map(m) => m,
        Value::Nil => Map::new(),
        v => {
            return Err(format!(
                "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type chart.Lock",
                json_kind(&v)
            ))
        }
    };
    let local = LocalZone::utc();
    let d = Dec { local: &local };
    let wrap = |e: String| {
        format!("cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: {e}")
    };
    Ok(Lock {
        generated: d.time(&m, "Lock", "generated", false).map_err(wrap)?,
        digest: d.string(&m, "Lock", "digest").map_err(wrap)?,
        dependencies: d.dependencies(&m, "Lock", "dependencies").map_err(wrap)?,
    })
}
