//! The `format` checks jsonschema v6 asserts (for drafts before 2019-09): email, hostname, ipv4,
//! ipv6, date, time, date-time, duration, period, uri, uri-reference, uri-template, uuid,
//! json-pointer, relative-json-pointer, semver, regex — with the library's error texts. Values
//! that are not strings pass, unknown formats are ignored.

use super::validate::Inst;

/// Go's `%q` of a rune.
fn qr(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => {
            let q = crate::engine::printf::quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

/// Go's `%q` of a byte (as a rune).
fn qb(b: u8) -> String {
    qr(b as char)
}

/// The error text of format `name` for `v`, None when it passes.
pub fn check(name: &str, v: &Inst) -> Option<String> {
    let Inst::Str(s) = v else {
        return None;
    };
    let r = match name {
        "json-pointer" => json_pointer(s),
        "relative-json-pointer" => relative_json_pointer(s),
        "uuid" => uuid(s),
        "duration" => duration(s),
        "period" => period(s),
        "ipv4" => ipv4(s),
        "ipv6" => ipv6(s),
        "hostname" => hostname(s),
        "email" => email(s),
        "date" => date(s),
        "time" => time(s),
        "date-time" => date_time(s),
        "uri" | "iri" => uri(s),
        "uri-reference" | "iri-reference" => uri_reference(s),
        "uri-template" => uri_template(s),
        "semver" => semver(s),
        "regex" => crate::sprig::regex::compile(s).map(|_| ()),
        _ => Ok(()),
    };
    r.err()
}

type R = Result<(), String>;

fn json_pointer(s: &str) -> R {
    if s.is_empty() {
        return Ok(());
    }
    if !s.starts_with('/') {
        return Err("not starting with /".into());
    }
    for tok in s.split('/').skip(1) {
        let mut escape = false;
        for ch in tok.chars() {
            if escape {
                escape = false;
                if ch != '0' && ch != '1' {
                    return Err("~ must be followed by 0 or 1".into());
                }
                continue;
            }
            if ch == '~' {
                escape = true;
                continue;
            }
            if !(ch <= '\x2E' || ('\x30'..='\x7D').contains(&ch) || ch >= '\x7F') {
                return Err(format!("invalid character {}", qr(ch)));
            }
        }
        if escape {
            return Err("~ must be followed by 0 or 1".into());
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> R {
    let n = s.chars().take_while(char::is_ascii_digit).count();
    if n == 0 {
        return Err("must start with non-negative integer".into());
    }
    if n > 1 && s.starts_with('0') {
        return Err("starts with zero".into());
    }
    let rest = &s[n..];
    if rest == "#" {
        return Ok(());
    }
    json_pointer(rest)
}

fn uuid(s: &str) -> R {
    let lens = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != lens.len() {
        return Err(format!("must have {} elements", lens.len()));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != lens[i] {
            return Err(format!(
                "element {} must be {} characters long",
                i + 1,
                lens[i]
            ));
        }
        for ch in g.chars() {
            if !ch.is_ascii_hexdigit() {
                return Err(format!("non-hex character {}", qr(ch)));
            }
        }
    }
    Ok(())
}

fn duration(s: &str) -> R {
    let Some(s) = s.strip_prefix('P') else {
        return Err("must start with P".into());
    };
    if s.is_empty() {
        return Err("nothing after P".into());
    }
    if let Some(w) = s.strip_suffix('W') {
        if w.is_empty() {
            return Err("no number in week".into());
        }
        if !w.chars().all(|c| c.is_ascii_digit()) {
            return Err("invalid week".into());
        }
        return Ok(());
    }
    let all_units = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Err("no time elements".into());
        }
        if i >= all_units.len() {
            return Err("more than one T".into());
        }
        let mut units = all_units[i];
        let mut rest = part;
        while !rest.is_empty() {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err("missing number".into());
            }
            rest = &rest[n..];
            let Some(&unit) = rest.as_bytes().first() else {
                return Err("missing unit".into());
            };
            match units.bytes().position(|u| u == unit) {
                Some(j) => units = &units[j + 1..],
                None => {
                    if all_units[i].as_bytes().contains(&unit) {
                        return Err(format!("unit {} out of order", qb(unit)));
                    }
                    return Err(format!("invalid unit {}", qb(unit)));
                }
            }
            rest = &rest[1..];
        }
    }
    Ok(())
}

/// strconv.Atoi with Go's error text.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            crate::engine::printf::quote(s)
        ));
    }
    s.parse::<i64>().map_err(|_| {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            crate::engine::printf::quote(s)
        )
    })
}

fn ipv4(s: &str) -> R {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let n = atoi(g)?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

/// netip.ParseAddr for the IPv6 forms (with Go's error wording for the common failures).
fn ipv6(s: &str) -> R {
    if !s.contains(':') {
        return Err("missing colon".into());
    }
    let q = crate::engine::printf::quote(s);
    let (addr, zone) = match s.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (s, None),
    };
    if zone == Some("") {
        return Err(format!("ParseAddr({q}): zone must be a non-empty string"));
    }
    let parsed = addr.parse::<std::net::Ipv6Addr>().is_ok();
    if !parsed {
        return Err(format!("ParseAddr({q}): unable to parse IP"));
    }
    if zone.is_some() {
        return Err("zone id is not a part of ipv6 address".into());
    }
    Ok(())
}

fn hostname(s: &str) -> R {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".into());
        }
        for ch in label.chars() {
            if !(ch.is_ascii_alphanumeric() || ch == '-') {
                return Err(format!("invalid character {}", qr(ch)));
            }
        }
    }
    Ok(())
}

fn email(s: &str) -> R {
    if s.len() > 254 {
        return Err("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else {
        return Err("missing @".into());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') {
        let inner = &local[1..local.len() - 1];
        if inner.contains('\\') || inner.contains('"') {
            return Err("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".into());
        }
        if local.ends_with('.') {
            return Err("ends with dot".into());
        }
        if local.contains("..") {
            return Err("consecutive dots".into());
        }
        for ch in local.chars() {
            if !(ch.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(ch)) {
                return Err(format!("invalid character {}", qr(ch)));
            }
        }
    }
    if domain.starts_with('[') && domain.ends_with(']') && domain.len() >= 2 {
        let inner = &domain[1..domain.len() - 1];
        if let Some(rem) = inner.strip_prefix("IPv6:") {
            return ipv6(rem).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(inner).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// time.Parse("2006-01-02", s) with Go's error texts.
fn date(s: &str) -> R {
    let q = crate::engine::printf::quote(s);
    let layout = "\"2006-01-02\"";
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
    };
    let cannot = |elem: &str, at: usize| {
        format!(
            "parsing time {q} as {layout}: cannot parse {} as {}",
            crate::engine::printf::quote(&s[at.min(s.len())..]),
            crate::engine::printf::quote(elem)
        )
    };
    if digits(0..4).is_none() {
        return Err(cannot("2006", 0));
    }
    if b.get(4) != Some(&b'-') {
        return Err(cannot("-", 4));
    }
    if digits(5..7).is_none() {
        return Err(cannot("01", 5));
    }
    if b.get(7) != Some(&b'-') {
        return Err(cannot("-", 7));
    }
    if digits(8..10).is_none() {
        return Err(cannot("02", 8));
    }
    if b.len() > 10 {
        return Err(format!(
            "parsing time {q}: extra text: {}",
            crate::engine::printf::quote(&s[10..])
        ));
    }
    let year: i64 = s[0..4].parse().unwrap_or(0);
    let month: i64 = s[5..7].parse().unwrap_or(0);
    let day: i64 = s[8..10].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(format!("parsing time {q}: month out of range"));
    }
    if day < 1 || day > days_in(year, month) {
        return Err(format!("parsing time {q}: day out of range"));
    }
    Ok(())
}

fn time(s: &str) -> R {
    if s.len() < 9 {
        return Err("less than 9 characters long".into());
    }
    let b = s.as_bytes();
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".into());
    }
    let mut hms = Vec::new();
    for tok in s[..8].splitn(3, ':') {
        let i = atoi(tok).map_err(|_| "invalid hour/min/sec".to_string())?;
        if i < 0 {
            return Err("non-positive hour/min/sec".into());
        }
        hms.push(i);
    }
    if hms.len() != 3 {
        return Err("missing hour/min/sec".into());
    }
    let (mut h, mut m, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || m > 59 || sec > 60 {
        return Err("hour/min/sec out of range".into());
    }
    let mut rest = &s[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err("no digits in second fraction".into());
        }
        rest = &r[n..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".into());
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".into()),
        };
        let off = &rest[1..];
        if off.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".into());
        }
        let mut zhm = Vec::new();
        for tok in off.splitn(2, ':') {
            let i = atoi(tok).map_err(|_| "invalid hour/min in offset".to_string())?;
            if i < 0 {
                return Err("non-positive hour/min in offset".into());
            }
            zhm.push(i);
        }
        let (zh, zm) = (zhm[0], zhm.get(1).copied().unwrap_or(0));
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".into());
        }
        let mut hm = (h * 60 + m) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        h = hm / 60;
        m = hm % 60;
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return Err("invalid leap second".into());
    }
    Ok(())
}

fn date_time(s: &str) -> R {
    if s.len() < 20 {
        return Err("less than 20 characters long".into());
    }
    let b = s.as_bytes();
    if b[10] != b't' && b[10] != b'T' {
        return Err("11th character must be t or T".into());
    }
    if !s.is_char_boundary(10) || !s.is_char_boundary(11) {
        return Err("invalid date element: parsing time".into());
    }
    date(&s[..10]).map_err(|e| format!("invalid date element: {e}"))?;
    time(&s[11..]).map_err(|e| format!("invalid time element: {e}"))
}

/// The parts of Go's url.Parse that can fail, with its wording.
fn parse_url(s: &str) -> Result<(bool, String, String), String> {
    let q = crate::engine::printf::quote(s);
    let fail = |m: String| Err(format!("parse {q}: {m}"));
    if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return fail("net/url: invalid control character in URL".into());
    }
    let without_frag = s.split_once('#').map_or(s, |(a, _)| a);
    // escapes must be well-formed
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                let end = (i + 3).min(s.len());
                return fail(format!(
                    "invalid URL escape {}",
                    crate::engine::printf::quote(&s[i..end])
                ));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let rest = without_frag
        .split_once('?')
        .map_or(without_frag, |(a, _)| a);
    let (scheme, after) = match rest.find(':') {
        Some(0) => return fail("missing protocol scheme".into()),
        Some(i)
            if rest.as_bytes()[0].is_ascii_alphabetic()
                && rest[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.') =>
        {
            (rest[..i].to_string(), &rest[i + 1..])
        }
        _ => (String::new(), rest),
    };
    if scheme.is_empty() {
        let first = rest.split('/').next().unwrap_or("");
        if first.contains(':') {
            return fail("first path segment in URL cannot contain colon".into());
        }
    }
    let mut host = String::new();
    let mut raw_path = after.to_string();
    if let Some(auth_rest) = after.strip_prefix("//") {
        let (authority, path) = match auth_rest.find('/') {
            Some(i) => (&auth_rest[..i], &auth_rest[i..]),
            None => (auth_rest, ""),
        };
        raw_path = path.to_string();
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        host = hostport.to_string();
        if let Some(h) = hostport.strip_prefix('[') {
            match h.find(']') {
                None => return fail("missing ']' in host".into()),
                Some(i) => {
                    let port = &h[i + 1..];
                    let digits_after_colon = port
                        .strip_prefix(':')
                        .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
                    if !port.is_empty() && !digits_after_colon {
                        return fail(format!(
                            "invalid port {} after host",
                            crate::engine::printf::quote(port)
                        ));
                    }
                }
            }
        } else if let Some(i) = hostport.rfind(':') {
            let port = &hostport[i + 1..];
            if !port.bytes().all(|b| b.is_ascii_digit()) {
                return fail(format!(
                    "invalid port {} after host",
                    crate::engine::printf::quote(&hostport[i..])
                ));
            }
        }
    }
    Ok((!scheme.is_empty(), host, raw_path))
}

/// jsonschema's parseURL: Go's url.Parse plus a check of bracketed IPv6 hosts.
fn parse_url_checked(s: &str) -> Result<(bool, String), String> {
    let (abs, host, path) = parse_url(s)?;
    let hostname = if let Some(h) = host.strip_prefix('[') {
        h.split(']').next().unwrap_or("").to_string()
    } else {
        host.rsplit_once(':')
            .map_or(host.clone(), |(h, _)| h.to_string())
    };
    if hostname.contains(':') {
        if !(host.contains('[') && host.contains(']')) {
            return Err("ipv6 address not enclosed in brackets".into());
        }
        ipv6(&hostname).map_err(|e| format!("invalid ipv6 address: {e}"))?;
    }
    Ok((abs, path))
}

fn uri(s: &str) -> R {
    let (abs, _) = parse_url_checked(s)?;
    if !abs {
        return Err("relative url".into());
    }
    Ok(())
}

fn uri_reference(s: &str) -> R {
    if s.contains('\\') {
        return Err("contains \\".into());
    }
    parse_url_checked(s).map(|_| ())
}

fn uri_template(s: &str) -> R {
    let (_, path) = parse_url_checked(s)?;
    // jsonschema looks at RawPath, which Go leaves empty unless the path needed escaping.
    let raw_path = if path.contains('%') {
        path
    } else {
        String::new()
    };
    for tok in raw_path.split('/') {
        let mut want = true;
        for ch in tok.chars() {
            let got = match ch {
                '{' => true,
                '}' => false,
                _ => continue,
            };
            if got != want {
                return Err("nested curly braces".into());
            }
            want = !want;
        }
        if !want {
            return Err("no matching closing brace".into());
        }
    }
    Ok(())
}

fn period(s: &str) -> R {
    let Some(slash) = s.find('/') else {
        return Err("missing slash".into());
    };
    let (start, end) = (&s[..slash], &s[slash + 1..]);
    if start.starts_with('P') {
        duration(start).map_err(|e| format!("invalid start duration: {e}"))?;
        date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
    } else {
        date_time(start).map_err(|e| format!("invalid start date-time: {e}"))?;
        if end.starts_with('P') {
            duration(end).map_err(|e| format!("invalid end duration: {e}"))?;
        } else {
            date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
        }
    }
    Ok(())
}

fn semver(s: &str) -> R {
    let mut s = s;
    if let Some(i) = s.find('+') {
        let build = &s[i + 1..];
        if build.is_empty() {
            return Err("build is empty".into());
        }
        for id in build.split('.') {
            if id.is_empty() {
                return Err("build identifier is empty".into());
            }
            for ch in id.chars() {
                if !(ch.is_ascii_alphanumeric() || ch == '-') {
                    return Err(format!("invalid character {} in build identifier", qr(ch)));
                }
            }
        }
        s = &s[..i];
    }
    if let Some(i) = s.find('-') {
        for id in s[i + 1..].split('.') {
            if id.is_empty() {
                return Err("pre-release identifier is empty".into());
            }
            let mut all_digits = true;
            for ch in id.chars() {
                if ch.is_ascii_digit() {
                } else if ch.is_ascii_alphabetic() || ch == '-' {
                    all_digits = false;
                } else {
                    return Err(format!(
                        "invalid character {} in pre-release identifier",
                        qr(ch)
                    ));
                }
            }
            if all_digits && id.len() > 1 && id.starts_with('0') {
                return Err("pre-release numeric identifier starts with zero".into());
            }
        }
        s = &s[..i];
    }
    let versions: Vec<&str> = s.split('.').collect();
    if versions.len() != 3 {
        return Err("versionCore must have 3 numbers separated by dot".into());
    }
    for (i, v) in versions.iter().enumerate() {
        let name = ["major", "minor", "patch"][i];
        if v.is_empty() {
            return Err(format!("{name} is empty"));
        }
        if v.len() > 1 && v.starts_with('0') {
            return Err(format!("{name} starts with zero"));
        }
        if !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{name} contains non-digit"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, s: &str) -> Option<String> {
        check(name, &Inst::Str(s.into()))
    }

    #[test]
    fn formats_like_jsonschema() {
        assert_eq!(f("email", "foo").as_deref(), Some("missing @"));
        assert_eq!(f("email", "a@b.c"), None);
        assert_eq!(f("ipv4", "1.2.3"), Some("expected four decimals".into()));
        assert_eq!(f("ipv4", "01.2.3.4"), Some("leading zeros".into()));
        assert_eq!(
            f("ipv4", "256.1.1.1"),
            Some("decimal must be between 0 and 255".into())
        );
        assert_eq!(
            f("hostname", "-a.b"),
            Some("label starts with hyphen".into())
        );
        assert_eq!(
            f("date", "2024-02-30"),
            Some("parsing time \"2024-02-30\": day out of range".into())
        );
        assert_eq!(f("date-time", "2024-01-01T10:00:00Z"), None);
        assert_eq!(f("uri", "/relative"), Some("relative url".into()));
        assert_eq!(f("uri", "https://example.com/x"), None);
        assert_eq!(f("uuid", "x"), Some("must have 5 elements".into()));
        assert_eq!(f("duration", "P1D2Y"), Some("unit 'Y' out of order".into()));
        assert_eq!(
            f("semver", "1.2"),
            Some("versionCore must have 3 numbers separated by dot".into())
        );
        assert_eq!(f("unknown-format", "x"), None);
        assert_eq!(check("email", &Inst::Bool(true)), None);
    }
}
