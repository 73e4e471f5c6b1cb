//! Parse trees (Go's text/template/parse/node.go): nodes, their positions and their `String()`.
//!
//! `Display` of every node is Go's `String()` exactly, because execution errors quote the node
//! (`executing "t" at <.Values.a.b>: …`).

use std::fmt::{self, Write};
use std::rc::Rc;

use super::value::Str;

/// A parsed template: its root list, the name it is defined under, and the source it came from
/// (the file's text and its name, for error positions).
#[derive(Debug)]
pub struct Tree {
    pub name: Str,
    /// The name of the top-level template being parsed (the file), for error locations.
    pub parse_name: Str,
    pub root: ListNode,
    /// The whole text that was parsed (shared by all templates defined in one file).
    pub text: Rc<str>,
}

#[derive(Debug, Clone)]
pub struct ListNode {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Text(TextNode),
    Action(ActionNode),
    If(Box<BranchNode>),
    Range(Box<BranchNode>),
    With(Box<BranchNode>),
    Template(Box<TemplateNode>),
    Break(usize),
    Continue(usize),
    /// Only appears while parsing (`{{end}}` / `{{else}}` terminate item lists).
    End(usize),
    Else(usize),
    List(ListNode),
}

#[derive(Debug, Clone)]
pub struct TextNode {
    pub pos: usize,
    pub text: Str,
}

#[derive(Debug, Clone)]
pub struct ActionNode {
    pub pos: usize,
    pub pipe: PipeNode,
}

#[derive(Debug, Clone)]
pub struct BranchNode {
    pub pos: usize,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

#[derive(Debug, Clone)]
pub struct TemplateNode {
    pub pos: usize,
    pub name: Str,
    pub pipe: Option<PipeNode>,
}

#[derive(Debug, Clone)]
pub struct PipeNode {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Vec<CommandNode>,
}

#[derive(Debug, Clone)]
pub struct VariableNode {
    pub pos: usize,
    /// `$x.A.B` → ["$x", "A", "B"].
    pub idents: Vec<Str>,
}

#[derive(Debug, Clone)]
pub struct CommandNode {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// An operand of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    /// `.A.B` → ["A", "B"].
    Field {
        pos: usize,
        idents: Vec<Str>,
    },
    /// `(pipe).A.B`, `fn.A`.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<Str>,
    },
    Variable(VariableNode),
    Identifier {
        pos: usize,
        name: Str,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(Box<NumberNode>),
    /// `quoted` is the original text with quotes, `text` the unquoted value.
    String {
        pos: usize,
        quoted: Str,
        text: Str,
    },
    Pipe(Box<PipeNode>),
}

#[derive(Debug, Clone)]
pub struct NumberNode {
    pub pos: usize,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub complex: (f64, f64),
    pub text: Str,
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Node {
    pub fn pos(&self) -> usize {
        match self {
            Node::Text(t) => t.pos,
            Node::Action(a) => a.pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Template(t) => t.pos,
            Node::Break(p) | Node::Continue(p) | Node::End(p) | Node::Else(p) => *p,
            Node::List(l) => l.pos,
        }
    }
}

/// Go's IsEmptyTree: nothing but whitespace text (and comments).
pub fn is_empty_tree(list: &ListNode) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text.trim_matches(|c: char| c.is_whitespace()).is_empty(),
        Node::List(l) => is_empty_tree(l),
        _ => false,
    })
}

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) => f.write_str(&t.text),
            Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template(t) => write!(f, "{t}"),
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
            Node::End(_) => f.write_str("{{end}}"),
            Node::Else(_) => f.write_str("{{else}}"),
            Node::List(l) => write!(f, "{l}"),
        }
    }
}

impl fmt::Display for TemplateNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::engine::printf::quote(&self.name);
        match &self.pipe {
            None => write!(f, "{{{{template {name}}}}}"),
            Some(p) => write!(f, "{{{{template {name} {p}}}}}"),
        }
    }
}

fn write_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &BranchNode) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

impl fmt::Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for VariableNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.idents.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            f.write_str(id)?;
        }
        Ok(())
    }
}

impl fmt::Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for id in idents {
                    f.write_char('.')?;
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for id in fields {
                    f.write_char('.')?;
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot(_) => f.write_char('.'),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => f.write_str(if *b { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}
