//! `kubectl` v1.36 (k8s.io/kubectl `pkg/cmd`) over the session's [`crate::kube::cluster::Cluster`]:
//! the resource builder's argument forms (`TYPE`, `TYPE NAME…`, `TYPE/NAME`, `a,b`, `all`),
//! the printers (`-o yaml|json|name|wide|jsonpath|jsonpath-as-json|custom-columns|go-template`),
//! and the commands a workshop uses. Errors are kubectl's (`error: …`, `Error from server
//! (NotFound): …`), exit code 1.

mod cmds;
mod describe;
mod get;

use serde_json::Value;

use super::flags::{self, Flag};
use super::io::Ctx;
use super::Shell;
use crate::kube::cluster::{items_with_kind, ListOptions};
use crate::kube::object;
use crate::kube::resources::{Registry, ResourceInfo};
use crate::kube::status::ApiError;

/// The kubectl version shown by `kubectl version` (the simulated server's version).
pub(super) const CLIENT_VERSION: &str = "v1.36.0";
/// The kubeconfig context name shown by `kubectl config`.
pub(super) const CONTEXT: &str = "chartlab";

/// kubectl's command names in the order `NewKubectlCommand` registers them (cobra suggests
/// in this order).
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
    "help",
];

/// Flags every kubectl command accepts (`kubectl options`).
const GLOBAL: &[Flag] = &[
    flags::v("namespace", Some('n')),
    flags::v("context", None),
    flags::v("cluster", None),
    flags::v("user", None),
    flags::v("kubeconfig", None),
    flags::v("server", Some('s')),
    flags::v("token", None),
    flags::v("request-timeout", None),
    flags::v("v", Some('v')),
    flags::b("insecure-skip-tls-verify", None),
    flags::v("as", None),
    flags::v("cache-dir", None),
    flags::b("warnings-as-errors", None),
    flags::b("match-server-version", None),
];

/// A failed kubectl command: what it prints on stderr.
pub(super) enum Failure {
    /// `error: …`
    Client(String),
    /// An API error (`Error from server (…): …`).
    Api(ApiError),
    /// Printed as is (already ends with a newline).
    Raw(String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<String> for Failure {
    fn from(e: String) -> Self {
        Failure::Client(e)
    }
}

pub(super) type R<T> = Result<T, Failure>;

/// Prints a failure as kubectl's `CheckErr` does and returns the exit code.
pub(super) fn report(ctx: &mut Ctx, f: Failure) -> i32 {
    match f {
        Failure::Client(m) => {
            let m = if m.starts_with("error: ") {
                m
            } else {
                format!("error: {m}")
            };
            ctx.err(if m.ends_with('\n') {
                m
            } else {
                format!("{m}\n")
            });
        }
        Failure::Api(e) => ctx.err(e.kubectl_text()),
        Failure::Raw(s) => ctx.err(s),
    }
    1
}

/// The state of one kubectl invocation.
pub(super) struct Kubectl<'a> {
    pub sh: &'a mut Shell,
    /// `-n` or the context's namespace.
    pub namespace: String,
    /// `-n` was given.
    pub explicit_ns: bool,
    /// The command path for messages (`get`, `rollout status`).
    pub cmd: String,
}

impl Kubectl<'_> {
    /// The served resources.
    pub fn registry(&mut self) -> R<Registry> {
        Ok(self.sh.cluster.borrow_mut().registry()?)
    }

    /// Lists objects of a resource (with `apiVersion`/`kind` put back on the items).
    pub fn list(&mut self, info: &ResourceInfo, all_ns: bool, opts: &ListOptions) -> R<Vec<Value>> {
        let ns = if !info.namespaced || all_ns {
            None
        } else {
            Some(self.namespace.clone())
        };
        let list = self
            .sh
            .cluster
            .borrow_mut()
            .list(&info.gvr(), ns.as_deref(), opts)?;
        Ok(items_with_kind(&list, &info.api_version(), &info.kind))
    }

    pub fn get(&mut self, info: &ResourceInfo, name: &str) -> R<Value> {
        let ns = if info.namespaced {
            self.namespace.clone()
        } else {
            String::new()
        };
        let mut obj = self.sh.cluster.borrow_mut().get(&info.gvr(), &ns, name)?;
        if let Value::Object(m) = &mut obj {
            if !m.contains_key("kind") {
                m.insert("kind".into(), Value::String(info.kind.clone()));
                m.insert("apiVersion".into(), Value::String(info.api_version()));
            }
        }
        Ok(obj)
    }

    /// kubectl's `error: unknown flag` texts and the command's usage hint.
    pub fn flag_error(&self, e: &str) -> Failure {
        Failure::Raw(format!(
            "Error: {e}\nSee 'kubectl {} --help' for usage.\n",
            self.cmd
        ))
    }
}

/// What a resource argument list asks for.
#[derive(Clone, Debug)]
pub(super) struct Selection {
    /// In request order: the resource, and the names asked for (`None`: all of them).
    pub items: Vec<(ResourceInfo, Option<Vec<String>>)>,
    /// Exactly one named object was asked for (kubectl then prints it without a List).
    pub single: bool,
}

/// Resolves one resource word (`po`, `deployments.apps`, `all`) to resources.
pub(super) fn resolve_type(reg: &Registry, word: &str) -> R<Vec<ResourceInfo>> {
    if word == "all" {
        return Ok(reg.category("all").into_iter().cloned().collect());
    }
    match reg.resolve(word) {
        Some(r) => Ok(vec![r.clone()]),
        None => Err(Failure::Client(format!(
            "the server doesn't have a resource type \"{word}\""
        ))),
    }
}

/// `ResourceTypeOrNameArgs`: `TYPE`, `TYPE[,TYPE…]`, `TYPE NAME…`, `TYPE/NAME…`.
pub(super) fn select(reg: &Registry, args: &[String], allow_empty: bool) -> R<Selection> {
    if args.is_empty() {
        if allow_empty {
            return Ok(Selection {
                items: Vec::new(),
                single: false,
            });
        }
        return Err(Failure::Client(
            "Required resource not specified.".to_string(),
        ));
    }
    let slash: Vec<&String> = args.iter().filter(|a| a.contains('/')).collect();
    if !slash.is_empty() {
        if slash.len() != args.len() {
            return Err(Failure::Client("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into()));
        }
        let mut items: Vec<(ResourceInfo, Option<Vec<String>>)> = Vec::new();
        for a in args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            if n.is_empty() || t.is_empty() {
                return Err(Failure::Client(
                    "arguments in resource/name form must have a single resource and name"
                        .to_string(),
                ));
            }
            let infos = resolve_type(reg, t)?;
            let Some(info) = infos.into_iter().next() else {
                continue;
            };
            match items.iter_mut().find(|(i, _)| i.gvr() == info.gvr()) {
                Some((_, Some(names))) => names.push(n.to_string()),
                _ => items.push((info, Some(vec![n.to_string()]))),
            }
        }
        let single = args.len() == 1;
        return Ok(Selection { items, single });
    }
    let types: Vec<&str> = args[0].split(',').filter(|s| !s.is_empty()).collect();
    let names: Vec<String> = args[1..].to_vec();
    let mut infos = Vec::new();
    for t in &types {
        for i in resolve_type(reg, t)? {
            if !infos.iter().any(|x: &ResourceInfo| x.gvr() == i.gvr()) {
                infos.push(i);
            }
        }
    }
    if names.is_empty() {
        return Ok(Selection {
            items: infos.into_iter().map(|i| (i, None)).collect(),
            single: false,
        });
    }
    let single = infos.len() == 1 && names.len() == 1;
    Ok(Selection {
        items: infos
            .into_iter()
            .map(|i| (i, Some(names.clone())))
            .collect(),
        single,
    })
}

/// Go's `time.RFC1123Z` layout (`Mon, 02 Jan 2006 15:04:05 -0700`) of a Unix time at a UTC
/// offset.
pub(super) fn rfc1123z(secs: i64, offset: i32) -> String {
    let t = crate::kube::time::Time(secs + offset as i64).rfc3339();
    let (y, mo, d, hms) = (&t[0..4], &t[5..7], &t[8..10], &t[11..19]);
    let days = (secs + offset as i64).div_euclid(86_400);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.unsigned_abs();
    format!(
        "{wd}, {d} {month} {y} {hms} {sign}{:02}{:02}",
        o / 3600,
        (o / 60) % 60
    )
}

/// The value of `--context` anywhere before `--`.
fn context_flag(args: &[String]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--context" {
            return it.next().cloned();
        }
        if let Some(v) = a.strip_prefix("--context=") {
            return Some(v.to_string());
        }
    }
    None
}

/// `kubectl …`.
pub(super) fn main(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    // global flags may come before the command
    let mut i = 0;
    let mut pre: Vec<String> = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        let a = &args[i];
        pre.push(a.clone());
        i += 1;
        let takes_value = GLOBAL.iter().any(|f| {
            f.kind == flags::Kind::Value
                && (a == &format!("--{}", f.long) || f.short.is_some_and(|c| a == &format!("-{c}")))
        });
        if takes_value && i < args.len() {
            pre.push(args[i].clone());
            i += 1;
        }
    }
    let Some(cmd) = args.get(i) else {
        ctx.out(USAGE);
        return 0;
    };
    let mut rest: Vec<String> = pre;
    rest.extend(args[i + 1..].iter().cloned());
    let cmd = cmd.as_str();
    if let Some(other) = context_flag(&rest).filter(|c| !c.is_empty() && c != CONTEXT) {
        // the kubeconfig has one context; kubectl's two wordings for a missing one
        let resource_cmd = matches!(
            cmd,
            "get"
                | "describe"
                | "delete"
                | "logs"
                | "rollout"
                | "scale"
                | "port-forward"
                | "top"
                | "label"
                | "annotate"
                | "edit"
                | "exec"
                | "patch"
                | "attach"
                | "wait"
        );
        if resource_cmd {
            ctx.err(format!(
                "Error in configuration: context was not found for specified context: {other}\n"
            ));
            return 1;
        }
        if !matches!(cmd, "config" | "help" | "completion" | "options") {
            ctx.err(format!("error: context \"{other}\" does not exist\n"));
            return 1;
        }
    }
    let mut k = Kubectl {
        sh,
        namespace: "default".into(),
        explicit_ns: false,
        cmd: cmd.to_string(),
    };
    let result = match cmd {
        "get" => get::get(&mut k, &rest, ctx),
        "describe" => describe::describe(&mut k, &rest, ctx),
        "delete" => cmds::delete(&mut k, &rest, ctx),
        "logs" => cmds::logs(&mut k, &rest, ctx),
        "rollout" => cmds::rollout(&mut k, &rest, ctx),
        "port-forward" => cmds::port_forward(&mut k, &rest, ctx),
        "apply" => cmds::apply(&mut k, &rest, ctx),
        "create" => cmds::create(&mut k, &rest, ctx),
        "config" => cmds::config(&mut k, &rest, ctx),
        "version" => cmds::version(&mut k, &rest, ctx),
        "api-resources" => cmds::api_resources(&mut k, &rest, ctx),
        "api-versions" => cmds::api_versions(&mut k, &rest, ctx),
        "explain" => cmds::explain(&mut k, &rest, ctx),
        "cluster-info" => cmds::cluster_info(&mut k, &rest, ctx),
        "scale" => cmds::scale(&mut k, &rest, ctx),
        "exec" | "attach" | "cp" | "debug" | "proxy" | "top" | "edit" | "run" | "expose"
        | "patch" | "replace" | "label" | "annotate" | "set" | "wait" | "drain" | "cordon"
        | "uncordon" | "taint" | "auth" | "certificate" | "diff" | "kustomize" | "plugin"
        | "events" | "autoscale" | "completion" | "alpha" => {
            let why = match cmd {
                "exec" | "attach" | "cp" | "debug" => {
                    "no container really runs in the simulated cluster, so there is nothing to attach to"
                }
                "edit" => "there is no interactive editor here; use `kubectl apply -f FILE` with a file from your workspace",
                "top" => "the simulated cluster has no metrics server",
                "proxy" => "nothing can listen for connections here",
                _ => "this command is not part of ChartLab's kubectl",
            };
            Err(Failure::Raw(format!(
                "chartlab: `kubectl {cmd}` is not available: {why}.\n"
            )))
        }
        "help" | "--help" | "-h" => {
            ctx.out(USAGE);
            Ok(0)
        }
        other => Err(Failure::Raw(format!(
            "Error: unknown command \"{other}\" for \"kubectl\"{}\n",
            super::helm::suggestions(other, KUBECTL_COMMANDS)
        ))),
    };
    match result {
        Ok(code) => code,
        Err(f) => report(ctx, f),
    }
}

/// Parses a command's flags together with the global ones and applies `-n`.
pub(super) fn parse_flags(k: &mut Kubectl, args: &[String], own: &[Flag]) -> R<flags::Parsed> {
    let mut all: Vec<Flag> = GLOBAL.to_vec();
    all.extend_from_slice(own);
    let p = flags::parse(args, &all).map_err(|e| k.flag_error(&e))?;
    if let Some(ns) = p.get("namespace") {
        if ns.is_empty() {
            return Err(Failure::Client(
                "a resource cannot be retrieved by name across all namespaces".into(),
            ));
        }
        k.namespace = ns.to_string();
        k.explicit_ns = true;
    }
    Ok(p)
}

/// An object as kubectl prints it with `-o yaml` (sigs.k8s.io/yaml of the JSON).
pub(super) fn to_yaml(v: &Value) -> String {
    let ev = crate::json::from_serde(v);
    crate::yaml::to_yaml(&ev).unwrap_or_default()
}

/// `-o json`: `json.MarshalIndent(obj, "", "    ")` and a newline.
pub(super) fn to_json(v: &Value) -> String {
    format!("{}\n", crate::kube::gofmt::json_marshal_indent(v, "    "))
}

/// `kind.group/name` as `-o name` and many command messages print it.
pub(super) fn kind_name(info: &ResourceInfo, name: &str) -> String {
    format!("{}/{name}", info.kind_prefix())
}

/// The [`ResourceInfo`] of an object from its `apiVersion`/`kind`.
pub(super) fn info_of(reg: &Registry, obj: &Value) -> Option<ResourceInfo> {
    let gvk = object::GroupVersionKind::of(obj).ok()?;
    reg.for_gvk(&gvk).cloned().or_else(|| {
        reg.versions_of_kind(&gvk.group, &gvk.kind)
            .first()
            .map(|r| (*r).clone())
    })
}

const USAGE: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and
label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin

Settings Commands:
  config          Modify kubeconfig files

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

#[cfg(test)]
mod tests;
