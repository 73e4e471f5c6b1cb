//! go-yaml v2's reader and scanner (readerc.go, scannerc.go): bytes → tokens.
//!
//! A line-by-line port of the Go code (itself a port of libyaml 0.1), so tokens, marks and the
//! error texts are Go's: `mapping values are not allowed in this context`, `found character that
//! cannot start any token`, `could not find expected ':'`, the 10000 limits on flow and indent
//! depth, and the 1024-character limit on simple keys. The reader decodes UTF-8/UTF-16 in the
//! same 512-byte chunks as Go, so an invalid byte is reported exactly when Go would notice it.
//! Indexing never panics: reads past the decoded buffer see NUL, as the C/Go code's padding does.

use std::collections::HashMap;

/// A position: byte-ish character index, 0-based line and column (characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: i64,
    pub line: i64,
    pub column: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Any,
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub typ: TokenType,
    pub start_mark: Mark,
    pub end_mark: Mark,
    /// Scalar value, alias/anchor name, tag handle, %TAG handle.
    pub value: Vec<u8>,
    /// Tag suffix.
    pub suffix: Vec<u8>,
    /// %TAG prefix.
    pub prefix: Vec<u8>,
    pub style: ScalarStyle,
    pub major: i8,
    pub minor: i8,
}

impl Token {
    fn new(typ: TokenType, start_mark: Mark, end_mark: Mark) -> Token {
        Token {
            typ,
            start_mark,
            end_mark,
            value: Vec::new(),
            suffix: Vec::new(),
            prefix: Vec::new(),
            style: ScalarStyle::Any,
            major: 0,
            minor: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    None,
    Reader,
    Scanner,
    Parser,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Any,
    Utf8,
    Utf16Le,
    Utf16Be,
}

#[derive(Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// Go's `input_raw_buffer_size`.
const RAW_BUFFER_SIZE: usize = 512;
const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;

pub type R = Result<(), ()>;

/// The scanner half of `yaml_parser_t` (the parser half lives in parser.rs).
pub struct Scanner<'a> {
    pub error: ErrorKind,
    pub problem: String,
    pub problem_offset: usize,
    pub problem_value: i64,
    pub problem_mark: Mark,
    pub context: String,
    pub context_mark: Mark,

    input: &'a [u8],
    input_pos: usize,
    eof: bool,
    buffer: Vec<u8>,
    buffer_pos: usize,
    unread: usize,
    raw: Vec<u8>,
    raw_pos: usize,
    encoding: Encoding,
    offset: usize,
    pub mark: Mark,

    stream_start_produced: bool,
    pub stream_end_produced: bool,
    flow_level: usize,
    tokens: Vec<Token>,
    tokens_head: usize,
    pub tokens_parsed: usize,
    pub token_available: bool,
    indent: i64,
    indents: Vec<i64>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: HashMap<usize, usize>,
}

fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        0
    }
}

impl<'a> Scanner<'a> {
    pub fn new(input: &'a [u8]) -> Scanner<'a> {
        Scanner {
            error: ErrorKind::None,
            problem: String::new(),
            problem_offset: 0,
            problem_value: 0,
            problem_mark: Mark::default(),
            context: String::new(),
            context_mark: Mark::default(),
            input,
            input_pos: 0,
            eof: false,
            buffer: Vec::new(),
            buffer_pos: 0,
            unread: 0,
            raw: Vec::new(),
            raw_pos: 0,
            encoding: Encoding::Any,
            offset: 0,
            mark: Mark::default(),
            stream_start_produced: false,
            stream_end_produced: false,
            flow_level: 0,
            tokens: Vec::new(),
            tokens_head: 0,
            tokens_parsed: 0,
            token_available: false,
            indent: 0,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: HashMap::new(),
        }
    }

    // ---------------------------------------------------------------- buffer access

    /// The byte `i` positions after the current one (NUL past the end).
    fn at(&self, i: usize) -> u8 {
        self.buffer.get(self.buffer_pos + i).copied().unwrap_or(0)
    }
    fn is_blank_at(&self, i: usize) -> bool {
        matches!(self.at(i), b' ' | b'\t')
    }
    fn is_break_at(&self, i: usize) -> bool {
        let b = self.at(i);
        b == b'\r'
            || b == b'\n'
            || b == 0xC2 && self.at(i + 1) == 0x85
            || b == 0xE2 && self.at(i + 1) == 0x80 && matches!(self.at(i + 2), 0xA8 | 0xA9)
    }
    fn is_breakz_at(&self, i: usize) -> bool {
        self.is_break_at(i) || self.at(i) == 0
    }
    fn is_blankz_at(&self, i: usize) -> bool {
        self.is_blank_at(i) || self.is_breakz_at(i)
    }
    fn is_alpha_at(&self, i: usize) -> bool {
        let b = self.at(i);
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    }
    /// Go's `is_bom(parser.buffer, parser.buffer_pos)` ignores the position and looks at the
    /// start of the working buffer (where the last refill put the then-current character).
    fn is_bom_here(&self) -> bool {
        self.buffer.get(..3) == Some(&[0xEF, 0xBB, 0xBF][..])
    }

    fn cache(&mut self, length: usize) -> R {
        if self.unread >= length {
            Ok(())
        } else {
            self.update_buffer(length)
        }
    }

    fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
        self.buffer_pos += width(self.at(0)).max(1);
    }

    fn skip_line(&mut self) {
        if self.at(0) == b'\r' && self.at(1) == b'\n' {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(2);
            self.buffer_pos += 2;
        } else if self.is_break_at(0) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.unread = self.unread.saturating_sub(1);
            self.buffer_pos += width(self.at(0)).max(1);
        }
    }

    fn read(&mut self, s: &mut Vec<u8>) {
        let w = width(self.at(0)).max(1);
        for k in 0..w {
            s.push(self.at(k));
        }
        self.buffer_pos += w;
        self.mark.index += 1;
        self.mark.column += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    fn read_line(&mut self, s: &mut Vec<u8>) {
        let (b0, b1, b2) = (self.at(0), self.at(1), self.at(2));
        if b0 == b'\r' && b1 == b'\n' {
            s.push(b'\n');
            self.buffer_pos += 2;
            self.mark.index += 1;
            self.unread = self.unread.saturating_sub(1);
        } else if b0 == b'\r' || b0 == b'\n' {
            s.push(b'\n');
            self.buffer_pos += 1;
        } else if b0 == 0xC2 && b1 == 0x85 {
            s.push(b'\n');
            self.buffer_pos += 2;
        } else if b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
            s.extend_from_slice(&[b0, b1, b2]);
            self.buffer_pos += 3;
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        self.unread = self.unread.saturating_sub(1);
    }

    // ---------------------------------------------------------------- reader (readerc.go)

    fn reader_error(&mut self, problem: &str, offset: usize, value: i64) -> R {
        self.error = ErrorKind::Reader;
        self.problem = problem.to_string();
        self.problem_offset = offset;
        self.problem_value = value;
        Err(())
    }

    fn determine_encoding(&mut self) -> R {
        while !self.eof && self.raw.len() - self.raw_pos < 3 {
            self.update_raw_buffer()?;
        }
        let avail = self.raw.len() - self.raw_pos;
        let head: [u8; 3] =
            std::array::from_fn(|i| self.raw.get(self.raw_pos + i).copied().unwrap_or(0));
        let b = |i: usize| head[i];
        if avail >= 2 && b(0) == 0xFF && b(1) == 0xFE {
            self.encoding = Encoding::Utf16Le;
            self.raw_pos += 2;
            self.offset += 2;
        } else if avail >= 2 && b(0) == 0xFE && b(1) == 0xFF {
            self.encoding = Encoding::Utf16Be;
            self.raw_pos += 2;
            self.offset += 2;
        } else if avail >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF {
            self.encoding = Encoding::Utf8;
            self.raw_pos += 3;
            self.offset += 3;
        } else {
            self.encoding = Encoding::Utf8;
        }
        Ok(())
    }

    fn update_raw_buffer(&mut self) -> R {
        if self.raw_pos == 0 && self.raw.len() == RAW_BUFFER_SIZE {
            return Ok(());
        }
        if self.eof {
            return Ok(());
        }
        self.raw.drain(..self.raw_pos.min(self.raw.len()));
        self.raw_pos = 0;
        if self.input_pos == self.input.len() {
            self.eof = true;
            return Ok(());
        }
        let n = (RAW_BUFFER_SIZE - self.raw.len()).min(self.input.len() - self.input_pos);
        self.raw
            .extend_from_slice(&self.input[self.input_pos..self.input_pos + n]);
        self.input_pos += n;
        Ok(())
    }

    fn update_buffer(&mut self, length: usize) -> R {
        if self.unread >= length {
            return Ok(());
        }
        if self.encoding == Encoding::Any {
            self.determine_encoding()?;
        }
        // Move the unread characters to the beginning of the buffer.
        if self.buffer_pos > 0 {
            let pos = self.buffer_pos.min(self.buffer.len());
            self.buffer.drain(..pos);
            self.buffer_pos = 0;
        }
        let mut first = true;
        while self.unread < length {
            if !first || self.raw_pos == self.raw.len() {
                self.update_raw_buffer()?;
            }
            first = false;
            while self.raw_pos != self.raw.len() {
                let raw_unread = self.raw.len() - self.raw_pos;
                let head: [u8; 4] =
                    std::array::from_fn(|i| self.raw.get(self.raw_pos + i).copied().unwrap_or(0));
                let rb = |i: usize| head[i];
                let (value, w): (u32, usize) = match self.encoding {
                    Encoding::Utf16Le | Encoding::Utf16Be => {
                        let (low, high) = if self.encoding == Encoding::Utf16Le {
                            (0, 1)
                        } else {
                            (1, 0)
                        };
                        if raw_unread < 2 {
                            if self.eof {
                                return self.reader_error(
                                    "incomplete UTF-16 character",
                                    self.offset,
                                    -1,
                                );
                            }
                            break;
                        }
                        let v = rb(low) as u32 + ((rb(high) as u32) << 8);
                        if v & 0xFC00 == 0xDC00 {
                            return self.reader_error(
                                "unexpected low surrogate area",
                                self.offset,
                                v as i64,
                            );
                        }
                        if v & 0xFC00 == 0xD800 {
                            if raw_unread < 4 {
                                if self.eof {
                                    return self.reader_error(
                                        "incomplete UTF-16 surrogate pair",
                                        self.offset,
                                        -1,
                                    );
                                }
                                break;
                            }
                            let v2 = rb(low + 2) as u32 + ((rb(high + 2) as u32) << 8);
                            if v2 & 0xFC00 != 0xDC00 {
                                return self.reader_error(
                                    "expected low surrogate area",
                                    self.offset + 2,
                                    v2 as i64,
                                );
                            }
                            (0x10000 + ((v & 0x3FF) << 10) + (v2 & 0x3FF), 4)
                        } else {
                            (v, 2)
                        }
                    }
                    _ => {
                        let octet = rb(0);
                        let w = width(octet);
                        if w == 0 {
                            return self.reader_error(
                                "invalid leading UTF-8 octet",
                                self.offset,
                                octet as i64,
                            );
                        }
                        if w > raw_unread {
                            if self.eof {
                                return self.reader_error(
                                    "incomplete UTF-8 octet sequence",
                                    self.offset,
                                    -1,
                                );
                            }
                            break;
                        }
                        let mut value: u32 = match w {
                            1 => (octet & 0x7F) as u32,
                            2 => (octet & 0x1F) as u32,
                            3 => (octet & 0x0F) as u32,
                            _ => (octet & 0x07) as u32,
                        };
                        for k in 1..w {
                            let o = rb(k);
                            if o & 0xC0 != 0x80 {
                                return self.reader_error(
                                    "invalid trailing UTF-8 octet",
                                    self.offset + k,
                                    o as i64,
                                );
                            }
                            value = (value << 6) + (o & 0x3F) as u32;
                        }
                        let ok = w == 1
                            || w == 2 && value >= 0x80
                            || w == 3 && value >= 0x800
                            || w == 4 && value >= 0x10000;
                        if !ok {
                            return self.reader_error(
                                "invalid length of a UTF-8 sequence",
                                self.offset,
                                -1,
                            );
                        }
                        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                            return self.reader_error(
                                "invalid Unicode character",
                                self.offset,
                                value as i64,
                            );
                        }
                        (value, w)
                    }
                };
                let allowed = value == 0x09
                    || value == 0x0A
                    || value == 0x0D
                    || (0x20..=0x7E).contains(&value)
                    || value == 0x85
                    || (0xA0..=0xD7FF).contains(&value)
                    || (0xE000..=0xFFFD).contains(&value)
                    || (0x10000..=0x10FFFF).contains(&value);
                if !allowed {
                    return self.reader_error(
                        "control characters are not allowed",
                        self.offset,
                        value as i64,
                    );
                }
                self.raw_pos += w;
                self.offset += w;
                let ch = char::from_u32(value).unwrap_or('\u{FFFD}');
                let mut tmp = [0u8; 4];
                self.buffer
                    .extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                self.unread += 1;
            }
            if self.eof {
                self.buffer.push(0);
                self.unread += 1;
                break;
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- token queue

    fn insert_token(&mut self, pos: Option<usize>, token: Token) {
        if self.tokens_head > 64 && self.tokens_head * 2 > self.tokens.len() {
            self.tokens.drain(..self.tokens_head);
            self.tokens_head = 0;
        }
        match pos {
            None => self.tokens.push(token),
            Some(p) => {
                let at = (self.tokens_head + p).min(self.tokens.len());
                self.tokens.insert(at, token);
            }
        }
    }

    /// The token at the head of the queue (after `fetch_more_tokens`).
    pub fn head(&self) -> Option<&Token> {
        self.tokens.get(self.tokens_head)
    }

    /// Drops the head token (parserc.go's skip_token).
    pub fn skip_token(&mut self) {
        self.token_available = false;
        self.tokens_parsed += 1;
        self.stream_end_produced = self.head().is_some_and(|t| t.typ == TokenType::StreamEnd);
        self.tokens_head += 1;
    }

    /// Ensures a token is available (parserc.go's peek_token).
    pub fn peek(&mut self) -> Result<&Token, ()> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        self.tokens.get(self.tokens_head).ok_or(())
    }

    // ---------------------------------------------------------------- errors

    fn scanner_error(&mut self, context: &str, context_mark: Mark, problem: &str) -> R {
        self.error = ErrorKind::Scanner;
        self.context = context.to_string();
        self.context_mark = context_mark;
        self.problem = problem.to_string();
        self.problem_mark = self.mark;
        Err(())
    }

    fn tag_error(&mut self, directive: bool, context_mark: Mark, problem: &str) -> R {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        self.scanner_error(context, context_mark, problem)
    }

    // ---------------------------------------------------------------- fetching

    pub fn fetch_more_tokens(&mut self) -> R {
        loop {
            if self.tokens_head != self.tokens.len() {
                let Some(&idx) = self.simple_keys_by_tok.get(&self.tokens_parsed) else {
                    break;
                };
                if !self.simple_key_is_valid(idx)? {
                    break;
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> R {
        self.cache(1)?;
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column);
        self.cache(4)?;
        if self.at(0) == 0 {
            return self.fetch_stream_end();
        }
        let c = self.at(0);
        if self.mark.column == 0 && c == b'%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && c == b'-'
            && self.at(1) == b'-'
            && self.at(2) == b'-'
            && self.is_blankz_at(3)
        {
            return self.fetch_document_indicator(TokenType::DocumentStart);
        }
        if self.mark.column == 0
            && c == b'.'
            && self.at(1) == b'.'
            && self.at(2) == b'.'
            && self.is_blankz_at(3)
        {
            return self.fetch_document_indicator(TokenType::DocumentEnd);
        }
        match c {
            b'[' => return self.fetch_flow_collection_start(TokenType::FlowSequenceStart),
            b'{' => return self.fetch_flow_collection_start(TokenType::FlowMappingStart),
            b']' => return self.fetch_flow_collection_end(TokenType::FlowSequenceEnd),
            b'}' => return self.fetch_flow_collection_end(TokenType::FlowMappingEnd),
            b',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == b'-' && self.is_blankz_at(1) {
            return self.fetch_block_entry();
        }
        if c == b'?' && (self.flow_level > 0 || self.is_blankz_at(1)) {
            return self.fetch_key();
        }
        if c == b':' && (self.flow_level > 0 || self.is_blankz_at(1)) {
            return self.fetch_value();
        }
        match c {
            b'*' => return self.fetch_anchor(TokenType::Alias),
            b'&' => return self.fetch_anchor(TokenType::Anchor),
            b'!' => return self.fetch_tag(),
            b'|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            b'\'' => return self.fetch_flow_scalar(true),
            b'"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        if !(self.is_blankz_at(0) || indicator)
            || (c == b'-' && !self.is_blank_at(1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz_at(1))
        {
            return self.fetch_plain_scalar();
        }
        let mark = self.mark;
        self.scanner_error(
            "while scanning for the next token",
            mark,
            "found character that cannot start any token",
        )
    }

    /// Whether the simple key at `idx` is still valid; an error if a required one went stale.
    fn simple_key_is_valid(&mut self, idx: usize) -> Result<bool, ()> {
        let Some(key) = self.simple_keys.get(idx).copied() else {
            return Ok(false);
        };
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                self.scanner_error(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                )?;
            }
            if let Some(k) = self.simple_keys.get_mut(idx) {
                k.possible = false;
            }
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> R {
        let required = self.flow_level == 0 && self.indent == self.mark.column;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.simple_keys_by_tok.insert(key.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> R {
        let Some(i) = self.simple_keys.len().checked_sub(1) else {
            return Ok(());
        };
        let key = self.simple_keys[i];
        if key.possible {
            if key.required {
                return self.scanner_error(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                );
            }
            self.simple_keys[i].possible = false;
            self.simple_keys_by_tok.remove(&key.token_number);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> R {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + (self.tokens.len() - self.tokens_head),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let mark = self.simple_keys[self.simple_keys.len() - 1].mark;
            return self.scanner_error(
                "while increasing flow level",
                mark,
                &format!("exceeded max depth of {MAX_FLOW_LEVEL}"),
            );
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(last) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(&last.token_number);
            }
        }
    }

    /// `number`: the absolute token number to insert before, or None to append.
    fn roll_indent(&mut self, column: i64, number: Option<usize>, typ: TokenType, mark: Mark) -> R {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let mark = self.simple_keys.last().map(|k| k.mark).unwrap_or_default();
                return self.scanner_error(
                    "while increasing indent level",
                    mark,
                    &format!("exceeded max depth of {MAX_INDENTS}"),
                );
            }
            let token = Token::new(typ, mark, mark);
            let pos = number.map(|n| n.saturating_sub(self.tokens_parsed));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: i64) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let token = Token::new(TokenType::BlockEnd, self.mark, self.mark);
            self.insert_token(None, token);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_keys_by_tok = HashMap::new();
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let token = Token::new(TokenType::StreamStart, self.mark, self.mark);
        self.insert_token(None, token);
    }

    fn fetch_stream_end(&mut self) -> R {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = Token::new(TokenType::StreamEnd, self.mark, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_directive(&mut self) -> R {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, typ: TokenType) -> R {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let token = Token::new(typ, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, typ: TokenType) -> R {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let token = Token::new(typ, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, typ: TokenType) -> R {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let token = Token::new(typ, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> R {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let token = Token::new(TokenType::FlowEntry, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> R {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let mark = self.mark;
                return self.scanner_error(
                    "",
                    mark,
                    "block sequence entries are not allowed in this context",
                );
            }
            let mark = self.mark;
            self.roll_indent(mark.column, None, TokenType::BlockSequenceStart, mark)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let token = Token::new(TokenType::BlockEntry, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_key(&mut self) -> R {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let mark = self.mark;
                return self.scanner_error(
                    "",
                    mark,
                    "mapping keys are not allowed in this context",
                );
            }
            let mark = self.mark;
            self.roll_indent(mark.column, None, TokenType::BlockMappingStart, mark)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        let token = Token::new(TokenType::Key, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_value(&mut self) -> R {
        let idx = self.simple_keys.len() - 1;
        let valid = self.simple_key_is_valid(idx)?;
        if valid {
            let key = self.simple_keys[idx];
            let token = Token::new(TokenType::Key, key.mark, key.mark);
            self.insert_token(
                Some(key.token_number.saturating_sub(self.tokens_parsed)),
                token,
            );
            self.roll_indent(
                key.mark.column,
                Some(key.token_number),
                TokenType::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[idx].possible = false;
            self.simple_keys_by_tok.remove(&key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let mark = self.mark;
                    return self.scanner_error(
                        "",
                        mark,
                        "mapping values are not allowed in this context",
                    );
                }
                let mark = self.mark;
                self.roll_indent(mark.column, None, TokenType::BlockMappingStart, mark)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        let token = Token::new(TokenType::Value, start, self.mark);
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_anchor(&mut self, typ: TokenType) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(typ)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> R {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.insert_token(None, token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> R {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.insert_token(None, token);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> R {
        loop {
            self.cache(1)?;
            if self.mark.column == 0 && self.is_bom_here() {
                self.skip();
            }
            self.cache(1)?;
            while self.at(0) == b' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.at(0) == b'\t')
            {
                self.skip();
                self.cache(1)?;
            }
            if self.at(0) == b'#' {
                while !self.is_breakz_at(0) {
                    self.skip();
                    self.cache(1)?;
                }
            }
            if self.is_break_at(0) {
                self.cache(2)?;
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- directives

    fn scan_directive(&mut self) -> Result<Token, ()> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let mut token;
        if name == b"YAML" {
            let (major, minor) = self.scan_version_directive_value(start)?;
            token = Token::new(TokenType::VersionDirective, start, self.mark);
            token.major = major;
            token.minor = minor;
        } else if name == b"TAG" {
            let (handle, prefix) = self.scan_tag_directive_value(start)?;
            token = Token::new(TokenType::TagDirective, start, self.mark);
            token.value = handle;
            token.prefix = prefix;
        } else {
            self.scanner_error(
                "while scanning a directive",
                start,
                "found unknown directive name",
            )?;
            return Err(());
        }
        self.cache(1)?;
        while self.is_blank_at(0) {
            self.skip();
            self.cache(1)?;
        }
        if self.at(0) == b'#' {
            while !self.is_breakz_at(0) {
                self.skip();
                self.cache(1)?;
            }
        }
        if !self.is_breakz_at(0) {
            self.scanner_error(
                "while scanning a directive",
                start,
                "did not find expected comment or line break",
            )?;
        }
        if self.is_break_at(0) {
            self.cache(2)?;
            self.skip_line();
        }
        Ok(token)
    }

    fn scan_directive_name(&mut self, start: Mark) -> Result<Vec<u8>, ()> {
        self.cache(1)?;
        let mut s = Vec::new();
        while self.is_alpha_at(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if s.is_empty() {
            self.scanner_error(
                "while scanning a directive",
                start,
                "could not find expected directive name",
            )?;
        }
        if !self.is_blankz_at(0) {
            self.scanner_error(
                "while scanning a directive",
                start,
                "found unexpected non-alphabetical character",
            )?;
        }
        Ok(s)
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> Result<(i8, i8), ()> {
        self.cache(1)?;
        while self.is_blank_at(0) {
            self.skip();
            self.cache(1)?;
        }
        let major = self.scan_version_directive_number(start)?;
        if self.at(0) != b'.' {
            self.scanner_error(
                "while scanning a %YAML directive",
                start,
                "did not find expected digit or '.' character",
            )?;
        }
        self.skip();
        let minor = self.scan_version_directive_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> Result<i8, ()> {
        self.cache(1)?;
        let mut value: i8 = 0;
        let mut length = 0;
        while self.at(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                self.scanner_error(
                    "while scanning a %YAML directive",
                    start,
                    "found extremely long version number",
                )?;
            }
            value = value
                .wrapping_mul(10)
                .wrapping_add((self.at(0) - b'0') as i8);
            self.skip();
            self.cache(1)?;
        }
        if length == 0 {
            self.scanner_error(
                "while scanning a %YAML directive",
                start,
                "did not find expected version number",
            )?;
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> Result<(Vec<u8>, Vec<u8>), ()> {
        self.cache(1)?;
        while self.is_blank_at(0) {
            self.skip();
            self.cache(1)?;
        }
        let handle = self.scan_tag_handle(true, start)?;
        self.cache(1)?;
        if !self.is_blank_at(0) {
            self.scanner_error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace",
            )?;
        }
        while self.is_blank_at(0) {
            self.skip();
            self.cache(1)?;
        }
        let prefix = self.scan_tag_uri(true, &[], start)?;
        self.cache(1)?;
        if !self.is_blankz_at(0) {
            self.scanner_error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace or line break",
            )?;
        }
        Ok((handle, prefix))
    }

    // ---------------------------------------------------------------- anchors and tags

    fn scan_anchor(&mut self, typ: TokenType) -> Result<Token, ()> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut s = Vec::new();
        while self.is_alpha_at(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        let end = self.mark;
        let c = self.at(0);
        if s.is_empty()
            || !(self.is_blankz_at(0)
                || matches!(c, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            let context = if typ == TokenType::Anchor {
                "while scanning an anchor"
            } else {
                "while scanning an alias"
            };
            self.scanner_error(
                context,
                start,
                "did not find expected alphabetic or numeric character",
            )?;
        }
        let mut token = Token::new(typ, start, end);
        token.value = s;
        Ok(token)
    }

    fn scan_tag(&mut self) -> Result<Token, ()> {
        let start = self.mark;
        self.cache(2)?;
        let mut handle;
        let mut suffix;
        if self.at(1) == b'<' {
            handle = Vec::new();
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, &[], start)?;
            if self.at(0) != b'>' {
                self.scanner_error(
                    "while scanning a tag",
                    start,
                    "did not find the expected '>'",
                )?;
            }
            self.skip();
        } else {
            handle = self.scan_tag_handle(false, start)?;
            if handle.first() == Some(&b'!') && handle.len() > 1 && handle.last() == Some(&b'!') {
                suffix = self.scan_tag_uri(false, &[], start)?;
            } else {
                suffix = self.scan_tag_uri(false, &handle, start)?;
                handle = vec![b'!'];
                if suffix.is_empty() {
                    std::mem::swap(&mut handle, &mut suffix);
                }
            }
        }
        self.cache(1)?;
        if !self.is_blankz_at(0) {
            self.scanner_error(
                "while scanning a tag",
                start,
                "did not find expected whitespace or line break",
            )?;
        }
        let mut token = Token::new(TokenType::Tag, start, self.mark);
        token.value = handle;
        token.suffix = suffix;
        Ok(token)
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Result<Vec<u8>, ()> {
        self.cache(1)?;
        if self.at(0) != b'!' {
            self.tag_error(directive, start, "did not find expected '!'")?;
        }
        let mut s = Vec::new();
        self.read(&mut s);
        self.cache(1)?;
        while self.is_alpha_at(0) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if self.at(0) == b'!' {
            self.read(&mut s);
        } else if directive && s != b"!" {
            self.tag_error(directive, start, "did not find expected '!'")?;
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &[u8], start: Mark) -> Result<Vec<u8>, ()> {
        let mut s = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            s.extend_from_slice(&head[1..]);
        }
        self.cache(1)?;
        loop {
            let c = self.at(0);
            let ok = self.is_alpha_at(0)
                || matches!(
                    c,
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                );
            if !ok {
                break;
            }
            if c == b'%' {
                self.scan_uri_escapes(directive, start, &mut s)?;
            } else {
                self.read(&mut s);
            }
            self.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            self.tag_error(directive, start, "did not find expected tag URI")?;
        }
        Ok(s)
    }

    fn scan_uri_escapes(&mut self, directive: bool, start: Mark, s: &mut Vec<u8>) -> R {
        let mut w: usize = 1024;
        while w > 0 {
            self.cache(3)?;
            let (a, b) = (self.at(1), self.at(2));
            if !(self.at(0) == b'%' && a.is_ascii_hexdigit() && b.is_ascii_hexdigit()) {
                return self.tag_error(directive, start, "did not find URI escaped octet");
            }
            let hv = |x: u8| (x as char).to_digit(16).unwrap_or(0) as u8;
            let octet = (hv(a) << 4) + hv(b);
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return self.tag_error(
                        directive,
                        start,
                        "found an incorrect leading UTF-8 octet",
                    );
                }
            } else if octet & 0xC0 != 0x80 {
                return self.tag_error(directive, start, "found an incorrect trailing UTF-8 octet");
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        Ok(())
    }

    // ---------------------------------------------------------------- scalars

    fn scan_block_scalar(&mut self, literal: bool) -> Result<Token, ()> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut chomping = 0i32;
        let mut increment: i64 = 0;
        if self.at(0) == b'+' || self.at(0) == b'-' {
            chomping = if self.at(0) == b'+' { 1 } else { -1 };
            self.skip();
            self.cache(1)?;
            if self.at(0).is_ascii_digit() {
                if self.at(0) == b'0' {
                    self.scanner_error(
                        "while scanning a block scalar",
                        start,
                        "found an indentation indicator equal to 0",
                    )?;
                }
                increment = (self.at(0) - b'0') as i64;
                self.skip();
            }
        } else if self.at(0).is_ascii_digit() {
            if self.at(0) == b'0' {
                self.scanner_error(
                    "while scanning a block scalar",
                    start,
                    "found an indentation indicator equal to 0",
                )?;
            }
            increment = (self.at(0) - b'0') as i64;
            self.skip();
            self.cache(1)?;
            if self.at(0) == b'+' || self.at(0) == b'-' {
                chomping = if self.at(0) == b'+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.cache(1)?;
        while self.is_blank_at(0) {
            self.skip();
            self.cache(1)?;
        }
        if self.at(0) == b'#' {
            while !self.is_breakz_at(0) {
                self.skip();
                self.cache(1)?;
            }
        }
        if !self.is_breakz_at(0) {
            self.scanner_error(
                "while scanning a block scalar",
                start,
                "did not find expected comment or line break",
            )?;
        }
        if self.is_break_at(0) {
            self.cache(2)?;
            self.skip_line();
        }
        let mut end = self.mark;
        let mut indent: i64 = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        self.cache(1)?;
        let mut leading_blank = false;
        while self.mark.column == indent && self.at(0) != 0 {
            let trailing_blank = self.is_blank_at(0);
            if !literal
                && !leading_blank
                && !trailing_blank
                && leading_break.first() == Some(&b'\n')
            {
                if trailing_breaks.is_empty() {
                    s.push(b' ');
                }
            } else {
                s.extend_from_slice(&leading_break);
            }
            leading_break.clear();
            s.extend_from_slice(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.is_blank_at(0);
            while !self.is_breakz_at(0) {
                self.read(&mut s);
                self.cache(1)?;
            }
            self.cache(2)?;
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            s.extend_from_slice(&leading_break);
        }
        if chomping == 1 {
            s.extend_from_slice(&trailing_breaks);
        }
        let mut token = Token::new(TokenType::Scalar, start, end);
        token.value = s;
        token.style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(token)
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut i64,
        breaks: &mut Vec<u8>,
        start: Mark,
        end: &mut Mark,
    ) -> R {
        *end = self.mark;
        let mut max_indent: i64 = 0;
        loop {
            self.cache(1)?;
            while (*indent == 0 || self.mark.column < *indent) && self.at(0) == b' ' {
                self.skip();
                self.cache(1)?;
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && self.at(0) == b'\t' {
                return self.scanner_error(
                    "while scanning a block scalar",
                    start,
                    "found a tab character where an indentation space is expected",
                );
            }
            if !self.is_break_at(0) {
                break;
            }
            self.cache(2)?;
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> Result<Token, ()> {
        let start = self.mark;
        self.skip();
        let mut s: Vec<u8> = Vec::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        let mut whitespaces: Vec<u8> = Vec::new();
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz_at(3)
            {
                self.scanner_error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected document indicator",
                )?;
            }
            if self.at(0) == 0 {
                self.scanner_error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected end of stream",
                )?;
            }
            let mut leading_blanks = false;
            while !self.is_blankz_at(0) {
                let c = self.at(0);
                if single && c == b'\'' && self.at(1) == b'\'' {
                    s.push(b'\'');
                    self.skip();
                    self.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && self.is_break_at(1) {
                    self.cache(3)?;
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    let mut code_length = 0usize;
                    match self.at(1) {
                        b'0' => s.push(0),
                        b'a' => s.push(0x07),
                        b'b' => s.push(0x08),
                        b't' | b'\t' => s.push(0x09),
                        b'n' => s.push(0x0A),
                        b'v' => s.push(0x0B),
                        b'f' => s.push(0x0C),
                        b'r' => s.push(0x0D),
                        b'e' => s.push(0x1B),
                        b' ' => s.push(0x20),
                        b'"' => s.push(b'"'),
                        b'\'' => s.push(b'\''),
                        b'\\' => s.push(b'\\'),
                        b'N' => s.extend_from_slice(&[0xC2, 0x85]),
                        b'_' => s.extend_from_slice(&[0xC2, 0xA0]),
                        b'L' => s.extend_from_slice(&[0xE2, 0x80, 0xA8]),
                        b'P' => s.extend_from_slice(&[0xE2, 0x80, 0xA9]),
                        b'x' => code_length = 2,
                        b'u' => code_length = 4,
                        b'U' => code_length = 8,
                        _ => {
                            self.scanner_error(
                                "while parsing a quoted scalar",
                                start,
                                "found unknown escape character",
                            )?;
                        }
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        self.cache(code_length)?;
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            let h = self.at(k);
                            if !h.is_ascii_hexdigit() {
                                self.scanner_error(
                                    "while parsing a quoted scalar",
                                    start,
                                    "did not find expected hexdecimal number",
                                )?;
                            }
                            value = (value << 4) + (h as char).to_digit(16).unwrap_or(0);
                        }
                        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                            self.scanner_error(
                                "while parsing a quoted scalar",
                                start,
                                "found invalid Unicode character escape code",
                            )?;
                        }
                        let ch = char::from_u32(value).unwrap_or('\u{FFFD}');
                        let mut tmp = [0u8; 4];
                        s.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    self.read(&mut s);
                }
                self.cache(2)?;
            }
            self.cache(1)?;
            if single {
                if self.at(0) == b'\'' {
                    break;
                }
            } else if self.at(0) == b'"' {
                break;
            }
            while self.is_blank_at(0) || self.is_break_at(0) {
                if self.is_blank_at(0) {
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if leading_blanks {
                if leading_break.first() == Some(&b'\n') {
                    if trailing_breaks.is_empty() {
                        s.push(b' ');
                    } else {
                        s.extend_from_slice(&trailing_breaks);
                    }
                } else {
                    s.extend_from_slice(&leading_break);
                    s.extend_from_slice(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.extend_from_slice(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let mut token = Token::new(TokenType::Scalar, start, self.mark);
        token.value = s;
        token.style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(token)
    }

    fn scan_plain_scalar(&mut self) -> Result<Token, ()> {
        let mut s: Vec<u8> = Vec::new();
        let mut leading_break: Vec<u8> = Vec::new();
        let mut trailing_breaks: Vec<u8> = Vec::new();
        let mut whitespaces: Vec<u8> = Vec::new();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                    || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
                && self.is_blankz_at(3)
            {
                break;
            }
            if self.at(0) == b'#' {
                break;
            }
            while !self.is_blankz_at(0) {
                let c = self.at(0);
                if (c == b':' && self.is_blankz_at(1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break.first() == Some(&b'\n') {
                            if trailing_breaks.is_empty() {
                                s.push(b' ');
                            } else {
                                s.extend_from_slice(&trailing_breaks);
                            }
                        } else {
                            s.extend_from_slice(&leading_break);
                            s.extend_from_slice(&trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        s.extend_from_slice(&whitespaces);
                        whitespaces.clear();
                    }
                }
                self.read(&mut s);
                end = self.mark;
                self.cache(2)?;
            }
            if !(self.is_blank_at(0) || self.is_break_at(0)) {
                break;
            }
            self.cache(1)?;
            while self.is_blank_at(0) || self.is_break_at(0) {
                if self.is_blank_at(0) {
                    if leading_blanks && self.mark.column < indent && self.at(0) == b'\t' {
                        self.scanner_error(
                            "while scanning a plain scalar",
                            start,
                            "found a tab character that violates indentation",
                        )?;
                    }
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if self.flow_level == 0 && self.mark.column < indent {
                break;
            }
        }
        let mut token = Token::new(TokenType::Scalar, start, end);
        token.value = s;
        token.style = ScalarStyle::Plain;
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(token)
    }
}
