//! Glob patterns as `.Files.Glob` compiles them (gobwas/glob with `/` as separator): `*` and `?`
//! stop at `/`, `**` crosses it, `[abc]`, `[!a-z]`, `{a,b}` alternatives and `\` escapes.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(char),
    Any,   // ?
    Star,  // *
    Super, // **
    Class(bool, Vec<(char, char)>),
    Alt(Vec<Vec<Tok>>),
}

/// A compiled glob.
#[derive(Clone, Debug)]
pub struct Glob {
    toks: Vec<Tok>,
}

const SEP: char = '/';

impl Glob {
    /// Compiles `pattern`; errors for unclosed classes or braces, as gobwas does.
    pub fn compile(pattern: &str) -> Result<Glob, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let toks = parse_seq(&chars, &mut pos, false)?;
        if pos != chars.len() {
            return Err(format!("unexpected {:?}", chars[pos]));
        }
        Ok(Glob { toks })
    }

    /// The pattern `**` (what Helm falls back to when a pattern does not compile).
    pub fn any() -> Glob {
        Glob {
            toks: vec![Tok::Super],
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let mut budget = 1_000_000u32;
        match_toks(&self.toks, &chars, &mut budget)
    }
}

fn parse_seq(c: &[char], pos: &mut usize, in_alt: bool) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    while *pos < c.len() {
        let ch = c[*pos];
        match ch {
            ',' | '}' if in_alt => break,
            '\\' => {
                *pos += 1;
                if *pos >= c.len() {
                    return Err("unexpected end of pattern after escape".into());
                }
                out.push(Tok::Lit(c[*pos]));
                *pos += 1;
            }
            '?' => {
                out.push(Tok::Any);
                *pos += 1;
            }
            '*' => {
                if c.get(*pos + 1) == Some(&'*') {
                    out.push(Tok::Super);
                    *pos += 2;
                } else {
                    out.push(Tok::Star);
                    *pos += 1;
                }
            }
            '[' => {
                *pos += 1;
                let neg = c.get(*pos) == Some(&'!');
                if neg {
                    *pos += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let Some(&a) = c.get(*pos) else {
                        return Err("unclosed character class".into());
                    };
                    if a == ']' {
                        *pos += 1;
                        break;
                    }
                    if c.get(*pos + 1) == Some(&'-') && c.get(*pos + 2).is_some_and(|&b| b != ']') {
                        ranges.push((a, c[*pos + 2]));
                        *pos += 3;
                    } else {
                        ranges.push((a, a));
                        *pos += 1;
                    }
                }
                out.push(Tok::Class(neg, ranges));
            }
            '{' => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(c, pos, true)?);
                    match c.get(*pos) {
                        Some(',') => *pos += 1,
                        Some('}') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err("unclosed alternatives".into()),
                    }
                }
                out.push(Tok::Alt(alts));
            }
            _ => {
                out.push(Tok::Lit(ch));
                *pos += 1;
            }
        }
    }
    Ok(out)
}

fn match_toks(toks: &[Tok], s: &[char], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = toks.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..], budget),
        Tok::Any => s.first().is_some_and(|&c| c != SEP) && match_toks(rest, &s[1..], budget),
        Tok::Class(neg, ranges) => {
            s.first().is_some_and(|&c| {
                let inside = ranges.iter().any(|&(a, b)| a <= c && c <= b);
                inside != *neg && c != SEP
            }) && match_toks(rest, &s[1..], budget)
        }
        Tok::Star => {
            for i in 0..=s.len() {
                if i > 0 && s[i - 1] == SEP {
                    break;
                }
                if match_toks(rest, &s[i..], budget) {
                    return true;
                }
            }
            false
        }
        Tok::Super => (0..=s.len()).any(|i| match_toks(rest, &s[i..], budget)),
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_toks(&joined, s, budget)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::compile(p).unwrap().matches(s)
    }

    #[test]
    fn globs_like_gobwas() {
        assert!(m("*.yaml", "a.yaml"));
        assert!(!m("*.yaml", "dir/a.yaml"));
        assert!(m("**.yaml", "dir/a.yaml"));
        assert!(m("config/**", "config/a/b.txt"));
        assert!(m("files/{a,b}.txt", "files/b.txt"));
        assert!(m("f?le", "file"));
        assert!(!m("f?le", "f/le"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("**", ".helmignore"));
        assert!(Glob::compile("[abc").is_err());
    }
}
