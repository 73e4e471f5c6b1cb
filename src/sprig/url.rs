//! Sprig's URL functions (url.go): `urlParse` and `urlJoin` over Go's `net/url` (`url.Parse`,
//! `URL.String`, `Hostname`, `Userinfo.String`), as Go 1.26 implements them: RFC 3986 parsing
//! with Go's escaping modes, the bracketed-IPv6 validation through `netip.ParseAddr`, and Go's
//! error texts (`parse "http://[bad": missing ']' in host`).

use std::collections::BTreeMap;

use crate::engine::printf;
use crate::engine::value::types;
use crate::engine::{FuncMap, Map, Signature, Str, Ty, Value};

pub(crate) fn register(m: &mut FuncMap) {
    m.add("urlParse", Signature::fixed(&[Ty::String]), |_, a| {
        let raw = super::strings::str_arg(a, 0)?;
        let u = parse(raw).map_err(|e| format!("unable to parse url: {e}"))?;
        let user = u.user.as_ref().map(Userinfo::to_string).unwrap_or_default();
        let entries: BTreeMap<Str, Value> = [
            ("scheme", u.scheme.clone()),
            ("host", u.host.clone()),
            ("hostname", u.hostname().to_owned()),
            ("path", u.path.clone()),
            ("query", u.raw_query.clone()),
            ("opaque", u.opaque.clone()),
            ("fragment", u.fragment.clone()),
            ("userinfo", user),
        ]
        .into_iter()
        .map(|(k, v)| (Str::from(k), Value::string(v)))
        .collect();
        Ok(Value::Map(Map::typed(types::MAP, entries)))
    });
    m.add("urlJoin", Signature::fixed(&[Ty::Map]), |_, a| {
        let d = match a.first() {
            Some(Value::Map(d)) => d,
            other => return Err(format!("internal error: urlJoin argument is {other:?}")),
        };
        let mut u = Url {
            scheme: dict_get_or_empty(d, "scheme")?,
            host: dict_get_or_empty(d, "host")?,
            path: dict_get_or_empty(d, "path")?,
            raw_query: dict_get_or_empty(d, "query")?,
            opaque: dict_get_or_empty(d, "opaque")?,
            fragment: dict_get_or_empty(d, "fragment")?,
            ..Url::default()
        };
        let userinfo = dict_get_or_empty(d, "userinfo")?;
        if !userinfo.is_empty() {
            let t = parse(&format!("proto://{userinfo}@host"))
                .map_err(|e| format!("unable to parse userinfo in dict: {e}"))?;
            u.user = t.user;
        }
        Ok(Value::string(u.to_string()))
    });
}

/// Sprig's `dictGetOrEmpty`: a string entry, "" when absent, a panic for another type.
fn dict_get_or_empty(d: &Map, key: &str) -> Result<String, String> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        // reflect.TypeOf(nil).Kind() dereferences a nil Type
        Some(Value::Nil) => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        Some(other) => Err(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            other.kind().name()
        )),
    }
}

/// Go's `url.URL` (the fields Sprig reads or sets).
#[derive(Default, Debug)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<Userinfo>,
    host: String,
    path: String,
    raw_path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
    raw_fragment: String,
}

#[derive(Debug)]
struct Userinfo {
    username: String,
    password: Option<String>,
}

impl std::fmt::Display for Userinfo {
    /// `Userinfo.String`: `username[:password]`, escaped.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&escape(&self.username, Mode::UserPassword))?;
        if let Some(p) = &self.password {
            write!(f, ":{}", escape(p, Mode::UserPassword))?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// `url.Error` for `Op` "parse": `parse "URL": ERR`.
fn url_error(raw: &str, e: String) -> String {
    let mut out = String::from("parse ");
    out.push_str(&printf::quote(raw));
    out.push_str(": ");
    out.push_str(&e);
    out
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    const HOST_OK: &[u8] = b"!$&'()*+,;=:[]<>\"";
    if (mode == Mode::Host || mode == Mode::Zone) && HOST_OK.contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::QueryComponent => true,
                Mode::Fragment => false,
                Mode::Host | Mode::Zone => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// `url.unescape`; `Err` is Go's error text.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut n = 0;
    let mut has_plus = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                n += 1;
                if i + 2 >= b.len()
                    || !b[i + 1].is_ascii_hexdigit()
                    || !b[i + 2].is_ascii_hexdigit()
                {
                    let bad = &b[i..b.len().min(i + 3)];
                    let mut out = String::from("invalid URL escape ");
                    out.push_str(&printf::quote(&super::unicode::go_lossy(bad)));
                    return Err(out);
                }
                let esc = &s[i..i + 3];
                if mode == Mode::Host && unhex(b[i + 1]) < 8 && esc != "%25" {
                    let mut out = String::from("invalid URL escape ");
                    out.push_str(&printf::quote(esc));
                    return Err(out);
                }
                if mode == Mode::Zone {
                    let v = unhex(b[i + 1]) << 4 | unhex(b[i + 2]);
                    if esc != "%25" && v != b' ' && should_escape(v, Mode::Host) {
                        let mut out = String::from("invalid URL escape ");
                        out.push_str(&printf::quote(esc));
                        return Err(out);
                    }
                }
                i += 3;
            }
            b'+' => {
                has_plus = mode == Mode::QueryComponent;
                i += 1;
            }
            c => {
                if (mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && should_escape(c, mode)
                {
                    let mut out = String::from("invalid character ");
                    out.push_str(&printf::quote(&s[i..i + 1]));
                    out.push_str(" in host name");
                    return Err(out);
                }
                i += 1;
            }
        }
    }
    if n == 0 && !has_plus {
        return Ok(s.to_owned());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                out.push(unhex(b[i + 1]) << 4 | unhex(b[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(super::unicode::go_lossy(&out))
}

/// `url.escape`.
fn escape(s: &str, mode: Mode) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if !s.bytes().any(|c| should_escape(c, mode)) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.bytes() {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(c, mode) {
            out.push('%');
            out.push(HEX[(c >> 4) as usize] as char);
            out.push(HEX[(c & 15) as usize] as char);
        } else {
            out.push(c as char);
        }
    }
    out
}

/// `getScheme`: a leading `[a-zA-Z][a-zA-Z0-9+-.]*:`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// `url.Parse`.
fn parse(raw: &str) -> Result<Url, String> {
    let (u, frag) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    let mut url = parse_no_fragment(u).map_err(|e| url_error(u, e))?;
    if let Some(frag) = frag.filter(|f| !f.is_empty()) {
        let f = unescape(frag, Mode::Fragment).map_err(|e| url_error(raw, e))?;
        url.raw_fragment = if escape(&f, Mode::Fragment) == frag {
            String::new()
        } else {
            frag.to_owned()
        };
        url.fragment = f;
    }
    Ok(url)
}

fn parse_no_fragment(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        url.raw_query = q.to_owned();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // rootless paths are opaque
            url.opaque = rest.to_owned();
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority = &rest[2..];
        let (authority, r) = match authority.find('/') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        };
        rest = r;
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    let path = unescape(rest, Mode::Path)?;
    url.raw_path = if escape(&path, Mode::Path) == rest {
        String::new()
    } else {
        rest.to_owned()
    };
    url.path = path;
    Ok(url)
}

fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    })
}

fn parse_authority(authority: &str) -> Result<(Option<Userinfo>, String), String> {
    let at = authority.rfind('@');
    let host = parse_host(match at {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => Userinfo {
            username: unescape(userinfo, Mode::UserPassword)?,
            password: None,
        },
        Some((u, p)) => Userinfo {
            username: unescape(u, Mode::UserPassword)?,
            password: Some(unescape(p, Mode::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// `validOptionalPort`: "" or `:` followed by digits.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<String, String> {
    if let Some(open) = host.rfind('[') {
        if open > 0 {
            return Err("invalid IP-literal".into());
        }
        let close = host
            .rfind(']')
            .ok_or_else(|| "missing ']' in host".to_string())?;
        let colon_port = &host[close + 1..];
        if !valid_optional_port(colon_port) {
            let mut out = String::from("invalid port ");
            out.push_str(&printf::quote(colon_port));
            out.push_str(" after host");
            return Err(out);
        }
        let colon_port = unescape(colon_port, Mode::Host)?;
        let hostname = host.get(open + 1..close).unwrap_or("");
        // RFC 6874: %25 introduces a zone identifier, which may use any %-encoding
        let unescaped = match hostname.find("%25") {
            Some(z) => {
                unescape(&hostname[..z], Mode::Host)? + &unescape(&hostname[z..], Mode::Zone)?
            }
            None => unescape(hostname, Mode::Host)?,
        };
        // only a valid IPv6 address (not a plain IPv4 one) may be in brackets
        match parse_addr(&unescaped) {
            Err(e) => return Err(format!("invalid host: {e}")),
            Ok(true) => return Err("invalid IP-literal".into()),
            Ok(false) => {}
        }
        return Ok(format!("[{unescaped}]{colon_port}"));
    }
    if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            let mut out = String::from("invalid port ");
            out.push_str(&printf::quote(colon_port));
            out.push_str(" after host");
            return Err(out);
        }
    }
    unescape(host, Mode::Host)
}

/// `netip.ParseAddr`'s validation: `Ok(true)` for an IPv4 address, `Ok(false)` for IPv6, or
/// Go's error text.
fn parse_addr(s: &str) -> Result<bool, String> {
    for c in s.bytes() {
        match c {
            b'.' => return parse_ipv4_fields(s, s).map(|_| true),
            b':' => return parse_ipv6(s).map(|_| false),
            b'%' => return Err(addr_error(s, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(addr_error(s, "unable to parse IP", None))
}

fn addr_error(input: &str, msg: &str, at: Option<&str>) -> String {
    let mut out = String::from("ParseAddr(");
    out.push_str(&printf::quote(input));
    out.push_str("): ");
    out.push_str(msg);
    if let Some(at) = at.filter(|a| !a.is_empty()) {
        out.push_str(" (at ");
        out.push_str(&printf::quote(at));
        out.push(')');
    }
    out
}

/// `parseIPv4Fields` over `s` (a part of `input`, which errors quote).
fn parse_ipv4_fields(input: &str, s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let (mut val, mut pos, mut dig_len) = (0u32, 0, 0);
    for i in 0..b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(addr_error(
                    input,
                    "IPv4 field has octet with leading zero",
                    None,
                ));
            }
            val = val * 10 + (c - b'0') as u32;
            dig_len += 1;
            if val > 255 {
                return Err(addr_error(input, "IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                return Err(addr_error(
                    input,
                    "IPv4 field must have at least one digit",
                    Some(&s[i..]),
                ));
            }
            if pos == 3 {
                return Err(addr_error(input, "IPv4 address too long", None));
            }
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            return Err(addr_error(input, "unexpected character", Some(&s[i..])));
        }
    }
    if pos < 3 {
        return Err(addr_error(input, "IPv4 address too short", None));
    }
    Ok(())
}

fn parse_ipv6(input: &str) -> Result<(), String> {
    let mut s = input;
    let mut zone = "";
    if let Some(i) = s.find('%') {
        zone = &s[i + 1..];
        s = &s[..i];
        if zone.is_empty() {
            return Err(addr_error(input, "zone must be a non-empty string", None));
        }
    }
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = (b[off] as char).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_error(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > 0xFFFF {
                return Err(addr_error(input, "IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_error(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if off < b.len() && b[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(addr_error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(addr_error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let end = input.len() - if zone.is_empty() { 0 } else { zone.len() + 1 };
            parse_ipv4_fields(input, &input[end - s.len()..end])?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(addr_error(
                input,
                "unexpected character, want colon",
                Some(s),
            ));
        } else if s.len() == 1 {
            return Err(addr_error(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(addr_error(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_error(input, "trailing garbage after address", Some(s)));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(addr_error(input, "address string too short", None));
        }
    } else if ellipsis.is_some() {
        return Err(addr_error(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        ));
    }
    Ok(())
}

impl Url {
    /// `URL.Hostname`: the host without a valid port and without IPv6 brackets.
    fn hostname(&self) -> &str {
        let mut host = self.host.as_str();
        if let Some(colon) = host.rfind(':') {
            if valid_optional_port(&host[colon..]) {
                host = &host[..colon];
            }
        }
        if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
            host = &host[1..host.len() - 1];
        }
        host
    }

    /// `URL.EscapedPath`.
    fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == "*" {
            return "*".into();
        }
        escape(&self.path, Mode::Path)
    }

    /// `URL.EscapedFragment`.
    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }
}

fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

impl std::fmt::Display for Url {
    /// `URL.String`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if (self.omit_host && self.host.is_empty() && self.user.is_none())
                    || (self.host.is_empty() && self.path.is_empty() && self.user.is_none())
                {
                    // no authority to write
                } else {
                    buf.push_str("//");
                }
                if let Some(u) = &self.user {
                    buf.push_str(&u.to_string());
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() {
                // a first segment with a colon would read as a scheme
                let segment = path.split('/').next().unwrap_or("");
                if segment.contains(':') {
                    buf.push_str("./");
                }
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        f.write_str(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CallCtx, Env, FnResult};

    fn call(name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        CallCtx::with_env(&Env::default(), |ctx| {
            (m.get(name).expect("registered").imp)(ctx, args)
        })
    }
    fn parsed(raw: &str) -> String {
        call("urlParse", &[Value::str(raw)])
            .map(|v| v.to_v())
            .unwrap_or_else(|e| e)
    }
    fn dict(pairs: &[(&str, Value)]) -> Value {
        Value::Map(Map::from_entries(
            pairs.iter().map(|(k, v)| (Str::from(*k), v.clone())),
        ))
    }
    fn join(pairs: &[(&str, &str)]) -> String {
        let d = dict(
            &pairs
                .iter()
                .map(|(k, v)| (*k, Value::str(v)))
                .collect::<Vec<_>>(),
        );
        call("urlJoin", &[d])
            .map(|v| v.to_v())
            .unwrap_or_else(|e| e)
    }

    // Expected values are Helm v4.2.3's (conformance fn-urlParse, fn-urlJoin and oracle runs).

    #[test]
    fn url_parse() {
        assert_eq!(
            parsed("https://user:pw@example.com:8443/p/a%20b?q=1&r=2#frag"),
            "map[fragment:frag host:example.com:8443 hostname:example.com opaque: path:/p/a b query:q=1&r=2 scheme:https userinfo:user:pw]"
        );
        assert_eq!(
            parsed("mailto:x@y.z"),
            "map[fragment: host: hostname: opaque:x@y.z path: query: scheme:mailto userinfo:]"
        );
        assert_eq!(
            parsed("/relative/path?x=1"),
            "map[fragment: host: hostname: opaque: path:/relative/path query:x=1 scheme: userinfo:]"
        );
        assert_eq!(
            parsed(""),
            "map[fragment: host: hostname: opaque: path: query: scheme: userinfo:]"
        );
        assert!(parsed("http://[::1]:80/").contains("hostname:::1 "));
        assert_eq!(
            parsed("http://[bad"),
            "unable to parse url: parse \"http://[bad\": missing ']' in host"
        );
        assert_eq!(
            call("urlParse", &[Value::str("x")])
                .map(|v| v.type_name())
                .ok()
                .as_deref(),
            Some("map[string]interface {}")
        );
        assert!(parsed("http://u@h@x/").contains("userinfo:u%40h"));
        assert!(parsed("http://[fe80::1%25en0]:8080/")
            .contains("host:[fe80::1%en0]:8080 hostname:fe80::1%en0"));
        for (raw, err) in [
            ("http://[bad]", "invalid host: ParseAddr(\"bad\"): unable to parse IP"),
            ("http://[1.2.3.4]/", "invalid IP-literal"),
            ("http://a[::1]/", "invalid IP-literal"),
            ("http://[::1]x/", "invalid port \"x\" after host"),
            ("http://[fe80::1%en0]/", "invalid URL escape \"%en\""),
            ("http://[::g]/", "invalid host: ParseAddr(\"::g\"): each colon-separated field must have at least one digit (at \"g\")"),
            ("http://[1:2:3:4:5:6:7:8:9]/", "invalid host: ParseAddr(\"1:2:3:4:5:6:7:8:9\"): trailing garbage after address (at \"9\")"),
            ("http://[::1]]/", "invalid host: ParseAddr(\"::1]\"): unexpected character, want colon (at \"]\")"),
            ("http://[::1.2..3]/", "invalid host: ParseAddr(\"::1.2..3\"): IPv4 field must have at least one digit (at \".3\")"),
            ("http://[1:2]/", "invalid host: ParseAddr(\"1:2\"): address string too short"),
            ("http://h:8x/", "invalid port \":8x\" after host"),
            ("http://a b/", "invalid character \" \" in host name"),
            ("http://a%20b/", "invalid URL escape \"%20\""),
            ("http://u\"x@h/", "net/url: invalid userinfo"),
            ("1a:b", "first path segment in URL cannot contain colon"),
            (":x", "missing protocol scheme"),
            ("http://h/\x7f", "net/url: invalid control character in URL"),
            ("http://h/%", "invalid URL escape \"%\""),
        ] {
            let raw_q = {
                let mut q = String::new();
                q.push_str(&printf::quote(raw.split('#').next().unwrap_or(raw)));
                q
            };
            assert_eq!(parsed(raw), format!("unable to parse url: parse {raw_q}: {err}"), "{raw}");
        }
    }

    #[test]
    fn url_join() {
        assert_eq!(
            join(&[
                ("scheme", "http"),
                ("host", "h:80"),
                ("path", "/x y"),
                ("query", "a=b")
            ]),
            "http://h:80/x%20y?a=b"
        );
        assert_eq!(
            join(&[
                ("scheme", "https"),
                ("host", "e.com"),
                ("userinfo", "u:p"),
                ("fragment", "f")
            ]),
            "https://u:p@e.com#f"
        );
        assert_eq!(join(&[]), "");
        assert_eq!(
            join(&[("scheme", "mailto"), ("opaque", "x@y")]),
            "mailto:x@y"
        );
        assert_eq!(join(&[("path", "//x")]), "//x");
        assert_eq!(join(&[("scheme", "http"), ("path", "//x")]), "http:////x");
        assert_eq!(join(&[("scheme", "http"), ("path", "x")]), "http://x");
        assert_eq!(join(&[("host", "h"), ("path", "x")]), "//h/x");
        assert_eq!(join(&[("path", "a:b/c")]), "./a:b/c");
        assert_eq!(
            join(&[("userinfo", "a@b:c@d"), ("host", "h")]),
            "//a%40b:c%40d@h"
        );
        assert_eq!(join(&[("userinfo", ":"), ("host", "h")]), "//:@h");
        assert_eq!(
            join(&[
                ("host", "h é/?#[]"),
                ("path", "/p é?#%"),
                ("query", "q é#"),
                ("fragment", "f é#?!'")
            ]),
            "//h%20%C3%A9%2F%3F%23[]/p%20%C3%A9%3F%23%25?q é##f%20%C3%A9%23?!%27"
        );
        assert_eq!(
            join(&[("userinfo", "a b")]),
            "unable to parse userinfo in dict: parse \"proto://a b@host\": net/url: invalid userinfo"
        );
        let err = |v: Value| call("urlJoin", &[dict(&[("host", v)])]).unwrap_err();
        assert_eq!(
            err(Value::Int(5)),
            "unable to parse host key, must be of type string, but int found"
        );
        assert_eq!(
            err(Value::Float(1.5)),
            "unable to parse host key, must be of type string, but float64 found"
        );
        assert_eq!(
            err(Value::list(vec![])),
            "unable to parse host key, must be of type string, but slice found"
        );
        assert_eq!(
            err(Value::Nil),
            "runtime error: invalid memory address or nil pointer dereference"
        );
        // round trip
        let u = call("urlParse", &[Value::str("https://a.b/c?d=e")]).unwrap();
        assert_eq!(call("urlJoin", &[u]).unwrap().to_v(), "https://a.b/c?d=e");
    }
}
