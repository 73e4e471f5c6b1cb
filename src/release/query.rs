//! The read-only actions (pkg/action history.go, list.go, status.go, get.go, get_values.go,
//! get_metadata.go) and `helm test` (release_testing.go).

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;

use super::action::{ActionError, Configuration, WaitStrategy};
use super::hooks;
use super::kubeclient;
use super::model::{HookEvent, Release, ReleaseChart, Status};
use super::upgrade::coalesce_values;
use super::util;
use crate::chart::model::Dependency;
use crate::engine::{Map, Value};

/// `History.Run`: every stored revision, in the order storage returns them.
pub fn history(cfg: &mut Configuration, name: &str) -> Result<Vec<Release>, ActionError> {
    cfg.is_reachable()?;
    if super::render::validate_release_name(name).is_err() {
        return Err(ActionError::new(format!("release name is invalid: {name}")));
    }
    Ok(cfg.store(|s, c| s.history(c, name))?)
}

/// `helm history`'s selection: the newest `max` revisions, oldest first.
pub fn history_for_cli(
    cfg: &mut Configuration,
    name: &str,
    max: usize,
) -> Result<Vec<Release>, ActionError> {
    let mut h = history(cfg, name)?;
    util::reverse(&mut h, util::sort_by_revision);
    h.truncate(max);
    h.reverse();
    Ok(h)
}

/// `helm list` state filters (`ListStates`).
pub mod states {
    pub const DEPLOYED: u32 = 1;
    pub const UNINSTALLED: u32 = 1 << 1;
    pub const UNINSTALLING: u32 = 1 << 2;
    pub const PENDING_INSTALL: u32 = 1 << 3;
    pub const PENDING_UPGRADE: u32 = 1 << 4;
    pub const PENDING_ROLLBACK: u32 = 1 << 5;
    pub const SUPERSEDED: u32 = 1 << 6;
    pub const FAILED: u32 = 1 << 7;
    pub const UNKNOWN: u32 = 1 << 8;
    pub const ALL: u32 = DEPLOYED
        | UNINSTALLED
        | UNINSTALLING
        | PENDING_INSTALL
        | PENDING_ROLLBACK
        | PENDING_UPGRADE
        | SUPERSEDED
        | FAILED;

    /// `ListStates.FromName`.
    pub fn from_name(s: &str) -> u32 {
        match s {
            "deployed" => DEPLOYED,
            "uninstalled" => UNINSTALLED,
            "superseded" => SUPERSEDED,
            "failed" => FAILED,
            "uninstalling" => UNINSTALLING,
            "pending-install" => PENDING_INSTALL,
            "pending-upgrade" => PENDING_UPGRADE,
            "pending-rollback" => PENDING_ROLLBACK,
            _ => UNKNOWN,
        }
    }
}

/// `helm list` options.
#[derive(Clone, Debug)]
pub struct List {
    pub all: bool,
    pub all_namespaces: bool,
    pub by_date: bool,
    pub sort_reverse: bool,
    /// `--max` (default 256; 0: no limit).
    pub limit: usize,
    pub offset: usize,
    /// `--filter`: a Go regular expression on names.
    pub filter: String,
    pub uninstalled: bool,
    pub superseded: bool,
    pub uninstalling: bool,
    pub deployed: bool,
    pub failed: bool,
    pub pending: bool,
    /// `--selector`: a label selector on the storage labels.
    pub selector: String,
}

impl Default for List {
    fn default() -> Self {
        List {
            all: false,
            all_namespaces: false,
            by_date: false,
            sort_reverse: false,
            limit: 256,
            offset: 0,
            filter: String::new(),
            uninstalled: false,
            superseded: false,
            uninstalling: false,
            deployed: false,
            failed: false,
            pending: false,
            selector: String::new(),
        }
    }
}

impl List {
    /// `SetStateMask`.
    pub fn state_mask(&self) -> u32 {
        if self.all {
            return states::ALL;
        }
        let mut s = 0;
        if self.deployed {
            s |= states::DEPLOYED;
        }
        if self.uninstalled {
            s |= states::UNINSTALLED;
        }
        if self.uninstalling {
            s |= states::UNINSTALLING;
        }
        if self.pending {
            s |= states::PENDING_INSTALL | states::PENDING_ROLLBACK | states::PENDING_UPGRADE;
        }
        if self.failed {
            s |= states::FAILED;
        }
        if self.superseded {
            s |= states::SUPERSEDED;
        }
        if s == 0 {
            states::ALL
        } else {
            s
        }
    }

    /// `List.Run`.
    pub fn run(&self, cfg: &mut Configuration) -> Result<Vec<Release>, ActionError> {
        cfg.is_reachable()?;
        let filter = if self.filter.is_empty() {
            None
        } else {
            Some(crate::sprig::regex::compile(&self.filter).map_err(ActionError::new)?)
        };
        let saved_ns = cfg.releases.namespace.clone();
        if self.all_namespaces {
            cfg.releases.namespace = String::new();
        }
        let results = cfg.store(|s, c| {
            s.driver_list(c, &|r: &Release| match &filter {
                Some(re) => re.is_match(&r.name),
                None => true,
            })
        });
        cfg.releases.namespace = saved_ns;
        let results = results?;
        let total = results.len();
        let mask = self.state_mask();
        let mut rels = if mask != states::SUPERSEDED {
            filter_latest(results)
        } else {
            results
        };
        rels.retain(|r| mask & states::from_name(r.status().as_str()) != 0);
        let selector =
            crate::kube::selector::Selector::parse(&self.selector).map_err(ActionError::new)?;
        rels.retain(|r| selector.matches(&r.labels));
        if self.by_date {
            if self.sort_reverse {
                util::reverse(&mut rels, util::sort_by_date);
            } else {
                util::sort_by_date(&mut rels);
            }
        } else if self.sort_reverse {
            util::reverse(&mut rels, util::sort_by_name);
        } else {
            util::sort_by_name(&mut rels);
        }
        if self.offset >= rels.len() {
            return Ok(Vec::new());
        }
        let mut limit = total;
        if self.limit > 0 && self.limit < limit {
            limit = self.limit;
        }
        let last = (self.offset + limit).min(rels.len());
        Ok(rels[self.offset..last].to_vec())
    }
}

/// `filterLatestReleases`: per namespace/name the highest revision (map order: by key here).
fn filter_latest(rels: Vec<Release>) -> Vec<Release> {
    let mut latest: BTreeMap<String, Release> = BTreeMap::new();
    for r in rels {
        let key = if r.namespace.is_empty() {
            r.name.clone()
        } else {
            format!("{}/{}", r.namespace, r.name)
        };
        match latest.get(&key) {
            Some(l) if l.version > r.version => {}
            _ => {
                latest.insert(key, r);
            }
        }
    }
    latest.into_values().collect()
}

/// `Status.Run`: the revision (latest for 0) with its live objects.
pub fn status(cfg: &mut Configuration, name: &str, version: i64) -> Result<Release, ActionError> {
    cfg.is_reachable()?;
    let mut rel = cfg.release_content(name, version)?;
    let rs = cfg.build(&rel.manifest, false)?;
    let mut resources: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut selectors: Vec<BTreeMap<String, String>> = Vec::new();
    for r in &rs {
        let vk = format!("{}/{}", r.gvk.version, r.gvk.kind);
        let got = cfg.kube(|c| Ok(kubeclient::get(c, r)))?;
        let Ok(obj) = got else {
            continue;
        };
        resources.entry(vk).or_default().push(obj.clone());
        // related pods of workloads (getSelectRelationPod)
        let sel: Option<BTreeMap<String, String>> = match r.gvk.kind.as_str() {
            "ReplicaSet" | "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => Some(
                kubeclient::string_map_at(&obj, &["spec", "selector", "matchLabels"]),
            ),
            "ReplicationController" => Some(kubeclient::string_map_at(&obj, &["spec", "selector"])),
            _ => None,
        };
        let Some(sel) = sel else {
            continue;
        };
        if selectors.contains(&sel) {
            continue;
        }
        selectors.push(sel.clone());
        let selector = sel
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        let ns = r.namespace.clone();
        let pods = cfg.kube(|c| {
            Ok(c.list(
                &crate::kube::object::GroupVersionResource::new("", "v1", "pods"),
                Some(&ns),
                &crate::kube::cluster::ListOptions {
                    label_selector: selector,
                    field_selector: String::new(),
                },
            ))
        })?;
        if let Ok(list) = pods {
            let items = crate::kube::cluster::items_with_kind(&list, "v1", "Pod");
            resources
                .entry("v1/Pod(related)".into())
                .or_default()
                .extend(items);
        }
    }
    rel.info_mut().resources = resources;
    Ok(rel)
}

/// `Get.Run` (`helm get all/hooks/manifest/notes`).
pub fn get(cfg: &mut Configuration, name: &str, version: i64) -> Result<Release, ActionError> {
    cfg.is_reachable()?;
    cfg.release_content(name, version)
}

/// `GetValues.Run`: the user-supplied values, or with `all` the computed ones (coalesced with
/// the stored chart's defaults — subcharts are not stored, so their defaults are absent).
pub fn get_values(
    cfg: &mut Configuration,
    name: &str,
    version: i64,
    all: bool,
) -> Result<Map, ActionError> {
    cfg.is_reachable()?;
    let rel = cfg.release_content(name, version)?;
    if all {
        let chart = rel
            .chart
            .as_ref()
            .map(ReleaseChart::to_chart)
            .unwrap_or_default();
        return Ok(coalesce_values(&chart, &rel.config)?);
    }
    Ok(rel.config)
}

/// `action.Metadata` (`helm get metadata`).
#[derive(Clone, Debug, Default)]
pub struct ReleaseMetadata {
    pub name: String,
    pub chart: String,
    pub version: String,
    pub app_version: String,
    pub annotations: Option<BTreeMap<String, String>>,
    pub labels: BTreeMap<String, String>,
    pub dependencies: Vec<Dependency>,
    pub namespace: String,
    pub revision: i64,
    pub status: String,
    pub deployed_at: String,
    pub apply_method: String,
}

/// `GetMetadata.Run`.
pub fn get_metadata(
    cfg: &mut Configuration,
    name: &str,
    version: i64,
) -> Result<ReleaseMetadata, ActionError> {
    cfg.is_reachable()?;
    let rel = cfg.release_content(name, version)?;
    let md = rel
        .chart
        .as_ref()
        .and_then(|c| c.metadata.clone())
        .unwrap_or_default();
    let deployed = rel
        .info
        .as_ref()
        .map(|i| super::gotime::rfc3339(&i.last_deployed))
        .unwrap_or_else(|| super::gotime::rfc3339(&super::gotime::zero()));
    Ok(ReleaseMetadata {
        name: rel.name.clone(),
        chart: md.name.clone(),
        version: md.version.clone(),
        app_version: md.app_version.clone(),
        annotations: md.annotations.clone(),
        labels: rel.labels.clone(),
        dependencies: md.dependencies.clone().unwrap_or_default(),
        namespace: rel.namespace.clone(),
        revision: rel.version,
        status: rel.status().as_str().to_string(),
        deployed_at: deployed,
        apply_method: rel.apply_method.clone(),
    })
}

/// `helm test` options.
#[derive(Clone, Debug, Default)]
pub struct ReleaseTesting {
    /// `--filter name=…` (run only these).
    pub include: Vec<String>,
    /// `--filter !name=…` (skip these).
    pub exclude: Vec<String>,
}

/// The outcome of `helm test`: the release (hooks with their last runs), the error, if any,
/// and the hook deletions still to run ([`hooks::shutdown`], after reading logs).
pub struct TestOutcome {
    pub release: Release,
    pub error: Option<String>,
    pub shutdown: hooks::Shutdown,
}

impl ReleaseTesting {
    fn selected(&self, name: &str) -> bool {
        if self.exclude.iter().any(|n| n == name) {
            return false;
        }
        self.include.is_empty() || self.include.iter().any(|n| n == name)
    }

    /// `ReleaseTesting.Run`: the test hooks of the last revision, recorded afterwards.
    pub fn run(&self, cfg: &mut Configuration, name: &str) -> Result<TestOutcome, ActionError> {
        cfg.is_reachable()?;
        if super::render::validate_release_name(name).is_err() {
            return Err(ActionError::new(format!(
                "releaseTest: Release name is invalid: {name}"
            )));
        }
        let mut rel = cfg.store(|s, c| s.last(c, name))?;
        // skipped hooks first, then the executed ones (Helm rebuilds the list this way)
        let (skipped, executing): (Vec<_>, Vec<_>) =
            if self.include.is_empty() && self.exclude.is_empty() {
                (Vec::new(), rel.hooks.clone())
            } else {
                rel.hooks
                    .iter()
                    .cloned()
                    .partition(|h| !self.selected(&h.name))
            };
        rel.hooks = executing;
        let ssa = rel.apply_method == "ssa";
        let (res, shutdown) =
            hooks::exec_hook_delayed(cfg, &mut rel, HookEvent::Test, WaitStrategy::Watcher, ssa);
        let shutdown = shutdown.shifted(skipped.len());
        let mut hooks_all = skipped;
        hooks_all.append(&mut rel.hooks);
        rel.hooks = hooks_all;
        let stored = cfg.store(|s, c| s.update(c, &rel));
        let error = match (res, stored) {
            (Err(e), _) => Some(e),
            (Ok(()), Err(e)) => Some(e.to_string()),
            _ => None,
        };
        Ok(TestOutcome {
            release: rel,
            error,
            shutdown,
        })
    }

    /// `GetPodLogs`: `POD LOGS: name` and the log of each selected test hook, by weight.
    pub fn pod_logs(&self, cfg: &mut Configuration, rel: &Release) -> Result<String, ActionError> {
        let mut hooks: Vec<_> = rel.hooks.iter().collect();
        hooks.sort_stable_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.name.cmp(&b.name)));
        let mut out = String::new();
        for h in hooks {
            if !h.has_event(HookEvent::Test) || !self.selected(&h.name) {
                continue;
            }
            let ns = cfg.namespace.clone();
            let log = cfg
                .kube(|c| {
                    c.logs(&ns, &h.name, None)
                        .map_err(|e| format!("unable to get pod logs for {}: {e}", h.name))
                })
                .map_err(ActionError::new)?;
            out.push_str(&format!("POD LOGS: {}\n{log}\n", h.name));
        }
        Ok(out)
    }
}

/// The status of a release as `helm list --uninstalled` etc. see it.
pub fn is_uninstalled(history: &[Release]) -> bool {
    history
        .last()
        .is_some_and(|r| r.status() == Status::Uninstalled)
}

/// A values map for printing (`get values` of a nil map prints `null`).
pub fn values_value(m: &Map) -> Value {
    Value::Map(m.clone())
}
