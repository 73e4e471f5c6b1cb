//! `helm rollback` (pkg/action rollback.go): a new revision N+1 that copies the chart,
//! values, manifest, hooks and notes of the target revision ("Rollback to N"), applied with the
//! update pass between pre- and post-rollback hooks; every deployed revision superseded.

use super::action::{ActionError, Configuration, DryRun, WaitStrategy};
use super::hooks;
use super::install::{self, UpdateOptions};
use super::kubeclient::{self, Resource};
use super::model::{HookEvent, Info, Release, Status};
use super::storage::StorageError;
use super::upgrade::server_side_value;
use crate::kube::cluster::Propagation;

/// `helm rollback` options.
#[derive(Clone, Debug)]
pub struct Rollback {
    /// The revision to go back to; 0: the one before the last.
    pub version: i64,
    pub wait: WaitStrategy,
    pub wait_for_jobs: bool,
    pub disable_hooks: bool,
    pub dry_run: DryRun,
    pub force_replace: bool,
    pub force_conflicts: bool,
    pub server_side_apply: String,
    pub cleanup_on_fail: bool,
    pub max_history: usize,
}

impl Default for Rollback {
    fn default() -> Self {
        Rollback {
            version: 0,
            wait: WaitStrategy::HookOnly,
            wait_for_jobs: false,
            disable_hooks: false,
            dry_run: DryRun::None,
            force_replace: false,
            force_conflicts: false,
            server_side_apply: "auto".into(),
            cleanup_on_fail: false,
            max_history: 0,
        }
    }
}

impl Rollback {
    /// `Rollback.Run`.
    pub fn run(&self, cfg: &mut Configuration, name: &str) -> Result<(), ActionError> {
        cfg.is_reachable()?;
        cfg.releases.max_history = self.max_history;
        let (mut current, mut target, ssa) = self.prepare(cfg, name)?;
        if !self.dry_run.is_dry_run() {
            cfg.store(|s, c| s.create(c, &target))?;
        }
        self.perform(cfg, &mut current, &mut target, ssa)?;
        if !self.dry_run.is_dry_run() {
            cfg.store(|s, c| s.update(c, &target))?;
        }
        Ok(())
    }

    /// `prepareRollback`.
    fn prepare(
        &self,
        cfg: &mut Configuration,
        name: &str,
    ) -> Result<(Release, Release, bool), ActionError> {
        if super::render::validate_release_name(name).is_err() {
            return Err(ActionError::new(format!(
                "prepareRollback: Release name is invalid: {name}"
            )));
        }
        if self.version < 0 {
            return Err(ActionError::new("invalid release revision"));
        }
        let current = cfg.store(|s, c| s.last(c, name))?;
        let previous_version = if self.version == 0 {
            current.version - 1
        } else {
            self.version
        };
        let history = cfg.store(|s, c| s.history(c, name))?;
        if !history.iter().any(|r| r.version == previous_version) {
            return Err(ActionError::new(format!(
                "release has no {previous_version} version"
            )));
        }
        let previous = match cfg.store(|s, c| s.get(c, name, previous_version)) {
            Ok(r) => r,
            Err(StorageError::NotFound) => return Err(StorageError::NotFound.into()),
            Err(e) => return Err(e.into()),
        };
        let ssa = server_side_value(&self.server_side_apply, &previous.apply_method)?;
        let target = Release {
            name: name.to_string(),
            namespace: current.namespace.clone(),
            chart: previous.chart.clone(),
            config: previous.config.clone(),
            info: Some(Info {
                first_deployed: current
                    .info
                    .as_ref()
                    .map(|i| i.first_deployed.clone())
                    .unwrap_or_else(super::gotime::zero),
                last_deployed: cfg.now(),
                status: Status::PendingRollback,
                notes: previous
                    .info
                    .as_ref()
                    .map(|i| i.notes.clone())
                    .unwrap_or_default(),
                description: format!("Rollback to {previous_version}"),
                ..Info::default()
            }),
            version: current.version + 1,
            labels: previous.labels.clone(),
            manifest: previous.manifest.clone(),
            hooks: previous.hooks.clone(),
            apply_method: if ssa { "ssa" } else { "csa" }.into(),
        };
        Ok((current, target, ssa))
    }

    /// `performRollback`.
    fn perform(
        &self,
        cfg: &mut Configuration,
        current: &mut Release,
        target: &mut Release,
        ssa: bool,
    ) -> Result<(), ActionError> {
        if self.dry_run.is_dry_run() {
            return Ok(());
        }
        let cur = cfg.build(&current.manifest, false).map_err(|e| {
            ActionError::with_release(
                format!("unable to build kubernetes objects from current release manifest: {e}"),
                target,
            )
        })?;
        let mut tgt = cfg.build(&target.manifest, false).map_err(|e| {
            ActionError::with_release(
                format!("unable to build kubernetes objects from new release manifest: {e}"),
                target,
            )
        })?;
        if !self.disable_hooks {
            hooks::exec_hook(cfg, target, HookEvent::PreRollback, self.wait, ssa)
                .map_err(|e| ActionError::with_release(e, target))?;
        }
        install::set_metadata(&mut tgt, &target.name, &target.namespace);
        let (results, r) = install::update_pass(
            cfg,
            &cur,
            &tgt,
            UpdateOptions {
                server_side_apply: ssa,
                force_conflicts: self.force_conflicts,
                force_replace: self.force_replace,
                upgrade_client_side_field_manager: true,
            },
        );
        if let Err(e) = r {
            let msg = format!("Rollback {} failed: {e}", kubeclient::quote(&target.name));
            cfg.warnings.push(msg.clone());
            current.info_mut().status = Status::Superseded;
            {
                let i = target.info_mut();
                i.status = Status::Failed;
                i.description = msg;
            }
            cfg.record_release(current);
            cfg.record_release(target);
            if self.cleanup_on_fail {
                let created: Vec<Resource> = results.created.clone();
                let d =
                    cfg.kube(|c| Ok(kubeclient::delete_all(c, &created, Propagation::Background)));
                cfg.collect_changes();
                if let Ok(Err(errs)) = d {
                    return Err(ActionError::with_release(
                        format!(
                            "an error occurred while cleaning up resources. original rollback error: unable to cleanup resources: {}",
                            errs.join(", ")
                        ),
                        target,
                    ));
                }
            }
            return Err(ActionError::with_release(e, target));
        }
        if let Err(e) = install::wait_for(cfg, &tgt, self.wait, self.wait_for_jobs) {
            target.set_status(
                Status::Failed,
                &format!("Release {} failed: {e}", kubeclient::quote(&target.name)),
            );
            cfg.record_release(current);
            cfg.record_release(target);
            return Err(ActionError::with_release(
                format!("release {} failed: {e}", target.name),
                target,
            ));
        }
        if !self.disable_hooks {
            hooks::exec_hook(cfg, target, HookEvent::PostRollback, self.wait, ssa)
                .map_err(|e| ActionError::with_release(e, target))?;
        }
        match cfg.store(|s, c| s.deployed_all(c, &current.name)) {
            Ok(deployed) => {
                for mut d in deployed {
                    d.info_mut().status = Status::Superseded;
                    cfg.record_release(&d);
                }
            }
            Err(StorageError::NoDeployed(_)) => {}
            Err(e) => return Err(e.into()),
        }
        target.info_mut().status = Status::Deployed;
        Ok(())
    }
}
