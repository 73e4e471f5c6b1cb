//! Go's `unicode` package as Sprig's text functions see it: the category predicates (`IsUpper`,
//! `IsLower`, `IsTitle`, `IsLetter`, `IsDigit`, `IsNumber`, `IsPunct`, `IsSpace`) and the
//! simple, rune-to-rune case mappings (`ToUpper`, `ToLower`, `ToTitle`).
//!
//! Go tests general categories exactly (`IsUpper` is category Lu, not Rust's wider `Uppercase`
//! property), so the tables come from regex-syntax's general-category data. Go maps case one rune
//! to one rune (`ToUpper('ß')` is `ß`, `ToLower('İ')` is `i`), while Rust's `char::to_uppercase` uses
//! the full mappings; the simple mapping equals the full one whenever the latter is a single rune,
//! and the few runes whose full mapping is longer are handled here.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, ClassUnicode, HirKind};

/// The ranges of the Unicode class `\p{NAME}` (a general category or script name that
/// regex-syntax knows), `None` if the name is unknown.
pub(crate) fn property_class(name: &str) -> Option<ClassUnicode> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&format!("\\p{{{name}}}"))
        .ok()?;
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(c)) => Some(c),
        // an empty class (e.g. the surrogates) is returned as a "never matches" class
        HirKind::Class(Class::Bytes(_)) => None,
        _ => Some(ClassUnicode::empty()),
    }
}

type Table = Vec<(char, char)>;

fn load(cell: &'static OnceLock<Table>, names: &[&str]) -> &'static [(char, char)] {
    cell.get_or_init(|| {
        let mut class = ClassUnicode::empty();
        for name in names {
            if let Some(c) = property_class(name) {
                class.union(&c);
            }
        }
        class.iter().map(|r| (r.start(), r.end())).collect()
    })
}

fn contains(table: &[(char, char)], c: char) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

macro_rules! category {
    ($(#[$doc:meta])* $fn:ident, $ascii:expr, [$($name:literal),+]) => {
        $(#[$doc])*
        pub(crate) fn $fn(c: char) -> bool {
            if c.is_ascii() {
                let f: fn(char) -> bool = $ascii;
                return f(c);
            }
            static T: OnceLock<Table> = OnceLock::new();
            contains(load(&T, &[$($name),+]), c)
        }
    };
}

category!(
    /// `unicode.IsUpper`: general category Lu.
    is_upper, |c| c.is_ascii_uppercase(), ["Lu"]
);
category!(
    /// `unicode.IsLower`: general category Ll.
    is_lower, |c| c.is_ascii_lowercase(), ["Ll"]
);
category!(
    /// `unicode.IsTitle`: general category Lt.
    is_title, |_| false, ["Lt"]
);
category!(
    /// `unicode.IsLetter`: general category L.
    is_letter, |c| c.is_ascii_alphabetic(), ["L"]
);
category!(
    /// `unicode.IsDigit`: general category Nd.
    is_digit, |c| c.is_ascii_digit(), ["Nd"]
);
category!(
    /// `unicode.IsNumber`: general category N.
    is_number, |c| c.is_ascii_digit(), ["N"]
);
category!(
    /// `unicode.IsPunct`: general category P.
    is_punct, |c| c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~'), ["P"]
);

/// `unicode.IsSpace`: Go's White_Space set (`\t \n \v \f \r`, space, U+0085, U+00A0 and the
/// Unicode spaces), which is exactly Rust's `char::is_whitespace`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.ToUpper`: the simple uppercase mapping (the rune itself when there is none).
pub(crate) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut it = c.to_uppercase();
    if it.len() == 1 {
        return it.next().unwrap_or(c);
    }
    // Full mapping longer than one rune: only these have a simple mapping (Greek with
    // ypogegrammeni maps to the prosgegrammeni capital); the rest (ß, ŉ, ﬁ, ΐ, …) have none.
    match c as u32 {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
            char::from_u32(c as u32 + 8).unwrap_or(c)
        }
        0x1FB3 => '\u{1FBC}',
        0x1FC3 => '\u{1FCC}',
        0x1FF3 => '\u{1FFC}',
        _ => c,
    }
}

/// `unicode.ToLower`: the simple lowercase mapping.
pub(crate) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut it = c.to_lowercase();
    if it.len() == 1 {
        return it.next().unwrap_or(c);
    }
    // İ's full lowercase is "i̇"; its simple mapping is plain i.
    if c == '\u{130}' {
        'i'
    } else {
        c
    }
}

/// `unicode.ToTitle`: the simple titlecase mapping, which differs from the uppercase one only for
/// the DŽ/LJ/NJ/DZ digraphs (title forms ǅ ǈ ǋ ǲ) and Georgian Mkhedruli (no title form).
pub(crate) fn to_title(c: char) -> char {
    match c as u32 {
        0x01C4..=0x01C6 => '\u{01C5}',
        0x01C7..=0x01C9 => '\u{01C8}',
        0x01CA..=0x01CC => '\u{01CB}',
        0x01F1..=0x01F3 => '\u{01F2}',
        0x10D0..=0x10FA | 0x10FD..=0x10FF => c,
        _ => to_upper(c),
    }
}

/// Go's `string(bytes)`: bytes that are not valid UTF-8 are kept as raw bytes (see
/// `engine::gostr`), so later byte-level functions see exactly what Go would.
pub(crate) fn go_lossy(bytes: &[u8]) -> String {
    crate::engine::gostr::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_general_categories() {
        assert!(is_upper('A') && is_upper('Ǆ') && !is_upper('ǅ') && !is_upper('Ⓐ'));
        assert!(is_lower('ß') && !is_lower('ª') && is_title('ǅ'));
        assert!(is_letter('é') && is_letter('ª') && !is_letter('Ⅻ'));
        assert!(is_digit('٣') && !is_digit('½') && is_number('½') && is_number('Ⅻ'));
        assert!(is_punct('_') && is_punct('¿') && !is_punct('$') && !is_punct('+'));
        assert!(is_space('\u{85}') && is_space('\u{3000}') && !is_space('\u{200b}'));
    }

    #[test]
    fn case_mappings_are_simple() {
        // observed with Helm: upper "ᾳ ა ǆ ǅ ΐ ŉ" → "ᾼ Ა Ǆ Ǆ ΐ ŉ"
        let up: String = "ᾳ ა ǆ ǅ ΐ ŉ ß ﬁ".chars().map(to_upper).collect();
        assert_eq!(up, "ᾼ Ა Ǆ Ǆ ΐ ŉ ß ﬁ");
        // lower "İ ẞ ǅ ᾼ Ა" → "i ß ǆ ᾳ ა"
        let low: String = "İ ẞ ǅ ᾼ Ა".chars().map(to_lower).collect();
        assert_eq!(low, "i ß ǆ ᾳ ა");
        // title "ǆ ᾳ ა" → "ǅ ᾼ ა"
        let title: String = "ǆ ᾳ ა".chars().map(to_title).collect();
        assert_eq!(title, "ǅ ᾼ ა");
    }

    #[test]
    fn lossy_replaces_each_bad_byte() {
        assert_eq!(
            crate::engine::gostr::to_output(&go_lossy(b"\xe2\x98")),
            "\u{FFFD}\u{FFFD}"
        );
        assert_eq!(
            &*crate::engine::gostr::to_bytes(&go_lossy(b"a\xc3")),
            b"a\xc3"
        );
        assert_eq!(go_lossy("é".as_bytes()), "é");
    }
}
