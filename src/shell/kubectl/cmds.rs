//! The other kubectl commands (k8s.io/kubectl `pkg/cmd/…` v0.36): `delete`, `logs`,
//! `rollout status|history|undo|restart|pause|resume`, `port-forward`, `apply -f` (client-side
//! and `--server-side`), `create namespace|secret generic|configmap|-f`, `scale`, `config`,
//! `version`, `api-resources`, `api-versions`, `explain`, `cluster-info`; and reading manifests
//! from the workspace.

use crate::engine::sort::SliceSort;
use serde_json::{json, Map, Value};

use super::get::{parse_output, print_generic};
use super::{kind_name, parse_flags, select, Failure, Kubectl, CLIENT_VERSION, CONTEXT, R};
use crate::kube::cluster::{
    Action, ApplyOptions, DeleteOptions, ListOptions, Propagation, WriteOptions,
};
use crate::kube::object::{self, get_path, str_path};
use crate::kube::resources::ResourceInfo;
use crate::shell::flags::{self, Flag};
use crate::shell::io::Ctx;

/// Integral floats back to integers (YAML numbers arrive as float64, kubectl keeps int64).
fn ints(v: &mut Value) {
    match v {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(ints),
        Value::Object(m) => m.values_mut().for_each(ints),
        _ => {}
    }
}

/// The YAML (or JSON) documents of a manifest text, as kubectl's decoder splits them.
pub(super) fn parse_documents(text: &str, source: &str) -> R<Vec<Value>> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut chunks = Vec::new();
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            chunks.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(line);
    }
    chunks.push(cur);
    for chunk in chunks {
        if chunk.trim().is_empty()
            || chunk
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            continue;
        }
        let ev = crate::yaml::parse(&chunk)
            .map_err(|e| Failure::Client(format!("error parsing {source}: {}", e.message)))?;
        let mut j = crate::json::to_serde(&ev).map_err(Failure::Client)?;
        ints(&mut j);
        match j {
            Value::Null => {}
            Value::Object(_) => {
                // a List's items are separate objects
                if object::kind(&j).ends_with("List") {
                    if let Some(Value::Array(items)) = j.get("items") {
                        docs.extend(items.iter().cloned());
                        continue;
                    }
                }
                docs.push(j);
            }
            _ => {
                return Err(Failure::Client(format!(
                    "error validating \"{source}\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false"
                )))
            }
        }
    }
    Ok(docs)
}

/// The objects in the files named by `-f` (files, directories of .yaml/.yml/.json, `-` for
/// stdin is not available here).
pub(super) fn read_manifests(k: &mut Kubectl, files: &[String]) -> R<Vec<Value>> {
    let mut out = Vec::new();
    for f in files {
        if f.starts_with("http://") || f.starts_with("https://") {
            return Err(Failure::Client(format!(
                "unable to read URL \"{f}\", server reported : chartlab has no network access; put the manifest in a workspace file"
            )));
        }
        let path = k.sh.abs(f);
        let md =
            k.sh.fs
                .metadata(&path)
                .map_err(|_| Failure::Client(format!("the path \"{f}\" does not exist")))?;
        let files: Vec<(String, String)> = if md.is_dir {
            crate::shell::fs::walk_files(k.sh.fs.as_ref(), &path, 10_000)
                .map_err(|e| Failure::Client(e.to_string()))?
                .into_iter()
                .filter(|r| {
                    !r.contains('/')
                        && (r.ends_with(".yaml") || r.ends_with(".yml") || r.ends_with(".json"))
                })
                .map(|r| {
                    (
                        crate::shell::fs::join(&path, &r),
                        format!("{}/{r}", f.trim_end_matches('/')),
                    )
                })
                .collect()
        } else {
            vec![(path, f.clone())]
        };
        for (abs, shown) in files {
            let data =
                k.sh.fs
                    .read(&abs)
                    .map_err(|e| Failure::Client(format!("{shown}: {e}")))?;
            out.extend(parse_documents(&String::from_utf8_lossy(&data), &shown)?);
        }
    }
    Ok(out)
}

const DELETE_FLAGS: &[Flag] = &[
    flags::v("selector", Some('l')),
    flags::b("all", None),
    flags::b("all-namespaces", Some('A')),
    flags::v("filename", Some('f')),
    flags::b("recursive", Some('R')),
    flags::b("ignore-not-found", None),
    flags::opt("wait", None, "true"),
    flags::v("grace-period", None),
    flags::b("now", None),
    flags::b("force", None),
    flags::opt("cascade", None, "background"),
    flags::opt("dry-run", None, "unchanged"),
    flags::v("output", Some('o')),
    flags::v("field-selector", None),
    flags::v("timeout", None),
    flags::b("interactive", Some('i')),
];

/// `kubectl delete`.
pub(super) fn delete(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, DELETE_FLAGS)?;
    let reg = k.registry()?;
    let propagation = match p.get("cascade") {
        None | Some("background") | Some("true") => Some(Propagation::Background),
        Some("foreground") => Some(Propagation::Foreground),
        Some("orphan") | Some("false") => Some(Propagation::Orphan),
        Some(other) => {
            return Err(Failure::Client(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )))
        }
    };
    let dry = match p.get("dry-run") {
        None | Some("none") => None,
        Some("client") | Some("unchanged") => Some("client"),
        Some("server") => Some("server"),
        Some(other) => {
            return Err(Failure::Client(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )))
        }
    };
    let force = p.get("grace-period") == Some("0");
    let mut targets: Vec<(ResourceInfo, Value)> = Vec::new();
    let mut errors: Vec<Failure> = Vec::new();
    let selector = p.get("selector").unwrap_or("").to_string();
    let files = p.all("filename");
    if !files.is_empty() {
        for d in read_manifests(k, &files)? {
            let Some(info) = super::info_of(&reg, &d) else {
                continue;
            };
            let saved = k.namespace.clone();
            if !object::namespace(&d).is_empty() {
                k.namespace = object::namespace(&d).to_string();
            }
            match k.get(&info, object::name(&d)) {
                Ok(o) => targets.push((info, o)),
                Err(e) => {
                    if !(p.bool("ignore-not-found")
                        && matches!(&e, Failure::Api(a) if a.is_not_found()))
                    {
                        errors.push(e);
                    }
                }
            }
            k.namespace = saved;
        }
    } else {
        if p.args.is_empty() {
            return Err(Failure::Raw("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into()));
        }
        let sel = select(&reg, &p.args, false)?;
        for (info, names) in &sel.items {
            match names {
                None => {
                    if selector.is_empty() && !p.bool("all") && p.get("field-selector").is_none() {
                        return Err(Failure::Client(
                            "resource(s) were provided, but no name was specified".into(),
                        ));
                    }
                    let opts = ListOptions {
                        label_selector: selector.clone(),
                        field_selector: p.get("field-selector").unwrap_or("").to_string(),
                    };
                    match k.list(info, p.bool("all-namespaces"), &opts) {
                        Ok(items) => targets.extend(items.into_iter().map(|o| (info.clone(), o))),
                        Err(e) => errors.push(e),
                    }
                }
                Some(names) => {
                    for n in names {
                        match k.get(info, n) {
                            Ok(o) => targets.push((info.clone(), o)),
                            Err(e) => {
                                if !(p.bool("ignore-not-found")
                                    && matches!(&e, Failure::Api(a) if a.is_not_found()))
                                {
                                    errors.push(e);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let name_out = p.get("output") == Some("name");
    let mut out = String::new();
    for (info, o) in &targets {
        let ns = object::namespace(o).to_string();
        let name = object::name(o).to_string();
        if dry != Some("client") {
            let r = k.sh.cluster.borrow_mut().delete(
                &info.gvr(),
                &ns,
                &name,
                &DeleteOptions {
                    propagation,
                    dry_run: dry == Some("server"),
                },
            );
            if let Err(e) = r {
                if !(p.bool("ignore-not-found") && e.is_not_found()) {
                    errors.push(Failure::Api(e));
                }
                continue;
            }
        }
        if name_out {
            out.push_str(&format!("{}\n", kind_name(info, &name)));
            continue;
        }
        let mut op = if force {
            "force deleted".to_string()
        } else {
            "deleted".to_string()
        };
        if info.namespaced {
            op = format!("{op} from {ns} namespace");
        }
        match dry {
            Some("client") => op.push_str(" (dry run)"),
            Some("server") => op.push_str(" (server dry run)"),
            _ => {}
        }
        out.push_str(&format!("{} \"{name}\" {op}\n", info.kind_prefix()));
    }
    ctx.out(out);
    if targets.is_empty() && errors.is_empty() && !p.bool("ignore-not-found") {
        ctx.err("No resources found\n");
    }
    finish(errors)
}

fn finish(errors: Vec<Failure>) -> R<i32> {
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

/// The pod a `TYPE/NAME` argument stands for (`deployment/x` → its first pod), as
/// `AttachablePodForObject` picks it.
fn pod_for(k: &mut Kubectl, arg: &str) -> R<Value> {
    let reg = k.registry()?;
    let (ty, name) = match arg.split_once('/') {
        Some((t, n)) => (t.to_string(), n.to_string()),
        None => ("pods".to_string(), arg.to_string()),
    };
    let infos = super::resolve_type(&reg, &ty)?;
    let Some(info) = infos.into_iter().next() else {
        return Err(Failure::Client(format!(
            "the server doesn't have a resource type \"{ty}\""
        )));
    };
    let obj = k.get(&info, &name)?;
    if info.kind == "Pod" {
        return Ok(obj);
    }
    let selector = match info.kind.as_str() {
        "Service" => crate::kube::selector::Selector::from_set(&object::string_map_at(
            &obj,
            &["spec", "selector"],
        )),
        _ => crate::kube::selector::Selector::from_label_selector(get_path(
            &obj,
            &["spec", "selector"],
        ))
        .map_err(Failure::Client)?,
    };
    let pods_info = crate::kube::resources::builtin_by_plural("", "pods")
        .ok_or_else(|| Failure::Client("no pods resource".into()))?;
    let pods = k.list(
        &pods_info,
        false,
        &ListOptions {
            label_selector: selector.to_string(),
            field_selector: String::new(),
        },
    )?;
    pods.into_iter()
        .find(|p| str_path(p, &["status", "phase"]) == "Running")
        .ok_or_else(|| Failure::Client("timed out waiting for the condition".to_string()))
}

const LOGS_FLAGS: &[Flag] = &[
    flags::v("container", Some('c')),
    flags::b("follow", Some('f')),
    flags::b("previous", Some('p')),
    flags::v("tail", None),
    flags::v("since", None),
    flags::b("timestamps", None),
    flags::b("all-containers", None),
    flags::v("selector", Some('l')),
    flags::b("prefix", None),
];

/// `kubectl logs`: pods log nothing in the simulated cluster.
pub(super) fn logs(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, LOGS_FLAGS)?;
    if p.args.is_empty() || p.args.len() > 2 {
        return Err(Failure::Raw("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".into()));
    }
    let pod = pod_for(k, &p.args[0])?;
    let containers: Vec<String> = get_path(&pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| str_path(c, &["name"]).to_string())
                .collect()
        })
        .unwrap_or_default();
    let container = p
        .get("container")
        .map(str::to_string)
        .or_else(|| p.args.get(1).cloned());
    if let Some(c) = &container {
        if !containers.contains(c) {
            return Err(Failure::Api(crate::kube::status::ApiError::bad_request(
                format!("container {c} is not valid for pod {}", object::name(&pod)),
            )));
        }
    } else if containers.len() > 1 {
        ctx.err(format!(
            "Defaulted container \"{}\" out of: {}\n",
            containers[0],
            containers.join(", ")
        ));
    }
    let text = k.sh.cluster.borrow_mut().logs(
        object::namespace(&pod),
        object::name(&pod),
        container.as_deref(),
    )?;
    ctx.out(&text);
    if text.is_empty() {
        ctx.err(format!(
            "chartlab: pod {} is simulated: no container process runs, so it writes no logs.\n",
            object::name(&pod)
        ));
    }
    Ok(0)
}

/// `kubectl port-forward`: prints what kubectl prints once it listens, then explains that no
/// traffic can reach a simulated pod.
pub(super) fn port_forward(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [
        flags::v("address", None),
        flags::v("pod-running-timeout", None),
    ];
    let p = parse_flags(k, args, &own)?;
    if p.args.len() < 2 {
        return Err(Failure::Raw("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n".into()));
    }
    let target = &p.args[0];
    let pod = pod_for(k, target)?;
    if str_path(&pod, &["status", "phase"]) != "Running" {
        return Err(Failure::Client(format!(
            "unable to forward port because pod is not running. Current status={}",
            str_path(&pod, &["status", "phase"])
        )));
    }
    // resolve named container ports
    let named_port = |name: &str| -> Option<i64> {
        get_path(&pod, &["spec", "containers"])?
            .as_array()?
            .iter()
            .flat_map(|c| {
                c.get("ports")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .find(|pt| str_path(pt, &["name"]) == name)
            .and_then(|pt| object::int_path(&pt, &["containerPort"]))
    };
    let addresses: Vec<String> = match p.get("address") {
        Some(a) => a.split(',').map(str::to_string).collect(),
        None => vec!["localhost".into()],
    };
    let mut out = String::new();
    for spec in &p.args[1..] {
        let (local, remote) = match spec.split_once(':') {
            Some((l, r)) => (l.to_string(), r.to_string()),
            None => (spec.clone(), spec.clone()),
        };
        let remote_num = match remote.parse::<i64>() {
            Ok(n) => n,
            Err(_) => match named_port(&remote) {
                Some(n) => n,
                None => {
                    return Err(Failure::Client(format!(
                        "Pod '{}' does not have a named port '{remote}'",
                        object::name(&pod)
                    )))
                }
            },
        };
        let local = if local.is_empty() {
            remote_num.to_string()
        } else {
            local
        };
        if local.parse::<u16>().is_err() {
            return Err(Failure::Client(format!("error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax")));
        }
        for a in &addresses {
            match a.as_str() {
                "localhost" => {
                    out.push_str(&format!(
                        "Forwarding from 127.0.0.1:{local} -> {remote_num}\n"
                    ));
                    out.push_str(&format!("Forwarding from [::1]:{local} -> {remote_num}\n"));
                }
                other => out.push_str(&format!(
                    "Forwarding from {other}:{local} -> {remote_num}\n"
                )),
            }
        }
    }
    ctx.out(out);
    ctx.err(format!(
        "chartlab: pod {} is simulated — no container listens behind it, so no traffic can flow {}. \
kubectl would keep running here until you press Ctrl-C.\n",
        object::name(&pod),
        crate::shell::builtins::where_we_are(k.sh.host)
    ));
    Ok(0)
}

const APPLY_FLAGS: &[Flag] = &[
    flags::v("filename", Some('f')),
    flags::b("recursive", Some('R')),
    flags::b("server-side", None),
    flags::b("force-conflicts", None),
    flags::v("field-manager", None),
    flags::opt("dry-run", None, "unchanged"),
    flags::v("output", Some('o')),
    flags::opt("validate", None, "strict"),
    flags::b("prune", None),
    flags::v("selector", Some('l')),
    flags::b("overwrite", None),
    flags::b("wait", None),
    flags::v("kustomize", Some('k')),
];

/// Applies (or creates) the objects of manifests. `create_only`: `kubectl create -f`.
#[allow(clippy::too_many_arguments)]
fn apply_objects(
    k: &mut Kubectl,
    docs: Vec<Value>,
    create_only: bool,
    server_side: bool,
    force: bool,
    manager: &str,
    dry: Option<&str>,
    output: Option<&str>,
    ctx: &mut Ctx,
) -> R<i32> {
    let reg = k.registry()?;
    let mut errors = Vec::new();
    let mut printed: Vec<Value> = Vec::new();
    for mut d in docs {
        if object::api_version(&d).is_empty() || object::kind(&d).is_empty() {
            let mut missing = Vec::new();
            if object::api_version(&d).is_empty() {
                missing.push("apiVersion not set");
            }
            if object::kind(&d).is_empty() {
                missing.push("kind not set");
            }
            errors.push(Failure::Client(format!(
                "error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false",
                missing.join(", ")
            )));
            continue;
        }
        let Some(info) = super::info_of(&reg, &d) else {
            errors.push(Failure::Client(format!(
                "resource mapping not found for name: \"{}\" namespace: \"{}\" from \"\": no matches for kind \"{}\" in version \"{}\"\nensure CRDs are installed first",
                object::name(&d),
                object::namespace(&d),
                object::kind(&d),
                object::api_version(&d)
            )));
            continue;
        };
        let ns = if info.namespaced {
            let own = object::namespace(&d).to_string();
            if !own.is_empty() && k.explicit_ns && own != k.namespace {
                errors.push(Failure::Client(format!(
                    "the namespace from the provided object \"{own}\" does not match the namespace \"{}\". You must pass '--namespace={own}' to perform this operation.",
                    k.namespace
                )));
                continue;
            }
            if own.is_empty() {
                k.namespace.clone()
            } else {
                own
            }
        } else {
            String::new()
        };
        if info.namespaced {
            object::set_path(&mut d, &["metadata", "namespace"], json!(ns));
        }
        let name = object::name(&d).to_string();
        if name.is_empty() && !create_only {
            errors.push(Failure::Client("error when retrieving current configuration of:\nResource: \"\"\nName: \"\", Namespace: \"\"\nfrom server for: \"\": resource name may not be empty".into()));
            continue;
        }
        let _ = k.sh.cluster.borrow_mut().take_changes();
        let result = if create_only {
            k.sh.cluster.borrow_mut().create(
                &info.gvr(),
                &ns,
                d.clone(),
                &WriteOptions {
                    field_manager: manager.to_string(),
                    dry_run: dry == Some("server"),
                },
            )
        } else if server_side {
            k.sh.cluster.borrow_mut().apply(
                &info.gvr(),
                &ns,
                d.clone(),
                &ApplyOptions {
                    field_manager: manager.to_string(),
                    force,
                    dry_run: dry == Some("server"),
                    field_validation: "Strict".into(),
                },
            )
        } else {
            // client-side apply: remember what was applied in the last-applied annotation,
            // and let the manager own exactly those fields (so removed fields go away)
            let mut annotated = d.clone();
            if let Some(Value::Object(m)) = annotated.get_mut("metadata") {
                if let Some(Value::Object(a)) = m.get_mut("annotations") {
                    a.shift_remove("kubectl.kubernetes.io/last-applied-configuration");
                }
            }
            let last = crate::kube::gofmt::json_marshal(&annotated);
            object::set_annotation(
                &mut annotated,
                "kubectl.kubernetes.io/last-applied-configuration",
                &format!("{last}\n"),
            );
            k.sh.cluster.borrow_mut().apply(
                &info.gvr(),
                &ns,
                annotated,
                &ApplyOptions {
                    field_manager: "kubectl-client-side-apply".into(),
                    force: true,
                    dry_run: dry == Some("server"),
                    field_validation: "Strict".into(),
                },
            )
        };
        let obj = match result {
            Ok(o) => o,
            Err(e) => {
                errors.push(Failure::Api(e));
                continue;
            }
        };
        let changes = k.sh.cluster.borrow_mut().take_changes();
        let action = changes
            .iter()
            .find(|c| c.object.name == name && c.object.kind == info.kind)
            .map(|c| c.action);
        let verb = if create_only {
            "created"
        } else if server_side {
            "serverside-applied"
        } else {
            match action {
                Some(Action::Created) => "created",
                Some(Action::Unchanged) | None => "unchanged",
                _ => "configured",
            }
        };
        let suffix = match dry {
            Some("client") => " (dry run)",
            Some("server") => " (server dry run)",
            _ => "",
        };
        match output {
            Some("name") => ctx.out(format!("{}\n", kind_name(&info, object::name(&obj)))),
            Some(_) => printed.push(obj),
            None => ctx.out(format!(
                "{} {verb}{suffix}\n",
                kind_name(&info, object::name(&obj))
            )),
        }
    }
    if let Some(o) = output {
        if o != "name" && !printed.is_empty() {
            let out = parse_output(Some(o), None, k)?;
            let single = printed.len() == 1;
            print_generic(&out, printed, single, false, false, &reg, ctx)?;
        }
    }
    finish(errors)
}

/// `kubectl apply -f`.
pub(super) fn apply(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, APPLY_FLAGS)?;
    let files = p.all("filename");
    if files.is_empty() {
        if p.has("kustomize") {
            return Err(Failure::Raw(
                "chartlab: kustomize is not available here.\n".into(),
            ));
        }
        return Err(Failure::Raw(
            "error: must specify one of -f and -k\n\n".into(),
        ));
    }
    if files.iter().any(|f| f == "-") {
        return Err(Failure::Raw(
            "chartlab: `-f -` (stdin) is not supported here; put the manifest in a file.\n".into(),
        ));
    }
    let docs = read_manifests(k, &files)?;
    if docs.is_empty() {
        return Err(Failure::Client("no objects passed to apply".into()));
    }
    let dry = match p.get("dry-run") {
        None | Some("none") => None,
        Some("client") | Some("unchanged") => Some("client"),
        Some("server") => Some("server"),
        Some(other) => {
            return Err(Failure::Client(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )))
        }
    };
    if dry == Some("client") {
        let reg = k.registry()?;
        for d in &docs {
            if let Some(info) = super::info_of(&reg, d) {
                ctx.out(format!(
                    "{} configured (dry run)\n",
                    kind_name(&info, object::name(d))
                ));
            }
        }
        return Ok(0);
    }
    let manager = p.get("field-manager").unwrap_or("kubectl").to_string();
    apply_objects(
        k,
        docs,
        false,
        p.bool("server-side"),
        p.bool("force-conflicts"),
        &manager,
        dry,
        p.get("output"),
        ctx,
    )
}

const CREATE_FLAGS: &[Flag] = &[
    flags::v("filename", Some('f')),
    flags::v("from-literal", None),
    flags::v("from-file", None),
    flags::v("from-env-file", None),
    flags::v("type", None),
    flags::v("image", None),
    flags::v("replicas", Some('r')),
    flags::v("port", None),
    flags::opt("dry-run", None, "unchanged"),
    flags::v("output", Some('o')),
    flags::v("field-manager", None),
    flags::b("save-config", None),
];

/// `kubectl create namespace|secret generic|configmap|deployment|-f`.
pub(super) fn create(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, CREATE_FLAGS)?;
    let files = p.all("filename");
    let manager = p
        .get("field-manager")
        .unwrap_or("kubectl-create")
        .to_string();
    if !files.is_empty() {
        let docs = read_manifests(k, &files)?;
        return apply_objects(
            k,
            docs,
            true,
            false,
            false,
            &manager,
            None,
            p.get("output"),
            ctx,
        );
    }
    let what = p.args.first().map(String::as_str).unwrap_or("");
    let (obj, info_plural, group): (Value, &str, &str) = match what {
        "namespace" | "ns" => {
            let Some(name) = p.args.get(1) else {
                return Err(Failure::Client("exactly one NAME is required, got 0".into()));
            };
            (json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}), "namespaces", "")
        }
        "secret" => {
            if p.args.get(1).map(String::as_str) != Some("generic") {
                return Err(Failure::Raw("chartlab: only `kubectl create secret generic NAME --from-literal=KEY=VALUE` is available here.\n".into()));
            }
            let Some(name) = p.args.get(2) else {
                return Err(Failure::Client("exactly one NAME is required, got 0".into()));
            };
            use base64::Engine;
            let mut data = Map::new();
            for lit in p.all("from-literal") {
                let Some((key, v)) = lit.split_once('=') else {
                    return Err(Failure::Client(format!("invalid literal source {lit}, expected key=value")));
                };
                data.insert(key.to_string(), json!(base64::engine::general_purpose::STANDARD.encode(v)));
            }
            for f in p.all("from-file") {
                let (key, path) = match f.split_once('=') {
                    Some((a, b)) => (a.to_string(), b.to_string()),
                    None => (crate::shell::fs::base_name(&f).to_string(), f.clone()),
                };
                let d = k.sh.fs.read(&k.sh.abs(&path)).map_err(|e| Failure::Client(format!("error reading {path}: {e}")))?;
                data.insert(key, json!(base64::engine::general_purpose::STANDARD.encode(d)));
            }
            let ty = p.get("type").unwrap_or("Opaque");
            let mut o = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": k.namespace}, "type": ty});
            if !data.is_empty() {
                o["data"] = Value::Object(data);
            }
            (o, "secrets", "")
        }
        "configmap" | "cm" => {
            let Some(name) = p.args.get(1) else {
                return Err(Failure::Client("exactly one NAME is required, got 0".into()));
            };
            let mut data = Map::new();
            for lit in p.all("from-literal") {
                let Some((key, v)) = lit.split_once('=') else {
                    return Err(Failure::Client(format!("invalid literal source {lit}, expected key=value")));
                };
                data.insert(key.to_string(), json!(v));
            }
            for f in p.all("from-file") {
                let (key, path) = match f.split_once('=') {
                    Some((a, b)) => (a.to_string(), b.to_string()),
                    None => (crate::shell::fs::base_name(&f).to_string(), f.clone()),
                };
                let d = k.sh.fs.read(&k.sh.abs(&path)).map_err(|e| Failure::Client(format!("error reading {path}: {e}")))?;
                data.insert(key, json!(String::from_utf8_lossy(&d)));
            }
            let mut o = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": k.namespace}});
            if !data.is_empty() {
                o["data"] = Value::Object(data);
            }
            (o, "configmaps", "")
        }
        "deployment" | "deploy" => {
            let Some(name) = p.args.get(1) else {
                return Err(Failure::Client("exactly one NAME is required, got 0".into()));
            };
            let Some(image) = p.get("image") else {
                return Err(Failure::Raw("error: required flag(s) \"image\" not set\n".into()));
            };
            let replicas = p.int("replicas", 1).map_err(Failure::Client)?;
            let cname = image.rsplit('/').next().unwrap_or(image).split([':', '@']).next().unwrap_or("app").to_string();
            let mut c = json!({"name": cname, "image": image, "resources": {}});
            if let Some(port) = p.get("port") {
                c["ports"] = json!([{"containerPort": port.parse::<i64>().unwrap_or(0)}]);
            }
            (
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": k.namespace, "labels": {"app": name}},
                       "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "strategy": {},
                                "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [c]}}}}),
                "deployments",
                "apps",
            )
        }
        "" => return Err(Failure::Raw("error: must specify one of -f and -k\n\n".into())),
        other => {
            return Err(Failure::Raw(format!(
                "chartlab: `kubectl create {other}` is not available here (try namespace, secret generic, configmap, deployment or -f).\n"
            )))
        }
    };
    let info = crate::kube::resources::builtin_by_plural(group, info_plural)
        .ok_or_else(|| Failure::Client("unknown resource".into()))?;
    let dry = p.get("dry-run");
    if matches!(dry, Some("client") | Some("unchanged")) {
        if let Some(o) = p.get("output") {
            let out = parse_output(Some(o), None, k)?;
            let reg = k.registry()?;
            print_generic(&out, vec![obj], true, false, false, &reg, ctx)?;
        } else {
            ctx.out(format!(
                "{} created (dry run)\n",
                kind_name(&info, object::name(&obj))
            ));
        }
        return Ok(0);
    }
    let ns = if info.namespaced {
        k.namespace.clone()
    } else {
        String::new()
    };
    let created = k.sh.cluster.borrow_mut().create(
        &info.gvr(),
        &ns,
        obj,
        &WriteOptions {
            field_manager: manager,
            dry_run: dry == Some("server"),
        },
    )?;
    ctx.out(format!(
        "{} created\n",
        kind_name(&info, object::name(&created))
    ));
    Ok(0)
}

/// `kubectl scale`.
pub(super) fn scale(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [
        flags::v("replicas", None),
        flags::v("current-replicas", None),
        flags::v("selector", Some('l')),
    ];
    let p = parse_flags(k, args, &own)?;
    let Some(r) = p.get("replicas") else {
        return Err(Failure::Raw(
            "error: required flag(s) \"replicas\" not set\n".into(),
        ));
    };
    let replicas: i64 = r.parse().map_err(|_| Failure::Client(format!("invalid argument \"{r}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax")))?;
    let reg = k.registry()?;
    let sel = select(&reg, &p.args, false)?;
    let mut out = String::new();
    for (info, names) in sel.items {
        if !matches!(
            info.kind.as_str(),
            "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
        ) {
            return Err(Failure::Client(format!("cannot scale {}", info.kind)));
        }
        for n in names.unwrap_or_default() {
            let mut obj = k.get(&info, &n)?;
            object::set_path(&mut obj, &["spec", "replicas"], json!(replicas));
            if let Some(Value::Object(m)) = obj.get_mut("metadata") {
                m.shift_remove("managedFields");
            }
            let ns = object::namespace(&obj).to_string();
            k.sh.cluster.borrow_mut().update(
                &info.gvr(),
                &ns,
                obj,
                &WriteOptions {
                    field_manager: "kubectl".into(),
                    dry_run: false,
                },
            )?;
            out.push_str(&format!("{} scaled\n", kind_name(&info, &n)));
        }
    }
    ctx.out(out);
    Ok(0)
}

/// The Deployment a rollout command names.
fn rollout_targets(k: &mut Kubectl, args: &[String]) -> R<Vec<(ResourceInfo, Value)>> {
    let reg = k.registry()?;
    if args.is_empty() {
        return Err(Failure::Raw(
            "error: required resource not specified\n".into(),
        ));
    }
    let sel = select(&reg, args, false)?;
    let mut out = Vec::new();
    for (info, names) in sel.items {
        for n in names.unwrap_or_default() {
            let o = k.get(&info, &n)?;
            out.push((info.clone(), o));
        }
    }
    Ok(out)
}

/// The ReplicaSets a Deployment owns, keyed by their revision.
fn revisions(k: &mut Kubectl, d: &Value) -> R<Vec<(i64, Value)>> {
    let info = crate::kube::resources::builtin_by_plural("apps", "replicasets")
        .ok_or_else(|| Failure::Client("no replicasets".into()))?;
    let saved = k.namespace.clone();
    k.namespace = object::namespace(d).to_string();
    let rss = k.list(&info, false, &ListOptions::default());
    k.namespace = saved;
    let uid = object::uid(d);
    let mut out: Vec<(i64, Value)> = rss?
        .into_iter()
        .filter(|rs| object::controller_of(rs).is_some_and(|r| r.uid == uid))
        .filter_map(|rs| {
            let v = object::annotations(&rs)
                .get("deployment.kubernetes.io/revision")
                .and_then(|s| s.parse::<i64>().ok())?;
            Some((v, rs))
        })
        .collect();
    out.sort_stable_by_key(|(v, _)| *v);
    Ok(out)
}

/// Writes a Deployment that `kubectl rollout undo/restart/pause/resume` changed: an update as
/// field manager `kubectl-rollout`, without the managed fields it was read with.
fn rollout_write(k: &mut Kubectl, info: &ResourceInfo, mut nd: Value) -> Result<(), Failure> {
    if let Some(Value::Object(m)) = nd.get_mut("metadata") {
        m.shift_remove("managedFields");
    }
    let ns = object::namespace(&nd).to_string();
    k.sh.cluster.borrow_mut().update(
        &info.gvr(),
        &ns,
        nd,
        &WriteOptions {
            field_manager: "kubectl-rollout".into(),
            dry_run: false,
        },
    )?;
    Ok(())
}

/// `kubectl rollout …` (deployments).
pub(super) fn rollout(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let Some(sub) = args.first() else {
        ctx.out(ROLLOUT_HELP);
        return Ok(0);
    };
    k.cmd = format!("rollout {sub}");
    let own = [
        flags::v("revision", None),
        flags::v("to-revision", None),
        flags::opt("watch", Some('w'), "true"),
        flags::v("timeout", None),
        flags::opt("dry-run", None, "unchanged"),
        flags::v("output", Some('o')),
        flags::v("selector", Some('l')),
    ];
    let p = parse_flags(k, &args[1..], &own)?;
    let targets = rollout_targets(k, &p.args)?;
    let mut out = String::new();
    for (info, d) in targets {
        if info.kind != "Deployment" {
            return Err(Failure::Client(match sub.as_str() {
                "status" => format!("no status viewer has been implemented for {}", info.kind),
                "history" => format!(
                    "no history viewer has been implemented for \"{}\"",
                    info.gvr().group_version().api_version()
                ),
                _ => format!(
                    "{} is not supported by chartlab's kubectl rollout (deployments only)",
                    info.kind_prefix()
                ),
            }));
        }
        let name = object::name(&d).to_string();
        let kn = kind_name(&info, &name);
        match sub.as_str() {
            "status" => {
                let gen = object::generation(&d);
                let observed = object::int_path(&d, &["status", "observedGeneration"]).unwrap_or(0);
                let want = object::int_path(&d, &["spec", "replicas"]).unwrap_or(1);
                let updated = object::int_path(&d, &["status", "updatedReplicas"]).unwrap_or(0);
                let total = object::int_path(&d, &["status", "replicas"]).unwrap_or(0);
                let avail = object::int_path(&d, &["status", "availableReplicas"]).unwrap_or(0);
                if gen > observed {
                    out.push_str("Waiting for deployment spec update to be observed...\n");
                } else if updated < want {
                    out.push_str(&format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {want} new replicas have been updated...\n"));
                } else if total > updated {
                    out.push_str(&format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", total - updated));
                } else if avail < updated {
                    out.push_str(&format!("Waiting for deployment \"{name}\" rollout to finish: {avail} of {updated} updated replicas are available...\n"));
                } else {
                    out.push_str(&format!("deployment \"{name}\" successfully rolled out\n"));
                }
            }
            "history" => {
                let revs = revisions(k, &d)?;
                let want: i64 = p.int("revision", 0).map_err(Failure::Client)?;
                if revs.is_empty() {
                    out.push_str(&format!("{kn} No rollout history found.\n"));
                    continue;
                }
                if want > 0 {
                    let Some((_, rs)) = revs.iter().find(|(v, _)| *v == want) else {
                        return Err(Failure::Client(
                            "unable to find the specified revision".into(),
                        ));
                    };
                    let mut text = String::new();
                    template_text(
                        get_path(rs, &["spec", "template"]).unwrap_or(&Value::Null),
                        &mut text,
                    );
                    out.push_str(&format!("{kn} with revision #{want}\n{text}\n"));
                    continue;
                }
                let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
                for (v, rs) in &revs {
                    let cause = object::annotations(rs)
                        .get("kubernetes.io/change-cause")
                        .cloned()
                        .unwrap_or_else(|| "<none>".into());
                    table.push_str(&format!("{v}\t{cause}\n"));
                }
                let t = crate::shell::tabwriter::tabwrite(
                    &table,
                    crate::shell::tabwriter::Settings {
                        minwidth: 0,
                        padding: 2,
                    },
                );
                out.push_str(&format!("{kn} \n{t}\n"));
            }
            "undo" => {
                let revs = revisions(k, &d)?;
                let to: i64 = p.int("to-revision", 0).map_err(Failure::Client)?;
                let rs = if to == 0 {
                    if revs.len() < 2 {
                        return Err(Failure::Client(format!(
                            "no rollout history found for deployment \"{name}\""
                        )));
                    }
                    revs[revs.len() - 2].1.clone()
                } else {
                    match revs.iter().find(|(v, _)| *v == to) {
                        Some((_, rs)) => rs.clone(),
                        None => {
                            return Err(Failure::Client(format!(
                                "unable to find specified revision {to} in history"
                            )))
                        }
                    }
                };
                if get_path(&d, &["spec", "paused"]) == Some(&Value::Bool(true)) {
                    return Err(Failure::Client("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into()));
                }
                let strip = |t: &Value| {
                    let mut t = t.clone();
                    if let Some(Value::Object(l)) =
                        t.get_mut("metadata").and_then(|m| m.get_mut("labels"))
                    {
                        l.shift_remove("pod-template-hash");
                    }
                    t
                };
                let rs_t = strip(get_path(&rs, &["spec", "template"]).unwrap_or(&Value::Null));
                let d_t = strip(get_path(&d, &["spec", "template"]).unwrap_or(&Value::Null));
                let rev_of_rs = object::annotations(&rs)
                    .get("deployment.kubernetes.io/revision")
                    .cloned()
                    .unwrap_or_default();
                if rs_t == d_t {
                    out.push_str(&format!("{kn} skipped rollback (current template already matches revision {rev_of_rs})\n"));
                    continue;
                }
                let mut nd = d.clone();
                object::set_path(&mut nd, &["spec", "template"], rs_t);
                rollout_write(k, &info, nd)?;
                out.push_str(&format!("{kn} rolled back\n"));
            }
            "restart" => {
                if get_path(&d, &["spec", "paused"]) == Some(&Value::Bool(true)) {
                    return Err(Failure::Client(
                        "can't restart paused deployment (run rollout resume first)".to_string(),
                    ));
                }
                let now = k.sh.now().rfc3339();
                let mut nd = d.clone();
                object::set_path(
                    &mut nd,
                    &[
                        "spec",
                        "template",
                        "metadata",
                        "annotations",
                        "kubectl.kubernetes.io/restartedAt",
                    ],
                    json!(now),
                );
                rollout_write(k, &info, nd)?;
                out.push_str(&format!("{kn} restarted\n"));
            }
            "pause" | "resume" => {
                let want = sub == "pause";
                let is = get_path(&d, &["spec", "paused"]) == Some(&Value::Bool(true));
                if is == want {
                    return Err(Failure::Client(format!(
                        "{kn} is {}",
                        if want { "already paused" } else { "not paused" }
                    )));
                }
                let mut nd = d.clone();
                object::set_path(&mut nd, &["spec", "paused"], json!(want));
                rollout_write(k, &info, nd)?;
                out.push_str(&format!(
                    "{kn} {}\n",
                    if want { "paused" } else { "resumed" }
                ));
            }
            other => {
                return Err(Failure::Raw(format!(
                    "error: unknown command \"{other}\" for \"kubectl rollout\"\n"
                )));
            }
        }
    }
    ctx.out(out);
    Ok(0)
}

/// `DescribePodTemplate` written straight to a buffer (no tab alignment), as
/// `kubectl rollout history --revision` prints it.
fn template_text(t: &Value, out: &mut String) {
    let labels = object::string_map_at(t, &["metadata", "labels"]);
    out.push_str("Pod Template:\n");
    let mut first = true;
    out.push_str("  Labels:\t");
    if labels.is_empty() {
        out.push_str("<none>\n");
    }
    for (k, v) in &labels {
        if !first {
            out.push('\t');
        }
        first = false;
        out.push_str(&format!("{k}={v}\n"));
    }
    let ann = object::string_map_at(t, &["metadata", "annotations"]);
    if !ann.is_empty() {
        out.push_str("  Annotations:\t");
        for (i, (k, v)) in ann.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            out.push_str(&format!("{k}: {v}\n"));
        }
    }
    let sa = str_path(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        out.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    out.push_str("  Containers:\n");
    for c in get_path(t, &["spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        out.push_str(&format!("   {}:\n", str_path(&c, &["name"])));
        out.push_str(&format!("    Image:\t{}\n", str_path(&c, &["image"])));
    }
}

/// `kubectl config …`: one context, `chartlab`.
pub(super) fn config(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [
        flags::b("current", None),
        flags::v("output", Some('o')),
        flags::b("minify", None),
        flags::b("raw", None),
        flags::b("flatten", None),
    ];
    let p = parse_flags(k, args, &own)?;
    let sub = p.args.first().map(String::as_str).unwrap_or("");
    match sub {
        "current-context" => ctx.out(format!("{CONTEXT}\n")),
        "get-contexts" => {
            let t = format!("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n*\t{CONTEXT}\t{CONTEXT}\t{CONTEXT}\t\n");
            ctx.out(crate::kube::printers::tabwrite(&t));
        }
        "get-clusters" => ctx.out(format!("NAME\n{CONTEXT}\n")),
        "get-users" => ctx.out(format!("NAME\n{CONTEXT}\n")),
        "use-context" => match p.args.get(1) {
            Some(c) if c == CONTEXT => ctx.out(format!("Switched to context \"{CONTEXT}\".\n")),
            Some(c) => return Err(Failure::Client(format!("no context exists with the name: \"{c}\""))),
            None => return Err(Failure::Client("Unexpected args: []".into())),
        },
        "view" => ctx.out(format!(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:6443\n  name: {CONTEXT}\ncontexts:\n- context:\n    cluster: {CONTEXT}\n    user: {CONTEXT}\n  name: {CONTEXT}\ncurrent-context: {CONTEXT}\nkind: Config\npreferences: {{}}\nusers:\n- name: {CONTEXT}\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"
        )),
        "set-context" => ctx.out(format!("Context \"{CONTEXT}\" modified.\n")),
        "" => {
            ctx.out("Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n");
        }
        other => {
            return Err(Failure::Raw(format!(
                "chartlab: `kubectl config {other}` is not available: the terminal has one fixed context, \"{CONTEXT}\".\n"
            )))
        }
    }
    Ok(0)
}

/// `kubectl version`.
pub(super) fn version(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [flags::b("client", None), flags::v("output", Some('o'))];
    let p = parse_flags(k, args, &own)?;
    let server = k.sh.cluster.borrow_mut().version().ok();
    let kustomize = "v5.8.1";
    let client = json!({
        "major": "1", "minor": "36", "gitVersion": CLIENT_VERSION,
        "gitCommit": "", "gitTreeState": "clean", "buildDate": "", "goVersion": "go1.26.0",
        "compiler": "gc", "platform": "linux/amd64"
    });
    match p.get("output") {
        Some(o @ ("json" | "yaml")) => {
            let mut doc = Map::new();
            doc.insert("clientVersion".into(), client);
            doc.insert("kustomizeVersion".into(), json!(kustomize));
            if !p.bool("client") {
                if let Some(s) = server {
                    doc.insert("serverVersion".into(), s);
                }
            }
            let v = Value::Object(doc);
            if o == "json" {
                ctx.out(super::to_json(&v));
            } else {
                ctx.out(super::to_yaml(&v));
            }
        }
        Some(other) => {
            return Err(
                Failure::Client(format!("--output must be 'yaml' or 'json', got {other}"))
                    .into_raw(),
            )
        }
        None => {
            let mut s =
                format!("Client Version: {CLIENT_VERSION}\nKustomize Version: {kustomize}\n");
            if !p.bool("client") {
                let sv = server
                    .as_ref()
                    .and_then(|v| v.get("gitVersion"))
                    .and_then(Value::as_str)
                    .unwrap_or(crate::kube::resources::KUBE_VERSION)
                    .to_string();
                s.push_str(&format!("Server Version: {sv}\n"));
            }
            ctx.out(s);
        }
    }
    Ok(0)
}

impl Failure {
    fn into_raw(self) -> Failure {
        match self {
            Failure::Client(m) => Failure::Raw(format!("error: {m}\n")),
            other => other,
        }
    }
}

/// `kubectl api-resources`.
pub(super) fn api_resources(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [
        flags::v("output", Some('o')),
        flags::opt("namespaced", None, "true"),
        flags::v("api-group", None),
        flags::b("no-headers", None),
        flags::v("verbs", None),
        flags::v("sort-by", None),
        flags::v("categories", None),
        flags::b("cached", None),
    ];
    let p = parse_flags(k, args, &own)?;
    let reg = k.registry()?;
    let mut rows: Vec<&ResourceInfo> = Vec::new();
    for r in &reg.resources {
        if rows
            .iter()
            .any(|x| x.group == r.group && x.plural == r.plural)
        {
            continue;
        }
        if let Some(g) = p.get("api-group") {
            if r.group != g {
                continue;
            }
        }
        if let Some(n) = p.get("namespaced") {
            if (n == "true") != r.namespaced {
                continue;
            }
        }
        if let Some(vs) = p.get("verbs") {
            if !vs.split(',').all(|v| r.has_verb(v)) {
                continue;
            }
        }
        if let Some(c) = p.get("categories") {
            if !c
                .split(',')
                .all(|cat| r.categories.iter().any(|x| x == cat))
            {
                continue;
            }
        }
        rows.push(r);
    }
    // kubectl sorts by group, then by resource name
    rows.sort_stable_by(|a, b| a.group.cmp(&b.group).then(a.plural.cmp(&b.plural)));
    if p.get("sort-by") == Some("name") {
        rows.sort_stable_by(|a, b| a.plural.cmp(&b.plural));
    }
    let name_only = p.get("output") == Some("name");
    let wide = p.get("output") == Some("wide");
    let mut t = String::new();
    if !p.bool("no-headers") && !name_only {
        t.push_str(if wide {
            "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\tVERBS\tCATEGORIES\n"
        } else {
            "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n"
        });
    }
    for r in rows {
        if name_only {
            t.push_str(&format!(
                "{}\n",
                if r.group.is_empty() {
                    r.plural.clone()
                } else {
                    format!("{}.{}", r.plural, r.group)
                }
            ));
            continue;
        }
        t.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.plural,
            r.short_names.join(","),
            r.api_version(),
            r.namespaced,
            r.kind
        ));
        if wide {
            t.push_str(&format!(
                "\t[{}]\t{}",
                r.verbs.join(" "),
                r.categories.join(",")
            ));
        }
        t.push('\n');
    }
    ctx.out(if name_only {
        t
    } else {
        crate::kube::printers::tabwrite(&t)
    });
    Ok(0)
}

/// `kubectl api-versions`.
pub(super) fn api_versions(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let _ = parse_flags(k, args, &[])?;
    let reg = k.registry()?;
    let mut v = reg.api_versions();
    v.sort_stable();
    v.dedup();
    ctx.out(v.join("\n") + "\n");
    Ok(0)
}

/// `kubectl explain`: the resource's kind and version; the field documentation lives in the
/// API server's OpenAPI documents, which the simulated cluster does not carry.
pub(super) fn explain(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let own = [
        flags::b("recursive", None),
        flags::v("api-version", None),
        flags::v("output", Some('o')),
    ];
    let p = parse_flags(k, args, &own)?;
    let Some(arg) = p.args.first() else {
        return Err(Failure::Raw("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples\n".into()));
    };
    let reg = k.registry()?;
    let (ty, field) = match arg.split_once('.') {
        Some((t, f)) if reg.resolve(arg).is_none() => (t.to_string(), Some(f.to_string())),
        _ => (arg.clone(), None),
    };
    let Some(info) = reg.resolve(&ty) else {
        return Err(Failure::Client(format!(
            "the server doesn't have a resource type \"{ty}\""
        )));
    };
    let mut s = String::new();
    if !info.group.is_empty() {
        s.push_str(&format!("GROUP:      {}\n", info.group));
    }
    s.push_str(&format!(
        "KIND:       {}\nVERSION:    {}\n",
        info.kind, info.version
    ));
    if let Some(f) = field {
        s.push_str(&format!("\nFIELD: {f}\n"));
    }
    ctx.out(s);
    ctx.err("chartlab: field documentation comes from the API server's OpenAPI schema, which the simulated cluster does not carry; see https://kubernetes.io/docs/reference/kubernetes-api/\n");
    Ok(0)
}

/// `kubectl cluster-info`.
pub(super) fn cluster_info(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, &[])?;
    if p.args.first().map(String::as_str) == Some("dump") {
        return Err(Failure::Raw("chartlab: `kubectl cluster-info dump` is not available here; use `kubectl get all -A -o yaml`.\n".into()));
    }
    ctx.out("Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    Ok(0)
}

/// kubectl's `rollout` help.
const ROLLOUT_HELP: &str = "Manage the rollout of one or many resources.
        
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
  
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
  
  # Restart a deployment
  kubectl rollout restart deployment/abc
  
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use \"kubectl rollout <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";
