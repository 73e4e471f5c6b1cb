//! Helm's release commands (pkg/cmd install.go, upgrade.go, rollback.go, uninstall.go,
//! list.go, history.go, status.go, get*.go, release_testing.go, template.go): their flags, the
//! chart and values they load, and the order they fail in; the actions and their printed
//! texts come from [`crate::release::commands`].

use std::collections::BTreeMap;

use super::load::{load_located, locate, log_load_warnings, Loaded};
use super::{Helm, HelmError, R};
use crate::engine::Map;
use crate::release::action::{Configuration, DryRun, WaitStrategy};
use crate::release::cli::{Format, ListPrint};
use crate::release::commands::{self, Output};
use crate::release::install::Install;
use crate::release::query::{List, ReleaseTesting};
use crate::release::rollback::Rollback;
use crate::release::storage::DriverKind;
use crate::release::uninstall::Uninstall;
use crate::release::upgrade::Upgrade;
use crate::shell::flags::{self, Flag, Parsed};
use crate::shell::io::Ctx;

/// `addValueOptionsFlags`.
pub(super) const VALUE_FLAGS: &[Flag] = &[
    flags::v("values", Some('f')),
    flags::v("set", None),
    flags::v("set-string", None),
    flags::v("set-file", None),
    flags::v("set-json", None),
    flags::v("set-literal", None),
];

/// `addChartPathOptionsFlags` (repository options are accepted; there is no repository).
pub(super) const CHART_PATH_FLAGS: &[Flag] = &[
    flags::v("version", None),
    flags::b("verify", None),
    flags::v("keyring", None),
    flags::v("repo", None),
    flags::v("username", None),
    flags::v("password", None),
    flags::v("cert-file", None),
    flags::v("key-file", None),
    flags::b("insecure-skip-tls-verify", None),
    flags::b("plain-http", None),
    flags::v("ca-file", None),
    flags::b("pass-credentials", None),
];

/// `addInstallFlags` + the flags `helm install` adds.
const INSTALL_FLAGS: &[Flag] = &[
    flags::b("create-namespace", None),
    flags::b("force-replace", None),
    flags::b("force", None),
    flags::b("force-conflicts", None),
    flags::opt("server-side", None, "true"),
    flags::b("no-hooks", None),
    flags::b("replace", None),
    flags::v("timeout", None),
    flags::b("wait-for-jobs", None),
    flags::b("generate-name", Some('g')),
    flags::v("name-template", None),
    flags::v("description", None),
    flags::b("devel", None),
    flags::b("dependency-update", None),
    flags::b("disable-openapi-validation", None),
    flags::b("rollback-on-failure", None),
    flags::b("atomic", None),
    flags::v("post-renderer", None),
    flags::v("post-renderer-args", None),
    flags::b("skip-crds", None),
    flags::b("render-subchart-notes", None),
    flags::b("skip-schema-validation", None),
    flags::v("labels", Some('l')),
    flags::b("enable-dns", None),
    flags::b("hide-notes", None),
    flags::b("take-ownership", None),
    flags::b("hide-secret", None),
    flags::opt("dry-run", None, "unset"),
    flags::v("output", Some('o')),
    flags::opt("wait", None, "watcher"),
];

const UPGRADE_FLAGS: &[Flag] = &[
    flags::b("create-namespace", None),
    flags::b("install", Some('i')),
    flags::b("devel", None),
    flags::b("hide-secret", None),
    flags::b("force-replace", None),
    flags::b("force", None),
    flags::b("force-conflicts", None),
    flags::v("server-side", None),
    flags::v("post-renderer", None),
    flags::v("post-renderer-args", None),
    flags::b("no-hooks", None),
    flags::b("disable-openapi-validation", None),
    flags::b("skip-crds", None),
    flags::v("timeout", None),
    flags::b("reset-values", None),
    flags::b("reuse-values", None),
    flags::b("reset-then-reuse-values", None),
    flags::b("wait-for-jobs", None),
    flags::b("rollback-on-failure", None),
    flags::b("atomic", None),
    flags::v("history-max", None),
    flags::b("cleanup-on-fail", None),
    flags::b("render-subchart-notes", None),
    flags::b("hide-notes", None),
    flags::b("skip-schema-validation", None),
    flags::v("labels", Some('l')),
    flags::v("description", None),
    flags::b("dependency-update", None),
    flags::b("enable-dns", None),
    flags::b("take-ownership", None),
    flags::opt("dry-run", None, "unset"),
    flags::v("output", Some('o')),
    flags::opt("wait", None, "watcher"),
];

fn all_flags(sets: &[&[Flag]]) -> Vec<Flag> {
    let mut v = Vec::new();
    for s in sets {
        v.extend_from_slice(s);
    }
    v
}

/// pflag's error for a value its `Set` rejected.
fn invalid_flag(short: Option<char>, long: &str, value: &str, why: &str) -> HelmError {
    let name = match short {
        Some(c) => format!("-{c}, --{long}"),
        None => format!("--{long}"),
    };
    HelmError(format!(
        "invalid argument {} for {} flag: {why}",
        crate::kube::gofmt::quote(value),
        crate::kube::gofmt::quote(&name)
    ))
}

/// `-o`.
fn output_format(p: &Parsed) -> Result<Format, HelmError> {
    match p.get("output") {
        None => Ok(Format::Table),
        Some(v) => Format::parse(v).map_err(|e| invalid_flag(Some('o'), "output", v, &e)),
    }
}

/// `--wait` (a `waitValue`).
fn wait_strategy(h: &mut Helm, p: &Parsed) -> Result<WaitStrategy, HelmError> {
    match p.get("wait") {
        None => Ok(WaitStrategy::HookOnly),
        Some(v) => {
            if v == "true" {
                h.warn("--wait=true is deprecated (boolean value) and can be replaced with --wait=watcher", &[]);
            } else if v == "false" {
                h.warn("--wait=false is deprecated (boolean value) and can be replaced with --wait=hookOnly", &[]);
            }
            WaitStrategy::parse(v).map_err(|e| invalid_flag(None, "wait", v, &e))
        }
    }
}

/// `cmdGetDryRunFlagStrategy`.
fn dry_run(h: &mut Helm, p: &Parsed, is_template: bool) -> Result<DryRun, HelmError> {
    let v = p.get("dry-run").unwrap_or("none");
    match v {
        "unset" => {
            h.warn(
                "--dry-run is deprecated and should be replaced with '--dry-run=client'",
                &[],
            );
            Ok(DryRun::Client)
        }
        "client" => Ok(DryRun::Client),
        "server" => Ok(DryRun::Server),
        "none" => {
            if is_template {
                Err(HelmError(format!(
                    "invalid dry-run value ({}). Must be \"server\" or \"client\"",
                    crate::kube::gofmt::quote(v)
                )))
            } else {
                Ok(DryRun::None)
            }
        }
        other => match flags::parse_go_bool(other) {
            None => Err(HelmError(format!(
                "invalid dry-run value ({}). Must be \"none\", \"server\", or \"client\"",
                crate::kube::gofmt::quote(other)
            ))),
            Some(false) if is_template => Err(HelmError(format!(
                "invalid dry-run value ({}). Must be \"server\" or \"client\"",
                crate::kube::gofmt::quote(other)
            ))),
            Some(b) => {
                let result = if b { "client" } else { "none" };
                h.warn(&format!("boolean '--dry-run={other}' flag is deprecated and must be replaced with '--dry-run={result}'"), &[]);
                Ok(if b { DryRun::Client } else { DryRun::None })
            }
        },
    }
}

/// `--labels`/`-l` (pflag's `StringToString`: `a=b,c=d`).
fn labels(p: &Parsed) -> Result<BTreeMap<String, String>, HelmError> {
    let mut out = BTreeMap::new();
    for v in p.all("labels") {
        if v.is_empty() {
            continue;
        }
        for kv in v.split(',') {
            match kv.split_once('=') {
                Some((k, val)) => {
                    out.insert(k.to_string(), val.to_string());
                }
                None => {
                    return Err(invalid_flag(
                        Some('l'),
                        "labels",
                        &v,
                        &format!("{kv} must be formatted as key=value"),
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// `--history-max` (default `$HELM_MAX_HISTORY` or 10).
fn history_max(h: &Helm, p: &Parsed) -> Result<usize, HelmError> {
    let dflt =
        h.sh.var("HELM_MAX_HISTORY")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(10);
    let n = p.int("history-max", dflt).map_err(HelmError)?;
    Ok(n.max(0) as usize)
}

/// `values.Options.MergeValues`: `-f` files in order, then the `--set*` flags.
pub(super) fn user_values(h: &mut Helm, p: &Parsed) -> Result<Map, String> {
    let opts = crate::chart::ValueOptions {
        value_files: p.slice("values"),
        string_values: p.all("set-string"),
        values: p.all("set"),
        file_values: p.all("set-file"),
        json_values: p.all("set-json"),
        literal_values: p.all("set-literal"),
    };
    let stdin = h.stdin.clone();
    let sh = &mut *h.sh;
    // Helm's readFile: `-` is stdin, a URL needs a getter, anything else is os.ReadFile
    let mut read = |path: &str| -> Result<Vec<u8>, String> {
        if path.trim() == "-" {
            return Ok(stdin.clone());
        }
        if let Some((scheme, _)) = path.split_once("://") {
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(format!(
                    "chartlab: {path} cannot be downloaded here: the terminal has no network access; put the values in a workspace file"
                ));
            }
        }
        let abs = sh.abs(path);
        sh.fs
            .read(&abs)
            .map_err(|e| format!("open {path}: {}", e.to_string().to_lowercase()))
    };
    opts.merge_values(&mut read)
}

/// runInstall's chart steps (pkg/cmd/install.go): LocateChart, MergeValues, loader.Load, the
/// installable type, the deprecation warning, then CheckDependencies — with
/// `--dependency-update`, a dependency update of the chart folder and a reload instead of the
/// error.
pub(super) fn install_chart(
    h: &mut Helm,
    p: &Parsed,
    chart_ref: &str,
    ctx: &mut Ctx,
) -> Result<(Loaded, Map), String> {
    let abs = locate(h, chart_ref)?;
    let vals = user_values(h, p)?;
    let mut loaded = load_located(h, &abs)?;
    log_load_warnings(h, &loaded.chart);
    crate::chart::dependencies::check_installable(&loaded.chart)?;
    if loaded.chart.metadata.deprecated {
        h.warn("this chart is deprecated", &[]);
    }
    if !loaded.chart.meta_dependencies().is_empty() {
        if let Err(e) = crate::chart::dependencies::check_dependencies(&loaded.chart) {
            if !p.bool("dependency-update") {
                return Err(format!(
                    "{}{e}",
                    crate::chart::dependencies::CHECK_DEPENDENCIES_HINT
                ));
            }
            super::depcmds::update(h, &abs, Some(ctx))?;
            loaded = load_located(h, &abs)
                .map_err(|e| format!("failed reloading chart after repo update: {e}"))?;
        }
    }
    Ok((loaded, vals))
}

/// The upgrade command's chart steps (pkg/cmd/upgrade.go): LocateChart, MergeValues,
/// loader.Load, CheckDependencies (or `--dependency-update`), then the deprecation warning.
fn upgrade_chart(
    h: &mut Helm,
    p: &Parsed,
    chart_ref: &str,
    ctx: &mut Ctx,
) -> Result<(Loaded, Map), String> {
    let abs = locate(h, chart_ref)?;
    let vals = user_values(h, p)?;
    let mut loaded = load_located(h, &abs)?;
    log_load_warnings(h, &loaded.chart);
    if !loaded.chart.meta_dependencies().is_empty() {
        if let Err(e) = crate::chart::dependencies::check_dependencies(&loaded.chart) {
            if !p.bool("dependency-update") {
                return Err(format!(
                    "{}{e}",
                    crate::chart::dependencies::CHECK_DEPENDENCIES_HINT
                ));
            }
            super::depcmds::update(h, &abs, Some(ctx))?;
            loaded = load_located(h, &abs)
                .map_err(|e| format!("failed reloading chart after repo update: {e}"))?;
        }
    }
    if loaded.chart.metadata.deprecated {
        h.warn("this chart is deprecated", &[]);
    }
    Ok((loaded, vals))
}

impl Helm<'_> {
    /// Helm's action configuration for the namespace (storage driver from `$HELM_DRIVER`).
    fn config(&mut self) -> Result<Configuration, HelmError> {
        let driver =
            DriverKind::parse(self.sh.var("HELM_DRIVER").unwrap_or("")).map_err(HelmError)?;
        let ns = self.namespace.clone();
        Ok(Configuration::new(
            self.sh.cluster.clone(),
            &ns,
            driver,
            self.sh.env.clone(),
        ))
    }

    /// A warning as Helm's slog text handler writes it (`level=WARN msg=…`).
    pub(super) fn warn(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        self.warnings.push(super::slog_line("WARN", msg, attrs));
    }
}

/// Prints a release command's output; `Error:` lines end with status 1.
fn emit(out: Output, ctx: &mut Ctx) -> R {
    ctx.out(&out.stdout);
    ctx.err(&out.stderr);
    match out.error {
        Some(e) => Err(HelmError(e)),
        None => Ok(0),
    }
}

fn install_options(h: &mut Helm, p: &Parsed) -> Result<Install, HelmError> {
    let mut i = Install {
        dry_run: dry_run(h, p, false)?,
        hide_secret: p.bool("hide-secret"),
        disable_hooks: p.bool("no-hooks"),
        replace: p.bool("replace"),
        wait: wait_strategy(h, p)?,
        wait_for_jobs: p.bool("wait-for-jobs"),
        description: p.get("description").unwrap_or("").to_string(),
        skip_crds: p.bool("skip-crds"),
        sub_notes: p.bool("render-subchart-notes"),
        skip_schema_validation: p.bool("skip-schema-validation"),
        disable_openapi_validation: p.bool("disable-openapi-validation"),
        labels: labels(p)?,
        force_conflicts: p.bool("force-conflicts"),
        force_replace: p.bool("force-replace") || p.bool("force"),
        take_ownership: p.bool("take-ownership"),
        create_namespace: p.bool("create-namespace"),
        rollback_on_failure: p.bool("rollback-on-failure") || p.bool("atomic"),
        namespace: h.namespace.clone(),
        ..Default::default()
    };
    if p.has("server-side") {
        let v = p.get("server-side").unwrap_or("true");
        i.server_side_apply = flags::parse_go_bool(v).ok_or_else(|| {
            invalid_flag(
                None,
                "server-side",
                v,
                &format!(
                    "strconv.ParseBool: parsing {}: invalid syntax",
                    crate::kube::gofmt::quote(v)
                ),
            )
        })?;
    }
    if i.force_replace && i.force_conflicts {
        let a = if p.bool("force") {
            "force"
        } else {
            "force-replace"
        };
        return Err(HelmError(format!(
            "if any flags in the group [{a} force-conflicts] are set none of the others can be; [{a} force-conflicts] were all set"
        )));
    }
    Ok(i)
}

/// `helm install [NAME] [CHART]`.
pub(super) fn install(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let flags = all_flags(&[INSTALL_FLAGS, VALUE_FLAGS, CHART_PATH_FLAGS]);
    let p = h.parse(args, &flags)?;
    let format = output_format(&p)?;
    h.min_args(&p.args, 1, "helm install [NAME] [CHART] [flags]")?;
    let mut opts = install_options(h, &p)?;
    let env = h.sh.env.clone();
    let result = (|| -> Result<(Loaded, Map), String> {
        let (name, chart_ref) = crate::release::install::name_and_chart(
            &p.args,
            p.bool("generate-name"),
            p.get("name-template").unwrap_or(""),
            "",
            &env,
        )?;
        opts.release_name = name;
        install_chart(h, &p, &chart_ref, ctx)
    })();
    let (loaded, vals) = match result {
        Ok(x) => x,
        Err(e) => return Err(HelmError(format!("INSTALLATION FAILED: {e}"))),
    };
    opts.chart_times = loaded.times.clone();
    let mut cfg = h.config()?;
    let out = commands::install(
        &mut cfg,
        &loaded.chart,
        &vals,
        &opts,
        format,
        p.bool("hide-notes"),
        h.debug,
    );
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm upgrade [RELEASE] [CHART]` (with `--install`).
pub(super) fn upgrade(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let flags = all_flags(&[UPGRADE_FLAGS, VALUE_FLAGS, CHART_PATH_FLAGS]);
    let p = h.parse(args, &flags)?;
    let format = output_format(&p)?;
    h.exact_args(&p.args, 2, "helm upgrade [RELEASE] [CHART] [flags]")?;
    let name = p.args[0].clone();
    let chart_ref = p.args[1].clone();
    let dry = dry_run(h, &p, false)?;
    let wait = wait_strategy(h, &p)?;
    let mut up = Upgrade {
        dry_run: dry,
        hide_secret: p.bool("hide-secret"),
        disable_hooks: p.bool("no-hooks"),
        wait,
        wait_for_jobs: p.bool("wait-for-jobs"),
        force_replace: p.bool("force-replace") || p.bool("force"),
        force_conflicts: p.bool("force-conflicts"),
        server_side_apply: p.get("server-side").unwrap_or("auto").to_string(),
        ..Default::default()
    };
    if !matches!(up.server_side_apply.as_str(), "auto" | "true" | "false") {
        return Err(HelmError(format!(
            "invalid server-side value {}: must be \"true\", \"false\" or \"auto\"",
            crate::kube::gofmt::quote(&up.server_side_apply)
        )));
    }
    up.reset_values = p.bool("reset-values");
    up.reuse_values = p.bool("reuse-values");
    up.reset_then_reuse_values = p.bool("reset-then-reuse-values");
    up.max_history = history_max(h, &p)?;
    up.rollback_on_failure = p.bool("rollback-on-failure") || p.bool("atomic");
    up.cleanup_on_fail = p.bool("cleanup-on-fail");
    up.sub_notes = p.bool("render-subchart-notes");
    up.skip_schema_validation = p.bool("skip-schema-validation");
    up.description = p.get("description").unwrap_or("").to_string();
    up.labels = labels(&p)?;
    up.disable_openapi_validation = p.bool("disable-openapi-validation");
    up.take_ownership = p.bool("take-ownership");
    if up.force_replace && up.force_conflicts {
        let a = if p.bool("force") {
            "force"
        } else {
            "force-replace"
        };
        return Err(HelmError(format!(
            "if any flags in the group [{a} force-conflicts] are set none of the others can be; [{a} force-conflicts] were all set"
        )));
    }
    let mut cfg = h.config()?;
    let hide_notes = p.bool("hide-notes");
    if p.bool("install") {
        // If a release does not exist (or was uninstalled), install it.
        let missing = match crate::release::query::history(&mut cfg, &name) {
            Err(e) if e.not_found => Some(false),
            Err(e) => return Err(HelmError(e.message)),
            Ok(v) if crate::release::query::is_uninstalled(&v) => Some(true),
            Ok(_) => None,
        };
        if let Some(uninstalled) = missing {
            if format == Format::Table {
                ctx.out(format!(
                    "Release {} does not exist. Installing it now.\n",
                    crate::kube::gofmt::quote(&name)
                ));
            }
            let mut inst = Install {
                release_name: name.clone(),
                namespace: h.namespace.clone(),
                create_namespace: p.bool("create-namespace"),
                force_replace: up.force_replace,
                force_conflicts: up.force_conflicts,
                dry_run: up.dry_run,
                hide_secret: up.hide_secret,
                disable_hooks: up.disable_hooks,
                skip_crds: p.bool("skip-crds"),
                wait: up.wait,
                wait_for_jobs: up.wait_for_jobs,
                rollback_on_failure: up.rollback_on_failure,
                disable_openapi_validation: up.disable_openapi_validation,
                sub_notes: up.sub_notes,
                skip_schema_validation: up.skip_schema_validation,
                description: up.description.clone(),
                labels: up.labels.clone(),
                take_ownership: up.take_ownership,
                server_side_apply: up.server_side_apply != "false",
                replace: uninstalled,
                ..Default::default()
            };
            let (loaded, vals) = install_chart(h, &p, &chart_ref, ctx).map_err(HelmError)?;
            inst.chart_times = loaded.times.clone();
            let mut out = commands::install(
                &mut cfg,
                &loaded.chart,
                &vals,
                &inst,
                format,
                hide_notes,
                h.debug,
            );
            // runInstall's errors are returned as they are when installing through upgrade
            if let Some(e) = &out.error {
                if let Some(rest) = e.strip_prefix("INSTALLATION FAILED: ") {
                    out.error = Some(rest.to_string());
                }
            }
            h.flush_warnings(ctx);
            return emit(out, ctx);
        }
    }
    let (loaded, vals) = upgrade_chart(h, &p, &chart_ref, ctx).map_err(HelmError)?;
    up.chart_times = loaded.times.clone();
    let out = commands::upgrade(
        &mut cfg,
        &name,
        &loaded.chart,
        &vals,
        &up,
        None,
        format,
        hide_notes,
        h.debug,
    );
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm rollback <RELEASE> [REVISION]`.
pub(super) fn rollback(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let own = [
        flags::b("force-replace", None),
        flags::b("force", None),
        flags::b("force-conflicts", None),
        flags::v("server-side", None),
        flags::b("no-hooks", None),
        flags::v("timeout", None),
        flags::b("wait-for-jobs", None),
        flags::b("cleanup-on-fail", None),
        flags::v("history-max", None),
        flags::opt("dry-run", None, "unset"),
        flags::opt("wait", None, "watcher"),
    ];
    let p = h.parse(args, &own)?;
    h.min_args(&p.args, 1, "helm rollback <RELEASE> [REVISION] [flags]")?;
    let mut rb = Rollback::default();
    if let Some(v) = p.args.get(1) {
        rb.version = flags::parse_go_int(v).map_err(|why| {
            HelmError(format!(
                "could not convert revision to a number: strconv.Atoi: parsing {}: {}",
                crate::kube::gofmt::quote(v),
                why
            ))
        })?;
    }
    rb.dry_run = dry_run(h, &p, false)?;
    rb.wait = wait_strategy(h, &p)?;
    rb.wait_for_jobs = p.bool("wait-for-jobs");
    rb.disable_hooks = p.bool("no-hooks");
    rb.force_replace = p.bool("force-replace") || p.bool("force");
    rb.force_conflicts = p.bool("force-conflicts");
    rb.server_side_apply = p.get("server-side").unwrap_or("auto").to_string();
    rb.cleanup_on_fail = p.bool("cleanup-on-fail");
    rb.max_history = history_max(h, &p)?;
    let mut cfg = h.config()?;
    let out = commands::rollback(&mut cfg, &p.args[0], &rb);
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm uninstall RELEASE_NAME [...]`.
pub(super) fn uninstall(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let own = [
        flags::b("dry-run", None),
        flags::b("no-hooks", None),
        flags::b("ignore-not-found", None),
        flags::b("keep-history", None),
        flags::v("cascade", None),
        flags::v("timeout", None),
        flags::v("description", None),
        flags::opt("wait", None, "watcher"),
    ];
    let p = h.parse(args, &own)?;
    h.min_args(&p.args, 1, "helm uninstall RELEASE_NAME [...] [flags]")?;
    let un = Uninstall {
        dry_run: p.bool("dry-run"),
        disable_hooks: p.bool("no-hooks"),
        ignore_not_found: p.bool("ignore-not-found"),
        keep_history: p.bool("keep-history"),
        wait: wait_strategy(h, &p)?,
        deletion_propagation: p.get("cascade").unwrap_or("background").to_string(),
        description: p.get("description").unwrap_or("").to_string(),
    };
    let mut cfg = h.config()?;
    let out = commands::uninstall(&mut cfg, &p.args, &un);
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm list`.
pub(super) fn list(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let own = [
        flags::b("short", Some('q')),
        flags::b("no-headers", None),
        flags::v("time-format", None),
        flags::b("date", Some('d')),
        flags::b("reverse", Some('r')),
        flags::b("uninstalled", None),
        flags::b("superseded", None),
        flags::b("uninstalling", None),
        flags::b("deployed", None),
        flags::b("failed", None),
        flags::b("pending", None),
        flags::b("all-namespaces", Some('A')),
        flags::v("max", Some('m')),
        flags::v("offset", None),
        flags::v("filter", Some('f')),
        flags::v("selector", Some('l')),
        flags::v("output", Some('o')),
        flags::b("all", Some('a')),
    ];
    let p = h.parse(args, &own)?;
    h.no_args(&p.args, "helm list [flags]")?;
    let format = output_format(&p)?;
    let l = List {
        all: p.bool("all"),
        all_namespaces: p.bool("all-namespaces"),
        by_date: p.bool("date"),
        sort_reverse: p.bool("reverse"),
        limit: p.int("max", 256).map_err(HelmError)?.max(0) as usize,
        offset: p.int("offset", 0).map_err(HelmError)?.max(0) as usize,
        filter: p.get("filter").unwrap_or("").to_string(),
        uninstalled: p.bool("uninstalled"),
        superseded: p.bool("superseded"),
        uninstalling: p.bool("uninstalling"),
        deployed: p.bool("deployed"),
        failed: p.bool("failed"),
        pending: p.bool("pending"),
        selector: p.get("selector").unwrap_or("").to_string(),
    };
    let print = ListPrint {
        time_format: p.get("time-format").unwrap_or("").to_string(),
        no_headers: p.bool("no-headers"),
        short: p.bool("short"),
    };
    let mut cfg = h.config()?;
    let out = commands::list(&mut cfg, &l, format, &print);
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm history RELEASE_NAME`.
pub(super) fn history(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(
        args,
        &[flags::v("max", None), flags::v("output", Some('o'))],
    )?;
    h.exact_args(&p.args, 1, "helm history RELEASE_NAME [flags]")?;
    let format = output_format(&p)?;
    let max = p.int("max", 256).map_err(HelmError)?.max(0) as usize;
    let mut cfg = h.config()?;
    emit(commands::history(&mut cfg, &p.args[0], max, format), ctx)
}

/// `helm status RELEASE_NAME`.
pub(super) fn status(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(
        args,
        &[flags::v("revision", None), flags::v("output", Some('o'))],
    )?;
    h.exact_args(&p.args, 1, "helm status RELEASE_NAME [flags]")?;
    let format = output_format(&p)?;
    let rev = p.int("revision", 0).map_err(HelmError)?;
    let mut cfg = h.config()?;
    emit(commands::status(&mut cfg, &p.args[0], rev, format), ctx)
}

/// `helm get values|manifest|notes|hooks|metadata|all RELEASE_NAME`.
pub(super) fn get(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let Some(sub) = args.first().cloned() else {
        h.no_args(args, "helm get [command]")?;
        ctx.out(GET_HELP);
        return Ok(0);
    };
    let rest = &args[1..];
    h.path = format!("helm get {sub}");
    let own: Vec<Flag> = match sub.as_str() {
        "values" => vec![
            flags::v("revision", None),
            flags::b("all", Some('a')),
            flags::v("output", Some('o')),
        ],
        "metadata" => vec![flags::v("revision", None), flags::v("output", Some('o'))],
        "all" => vec![flags::v("revision", None), flags::v("template", None)],
        "manifest" | "notes" | "hooks" => vec![flags::v("revision", None)],
        other => {
            return Err(HelmError(format!(
                "unknown command \"{other}\" for \"helm get\"{}",
                super::suggestions(
                    other,
                    &["all", "hooks", "manifest", "notes", "values", "metadata"]
                )
            )))
        }
    };
    let p = h.parse(rest, &own)?;
    h.exact_args(&p.args, 1, &format!("helm get {sub} RELEASE_NAME [flags]"))?;
    let rev = p.int("revision", 0).map_err(HelmError)?;
    let name = &p.args[0];
    let mut cfg = h.config()?;
    let out = match sub.as_str() {
        "values" => commands::get_values(&mut cfg, name, rev, p.bool("all"), output_format(&p)?),
        "manifest" => commands::get_manifest(&mut cfg, name, rev),
        "notes" => commands::get_notes(&mut cfg, name, rev),
        "hooks" => commands::get_hooks(&mut cfg, name, rev),
        "metadata" => commands::get_metadata(&mut cfg, name, rev, output_format(&p)?),
        _ => {
            if p.get("template").is_some() {
                return Err(HelmError(
                    "chartlab: `helm get all --template` is not available; use `helm get all` or `helm get values|manifest|notes`".into(),
                ));
            }
            commands::get_all(&mut cfg, name, rev)
        }
    };
    emit(out, ctx)
}

/// `helm test RELEASE`.
pub(super) fn test(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(
        args,
        &[
            flags::v("timeout", None),
            flags::b("logs", None),
            flags::v("filter", None),
            flags::v("output", Some('o')),
        ],
    )?;
    h.exact_args(&p.args, 1, "helm test [RELEASE] [flags]")?;
    let format = output_format(&p)?;
    let mut t = ReleaseTesting::default();
    for f in p.slice("filter") {
        if let Some(v) = f.strip_prefix("!name=") {
            t.exclude.push(v.to_string());
        } else if let Some(v) = f.strip_prefix("name=") {
            t.include.push(v.to_string());
        }
    }
    let mut cfg = h.config()?;
    let out = commands::test(&mut cfg, &p.args[0], &t, p.bool("logs"), format);
    h.flush_warnings(ctx);
    emit(out, ctx)
}

/// `helm template [NAME] [CHART]`.
pub(super) fn template(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let own = [
        flags::v("show-only", Some('s')),
        flags::v("output-dir", None),
        flags::b("validate", None),
        flags::b("include-crds", None),
        flags::b("skip-tests", None),
        flags::b("is-upgrade", None),
        flags::v("kube-version", None),
        flags::v("api-versions", Some('a')),
        flags::b("release-name", None),
    ];
    let mut fl = all_flags(&[INSTALL_FLAGS, VALUE_FLAGS, CHART_PATH_FLAGS]);
    fl.extend_from_slice(&own);
    let mut args = args.to_vec();
    // helm template is always a client-side dry run unless told otherwise
    if !args.iter().any(|a| a.starts_with("--dry-run")) {
        args.push("--dry-run=client".into());
    }
    let p = h.parse(&args, &fl)?;
    h.min_args(&p.args, 1, "helm template [NAME] [CHART] [flags]")?;
    let dry = dry_run(h, &p, true)?;
    if dry == DryRun::Server {
        return Err(HelmError(
            "chartlab: `helm template --dry-run=server` renders with the cluster's capabilities; use `helm install --dry-run=server` instead".into(),
        ));
    }
    let kube_version = match p.get("kube-version") {
        Some(v) if !v.is_empty() => Some(
            crate::chart::objects::KubeVersion::parse(v)
                .map_err(|e| HelmError(format!("invalid kube version '{v}': {e}")))?,
        ),
        _ => None,
    };
    let env = h.sh.env.clone();
    let (name, chart_ref) = crate::release::install::name_and_chart(
        &p.args,
        p.bool("generate-name"),
        p.get("name-template").unwrap_or(""),
        "release-name",
        &env,
    )
    .map_err(HelmError)?;
    let (loaded, vals) = install_chart(h, &p, &chart_ref, ctx).map_err(HelmError)?;
    let req = crate::release::render::TemplateRequest {
        release_name: name,
        namespace: h.namespace.clone(),
        is_upgrade: p.bool("is-upgrade"),
        kube_version,
        api_versions: p.slice("api-versions"),
        options: crate::release::render::TemplateOptions {
            show_only: p.all("show-only"),
            skip_tests: p.bool("skip-tests"),
            include_crds: p.bool("include-crds"),
            no_hooks: p.bool("no-hooks"),
            debug: h.debug,
            sub_notes: p.bool("render-subchart-notes"),
        },
    };
    h.flush_warnings(ctx);
    if let Some(dir) = p.get("output-dir").filter(|d| !d.is_empty()) {
        if let Some(code) = template_to_dir(
            h,
            &loaded.chart,
            &vals,
            &req,
            dir,
            p.bool("release-name"),
            ctx,
        )? {
            return Ok(code);
        }
    }
    match crate::release::render::helm_template(&loaded.chart, &vals, &req, &env) {
        Ok(text) => {
            ctx.out(text);
            Ok(0)
        }
        Err(f) => {
            ctx.out(f.stdout);
            Err(HelmError(f.message))
        }
    }
}

/// `helm template --output-dir DIR`: renderResources and the template command write every
/// document to `DIR/<chart path>` (`DIR/RELEASE/…` with `--release-name`; CRDs always under
/// `DIR`) as `---\n# Source: …` blocks, appending when a file was written before in this run
/// (hooks also append to files already there), and print `wrote FILE` for each. `None`: the
/// render failed, and `helm_template` reports it as Helm does.
fn template_to_dir(
    h: &mut Helm,
    chart: &crate::chart::Chart,
    vals: &Map,
    req: &crate::release::render::TemplateRequest,
    dir: &str,
    use_release_name: bool,
    ctx: &mut Ctx,
) -> Result<Option<i32>, HelmError> {
    use crate::release::render::ResourceOptions;
    if let Err(e) = crate::release::render::validate_release_name(&req.release_name) {
        return Err(HelmError(format!(
            "release name check failed: release name {}: {e}",
            crate::kube::gofmt::quote(&req.release_name)
        )));
    }
    let env = h.sh.env.clone();
    let mut ro = crate::chart::RenderOptions {
        capabilities: crate::release::install::client_capabilities(
            &req.kube_version,
            &req.api_versions,
        ),
        ..Default::default()
    };
    ro.release.name = req.release_name.clone();
    ro.release.namespace = req.namespace.clone();
    ro.release.revision = 1;
    ro.release.is_install = !req.is_upgrade;
    ro.release.is_upgrade = req.is_upgrade;
    let Ok(rendered) = crate::release::install::render_release(
        chart,
        vals,
        &ro,
        &env,
        &ResourceOptions {
            sub_notes: req.options.sub_notes,
            include_crds: false,
            hide_secret: false,
        },
    ) else {
        return Ok(None);
    };
    let new_dir = if use_release_name {
        crate::chart::archive::clean_path(&format!("{dir}/{}", req.release_name))
    } else {
        dir.to_string()
    };
    let mut written: std::collections::BTreeSet<String> = Default::default();
    let mut write =
        |h: &mut Helm, base: &str, name: &str, data: &str, append: bool| -> Result<(), HelmError> {
            let shown = format!("{base}/{name}");
            let abs = h.sh.abs(&shown);
            super::chartcmds::mkdir_all(h, crate::shell::fs::parent(&abs)).map_err(HelmError)?;
            let block = format!("---\n# Source: {name}\n{data}\n");
            let r = if append {
                h.sh.fs.append(&abs, block.as_bytes())
            } else {
                h.sh.fs.write(&abs, block.as_bytes())
            };
            r.map_err(|e| HelmError(format!("open {shown}: {}", e.to_string().to_lowercase())))?;
            ctx.out(format!("wrote {shown}\n"));
            Ok(())
        };
    if req.options.include_crds {
        for (name, data) in crate::release::render::crd_objects(chart) {
            let append = !written.insert(format!("{dir}\0{name}"));
            write(h, dir, &name, &data, append)?;
        }
    }
    for block in rendered.manifest.split("---\n# Source: ").skip(1) {
        let (name, data) = block.split_once('\n').unwrap_or((block, ""));
        let data = data.strip_suffix('\n').unwrap_or(data);
        let append = !written.insert(format!("{new_dir}\0{name}"));
        write(h, &new_dir, name, data, append)?;
    }
    if !req.options.no_hooks {
        for hook in &rendered.hooks {
            if req.options.skip_tests && hook.has_event(crate::release::model::HookEvent::Test) {
                continue;
            }
            let exists =
                h.sh.fs
                    .metadata(&h.sh.abs(&format!("{new_dir}/{}", hook.path)))
                    .is_ok();
            write(h, &new_dir, &hook.path, &hook.manifest, exists)?;
        }
    }
    // the command prints the (now empty) manifest
    if let Some(f) = req.options.show_only.first() {
        return Err(HelmError(format!(
            "could not find template {} in chart",
            f.replace('\\', "/")
        )));
    }
    ctx.out("\n");
    Ok(Some(0))
}

const GET_HELP: &str = "
This command consists of multiple subcommands which can be used to
get extended information about the release, including:

- The values used to generate the release
- The generated manifest file
- The notes provided by the chart of the release
- The hooks associated with the release
- The metadata of the release

Usage:
  helm get [command]

Available Commands:
  all         download all information for a named release
  hooks       download all hooks for a named release
  manifest    download the manifest for a named release
  metadata    This command fetches metadata for a given release
  notes       download the notes for a named release
  values      download the values file for a named release
";
