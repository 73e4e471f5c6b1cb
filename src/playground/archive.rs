//! Chart archives for export and import: the workspace written as a `.tgz` laid out like
//! `helm package` makes one (gzip over ustar, every path under the chart's name, files only,
//! Chart.yaml and values.yaml first), and the other way round through Helm's loader
//! ([`crate::chart::archive::unpack`]).

use std::io::Write;

use super::workspace::Workspace;
use crate::chart::FileMap;

/// The tar header's file mode (Helm writes 0644).
const MODE: u64 = 0o644;

/// Writes the workspace as `NAME/…` entries of a gzipped tar; `mtime` in seconds since the epoch.
pub fn pack(ws: &Workspace, name: &str, mtime: i64) -> Result<Vec<u8>, String> {
    crate::chart::create::validate_name(name)?;
    let mut order: Vec<&str> = Vec::new();
    for first in ["Chart.yaml", "values.yaml", "values.schema.json"] {
        if ws.is_file(first) {
            order.push(first);
        }
    }
    order.extend(
        ws.file_paths()
            .filter(|p| !matches!(*p, "Chart.yaml" | "values.yaml" | "values.schema.json")),
    );
    let mut tar = Vec::new();
    for path in order {
        let data = ws.file(path).unwrap_or_default();
        let full = format!("{name}/{path}");
        write_entry(&mut tar, &full, data, mtime.max(0) as u64)?;
    }
    // two zero blocks end the archive
    tar.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

fn octal(field: &mut [u8], value: u64) -> Result<(), String> {
    let width = field.len() - 1;
    let text = format!("{value:0width$o}");
    if text.len() > width {
        return Err(format!("{value} does not fit a tar header field"));
    }
    field[..width].copy_from_slice(text.as_bytes());
    field[width] = 0;
    Ok(())
}

/// One ustar entry; long paths go in the header's prefix field (up to 255 bytes in all).
fn write_entry(out: &mut Vec<u8>, path: &str, data: &[u8], mtime: u64) -> Result<(), String> {
    let mut h = [0u8; 512];
    let bytes = path.as_bytes();
    let (prefix, name) = if bytes.len() <= 100 {
        (&b""[..], bytes)
    } else {
        // split at a '/' so that name <= 100 and prefix <= 155
        let split = path
            .char_indices()
            .rev()
            .filter(|&(i, c)| c == '/' && i <= 155 && bytes.len() - i - 1 <= 100)
            .map(|(i, _)| i)
            .next()
            .ok_or_else(|| format!("{path}: too long for a tar archive"))?;
        (&bytes[..split], &bytes[split + 1..])
    };
    h[..name.len()].copy_from_slice(name);
    octal(&mut h[100..108], MODE)?;
    octal(&mut h[108..116], 0)?;
    octal(&mut h[116..124], 0)?;
    octal(&mut h[124..136], data.len() as u64)?;
    octal(&mut h[136..148], mtime)?;
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[345..345 + prefix.len()].copy_from_slice(prefix);
    // the checksum is computed with its own field as spaces
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let text = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(text.as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    let pad = (512 - data.len() % 512) % 512;
    out.extend(std::iter::repeat_n(0u8, pad));
    Ok(())
}

/// Reads a chart archive (`helm package` output, `helm pull` download) into files.
pub fn unpack(data: &[u8]) -> Result<FileMap, String> {
    crate::chart::archive::unpack(data)
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
        let mut doc = build(ExampleId::Dependency);
        let long = format!("files/{}/{}.txt", "d".repeat(90), "f".repeat(90));
        doc.workspace
            .write(&long, &b"long path\n"[..])
            .expect("write");
        let tgz = pack(&doc.workspace, "myapi", 1_700_000_000).expect("pack");
        assert_eq!(&tgz[..2], &[0x1f, 0x8b], "gzip magic");
        let files = unpack(&tgz).expect("unpack");
        assert_eq!(files, doc.workspace.to_file_map());
    }

    #[test]
    fn bad_names_and_paths_are_errors() {
        let doc = build(ExampleId::Scaffold);
        assert!(pack(&doc.workspace, "bad name", 0).is_err());
        let mut ws = Workspace::new();
        ws.write(&format!("{}/x", "y".repeat(300)), &b""[..])
            .expect("write");
        assert!(pack(&ws, "c", 0).is_err());
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
