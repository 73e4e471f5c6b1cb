//! Sprig v3.3.0's template functions, as Helm registers them (without `env` and `expandenv`).
//!
//! One file per family, each with a `register` that adds its name → function table; [`funcs`]
//! assembles them. Implementations follow Sprig's Go code for results, panics and error texts.

use crate::engine::FuncMap;

mod case;
mod conv;
mod crypto;
pub(crate) mod date;
mod defaults;
mod dicts;
mod encoding;
mod json;
mod lists;
mod math;
mod network;
mod paths;
mod random;
mod re2;
mod reflect;
pub(crate) mod regex;
pub(crate) mod semver;
mod strings;
#[cfg(test)]
mod text_conformance;
mod unicode;
mod url;
pub(crate) mod util;

/// Every Sprig function Helm registers.
pub fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    regex::register(&mut m);
    conv::register(&mut m);
    defaults::register(&mut m);
    encoding::register(&mut m);
    json::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    math::register(&mut m);
    reflect::register(&mut m);
    paths::register(&mut m);
    url::register(&mut m);
    crypto::register(&mut m);
    date::register(&mut m);
    semver::register(&mut m);
    random::register(&mut m);
    network::register(&mut m);
    m
}
