//! text/template's escaping builtins (funcs.go: `html`, `js`, `urlquery`) and evalArgs, which
//! turns their operands into one string; url.QueryEscape from net/url.

use super::printf;
use super::value::Value;

/// template.HTMLEscapeString: `"` `'` `&` `<` `>` as `&#34;` `&#39;` `&amp;` `&lt;` `&gt;`, and
/// NUL as U+FFFD.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            0 => "\u{FFFD}",
            b'"' => "&#34;",
            b'\'' => "&#39;",
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// template.JSEscapeString: `\\` `\'` `\"`, `<` `>` `&` `=` as `\u003C` `\u003E` `\u0026` `\u003D`,
/// other control characters as `\u00XX`, non-printable runes as `\uXXXX` (upper-case hex, at
/// least four digits; Go writes runes above U+FFFF with all their digits, not as surrogates).
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => push_js_unicode(&mut out, c),
            c if c.is_ascii() || printf::is_print(c) => out.push(c),
            c => push_js_unicode(&mut out, c),
        }
    }
    out
}

fn push_js_unicode(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{:04X}", c as u32);
}

/// url.QueryEscape: bytes other than `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case), space as `+`.
pub fn url_query_escape(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out
}

/// text/template's evalArgs: one string operand is used as it is; otherwise the operands are
/// printed as `fmt.Sprint` does, after text/template's printableValue (nil becomes `<no value>`,
/// a pointer prints as the value it points to).
pub fn eval_args_string(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let mut out = String::new();
    let mut prev_string = false;
    for (n, arg) in args.iter().enumerate() {
        // nil was replaced by the string "<no value>" before fmt.Sprint saw it.
        let is_string = arg.is_nil() || arg.kind() == super::value::Kind::String;
        if n > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        printf::write_printable(&mut out, arg);
        prev_string = is_string;
    }
    out
}

/// `html` (template.HTMLEscaper).
pub fn html_escaper(args: &[Value]) -> String {
    html_escape(&eval_args_string(args))
}

/// `js` (template.JSEscaper).
pub fn js_escaper(args: &[Value]) -> String {
    js_escape(&eval_args_string(args))
}

/// `urlquery` (template.URLQueryEscaper).
pub fn url_query_escaper(args: &[Value]) -> String {
    url_query_escape(&eval_args_string(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    // More cases (through evalArgs) are in printf's table, checked against Helm.
    #[test]
    fn html_escapes_go_s_five_and_nul() {
        assert_eq!(html_escape("plain é"), "plain é");
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html_escape("a\0b"), "a\u{FFFD}b");
    }

    #[test]
    fn js_escapes_like_go() {
        assert_eq!(js_escape("a'b\"c\\d"), "a\\'b\\\"c\\\\d");
        assert_eq!(js_escape("<>&="), "\\u003C\\u003E\\u0026\\u003D");
        assert_eq!(js_escape("\n\t\x1f\x7f"), "\\u000A\\u0009\\u001F\x7f");
        assert_eq!(js_escape("é☃😀\u{2028}\u{E0001}"), "é☃😀\\u2028\\uE0001");
    }

    #[test]
    fn url_query_escape_is_net_url_s() {
        assert_eq!(url_query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(url_query_escape("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(url_query_escape("+%"), "%2B%25");
    }

    #[test]
    fn eval_args_uses_a_lone_string_as_is() {
        assert_eq!(eval_args_string(&[Value::str("<x>")]), "<x>");
        assert_eq!(eval_args_string(&[Value::Nil]), "<no value>");
        assert_eq!(eval_args_string(&[Value::Int(1), Value::str("<")]), "1<");
        assert_eq!(eval_args_string(&[Value::Int(1), Value::Int(2)]), "1 2");
        assert_eq!(eval_args_string(&[]), "");
        assert_eq!(
            html_escaper(&[Value::Nil, Value::Int(1)]),
            "&lt;no value&gt;1"
        );
    }
}
