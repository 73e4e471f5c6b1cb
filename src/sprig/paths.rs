//! Sprig's path functions: Go's `path` package (`base`, `dir`, `clean`, `ext`, `isAbs`) and
//! `path/filepath` as it behaves on Linux, where Helm runs (`osBase`, `osDir`, `osClean`,
//! `osExt`, `osIsAbs`: the same slash-separated rules).

use super::strings::str_arg;
use crate::engine::{FuncMap, Signature, Ty, Value};

pub(crate) fn register(m: &mut FuncMap) {
    let sig = Signature::fixed(&[Ty::String]);
    m.add("base", sig, |_, a| Ok(Value::string(base(str_arg(a, 0)?))));
    m.add("osBase", sig, |_, a| {
        Ok(Value::string(base(str_arg(a, 0)?)))
    });
    m.add("dir", sig, |_, a| Ok(Value::string(dir(str_arg(a, 0)?))));
    m.add("osDir", sig, |_, a| Ok(Value::string(dir(str_arg(a, 0)?))));
    m.add("clean", sig, |_, a| {
        Ok(Value::string(clean(str_arg(a, 0)?)))
    });
    m.add("osClean", sig, |_, a| {
        Ok(Value::string(clean(str_arg(a, 0)?)))
    });
    m.add("ext", sig, |_, a| Ok(Value::str(ext(str_arg(a, 0)?))));
    m.add("osExt", sig, |_, a| Ok(Value::str(ext(str_arg(a, 0)?))));
    m.add("isAbs", sig, |_, a| {
        Ok(Value::Bool(str_arg(a, 0)?.starts_with('/')))
    });
    m.add("osIsAbs", sig, |_, a| {
        Ok(Value::Bool(str_arg(a, 0)?.starts_with('/')))
    });
}

/// `path.Clean`: the shortest equivalent path (no `.`, resolved `..`, single slashes).
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let p = path.as_bytes();
    let rooted = p[0] == b'/';
    let n = p.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        if p[r] == b'/' || p[r] == b'.' && (r + 1 == n || p[r + 1] == b'/') {
            // empty or . element
            r += 1;
        } else if p[r] == b'.' && p.get(r + 1) == Some(&b'.') && (r + 2 == n || p[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                // backtrack over the last element
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && p[r] != b'/' {
                out.push(p[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".into();
    }
    String::from_utf8(out).unwrap_or_else(|e| super::unicode::go_lossy(e.as_bytes()))
}

/// `path.Base`: the last element ("." for "", "/" for only slashes).
pub(crate) fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    let last = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    if last.is_empty() {
        "/".into()
    } else {
        last.to_owned()
    }
}

/// `path.Dir`: everything but the last element, cleaned.
pub(crate) fn dir(path: &str) -> String {
    let i = path.rfind('/').map_or(0, |i| i + 1);
    clean(&path[..i])
}

/// `path.Ext`: the suffix from the last dot of the last element.
pub(crate) fn ext(path: &str) -> &str {
    for (i, c) in path.bytes().enumerate().rev() {
        if c == b'/' {
            break;
        }
        if c == b'.' {
            return &path[i..];
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values are Helm v4.2.3's (conformance fn-base, fn-dir, fn-clean, fn-ext, fn-isAbs,
    // fn-os* and Go's path tests).

    #[test]
    fn path_functions() {
        let b: Vec<String> = ["/a/b/c.txt", "c.txt", "/a/b/", "", "/", "//", ".", "x/y"]
            .iter()
            .map(|p| base(p))
            .collect();
        assert_eq!(b, ["c.txt", "c.txt", "b", ".", "/", "/", ".", "y"]);
        let d: Vec<String> = [
            "/a/b/c.txt",
            "c.txt",
            "/a/b/",
            "",
            "/",
            "a//b",
            "../x",
            "/etc/hosts",
            "file",
        ]
        .iter()
        .map(|p| dir(p))
        .collect();
        assert_eq!(d, ["/a/b", ".", "/a/b", ".", "/", "a", "..", "/etc", "."]);
        let c: Vec<String> = [
            "/a/../b//c/./d",
            "",
            "a/b/../..",
            "../../x",
            "/../x",
            "a/",
            "//",
            "/a/./b/../c//",
            "x/..",
        ]
        .iter()
        .map(|p| clean(p))
        .collect();
        assert_eq!(
            c,
            ["/b/c/d", ".", ".", "../../x", "/x", "a", "/", "/a/c", "."]
        );
        for (p, want) in [
            ("abc/def/../../..", ".."),
            ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
            ("/abc/def/../../..", "/"),
            ("abc/./../def", "def"),
            ("abc//./../def", "def"),
            ("abc/../../././../def", "../../def"),
            ("a/../b/../c", "c"),
            ("..", ".."),
            ("../..", "../.."),
            ("/..", "/"),
            ("...", "..."),
            ("a/...", "a/..."),
        ] {
            assert_eq!(clean(p), want, "{p}");
        }
        let e: Vec<&str> = [
            "x.tar.gz",
            "noext",
            ".bashrc",
            "dir.d/file",
            "a.",
            "",
            "a.b/c.d",
        ]
        .iter()
        .map(|p| ext(p))
        .collect();
        assert_eq!(e, [".gz", "", ".bashrc", "", ".", "", ".d"]);
    }
}
