//! What the executor takes from outside: the clock, the random source and the limits.
//!
//! Nothing here reads the system: `SystemTime::now` panics on wasm32-unknown-unknown, and tests must
//! be reproducible, so the caller injects a [`Clock`] and a random source. [`Limits`] bound every
//! run so a runaway template ends with a clear error instead of a frozen tab.

use std::cell::RefCell;
use std::rc::Rc;

use rand_core::{RngCore, SeedableRng};

/// An instant with the UTC offset of the zone it is shown in (Go's `time.Time` in `time.Local`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
    /// Offset east of UTC in seconds.
    pub offset: i32,
    /// Zone abbreviation as Go prints it (`UTC`, `CET`, …).
    pub zone: Rc<str>,
}

impl Timestamp {
    pub fn utc(secs: i64, nanos: u32) -> Timestamp {
        Timestamp {
            secs,
            nanos,
            offset: 0,
            zone: Rc::from("UTC"),
        }
    }
}

/// The source of `now`.
pub trait Clock {
    fn now(&self) -> Timestamp;
}

/// A clock that always says the same instant (tests, reproducible renders).
#[derive(Clone, Debug)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0.clone()
    }
}

/// A clock read through a caller-supplied function (the browser passes `Date.now()`, the CLI
/// `SystemTime::now()`).
pub struct FnClock(pub Box<dyn Fn() -> Timestamp>);

impl Clock for FnClock {
    fn now(&self) -> Timestamp {
        (self.0)()
    }
}

/// A small, fast, seedable generator (xoshiro256**), used when the caller gives a seed.
#[derive(Clone, Debug)]
pub struct SeededRng {
    s: [u64; 4],
}

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        // splitmix64 to spread the seed over the state
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        SeededRng {
            s: [next(), next(), next(), next()],
        }
    }
}

impl RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl SeedableRng for SeededRng {
    type Seed = [u8; 8];
    fn from_seed(seed: [u8; 8]) -> Self {
        SeededRng::new(u64::from_le_bytes(seed))
    }
}

/// Bounds on one execution. Go's own limit (template depth 100000) is kept as its own field so
/// its error reads like Go's; the rest are ChartLab's guards against runaway templates.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Nested `{{template}}`/`include` calls (Go: `maxExecDepth` = 100000).
    pub max_template_depth: usize,
    /// Evaluation steps (actions, commands, loop iterations) in one top-level execution.
    pub max_steps: u64,
    /// Bytes written by one top-level execution.
    pub max_output: usize,
    /// Nested executions of any kind (`{{template}}`, `include`, `tpl`) in one top-level
    /// execution. Each level uses Rust stack, so this is what keeps a deep recursion from
    /// overflowing it: the browser (a fixed wasm stack) sets it from its stack size.
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_template_depth: 100_000,
            max_steps: 50_000_000,
            max_output: 64 << 20,
            max_nesting: 100_000,
        }
    }
}

/// Clock, randomness and limits shared by every execution of a template set.
#[derive(Clone)]
pub struct Env {
    pub clock: Rc<dyn Clock>,
    pub rng: Rc<RefCell<dyn RngCore>>,
    pub limits: Limits,
}

impl Env {
    /// A reproducible environment: fixed clock and seeded randomness.
    pub fn fixed(now: Timestamp, seed: u64) -> Env {
        Env {
            clock: Rc::new(FixedClock(now)),
            rng: Rc::new(RefCell::new(SeededRng::new(seed))),
            limits: Limits::default(),
        }
    }
}

impl Default for Env {
    /// 2024-01-01T00:00:00Z and seed 1: deterministic unless the caller injects real sources.
    fn default() -> Self {
        Env::fixed(Timestamp::utc(1_704_067_200, 0), 1)
    }
}
