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
