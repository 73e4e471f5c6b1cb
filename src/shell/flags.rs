//! Command-line flags as spf13/pflag parses them for cobra commands (`helm`, `kubectl`):
//! `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped boolean
//! shorthands (`-ab`), `--` ending the flags, flags interspersed with arguments; and pflag's
//! error texts.

use std::collections::BTreeMap;

/// How a flag takes its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `--x` is true; `--x=false` sets it false. A following word is never its value.
    Bool,
    /// Needs a value.
    Value,
    /// A value that may be omitted: `--x` alone gets the default (pflag's `NoOptDefVal`).
    Optional(&'static str),
}

/// One flag definition.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
}

/// A boolean flag.
pub const fn b(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        kind: Kind::Bool,
    }
}

/// A flag with a value.
pub const fn v(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        kind: Kind::Value,
    }
}

/// A flag whose value may be omitted (`--dry-run` = `--dry-run=client`).
pub const fn opt(long: &'static str, short: Option<char>, default: &'static str) -> Flag {
    Flag {
        long,
        short,
        kind: Kind::Optional(default),
    }
}

/// Parsed flags and positional arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Long name → every value given, in order (booleans: `"true"`/`"false"`).
    pub values: BTreeMap<String, Vec<String>>,
    pub args: Vec<String>,
    /// Arguments after `--` start at this index of `args` (cobra's `ArgsLenAtDash`).
    pub dash_at: Option<usize>,
}

impl Parsed {
    /// Whether the flag was given.
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// The last value given.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// The last value, or `default`.
    pub fn str_or<'a>(&'a self, long: &str, default: &'a str) -> &'a str {
        self.get(long).unwrap_or(default)
    }

    /// Every value given (repeatable flags; comma lists are not split here).
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    /// A boolean flag's value.
    pub fn bool(&self, long: &str) -> bool {
        self.get(long) == Some("true")
    }

    /// pflag's `stringSlice`: every value, split on commas (CSV, as pflag reads them).
    pub fn slice(&self, long: &str) -> Vec<String> {
        let mut out = Vec::new();
        for v in self.all(long) {
            if v.is_empty() {
                continue;
            }
            out.extend(v.split(',').map(str::to_string));
        }
        out
    }

    /// An integer flag (`strconv.ParseInt` errors as pflag reports them).
    pub fn int(&self, long: &str, default: i64) -> Result<i64, String> {
        match self.get(long) {
            None => Ok(default),
            Some(s) => parse_go_int(s).map_err(|why| {
                format!("invalid argument \"{s}\" for \"--{long}\" flag: strconv.ParseInt: parsing \"{s}\": {why}")
            }),
        }
    }
}

/// `strconv.ParseInt(s, 0, 64)`: decimal, `0x`, `0o`, `0b`, leading `0` octal, `_` separators.
pub fn parse_go_int(s: &str) -> Result<i64, &'static str> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() {
        return Err("invalid syntax");
    }
    let mag = u64::from_str_radix(&clean, radix).map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => "value out of range",
        _ => "invalid syntax",
    })?;
    if neg {
        if mag > i64::MAX as u64 + 1 {
            return Err("value out of range");
        }
        Ok((mag as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(mag).map_err(|_| "value out of range")
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses `args` against `flags` as pflag does (interspersed). Errors are pflag's texts
/// (`unknown flag: --x`, `unknown shorthand flag: 'x' in -x`, `flag needs an argument: --x`,
/// `invalid argument "x" for "--b" flag: strconv.ParseBool: parsing "x": invalid syntax`).
pub fn parse(args: &[String], flags: &[Flag]) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let find_long = |name: &str| flags.iter().find(|f| f.long == name);
    let find_short = |c: char| flags.iter().find(|f| f.short == Some(c));
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.dash_at = Some(p.args.len());
            p.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
                return Err(format!("bad flag syntax: {a}"));
            }
            let Some(f) = find_long(name) else {
                if name == "help" {
                    p.values
                        .entry("help".into())
                        .or_default()
                        .push("true".into());
                    continue;
                }
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (f.kind, inline) {
                (Kind::Bool, Some(v)) => bool_value(&v, f.long)?,
                (Kind::Bool, None) => "true".into(),
                (Kind::Optional(_), Some(v)) => v,
                (Kind::Optional(d), None) => d.to_string(),
                (Kind::Value, Some(v)) => v,
                (Kind::Value, None) => {
                    if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!("flag needs an argument: --{name}"));
                    }
                }
            };
            p.values.entry(f.long.to_string()).or_default().push(value);
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(f) = find_short(c) else {
                    if c == 'h' {
                        p.values
                            .entry("help".into())
                            .or_default()
                            .push("true".into());
                        j += 1;
                        continue;
                    }
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                let rest: String = chars[j + 1..].iter().collect();
                match f.kind {
                    Kind::Bool => {
                        if let Some(v) = rest.strip_prefix('=') {
                            let v = bool_value(v, f.long)?;
                            p.values.entry(f.long.to_string()).or_default().push(v);
                            break;
                        }
                        p.values
                            .entry(f.long.to_string())
                            .or_default()
                            .push("true".into());
                        j += 1;
                    }
                    Kind::Optional(d) => {
                        let v = match rest.strip_prefix('=') {
                            Some(v) => v.to_string(),
                            None if !rest.is_empty() => rest,
                            None => d.to_string(),
                        };
                        p.values.entry(f.long.to_string()).or_default().push(v);
                        break;
                    }
                    Kind::Value => {
                        let v = if let Some(v) = rest.strip_prefix('=') {
                            v.to_string()
                        } else if !rest.is_empty() {
                            rest
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            return Err(format!("flag needs an argument: '{c}' in -{c}"));
                        };
                        p.values.entry(f.long.to_string()).or_default().push(v);
                        break;
                    }
                }
            }
            continue;
        }
        p.args.push(a.clone());
    }
    Ok(p)
}

fn bool_value(v: &str, long: &str) -> Result<String, String> {
    match parse_go_bool(v) {
        Some(b) => Ok(b.to_string()),
        None => Err(format!(
            "invalid argument \"{v}\" for \"--{long}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const FLAGS: &[Flag] = &[
        v("namespace", Some('n')),
        b("all", Some('a')),
        b("reverse", Some('r')),
        v("output", Some('o')),
        opt("dry-run", None, "client"),
        v("set", None),
    ];

    #[test]
    fn pflag_forms() {
        let p = parse(
            &s(&[
                "ls",
                "-n",
                "x",
                "--output=json",
                "-ar",
                "rel",
                "--set",
                "a=1,b=2",
                "--set=c=3",
            ]),
            FLAGS,
        )
        .unwrap();
        assert_eq!(p.args, ["ls", "rel"]);
        assert_eq!(p.get("namespace"), Some("x"));
        assert_eq!(p.get("output"), Some("json"));
        assert!(p.bool("all") && p.bool("reverse"));
        assert_eq!(p.all("set"), ["a=1,b=2", "c=3"]);
        assert_eq!(p.slice("set"), ["a=1", "b=2", "c=3"]);
        let p = parse(&s(&["-nfoo", "--dry-run", "x", "--", "-a"]), FLAGS).unwrap();
        assert_eq!(p.get("namespace"), Some("foo"));
        assert_eq!(p.get("dry-run"), Some("client"));
        assert_eq!(p.args, ["x", "-a"]);
        assert_eq!(p.dash_at, Some(1));
        assert_eq!(
            parse(&s(&["--nope"]), FLAGS).unwrap_err(),
            "unknown flag: --nope"
        );
        assert_eq!(
            parse(&s(&["-x"]), FLAGS).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&s(&["--namespace"]), FLAGS).unwrap_err(),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            parse(&s(&["-n"]), FLAGS).unwrap_err(),
            "flag needs an argument: 'n' in -n"
        );
        assert_eq!(
            parse(&s(&["--all=maybe"]), FLAGS).unwrap_err(),
            "invalid argument \"maybe\" for \"--all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
        let p = parse(&s(&["--output", "x"]), FLAGS).unwrap();
        assert_eq!(p.int("output", 0).unwrap_err(), "invalid argument \"x\" for \"--output\" flag: strconv.ParseInt: parsing \"x\": invalid syntax");
        assert_eq!(parse_go_int("0x10"), Ok(16));
        assert_eq!(parse_go_int("010"), Ok(8));
        assert_eq!(parse_go_int("-5"), Ok(-5));
    }
}
