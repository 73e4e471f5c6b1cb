//! Go's `text/template`, reimplemented: lex, parse, exec, values and fmt — nothing of Helm.
//!
//! Mirrors Go's packages file by file (lex.go → lex.rs, parse.go/node.go → parse.rs/ast.rs,
//! exec.go → exec.rs, funcs.go → builtins.rs + escape.rs, template.go → template.rs, fmt →
//! printf.rs). This module imports nothing else of ChartLab; Sprig and Helm add their functions
//! through [`func::FuncMap`].

pub mod ast;
mod builtins;
pub mod env;
pub mod error;
pub mod escape;
pub mod exec;
pub mod func;
pub mod gostr;
mod lex;
pub mod parse;
pub mod printf;
pub mod sort;
pub mod template;
#[cfg(test)]
mod tests;
pub mod value;

pub use env::{Env, Limits, Timestamp};
pub use error::{Error, ErrorKind, Location};
pub use func::{CallCtx, FnResult, Func, FuncMap, Signature, Ty};
pub use template::{MissingKey, Templates};
pub use value::{List, Map, Object, Str, Value};
