//! Go's `text/template`, reimplemented: lex, parse, exec, values and fmt — nothing of Helm.
//!
//! Mirrors Go's packages file by file (lex.go → lex.rs, parse.go/node.go → parse.rs/ast.rs,
//! exec.go → exec.rs, funcs.go → builtins.rs, fmt → printf.rs). This module imports nothing else of
//! ChartLab; Sprig and Helm add their functions through [`func::FuncMap`].

pub mod env;
pub mod error;
pub mod exec;
pub mod func;
pub mod printf;
pub mod value;

pub use env::{Env, Limits, Timestamp};
pub use error::{Error, ErrorKind, Location};
pub use func::{CallCtx, FnResult, Func, FuncMap, Signature, Ty};
pub use value::{List, Map, Object, Str, Value};
