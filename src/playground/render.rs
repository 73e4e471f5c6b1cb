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

use crate::chart::objects::{Capabilities, KubeVersion};
use crate::chart::{self, ReleaseOptions, RenderOptions};
use crate::engine::{Env, Error, ErrorKind, Limits, Map};

use super::document::Document;

/// The bounds a render runs under in the browser: a runaway template (endless recursion, a huge
/// `until`) ends with an error within about a second instead of freezing the tab, and template
/// recursion stops before it can exhaust the wasm stack (see .cargo/config.toml's stack size).
pub fn browser_limits() -> Limits {
    Limits {
        max_template_depth: 100_000,
        max_steps: 5_000_000,
        max_output: 32 << 20,
    }
}

/// The file name the `-f` override is given under in messages.
pub const OVERRIDES_FILE: &str = "overrides.yaml";

/// Renders the document as `helm template` would.
pub fn render_document(doc: &Document, env: &Env) -> Result<RenderOutput, RenderFailure> {
    doc.check_limits().map_err(plain)?;
    let files = doc.workspace.to_file_map();
    let chart = chart::load_files(&files).map_err(load_failure)?;
    let user = user_values(doc)?;
    let opts = render_options(doc)?;
    let mut warnings = Vec::new();
    let computed = chart::values::coalesce_values(&chart, &user, &mut warnings);
    let rendered = chart::render(&chart, &user, &opts, env).map_err(|e| render_failure(&e))?;
    warnings.extend(rendered.warnings.iter().cloned());
    let root = format!("{}/", chart.name());
    let notes_key = format!("{root}templates/NOTES.txt");
    let mut sections = Vec::new();
    let mut text = String::new();
    let mut notes = String::new();
    for (source, body) in &rendered.files {
        if source.ends_with("NOTES.txt") {
            if *source == notes_key {
                notes = body.clone();
            }
            continue;
        }
        if body.trim().is_empty() {
            continue;
        }
        text.push_str(&format!("---\n# Source: {source}\n{body}\n"));
        sections.push(Section {
            source: source.clone(),
            path: workspace_path(source),
            text: body.clone(),
        });
    }
    let values = crate::yaml::to_yaml(&crate::engine::Value::Map(computed)).unwrap_or_default();
    Ok(RenderOutput {
        text,
        sections,
        notes,
        values,
        warnings,
    })
}

fn plain(message: String) -> RenderFailure {
    RenderFailure {
        message,
        ..RenderFailure::default()
    }
}

/// The user's values: the `-f` override, then the `--set` family.
fn user_values(doc: &Document) -> Result<Map, RenderFailure> {
    let o = &doc.overrides;
    if o.values.trim().is_empty() {
        return Ok(Map::new());
    }
    crate::yaml::parse_values(&o.values).map_err(|e| {
        let message = format!("failed to parse {OVERRIDES_FILE}: {e}");
        RenderFailure {
            marks: yaml_line(&e)
                .map(|line| ErrorMark {
                    path: OVERRIDES_FILE.into(),
                    line,
                    col: 0,
                    span: None,
                    message: message.clone(),
                })
                .into_iter()
                .collect(),
            message,
            sections: Vec::new(),
        }
    })
}

fn render_options(doc: &Document) -> Result<RenderOptions, RenderFailure> {
    let r = &doc.release;
    let mut caps = Capabilities::default();
    if !r.kube_version.is_empty() {
        caps.kube_version = KubeVersion::parse(&r.kube_version)
            .map_err(|e| plain(format!("invalid kube version {:?}: {e}", r.kube_version)))?;
    }
    caps.api_versions.extend(r.api_versions.iter().cloned());
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
