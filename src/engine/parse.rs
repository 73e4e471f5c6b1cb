//! The template parser (Go's text/template/parse/parse.go): items → trees, `define`/`block`,
//! variable scoping checks, Go's exact parse error texts.

// Error is the public, detailed error type; parsing is not a hot path.
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::rc::Rc;

use super::ast::*;
use super::error::{Error, Location};
use super::lex::{lex, Item, ItemType};
use super::value::Str;

/// Go's maxStackDepth for nested parenthesized expressions.
const MAX_STACK_DEPTH: usize = 10_000;
/// Go's maxPipelineCmds.
const MAX_PIPELINE_CMDS: usize = 100_000;

/// Parses `text` as the template `name`. Returns every tree it defines (the top-level one under
/// `name`, plus `{{define}}`/`{{block}}` ones) in definition order, the top-level tree last — as
/// Go's `parse.Parse` builds its tree set. `has_func` answers whether a function name exists.
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> Result<Vec<Tree>, Error> {
    let shared: Rc<str> = Rc::from(text);
    let items = lex(text, !has_func("break"), !has_func("continue"));
    let parse_name: Str = Str::from(name);
    let mut p = Parser {
        items,
        idx: 0,
        token: Vec::new(),
        vars: vec![Str::from("$")],
        has_func,
        parse_name: parse_name.clone(),
        text: shared.clone(),
        action_line: 0,
        range_depth: 0,
        stack_depth: 0,
        trees: Vec::new(),
        last_line: 1,
    };
    let root = p.parse_top()?;
    let top = Tree {
        name: parse_name.clone(),
        parse_name,
        root,
        text: shared,
    };
    p.add(top)?;
    Ok(p.trees)
}

struct Parser<'a, 'f> {
    items: Vec<Item<'a>>,
    idx: usize,
    /// Pushed-back tokens (Go's three-token lookahead), last is next.
    token: Vec<Item<'a>>,
    vars: Vec<Str>,
    has_func: &'f dyn Fn(&str) -> bool,
    parse_name: Str,
    text: Rc<str>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
    trees: Vec<Tree>,
    /// Line of the most recently lexed token (Go's t.token[0].line in errorf).
    last_line: usize,
}

type PResult<T> = Result<T, Error>;

impl<'a> Parser<'a, '_> {
    fn next(&mut self) -> Item<'a> {
        if let Some(t) = self.token.pop() {
            return t;
        }
        // Go reports parse errors at the line of the most recently lexed token (t.token[0]).
        let it = if self.idx < self.items.len() {
            let t = self.items[self.idx].clone();
            self.idx += 1;
            t
        } else {
            Item {
                typ: ItemType::Eof,
                pos: self.text.len(),
                val: Cow::Borrowed(""),
                line: self.last_line,
            }
        };
        self.last_line = it.line;
        it
    }

    fn backup(&mut self, it: Item<'a>) {
        self.token.push(it);
    }

    fn peek(&mut self) -> Item<'a> {
        let it = self.next();
        self.backup(it.clone());
        it
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let it = self.next();
            if it.typ != ItemType::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let it = self.next_non_space();
        self.backup(it.clone());
        it
    }

    fn errorf(&self, msg: impl Into<String>) -> Error {
        Error::parse(
            Location {
                name: self.parse_name.clone(),
                line: self.last_line,
                col: 0,
                span: (0, 0),
            },
            msg,
        )
    }

    fn error_at(&self, item: &Item<'_>, msg: impl Into<String>) -> Error {
        let mut e = self.errorf(msg);
        e.location.span = (item.pos, item.pos + item.val.len().max(1));
        e.location.col = column(&self.text, item.pos);
        e
    }

    fn unexpected(&self, token: &Item<'_>, context: &str) -> Error {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.error_at(token, format!("{token}{extra}"));
        }
        self.error_at(token, format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != expected {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn add(&mut self, tree: Tree) -> PResult<()> {
        if let Some(i) = self.trees.iter().position(|t| t.name == tree.name) {
            if is_empty_tree(&self.trees[i].root) {
                self.trees[i] = tree;
                return Ok(());
            }
            if !is_empty_tree(&tree.root) {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    crate::engine::printf::quote(&tree.name)
                )));
            }
            return Ok(());
        }
        self.trees.push(tree);
        Ok(())
    }

    /// Top level: like item_list but also handles {{define}}; runs to EOF.
    fn parse_top(&mut self) -> PResult<ListNode> {
        let mut root = ListNode {
            pos: self.peek().pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                let nn = self.next_non_space();
                if nn.typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.backup(nn);
                self.backup(delim);
            }
            let n = self.text_or_action()?;
            match n {
                Node::End(_) | Node::Else(_) => {
                    return Err(self.errorf(format!("unexpected {n}")));
                }
                n => root.nodes.push(n),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let name_tok = self.next_non_space();
        if name_tok.typ != ItemType::String && name_tok.typ != ItemType::RawString {
            return Err(self.unexpected(&name_tok, context));
        }
        let name = unquote(&name_tok.val).map_err(|e| self.error_at(&name_tok, e))?;
        self.expect(ItemType::RightDelim, context)?;
        // A definition starts a new tree: its own variable scope.
        let saved_vars = std::mem::replace(&mut self.vars, vec![Str::from("$")]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if !matches!(end, Node::End(_)) {
            return Err(self.errorf(format!("unexpected {end} in {context}")));
        }
        let tree = Tree {
            name: Str::from(name),
            parse_name: self.parse_name.clone(),
            root: list,
            text: self.text.clone(),
        };
        self.add(tree)
    }

    /// textOrAction* terminated by {{end}} or {{else}}, returned separately.
    fn item_list(&mut self) -> PResult<(ListNode, Node)> {
        let mut list = ListNode {
            pos: self.peek_non_space().pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            let n = self.text_or_action()?;
            match n {
                Node::End(_) | Node::Else(_) => return Ok((list, n)),
                n => list.nodes.push(n),
            }
        }
        Err(self.errorf("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Node> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Node::Text(TextNode {
                pos: token.pos,
                text: Str::from(token.val.as_ref()),
            })),
            ItemType::LeftDelim => {
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    fn action(&mut self) -> PResult<Node> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(token.pos, "{{break}}", true),
            ItemType::Continue => return self.break_control(token.pos, "{{continue}}", false),
            ItemType::Else => return self.else_control(),
            ItemType::End => return self.end_control(),
            ItemType::If => return self.if_control(),
            ItemType::Range => return self.range_control(),
            ItemType::Template => return self.template_control(),
            ItemType::With => return self.with_control(),
            _ => {}
        }
        self.backup(token);
        let token = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Node::Action(ActionNode {
            pos: token.pos,
            pipe,
        }))
    }

    fn break_control(&mut self, pos: usize, what: &str, is_break: bool) -> PResult<Node> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return Err(self.unexpected(&token, what));
        }
        if self.range_depth == 0 {
            return Err(self.errorf(format!("{what} outside {{{{range}}}}")));
        }
        Ok(if is_break {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // declarations or assignments
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let v = self.next_non_space();
            let token_after = self.peek();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, &v.val));
                self.vars.push(Str::from(v.val.as_ref()));
                break;
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, &v.val));
                self.vars.push(Str::from(v.val.as_ref()));
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue 'decls;
                        }
                        _ => return Err(self.errorf("range can only initialize variables")),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else if token_after.typ == ItemType::Space {
                // "$x foo": the stream becomes $x, space, foo (Go's backup3)
                self.backup(token_after);
                self.backup(v);
                break;
            } else {
                self.backup(v);
                break;
            }
        }
        loop {
            let token = self.next_non_space();
            if token.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match token.typ {
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup(token);
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                    if pipe.cmds.len() > MAX_PIPELINE_CMDS {
                        return Err(self.errorf("pipeline too long"));
                    }
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String { .. },
            ) = c.args.first()
            {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        let mark = self.vars.len();
        let r = self.parse_control_inner(context);
        self.vars.truncate(mark);
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<BranchNode> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        match next {
            Node::End(_) => {}
            Node::Else(epos) => {
                if context == "if" && self.peek().typ == ItemType::If {
                    self.next();
                    let nested = self.if_control()?;
                    else_list = Some(ListNode {
                        pos: epos,
                        nodes: vec![nested],
                    });
                } else if context == "with" && self.peek().typ == ItemType::With {
                    self.next();
                    let nested = self.with_control()?;
                    else_list = Some(ListNode {
                        pos: epos,
                        nodes: vec![nested],
                    });
                } else {
                    let (l, next) = self.item_list()?;
                    if !matches!(next, Node::End(_)) {
                        return Err(self.errorf(format!("expected end; found {next}")));
                    }
                    else_list = Some(l);
                }
            }
            _ => unreachable!("item_list ends only at end/else"),
        }
        Ok(BranchNode {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(Box::new(self.parse_control("if")?)))
    }

    fn range_control(&mut self) -> PResult<Node> {
        Ok(Node::Range(Box::new(self.parse_control("range")?)))
    }

    fn with_control(&mut self) -> PResult<Node> {
        Ok(Node::With(Box::new(self.parse_control("with")?)))
    }

    fn end_control(&mut self) -> PResult<Node> {
        let t = self.expect(ItemType::RightDelim, "end")?;
        Ok(Node::End(t.pos))
    }

    fn else_control(&mut self) -> PResult<Node> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Node::Else(peek.pos));
        }
        let t = self.expect(ItemType::RightDelim, "else")?;
        Ok(Node::Else(t.pos))
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec![Str::from("$")]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_range;
        let (list, end) = r?;
        if !matches!(end, Node::End(_)) {
            return Err(self.errorf(format!("unexpected {end} in {context}")));
        }
        let tree = Tree {
            name: Str::from(name.as_str()),
            parse_name: self.parse_name.clone(),
            root: list,
            text: self.text.clone(),
        };
        self.add(tree)?;
        Ok(Node::Template(Box::new(TemplateNode {
            pos: token.pos,
            name: Str::from(name),
            pipe: Some(pipe),
        })))
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let mut pipe = None;
        let nn = self.next_non_space();
        if nn.typ != ItemType::RightDelim {
            self.backup(nn);
            pipe = Some(self.pipeline(context, ItemType::RightDelim)?);
        }
        Ok(Node::Template(Box::new(TemplateNode {
            pos: token.pos,
            name: Str::from(name),
            pipe,
        })))
    }

    fn parse_template_name(&self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => {
                unquote(&token.val).map_err(|e| self.error_at(token, e))
            }
            _ => Err(self.unexpected(token, context)),
        }
    }

    /// operand (space operand)* up to a pipe or the end of the action/parenthesis.
    fn command(&mut self) -> PResult<CommandNode> {
        let mut cmd = CommandNode {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(token),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command"));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<Str> = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(Str::from(&f.val[1..]));
        }
        Ok(Some(match node {
            Arg::Field { idents, .. } => {
                let mut all = idents;
                all.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    idents: all,
                }
            }
            Arg::Variable(v) => {
                let mut all = v.idents;
                all.extend(fields);
                Arg::Variable(VariableNode {
                    pos: chain_pos,
                    idents: all,
                })
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    crate::engine::printf::quote(&node.to_string())
                )));
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                if !(self.has_func)(&token.val) {
                    return Err(self.error_at(
                        &token,
                        format!(
                            "function {} not defined",
                            crate::engine::printf::quote(&token.val)
                        ),
                    ));
                }
                Arg::Identifier {
                    pos: token.pos,
                    name: Str::from(token.val.as_ref()),
                }
            }
            ItemType::Dot => Arg::Dot(token.pos),
            ItemType::Nil => Arg::Nil(token.pos),
            ItemType::Variable => {
                let v = new_variable(token.pos, &token.val);
                if !self.vars.iter().any(|n| **n == *v.idents[0]) {
                    return Err(self.error_at(
                        &token,
                        format!(
                            "undefined variable {}",
                            crate::engine::printf::quote(&v.idents[0])
                        ),
                    ));
                }
                Arg::Variable(v)
            }
            ItemType::Field => Arg::Field {
                pos: token.pos,
                idents: token.val[1..].split('.').map(Str::from).collect(),
            },
            ItemType::Bool => Arg::Bool(token.pos, token.val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let n = new_number(token.pos, &token.val, token.typ)
                    .map_err(|e| self.error_at(&token, e))?;
                Arg::Number(Box::new(n))
            }
            ItemType::LeftParen => {
                if self.stack_depth >= MAX_STACK_DEPTH {
                    return Err(self.errorf("max expression depth exceeded"));
                }
                self.stack_depth += 1;
                let r = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => {
                let text = unquote(&token.val).map_err(|e| self.error_at(&token, e))?;
                Arg::String {
                    pos: token.pos,
                    quoted: Str::from(token.val.as_ref()),
                    text: Str::from(text),
                }
            }
            _ => {
                self.backup(token);
                return Ok(None);
            }
        }))
    }
}

fn new_variable(pos: usize, ident: &str) -> VariableNode {
    VariableNode {
        pos,
        idents: ident.split('.').map(Str::from).collect(),
    }
}

/// Go's column: bytes since the last newline before `pos` (0-based... as ErrorContext prints).
pub(crate) fn column(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    match text[..pos].rfind('\n') {
        None => pos,
        Some(nl) => pos - (nl + 1),
    }
}

/// 1-based line of byte offset `pos`.
pub(crate) fn line_of(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    1 + text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// strconv.Unquote for "…", `…` and '…'.
pub(crate) fn unquote(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    if bytes.len() < 2 {
        return Err("invalid syntax".into());
    }
    let q = bytes[0];
    if q != bytes[bytes.len() - 1] {
        return Err("invalid syntax".into());
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err("invalid syntax".into());
            }
            Ok(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            // Go strings are bytes: `\xff` is one byte even where it is not valid UTF-8.
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let mut chars = 0;
            let mut rest = inner;
            while !rest.is_empty() {
                let (c, tail) = unquote_char(rest, q as char)?;
                match c {
                    UnquotedChar::Char(c) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    UnquotedChar::Byte(b) => out.push(b),
                }
                chars += 1;
                rest = tail;
                if q == b'\'' {
                    if !rest.is_empty() {
                        return Err("invalid syntax".into());
                    }
                    break;
                }
            }
            if q == b'\'' && chars != 1 {
                return Err("invalid syntax".into());
            }
            Ok(super::gostr::from_bytes(&out))
        }
        _ => Err("invalid syntax".into()),
    }
}

pub(crate) enum UnquotedChar {
    Char(char),
    Byte(u8),
}

/// strconv.UnquoteChar.
pub(crate) fn unquote_char(s: &str, quote: char) -> Result<(UnquotedChar, &str), String> {
    let mut chars = s.chars();
    let c = chars.next().ok_or("invalid syntax")?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err("invalid syntax".into());
    }
    if c != '\\' {
        if c == '\n' && quote == '"' {
            return Err("invalid syntax".into());
        }
        return Ok((UnquotedChar::Char(c), chars.as_str()));
    }
    let e = chars.next().ok_or("invalid syntax")?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return Err("invalid syntax".into());
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((UnquotedChar::Char(c), rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            if rest.len() < n || !rest.is_char_boundary(n) {
                return Err("invalid syntax".into());
            }
            let v =
                u32::from_str_radix(&rest[..n], 16).map_err(|_| "invalid syntax".to_string())?;
            if e == 'x' {
                if v < 0x80 {
                    return Ok((UnquotedChar::Char(char::from(v as u8)), &rest[n..]));
                }
                return Ok((UnquotedChar::Byte(v as u8), &rest[n..]));
            }
            let c = char::from_u32(v).ok_or("invalid syntax")?;
            Ok((UnquotedChar::Char(c), &rest[n..]))
        }
        '0'..='7' => {
            if rest.len() < 2 {
                return Err("invalid syntax".into());
            }
            let digits = format!("{e}{}", &rest[..2]);
            let v = u32::from_str_radix(&digits, 8).map_err(|_| "invalid syntax".to_string())?;
            if v > 255 {
                return Err("invalid syntax".into());
            }
            if v < 0x80 {
                return Ok((UnquotedChar::Char(char::from(v as u8)), &rest[2..]));
            }
            Ok((UnquotedChar::Byte(v as u8), &rest[2..]))
        }
        _ => Err("invalid syntax".into()),
    }
}

/// Go's parse.newNumber: classifies a number literal as int/uint/float/complex.
fn new_number(pos: usize, text: &str, typ: ItemType) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex: (0.0, 0.0),
        text: Str::from(text),
    };
    match typ {
        ItemType::CharConstant => {
            let inner = &text[1..];
            let (c, tail) = unquote_char(inner, '\'')?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let r = match c {
                UnquotedChar::Char(c) => c as u32,
                UnquotedChar::Byte(b) => b as u32,
            };
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text).ok_or_else(|| "expected integer".to_string())?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(body) = text.strip_suffix('i') {
        if let Some(f) = parse_float(body) {
            n.is_complex = true;
            n.complex = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                crate::engine::printf::quote(text)
            ));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f && f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.8e19 {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::engine::printf::quote(text)
        ));
    }
    Ok(n)
}

fn simplify_complex(n: &mut NumberNode) {
    let (re, im) = n.complex;
    if im == 0.0 {
        n.is_float = true;
        n.float64 = re;
        if (re as i64) as f64 == re && re.fract() == 0.0 && re.abs() < 9.2e18 {
            n.is_int = true;
            n.int64 = re as i64;
        }
        if re >= 0.0 && (re as u64) as f64 == re && re < 1.8e19 {
            n.is_uint = true;
            n.uint64 = re as u64;
        }
    }
}

/// fmt.Sscan of a complex literal like `1+2i`, `-1.2+4.2i`.
fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    // split at the last sign that is not at position 0 and not after an exponent marker
    let bytes = body.as_bytes();
    let mut split = None;
    for i in (1..bytes.len()).rev() {
        if (bytes[i] == b'+' || bytes[i] == b'-')
            && !matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
        {
            split = Some(i);
            break;
        }
    }
    let i = split?;
    let re = parse_float(&body[..i])?;
    let im = parse_float(&body[i..])?;
    Some((re, im))
}

/// Digits with Go's underscore rules (only between digits / after a base prefix).
fn clean_underscores(s: &str, prefixed: bool) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    // Go: underscores must separate digits (or follow the base prefix).
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev_ok = i > 0 && (b[i - 1].is_ascii_alphanumeric() || (prefixed && i == 0));
            let next_ok = i + 1 < b.len() && b[i + 1].is_ascii_alphanumeric();
            if !(prev_ok && next_ok) {
                return None;
            }
        }
    }
    Some(s.replace('_', ""))
}

/// strconv.ParseUint(text, 0, 64).
fn parse_uint(text: &str) -> Option<u64> {
    if text.starts_with(['+', '-']) {
        return None;
    }
    parse_magnitude(text)
}

fn parse_magnitude(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    let digits = if prefixed && digits.starts_with('_') {
        clean_underscores(&digits[1..], true)?
    } else {
        clean_underscores(digits, prefixed)?
    };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

/// strconv.ParseInt(text, 0, 64).
fn parse_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.starts_with(['+', '-']) {
        return None;
    }
    let mag = parse_magnitude(body)?;
    if neg {
        if mag > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((mag as i64).wrapping_neg())
        }
    } else if mag > i64::MAX as u64 {
        None
    } else {
        Some(mag as i64)
    }
}

/// strconv.ParseFloat(text, 64) for Go literal syntax (decimal, hex floats, underscores).
fn parse_float(text: &str) -> Option<f64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let v = if matches!(lower.as_str(), "inf" | "infinity") {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else if let Some(h) = lower.strip_prefix("0x") {
        let h = clean_underscores(h.strip_prefix('_').unwrap_or(h), true)?;
        let (mant, exp) = match h.split_once('p') {
            Some((m, e)) => (m.to_string(), e.parse::<i32>().ok()?),
            None => {
                if h.contains('.') {
                    return None; // hex float needs an exponent
                }
                (h.clone(), 0)
            }
        };
        let (ip, fp) = mant.split_once('.').unwrap_or((&mant, ""));
        if ip.is_empty() && fp.is_empty() {
            return None;
        }
        let mut v = 0f64;
        for c in ip.chars() {
            v = v * 16.0 + c.to_digit(16)? as f64;
        }
        let mut scale = 1.0 / 16.0;
        for c in fp.chars() {
            v += c.to_digit(16)? as f64 * scale;
            scale /= 16.0;
        }
        v * 2f64.powi(exp)
    } else {
        let cleaned = clean_underscores(body, false)?;
        if cleaned.is_empty()
            || !cleaned
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            || !cleaned.bytes().any(|b| b.is_ascii_digit())
        {
            return None;
        }
        cleaned.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Vec<Tree>, Error> {
        parse("t", text, &|n| {
            matches!(n, "printf" | "len" | "eq" | "index")
        })
    }

    fn err(text: &str) -> String {
        p(text).unwrap_err().to_string()
    }

    #[test]
    fn round_trips_through_display() {
        let trees =
            p("a{{if .X}}b{{else if .Y}}c{{else}}d{{end}}{{range $i, $v := .L}}{{$v}}{{end}}")
                .unwrap();
        assert_eq!(
            trees[0].root.to_string(),
            "a{{if .X}}b{{else}}{{if .Y}}c{{else}}d{{end}}{{end}}{{range $i, $v := .L}}{{$v}}{{end}}"
        );
    }

    #[test]
    fn go_parse_errors() {
        assert_eq!(err("{{.X"), "template: t:1: unclosed action");
        assert_eq!(
            err("{{nope}}"),
            "template: t:1: function \"nope\" not defined"
        );
        assert_eq!(err("{{$x}}"), "template: t:1: undefined variable \"$x\"");
        assert_eq!(err("{{if .X}}"), "template: t:1: unexpected EOF");
        assert_eq!(err("{{end}}"), "template: t:1: unexpected {{end}}");
        assert_eq!(
            err("{{break}}"),
            "template: t:1: {{break}} outside {{range}}"
        );
        assert_eq!(
            err("{{true.X}}"),
            "template: t:1: unexpected . after term \"true\""
        );
        assert_eq!(
            err("{{.X | 3}}"),
            "template: t:1: non executable command in pipeline stage 2"
        );
        assert_eq!(err("{{(1)}}{{)}}"), "template: t:1: unexpected right paren");
        assert_eq!(
            err("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}"),
            "template: t:1: template: multiple definition of template \"a\""
        );
    }

    #[test]
    fn numbers() {
        let trees = p("{{0x10}}{{1e3}}{{'a'}}{{1_000}}").unwrap();
        let s = trees[0].root.to_string();
        assert_eq!(s, "{{0x10}}{{1e3}}{{'a'}}{{1_000}}");
        assert!(err("{{1.E}}").contains("illegal number syntax: \"1.E\""));
    }

    #[test]
    fn variables_in_declarations() {
        assert!(p("{{$x := 1}}{{$x = 2}}{{$x}}").is_ok());
        assert!(p("{{range $i, $e := .L}}{{$i}}{{$e}}{{end}}").is_ok());
        assert!(p("{{with $x := 3}}{{$x}}{{end}}{{$x}}").is_err());
        assert!(p("{{printf \"%d\" $}}").is_ok());
        assert!(p("{{ $x := 1 }}{{ printf \"%d\" $x }}").is_ok());
    }
}
