//! TOML as Helm's `toToml`/`fromToml` see it: BurntSushi/toml v1.6.0's encoder, lexer and
//! parser, ported, over engine values.

mod encode;
mod lex;
mod parse;
mod time;

use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};

pub use encode::{to_toml, EncodeError};
pub use time::{TimeKind, TomlTime};

/// A position in TOML text (BurntSushi's `Position`): 1-based line and column, byte span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub col: usize,
    pub start: usize,
    pub len: usize,
}

impl Position {
    /// `withCol`: the column of `start` in `input`.
    fn with_col(mut self, input: &str) -> Position {
        let mut pos = 0usize;
        for line in input.split('\n') {
            let ll = line.len() + 1;
            if pos + ll >= self.start {
                self.col = (self.start + 1).saturating_sub(pos).max(1);
                break;
            }
            pos += ll;
        }
        self
    }
}

/// The element type of an array of tables, as `%T` prints it.
const TABLE_ARRAY: &str = "[]map[string]interface {}";

fn to_value(v: &parse::TVal) -> Value {
    use parse::TVal;
    match v {
        TVal::Str(s) => Value::String(Str::from(s.as_str())),
        TVal::Int(i) => Value::Int64(*i),
        TVal::Float(f) => Value::Float(*f),
        TVal::Bool(b) => Value::Bool(*b),
        TVal::Time(t) => Value::object(t.clone()),
        TVal::Array(items) => Value::List(List::new(items.iter().map(to_value).collect())),
        TVal::Table(t) => Value::Map(table_to_map(t)),
        TVal::TableArray(ts) => Value::List(List::typed(
            TABLE_ARRAY,
            ts.iter().map(|t| Value::Map(table_to_map(t))).collect(),
        )),
    }
}

fn table_to_map(t: &parse::Table) -> Map {
    Map::typed(
        types::MAP,
        t.borrow()
            .iter()
            .map(|(k, v)| (Str::from(k.as_str()), to_value(v)))
            .collect(),
    )
}

/// `toml.Unmarshal(text, &m)` into a `map[string]interface {}`: the map and the error text
/// (`toml: line 1 (last key "a"): unexpected EOF; expected value`). `Err` is a decoder panic
/// (a `BUG:` message), which fails the template call in Helm.
pub fn from_toml(text: &str) -> Result<(Map, Option<String>), String> {
    match parse::parse(text) {
        Ok(t) => Ok((table_to_map(&t), None)),
        Err(parse::Fail::Bug(b)) => Err(b),
        Err(f) => Ok((Map::new(), Some(f.text()))),
    }
}

/// The position of a TOML parse error, for the editor.
pub fn error_position(text: &str) -> Option<Position> {
    match parse::parse(text) {
        Err(parse::Fail::Parse { position, .. }) => Some(position),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
