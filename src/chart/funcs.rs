//! Helm's own template functions (pkg/engine/funcs.go), beside Sprig's.

use crate::engine::FuncMap;

mod encoding;

/// Helm's functions that need no chart context (the encoding family: toYaml, fromJson, …).
pub fn register(m: &mut FuncMap) {
    encoding::register(m);
}
