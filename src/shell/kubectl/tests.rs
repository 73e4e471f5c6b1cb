//! kubectl through the shell: texts checked against kubectl v1.36's source (and the v1.32
//! binary on this machine, through the HTTP bridge in tests/kubectl_real.rs).

use crate::shell::tests::{run, shell};

/// Commands whose texts come from kubectl v0.36's source (apply's and delete's messages,
/// rollout, version) and behaviour of the simulated cluster behind them.
#[test]
fn commands_like_kubectl_1_36() {
    let mut sh = shell();
    let ok = |sh: &mut crate::shell::Shell, cmd: &str| -> String {
        let (o, e, c) = run(sh, cmd);
        assert_eq!(c, 0, "{cmd}: {e}");
        o
    };
    assert_eq!(
        ok(
            &mut sh,
            "kubectl create deployment web --image=nginx:1.25 --port=80"
        ),
        "deployment.apps/web created\n"
    );
    ok(&mut sh, "cat > svc.yaml <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\nEOF");
    assert_eq!(
        ok(&mut sh, "kubectl apply -f svc.yaml"),
        "service/web created\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl apply -f svc.yaml"),
        "service/web unchanged\n"
    );
    ok(&mut sh, "cat svc.yaml | grep -v targetPort > svc2.yaml");
    assert_eq!(
        ok(&mut sh, "kubectl apply -f svc2.yaml"),
        "service/web configured\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl rollout status deployment/web"),
        "deployment \"web\" successfully rolled out\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl rollout history deployment/web"),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl rollout restart deployment/web"),
        "deployment.apps/web restarted\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl rollout history deploy web | tail -n +3"),
        "1         <none>\n2         <none>\n\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl rollout undo deployment/web"),
        "deployment.apps/web rolled back\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl scale deploy/web --replicas=2"),
        "deployment.apps/web scaled\n"
    );
    assert_eq!(ok(&mut sh, "kubectl get pods -o name | wc -l"), "2\n");
    assert_eq!(
        ok(
            &mut sh,
            "kubectl get svc web -o jsonpath='{.spec.ports[0].port}'"
        ),
        "80"
    );
    let (o, e, c) = run(&mut sh, "kubectl logs deployment/web");
    assert_eq!((o.as_str(), c), ("", 0));
    assert!(e.contains("writes no logs"), "{e}");
    assert_eq!(
        ok(&mut sh, "kubectl delete svc web"),
        "service \"web\" deleted from default namespace\n"
    );
    assert_eq!(
        run(&mut sh, "kubectl delete svc web"),
        (
            "".into(),
            "Error from server (NotFound): services \"web\" not found\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "kubectl delete pods"),
        (
            "".into(),
            "error: resource(s) were provided, but no name was specified\n".into(),
            1
        )
    );
    assert_eq!(
        ok(&mut sh, "kubectl create namespace team"),
        "namespace/team created\n"
    );
    assert_eq!(
        run(&mut sh, "kubectl create namespace team").1,
        "Error from server (AlreadyExists): namespaces \"team\" already exists\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl delete ns team"),
        "namespace \"team\" deleted\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl version"),
        "Client Version: v1.36.0\nKustomize Version: v5.8.1\nServer Version: v1.36.0\n"
    );
    assert_eq!(ok(&mut sh, "kubectl config current-context"), "chartlab\n");
    assert_eq!(
        run(&mut sh, "kubectl get nope").1,
        "error: the server doesn't have a resource type \"nope\"\n"
    );
    assert_eq!(
        ok(&mut sh, "kubectl get cm -o name"),
        "configmap/kube-root-ca.crt\n"
    );
    assert_eq!(
        run(&mut sh, "kubectl get secrets"),
        (
            "".into(),
            "No resources found in default namespace.\n".into(),
            0
        )
    );
}

#[test]
fn usage_errors_like_kubectl_1_32() {
    // observed with /usr/bin/kubectl v1.32.4 (cobra's texts, unchanged in v1.36)
    let mut sh = shell();
    // a context the kubeconfig does not have: two wordings, depending on the command
    assert_eq!(
        run(&mut sh, "kubectl --context x get pods"),
        (
            "".into(),
            "Error in configuration: context was not found for specified context: x\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "kubectl apply --context=x -f y.yaml").1,
        "error: context \"x\" does not exist\n"
    );
    assert_eq!(
        run(&mut sh, "kubectl --context x config current-context").0,
        "chartlab\n"
    );
    assert_eq!(
        run(&mut sh, "kubectl get pods --foo"),
        (
            "".into(),
            "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "kubectl foo"),
        (
            "".into(),
            "Error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n\n"
                .into(),
            1
        )
    );
    assert_eq!(run(&mut sh, "kubectl gett"), ("".into(), "Error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\n".into(), 1));
    assert_eq!(
        run(&mut sh, "kubectl zzzzzz"),
        (
            "".into(),
            "Error: unknown command \"zzzzzz\" for \"kubectl\"\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "kubectl get pods -n"),
        (
            "".into(),
            "Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"
                .into(),
            1
        )
    );
    assert_eq!(run(&mut sh, "kubectl port-forward"), ("".into(), "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n".into(), 1));
    assert_eq!(run(&mut sh, "kubectl logs"), ("".into(), "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into(), 1));
}
