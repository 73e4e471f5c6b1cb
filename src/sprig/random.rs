//! Sprig's random strings (goutils' `CryptoRandom*` via strings.go), `randInt` (math/rand's
//! `Intn`) and `uuidv4` (google/uuid's version 4), drawn from the injected random source.

use rand_core::RngCore;

use crate::engine::func::Signature;
use crate::engine::{CallCtx, FnResult, FuncMap, Ty, Value};

/// A uniform integer in `[0, n)` (n > 0), by rejection so every value is equally likely.
pub(crate) fn uniform(rng: &mut dyn RngCore, n: u64) -> u64 {
    debug_assert!(n > 0);
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % n;
        }
    }
}

/// goutils' `CryptoRandom(count, start, end, letters, numbers)` without a character set: code
/// points drawn from `[' ', 'z']` (letters/numbers) or `[start, end)`, keeping those that pass
/// the letter/digit filter. Negative counts are an error there, which Sprig turns into "".
fn crypto_random(
    ctx: &mut CallCtx<'_>,
    count: i64,
    ascii: bool,
    letters: bool,
    numbers: bool,
) -> FnResult {
    if count <= 0 {
        return Ok(Value::str(""));
    }
    super::strings::check_len(ctx, count as u128)?;
    let (start, end) = if ascii {
        (32u64, 127u64)
    } else {
        (b' ' as u64, b'z' as u64 + 1)
    };
    let gap = end - start;
    let mut out = String::with_capacity(count as usize);
    ctx.with_rng(|rng| {
        while (out.len() as i64) < count {
            let c = (uniform(rng, gap) + start) as u8 as char;
            if (letters && c.is_ascii_alphabetic())
                || (numbers && c.is_ascii_digit())
                || (!letters && !numbers)
            {
                out.push(c);
            }
        }
    });
    Ok(Value::string(out))
}

fn count_arg(a: &[Value]) -> i64 {
    match a.first() {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

fn f_rand_alpha_num(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    crypto_random(ctx, count_arg(a), false, true, true)
}

fn f_rand_alpha(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    crypto_random(ctx, count_arg(a), false, true, false)
}

fn f_rand_ascii(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    crypto_random(ctx, count_arg(a), true, false, false)
}

fn f_rand_numeric(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    crypto_random(ctx, count_arg(a), false, false, true)
}

/// `func(min, max int) int { return rand.Intn(max-min) + min }`.
fn f_rand_int(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (min, max) = match (&a[0], &a[1]) {
        (Value::Int(x), Value::Int(y)) => (*x, *y),
        _ => (0, 0),
    };
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err("invalid argument to Intn".into());
    }
    let r = ctx.with_rng(|rng| uniform(rng, n as u64)) as i64;
    Ok(Value::Int(r.wrapping_add(min)))
}

/// `uuid.New().String()`: 16 random bytes with the version (4) and variant (10) bits set.
fn f_uuidv4(ctx: &mut CallCtx<'_>, _a: &[Value]) -> FnResult {
    let mut b = [0u8; 16];
    ctx.with_rng(|rng| rng.fill_bytes(&mut b));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(Value::string(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )))
}

pub(crate) fn register(m: &mut FuncMap) {
    const INT: Signature = Signature::fixed(&[Ty::Int]);
    m.add("randAlphaNum", INT, f_rand_alpha_num);
    m.add("randAlpha", INT, f_rand_alpha);
    m.add("randAscii", INT, f_rand_ascii);
    m.add("randNumeric", INT, f_rand_numeric);
    m.add("randInt", Signature::fixed(&[Ty::Int, Ty::Int]), f_rand_int);
    m.add("uuidv4", Signature::fixed(&[]), f_uuidv4);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Env;

    fn call_env(env: &Env, name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m.get(name).expect("registered");
        CallCtx::with_env(env, |ctx| (f.imp)(ctx, args))
    }

    fn out(name: &str, args: &[Value]) -> String {
        call_env(&Env::default(), name, args).expect("ok").to_v()
    }

    #[test]
    fn shapes_match_the_cases() {
        let a = out("randAlphaNum", &[Value::Int(10)]);
        assert!(
            a.len() == 10 && a.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{a}"
        );
        assert_eq!(out("randAlphaNum", &[Value::Int(0)]), "");
        assert_eq!(out("randAlphaNum", &[Value::Int(-1)]), "");
        assert_eq!(out("randAlphaNum", &[Value::Int(40)]).len(), 40);
        let a = out("randAlpha", &[Value::Int(5)]);
        assert!(
            a.len() == 5 && a.bytes().all(|b| b.is_ascii_alphabetic()),
            "{a}"
        );
        let a = out("randNumeric", &[Value::Int(4)]);
        assert!(a.len() == 4 && a.bytes().all(|b| b.is_ascii_digit()), "{a}");
        let a = out("randAscii", &[Value::Int(64)]);
        assert!(
            a.len() == 64 && a.bytes().all(|b| (b' '..=b'~').contains(&b)),
            "{a}"
        );
        assert_eq!(out("randAscii", &[Value::Int(-5)]), "");
    }

    #[test]
    fn every_character_class_member_appears() {
        let a = out("randAlphaNum", &[Value::Int(4000)]);
        for c in ('a'..='z').chain('A'..='Z').chain('0'..='9') {
            assert!(a.contains(c), "{c}");
        }
    }

    #[test]
    fn rand_int_is_half_open() {
        let env = Env::default();
        for _ in 0..200 {
            let Value::Int(v) =
                call_env(&env, "randInt", &[Value::Int(-5), Value::Int(0)]).expect("ok")
            else {
                panic!("int");
            };
            assert!((-5..0).contains(&v));
        }
        assert_eq!(out("randInt", &[Value::Int(5), Value::Int(6)]), "5");
        assert_eq!(out("randInt", &[Value::Int(-3), Value::Int(-2)]), "-3");
        let e = call_env(&env, "randInt", &[Value::Int(5), Value::Int(5)]).err();
        assert_eq!(e.as_deref(), Some("invalid argument to Intn"));
        let e = call_env(
            &env,
            "randInt",
            &[Value::Int(i64::MIN), Value::Int(i64::MAX)],
        )
        .err();
        assert_eq!(e.as_deref(), Some("invalid argument to Intn"));
    }

    #[test]
    fn uuid_shape_and_reproducibility() {
        let u = out("uuidv4", &[]);
        let b = u.as_bytes();
        assert_eq!(u.len(), 36);
        assert_eq!(
            (b[8], b[13], b[14], b[18], b[23]),
            (b'-', b'-', b'4', b'-', b'-')
        );
        assert!(b"89ab".contains(&b[19]), "{u}");
        assert!(u
            .bytes()
            .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_eq!(u, out("uuidv4", &[]), "same seed, same value");
        let env = Env::default();
        let first = call_env(&env, "uuidv4", &[]).expect("ok").to_v();
        assert_ne!(first, call_env(&env, "uuidv4", &[]).expect("ok").to_v());
    }

    #[test]
    fn huge_counts_are_refused() {
        let e = call_env(&Env::default(), "randAlpha", &[Value::Int(1 << 40)]).expect_err("error");
        assert!(e.starts_with("ChartLab limit"), "{e}");
    }
}
