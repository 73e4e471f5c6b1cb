//! The native CLI: `chartlab template` (render a chart like `helm template`), `chartlab bench`,
//! `chartlab sh` (the terminal: helm, kubectl and a small bash over this directory).

#[path = "chartlab/sh.rs"]
mod sh;

use std::path::PathBuf;
use std::process::ExitCode;

use chartlab::chart::{self, render::RenderOptions};
use chartlab::engine::{Env, Map, Timestamp};
use chartlab::release;

fn usage() -> &'static str {
    "usage:
  chartlab template NAME CHART [-f values.yaml]... [--set k=v]... [--set-string k=v]...
                    [--set-json k=json]... [--set-file k=path]... [--set-literal k=v]...
                    [--namespace NS] [--revision N] [--is-upgrade[=true|false]]
                    [--kube-version V] [--skip-schema-validation] [--output json]
                    [-s|--show-only PATH]... [--skip-tests] [--include-crds] [--no-hooks] [--debug]
                    [--skip-dependency-check]
  chartlab bench NAME CHART [-f values.yaml]... [--iterations N]
  chartlab sh [--state FILE | --cluster URL] [-c 'COMMANDS' | SCRIPT]"
}

struct TemplateArgs {
    name: String,
    chart: PathBuf,
    values: chart::ValueOptions,
    opts: RenderOptions,
    json: bool,
    iterations: usize,
    /// `helm template`'s printing flags.
    print: release::render::TemplateOptions,
    /// Render like Helm's SDK `Chart.render` (engine + values only): skip the CLI's check that
    /// every Chart.yaml dependency is present under charts/.
    skip_dependency_check: bool,
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v {
        "true" | "1" | "t" | "T" | "TRUE" | "True" => Ok(true),
        "false" | "0" | "f" | "F" | "FALSE" | "False" => Ok(false),
        other => Err(format!("invalid boolean value {other:?}")),
    }
}

fn parse_template_args(args: &[String]) -> Result<TemplateArgs, String> {
    let mut positional = Vec::new();
    let mut t = TemplateArgs {
        name: String::new(),
        chart: PathBuf::new(),
        values: chart::ValueOptions::default(),
        opts: RenderOptions::default(),
        json: false,
        iterations: 1000,
        skip_dependency_check: false,
        print: release::render::TemplateOptions::default(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if a.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            args.get(*i)
                .cloned()
                .ok_or_else(|| format!("flag needs an argument: {flag}"))
        };
        match flag.as_str() {
            "-f" | "--values" => {
                let v = value(&mut i)?;
                t.values
                    .value_files
                    .extend(v.split(',').map(str::to_string));
            }
            "--set" => t.values.values.push(value(&mut i)?),
            "--set-string" => t.values.string_values.push(value(&mut i)?),
            "--set-json" => t.values.json_values.push(value(&mut i)?),
            "--set-file" => t.values.file_values.push(value(&mut i)?),
            "--set-literal" => t.values.literal_values.push(value(&mut i)?),
            "--skip-schema-validation" => t.opts.skip_schema_validation = true,
            "-n" | "--namespace" => t.opts.release.namespace = value(&mut i)?,
            "--revision" => {
                t.opts.release.revision = value(&mut i)?
                    .parse()
                    .map_err(|e| format!("invalid revision: {e}"))?
            }
            "--is-upgrade" => {
                let up = match &inline {
                    Some(v) => parse_bool(v)?,
                    None => true,
                };
                t.opts.release.is_upgrade = up;
                t.opts.release.is_install = !up;
            }
            "--kube-version" => {
                t.opts.capabilities.kube_version =
                    chart::objects::KubeVersion::parse(&value(&mut i)?)?;
            }
            "--api-versions" => {
                let v = value(&mut i)?;
                t.opts
                    .capabilities
                    .add_api_versions(v.split(',').map(str::to_string));
            }
            "-o" | "--output" => {
                let v = value(&mut i)?;
                match v.as_str() {
                    "json" => t.json = true,
                    "text" | "yaml" => t.json = false,
                    other => return Err(format!("unknown output format {other:?}")),
                }
            }
            "-s" | "--show-only" => t.print.show_only.push(value(&mut i)?),
            "--skip-tests" => t.print.skip_tests = true,
            "--include-crds" => t.print.include_crds = true,
            "--no-hooks" => t.print.no_hooks = true,
            "--debug" => t.print.debug = true,
            "--render-subchart-notes" => t.print.sub_notes = true,
            "--skip-dependency-check" => t.skip_dependency_check = true,
            "--iterations" => {
                t.iterations = value(&mut i)?
                    .parse()
                    .map_err(|e| format!("invalid iterations: {e}"))?
            }
            s if s.starts_with('-') => return Err(format!("unknown flag: {s}")),
            _ => positional.push(a.clone()),
        }
        i += 1;
    }
    if positional.len() != 2 {
        return Err(usage().to_string());
    }
    t.name = positional[0].clone();
    t.chart = PathBuf::from(&positional[1]);
    t.opts.release.name = t.name.clone();
    Ok(t)
}

/// Helm's MergeValues over files on disk, with os.ReadFile's error wording.
fn user_values(opts: &chart::ValueOptions) -> Result<Map, String> {
    opts.merge_values(&mut |path: &str| {
        std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory",
                std::io::ErrorKind::PermissionDenied => "permission denied",
                _ if std::path::Path::new(path).is_dir() => "is a directory",
                _ => "input/output error",
            };
            format!("open {path}: {why}")
        })
    })
}

/// What `helm template` checks before rendering: installable type, deprecation, dependencies
/// present under charts/.
fn load_for_template(path: &std::path::Path, check_deps: bool) -> Result<chart::Chart, String> {
    let chart = chart::load::load_path(path)?;
    for w in &chart.warnings {
        eprintln!("{w}");
    }
    chart::dependencies::check_installable(&chart)?;
    if chart.metadata.deprecated {
        eprintln!("level=WARN msg=\"this chart is deprecated\"");
    }
    if check_deps {
        chart::dependencies::check_dependencies(&chart)
            .map_err(|e| format!("{}{e}", chart::dependencies::CHECK_DEPENDENCIES_HINT))?;
    }
    Ok(chart)
}

fn now_env() -> Env {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seed = d.as_nanos() as u64 ^ std::process::id() as u64;
    Env::fixed(Timestamp::utc(d.as_secs() as i64, d.subsec_nanos()), seed)
}

fn cmd_template(args: &[String]) -> Result<(), String> {
    let t = parse_template_args(args)?;
    let vals = user_values(&t.values)?;
    let chart = load_for_template(&t.chart, !t.skip_dependency_check)?;
    let env = now_env();
    if !t.json {
        // what `helm template` prints
        let req = release::render::TemplateRequest {
            release_name: t.name.clone(),
            namespace: t.opts.release.namespace.clone(),
            is_upgrade: t.opts.release.is_upgrade,
            kube_version: Some(t.opts.capabilities.kube_version.clone()),
            api_versions: t
                .opts
                .capabilities
                .api_versions
                .get(chart::objects::DEFAULT_API_VERSIONS.len()..)
                .unwrap_or(&[])
                .to_vec(),
            options: t.print.clone(),
        };
        return match release::render::helm_template(&chart, &vals, &req, &env) {
            Ok(text) => {
                print!("{text}");
                Ok(())
            }
            Err(f) => {
                print!("{}", f.stdout);
                Err(f.message)
            }
        };
    }
    let out = chart::render(&chart, &vals, &t.opts, &env).map_err(|e| e.message)?;
    for w in &out.warnings {
        eprintln!("{w}");
    }
    let obj: serde_json::Map<String, serde_json::Value> = out
        .files
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    println!("{}", serde_json::Value::Object(obj));
    Ok(())
}

fn cmd_bench(args: &[String]) -> Result<(), String> {
    let t = parse_template_args(args)?;
    let vals = user_values(&t.values)?;
    let chart = load_for_template(&t.chart, !t.skip_dependency_check)?;
    let env = now_env();
    let n = t.iterations.max(1);
    // warm-up, then measure
    chart::render(&chart, &vals, &t.opts, &env).map_err(|e| e.message)?;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let out = chart::render(&chart, &vals, &t.opts, &env).map_err(|e| e.message)?;
        std::hint::black_box(out);
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("iterations={n}");
    println!("render_us={us:.1}");
    Ok(())
}

fn run(args: Vec<String>) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("template") => cmd_template(&args[1..]),
        Some("bench") => cmd_bench(&args[1..]),
        Some("sh") => {
            let code = sh::main(&args[1..])?;
            std::process::exit(code)
        }
        _ => Err(usage().to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Go grows goroutine stacks to 1 GB; deep template recursion needs room here too.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || run(args))
        .expect("spawn render thread");
    match handle.join() {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("Error: chartlab crashed");
            ExitCode::FAILURE
        }
    }
}
