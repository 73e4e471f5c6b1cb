//! The command layer a learner types into (the `helm` and `kubectl` CLIs, and the bit of
//! `bash` and coreutils around them), shared by the native CLI (`chartlab sh`) and the
//! browser terminal.
//!
//! # Layout
//!
//! - [`parse`]: bash's grammar (quotes, `$…` expansions, pipelines, redirections, `if`/`for`/
//!   `while`), with bash's syntax errors.
//! - `exec`: expansion (parameters, command substitution, arithmetic, field splitting,
//!   globbing) and execution (pipelines as byte buffers, redirections, `&&`/`||`, `$?`).
//! - [`fs`]: the [`fs::Fs`] trait over files, the in-memory workspace [`fs::MemFs`].
//! - [`io`]: ordered stdout/stderr chunks.
//! - `builtins`, `coreutils`: `cd`, `export`, `echo`, `cat`, `ls`, `mkdir`, `rm`, `base64`,
//!   `gunzip`, `grep`, `head`, `sort`, `wc`, `tree`, `git init`, …; `jq`: jq's language.
//! - `kubectl`, `helm`: the two CLIs over [`crate::kube`], [`crate::chart`] and
//!   [`crate::release`].
//!
//! Pipes are synchronous: each stage runs to completion and its stdout bytes become the next
//! stage's stdin, so binary data (`base64 -d | gunzip`) flows unchanged.

mod builtins;
mod coreutils;
mod exec;
pub mod flags;
pub mod fs;
mod helm;
pub mod io;
mod jq;
mod kubectl;
pub mod parse;
mod tabwriter;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::Env;
use crate::kube::cluster::Cluster;
use crate::kube::time::Time;

pub use fs::{Fs, MemFs};
pub use io::{Chunk, Output, Stream};

/// One shell variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    pub exported: bool,
}

/// What running one input did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunResult {
    pub output: Output,
    /// `$?` afterwards.
    pub status: i32,
    /// `exit` ran: the session should end.
    pub exit: bool,
}

/// Where the terminal runs: decides the wording of what cannot work (network, real processes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// The browser page: files are the in-memory workspace.
    Browser,
    /// `chartlab sh` on a machine: files are the real current directory.
    Native,
}

/// A terminal session: variables, the working directory (in the [`Fs`]), the cluster.
pub struct Shell {
    pub fs: Box<dyn Fs>,
    pub cluster: Rc<RefCell<dyn Cluster>>,
    /// Clock and randomness (chart rendering, release times, AGE columns).
    pub env: Env,
    pub host: Host,
    vars: BTreeMap<String, Var>,
    status: i32,
    /// Commands run in the current input (bounded).
    steps: u64,
    exit_requested: Option<i32>,
    /// The status of the last command substitution in the current command (`X=$(false)`).
    status_probe: Option<i32>,
    /// The running command's stdout is the terminal (not a pipe, file or substitution).
    tty: bool,
}

/// Most commands (and loop iterations) one input may run.
const MAX_STEPS: u64 = 100_000;

impl Shell {
    /// Whether the session's output is a terminal (the browser's always is; the native CLI's
    /// is when stdout is one). Commands like `ls` print columns only to a terminal.
    pub fn set_terminal(&mut self, tty: bool) {
        self.tty = tty;
    }

    /// A session over `fs` and `cluster`. The variables start as a fresh login shell's
    /// (`HOME`, `PWD`, `USER`, `PATH`, `SHELL`, `TERM`); add more with [`Shell::set_var`].
    pub fn new(fs: Box<dyn Fs>, cluster: Rc<RefCell<dyn Cluster>>, env: Env, host: Host) -> Shell {
        let mut sh = Shell {
            fs,
            cluster,
            env,
            host,
            vars: BTreeMap::new(),
            status: 0,
            steps: 0,
            exit_requested: None,
            status_probe: None,
            tty: true,
        };
        let home = sh.fs.home();
        let cwd = sh.fs.cwd();
        let user = fs::base_name(&home).to_string();
        for (k, v) in [
            ("HOME", home.as_str()),
            ("PWD", cwd.as_str()),
            ("USER", user.as_str()),
            ("LOGNAME", user.as_str()),
            ("SHELL", "/bin/bash"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
        ] {
            sh.set_var(k, v, true);
        }
        sh
    }

    /// Sets a variable (`exported`: visible to `env` and to commands).
    pub fn set_var(&mut self, name: &str, value: &str, exported: bool) {
        let exported = exported || self.vars.get(name).is_some_and(|v| v.exported);
        self.vars.insert(
            name.to_string(),
            Var {
                value: value.to_string(),
                exported,
            },
        );
    }

    /// A variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// The exported variables, sorted.
    pub fn exported(&self) -> Vec<(String, String)> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    /// `$?`.
    pub fn last_status(&self) -> i32 {
        self.status
    }

    /// Sets `$?` (lesson checks that run a command of their own put the learner's back).
    pub fn set_last_status(&mut self, status: i32) {
        self.status = status;
    }

    /// Now, from the injected clock.
    pub fn now(&self) -> Time {
        Time(self.env.clock.now().secs)
    }

    /// The prompt bash would show: `student@chartlab:~/k8s-summit-2024$ `.
    pub fn prompt(&self) -> String {
        let user = self.var("USER").unwrap_or("user").to_string();
        let cwd = self.fs.cwd();
        let home = self.fs.home();
        let shown = if cwd == home {
            "~".to_string()
        } else if let Some(rest) = cwd.strip_prefix(&format!("{home}/")) {
            format!("~/{rest}")
        } else {
            cwd
        };
        format!("{user}@chartlab:{shown}$ ")
    }

    /// Whether `input` is a complete command line (a terminal asks for more with `> ` when it
    /// is not: an open quote, a trailing `|` or `&&`, an unfinished `if`).
    pub fn is_complete(input: &str) -> bool {
        !matches!(parse::parse(input), Err(e) if e.incomplete)
    }

    /// Runs one input (a line, or a whole script).
    pub fn run(&mut self, input: &str) -> RunResult {
        let mut out = Output::default();
        self.steps = 0;
        self.exit_requested = None;
        match parse::parse(input) {
            Err(e) => {
                out.err(format!("bash: {}\n", e.message));
                self.status = 2;
            }
            Ok(script) => {
                let status = self.exec_script(&script, &mut out);
                self.status = status;
            }
        }
        if out.truncated {
            out.err("chartlab: output truncated (more than 32 MiB)\n");
        }
        RunResult {
            output: out,
            status: self.status,
            exit: self.exit_requested.is_some(),
        }
    }
}

#[cfg(test)]
mod tests;
