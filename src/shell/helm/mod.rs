//! `helm` v4.2.3 (helm.sh/helm/v4 `pkg/cmd`): the cobra command tree with Helm's global flags,
//! `Error: …` lines and exit codes, and the commands a learner runs: `create`, `version`,
//! `env`, the chart commands and the release commands (over [`crate::release`]). Commands that
//! need the network (`repo`, `pull`, `push`, `registry`, `search`, `plugin`) explain why they
//! are not available.

mod chartcmds;
mod depcmds;
mod lint;
mod load;
mod releasecmds;

use super::flags::{self, Flag};
use super::io::Ctx;
use super::Shell;
use crate::engine::sort::SliceSort;

/// `helm version`'s build information (the v4.2.3 release).
pub(super) const VERSION: &str = "v4.2.3";
const GIT_COMMIT: &str = "43e8b7feece8beb0fcba47059ec9b522fd929a64";
const GO_VERSION: &str = "go1.26.6";
const KUBE_CLIENT_VERSION: &str = "v1.36";

/// Helm's persistent flags (`settings.AddFlags`).
const GLOBAL: &[Flag] = &[
    flags::v("namespace", Some('n')),
    flags::v("kubeconfig", None),
    flags::v("kube-context", None),
    flags::v("kube-token", None),
    flags::v("kube-as-user", None),
    flags::v("kube-as-group", None),
    flags::v("kube-apiserver", None),
    flags::v("kube-ca-file", None),
    flags::v("kube-tls-server-name", None),
    flags::b("kube-insecure-skip-tls-verify", None),
    flags::b("debug", None),
    flags::v("registry-config", None),
    flags::v("repository-config", None),
    flags::v("repository-cache", None),
    flags::v("content-cache", None),
    flags::v("burst-limit", None),
    flags::v("qps", None),
    flags::v("color", None),
    flags::v("colour", None),
];

/// One helm command, for `helm --help` and "did you mean".
struct CmdInfo {
    name: &'static str,
    aliases: &'static [&'static str],
    short: &'static str,
}

const COMMANDS: &[CmdInfo] = &[
    CmdInfo {
        name: "completion",
        aliases: &[],
        short: "generate autocompletion scripts for the specified shell",
    },
    CmdInfo {
        name: "create",
        aliases: &[],
        short: "create a new chart with the given name",
    },
    CmdInfo {
        name: "dependency",
        aliases: &["dep", "dependencies"],
        short: "manage a chart's dependencies",
    },
    CmdInfo {
        name: "env",
        aliases: &[],
        short: "helm client environment information",
    },
    CmdInfo {
        name: "get",
        aliases: &[],
        short: "download extended information of a named release",
    },
    CmdInfo {
        name: "help",
        aliases: &[],
        short: "Help about any command",
    },
    CmdInfo {
        name: "history",
        aliases: &["hist"],
        short: "fetch release history",
    },
    CmdInfo {
        name: "install",
        aliases: &[],
        short: "install a chart",
    },
    CmdInfo {
        name: "lint",
        aliases: &[],
        short: "examine a chart for possible issues",
    },
    CmdInfo {
        name: "list",
        aliases: &["ls"],
        short: "list releases",
    },
    CmdInfo {
        name: "package",
        aliases: &[],
        short: "package a chart directory into a chart archive",
    },
    CmdInfo {
        name: "plugin",
        aliases: &[],
        short: "install, list, or uninstall Helm plugins",
    },
    CmdInfo {
        name: "pull",
        aliases: &["fetch"],
        short: "download a chart from a repository and (optionally) unpack it in local directory",
    },
    CmdInfo {
        name: "push",
        aliases: &[],
        short: "push a chart to remote",
    },
    CmdInfo {
        name: "registry",
        aliases: &[],
        short: "login to or logout from a registry",
    },
    CmdInfo {
        name: "repo",
        aliases: &[],
        short: "add, list, remove, update, and index chart repositories",
    },
    CmdInfo {
        name: "rollback",
        aliases: &[],
        short: "roll back a release to a previous revision",
    },
    CmdInfo {
        name: "search",
        aliases: &[],
        short: "search for a keyword in charts",
    },
    CmdInfo {
        name: "show",
        aliases: &["inspect"],
        short: "show information of a chart",
    },
    CmdInfo {
        name: "status",
        aliases: &[],
        short: "display the status of the named release",
    },
    CmdInfo {
        name: "template",
        aliases: &[],
        short: "locally render templates",
    },
    CmdInfo {
        name: "test",
        aliases: &[],
        short: "run tests for a release",
    },
    CmdInfo {
        name: "uninstall",
        aliases: &["del", "delete", "un"],
        short: "uninstall a release",
    },
    CmdInfo {
        name: "upgrade",
        aliases: &[],
        short: "upgrade a release",
    },
    CmdInfo {
        name: "verify",
        aliases: &[],
        short: "verify that a chart at the given path has been signed and is valid",
    },
    CmdInfo {
        name: "version",
        aliases: &[],
        short: "print the helm version information",
    },
];

/// The order `newRootCmdWithConfig` adds the commands in (cobra suggests in this order).
const REGISTRATION_ORDER: &[&str] = &[
    "create",
    "dependency",
    "pull",
    "show",
    "lint",
    "package",
    "repo",
    "search",
    "verify",
    "get",
    "history",
    "install",
    "list",
    "test",
    "rollback",
    "status",
    "template",
    "uninstall",
    "upgrade",
    "completion",
    "env",
    "plugin",
    "version",
    "registry",
    "push",
    "help",
];

/// A failed helm command: cobra prints `Error: ` and the message.
pub(super) struct HelmError(pub String);

impl From<String> for HelmError {
    fn from(s: String) -> Self {
        HelmError(s)
    }
}

impl From<&str> for HelmError {
    fn from(s: &str) -> Self {
        HelmError(s.to_string())
    }
}

pub(super) type R = Result<i32, HelmError>;

/// The state of one helm invocation.
pub(super) struct Helm<'a> {
    pub sh: &'a mut Shell,
    /// The release namespace (`-n`, `$HELM_NAMESPACE`, or `default`).
    pub namespace: String,
    pub debug: bool,
    /// The command path for messages (`helm install`).
    pub path: String,
    /// Lines Helm's logger writes to stderr (`level=WARN msg=…`), in order.
    pub warnings: Vec<String>,
    /// The command's standard input (`-f -`).
    pub stdin: Vec<u8>,
}

impl Helm<'_> {
    /// Writes the logged warnings to stderr.
    pub fn flush_warnings(&mut self, ctx: &mut Ctx) {
        for w in self.warnings.drain(..) {
            ctx.err(format!("{w}\n"));
        }
    }

    /// Parses a command's flags with the global ones; applies `-n` and `--debug`.
    pub fn parse(&mut self, args: &[String], own: &[Flag]) -> Result<flags::Parsed, HelmError> {
        let mut all: Vec<Flag> = GLOBAL.to_vec();
        all.extend_from_slice(own);
        let p = flags::parse(args, &all).map_err(HelmError)?;
        if let Some(c) = p
            .get("kube-context")
            .filter(|c| !c.is_empty() && *c != "chartlab")
        {
            self.warnings.push(format!(
                "chartlab: --kube-context {} ignored: this terminal has one cluster, context \"chartlab\"",
                crate::kube::gofmt::quote(c)
            ));
        }
        if let Some(ns) = p.get("namespace") {
            self.namespace = ns.to_string();
        }
        if p.bool("debug") {
            self.debug = true;
        }
        for c in ["color", "colour"] {
            if let Some(v) = p.get(c) {
                if !matches!(v, "never" | "auto" | "always") {
                    return Err(HelmError(format!(
                        "invalid color mode \"{v}\": must be one of: never, auto, always"
                    )));
                }
            }
        }
        Ok(p)
    }

    /// cobra's `require.ExactArgs` message.
    pub fn exact_args(&self, args: &[String], n: usize, use_line: &str) -> Result<(), HelmError> {
        if args.len() != n {
            return Err(HelmError(format!(
                "\"{}\" requires {n} {}\n\nUsage:  {use_line}",
                self.path,
                if n == 1 { "argument" } else { "arguments" }
            )));
        }
        Ok(())
    }

    pub fn min_args(&self, args: &[String], n: usize, use_line: &str) -> Result<(), HelmError> {
        if args.len() < n {
            return Err(HelmError(format!(
                "\"{}\" requires at least {n} {}\n\nUsage:  {use_line}",
                self.path,
                if n == 1 { "argument" } else { "arguments" }
            )));
        }
        Ok(())
    }

    pub fn max_args(&self, args: &[String], n: usize, use_line: &str) -> Result<(), HelmError> {
        if args.len() > n {
            return Err(HelmError(format!(
                "\"{}\" accepts at most {n} {}\n\nUsage:  {use_line}",
                self.path,
                if n == 1 { "argument" } else { "arguments" }
            )));
        }
        Ok(())
    }

    pub fn no_args(&self, args: &[String], use_line: &str) -> Result<(), HelmError> {
        if !args.is_empty() {
            return Err(HelmError(format!(
                "\"{}\" accepts no arguments\n\nUsage:  {use_line}",
                self.path
            )));
        }
        Ok(())
    }
}

/// Levenshtein distance (case-insensitive), as cobra's suggestions compute it.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's "Did you mean this?" for an unknown command.
pub(in crate::shell) fn suggestions(typed: &str, names: &[&str]) -> String {
    let mut s: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| distance(typed, n) <= 2 || n.to_lowercase().starts_with(&typed.to_lowercase()))
        .collect();
    s.dedup();
    if s.is_empty() {
        return String::new();
    }
    let mut out = "\n\nDid you mean this?\n".to_string();
    for n in s {
        out.push_str(&format!("\t{n}\n"));
    }
    out
}

/// The index of the first argument that is neither a flag nor a global flag's value (a
/// subcommand's name).
fn first_word(args: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        if !a.starts_with('-') || a == "-" {
            return Some(i);
        }
        let takes = !a.contains('=')
            && GLOBAL.iter().any(|f| {
                f.kind == flags::Kind::Value
                    && (*a == format!("--{}", f.long)
                        || f.short.is_some_and(|c| *a == format!("-{c}")))
            });
        i += if takes { 2 } else { 1 };
    }
    None
}

/// `helm …`.
pub(super) fn main(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    // global flags may come before the command
    let mut i = 0;
    let mut pre: Vec<String> = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        let a = args[i].clone();
        i += 1;
        let takes = GLOBAL.iter().any(|f| {
            f.kind == flags::Kind::Value
                && (a == format!("--{}", f.long) || f.short.is_some_and(|c| a == format!("-{c}")))
        });
        pre.push(a);
        if takes && i < args.len() {
            pre.push(args[i].clone());
            i += 1;
        }
    }
    let namespace = sh
        .var("HELM_NAMESPACE")
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    let debug = sh
        .var("HELM_DEBUG")
        .and_then(flags::parse_go_bool)
        .unwrap_or(false);
    let Some(cmd) = args.get(i).cloned() else {
        if pre.iter().any(|a| a == "--version") {
            ctx.out(format!("{}\n", version_text(false)));
            return 0;
        }
        ctx.out(root_help());
        return 0;
    };
    let mut rest = pre;
    rest.extend(args[i + 1..].iter().cloned());
    let canonical = COMMANDS
        .iter()
        .find(|c| c.name == cmd || c.aliases.contains(&cmd.as_str()))
        .map(|c| c.name);
    let Some(name) = canonical else {
        let names = REGISTRATION_ORDER;
        ctx.err(format!(
            "Error: unknown command \"{cmd}\" for \"helm\"{}\n",
            suggestions(&cmd, names)
        ));
        return 1;
    };
    let mut h = Helm {
        sh,
        namespace,
        debug,
        path: format!("helm {name}"),
        warnings: Vec::new(),
        stdin: ctx.stdin.to_vec(),
    };
    if rest.iter().any(|a| a == "--help" || a == "-h") && name != "help" {
        ctx.out(command_help(name));
        return 0;
    }
    let result = match name {
        "create" => chartcmds::create(&mut h, &rest, ctx),
        "version" => version(&mut h, &rest, ctx),
        "env" => env(&mut h, &rest, ctx),
        "help" => {
            match rest.first() {
                Some(c) => ctx.out(command_help(c)),
                None => ctx.out(root_help()),
            }
            Ok(0)
        }
        "completion" => Err(HelmError(
            "chartlab: shell completion scripts are not available in this terminal".into(),
        )),
        "install" => releasecmds::install(&mut h, &rest, ctx),
        "upgrade" => releasecmds::upgrade(&mut h, &rest, ctx),
        "rollback" => releasecmds::rollback(&mut h, &rest, ctx),
        "uninstall" => releasecmds::uninstall(&mut h, &rest, ctx),
        "list" => releasecmds::list(&mut h, &rest, ctx),
        "history" => releasecmds::history(&mut h, &rest, ctx),
        "status" => releasecmds::status(&mut h, &rest, ctx),
        "get" => releasecmds::get(&mut h, &rest, ctx),
        "test" => releasecmds::test(&mut h, &rest, ctx),
        "template" => releasecmds::template(&mut h, &rest, ctx),
        "lint" => lint::lint(&mut h, &rest, ctx),
        "dependency" => depcmds::dependency(&mut h, &rest, ctx),
        "package" => chartcmds::package(&mut h, &rest, ctx),
        "show" => chartcmds::show(&mut h, &rest, ctx),
        // repo, pull, push, registry, search, plugin, verify
        _ => unavailable(&mut h, name),
    };
    h.flush_warnings(ctx);
    match result {
        Ok(code) => code,
        Err(HelmError(m)) => {
            ctx.err(format!("Error: {m}\n"));
            1
        }
    }
}

/// A record as Go's `slog.TextHandler` writes it without the time: `level=WARN msg="…" k=v`.
pub(super) fn slog_line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    fn value(s: &str) -> String {
        let needs_quote = s.is_empty()
            || s.chars()
                .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control() || c.is_whitespace());
        if needs_quote {
            crate::kube::gofmt::quote(s)
        } else {
            s.to_string()
        }
    }
    let mut out = format!("level={level} msg={}", value(msg));
    for (k, v) in attrs {
        out.push_str(&format!(" {k}={}", value(v)));
    }
    out
}

fn version_text(short: bool) -> String {
    if short {
        return format!("{VERSION}+g{}", &GIT_COMMIT[..7]);
    }
    format!(
        "version.BuildInfo{{Version:\"{VERSION}\", GitCommit:\"{GIT_COMMIT}\", GitTreeState:\"clean\", GoVersion:\"{GO_VERSION}\", KubeClientVersion:\"{KUBE_CLIENT_VERSION}\"}}"
    )
}

/// `helm version [--short] [--template T]`.
fn version(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(args, &[flags::b("short", None), flags::v("template", None)])?;
    h.no_args(&p.args, "helm version [flags]")?;
    if let Some(t) = p.get("template") {
        use crate::engine::{FuncMap, Map, Templates, Value};
        let mut ts = Templates::new("_", FuncMap::new());
        ts.parse("_", t).map_err(|e| HelmError(e.to_string()))?;
        let m = Map::new();
        m.insert("Version", Value::str(VERSION));
        m.insert("GitCommit", Value::str(GIT_COMMIT));
        m.insert("GitTreeState", Value::str("clean"));
        m.insert("GoVersion", Value::str(GO_VERSION));
        m.insert("KubeClientVersion", Value::str(KUBE_CLIENT_VERSION));
        let env = h.sh.env.clone();
        let out = ts
            .execute("_", &Value::Map(m), &env)
            .map_err(|e| HelmError(e.to_string()))?;
        ctx.out(out);
        return Ok(0);
    }
    ctx.out(format!("{}\n", version_text(p.bool("short"))));
    Ok(0)
}

/// `helm env [NAME]`: Helm's settings as environment variables.
fn env(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(args, &[])?;
    h.max_args(&p.args, 1, "helm env [flags]")?;
    let home = h.sh.var("HOME").unwrap_or("/root").to_string();
    let var = |sh: &Shell, k: &str| sh.var(k).map(str::to_string);
    let base = |helm_var: &str, xdg: &str, default: String| -> String {
        match var(h.sh, helm_var).filter(|s| !s.is_empty()) {
            Some(b) => b,
            None => format!(
                "{}/helm",
                var(h.sh, xdg).filter(|s| !s.is_empty()).unwrap_or(default)
            ),
        }
    };
    let cache = base(
        "HELM_CACHE_HOME",
        "XDG_CACHE_HOME",
        format!("{home}/.cache"),
    );
    let config = base(
        "HELM_CONFIG_HOME",
        "XDG_CONFIG_HOME",
        format!("{home}/.config"),
    );
    let data = base(
        "HELM_DATA_HOME",
        "XDG_DATA_HOME",
        format!("{home}/.local/share"),
    );
    let or = |k: &str, d: String| var(h.sh, k).unwrap_or(d);
    let mut vars: Vec<(String, String)> = vec![
        ("HELM_BIN".into(), "helm".into()),
        (
            "HELM_BURST_LIMIT".into(),
            or("HELM_BURST_LIMIT", "100".into()),
        ),
        ("HELM_CACHE_HOME".into(), cache.clone()),
        ("HELM_CONFIG_HOME".into(), config.clone()),
        (
            "HELM_CONTENT_CACHE".into(),
            or("HELM_CONTENT_CACHE", format!("{cache}/content")),
        ),
        ("HELM_DATA_HOME".into(), data.clone()),
        ("HELM_DEBUG".into(), h.debug.to_string()),
        (
            "HELM_KUBEAPISERVER".into(),
            or("HELM_KUBEAPISERVER", String::new()),
        ),
        (
            "HELM_KUBEASGROUPS".into(),
            or("HELM_KUBEASGROUPS", String::new()),
        ),
        (
            "HELM_KUBEASUSER".into(),
            or("HELM_KUBEASUSER", String::new()),
        ),
        (
            "HELM_KUBECAFILE".into(),
            or("HELM_KUBECAFILE", String::new()),
        ),
        (
            "HELM_KUBECONTEXT".into(),
            p.get("kube-context")
                .map(str::to_string)
                .unwrap_or_else(|| or("HELM_KUBECONTEXT", String::new())),
        ),
        ("HELM_KUBEINSECURE_SKIP_TLS_VERIFY".into(), "false".into()),
        (
            "HELM_KUBETLS_SERVER_NAME".into(),
            or("HELM_KUBETLS_SERVER_NAME", String::new()),
        ),
        ("HELM_KUBETOKEN".into(), or("HELM_KUBETOKEN", String::new())),
        (
            "HELM_MAX_HISTORY".into(),
            or("HELM_MAX_HISTORY", "10".into()),
        ),
        ("HELM_NAMESPACE".into(), h.namespace.clone()),
        (
            "HELM_PLUGINS".into(),
            or("HELM_PLUGINS", format!("{data}/plugins")),
        ),
        ("HELM_QPS".into(), "0.00".into()),
        (
            "HELM_REGISTRY_CONFIG".into(),
            or(
                "HELM_REGISTRY_CONFIG",
                format!("{config}/registry/config.json"),
            ),
        ),
        (
            "HELM_REPOSITORY_CACHE".into(),
            or("HELM_REPOSITORY_CACHE", format!("{cache}/repository")),
        ),
        (
            "HELM_REPOSITORY_CONFIG".into(),
            or(
                "HELM_REPOSITORY_CONFIG",
                format!("{config}/repositories.yaml"),
            ),
        ),
    ];
    if let Some(kc) = p
        .get("kubeconfig")
        .map(str::to_string)
        .or_else(|| var(h.sh, "KUBECONFIG").filter(|s| !s.is_empty()))
    {
        vars.push(("KUBECONFIG".into(), kc));
    }
    vars.sort_stable();
    match p.args.first() {
        Some(k) => ctx.out(format!(
            "{}\n",
            vars.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        )),
        None => {
            let mut s = String::new();
            for (k, v) in vars {
                s.push_str(&format!("{k}=\"{v}\"\n"));
            }
            ctx.out(s);
        }
    }
    Ok(0)
}

/// The commands that talk to chart repositories and registries.
/// Their flags are not parsed: whatever was typed, the answer is the same.
fn unavailable(h: &mut Helm, name: &str) -> R {
    let why = match name {
        "repo" => "chart repositories live on the network, which this terminal cannot reach",
        "pull" => "charts cannot be downloaded here",
        "push" | "registry" => {
            "OCI registries live on the network, which this terminal cannot reach"
        }
        "search" => "searching needs chart repository indexes or Artifact Hub, both on the network",
        "plugin" => "plugins are programs this terminal cannot run",
        _ => "verifying needs a signed chart and its provenance file from a repository",
    };
    let place = super::builtins::where_we_are(h.sh.host);
    Err(HelmError(format!(
        "`helm {name}` is not available {place}: {why}. To use a published chart (for example a dependency such as bitnami's `common`), download its .tgz with `helm pull` on a machine with network access and put it in your workspace (e.g. charts/myapi/charts/), or point the dependency at a local folder with `repository: file://…`."
    )))
}

fn root_help() -> String {
    let mut s = String::from(
        "The Kubernetes package manager

Common actions for Helm:

- helm search:    search for charts
- helm pull:      download a chart to your local directory to view
- helm install:   upload the chart to Kubernetes
- helm list:      list releases of charts

Usage:
  helm [command]

Available Commands:
",
    );
    for c in COMMANDS {
        s.push_str(&format!("  {:<11} {}\n", c.name, c.short));
    }
    s.push_str(
        "
Flags:
      --debug                 enable verbose output
  -h, --help                  help for helm
      --kube-context string   name of the kubeconfig context to use
  -n, --namespace string      namespace scope for this request

Use \"helm [command] --help\" for more information about a command.
",
    );
    s
}

/// Short help for one command.
fn command_help(name: &str) -> String {
    let info = COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name));
    let Some(info) = info else {
        return format!("Unknown help topic [`{name}`]\n");
    };
    let usage = match info.name {
        "create" => "helm create NAME [flags]",
        "install" => "helm install [NAME] [CHART] [flags]",
        "upgrade" => "helm upgrade [RELEASE] [CHART] [flags]",
        "rollback" => "helm rollback <RELEASE> [REVISION] [flags]",
        "uninstall" => "helm uninstall RELEASE_NAME [...] [flags]",
        "list" => "helm list [flags]",
        "history" => "helm history RELEASE_NAME [flags]",
        "status" => "helm status RELEASE_NAME [flags]",
        "get" => "helm get [command]",
        "template" => "helm template [NAME] [CHART] [flags]",
        "lint" => "helm lint PATH [flags]",
        "package" => "helm package [CHART_PATH] [...] [flags]",
        "dependency" => "helm dependency update|build|list [flags]",
        "show" => "helm show [command]",
        "test" => "helm test [RELEASE] [flags]",
        "version" => "helm version [flags]",
        "env" => "helm env [flags]",
        other => {
            return format!(
                "{}\n\nUsage:\n  helm {other} [flags]\n",
                capitalize(info.short)
            );
        }
    };
    let mut s = format!("{}\n\nUsage:\n  {usage}\n", capitalize(info.short));
    if !info.aliases.is_empty() {
        let mut a = vec![info.name];
        a.extend(info.aliases.iter().copied());
        s.push_str(&format!("\nAliases:\n  {}\n", a.join(", ")));
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
