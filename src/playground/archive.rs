//! Chart archives for export and import: the workspace packaged as `helm package` does
//! ([`crate::chart::package`]), and archives read as Helm's loader reads them; a picked folder's
//! files relative to the chart.

use super::workspace::Workspace;
use crate::chart::package::{package, Archive, PackageOptions};
use crate::chart::FileMap;

/// `helm package` of the workspace (Helm's loader, `.helmignore`, validation, the declared
/// dependencies required in `charts/`): the archive and the name Helm gives it
/// (`NAME-VERSION.tgz`); `mtime` in seconds since the epoch.
pub fn pack(ws: &Workspace, mtime: i64) -> Result<Archive, String> {
    package(
        &ws.to_file_map(),
        &PackageOptions {
            mtime,
            ..PackageOptions::default()
        },
    )
}

/// Reads a chart archive (`helm package` output, `helm pull` download) into files, as Helm's
/// LoadArchiveFiles does (size limits, path checks, the top folder dropped).
pub fn unpack(data: &[u8]) -> Result<FileMap, String> {
    Ok(crate::chart::archive::load_archive_files(data)?
        .into_iter()
        .map(|f| (f.name, f.data.to_vec()))
        .collect())
}

/// Files picked from a folder (`webkitRelativePath` = `top/dir/file`): the common top folder
/// is dropped, as Helm drops the chart's directory name.
pub fn strip_top_folder(files: Vec<(String, Vec<u8>)>) -> Result<FileMap, String> {
    let top = files
        .first()
        .and_then(|(p, _)| p.split_once('/'))
        .map(|(t, _)| t.to_string());
    let mut out = FileMap::new();
    for (path, data) in files {
        let rel = match &top {
            Some(t) if files_share(&path, t) => path[t.len() + 1..].to_string(),
            _ => path,
        };
        out.insert(rel, data);
    }
    Ok(out)
}

fn files_share(path: &str, top: &str) -> bool {
    path.len() > top.len() + 1 && path.starts_with(top) && path.as_bytes()[top.len()] == b'/'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::examples::{build, ExampleId};

    #[test]
    fn packed_charts_unpack_through_helms_loader() {
        for id in [ExampleId::Scaffold, ExampleId::Dependency] {
            let doc = build(id);
            let a = pack(&doc.workspace, 1_700_000_000).expect("pack");
            assert_eq!(a.file_name, "myapi-0.1.0.tgz");
            assert_eq!(&a.data[..2], &[0x1f, 0x8b], "gzip magic");
            let files = unpack(&a.data).expect("unpack");
            let mut want = doc.workspace.to_file_map();
            // .helmignore lists .helmignore-style junk only; the chart's files all travel
            want.retain(|k, _| files.contains_key(k) || k == ".helmignore");
            // Helm's Save writes Chart.yaml from the parsed metadata (comments go): compared
            // by content below
            want.retain(|k, _| !k.ends_with("Chart.yaml"));
            for (k, v) in &want {
                if let Some(got) = files.get(k) {
                    assert_eq!(got, v, "{k}");
                }
            }
            let chart = String::from_utf8_lossy(&files["Chart.yaml"]).into_owned();
            assert!(
                chart.contains("name: myapi\n") && chart.contains("version: 0.1.0\n"),
                "{chart}"
            );
            assert!(files.contains_key("templates/deployment.yaml"));
        }
    }

    #[test]
    fn a_broken_chart_does_not_package() {
        let mut doc = build(ExampleId::Scaffold);
        doc.workspace
            .write("Chart.yaml", &b"name: x\n"[..])
            .expect("write");
        assert!(pack(&doc.workspace, 0).is_err());
        assert!(unpack(b"not a tgz").is_err());
    }

    #[test]
    fn folder_uploads_lose_their_top_folder() {
        let files = vec![
            ("myapi/Chart.yaml".to_string(), b"a".to_vec()),
            ("myapi/templates/x.yaml".to_string(), b"b".to_vec()),
        ];
        let m = strip_top_folder(files).expect("strip");
        assert_eq!(
            m.keys().collect::<Vec<_>>(),
            vec!["Chart.yaml", "templates/x.yaml"]
        );
    }
}
