//! go-yaml v2's event parser (parserc.go): tokens → events.
//!
//! The state machine, the tag-directive handling and the error texts (`did not find expected
//! key`, `did not find expected node content`, `did not find expected ',' or ']'`, …) are Go's.

use super::scanner::{ErrorKind, Mark, ScalarStyle, Scanner, Token, TokenType, R};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    None,
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias,
    Scalar,
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

impl EventType {
    /// The names go-yaml prints (`expected %s event but got %s`).
    pub fn name(self) -> &'static str {
        match self {
            EventType::None => "none",
            EventType::StreamStart => "stream start",
            EventType::StreamEnd => "stream end",
            EventType::DocumentStart => "document start",
            EventType::DocumentEnd => "document end",
            EventType::Alias => "alias",
            EventType::Scalar => "scalar",
            EventType::SequenceStart => "sequence start",
            EventType::SequenceEnd => "sequence end",
            EventType::MappingStart => "mapping start",
            EventType::MappingEnd => "mapping end",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Event {
    pub typ: EventType,
    pub start_mark: Mark,
    /// Where the event ends (kept for parity with go-yaml; the decoder uses start marks).
    #[allow(dead_code)]
    pub end_mark: Mark,
    pub anchor: Vec<u8>,
    pub tag: Vec<u8>,
    pub value: Vec<u8>,
    pub implicit: bool,
    pub quoted_implicit: bool,
    pub style: ScalarStyle,
    /// For collection start events: flow style.
    pub flow: bool,
}

impl Event {
    fn new(typ: EventType, start_mark: Mark, end_mark: Mark) -> Event {
        Event {
            typ,
            start_mark,
            end_mark,
            anchor: Vec::new(),
            tag: Vec::new(),
            value: Vec::new(),
            implicit: false,
            quoted_implicit: false,
            style: ScalarStyle::Any,
            flow: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser<'a> {
    pub sc: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(Vec<u8>, Vec<u8>)>,
}

type Ev = Result<Event, ()>;

impl<'a> Parser<'a> {
    pub fn new(input: &'a [u8]) -> Parser<'a> {
        Parser {
            sc: Scanner::new(input),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    fn peek(&mut self) -> Result<Token, ()> {
        self.sc.peek().cloned()
    }

    fn skip(&mut self) {
        self.sc.skip_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn error(&mut self, problem: &str, mark: Mark) -> R {
        self.sc.error = ErrorKind::Parser;
        self.sc.problem = problem.to_string();
        self.sc.problem_mark = mark;
        Err(())
    }

    fn error_context(
        &mut self,
        context: &str,
        context_mark: Mark,
        problem: &str,
        problem_mark: Mark,
    ) -> R {
        self.sc.error = ErrorKind::Parser;
        self.sc.context = context.to_string();
        self.sc.context_mark = context_mark;
        self.sc.problem = problem.to_string();
        self.sc.problem_mark = problem_mark;
        Err(())
    }

    /// The next event; `EventType::None` after the end of the stream.
    pub fn parse(&mut self) -> Ev {
        if self.sc.stream_end_produced
            || self.sc.error != ErrorKind::None
            || self.state == State::End
        {
            return Ok(Event::new(
                EventType::None,
                Mark::default(),
                Mark::default(),
            ));
        }
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => Ok(Event::new(
                EventType::None,
                Mark::default(),
                Mark::default(),
            )),
        }
    }

    fn parse_stream_start(&mut self) -> Ev {
        let token = self.peek()?;
        if token.typ != TokenType::StreamStart {
            self.error("did not find expected <stream-start>", token.start_mark)?;
        }
        self.state = State::ImplicitDocumentStart;
        let ev = Event::new(EventType::StreamStart, token.start_mark, token.end_mark);
        self.skip();
        Ok(ev)
    }

    fn parse_document_start(&mut self, implicit: bool) -> Ev {
        let mut token = self.peek()?;
        if !implicit {
            while token.typ == TokenType::DocumentEnd {
                self.skip();
                token = self.peek()?;
            }
        }
        if implicit
            && !matches!(
                token.typ,
                TokenType::VersionDirective
                    | TokenType::TagDirective
                    | TokenType::DocumentStart
                    | TokenType::StreamEnd
            )
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            Ok(Event::new(
                EventType::DocumentStart,
                token.start_mark,
                token.end_mark,
            ))
        } else if token.typ != TokenType::StreamEnd {
            let start_mark = token.start_mark;
            self.process_directives()?;
            let token = self.peek()?;
            if token.typ != TokenType::DocumentStart {
                self.error("did not find expected <document start>", token.start_mark)?;
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            let ev = Event::new(EventType::DocumentStart, start_mark, token.end_mark);
            self.skip();
            Ok(ev)
        } else {
            self.state = State::End;
            let ev = Event::new(EventType::StreamEnd, token.start_mark, token.end_mark);
            self.skip();
            Ok(ev)
        }
    }

    fn parse_document_content(&mut self) -> Ev {
        let token = self.peek()?;
        if matches!(
            token.typ,
            TokenType::VersionDirective
                | TokenType::TagDirective
                | TokenType::DocumentStart
                | TokenType::DocumentEnd
                | TokenType::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(token.start_mark));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> Ev {
        let token = self.peek()?;
        let start_mark = token.start_mark;
        let mut end_mark = token.start_mark;
        let mut implicit = true;
        if token.typ == TokenType::DocumentEnd {
            end_mark = token.end_mark;
            self.skip();
            implicit = false;
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        let mut ev = Event::new(EventType::DocumentEnd, start_mark, end_mark);
        ev.implicit = implicit;
        Ok(ev)
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Ev {
        let mut token = self.peek()?;
        if token.typ == TokenType::Alias {
            self.pop_state();
            let mut ev = Event::new(EventType::Alias, token.start_mark, token.end_mark);
            ev.anchor = token.value;
            self.skip();
            return Ok(ev);
        }
        let mut start_mark = token.start_mark;
        let mut end_mark = token.start_mark;
        let mut tag_token = false;
        let mut tag_handle = Vec::new();
        let mut tag_suffix = Vec::new();
        let mut anchor = Vec::new();
        let mut tag_mark = Mark::default();
        if token.typ == TokenType::Anchor {
            anchor = token.value.clone();
            start_mark = token.start_mark;
            end_mark = token.end_mark;
            self.skip();
            token = self.peek()?;
            if token.typ == TokenType::Tag {
                tag_token = true;
                tag_handle = token.value.clone();
                tag_suffix = token.suffix.clone();
                tag_mark = token.start_mark;
                end_mark = token.end_mark;
                self.skip();
                token = self.peek()?;
            }
        } else if token.typ == TokenType::Tag {
            tag_token = true;
            tag_handle = token.value.clone();
            tag_suffix = token.suffix.clone();
            start_mark = token.start_mark;
            tag_mark = token.start_mark;
            end_mark = token.end_mark;
            self.skip();
            token = self.peek()?;
            if token.typ == TokenType::Anchor {
                anchor = token.value.clone();
                end_mark = token.end_mark;
                self.skip();
                token = self.peek()?;
            }
        }
        let mut tag = Vec::new();
        if tag_token {
            if tag_handle.is_empty() {
                tag = tag_suffix;
            } else {
                if let Some((_, prefix)) =
                    self.tag_directives.iter().find(|(h, _)| *h == tag_handle)
                {
                    tag = prefix.clone();
                    tag.extend_from_slice(&tag_suffix);
                }
                if tag.is_empty() {
                    self.error_context(
                        "while parsing a node",
                        start_mark,
                        "found undefined tag handle",
                        tag_mark,
                    )?;
                }
            }
        }
        let implicit = tag.is_empty();
        if indentless_sequence && token.typ == TokenType::BlockEntry {
            end_mark = token.end_mark;
            self.state = State::IndentlessSequenceEntry;
            let mut ev = Event::new(EventType::SequenceStart, start_mark, end_mark);
            ev.anchor = anchor;
            ev.tag = tag;
            ev.implicit = implicit;
            return Ok(ev);
        }
        if token.typ == TokenType::Scalar {
            let mut plain_implicit = false;
            let mut quoted_implicit = false;
            end_mark = token.end_mark;
            if (tag.is_empty() && token.style == ScalarStyle::Plain) || tag == b"!" {
                plain_implicit = true;
            } else if tag.is_empty() {
                quoted_implicit = true;
            }
            self.pop_state();
            let mut ev = Event::new(EventType::Scalar, start_mark, end_mark);
            ev.anchor = anchor;
            ev.tag = tag;
            ev.value = token.value;
            ev.implicit = plain_implicit;
            ev.quoted_implicit = quoted_implicit;
            ev.style = token.style;
            self.skip();
            return Ok(ev);
        }
        let collection = |typ: EventType, flow: bool, end: Mark, anchor: Vec<u8>, tag: Vec<u8>| {
            let mut ev = Event::new(typ, start_mark, end);
            ev.anchor = anchor;
            ev.tag = tag;
            ev.implicit = implicit;
            ev.flow = flow;
            ev
        };
        if token.typ == TokenType::FlowSequenceStart {
            self.state = State::FlowSequenceFirstEntry;
            return Ok(collection(
                EventType::SequenceStart,
                true,
                token.end_mark,
                anchor,
                tag,
            ));
        }
        if token.typ == TokenType::FlowMappingStart {
            self.state = State::FlowMappingFirstKey;
            return Ok(collection(
                EventType::MappingStart,
                true,
                token.end_mark,
                anchor,
                tag,
            ));
        }
        if block && token.typ == TokenType::BlockSequenceStart {
            self.state = State::BlockSequenceFirstEntry;
            return Ok(collection(
                EventType::SequenceStart,
                false,
                token.end_mark,
                anchor,
                tag,
            ));
        }
        if block && token.typ == TokenType::BlockMappingStart {
            self.state = State::BlockMappingFirstKey;
            return Ok(collection(
                EventType::MappingStart,
                false,
                token.end_mark,
                anchor,
                tag,
            ));
        }
        if !anchor.is_empty() || !tag.is_empty() {
            self.pop_state();
            let mut ev = Event::new(EventType::Scalar, start_mark, end_mark);
            ev.anchor = anchor;
            ev.tag = tag;
            ev.implicit = implicit;
            ev.quoted_implicit = false;
            ev.style = ScalarStyle::Plain;
            return Ok(ev);
        }
        let context = if block {
            "while parsing a block node"
        } else {
            "while parsing a flow node"
        };
        self.error_context(
            context,
            start_mark,
            "did not find expected node content",
            token.start_mark,
        )?;
        Err(())
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> Ev {
        if first {
            let token = self.peek()?;
            self.marks.push(token.start_mark);
            self.skip();
        }
        let token = self.peek()?;
        if token.typ == TokenType::BlockEntry {
            let mark = token.end_mark;
            self.skip();
            let token = self.peek()?;
            if token.typ != TokenType::BlockEntry && token.typ != TokenType::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if token.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            let ev = Event::new(EventType::SequenceEnd, token.start_mark, token.end_mark);
            self.skip();
            return Ok(ev);
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        self.error_context(
            "while parsing a block collection",
            context_mark,
            "did not find expected '-' indicator",
            token.start_mark,
        )?;
        Err(())
    }

    fn parse_indentless_sequence_entry(&mut self) -> Ev {
        let token = self.peek()?;
        if token.typ == TokenType::BlockEntry {
            let mark = token.end_mark;
            self.skip();
            let token = self.peek()?;
            if !matches!(
                token.typ,
                TokenType::BlockEntry | TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.pop_state();
        Ok(Event::new(
            EventType::SequenceEnd,
            token.start_mark,
            token.start_mark,
        ))
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> Ev {
        if first {
            let token = self.peek()?;
            self.marks.push(token.start_mark);
            self.skip();
        }
        let token = self.peek()?;
        if token.typ == TokenType::Key {
            let mark = token.end_mark;
            self.skip();
            let token = self.peek()?;
            if !matches!(
                token.typ,
                TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        } else if token.typ == TokenType::BlockEnd {
            self.pop_state();
            self.marks.pop();
            let ev = Event::new(EventType::MappingEnd, token.start_mark, token.end_mark);
            self.skip();
            return Ok(ev);
        }
        let context_mark = self.marks.pop().unwrap_or_default();
        self.error_context(
            "while parsing a block mapping",
            context_mark,
            "did not find expected key",
            token.start_mark,
        )?;
        Err(())
    }

    fn parse_block_mapping_value(&mut self) -> Ev {
        let token = self.peek()?;
        if token.typ == TokenType::Value {
            let mark = token.end_mark;
            self.skip();
            let token = self.peek()?;
            if !matches!(
                token.typ,
                TokenType::Key | TokenType::Value | TokenType::BlockEnd
            ) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(token.start_mark))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Ev {
        if first {
            let token = self.peek()?;
            self.marks.push(token.start_mark);
            self.skip();
        }
        let mut token = self.peek()?;
        if token.typ != TokenType::FlowSequenceEnd {
            if !first {
                if token.typ == TokenType::FlowEntry {
                    self.skip();
                    token = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    self.error_context(
                        "while parsing a flow sequence",
                        context_mark,
                        "did not find expected ',' or ']'",
                        token.start_mark,
                    )?;
                }
            }
            if token.typ == TokenType::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                let mut ev = Event::new(EventType::MappingStart, token.start_mark, token.end_mark);
                ev.implicit = true;
                ev.flow = true;
                self.skip();
                return Ok(ev);
            } else if token.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let ev = Event::new(EventType::SequenceEnd, token.start_mark, token.end_mark);
        self.skip();
        Ok(ev)
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> Ev {
        let token = self.peek()?;
        if !matches!(
            token.typ,
            TokenType::Value | TokenType::FlowEntry | TokenType::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = token.end_mark;
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> Ev {
        let token = self.peek()?;
        if token.typ == TokenType::Value {
            self.skip();
            let token = self.peek()?;
            if token.typ != TokenType::FlowEntry && token.typ != TokenType::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(token.start_mark))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> Ev {
        let token = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event::new(
            EventType::MappingEnd,
            token.start_mark,
            token.start_mark,
        ))
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Ev {
        if first {
            let token = self.peek()?;
            self.marks.push(token.start_mark);
            self.skip();
        }
        let mut token = self.peek()?;
        if token.typ != TokenType::FlowMappingEnd {
            if !first {
                if token.typ == TokenType::FlowEntry {
                    self.skip();
                    token = self.peek()?;
                } else {
                    let context_mark = self.marks.pop().unwrap_or_default();
                    self.error_context(
                        "while parsing a flow mapping",
                        context_mark,
                        "did not find expected ',' or '}'",
                        token.start_mark,
                    )?;
                }
            }
            if token.typ == TokenType::Key {
                self.skip();
                let token = self.peek()?;
                if !matches!(
                    token.typ,
                    TokenType::Value | TokenType::FlowEntry | TokenType::FlowMappingEnd
                ) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(token.start_mark));
            } else if token.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        let ev = Event::new(EventType::MappingEnd, token.start_mark, token.end_mark);
        self.skip();
        Ok(ev)
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> Ev {
        let token = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(token.start_mark));
        }
        if token.typ == TokenType::Value {
            self.skip();
            let token = self.peek()?;
            if token.typ != TokenType::FlowEntry && token.typ != TokenType::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(token.start_mark))
    }

    fn process_directives(&mut self) -> R {
        let mut have_version = false;
        let mut token = self.peek()?;
        while matches!(
            token.typ,
            TokenType::VersionDirective | TokenType::TagDirective
        ) {
            if token.typ == TokenType::VersionDirective {
                if have_version {
                    return self.error("found duplicate %YAML directive", token.start_mark);
                }
                if token.major != 1 || token.minor != 1 {
                    return self.error("found incompatible YAML document", token.start_mark);
                }
                have_version = true;
            } else {
                self.append_tag_directive(
                    token.value.clone(),
                    token.prefix.clone(),
                    false,
                    token.start_mark,
                )?;
            }
            self.skip();
            token = self.peek()?;
        }
        self.append_tag_directive(b"!".to_vec(), b"!".to_vec(), true, token.start_mark)?;
        self.append_tag_directive(
            b"!!".to_vec(),
            b"tag:yaml.org,2002:".to_vec(),
            true,
            token.start_mark,
        )?;
        Ok(())
    }

    fn append_tag_directive(
        &mut self,
        handle: Vec<u8>,
        prefix: Vec<u8>,
        allow_duplicates: bool,
        mark: Mark,
    ) -> R {
        if self.tag_directives.iter().any(|(h, _)| *h == handle) {
            if allow_duplicates {
                return Ok(());
            }
            return self.error("found duplicate %TAG directive", mark);
        }
        self.tag_directives.push((handle, prefix));
        Ok(())
    }
}

fn empty_scalar(mark: Mark) -> Event {
    let mut ev = Event::new(EventType::Scalar, mark, mark);
    ev.implicit = true;
    ev.style = ScalarStyle::Plain;
    ev
}
