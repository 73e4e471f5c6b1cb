//! Parse + execute arbitrary template text with Helm's functions and small limits: no input may
//! panic, hang or exhaust memory.
#![no_main]

use chartlab::engine::{Env, Map, MissingKey, Templates, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut set = Templates::new("gotpl", chartlab::chart::render::funcs());
    set.set_missing_key(MissingKey::Zero);
    if set.parse("t", text).is_err() {
        return;
    }
    let mut env = Env::default();
    env.limits.max_steps = 20_000;
    env.limits.max_output = 1 << 20;
    env.limits.max_template_depth = 200;
    let values = Map::new();
    values.insert("a", Value::Float(1.0));
    values.insert("s", Value::str("text"));
    values.insert("l", Value::list(vec![Value::Float(1.0), Value::str("x"), Value::Nil]));
    let top = Map::new();
    top.insert("Values", Value::Map(values));
    let _ = set.execute("t", &Value::Map(top), &env);
});
