//! The GNU coreutils (9.1) a workshop uses, over the [`super::fs::Fs`] workspace: `cat`,
//! `ls`, `mkdir`, `rm`, `rmdir`, `cp`, `mv`, `touch`, `head`, `tail`, `wc`, `sort`, `uniq`,
//! `cut`, `tr`, `tee`, `base64`, `sleep`; GNU `grep` and `gzip`/`gunzip`/`zcat`; `tree`; `git
//! init`; and honest answers for `curl`/`wget`. Options parse as `getopt_long` does and errors
//! carry the tools' own words and exit codes.

use crate::engine::sort::SliceSort;
use std::io::{Read, Write};

use base64::Engine;

use super::fs::{self, FsError};
use super::io::Ctx;
use super::Shell;

pub(super) type Cmd = fn(&mut Shell, &[String], &mut Ctx) -> i32;

/// The command implementing `name`, if it is one of these tools.
pub(super) fn lookup(name: &str) -> Option<Cmd> {
    Some(match name {
        "cat" => cat,
        "ls" => ls,
        "mkdir" => mkdir,
        "rm" => rm,
        "rmdir" => rmdir,
        "cp" => cp,
        "mv" => mv,
        "touch" => touch,
        "head" => head,
        "tail" => tail,
        "wc" => wc,
        "sort" => sort,
        "uniq" => uniq,
        "cut" => cut,
        "tr" => tr,
        "tee" => tee,
        "base64" => base64_cmd,
        "grep" => grep,
        "gzip" => gzip,
        "gunzip" => gunzip,
        "zcat" => zcat,
        "tree" => tree,
        "sleep" => sleep,
        "curl" | "wget" => network,
        _ => return None,
    })
}

/// GNU's quoting of file names in messages (shell-escape style): `'x'`, or `"x'y"`.
pub(super) fn q(name: &str) -> String {
    if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

/// One parsed option.
struct Opt {
    c: char,
    arg: Option<String>,
}

/// `getopt_long` with GNU permutation. `short`: letters, `:` after one that takes an
/// argument. `long`: (name, takes argument, the short letter it means).
fn getopt(
    cmd: &str,
    args: &[String],
    short: &str,
    long: &[(&str, bool, char)],
    ctx: &mut Ctx,
    usage_code: i32,
) -> Result<(Vec<Opt>, Vec<String>), i32> {
    let takes = |c: char| -> Option<bool> {
        let i = short.find(c)?;
        Some(short[i + c.len_utf8()..].starts_with(':'))
    };
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let fail = |ctx: &mut Ctx, msg: String| -> i32 {
        ctx.err(format!(
            "{cmd}: {msg}\nTry '{cmd} --help' for more information.\n"
        ));
        usage_code
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let cands: Vec<&(&str, bool, char)> =
                long.iter().filter(|l| l.0.starts_with(name)).collect();
            let exact = long.iter().find(|l| l.0 == name);
            let Some(&(lname, has_arg, c)) = exact.or(if cands.len() == 1 {
                Some(cands[0])
            } else {
                None
            }) else {
                if cands.len() > 1 {
                    return Err(fail(ctx, format!("option '{a}' is ambiguous")));
                }
                return Err(fail(ctx, format!("unrecognized option '{a}'")));
            };
            let arg = if has_arg {
                match inline {
                    Some(v) => Some(v),
                    None if i < args.len() => {
                        i += 1;
                        Some(args[i - 1].clone())
                    }
                    None => {
                        return Err(fail(
                            ctx,
                            format!("option '--{lname}' requires an argument"),
                        ))
                    }
                }
            } else {
                if inline.is_some() {
                    return Err(fail(
                        ctx,
                        format!("option '--{lname}' doesn't allow an argument"),
                    ));
                }
                None
            };
            opts.push(Opt { c, arg });
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                match takes(c) {
                    None => return Err(fail(ctx, format!("invalid option -- '{c}'"))),
                    Some(false) => {
                        opts.push(Opt { c, arg: None });
                        j += 1;
                    }
                    Some(true) => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let arg = if !rest.is_empty() {
                            rest
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            return Err(fail(ctx, format!("option requires an argument -- '{c}'")));
                        };
                        opts.push(Opt { c, arg: Some(arg) });
                        break;
                    }
                }
            }
            continue;
        }
        operands.push(a.clone());
    }
    Ok((opts, operands))
}

fn has(opts: &[Opt], c: char) -> bool {
    opts.iter().any(|o| o.c == c)
}

fn last_arg(opts: &[Opt], c: char) -> Option<&str> {
    opts.iter()
        .rev()
        .find(|o| o.c == c)
        .and_then(|o| o.arg.as_deref())
}

/// Reads an operand (`-` is stdin).
fn read_input(sh: &Shell, name: &str, ctx: &Ctx) -> Result<Vec<u8>, FsError> {
    if name == "-" {
        return Ok(ctx.stdin.to_vec());
    }
    sh.fs.read(&sh.abs(name))
}

/// The inputs of a filter: its file operands, or stdin. Errors are reported as
/// `cmd: name: error` and skipped.
fn inputs(sh: &Shell, cmd: &str, files: &[String], ctx: &mut Ctx) -> (Vec<(String, Vec<u8>)>, i32) {
    if files.is_empty() {
        return (vec![("-".into(), ctx.stdin.to_vec())], 0);
    }
    let mut out = Vec::new();
    let mut status = 0;
    for f in files {
        match read_input(sh, f, ctx) {
            Ok(d) => out.push((f.clone(), d)),
            Err(e) => {
                ctx.err(format!("{cmd}: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    (out, status)
}

/// Splits into lines keeping track of a final line without newline.
fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    if data.ends_with(b"\n") || data.is_empty() {
        v.pop();
    }
    v
}

fn cat(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "cat",
        args,
        "nbAEsTuv",
        &[
            ("number", false, 'n'),
            ("number-nonblank", false, 'b'),
            ("show-all", false, 'A'),
            ("show-ends", false, 'E'),
            ("squeeze-blank", false, 's'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let number = has(&opts, 'n') || has(&opts, 'b');
    let nonblank = has(&opts, 'b');
    let ends = has(&opts, 'E') || has(&opts, 'A');
    let mut status = 0;
    let mut n = 0u64;
    for f in &files {
        let path = sh.abs(f);
        if f != "-" {
            if let Ok(m) = sh.fs.metadata(&path) {
                if m.is_dir {
                    ctx.err(format!("cat: {f}: Is a directory\n"));
                    status = 1;
                    continue;
                }
            }
        }
        match read_input(sh, f, ctx) {
            Ok(data) => {
                if !number && !ends {
                    ctx.out(data);
                    continue;
                }
                let mut out = Vec::new();
                for (i, line) in data.split_inclusive(|b| *b == b'\n').enumerate() {
                    let _ = i;
                    let body = line.strip_suffix(b"\n").unwrap_or(line);
                    let blank = body.is_empty();
                    if number && !(nonblank && blank) {
                        n += 1;
                        out.extend(format!("{n:>6}\t").into_bytes());
                    }
                    out.extend_from_slice(body);
                    if line.ends_with(b"\n") {
                        if ends {
                            out.push(b'$');
                        }
                        out.push(b'\n');
                    }
                }
                ctx.out(out);
            }
            Err(e) => {
                ctx.err(format!("cat: {f}: {e}\n"));
                status = 1;
            }
        }
    }
    status
}

/// `Nov 24 08:53` (or `Nov 24  2025` when older than six months or in the future), as ls -l.
fn ls_time(t: i64, now: i64) -> String {
    let s = crate::kube::time::Time(t).rfc3339();
    let (y, mo, d, hm) = (&s[0..4], &s[5..7], &s[8..10], &s[11..16]);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    let day: u32 = d.parse().unwrap_or(1);
    let six_months = 31_556_952 / 2;
    if now - t > six_months || t > now + 60 {
        format!("{month} {day:>2}  {y}")
    } else {
        format!("{month} {day:>2} {hm}")
    }
}

fn ls(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, mut operands)) = getopt(
        "ls",
        args,
        "laA1RhdF",
        &[
            ("all", false, 'a'),
            ("almost-all", false, 'A'),
            ("recursive", false, 'R'),
            ("human-readable", false, 'h'),
            ("directory", false, 'd'),
            ("classify", false, 'F'),
        ],
        ctx,
        2,
    ) else {
        return 2;
    };
    let long = has(&opts, 'l');
    let all = has(&opts, 'a');
    let almost = has(&opts, 'A');
    let one = has(&opts, '1') || !sh.tty;
    let recursive = has(&opts, 'R');
    let human = has(&opts, 'h');
    let dir_only = has(&opts, 'd');
    let classify = has(&opts, 'F');
    if operands.is_empty() {
        operands.push(".".into());
    }
    let user = sh.var("USER").unwrap_or("user").to_string();
    let now = sh.now().0;
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for o in &operands {
        let path = sh.abs(o);
        match sh.fs.metadata(&path) {
            Ok(m) if m.is_dir && !dir_only => dirs.push((o.clone(), path)),
            Ok(m) => files.push((o.clone(), path, m)),
            Err(e) => {
                ctx.err(format!("ls: cannot access {}: {e}\n", q(o)));
                status = 2;
            }
        }
    }
    files.sort_stable_by(|a, b| a.0.cmp(&b.0));
    dirs.sort_stable_by(|a, b| a.0.cmp(&b.0));
    let fmt_entries = |sh: &Shell, entries: &[(String, fs::Metadata)]| -> String {
        let mut out = String::new();
        let name_of = |n: &str, m: &fs::Metadata| {
            if classify && m.is_dir {
                format!("{n}/")
            } else {
                n.to_string()
            }
        };
        if long {
            let size_of = |m: &fs::Metadata| {
                if human {
                    human_size(m.size)
                } else {
                    m.size.to_string()
                }
            };
            let sw = entries
                .iter()
                .map(|(_, m)| size_of(m).len())
                .max()
                .unwrap_or(1);
            for (n, m) in entries {
                let _ = sh;
                out.push_str(&format!(
                    "{} {} {user} {user} {:>sw$} {} {}\n",
                    if m.is_dir { "drwxr-xr-x" } else { "-rw-r--r--" },
                    if m.is_dir { 2 } else { 1 },
                    size_of(m),
                    ls_time(m.modified, now),
                    name_of(n, m),
                ));
            }
        } else if one {
            for (n, m) in entries {
                out.push_str(&name_of(n, m));
                out.push('\n');
            }
        } else {
            let names: Vec<String> = entries.iter().map(|(n, m)| name_of(n, m)).collect();
            out.push_str(&columns(&names, 80));
        }
        out
    };
    let file_entries: Vec<(String, fs::Metadata)> = files
        .iter()
        .map(|(n, _, m)| (n.clone(), m.clone()))
        .collect();
    let mut first = true;
    if !file_entries.is_empty() {
        ctx.out(fmt_entries(sh, &file_entries));
        first = false;
    }
    let show_headers = operands.len() > 1 || recursive;
    let mut queue: Vec<(String, String)> = dirs;
    let mut visited = 0;
    while let Some((shown, abs)) = if queue.is_empty() {
        None
    } else {
        Some(queue.remove(0))
    } {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        let entries = match sh.fs.list(&abs) {
            Ok(e) => e,
            Err(e) => {
                ctx.err(format!("ls: cannot open directory {}: {e}\n", q(&shown)));
                status = 2;
                continue;
            }
        };
        let mut items: Vec<(String, fs::Metadata)> = Vec::new();
        if all {
            for d in [".", ".."] {
                let p = if d == "." {
                    abs.clone()
                } else {
                    fs::parent(&abs).to_string()
                };
                if let Ok(m) = sh.fs.metadata(&p) {
                    items.push((d.to_string(), m));
                }
            }
        }
        let mut subdirs = Vec::new();
        for e in &entries {
            if e.name.starts_with('.') && !all && !almost {
                continue;
            }
            let p = fs::join(&abs, &e.name);
            if let Ok(m) = sh.fs.metadata(&p) {
                if recursive && m.is_dir {
                    let s = if shown.ends_with('/') {
                        format!("{shown}{}", e.name)
                    } else {
                        format!("{shown}/{}", e.name)
                    };
                    subdirs.push((s, p.clone()));
                }
                items.push((e.name.clone(), m));
            }
        }
        items.sort_stable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::new();
        if show_headers {
            if !first {
                text.push('\n');
            }
            text.push_str(&format!("{shown}:\n"));
        }
        first = false;
        if long {
            let blocks: u64 = items
                .iter()
                .map(|(_, m)| {
                    if m.is_dir {
                        4
                    } else {
                        m.size.div_ceil(4096) * 4
                    }
                })
                .sum();
            text.push_str(&format!("total {blocks}\n"));
        }
        text.push_str(&fmt_entries(sh, &items));
        ctx.out(text);
        let mut rest = subdirs;
        rest.append(&mut queue);
        queue = rest;
    }
    status
}

fn human_size(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ["K", "M", "G", "T"];
    let mut v = n as f64;
    for u in units {
        v /= 1024.0;
        if v < 1024.0 {
            return if v < 10.0 {
                format!("{:.1}{u}", (v * 10.0).ceil() / 10.0)
            } else {
                format!("{}{u}", v.ceil() as u64)
            };
        }
    }
    format!("{}P", (v / 1024.0).ceil() as u64)
}

/// GNU ls's `-C` layout: names in columns, filled top to bottom, as many columns as fit.
fn columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let lens: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let n = names.len();
    let mut best_cols = 1;
    for cols in (1..=n).rev() {
        let rows = n.div_ceil(cols);
        let real_cols = n.div_ceil(rows);
        let mut total = 0;
        for c in 0..real_cols {
            let w = (c * rows..((c + 1) * rows).min(n))
                .map(|i| lens[i])
                .max()
                .unwrap_or(0);
            total += w + if c + 1 < real_cols { 2 } else { 0 };
        }
        if total < width {
            best_cols = real_cols;
            break;
        }
    }
    let rows = n.div_ceil(best_cols);
    let widths: Vec<usize> = (0..best_cols)
        .map(|c| {
            (c * rows..((c + 1) * rows).min(n))
                .map(|i| lens[i])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for (c, w) in widths.iter().enumerate() {
            let i = c * rows + r;
            if i >= n {
                break;
            }
            line.push_str(&names[i]);
            let last = c + 1 == best_cols || (c + 1) * rows + r >= n;
            if !last {
                line.push_str(&" ".repeat(w - lens[i] + 2));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn mkdir(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, dirs)) = getopt(
        "mkdir",
        args,
        "pvm:",
        &[
            ("parents", false, 'p'),
            ("verbose", false, 'v'),
            ("mode", true, 'm'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    if dirs.is_empty() {
        ctx.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
        return 1;
    }
    let parents = has(&opts, 'p');
    let verbose = has(&opts, 'v');
    let mut status = 0;
    for d in &dirs {
        let abs = sh.abs(d);
        if parents {
            let mut cur = String::new();
            for part in abs.split('/').filter(|s| !s.is_empty()) {
                cur.push('/');
                cur.push_str(part);
                match sh.fs.metadata(&cur) {
                    Ok(m) if m.is_dir => continue,
                    Ok(_) => {
                        ctx.err(format!(
                            "mkdir: cannot create directory ‘{d}’: Not a directory\n"
                        ));
                        status = 1;
                        break;
                    }
                    Err(_) => match sh.fs.mkdir(&cur) {
                        Ok(()) => {
                            if verbose {
                                ctx.out(format!("mkdir: created directory '{cur}'\n"));
                            }
                        }
                        Err(e) => {
                            ctx.err(format!("mkdir: cannot create directory ‘{d}’: {e}\n"));
                            status = 1;
                            break;
                        }
                    },
                }
            }
            continue;
        }
        match sh.fs.mkdir(&abs) {
            Ok(()) => {
                if verbose {
                    ctx.out(format!("mkdir: created directory {}\n", q(d)));
                }
            }
            Err(e) => {
                ctx.err(format!("mkdir: cannot create directory ‘{d}’: {e}\n"));
                status = 1;
            }
        }
    }
    status
}

/// Removes a directory tree (deepest first). Bounded.
fn remove_tree(sh: &mut Shell, abs: &str) -> Result<(), FsError> {
    let mut stack = vec![(abs.to_string(), false)];
    let mut steps = 0;
    while let Some((p, visited)) = stack.pop() {
        steps += 1;
        if steps > 200_000 {
            return Err(FsError::Other("too many files".into()));
        }
        let m = sh.fs.metadata(&p)?;
        if !m.is_dir {
            sh.fs.remove_file(&p)?;
            continue;
        }
        if visited {
            sh.fs.remove_dir(&p)?;
            continue;
        }
        stack.push((p.clone(), true));
        for e in sh.fs.list(&p)? {
            stack.push((fs::join(&p, &e.name), false));
        }
    }
    Ok(())
}

fn rm(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "rm",
        args,
        "rRfvid",
        &[
            ("recursive", false, 'r'),
            ("force", false, 'f'),
            ("verbose", false, 'v'),
            ("dir", false, 'd'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let recursive = has(&opts, 'r') || has(&opts, 'R');
    let force = has(&opts, 'f');
    let verbose = has(&opts, 'v');
    if files.is_empty() {
        if force {
            return 0;
        }
        ctx.err("rm: missing operand\nTry 'rm --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for f in &files {
        let abs = sh.abs(f);
        let base = fs::base_name(f);
        if base == "." || base == ".." || abs == "/" {
            if abs == "/" {
                ctx.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
            } else {
                ctx.err(format!(
                    "rm: refusing to remove '.' or '..' directory: skipping {}\n",
                    q(f)
                ));
            }
            status = 1;
            continue;
        }
        match sh.fs.metadata(&abs) {
            Err(e) => {
                if !force {
                    ctx.err(format!("rm: cannot remove {}: {e}\n", q(f)));
                    status = 1;
                }
            }
            Ok(m) if m.is_dir => {
                if !recursive {
                    if has(&opts, 'd') {
                        if let Err(e) = sh.fs.remove_dir(&abs) {
                            ctx.err(format!("rm: cannot remove {}: {e}\n", q(f)));
                            status = 1;
                        }
                        continue;
                    }
                    ctx.err(format!("rm: cannot remove {}: Is a directory\n", q(f)));
                    status = 1;
                    continue;
                }
                if let Err(e) = remove_tree(sh, &abs) {
                    ctx.err(format!("rm: cannot remove {}: {e}\n", q(f)));
                    status = 1;
                } else if verbose {
                    ctx.out(format!("removed directory {}\n", q(f)));
                }
            }
            Ok(_) => match sh.fs.remove_file(&abs) {
                Ok(()) => {
                    if verbose {
                        ctx.out(format!("removed {}\n", q(f)));
                    }
                }
                Err(e) => {
                    ctx.err(format!("rm: cannot remove {}: {e}\n", q(f)));
                    status = 1;
                }
            },
        }
    }
    status
}

fn rmdir(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, dirs)) = getopt("rmdir", args, "pv", &[("parents", false, 'p')], ctx, 1) else {
        return 1;
    };
    if dirs.is_empty() {
        ctx.err("rmdir: missing operand\nTry 'rmdir --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for d in &dirs {
        let abs = sh.abs(d);
        if let Err(e) = sh.fs.remove_dir(&abs) {
            ctx.err(format!("rmdir: failed to remove {}: {e}\n", q(d)));
            status = 1;
            continue;
        }
        if has(&opts, 'p') {
            let mut p = fs::parent(&abs).to_string();
            let mut shown = d.trim_end_matches('/').to_string();
            while let Some((head, _)) = shown.rsplit_once('/') {
                if head.is_empty() {
                    break;
                }
                if sh.fs.remove_dir(&p).is_err() {
                    break;
                }
                shown = head.to_string();
                p = fs::parent(&p).to_string();
            }
        }
    }
    status
}

/// Copies a file or (with `recursive`) a tree from `src` to `dst` (absolute paths).
fn copy_tree(sh: &mut Shell, src: &str, dst: &str) -> Result<(), FsError> {
    let m = sh.fs.metadata(src)?;
    if !m.is_dir {
        let data = sh.fs.read(src)?;
        return sh.fs.write(dst, &data);
    }
    if dst == src || dst.starts_with(&format!("{src}/")) {
        return Err(FsError::Invalid);
    }
    match sh.fs.metadata(dst) {
        Ok(d) if d.is_dir => {}
        Ok(_) => return Err(FsError::NotADirectory),
        Err(_) => sh.fs.mkdir(dst)?,
    }
    let files = fs::walk_files(sh.fs.as_ref(), src, 100_000)?;
    // directories first (empty ones too)
    let mut stack = vec![src.to_string()];
    while let Some(d) = stack.pop() {
        for e in sh.fs.list(&d)? {
            if e.is_dir {
                let s = fs::join(&d, &e.name);
                let t = format!("{dst}{}", &s[src.len()..]);
                if sh.fs.metadata(&t).is_err() {
                    sh.fs.mkdir(&t)?;
                }
                stack.push(s);
            }
        }
    }
    for f in files {
        let data = sh.fs.read(&fs::join(src, &f))?;
        sh.fs.write(&fs::join(dst, &f), &data)?;
    }
    Ok(())
}

/// The destination of `cp`/`mv` for one source: into a directory, or the name itself.
fn dest_for(sh: &Shell, src: &str, dst: &str, many: bool) -> Result<String, String> {
    let dabs = sh.abs(dst);
    match sh.fs.metadata(&dabs) {
        Ok(m) if m.is_dir => Ok(fs::join(&dabs, fs::base_name(src))),
        _ if many => Err(format!("target {}: Not a directory", q(dst))),
        _ => Ok(dabs),
    }
}

fn cp(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, mut ops)) = getopt(
        "cp",
        args,
        "rRvfa",
        &[
            ("recursive", false, 'r'),
            ("verbose", false, 'v'),
            ("force", false, 'f'),
            ("archive", false, 'a'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let recursive = has(&opts, 'r') || has(&opts, 'R') || has(&opts, 'a');
    if ops.len() < 2 {
        if ops.is_empty() {
            ctx.err("cp: missing file operand\nTry 'cp --help' for more information.\n");
        } else {
            ctx.err(format!(
                "cp: missing destination file operand after {}\nTry 'cp --help' for more information.\n",
                q(&ops[0])
            ));
        }
        return 1;
    }
    let dst = ops.pop().unwrap_or_default();
    let many = ops.len() > 1;
    let mut status = 0;
    for s in &ops {
        let sabs = sh.abs(s);
        let m = match sh.fs.metadata(&sabs) {
            Ok(m) => m,
            Err(e) => {
                ctx.err(format!("cp: cannot stat {}: {e}\n", q(s)));
                status = 1;
                continue;
            }
        };
        if m.is_dir && !recursive {
            ctx.err(format!(
                "cp: -r not specified; omitting directory {}\n",
                q(s)
            ));
            status = 1;
            continue;
        }
        let target = match dest_for(sh, s, &dst, many) {
            Ok(t) => t,
            Err(msg) => {
                ctx.err(format!("cp: {msg}\n"));
                return 1;
            }
        };
        if target == sabs {
            ctx.err(format!("cp: {} and {} are the same file\n", q(s), q(&dst)));
            status = 1;
            continue;
        }
        if let Err(e) = copy_tree(sh, &sabs, &target) {
            let msg = if e == FsError::Invalid {
                format!(
                    "cp: cannot copy a directory, {}, into itself, {}\n",
                    q(s),
                    q(&dst)
                )
            } else {
                format!("cp: cannot create regular file {}: {e}\n", q(&dst))
            };
            ctx.err(msg);
            status = 1;
        } else if has(&opts, 'v') {
            ctx.out(format!("{} -> {}\n", q(s), q(&dst)));
        }
    }
    status
}

fn mv(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, mut ops)) = getopt(
        "mv",
        args,
        "vfn",
        &[("verbose", false, 'v'), ("force", false, 'f')],
        ctx,
        1,
    ) else {
        return 1;
    };
    if ops.len() < 2 {
        if ops.is_empty() {
            ctx.err("mv: missing file operand\nTry 'mv --help' for more information.\n");
        } else {
            ctx.err(format!(
                "mv: missing destination file operand after {}\nTry 'mv --help' for more information.\n",
                q(&ops[0])
            ));
        }
        return 1;
    }
    let dst = ops.pop().unwrap_or_default();
    let many = ops.len() > 1;
    let mut status = 0;
    for s in &ops {
        let sabs = sh.abs(s);
        if let Err(e) = sh.fs.metadata(&sabs) {
            ctx.err(format!("mv: cannot stat {}: {e}\n", q(s)));
            status = 1;
            continue;
        }
        let target = match dest_for(sh, s, &dst, many) {
            Ok(t) => t,
            Err(msg) => {
                ctx.err(format!("mv: {msg}\n"));
                return 1;
            }
        };
        match sh.fs.rename(&sabs, &target) {
            Ok(()) => {
                if has(&opts, 'v') {
                    ctx.out(format!("renamed {} -> {}\n", q(s), q(&dst)));
                }
            }
            Err(FsError::Invalid) => {
                ctx.err(format!(
                    "mv: cannot move {} to a subdirectory of itself, {}\n",
                    q(s),
                    q(&dst)
                ));
                status = 1;
            }
            Err(e) => {
                ctx.err(format!("mv: cannot move {} to {}: {e}\n", q(s), q(&dst)));
                status = 1;
            }
        }
    }
    status
}

fn touch(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt("touch", args, "c", &[("no-create", false, 'c')], ctx, 1) else {
        return 1;
    };
    if files.is_empty() {
        ctx.err("touch: missing file operand\nTry 'touch --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for f in &files {
        let abs = sh.abs(f);
        let res = match sh.fs.metadata(&abs) {
            Ok(_) => sh.fs.touch(&abs),
            Err(_) if has(&opts, 'c') => Ok(()),
            Err(_) => sh.fs.write(&abs, b""),
        };
        if let Err(e) = res {
            ctx.err(format!("touch: cannot touch {}: {e}\n", q(f)));
            status = 1;
        }
    }
    status
}

/// `-n NUM` / `-NUM` / `-c NUM` for head and tail (`+NUM` for tail: from line NUM).
fn head_tail(sh: &mut Shell, args: &[String], ctx: &mut Ctx, tail: bool) -> i32 {
    let cmd = if tail { "tail" } else { "head" };
    // `-5` is `-n 5`
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect();
    let Ok((opts, files)) = getopt(
        cmd,
        &args,
        "n:c:qvf",
        &[
            ("lines", true, 'n'),
            ("bytes", true, 'c'),
            ("quiet", false, 'q'),
            ("follow", false, 'f'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let (bytes_mode, spec) = match opts.iter().rev().find(|o| o.c == 'n' || o.c == 'c') {
        Some(o) => (o.c == 'c', o.arg.clone().unwrap_or_default()),
        None => (false, "10".to_string()),
    };
    let from_start = tail && spec.starts_with('+');
    let all_but = !tail && spec.starts_with('-');
    let num: usize = match spec.trim_start_matches(['+', '-']).parse() {
        Ok(n) => n,
        Err(_) => {
            let what = if bytes_mode { "bytes" } else { "lines" };
            ctx.err(format!("{cmd}: invalid number of {what}: {}\n", q(&spec)));
            return 1;
        }
    };
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let headers = files.len() > 1 && !has(&opts, 'q') || has(&opts, 'v');
    let mut status = 0;
    let mut first = true;
    for f in &files {
        let data = match read_input(sh, f, ctx) {
            Ok(d) => d,
            Err(e) => {
                ctx.err(format!("{cmd}: cannot open {} for reading: {e}\n", q(f)));
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            ctx.out(format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        let out: Vec<u8> = if bytes_mode {
            let n = num.min(data.len());
            if tail {
                if from_start {
                    data[num.saturating_sub(1).min(data.len())..].to_vec()
                } else {
                    data[data.len() - n..].to_vec()
                }
            } else if all_but {
                data[..data.len() - n].to_vec()
            } else {
                data[..n].to_vec()
            }
        } else {
            let parts: Vec<&[u8]> = data.split_inclusive(|b| *b == b'\n').collect();
            let n = num.min(parts.len());
            let sel: &[&[u8]] = if tail {
                if from_start {
                    &parts[num.saturating_sub(1).min(parts.len())..]
                } else {
                    &parts[parts.len() - n..]
                }
            } else if all_but {
                &parts[..parts.len() - n]
            } else {
                &parts[..n]
            };
            sel.concat()
        };
        ctx.out(out);
    }
    status
}

fn head(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    head_tail(sh, args, ctx, false)
}

fn tail(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    head_tail(sh, args, ctx, true)
}

fn wc(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "wc",
        args,
        "lwcmL",
        &[
            ("lines", false, 'l'),
            ("words", false, 'w'),
            ("bytes", false, 'c'),
            ("chars", false, 'm'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let mut sel: Vec<char> = ['l', 'w', 'm', 'c']
        .into_iter()
        .filter(|c| has(&opts, *c))
        .collect();
    if sel.is_empty() {
        sel = vec!['l', 'w', 'c'];
    }
    let mut status = 0;
    let mut rows: Vec<(Vec<usize>, Option<String>)> = Vec::new();
    let stdin_only = files.is_empty();
    let names = if stdin_only {
        vec!["-".to_string()]
    } else {
        files.clone()
    };
    for f in &names {
        let data = match read_input(sh, f, ctx) {
            Ok(d) => d,
            Err(e) => {
                ctx.err(format!("wc: {f}: {e}\n"));
                status = 1;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data);
        let counts: Vec<usize> = sel
            .iter()
            .map(|c| match c {
                'l' => data.iter().filter(|b| **b == b'\n').count(),
                'w' => text.split_whitespace().count(),
                'm' => text.chars().count(),
                _ => data.len(),
            })
            .collect();
        rows.push((counts, if stdin_only { None } else { Some(f.clone()) }));
    }
    if rows.len() > 1 {
        let mut total = vec![0; sel.len()];
        for (c, _) in &rows {
            for (i, v) in c.iter().enumerate() {
                total[i] += v;
            }
        }
        rows.push((total, Some("total".into())));
    }
    // GNU: one number alone for stdin is unpadded; otherwise widths fit the largest count
    // (at least 7 when reading stdin).
    let maxw = rows
        .iter()
        .flat_map(|(c, _)| c.iter())
        .map(|v| v.to_string().len())
        .max()
        .unwrap_or(1);
    let width = if sel.len() == 1 && rows.len() == 1 {
        1
    } else if stdin_only {
        maxw.max(7)
    } else {
        maxw
    };
    let mut out = String::new();
    for (counts, name) in rows {
        let cells: Vec<String> = counts.iter().map(|v| format!("{v:>width$}")).collect();
        out.push_str(&cells.join(" "));
        if let Some(n) = name {
            out.push(' ');
            out.push_str(&n);
        }
        out.push('\n');
    }
    ctx.out(out);
    status
}

fn sort(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "sort",
        args,
        "rnuk:t:fV",
        &[
            ("reverse", false, 'r'),
            ("numeric-sort", false, 'n'),
            ("unique", false, 'u'),
            ("key", true, 'k'),
            ("field-separator", true, 't'),
            ("ignore-case", false, 'f'),
            ("version-sort", false, 'V'),
        ],
        ctx,
        2,
    ) else {
        return 2;
    };
    let mut data = Vec::new();
    let mut status = 0;
    if files.is_empty() {
        data.extend_from_slice(ctx.stdin);
    }
    for f in &files {
        match read_input(sh, f, ctx) {
            Ok(d) => {
                data.extend_from_slice(&d);
                if !d.is_empty() && !d.ends_with(b"\n") {
                    data.push(b'\n');
                }
            }
            Err(e) => {
                ctx.err(format!("sort: cannot read: {f}: {e}\n"));
                status = 2;
            }
        }
    }
    if status != 0 {
        return status;
    }
    let sep = last_arg(&opts, 't').and_then(|s| s.chars().next());
    let key: Option<usize> = last_arg(&opts, 'k').and_then(|k| {
        k.split([',', '.']).next().and_then(|n| {
            n.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse()
                .ok()
        })
    });
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut ls: Vec<&str> = text.lines().collect();
    let numeric = has(&opts, 'n') || last_arg(&opts, 'k').is_some_and(|k| k.contains('n'));
    let fold = has(&opts, 'f');
    let key_of = |l: &str| -> String {
        let field = match key {
            None => l.to_string(),
            Some(k) => {
                let fields: Vec<&str> = match sep {
                    Some(c) => l.split(c).collect(),
                    None => l.split_whitespace().collect(),
                };
                fields
                    .get(k.saturating_sub(1))
                    .copied()
                    .unwrap_or("")
                    .to_string()
            }
        };
        if fold {
            field.to_uppercase()
        } else {
            field
        }
    };
    let num_of = |s: &str| -> f64 {
        let t = s.trim_start();
        let end = t
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        t[..end].parse().unwrap_or(0.0)
    };
    ls.sort_stable_by(|a, b| {
        let (ka, kb) = (key_of(a), key_of(b));
        let ord = if numeric {
            num_of(&ka)
                .partial_cmp(&num_of(&kb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            ka.cmp(&kb)
        };
        // last-resort comparison of whole lines, as GNU sort does
        ord.then_with(|| a.cmp(b))
    });
    if has(&opts, 'r') {
        ls.reverse();
    }
    if has(&opts, 'u') {
        ls.dedup_by(|a, b| key_of(a) == key_of(b));
    }
    let mut out = String::new();
    for l in ls {
        out.push_str(l);
        out.push('\n');
    }
    ctx.out(out);
    0
}

fn uniq(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "uniq",
        args,
        "cdu",
        &[
            ("count", false, 'c'),
            ("repeated", false, 'd'),
            ("unique", false, 'u'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let data = match files.first() {
        Some(f) => match read_input(sh, f, ctx) {
            Ok(d) => d,
            Err(e) => return ctx.fail(format!("uniq: {f}: {e}"), 1),
        },
        None => ctx.stdin.to_vec(),
    };
    let mut groups: Vec<(&[u8], usize)> = Vec::new();
    for l in lines(&data) {
        match groups.last_mut() {
            Some((prev, n)) if *prev == l => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    let mut out = Vec::new();
    for (l, n) in groups {
        if has(&opts, 'd') && n < 2 || has(&opts, 'u') && n > 1 {
            continue;
        }
        if has(&opts, 'c') {
            out.extend(format!("{n:>7} ").into_bytes());
        }
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    ctx.out(out);
    0
}

fn cut(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "cut",
        args,
        "d:f:c:",
        &[
            ("delimiter", true, 'd'),
            ("fields", true, 'f'),
            ("characters", true, 'c'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let (list, chars) = match (last_arg(&opts, 'f'), last_arg(&opts, 'c')) {
        (Some(f), _) => (f.to_string(), false),
        (None, Some(c)) => (c.to_string(), true),
        _ => {
            ctx.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
            return 1;
        }
    };
    let mut ranges = Vec::new();
    for part in list.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX)),
            None => match part.parse::<usize>() {
                Ok(n) => (n, n),
                Err(_) => {
                    ctx.err(format!(
                        "cut: invalid field value {}\nTry 'cut --help' for more information.\n",
                        q(part)
                    ));
                    return 1;
                }
            },
        };
        if a == 0 {
            ctx.err("cut: fields and positions are numbered from 1\nTry 'cut --help' for more information.\n");
            return 1;
        }
        ranges.push((a, b));
    }
    let sel = |i: usize| ranges.iter().any(|(a, b)| i >= *a && i <= *b);
    let delim = last_arg(&opts, 'd')
        .unwrap_or("\t")
        .chars()
        .next()
        .unwrap_or('\t');
    let (ins, status) = inputs(sh, "cut", &files, ctx);
    let mut out = String::new();
    for (_, data) in ins {
        for l in String::from_utf8_lossy(&data).lines() {
            if chars {
                let s: String = l
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| sel(i + 1))
                    .map(|(_, c)| c)
                    .collect();
                out.push_str(&s);
            } else if !l.contains(delim) {
                out.push_str(l);
            } else {
                let parts: Vec<&str> = l
                    .split(delim)
                    .enumerate()
                    .filter(|(i, _)| sel(i + 1))
                    .map(|(_, p)| p)
                    .collect();
                out.push_str(&parts.join(&delim.to_string()));
            }
            out.push('\n');
        }
    }
    ctx.out(out);
    status
}

fn tr(_sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, sets)) = getopt(
        "tr",
        args,
        "ds",
        &[("delete", false, 'd'), ("squeeze-repeats", false, 's')],
        ctx,
        1,
    ) else {
        return 1;
    };
    let expand = |s: &str| -> Vec<char> {
        let s = s
            .replace("[:lower:]", "a-z")
            .replace("[:upper:]", "A-Z")
            .replace("[:digit:]", "0-9")
            .replace("[:space:]", " \t\n\r\x0b\x0c");
        let (b, _) = super::builtins::backslash_escapes(&s, false);
        let cs: Vec<char> = String::from_utf8_lossy(&b).chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            if i + 2 < cs.len() && cs[i + 1] == '-' && cs[i] <= cs[i + 2] {
                let (a, z) = (cs[i] as u32, cs[i + 2] as u32);
                out.extend((a..=z).filter_map(char::from_u32).take(65536));
                i += 3;
            } else {
                out.push(cs[i]);
                i += 1;
            }
        }
        out
    };
    let delete = has(&opts, 'd');
    let squeeze = has(&opts, 's');
    if sets.is_empty() || (!delete && !squeeze && sets.len() < 2) {
        let msg = if sets.is_empty() {
            "tr: missing operand".to_string()
        } else {
            format!(
                "tr: missing operand after {}\nTwo strings must be given when translating.",
                q(&sets[0])
            )
        };
        ctx.err(format!("{msg}\nTry 'tr --help' for more information.\n"));
        return 1;
    }
    let s1 = expand(&sets[0]);
    let s2 = sets.get(1).map(|s| expand(s)).unwrap_or_default();
    let input = String::from_utf8_lossy(ctx.stdin).into_owned();
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in input.chars() {
        let mapped = if delete {
            if s1.contains(&c) {
                continue;
            }
            c
        } else if let Some(i) = s1.iter().position(|x| *x == c) {
            if s2.is_empty() {
                c
            } else {
                *s2.get(i).or(s2.last()).unwrap_or(&c)
            }
        } else {
            c
        };
        let squeeze_set = if delete || s2.is_empty() { &s1 } else { &s2 };
        if squeeze && last == Some(mapped) && squeeze_set.contains(&mapped) {
            continue;
        }
        last = Some(mapped);
        out.push(mapped);
    }
    ctx.out(out);
    0
}

fn tee(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt("tee", args, "a", &[("append", false, 'a')], ctx, 1) else {
        return 1;
    };
    let data = ctx.stdin.to_vec();
    let mut status = 0;
    for f in &files {
        let abs = sh.abs(f);
        let r = if has(&opts, 'a') {
            sh.fs.append(&abs, &data)
        } else {
            sh.fs.write(&abs, &data)
        };
        if let Err(e) = r {
            ctx.err(format!("tee: {f}: {e}\n"));
            status = 1;
        }
    }
    ctx.out(data);
    status
}

fn base64_cmd(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, files)) = getopt(
        "base64",
        args,
        "diw:",
        &[
            ("decode", false, 'd'),
            ("ignore-garbage", false, 'i'),
            ("wrap", true, 'w'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    if files.len() > 1 {
        ctx.err(format!(
            "base64: extra operand {}\nTry 'base64 --help' for more information.\n",
            q(&files[1])
        ));
        return 1;
    }
    let data = match files.first() {
        Some(f) => match read_input(sh, f, ctx) {
            Ok(d) => d,
            Err(e) => return ctx.fail(format!("base64: {f}: {e}"), 1),
        },
        None => ctx.stdin.to_vec(),
    };
    if has(&opts, 'd') {
        let garbage = has(&opts, 'i');
        // GNU decodes in chunks, ignoring newlines; output written before an error stays.
        let clean: Vec<u8> = data
            .iter()
            .copied()
            .filter(|b| {
                if garbage {
                    b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/' || *b == b'='
                } else {
                    *b != b'\n'
                }
            })
            .collect();
        let (out, ok) = decode_base64_prefix(&clean);
        ctx.out(out);
        if !ok {
            return ctx.fail("base64: invalid input", 1);
        }
        return 0;
    }
    let wrap: usize = match last_arg(&opts, 'w') {
        None => 76,
        Some(w) => match w.parse() {
            Ok(n) => n,
            Err(_) => return ctx.fail(format!("base64: invalid wrap size: {}", q(w)), 1),
        },
    };
    let enc = base64::engine::general_purpose::STANDARD.encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&enc);
    } else {
        for (i, ch) in enc.as_bytes().chunks(wrap).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&String::from_utf8_lossy(ch));
        }
        if !enc.is_empty() {
            out.push('\n');
        }
    }
    ctx.out(out);
    0
}

/// Decodes as much valid base64 as GNU would output before reporting `invalid input`.
fn decode_base64_prefix(data: &[u8]) -> (Vec<u8>, bool) {
    let eng = base64::engine::general_purpose::STANDARD;
    if let Ok(v) = eng.decode(data) {
        return (v, true);
    }
    // Unpadded tail: GNU accepts a final group without `=` padding? No: it is invalid, but the
    // complete groups before it are written.
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= data.len() {
        match eng.decode(&data[i..i + 4]) {
            Ok(v) => out.extend(v),
            Err(_) => return (out, false),
        }
        i += 4;
        if data[i - 1] == b'=' && i < data.len() {
            return (out, false);
        }
    }
    if i < data.len() {
        // a partial group: decode what it holds, then fail
        let rest = &data[i..];
        let mut padded = rest.to_vec();
        while padded.len() % 4 != 0 {
            padded.push(b'=');
        }
        if let Ok(v) = eng.decode(&padded) {
            out.extend(v);
        }
        return (out, false);
    }
    (out, true)
}

/// Decompresses gzip members (concatenated ones too), bounded.
fn gunzip_bytes(data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 2 || data[0] != 0x1f || data[1] != 0x8b {
        return Err("not in gzip format".into());
    }
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(data).take(256 << 20);
    match dec.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) => {
            let m = e.to_string();
            if m.contains("unexpected end") || e.kind() == std::io::ErrorKind::UnexpectedEof {
                Err("unexpected end of file".into())
            } else {
                Err("invalid compressed data--format violated".into())
            }
        }
    }
}

fn gzip_main(sh: &mut Shell, args: &[String], ctx: &mut Ctx, mode: char) -> i32 {
    let Ok((opts, files)) = getopt(
        "gzip",
        args,
        "dcfkn123456789",
        &[
            ("decompress", false, 'd'),
            ("stdout", false, 'c'),
            ("to-stdout", false, 'c'),
            ("force", false, 'f'),
            ("keep", false, 'k'),
        ],
        ctx,
        1,
    ) else {
        return 1;
    };
    let decompress = mode != 'z' || has(&opts, 'd');
    let to_stdout = mode == 'c' || has(&opts, 'c') || files.is_empty();
    if files.is_empty() {
        if decompress {
            match gunzip_bytes(ctx.stdin) {
                Ok(d) => {
                    ctx.out(d);
                    return 0;
                }
                Err(m) => {
                    ctx.err(format!("\ngzip: stdin: {m}\n"));
                    return 1;
                }
            }
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = enc.write_all(ctx.stdin);
        ctx.out(enc.finish().unwrap_or_default());
        return 0;
    }
    let mut status = 0;
    for f in &files {
        let (src, dst) = if decompress {
            if let Some(base) = f
                .strip_suffix(".gz")
                .or(f.strip_suffix(".tgz").map(|_| f.as_str()))
            {
                let dst = if f.ends_with(".tgz") {
                    format!("{}.tar", &f[..f.len() - 4])
                } else {
                    base.to_string()
                };
                (f.clone(), dst)
            } else if sh.fs.metadata(&sh.abs(f)).is_ok() {
                ctx.err(format!("gzip: {f}: unknown suffix -- ignored\n"));
                status = 2.max(status);
                continue;
            } else {
                (format!("{f}.gz"), f.clone())
            }
        } else {
            (f.clone(), format!("{f}.gz"))
        };
        let sabs = sh.abs(&src);
        let data = match sh.fs.read(&sabs) {
            Ok(d) => d,
            Err(e) => {
                ctx.err(format!("gzip: {src}: {e}\n"));
                status = 1;
                continue;
            }
        };
        let result = if decompress {
            gunzip_bytes(&data).map_err(|m| format!("gzip: {src}: {m}"))
        } else {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = enc.write_all(&data);
            Ok(enc.finish().unwrap_or_default())
        };
        match result {
            Ok(bytes) => {
                if to_stdout {
                    ctx.out(bytes);
                } else {
                    let dabs = sh.abs(&dst);
                    if sh.fs.metadata(&dabs).is_ok() && !has(&opts, 'f') {
                        ctx.err(format!("gzip: {dst} already exists; not overwritten\n"));
                        status = 2;
                        continue;
                    }
                    if let Err(e) = sh.fs.write(&dabs, &bytes) {
                        ctx.err(format!("gzip: {dst}: {e}\n"));
                        status = 1;
                        continue;
                    }
                    if !has(&opts, 'k') {
                        let _ = sh.fs.remove_file(&sabs);
                    }
                }
            }
            Err(m) => {
                ctx.err(format!("{m}\n"));
                status = 1;
            }
        }
    }
    status
}

fn gzip(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    gzip_main(sh, args, ctx, 'z')
}

fn gunzip(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    gzip_main(sh, args, ctx, 'd')
}

fn zcat(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    gzip_main(sh, args, ctx, 'c')
}

fn grep(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, mut ops)) = getopt(
        "grep",
        args,
        "ivnclwxEFrqHhe:oA:B:C:",
        &[
            ("ignore-case", false, 'i'),
            ("invert-match", false, 'v'),
            ("line-number", false, 'n'),
            ("count", false, 'c'),
            ("files-with-matches", false, 'l'),
            ("word-regexp", false, 'w'),
            ("line-regexp", false, 'x'),
            ("extended-regexp", false, 'E'),
            ("fixed-strings", false, 'F'),
            ("recursive", false, 'r'),
            ("quiet", false, 'q'),
            ("silent", false, 'q'),
            ("with-filename", false, 'H'),
            ("no-filename", false, 'h'),
            ("regexp", true, 'e'),
            ("only-matching", false, 'o'),
            ("after-context", true, 'A'),
            ("before-context", true, 'B'),
            ("context", true, 'C'),
        ],
        ctx,
        2,
    ) else {
        return 2;
    };
    let mut patterns: Vec<String> = opts
        .iter()
        .filter(|o| o.c == 'e')
        .filter_map(|o| o.arg.clone())
        .collect();
    if patterns.is_empty() {
        if ops.is_empty() {
            ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return 2;
        }
        patterns = ops.remove(0).split('\n').map(str::to_string).collect();
    }
    let icase = has(&opts, 'i');
    let fixed = has(&opts, 'F');
    let extended = has(&opts, 'E');
    let mut res = Vec::new();
    for p in &patterns {
        let mut re = if fixed {
            regex_escape(p)
        } else if extended {
            p.clone()
        } else {
            bre_to_ere(p)
        };
        if has(&opts, 'w') {
            re = format!(r"(?:^|\b)(?:{re})(?:\b|$)");
        }
        if has(&opts, 'x') {
            re = format!("^(?:{re})$");
        }
        if icase {
            re = format!("(?i){re}");
        }
        match regex_automata::meta::Regex::new(&re) {
            Ok(r) => res.push(r),
            Err(_) => {
                ctx.err("grep: Unmatched ( or \\(\n");
                return 2;
            }
        }
    }
    let recursive = has(&opts, 'r');
    let mut files: Vec<String> = Vec::new();
    if ops.is_empty() && recursive {
        ops.push(".".into());
    }
    let mut status_err = false;
    for o in &ops {
        let abs = sh.abs(o);
        match sh.fs.metadata(&abs) {
            Ok(m) if m.is_dir => {
                if recursive {
                    match fs::walk_files(sh.fs.as_ref(), &abs, 100_000) {
                        Ok(fl) => {
                            for f in fl {
                                files.push(if o == "." && ops.len() == 1 && !o.ends_with('/') {
                                    f
                                } else {
                                    format!("{}/{f}", o.trim_end_matches('/'))
                                });
                            }
                        }
                        Err(e) => {
                            ctx.err(format!("grep: {o}: {e}\n"));
                            status_err = true;
                        }
                    }
                } else {
                    ctx.err(format!("grep: {o}: Is a directory\n"));
                    status_err = true;
                }
            }
            Ok(_) => files.push(o.clone()),
            Err(e) => {
                ctx.err(format!("grep: {o}: {e}\n"));
                status_err = true;
            }
        }
    }
    let stdin_mode = ops.is_empty();
    if stdin_mode {
        files.push("-".into());
    }
    let with_name = (files.len() > 1 || recursive || has(&opts, 'H')) && !has(&opts, 'h');
    let ctx_n = |c: char| last_arg(&opts, c).and_then(|v| v.parse::<usize>().ok());
    let after = ctx_n('A').or(ctx_n('C')).unwrap_or(0);
    let before = ctx_n('B').or(ctx_n('C')).unwrap_or(0);
    let mut any = false;
    let mut out = Vec::new();
    for f in &files {
        let data = match read_input(sh, f, ctx) {
            Ok(d) => d,
            Err(e) => {
                ctx.err(format!("grep: {f}: {e}\n"));
                status_err = true;
                continue;
            }
        };
        let shown = if f == "-" {
            "(standard input)"
        } else {
            f.as_str()
        };
        let ls = lines(&data);
        let mut count = 0;
        let mut last_printed: Option<usize> = None;
        let mut pending_after = 0usize;
        for (i, l) in ls.iter().enumerate() {
            let text = String::from_utf8_lossy(l);
            let hit = res.iter().any(|r| r.is_match(text.as_ref()));
            let selected = hit != has(&opts, 'v');
            if !selected {
                if pending_after > 0 && !has(&opts, 'c') && !has(&opts, 'l') && !has(&opts, 'q') {
                    pending_after -= 1;
                    emit_line(&mut out, with_name, shown, has(&opts, 'n'), i, '-', l);
                    last_printed = Some(i);
                }
                continue;
            }
            count += 1;
            any = true;
            if has(&opts, 'q') || has(&opts, 'l') || has(&opts, 'c') {
                continue;
            }
            if before > 0 || after > 0 {
                let start = i.saturating_sub(before);
                let from = match last_printed {
                    Some(p) if p + 1 >= start => p + 1,
                    Some(_) => {
                        out.extend_from_slice(b"--\n");
                        start
                    }
                    None => start,
                };
                for (j, cl) in ls.iter().enumerate().take(i).skip(from) {
                    emit_line(&mut out, with_name, shown, has(&opts, 'n'), j, '-', cl);
                }
            }
            if has(&opts, 'o') {
                for r in &res {
                    for m in r.find_iter(text.as_ref()) {
                        if m.is_empty() {
                            continue;
                        }
                        let piece = &text.as_bytes()[m.start()..m.end()];
                        emit_line(&mut out, with_name, shown, has(&opts, 'n'), i, ':', piece);
                    }
                }
            } else {
                emit_line(&mut out, with_name, shown, has(&opts, 'n'), i, ':', l);
            }
            last_printed = Some(i);
            pending_after = after;
        }
        if has(&opts, 'c') {
            if with_name {
                out.extend(format!("{shown}:{count}\n").into_bytes());
            } else {
                out.extend(format!("{count}\n").into_bytes());
            }
        }
        if has(&opts, 'l') && count > 0 {
            out.extend(format!("{shown}\n").into_bytes());
        }
        if has(&opts, 'q') && any {
            break;
        }
    }
    ctx.out(out);
    if status_err && !(has(&opts, 'q') && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

fn emit_line(
    out: &mut Vec<u8>,
    with_name: bool,
    name: &str,
    numbers: bool,
    i: usize,
    sep: char,
    l: &[u8],
) {
    if with_name {
        out.extend(format!("{name}{sep}").into_bytes());
    }
    if numbers {
        out.extend(format!("{}{sep}", i + 1).into_bytes());
    }
    out.extend_from_slice(l);
    out.push(b'\n');
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// POSIX basic regular expressions (grep's default) into the extended syntax: `\(`, `\)`,
/// `\{`, `\}`, `\|`, `\+`, `\?` are the operators; bare `(`, `)`, `{`, `}`, `|`, `+`, `?` are
/// literal.
fn bre_to_ere(p: &str) -> String {
    let mut out = String::new();
    let cs: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut in_bracket = false;
    while i < cs.len() {
        let c = cs[i];
        if in_bracket {
            out.push(c);
            if c == ']' {
                in_bracket = false;
            }
            i += 1;
            continue;
        }
        match c {
            '\\' if i + 1 < cs.len() => {
                let n = cs[i + 1];
                match n {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' => out.push(n),
                    '<' | '>' => out.push_str("\\b"),
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            '*' if i == 0 || out.ends_with('(') || out.ends_with('^') && i == 1 => {
                out.push_str("\\*")
            }
            '[' => {
                in_bracket = true;
                out.push('[');
                if cs.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if cs.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// `tree`: the directory tree with box-drawing lines (non-breaking spaces in the indent, as
/// tree writes them in UTF-8 terminals) and the `N directories, M files` report.
fn tree(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let Ok((opts, mut ops)) = getopt("tree", args, "adL:", &[("noreport", false, 'N')], ctx, 1)
    else {
        return 1;
    };
    let all = has(&opts, 'a');
    let dirs_only = has(&opts, 'd');
    let max_depth: usize = last_arg(&opts, 'L')
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    if ops.is_empty() {
        ops.push(".".into());
    }
    let (mut ndirs, mut nfiles) = (0usize, 0usize);
    let mut out = String::new();
    for o in &ops {
        let abs = sh.abs(o);
        match sh.fs.metadata(&abs) {
            Ok(m) if m.is_dir => {
                out.push_str(o);
                out.push('\n');
                let mut budget = 100_000usize;
                tree_walk(
                    sh,
                    &abs,
                    "",
                    1,
                    max_depth,
                    all,
                    dirs_only,
                    &mut out,
                    &mut ndirs,
                    &mut nfiles,
                    &mut budget,
                );
            }
            Ok(_) => {
                out.push_str(&format!("{o}  [error opening dir]\n"));
            }
            Err(_) => {
                out.push_str(&format!("{o}  [error opening dir]\n"));
            }
        }
    }
    if !has(&opts, 'N') {
        let d = if ndirs == 1 {
            "directory"
        } else {
            "directories"
        };
        if dirs_only {
            out.push_str(&format!("\n{ndirs} {d}\n"));
        } else {
            let f = if nfiles == 1 { "file" } else { "files" };
            out.push_str(&format!("\n{ndirs} {d}, {nfiles} {f}\n"));
        }
    }
    ctx.out(out);
    0
}

#[allow(clippy::too_many_arguments)]
fn tree_walk(
    sh: &Shell,
    dir: &str,
    prefix: &str,
    depth: usize,
    max: usize,
    all: bool,
    dirs_only: bool,
    out: &mut String,
    nd: &mut usize,
    nf: &mut usize,
    budget: &mut usize,
) {
    if depth > max || *budget == 0 {
        return;
    }
    let Ok(entries) = sh.fs.list(dir) else { return };
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| all || !e.name.starts_with('.'))
        .filter(|e| !dirs_only || e.is_dir)
        .collect();
    let n = entries.len();
    for (i, e) in entries.iter().enumerate() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let last = i + 1 == n;
        out.push_str(prefix);
        out.push_str(if last { "└── " } else { "├── " });
        out.push_str(&e.name);
        out.push('\n');
        if e.is_dir {
            *nd += 1;
            let p = format!("{prefix}{}", if last { "    " } else { "│\u{a0}\u{a0} " });
            tree_walk(
                sh,
                &fs::join(dir, &e.name),
                &p,
                depth + 1,
                max,
                all,
                dirs_only,
                out,
                nd,
                nf,
                budget,
            );
        } else {
            *nf += 1;
        }
    }
}

fn sleep(_sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    if args.is_empty() {
        ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
        return 1;
    }
    for a in args {
        let num = a.trim_end_matches(['s', 'm', 'h', 'd']);
        if num.parse::<f64>().is_err() {
            ctx.err(format!(
                "sleep: invalid time interval {}\nTry 'sleep --help' for more information.\n",
                q(a)
            ));
            return 1;
        }
    }
    // The simulated cluster settles at once, so there is nothing to wait for.
    0
}

fn network(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let _ = args;
    let what = super::builtins::where_we_are(sh.host);
    ctx.err(format!(
        "chartlab: there is no network {what}: nothing can be downloaded, and no pod really \
runs, so nothing answers on localhost either.\n  To create a file, use an editor or a \
here-document:  cat > .gitignore <<'EOF'\n"
    ));
    // curl's exit code for "could not connect"
    7
}

/// `git`: `init` makes a valid empty repository layout; other commands are explained.
pub(super) fn git(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    match args.first().map(String::as_str) {
        Some("init") => {
            let quiet = args.iter().any(|a| a == "-q" || a == "--quiet");
            let dir = args[1..]
                .iter()
                .find(|a| !a.starts_with('-'))
                .map(|d| sh.abs(d))
                .unwrap_or_else(|| sh.fs.cwd());
            if sh.fs.metadata(&dir).is_err() {
                let mut cur = String::new();
                for part in dir.split('/').filter(|s| !s.is_empty()) {
                    cur.push('/');
                    cur.push_str(part);
                    if sh.fs.metadata(&cur).is_err() {
                        if let Err(e) = sh.fs.mkdir(&cur) {
                            return ctx.fail(format!("fatal: cannot mkdir {dir}: {e}"), 128);
                        }
                    }
                }
            }
            let git = fs::join(&dir, ".git");
            let existed = sh.fs.metadata(&fs::join(&git, "HEAD")).is_ok();
            if !existed {
                let files: &[(&str, &str)] = &[
                    ("HEAD", "ref: refs/heads/master\n"),
                    ("config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n"),
                    ("description", "Unnamed repository; edit this file 'description' to name the repository.\n"),
                ];
                for d in [
                    "",
                    "/objects",
                    "/objects/info",
                    "/objects/pack",
                    "/refs",
                    "/refs/heads",
                    "/refs/tags",
                    "/info",
                    "/hooks",
                ] {
                    let p = format!("{git}{d}");
                    if sh.fs.metadata(&p).is_err() {
                        if let Err(e) = sh.fs.mkdir(&p) {
                            return ctx.fail(format!("fatal: cannot mkdir {p}: {e}"), 128);
                        }
                    }
                }
                for (name, body) in files {
                    if let Err(e) = sh.fs.write(&fs::join(&git, name), body.as_bytes()) {
                        return ctx.fail(format!("fatal: could not write {name}: {e}"), 128);
                    }
                }
                let _ = sh.fs.write(
                    &format!("{git}/info/exclude"),
                    b"# git ls-files --others --exclude-from=.git/info/exclude\n# Lines that start with '#' are comments.\n# For a project mostly in C, the following would be a good set of\n# exclude patterns (uncomment them if you want to use them):\n# *.[oa]\n# *~\n",
                );
            }
            if !quiet {
                ctx.out(format!(
                    "{} Git repository in {git}/\n",
                    if existed {
                        "Reinitialized existing"
                    } else {
                        "Initialized empty"
                    }
                ));
            }
            0
        }
        Some("--version") | Some("version") => {
            ctx.out("git version 2.47.3\n");
            0
        }
        Some(other) => {
            ctx.err(format!(
                "chartlab: `git {other}` is not available here: this terminal only simulates `git init` \
(a real repository layout, no commits). Use git on your own machine for the rest.\n"
            ));
            1
        }
        None => {
            ctx.err("usage: git init [<directory>]\n(chartlab simulates only `git init`)\n");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_columns_like_gnu() {
        let names: Vec<String> = ["Chart.yaml", "charts", "templates", "values.yaml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            columns(&names, 80),
            "Chart.yaml  charts  templates  values.yaml\n"
        );
        assert_eq!(bre_to_ere(r"a\(b\)c+"), r"a(b)c\+");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(ls_time(1_800_000_000, 1_800_000_100), "Jan 15 08:00");
    }
}
