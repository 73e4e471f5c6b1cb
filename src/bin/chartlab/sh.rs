//! `chartlab sh`: ChartLab's terminal on this machine — the same shell, `helm` and `kubectl` as
//! the browser, with the files of the real current directory and the simulated cluster kept
//! in a state file between runs (default `.chartlab/cluster.json`) — or, with `--cluster URL`, a
//! real cluster through `kubectl proxy` (connected mode: nothing is saved locally).

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use chartlab::engine::env::{FnClock, SeededRng};
use chartlab::engine::{Env, Limits, Timestamp};
use chartlab::kube::cluster::Cluster;
use chartlab::kube::http;
use chartlab::kube::sim::{ClusterState, SimCluster, SplitMix64};
use chartlab::kube::time::Time;
use chartlab::shell::fs::{DirEntry, Fs, FsError, Metadata};
use chartlab::shell::{Host, Output, Shell, Stream};

/// [`Fs`] over the real file system. Paths are absolute; the working directory is the shell's
/// own (the process never changes directory).
struct NativeFs {
    cwd: String,
    home: String,
}

fn io_err(e: std::io::Error) -> FsError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => FsError::NotFound,
        K::AlreadyExists => FsError::AlreadyExists,
        K::PermissionDenied => FsError::PermissionDenied,
        K::IsADirectory => FsError::IsADirectory,
        K::NotADirectory => FsError::NotADirectory,
        K::DirectoryNotEmpty => FsError::NotEmpty,
        K::InvalidInput => FsError::Invalid,
        _ => FsError::Other(e.to_string()),
    }
}

fn mtime(m: &std::fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Fs for NativeFs {
    fn cwd(&self) -> String {
        self.cwd.clone()
    }
    fn set_cwd(&mut self, abs: &str) -> Result<(), FsError> {
        let m = std::fs::metadata(abs).map_err(io_err)?;
        if !m.is_dir() {
            return Err(FsError::NotADirectory);
        }
        self.cwd = abs.to_string();
        Ok(())
    }
    fn home(&self) -> String {
        self.home.clone()
    }
    fn read(&self, path: &str) -> Result<Vec<u8>, FsError> {
        if Path::new(path).is_dir() {
            return Err(FsError::IsADirectory);
        }
        std::fs::read(path).map_err(io_err)
    }
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), FsError> {
        if Path::new(path).is_dir() {
            return Err(FsError::IsADirectory);
        }
        std::fs::write(path, data).map_err(io_err)
    }
    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), FsError> {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(io_err)?;
        f.write_all(data).map_err(io_err)
    }
    fn list(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(path).map_err(io_err)? {
            let e = e.map_err(io_err)?;
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false)
                || std::fs::metadata(e.path())
                    .map(|m| m.is_dir())
                    .unwrap_or(false);
            out.push(DirEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        std::fs::create_dir(path).map_err(io_err)
    }
    fn remove_file(&mut self, path: &str) -> Result<(), FsError> {
        if Path::new(path).is_dir() {
            return Err(FsError::IsADirectory);
        }
        std::fs::remove_file(path).map_err(io_err)
    }
    fn remove_dir(&mut self, path: &str) -> Result<(), FsError> {
        std::fs::remove_dir(path).map_err(io_err)
    }
    fn metadata(&self, path: &str) -> Result<Metadata, FsError> {
        let m = std::fs::metadata(path).map_err(io_err)?;
        Ok(Metadata {
            is_dir: m.is_dir(),
            size: m.len(),
            modified: mtime(&m),
        })
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        if to.starts_with(&format!("{from}/")) {
            return Err(FsError::Invalid);
        }
        std::fs::rename(from, to).map_err(io_err)
    }
    fn touch(&mut self, path: &str) -> Result<(), FsError> {
        let f = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(io_err)?;
        f.set_modified(std::time::SystemTime::now()).map_err(io_err)
    }
    fn is_virtual(&self) -> bool {
        false
    }
}

fn now_secs() -> (i64, u32) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_nanos())
}

fn usage() -> &'static str {
    "usage: chartlab sh [--state FILE | --cluster URL] [-c 'COMMANDS' | SCRIPT]\n  \
     runs ChartLab's terminal here: files are the current directory, the simulated cluster\n  \
     is kept in FILE between runs (default .chartlab/cluster.json); --cluster URL talks to a\n  \
     real cluster through `kubectl proxy` instead (e.g. http://127.0.0.1:8001)"
}

/// Writes an output's chunks to the real stdout/stderr, in order.
fn emit(out: &Output) {
    let mut so = std::io::stdout().lock();
    let mut se = std::io::stderr().lock();
    for (i, c) in out.chunks.iter().enumerate() {
        if out.clear && i == out.clear_at {
            let _ = so.write_all(b"\x1b[H\x1b[2J\x1b[3J");
        }
        match c.stream {
            Stream::Stdout => {
                let _ = so.write_all(&c.data);
                let _ = so.flush();
            }
            Stream::Stderr => {
                let _ = so.flush();
                let _ = se.write_all(&c.data);
                let _ = se.flush();
            }
        }
    }
    if out.clear && out.clear_at >= out.chunks.len() {
        let _ = so.write_all(b"\x1b[H\x1b[2J\x1b[3J");
    }
    let _ = so.flush();
}

/// The simulated cluster, saved to the state file after each command.
type Saved = Rc<RefCell<SimCluster>>;

/// `chartlab sh …`: returns the exit status.
pub fn main(args: &[String]) -> Result<i32, String> {
    let mut state_file = PathBuf::from(".chartlab/cluster.json");
    let mut command: Option<String> = None;
    let mut script: Option<PathBuf> = None;
    let mut cluster_url: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--state" => {
                i += 1;
                state_file = PathBuf::from(args.get(i).ok_or("--state needs a file")?);
            }
            "--cluster" => {
                i += 1;
                cluster_url = Some(
                    args.get(i)
                        .ok_or("--cluster needs the URL of `kubectl proxy`")?
                        .clone(),
                );
            }
            "-c" => {
                i += 1;
                command = Some(args.get(i).ok_or("-c needs a command string")?.clone());
            }
            "-h" | "--help" => {
                println!("{}", usage());
                return Ok(0);
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown flag {other}\n{}", usage()))
            }
            other => script = Some(PathBuf::from(other)),
        }
        i += 1;
    }
    let cwd = std::env::current_dir()
        .map_err(|e| format!("current directory: {e}"))?
        .to_string_lossy()
        .into_owned();
    let home = std::env::var("HOME").unwrap_or_else(|_| cwd.clone());
    // the cluster: saved state, or a fresh one
    let clock = Box::new(|| Time(now_secs().0));
    let (secs, nanos) = now_secs();
    let seed = (secs as u64).wrapping_mul(1_000_000_007)
        ^ u64::from(nanos)
        ^ u64::from(std::process::id());
    // the cluster: a live one through kubectl proxy, or the simulated one (saved state or fresh)
    let (cluster, sim): (Rc<RefCell<dyn Cluster>>, Option<Saved>) = match &cluster_url {
        Some(url) => (Rc::new(RefCell::new(http::connect(url)?)), None),
        None => {
            let sim = match std::fs::read_to_string(&state_file) {
                Ok(text) => {
                    let st = ClusterState::from_json(&text)
                        .map_err(|e| format!("{}: {e}", state_file.display()))?;
                    SimCluster::from_state(st, clock, Box::new(SplitMix64(seed)))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    SimCluster::new(clock, Box::new(SplitMix64(seed)))
                }
                Err(e) => return Err(format!("{}: {e}", state_file.display())),
            };
            let sim = Rc::new(RefCell::new(sim));
            (sim.clone(), Some(sim))
        }
    };
    let env = Env {
        clock: Rc::new(FnClock(Box::new(|| {
            let (s, n) = now_secs();
            Timestamp::utc(s, n)
        }))),
        rng: Rc::new(RefCell::new(SeededRng::new(seed ^ 0x5deece66d))),
        limits: Limits::default(),
    };
    let fs = NativeFs {
        cwd: cwd.clone(),
        home,
    };
    let mut sh = Shell::new(Box::new(fs), cluster, env, Host::Native);
    sh.set_terminal(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    for (k, v) in std::env::vars() {
        if k == "PWD" || k == "OLDPWD" || k.starts_with("BASH_FUNC_") {
            continue;
        }
        sh.set_var(&k, &v, true);
    }
    sh.set_var("PWD", &cwd, true);
    let save = |sim: &Option<Saved>| -> Result<(), String> {
        let Some(sim) = sim else {
            return Ok(());
        };
        if let Some(dir) = state_file.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
        std::fs::write(&state_file, sim.borrow().state().to_json())
            .map_err(|e| format!("{}: {e}", state_file.display()))
    };
    let text = match (command, script) {
        (Some(c), _) => Some(c),
        (None, Some(p)) => {
            Some(std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?)
        }
        (None, None) => None,
    };
    if let Some(text) = text {
        let r = sh.run(&text);
        emit(&r.output);
        save(&sim)?;
        return Ok(r.status);
    }
    // interactive: plain lines from stdin, `> ` while a command is incomplete
    let stdin = std::io::stdin();
    let mut buf = String::new();
    let mut status = 0;
    loop {
        let prompt = if buf.is_empty() {
            sh.prompt()
        } else {
            "> ".to_string()
        };
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) => {
                if !buf.is_empty() {
                    let r = sh.run(&buf);
                    emit(&r.output);
                    status = r.status;
                }
                eprintln!("exit");
                break;
            }
            Ok(_) => {}
            Err(e) => return Err(format!("stdin: {e}")),
        }
        buf.push_str(&line);
        if !Shell::is_complete(&buf) {
            continue;
        }
        let r = sh.run(&buf);
        buf.clear();
        emit(&r.output);
        status = r.status;
        save(&sim)?;
        if r.exit {
            break;
        }
    }
    save(&sim)?;
    Ok(status)
}
