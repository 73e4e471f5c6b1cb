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
