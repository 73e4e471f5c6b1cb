//! The case and word helpers behind Sprig's string functions: Go's `strings.ToUpper`/`ToLower`/
//! `Title`, Masterminds/goutils v1.1.1 (`Uncapitalize`, `SwapCase`, `Initials`,
//! `DeleteWhiteSpace`, `WrapCustom`) and huandu/xstrings v1.5.0 (`ToPascalCase`, `ToSnakeCase`,
//! `ToKebabCase`).
//!
//! goutils' `Initials` and `DeleteWhiteSpace` walk the string byte by byte and write each byte as
//! the Latin-1 rune of the same value, which mangles non-ASCII text; that is what Helm prints, so it
//! is what these do too.

use super::unicode::{
    go_lossy, is_letter, is_lower, is_number, is_punct, is_space, is_title, is_upper, to_lower,
    to_title, to_upper,
};

/// `strings.ToUpper`.
pub(crate) fn upper(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_uppercase()
    } else {
        s.chars().map(to_upper).collect()
    }
}

/// `strings.ToLower`.
pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.chars().map(to_lower).collect()
    }
}

/// `strings.Title`'s word separators: anything but ASCII alphanumerics and `_`, letters, digits;
/// beyond ASCII only white space separates.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if is_letter(c) || super::unicode::is_digit(c) {
        return false;
    }
    is_space(c)
}

/// `strings.Title` (deprecated in Go, still Sprig's `title`): title-cases the first rune of each word.
pub(crate) fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) { to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: lower-cases the first rune after each run of white space.
pub(crate) fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`: upper and title case become lower; lower case becomes title case at the
/// start of a word and upper case elsewhere.
pub(crate) fn swap_case(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                whitespace = false;
                to_lower(c)
            } else if is_lower(c) {
                if whitespace {
                    whitespace = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                whitespace = is_space(c);
                c
            }
        })
        .collect()
}

/// goutils `Initials`: the first byte of each white-space separated word, as a Latin-1 rune.
pub(crate) fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for &b in s.as_bytes() {
        let c = b as char;
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils `DeleteWhiteSpace`: drops white-space bytes, writing the others as Latin-1 runes
/// (the string comes back unchanged when it has no white-space byte).
pub(crate) fn delete_white_space(s: &str) -> String {
    if !s.bytes().any(|b| is_space(b as char)) {
        return s.to_owned();
    }
    s.bytes()
        .filter(|&b| !is_space(b as char))
        .map(|b| b as char)
        .collect()
}

/// goutils `WrapCustom`: breaks lines at spaces near `width` bytes; long words stay whole unless
/// `wrap_long` (then they are cut every `width` bytes). `sep` "" means "\n". `Err(len)` when the
/// result would grow past `limit` bytes.
pub(crate) fn wrap_custom(
    s: &str,
    width: i64,
    sep: &str,
    wrap_long: bool,
    limit: usize,
) -> Result<String, usize> {
    if s.is_empty() {
        return Ok(String::new());
    }
    let sep = if sep.is_empty() { "\n" } else { sep };
    let b = s.as_bytes();
    let len = b.len();
    // (clamped before the cast so that a huge width means "no wrapping" on 32-bit targets too)
    let width = width.clamp(1, len as i64 + 1) as usize;
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + len / width.max(1) * sep.len());
    while len - offset > width {
        if out.len() > limit {
            return Err(out.len());
        }
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        match b[offset..end].iter().rposition(|&c| c == b' ') {
            Some(i) => {
                // normal word (not longer than width)
                out.extend_from_slice(&b[offset..offset + i]);
                out.extend_from_slice(sep.as_bytes());
                offset += i + 1;
            }
            None if wrap_long => {
                out.extend_from_slice(&b[offset..offset + width]);
                out.extend_from_slice(sep.as_bytes());
                offset += width;
            }
            None => {
                let end = width + offset;
                match b[end..].iter().position(|&c| c == b' ') {
                    None => {
                        out.extend_from_slice(&b[offset..]);
                        offset = len;
                    }
                    Some(i) => {
                        out.extend_from_slice(&b[offset..end + i]);
                        out.extend_from_slice(sep.as_bytes());
                        offset = end + i + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    Ok(go_lossy(&out))
}

/// xstrings' connectors: `-`, `_` and white space.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' `isAlphabet`: a letter that is not a common CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !is_letter(c) {
        return false;
    }
    !matches!(c as u32, 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x20000..=0x2B81D)
}

/// xstrings v1.5.0 `ToPascalCase` (Sprig's `camelcase`): words joined by connectors become
/// capitalised; an all-caps word keeps only its first capital; runs of connectors keep all but one.
pub(crate) fn to_pascal_case(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = '\0';
    // leading connectors appear in the output
    for c in chars.by_ref() {
        r0 = c;
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = to_upper(c);
            break;
        }
        out.push(c);
    }
    let rest = chars.as_str();
    if rest.is_empty() {
        // xstrings writes the last rune again here, connector or not
        out.push(r0);
        return out;
    }
    for c in rest.chars() {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    UpperCase,
    Alphabet,
    Connector,
    Punct,
    Other,
}

const RUNE_ERROR: char = '\u{FFFD}';

/// xstrings' `nextValidRune`: the next rune that is not U+FFFD, and the bytes up to and including
/// it; `prev` (and all the bytes) when only U+FFFD remain.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

/// Extends a word while `keep` holds for the next valid rune (`r` ends as the rune that stopped it).
fn extend(r: &mut char, offset: &mut usize, remaining: &mut &str, keep: impl Fn(char) -> bool) {
    while !remaining.is_empty() {
        let (c, size) = next_valid_rune(remaining, *r);
        *r = c;
        if !keep(c) {
            break;
        }
        *offset += size;
        *remaining = &remaining[size..];
    }
}

/// xstrings' `nextWord`: the type and text of the next word, and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let (mut r, size) = next_valid_rune(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    let mut remaining = &s[size..];
    let wt = if is_connector(r) {
        extend(&mut r, &mut offset, &mut remaining, is_connector);
        Word::Connector
    } else if is_punct(r) {
        extend(&mut r, &mut offset, &mut remaining, is_punct);
        Word::Punct
    } else if is_upper(r) {
        if !remaining.is_empty() {
            let (c, size) = next_valid_rune(remaining, r);
            r = c;
            if is_upper(r) {
                let mut prev_size = size;
                offset += size;
                remaining = &remaining[size..];
                while !remaining.is_empty() {
                    let (c, size) = next_valid_rune(remaining, r);
                    r = c;
                    if !is_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    remaining = &remaining[size..];
                }
                // "HTTPStatus": the S belongs to the next word
                if !remaining.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                }
            } else if is_alphabet(r) {
                offset += size;
                remaining = &remaining[size..];
                extend(&mut r, &mut offset, &mut remaining, |c| {
                    is_alphabet(c) && !is_upper(c)
                });
            }
        }
        Word::UpperCase
    } else if is_alphabet(r) {
        extend(&mut r, &mut offset, &mut remaining, |c| {
            is_alphabet(c) && !is_upper(c)
        });
        Word::Alphabet
    } else if is_number(r) {
        extend(&mut r, &mut offset, &mut remaining, is_number);
        Word::Number
    } else {
        while !remaining.is_empty() {
            let (c, size) = next_valid_rune(remaining, r);
            r = c;
            if size == 0 || is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c) {
                break;
            }
            offset += size;
            remaining = &remaining[size..];
        }
        Word::Other
    };
    (wt, &s[..offset], &s[offset..])
}

/// xstrings' `toLower`: upper-case and connector words are lowered (connectors replaced).
fn word_to_lower(out: &mut String, wt: Word, word: &str, connector: char) {
    if wt != Word::UpperCase && wt != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings v1.5.0 `camelCaseToLowerCase`: `ToSnakeCase` (connector `_`) and `ToKebabCase` (`-`).
pub(crate) fn to_lower_words(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            word_to_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    word_to_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    out.push(connector);
                }
            }
            Word::Connector => word_to_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let number = word;
                (wt, word, remaining) = next_word(remaining);
                // a number is part of the previous word ("Bld4Floor" → "bld4_floor") unless
                // lower-case letters follow it ("HTTP2xx" → "http_2xx")
                if wt != Word::Alphabet {
                    word_to_lower(&mut out, Word::Number, number, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                word_to_lower(&mut out, Word::Number, number, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    word_to_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    out.push(connector);
                }
            }
        }
    }
    word_to_lower(&mut out, wt, word, connector);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xstrings_documented_samples() {
        for (input, snake) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(to_lower_words(input, '_'), snake, "{input}");
        }
        for (input, pascal) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(to_pascal_case(input), pascal, "{input}");
        }
    }

    #[test]
    fn word_splitting() {
        assert_eq!(next_word("HTTPStatus"), (Word::UpperCase, "HTTP", "Status"));
        assert_eq!(next_word("--x"), (Word::Connector, "--", "x"));
        assert_eq!(next_word("12ab"), (Word::Number, "12", "ab"));
        assert_eq!(next_word("\u{FFFD}"), (Word::Invalid, "\u{FFFD}", ""));
    }
}
