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
