//! Execution of parsed templates (Go's exec.go).

use rand_core::RngCore;

use super::env::{Env, Timestamp};

/// The running executor as a template function sees it.
pub struct CallCtx<'a> {
    pub(crate) env: &'a Env,
}

impl CallCtx<'_> {
    /// The injected clock's current time.
    pub fn now(&self) -> Timestamp {
        self.env.clock.now()
    }
    /// Runs `f` with the injected random source.
    pub fn with_rng<R>(&mut self, f: impl FnOnce(&mut dyn RngCore) -> R) -> R {
        let mut rng = self.env.rng.borrow_mut();
        f(&mut *rng)
    }
}
