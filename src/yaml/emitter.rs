//! go-yaml's emitter (emitterc.go): events → text, in the v2 flavour (`toYaml`) and the v3
//! flavour (`toYamlPretty`).
//!
//! Ported from the Go code, keeping what the encoders use: block and flow collections, the
//! scalar analysis that decides when plain/single-quoted/literal styles are allowed, the
//! writers with their folding at `best_width` (80 in v2; v3 does not fold) and escapes (`\t`,
//! `\x01`, `\U0001F600` — 4-byte characters count as non-printable in go-yaml). v3 differs in
//! indenting block sequences inside mappings and in treating tabs as allowed in block scalars.
//! Tags, anchors and comments are never produced by ChartLab's encoders and are left out.

use super::scanner::ScalarStyle;

#[derive(Clone, Debug)]
pub enum EmitEvent {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// An implicit scalar (no tag) in the requested style.
    Scalar(String, ScalarStyle),
    SequenceStart {
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        flow: bool,
    },
    MappingEnd,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    StreamStart,
    FirstDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowSequenceItem,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    End,
}

#[derive(Default)]
struct ScalarData {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
    style: Option<ScalarStyle>,
}

pub struct Emitter {
    out: Vec<u8>,
    v3: bool,
    best_indent: i64,
    best_width: i64,
    state: State,
    states: Vec<State>,
    indent: i64,
    indents: Vec<i64>,
    flow_level: usize,
    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    column: i64,
    whitespace: bool,
    indention: bool,
    scalar: ScalarData,
}

// ---------------------------------------------------------------- byte classes (yamlprivateh.go)

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}
fn width(c: u8) -> usize {
    if c & 0x80 == 0 {
        1
    } else if c & 0xE0 == 0xC0 {
        2
    } else if c & 0xF0 == 0xE0 {
        3
    } else if c & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}
fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}
fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}
fn is_break(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || c == 0xC2 && at(b, i + 1) == 0x85
        || c == 0xE2 && at(b, i + 1) == 0x80 && matches!(at(b, i + 2), 0xA8 | 0xA9)
}
fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || i >= b.len() || at(b, i) == 0
}
/// go-yaml's `is_printable`: note that 4-byte characters (U+10000 and up) are not printable.
fn is_printable(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && c1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && c1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
}
/// go-yaml's `is_bom(b, i)` looks at the start of the value, whatever `i` is.
fn is_bom(b: &[u8]) -> bool {
    b.len() >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
}

impl Emitter {
    /// v2: best_width 80 (go-yaml v2's default); v3: no folding; `indent` is the best indent.
    pub fn new(v3: bool, indent: i64) -> Emitter {
        let mut best_indent = indent;
        if !(2..=9).contains(&best_indent) {
            best_indent = 2;
        }
        Emitter {
            out: Vec::new(),
            v3,
            best_indent,
            best_width: if v3 { i64::from(i32::MAX) } else { 80 },
            state: State::StreamStart,
            states: Vec::new(),
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            root_context: false,
            sequence_context: false,
            mapping_context: false,
            simple_key_context: false,
            column: 0,
            whitespace: true,
            indention: true,
            scalar: ScalarData::default(),
        }
    }

    /// Emits a complete event stream and returns the text.
    pub fn emit_all(mut self, events: &[EmitEvent]) -> Result<String, String> {
        for head in 0..events.len() {
            let next = events.get(head + 1);
            let next2 = events.get(head + 2);
            self.analyze(&events[head]);
            self.state_machine(&events[head], next, next2)?;
        }
        Ok(String::from_utf8_lossy(&self.out).into_owned())
    }

    // ---------------------------------------------------------------- writing primitives

    fn put(&mut self, c: u8) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        self.column = 0;
        if self.v3 {
            self.indention = true;
        }
    }

    fn write(&mut self, s: &[u8], i: &mut usize) {
        let w = width(at(s, *i));
        let end = (*i + w).min(s.len());
        self.out.extend_from_slice(&s[*i..end]);
        self.column += 1;
        *i = end.max(*i + 1);
    }

    fn write_all(&mut self, s: &[u8]) {
        let mut i = 0;
        while i < s.len() {
            self.write(s, &mut i);
        }
    }

    fn write_break(&mut self, s: &[u8], i: &mut usize) {
        if at(s, *i) == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(s, i);
            self.column = 0;
            if self.v3 {
                self.indention = true;
            }
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        ind: &[u8],
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        self.write_all(ind);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            if self.v3 {
                if self.states.last() == Some(&State::BlockSequenceItem) {
                    self.indent += 2;
                } else {
                    self.indent =
                        self.best_indent * ((self.indent + self.best_indent) / self.best_indent);
                }
            } else {
                self.indent += self.best_indent;
            }
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    // ---------------------------------------------------------------- state machine

    fn state_machine(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
    ) -> Result<(), String> {
        match self.state {
            State::StreamStart => {
                if !matches!(ev, EmitEvent::StreamStart) {
                    return Err("expected STREAM-START".into());
                }
                self.indent = -1;
                self.column = 0;
                self.whitespace = true;
                self.indention = true;
                self.state = State::FirstDocumentStart;
                Ok(())
            }
            State::FirstDocumentStart | State::DocumentStart => self.document_start(ev),
            State::DocumentContent => {
                self.states.push(State::DocumentEnd);
                self.emit_node(ev, next, next2, true, false, false, false)
            }
            State::DocumentEnd => {
                if !matches!(ev, EmitEvent::DocumentEnd) {
                    return Err("expected DOCUMENT-END".into());
                }
                self.write_indent();
                self.state = State::DocumentStart;
                Ok(())
            }
            State::FlowSequenceFirstItem => self.flow_sequence_item(ev, next, next2, true),
            State::FlowSequenceItem => self.flow_sequence_item(ev, next, next2, false),
            State::FlowMappingFirstKey => self.flow_mapping_key(ev, next, next2, true),
            State::FlowMappingKey => self.flow_mapping_key(ev, next, next2, false),
            State::FlowMappingSimpleValue => self.flow_mapping_value(ev, next, next2, true),
            State::FlowMappingValue => self.flow_mapping_value(ev, next, next2, false),
            State::BlockSequenceFirstItem => self.block_sequence_item(ev, next, next2, true),
            State::BlockSequenceItem => self.block_sequence_item(ev, next, next2, false),
            State::BlockMappingFirstKey => self.block_mapping_key(ev, next, next2, true),
            State::BlockMappingKey => self.block_mapping_key(ev, next, next2, false),
            State::BlockMappingSimpleValue => self.block_mapping_value(ev, next, next2, true),
            State::BlockMappingValue => self.block_mapping_value(ev, next, next2, false),
            State::End => Err("expected nothing after STREAM-END".into()),
        }
    }

    fn document_start(&mut self, ev: &EmitEvent) -> Result<(), String> {
        match ev {
            EmitEvent::DocumentStart => {
                if self.state != State::FirstDocumentStart {
                    // a second document is explicit
                    self.write_indent();
                    self.write_indicator(b"---", true, false, false);
                    if self.v3 {
                        self.write_indent();
                    }
                }
                self.state = State::DocumentContent;
                Ok(())
            }
            EmitEvent::StreamEnd => {
                // The encoders clear `open_ended` before STREAM-END (encoder.finish), and
                // ChartLab never writes directives, so no `...` is ever written.
                self.state = State::End;
                Ok(())
            }
            _ => Err("expected DOCUMENT-START or STREAM-END".into()),
        }
    }

    fn flow_sequence_item(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        first: bool,
    ) -> Result<(), String> {
        if first {
            self.write_indicator(b"[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if matches!(ev, EmitEvent::SequenceEnd) {
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator(b"]", false, false, false);
            self.pop_state();
            return Ok(());
        }
        if !first {
            self.write_indicator(b",", false, false, false);
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        self.states.push(State::FlowSequenceItem);
        self.emit_node(ev, next, next2, false, true, false, false)
    }

    fn flow_mapping_key(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        first: bool,
    ) -> Result<(), String> {
        if first {
            self.write_indicator(b"{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if matches!(ev, EmitEvent::MappingEnd) {
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator(b"}", false, false, false);
            self.pop_state();
            return Ok(());
        }
        if !first {
            self.write_indicator(b",", false, false, false);
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.check_simple_key(ev, next) {
            self.states.push(State::FlowMappingSimpleValue);
            return self.emit_node(ev, next, next2, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, false);
        self.states.push(State::FlowMappingValue);
        self.emit_node(ev, next, next2, false, false, true, false)
    }

    fn flow_mapping_value(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        simple: bool,
    ) -> Result<(), String> {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            if self.column > self.best_width {
                self.write_indent();
            }
            self.write_indicator(b":", true, false, false);
        }
        self.states.push(State::FlowMappingKey);
        self.emit_node(ev, next, next2, false, false, true, false)
    }

    fn block_sequence_item(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        first: bool,
    ) -> Result<(), String> {
        if first {
            let indentless = !self.v3 && self.mapping_context && !self.indention;
            self.increase_indent(false, indentless);
        }
        if matches!(ev, EmitEvent::SequenceEnd) {
            self.pop_indent();
            self.pop_state();
            return Ok(());
        }
        self.write_indent();
        self.write_indicator(b"-", true, false, true);
        self.states.push(State::BlockSequenceItem);
        self.emit_node(ev, next, next2, false, true, false, false)
    }

    fn block_mapping_key(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        first: bool,
    ) -> Result<(), String> {
        if first {
            self.increase_indent(false, false);
        }
        if matches!(ev, EmitEvent::MappingEnd) {
            self.pop_indent();
            self.pop_state();
            return Ok(());
        }
        self.write_indent();
        if self.check_simple_key(ev, next) {
            self.states.push(State::BlockMappingSimpleValue);
            return self.emit_node(ev, next, next2, false, false, true, true);
        }
        self.write_indicator(b"?", true, false, true);
        self.states.push(State::BlockMappingValue);
        self.emit_node(ev, next, next2, false, false, true, false)
    }

    fn block_mapping_value(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        next2: Option<&EmitEvent>,
        simple: bool,
    ) -> Result<(), String> {
        if simple {
            self.write_indicator(b":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(b":", true, false, true);
        }
        self.states.push(State::BlockMappingKey);
        self.emit_node(ev, next, next2, false, false, true, false)
    }

    #[allow(clippy::too_many_arguments)]
    fn emit_node(
        &mut self,
        ev: &EmitEvent,
        next: Option<&EmitEvent>,
        _next2: Option<&EmitEvent>,
        root: bool,
        sequence: bool,
        mapping: bool,
        simple_key: bool,
    ) -> Result<(), String> {
        self.root_context = root;
        self.sequence_context = sequence;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match ev {
            EmitEvent::Scalar(value, style) => {
                self.select_scalar_style(value.as_bytes(), *style);
                self.increase_indent(true, false);
                self.process_scalar(value.as_bytes());
                self.pop_indent();
                self.pop_state();
                Ok(())
            }
            EmitEvent::SequenceStart { flow } => {
                let empty = matches!(next, Some(EmitEvent::SequenceEnd));
                self.state = if self.flow_level > 0 || *flow || empty {
                    State::FlowSequenceFirstItem
                } else {
                    State::BlockSequenceFirstItem
                };
                Ok(())
            }
            EmitEvent::MappingStart { flow } => {
                let empty = matches!(next, Some(EmitEvent::MappingEnd));
                self.state = if self.flow_level > 0 || *flow || empty {
                    State::FlowMappingFirstKey
                } else {
                    State::BlockMappingFirstKey
                };
                Ok(())
            }
            other => Err(format!(
                "expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS, but got {other:?}"
            )),
        }
    }

    fn check_simple_key(&self, ev: &EmitEvent, next: Option<&EmitEvent>) -> bool {
        match ev {
            EmitEvent::Scalar(value, _) => !self.scalar.multiline && value.len() <= 128,
            EmitEvent::SequenceStart { .. } => matches!(next, Some(EmitEvent::SequenceEnd)),
            EmitEvent::MappingStart { .. } => matches!(next, Some(EmitEvent::MappingEnd)),
            _ => false,
        }
    }

    // ---------------------------------------------------------------- scalars

    /// `yaml_emitter_analyze_event` for scalars: fills `scalar` for the style decision.
    fn analyze(&mut self, ev: &EmitEvent) {
        if let EmitEvent::Scalar(value, _) = ev {
            self.analyze_scalar(value.as_bytes());
        }
    }

    fn analyze_scalar(&mut self, value: &[u8]) {
        let s = &mut self.scalar;
        if value.is_empty() {
            s.multiline = false;
            s.flow_plain_allowed = false;
            s.block_plain_allowed = true;
            s.single_quoted_allowed = true;
            s.block_allowed = false;
            return;
        }
        let mut block_indicators = false;
        let mut flow_indicators = false;
        let mut line_breaks = false;
        let mut special_characters = false;
        let mut tab_characters = false;
        let mut leading_space = false;
        let mut leading_break = false;
        let mut trailing_space = false;
        let mut trailing_break = false;
        let mut break_space = false;
        let mut space_break = false;
        let mut previous_space = false;
        let mut previous_break = false;

        if value.len() >= 3 && (value.starts_with(b"---") || value.starts_with(b"...")) {
            block_indicators = true;
            flow_indicators = true;
        }
        let mut preceded_by_whitespace = true;
        let mut i = 0;
        while i < value.len() {
            let w = width(value[i]);
            let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
            let c = value[i];
            if i == 0 {
                match c {
                    b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                    | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    b'?' | b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'-' if followed_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            } else {
                match c {
                    b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                    b':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    b'#' if preceded_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            }
            if self.v3 && c == b'\t' {
                tab_characters = true;
            } else if !is_printable(value, i) {
                special_characters = true;
            }
            if is_space(value, i) {
                if i == 0 {
                    leading_space = true;
                }
                if i + w == value.len() {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(value, i) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if i + w == value.len() {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blankz(value, i);
            i += w;
        }
        s.multiline = line_breaks;
        s.flow_plain_allowed = true;
        s.block_plain_allowed = true;
        s.single_quoted_allowed = true;
        s.block_allowed = true;
        if leading_space || leading_break || trailing_space || trailing_break {
            s.flow_plain_allowed = false;
            s.block_plain_allowed = false;
        }
        if trailing_space {
            s.block_allowed = false;
        }
        if break_space {
            s.flow_plain_allowed = false;
            s.block_plain_allowed = false;
            s.single_quoted_allowed = false;
        }
        if space_break || tab_characters || special_characters {
            s.flow_plain_allowed = false;
            s.block_plain_allowed = false;
            s.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            s.block_allowed = false;
        }
        if line_breaks {
            s.flow_plain_allowed = false;
            s.block_plain_allowed = false;
        }
        if flow_indicators {
            s.flow_plain_allowed = false;
        }
        if block_indicators {
            s.block_plain_allowed = false;
        }
    }

    fn select_scalar_style(&mut self, value: &[u8], requested: ScalarStyle) {
        let mut style = if requested == ScalarStyle::Any {
            ScalarStyle::Plain
        } else {
            requested
        };
        if self.simple_key_context && self.scalar.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain {
            if self.flow_level > 0 && !self.scalar.flow_plain_allowed
                || self.flow_level == 0 && !self.scalar.block_plain_allowed
            {
                style = ScalarStyle::SingleQuoted;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = ScalarStyle::SingleQuoted;
            }
        }
        if style == ScalarStyle::SingleQuoted && !self.scalar.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if (style == ScalarStyle::Literal || style == ScalarStyle::Folded)
            && (!self.scalar.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = ScalarStyle::DoubleQuoted;
        }
        self.scalar.style = Some(style);
    }

    fn process_scalar(&mut self, value: &[u8]) {
        let allow_breaks = !self.simple_key_context;
        match self.scalar.style.unwrap_or(ScalarStyle::Plain) {
            ScalarStyle::Plain | ScalarStyle::Any => self.write_plain(value, allow_breaks),
            ScalarStyle::SingleQuoted => self.write_single_quoted(value, allow_breaks),
            ScalarStyle::DoubleQuoted => self.write_double_quoted(value, allow_breaks),
            ScalarStyle::Literal => self.write_literal(value),
            ScalarStyle::Folded => self.write_folded(value),
        }
    }

    fn write_plain(&mut self, value: &[u8], allow_breaks: bool) {
        if !self.whitespace && (!self.v3 || !value.is_empty()) {
            self.put(b' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += width(value[i]);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if !self.v3 || !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &[u8], allow_breaks: bool) {
        self.write_indicator(b"'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < value.len() - 1
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += width(value[i]);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(value, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if value[i] == b'\'' {
                    self.put(b'\'');
                }
                self.write(value, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &[u8], allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut spaces = false;
        self.write_indicator(b"\"", true, false, false);
        let bom = is_bom(value);
        let mut i = 0;
        while i < value.len() {
            let c = value[i];
            if !is_printable(value, i) || bom || is_break(value, i) || c == b'"' || c == b'\\' {
                let w = width(c);
                let mut v: u32 = match w {
                    1 => (c & 0x7F) as u32,
                    2 => (c & 0x1F) as u32,
                    3 => (c & 0x0F) as u32,
                    _ => (c & 0x07) as u32,
                };
                for k in 1..w {
                    v = (v << 6) + (at(value, i + k) & 0x3F) as u32;
                }
                i += w;
                self.put(b'\\');
                let simple = match v {
                    0x00 => Some(b'0'),
                    0x07 => Some(b'a'),
                    0x08 => Some(b'b'),
                    0x09 => Some(b't'),
                    0x0A => Some(b'n'),
                    0x0B => Some(b'v'),
                    0x0C => Some(b'f'),
                    0x0D => Some(b'r'),
                    0x1B => Some(b'e'),
                    0x22 => Some(b'"'),
                    0x5C => Some(b'\\'),
                    0x85 => Some(b'N'),
                    0xA0 => Some(b'_'),
                    0x2028 => Some(b'L'),
                    0x2029 => Some(b'P'),
                    _ => None,
                };
                match simple {
                    Some(e) => self.put(e),
                    None => {
                        let (letter, digits) = if v <= 0xFF {
                            (b'x', 2)
                        } else if v <= 0xFFFF {
                            (b'u', 4)
                        } else {
                            (b'U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            self.put(HEX[((v >> (k * 4)) & 0x0F) as usize]);
                        }
                    }
                }
                spaces = false;
            } else if is_space(value, i) {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < value.len() - 1
                {
                    self.write_indent();
                    if is_space(value, i + 1) {
                        self.put(b'\\');
                    }
                    i += width(value[i]);
                } else {
                    self.write(value, &mut i);
                }
                spaces = true;
            } else {
                self.write(value, &mut i);
                spaces = false;
            }
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_scalar_hints(&mut self, value: &[u8]) {
        if is_space(value, 0) || is_break(value, 0) {
            let hint = [b'0' + self.best_indent as u8];
            self.write_indicator(&hint, false, false, false);
        }
        let mut chomp: Option<u8> = None;
        if value.is_empty() {
            chomp = Some(b'-');
        } else {
            let mut i = value.len() - 1;
            while i > 0 && value[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(value, i) {
                chomp = Some(b'-');
            } else if i == 0 {
                chomp = Some(b'+');
            } else {
                i -= 1;
                while i > 0 && value[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(value, i) {
                    chomp = Some(b'+');
                }
            }
        }
        if let Some(c) = chomp {
            self.write_indicator(&[c], false, false, false);
        }
    }

    fn write_literal(&mut self, value: &[u8]) {
        self.write_indicator(b"|", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                self.write_break(value, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_folded(&mut self, value: &[u8]) {
        self.write_indicator(b">", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut leading_spaces = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                if !breaks && !leading_spaces && value[i] == b'\n' {
                    let mut k = 0;
                    while is_break(value, k) {
                        k += width(value[k]);
                    }
                    if !is_blankz(value, k) {
                        self.put_break();
                    }
                }
                self.write_break(value, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    leading_spaces = is_blank(value, i);
                }
                if !breaks
                    && is_space(value, i)
                    && !is_space(value, i + 1)
                    && self.column > self.best_width
                {
                    self.write_indent();
                    i += width(value[i]);
                } else {
                    self.write(value, &mut i);
                }
                self.indention = false;
                breaks = false;
            }
        }
    }
}
