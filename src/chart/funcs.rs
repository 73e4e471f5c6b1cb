//! Helm's own template functions (pkg/engine/funcs.go and the late-bound ones of engine.go):
//! include, tpl, required, fail, lookup, getHostByName, and the YAML/JSON/TOML family.

use std::rc::Rc;

use crate::engine::func::{CallCtx, FnResult, Func, FuncMap, Signature, Ty};
use crate::engine::{MissingKey, Value};

mod encoding;

/// Helm's recursionMaxNums: how often one name may be nested in `include`.
const RECURSION_MAX: usize = 1000;
const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Answers `lookup` from a cluster (connected mode); offline rendering has none.
pub type LookupFn = Rc<dyn Fn(&str, &str, &str, &str) -> Result<Value, String>>;

/// Per-render state the functions share (Helm closes over it in initFunMap).
pub struct RenderHost {
    /// includedNames: how deep each template name is nested in `include` right now.
    pub included: rustc_hash::FxHashMap<String, usize>,
    pub strict: bool,
    pub lint_mode: bool,
    /// Warnings printed instead of failing in lint mode.
    pub warnings: Vec<String>,
    pub lookup: Option<LookupFn>,
}

impl RenderHost {
    pub fn new(strict: bool, lint_mode: bool, lookup: Option<LookupFn>) -> RenderHost {
        RenderHost {
            included: Default::default(),
            strict,
            lint_mode,
            warnings: Vec::new(),
            lookup,
        }
    }
}

/// Every function a Helm template sees: Sprig's (minus env/expandenv) and Helm's.
pub fn helm_funcs() -> FuncMap {
    let mut m = crate::sprig::funcs();
    m.remove("env");
    m.remove("expandenv");
    encoding::register(&mut m);
    m.add("include", Signature::fixed(&[Ty::String, Ty::Any]), include);
    m.add("tpl", Signature::fixed(&[Ty::String, Ty::Any]), tpl);
    m.add(
        "required",
        Signature::fixed(&[Ty::String, Ty::Any]),
        required,
    );
    m.add("fail", Signature::fixed(&[Ty::String]), fail);
    m.insert(
        "lookup",
        Func::new(
            Signature::fixed(&[Ty::String, Ty::String, Ty::String, Ty::String]),
            lookup,
        ),
    );
    m.add("getHostByName", Signature::fixed(&[Ty::String]), |_, _| {
        Ok(Value::str(""))
    });
    m
}

/// Registers Helm's encoding functions (toYaml, fromJson, …) into `m`.
pub fn register_encoding(m: &mut FuncMap) {
    encoding::register(m);
}

fn arg_str(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

fn include(ctx: &mut CallCtx<'_>, args: &[Value]) -> FnResult {
    let name = arg_str(args, 0);
    let data = args.get(1).cloned().unwrap_or_default();
    if let Some(host) = ctx.host::<RenderHost>() {
        if !host.included.contains_key(name) {
            host.included.insert(name.to_string(), 0);
        }
        let n = host.included.get_mut(name).expect("just inserted");
        if *n > RECURSION_MAX {
            return Err(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            ));
        }
        *n += 1;
    }
    let set = ctx.templates().clone();
    let r = ctx.execute(&set, name, &data);
    if let Some(host) = ctx.host::<RenderHost>() {
        if let Some(n) = host.included.get_mut(name) {
            *n = n.saturating_sub(1);
        }
    }
    match r {
        Ok(s) => Ok(Value::string(s)),
        Err(e) => Err(e.to_string()),
    }
}

fn tpl(ctx: &mut CallCtx<'_>, args: &[Value]) -> FnResult {
    let text = arg_str(args, 0).to_string();
    let vals = args.get(1).cloned().unwrap_or_default();
    let strict = ctx.host::<RenderHost>().is_some_and(|h| h.strict);
    let parent = ctx.templates().clone();
    let mut t = parent.overlay();
    t.set_missing_key(if strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    let name = parent.name().to_string();
    let quoted = crate::engine::printf::quote(&text);
    if let Err(e) = t.parse(&name, &text) {
        ctx.set_cause(e.clone());
        return Err(format!("cannot parse template {quoted}: {e}"));
    }
    match ctx.execute(&t, &name, &vals) {
        Ok(s) => Ok(Value::string(s.replace("<no value>", ""))),
        Err(e) => Err(format!(
            "error during tpl function execution for {quoted}: {e}"
        )),
    }
}

fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

fn required(ctx: &mut CallCtx<'_>, args: &[Value]) -> FnResult {
    let warn = arg_str(args, 0);
    let val = args.get(1).cloned().unwrap_or_default();
    let missing = match &val {
        Value::Nil => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if missing {
        if let Some(host) = ctx.host::<RenderHost>() {
            if host.lint_mode {
                host.warnings
                    .push(format!("missing required value: {warn}"));
                return Ok(Value::str(""));
            }
        }
        return Err(warn_wrap(warn));
    }
    Ok(val)
}

fn fail(ctx: &mut CallCtx<'_>, args: &[Value]) -> FnResult {
    let msg = arg_str(args, 0);
    if let Some(host) = ctx.host::<RenderHost>() {
        if host.lint_mode {
            host.warnings.push(format!("fail: {msg}"));
            return Ok(Value::str(""));
        }
    }
    Err(warn_wrap(msg))
}

fn lookup(ctx: &mut CallCtx<'_>, args: &[Value]) -> FnResult {
    let f = ctx.host::<RenderHost>().and_then(|h| h.lookup.clone());
    match f {
        Some(f) => f(
            arg_str(args, 0),
            arg_str(args, 1),
            arg_str(args, 2),
            arg_str(args, 3),
        ),
        None => Ok(Value::empty_map()),
    }
}

/// Helm's toYAML: the YAML text without its final newline, or "" when it does not marshal.
pub fn to_yaml_or_empty(v: &Value) -> String {
    match crate::yaml::to_yaml(v) {
        Ok(s) => s.strip_suffix('\n').map(str::to_string).unwrap_or(s),
        Err(_) => String::new(),
    }
}
