//! Helm's release commands end to end (pkg/cmd install.go, upgrade.go, rollback.go,
//! uninstall.go, history.go, list.go, status.go, get_*.go, release_testing.go): an action run
//! with parsed flags, and what `helm` writes — stdout, the hook logs and warnings it logs to
//! stderr, and the `Error: …` line — so a shell or the UI can replay a `helm` command.

use super::action::{ActionError, Configuration};
use super::cli::{self, Format, ListPrint, StatusPrint};
use super::install::Install;
use super::model::Release;
use super::query::{self, ReleaseTesting};
use super::rollback::Rollback;
use super::uninstall::Uninstall;
use super::upgrade::Upgrade;
use crate::chart::Chart;
use crate::engine::Map;

/// What a command printed, and its error (printed by cobra as `Error: <message>`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub stdout: String,
    /// Hook logs and the warnings Helm logs (one line each).
    pub stderr: String,
    pub error: Option<String>,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output {
            stdout,
            ..Default::default()
        }
    }

    fn err(message: impl Into<String>) -> Output {
        Output {
            error: Some(message.into()),
            ..Default::default()
        }
    }

    /// stdout, stderr and the `Error: …` line as a terminal shows them.
    pub fn terminal(&self) -> String {
        let mut s = format!("{}{}", self.stdout, self.stderr);
        if let Some(e) = &self.error {
            s.push_str(&cli::error_line(e));
        }
        s
    }
}

fn drain_logs(cfg: &mut Configuration, out: &mut Output) {
    out.stderr.push_str(&cfg.hook_logs);
    cfg.hook_logs.clear();
    for w in cfg.warnings.drain(..) {
        out.stderr.push_str(&w);
        out.stderr.push('\n');
    }
}

fn print_release(rel: &Release, format: Format, p: &StatusPrint) -> Result<String, String> {
    cli::status(rel, format, p)
}

/// `helm install NAME CHART` (`hide_notes`: `--hide-notes`; `debug`: `--debug`).
pub fn install(
    cfg: &mut Configuration,
    chart: &Chart,
    vals: &Map,
    opts: &Install,
    format: Format,
    hide_notes: bool,
    debug: bool,
) -> Output {
    let mut out = match opts.run(cfg, chart, vals) {
        Ok(rel) => match print_release(
            &rel,
            format,
            &StatusPrint {
                debug,
                hide_notes,
                ..Default::default()
            },
        ) {
            Ok(s) => Output::ok(s),
            Err(e) => Output::err(e),
        },
        Err(e) => Output::err(format!("INSTALLATION FAILED: {}", e.message)),
    };
    drain_logs(cfg, &mut out);
    out
}

/// `helm upgrade NAME CHART`, with `--install` handled as the CLI does (a missing or
/// uninstalled release is installed, `--replace` for the latter).
#[allow(clippy::too_many_arguments)]
pub fn upgrade(
    cfg: &mut Configuration,
    name: &str,
    chart: &Chart,
    vals: &Map,
    opts: &Upgrade,
    install: Option<&Install>,
    format: Format,
    hide_notes: bool,
    debug: bool,
) -> Output {
    let p = StatusPrint {
        debug,
        hide_notes,
        ..Default::default()
    };
    let mut out = Output::default();
    if let Some(inst) = install {
        let replace = match query::history(cfg, name) {
            Err(e) if e.not_found => Some(false),
            Err(e) => {
                out.error = Some(e.message);
                drain_logs(cfg, &mut out);
                return out;
            }
            Ok(v) if query::is_uninstalled(&v) => Some(true),
            Ok(_) => None,
        };
        if let Some(replace) = replace {
            if format == Format::Table {
                out.stdout.push_str(&cli::installing_now(name));
            }
            let mut i = inst.clone();
            i.release_name = name.to_string();
            i.replace = replace;
            match i.run(cfg, chart, vals) {
                Ok(rel) => match print_release(&rel, format, &p) {
                    Ok(s) => out.stdout.push_str(&s),
                    Err(e) => out.error = Some(e),
                },
                Err(e) => out.error = Some(e.message),
            }
            drain_logs(cfg, &mut out);
            return out;
        }
    }
    match opts.run(cfg, name, chart, vals) {
        Ok(rel) => {
            if format == Format::Table {
                out.stdout.push_str(&cli::upgraded(name));
            }
            match print_release(&rel, format, &p) {
                Ok(s) => out.stdout.push_str(&s),
                Err(e) => out.error = Some(e),
            }
        }
        Err(e) => out.error = Some(format!("UPGRADE FAILED: {}", e.message)),
    }
    drain_logs(cfg, &mut out);
    out
}

/// `helm rollback NAME [REVISION]`.
pub fn rollback(cfg: &mut Configuration, name: &str, opts: &Rollback) -> Output {
    let mut out = match opts.run(cfg, name) {
        Ok(()) => Output::ok(cli::ROLLBACK_SUCCESS.to_string()),
        Err(e) => Output::err(e.message),
    };
    drain_logs(cfg, &mut out);
    out
}

/// `helm uninstall NAME...`.
pub fn uninstall(cfg: &mut Configuration, names: &[String], opts: &Uninstall) -> Output {
    let mut out = Output::default();
    for n in names {
        match opts.run(cfg, n) {
            Ok(res) => {
                let info = res.map(|r| r.info).unwrap_or_default();
                out.stdout.push_str(&cli::uninstalled(n, &info));
            }
            Err(e) => {
                out.error = Some(e.message);
                break;
            }
        }
    }
    drain_logs(cfg, &mut out);
    out
}

fn text(r: Result<String, String>) -> Output {
    match r {
        Ok(s) => Output::ok(s),
        Err(e) => Output::err(e),
    }
}

fn action<T>(r: Result<T, ActionError>, f: impl FnOnce(T) -> Result<String, String>) -> Output {
    match r {
        Ok(v) => text(f(v)),
        Err(e) => Output::err(e.message),
    }
}

/// `helm history NAME [--max N]`.
pub fn history(cfg: &mut Configuration, name: &str, max: usize, format: Format) -> Output {
    action(query::history_for_cli(cfg, name, max), |h| {
        cli::history(&h, format)
    })
}

/// `helm list`.
pub fn list(
    cfg: &mut Configuration,
    opts: &query::List,
    format: Format,
    print: &ListPrint,
) -> Output {
    action(opts.run(cfg), |l| cli::list(&l, format, print))
}

/// `helm status NAME [--revision N]`: in table form with the RESOURCES section.
pub fn status(cfg: &mut Configuration, name: &str, revision: i64, format: Format) -> Output {
    let rel = match query::status(cfg, name, revision) {
        Ok(r) => r,
        Err(e) => return Output::err(e.message),
    };
    let mut rel = rel;
    rel.chart = None;
    let mut p = StatusPrint::default();
    if format == Format::Table {
        let now = crate::kube::time::Time(cfg.now().secs);
        if let Ok(reg) = cfg.registry() {
            p.resources = cli::status_resources(&reg, &rel.info_mut().resources, now);
        }
    }
    text(cli::status(&rel, format, &p))
}

/// `helm get values NAME [--all]`.
pub fn get_values(
    cfg: &mut Configuration,
    name: &str,
    revision: i64,
    all: bool,
    format: Format,
) -> Output {
    action(query::get_values(cfg, name, revision, all), |v| {
        cli::get_values(&v, all, format)
    })
}

/// `helm get manifest NAME`.
pub fn get_manifest(cfg: &mut Configuration, name: &str, revision: i64) -> Output {
    action(query::get(cfg, name, revision), |r| {
        Ok(cli::get_manifest(&r))
    })
}

/// `helm get hooks NAME`.
pub fn get_hooks(cfg: &mut Configuration, name: &str, revision: i64) -> Output {
    action(query::get(cfg, name, revision), |r| Ok(cli::get_hooks(&r)))
}

/// `helm get notes NAME`.
pub fn get_notes(cfg: &mut Configuration, name: &str, revision: i64) -> Output {
    action(query::get(cfg, name, revision), |r| Ok(cli::get_notes(&r)))
}

/// `helm get metadata NAME`.
pub fn get_metadata(cfg: &mut Configuration, name: &str, revision: i64, format: Format) -> Output {
    action(query::get_metadata(cfg, name, revision), |m| {
        cli::get_metadata(&m, format)
    })
}

/// `helm get all NAME`.
pub fn get_all(cfg: &mut Configuration, name: &str, revision: i64) -> Output {
    action(query::get(cfg, name, revision), |r| cli::get_all(&r))
}

/// `helm test NAME [--logs]`: the release (notes hidden), the test pods' logs, then the
/// hook deletions their policies ask for.
pub fn test(
    cfg: &mut Configuration,
    name: &str,
    opts: &ReleaseTesting,
    logs: bool,
    format: Format,
) -> Output {
    let outcome = match opts.run(cfg, name) {
        Ok(o) => o,
        Err(e) => return Output::err(e.message),
    };
    let mut out = Output::default();
    match cli::status(
        &outcome.release,
        format,
        &StatusPrint {
            hide_notes: true,
            ..Default::default()
        },
    ) {
        Ok(s) => out.stdout.push_str(&s),
        Err(e) => out.error = Some(e),
    }
    let mut error = outcome.error.clone();
    if out.error.is_none() && logs {
        out.stdout.push('\n');
        match opts.pod_logs(cfg, &outcome.release) {
            Ok(l) => out.stdout.push_str(&l),
            Err(e) => {
                error = Some(match error {
                    Some(r) => format!("{r}\n{}", e.message),
                    None => e.message,
                })
            }
        }
    }
    let down = super::hooks::shutdown(cfg, &outcome.release, outcome.shutdown);
    if out.error.is_none() {
        out.error = error.or(down.err());
    }
    drain_logs(cfg, &mut out);
    out
}
