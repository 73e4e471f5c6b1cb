//! Sprig's JSON functions: toJson, toPrettyJson, toRawJson, fromJson and their must* forms.

use crate::engine::FuncMap;

pub(crate) fn register(_m: &mut FuncMap) {}
