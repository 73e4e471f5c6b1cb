//! BurntSushi/toml v1.6.0's lexer (lex.go): a state machine emitting items, ported with its
//! error texts and positions (`unexpected EOF; expected value`, `expected '.' or '=', but got
//! '\n' instead`, control-character and UTF-8 errors).

use std::collections::VecDeque;

use super::Position;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    Error,
    Eof,
    Text,
    String,
    StringEsc,
    RawString,
    MultilineString,
    RawMultilineString,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub typ: ItemType,
    pub val: String,
    /// For error items: the message.
    pub err: Option<String>,
    pub pos: Position,
}

const EOF: char = '\0';

#[derive(Clone, Copy)]
struct StateFn(fn(&mut Lexer) -> Option<StateFn>);

pub struct Lexer<'a> {
    pub input: &'a str,
    start: usize,
    pos: usize,
    line: usize,
    state: Option<StateFn>,
    items: VecDeque<Item>,
    esc: bool,
    prev_widths: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<StateFn>,
}

/// strconv.QuoteRune (`%q` of a rune).
pub fn quote_rune(r: char) -> String {
    let body = match r {
        '\'' => "\\'".to_string(),
        '\\' => "\\\\".to_string(),
        '\u{7}' => "\\a".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        '\t' => "\\t".to_string(),
        '\u{b}' => "\\v".to_string(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
        c if is_print(c) => c.to_string(),
        c if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
        c => format!("\\U{:08x}", c as u32),
    };
    format!("'{body}'")
}

/// strconv.Quote (`%q` of a string).
pub fn quote_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint` (controls, separators and format characters
/// are not printable).
fn is_print(c: char) -> bool {
    let n = c as u32;
    !(n < 0x20
        || (0x7f..=0xa0).contains(&n)
        || n == 0xad
        || (0x2000..=0x200f).contains(&n)
        || (0x2028..=0x202f).contains(&n)
        || (0x205f..=0x206f).contains(&n)
        || n == 0x3000
        || n == 0xfeff
        || (0xd800..=0xdfff).contains(&n)
        || (0xe000..=0xf8ff).contains(&n)
        || (0xfff9..=0xfffb).contains(&n)
        || n == 0xfffe
        || n == 0xffff)
}

fn is_whitespace(r: char) -> bool {
    r == '\t' || r == ' '
}
fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}
fn is_control(r: char) -> bool {
    match r {
        '\t' | '\r' | '\n' => false,
        _ => (r as u32) <= 0x1f || r as u32 == 0x7f,
    }
}
fn is_digit(r: char) -> bool {
    r.is_ascii_digit()
}
fn is_binary(r: char) -> bool {
    r == '0' || r == '1'
}
fn is_octal(r: char) -> bool {
    ('0'..='7').contains(&r)
}
pub fn is_hex(r: char) -> bool {
    r.is_ascii_digit() || ((r as u32 | 0x20) >= 'a' as u32 && (r as u32 | 0x20) <= 'f' as u32)
}
fn is_bare_key_char(r: char) -> bool {
    r.is_ascii_alphanumeric() || r == '_' || r == '-'
}
/// unicode.IsLetter.
fn is_letter(r: char) -> bool {
    r.is_alphabetic() && !r.is_numeric()
}

fn run_or_eof(r: char) -> String {
    if r == EOF {
        "end of file".into()
    } else {
        format!("'{r}'")
    }
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(StateFn(lex_top)),
            items: VecDeque::new(),
            esc: false,
            prev_widths: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::new(),
        }
    }

    pub fn next_item(&mut self) -> Item {
        loop {
            if let Some(item) = self.items.pop_front() {
                return item;
            }
            match self.state {
                Some(s) => self.state = (s.0)(self),
                None => {
                    // Go would call a nil state; only reachable after an error was consumed.
                    return Item {
                        typ: ItemType::Eof,
                        val: String::new(),
                        err: None,
                        pos: self.get_pos(),
                    };
                }
            }
        }
    }

    fn push(&mut self, s: fn(&mut Lexer) -> Option<StateFn>) {
        self.stack.push(StateFn(s));
    }

    fn pop(&mut self) -> Option<StateFn> {
        self.stack.pop()
    }

    fn current(&self) -> &'a str {
        self.input.get(self.start..self.pos).unwrap_or("")
    }

    fn get_pos(&self) -> Position {
        let len = self.pos as i64 - self.start as i64;
        Position {
            line: self.line,
            col: 0,
            start: self.start,
            len: if len <= 0 { 1 } else { len as usize },
        }
    }

    fn emit(&mut self, typ: ItemType) {
        if self.start > self.pos {
            let b = self.input.as_bytes().get(self.pos).copied().unwrap_or(0);
            self.error_msg(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return;
        }
        self.items.push_back(Item {
            typ,
            pos: self.get_pos(),
            val: self.current().to_string(),
            err: None,
        });
        self.start = self.pos;
    }

    fn emit_trim(&mut self, typ: ItemType) {
        self.items.push_back(Item {
            typ,
            pos: self.get_pos(),
            val: self.current().trim().to_string(),
            err: None,
        });
        self.start = self.pos;
    }

    fn next(&mut self) -> char {
        if self.at_eof {
            // Go panics ("next called after EOF"); the state machine never does this.
            return EOF;
        }
        if self.pos >= self.input.len() {
            self.at_eof = true;
            return EOF;
        }
        let bytes = self.input.as_bytes();
        if bytes[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev_widths[3] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[0];
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let r = self.input[self.pos..].chars().next().unwrap_or(EOF);
        let w = r.len_utf8();
        let next_is_nl = bytes.get(self.pos + 1) == Some(&b'\n');
        if is_control(r) || (r == '\r' && (self.input.len() - 1 == self.pos || !next_is_nl)) {
            self.error_control_char(r);
            return '\u{FFFD}';
        }
        self.prev_widths[0] = w;
        self.pos += w;
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) {
        if self.at_eof {
            self.at_eof = false;
            return;
        }
        if self.nprev < 1 {
            return;
        }
        let w = self.prev_widths[0];
        self.prev_widths[0] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[3];
        self.nprev -= 1;
        self.pos = self.pos.saturating_sub(w);
        if self.input.as_bytes().get(self.pos) == Some(&b'\n') {
            self.line -= 1;
        }
    }

    fn accept(&mut self, valid: char) -> bool {
        if self.next() == valid {
            return true;
        }
        self.backup();
        false
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn skip(&mut self, pred: fn(char) -> bool) {
        loop {
            let r = self.next();
            if pred(r) {
                continue;
            }
            self.backup();
            self.ignore();
            return;
        }
    }

    fn error_msg(&mut self, msg: String) -> Option<StateFn> {
        if self.at_eof {
            return self.error_prev_line(msg);
        }
        let pos = self.get_pos();
        self.items.push_back(Item {
            typ: ItemType::Error,
            pos,
            err: Some(msg),
            val: String::new(),
        });
        None
    }

    fn error_prev_line(&mut self, msg: String) -> Option<StateFn> {
        let mut pos = self.get_pos();
        pos.line = pos.line.saturating_sub(1);
        pos.len = 1;
        pos.start = self.pos.saturating_sub(1);
        self.items.push_back(Item {
            typ: ItemType::Error,
            pos,
            err: Some(msg),
            val: String::new(),
        });
        None
    }

    fn error_pos(&mut self, start: usize, length: usize, msg: String) -> Option<StateFn> {
        let mut pos = self.get_pos();
        pos.start = start;
        pos.len = length;
        self.items.push_back(Item {
            typ: ItemType::Error,
            pos,
            err: Some(msg),
            val: String::new(),
        });
        None
    }

    fn errorf(&mut self, msg: String) -> Option<StateFn> {
        let mut pos = self.get_pos();
        if self.at_eof {
            if self.pos >= 1 && self.input.as_bytes().get(self.pos - 1) == Some(&b'\n') {
                pos.line = pos.line.saturating_sub(1);
            }
            pos.len = 1;
            pos.start = self.pos.saturating_sub(1);
        }
        self.items.push_back(Item {
            typ: ItemType::Error,
            pos,
            err: Some(msg),
            val: String::new(),
        });
        None
    }

    fn error_control_char(&mut self, cc: char) -> Option<StateFn> {
        let start = self.pos.saturating_sub(1);
        self.error_pos(
            start,
            1,
            format!(
                "TOML files cannot contain control characters: '0x{:02x}'",
                cc as u32
            ),
        )
    }
}

fn lex_skip(lx: &mut Lexer, next: fn(&mut Lexer) -> Option<StateFn>) -> Option<StateFn> {
    lx.ignore();
    Some(StateFn(next))
}

fn lex_top(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_top);
    }
    match r {
        '#' => {
            lx.push(lex_top);
            return Some(StateFn(lex_comment_start));
        }
        '[' => return Some(StateFn(lex_table_start)),
        EOF => {
            if lx.pos > lx.start {
                return lx.errorf("unexpected EOF".into());
            }
            lx.emit(ItemType::Eof);
            return None;
        }
        _ => {}
    }
    lx.backup();
    lx.push(lex_top_end);
    Some(StateFn(lex_key_start))
}

fn lex_top_end(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if r == '#' {
        lx.push(lex_top);
        return Some(StateFn(lex_comment_start));
    }
    if is_whitespace(r) {
        return Some(StateFn(lex_top_end));
    }
    if is_nl(r) {
        lx.ignore();
        return Some(StateFn(lex_top));
    }
    if r == EOF {
        lx.emit(ItemType::Eof);
        return None;
    }
    lx.errorf(format!(
        "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
        quote_rune(r)
    ))
}

fn lex_table_start(lx: &mut Lexer) -> Option<StateFn> {
    if lx.peek() == '[' {
        lx.next();
        lx.emit(ItemType::ArrayTableStart);
        lx.push(lex_array_table_end);
    } else {
        lx.emit(ItemType::TableStart);
        lx.push(lex_table_end);
    }
    Some(StateFn(lex_table_name_start))
}

fn lex_table_end(lx: &mut Lexer) -> Option<StateFn> {
    lx.emit(ItemType::TableEnd);
    Some(StateFn(lex_top_end))
}

fn lex_array_table_end(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if r != ']' {
        return lx.errorf(format!(
            "expected end of table array name delimiter ']', but got {} instead",
            quote_rune(r)
        ));
    }
    lx.emit(ItemType::ArrayTableEnd);
    Some(StateFn(lex_top_end))
}

fn lex_table_name_start(lx: &mut Lexer) -> Option<StateFn> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == ']' || r == EOF {
        return lx.errorf("unexpected end of table name (table names cannot be empty)".into());
    }
    if r == '.' {
        return lx.errorf("unexpected table separator (table names cannot be empty)".into());
    }
    if r == '"' || r == '\'' {
        lx.ignore();
        lx.push(lex_table_name_end);
        return Some(StateFn(lex_quoted_name));
    }
    lx.push(lex_table_name_end);
    Some(StateFn(lex_bare_name))
}

fn lex_table_name_end(lx: &mut Lexer) -> Option<StateFn> {
    lx.skip(is_whitespace);
    let r = lx.next();
    if r == '.' {
        lx.ignore();
        return Some(StateFn(lex_table_name_start));
    }
    if r == ']' {
        return lx.pop();
    }
    lx.errorf(format!(
        "expected '.' or ']' to end table name, but got {} instead",
        quote_rune(r)
    ))
}

fn lex_bare_name(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_bare_key_char(r) {
        return Some(StateFn(lex_bare_name));
    }
    lx.backup();
    lx.emit(ItemType::Text);
    lx.pop()
}

fn lex_quoted_name(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if r == '"' {
        lx.ignore();
        return Some(StateFn(lex_string));
    }
    if r == '\'' {
        lx.ignore();
        return Some(StateFn(lex_raw_string));
    }
    if is_whitespace(r) {
        return lex_skip(lx, lex_value);
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected value".into());
    }
    lx.errorf(format!(
        "expected value but found {} instead",
        quote_rune(r)
    ))
}

fn lex_key_start(lx: &mut Lexer) -> Option<StateFn> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == '=' || r == EOF {
        return lx.errorf("unexpected '=': key name appears blank".into());
    }
    if r == '.' {
        return lx.errorf("unexpected '.': keys cannot start with a '.'".into());
    }
    if r == '"' || r == '\'' {
        lx.ignore();
    }
    lx.emit(ItemType::KeyStart);
    Some(StateFn(lex_key_name_start))
}

fn lex_key_name_start(lx: &mut Lexer) -> Option<StateFn> {
    lx.skip(is_whitespace);
    let r = lx.peek();
    if r == '"' || r == '\'' {
        lx.ignore();
        lx.push(lex_key_end);
        return Some(StateFn(lex_quoted_name));
    }
    if r == '=' || r == EOF {
        return lx.errorf("unexpected '='".into());
    }
    if r == '.' {
        return lx.errorf("unexpected '.'".into());
    }
    lx.push(lex_key_end);
    Some(StateFn(lex_bare_name))
}

fn lex_key_end(lx: &mut Lexer) -> Option<StateFn> {
    lx.skip(is_whitespace);
    let r = lx.next();
    if is_whitespace(r) {
        return lex_skip(lx, lex_key_end);
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected key separator '='".into());
    }
    if r == '.' {
        lx.ignore();
        return Some(StateFn(lex_key_name_start));
    }
    if r == '=' {
        lx.emit(ItemType::KeyEnd);
        return lex_skip(lx, lex_value);
    }
    if r == '\n' {
        return lx.error_prev_line(format!(
            "expected '.' or '=', but got {} instead",
            quote_rune(r)
        ));
    }
    lx.errorf(format!(
        "expected '.' or '=', but got {} instead",
        quote_rune(r)
    ))
}

// The `accept` calls consume input, so they stay in the arm body rather than a match guard.
#[allow(clippy::collapsible_match)]
fn lex_value(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) {
        return lex_skip(lx, lex_value);
    }
    if is_digit(r) {
        lx.backup();
        return Some(StateFn(lex_number_or_date_start));
    }
    match r {
        '[' => {
            lx.ignore();
            lx.emit(ItemType::Array);
            return Some(StateFn(lex_array_value));
        }
        '{' => {
            lx.ignore();
            lx.emit(ItemType::InlineTableStart);
            return Some(StateFn(lex_inline_table_value));
        }
        '"' => {
            if lx.accept('"') {
                if lx.accept('"') {
                    lx.ignore();
                    return Some(StateFn(lex_multiline_string));
                }
                lx.backup();
            }
            lx.ignore();
            return Some(StateFn(lex_string));
        }
        '\'' => {
            if lx.accept('\'') {
                if lx.accept('\'') {
                    lx.ignore();
                    return Some(StateFn(lex_multiline_raw_string));
                }
                lx.backup();
            }
            lx.ignore();
            return Some(StateFn(lex_raw_string));
        }
        '.' => return lx.errorf("floats must start with a digit, not '.'".into()),
        'i' | 'n' => {
            if (lx.accept('n') && lx.accept('f')) || (lx.accept('a') && lx.accept('n')) {
                lx.emit(ItemType::Float);
                return lx.pop();
            }
        }
        '-' | '+' => return Some(StateFn(lex_decimal_number_start)),
        _ => {}
    }
    if is_letter(r) {
        lx.backup();
        return Some(StateFn(lex_bool));
    }
    if r == EOF {
        return lx.errorf("unexpected EOF; expected value".into());
    }
    if r == '\n' {
        return lx.error_prev_line(format!(
            "expected value but found {} instead",
            quote_rune(r)
        ));
    }
    lx.errorf(format!(
        "expected value but found {} instead",
        quote_rune(r)
    ))
}

fn lex_array_value(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_array_value);
    }
    match r {
        '#' => {
            lx.push(lex_array_value);
            return Some(StateFn(lex_comment_start));
        }
        ',' => return lx.errorf("unexpected comma".into()),
        ']' => return Some(StateFn(lex_array_end)),
        _ => {}
    }
    lx.backup();
    lx.push(lex_array_value_end);
    Some(StateFn(lex_value))
}

fn lex_array_value_end(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_array_value_end);
    }
    match r {
        '#' => {
            lx.push(lex_array_value_end);
            Some(StateFn(lex_comment_start))
        }
        ',' => {
            lx.ignore();
            Some(StateFn(lex_array_value))
        }
        ']' => Some(StateFn(lex_array_end)),
        _ => lx.errorf(format!(
            "expected a comma (',') or array terminator (']'), but got {}",
            run_or_eof(r)
        )),
    }
}

fn lex_array_end(lx: &mut Lexer) -> Option<StateFn> {
    lx.ignore();
    lx.emit(ItemType::ArrayEnd);
    lx.pop()
}

fn lex_inline_table_value(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_inline_table_value);
    }
    match r {
        '#' => {
            lx.push(lex_inline_table_value);
            return Some(StateFn(lex_comment_start));
        }
        ',' => return lx.errorf("unexpected comma".into()),
        '}' => return Some(StateFn(lex_inline_table_end)),
        _ => {}
    }
    lx.backup();
    lx.push(lex_inline_table_value_end);
    Some(StateFn(lex_key_start))
}

fn lex_inline_table_value_end(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_whitespace(r) || is_nl(r) {
        return lex_skip(lx, lex_inline_table_value_end);
    }
    match r {
        '#' => {
            lx.push(lex_inline_table_value_end);
            Some(StateFn(lex_comment_start))
        }
        ',' => {
            lx.ignore();
            lx.skip(is_whitespace);
            if lx.peek() == '}' {
                return Some(StateFn(lex_inline_table_value_end));
            }
            Some(StateFn(lex_inline_table_value))
        }
        '}' => Some(StateFn(lex_inline_table_end)),
        _ => lx.errorf(format!(
            "expected a comma or an inline table terminator '}}', but got {} instead",
            run_or_eof(r)
        )),
    }
}

fn lex_inline_table_end(lx: &mut Lexer) -> Option<StateFn> {
    lx.ignore();
    lx.emit(ItemType::InlineTableEnd);
    lx.pop()
}

fn lex_string(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if r == EOF {
        return lx.errorf("unexpected EOF; expected '\"'".into());
    }
    if is_nl(r) {
        return lx.error_prev_line("strings cannot contain newlines".into());
    }
    if r == '\\' {
        lx.push(lex_string);
        return Some(StateFn(lex_string_escape));
    }
    if r == '"' {
        lx.backup();
        if lx.esc {
            lx.esc = false;
            lx.emit(ItemType::StringEsc);
        } else {
            lx.emit(ItemType::String);
        }
        lx.next();
        lx.ignore();
        return lx.pop();
    }
    Some(StateFn(lex_string))
}

fn lex_multiline_string(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    match r {
        EOF => lx.errorf("unexpected EOF; expected '\"\"\"'".into()),
        '\\' => Some(StateFn(lex_multiline_string_escape)),
        '"' => {
            if lx.accept('"') {
                if lx.accept('"') {
                    if lx.peek() == '"' {
                        let cur = lx.current();
                        if cur.ends_with("\"\"\"\"\"") && !cur.ends_with("\\\"\"\"\"\"") {
                            return lx.errorf("unexpected '\"\"\"\"\"\"'".into());
                        }
                        lx.backup();
                        lx.backup();
                        return Some(StateFn(lex_multiline_string));
                    }
                    lx.backup();
                    lx.backup();
                    lx.backup();
                    lx.esc = false;
                    lx.emit(ItemType::MultilineString);
                    lx.next();
                    lx.next();
                    lx.next();
                    lx.ignore();
                    return lx.pop();
                }
                lx.backup();
            }
            Some(StateFn(lex_multiline_string))
        }
        _ => Some(StateFn(lex_multiline_string)),
    }
}

fn lex_raw_string(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if r == EOF {
        return lx.errorf("unexpected EOF; expected \"'\"".into());
    }
    if is_nl(r) {
        return lx.error_prev_line("strings cannot contain newlines".into());
    }
    if r == '\'' {
        lx.backup();
        lx.emit(ItemType::RawString);
        lx.next();
        lx.ignore();
        return lx.pop();
    }
    Some(StateFn(lex_raw_string))
}

fn lex_multiline_raw_string(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    match r {
        EOF => lx.errorf("unexpected EOF; expected \"'''\"".into()),
        '\'' => {
            if lx.accept('\'') {
                if lx.accept('\'') {
                    if lx.peek() == '\'' {
                        if lx.current().ends_with("'''''") {
                            return lx.errorf("unexpected \"''''''\"".into());
                        }
                        lx.backup();
                        lx.backup();
                        return Some(StateFn(lex_multiline_raw_string));
                    }
                    lx.backup();
                    lx.backup();
                    lx.backup();
                    lx.emit(ItemType::RawMultilineString);
                    lx.next();
                    lx.next();
                    lx.next();
                    lx.ignore();
                    return lx.pop();
                }
                lx.backup();
            }
            Some(StateFn(lex_multiline_raw_string))
        }
        _ => Some(StateFn(lex_multiline_raw_string)),
    }
}

fn lex_multiline_string_escape(lx: &mut Lexer) -> Option<StateFn> {
    if is_nl(lx.next()) {
        return Some(StateFn(lex_multiline_string));
    }
    lx.backup();
    lx.push(lex_multiline_string);
    lex_string_escape(lx)
}

fn lex_string_escape(lx: &mut Lexer) -> Option<StateFn> {
    lx.esc = true;
    let r = lx.next();
    match r {
        'e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\' => lx.pop(),
        'x' => Some(StateFn(lex_hex_escape)),
        'u' => Some(StateFn(lex_short_unicode_escape)),
        'U' => Some(StateFn(lex_long_unicode_escape)),
        _ => lx.error_msg(format!("invalid escape in string '\\{r}'")),
    }
}

fn lex_n_hex(lx: &mut Lexer, n: usize, what: &str, esc: &str) -> Option<StateFn> {
    for _ in 0..n {
        let r = lx.next();
        if !is_hex(r) {
            return lx.errorf(format!(
                "expected {what} hexadecimal digits after '\\{esc}', but got {} instead",
                quote_str(lx.current())
            ));
        }
    }
    lx.pop()
}

fn lex_hex_escape(lx: &mut Lexer) -> Option<StateFn> {
    lex_n_hex(lx, 2, "two", "x")
}
fn lex_short_unicode_escape(lx: &mut Lexer) -> Option<StateFn> {
    lex_n_hex(lx, 4, "four", "u")
}
fn lex_long_unicode_escape(lx: &mut Lexer) -> Option<StateFn> {
    lex_n_hex(lx, 8, "eight", "U")
}

fn lex_number_or_date_start(lx: &mut Lexer) -> Option<StateFn> {
    if lx.next() == '0' {
        return Some(StateFn(lex_base_number_or_date));
    }
    Some(StateFn(lex_number_or_date))
}

fn lex_number_or_date(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_digit(r) {
        return Some(StateFn(lex_number_or_date));
    }
    match r {
        '-' | ':' => return Some(StateFn(lex_datetime)),
        '_' => return Some(StateFn(lex_decimal_number)),
        '.' | 'e' | 'E' => return Some(StateFn(lex_float)),
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_datetime(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_digit(r) {
        return Some(StateFn(lex_datetime));
    }
    if matches!(r, '-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') {
        return Some(StateFn(lex_datetime));
    }
    lx.backup();
    lx.emit_trim(ItemType::Datetime);
    lx.pop()
}

fn lex_radix(
    lx: &mut Lexer,
    pred: fn(char) -> bool,
    me: fn(&mut Lexer) -> Option<StateFn>,
) -> Option<StateFn> {
    let r = lx.next();
    if pred(r) || r == '_' {
        return Some(StateFn(me));
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_hex_integer(lx: &mut Lexer) -> Option<StateFn> {
    lex_radix(lx, is_hex, lex_hex_integer)
}
fn lex_octal_integer(lx: &mut Lexer) -> Option<StateFn> {
    lex_radix(lx, is_octal, lex_octal_integer)
}
fn lex_binary_integer(lx: &mut Lexer) -> Option<StateFn> {
    lex_radix(lx, is_binary, lex_binary_integer)
}

fn lex_decimal_number(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_digit(r) {
        return Some(StateFn(lex_decimal_number));
    }
    match r {
        '.' | 'e' | 'E' => return Some(StateFn(lex_float)),
        '_' => return Some(StateFn(lex_decimal_number)),
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_decimal_number_start(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    match r {
        'i' => {
            if !lx.accept('n') || !lx.accept('f') {
                let cur = lx.current().to_string();
                return lx.errorf(format!("invalid float: '{cur}'"));
            }
            lx.emit(ItemType::Float);
            return lx.pop();
        }
        'n' => {
            if !lx.accept('a') || !lx.accept('n') {
                let cur = lx.current().to_string();
                return lx.errorf(format!("invalid float: '{cur}'"));
            }
            lx.emit(ItemType::Float);
            return lx.pop();
        }
        '0' => {
            let p = lx.peek();
            if matches!(p, 'b' | 'o' | 'x') {
                let cur = lx.current().to_string();
                return lx.errorf(format!(
                    "cannot use sign with non-decimal numbers: '{cur}{p}'"
                ));
            }
        }
        '.' => return lx.errorf("floats must start with a digit, not '.'".into()),
        _ => {}
    }
    if is_digit(r) {
        return Some(StateFn(lex_decimal_number));
    }
    lx.errorf(format!("expected a digit but got {}", quote_rune(r)))
}

fn lex_base_number_or_date(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_digit(r) {
        return Some(StateFn(lex_number_or_date));
    }
    match r {
        '_' => return Some(StateFn(lex_decimal_number)),
        '.' | 'e' | 'E' => return Some(StateFn(lex_float)),
        'b' => {
            let p = lx.peek();
            if !is_binary(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not a binary number: '{cur}{p}'"));
            }
            return Some(StateFn(lex_binary_integer));
        }
        'o' => {
            let p = lx.peek();
            if !is_octal(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not an octal number: '{cur}{p}'"));
            }
            return Some(StateFn(lex_octal_integer));
        }
        'x' => {
            let p = lx.peek();
            if !is_hex(p) {
                let cur = lx.current().to_string();
                lx.errorf(format!("not a hexadecimal number: '{cur}{p}'"));
            }
            return Some(StateFn(lex_hex_integer));
        }
        _ => {}
    }
    lx.backup();
    lx.emit(ItemType::Integer);
    lx.pop()
}

fn lex_float(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_digit(r) {
        return Some(StateFn(lex_float));
    }
    if matches!(r, '_' | '.' | '-' | '+' | 'e' | 'E') {
        return Some(StateFn(lex_float));
    }
    lx.backup();
    lx.emit(ItemType::Float);
    lx.pop()
}

fn lex_bool(lx: &mut Lexer) -> Option<StateFn> {
    let mut rs = String::new();
    loop {
        let r = lx.next();
        if !is_letter(r) {
            lx.backup();
            break;
        }
        rs.push(r);
    }
    if rs == "true" || rs == "false" {
        lx.emit(ItemType::Bool);
        return lx.pop();
    }
    lx.errorf(format!(
        "expected value but found {} instead",
        quote_str(&rs)
    ))
}

fn lex_comment_start(lx: &mut Lexer) -> Option<StateFn> {
    lx.ignore();
    lx.emit(ItemType::CommentStart);
    Some(StateFn(lex_comment))
}

fn lex_comment(lx: &mut Lexer) -> Option<StateFn> {
    let r = lx.next();
    if is_nl(r) || r == EOF {
        lx.backup();
        lx.emit(ItemType::Text);
        return lx.pop();
    }
    Some(StateFn(lex_comment))
}
