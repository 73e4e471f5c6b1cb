//! User-supplied values as Helm's CLI gathers them (pkg/cli/values/options.go): `-f` files merged
//! in order, then `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal` — always
//! in that order, whatever order the flags were given in — each with Helm's error wording.

use crate::engine::Map;

use super::load::load_values;
use super::strvals;
use super::values::merge_maps;

/// The values flags of `helm install/upgrade/template/lint` (Helm's values.Options).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueOptions {
    /// `-f/--values`
    pub value_files: Vec<String>,
    /// `--set-string`
    pub string_values: Vec<String>,
    /// `--set`
    pub values: Vec<String>,
    /// `--set-file`
    pub file_values: Vec<String>,
    /// `--set-json`
    pub json_values: Vec<String>,
    /// `--set-literal`
    pub literal_values: Vec<String>,
}

/// Reads a file named on the command line (`-f`, `--set-file`); Err is the text Go's os.ReadFile
/// would give (`open x.yaml: no such file or directory`).
pub type ReadFile<'a> = dyn FnMut(&str) -> Result<Vec<u8>, String> + 'a;

impl ValueOptions {
    /// Whether no values flag was given.
    pub fn is_empty(&self) -> bool {
        *self == ValueOptions::default()
    }

    /// Helm's Options.MergeValues.
    pub fn merge_values(&self, read_file: &mut ReadFile<'_>) -> Result<Map, String> {
        let mut base = Map::new();
        for path in &self.value_files {
            let raw = read_file(path)?;
            let current = load_values(&String::from_utf8_lossy(&raw))
                .map_err(|e| format!("failed to parse {path}: {e}"))?;
            base = merge_maps(&base, &current);
        }
        for value in &self.json_values {
            let trimmed = super::ignore::go_trim_space(value);
            if trimmed.starts_with('{') {
                match strvals::json_prefix(trimmed) {
                    Ok((crate::engine::Value::Map(m), used))
                        if super::ignore::go_trim_space(&trimmed[used..]).is_empty() =>
                    {
                        base = merge_maps(&base, &m);
                    }
                    _ => return Err(format!("failed parsing --set-json data JSON: {value}")),
                }
            } else if strvals::parse_json(value, &base).is_err() {
                return Err(format!("failed parsing --set-json data {value}"));
            }
        }
        for value in &self.values {
            strvals::parse_into(value, &base)
                .map_err(|e| format!("failed parsing --set data: {e}"))?;
        }
        for value in &self.string_values {
            strvals::parse_into_string(value, &base)
                .map_err(|e| format!("failed parsing --set-string data: {e}"))?;
        }
        for value in &self.file_values {
            let mut reader = |rs: &str| -> Result<crate::engine::Value, String> {
                let bytes = read_file(rs)?;
                Ok(crate::engine::Value::string(
                    String::from_utf8_lossy(&bytes).into_owned(),
                ))
            };
            strvals::parse_into_file(value, &base, &mut reader)
                .map_err(|e| format!("failed parsing --set-file data: {e}"))?;
        }
        for value in &self.literal_values {
            strvals::parse_literal_into(value, &base)
                .map_err(|e| format!("failed parsing --set-literal data: {e}"))?;
        }
        Ok(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Value;

    #[test]
    fn flags_apply_in_helms_order() {
        let opts = ValueOptions {
            values: vec!["a=set,b=1".into()],
            string_values: vec!["a=string".into()],
            json_values: vec![r#"{"a": "json", "c": [1]}"#.into()],
            literal_values: vec!["d=x,y".into()],
            ..Default::default()
        };
        let m = opts.merge_values(&mut |_| Err("no files".into())).unwrap();
        assert_eq!(Value::Map(m).to_v(), "map[a:string b:1 c:[1] d:x,y]");
    }

    #[test]
    fn errors_in_helms_words() {
        let opts = ValueOptions {
            values: vec!["a".into()],
            ..Default::default()
        };
        assert_eq!(
            opts.merge_values(&mut |_| Err("x".into())).unwrap_err(),
            "failed parsing --set data: key \"a\" has no value"
        );
        let opts = ValueOptions {
            json_values: vec!["{bad".into()],
            ..Default::default()
        };
        assert_eq!(
            opts.merge_values(&mut |_| Err("x".into())).unwrap_err(),
            "failed parsing --set-json data JSON: {bad"
        );
        let opts = ValueOptions {
            file_values: vec!["k=missing.txt".into()],
            ..Default::default()
        };
        assert_eq!(
            opts.merge_values(&mut |p| Err(format!("open {p}: no such file or directory")))
                .unwrap_err(),
            "failed parsing --set-file data: open missing.txt: no such file or directory"
        );
    }
}
