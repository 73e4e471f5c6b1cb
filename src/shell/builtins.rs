//! bash's builtins (`cd`, `pwd`, `echo`, `printf`, `export`, `unset`, `exit`, `test`/`[`,
//! `true`, `false`, `type`, `help`, `clear`), `$((…))` arithmetic, and the command lookup that
//! sends every other name to coreutils, `jq`, `git`, `kubectl` or `helm` — or prints bash's
//! `command not found`.

use super::io::Ctx;
use super::parse::is_name;
use super::{coreutils, jq, Host, Shell};

/// Every command the terminal knows, for `help`, `type` and `which`.
pub(super) const BUILTINS: &[&str] = &[
    ":", "[", "cd", "clear", "echo", "exit", "export", "false", "help", "printf", "pwd", "test",
    "true", "type", "unset",
];

pub(super) const PROGRAMS: &[&str] = &[
    "base64", "cat", "cp", "curl", "cut", "env", "git", "grep", "gunzip", "gzip", "head", "helm",
    "jq", "kubectl", "ls", "mkdir", "mv", "rm", "rmdir", "sleep", "sort", "tail", "tee", "touch",
    "tr", "tree", "uniq", "wc", "wget", "which", "zcat",
];

impl Shell {
    /// Runs one command with its expanded arguments.
    pub(super) fn run_command(&mut self, argv: &[String], ctx: &mut Ctx) -> i32 {
        let Some(name) = argv.first() else { return 0 };
        let args = &argv[1..];
        match name.as_str() {
            ":" | "true" => 0,
            "false" => 1,
            "cd" => self.cd(args, ctx),
            "pwd" => {
                ctx.out(format!("{}\n", self.fs.cwd()));
                0
            }
            "echo" => echo(args, ctx),
            "printf" => printf(args, ctx),
            "export" => self.export(args, ctx),
            "unset" => {
                for a in args {
                    if a.starts_with('-') {
                        continue;
                    }
                    self.vars.remove(a);
                }
                0
            }
            "exit" => {
                let code = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => n.rem_euclid(256) as i32,
                        Err(_) => {
                            ctx.err(format!("bash: exit: {a}: numeric argument required\n"));
                            2
                        }
                    },
                };
                self.exit_requested = Some(code);
                code
            }
            "clear" => {
                ctx.out.clear = true;
                ctx.out.clear_at = ctx.out.chunks.len();
                0
            }
            "test" => self.test(args, ctx, false),
            "[" => self.test(args, ctx, true),
            "type" => self.type_cmd(args, ctx),
            "which" => which(args, ctx),
            "help" => help(ctx),
            "env" | "printenv" => self.env_cmd(name, args, ctx),
            "kubectl" | "helm" => self.run_cli(name, args, ctx),
            "jq" => jq::main(self, args, ctx),
            "git" => coreutils::git(self, args, ctx),
            other => match coreutils::lookup(other) {
                Some(f) => f(self, args, ctx),
                None => {
                    if other.contains('/') {
                        let path = self.abs(other);
                        let msg = match self.fs.metadata(&path) {
                            Ok(m) if m.is_dir => "Is a directory".to_string(),
                            Ok(_) => "Permission denied".to_string(),
                            Err(e) => e.to_string(),
                        };
                        ctx.err(format!("bash: {other}: {msg}\n"));
                        return 126 + i32::from(self.fs.metadata(&path).is_err());
                    }
                    ctx.err(format!("bash: {other}: command not found\n"));
                    127
                }
            },
        }
    }

    /// `helm` and `kubectl`.
    fn run_cli(&mut self, name: &str, args: &[String], ctx: &mut Ctx) -> i32 {
        match name {
            "kubectl" => super::kubectl::main(self, args, ctx),
            _ => super::helm::main(self, args, ctx),
        }
    }

    fn cd(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
        if args.len() > 1 {
            return ctx.fail("bash: cd: too many arguments", 1);
        }
        let mut print = false;
        let target = match args.first().map(|s| s.as_str()) {
            None => match self.var("HOME") {
                Some(h) => h.to_string(),
                None => return ctx.fail("bash: cd: HOME not set", 1),
            },
            Some("-") => match self.var("OLDPWD") {
                Some(o) => {
                    print = true;
                    o.to_string()
                }
                None => return ctx.fail("bash: cd: OLDPWD not set", 1),
            },
            Some(p) => p.to_string(),
        };
        let abs = self.abs(&target);
        let old = self.fs.cwd();
        match self.fs.set_cwd(&abs) {
            Ok(()) => {
                self.set_var("OLDPWD", &old, true);
                self.set_var("PWD", &abs, true);
                if print {
                    ctx.out(format!("{abs}\n"));
                }
                0
            }
            Err(e) => ctx.fail(format!("bash: cd: {target}: {e}"), 1),
        }
    }

    fn export(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let mut status = 0;
        let mut unexport = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-n" => unexport = true,
                "-p" => {}
                "--" => {}
                other => names.push(other.to_string()),
            }
        }
        if names.is_empty() {
            for (k, v) in self.exported() {
                ctx.out(format!("declare -x {k}=\"{}\"\n", escape_dq(&v)));
            }
            return 0;
        }
        for a in names {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if !is_name(&name) {
                ctx.err(format!("bash: export: `{a}': not a valid identifier\n"));
                status = 1;
                continue;
            }
            if unexport {
                if let Some(v) = self.vars.get_mut(&name) {
                    v.exported = false;
                }
                continue;
            }
            match value {
                Some(v) => self.set_var(&name, &v, true),
                None => {
                    let cur = self.var(&name).unwrap_or("").to_string();
                    let existed = self.vars.contains_key(&name);
                    if existed {
                        self.set_var(&name, &cur, true);
                    } else {
                        self.vars.insert(
                            name,
                            super::Var {
                                value: String::new(),
                                exported: true,
                            },
                        );
                    }
                }
            }
        }
        status
    }

    fn env_cmd(&mut self, name: &str, args: &[String], ctx: &mut Ctx) -> i32 {
        if name == "printenv" {
            if args.is_empty() {
                for (k, v) in self.exported() {
                    ctx.out(format!("{k}={v}\n"));
                }
                return 0;
            }
            let mut status = 0;
            for a in args {
                match self.vars.get(a) {
                    Some(v) if v.exported => ctx.out(format!("{}\n", v.value)),
                    _ => status = 1,
                }
            }
            return status;
        }
        // env [NAME=VALUE]... [COMMAND [ARG]...]
        let mut extra = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i].split_once('=') {
                Some((n, v)) if !args[i].starts_with('-') => {
                    extra.push((n.to_string(), v.to_string()));
                    i += 1;
                }
                _ => break,
            }
        }
        if i < args.len() && args[i].starts_with('-') {
            return ctx.fail(
                format!(
                    "env: invalid option -- '{}'\nTry 'env --help' for more information.",
                    args[i].trim_start_matches('-')
                ),
                125,
            );
        }
        if i == args.len() {
            let mut vars: Vec<(String, String)> = self.exported();
            for (n, v) in extra {
                vars.retain(|(k, _)| *k != n);
                vars.push((n, v));
            }
            for (k, v) in vars {
                ctx.out(format!("{k}={v}\n"));
            }
            return 0;
        }
        let saved = self.vars.clone();
        for (n, v) in &extra {
            self.set_var(n, v, true);
        }
        let status = self.run_command(&args[i..], ctx);
        self.vars = saved;
        if status == 127 {
            return 127;
        }
        status
    }

    fn type_cmd(&mut self, args: &[String], ctx: &mut Ctx) -> i32 {
        let mut status = 0;
        for a in args {
            if BUILTINS.contains(&a.as_str()) {
                ctx.out(format!("{a} is a shell builtin\n"));
            } else if PROGRAMS.contains(&a.as_str()) {
                ctx.out(format!("{a} is {}\n", program_path(a)));
            } else if super::parse::is_name(a)
                && [
                    "if", "then", "else", "elif", "fi", "for", "do", "done", "while", "until",
                ]
                .contains(&a.as_str())
            {
                ctx.out(format!("{a} is a shell keyword\n"));
            } else {
                ctx.err(format!("bash: type: {a}: not found\n"));
                status = 1;
            }
        }
        status
    }

    /// `test` / `[`.
    fn test(&mut self, args: &[String], ctx: &mut Ctx, bracket: bool) -> i32 {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        if bracket {
            if args.last() != Some(&"]") {
                return ctx.fail("bash: [: missing `]'", 2);
            }
            args.pop();
        }
        let name = if bracket { "[" } else { "test" };
        match self.eval_test(&args) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(m) => ctx.fail(format!("bash: {name}: {m}"), 2),
        }
    }

    fn eval_test(&self, args: &[&str]) -> Result<bool, String> {
        // -o has the lowest precedence, then -a
        if let Some(i) = args.iter().rposition(|a| *a == "-o") {
            if i > 0 && i + 1 < args.len() {
                return Ok(self.eval_test(&args[..i])? || self.eval_test(&args[i + 1..])?);
            }
        }
        if let Some(i) = args.iter().rposition(|a| *a == "-a") {
            if i > 0 && i + 1 < args.len() {
                return Ok(self.eval_test(&args[..i])? && self.eval_test(&args[i + 1..])?);
            }
        }
        match args {
            [] => Ok(false),
            ["!", rest @ ..] => Ok(!self.eval_test(rest)?),
            ["(", inner @ .., ")"] => self.eval_test(inner),
            [s] => Ok(!s.is_empty()),
            [op, operand] => {
                let path = self.abs(operand);
                let md = self.fs.metadata(&path);
                Ok(match *op {
                    "-z" => operand.is_empty(),
                    "-n" => !operand.is_empty(),
                    "-e" | "-a" => md.is_ok(),
                    "-f" => md.as_ref().is_ok_and(|m| !m.is_dir),
                    "-d" => md.as_ref().is_ok_and(|m| m.is_dir),
                    "-s" => md.as_ref().is_ok_and(|m| m.size > 0),
                    "-r" | "-w" => md.is_ok(),
                    "-x" => md.as_ref().is_ok_and(|m| m.is_dir),
                    "-L" | "-h" => false,
                    other => return Err(format!("{other}: unary operator expected")),
                })
            }
            [a, op, b] => {
                let int = |s: &str| -> Result<i64, String> {
                    s.trim()
                        .parse::<i64>()
                        .map_err(|_| format!("{s}: integer expression expected"))
                };
                Ok(match *op {
                    "=" | "==" => a == b,
                    "!=" => a != b,
                    "<" => a < b,
                    ">" => a > b,
                    "-eq" => int(a)? == int(b)?,
                    "-ne" => int(a)? != int(b)?,
                    "-lt" => int(a)? < int(b)?,
                    "-le" => int(a)? <= int(b)?,
                    "-gt" => int(a)? > int(b)?,
                    "-ge" => int(a)? >= int(b)?,
                    other => return Err(format!("{other}: binary operator expected")),
                })
            }
            _ => Err("too many arguments".into()),
        }
    }
}

/// Where `which` says a program lives.
pub(super) fn program_path(name: &str) -> String {
    match name {
        "helm" | "kubectl" => format!("/usr/local/bin/{name}"),
        _ => format!("/usr/bin/{name}"),
    }
}

fn which(args: &[String], ctx: &mut Ctx) -> i32 {
    let mut status = 0;
    for a in args {
        if a.starts_with('-') {
            continue;
        }
        if PROGRAMS.contains(&a.as_str()) {
            ctx.out(format!("{}\n", program_path(a)));
        } else {
            status = 1;
        }
    }
    status
}

fn help(ctx: &mut Ctx) -> i32 {
    ctx.out(HELP);
    0
}

const HELP: &str =
    "ChartLab terminal: a small bash with the helm and kubectl CLIs, over a simulated
Kubernetes cluster (v1.36) and your workspace files.

  helm        create, install, upgrade, rollback, uninstall, list, history, status, get,
              template, lint, package, dependency, show, version, env
  kubectl     get, describe, delete, logs, rollout, apply, create namespace, port-forward,
              config, version, api-resources, explain
  files       ls, cat, mkdir, rm, rmdir, cp, mv, touch, tree, pwd, cd
  text        echo, printf, grep, head, tail, wc, sort, uniq, cut, tr, tee,
              base64, gunzip, gzip, zcat, jq
  shell       VAR=value, export, unset, env, $VAR, ${VAR:-default}, $(command),
              pipes |, ; && ||, > >> < 2>&1, <<EOF here-documents,
              if/then/else/fi, for/do/done, while/do/done, test/[ ], $((1 + 2))
  other       git init, clear, help, type, which, exit

Pods are simulated: they become Running and Ready, but no container really runs, so
there are no logs, `kubectl port-forward` cannot carry traffic and the network (helm repo,
OCI registries, curl) is not reachable.
";

/// bash's `echo`: `-n`, `-e`, `-E` (grouped too), then the words joined by spaces.
fn echo(args: &[String], ctx: &mut Ctx) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let text = args[i..].join(" ");
    if escapes {
        let (bytes, stop) = backslash_escapes(&text, true);
        ctx.out(bytes);
        if stop {
            return 0;
        }
    } else {
        ctx.out(text);
    }
    if newline {
        ctx.out("\n");
    }
    0
}

/// `echo -e` / `printf %b` escapes. Returns the bytes and whether `\c` stopped the output.
pub(super) fn backslash_escapes(s: &str, echo_octal: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return (out, true),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0'..=b'7' => {
                // echo: \0nnn (up to 3 digits after 0); printf %b: \0nnn or \nnn
                let mut v: u32 = 0;
                let mut n = 0;
                let mut j = i - 1;
                if echo_octal && c == b'0' {
                    j = i;
                }
                while j < b.len() && n < 3 && (b'0'..=b'7').contains(&b[j]) {
                    v = v * 8 + u32::from(b[j] - b'0');
                    j += 1;
                    n += 1;
                }
                i = j;
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while i < b.len() && n < 2 && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'u' | b'U' => {
                let max = if c == b'u' { 4 } else { 8 };
                let mut v: u32 = 0;
                let mut n = 0;
                while i < b.len() && n < max && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                match char::from_u32(v).filter(|_| n > 0) {
                    Some(ch) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    None => {
                        out.push(b'\\');
                        out.push(c);
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// bash's `printf`: the format is reused until the arguments are consumed.
fn printf(args: &[String], ctx: &mut Ctx) -> i32 {
    let args: Vec<&String> = if args.first().map(|s| s.as_str()) == Some("--") {
        args[1..].iter().collect()
    } else {
        args.iter().collect()
    };
    let Some(fmt) = args.first() else {
        return ctx.fail("printf: usage: printf [-v var] format [arguments]", 2);
    };
    let rest: Vec<&str> = args[1..].iter().map(|s| s.as_str()).collect();
    let mut status = 0;
    let mut idx = 0;
    let mut out = Vec::new();
    loop {
        let (consumed, stop) = printf_once(fmt, &rest, &mut idx, &mut out, &mut status, ctx);
        if stop || !consumed || idx >= rest.len() {
            break;
        }
    }
    ctx.out(out);
    status
}

/// One pass over the format. Returns whether an argument was consumed, and `\c`/stop.
fn printf_once(
    fmt: &str,
    args: &[&str],
    idx: &mut usize,
    out: &mut Vec<u8>,
    status: &mut i32,
    ctx: &mut Ctx,
) -> (bool, bool) {
    let f: Vec<char> = fmt.chars().collect();
    let mut consumed = false;
    let mut i = 0;
    let mut next_arg = |consumed: &mut bool| -> Option<&str> {
        let a = args.get(*idx).copied();
        if a.is_some() {
            *idx += 1;
            *consumed = true;
        }
        a
    };
    while i < f.len() {
        let c = f[i];
        if c == '\\' {
            let mut j = i + 1;
            let mut esc = String::from("\\");
            if j < f.len() {
                esc.push(f[j]);
                j += 1;
                if "01234567".contains(f[j - 1]) {
                    while j < f.len() && esc.len() < 4 && "01234567".contains(f[j]) {
                        esc.push(f[j]);
                        j += 1;
                    }
                } else if f[j - 1] == 'x' {
                    while j < f.len() && esc.len() < 4 && f[j].is_ascii_hexdigit() {
                        esc.push(f[j]);
                        j += 1;
                    }
                }
            }
            let (b, stop) = backslash_escapes(&esc, false);
            out.extend(b);
            if stop {
                return (consumed, true);
            }
            i = j;
            continue;
        }
        if c != '%' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += 1;
            continue;
        }
        i += 1;
        if i < f.len() && f[i] == '%' {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while i < f.len() && "-+ #0".contains(f[i]) {
            flags.push(f[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < f.len() && f[i].is_ascii_digit() {
            width.push(f[i]);
            i += 1;
        }
        let mut prec: Option<String> = None;
        if i < f.len() && f[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < f.len() && f[i].is_ascii_digit() {
                p.push(f[i]);
                i += 1;
            }
            prec = Some(p);
        }
        let Some(&conv) = f.get(i) else {
            out.extend_from_slice(b"%");
            break;
        };
        i += 1;
        let width: usize = width.parse().unwrap_or(0).min(4096);
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let pad = |s: String, numeric: bool| -> String {
            let len = s.chars().count();
            if len >= width {
                return s;
            }
            let fill = width - len;
            if left {
                format!("{s}{}", " ".repeat(fill))
            } else if zero && numeric {
                let (sign, digits) = if let Some(d) = s.strip_prefix('-') {
                    ("-", d.to_string())
                } else {
                    ("", s.clone())
                };
                format!("{sign}{}{digits}", "0".repeat(fill))
            } else {
                format!("{}{s}", " ".repeat(fill))
            }
        };
        match conv {
            's' | 'b' | 'q' => {
                let a = next_arg(&mut consumed).unwrap_or("");
                let mut s = match conv {
                    'b' => {
                        let (b, stop) = backslash_escapes(a, false);
                        let s = String::from_utf8_lossy(&b).into_owned();
                        if stop {
                            out.extend(pad(s, false).into_bytes());
                            return (consumed, true);
                        }
                        s
                    }
                    'q' => shell_quote(a),
                    _ => a.to_string(),
                };
                if let Some(p) = &prec {
                    let n: usize = p.parse().unwrap_or(0);
                    s = s.chars().take(n).collect();
                }
                out.extend(pad(s, false).into_bytes());
            }
            'c' => {
                let a = next_arg(&mut consumed).unwrap_or("");
                out.extend(pad(a.chars().take(1).collect(), false).into_bytes());
            }
            'd' | 'i' | 'x' | 'X' | 'o' | 'u' => {
                let a = next_arg(&mut consumed).unwrap_or("0");
                let n = match parse_printf_int(a) {
                    Some(n) => n,
                    None => {
                        ctx.err(format!("bash: printf: {a}: invalid number\n"));
                        *status = 1;
                        0
                    }
                };
                let s = match conv {
                    'x' => format!("{:x}", n),
                    'X' => format!("{:X}", n),
                    'o' => format!("{:o}", n),
                    _ => {
                        if flags.contains('+') && n >= 0 {
                            format!("+{n}")
                        } else {
                            n.to_string()
                        }
                    }
                };
                out.extend(pad(s, true).into_bytes());
            }
            'f' | 'e' | 'g' => {
                let a = next_arg(&mut consumed).unwrap_or("0");
                let x: f64 = match a.trim().parse() {
                    Ok(x) => x,
                    Err(_) => {
                        ctx.err(format!("bash: printf: {a}: invalid number\n"));
                        *status = 1;
                        0.0
                    }
                };
                let p: usize = prec.as_deref().and_then(|p| p.parse().ok()).unwrap_or(6);
                let s = match conv {
                    'e' => format!("{:.*e}", p.min(50), x),
                    _ => format!("{:.*}", p.min(50), x),
                };
                out.extend(pad(s, true).into_bytes());
            }
            other => {
                ctx.err(format!(
                    "bash: printf: `{other}': invalid format character\n"
                ));
                *status = 1;
                return (consumed, true);
            }
        }
    }
    (consumed, false)
}

fn parse_printf_int(a: &str) -> Option<i64> {
    let t = a.trim();
    if let Some(c) = t.strip_prefix('\'').or(t.strip_prefix('"')) {
        return c.chars().next().map(|ch| ch as i64).or(Some(0));
    }
    if t.is_empty() {
        return Some(0);
    }
    super::flags::parse_go_int(t).ok()
}

/// `printf %q`: bash's shell quoting.
pub(super) fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "_-./:=@,+%".contains(c) {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn escape_dq(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `$((…))`: bash's integer arithmetic (64-bit, wrapping), variables by name.
pub(super) fn arith(sh: &Shell, expr: &str) -> Result<i64, String> {
    let toks = arith_tokens(expr)?;
    let mut p = Arith {
        toks: &toks,
        pos: 0,
        sh,
        expr,
        depth: 0,
    };
    if toks.is_empty() {
        return Ok(0);
    }
    let v = p.ternary()?;
    if p.pos < toks.len() {
        return Err(format!(
            "{expr}: syntax error: invalid arithmetic operator (error token is \"{}\")",
            toks[p.pos..]
                .iter()
                .map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(s) => s.clone(),
            Tok::Op(o) => o.to_string(),
        }
    }
}

fn arith_tokens(s: &str) -> Result<Vec<Tok>, String> {
    const OPS: &[&str] = &[
        "**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+", "-", "*", "/", "%", "<", ">",
        "!", "~", "(", ")", "?", ":", "&", "|", "^",
    ];
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        if c[i].is_whitespace() {
            i += 1;
            continue;
        }
        if c[i].is_ascii_digit() {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '#') {
                i += 1;
            }
            let t: String = c[start..i].iter().collect();
            let n = super::flags::parse_go_int(&t)
                .map_err(|_| format!("{t}: value too great for base (error token is \"{t}\")"))?;
            out.push(Tok::Num(n));
            continue;
        }
        if c[i] == '_' || c[i].is_ascii_alphabetic() {
            let start = i;
            while i < c.len() && (c[i] == '_' || c[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Tok::Name(c[start..i].iter().collect()));
            continue;
        }
        let rest: String = c[i..].iter().take(2).collect();
        match OPS.iter().find(|o| rest.starts_with(**o)) {
            Some(o) => {
                out.push(Tok::Op(o));
                i += o.len();
            }
            None => {
                let tail: String = c[i..].iter().collect();
                return Err(format!(
                    "{s}: syntax error: invalid arithmetic operator (error token is \"{tail}\")"
                ));
            }
        }
    }
    Ok(out)
}

struct Arith<'a> {
    toks: &'a [Tok],
    pos: usize,
    sh: &'a Shell,
    expr: &'a str,
    depth: usize,
}

impl Arith<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let c = self.binary(0)?;
        if self.peek_op() == Some("?") {
            self.pos += 1;
            let a = self.ternary()?;
            if self.peek_op() != Some(":") {
                return Err(format!(
                    "{}: expected `:' in conditional expression",
                    self.expr
                ));
            }
            self.pos += 1;
            let b = self.ternary()?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let prec = |o: &str| -> Option<u8> {
            Some(match o {
                "||" => 1,
                "&&" => 2,
                "|" => 3,
                "^" => 4,
                "&" => 5,
                "==" | "!=" => 6,
                "<" | ">" | "<=" | ">=" => 7,
                "<<" | ">>" => 8,
                "+" | "-" => 9,
                "*" | "/" | "%" => 10,
                "**" => 11,
                _ => return None,
            })
        };
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_op() {
            let Some(p) = prec(op) else { break };
            if p < min {
                break;
            }
            self.pos += 1;
            let next_min = if op == "**" { p } else { p + 1 };
            let rhs = self.binary(next_min)?;
            lhs = match op {
                "||" => i64::from(lhs != 0 || rhs != 0),
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "|" => lhs | rhs,
                "^" => lhs ^ rhs,
                "&" => lhs & rhs,
                "==" => i64::from(lhs == rhs),
                "!=" => i64::from(lhs != rhs),
                "<" => i64::from(lhs < rhs),
                ">" => i64::from(lhs > rhs),
                "<=" => i64::from(lhs <= rhs),
                ">=" => i64::from(lhs >= rhs),
                "<<" => lhs.wrapping_shl(rhs as u32),
                ">>" => lhs.wrapping_shr(rhs as u32),
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" | "%" => {
                    if rhs == 0 {
                        return Err(format!(
                            "{}: division by 0 (error token is \"{}\")",
                            self.expr,
                            self.toks[self.pos - 1..]
                                .iter()
                                .map(|t| t.text())
                                .collect::<Vec<_>>()
                                .join("")
                        ));
                    }
                    if op == "/" {
                        lhs.wrapping_div(rhs)
                    } else {
                        lhs.wrapping_rem(rhs)
                    }
                }
                _ => {
                    if rhs < 0 {
                        return Err(format!("{}: exponent less than 0", self.expr));
                    }
                    lhs.wrapping_pow(rhs.min(u32::MAX as i64) as u32)
                }
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(format!(
                "{}: expression recursion level exceeded",
                self.expr
            ));
        }
        let r = match self.toks.get(self.pos).cloned() {
            Some(Tok::Op(o @ ("-" | "+" | "!" | "~"))) => {
                self.pos += 1;
                let v = self.unary()?;
                Ok(match o {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => i64::from(v == 0),
                    _ => !v,
                })
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.ternary()?;
                if self.peek_op() != Some(")") {
                    return Err(format!("{}: missing `)'", self.expr));
                }
                self.pos += 1;
                Ok(v)
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                let v = self.sh.var(&n).unwrap_or("").trim().to_string();
                if v.is_empty() {
                    Ok(0)
                } else {
                    arith(self.sh, &v)
                }
            }
            _ => Err(format!(
                "{}: syntax error: operand expected (error token is \"{}\")",
                self.expr,
                self.toks[self.pos.min(self.toks.len())..]
                    .iter()
                    .map(|t| t.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        };
        self.depth -= 1;
        r
    }
}

/// Where the terminal runs, in the words of an explanation.
pub(super) fn where_we_are(host: Host) -> &'static str {
    match host {
        Host::Browser => "in the browser",
        Host::Native => "in chartlab's terminal",
    }
}
