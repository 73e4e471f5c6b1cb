//! The app's own model (no upstream counterpart): the document a learner edits (a chart's files
//! plus the release settings and user values of `helm template`), the state machine the UI
//! drives (State/Action/reduce, tested natively), render orchestration, the built-in examples,
//! the share-link codec and the autosave format; [`connected`]: the requests of connected mode
//! (a real cluster behind `kubectl proxy`).

pub mod archive;
pub mod autosave;
pub mod connected;
pub mod diff;
pub mod document;
pub mod examples;
pub mod lessons;
pub mod releases;
pub mod render;
pub mod sandbox;
pub mod share;
pub mod state;
pub mod wire;
pub mod workspace;

pub use document::{Document, Overrides, ReleaseSettings, SetEntry, SetKind};
pub use workspace::Workspace;
