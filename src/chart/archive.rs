//! Chart archives (Helm's pkg/chart/loader/archive): `.tgz` = gzip + tar with one top directory
//! (`mychart/Chart.yaml`). Reading strips that directory; size limits guard against bombs.

use std::io::Read;

use super::load::FileMap;

/// Helm's default maximum decompressed chart size (100 MiB).
pub const MAX_DECOMPRESSED: u64 = 100 << 20;

/// Unpacks a chart archive into a file map with paths relative to the chart root.
pub fn unpack(data: &[u8]) -> Result<FileMap, String> {
    let mut raw = Vec::new();
    let dec = flate2::read::GzDecoder::new(data);
    dec.take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("failed to decompress chart archive: {e}"))?;
    if raw.len() as u64 > MAX_DECOMPRESSED {
        return Err(format!(
            "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED}"
        ));
    }
    let entries = read_tar(&raw)?;
    let mut out = FileMap::new();
    for (path, body) in entries {
        let path = path.trim_start_matches("./");
        // strip the chart's top directory
        let Some((_, rest)) = path.split_once('/') else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        if rest.split('/').any(|p| p == "..") {
            return Err(format!(
                "chart illegally references parent directory: {path}"
            ));
        }
        out.insert(rest.to_string(), body);
    }
    if out.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(out)
}

fn field_str(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn octal(b: &[u8]) -> Result<u64, String> {
    let s = field_str(b);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| format!("invalid tar header number {s:?}"))
}

/// Reads regular files out of a tar stream (ustar, GNU long names, pax `path`).
pub fn read_tar(raw: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut long_name: Option<String> = None;
    let mut pax_path: Option<String> = None;
    while pos + 512 <= raw.len() {
        let h = &raw[pos..pos + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = octal(&h[124..136])? as usize;
        let typ = h[156];
        let mut name = field_str(&h[0..100]);
        if &h[257..262] == b"ustar" {
            let prefix = field_str(&h[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        let body_start = pos + 512;
        let body_end = body_start
            .checked_add(size)
            .filter(|&e| e <= raw.len())
            .ok_or_else(|| "unexpected end of tar archive".to_string())?;
        let body = &raw[body_start..body_end];
        pos = body_start + size.div_ceil(512) * 512;
        match typ {
            b'L' => long_name = Some(field_str(body)),
            b'x' => {
                for rec in String::from_utf8_lossy(body).lines() {
                    if let Some((_, kv)) = rec.split_once(' ') {
                        if let Some(p) = kv.strip_prefix("path=") {
                            pax_path = Some(p.to_string());
                        }
                    }
                }
            }
            b'0' | 0 | b'7' => {
                let name = pax_path.take().or(long_name.take()).unwrap_or(name);
                out.push((name, body.to_vec()));
            }
            _ => {
                long_name = None;
                pax_path = None;
            }
        }
    }
    Ok(out)
}
