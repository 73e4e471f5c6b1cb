//! go-yaml v2's decode.go: events → node tree → Go values (`interface{}` semantics).
//!
//! Builds the node tree of the first document (anchors registered when a node starts, unknown
//! aliases rejected: `unknown anchor 'x' referenced`), then decodes it the way `yaml.Unmarshal`
//! into an `interface{}` does: mappings become `map[interface{}]interface{}` (later keys win;
//! `1` and `1.0` are different keys), merge keys `<<` copy entries in document order (so a merge
//! after a key overrides it, and in a merge list earlier maps win), timestamps stay strings,
//! `!!binary` is base64-decoded, aliases are expanded with go-yaml's excessive-aliasing guard.
//! Errors carry go-yaml's text; nesting is bounded (see [`MAX_DEPTH`]).

use crate::engine::sort::SliceSort;
use std::collections::HashMap;

use base64::Engine as _;

use super::parser::{EventType, Parser};
use super::resolve::{resolve, Resolved, Schema, BINARY_TAG, MERGE_TAG, STR_TAG, TIMESTAMP_TAG};
use super::scanner::{ErrorKind, Mark};
use crate::json::number::format_float;

/// ChartLab's bound on nesting while building and decoding (Go's own scanner limit is 10000,
/// but deeper values would overflow the browser's stack in later layers).
pub const MAX_DEPTH: usize = 1000;

/// A Go value as go-yaml v2 produces it for `interface{}`.
#[derive(Clone, Debug)]
pub enum YValue {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<YValue>),
    Map(YMap),
}

/// `map[interface{}]interface{}`: entries in first-insertion order, Go key equality.
#[derive(Clone, Debug, Default)]
pub struct YMap {
    pub entries: Vec<(YValue, YValue)>,
    index: HashMap<GoKey, usize>,
    nan_keys: u64,
}

#[derive(Clone, Hash, PartialEq, Eq, Debug)]
enum GoKey {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    NaN(u64),
    Str(String),
}

impl YMap {
    pub fn new() -> YMap {
        YMap::default()
    }

    /// A map from entries whose keys are known to be distinct (no lookups will follow).
    pub fn from_unique_entries(entries: Vec<(YValue, YValue)>) -> YMap {
        YMap {
            entries,
            ..YMap::default()
        }
    }

    fn key_of(&mut self, k: &YValue) -> Option<GoKey> {
        Some(match k {
            YValue::Null => GoKey::Null,
            YValue::Bool(b) => GoKey::Bool(*b),
            YValue::Int(i) => GoKey::Int(*i),
            YValue::Uint(u) => GoKey::Uint(*u),
            YValue::Float(f) if f.is_nan() => {
                // NaN is never equal to itself: every NaN key is a new entry.
                self.nan_keys += 1;
                GoKey::NaN(self.nan_keys)
            }
            YValue::Float(f) => GoKey::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            YValue::Str(s) => GoKey::Str(s.clone()),
            YValue::Seq(_) | YValue::Map(_) => return None,
        })
    }

    /// `m[k] = v` (collections are rejected by the caller before this).
    pub fn set(&mut self, k: YValue, v: YValue) {
        let Some(key) = self.key_of(&k) else {
            return;
        };
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = v,
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push((k, v));
            }
        }
    }

    /// `m[k]` for a string key.
    #[cfg(test)]
    pub fn get_str(&self, k: &str) -> Option<&YValue> {
        self.index
            .get(&GoKey::Str(k.to_string()))
            .and_then(|&i| self.entries.get(i))
            .map(|e| &e.1)
    }
}

/// A decode failure: go-yaml's message (without the `yaml: ` prefix) and where it points.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The text after `yaml: ` (e.g. `line 2: mapping values are not allowed in this context`).
    pub message: String,
    /// 0-based line/column of the problem, when known.
    pub mark: Option<Mark>,
}

impl Failure {
    fn plain(message: String, mark: Option<Mark>) -> Failure {
        Failure { message, mark }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Document,
    Mapping,
    Sequence,
    Scalar,
    Alias,
}

struct Node {
    kind: Kind,
    mark: Mark,
    tag: String,
    value: String,
    implicit: bool,
    children: Vec<usize>,
    alias: usize,
}

/// The first document of a stream as a node tree (go-yaml's `parser.parse`).
struct Tree {
    nodes: Vec<Node>,
    root: Option<usize>,
}

/// Go's `p.fail()`: the message from the parser's error state.
fn parser_failure(p: &Parser<'_>) -> Failure {
    let sc = &p.sc;
    let mut line = 0;
    let mut mark = None;
    if sc.problem_mark.line != 0 {
        line = sc.problem_mark.line;
        // Scanner errors don't iterate line before returning error
        if sc.error == ErrorKind::Scanner {
            line += 1;
        }
    } else if sc.context_mark.line != 0 {
        line = sc.context_mark.line;
    }
    if sc.error == ErrorKind::Scanner || sc.error == ErrorKind::Parser {
        mark = Some(sc.problem_mark);
    }
    let where_ = if line != 0 {
        format!("line {line}: ")
    } else {
        String::new()
    };
    let msg = if sc.problem.is_empty() {
        "unknown problem parsing YAML content".to_string()
    } else {
        sc.problem.clone()
    };
    Failure::plain(format!("{where_}{msg}"), mark)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Parses the first document of `input` into a node tree.
fn build_tree(input: &[u8]) -> Result<Tree, Failure> {
    let input: &[u8] = if input.is_empty() { b"\n" } else { input };
    let mut p = Parser::new(input);
    let mut tree = Tree {
        nodes: Vec::new(),
        root: None,
    };
    let next = |p: &mut Parser<'_>| p.parse().map_err(|_| parser_failure(p));
    let ev = next(&mut p)?;
    if ev.typ != EventType::StreamStart {
        return Err(expect_failure(EventType::StreamStart, ev.typ));
    }
    let ev = next(&mut p)?;
    match ev.typ {
        EventType::StreamEnd | EventType::None => return Ok(tree),
        EventType::DocumentStart => {}
        other => return Err(expect_failure(EventType::DocumentStart, other)),
    }
    let doc = tree.nodes.len();
    tree.nodes.push(Node {
        kind: Kind::Document,
        mark: ev.start_mark,
        tag: String::new(),
        value: String::new(),
        implicit: false,
        children: Vec::new(),
        alias: 0,
    });
    tree.root = Some(doc);
    let mut anchors: HashMap<Vec<u8>, usize> = HashMap::new();
    // Open collections: node ids; the document node is the bottom.
    let mut stack: Vec<usize> = vec![doc];
    loop {
        let ev = next(&mut p)?;
        let parent = *stack.last().unwrap_or(&doc);
        let kind = match ev.typ {
            EventType::Scalar => Kind::Scalar,
            EventType::Alias => Kind::Alias,
            EventType::MappingStart => Kind::Mapping,
            EventType::SequenceStart => Kind::Sequence,
            EventType::MappingEnd | EventType::SequenceEnd => {
                stack.pop();
                if stack.len() == 1 {
                    // root finished: expect DOCUMENT-END
                    let ev = next(&mut p)?;
                    if ev.typ != EventType::DocumentEnd {
                        return Err(expect_failure(EventType::DocumentEnd, ev.typ));
                    }
                    return Ok(tree);
                }
                continue;
            }
            EventType::StreamEnd | EventType::None => {
                return Err(Failure::plain(
                    "attempted to go past the end of stream; corrupted value?".into(),
                    None,
                ))
            }
            other => {
                return Err(Failure::plain(
                    format!("attempted to parse unknown event: {}", other.name()),
                    None,
                ));
            }
        };
        let id = tree.nodes.len();
        let mut node = Node {
            kind,
            mark: ev.start_mark,
            tag: text(&ev.tag),
            value: text(&ev.value),
            implicit: ev.implicit,
            children: Vec::new(),
            alias: 0,
        };
        if kind == Kind::Alias {
            node.value = text(&ev.anchor);
            node.tag = String::new();
            match anchors.get(&ev.anchor) {
                Some(&target) => node.alias = target,
                None => {
                    return Err(Failure::plain(
                        format!("unknown anchor '{}' referenced", node.value),
                        Some(ev.start_mark),
                    ))
                }
            }
        } else if !ev.anchor.is_empty() {
            anchors.insert(ev.anchor.clone(), id);
        }
        tree.nodes.push(node);
        if let Some(pn) = tree.nodes.get_mut(parent) {
            pn.children.push(id);
        }
        if matches!(kind, Kind::Mapping | Kind::Sequence) {
            stack.push(id);
            if stack.len() > MAX_DEPTH + 1 {
                return Err(depth_failure(ev.start_mark));
            }
        } else if stack.len() == 1 {
            let ev = next(&mut p)?;
            if ev.typ != EventType::DocumentEnd {
                return Err(expect_failure(EventType::DocumentEnd, ev.typ));
            }
            return Ok(tree);
        }
    }
}

fn expect_failure(want: EventType, got: EventType) -> Failure {
    if got == EventType::StreamEnd {
        return Failure::plain(
            "attempted to go past the end of stream; corrupted value?".into(),
            None,
        );
    }
    Failure::plain(
        format!("expected {} event but got {}", want.name(), got.name()),
        None,
    )
}

fn depth_failure(mark: Mark) -> Failure {
    Failure::plain(
        format!(
            "line {}: exceeded max depth of {MAX_DEPTH} (ChartLab's limit; Go allows 10000)",
            mark.line + 1
        ),
        Some(mark),
    )
}

/// go-yaml's alias-expansion guard (`allowedAliasRatio`).
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// One level of the decoder's explicit stack (go-yaml recurses; ChartLab must not, to keep the
/// browser's stack safe).
enum Frame {
    /// A sequence being filled: its node, the next child, the items so far.
    Seq {
        node: usize,
        next: usize,
        items: Vec<YValue>,
    },
    /// A mapping being decoded. `merge`: its entries go into the nearest enclosing non-merge
    /// map (a `<<` source), instead of a map of its own.
    Map {
        node: usize,
        pair: usize,
        key: Option<YValue>,
        awaiting: Awaiting,
        map: YMap,
        merge: bool,
    },
    /// A `<<: [*a, *b]` list, walked backwards.
    MergeSeq { node: usize, remaining: usize },
    /// Leaves an alias when the value below it is complete.
    AliasExit { alias: usize },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Awaiting {
    Nothing,
    Key,
    Value,
}

struct Decoder<'t> {
    tree: &'t Tree,
    aliases: Vec<usize>,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u64,
    stack: Vec<Frame>,
    depth: usize,
}

impl Decoder<'_> {
    fn node(&self, id: usize) -> Result<&Node, Failure> {
        self.tree
            .nodes
            .get(id)
            .ok_or_else(|| Failure::plain("internal error: missing node".into(), None))
    }

    /// The counting at the top of go-yaml's `d.unmarshal`.
    fn count(&mut self) -> Result<(), Failure> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(Failure::plain(
                "document contains excessive aliasing".into(),
                None,
            ));
        }
        Ok(())
    }

    fn push_collection(&mut self, frame: Frame, mark: Mark) -> Result<(), Failure> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(depth_failure(mark));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn enter_alias(&mut self, id: usize) -> Result<usize, Failure> {
        let n = self.node(id)?;
        let (target, name) = (n.alias, n.value.clone());
        if self.aliases.contains(&id) {
            return Err(Failure::plain(
                format!("anchor '{name}' value contains itself"),
                None,
            ));
        }
        self.aliases.push(id);
        self.alias_depth += 1;
        self.stack.push(Frame::AliasExit { alias: id });
        Ok(target)
    }

    fn leave_alias(&mut self, id: usize) {
        self.alias_depth = self.alias_depth.saturating_sub(1);
        self.aliases.retain(|&a| a != id);
    }

    /// `d.unmarshal(n, out)` with `out` an `interface{}`: either a value right away, or a
    /// frame pushed whose completion delivers the value.
    fn start(&mut self, mut id: usize) -> Result<Option<YValue>, Failure> {
        loop {
            self.count()?;
            let n = self.node(id)?;
            match n.kind {
                Kind::Document => {
                    if n.children.len() == 1 {
                        id = n.children[0];
                        continue;
                    }
                    return Ok(Some(YValue::Null));
                }
                Kind::Alias => {
                    id = self.enter_alias(id)?;
                }
                Kind::Scalar => return self.scalar(id).map(Some),
                Kind::Mapping => {
                    let mark = n.mark;
                    let frame = Frame::Map {
                        node: id,
                        pair: 0,
                        key: None,
                        awaiting: Awaiting::Nothing,
                        map: YMap::new(),
                        merge: false,
                    };
                    self.push_collection(frame, mark)?;
                    return Ok(None);
                }
                Kind::Sequence => {
                    let mark = n.mark;
                    let frame = Frame::Seq {
                        node: id,
                        next: 0,
                        items: Vec::with_capacity(n.children.len()),
                    };
                    self.push_collection(frame, mark)?;
                    return Ok(None);
                }
            }
        }
    }

    /// `d.unmarshal(n, out)` with `out` an existing map (a merge source).
    fn start_into(&mut self, mut id: usize) -> Result<(), Failure> {
        loop {
            self.count()?;
            let n = self.node(id)?;
            match n.kind {
                Kind::Alias => id = self.enter_alias(id)?,
                Kind::Mapping => {
                    let mark = n.mark;
                    let frame = Frame::Map {
                        node: id,
                        pair: 0,
                        key: None,
                        awaiting: Awaiting::Nothing,
                        map: YMap::new(),
                        merge: true,
                    };
                    return self.push_collection(frame, mark);
                }
                _ => return Err(want_map()),
            }
        }
    }

    fn is_merge(&self, id: usize) -> bool {
        self.tree.nodes.get(id).is_some_and(|n| {
            n.kind == Kind::Scalar && n.value == "<<" && (n.implicit || n.tag == MERGE_TAG)
        })
    }

    /// `d.merge(n, out)`: checks the kinds, then schedules the sources.
    fn start_merge(&mut self, id: usize) -> Result<(), Failure> {
        let n = self.node(id)?;
        match n.kind {
            Kind::Mapping => self.start_into(id),
            Kind::Alias => {
                if self.node(n.alias)?.kind != Kind::Mapping {
                    return Err(want_map());
                }
                self.start_into(id)
            }
            Kind::Sequence => {
                let remaining = n.children.len();
                self.stack.push(Frame::MergeSeq {
                    node: id,
                    remaining,
                });
                Ok(())
            }
            _ => Err(want_map()),
        }
    }

    /// Stores a key/value pair into the map that owns the current (possibly merge) frame.
    fn store(&mut self, k: YValue, v: YValue) {
        for f in self.stack.iter_mut().rev() {
            if let Frame::Map {
                map, merge: false, ..
            } = f
            {
                map.set(k, v);
                return;
            }
        }
    }

    /// Hands a finished value to the frame waiting for it; `Some` when the document is done.
    fn deliver(&mut self, v: YValue) -> Result<Option<YValue>, Failure> {
        loop {
            match self.stack.last_mut() {
                None => return Ok(Some(v)),
                Some(Frame::AliasExit { alias }) => {
                    let alias = *alias;
                    self.stack.pop();
                    self.leave_alias(alias);
                    continue;
                }
                Some(Frame::Seq { items, .. }) => {
                    items.push(v);
                    return Ok(None);
                }
                Some(Frame::Map {
                    key,
                    awaiting,
                    node,
                    pair,
                    ..
                }) => match *awaiting {
                    Awaiting::Key => {
                        if matches!(v, YValue::Seq(_) | YValue::Map(_)) {
                            let k_id = self
                                .tree
                                .nodes
                                .get(*node)
                                .and_then(|n| n.children.get(*pair * 2).copied());
                            let mark = k_id.and_then(|i| self.tree.nodes.get(i)).map(|n| n.mark);
                            return Err(Failure::plain(
                                format!("invalid map key: {}", go_sharp_v(&v)),
                                mark,
                            ));
                        }
                        *key = Some(v);
                        *awaiting = Awaiting::Nothing;
                        return Ok(None);
                    }
                    Awaiting::Value => {
                        let k = key.take().unwrap_or(YValue::Null);
                        *awaiting = Awaiting::Nothing;
                        *pair += 1;
                        self.store_pair(k, v);
                        return Ok(None);
                    }
                    Awaiting::Nothing => {
                        return Err(Failure::plain(
                            "internal error: unexpected value".into(),
                            None,
                        ));
                    }
                },
                Some(Frame::MergeSeq { .. }) => {
                    return Err(Failure::plain(
                        "internal error: unexpected value".into(),
                        None,
                    ));
                }
            }
        }
    }

    fn store_pair(&mut self, k: YValue, v: YValue) {
        // The pair belongs to the top frame's owner map.
        if let Some(Frame::Map {
            map, merge: false, ..
        }) = self.stack.last_mut()
        {
            map.set(k, v);
            return;
        }
        self.store(k, v);
    }

    /// Leaves finished merge sources (and the aliases that led to them).
    fn finish_merge(&mut self) {
        while let Some(Frame::AliasExit { alias }) = self.stack.last() {
            let alias = *alias;
            self.stack.pop();
            self.leave_alias(alias);
        }
    }

    fn run(&mut self, root: usize) -> Result<YValue, Failure> {
        if let Some(v) = self.start(root)? {
            if let Some(done) = self.deliver(v)? {
                return Ok(done);
            }
        }
        loop {
            let tree = self.tree;
            let Some(top) = self.stack.last_mut() else {
                return Ok(YValue::Null);
            };
            match top {
                Frame::AliasExit { .. } => {
                    return Err(Failure::plain(
                        "internal error: dangling alias".into(),
                        None,
                    ));
                }
                Frame::Seq { node, next, .. } => {
                    let children = &tree.nodes[*node].children;
                    if *next < children.len() {
                        let c = children[*next];
                        *next += 1;
                        if let Some(v) = self.start(c)? {
                            if let Some(done) = self.deliver(v)? {
                                return Ok(done);
                            }
                        }
                    } else {
                        let Some(Frame::Seq { items, .. }) = self.stack.pop() else {
                            continue;
                        };
                        self.depth -= 1;
                        if let Some(done) = self.deliver(YValue::Seq(items))? {
                            return Ok(done);
                        }
                    }
                }
                Frame::Map {
                    node, pair, key, ..
                } => {
                    let (node, pair, have_key) = (*node, *pair, key.is_some());
                    let children = &tree.nodes[node].children;
                    let (k_id, v_id) = (
                        children.get(pair * 2).copied(),
                        children.get(pair * 2 + 1).copied(),
                    );
                    let Some(k_id) = k_id else {
                        let Some(Frame::Map { map, merge, .. }) = self.stack.pop() else {
                            continue;
                        };
                        self.depth -= 1;
                        if merge {
                            self.finish_merge();
                        } else if let Some(done) = self.deliver(YValue::Map(map))? {
                            return Ok(done);
                        }
                        continue;
                    };
                    let v_id = v_id.unwrap_or(k_id);
                    let merge_key = !have_key && self.is_merge(k_id);
                    if let Some(Frame::Map { pair, awaiting, .. }) = self.stack.last_mut() {
                        if merge_key {
                            *pair += 1;
                        } else {
                            *awaiting = if have_key {
                                Awaiting::Value
                            } else {
                                Awaiting::Key
                            };
                        }
                    }
                    if merge_key {
                        self.start_merge(v_id)?;
                        continue;
                    }
                    let next = if have_key { v_id } else { k_id };
                    if let Some(v) = self.start(next)? {
                        if let Some(done) = self.deliver(v)? {
                            return Ok(done);
                        }
                    }
                }
                Frame::MergeSeq { node, remaining } => {
                    if *remaining == 0 {
                        self.stack.pop();
                        self.finish_merge();
                        continue;
                    }
                    *remaining -= 1;
                    let c = tree.nodes[*node].children[*remaining];
                    let cn = self.node(c)?;
                    match cn.kind {
                        Kind::Alias => {
                            if self.node(cn.alias)?.kind != Kind::Mapping {
                                return Err(want_map());
                            }
                        }
                        Kind::Mapping => {}
                        _ => return Err(want_map()),
                    }
                    self.start_into(c)?;
                }
            }
        }
    }

    fn scalar(&mut self, id: usize) -> Result<YValue, Failure> {
        let n = self.node(id)?;
        let (tag, resolved) = if n.tag.is_empty() && !n.implicit {
            (STR_TAG.to_string(), Resolved::Str(n.value.clone()))
        } else {
            let (tag, mut resolved) = resolve(Schema::V2, &n.tag, &n.value)
                .map_err(|e| Failure::plain(e, Some(n.mark)))?;
            if tag == BINARY_TAG {
                let s = match &resolved {
                    Resolved::Str(s) => s.clone(),
                    _ => String::new(),
                };
                let data = decode_std_base64(&s).ok_or_else(|| {
                    Failure::plain(
                        "!!binary value contains invalid base64 data".into(),
                        Some(n.mark),
                    )
                })?;
                resolved = Resolved::Str(go_lossy_utf8(&data));
            }
            (tag, resolved)
        };
        Ok(match resolved {
            Resolved::Null => YValue::Null,
            Resolved::Bool(b) => YValue::Bool(b),
            Resolved::Int(i) => YValue::Int(i),
            Resolved::Uint(u) => YValue::Uint(u),
            Resolved::Float(f) => YValue::Float(f),
            Resolved::Str(s) => {
                if tag == TIMESTAMP_TAG {
                    // kept as its text for interface{} targets
                    YValue::Str(n.value.clone())
                } else {
                    YValue::Str(s)
                }
            }
        })
    }
}

fn want_map() -> Failure {
    Failure::plain(
        "map merge requires map or sequence of maps as the value".into(),
        None,
    )
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r`/`\n` ignored, non-zero
/// trailing bits accepted.
fn decode_std_base64(s: &str) -> Option<Vec<u8>> {
    let cleaned: String = s.chars().filter(|&c| c != '\r' && c != '\n').collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    );
    engine.decode(cleaned.as_bytes()).ok()
}

/// Go's conversion of bytes to text when they are JSON-encoded: each byte of an invalid UTF-8
/// sequence becomes U+FFFD (utf8.DecodeRune consumes one byte on error).
pub fn go_lossy_utf8(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let w = match rest[0] {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if w > 0 && rest.len() >= w {
            if let Ok(s) = std::str::from_utf8(&rest[..w]) {
                out.push_str(s);
                i += w;
                continue;
            }
        }
        out.push('\u{FFFD}');
        i += 1;
    }
    out
}

/// `yaml.Unmarshal(input, &iface)`: the first document as Go values (`None` for an empty stream).
pub fn decode(input: &[u8]) -> Result<Option<YValue>, Failure> {
    let tree = build_tree(input)?;
    let Some(root) = tree.root else {
        return Ok(None);
    };
    let mut d = Decoder {
        tree: &tree,
        aliases: Vec::new(),
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        stack: Vec::new(),
        depth: 0,
    };
    d.run(root).map(Some)
}

// ---------------------------------------------------------------- %#v

/// Go's `%#v` of a value held in an `interface{}` (used in go-yaml / sigs.k8s.io/yaml errors).
pub fn go_sharp_v(v: &YValue) -> String {
    let mut s = String::new();
    sharp_v(&mut s, v, true);
    s
}

fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of `unicode.IsPrint` good for the characters YAML text contains.
fn is_go_printable(c: char) -> bool {
    let n = c as u32;
    !(n < 0x20
        || (0x7f..=0xa0).contains(&n)
        || n == 0xad
        || (0x2000..=0x200f).contains(&n)
        || (0x2028..=0x202f).contains(&n)
        || n == 0x205f
        || (0x2060..=0x206f).contains(&n)
        || n == 0x3000
        || n == 0xfeff
        || (0xfff9..=0xfffb).contains(&n)
        || (0xe000..=0xf8ff).contains(&n))
}

fn sharp_v(out: &mut String, v: &YValue, top: bool) {
    match v {
        YValue::Null => out.push_str(if top { "<nil>" } else { "interface {}(nil)" }),
        YValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        YValue::Int(i) => out.push_str(&i.to_string()),
        YValue::Uint(u) => out.push_str(&format!("0x{u:x}")),
        YValue::Float(f) => out.push_str(&format_float(*f, 'g', false)),
        YValue::Str(s) => out.push_str(&go_quote(s)),
        YValue::Seq(items) => {
            out.push_str("[]interface {}{");
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                sharp_v(out, x, false);
            }
            out.push('}');
        }
        YValue::Map(m) => {
            out.push_str("map[interface {}]interface {}{");
            let mut entries: Vec<&(YValue, YValue)> = m.entries.iter().collect();
            entries.sort_stable_by(|a, b| fmt_sort_cmp(&a.0, &b.0));
            for (i, (k, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                sharp_v(out, k, false);
                out.push(':');
                sharp_v(out, x, false);
            }
            out.push('}');
        }
    }
}

/// fmt's map-key order for interface keys: by type, then value (types in a fixed order here).
fn fmt_sort_cmp(a: &YValue, b: &YValue) -> std::cmp::Ordering {
    fn rank(v: &YValue) -> u8 {
        match v {
            YValue::Null => 0,
            YValue::Bool(_) => 1,
            YValue::Int(_) => 2,
            YValue::Uint(_) => 3,
            YValue::Float(_) => 4,
            YValue::Str(_) => 5,
            YValue::Seq(_) => 6,
            YValue::Map(_) => 7,
        }
    }
    use std::cmp::Ordering;
    match (a, b) {
        (YValue::Bool(x), YValue::Bool(y)) => x.cmp(y),
        (YValue::Int(x), YValue::Int(y)) => x.cmp(y),
        (YValue::Uint(x), YValue::Uint(y)) => x.cmp(y),
        (YValue::Float(x), YValue::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (YValue::Str(x), YValue::Str(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Result<Option<YValue>, String> {
        decode(s.as_bytes()).map_err(|f| f.message)
    }

    #[test]
    fn scanner_and_parser_errors_have_go_lines() {
        assert_eq!(
            d("a: 1\nb: c: d\n").unwrap_err(),
            "line 2: mapping values are not allowed in this context"
        );
        assert_eq!(
            d("apiVersion: v2\nname: demo\nversion: 0.1.0\nfoo: [\n").unwrap_err(),
            "line 4: did not find expected node content"
        );
        assert_eq!(
            d("x: [1\n").unwrap_err(),
            "line 1: did not find expected ',' or ']'"
        );
    }

    #[test]
    fn aliases_and_merges() {
        let v = d("base: &b {a: 1, b: 2}\nx:\n  a: 0\n  <<: *b\n  c: 3\n")
            .unwrap()
            .unwrap();
        let YValue::Map(m) = v else { panic!() };
        let YValue::Map(x) = m.get_str("x").unwrap() else {
            panic!()
        };
        // the merge after `a` overrides it (go-yaml v2)
        assert!(matches!(x.get_str("a"), Some(YValue::Int(1))));
        assert!(matches!(x.get_str("c"), Some(YValue::Int(3))));
        assert_eq!(d("a: *x\n").unwrap_err(), "unknown anchor 'x' referenced");
        assert_eq!(
            d("a: &x [*x]\n").unwrap_err(),
            "anchor 'x' value contains itself"
        );
        assert_eq!(
            d("a: &x 1\nb:\n  <<: *x\n").unwrap_err(),
            "map merge requires map or sequence of maps as the value"
        );
    }

    #[test]
    fn billion_laughs_is_stopped() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let items = vec![prev; 10].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        assert_eq!(d(&doc).unwrap_err(), "document contains excessive aliasing");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let doc = "[".repeat(5000);
        assert!(d(&doc).unwrap_err().contains("exceeded max depth of 1000"));
        let ok = format!("{}{}", "[".repeat(900), "]".repeat(900));
        assert!(d(&ok).is_ok());
    }

    #[test]
    fn invalid_keys() {
        assert_eq!(
            d("? [a, 1]\n: x\n").unwrap_err(),
            "invalid map key: []interface {}{\"a\", 1}"
        );
    }

    #[test]
    fn lossy_like_go() {
        assert_eq!(go_lossy_utf8(b"a\xE2\x82b"), "a\u{FFFD}\u{FFFD}b");
        assert_eq!(go_lossy_utf8("é".as_bytes()), "é");
    }
}
