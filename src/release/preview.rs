//! What an install or upgrade would change on a live cluster, asked of the API server without
//! changing anything — the preview ChartLab shows before it applies a release (the approach of
//! `kubectl diff`: Helm's own `--dry-run=server` renders and validates but does not say what
//! would change).
//!
//! The release is rendered as `helm upgrade --install --dry-run=server` would (lookups answered
//! by the cluster, nothing stored); each object is then applied with `dryRun=All` under the
//! configuration's field manager and compared with the live object; objects of the current
//! release that the new manifest drops are listed as deletions (unless kept by
//! `helm.sh/resource-policy: keep`). Conflicts with other field managers and validation errors
//! come back in the API server's words, per object. Hooks are listed, not run.

use serde_json::Value as J;

use super::action::{ActionError, Configuration, DryRun};
use super::diff::unified;
use super::install::Install;
use super::kubeclient::{self, Resource};
use super::lookup::from_unstructured;
use super::model::{Release, Status};
use super::query;
use super::upgrade::Upgrade;
use crate::chart::Chart;
use crate::engine::Map;
use crate::kube::cluster::ApplyOptions;

/// What would happen to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanAction {
    Create,
    Update,
    Unchanged,
    Delete,
    /// The API server refused the dry run (see [`PlannedObject::error`]).
    Refused,
}

impl PlanAction {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::Create => "create",
            PlanAction::Update => "update",
            PlanAction::Unchanged => "unchanged",
            PlanAction::Delete => "delete",
            PlanAction::Refused => "refused",
        }
    }
}

/// One object of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedObject {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub action: PlanAction,
    /// Unified diff of the live object and the object after the apply (YAML, without the
    /// server's bookkeeping: managed fields, resource version, uid, timestamps, status).
    pub diff: String,
    /// The API server's error for a refused object.
    pub error: Option<String>,
}

/// What an install or upgrade would do.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub release: String,
    pub namespace: String,
    /// An upgrade of an existing release (otherwise an install).
    pub upgrade: bool,
    /// The revision the release would get.
    pub revision: i64,
    pub objects: Vec<PlannedObject>,
    /// Hooks that would run: `pre-upgrade Job demo-db-migrate`.
    pub hooks: Vec<String>,
    pub manifest: String,
    pub notes: String,
}

impl Plan {
    /// Whether anything would change.
    pub fn changes_anything(&self) -> bool {
        self.objects
            .iter()
            .any(|o| o.action != PlanAction::Unchanged)
            || !self.hooks.is_empty()
    }

    /// The plan in plain words, one line per object, diffs below.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} {} (revision {}) in namespace {}:\n",
            if self.upgrade { "upgrade" } else { "install" },
            self.release,
            self.revision,
            self.namespace
        );
        for o in &self.objects {
            s.push_str(&format!("  {:<9} {}/{}", o.action.as_str(), o.kind, o.name));
            if let Some(e) = &o.error {
                s.push_str(&format!(": {e}"));
            }
            s.push('\n');
        }
        for h in &self.hooks {
            s.push_str(&format!("  hook      {h}\n"));
        }
        for o in &self.objects {
            if !o.diff.is_empty() {
                s.push('\n');
                s.push_str(&o.diff);
            }
        }
        s
    }
}

/// The object without what the server maintains, as YAML.
fn comparable_yaml(obj: &J) -> String {
    let mut v = obj.clone();
    if let J::Object(m) = &mut v {
        m.shift_remove("status");
        if let Some(J::Object(md)) = m.get_mut("metadata") {
            for k in [
                "managedFields",
                "resourceVersion",
                "uid",
                "creationTimestamp",
                "generation",
                "selfLink",
            ] {
                md.shift_remove(k);
            }
        }
    }
    crate::yaml::to_yaml(&from_unstructured(&v)).unwrap_or_default()
}

fn planned(r: &Resource, action: PlanAction) -> PlannedObject {
    PlannedObject {
        api_version: r.gvk.group_version().api_version(),
        kind: r.gvk.kind.clone(),
        namespace: r.namespace.clone(),
        name: r.name.clone(),
        action,
        diff: String::new(),
        error: None,
    }
}

/// The plan for installing (or upgrading, when a deployed or failed release `name` exists)
/// `chart` with `vals` in the configuration's namespace. `force_conflicts` previews
/// `--force-conflicts`.
pub fn plan(
    cfg: &mut Configuration,
    name: &str,
    chart: &Chart,
    vals: &Map,
    force_conflicts: bool,
) -> Result<Plan, ActionError> {
    let history = match query::history(cfg, name) {
        Ok(h) => h,
        Err(e) if e.not_found => Vec::new(),
        Err(e) => return Err(e),
    };
    let current: Option<Release> = history
        .iter()
        .filter(|r| r.status() != Status::Uninstalled)
        .max_by_key(|r| r.version)
        .cloned();
    let last_version = history.iter().map(|r| r.version).max().unwrap_or(0);
    let rel = match &current {
        Some(_) => Upgrade {
            dry_run: DryRun::Server,
            ..Default::default()
        }
        .run(cfg, name, chart, vals)?,
        None => Install {
            release_name: name.to_string(),
            dry_run: DryRun::Server,
            replace: last_version > 0,
            ..Default::default()
        }
        .run(cfg, chart, vals)?,
    };
    let mut targets = cfg
        .build(&rel.manifest, false)
        .map_err(|e| format!("unable to build kubernetes objects from release manifest: {e}"))?;
    super::install::set_metadata(&mut targets, &rel.name, &rel.namespace);
    let fm = cfg.field_manager.clone();
    let mut objects = Vec::new();
    for t in &targets {
        let obj = kubeclient::sorted(&t.object);
        let outcome = cfg.kube(|c| {
            let live = match kubeclient::get(c, t) {
                Ok(l) => Some(l),
                Err(e) if e.code == 404 => None,
                Err(e) => return Ok(Err(e.to_string())),
            };
            let dry = c.apply(
                &t.info.gvr(),
                &t.namespace,
                obj.clone(),
                &ApplyOptions {
                    field_manager: fm.clone(),
                    force: force_conflicts,
                    dry_run: true,
                    field_validation: "Strict".into(),
                },
            );
            Ok(match dry {
                Ok(after) => Ok((live, after)),
                Err(e) => Err(e.to_string()),
            })
        })?;
        let mut p = planned(t, PlanAction::Create);
        match outcome {
            Err(e) => {
                p.action = PlanAction::Refused;
                p.error = Some(e);
            }
            Ok((None, after)) => {
                p.diff = unified(
                    "",
                    &comparable_yaml(&after),
                    "/dev/null",
                    &format!("{}/{} (new)", t.gvk.kind, t.name),
                );
            }
            Ok((Some(live), after)) => {
                let (a, b) = (comparable_yaml(&live), comparable_yaml(&after));
                if a == b {
                    p.action = PlanAction::Unchanged;
                } else {
                    p.action = PlanAction::Update;
                    p.diff = unified(
                        &a,
                        &b,
                        &format!("{}/{} (live)", t.gvk.kind, t.name),
                        &format!("{}/{} (after apply)", t.gvk.kind, t.name),
                    );
                }
            }
        }
        objects.push(p);
    }
    if let Some(cur) = &current {
        let originals = cfg.build(&cur.manifest, false).unwrap_or_default();
        for o in originals {
            if targets.iter().any(|t| t.same(&o)) {
                continue;
            }
            let live = cfg.kube(|c| Ok(kubeclient::get(c, &o).ok()))?;
            let Some(live) = live else {
                continue;
            };
            if kubeclient::string_map(&live, "annotations")
                .get("helm.sh/resource-policy")
                .map(String::as_str)
                == Some("keep")
            {
                continue;
            }
            let mut p = planned(&o, PlanAction::Delete);
            p.diff = unified(
                &comparable_yaml(&live),
                "",
                &format!("{}/{} (live)", o.gvk.kind, o.name),
                "/dev/null",
            );
            objects.push(p);
        }
    }
    let event = if current.is_some() {
        "upgrade"
    } else {
        "install"
    };
    let hooks = rel
        .hooks
        .iter()
        .filter(|h| h.events.iter().any(|e| e.as_str().ends_with(event)))
        .map(|h| {
            let evs: Vec<&str> = h
                .events
                .iter()
                .map(|e| e.as_str())
                .filter(|e| e.ends_with(event))
                .collect();
            format!("{} {} {}", evs.join(","), h.kind, h.name)
        })
        .collect();
    Ok(Plan {
        release: rel.name.clone(),
        namespace: rel.namespace.clone(),
        upgrade: current.is_some(),
        revision: if current.is_some() {
            last_version + 1
        } else {
            last_version.max(0) + 1
        },
        objects,
        hooks,
        notes: rel
            .info
            .as_ref()
            .map(|i| i.notes.clone())
            .unwrap_or_default(),
        manifest: rel.manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::cluster::Cluster;
    use crate::kube::sim::{SimCluster, SplitMix64};
    use crate::kube::time::{ManualClock, Time};
    use crate::release::storage::DriverKind;
    use std::cell::RefCell;
    use std::rc::Rc;

    fn chart(greeting: &str, extra: bool) -> Chart {
        let mut files = crate::chart::load::FileMap::new();
        files.insert(
            "Chart.yaml".into(),
            b"apiVersion: v2\nname: demo\nversion: 0.1.0\n".to_vec(),
        );
        files.insert(
            "templates/cm.yaml".into(),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}-config\ndata:\n  greeting: {greeting}\n").into_bytes(),
        );
        if extra {
            files.insert(
                "templates/extra.yaml".into(),
                b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata: {}\n".to_vec(),
            );
        }
        files.insert(
            "templates/hook.yaml".into(),
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hooked\n  annotations:\n    helm.sh/hook: pre-upgrade\ndata: {}\n".to_vec(),
        );
        crate::chart::load::load_files(&files).unwrap()
    }

    #[test]
    fn plans_create_update_delete_without_changing_anything() {
        let sim = SimCluster::new(
            Box::new(ManualClock::new(Time(1_795_505_000))),
            Box::new(SplitMix64(5)),
        );
        let cluster: Rc<RefCell<dyn Cluster>> = Rc::new(RefCell::new(sim));
        let cfg = || {
            Configuration::new(
                cluster.clone(),
                "default",
                DriverKind::Secret,
                Default::default(),
            )
        };
        let p = plan(&mut cfg(), "demo", &chart("hi", true), &Map::new(), false).unwrap();
        assert!(!p.upgrade);
        assert_eq!(p.revision, 1);
        let acts: Vec<(&str, PlanAction)> = p
            .objects
            .iter()
            .map(|o| (o.name.as_str(), o.action))
            .collect();
        assert_eq!(
            acts,
            [
                ("demo-config", PlanAction::Create),
                ("extra", PlanAction::Create)
            ]
        );
        assert!(p.hooks.is_empty());
        assert!(
            p.objects[0].diff.contains("+  greeting: hi"),
            "{}",
            p.objects[0].diff
        );
        // nothing was written: no release, no objects
        assert!(query::history(&mut cfg(), "demo").is_err());
        Install {
            release_name: "demo".into(),
            ..Default::default()
        }
        .run(&mut cfg(), &chart("hi", true), &Map::new())
        .unwrap();
        let p = plan(
            &mut cfg(),
            "demo",
            &chart("hello", false),
            &Map::new(),
            false,
        )
        .unwrap();
        assert!(p.upgrade);
        assert_eq!(p.revision, 2);
        let acts: Vec<(&str, PlanAction)> = p
            .objects
            .iter()
            .map(|o| (o.name.as_str(), o.action))
            .collect();
        assert_eq!(
            acts,
            [
                ("demo-config", PlanAction::Update),
                ("extra", PlanAction::Delete)
            ]
        );
        assert!(
            p.objects[0]
                .diff
                .contains("-  greeting: hi\n+  greeting: hello"),
            "{}",
            p.objects[0].diff
        );
        assert_eq!(p.hooks, ["pre-upgrade ConfigMap hooked"]);
        let unchanged = plan(&mut cfg(), "demo", &chart("hi", true), &Map::new(), false).unwrap();
        assert!(unchanged
            .objects
            .iter()
            .all(|o| o.action == PlanAction::Unchanged));
        assert!(p.describe().starts_with("upgrade demo (revision 2) in namespace default:\n  update    ConfigMap/demo-config\n"), "{}", p.describe());
        let h = query::history(&mut cfg(), "demo").unwrap();
        assert_eq!(h.len(), 1);
    }
}
