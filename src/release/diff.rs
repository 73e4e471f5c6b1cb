//! What changed between two revisions of a release, and what the cluster did about it — the
//! playground's explanations (not a Helm command; `helm diff` is a plugin). Unified diffs of
//! the manifests and of the values (user-supplied and computed), the objects added, removed
//! and changed, and for every Deployment whether its pod template changed — which is what
//! makes Kubernetes replace the pods — with the fields that did (image, env, checksum
//! annotations, …). [`explain_changes`] words the simulated cluster's own record of an
//! action (objects created/configured/unchanged/deleted, Deployment rollouts).

use std::collections::BTreeMap;

use serde_json::Value as J;
use similar::TextDiff;

use super::kubeclient::{to_unstructured, yaml_documents};
use super::manifest::split_manifests;
use super::model::{Release, ReleaseChart};
use super::upgrade::coalesce_values;
use crate::engine::{Map, Value};
use crate::kube::cluster::{pod_template_diff, Action, Change, TemplateChange};

/// How an object differs between two revisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delta {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Delta {
    pub fn as_str(self) -> &'static str {
        match self {
            Delta::Added => "added",
            Delta::Removed => "removed",
            Delta::Changed => "changed",
            Delta::Unchanged => "unchanged",
        }
    }
}

/// One object of either manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectDelta {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub delta: Delta,
}

/// A Deployment (or other pod-template workload) present in both revisions.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutDelta {
    pub kind: String,
    pub name: String,
    /// The pod template differs: Kubernetes starts new pods and removes the old ones.
    pub pods_roll: bool,
    pub changes: Vec<TemplateChange>,
    /// `spec.replicas` before and after, when it changed.
    pub replicas: Option<(Option<i64>, Option<i64>)>,
}

/// The difference between two revisions.
#[derive(Clone, Debug)]
pub struct RevisionDiff {
    pub from: i64,
    pub to: i64,
    /// Unified diff of the manifests (`--- revision N` / `+++ revision M`); empty if equal.
    pub manifest: String,
    /// Unified diff of the user-supplied values as YAML.
    pub values: String,
    /// Unified diff of the computed values (chart defaults coalesced with the user's).
    pub computed_values: String,
    pub objects: Vec<ObjectDelta>,
    pub rollouts: Vec<RolloutDelta>,
}

/// A unified diff with three lines of context; empty when the texts are equal.
pub fn unified(old: &str, new: &str, from: &str, to: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(from, to)
        .to_string()
}

fn values_yaml(m: &Map) -> String {
    if m.is_empty() {
        return String::new();
    }
    crate::yaml::to_yaml(&Value::Map(m.clone())).unwrap_or_default()
}

fn computed(r: &Release) -> String {
    let chart = r
        .chart
        .as_ref()
        .map(ReleaseChart::to_chart)
        .unwrap_or_default();
    coalesce_values(&chart, &r.config)
        .map(|m| values_yaml(&m))
        .unwrap_or_default()
}

/// The objects of a manifest by `apiVersion/kind/namespace/name`, in manifest order.
fn objects(manifest: &str) -> Vec<(String, J)> {
    let mut out = Vec::new();
    for doc in split_manifests(manifest) {
        for part in yaml_documents(&doc) {
            let Ok(v) = crate::yaml::parse(&part) else {
                continue;
            };
            let obj = to_unstructured(&v);
            if !obj.is_object() {
                continue;
            }
            let s = |path: &[&str]| -> String {
                let mut cur = &obj;
                for p in path {
                    match cur.get(*p) {
                        Some(x) => cur = x,
                        None => return String::new(),
                    }
                }
                cur.as_str().unwrap_or("").to_string()
            };
            let key = format!(
                "{}\u{0}{}\u{0}{}\u{0}{}",
                s(&["apiVersion"]),
                s(&["kind"]),
                s(&["metadata", "namespace"]),
                s(&["metadata", "name"])
            );
            out.push((key, obj));
        }
    }
    out
}

fn split_key(k: &str) -> (String, String, String, String) {
    let mut p = k.split('\u{0}').map(str::to_string);
    (
        p.next().unwrap_or_default(),
        p.next().unwrap_or_default(),
        p.next().unwrap_or_default(),
        p.next().unwrap_or_default(),
    )
}

fn replicas(obj: &J) -> Option<i64> {
    obj.get("spec")?.get("replicas")?.as_i64()
}

const POD_TEMPLATE_KINDS: [&str; 5] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
];

/// Compares two revisions of a release.
pub fn diff_revisions(old: &Release, new: &Release) -> RevisionDiff {
    let from = format!("revision {}", old.version);
    let to = format!("revision {}", new.version);
    let a = objects(&old.manifest);
    let b = objects(&new.manifest);
    let bmap: BTreeMap<&str, &J> = b.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let amap: BTreeMap<&str, &J> = a.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut objs = Vec::new();
    let mut rollouts = Vec::new();
    for (k, ov) in &a {
        let (api_version, kind, namespace, name) = split_key(k);
        let delta = match bmap.get(k.as_str()) {
            None => Delta::Removed,
            Some(nv) if *nv == ov => Delta::Unchanged,
            Some(_) => Delta::Changed,
        };
        if let Some(nv) = bmap.get(k.as_str()) {
            if POD_TEMPLATE_KINDS.contains(&kind.as_str()) {
                let ot = ov
                    .get("spec")
                    .and_then(|s| s.get("template"))
                    .cloned()
                    .unwrap_or(J::Null);
                let nt = nv
                    .get("spec")
                    .and_then(|s| s.get("template"))
                    .cloned()
                    .unwrap_or(J::Null);
                let changes = pod_template_diff(&ot, &nt);
                let (ro, rn) = (replicas(ov), replicas(nv));
                rollouts.push(RolloutDelta {
                    kind: kind.clone(),
                    name: name.clone(),
                    pods_roll: !changes.is_empty(),
                    changes,
                    replicas: (ro != rn).then_some((ro, rn)),
                });
            }
        }
        objs.push(ObjectDelta {
            api_version,
            kind,
            namespace,
            name,
            delta,
        });
    }
    for (k, _) in &b {
        if !amap.contains_key(k.as_str()) {
            let (api_version, kind, namespace, name) = split_key(k);
            objs.push(ObjectDelta {
                api_version,
                kind,
                namespace,
                name,
                delta: Delta::Added,
            });
        }
    }
    RevisionDiff {
        from: old.version,
        to: new.version,
        manifest: unified(&old.manifest, &new.manifest, &from, &to),
        values: unified(
            &values_yaml(&old.config),
            &values_yaml(&new.config),
            &from,
            &to,
        ),
        computed_values: unified(&computed(old), &computed(new), &from, &to),
        objects: objs,
        rollouts,
    }
}

fn replicas_text(r: Option<i64>) -> String {
    r.map(|x| x.to_string())
        .unwrap_or_else(|| "default (1)".into())
}

/// The diff in plain words, one line per fact.
pub fn explain_diff(d: &RevisionDiff) -> String {
    let mut out = format!("From revision {} to revision {}:\n", d.from, d.to);
    if d.values.is_empty() {
        out.push_str("- user-supplied values: unchanged\n");
    } else {
        out.push_str("- user-supplied values changed\n");
    }
    for o in &d.objects {
        if o.delta == Delta::Unchanged {
            continue;
        }
        out.push_str(&format!("- {} {}: {}\n", o.kind, o.name, o.delta.as_str()));
    }
    if d.objects.iter().all(|o| o.delta == Delta::Unchanged) {
        out.push_str("- no object of the manifest changed\n");
    }
    for r in &d.rollouts {
        if r.pods_roll {
            let why: Vec<String> = r.changes.iter().map(TemplateChange::describe).collect();
            out.push_str(&format!(
                "- {} {}: pods roll, because {}\n",
                r.kind,
                r.name,
                why.join("; ")
            ));
        } else {
            out.push_str(&format!(
                "- {} {}: pods do not roll (the pod template did not change)\n",
                r.kind, r.name
            ));
        }
        if let Some((a, b)) = r.replicas {
            out.push_str(&format!(
                "  replicas: {} → {}\n",
                replicas_text(a),
                replicas_text(b)
            ));
        }
    }
    out
}

fn action_word(a: Action) -> &'static str {
    match a {
        Action::Created => "created",
        Action::Configured => "configured",
        Action::Unchanged => "unchanged",
        Action::Deleted => "deleted",
    }
}

/// A change of the release's own objects (not Helm's records, not events).
fn is_release_object(c: &Change) -> bool {
    let o = &c.object;
    !(matches!(o.kind.as_str(), "Secret" | "ConfigMap")
        && o.name.starts_with("sh.helm.release.v1.")
        || o.kind == "Event")
}

/// What one action did to the cluster, for one revision: the objects it wrote or removed and
/// what the Deployment controller did about them.
#[derive(Clone, Debug, Default)]
pub struct RolloutReport {
    pub revision: i64,
    /// (kind, name, what happened), in the order the cluster reported them.
    pub objects: Vec<(String, String, Action)>,
    /// Deployments whose write the controller acted on.
    pub rollouts: Vec<crate::kube::cluster::Rollout>,
}

impl RolloutReport {
    /// The report of the changes an action collected ([`super::action::Configuration::changes`]).
    pub fn from_changes(revision: i64, changes: &[Change]) -> RolloutReport {
        let mut r = RolloutReport {
            revision,
            ..Default::default()
        };
        for c in changes.iter().filter(|c| is_release_object(c)) {
            r.objects
                .push((c.object.kind.clone(), c.object.name.clone(), c.action));
            if let Some(ro) = &c.rollout {
                r.rollouts.push(ro.clone());
            }
        }
        r
    }

    /// The report in plain words.
    pub fn explain(&self, changes: &[Change]) -> String {
        format!("Revision {}:\n{}", self.revision, explain_changes(changes))
    }
}

/// What the cluster did during an action, in plain words: each object (release records
/// left out), the rollouts of Deployments, the objects removed with them.
pub fn explain_changes(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let o = &c.object;
        if !is_release_object(c) {
            continue;
        }
        out.push_str(&format!(
            "{} {}: {}\n",
            o.kind,
            o.name,
            action_word(c.action)
        ));
        if let Some(r) = &c.rollout {
            out.push_str(&format!("  {}\n", r.summary()));
        }
        for d in &c.cascade {
            out.push_str(&format!("  also removed: {} {}\n", d.kind, d.name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(version: i64, manifest: &str, config: &str) -> Release {
        let m = match crate::json::parse(config).unwrap() {
            Value::Map(m) => m,
            _ => Map::new(),
        };
        Release {
            version,
            manifest: manifest.to_string(),
            config: m,
            ..Release::default()
        }
    }

    const DEP: &str = "---\n# Source: d/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    metadata:\n      annotations:\n        checksum/config: aaa\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n";

    #[test]
    fn image_and_checksum_changes_roll_pods() {
        let b = DEP
            .replace("nginx:1.25", "nginx:1.26")
            .replace("checksum/config: aaa", "checksum/config: bbb");
        let cm = "---\n# Source: d/templates/c.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
        let d = diff_revisions(
            &rel(1, DEP, r#"{"a":1}"#),
            &rel(2, &format!("{b}{cm}"), r#"{"a":2}"#),
        );
        assert!(d.manifest.starts_with("--- revision 1\n+++ revision 2\n"));
        assert!(d
            .manifest
            .contains("-          image: nginx:1.25\n+          image: nginx:1.26\n"));
        assert_eq!(
            d.values,
            "--- revision 1\n+++ revision 2\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"
        );
        assert_eq!(
            explain_diff(&d),
            "From revision 1 to revision 2:\n- user-supplied values changed\n- Deployment web: changed\n- ConfigMap c: added\n- Deployment web: pods roll, because pod annotation checksum/config changed; container web: image nginx:1.25 → nginx:1.26\n"
        );
    }

    #[test]
    fn replica_changes_do_not_roll_pods() {
        let d = diff_revisions(
            &rel(3, DEP, "{}"),
            &rel(4, &DEP.replace("replicas: 1", "replicas: 3"), "{}"),
        );
        assert_eq!(d.rollouts.len(), 1);
        assert!(!d.rollouts[0].pods_roll);
        assert!(explain_diff(&d).contains(
            "- Deployment web: pods do not roll (the pod template did not change)\n  replicas: 1 → 3\n"
        ));
        let same = diff_revisions(&rel(1, DEP, "{}"), &rel(2, DEP, "{}"));
        assert!(same.manifest.is_empty());
        assert!(explain_diff(&same).contains("no object of the manifest changed"));
    }
}
