//! `jq` (jq 1.7.1's command line, `src/main.c`): options, the input stream, output
//! formatting (2-space indent, `-r`, `-j`, `-c`, `-S`, `--tab`, `--indent`, `-a`; no colors),
//! `--arg`/`--argjson`, and jq's error texts and exit codes.

mod eval;
mod parse;

use serde_json::{Map, Value};

use super::io::Ctx;
use super::Shell;
use eval::{DumpOpts, Error, Interp};

const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n";

struct Opts {
    raw: bool,
    join: bool,
    compact: bool,
    null_input: bool,
    slurp: bool,
    exit_status: bool,
    sort_keys: bool,
    ascii: bool,
    tab: bool,
    indent: usize,
    raw_input: bool,
    vars: Vec<(String, Value)>,
}

/// `jq [options] filter [files…]`.
pub(super) fn main(sh: &mut Shell, args: &[String], ctx: &mut Ctx) -> i32 {
    let mut o = Opts {
        raw: false,
        join: false,
        compact: false,
        null_input: false,
        slurp: false,
        exit_status: false,
        sort_keys: false,
        ascii: false,
        tab: false,
        indent: 2,
        raw_input: false,
        vars: Vec::new(),
    };
    let mut filter: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    let mut named = Vec::new();
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a.starts_with("--") && a.len() > 2 {
            match a.as_str() {
                "--raw-output" => o.raw = true,
                "--join-output" => {
                    o.raw = true;
                    o.join = true
                }
                "--compact-output" => o.compact = true,
                "--null-input" => o.null_input = true,
                "--slurp" => o.slurp = true,
                "--exit-status" => o.exit_status = true,
                "--sort-keys" => o.sort_keys = true,
                "--ascii-output" => o.ascii = true,
                "--raw-input" => o.raw_input = true,
                "--monochrome-output" | "--color-output" | "--unbuffered" | "--seq" => {}
                "--tab" => o.tab = true,
                "--indent" => {
                    let Some(n) = args.get(i) else {
                        return ctx.fail("jq: --indent takes one parameter\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq", 2);
                    };
                    i += 1;
                    match n.parse::<usize>() {
                        Ok(v) if v <= 7 => o.indent = v,
                        Ok(_) => return ctx.fail("jq: Cannot indent more than 7 characters\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq", 2),
                        Err(_) => return ctx.fail("jq: --indent takes a number", 2),
                    }
                }
                "--arg" | "--argjson" => {
                    let (Some(n), Some(v)) = (args.get(i), args.get(i + 1)) else {
                        return ctx.fail(format!("jq: {a} takes two parameters (e.g. {a} varname value)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq"), 2);
                    };
                    i += 2;
                    let val = if a == "--arg" {
                        Value::String(v.clone())
                    } else {
                        match serde_json::from_str::<Value>(v) {
                            Ok(x) => x,
                            Err(_) => {
                                return ctx.fail("jq: Invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq", 2)
                            }
                        }
                    };
                    named.push((n.clone(), val.clone()));
                    o.vars.push((n.clone(), val));
                }
                "--help" => {
                    ctx.out(USAGE);
                    return 0;
                }
                "--version" => {
                    ctx.out("jq-1.7.1\n");
                    return 0;
                }
                other => {
                    return ctx.fail(format!("jq: Unknown option: {other}\n{USAGE}"), 2);
                }
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") {
            for c in a[1..].chars() {
                match c {
                    'r' => o.raw = true,
                    'j' => {
                        o.raw = true;
                        o.join = true
                    }
                    'c' => o.compact = true,
                    'n' => o.null_input = true,
                    's' => o.slurp = true,
                    'e' => o.exit_status = true,
                    'S' => o.sort_keys = true,
                    'a' => o.ascii = true,
                    'R' => o.raw_input = true,
                    'M' | 'C' => {}
                    'h' => {
                        ctx.out(USAGE);
                        return 0;
                    }
                    _ => return ctx.fail(format!("jq: Unknown option: {a}\n{USAGE}"), 2),
                }
            }
            continue;
        }
        if filter.is_none() {
            filter = Some(a.clone());
        } else {
            files.push(a.clone());
        }
    }
    let Some(filter) = filter else {
        // jq with no program and a terminal: usage; with piped input it means `.`
        if ctx.stdin.is_empty() && files.is_empty() {
            ctx.err(USAGE);
            return 2;
        }
        return run(sh, ".", &files, o, named, ctx);
    };
    run(sh, &filter, &files, o, named, ctx)
}

fn run(
    sh: &mut Shell,
    filter: &str,
    files: &[String],
    o: Opts,
    named: Vec<(String, Value)>,
    ctx: &mut Ctx,
) -> i32 {
    let prog = match parse::parse(filter) {
        Ok(p) => p,
        Err(e) => {
            return ctx.fail(format!("jq: error: {e}\njq: 1 compile error"), 3);
        }
    };
    // the inputs
    let mut text = Vec::new();
    let mut label = "<stdin>".to_string();
    if files.is_empty() {
        text.extend_from_slice(ctx.stdin);
    } else {
        for f in files {
            match sh.fs.read(&sh.abs(f)) {
                Ok(d) => {
                    text.extend(d);
                    label = f.clone();
                }
                Err(e) => {
                    return ctx.fail(format!("jq: error: Could not open {f}: {e}"), 2);
                }
            }
        }
    }
    let mut env_vars = Map::new();
    for (k, v) in sh.exported() {
        env_vars.insert(k, Value::String(v));
    }
    let mut interp = Interp::new(env_vars);
    let mut vars = o.vars.clone();
    vars.push(("__prog_args".into(), eval::named_args(&named)));
    vars.push(("ARGS".into(), eval::named_args(&named)));
    let dump_opts = DumpOpts {
        indent: if o.compact {
            None
        } else if o.tab {
            Some(1)
        } else {
            Some(o.indent)
        },
        tab: o.tab && !o.compact,
        sort_keys: o.sort_keys,
        ascii: o.ascii,
    };
    // (value, line number reported in errors)
    let mut inputs: Vec<(Value, String)> = Vec::new();
    let mut parse_error: Option<String> = None;
    let src = String::from_utf8_lossy(&text).into_owned();
    if o.raw_input {
        if o.slurp {
            inputs.push((Value::String(src.clone()), format!("{label}:0")));
        } else {
            for (n, l) in src.lines().enumerate() {
                inputs.push((Value::String(l.to_string()), format!("{label}:{}", n + 1)));
            }
        }
    } else if !o.null_input || !src.trim().is_empty() {
        let mut stream = serde_json::Deserializer::from_str(&src).into_iter::<Value>();
        loop {
            match stream.next() {
                None => break,
                Some(Ok(v)) => {
                    let end = stream.byte_offset();
                    let upto = (end + 1).min(src.len());
                    let line = src.as_bytes()[..upto]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count();
                    inputs.push((v, format!("{label}:{line}")));
                }
                Some(Err(e)) => {
                    parse_error = Some(parse_error_text(&e, &src));
                    break;
                }
            }
            if inputs.len() > 1_000_000 {
                break;
            }
        }
    }
    let runs: Vec<(Value, String)> = if o.null_input {
        vec![(Value::Null, "<unknown>".to_string())]
    } else if o.slurp && !o.raw_input {
        let all: Vec<Value> = inputs.iter().map(|(v, _)| v.clone()).collect();
        let last = inputs
            .last()
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| format!("{label}:0"));
        vec![(Value::Array(all), last)]
    } else {
        inputs
    };
    let mut status = 0;
    let mut last_output: Option<Value> = None;
    let mut out = String::new();
    for (input, at) in runs {
        match interp.run(&prog, input, &vars) {
            Ok(values) => {
                for v in values {
                    write_value(&v, &o, &dump_opts, &mut out);
                    last_output = Some(v);
                }
            }
            Err(e) => {
                ctx.out(std::mem::take(&mut out));
                if let Some(name) = eval::undefined_function(&e) {
                    return ctx.fail(format!("jq: error: {name} is not defined at <top-level>, line 1:\n{filter}\njq: 1 compile error"), 3);
                }
                match e {
                    Error::Value(Value::String(s)) => {
                        ctx.err(format!("jq: error (at {at}): {s}\n"));
                    }
                    Error::Value(Value::Null) => {
                        ctx.err(format!("jq: error (at {at}) (not a string): null\n"));
                    }
                    Error::Value(other) => {
                        ctx.err(format!(
                            "jq: error (at {at}) (not a string): {}\n",
                            eval::dump(&other, None, false)
                        ));
                    }
                    Error::Break(_) => {
                        ctx.err(format!("jq: error (at {at}): break\n"));
                    }
                    Error::Limit(m) => {
                        if !m.is_empty() {
                            ctx.err(format!("{m}\n"));
                        }
                    }
                }
                status = 5;
            }
        }
    }
    ctx.out(out);
    if let Some(pe) = parse_error {
        ctx.err(format!("jq: parse error: {pe}\n"));
        return 5;
    }
    if status != 0 {
        return status;
    }
    if o.exit_status {
        return match last_output {
            None => 4,
            Some(Value::Null) | Some(Value::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    0
}

fn write_value(v: &Value, o: &Opts, d: &DumpOpts, out: &mut String) {
    match v {
        Value::String(s) if o.raw => out.push_str(s),
        other => eval::dump_with(other, d, 0, out),
    }
    if !o.join {
        out.push('\n');
    }
}

/// A JSON input error in jq's words (`Invalid numeric literal at line 1, column 5`).
fn parse_error_text(e: &serde_json::Error, src: &str) -> String {
    let (line, col) = (e.line(), e.column());
    let msg = e.to_string();
    let what = if msg.contains("EOF while parsing") {
        let lines = src.matches('\n').count() + 1;
        return format!("Unfinished JSON term at EOF at line {lines}, column 0");
    } else if msg.contains("expected value") || msg.contains("expected ident") {
        "Invalid literal"
    } else if msg.contains("invalid number") {
        "Invalid numeric literal"
    } else if msg.contains("trailing comma") {
        "Expected another key-value pair"
    } else if msg.contains("key must be a string") {
        "Object keys must be strings"
    } else if msg.contains("control character") {
        "Invalid string: control characters from U+0000 through U+001F must be escaped"
    } else {
        "Invalid JSON text"
    };
    format!("{what} at line {line}, column {col}")
}
