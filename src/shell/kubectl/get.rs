//! `kubectl get` (k8s.io/kubectl `pkg/cmd/get`): server-side tables for the human output
//! (`wide`, `--show-labels`, `-L`, `--show-kind`, `--no-headers`, `-A`, `--sort-by`), and the
//! generic printers for the rest (`yaml`, `json`, `name`, `jsonpath`, `jsonpath-as-json`,
//! `jsonpath-file`, `custom-columns`, `go-template`/`--template`), `--raw`, `-f`, `-l`,
//! `--field-selector`, `--ignore-not-found`, `--show-managed-fields`.

use crate::engine::sort::SliceSort;
use serde_json::Value;

use super::{parse_flags, select, Failure, Kubectl, R};
use crate::kube::cluster::ListOptions;
use crate::kube::object;
use crate::kube::printers::{print_tables, table_for, PrintOptions};
use crate::kube::resources::ResourceInfo;
use crate::shell::flags::{self, Flag};
use crate::shell::io::Ctx;

const FLAGS: &[Flag] = &[
    flags::v("output", Some('o')),
    flags::v("selector", Some('l')),
    flags::v("field-selector", None),
    flags::b("all-namespaces", Some('A')),
    flags::b("show-labels", None),
    flags::b("show-kind", None),
    flags::b("no-headers", None),
    flags::v("label-columns", Some('L')),
    flags::v("sort-by", None),
    flags::b("ignore-not-found", None),
    flags::b("show-managed-fields", None),
    flags::v("raw", None),
    flags::v("filename", Some('f')),
    flags::b("recursive", Some('R')),
    flags::b("watch", Some('w')),
    flags::b("watch-only", None),
    flags::v("template", None),
    flags::v("chunk-size", None),
    flags::opt("allow-missing-template-keys", None, "true"),
    flags::v("subresource", None),
    flags::b("server-print", None),
    flags::b("output-watch-events", None),
];

/// The output requested with `-o`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Output {
    Table { wide: bool },
    Yaml,
    Json,
    Name,
    JsonPath(String, bool),
    CustomColumns(Vec<(String, String)>),
    GoTemplate(String),
}

/// Parses `-o` (and `--template`) as kubectl's print flags do.
pub(super) fn parse_output(o: Option<&str>, template: Option<&str>, k: &mut Kubectl) -> R<Output> {
    let Some(o) = o else {
        if let Some(t) = template {
            return Ok(Output::GoTemplate(t.to_string()));
        }
        return Ok(Output::Table { wide: false });
    };
    let (name, arg) = match o.split_once('=') {
        Some((n, a)) => (n, Some(a.to_string())),
        None => (o, None),
    };
    let need = |arg: Option<String>, what: &str| -> R<String> {
        match arg.or_else(|| template.map(str::to_string)) {
            Some(a) if !a.is_empty() => Ok(a),
            _ => Err(Failure::Client(
                "template format specified but no template given".to_string(),
            ))
            .map_err(|e| {
                if what == "custom-columns" {
                    Failure::Client(
                        "custom-columns format specified but no custom columns given".into(),
                    )
                } else {
                    e
                }
            }),
        }
    };
    Ok(match name {
        "" if arg.is_none() => Output::Table { wide: false },
        "wide" => Output::Table { wide: true },
        "yaml" => Output::Yaml,
        "json" => Output::Json,
        "name" => Output::Name,
        "jsonpath" | "jsonpath-as-json" => Output::JsonPath(need(arg, name)?, name == "jsonpath-as-json"),
        "jsonpath-file" => {
            let file = need(arg, name)?;
            let path = k.sh.abs(&file);
            let data = k
                .sh
                .fs
                .read(&path)
                .map_err(|e| Failure::Client(format!("error reading --template {file}, {e}\n")))?;
            Output::JsonPath(String::from_utf8_lossy(&data).into_owned(), false)
        }
        "custom-columns" => Output::CustomColumns(parse_custom_columns(&need(arg, name)?)?),
        "custom-columns-file" => {
            let file = need(arg, name)?;
            let path = k.sh.abs(&file);
            let data = k
                .sh
                .fs
                .read(&path)
                .map_err(|e| Failure::Client(format!("error reading template {file}, {e}\n")))?;
            Output::CustomColumns(parse_custom_columns_template(&String::from_utf8_lossy(&data))?)
        }
        "go-template" | "template" => Output::GoTemplate(need(arg, name)?),
        "go-template-file" | "templatefile" => {
            let file = need(arg, name)?;
            let path = k.sh.abs(&file);
            let data = k
                .sh
                .fs
                .read(&path)
                .map_err(|e| Failure::Client(format!("error reading --template {file}, {e}\n")))?;
            Output::GoTemplate(String::from_utf8_lossy(&data).into_owned())
        }
        _ => {
            return Err(Failure::Client(format!(
                "unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            )))
        }
    })
}

/// `RelaxedJSONPathExpression`: `.a.b`, `a.b`, `{.a.b}` → `{.a.b}`.
fn relaxed(expr: &str) -> R<String> {
    let e = expr.trim();
    if e.is_empty() {
        return Ok(String::new());
    }
    let inner = e.strip_prefix('{').unwrap_or(e);
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    if inner.starts_with('{') {
        return Ok(format!("{inner}}}").replacen('{', "{", 1));
    }
    if inner.contains(['{', '}']) {
        return Err(Failure::Client("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string()));
    }
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    Ok(format!("{{.{inner}}}"))
}

fn parse_custom_columns(spec: &str) -> R<Vec<(String, String)>> {
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((h, e)) = part.split_once(':') else {
            return Err(Failure::Client(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )));
        };
        cols.push((h.to_string(), relaxed(e)?));
    }
    Ok(cols)
}

fn parse_custom_columns_template(t: &str) -> R<Vec<(String, String)>> {
    let mut lines = t.lines();
    let Some(h) = lines.next() else {
        return Err(Failure::Client("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.".into()));
    };
    let Some(s) = lines.next() else {
        return Err(Failure::Client("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.".into()));
    };
    let hs: Vec<&str> = h.split_whitespace().collect();
    let ss: Vec<&str> = s.split_whitespace().collect();
    if hs.len() != ss.len() {
        return Err(Failure::Client(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            hs.len(),
            ss.len()
        )));
    }
    hs.iter()
        .zip(ss)
        .map(|(h, s)| Ok((h.to_string(), relaxed(s)?)))
        .collect()
}

/// Prints objects with one of the generic printers. `single`: exactly one object was named,
/// so it is printed as itself, not inside a `List`.
pub(super) fn print_generic(
    out: &Output,
    objs: Vec<Value>,
    single: bool,
    show_managed: bool,
    no_headers: bool,
    reg: &crate::kube::resources::Registry,
    ctx: &mut Ctx,
) -> R<()> {
    let objs: Vec<Value> = objs
        .into_iter()
        .map(|o| {
            if show_managed {
                o
            } else {
                object::without_managed_fields(&o)
            }
        })
        .collect();
    let doc = if single && objs.len() == 1 {
        objs[0].clone()
    } else {
        object::list_of(objs.clone())
    };
    match out {
        Output::Yaml => ctx.out(super::to_yaml(&doc)),
        Output::Json => ctx.out(super::to_json(&doc)),
        Output::Name => {
            let mut s = String::new();
            for o in &objs {
                let prefix = super::info_of(reg, o)
                    .map(|i| i.kind_prefix())
                    .unwrap_or_else(|| object::kind(o).to_lowercase());
                s.push_str(&format!("{prefix}/{}\n", object::name(o)));
            }
            ctx.out(s);
        }
        Output::JsonPath(t, as_json) => {
            if *as_json {
                let jp = crate::kube::jsonpath::JsonPath::parse(t)
                    .map_err(|e| Failure::Client(format!("error parsing jsonpath {t}, {e}\n")))?;
                let results = jp
                    .find_results(&doc, true)
                    .map_err(|e| Failure::Client(e.to_string()))?;
                let flat: Vec<Value> = results.into_iter().flatten().collect();
                ctx.out(super::to_json(&Value::Array(flat)));
            } else {
                match crate::kube::jsonpath::kubectl_jsonpath(t, &doc, true) {
                    Ok(s) => ctx.out(s),
                    Err(e) => return Err(Failure::Client(e)),
                }
            }
        }
        Output::CustomColumns(cols) => {
            let mut text = String::new();
            if !no_headers {
                let hs: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
                text.push_str(&hs.join("\t"));
                text.push('\n');
            }
            for o in &objs {
                let mut cells = Vec::new();
                for (_, spec) in cols {
                    let jp = crate::kube::jsonpath::JsonPath::parse(spec).map_err(|e| {
                        Failure::Client(format!("error parsing jsonpath {spec}, {e}\n"))
                    })?;
                    let res = jp
                        .find_results(o, true)
                        .map_err(|e| Failure::Client(e.to_string()))?;
                    let mut vals: Vec<String> = Vec::new();
                    if res.is_empty() || res[0].is_empty() {
                        vals.push("<none>".into());
                    }
                    for r in res {
                        for v in r {
                            vals.push(crate::kube::gofmt::sprint(&v));
                        }
                    }
                    cells.push(vals.join(","));
                }
                text.push_str(&cells.join("\t"));
                text.push('\n');
            }
            ctx.out(crate::kube::printers::tabwrite(&text));
        }
        Output::GoTemplate(t) => {
            ctx.out(go_template(t, &doc)?);
        }
        Output::Table { .. } => {}
    }
    Ok(())
}

/// `-o go-template=…`: Go's text/template over the object (with kubectl's `base64decode`).
fn go_template(t: &str, doc: &Value) -> R<String> {
    use crate::engine::{FuncMap, Signature, Templates, Ty, Value as EV};
    let mut funcs = FuncMap::new();
    funcs.insert(
        "base64decode",
        crate::engine::Func::new(Signature::fixed(&[Ty::String]), |_, args| {
            use base64::Engine;
            let s = args.first().map(|a| a.to_v()).unwrap_or_default();
            let d = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|e| format!("base64 decode failed: {e}"))?;
            Ok(EV::string(String::from_utf8_lossy(&d).into_owned()))
        }),
    );
    let mut ts = Templates::new("output", funcs);
    ts.parse("output", t)
        .map_err(|e| Failure::Client(format!("error parsing template {t}, {e}\n")))?;
    let data = crate::json::from_serde(doc);
    let env = crate::engine::Env::fixed(crate::engine::Timestamp::utc(0, 0), 0);
    ts.execute("output", &data, &env).map_err(|e| {
        Failure::Client(format!(
            "error executing template {}: {e}",
            crate::kube::gofmt::quote(t)
        ))
    })
}

/// `kubectl get`.
pub(super) fn get(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, FLAGS)?;
    if p.bool("help") {
        ctx.out(HELP);
        return Ok(0);
    }
    if let Some(raw) = p.get("raw") {
        return raw_get(k, raw, ctx);
    }
    let all_ns = p.bool("all-namespaces");
    let output = parse_output(p.get("output"), p.get("template"), k)?;
    let selector = p.get("selector").unwrap_or("").to_string();
    let field_selector = p.get("field-selector").unwrap_or("").to_string();
    if p.bool("watch") || p.bool("watch-only") {
        ctx.err("chartlab: --watch prints the current state once; the simulated cluster has already settled.\n");
    }
    let reg = k.registry()?;
    // -f: the objects named in files
    let files = p.all("filename");
    let mut groups: Vec<(ResourceInfo, Vec<Value>)> = Vec::new();
    let mut errors: Vec<Failure> = Vec::new();
    let single;
    if !files.is_empty() {
        let docs = super::cmds::read_manifests(k, &files)?;
        single = docs.len() == 1;
        for d in docs {
            let Some(info) = super::info_of(&reg, &d) else {
                errors.push(Failure::Client(format!(
                    "resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{}\": no matches for kind \"{}\" in version \"{}\"\nensure CRDs are installed first",
                    object::name(&d),
                    object::namespace(&d),
                    files.join(","),
                    object::kind(&d),
                    object::api_version(&d)
                )));
                continue;
            };
            let saved = k.namespace.clone();
            let ns = object::namespace(&d);
            if !ns.is_empty() {
                k.namespace = ns.to_string();
            }
            let r = k.get(&info, object::name(&d));
            k.namespace = saved;
            match r {
                Ok(o) => push_obj(&mut groups, &info, o),
                Err(e) => {
                    if !(p.bool("ignore-not-found")
                        && matches!(&e, Failure::Api(a) if a.is_not_found()))
                    {
                        errors.push(e)
                    }
                }
            }
        }
    } else {
        let sel = match select(&reg, &p.args, false) {
            Ok(s) => s,
            Err(Failure::Client(m)) if m == "Required resource not specified." => {
                return Err(Failure::Raw("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".into()));
            }
            Err(e) => return Err(e),
        };
        single = sel.single;
        let named = sel.items.iter().any(|(_, n)| n.is_some());
        if named && !selector.is_empty() {
            return Err(Failure::Client(
                "name cannot be provided when a selector is specified".into(),
            ));
        }
        if named && all_ns {
            return Err(Failure::Client(
                "a resource cannot be retrieved by name across all namespaces".into(),
            ));
        }
        for (info, names) in &sel.items {
            match names {
                None => {
                    let opts = ListOptions {
                        label_selector: selector.clone(),
                        field_selector: field_selector.clone(),
                    };
                    match k.list(info, all_ns, &opts) {
                        Ok(items) => {
                            groups.push((info.clone(), items));
                        }
                        Err(e) => errors.push(e),
                    }
                }
                Some(names) => {
                    groups.push((info.clone(), Vec::new()));
                    for n in names {
                        match k.get(info, n) {
                            Ok(o) => push_obj(&mut groups, info, o),
                            Err(e) => {
                                if !(p.bool("ignore-not-found")
                                    && matches!(&e, Failure::Api(a) if a.is_not_found()))
                                {
                                    errors.push(e)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(key) = p.get("sort-by") {
        let spec = relaxed(key)?;
        let jp = crate::kube::jsonpath::JsonPath::parse(&spec)
            .map_err(|e| Failure::Client(format!("error parsing jsonpath {spec}, {e}\n")))?;
        for (_, objs) in groups.iter_mut() {
            sort_by(objs, &jp);
        }
    }
    match &output {
        Output::Table { wide } => {
            let opts = PrintOptions {
                wide: *wide,
                all_namespaces: all_ns,
                show_kind: p.bool("show-kind"),
                show_labels: p.bool("show-labels"),
                no_headers: p.bool("no-headers"),
                label_columns: p.slice("label-columns"),
            };
            let now = k.sh.now();
            // The API server always builds its tables with every column (GenerateOptions{Wide:
            // true}); kubectl hides the wide ones itself.
            let tables: Vec<(ResourceInfo, crate::kube::printers::Table)> = groups
                .iter()
                .map(|(info, objs)| (info.clone(), table_for(info, objs, now, true)))
                .collect();
            let g = print_tables(&tables, &opts, &k.namespace);
            ctx.out(g.stdout);
            let any_rows = groups.iter().any(|(_, o)| !o.is_empty());
            if !any_rows && errors.is_empty() && !p.bool("ignore-not-found") {
                ctx.err(g.stderr);
            }
        }
        other => {
            let objs: Vec<Value> = groups.into_iter().flat_map(|(_, o)| o).collect();
            if !(objs.is_empty() && p.bool("ignore-not-found")) {
                if let Err(e) = print_generic(
                    other,
                    objs,
                    single && errors.is_empty(),
                    p.bool("show-managed-fields"),
                    p.bool("no-headers"),
                    &reg,
                    ctx,
                ) {
                    errors.push(e);
                }
            }
        }
    }
    if errors.is_empty() {
        return Ok(0);
    }
    let mut text = String::new();
    for e in errors {
        match e {
            Failure::Api(a) => text.push_str(&a.kubectl_text()),
            Failure::Client(m) => text.push_str(&format!("error: {}\n", m.trim_end())),
            Failure::Raw(r) => text.push_str(&r),
        }
    }
    Err(Failure::Raw(text))
}

fn push_obj(groups: &mut Vec<(ResourceInfo, Vec<Value>)>, info: &ResourceInfo, o: Value) {
    match groups.last_mut() {
        Some((i, objs)) if i.gvr() == info.gvr() => objs.push(o),
        _ => groups.push((info.clone(), vec![o])),
    }
}

/// `--sort-by`: stable sort on the first result of the expression (numbers numerically,
/// strings lexically, missing first).
fn sort_by(objs: &mut [Value], jp: &crate::kube::jsonpath::JsonPath) {
    let key = |o: &Value| -> Option<Value> {
        jp.find_results(o, true)
            .ok()
            .and_then(|r| r.into_iter().flatten().next())
    };
    objs.sort_stable_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        match (ka, kb) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(Value::Number(x)), Some(Value::Number(y))) => x
                .as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal),
            (Some(Value::String(x)), Some(Value::String(y))) => {
                match (
                    crate::kube::time::Time::parse_rfc3339(&x),
                    crate::kube::time::Time::parse_rfc3339(&y),
                ) {
                    (Some(tx), Some(ty)) => tx.cmp(&ty),
                    _ => x.cmp(&y),
                }
            }
            (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
        }
    });
}

/// `kubectl get --raw PATH`: the response body as the API server sends it.
fn raw_get(k: &mut Kubectl, path: &str, ctx: &mut Ctx) -> R<i32> {
    let req = crate::kube::rest::HttpRequest {
        method: "GET".into(),
        path: path.to_string(),
        content_type: None,
        accept: "application/json, */*".into(),
        body: None,
    };
    let resp = {
        let mut c = k.sh.cluster.borrow_mut();
        crate::kube::rest::serve(&mut *c, &req)
    };
    if resp.status >= 400 {
        let e = serde_json::from_str::<Value>(&resp.body)
            .ok()
            .and_then(|v| crate::kube::status::ApiError::from_status(&v));
        return Err(match e {
            Some(e) => Failure::Api(e),
            None => Failure::Client("the server could not find the requested resource".to_string()),
        });
    }
    ctx.out(&resp.body);
    Ok(0)
}

const HELP: &str = "Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.

Examples:
  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7

  # List all resources with a label
  kubectl get all -l app.kubernetes.io/instance=myapi-release

  # Return only the value of one field
  kubectl get secret NAME -o jsonpath=\"{.data.release}\"

Options:
  -A, --all-namespaces=false: list the requested object(s) across all namespaces
      --field-selector='': selector (field query) to filter on
  -f, --filename=[]: the files that identify the resources to get
      --ignore-not-found=false: do not report an error when the object is not found
  -L, --label-columns=[]: labels to show as columns
      --no-headers=false: do not print headers
  -o, --output='': json, yaml, name, wide, jsonpath=…, jsonpath-as-json=…, custom-columns=…,
      go-template=…
      --raw='': raw URI to request from the server
  -l, --selector='': label selector (=, ==, !=, in, notin, exists)
      --show-kind=false: list the resource type for the requested object(s)
      --show-labels=false: show all labels as the last column
      --show-managed-fields=false: keep managedFields in JSON or YAML output
      --sort-by='': a JSONPath expression to sort the list by

Usage:
  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]
";
