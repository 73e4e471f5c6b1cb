//! `.helmignore` (Helm's pkg/ignore): one rule per line, matched with Go's `filepath.Match`, rules
//! evaluated in order with the first match deciding — including Helm's peculiar negation (a `!rule`
//! ignores every path it does NOT match) and the built-in `templates/.?*` rule appended last.
//!
//! Rules apply only when a chart is loaded from a directory (Helm's LoadDir); archives load as they
//! are. Paths are relative to the chart root with `/` separators (`templates/a.yaml`,
//! `charts/sub/README.md`): a subchart folder is filtered by its parent's rules, its own
//! `.helmignore` is just a file of the subchart.

/// The file name Helm reads its rules from.
pub const HELM_IGNORE: &str = ".helmignore";

/// Go's `filepath.ErrBadPattern` text.
pub const ERR_BAD_PATTERN: &str = "syntax error in pattern";

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// `/rule`: the whole relative path must match.
    Rooted,
    /// A rule containing `/`: the whole relative path must match.
    Structural,
    /// No `/`: only the last path element is matched.
    Base,
}

#[derive(Clone, Debug)]
struct Pattern {
    rule: String,
    kind: Kind,
    negate: bool,
    must_dir: bool,
}

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// Helm's ignore.Empty().
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Helm's ignore.Parse: every line is a rule; errors stop parsing.
    pub fn parse(text: &[u8]) -> Result<Rules, String> {
        let mut r = Rules::empty();
        let text = text.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(text);
        for line in split_lines(text) {
            r.parse_rule(&String::from_utf8_lossy(line))?;
        }
        Ok(r)
    }

    /// Helm's AddDefaults: dotfiles in templates/ are never templates.
    pub fn add_defaults(&mut self) {
        // The default rule is well-formed; parse_rule cannot fail on it.
        let _ = self.parse_rule("templates/.?*");
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = go_trim_space(rule);
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        go_match(rule, "abc")?;
        let mut p = Pattern {
            rule: String::new(),
            kind: Kind::Base,
            negate: false,
            must_dir: false,
        };
        let mut rule = rule;
        if let Some(r) = rule.strip_prefix('!') {
            p.negate = true;
            rule = r;
        }
        if let Some(r) = rule.strip_suffix('/') {
            p.must_dir = true;
            rule = r;
        }
        if let Some(r) = rule.strip_prefix('/') {
            p.kind = Kind::Rooted;
            rule = r;
        } else if rule.contains('/') {
            p.kind = Kind::Structural;
        }
        p.rule = rule.to_string();
        self.patterns.push(p);
        Ok(())
    }

    /// Helm's Rules.Ignore: whether `path` (relative, `/`-separated) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matched = || {
                let name = match p.kind {
                    Kind::Base => go_base(path),
                    Kind::Rooted | Kind::Structural => path,
                };
                go_match(&p.rule, name).unwrap_or(false)
            };
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched() {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched() {
                return true;
            }
        }
        false
    }
}

/// Lines as Go's bufio.Scanner (ScanLines) yields them: split at `\n`, one trailing `\r` dropped,
/// no empty last line for a final newline.
fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        out.push(line.strip_suffix(b"\r").unwrap_or(line));
        rest = next;
    }
    out
}

/// filepath.Base on a `/` path: the last element, trailing slashes dropped; "" → ".", all
/// slashes → "/".
pub(crate) fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// strings.TrimSpace: Unicode white space at both ends.
pub(crate) fn go_trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

/// Whether a set of files, as a directory walk sees them, survives the rules: every ancestor
/// directory of `path` is tested as a directory first (a matching directory is skipped whole),
/// then the file itself.
pub fn ignored_with_parents(rules: &Rules, path: &str) -> bool {
    let mut end = 0;
    while let Some(i) = path[end..].find('/') {
        let dir = &path[..end + i];
        if rules.ignore(dir, true) {
            return true;
        }
        end += i + 1;
    }
    rules.ignore(path, false)
}

/// Go's `filepath.Match` with `/` as separator (Unix): `*`, `?`, `[...]` with `^` negation and
/// ranges, `\` escapes; Err(ERR_BAD_PATTERN) for a malformed pattern, checked through the whole
/// pattern even when the match already failed (Go ≥ 1.16).
pub fn go_match(pattern: &str, name: &str) -> Result<bool, String> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let Some(rest) = pattern.strip_prefix(b"*") {
        pattern = rest;
        star = true;
    }
    let mut inrange = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => inrange = true,
            b']' => inrange = false,
            b'*' if !inrange => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

fn bad() -> String {
    ERR_BAD_PATTERN.to_string()
}

/// Decodes one UTF-8 rune like utf8.DecodeRune: (rune, width), invalid bytes → (U+FFFD, 1).
fn decode_rune(s: &[u8]) -> (char, usize) {
    let n = match s.first() {
        None => return ('\u{FFFD}', 0),
        Some(&b) if b < 0x80 => return (b as char, 1),
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(_) => 2,
    };
    match s.get(..n).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(st) => (st.chars().next().unwrap_or('\u{FFFD}'), n),
        None => ('\u{FFFD}', 1),
    }
}

fn get_esc(chunk: &[u8]) -> Result<(char, &[u8]), String> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(bad()),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(bad());
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == '\u{FFFD}' && n == 1 {
        return Err(bad());
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(bad());
    }
    Ok((r, rest))
}

fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<(&'a [u8], bool), String> {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    let (c, n) = decode_rune(s);
                    r = c;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let lit = if c == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(&b) => b,
                        None => return Err(bad()),
                    }
                } else {
                    c
                };
                if !failed {
                    if lit != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        return Ok((&[], false));
    }
    Ok((s, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filepath_match_like_go() {
        // Cases from Go's path/filepath match_test.go.
        let cases: &[(&str, &str, Result<bool, ()>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(())),
            ("[-]", "-", Err(())),
            ("[x-]", "x", Err(())),
            ("[x-]", "-", Err(())),
            ("[x-]", "z", Err(())),
            ("[-x]", "x", Err(())),
            ("[-x]", "-", Err(())),
            ("[-x]", "a", Err(())),
            ("\\", "a", Err(())),
            ("[a-b-c]", "a", Err(())),
            ("[", "a", Err(())),
            ("[^", "a", Err(())),
            ("[^bc", "a", Err(())),
            ("a[", "a", Err(())),
            ("a[", "ab", Err(())),
            ("a[", "x", Err(())),
            ("a/b[", "x", Err(())),
            ("*x", "xxx", Ok(true)),
        ];
        for (p, s, want) in cases {
            let got = go_match(p, s).map_err(|_| ());
            assert_eq!(&got, want, "Match({p:?}, {s:?})");
        }
    }

    fn rules(text: &str) -> Rules {
        let mut r = Rules::parse(text.as_bytes()).unwrap();
        r.add_defaults();
        r
    }

    #[test]
    fn helmignore_rules_like_helm() {
        // Cases from Helm's pkg/ignore rules_test.go (files and dirs of its testdata).
        let cases: &[(&str, &str, bool, bool)] = &[
            ("", "", false, false),
            ("", "helm.txt", false, false),
            ("helm.txt", "helm.txt", false, true),
            ("helm.*", "helm.txt", false, true),
            ("helm.*", "rudder.txt", false, false),
            ("*.txt", "tiller.txt", false, true),
            ("*.txt", "cargo/a.txt", false, true),
            ("cargo/*.txt", "cargo/a.txt", false, true),
            ("cargo/*.*", "cargo/a.txt", false, true),
            ("cargo/*.txt", "mast/a.txt", false, false),
            ("ru[c-e]?er.txt", "rudder.txt", false, true),
            ("templates/.?*", "templates/.dotfile", false, true),
            (".*", ".dotfile", false, true),
            (".*", "helm.txt", false, false),
            (".*", "templates/.dotfile", false, true),
            ("/rudder.txt", "rudder.txt", false, true),
            ("/rudder.txt", "cargo/rudder.txt", false, false),
            ("cargo/", "cargo", true, true),
            ("cargo/", "cargo/", true, true),
            ("cargo/", "mast/", true, false),
            ("helm.txt/", "helm.txt", false, false),
            ("!helm.txt", "helm.txt", false, false),
            ("!helm.txt", "tiller.txt", false, true),
            ("helm.txt\n!helm.txt", "helm.txt", false, true),
            ("!cargo/", "cargo", true, false),
            ("!cargo/", "mast", true, true),
            ("!cargo/", "helm.txt", false, true),
            ("/cargo/", "cargo", true, true),
            ("/cargo/", "mast/cargo", true, false),
            ("mast/a.txt", "mast/a.txt", false, true),
        ];
        for (text, path, is_dir, want) in cases {
            assert_eq!(
                rules(text).ignore(path, *is_dir),
                *want,
                "rules {text:?} path {path:?}"
            );
        }
    }

    #[test]
    fn bad_rules_fail_to_parse() {
        assert_eq!(
            Rules::parse(b"**/foo").unwrap_err(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(Rules::parse(b"[").unwrap_err(), ERR_BAD_PATTERN);
        assert!(Rules::parse(b"# comment\n\n  *.txt  \r\n").is_ok());
    }

    #[test]
    fn directories_skip_their_contents() {
        let r = rules("ci/\n");
        assert!(ignored_with_parents(&r, "ci/values.yaml"));
        assert!(ignored_with_parents(&r, "charts/sub/ci/x.yaml"));
        assert!(!ignored_with_parents(&r, "templates/ci.yaml"));
        assert!(ignored_with_parents(&r, "templates/.hidden"));
        assert!(!ignored_with_parents(&r, ".helmignore"));
    }
}
