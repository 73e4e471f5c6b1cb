//! jq's evaluation (jq 1.7.1 `src/execute.c`, `src/builtin.c`, `src/builtin.jq`): every
//! expression yields a list of outputs; path tracking (for `path/1`, `del`, `|=`, `=`, `+=`, …)
//! follows values through `.a`, `.[i]`, `.[]`, `..`, `select`, `recurse`, `if`, `//`, `getpath`
//! and user functions, as jq's own path mode does. Errors carry jq's messages.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::parse::{num, AssignOp, BinOp, Expr, FuncDef, ObjKey, Pattern, StrPart};

/// A value with the path it was reached by (in path mode).
#[derive(Clone, Debug)]
struct Item {
    v: Value,
    p: Option<Vec<Value>>,
}

impl Item {
    fn val(v: Value) -> Item {
        Item { v, p: None }
    }
}

/// Why evaluation stopped.
#[derive(Clone, Debug)]
pub enum Error {
    /// `error(v)` or a runtime error (a string message).
    Value(Value),
    /// `break $label`
    Break(u64),
    /// Resource limits.
    Limit(String),
}

impl Error {
    fn msg(s: impl Into<String>) -> Error {
        Error::Value(Value::String(s.into()))
    }
}

type R<T> = Result<T, Error>;

/// The environment: variables and function definitions, a persistent list.
#[derive(Clone)]
enum Env {
    Empty,
    Var(String, Value, Rc<Env>),
    /// A `def`: the definition, visible in its own body (recursion) and after it.
    Func(Rc<FuncDef>, Rc<Env>),
    /// A filter parameter: the argument expression, evaluated in the caller's environment.
    Param(String, Rc<Expr>, Rc<Env>, Rc<Env>),
    Label(String, u64, Rc<Env>),
}

fn lookup_var(env: &Rc<Env>, name: &str) -> Option<Value> {
    let mut e = env.clone();
    loop {
        let next = match &*e {
            Env::Empty => return None,
            Env::Var(n, v, rest) => {
                if n == name {
                    return Some(v.clone());
                }
                rest.clone()
            }
            Env::Func(_, rest) | Env::Param(_, _, _, rest) | Env::Label(_, _, rest) => rest.clone(),
        };
        e = next;
    }
}

enum Found {
    Func(Rc<FuncDef>, Rc<Env>),
    Param(Rc<Expr>, Rc<Env>),
}

fn lookup_func(env: &Rc<Env>, name: &str, arity: usize) -> Option<Found> {
    let mut e = env.clone();
    loop {
        let next = match &*e {
            Env::Empty => return None,
            Env::Func(def, _) if def.name == name && def.params.len() == arity => {
                return Some(Found::Func(def.clone(), e.clone()));
            }
            Env::Param(n, expr, caller, _) if n == name && arity == 0 => {
                return Some(Found::Param(expr.clone(), caller.clone()));
            }
            Env::Var(_, _, rest)
            | Env::Func(_, rest)
            | Env::Param(_, _, _, rest)
            | Env::Label(_, _, rest) => rest.clone(),
        };
        e = next;
    }
}

fn lookup_label(env: &Rc<Env>, name: &str) -> Option<u64> {
    let mut e = env.clone();
    loop {
        let next = match &*e {
            Env::Empty => return None,
            Env::Label(n, id, rest) => {
                if n == name {
                    return Some(*id);
                }
                rest.clone()
            }
            Env::Var(_, _, rest) | Env::Func(_, rest) | Env::Param(_, _, _, rest) => rest.clone(),
        };
        e = next;
    }
}

/// The evaluator: limits and the things outside the program (`$ENV`, named arguments).
pub struct Interp {
    steps: u64,
    max_steps: u64,
    depth: usize,
    labels: u64,
    pub env_vars: Map<String, Value>,
}

/// Most evaluation steps one jq run may take.
const MAX_STEPS: u64 = 20_000_000;
/// Most outputs one expression may produce.
const MAX_OUTPUTS: usize = 1_000_000;

impl Interp {
    pub fn new(env_vars: Map<String, Value>) -> Interp {
        Interp {
            steps: 0,
            max_steps: MAX_STEPS,
            depth: 0,
            labels: 0,
            env_vars,
        }
    }

    /// Runs `expr` on `input` with the given `$name` variables.
    pub fn run(&mut self, expr: &Expr, input: Value, vars: &[(String, Value)]) -> R<Vec<Value>> {
        let mut env = Rc::new(Env::Empty);
        env = Rc::new(Env::Var(
            "ENV".into(),
            Value::Object(self.env_vars.clone()),
            env,
        ));
        for (n, v) in vars {
            env = Rc::new(Env::Var(n.clone(), v.clone(), env));
        }
        let out = self.eval(expr, &env, Item::val(input))?;
        Ok(out.into_iter().map(|i| i.v).collect())
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(Error::Limit(
                "jq: error: the program took too many steps".into(),
            ));
        }
        Ok(())
    }

    fn eval(&mut self, e: &Expr, env: &Rc<Env>, input: Item) -> R<Vec<Item>> {
        self.step()?;
        self.depth += 1;
        if self.depth > 2000 {
            self.depth -= 1;
            return Err(Error::Limit(
                "jq: error: the program recursed too deeply".into(),
            ));
        }
        let r = self.eval_inner(e, env, input);
        self.depth -= 1;
        if let Ok(v) = &r {
            if v.len() > MAX_OUTPUTS {
                return Err(Error::Limit("jq: error: too many outputs".into()));
            }
        }
        r
    }

    /// Values only (no paths).
    fn values(&mut self, e: &Expr, env: &Rc<Env>, input: &Value) -> R<Vec<Value>> {
        Ok(self
            .eval(e, env, Item::val(input.clone()))?
            .into_iter()
            .map(|i| i.v)
            .collect())
    }

    fn eval_inner(&mut self, e: &Expr, env: &Rc<Env>, input: Item) -> R<Vec<Item>> {
        match e {
            Expr::Identity => Ok(vec![input]),
            Expr::Recurse => {
                let mut out = Vec::new();
                self.recurse_items(input, &mut out)?;
                Ok(out)
            }
            Expr::Literal(v) => Ok(vec![Item::val(v.clone())]),
            Expr::Str(parts, fmt) => {
                let strs = self.interpolate(parts, fmt.as_deref(), env, &input.v)?;
                Ok(strs
                    .into_iter()
                    .map(|s| Item::val(Value::String(s)))
                    .collect())
            }
            Expr::Format(f) => Ok(vec![Item::val(Value::String(format_value(f, &input.v)?))]),
            Expr::Index(base, idx) => {
                let bases = self.eval(base, env, input.clone())?;
                let keys = self.values(idx, env, &input.v)?;
                let mut out = Vec::new();
                for b in bases {
                    for k in &keys {
                        let v = index(&b.v, k)?;
                        out.push(Item {
                            v,
                            p: b.p.as_ref().map(|p| {
                                let mut p = p.clone();
                                p.push(k.clone());
                                p
                            }),
                        });
                    }
                }
                Ok(out)
            }
            Expr::Slice(base, from, to) => {
                let bases = self.eval(base, env, input.clone())?;
                let froms = match from {
                    Some(f) => self.values(f, env, &input.v)?,
                    None => vec![Value::Null],
                };
                let tos = match to {
                    Some(t) => self.values(t, env, &input.v)?,
                    None => vec![Value::Null],
                };
                let mut out = Vec::new();
                for b in bases {
                    for t in &tos {
                        for f in &froms {
                            let v = slice(&b.v, f, t)?;
                            let mut key = Map::new();
                            key.insert("start".into(), f.clone());
                            key.insert("end".into(), t.clone());
                            out.push(Item {
                                v,
                                p: b.p.as_ref().map(|p| {
                                    let mut p = p.clone();
                                    p.push(Value::Object(key));
                                    p
                                }),
                            });
                        }
                    }
                }
                Ok(out)
            }
            Expr::Iterate(base) => {
                let bases = self.eval(base, env, input)?;
                let mut out = Vec::new();
                for b in bases {
                    iterate_into(&b, &mut out)?;
                }
                Ok(out)
            }
            Expr::Try(body, catch) => match self.eval(body, env, input.clone()) {
                Ok(v) => Ok(v),
                Err(Error::Value(err)) => match catch {
                    None => Ok(Vec::new()),
                    Some(c) => {
                        let err = match err {
                            Value::Object(m) if m.contains_key("__jq") => {
                                m.get("__jq").cloned().unwrap_or(Value::Null)
                            }
                            other => other,
                        };
                        self.eval(c, env, Item::val(err))
                    }
                },
                Err(other) => Err(other),
            },
            Expr::Array(inner) => {
                let items = match inner {
                    None => Vec::new(),
                    Some(e) => self.values(e, env, &input.v)?,
                };
                Ok(vec![Item::val(Value::Array(items))])
            }
            Expr::Object(entries) => {
                let mut partial: Vec<Map<String, Value>> = vec![Map::new()];
                for (k, v) in entries {
                    let keys: Vec<Value> = match k {
                        ObjKey::Name(n) => vec![Value::String(n.clone())],
                        ObjKey::Var(n) => vec![Value::String(n.clone())],
                        ObjKey::Expr(e) => self.values(e, env, &input.v)?,
                    };
                    let vals: Vec<Value> = match (k, v) {
                        (_, Some(ve)) => self.values(ve, env, &input.v)?,
                        (ObjKey::Var(n), None) => vec![lookup_var(env, n)
                            .ok_or_else(|| Error::msg(format!("${n} is not defined")))?],
                        (ObjKey::Name(n), None) => {
                            vec![index(&input.v, &Value::String(n.clone()))?]
                        }
                        (ObjKey::Expr(_), None) => {
                            let mut out = Vec::new();
                            for key in &keys {
                                out.push(index(&input.v, key)?);
                            }
                            out
                        }
                    };
                    let mut next = Vec::new();
                    for m in &partial {
                        for key in &keys {
                            let Value::String(ks) = key else {
                                return Err(Error::msg("Object keys must be strings"));
                            };
                            for val in &vals {
                                let mut m2 = m.clone();
                                m2.insert(ks.clone(), val.clone());
                                next.push(m2);
                                if next.len() > MAX_OUTPUTS {
                                    return Err(Error::Limit("jq: error: too many outputs".into()));
                                }
                            }
                        }
                    }
                    partial = next;
                }
                Ok(partial
                    .into_iter()
                    .map(|m| Item::val(Value::Object(m)))
                    .collect())
            }
            Expr::Neg(inner) => {
                let vs = self.values(inner, env, &input.v)?;
                vs.into_iter()
                    .map(|v| match v {
                        Value::Number(n) => Ok(Item::val(num(-n.as_f64().unwrap_or(0.0)))),
                        other => Err(type_error(&other, "cannot be negated")),
                    })
                    .collect()
            }
            Expr::Pipe(a, b) => {
                let mut out = Vec::new();
                for it in self.eval(a, env, input)? {
                    out.extend(self.eval(b, env, it)?);
                    if out.len() > MAX_OUTPUTS {
                        return Err(Error::Limit("jq: error: too many outputs".into()));
                    }
                }
                Ok(out)
            }
            Expr::Comma(a, b) => {
                let mut out = self.eval(a, env, input.clone())?;
                out.extend(self.eval(b, env, input)?);
                Ok(out)
            }
            Expr::Alt(a, b) => {
                let items = match self.eval(a, env, input.clone()) {
                    Ok(v) => v,
                    Err(Error::Value(_)) => Vec::new(),
                    Err(e) => return Err(e),
                };
                let truthy: Vec<Item> = items.into_iter().filter(|i| truthy(&i.v)).collect();
                if truthy.is_empty() {
                    self.eval(b, env, input)
                } else {
                    Ok(truthy)
                }
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                let is_and = matches!(e, Expr::And(..));
                let mut out = Vec::new();
                for l in self.values(a, env, &input.v)? {
                    let lt = truthy(&l);
                    if is_and && !lt {
                        out.push(Item::val(Value::Bool(false)));
                        continue;
                    }
                    if !is_and && lt {
                        out.push(Item::val(Value::Bool(true)));
                        continue;
                    }
                    for r in self.values(b, env, &input.v)? {
                        out.push(Item::val(Value::Bool(truthy(&r))));
                    }
                }
                Ok(out)
            }
            Expr::Bin(op, a, b) => {
                let rs = self.values(b, env, &input.v)?;
                let ls = self.values(a, env, &input.v)?;
                let mut out = Vec::new();
                for r in &rs {
                    for l in &ls {
                        out.push(Item::val(binop(*op, l.clone(), r.clone())?));
                    }
                }
                Ok(out)
            }
            Expr::Assign(op, lhs, rhs) => self.assign(*op, lhs, rhs, env, input),
            Expr::If(branches, otherwise) => self.eval_if(branches, 0, otherwise, env, input),
            Expr::As(src, pat, body) => {
                let mut out = Vec::new();
                for v in self.values(src, env, &input.v)? {
                    for bound in self.bind(pat, &v, env, env)? {
                        out.extend(self.eval(body, &bound, input.clone())?);
                    }
                }
                Ok(out)
            }
            Expr::Reduce(src, pat, init, update) => {
                let mut out = Vec::new();
                for acc0 in self.values(init, env, &input.v)? {
                    let mut acc = Some(acc0);
                    for v in self.values(src, env, &input.v)? {
                        for bound in self.bind(pat, &v, env, env)? {
                            let cur = acc.take().unwrap_or(Value::Null);
                            let res = self.values(update, &bound, &cur)?;
                            acc = res.into_iter().last();
                        }
                    }
                    if let Some(a) = acc {
                        out.push(Item::val(a));
                    } else {
                        out.push(Item::val(Value::Null));
                    }
                }
                Ok(out)
            }
            Expr::Foreach(src, pat, init, update, extract) => {
                let mut out = Vec::new();
                for acc0 in self.values(init, env, &input.v)? {
                    let mut accs = vec![acc0];
                    for v in self.values(src, env, &input.v)? {
                        for bound in self.bind(pat, &v, env, env)? {
                            let mut next = Vec::new();
                            for acc in &accs {
                                for res in self.values(update, &bound, acc)? {
                                    match extract {
                                        Some(x) => {
                                            for o in self.values(x, &bound, &res)? {
                                                out.push(Item::val(o));
                                            }
                                        }
                                        None => out.push(Item::val(res.clone())),
                                    }
                                    next.push(res);
                                }
                            }
                            if let Some(last) = next.pop() {
                                accs = vec![last];
                            } else {
                                accs = Vec::new();
                            }
                        }
                    }
                }
                Ok(out)
            }
            Expr::Var(name) => {
                if name == "__loc__" {
                    return Ok(vec![Item::val(
                        serde_json::json!({"file": "<top-level>", "line": 1}),
                    )]);
                }
                match lookup_var(env, name) {
                    Some(v) => Ok(vec![Item::val(v)]),
                    None if name == "ENV" => {
                        Ok(vec![Item::val(Value::Object(self.env_vars.clone()))])
                    }
                    None => Err(Error::msg(format!("${name} is not defined"))),
                }
            }
            Expr::Def(def, rest) => {
                let env2 = Rc::new(Env::Func(Rc::new((**def).clone()), env.clone()));
                self.eval(rest, &env2, input)
            }
            Expr::Label(name, body) => {
                self.labels += 1;
                let id = self.labels;
                let env2 = Rc::new(Env::Label(name.clone(), id, env.clone()));
                match self.eval(body, &env2, input) {
                    Err(Error::Break(b)) if b == id => Ok(Vec::new()),
                    other => other,
                }
            }
            Expr::Break(name) => match lookup_label(env, name) {
                Some(id) => Err(Error::Break(id)),
                None => Err(Error::msg(
                    "$*label-".to_string() + name + " is not defined",
                )),
            },
            Expr::Call(name, args) => self.call(name, args, env, input),
        }
    }

    fn eval_if(
        &mut self,
        branches: &[(Expr, Expr)],
        i: usize,
        otherwise: &Option<Box<Expr>>,
        env: &Rc<Env>,
        input: Item,
    ) -> R<Vec<Item>> {
        let Some((cond, body)) = branches.get(i) else {
            return match otherwise {
                Some(o) => self.eval(o, env, input),
                None => Ok(vec![input]),
            };
        };
        let mut out = Vec::new();
        for c in self.values(cond, env, &input.v)? {
            if truthy(&c) {
                out.extend(self.eval(body, env, input.clone())?);
            } else {
                out.extend(self.eval_if(branches, i + 1, otherwise, env, input.clone())?);
            }
        }
        Ok(out)
    }

    fn recurse_items(&mut self, it: Item, out: &mut Vec<Item>) -> R<()> {
        self.step()?;
        let mut children = Vec::new();
        if matches!(it.v, Value::Array(_) | Value::Object(_)) {
            iterate_into(&it, &mut children)?;
        }
        out.push(it);
        if out.len() > MAX_OUTPUTS {
            return Err(Error::Limit("jq: error: too many outputs".into()));
        }
        for c in children {
            self.recurse_items(c, out)?;
        }
        Ok(())
    }

    /// Binds a destructuring pattern; one environment per way of binding.
    fn bind(
        &mut self,
        pat: &Pattern,
        v: &Value,
        env: &Rc<Env>,
        eval_env: &Rc<Env>,
    ) -> R<Vec<Rc<Env>>> {
        match pat {
            Pattern::Var(n) => Ok(vec![Rc::new(Env::Var(n.clone(), v.clone(), env.clone()))]),
            Pattern::Array(items) => {
                if !matches!(v, Value::Array(_) | Value::Null) {
                    return Err(Error::msg(format!("Cannot index {} with number", kind(v))));
                }
                let mut envs = vec![env.clone()];
                for (i, p) in items.iter().enumerate() {
                    let elem = index(v, &Value::from(i as i64))?;
                    let mut next = Vec::new();
                    for e in envs {
                        next.extend(self.bind(p, &elem, &e, eval_env)?);
                    }
                    envs = next;
                }
                Ok(envs)
            }
            Pattern::Object(entries) => {
                let mut envs = vec![env.clone()];
                for (k, p) in entries {
                    let keys: Vec<Value> = match k {
                        ObjKey::Name(n) | ObjKey::Var(n) => vec![Value::String(n.clone())],
                        ObjKey::Expr(e) => self.values(e, eval_env, v)?,
                    };
                    let mut next = Vec::new();
                    for e in envs {
                        for key in &keys {
                            let elem = index(v, key)?;
                            let mut e2 = e.clone();
                            if let ObjKey::Var(n) = k {
                                e2 = Rc::new(Env::Var(n.clone(), elem.clone(), e2));
                            }
                            match p {
                                Some(p) => next.extend(self.bind(p, &elem, &e2, eval_env)?),
                                None => next.push(e2),
                            }
                        }
                    }
                    envs = next;
                }
                Ok(envs)
            }
        }
    }

    fn interpolate(
        &mut self,
        parts: &[StrPart],
        fmt: Option<&str>,
        env: &Rc<Env>,
        input: &Value,
    ) -> R<Vec<String>> {
        let mut acc = vec![String::new()];
        for p in parts {
            match p {
                StrPart::Lit(s) => {
                    for a in &mut acc {
                        a.push_str(s);
                    }
                }
                StrPart::Interp(e) => {
                    let vals = self.values(e, env, input)?;
                    let mut next = Vec::new();
                    // jq iterates the later interpolation's outputs in the outer loop
                    for v in &vals {
                        let text = match fmt {
                            Some(f) => format_value(f, v)?,
                            None => match v {
                                Value::String(s) => s.clone(),
                                other => dump(other, None, false),
                            },
                        };
                        for a in &acc {
                            next.push(format!("{a}{text}"));
                        }
                    }
                    acc = next;
                }
            }
        }
        Ok(acc)
    }

    fn paths(&mut self, e: &Expr, env: &Rc<Env>, input: &Value) -> R<Vec<Vec<Value>>> {
        let items = self.eval(
            e,
            env,
            Item {
                v: input.clone(),
                p: Some(Vec::new()),
            },
        )?;
        items
            .into_iter()
            .map(|i| {
                i.p.ok_or_else(|| {
                    Error::msg(format!(
                        "Invalid path expression with result {}",
                        trunc(&dump(&i.v, None, false), 11)
                    ))
                })
            })
            .collect()
    }

    fn assign(
        &mut self,
        op: AssignOp,
        lhs: &Expr,
        rhs: &Expr,
        env: &Rc<Env>,
        input: Item,
    ) -> R<Vec<Item>> {
        let paths = self.paths(lhs, env, &input.v)?;
        match op {
            AssignOp::Update => {
                let mut v = input.v.clone();
                let mut to_delete = Vec::new();
                for p in &paths {
                    let cur = getpath(&v, p)?;
                    match self.values(rhs, env, &cur)?.into_iter().next() {
                        Some(n) => v = setpath(v, p, n)?,
                        None => to_delete.push(p.clone()),
                    }
                }
                if !to_delete.is_empty() {
                    v = delpaths(v, to_delete)?;
                }
                Ok(vec![Item { v, p: input.p }])
            }
            _ => {
                let rvals = self.values(rhs, env, &input.v)?;
                let mut out = Vec::new();
                for r in rvals {
                    let mut v = input.v.clone();
                    for p in &paths {
                        let newv = match op {
                            AssignOp::Set => r.clone(),
                            AssignOp::Arith(b) => binop(b, getpath(&v, p)?, r.clone())?,
                            _ => {
                                let cur = getpath(&v, p)?;
                                if truthy(&cur) {
                                    cur
                                } else {
                                    r.clone()
                                }
                            }
                        };
                        v = setpath(v, p, newv)?;
                    }
                    out.push(Item {
                        v,
                        p: input.p.clone(),
                    });
                }
                Ok(out)
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Expr], env: &Rc<Env>, input: Item) -> R<Vec<Item>> {
        if let Some(found) = lookup_func(env, name, args.len()) {
            return match found {
                Found::Param(expr, caller) => self.eval(&expr, &caller, input),
                Found::Func(def, def_env) => {
                    let mut fenv = def_env.clone();
                    let mut envs = vec![fenv.clone()];
                    for (p, a) in def.params.iter().zip(args) {
                        if let Some(var) = p.strip_prefix('$') {
                            let vals = self.values(a, env, &input.v)?;
                            let mut next = Vec::new();
                            for e in &envs {
                                for v in &vals {
                                    let e1 =
                                        Rc::new(Env::Var(var.to_string(), v.clone(), e.clone()));
                                    let lit = Rc::new(Expr::Literal(v.clone()));
                                    next.push(Rc::new(Env::Param(
                                        var.to_string(),
                                        lit,
                                        env.clone(),
                                        e1,
                                    )));
                                }
                            }
                            envs = next;
                        } else {
                            envs = envs
                                .into_iter()
                                .map(|e| {
                                    Rc::new(Env::Param(
                                        p.clone(),
                                        Rc::new(a.clone()),
                                        env.clone(),
                                        e,
                                    ))
                                })
                                .collect();
                        }
                    }
                    let mut out = Vec::new();
                    for e in envs {
                        fenv = e;
                        out.extend(self.eval(&def.body, &fenv, input.clone())?);
                    }
                    Ok(out)
                }
            };
        }
        self.builtin(name, args, env, input)
    }

    fn arg_values(
        &mut self,
        args: &[Expr],
        i: usize,
        env: &Rc<Env>,
        input: &Value,
    ) -> R<Vec<Value>> {
        self.values(&args[i], env, input)
    }

    /// Calls `f` with each combination of the outputs of two value arguments (later
    /// arguments in the outer loop, like jq's cartesian products).
    fn with_args2(
        &mut self,
        args: &[Expr],
        env: &Rc<Env>,
        input: &Value,
        mut f: impl FnMut(&Value, &Value) -> R<Value>,
    ) -> R<Vec<Item>> {
        let a = self.arg_values(args, 0, env, input)?;
        let b = self.arg_values(args, 1, env, input)?;
        let mut out = Vec::new();
        for y in &b {
            for x in &a {
                out.push(Item::val(f(x, y)?));
            }
        }
        Ok(out)
    }

    fn with_arg(
        &mut self,
        args: &[Expr],
        env: &Rc<Env>,
        input: &Value,
        mut f: impl FnMut(&Value) -> R<Value>,
    ) -> R<Vec<Item>> {
        let a = self.arg_values(args, 0, env, input)?;
        a.iter().map(|x| f(x).map(Item::val)).collect()
    }

    fn builtin(&mut self, name: &str, args: &[Expr], env: &Rc<Env>, input: Item) -> R<Vec<Item>> {
        let v = input.v.clone();
        let one = |x: Value| Ok(vec![Item::val(x)]);
        match (name, args.len()) {
            ("empty", 0) => Ok(Vec::new()),
            ("not", 0) => one(Value::Bool(!truthy(&v))),
            ("length", 0) => one(length(&v)?),
            ("utf8bytelength", 0) => match &v {
                Value::String(s) => one(Value::from(s.len() as i64)),
                other => Err(type_error(other, "only strings have UTF-8 byte length")),
            },
            ("keys", 0) | ("keys_unsorted", 0) => match &v {
                Value::Object(m) => {
                    let mut ks: Vec<String> = m.keys().cloned().collect();
                    if name == "keys" {
                        ks.sort_stable_by(|a, b| cmp_str(a, b));
                    }
                    one(Value::Array(ks.into_iter().map(Value::String).collect()))
                }
                Value::Array(a) => one(Value::Array(
                    (0..a.len()).map(|i| Value::from(i as i64)).collect(),
                )),
                other => Err(type_error(other, "has no keys")),
            },
            ("values", 0) => self.builtin_def("values", "select(. != null)", env, input),
            ("has", 1) => self.with_arg(args, env, &v, |k| has(&v, k).map(Value::Bool)),
            ("in", 1) => self.with_arg(args, env, &v, |o| has(o, &v).map(Value::Bool)),
            ("contains", 1) => self.with_arg(args, env, &v, |b| {
                if kind(&v) != kind(b) {
                    return Err(Error::msg(format!(
                        "{} ({}) and {} ({}) cannot have their containment checked",
                        kind(&v),
                        trunc(&dump(&v, None, false), 11),
                        kind(b),
                        trunc(&dump(b, None, false), 11)
                    )));
                }
                Ok(Value::Bool(contains(&v, b)))
            }),
            ("inside", 1) => self.with_arg(args, env, &v, |b| Ok(Value::Bool(contains(b, &v)))),
            ("select", 1) => {
                let mut out = Vec::new();
                for c in self.values(&args[0], env, &v)? {
                    if truthy(&c) {
                        out.push(input.clone());
                    }
                }
                Ok(out)
            }
            ("map", 1) => {
                let mut items = Vec::new();
                let mut elems = Vec::new();
                iterate_into(&Item::val(v.clone()), &mut elems)?;
                for el in elems {
                    items.extend(self.values(&args[0], env, &el.v)?);
                }
                one(Value::Array(items))
            }
            ("map_values", 1) => {
                self.builtin_def_1("map_values", "f", ".[] |= f", args, env, input)
            }
            ("recurse", 0) => self.eval(&Expr::Recurse, env, input),
            ("recurse", 1) => {
                let mut out = Vec::new();
                let mut queue = vec![input];
                while let Some(it) = queue.pop() {
                    self.step()?;
                    let next = match self.eval(&args[0], env, it.clone()) {
                        Ok(n) => n,
                        Err(Error::Value(_)) if matches!(&args[0], Expr::Try(..)) => Vec::new(),
                        Err(e) => return Err(e),
                    };
                    out.push(it);
                    if out.len() > MAX_OUTPUTS {
                        return Err(Error::Limit("jq: error: too many outputs".into()));
                    }
                    for n in next.into_iter().rev() {
                        queue.push(n);
                    }
                }
                Ok(out)
            }
            ("recurse", 2) => self.builtin_def_2(
                "recurse",
                "f",
                "cond",
                "def r: ., (f | select(cond) | r); r",
                args,
                env,
                input,
            ),
            ("error", 0) => Err(Error::Value(v)),
            ("error", 1) => {
                let vals = self.values(&args[0], env, &v)?;
                match vals.into_iter().next() {
                    Some(e) => Err(Error::Value(e)),
                    None => Ok(Vec::new()),
                }
            }
            ("path", 1) => {
                let ps = self.paths(&args[0], env, &v)?;
                Ok(ps.into_iter().map(|p| Item::val(Value::Array(p))).collect())
            }
            ("paths", 0) => {
                let ps = self.paths(&Expr::Recurse, env, &v)?;
                Ok(ps
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| Item::val(Value::Array(p)))
                    .collect())
            }
            ("paths", 1) | ("leaf_paths", 0) => {
                let items = self.eval(
                    &Expr::Recurse,
                    env,
                    Item {
                        v: v.clone(),
                        p: Some(Vec::new()),
                    },
                )?;
                let mut out = Vec::new();
                for it in items {
                    let Some(p) = it.p else { continue };
                    if p.is_empty() {
                        continue;
                    }
                    let keep = if name == "leaf_paths" {
                        !matches!(it.v, Value::Array(_) | Value::Object(_))
                    } else {
                        self.values(&args[0], env, &it.v)?.iter().any(truthy)
                    };
                    if keep {
                        out.push(Item::val(Value::Array(p)));
                    }
                }
                Ok(out)
            }
            ("getpath", 1) => {
                let ps = self.values(&args[0], env, &v)?;
                let mut out = Vec::new();
                for p in ps {
                    let Value::Array(p) = p else {
                        return Err(Error::msg("Path must be specified as an array"));
                    };
                    let got = match getpath(&v, &p) {
                        Ok(g) => g,
                        Err(_) => Value::Null,
                    };
                    out.push(Item {
                        v: got,
                        p: input.p.as_ref().map(|ip| {
                            let mut ip = ip.clone();
                            ip.extend(p.iter().cloned());
                            ip
                        }),
                    });
                }
                Ok(out)
            }
            ("setpath", 2) => self.with_args2(args, env, &v, |p, x| {
                let Value::Array(p) = p else {
                    return Err(Error::msg("Path must be specified as an array"));
                };
                setpath(v.clone(), p, x.clone())
            }),
            ("delpaths", 1) => self.with_arg(args, env, &v, |ps| {
                let Value::Array(ps) = ps else {
                    return Err(Error::msg("Paths must be specified as an array"));
                };
                let mut list = Vec::new();
                for p in ps {
                    match p {
                        Value::Array(p) => list.push(p.clone()),
                        _ => return Err(Error::msg("Path must be specified as an array")),
                    }
                }
                delpaths(v.clone(), list)
            }),
            ("del", 1) => {
                let ps = self.paths(&args[0], env, &v)?;
                one(delpaths(v, ps)?)
            }
            ("to_entries", 0) => match &v {
                Value::Object(m) => one(Value::Array(
                    m.iter()
                        .map(|(k, val)| serde_json::json!({"key": k, "value": val}))
                        .collect(),
                )),
                other => Err(type_error(other, "has no keys")),
            },
            ("from_entries", 0) => {
                let Value::Array(items) = &v else {
                    return Err(Error::msg(format!(
                        "Cannot iterate over {}",
                        kind_paren(&v)
                    )));
                };
                let mut m = Map::new();
                for it in items {
                    let get = |names: &[&str]| -> Value {
                        for n in names {
                            if let Some(x) = it.get(*n) {
                                if !x.is_null() && *x != Value::Bool(false) {
                                    return x.clone();
                                }
                            }
                        }
                        Value::Null
                    };
                    let k = get(&["key", "k", "name", "Name", "Key", "K"]);
                    let val = ["value", "v", "Value", "V"]
                        .iter()
                        .find_map(|n| it.get(*n).cloned())
                        .unwrap_or(Value::Null);
                    let ks = match k {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".into(),
                        other => {
                            return Err(Error::msg(format!(
                                "Cannot use {} as object key",
                                kind_paren(&other)
                            )))
                        }
                    };
                    m.insert(ks, val);
                }
                one(Value::Object(m))
            }
            ("with_entries", 1) => self.builtin_def_1(
                "with_entries",
                "f",
                "to_entries | map(f) | from_entries",
                args,
                env,
                input,
            ),
            ("add", 0) => {
                let mut elems = Vec::new();
                iterate_into(&Item::val(v), &mut elems)?;
                let mut acc = Value::Null;
                for e in elems {
                    acc = binop(BinOp::Add, acc, e.v)?;
                }
                one(acc)
            }
            ("any", 0) => one(Value::Bool(array_of(&v)?.iter().any(truthy))),
            ("all", 0) => one(Value::Bool(array_of(&v)?.iter().all(truthy))),
            ("any", 1) | ("all", 1) => {
                let elems = array_of(&v)?;
                let mut res = name == "all";
                for el in elems {
                    let t = self.values(&args[0], env, &el)?.iter().any(truthy);
                    if name == "any" && t {
                        res = true;
                        break;
                    }
                    if name == "all" && !t {
                        res = false;
                        break;
                    }
                }
                one(Value::Bool(res))
            }
            ("any", 2) | ("all", 2) => {
                let gen = self.values(&args[0], env, &v)?;
                let mut res = name == "all";
                for g in gen {
                    let t = self.values(&args[1], env, &g)?.iter().any(truthy);
                    if name == "any" && t {
                        res = true;
                        break;
                    }
                    if name == "all" && !t {
                        res = false;
                        break;
                    }
                }
                one(Value::Bool(res))
            }
            ("IN", 1) => {
                let gen = self.values(&args[0], env, &v)?;
                one(Value::Bool(gen.iter().any(|g| *g == v || json_eq(g, &v))))
            }
            ("IN", 2) => {
                let src = self.values(&args[0], env, &v)?;
                let set = self.values(&args[1], env, &v)?;
                one(Value::Bool(
                    src.iter().any(|s| set.iter().any(|x| json_eq(s, x))),
                ))
            }
            ("flatten", 0) => one(Value::Array(flatten(&array_of(&v)?, usize::MAX))),
            ("flatten", 1) => self.with_arg(args, env, &v, |d| {
                let depth = d.as_f64().unwrap_or(0.0);
                if depth < 0.0 {
                    return Err(Error::msg("flatten depth must not be negative"));
                }
                Ok(Value::Array(flatten(&array_of(&v)?, depth as usize)))
            }),
            ("range", 1) => {
                let ns = self.values(&args[0], env, &v)?;
                let mut out = Vec::new();
                for n in ns {
                    let n = number(&n, "Range bounds must be numeric")?;
                    let mut i = 0.0;
                    while i < n {
                        out.push(Item::val(num(i)));
                        i += 1.0;
                        if out.len() > MAX_OUTPUTS {
                            return Err(Error::Limit("jq: error: too many outputs".into()));
                        }
                    }
                }
                Ok(out)
            }
            ("range", 2) | ("range", 3) => {
                let froms = self.values(&args[0], env, &v)?;
                let tos = self.values(&args[1], env, &v)?;
                let bys = if args.len() == 3 {
                    self.values(&args[2], env, &v)?
                } else {
                    vec![Value::from(1)]
                };
                let mut out = Vec::new();
                for f in &froms {
                    for t in &tos {
                        for b in &bys {
                            let (f, t, b) = (
                                number(f, "Range bounds must be numeric")?,
                                number(t, "Range bounds must be numeric")?,
                                number(b, "Range bounds must be numeric")?,
                            );
                            let mut i = f;
                            if b > 0.0 {
                                while i < t {
                                    out.push(Item::val(num(i)));
                                    i += b;
                                    if out.len() > MAX_OUTPUTS {
                                        return Err(Error::Limit(
                                            "jq: error: too many outputs".into(),
                                        ));
                                    }
                                }
                            } else if b < 0.0 {
                                while i > t {
                                    out.push(Item::val(num(i)));
                                    i += b;
                                    if out.len() > MAX_OUTPUTS {
                                        return Err(Error::Limit(
                                            "jq: error: too many outputs".into(),
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
                Ok(out)
            }
            ("floor", 0)
            | ("ceil", 0)
            | ("round", 0)
            | ("sqrt", 0)
            | ("fabs", 0)
            | ("abs", 0)
            | ("log", 0)
            | ("exp", 0)
            | ("log10", 0)
            | ("log2", 0)
            | ("trunc", 0) => {
                let x = match &v {
                    Value::Number(n) => n.as_f64().unwrap_or(0.0),
                    other => return Err(type_error(other, "number required")),
                };
                one(num(match name {
                    "floor" => x.floor(),
                    "ceil" => x.ceil(),
                    "round" => x.round(),
                    "sqrt" => x.sqrt(),
                    "log" => x.ln(),
                    "exp" => x.exp(),
                    "log10" => x.log10(),
                    "log2" => x.log2(),
                    "trunc" => x.trunc(),
                    _ => x.abs(),
                }))
            }
            ("pow", 2) => self.with_args2(args, env, &v, |a, b| {
                Ok(num(
                    number(a, "number required")?.powf(number(b, "number required")?)
                ))
            }),
            ("tostring", 0) => one(Value::String(match &v {
                Value::String(s) => s.clone(),
                other => dump(other, None, false),
            })),
            ("tonumber", 0) => match &v {
                Value::Number(_) => one(v.clone()),
                Value::String(s) => match s.trim().parse::<f64>() {
                    Ok(n) if !s.trim().is_empty() && !s.contains(['i', 'I', 'n', 'N']) => {
                        one(num(n))
                    }
                    _ => Err(Error::msg(format!("Cannot parse '{s}' as JSON"))),
                },
                other => Err(type_error(other, "cannot be parsed as a number")),
            },
            ("type", 0) => one(Value::String(kind(&v).into())),
            ("infinite", 0) => one(num(f64::MAX)),
            ("nan", 0) => one(Value::Null),
            ("isnan", 0) => one(Value::Bool(false)),
            ("isinfinite", 0) => one(Value::Bool(
                v.as_f64()
                    .is_some_and(|x| x.is_infinite() || x.abs() == f64::MAX),
            )),
            ("isnormal", 0) => one(Value::Bool(v.as_f64().is_some_and(|x| x.is_normal()))),
            ("null", 0) => one(Value::Null),
            ("true", 0) => one(Value::Bool(true)),
            ("false", 0) => one(Value::Bool(false)),
            (
                "arrays" | "objects" | "iterables" | "booleans" | "numbers" | "strings" | "nulls"
                | "scalars",
                0,
            ) => {
                let keep = match name {
                    "arrays" => v.is_array(),
                    "objects" => v.is_object(),
                    "iterables" => v.is_array() || v.is_object(),
                    "booleans" => v.is_boolean(),
                    "numbers" => v.is_number(),
                    "strings" => v.is_string(),
                    "nulls" => v.is_null(),
                    _ => !(v.is_array() || v.is_object()),
                };
                Ok(if keep { vec![input] } else { Vec::new() })
            }
            ("sort", 0) => {
                let mut a = sortable(&v, "cannot be sorted, as it is not an array")?;
                a.sort_stable_by(cmp_json);
                one(Value::Array(a))
            }
            ("sort_by" | "group_by" | "unique_by" | "min_by" | "max_by", 1) => {
                let a = sortable(&v, "cannot be sorted, as it is not an array")?;
                let mut keyed = Vec::new();
                for el in a {
                    let k = Value::Array(self.values(&args[0], env, &el)?);
                    keyed.push((k, el));
                }
                keyed.sort_stable_by(|x, y| cmp_json(&x.0, &y.0));
                match name {
                    "sort_by" => one(Value::Array(keyed.into_iter().map(|(_, e)| e).collect())),
                    "min_by" => one(keyed
                        .into_iter()
                        .next()
                        .map(|(_, e)| e)
                        .unwrap_or(Value::Null)),
                    "max_by" => {
                        // the last of equal maxima
                        one(keyed
                            .into_iter()
                            .last()
                            .map(|(_, e)| e)
                            .unwrap_or(Value::Null))
                    }
                    _ => {
                        let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
                        for (k, e) in keyed {
                            match groups.last_mut() {
                                Some((gk, g)) if cmp_json(gk, &k) == std::cmp::Ordering::Equal => {
                                    g.push(e)
                                }
                                _ => groups.push((k, vec![e])),
                            }
                        }
                        if name == "group_by" {
                            one(Value::Array(
                                groups.into_iter().map(|(_, g)| Value::Array(g)).collect(),
                            ))
                        } else {
                            one(Value::Array(
                                groups
                                    .into_iter()
                                    .filter_map(|(_, g)| g.into_iter().next())
                                    .collect(),
                            ))
                        }
                    }
                }
            }
            ("unique", 0) => {
                let mut a = sortable(&v, "cannot be sorted, as it is not an array")?;
                a.sort_stable_by(cmp_json);
                a.dedup_by(|x, y| cmp_json(x, y) == std::cmp::Ordering::Equal);
                one(Value::Array(a))
            }
            ("min", 0) | ("max", 0) => {
                let mut a = sortable(&v, "cannot be sorted, as it is not an array")?;
                a.sort_stable_by(cmp_json);
                one(if name == "min" {
                    a.first().cloned()
                } else {
                    a.last().cloned()
                }
                .unwrap_or(Value::Null))
            }
            ("reverse", 0) => match &v {
                Value::Array(a) => one(Value::Array(a.iter().rev().cloned().collect())),
                Value::String(s) => one(Value::String(s.chars().rev().collect())),
                Value::Null => one(Value::Array(Vec::new())),
                other => Err(Error::msg(format!("Cannot reverse {}", kind_paren(other)))),
            },
            ("startswith" | "endswith" | "ltrimstr" | "rtrimstr", 1) => {
                let n = name.to_string();
                self.with_arg(args, env, &v, |b| match (&v, b) {
                    (Value::String(s), Value::String(p)) => Ok(match n.as_str() {
                        "startswith" => Value::Bool(s.starts_with(p.as_str())),
                        "endswith" => Value::Bool(s.ends_with(p.as_str())),
                        "ltrimstr" => {
                            Value::String(s.strip_prefix(p.as_str()).unwrap_or(s).to_string())
                        }
                        _ => Value::String(s.strip_suffix(p.as_str()).unwrap_or(s).to_string()),
                    }),
                    _ if n.ends_with("trimstr") => Ok(v.clone()),
                    _ => Err(Error::msg(format!("{n}() requires string inputs"))),
                })
            }
            ("ascii_downcase" | "ascii_upcase", 0) => match &v {
                Value::String(s) => one(Value::String(if name == "ascii_downcase" {
                    s.to_ascii_lowercase()
                } else {
                    s.to_ascii_uppercase()
                })),
                other => Err(type_error(
                    other,
                    "cannot be case-converted, as it is not a string",
                )),
            },
            ("explode", 0) => match &v {
                Value::String(s) => one(Value::Array(
                    s.chars().map(|c| Value::from(c as u32)).collect(),
                )),
                other => Err(type_error(
                    other,
                    "cannot be exploded, as it is not a string",
                )),
            },
            ("implode", 0) => {
                let a = array_of(&v)?;
                let s: String = a
                    .iter()
                    .map(|c| {
                        c.as_u64()
                            .and_then(|n| char::from_u32(n as u32))
                            .unwrap_or('\u{fffd}')
                    })
                    .collect();
                one(Value::String(s))
            }
            ("split", 1) => self.with_arg(args, env, &v, |sep| match (&v, sep) {
                (Value::String(s), Value::String(p)) => Ok(Value::Array(if s.is_empty() {
                    Vec::new()
                } else if p.is_empty() {
                    s.chars().map(|c| Value::String(c.to_string())).collect()
                } else {
                    s.split(p.as_str())
                        .map(|x| Value::String(x.into()))
                        .collect()
                })),
                _ => Err(Error::msg("split input and separator must be strings")),
            }),
            ("split", 2) => self.with_args2(args, env, &v, |re, flags| {
                let r = regex_for(re, flags)?;
                let Value::String(s) = &v else {
                    return Err(type_error(&v, "cannot be matched, as it is not a string"));
                };
                let mut out = Vec::new();
                let mut last = 0;
                for m in r.find_iter(s.as_str()) {
                    out.push(Value::String(s[last..m.start()].to_string()));
                    last = m.end();
                }
                out.push(Value::String(s[last..].to_string()));
                Ok(Value::Array(out))
            }),
            ("join", 1) => self.with_arg(args, env, &v, |sep| {
                let a = array_of(&v)?;
                let Value::String(sep) = sep else {
                    return Err(Error::msg(format!(
                        "{} and {} cannot be added",
                        kind_paren(&Value::String(String::new())),
                        kind_paren(sep)
                    )));
                };
                let mut out = String::new();
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    match x {
                        Value::Null => {}
                        Value::String(s) => out.push_str(s),
                        Value::Number(_) | Value::Bool(_) => out.push_str(&dump(x, None, false)),
                        other => {
                            return Err(Error::msg(format!("Cannot join with {}", kind(other))))
                        }
                    }
                }
                Ok(Value::String(out))
            }),
            ("test" | "match" | "capture", 1)
            | ("test" | "match" | "capture", 2)
            | ("scan", 1)
            | ("scan", 2) => {
                let res = self.values(&args[0], env, &v)?;
                let flags = if args.len() == 2 {
                    self.values(&args[1], env, &v)?
                } else {
                    vec![Value::Null]
                };
                let Value::String(s) = &v else {
                    return Err(type_error(&v, "cannot be matched, as it is not a string"));
                };
                let mut out = Vec::new();
                for fl in &flags {
                    for re in &res {
                        let global = fl.as_str().is_some_and(|f| f.contains('g')) || name == "scan";
                        let r = regex_for(re, fl)?;
                        match name {
                            "test" => out.push(Item::val(Value::Bool(r.is_match(s.as_str())))),
                            _ => {
                                for m in match_objects(&r, s, global) {
                                    let item = match name {
                                        "match" => m,
                                        "capture" => capture_object(&m),
                                        _ => {
                                            let caps = m["captures"]
                                                .as_array()
                                                .cloned()
                                                .unwrap_or_default();
                                            if caps.is_empty() {
                                                m["string"].clone()
                                            } else {
                                                Value::Array(
                                                    caps.iter()
                                                        .map(|c| c["string"].clone())
                                                        .collect(),
                                                )
                                            }
                                        }
                                    };
                                    out.push(Item::val(item));
                                }
                            }
                        }
                    }
                }
                Ok(out)
            }
            ("sub" | "gsub", 2) | ("sub" | "gsub", 3) => {
                let Value::String(s) = &v else {
                    return Err(type_error(&v, "cannot be matched, as it is not a string"));
                };
                let res = self.values(&args[0], env, &v)?;
                let mut flags = if args.len() == 3 {
                    self.values(&args[2], env, &v)?
                        .into_iter()
                        .next()
                        .unwrap_or(Value::Null)
                } else {
                    Value::Null
                };
                if name == "gsub" {
                    flags = Value::String(format!("{}g", flags.as_str().unwrap_or("")));
                }
                let global = flags.as_str().is_some_and(|f| f.contains('g'));
                let mut out = Vec::new();
                for re in &res {
                    let r = regex_for(re, &flags)?;
                    let ms = match_objects(&r, s, global);
                    let mut result = String::new();
                    let mut last = 0usize;
                    for m in &ms {
                        let off = m["offset"].as_u64().unwrap_or(0) as usize;
                        let len = m["length"].as_u64().unwrap_or(0) as usize;
                        // offsets are in codepoints
                        let bstart = s.char_indices().nth(off).map(|(i, _)| i).unwrap_or(s.len());
                        let bend = s
                            .char_indices()
                            .nth(off + len)
                            .map(|(i, _)| i)
                            .unwrap_or(s.len());
                        result.push_str(&s[last..bstart]);
                        let cap = capture_object(m);
                        let reps = self.values(&args[1], env, &cap)?;
                        match reps.into_iter().next() {
                            Some(Value::String(r)) => result.push_str(&r),
                            Some(other) => {
                                return Err(Error::msg(format!(
                                    "{} cannot be added to a string",
                                    kind_paren(&other)
                                )))
                            }
                            None => {}
                        }
                        last = bend;
                    }
                    result.push_str(&s[last..]);
                    out.push(Item::val(Value::String(result)));
                }
                Ok(out)
            }
            ("ascii", 0) => one(Value::String(
                v.as_u64()
                    .and_then(|n| char::from_u32(n as u32))
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            )),
            ("tojson", 0) => one(Value::String(dump(&v, None, false))),
            ("fromjson", 0) => match &v {
                Value::String(s) => match serde_json::from_str::<Value>(s) {
                    Ok(x) => one(x),
                    Err(e) => Err(Error::msg(format!("{s} (while parsing '{s}')").replace(
                        &format!("{s} (while"),
                        &format!("{} (while", json_error_text(&e)),
                    ))),
                },
                other => Err(type_error(other, "only strings can be parsed")),
            },
            ("first", 0) => self.eval(
                &Expr::Index(
                    Box::new(Expr::Identity),
                    Box::new(Expr::Literal(Value::from(0))),
                ),
                env,
                input,
            ),
            ("last", 0) => self.eval(
                &Expr::Index(
                    Box::new(Expr::Identity),
                    Box::new(Expr::Literal(Value::from(-1))),
                ),
                env,
                input,
            ),
            ("first", 1) => Ok(self
                .eval(&args[0], env, input)?
                .into_iter()
                .take(1)
                .collect()),
            ("last", 1) => Ok(self
                .eval(&args[0], env, input)?
                .into_iter()
                .last()
                .into_iter()
                .collect()),
            ("nth", 1) => {
                let ns = self.values(&args[0], env, &v)?;
                let mut out = Vec::new();
                for n in ns {
                    out.extend(self.eval(
                        &Expr::Index(Box::new(Expr::Identity), Box::new(Expr::Literal(n))),
                        env,
                        input.clone(),
                    )?);
                }
                Ok(out)
            }
            ("nth", 2) => {
                let ns = self.values(&args[0], env, &v)?;
                let items = self.eval(&args[1], env, input)?;
                let mut out = Vec::new();
                for n in ns {
                    let i = number(&n, "Out of bounds negative array index")?;
                    if i < 0.0 {
                        return Err(Error::msg("Out of bounds negative array index"));
                    }
                    if let Some(it) = items.get(i as usize) {
                        out.push(it.clone());
                    }
                }
                Ok(out)
            }
            ("limit", 2) => {
                let ns = self.values(&args[0], env, &v)?;
                let mut out = Vec::new();
                for n in ns {
                    let n = number(&n, "Invalid limit")?;
                    if n <= 0.0 {
                        continue;
                    }
                    let items = self.eval(&args[1], env, input.clone())?;
                    out.extend(items.into_iter().take(n as usize));
                }
                Ok(out)
            }
            ("until", 2) => {
                let mut cur = v;
                loop {
                    self.step()?;
                    let c = self.values(&args[0], env, &cur)?;
                    if c.iter().any(truthy) {
                        return one(cur);
                    }
                    cur = match self.values(&args[1], env, &cur)?.into_iter().last() {
                        Some(x) => x,
                        None => return Ok(Vec::new()),
                    };
                }
            }
            ("while", 2) => {
                let mut out = Vec::new();
                let mut cur = v;
                loop {
                    self.step()?;
                    if !self.values(&args[0], env, &cur)?.iter().any(truthy) {
                        return Ok(out);
                    }
                    out.push(Item::val(cur.clone()));
                    if out.len() > MAX_OUTPUTS {
                        return Err(Error::Limit("jq: error: too many outputs".into()));
                    }
                    cur = match self.values(&args[1], env, &cur)?.into_iter().last() {
                        Some(x) => x,
                        None => return Ok(out),
                    };
                }
            }
            ("repeat", 1) => {
                self.builtin_def_1("repeat", "f", "def _r: ., (f | _r); _r", args, env, input)
            }
            ("indices" | "index" | "rindex", 1) => self.with_arg(args, env, &v, |i| {
                let idx = indices(&v, i)?;
                Ok(match name {
                    "indices" => idx,
                    "index" => idx
                        .as_array()
                        .and_then(|a| a.first().cloned())
                        .unwrap_or(Value::Null),
                    _ => idx
                        .as_array()
                        .and_then(|a| a.last().cloned())
                        .unwrap_or(Value::Null),
                })
            }),
            ("env", 0) => one(Value::Object(self.env_vars.clone())),
            ("builtins", 0) => one(Value::Array(Vec::new())),
            ("input_filename", 0) => one(Value::Null),
            ("now", 0) => one(num(0.0)),
            ("halt", 0) => Err(Error::Limit(String::new())),
            ("halt_error", 0) | ("halt_error", 1) => Err(Error::Value(v)),
            ("debug", 0) | ("stderr", 0) => Ok(vec![input]),
            ("input", 0) | ("inputs", 0) => Err(Error::msg("No more inputs")),
            ("splits", 1) | ("splits", 2) => {
                let call = Expr::Call("split".into(), args.to_vec());
                let arrays = self.eval(&call, env, input)?;
                let mut out = Vec::new();
                for a in arrays {
                    if let Value::Array(items) = a.v {
                        out.extend(items.into_iter().map(Item::val));
                    }
                }
                Ok(out)
            }
            ("tostream", 0) => {
                let items = self.eval(
                    &Expr::Recurse,
                    env,
                    Item {
                        v: v.clone(),
                        p: Some(Vec::new()),
                    },
                )?;
                let mut out = Vec::new();
                for it in items {
                    let p = it.p.unwrap_or_default();
                    let leaf = match &it.v {
                        Value::Array(a) => a.is_empty(),
                        Value::Object(m) => m.is_empty(),
                        _ => true,
                    };
                    if leaf {
                        out.push(Item::val(Value::Array(vec![
                            Value::Array(p.clone()),
                            it.v.clone(),
                        ])));
                    }
                }
                Ok(out)
            }
            ("getpath", _) | ("error", _) => {
                Err(Error::msg(format!("{name}/{} is not defined", args.len())))
            }
            ("pick", 1) => {
                let ps = self.paths(&args[0], env, &v)?;
                let mut acc = Value::Null;
                for p in ps {
                    let got = getpath(&v, &p)?;
                    acc = setpath(acc, &p, got)?;
                }
                one(acc)
            }
            ("objects_keys", _) => Ok(Vec::new()),
            ("combinations", 0) => {
                let a = array_of(&v)?;
                let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
                for part in a {
                    let choices = array_of(&part)?;
                    let mut next = Vec::new();
                    for pre in &acc {
                        for c in &choices {
                            let mut p = pre.clone();
                            p.push(c.clone());
                            next.push(p);
                            if next.len() > MAX_OUTPUTS {
                                return Err(Error::Limit("jq: error: too many outputs".into()));
                            }
                        }
                    }
                    acc = next;
                }
                Ok(acc
                    .into_iter()
                    .map(|x| Item::val(Value::Array(x)))
                    .collect())
            }
            ("transpose", 0) => {
                let rows = array_of(&v)?;
                let n = rows
                    .iter()
                    .map(|r| r.as_array().map(|a| a.len()).unwrap_or(0))
                    .max()
                    .unwrap_or(0);
                let mut out = Vec::new();
                for i in 0..n {
                    out.push(Value::Array(
                        rows.iter()
                            .map(|r| r.get(i).cloned().unwrap_or(Value::Null))
                            .collect(),
                    ));
                }
                one(Value::Array(out))
            }
            ("@base64" | "@text", _) => Ok(Vec::new()),
            (
                "todate" | "fromdate" | "dateadd" | "datesub" | "date" | "mktime" | "gmtime"
                | "strftime" | "strptime",
                _,
            ) => Err(Error::msg(format!(
                "{name}/{} is not available in chartlab's jq",
                args.len()
            ))),
            (other, n) => Err(Error::Value(Value::String(format!(
                "__compile__{other}/{n} is not defined"
            )))),
        }
    }

    /// A builtin jq defines in jq (`builtin.jq`), with no arguments.
    fn builtin_def(&mut self, _name: &str, body: &str, env: &Rc<Env>, input: Item) -> R<Vec<Item>> {
        let e = super::parse::parse(body).map_err(Error::msg)?;
        self.eval(&e, env, input)
    }

    fn builtin_def_1(
        &mut self,
        name: &str,
        p: &str,
        body: &str,
        args: &[Expr],
        env: &Rc<Env>,
        input: Item,
    ) -> R<Vec<Item>> {
        let def = FuncDef {
            name: format!("_{name}"),
            params: vec![p.to_string()],
            body: super::parse::parse(body).map_err(Error::msg)?,
        };
        let env2 = Rc::new(Env::Func(Rc::new(def), env.clone()));
        self.call(&format!("_{name}"), args, &env2, input)
    }

    #[allow(clippy::too_many_arguments)]
    fn builtin_def_2(
        &mut self,
        name: &str,
        p1: &str,
        p2: &str,
        body: &str,
        args: &[Expr],
        env: &Rc<Env>,
        input: Item,
    ) -> R<Vec<Item>> {
        let def = FuncDef {
            name: format!("_{name}"),
            params: vec![p1.to_string(), p2.to_string()],
            body: super::parse::parse(body).map_err(Error::msg)?,
        };
        let env2 = Rc::new(Env::Func(Rc::new(def), env.clone()));
        self.call(&format!("_{name}"), args, &env2, input)
    }
}

/// The undefined-function error, turned into jq's compile error by the caller.
pub fn undefined_function(e: &Error) -> Option<String> {
    match e {
        Error::Value(Value::String(s)) => s.strip_prefix("__compile__").map(str::to_string),
        _ => None,
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    let m = e.to_string();
    m.split(" at line").next().unwrap_or(&m).to_string()
}

pub fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `kind (value…)` as jq's type errors show a value.
fn kind_paren(v: &Value) -> String {
    format!("{} ({})", kind(v), trunc(&dump(v, None, false), 11))
}

/// `jv_dump_string_trunc` with a 15-byte buffer: at most 14 bytes, `...` marking a cut.
pub fn trunc(s: &str, keep: usize) -> String {
    if s.len() <= keep + 3 {
        return s.to_string();
    }
    let mut end = keep;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn type_error(v: &Value, msg: &str) -> Error {
    Error::msg(format!("{} {msg}", kind_paren(v)))
}

fn type_error2(a: &Value, b: &Value, msg: &str) -> Error {
    Error::msg(format!("{} and {} {msg}", kind_paren(a), kind_paren(b)))
}

fn number(v: &Value, msg: &str) -> R<f64> {
    v.as_f64().ok_or_else(|| Error::msg(msg))
}

fn array_of(v: &Value) -> R<Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Object(m) => Ok(m.values().cloned().collect()),
        other => Err(Error::msg(format!(
            "Cannot iterate over {}",
            kind_paren_iter(other)
        ))),
    }
}

fn kind_paren_iter(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        other => kind_paren(other),
    }
}

fn sortable(v: &Value, msg: &str) -> R<Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        other => Err(type_error(other, msg)),
    }
}

fn iterate_into(it: &Item, out: &mut Vec<Item>) -> R<()> {
    let push = |out: &mut Vec<Item>, k: Value, v: Value| {
        out.push(Item {
            v,
            p: it.p.as_ref().map(|p| {
                let mut p = p.clone();
                p.push(k);
                p
            }),
        });
    };
    match &it.v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                push(out, Value::from(i as i64), x.clone());
            }
            Ok(())
        }
        Value::Object(m) => {
            for (k, x) in m {
                push(out, Value::String(k.clone()), x.clone());
            }
            Ok(())
        }
        other => Err(Error::msg(format!(
            "Cannot iterate over {}",
            kind_paren_iter(other)
        ))),
    }
}

/// `jv_get`: `.a`, `.[n]`, `.[-n]`, `.["k"]`, arrays of indices.
pub fn index(v: &Value, k: &Value) -> R<Value> {
    match (v, k) {
        (Value::Object(m), Value::String(s)) => Ok(m.get(s).cloned().unwrap_or(Value::Null)),
        (Value::Array(a), Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.is_nan() {
                return Ok(Value::Null);
            }
            let mut i = f.floor() as i64;
            if i < 0 {
                i += a.len() as i64;
            }
            if i < 0 {
                return Ok(Value::Null);
            }
            Ok(a.get(i as usize).cloned().unwrap_or(Value::Null))
        }
        (Value::Array(_) | Value::String(_), Value::Object(o)) => slice(
            v,
            o.get("start").unwrap_or(&Value::Null),
            o.get("end").unwrap_or(&Value::Null),
        ),
        (Value::Array(a), Value::Array(b)) => {
            Ok(indices(&Value::Array(a.clone()), &Value::Array(b.clone()))?)
        }
        (Value::Null, Value::String(_) | Value::Number(_) | Value::Object(_)) => Ok(Value::Null),
        (t, Value::String(s)) if s.len() < 30 => Err(Error::msg(format!(
            "Cannot index {} with string \"{s}\"",
            kind(t)
        ))),
        (t, k) => Err(Error::msg(format!(
            "Cannot index {} with {}",
            kind(t),
            kind(k)
        ))),
    }
}

fn slice(v: &Value, from: &Value, to: &Value) -> R<Value> {
    let len = match v {
        Value::Array(a) => a.len(),
        Value::String(s) => s.chars().count(),
        Value::Null => return Ok(Value::Null),
        other => {
            return Err(Error::msg(format!(
                "Cannot index {} with object",
                kind(other)
            )))
        }
    } as f64;
    let bound = |b: &Value, dflt: f64| -> R<f64> {
        match b {
            Value::Null => Ok(dflt),
            Value::Number(n) => {
                let mut x = n.as_f64().unwrap_or(0.0);
                if x < 0.0 {
                    x += len;
                }
                Ok(x.clamp(0.0, len))
            }
            _ => Err(Error::msg(
                "Start and end indices of an array slice must be numbers",
            )),
        }
    };
    let s = bound(from, 0.0)?.floor() as usize;
    let e = (bound(to, len)?.ceil() as usize).max(s);
    Ok(match v {
        Value::Array(a) => Value::Array(a[s..e].to_vec()),
        Value::String(st) => Value::String(st.chars().skip(s).take(e - s).collect()),
        _ => Value::Null,
    })
}

fn has(v: &Value, k: &Value) -> R<bool> {
    match (v, k) {
        (Value::Object(m), Value::String(s)) => Ok(m.contains_key(s)),
        (Value::Array(a), Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(-1.0);
            Ok(f >= 0.0 && (f as usize) < a.len())
        }
        _ => Err(Error::msg(format!(
            "Cannot check whether {} has a {} key",
            kind(v),
            kind(k)
        ))),
    }
}

fn length(v: &Value) -> R<Value> {
    Ok(match v {
        Value::Null => Value::from(0),
        Value::Bool(_) => return Err(type_error(v, "has no length")),
        Value::Number(n) => num(n.as_f64().unwrap_or(0.0).abs()),
        Value::String(s) => Value::from(s.chars().count() as i64),
        Value::Array(a) => Value::from(a.len() as i64),
        Value::Object(m) => Value::from(m.len() as i64),
    })
}

fn contains(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => y.iter().all(|(k, bv)| {
            x.get(k)
                .is_some_and(|av| kind(av) == kind(bv) && contains(av, bv))
        }),
        (Value::Array(x), Value::Array(y)) => y
            .iter()
            .all(|bv| x.iter().any(|av| kind(av) == kind(bv) && contains(av, bv))),
        (Value::String(x), Value::String(y)) => x.contains(y.as_str()),
        _ => json_eq(a, b),
    }
}

fn indices(v: &Value, i: &Value) -> R<Value> {
    match (v, i) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::String(s), Value::String(sub)) => {
            if sub.is_empty() {
                return Ok(Value::Null);
            }
            let mut out = Vec::new();
            let bytes = s.as_bytes();
            let sb = sub.as_bytes();
            let mut start = 0;
            while start + sb.len() <= bytes.len() {
                if &bytes[start..start + sb.len()] == sb {
                    out.push(Value::from(start as i64));
                }
                start += 1;
            }
            Ok(Value::Array(out))
        }
        (Value::Array(a), Value::Array(b)) => {
            if b.is_empty() {
                return Ok(Value::Null);
            }
            let mut out = Vec::new();
            for s in 0..a.len() {
                if s + b.len() <= a.len()
                    && a[s..s + b.len()].iter().zip(b).all(|(x, y)| json_eq(x, y))
                {
                    out.push(Value::from(s as i64));
                }
            }
            Ok(Value::Array(out))
        }
        (Value::Array(a), x) => Ok(Value::Array(
            a.iter()
                .enumerate()
                .filter(|(_, y)| json_eq(y, x))
                .map(|(k, _)| Value::from(k as i64))
                .collect(),
        )),
        (a, b) => Err(Error::msg(format!(
            "Cannot index {} with {}",
            kind(a),
            kind(b)
        ))),
    }
}

fn flatten(a: &[Value], depth: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for x in a {
        match x {
            Value::Array(inner) if depth > 0 => out.extend(flatten(inner, depth - 1)),
            other => out.push(other.clone()),
        }
    }
    out
}

fn json_eq(a: &Value, b: &Value) -> bool {
    cmp_json(a, b) == std::cmp::Ordering::Equal
}

fn kind_order(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Number(_) => 3,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

fn cmp_str(a: &str, b: &str) -> std::cmp::Ordering {
    a.as_bytes().cmp(b.as_bytes())
}

/// jq's total order: null < false < true < numbers < strings < arrays < objects.
pub fn cmp_json(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ka, kb) = (kind_order(a), kind_order(b));
    if ka != kb {
        return ka.cmp(&kb);
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => cmp_str(x, y),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = cmp_json(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut kx: Vec<&String> = x.keys().collect();
            let mut ky: Vec<&String> = y.keys().collect();
            kx.sort_stable_by(|a, b| cmp_str(a, b));
            ky.sort_stable_by(|a, b| cmp_str(a, b));
            let kc = kx
                .iter()
                .map(|s| Value::String((*s).clone()))
                .collect::<Vec<_>>();
            let kd = ky
                .iter()
                .map(|s| Value::String((*s).clone()))
                .collect::<Vec<_>>();
            let o = cmp_json(&Value::Array(kc), &Value::Array(kd));
            if o != Ordering::Equal {
                return o;
            }
            for k in kx {
                let o = cmp_json(&x[k], &y[k]);
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        }
        _ => Ordering::Equal,
    }
}

fn binop(op: BinOp, a: Value, b: Value) -> R<Value> {
    use std::cmp::Ordering;
    match op {
        BinOp::Eq => return Ok(Value::Bool(json_eq(&a, &b))),
        BinOp::Ne => return Ok(Value::Bool(!json_eq(&a, &b))),
        BinOp::Lt => return Ok(Value::Bool(cmp_json(&a, &b) == Ordering::Less)),
        BinOp::Le => return Ok(Value::Bool(cmp_json(&a, &b) != Ordering::Greater)),
        BinOp::Gt => return Ok(Value::Bool(cmp_json(&a, &b) == Ordering::Greater)),
        BinOp::Ge => return Ok(Value::Bool(cmp_json(&a, &b) != Ordering::Less)),
        _ => {}
    }
    let f = |v: &Value| v.as_f64().unwrap_or(0.0);
    match op {
        BinOp::Add => match (a, b) {
            (Value::Null, x) | (x, Value::Null) => Ok(x),
            (Value::Number(x), Value::Number(y)) => {
                Ok(num(f(&Value::Number(x)) + f(&Value::Number(y))))
            }
            (Value::String(x), Value::String(y)) => Ok(Value::String(x + &y)),
            (Value::Array(mut x), Value::Array(y)) => {
                x.extend(y);
                Ok(Value::Array(x))
            }
            (Value::Object(mut x), Value::Object(y)) => {
                for (k, v) in y {
                    x.insert(k, v);
                }
                Ok(Value::Object(x))
            }
            (x, y) => Err(type_error2(&x, &y, "cannot be added")),
        },
        BinOp::Sub => match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                Ok(num(f(&Value::Number(x)) - f(&Value::Number(y))))
            }
            (Value::Array(x), Value::Array(y)) => Ok(Value::Array(
                x.into_iter()
                    .filter(|e| !y.iter().any(|z| json_eq(e, z)))
                    .collect(),
            )),
            (x, y) => Err(type_error2(&x, &y, "cannot be subtracted")),
        },
        BinOp::Mul => match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                Ok(num(f(&Value::Number(x)) * f(&Value::Number(y))))
            }
            (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
                let times = n.as_f64().unwrap_or(0.0);
                if times <= 0.0 {
                    Ok(Value::Null)
                } else {
                    let t = (times.ceil() as usize).max(1);
                    if s.len().saturating_mul(t) > 64 << 20 {
                        return Err(Error::msg("Repeat string result too long"));
                    }
                    Ok(Value::String(s.repeat(t)))
                }
            }
            (Value::Object(x), Value::Object(y)) => Ok(Value::Object(deep_merge(x, y))),
            (x, y) => Err(type_error2(&x, &y, "cannot be multiplied")),
        },
        BinOp::Div => match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let d = f(&Value::Number(y.clone()));
                if d == 0.0 {
                    return Err(type_error2(
                        &Value::Number(x),
                        &Value::Number(y),
                        "cannot be divided because the divisor is zero",
                    ));
                }
                Ok(num(f(&Value::Number(x)) / d))
            }
            (Value::String(x), Value::String(y)) => Ok(Value::Array(if x.is_empty() {
                Vec::new()
            } else {
                x.split(y.as_str())
                    .map(|s| Value::String(s.into()))
                    .collect()
            })),
            (x, y) => Err(type_error2(&x, &y, "cannot be divided")),
        },
        BinOp::Mod => match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (xi, yi) = (
                    f(&Value::Number(x.clone())) as i64,
                    f(&Value::Number(y.clone())) as i64,
                );
                if yi == 0 {
                    return Err(type_error2(
                        &Value::Number(x),
                        &Value::Number(y),
                        "cannot be divided (remainder) because the divisor is zero",
                    ));
                }
                Ok(Value::from(xi.wrapping_rem(yi.wrapping_abs())))
            }
            (x, y) => Err(type_error2(&x, &y, "cannot be divided (remainder)")),
        },
        _ => Ok(Value::Null),
    }
}

fn deep_merge(mut a: Map<String, Value>, b: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(x)), Value::Object(y)) => {
                let merged = deep_merge(std::mem::take(x), y);
                *x = merged;
            }
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
    a
}

pub fn getpath(v: &Value, p: &[Value]) -> R<Value> {
    let mut cur = v.clone();
    for k in p {
        if cur.is_null() {
            return Ok(Value::Null);
        }
        cur = index(&cur, k)?;
    }
    Ok(cur)
}

pub fn setpath(v: Value, p: &[Value], newv: Value) -> R<Value> {
    let Some((k, rest)) = p.split_first() else {
        return Ok(newv);
    };
    match (v, k) {
        (Value::Null, Value::String(s)) => {
            let mut m = Map::new();
            m.insert(s.clone(), setpath(Value::Null, rest, newv)?);
            Ok(Value::Object(m))
        }
        (Value::Object(mut m), Value::String(s)) => {
            let cur = m.remove(s).unwrap_or(Value::Null);
            // keep the key's position
            let child = setpath(cur, rest, newv)?;
            m.insert(s.clone(), child);
            Ok(Value::Object(m))
        }
        (arr @ (Value::Null | Value::Array(_)), Value::Number(n)) => {
            let mut a = match arr {
                Value::Array(a) => a,
                _ => Vec::new(),
            };
            let mut i = n.as_f64().unwrap_or(0.0) as i64;
            if i < 0 {
                i += a.len() as i64;
                if i < 0 {
                    return Err(Error::msg("Out of bounds negative array index"));
                }
            }
            let i = i as usize;
            if i > 10_000_000 {
                return Err(Error::msg("Array index too large"));
            }
            if i >= a.len() {
                a.resize(i + 1, Value::Null);
            }
            let cur = std::mem::take(&mut a[i]);
            a[i] = setpath(cur, rest, newv)?;
            Ok(Value::Array(a))
        }
        (arr @ (Value::Null | Value::Array(_)), Value::Object(o)) => {
            let a = match arr {
                Value::Array(a) => a,
                _ => Vec::new(),
            };
            let len = a.len() as f64;
            let b = |x: Option<&Value>, d: f64| -> f64 {
                match x.and_then(Value::as_f64) {
                    Some(mut f) => {
                        if f < 0.0 {
                            f += len;
                        }
                        f.clamp(0.0, len)
                    }
                    None => d,
                }
            };
            let s = b(o.get("start"), 0.0) as usize;
            let e = (b(o.get("end"), len) as usize).max(s);
            let cur = Value::Array(a[s..e].to_vec());
            let repl = setpath(cur, rest, newv)?;
            let Value::Array(repl) = repl else {
                return Err(Error::msg(
                    "A slice of an array can only be assigned another array",
                ));
            };
            let mut out = a[..s].to_vec();
            out.extend(repl);
            out.extend_from_slice(&a[e..]);
            Ok(Value::Array(out))
        }
        (t, k) => Err(Error::msg(match (&t, k) {
            (_, Value::String(s)) if s.len() < 30 => {
                format!("Cannot index {} with string \"{s}\"", kind(&t))
            }
            _ => format!("Cannot index {} with {}", kind(&t), kind(k)),
        })),
    }
}

pub fn delpaths(v: Value, mut paths: Vec<Vec<Value>>) -> R<Value> {
    // longest and last paths first, as jq sorts them
    paths.sort_stable_by(|a, b| cmp_json(&Value::Array(b.clone()), &Value::Array(a.clone())));
    let mut v = v;
    for p in paths {
        v = delpath(v, &p)?;
    }
    Ok(v)
}

fn delpath(v: Value, p: &[Value]) -> R<Value> {
    let Some((k, rest)) = p.split_first() else {
        return Ok(Value::Null);
    };
    if v.is_null() {
        return Ok(Value::Null);
    }
    if rest.is_empty() {
        return match (v, k) {
            (Value::Object(mut m), Value::String(s)) => {
                m.shift_remove(s);
                Ok(Value::Object(m))
            }
            (Value::Array(mut a), Value::Number(n)) => {
                let mut i = n.as_f64().unwrap_or(0.0) as i64;
                if i < 0 {
                    i += a.len() as i64;
                }
                if i >= 0 && (i as usize) < a.len() {
                    a.remove(i as usize);
                }
                Ok(Value::Array(a))
            }
            (Value::Array(a), Value::Object(o)) => {
                let len = a.len() as f64;
                let b = |x: Option<&Value>, d: f64| -> f64 {
                    match x.and_then(Value::as_f64) {
                        Some(mut f) => {
                            if f < 0.0 {
                                f += len;
                            }
                            f.clamp(0.0, len)
                        }
                        None => d,
                    }
                };
                let s = b(o.get("start"), 0.0) as usize;
                let e = (b(o.get("end"), len) as usize).max(s);
                let mut out = a[..s].to_vec();
                out.extend_from_slice(&a[e..]);
                Ok(Value::Array(out))
            }
            (t, k) => Err(Error::msg(format!(
                "Cannot delete field at {} index of {}",
                kind(k),
                kind(&t)
            ))),
        };
    }
    let child = index(&v, k)?;
    let newc = delpath(child, rest)?;
    setpath(v, std::slice::from_ref(k), newc)
}

fn regex_for(re: &Value, flags: &Value) -> R<regex_automata::meta::Regex> {
    let Value::String(pat) = re else {
        return Err(Error::msg(format!(
            "{} cannot be matched, as it is not a string",
            kind_paren(re)
        )));
    };
    let fl = match flags {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => return Err(Error::msg(format!("{} is not a string", kind_paren(other)))),
    };
    let mut prefix = String::new();
    for c in fl.chars() {
        match c {
            'i' => prefix.push('i'),
            'x' => prefix.push('x'),
            's' => prefix.push('s'),
            'g' | 'n' | 'p' | 'l' => {}
            other => {
                return Err(Error::msg(format!(
                    "{fl} is not a valid modifier string (unknown flag {other})"
                )));
            }
        }
    }
    let full = if prefix.is_empty() {
        pat.clone()
    } else {
        format!("(?{prefix}){pat}")
    };
    regex_automata::meta::Regex::new(&full)
        .map_err(|e| Error::msg(format!("{pat} (at offset 0) is not a valid regex: {e}")))
}

/// jq's match objects: offsets and lengths in codepoints, named captures.
fn match_objects(r: &regex_automata::meta::Regex, s: &str, global: bool) -> Vec<Value> {
    let cp = |byte: usize| s[..byte].chars().count();
    let mut out = Vec::new();
    let names: Vec<Option<String>> = r
        .group_info()
        .pattern_names(regex_automata::PatternID::ZERO)
        .map(|n| n.map(str::to_string))
        .collect();
    for caps in r.captures_iter(s) {
        let Some(m) = caps.get_match() else { continue };
        let mut captures = Vec::new();
        for (gi, name) in names.iter().enumerate().skip(1) {
            let c = match caps.get_group(gi) {
                Some(sp) => serde_json::json!({
                    "offset": cp(sp.start),
                    "length": s[sp.start..sp.end].chars().count(),
                    "string": &s[sp.start..sp.end],
                    "name": name,
                }),
                None => {
                    serde_json::json!({"offset": -1, "length": 0, "string": null, "name": name})
                }
            };
            captures.push(c);
        }
        out.push(serde_json::json!({
            "offset": cp(m.start()),
            "length": s[m.start()..m.end()].chars().count(),
            "string": &s[m.start()..m.end()],
            "captures": captures,
        }));
        if !global {
            break;
        }
    }
    out
}

fn capture_object(m: &Value) -> Value {
    let mut o = Map::new();
    if let Some(caps) = m["captures"].as_array() {
        for c in caps {
            if let Some(n) = c["name"].as_str() {
                o.insert(n.to_string(), c["string"].clone());
            }
        }
    }
    Value::Object(o)
}

/// `@text`, `@json`, `@base64`, `@base64d`, `@uri`, `@csv`, `@tsv`, `@html`, `@sh`.
pub fn format_value(f: &str, v: &Value) -> R<String> {
    use base64::Engine;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => dump(other, None, false),
    };
    Ok(match f {
        "text" => text(v),
        "json" => dump(v, None, false),
        "base64" => base64::engine::general_purpose::STANDARD.encode(text(v)),
        "base64d" => {
            let s = text(v);
            let clean: String = s.trim_end_matches('=').to_string();
            let dec = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(clean.as_bytes())
                .map_err(|_| Error::msg(format!("{} is not valid base64 data", kind_paren(v))))?;
            String::from_utf8_lossy(&dec).into_owned()
        }
        "uri" => {
            let mut out = String::new();
            for b in text(v).bytes() {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        }
        "html" => text(v)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;"),
        "csv" | "tsv" => {
            let Value::Array(a) = v else {
                return Err(type_error(
                    v,
                    &format!("cannot be {f}-formatted, only an array can be"),
                ));
            };
            let mut cells = Vec::new();
            for x in a {
                cells.push(match x {
                    Value::String(s) => {
                        if f == "csv" {
                            format!("\"{}\"", s.replace('"', "\"\""))
                        } else {
                            s.replace('\\', "\\\\")
                                .replace('\t', "\\t")
                                .replace('\n', "\\n")
                                .replace('\r', "\\r")
                        }
                    }
                    Value::Number(_) | Value::Bool(_) => dump(x, None, false),
                    Value::Null => String::new(),
                    other => return Err(type_error(other, &format!("is not valid in a {f} row"))),
                });
            }
            cells.join(if f == "csv" { "," } else { "\t" })
        }
        "sh" => {
            let quote = |x: &Value| -> R<String> {
                match x {
                    Value::String(s) => Ok(format!("'{}'", s.replace('\'', "'\\''"))),
                    Value::Array(_) | Value::Object(_) => {
                        Err(type_error(x, "can not be escaped for shell"))
                    }
                    other => Ok(dump(other, None, false)),
                }
            };
            match v {
                Value::Array(a) => a.iter().map(quote).collect::<R<Vec<_>>>()?.join(" "),
                other => quote(other)?,
            }
        }
        other => return Err(Error::msg(format!("{other} is not a valid format"))),
    })
}

/// jq's number printing (`jvp_dtoa_fmt`): shortest round-trip digits, exponent form when the
/// decimal exponent is below -4 or beyond the digits plus 15.
pub fn fmt_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() < 100_000_000_000_000_000 {
            return i.to_string();
        }
    }
    let x = n.as_f64().unwrap_or(0.0);
    if x.is_nan() {
        return "null".into();
    }
    let x = x.clamp(-f64::MAX, f64::MAX);
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{:e}", x.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let decpt = exp + 1;
    let nd = digits.len() as i32;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if decpt <= -4 || decpt > nd + 15 {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        let d = decpt - 1;
        if d < 0 {
            out.push('-');
        } else {
            out.push('+');
        }
        out.push_str(&format!("{:02}", d.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let dp = decpt as usize;
        if digits.len() > dp {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        } else {
            out.push_str(&digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        }
    }
    out
}

fn dump_string(s: &str, ascii: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if ascii && (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Output options.
#[derive(Clone, Debug, Default)]
pub struct DumpOpts {
    /// `None`: compact; `Some(n)`: n spaces (`Some(0)` with `tab` for tabs).
    pub indent: Option<usize>,
    pub tab: bool,
    pub sort_keys: bool,
    pub ascii: bool,
}

/// jq's `jv_dump`: compact (`indent: None`) or pretty.
pub fn dump(v: &Value, indent: Option<usize>, sort_keys: bool) -> String {
    let mut out = String::new();
    dump_with(
        v,
        &DumpOpts {
            indent,
            tab: false,
            sort_keys,
            ascii: false,
        },
        0,
        &mut out,
    );
    out
}

pub fn dump_with(v: &Value, o: &DumpOpts, level: usize, out: &mut String) {
    let pad = |out: &mut String, level: usize| {
        if o.tab {
            for _ in 0..level {
                out.push('\t');
            }
        } else if let Some(n) = o.indent {
            for _ in 0..level * n {
                out.push(' ');
            }
        }
    };
    let pretty = o.indent.is_some_and(|n| n > 0) || o.tab;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&fmt_number(n)),
        Value::String(s) => dump_string(s, o.ascii, out),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    pad(out, level + 1);
                }
                dump_with(x, o, level + 1, out);
            }
            if pretty {
                out.push('\n');
                pad(out, level);
            }
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            if o.sort_keys {
                keys.sort_stable_by(|a, b| cmp_str(a, b));
            }
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    pad(out, level + 1);
                }
                dump_string(k, o.ascii, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                dump_with(&m[k], o, level + 1, out);
            }
            if pretty {
                out.push('\n');
                pad(out, level);
            }
            out.push('}');
        }
    }
}

/// `$__prog_args` helpers: named arguments as jq exposes them.
pub fn named_args(pairs: &[(String, Value)]) -> Value {
    let mut named = Map::new();
    for (k, v) in pairs {
        named.insert(k.clone(), v.clone());
    }
    let mut m = BTreeMap::new();
    m.insert("positional", Value::Array(Vec::new()));
    m.insert("named", Value::Object(named));
    serde_json::json!({"positional": m["positional"], "named": m["named"]})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(prog: &str, input: Value) -> Vec<String> {
        let e = super::super::parse::parse(prog).unwrap();
        let mut i = Interp::new(Map::new());
        i.run(&e, input, &[])
            .unwrap_or_else(|e| panic!("{prog}: {e:?}"))
            .iter()
            .map(|v| dump(v, None, false))
            .collect()
    }

    fn err(prog: &str, input: Value) -> String {
        let e = super::super::parse::parse(prog).unwrap();
        let mut i = Interp::new(Map::new());
        match i.run(&e, input, &[]) {
            Err(Error::Value(Value::String(s))) => s,
            other => panic!("{other:?}"),
        }
    }

    /// Outputs checked against jq 1.6 on this machine (same texts as jq 1.7.1's source).
    #[test]
    fn like_real_jq() {
        assert_eq!(
            run("{a: (1,2), b: (3,4)}", json!(null)),
            [
                r#"{"a":1,"b":3}"#,
                r#"{"a":1,"b":4}"#,
                r#"{"a":2,"b":3}"#,
                r#"{"a":2,"b":4}"#
            ]
        );
        assert_eq!(
            run("(1,2) + (10,20)", json!(null)),
            ["11", "12", "21", "22"]
        );
        assert_eq!(run(".[1:]", json!([1, 2, 3])), ["[2,3]"]);
        assert_eq!(run(".[1:]", json!("abc")), ["\"bc\""]);
        assert_eq!(run(".[-1]", json!([1, 2])), ["2"]);
        assert_eq!(
            run(
                "group_by(.a), unique_by(.a), sort_by(.b)",
                json!([{"a":1,"b":2},{"a":1}])
            ),
            [
                r#"[[{"a":1,"b":2},{"a":1}]]"#,
                r#"[{"a":1,"b":2}]"#,
                r#"[{"a":1},{"a":1,"b":2}]"#
            ]
        );
        assert_eq!(
            run("flatten, flatten(1)", json!([1, [2, [3]]])),
            ["[1,2,3]", "[1,2,[3]]"]
        );
        assert_eq!(
            run(r#"sub("-";"+"), gsub("-";"+")"#, json!("a-b-c")),
            ["\"a+b-c\"", "\"a+b+c\""]
        );
        assert_eq!(
            run(r#"capture("(?<n>[0-9]+)")"#, json!("test 123")),
            [r#"{"n":"123"}"#]
        );
        assert_eq!(run(".a.b.c = 1", json!({})), [r#"{"a":{"b":{"c":1}}}"#]);
        assert_eq!(
            run(
                "del(.a), (.c.d = 5), with_entries(.value += 1)",
                json!({"b":2,"a":1})
            ),
            [
                r#"{"b":2}"#,
                r#"{"b":2,"a":1,"c":{"d":5}}"#,
                r#"{"b":3,"a":2}"#
            ]
        );
        assert_eq!(
            run("map(select(. != null))", json!([1, null, 2])),
            ["[1,2]"]
        );
        assert_eq!(run("[.[] // \"d\"]", json!({"a":1,"b":null})), ["[1]"]);
        assert_eq!(run("(1,null,2) // 3", json!(null)), ["1", "2"]);
        assert_eq!(
            run("tostring, (1e100|tostring)", json!(1.5)),
            ["\"1.5\"", "\"1e+100\""]
        );
        assert_eq!(
            run("[paths]", json!({"a":[1,{"b":2}]})),
            [r#"[["a"],["a",0],["a",1],["a",1,"b"]]"#]
        );
        assert_eq!(
            run("[limit(3; range(10))], [range(0;10;3)]", json!(null)),
            ["[0,1,2]", "[0,3,6,9]"]
        );
        assert_eq!(
            run("reduce range(5) as $i (0; . + $i)", json!(null)),
            ["10"]
        );
        assert_eq!(run("[.. | numbers]", json!({"a":{"b":1}})), ["[1]"]);
        assert_eq!(run("@base64 \"x\\(\"hi\")\"", json!(null)), ["\"xaGk=\""]);
        assert_eq!(run("@base64d", json!("aGk=")), ["\"hi\""]);
        assert_eq!(
            run("keys, length, to_entries", json!({"a":1})),
            [r#"["a"]"#, "1", r#"[{"key":"a","value":1}]"#]
        );
        assert_eq!(
            err(".manifest", json!("abc")),
            "Cannot index string with string \"manifest\""
        );
        assert_eq!(
            err(".[]", json!("abcdefghijklmnopqrstuvwxyz")),
            "Cannot iterate over string (\"abcdefghij...)"
        );
        assert_eq!(
            err(". + 1", json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
            "array ([1,2,3,4,5,...) and number (1) cannot be added"
        );
        assert_eq!(
            err(". + 1", json!({"aaaaaaaaaaaaaaaaaaaaaa":1})),
            "object ({\"aaaaaaaaa...) and number (1) cannot be added"
        );
        assert_eq!(err("length", json!(true)), "boolean (true) has no length");
    }

    #[test]
    fn numbers_print_like_jq() {
        let p = |v: Value| dump(&v, None, false);
        assert_eq!(p(json!(1.0)), "1");
        assert_eq!(p(json!(1e17)), "1e+17");
        assert_eq!(p(json!(1e100)), "1e+100");
        assert_eq!(p(json!(0.1)), "0.1");
        assert_eq!(p(json!(1.23456)), "1.23456");
        assert_eq!(p(json!(0.00001)), "1e-05");
        assert_eq!(p(json!(0.0001)), "0.0001");
        assert_eq!(p(json!(123_456_789_012_i64)), "123456789012");
        assert_eq!(p(json!("\u{7f}\u{1}é")), "\"\\u007f\\u0001é\"");
    }
}
