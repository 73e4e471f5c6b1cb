//! Masterminds/semver v3.5.0 as Helm's chart code uses it: `NewVersion` validity for
//! Chart.yaml versions and Helm's IsCompatibleRange (pkg/chart/v2/util/compatible.go) for
//! dependency version ranges.
//!
//! The parser and constraint checker are an interim copy of the Sprig semver port (see the
//! files' headers); once `crate::sprig::semver` is on main this module keeps only the wrappers.

#![allow(dead_code)]

mod constraints;
mod version;

pub(crate) use constraints::Constraints;
pub(crate) use version::Version;

/// semver.NewVersion(v) succeeds (Helm's isValidSemver).
pub fn is_valid_version(v: &str) -> bool {
    Version::parse(v).is_ok()
}

/// Helm's IsCompatibleRange: `ver` parses and satisfies the constraint `constraint`.
pub fn is_compatible_range(constraint: &str, ver: &str) -> bool {
    let Ok(v) = Version::parse(ver) else {
        return false;
    };
    match Constraints::parse(constraint) {
        Ok(c) => c.check(&v),
        Err(_) => false,
    }
}
