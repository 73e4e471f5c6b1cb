//! Release storage (pkg/storage storage.go and pkg/storage/driver secrets.go, cfgmaps.go,
//! memory.go, util.go, labels.go): records `sh.helm.release.v1.NAME.vN` holding
//! base64(gzip(json)) of the release, labelled `name`, `owner=helm`, `status`, `version` plus
//! `createdAt`/`modifiedAt`, kept as Secrets (type `helm.sh/release.v1`), ConfigMaps, or in
//! memory; and the queries the actions make (history, last, deployed, pruning to
//! `--history-max`).
//!
//! Quirks kept on purpose because Helm has them: a record's custom labels are re-applied after
//! the driver sets `modifiedAt`, so a label copied from an earlier record wins over the fresh
//! timestamp; `Get` filters system labels out while `List`/`Query` keep them all.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::rc::Rc;

use base64::Engine as _;
use serde_json::{json, Value as J};

use super::gotime::{self, LocalZone};
use super::model::{self, Release, Status};
use crate::engine::env::Clock;
use crate::kube::cluster::{Cluster, DeleteOptions, ListOptions, WriteOptions};
use crate::kube::object::GroupVersionResource;
use crate::kube::status::ApiError;

/// The record name prefix (`storage.HelmStorageType`).
pub const STORAGE_TYPE: &str = "sh.helm.release.v1";

/// The labels only Helm may set (`driver.GetSystemLabels`).
pub const SYSTEM_LABELS: [&str; 6] = [
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];

/// `makeKey`: `sh.helm.release.v1.NAME.vN`.
pub fn make_key(name: &str, version: i64) -> String {
    format!("{STORAGE_TYPE}.{name}.v{version}")
}

/// Storage errors, worded as Helm's driver errors.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// `release: not found`
    NotFound,
    /// `release: already exists`
    Exists,
    /// `"NAME" has no deployed releases`
    NoDeployed(String),
    /// `no revision for release "NAME"`
    NoRevision(String),
    /// Anything else, already worded.
    Other(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::NotFound => f.write_str("release: not found"),
            StorageError::Exists => f.write_str("release: already exists"),
            StorageError::NoDeployed(n) => write!(f, "{} has no deployed releases", go_quote(n)),
            StorageError::NoRevision(n) => write!(f, "no revision for release {}", go_quote(n)),
            StorageError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for StorageError {}

/// Go's `%q` for the names in storage errors.
pub fn go_quote(s: &str) -> String {
    let mut out = String::new();
    crate::json::write_string(&mut out, s, false);
    // JSON and Go quoting agree for the characters release names can hold; control
    // characters differ (`\u0001` vs `\x01`), so fix those up.
    let mut fixed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("\\u00") {
        fixed.push_str(&rest[..i]);
        let hex = &rest[i + 4..(i + 6).min(rest.len())];
        match hex {
            "08" => fixed.push_str("\\b"),
            "0c" => fixed.push_str("\\f"),
            "0b" => fixed.push_str("\\v"),
            "07" => fixed.push_str("\\a"),
            _ => {
                fixed.push_str("\\x");
                fixed.push_str(hex);
            }
        }
        rest = &rest[(i + 6).min(rest.len())..];
    }
    fixed.push_str(rest);
    fixed
}

/// `encodeRelease`: json.Marshal, gzip at BestCompression with Go's header (no name, no
/// mtime, XFL 2, OS 255), standard base64. The deflate stream itself is flate2's, not Go's, so
/// the bytes differ from Helm's while decoding to the same JSON.
pub fn encode_release(r: &Release) -> Result<String, String> {
    let json = model::to_json(r)?;
    Ok(encode_json(json.as_bytes()))
}

/// base64(gzip(bytes)) as Helm writes it.
pub fn encode_json(data: &[u8]) -> String {
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(data);
    let bytes = gz.finish().unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `decodeRelease`: base64, gunzip when the gzip magic is there (records from before Helm
/// compressed are plain JSON), json.Unmarshal.
pub fn decode_release(data: &str, local: &LocalZone) -> Result<Release, String> {
    let json = decode_to_json(data)?;
    model::from_json(&json, local)
}

/// The JSON text inside a record.
pub fn decode_to_json(data: &str) -> Result<String, String> {
    let b = decode_b64(data)?;
    let b = if b.len() > 3 && b[0..3] == [0x1f, 0x8b, 0x08] {
        let mut out = Vec::new();
        let mut r = flate2::read::GzDecoder::new(b.as_slice());
        // bound what a corrupt or hostile record can expand to
        let mut limited = (&mut r).take(256 << 20);
        limited
            .read_to_end(&mut out)
            .map_err(|e| gzip_err(&e.to_string()))?;
        out
    } else {
        b
    };
    // encoding/json reads invalid UTF-8 as U+FFFD rather than failing
    Ok(String::from_utf8_lossy(&b).into_owned())
}

fn gzip_err(e: &str) -> String {
    if e.contains("invalid gzip header") {
        "gzip: invalid header".into()
    } else if e.contains("corrupt") || e.contains("invalid") {
        format!("flate: corrupt input ({e})")
    } else {
        "unexpected EOF".into()
    }
}

/// Go's `base64.StdEncoding.DecodeString` (padding required, no newlines skipped except CR/LF).
fn decode_b64(s: &str) -> Result<Vec<u8>, String> {
    let cleaned: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| {
            let pos = match e {
                base64::DecodeError::InvalidByte(p, _) => p,
                base64::DecodeError::InvalidLength(p) => p,
                base64::DecodeError::InvalidLastSymbol(p, _) => p,
                base64::DecodeError::InvalidPadding => cleaned.len().saturating_sub(1),
            };
            format!("illegal base64 data at input byte {pos}")
        })
}

fn is_system_label(k: &str) -> bool {
    SYSTEM_LABELS.contains(&k)
}

/// `filterSystemLabels`.
pub fn filter_system_labels(l: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    l.iter()
        .filter(|(k, _)| !is_system_label(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `ContainsSystemLabels`.
pub fn contains_system_labels(l: &BTreeMap<String, String>) -> bool {
    l.keys().any(|k| is_system_label(k))
}

/// The error for user labels that use a system name.
pub fn system_labels_error() -> String {
    format!(
        "user supplied labels contains system reserved label name. System labels: [{}]",
        SYSTEM_LABELS.join(" ")
    )
}

/// Which kind of object holds the records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriverKind {
    Secret,
    ConfigMap,
    Memory,
}

impl DriverKind {
    /// `HELM_DRIVER` values: `secret`/`secrets`/empty, `configmap`/`configmaps`, `memory`.
    pub fn parse(s: &str) -> Result<DriverKind, String> {
        match s {
            "" | "secret" | "secrets" => Ok(DriverKind::Secret),
            "configmap" | "configmaps" => Ok(DriverKind::ConfigMap),
            "memory" => Ok(DriverKind::Memory),
            other => Err(format!("unknown driver {}", go_quote(other))),
        }
    }

    /// `Driver.Name()`.
    pub fn name(self) -> &'static str {
        match self {
            DriverKind::Secret => "Secret",
            DriverKind::ConfigMap => "ConfigMap",
            DriverKind::Memory => "Memory",
        }
    }

    fn gvr(self) -> GroupVersionResource {
        match self {
            DriverKind::ConfigMap => GroupVersionResource::new("", "v1", "configmaps"),
            _ => GroupVersionResource::new("", "v1", "secrets"),
        }
    }
}

/// One record of the memory driver.
#[derive(Clone, Debug)]
struct MemRecord {
    key: String,
    /// What queries match: the release's labels plus name/owner/status/version.
    labels: BTreeMap<String, String>,
    /// The release's own labels (what reads return, as Helm's memory driver keeps the object).
    rel_labels: BTreeMap<String, String>,
    json: String,
}

/// The memory driver's records, namespace → release name → records (in insertion order).
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    cache: BTreeMap<String, BTreeMap<String, Vec<MemRecord>>>,
}

/// Release storage over a cluster (or memory), in one namespace (empty: all namespaces).
pub struct Storage {
    pub driver: DriverKind,
    pub namespace: String,
    /// `--history-max`: 0 keeps everything.
    pub max_history: usize,
    pub clock: Rc<dyn Clock>,
    /// Zone decoded times are shown in when their offset matches.
    pub local: LocalZone,
    pub memory: MemoryStore,
}

fn label_selector(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn obj_labels(obj: &J) -> BTreeMap<String, String> {
    obj.get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(J::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

impl Storage {
    pub fn new(driver: DriverKind, namespace: &str, clock: Rc<dyn Clock>) -> Storage {
        let local = LocalZone::of(&clock.now());
        Storage {
            driver,
            namespace: namespace.to_string(),
            max_history: 0,
            clock,
            local,
            memory: MemoryStore::default(),
        }
    }

    fn now_unix(&self) -> String {
        gotime::unix(&self.clock.now()).to_string()
    }

    /// The Helm string inside a storage object (Secret data is base64 once more).
    fn record_data(&self, obj: &J) -> Result<String, String> {
        let raw = obj
            .get("data")
            .and_then(|d| d.get("release"))
            .and_then(J::as_str)
            .unwrap_or("");
        match self.driver {
            DriverKind::Secret => {
                let b = decode_b64(raw)?;
                Ok(String::from_utf8_lossy(&b).into_owned())
            }
            _ => Ok(raw.to_string()),
        }
    }

    /// `newSecretsObject` / `newConfigMapsObject`.
    fn new_object(
        &self,
        key: &str,
        rls: &Release,
        mut lbs: BTreeMap<String, String>,
    ) -> Result<J, String> {
        let s = encode_release(rls)?;
        for (k, v) in &rls.labels {
            lbs.insert(k.clone(), v.clone());
        }
        lbs.insert("name".into(), rls.name.clone());
        lbs.insert("owner".into(), "helm".into());
        lbs.insert("status".into(), rls.status().as_str().to_string());
        lbs.insert("version".into(), rls.version.to_string());
        let labels: serde_json::Map<String, J> =
            lbs.into_iter().map(|(k, v)| (k, J::String(v))).collect();
        Ok(match self.driver {
            DriverKind::ConfigMap => json!({
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": key, "labels": labels},
                "data": {"release": s},
            }),
            _ => json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": key, "labels": labels},
                "data": {"release": base64::engine::general_purpose::STANDARD.encode(s.as_bytes())},
                "type": "helm.sh/release.v1",
            }),
        })
    }

    fn list_objects(&self, cluster: &mut dyn Cluster, selector: &str) -> Result<Vec<J>, ApiError> {
        let ns = if self.namespace.is_empty() {
            None
        } else {
            Some(self.namespace.as_str())
        };
        let list = cluster.list(
            &self.driver.gvr(),
            ns,
            &ListOptions {
                label_selector: selector.to_string(),
                field_selector: String::new(),
            },
        )?;
        Ok(list
            .get("items")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default())
    }

    fn decode_obj(&self, obj: &J) -> Result<Release, String> {
        let data = self.record_data(obj)?;
        decode_release(&data, &self.local)
    }

    /// `Driver.Get`: the record by key, system labels filtered out.
    pub fn driver_get(
        &mut self,
        cluster: &mut dyn Cluster,
        key: &str,
    ) -> Result<Release, StorageError> {
        if self.driver == DriverKind::Memory {
            return self.mem_get(key);
        }
        let obj = match cluster.get(&self.driver.gvr(), &self.namespace, key) {
            Ok(o) => o,
            Err(e) if e.code == 404 => return Err(StorageError::NotFound),
            Err(e) => {
                return Err(StorageError::Other(match self.driver {
                    DriverKind::Secret => format!("get: failed to get {}: {e}", go_quote(key)),
                    _ => e.to_string(),
                }))
            }
        };
        let mut r = self.decode_obj(&obj).map_err(|e| {
            StorageError::Other(match self.driver {
                DriverKind::Secret => format!("get: failed to decode data {}: {e}", go_quote(key)),
                _ => e,
            })
        })?;
        r.labels = filter_system_labels(&obj_labels(&obj));
        Ok(r)
    }

    /// `Driver.List`: every record (`owner=helm`) the filter accepts; undecodable ones are
    /// skipped.
    pub fn driver_list(
        &mut self,
        cluster: &mut dyn Cluster,
        filter: &dyn Fn(&Release) -> bool,
    ) -> Result<Vec<Release>, StorageError> {
        if self.driver == DriverKind::Memory {
            return Ok(self
                .mem_all()
                .into_iter()
                .filter(|(_, r)| filter(r))
                .map(|(_, r)| r)
                .collect());
        }
        let items = self.list_objects(cluster, "owner=helm").map_err(|e| {
            StorageError::Other(match self.driver {
                DriverKind::Secret => format!("list: failed to list: {e}"),
                _ => e.to_string(),
            })
        })?;
        let mut out = Vec::new();
        for item in &items {
            let Ok(mut r) = self.decode_obj(item) else {
                continue;
            };
            r.labels = obj_labels(item);
            if filter(&r) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// `Driver.Query`: records matching all labels, in the server's order; none is
    /// `release: not found`.
    pub fn driver_query(
        &mut self,
        cluster: &mut dyn Cluster,
        labels: &BTreeMap<String, String>,
    ) -> Result<Vec<Release>, StorageError> {
        if self.driver == DriverKind::Memory {
            let rs: Vec<Release> = self
                .mem_all()
                .into_iter()
                .filter(|(l, _)| labels.iter().all(|(k, v)| l.get(k) == Some(v)))
                .map(|(_, r)| r)
                .collect();
            if rs.is_empty() {
                return Err(StorageError::NotFound);
            }
            return Ok(rs);
        }
        for v in labels.values() {
            let errs = crate::kube::validation::is_label_value(v);
            if !errs.is_empty() {
                return Err(StorageError::Other(format!(
                    "invalid label value: {}: {}",
                    go_quote(v),
                    errs.join("; ")
                )));
            }
        }
        let items = self
            .list_objects(cluster, &label_selector(labels))
            .map_err(|e| {
                StorageError::Other(match self.driver {
                    DriverKind::Secret => format!("query: failed to query with labels: {e}"),
                    _ => e.to_string(),
                })
            })?;
        if items.is_empty() {
            return Err(StorageError::NotFound);
        }
        let mut out = Vec::new();
        for item in &items {
            let Ok(mut r) = self.decode_obj(item) else {
                continue;
            };
            r.labels = obj_labels(item);
            out.push(r);
        }
        Ok(out)
    }

    /// `Driver.Create`: labels from the release plus `createdAt`.
    pub fn driver_create(
        &mut self,
        cluster: &mut dyn Cluster,
        key: &str,
        rls: &Release,
    ) -> Result<(), StorageError> {
        if self.driver == DriverKind::Memory {
            return self.mem_create(key, rls);
        }
        let mut lbs = rls.labels.clone();
        lbs.insert("createdAt".into(), self.now_unix());
        let obj = self.new_object(key, rls, lbs).map_err(|e| {
            StorageError::Other(format!(
                "create: failed to encode release {}: {e}",
                go_quote(&rls.name)
            ))
        })?;
        let ns = self.record_namespace(rls);
        match cluster.create(&self.driver.gvr(), &ns, obj, &WriteOptions::default()) {
            Ok(_) => Ok(()),
            Err(e) if e.reason == "AlreadyExists" => Err(StorageError::Exists),
            Err(e) => Err(StorageError::Other(match self.driver {
                DriverKind::Secret => format!("create: failed to create: {e}"),
                _ => e.to_string(),
            })),
        }
    }

    /// `Driver.Update`: labels from the release plus `modifiedAt` (which the release's own
    /// labels override again, as in Helm).
    pub fn driver_update(
        &mut self,
        cluster: &mut dyn Cluster,
        key: &str,
        rls: &Release,
    ) -> Result<(), StorageError> {
        if self.driver == DriverKind::Memory {
            return self.mem_update(key, rls);
        }
        let mut lbs = rls.labels.clone();
        lbs.insert("modifiedAt".into(), self.now_unix());
        let obj = self.new_object(key, rls, lbs).map_err(|e| {
            StorageError::Other(format!(
                "update: failed to encode release {}: {e}",
                go_quote(&rls.name)
            ))
        })?;
        let ns = self.record_namespace(rls);
        cluster
            .update(&self.driver.gvr(), &ns, obj, &WriteOptions::default())
            .map(|_| ())
            .map_err(|e| {
                StorageError::Other(match self.driver {
                    DriverKind::Secret => format!("update: failed to update: {e}"),
                    _ => e.to_string(),
                })
            })
    }

    /// `Driver.Delete`: reads the record, then deletes it.
    pub fn driver_delete(
        &mut self,
        cluster: &mut dyn Cluster,
        key: &str,
    ) -> Result<Release, StorageError> {
        if self.driver == DriverKind::Memory {
            return self.mem_delete(key);
        }
        let r = self.driver_get(cluster, key)?;
        let ns = if self.namespace.is_empty() {
            r.namespace.clone()
        } else {
            self.namespace.clone()
        };
        cluster
            .delete(&self.driver.gvr(), &ns, key, &DeleteOptions::default())
            .map_err(|e| StorageError::Other(e.to_string()))?;
        Ok(r)
    }

    /// The namespace a record is written to: the storage's, else the release's.
    fn record_namespace(&self, rls: &Release) -> String {
        if self.namespace.is_empty() {
            rls.namespace.clone()
        } else {
            self.namespace.clone()
        }
    }

    // --- memory driver ------------------------------------------------------------------

    fn mem_ns(&self) -> String {
        if self.namespace.is_empty() {
            "default".into()
        } else {
            self.namespace.clone()
        }
    }

    fn mem_all(&self) -> Vec<(BTreeMap<String, String>, Release)> {
        let mut out = Vec::new();
        for (ns, rels) in &self.memory.cache {
            if !self.namespace.is_empty() && *ns != self.namespace {
                continue;
            }
            for recs in rels.values() {
                for rec in recs {
                    if let Ok(mut r) = model::from_json(&rec.json, &self.local) {
                        r.labels = rec.rel_labels.clone();
                        out.push((rec.labels.clone(), r));
                    }
                }
            }
        }
        out
    }

    fn mem_key_name(key: &str) -> Result<String, StorageError> {
        let rest = key.strip_prefix("sh.helm.release.v1.").unwrap_or(key);
        let parts: Vec<&str> = rest.split(".v").collect();
        if parts.len() != 2 || parts[1].parse::<i64>().is_err() {
            return Err(StorageError::Other("release: invalid key".into()));
        }
        Ok(parts[0].to_string())
    }

    fn mem_get(&self, key: &str) -> Result<Release, StorageError> {
        let name = Self::mem_key_name(key)?;
        let ns = self.mem_ns();
        let rec = self
            .memory
            .cache
            .get(&ns)
            .and_then(|m| m.get(&name))
            .and_then(|recs| recs.iter().find(|r| r.key == key))
            .ok_or(StorageError::NotFound)?;
        let mut r = model::from_json(&rec.json, &self.local).map_err(StorageError::Other)?;
        r.labels = rec.rel_labels.clone();
        Ok(r)
    }

    fn mem_record(&self, key: &str, rls: &Release) -> Result<MemRecord, StorageError> {
        let mut lbs = rls.labels.clone();
        lbs.insert("name".into(), rls.name.clone());
        lbs.insert("owner".into(), "helm".into());
        lbs.insert("status".into(), rls.status().as_str().to_string());
        lbs.insert("version".into(), rls.version.to_string());
        Ok(MemRecord {
            key: key.to_string(),
            labels: lbs,
            rel_labels: rls.labels.clone(),
            json: model::to_json(rls).map_err(StorageError::Other)?,
        })
    }

    fn mem_create(&mut self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let ns = if rls.namespace.is_empty() {
            "default".to_string()
        } else {
            rls.namespace.clone()
        };
        self.namespace = ns.clone();
        let rec = self.mem_record(key, rls)?;
        let recs = self
            .memory
            .cache
            .entry(ns)
            .or_default()
            .entry(rls.name.clone())
            .or_default();
        if recs.iter().any(|r| r.key == key) {
            return Err(StorageError::Exists);
        }
        recs.push(rec);
        Ok(())
    }

    fn mem_update(&mut self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let ns = if rls.namespace.is_empty() {
            "default".to_string()
        } else {
            rls.namespace.clone()
        };
        self.namespace = ns.clone();
        let rec = self.mem_record(key, rls)?;
        match self
            .memory
            .cache
            .get_mut(&ns)
            .and_then(|m| m.get_mut(&rls.name))
            .and_then(|recs| recs.iter_mut().find(|r| r.key == key))
        {
            Some(slot) => {
                *slot = rec;
                Ok(())
            }
            None => Err(StorageError::NotFound),
        }
    }

    fn mem_delete(&mut self, key: &str) -> Result<Release, StorageError> {
        let name = Self::mem_key_name(key)?;
        let r = self.mem_get(key)?;
        let ns = self.mem_ns();
        if let Some(recs) = self
            .memory
            .cache
            .get_mut(&ns)
            .and_then(|m| m.get_mut(&name))
        {
            recs.retain(|r| r.key != key);
        }
        Ok(r)
    }

    // --- storage.Storage ----------------------------------------------------------------

    /// `Storage.Get(name, version)`.
    pub fn get(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
        version: i64,
    ) -> Result<Release, StorageError> {
        self.driver_get(cluster, &make_key(name, version))
    }

    /// `Storage.Create`: prunes to `max_history - 1` first when a limit is set.
    pub fn create(&mut self, cluster: &mut dyn Cluster, rls: &Release) -> Result<(), StorageError> {
        if self.max_history > 0 {
            match self.remove_least_recent(cluster, &rls.name, self.max_history as i64 - 1) {
                Ok(()) | Err(StorageError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        self.driver_create(cluster, &make_key(&rls.name, rls.version), rls)
    }

    /// `Storage.Update`.
    pub fn update(&mut self, cluster: &mut dyn Cluster, rls: &Release) -> Result<(), StorageError> {
        self.driver_update(cluster, &make_key(&rls.name, rls.version), rls)
    }

    /// `Storage.Delete`.
    pub fn delete(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
        version: i64,
    ) -> Result<Release, StorageError> {
        self.driver_delete(cluster, &make_key(name, version))
    }

    /// `Storage.ListReleases`.
    pub fn list_releases(
        &mut self,
        cluster: &mut dyn Cluster,
    ) -> Result<Vec<Release>, StorageError> {
        self.driver_list(cluster, &|_| true)
    }

    /// `Storage.History`: every record of the release, in the server's order.
    pub fn history(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
    ) -> Result<Vec<Release>, StorageError> {
        let mut q = BTreeMap::new();
        q.insert("name".to_string(), name.to_string());
        q.insert("owner".to_string(), "helm".to_string());
        self.driver_query(cluster, &q)
    }

    /// `Storage.DeployedAll`.
    pub fn deployed_all(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
    ) -> Result<Vec<Release>, StorageError> {
        let mut q = BTreeMap::new();
        q.insert("name".to_string(), name.to_string());
        q.insert("owner".to_string(), "helm".to_string());
        q.insert("status".to_string(), "deployed".to_string());
        match self.driver_query(cluster, &q) {
            Ok(v) => Ok(v),
            Err(e) if e.to_string().contains("not found") => {
                Err(StorageError::NoDeployed(name.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    /// `Storage.Deployed`: the highest deployed revision.
    pub fn deployed(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
    ) -> Result<Release, StorageError> {
        let mut ls = self.deployed_all(cluster, name)?;
        if ls.is_empty() {
            return Err(StorageError::NoDeployed(name.to_string()));
        }
        sort_by_revision_desc(&mut ls);
        Ok(ls.swap_remove(0))
    }

    /// `Storage.Last`: the highest revision.
    pub fn last(&mut self, cluster: &mut dyn Cluster, name: &str) -> Result<Release, StorageError> {
        let mut h = self.history(cluster, name)?;
        if h.is_empty() {
            return Err(StorageError::NoRevision(name.to_string()));
        }
        sort_by_revision_desc(&mut h);
        Ok(h.swap_remove(0))
    }

    /// `removeLeastRecent`: deletes the oldest revisions (never the deployed one) until
    /// `maximum` remain.
    fn remove_least_recent(
        &mut self,
        cluster: &mut dyn Cluster,
        name: &str,
        maximum: i64,
    ) -> Result<(), StorageError> {
        if maximum < 0 {
            return Ok(());
        }
        let mut rls = self.history(cluster, name)?;
        if rls.len() as i64 <= maximum {
            return Ok(());
        }
        super::util::sort_by_revision(&mut rls);
        let last_deployed = match self.deployed(cluster, name) {
            Ok(r) => Some(r.version),
            Err(StorageError::NoDeployed(_)) => None,
            Err(e) => return Err(e),
        };
        let mut to_delete = Vec::new();
        for rel in &rls {
            if rls.len() as i64 - to_delete.len() as i64 == maximum {
                break;
            }
            match last_deployed {
                Some(v) if rel.version == v => {}
                _ => to_delete.push(rel.version),
            }
        }
        let mut errs = Vec::new();
        for v in to_delete {
            if let Err(e) = self.delete(cluster, name, v) {
                errs.push(e);
            }
        }
        match errs.len() {
            0 => Ok(()),
            1 => Err(errs.swap_remove(0)),
            n => Err(StorageError::Other(format!(
                "encountered {n} deletion errors. First is: {}",
                errs[0]
            ))),
        }
    }
}

/// `Reverse(list, SortByRevision)`.
fn sort_by_revision_desc(rls: &mut [Release]) {
    super::util::sort_by_revision(rls);
    rls.reverse();
}

/// The status a record's `status` label shows.
pub fn status_label(r: &Release) -> Status {
    r.labels
        .get("status")
        .map(|s| Status::parse(s))
        .unwrap_or_else(|| r.status())
}
