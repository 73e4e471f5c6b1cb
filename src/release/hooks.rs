//! Running hooks (pkg/action hooks.go): the hooks of one event in weight order (then name),
//! each deleted first when its policy says `before-hook-creation` (the default), created,
//! waited for, timed (`last_run`, recorded in storage as it starts), and afterwards deleted
//! according to `hook-succeeded` / `hook-failed`.

use super::action::{Configuration, WaitStrategy};
use super::kubeclient::{self, WaitKind};
use super::model::{
    HookEvent, HookExecution, HookPhase, Release, BEFORE_HOOK_CREATION, HOOK_FAILED, HOOK_SUCCEEDED,
};
use crate::kube::cluster::Propagation;

/// `hookByWeight`: weight, then name.
fn by_weight(rel: &Release, idx: &mut [usize]) {
    idx.sort_by(|&a, &b| {
        let (x, y) = (&rel.hooks[a], &rel.hooks[b]);
        x.weight.cmp(&y.weight).then_with(|| x.name.cmp(&y.name))
    });
}

/// `deleteHookByPolicy`.
fn delete_by_policy(
    cfg: &mut Configuration,
    rel: &Release,
    i: usize,
    policy: &str,
    wait: WaitStrategy,
) -> Result<(), String> {
    let h = &rel.hooks[i];
    if h.kind == "CustomResourceDefinition" || !h.delete_policies.iter().any(|p| p == policy) {
        return Ok(());
    }
    let rs = cfg.build(&h.manifest, false).map_err(|e| {
        format!(
            "unable to build kubernetes object for deleting hook {}: {e}",
            h.path
        )
    })?;
    let res = cfg.kube(|c| Ok(kubeclient::delete_all(c, &rs, Propagation::Background)));
    cfg.collect_changes();
    match res? {
        Ok(_) => {}
        Err(errs) => return Err(errs.join("; ")),
    }
    if wait != WaitStrategy::HookOnly {
        cfg.kube(|c| kubeclient::wait_for_delete(c, &rs))?;
    }
    Ok(())
}

/// `execHook`: runs the hooks of `event` and their delete policies; the error is Helm's.
pub fn exec_hook(
    cfg: &mut Configuration,
    rel: &mut Release,
    event: HookEvent,
    wait: WaitStrategy,
    server_side_apply: bool,
) -> Result<(), String> {
    exec_hook_filtered(cfg, rel, event, wait, server_side_apply, &|_| true)
}

/// `execHookWithDelayedShutdown` followed by its shutdown, over the hooks `include` accepts.
pub fn exec_hook_filtered(
    cfg: &mut Configuration,
    rel: &mut Release,
    event: HookEvent,
    wait: WaitStrategy,
    server_side_apply: bool,
    include: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let mut executing: Vec<usize> = (0..rel.hooks.len())
        .filter(|&i| rel.hooks[i].has_event(event) && include(&rel.hooks[i].name))
        .collect();
    by_weight(rel, &mut executing);
    for (n, &i) in executing.iter().enumerate() {
        if rel.hooks[i].delete_policies.is_empty() {
            rel.hooks[i].delete_policies = vec![BEFORE_HOOK_CREATION.to_string()];
        }
        delete_by_policy(cfg, rel, i, BEFORE_HOOK_CREATION, wait)?;
        let h = &rel.hooks[i];
        let rs = cfg.build(&h.manifest, true).map_err(|e| {
            format!(
                "unable to build kubernetes object for {event} hook {}: {e}",
                h.path
            )
        })?;
        rel.hooks[i].last_run = HookExecution {
            started_at: cfg.now(),
            completed_at: super::gotime::zero(),
            phase: HookPhase::new(HookPhase::RUNNING),
        };
        cfg.record_release(rel);
        rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::UNKNOWN);
        let fm = cfg.field_manager.clone();
        let created = cfg.kube(|c| {
            let mut errs = Vec::new();
            for r in &rs {
                let res = if server_side_apply {
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
        if let Err(e) = created {
            rel.hooks[i].last_run.completed_at = cfg.now();
            rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::FAILED);
            return Err(format!(
                "warning: Hook {event} {} failed: {e}",
                rel.hooks[i].path
            ));
        }
        let waited = cfg.kube(|c| kubeclient::wait(c, &rs, WaitKind::UntilReady));
        rel.hooks[i].last_run.completed_at = cfg.now();
        if let Err(e) = waited {
            rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::FAILED);
            // shutdown: the failed hook by `hook-failed`, the earlier ones by `hook-succeeded`
            if let Err(d) = delete_by_policy(cfg, rel, i, HOOK_FAILED, wait) {
                cfg.warnings.push(format!(
                    "error deleting the hook resource on hook failure: {d}"
                ));
            }
            for &j in &executing[..n] {
                delete_by_policy(cfg, rel, j, HOOK_SUCCEEDED, wait)?;
            }
            return Err(e);
        }
        rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::SUCCEEDED);
    }
    // shutdown: in reverse order, `hook-succeeded` deletions
    for &i in executing.iter().rev() {
        delete_by_policy(cfg, rel, i, HOOK_SUCCEEDED, wait)?;
    }
    Ok(())
}
