//! Go's `regexp/syntax` parser (RE2 syntax with Go's Perl flags), producing a regex-syntax [`Hir`]
//! that regex-automata compiles.
//!
//! The parser follows Go's stack algorithm so that it accepts exactly what Go accepts and fails
//! with Go's messages (`error parsing regexp: missing closing ): \`(\``, the offending text quoted
//! as Go quotes it), including Go's limits (repeat counts up to 1000, nesting height 1000, program
//! size). Matching semantics are then pinned down explicitly in the `Hir` instead of being left to
//! Rust's syntax: `\d \w \s \b` are ASCII, `(?i)` folds classes the way Go does (fold each item,
//! then negate), `^ $` without `(?m)` are text anchors, and capture groups are numbered in order
//! of their `(`, with names kept on the side (Go allows the same name twice).

use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, Dot, Hir, Look};

use super::unicode::property_class;

/// A Go regexp syntax error: `error parsing regexp: CODE: \`EXPR\``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub code: &'static str,
    pub expr: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.code == "ChartLab limit" {
            return write!(f, "ChartLab limit: {}", self.expr);
        }
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_BRACKET: &str = "missing closing ]";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const UNEXPECTED_PAREN: &str = "unexpected )";
const NESTING_DEPTH: &str = "expression nests too deeply";
const LARGE: &str = "expression too large";

fn err(code: &'static str, expr: &str) -> SyntaxError {
    SyntaxError {
        code,
        expr: expr.to_owned(),
    }
}

/// Go's `maxRepeat`, `maxHeight` and `maxSize` (instructions in 128 MiB).
const MAX_REPEAT: i64 = 1000;
const MAX_HEIGHT: u32 = 1000;
const MAX_SIZE: u64 = (128 << 20) / 40;
/// Go allows nesting up to 1000 levels; the matcher's compiler recurses over the pattern, and in a
/// browser's 1 MiB stack only a few hundred levels are safe, so ChartLab stops at the same 250 as
/// Rust's regex crate (no chart comes near it).
const CHARTLAB_MAX_HEIGHT: u32 = 250;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Flags {
    fold: bool,
    dot_nl: bool,
    /// `^`/`$` match only at the text's ends (cleared by `(?m)`).
    one_line: bool,
    non_greedy: bool,
}

const PERL: Flags = Flags {
    fold: false,
    dot_nl: false,
    one_line: true,
    non_greedy: false,
};

#[derive(Debug)]
enum Kind {
    /// A literal rune; `fold` matches its whole simple-folding orbit.
    Literal(char, bool),
    Class(ClassUnicode),
    AnyCharNotNL,
    AnyChar,
    Look(Look),
    Empty,
    Capture(u32, Box<Node>),
    /// min, max (None: unbounded), greedy; `counted` marks `{n,m}` (Go's OpRepeat).
    Repeat {
        min: u32,
        max: Option<u32>,
        greedy: bool,
        counted: bool,
        sub: Box<Node>,
    },
    Concat(Vec<Node>),
    Alternate(Vec<Node>),
    /// Pseudo-operators of the parse stack.
    LeftParen {
        cap: u32,
        flags: Flags,
    },
    VerticalBar,
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    height: u32,
    size: u64,
}

impl Node {
    fn leaf(kind: Kind) -> Node {
        Node {
            kind,
            height: 1,
            size: 1,
        }
    }
    fn is_pseudo(&self) -> bool {
        matches!(self.kind, Kind::LeftParen { .. } | Kind::VerticalBar)
    }
}

/// The result of a successful parse.
pub(crate) struct Parsed {
    pub hir: Hir,
    /// Go's `SubexpNames`: index 0 is the whole match (""), then one entry per group.
    pub names: Vec<String>,
}

struct Parser<'a> {
    whole: &'a str,
    flags: Flags,
    stack: Vec<Node>,
    num_cap: u32,
    names: Vec<String>,
}

/// Parses `pattern` with Go's `syntax.Perl` flags.
pub(crate) fn parse(pattern: &str) -> Result<Parsed, SyntaxError> {
    let mut p = Parser {
        whole: pattern,
        flags: PERL,
        stack: Vec::new(),
        num_cap: 0,
        names: vec![String::new()],
    };
    let mut t = pattern;
    let mut last_repeat: &str = "";
    while !t.is_empty() {
        let mut repeat: &str = "";
        let c = t.as_bytes()[0];
        match c {
            b'(' => {
                if t.len() >= 2 && t.as_bytes()[1] == b'?' {
                    t = p.parse_perl_flags(t)?;
                } else {
                    p.num_cap += 1;
                    p.names.push(String::new());
                    let flags = p.flags;
                    p.push(Node::leaf(Kind::LeftParen {
                        cap: p.num_cap,
                        flags,
                    }))?;
                    t = &t[1..];
                }
            }
            b'|' => {
                p.parse_vertical_bar()?;
                t = &t[1..];
            }
            b')' => {
                p.parse_right_paren()?;
                t = &t[1..];
            }
            b'^' => {
                let look = if p.flags.one_line {
                    Look::Start
                } else {
                    Look::StartLF
                };
                p.push(Node::leaf(Kind::Look(look)))?;
                t = &t[1..];
            }
            b'$' => {
                let look = if p.flags.one_line {
                    Look::End
                } else {
                    Look::EndLF
                };
                p.push(Node::leaf(Kind::Look(look)))?;
                t = &t[1..];
            }
            b'.' => {
                let k = if p.flags.dot_nl {
                    Kind::AnyChar
                } else {
                    Kind::AnyCharNotNL
                };
                p.push(Node::leaf(k))?;
                t = &t[1..];
            }
            b'[' => {
                t = p.parse_class(t)?;
            }
            b'*' | b'+' | b'?' => {
                let before = t;
                let (min, max) = match c {
                    b'*' => (0, None),
                    b'+' => (1, None),
                    _ => (0, Some(1)),
                };
                let after = p.repeat(min, max, false, before, &t[1..], last_repeat)?;
                repeat = before;
                t = after;
            }
            b'{' => {
                let before = t;
                match parse_repeat(t) {
                    None => {
                        // not a repetition: a literal {
                        p.literal('{' as u32)?;
                        t = &t[1..];
                    }
                    Some((min, max, after)) => {
                        let op = &before[..before.len() - after.len()];
                        if !(0..=MAX_REPEAT).contains(&min)
                            || max > MAX_REPEAT
                            || max >= 0 && min > max
                        {
                            return Err(err(INVALID_REPEAT_SIZE, op));
                        }
                        let max = if max < 0 { None } else { Some(max as u32) };
                        let after = p.repeat(min as u32, max, true, before, after, last_repeat)?;
                        repeat = before;
                        t = after;
                    }
                }
            }
            b'\\' => {
                t = p.parse_backslash(t)?;
            }
            _ => {
                let ch = t.chars().next().unwrap_or('\0');
                p.literal(ch as u32)?;
                t = &t[ch.len_utf8()..];
            }
        }
        last_repeat = repeat;
    }
    p.concat()?;
    if p.swap_vertical_bar() {
        p.stack.pop();
    }
    p.alternate()?;
    if p.stack.len() != 1 {
        return Err(err(MISSING_PAREN, pattern));
    }
    let root = p.stack.pop().unwrap_or_else(|| Node::leaf(Kind::Empty));
    if root.height > CHARTLAB_MAX_HEIGHT {
        return Err(SyntaxError {
            code: "ChartLab limit",
            expr: format!("the expression nests more than {CHARTLAB_MAX_HEIGHT} levels deep"),
        });
    }
    Ok(Parsed {
        hir: to_hir(root),
        names: p.names,
    })
}

/// `{min}`, `{min,}` or `{min,max}` at the start of `s`: (min, max (-1: none), rest); `None` when
/// `s` does not have that form (then `{` is a literal). Numbers too large give min = -1.
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (mut min, s) = parse_int(s)?;
    let max;
    let s = if let Some(s) = s.strip_prefix(',') {
        if s.is_empty() {
            return None;
        }
        if let Some(rest) = s.strip_prefix('}') {
            return Some((min, -1, rest));
        }
        let (m, s) = parse_int(s)?;
        if m < 0 {
            min = -1;
        }
        max = m;
        s
    } else {
        max = min;
        s
    };
    let rest = s.strip_prefix('}')?;
    Some((min, max, rest))
}

/// A decimal number without leading zeros; -1 when it is 1e8 or more.
fn parse_int(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit() {
        return None;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut n: i64 = 0;
    for &d in &b[..digits] {
        if n >= 100_000_000 {
            n = -1;
            break;
        }
        n = n * 10 + (d - b'0') as i64;
    }
    Some((n, &s[digits..]))
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn unhex(c: char) -> i64 {
    c.to_digit(16).map_or(-1, |d| d as i64)
}

/// The class of code points `lo..=hi`, without the surrogates a Rust char cannot be.
fn code_range(lo: u32, hi: u32) -> ClassUnicode {
    let mut class = ClassUnicode::empty();
    let mut add = |a: u32, b: u32| {
        if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) {
            if a <= b {
                class.push(ClassUnicodeRange::new(a, b));
            }
        }
    };
    if hi < 0xD800 || lo > 0xDFFF {
        add(lo, hi);
    } else {
        if lo < 0xD800 {
            add(lo, 0xD7FF);
        }
        if hi > 0xDFFF {
            add(0xE000, hi);
        }
    }
    class
}

fn range(lo: char, hi: char) -> ClassUnicode {
    ClassUnicode::new([ClassUnicodeRange::new(lo, hi)])
}

fn ranges(pairs: &[(char, char)]) -> ClassUnicode {
    ClassUnicode::new(pairs.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
}

/// A Perl (`\d`) or POSIX (`[:alpha:]`) group: (negated, class).
fn perl_group(name: &str) -> Option<(bool, ClassUnicode)> {
    let (neg, pairs): (bool, &[(char, char)]) = match name {
        "\\d" => (false, &[('0', '9')]),
        "\\D" => (true, &[('0', '9')]),
        "\\s" => (false, &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')]),
        "\\S" => (true, &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')]),
        "\\w" => (false, &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]),
        "\\W" => (true, &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]),
        _ => return None,
    };
    Some((neg, ranges(pairs)))
}

fn posix_group(name: &str) -> Option<(bool, ClassUnicode)> {
    let (neg, base) = match name.strip_prefix("[:^") {
        Some(rest) => (true, rest),
        None => (false, name.strip_prefix("[:")?),
    };
    let pairs: &[(char, char)] = match base {
        "alnum:]" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha:]" => &[('A', 'Z'), ('a', 'z')],
        "ascii:]" => &[('\0', '\x7f')],
        "blank:]" => &[('\t', '\t'), (' ', ' ')],
        "cntrl:]" => &[('\0', '\x1f'), ('\x7f', '\x7f')],
        "digit:]" => &[('0', '9')],
        "graph:]" => &[('!', '~')],
        "lower:]" => &[('a', 'z')],
        "print:]" => &[(' ', '~')],
        "punct:]" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space:]" => &[('\t', '\r'), (' ', ' ')],
        "upper:]" => &[('A', 'Z')],
        "word:]" => &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        "xdigit:]" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    };
    Some((neg, ranges(pairs)))
}

/// Go's `canonicalName`: no `_`, `-` or spaces, first letter upper case, the rest lower case.
fn canonical_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut first = true;
    for c in name.chars() {
        if c == '_' || c == '-' || c == ' ' {
            continue;
        }
        if first {
            out.push(c.to_ascii_uppercase());
            first = false;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The names Go 1.26's `\p{…}` accepts (after `canonicalName`), with the property regex-syntax
/// knows them by. Go's scripts are Unicode 15.0's whose names are one word (multi-word names such
/// as Old_Italic cannot survive canonicalName in Go either), its categories and their aliases.
#[rustfmt::skip]
const UNICODE_NAMES: &[(&str, &str)] = &[
    ("Adlam", "Adlam"), ("Ahom", "Ahom"), ("Arabic", "Arabic"), ("Armenian", "Armenian"),
    ("Avestan", "Avestan"), ("Balinese", "Balinese"), ("Bamum", "Bamum"), ("Batak", "Batak"),
    ("Bengali", "Bengali"), ("Bhaiksuki", "Bhaiksuki"), ("Bopomofo", "Bopomofo"),
    ("Brahmi", "Brahmi"), ("Braille", "Braille"), ("Buginese", "Buginese"), ("Buhid", "Buhid"),
    ("C", "C"), ("Carian", "Carian"), ("Casedletter", "LC"), ("Cc", "Cc"), ("Cf", "Cf"),
    ("Chakma", "Chakma"), ("Cham", "Cham"), ("Cherokee", "Cherokee"), ("Chorasmian", "Chorasmian"),
    ("Closepunctuation", "Pe"), ("Cn", "Cn"), ("Cntrl", "Cc"), ("Co", "Co"), ("Combiningmark", "M"),
    ("Common", "Common"), ("Connectorpunctuation", "Pc"), ("Control", "Cc"), ("Coptic", "Coptic"),
    ("Cs", "Cs"), ("Cuneiform", "Cuneiform"), ("Currencysymbol", "Sc"), ("Cypriot", "Cypriot"),
    ("Cyrillic", "Cyrillic"), ("Dashpunctuation", "Pd"), ("Decimalnumber", "Nd"),
    ("Deseret", "Deseret"), ("Devanagari", "Devanagari"), ("Digit", "Nd"), ("Dogra", "Dogra"),
    ("Duployan", "Duployan"), ("Elbasan", "Elbasan"), ("Elymaic", "Elymaic"),
    ("Enclosingmark", "Me"), ("Ethiopic", "Ethiopic"), ("Finalpunctuation", "Pf"), ("Format", "Cf"),
    ("Georgian", "Georgian"), ("Glagolitic", "Glagolitic"), ("Gothic", "Gothic"),
    ("Grantha", "Grantha"), ("Greek", "Greek"), ("Gujarati", "Gujarati"), ("Gurmukhi", "Gurmukhi"),
    ("Han", "Han"), ("Hangul", "Hangul"), ("Hanunoo", "Hanunoo"), ("Hatran", "Hatran"),
    ("Hebrew", "Hebrew"), ("Hiragana", "Hiragana"), ("Inherited", "Inherited"),
    ("Initialpunctuation", "Pi"), ("Javanese", "Javanese"), ("Kaithi", "Kaithi"),
    ("Kannada", "Kannada"), ("Katakana", "Katakana"), ("Kawi", "Kawi"),
    ("Kharoshthi", "Kharoshthi"), ("Khmer", "Khmer"), ("Khojki", "Khojki"),
    ("Khudawadi", "Khudawadi"), ("L", "L"), ("Lao", "Lao"), ("Latin", "Latin"), ("Lc", "LC"),
    ("Lepcha", "Lepcha"), ("Letter", "L"), ("Letternumber", "Nl"), ("Limbu", "Limbu"),
    ("Lineseparator", "Zl"), ("Lisu", "Lisu"), ("Ll", "Ll"), ("Lm", "Lm"), ("Lo", "Lo"),
    ("Lowercaseletter", "Ll"), ("Lt", "Lt"), ("Lu", "Lu"), ("Lycian", "Lycian"),
    ("Lydian", "Lydian"), ("M", "M"), ("Mahajani", "Mahajani"), ("Makasar", "Makasar"),
    ("Malayalam", "Malayalam"), ("Mandaic", "Mandaic"), ("Manichaean", "Manichaean"),
    ("Marchen", "Marchen"), ("Mark", "M"), ("Mathsymbol", "Sm"), ("Mc", "Mc"), ("Me", "Me"),
    ("Medefaidrin", "Medefaidrin"), ("Miao", "Miao"), ("Mn", "Mn"), ("Modi", "Modi"),
    ("Modifierletter", "Lm"), ("Modifiersymbol", "Sk"), ("Mongolian", "Mongolian"), ("Mro", "Mro"),
    ("Multani", "Multani"), ("Myanmar", "Myanmar"), ("N", "N"), ("Nabataean", "Nabataean"),
    ("Nandinagari", "Nandinagari"), ("Nd", "Nd"), ("Newa", "Newa"), ("Nko", "Nko"), ("Nl", "Nl"),
    ("No", "No"), ("Nonspacingmark", "Mn"), ("Number", "N"), ("Nushu", "Nushu"), ("Ogham", "Ogham"),
    ("Openpunctuation", "Ps"), ("Oriya", "Oriya"), ("Osage", "Osage"), ("Osmanya", "Osmanya"),
    ("Other", "C"), ("Otherletter", "Lo"), ("Othernumber", "No"), ("Otherpunctuation", "Po"),
    ("Othersymbol", "So"), ("P", "P"), ("Palmyrene", "Palmyrene"), ("Paragraphseparator", "Zp"),
    ("Pc", "Pc"), ("Pd", "Pd"), ("Pe", "Pe"), ("Pf", "Pf"), ("Phoenician", "Phoenician"),
    ("Pi", "Pi"), ("Po", "Po"), ("Privateuse", "Co"), ("Ps", "Ps"), ("Punct", "P"),
    ("Punctuation", "P"), ("Rejang", "Rejang"), ("Runic", "Runic"), ("S", "S"),
    ("Samaritan", "Samaritan"), ("Saurashtra", "Saurashtra"), ("Sc", "Sc"), ("Separator", "Z"),
    ("Sharada", "Sharada"), ("Shavian", "Shavian"), ("Siddham", "Siddham"), ("Sinhala", "Sinhala"),
    ("Sk", "Sk"), ("Sm", "Sm"), ("So", "So"), ("Sogdian", "Sogdian"), ("Soyombo", "Soyombo"),
    ("Spaceseparator", "Zs"), ("Spacingmark", "Mc"), ("Sundanese", "Sundanese"),
    ("Surrogate", "Cs"), ("Symbol", "S"), ("Syriac", "Syriac"), ("Tagalog", "Tagalog"),
    ("Tagbanwa", "Tagbanwa"), ("Takri", "Takri"), ("Tamil", "Tamil"), ("Tangsa", "Tangsa"),
    ("Tangut", "Tangut"), ("Telugu", "Telugu"), ("Thaana", "Thaana"), ("Thai", "Thai"),
    ("Tibetan", "Tibetan"), ("Tifinagh", "Tifinagh"), ("Tirhuta", "Tirhuta"),
    ("Titlecaseletter", "Lt"), ("Toto", "Toto"), ("Ugaritic", "Ugaritic"), ("Unassigned", "Cn"),
    ("Uppercaseletter", "Lu"), ("Vai", "Vai"), ("Vithkuqi", "Vithkuqi"), ("Wancho", "Wancho"),
    ("Yezidi", "Yezidi"), ("Yi", "Yi"), ("Z", "Z"), ("Zl", "Zl"), ("Zp", "Zp"), ("Zs", "Zs"),
];

/// Go's `unicodeTable`: the class for a `\p{…}` name and whether it is inverted.
fn unicode_table(name: &str) -> Option<ClassUnicode> {
    let name = canonical_name(name);
    match name.as_str() {
        "Any" => return Some(range('\0', char::MAX)),
        "Ascii" => return Some(range('\0', '\x7f')),
        "Assigned" => {
            let mut c = property_class("Cn")?;
            c.negate();
            return Some(c);
        }
        _ => {}
    }
    let i = UNICODE_NAMES
        .binary_search_by(|(k, _)| k.cmp(&name.as_str()))
        .ok()?;
    property_class(UNICODE_NAMES[i].1)
}

impl<'a> Parser<'a> {
    fn check(&self, n: &Node) -> Result<(), SyntaxError> {
        if n.height > MAX_HEIGHT {
            return Err(err(NESTING_DEPTH, self.whole));
        }
        if n.size > MAX_SIZE {
            return Err(err(LARGE, self.whole));
        }
        Ok(())
    }

    fn push(&mut self, n: Node) -> Result<(), SyntaxError> {
        self.check(&n)?;
        self.stack.push(n);
        Ok(())
    }

    /// A literal rune (a surrogate code point, which Go accepts in `\x{D800}`, matches nothing).
    fn literal(&mut self, c: u32) -> Result<(), SyntaxError> {
        let fold = self.flags.fold;
        match char::from_u32(c) {
            Some(c) => self.push(Node::leaf(Kind::Literal(c, fold))),
            None => self.class(ClassUnicode::empty()),
        }
    }

    fn class(&mut self, class: ClassUnicode) -> Result<(), SyntaxError> {
        self.push(Node::leaf(Kind::Class(class)))
    }

    /// Replaces the top of the stack with its repetition; `before` is the text from the operator
    /// on, `after` the text after it. Returns the rest of the input.
    fn repeat(
        &mut self,
        min: u32,
        max: Option<u32>,
        counted: bool,
        before: &'a str,
        mut after: &'a str,
        last_repeat: &'a str,
    ) -> Result<&'a str, SyntaxError> {
        let mut greedy = !self.flags.non_greedy;
        if let Some(rest) = after.strip_prefix('?') {
            after = rest;
            greedy = !greedy;
        }
        if !last_repeat.is_empty() {
            // Perl does not allow stacked repetition operators (a**)
            return Err(err(
                INVALID_REPEAT_OP,
                &last_repeat[..last_repeat.len() - after.len()],
            ));
        }
        let op = &before[..before.len() - after.len()];
        match self.stack.last() {
            None => return Err(err(MISSING_REPEAT_ARGUMENT, op)),
            Some(top) if top.is_pseudo() => return Err(err(MISSING_REPEAT_ARGUMENT, op)),
            _ => {}
        }
        let sub = match self.stack.pop() {
            Some(s) => s,
            None => return Err(err(MISSING_REPEAT_ARGUMENT, op)),
        };
        let s = sub.size;
        let size = match (counted, min, max) {
            (false, 0, None) => 2 + s,
            (false, _, _) => 1 + s,
            (true, 0, None) => 2 + s,
            (true, m, None) => 1 + m as u64 * s,
            (true, m, Some(x)) => x as u64 * s + (x - m) as u64,
        };
        let node = Node {
            height: sub.height + 1,
            size: size.max(1),
            kind: Kind::Repeat {
                min,
                max,
                greedy,
                counted,
                sub: Box::new(sub),
            },
        };
        self.check(&node)?;
        if counted
            && (min >= 2 || max.is_some_and(|m| m >= 2))
            && !repeat_is_valid(&node, MAX_REPEAT)
        {
            return Err(err(INVALID_REPEAT_SIZE, op));
        }
        self.stack.push(node);
        Ok(after)
    }

    /// Index of the first stack entry above the topmost pseudo-operator.
    fn above_pseudo(&self) -> usize {
        let mut i = self.stack.len();
        while i > 0 && !self.stack[i - 1].is_pseudo() {
            i -= 1;
        }
        i
    }

    /// Replaces the entries above the topmost `|` or `(` with their concatenation.
    fn concat(&mut self) -> Result<(), SyntaxError> {
        let i = self.above_pseudo();
        let subs: Vec<Node> = self.stack.drain(i..).collect();
        let node = collapse(subs, false);
        self.push(node)
    }

    /// Replaces the entries above the topmost `(` with their alternation.
    fn alternate(&mut self) -> Result<(), SyntaxError> {
        let i = self.above_pseudo();
        let subs: Vec<Node> = self.stack.drain(i..).collect();
        if subs.is_empty() {
            // an empty alternation matches nothing (Go's OpNoMatch)
            return self.push(Node::leaf(Kind::Class(ClassUnicode::empty())));
        }
        let node = collapse(subs, true);
        self.push(node)
    }

    /// If the stack is `… X | Y`, makes it `… X Y |` (alternation branches live below the bar).
    fn swap_vertical_bar(&mut self) -> bool {
        let n = self.stack.len();
        if n >= 2 && matches!(self.stack[n - 2].kind, Kind::VerticalBar) {
            self.stack.swap(n - 2, n - 1);
            return true;
        }
        false
    }

    fn parse_vertical_bar(&mut self) -> Result<(), SyntaxError> {
        self.concat()?;
        if !self.swap_vertical_bar() {
            self.push(Node::leaf(Kind::VerticalBar))?;
        }
        Ok(())
    }

    fn parse_right_paren(&mut self) -> Result<(), SyntaxError> {
        self.concat()?;
        if self.swap_vertical_bar() {
            self.stack.pop();
        }
        self.alternate()?;
        let n = self.stack.len();
        if n < 2 {
            return Err(err(UNEXPECTED_PAREN, self.whole));
        }
        let re1 = self.stack.pop();
        let re2 = self.stack.pop();
        let (re1, re2) = match (re1, re2) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(err(UNEXPECTED_PAREN, self.whole)),
        };
        let (cap, flags) = match re2.kind {
            Kind::LeftParen { cap, flags } => (cap, flags),
            _ => return Err(err(UNEXPECTED_PAREN, self.whole)),
        };
        self.flags = flags;
        if cap == 0 {
            self.push(re1)
        } else {
            let node = Node {
                height: re1.height + 1,
                size: re1.size + 2,
                kind: Kind::Capture(cap, Box::new(re1)),
            };
            self.push(node)
        }
    }

    /// `(?flags)`, `(?flags:`, `(?P<name>` and `(?<name>`.
    fn parse_perl_flags(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let b = s.as_bytes();
        let starts_with_p = b.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_with_name = b.len() > 3 && b[2] == b'<';
        if starts_with_p || starts_with_name {
            let expr_start = if starts_with_p { 4 } else { 3 };
            let end = match s.find('>') {
                Some(e) => e,
                None => return Err(err(INVALID_NAMED_CAPTURE, s)),
            };
            let capture = &s[..end + 1];
            let name = &s[expr_start..end];
            if name.is_empty() || !name.chars().all(|c| c == '_' || is_alnum(c)) {
                return Err(err(INVALID_NAMED_CAPTURE, capture));
            }
            self.num_cap += 1;
            self.names.push(name.to_owned());
            let flags = self.flags;
            self.push(Node::leaf(Kind::LeftParen {
                cap: self.num_cap,
                flags,
            }))?;
            return Ok(&s[end + 1..]);
        }
        let mut t = &s[2..];
        let mut flags = self.flags;
        let mut negate = false;
        let mut saw_flag = false;
        while let Some(c) = t.chars().next() {
            t = &t[c.len_utf8()..];
            match c {
                'i' => {
                    flags.fold = !negate;
                    saw_flag = true;
                }
                'm' => {
                    flags.one_line = negate;
                    saw_flag = true;
                }
                's' => {
                    flags.dot_nl = !negate;
                    saw_flag = true;
                }
                'U' => {
                    flags.non_greedy = !negate;
                    saw_flag = true;
                }
                '-' => {
                    if negate {
                        break;
                    }
                    negate = true;
                    saw_flag = false;
                }
                ':' | ')' => {
                    if negate && !saw_flag {
                        break;
                    }
                    if c == ':' {
                        let outer = self.flags;
                        self.push(Node::leaf(Kind::LeftParen {
                            cap: 0,
                            flags: outer,
                        }))?;
                    }
                    self.flags = flags;
                    return Ok(t);
                }
                _ => break,
            }
        }
        Err(err(INVALID_PERL_OP, &s[..s.len() - t.len()]))
    }

    /// A backslash sequence outside a class.
    fn parse_backslash(&mut self, t: &'a str) -> Result<&'a str, SyntaxError> {
        let b = t.as_bytes();
        if b.len() >= 2 {
            match b[1] {
                b'A' => {
                    self.push(Node::leaf(Kind::Look(Look::Start)))?;
                    return Ok(&t[2..]);
                }
                b'b' => {
                    self.push(Node::leaf(Kind::Look(Look::WordAscii)))?;
                    return Ok(&t[2..]);
                }
                b'B' => {
                    self.push(Node::leaf(Kind::Look(Look::WordAsciiNegate)))?;
                    return Ok(&t[2..]);
                }
                b'C' => return Err(err(INVALID_ESCAPE, &t[..2])),
                b'Q' => {
                    // \Q ... \E: the ... is always literals
                    let body = &t[2..];
                    let (lit, rest) = match body.find("\\E") {
                        Some(i) => (&body[..i], &body[i + 2..]),
                        None => (body, ""),
                    };
                    for c in lit.chars() {
                        self.literal(c as u32)?;
                    }
                    return Ok(rest);
                }
                b'z' => {
                    self.push(Node::leaf(Kind::Look(Look::End)))?;
                    return Ok(&t[2..]);
                }
                _ => {}
            }
        }
        if b.len() >= 2 && (b[1] == b'p' || b[1] == b'P') {
            let (class, rest) = self.parse_unicode_class(t)?;
            self.class(class)?;
            return Ok(rest);
        }
        if let Some((class, rest)) = self.parse_perl_class_escape(t) {
            self.class(class)?;
            return Ok(rest);
        }
        let (c, rest) = parse_escape(t)?;
        self.literal(c)?;
        Ok(rest)
    }

    /// `\d`, `\s`, `\w` and their negations, folded under `(?i)`.
    fn parse_perl_class_escape(&self, s: &'a str) -> Option<(ClassUnicode, &'a str)> {
        let (neg, class) = perl_group(s.get(..2)?)?;
        Some((self.group(neg, class), &s[2..]))
    }

    /// Go's `appendGroup`: fold the class under `(?i)`, then negate.
    fn group(&self, neg: bool, mut class: ClassUnicode) -> ClassUnicode {
        if self.flags.fold {
            class.case_fold_simple();
        }
        if neg {
            class.negate();
        }
        class
    }

    /// `\pN`, `\p{Name}`, `\PN`, `\P{Name}`, `\p{^Name}` at the start of `s`.
    fn parse_unicode_class(&self, s: &'a str) -> Result<(ClassUnicode, &'a str), SyntaxError> {
        let mut neg = s.as_bytes()[1] == b'P';
        let t = &s[2..];
        let (seq, rest, name) = match t.chars().next() {
            Some('{') => {
                let end = match s.find('}') {
                    Some(e) => e,
                    None => return Err(err(INVALID_CHAR_RANGE, s)),
                };
                (&s[..end + 1], &s[end + 1..], &s[3..end])
            }
            Some(c) => {
                let n = 2 + c.len_utf8();
                (&s[..n], &s[n..], &s[2..n])
            }
            None => (s, "", ""),
        };
        let name = match name.strip_prefix('^') {
            Some(n) => {
                neg = !neg;
                n
            }
            None => name,
        };
        let class = match unicode_table(name) {
            Some(c) => c,
            None => return Err(err(INVALID_CHAR_RANGE, seq)),
        };
        Ok((self.group(neg, class), rest))
    }

    /// A bracketed class starting at `s` (`[`); pushes it and returns the rest.
    fn parse_class(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let mut t = &s[1..];
        let mut negated = false;
        if let Some(rest) = t.strip_prefix('^') {
            negated = true;
            t = rest;
        }
        let mut class = ClassUnicode::empty();
        let mut first = true;
        while t.is_empty() || !t.starts_with(']') || first {
            first = false;
            let b = t.as_bytes();
            // POSIX [:alnum:] etc.
            if b.len() > 2 && b[0] == b'[' && b[1] == b':' {
                if let Some(i) = t[2..].find(":]") {
                    let name = &t[..i + 4];
                    let (neg, g) = match posix_group(name) {
                        Some(g) => g,
                        None => return Err(err(INVALID_CHAR_RANGE, name)),
                    };
                    class.union(&self.group(neg, g));
                    t = &t[i + 4..];
                    continue;
                }
            }
            if b.len() >= 2 && b[0] == b'\\' && (b[1] == b'p' || b[1] == b'P') {
                let (c, rest) = self.parse_unicode_class(t)?;
                class.union(&c);
                t = rest;
                continue;
            }
            if let Some((c, rest)) = self.parse_perl_class_escape(t) {
                class.union(&c);
                t = rest;
                continue;
            }
            // single character or simple range
            let rng = t;
            let (lo, rest) = parse_class_char(t, s)?;
            t = rest;
            let mut hi = lo;
            if t.len() >= 2 && t.starts_with('-') && t.as_bytes()[1] != b']' {
                let (h, rest) = parse_class_char(&t[1..], s)?;
                t = rest;
                hi = h;
                if hi < lo {
                    return Err(err(INVALID_CHAR_RANGE, &rng[..rng.len() - t.len()]));
                }
            }
            let mut item = code_range(lo, hi);
            if self.flags.fold {
                item.case_fold_simple();
            }
            class.union(&item);
        }
        if negated {
            class.negate();
        }
        self.class(class)?;
        Ok(&t[1..])
    }
}

/// A class character: an escape or a rune; an empty input means the class never closed.
fn parse_class_char<'a>(s: &'a str, whole_class: &str) -> Result<(u32, &'a str), SyntaxError> {
    match s.chars().next() {
        None => Err(err(MISSING_BRACKET, whole_class)),
        Some('\\') => parse_escape(s),
        Some(c) => Ok((c as u32, &s[c.len_utf8()..])),
    }
}

/// A single-character escape at the start of `s` (which starts with `\`).
fn parse_escape(s: &str) -> Result<(u32, &str), SyntaxError> {
    let mut t = &s[1..];
    let bad = |t: &str| err(INVALID_ESCAPE, &s[..s.len() - t.len()]);
    let c = match t.chars().next() {
        None => return Err(err(TRAILING_BACKSLASH, "")),
        Some(c) => c,
    };
    t = &t[c.len_utf8()..];
    match c {
        '1'..='7'
            if !t
                .as_bytes()
                .first()
                .is_some_and(|d| (b'0'..=b'7').contains(d)) =>
        {
            // a single non-zero digit is a backreference: not supported
            Err(bad(t))
        }
        '0'..='7' => {
            // up to three octal digits
            let mut r = c as u32 - '0' as u32;
            for _ in 1..3 {
                match t.as_bytes().first() {
                    Some(&d) if (b'0'..=b'7').contains(&d) => {
                        r = r * 8 + (d - b'0') as u32;
                        t = &t[1..];
                    }
                    _ => break,
                }
            }
            Ok((r, t))
        }
        'x' => {
            let c = match t.chars().next() {
                None => return Err(bad(t)),
                Some(c) => c,
            };
            t = &t[c.len_utf8()..];
            if c == '{' {
                let mut nhex = 0;
                let mut r: i64 = 0;
                loop {
                    let c = match t.chars().next() {
                        None => return Err(bad(t)),
                        Some(c) => c,
                    };
                    t = &t[c.len_utf8()..];
                    if c == '}' {
                        break;
                    }
                    let v = unhex(c);
                    if v < 0 {
                        return Err(bad(t));
                    }
                    r = r * 16 + v;
                    if r > char::MAX as i64 {
                        return Err(bad(t));
                    }
                    nhex += 1;
                }
                if nhex == 0 {
                    return Err(bad(t));
                }
                return Ok((r as u32, t));
            }
            let x = unhex(c);
            let y = match t.chars().next() {
                Some(c) => {
                    t = &t[c.len_utf8()..];
                    unhex(c)
                }
                None => -1,
            };
            if x < 0 || y < 0 {
                return Err(bad(t));
            }
            Ok(((x * 16 + y) as u32, t))
        }
        'a' => Ok((0x07, t)),
        'f' => Ok((0x0c, t)),
        'n' => Ok((0x0a, t)),
        'r' => Ok((0x0d, t)),
        't' => Ok((0x09, t)),
        'v' => Ok((0x0b, t)),
        c if c.is_ascii() && !is_alnum(c) => Ok((c as u32, t)),
        _ => Err(bad(t)),
    }
}

/// Go's `repeatIsValid`: the product of nested `{n,m}` counts stays within `n`.
fn repeat_is_valid(node: &Node, mut n: i64) -> bool {
    if let Kind::Repeat {
        min,
        max,
        counted: true,
        ..
    } = &node.kind
    {
        let m = match max {
            Some(0) => return true,
            Some(m) => *m as i64,
            None => *min as i64,
        };
        if m > n {
            return false;
        }
        if m > 0 {
            n /= m;
        }
    }
    match &node.kind {
        Kind::Capture(_, sub) | Kind::Repeat { sub, .. } => repeat_is_valid(sub, n),
        Kind::Concat(subs) | Kind::Alternate(subs) => subs.iter().all(|s| repeat_is_valid(s, n)),
        _ => true,
    }
}

/// Go's `collapse`: a concatenation or alternation of `subs`, flattening nested ones.
fn collapse(subs: Vec<Node>, alternate: bool) -> Node {
    if subs.is_empty() {
        return Node::leaf(Kind::Empty);
    }
    if subs.len() == 1 {
        return subs
            .into_iter()
            .next()
            .unwrap_or_else(|| Node::leaf(Kind::Empty));
    }
    let mut flat = Vec::with_capacity(subs.len());
    for s in subs {
        match s.kind {
            Kind::Alternate(inner) if alternate => flat.extend(inner),
            Kind::Concat(inner) if !alternate => flat.extend(inner),
            _ => flat.push(s),
        }
    }
    let height = 1 + flat.iter().map(|s| s.height).max().unwrap_or(0);
    let mut size: u64 = flat.iter().map(|s| s.size).sum();
    if alternate {
        size += flat.len() as u64 - 1;
    }
    Node {
        height,
        size: size.max(1),
        kind: if alternate {
            Kind::Alternate(flat)
        } else {
            Kind::Concat(flat)
        },
    }
}

fn fold_class(c: char) -> ClassUnicode {
    let mut class = range(c, c);
    class.case_fold_simple();
    class
}

/// The matcher for a parsed node (recursion depth is bounded by Go's height limit).
fn to_hir(node: Node) -> Hir {
    match node.kind {
        Kind::Literal(c, fold) => {
            if fold {
                let class = fold_class(c);
                if class.ranges().len() > 1
                    || class.ranges().first().is_some_and(|r| r.start() != r.end())
                {
                    return Hir::class(Class::Unicode(class));
                }
            }
            let mut buf = [0u8; 4];
            Hir::literal(c.encode_utf8(&mut buf).as_bytes())
        }
        Kind::Class(class) => Hir::class(Class::Unicode(class)),
        Kind::AnyCharNotNL => Hir::dot(Dot::AnyCharExceptLF),
        Kind::AnyChar => Hir::dot(Dot::AnyChar),
        Kind::Look(l) => Hir::look(l),
        Kind::Empty => Hir::empty(),
        Kind::Capture(index, sub) => Hir::capture(hir::Capture {
            index,
            name: None,
            sub: Box::new(to_hir(*sub)),
        }),
        Kind::Repeat {
            min,
            max,
            greedy,
            sub,
            ..
        } => Hir::repetition(hir::Repetition {
            min,
            max,
            greedy,
            sub: Box::new(to_hir(*sub)),
        }),
        Kind::Concat(subs) => Hir::concat(subs.into_iter().map(to_hir).collect()),
        Kind::Alternate(subs) => Hir::alternation(subs.into_iter().map(to_hir).collect()),
        // pseudo-operators never survive a successful parse
        Kind::LeftParen { .. } | Kind::VerticalBar => Hir::empty(),
    }
}

/// Go's `regexp.QuoteMeta`.
pub(crate) fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(p: &str) -> String {
        match parse(p) {
            Ok(_) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    /// Error texts observed from Helm v4.2.3 (Go 1.26) via mustRegexMatch.
    #[test]
    fn go_error_texts() {
        let cases = [
            ("[", "error parsing regexp: missing closing ]: `[`"),
            ("[]", "error parsing regexp: missing closing ]: `[]`"),
            (
                "*",
                "error parsing regexp: missing argument to repetition operator: `*`",
            ),
            (
                "+",
                "error parsing regexp: missing argument to repetition operator: `+`",
            ),
            ("(", "error parsing regexp: missing closing ): `(`"),
            ("(?:a", "error parsing regexp: missing closing ): `(?:a`"),
            (")", "error parsing regexp: unexpected ): `)`"),
            (
                "a{2,1}",
                "error parsing regexp: invalid repeat count: `{2,1}`",
            ),
            (
                "a{1001}",
                "error parsing regexp: invalid repeat count: `{1001}`",
            ),
            (
                "(a{500}){3}",
                "error parsing regexp: invalid repeat count: `{3}`",
            ),
            (
                "a{99999999999}",
                "error parsing regexp: invalid repeat count: `{99999999999}`",
            ),
            (
                "(?P<x",
                "error parsing regexp: invalid named capture: `(?P<x`",
            ),
            (
                "(?P<>a)",
                "error parsing regexp: invalid named capture: `(?P<>`",
            ),
            (
                "(?P<a-b>x)",
                "error parsing regexp: invalid named capture: `(?P<a-b>`",
            ),
            (
                "(?P<é>x)",
                "error parsing regexp: invalid named capture: `(?P<é>`",
            ),
            (
                "[z-a]",
                "error parsing regexp: invalid character class range: `z-a`",
            ),
            (
                "x**",
                "error parsing regexp: invalid nested repetition operator: `**`",
            ),
            (
                "a*??",
                "error parsing regexp: invalid nested repetition operator: `*??`",
            ),
            (
                "x{2}{3}",
                "error parsing regexp: invalid nested repetition operator: `{2}{3}`",
            ),
            (
                "\\",
                "error parsing regexp: trailing backslash at end of expression: ``",
            ),
            (
                "\\p{Old_Italic}",
                "error parsing regexp: invalid character class range: `\\p{Old_Italic}`",
            ),
            (
                "\\p{Foo}",
                "error parsing regexp: invalid character class range: `\\p{Foo}`",
            ),
            (
                "\\p",
                "error parsing regexp: invalid character class range: `\\p`",
            ),
            (
                "\\p{",
                "error parsing regexp: invalid character class range: `\\p{`",
            ),
            (
                "\\C",
                "error parsing regexp: invalid escape sequence: `\\C`",
            ),
            (
                "\\8",
                "error parsing regexp: invalid escape sequence: `\\8`",
            ),
            (
                "\\1",
                "error parsing regexp: invalid escape sequence: `\\1`",
            ),
            (
                "\\Z",
                "error parsing regexp: invalid escape sequence: `\\Z`",
            ),
            (
                "\\x{110000}",
                "error parsing regexp: invalid escape sequence: `\\x{110000`",
            ),
            (
                "\\xZZ",
                "error parsing regexp: invalid escape sequence: `\\xZZ`",
            ),
            (
                "[a-\\d]",
                "error parsing regexp: invalid escape sequence: `\\d`",
            ),
            (
                "[[:foo:]]",
                "error parsing regexp: invalid character class range: `[:foo:]`",
            ),
            (
                "(?x)a",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?x`",
            ),
            (
                "(?i-)a",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`",
            ),
            (
                "(?P=n)",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?P`",
            ),
            (
                "(?",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?`",
            ),
            (
                "(?i",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?i`",
            ),
            (
                "(?-)",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`",
            ),
            (
                "(?--i)",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?--`",
            ),
            (
                "(?'n'x)",
                "error parsing regexp: invalid or unsupported Perl syntax: `(?'`",
            ),
        ];
        for (p, want) in cases {
            assert_eq!(e(p), want, "pattern {p:?}");
        }
    }

    #[test]
    fn accepted_syntax() {
        for p in [
            "\\Q*+\\E",
            "\\Qab",
            "a{,5}",
            "\\12",
            "\\<",
            "[[:alpha:]]",
            "[a&&b]",
            "[[]",
            "(?<n>a)",
            "(?P<n>a)(?P<n>b)",
            "a*?",
            "\\z",
            "[\\d-z]",
            "[]a]",
            "[^]a]",
            "[^\\x00-\\x{10FFFF}]",
            "\\pN",
            "a{2",
            "a{1000}",
            "\\p{greek}",
            "\\p{Cased_Letter}",
            "\\p{^Greek}",
            "\\P{^Greek}",
            "(?i)(?-i)a",
            "",
            "()",
            "(|)",
            "a|",
            "|",
            "^*",
            "(?:)",
            "(?)",
        ] {
            assert_eq!(e(p), "ok", "pattern {p:?}");
        }
    }

    #[test]
    fn quote_meta_escapes_specials() {
        assert_eq!(quote_meta("1.2.3+[x]"), "1\\.2\\.3\\+\\[x\\]");
        assert_eq!(
            quote_meta("\\^$.|?*+()[]{}"),
            "\\\\\\^\\$\\.\\|\\?\\*\\+\\(\\)\\[\\]\\{\\}"
        );
    }
}
