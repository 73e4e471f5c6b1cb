//! `helm install` (pkg/action install.go, validate.go): name checks, CRDs from `crds/`,
//! rendering, the pending-install record, ownership checks against existing objects,
//! pre-install hooks, server-side apply of the manifest, waiting, post-install hooks, and the
//! deployed (or failed) record. Also Helm's kube client update pass (pkg/kube client.go
//! `update`) shared with upgrade and rollback.

use std::collections::BTreeMap;

use super::action::{merge_custom_labels, ActionError, Configuration, DryRun, WaitStrategy};
use super::hooks;
use super::kubeclient::{self, quote, Resource, WaitKind};
use super::model::{ChartTimes, HookEvent, Info, Release, ReleaseChart, Status};
use super::render::{self, RenderedResources, ResourceOptions};
use super::storage::{self, DriverKind, Storage};
use crate::chart::objects::{Capabilities, KubeVersion};
use crate::chart::{Chart, RenderOptions};
use crate::engine::Map;
use crate::kube::cluster::Propagation;

/// `helm install` options (the fields of Helm's `action.Install` that matter here).
#[derive(Clone, Debug)]
pub struct Install {
    pub release_name: String,
    /// Empty: the configuration's namespace.
    pub namespace: String,
    pub dry_run: DryRun,
    pub hide_secret: bool,
    pub disable_hooks: bool,
    /// Reuse the name of an uninstalled or failed release (`--replace`).
    pub replace: bool,
    pub wait: WaitStrategy,
    pub wait_for_jobs: bool,
    pub description: String,
    pub skip_crds: bool,
    pub sub_notes: bool,
    pub skip_schema_validation: bool,
    pub disable_openapi_validation: bool,
    pub include_crds: bool,
    pub labels: BTreeMap<String, String>,
    /// `--kube-version` for client-side dry runs.
    pub kube_version: Option<KubeVersion>,
    /// `--api-versions` for client-side dry runs.
    pub api_versions: Vec<String>,
    /// `helm template --is-upgrade`.
    pub is_upgrade: bool,
    /// `--server-side` (default true).
    pub server_side_apply: bool,
    pub force_conflicts: bool,
    pub force_replace: bool,
    pub take_ownership: bool,
    pub create_namespace: bool,
    /// `--rollback-on-failure` (Helm 3's `--atomic`).
    pub rollback_on_failure: bool,
    /// Modification times to store for the chart's files.
    pub chart_times: ChartTimes,
}

impl Default for Install {
    fn default() -> Self {
        Install {
            release_name: String::new(),
            namespace: String::new(),
            dry_run: DryRun::None,
            hide_secret: false,
            disable_hooks: false,
            replace: false,
            wait: WaitStrategy::HookOnly,
            wait_for_jobs: false,
            description: String::new(),
            skip_crds: false,
            sub_notes: false,
            skip_schema_validation: false,
            disable_openapi_validation: false,
            include_crds: false,
            labels: BTreeMap::new(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            server_side_apply: true,
            force_conflicts: false,
            force_replace: false,
            take_ownership: false,
            create_namespace: false,
            rollback_on_failure: false,
            chart_times: ChartTimes::default(),
        }
    }
}

/// `setMetadataVisitor`: `app.kubernetes.io/managed-by: Helm` and the release annotations.
pub fn set_metadata(rs: &mut [Resource], name: &str, namespace: &str) {
    for r in rs {
        kubeclient::merge_metadata_map(
            &mut r.object,
            "labels",
            &[("app.kubernetes.io/managed-by", "Helm")],
        );
        kubeclient::merge_metadata_map(
            &mut r.object,
            "annotations",
            &[
                ("meta.helm.sh/release-name", name),
                ("meta.helm.sh/release-namespace", namespace),
            ],
        );
    }
}

fn require_value(m: &BTreeMap<String, String>, k: &str, v: &str) -> Result<(), String> {
    match m.get(k) {
        None => Err(format!(
            "missing key {}: must be set to {}",
            quote(k),
            quote(v)
        )),
        Some(a) if a != v => Err(format!(
            "key {} must equal {}: current value is {}",
            quote(k),
            quote(v),
            quote(a)
        )),
        Some(_) => Ok(()),
    }
}

/// `checkOwnership`.
pub fn check_ownership(obj: &serde_json::Value, name: &str, namespace: &str) -> Result<(), String> {
    let labels = kubeclient::string_map(obj, "labels");
    let annos = kubeclient::string_map(obj, "annotations");
    let mut errs = Vec::new();
    if let Err(e) = require_value(&labels, "app.kubernetes.io/managed-by", "Helm") {
        errs.push(format!("label validation error: {e}"));
    }
    if let Err(e) = require_value(&annos, "meta.helm.sh/release-name", name) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if let Err(e) = require_value(&annos, "meta.helm.sh/release-namespace", namespace) {
        errs.push(format!("annotation validation error: {e}"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid ownership metadata; {}", errs.join("; ")))
    }
}

fn generate_name(r: &Resource) -> Result<bool, String> {
    let gen = r
        .object
        .get("metadata")
        .and_then(|m| m.get("generateName"))
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if r.name.is_empty() && !gen.is_empty() {
        return Ok(true);
    }
    if !r.name.is_empty() && !gen.is_empty() {
        return Err("metadata.name and metadata.generateName cannot both be set".into());
    }
    Ok(false)
}

/// `existingResourceConflict` (or `requireAdoption` with `take_ownership`): the resources
/// that already exist and may be adopted; an error for one owned by someone else.
pub fn existing_resources(
    cfg: &mut Configuration,
    rs: &[Resource],
    name: &str,
    namespace: &str,
    take_ownership: bool,
) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    for r in rs {
        if generate_name(r)? {
            continue;
        }
        let got = cfg.kube(|c| Ok(kubeclient::get(c, r)))?;
        let existing = match got {
            Ok(o) => o,
            Err(e) if e.code == 404 => continue,
            Err(e) => {
                return Err(format!(
                    "could not get information about the resource {}: {e}",
                    r.describe()
                ))
            }
        };
        if !take_ownership {
            if let Err(e) = check_ownership(&existing, name, namespace) {
                return Err(format!(
                    "{} exists and cannot be imported into the current release: {e}",
                    r.describe()
                ));
            }
        }
        out.push(r.clone());
    }
    Ok(out)
}

/// What an update pass did (pkg/kube `Result`).
#[derive(Clone, Debug, Default)]
pub struct UpdateResult {
    pub created: Vec<Resource>,
    pub updated: Vec<Resource>,
    pub deleted: Vec<Resource>,
}

/// Options of an update pass.
#[derive(Clone, Copy, Debug)]
pub struct UpdateOptions {
    pub server_side_apply: bool,
    pub force_conflicts: bool,
    pub force_replace: bool,
    /// `ClientUpdateOptionUpgradeClientSideFieldManager` (rollback): each existing object is
    /// read again before it is applied, as Helm does to move client-side field ownership to
    /// its apply manager.
    pub upgrade_client_side_field_manager: bool,
}

/// `Client.Update`: creates what is missing, updates the rest, deletes what left the
/// manifest (unless annotated `helm.sh/resource-policy: keep`).
pub fn update_pass(
    cfg: &mut Configuration,
    originals: &[Resource],
    targets: &[Resource],
    o: UpdateOptions,
) -> (UpdateResult, Result<(), String>) {
    let mut res = UpdateResult::default();
    if o.force_conflicts && o.force_replace {
        return (
            res,
            Err("invalid operation: cannot use force conflicts and force replace together".into()),
        );
    }
    if o.server_side_apply && o.force_replace {
        return (
            res,
            Err(
                "invalid operation: cannot use server-side apply and force replace together".into(),
            ),
        );
    }
    let fm = cfg.field_manager.clone();
    let mut update_errors = Vec::new();
    for t in targets {
        let got = cfg.kube(|c| Ok(kubeclient::get(c, t)));
        let exists = match got {
            Ok(Ok(_)) => true,
            Ok(Err(e)) if e.code == 404 => false,
            Ok(Err(e)) => {
                cfg.collect_changes();
                return (
                    res,
                    Err(format!("could not get information about the resource: {e}")),
                );
            }
            Err(e) => return (res, Err(e)),
        };
        if !exists {
            res.created.push(t.clone());
            let r = cfg.kube(|c| {
                if o.server_side_apply {
                    kubeclient::apply(c, t, &fm, o.force_conflicts).map(|_| ())
                } else {
                    kubeclient::create(c, t, &fm).map(|_| ())
                }
            });
            cfg.collect_changes();
            if let Err(e) = r {
                return (res, Err(format!("failed to create resource: {e}")));
            }
            continue;
        }
        let original = originals
            .iter()
            .find(|x| x.same(t))
            .map(|x| x.object.clone());
        let r = cfg.kube(|c| {
            if o.force_replace {
                let mut obj = kubeclient::sorted(&t.object);
                if let Ok(live) = kubeclient::get(c, t) {
                    if let Some(rv) = live.get("metadata").and_then(|m| m.get("resourceVersion")) {
                        kubeclient::merge_metadata_value(&mut obj, "resourceVersion", rv.clone());
                    }
                }
                c.update(
                    &t.info.gvr(),
                    &t.namespace,
                    obj,
                    &crate::kube::cluster::WriteOptions {
                        field_manager: fm.clone(),
                        dry_run: false,
                    },
                )
                .map(|_| ())
                .map_err(|e| format!("failed to replace object: {e}"))
            } else if o.server_side_apply {
                if o.upgrade_client_side_field_manager {
                    kubeclient::get(c, t).map_err(|e| {
                        format!(
                            "failed to get object {}/{} {}: {e}",
                            t.namespace,
                            t.name,
                            t.gvk_string()
                        )
                    })?;
                }
                kubeclient::apply(c, t, &fm, o.force_conflicts).map(|_| ())
            } else {
                kubeclient::update_client_side(c, original.as_ref(), t, &fm).map(|_| ())
            }
        });
        cfg.collect_changes();
        if let Err(e) = r {
            update_errors.push(e);
        }
        res.updated.push(t.clone());
    }
    if !update_errors.is_empty() {
        return (res, Err(update_errors.join(" && ")));
    }
    for orig in originals {
        if targets.iter().any(|t| t.same(orig)) {
            continue;
        }
        let got = cfg.kube(|c| Ok(kubeclient::get(c, orig)));
        let live = match got {
            Ok(Ok(l)) => l,
            _ => continue,
        };
        if kubeclient::string_map(&live, "annotations")
            .get("helm.sh/resource-policy")
            .map(String::as_str)
            == Some("keep")
        {
            continue;
        }
        let d = cfg.kube(|c| Ok(kubeclient::delete(c, orig, Propagation::Background)));
        cfg.collect_changes();
        match d {
            Ok(Ok(())) => res.deleted.push(orig.clone()),
            Ok(Err(e)) if e.code == 404 => {}
            Ok(Err(e)) => update_errors.push(format!(
                "failed to delete resource namespace={}, name={}, kind={}: {e}",
                orig.namespace, orig.name, orig.gvk.kind
            )),
            Err(e) => update_errors.push(e),
        }
    }
    if update_errors.is_empty() {
        (res, Ok(()))
    } else {
        (res, Err(update_errors.join(" && ")))
    }
}

/// The wait after applying (`Waiter.Wait` / `WaitWithJobs` for the strategy).
pub fn wait_for(
    cfg: &mut Configuration,
    rs: &[Resource],
    strategy: WaitStrategy,
    with_jobs: bool,
) -> Result<(), String> {
    if strategy == WaitStrategy::HookOnly {
        return Ok(());
    }
    let kind = if with_jobs {
        WaitKind::ReadyWithJobs
    } else {
        WaitKind::Ready
    };
    let timeout = cfg.wait_timeout_ms;
    cfg.kube(|c| kubeclient::wait(c, rs, kind, timeout))
}

/// Capabilities of a client-side dry run: Helm's defaults, `--kube-version`, plus
/// `--api-versions`.
pub fn client_capabilities(
    kube_version: &Option<KubeVersion>,
    api_versions: &[String],
) -> Capabilities {
    let mut caps = Capabilities::default();
    if let Some(kv) = kube_version {
        caps.kube_version = kv.clone();
    }
    caps.add_api_versions(api_versions.iter().cloned());
    caps
}

/// Helm's `IsCompatibleRange`: `ver` parses as a semantic version satisfying `constraint`.
pub fn is_compatible_range(constraint: &str, ver: &str) -> bool {
    let Ok(v) = crate::sprig::semver::Version::parse(ver) else {
        return false;
    };
    crate::sprig::semver::Constraints::parse(constraint)
        .map(|c| c.check(&v))
        .unwrap_or(false)
}

/// How a render failed: before the release existed (values, dependencies), or while
/// rendering (the release is returned, marked failed, `helm template` adds a `--debug` hint).
pub struct RenderFail {
    pub message: String,
    pub manifest: String,
    pub during_render: bool,
}

/// Renders for an action: values, templates, NOTES, hooks, manifest. `chart` has had its
/// dependencies processed (install/upgrade/template do that first, as Helm's actions do).
pub fn render_release(
    chart: &Chart,
    vals: &Map,
    ro: &RenderOptions,
    env: &crate::engine::Env,
    opts: &ResourceOptions,
) -> Result<RenderedResources, RenderFail> {
    // renderResources starts with the chart's kubeVersion constraint
    let kv = &chart.metadata.kube_version;
    if !kv.is_empty() && !is_compatible_range(kv, &ro.capabilities.kube_version.version) {
        return Err(RenderFail {
            message: format!(
                "chart requires kubeVersion: {kv} which is incompatible with Kubernetes {}",
                ro.capabilities.kube_version.version
            ),
            manifest: String::new(),
            during_render: true,
        });
    }
    let out =
        crate::chart::render::render_processed(chart, vals, ro, env).map_err(|e| RenderFail {
            during_render: e.source.is_some(),
            message: e.message,
            manifest: String::new(),
        })?;
    render::resources_from_files(chart.name(), &render::crd_objects(chart), out.files, opts)
        .map_err(|e| RenderFail {
            message: e.message,
            manifest: e.manifest,
            during_render: true,
        })
}

impl Install {
    fn ns(&self, cfg: &Configuration) -> String {
        if self.namespace.is_empty() {
            cfg.namespace.clone()
        } else {
            self.namespace.clone()
        }
    }

    /// `availableName`.
    fn available_name(&self, cfg: &mut Configuration) -> Result<(), String> {
        let start = &self.release_name;
        render::validate_release_name(start)
            .map_err(|e| format!("release name {}: {e}", quote(start)))?;
        if self.dry_run.is_dry_run() {
            return Ok(());
        }
        let mut h = match cfg.store(|s, c| s.history(c, start)) {
            Ok(h) if !h.is_empty() => h,
            _ => return Ok(()),
        };
        super::util::reverse(&mut h, super::util::sort_by_revision);
        let st = h[0].status();
        if self.replace && (st == Status::Uninstalled || st == Status::Failed) {
            return Ok(());
        }
        Err("cannot reuse a name that is still in use".into())
    }

    /// `installCRDs`: each file of `crds/` applied; existing ones skipped.
    fn install_crds(
        &self,
        cfg: &mut Configuration,
        crds: &[(String, String)],
    ) -> Result<(), String> {
        let fm = cfg.field_manager.clone();
        for (name, data) in crds {
            let rel_name = name.split_once('/').map(|x| x.1).unwrap_or(name);
            let rs = cfg
                .build(data, false)
                .map_err(|e| format!("failed to install CRD {rel_name}: {e}"))?;
            if rs.is_empty() {
                return Err(format!(
                    "failed to install CRD {rel_name}: resources are empty"
                ));
            }
            let r = cfg.kube(|c| {
                for r in &rs {
                    let res = if self.server_side_apply {
                        kubeclient::apply(c, r, &fm, self.force_conflicts)
                    } else {
                        kubeclient::create(c, r, &fm)
                    };
                    match res {
                        Ok(_) => {}
                        Err(e) if e.contains("already exists") => {}
                        Err(e) => return Err(format!("failed to install CRD {rel_name}: {e}")),
                    }
                }
                Ok(())
            });
            cfg.collect_changes();
            r?;
        }
        // discovery changed: forget the cached capabilities and mappings
        cfg.capabilities = None;
        cfg.registry_cache = None;
        Ok(())
    }

    /// `createRelease`.
    fn create_release(
        &self,
        cfg: &Configuration,
        chart: &Chart,
        vals: &Map,
        ns: &str,
    ) -> Result<Release, String> {
        let ts = cfg.now();
        Ok(Release {
            name: self.release_name.clone(),
            namespace: ns.to_string(),
            chart: Some(ReleaseChart::from_chart(chart, &self.chart_times)?),
            config: vals.clone(),
            info: Some(Info {
                first_deployed: ts.clone(),
                last_deployed: ts,
                status: Status::Unknown,
                ..Info::default()
            }),
            version: 1,
            labels: self.labels.clone(),
            apply_method: if self.server_side_apply { "ssa" } else { "csa" }.into(),
            ..Release::default()
        })
    }

    /// `Install.Run`.
    pub fn run(
        &self,
        cfg: &mut Configuration,
        chart: &Chart,
        vals: &Map,
    ) -> Result<Release, ActionError> {
        let ns = self.ns(cfg);
        if self.dry_run.interacts() {
            cfg.is_reachable()
                .map_err(|e| format!("cluster reachability check failed: {e}"))?;
        }
        if !self.dry_run.is_dry_run() && self.hide_secret {
            return Err("hiding Kubernetes secrets requires a dry-run mode"
                .to_string()
                .into());
        }
        self.available_name(cfg)
            .map_err(|e| format!("release name check failed: {e}"))?;
        // Helm processes dependencies in place: the release stores the processed chart
        // (disabled subcharts gone, aliases applied, imported values merged).
        let mut processed = chart.clone();
        crate::chart::dependencies::process_dependencies(&mut processed, vals, &mut cfg.warnings)
            .map_err(|e| format!("chart dependencies processing failed: {e}"))?;
        let chart = &processed;
        let crds = render::crd_objects(chart);
        if self.dry_run.interacts() && !self.skip_crds && !crds.is_empty() {
            if self.dry_run.is_dry_run() {
                cfg.warnings.push(
                    "This chart or one of its subcharts contains CRDs. Rendering may fail or contain inaccuracies."
                        .into(),
                );
            } else {
                self.install_crds(cfg, &crds)?;
            }
        }
        let caps = if !self.dry_run.interacts() {
            // a fresh memory store, as Helm's client-only mode has
            cfg.releases = Storage::new(DriverKind::Memory, &ns, cfg.clock());
            client_capabilities(&self.kube_version, &self.api_versions)
        } else {
            cfg.get_capabilities()?
        };
        let is_upgrade = self.is_upgrade && self.dry_run.is_dry_run();
        let mut ro = RenderOptions {
            capabilities: caps,
            ..RenderOptions::default()
        };
        ro.release.name = self.release_name.clone();
        ro.release.namespace = ns.clone();
        ro.release.revision = 1;
        ro.release.is_install = !is_upgrade;
        ro.release.is_upgrade = is_upgrade;
        if self.dry_run.interacts() {
            ro.lookup = Some(super::lookup::lookup_fn(cfg.cluster.clone()));
        }
        let labels_bad = storage::contains_system_labels(&self.labels);
        let rendered = render_release(
            chart,
            vals,
            &ro,
            &cfg.env,
            &ResourceOptions {
                sub_notes: self.sub_notes,
                include_crds: self.include_crds,
                hide_secret: self.hide_secret,
            },
        );
        let rendered = match rendered {
            Err(f) if !f.during_render => return Err(f.message.into()),
            _ if labels_bad => return Err(storage::system_labels_error().into()),
            r => r,
        };
        let mut rel = self.create_release(cfg, chart, vals, &ns)?;
        let rr = match rendered {
            Ok(r) => r,
            Err(f) => {
                rel.manifest = f.manifest;
                rel.set_status(
                    Status::Failed,
                    &format!("failed to render resource: {}", f.message),
                );
                return Err(ActionError::with_release(f.message, &rel));
            }
        };
        rel.hooks = rr.hooks;
        rel.manifest = rr.manifest;
        rel.info_mut().notes = rr.notes;
        rel.set_status(Status::PendingInstall, "Initial install underway");
        let mut resources = if self.dry_run.interacts() {
            cfg.build(&rel.manifest, !self.disable_openapi_validation)
                .map_err(|e| {
                    format!("unable to build kubernetes objects from release manifest: {e}")
                })?
        } else {
            Vec::new()
        };
        set_metadata(&mut resources, &rel.name, &rel.namespace);
        let mut to_adopt = Vec::new();
        if self.dry_run.interacts() && !is_upgrade && !resources.is_empty() {
            to_adopt = existing_resources(
                cfg,
                &resources,
                &rel.name,
                &rel.namespace,
                self.take_ownership,
            )
            .map_err(|e| format!("unable to continue with install: {e}"))?;
        }
        if self.dry_run.is_dry_run() {
            rel.info_mut().description = "Dry run complete".into();
            return Ok(rel);
        }
        if self.create_namespace {
            self.create_namespace(cfg, &ns)?;
        }
        if self.replace {
            self.replace_release(cfg, &mut rel)?;
        }
        if let Err(e) = cfg.store(|s, c| s.create(c, &rel)) {
            return Err(ActionError::with_release(e.to_string(), &rel));
        }
        match self.perform(cfg, &mut rel, &to_adopt, &resources) {
            Ok(()) => Ok(rel),
            Err(e) => Err(self.fail_release(cfg, &mut rel, e)),
        }
    }

    fn create_namespace(&self, cfg: &mut Configuration, ns: &str) -> Result<(), String> {
        let doc = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    name: {ns}\n  name: {ns}\n"
        );
        let rs = cfg.build(&doc, true)?;
        let fm = cfg.field_manager.clone();
        let r = cfg.kube(|c| {
            for r in &rs {
                let res = if self.server_side_apply {
                    kubeclient::apply(c, r, &fm, false)
                } else {
                    kubeclient::create(c, r, &fm)
                };
                if let Err(e) = res {
                    if !e.contains("already exists") {
                        return Err(e);
                    }
                }
            }
            Ok(())
        });
        cfg.collect_changes();
        r
    }

    /// `replaceRelease`: the next revision number; the last record superseded unless failed.
    fn replace_release(
        &self,
        cfg: &mut Configuration,
        rel: &mut Release,
    ) -> Result<(), ActionError> {
        let mut hist = match cfg.store(|s, c| s.history(c, &rel.name)) {
            Ok(h) if !h.is_empty() => h,
            _ => return Ok(()),
        };
        super::util::reverse(&mut hist, super::util::sort_by_revision);
        let mut last = hist.swap_remove(0);
        rel.version = last.version + 1;
        if last.status() == Status::Failed {
            return Ok(());
        }
        last.set_status(Status::Superseded, "superseded by new release");
        cfg.store(|s, c| s.update(c, &last))?;
        Ok(())
    }

    /// `performInstall`.
    fn perform(
        &self,
        cfg: &mut Configuration,
        rel: &mut Release,
        to_adopt: &[Resource],
        resources: &[Resource],
    ) -> Result<(), String> {
        if !self.disable_hooks {
            hooks::exec_hook(
                cfg,
                rel,
                HookEvent::PreInstall,
                self.wait,
                self.server_side_apply,
            )
            .map_err(|e| format!("failed pre-install: {e}"))?;
        }
        if to_adopt.is_empty() && !resources.is_empty() {
            let fm = cfg.field_manager.clone();
            let r = cfg.kube(|c| {
                let mut errs = Vec::new();
                for r in resources {
                    let res = if self.server_side_apply {
                        kubeclient::apply(c, r, &fm, false).map(|_| ())
                    } else {
                        kubeclient::create(c, r, &fm).map(|_| ())
                    };
                    if let Err(e) = res {
                        errs.push(e);
                    }
                }
                if errs.is_empty() {
                    Ok(())
                } else {
                    Err(errs.join("\n"))
                }
            });
            cfg.collect_changes();
            r?;
        } else if !resources.is_empty() {
            let (_, r) = update_pass(
                cfg,
                to_adopt,
                resources,
                UpdateOptions {
                    server_side_apply: self.server_side_apply,
                    force_conflicts: self.force_conflicts,
                    force_replace: self.force_replace,
                    upgrade_client_side_field_manager: false,
                },
            );
            r?;
        }
        wait_for(cfg, resources, self.wait_strategy(), self.wait_for_jobs)?;
        if !self.disable_hooks {
            hooks::exec_hook(
                cfg,
                rel,
                HookEvent::PostInstall,
                self.wait,
                self.server_side_apply,
            )
            .map_err(|e| format!("failed post-install: {e}"))?;
        }
        let desc = if self.description.is_empty() {
            "Install complete".to_string()
        } else {
            self.description.clone()
        };
        rel.set_status(Status::Deployed, &desc);
        if let Err(e) = cfg.store(|s, c| s.update(c, rel)) {
            cfg.warnings
                .push(format!("failed to record the release: {e}"));
        }
        Ok(())
    }

    fn wait_strategy(&self) -> WaitStrategy {
        if self.wait == WaitStrategy::HookOnly && self.rollback_on_failure {
            WaitStrategy::Watcher
        } else {
            self.wait
        }
    }

    /// `failRelease`.
    fn fail_release(&self, cfg: &mut Configuration, rel: &mut Release, err: String) -> ActionError {
        rel.set_status(
            Status::Failed,
            &format!("Release {} failed: {err}", quote(&self.release_name)),
        );
        if self.rollback_on_failure {
            let un = super::uninstall::Uninstall {
                disable_hooks: self.disable_hooks,
                keep_history: false,
                wait: self.wait_strategy(),
                ..Default::default()
            };
            if let Err(ue) = un.run(cfg, &self.release_name) {
                return ActionError::with_release(
                    format!(
                        "an error occurred while uninstalling the release. original install error: {err}: {}",
                        ue.message
                    ),
                    rel,
                );
            }
            return ActionError::with_release(
                format!(
                    "release {} failed, and has been uninstalled due to rollback-on-failure being set: {err}",
                    self.release_name
                ),
                rel,
            );
        }
        cfg.record_release(rel);
        ActionError::with_release(err, rel)
    }
}

/// `helm upgrade --install` and `--replace` both need the labels of the last record merged
/// with the user's; exposed for upgrade.
pub fn merged_labels(
    last: &BTreeMap<String, String>,
    user: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    merge_custom_labels(last, user)
}

/// `TemplateName`: `--name-template` executed with Sprig's functions and no data.
pub fn template_name(name_template: &str, env: &crate::engine::Env) -> Result<String, String> {
    if name_template.is_empty() {
        return Ok(String::new());
    }
    let mut t = crate::engine::Templates::new("name-template", crate::sprig::funcs());
    t.parse("name-template", name_template)
        .map_err(|e| e.to_string())?;
    t.execute("name-template", &crate::engine::Value::Nil, env)
        .map_err(|e| e.to_string())
}

/// `Install.NameAndChart`: the release name and chart argument of `helm install` /
/// `helm template` (`preset` is the name already set, `release-name` for `helm template`).
pub fn name_and_chart(
    args: &[String],
    generate_name: bool,
    name_template: &str,
    preset: &str,
    env: &crate::engine::Env,
) -> Result<(String, String), String> {
    if args.len() > 2 {
        return Err(format!(
            "expected at most two arguments, unexpected arguments: {}",
            args[2..].join(", ")
        ));
    }
    if args.len() == 2 {
        if generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if !name_template.is_empty() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        return Ok((args[0].clone(), args[1].clone()));
    }
    let Some(chart) = args.first() else {
        return Err("requires at least 1 arg(s), only received 0".into());
    };
    if !name_template.is_empty() {
        return Ok((template_name(name_template, env)?, chart.clone()));
    }
    if !preset.is_empty() {
        return Ok((preset.to_string(), chart.clone()));
    }
    if !generate_name {
        return Err("must either provide a name or specify --generate-name".into());
    }
    let trimmed = chart.trim_end_matches('/');
    let mut base = trimmed.rsplit('/').next().unwrap_or("").to_string();
    if trimmed.is_empty() && chart.starts_with('/') {
        base = "/".into();
    }
    if base == "." || base.is_empty() {
        base = "chart".into();
    }
    if let Some(i) = base.find('.') {
        base.truncate(i);
    }
    Ok((format!("{base}-{}", env.clock.now().secs), chart.clone()))
}

#[cfg(test)]
mod name_tests {
    use super::*;
    use crate::engine::{Env, Timestamp};

    #[test]
    fn names_like_helm_install() {
        let env = Env::fixed(Timestamp::utc(1_795_505_197, 0), 1);
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            name_and_chart(&a(&["demo", "./chart"]), false, "", "", &env).unwrap(),
            ("demo".to_string(), "./chart".to_string())
        );
        assert_eq!(
            name_and_chart(&a(&["./mychart"]), true, "", "", &env)
                .unwrap()
                .0,
            "mychart-1795505197"
        );
        assert_eq!(
            name_and_chart(&a(&["charts/nginx-1.2.3.tgz"]), true, "", "", &env)
                .unwrap()
                .0,
            "nginx-1-1795505197"
        );
        assert_eq!(
            name_and_chart(&a(&["."]), true, "", "", &env).unwrap().0,
            "chart-1795505197"
        );
        assert_eq!(
            name_and_chart(&a(&["c"]), false, "", "", &env).unwrap_err(),
            "must either provide a name or specify --generate-name"
        );
        assert_eq!(
            name_and_chart(&a(&["x", "c"]), true, "", "", &env).unwrap_err(),
            "cannot set --generate-name and also specify a name"
        );
        assert_eq!(
            name_and_chart(&a(&["x", "c", "d", "e"]), false, "", "", &env).unwrap_err(),
            "expected at most two arguments, unexpected arguments: d, e"
        );
        assert_eq!(
            name_and_chart(
                &a(&["c"]),
                false,
                "{{ \"app\" | upper | lower }}-x",
                "",
                &env
            )
            .unwrap()
            .0,
            "app-x"
        );
        assert_eq!(
            name_and_chart(&a(&["c"]), false, "", "release-name", &env)
                .unwrap()
                .0,
            "release-name"
        );
    }
}
