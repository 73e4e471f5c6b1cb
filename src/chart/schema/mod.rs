//! values.schema.json validation (Helm's pkg/chart/common/util/jsonschema.go over
//! santhosh-tekuri/jsonschema v6.0.2): each chart's schema checked against its values, the
//! schema itself first checked against its draft's metaschema, subcharts checked with their part
//! of the values — and Helm's report ("CHART:\n- at '/path': …").
//!
//! Differences that cannot be avoided: Go iterates maps in random order, so when several
//! properties fail Helm lists them in a random order; here they come sorted. Schemas referenced
//! over the network cannot be fetched in the browser.

mod compile;
mod format;
mod num;
mod validate;

use crate::engine::value::types;
use crate::engine::{Map, Value};

use super::jsontext;
use super::model::Chart;

pub use compile::VALUES_SCHEMA_URL;
use compile::{draft_from_url, metaschema_url, Compiler};
use validate::{Inst, Validator};

/// Helm's ValidateAgainstSchema: Err is the per-chart report Helm puts after "values don't meet
/// the specifications of the schema(s) in the following chart(s):\n".
pub fn validate_against_schema(chart: &Chart, values: &Map) -> Result<(), String> {
    let mut sb = String::new();
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_against_single_schema(values, schema) {
            sb.push_str(&format!("{}:\n", chart.name()));
            sb.push_str(&e);
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => continue,
            Some(Value::Map(m)) if m.ty() == types::MAP => {
                if let Err(e) = validate_against_schema(sub, &m) {
                    sb.push_str(&e);
                }
            }
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    if sb.is_empty() {
        Ok(())
    } else {
        Err(sb)
    }
}

/// Helm's ValidateAgainstSingleSchema: parse, check against the metaschema, compile, validate.
pub fn validate_against_single_schema(values: &Map, schema_json: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(schema_json);
    let doc = jsontext::parse_document(&text)?;
    let mut c = Compiler::new();
    // The schema document must itself be valid for its draft.
    let (draft_meta, declared) = match doc.get("$schema").and_then(jsontext::Json::as_str) {
        Some(s) => match draft_from_url(s) {
            Some((_, meta)) => (meta.to_string(), true),
            None => (s.to_string(), true),
        },
        None => (metaschema_url(2020).to_string(), false),
    };
    let _ = declared;
    let meta = c.compile_url(&draft_meta)?;
    let inst = Inst::from_json(&doc);
    if let Err(e) = Validator::new(&mut c).validate(meta, &inst) {
        return Err(format!(
            "{} is not valid against metaschema: {}",
            crate::engine::printf::quote(&format!("{VALUES_SCHEMA_URL}#")),
            e.text()
        ));
    }
    c.add_document(VALUES_SCHEMA_URL, doc);
    let root = c.compile_url(VALUES_SCHEMA_URL)?;
    let inst = Inst::from_value(&Value::Map(values.clone()));
    match Validator::new(&mut c).validate(root, &inst) {
        Ok(()) => Ok(()),
        Err(e) => {
            let text = e.text();
            let prefix = format!(
                "jsonschema validation failed with {}\n",
                validate::quote(&format!("{VALUES_SCHEMA_URL}#"))
            );
            Ok::<(), String>(()).and(Err(format!(
                "{}\n",
                text.strip_prefix(&prefix).unwrap_or(&text)
            )))
        }
    }
}
