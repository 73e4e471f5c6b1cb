//! Go's `fmt` (print.go, format.go) and the parts of `strconv` it prints with (ftoa.go's
//! FormatFloat, quote.go's Quote and IsPrint), over engine [`Value`]s.
//!
//! text/template's `printf`, `print` and `println` are `fmt.Sprintf`, `fmt.Sprint` and
//! `fmt.Sprintln`, and every value a template prints goes through `fmt`'s `%v`. The printer below
//! follows Go's `pp`/`fmt` pair step by step — flag parsing, argument indexes, `*` widths, the
//! `%!verb(type=value)` error forms, per-element padding of slices and maps — so that edge cases
//! come out as Go prints them. Widths count runes, as Go's do.
//!
//! Values carry their Go types (see [`Value`]); objects print through [`Object::write_v`], which
//! stands for Go's Stringer/struct printing (best effort for `%#v` and non-string verbs).
//!
//! [`Object::write_v`]: super::value::Object::write_v

use std::fmt::Write as _;

use super::value::{Kind, Object, Value};

/// Go's `tooLarge`: widths, precisions and `*` arguments beyond ±1e6 are rejected.
const MAX_NUM: i64 = 1_000_000;
/// Nesting beyond this is only reachable through a map that contains itself (Go overflows its
/// stack there); printing stops descending instead.
const MAX_DEPTH: usize = 200;
/// Composite values stop printing further elements once the output is this large (self-containing
/// maps would otherwise grow without bound).
const MAX_OUTPUT: usize = 64 << 20;
/// What `%p` prints for reference values: Go prints the heap address, which has no equivalent here.
const FAKE_POINTER: u64 = 0x00c0_0001_0000;

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

// ------------------------------------------------------------------------------------------
// strconv.FormatFloat
// ------------------------------------------------------------------------------------------

/// `strconv.FormatFloat(f, fmt, prec, 64)`; `prec` None is `-1`, the shortest representation that
/// reads back as `f`. `fmt` is one of `b e E f g G x X`; any other gives `%` + fmt, as Go does.
pub fn format_float(f: f64, fmt: char, prec: Option<usize>) -> String {
    let mut out = String::with_capacity(24);
    let prec = prec.map_or(-1, |p| i64::try_from(p).unwrap_or(i64::MAX));
    let fmt = if fmt.is_ascii() { fmt as u8 } else { b'?' };
    append_float(&mut out, f, fmt, prec);
    out
}

/// Appends `strconv.FormatFloat(v, fmt, prec, 64)` to `dst` (`prec` < 0: shortest).
pub fn append_float(dst: &mut String, v: f64, fmt: u8, prec: i64) {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let exp_bits = ((bits >> 52) & 0x7FF) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp_bits == 0x7FF {
        dst.push_str(if mant != 0 {
            "NaN"
        } else if neg {
            "-Inf"
        } else {
            "+Inf"
        });
        return;
    }
    let mut exp = if exp_bits == 0 {
        1 // denormal
    } else {
        mant |= 1u64 << 52;
        exp_bits
    };
    exp -= 1023;

    match fmt {
        b'b' => return fmt_b(dst, neg, mant, exp),
        b'x' | b'X' => return fmt_x(dst, prec, fmt, neg, mant, exp),
        b'e' | b'E' | b'f' | b'g' | b'G' => {}
        _ => {
            dst.push('%');
            dst.push(fmt as char);
            return;
        }
    }

    let abs = v.abs();
    if fmt == b'f' && prec >= 0 {
        // Fixed precision: Rust's exact, round-half-even conversion is Go's bigFtoa.
        if neg {
            dst.push('-');
        }
        let _ = write!(dst, "{:.*}", prec as usize, abs);
        return;
    }

    let shortest = prec < 0;
    let mut prec = prec;
    let ndigits = if shortest {
        0
    } else {
        match fmt {
            b'e' | b'E' => prec.saturating_add(1),
            _ => {
                if prec == 0 {
                    prec = 1;
                }
                prec
            }
        }
    };
    with_digits(abs, mant == 0, shortest, ndigits, |d, dp| {
        let nd = d.len() as i64;
        if shortest {
            prec = match fmt {
                b'e' | b'E' => (nd - 1).max(0),
                b'f' => (nd - dp).max(0),
                _ => nd,
            };
        }
        match fmt {
            b'e' | b'E' => fmt_e(dst, neg, d, dp, prec, fmt),
            b'f' => fmt_f(dst, neg, d, dp, prec),
            _ => {
                // %e is used if the exponent from the conversion is less than -4 or greater than
                // or equal to the precision; shortest uses precision 6 for this decision.
                let mut eprec = prec;
                if eprec > nd && nd >= dp {
                    eprec = nd;
                }
                if shortest {
                    eprec = 6;
                }
                let x = dp - 1;
                if x < -4 || x >= eprec {
                    if prec > nd {
                        prec = nd;
                    }
                    fmt_e(dst, neg, d, dp, prec - 1, fmt + b'e' - b'g');
                } else {
                    if prec > dp {
                        prec = nd;
                    }
                    fmt_f(dst, neg, d, dp, (prec - dp).max(0));
                }
            }
        }
    });
}

/// A fixed-capacity stack buffer for `write!`; reports an error when full.
struct StackBuf {
    buf: [u8; 40],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Calls `f` with the decimal digits of `abs` (no trailing zeros; empty for zero) and the decimal
/// point position `dp` (value = 0.d × 10^dp): shortest round-trip digits, or `ndigits` significant
/// digits correctly rounded (half to even on exact ties), as Go's ryu/bigFtoa produce them.
fn with_digits<R>(
    abs: f64,
    zero: bool,
    shortest: bool,
    ndigits: i64,
    f: impl FnOnce(&[u8], i64) -> R,
) -> R {
    if zero {
        return f(&[], 0);
    }
    let mut stack = StackBuf {
        buf: [0; 40],
        len: 0,
    };
    let ok = if shortest {
        write!(stack, "{abs:e}").is_ok()
    } else {
        write!(stack, "{:.*e}", (ndigits - 1).max(0) as usize, abs).is_ok()
    };
    if ok {
        let len = stack.len;
        let (nd, dp) = split_exp(&mut stack.buf[..len]);
        return f(&stack.buf[..nd], dp);
    }
    let mut heap = format!("{:.*e}", (ndigits - 1).max(0) as usize, abs).into_bytes();
    let (nd, dp) = split_exp(&mut heap);
    f(&heap[..nd], dp)
}

/// Turns Rust's `d.ddde±x` in place into its digits (returned count, trailing zeros trimmed) and
/// the decimal point position.
fn split_exp(s: &mut [u8]) -> (usize, i64) {
    let e = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let exp: i64 = std::str::from_utf8(&s[(e + 1).min(s.len())..])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let mut nd = if e > 1 {
        s.copy_within(2..e, 1);
        e - 1
    } else {
        e
    };
    while nd > 0 && s[nd - 1] == b'0' {
        nd -= 1;
    }
    (nd, exp + 1)
}

/// `%e`: -d.ddddde±dd
fn fmt_e(dst: &mut String, neg: bool, d: &[u8], dp: i64, prec: i64, fmt: u8) {
    if neg {
        dst.push('-');
    }
    dst.push(d.first().map_or('0', |&c| c as char));
    if prec > 0 {
        dst.push('.');
        let m = d.len().min((prec + 1) as usize);
        let mut i = 1usize;
        if i < m {
            push_ascii(dst, &d[i..m]);
            i = m;
        }
        while (i as i64) <= prec {
            dst.push('0');
            i += 1;
        }
    }
    dst.push(fmt as char);
    let mut exp = if d.is_empty() { 0 } else { dp - 1 };
    if exp < 0 {
        dst.push('-');
        exp = -exp;
    } else {
        dst.push('+');
    }
    if exp < 10 {
        dst.push('0');
    }
    let _ = write!(dst, "{exp}");
}

/// `%f`: -ddddddd.ddddd
fn fmt_f(dst: &mut String, neg: bool, d: &[u8], dp: i64, prec: i64) {
    if neg {
        dst.push('-');
    }
    if dp > 0 {
        let m = d.len().min(dp as usize);
        push_ascii(dst, &d[..m]);
        for _ in m as i64..dp {
            dst.push('0');
        }
    } else {
        dst.push('0');
    }
    if prec > 0 {
        dst.push('.');
        for i in 0..prec {
            let j = dp + i;
            let c = if 0 <= j && (j as usize) < d.len() {
                d[j as usize] as char
            } else {
                '0'
            };
            dst.push(c);
        }
    }
}

/// `%b`: -ddddddddp±ddd (mantissa and binary exponent).
fn fmt_b(dst: &mut String, neg: bool, mant: u64, exp: i64) {
    if neg {
        dst.push('-');
    }
    let exp = exp - 52;
    let _ = write!(dst, "{mant}p");
    if exp >= 0 {
        dst.push('+');
    }
    let _ = write!(dst, "{exp}");
}

/// `%x`: -0x1.yyyyyyyyp±ddd or -0x0p+00 (hexadecimal mantissa, binary exponent).
fn fmt_x(dst: &mut String, prec: i64, fmt: u8, neg: bool, mut mant: u64, mut exp: i64) {
    if mant == 0 {
        exp = 0;
    }
    // Shift digits so the leading 1 (if any) is at bit 60.
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex = if fmt == b'X' { UDIGITS } else { LDIGITS };
    if neg {
        dst.push('-');
    }
    dst.push('0');
    dst.push(fmt as char);
    dst.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        dst.push('.');
        while mant != 0 {
            dst.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        dst.push('.');
        for _ in 0..prec {
            dst.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    dst.push(if fmt == b'X' { 'P' } else { 'p' });
    if exp < 0 {
        dst.push('-');
        exp = -exp;
    } else {
        dst.push('+');
    }
    if exp < 10 {
        dst.push('0');
    }
    let _ = write!(dst, "{exp}");
}

fn push_ascii(dst: &mut String, b: &[u8]) {
    for &c in b {
        dst.push(c as char);
    }
}

// ------------------------------------------------------------------------------------------
// strconv.Quote and friends
// ------------------------------------------------------------------------------------------

/// `strconv.Quote`: a double-quoted Go string literal; `\a\b\f\n\r\t\v`, `\"`, `\\`, `\xNN` for
/// other control bytes, `\uNNNN`/`\UNNNNNNNN` for runes that are not printable.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    append_quoted(&mut out, &super::gostr::to_bytes(s), '"', false);
    out
}

/// `strconv.QuoteToASCII`: like [`quote`], with every non-ASCII rune escaped.
pub fn quote_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    append_quoted(&mut out, &super::gostr::to_bytes(s), '"', true);
    out
}

/// `strconv.QuoteRune`: a single-quoted Go character literal.
pub fn quote_rune(r: char) -> String {
    let mut out = String::with_capacity(8);
    let mut tmp = [0u8; 4];
    append_quoted(&mut out, r.encode_utf8(&mut tmp).as_bytes(), '\'', false);
    out
}

/// `strconv.QuoteRuneToASCII`.
pub fn quote_rune_ascii(r: char) -> String {
    let mut out = String::with_capacity(8);
    let mut tmp = [0u8; 4];
    append_quoted(&mut out, r.encode_utf8(&mut tmp).as_bytes(), '\'', true);
    out
}

/// `strconv.CanBackquote`: whether `s` can be a single-line raw string literal (no control
/// characters other than tab, no backquote, no DEL, no BOM, valid UTF-8).
pub fn can_backquote(s: &str) -> bool {
    can_backquote_bytes(&super::gostr::to_bytes(s))
}

fn can_backquote_bytes(b: &[u8]) -> bool {
    for chunk in b.utf8_chunks() {
        if !chunk.invalid().is_empty() {
            return false;
        }
        for c in chunk.valid().chars() {
            if c == '\u{FEFF}' || c == '`' || c == '\u{7F}' || (c < ' ' && c != '\t') {
                return false;
            }
        }
    }
    true
}

/// Go's quoteWith over raw bytes: invalid UTF-8 bytes come out as `\xNN`, as in Go.
fn append_quoted(out: &mut String, s: &[u8], quote: char, ascii_only: bool) {
    out.push(quote);
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == quote || c == '\\' {
                out.push('\\');
                out.push(c);
                continue;
            }
            if ascii_only {
                if c.is_ascii() && is_print(c) {
                    out.push(c);
                    continue;
                }
            } else if is_print(c) {
                out.push(c);
                continue;
            }
            append_escaped_rune(out, c);
        }
        for &b in chunk.invalid() {
            out.push_str("\\x");
            out.push(LDIGITS[(b >> 4) as usize] as char);
            out.push(LDIGITS[(b & 15) as usize] as char);
        }
    }
    out.push(quote);
}

fn append_escaped_rune(out: &mut String, c: char) {
    let r = c as u32;
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0C' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0B' => out.push_str("\\v"),
        _ if r < 0x20 || r == 0x7F => {
            out.push_str("\\x");
            out.push(LDIGITS[(r >> 4) as usize] as char);
            out.push(LDIGITS[(r & 15) as usize] as char);
        }
        _ if r < 0x10000 => {
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(LDIGITS[((r >> shift) & 15) as usize] as char);
            }
        }
        _ => {
            out.push_str("\\U");
            for shift in [28, 24, 20, 16, 12, 8, 4, 0] {
                out.push(LDIGITS[((r >> shift) & 15) as usize] as char);
            }
        }
    }
}

/// `strconv.IsPrint` / `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols (Unicode
/// categories L, M, N, P, S) and the ASCII space, per Unicode 15.0.0 — the version of Go 1.26,
/// which Helm v4.2.3 is built with.
pub fn is_print(c: char) -> bool {
    let r = c as u32;
    if r <= 0xFF {
        return (0x20..=0x7E).contains(&r) || ((0xA1..=0xFF).contains(&r) && r != 0xAD);
    }
    if r <= 0xFFFF {
        in_ranges(&PRINT16, r as u16)
    } else {
        in_ranges(&PRINT32, r)
    }
}

/// Whether `x` lies in one of the inclusive `[lo, hi]` pairs of the sorted flat table.
fn in_ranges<T: Ord + Copy>(table: &[T], x: T) -> bool {
    // First index whose value is >= x: the start or the end of the pair that may hold x.
    let i = table.partition_point(|&v| v < x);
    if i >= table.len() {
        return false;
    }
    if i % 2 == 1 {
        return true; // x <= end, and x > start (start < x)
    }
    table[i] == x
}

// ------------------------------------------------------------------------------------------
// fmt
// ------------------------------------------------------------------------------------------

/// `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(format.len() + 8 * args.len());
    write_sprintf(&mut out, format, args);
    out
}

/// Appends `fmt.Sprintf(format, args...)` to `out`.
pub fn write_sprintf(out: &mut String, format: &str, args: &[Value]) {
    Printer::new(out).do_printf(format, args);
}

/// `fmt.Sprint(args...)`: operands in `%v`, a space between two operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    write_sprint(&mut out, args);
    out
}

/// Appends `fmt.Sprint(args...)` to `out`.
pub fn write_sprint(out: &mut String, args: &[Value]) {
    let mut p = Printer::new(out);
    let mut prev_string = false;
    for (n, arg) in args.iter().enumerate() {
        let is_string = arg.kind() == Kind::String;
        if n > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
}

/// `fmt.Sprintln(args...)`: operands in `%v` separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    write_sprintln(&mut out, args);
    out
}

/// Appends `fmt.Sprintln(args...)` to `out`.
pub fn write_sprintln(out: &mut String, args: &[Value]) {
    let mut p = Printer::new(out);
    for (n, arg) in args.iter().enumerate() {
        if n > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
}

/// Appends `fmt.Sprint(v)` (`%v`) to `out`.
pub fn write_v(out: &mut String, v: &Value) {
    Printer::new(out).print_arg(v, 'v');
}

/// Appends a value as text/template prints it into the output (exec.go's printValue, and
/// evalArgs for one argument): strings as they are, nil as `<no value>`, pointers to structs
/// indirected (`{…}`, not `&{…}`), everything else as `fmt.Sprint`.
pub fn write_printable(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Nil => out.push_str("<no value>"),
        Value::Object(o) => write_object_indirect(out, o.as_ref()),
        _ => write_v(out, v),
    }
}

/// text/template's printableValue for objects: a pointer is dereferenced before fmt prints it, so
/// a pointer to a struct prints as the struct (Stringers print their String() either way).
fn write_object_indirect(out: &mut String, o: &dyn Object) {
    let start = out.len();
    o.write_v(out, false);
    if o.kind() == Kind::Ptr && out[start..].starts_with("&{") {
        out.remove(start);
    }
}

/// What a bad verb reports: the operand's type and value.
#[derive(Clone, Copy)]
enum Operand<'v> {
    Nil,
    Val(&'v Value),
    /// An element of a `[]byte` printed with a verb that does not apply to it.
    Byte(u8),
}

/// Go's `pp` with its `fmt`: the output and the flags of the directive being printed.
struct Printer<'a> {
    buf: &'a mut String,
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: i64,
    prec: i64,
    erroring: bool,
    reordered: bool,
    good_arg_num: bool,
}

impl<'a> Printer<'a> {
    fn new(buf: &'a mut String) -> Printer<'a> {
        Printer {
            buf,
            wid_present: false,
            prec_present: false,
            minus: false,
            plus: false,
            sharp: false,
            space: false,
            zero: false,
            plus_v: false,
            sharp_v: false,
            wid: 0,
            prec: 0,
            erroring: false,
            reordered: false,
            good_arg_num: true,
        }
    }

    fn clear_flags(&mut self) {
        self.wid_present = false;
        self.prec_present = false;
        self.minus = false;
        self.plus = false;
        self.sharp = false;
        self.space = false;
        self.zero = false;
        self.plus_v = false;
        self.sharp_v = false;
        self.wid = 0;
        self.prec = 0;
    }

    // ---- doPrintf ----

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'

            self.clear_flags();
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.sharp = true,
                    b'0' => self.zero = true,
                    b'+' => self.plus = true,
                    b'-' => self.minus = true,
                    b' ' => self.space = true,
                    _ => {
                        // Fast path: flags and a lower-case verb, an operand left.
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' || c == b'w' {
                                self.sharp_v = self.sharp;
                                self.sharp = false;
                                self.plus_v = self.plus;
                                self.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Argument index?
            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());

            // Width?
            if i < end && fb[i] == b'*' {
                i += 1;
                let (w, ok, next) = int_from_arg(a, arg_num);
                self.wid = w;
                self.wid_present = ok;
                arg_num = next;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if self.wid < 0 {
                    self.wid = -self.wid;
                    self.minus = true;
                    self.zero = false;
                }
                after_index = false;
            } else {
                let (w, ok, next) = parse_num(fb, i, end);
                self.wid = w;
                self.wid_present = ok;
                i = next;
                if after_index && self.wid_present {
                    self.good_arg_num = false; // "%[3]2d"
                }
            }

            // Precision?
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false; // "%[3].2d"
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (p, ok, next) = int_from_arg(a, arg_num);
                    self.prec = p;
                    self.prec_present = ok;
                    arg_num = next;
                    if self.prec < 0 {
                        self.prec = 0;
                        self.prec_present = false;
                    }
                    if !self.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (p, ok, next) = parse_num(fb, i, end);
                    self.prec = p;
                    self.prec_present = ok;
                    i = next;
                    if !self.prec_present {
                        self.prec = 0;
                        self.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, a.len());
            }

            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }

            let verb = format[i..].chars().next().unwrap_or('\u{FFFD}');
            i += verb.len_utf8();

            if verb == '%' {
                // Percent does not absorb operands and ignores width and precision.
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.bad_arg_num(verb);
            } else if arg_num >= a.len() {
                self.missing_arg(verb);
            } else {
                if verb == 'v' || verb == 'w' {
                    self.sharp_v = self.sharp;
                    self.sharp = false;
                    self.plus_v = self.plus;
                    self.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }

        // Extra operands, unless the format reordered them.
        if !self.reordered && arg_num < a.len() {
            self.clear_flags();
            self.buf.push_str("%!(EXTRA ");
            for (n, arg) in a[arg_num..].iter().enumerate() {
                if n > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// Go's argNumber: an explicit `[n]` index at `format[i..]`, if any.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &str,
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        let fb = format.as_bytes();
        if fb.len() <= i || fb[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&fb[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn bad_arg_num(&mut self, verb: char) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push_str("(BADINDEX)");
    }

    fn missing_arg(&mut self, verb: char) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push_str("(MISSING)");
    }

    fn bad_verb(&mut self, verb: char, op: Operand<'_>) {
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match op {
            Operand::Nil => self.buf.push_str("<nil>"),
            Operand::Val(v) => {
                self.buf.push_str(&v.type_name());
                self.buf.push('=');
                self.print_arg(v, 'v');
            }
            Operand::Byte(b) => {
                self.buf.push_str("uint8=");
                self.fmt_integer_verb(u64::from(b), false, 'v', Operand::Byte(b));
            }
        }
        self.buf.push(')');
        self.erroring = false;
    }

    // ---- printArg / printValue ----

    fn print_arg(&mut self, arg: &Value, verb: char) {
        if verb == 'w' {
            // %w is only for fmt.Errorf.
            let op = if arg.is_nil() {
                Operand::Nil
            } else {
                Operand::Val(arg)
            };
            return self.bad_verb(verb, op);
        }
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad_str("<nil>"),
                _ => self.bad_verb(verb, Operand::Nil),
            }
            return;
        }
        match verb {
            'T' => {
                let t = arg.type_name();
                self.fmt_s(&t);
                return;
            }
            'p' => {
                self.fmt_pointer(arg);
                return;
            }
            _ => {}
        }
        match arg {
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte", arg),
            Value::List(_) | Value::Map(_) => self.print_value(arg, verb, 0),
            _ => self.print_scalar(arg, verb, 0),
        }
    }

    /// Values printed the same at any depth: basic kinds and objects.
    fn print_scalar(&mut self, v: &Value, verb: char, depth: usize) {
        let op = Operand::Val(v);
        match v {
            Value::Bool(b) => self.fmt_bool(*b, verb, op),
            Value::Int(i) | Value::Int64(i) => self.fmt_integer_verb(*i as u64, true, verb, op),
            Value::Uint(u) => self.fmt_integer_verb(*u, false, verb, op),
            Value::Float(f) => self.fmt_float_verb(*f, verb, op),
            Value::Complex(re, im) => self.fmt_complex(*re, *im, verb, op),
            Value::String(s) => self.fmt_string(s, verb, op),
            Value::Object(o) => self.print_object(o.as_ref(), v, verb, depth),
            Value::Nil | Value::Bytes(_) | Value::List(_) | Value::Map(_) => {
                self.print_value(v, verb, depth)
            }
        }
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        if depth > MAX_DEPTH {
            self.buf.push_str("...");
            return;
        }
        match v {
            // A nil interface inside a slice or map.
            Value::Nil => {
                if self.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bytes(b) => self.print_byte_slice(b, verb, "[]uint8"),
            Value::List(l) => {
                if self.sharp_v {
                    self.buf.push_str(l.ty());
                    self.buf.push('{');
                    for (n, item) in l.iter().enumerate() {
                        if self.buf.len() > MAX_OUTPUT {
                            break;
                        }
                        if n > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (n, item) in l.iter().enumerate() {
                        if self.buf.len() > MAX_OUTPUT {
                            break;
                        }
                        if n > 0 {
                            self.buf.push(' ');
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            Value::Map(m) => {
                let ty = m.ty();
                if self.sharp_v {
                    self.buf.push_str(ty);
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                let data = m.borrow();
                for (n, (k, item)) in data.entries.iter().enumerate() {
                    if self.buf.len() > MAX_OUTPUT {
                        break;
                    }
                    if n > 0 {
                        if self.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    let key = Value::String(k.clone());
                    self.fmt_string(k, verb, Operand::Val(&key));
                    self.buf.push(':');
                    self.print_value(item, verb, depth + 1);
                }
                self.buf.push(if self.sharp_v { '}' } else { ']' });
            }
            _ => self.print_scalar(v, verb, depth),
        }
    }

    /// Objects stand for Go structs and pointers with methods: `%v`, `%s`, `%q`, `%x` print their
    /// [`Object::write_v`] text as Go prints a Stringer's String(). Inside a slice or map, a pointer
    /// to a struct without a String method prints as an address, as in Go (write_v shows such a
    /// pointer as `&{…}`).
    fn print_object(&mut self, o: &dyn Object, v: &Value, verb: char, depth: usize) {
        let mut s = String::new();
        o.write_v(&mut s, self.plus_v || self.sharp_v);
        if self.erroring {
            self.buf.push_str(&s);
            return;
        }
        if depth > 0 && o.kind() == Kind::Ptr && s.starts_with("&{") {
            if self.sharp_v {
                self.buf.push('(');
                self.buf.push_str(o.type_name());
                self.buf.push_str(")(");
                self.fmt_0x64(FAKE_POINTER, true);
                self.buf.push(')');
            } else {
                self.fmt_0x64(FAKE_POINTER, !self.sharp);
            }
            return;
        }
        if self.sharp_v {
            self.pad_str(&s);
            return;
        }
        match verb {
            'v' | 's' | 'x' | 'X' | 'q' => self.fmt_string(&s, verb, Operand::Val(v)),
            _ => match o.as_int() {
                // A named integer type: String() only serves string verbs (Go's handleMethods).
                Some(i) => self.print_scalar(&Value::Int64(i), verb, depth),
                None => self.bad_verb(verb, Operand::Val(v)),
            },
        }
    }

    fn fmt_pointer(&mut self, v: &Value) {
        let reference = match v {
            Value::Bytes(_) | Value::List(_) | Value::Map(_) => true,
            Value::Object(o) => matches!(o.kind(), Kind::Ptr | Kind::Map | Kind::Func),
            _ => false,
        };
        if !reference {
            return self.bad_verb('p', Operand::Val(v));
        }
        self.fmt_0x64(FAKE_POINTER, !self.sharp);
    }

    // ---- per-type verbs (print.go) ----

    fn fmt_bool(&mut self, b: bool, verb: char, op: Operand<'_>) {
        match verb {
            't' | 'v' => self.pad_str(if b { "true" } else { "false" }),
            _ => self.bad_verb(verb, op),
        }
    }

    /// Formats a uint64 in hexadecimal, with or without the 0x prefix.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.sharp;
        self.sharp = leading_0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.sharp = sharp;
    }

    fn fmt_integer_verb(&mut self, v: u64, signed: bool, verb: char, op: Operand<'_>) {
        match verb {
            'v' => {
                if self.sharp_v && !signed {
                    self.fmt_0x64(v, true);
                } else {
                    self.fmt_integer(v, 10, signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(v, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_float_verb(&mut self, v: f64, verb: char, op: Operand<'_>) {
        match verb {
            'v' => self.fmt_float(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, verb as u8, 6),
            'F' => self.fmt_float(v, b'f', 6),
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_complex(&mut self, re: f64, im: f64, verb: char, op: Operand<'_>) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.plus;
                self.buf.push('(');
                self.fmt_float_verb(re, verb, op);
                // The imaginary part always has a sign.
                self.plus = true;
                self.fmt_float_verb(im, verb, op);
                self.buf.push_str("i)");
                self.plus = old_plus;
            }
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char, op: Operand<'_>) {
        match verb {
            'v' => {
                if self.sharp_v {
                    self.fmt_q(&super::gostr::to_bytes(s));
                } else {
                    self.fmt_s(s);
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sbx(&super::gostr::to_bytes(s), LDIGITS),
            'X' => self.fmt_sbx(&super::gostr::to_bytes(s), UDIGITS),
            'q' => self.fmt_q(&super::gostr::to_bytes(s)),
            _ => self.bad_verb(verb, op),
        }
    }

    /// A top-level `[]byte` (`.Files.GetBytes`).
    fn fmt_bytes(&mut self, v: &[u8], verb: char, type_string: &str, whole: &Value) {
        match verb {
            'v' | 'd' => {
                if self.sharp_v {
                    self.buf.push_str(type_string);
                    self.buf.push('{');
                    for (n, &c) in v.iter().enumerate() {
                        if n > 0 {
                            self.buf.push_str(", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (n, &c) in v.iter().enumerate() {
                        if n > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(u64::from(c), 10, false, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => self.fmt_bs(v),
            'x' => self.fmt_sbx(v, LDIGITS),
            'X' => self.fmt_sbx(v, UDIGITS),
            'q' => self.fmt_q(v),
            _ => self.print_value(whole, verb, 0),
        }
    }

    /// printValue's path for a byte slice: `%s %q %x %X` as bytes, anything else element-wise.
    fn print_byte_slice(&mut self, v: &[u8], verb: char, type_string: &str) {
        match verb {
            's' | 'q' | 'x' | 'X' => {
                let whole = Value::Nil;
                self.fmt_bytes(v, verb, type_string, &whole)
            }
            _ => {
                if self.sharp_v {
                    self.buf.push_str(type_string);
                    self.buf.push('{');
                    for (n, &c) in v.iter().enumerate() {
                        if n > 0 {
                            self.buf.push_str(", ");
                        }
                        self.fmt_integer_verb(u64::from(c), false, verb, Operand::Byte(c));
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (n, &c) in v.iter().enumerate() {
                        if n > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer_verb(u64::from(c), false, verb, Operand::Byte(c));
                    }
                    self.buf.push(']');
                }
            }
        }
    }

    // ---- format.go ----

    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        let pad = if self.zero && !self.minus { '0' } else { ' ' };
        self.buf.extend(std::iter::repeat_n(pad, n as usize));
    }

    /// Appends `s`, padded to the width on the left (or on the right with `-`).
    fn pad_str(&mut self, s: &str) {
        if !self.wid_present || self.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.wid - s.chars().count() as i64;
        if !self.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(width);
        }
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4i64;
        if self.prec_present && self.prec > 4 {
            prec = self.prec;
        }
        let mut s = String::with_capacity(16);
        s.push_str("U+");
        let mut hex = [0u8; 16];
        let mut i = hex.len();
        let mut x = u;
        loop {
            i -= 1;
            hex[i] = UDIGITS[(x & 15) as usize];
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        let ndig = (hex.len() - i) as i64;
        for _ in ndig..prec {
            s.push('0');
        }
        push_ascii(&mut s, &hex[i..]);
        if self.sharp {
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
                if is_print(c) {
                    s.push_str(" '");
                    s.push(c);
                    s.push('\'');
                }
            }
        }
        let old_zero = self.zero;
        self.zero = false;
        self.pad_str(&s);
        self.zero = old_zero;
    }

    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let u = if negative { u.wrapping_neg() } else { u };

        // Fast path: no flags.
        if !self.wid_present
            && !self.prec_present
            && !self.plus
            && !self.space
            && !self.sharp
            && base == 10
            && verb != 'O'
        {
            if negative {
                self.buf.push('-');
            }
            let _ = write!(self.buf, "{u}");
            return;
        }

        let mut prec = 0i64;
        if self.prec_present {
            prec = self.prec;
            if prec == 0 && u == 0 {
                // Precision 0 and value 0 print nothing but the padding.
                self.write_spaces(self.wid);
                return;
            }
        } else if self.zero && !self.minus && self.wid_present {
            prec = self.wid;
            if negative || self.plus || self.space {
                prec -= 1; // leave room for the sign
            }
        }

        let mut tmp = [0u8; 64];
        let mut i = tmp.len();
        let mut x = u;
        loop {
            i -= 1;
            tmp[i] = digits[(x % base) as usize];
            x /= base;
            if x == 0 {
                break;
            }
        }
        let digits_part = &tmp[i..];
        let zeros = (prec - digits_part.len() as i64).max(0);

        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let octal_o = if verb == 'O' { "0o" } else { "" };
        let prefix = match base {
            2 if self.sharp => "0b",
            8 if self.sharp && zeros == 0 && digits_part[0] != b'0' => "0",
            16 if self.sharp && digits[16] == b'X' => "0X",
            16 if self.sharp => "0x",
            _ => "",
        };
        let len = sign.len() + octal_o.len() + prefix.len() + zeros as usize + digits_part.len();
        // Zero padding was done above as precision (or is overruled by an explicit precision):
        // what remains of the width is spaces.
        let fill = if self.wid_present {
            self.wid - len as i64
        } else {
            0
        };
        if !self.minus {
            self.write_spaces(fill);
        }
        self.buf.push_str(sign);
        self.buf.push_str(octal_o);
        self.buf.push_str(prefix);
        self.buf.extend(std::iter::repeat_n('0', zeros as usize));
        push_ascii(self.buf, digits_part);
        if self.minus {
            self.write_spaces(fill);
        }
    }

    fn write_spaces(&mut self, n: i64) {
        if n > 0 {
            self.buf.extend(std::iter::repeat_n(' ', n as usize));
        }
    }

    /// Truncates `s` to the precision in runes, if one is present.
    fn truncate<'s>(&self, s: &'s [u8]) -> &'s [u8] {
        if !self.prec_present {
            return s;
        }
        let mut n = self.prec;
        let mut i = 0usize;
        while i < s.len() {
            n -= 1;
            if n < 0 {
                return &s[..i];
            }
            i += rune_width(&s[i..]);
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let t = self.truncate(s.as_bytes());
        // Truncation stops at rune boundaries.
        let t = s.get(..t.len()).unwrap_or(s);
        self.pad_str(t);
    }

    /// Strings and byte slices as text (`%s`, `%v`).
    fn fmt_bs(&mut self, b: &[u8]) {
        let t = self.truncate(b);
        match std::str::from_utf8(t) {
            Ok(s) => self.pad_str(s),
            Err(_) => {
                // Go writes the raw bytes; the output here is UTF-8, so they become U+FFFD.
                let s = super::gostr::from_bytes(t);
                self.pad_str(&s);
            }
        }
    }

    fn fmt_sbx(&mut self, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len() as i64;
        if self.prec_present && self.prec < length {
            length = self.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.space {
                if self.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.sharp {
                width += 2;
            }
        } else {
            if self.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.wid_present && self.wid > width && !self.minus {
            self.write_padding(self.wid - width);
        }
        if self.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (n, &c) in s[..length as usize].iter().enumerate() {
            if self.space && n > 0 {
                self.buf.push(' ');
                if self.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 15) as usize] as char);
        }
        if self.wid_present && self.wid > width && self.minus {
            self.write_padding(self.wid - width);
        }
    }

    fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        if self.sharp && can_backquote_bytes(s) {
            let mut q = String::with_capacity(s.len() + 2);
            q.push('`');
            q.push_str(std::str::from_utf8(s).unwrap_or_default());
            q.push('`');
            self.pad_str(&q);
            return;
        }
        if !self.wid_present || self.wid == 0 {
            append_quoted(self.buf, s, '"', self.plus);
            return;
        }
        let mut q = String::with_capacity(s.len() + 2);
        append_quoted(&mut q, s, '"', self.plus);
        self.pad_str(&q);
    }

    /// The rune of an integer for `%c`/`%q`: invalid code points become U+FFFD.
    fn rune_of(c: u64) -> char {
        u32::try_from(c)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}')
    }

    fn fmt_c(&mut self, c: u64) {
        let mut tmp = [0u8; 4];
        let s = Self::rune_of(c).encode_utf8(&mut tmp);
        self.pad_str(s);
    }

    fn fmt_qc(&mut self, c: u64) {
        let mut tmp = [0u8; 4];
        let r = Self::rune_of(c).encode_utf8(&mut tmp);
        let mut q = String::with_capacity(8);
        append_quoted(&mut q, r.as_bytes(), '\'', self.plus);
        self.pad_str(&q);
    }

    fn fmt_float(&mut self, v: f64, verb: u8, prec: i64) {
        let prec = if self.prec_present { self.prec } else { prec };
        if !self.plus && !self.space && !self.sharp && !self.wid_present {
            // No sign, padding or decimal point to adjust: strconv's text as it is.
            append_float(self.buf, v, verb, prec);
            return;
        }
        let mut num = String::with_capacity(32);
        num.push('+');
        append_float(&mut num, v, verb, prec);
        // num[s] is the sign, num[s+1..] the unsigned number.
        let s = if matches!(num.as_bytes()[1], b'-' | b'+') {
            1
        } else {
            0
        };
        if self.space && num.as_bytes()[s] == b'+' && !self.plus {
            num.replace_range(s..s + 1, " ");
        }
        let body0 = num.as_bytes()[s + 1];
        if body0 == b'I' || body0 == b'N' {
            // Infinities and NaN are not padded with zeros.
            let old_zero = self.zero;
            self.zero = false;
            if body0 == b'N' && !self.space && !self.plus {
                self.pad_str(&num[s + 1..]);
            } else {
                self.pad_str(&num[s..]);
            }
            self.zero = old_zero;
            return;
        }
        let mut num = if self.sharp && verb != b'b' {
            sharp_float(&num[s..], verb, prec)
        } else if s > 0 {
            num.split_off(s)
        } else {
            num
        };
        let sign = num.as_bytes()[0];
        if self.plus || sign != b'+' {
            // With zero padding the sign goes before the zeros.
            if self.zero && !self.minus && self.wid_present && self.wid > num.len() as i64 {
                self.buf.push(sign as char);
                self.write_padding(self.wid - num.len() as i64);
                self.buf.push_str(&num[1..]);
                return;
            }
            self.pad_str(&num);
            return;
        }
        let body = num.split_off(1);
        self.pad_str(&body);
    }
}

/// The `#` flag on floats: always a decimal point, and for `%g`/`%x` the trailing zeros up to the
/// precision (6 when none was given). `num` starts with its sign.
fn sharp_float(num: &str, verb: u8, prec: i64) -> String {
    let mut digits = match verb {
        b'v' | b'g' | b'G' | b'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    let b = num.as_bytes();
    let mut end = b.len();
    let mut tail_start = b.len();
    let mut has_decimal_point = false;
    let mut saw_nonzero = false;
    let mut i = 1;
    while i < end {
        match b[i] {
            b'.' => has_decimal_point = true,
            b'p' | b'P' => {
                tail_start = i;
                end = i;
            }
            b'e' | b'E' if verb != b'x' && verb != b'X' => {
                tail_start = i;
                end = i;
            }
            c => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    let mut out = String::with_capacity(b.len() + 8);
    out.push_str(&num[..end]);
    if !has_decimal_point {
        // A lone leading 0 counts once.
        if end == 2 && b[1] == b'0' {
            digits -= 1;
        }
        out.push('.');
    }
    while digits > 0 {
        out.push('0');
        digits -= 1;
    }
    out.push_str(&num[tail_start..]);
    out
}

/// The byte length of the rune at the start of `b` as Go's utf8.DecodeRune steps: invalid
/// sequences advance one byte.
fn rune_width(b: &[u8]) -> usize {
    let n = match b.first() {
        None => return 0,
        Some(&c) if c < 0x80 => return 1,
        Some(&c) if c >= 0xF0 => 4,
        Some(&c) if c >= 0xE0 => 3,
        Some(_) => 2,
    };
    if b.len() >= n && std::str::from_utf8(&b[..n]).is_ok() {
        n
    } else {
        1
    }
}

/// Go's parsenum: a decimal number at `s[start..end]`; on overflow (beyond 1e6) the rest of the
/// format is consumed, which ends in `%!(NOVERB)`.
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if !(-MAX_NUM..=MAX_NUM).contains(&num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

/// Go's parseArgNumber: `[n]` at the start of `s` → (n-1, bytes consumed, ok).
fn parse_arg_number(s: &[u8]) -> (i64, usize, bool) {
    if s.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (width, ok, newi) = parse_num(s, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's intFromArg: the operand for a `*` width or precision, if it is an integer.
fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(v) = a.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (mut num, mut is_int) = match v {
        Value::Int(i) | Value::Int64(i) => (*i, true),
        Value::Uint(u) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if !(-MAX_NUM..=MAX_NUM).contains(&num) {
        num = 0;
        is_int = false;
    }
    (num, is_int, arg_num + 1)
}

// ------------------------------------------------------------------------------------------
// Printable runes
// ------------------------------------------------------------------------------------------
//
// The code points above U+00FF that Go's unicode.IsPrint accepts, as inclusive [start, end] pairs,
// flattened. Derived from the Unicode Character Database 15.0.0 (Python's `unicodedata2` 15.0.0):
// every code point whose General_Category starts with L, M, N, P or S, merged into ranges. This is
// the definition of unicode.IsPrint (strconv.IsPrint is verified equal to it by Go's tests), and
// Go 1.26 ships Unicode 15.0.0 (checked against Helm: U+11F00 Kawi, new in 15.0, prints as itself;
// U+2FFC, new in 15.1, is escaped). The generator:
//
//     cats = lambda c: unicodedata2.category(chr(c))[0] in "LMNPS"
//     ranges = maximal runs of c in 0x100..=0x10FFFF (surrogates excluded) with cats(c)
//     PRINT16 = the runs within the BMP, PRINT32 = the runs above it
static PRINT16: [u16; 686] = [
    0x0100, 0x0377, 0x037A, 0x037F, 0x0384, 0x038A, 0x038C, 0x038C, 0x038E, 0x03A1, 0x03A3, 0x052F,
    0x0531, 0x0556, 0x0559, 0x058A, 0x058D, 0x058F, 0x0591, 0x05C7, 0x05D0, 0x05EA, 0x05EF, 0x05F4,
    0x0606, 0x061B, 0x061D, 0x06DC, 0x06DE, 0x070D, 0x0710, 0x074A, 0x074D, 0x07B1, 0x07C0, 0x07FA,
    0x07FD, 0x082D, 0x0830, 0x083E, 0x0840, 0x085B, 0x085E, 0x085E, 0x0860, 0x086A, 0x0870, 0x088E,
    0x0898, 0x08E1, 0x08E3, 0x0983, 0x0985, 0x098C, 0x098F, 0x0990, 0x0993, 0x09A8, 0x09AA, 0x09B0,
    0x09B2, 0x09B2, 0x09B6, 0x09B9, 0x09BC, 0x09C4, 0x09C7, 0x09C8, 0x09CB, 0x09CE, 0x09D7, 0x09D7,
    0x09DC, 0x09DD, 0x09DF, 0x09E3, 0x09E6, 0x09FE, 0x0A01, 0x0A03, 0x0A05, 0x0A0A, 0x0A0F, 0x0A10,
    0x0A13, 0x0A28, 0x0A2A, 0x0A30, 0x0A32, 0x0A33, 0x0A35, 0x0A36, 0x0A38, 0x0A39, 0x0A3C, 0x0A3C,
    0x0A3E, 0x0A42, 0x0A47, 0x0A48, 0x0A4B, 0x0A4D, 0x0A51, 0x0A51, 0x0A59, 0x0A5C, 0x0A5E, 0x0A5E,
    0x0A66, 0x0A76, 0x0A81, 0x0A83, 0x0A85, 0x0A8D, 0x0A8F, 0x0A91, 0x0A93, 0x0AA8, 0x0AAA, 0x0AB0,
    0x0AB2, 0x0AB3, 0x0AB5, 0x0AB9, 0x0ABC, 0x0AC5, 0x0AC7, 0x0AC9, 0x0ACB, 0x0ACD, 0x0AD0, 0x0AD0,
    0x0AE0, 0x0AE3, 0x0AE6, 0x0AF1, 0x0AF9, 0x0AFF, 0x0B01, 0x0B03, 0x0B05, 0x0B0C, 0x0B0F, 0x0B10,
    0x0B13, 0x0B28, 0x0B2A, 0x0B30, 0x0B32, 0x0B33, 0x0B35, 0x0B39, 0x0B3C, 0x0B44, 0x0B47, 0x0B48,
    0x0B4B, 0x0B4D, 0x0B55, 0x0B57, 0x0B5C, 0x0B5D, 0x0B5F, 0x0B63, 0x0B66, 0x0B77, 0x0B82, 0x0B83,
    0x0B85, 0x0B8A, 0x0B8E, 0x0B90, 0x0B92, 0x0B95, 0x0B99, 0x0B9A, 0x0B9C, 0x0B9C, 0x0B9E, 0x0B9F,
    0x0BA3, 0x0BA4, 0x0BA8, 0x0BAA, 0x0BAE, 0x0BB9, 0x0BBE, 0x0BC2, 0x0BC6, 0x0BC8, 0x0BCA, 0x0BCD,
    0x0BD0, 0x0BD0, 0x0BD7, 0x0BD7, 0x0BE6, 0x0BFA, 0x0C00, 0x0C0C, 0x0C0E, 0x0C10, 0x0C12, 0x0C28,
    0x0C2A, 0x0C39, 0x0C3C, 0x0C44, 0x0C46, 0x0C48, 0x0C4A, 0x0C4D, 0x0C55, 0x0C56, 0x0C58, 0x0C5A,
    0x0C5D, 0x0C5D, 0x0C60, 0x0C63, 0x0C66, 0x0C6F, 0x0C77, 0x0C8C, 0x0C8E, 0x0C90, 0x0C92, 0x0CA8,
    0x0CAA, 0x0CB3, 0x0CB5, 0x0CB9, 0x0CBC, 0x0CC4, 0x0CC6, 0x0CC8, 0x0CCA, 0x0CCD, 0x0CD5, 0x0CD6,
    0x0CDD, 0x0CDE, 0x0CE0, 0x0CE3, 0x0CE6, 0x0CEF, 0x0CF1, 0x0CF3, 0x0D00, 0x0D0C, 0x0D0E, 0x0D10,
    0x0D12, 0x0D44, 0x0D46, 0x0D48, 0x0D4A, 0x0D4F, 0x0D54, 0x0D63, 0x0D66, 0x0D7F, 0x0D81, 0x0D83,
    0x0D85, 0x0D96, 0x0D9A, 0x0DB1, 0x0DB3, 0x0DBB, 0x0DBD, 0x0DBD, 0x0DC0, 0x0DC6, 0x0DCA, 0x0DCA,
    0x0DCF, 0x0DD4, 0x0DD6, 0x0DD6, 0x0DD8, 0x0DDF, 0x0DE6, 0x0DEF, 0x0DF2, 0x0DF4, 0x0E01, 0x0E3A,
    0x0E3F, 0x0E5B, 0x0E81, 0x0E82, 0x0E84, 0x0E84, 0x0E86, 0x0E8A, 0x0E8C, 0x0EA3, 0x0EA5, 0x0EA5,
    0x0EA7, 0x0EBD, 0x0EC0, 0x0EC4, 0x0EC6, 0x0EC6, 0x0EC8, 0x0ECE, 0x0ED0, 0x0ED9, 0x0EDC, 0x0EDF,
    0x0F00, 0x0F47, 0x0F49, 0x0F6C, 0x0F71, 0x0F97, 0x0F99, 0x0FBC, 0x0FBE, 0x0FCC, 0x0FCE, 0x0FDA,
    0x1000, 0x10C5, 0x10C7, 0x10C7, 0x10CD, 0x10CD, 0x10D0, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256,
    0x1258, 0x1258, 0x125A, 0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5,
    0x12B8, 0x12BE, 0x12C0, 0x12C0, 0x12C2, 0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315,
    0x1318, 0x135A, 0x135D, 0x137C, 0x1380, 0x1399, 0x13A0, 0x13F5, 0x13F8, 0x13FD, 0x1400, 0x167F,
    0x1681, 0x169C, 0x16A0, 0x16F8, 0x1700, 0x1715, 0x171F, 0x1736, 0x1740, 0x1753, 0x1760, 0x176C,
    0x176E, 0x1770, 0x1772, 0x1773, 0x1780, 0x17DD, 0x17E0, 0x17E9, 0x17F0, 0x17F9, 0x1800, 0x180D,
    0x180F, 0x1819, 0x1820, 0x1878, 0x1880, 0x18AA, 0x18B0, 0x18F5, 0x1900, 0x191E, 0x1920, 0x192B,
    0x1930, 0x193B, 0x1940, 0x1940, 0x1944, 0x196D, 0x1970, 0x1974, 0x1980, 0x19AB, 0x19B0, 0x19C9,
    0x19D0, 0x19DA, 0x19DE, 0x1A1B, 0x1A1E, 0x1A5E, 0x1A60, 0x1A7C, 0x1A7F, 0x1A89, 0x1A90, 0x1A99,
    0x1AA0, 0x1AAD, 0x1AB0, 0x1ACE, 0x1B00, 0x1B4C, 0x1B50, 0x1B7E, 0x1B80, 0x1BF3, 0x1BFC, 0x1C37,
    0x1C3B, 0x1C49, 0x1C4D, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CC7, 0x1CD0, 0x1CFA, 0x1D00, 0x1F15,
    0x1F18, 0x1F1D, 0x1F20, 0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B,
    0x1F5D, 0x1F5D, 0x1F5F, 0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FC4, 0x1FC6, 0x1FD3, 0x1FD6, 0x1FDB,
    0x1FDD, 0x1FEF, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFE, 0x2010, 0x2027, 0x2030, 0x205E, 0x2070, 0x2071,
    0x2074, 0x208E, 0x2090, 0x209C, 0x20A0, 0x20C0, 0x20D0, 0x20F0, 0x2100, 0x218B, 0x2190, 0x2426,
    0x2440, 0x244A, 0x2460, 0x2B73, 0x2B76, 0x2B95, 0x2B97, 0x2CF3, 0x2CF9, 0x2D25, 0x2D27, 0x2D27,
    0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D70, 0x2D7F, 0x2D96, 0x2DA0, 0x2DA6, 0x2DA8, 0x2DAE,
    0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE, 0x2DD0, 0x2DD6, 0x2DD8, 0x2DDE,
    0x2DE0, 0x2E5D, 0x2E80, 0x2E99, 0x2E9B, 0x2EF3, 0x2F00, 0x2FD5, 0x2FF0, 0x2FFB, 0x3001, 0x303F,
    0x3041, 0x3096, 0x3099, 0x30FF, 0x3105, 0x312F, 0x3131, 0x318E, 0x3190, 0x31E3, 0x31F0, 0x321E,
    0x3220, 0xA48C, 0xA490, 0xA4C6, 0xA4D0, 0xA62B, 0xA640, 0xA6F7, 0xA700, 0xA7CA, 0xA7D0, 0xA7D1,
    0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA82C, 0xA830, 0xA839, 0xA840, 0xA877, 0xA880, 0xA8C5,
    0xA8CE, 0xA8D9, 0xA8E0, 0xA953, 0xA95F, 0xA97C, 0xA980, 0xA9CD, 0xA9CF, 0xA9D9, 0xA9DE, 0xA9FE,
    0xAA00, 0xAA36, 0xAA40, 0xAA4D, 0xAA50, 0xAA59, 0xAA5C, 0xAAC2, 0xAADB, 0xAAF6, 0xAB01, 0xAB06,
    0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28, 0xAB2E, 0xAB30, 0xAB6B, 0xAB70, 0xABED,
    0xABF0, 0xABF9, 0xAC00, 0xD7A3, 0xD7B0, 0xD7C6, 0xD7CB, 0xD7FB, 0xF900, 0xFA6D, 0xFA70, 0xFAD9,
    0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41,
    0xFB43, 0xFB44, 0xFB46, 0xFBC2, 0xFBD3, 0xFD8F, 0xFD92, 0xFDC7, 0xFDCF, 0xFDCF, 0xFDF0, 0xFE19,
    0xFE20, 0xFE52, 0xFE54, 0xFE66, 0xFE68, 0xFE6B, 0xFE70, 0xFE74, 0xFE76, 0xFEFC, 0xFF01, 0xFFBE,
    0xFFC2, 0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA, 0xFFDC, 0xFFE0, 0xFFE6, 0xFFE8, 0xFFEE,
    0xFFFC, 0xFFFD,
];
static PRINT32: [u32; 732] = [
    0x10000, 0x1000B, 0x1000D, 0x10026, 0x10028, 0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D,
    0x10050, 0x1005D, 0x10080, 0x100FA, 0x10100, 0x10102, 0x10107, 0x10133, 0x10137, 0x1018E,
    0x10190, 0x1019C, 0x101A0, 0x101A0, 0x101D0, 0x101FD, 0x10280, 0x1029C, 0x102A0, 0x102D0,
    0x102E0, 0x102FB, 0x10300, 0x10323, 0x1032D, 0x1034A, 0x10350, 0x1037A, 0x10380, 0x1039D,
    0x1039F, 0x103C3, 0x103C8, 0x103D5, 0x10400, 0x1049D, 0x104A0, 0x104A9, 0x104B0, 0x104D3,
    0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530, 0x10563, 0x1056F, 0x1057A, 0x1057C, 0x1058A,
    0x1058C, 0x10592, 0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9,
    0x105BB, 0x105BC, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767, 0x10780, 0x10785,
    0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800, 0x10805, 0x10808, 0x10808, 0x1080A, 0x10835,
    0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10857, 0x1089E, 0x108A7, 0x108AF,
    0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x108FB, 0x1091B, 0x1091F, 0x10939, 0x1093F, 0x1093F,
    0x10980, 0x109B7, 0x109BC, 0x109CF, 0x109D2, 0x10A03, 0x10A05, 0x10A06, 0x10A0C, 0x10A13,
    0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A38, 0x10A3A, 0x10A3F, 0x10A48, 0x10A50, 0x10A58,
    0x10A60, 0x10A9F, 0x10AC0, 0x10AE6, 0x10AEB, 0x10AF6, 0x10B00, 0x10B35, 0x10B39, 0x10B55,
    0x10B58, 0x10B72, 0x10B78, 0x10B91, 0x10B99, 0x10B9C, 0x10BA9, 0x10BAF, 0x10C00, 0x10C48,
    0x10C80, 0x10CB2, 0x10CC0, 0x10CF2, 0x10CFA, 0x10D27, 0x10D30, 0x10D39, 0x10E60, 0x10E7E,
    0x10E80, 0x10EA9, 0x10EAB, 0x10EAD, 0x10EB0, 0x10EB1, 0x10EFD, 0x10F27, 0x10F30, 0x10F59,
    0x10F70, 0x10F89, 0x10FB0, 0x10FCB, 0x10FE0, 0x10FF6, 0x11000, 0x1104D, 0x11052, 0x11075,
    0x1107F, 0x110BC, 0x110BE, 0x110C2, 0x110D0, 0x110E8, 0x110F0, 0x110F9, 0x11100, 0x11134,
    0x11136, 0x11147, 0x11150, 0x11176, 0x11180, 0x111DF, 0x111E1, 0x111F4, 0x11200, 0x11211,
    0x11213, 0x11241, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D, 0x1128F, 0x1129D,
    0x1129F, 0x112A9, 0x112B0, 0x112EA, 0x112F0, 0x112F9, 0x11300, 0x11303, 0x11305, 0x1130C,
    0x1130F, 0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339,
    0x1133B, 0x11344, 0x11347, 0x11348, 0x1134B, 0x1134D, 0x11350, 0x11350, 0x11357, 0x11357,
    0x1135D, 0x11363, 0x11366, 0x1136C, 0x11370, 0x11374, 0x11400, 0x1145B, 0x1145D, 0x11461,
    0x11480, 0x114C7, 0x114D0, 0x114D9, 0x11580, 0x115B5, 0x115B8, 0x115DD, 0x11600, 0x11644,
    0x11650, 0x11659, 0x11660, 0x1166C, 0x11680, 0x116B9, 0x116C0, 0x116C9, 0x11700, 0x1171A,
    0x1171D, 0x1172B, 0x11730, 0x11746, 0x11800, 0x1183B, 0x118A0, 0x118F2, 0x118FF, 0x11906,
    0x11909, 0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918, 0x11935, 0x11937, 0x11938,
    0x1193B, 0x11946, 0x11950, 0x11959, 0x119A0, 0x119A7, 0x119AA, 0x119D7, 0x119DA, 0x119E4,
    0x11A00, 0x11A47, 0x11A50, 0x11AA2, 0x11AB0, 0x11AF8, 0x11B00, 0x11B09, 0x11C00, 0x11C08,
    0x11C0A, 0x11C36, 0x11C38, 0x11C45, 0x11C50, 0x11C6C, 0x11C70, 0x11C8F, 0x11C92, 0x11CA7,
    0x11CA9, 0x11CB6, 0x11D00, 0x11D06, 0x11D08, 0x11D09, 0x11D0B, 0x11D36, 0x11D3A, 0x11D3A,
    0x11D3C, 0x11D3D, 0x11D3F, 0x11D47, 0x11D50, 0x11D59, 0x11D60, 0x11D65, 0x11D67, 0x11D68,
    0x11D6A, 0x11D8E, 0x11D90, 0x11D91, 0x11D93, 0x11D98, 0x11DA0, 0x11DA9, 0x11EE0, 0x11EF8,
    0x11F00, 0x11F10, 0x11F12, 0x11F3A, 0x11F3E, 0x11F59, 0x11FB0, 0x11FB0, 0x11FC0, 0x11FF1,
    0x11FFF, 0x12399, 0x12400, 0x1246E, 0x12470, 0x12474, 0x12480, 0x12543, 0x12F90, 0x12FF2,
    0x13000, 0x1342F, 0x13440, 0x13455, 0x14400, 0x14646, 0x16800, 0x16A38, 0x16A40, 0x16A5E,
    0x16A60, 0x16A69, 0x16A6E, 0x16ABE, 0x16AC0, 0x16AC9, 0x16AD0, 0x16AED, 0x16AF0, 0x16AF5,
    0x16B00, 0x16B45, 0x16B50, 0x16B59, 0x16B5B, 0x16B61, 0x16B63, 0x16B77, 0x16B7D, 0x16B8F,
    0x16E40, 0x16E9A, 0x16F00, 0x16F4A, 0x16F4F, 0x16F87, 0x16F8F, 0x16F9F, 0x16FE0, 0x16FE4,
    0x16FF0, 0x16FF1, 0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3,
    0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B132, 0x1B132, 0x1B150, 0x1B152,
    0x1B155, 0x1B155, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C,
    0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99, 0x1BC9C, 0x1BC9F, 0x1CF00, 0x1CF2D, 0x1CF30, 0x1CF46,
    0x1CF50, 0x1CFC3, 0x1D000, 0x1D0F5, 0x1D100, 0x1D126, 0x1D129, 0x1D172, 0x1D17B, 0x1D1EA,
    0x1D200, 0x1D245, 0x1D2C0, 0x1D2D3, 0x1D2E0, 0x1D2F3, 0x1D300, 0x1D356, 0x1D360, 0x1D378,
    0x1D400, 0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2, 0x1D4A5, 0x1D4A6,
    0x1D4A9, 0x1D4AC, 0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3, 0x1D4C5, 0x1D505,
    0x1D507, 0x1D50A, 0x1D50D, 0x1D514, 0x1D516, 0x1D51C, 0x1D51E, 0x1D539, 0x1D53B, 0x1D53E,
    0x1D540, 0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550, 0x1D552, 0x1D6A5, 0x1D6A8, 0x1D7CB,
    0x1D7CE, 0x1DA8B, 0x1DA9B, 0x1DA9F, 0x1DAA1, 0x1DAAF, 0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A,
    0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026, 0x1E02A,
    0x1E030, 0x1E06D, 0x1E08F, 0x1E08F, 0x1E100, 0x1E12C, 0x1E130, 0x1E13D, 0x1E140, 0x1E149,
    0x1E14E, 0x1E14F, 0x1E290, 0x1E2AE, 0x1E2C0, 0x1E2F9, 0x1E2FF, 0x1E2FF, 0x1E4D0, 0x1E4F9,
    0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE, 0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4,
    0x1E8C7, 0x1E8D6, 0x1E900, 0x1E94B, 0x1E950, 0x1E959, 0x1E95E, 0x1E95F, 0x1EC71, 0x1ECB4,
    0x1ED01, 0x1ED3D, 0x1EE00, 0x1EE03, 0x1EE05, 0x1EE1F, 0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24,
    0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32, 0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39, 0x1EE3B, 0x1EE3B,
    0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47, 0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F,
    0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54, 0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B,
    0x1EE5D, 0x1EE5D, 0x1EE5F, 0x1EE5F, 0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A,
    0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77, 0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89,
    0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3, 0x1EEA5, 0x1EEA9, 0x1EEAB, 0x1EEBB, 0x1EEF0, 0x1EEF1,
    0x1F000, 0x1F02B, 0x1F030, 0x1F093, 0x1F0A0, 0x1F0AE, 0x1F0B1, 0x1F0BF, 0x1F0C1, 0x1F0CF,
    0x1F0D1, 0x1F0F5, 0x1F100, 0x1F1AD, 0x1F1E6, 0x1F202, 0x1F210, 0x1F23B, 0x1F240, 0x1F248,
    0x1F250, 0x1F251, 0x1F260, 0x1F265, 0x1F300, 0x1F6D7, 0x1F6DC, 0x1F6EC, 0x1F6F0, 0x1F6FC,
    0x1F700, 0x1F776, 0x1F77B, 0x1F7D9, 0x1F7E0, 0x1F7EB, 0x1F7F0, 0x1F7F0, 0x1F800, 0x1F80B,
    0x1F810, 0x1F847, 0x1F850, 0x1F859, 0x1F860, 0x1F887, 0x1F890, 0x1F8AD, 0x1F8B0, 0x1F8B1,
    0x1F900, 0x1FA53, 0x1FA60, 0x1FA6D, 0x1FA70, 0x1FA7C, 0x1FA80, 0x1FA88, 0x1FA90, 0x1FABD,
    0x1FABF, 0x1FAC5, 0x1FACE, 0x1FADB, 0x1FAE0, 0x1FAE8, 0x1FAF0, 0x1FAF8, 0x1FB00, 0x1FB92,
    0x1FB94, 0x1FBCA, 0x1FBF0, 0x1FBF9, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D,
    0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D, 0x30000, 0x3134A, 0x31350, 0x323AF,
    0xE0100, 0xE01EF,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::escape;
    use crate::engine::value::Map;
    use std::rc::Rc;

    /// Template calls and what Helm v4.2.3 rendered for them, one per line: `EXPR ⇒ "expected"`
    /// (the expected text as a Go string literal). EXPR is template syntax — literals, `nil`,
    /// `(list …)`, `(dict …)`, `(int64 N)`, `(float64 "Inf")` — so the same lines can be rendered
    /// by real Helm (wrap each in `{{ }}`) to check them again.
    const CASES: &str = r##"
// Go's fmt_test.go tables, for the types templates have (each line checked against Helm).
printf "%d" 12345 ⇒ "12345"
printf "%v" 12345 ⇒ "12345"
printf "%t" true ⇒ "true"
printf "%s" "abc" ⇒ "abc"
printf "%q" "abc" ⇒ "\"abc\""
printf "%x" "abc" ⇒ "616263"
printf "%x" "" ⇒ ""
printf "% x" "" ⇒ ""
printf "%#x" "" ⇒ ""
printf "%# x" "" ⇒ ""
printf "%x" "xyz" ⇒ "78797a"
printf "%X" "xyz" ⇒ "78797A"
printf "% x" "xyz" ⇒ "78 79 7a"
printf "% X" "xyz" ⇒ "78 79 7A"
printf "%#x" "xyz" ⇒ "0x78797a"
printf "%#X" "xyz" ⇒ "0X78797A"
printf "%# x" "xyz" ⇒ "0x78 0x79 0x7a"
printf "%# X" "xyz" ⇒ "0X78 0X79 0X7A"
printf "%q" "" ⇒ "\"\""
printf "%#q" "" ⇒ "``"
printf "%q" "\"" ⇒ "\"\\\"\""
printf "%#q" "\"" ⇒ "`\"`"
printf "%q" "`" ⇒ "\"`\""
printf "%#q" "`" ⇒ "\"`\""
printf "%q" "\n" ⇒ "\"\\n\""
printf "%#q" "\n" ⇒ "\"\\n\""
printf "%q" `\n` ⇒ "\"\\\\n\""
printf "%#q" `\n` ⇒ "`\\n`"
printf "%q" "日本語" ⇒ "\"日本語\""
printf "%+q" "日本語" ⇒ "\"\\u65e5\\u672c\\u8a9e\""
printf "%#q" "日本語" ⇒ "`日本語`"
printf "%#+q" "日本語" ⇒ "`日本語`"
printf "%q" "\a\b\f\n\r\t\v\"\\" ⇒ "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""
printf "%+q" "\a\b\f\n\r\t\v\"\\" ⇒ "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""
printf "%#q" "\a\b\f\n\r\t\v\"\\" ⇒ "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""
printf "%#+q" "\a\b\f\n\r\t\v\"\\" ⇒ "\"\\a\\b\\f\\n\\r\\t\\v\\\"\\\\\""
printf "%q" "☺" ⇒ "\"☺\""
printf "% q" "☺" ⇒ "\"☺\""
printf "%+q" "☺" ⇒ "\"\\u263a\""
printf "%#q" "☺" ⇒ "`☺`"
printf "%#+q" "☺" ⇒ "`☺`"
printf "%10q" "⌘" ⇒ "       \"⌘\""
printf "%+10q" "⌘" ⇒ "  \"\\u2318\""
printf "%-10q" "⌘" ⇒ "\"⌘\"       "
printf "%+-10q" "⌘" ⇒ "\"\\u2318\"  "
printf "%010q" "⌘" ⇒ "0000000\"⌘\""
printf "%+010q" "⌘" ⇒ "00\"\\u2318\""
printf "%-010q" "⌘" ⇒ "\"⌘\"       "
printf "%+-010q" "⌘" ⇒ "\"\\u2318\"  "
printf "%#8q" "\n" ⇒ "    \"\\n\""
printf "%#+8q" "\r" ⇒ "    \"\\r\""
printf "%#-8q" "\t" ⇒ "`\t`     "
printf "%#+-8q" "\b" ⇒ "\"\\b\"    "
printf "%q" "\U000fffff" ⇒ "\"\\U000fffff\""
printf "%+q" "\U000fffff" ⇒ "\"\\U000fffff\""
printf "%#q" "\U000fffff" ⇒ "`\U000fffff`"
printf "%#+q" "\U000fffff" ⇒ "`\U000fffff`"
printf "%c" 'x' ⇒ "x"
printf "%c" 0xe4 ⇒ "ä"
printf "%c" 0x672c ⇒ "本"
printf "%c" '日' ⇒ "日"
printf "%.0c" '⌘' ⇒ "⌘"
printf "%3c" '⌘' ⇒ "  ⌘"
printf "%-3c" '⌘' ⇒ "⌘  "
printf "%c" 0x0e00 ⇒ "\u0e00"
printf "%c" 0x10ffff ⇒ "\U0010ffff"
printf "%c" -1 ⇒ "�"
printf "%c" 0xDC80 ⇒ "�"
printf "%c" 0x110000 ⇒ "�"
printf "%c" 0xFFFFFFFFF ⇒ "�"
printf "%q" 0 ⇒ "'\\x00'"
printf "%+q" 0 ⇒ "'\\x00'"
printf "%q" '"' ⇒ "'\"'"
printf "%+q" '"' ⇒ "'\"'"
printf "%q" '\'' ⇒ "'\\''"
printf "%+q" '\'' ⇒ "'\\''"
printf "%q" '`' ⇒ "'`'"
printf "%+q" '`' ⇒ "'`'"
printf "%q" 'x' ⇒ "'x'"
printf "%+q" 'x' ⇒ "'x'"
printf "%q" 'ÿ' ⇒ "'ÿ'"
printf "%+q" 'ÿ' ⇒ "'\\u00ff'"
printf "%q" '\n' ⇒ "'\\n'"
printf "%+q" '\n' ⇒ "'\\n'"
printf "%q" '☺' ⇒ "'☺'"
printf "%+q" '☺' ⇒ "'\\u263a'"
printf "% q" '☺' ⇒ "'☺'"
printf "%.0q" '☺' ⇒ "'☺'"
printf "%10q" '⌘' ⇒ "       '⌘'"
printf "%+10q" '⌘' ⇒ "  '\\u2318'"
printf "%-10q" '⌘' ⇒ "'⌘'       "
printf "%+-10q" '⌘' ⇒ "'\\u2318'  "
printf "%010q" '⌘' ⇒ "0000000'⌘'"
printf "%+010q" '⌘' ⇒ "00'\\u2318'"
printf "%-010q" '⌘' ⇒ "'⌘'       "
printf "%+-010q" '⌘' ⇒ "'\\u2318'  "
printf "%q" 0x0e00 ⇒ "'\\u0e00'"
printf "%q" 0x10ffff ⇒ "'\\U0010ffff'"
printf "%q" -1 ⇒ "'�'"
printf "%q" 0xDC80 ⇒ "'�'"
printf "%q" 0x110000 ⇒ "'�'"
printf "%q" 0xFFFFFFFFF ⇒ "'�'"
printf "%5s" "abc" ⇒ "  abc"
printf "%2s" "\u263a" ⇒ " ☺"
printf "%-5s" "abc" ⇒ "abc  "
printf "%05s" "abc" ⇒ "00abc"
printf "%5s" "abcdefghijklmnopqrstuvwxyz" ⇒ "abcdefghijklmnopqrstuvwxyz"
printf "%.5s" "abcdefghijklmnopqrstuvwxyz" ⇒ "abcde"
printf "%.0s" "日本語日本語" ⇒ ""
printf "%.5s" "日本語日本語" ⇒ "日本語日本"
printf "%.10s" "日本語日本語" ⇒ "日本語日本語"
printf "%08q" "abc" ⇒ "000\"abc\""
printf "%-8q" "abc" ⇒ "\"abc\"   "
printf "%.5q" "abcdefghijklmnopqrstuvwxyz" ⇒ "\"abcde\""
printf "%.5x" "abcdefghijklmnopqrstuvwxyz" ⇒ "6162636465"
printf "%.3q" "日本語日本語" ⇒ "\"日本語\""
printf "%.1q" "日本語" ⇒ "\"日\""
printf "%.1x" "日本語" ⇒ "e6"
printf "%.1X" "日本語" ⇒ "E6"
printf "%10.1q" "日本語日本語" ⇒ "       \"日\""
printf "%10v" nil ⇒ "     <nil>"
printf "%-10v" nil ⇒ "<nil>     "
printf "%d" -12345 ⇒ "-12345"
printf "%d" 9223372036854775807 ⇒ "9223372036854775807"
printf "%d" -9223372036854775808 ⇒ "-9223372036854775808"
printf "%.d" 0 ⇒ ""
printf "%.0d" 0 ⇒ ""
printf "%6.0d" 0 ⇒ "      "
printf "%06.0d" 0 ⇒ "      "
printf "% d" 12345 ⇒ " 12345"
printf "%+d" 12345 ⇒ "+12345"
printf "%+d" -12345 ⇒ "-12345"
printf "%b" 7 ⇒ "111"
printf "%b" -6 ⇒ "-110"
printf "%#b" 7 ⇒ "0b111"
printf "%#b" -6 ⇒ "-0b110"
printf "%b" -9223372036854775808 ⇒ "-1000000000000000000000000000000000000000000000000000000000000000"
printf "%o" 01234 ⇒ "1234"
printf "%o" -01234 ⇒ "-1234"
printf "%#o" 01234 ⇒ "01234"
printf "%#o" -01234 ⇒ "-01234"
printf "%O" 01234 ⇒ "0o1234"
printf "%O" -01234 ⇒ "-0o1234"
printf "%#X" 0 ⇒ "0X0"
printf "%x" 0x12abcdef ⇒ "12abcdef"
printf "%X" 0x12abcdef ⇒ "12ABCDEF"
printf "%.20b" 7 ⇒ "00000000000000000111"
printf "%10d" 12345 ⇒ "     12345"
printf "%10d" -12345 ⇒ "    -12345"
printf "%+10d" 12345 ⇒ "    +12345"
printf "%010d" 12345 ⇒ "0000012345"
printf "%010d" -12345 ⇒ "-000012345"
printf "%20.8d" 1234 ⇒ "            00001234"
printf "%20.8d" -1234 ⇒ "           -00001234"
printf "%020.8d" 1234 ⇒ "            00001234"
printf "%020.8d" -1234 ⇒ "           -00001234"
printf "%-20.8d" 1234 ⇒ "00001234            "
printf "%-20.8d" -1234 ⇒ "-00001234           "
printf "%-#20.8x" 0x1234abc ⇒ "0x01234abc          "
printf "%-#20.8X" 0x1234abc ⇒ "0X01234ABC          "
printf "%-#20.8o" 01234 ⇒ "00001234            "
printf "%068d" 1 ⇒ "00000000000000000000000000000000000000000000000000000000000000000001"
printf "%068d" -1 ⇒ "-0000000000000000000000000000000000000000000000000000000000000000001"
printf "%#.68x" 42 ⇒ "0x0000000000000000000000000000000000000000000000000000000000000000002a"
printf "%.68d" -42 ⇒ "-00000000000000000000000000000000000000000000000000000000000000000042"
printf "%+.68d" 42 ⇒ "+00000000000000000000000000000000000000000000000000000000000000000042"
printf "% .68d" 42 ⇒ " 00000000000000000000000000000000000000000000000000000000000000000042"
printf "% +.68d" 42 ⇒ "+00000000000000000000000000000000000000000000000000000000000000000042"
printf "%U" 0 ⇒ "U+0000"
printf "%U" -1 ⇒ "U+FFFFFFFFFFFFFFFF"
printf "%U" '\n' ⇒ "U+000A"
printf "%#U" '\n' ⇒ "U+000A"
printf "%+U" 'x' ⇒ "U+0078"
printf "%# U" 'x' ⇒ "U+0078 'x'"
printf "%#.2U" 'x' ⇒ "U+0078 'x'"
printf "%U" '\u263a' ⇒ "U+263A"
printf "%#U" '\u263a' ⇒ "U+263A '☺'"
printf "%U" '\U0001D6C2' ⇒ "U+1D6C2"
printf "%#U" '\U0001D6C2' ⇒ "U+1D6C2 '𝛂'"
printf "%#14.6U" '⌘' ⇒ "  U+002318 '⌘'"
printf "%#-14.6U" '⌘' ⇒ "U+002318 '⌘'  "
printf "%#014.6U" '⌘' ⇒ "  U+002318 '⌘'"
printf "%#-014.6U" '⌘' ⇒ "U+002318 '⌘'  "
printf "%.68U" 42 ⇒ "U+0000000000000000000000000000000000000000000000000000000000000000002A"
printf "%#.68U" '日' ⇒ "U+000000000000000000000000000000000000000000000000000000000000000065E5 '日'"
printf "%+.3e" 0.0 ⇒ "+0.000e+00"
printf "%+.3e" 1.0 ⇒ "+1.000e+00"
printf "%+.3x" 0.0 ⇒ "+0x0.000p+00"
printf "%+.3x" 1.0 ⇒ "+0x1.000p+00"
printf "%+.3f" -1.0 ⇒ "-1.000"
printf "%+.3F" -1.0 ⇒ "-1.000"
printf "%+07.2f" 1.0 ⇒ "+001.00"
printf "%+07.2f" -1.0 ⇒ "-001.00"
printf "%-07.2f" 1.0 ⇒ "1.00   "
printf "%-07.2f" -1.0 ⇒ "-1.00  "
printf "%+-07.2f" 1.0 ⇒ "+1.00  "
printf "%+-07.2f" -1.0 ⇒ "-1.00  "
printf "%-+07.2f" 1.0 ⇒ "+1.00  "
printf "%-+07.2f" -1.0 ⇒ "-1.00  "
printf "%+10.2f" 1.0 ⇒ "     +1.00"
printf "%+10.2f" -1.0 ⇒ "     -1.00"
printf "% .3E" -1.0 ⇒ "-1.000E+00"
printf "% .3e" 1.0 ⇒ " 1.000e+00"
printf "% .3X" -1.0 ⇒ "-0X1.000P+00"
printf "% .3x" 1.0 ⇒ " 0x1.000p+00"
printf "%+.3g" 0.0 ⇒ "+0"
printf "%+.3g" 1.0 ⇒ "+1"
printf "%+.3g" -1.0 ⇒ "-1"
printf "% .3g" -1.0 ⇒ "-1"
printf "% .3g" 1.0 ⇒ " 1"
printf "%b" 1.0 ⇒ "4503599627370496p-52"
printf "%#g" 1e-323 ⇒ "1.00000e-323"
printf "%#g" -1.0 ⇒ "-1.00000"
printf "%#g" 1.1 ⇒ "1.10000"
printf "%#g" 123456.0 ⇒ "123456."
printf "%#g" 1234567.0 ⇒ "1.234567e+06"
printf "%#g" 1230000.0 ⇒ "1.23000e+06"
printf "%#g" 1000000.0 ⇒ "1.00000e+06"
printf "%#.0f" 1.0 ⇒ "1."
printf "%#.0e" 1.0 ⇒ "1.e+00"
printf "%#.0x" 1.0 ⇒ "0x1.p+00"
printf "%#.0g" 1.0 ⇒ "1."
printf "%#.0g" 1100000.0 ⇒ "1.e+06"
printf "%#.4f" 1.0 ⇒ "1.0000"
printf "%#.4e" 1.0 ⇒ "1.0000e+00"
printf "%#.4x" 1.0 ⇒ "0x1.0000p+00"
printf "%#.4g" 1.0 ⇒ "1.000"
printf "%#.4g" 100000.0 ⇒ "1.000e+05"
printf "%#.4g" 1.234 ⇒ "1.234"
printf "%#.4g" 0.1234 ⇒ "0.1234"
printf "%#.4g" 1.23 ⇒ "1.230"
printf "%#.4g" 0.123 ⇒ "0.1230"
printf "%#.4g" 1.2 ⇒ "1.200"
printf "%#.4g" 0.12 ⇒ "0.1200"
printf "%#.4g" 10.2 ⇒ "10.20"
printf "%#.4g" 0.0 ⇒ "0.000"
printf "%#.4g" 0.012 ⇒ "0.01200"
printf "%#.0f" 123.0 ⇒ "123."
printf "%#.0e" 123.0 ⇒ "1.e+02"
printf "%#.0x" 123.0 ⇒ "0x1.p+07"
printf "%#.0g" 123.0 ⇒ "1.e+02"
printf "%#.4f" 123.0 ⇒ "123.0000"
printf "%#.4e" 123.0 ⇒ "1.2300e+02"
printf "%#.4x" 123.0 ⇒ "0x1.ec00p+06"
printf "%#.4g" 123.0 ⇒ "123.0"
printf "%#.4g" 123000.0 ⇒ "1.230e+05"
printf "%#9.4g" 1.0 ⇒ "    1.000"
printf "%#b" 1.0 ⇒ "4503599627370496p-52"
printf "%.4b" -1.0 ⇒ "-4503599627370496p-52"
printf "%.68f" 1.0 ⇒ "1.00000000000000000000000000000000000000000000000000000000000000000000"
printf "%.68f" -1.0 ⇒ "-1.00000000000000000000000000000000000000000000000000000000000000000000"
printf "%f" (float64 "Inf") ⇒ "+Inf"
printf "%.1f" (float64 "-Inf") ⇒ "-Inf"
printf "% f" (float64 "NaN") ⇒ " NaN"
printf "%20f" (float64 "Inf") ⇒ "                +Inf"
printf "% 20F" (float64 "Inf") ⇒ "                 Inf"
printf "% 20e" (float64 "-Inf") ⇒ "                -Inf"
printf "% 20x" (float64 "-Inf") ⇒ "                -Inf"
printf "%+20E" (float64 "-Inf") ⇒ "                -Inf"
printf "%+20X" (float64 "-Inf") ⇒ "                -Inf"
printf "% +20g" (float64 "-Inf") ⇒ "                -Inf"
printf "%+-20G" (float64 "Inf") ⇒ "+Inf                "
printf "%20e" (float64 "NaN") ⇒ "                 NaN"
printf "%20x" (float64 "NaN") ⇒ "                 NaN"
printf "% +20E" (float64 "NaN") ⇒ "                +NaN"
printf "% +20X" (float64 "NaN") ⇒ "                +NaN"
printf "% -20g" (float64 "NaN") ⇒ " NaN                "
printf "%+-20G" (float64 "NaN") ⇒ "+NaN                "
printf "%+020e" (float64 "Inf") ⇒ "                +Inf"
printf "%+020x" (float64 "Inf") ⇒ "                +Inf"
printf "%-020f" (float64 "-Inf") ⇒ "-Inf                "
printf "%-020E" (float64 "NaN") ⇒ "NaN                 "
printf "%-020X" (float64 "NaN") ⇒ "NaN                 "
printf "%v|%v|%v" (float64 "Inf") (float64 "-Inf") (float64 "NaN") ⇒ "+Inf|-Inf|NaN"
printf "%.f" 0i ⇒ "(0+0i)"
printf "% .f" 0i ⇒ "( 0+0i)"
printf "%+.f" 0i ⇒ "(+0+0i)"
printf "% +.f" 0i ⇒ "(+0+0i)"
printf "%+.3e" 0i ⇒ "(+0.000e+00+0.000e+00i)"
printf "%+.3x" 0i ⇒ "(+0x0.000p+00+0x0.000p+00i)"
printf "%+.3f" 0i ⇒ "(+0.000+0.000i)"
printf "%+.3g" 0i ⇒ "(+0+0i)"
printf "%+.3e" 1+2i ⇒ "(+1.000e+00+2.000e+00i)"
printf "%+.3x" 1+2i ⇒ "(+0x1.000p+00+0x1.000p+01i)"
printf "%+.3f" 1+2i ⇒ "(+1.000+2.000i)"
printf "%+.3g" 1+2i ⇒ "(+1+2i)"
printf "%.3e" 0i ⇒ "(0.000e+00+0.000e+00i)"
printf "%.3x" 0i ⇒ "(0x0.000p+00+0x0.000p+00i)"
printf "%.3f" 0i ⇒ "(0.000+0.000i)"
printf "%.3F" 0i ⇒ "(0.000+0.000i)"
printf "%.3g" 0i ⇒ "(0+0i)"
printf "%.3e" 1+2i ⇒ "(1.000e+00+2.000e+00i)"
printf "%.3x" 1+2i ⇒ "(0x1.000p+00+0x1.000p+01i)"
printf "%.3f" 1+2i ⇒ "(1.000+2.000i)"
printf "%.3g" 1+2i ⇒ "(1+2i)"
printf "%.3e" -1-2i ⇒ "(-1.000e+00-2.000e+00i)"
printf "%.3x" -1-2i ⇒ "(-0x1.000p+00-0x1.000p+01i)"
printf "%.3f" -1-2i ⇒ "(-1.000-2.000i)"
printf "%.3g" -1-2i ⇒ "(-1-2i)"
printf "% .3E" -1-2i ⇒ "(-1.000E+00-2.000E+00i)"
printf "% .3X" -1-2i ⇒ "(-0X1.000P+00-0X1.000P+01i)"
printf "%#g" 1+2i ⇒ "(1.00000+2.00000i)"
printf "%#g" 123456+789012i ⇒ "(123456.+789012.i)"
printf "%#g" 1e-10i ⇒ "(0.00000+1.00000e-10i)"
printf "%#g" -1e10-1.11e100i ⇒ "(-1.00000e+10-1.11000e+100i)"
printf "%#.0f" 1.23+1.0i ⇒ "(1.+1.i)"
printf "%#.0e" 1.23+1.0i ⇒ "(1.e+00+1.e+00i)"
printf "%#.0x" 1.23+1.0i ⇒ "(0x1.p+00+0x1.p+00i)"
printf "%#.0g" 1.23+1.0i ⇒ "(1.+1.i)"
printf "%#.0g" 0+100000i ⇒ "(0.+1.e+05i)"
printf "%#.0g" 1230000+0i ⇒ "(1.e+06+0.i)"
printf "%#.4f" 1+1.23i ⇒ "(1.0000+1.2300i)"
printf "%#.4e" 123+1i ⇒ "(1.2300e+02+1.0000e+00i)"
printf "%#.4x" 123+1i ⇒ "(0x1.ec00p+06+0x1.0000p+00i)"
printf "%#.4g" 123+1.23i ⇒ "(123.0+1.230i)"
printf "%#12.5g" 0+100000i ⇒ "(      0.0000 +1.0000e+05i)"
printf "%b" 1+2i ⇒ "(4503599627370496p-52+4503599627370496p-51i)"
printf "%#b" 1+2i ⇒ "(4503599627370496p-52+4503599627370496p-51i)"
printf "%.4b" 1+2i ⇒ "(4503599627370496p-52+4503599627370496p-51i)"
printf "%e" 1.0 ⇒ "1.000000e+00"
printf "%e" 1234.5678e3 ⇒ "1.234568e+06"
printf "%e" 1234.5678e-8 ⇒ "1.234568e-05"
printf "%e" -7.0 ⇒ "-7.000000e+00"
printf "%e" -1e-9 ⇒ "-1.000000e-09"
printf "%f" 1234.5678e3 ⇒ "1234567.800000"
printf "%f" 1234.5678e-8 ⇒ "0.000012"
printf "%f" -7.0 ⇒ "-7.000000"
printf "%f" -1e-9 ⇒ "-0.000000"
printf "%g" 1234.5678e3 ⇒ "1.2345678e+06"
printf "%g" 1234.5678e-8 ⇒ "1.2345678e-05"
printf "%g" -7.0 ⇒ "-7"
printf "%g" -1e-9 ⇒ "-1e-09"
printf "%E" 1.0 ⇒ "1.000000E+00"
printf "%E" 1234.5678e3 ⇒ "1.234568E+06"
printf "%E" 1234.5678e-8 ⇒ "1.234568E-05"
printf "%E" -7.0 ⇒ "-7.000000E+00"
printf "%E" -1e-9 ⇒ "-1.000000E-09"
printf "%G" 1234.5678e3 ⇒ "1.2345678E+06"
printf "%G" 1234.5678e-8 ⇒ "1.2345678E-05"
printf "%G" -7.0 ⇒ "-7"
printf "%G" -1e-9 ⇒ "-1E-09"
printf "%20.5s" "qwertyuiop" ⇒ "               qwert"
printf "%.5s" "qwertyuiop" ⇒ "qwert"
printf "%-20.5s" "qwertyuiop" ⇒ "qwert               "
printf "%20c" 'x' ⇒ "                   x"
printf "%-20c" 'x' ⇒ "x                   "
printf "%20.6e" 1.2345e3 ⇒ "        1.234500e+03"
printf "%20.6e" 1.2345e-3 ⇒ "        1.234500e-03"
printf "%20e" 1.2345e3 ⇒ "        1.234500e+03"
printf "%20e" 1.2345e-3 ⇒ "        1.234500e-03"
printf "%20.8e" 1.2345e3 ⇒ "      1.23450000e+03"
printf "%20f" 1.23456789e3 ⇒ "         1234.567890"
printf "%20f" 1.23456789e-3 ⇒ "            0.001235"
printf "%20f" 12345678901.23456789 ⇒ "  12345678901.234568"
printf "%-20f" 1.23456789e3 ⇒ "1234.567890         "
printf "%20.8f" 1.23456789e3 ⇒ "       1234.56789000"
printf "%20.8f" 1.23456789e-3 ⇒ "          0.00123457"
printf "%g" 1.23456789e3 ⇒ "1234.56789"
printf "%g" 1.23456789e-3 ⇒ "0.00123456789"
printf "%g" 1.23456789e20 ⇒ "1.23456789e+20"
printf "%v" (list 1 2 3 4 5) ⇒ "[1 2 3 4 5]"
printf "%v" (list 1 "hello" 2.5 nil) ⇒ "[1 hello 2.5 <nil>]"
printf "%v" 1.2345678 ⇒ "1.2345678"
printf "%v" 1+2i ⇒ "(1+2i)"
printf "%#v" 1000000000 ⇒ "1000000000"
printf "%#v" (dict "a" 1) ⇒ "map[string]interface {}{\"a\":1}"
printf "%#v" (list "a" "b") ⇒ "[]interface {}{\"a\", \"b\"}"
printf "%#v" (list) ⇒ "[]interface {}{}"
printf "%#v" (list 1 "hello" 2.5 nil) ⇒ "[]interface {}{1, \"hello\", 2.5, interface {}(nil)}"
printf "%#v" (dict) ⇒ "map[string]interface {}{}"
printf "%#v" "foo" ⇒ "\"foo\""
printf "%#v" 1.2345678 ⇒ "1.2345678"
printf "%#v" 1.0 ⇒ "1"
printf "%#v" 1000000.0 ⇒ "1e+06"
printf "%#x" (list 1 2 15) ⇒ "[0x1 0x2 0xf]"
printf "%x" (list 1 2 15) ⇒ "[1 2 f]"
printf "%d" (list 1 2 15) ⇒ "[1 2 15]"
printf "%q" (list "a" "b") ⇒ "[\"a\" \"b\"]"
printf "%T" 0 ⇒ "int"
printf "%T" 4-3i ⇒ "complex128"
printf "%10T" nil ⇒ "     <nil>"
printf "%-10T" nil ⇒ "<nil>     "
printf "%p" 27 ⇒ "%!p(int=27)"
printf "%p" nil ⇒ "%!p(<nil>)"
printf "%#p" nil ⇒ "%!p(<nil>)"
printf "%v" nil ⇒ "<nil>"
printf "%#v" nil ⇒ "<nil>"
printf "" nil ⇒ "%!(EXTRA <nil>)"
printf "" 2 ⇒ "%!(EXTRA int=2)"
printf "no args" "hello" ⇒ "no args%!(EXTRA string=hello)"
printf "%s %" "hello" ⇒ "hello %!(NOVERB)"
printf "%s %.2" "hello" ⇒ "hello %!(NOVERB)"
printf "%017091901790959340919092959340919017929593813360" 0 ⇒ "%!(NOVERB)%!(EXTRA int=0)"
printf "%184467440737095516170v" 0 ⇒ "%!(NOVERB)%!(EXTRA int=0)"
printf "%010.2" "12345" ⇒ "%!(NOVERB)%!(EXTRA string=12345)"
printf "%.2f" 1.0 ⇒ "1.00"
printf "%.2f" -1.0 ⇒ "-1.00"
printf "% .2f" 1.0 ⇒ " 1.00"
printf "% .2f" -1.0 ⇒ "-1.00"
printf "%+.2f" 1.0 ⇒ "+1.00"
printf "%+.2f" -1.0 ⇒ "-1.00"
printf "%7.2f" 1.0 ⇒ "   1.00"
printf "%7.2f" -1.0 ⇒ "  -1.00"
printf "% 7.2f" 1.0 ⇒ "   1.00"
printf "% 7.2f" -1.0 ⇒ "  -1.00"
printf "%+7.2f" 1.0 ⇒ "  +1.00"
printf "%+7.2f" -1.0 ⇒ "  -1.00"
printf "% +7.2f" 1.0 ⇒ "  +1.00"
printf "% +7.2f" -1.0 ⇒ "  -1.00"
printf "%07.2f" 1.0 ⇒ "0001.00"
printf "%07.2f" -1.0 ⇒ "-001.00"
printf "% 07.2f" 1.0 ⇒ " 001.00"
printf "% 07.2f" -1.0 ⇒ "-001.00"
printf "%+07.2f" 1.0 ⇒ "+001.00"
printf "%+07.2f" -1.0 ⇒ "-001.00"
printf "% +07.2f" 1.0 ⇒ "+001.00"
printf "% +07.2f" -1.0 ⇒ "-001.00"
printf "%7.2f" 1+2i ⇒ "(   1.00  +2.00i)"
printf "%+07.2f" -1-2i ⇒ "(-001.00-002.00i)"
printf "%0-5s" "abc" ⇒ "abc  "
printf "%-05.1f" 1.0 ⇒ "1.0  "
printf "%06v" (list 10.0 10) ⇒ "[000010 000010]"
printf "%06v" (list -10.0 10) ⇒ "[-00010 000010]"
printf "%06v" (list 10+10i 10) ⇒ "[(000010+00010i) 000010]"
printf "%06v" (list -10+10i 10) ⇒ "[(-00010+00010i) 000010]"
printf "%03.6v" (list 1 2.0 "x") ⇒ "[000001 002 00x]"
printf "%03.0v" (list 0 2.0 "x") ⇒ "[    002 000]"
printf "%v" (list 1+0i 2+0i 3+0i) ⇒ "[(1+0i) (2+0i) (3+0i)]"
printf "%." 3 ⇒ "%!.(int=3)"
printf "%+10.2f" 104.66+440.51i ⇒ "(   +104.66   +440.51i)"
printf "%+10.2f" -104.66+440.51i ⇒ "(   -104.66   +440.51i)"
printf "%+10.2f" 104.66-440.51i ⇒ "(   +104.66   -440.51i)"
printf "%+10.2f" -104.66-440.51i ⇒ "(   -104.66   -440.51i)"
printf "%+010.2f" 104.66+440.51i ⇒ "(+000104.66+000440.51i)"
printf "%+010.2f" -104.66+440.51i ⇒ "(-000104.66+000440.51i)"
printf "%+010.2f" 104.66-440.51i ⇒ "(+000104.66-000440.51i)"
printf "%+010.2f" -104.66-440.51i ⇒ "(-000104.66-000440.51i)"
printf "%☠" nil ⇒ "%!☠(<nil>)"
printf "%☠" 0 ⇒ "%!☠(int=0)"
printf "%☠" "hello" ⇒ "%!☠(string=hello)"
printf "%☠" 1.2345678 ⇒ "%!☠(float64=1.2345678)"
printf "%☠" 1.2345678+1.2345678i ⇒ "%!☠(complex128=(1.2345678+1.2345678i))"
printf "%[1]d" 1 ⇒ "1"
printf "%[2]d" 2 1 ⇒ "1"
printf "%[2]d %[1]d" 1 2 ⇒ "2 1"
printf "%[2]*[1]d" 2 5 ⇒ "    2"
printf "%6.2f" 12.0 ⇒ " 12.00"
printf "%[3]*.[2]*[1]f" 12.0 2 6 ⇒ " 12.00"
printf "%[1]*.[2]*[3]f" 6 2 12.0 ⇒ " 12.00"
printf "%10f" 12.0 ⇒ " 12.000000"
printf "%[1]*[3]f" 10 99 12.0 ⇒ " 12.000000"
printf "%.6f" 12.0 ⇒ "12.000000"
printf "%.[1]*[3]f" 6 99 12.0 ⇒ "12.000000"
printf "%6.f" 12.0 ⇒ "    12"
printf "%[1]*.[3]f" 6 3 12.0 ⇒ "    12"
printf "%d %d %d %#[1]o %#o %#o" 11 12 13 ⇒ "11 12 13 013 014 015"
printf "%[d" 2 1 ⇒ "%!d(BADINDEX)"
printf "%]d" 2 1 ⇒ "%!](int=2)d%!(EXTRA int=1)"
printf "%[]d" 2 1 ⇒ "%!d(BADINDEX)"
printf "%[-3]d" 2 1 ⇒ "%!d(BADINDEX)"
printf "%[99]d" 2 1 ⇒ "%!d(BADINDEX)"
printf "%[3]" 2 1 ⇒ "%!(NOVERB)"
printf "%[1].2d" 5 6 ⇒ "%!d(BADINDEX)"
printf "%[1]2d" 2 1 ⇒ "%!d(BADINDEX)"
printf "%3.[2]d" 7 ⇒ "%!d(BADINDEX)"
printf "%.[2]d" 7 ⇒ "%!d(BADINDEX)"
printf "%d %d %d %#[1]o %#o %#o %#o" 11 12 13 ⇒ "11 12 13 013 014 015 %!o(MISSING)"
printf "%[5]d %[2]d %d" 1 2 3 ⇒ "%!d(BADINDEX) 2 3"
printf "%d %[3]d %d" 1 2 ⇒ "1 %!d(BADINDEX) 2"
printf "%.[]" ⇒ "%!](BADINDEX)"
printf "%.-3d" 42 ⇒ "%!-(int=42)3d"
printf "%2147483648d" 42 ⇒ "%!(NOVERB)%!(EXTRA int=42)"
printf "%-2147483648d" 42 ⇒ "%!(NOVERB)%!(EXTRA int=42)"
printf "%.2147483648d" 42 ⇒ "%!(NOVERB)%!(EXTRA int=42)"
// Probes of edge cases (answers from Helm).
printf "%05s|%-05s|%0-5s|%05q|%05v" "abc" "abc" "abc" "abc" "abc" ⇒ "00abc|abc  |abc  |\"abc\"|00abc"
printf "%#08x|%#8x|%#-8x|%08.3d|%#08o|%#08b|%08X" 255 255 255 5 8 5 255 ⇒ "0x000000ff|    0xff|0xff    |     005|00000010|0b00000101|000000FF"
printf "%x|%X|%#x|%.3x|%x|%x|%.0x|%.1x" -1.5 3.0 1.0 1.0 0.1 1e300 1.5 1.96875 ⇒ "-0x1.8p+00|0X1.8P+01|0x1.0000p+00|0x1.000p+00|0x1.999999999999ap-04|0x1.7e43c8800759cp+996|0x1p+01|0x1.0p+01"
printf "%d|%5v|%5d|%v" (list 1 nil) (list 1 "a" nil) (list 1 "a") (list nil) ⇒ "[1 <nil>]|[    1     a <nil>]|[    1 %!d(string=    a)]|[<nil>]"
printf "%5d|%.2d|%-7t|%5.1s" "s" 3.14159 "ab" 42 ⇒ "%!d(string=    s)|%!d(float64=3.1)|%!t(string=ab     )|%!s(int=   42)"
printf "%#v|%#v" (int64 5) (list (list 1) (dict "k" nil)) ⇒ "5|[]interface {}{[]interface {}{1}, map[string]interface {}{\"k\":interface {}(nil)}}"
printf "%x|%X|%q|%s" (list "ab" 1.5) (list "ab" 255) (list "a" 1 nil) (list 1 "a" true) ⇒ "[6162 0x1.8p+00]|[6162 FF]|[\"a\" '\\x01' <nil>]|[%!s(int=1) a %!s(bool=true)]"
printf "%v|%g|%e|%6.2f" -0.0 -0.0 -0.0 -0.0 ⇒ "-0|-0|-0.000000e+00| -0.00"
printf "%T|%T|%T" (int64 1) (list) (dict) ⇒ "int64|[]interface {}|map[string]interface {}"
printf "%010v|%-10v|%10T|%.2T" "x" nil nil 5 ⇒ "000000000x|<nil>     |     <nil>|in"
printf "%.0d|%6.0d|%06.0d|%U|%#U|%#.6U|%08U" 0 0 0 -1 65 0x263A 65 ⇒ "|      |      |U+FFFFFFFFFFFFFFFF|U+0041 'A'|U+00263A '☺'|  U+0041"
printf "% d|%+d|% x|%+q|%+q|%#q|%#q" (list 1 2) (list 1 -2) (list 255 "ab") "é" 233 "a\tb" "a\nb" ⇒ "[ 1  2]|[+1 -2]|[ ff 61 62]|\"\\u00e9\"|'\\u00e9'|`a\tb`|\"a\\nb\""
printf "%.0e|%.1f|%.1f|%.2f|%.0f|%.0f|%.3g|%.1e" 2.5 0.25 0.35 2.675 0.5 -0.5 2.5e-5 0.05 ⇒ "2e+00|0.2|0.3|2.67|0|-0|2.5e-05|5.0e-02"
printf "%.20f|%.30e|%.17g|%.40f" 0.1 1e-300 0.1 1e-30 ⇒ "0.10000000000000000555|1.000000000000000025059091835209e-300|0.10000000000000001|0.0000000000000000000000000000010000000000"
printf "%v|%v|%v|%v|%v|%v|%v" 1e21 123456789.0 0.000001 0.00001234 100000.0 1e100 5e-324 ⇒ "1e+21|1.23456789e+08|1e-06|1.234e-05|100000|1e+100|5e-324"
printf "%b|%b|%b|%.3b" 1.0 -0.1 5e-324 0.0 ⇒ "4503599627370496p-52|-7205759403792794p-56|1p-1074|0p-1074"
printf "%[2]*[1]d|%[3]*.[2]*[1]f|%d %d %#[1]o %#o|%[1]d %[1]q" 2 5 6 ⇒ "    2|%!f(int= 00002)|5 6 02 05|2 '\\x02'"
printf "%d %d|%v|%x" (int64 3) 4 (int64 -7) (int64 -255) ⇒ "3 4|-7|-ff"
printf "%8.3q|%-8.3q|%x|% X|%#x|%# x" "hello" "hello" "é☃" "é☃" "é☃" "é☃" ⇒ "   \"hel\"|\"hel\"   |c3a9e29883|C3 A9 E2 98 83|0xc3a9e29883|0xc3 0xa9 0xe2 0x98 0x83"
printf "%s|%t|%d|%q|%x|%o" true "s" true true true true ⇒ "%!s(bool=true)|%!t(string=s)|%!d(bool=true)|%!q(bool=true)|%!x(bool=true)|%!o(bool=true)"
printf "%v|%+v|%s" (dict "a" (list 1 nil (dict "b" 2.5))) (dict "a" (list 1 nil)) (dict "x" nil "y" (list "s")) ⇒ "map[a:[1 <nil> map[b:2.5]]]|map[a:[1 <nil>]]|map[x:<nil> y:[s]]"
printf "%☠|%.|%!|%z|%-z|%5z" 1 3 2 "x" nil 1.5 ⇒ "%!☠(int=1)|%!|(int=3)%!!(int=2)|%!z(string=x)|%!z(<nil>)|%!z(float64=  1.5)"
printf "%5t|%-6t|%05t|%5v" true false true false ⇒ " true|false |0true|false"
printf "%e|%E|%.3E|%G|%g|%.10g|%g|%G" 1e21 1e-7 123456.0 1e-7 123456789.0 123456789.0 1e6 0.000012345 ⇒ "1.000000e+21|1.000000E-07|1.235E+05|1E-07|1.23456789e+08|123456789|1e+06|1.2345E-05"
printf "%08.3f|%+08.3f|% 08.3f|%-8.3f|%+.3e|%#.0f|%#.0e|%#g|%#.3g|%#v" -3.14159 3.14159 3.14159 3.14159 0.0 1.0 1.0 123456.0 1.0 1.0 ⇒ "-003.142|+003.142| 003.142|3.142   |+0.000e+00|1.|1.e+00|123456.|1.00|1"
printf "%c|%c|%c|%5c|%-5c|%q|%q|%q|%+q" 65 0x1F600 0x0E00 65 9731 10 39 0x0E00 0x1F600 ⇒ "A|😀|\u0e00|    A|☃    |'\\n'|'\\''|'\\u0e00'|'\\U0001f600'"
printf "%x|%X|%o|%O|%b|%#O|%#b" -255 -255 -8 -8 -5 8 -5 ⇒ "-ff|-FF|-10|-0o10|-101|0o010|-0b101"
printf "%d|%s|%v|%x" 1 2 ⇒ "1|%!s(int=2)|%!v(MISSING)|%!x(MISSING)"
printf "%[3]d|%[0]d|%[x]d|%[1]|%[2]d %d" 1 2 ⇒ "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|%!|(int=1)2 %!d(MISSING)"
printf "%-*d|%*d|%.*d|%*d" -5 42 -3 7 -2 9 1000001 1 ⇒ "42   |7  |%!(BADPREC)9|%!(BADWIDTH)1"
printf "%v %v" ⇒ "%!v(MISSING) %!v(MISSING)"
printf "%w|%w|%#w|%w" 1 (list 1) "s" nil ⇒ "%!w(int=1)|%!w([]interface {}=[1])|%!w(string=\"s\")|%!w(<nil>)"
printf "" (dict "a" 1) (list) true ⇒ "%!(EXTRA map[string]interface {}=map[a:1], []interface {}=[], bool=true)"
// Conformance cases (fn-printf, go-printf-*, tpl-printf-*), their values written as literals.
printf "%s=%d" "x" 5 ⇒ "x=5"
printf "%v %v" 1000000.0 0.5 ⇒ "1e+06 0.5"
printf "%5.2f|%-5d|%05d|%x|%X|%o|%b|%e|%g" 3.14159 42 42 255 255 8 5 1234.5678 0.000012 ⇒ " 3.14|42   |00042|ff|FF|10|101|1.234568e+03|1.2e-05"
printf "%q %v %T %t" "q" (list 1) 1000000.0 true ⇒ "\"q\" [1] float64 true"
printf "%d" 1000000.0 ⇒ "%!d(float64=1e+06)"
printf "%s" 5 ⇒ "%!s(int=5)"
printf "%d %d" 1 ⇒ "1 %!d(MISSING)"
printf "%d" 1 2 ⇒ "1%!(EXTRA int=2)"
printf "100%%" ⇒ "100%"
printf "%c%c" 72 'i' ⇒ "Hi"
printf "%U" 'é' ⇒ "U+00E9"
printf "%v" nil ⇒ "<nil>"
printf "%s" nil ⇒ "%!s(<nil>)"
printf "%d" ⇒ "%!d(MISSING)"
printf "x" 1 ⇒ "x%!(EXTRA int=1)"
printf "%d" 1 2 3 ⇒ "1%!(EXTRA int=2, int=3)"
printf "%d" "s" ⇒ "%!d(string=s)"
printf "%z" 1 ⇒ "%!z(int=1)"
printf "%!" ⇒ "%!!(MISSING)"
printf "%*d" "x" 1 ⇒ "%!(BADWIDTH)1"
printf "%.*d" "x" 1 ⇒ "%!(BADPREC)1"
printf "%[5]d" 1 ⇒ "%!d(BADINDEX)"
printf "%[0]d" 1 ⇒ "%!d(BADINDEX)"
printf "%" ⇒ "%!(NOVERB)"
printf "%-" ⇒ "%!(NOVERB)"
printf "%d" nil ⇒ "%!d(<nil>)"
printf "%d|%x|%s|%t" 3.0 3.0 3.0 3.0 ⇒ "%!d(float64=3)|0x1.8p+01|%!s(float64=3)|%!t(float64=3)"
printf "%e|%E|%f|%F|%g|%G" 1234.5678 1234.5678 1234.5678 1234.5678 1234.5678 1234.5678 ⇒ "1.234568e+03|1.234568E+03|1234.567800|1234.567800|1234.5678|1234.5678"
printf "[%.2f] [%8.3f] [%-8.2f] [%+.1e] [%010.3f]" 3.14159 3.14159 3.14159 3.14159 -3.14159 ⇒ "[3.14] [   3.142] [3.14    ] [+3.1e+00] [-00003.142]"
printf "%g %g %g %g" 1e21 1e20 0.00001 0.0001 ⇒ "1e+21 1e+20 1e-05 0.0001"
printf "%.3g %.10g %g" 1234.5678 1.0 100000.0 ⇒ "1.23e+03 1 100000"
printf "%f" 2.5 ⇒ "2.500000"
printf "%.0f %.0f %.0f" 0.5 1.5 2.5 ⇒ "0 2 2"
printf "%v %v" 1e6 1e-7 ⇒ "1e+06 1e-07"
printf "%#g" 1.0 ⇒ "1.00000"
printf "%f" 1 ⇒ "%!f(int=1)"
printf "%e" "x" ⇒ "%!e(string=x)"
printf "[%d] [%5d] [%-5d] [%05d] [%+d] [% d]" 42 42 42 42 42 42 ⇒ "[42] [   42] [42   ] [00042] [+42] [ 42]"
printf "[%d] [%05d] [%+d] [% d] [%-+5d]" -42 -42 -42 -42 42 ⇒ "[-42] [-0042] [-42] [-42] [+42  ]"
printf "%x %X %#x %#X" 255 255 255 255 ⇒ "ff FF 0xff 0XFF"
printf "%o %#o %O %b %#b" 8 8 8 5 5 ⇒ "10 010 0o10 101 0b101"
printf "[%08b] [%.3d] [%6.3d] [%x]" 5 7 7 -255 ⇒ "[00000101] [007] [   007] [-ff]"
printf "%d" (list 1 2) ⇒ "[1 2]"
printf "%x" (list 10 11) ⇒ "[a b]"
printf "%d" 'a' ⇒ "97"
printf "%v" (dict "zeta" 1.0 "alpha" 2.0 "Mid" 3.0) ⇒ "map[Mid:3 alpha:2 zeta:1]"
printf "%d" (dict "zeta" 1.0 "alpha" 2.0 "Mid" 3.0) ⇒ "map[%!d(string=Mid):%!d(float64=3) %!d(string=alpha):%!d(float64=2) %!d(string=zeta):%!d(float64=1)]"
printf "%s" (dict "zeta" 1.0 "alpha" 2.0 "Mid" 3.0) ⇒ "map[Mid:%!s(float64=3) alpha:%!s(float64=2) zeta:%!s(float64=1)]"
printf "%v" (list (dict "b" 1 "a" 2) (list)) ⇒ "[map[a:2 b:1] []]"
printf "%q" (list "ab" "cd") ⇒ "[\"ab\" \"cd\"]"
printf "%x" (list "ab" "cd") ⇒ "[6162 6364]"
printf "%t %t" true false ⇒ "true false"
printf "%t" 1 ⇒ "%!t(int=1)"
printf "%T %T %T %T %T %T" 1 1.5 "s" true nil (list) ⇒ "int float64 string bool <nil> []interface {}"
printf "%c%c%c" 72 105 '!' ⇒ "Hi!"
printf "%c" 0x263A ⇒ "☺"
printf "%q" 'x' ⇒ "'x'"
printf "%q" 65 ⇒ "'A'"
printf "%#U" '☃' ⇒ "U+2603 '☃'"
printf "%U" 65 ⇒ "U+0041"
printf "%d%%" 5 ⇒ "5%"
printf "[%*d] [%-*d] [%.*f] [%*.*f]" 5 42 5 42 2 3.14159 8 2 3.14159 ⇒ "[   42] [42   ] [3.14] [    3.14]"
printf "%[1]d %[1]x %[1]o" 64 ⇒ "64 40 100"
printf "%[3]*.[2]*[1]f" 12.0 2 6 ⇒ " 12.00"
printf "%d %d %#[1]x %#x" 16 17 ⇒ "16 17 0x10 0x11"
printf "[%s] [%5s] [%-5s] [%.1s] [%5.1s]" "hi" "hi" "hi" "hi" "hi" ⇒ "[hi] [   hi] [hi   ] [h] [    h]"
printf "%q" "a\"b\n" ⇒ "\"a\\\"b\\n\""
printf "%#q" "back`tick" ⇒ "\"back`tick\""
printf "%#q" "plain" ⇒ "`plain`"
printf "%+q" "é☃" ⇒ "\"\\u00e9\\u2603\""
printf "%x %X % x %#x" "hi" "hi" "hi" "hi" ⇒ "6869 6869 68 69 0x6869"
printf "[%5s] [%.2s] [%-4q]" "é" "héllo" "é" ⇒ "[    é] [hé] [\"é\" ]"
printf "%s" (list "a" "b") ⇒ "[a b]"
printf "%v|%v|%v|%v|%v" 1 1.5 "s" true nil ⇒ "1|1.5|s|true|<nil>"
printf "%v" (list 1.0 "a" true nil 2.5) ⇒ "[1 a true <nil> 2.5]"
printf "%v" (dict "b" (list 1.0) "a" (dict "x" true)) ⇒ "map[a:map[x:true] b:[1]]"
printf "%+v" (dict "b" (list 1.0) "a" (dict "x" true)) ⇒ "map[a:map[x:true] b:[1]]"
printf "%#v" (list 1.0 "a" true nil 2.5) ⇒ "[]interface {}{1, \"a\", true, interface {}(nil), 2.5}"
printf "%#v" (dict "b" (list 1.0) "a" (dict "x" true)) ⇒ "map[string]interface {}{\"a\":map[string]interface {}{\"x\":true}, \"b\":[]interface {}{1}}"
printf "%#v|%#v|%#v|%#v" 1 1.5 "s" 1.0 ⇒ "1|1.5|\"s\"|1"
printf "%v %v %v" 1e20 0.0001 1.0 ⇒ "1e+20 0.0001 1"
printf "%d" 17.0 ⇒ "%!d(float64=17)"
printf "%T" 17.0 ⇒ "float64"
printf "%v|%s|%d|%q" "v" "s" 42 "q\"t" ⇒ "v|s|42|\"q\\\"t\""
printf "%x|%X|%o|%b" 255 255 8 5 ⇒ "ff|FF|10|101"
printf "%5.2f|%e|%g|%.3g" 3.14159 1234.5678 0.000012 3.14159 ⇒ " 3.14|1.234568e+03|1.2e-05|3.14"
printf "%-5s|%5s|%05d|%+d|%%" "ab" "cd" 42 7 ⇒ "ab   |   cd|00042|+7|%"
printf "%x" "hi" ⇒ "6869"
printf "%c" 65 ⇒ "A"
printf "%04x" 127 ⇒ "007f"
printf "%g" 3.5 ⇒ "3.5"
printf "%g" 1+7i ⇒ "(1+7i)"
printf "%d %s %g %s" 127 "hello" 7-3i "x" ⇒ "127 hello (7-3i) x"
// fmt.Sprint and fmt.Sprintln (fn-print, fn-println, go-print-*, go-println-spacing).
print "a" "b" ⇒ "ab"
print 1 2 ⇒ "1 2"
print "a" 1 "b" ⇒ "a1b"
print 1 "a" 2 ⇒ "1a2"
print nil ⇒ "<nil>"
print ⇒ ""
print (list 1 "a") (dict "k" 1) ⇒ "[1 a] map[k:1]"
print 1.5 true ⇒ "1.5 true"
print 1000000.0 ⇒ "1e+06"
print "hello, print" ⇒ "hello, print"
print 1 2 3 ⇒ "1 2 3"
print "a" 1 ⇒ "a1"
print 1 2 "a" 3 4 ⇒ "1 2a3 4"
print nil nil ⇒ "<nil> <nil>"
print true false ⇒ "true false"
print (list 1) (list 2) ⇒ "[1] [2]"
print 1.5 2.5 ⇒ "1.5 2.5"
print "" "" ⇒ ""
print 1.0 2.0 ⇒ "1 2"
print 1.0 "x" 2.0 ⇒ "1x2"
print 1+2i 3 ⇒ "(1+2i) 3"
println "a" "b" ⇒ "a b\n"
println 1 2 ⇒ "1 2\n"
println ⇒ "\n"
println nil ⇒ "<nil>\n"
println 1 "a" 2 ⇒ "1 a 2\n"
println "" "" ⇒ " \n"
println (list) nil ⇒ "[] <nil>\n"
println 1 2 3 ⇒ "1 2 3\n"
// html, js, urlquery (fn-html, fn-js, fn-urlquery) and evalArgs.
html "<a href=\"x\">'&'</a>" ⇒ "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
html 1 "<" ⇒ "1&lt;"
html nil ⇒ "&lt;no value&gt;"
html "<b>" ⇒ "&lt;b&gt;"
html "a\x00b" ⇒ "a\uFFFDb"
html nil 1 ⇒ "&lt;no value&gt;1"
html 1 nil 2 ⇒ "1&lt;no value&gt;2"
html 1 2 ⇒ "1 2"
html (list 1 nil) ⇒ "[1 &lt;nil&gt;]"
html "plain" ⇒ "plain"
js "It's \"quoted\" <tag> & = \\" ⇒ "It\\'s \\\"quoted\\\" \\u003Ctag\\u003E \\u0026 \\u003D \\\\"
js "line\nbreak\ttab" ⇒ "line\\u000Abreak\\u0009tab"
js "é☃" ⇒ "é☃"
js 1 2 ⇒ "1 2"
js "a'b" ⇒ "a\\'b"
js "\u2028\u00ad\x7f\x1f\U000E0001😀" ⇒ "\\u2028\\u00AD\x7f\\u001F\\uE0001😀"
js nil ⇒ "\\u003Cno value\\u003E"
js "+/?:`" ⇒ "+/?:`"
urlquery "a b&c=d/é" ⇒ "a+b%26c%3Dd%2F%C3%A9"
urlquery "http://www.example.org/" ⇒ "http%3A%2F%2Fwww.example.org%2F"
urlquery 1 "x y" ⇒ "1x+y"
urlquery "" ⇒ ""
urlquery "~-._" ⇒ "~-._"
urlquery "$&+,/:;=?@#%[]!'()*" ⇒ "%24%26%2B%2C%2F%3A%3B%3D%3F%40%23%25%5B%5D%21%27%28%29%2A"
urlquery nil ⇒ "%3Cno+value%3E"
urlquery (list 1 nil) ⇒ "%5B1+%3Cnil%3E%5D"
"##;

    /// Go's strconv.Unquote for the literals used in the tables.
    fn unquote(q: &str) -> String {
        if let Some(raw) = q.strip_prefix('`') {
            return raw.trim_end_matches('`').to_string();
        }
        let quote = q.chars().next().unwrap();
        let body = &q[1..q.len() - 1];
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let e = chars.next().unwrap();
            let hex = |chars: &mut std::str::Chars<'_>, n: usize| {
                let h: String = chars.take(n).collect();
                char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap()
            };
            out.push(match e {
                'a' => '\x07',
                'b' => '\x08',
                'f' => '\x0C',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\x0B',
                '\\' | '"' | '\'' => e,
                'x' => hex(&mut chars, 2),
                'u' => hex(&mut chars, 4),
                'U' => hex(&mut chars, 8),
                _ => panic!("bad escape in {q}"),
            });
        }
        assert!(quote == '"' || quote == '\'');
        out
    }

    fn int_literal(t: &str) -> i64 {
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (radix, digits) = if let Some(h) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
            (16, h)
        } else if t.len() > 1 && t.starts_with('0') {
            (8, &t[1..])
        } else {
            (10, t)
        };
        let u = u64::from_str_radix(digits, radix).unwrap();
        if neg {
            0i64.wrapping_sub(u as i64)
        } else {
            u as i64
        }
    }

    fn number(t: &str) -> Value {
        if let Some(body) = t.strip_suffix('i') {
            let b = body.as_bytes();
            let split = (1..b.len())
                .rev()
                .find(|&k| (b[k] == b'+' || b[k] == b'-') && !matches!(b[k - 1], b'e' | b'E'));
            return match split {
                Some(k) => Value::Complex(body[..k].parse().unwrap(), body[k..].parse().unwrap()),
                None => Value::Complex(0.0, body.parse().unwrap()),
            };
        }
        let hex = t.trim_start_matches('-').starts_with("0x");
        if !hex && t.contains(['.', 'e', 'E']) {
            Value::Float(t.parse().unwrap())
        } else {
            Value::Int(int_literal(t))
        }
    }

    /// Parses the argument list of a template call (the subset the tables use).
    struct ArgParser<'a> {
        s: &'a str,
        i: usize,
    }

    impl ArgParser<'_> {
        fn skip_ws(&mut self) {
            while self.s[self.i..].starts_with(' ') {
                self.i += 1;
            }
        }
        fn word(&mut self) -> &str {
            let rest = &self.s[self.i..];
            let n = rest.find([' ', ')']).unwrap_or(rest.len());
            self.i += n;
            &rest[..n]
        }
        fn quoted(&mut self, q: char) -> String {
            let rest = &self.s[self.i..];
            let mut escaped = false;
            for (k, c) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q != '`' {
                    escaped = true;
                } else if c == q {
                    self.i += k + 1;
                    return unquote(&rest[..=k]);
                }
            }
            panic!("unterminated literal in {}", self.s)
        }
        fn value(&mut self) -> Value {
            self.skip_ws();
            let rest = &self.s[self.i..];
            match rest.chars().next().unwrap() {
                '(' => {
                    self.i += 1;
                    let name = self.word().to_string();
                    let mut args = Vec::new();
                    loop {
                        self.skip_ws();
                        if self.s[self.i..].starts_with(')') {
                            self.i += 1;
                            break;
                        }
                        args.push(self.value());
                    }
                    match name.as_str() {
                        "list" => Value::list(args),
                        "dict" => {
                            let m = Map::new();
                            for kv in args.chunks(2) {
                                m.insert(kv[0].as_str().unwrap(), kv[1].clone());
                            }
                            Value::Map(m)
                        }
                        "int64" => match args[0] {
                            Value::Int(i) => Value::Int64(i),
                            _ => panic!("int64 of {:?}", args[0]),
                        },
                        "float64" => Value::Float(match args[0].as_str().unwrap() {
                            "Inf" => f64::INFINITY,
                            "-Inf" => f64::NEG_INFINITY,
                            "NaN" => f64::NAN,
                            s => s.parse().unwrap(),
                        }),
                        _ => panic!("unknown function {name}"),
                    }
                }
                q @ ('"' | '`') => Value::string(self.quoted(q)),
                '\'' => {
                    let s = self.quoted('\'');
                    let mut it = s.chars();
                    let c = it.next().unwrap();
                    assert!(it.next().is_none());
                    Value::Int(c as i64)
                }
                _ => match self.word() {
                    "nil" => Value::Nil,
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    t => number(t),
                },
            }
        }
    }

    fn run(expr: &str) -> String {
        let mut p = ArgParser { s: expr, i: 0 };
        let func = p.word().to_string();
        let mut args = Vec::new();
        loop {
            p.skip_ws();
            if p.i >= expr.len() {
                break;
            }
            args.push(p.value());
        }
        match func.as_str() {
            "printf" => sprintf(args[0].as_str().unwrap(), &args[1..]),
            "print" => sprint(&args),
            "println" => sprintln(&args),
            "html" => escape::html_escaper(&args),
            "js" => escape::js_escaper(&args),
            "urlquery" => escape::url_query_escaper(&args),
            _ => panic!("unknown function {func}"),
        }
    }

    #[test]
    fn template_calls_match_helm() {
        let mut failures = Vec::new();
        let mut count = 0;
        for line in CASES.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let (expr, expected) = line.split_once(" ⇒ ").unwrap();
            let want = unquote(expected);
            let got = run(expr);
            count += 1;
            if got != want {
                failures.push(format!("{expr}\n   want {want:?}\n    got {got:?}"));
            }
        }
        assert!(count > 600, "{count} cases");
        assert!(
            failures.is_empty(),
            "{} of {count} differ:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    fn bytes(b: &[u8]) -> Value {
        Value::Bytes(Rc::from(b))
    }

    // []byte and uint64 cannot be written as template literals; these outputs come from Helm
    // rendering `.Files.GetBytes` (files "hi" and "ab\xffc☃") and `(semver "1.2.3").Major`.
    #[test]
    fn byte_slices_like_go() {
        let g = bytes(b"hi");
        let b = bytes(b"ab\xffc\xe2\x98\x83");
        let f = |fmt: &str, args: &[Value]| sprintf(fmt, args);
        assert_eq!(
            f(
                "%s|%x|% x|%#x|%X|%q|%+q|%#q",
                &[g.clone(), b.clone(), b.clone(), b.clone(), b.clone(), b.clone(), b.clone(), g.clone()]
            ),
            "hi|6162ff63e29883|61 62 ff 63 e2 98 83|0x6162ff63e29883|6162FF63E29883|\"ab\\xffc☃\"|\"ab\\xffc\\u2603\"|`hi`"
        );
        assert_eq!(
            f("%v|%d|%#v|%c|%t|%o|%U|%5v|%-4d|%T", &vec![g.clone(); 10]),
            "[104 105]|[104 105]|[]byte{0x68, 0x69}|[h i]|[%!t(uint8=104) %!t(uint8=105)]|[150 151]|[U+0068 U+0069]|[  104   105]|[104  105 ]|[]uint8"
        );
        assert_eq!(
            f(
                "%.2s|%5s|%.1q|%v",
                &[
                    g.clone(),
                    g.clone(),
                    g.clone(),
                    Value::list(vec![g.clone(), Value::Int(1)])
                ]
            ),
            "hi|   hi|\"h\"|[[104 105] 1]"
        );
        let l = Value::list(vec![g.clone()]);
        assert_eq!(
            f(
                "%#v|%s|%x|%q",
                &[l.clone(), l.clone(), l.clone(), l.clone()]
            ),
            "[]interface {}{[]uint8{0x68, 0x69}}|[hi]|[6869]|[\"hi\"]"
        );
        assert_eq!(sprint(&[g.clone(), Value::Int(1)]), "[104 105] 1");
        assert_eq!(escape::html_escaper(std::slice::from_ref(&g)), "[104 105]");
        assert_eq!(f("%d", std::slice::from_ref(&l)), "[[104 105]]");
        // Go writes the invalid byte raw; ChartLab keeps it raw too (engine::gostr).
        assert_eq!(
            crate::engine::gostr::to_output(&f(
                "%5.1s|%-3s|%05s",
                &[b.clone(), b.clone(), b.clone()]
            )),
            "    a|ab\u{FFFD}c☃|ab\u{FFFD}c☃"
        );
    }

    #[test]
    fn uint64_like_go() {
        let u = Value::Uint(1);
        assert_eq!(
            sprintf("%v|%#v|%d|%x|%T|%q|%c|%5v|%U", &vec![u.clone(); 9]),
            "1|0x1|1|1|uint64|'\\x01'|\x01|    1|U+0001"
        );
        assert_eq!(
            sprintf("%#v", &[Value::list(vec![u.clone()])]),
            "[]interface {}{0x1}"
        );
        assert_eq!(sprint(&[u, Value::Int(2)]), "1 2");
        // Go's fmt_test: the full range of uint64
        assert_eq!(
            sprintf("%d", &[Value::Uint(u64::MAX)]),
            "18446744073709551615"
        );
        assert_eq!(sprintf("%X", &[Value::Uint(u64::MAX)]), "FFFFFFFFFFFFFFFF");
        assert_eq!(
            sprintf("%#v", &[Value::Uint(u64::MAX)]),
            "0xffffffffffffffff"
        );
        assert_eq!(
            sprintf("%b", &[Value::Uint(u64::MAX)]),
            "1111111111111111111111111111111111111111111111111111111111111111"
        );
        assert_eq!(
            sprintf("%o", &[Value::Uint(u64::MAX)]),
            "1777777777777777777777"
        );
        assert_eq!(sprintf("%c", &[Value::Uint(0xFFFFFFFFF)]), "\u{FFFD}");
        // a width from a uint64 operand
        assert_eq!(sprintf("%*d", &[Value::Uint(4), Value::Int(7)]), "   7");
        assert_eq!(
            sprintf("%*d", &[Value::Uint(u64::MAX), Value::Int(7)]),
            "%!(BADWIDTH)7"
        );
    }

    #[test]
    fn int64_prints_like_int() {
        let v = Value::Int64(-42);
        assert_eq!(
            sprintf("%v|%d|%x|%T|%5d|%#v", &vec![v.clone(); 6]),
            "-42|-42|-2a|int64|  -42|-42"
        );
        assert_eq!(sprintf("%s", &[v]), "%!s(int64=-42)");
    }

    /// A struct-like object: `%v` prints its fields, as write_v says.
    struct Meta;

    impl Object for Meta {
        fn type_name(&self) -> &str {
            "*chart.Metadata"
        }
        fn write_v(&self, out: &mut String, plus: bool) {
            out.push_str(if plus {
                "&{Name:demo Version:0.1.0}"
            } else {
                "&{demo 0.1.0}"
            });
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn objects_print_through_write_v() {
        let o = Value::object(Meta);
        assert_eq!(sprintf("%v", std::slice::from_ref(&o)), "&{demo 0.1.0}");
        assert_eq!(
            sprintf("%+v", std::slice::from_ref(&o)),
            "&{Name:demo Version:0.1.0}"
        );
        assert_eq!(sprintf("%T", std::slice::from_ref(&o)), "*chart.Metadata");
        assert_eq!(
            sprint(&[o.clone(), o.clone()]),
            "&{demo 0.1.0} &{demo 0.1.0}"
        );
        // Go prints a pointer inside a slice as its address (Helm: `[0x2528fc2304d0]` for
        // `list .Capabilities`); the address itself is arbitrary.
        assert_eq!(
            sprintf("%v", &[Value::list(vec![o.clone()])]),
            "[0xc000010000]"
        );
        // text/template prints the struct a pointer points to
        let mut out = String::new();
        write_printable(&mut out, &o);
        assert_eq!(out, "{demo 0.1.0}");
        assert_eq!(
            escape::eval_args_string(&[o.clone(), Value::Int(1)]),
            "{demo 0.1.0} 1"
        );
    }

    /// A Stringer (semver's *Version): String() wherever it is printed.
    struct Version;

    impl Object for Version {
        fn type_name(&self) -> &str {
            "*semver.Version"
        }
        fn write_v(&self, out: &mut String, _plus: bool) {
            out.push_str("1.2.3");
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn stringers_print_their_string() {
        // Helm: printf "%v|%v|%T" (list (semver "1.2.3")) (semver "1.2.3") (semver "1.2.3")
        let v = Value::object(Version);
        assert_eq!(
            sprintf(
                "%v|%v|%T",
                &[Value::list(vec![v.clone()]), v.clone(), v.clone()]
            ),
            "[1.2.3]|1.2.3|*semver.Version"
        );
        assert_eq!(
            sprintf("%7s|%-7v|%q|%x", &vec![v.clone(); 4]),
            "  1.2.3|1.2.3  |\"1.2.3\"|312e322e33"
        );
    }

    #[test]
    fn printable_values_as_templates_print_them() {
        let mut out = String::new();
        for v in [
            Value::str("s"),
            Value::Nil,
            Value::Float(1e6),
            Value::list(vec![Value::Nil, Value::Float(2.5)]),
        ] {
            write_printable(&mut out, &v);
            out.push('|');
        }
        assert_eq!(out, "s|<no value>|1e+06|[<nil> 2.5]|");
    }

    #[test]
    fn format_float_is_strconv_format_float() {
        let cases: &[(f64, char, Option<usize>, &str)] = &[
            (1e6, 'g', None, "1e+06"),
            (999999.0, 'g', None, "999999"),
            (1.2345678901e10, 'g', None, "1.2345678901e+10"),
            (100000.0, 'g', None, "100000"),
            (0.0001, 'g', None, "0.0001"),
            (0.00001234, 'g', None, "1.234e-05"),
            (-0.0, 'g', None, "-0"),
            (0.0, 'g', None, "0"),
            (f64::NAN, 'g', None, "NaN"),
            (f64::INFINITY, 'g', None, "+Inf"),
            (f64::NEG_INFINITY, 'e', Some(2), "-Inf"),
            (5e-324, 'g', None, "5e-324"),
            (1e100, 'g', None, "1e+100"),
            (1234.5678, 'e', Some(6), "1.234568e+03"),
            (1234.5678, 'E', None, "1.2345678E+03"),
            (1234.5678, 'f', Some(2), "1234.57"),
            (1e21, 'f', None, "1000000000000000000000"),
            (1e-7, 'f', None, "0.0000001"),
            (2.5, 'f', Some(0), "2"),
            (0.25, 'f', Some(1), "0.2"),
            (2.675, 'f', Some(2), "2.67"),
            (2.5, 'e', Some(0), "2e+00"),
            (1234.5678, 'g', Some(3), "1.23e+03"),
            (1.0, 'g', Some(10), "1"),
            (0.000012345, 'G', None, "1.2345E-05"),
            (1.0, 'b', None, "4503599627370496p-52"),
            (3.0, 'x', None, "0x1.8p+01"),
            (1.5, 'x', Some(0), "0x1p+01"),
            (1.0, 'X', Some(3), "0X1.000P+00"),
            (1.0, 'z', None, "%z"),
        ];
        for &(f, fmt, prec, want) in cases {
            assert_eq!(format_float(f, fmt, prec), want, "{f} {fmt} {prec:?}");
        }
        // beyond any fast path: exact digits, then zeros
        let long = format_float(0.1, 'e', Some(60));
        assert_eq!(
            long,
            "1.000000000000000055511151231257827021181583404541015625000000e-01"
        );
        assert_eq!(
            format_float(1e-300, 'g', Some(40)),
            "1.000000000000000025059091835208759685696e-300"
        );
    }

    #[test]
    fn quoting_like_strconv() {
        assert_eq!(
            quote("a\"b\\c\n\t\x07\x7f\u{FEFF}é☃\u{FFFFF}"),
            "\"a\\\"b\\\\c\\n\\t\\a\\x7f\\ufeffé☃\\U000fffff\""
        );
        assert_eq!(quote_ascii("é☃😀"), "\"\\u00e9\\u2603\\U0001f600\"");
        assert_eq!(quote_rune('\''), "'\\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_rune_ascii('☺'), "'\\u263a'");
        assert!(can_backquote("a\tb`".trim_end_matches('`')));
        assert!(!can_backquote("a`b"));
        assert!(!can_backquote("a\nb"));
        assert!(!can_backquote("\u{FEFF}"));
        assert!(!can_backquote("\x7f"));
    }

    #[test]
    fn is_print_is_unicode_15_print() {
        // Helm's %q over every rune above U+00FF agrees with the table (checked once, offline);
        // these spot checks pin the edges.
        for c in [
            'a',
            ' ',
            '~',
            '¡',
            'ÿ',
            'Ā',
            '☃',
            '日',
            '\u{11F00}',
            '😀',
            '\u{E0100}',
            '\u{3134A}',
        ] {
            assert!(is_print(c), "{c:?}");
        }
        for c in [
            '\0',
            '\x1f',
            '\x7f',
            '\u{80}',
            '\u{A0}',
            '\u{AD}',
            '\u{378}',
            '\u{2028}',
            '\u{3000}',
            '\u{2FFC}',
            '\u{1C89}',
            '\u{E000}',
            '\u{FEFF}',
            '\u{FFFF}',
            '\u{E0001}',
            '\u{10FFFF}',
        ] {
            assert!(!is_print(c), "{c:?}");
        }
    }

    #[test]
    fn extra_and_missing_use_type_names() {
        let m = Map::new();
        m.insert("a", Value::Int(1));
        assert_eq!(
            sprintf("", &[Value::Map(m), Value::list(vec![]), Value::Bool(true)]),
            "%!(EXTRA map[string]interface {}=map[a:1], []interface {}=[], bool=true)"
        );
        assert_eq!(sprintf("%p", &[Value::Int(1)]), "%!p(int=1)");
        assert_eq!(sprintf("%w", &[Value::Int(1)]), "%!w(int=1)");
        assert_eq!(
            sprintf("%w", &[Value::list(vec![Value::Int(1)])]),
            "%!w([]interface {}=[1])"
        );
    }

    #[test]
    fn self_containing_maps_do_not_hang() {
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        m.insert("twice", Value::Map(m.clone()));
        let out = sprintf("%v", &[Value::Map(m.clone())]);
        assert!(out.len() <= MAX_OUTPUT + 1024 * 1024, "{}", out.len());
        assert!(out.starts_with("map[self:map[self:map["));
    }

    #[test]
    fn arbitrary_formats_never_panic() {
        // A small deterministic generator over the characters that steer the parser.
        let alphabet: Vec<char> = "%%%%[]*.-+# 0123456789vdsqxXobeEfFgGtTcUpw☠!"
            .chars()
            .collect();
        let args = [
            Value::Int(-3),
            Value::Float(-2.5),
            Value::str("é☃"),
            Value::Nil,
            Value::Bool(true),
            Value::Uint(7),
            Value::Complex(1.0, -0.0),
            bytes(b"\xff\x00a"),
            Value::list(vec![Value::Nil, Value::Int(1)]),
            Value::Int(2_000_000),
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let format: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let n = (next() % 4) as usize;
            let start = (next() % args.len() as u64) as usize;
            let picked: Vec<Value> = (0..n)
                .map(|k| args[(start + k) % args.len()].clone())
                .collect();
            let _ = sprintf(&format, &picked);
        }
    }

    #[test]
    fn huge_precision_is_exact() {
        let s = sprintf("%.1000f", &[Value::Float(1.0)]);
        assert_eq!(s.len(), 1002);
        let s = sprintf("%.500e", &[Value::Float(0.1)]);
        assert!(s.starts_with("1.000000000000000055511151231257827021181583404541015625000"));
        assert!(s.ends_with("0e-01"));
        let s = sprintf("%.60g", &[Value::Float(0.1)]);
        assert_eq!(
            s,
            "0.1000000000000000055511151231257827021181583404541015625"
        );
    }

    /// The conformance cases whose templates need only text/template's builtins and Sprig's
    /// `list`/`dict` (stood in for here): the engine renders them with this printer and the
    /// output must be Helm's, from expected.json.
    #[test]
    fn conformance_cases_render_like_helm() {
        use crate::engine::{Env, Func, FuncMap, Signature, Templates, Ty};
        let cases: &[(&str, &str)] = &[
            ("fn-html", "{}"),
            ("fn-js", "{}"),
            ("fn-urlquery", "{}"),
            ("fn-println", "{}"),
            ("fn-print", r#"{"big": 1000000}"#),
            ("fn-printf", r#"{"big": 1000000, "f": 0.5}"#),
            ("go-print-builtin", r#"{"U": {"V": "v"}, "X": "x"}"#),
            ("go-print-spacing", r#"{"a": 1, "b": 2}"#),
            ("go-println-spacing", "{}"),
            ("go-printf-bad-verbs", r#"{"f": 3}"#),
            ("go-printf-floats", r#"{"f": 2.5}"#),
            ("go-printf-integers", "{}"),
            (
                "go-printf-maps-lists",
                r#"{"m": {"zeta": 1, "alpha": 2, "Mid": 3}, "words": ["ab", "cd"]}"#,
            ),
            ("go-printf-other-verbs", "{}"),
            ("go-printf-star-and-index", "{}"),
            ("go-printf-strings", "{}"),
            (
                "go-printf-v",
                r#"{"l": [1, "a", true, null, 2.5], "m": {"b": [1], "a": {"x": true}},
                    "f": 1.0, "big": 1.0e20, "small": 0.0001}"#,
            ),
            ("tpl-printf-verbs", r#"{"num": 1}"#),
            ("tpl-print-funcs", "{}"),
            (
                "tpl-print-types",
                r#"{"m": {"b": 2, "a": 1}, "l": [1, "x", true], "b": false,
                    "nested": {"k": [1, {"x": true}]}, "empty": {}}"#,
            ),
        ];
        fn to_value(j: &serde_json::Value) -> Value {
            match j {
                serde_json::Value::Null => Value::Nil,
                serde_json::Value::Bool(b) => Value::Bool(*b),
                serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap()),
                serde_json::Value::String(s) => Value::str(s),
                serde_json::Value::Array(a) => Value::list(a.iter().map(to_value).collect()),
                serde_json::Value::Object(o) => Value::Map(Map::from_entries(
                    o.iter().map(|(k, v)| (k.as_str().into(), to_value(v))),
                )),
            }
        }
        let mut funcs = FuncMap::new();
        let any = Signature::variadic(&[], Ty::Any);
        funcs.insert(
            "list",
            Func::new(any, |_, args| Ok(Value::list(args.to_vec()))),
        );
        funcs.insert(
            "dict",
            Func::new(any, |_, args| {
                let m = Map::new();
                for kv in args.chunks(2) {
                    m.insert(kv[0].to_v(), kv.get(1).cloned().unwrap_or(Value::Nil));
                }
                Ok(Value::Map(m))
            }),
        );
        for (case, values) in cases {
            let dir = format!("../shared/conformance/cases/{case}");
            let text = std::fs::read_to_string(format!("{dir}/chart/templates/t.yaml"))
                .unwrap_or_else(|e| panic!("{dir}: {e}"));
            let expected: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(format!("{dir}/expected.json")).unwrap(),
            )
            .unwrap();
            let want = expected["demo/templates/t.yaml"].as_str().unwrap();
            let data = Map::new();
            data.insert("Values", to_value(&serde_json::from_str(values).unwrap()));
            let mut t = Templates::new("demo", funcs.clone());
            t.parse("demo/templates/t.yaml", &text).unwrap();
            let got = t
                .execute("demo/templates/t.yaml", &Value::Map(data), &Env::default())
                .unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(got, want, "{case}");
        }
    }
}
