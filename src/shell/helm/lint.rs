//! `helm lint` (pkg/cmd/lint.go, pkg/action/lint.go, pkg/chart/v2/lint): the Chart.yaml,
//! values.yaml, templates, dependencies rules with Helm's messages and severities, and the
//! `==> Linting …` report. Checked against Helm v4.2.3's lint through its Go SDK.

use super::load::read_tree;
use super::{Helm, HelmError, R};
use crate::chart::Chart;
use crate::engine::{Map, Value};
use crate::shell::flags;
use crate::shell::fs;
use crate::shell::io::Ctx;

const INFO: u8 = 1;
const WARNING: u8 = 2;
const ERROR: u8 = 3;

struct Message {
    severity: u8,
    path: String,
    err: String,
}

impl Message {
    fn text(&self) -> String {
        let sev = ["UNKNOWN", "INFO", "WARNING", "ERROR"][self.severity as usize];
        format!("[{sev}] {}: {}", self.path, self.err)
    }
}

#[derive(Default)]
struct Linter {
    messages: Vec<Message>,
}

impl Linter {
    fn rule(&mut self, severity: u8, path: &str, err: Option<String>) -> bool {
        match err {
            Some(e) => {
                self.messages.push(Message {
                    severity,
                    path: path.to_string(),
                    err: e,
                });
                false
            }
            None => true,
        }
    }
}

/// govalidator's `IsRequestURL`: an absolute URL with a scheme.
fn is_request_url(s: &str) -> bool {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !s.contains(' ')
        }
        None => false,
    }
}

/// govalidator's `IsEmail` (the common shape).
fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The Chart.yaml rules (`rules.Chartfile`).
fn chartfile(l: &mut Linter, files: &crate::chart::FileMap) {
    let name = "Chart.yaml";
    let Some(data) = files.get(name) else {
        l.rule(
            ERROR,
            name,
            Some("unable to parse YAML\n\topen Chart.yaml: no such file or directory".into()),
        );
        return;
    };
    let text = String::from_utf8_lossy(data).into_owned();
    let md = match crate::chart::chartfile::parse_metadata(&text) {
        Ok(m) => m,
        Err(e) => {
            l.rule(ERROR, name, Some(format!("unable to parse YAML\n\t{e}")));
            return;
        }
    };
    // the raw map, for the type checks
    let raw = crate::yaml::parse(&text).ok();
    let type_of = |key: &str| -> Option<&'static str> {
        match raw.as_ref() {
            Some(Value::Map(m)) => match m.get(key) {
                None | Some(Value::String(_)) => None,
                Some(Value::Float(_)) => Some("float64"),
                Some(Value::Bool(_)) => Some("bool"),
                Some(Value::List(_)) => Some("[]interface {}"),
                Some(Value::Map(_)) => Some("map[string]interface {}"),
                Some(Value::Nil) => Some("<nil>"),
                Some(_) => Some("int"),
            },
            _ => None,
        }
    };
    let n = &md.name;
    let name_err = if n.is_empty() {
        Some("name is required".to_string())
    } else if fs::base_name(n) != n || n.contains('/') {
        Some(format!(
            "chart name {} is invalid",
            crate::kube::gofmt::quote(n)
        ))
    } else {
        None
    };
    l.rule(ERROR, name, name_err);
    let api = &md.api_version;
    l.rule(
        ERROR,
        name,
        if api.is_empty() {
            Some("apiVersion is required. The value must be either \"v1\" or \"v2\"".into())
        } else if api != "v1" && api != "v2" {
            Some(format!(
                "apiVersion '{api}' is not valid. The value must be either \"v1\" or \"v2\""
            ))
        } else {
            None
        },
    );
    l.rule(
        ERROR,
        name,
        type_of("version")
            .map(|t| format!("version should be of type string but it's of type {t}")),
    );
    let v = &md.version;
    let version_err = if v.is_empty() {
        Some("version is required".to_string())
    } else {
        match crate::sprig::semver::Version::parse(v) {
            Err(_) => Some(format!("version '{v}' is not a valid SemVer")),
            Ok(ver) => match crate::sprig::semver::Constraints::parse(">0.0.0-0") {
                Ok(c) => {
                    let (ok, msgs) = c.validate(&ver);
                    if !ok && !msgs.is_empty() {
                        Some(format!("version {}", msgs[0]))
                    } else {
                        None
                    }
                }
                Err(e) => Some(e),
            },
        }
    };
    l.rule(ERROR, name, version_err);
    l.rule(
        ERROR,
        name,
        type_of("appVersion")
            .map(|t| format!("appVersion should be of type string but it's of type {t}")),
    );
    let mut maint_err = None;
    for m in &md.maintainers {
        if m.name.is_empty() {
            maint_err = Some("each maintainer requires a name".to_string());
            break;
        } else if !m.email.is_empty() && !is_email(&m.email) {
            maint_err = Some(format!(
                "invalid email '{}' for maintainer '{}'",
                m.email, m.name
            ));
            break;
        } else if !m.url.is_empty() && !is_request_url(&m.url) {
            maint_err = Some(format!(
                "invalid url '{}' for maintainer '{}'",
                m.url, m.name
            ));
            break;
        }
    }
    l.rule(ERROR, name, maint_err);
    let src_err = md
        .sources
        .iter()
        .find(|s| s.is_empty() || !is_request_url(s))
        .map(|s| format!("invalid source URL '{s}'"));
    l.rule(ERROR, name, src_err);
    l.rule(
        INFO,
        name,
        md.icon
            .is_empty()
            .then(|| "icon is recommended".to_string()),
    );
    l.rule(
        ERROR,
        name,
        (!md.icon.is_empty() && !is_request_url(&md.icon))
            .then(|| format!("invalid icon URL '{}'", md.icon)),
    );
    l.rule(
        ERROR,
        name,
        (!md.type_.is_empty() && api != "v2").then(|| {
            format!("chart type is not valid in apiVersion '{api}'. It is valid in apiVersion 'v2'")
        }),
    );
    l.rule(
        ERROR,
        name,
        (md.dependencies.as_ref().is_some_and(|d| !d.is_empty()) && api != "v2").then(|| {
            format!("dependencies are not valid in the Chart file with apiVersion '{api}'. They are valid in apiVersion 'v2'")
        }),
    );
    l.rule(
        WARNING,
        name,
        crate::sprig::semver::Version::parse_strict(v)
            .is_err()
            .then(|| format!("version '{v}' is not a valid SemVerV2")),
    );
}

/// `validateMetadataNameFunc` + `validateMetadataName`.
fn name_errors(kind: &str, name: &str) -> Vec<String> {
    use crate::kube::validation as v;
    match kind.to_lowercase().as_str() {
        "service" => v::is_dns1035_label(name),
        "namespace" => v::is_dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => {
            if name == "." || name == ".." {
                vec![format!("may not be '{name}'")]
            } else if name.contains('/') {
                vec!["may not contain '/'".into()]
            } else if name.contains('%') {
                vec!["may not contain '%'".into()]
            } else {
                Vec::new()
            }
        }
        _ => v::is_dns1123_subdomain(name),
    }
}

/// Deprecated or removed API versions (Kubernetes' `APILifecycle` data for the kinds charts
/// still carry), as `validateNoDeprecations` reports them.
fn deprecation(api_version: &str, kind: &str) -> Option<String> {
    let (dep, removed, repl): (&str, &str, &str) = match (api_version, kind) {
        ("extensions/v1beta1", "Ingress") => ("1.14", "1.22", "networking.k8s.io/v1 Ingress"),
        ("networking.k8s.io/v1beta1", "Ingress") => {
            ("1.19", "1.22", "networking.k8s.io/v1 Ingress")
        }
        ("extensions/v1beta1", "Deployment")
        | ("apps/v1beta1", "Deployment")
        | ("apps/v1beta2", "Deployment") => ("1.9", "1.16", "apps/v1 Deployment"),
        ("extensions/v1beta1", "DaemonSet") | ("apps/v1beta2", "DaemonSet") => {
            ("1.9", "1.16", "apps/v1 DaemonSet")
        }
        ("apps/v1beta1", "StatefulSet") | ("apps/v1beta2", "StatefulSet") => {
            ("1.9", "1.16", "apps/v1 StatefulSet")
        }
        ("batch/v1beta1", "CronJob") => ("1.21", "1.25", "batch/v1 CronJob"),
        ("policy/v1beta1", "PodDisruptionBudget") => {
            ("1.21", "1.25", "policy/v1 PodDisruptionBudget")
        }
        ("policy/v1beta1", "PodSecurityPolicy") => ("1.21", "1.25", ""),
        ("autoscaling/v2beta1", "HorizontalPodAutoscaler") => {
            ("1.22", "1.25", "autoscaling/v2 HorizontalPodAutoscaler")
        }
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler") => {
            ("1.23", "1.26", "autoscaling/v2 HorizontalPodAutoscaler")
        }
        ("rbac.authorization.k8s.io/v1beta1", k)
            if k.starts_with("Role") || k.starts_with("ClusterRole") =>
        {
            ("1.17", "1.22", "")
        }
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition") => (
            "1.16",
            "1.22",
            "apiextensions.k8s.io/v1 CustomResourceDefinition",
        ),
        ("flowcontrol.apiserver.k8s.io/v1beta3", k) => (
            "1.29",
            "1.32",
            if k == "FlowSchema" {
                "flowcontrol.apiserver.k8s.io/v1 FlowSchema"
            } else {
                "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration"
            },
        ),
        _ => return None,
    };
    let mut s =
        format!("{api_version} {kind} is deprecated in v{dep}+, unavailable in v{removed}+");
    if !repl.is_empty() {
        s.push_str(&format!("; use {repl}"));
    }
    Some(s)
}

/// The templates rules (`rules.Templates`).
fn templates(
    h: &mut Helm,
    l: &mut Linter,
    chart: Result<&Chart, &String>,
    chart_dir: &str,
    vals: &Map,
) {
    let dir = "templates/";
    match h.sh.fs.metadata(&fs::join(chart_dir, "templates")) {
        Err(_) => {
            l.rule(WARNING, dir, Some("directory does not exist".into()));
            return;
        }
        Ok(m) if !m.is_dir => {
            l.rule(ERROR, dir, Some("not a directory".into()));
            return;
        }
        Ok(_) => {}
    }
    let chart = match chart {
        Ok(c) => c.clone(),
        Err(e) => {
            l.rule(ERROR, dir, Some(e.clone()));
            return;
        }
    };
    let mut opts = crate::chart::RenderOptions::default();
    opts.release.name = "test-release".into();
    opts.release.namespace = h.namespace.clone();
    opts.release.revision = 1;
    opts.release.is_install = true;
    opts.lint_mode = true;
    let env = h.sh.env.clone();
    let rendered = match crate::chart::render(&chart, vals, &opts, &env) {
        Ok(r) => r,
        Err(e) => {
            l.rule(ERROR, dir, Some(e.message));
            return;
        }
    };
    // engine.go logs these through slog in lint mode
    for w in &rendered.warnings {
        let line = if let Some(m) = w.strip_prefix("missing required value: ") {
            super::slog_line("WARN", "missing required value", &[("message", m)])
        } else if let Some(m) = w.strip_prefix("fail: ") {
            super::slog_line("INFO", "funcMap fail", &[("message", m)])
        } else {
            w.clone()
        };
        h.warnings.push(line);
    }
    for t in &chart.templates {
        let file = &t.name;
        let ext = match file.rfind('.') {
            Some(i) if !file[i..].contains('/') => &file[i..],
            _ => "",
        };
        l.rule(
            ERROR,
            file,
            (![".yaml", ".yml", ".tpl", ".txt"].contains(&ext)).then(|| {
                format!("file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt")
            }),
        );
        let lower = ext.to_lowercase();
        if lower != ".yaml" && lower != ".yml" {
            continue;
        }
        let key = format!("{}/{file}", chart.name());
        let Some(content) = rendered.files.get(&key) else {
            continue;
        };
        if content.trim().is_empty() {
            continue;
        }
        // validateTopIndentLevel
        if let Some(line) = content.lines().find(|l| !l.trim().is_empty()) {
            if line.starts_with(' ') || line.starts_with('\t') {
                l.rule(
                    WARNING,
                    file,
                    Some(format!(
                        "document starts with an illegal indent: {}, which may cause parsing problems",
                        crate::kube::gofmt::quote(line)
                    )),
                );
            }
        }
        for doc in split_yaml_documents(content) {
            if doc.trim().is_empty()
                || doc
                    .lines()
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            {
                continue;
            }
            let parsed = match crate::yaml::parse(&doc) {
                Ok(v) => v,
                Err(e) => {
                    l.rule(
                        ERROR,
                        file,
                        Some(format!("unable to parse YAML: {}", e.message)),
                    );
                    return;
                }
            };
            let Value::Map(m) = parsed else {
                if parsed != Value::Nil {
                    l.rule(
                        ERROR,
                        file,
                        Some(format!(
                            "unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                            match parsed {
                                Value::List(_) => "array",
                                Value::String(_) => "string",
                                Value::Bool(_) => "bool",
                                _ => "number",
                            }
                        )),
                    );
                    return;
                }
                continue;
            };
            let get = |k: &str| m.get(k).map(|v| v.to_v()).unwrap_or_default();
            let kind = get("kind");
            let api = get("apiVersion");
            let meta_name = match m.get("metadata") {
                Some(Value::Map(md)) => md.get("name").map(|v| v.to_v()).unwrap_or_default(),
                _ => String::new(),
            };
            let errs = name_errors(&kind, &meta_name);
            if !errs.is_empty() {
                let fe: Vec<crate::kube::validation::FieldError> = errs
                    .iter()
                    .map(|msg| {
                        crate::kube::validation::FieldError::invalid(
                            "metadata.name",
                            serde_json::Value::String(meta_name.clone()),
                            msg,
                        )
                    })
                    .collect();
                l.rule(
                    WARNING,
                    file,
                    Some(format!(
                        "object name does not conform to Kubernetes naming requirements: {}: {}",
                        crate::kube::gofmt::quote(&meta_name),
                        crate::kube::validation::aggregate(&fe)
                    )),
                );
            }
            l.rule(WARNING, file, deprecation(&api, &kind));
            if matches!(
                kind.as_str(),
                "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            ) && !content.contains("matchLabels")
                && !content.contains("matchExpressions")
            {
                l.rule(
                    ERROR,
                    file,
                    Some(format!(
                        "a {kind} must contain matchLabels or matchExpressions, and {} does not",
                        crate::kube::gofmt::quote(&meta_name)
                    )),
                );
            }
        }
    }
}

/// k8s' YAML reader: documents separated by `---` lines.
fn split_yaml_documents(s: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in s.split_inclusive('\n') {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            docs.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(line);
    }
    docs.push(cur);
    docs
}

/// The dependencies rules (`rules.Dependencies`).
fn dependencies(l: &mut Linter, chart: Result<&Chart, &String>, chart_dir: &str) {
    let c = match chart {
        Ok(c) => c,
        Err(e) => {
            l.rule(ERROR, "", Some(format!("unable to load chart\n\t{e}")));
            return;
        }
    };
    let loaded: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
    let deps = c.metadata.dependencies.as_deref().unwrap_or(&[]);
    let declared: Vec<&str> = deps.iter().map(|d| d.name.as_str()).collect();
    let not_declared: Vec<&str> = loaded
        .iter()
        .copied()
        .filter(|n| !declared.contains(n))
        .collect();
    l.rule(
        ERROR,
        chart_dir,
        (!not_declared.is_empty()).then(|| {
            format!(
                "chart metadata is missing these dependencies: {}",
                not_declared.join(",")
            )
        }),
    );
    let mut seen: Vec<String> = Vec::new();
    let mut shadow: Vec<String> = Vec::new();
    for d in deps {
        let key = if d.alias.is_empty() {
            d.name.clone()
        } else {
            d.alias.clone()
        };
        if seen.contains(&key) {
            shadow.push(key.clone());
        }
        seen.push(key);
    }
    l.rule(
        ERROR,
        chart_dir,
        (!shadow.is_empty()).then(|| {
            format!(
                "multiple dependencies with name or alias: {}",
                shadow.join(",")
            )
        }),
    );
    let missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|n| !loaded.contains(n))
        .collect();
    l.rule(
        WARNING,
        chart_dir,
        (!missing.is_empty()).then(|| {
            format!(
                "chart directory is missing these dependencies: {}",
                missing.join(",")
            )
        }),
    );
}

/// `helm lint PATH...`.
pub(super) fn lint(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let mut own = vec![
        flags::b("strict", None),
        flags::b("with-subcharts", None),
        flags::b("quiet", None),
        flags::b("skip-schema-validation", None),
        flags::v("kube-version", None),
    ];
    own.extend_from_slice(super::releasecmds::VALUE_FLAGS);
    let p = h.parse(args, &own)?;
    let mut paths = p.args.clone();
    if paths.is_empty() {
        paths.push(".".into());
    }
    if let Some(kv) = p.get("kube-version") {
        if !kv.is_empty() {
            crate::chart::objects::KubeVersion::parse(kv)
                .map_err(|e| HelmError(format!("invalid kube version '{kv}': {e}")))?;
        }
    }
    if p.bool("with-subcharts") {
        let mut extra = Vec::new();
        for path in &paths {
            let abs = h.sh.abs(&fs::join(path, "charts"));
            if let Ok(files) = fs::walk_files(h.sh.fs.as_ref(), &abs, 10_000) {
                for f in files {
                    if f.ends_with("/Chart.yaml") {
                        extra.push(fs::join(
                            &fs::join(path, "charts"),
                            fs::parent(&format!("/{f}")).trim_start_matches('/'),
                        ));
                    } else if f.ends_with(".tgz") || f.ends_with(".tar.gz") {
                        extra.push(fs::join(&fs::join(path, "charts"), &f));
                    }
                }
            }
        }
        paths.extend(extra);
    }
    let vals = super::releasecmds::user_values(h, &p).map_err(HelmError)?;
    let strict = p.bool("strict");
    let quiet = p.bool("quiet");
    let mut message = String::new();
    let mut failed = 0;
    let mut with_problems = 0;
    for path in &paths {
        let mut l = Linter::default();
        let mut errors: Vec<String> = Vec::new();
        let abs = h.sh.abs(path);
        let loaded: Result<(crate::chart::FileMap, String), String> =
            if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
                h.sh.fs
                    .read(&abs)
                    .map_err(|e| {
                        format!(
                            "unable to open tarball: open {path}: {}",
                            e.to_string().to_lowercase()
                        )
                    })
                    .and_then(|d| {
                        crate::chart::archive::load_archive_files(&d)
                            .map_err(|e| format!("unable to extract tarball: {e}"))
                    })
                    .map(|f| {
                        (
                            f.into_iter()
                                .map(|f| (f.name.clone(), f.data.to_vec()))
                                .collect(),
                            abs.clone(),
                        )
                    })
            } else {
                match h.sh.fs.metadata(&fs::join(&abs, "Chart.yaml")) {
                    Ok(_) => read_tree(h, &abs).map(|(f, _)| (f, abs.clone())),
                    Err(e) => Err(format!(
                        "unable to check Chart.yaml file in chart: stat {}: {}",
                        fs::join(path, "Chart.yaml"),
                        e.to_string().to_lowercase()
                    )),
                }
            };
        match loaded {
            Err(e) => errors.push(e),
            Ok((files, dir)) => {
                chartfile(&mut l, &files);
                // values.yaml
                let vf = "values.yaml";
                if let Some(data) = files.get(vf) {
                    if let Err(e) = crate::yaml::read_values(&String::from_utf8_lossy(data)) {
                        l.rule(
                            ERROR,
                            vf,
                            Some(format!("unable to parse YAML: {}", e.message)),
                        );
                    }
                } else {
                    l.rule(INFO, vf, Some("file does not exist".into()));
                }
                let chart = crate::chart::load_files(&files);
                templates(h, &mut l, chart.as_ref(), &dir, &vals);
                dependencies(&mut l, chart.as_ref(), &dir);
                let lowest = if strict { WARNING } else { ERROR };
                for m in &l.messages {
                    if m.severity >= lowest {
                        errors.push(m.err.clone());
                    }
                }
            }
        }
        let has = l.messages.iter().any(|m| m.severity > INFO) || !errors.is_empty();
        if has {
            with_problems += 1;
        }
        if quiet && !has {
            continue;
        }
        message.push_str(&format!("==> Linting {path}\n"));
        if l.messages.is_empty() {
            for e in &errors {
                message.push_str(&format!("Error {e}\n"));
            }
        }
        for m in &l.messages {
            if !quiet || m.severity > INFO {
                message.push_str(&m.text());
                message.push('\n');
            }
        }
        if !errors.is_empty() {
            failed += 1;
        }
        message.push('\n');
    }
    h.flush_warnings(ctx);
    ctx.out(message);
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", paths.len());
    if failed > 0 {
        return Err(HelmError(summary));
    }
    if !quiet || with_problems > 0 {
        ctx.out(format!("{summary}\n"));
    }
    Ok(0)
}
