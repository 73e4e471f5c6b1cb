//! Helm's YAML/JSON/TOML functions: toYaml, toYamlPretty, mustToYaml, fromYaml, fromYamlArray,
//! toJson, fromJson, fromJsonArray, toToml, fromToml.

use crate::engine::FuncMap;

pub(crate) fn register(_m: &mut FuncMap) {}
