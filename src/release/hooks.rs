//! Running hooks (pkg/action hooks.go): the hooks of one event in weight order (then name),
//! each deleted first when its policy says `before-hook-creation` (the default), created,
//! waited for, timed (`last_run`, recorded in storage as it starts), and afterwards deleted
//! according to `hook-succeeded` / `hook-failed`.

use super::action::{Configuration, WaitStrategy};
use super::kubeclient::{self, WaitKind};
use super::model::{
    HookEvent, HookExecution, HookPhase, Release, BEFORE_HOOK_CREATION, HOOK_FAILED, HOOK_SUCCEEDED,
};
use crate::engine::sort::SliceSort;
use crate::kube::cluster::Propagation;

/// `hookByWeight`: weight, then name.
fn by_weight(rel: &Release, idx: &mut [usize]) {
    idx.sort_stable_by(|&a, &b| {
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
        let timeout = cfg.wait_timeout_ms;
        cfg.kube(|c| kubeclient::wait_for_delete(c, &rs, timeout))?;
    }
    Ok(())
}

/// `outputLogsByPolicy`: the logs of a Job's or Pod's containers when the hook asks for them
/// (`helm.sh/hook-output-log-policy`), appended to the configuration's hook log (stderr).
fn output_logs(cfg: &mut Configuration, rel: &Release, i: usize, policy: &str) {
    let h = &rel.hooks[i];
    if !h.output_log_policies.iter().any(|p| p == policy) {
        return;
    }
    let ns = match crate::yaml::parse(&h.manifest) {
        Ok(v) => v
            .as_map()
            .and_then(|m| m.get("metadata"))
            .and_then(|m| m.as_map().and_then(|x| x.get("namespace")))
            .and_then(|n| n.as_str().map(str::to_string))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| rel.namespace.clone()),
        Err(e) => {
            cfg.warnings.push(format!(
                "error outputting logs for hook failure: unable to parse metadata.namespace from kubernetes manifest for output logs hook {}: {e}",
                h.path
            ));
            return;
        }
    };
    let opts = match h.kind.as_str() {
        "Job" => crate::kube::cluster::ListOptions {
            label_selector: format!("job-name={}", h.name),
            field_selector: String::new(),
        },
        "Pod" => crate::kube::cluster::ListOptions {
            label_selector: String::new(),
            field_selector: format!("metadata.name={}", h.name),
        },
        _ => return,
    };
    let logs = cfg.kube(|c| {
        let list = c
            .list(
                &crate::kube::object::GroupVersionResource::new("", "v1", "pods"),
                Some(&ns),
                &opts,
            )
            .map_err(|e| format!("failed to get pod list with options: {e}"))?;
        let mut out = String::new();
        for pod in list
            .get("items")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let name = pod["metadata"]["name"].as_str().unwrap_or("");
            for ctr in pod["spec"]["containers"].as_array().into_iter().flatten() {
                let cname = ctr["name"].as_str().unwrap_or("");
                let log = c.logs(&ns, name, Some(cname)).map_err(|_| {
                    format!("failed to stream pod logs for pod: {name}, container: {cname}")
                })?;
                out.push_str(&log);
            }
        }
        Ok(out)
    });
    match logs {
        Ok(l) => cfg.hook_logs.push_str(&l),
        Err(e) => cfg
            .warnings
            .push(format!("error outputting logs for hook failure: {e}")),
    }
}

/// What is left to do after hooks ran (Helm's `ExecuteShutdownFunc`): delete by policy.
#[derive(Clone, Debug, Default)]
pub struct Shutdown {
    wait: WaitStrategy,
    /// On success: every hook, `hook-succeeded` deletions in reverse order.
    succeeded: Vec<usize>,
    /// On failure: the failed hook (`hook-failed`) and the ones before it (`hook-succeeded`).
    failed: Option<(usize, Vec<usize>)>,
}

impl Shutdown {
    /// The same deletions after `n` hooks were put in front of the release's hook list.
    pub fn shifted(mut self, n: usize) -> Shutdown {
        for i in &mut self.succeeded {
            *i += n;
        }
        if let Some((i, earlier)) = &mut self.failed {
            *i += n;
            for j in earlier {
                *j += n;
            }
        }
        self
    }
}

/// Runs a [`Shutdown`]: the error of a deletion, if any.
pub fn shutdown(cfg: &mut Configuration, rel: &Release, sd: Shutdown) -> Result<(), String> {
    if let Some((i, earlier)) = sd.failed {
        if let Err(d) = delete_by_policy(cfg, rel, i, HOOK_FAILED, sd.wait) {
            cfg.warnings.push(format!(
                "error deleting the hook resource on hook failure: {d}"
            ));
        }
        for j in earlier {
            delete_by_policy(cfg, rel, j, HOOK_SUCCEEDED, sd.wait)?;
        }
        return Ok(());
    }
    for &i in sd.succeeded.iter().rev() {
        output_logs(cfg, rel, i, HOOK_SUCCEEDED);
        delete_by_policy(cfg, rel, i, HOOK_SUCCEEDED, sd.wait)?;
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
    let (res, sd) = exec_hook_delayed(cfg, rel, event, wait, server_side_apply);
    let down = shutdown(cfg, rel, sd);
    match (res, down) {
        (_, Err(e)) => Err(e),
        (r, Ok(())) => r,
    }
}

/// `execHookWithDelayedShutdown`: runs the hooks of `event`; the deletions their policies
/// call for are returned for later (`helm test` reads the pods' logs first).
pub fn exec_hook_delayed(
    cfg: &mut Configuration,
    rel: &mut Release,
    event: HookEvent,
    wait: WaitStrategy,
    server_side_apply: bool,
) -> (Result<(), String>, Shutdown) {
    let mut executing: Vec<usize> = (0..rel.hooks.len())
        .filter(|&i| rel.hooks[i].has_event(event))
        .collect();
    by_weight(rel, &mut executing);
    let none = Shutdown::default();
    for (n, &i) in executing.iter().enumerate() {
        if rel.hooks[i].delete_policies.is_empty() {
            rel.hooks[i].delete_policies = vec![BEFORE_HOOK_CREATION.to_string()];
        }
        if let Err(e) = delete_by_policy(cfg, rel, i, BEFORE_HOOK_CREATION, wait) {
            return (Err(e), none);
        }
        let h = &rel.hooks[i];
        let rs = match cfg.build(&h.manifest, true) {
            Ok(rs) => rs,
            Err(e) => {
                return (
                    Err(format!(
                        "unable to build kubernetes object for {event} hook {}: {e}",
                        h.path
                    )),
                    none,
                )
            }
        };
        rel.hooks[i].last_run = HookExecution {
            started_at: cfg.now(),
            completed_at: super::gotime::zero(),
            phase: HookPhase::new(HookPhase::RUNNING),
        };
        cfg.record_release(rel);
        rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::UNKNOWN);
        let fm = cfg.field_manager.clone();
        let created = cfg.kube(|c| {
            if rs.is_empty() {
                // pkg/kube perform() on an empty list
                return Err("no objects visited".to_string());
            }
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
            return (
                Err(format!(
                    "warning: Hook {event} {} failed: {e}",
                    rel.hooks[i].path
                )),
                none,
            );
        }
        let timeout = cfg.wait_timeout_ms;
        let waited = cfg.kube(|c| kubeclient::wait(c, &rs, WaitKind::UntilReady, timeout));
        rel.hooks[i].last_run.completed_at = cfg.now();
        if let Err(e) = waited {
            rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::FAILED);
            output_logs(cfg, rel, i, super::model::HOOK_FAILED);
            return (
                Err(e),
                Shutdown {
                    wait,
                    succeeded: Vec::new(),
                    failed: Some((i, executing[..n].to_vec())),
                },
            );
        }
        rel.hooks[i].last_run.phase = HookPhase::new(HookPhase::SUCCEEDED);
    }
    (
        Ok(()),
        Shutdown {
            wait,
            succeeded: executing,
            failed: None,
        },
    )
}
