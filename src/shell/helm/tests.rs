//! helm through the shell: texts from Helm v4.2.3's source and goldens.

use crate::shell::tests::{run, shell};

#[test]
fn create_like_helm() {
    let mut sh = shell();
    assert_eq!(
        run(&mut sh, "helm create charts/myapi"),
        (
            "Creating charts/myapi\n".into(),
            "Error: stat /home/student/charts: no such file or directory\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "mkdir charts && helm create charts/myapi").0,
        "Creating charts/myapi\n"
    );
    assert_eq!(
        run(&mut sh, "ls charts/myapi charts/myapi/templates | cat").0,
        "charts/myapi:\nChart.yaml\ncharts\ntemplates\nvalues.yaml\n\ncharts/myapi/templates:\nNOTES.txt\n_helpers.tpl\ndeployment.yaml\nhpa.yaml\nhttproute.yaml\ningress.yaml\nservice.yaml\nserviceaccount.yaml\ntests\n"
    );
    let (o, _, c) = run(&mut sh, "helm create charts/myapi");
    assert_eq!(c, 0);
    assert!(o.starts_with("Creating charts/myapi\nWARNING: File \"/home/student/charts/myapi/Chart.yaml\" already exists. Overwriting.\nWARNING: File \"/home/student/charts/myapi/values.yaml\" already exists. Overwriting.\n"));
    assert_eq!(
        run(&mut sh, "helm create"),
        (
            "".into(),
            "Error: \"helm create\" requires 1 argument\n\nUsage:  helm create NAME [flags]\n"
                .into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "helm create 'bad name'").1,
        "Error: chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"\n"
    );
}

#[test]
fn version_env_and_unknown() {
    let mut sh = shell();
    assert_eq!(run(&mut sh, "helm version --short").0, "v4.2.3+g43e8b7f\n");
    assert_eq!(
        run(&mut sh, "helm version").0,
        "version.BuildInfo{Version:\"v4.2.3\", GitCommit:\"43e8b7feece8beb0fcba47059ec9b522fd929a64\", GitTreeState:\"clean\", GoVersion:\"go1.26.6\", KubeClientVersion:\"v1.36\"}\n"
    );
    assert_eq!(
        run(&mut sh, "helm version --template '{{.Version}}'").0,
        "v4.2.3"
    );
    assert_eq!(run(&mut sh, "helm env HELM_NAMESPACE").0, "default\n");
    assert_eq!(run(&mut sh, "helm -n team env HELM_NAMESPACE").0, "team\n");
    assert!(run(&mut sh, "helm env")
        .0
        .contains("HELM_CACHE_HOME=\"/home/student/.cache/helm\"\n"));
    assert_eq!(
        run(&mut sh, "helm instal x y").1,
        "Error: unknown command \"instal\" for \"helm\"\n\nDid you mean this?\n\tinstall\n\n"
    );
    assert_eq!(
        run(&mut sh, "helm version --nope").1,
        "Error: unknown flag: --nope\n"
    );
    let (_, e, c) = run(
        &mut sh,
        "helm repo add bitnami https://charts.bitnami.com/bitnami",
    );
    assert_eq!(c, 1);
    assert!(e.starts_with("Error: `helm repo` is not available in the browser"));
}

#[test]
fn lab1_smoke() {
    let mut sh = shell();
    for s in [
        "REPO_NAME=k8s-summit-2024; mkdir $REPO_NAME; cd $REPO_NAME; git init; mkdir charts; helm create charts/myapi",
        "helm install myapi-release ./charts/myapi",
        "helm list",
        "helm status myapi-release",
        "kubectl get all -l app.kubernetes.io/instance=myapi-release",
        "export POD_NAME=$(kubectl get pods --namespace default -l \"app.kubernetes.io/name=myapi,app.kubernetes.io/instance=myapi-release\" -o jsonpath=\"{.items[0].metadata.name}\")",
        "export CONTAINER_PORT=$(kubectl get pod --namespace default $POD_NAME -o jsonpath=\"{.spec.containers[0].ports[0].containerPort}\")",
        "echo \"Visit http://127.0.0.1:8080 to use your application\"",
        "kubectl --namespace default port-forward $POD_NAME 8080:$CONTAINER_PORT",
        "helm upgrade --install myapi-release ./charts/myapi",
        "kubectl get secrets",
        "kubectl get secret sh.helm.release.v1.myapi-release.v2 -o jsonpath=\"{.data.release}\" | base64 --decode | base64 --decode | gunzip | jq -r .manifest | head -20",
        "helm rollback myapi-release 1",
        "helm ls",
        "helm history myapi-release",
        "helm get values myapi-release --all | head -5",
        "helm template x ./charts/myapi -s templates/service.yaml",
        "helm uninstall myapi-release",
        "helm status myapi-release",
    ] {
        let (o, e, c) = run(&mut sh, s);
        println!("$ {s}\n{o}{e}[{c}]");
    }
}

#[test]
fn values_debug() {
    let mut sh = shell();
    for s in [
        "mkdir charts; helm create charts/myapi >/dev/null; helm install r ./charts/myapi >/dev/null",
        "helm get values r --all -o json | head -c 300",
        "helm get values r",
        "kubectl get secret sh.helm.release.v1.r.v1 -o jsonpath={.data.release} | base64 -d | base64 -d | gunzip | jq -c '.chart.values | keys' ",
        "kubectl get secret sh.helm.release.v1.r.v1 -o jsonpath={.data.release} | base64 -d | base64 -d | gunzip | jq -c '.config' ",
    ] {
        let (o, e, c) = run(&mut sh, s);
        println!("$ {s}\n{o}{e}[{c}]");
    }
}
