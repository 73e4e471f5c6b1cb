//! Execution of parsed templates (Go's text/template exec.go): walk nodes, evaluate pipelines,
//! call functions with Go's argument rules, report errors at the node Go reports them at.
//!
//! Go tracks "the current node" in its state and every error points there; this executor does the
//! same (`State::node`), so error locations and contexts match Go's byte for byte. Go's
//! `reflect.Value` distinctions that change behaviour are kept in [`Rv`]: an invalid value (what a
//! pipeline yields for nil), a value held in an `interface{}` (map and slice elements), or a
//! concrete value.

use std::any::Any;

use rand_core::RngCore;
use smallvec::SmallVec;

use super::ast::*;
use super::builtins::{self, Builtin};
use super::env::{Env, Timestamp};
use super::error::{Error, ErrorKind, Location};
use super::func::{Func, Signature, Ty};
use super::parse::{column, line_of};
use super::template::{MissingKey, Templates};
use super::value::{types, List, Map, Str, Value};

/// A reflect.Value as the executor sees it.
#[derive(Clone, Debug)]
pub(crate) enum Rv {
    /// The zero reflect.Value (Go prints it as `<no value>`).
    Invalid,
    /// A value of static type `interface{}` (map/slice element), possibly nil.
    Iface(Value),
    /// A value of its own concrete type.
    Val(Value),
}

impl Rv {
    /// evalPipeline's unwrapping of `interface{}` values: nil becomes invalid.
    pub(crate) fn elem(self) -> Rv {
        match self {
            Rv::Iface(Value::Nil) => Rv::Invalid,
            Rv::Iface(v) => Rv::Val(v),
            other => other,
        }
    }
    /// indirectInterface: the concrete value inside, `None` for invalid and nil.
    pub(crate) fn concrete(&self) -> Option<&Value> {
        match self {
            Rv::Invalid | Rv::Iface(Value::Nil) => None,
            Rv::Iface(v) | Rv::Val(v) => Some(v),
        }
    }
    /// Like `to_value`, consuming the Rv.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Rv::Invalid => Value::Nil,
            Rv::Iface(v) | Rv::Val(v) => v,
        }
    }
    /// The value passed to an `interface{}` parameter (nil for invalid).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Rv::Invalid => Value::Nil,
            Rv::Iface(v) | Rv::Val(v) => v.clone(),
        }
    }
    /// reflect's `Type()` as errors print it.
    pub(crate) fn type_name(&self) -> String {
        match self {
            Rv::Invalid => "<nil>".into(),
            Rv::Iface(_) => "interface {}".into(),
            Rv::Val(v) => v.type_name(),
        }
    }
}

/// Counters and context shared by one top-level execution and everything it calls.
pub(crate) struct Shared<'s> {
    pub env: &'s Env,
    pub host: &'s mut dyn Any,
    pub steps: u64,
    /// A structured template error returned by a function (include, tpl), attached as the cause
    /// of the "error calling" error that wraps it.
    pub cause: Option<Error>,
}

impl<'s> Shared<'s> {
    pub(crate) fn new(env: &'s Env, host: &'s mut dyn Any) -> Shared<'s> {
        Shared {
            env,
            host,
            steps: 0,
            cause: None,
        }
    }
}

/// The running executor as a template function sees it: clock, randomness, the template set
/// (for `include`/`tpl`) and the caller's host data.
pub struct CallCtx<'a> {
    ops: &'a mut (dyn CtxOps + 'a),
}

trait CtxOps {
    fn env(&self) -> &Env;
    fn host(&mut self) -> &mut dyn Any;
    fn templates(&self) -> &Templates;
    fn exec(&mut self, set: &Templates, name: &str, data: &Value) -> Result<String, Error>;
    fn set_cause(&mut self, e: Error);
}

impl CallCtx<'_> {
    /// The injected clock's current time.
    pub fn now(&self) -> Timestamp {
        self.ops.env().clock.now()
    }
    /// Runs `f` with the injected random source.
    pub fn with_rng<R>(&mut self, f: impl FnOnce(&mut dyn RngCore) -> R) -> R {
        let rng = self.ops.env().rng.clone();
        let mut rng = rng.borrow_mut();
        f(&mut *rng)
    }
    pub fn env(&self) -> &Env {
        self.ops.env()
    }
    /// The caller's data handed to `Templates::execute_with`, if it is a `T`.
    pub fn host<T: 'static>(&mut self) -> Option<&mut T> {
        self.ops.host().downcast_mut::<T>()
    }
    /// The template set being executed.
    pub fn templates(&self) -> &Templates {
        self.ops.templates()
    }
    /// Executes template `name` of `set` with `data` (Go's `ExecuteTemplate`: fresh variables,
    /// template depth 0), sharing this execution's limits. On error the structured error is kept
    /// as the cause of the "error calling" error this function's failure turns into.
    pub fn execute(&mut self, set: &Templates, name: &str, data: &Value) -> Result<String, Error> {
        self.ops.exec(set, name, data)
    }
    /// Records `e` as the cause of this function's failure (for error locations in the editor).
    pub fn set_cause(&mut self, e: Error) {
        self.ops.set_cause(e)
    }

    /// Runs `f` with a context that has only `env` (for calling functions outside a template,
    /// e.g. in tests).
    pub fn with_env<R>(env: &Env, f: impl FnOnce(&mut CallCtx<'_>) -> R) -> R {
        let mut host = ();
        let set = Templates::new("detached", super::func::FuncMap::new());
        let mut d = Detached {
            env,
            host: &mut host,
            set,
        };
        let mut ctx = CallCtx { ops: &mut d };
        f(&mut ctx)
    }
}

struct Detached<'e> {
    env: &'e Env,
    host: &'e mut dyn Any,
    set: Templates,
}

impl CtxOps for Detached<'_> {
    fn env(&self) -> &Env {
        self.env
    }
    fn host(&mut self) -> &mut dyn Any {
        self.host
    }
    fn templates(&self) -> &Templates {
        &self.set
    }
    fn exec(&mut self, set: &Templates, name: &str, data: &Value) -> Result<String, Error> {
        set.execute(name, data, self.env)
    }
    fn set_cause(&mut self, _e: Error) {}
}

struct Live<'a, 's> {
    set: &'a Templates,
    shared: &'a mut Shared<'s>,
    nesting: usize,
}

impl CtxOps for Live<'_, '_> {
    fn env(&self) -> &Env {
        self.shared.env
    }
    fn host(&mut self) -> &mut dyn Any {
        self.shared.host
    }
    fn templates(&self) -> &Templates {
        self.set
    }
    fn exec(&mut self, set: &Templates, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        match set.execute_into(name, data, self.shared, &mut out, self.nesting + 1) {
            Ok(()) => Ok(out),
            Err(e) => {
                self.shared.cause = Some(e.clone());
                Err(e)
            }
        }
    }
    fn set_cause(&mut self, e: Error) {
        self.shared.cause = Some(e);
    }
}

/// Control flow out of a walk: an error, or Go's break/continue panics.
pub(crate) enum Ctl {
    Err(Box<Error>),
    Break,
    Continue,
}

impl From<Error> for Ctl {
    fn from(e: Error) -> Ctl {
        Ctl::Err(Box::new(e))
    }
}

type R<T> = Result<T, Ctl>;

/// The node errors currently point at (Go's `state.node`).
#[derive(Clone, Copy)]
enum Cur<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a PipeNode),
    Cmd(&'a CommandNode),
    Arg(&'a Arg),
}

struct State<'a, 's> {
    set: &'a Templates,
    tree: &'a Tree,
    shared: &'a mut Shared<'s>,
    out: &'a mut String,
    vars: Vec<(Str, Rv)>,
    node: Cur<'a>,
    depth: usize,
    nesting: usize,
}

thread_local! {
    static DOLLAR: Str = Str::from("$");
}

/// The name of the `$` variable (shared, so a template call allocates no name).
fn dollar() -> Str {
    DOLLAR.with(Str::clone)
}

/// Executes `tree` (a template of `set`) with `data` as dot, appending to `out`.
pub(crate) fn execute_tree(
    set: &Templates,
    tree: &Tree,
    data: &Value,
    shared: &mut Shared<'_>,
    out: &mut String,
    nesting: usize,
) -> Result<(), Error> {
    let dot = Rv::Val(data.clone());
    let mut st = State {
        set,
        tree,
        shared,
        out,
        vars: vec![(dollar(), dot.clone())],
        node: Cur::None,
        depth: 0,
        nesting,
    };
    // A hard ceiling on nested executions beyond Go's own template depth (Limits::max_nesting):
    // every nested template or include uses Rust stack, and a runaway recursion must end with an
    // error, not a crash.
    let max_nesting = st.shared.env.limits.max_nesting;
    if nesting > max_nesting {
        return Err(st.error(format!(
            "exceeded maximum template nesting ({max_nesting}): include or tpl calls itself without end"
        )));
    }
    match st.walk_list(&dot, &tree.root) {
        Ok(()) => Ok(()),
        Err(Ctl::Err(e)) => Err(*e),
        Err(Ctl::Break | Ctl::Continue) => Ok(()),
    }
}

impl<'a, 's> State<'a, 's> {
    fn at(&mut self, c: Cur<'a>) {
        self.node = c;
    }

    /// Go's `s.errorf`: the message with the location and context of the current node.
    fn error(&self, msg: String) -> Error {
        let (pos, context) = match self.node {
            Cur::None => {
                return Error {
                    kind: ErrorKind::Exec,
                    location: Location {
                        name: self.tree.parse_name.clone(),
                        line: 0,
                        col: 0,
                        span: (0, 0),
                    },
                    executing: Some(self.tree.name.clone()),
                    context: None,
                    message: msg,
                    func: None,
                    cause: None,
                    no_node: true,
                }
            }
            Cur::Node(n) => (n.pos(), n.to_string()),
            Cur::Pipe(p) => (p.pos, p.to_string()),
            Cur::Cmd(c) => (c.pos, c.to_string()),
            Cur::Arg(a) => (a.pos(), a.to_string()),
        };
        let text = &self.tree.text;
        let end = (pos + context.len()).min(text.len());
        Error::exec(
            Location {
                name: self.tree.parse_name.clone(),
                line: line_of(text, pos),
                col: column(text, pos),
                span: (pos, end),
            },
            self.tree.name.clone(),
            context,
            msg,
        )
    }

    fn fail<T>(&self, msg: String) -> R<T> {
        Err(Ctl::Err(Box::new(self.error(msg))))
    }

    fn step(&mut self) -> R<()> {
        self.shared.steps += 1;
        let limits = &self.shared.env.limits;
        if self.shared.steps > limits.max_steps {
            return self.fail(format!(
                "ChartLab stopped this template after {} evaluation steps: it looks like an endless loop",
                limits.max_steps
            ));
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> R<()> {
        self.out.push_str(s);
        let max = self.shared.env.limits.max_output;
        if self.out.len() > max {
            return self.fail(format!(
                "ChartLab stopped rendering here: the output passed {max} bytes"
            ));
        }
        Ok(())
    }

    // ---- variables ----

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, value: Rv) -> R<()> {
        for v in self.vars.iter_mut().rev() {
            if &*v.0 == name {
                v.1 = value;
                return Ok(());
            }
        }
        self.fail(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, value: Rv) {
        let len = self.vars.len();
        self.vars[len - n].1 = value;
    }

    fn var_value(&self, name: &str) -> R<Rv> {
        for v in self.vars.iter().rev() {
            if &*v.0 == name {
                return Ok(v.1.clone());
            }
        }
        self.fail(format!("undefined variable: {name}"))
    }

    // ---- walking ----

    fn walk_list(&mut self, dot: &Rv, list: &'a ListNode) -> R<()> {
        for n in &list.nodes {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Rv, node: &'a Node) -> R<()> {
        self.at(Cur::Node(node));
        self.step()?;
        match node {
            Node::Text(t) => self.write(&t.text),
            Node::Action(a) => {
                let val = self.eval_pipeline(dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    self.print_value(node, &val)?;
                }
                Ok(())
            }
            Node::If(b) => self.walk_if_or_with(false, dot, b),
            Node::With(b) => self.walk_if_or_with(true, dot, b),
            Node::Range(b) => self.walk_range(dot, node, b),
            Node::Template(t) => self.walk_template(dot, node, t),
            Node::Break(_) => Err(Ctl::Break),
            Node::Continue(_) => Err(Ctl::Continue),
            Node::List(l) => self.walk_list(dot, l),
            Node::End(_) | Node::Else(_) => self.fail(format!("unknown node: {node}")),
        }
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Rv, b: &'a BranchNode) -> R<()> {
        let mark = self.mark();
        let r = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            let truth = val.concrete().is_some_and(Value::truthy);
            if truth {
                if with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &Rv, node: &'a Node, r: &'a BranchNode) -> R<()> {
        self.at(Cur::Node(node));
        let mark = self.mark();
        let res = self.walk_range_inner(dot, r);
        self.pop(mark);
        match res {
            Err(Ctl::Break) => Ok(()),
            other => other,
        }
    }

    fn range_iteration(&mut self, r: &'a BranchNode, index: Rv, elem: Rv) -> R<()> {
        let mark = self.mark();
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].idents[0], index.clone())?;
                } else {
                    self.set_var(&decl[0].idents[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].idents[0], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        self.step()?;
        let res = self.walk_list(&elem, &r.list);
        self.pop(mark);
        match res {
            Err(Ctl::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_range_inner(&mut self, dot: &Rv, r: &'a BranchNode) -> R<()> {
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let val = match val {
            Rv::Iface(v) => Rv::Val(v),
            v => v,
        };
        match &val {
            Rv::Val(Value::Int(_) | Value::Int64(_) | Value::Uint(_)) => {
                if r.pipe.decl.len() > 1 {
                    return self.fail(format!(
                        "can't use {} to iterate over more than one variable",
                        val.to_value().to_v()
                    ));
                }
                let n: i128 = match val.to_value() {
                    Value::Int(i) | Value::Int64(i) => i as i128,
                    Value::Uint(u) => u as i128,
                    _ => 0,
                };
                if n > 0 {
                    for i in 0..n {
                        let v = match val.to_value() {
                            Value::Int64(_) => Value::Int64(i as i64),
                            Value::Uint(_) => Value::Uint(i as u64),
                            _ => Value::Int(i as i64),
                        };
                        self.range_iteration(r, Rv::Invalid, Rv::Val(v))?;
                    }
                    return Ok(());
                }
            }
            Rv::Val(Value::List(l)) => {
                if !l.is_empty() {
                    let iface = l.ty() == types::LIST || l.elem_ty() == types::IFACE;
                    for i in 0..l.len() {
                        let e = l[i].clone();
                        let elem = if iface { Rv::Iface(e) } else { Rv::Val(e) };
                        self.range_iteration(r, Rv::Val(Value::Int(i as i64)), elem)?;
                    }
                    return Ok(());
                }
            }
            Rv::Val(Value::Bytes(b)) => {
                if !b.is_empty() {
                    for (i, byte) in b.iter().enumerate() {
                        self.range_iteration(
                            r,
                            Rv::Val(Value::Int(i as i64)),
                            Rv::Val(Value::Uint(*byte as u64)),
                        )?;
                    }
                    return Ok(());
                }
            }
            Rv::Val(Value::Map(m)) => {
                if !m.is_empty() {
                    let iface = m.ty() != types::STRING_MAP;
                    for key in m.keys() {
                        // Go looks each value up as it goes (the body may change the map).
                        let v = m.get(&key).unwrap_or(Value::Nil);
                        let elem = if iface { Rv::Iface(v) } else { Rv::Val(v) };
                        self.range_iteration(r, Rv::Val(Value::String(key)), elem)?;
                    }
                    return Ok(());
                }
            }
            Rv::Invalid => {}
            Rv::Val(Value::Object(o)) if o.kind() == super::value::Kind::Map => {
                if let Some(Value::Map(m)) = o.marshal() {
                    if !m.is_empty() {
                        for key in m.keys() {
                            let v = m.get(&key).unwrap_or(Value::Nil);
                            self.range_iteration(r, Rv::Val(Value::String(key)), Rv::Val(v))?;
                        }
                        return Ok(());
                    }
                }
            }
            other => {
                return self.fail(format!(
                    "range can't iterate over {}",
                    other.to_value().to_v()
                ));
            }
        }
        if let Some(e) = &r.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(&mut self, dot: &Rv, node: &'a Node, t: &'a TemplateNode) -> R<()> {
        self.at(Cur::Node(node));
        let Some(tree) = self.set.lookup(&t.name) else {
            return self.fail(format!(
                "template {} not defined",
                super::printf::quote(&t.name)
            ));
        };
        let max = self.shared.env.limits.max_template_depth;
        if self.depth >= max {
            return self.fail(format!("exceeded maximum template depth ({max})"));
        }
        let max_nesting = self.shared.env.limits.max_nesting;
        if self.nesting + self.depth >= max_nesting {
            return self.fail(format!("exceeded maximum template depth ({max_nesting})"));
        }
        let new_dot = match &t.pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Rv::Invalid,
        };
        let mut child = State {
            set: self.set,
            tree: &tree,
            shared: &mut *self.shared,
            out: &mut *self.out,
            vars: vec![(dollar(), new_dot.clone())],
            node: Cur::None,
            depth: self.depth + 1,
            nesting: self.nesting,
        };
        match child.walk_list(&new_dot, &tree.root) {
            Ok(()) | Err(Ctl::Break | Ctl::Continue) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn print_value(&mut self, node: &'a Node, v: &Rv) -> R<()> {
        self.at(Cur::Node(node));
        match v {
            Rv::Invalid => self.write("<no value>"),
            Rv::Iface(Value::Nil) | Rv::Val(Value::Nil) => self.write("<nil>"),
            Rv::Iface(Value::String(s)) | Rv::Val(Value::String(s)) => {
                let s = s.clone();
                self.write(&s)
            }
            Rv::Iface(Value::Object(o)) | Rv::Val(Value::Object(o)) => {
                let mut s = String::new();
                o.write_print(&mut s);
                self.write(&s)
            }
            Rv::Iface(v) | Rv::Val(v) => {
                let mut s = String::new();
                v.write_v(&mut s, false);
                self.write(&s)
            }
        }
    }

    // ---- evaluation ----

    fn eval_pipeline(&mut self, dot: &Rv, pipe: &'a PipeNode) -> R<Rv> {
        self.at(Cur::Pipe(pipe));
        let mut value: Option<Rv> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            value = Some(v.elem());
        }
        let value = value.unwrap_or(Rv::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.idents[0], value.clone())?;
            } else {
                self.vars.push((var.idents[0].clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Rv>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.fail(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Rv, cmd: &'a CommandNode, fin: Option<Rv>) -> R<Rv> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at(Cur::Arg(first));
                return self.eval_field_chain(
                    dot,
                    dot.clone(),
                    first,
                    idents,
                    Some(&cmd.args),
                    fin,
                );
            }
            Arg::Chain { node, fields, .. } => {
                return self.eval_chain(dot, first, node, fields, Some(&cmd.args), fin);
            }
            Arg::Identifier { name, .. } => {
                self.at(Cur::Arg(first));
                return self.eval_function(dot, first, name, Cur::Cmd(cmd), Some(&cmd.args), fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(v) => {
                return self.eval_variable(dot, first, v, Some(&cmd.args), fin);
            }
            _ => {}
        }
        self.at(Cur::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Rv::Val(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.fail("nil is not a command".into()),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
            _ => self.fail(format!(
                "can't evaluate command {}",
                super::printf::quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, node: &'a Arg, n: &NumberNode) -> R<Rv> {
        self.at(Cur::Arg(node));
        let text = &n.text;
        let is_hex_int = text.len() > 2
            && text.starts_with('0')
            && matches!(text.as_bytes()[1], b'x' | b'X')
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_complex {
            return Ok(Rv::Val(Value::Complex(n.complex.0, n.complex.1)));
        }
        if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Rv::Val(Value::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Rv::Val(Value::Int(n.int64)));
        }
        if n.is_uint {
            return self.fail(format!("{text} overflows int"));
        }
        Ok(Rv::Invalid)
    }

    fn eval_chain(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        inner: &'a Arg,
        fields: &'a [Str],
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(Cur::Arg(node));
        if fields.is_empty() {
            return self.fail("internal error: no fields in evalChainNode".into());
        }
        if let Arg::Nil(_) = inner {
            return self.fail(format!("indirection through explicit nil in {node}"));
        }
        let pipe = self.eval_arg(dot, None, inner)?;
        self.eval_field_chain(dot, pipe, node, fields, args, fin)
    }

    fn eval_variable(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        v: &'a VariableNode,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(Cur::Arg(node));
        let value = self.var_value(&v.idents[0])?;
        if v.idents.len() == 1 {
            if let Some(args) = args {
                self.not_a_function(args, &fin)?;
            } else if fin.is_some() {
                return self.fail(format!("can't give argument to non-function {node}"));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &v.idents[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Rv,
        mut receiver: Rv,
        node: &'a Arg,
        idents: &'a [Str],
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            receiver = self.eval_field(dot, id, node, None, None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Rv,
        name: &'a Str,
        node: &'a Arg,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
        receiver: Rv,
    ) -> R<Rv> {
        let value = match receiver {
            Rv::Invalid => {
                if self.set.missing_key() == MissingKey::Error {
                    return self.fail(format!(
                        "nil data; no entry for key {}",
                        super::printf::quote(name)
                    ));
                }
                return Ok(Rv::Invalid);
            }
            Rv::Iface(Value::Nil) => {
                return self.fail(format!("nil pointer evaluating interface {{}}.{name}"));
            }
            Rv::Iface(ref v) | Rv::Val(ref v) => v.clone(),
        };
        let has_args = args.is_some_and(|a| a.len() > 1) || fin.is_some();
        // Methods first (Go looks up methods before fields and map keys).
        match &value {
            Value::Object(o) => {
                if let Some(sig) = o.method(name) {
                    let callable = Callable::Method(sig, o.clone());
                    return self.eval_call(dot, callable, Cur::Arg(node), name, args, fin);
                }
            }
            Value::Map(_) | Value::List(_) => {
                let ty = match &value {
                    Value::Map(m) => m.ty(),
                    Value::List(l) => l.ty(),
                    _ => "",
                };
                if let Some(f) = self.set.inner.methods.get(&(ty, &**name)).cloned() {
                    let callable = Callable::BoundFunc(f, value.clone());
                    return self.eval_call(dot, callable, Cur::Arg(node), name, args, fin);
                }
            }
            _ => {}
        }
        match &value {
            Value::Map(m) => {
                if has_args {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                let iface = m.ty() != types::STRING_MAP;
                match m.get(name) {
                    Some(v) => Ok(if iface { Rv::Iface(v) } else { Rv::Val(v) }),
                    None => match self.set.missing_key() {
                        MissingKey::Invalid => Ok(Rv::Invalid),
                        MissingKey::Zero => Ok(if iface {
                            Rv::Iface(Value::Nil)
                        } else {
                            Rv::Val(Value::str(""))
                        }),
                        MissingKey::Error => self.fail(format!(
                            "map has no entry for key {}",
                            super::printf::quote(name)
                        )),
                    },
                }
            }
            Value::Object(o) => match o.field(name) {
                Some(v) => {
                    if has_args {
                        return self.fail(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    Ok(Rv::Val(v))
                }
                None => self.fail(format!(
                    "can't evaluate field {name} in type {}",
                    receiver.type_name()
                )),
            },
            _ => self.fail(format!(
                "can't evaluate field {name} in type {}",
                receiver.type_name()
            )),
        }
    }

    fn eval_function(
        &mut self,
        dot: &Rv,
        node: &'a Arg,
        name: &'a Str,
        err_at: Cur<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        self.at(Cur::Arg(node));
        if let Some(f) = self.set.funcs().get(name) {
            let f = f.clone();
            return self.eval_call(dot, Callable::Func(f), err_at, name, args, fin);
        }
        if let Some(b) = builtins::lookup(name) {
            return self.eval_call(dot, Callable::Builtin(b), err_at, name, args, fin);
        }
        self.fail(format!(
            "{} is not a defined function",
            super::printf::quote(name)
        ))
    }

    /// Go's evalCall: arity, argument conversion, the and/or/call special cases, the call itself.
    /// A failing call is reported at `err_at` (the command, or the field node of a method).
    fn eval_call(
        &mut self,
        dot: &Rv,
        fun: Callable,
        err_at: Cur<'a>,
        name: &'a Str,
        args: Option<&'a [Arg]>,
        fin: Option<Rv>,
    ) -> R<Rv> {
        let args: &'a [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let sig = fun.signature();
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if sig.variadic.is_some() {
            sig.params.len()
        } else {
            args.len()
        };
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return self.fail(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.params.len(),
                    args.len()
                ));
            }
        } else if num_in != sig.params.len() {
            return self.fail(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                sig.params.len()
            ));
        }

        if let Callable::Builtin(b @ (Builtin::And | Builtin::Or)) = fun {
            let is_or = b == Builtin::Or;
            let mut v = Rv::Invalid;
            for a in args {
                v = self.eval_arg(dot, Some(ArgTy::Reflect), a)?;
                if builtins::truth(&v) == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = self.validate_type(f, Some(ArgTy::Reflect))?;
            }
            return Ok(v);
        }

        // Evaluate the arguments.
        let mut argv: SmallVec<[Rv; 4]> = SmallVec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, Some(fun.arg_ty(i)), &args[i])?);
            i += 1;
        }
        if sig.variadic.is_some() {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(fun.arg_ty(i)), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = if sig.variadic.is_some() && num_in > num_fixed {
                fun.variadic_ty()
            } else {
                fun.arg_ty(num_in - 1)
            };
            argv.push(self.validate_type(f, Some(t))?);
        }

        let result = match &fun {
            Callable::Builtin(Builtin::Call) => {
                let callee_name = match args.first() {
                    Some(a) => a.to_string(),
                    None => argv[0].to_value().to_v(),
                };
                builtins::call(&callee_name, &argv)
            }
            Callable::Builtin(b) => builtins::call_builtin(*b, &argv),
            Callable::Func(f) => {
                let values: SmallVec<[Value; 4]> = argv.into_iter().map(Rv::into_value).collect();
                self.shared.cause = None;
                let mut live = Live {
                    set: self.set,
                    shared: &mut *self.shared,
                    // the stack already used: nested executions plus this one's template depth
                    nesting: self.nesting + self.depth,
                };
                let mut ctx = CallCtx { ops: &mut live };
                (f.imp)(&mut ctx, &values).map(|v| match v {
                    Value::Nil => Rv::Iface(Value::Nil),
                    v => Rv::Val(v),
                })
            }
            Callable::BoundFunc(f, recv) => {
                let mut values: SmallVec<[Value; 4]> = SmallVec::with_capacity(argv.len() + 1);
                values.push(recv.clone());
                values.extend(argv.into_iter().map(Rv::into_value));
                self.shared.cause = None;
                let mut live = Live {
                    set: self.set,
                    shared: &mut *self.shared,
                    // the stack already used: nested executions plus this one's template depth
                    nesting: self.nesting + self.depth,
                };
                let mut ctx = CallCtx { ops: &mut live };
                (f.imp)(&mut ctx, &values).map(Rv::Val)
            }
            Callable::Method(_, obj) => {
                let values: SmallVec<[Value; 4]> = argv.into_iter().map(Rv::into_value).collect();
                obj.call_method(name, &values).map(|v| match v {
                    Value::Nil => Rv::Iface(Value::Nil),
                    v => Rv::Val(v),
                })
            }
        };
        match result {
            Ok(v) => Ok(v),
            Err(msg) => {
                self.at(err_at);
                let mut e = self.error(format!("error calling {name}: {msg}"));
                e.func = Some(name.to_string());
                e.cause = self.shared.cause.take().map(Box::new);
                Err(Ctl::Err(Box::new(e)))
            }
        }
    }

    /// Go's validateType: checks that `value` can be passed as `ty`.
    fn validate_type(&mut self, value: Rv, ty: Option<ArgTy>) -> R<Rv> {
        let ty = match ty {
            None | Some(ArgTy::Reflect) => return Ok(value),
            Some(ArgTy::Go(t)) => t,
        };
        match &value {
            Rv::Invalid => {
                if let Some(zero) = zero_of(ty) {
                    return Ok(Rv::Val(zero));
                }
                self.fail(format!("invalid value; expected {}", ty.go_name()))
            }
            Rv::Iface(Value::Nil) => {
                if ty == Ty::Any {
                    return Ok(value);
                }
                self.fail(format!(
                    "wrong type for value; expected {}; got interface {{}}",
                    ty.go_name()
                ))
            }
            Rv::Iface(v) | Rv::Val(v) => {
                if assignable(v, ty) {
                    // A named type passed as its unnamed underlying type is converted to it
                    // (common.Values → map[string]interface {}), as reflect.Call does.
                    Ok(match (ty, v) {
                        (Ty::Map, Value::Map(m)) if m.ty() != types::MAP => {
                            Rv::Val(Value::Map(m.with_type_shared(types::MAP)))
                        }
                        (Ty::Strings, Value::List(l)) if l.ty() != types::STRINGS => Rv::Val(
                            Value::List(super::value::List::typed(types::STRINGS, l.to_vec())),
                        ),
                        _ => value,
                    })
                } else {
                    self.fail(format!(
                        "wrong type for value; expected {}; got {}",
                        ty.go_name(),
                        v.type_name()
                    ))
                }
            }
        }
    }

    /// Go's evalArg: evaluates an argument node for a parameter of type `ty` (None: untyped).
    fn eval_arg(&mut self, dot: &Rv, ty: Option<ArgTy>, n: &'a Arg) -> R<Rv> {
        self.at(Cur::Arg(n));
        match n {
            Arg::Dot(_) => return self.validate_type(dot.clone(), ty),
            Arg::Nil(_) => {
                return match ty {
                    None | Some(ArgTy::Reflect) => Ok(Rv::Invalid),
                    Some(ArgTy::Go(Ty::Any)) => Ok(Rv::Iface(Value::Nil)),
                    Some(ArgTy::Go(t)) => match zero_of(t) {
                        Some(z) => Ok(Rv::Val(z)),
                        None => self.fail(format!("cannot assign nil to {}", t.go_name())),
                    },
                };
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    idents,
                    Some(std::slice::from_ref(n)),
                    None,
                )?;
                return self.validate_type(v, ty);
            }
            Arg::Variable(v) => {
                let r = self.eval_variable(dot, n, v, None, None)?;
                return self.validate_type(r, ty);
            }
            Arg::Pipe(p) => {
                let r = self.eval_pipeline(dot, p)?;
                return self.validate_type(r, ty);
            }
            Arg::Identifier { name, .. } => {
                let r = self.eval_function(dot, n, name, Cur::Arg(n), None, None)?;
                return self.validate_type(r, ty);
            }
            Arg::Chain { node, fields, .. } => {
                let r = self.eval_chain(dot, n, node, fields, None, None)?;
                return self.validate_type(r, ty);
            }
            _ => {}
        }
        let t = match ty {
            None | Some(ArgTy::Reflect) | Some(ArgTy::Go(Ty::Any)) => {
                return self.eval_empty_interface(dot, n)
            }
            Some(ArgTy::Go(t)) => t,
        };
        match t {
            Ty::Bool => match n {
                Arg::Bool(_, b) => Ok(Rv::Val(Value::Bool(*b))),
                _ => self.fail(format!("expected bool; found {n}")),
            },
            Ty::String => match n {
                Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
                _ => self.fail(format!("expected string; found {n}")),
            },
            Ty::Int | Ty::Int64 => match n {
                Arg::Number(num) if num.is_int => Ok(Rv::Val(if t == Ty::Int {
                    Value::Int(num.int64)
                } else {
                    Value::Int64(num.int64)
                })),
                _ => self.fail(format!("expected integer; found {n}")),
            },
            Ty::Uint32 => match n {
                Arg::Number(num) if num.is_uint => {
                    Ok(Rv::Val(Value::Uint(num.uint64 & 0xffff_ffff)))
                }
                _ => self.fail(format!("expected unsigned integer; found {n}")),
            },
            Ty::Float64 => match n {
                Arg::Number(num) if num.is_float => Ok(Rv::Val(Value::Float(num.float64))),
                _ => self.fail(format!("expected float; found {n}")),
            },
            other => self.fail(format!(
                "can't handle {n} for arg of type {}",
                other.go_name()
            )),
        }
    }

    fn eval_empty_interface(&mut self, dot: &Rv, n: &'a Arg) -> R<Rv> {
        self.at(Cur::Arg(n));
        match n {
            Arg::Bool(_, b) => Ok(Rv::Val(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
            _ => self.fail(format!(
                "can't handle assignment of {n} to empty interface argument"
            )),
        }
    }
}

/// A parameter type as evalArg sees it: a Go type, or `reflect.Value` (the built-ins).
#[derive(Clone, Copy, Debug, PartialEq)]
enum ArgTy {
    Go(Ty),
    Reflect,
}

/// What is being called.
enum Callable {
    Func(Func),
    /// A method of a named map type, with its receiver.
    BoundFunc(Func, Value),
    Builtin(Builtin),
    /// A method of an object, with its receiver.
    Method(Signature, std::rc::Rc<dyn super::value::Object>),
}

impl Callable {
    fn signature(&self) -> Signature {
        match self {
            Callable::Func(f) | Callable::BoundFunc(f, _) => f.sig,
            Callable::Builtin(b) => b.signature(),
            Callable::Method(s, _) => *s,
        }
    }
    fn arg_ty(&self, i: usize) -> ArgTy {
        match self {
            Callable::Builtin(b) => b.arg_ty(i).map(ArgTy::Go).unwrap_or(ArgTy::Reflect),
            other => ArgTy::Go(other.signature().param(i)),
        }
    }
    fn variadic_ty(&self) -> ArgTy {
        match self {
            Callable::Builtin(b) => b.variadic_ty().map(ArgTy::Go).unwrap_or(ArgTy::Reflect),
            other => ArgTy::Go(other.signature().variadic.unwrap_or(Ty::Any)),
        }
    }
}

/// The zero value Go substitutes for an invalid value or nil of a nillable type.
fn zero_of(ty: Ty) -> Option<Value> {
    match ty {
        Ty::Any => Some(Value::Nil),
        // reflect.Zero of a map or slice type is a nil map / nil slice
        Ty::Map => Some(Value::Map(Map::nil(types::MAP))),
        Ty::List => Some(Value::List(List::nil(types::LIST))),
        Ty::Strings => Some(Value::List(List::nil(types::STRINGS))),
        Ty::Bytes => Some(Value::Bytes(std::rc::Rc::from(&[][..]))),
        _ => None,
    }
}

/// Go assignability of a dynamic value to a parameter type.
pub(crate) fn assignable(v: &Value, ty: Ty) -> bool {
    match ty {
        Ty::Any => true,
        Ty::String => matches!(v, Value::String(_)),
        Ty::Int => matches!(v, Value::Int(_)),
        Ty::Int64 => matches!(v, Value::Int64(_)),
        Ty::Uint32 => false,
        Ty::Float64 => matches!(v, Value::Float(_)),
        Ty::Bool => matches!(v, Value::Bool(_)),
        Ty::Map => matches!(v, Value::Map(m) if m.ty() == types::MAP || m.ty() == types::VALUES),
        Ty::List => matches!(v, Value::List(l) if l.ty() == types::LIST),
        Ty::Strings => {
            matches!(v, Value::List(l) if l.ty() == types::STRINGS || l.ty() == "common.VersionSet")
        }
        Ty::Bytes => matches!(v, Value::Bytes(_)),
        Ty::Time => matches!(v, Value::Object(o) if o.type_name() == "time.Time"),
        Ty::Named(n) => matches!(v, Value::Object(o) if o.type_name() == n),
    }
}
