//! The browser entry point: trunk builds this binary for wasm32 (www/index.html) and the page
//! runs it on load to start the yew app of `chartlab::ui`; the connected mode's Web Worker loads
//! the same module and calls `chartlab_worker_call`.

#[cfg(target_arch = "wasm32")]
fn main() {
    // In the connected mode's Web Worker the same module runs without a page: it only answers
    // `chartlab_worker_call`.
    if chartlab::ui::cluster::in_worker() {
        return;
    }
    chartlab::ui::start();
}

/// The Web Worker's entry (see `chartlab::ui::cluster::worker`): one JSON request in, one JSON
/// answer out.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn chartlab_worker_call(msg: &str) -> String {
    chartlab::ui::cluster::worker::handle(msg)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "chartlab-web is ChartLab's browser entry point (wasm32 only); \
         run scripts/serve to build it with trunk and open the app"
    );
}
