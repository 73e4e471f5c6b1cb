//! INTERIM COPY of src/sprig/semver/version.rs from the sprig-crypto branch (commit f258493),
//! so the chart module can validate versions before that branch lands on main. Delete this file
//! and use crate::sprig::semver once it is merged.
//!
//! Masterminds/semver v3 `Version`: `NewVersion` (coercing: `v` prefix, `1.2` → 1.2.0),
//! `StrictNewVersion`, precedence (`Compare`) and the `Inc*`/`Set*` helpers, with the library's
//! exact error texts.

use std::cmp::Ordering;
use std::fmt;

pub(crate) const ERR_INVALID_SEMVER: &str = "invalid semantic version";
const ERR_EMPTY_STRING: &str = "version string empty";
const ERR_INVALID_CHARACTERS: &str = "invalid characters in version";
const ERR_SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
const ERR_INVALID_METADATA: &str = "invalid metadata string";
const ERR_INVALID_PRERELEASE: &str = "invalid prerelease string";

/// A semantic version (`*semver.Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Greedy match of `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*` at `s[i..]`: the end index.
pub(super) fn match_dotted_idents(s: &[u8], mut i: usize) -> Option<usize> {
    let start = i;
    while i < s.len() && is_ident(s[i]) {
        i += 1;
    }
    if i == start {
        return None;
    }
    while i + 1 < s.len() && s[i] == b'.' && is_ident(s[i + 1]) {
        i += 1;
        while i < s.len() && is_ident(s[i]) {
            i += 1;
        }
    }
    Some(i)
}

/// `strconv.ParseUint(s, 10, 64)` with Go's error text.
pub(super) fn parse_uint(s: &str) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    s.parse::<u64>().map_err(|_| {
        format!(
            "strconv.ParseUint: parsing {}: value out of range",
            go_quote(s)
        )
    })
}

/// `%q` of the ASCII text semver puts in its messages.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn contains_only(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(ERR_INVALID_PRERELEASE.into());
        } else if contains_only(part, |b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(ERR_SEGMENT_STARTS_ZERO.into());
            }
        } else if !contains_only(part, is_ident) {
            return Err(ERR_INVALID_PRERELEASE.into());
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), String> {
    for part in m.split('.') {
        if part.is_empty() || !contains_only(part, is_ident) {
            return Err(ERR_INVALID_METADATA.into());
        }
    }
    Ok(())
}

impl Version {
    /// `semver.NewVersion` (with `CoerceNewVersion`, the default): the loose grammar
    /// `v?N(.N)?(.N)?(-pre)?(+meta)?`, leading zeros allowed in the numbers.
    pub(crate) fn parse(v: &str) -> Result<Version, String> {
        let s = v.as_bytes();
        let mut i = 0;
        if s.first() == Some(&b'v') {
            i = 1;
        }
        let digits = |i: usize| {
            let mut j = i;
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            j
        };
        let major_end = digits(i);
        if major_end == i {
            return Err(ERR_INVALID_SEMVER.into());
        }
        let major = &v[i..major_end];
        i = major_end;
        let mut nums: [Option<&str>; 2] = [None, None];
        for slot in nums.iter_mut() {
            if i < s.len() && s[i] == b'.' {
                let e = digits(i + 1);
                if e > i + 1 {
                    *slot = Some(&v[i + 1..e]);
                    i = e;
                }
            }
        }
        let mut pre = "";
        if i < s.len() && s[i] == b'-' {
            if let Some(e) = match_dotted_idents(s, i + 1) {
                pre = &v[i + 1..e];
                i = e;
            }
        }
        let mut metadata = "";
        if i < s.len() && s[i] == b'+' {
            if let Some(e) = match_dotted_idents(s, i + 1) {
                metadata = &v[i + 1..e];
                i = e;
            }
        }
        if i != s.len() {
            return Err(ERR_INVALID_SEMVER.into());
        }
        let seg =
            |x: &str| parse_uint(x).map_err(|e| format!("error parsing version segment: {e}"));
        let version = Version {
            major: seg(major)?,
            minor: nums[0].map(seg).transpose()?.unwrap_or(0),
            patch: nums[1].map(seg).transpose()?.unwrap_or(0),
            pre: pre.into(),
            metadata: metadata.into(),
            original: v.into(),
        };
        if !version.pre.is_empty() {
            validate_prerelease(&version.pre)?;
        }
        if !version.metadata.is_empty() {
            validate_metadata(&version.metadata)?;
        }
        Ok(version)
    }

    /// `semver.StrictNewVersion`: exactly `MAJOR.MINOR.PATCH(-pre)?(+meta)?`, no `v`, no
    /// leading zeros.
    pub(crate) fn parse_strict(v: &str) -> Result<Version, String> {
        if v.is_empty() {
            return Err(ERR_EMPTY_STRING.into());
        }
        let mut parts: Vec<&str> = v.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err(ERR_INVALID_SEMVER.into());
        }
        let mut sv = Version {
            major: 0,
            minor: 0,
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            original: v.into(),
        };
        if let Some((rest, meta)) = parts[2].split_once('+') {
            sv.metadata = meta.into();
            parts[2] = rest;
            validate_metadata(meta)?;
        }
        if let Some((rest, pre)) = parts[2].split_once('-') {
            sv.pre = pre.into();
            parts[2] = rest;
            validate_prerelease(pre)?;
        }
        for p in &parts {
            if !contains_only(p, |b| b.is_ascii_digit()) {
                return Err(ERR_INVALID_CHARACTERS.into());
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(ERR_SEGMENT_STARTS_ZERO.into());
            }
        }
        sv.major = parse_uint(parts[0])?;
        sv.minor = parse_uint(parts[1])?;
        sv.patch = parse_uint(parts[2])?;
        Ok(sv)
    }

    /// `semver.New(major, minor, patch, pre, metadata)` (not validated, like Go's).
    pub(crate) fn new(major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.into(),
            metadata: metadata.into(),
            original: String::new(),
        };
        v.original = v.to_string();
        v
    }

    pub(crate) fn major(&self) -> u64 {
        self.major
    }
    pub(crate) fn minor(&self) -> u64 {
        self.minor
    }
    pub(crate) fn patch(&self) -> u64 {
        self.patch
    }
    pub(crate) fn prerelease(&self) -> &str {
        &self.pre
    }
    pub(crate) fn metadata(&self) -> &str {
        &self.metadata
    }
    /// The text the version was parsed from.
    pub(crate) fn original(&self) -> &str {
        &self.original
    }

    fn original_v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    /// `IncPatch`: drops a prerelease (keeping the patch) or increments the patch.
    pub(crate) fn inc_patch(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        if self.pre.is_empty() {
            next.patch = self
                .patch
                .checked_add(1)
                .ok_or("patch version increment would overflow uint64")?;
        }
        next.original = format!("{}{}", self.original_v_prefix(), next);
        Ok(next)
    }

    /// `IncMinor`.
    pub(crate) fn inc_minor(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = self
            .minor
            .checked_add(1)
            .ok_or("minor version increment would overflow uint64")?;
        next.original = format!("{}{}", self.original_v_prefix(), next);
        Ok(next)
    }

    /// `IncMajor`.
    pub(crate) fn inc_major(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = 0;
        next.major = self
            .major
            .checked_add(1)
            .ok_or("major version increment would overflow uint64")?;
        next.original = format!("{}{}", self.original_v_prefix(), next);
        Ok(next)
    }

    /// `SetPrerelease`.
    pub(crate) fn set_prerelease(&self, pre: &str) -> Result<Version, String> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        let mut next = self.clone();
        next.pre = pre.into();
        next.original = format!("{}{}", self.original_v_prefix(), next);
        Ok(next)
    }

    /// `SetMetadata`.
    pub(crate) fn set_metadata(&self, metadata: &str) -> Result<Version, String> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        let mut next = self.clone();
        next.metadata = metadata.into();
        next.original = format!("{}{}", self.original_v_prefix(), next);
        Ok(next)
    }

    /// `Compare`: precedence by major, minor, patch, then prerelease (metadata ignored).
    pub(crate) fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }

    pub(crate) fn less_than(&self, o: &Version) -> bool {
        self.compare(o) == Ordering::Less
    }
    pub(crate) fn equal(&self, o: &Version) -> bool {
        self.compare(o) == Ordering::Equal
    }
}

/// `String`: `MAJOR.MINOR.PATCH[-pre][+meta]` (no `v`).
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

pub(super) fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let sparts: Vec<&str> = v.split('.').collect();
    let oparts: Vec<&str> = o.split('.').collect();
    for i in 0..sparts.len().max(oparts.len()) {
        let s = sparts.get(i).copied().unwrap_or("");
        let o = oparts.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, o);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (parse_uint(s), parse_uint(o)) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loose_versions() {
        let v = Version::parse("1.2.3-beta.1+build.5").expect("ok");
        assert_eq!((v.major(), v.minor(), v.patch()), (1, 2, 3));
        assert_eq!(
            (v.prerelease(), v.metadata(), v.original()),
            ("beta.1", "build.5", "1.2.3-beta.1+build.5")
        );
        assert_eq!(Version::parse("v1.2").expect("ok").to_string(), "1.2.0");
        assert_eq!(Version::parse("1").expect("ok").to_string(), "1.0.0");
        assert_eq!(
            Version::parse("v01.002.0+x").expect("ok").to_string(),
            "1.2.0+x"
        );
        assert_eq!(
            Version::parse("not-a-version").err().as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            Version::parse("1.0.0-01").err().as_deref(),
            Some("version segment starts with 0")
        );
        assert_eq!(
            Version::parse("99999999999999999999.0").err().as_deref(),
            Some("error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range")
        );
        assert_eq!(
            Version::parse("1.2.3.4").err().as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            Version::parse("").err().as_deref(),
            Some("invalid semantic version")
        );
    }

    #[test]
    fn strict_parsing() {
        assert_eq!(
            Version::parse_strict("1.2").err().as_deref(),
            Some("invalid semantic version")
        );
        assert_eq!(
            Version::parse_strict("").err().as_deref(),
            Some("version string empty")
        );
        assert_eq!(
            Version::parse_strict("v1.2.3").err().as_deref(),
            Some("invalid characters in version")
        );
        assert_eq!(
            Version::parse_strict("01.2.3").err().as_deref(),
            Some("version segment starts with 0")
        );
        assert_eq!(
            Version::parse_strict("1.2.3-a..b").err().as_deref(),
            Some("invalid prerelease string")
        );
        assert!(Version::parse_strict("1.2.3-rc.1+b").is_ok());
    }

    #[test]
    fn precedence() {
        let p = |s: &str| Version::parse(s).expect("ok");
        assert_eq!(p("2.0.0").compare(&p("1.9.0")), Ordering::Greater);
        assert!(p("1.0.0").less_than(&p("1.0.1")));
        assert!(p("1.0.0").equal(&p("1.0.0+x")));
        assert!(p("1.0.0-alpha").less_than(&p("1.0.0-alpha.1")));
        assert!(p("1.0.0-alpha.1").less_than(&p("1.0.0-alpha.beta")));
        assert!(p("1.0.0-beta.2").less_than(&p("1.0.0-beta.11")));
        assert!(p("1.0.0-rc.1").less_than(&p("1.0.0")));
    }

    #[test]
    fn increments() {
        let p = |s: &str| Version::parse(s).expect("ok");
        assert_eq!(p("1.2.3").inc_minor().expect("ok").to_string(), "1.3.0");
        assert_eq!(
            p("1.2.3-rc.1").inc_patch().expect("ok").to_string(),
            "1.2.3"
        );
        assert_eq!(p("v1.2.3").inc_major().expect("ok").original(), "v2.0.0");
        assert_eq!(
            p("1.2.18446744073709551615").inc_patch().err().as_deref(),
            Some("patch version increment would overflow uint64")
        );
    }
}
