//! Guided lessons (no upstream counterpart; in the manner of lab platforms' step-and-check
//! tracks): the workshop's four labs as steps with machine checks against the playground's
//! session, hints, "show me" and progress.
//!
//! - [`format`]: the lesson file format (YAML, one file per lesson, bundled here:
//!   `lab1.yaml` … `lab4.yaml`).
//! - [`world`]: the session the lessons look at ([`world::LabWorld`]) and a native one.
//! - [`check`]: evaluating a step's checks, each with its reason.
//! - [`runner`]: "show me", setting the session up at a step, progress and its links.
//! - [`session`]: the lesson panel's session driven by JSON requests (in the browser, inside the
//!   Web Worker that holds the release code).
//! - [`text`]: the markup of lesson texts.

pub mod check;
pub mod format;
pub mod runner;
pub mod session;
pub mod text;
pub mod world;

use std::sync::OnceLock;

pub use format::Lesson;

/// The lesson files, in order.
const SOURCES: [&str; 4] = [
    include_str!("lab1.yaml"),
    include_str!("lab2.yaml"),
    include_str!("lab3.yaml"),
    include_str!("lab4.yaml"),
];

/// Each bundled lesson file read (a file that does not read is an error, caught by the tests).
pub fn parse_all() -> Vec<Result<Lesson, String>> {
    SOURCES.iter().map(|s| Lesson::parse(s)).collect()
}

/// The bundled lessons, in order (those that read).
pub fn lessons() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| parse_all().into_iter().filter_map(Result::ok).collect())
}

#[cfg(test)]
mod tests;
