//! Template sets (Go's text/template template.go): named trees sharing functions and options.
//!
//! `Templates::parse(name, text)` behaves like Go's `t.New(name).Parse(text)`: every `{{define}}` in
//! the text is added to the set, a non-empty definition replaces an earlier one of the same name,
//! an empty one never replaces a non-empty one. [`Templates::overlay`] gives Helm's `tpl` a cheap
//! clone: new definitions land in the overlay, lookups fall back to the parent set.

#![allow(clippy::result_large_err)]

use crate::engine::sort::SliceSort;
use rustc_hash::FxHashMap as HashMap;
use std::any::Any;
use std::rc::Rc;

use super::ast::{is_empty_tree, Tree};
use super::env::Env;
use super::error::{Error, ErrorKind, Location};
use super::exec;
use super::func::{Func, FuncMap};
use super::parse;
use super::value::{Str, Value};

/// What a missing map key yields (Go's `missingkey=` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default`/`invalid`: the invalid value (prints `<no value>`).
    #[default]
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type (what Helm uses).
    Zero,
    /// `missingkey=error`: execution stops (Helm's `--strict` lint).
    Error,
}

/// A set of named templates with their functions (Go's `*template.Template` and its common part).
#[derive(Clone)]
pub struct Templates {
    pub(crate) inner: Rc<SetInner>,
}

#[derive(Clone)]
pub(crate) struct SetInner {
    pub name: Str,
    pub trees: HashMap<Str, Rc<Tree>>,
    pub funcs: Rc<FuncMap>,
    /// Methods of named map types (e.g. `common.Values.YAML`): (type, method) → function whose
    /// first argument is the receiver.
    pub methods: Rc<HashMap<(&'static str, &'static str), Func>>,
    pub parent: Option<Templates>,
    pub missing_key: MissingKey,
}

impl Templates {
    /// An empty set named `name` (Helm names its set "gotpl").
    pub fn new(name: &str, funcs: FuncMap) -> Templates {
        Templates::with_shared_funcs(name, Rc::new(funcs))
    }

    /// An empty set whose function table is shared with other sets (no copy per set).
    pub fn with_shared_funcs(name: &str, funcs: Rc<FuncMap>) -> Templates {
        Templates {
            inner: Rc::new(SetInner {
                name: Str::from(name),
                trees: HashMap::default(),
                funcs,
                methods: Rc::new(HashMap::default()),
                parent: None,
                missing_key: MissingKey::Invalid,
            }),
        }
    }

    /// The set's own name (Go's `t.Name()` of the root template).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn set_missing_key(&mut self, mk: MissingKey) {
        Rc::make_mut(&mut self.inner).missing_key = mk;
    }

    pub fn missing_key(&self) -> MissingKey {
        self.inner.missing_key
    }

    /// Registers a method on values of a named map type (`Value::Map` whose type is `ty`).
    pub fn add_method(&mut self, ty: &'static str, name: &'static str, f: Func) {
        let inner = Rc::make_mut(&mut self.inner);
        Rc::make_mut(&mut inner.methods).insert((ty, name), f);
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.inner.funcs
    }

    /// Whether `name` is a function known to the parser (the set's functions or Go's built-ins).
    pub fn has_function(&self, name: &str) -> bool {
        self.inner.funcs.contains(name) || super::builtins::is_builtin(name)
    }

    /// Parses `text` as template `name` into the set (Go's `t.New(name).Parse(text)`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let trees = self.parse_trees(name, text)?;
        self.add_trees(&trees);
        Ok(())
    }

    /// Parses `text` as template `name` with this set's functions without adding the result:
    /// the trees can be cached and added to any set with the same functions (`add_trees`).
    pub fn parse_trees(&self, name: &str, text: &str) -> Result<Vec<Rc<Tree>>, Error> {
        let trees = parse::parse(name, text, &|f| self.has_function(f))?;
        Ok(trees.into_iter().map(Rc::new).collect())
    }

    /// Adds parsed trees as `parse` would (Go's AddParseTree for each).
    pub fn add_trees(&mut self, trees: &[Rc<Tree>]) {
        let inner = Rc::make_mut(&mut self.inner);
        for tree in trees {
            // Go's associate: an empty tree never replaces an existing template.
            if inner.trees.contains_key(&tree.name) && is_empty_tree(&tree.root) {
                continue;
            }
            inner.trees.insert(tree.name.clone(), tree.clone());
        }
    }

    /// The template called `name`, looking through overlays to their parents.
    pub fn lookup(&self, name: &str) -> Option<Rc<Tree>> {
        let mut set = self;
        loop {
            if let Some(t) = set.inner.trees.get(name) {
                return Some(t.clone());
            }
            set = set.inner.parent.as_ref()?;
        }
    }

    /// The names of the templates in the set (own and inherited), sorted.
    pub fn names(&self) -> Vec<Str> {
        let mut names: Vec<Str> = Vec::new();
        let mut set = Some(self);
        while let Some(s) = set {
            names.extend(s.inner.trees.keys().cloned());
            set = s.inner.parent.as_ref();
        }
        names.sort_stable();
        names.dedup();
        names
    }

    /// A child set for Helm's `tpl`: definitions parsed into it shadow the parent's.
    pub fn overlay(&self) -> Templates {
        Templates {
            inner: Rc::new(SetInner {
                name: self.inner.name.clone(),
                trees: HashMap::default(),
                funcs: self.inner.funcs.clone(),
                methods: self.inner.methods.clone(),
                parent: Some(self.clone()),
                missing_key: self.inner.missing_key,
            }),
        }
    }

    /// Executes template `name` with `data` (Go's `ExecuteTemplate`).
    pub fn execute(&self, name: &str, data: &Value, env: &Env) -> Result<String, Error> {
        let mut host = ();
        self.execute_with(name, data, env, &mut host)
    }

    /// Like [`Templates::execute`], handing `host` to functions through `CallCtx::host`.
    pub fn execute_with(
        &self,
        name: &str,
        data: &Value,
        env: &Env,
        host: &mut dyn Any,
    ) -> Result<String, Error> {
        let mut out = String::new();
        let mut shared = exec::Shared::new(env, host);
        self.execute_into(name, data, &mut shared, &mut out, 0)?;
        Ok(out)
    }

    pub(crate) fn execute_into(
        &self,
        name: &str,
        data: &Value,
        shared: &mut exec::Shared<'_>,
        out: &mut String,
        nesting: usize,
    ) -> Result<(), Error> {
        let Some(tree) = self.lookup(name) else {
            return Err(plain_error(format!(
                "template: no template {} associated with template {}",
                super::printf::quote(name),
                super::printf::quote(self.name())
            )));
        };
        exec::execute_tree(self, &tree, data, shared, out, nesting)
    }
}

/// An error that is not a template error (Go's plain `fmt.Errorf`).
pub(crate) fn plain_error(message: String) -> Error {
    Error {
        kind: ErrorKind::Plain,
        location: Location::default(),
        executing: None,
        context: None,
        message,
        func: None,
        cause: None,
        no_node: true,
    }
}
