//! Go's `encoding/pem` (`Decode`, `EncodeToMemory`) and `encoding/base64`'s standard decoder
//! with its exact error offsets (`illegal base64 data at input byte N`).

use base64::Engine;

/// A decoded PEM block (headers are read but not kept: Sprig never looks at them).
pub(crate) struct Block {
    pub kind: String,
    pub bytes: Vec<u8>,
}

fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut i, j) = match data.iter().position(|&b| b == b'\n') {
        None => (data.len(), data.len()),
        Some(i) => (i, i + 1),
    };
    if j != i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    let mut line = &data[..i];
    while let Some((&last, rest)) = line.split_last() {
        if last == b' ' || last == b'\t' {
            line = rest;
        } else {
            break;
        }
    }
    (line, &data[j..])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_space(s: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c');
    let start = s.iter().position(|b| !is_space(b)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// `pem.Decode`: the first well-formed block in `data`.
pub(crate) fn decode(data: &[u8]) -> Option<Block> {
    const START: &[u8] = b"\n-----BEGIN ";
    const END: &[u8] = b"\n-----END ";
    const EOL: &[u8] = b"-----";
    let mut rest = data;
    loop {
        if rest.starts_with(&START[1..]) {
            rest = &rest[START.len() - 1..];
        } else if let Some(i) = find(rest, START) {
            rest = &rest[i + START.len()..];
        } else {
            return None;
        }
        let (type_line, after) = get_line(rest);
        rest = after;
        if !type_line.ends_with(EOL) {
            continue;
        }
        let type_line = &type_line[..type_line.len() - EOL.len()];
        let mut headers = 0usize;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                break;
            };
            let _ = (trim_space(&line[..colon]), trim_space(&line[colon + 1..]));
            headers += 1;
            rest = next;
        }
        let (end_index, end_trailer_index) = if headers == 0 && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let end_trailer = &rest[end_trailer_index..];
        let trailer_len = type_line.len() + EOL.len();
        if end_trailer.len() < trailer_len {
            continue;
        }
        let rest_of_end_line = &end_trailer[trailer_len..];
        let end_trailer = &end_trailer[..trailer_len];
        if !end_trailer.starts_with(type_line) || !end_trailer.ends_with(EOL) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }
        let body: Vec<u8> = rest[..end_index]
            .iter()
            .copied()
            .filter(|&b| b != b' ' && b != b'\t')
            .collect();
        match decode_std(&body) {
            Ok(bytes) => {
                return Some(Block {
                    kind: String::from_utf8_lossy(type_line).into_owned(),
                    bytes,
                })
            }
            Err(_) => continue,
        }
    }
}

/// `pem.EncodeToMemory` for a block without headers: base64 in 64-column lines.
pub(crate) fn encode(kind: &str, bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

fn decode_char(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// `base64.StdEncoding.DecodeString`: `\r` and `\n` are skipped anywhere; `Err` carries the byte
/// offset Go reports (`illegal base64 data at input byte N`).
pub(crate) fn decode_std(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing_err = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = decode_char(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (dbuf[0] as u32) << 18
            | (dbuf[1] as u32) << 12
            | (dbuf[2] as u32) << 6
            | dbuf[3] as u32;
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = trailing_err {
            return Err(e);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_errors_match_go() {
        assert_eq!(decode_std(b"%%%"), Err(0));
        assert_eq!(decode_std(b"not base64!"), Err(3));
        assert_eq!(decode_std(b"QQ"), Err(0));
        assert_eq!(decode_std(b"QQ="), Err(3));
        assert_eq!(decode_std(b"QQ==x"), Err(4));
        assert_eq!(decode_std(b"Q"), Err(0));
        assert_eq!(decode_std(b"QUJD\nREVG\r\n"), Ok(b"ABCDEF".to_vec()));
        assert_eq!(decode_std(b"QUI="), Ok(b"AB".to_vec()));
        assert_eq!(decode_std(b""), Ok(vec![]));
    }

    #[test]
    fn pem_round_trip_and_garbage() {
        let s = encode("TEST", &[1u8; 100]);
        assert!(s.starts_with("-----BEGIN TEST-----\n"));
        assert_eq!(s.lines().nth(1).map(str::len), Some(64));
        let b = decode(s.as_bytes()).expect("block");
        assert_eq!((b.kind.as_str(), b.bytes.len()), ("TEST", 100));
        assert!(decode(b"not pem").is_none());
        let with_prefix = format!("junk\n{s}");
        assert!(decode(with_prefix.as_bytes()).is_some());
        assert!(decode(b"-----BEGIN FOO-----\nAAAA\n-----END BAR-----\n").is_none());
        let b = decode(b"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n").expect("block");
        assert_eq!((b.kind.as_str(), b.bytes), ("FOO", vec![0, 0, 0]));
    }
}
