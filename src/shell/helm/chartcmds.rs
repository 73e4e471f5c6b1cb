//! Helm's chart commands over the workspace files (pkg/cmd create.go, …): `helm create`
//! writes the scaffold as `chartutil.Create` does (the parent directory must exist, existing
//! files are overwritten with a warning).

use super::{Helm, HelmError, R};
use crate::shell::flags;
use crate::shell::fs;
use crate::shell::io::Ctx;

/// The scaffold's files in the order `chartutil.Create` writes them (its overwrite warnings
/// come in this order).
const CREATE_ORDER: &[&str] = &[
    "Chart.yaml",
    "values.yaml",
    ".helmignore",
    "templates/ingress.yaml",
    "templates/httproute.yaml",
    "templates/deployment.yaml",
    "templates/service.yaml",
    "templates/serviceaccount.yaml",
    "templates/hpa.yaml",
    "templates/NOTES.txt",
    "templates/_helpers.tpl",
    "templates/tests/test-connection.yaml",
];

/// Creates a directory and its parents (`os.MkdirAll`).
pub(super) fn mkdir_all(h: &mut Helm, abs: &str) -> Result<(), String> {
    let mut cur = String::new();
    for part in abs.split('/').filter(|s| !s.is_empty()) {
        cur.push('/');
        cur.push_str(part);
        match h.sh.fs.metadata(&cur) {
            Ok(m) if m.is_dir => {}
            Ok(_) => return Err(format!("mkdir {cur}: not a directory")),
            Err(_) => {
                h.sh.fs
                    .mkdir(&cur)
                    .map_err(|e| format!("mkdir {cur}: {}", e.to_string().to_lowercase()))?
            }
        }
    }
    Ok(())
}

/// `helm create NAME`.
pub(super) fn create(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(
        args,
        &[
            flags::v("starter", Some('p')),
            flags::v("chart-api-version", None),
        ],
    )?;
    h.exact_args(&p.args, 1, "helm create NAME [flags]")?;
    let arg = p.args[0].clone();
    ctx.out(format!("Creating {arg}\n"));
    match p.get("chart-api-version") {
        None | Some("v2") | Some("") => {}
        Some("v3") => {
            return Err(HelmError(
                "this feature has been marked as experimental and is not enabled by default. Please set HELM_EXPERIMENTAL_CHART_V3=1 in your environment to use this feature".into(),
            ))
        }
        Some(other) => {
            return Err(HelmError(format!(
                "unsupported chart API version: {other} (supported: v2, v3)"
            )))
        }
    }
    if p.get("starter").is_some() {
        return Err(HelmError(
            "chartlab: starter charts live in Helm's data directory, which this terminal does not have".into(),
        ));
    }
    let abs = h.sh.abs(&arg);
    let name = fs::base_name(&abs).to_string();
    let dir = fs::parent(&abs).to_string();
    let files = crate::chart::create::create(&name).map_err(|e| {
        // chartutil's validateChartName texts
        if name.is_empty() || name.len() > 250 {
            HelmError("chart name must be between 1 and 250 characters".into())
        } else {
            HelmError(e)
        }
    })?;
    match h.sh.fs.metadata(&dir) {
        Ok(m) if m.is_dir => {}
        Ok(_) => return Err(HelmError(format!("no such directory {dir}"))),
        Err(e) => {
            return Err(HelmError(format!(
                "stat {dir}: {}",
                e.to_string().to_lowercase()
            )))
        }
    }
    let cdir = fs::join(&dir, &name);
    if let Ok(m) = h.sh.fs.metadata(&cdir) {
        if !m.is_dir {
            return Err(HelmError(format!(
                "file {cdir} already exists and is not a directory"
            )));
        }
    }
    for rel in CREATE_ORDER {
        let Some(content) = files.get(*rel) else {
            continue;
        };
        let path = fs::join(&cdir, rel);
        if h.sh.fs.metadata(&path).is_ok() {
            ctx.out(format!(
                "WARNING: File {} already exists. Overwriting.\n",
                crate::kube::gofmt::quote(&path)
            ));
        }
        mkdir_all(h, fs::parent(&path)).map_err(HelmError)?;
        h.sh.fs
            .write(&path, content)
            .map_err(|e| HelmError(format!("open {path}: {}", e.to_string().to_lowercase())))?;
    }
    for d in crate::chart::create::SCAFFOLD_DIRS {
        mkdir_all(h, &fs::join(&cdir, d)).map_err(HelmError)?;
    }
    Ok(0)
}

/// `helm package CHART_PATH…` (pkg/cmd/package.go, action.Package.Run, chartutil.Save).
pub(super) fn package(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let p = h.parse(
        args,
        &[
            flags::b("sign", None),
            flags::v("key", None),
            flags::v("keyring", None),
            flags::v("passphrase-file", None),
            flags::v("version", None),
            flags::v("app-version", None),
            flags::v("destination", Some('d')),
            flags::b("dependency-update", Some('u')),
            flags::v("username", None),
            flags::v("password", None),
            flags::v("cert-file", None),
            flags::v("key-file", None),
            flags::b("insecure-skip-tls-verify", None),
            flags::b("plain-http", None),
            flags::v("ca-file", None),
        ],
    )?;
    if p.args.is_empty() {
        return Err(HelmError(
            "need at least one argument, the path to the chart".into(),
        ));
    }
    let sign = p.bool("sign");
    if sign && p.get("key").unwrap_or("").is_empty() {
        return Err(HelmError("--key is required for signing a package".into()));
    }
    if sign && p.get("keyring") == Some("") {
        return Err(HelmError(
            "--keyring is required for signing a package".into(),
        ));
    }
    let opts = crate::chart::package::PackageOptions {
        version: p
            .get("version")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        app_version: p
            .get("app-version")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        mtime: h.sh.env.clock.now().secs,
    };
    let destination = p.get("destination").unwrap_or(".").to_string();
    for arg in &p.args {
        let abs = h.sh.abs(arg);
        if let Err(e) = h.sh.fs.metadata(&abs) {
            return Err(HelmError(format!(
                "stat {arg}: {}",
                e.to_string().to_lowercase()
            )));
        }
        if p.bool("dependency-update") {
            super::depcmds::update(h, &abs, None).map_err(HelmError)?;
        }
        let (files, _) = super::load::chart_dir_files(h, &abs).map_err(HelmError)?;
        let archive = crate::chart::package::package(&files, &opts).map_err(HelmError)?;
        // chartutil.Save: the destination is created when missing
        let (dest_abs, shown) = if destination == "." {
            let cwd = h.sh.fs.cwd();
            (cwd.clone(), fs::join(&cwd, &archive.file_name))
        } else {
            (
                h.sh.abs(&destination),
                crate::chart::archive::clean_path(&format!("{destination}/{}", archive.file_name)),
            )
        };
        match h.sh.fs.metadata(&dest_abs) {
            Ok(m) if !m.is_dir => {
                return Err(HelmError(format!(
                    "failed to save: is not a directory: {}",
                    fs::parent(&shown)
                )))
            }
            Ok(_) => {}
            Err(_) => mkdir_all(h, &dest_abs).map_err(HelmError)?,
        }
        let target = fs::join(&dest_abs, &archive.file_name);
        h.sh.fs.write(&target, &archive.data).map_err(|e| {
            HelmError(format!(
                "failed to save: open {shown}: {}",
                e.to_string().to_lowercase()
            ))
        })?;
        if sign {
            return Err(HelmError(format!(
                "chartlab: {shown} was written, but signing it needs a PGP private key and keyring, which {} does not have",
                if h.sh.fs.is_virtual() { "the browser" } else { "this terminal" }
            )));
        }
        ctx.out(format!(
            "Successfully packaged chart and saved it to: {shown}\n"
        ));
    }
    Ok(0)
}

/// What `helm show` prints (action.Show).
#[derive(Clone, Copy, PartialEq)]
enum Show {
    All,
    Chart,
    Values,
    Readme,
    Crds,
}

/// `helm show all|chart|values|readme|crds CHART` (pkg/cmd/show.go, action.Show.Run).
pub(super) fn show(h: &mut Helm, args: &[String], ctx: &mut Ctx) -> R {
    let Some(i) = super::first_word(args) else {
        let p = h.parse(args, &[])?;
        h.no_args(&p.args, "helm show [command]")?;
        ctx.out(super::command_help("show"));
        return Ok(0);
    };
    let what = match args[i].as_str() {
        "all" => Show::All,
        "chart" => Show::Chart,
        "values" => Show::Values,
        "readme" => Show::Readme,
        "crds" => Show::Crds,
        _ => {
            let p = h.parse(args, &[])?;
            h.no_args(&p.args, "helm show [command]")?;
            return Ok(0);
        }
    };
    let sub = args[i].clone();
    h.path = format!("helm show {sub}");
    let mut rest = args[..i].to_vec();
    rest.extend_from_slice(&args[i + 1..]);
    let mut own = super::releasecmds::CHART_PATH_FLAGS.to_vec();
    own.push(flags::b("devel", None));
    if what == Show::Values {
        own.push(flags::v("jsonpath", None));
    }
    let p = h.parse(&rest, &own)?;
    h.exact_args(&p.args, 1, &format!("helm show {sub} [CHART] [flags]"))?;
    let abs = super::load::locate(h, &p.args[0]).map_err(HelmError)?;
    let md =
        h.sh.fs
            .metadata(&abs)
            .map_err(|e| HelmError(e.to_string()))?;
    let chart = if md.is_dir {
        let (files, _) = super::load::read_tree(h, &abs).map_err(HelmError)?;
        crate::chart::load_files(&files).map_err(HelmError)?
    } else {
        let data = h.sh.fs.read(&abs).map_err(|e| HelmError(e.to_string()))?;
        crate::chart::load::load_chart_file(&abs, &data).map_err(HelmError)?
    };
    super::load::log_load_warnings(h, &chart);
    let mut out = String::new();
    if matches!(what, Show::Chart | Show::All) {
        let cf = crate::chart::package::chart_yaml(&chart).map_err(HelmError)?;
        out.push_str(&cf);
        out.push('\n');
    }
    if matches!(what, Show::Values | Show::All) && chart.values_present {
        if what == Show::All {
            out.push_str("---\n");
        }
        match p.get("jsonpath").filter(|t| !t.is_empty()) {
            Some(t) => {
                let jp = crate::kube::jsonpath::JsonPath::parse(t)
                    .map_err(|e| HelmError(format!("error parsing jsonpath {t}: {e}")))?;
                let data = crate::json::to_serde(&crate::engine::Value::Map(chart.values.clone()))
                    .map_err(HelmError)?;
                // Helm ignores the printer's error (a missing key prints nothing)
                if let Ok(text) = jp.execute(&data, false) {
                    out.push_str(&text);
                }
            }
            None => {
                for f in chart.raw.iter().filter(|f| f.name == "values.yaml") {
                    out.push_str(&String::from_utf8_lossy(&f.data));
                    out.push('\n');
                }
            }
        }
    }
    if matches!(what, Show::Readme | Show::All) {
        let readme = chart.files.iter().find(|f| {
            ["readme.md", "readme.txt", "readme"]
                .iter()
                .any(|n| f.name.eq_ignore_ascii_case(n))
        });
        if let Some(r) = readme {
            if what == Show::All {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&r.data));
            out.push('\n');
        }
    }
    if matches!(what, Show::Crds | Show::All) {
        for (_, _, f) in chart.crd_objects() {
            if !f.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&f.data));
            out.push('\n');
        }
    }
    h.flush_warnings(ctx);
    ctx.out(out);
    Ok(0)
}
