//! Sprig's regex functions.

use crate::engine::FuncMap;

pub(crate) fn register(_m: &mut FuncMap) {}
