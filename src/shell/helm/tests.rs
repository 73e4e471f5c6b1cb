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

/// `helm get values`: a release installed without values has no `config` in its record
/// (`json:"config,omitempty"`), so Helm prints `null`; `--all` coalesces the chart's values.
#[test]
fn get_values_like_helm() {
    let mut sh = shell();
    run(&mut sh, "mkdir charts; helm create charts/myapi >/dev/null; helm install r ./charts/myapi >/dev/null");
    assert_eq!(
        run(&mut sh, "helm get values r"),
        ("USER-SUPPLIED VALUES:\nnull\n".into(), "".into(), 0)
    );
    let (o, _, c) = run(
        &mut sh,
        "helm get values r --all -o json | jq -c '.replicaCount, .image.repository'",
    );
    assert_eq!((o.as_str(), c), ("1\n\"nginx\"\n", 0));
    assert_eq!(
        run(&mut sh, "helm get values nope").1,
        "Error: release: not found\n"
    );
    assert_eq!(
        run(&mut sh, "helm get values"),
        ("".into(), "Error: \"helm get values\" requires 1 argument\n\nUsage:  helm get values RELEASE_NAME [flags]\n".into(), 1)
    );
}

/// `helm lint` against what Helm v4.2.3's lint reported for the same charts (through its Go
/// SDK; the report layout is pkg/cmd/lint.go's).
#[test]
fn lint_like_helm() {
    let mut sh = shell();
    let setup = |sh: &mut crate::shell::Shell, name: &str, files: &[(&str, &str)]| {
        let mut script = format!("mkdir -p {name}/templates\n");
        let mut all: Vec<(String, String)> = vec![
            (
                "Chart.yaml".into(),
                format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
            ),
            ("values.yaml".into(), "x: 1\n".into()),
        ];
        for (p, c) in files {
            all.retain(|(q, _)| q != p);
            all.push((p.to_string(), c.to_string()));
        }
        for (p, c) in all {
            if c == "<none>" {
                script.push_str(&format!("rm -rf {name}/{p}\n"));
                continue;
            }
            script.push_str(&format!("cat > {name}/{p} <<'EOF'\n{c}EOF\n"));
        }
        let (_, e, s) = run(sh, &script);
        assert_eq!((e.as_str(), s), ("", 0));
    };
    setup(
        &mut sh,
        "badname",
        &[(
            "templates/s.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: My_Svc\n",
        )],
    );
    assert_eq!(run(&mut sh, "helm lint badname"), ("==> Linting badname\n[INFO] Chart.yaml: icon is recommended\n[WARNING] templates/s.yaml: object name does not conform to Kubernetes naming requirements: \"My_Svc\": metadata.name: Invalid value: \"My_Svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
    setup(
        &mut sh,
        "dep",
        &[(
            "templates/i.yaml",
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n",
        )],
    );
    assert_eq!(run(&mut sh, "helm lint dep"), ("==> Linting dep\n[INFO] Chart.yaml: icon is recommended\n[WARNING] templates/i.yaml: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
    setup(
        &mut sh,
        "nosel",
        &[(
            "templates/d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template: {}\n",
        )],
    );
    assert_eq!(run(&mut sh, "helm lint nosel"), ("==> Linting nosel\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/d.yaml: a Deployment must contain matchLabels or matchExpressions, and \"d\" does not\n\n".into(), "Error: 1 chart(s) linted, 1 chart(s) failed\n".into(), 1));
    setup(&mut sh, "indent", &[("templates/x.yaml", "  a: 1\n")]);
    assert_eq!(run(&mut sh, "helm lint indent"), ("==> Linting indent\n[INFO] Chart.yaml: icon is recommended\n[WARNING] templates/x.yaml: document starts with an illegal indent: \"  a: 1\", which may cause parsing problems\n[WARNING] templates/x.yaml: object name does not conform to Kubernetes naming requirements: \"\": metadata.name: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
    setup(&mut sh, "ext", &[("templates/foo.json", "x\n")]);
    assert_eq!(run(&mut sh, "helm lint ext"), ("==> Linting ext\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/foo.json: file extension '.json' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt\n\n".into(), "Error: 1 chart(s) linted, 1 chart(s) failed\n".into(), 1));
    setup(&mut sh, "novals", &[("values.yaml", "<none>")]);
    assert_eq!(run(&mut sh, "helm lint novals"), ("==> Linting novals\n[INFO] Chart.yaml: icon is recommended\n[INFO] values.yaml: file does not exist\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
    setup(&mut sh, "notpl", &[("templates", "<none>")]);
    assert_eq!(run(&mut sh, "helm lint notpl"), ("==> Linting notpl\n[INFO] Chart.yaml: icon is recommended\n[WARNING] templates/: directory does not exist\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
    setup(
        &mut sh,
        "badyaml",
        &[("templates/x.yaml", "a: b\n c: d: e\n")],
    );
    assert_eq!(run(&mut sh, "helm lint badyaml"), ("==> Linting badyaml\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/x.yaml: unable to parse YAML: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context\n\n".into(), "Error: 1 chart(s) linted, 1 chart(s) failed\n".into(), 1));
    setup(
        &mut sh,
        "renderr",
        &[("templates/x.yaml", "{{ nope . }}\n")],
    );
    assert_eq!(run(&mut sh, "helm lint renderr"), ("==> Linting renderr\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/: parse error at (renderr/templates/x.yaml:1): function \"nope\" not defined\n\n".into(), "Error: 1 chart(s) linted, 1 chart(s) failed\n".into(), 1));
    setup(
        &mut sh,
        "v1type",
        &[(
            "Chart.yaml",
            "apiVersion: v1\nname: v1type\nversion: 1.0\ntype: application\nappVersion: 2\n",
        )],
    );
    assert_eq!(run(&mut sh, "helm lint v1type"), ("==> Linting v1type\n[ERROR] Chart.yaml: version should be of type string but it's of type float64\n[ERROR] Chart.yaml: appVersion should be of type string but it's of type float64\n[INFO] Chart.yaml: icon is recommended\n[ERROR] Chart.yaml: chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2'\n[WARNING] Chart.yaml: version '1' is not a valid SemVerV2\n\n".into(), "Error: 1 chart(s) linted, 1 chart(s) failed\n".into(), 1));
    setup(
        &mut sh,
        "ok",
        &[(
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        )],
    );
    assert_eq!(run(&mut sh, "helm lint ok"), ("==> Linting ok\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n".into(), "".into(), 0));
}

/// What real Helm v4.2.3's chartutil.Save writes as the scaffold's Chart.yaml (helm-python-sdk
/// `package`); `helm show chart` prints the same marshalling.
const SCAFFOLD_CHART_YAML: &str = "apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: demo\ntype: application\nversion: 0.1.0\n";

#[test]
fn show_and_package_like_helm() {
    let mut sh = shell();
    run(
        &mut sh,
        "helm create demo; mkdir demo/crds; printf 'kind: CustomResourceDefinition\\n' > demo/crds/a.yaml; printf -- '---\\nkind: X\\n' > demo/crds/b.yml; printf '# Demo\\n' > demo/README.md",
    );
    let chart = format!("{SCAFFOLD_CHART_YAML}\n");
    assert_eq!(
        run(&mut sh, "helm show chart demo"),
        (chart.clone(), "".into(), 0)
    );
    assert_eq!(run(&mut sh, "helm show readme demo").0, "# Demo\n\n");
    // action.Show: a CRD file not starting with `---` gets a separator
    let crds = "---\nkind: CustomResourceDefinition\n\n---\nkind: X\n\n";
    assert_eq!(run(&mut sh, "helm show crds ./demo").0, crds);
    assert_eq!(
        run(
            &mut sh,
            "helm show values demo --jsonpath '{.image.repository}'"
        )
        .0,
        "nginx"
    );
    let values = run(&mut sh, "cat demo/values.yaml").0;
    assert_eq!(
        run(&mut sh, "helm show values demo").0,
        format!("{values}\n")
    );
    assert_eq!(
        run(&mut sh, "helm inspect all demo").0,
        format!("{chart}---\n{values}\n---\n# Demo\n\n{crds}")
    );
    assert_eq!(
        run(&mut sh, "helm show chart"),
        (
            "".into(),
            "Error: \"helm show chart\" requires 1 argument\n\nUsage:  helm show chart [CHART] [flags]\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "helm show values nothere/x").1,
        "Error: repo nothere not found\n"
    );

    assert_eq!(
        run(&mut sh, "helm package demo"),
        (
            "Successfully packaged chart and saved it to: /home/student/demo-0.1.0.tgz\n".into(),
            "".into(),
            0
        )
    );
    assert_eq!(
        run(&mut sh, "helm package demo -d dist/x --version 1.0.0").0,
        "Successfully packaged chart and saved it to: dist/x/demo-1.0.0.tgz\n"
    );
    // the archive holds the chart as Helm saves it
    assert_eq!(
        run(&mut sh, "helm show chart dist/x/demo-1.0.0.tgz").0,
        chart.replace("version: 0.1.0", "version: 1.0.0")
    );
    assert_eq!(
        run(&mut sh, "helm package"),
        (
            "".into(),
            "Error: need at least one argument, the path to the chart\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "helm package nope").1,
        "Error: stat nope: no such file or directory\n"
    );
    assert_eq!(
        run(&mut sh, "helm package demo --sign").1,
        "Error: --key is required for signing a package\n"
    );
    assert_eq!(
        run(&mut sh, "mkdir empty; helm package empty").1,
        "Error: unable to detect chart at /home/student/empty/Chart.yaml: open /home/student/empty/Chart.yaml: no such file or directory\n"
    );
}

#[test]
fn dependencies_like_helm() {
    let mut sh = shell();
    run(
        &mut sh,
        "helm create app; helm create lib; printf 'dependencies:\\n- name: lib\\n  version: 0.1.x\\n  repository: file://../lib\\n' >> app/Chart.yaml",
    );
    // statuses as helm-python-sdk's dependency_list gave them for this workspace
    let missing =
        "NAME\tVERSION\tREPOSITORY   \tSTATUS \nlib \t0.1.x  \tfile://../lib\tmissing\n\n";
    assert_eq!(run(&mut sh, "helm dependency list app").0, missing);
    assert_eq!(
        run(&mut sh, "helm install r ./app").1,
        "Error: INSTALLATION FAILED: an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: lib\n"
    );
    let saved = "Saving 1 charts\nDeleting outdated charts\n";
    assert_eq!(
        run(&mut sh, "helm dep up app"),
        (saved.into(), "".into(), 0)
    );
    assert_eq!(run(&mut sh, "ls app/charts").0, "lib-0.1.0.tgz\n");
    // the lock real Helm v4.2.3 wrote for this workspace (helm-python-sdk dependency_update)
    assert_eq!(
        run(&mut sh, "grep -v generated app/Chart.lock").0,
        "dependencies:\n- name: lib\n  repository: file://../lib\n  version: 0.1.0\ndigest: sha256:faa1e41b20874b542d9d26f737743cf5e6af37d26adf272c7f61bce740549744\n"
    );
    assert_eq!(
        run(&mut sh, "helm dependency list app").0,
        "NAME\tVERSION\tREPOSITORY   \tSTATUS\nlib \t0.1.x  \tfile://../lib\tok    \n\n"
    );
    // build from the lock, from inside the chart and by absolute path
    assert_eq!(
        run(
            &mut sh,
            "rm app/charts/lib-0.1.0.tgz; cd app && helm dependency build; cd .."
        )
        .0,
        saved
    );
    assert_eq!(run(&mut sh, "ls app/charts").0, "lib-0.1.0.tgz\n");
    assert_eq!(run(&mut sh, "helm dep build /home/student/app").0, saved);
    // install --dependency-update runs the update first (its text on stdout)
    let (o, e, c) = run(
        &mut sh,
        "rm app/charts/lib-0.1.0.tgz; helm install r ./app --dependency-update",
    );
    assert_eq!((e.as_str(), c), ("", 0));
    assert!(o.starts_with(saved), "{o}");
    assert!(o.contains("\nSTATUS: deployed\n"), "{o}");
    assert_eq!(
        run(&mut sh, "helm dependency list nope").1,
        "Error: stat nope: no such file or directory\n"
    );
    assert_eq!(
        run(&mut sh, "helm dependency update lib").0,
        "",
        "no dependencies: nothing to do"
    );
    assert_eq!(
        run(&mut sh, "helm dependency list lib").0,
        "WARNING: no dependencies at lib/charts\n"
    );
    assert_eq!(
        run(&mut sh, "helm dependency frob"),
        (
            "".into(),
            "Error: \"helm dependency\" accepts no arguments\n\nUsage:  helm dependency update|build|list [flags]\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "helm dependency update a b").1,
        "Error: \"helm dependency update\" accepts at most 1 argument\n\nUsage:  helm dependency update CHART [flags]\n"
    );
}

#[test]
fn values_flags_like_helm() {
    let mut sh = shell();
    run(&mut sh, "helm create demo");
    let t = "helm template r demo -s templates/deployment.yaml";
    let (o, _, _) = run(
        &mut sh,
        &format!("{t} --set replicaCount=3 --set-string image.tag=007 | grep -E 'replicas|image:'"),
    );
    assert_eq!(o, "  replicas: 3\n          image: \"nginx:007\"\n");
    // `-f -` reads stdin (Helm's readFile)
    let (o, _, _) = run(
        &mut sh,
        &format!("echo 'replicaCount: 5' | {t} -f - | grep replicas"),
    );
    assert_eq!(o, "  replicas: 5\n");
    assert_eq!(
        run(&mut sh, &format!("{t} --set-file x=nope")).1,
        "Error: failed parsing --set-file data: open nope: no such file or directory\n"
    );
    assert_eq!(
        run(&mut sh, &format!("{t} -f missing.yaml")).1,
        "Error: open missing.yaml: no such file or directory\n"
    );
}

/// `helm template --output-dir` (pkg/cmd/template.go writeToFile, action.renderResources).
#[test]
fn template_output_dir_like_helm() {
    let mut sh = shell();
    run(&mut sh, "helm create demo");
    let (o, e, c) = run(&mut sh, "helm template r demo --output-dir out");
    assert_eq!((e.as_str(), c), ("", 0));
    assert_eq!(
        o,
        "wrote out/demo/templates/serviceaccount.yaml\nwrote out/demo/templates/service.yaml\nwrote out/demo/templates/deployment.yaml\nwrote out/demo/templates/tests/test-connection.yaml\n\n"
    );
    // every file holds its documents as `helm template` prints them
    let printed = run(&mut sh, "helm template r demo -s templates/service.yaml").0;
    assert_eq!(
        run(&mut sh, "cat out/demo/templates/service.yaml").0,
        format!("{printed}\n")
    );
    // hooks append to files already there; manifests start them afresh
    run(&mut sh, "helm template r demo --output-dir out");
    assert_eq!(
        run(&mut sh, "grep -c 'Source:' out/demo/templates/service.yaml out/demo/templates/tests/test-connection.yaml").0,
        "out/demo/templates/service.yaml:1\nout/demo/templates/tests/test-connection.yaml:2\n"
    );
    assert_eq!(
        run(&mut sh, "helm template r demo --output-dir o2 --release-name --skip-tests").0,
        "wrote o2/r/demo/templates/serviceaccount.yaml\nwrote o2/r/demo/templates/service.yaml\nwrote o2/r/demo/templates/deployment.yaml\n\n"
    );
}
