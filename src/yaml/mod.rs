//! YAML as Helm reads and writes it: go-yaml v2 behind sigs.k8s.io/yaml, over engine values.
//!
//! Reading (`sigs.k8s.io/yaml.Unmarshal`): go-yaml v2 parses the first document into Go values
//! (YAML 1.1 typing), sigs.k8s.io/yaml turns keys into strings and round-trips through JSON, so
//! every number becomes a float64 and every map `map[string]interface {}`. Errors read exactly
//! like Helm's (`error converting YAML to JSON: yaml: line 2: mapping values are not allowed in
//! this context`) and also carry the position for the editor.
//!
//! Writing (`toYaml` = `sigs.k8s.io/yaml.Marshal`): `json.Marshal`, then go-yaml v2 parses that
//! JSON back (integers are ints again: `1000000`, not `1e+06`) and its encoder and emitter print
//! it (sorted keys, YAML 1.1-aware quoting, literal block scalars, folding at 80 columns).
//! `toYamlPretty` uses go-yaml v3's encoder with a 2-space indent on the Go values directly.
//!
//! The scanner, parser, emitter, resolver and decoder are ports of go-yaml's own Go code (see
//! docs/yaml.md for why not libyaml or a Rust YAML crate).

mod convert;
mod decode;
mod emitter;
mod encode;
mod parser;
mod resolve;
mod scanner;
mod sort;
mod typed;

use std::fmt;

use crate::engine::value::types;
use crate::engine::{Map, Value};
use crate::json::Target;

pub use decode::MAX_DEPTH;
pub use encode::{to_yaml, to_yaml_pretty};
pub use typed::{GoStruct, GoType};

/// A YAML error as Helm prints it, with the position it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// The complete message (e.g. `error converting YAML to JSON: yaml: line 2: …`).
    pub message: String,
    /// 1-based line of the problem in the input, when known (Go's own `line N` is sometimes
    /// one less, for parser errors; this is the real position).
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
}

impl YamlError {
    fn new(message: String) -> YamlError {
        YamlError {
            message,
            line: None,
            column: None,
        }
    }

    /// The same error with a prefix before its message (callers wrap like Go's `%w`).
    pub fn prefixed(mut self, prefix: &str) -> YamlError {
        self.message = format!("{prefix}{}", self.message);
        self
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

fn with_mark(message: String, mark: Option<scanner::Mark>, line_offset: usize) -> YamlError {
    let mut e = YamlError::new(message);
    if let Some(m) = mark {
        e.line = Some(m.line.max(0) as usize + 1 + line_offset);
        e.column = Some(m.column.max(0) as usize + 1);
    }
    e
}

/// `sigs.k8s.io/yaml.Unmarshal(input, &target)`: the value (as far as decoded) and the error.
///
/// For `Target::Map`/`Target::List` the value is always a map/list (empty when the document is
/// empty, `null`, or of the wrong kind), matching what Helm's `fromYaml`/`fromYamlArray` start
/// from; the error texts are Helm's (`error unmarshaling JSON: while decoding JSON: json: cannot
/// unmarshal array into Go value of type map[string]interface {}`).
pub fn unmarshal(input: &[u8], target: Target) -> (Value, Option<YamlError>) {
    unmarshal_at(input, target, 0)
}

fn empty_of(target: Target) -> Value {
    match target {
        Target::Any => Value::Nil,
        Target::Map(ty) => Value::Map(Map::typed(ty, Default::default())),
        Target::List => Value::list(Vec::new()),
    }
}

fn unmarshal_at(input: &[u8], target: Target, line_offset: usize) -> (Value, Option<YamlError>) {
    let yv = match decode::decode(input) {
        Ok(v) => v,
        Err(f) => {
            let e = with_mark(
                format!("error converting YAML to JSON: yaml: {}", f.message),
                f.mark,
                line_offset,
            );
            return (empty_of(target), Some(e));
        }
    };
    let v = match convert::to_json_value(yv.as_ref()) {
        Ok(v) => v,
        Err(msg) => {
            return (
                empty_of(target),
                Some(YamlError::new(format!(
                    "error converting YAML to JSON: {msg}"
                ))),
            )
        }
    };
    let mismatch = |kind: &str, ty: &str| {
        Some(YamlError::new(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {ty}"
        )))
    };
    let kind = |v: &Value| match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    match target {
        Target::Any => (v, None),
        Target::Map(ty) => match v {
            Value::Map(m) => (Value::Map(m.with_type(ty)), None),
            Value::Nil => (empty_of(target), None),
            other => (empty_of(target), mismatch(kind(&other), ty)),
        },
        Target::List => match v {
            Value::List(_) => (v, None),
            Value::Nil => (empty_of(target), None),
            other => (empty_of(target), mismatch(kind(&other), types::LIST)),
        },
    }
}

/// `sigs.k8s.io/yaml.Unmarshal` into `interface{}`: the first document as an engine value.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    match unmarshal(text.as_bytes(), Target::Any) {
        (_, Some(e)) => Err(e),
        (v, None) => Ok(v),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal` into a typed Go value (a struct such as `chart.Metadata`):
/// numbers and bools become strings where the field is a string, field names match exactly or
/// case-insensitively, and values that do not fit fail like encoding/json (`error unmarshaling
/// JSON: while decoding JSON: json: cannot unmarshal array into Go struct field
/// Metadata.name of type string`). The result is keyed by the fields' JSON names; an empty
/// document gives an empty map.
pub fn unmarshal_typed(input: &[u8], ty: &GoType) -> Result<Value, YamlError> {
    let yv = decode::decode(input).map_err(|f| {
        with_mark(
            format!("error converting YAML to JSON: yaml: {}", f.message),
            f.mark,
            0,
        )
    })?;
    let coerced = yv.map(|v| typed::coerce(&v, Some(ty)));
    let v = convert::to_json_value(coerced.as_ref())
        .map_err(|msg| YamlError::new(format!("error converting YAML to JSON: {msg}")))?;
    let mut d = typed::TypedDecoder::new();
    let out = d.decode(&v, ty);
    if let Some(e) = d.error {
        return Err(YamlError::new(format!(
            "error unmarshaling JSON: while decoding JSON: {e}"
        )));
    }
    Ok(match out {
        Value::Nil if matches!(ty.deref(), GoType::Struct(_) | GoType::Map(_)) => {
            Value::Map(Map::new())
        }
        other => other,
    })
}

/// Helm's `chartutil.ReadValues` (pkg/chart/common): one document into `common.Values`; an
/// empty or comment-only document gives an empty map.
pub fn read_values(text: &str) -> Result<Map, YamlError> {
    match unmarshal(text.as_bytes(), Target::Map(types::VALUES)) {
        (_, Some(e)) => Err(e),
        (Value::Map(m), None) => Ok(m),
        (_, None) => Ok(Map::typed(types::VALUES, Default::default())),
    }
}

/// The chart layer's name for [`read_values`] (Helm's `ReadValues`).
pub fn parse_values(text: &str) -> Result<Map, YamlError> {
    read_values(text)
}

/// Helm's `loader.LoadValues` (values.yaml of a chart, `-f` files): the stream is split into
/// documents by k8s' `YAMLReader` (a line starting with `---`), each is unmarshaled into a
/// `map[string]interface {}`, and the maps are deep-merged in order. Errors carry Helm's
/// `cannot unmarshal yaml document: ` / `error reading yaml document: ` prefixes.
pub fn load_values(text: &str) -> Result<Map, YamlError> {
    let mut values = Map::new();
    for doc in split_documents(text.as_bytes()) {
        let (bytes, first_line) =
            doc.map_err(|e| YamlError::new(format!("error reading yaml document: {e}")))?;
        let (v, err) = unmarshal_at(&bytes, Target::Map(types::MAP), first_line);
        if let Some(e) = err {
            return Err(e.prefixed("cannot unmarshal yaml document: "));
        }
        if let Value::Map(m) = v {
            values = merge_maps(&values, &m);
        }
    }
    Ok(values)
}

/// Helm's `loader.MergeMaps`: entries of `b` win; maps present in both are merged recursively.
fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = a.shallow_copy();
    for (k, v) in b.entries() {
        if let Value::Map(vm) = &v {
            if let Some(Value::Map(bv)) = out.get(&k) {
                out.insert(k, Value::Map(merge_maps(&bv, vm)));
                continue;
            }
        }
        out.insert(k, v);
    }
    out
}

/// bufio.Reader's default size, which decides where k8s' `LineReader` sees line prefixes.
const BUFIO_SIZE: usize = 4096;

/// k8s.io/apimachinery `YAMLReader` over a `LineReader` over a `bufio.Reader`: the documents
/// (lines end in `\n`; `\r\n` becomes `\n`) with the 0-based line each starts at. A final line
/// without newline whose length is a multiple of 4096 is dropped, as in Helm v4.2.3.
fn split_documents(input: &[u8]) -> Vec<Result<(Vec<u8>, usize), String>> {
    let mut docs = Vec::new();
    let mut buffer: Vec<u8> = Vec::new();
    let mut buffer_line = 0usize;
    let mut pos = 0usize;
    let mut line_no = 0usize;
    loop {
        // LineReader.Read: one logical line (+ '\n') and whether EOF came with it.
        let (line, eof) = read_line(input, &mut pos);
        let this_line = line_no;
        line_no += 1;
        if line.starts_with(b"---") {
            let rest = String::from_utf8_lossy(&line[3..]);
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                docs.push(Err(format!("invalid Yaml document separator: {trimmed}")));
                return docs;
            }
            if !buffer.is_empty() {
                docs.push(Ok((std::mem::take(&mut buffer), buffer_line)));
            }
            if eof {
                return docs;
            }
            buffer_line = this_line + 1;
            continue;
        }
        if eof {
            if !buffer.is_empty() {
                docs.push(Ok((buffer, buffer_line)));
            }
            return docs;
        }
        if buffer.is_empty() {
            buffer_line = this_line;
        }
        buffer.extend_from_slice(&line);
    }
}

/// One `LineReader.Read`: the line without its end, plus `\n`, and whether it came with EOF.
fn read_line(input: &[u8], pos: &mut usize) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        // bufio.ReadLine: up to the buffer size of data per call.
        let rest = &input[(*pos).min(input.len())..];
        if rest.is_empty() {
            out.push(b'\n');
            return (out, true);
        }
        let window = &rest[..rest.len().min(BUFIO_SIZE)];
        if let Some(i) = window.iter().position(|&c| c == b'\n') {
            let mut line = &window[..i];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            out.extend_from_slice(line);
            *pos += i + 1;
            out.push(b'\n');
            return (out, false);
        }
        if window.len() == BUFIO_SIZE {
            // buffer full: a prefix of the line (a trailing '\r' is held back)
            let mut take = BUFIO_SIZE;
            if window[take - 1] == b'\r' {
                take -= 1;
            }
            out.extend_from_slice(&window[..take]);
            *pos += take;
            continue;
        }
        // the final, unterminated line
        out.extend_from_slice(window);
        *pos += window.len();
        out.push(b'\n');
        return (out, false);
    }
}

#[cfg(test)]
mod tests;
