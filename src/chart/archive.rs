//! Chart archives (Helm's pkg/chart/loader/archive and the writing half of
//! pkg/chart/v2/util/save.go): `.tgz` = gzip + tar with one top directory (`mychart/Chart.yaml`).
//!
//! Reading follows Helm's LoadArchiveFiles: the first path element is dropped, paths are cleaned
//! and checked (absolute, `..`, drive letters), directories and PAX headers are skipped, size
//! limits guard against bombs, and a UTF-8 BOM is trimmed — with Helm's error texts. Writing
//! produces what Helm's Save writes: ustar entries with mode 0644, a gzip header carrying Helm's
//! extra field and the comment "Helm".

use std::io::{Read, Write};

use super::model::File;

/// Helm's MaxDecompressedChartSize (100 MiB).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// Helm's MaxDecompressedFileSize (5 MiB).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// The gzip "extra" bytes Helm writes into every chart archive (save.go's headerBytes).
pub const HELM_GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

/// Go's gzip.ErrHeader text.
pub const ERR_GZIP_HEADER: &str = "gzip: invalid header";

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Decompresses a gzip stream like Go's gzip.Reader (multistream), with Go's error texts for a
/// missing or bad header, and a cap on the output.
pub fn gunzip(data: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    if data.is_empty() {
        return Err("EOF".into());
    }
    if data.len() < 10 {
        return Err("unexpected EOF".into());
    }
    if data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err(ERR_GZIP_HEADER.into());
    }
    let mut raw = Vec::new();
    let dec = flate2::read::MultiGzDecoder::new(data);
    dec.take(cap + 1).read_to_end(&mut raw).map_err(|e| {
        let s = e.to_string();
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            "unexpected EOF".to_string()
        } else if s.contains("checksum") || s.contains("crc") {
            "gzip: invalid checksum".to_string()
        } else if s.contains("header") {
            ERR_GZIP_HEADER.to_string()
        } else {
            format!("flate: corrupt input ({s})")
        }
    })?;
    if raw.len() as u64 > cap {
        return Err(format!(
            "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
        ));
    }
    Ok(raw)
}

/// One entry of a tar stream as Go's archive/tar reports it.
#[derive(Clone, Debug)]
pub struct TarEntry {
    pub name: String,
    pub typeflag: u8,
    pub mode: u64,
    pub size: u64,
    pub mtime: i64,
    pub data: Vec<u8>,
}

impl TarEntry {
    /// hd.FileInfo().IsDir().
    pub fn is_dir(&self) -> bool {
        self.typeflag == b'5' || self.mode & 0o40000 != 0
    }
}

const ERR_TAR_HEADER: &str = "archive/tar: invalid tar header";

fn field_str(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// A numeric header field: octal text, or GNU base-256 when the top bit is set.
fn numeric(b: &[u8]) -> Result<i64, String> {
    if let Some(&first) = b.first() {
        if first & 0x80 != 0 {
            let mut v: i64 = 0;
            for (i, &c) in b.iter().enumerate() {
                let c = if i == 0 { c & 0x7f } else { c };
                v = v
                    .checked_mul(256)
                    .and_then(|v| v.checked_add(i64::from(c)))
                    .ok_or_else(|| ERR_TAR_HEADER.to_string())?;
            }
            return Ok(v);
        }
    }
    let s = field_str(b);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Ok(0);
    }
    i64::from_str_radix(s, 8).map_err(|_| ERR_TAR_HEADER.to_string())
}

fn checksum_ok(h: &[u8]) -> bool {
    let Ok(want) = numeric(&h[148..156]) else {
        return false;
    };
    let mut unsigned: i64 = 0;
    let mut signed: i64 = 0;
    for (i, &c) in h.iter().enumerate() {
        let c = if (148..156).contains(&i) { b' ' } else { c };
        unsigned += i64::from(c);
        signed += i64::from(c as i8);
    }
    want == unsigned || want == signed
}

/// Parses PAX records ("%d %s=%s\n").
fn pax_records(body: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let Some(sp) = rest.iter().position(|&c| c == b' ') else {
            break;
        };
        let Ok(len) = std::str::from_utf8(&rest[..sp])
            .unwrap_or("")
            .parse::<usize>()
        else {
            break;
        };
        if len <= sp || len > rest.len() {
            break;
        }
        let rec = &rest[sp + 1..len];
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        if let Some(eq) = rec.iter().position(|&c| c == b'=') {
            out.push((
                String::from_utf8_lossy(&rec[..eq]).into_owned(),
                String::from_utf8_lossy(&rec[eq + 1..]).into_owned(),
            ));
        }
        rest = &rest[len..];
    }
    out
}

/// Reads every entry of a tar stream as Go's tar.Reader.Next does: GNU long names and PAX
/// headers are folded into the entry they describe; global PAX headers come through as entries.
pub fn read_tar(raw: &[u8]) -> Result<Vec<TarEntry>, String> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut long_name: Option<String> = None;
    let mut pax: Vec<(String, String)> = Vec::new();
    loop {
        if pos >= raw.len() {
            // A stream without the end-of-archive blocks ends cleanly at a block boundary.
            return Ok(out);
        }
        if pos + 512 > raw.len() {
            return Err("unexpected EOF".into());
        }
        let h = &raw[pos..pos + 512];
        if h.iter().all(|&b| b == 0) {
            return Ok(out);
        }
        if !checksum_ok(h) {
            return Err(ERR_TAR_HEADER.into());
        }
        let mut size = numeric(&h[124..136])?;
        let mut typeflag = h[156];
        let mut name = field_str(&h[0..100]);
        if &h[257..262] == b"ustar" {
            let prefix = field_str(&h[345..500]);
            if !prefix.is_empty() && &h[257..265] != b"ustar  \0" {
                name = format!("{prefix}/{name}");
            }
        }
        let mode = numeric(&h[100..108])?;
        let mtime = numeric(&h[136..148])?;
        if size < 0 {
            return Err(ERR_TAR_HEADER.into());
        }
        if matches!(typeflag, b'1'..=b'6') {
            // Go's isHeaderOnlyType: links, devices, directories and FIFOs carry no data.
            size = 0;
        }
        let body_start = pos + 512;
        let body_end = body_start
            .checked_add(size as usize)
            .filter(|&e| e <= raw.len())
            .ok_or_else(|| "unexpected EOF".to_string())?;
        let body = &raw[body_start..body_end];
        pos = body_start + (size as usize).div_ceil(512) * 512;
        match typeflag {
            b'L' => {
                long_name = Some(field_str(body));
                continue;
            }
            b'K' => continue,
            b'x' => {
                pax = pax_records(body);
                continue;
            }
            _ => {}
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        for (k, v) in pax.drain(..) {
            match k.as_str() {
                "path" => name = v,
                "size" => {
                    if let Ok(s) = v.parse::<i64>() {
                        size = s;
                    }
                }
                _ => {}
            }
        }
        if typeflag == 0 {
            typeflag = if name.ends_with('/') { b'5' } else { b'0' };
        }
        out.push(TarEntry {
            name,
            typeflag,
            mode: mode as u64,
            size: size as u64,
            mtime,
            data: body.to_vec(),
        });
    }
}

/// Go's path.Clean.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Helm's LoadArchiveFiles: the files of a chart archive, paths relative to the chart root.
pub fn load_archive_files(data: &[u8]) -> Result<Vec<File>, String> {
    // Tar headers add to the stream; the cap counts file bodies like Helm's remainingSize does.
    let raw = gunzip(data, MAX_DECOMPRESSED_CHART_SIZE + (16 << 20))?;
    let entries = read_tar(&raw)?;
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE as i64;
    let mut files = Vec::new();
    for e in entries {
        if e.is_dir() || e.typeflag == b'g' || e.typeflag == b'x' {
            continue;
        }
        let delimiter = if e.name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = e.name.split(delimiter).collect();
        let n = parts[1..].join(&delimiter.to_string());
        let n = n.replace(delimiter, "/");
        if n.starts_with('/') {
            return Err("chart illegally contains absolute paths".into());
        }
        let n = clean_path(&n);
        if n == "." {
            return Err(format!(
                "chart illegally contains content outside the base directory: {}",
                crate::engine::printf::quote(&e.name)
            ));
        }
        if n.starts_with("..") {
            return Err("chart illegally references parent directory".into());
        }
        if is_drive_path(&n) {
            return Err("chart contains illegally named files".into());
        }
        if parts[0] == "Chart.yaml" {
            return Err("chart yaml not in base directory".into());
        }
        let size = e.size as i64;
        if size > remaining {
            return Err(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            ));
        }
        if e.size > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(format!(
                "decompressed chart file {} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}",
                crate::engine::printf::quote(&e.name)
            ));
        }
        let written = e.data.len() as i64;
        remaining -= written;
        if written < size || remaining <= 0 {
            return Err(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            ));
        }
        let data = e.data.strip_prefix(BOM).unwrap_or(&e.data).to_vec();
        files.push(File::new(n, data));
    }
    if files.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(files)
}

/// Writes a tar stream the way Go's tar.Writer does for Helm's Save: regular files, mode 0644,
/// uid/gid 0, ustar format (PAX `path` records for names ustar cannot hold), two zero blocks at
/// the end.
pub struct TarWriter {
    out: Vec<u8>,
}

fn octal_field(dst: &mut [u8], v: u64) {
    // Go's formatOctal: zero-padded digits, then a NUL.
    let digits = format!("{v:o}");
    let width = dst.len() - 1;
    let s = if digits.len() >= width {
        digits[digits.len() - width..].to_string()
    } else {
        format!("{}{}", "0".repeat(width - digits.len()), digits)
    };
    dst[..width].copy_from_slice(s.as_bytes());
    dst[width] = 0;
}

/// Go's splitUSTARPath: (prefix, name) when the path fits ustar's fields.
fn split_ustar(name: &str) -> Option<(&str, &str)> {
    let b = name.as_bytes();
    if b.len() <= 100 {
        return Some(("", name));
    }
    let mut length = b.len();
    if length > 155 + 1 {
        length = 155 + 1;
    } else if b.last() == Some(&b'/') {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let nlen = b.len() - i - 1;
    if i == 0 || nlen == 0 || nlen > 100 {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

impl Default for TarWriter {
    fn default() -> Self {
        TarWriter::new()
    }
}

impl TarWriter {
    pub fn new() -> TarWriter {
        TarWriter { out: Vec::new() }
    }

    fn header(&mut self, name: &str, prefix: &str, typeflag: u8, mode: u64, size: u64, mtime: i64) {
        let mut h = [0u8; 512];
        let nb = name.as_bytes();
        h[..nb.len().min(100)].copy_from_slice(&nb[..nb.len().min(100)]);
        octal_field(&mut h[100..108], mode);
        octal_field(&mut h[108..116], 0);
        octal_field(&mut h[116..124], 0);
        octal_field(&mut h[124..136], size);
        octal_field(&mut h[136..148], mtime.max(0) as u64);
        h[156] = typeflag;
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        octal_field(&mut h[329..337], 0);
        octal_field(&mut h[337..345], 0);
        let pb = prefix.as_bytes();
        h[345..345 + pb.len().min(155)].copy_from_slice(&pb[..pb.len().min(155)]);
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        let chk = format!("{sum:06o}");
        h[148..154].copy_from_slice(&chk.as_bytes()[chk.len() - 6..]);
        h[154] = 0;
        h[155] = b' ';
        self.out.extend_from_slice(&h);
    }

    fn body(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.out.extend(std::iter::repeat_n(0u8, pad));
    }

    /// Adds a regular file (mode 0644) with modification time `mtime` (Unix seconds).
    pub fn add_file(&mut self, name: &str, data: &[u8], mtime: i64) {
        match split_ustar(name) {
            Some((prefix, short)) if name.is_ascii() => {
                self.header(short, prefix, b'0', 0o644, data.len() as u64, mtime);
            }
            _ => {
                // A PAX extended header carries the full path.
                let rec = pax_record("path", name);
                let pax_name = pax_header_name(name);
                self.header(&pax_name, "", b'x', 0o644, rec.len() as u64, mtime);
                self.body(rec.as_bytes());
                let short: String = name.chars().filter(char::is_ascii).take(100).collect();
                self.header(&short, "", b'0', 0o644, data.len() as u64, mtime);
            }
        }
        self.body(data);
    }

    /// The finished stream (two zero blocks appended).
    pub fn finish(mut self) -> Vec<u8> {
        self.out.extend(std::iter::repeat_n(0u8, 1024));
        self.out
    }
}

/// Go's formatPAXRecord: the length prefix counts itself.
fn pax_record(k: &str, v: &str) -> String {
    let body = format!(" {k}={v}\n");
    let mut size = body.len();
    loop {
        let candidate = size.to_string().len() + body.len();
        if candidate == size {
            break;
        }
        size = candidate;
    }
    format!("{size}{body}")
}

/// Go's name for a PAX header entry: `dir/PaxHeaders.0/file`.
fn pax_header_name(name: &str) -> String {
    let (dir, file) = match name.rfind('/') {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (".", name),
    };
    let full = format!("{dir}/PaxHeaders.0/{file}");
    let ascii: String = full.chars().filter(char::is_ascii).collect();
    ascii.chars().take(100).collect()
}

/// Gzip as Helm's Save writes it: default compression, Helm's extra field, comment "Helm",
/// no name, mtime 0, OS unknown.
pub fn gzip_helm(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .extra(HELM_GZIP_EXTRA)
        .comment("Helm")
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_round_trip_and_helm_checks() {
        let mut tw = TarWriter::new();
        tw.add_file("demo/Chart.yaml", b"name: demo\n", 0);
        let long = format!("demo/{}/x.yaml", "d".repeat(120));
        tw.add_file(&long, b"\xEF\xBB\xBFhello", 1_700_000_000);
        let tgz = gzip_helm(&tw.finish());
        let files = load_archive_files(&tgz).unwrap();
        assert_eq!(files[0].name, "Chart.yaml");
        assert_eq!(files[1].name, format!("{}/x.yaml", "d".repeat(120)));
        assert_eq!(&*files[1].data, b"hello");

        let mut tw = TarWriter::new();
        tw.add_file("Chart.yaml", b"x", 0);
        let err = load_archive_files(&gzip_helm(&tw.finish())).unwrap_err();
        assert_eq!(
            err,
            "chart illegally contains content outside the base directory: \"Chart.yaml\""
        );
        let mut tw = TarWriter::new();
        tw.add_file("demo/../../etc/passwd", b"x", 0);
        let err = load_archive_files(&gzip_helm(&tw.finish())).unwrap_err();
        assert_eq!(err, "chart illegally references parent directory");
        assert_eq!(
            load_archive_files(b"not gzip at all").unwrap_err(),
            ERR_GZIP_HEADER
        );
        let empty = gzip_helm(&TarWriter::new().finish());
        assert_eq!(
            load_archive_files(&empty).unwrap_err(),
            "no files in chart archive"
        );
    }

    #[test]
    fn clean_like_go() {
        for (i, o) in [
            ("", "."),
            ("a/b/../c", "a/c"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a/../..", ".."),
            ("./a//b/", "a/b"),
        ] {
            assert_eq!(clean_path(i), o, "{i}");
        }
    }

    #[test]
    fn pax_records_count_their_length() {
        assert_eq!(pax_record("path", "a"), "9 path=a\n");
        let r = pax_record("path", &"x".repeat(200));
        assert_eq!(r.len().to_string(), r.split(' ').next().unwrap());
    }
}
