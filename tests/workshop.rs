//! The whole workshop (../shared/workshop-labs.md, labs 1–4) through the native CLI,
//! `chartlab sh`, in a temporary directory: every command a learner types, in order, and what
//! it prints, checked against the texts of real Helm v4.2.3 (its format strings, its CLI golden
//! files, the NOTES real Helm renders for the scaffold) and kubectl v1.36. Times, pod-template
//! hashes, pod suffixes and cluster IPs vary between runs; they are replaced by placeholders.
//!
//! Lab 2's storage Secret is also decoded by this machine's real `base64 -d | base64 -d |
//! gunzip | jq`, which must agree with ChartLab's own pipeline and with `helm get manifest`.
//! Lab 3's story is asserted through kubectl: a new passcode changes the Secret but no pod
//! rolls; with checksum annotations every upgrade makes a new ReplicaSet.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_chartlab");

struct Session {
    dir: PathBuf,
    state: PathBuf,
}

impl Session {
    fn new(name: &str) -> Session {
        let dir =
            std::env::temp_dir().join(format!("chartlab-workshop-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let state = dir.join(".cluster.json");
        Session { dir, state }
    }

    /// Runs `script` with `chartlab sh -c` in `cwd` (relative to the session directory);
    /// returns (stdout, stderr, status).
    fn sh_in(&self, cwd: &str, script: &str) -> (String, String, i32) {
        let out = Command::new(BIN)
            .args(["sh", "--state"])
            .arg(&self.state)
            .arg("-c")
            .arg(script)
            .current_dir(self.dir.join(cwd))
            .env("HOME", &self.dir)
            .env_remove("HELM_NAMESPACE")
            .env_remove("HELM_DRIVER")
            .output()
            .expect("run chartlab sh");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    /// Runs in the repository directory and expects success and an empty stderr.
    fn ok(&self, script: &str) -> String {
        let (o, e, c) = self.sh_in("k8s-summit-2024", script);
        assert_eq!(c, 0, "{script}\nstdout:\n{o}\nstderr:\n{e}");
        assert_eq!(e, "", "stderr of {script}");
        o
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join("k8s-summit-2024").join(rel)
    }
}

/// Replaces what varies between runs: `LAST DEPLOYED` times, helm list/history times,
/// pod-template hashes and pod suffixes, cluster IPs, AGE cells.
fn normalize(s: &str) -> String {
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        let mut l = line.to_string();
        if let Some(rest) = l.strip_prefix("LAST DEPLOYED: ") {
            l = format!(
                "LAST DEPLOYED: <TIME>{}",
                if rest.ends_with('\n') { "\n" } else { "" }
            );
        }
        out.push_str(&l);
    }
    // myapi-release-<hash>-<suffix> and myapi-release-<hash>
    let mut res = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("myapi-release-") {
        res.push_str(&rest[..i + "myapi-release-".len()]);
        rest = &rest[i + "myapi-release-".len()..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if word.len() >= 8 && word.chars().any(|c| c.is_ascii_digit()) && !word.starts_with("code")
        {
            res.push_str("<HASH>");
            rest = &rest[word.len()..];
            if let Some(r2) = rest.strip_prefix('-') {
                let sfx: String = r2
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if sfx.len() == 5 {
                    res.push_str("-<POD>");
                    rest = &r2[5..];
                }
            }
        }
    }
    res.push_str(rest);
    // 10.x.y.z addresses
    let mut final_s = String::new();
    for line in res.split_inclusive('\n') {
        let mut words: Vec<String> = Vec::new();
        for w in line.split(' ') {
            let core = w.trim_end_matches('\n');
            let is_ip = core.starts_with("10.")
                && core.split('.').count() == 4
                && core
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if is_ip {
                words.push(w.replacen(core, "<IP>", 1));
            } else {
                words.push(w.to_string());
            }
        }
        final_s.push_str(&words.join(" "));
    }
    final_s
}

/// Real Helm's NOTES for the scaffold installed as `myapi-release` in `default` (rendered by
/// Helm v4.2.3 through the conformance oracle).
const NOTES: &str = "NOTES:
1. Get the application URL by running these commands:
  export POD_NAME=$(kubectl get pods --namespace default -l \"app.kubernetes.io/name=myapi,app.kubernetes.io/instance=myapi-release\" -o jsonpath=\"{.items[0].metadata.name}\")
  export CONTAINER_PORT=$(kubectl get pod --namespace default $POD_NAME -o jsonpath=\"{.spec.containers[0].ports[0].containerPort}\")
  echo \"Visit http://127.0.0.1:8080 to use your application\"
  kubectl --namespace default port-forward $POD_NAME 8080:$CONTAINER_PORT
";

/// `statusPrinter.WriteTable` for a release (no RESOURCES, no test runs).
fn status_text(revision: u32, description: &str) -> String {
    format!(
        "NAME: myapi-release\nLAST DEPLOYED: <TIME>\nNAMESPACE: default\nSTATUS: deployed\nREVISION: {revision}\nDESCRIPTION: {description}\n{NOTES}"
    )
}

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

fn has_tool(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn workshop_labs_1_to_4() {
    let s = Session::new("labs");

    // ---------------------------------------------------------------- Lab 1
    let (o, e, c) = s.sh_in(
        ".",
        "REPO_NAME=k8s-summit-2024\nmkdir $REPO_NAME\ncd $REPO_NAME\ngit init",
    );
    assert_eq!((e.as_str(), c), ("", 0));
    assert_eq!(
        o,
        format!(
            "Initialized empty Git repository in {}/k8s-summit-2024/.git/\n",
            s.dir.display()
        )
    );
    assert!(s.path(".git/HEAD").exists());
    assert_eq!(s.ok("mkdir charts"), "");
    assert_eq!(s.ok("helm create charts/myapi"), "Creating charts/myapi\n");
    for f in [
        "Chart.yaml",
        "values.yaml",
        ".helmignore",
        "templates/deployment.yaml",
        "templates/NOTES.txt",
        "templates/tests/test-connection.yaml",
    ] {
        assert!(s.path(&format!("charts/myapi/{f}")).is_file(), "{f}");
    }
    assert!(s.path("charts/myapi/charts").is_dir());

    let install = s.ok("helm install myapi-release ./charts/myapi");
    assert_eq!(normalize(&install), status_text(1, "Install complete"));

    let list = s.ok("helm list");
    let lines: Vec<&str> = list.lines().collect();
    // UPDATED is Go's time.String: its width follows the nanoseconds (trailing zeros dropped)
    let updated_width = lines[1].split('\t').nth(3).map_or(0, str::len);
    assert_eq!(
        lines[0],
        format!(
            "NAME         \tNAMESPACE\tREVISION\t{:<updated_width$}\tSTATUS  \tCHART      \tAPP VERSION",
            "UPDATED"
        )
    );
    assert!(
        lines[1].starts_with("myapi-release\tdefault  \t1       \t"),
        "{list}"
    );
    assert!(
        lines[1].ends_with("\tdeployed\tmyapi-0.1.0\t1.16.0     "),
        "{list}"
    );
    assert_eq!(lines.len(), 2);

    let status = normalize(&s.ok("helm status myapi-release"));
    assert!(
        status.starts_with("NAME: myapi-release\nLAST DEPLOYED: <TIME>\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\nRESOURCES:\n"),
        "{status}"
    );
    assert!(status.ends_with(NOTES), "{status}");
    assert!(
        squeeze(&status).contains("==> v1/Pod(related)\nNAME READY STATUS RESTARTS AGE\nmyapi-release-<HASH>-<POD> 1/1 Running 0 "),
        "{status}"
    );

    let all = normalize(&s.ok("kubectl get all -l app.kubernetes.io/instance=myapi-release"));
    let want = "NAME                                 READY   STATUS    RESTARTS   AGE
pod/myapi-release-<HASH>-<POD>   1/1     Running   0          AGE

NAME                    TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE
service/myapi-release   ClusterIP   <IP>   <none>        80/TCP    AGE

NAME                            READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/myapi-release   1/1     1            1           AGE

NAME                                       DESIRED   CURRENT   READY   AGE
replicaset.apps/myapi-release-<HASH>   1         1         1       AGE
";
    assert_eq!(mask_ages(&squeeze(&all)), squeeze(want), "{all}");

    // the NOTES' commands: the two exports work; port-forward is explained
    let (o, e, c) = s.sh_in(
        "k8s-summit-2024",
        "export POD_NAME=$(kubectl get pods --namespace default -l \"app.kubernetes.io/name=myapi,app.kubernetes.io/instance=myapi-release\" -o jsonpath=\"{.items[0].metadata.name}\")\n  export CONTAINER_PORT=$(kubectl get pod --namespace default $POD_NAME -o jsonpath=\"{.spec.containers[0].ports[0].containerPort}\")\n  echo \"Visit http://127.0.0.1:8080 to use your application\"\n  kubectl --namespace default port-forward $POD_NAME 8080:$CONTAINER_PORT",
    );
    assert_eq!(c, 0);
    assert_eq!(
        o,
        "Visit http://127.0.0.1:8080 to use your application\nForwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
    );
    assert!(e.contains("no traffic can flow"), "{e}");

    // ---------------------------------------------------------------- Lab 2
    let lab2 = shared("conformance/cases/workshop-fastapi/chart");
    for f in [
        "values.yaml",
        "templates/deployment.yaml",
        "templates/configmap.yaml",
    ] {
        std::fs::copy(lab2.join(f), s.path(&format!("charts/myapi/{f}"))).expect("copy lab 2 file");
    }
    let up = s.ok("helm upgrade --install myapi-release ./charts/myapi");
    assert_eq!(
        normalize(&up),
        format!(
            "Release \"myapi-release\" has been upgraded. Happy Helming!\n{}",
            status_text(2, "Upgrade complete")
        )
    );
    let secrets = mask_ages(&s.ok("kubectl get secrets"));
    assert_eq!(
        secrets,
        "NAME                                  TYPE                 DATA   AGE\nsh.helm.release.v1.myapi-release.v1   helm.sh/release.v1   1      AGE\nsh.helm.release.v1.myapi-release.v2   helm.sh/release.v1   1      AGE\n"
    );
    let pipeline = "kubectl get secret sh.helm.release.v1.myapi-release.v2 -o jsonpath=\"{.data.release}\" | base64 --decode | base64 --decode | gunzip | jq -r .manifest";
    let ours = s.ok(pipeline);
    let manifest = s.ok("helm get manifest myapi-release");
    assert_eq!(ours, manifest);
    assert!(ours.contains("# Source: myapi/templates/configmap.yaml\n"));
    assert!(ours.contains("image: \"tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim\"\n"));
    // the same bytes through this machine's real tools
    if ["base64", "gunzip", "jq"].iter().all(|t| has_tool(t)) {
        let data = s.ok("kubectl get secret sh.helm.release.v1.myapi-release.v2 -o jsonpath=\"{.data.release}\"");
        let real = |filter: &str| -> String {
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "base64 --decode | base64 --decode | gunzip | jq {filter}"
                ))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("real pipeline");
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(data.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success());
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert_eq!(real("-r .manifest"), ours);
        // the whole release record, as real jq pretty-prints it
        let ours_json = s.ok(&pipeline.replace("jq -r .manifest", "jq ."));
        assert_eq!(real("."), ours_json);
        assert_eq!(
            real("-c '.info.status, .version, .name'"),
            s.ok(&pipeline.replace("jq -r .manifest", "jq -c '.info.status, .version, .name'"))
        );
    } else {
        eprintln!("base64/gunzip/jq not installed: the real-pipeline comparison is skipped");
    }
    assert_eq!(
        s.ok("helm rollback myapi-release 1"),
        "Rollback was a success! Happy Helming!\n"
    );
    let ls = s.ok("helm ls");
    assert!(
        ls.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("myapi-release\tdefault  \t3       \t")),
        "{ls}"
    );
    assert_eq!(
        s.ok("helm rollback myapi-release 2"),
        "Rollback was a success! Happy Helming!\n"
    );
    let ls = s.ok("helm ls");
    assert!(
        ls.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("myapi-release\tdefault  \t4       \t")),
        "{ls}"
    );
    let hist = s.ok("helm history myapi-release");
    let descs: Vec<String> = hist
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect::<Vec<_>>())
        .map(|c| format!("{} {} {}", c[0], c[2], c[5]))
        .collect();
    assert_eq!(
        descs,
        [
            "1 superseded Install complete",
            "2 superseded Upgrade complete",
            "3 superseded Rollback to 1",
            "4 deployed Rollback to 2"
        ]
    );

    // ---------------------------------------------------------------- Lab 3
    std::fs::write(
        s.path("charts/myapi/templates/secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include \"myapi.fullname\" . }}\n  labels:\n    {{- include \"myapi.labels\" . | nindent 4 }}\ntype: Opaque\ndata:\n  passcode: {{ randAlphaNum  10 | b64enc }}  # Generate a random 10-digit passcode and encode it in base64\n",
    )
    .expect("secret.yaml");
    let dep_path = s.path("charts/myapi/templates/deployment.yaml");
    let dep = std::fs::read_to_string(&dep_path).expect("deployment");
    let with_env = dep.replace(
        "          args: {{ toYaml .Values.args | nindent 10 }}\n",
        "          args: {{ toYaml .Values.args | nindent 10 }}\n          env:\n            - name: PASSCODE\n              valueFrom:\n                secretKeyRef:\n                  name: {{ include \"myapi.fullname\" . }}\n                  key: passcode\n",
    );
    assert_ne!(with_env, dep);
    std::fs::write(&dep_path, &with_env).expect("write deployment");
    let passcode =
        "kubectl get secret myapi-release -o jsonpath=\"{.data.passcode}\" | base64 --decode";
    let pods = "kubectl get pods -l app.kubernetes.io/instance=myapi-release -o name";
    let mut codes = Vec::new();
    let mut pod_sets = Vec::new();
    for rev in 5..=7 {
        let up = s.ok("helm upgrade --install myapi-release ./charts/myapi");
        assert!(
            normalize(&up).contains(&format!("REVISION: {rev}\n")),
            "{up}"
        );
        let code = s.ok(passcode);
        assert_eq!(code.len(), 10, "{code:?}");
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric()));
        codes.push(code);
        pod_sets.push(s.ok(pods));
    }
    // the Secret changes every time...
    assert_ne!(codes[0], codes[1]);
    assert_ne!(codes[1], codes[2]);
    // ...but nothing in the pod template changed after the env was added: the pods stay
    assert_eq!(
        pod_sets[1], pod_sets[2],
        "pods must not roll when only the Secret changes"
    );
    let rs_before = s.ok("kubectl get rs -l app.kubernetes.io/instance=myapi-release -o name");

    // the fix: checksum annotations make every change roll the Deployment
    let dep = std::fs::read_to_string(&dep_path).expect("deployment");
    let with_checksums = dep.replacen(
        "  template:\n    metadata:\n",
        "  template:\n    metadata:\n      annotations:\n        checksum/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}\n        checksum/secret: {{ include (print $.Template.BasePath \"/secret.yaml\") . | sha256sum }}\n",
        1,
    );
    assert_ne!(with_checksums, dep);
    std::fs::write(&dep_path, with_checksums).expect("write deployment");
    let mut rolled = Vec::new();
    for _ in 0..2 {
        s.ok("helm upgrade --install myapi-release ./charts/myapi");
        rolled.push(s.ok(pods));
    }
    assert_ne!(
        pod_sets[2], rolled[0],
        "the checksum annotations roll the pods"
    );
    assert_ne!(
        rolled[0], rolled[1],
        "a new passcode changes checksum/secret: the pods roll again"
    );
    let rs_after = s.ok("kubectl get rs -l app.kubernetes.io/instance=myapi-release -o name");
    assert!(
        rs_after.lines().count() >= rs_before.lines().count() + 2,
        "{rs_before}\n{rs_after}"
    );
    let annotated = s.ok(
        "kubectl get deployment myapi-release -o jsonpath='{.spec.template.metadata.annotations}'",
    );
    assert!(annotated.contains("checksum/secret"), "{annotated}");
    let history = s.ok("kubectl rollout history deployment/myapi-release");
    assert!(
        history.starts_with("deployment.apps/myapi-release \nREVISION  CHANGE-CAUSE\n"),
        "{history}"
    );

    // ---------------------------------------------------------------- Lab 4
    let service_before =
        s.ok("helm template myapi-release ./charts/myapi -s templates/service.yaml");
    let chart_yaml = s.path("charts/myapi/Chart.yaml");
    let mut text = std::fs::read_to_string(&chart_yaml).expect("Chart.yaml");
    text.push_str("\ndependencies:\n  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts");
    std::fs::write(&chart_yaml, &text).expect("write Chart.yaml");
    // no registry can be reached: both commands explain how to supply the chart
    for cmd in [
        "helm dependency update charts/myapi",
        "helm dependency build charts/myapi",
    ] {
        let (o, e, c) = s.sh_in("k8s-summit-2024", cmd);
        assert_eq!((o.as_str(), c), ("", 1), "{cmd}");
        assert!(
            e.starts_with("Error: dependency \"common\" comes from an OCI registry (oci://registry-1.docker.io/bitnamicharts), which ChartLab cannot reach"),
            "{e}"
        );
    }
    // until the dependency is there, Helm refuses the chart (upgrade.go's CheckDependencies)
    let (o, e, c) = s.sh_in(
        "k8s-summit-2024",
        "helm upgrade --install myapi-release ./charts/myapi",
    );
    assert_eq!((o.as_str(), c), ("", 1));
    assert_eq!(e, "Error: an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: common\n");
    // the learner supplies bitnami's common chart (a real copy, v2.31.10) as a workspace folder
    copy_dir(
        &shared("conformance/cases/rw-nginx-o1/chart/charts/common"),
        &s.path("charts/common"),
    );
    std::fs::write(
        &chart_yaml,
        text.replace(
            "oci://registry-1.docker.io/bitnamicharts",
            "file://../common",
        ),
    )
    .expect("write Chart.yaml");
    // pkg/downloader/manager.go's texts
    let saved = "Saving 1 charts\nDeleting outdated charts\n";
    assert_eq!(s.ok("helm dependency update charts/myapi"), saved);
    // Chart.lock and the archive as real Helm v4.2.3 (helm-python-sdk dependency_update) wrote
    // them for this workspace
    let lock = std::fs::read_to_string(s.path("charts/myapi/Chart.lock")).expect("Chart.lock");
    let (head, generated) = lock.split_once("generated: ").expect("generated line");
    assert_eq!(head, "dependencies:\n- name: common\n  repository: file://../common\n  version: 2.31.10\ndigest: sha256:871e79183baeb836586402eb45b66d5667678f2e8bf2447854b98a75d9295b60\n");
    assert!(
        generated.starts_with('"') && generated.ends_with("Z\"\n"),
        "{generated}"
    );
    let archive = std::fs::read(s.path("charts/myapi/charts/common-2.31.10.tgz")).expect("archive");
    let raw = chartlab::chart::archive::gunzip(&archive, 1 << 30).expect("gzip");
    let names: Vec<String> = chartlab::chart::archive::read_tar(&raw)
        .expect("tar")
        .iter()
        .filter(|e| e.typeflag == b'0')
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(names, COMMON_ARCHIVE);
    assert_eq!(s.ok("helm dependency build charts/myapi"), saved);
    assert_eq!(
        s.ok("helm dependency list charts/myapi"),
        "NAME  \tVERSION\tREPOSITORY      \tSTATUS\ncommon\t2.x.x  \tfile://../common\tok    \n\n"
    );
    s.ok("printf '*.tgz\\n/.idea/*\\n.vscode\\n.DS_Store\\n' > .gitignore");
    assert_eq!(
        std::fs::read_to_string(s.path(".gitignore")).expect(".gitignore"),
        "*.tgz\n/.idea/*\n.vscode\n.DS_Store\n"
    );
    // a library chart renders nothing of its own: the release keeps its resources
    assert_eq!(
        s.ok("helm template myapi-release ./charts/myapi -s templates/service.yaml"),
        service_before
    );
    let up = s.ok("helm upgrade --install myapi-release ./charts/myapi");
    assert_eq!(
        normalize(&up),
        format!(
            "Release \"myapi-release\" has been upgraded. Happy Helming!\n{}",
            status_text(10, "Upgrade complete")
        )
    );
    let manifest = s.ok("helm get manifest myapi-release");
    assert!(
        !manifest.contains("# Source: myapi/charts/common"),
        "{manifest}"
    );
}

/// The files of bitnami common 2.31.10's archive as real Helm's dependency update wrote it.
const COMMON_ARCHIVE: &[&str] = &[
    "common/Chart.yaml",
    "common/values.yaml",
    "common/templates/_affinities.tpl",
    "common/templates/_capabilities.tpl",
    "common/templates/_compatibility.tpl",
    "common/templates/_errors.tpl",
    "common/templates/_images.tpl",
    "common/templates/_ingress.tpl",
    "common/templates/_labels.tpl",
    "common/templates/_names.tpl",
    "common/templates/_resources.tpl",
    "common/templates/_secrets.tpl",
    "common/templates/_storage.tpl",
    "common/templates/_tplvalues.tpl",
    "common/templates/_utils.tpl",
    "common/templates/_warnings.tpl",
    "common/templates/validations/_cassandra.tpl",
    "common/templates/validations/_mariadb.tpl",
    "common/templates/validations/_mongodb.tpl",
    "common/templates/validations/_mysql.tpl",
    "common/templates/validations/_postgresql.tpl",
    "common/templates/validations/_redis.tpl",
    "common/templates/validations/_validations.tpl",
    "common/.helmignore",
];

/// Copies a folder recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// Columns of kubectl tables padded to widths that depend on the varying cells: compare with
/// runs of spaces squeezed.
fn squeeze(s: &str) -> String {
    let mut out = String::new();
    let mut prev_space = false;
    for c in s.chars() {
        if c == ' ' {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    out
}

/// The last column (AGE) of table rows as `AGE`.
fn mask_ages(s: &str) -> String {
    s.split_inclusive('\n')
        .map(|l| {
            let body = l.trim_end_matches('\n');
            let nl = if l.ends_with('\n') { "\n" } else { "" };
            match body.rsplit_once(' ') {
                Some((head, last))
                    if !body.starts_with("NAME")
                        && !last.is_empty()
                        && last.chars().next().is_some_and(|c| c.is_ascii_digit())
                        && last.ends_with(['s', 'm', 'h', 'd']) =>
                {
                    format!("{head} AGE{nl}")
                }
                _ => l.to_string(),
            }
        })
        .collect()
}
