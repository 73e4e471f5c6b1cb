//! `helm dependency list|update|build` (pkg/cmd/dependency*.go) over the workspace files: the
//! chart folder and the folders its `file://` dependencies point at are handed to
//! [`crate::chart::dependency`] as a file map, and what it writes (archives under `charts/`,
//! Chart.lock) or removes is applied back to the workspace.

use super::chartcmds::mkdir_all;
use super::{Helm, HelmError, R};
use crate::chart::dependency::{self as dep, Clock, Outcome};
use crate::chart::FileMap;
use crate::shell::flags::{self, Flag};
use crate::shell::fs;
use crate::shell::io::Ctx;

/// `addDependencySubcommandFlags`.
const SUBCOMMAND_FLAGS: &[Flag] = &[
    flags::b("verify", None),
    flags::v("keyring", None),
    flags::b("skip-refresh", None),
    flags::v("username", None),
    flags::v("password", None),
    flags::v("cert-file", None),
    flags::v("key-file", None),
    flags::b("insecure-skip-tls-verify", None),
    flags::b("plain-http", None),
    flags::v("ca-file", None),
];

/// Go's filepath.Clean.
pub(super) fn clean(p: &str) -> String {
    crate::chart::archive::clean_path(p)
}

/// The path from directory `from` to `to` (both absolute, normalized), `..` where needed.
fn relative(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The files a dependency command works on, keyed as the chart module expects: relative to the
/// working directory (with `..` where needed) or, when the chart path was given absolute,
/// absolute; `file:///x` targets under `x`.
pub(super) struct Workspace {
    pub files: FileMap,
    cwd: String,
}

impl Workspace {
    /// The workspace path of a key the chart module wrote.
    fn abs(&self, key: &str) -> String {
        fs::resolve(&self.cwd, "/", key)
    }
}

/// Reads the chart folder `chart_dir` (as given to the command, cleaned) and its `file://`
/// dependency folders.
pub(super) fn workspace(h: &Helm, chart_dir: &str) -> Result<Workspace, String> {
    let cwd = h.sh.fs.cwd();
    let absolute = chart_dir.starts_with('/');
    let key_of = |abs: &str| -> String {
        if absolute {
            abs.to_string()
        } else {
            relative(&cwd, abs)
        }
    };
    let mut files = FileMap::new();
    let add_dir = |files: &mut FileMap, abs_dir: &str, key_dir: &str| -> Result<(), String> {
        let Ok(md) = h.sh.fs.metadata(abs_dir) else {
            return Ok(());
        };
        if !md.is_dir {
            let data = h.sh.fs.read(abs_dir).map_err(|e| e.to_string())?;
            files.insert(key_dir.to_string(), data);
            return Ok(());
        }
        for rel in fs::walk_files(h.sh.fs.as_ref(), abs_dir, 20_000).map_err(|e| e.to_string())? {
            let data = h.sh.fs.read(&fs::join(abs_dir, &rel)).map_err(|e| {
                format!(
                    "open {}: {}",
                    fs::join(abs_dir, &rel),
                    e.to_string().to_lowercase()
                )
            })?;
            let key = if key_dir == "." {
                rel
            } else {
                format!("{}/{rel}", key_dir.trim_end_matches('/'))
            };
            files.insert(key, data);
        }
        Ok(())
    };
    let chart_abs = h.sh.abs(chart_dir);
    add_dir(&mut files, &chart_abs, &key_of(&chart_abs))?;
    // the folders file:// dependencies point at
    let inside = |prefix: &str| -> FileMap {
        let p = if prefix == "." {
            String::new()
        } else {
            format!("{prefix}/")
        };
        files
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&p).map(|r| (r.to_string(), v.clone())))
            .collect()
    };
    let chart_files = inside(&key_of(&chart_abs));
    if let Ok(c) = crate::chart::load_files(&chart_files) {
        let mut targets: Vec<(String, String)> = Vec::new();
        for d in c.meta_dependencies() {
            let Some(p) = d.repository.strip_prefix("file://") else {
                continue;
            };
            match p.strip_prefix('/') {
                Some(rooted) => targets.push((format!("/{rooted}"), clean(rooted))),
                None => {
                    let abs = fs::resolve(&chart_abs, "/", p);
                    targets.push((abs.clone(), key_of(&abs)));
                }
            }
        }
        for (abs, key) in targets {
            if abs == "/" || key == "." {
                continue;
            }
            add_dir(&mut files, &abs, &key)?;
        }
    }
    Ok(Workspace { files, cwd })
}

/// Applies what a dependency command wrote and removed to the workspace.
pub(super) fn apply(h: &mut Helm, ws: &Workspace, out: &Outcome) -> Result<(), String> {
    for key in &out.written {
        let abs = ws.abs(key);
        let Some(data) = ws.files.get(key) else {
            continue;
        };
        mkdir_all(h, fs::parent(&abs))?;
        h.sh.fs
            .write(&abs, data)
            .map_err(|e| format!("open {abs}: {}", e.to_string().to_lowercase()))?;
    }
    for key in &out.removed {
        let abs = ws.abs(key);
        h.sh.fs
            .remove_file(&abs)
            .map_err(|e| format!("remove {abs}: {}", e.to_string().to_lowercase()))?;
    }
    Ok(())
}

/// The time Helm stamps on what it writes.
fn clock(h: &Helm) -> Clock {
    let now = h.sh.env.clock.now();
    Clock {
        unix: now.secs,
        nanos: now.nanos,
    }
}

/// `downloader.Manager.Update` on a chart folder; the printed text goes to `print` when given.
pub(super) fn update(h: &mut Helm, chart_dir: &str, ctx: Option<&mut Ctx>) -> Result<(), String> {
    run(h, chart_dir, ctx, false)
}

fn run(h: &mut Helm, chart_dir: &str, ctx: Option<&mut Ctx>, build: bool) -> Result<(), String> {
    let mut ws = workspace(h, chart_dir)?;
    let clock = clock(h);
    let mut out = Outcome::default();
    let result = if build {
        dep::build_into(&mut ws.files, chart_dir, &clock, &mut out)
    } else {
        dep::update_into(&mut ws.files, chart_dir, &clock, &mut out)
    };
    if let Some(ctx) = ctx {
        ctx.out(&out.output);
    }
    apply(h, &ws, &out)?;
    result
}

/// `helm dependency update|build|list`.
pub(super) fn dependency(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let use_line = "helm dependency update|build|list [flags]";
    let Some((i, sub)) = super::first_word(args).map(|i| (i, args[i].as_str())) else {
        let p = h.parse(args, &[])?;
        h.no_args(&p.args, use_line)?;
        ctx.out(super::command_help("dependency"));
        return Ok(0);
    };
    let mut rest = args[..i].to_vec();
    rest.extend_from_slice(&args[i + 1..]);
    match sub {
        "update" | "up" => {
            h.path = "helm dependency update".into();
            let p = h.parse(&rest, SUBCOMMAND_FLAGS)?;
            h.max_args(&p.args, 1, "helm dependency update CHART [flags]")?;
            let chart = p.args.first().map_or(".".to_string(), |a| clean(a));
            update(h, &chart, Some(ctx))?;
            Ok(0)
        }
        "build" => {
            h.path = "helm dependency build".into();
            let p = h.parse(&rest, SUBCOMMAND_FLAGS)?;
            h.max_args(&p.args, 1, "helm dependency build CHART [flags]")?;
            let chart = p.args.first().map_or(".".to_string(), |a| clean(a));
            run(h, &chart, Some(ctx), true)?;
            Ok(0)
        }
        "list" | "ls" => {
            h.path = "helm dependency list".into();
            let p = h.parse(&rest, &[flags::v("max-col-width", None)])?;
            h.max_args(&p.args, 1, "helm dependency list CHART [flags]")?;
            let width = match p.get("max-col-width") {
                None => 80,
                Some(w) => w.parse::<usize>().map_err(|_| {
                    HelmError(format!(
                        "invalid argument \"{w}\" for \"--max-col-width\" flag: strconv.ParseUint: parsing \"{w}\": invalid syntax"
                    ))
                })?,
            };
            let chart = p.args.first().map_or(".".to_string(), |a| clean(a));
            list(h, &chart, width, ctx)
        }
        _ => {
            let p = h.parse(args, &[])?;
            h.no_args(&p.args, use_line)?;
            Ok(0)
        }
    }
}

/// `helm dependency list CHART`.
fn list(h: &mut Helm, chart: &str, width: usize, ctx: &mut Ctx) -> R {
    let abs = h.sh.abs(chart);
    let md =
        h.sh.fs
            .metadata(&abs)
            .map_err(|e| HelmError(format!("stat {chart}: {}", e.to_string().to_lowercase())))?;
    if !md.is_dir {
        return list_archive(h, chart, &abs, width, ctx);
    }
    let ws = workspace(h, chart).map_err(HelmError)?;
    let (statuses, text) = dep::list(&ws.files, chart).map_err(HelmError)?;
    if width == 80 || statuses.is_empty() {
        ctx.out(text);
        return Ok(0);
    }
    let rows = status_rows(&statuses);
    let default = dep::ui_table(&rows, 80);
    let rest = text.strip_prefix(&default).unwrap_or(&text);
    ctx.out(format!("{}{rest}", dep::ui_table(&rows, width)));
    Ok(0)
}

fn status_rows(statuses: &[dep::DependencyStatus]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "NAME".to_string(),
        "VERSION".into(),
        "REPOSITORY".into(),
        "STATUS".into(),
    ]];
    for s in statuses {
        rows.push(vec![
            s.name.clone(),
            s.version.clone(),
            s.repository.clone(),
            s.status.clone(),
        ]);
    }
    rows
}

/// `helm dependency list` of a chart archive: the subcharts it carries.
fn list_archive(h: &mut Helm, chart: &str, abs: &str, width: usize, ctx: &mut Ctx) -> R {
    let data = h.sh.fs.read(abs).map_err(|e| HelmError(e.to_string()))?;
    let c = crate::chart::load::load_chart_file(chart, &data).map_err(HelmError)?;
    let Some(deps) = &c.metadata.dependencies else {
        ctx.out(format!(
            "WARNING: no dependencies at {}\n",
            clean(&format!("{chart}/charts"))
        ));
        return Ok(0);
    };
    let statuses: Vec<dep::DependencyStatus> = deps
        .iter()
        .map(|d| {
            let status = match c.dependencies.iter().rev().find(|s| s.name() == d.name) {
                None => "missing",
                Some(s) if s.metadata.version == d.version => "unpacked",
                Some(s) => match crate::chart::semver::check(&d.version, &s.metadata.version) {
                    Err(_) => "invalid version",
                    Ok(false) => "wrong version",
                    Ok(true) => "unpacked",
                },
            };
            dep::DependencyStatus {
                name: d.name.clone(),
                version: d.version.clone(),
                repository: d.repository.clone(),
                status: status.into(),
            }
        })
        .collect();
    ctx.out(format!(
        "{}\n\n",
        dep::ui_table(&status_rows(&statuses), width)
    ));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("/a/b", "/a/b/c/d"), "c/d");
        assert_eq!(relative("/a/b", "/a/x"), "../x");
        assert_eq!(relative("/a/b", "/a/b"), ".");
        assert_eq!(relative("/", "/a"), "a");
    }
}
