//! `helm upgrade` (pkg/action upgrade.go): the last and current releases, value reuse rules
//! (`--reuse-values`, `--reset-values`, `--reset-then-reuse-values`, or the old values when none
//! are given), rendering revision N+1, the pending-upgrade record (with `--history-max`
//! pruning), pre-upgrade hooks, the update pass (create, apply, delete what left), waiting,
//! post-upgrade hooks, superseding the old revision — or Helm's failure handling
//! (`--cleanup-on-fail`, `--rollback-on-failure`).

use std::collections::BTreeMap;

use super::action::{merge_custom_labels, ActionError, Configuration, DryRun, WaitStrategy};
use super::hooks;
use super::install::{self, UpdateOptions};
use super::kubeclient::{self, Resource};
use super::model::{ChartTimes, HookEvent, Info, Release, ReleaseChart, Status};
use super::render::ResourceOptions;
use super::storage::{self, StorageError};
use super::util;
use crate::chart::{Chart, RenderOptions};
use crate::engine::{Map, Value};
use crate::kube::cluster::Propagation;

/// `helm upgrade` options.
#[derive(Clone, Debug)]
pub struct Upgrade {
    pub dry_run: DryRun,
    pub hide_secret: bool,
    pub disable_hooks: bool,
    pub wait: WaitStrategy,
    pub wait_for_jobs: bool,
    pub force_replace: bool,
    pub force_conflicts: bool,
    /// `--server-side`: `auto` (follow the release), `true` or `false`.
    pub server_side_apply: String,
    pub reset_values: bool,
    pub reuse_values: bool,
    pub reset_then_reuse_values: bool,
    /// `--history-max` (0: unlimited).
    pub max_history: usize,
    pub rollback_on_failure: bool,
    pub cleanup_on_fail: bool,
    pub sub_notes: bool,
    pub skip_schema_validation: bool,
    pub description: String,
    pub labels: BTreeMap<String, String>,
    pub disable_openapi_validation: bool,
    pub take_ownership: bool,
    pub chart_times: ChartTimes,
}

impl Default for Upgrade {
    fn default() -> Self {
        Upgrade {
            dry_run: DryRun::None,
            hide_secret: false,
            disable_hooks: false,
            wait: WaitStrategy::HookOnly,
            wait_for_jobs: false,
            force_replace: false,
            force_conflicts: false,
            server_side_apply: "auto".into(),
            reset_values: false,
            reuse_values: false,
            reset_then_reuse_values: false,
            max_history: 0,
            rollback_on_failure: false,
            cleanup_on_fail: false,
            sub_notes: false,
            skip_schema_validation: false,
            description: String::new(),
            labels: BTreeMap::new(),
            disable_openapi_validation: false,
            take_ownership: false,
            chart_times: ChartTimes::default(),
        }
    }
}

/// `getUpgradeServerSideValue`.
pub fn server_side_value(option: &str, release_method: &str) -> Result<bool, String> {
    match option {
        "auto" => Ok(release_method == "ssa"),
        "false" => Ok(false),
        "true" => Ok(true),
        other => Err(format!(
            "invalid/unknown release server-side apply method: {other}"
        )),
    }
}

/// Values coalescing through the chart layer, whichever way it reports errors.
pub(crate) trait IntoValues {
    fn into_values(self) -> Result<Map, String>;
}

impl IntoValues for Map {
    fn into_values(self) -> Result<Map, String> {
        Ok(self)
    }
}

impl IntoValues for Result<Map, String> {
    fn into_values(self) -> Result<Map, String> {
        self
    }
}

/// `util.CoalesceValues(chart, vals)`.
pub(crate) fn coalesce_values(chart: &Chart, vals: &Map) -> Result<Map, String> {
    let mut w = Vec::new();
    // copyValues: a nil map (a record stored without `config`) becomes an empty one
    let vals = if vals.is_nil() {
        Map::new()
    } else {
        vals.clone()
    };
    crate::chart::values::coalesce_values(chart, &vals, &mut w).into_values()
}

/// A deep copy of a values map (Helm's values are never shared between releases).
fn copy_map(m: &Map) -> Map {
    match Value::Map(m.clone()).deep_copy() {
        Value::Map(c) => c,
        _ => Map::new(),
    }
}

impl Upgrade {
    fn wait_strategy(&self) -> WaitStrategy {
        if self.wait == WaitStrategy::HookOnly && self.rollback_on_failure {
            WaitStrategy::Watcher
        } else {
            self.wait
        }
    }

    /// `reuseValues`: the values the new revision gets (and, with `--reuse-values`, the old
    /// computed values become the chart's defaults).
    fn reuse_values(
        &self,
        chart: &mut Chart,
        current: &Release,
        new_vals: &Map,
    ) -> Result<Map, String> {
        if self.reset_values {
            return Ok(new_vals.clone());
        }
        if self.reuse_values {
            let old_chart = current
                .chart
                .as_ref()
                .map(ReleaseChart::to_chart)
                .unwrap_or_default();
            let old = coalesce_values(&old_chart, &current.config)
                .map_err(|e| format!("failed to rebuild old values: {e}"))?;
            let merged = copy_map(new_vals);
            let mut w = Vec::new();
            crate::chart::values::coalesce_tables(&merged, &copy_map(&current.config), &mut w);
            chart.values = old;
            chart.values_present = true;
            return Ok(merged);
        }
        if self.reset_then_reuse_values {
            let merged = copy_map(new_vals);
            let mut w = Vec::new();
            crate::chart::values::coalesce_tables(&merged, &copy_map(&current.config), &mut w);
            return Ok(merged);
        }
        if new_vals.is_empty() && !current.config.is_empty() {
            return Ok(copy_map(&current.config));
        }
        Ok(new_vals.clone())
    }

    /// `Upgrade.Run`.
    pub fn run(
        &self,
        cfg: &mut Configuration,
        name: &str,
        chart: &Chart,
        vals: &Map,
    ) -> Result<Release, ActionError> {
        cfg.is_reachable()?;
        if super::render::validate_release_name(name).is_err() {
            return Err(ActionError::new(format!("release name is invalid: {name}")));
        }
        let (mut current, mut upgraded, ssa) = self.prepare(cfg, name, chart, vals)?;
        cfg.releases.max_history = self.max_history;
        self.perform(cfg, &mut current, &mut upgraded, ssa)?;
        if !self.dry_run.is_dry_run() {
            cfg.store(|s, c| s.update(c, &upgraded))
                .map_err(|e| ActionError::with_release(e.to_string(), &upgraded))?;
        }
        Ok(upgraded)
    }

    /// `prepareUpgrade`: (current release, the new revision, server-side apply).
    fn prepare(
        &self,
        cfg: &mut Configuration,
        name: &str,
        chart: &Chart,
        vals: &Map,
    ) -> Result<(Release, Release, bool), ActionError> {
        if !self.dry_run.is_dry_run() && self.hide_secret {
            return Err(ActionError::new(
                "hiding Kubernetes secrets requires a dry-run mode",
            ));
        }
        let last = match cfg.store(|s, c| s.last(c, name)) {
            Ok(r) => r,
            Err(StorageError::NotFound) => {
                return Err(StorageError::NoDeployed(name.to_string()).into())
            }
            Err(e) => return Err(e.into()),
        };
        if last.status().is_pending() {
            return Err(ActionError::new(
                "another operation (install/upgrade/rollback) is in progress",
            ));
        }
        let current = if last.status() == Status::Deployed {
            last.clone()
        } else {
            match cfg.store(|s, c| s.deployed(c, name)) {
                Ok(r) => r,
                Err(StorageError::NoDeployed(_))
                    if matches!(last.status(), Status::Failed | Status::Superseded) =>
                {
                    last.clone()
                }
                Err(e) => return Err(e.into()),
            }
        };
        let mut chart = chart.clone();
        let vals = self.reuse_values(&mut chart, &current, vals)?;
        crate::chart::dependencies::process_dependencies(&mut chart, &vals, &mut cfg.warnings)
            .map_err(ActionError::new)?;
        let revision = last.version + 1;
        let caps = cfg.get_capabilities()?;
        let mut ro = RenderOptions {
            capabilities: caps,
            ..RenderOptions::default()
        };
        ro.release.name = name.to_string();
        ro.release.namespace = current.namespace.clone();
        ro.release.revision = revision;
        ro.release.is_install = false;
        ro.release.is_upgrade = true;
        ro.lookup = if self.dry_run.interacts() {
            Some(super::lookup::lookup_fn(cfg.cluster.clone()))
        } else {
            None
        };
        let rendered = install::render_release(
            &chart,
            &vals,
            &ro,
            &cfg.env,
            &ResourceOptions {
                sub_notes: self.sub_notes,
                include_crds: false,
                hide_secret: self.hide_secret,
            },
        )
        .map_err(|f| ActionError::new(f.message))?;
        if storage::contains_system_labels(&self.labels) {
            return Err(ActionError::new(storage::system_labels_error()));
        }
        let ssa = server_side_value(&self.server_side_apply, &last.apply_method)?;
        let mut upgraded = Release {
            name: name.to_string(),
            namespace: current.namespace.clone(),
            chart: Some(ReleaseChart::from_chart(&chart, &self.chart_times)?),
            config: vals,
            info: Some(Info {
                first_deployed: current
                    .info
                    .as_ref()
                    .map(|i| i.first_deployed.clone())
                    .unwrap_or_else(super::gotime::zero),
                last_deployed: cfg.now(),
                status: Status::PendingUpgrade,
                description: "Preparing upgrade".into(),
                ..Info::default()
            }),
            version: revision,
            manifest: rendered.manifest,
            hooks: rendered.hooks,
            labels: merge_custom_labels(&last.labels, &self.labels),
            apply_method: if ssa { "ssa" } else { "csa" }.into(),
        };
        if !rendered.notes.is_empty() {
            upgraded.info_mut().notes = rendered.notes;
        }
        cfg.build(&upgraded.manifest, !self.disable_openapi_validation)?;
        Ok((current, upgraded, ssa))
    }

    /// `performUpgrade` + `releasingUpgrade`.
    fn perform(
        &self,
        cfg: &mut Configuration,
        original: &mut Release,
        upgraded: &mut Release,
        ssa: bool,
    ) -> Result<(), ActionError> {
        let current = cfg.build(&original.manifest, false).map_err(|e| {
            let msg = if e.contains("unable to recognize \"\": no matches for kind") {
                format!("current release manifest contains removed kubernetes api(s) for this kubernetes version and it is therefore unable to build the kubernetes objects for performing the diff. error from kubernetes: {e}")
            } else {
                format!("unable to build kubernetes objects from current release manifest: {e}")
            };
            ActionError::with_release(msg, upgraded)
        })?;
        let mut target = cfg
            .build(&upgraded.manifest, !self.disable_openapi_validation)
            .map_err(|e| {
                ActionError::with_release(
                    format!("unable to build kubernetes objects from new release manifest: {e}"),
                    upgraded,
                )
            })?;
        install::set_metadata(&mut target, &upgraded.name, &upgraded.namespace);
        let existing: Vec<String> = current.iter().map(Resource::object_key).collect();
        let to_create: Vec<Resource> = target
            .iter()
            .filter(|r| !existing.contains(&r.object_key()))
            .cloned()
            .collect();
        let to_update = install::existing_resources(
            cfg,
            &to_create,
            &upgraded.name,
            &upgraded.namespace,
            self.take_ownership,
        )
        .map_err(|e| ActionError::new(format!("unable to continue with update: {e}")))?;
        let mut current = current;
        current.extend(to_update);
        if self.dry_run.is_dry_run() {
            upgraded.info_mut().description = if self.description.is_empty() {
                "Dry run complete".into()
            } else {
                self.description.clone()
            };
            return Ok(());
        }
        cfg.store(|s, c| s.create(c, upgraded))?;
        let wait = self.wait_strategy();
        if !self.disable_hooks {
            if let Err(e) = hooks::exec_hook(cfg, upgraded, HookEvent::PreUpgrade, wait, ssa) {
                return Err(self.fail_release(
                    cfg,
                    upgraded,
                    &[],
                    format!("pre-upgrade hooks failed: {e}"),
                ));
            }
        }
        let (results, r) = install::update_pass(
            cfg,
            &current,
            &target,
            UpdateOptions {
                server_side_apply: ssa,
                force_conflicts: self.force_conflicts,
                force_replace: self.force_replace,
                upgrade_client_side_field_manager: false,
            },
        );
        if let Err(e) = r {
            cfg.record_release(original);
            return Err(self.fail_release(cfg, upgraded, &results.created, e));
        }
        if let Err(e) = install::wait_for(cfg, &target, wait, self.wait_for_jobs) {
            cfg.record_release(original);
            return Err(self.fail_release(cfg, upgraded, &results.created, e));
        }
        if !self.disable_hooks {
            if let Err(e) = hooks::exec_hook(cfg, upgraded, HookEvent::PostUpgrade, wait, ssa) {
                return Err(self.fail_release(
                    cfg,
                    upgraded,
                    &results.created,
                    format!("post-upgrade hooks failed: {e}"),
                ));
            }
        }
        original.info_mut().status = Status::Superseded;
        cfg.record_release(original);
        upgraded.info_mut().status = Status::Deployed;
        upgraded.info_mut().description = if self.description.is_empty() {
            "Upgrade complete".into()
        } else {
            self.description.clone()
        };
        Ok(())
    }

    /// `failRelease`.
    fn fail_release(
        &self,
        cfg: &mut Configuration,
        rel: &mut Release,
        created: &[Resource],
        err: String,
    ) -> ActionError {
        let msg = format!("Upgrade {} failed: {err}", kubeclient::quote(&rel.name));
        {
            let i = rel.info_mut();
            i.status = Status::Failed;
            i.description = msg;
        }
        cfg.record_release(rel);
        if self.cleanup_on_fail && !created.is_empty() {
            let r = cfg.kube(|c| Ok(kubeclient::delete_all(c, created, Propagation::Background)));
            cfg.collect_changes();
            if let Ok(Err(errs)) = r {
                return ActionError::with_release(
                    format!(
                        "an error occurred while cleaning up resources. original upgrade error: {err}: unable to cleanup resources: {}",
                        errs.join(", ")
                    ),
                    rel,
                );
            }
        }
        if self.rollback_on_failure {
            let hist = match cfg.store(|s, c| s.history(c, &rel.name)) {
                Ok(h) => h,
                Err(he) => {
                    return ActionError::with_release(
                        format!("an error occurred while finding last successful release. original upgrade error: {err}: {he}"),
                        rel,
                    )
                }
            };
            let mut ok: Vec<Release> = hist
                .into_iter()
                .filter(|r| matches!(r.status(), Status::Superseded | Status::Deployed))
                .collect();
            if ok.is_empty() {
                return ActionError::with_release(
                    format!("unable to find a previously successful release when attempting to rollback. original upgrade error: {err}"),
                    rel,
                );
            }
            util::reverse(&mut ok, util::sort_by_revision);
            let rb = super::rollback::Rollback {
                version: ok[0].version,
                wait: self.wait_strategy(),
                wait_for_jobs: self.wait_for_jobs,
                disable_hooks: self.disable_hooks,
                force_replace: self.force_replace,
                force_conflicts: self.force_conflicts,
                server_side_apply: self.server_side_apply.clone(),
                ..Default::default()
            };
            if let Err(re) = rb.run(cfg, &rel.name) {
                return ActionError::with_release(
                    format!("an error occurred while rolling back the release. original upgrade error: {err}: {}", re.message),
                    rel,
                );
            }
            return ActionError::with_release(
                format!(
                    "release {} failed, and has been rolled back due to rollback-on-failure being set: {err}",
                    rel.name
                ),
                rel,
            );
        }
        ActionError::with_release(err, rel)
    }
}
