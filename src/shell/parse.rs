//! The shell's grammar (POSIX `sh` as bash reads it): words with quoting (`'…'`, `"…"`,
//! `\`), parameter expansion (`$x`, `${x}`, `${x:-y}`, `${#x}`, `${x%pat}`), command
//! substitution (`$(…)`, backquotes), arithmetic (`$((…))`), redirections and here-documents,
//! pipelines, `&&`/`||`, `;`, `!`, `( … )`, `{ …; }`, `if`, `for`, `while`/`until`, and
//! comments. Parsing is one recursive descent over the characters, as bash's own parser does,
//! so `$(…)` nests naturally. Errors read as bash's; input that could continue (an open quote,
//! a trailing `|`) is marked incomplete so a terminal can ask for more.

use std::fmt;

/// A parsed script.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub list: List,
    /// Here-document bodies, indexed by [`RedirTarget::HereDoc`].
    pub heredocs: Vec<HereDoc>,
}

/// Commands separated by `;`, `&` or newlines.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct List(pub Vec<AndOr>);

/// Pipelines joined by `&&` / `||`.
#[derive(Clone, Debug, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
    /// Ended with `&`.
    pub background: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(SimpleCommand),
    /// `( list )`
    Subshell(List, Vec<Redir>),
    /// `{ list; }`
    Group(List, Vec<Redir>),
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        /// `None`: no `in` (the positional parameters).
        words: Option<Vec<Word>>,
        body: List,
        redirs: Vec<Redir>,
    },
    While {
        cond: List,
        body: List,
        until: bool,
        redirs: Vec<Redir>,
    },
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct SimpleCommand {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

/// A word: the parts it was written with.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Word(pub Vec<Part>);

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Unquoted text (subject to field splitting of expansions around it, globbing, `~`).
    Lit(String),
    /// Text quoted by `'…'`, `$'…'` or a backslash.
    Quoted(String),
    /// A `"…"` region.
    Double(Vec<Part>),
    Param(Box<Param>),
    /// `$(…)` or backquotes.
    Subst(Box<List>),
    /// `$((…))`: the expression text (after the parameter expansions it contains).
    Arith(Word),
}

/// `${name…}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name-w}` / `${name:-w}` (colon: also when empty)
    Default(bool, Word),
    /// `${name=w}` / `${name:=w}`
    Assign(bool, Word),
    /// `${name+w}` / `${name:+w}`
    Alternate(bool, Word),
    /// `${name?w}` / `${name:?w}`
    Error(bool, Word),
    /// `${name#p}` (false) / `${name##p}` (true)
    TrimPrefix(bool, Word),
    /// `${name%p}` / `${name%%p}`
    TrimSuffix(bool, Word),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    /// The file descriptor (`2>`); `None` for the operator's default.
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: RedirTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `&>` (stdout and stderr)
    OutErr,
    /// `&>>`
    AppendErr,
    /// `>&` / `<&` (duplicate a descriptor)
    Dup,
    /// `<<` / `<<-`
    HereDoc,
    /// `<<<`
    HereString,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirTarget {
    Word(Word),
    HereDoc(usize),
}

/// A here-document body: literal when the delimiter was quoted, else expanded like `"…"`.
#[derive(Clone, Debug, PartialEq)]
pub struct HereDoc {
    pub body: Word,
}

/// A syntax error in bash's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// More input could complete the script (open quote, trailing operator, missing `fi`).
    pub incomplete: bool,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Nesting bound for `$(…)`, groups and compound commands.
const MAX_DEPTH: usize = 100;

/// Parses a script.
pub fn parse(src: &str) -> Result<Script, ParseError> {
    let mut p = Parser {
        s: src.chars().collect(),
        pos: 0,
        pending: Vec::new(),
        heredocs: Vec::new(),
        depth: 0,
    };
    let list = p.parse_list(&[], false)?;
    p.skip_blanks();
    if let Some(c) = p.peek() {
        return Err(p.unexpected_at(c));
    }
    if let Some((delim, _, _)) = p.pending.first() {
        return Err(ParseError {
            message: format!("warning: here-document delimited by end-of-file (wanted `{delim}')"),
            incomplete: true,
        });
    }
    Ok(Script {
        list,
        heredocs: p.heredocs,
    })
}

struct Parser {
    s: Vec<char>,
    pos: usize,
    /// Here-documents whose bodies start after the next newline: (delimiter, strip tabs, quoted,
    /// index).
    pending: Vec<(String, bool, bool)>,
    heredocs: Vec<HereDoc>,
    depth: usize,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// A valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && cs.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

const RESERVED: &[&str] = &[
    "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "{", "}", "!",
    "case", "esac", "function", "select", "[[", "]]", "time", "coproc",
];

fn syntax(msg: String) -> ParseError {
    ParseError {
        message: msg,
        incomplete: false,
    }
}

fn eof_error() -> ParseError {
    ParseError {
        message: "syntax error: unexpected end of file".into(),
        incomplete: true,
    }
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.pos + n).copied()
    }
    fn starts(&self, t: &str) -> bool {
        t.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn unexpected_at(&self, c: char) -> ParseError {
        let tok: String = match c {
            '\n' => "newline".into(),
            ';' if self.peek_at(1) == Some(';') => ";;".into(),
            '&' if self.peek_at(1) == Some('&') => "&&".into(),
            '|' if self.peek_at(1) == Some('|') => "||".into(),
            _ => c.to_string(),
        };
        syntax(format!("syntax error near unexpected token `{tok}'"))
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax("expression nesting level exceeded".into()));
        }
        Ok(())
    }

    /// Skips spaces, tabs, line continuations and a comment.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                Some('#') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Consumes a newline and reads the here-document bodies that start after it.
    fn newline(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        let pending = std::mem::take(&mut self.pending);
        for (delim, strip, quoted) in pending {
            let mut body = String::new();
            let mut found = false;
            while self.pos < self.s.len() {
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos] != '\n' {
                    self.pos += 1;
                }
                let mut line: String = self.s[start..self.pos].iter().collect();
                if self.pos < self.s.len() {
                    self.pos += 1;
                }
                if strip {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == delim {
                    found = true;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if !found {
                return Err(ParseError {
                    message: format!(
                        "warning: here-document delimited by end-of-file (wanted `{delim}')"
                    ),
                    incomplete: true,
                });
            }
            let word = if quoted {
                Word(vec![Part::Quoted(body)])
            } else {
                Word(vec![Part::Double(heredoc_parts(&body)?)])
            };
            self.heredocs.push(HereDoc { body: word });
        }
        Ok(())
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline()?;
            } else {
                return Ok(());
            }
        }
    }

    /// The reserved word at the cursor (after blanks), without consuming it.
    fn peek_reserved(&mut self) -> Option<&'static str> {
        self.skip_blanks();
        let start = self.pos;
        let mut end = start;
        while end < self.s.len() && !is_meta(self.s[end]) {
            let c = self.s[end];
            if matches!(c, '\'' | '"' | '\\' | '$' | '`') {
                return None;
            }
            end += 1;
        }
        let w: String = self.s[start..end].iter().collect();
        RESERVED.iter().copied().find(|r| *r == w)
    }

    fn take_reserved(&mut self, word: &str) -> bool {
        if self.peek_reserved() == Some(word) {
            self.pos += word.chars().count();
            true
        } else {
            false
        }
    }

    fn expect_reserved(&mut self, word: &str) -> Result<(), ParseError> {
        if self.take_reserved(word) {
            return Ok(());
        }
        self.skip_blanks();
        match self.peek() {
            None => Err(eof_error()),
            Some(c) if is_meta(c) => Err(self.unexpected_at(c)),
            Some(_) => {
                let save = self.pos;
                let w = self.read_raw_word();
                self.pos = save;
                Err(syntax(format!("syntax error near unexpected token `{w}'")))
            }
        }
    }

    fn read_raw_word(&mut self) -> String {
        let start = self.pos;
        while self.pos < self.s.len() && !is_meta(self.s[self.pos]) {
            self.pos += 1;
        }
        self.s[start..self.pos].iter().collect()
    }

    /// A list, up to one of the `stops` reserved words, a `)` (when `in_paren`) or the end.
    fn parse_list(&mut self, stops: &[&str], in_paren: bool) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            match self.peek() {
                None => break,
                Some(')') if in_paren => break,
                _ => {}
            }
            if let Some(r) = self.peek_reserved() {
                if stops.contains(&r) {
                    break;
                }
            }
            let mut ao = self.parse_and_or()?;
            self.skip_blanks();
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') => self.pos += 1,
                Some('&') if self.peek_at(1) != Some('&') && self.peek_at(1) != Some('>') => {
                    self.pos += 1;
                    ao.background = true;
                }
                Some('\n') => self.newline()?,
                None => {}
                Some(')') if in_paren => {}
                Some(c) => {
                    if self.peek_reserved().is_some_and(|r| stops.contains(&r)) {
                        items.push(ao);
                        continue;
                    }
                    return Err(self.unexpected_at(c));
                }
            }
            items.push(ao);
        }
        Ok(List(items))
    }

    fn parse_and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let conn = if self.starts("&&") {
                Connector::And
            } else if self.starts("||") {
                Connector::Or
            } else {
                break;
            };
            self.pos += 2;
            self.skip_newlines()?;
            if self.peek().is_none() {
                return Err(eof_error());
            }
            rest.push((conn, self.parse_pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut bang = false;
        while self.take_reserved("!") {
            bang = !bang;
        }
        let mut cmds = vec![self.parse_command()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                // `|&` pipes stderr too: treated as `2>&1 |`
                let both = self.peek() == Some('&');
                if both {
                    self.pos += 1;
                    if let Some(last) = cmds.last_mut() {
                        push_redir(
                            last,
                            Redir {
                                fd: Some(2),
                                op: RedirOp::Dup,
                                target: RedirTarget::Word(Word(vec![Part::Lit("1".into())])),
                            },
                        );
                    }
                }
                self.skip_newlines()?;
                if self.peek().is_none() {
                    return Err(eof_error());
                }
                cmds.push(self.parse_command()?);
            } else {
                break;
            }
        }
        Ok(Pipeline { bang, cmds })
    }

    fn parse_command(&mut self) -> Result<Command, ParseError> {
        self.skip_blanks();
        match self.peek() {
            None => return Err(eof_error()),
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    return Err(syntax(
                        "chartlab: arithmetic commands `(( … ))` are not supported; use `$(( … ))`"
                            .into(),
                    ));
                }
                self.pos += 1;
                self.enter()?;
                let list = self.parse_list(&[], true)?;
                self.depth -= 1;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err(match self.peek() {
                        None => eof_error(),
                        Some(c) => self.unexpected_at(c),
                    });
                }
                self.pos += 1;
                if list.0.is_empty() {
                    return Err(syntax("syntax error near unexpected token `)'".into()));
                }
                let redirs = self.parse_redirs()?;
                return Ok(Command::Subshell(list, redirs));
            }
            Some(c @ (')' | ';' | '|' | '&')) => return Err(self.unexpected_at(c)),
            Some('\n') => return Err(self.unexpected_at('\n')),
            _ => {}
        }
        match self.peek_reserved() {
            Some("{") => {
                self.pos += 1;
                self.enter()?;
                let list = self.parse_list(&["}"], false)?;
                self.expect_reserved("}")?;
                self.depth -= 1;
                if list.0.is_empty() {
                    return Err(syntax("syntax error near unexpected token `}'".into()));
                }
                let redirs = self.parse_redirs()?;
                Ok(Command::Group(list, redirs))
            }
            Some("if") => {
                self.pos += 2;
                self.enter()?;
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.parse_list(&["then"], false)?;
                    self.expect_reserved("then")?;
                    let body = self.parse_list(&["elif", "else", "fi"], false)?;
                    branches.push((cond, body));
                    if self.take_reserved("elif") {
                        continue;
                    }
                    if self.take_reserved("else") {
                        otherwise = Some(self.parse_list(&["fi"], false)?);
                    }
                    self.expect_reserved("fi")?;
                    break;
                }
                self.depth -= 1;
                let redirs = self.parse_redirs()?;
                Ok(Command::If {
                    branches,
                    otherwise,
                    redirs,
                })
            }
            Some(kw @ ("while" | "until")) => {
                self.pos += kw.len();
                self.enter()?;
                let cond = self.parse_list(&["do"], false)?;
                self.expect_reserved("do")?;
                let body = self.parse_list(&["done"], false)?;
                self.expect_reserved("done")?;
                self.depth -= 1;
                let redirs = self.parse_redirs()?;
                Ok(Command::While {
                    cond,
                    body,
                    until: kw == "until",
                    redirs,
                })
            }
            Some("for") => {
                self.pos += 3;
                self.enter()?;
                self.skip_blanks();
                let var = self.read_raw_word();
                if !is_name(&var) {
                    return Err(syntax(format!("`{var}': not a valid identifier")));
                }
                self.skip_newlines()?;
                let mut words = None;
                if self.take_reserved("in") {
                    let mut ws = Vec::new();
                    loop {
                        self.skip_blanks();
                        match self.peek() {
                            Some(';') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\n') => {
                                self.newline()?;
                                break;
                            }
                            None => return Err(eof_error()),
                            Some(c) if is_meta(c) => return Err(self.unexpected_at(c)),
                            _ => ws.push(self.parse_word()?),
                        }
                    }
                    words = Some(ws);
                } else {
                    self.skip_blanks();
                    if self.peek() == Some(';') {
                        self.pos += 1;
                    }
                }
                self.skip_newlines()?;
                self.expect_reserved("do")?;
                let body = self.parse_list(&["done"], false)?;
                self.expect_reserved("done")?;
                self.depth -= 1;
                let redirs = self.parse_redirs()?;
                Ok(Command::For {
                    var,
                    words,
                    body,
                    redirs,
                })
            }
            Some(kw @ ("case" | "function" | "select" | "[[" | "coproc" | "time")) => {
                Err(syntax(format!(
                    "chartlab: `{kw}` is not supported by this shell (supported: if, for, while, until, {{ }}, ( ))"
                )))
            }
            Some(kw @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "}" | "in" | "esac" | "]]")) => {
                Err(syntax(format!("syntax error near unexpected token `{kw}'")))
            }
            _ => self.parse_simple().map(Command::Simple),
        }
    }

    fn parse_redirs(&mut self) -> Result<Vec<Redir>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.skip_blanks();
            match self.try_redir()? {
                Some(r) => out.push(r),
                None => return Ok(out),
            }
        }
    }

    /// A redirection at the cursor, if there is one.
    fn try_redir(&mut self) -> Result<Option<Redir>, ParseError> {
        let save = self.pos;
        let mut fd = None;
        let mut digits = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                digits.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        if !digits.is_empty() {
            if matches!(self.peek(), Some('<') | Some('>')) {
                fd = digits.parse::<u32>().ok();
            } else {
                self.pos = save;
                return Ok(None);
            }
        }
        let op = if self.starts("&>>") {
            self.pos += 3;
            RedirOp::AppendErr
        } else if self.starts("&>") {
            self.pos += 2;
            RedirOp::OutErr
        } else if self.starts(">>") {
            self.pos += 2;
            RedirOp::Append
        } else if self.starts(">&") || self.starts("<&") {
            self.pos += 2;
            RedirOp::Dup
        } else if self.starts(">|") {
            self.pos += 2;
            RedirOp::Out
        } else if self.starts("<<<") {
            self.pos += 3;
            RedirOp::HereString
        } else if self.starts("<<") {
            self.pos += 2;
            RedirOp::HereDoc
        } else if self.starts("<>") {
            return Err(syntax(
                "chartlab: the `<>` redirection is not supported".into(),
            ));
        } else if self.starts(">") {
            self.pos += 1;
            RedirOp::Out
        } else if self.starts("<") {
            self.pos += 1;
            RedirOp::In
        } else {
            self.pos = save;
            return Ok(None);
        };
        let fd = match (fd, op) {
            (Some(f), _) => Some(f),
            (None, RedirOp::Dup) if self.s[self.pos - 2] == '<' => Some(0),
            _ => None,
        };
        if op == RedirOp::HereDoc {
            let strip = self.peek() == Some('-');
            if strip {
                self.pos += 1;
            }
            self.skip_blanks();
            let w = self.parse_word_opt()?;
            let Some(w) = w else {
                return Err(match self.peek() {
                    None => syntax("syntax error near unexpected token `newline'".into()),
                    Some(c) => self.unexpected_at(c),
                });
            };
            let quoted = w.0.iter().any(|p| !matches!(p, Part::Lit(_)));
            let delim = literal_text(&w);
            let index = self.heredocs.len() + self.pending.len();
            self.pending.push((delim, strip, quoted));
            return Ok(Some(Redir {
                fd,
                op,
                target: RedirTarget::HereDoc(index),
            }));
        }
        self.skip_blanks();
        match self.parse_word_opt()? {
            Some(w) => Ok(Some(Redir {
                fd,
                op,
                target: RedirTarget::Word(w),
            })),
            None => Err(match self.peek() {
                None => syntax("syntax error near unexpected token `newline'".into()),
                Some(c) => self.unexpected_at(c),
            }),
        }
    }

    fn parse_simple(&mut self) -> Result<SimpleCommand, ParseError> {
        let mut cmd = SimpleCommand::default();
        loop {
            self.skip_blanks();
            match self.peek() {
                None | Some('\n') | Some(';') | Some('|') | Some(')') => break,
                Some('&') if self.peek_at(1) != Some('>') => break,
                Some('(') => {
                    if cmd.words.len() == 1 && cmd.assigns.is_empty() {
                        return Err(syntax("chartlab: shell functions are not supported".into()));
                    }
                    return Err(self.unexpected_at('('));
                }
                _ => {}
            }
            if let Some(r) = self.try_redir()? {
                cmd.redirs.push(r);
                continue;
            }
            let w = self.parse_word()?;
            if cmd.words.is_empty() {
                if let Some((name, value)) = split_assignment(&w) {
                    cmd.assigns.push((name, value));
                    continue;
                }
            }
            cmd.words.push(w);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            return Err(match self.peek() {
                None => eof_error(),
                Some(c) => self.unexpected_at(c),
            });
        }
        Ok(cmd)
    }

    fn parse_word(&mut self) -> Result<Word, ParseError> {
        match self.parse_word_opt()? {
            Some(w) => Ok(w),
            None => Err(match self.peek() {
                None => eof_error(),
                Some(c) => self.unexpected_at(c),
            }),
        }
    }

    /// A word at the cursor, or `None` at a metacharacter.
    fn parse_word_opt(&mut self) -> Result<Option<Word>, ParseError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n) => {
                            flush(&mut lit, &mut parts);
                            self.pos += 1;
                            push_quoted(&mut parts, n.to_string());
                        }
                        None => {
                            return Err(ParseError {
                                message: "syntax error: unexpected end of file".into(),
                                incomplete: true,
                            })
                        }
                    }
                }
                '\'' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    let s = self.read_single()?;
                    push_quoted(&mut parts, s);
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    let inner = self.read_double()?;
                    parts.push(Part::Double(inner));
                }
                '$' => {
                    if self.peek_at(1) == Some('\'') {
                        flush(&mut lit, &mut parts);
                        self.pos += 2;
                        let s = self.read_ansi_c()?;
                        push_quoted(&mut parts, s);
                    } else if self.peek_at(1) == Some('"') {
                        // locale translation: same as "…"
                        flush(&mut lit, &mut parts);
                        self.pos += 2;
                        let inner = self.read_double()?;
                        parts.push(Part::Double(inner));
                    } else {
                        match self.read_dollar()? {
                            Some(p) => {
                                flush(&mut lit, &mut parts);
                                parts.push(p);
                            }
                            None => lit.push('$'),
                        }
                    }
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    parts.push(self.read_backquote()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        if self.pos == start {
            return Ok(None);
        }
        Ok(Some(Word(parts)))
    }

    fn read_single(&mut self) -> Result<String, ParseError> {
        let mut s = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(ParseError {
                        message: "unexpected EOF while looking for matching `''".into(),
                        incomplete: true,
                    })
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn read_ansi_c(&mut self) -> Result<String, ParseError> {
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `''".into(),
                    incomplete: true,
                });
            };
            self.pos += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        '\\' => s.push('\\'),
                        '\'' => s.push('\''),
                        '"' => s.push('"'),
                        '?' => s.push('?'),
                        'x' | 'u' | 'U' => {
                            let max = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut hex = String::new();
                            while hex.len() < max {
                                match self.peek() {
                                    Some(h) if h.is_ascii_hexdigit() => {
                                        hex.push(h);
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) => s.push(ch),
                                None => {
                                    s.push('\\');
                                    s.push(e);
                                    s.push_str(&hex);
                                }
                            }
                        }
                        d @ '0'..='7' => {
                            let mut v = d as u32 - '0' as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(o @ '0'..='7') => {
                                        v = v * 8 + (o as u32 - '0' as u32);
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            s.push(char::from_u32(v & 0xff).unwrap_or('?'));
                        }
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                other => s.push(other),
            }
        }
    }

    /// The inside of `"…"` (the opening quote consumed).
    fn read_double(&mut self) -> Result<Vec<Part>, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `\"'".into(),
                    incomplete: true,
                });
            };
            match c {
                '"' => {
                    self.pos += 1;
                    flush(&mut lit, &mut parts);
                    return Ok(parts);
                }
                other => self.expanding_char(other, "$`\"\\", &mut lit, &mut parts)?,
            }
        }
    }

    /// One character (at `pos`) where `$` and backquotes expand, as inside `"…"` and in an
    /// unquoted here-document: `\` escapes only the characters in `escapable` and joins lines.
    fn expanding_char(
        &mut self,
        c: char,
        escapable: &str,
        lit: &mut String,
        parts: &mut Vec<Part>,
    ) -> Result<(), ParseError> {
        match c {
            '\\' => {
                self.pos += 1;
                match self.peek() {
                    Some('\n') => self.pos += 1,
                    Some(n) if escapable.contains(n) => {
                        lit.push(n);
                        self.pos += 1;
                    }
                    _ => lit.push('\\'),
                }
            }
            '$' => match self.read_dollar()? {
                Some(p) => {
                    flush(lit, parts);
                    parts.push(p);
                }
                None => lit.push('$'),
            },
            '`' => {
                self.pos += 1;
                flush(lit, parts);
                parts.push(self.read_backquote()?);
            }
            other => {
                lit.push(other);
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// `$…` at the cursor; `None` (nothing consumed but the `$`… no: nothing consumed) when the
    /// `$` is literal.
    fn read_dollar(&mut self) -> Result<Option<Part>, ParseError> {
        match self.peek_at(1) {
            Some('(') if self.peek_at(2) == Some('(') => {
                self.pos += 3;
                let w = self.read_arith()?;
                Ok(Some(Part::Arith(w)))
            }
            Some('(') => {
                self.pos += 2;
                self.enter()?;
                let list = self.parse_list(&[], true)?;
                self.depth -= 1;
                self.skip_blanks();
                match self.peek() {
                    Some(')') => {
                        self.pos += 1;
                        Ok(Some(Part::Subst(Box::new(list))))
                    }
                    None => Err(ParseError {
                        message: "unexpected EOF while looking for matching `)'".into(),
                        incomplete: true,
                    }),
                    Some(c) => Err(self.unexpected_at(c)),
                }
            }
            Some('{') => {
                self.pos += 2;
                self.read_brace_param().map(Some)
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                self.pos += 1;
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c == '_' || c.is_ascii_alphanumeric() {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let name: String = self.s[start..self.pos].iter().collect();
                Ok(Some(Part::Param(Box::new(Param {
                    name,
                    op: ParamOp::Plain,
                }))))
            }
            Some(c) if c.is_ascii_digit() || "?$#@*!-".contains(c) => {
                self.pos += 2;
                Ok(Some(Part::Param(Box::new(Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                }))))
            }
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }

    /// `${…}` after the `${`.
    fn read_brace_param(&mut self) -> Result<Part, ParseError> {
        let bad = |p: &Parser, from: usize| -> ParseError {
            let mut end = from;
            while end < p.s.len() && p.s[end] != '}' {
                end += 1;
            }
            let text: String = p.s[from.saturating_sub(2)..(end + 1).min(p.s.len())]
                .iter()
                .collect();
            syntax(format!("{text}: bad substitution"))
        };
        let open = self.pos;
        let mut length = false;
        if self.peek() == Some('#') && self.peek_at(1) != Some('}') {
            length = true;
            self.pos += 1;
        }
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_digit() || "?$#@*!-".contains(c) => self.pos += 1,
            _ => {
                while let Some(c) = self.peek() {
                    if c == '_' || c.is_ascii_alphanumeric() {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        let name: String = self.s[start..self.pos].iter().collect();
        if name.is_empty() {
            if self.peek().is_none() {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `}'".into(),
                    incomplete: true,
                });
            }
            return Err(bad(self, open));
        }
        if length {
            if self.peek() != Some('}') {
                return Err(bad(self, open));
            }
            self.pos += 1;
            return Ok(Part::Param(Box::new(Param {
                name,
                op: ParamOp::Length,
            })));
        }
        let op_char = match self.peek() {
            Some('}') => {
                self.pos += 1;
                return Ok(Part::Param(Box::new(Param {
                    name,
                    op: ParamOp::Plain,
                })));
            }
            None => {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `}'".into(),
                    incomplete: true,
                })
            }
            Some(c) => c,
        };
        let (colon, op) = if op_char == ':' {
            match self.peek_at(1) {
                Some(c @ ('-' | '=' | '+' | '?')) => {
                    self.pos += 2;
                    (true, c)
                }
                _ => return Err(bad(self, open)),
            }
        } else if "-=+?".contains(op_char) {
            self.pos += 1;
            (false, op_char)
        } else if op_char == '#' || op_char == '%' {
            self.pos += 1;
            let double = self.peek() == Some(op_char);
            if double {
                self.pos += 1;
            }
            (double, op_char)
        } else {
            return Err(bad(self, open));
        };
        let word = self.read_param_word()?;
        let op = match op {
            '-' => ParamOp::Default(colon, word),
            '=' => ParamOp::Assign(colon, word),
            '+' => ParamOp::Alternate(colon, word),
            '?' => ParamOp::Error(colon, word),
            '#' => ParamOp::TrimPrefix(colon, word),
            _ => ParamOp::TrimSuffix(colon, word),
        };
        Ok(Part::Param(Box::new(Param { name, op })))
    }

    /// The word inside `${x:-…}` up to the closing brace.
    fn read_param_word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `}'".into(),
                    incomplete: true,
                });
            };
            match c {
                '}' => {
                    self.pos += 1;
                    flush(&mut lit, &mut parts);
                    return Ok(Word(parts));
                }
                '\\' => {
                    self.pos += 1;
                    if let Some(n) = self.peek() {
                        self.pos += 1;
                        flush(&mut lit, &mut parts);
                        push_quoted(&mut parts, n.to_string());
                    }
                }
                '\'' => {
                    self.pos += 1;
                    flush(&mut lit, &mut parts);
                    let s = self.read_single()?;
                    push_quoted(&mut parts, s);
                }
                '"' => {
                    self.pos += 1;
                    flush(&mut lit, &mut parts);
                    let inner = self.read_double()?;
                    parts.push(Part::Double(inner));
                }
                '$' => match self.read_dollar()? {
                    Some(p) => {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    }
                    None => lit.push('$'),
                },
                '`' => {
                    self.pos += 1;
                    flush(&mut lit, &mut parts);
                    parts.push(self.read_backquote()?);
                }
                other => {
                    lit.push(other);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$((…))` after the `$((`: the expression with its expansions, up to `))`.
    fn read_arith(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching `))'".into(),
                    incomplete: true,
                });
            };
            match c {
                ')' if depth == 0 => {
                    if self.peek_at(1) == Some(')') {
                        self.pos += 2;
                        flush(&mut lit, &mut parts);
                        return Ok(Word(parts));
                    }
                    return Err(syntax("syntax error near unexpected token `)'".into()));
                }
                ')' => {
                    depth -= 1;
                    lit.push(c);
                    self.pos += 1;
                }
                '(' => {
                    depth += 1;
                    lit.push(c);
                    self.pos += 1;
                }
                '$' => match self.read_dollar()? {
                    Some(p) => {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    }
                    None => lit.push('$'),
                },
                other => {
                    lit.push(other);
                    self.pos += 1;
                }
            }
        }
    }

    /// `` `…` `` after the opening backquote.
    fn read_backquote(&mut self) -> Result<Part, ParseError> {
        let mut inner = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    message: "unexpected EOF while looking for matching ``'".into(),
                    incomplete: true,
                });
            };
            self.pos += 1;
            match c {
                '`' => break,
                '\\' => match self.peek() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        inner.push(n);
                        self.pos += 1;
                    }
                    _ => inner.push('\\'),
                },
                other => inner.push(other),
            }
        }
        self.enter()?;
        let mut sub = Parser {
            s: inner.chars().collect(),
            pos: 0,
            pending: Vec::new(),
            heredocs: Vec::new(),
            depth: self.depth,
        };
        let list = sub.parse_list(&[], false)?;
        sub.skip_blanks();
        if let Some(c) = sub.peek() {
            return Err(sub.unexpected_at(c));
        }
        if !sub.heredocs.is_empty() || !sub.pending.is_empty() {
            return Err(syntax(
                "chartlab: here-documents inside backquotes are not supported".into(),
            ));
        }
        self.depth -= 1;
        Ok(Part::Subst(Box::new(list)))
    }
}

fn push_redir(cmd: &mut Command, r: Redir) {
    match cmd {
        Command::Simple(s) => s.redirs.push(r),
        Command::Subshell(_, rs)
        | Command::Group(_, rs)
        | Command::If { redirs: rs, .. }
        | Command::For { redirs: rs, .. }
        | Command::While { redirs: rs, .. } => rs.push(r),
    }
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

fn push_quoted(parts: &mut Vec<Part>, s: String) {
    if let Some(Part::Quoted(prev)) = parts.last_mut() {
        prev.push_str(&s);
    } else {
        parts.push(Part::Quoted(s));
    }
}

/// The text of a word with its quotes removed and nothing expanded (here-document delimiters).
pub fn literal_text(w: &Word) -> String {
    fn go(parts: &[Part], out: &mut String) {
        for p in parts {
            match p {
                Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                Part::Double(inner) => go(inner, out),
                Part::Param(p) => {
                    out.push('$');
                    out.push_str(&p.name);
                }
                Part::Subst(_) | Part::Arith(_) => {}
            }
        }
    }
    let mut s = String::new();
    go(&w.0, &mut s);
    s
}

/// `NAME=value` at the start of a word: the name and the value's parts.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.0[1..].iter().cloned());
    Some((name.to_string(), Word(parts)))
}

/// The parts of an unquoted here-document body: `$` expansions and backquotes, `\` escaping
/// only `$`, `` ` ``, `\` and newline.
fn heredoc_parts(body: &str) -> Result<Vec<Part>, ParseError> {
    let mut p = Parser {
        s: body.chars().collect(),
        pos: 0,
        pending: Vec::new(),
        heredocs: Vec::new(),
        depth: 0,
    };
    let mut parts = Vec::new();
    let mut lit = String::new();
    while let Some(c) = p.peek() {
        p.expanding_char(c, "$`\\", &mut lit, &mut parts)?;
    }
    flush(&mut lit, &mut parts);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Part {
        Part::Lit(s.into())
    }

    fn simple(src: &str) -> SimpleCommand {
        let s = parse(src).unwrap();
        match &s.list.0[0].first.cmds[0] {
            Command::Simple(c) => c.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn words_quotes_and_assignments() {
        let c = simple("REPO_NAME=k8s-summit-2024");
        assert_eq!(c.assigns[0].0, "REPO_NAME");
        assert_eq!(c.assigns[0].1, Word(vec![lit("k8s-summit-2024")]));
        let c = simple(r#"echo 'a b' "c $X d" e\ f"#);
        assert_eq!(c.words.len(), 4);
        assert_eq!(c.words[1], Word(vec![Part::Quoted("a b".into())]));
        assert_eq!(
            c.words[2],
            Word(vec![Part::Double(vec![
                lit("c "),
                Part::Param(Box::new(Param {
                    name: "X".into(),
                    op: ParamOp::Plain
                })),
                lit(" d")
            ])])
        );
        assert_eq!(
            c.words[3],
            Word(vec![lit("e"), Part::Quoted(" ".into()), lit("f")])
        );
    }

    #[test]
    fn workshop_lines_parse() {
        let src = r#"export POD_NAME=$(kubectl get pods --namespace default -l "app.kubernetes.io/name=myapi,app.kubernetes.io/instance=myapi-release" -o jsonpath="{.items[0].metadata.name}")"#;
        let c = simple(src);
        assert_eq!(c.words.len(), 2);
        assert!(matches!(c.words[1].0[1], Part::Subst(_)));
        let s = parse(r#"kubectl get secret sh.helm.release.v1.myapi-release.v2 -o jsonpath="{.data.release}" | base64 --decode | base64 --decode | gunzip | jq -r .manifest"#).unwrap();
        assert_eq!(s.list.0[0].first.cmds.len(), 5);
    }

    #[test]
    fn operators_and_compounds() {
        let s = parse("a && b || c; d &\n e | f").unwrap();
        assert_eq!(s.list.0.len(), 3);
        assert_eq!(s.list.0[0].rest.len(), 2);
        assert!(s.list.0[1].background);
        let s = parse("for i in 1 2 3; do echo $i; done").unwrap();
        assert!(matches!(&s.list.0[0].first.cmds[0], Command::For { var, .. } if var == "i"));
        let s = parse("if true; then echo a; elif false; then echo b; else echo c; fi").unwrap();
        assert!(
            matches!(&s.list.0[0].first.cmds[0], Command::If { branches, otherwise: Some(_), .. } if branches.len() == 2)
        );
        let s = parse("cat <<EOF > f\nhello $X\nEOF\necho done").unwrap();
        assert_eq!(s.heredocs.len(), 1);
        assert_eq!(s.list.0.len(), 2);
        let s = parse("cat <<'EOF'\n$X\nEOF").unwrap();
        assert_eq!(s.heredocs[0].body, Word(vec![Part::Quoted("$X\n".into())]));
        let c = simple("helm get manifest x > m.yaml 2>&1");
        assert_eq!(c.redirs.len(), 2);
        assert_eq!(c.redirs[1].fd, Some(2));
        assert_eq!(c.redirs[1].op, RedirOp::Dup);
    }

    #[test]
    fn errors_like_bash() {
        assert_eq!(
            parse("echo 'abc").unwrap_err(),
            ParseError {
                message: "unexpected EOF while looking for matching `''".into(),
                incomplete: true
            }
        );
        assert!(parse("echo a |").unwrap_err().incomplete);
        assert!(parse("if true; then").unwrap_err().incomplete);
        assert_eq!(
            parse("echo a ;; b").unwrap_err().message,
            "syntax error near unexpected token `;;'"
        );
        assert_eq!(
            parse(") x").unwrap_err().message,
            "syntax error near unexpected token `)'"
        );
        assert_eq!(
            parse("| x").unwrap_err().message,
            "syntax error near unexpected token `|'"
        );
        assert_eq!(
            parse("echo ${a b}").unwrap_err().message,
            "${a b}: bad substitution"
        );
        assert!(parse("case x in esac")
            .unwrap_err()
            .message
            .contains("not supported"));
        // comments
        assert_eq!(parse("# just a comment").unwrap().list.0.len(), 0);
        assert_eq!(simple("echo a # b").words.len(), 2);
        assert_eq!(simple("echo a#b").words.len(), 2);
    }
}
