//! Helm's rendering glue (pkg/engine/engine.go): every template of a chart and its subcharts in
//! one template set named "gotpl", values scoped per chart, `.Template` per file, `<no value>`
//! removed, and errors reworded the way Helm rewords Go's.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::rc::Rc;

use crate::engine::ast::Tree;
use crate::engine::value::types;
use crate::engine::{Env, Error, ErrorKind, FuncMap, Map, MissingKey, Str, Templates, Value};

use super::funcs::{LookupFn, RenderHost};
use super::model::Chart;
use super::objects::{Capabilities, Files, VERSION_SET};
use super::values::{self, Warnings};

/// The release a render is for (Helm's ReleaseOptions).
#[derive(Clone, Debug)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
}

impl Default for ReleaseOptions {
    fn default() -> Self {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
        }
    }
}

/// Everything a render needs besides the chart and values.
#[derive(Clone, Default)]
pub struct RenderOptions {
    pub release: ReleaseOptions,
    pub capabilities: Capabilities,
    /// `missingkey=error` instead of Helm's default `zero`.
    pub strict: bool,
    /// helm lint: `required` and `fail` warn instead of failing.
    pub lint_mode: bool,
    pub lookup: Option<LookupFn>,
    /// `--skip-schema-validation`: values.schema.json files are not checked.
    pub skip_schema_validation: bool,
}

/// A render failure in Helm's words, plus where it points for the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderError {
    /// The text Helm prints (`parse error at (…)`, `execution error at (…)`, the multi-line form).
    pub message: String,
    /// The engine error behind it, when it came from a template.
    pub source: Option<Error>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// The result of a successful render.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// `chart/templates/file` → text, for every non-partial template (Helm's engine output).
    pub files: BTreeMap<String, String>,
    /// Warnings from values coalescing and lint mode.
    pub warnings: Warnings,
}

/// A chart prepared for rendering: its templates parsed once into a set (Helm re-parses on every
/// render; parsing once is what makes repeated renders cheap, the output is the same).
pub struct Prepared {
    set: Templates,
    /// (template path, chart full path) in Helm's parse order.
    order: Vec<(String, usize)>,
    /// Per chart (index) the file objects and metadata map.
    scopes: Vec<Scope>,
}

struct Scope {
    chart_map: Map,
    files: Value,
    /// Dotted path of the chart's values below the root values (`sub.subsub`), None for root.
    values_path: Option<String>,
    base_path: String,
    /// Index of the scope's children (for `.Subcharts`).
    children: Vec<(String, usize)>,
}

thread_local! {
    static FUNCS: FuncMap = super::funcs::helm_funcs();
}

/// Helm's function map (built once per thread; cloning shares the functions).
pub fn funcs() -> FuncMap {
    FUNCS.with(|f| f.clone())
}

/// Parsed templates by (name, text): a chart re-rendered after an edit re-parses only the files
/// that changed (Helm parses everything on every render; the trees are the same).
type ParseCache = FxHashMap<(Str, Rc<[u8]>), Result<Rc<[Rc<Tree>]>, Error>>;

const PARSE_CACHE_MAX: usize = 4096;

thread_local! {
    static PARSE_CACHE: RefCell<ParseCache> = RefCell::new(FxHashMap::default());
    /// The empty "gotpl" set with Helm's functions and methods, shared by every render.
    static BASE_SET: Templates = base_set();
}

fn base_set() -> Templates {
    let mut set = Templates::with_shared_funcs("gotpl", Rc::new(super::funcs::helm_funcs()));
    set.add_method(VERSION_SET, "Has", version_set_has());
    for (name, f) in values_methods() {
        set.add_method(types::VALUES, name, f);
    }
    set
}

fn parse_cached(set: &Templates, name: &Str, data: &Rc<[u8]>) -> Result<Rc<[Rc<Tree>]>, Error> {
    let key = (name.clone(), data.clone());
    if let Some(hit) = PARSE_CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let text = String::from_utf8_lossy(data);
    let parsed: Result<Rc<[Rc<Tree>]>, Error> = set.parse_trees(name, &text).map(Rc::from);
    PARSE_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= PARSE_CACHE_MAX {
            c.clear();
        }
        c.insert(key, parsed.clone());
    });
    parsed
}

/// Helm's byPathLen, reversed: deeper paths first; equal depth in reverse lexical order.
fn sort_templates(keys: &mut [String]) {
    keys.sort_stable_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

fn collect(
    chart: &Chart,
    values_path: Option<String>,
    scopes: &mut Vec<Scope>,
    tpls: &mut Vec<(String, Rc<[u8]>, usize)>,
) -> usize {
    let idx = scopes.len();
    let chart_map = chart.metadata.as_map();
    chart_map.insert("IsRoot", Value::Bool(chart.is_root));
    scopes.push(Scope {
        chart_map,
        files: Value::object(Files::new(&chart.files)),
        values_path: values_path.clone(),
        base_path: format!("{}/templates", chart.full_path),
        children: Vec::new(),
    });
    let mut children = Vec::new();
    for dep in &chart.dependencies {
        let path = match &values_path {
            None => dep.name().to_string(),
            Some(p) => format!("{p}.{}", dep.name()),
        };
        let child = collect(dep, Some(path), scopes, tpls);
        children.push((dep.name().to_string(), child));
    }
    scopes[idx].children = children;
    for t in &chart.templates {
        if chart.is_library() && !t.name.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        let key = format!("{}/{}", chart.full_path, t.name);
        tpls.push((key, t.data.clone(), idx));
    }
    idx
}

/// Parses every template of `chart` (and its subcharts) into one set, in Helm's order.
pub fn prepare(chart: &Chart, strict: bool) -> Result<Prepared, RenderError> {
    let mut scopes = Vec::new();
    let mut tpls = Vec::new();
    collect(chart, None, &mut scopes, &mut tpls);
    let mut by_key: BTreeMap<String, (Rc<[u8]>, usize)> = BTreeMap::new();
    for (k, data, idx) in tpls {
        by_key.insert(k, (data, idx));
    }
    let mut keys: Vec<String> = by_key.keys().cloned().collect();
    sort_templates(&mut keys);
    let mut set = BASE_SET.with(Templates::clone);
    set.set_missing_key(if strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    let mut order = Vec::with_capacity(keys.len());
    for k in keys {
        let (data, idx) = &by_key[&k];
        match parse_cached(&set, &Str::from(k.as_str()), data) {
            Ok(trees) => set.add_trees(&trees),
            Err(e) => {
                return Err(RenderError {
                    message: cleanup_parse_error(&k, &e),
                    source: Some(e),
                })
            }
        }
        order.push((k, *idx));
    }
    Ok(Prepared { set, order, scopes })
}

/// Renders `chart` with user-supplied values like `helm template` does: ProcessDependencies
/// (conditions, tags, aliases, import-values), ToRenderValues (coalescing and values.schema.json
/// validation), then every template of the chart and its enabled subcharts.
pub fn render(
    chart: &Chart,
    user_values: &Map,
    opts: &RenderOptions,
    env: &Env,
) -> Result<Rendered, RenderError> {
    let mut chart = chart.clone();
    let mut warnings = process_dependencies(&mut chart, user_values)?;
    let mut out = render_processed(&chart, user_values, opts, env)?;
    warnings.append(&mut out.warnings);
    out.warnings = warnings;
    Ok(out)
}

/// Helm's ProcessDependencies as install/upgrade/template call it: `chart` becomes what Helm
/// keeps (disabled subcharts gone, aliases applied, imported values merged) — what a release
/// stores and where CRDs come from. Returns the warnings Helm logs; the error is worded as the
/// install action words it.
pub fn process_dependencies(chart: &mut Chart, user_values: &Map) -> Result<Warnings, RenderError> {
    let mut warnings = Vec::new();
    super::dependencies::process_dependencies(chart, user_values, &mut warnings).map_err(|e| {
        RenderError {
            message: format!("chart dependencies processing failed: {e}"),
            source: None,
        }
    })?;
    Ok(warnings)
}

/// [`render`] for a chart already through [`process_dependencies`]: values (coalesced and
/// checked against the schemas), then every template.
pub fn render_processed(
    chart: &Chart,
    user_values: &Map,
    opts: &RenderOptions,
    env: &Env,
) -> Result<Rendered, RenderError> {
    let mut warnings = Vec::new();
    let top = render_values(chart, user_values, opts, &mut warnings)?;
    let prepared = prepare(chart, opts.strict)?;
    let mut out = prepared.execute(&top, opts, env)?;
    warnings.append(&mut out.warnings);
    out.warnings = warnings;
    Ok(out)
}

/// Helm's ToRenderValuesWithSchemaValidation: `{Chart, Capabilities, Release, Values}` with the
/// coalesced values, checked against the charts' values.schema.json files unless
/// `opts.skip_schema_validation`.
pub fn render_values(
    chart: &Chart,
    user_values: &Map,
    opts: &RenderOptions,
    warnings: &mut Warnings,
) -> Result<Map, RenderError> {
    let top = Map::typed(types::VALUES, Default::default());
    let chart_map = chart.metadata.as_map();
    top.insert("Chart", Value::Map(chart_map));
    top.insert("Capabilities", Value::object(opts.capabilities.clone()));
    let rel = Map::new();
    let r = &opts.release;
    rel.insert("Name", Value::str(&r.name));
    rel.insert("Namespace", Value::str(&r.namespace));
    rel.insert("IsUpgrade", Value::Bool(r.is_upgrade));
    rel.insert("IsInstall", Value::Bool(r.is_install));
    rel.insert("Revision", Value::Int(r.revision));
    rel.insert("Service", Value::str("Helm"));
    top.insert("Release", Value::Map(rel));
    let plain = |message: String| RenderError {
        message,
        source: None,
    };
    let vals = values::coalesce_values(chart, user_values, warnings).map_err(plain)?;
    if !opts.skip_schema_validation {
        super::schema::validate_against_schema(chart, &vals).map_err(|e| {
            plain(format!(
                "values don't meet the specifications of the schema(s) in the following chart(s):\n{e}"
            ))
        })?;
    }
    top.insert("Values", Value::Map(vals.with_type_shared(types::VALUES)));
    Ok(top)
}

impl Prepared {
    /// Executes every non-partial template with the render values `top` (from `render_values`).
    pub fn execute(
        &self,
        top: &Map,
        opts: &RenderOptions,
        env: &Env,
    ) -> Result<Rendered, RenderError> {
        // The per-chart value scopes (Helm's recAllTpls), root first.
        let root_values = top
            .get("Values")
            .unwrap_or_else(|| Value::Map(Map::typed(types::VALUES, Default::default())));
        let mut nexts: Vec<Map> = Vec::with_capacity(self.scopes.len());
        for s in &self.scopes {
            let next = Map::typed(types::VALUES, Default::default());
            next.insert("Chart", Value::Map(s.chart_map.clone()));
            next.insert("Files", s.files.clone());
            next.insert("Release", top.get("Release").unwrap_or_default());
            next.insert("Capabilities", top.get("Capabilities").unwrap_or_default());
            let vals = match &s.values_path {
                None => root_values.clone(),
                Some(p) => match root_values.as_map().and_then(|m| values::table(m, p)) {
                    Some(m) => Value::Map(m.with_type_shared(types::VALUES)),
                    None => Value::Map(Map::typed(types::VALUES, Default::default())),
                },
            };
            next.insert("Values", vals);
            nexts.push(next);
        }
        for (i, s) in self.scopes.iter().enumerate() {
            let subs = Map::new();
            for (name, child) in &s.children {
                subs.insert(name.as_str(), Value::Map(nexts[*child].clone()));
            }
            nexts[i].insert("Subcharts", Value::Map(subs));
        }
        let mut host = RenderHost::new(opts.strict, opts.lint_mode, opts.lookup.clone());
        let mut files = BTreeMap::new();
        for (name, idx) in &self.order {
            let base = name.rsplit('/').next().unwrap_or(name);
            if base.starts_with('_') {
                continue;
            }
            let vals = &nexts[*idx];
            let tmpl = Map::typed(types::VALUES, Default::default());
            tmpl.insert("Name", Value::str(name));
            tmpl.insert("BasePath", Value::str(&self.scopes[*idx].base_path));
            vals.insert("Template", Value::Map(tmpl));
            match self
                .set
                .execute_with(name, &Value::Map(vals.clone()), env, &mut host)
            {
                Ok(text) => {
                    let text = if text.contains("<no value>") {
                        text.replace("<no value>", "")
                    } else {
                        text
                    };
                    // raw (non-UTF-8) bytes leave the engine as U+FFFD, as in Helm's JSON output
                    let text = match crate::engine::gostr::to_output(&text) {
                        std::borrow::Cow::Borrowed(_) => text,
                        std::borrow::Cow::Owned(t) => t,
                    };
                    files.insert(name.clone(), text);
                }
                Err(e) => {
                    return Err(RenderError {
                        message: reformat_exec_error(name, &e),
                        source: Some(e),
                    })
                }
            }
        }
        Ok(Rendered {
            files,
            warnings: host.warnings,
        })
    }

    /// The template set (for tools that inspect definitions).
    pub fn templates(&self) -> &Templates {
        &self.set
    }
}

fn version_set_has() -> crate::engine::Func {
    crate::engine::Func::new(
        crate::engine::Signature::fixed(&[crate::engine::Ty::String]),
        |_, args| {
            let needle = args.get(1).and_then(Value::as_str).unwrap_or("");
            let has = args
                .first()
                .and_then(Value::as_list)
                .is_some_and(|l| l.iter().any(|v| v.as_str() == Some(needle)));
            Ok(Value::Bool(has))
        },
    )
}

/// Methods of common.Values callable from templates: YAML, Table, AsMap, PathValue.
fn values_methods() -> Vec<(&'static str, crate::engine::Func)> {
    use crate::engine::{Func, Signature, Ty};
    vec![
        (
            "YAML",
            Func::new(Signature::fixed(&[]), |_, args| {
                let v = args.first().cloned().unwrap_or_default();
                crate::yaml::to_yaml(&v)
                    .map(Value::string)
                    .map_err(|e| e.to_string())
            }),
        ),
        (
            "AsMap",
            Func::new(Signature::fixed(&[]), |_, args| match args.first() {
                Some(Value::Map(m)) if m.is_empty() => Ok(Value::Map(Map::new())),
                Some(Value::Map(m)) => Ok(Value::Map(m.with_type_shared(types::MAP))),
                _ => Ok(Value::Map(Map::new())),
            }),
        ),
        (
            "Table",
            Func::new(Signature::fixed(&[Ty::String]), |_, args| {
                let name = args.get(1).and_then(Value::as_str).unwrap_or("");
                let m = args
                    .first()
                    .and_then(Value::as_map)
                    .cloned()
                    .unwrap_or_default();
                values::table_lookup(&m, name)
                    .map(|t| Value::Map(t.with_type_shared(types::VALUES)))
            }),
        ),
        (
            "PathValue",
            Func::new(Signature::fixed(&[Ty::String]), |_, args| {
                let path = args.get(1).and_then(Value::as_str).unwrap_or("");
                let m = args
                    .first()
                    .and_then(Value::as_map)
                    .cloned()
                    .unwrap_or_default();
                path_value(&m, path)
            }),
        ),
    ]
}

/// common.Values.PathValue.
fn path_value(m: &Map, path: &str) -> Result<Value, String> {
    values::path_value(m, path)
}

/// Helm's cleanupParseError: `parse error at (file:line): message`.
pub fn cleanup_parse_error(filename: &str, e: &Error) -> String {
    let text = e.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {text}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// The chain of error texts Go's errors.Unwrap walks for a template error.
fn error_chain(e: &Error, out: &mut Vec<String>) {
    let text = e.to_string();
    match e.kind {
        ErrorKind::Exec => {
            out.push(text.clone());
            out.push(text);
            if let Some(f) = &e.func {
                let prefix = format!("error calling {f}: ");
                let msg = e
                    .message
                    .strip_prefix(&prefix)
                    .unwrap_or(&e.message)
                    .to_string();
                match &e.cause {
                    Some(c) if c.to_string() == msg => error_chain(c, out),
                    Some(c) => {
                        out.push(msg);
                        error_chain(c, out);
                    }
                    None => out.push(msg),
                }
            }
        }
        ErrorKind::Parse | ErrorKind::Plain => out.push(text),
    }
}

#[derive(PartialEq)]
struct Traceable {
    location: String,
    message: String,
    executed: String,
}

impl Traceable {
    fn render(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed.is_empty() {
            out.push_str(&self.executed);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

fn cut_template_suffix(msg: &str) -> String {
    match msg.find(" template:") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Helm's parseTemplateExecErrorString.
fn parse_traceable(s: &str) -> Option<Traceable> {
    let rem = s.strip_prefix("template: ")?;
    if rem.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed: String::new(),
        });
    }
    if let Some((name, after)) = rem.split_once(": executing ") {
        if let Some(rest) = after.strip_prefix('"') {
            if let Some(end) = rest.find('"') {
                let func = &rest[..end];
                let after_func = &rest[end + 1..];
                if let Some(after_at) = after_func.strip_prefix(" at <") {
                    if let Some((loc, msg)) = after_at.split_once(">: ") {
                        return Some(Traceable {
                            location: name.to_string(),
                            message: cut_template_suffix(msg),
                            executed: format!("executing \"{func}\" at <{loc}>:"),
                        });
                    }
                }
            }
        }
        return None;
    }
    let sep = rem.rfind(": ")?;
    Some(Traceable {
        location: rem[..sep].to_string(),
        message: cut_template_suffix(&rem[sep + 2..]),
        executed: String::new(),
    })
}

/// Helm's reformatExecErrorMsg.
pub fn reformat_exec_error(filename: &str, e: &Error) -> String {
    let text = e.to_string();
    if e.kind != ErrorKind::Exec {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find("HELM_ERR_START") {
        let body = &tokens[2][start + "HELM_ERR_START".len()..];
        if let Some(end) = body.rfind("HELM_ERR_END") {
            return format!("execution error at ({location}): {}", &body[..end]);
        }
    }
    let mut chain = Vec::new();
    error_chain(e, &mut chain);
    let mut locations: Vec<Traceable> = Vec::new();
    for s in &chain {
        match parse_traceable(s) {
            Some(t) => {
                if locations.last() != Some(&t) {
                    locations.push(t);
                }
            }
            None => return text,
        }
    }
    let mut out = String::new();
    for l in &locations {
        l.render(&mut out);
    }
    out.trim().to_string()
}

/// Keeps an `Rc` alive for shared file data (helper for callers building charts in memory).
pub fn shared(data: &[u8]) -> Rc<[u8]> {
    Rc::from(data)
}
