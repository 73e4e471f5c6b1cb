//! The connected mode's Web Worker: trunk builds this binary for wasm32 as a worker
//! (`data-type="worker"` in www/index.html, with its loader shim); the page starts it when the
//! user connects to a cluster (`chartlab::ui::cluster::client`). Each message is one JSON
//! request, answered by `chartlab::ui::cluster::worker::handle`.

#[cfg(target_arch = "wasm32")]
fn main() {
    chartlab::ui::cluster::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "chartlab-worker is the Web Worker of ChartLab's connected mode (wasm32 only); \
         trunk builds it with the web app"
    );
}
