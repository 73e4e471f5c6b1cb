//! Sprig's `semver` and `semverCompare` (semver.go) over Masterminds/semver v3 (v3.5.0 in Helm
//! v4.2.3's go.mod), and the version as templates see it.
//!
//! [`Version`] and [`Constraints`] are the library's types, reused by Helm's chart code
//! (Chart.yaml versions, `kubeVersion`, dependency ranges). `semver` returns a
//! `*semver.Version` ([`VersionPtr`]); `Inc*`/`Set*` return a `semver.Version` value
//! ([`VersionValue`]), whose method set lacks the pointer methods (`Original`, `Compare`, …).

mod constraints;
mod version;

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use crate::engine::func::Signature;
use crate::engine::value::{Kind, Object};
use crate::engine::{CallCtx, FnResult, FuncMap, Ty, Value};

pub(crate) use constraints::Constraints;
pub(crate) use version::Version;

/// A `*semver.Version`.
#[derive(Clone, Debug)]
pub(crate) struct VersionPtr(pub Rc<Version>);

/// A `semver.Version` value (what `IncMinor` and friends return).
#[derive(Clone, Debug)]
pub(crate) struct VersionValue(pub Version);

const PTR_TYPE: &str = "*semver.Version";
const NO_ARGS: Signature = Signature::fixed(&[]);
const VERSION_ARG: Signature = Signature::fixed(&[Ty::Named(PTR_TYPE)]);
const STRING_ARG: Signature = Signature::fixed(&[Ty::String]);

/// Methods of `semver.Version` (value receivers), callable on both forms.
fn value_method(name: &str) -> Option<Signature> {
    Some(match name {
        "String" | "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "IncPatch"
        | "IncMinor" | "IncMajor" | "MarshalJSON" | "MarshalText" | "Value" => NO_ARGS,
        "SetPrerelease" | "SetMetadata" => STRING_ARG,
        _ => return None,
    })
}

fn call_value_method(v: &Version, name: &str, args: &[Value]) -> Result<Value, String> {
    let str_arg = || args.first().and_then(Value::as_str).unwrap_or("");
    let value = |r: Result<Version, String>| r.map(|v| Value::object(VersionValue(v)));
    match name {
        "String" | "Value" => Ok(Value::string(v.to_string())),
        "Major" => Ok(Value::Uint(v.major())),
        "Minor" => Ok(Value::Uint(v.minor())),
        "Patch" => Ok(Value::Uint(v.patch())),
        "Prerelease" => Ok(Value::str(v.prerelease())),
        "Metadata" => Ok(Value::str(v.metadata())),
        "IncPatch" => value(v.inc_patch()),
        "IncMinor" => value(v.inc_minor()),
        "IncMajor" => value(v.inc_major()),
        "SetPrerelease" => value(v.set_prerelease(str_arg())),
        "SetMetadata" => value(v.set_metadata(str_arg())),
        "MarshalJSON" => Ok(Value::Bytes(format!("\"{v}\"").into_bytes().into())),
        "MarshalText" => Ok(Value::Bytes(v.to_string().into_bytes().into())),
        _ => Err(format!("no method {name}")),
    }
}

/// The `*Version` argument of a comparison method; a nil pointer dereference panics in Go.
fn version_arg(args: &[Value]) -> Result<&Version, String> {
    match args.first().and_then(|a| a.downcast::<VersionPtr>()) {
        Some(p) => Ok(&p.0),
        None => Err("runtime error: invalid memory address or nil pointer dereference".into()),
    }
}

impl Object for VersionPtr {
    fn type_name(&self) -> &str {
        PTR_TYPE
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Original" => Some(NO_ARGS),
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal"
            | "Compare" => Some(VERSION_ARG),
            _ => value_method(name),
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let v = &self.0;
        match name {
            "Original" => Ok(Value::str(v.original())),
            "Equal" => Ok(Value::Bool(
                match args.first().and_then(|a| a.downcast::<VersionPtr>()) {
                    Some(o) => Rc::ptr_eq(&self.0, &o.0) || v.equal(&o.0),
                    None => false,
                },
            )),
            "Compare" => Ok(Value::Int(match v.compare(version_arg(args)?) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            })),
            "LessThan" => Ok(Value::Bool(v.compare(version_arg(args)?) == Ordering::Less)),
            "LessThanEqual" => Ok(Value::Bool(
                v.compare(version_arg(args)?) != Ordering::Greater,
            )),
            "GreaterThan" => Ok(Value::Bool(
                v.compare(version_arg(args)?) == Ordering::Greater,
            )),
            "GreaterThanEqual" => Ok(Value::Bool(v.compare(version_arg(args)?) != Ordering::Less)),
            _ => call_value_method(v, name, args),
        }
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&self.0.to_string());
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::string(self.0.to_string()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for VersionValue {
    fn type_name(&self) -> &str {
        "semver.Version"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn method(&self, name: &str) -> Option<Signature> {
        value_method(name)
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        call_value_method(&self.0, name, args)
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&self.0.to_string());
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::string(self.0.to_string()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn f_semver(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let v = Version::parse(a[0].as_str().unwrap_or(""))?;
    Ok(Value::object(VersionPtr(Rc::new(v))))
}

fn f_semver_compare(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let c = Constraints::parse(a[0].as_str().unwrap_or(""))?;
    let v = Version::parse(a[1].as_str().unwrap_or(""))?;
    Ok(Value::Bool(c.check(&v)))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.add("semver", STRING_ARG, f_semver);
    m.add(
        "semverCompare",
        Signature::fixed(&[Ty::String, Ty::String]),
        f_semver_compare,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Env;

    fn call(name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let env = Env::default();
        let f = m.get(name).expect("registered");
        CallCtx::with_env(&env, |ctx| (f.imp)(ctx, args))
    }

    fn sv(s: &str) -> Value {
        call("semver", &[Value::str(s)]).expect("version")
    }

    fn meth(v: &Value, name: &str, args: &[Value]) -> Value {
        let Value::Object(o) = v else {
            panic!("object")
        };
        assert!(o.method(name).is_some(), "{name}");
        o.call_method(name, args).expect("ok")
    }

    #[test]
    fn fn_semver_case() {
        let v = sv("1.2.3-beta.1+build.5");
        let line: Vec<String> = [
            "Major",
            "Minor",
            "Patch",
            "Prerelease",
            "Metadata",
            "Original",
        ]
        .iter()
        .map(|m| meth(&v, m, &[]).to_v())
        .collect();
        assert_eq!(line.join(" "), "1 2 3 beta.1 build.5 1.2.3-beta.1+build.5");
        assert_eq!(meth(&v, "Major", &[]).type_name(), "uint64");
        assert_eq!(v.to_v(), "1.2.3-beta.1+build.5");
        assert_eq!(sv("v1.2").to_v(), "1.2.0");
        assert_eq!(meth(&sv("v1.2"), "Original", &[]).to_v(), "v1.2");
        assert_eq!(sv("1").to_v(), "1.0.0");
        assert_eq!(meth(&sv("2.0.0"), "Compare", &[sv("1.9.0")]).to_v(), "1");
        assert_eq!(
            meth(&sv("1.0.0"), "LessThan", &[sv("1.0.1")]).to_v(),
            "true"
        );
        assert_eq!(meth(&sv("1.0.0"), "Equal", &[sv("1.0.0+x")]).to_v(), "true");
        assert_eq!(meth(&sv("1.2.3"), "IncMinor", &[]).to_v(), "1.3.0");
        assert_eq!(meth(&sv("1.2.3-rc.1"), "IncPatch", &[]).to_v(), "1.2.3");
        assert_eq!(meth(&sv("1.2.3"), "IncMajor", &[]).to_v(), "2.0.0");
        assert_eq!(
            meth(&sv("1.2.3"), "GreaterThan", &[sv("1.2.3-alpha")]).to_v(),
            "true"
        );
        let inc = meth(&sv("v1.2.3"), "IncPatch", &[]);
        assert_eq!(inc.type_name(), "semver.Version");
        let Value::Object(o) = &inc else { panic!() };
        assert!(o.method("Original").is_none());
        assert_eq!(o.kind(), Kind::Struct);
        assert_eq!(sv("1.0.0").type_name(), "*semver.Version");
        assert_eq!(
            sv("1.2.3")
                .downcast::<VersionPtr>()
                .expect("ptr")
                .marshal()
                .expect("json")
                .to_v(),
            "1.2.3"
        );
    }

    #[test]
    fn fn_semver_errors() {
        assert_eq!(
            call("semver", &[Value::str("not-a-version")])
                .err()
                .as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            call("semverCompare", &[Value::str(">=1.0"), Value::str("one")])
                .err()
                .as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            call("semverCompare", &[Value::str("abc"), Value::str("1.0.0")])
                .err()
                .as_deref(),
            Some("improper constraint: \"abc\"")
        );
        assert_eq!(
            meth(&sv("1.0.0"), "SetPrerelease", &[Value::str("rc.1")]).to_v(),
            "1.0.0-rc.1"
        );
        let Value::Object(o) = sv("1.0.0") else {
            panic!()
        };
        assert_eq!(
            o.call_method("Compare", &[Value::Nil]).err().as_deref(),
            Some("runtime error: invalid memory address or nil pointer dereference")
        );
    }

    #[test]
    fn fn_semver_compare_results() {
        let c = |a: &str, b: &str| {
            call("semverCompare", &[Value::str(a), Value::str(b)])
                .expect("ok")
                .to_v()
        };
        assert_eq!(c(">=1.19-0", "v1.36.0"), "true");
        assert_eq!(c("1.0 || 2.0", "2.0.0"), "true");
    }
}
