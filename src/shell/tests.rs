//! The shell's own behaviour: expansion, quoting, pipes, redirections, exit codes, and the
//! coreutils texts (checked against bash 5.2 and GNU coreutils 9.1 on this machine).

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::engine::{Env, Timestamp};
use crate::kube::sim::{SimCluster, SplitMix64};
use crate::kube::time::ManualClock;

/// 2026-11-24T10:00:00Z
pub(crate) const NOW: i64 = 1_795_514_400;

pub(crate) fn shell() -> Shell {
    let clock = Rc::new(ManualClock::new(Time(NOW)));
    let sim = SimCluster::new(Box::new(clock), Box::new(SplitMix64(7)));
    let mut fs = MemFs::new("/home/student");
    fs.set_now(NOW);
    Shell::new(
        Box::new(fs),
        Rc::new(RefCell::new(sim)),
        Env::fixed(Timestamp::utc(NOW, 0), 42),
        Host::Browser,
    )
}

/// Runs and returns (stdout, stderr, status).
pub(crate) fn run(sh: &mut Shell, src: &str) -> (String, String, i32) {
    let r = sh.run(src);
    (r.output.stdout_text(), r.output.stderr_text(), r.status)
}

fn out(sh: &mut Shell, src: &str) -> String {
    let (o, e, s) = run(sh, src);
    assert_eq!(e, "", "stderr of {src:?}");
    assert_eq!(s, 0, "status of {src:?}");
    o
}

#[test]
fn variables_quotes_and_substitution() {
    let mut sh = shell();
    assert_eq!(
        out(
            &mut sh,
            "REPO_NAME=k8s-summit-2024; echo $REPO_NAME ${REPO_NAME}!"
        ),
        "k8s-summit-2024 k8s-summit-2024!\n"
    );
    assert_eq!(
        out(&mut sh, r#"X="a  b"; echo $X; echo "$X"; echo '$X'"#),
        "a b\na  b\n$X\n"
    );
    assert_eq!(out(&mut sh, "echo $(echo hi)-$((2 * 3 + 1))"), "hi-7\n");
    assert_eq!(
        out(
            &mut sh,
            "echo ${UNSET:-dflt} ${#REPO_NAME} ${REPO_NAME%-*} ${REPO_NAME#*-}"
        ),
        "dflt 15 k8s-summit summit-2024\n"
    );
    assert_eq!(out(&mut sh, "export A=1; env | grep '^A='"), "A=1\n");
    assert_eq!(
        out(&mut sh, "B=2 env | grep '^B='; echo \"[$B]\""),
        "B=2\n[]\n"
    );
    assert_eq!(out(&mut sh, "echo -n a; echo -e 'b\\tc'"), "ab\tc\n");
    assert_eq!(out(&mut sh, "printf '%s=%d\\n' a 1 b 2"), "a=1\nb=2\n");
    assert_eq!(out(&mut sh, "echo \"$(printf 'x\\n\\n\\n')\""), "x\n");
    assert_eq!(
        out(&mut sh, "false; echo $?; true && echo yes || echo no"),
        "1\nyes\n"
    );
    assert_eq!(out(&mut sh, "! false && echo negated"), "negated\n");
    assert_eq!(
        out(&mut sh, "for i in 1 2 3; do echo -n $i; done; echo"),
        "123\n"
    );
    assert_eq!(
        out(&mut sh, "if [ -d / ]; then echo dir; else echo no; fi"),
        "dir\n"
    );
    assert_eq!(
        out(
            &mut sh,
            "n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo $n"
        ),
        "3\n"
    );
    assert_eq!(out(&mut sh, "echo a # comment"), "a\n");
    assert_eq!(
        out(&mut sh, "cat <<EOF\nhello $REPO_NAME\nEOF"),
        "hello k8s-summit-2024\n"
    );
    // `\` escapes `"` inside double quotes but not in a here-document; both expand `\$`
    // to a literal `$`, keep other backslashes and join lines on `\` + newline
    assert_eq!(
        out(&mut sh, "echo \"a\\\"b \\$x \\\\ \\q `echo c`\""),
        "a\"b $x \\ \\q c\n"
    );
    assert_eq!(
        out(
            &mut sh,
            "cat <<EOF\na\\\"b \\$x \\\\ \\q `echo c` jo\\\nined\nEOF"
        ),
        "a\\\"b $x \\ \\q c joined\n"
    );
}

#[test]
fn errors_like_bash() {
    let mut sh = shell();
    assert_eq!(
        run(&mut sh, "foo"),
        ("".into(), "bash: foo: command not found\n".into(), 127)
    );
    assert_eq!(
        run(&mut sh, "echo 'x"),
        (
            "".into(),
            "bash: unexpected EOF while looking for matching `''\n".into(),
            2
        )
    );
    assert_eq!(
        run(&mut sh, "cd /nope"),
        (
            "".into(),
            "bash: cd: /nope: No such file or directory\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "echo a |"),
        (
            "".into(),
            "bash: syntax error: unexpected end of file\n".into(),
            2
        )
    );
    assert!(!Shell::is_complete("echo \"a"));
    assert!(Shell::is_complete("echo a"));
    assert_eq!(run(&mut sh, "exit 3").2, 3);
}

#[test]
fn files_and_coreutils() {
    let mut sh = shell();
    out(&mut sh, "mkdir k8s-summit-2024 && cd k8s-summit-2024");
    assert_eq!(out(&mut sh, "pwd"), "/home/student/k8s-summit-2024\n");
    assert_eq!(sh.prompt(), "student@chartlab:~/k8s-summit-2024$ ");
    assert_eq!(
        out(&mut sh, "git init"),
        "Initialized empty Git repository in /home/student/k8s-summit-2024/.git/\n"
    );
    assert_eq!(
        out(&mut sh, "git init"),
        "Reinitialized existing Git repository in /home/student/k8s-summit-2024/.git/\n"
    );
    assert_eq!(
        run(&mut sh, "mkdir charts; mkdir charts").1,
        "mkdir: cannot create directory ‘charts’: File exists\n"
    );
    out(
        &mut sh,
        "echo hello > charts/a.txt; echo more >> charts/a.txt",
    );
    assert_eq!(out(&mut sh, "cat charts/a.txt | wc -l"), "2\n");
    assert_eq!(out(&mut sh, "ls"), "charts\n");
    assert_eq!(out(&mut sh, "ls -a"), ".  ..  .git  charts\n");
    assert_eq!(out(&mut sh, "ls -a | cat"), ".\n..\n.git\ncharts\n");
    assert_eq!(out(&mut sh, "ls charts/*.txt"), "charts/a.txt\n");
    assert_eq!(out(&mut sh, "echo charts/*.md"), "charts/*.md\n");
    assert_eq!(
        run(&mut sh, "cat nope"),
        (
            "".into(),
            "cat: nope: No such file or directory\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "rm charts"),
        (
            "".into(),
            "rm: cannot remove 'charts': Is a directory\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut sh, "ls --foo").1,
        "ls: unrecognized option '--foo'\nTry 'ls --help' for more information.\n"
    );
    assert_eq!(run(&mut sh, "ls -z").2, 2);
    out(
        &mut sh,
        "mkdir -p x/y/z && cp -r charts x/y && mv x/y/charts x/c",
    );
    assert_eq!(
        out(&mut sh, "tree x"),
        "x\n├── c\n│\u{a0}\u{a0} └── a.txt\n└── y\n    └── z\n\n3 directories, 1 file\n"
    );
    out(&mut sh, "rm -rf x");
    assert_eq!(
        run(&mut sh, "ls x").1,
        "ls: cannot access 'x': No such file or directory\n"
    );
    assert_eq!(
        out(&mut sh, "printf 'b\\na\\nc\\n' | sort -r | head -n 2"),
        "c\nb\n"
    );
    assert_eq!(
        out(&mut sh, "printf 'a\\nb\\n' | wc"),
        "      2       2       4\n"
    );
    assert_eq!(out(&mut sh, "grep -n more charts/a.txt"), "2:more\n");
    assert_eq!(run(&mut sh, "grep zzz charts/a.txt").2, 1);
    assert_eq!(out(&mut sh, "echo hi 2>&1 >/dev/null"), "");
    assert_eq!(out(&mut sh, "ls nope 2>/dev/null; echo $?"), "2\n");
    assert_eq!(out(&mut sh, "ls nope 2>&1 | wc -l"), "1\n");
}

#[test]
fn binary_pipes() {
    let mut sh = shell();
    assert_eq!(
        out(
            &mut sh,
            "echo hello | gzip | base64 -w0 | base64 -d | gunzip"
        ),
        "hello\n"
    );
    assert_eq!(out(&mut sh, "echo -n hi | base64"), "aGk=\n");
    assert_eq!(
        run(&mut sh, "echo '!!' | base64 -d"),
        ("".into(), "base64: invalid input\n".into(), 1)
    );
    assert_eq!(
        run(&mut sh, "echo hi | gunzip"),
        ("".into(), "\ngzip: stdin: not in gzip format\n".into(), 1)
    );
    assert_eq!(
        out(&mut sh, r#"echo '{"a":{"b":[1,2]}}' | jq .a.b"#),
        "[\n  1,\n  2\n]\n"
    );
    assert_eq!(
        out(&mut sh, r#"echo '{"manifest":"x\ny"}' | jq -r .manifest"#),
        "x\ny\n"
    );
    assert_eq!(
        run(&mut sh, r#"echo '"abc"' | jq .manifest"#),
        (
            "".into(),
            "jq: error (at <stdin>:1): Cannot index string with string \"manifest\"\n".into(),
            5
        )
    );
    assert_eq!(
        out(
            &mut sh,
            r#"echo '[{"x":"y","n":1},{"x":"z","n":2}]' | jq -c 'map(select(.x == "y")) | .[0].n, (.[] | keys)'"#
        ),
        "1\n[\"n\",\"x\"]\n"
    );
}
