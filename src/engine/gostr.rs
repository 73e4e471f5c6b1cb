//! Go strings are byte strings; ChartLab's are UTF-8. This module keeps the difference lossless.
//!
//! A byte that is not part of valid UTF-8 (from `"\xff"` literals, `b64dec` of binary data,
//! `.Files.Get` of a binary file, a `substr` cut inside a character) is held as one code point of
//! the private-use block U+10FF00–U+10FFFF (U+10FF00 + byte). Functions that look at bytes
//! (`len`, `b64enc`, `sha256sum`, `printf "%x"`, `index`, …) turn those code points back into the
//! raw bytes, so `b64dec | b64enc` round-trips binary data exactly as in Helm. Text that leaves
//! the engine shows them as U+FFFD, which is what Helm's own JSON output shows for such bytes.

use std::borrow::Cow;

const RAW_BASE: u32 = 0x10FF00;
/// UTF-8 of U+10FF00..=U+10FFFF is F4 8F BC..BF xx: every raw byte starts with these two.
const RAW_LEAD: [u8; 2] = [0xF4, 0x8F];

/// The code point that stands for raw byte `b`.
pub fn raw_char(b: u8) -> char {
    char::from_u32(RAW_BASE + b as u32).unwrap_or('\u{FFFD}')
}

/// The raw byte a code point stands for, if it is one.
pub fn raw_byte(c: char) -> Option<u8> {
    let u = c as u32;
    (RAW_BASE..=RAW_BASE + 0xFF)
        .contains(&u)
        .then(|| (u - RAW_BASE) as u8)
}

/// Whether `s` holds any raw byte (a cheap scan: raw bytes start with F4 8F BC..BF).
pub fn has_raw(s: &str) -> bool {
    let b = s.as_bytes();
    // memchr for the rare lead byte first; only then look closer
    if !b.contains(&RAW_LEAD[0]) {
        return false;
    }
    b.windows(3)
        .any(|w| w[0] == RAW_LEAD[0] && w[1] == RAW_LEAD[1] && (0xBC..=0xBF).contains(&w[2]))
}

/// Go's `string(bytes)`: valid UTF-8 stays as it is, every other byte becomes its raw code point.
pub fn from_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for &b in chunk.invalid() {
                    out.push(raw_char(b));
                }
            }
            out
        }
    }
}

/// Go's `[]byte(s)`: the bytes the string stands for.
pub fn to_bytes(s: &str) -> Cow<'_, [u8]> {
    if !has_raw(s) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

/// Go's `len(s)`: the number of bytes.
pub fn go_len(s: &str) -> usize {
    if !has_raw(s) {
        return s.len();
    }
    s.chars()
        .map(|c| {
            if raw_byte(c).is_some() {
                1
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// Text for the world outside the engine: raw bytes shown as U+FFFD.
pub fn to_output(s: &str) -> Cow<'_, str> {
    if !has_raw(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if raw_byte(c).is_some() { '\u{FFFD}' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_bytes_round_trip() {
        let bin = [0x61u8, 0xff, 0xfe, 0xc3, 0xbc, 0x80];
        let s = from_bytes(&bin);
        assert_eq!(&*to_bytes(&s), &bin[..]);
        assert_eq!(go_len(&s), 6);
        assert_eq!(to_output(&s), "a\u{FFFD}\u{FFFD}ü\u{FFFD}");
        assert!(!has_raw("plain ü ☃"));
        assert_eq!(from_bytes("é".as_bytes()), "é");
    }
}
