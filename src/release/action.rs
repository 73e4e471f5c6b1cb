//! The shared state of Helm's actions (pkg/action action.go `Configuration`): the cluster,
//! release storage in one namespace, the injected clock and randomness, the field manager,
//! cluster capabilities; and the error type actions return.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::gotime;
use super::kubeclient::{self, Resource};
use super::model::{Hook, Release};
use super::storage::{DriverKind, Storage, StorageError};
use crate::chart::objects::{Capabilities, KubeVersion};
use crate::engine::env::Clock;
use crate::engine::{Env, Timestamp};
use crate::kube::cluster::{Change, Cluster};
use crate::kube::resources::Registry;

/// An action's failure: Helm's message and, when Helm returns one, the release as it stood.
#[derive(Clone, Debug)]
pub struct ActionError {
    pub message: String,
    pub release: Option<Box<Release>>,
    /// The error is `driver.ErrReleaseNotFound` (`release: not found`).
    pub not_found: bool,
}

impl ActionError {
    pub fn new(message: impl Into<String>) -> ActionError {
        ActionError {
            message: message.into(),
            release: None,
            not_found: false,
        }
    }

    pub fn with_release(message: impl Into<String>, rel: &Release) -> ActionError {
        ActionError {
            message: message.into(),
            release: Some(Box::new(rel.clone())),
            not_found: false,
        }
    }

    /// Prefixes the message (Go's `fmt.Errorf("...: %w", err)`).
    pub fn wrap(mut self, prefix: &str) -> ActionError {
        self.message = format!("{prefix}{}", self.message);
        self
    }
}

impl From<StorageError> for ActionError {
    fn from(e: StorageError) -> Self {
        ActionError {
            not_found: e == StorageError::NotFound,
            message: e.to_string(),
            release: None,
        }
    }
}

impl From<String> for ActionError {
    fn from(e: String) -> Self {
        ActionError::new(e)
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ActionError {}

/// `--dry-run`: none, client (no cluster at all) or server (the cluster validates, stores
/// nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DryRun {
    #[default]
    None,
    Client,
    Server,
}

impl DryRun {
    /// `isDryRun`.
    pub fn is_dry_run(self) -> bool {
        self != DryRun::None
    }

    /// `interactWithServer`.
    pub fn interacts(self) -> bool {
        self != DryRun::Client
    }

    /// The CLI's `--dry-run` values (`client`, `server`, `none`; `true`/`false` from Helm 3).
    pub fn parse(s: &str) -> Result<DryRun, String> {
        match s {
            "" | "none" | "false" => Ok(DryRun::None),
            "client" | "true" | "unset" => Ok(DryRun::Client),
            "server" => Ok(DryRun::Server),
            other => Err(format!(
                "invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\""
            )),
        }
    }
}

/// `--wait`: how long Helm waits for what.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WaitStrategy {
    /// Only hooks are waited for (the default).
    #[default]
    HookOnly,
    /// kstatus readiness of every resource (`--wait`, `--wait=watcher`).
    Watcher,
    /// Helm 3's readiness checks (`--wait=legacy`); the same verdicts here.
    Legacy,
}

impl WaitStrategy {
    pub fn parse(s: &str) -> Result<WaitStrategy, String> {
        match s {
            "hookOnly" | "false" => Ok(WaitStrategy::HookOnly),
            "watcher" | "true" => Ok(WaitStrategy::Watcher),
            "legacy" => Ok(WaitStrategy::Legacy),
            other => Err(format!(
                "invalid wait input {}. Valid inputs are watcher, hookOnly, and legacy",
                kubeclient::quote(other)
            )),
        }
    }
}

/// Helm's default `--timeout` (5m0s).
pub const DEFAULT_TIMEOUT_MS: u64 = 300_000;

/// Helm's action configuration over one cluster and namespace.
pub struct Configuration {
    pub cluster: Rc<RefCell<dyn Cluster>>,
    /// The namespace releases are read from and installed into (`--namespace`).
    pub namespace: String,
    pub releases: Storage,
    /// Clock and randomness for rendering and for release times.
    pub env: Env,
    /// The server-side apply field manager (the CLI binary's name: `helm`).
    pub field_manager: String,
    /// How long waits for hooks and resources last on a live cluster (`--timeout`; Helm's
    /// default is 5m0s). The simulated cluster never needs to wait.
    pub wait_timeout_ms: u64,
    /// Discovered once per configuration, as Helm caches them.
    pub capabilities: Option<Capabilities>,
    /// What the cluster reported doing during the actions run on this configuration.
    pub changes: Vec<Change>,
    /// Warnings Helm logs (slog) that the CLI shows.
    pub warnings: Vec<String>,
    /// Hook pod logs Helm writes to stderr (`helm.sh/hook-output-log-policy`).
    pub hook_logs: String,
    /// Discovery, cached like Helm's REST mapper (reset when CRDs are installed).
    pub registry_cache: Option<Registry>,
}

impl Configuration {
    /// A configuration for `namespace` with the given storage driver (`secret` by default in
    /// Helm); the clock is `env`'s.
    pub fn new(
        cluster: Rc<RefCell<dyn Cluster>>,
        namespace: &str,
        driver: DriverKind,
        env: Env,
    ) -> Configuration {
        let releases = Storage::new(driver, namespace, env.clock.clone());
        Configuration {
            cluster,
            namespace: namespace.to_string(),
            releases,
            env,
            field_manager: "helm".into(),
            wait_timeout_ms: DEFAULT_TIMEOUT_MS,
            capabilities: None,
            changes: Vec::new(),
            warnings: Vec::new(),
            registry_cache: None,
            hook_logs: String::new(),
        }
    }

    pub fn clock(&self) -> Rc<dyn Clock> {
        self.env.clock.clone()
    }

    /// `time.Now()`.
    pub fn now(&self) -> Timestamp {
        self.env.clock.now()
    }

    /// Runs `f` against the cluster.
    pub fn kube<R>(
        &self,
        f: impl FnOnce(&mut dyn Cluster) -> Result<R, String>,
    ) -> Result<R, String> {
        let mut c = self
            .cluster
            .try_borrow_mut()
            .map_err(|_| "the cluster is busy (re-entrant call)".to_string())?;
        let r = f(&mut *c);
        drop(c);
        r
    }

    /// Runs `f` against storage and the cluster.
    pub fn store<R>(
        &mut self,
        f: impl FnOnce(&mut Storage, &mut dyn Cluster) -> Result<R, StorageError>,
    ) -> Result<R, StorageError> {
        let cluster = self.cluster.clone();
        let mut c = cluster
            .try_borrow_mut()
            .map_err(|_| StorageError::Other("the cluster is busy (re-entrant call)".into()))?;
        f(&mut self.releases, &mut *c)
    }

    /// Collects what the cluster did since the last call into `changes`.
    pub fn collect_changes(&mut self) {
        if let Ok(mut c) = self.cluster.try_borrow_mut() {
            let ch = c.take_changes();
            self.changes.extend(ch);
        }
    }

    /// `KubeClient.IsReachable`: the server version answers.
    pub fn is_reachable(&self) -> Result<(), String> {
        self.kube(|c| {
            c.version()
                .map(|_| ())
                .map_err(|e| format!("kubernetes cluster unreachable: {e}"))
        })
    }

    /// The cluster's resources (discovery), cached.
    pub fn registry(&mut self) -> Result<Registry, String> {
        if let Some(r) = &self.registry_cache {
            return Ok(r.clone());
        }
        let r = self.kube(|c| {
            c.registry()
                .map_err(|e| format!("could not get apiVersions from Kubernetes: {e}"))
        })?;
        self.registry_cache = Some(r.clone());
        Ok(r)
    }

    /// `getCapabilities`: the server version and every group/version and group/version/kind.
    pub fn get_capabilities(&mut self) -> Result<Capabilities, String> {
        if let Some(c) = &self.capabilities {
            return Ok(c.clone());
        }
        let v = self.kube(|c| {
            c.version()
                .map_err(|e| format!("could not get server version from Kubernetes: {e}"))
        })?;
        let reg = self.registry()?;
        let git = v.get("gitVersion").and_then(|x| x.as_str()).unwrap_or("");
        let mut kv = KubeVersion::parse(git).unwrap_or_default();
        kv.version = git.to_string();
        if let Some(m) = v.get("major").and_then(|x| x.as_str()) {
            kv.major = m.to_string();
        }
        if let Some(m) = v.get("minor").and_then(|x| x.as_str()) {
            kv.minor = m.to_string();
        }
        let mut versions: Vec<String> = Vec::new();
        for gv in reg.group_versions() {
            versions.push(gv.api_version());
        }
        for r in &reg.resources {
            versions.push(format!("{}/{}", r.api_version(), r.kind));
        }
        versions.sort_stable();
        versions.dedup();
        let caps = Capabilities::new(kv, versions);
        self.capabilities = Some(caps.clone());
        Ok(caps)
    }

    /// `KubeClient.Build` in the configuration's namespace.
    pub fn build(&mut self, manifest: &str, validate: bool) -> Result<Vec<Resource>, String> {
        let reg = self.registry()?;
        kubeclient::build(&reg, manifest, &self.namespace, validate)
    }

    /// `recordRelease`: an update whose failure is only logged.
    pub fn record_release(&mut self, rel: &Release) {
        if let Err(e) = self.store(|s, c| s.update(c, rel)) {
            self.warnings.push(format!(
                "failed to update release name={} revision={} error={e}",
                rel.name, rel.version
            ));
        }
    }

    /// `releaseContent`: revision `version`, or the latest for 0.
    pub fn release_content(&mut self, name: &str, version: i64) -> Result<Release, ActionError> {
        if super::render::validate_release_name(name).is_err() {
            return Err(ActionError::new(format!(
                "releaseContent: Release name is invalid: {name}"
            )));
        }
        let r = if version <= 0 {
            self.store(|s, c| s.last(c, name))?
        } else {
            self.store(|s, c| s.get(c, name, version))?
        };
        Ok(r)
    }

    /// A hook's objects, built with validation.
    pub fn build_hook(&mut self, h: &Hook, validate: bool) -> Result<Vec<Resource>, String> {
        self.build(&h.manifest, validate)
    }

    /// The zone decoded record times are shown in.
    pub fn local_zone(&self) -> gotime::LocalZone {
        self.releases.local.clone()
    }
}

/// `mergeCustomLabels`: desired over current, `"null"` values removing a label.
pub fn merge_custom_labels(
    current: &std::collections::BTreeMap<String, String>,
    desired: &std::collections::BTreeMap<String, String>,
) -> std::collections::BTreeMap<String, String> {
    let mut out = current.clone();
    for (k, v) in desired {
        out.insert(k.clone(), v.clone());
    }
    out.retain(|_, v| v != "null");
    out
}
