//! The browser UI (yew, wasm32 only): thin components over the playground's state machine
//! ([`crate::playground::state`]), one per file, plus the hooks and browser wrappers they share.
//! Every change a component makes is an [`crate::playground::state::Action`]; the element ids
//! exported here are stable because the browser tests (tests/wasm_ui.rs, tests/e2e.rs) drive
//! the page through them.

mod app;
mod bench;
pub mod cluster;
mod dom;
mod editor;
mod file_tree;
mod hooks;
pub mod lessons;
mod notice;
mod output;
pub mod releases;
mod settings;
mod store;
mod toolbar;

pub use app::{initial_state, App, ID_EDITOR};
pub use bench::{BenchReport, FIRST_RENDER_MARK, ID_BENCH};
pub use editor::{code_editor_loaded, language_for};
pub use file_tree::{ID_NAME_INPUT, ID_TREE};
pub use hooks::{browser_env, render_now, MAX_URL_CODE, PAUSE_AFTER_MS};
pub use notice::ID_NOTICE;
pub use output::{ID_ERROR, ID_NOTES, ID_OUTPUT, ID_STATUS, ID_VALUES, ID_WARNINGS};
pub use settings::ID_SETTINGS;
pub use store::{Ctx, Store};
pub use toolbar::{ID_EXAMPLES, ID_SHARE, ID_SHARE_LINK};

/// Mounts [`App`] on the page's `<body>`; called by the `chartlab-web` binary.
pub fn start() {
    if let Some(perf) = dom::window().and_then(|w| w.performance()) {
        let _ = perf.mark(bench::WASM_START_MARK);
    }
    yew::Renderer::<App>::new().render();
}
