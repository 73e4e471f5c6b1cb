//! The lesson format: data, not code. One YAML file per lesson (bundled into the app), read
//! with the project's own YAML loader (sigs.k8s.io/yaml's rules) into the types below.
//!
//! ```yaml
//! key: lab2                       # stable: links, saved progress
//! number: 2
//! title: Turn it into an API
//! summary: One line for the lesson list.
//! project: k8s-summit-2024        # folder under $HOME the commands run in
//! chart: charts/myapi             # the chart, relative to the project
//! release: myapi-release
//! intro: Text shown above the steps.
//! steps:
//!   - title: …
//!     text: …                     # ChartLab's own words; `code`, **bold**, ``` blocks, - lists
//!     files: [charts/myapi/values.yaml]          # what it asks to edit (opened on click)
//!     commands: ["helm upgrade --install …"]     # what it asks to run (typed on click)
//!     hints: [first hint, second hint]
//!     checks:                     # all must pass (see Check)
//!       - file: {path: charts/myapi/values.yaml, contains: "containerPort: 8080"}
//!     show:                       # "show me": the step's change (see Show)
//!       - edit: {path: …, find: …, replace: …}
//!     then: Shown once the step is done.
//! ```
//!
//! Paths are relative to the project folder; a lesson is refused when a path climbs out of it,
//! a regular expression does not compile (Go's RE2 syntax), or a step has no check or nothing
//! to show.

use serde::Deserialize;
use serde_json::Value as J;

/// One or several strings (`contains: x` or `contains: [x, y]`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(from = "OneOrMany")]
pub struct Strings(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrMany> for Strings {
    fn from(v: OneOrMany) -> Self {
        match v {
            OneOrMany::One(s) => Strings(vec![s]),
            OneOrMany::Many(v) => Strings(v),
        }
    }
}

impl Strings {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A guided lesson: one lab of the workshop.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub key: String,
    pub number: u32,
    pub title: String,
    pub summary: String,
    /// The folder under `$HOME` the lesson works in.
    pub project: String,
    /// The chart's folder, relative to the project.
    pub chart: String,
    pub release: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    #[serde(default)]
    pub intro: String,
    pub steps: Vec<Step>,
}

fn default_namespace() -> String {
    "default".into()
}

/// One step: what to do, how it is checked, how "show me" does it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    pub text: String,
    /// Files the step asks to write or edit (relative to the project).
    #[serde(default)]
    pub files: Vec<String>,
    /// Commands the step asks to run, as typed.
    #[serde(default)]
    pub commands: Vec<String>,
    #[serde(default)]
    pub hints: Vec<String>,
    pub checks: Vec<Check>,
    pub show: Vec<Show>,
    /// What to notice once the step is done.
    #[serde(default)]
    pub then: String,
}

/// A machine check against the playground's state. Checks about commands and release actions
/// only look at what happened since the step began.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A file of the project exists and holds each of `contains` and none of `lacks`; with
    /// `missing: true`, the file must not exist.
    File {
        path: String,
        #[serde(default)]
        contains: Strings,
        #[serde(default)]
        lacks: Strings,
        #[serde(default)]
        missing: bool,
    },
    /// A file in a folder of the project has a name matching `name` (a regular expression).
    Entry { dir: String, name: String },
    /// A YAML file's value at a dotted key (`image.repository`) equals `equals`.
    Value {
        file: String,
        key: String,
        equals: J,
    },
    /// `helm template RELEASE ./CHART` succeeds and prints each of `contains` and none of
    /// `lacks`.
    Render {
        #[serde(default)]
        contains: Strings,
        #[serde(default)]
        lacks: Strings,
    },
    /// The release's latest revision (or revision `revision`) exists, with this status and
    /// description.
    Release {
        #[serde(default)]
        revision: Option<i64>,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        description: Option<String>,
    },
    /// The last release action since the step began: what it was (`install`, `upgrade`,
    /// `rollback`), whether the Deployment's pods rolled (and why), what it did to an object.
    Action {
        #[serde(default)]
        did: Option<String>,
        #[serde(default)]
        rolled: Option<bool>,
        /// Words of the reason the pods rolled (`checksum/secret changed`).
        #[serde(default)]
        because: Option<String>,
        #[serde(default)]
        object: Option<ObjectExpect>,
    },
    /// A command run since the step began: its line contains `run` (spaces collapsed), its
    /// output (stdout and stderr) contains each of `printed` and matches `printed_regex`, and
    /// it ended with `status` (0 unless given).
    Command {
        /// The command, or several ways to write it (`[helm list, helm ls]`).
        run: Strings,
        #[serde(default)]
        printed: Strings,
        #[serde(default)]
        printed_regex: Option<String>,
        #[serde(default)]
        status: Option<i32>,
    },
    /// A shell variable is set and matches `regex`.
    Variable { name: String, regex: String },
    /// `helm dependency list CHART` gives the dependency this status (`ok` unless given).
    Dependency {
        name: String,
        #[serde(default = "default_dep_status")]
        status: String,
    },
    /// Passes when one of the checks passes (two ways to do a step).
    Any(Vec<Check>),
    /// Passes when every check passes (a branch of `any`).
    All(Vec<Check>),
}

/// How deep `any`/`all` may nest.
const MAX_NESTING: usize = 4;

fn default_dep_status() -> String {
    "ok".into()
}

/// What a release action did to one object (`created`, `configured`, `unchanged`, `deleted`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectExpect {
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    pub action: String,
}

/// One part of a step's "show me".
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Show {
    /// Replaces the one occurrence of `find` (nothing to do when `replace` is already there,
    /// `find` is not).
    Edit {
        path: String,
        find: String,
        replace: String,
    },
    /// Writes a whole file.
    Write { path: String, text: String },
    /// Appends to a file (nothing to do when it already ends with `text`).
    Append { path: String, text: String },
    /// Writes a file of a built-in example (its key, the file in it) to `to`.
    Example {
        example: String,
        file: String,
        to: String,
    },
    /// Runs a command in the terminal, in the project folder (or in `$HOME` with `home: true`).
    Run {
        command: String,
        #[serde(default)]
        home: bool,
    },
}

/// Rewrites whole-number floats as integers: sigs.k8s.io/yaml reads every number as float64.
fn integral(v: J) -> J {
    match v {
        J::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 && n.is_f64() => J::from(f as i64),
            _ => J::Number(n),
        },
        J::Array(a) => J::Array(a.into_iter().map(integral).collect()),
        J::Object(m) => J::Object(m.into_iter().map(|(k, v)| (k, integral(v))).collect()),
        other => other,
    }
}

/// A YAML document as JSON, the way the lessons and the `value` check compare them.
pub fn yaml_to_json(text: &str) -> Result<J, String> {
    let v = crate::yaml::parse(text).map_err(|e| e.to_string())?;
    crate::json::to_serde(&v).map(integral)
}

/// A path of the project, checked: relative, no `..`, no empty parts.
fn check_path(p: &str) -> Result<(), String> {
    if p.is_empty()
        || p.starts_with('/')
        || p.split('/').any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(format!(
            "path {p:?} must be relative to the project, without . or .."
        ));
    }
    Ok(())
}

fn check_regex(r: &str) -> Result<(), String> {
    crate::sprig::regex::compile(r)
        .map(|_| ())
        .map_err(|e| format!("regular expression {r:?}: {e}"))
}

impl Check {
    fn validate(&self, depth: usize) -> Result<(), String> {
        match self {
            Check::Any(list) | Check::All(list) => {
                if depth >= MAX_NESTING {
                    return Err("any/all nest too deep".into());
                }
                if list.is_empty() {
                    return Err("any/all needs checks".into());
                }
                list.iter().try_for_each(|c| c.validate(depth + 1))
            }
            Check::File { path, .. } => check_path(path),
            Check::Entry { dir, name } => {
                check_path(dir)?;
                check_regex(name)
            }
            Check::Value { file, key, .. } => {
                check_path(file)?;
                if key.is_empty() {
                    return Err("a value check needs a key".into());
                }
                Ok(())
            }
            Check::Render { contains, lacks } => {
                if contains.is_empty() && lacks.is_empty() {
                    return Err("a render check needs contains or lacks".into());
                }
                Ok(())
            }
            Check::Release { .. } => Ok(()),
            Check::Action { did, object, .. } => {
                if let Some(d) = did {
                    if !matches!(d.as_str(), "install" | "upgrade" | "rollback") {
                        return Err(format!("unknown action {d:?}"));
                    }
                }
                if let Some(o) = object {
                    if !matches!(
                        o.action.as_str(),
                        "created" | "configured" | "unchanged" | "deleted"
                    ) {
                        return Err(format!("unknown object action {:?}", o.action));
                    }
                }
                Ok(())
            }
            Check::Command {
                run, printed_regex, ..
            } => {
                if run.is_empty() || run.iter().any(|r| r.trim().is_empty()) {
                    return Err("a command check needs the command".into());
                }
                match printed_regex {
                    Some(r) => check_regex(r),
                    None => Ok(()),
                }
            }
            Check::Variable { regex, .. } => check_regex(regex),
            Check::Dependency { .. } => Ok(()),
        }
    }
}

impl Show {
    fn validate(&self) -> Result<(), String> {
        match self {
            Show::Edit { path, find, .. } => {
                check_path(path)?;
                if find.is_empty() {
                    return Err("an edit needs the text to find".into());
                }
                Ok(())
            }
            Show::Write { path, .. } | Show::Append { path, .. } => check_path(path),
            Show::Example { example, file, to } => {
                check_path(file)?;
                check_path(to)?;
                if super::super::examples::ExampleId::from_key(example).is_none() {
                    return Err(format!("no example {example:?}"));
                }
                Ok(())
            }
            Show::Run { command, .. } => {
                if command.trim().is_empty() {
                    return Err("a run needs a command".into());
                }
                Ok(())
            }
        }
    }
}

impl Lesson {
    /// Reads a lesson file and checks it.
    pub fn parse(text: &str) -> Result<Lesson, String> {
        let json = yaml_to_json(text)?;
        let lesson: Lesson = serde_json::from_value(json).map_err(|e| e.to_string())?;
        lesson.validate()?;
        Ok(lesson)
    }

    fn validate(&self) -> Result<(), String> {
        check_path(&self.project)?;
        check_path(&self.chart)?;
        if self.steps.is_empty() || self.steps.len() > 64 {
            return Err(format!(
                "{}: a lesson has 1 to 64 steps, not {}",
                self.key,
                self.steps.len()
            ));
        }
        for (i, s) in self.steps.iter().enumerate() {
            let at = |e: String| format!("{} step {} ({}): {e}", self.key, i + 1, s.title);
            if s.checks.is_empty() {
                return Err(at("no checks".into()));
            }
            if s.show.is_empty() {
                return Err(at("nothing to show".into()));
            }
            for c in &s.checks {
                c.validate(0).map_err(at)?;
            }
            for a in &s.show {
                a.validate().map_err(at)?;
            }
            for f in &s.files {
                check_path(f).map_err(at)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
key: t
number: 1
title: T
summary: S
project: p
chart: charts/c
release: r
steps:
  - title: one
    text: do it
    checks:
      - file: {path: a.txt, contains: x}
      - release: {revision: 2, status: deployed}
      - command: {run: "helm ls", printed: [a, b], printed_regex: "^a"}
    show:
      - write: {path: a.txt, text: "x\n"}
      - run: {command: helm ls}
"#;

    #[test]
    fn reads_a_lesson() {
        let l = Lesson::parse(MINIMAL).expect("parse");
        assert_eq!(l.namespace, "default");
        let s = &l.steps[0];
        match &s.checks[0] {
            Check::File {
                path,
                contains,
                missing,
                ..
            } => {
                assert_eq!(path, "a.txt");
                assert_eq!(contains.0, vec!["x"]);
                assert!(!missing);
            }
            other => panic!("{other:?}"),
        }
        // numbers are integers again
        assert!(matches!(
            s.checks[1],
            Check::Release {
                revision: Some(2),
                ..
            }
        ));
        assert!(matches!(&s.checks[2], Check::Command { printed, .. } if printed.0.len() == 2));
    }

    #[test]
    fn refuses_bad_lessons() {
        let cases = [
            (
                MINIMAL.replace("path: a.txt, contains", "path: ../a.txt, contains"),
                "relative",
            ),
            (MINIMAL.replace("\"^a\"", "\"(\""), "regular expression"),
            (
                MINIMAL.replace("file: {path", "files: {path"),
                "unknown variant",
            ),
            (
                MINIMAL.replace("title: one", "title: one\n    extra: 1"),
                "unknown field",
            ),
            (
                MINIMAL.replace(
                    "      - run: {command: helm ls}\n",
                    "      - example: {example: nope, file: a, to: b}\n",
                ),
                "no example",
            ),
        ];
        for (text, want) in cases {
            let e = Lesson::parse(&text).expect_err(want);
            assert!(e.contains(want), "{e}");
        }
        assert!(Lesson::parse("key: [").is_err());
    }

    #[test]
    fn yaml_numbers_compare_as_written() {
        assert_eq!(
            yaml_to_json("a: 8080\nb: \"8080\"\nc: 1.5\n").expect("yaml"),
            serde_json::json!({"a": 8080, "b": "8080", "c": 1.5})
        );
    }
}
