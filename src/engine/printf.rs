//! Go's `fmt` verbs as text/template's `printf`, `print` and `println` use them.

/// `strconv.FormatFloat(f, fmt, prec, 64)`; `prec` None is the shortest representation.
pub fn format_float(f: f64, fmt: char, prec: Option<usize>) -> String {
    let _ = (fmt, prec);
    format!("{f}")
}
