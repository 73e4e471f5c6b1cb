//! `helm`.
use super::io::Ctx;
use super::Shell;
pub(super) fn main(_sh: &mut Shell, _args: &[String], ctx: &mut Ctx) -> i32 {
    ctx.fail("helm: not yet", 1)
}
