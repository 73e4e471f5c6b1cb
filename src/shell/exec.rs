//! Running parsed scripts as bash does: word expansion in bash's order (tilde, parameters,
//! command substitution, arithmetic, then field splitting on unquoted results, then pathname
//! expansion, then quote removal), redirections applied left to right over a small descriptor
//! table, pipelines whose stages pass stdout bytes along, `&&`/`||`/`!`, and the compound
//! commands.

use super::fs::{self, FsError};
use super::io::{Ctx, Output, Stream};
use super::parse::{
    AndOr, Command, Connector, List, Param, ParamOp, Part, Pipeline, Redir, RedirOp, RedirTarget,
    Script, SimpleCommand, Word,
};
use super::{Shell, MAX_STEPS};
use crate::engine::sort::SliceSort;

/// An expansion failed: the message (printed as `bash: …`) and the status.
struct ExpandError(String);

/// Where a descriptor points while a command runs.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// The caller's stdout (the terminal or the next pipe stage).
    Stdout,
    /// The caller's stderr.
    Stderr,
    /// A file in the workspace (opened, truncated or for appending).
    File(String),
    /// `/dev/null`.
    Null,
}

/// One field being built during expansion: its text, and the same text as a glob pattern
/// (quoted glob characters escaped).
#[derive(Default)]
struct Field {
    text: String,
    pattern: String,
    has_glob: bool,
    /// Something (even an empty quoted string) made this field exist.
    started: bool,
}

struct Fields {
    done: Vec<Field>,
    cur: Field,
    split: bool,
}

impl Fields {
    fn push_literal(&mut self, s: &str, quoted: bool) {
        self.cur.started = true;
        self.cur.text.push_str(s);
        for c in s.chars() {
            if quoted && matches!(c, '*' | '?' | '[' | ']' | '\\') {
                self.cur.pattern.push('\\');
            } else if !quoted && matches!(c, '*' | '?' | '[') {
                self.cur.has_glob = true;
            }
            self.cur.pattern.push(c);
        }
    }

    /// The result of an expansion: split on blanks when unquoted.
    fn push_expansion(&mut self, s: &str, quoted: bool) {
        if quoted || !self.split {
            self.push_literal(s, true);
            return;
        }
        let ifs = |c: char| c == ' ' || c == '\t' || c == '\n';
        let mut first = true;
        if s.starts_with(ifs) && self.cur.started {
            self.finish();
        }
        for piece in s.split(ifs).filter(|p| !p.is_empty()) {
            if !first {
                self.finish();
            }
            first = false;
            // unquoted expansion results are still globbed
            self.push_literal(piece, false);
        }
        if s.ends_with(ifs) && !first {
            self.finish();
        }
    }

    fn finish(&mut self) {
        let f = std::mem::take(&mut self.cur);
        if f.started {
            self.done.push(f);
        }
    }
}

impl Shell {
    pub(super) fn exec_script(&mut self, script: &Script, out: &mut Output) -> i32 {
        let heredocs: Vec<Word> = script.heredocs.iter().map(|h| h.body.clone()).collect();
        let mut cx = ExecCx {
            heredocs: &heredocs,
        };
        self.exec_list(&script.list, b"", out, &mut cx)
    }

    fn tick(&mut self, out: &mut Output) -> bool {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            if self.exit_requested.is_none() {
                out.err(format!(
                    "chartlab: stopped after {MAX_STEPS} commands in one input\n"
                ));
                self.exit_requested = Some(1);
            }
            return false;
        }
        !out.truncated
    }

    fn stopped(&self) -> bool {
        self.exit_requested.is_some()
    }

    fn exec_list(&mut self, list: &List, stdin: &[u8], out: &mut Output, cx: &mut ExecCx) -> i32 {
        let mut status = self.status;
        for ao in &list.0 {
            if self.stopped() {
                break;
            }
            status = self.exec_and_or(ao, stdin, out, cx);
            self.status = status;
        }
        status
    }

    fn exec_and_or(&mut self, ao: &AndOr, stdin: &[u8], out: &mut Output, cx: &mut ExecCx) -> i32 {
        let mut status = self.exec_pipeline(&ao.first, stdin, out, cx);
        self.status = status;
        for (conn, p) in &ao.rest {
            if self.stopped() {
                break;
            }
            let run = match conn {
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if run {
                status = self.exec_pipeline(p, stdin, out, cx);
                self.status = status;
            }
        }
        if ao.background {
            // Nothing runs concurrently here: the job ran to completion in the foreground.
            out.err("[1]+  Done\n");
        }
        status
    }

    fn exec_pipeline(
        &mut self,
        p: &Pipeline,
        stdin: &[u8],
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> i32 {
        let mut input: Vec<u8> = stdin.to_vec();
        let mut status = 0;
        let n = p.cmds.len();
        for (i, cmd) in p.cmds.iter().enumerate() {
            if self.stopped() {
                break;
            }
            let mut stage = Output::default();
            let tty = self.tty;
            self.tty = tty && i + 1 == n;
            status = self.exec_command(cmd, &input, &mut stage, cx);
            self.tty = tty;
            if i + 1 < n {
                input = stage.stdout();
                // stderr of inner stages goes straight to the terminal
                let mut errs = Output::default();
                for c in stage.chunks {
                    if c.stream == Stream::Stderr {
                        errs.err(c.data);
                    }
                }
                if stage.clear {
                    out.clear = true;
                    out.clear_at = out.chunks.len();
                }
                out.extend(errs);
            } else {
                out.extend(stage);
            }
        }
        if p.bang {
            status = if status == 0 { 1 } else { 0 };
        }
        status
    }

    fn exec_command(
        &mut self,
        cmd: &Command,
        stdin: &[u8],
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> i32 {
        if !self.tick(out) {
            return 1;
        }
        match cmd {
            Command::Simple(sc) => self.exec_simple(sc, stdin, out, cx),
            Command::Subshell(list, redirs) => {
                // A subshell keeps its variables and directory changes to itself.
                let saved_vars = self.vars.clone();
                let saved_cwd = self.fs.cwd();
                let status = self.with_redirs(redirs, stdin, out, cx, |sh, input, o, cx| {
                    sh.exec_list(list, input, o, cx)
                });
                self.vars = saved_vars;
                let _ = self.fs.set_cwd(&saved_cwd);
                if let Some(code) = self.exit_requested.take() {
                    return code;
                }
                status
            }
            Command::Group(list, redirs) => {
                self.with_redirs(redirs, stdin, out, cx, |sh, input, o, cx| {
                    sh.exec_list(list, input, o, cx)
                })
            }
            Command::If {
                branches,
                otherwise,
                redirs,
            } => self.with_redirs(redirs, stdin, out, cx, |sh, input, o, cx| {
                for (cond, body) in branches {
                    let c = sh.exec_list(cond, input, o, cx);
                    if sh.stopped() {
                        return c;
                    }
                    if c == 0 {
                        return sh.exec_list(body, input, o, cx);
                    }
                }
                match otherwise {
                    Some(body) => sh.exec_list(body, input, o, cx),
                    None => 0,
                }
            }),
            Command::While {
                cond,
                body,
                until,
                redirs,
            } => self.with_redirs(redirs, stdin, out, cx, |sh, input, o, cx| {
                let mut status = 0;
                loop {
                    if !sh.tick(o) || sh.stopped() {
                        break;
                    }
                    let c = sh.exec_list(cond, input, o, cx);
                    if sh.stopped() || ((c == 0) == *until) {
                        break;
                    }
                    status = sh.exec_list(body, input, o, cx);
                }
                status
            }),
            Command::For {
                var,
                words,
                body,
                redirs,
            } => self.with_redirs(redirs, stdin, out, cx, |sh, input, o, cx| {
                let mut items = Vec::new();
                if let Some(ws) = words {
                    for w in ws {
                        match sh.expand_fields(w, o, cx) {
                            Ok(f) => items.extend(f),
                            Err(ExpandError(m)) => {
                                o.err(format!("bash: {m}\n"));
                                return 1;
                            }
                        }
                    }
                }
                let mut status = 0;
                for it in items {
                    if !sh.tick(o) || sh.stopped() {
                        break;
                    }
                    sh.set_var(var, &it, false);
                    status = sh.exec_list(body, input, o, cx);
                }
                status
            }),
        }
    }

    /// Runs `f` with the redirections applied.
    fn with_redirs(
        &mut self,
        redirs: &[Redir],
        stdin: &[u8],
        out: &mut Output,
        cx: &mut ExecCx,
        f: impl FnOnce(&mut Shell, &[u8], &mut Output, &mut ExecCx) -> i32,
    ) -> i32 {
        let setup = match self.setup_redirs(redirs, stdin, out, cx) {
            Ok(s) => s,
            Err(status) => return status,
        };
        let mut local = Output::default();
        let input = setup.stdin.as_deref().unwrap_or(stdin);
        let tty = self.tty;
        self.tty = tty && setup.fd1 == Target::Stdout;
        let status = f(self, input, &mut local, cx);
        self.tty = tty;
        self.route(local, &setup, out);
        status
    }

    /// Applies redirections: the new stdin (if any) and where fds 1 and 2 point. Files opened
    /// for writing are created (or truncated) now, as the kernel does at `open`.
    fn setup_redirs(
        &mut self,
        redirs: &[Redir],
        _stdin: &[u8],
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<Redirected, i32> {
        let mut r = Redirected {
            stdin: None,
            fd1: Target::Stdout,
            fd2: Target::Stderr,
        };
        for redir in redirs {
            let target_word = match &redir.target {
                RedirTarget::Word(w) => match self.expand_word_redir(w, out, cx) {
                    Ok(s) => s,
                    Err(m) => {
                        out.err(format!("bash: {m}\n"));
                        return Err(1);
                    }
                },
                RedirTarget::HereDoc(i) => {
                    let body = cx.heredocs.get(*i).cloned().unwrap_or_default();
                    match self.expand_single(&body, out, cx) {
                        Ok(s) => {
                            r.stdin = Some(s.into_bytes());
                            continue;
                        }
                        Err(ExpandError(m)) => {
                            out.err(format!("bash: {m}\n"));
                            return Err(1);
                        }
                    }
                }
            };
            match redir.op {
                RedirOp::HereDoc => {}
                RedirOp::HereString => {
                    let mut s = target_word.into_bytes();
                    s.push(b'\n');
                    r.stdin = Some(s);
                }
                RedirOp::In => {
                    let fd = redir.fd.unwrap_or(0);
                    if fd != 0 {
                        continue;
                    }
                    if target_word == "/dev/null" {
                        r.stdin = Some(Vec::new());
                        continue;
                    }
                    let path = self.abs(&target_word);
                    match self.fs.read(&path) {
                        Ok(d) => r.stdin = Some(d),
                        Err(e) => {
                            out.err(format!("bash: {target_word}: {e}\n"));
                            return Err(1);
                        }
                    }
                }
                RedirOp::Out | RedirOp::Append | RedirOp::OutErr | RedirOp::AppendErr => {
                    let target = if target_word == "/dev/null" {
                        Target::Null
                    } else if target_word == "/dev/stdout" {
                        Target::Stdout
                    } else if target_word == "/dev/stderr" {
                        Target::Stderr
                    } else {
                        if target_word.is_empty() {
                            out.err("bash: : No such file or directory\n");
                            return Err(1);
                        }
                        let path = self.abs(&target_word);
                        let append = matches!(redir.op, RedirOp::Append | RedirOp::AppendErr);
                        let res = if append {
                            self.fs.append(&path, b"")
                        } else {
                            self.fs.write(&path, b"")
                        };
                        if let Err(e) = res {
                            out.err(format!("bash: {target_word}: {e}\n"));
                            return Err(1);
                        }
                        Target::File(path)
                    };
                    match redir.op {
                        RedirOp::OutErr | RedirOp::AppendErr => {
                            r.fd1 = target.clone();
                            r.fd2 = target;
                        }
                        _ => match redir.fd.unwrap_or(1) {
                            1 => r.fd1 = target,
                            2 => r.fd2 = target,
                            _ => {}
                        },
                    }
                }
                RedirOp::Dup => {
                    let fd = redir.fd.unwrap_or(1);
                    let src = match target_word.as_str() {
                        "1" => r.fd1.clone(),
                        "2" => r.fd2.clone(),
                        "0" => continue,
                        "-" => Target::Null,
                        other => {
                            if other.chars().all(|c| c.is_ascii_digit()) {
                                out.err(format!("bash: {other}: Bad file descriptor\n"));
                                return Err(1);
                            }
                            // `>&file` is `&>file`
                            let path = self.abs(other);
                            if let Err(e) = self.fs.write(&path, b"") {
                                out.err(format!("bash: {other}: {e}\n"));
                                return Err(1);
                            }
                            r.fd2 = Target::File(path.clone());
                            Target::File(path)
                        }
                    };
                    match fd {
                        1 => r.fd1 = src,
                        2 => r.fd2 = src,
                        _ => {}
                    }
                }
            }
        }
        Ok(r)
    }

    /// Sends a command's output where its descriptors point.
    fn route(&mut self, local: Output, r: &Redirected, out: &mut Output) {
        if local.clear {
            out.clear = true;
            out.clear_at = out.chunks.len() + local.clear_at;
        }
        out.truncated |= local.truncated;
        for c in local.chunks {
            let t = match c.stream {
                Stream::Stdout => &r.fd1,
                Stream::Stderr => &r.fd2,
            };
            match t {
                Target::Stdout => out.out(&c.data),
                Target::Stderr => out.err(&c.data),
                Target::Null => {}
                Target::File(p) => {
                    if let Err(e) = self.fs.append(p, &c.data) {
                        out.err(format!("bash: {p}: {e}\n"));
                    }
                }
            }
        }
    }

    fn exec_simple(
        &mut self,
        sc: &SimpleCommand,
        stdin: &[u8],
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> i32 {
        // Expand the words first (bash does, before assignments take effect for the command).
        let mut argv: Vec<String> = Vec::new();
        let decl = sc.words.first().map(|w| {
            matches!(
                super::parse::literal_text(w).as_str(),
                "export" | "local" | "readonly" | "declare" | "typeset"
            )
        }) == Some(true);
        let mut subst_status = None;
        for (i, w) in sc.words.iter().enumerate() {
            let before = self.status;
            self.status_probe = None;
            let res = if decl && i > 0 && looks_like_assignment(w) {
                self.expand_single(w, out, cx).map(|s| vec![s])
            } else {
                self.expand_fields(w, out, cx)
            };
            if let Some(s) = self.status_probe {
                subst_status = Some(s);
            }
            self.status = before;
            match res {
                Ok(f) => argv.extend(f),
                Err(ExpandError(m)) => {
                    out.err(format!("bash: {m}\n"));
                    return 1;
                }
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &sc.assigns {
            self.status_probe = None;
            match self.expand_single(w, out, cx) {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(ExpandError(m)) => {
                    out.err(format!("bash: {m}\n"));
                    return 1;
                }
            }
            if let Some(s) = self.status_probe {
                subst_status = Some(s);
            }
        }
        if argv.is_empty() {
            // Assignments (and redirections) only.
            for (n, v) in assigns {
                self.set_var(&n, &v, false);
            }
            let setup = match self.setup_redirs(&sc.redirs, stdin, out, cx) {
                Ok(s) => s,
                Err(status) => return status,
            };
            drop(setup);
            return subst_status.unwrap_or(0);
        }
        // `VAR=x cmd`: the assignments hold for this command only.
        let saved: Vec<(String, Option<super::Var>)> = assigns
            .iter()
            .map(|(n, _)| (n.clone(), self.vars.get(n).cloned()))
            .collect();
        for (n, v) in &assigns {
            self.set_var(n, v, true);
        }
        let status = self.with_redirs(&sc.redirs, stdin, out, cx, |sh, input, o, _cx| {
            let mut ctx = Ctx {
                stdin: input,
                out: o,
            };
            sh.run_command(&argv, &mut ctx)
        });
        for (n, old) in saved {
            match old {
                Some(v) => {
                    self.vars.insert(n, v);
                }
                None => {
                    self.vars.remove(&n);
                }
            }
        }
        status
    }

    /// The absolute path of a file argument.
    pub(super) fn abs(&self, path: &str) -> String {
        fs::resolve(&self.fs.cwd(), &self.fs.home(), path)
    }

    /// Runs a script in a nested context and returns its stdout (command substitution).
    fn substitute(&mut self, list: &List, out: &mut Output, cx: &mut ExecCx) -> String {
        let mut local = Output::default();
        let saved_vars = self.vars.clone();
        let saved_cwd = self.fs.cwd();
        let tty = self.tty;
        self.tty = false;
        let status = self.exec_list(list, b"", &mut local, cx);
        self.tty = tty;
        self.vars = saved_vars;
        let _ = self.fs.set_cwd(&saved_cwd);
        self.exit_requested = None;
        self.status_probe = Some(status);
        let mut errs = Output::default();
        for c in &local.chunks {
            if c.stream == Stream::Stderr {
                errs.err(&c.data);
            }
        }
        out.extend(errs);
        let mut s = String::from_utf8_lossy(&local.stdout()).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    fn expand_fields(
        &mut self,
        w: &Word,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<Vec<String>, ExpandError> {
        let mut f = Fields {
            done: Vec::new(),
            cur: Field::default(),
            split: true,
        };
        self.expand_parts(&w.0, false, true, &mut f, out, cx)?;
        f.finish();
        let mut result = Vec::new();
        for field in f.done {
            if field.has_glob {
                let matches = self.glob(&field.pattern);
                if !matches.is_empty() {
                    result.extend(matches);
                    continue;
                }
            }
            result.push(field.text);
        }
        Ok(result)
    }

    /// One string, no splitting or globbing (assignments, here-documents).
    fn expand_single(
        &mut self,
        w: &Word,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<String, ExpandError> {
        let mut f = Fields {
            done: Vec::new(),
            cur: Field::default(),
            split: false,
        };
        self.expand_parts(&w.0, false, true, &mut f, out, cx)?;
        Ok(f.cur.text)
    }

    /// A redirection target: one word after expansion (bash's `ambiguous redirect` otherwise).
    fn expand_word_redir(
        &mut self,
        w: &Word,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<String, String> {
        match self.expand_fields(w, out, cx) {
            Ok(fields) if fields.len() == 1 => Ok(fields.into_iter().next().unwrap_or_default()),
            Ok(_) => Err(format!(
                "{}: ambiguous redirect",
                super::parse::literal_text(w)
            )),
            Err(ExpandError(m)) => Err(m),
        }
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        quoted: bool,
        word_start: bool,
        f: &mut Fields,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<(), ExpandError> {
        for (i, p) in parts.iter().enumerate() {
            match p {
                Part::Lit(s) => {
                    if quoted {
                        f.push_literal(s, true);
                    } else if i == 0 && word_start && (s == "~" || s.starts_with("~/")) {
                        let home = self.var("HOME").unwrap_or("").to_string();
                        f.push_literal(&home, true);
                        f.push_literal(&s[1..], false);
                    } else {
                        f.push_literal(s, false);
                    }
                }
                Part::Quoted(s) => f.push_literal(s, true),
                Part::Double(inner) => {
                    f.cur.started = true;
                    self.expand_parts(inner, true, false, f, out, cx)?;
                }
                Part::Param(p) => {
                    let v = self.expand_param(p, out, cx)?;
                    f.push_expansion(&v, quoted);
                }
                Part::Subst(list) => {
                    let v = self.substitute(list, out, cx);
                    f.push_expansion(&v, quoted);
                }
                Part::Arith(w) => {
                    let text = self.expand_single(w, out, cx)?;
                    let v = super::builtins::arith(self, &text).map_err(ExpandError)?;
                    f.push_expansion(&v.to_string(), quoted);
                }
            }
        }
        Ok(())
    }

    fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("4242".into()),
            "#" => Some("0".into()),
            "0" => Some("bash".into()),
            "@" | "*" => Some(String::new()),
            "!" | "-" => Some(if name == "-" {
                "hB".into()
            } else {
                String::new()
            }),
            n if n.chars().all(|c| c.is_ascii_digit()) => None,
            "PWD" => Some(self.fs.cwd()),
            "RANDOM" => {
                let mut rng = self.env.rng.borrow_mut();
                Some((rng.next_u32() % 32768).to_string())
            }
            _ => self.var(name).map(str::to_string),
        }
    }

    fn expand_param(
        &mut self,
        p: &Param,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<String, ExpandError> {
        let val = self.param_value(&p.name);
        let is_set_for = |colon: bool, v: &Option<String>| match v {
            None => false,
            Some(s) => !(colon && s.is_empty()),
        };
        Ok(match &p.op {
            ParamOp::Plain => val.unwrap_or_default(),
            ParamOp::Length => val.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default(colon, w) => {
                if is_set_for(*colon, &val) {
                    val.unwrap_or_default()
                } else {
                    self.expand_single(w, out, cx)?
                }
            }
            ParamOp::Assign(colon, w) => {
                if is_set_for(*colon, &val) {
                    val.unwrap_or_default()
                } else {
                    let v = self.expand_single(w, out, cx)?;
                    if !super::parse::is_name(&p.name) {
                        return Err(ExpandError(format!(
                            "${}: cannot assign in this way",
                            p.name
                        )));
                    }
                    self.set_var(&p.name, &v, false);
                    v
                }
            }
            ParamOp::Alternate(colon, w) => {
                if is_set_for(*colon, &val) {
                    self.expand_single(w, out, cx)?
                } else {
                    String::new()
                }
            }
            ParamOp::Error(colon, w) => {
                if is_set_for(*colon, &val) {
                    val.unwrap_or_default()
                } else {
                    let msg = self.expand_single(w, out, cx)?;
                    let msg = if msg.is_empty() {
                        if *colon {
                            "parameter null or not set".to_string()
                        } else {
                            "parameter not set".to_string()
                        }
                    } else {
                        msg
                    };
                    return Err(ExpandError(format!("{}: {msg}", p.name)));
                }
            }
            ParamOp::TrimPrefix(longest, w) | ParamOp::TrimSuffix(longest, w) => {
                let v = val.unwrap_or_default();
                let pat = self.pattern_of(w, out, cx)?;
                let prefix = matches!(p.op, ParamOp::TrimPrefix(..));
                trim_pattern(&v, &pat, prefix, *longest)
            }
        })
    }

    /// A word as a glob pattern (quoted parts match literally).
    fn pattern_of(
        &mut self,
        w: &Word,
        out: &mut Output,
        cx: &mut ExecCx,
    ) -> Result<String, ExpandError> {
        let mut f = Fields {
            done: Vec::new(),
            cur: Field::default(),
            split: false,
        };
        self.expand_parts(&w.0, false, false, &mut f, out, cx)?;
        Ok(f.cur.pattern)
    }

    /// Pathname expansion over the workspace: matches sorted, hidden files only when the
    /// pattern component starts with `.`.
    fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        if comps.is_empty() {
            return Vec::new();
        }
        // (display path, absolute path)
        let mut cur: Vec<(String, String)> = vec![(
            if absolute { "/".into() } else { String::new() },
            if absolute { "/".into() } else { self.fs.cwd() },
        )];
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let mut next = Vec::new();
            let has_magic = comp_has_magic(comp);
            for (shown, abs) in &cur {
                if !has_magic {
                    let lit = unescape_pattern(comp);
                    let a = fs::join(abs, &lit);
                    if self.fs.metadata(&a).is_ok() {
                        next.push((join_shown(shown, &lit), a));
                    }
                    continue;
                }
                let Ok(entries) = self.fs.list(abs) else {
                    continue;
                };
                for e in entries {
                    if e.name.starts_with('.') && !comp.starts_with('.') {
                        continue;
                    }
                    if !last && !e.is_dir {
                        continue;
                    }
                    if fnmatch(comp, &e.name) {
                        next.push((join_shown(shown, &e.name), fs::join(abs, &e.name)));
                    }
                }
            }
            cur = next;
            if cur.is_empty() || cur.len() > 10_000 {
                return Vec::new();
            }
        }
        let mut v: Vec<String> = cur.into_iter().map(|(s, _)| s).collect();
        if pattern.ends_with('/') {
            for s in &mut v {
                s.push('/');
            }
        }
        v.sort_stable();
        v
    }
}

fn join_shown(shown: &str, name: &str) -> String {
    if shown.is_empty() {
        name.to_string()
    } else if shown.ends_with('/') {
        format!("{shown}{name}")
    } else {
        format!("{shown}/{name}")
    }
}

fn comp_has_magic(p: &str) -> bool {
    let mut esc = false;
    for c in p.chars() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' => esc = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

fn unescape_pattern(p: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in p.chars() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Shell pattern matching (`*`, `?`, `[…]` with ranges and `!`/`^`, `\` escapes).
pub(super) fn fnmatch(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = s.chars().collect();
    // iterative matcher with backtracking on the last `*`
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match_one(&p, pi, t[ti]);
        match step {
            Some(Step::Advance(np)) => {
                pi = np;
                ti += 1;
                continue;
            }
            Some(Step::Star) => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            None => {}
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

enum Step {
    Advance(usize),
    Star,
}

fn match_one(p: &[char], pi: usize, c: char) -> Option<Step> {
    let pc = *p.get(pi)?;
    match pc {
        '*' => Some(Step::Star),
        '?' => Some(Step::Advance(pi + 1)),
        '\\' => match p.get(pi + 1) {
            Some(&e) if e == c => Some(Step::Advance(pi + 2)),
            Some(_) => None,
            None => (c == '\\').then_some(Step::Advance(pi + 1)),
        },
        '[' => {
            let mut i = pi + 1;
            let negate = matches!(p.get(i), Some('!') | Some('^'));
            if negate {
                i += 1;
            }
            let mut matched = false;
            let mut first = true;
            loop {
                let Some(&x) = p.get(i) else {
                    // no closing bracket: `[` is literal
                    return (c == '[').then_some(Step::Advance(pi + 1));
                };
                if x == ']' && !first {
                    break;
                }
                first = false;
                if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&e| e != ']') {
                    let hi = p[i + 2];
                    if x <= c && c <= hi {
                        matched = true;
                    }
                    i += 3;
                } else {
                    if x == c {
                        matched = true;
                    }
                    i += 1;
                }
            }
            if matched != negate {
                Some(Step::Advance(i + 1))
            } else {
                None
            }
        }
        other => (other == c).then_some(Step::Advance(pi + 1)),
    }
}

fn trim_pattern(v: &str, pat: &str, prefix: bool, longest: bool) -> String {
    let idx: Vec<usize> = v
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(v.len()))
        .collect();
    if prefix {
        let order: Vec<&usize> = if longest {
            idx.iter().rev().collect()
        } else {
            idx.iter().collect()
        };
        for &i in order {
            if fnmatch(pat, &v[..i]) {
                return v[i..].to_string();
            }
        }
    } else {
        let order: Vec<&usize> = if longest {
            idx.iter().collect()
        } else {
            idx.iter().rev().collect()
        };
        for &i in order {
            if fnmatch(pat, &v[i..]) {
                return v[..i].to_string();
            }
        }
    }
    v.to_string()
}

fn looks_like_assignment(w: &Word) -> bool {
    match w.0.first() {
        Some(Part::Lit(s)) => s
            .split_once('=')
            .is_some_and(|(n, _)| super::parse::is_name(n)),
        _ => false,
    }
}

/// Redirections in effect for one command.
struct Redirected {
    stdin: Option<Vec<u8>>,
    fd1: Target,
    fd2: Target,
}

/// What the executor carries while running one script.
pub(super) struct ExecCx<'a> {
    heredocs: &'a [Word],
}

impl From<FsError> for ExpandError {
    fn from(e: FsError) -> Self {
        ExpandError(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(fnmatch("*.tgz", "common-2.22.0.tgz"));
        assert!(!fnmatch("*.tgz", "a.tgz.bak"));
        assert!(fnmatch("a?c", "abc"));
        assert!(fnmatch("[a-c]x", "bx"));
        assert!(!fnmatch("[!a-c]x", "bx"));
        assert!(fnmatch("\\*", "*"));
        assert!(!fnmatch("\\*", "a"));
        assert!(fnmatch("*", ""));
        assert_eq!(trim_pattern("charts/myapi", "*/", true, false), "myapi");
        assert_eq!(trim_pattern("a.b.c", ".*", false, false), "a.b");
        assert_eq!(trim_pattern("a.b.c", ".*", false, true), "a");
        assert_eq!(trim_pattern("a.b.c", "*.", true, true), "c");
    }
}
