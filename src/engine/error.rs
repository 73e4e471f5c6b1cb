//! Template errors with Go's exact text and the position the editor marks.
//!
//! Go writes parse errors as `template: NAME:LINE: MSG` and execution errors as
//! `template: NAME:LINE:COL: executing "TMPL" at <NODE>: MSG`; [`Error`]'s Display is exactly that,
//! while its fields keep the parts apart (Helm reformats them, the UI draws from `span`).

use std::fmt;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template text does not parse.
    Parse,
    /// Execution failed (a function error, a nil pointer, a bad argument, a limit).
    Exec,
    /// Not located in a template (e.g. "no template X associated with template Y").
    Plain,
}

/// Where an error points: the source name (the file the node was parsed from), 1-based line,
/// Go's column (bytes from the start of the line, 0-based as Go prints it) and the byte span.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Location {
    pub name: Rc<str>,
    pub line: usize,
    pub col: usize,
    pub span: (usize, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Location,
    /// Exec errors: the name of the template being executed (`executing "x"`).
    pub executing: Option<Rc<str>>,
    /// Exec errors: the node as text (`<.Values.a.b>`), without the angle brackets.
    pub context: Option<String>,
    /// The message after the location part.
    pub message: String,
    /// For errors raised by a function call: the name of the function.
    pub func: Option<String>,
    /// The error that a function (e.g. `include`) returned, when it was itself a template error.
    pub cause: Option<Box<Error>>,
    /// True when the error comes from an exec error without a node (Go omits the location).
    pub no_node: bool,
}

impl Error {
    pub fn parse(location: Location, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Parse,
            location,
            executing: None,
            context: None,
            message: message.into(),
            func: None,
            cause: None,
            no_node: false,
        }
    }

    pub fn exec(
        location: Location,
        executing: Rc<str>,
        context: String,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind: ErrorKind::Exec,
            location,
            executing: Some(executing),
            context: Some(context),
            message: message.into(),
            func: None,
            cause: None,
            no_node: false,
        }
    }

    /// The innermost template error (following `cause`), where the real problem is.
    pub fn root(&self) -> &Error {
        let mut e = self;
        while let Some(c) = &e.cause {
            e = c;
        }
        e
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        match self.kind {
            ErrorKind::Plain => f.write_str(&self.message),
            ErrorKind::Parse => write!(f, "template: {}:{}: {}", l.name, l.line, self.message),
            ErrorKind::Exec if self.no_node => {
                write!(
                    f,
                    "template: {}: {}",
                    self.executing.as_deref().unwrap_or(""),
                    self.message
                )
            }
            ErrorKind::Exec => write!(
                f,
                "template: {}:{}:{}: executing {:?} at <{}>: {}",
                l.name,
                l.line,
                l.col,
                self.executing.as_deref().unwrap_or(""),
                self.context.as_deref().unwrap_or(""),
                self.message
            ),
        }
    }
}

impl std::error::Error for Error {}
