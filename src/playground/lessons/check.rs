//! Evaluating a step's checks against the session ([`LabWorld`]): each check passes or not,
//! with a reason in plain words ("charts/myapi/values.yaml does not contain `…` yet", "pods
//! roll: no (the pod template did not change)").

use super::format::{yaml_to_json, Check, Lesson, ObjectExpect, Step};
use super::world::{read_file, release_history, ActionRecord, LabWorld};
use crate::kube::cluster::Action as ObjAction;

/// One check's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    pub reason: String,
}

/// A step's verdict: done when every check passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub done: bool,
    pub checks: Vec<Outcome>,
}

impl StepReport {
    /// The first reason the step is not done yet.
    pub fn first_failure(&self) -> Option<&str> {
        self.checks
            .iter()
            .find(|c| !c.ok)
            .map(|c| c.reason.as_str())
    }
}

/// Where a lesson's paths are: `$HOME/PROJECT`.
pub fn project_dir(world: &dyn LabWorld, lesson: &Lesson) -> String {
    format!(
        "{}/{}",
        world.shell().fs.home().trim_end_matches('/'),
        lesson.project
    )
}

/// Runs `line` in the project folder without recording it and without changing the session's
/// working directory or `$?`: (stdout, stderr, status). `None` if the folder does not exist.
pub fn probe(
    world: &mut dyn LabWorld,
    lesson: &Lesson,
    line: &str,
) -> Option<(String, String, i32)> {
    let dir = project_dir(world, lesson);
    let sh = world.shell_mut();
    let cwd = sh.fs.cwd();
    let status = sh.last_status();
    sh.fs.set_cwd(&dir).ok()?;
    let r = sh.run(line);
    let _ = sh.fs.set_cwd(&cwd);
    sh.set_last_status(status);
    Some((r.output.stdout_text(), r.output.stderr_text(), r.status))
}

fn ok(reason: String) -> Outcome {
    Outcome { ok: true, reason }
}

fn fail(reason: String) -> Outcome {
    Outcome { ok: false, reason }
}

/// Spaces collapsed, ends trimmed.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn regex_match(re: &str, text: &str) -> Result<bool, String> {
    crate::sprig::regex::compile(re).map(|r| r.is_match(text))
}

fn action_kind(a: &ActionRecord) -> &'static str {
    let d = a.description.as_str();
    if d.starts_with("Install complete") {
        "install"
    } else if d.starts_with("Upgrade complete") {
        "upgrade"
    } else if d.starts_with("Rollback to") {
        "rollback"
    } else {
        "failed action"
    }
}

fn object_action(a: ObjAction) -> &'static str {
    match a {
        ObjAction::Created => "created",
        ObjAction::Configured => "configured",
        ObjAction::Unchanged => "unchanged",
        ObjAction::Deleted => "deleted",
    }
}

/// One line about a rollout for reasons: each Deployment the action wrote and its summary. A
/// Deployment Helm left unchanged (nothing to patch) has no rollout of its own: its pods did not
/// roll, for the same reason.
fn rollout_words(a: &ActionRecord) -> String {
    let mut lines: Vec<String> = a
        .report
        .rollouts
        .iter()
        .map(|r| format!("Deployment {}: {}", r.deployment, r.summary()))
        .collect();
    for (kind, name, _) in &a.report.objects {
        if kind == "Deployment" && !a.report.rollouts.iter().any(|r| r.deployment == *name) {
            lines.push(format!(
                "Deployment {name}: pods roll: no (the pod template did not change)"
            ));
        }
    }
    if lines.is_empty() {
        "the release has no Deployment: no pods to roll".into()
    } else {
        lines.join("; ")
    }
}

fn short(s: &str) -> String {
    let one = s.trim().lines().next().unwrap_or("").to_string();
    if one.chars().count() > 160 {
        let mut t: String = one.chars().take(157).collect();
        t.push('…');
        t
    } else {
        one
    }
}

/// Evaluates one check. `since`: the sequence number the step began at.
pub fn evaluate_check(
    check: &Check,
    lesson: &Lesson,
    world: &mut dyn LabWorld,
    since: u64,
) -> Outcome {
    let project = project_dir(world, lesson);
    match check {
        Check::File {
            path,
            contains,
            lacks,
            missing,
        } => {
            let data = read_file(world, &format!("{project}/{path}"));
            match (data, *missing) {
                (None, true) => ok(format!("{path} does not exist")),
                (Some(_), true) => fail(format!("{path} still exists")),
                (None, false) => fail(format!("{path} does not exist yet")),
                (Some(d), false) => {
                    let text = String::from_utf8_lossy(&d);
                    if let Some(c) = contains.iter().find(|c| !text.contains(c)) {
                        return fail(format!("{path} does not contain `{}` yet", short(c)));
                    }
                    if let Some(c) = lacks.iter().find(|c| text.contains(c)) {
                        return fail(format!("{path} still contains `{}`", short(c)));
                    }
                    if contains.is_empty() {
                        ok(format!("{path} exists"))
                    } else {
                        ok(format!("{path} has it"))
                    }
                }
            }
        }
        Check::Entry { dir, name } => {
            let abs = format!("{project}/{dir}");
            let entries = world.shell().fs.list(&abs).unwrap_or_default();
            for e in entries {
                if let Ok(true) = regex_match(name, &e.name) {
                    return ok(format!("{dir}/{} is there", e.name));
                }
            }
            fail(format!("no file in {dir}/ is named like `{name}` yet"))
        }
        Check::Value { file, key, equals } => {
            let Some(d) = read_file(world, &format!("{project}/{file}")) else {
                return fail(format!("{file} does not exist yet"));
            };
            let doc = match yaml_to_json(&String::from_utf8_lossy(&d)) {
                Ok(v) => v,
                Err(e) => return fail(format!("{file} is not valid YAML: {}", short(&e))),
            };
            let mut cur = Some(&doc);
            for part in key.split('.') {
                cur = cur.and_then(|v| match v {
                    serde_json::Value::Array(a) => {
                        part.parse::<usize>().ok().and_then(|i| a.get(i))
                    }
                    other => other.get(part),
                });
            }
            let want = serde_json::to_string(equals).unwrap_or_default();
            match cur {
                Some(v) if v == equals => ok(format!("{key} is {want} in {file}")),
                Some(v) => fail(format!(
                    "{key} is {} in {file}, not {want} yet",
                    serde_json::to_string(v).unwrap_or_default()
                )),
                None => fail(format!("{file} has no {key} yet")),
            }
        }
        Check::Render { contains, lacks } => {
            let line = format!("helm template {} ./{}", lesson.release, lesson.chart);
            let Some((out, err, status)) = probe(world, lesson, &line) else {
                return fail(format!(
                    "the folder ~/{} does not exist yet",
                    lesson.project
                ));
            };
            if status != 0 {
                return fail(format!("`{line}` fails: {}", short(&err)));
            }
            if let Some(c) = contains.iter().find(|c| !out.contains(c)) {
                return fail(format!("what the chart renders has no `{}` yet", short(c)));
            }
            if let Some(c) = lacks.iter().find(|c| out.contains(c)) {
                return fail(format!("what the chart renders still has `{}`", short(c)));
            }
            ok("the chart renders it".into())
        }
        Check::Release {
            revision,
            status,
            description,
        } => {
            let name = &lesson.release;
            let revs = release_history(world.shell(), &lesson.namespace, name);
            let Some(latest) = revs.last() else {
                return fail(format!("release {name} is not installed yet"));
            };
            let rev = match revision {
                Some(n) => match revs.iter().find(|r| r.revision == *n) {
                    Some(r) => r,
                    None => {
                        return fail(format!(
                            "{name} has no revision {n} yet (its latest is {}, {})",
                            latest.revision, latest.status
                        ))
                    }
                },
                None => latest,
            };
            let said = format!(
                "{name} revision {} is {} ({})",
                rev.revision, rev.status, rev.description
            );
            if status.as_ref().is_some_and(|s| *s != rev.status)
                || description
                    .as_ref()
                    .is_some_and(|d| !rev.description.starts_with(d.as_str()))
            {
                let want = [status.as_deref(), description.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                return fail(format!("{said}; this step wants {want}"));
            }
            ok(said)
        }
        Check::Action {
            did,
            rolled,
            because,
            object,
        } => {
            let name = &lesson.release;
            let last =
                world.actions().iter().rev().find(|a| {
                    a.seq >= since && a.release == *name && a.namespace == lesson.namespace
                });
            let Some(a) = last else {
                return fail(format!(
                    "no install, upgrade or rollback of {name} since this step began"
                ));
            };
            let kind = action_kind(a);
            let head = format!("revision {} ({})", a.revision, a.description);
            if let Some(d) = did {
                if kind != d {
                    return fail(format!("the last action made {head}, not an {d} yet"));
                }
            }
            if let Some(want) = rolled {
                let any = a
                    .report
                    .rollouts
                    .iter()
                    .any(|r| r.pods_rolled && !r.initial);
                if any != *want {
                    return fail(format!("{head}: {}", rollout_words(a)));
                }
            }
            if let Some(b) = because {
                let found = a
                    .report
                    .rollouts
                    .iter()
                    .any(|r| r.reasons.iter().any(|c| c.describe().contains(b.as_str())));
                if !found {
                    return fail(format!("{head}: {}", rollout_words(a)));
                }
            }
            if let Some(ObjectExpect { kind, name, action }) = object {
                let hit = a.report.objects.iter().any(|(k, n, act)| {
                    k == kind
                        && name.as_ref().is_none_or(|want| want == n)
                        && object_action(*act) == action
                });
                if !hit {
                    let seen: Vec<String> = a
                        .report
                        .objects
                        .iter()
                        .filter(|(k, _, _)| k == kind)
                        .map(|(k, n, act)| format!("{k} {n} {}", object_action(*act)))
                        .collect();
                    return fail(format!(
                        "{head}: {}",
                        if seen.is_empty() {
                            format!("no {kind} was written")
                        } else {
                            seen.join(", ")
                        }
                    ));
                }
            }
            if rolled.is_some() || because.is_some() {
                ok(format!("{head}: {}", rollout_words(a)))
            } else {
                ok(format!("{head}: {}", a.status))
            }
        }
        Check::Command {
            run,
            printed,
            printed_regex,
            status,
        } => {
            let want_status = status.unwrap_or(0);
            let mut last_reason = None;
            for c in world.commands().iter().rev().filter(|c| c.seq >= since) {
                let line = squeeze(&c.line);
                let Some(pattern) = run.iter().find(|p| line.contains(&squeeze(p))) else {
                    continue;
                };
                let out = format!("{}{}", c.stdout, c.stderr);
                let reason = if c.status != want_status {
                    Some(format!(
                        "`{}` ended with status {}{}",
                        short(&c.line),
                        c.status,
                        if c.stderr.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", short(&c.stderr))
                        }
                    ))
                } else if let Some(p) = printed.iter().find(|p| !out.contains(p)) {
                    Some(format!("`{}` did not print `{}`", short(&c.line), short(p)))
                } else if let Some(re) = printed_regex {
                    match regex_match(re, &out) {
                        Ok(true) => None,
                        _ => Some(format!(
                            "what `{}` printed does not look right",
                            short(&c.line)
                        )),
                    }
                } else {
                    None
                };
                match reason {
                    None => return ok(format!("ran `{}`", short(pattern))),
                    Some(r) => {
                        last_reason.get_or_insert(r);
                    }
                }
            }
            fail(last_reason.unwrap_or_else(|| {
                format!(
                    "`{}` has not been run since this step began",
                    run.iter().next().unwrap_or("")
                )
            }))
        }
        Check::Variable { name, regex } => match world.shell().var(name) {
            None => fail(format!("${name} is not set yet")),
            Some(v) => match regex_match(regex, v) {
                Ok(true) => ok(format!("${name} is {}", short(v))),
                _ => fail(format!(
                    "${name} is `{}`, which does not look right",
                    short(v)
                )),
            },
        },
        Check::Any(list) => {
            let mut reasons = Vec::new();
            for c in list {
                let o = evaluate_check(c, lesson, world, since);
                if o.ok {
                    return o;
                }
                reasons.push(o.reason);
            }
            fail(reasons.join("; or else: "))
        }
        Check::All(list) => {
            let mut last = ok(String::new());
            for c in list {
                last = evaluate_check(c, lesson, world, since);
                if !last.ok {
                    return last;
                }
            }
            last
        }
        Check::Dependency { name, status } => {
            let line = format!("helm dependency list {}", lesson.chart);
            let Some((out, err, code)) = probe(world, lesson, &line) else {
                return fail(format!(
                    "the folder ~/{} does not exist yet",
                    lesson.project
                ));
            };
            if code != 0 {
                return fail(format!("`{line}` fails: {}", short(&err)));
            }
            let row = out.lines().skip(1).find_map(|l| {
                let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
                (cells.first() == Some(&name.as_str()))
                    .then(|| cells.last().copied().unwrap_or("").to_string())
            });
            match row {
                None => fail(format!(
                    "{} declares no dependency {name} yet",
                    lesson.chart
                )),
                Some(s) if s == *status => ok(format!("dependency {name}: {s}")),
                Some(s) => fail(format!("`{line}` says {name} is {s}, not {status} yet")),
            }
        }
    }
}

/// Evaluates a step: every check, in order.
pub fn evaluate(lesson: &Lesson, step: &Step, world: &mut dyn LabWorld, since: u64) -> StepReport {
    let checks: Vec<Outcome> = step
        .checks
        .iter()
        .map(|c| evaluate_check(c, lesson, world, since))
        .collect();
    StepReport {
        done: checks.iter().all(|c| c.ok),
        checks,
    }
}
