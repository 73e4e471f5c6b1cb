//! The browser entry point: trunk builds this binary for wasm32 (www/index.html) and the page
//! runs it on load to start the yew app of `chartlab::ui`.

#[cfg(target_arch = "wasm32")]
fn main() {
    chartlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "chartlab-web is ChartLab's browser entry point (wasm32 only); \
         run scripts/serve to build it with trunk and open the app"
    );
}
