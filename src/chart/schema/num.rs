//! Exact decimal numbers for JSON Schema's numeric keywords (jsonschema compares `big.Rat`s made
//! from each number's `%v` text), and the way golang.org/x/text/message prints numbers in its
//! error messages (`12,345.5`, `1.234567891×10⁰⁶`, `∞`).

use std::cmp::Ordering;

/// A finite decimal `digits × 10^exp` (digits without leading or trailing zeros; zero has no
/// digits), or an infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Num {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
    inf: bool,
}

impl Num {
    /// A JSON number's text (`-1.50e3`); None if it is not one.
    pub fn parse(s: &str) -> Option<Num> {
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (mant, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = match mant.split_once('.') {
            Some((a, b)) => (a, b),
            None => (mant, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut e = exp.checked_sub(frac.len() as i64)?;
        while digits.first() == Some(&0) {
            digits.remove(0);
        }
        while digits.last() == Some(&0) {
            digits.pop();
            e += 1;
        }
        if digits.is_empty() {
            e = 0;
        }
        Some(Num {
            neg: neg && !digits.is_empty(),
            digits,
            exp: e,
            inf: false,
        })
    }

    /// A float64 as Go prints it with `%v` (shortest digits), then read back exactly.
    pub fn from_f64(f: f64) -> Num {
        if f.is_infinite() {
            return Num {
                neg: f < 0.0,
                digits: vec![1],
                exp: 0,
                inf: true,
            };
        }
        if f.is_nan() {
            return Num::parse("0").unwrap_or(Num {
                neg: false,
                digits: Vec::new(),
                exp: 0,
                inf: false,
            });
        }
        let s = format!("{f:e}");
        Num::parse(&s).unwrap_or_else(|| Num::from_i128(0))
    }

    pub fn from_i128(i: i128) -> Num {
        Num::parse(&i.to_string()).unwrap_or(Num {
            neg: false,
            digits: Vec::new(),
            exp: 0,
            inf: false,
        })
    }

    /// Whether the number is an integer (big.Rat.IsInt).
    pub fn is_integer(&self) -> bool {
        !self.inf && (self.digits.is_empty() || self.exp >= 0)
    }

    /// The nearest float64 (big.Rat.Float64).
    pub fn to_f64(&self) -> f64 {
        if self.inf {
            return if self.neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        if self.digits.is_empty() {
            return 0.0;
        }
        let digits: String = self.digits.iter().map(|d| (b'0' + d) as char).collect();
        let s = format!("{}{}e{}", if self.neg { "-" } else { "" }, digits, self.exp);
        s.parse::<f64>().unwrap_or(0.0)
    }

    fn cmp_abs(&self, o: &Num) -> Ordering {
        match (self.inf, o.inf) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            _ => {}
        }
        match (self.digits.is_empty(), o.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        // Position of the leading digit.
        let ma = self.digits.len() as i64 + self.exp;
        let mb = o.digits.len() as i64 + o.exp;
        if ma != mb {
            return ma.cmp(&mb);
        }
        let n = self.digits.len().max(o.digits.len());
        for i in 0..n {
            let a = self.digits.get(i).copied().unwrap_or(0);
            let b = o.digits.get(i).copied().unwrap_or(0);
            if a != b {
                return a.cmp(&b);
            }
        }
        Ordering::Equal
    }

    /// Whether `self / divisor` is an integer (big.Rat.Quo(…).IsInt()); a zero divisor never is.
    pub fn is_multiple_of(&self, divisor: &Num) -> bool {
        if self.inf || divisor.inf || divisor.digits.is_empty() {
            return false;
        }
        if self.digits.is_empty() {
            return true;
        }
        // self = a×10^ea, divisor = b×10^eb with a, b free of trailing zeros.
        if self.exp < divisor.exp {
            // a would need the factor 10^(eb-ea), but a does not end in 0.
            return false;
        }
        let Some(b) = digits_u128(&divisor.digits) else {
            return (self.to_f64() / divisor.to_f64()).fract() == 0.0;
        };
        if b > 10u128.pow(36) {
            return (self.to_f64() / divisor.to_f64()).fract() == 0.0;
        }
        let mut r: u128 = 0;
        for &d in &self.digits {
            r = (r * 10 + u128::from(d)) % b;
        }
        let zeros = self.exp - divisor.exp;
        if zeros > 100_000 {
            return (self.to_f64() / divisor.to_f64()).fract() == 0.0;
        }
        for _ in 0..zeros {
            r = (r * 10) % b;
        }
        r == 0
    }
}

fn digits_u128(d: &[u8]) -> Option<u128> {
    if d.len() > 38 {
        return None;
    }
    let mut v: u128 = 0;
    for &x in d {
        v = v.checked_mul(10)?.checked_add(u128::from(x))?;
    }
    Some(v)
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, o: &Num) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(o),
            (true, true) => o.cmp_abs(self),
        }
    }
}

/// Digits grouped by thousands with commas (`1234567` → `1,234,567`).
fn group(int: &str) -> String {
    let mut out = String::new();
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An int as x/text/message prints `%d` in English (`1,234`).
pub fn display_int(i: i64) -> String {
    let s = i.unsigned_abs().to_string();
    if i < 0 {
        format!("-{}", group(&s))
    } else {
        group(&s)
    }
}

fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut out = String::new();
    if n < 0 {
        out.push('⁻');
    }
    let s = format!("{:02}", n.unsigned_abs());
    for b in s.bytes() {
        out.push(DIGITS[(b - b'0') as usize]);
    }
    out
}

/// A float64 as x/text/message prints `%v` in English: shortest digits, grouped thousands, and
/// `d.ddd×10ⁿⁿ` when the exponent is below -4 or at least 6.
pub fn display_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "∞" } else { "-∞" }.into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        return format!("{sign}{m}×10{}", superscript(exp));
    }
    if exp < 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        let int = format!("{digits}{}", "0".repeat(int_len - digits.len()));
        format!("{sign}{}", group(&int))
    } else {
        format!("{sign}{}.{}", group(&digits[..int_len]), &digits[int_len..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap()
    }

    #[test]
    fn exact_comparisons() {
        assert!(n("0.1") < n("0.10000000000000001"));
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("1e2"), n("100"));
        assert!(n("-5") < n("0"));
        assert!(Num::from_f64(0.3) == n("0.3"));
        assert!(n("0.35").is_multiple_of(&n("0.05")));
        assert!(!n("0.35").is_multiple_of(&n("0.1")));
        assert!(n("1e21").is_multiple_of(&n("7e3")) == (1e21_f64 % 7000.0 == 0.0));
        assert!(n("10").is_multiple_of(&n("2.5")));
        assert!(n("2").is_integer() && !n("2.5").is_integer() && n("2.0").is_integer());
    }

    #[test]
    fn printed_like_x_text_message() {
        // Texts seen in Helm's schema errors.
        assert_eq!(display_float(12345.5), "12,345.5");
        assert_eq!(display_float(1000.0), "1,000");
        assert_eq!(display_float(1234567.891), "1.234567891×10⁰⁶");
        assert_eq!(display_float(0.000012345), "1.2345×10⁻⁰⁵");
        assert_eq!(display_float(-1e30), "-1×10³⁰");
        assert_eq!(display_float(1e21), "1×10²¹");
        assert_eq!(display_float(123456789012.0), "1.23456789012×10¹¹");
        assert_eq!(display_float(-1.25), "-1.25");
        assert_eq!(display_float(123456.0), "123,456");
        assert_eq!(display_float(999999.5), "999,999.5");
        assert_eq!(display_float(0.0001), "0.0001");
        assert_eq!(display_float(f64::INFINITY), "∞");
        assert_eq!(display_int(1234), "1,234");
        assert_eq!(display_int(20), "20");
    }
}
