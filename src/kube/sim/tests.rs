//! Scenario tests of the simulated cluster: Helm-shaped writes (the request bodies Helm
//! v4.2.3 sent in the release fixtures), controllers, garbage collection, errors, state.

use super::*;
use crate::kube::cluster::{
    ApplyOptions, Cluster, DeleteOptions, ListOptions, Propagation, WriteOptions,
};
use crate::kube::object::{GroupVersionKind, GroupVersionResource};
use crate::kube::time::ManualClock;
use std::rc::Rc;

const T0: i64 = 1_795_505_000;

fn cluster() -> (SimCluster, Rc<ManualClock>) {
    let clock = Rc::new(ManualClock::new(Time(T0)));
    let sim = SimCluster::new(Box::new(clock.clone()), Box::new(SplitMix64(7)));
    (sim, clock)
}

fn gvr_of(sim: &SimCluster, body: &Value) -> GroupVersionResource {
    let gvk = GroupVersionKind::of(body).unwrap();
    sim.resource_registry().for_gvk(&gvk).unwrap().gvr()
}

fn helm_apply(sim: &mut SimCluster, body: &Value) -> Result<Value, ApiError> {
    let gvr = gvr_of(sim, body);
    let ns = object::namespace(body).to_string();
    sim.apply(
        &gvr,
        &ns,
        body.clone(),
        &ApplyOptions {
            field_manager: "helm".into(),
            force: false,
            dry_run: false,
            ..Default::default()
        },
    )
}

/// The Deployment body Helm v4.2.3 applied in the release fixtures (install of chart-demo).
fn fixture_deployment() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/release-fixtures/v4.2.3-secret-driver/upgrade-02-resource-requests.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let reqs: Vec<Value> = serde_json::from_str(&text).unwrap();
    let body = reqs
        .iter()
        .find(|r| r["method"] == "PATCH" && r["path"].as_str().unwrap().contains("/deployments/"))
        .and_then(|r| r["body"].as_str())
        .unwrap();
    serde_json::from_str(body).unwrap()
}

fn deploy_with(checksum: &str, image: &str) -> Value {
    let mut d = fixture_deployment();
    d["spec"]["template"]["metadata"]["annotations"]["checksum/config"] = json!(checksum);
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
    d
}

fn list(sim: &mut SimCluster, resource: &str, group: &str, ns: &str, selector: &str) -> Vec<Value> {
    let gvr = GroupVersionResource::new(group, "v1", resource);
    let l = sim
        .list(
            &gvr,
            Some(ns),
            &ListOptions {
                label_selector: selector.into(),
                field_selector: String::new(),
            },
        )
        .unwrap();
    l["items"].as_array().unwrap().clone()
}

fn names(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| object::name(i).to_string()).collect()
}

#[test]
fn fresh_cluster_has_the_system_objects() {
    let (mut sim, _) = cluster();
    let ns = list(&mut sim, "namespaces", "", "", "");
    assert_eq!(
        names(&ns),
        ["default", "kube-node-lease", "kube-public", "kube-system"]
    );
    let sa = sim
        .get(
            &GroupVersionResource::new("", "v1", "serviceaccounts"),
            "default",
            "default",
        )
        .unwrap();
    assert_eq!(sa["kind"], "ServiceAccount");
    let k = sim
        .get(
            &GroupVersionResource::new("", "v1", "services"),
            "default",
            "kubernetes",
        )
        .unwrap();
    assert_eq!(k["spec"]["clusterIP"], "10.96.0.1");
    assert_eq!(k["spec"]["clusterIPs"], json!(["10.96.0.1"]));
    let cm = list(&mut sim, "configmaps", "", "kube-public", "");
    assert_eq!(names(&cm), ["kube-root-ca.crt"]);
    let pods = list(&mut sim, "pods", "", "kube-system", "k8s-app=kube-dns");
    assert_eq!(pods.len(), 2);
    assert!(pods.iter().all(|p| p["status"]["phase"] == "Running"));
    // uid shape and resourceVersion
    let uid = object::uid(&k);
    assert_eq!(uid.len(), 36);
    assert_eq!(&uid[14..15], "4");
    assert!(object::resource_version(&k).parse::<u64>().unwrap() > 0);
    assert!(sim.take_changes().is_empty());
}

#[test]
fn deployment_rollout_only_when_the_template_changes() {
    let (mut sim, clock) = cluster();
    let d1 = fixture_deployment();
    let applied = helm_apply(&mut sim, &d1).unwrap();
    assert_eq!(
        applied["status"],
        json!({}),
        "the API returns the object as written"
    );
    let changes = sim.take_changes();
    let r = changes.iter().find_map(|c| c.rollout.clone()).unwrap();
    assert!(r.initial);
    assert_eq!(r.revision, 1);
    assert_eq!(r.pods_created.len(), 1);

    let deploys = GroupVersionResource::new("apps", "v1", "deployments");
    let d = sim.get(&deploys, "default", "demo-web").unwrap();
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    assert_eq!(d["status"]["readyReplicas"], 1);
    assert_eq!(d["status"]["availableReplicas"], 1);
    assert_eq!(d["status"]["updatedReplicas"], 1);
    assert_eq!(d["status"]["conditions"][0]["type"], "Available");
    assert_eq!(
        d["status"]["conditions"][1]["reason"],
        "NewReplicaSetAvailable"
    );
    assert_eq!(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
    let managers: Vec<&str> = d["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["manager"].as_str().unwrap())
        .collect();
    assert_eq!(
        managers,
        ["helm", "kube-controller-manager", "kube-controller-manager"]
    );

    let rs = list(&mut sim, "replicasets", "apps", "default", "app=demo-web");
    assert_eq!(rs.len(), 1);
    let rs1 = object::name(&rs[0]).to_string();
    let hash = rs1.strip_prefix("demo-web-").unwrap();
    assert!(hash.chars().all(|c| "456789bcdf".contains(c)) && hash.len() <= 10);
    assert_eq!(
        rs[0]["metadata"]["annotations"]["meta.helm.sh/release-name"], "demo",
        "deployment annotations are copied"
    );
    let pods = list(&mut sim, "pods", "", "default", "app=demo-web");
    assert_eq!(pods.len(), 1);
    let p = &pods[0];
    assert!(object::name(p).starts_with(&format!("{rs1}-")));
    assert_eq!(object::name(p).len(), rs1.len() + 6);
    assert_eq!(p["status"]["phase"], "Running");
    assert_eq!(p["spec"]["nodeName"], NODE_NAME);
    assert!(p["status"]["podIP"]
        .as_str()
        .unwrap()
        .starts_with("10.244.0."));
    assert_eq!(
        p["status"]["containerStatuses"][0]["image"],
        "docker.io/library/nginx:1.26"
    );
    assert_eq!(p["metadata"]["labels"]["pod-template-hash"], hash);

    // Same deployment again (a ConfigMap changed, the template did not): nothing rolls.
    clock.advance(60);
    helm_apply(&mut sim, &d1).unwrap();
    let changes = sim.take_changes();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].action, Action::Unchanged);
    assert!(changes[0].rollout.is_none());
    assert_eq!(
        names(&list(&mut sim, "pods", "", "default", "app=demo-web")),
        names(&pods)
    );

    // checksum/config changed: new ReplicaSet, pods replaced, the reason is named.
    clock.advance(60);
    let d2 = deploy_with(
        "cab51895dd6c7015d945c683f61b78d7b5acdacc39f7c607ca555ba1e5b73468",
        "nginx:1.26",
    );
    helm_apply(&mut sim, &d2).unwrap();
    let changes = sim.take_changes();
    let r = changes.iter().find_map(|c| c.rollout.clone()).unwrap();
    assert!(r.pods_rolled && !r.initial);
    assert_eq!(r.revision, 2);
    assert_eq!(r.old_replicasets, std::slice::from_ref(&rs1));
    assert_eq!(r.pods_deleted, names(&pods));
    assert_eq!(r.pods_created.len(), 1);
    assert_eq!(
        r.summary(),
        "pods roll: yes, because pod annotation checksum/config changed"
    );
    let rs_now = list(&mut sim, "replicasets", "apps", "default", "app=demo-web");
    assert_eq!(rs_now.len(), 2);
    let old = rs_now.iter().find(|r| object::name(r) == rs1).unwrap();
    assert_eq!(old["spec"]["replicas"], 0);
    assert_eq!(
        old["status"],
        json!({"replicas": 0, "observedGeneration": 2})
    );

    // Scaling alone is not a rollout.
    clock.advance(60);
    let mut d3 = d2.clone();
    d3["spec"]["replicas"] = json!(3);
    helm_apply(&mut sim, &d3).unwrap();
    let r = sim
        .take_changes()
        .iter()
        .find_map(|c| c.rollout.clone())
        .unwrap();
    assert!(!r.pods_rolled);
    assert_eq!(
        r.summary(),
        "pods roll: no (the pod template did not change; replicas scaled from 1 to 3)"
    );
    assert_eq!(
        list(&mut sim, "pods", "", "default", "app=demo-web").len(),
        3
    );

    // Back to the first template: the first ReplicaSet comes back as revision 3.
    clock.advance(60);
    let mut d4 = d1.clone();
    d4["spec"]["replicas"] = json!(3);
    helm_apply(&mut sim, &d4).unwrap();
    let r = sim
        .take_changes()
        .iter()
        .find_map(|c| c.rollout.clone())
        .unwrap();
    assert!(r.pods_rolled && r.reused_replicaset);
    assert_eq!(r.new_replicaset, rs1);
    assert_eq!(r.revision, 3);
    let back = sim
        .get(
            &GroupVersionResource::new("apps", "v1", "replicasets"),
            "default",
            &rs1,
        )
        .unwrap();
    assert_eq!(
        back["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "3"
    );
    assert_eq!(
        back["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"],
        "1"
    );
    let d = sim.get(&deploys, "default", "demo-web").unwrap();
    assert_eq!(
        d["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "3"
    );
    assert_eq!(d["status"]["replicas"], 3);
}

#[test]
fn image_change_and_history_limit() {
    let (mut sim, clock) = cluster();
    let mut d = deploy_with("a", "nginx:1.25");
    d["spec"]["revisionHistoryLimit"] = json!(1);
    helm_apply(&mut sim, &d).unwrap();
    sim.take_changes();
    for (i, img) in ["nginx:1.26", "nginx:1.27", "nginx:1.28"]
        .iter()
        .enumerate()
    {
        clock.advance(30);
        let mut n = deploy_with("a", img);
        n["spec"]["revisionHistoryLimit"] = json!(1);
        helm_apply(&mut sim, &n).unwrap();
        let r = sim
            .take_changes()
            .into_iter()
            .find_map(|c| c.rollout)
            .unwrap();
        assert_eq!(r.revision, i as i64 + 2);
        let prev = if i == 0 {
            "nginx:1.25".to_string()
        } else {
            ["nginx:1.26", "nginx:1.27"][i - 1].to_string()
        };
        assert_eq!(
            r.reasons[0].describe(),
            format!("container web: image {prev} → {img}")
        );
    }
    // the active ReplicaSet plus one old one
    assert_eq!(
        list(&mut sim, "replicasets", "apps", "default", "app=demo-web").len(),
        2
    );
}

#[test]
fn delete_propagation_and_garbage_collection() {
    let (mut sim, _) = cluster();
    helm_apply(&mut sim, &fixture_deployment()).unwrap();
    sim.take_changes();
    let deploys = GroupVersionResource::new("apps", "v1", "deployments");
    let st = sim
        .delete(
            &deploys,
            "default",
            "demo-web",
            &DeleteOptions {
                propagation: Some(Propagation::Background),
                dry_run: false,
            },
        )
        .unwrap();
    assert_eq!(st["status"], "Success");
    assert_eq!(
        st["details"],
        json!({"name": "demo-web", "group": "apps", "kind": "deployments", "uid": st["details"]["uid"]})
    );
    assert!(list(&mut sim, "replicasets", "apps", "default", "").is_empty());
    assert!(list(&mut sim, "pods", "", "default", "").is_empty());
    let changes = sim.take_changes();
    let del = changes
        .iter()
        .find(|c| c.object.kind == "Deployment")
        .unwrap();
    assert_eq!(del.action, Action::Deleted);
    let kinds: Vec<&str> = del.cascade.iter().map(|o| o.kind.as_str()).collect();
    assert!(
        kinds.contains(&"ReplicaSet") && kinds.contains(&"Pod"),
        "{kinds:?}"
    );

    // Orphan keeps the ReplicaSet and its pods, without the owner reference.
    helm_apply(&mut sim, &fixture_deployment()).unwrap();
    sim.delete(
        &deploys,
        "default",
        "demo-web",
        &DeleteOptions {
            propagation: Some(Propagation::Orphan),
            dry_run: false,
        },
    )
    .unwrap();
    let rs = list(&mut sim, "replicasets", "apps", "default", "");
    assert_eq!(rs.len(), 1);
    assert!(rs[0]["metadata"].get("ownerReferences").is_none());
    assert_eq!(list(&mut sim, "pods", "", "default", "").len(), 1);

    // Not found, in the API's words.
    let e = sim
        .delete(&deploys, "default", "demo-web", &DeleteOptions::default())
        .unwrap_err();
    assert_eq!(e.to_string(), "deployments.apps \"demo-web\" not found");
}

#[test]
fn release_secrets_create_update_conflict_and_list() {
    let (mut sim, clock) = cluster();
    let secrets = GroupVersionResource::new("", "v1", "secrets");
    let mk = |v: u32, status: &str| {
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": format!("sh.helm.release.v1.demo.v{v}"), "namespace": "default",
            "labels": {"name": "demo", "owner": "helm", "status": status, "version": v.to_string()}},
            "data": {"release": "SDRzSUFBQUFBQUFDLzA="}, "type": "helm.sh/release.v1"})
    };
    let opts = WriteOptions {
        field_manager: "helm".into(),
        dry_run: false,
    };
    let created = sim
        .create(&secrets, "default", mk(1, "pending-install"), &opts)
        .unwrap();
    assert_eq!(created["metadata"]["creationTimestamp"], Time(T0).rfc3339());
    let e = sim
        .create(&secrets, "default", mk(1, "pending-install"), &opts)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "secrets \"sh.helm.release.v1.demo.v1\" already exists"
    );
    assert_eq!(e.code, 409);
    assert_eq!(e.reason, "AlreadyExists");

    clock.advance(5);
    let mut upd = created.clone();
    upd["metadata"]["labels"]["status"] = json!("deployed");
    let updated = sim.update(&secrets, "default", upd.clone(), &opts).unwrap();
    assert_ne!(
        object::resource_version(&updated),
        object::resource_version(&created)
    );
    assert_eq!(
        updated["metadata"]["creationTimestamp"],
        created["metadata"]["creationTimestamp"]
    );
    // The same (now stale) body again: optimistic-lock conflict.
    let e = sim.update(&secrets, "default", upd, &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Operation cannot be fulfilled on secrets \"sh.helm.release.v1.demo.v1\": the object has been modified; please apply your changes to the latest version and try again"
    );

    sim.create(&secrets, "default", mk(2, "pending-upgrade"), &opts)
        .unwrap();
    let all = list(&mut sim, "secrets", "", "default", "name=demo,owner=helm");
    assert_eq!(
        names(&all),
        ["sh.helm.release.v1.demo.v1", "sh.helm.release.v1.demo.v2"]
    );
    assert!(
        all[0].get("kind").is_none(),
        "list items carry no kind, as from a real API server"
    );
    let deployed = list(
        &mut sim,
        "secrets",
        "",
        "default",
        "name=demo,owner=helm,status=deployed",
    );
    assert_eq!(names(&deployed), ["sh.helm.release.v1.demo.v1"]);
    let not_deployed = list(
        &mut sim,
        "secrets",
        "",
        "default",
        "owner=helm,status notin (deployed)",
    );
    assert_eq!(names(&not_deployed), ["sh.helm.release.v1.demo.v2"]);
    let bad = sim.list(
        &secrets,
        Some("default"),
        &ListOptions {
            label_selector: "a b".into(),
            field_selector: String::new(),
        },
    );
    assert_eq!(
        bad.unwrap_err().to_string(),
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
    );

    let e = sim.get(&secrets, "default", "x").unwrap_err();
    assert_eq!(
        e.kubectl_text(),
        "Error from server (NotFound): secrets \"x\" not found\n"
    );
}

#[test]
fn hooks_jobs_complete_or_fail() {
    let (mut sim, _) = cluster();
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "demo-db-migrate", "namespace": "default",
        "annotations": {"helm.sh/hook": "pre-install"}},
        "spec": {"template": {"spec": {"containers": [{"command": ["sh", "-c", "echo migrating"], "image": "busybox", "name": "migrate"}], "restartPolicy": "Never"}}}});
    helm_apply(&mut sim, &job).unwrap();
    let jobs = GroupVersionResource::new("batch", "v1", "jobs");
    let j = sim.get(&jobs, "default", "demo-db-migrate").unwrap();
    assert_eq!(j["status"]["succeeded"], 1);
    assert_eq!(j["status"]["conditions"][1]["type"], "Complete");
    assert_eq!(j["spec"]["backoffLimit"], 6);
    assert_eq!(
        j["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
        j["metadata"]["uid"]
    );
    let pods = list(&mut sim, "pods", "", "default", "job-name=demo-db-migrate");
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0]["status"]["phase"], "Succeeded");
    assert_eq!(
        pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]["reason"],
        "Completed"
    );

    // Re-applying a changed Job template is refused (the template is immutable).
    let mut changed = job.clone();
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = json!("busybox:1.36");
    let e = helm_apply(&mut sim, &changed).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "Job.batch \"demo-db-migrate\" is invalid: spec.template: Invalid value: "
        ),
        "{e}"
    );
    assert!(e.to_string().ends_with(": field is immutable"));

    // A job made to fail.
    sim.set_failing("default", "demo-fail-check", true);
    let mut f = job.clone();
    f["metadata"]["name"] = json!("demo-fail-check");
    f["spec"]["backoffLimit"] = json!(1);
    helm_apply(&mut sim, &f).unwrap();
    let j = sim.get(&jobs, "default", "demo-fail-check").unwrap();
    assert_eq!(j["status"]["failed"], 2);
    assert_eq!(j["status"]["conditions"][1]["type"], "Failed");
    assert_eq!(
        j["status"]["conditions"][1]["reason"],
        "BackoffLimitExceeded"
    );
    let events = sim.events_for("default", "Job", "demo-fail-check").unwrap();
    let reasons: Vec<&str> = events
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "SuccessfulCreate",
            "SuccessfulCreate",
            "BackoffLimitExceeded"
        ]
    );

    // Without propagation a Job delete orphans its pods (batch/v1's default).
    sim.delete(
        &jobs,
        "default",
        "demo-db-migrate",
        &DeleteOptions::default(),
    )
    .unwrap();
    assert_eq!(
        list(&mut sim, "pods", "", "default", "job-name=demo-db-migrate").len(),
        1
    );
}

#[test]
fn services_get_cluster_ips_and_endpoints() {
    let (mut sim, _) = cluster();
    helm_apply(&mut sim, &fixture_deployment()).unwrap();
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "demo-web", "namespace": "default"},
        "spec": {"selector": {"app": "demo-web"}, "ports": [{"port": 80}]}});
    let s = helm_apply(&mut sim, &svc).unwrap();
    let ip = s["spec"]["clusterIP"].as_str().unwrap().to_string();
    let octets: Vec<u32> = ip.split('.').map(|o| o.parse().unwrap()).collect();
    assert_eq!(octets[0], 10);
    assert!((96..112).contains(&octets[1]), "{ip} is in 10.96.0.0/12");
    assert_eq!(
        s["spec"]["ports"][0],
        json!({"port": 80, "protocol": "TCP", "targetPort": 80})
    );
    assert_eq!(s["spec"]["type"], "ClusterIP");
    // Re-apply keeps the IP.
    let again = helm_apply(&mut sim, &svc).unwrap();
    assert_eq!(again["spec"]["clusterIP"], ip.as_str());
    let ep = sim
        .get(
            &GroupVersionResource::new("", "v1", "endpoints"),
            "default",
            "demo-web",
        )
        .unwrap();
    assert_eq!(ep["subsets"][0]["ports"][0]["port"], 80);
    assert_eq!(ep["subsets"][0]["addresses"].as_array().unwrap().len(), 1);
    let headless = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}});
    let h = helm_apply(&mut sim, &headless).unwrap();
    assert_eq!(h["spec"]["clusterIPs"], json!(["None"]));
    let np = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np", "namespace": "default"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
    let n = helm_apply(&mut sim, &np).unwrap();
    let port = n["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&port));
}

#[test]
fn statefulsets_and_daemonsets() {
    let (mut sim, _) = cluster();
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 2, "serviceName": "web", "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}});
    helm_apply(&mut sim, &sts).unwrap();
    let pods = list(&mut sim, "pods", "", "default", "app=web");
    assert_eq!(names(&pods), ["web-0", "web-1"]);
    assert_eq!(pods[0]["spec"]["hostname"], "web-0");
    let pvcs = list(&mut sim, "persistentvolumeclaims", "", "default", "");
    assert_eq!(names(&pvcs), ["www-web-0", "www-web-1"]);
    let s = sim
        .get(
            &GroupVersionResource::new("apps", "v1", "statefulsets"),
            "default",
            "web",
        )
        .unwrap();
    assert_eq!(s["status"]["readyReplicas"], 2);
    let ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "busybox"}]}}}});
    helm_apply(&mut sim, &ds).unwrap();
    let pods = list(&mut sim, "pods", "", "default", "app=agent");
    assert_eq!(pods.len(), 1);
    assert!(object::name(&pods[0]).starts_with("agent-"));
    let d = sim
        .get(
            &GroupVersionResource::new("apps", "v1", "daemonsets"),
            "default",
            "agent",
        )
        .unwrap();
    assert_eq!(d["status"]["numberReady"], 1);
}

#[test]
fn server_side_apply_ownership() {
    let (mut sim, _) = cluster();
    let cm = |data: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "demo-config", "namespace": "default", "labels": {"a": "1"}}, "data": data});
    helm_apply(&mut sim, &cm(json!({"x": "1", "y": "2"}))).unwrap();
    // Another manager adds a key; helm then drops `y` from its config.
    let cms = GroupVersionResource::new("", "v1", "configmaps");
    let mut edited = sim.get(&cms, "default", "demo-config").unwrap();
    edited["data"]["z"] = json!("3");
    sim.update(
        &cms,
        "default",
        edited,
        &WriteOptions {
            field_manager: "kubectl-edit".into(),
            dry_run: false,
        },
    )
    .unwrap();
    let after = helm_apply(&mut sim, &cm(json!({"x": "1"}))).unwrap();
    assert_eq!(after["data"], json!({"x": "1", "z": "3"}));
    let mf = after["metadata"]["managedFields"].as_array().unwrap();
    assert_eq!(mf[0]["manager"], "helm");
    assert_eq!(mf[0]["operation"], "Apply");
    assert_eq!(
        mf[0]["fieldsV1"],
        json!({"f:data": {"f:x": {}}, "f:metadata": {"f:labels": {"f:a": {}}}})
    );
    assert_eq!(mf[1]["manager"], "kubectl-edit");
    // Helm now tries to set z: conflict, in the API's words.
    let e = helm_apply(&mut sim, &cm(json!({"x": "1", "z": "4"}))).unwrap_err();
    assert_eq!(e.code, 409);
    assert_eq!(
        e.to_string(),
        "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .data.z"
    );
    let forced = sim
        .apply(
            &cms,
            "default",
            cm(json!({"x": "1", "z": "4"})),
            &ApplyOptions {
                field_manager: "helm".into(),
                force: true,
                dry_run: false,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(forced["data"]["z"], "4");
    // Dry run changes nothing.
    let dry = sim
        .apply(
            &cms,
            "default",
            cm(json!({"x": "9"})),
            &ApplyOptions {
                field_manager: "helm".into(),
                force: true,
                dry_run: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(dry["data"]["x"], "9");
    assert_eq!(
        sim.get(&cms, "default", "demo-config").unwrap()["data"]["x"],
        "1"
    );
}

#[test]
fn validation_errors_in_the_apis_words() {
    let (mut sim, _) = cluster();
    let mut d = fixture_deployment();
    d["spec"]["template"]["metadata"]["labels"]["app"] = json!("other");
    let e = helm_apply(&mut sim, &d).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Deployment.apps \"demo-web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"
    );
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name", "namespace": "default"}});
    let e = helm_apply(&mut sim, &cm).unwrap_err();
    assert!(e.to_string().starts_with("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"), "{e}");
    let cm2 = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "nope"}});
    assert_eq!(
        helm_apply(&mut sim, &cm2).unwrap_err().to_string(),
        "namespaces \"nope\" not found"
    );
}

#[test]
fn namespaces_crds_and_discovery() {
    let (mut sim, _) = cluster();
    let nsr = GroupVersionResource::new("", "v1", "namespaces");
    sim.create(
        &nsr,
        "",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}),
        &WriteOptions::default(),
    )
    .unwrap();
    let ns = sim.get(&nsr, "", "team").unwrap();
    assert_eq!(ns["status"]["phase"], "Active");
    assert_eq!(
        ns["metadata"]["labels"]["kubernetes.io/metadata.name"],
        "team"
    );
    assert_eq!(
        names(&list(&mut sim, "serviceaccounts", "", "team", "")),
        ["default"]
    );
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "team"}});
    helm_apply(&mut sim, &cm).unwrap();
    sim.delete(&nsr, "", "team", &DeleteOptions::default())
        .unwrap();
    assert!(sim
        .get(
            &GroupVersionResource::new("", "v1", "configmaps"),
            "team",
            "c"
        )
        .is_err());

    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced", "names": {"kind": "Widget", "plural": "widgets", "singular": "widget"},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object"}}}]}});
    helm_apply(&mut sim, &crd).unwrap();
    let w = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1", "namespace": "default"}, "spec": {"size": 3}});
    let got = helm_apply(&mut sim, &w).unwrap();
    assert_eq!(got["metadata"]["generation"], 1);
    let reg = sim.registry().unwrap();
    assert!(reg.resolve("widgets").is_some());
    let apis = sim.call(Request::Discovery(DiscoveryPath::Apis)).unwrap();
    assert!(apis["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["name"] == "example.com"));
    let unknown = sim
        .get(
            &GroupVersionResource::new("example.com", "v1", "gadgets"),
            "default",
            "x",
        )
        .unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "the server could not find the requested resource"
    );
    // Deleting the CRD deletes its objects.
    sim.delete(
        &GroupVersionResource::new("apiextensions.k8s.io", "v1", "customresourcedefinitions"),
        "",
        "widgets.example.com",
        &DeleteOptions::default(),
    )
    .unwrap();
    assert!(sim.resource_registry().resolve("widgets").is_none());
}

#[test]
fn state_round_trips_through_json() {
    let (mut sim, clock) = cluster();
    helm_apply(&mut sim, &fixture_deployment()).unwrap();
    let text = sim.state().to_json();
    let state = ClusterState::from_json(&text).unwrap();
    assert_eq!(&state, sim.state());
    let mut again =
        SimCluster::from_state(state, Box::new(clock.clone()), Box::new(SplitMix64(99)));
    let d = again
        .get(
            &GroupVersionResource::new("apps", "v1", "deployments"),
            "default",
            "demo-web",
        )
        .unwrap();
    assert_eq!(d["status"]["readyReplicas"], 1);
    clock.advance(10);
    helm_apply(&mut again, &deploy_with("b", "nginx:1.26")).unwrap();
    assert_eq!(
        list(&mut again, "replicasets", "apps", "default", "app=demo-web").len(),
        2
    );
    assert!(ClusterState::from_json("{")
        .unwrap_err()
        .starts_with("invalid cluster state: "));
}

#[test]
fn events_are_recorded_with_the_components_messages() {
    let (mut sim, _) = cluster();
    helm_apply(&mut sim, &fixture_deployment()).unwrap();
    let ev = sim.events_for("default", "Deployment", "demo-web").unwrap();
    assert_eq!(ev.len(), 1);
    let rs = list(&mut sim, "replicasets", "apps", "default", "app=demo-web");
    let rs_name = object::name(&rs[0]);
    assert_eq!(
        ev[0]["message"],
        format!("Scaled up replica set {rs_name} from 0 to 1")
    );
    assert_eq!(ev[0]["source"]["component"], "deployment-controller");
    let pod = &list(&mut sim, "pods", "", "default", "app=demo-web")[0];
    let pev = sim.events_for("default", "Pod", object::name(pod)).unwrap();
    let reasons: Vec<&str> = pev.iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["Scheduled", "Pulled", "Created", "Started"]);
    assert_eq!(
        pev[1]["message"],
        "Container image \"nginx:1.26\" already present on machine and can be accessed by the pod"
    );
    assert_eq!(pev[2]["message"], "Container created");
    assert_eq!(
        pev[2]["involvedObject"]["fieldPath"],
        "spec.containers{web}"
    );
    assert_eq!(
        pev[1]["source"],
        json!({"component": "kubelet", "host": NODE_NAME})
    );
    assert_eq!(
        pev[0]["message"],
        format!(
            "Successfully assigned default/{} to {NODE_NAME}",
            object::name(pod)
        )
    );
}

/// Workshop lab 3: a Secret whose value changes on every upgrade does not roll the pods
/// that read it through `secretKeyRef`; a `checksum/secret` pod-template annotation does.
#[test]
fn lab3_secret_changes_roll_pods_only_with_a_checksum() {
    let (mut sim, clock) = cluster();
    let secret = |pass: &str| {
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "myapi-release", "namespace": "default"},
            "type": "Opaque", "data": {"passcode": pass}})
    };
    let deploy = |checksum: Option<&str>| {
        let mut d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "myapi-release", "namespace": "default"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "myapi"}}, "template": {"metadata": {"labels": {"app": "myapi"}},
                "spec": {"containers": [{"name": "myapi", "image": "tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim",
                    "env": [{"name": "PASSCODE", "valueFrom": {"secretKeyRef": {"name": "myapi-release", "key": "passcode"}}}]}]}}}});
        if let Some(c) = checksum {
            d["spec"]["template"]["metadata"]["annotations"] = json!({"checksum/secret": c});
        }
        d
    };
    helm_apply(&mut sim, &secret("YWFhYWFhYWFhYQ==")).unwrap();
    helm_apply(&mut sim, &deploy(None)).unwrap();
    sim.take_changes();
    let pods_before = names(&list(&mut sim, "pods", "", "default", "app=myapi"));

    clock.advance(30);
    helm_apply(&mut sim, &secret("YmJiYmJiYmJiYg==")).unwrap();
    helm_apply(&mut sim, &deploy(None)).unwrap();
    let changes = sim.take_changes();
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.object.kind.as_str(), c.action))
            .collect::<Vec<_>>(),
        [
            ("Secret", Action::Configured),
            ("Deployment", Action::Unchanged)
        ]
    );
    assert!(changes.iter().all(|c| c.rollout.is_none()));
    assert_eq!(
        names(&list(&mut sim, "pods", "", "default", "app=myapi")),
        pods_before,
        "the pods keep the old passcode"
    );

    clock.advance(30);
    helm_apply(&mut sim, &secret("Y2NjY2NjY2NjYw==")).unwrap();
    helm_apply(
        &mut sim,
        &deploy(Some(
            "6b3a55e0261b0304143f805a24924d0c1c44524821305f31d9277843b8a10f4e",
        )),
    )
    .unwrap();
    let r = sim
        .take_changes()
        .into_iter()
        .find_map(|c| c.rollout)
        .unwrap();
    assert!(r.pods_rolled);
    assert_eq!(
        r.summary(),
        "pods roll: yes, because pod annotation checksum/secret added"
    );
    assert_eq!(r.pods_deleted, pods_before);
    assert_ne!(
        names(&list(&mut sim, "pods", "", "default", "app=myapi")),
        pods_before
    );
}
