//! kubectl through the shell: texts checked against kubectl v1.36's source (and the v1.32
//! binary on this machine, through the HTTP bridge in tests/kubectl_real.rs).

use crate::shell::tests::{run, shell};

#[test]
fn smoke() {
    let mut sh = shell();
    let steps = [
        "kubectl create deployment web --image=nginx:1.25 --port=80",
        "cat > svc.yaml <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\nEOF",
        "kubectl apply -f svc.yaml",
        "kubectl apply -f svc.yaml",
        "kubectl get all",
        "kubectl get deploy web -o yaml",
        "kubectl get pods -o name",
        "kubectl get pods -o jsonpath='{.items[0].metadata.name}'",
        "kubectl describe deployment web",
        "kubectl describe pod",
        "kubectl describe svc web",
        "kubectl rollout history deployment/web",
        "kubectl rollout status deployment/web",
        "kubectl get nope",
        "kubectl get pod nope",
        "kubectl delete svc web",
        "kubectl version",
        "kubectl api-resources | head -5",
    ];
    for s in steps {
        let (o, e, c) = run(&mut sh, s);
        println!("$ {s}\n{o}{e}[{c}]");
    }
}

#[test]
fn usage_errors_like_kubectl_1_32() {
    // observed with /usr/bin/kubectl v1.32.4 (cobra's texts, unchanged in v1.36)
    let mut sh = shell();
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
