//! `helm uninstall` (pkg/action uninstall.go, resource_policy.go): pre-delete hooks, the
//! `uninstalling` record, deletion of the manifest's objects in uninstall kind order (those
//! annotated `helm.sh/resource-policy: keep` are kept and listed), post-delete hooks, and the
//! records purged — or kept as `uninstalled` with `--keep-history`.

use std::collections::BTreeMap;

use super::action::{ActionError, Configuration, WaitStrategy};
use super::hooks;
use super::kubeclient;
use super::manifest::{self, Manifest, UNINSTALL_ORDER};
use super::model::{HookEvent, Release, Status};
use super::storage::StorageError;
use super::util;
use crate::kube::cluster::Propagation;

/// `helm uninstall` options.
#[derive(Clone, Debug, Default)]
pub struct Uninstall {
    pub disable_hooks: bool,
    pub dry_run: bool,
    pub ignore_not_found: bool,
    pub keep_history: bool,
    pub wait: WaitStrategy,
    /// `--cascade`: `background` (default), `orphan` or `foreground`.
    pub deletion_propagation: String,
    pub description: String,
}

/// `UninstallReleaseResponse`.
#[derive(Clone, Debug)]
pub struct UninstallResponse {
    pub release: Option<Release>,
    /// The resources kept by policy, as Helm prints them.
    pub info: String,
}

/// `filterManifestsToKeep`: (kept, to delete). A policy other than `keep` drops the manifest
/// from both, as Helm does.
pub fn filter_manifests_to_keep(ms: Vec<Manifest>) -> (Vec<Manifest>, Vec<Manifest>) {
    let mut keep = Vec::new();
    let mut remaining = Vec::new();
    for m in ms {
        let annotated = m
            .head
            .metadata
            .as_ref()
            .and_then(|md| md.annotations.as_ref())
            .is_some_and(|a| !a.is_empty());
        if !annotated {
            remaining.push(m);
            continue;
        }
        match m.head.annotation("helm.sh/resource-policy") {
            None => remaining.push(m),
            Some(p) if p.trim().to_lowercase() == "keep" => keep.push(m),
            Some(_) => {}
        }
    }
    (keep, remaining)
}

fn propagation(s: &str) -> Propagation {
    match s {
        "orphan" => Propagation::Orphan,
        "foreground" => Propagation::Foreground,
        _ => Propagation::Background,
    }
}

impl Uninstall {
    /// `Uninstall.Run`; `Ok(None)` when the release is missing and `ignore_not_found`.
    pub fn run(
        &self,
        cfg: &mut Configuration,
        name: &str,
    ) -> Result<Option<UninstallResponse>, ActionError> {
        cfg.is_reachable()?;
        if !matches!(
            self.deletion_propagation.as_str(),
            "" | "background" | "orphan" | "foreground"
        ) {
            return Err(ActionError::new(
                "invalid cascade value. Must be \"background\", \"orphan\", or \"foreground\"",
            ));
        }
        if self.dry_run {
            return match cfg.release_content(name, 0) {
                Ok(r) => Ok(Some(UninstallResponse {
                    release: Some(r),
                    info: String::new(),
                })),
                Err(e) if self.ignore_not_found && e.not_found => Ok(None),
                Err(e) => Err(e),
            };
        }
        if super::render::validate_release_name(name).is_err() {
            return Err(ActionError::new(format!(
                "uninstall: Release name is invalid: {name}"
            )));
        }
        let mut rels = match cfg.store(|s, c| s.history(c, name)) {
            Ok(r) => r,
            Err(_) if self.ignore_not_found => return Ok(None),
            Err(e) => {
                let nf = e == StorageError::NotFound;
                let mut ae =
                    ActionError::new(format!("uninstall: Release not loaded: {name}: {e}"));
                ae.not_found = nf;
                return Err(ae);
            }
        };
        if rels.is_empty() {
            return Err(ActionError::new("no release provided"));
        }
        util::sort_by_revision(&mut rels);
        let mut rel = rels[rels.len() - 1].clone();
        if rel.status() == Status::Uninstalled {
            if !self.keep_history {
                self.purge(cfg, &rels)
                    .map_err(|e| format!("uninstall: Failed to purge the release: {e}"))?;
                return Ok(Some(UninstallResponse {
                    release: Some(rel),
                    info: String::new(),
                }));
            }
            return Err(ActionError::new(format!(
                "the release named {} is already deleted",
                kubeclient::quote(name)
            )));
        }
        {
            let now = cfg.now();
            let info = rel.info_mut();
            info.status = Status::Uninstalling;
            info.deleted = now;
            info.description = "Deletion in progress (or silently failed)".into();
        }
        if !self.disable_hooks {
            if let Err(e) = hooks::exec_hook(cfg, &mut rel, HookEvent::PreDelete, self.wait, true) {
                return Err(ActionError::with_release(e, &rel));
            }
        }
        if let Err(e) = cfg.store(|s, c| s.update(c, &rel)) {
            cfg.warnings
                .push(format!("uninstall: Failed to store updated release: {e}"));
        }
        let (deleted, kept, errs) = self.delete_release(cfg, &rel);
        if !errs.is_empty() {
            return Err(ActionError::new(format!(
                "failed to delete release: {name}"
            )));
        }
        let info = if kept.is_empty() {
            String::new()
        } else {
            format!("These resources were kept due to the resource policy:\n{kept}")
        };
        let mut errs: Vec<String> = Vec::new();
        if self.wait != WaitStrategy::HookOnly {
            let timeout = cfg.wait_timeout_ms;
            if let Err(e) = cfg.kube(|c| kubeclient::wait_for_delete(c, &deleted, timeout)) {
                errs.push(e);
            }
        }
        if !self.disable_hooks {
            if let Err(e) = hooks::exec_hook(cfg, &mut rel, HookEvent::PostDelete, self.wait, true)
            {
                errs.push(e);
            }
        }
        let desc = if self.description.is_empty() {
            "Uninstallation complete".to_string()
        } else {
            self.description.clone()
        };
        {
            let i = rel.info_mut();
            i.status = Status::Uninstalled;
            i.description = desc;
        }
        let resp = UninstallResponse {
            release: Some(rel.clone()),
            info,
        };
        if !self.keep_history {
            if let Err(e) = self.purge(cfg, &rels) {
                errs.push(format!("uninstall: Failed to purge the release: {e}"));
            }
            if !errs.is_empty() {
                return Err(ActionError::with_release(
                    format!(
                        "uninstallation completed with {} error(s): {}",
                        errs.len(),
                        errs.join("; ")
                    ),
                    &rel,
                ));
            }
            return Ok(Some(resp));
        }
        if let Err(e) = cfg.store(|s, c| s.update(c, &rel)) {
            cfg.warnings
                .push(format!("uninstall: Failed to store updated release: {e}"));
        }
        match cfg.store(|s, c| s.deployed_all(c, name)) {
            Ok(deployed) => {
                for mut d in deployed {
                    d.info_mut().status = Status::Superseded;
                    if let Err(e) = cfg.store(|s, c| s.update(c, &d)) {
                        cfg.warnings
                            .push(format!("uninstall: Failed to store updated release: {e}"));
                    }
                }
            }
            Err(StorageError::NoDeployed(_)) => {}
            Err(e) => return Err(e.into()),
        }
        if !errs.is_empty() {
            return Err(ActionError::with_release(
                format!(
                    "uninstallation completed with {} error(s): {}",
                    errs.len(),
                    errs.join("; ")
                ),
                &rel,
            ));
        }
        Ok(Some(resp))
    }

    fn purge(&self, cfg: &mut Configuration, rels: &[Release]) -> Result<(), StorageError> {
        for r in rels {
            cfg.store(|s, c| s.delete(c, &r.name, r.version))?;
        }
        Ok(())
    }

    /// `deleteRelease`: (deleted resources, kept list, errors).
    fn delete_release(
        &self,
        cfg: &mut Configuration,
        rel: &Release,
    ) -> (Vec<kubeclient::Resource>, String, Vec<String>) {
        let files: BTreeMap<String, String> = manifest::split_manifests_map(&rel.manifest);
        let sorted = match manifest::sort_manifests(&files, UNINSTALL_ORDER) {
            Ok((_, ms)) => ms,
            Err(e) => {
                return (
                    Vec::new(),
                    rel.manifest.clone(),
                    vec![format!(
                        "corrupted release record. You must manually delete the resources: {}",
                        e.message
                    )],
                )
            }
        };
        let (keep, delete) = filter_manifests_to_keep(sorted);
        let mut kept = String::new();
        for m in &keep {
            kept.push_str(&format!("[{}] {}\n", m.head.kind, m.head.name()));
        }
        let mut builder = String::new();
        for m in &delete {
            builder.push_str("\n---\n");
            builder.push_str(&m.content);
        }
        let resources = match cfg.build(&builder, false) {
            Ok(r) => r,
            Err(e) => {
                return (
                    Vec::new(),
                    String::new(),
                    vec![format!(
                        "unable to build kubernetes objects for delete: {e}"
                    )],
                )
            }
        };
        let mut errs = Vec::new();
        if !resources.is_empty() {
            let p = propagation(&self.deletion_propagation);
            let r = cfg.kube(|c| Ok(kubeclient::delete_all(c, &resources, p)));
            cfg.collect_changes();
            match r {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => errs = e,
                Err(e) => errs.push(e),
            }
        }
        (resources, kept, errs)
    }
}
