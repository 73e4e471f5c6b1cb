//! Masterminds/semver v3.5.0 as Helm's chart code uses it (over the Sprig port in
//! `crate::sprig::semver`): `NewVersion` validity for Chart.yaml versions, Helm's
//! IsCompatibleRange (pkg/chart/v2/util/compatible.go) for dependency version ranges, and the
//! checks `helm dependency` makes.

use crate::sprig::semver::{Constraints, Version};

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

/// semver.NewVersion's error text for `v` ("" when it parses).
pub fn version_error(v: &str) -> String {
    Version::parse(v).err().unwrap_or_default()
}

/// semver.StrictNewVersion succeeds.
pub fn is_strict_version(v: &str) -> bool {
    Version::parse_strict(v).is_ok()
}

/// semver.NewConstraint(c).Check(NewVersion(v)): Err(text) when the constraint does not parse
/// (`constraint` side) or the version does not (`version` side).
pub fn check(constraint: &str, version: &str) -> Result<bool, CheckError> {
    let c = Constraints::parse(constraint).map_err(CheckError::Constraint)?;
    let v = Version::parse(version).map_err(CheckError::Version)?;
    Ok(c.check(&v))
}

/// Why a constraint check could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckError {
    Constraint(String),
    Version(String),
}
