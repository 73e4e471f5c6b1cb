//! The built-in examples: `helm create`'s scaffold and each stage of the workshop's chart
//! (`charts/myapi`), made the way the workshop makes them — the scaffold from
//! [`crate::chart::create::create`], then each lab's edits applied to the previous stage.

use super::document::{Document, ReleaseSettings};
use super::workspace::Workspace;
use crate::chart::create;

/// A built-in example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExampleId {
    /// Lab 1: `helm create myapi`, unchanged.
    Scaffold,
    /// Lab 2: the FastAPI app — image, command/args, containerPort, the code in a ConfigMap
    /// mounted as a volume.
    Api,
    /// Lab 3, first half: a Secret with a random passcode, read by the app from an env var.
    Secret,
    /// Lab 3, second half: checksum annotations so an upgrade rolls the pods.
    Checksum,
    /// Lab 4: a dependency on the `common` library chart, supplied as a folder in charts/.
    Dependency,
}

/// What the UI lists about an example.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub id: ExampleId,
    /// Stable short name (share links, the URL, tests).
    pub key: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
}

/// Every example, in workshop order.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: ExampleId::Scaffold,
        key: "scaffold",
        title: "Lab 1 · helm create myapi",
        summary: "The chart `helm create` writes: a Deployment, Service, ServiceAccount, optional Ingress, HTTPRoute and HPA, NOTES and a test.",
    },
    Example {
        id: ExampleId::Api,
        key: "lab2-api",
        title: "Lab 2 · a FastAPI app",
        summary: "Values for the uvicorn image, its command and args, the app's code in a ConfigMap mounted at /app.",
    },
    Example {
        id: ExampleId::Secret,
        key: "lab3-secret",
        title: "Lab 3 · a random passcode Secret",
        summary: "randAlphaNum makes a new passcode on every render; the app reads it from the PASSCODE env var.",
    },
    Example {
        id: ExampleId::Checksum,
        key: "lab3-checksum",
        title: "Lab 3 · checksum annotations",
        summary: "Pod annotations hold the sha256 of the rendered ConfigMap and Secret, so a changed config rolls the pods.",
    },
    Example {
        id: ExampleId::Dependency,
        key: "lab4-dependency",
        title: "Lab 4 · a dependency",
        summary: "Chart.yaml declares the `common` library chart; charts/common/ holds a stand-in for it, since a browser cannot pull from an OCI registry.",
    },
];

impl ExampleId {
    pub fn info(self) -> &'static Example {
        EXAMPLES
            .iter()
            .find(|e| e.id == self)
            .unwrap_or(&EXAMPLES[0])
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn from_key(key: &str) -> Option<ExampleId> {
        EXAMPLES.iter().find(|e| e.key == key).map(|e| e.id)
    }

    /// Compact number used by the share codec (stable across versions of the app).
    pub(crate) fn code(self) -> u8 {
        match self {
            ExampleId::Scaffold => 1,
            ExampleId::Api => 2,
            ExampleId::Secret => 3,
            ExampleId::Checksum => 4,
            ExampleId::Dependency => 5,
        }
    }

    pub(crate) fn from_code(c: u8) -> Option<ExampleId> {
        EXAMPLES.iter().map(|e| e.id).find(|id| id.code() == c)
    }

    /// The file to open first.
    pub fn first_file(self) -> &'static str {
        match self {
            ExampleId::Scaffold => "values.yaml",
            ExampleId::Api => "templates/configmap.yaml",
            ExampleId::Secret => "templates/secret.yaml",
            ExampleId::Checksum => "templates/deployment.yaml",
            ExampleId::Dependency => "Chart.yaml",
        }
    }
}

/// The chart name every example uses (the workshop's).
pub const CHART_NAME: &str = "myapi";
/// The release name the workshop installs.
pub const RELEASE_NAME: &str = "myapi-release";

/// Builds an example's document.
pub fn build(id: ExampleId) -> Document {
    // The edits below are checked by this module's tests against the scaffold they apply to;
    // if one did not apply the scaffold stage is still a working document.
    match try_build(id) {
        Ok(doc) => doc,
        Err(_) => scaffold(),
    }
}

fn scaffold() -> Document {
    let files = create::create(CHART_NAME).unwrap_or_default();
    let workspace =
        Workspace::from_parts(files, create::SCAFFOLD_DIRS.iter().copied()).unwrap_or_default();
    Document {
        workspace,
        release: ReleaseSettings {
            name: RELEASE_NAME.into(),
            ..ReleaseSettings::default()
        },
        overrides: Default::default(),
    }
}

/// One lab's edits.
type Stage = fn(&mut Workspace) -> Result<(), String>;

/// Builds an example, saying which edit did not apply (a bug the tests catch).
pub fn try_build(id: ExampleId) -> Result<Document, String> {
    let mut doc = scaffold();
    if doc.workspace.file_count() == 0 {
        return Err("the scaffold is empty".into());
    }
    let stages: &[Stage] = match id {
        ExampleId::Scaffold => &[],
        ExampleId::Api => &[lab2],
        ExampleId::Secret => &[lab2, lab3_secret],
        ExampleId::Checksum => &[lab2, lab3_secret, lab3_checksum],
        ExampleId::Dependency => &[lab2, lab3_secret, lab3_checksum, lab4],
    };
    for stage in stages {
        stage(&mut doc.workspace)?;
    }
    Ok(doc)
}

/// Replaces the one occurrence of `find` in file `path`.
fn edit(ws: &mut Workspace, path: &str, find: &str, replace: &str) -> Result<(), String> {
    let text = ws
        .text(path)
        .ok_or_else(|| format!("example: no {path}"))?
        .into_owned();
    if text.matches(find).count() != 1 {
        return Err(format!("example: {find:?} is not once in {path}"));
    }
    ws.write(path, text.replacen(find, replace, 1).into_bytes())
}

const LAB2_CONFIGMAP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "myapi.fullname" . }}
  labels:
    {{- include "myapi.labels" . | nindent 4 }}
data:
  main.py: |
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/")
    def read_root():
        return {"Hello": "World"}

    @app.get("/hello/{user}")
    def hello(user: str):
        return {"Hello": user}
"#;

/// Lab 2: run a FastAPI app on the uvicorn image, its code from a ConfigMap.
fn lab2(ws: &mut Workspace) -> Result<(), String> {
    let v = "values.yaml";
    edit(
        ws,
        v,
        "  repository: nginx\n",
        "  repository: tiangolo/uvicorn-gunicorn-fastapi\n",
    )?;
    edit(
        ws,
        v,
        "  tag: \"\"\n",
        "  tag: python3.11-slim\n\n# Command and args of the container\ncommand: [\"uvicorn\"]\nargs: [\"main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\n",
    )?;
    edit(
        ws,
        v,
        "\n# This is for setting up a service",
        "\ncontainerPort: 8080\n\n# This is for setting up a service",
    )?;
    ws.create_file("templates/configmap.yaml", LAB2_CONFIGMAP.as_bytes())?;
    let d = "templates/deployment.yaml";
    edit(
        ws,
        d,
        "          imagePullPolicy: {{ .Values.image.pullPolicy }}\n",
        "          imagePullPolicy: {{ .Values.image.pullPolicy }}\n          command: {{ toYaml .Values.command | nindent 10 }}\n          args: {{ toYaml .Values.args | nindent 10 }}\n",
    )?;
    edit(
        ws,
        d,
        "containerPort: {{ .Values.service.port }}",
        "containerPort: {{ .Values.containerPort }}",
    )?;
    edit(
        ws,
        d,
        "          {{- with .Values.volumeMounts }}\n          volumeMounts:\n",
        "          volumeMounts:\n            - name: app-code\n              mountPath: /app\n          {{- with .Values.volumeMounts }}\n",
    )?;
    edit(
        ws,
        d,
        "      {{- with .Values.volumes }}\n      volumes:\n",
        "      volumes:\n        - name: app-code\n          configMap:\n            name: {{ include \"myapi.fullname\" . }}\n            items:\n            - key: main.py\n              path: main.py\n      {{- with .Values.volumes }}\n",
    )
}

const LAB3_SECRET: &str = r#"apiVersion: v1
kind: Secret
metadata:
  name: {{ include "myapi.fullname" . }}
  labels:
    {{- include "myapi.labels" . | nindent 4 }}
type: Opaque
data:
  # a new random 10-character passcode, base64-encoded, on every render
  passcode: {{ randAlphaNum 10 | b64enc }}
"#;

/// Lab 3: a Secret with a random passcode, passed to the app as an env var.
fn lab3_secret(ws: &mut Workspace) -> Result<(), String> {
    ws.create_file("templates/secret.yaml", LAB3_SECRET.as_bytes())?;
    edit(
        ws,
        "templates/deployment.yaml",
        "          args: {{ toYaml .Values.args | nindent 10 }}\n",
        "          args: {{ toYaml .Values.args | nindent 10 }}\n          env:\n            - name: PASSCODE\n              valueFrom:\n                secretKeyRef:\n                  name: {{ include \"myapi.fullname\" . }}\n                  key: passcode\n",
    )?;
    let c = "templates/configmap.yaml";
    edit(
        ws,
        c,
        "    from fastapi import FastAPI\n",
        "    import os\n    from fastapi import FastAPI\n",
    )?;
    edit(
        ws,
        c,
        "        return {\"Hello\": \"World\"}\n",
        "        return {\"Hello\": f\"Your pass code is {os.environ.get('PASSCODE')}\"}\n",
    )
}

/// Lab 3, the fix: pod annotations with the checksums of the ConfigMap and the Secret.
fn lab3_checksum(ws: &mut Workspace) -> Result<(), String> {
    edit(
        ws,
        "templates/deployment.yaml",
        "    metadata:\n      {{- with .Values.podAnnotations }}\n      annotations:\n",
        "    metadata:\n      annotations:\n        # https://helm.sh/docs/howto/charts_tips_and_tricks/#automatically-roll-deployments\n        checksum/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}\n        checksum/secret: {{ include (print $.Template.BasePath \"/secret.yaml\") . | sha256sum }}\n      {{- with .Values.podAnnotations }}\n",
    )
}

const LAB4_COMMON_CHART: &str = r#"# A stand-in written for ChartLab, NOT Bitnami's chart: a browser cannot pull
# oci://registry-1.docker.io/bitnamicharts/common. To use the real one, run
#   helm pull oci://registry-1.docker.io/bitnamicharts/common --version 2.22.0
# on your machine and import the .tgz into charts/ (then delete this folder).
apiVersion: v2
name: common
description: Stand-in for the Bitnami common library chart (a few naming and label helpers)
type: library
version: 2.22.0
appVersion: 2.22.0
"#;

const LAB4_COMMON_HELPERS: &str = r#"{{/*
Helpers of this stand-in library chart. A library chart renders nothing by itself: its
named templates become available to the chart that depends on it.
*/}}

{{/* The chart name, or .Values.nameOverride; at most 63 characters. */}}
{{- define "common.names.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart> unless the release name already contains the chart name. */}}
{{- define "common.names.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Kubernetes' recommended labels. */}}
{{- define "common.labels.standard" -}}
app.kubernetes.io/name: {{ include "common.names.name" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
"#;

/// Lab 4: declare the `common` dependency and supply it as a folder.
fn lab4(ws: &mut Workspace) -> Result<(), String> {
    let chart = ws
        .text("Chart.yaml")
        .ok_or("example: no Chart.yaml")?
        .into_owned();
    let mut chart = chart;
    if !chart.ends_with('\n') {
        chart.push('\n');
    }
    chart.push_str(
        "\ndependencies:\n  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
    );
    ws.write("Chart.yaml", chart.into_bytes())?;
    ws.create_file("charts/common/Chart.yaml", LAB4_COMMON_CHART.as_bytes())?;
    ws.create_file(
        "charts/common/templates/_names.tpl",
        LAB4_COMMON_HELPERS.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_builds_with_all_its_edits() {
        for e in EXAMPLES {
            let doc = try_build(e.id).unwrap_or_else(|err| panic!("{}: {err}", e.key));
            assert!(doc.workspace.is_file(e.id.first_file()), "{}", e.key);
            assert_eq!(ExampleId::from_key(e.key), Some(e.id));
            assert_eq!(ExampleId::from_code(e.id.code()), Some(e.id));
            assert_eq!(doc.release.name, RELEASE_NAME);
        }
    }

    #[test]
    fn the_scaffold_is_helm_create() {
        let doc = build(ExampleId::Scaffold);
        let want = create::create("myapi").expect("create");
        assert_eq!(doc.workspace.to_file_map(), want);
        assert_eq!(doc.workspace.empty_dirs(), vec!["charts"]);
    }

    #[test]
    fn stages_build_on_each_other() {
        let api = build(ExampleId::Api);
        let values = api.workspace.text("values.yaml").expect("values");
        assert!(values.contains("containerPort: 8080\n"));
        assert!(values.contains("command: [\"uvicorn\"]\n"));
        let secret = build(ExampleId::Secret);
        let dep = secret
            .workspace
            .text("templates/deployment.yaml")
            .expect("deployment");
        assert!(dep.contains("secretKeyRef"));
        assert!(dep.contains("mountPath: /app\n"));
        let checksum = build(ExampleId::Checksum);
        let dep = checksum
            .workspace
            .text("templates/deployment.yaml")
            .expect("deployment");
        assert!(dep.contains("checksum/secret"));
        let lab4 = build(ExampleId::Dependency);
        assert!(lab4
            .workspace
            .text("Chart.yaml")
            .expect("Chart.yaml")
            .ends_with("repository: oci://registry-1.docker.io/bitnamicharts\n"));
        assert!(
            !lab4.workspace.is_dir("charts") || lab4.workspace.is_file("charts/common/Chart.yaml")
        );
    }
}
#[cfg(test)]
mod dump {
    #[test]
    fn dump_examples() {
        let Ok(dir) = std::env::var("DUMP_EXAMPLES") else {
            return;
        };
        for e in super::EXAMPLES {
            let doc = super::build(e.id);
            for (p, d) in doc.workspace.files() {
                let path = std::path::Path::new(&dir).join(e.key).join("myapi").join(p);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, d).unwrap();
            }
        }
    }
}
