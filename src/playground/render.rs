//! Render orchestration: the document rendered the way `helm template NAME CHART -f … --set …`
//! renders it, and the result as the output pane shows it — per-file sections in the order
//! Helm prints them, NOTES, the computed values, warnings, and on failure Helm's message with
//! the file, line and column the editor marks.

/// Where an error points, in the workspace's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMark {
    /// Workspace path of the file (`templates/deployment.yaml`, `charts/sub/values.yaml`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// Go's column: bytes from the start of the line (0-based); 0 when unknown.
    pub col: usize,
    /// Byte range in the file, when known.
    pub span: Option<(usize, usize)>,
    /// What to show at the mark (Helm's message, or the part of it that concerns this place).
    pub message: String,
}

/// One file's part of the `helm template` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The `# Source:` path (`myapi/templates/service.yaml`).
    pub source: String,
    /// The workspace file it came from, when it is one.
    pub path: Option<String>,
    /// The document(s) as printed after the `# Source:` line.
    pub text: String,
}

/// A successful render.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderOutput {
    /// Everything `helm template` prints.
    pub text: String,
    pub sections: Vec<Section>,
    /// The rendered NOTES.txt (empty when the chart has none).
    pub notes: String,
    /// The computed values as YAML.
    pub values: String,
    /// Helm's warnings (values coalescing, …) and ChartLab's (a document that is not valid
    /// YAML, …).
    pub warnings: Vec<String>,
}

/// A failed render.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderFailure {
    /// The text after Helm's `Error: `.
    pub message: String,
    /// Places to mark, innermost first.
    pub marks: Vec<ErrorMark>,
    /// What `helm template --debug` would still print (a YAML error leaves the files rendered).
    pub sections: Vec<Section>,
}

/// A finished render, for the state.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderReport {
    /// The document revision rendered.
    pub doc_rev: u64,
    /// Wall time of the render in milliseconds, as the caller measured it.
    pub elapsed_ms: f64,
    pub result: Result<RenderOutput, RenderFailure>,
}

impl RenderReport {
    #[cfg(test)]
    pub(crate) fn for_test(doc_rev: u64) -> RenderReport {
        RenderReport {
            doc_rev,
            elapsed_ms: 0.0,
            result: Ok(RenderOutput::default()),
        }
    }
}

use crate::chart::objects::KubeVersion;
use crate::chart::{self, ReleaseOptions, RenderOptions};
use crate::engine::{Env, Error, ErrorKind, Limits, Map};
use crate::release;
use crate::release::render::{ResourceOptions, TemplateOptions};

use super::document::{Document, SetKind};
use crate::chart::ValueOptions;

/// Nested executions allowed in the browser. Wasm calls run on the JS engine's own stack
/// (about 1 MB in V8, whatever the wasm stack size), and one nested `include` costs about 1.5-2
/// KB of it: 400 levels ran in Chromium, 700 did not. Helm allows 1000 nested includes of one
/// template; ChartLab stops at this many nested executions of any kind (COMPATIBILITY.md).
pub const BROWSER_MAX_NESTING: usize = 300;

/// The bounds a render runs under in the browser: a runaway template (endless recursion, a huge
/// `until`) ends with an error within about a second instead of freezing the tab, and template
/// recursion stops before it can exhaust the wasm stack (see .cargo/config.toml's stack size).
pub fn browser_limits() -> Limits {
    Limits {
        max_template_depth: 100_000,
        max_steps: 5_000_000,
        max_output: 32 << 20,
        max_nesting: BROWSER_MAX_NESTING,
    }
}

/// The file name the `-f` override is given under in messages.
pub const OVERRIDES_FILE: &str = "overrides.yaml";

/// Renders the document as `helm template --debug` would (pkg/cmd/template.go over a
/// client-side install): the release name checked, the chart's `kubeVersion` constraint, the
/// templates rendered, NOTES pulled out, documents sorted by kind with hooks last, each printed
/// under its `# Source:` line. On a failure the message is Helm's (without the `--debug` hint:
/// what was rendered is shown, as `--debug` prints it).
pub fn render_document(doc: &Document, env: &Env) -> Result<RenderOutput, RenderFailure> {
    doc.check_limits().map_err(plain)?;
    let r = &doc.release;
    if let Err(e) = release::render::validate_release_name(&r.name) {
        return Err(plain(format!(
            "release name check failed: release name {}: {e}",
            crate::engine::printf::quote(&r.name)
        )));
    }
    let files = doc.workspace.to_file_map();
    let chart = chart::load_files(&files).map_err(load_failure)?;
    let user = user_values(doc)?;
    let opts = render_options(doc)?;
    let constraint = &chart.metadata.kube_version;
    let kube = &opts.capabilities.kube_version.version;
    if !constraint.is_empty() && !release::install::is_compatible_range(constraint, kube) {
        return Err(plain(format!(
            "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube}"
        )));
    }
    let mut warnings = Vec::new();
    let computed = chart::values::coalesce_values(&chart, &user, &mut warnings).map_err(plain)?;
    let rendered = chart::render(&chart, &user, &opts, env).map_err(|e| render_failure(&e))?;
    warnings.extend(rendered.warnings.iter().cloned());
    let resources = release::render::resources_from_files(
        chart.name(),
        &release::render::crd_objects(&chart),
        rendered.files,
        &ResourceOptions::default(),
    )
    .map_err(|f| RenderFailure {
        message: f.message,
        marks: Vec::new(),
        sections: split_sections(&f.manifest),
    })?;
    let text =
        release::render::template_text(&resources, &TemplateOptions::default()).map_err(plain)?;
    let values = crate::yaml::to_yaml(&crate::engine::Value::Map(computed)).unwrap_or_default();
    Ok(RenderOutput {
        sections: split_sections(&text),
        text,
        notes: resources.notes,
        values,
        warnings,
    })
}

/// Splits `helm template` text into its `---\n# Source: PATH\n` sections; printing each as
/// `---\n# Source: {source}\n{text}\n` gives the text back.
pub fn split_sections(text: &str) -> Vec<Section> {
    const HEAD: &str = "---\n# Source: ";
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find(HEAD) {
        let pos = at + i;
        if pos == 0 || text.as_bytes()[pos - 1] == b'\n' {
            starts.push(pos);
        }
        at = pos + HEAD.len();
    }
    let mut out = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        let block = &text[start + HEAD.len()..end];
        let (source, body) = block.split_once('\n').unwrap_or((block, ""));
        let body = body.strip_suffix('\n').unwrap_or(body);
        out.push(Section {
            source: source.to_string(),
            path: workspace_path(source),
            text: body.to_string(),
        });
    }
    out
}

fn plain(message: String) -> RenderFailure {
    RenderFailure {
        message,
        ..RenderFailure::default()
    }
}

/// The user's values as Helm's CLI gathers them: the `-f` override, then the `--set` family in
/// Helm's fixed order (pkg/cli/values), with Helm's error texts.
fn user_values(doc: &Document) -> Result<Map, RenderFailure> {
    let o = &doc.overrides;
    let mut flags = ValueOptions::default();
    if !o.values.trim().is_empty() {
        flags.value_files.push(OVERRIDES_FILE.into());
    }
    for e in &o.set {
        let list = match e.kind {
            SetKind::Set => &mut flags.values,
            SetKind::SetString => &mut flags.string_values,
            SetKind::SetJson => &mut flags.json_values,
            SetKind::SetLiteral => &mut flags.literal_values,
        };
        list.push(e.expr.clone());
    }
    let mut read = |path: &str| -> Result<Vec<u8>, String> {
        if path == OVERRIDES_FILE {
            Ok(o.values.as_bytes().to_vec())
        } else {
            Err(format!("open {path}: no such file or directory"))
        }
    };
    flags.merge_values(&mut read).map_err(|message| {
        // a YAML error in the override: mark its line
        let marks = if message.starts_with(&format!("failed to parse {OVERRIDES_FILE}")) {
            crate::yaml::parse_values(&o.values)
                .err()
                .and_then(|e| {
                    e.line.map(|line| ErrorMark {
                        path: OVERRIDES_FILE.into(),
                        line,
                        col: e.column.map_or(0, |c| c.saturating_sub(1)),
                        span: None,
                        message: e.message.clone(),
                    })
                })
                .into_iter()
                .collect()
        } else {
            Vec::new()
        };
        RenderFailure {
            message,
            marks,
            sections: Vec::new(),
        }
    })
}

fn render_options(doc: &Document) -> Result<RenderOptions, RenderFailure> {
    let r = &doc.release;
    let kube = if r.kube_version.is_empty() {
        None
    } else {
        Some(
            KubeVersion::parse(&r.kube_version)
                .map_err(|e| plain(format!("invalid kube version '{}': {e}", r.kube_version)))?,
        )
    };
    let caps = release::install::client_capabilities(&kube, &r.api_versions);
    Ok(RenderOptions {
        release: ReleaseOptions {
            name: r.name.clone(),
            namespace: r.namespace.clone(),
            revision: r.revision,
            is_install: !r.is_upgrade,
            is_upgrade: r.is_upgrade,
        },
        capabilities: caps,
        ..RenderOptions::default()
    })
}

/// `yaml: line N:` in a YAML error.
fn yaml_line(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    let digits: String = message[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A chart that does not load: Helm's message, and the file it names when it says a line.
fn load_failure(message: String) -> RenderFailure {
    let file = [
        "Chart.yaml",
        "values.yaml",
        "Chart.lock",
        "requirements.yaml",
    ]
    .into_iter()
    .find(|f| message.contains(&format!("cannot load {f}")));
    let marks = match (file, yaml_line(&message)) {
        (Some(f), Some(line)) => vec![ErrorMark {
            path: f.to_string(),
            line,
            col: 0,
            span: None,
            message: message.clone(),
        }],
        _ => Vec::new(),
    };
    RenderFailure {
        message,
        marks,
        sections: Vec::new(),
    }
}

/// `myapi/templates/a.yaml` → `templates/a.yaml`; `myapi/charts/sub/templates/b.yaml` →
/// `charts/sub/templates/b.yaml` (the workspace holds the root chart's folder).
pub fn workspace_path(template_name: &str) -> Option<String> {
    template_name
        .split_once('/')
        .map(|(_, rest)| rest.to_string())
        .filter(|p| !p.is_empty())
}

fn render_failure(e: &chart::RenderError) -> RenderFailure {
    let mut marks = Vec::new();
    if let Some(src) = &e.source {
        let mut chain: Vec<&Error> = Vec::new();
        let mut at = Some(src);
        while let Some(err) = at {
            chain.push(err);
            at = err.cause.as_deref();
        }
        for err in chain.into_iter().rev() {
            if err.kind == ErrorKind::Plain || err.location.line == 0 {
                continue;
            }
            let Some(path) = workspace_path(&err.location.name) else {
                continue;
            };
            let (a, b) = err.location.span;
            marks.push(ErrorMark {
                path,
                line: err.location.line,
                col: err.location.col,
                span: (b > a).then_some((a, b)),
                message: err.message.clone(),
            });
        }
    }
    RenderFailure {
        message: e.message.clone(),
        marks,
        sections: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::examples::{self, ExampleId, EXAMPLES};
    use crate::playground::workspace::Workspace;
    use std::collections::BTreeMap;

    fn read_json(path: &str) -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every rendered file of `out` (NOTES included), keyed as Helm's engine keys them, as
    /// `helm template` prints them (each document without its trailing blank lines).
    fn files_of(out: &RenderOutput, chart: &str) -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = out
            .sections
            .iter()
            .map(|s| (s.source.clone(), s.text.trim_end().to_string()))
            .collect();
        if !out.notes.is_empty() {
            m.insert(
                format!("{chart}/templates/NOTES.txt"),
                out.notes.trim_end().to_string(),
            );
        }
        m
    }

    /// Lines that differ on every render (random passcode, its checksum).
    fn stable(text: &str) -> String {
        text.lines()
            .filter(|l| !l.contains("passcode:") && !l.contains("checksum/secret"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_scaffold_renders_as_helm_does() {
        // ../shared/conformance/cases/scaffold-default: `helm create mychart`, release `rel` in
        // namespace `testns`, rendered by Helm v4.2.3.
        let case = "../shared/conformance/cases/scaffold-default";
        let mut doc = Document {
            workspace: Workspace::from_parts(
                crate::chart::create::create("mychart").expect("create"),
                [],
            )
            .expect("workspace"),
            ..Document::default()
        };
        doc.release.name = "rel".into();
        doc.release.namespace = "testns".into();
        let out = render_document(&doc, &Env::default()).expect("renders");
        let want = read_json(&format!("{case}/expected.json"));
        let got = files_of(&out, "mychart");
        for (k, v) in &want {
            if v.trim().is_empty() {
                continue; // empty documents are not printed
            }
            assert_eq!(got.get(k).map(String::as_str), Some(v.trim_end()), "{k}");
        }
        assert_eq!(
            got.len(),
            want.values().filter(|v| !v.trim().is_empty()).count()
        );
    }

    #[test]
    fn every_example_renders_as_helm_does() {
        // tests/data/examples/KEY.json: each example rendered by Helm v4.2.3
        // (oracle_cmd.py --name myapi-release); random values compared by shape only.
        for e in EXAMPLES {
            let doc = examples::build(e.id);
            let out = render_document(&doc, &Env::default())
                .unwrap_or_else(|f| panic!("{}: {}", e.key, f.message));
            let want = read_json(&format!("tests/data/examples/{}.json", e.key));
            let got = files_of(&out, "myapi");
            for (k, v) in &want {
                if v.trim().is_empty() {
                    assert!(!got.contains_key(k), "{}: {k} is empty", e.key);
                    continue;
                }
                let g = got.get(k).unwrap_or_else(|| panic!("{}: no {k}", e.key));
                assert_eq!(stable(g), stable(v), "{}: {k}", e.key);
            }
        }
    }

    #[test]
    fn the_output_is_helm_templates_text() {
        // tests/data/template/scaffold__default.txt: `helm template` of `helm create myapi`
        // printed by Helm v4.2.3 (the release layer's goldens)
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.release.name = "release-name".into();
        let out = render_document(&doc, &Env::default()).expect("renders");
        let want = std::fs::read_to_string("tests/data/template/scaffold__default.txt")
            .expect("the golden");
        assert_eq!(out.text, want);
    }

    #[test]
    fn sections_print_back_to_helms_text_in_install_order() {
        let doc = examples::build(ExampleId::Api);
        let out = render_document(&doc, &Env::default()).expect("renders");
        let printed: String = out
            .sections
            .iter()
            .map(|s| format!("---\n# Source: {}\n{}\n", s.source, s.text))
            .collect();
        assert_eq!(printed, out.text);
        let order: Vec<&str> = out.sections.iter().map(|s| s.source.as_str()).collect();
        // helm template: ServiceAccount, ConfigMap, Service, Deployment, then the test hook
        assert_eq!(
            order,
            vec![
                "myapi/templates/serviceaccount.yaml",
                "myapi/templates/configmap.yaml",
                "myapi/templates/service.yaml",
                "myapi/templates/deployment.yaml",
                "myapi/templates/tests/test-connection.yaml",
            ]
        );
        assert_eq!(
            out.sections[1].path.as_deref(),
            Some("templates/configmap.yaml")
        );
    }

    #[test]
    fn helm_template_checks_come_first() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.release.name = "Not_Valid".into();
        let f = render_document(&doc, &Env::default()).expect_err("bad name");
        assert!(
            f.message.starts_with(
                "release name check failed: release name \"Not_Valid\": invalid release name"
            ),
            "{}",
            f.message
        );
        doc.release.name = "ok".into();
        doc.release.kube_version = "banana".into();
        let f = render_document(&doc, &Env::default()).expect_err("bad version");
        assert!(
            f.message.starts_with("invalid kube version 'banana': "),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_yaml_error_in_the_output_keeps_what_was_rendered() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.workspace
            .write("templates/bad.yaml", &b"kind: ConfigMap\nmetadata: [\n"[..])
            .expect("write");
        let f = render_document(&doc, &Env::default()).expect_err("YAML error");
        assert!(
            f.message
                .starts_with("YAML parse error on myapi/templates/bad.yaml"),
            "{}",
            f.message
        );
        assert!(f
            .sections
            .iter()
            .any(|s| s.source == "myapi/templates/bad.yaml"));
    }

    #[test]
    fn computed_values_and_notes() {
        let doc = examples::build(ExampleId::Scaffold);
        let out = render_document(&doc, &Env::default()).expect("renders");
        assert!(out.notes.starts_with("1. Get the application URL"));
        assert!(out.values.contains("replicaCount: 1\n"), "{}", out.values);
        assert!(out.text.starts_with("---\n# Source: myapi/templates/"));
    }

    #[test]
    fn a_template_error_points_at_its_line() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.workspace
            .write(
                "templates/service.yaml",
                &b"kind: Service\nmetadata:\n  name: {{ .Values.x | nope }}\n"[..],
            )
            .expect("write");
        let f = render_document(&doc, &Env::default()).expect_err("fails");
        assert!(
            f.message.contains("function \"nope\" not defined"),
            "{}",
            f.message
        );
        assert_eq!(f.marks.len(), 1, "{:?}", f.marks);
        assert_eq!(f.marks[0].path, "templates/service.yaml");
        assert_eq!(f.marks[0].line, 3);
    }

    #[test]
    fn an_error_in_a_helper_marks_the_helper() {
        let mut doc = examples::build(ExampleId::Scaffold);
        let helpers = doc
            .workspace
            .text("templates/_helpers.tpl")
            .expect("helpers")
            .replace(
                "{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix \"-\" }}",
                "{{- default .Chart.Name .Values.nameOverride | trunc \"x\" }}",
            );
        doc.workspace
            .write("templates/_helpers.tpl", helpers.into_bytes())
            .expect("write");
        let f = render_document(&doc, &Env::default()).expect_err("fails");
        let paths: Vec<&str> = f.marks.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths.first(),
            Some(&"templates/_helpers.tpl"),
            "{:?}",
            f.marks
        );
    }

    #[test]
    fn values_errors_point_at_their_file() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.workspace
            .write("values.yaml", &b"a: 1\nb: [\n"[..])
            .expect("write");
        let f = render_document(&doc, &Env::default()).expect_err("fails");
        assert!(f.message.contains("values.yaml"), "{}", f.message);
        doc = examples::build(ExampleId::Scaffold);
        doc.overrides.values = "replicaCount: 2\n  bad: indent\n".into();
        let f = render_document(&doc, &Env::default()).expect_err("fails");
        assert!(
            f.message.starts_with("failed to parse overrides.yaml"),
            "{}",
            f.message
        );
        assert_eq!(
            f.marks.first().map(|m| m.path.as_str()),
            Some(OVERRIDES_FILE)
        );
    }

    #[test]
    fn overrides_change_the_output() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.overrides.values = "replicaCount: 5\n".into();
        let out = render_document(&doc, &Env::default()).expect("renders");
        assert!(out.text.contains("replicas: 5\n"));
        assert!(out.values.contains("replicaCount: 5\n"));
        // --set wins over -f whatever the order given; --set-string keeps "6" a string
        doc.overrides.set = vec![
            crate::playground::SetEntry {
                kind: SetKind::SetString,
                expr: "image.tag=6".into(),
            },
            crate::playground::SetEntry {
                kind: SetKind::Set,
                expr: "replicaCount=7".into(),
            },
        ];
        let out = render_document(&doc, &Env::default()).expect("renders");
        assert!(out.text.contains("replicas: 7\n"), "{}", out.text);
        assert!(out.text.contains("image: \"nginx:6\""), "{}", out.text);
        doc.overrides.set = vec![crate::playground::SetEntry {
            kind: SetKind::Set,
            expr: "a.b".into(),
        }];
        let f = render_document(&doc, &Env::default()).expect_err("bad --set");
        assert!(
            f.message.starts_with("failed parsing --set data: "),
            "{}",
            f.message
        );
    }

    #[test]
    fn runaway_templates_stop_within_the_browser_limits() {
        // Debug builds use far more stack per level than the wasm release build; give the
        // thread room for BROWSER_MAX_NESTING levels of it.
        let run = || {
            let env = Env {
                limits: browser_limits(),
                ..Env::default()
            };
            let cases = [
                (
                    "{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}",
                    "evaluation steps",
                ),
                (
                    "{{ range until 1000000 }}{{ range until 1000000 }}xxxxxxxxxxxxxxxx{{ end }}{{ end }}",
                    "ChartLab stopped rendering here",
                ),
                (
                    "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}",
                    "exceeded maximum template nesting",
                ),
                (
                    "{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}",
                    "exceeded maximum template depth",
                ),
                (
                    "{{ define \"a\" }}{{ template \"b\" . }}{{ end }}{{ define \"b\" }}{{ include \"c\" . }}{{ end }}{{ define \"c\" }}{{ template \"a\" . }}{{ end }}{{ template \"a\" . }}",
                    "exceeded maximum template",
                ),
            ];
            for (body, says) in cases {
                let mut doc = examples::build(ExampleId::Scaffold);
                doc.workspace
                    .write("templates/runaway.yaml", body.as_bytes().to_vec())
                    .expect("write");
                let f = render_document(&doc, &env).expect_err("stops");
                assert!(f.message.contains(says), "{body}: {}", f.message);
            }
        };
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn(run)
            .expect("thread")
            .join()
            .expect("no panic");
    }
}
