//! Sprig's `getHostByName` (network.go) as Helm v4.2.3 registers it.
//!
//! Helm replaces Sprig's DNS lookup with a stub returning "" unless DNS lookups are enabled
//! (`helm template --enable-dns`; pkg/engine/engine.go). ChartLab has no DNS (a browser cannot
//! resolve names), so it always behaves as Helm does by default: `getHostByName` is "".

use crate::engine::func::Signature;
use crate::engine::{CallCtx, FnResult, FuncMap, Ty, Value};

/// Helm's `func(_ string) string { return "" }`.
fn f_get_host_by_name(_ctx: &mut CallCtx<'_>, _a: &[Value]) -> FnResult {
    Ok(Value::str(""))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add(
        "getHostByName",
        Signature::fixed(&[Ty::String]),
        f_get_host_by_name,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Env;

    #[test]
    fn returns_empty_like_helm_without_enable_dns() {
        let mut m = FuncMap::new();
        register(&mut m);
        let env = Env::default();
        let f = m.get("getHostByName").expect("registered");
        for host in ["localhost", "example.com"] {
            let v = CallCtx::with_env(&env, |ctx| (f.imp)(ctx, &[Value::str(host)])).expect("ok");
            assert_eq!(v.as_str(), Some(""));
        }
    }
}
