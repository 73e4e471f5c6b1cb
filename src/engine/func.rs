//! Template functions: Go func signatures (for text/template's argument checks) and the call context.
//!
//! text/template calls Go functions through reflection: it checks arity, converts constants to the
//! parameter types and rejects values of the wrong type ("wrong type for value; expected string; got
//! float64"). A [`Func`] carries the same information as a Go func type ([`Signature`]), so the
//! executor can apply Go's rules before the Rust implementation runs. Implementations receive a
//! [`CallCtx`] (the running executor: clock, randomness, named templates for `include`/`tpl`).

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use super::value::Value;

/// A Go parameter type, as far as template functions use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`: anything, nil included.
    Any,
    String,
    Int,
    Int64,
    Uint32,
    Float64,
    Bool,
    /// `map[string]interface{}` (also accepts `common.Values`, whose underlying type is the same).
    Map,
    /// `[]interface{}`.
    List,
    /// `[]string`.
    Strings,
    /// `[]byte`.
    Bytes,
    /// `time.Time`.
    Time,
    /// An object of exactly this Go type name (e.g. `sprig.certificate`).
    Named(&'static str),
}

impl Ty {
    /// The type as Go prints it in errors (`expected string`).
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::String => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Uint32 => "uint32",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::Map => "map[string]interface {}",
            Ty::List => "[]interface {}",
            Ty::Strings => "[]string",
            Ty::Bytes => "[]uint8",
            Ty::Time => "time.Time",
            Ty::Named(n) => n,
        }
    }
}

/// A Go func type: fixed parameters, then optionally a variadic one (`...T`).
#[derive(Clone, Copy, Debug)]
pub struct Signature {
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
}

impl Signature {
    pub const fn fixed(params: &'static [Ty]) -> Signature {
        Signature {
            params,
            variadic: None,
        }
    }
    pub const fn variadic(params: &'static [Ty], rest: Ty) -> Signature {
        Signature {
            params,
            variadic: Some(rest),
        }
    }
    /// The declared type of argument `i` (the variadic element type past the fixed ones).
    pub fn param(&self, i: usize) -> Ty {
        self.params
            .get(i)
            .copied()
            .or(self.variadic)
            .unwrap_or(Ty::Any)
    }
}

/// What a function returns: its value, or the error Go would wrap as `error calling NAME: …`
/// (a returned error or a recovered panic; both read the same).
pub type FnResult = Result<Value, String>;

/// The Rust side of a template function. Arguments arrive converted to the signature's types.
pub type FnImpl = Rc<dyn Fn(&mut CallCtx<'_>, &[Value]) -> FnResult>;

/// A named template function.
#[derive(Clone)]
pub struct Func {
    pub sig: Signature,
    pub imp: FnImpl,
}

impl Func {
    pub fn new(sig: Signature, f: fn(&mut CallCtx<'_>, &[Value]) -> FnResult) -> Func {
        Func {
            sig,
            imp: Rc::new(f),
        }
    }
    pub fn closure(
        sig: Signature,
        f: impl Fn(&mut CallCtx<'_>, &[Value]) -> FnResult + 'static,
    ) -> Func {
        Func {
            sig,
            imp: Rc::new(f),
        }
    }
}

/// A name → function table (Go's `template.FuncMap`). Later insertions replace earlier ones,
/// and these functions take precedence over the text/template built-ins of the same name
/// (which is how Sprig's `slice` replaces Go's).
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: HashMap<&'static str, Func>,
}

impl FuncMap {
    pub fn new() -> FuncMap {
        FuncMap::default()
    }
    pub fn insert(&mut self, name: &'static str, f: Func) {
        self.funcs.insert(name, f);
    }
    /// Registers a plain function.
    pub fn add(
        &mut self,
        name: &'static str,
        sig: Signature,
        f: fn(&mut CallCtx<'_>, &[Value]) -> FnResult,
    ) {
        self.insert(name, Func::new(sig, f));
    }
    pub fn remove(&mut self, name: &str) -> Option<Func> {
        self.funcs.remove(name)
    }
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }
    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }
    pub fn extend(&mut self, other: &FuncMap) {
        for (k, v) in &other.funcs {
            self.funcs.insert(k, v.clone());
        }
    }
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.funcs.keys().copied()
    }
}

pub use super::exec::CallCtx;
