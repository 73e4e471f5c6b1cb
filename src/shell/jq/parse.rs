//! jq's language (jq 1.7 grammar, `src/parser.y`): pipes, `,`, `//`, `as $x`, `reduce`,
//! `foreach`, `if`, `try`/`catch`, `def`, paths (`.a.b`, `.[0]`, `.[]`, `.[1:2]`, `?`),
//! array and object construction, string interpolation and `@format`s, arithmetic,
//! comparison and boolean operators, and the assignment operators.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Identity,
    /// `..`
    Recurse,
    Literal(Value),
    /// A string with `\(…)` parts (and the format it is applied with).
    Str(Vec<StrPart>, Option<String>),
    /// `@base64` etc. applied to `.`
    Format(String),
    /// `base.name` / `base["name"]` / `base[e]`
    Index(Box<Expr>, Box<Expr>),
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `base[]`
    Iterate(Box<Expr>),
    /// `e?`
    Try(Box<Expr>, Option<Box<Expr>>),
    Array(Option<Box<Expr>>),
    Object(Vec<(ObjKey, Option<Expr>)>),
    Neg(Box<Expr>),
    Pipe(Box<Expr>, Box<Expr>),
    Comma(Box<Expr>, Box<Expr>),
    Alt(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `path |= f`, `path = v`, `path += v`, `path //= v`
    Assign(AssignOp, Box<Expr>, Box<Expr>),
    If(Vec<(Expr, Expr)>, Option<Box<Expr>>),
    /// `source as $pattern | body`
    As(Box<Expr>, Pattern, Box<Expr>),
    Reduce(Box<Expr>, Pattern, Box<Expr>, Box<Expr>),
    Foreach(Box<Expr>, Pattern, Box<Expr>, Box<Expr>, Option<Box<Expr>>),
    Var(String),
    Call(String, Vec<Expr>),
    /// `def name(params): body; rest`
    Def(Box<FuncDef>, Box<Expr>),
    /// `label $name | body`
    Label(String, Box<Expr>),
    Break(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FuncDef {
    pub name: String,
    pub params: Vec<String>,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Lit(String),
    Interp(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjKey {
    /// `a:` or `"a":` (a literal key)
    Name(String),
    /// `$x` shorthand or `$x: v`
    Var(String),
    /// `"\(…)":` or `(e):`
    Expr(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Update,
    Set,
    Arith(BinOp),
    Alt,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    Var(String),
    Array(Vec<Pattern>),
    Object(Vec<(ObjKey, Option<Pattern>)>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Dot,
    DotDot,
    /// `.name` / `."name"` is parsed from Dot + Ident/Str
    Ident(String),
    Field(String),
    Var(String),
    Format(String),
    Num(f64),
    /// a string literal: parts
    Str(Vec<StrPart>),
    Op(&'static str),
    Kw(&'static str),
    Eof,
}

const KEYWORDS: &[&str] = &[
    "def", "as", "if", "then", "elif", "else", "end", "and", "or", "reduce", "foreach", "try",
    "catch", "label", "import", "include", "__loc__",
];

struct Lexer<'a> {
    s: &'a [char],
    pos: usize,
    depth: usize,
}

fn syntax_err(what: &str) -> String {
    format!("syntax error, {what}")
}

impl Lexer<'_> {
    fn tokens(&mut self) -> Result<Vec<Tok>, String> {
        let mut out = Vec::new();
        loop {
            let t = self.next()?;
            let end = t == Tok::Eof;
            out.push(t);
            if end {
                return Ok(out);
            }
            if out.len() > 100_000 {
                return Err("program too long".into());
            }
        }
    }

    fn next(&mut self) -> Result<Tok, String> {
        // whitespace and comments
        loop {
            match self.s.get(self.pos) {
                Some(c) if c.is_whitespace() => self.pos += 1,
                Some('#') => {
                    while let Some(c) = self.s.get(self.pos) {
                        if *c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(&c) = self.s.get(self.pos) else {
            return Ok(Tok::Eof);
        };
        let rest: String = self.s[self.pos..].iter().take(3).collect();
        const OPS: &[&str] = &[
            "?//=", "?//", "|=", "+=", "-=", "*=", "/=", "%=", "//=", "==", "!=", "<=", ">=", "//",
            "|", ",", "+", "-", "*", "/", "%", "=", "<", ">", "(", ")", "[", "]", "{", "}", ":",
            ";", "?",
        ];
        if c == '.' {
            if self.s.get(self.pos + 1) == Some(&'.') {
                self.pos += 2;
                return Ok(Tok::DotDot);
            }
            // `.name`
            if let Some(&n) = self.s.get(self.pos + 1) {
                if n == '_' || n.is_ascii_alphabetic() {
                    self.pos += 1;
                    let name = self.ident();
                    return Ok(Tok::Field(name));
                }
            }
            self.pos += 1;
            return Ok(Tok::Dot);
        }
        if c == '$' {
            self.pos += 1;
            if self.s[self.pos..].starts_with(&['_', '_', 'l', 'o', 'c', '_', '_']) {
                self.pos += 7;
                return Ok(Tok::Var("__loc__".into()));
            }
            let name = self.ident();
            if name.is_empty() {
                return Err(syntax_err("unexpected '$'"));
            }
            return Ok(Tok::Var(name));
        }
        if c == '@' {
            self.pos += 1;
            let name = self.ident();
            return Ok(Tok::Format(name));
        }
        if c == '"' {
            self.pos += 1;
            return self.string().map(Tok::Str);
        }
        if c.is_ascii_digit()
            || (c == '.' && self.s.get(self.pos + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = self.pos;
            while self.pos < self.s.len()
                && (self.s[self.pos].is_ascii_digit() || self.s[self.pos] == '.')
            {
                self.pos += 1;
            }
            if self.pos < self.s.len() && matches!(self.s[self.pos], 'e' | 'E') {
                let save = self.pos;
                self.pos += 1;
                if self.pos < self.s.len() && matches!(self.s[self.pos], '+' | '-') {
                    self.pos += 1;
                }
                if self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                    while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                        self.pos += 1;
                    }
                } else {
                    self.pos = save;
                }
            }
            let t: String = self.s[start..self.pos].iter().collect();
            return t
                .parse::<f64>()
                .map(Tok::Num)
                .map_err(|_| syntax_err(&format!("unexpected INVALID_CHARACTER, expecting $end (Unix shell quoting issues?) at <top-level>, line 1:\n{t}")));
        }
        if c == '_' || c.is_ascii_alphabetic() {
            let mut name = self.ident();
            // module-qualified names `a::b`
            while self.s.get(self.pos) == Some(&':') && self.s.get(self.pos + 1) == Some(&':') {
                self.pos += 2;
                name.push_str("::");
                name.push_str(&self.ident());
            }
            if let Some(k) = KEYWORDS.iter().find(|k| **k == name) {
                return Ok(Tok::Kw(k));
            }
            return Ok(Tok::Ident(name));
        }
        for op in OPS {
            if rest.starts_with(op) {
                self.pos += op.chars().count();
                return Ok(Tok::Op(op));
            }
        }
        Err(syntax_err(&format!(
            "unexpected INVALID_CHARACTER (Unix shell quoting issues?) at <top-level>, line 1:\n{}",
            self.s.iter().collect::<String>()
        )))
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self.pos < self.s.len()
            && (self.s[self.pos] == '_' || self.s[self.pos].is_ascii_alphanumeric())
        {
            self.pos += 1;
        }
        self.s[start..self.pos].iter().collect()
    }

    /// A string literal after the opening quote, with `\(…)` interpolations.
    fn string(&mut self) -> Result<Vec<StrPart>, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(syntax_err("unexpected $end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END (Unix shell quoting issues?)"));
            };
            self.pos += 1;
            match c {
                '"' => {
                    if !lit.is_empty() || parts.is_empty() {
                        parts.push(StrPart::Lit(lit));
                    }
                    return Ok(parts);
                }
                '\\' => {
                    let Some(&e) = self.s.get(self.pos) else {
                        continue;
                    };
                    self.pos += 1;
                    match e {
                        'n' => lit.push('\n'),
                        't' => lit.push('\t'),
                        'r' => lit.push('\r'),
                        'b' => lit.push('\x08'),
                        'f' => lit.push('\x0c'),
                        '\\' => lit.push('\\'),
                        '/' => lit.push('/'),
                        '"' => lit.push('"'),
                        'u' => {
                            let hex: String = self.s[self.pos..].iter().take(4).collect();
                            self.pos += hex.len();
                            let mut cp = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                            if (0xd800..0xdc00).contains(&cp)
                                && self.s.get(self.pos) == Some(&'\\')
                                && self.s.get(self.pos + 1) == Some(&'u')
                            {
                                let lo: String = self.s[self.pos + 2..].iter().take(4).collect();
                                if let Ok(l) = u32::from_str_radix(&lo, 16) {
                                    if (0xdc00..0xe000).contains(&l) {
                                        cp = 0x10000 + ((cp - 0xd800) << 10) + (l - 0xdc00);
                                        self.pos += 6;
                                    }
                                }
                            }
                            lit.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                        }
                        '(' => {
                            if !lit.is_empty() {
                                parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                            }
                            // find the matching paren, lexing nested strings
                            let start = self.pos;
                            let mut depth = 1;
                            while self.pos < self.s.len() {
                                match self.s[self.pos] {
                                    '(' => depth += 1,
                                    ')' => {
                                        depth -= 1;
                                        if depth == 0 {
                                            break;
                                        }
                                    }
                                    '"' => {
                                        self.pos += 1;
                                        self.string()?;
                                        continue;
                                    }
                                    _ => {}
                                }
                                self.pos += 1;
                            }
                            if depth != 0 {
                                return Err(syntax_err("unexpected $end (Unix shell quoting issues?)"));
                            }
                            let inner = &self.s[start..self.pos];
                            self.pos += 1;
                            self.depth += 1;
                            if self.depth > 64 {
                                return Err("string interpolation nested too deeply".into());
                            }
                            let e = parse_chars(inner, self.depth)?;
                            self.depth -= 1;
                            parts.push(StrPart::Interp(e));
                        }
                        other => {
                            return Err(format!(
                                "syntax error, invalid escape at line 1, column {} (while parsing '\"\\{other}\"')",
                                self.pos
                            ))
                        }
                    }
                }
                other => lit.push(other),
            }
        }
    }
}

/// Parses a jq program. Errors read as jq's compile errors (`syntax error, …`).
pub fn parse(src: &str) -> Result<Expr, String> {
    let chars: Vec<char> = src.chars().collect();
    parse_chars(&chars, 0)
}

fn parse_chars(chars: &[char], depth: usize) -> Result<Expr, String> {
    let mut lx = Lexer {
        s: chars,
        pos: 0,
        depth,
    };
    let toks = lx.tokens()?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        src: chars.iter().collect(),
    };
    if p.peek() == &Tok::Eof {
        return Ok(Expr::Identity);
    }
    let e = p.pipe()?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected());
    }
    Ok(e)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
    src: String,
}

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }
    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Kw(k) if *k == kw)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn unexpected(&self) -> String {
        let what = match self.peek() {
            Tok::Eof => "$end".to_string(),
            Tok::Op(o) => format!("'{o}'"),
            Tok::Kw(k) => k.to_string(),
            Tok::Ident(i) => format!("IDENT {i}"),
            Tok::Field(f) => format!("FIELD .{f}"),
            Tok::Var(_) => "'$'".into(),
            Tok::Num(_) => "LITERAL".into(),
            Tok::Str(_) => "QQSTRING_START".into(),
            Tok::Format(f) => format!("FORMAT @{f}"),
            Tok::Dot => "'.'".into(),
            Tok::DotDot => "REC".into(),
        };
        format!(
            "syntax error, unexpected {what} (Unix shell quoting issues?) at <top-level>, line 1:\n{}",
            self.src
        )
    }

    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), String> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("program nested too deeply".into());
        }
        Ok(())
    }

    /// `def …; rest` | `term as $x | body` | `a | b`
    fn pipe(&mut self) -> Result<Expr, String> {
        self.enter()?;
        let r = self.pipe_inner();
        self.depth -= 1;
        r
    }

    fn pipe_inner(&mut self) -> Result<Expr, String> {
        if self.is_kw("def") {
            let def = self.funcdef()?;
            let rest = self.pipe()?;
            return Ok(Expr::Def(Box::new(def), bx(rest)));
        }
        if self.is_kw("label") {
            self.bump();
            let Tok::Var(name) = self.bump() else {
                return Err(self.unexpected());
            };
            self.expect_op("|")?;
            let body = self.pipe()?;
            return Ok(Expr::Label(name, bx(body)));
        }
        let lhs = self.comma()?;
        if self.eat_kw("as") {
            let pat = self.pattern()?;
            self.expect_op("|")?;
            let body = self.pipe()?;
            return Ok(Expr::As(bx(lhs), pat, bx(body)));
        }
        if self.eat_op("|") {
            let rhs = self.pipe()?;
            return Ok(Expr::Pipe(bx(lhs), bx(rhs)));
        }
        Ok(lhs)
    }

    fn funcdef(&mut self) -> Result<FuncDef, String> {
        self.expect_kw("def")?;
        let name = match self.bump() {
            Tok::Ident(n) => n,
            Tok::Kw(k) => k.to_string(),
            _ => return Err(self.unexpected()),
        };
        let mut params = Vec::new();
        if self.eat_op("(") {
            loop {
                match self.bump() {
                    Tok::Ident(n) => params.push(n),
                    Tok::Var(n) => params.push(format!("${n}")),
                    _ => return Err(self.unexpected()),
                }
                if self.eat_op(";") {
                    continue;
                }
                self.expect_op(")")?;
                break;
            }
        }
        self.expect_op(":")?;
        let body = self.pipe()?;
        self.expect_op(";")?;
        Ok(FuncDef { name, params, body })
    }

    fn pattern(&mut self) -> Result<Pattern, String> {
        match self.bump() {
            Tok::Var(n) => Ok(Pattern::Var(n)),
            Tok::Op("[") => {
                let mut items = Vec::new();
                if !self.eat_op("]") {
                    loop {
                        items.push(self.pattern()?);
                        if self.eat_op(",") {
                            continue;
                        }
                        self.expect_op("]")?;
                        break;
                    }
                }
                Ok(Pattern::Array(items))
            }
            Tok::Op("{") => {
                let mut entries = Vec::new();
                loop {
                    let key = match self.bump() {
                        Tok::Var(n) => ObjKey::Var(n),
                        Tok::Ident(n) => ObjKey::Name(n),
                        Tok::Kw(k) => ObjKey::Name(k.to_string()),
                        Tok::Str(parts) => str_key(parts),
                        Tok::Op("(") => {
                            let e = self.pipe()?;
                            self.expect_op(")")?;
                            ObjKey::Expr(e)
                        }
                        _ => return Err(self.unexpected()),
                    };
                    let val = if self.eat_op(":") {
                        Some(self.pattern()?)
                    } else {
                        None
                    };
                    entries.push((key, val));
                    if self.eat_op(",") {
                        continue;
                    }
                    self.expect_op("}")?;
                    break;
                }
                Ok(Pattern::Object(entries))
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected())
            }
        }
    }

    fn comma(&mut self) -> Result<Expr, String> {
        let mut lhs = self.alt()?;
        while self.eat_op(",") {
            let rhs = self.alt()?;
            lhs = Expr::Comma(bx(lhs), bx(rhs));
        }
        Ok(lhs)
    }

    /// `//` is right-associative and binds looser than assignment operators.
    fn alt(&mut self) -> Result<Expr, String> {
        let lhs = self.assign()?;
        if self.eat_op("//") {
            let rhs = self.alt()?;
            return Ok(Expr::Alt(bx(lhs), bx(rhs)));
        }
        Ok(lhs)
    }

    fn assign(&mut self) -> Result<Expr, String> {
        let lhs = self.or()?;
        let op = match self.peek() {
            Tok::Op("|=") => AssignOp::Update,
            Tok::Op("=") => AssignOp::Set,
            Tok::Op("+=") => AssignOp::Arith(BinOp::Add),
            Tok::Op("-=") => AssignOp::Arith(BinOp::Sub),
            Tok::Op("*=") => AssignOp::Arith(BinOp::Mul),
            Tok::Op("/=") => AssignOp::Arith(BinOp::Div),
            Tok::Op("%=") => AssignOp::Arith(BinOp::Mod),
            Tok::Op("//=") => AssignOp::Alt,
            _ => return Ok(lhs),
        };
        self.bump();
        let rhs = self.alt()?;
        Ok(Expr::Assign(op, bx(lhs), bx(rhs)))
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut lhs = self.and()?;
        while self.eat_kw("or") {
            let rhs = self.and()?;
            lhs = Expr::Or(bx(lhs), bx(rhs));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut lhs = self.compare()?;
        while self.eat_kw("and") {
            let rhs = self.compare()?;
            lhs = Expr::And(bx(lhs), bx(rhs));
        }
        Ok(lhs)
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let lhs = self.additive()?;
        let op = match self.peek() {
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            _ => return Ok(lhs),
        };
        self.bump();
        let rhs = self.additive()?;
        Ok(Expr::Bin(op, bx(lhs), bx(rhs)))
    }

    fn additive(&mut self) -> Result<Expr, String> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.bump();
            let rhs = self.multiplicative()?;
            lhs = Expr::Bin(op, bx(lhs), bx(rhs));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                Tok::Op("%") => BinOp::Mod,
                _ => return Ok(lhs),
            };
            self.bump();
            let rhs = self.unary()?;
            if matches!(op, BinOp::Div | BinOp::Mod) {
                if let (Expr::Literal(Value::Number(_)), Expr::Literal(Value::Number(d))) =
                    (&lhs, &rhs)
                {
                    if d.as_f64() == Some(0.0) {
                        return Err(format!(
                            "{} by zero? at <top-level>, line 1:\n{}",
                            if op == BinOp::Div {
                                "Division"
                            } else {
                                "Remainder"
                            },
                            self.src
                        ));
                    }
                }
            }
            lhs = Expr::Bin(op, bx(lhs), bx(rhs));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat_op("-") {
            let e = self.postfix()?;
            return Ok(Expr::Neg(bx(e)));
        }
        self.postfix()
    }

    /// A term with its suffixes: `.a`, `[e]`, `[]`, `[a:b]`, `?`, `as` handled above.
    fn postfix(&mut self) -> Result<Expr, String> {
        let mut e = self.term()?;
        loop {
            match self.peek().clone() {
                Tok::Field(name) => {
                    self.bump();
                    e = Expr::Index(bx(e), bx(Expr::Literal(Value::String(name))));
                }
                Tok::Dot => {
                    // `."name"` or `.[…]` after a term
                    match self.toks.get(self.pos + 1) {
                        Some(Tok::Str(_)) => {
                            self.bump();
                            let Tok::Str(parts) = self.bump() else {
                                return Err(self.unexpected());
                            };
                            e = Expr::Index(bx(e), bx(Expr::Str(parts, None)));
                        }
                        Some(Tok::Op("[")) => {
                            self.bump();
                        }
                        _ => return Ok(e),
                    }
                }
                Tok::Op("[") => {
                    self.bump();
                    e = self.bracket_suffix(e)?;
                }
                Tok::Op("?") => {
                    self.bump();
                    e = Expr::Try(bx(e), None);
                }
                _ => return Ok(e),
            }
        }
    }

    /// After `[` following a term: `]`, `e]`, `e:e]`, `:e]`, `e:]`.
    fn bracket_suffix(&mut self, base: Expr) -> Result<Expr, String> {
        if self.eat_op("]") {
            return Ok(Expr::Iterate(bx(base)));
        }
        if self.eat_op(":") {
            let to = self.pipe()?;
            self.expect_op("]")?;
            return Ok(Expr::Slice(bx(base), None, Some(bx(to))));
        }
        let idx = self.pipe()?;
        if self.eat_op(":") {
            if self.eat_op("]") {
                return Ok(Expr::Slice(bx(base), Some(bx(idx)), None));
            }
            let to = self.pipe()?;
            self.expect_op("]")?;
            return Ok(Expr::Slice(bx(base), Some(bx(idx)), Some(bx(to))));
        }
        self.expect_op("]")?;
        Ok(Expr::Index(bx(base), bx(idx)))
    }

    fn term(&mut self) -> Result<Expr, String> {
        self.enter()?;
        let r = self.term_inner();
        self.depth -= 1;
        r
    }

    fn term_inner(&mut self) -> Result<Expr, String> {
        match self.bump() {
            Tok::Dot => {
                // `.[…]`, `."x"`, or `.`
                match self.peek().clone() {
                    Tok::Op("[") => {
                        self.bump();
                        self.bracket_suffix(Expr::Identity)
                    }
                    Tok::Str(parts) => {
                        self.bump();
                        Ok(Expr::Index(bx(Expr::Identity), bx(Expr::Str(parts, None))))
                    }
                    _ => Ok(Expr::Identity),
                }
            }
            Tok::DotDot => Ok(Expr::Recurse),
            Tok::Field(name) => Ok(Expr::Index(
                bx(Expr::Identity),
                bx(Expr::Literal(Value::String(name))),
            )),
            Tok::Num(n) => Ok(Expr::Literal(num(n))),
            Tok::Str(parts) => Ok(Expr::Str(parts, None)),
            Tok::Format(f) => {
                if let Tok::Str(parts) = self.peek().clone() {
                    self.bump();
                    return Ok(Expr::Str(parts, Some(f)));
                }
                Ok(Expr::Format(f))
            }
            Tok::Var(v) => Ok(Expr::Var(v)),
            Tok::Op("(") => {
                let e = self.pipe()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                if self.eat_op("]") {
                    return Ok(Expr::Array(None));
                }
                let e = self.pipe()?;
                self.expect_op("]")?;
                Ok(Expr::Array(Some(bx(e))))
            }
            Tok::Op("{") => self.object(),
            Tok::Op("-") => {
                let e = self.postfix()?;
                Ok(Expr::Neg(bx(e)))
            }
            Tok::Kw("if") => {
                let mut branches = Vec::new();
                let cond = self.pipe()?;
                self.expect_kw("then")?;
                let body = self.pipe()?;
                branches.push((cond, body));
                let mut otherwise = None;
                loop {
                    if self.eat_kw("elif") {
                        let c = self.pipe()?;
                        self.expect_kw("then")?;
                        let b = self.pipe()?;
                        branches.push((c, b));
                        continue;
                    }
                    if self.eat_kw("else") {
                        otherwise = Some(bx(self.pipe()?));
                    }
                    self.expect_kw("end")?;
                    break;
                }
                Ok(Expr::If(branches, otherwise))
            }
            Tok::Kw("try") => {
                let body = self.postfix()?;
                let catch = if self.eat_kw("catch") {
                    Some(bx(self.postfix()?))
                } else {
                    None
                };
                Ok(Expr::Try(bx(body), catch))
            }
            Tok::Kw("reduce") => {
                let source = self.postfix()?;
                self.expect_kw("as")?;
                let pat = self.pattern()?;
                self.expect_op("(")?;
                let init = self.pipe()?;
                self.expect_op(";")?;
                let update = self.pipe()?;
                self.expect_op(")")?;
                Ok(Expr::Reduce(bx(source), pat, bx(init), bx(update)))
            }
            Tok::Kw("foreach") => {
                let source = self.postfix()?;
                self.expect_kw("as")?;
                let pat = self.pattern()?;
                self.expect_op("(")?;
                let init = self.pipe()?;
                self.expect_op(";")?;
                let update = self.pipe()?;
                let extract = if self.eat_op(";") {
                    Some(bx(self.pipe()?))
                } else {
                    None
                };
                self.expect_op(")")?;
                Ok(Expr::Foreach(
                    bx(source),
                    pat,
                    bx(init),
                    bx(update),
                    extract,
                ))
            }
            Tok::Kw("def") => {
                self.pos -= 1;
                let def = self.funcdef()?;
                let rest = self.pipe()?;
                Ok(Expr::Def(Box::new(def), bx(rest)))
            }
            Tok::Ident(name) => {
                if name == "break" {
                    if let Tok::Var(v) = self.peek().clone() {
                        self.bump();
                        return Ok(Expr::Break(v));
                    }
                }
                let mut args = Vec::new();
                if self.eat_op("(") {
                    loop {
                        args.push(self.pipe()?);
                        if self.eat_op(";") {
                            continue;
                        }
                        self.expect_op(")")?;
                        break;
                    }
                }
                Ok(Expr::Call(name, args))
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected())
            }
        }
    }

    fn object(&mut self) -> Result<Expr, String> {
        let mut entries = Vec::new();
        if self.eat_op("}") {
            return Ok(Expr::Object(entries));
        }
        loop {
            let key = match self.bump() {
                Tok::Var(n) => ObjKey::Var(n),
                Tok::Ident(n) => ObjKey::Name(n),
                Tok::Kw(k) => ObjKey::Name(k.to_string()),
                Tok::Num(_) => {
                    return Err(format!(
                        "syntax error, unexpected LITERAL (Unix shell quoting issues?) at <top-level>, line 1:
{}",
                        self.src
                    ))
                }
                Tok::Str(parts) => str_key(parts),
                Tok::Format(f) => match self.bump() {
                    Tok::Str(parts) => ObjKey::Expr(Expr::Str(parts, Some(f))),
                    _ => return Err(self.unexpected()),
                },
                Tok::Op("(") => {
                    let e = self.pipe()?;
                    self.expect_op(")")?;
                    ObjKey::Expr(e)
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected());
                }
            };
            let val = if self.eat_op(":") {
                Some(self.object_value()?)
            } else {
                None
            };
            entries.push((key, val));
            if self.eat_op(",") {
                continue;
            }
            self.expect_op("}")?;
            break;
        }
        Ok(Expr::Object(entries))
    }

    /// An object value: a pipe-free expression (`a: 1 | 2` is not allowed unparenthesized),
    /// alternatives and `,` excluded.
    fn object_value(&mut self) -> Result<Expr, String> {
        let mut lhs = self.or()?;
        while self.is_op("|") {
            self.bump();
            let rhs = self.or()?;
            lhs = Expr::Pipe(bx(lhs), bx(rhs));
        }
        if self.eat_op("//") {
            let rhs = self.object_value()?;
            return Ok(Expr::Alt(bx(lhs), bx(rhs)));
        }
        Ok(lhs)
    }
}

fn str_key(parts: Vec<StrPart>) -> ObjKey {
    match parts.as_slice() {
        [StrPart::Lit(s)] => ObjKey::Name(s.clone()),
        _ => ObjKey::Expr(Expr::Str(parts, None)),
    }
}

/// A JSON number from an f64 (integers stay integers).
pub fn num(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_common_forms() {
        assert_eq!(parse(".").unwrap(), Expr::Identity);
        assert!(matches!(parse(".manifest").unwrap(), Expr::Index(..)));
        assert!(matches!(
            parse(".items[0].metadata.name").unwrap(),
            Expr::Index(..)
        ));
        assert!(matches!(parse(".a[]").unwrap(), Expr::Iterate(..)));
        assert!(matches!(parse(".a | .b").unwrap(), Expr::Pipe(..)));
        assert!(matches!(
            parse("select(.x == \"y\")").unwrap(),
            Expr::Call(..)
        ));
        assert!(matches!(parse("{a: .b, c}").unwrap(), Expr::Object(..)));
        assert!(matches!(parse("\"x\\(.a)y\"").unwrap(), Expr::Str(..)));
        assert!(matches!(parse(".a += 1").unwrap(), Expr::Assign(..)));
        assert!(matches!(parse(". as [$a, $b] | $a").unwrap(), Expr::As(..)));
        assert!(matches!(
            parse("def f(x): x + 1; f(2)").unwrap(),
            Expr::Def(..)
        ));
        assert!(parse("foo(")
            .unwrap_err()
            .starts_with("syntax error, unexpected $end"));
        assert!(parse("1 / 0").unwrap_err().starts_with("Division by zero?"));
    }
}
