//! Helm's `lookup` template function against a live cluster (pkg/engine lookup_func.go): the
//! object (or the list, for an empty name) as the dynamic client returns it, an empty map when
//! it does not exist, Helm's error when the kind is not served.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value as J;

use crate::chart::funcs::LookupFn;
use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};
use crate::kube::cluster::{Cluster, DiscoveryPath, ListOptions};
use crate::kube::object::{GroupVersion, GroupVersionKind, GroupVersionResource};

/// A JSON object from the API as `UnstructuredContent()` holds it: integers are int64.
pub fn from_unstructured(v: &J) -> Value {
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int64(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => Value::String(Str::from(s.as_str())),
        J::Array(a) => Value::List(List::new(a.iter().map(from_unstructured).collect())),
        J::Object(o) => Value::Map(Map::typed(
            types::MAP,
            o.iter()
                .map(|(k, x)| (Str::from(k.as_str()), from_unstructured(x)))
                .collect(),
        )),
    }
}

fn lookup(
    cluster: &mut dyn Cluster,
    api_version: &str,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Result<Value, String> {
    let empty = || Value::Map(Map::new());
    // schema.FromAPIVersionAndKind: a malformed apiVersion gives an empty group version
    let gv = GroupVersion::parse(api_version).unwrap_or_else(|_| GroupVersion::new("", ""));
    let gvk = GroupVersionKind::new(&gv.group, &gv.version, kind);
    let list = cluster
        .call(crate::kube::cluster::Request::Discovery(
            DiscoveryPath::GroupVersion(gv.clone()),
        ))
        .map_err(|e| format!("unable to get apiresource from unstructured: {gvk}: {e}"))?;
    let res = list.get("resources").and_then(J::as_array).and_then(|rs| {
        rs.iter().find(|r| {
            r.get("kind").and_then(J::as_str) == Some(kind)
                && !r
                    .get("name")
                    .and_then(J::as_str)
                    .unwrap_or("")
                    .contains('/')
        })
    });
    let Some(res) = res else {
        // an empty resource name: the request finds nothing
        return Ok(empty());
    };
    let plural = res.get("name").and_then(J::as_str).unwrap_or("");
    let namespaced = res.get("namespaced").and_then(J::as_bool).unwrap_or(false);
    let gvr = GroupVersionResource::new(&gv.group, &gv.version, plural);
    let ns = if namespaced { namespace } else { "" };
    if !name.is_empty() {
        return match cluster.get(&gvr, ns, name) {
            Ok(o) => Ok(from_unstructured(&o)),
            Err(e) if e.code == 404 => Ok(empty()),
            Err(e) => Err(e.to_string()),
        };
    }
    let ns_opt = if namespaced && !namespace.is_empty() {
        Some(namespace)
    } else {
        None
    };
    match cluster.list(&gvr, ns_opt, &ListOptions::default()) {
        Ok(l) => Ok(from_unstructured(&l)),
        Err(e) if e.code == 404 => Ok(empty()),
        Err(e) => Err(e.to_string()),
    }
}

/// The `lookup` function for rendering against `cluster`.
pub fn lookup_fn(cluster: Rc<RefCell<dyn Cluster>>) -> LookupFn {
    Rc::new(
        move |api_version: &str, kind: &str, namespace: &str, name: &str| {
            let mut c = cluster
                .try_borrow_mut()
                .map_err(|_| "the cluster is busy (re-entrant lookup)".to_string())?;
            lookup(&mut *c, api_version, kind, namespace, name)
        },
    )
}
