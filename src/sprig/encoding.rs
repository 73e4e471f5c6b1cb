//! Sprig's encoding functions (strings.go): `b64enc`, `b64dec`, `b32enc`, `b32dec` over Go's
//! `encoding/base64` and `encoding/base32` standard encodings.
//!
//! The decoders follow Go's algorithms exactly, because Sprig returns a decoding error's text as
//! the result: `illegal base64 data at input byte 4` must name the byte Go names. Go skips `\r`
//! and `\n` while decoding. Decoded bytes that are not UTF-8 show as U+FFFD.

use base64::Engine as _;

use super::strings::str_arg;
use super::unicode::go_lossy;
use crate::engine::gostr;
use crate::engine::{FuncMap, Signature, Ty, Value};

pub(crate) fn register(m: &mut FuncMap) {
    m.add("b64enc", Signature::fixed(&[Ty::String]), |_, a| {
        Ok(Value::string(
            base64::engine::general_purpose::STANDARD.encode(gostr::to_bytes(str_arg(a, 0)?)),
        ))
    });
    m.add("b64dec", Signature::fixed(&[Ty::String]), |_, a| {
        Ok(Value::string(
            match base64_decode(str_arg(a, 0)?.as_bytes()) {
                Ok(b) => go_lossy(&b),
                Err(at) => format!("illegal base64 data at input byte {at}"),
            },
        ))
    });
    m.add("b32enc", Signature::fixed(&[Ty::String]), |_, a| {
        Ok(Value::string(base32_encode(&gostr::to_bytes(str_arg(
            a, 0,
        )?))))
    });
    m.add("b32dec", Signature::fixed(&[Ty::String]), |_, a| {
        Ok(Value::string(
            match base32_decode(str_arg(a, 0)?.as_bytes()) {
                Ok(b) => go_lossy(&b),
                Err(at) => format!("illegal base32 data at input byte {at}"),
            },
        ))
    });
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// `base64.StdEncoding.DecodeString`; `Err` is the offset of Go's `CorruptInputError`.
fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        // decodeQuantum
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut trailing_err = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // a quantum cut short (the encoding has padding)
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
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
            // padding: the end of the data
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    // "==" expected; skip newlines before the second =
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
        if let Some(at) = trailing_err {
            return Err(at);
        }
    }
    Ok(out)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `base32.StdEncoding.EncodeToString`.
fn base32_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(5) * 8);
    for chunk in src.chunks(5) {
        let mut b = [0u8; 5];
        b[..chunk.len()].copy_from_slice(chunk);
        let v = (b[0] as u64) << 32
            | (b[1] as u64) << 24
            | (b[2] as u64) << 16
            | (b[3] as u64) << 8
            | b[4] as u64;
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(B32[((v >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `base32.StdEncoding.DecodeString` (newlines are stripped first); `Err` is the offset of Go's
/// `CorruptInputError`.
fn base32_decode(input: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = input
        .iter()
        .copied()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                // the end, with padding missing
                return Err(olen - rest.len() - j);
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                // padding
                if rest.len() + j < 8 - 1 {
                    return Err(olen);
                }
                for k in 0..8 - 1 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if dlen == 1 || dlen == 3 || dlen == 6 {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let d = dbuf;
        let bytes = [
            d[0] << 3 | d[1] >> 2,
            d[1] << 6 | d[2] << 1 | d[3] >> 4,
            d[3] << 4 | d[4] >> 1,
            d[4] << 7 | d[5] << 2 | d[6] >> 3,
            d[6] << 5 | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CallCtx, Env};

    fn call(name: &str, arg: &str) -> String {
        let mut m = FuncMap::new();
        register(&mut m);
        CallCtx::with_env(&Env::default(), |ctx| {
            (m.get(name).expect("registered").imp)(ctx, &[Value::str(arg)])
        })
        .map(|v| v.to_v())
        .unwrap_or_else(|e| e)
    }

    // Expected values are Helm v4.2.3's (conformance fn-b64*, fn-b32* and oracle runs).

    #[test]
    fn base64() {
        assert_eq!(call("b64enc", "hello world"), "aGVsbG8gd29ybGQ=");
        assert_eq!(call("b64enc", ""), "");
        assert_eq!(call("b64enc", "a"), "YQ==");
        assert_eq!(call("b64enc", "ab"), "YWI=");
        assert_eq!(call("b64enc", "abc"), "YWJj");
        assert_eq!(call("b64enc", "ü☃"), "w7zimIM=");
        assert_eq!(call("b64enc", "s3cr3t"), "czNjcjN0");
        assert_eq!(call("b64dec", "aGVsbG8gd29ybGQ="), "hello world");
        assert_eq!(
            call("b64dec", "!!invalid"),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(call("b64dec", "aGk"), "illegal base64 data at input byte 0");
        assert_eq!(call("b64dec", ""), "");
        assert_eq!(call("b64dec", "w7zimIM="), "ü☃");
        assert_eq!(
            call("b64dec", "YS1i_w=="),
            "illegal base64 data at input byte 4"
        );
        // binary data keeps its bytes (Helm: b64dec "//4=" | b64enc is "//4=")
        assert_eq!(
            &*crate::engine::gostr::to_bytes(&call("b64dec", "//4=")),
            &[0xff, 0xfe][..]
        );
        assert_eq!(call("b64dec", "aGVs\nbG8="), "hello");
        assert_eq!(
            call("b64dec", "aGVsbG8=x"),
            "illegal base64 data at input byte 8"
        );
        assert_eq!(call("b64dec", "aG=="), "h");
        assert_eq!(
            call("b64dec", "a==="),
            "illegal base64 data at input byte 1"
        );
        assert_eq!(call("b64dec", "aG="), "illegal base64 data at input byte 3");
        assert_eq!(
            call("b64dec", "aG=x"),
            "illegal base64 data at input byte 2"
        );
    }

    #[test]
    fn base32() {
        assert_eq!(call("b32enc", "hello"), "NBSWY3DP");
        assert_eq!(call("b32enc", ""), "");
        assert_eq!(call("b32enc", "a"), "ME======");
        assert_eq!(call("b32enc", "ü"), "YO6A====");
        assert_eq!(call("b32enc", "abcdef"), "MFRGGZDFMY======");
        assert_eq!(call("b32dec", "NBSWY3DP"), "hello");
        assert_eq!(
            call("b32dec", "nbswy3dp"),
            "illegal base32 data at input byte 0"
        );
        assert_eq!(call("b32dec", "ME======"), "a");
        assert_eq!(call("b32dec", ""), "");
        assert_eq!(
            call("b32dec", "MFRGG"),
            "illegal base32 data at input byte 0"
        );
        assert_eq!(call("b32dec", "MFRGGZDFMY======"), "abcdef");
        assert_eq!(call("b32dec", "NBSW\nY3DP"), "hello");
    }
}
