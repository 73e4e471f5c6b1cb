//! Doing lessons: "show me" (a step's change applied to the session), setting the session up
//! at any step (every earlier step's change replayed on a fresh session — how "reset step" and
//! a teacher's link to lab 2, step 3 work), and the learner's progress (steps done, the step
//! under way and when it began), saved as JSON in the browser and carried by links as
//! `lab=2&step=3`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::check::{evaluate, project_dir, StepReport};
use super::format::{Lesson, Show};
use super::world::{read_file, write_file, LabWorld};
use crate::playground::examples::{self, ExampleId};

/// Applies a step's "show me" to the session. Edits that are already made are skipped, so
/// showing a step twice does no harm; an edit whose text was changed by hand is refused with
/// a message (resetting the step puts the file back).
pub fn show_me(lesson: &Lesson, step: usize, world: &mut dyn LabWorld) -> Result<(), String> {
    let Some(s) = lesson.steps.get(step) else {
        return Err(format!("{} has no step {}", lesson.title, step + 1));
    };
    let project = project_dir(world, lesson);
    for action in &s.show {
        match action {
            Show::Edit {
                path,
                find,
                replace,
            } => {
                let abs = format!("{project}/{path}");
                let Some(data) = read_file(world, &abs) else {
                    return Err(format!(
                        "{path} does not exist: do the earlier steps first, or reset this step"
                    ));
                };
                let text = String::from_utf8_lossy(&data).into_owned();
                if text.contains(replace.as_str()) {
                    // already made (the replacement may hold the text it replaces)
                    continue;
                }
                match text.matches(find.as_str()).count() {
                    1 => write_file(world, &abs, text.replacen(find.as_str(), replace, 1).as_bytes())?,
                    _ => {
                        return Err(format!(
                            "{path} was changed where this step edits it; reset the step to get the file back"
                        ))
                    }
                }
            }
            Show::Write { path, text } => {
                write_file(world, &format!("{project}/{path}"), text.as_bytes())?
            }
            Show::Append { path, text } => {
                let abs = format!("{project}/{path}");
                let mut cur = read_file(world, &abs).unwrap_or_default();
                if !cur.ends_with(text.as_bytes()) {
                    cur.extend_from_slice(text.as_bytes());
                    write_file(world, &abs, &cur)?;
                }
            }
            Show::Example { example, file, to } => {
                let id =
                    ExampleId::from_key(example).ok_or_else(|| format!("no example {example}"))?;
                let doc = examples::build(id);
                let data = doc
                    .workspace
                    .file(file)
                    .ok_or_else(|| format!("the example {example} has no {file}"))?
                    .to_vec();
                write_file(world, &format!("{project}/{to}"), &data)?;
            }
            Show::Run { command, home } => {
                let want = if *home {
                    world.shell().fs.home()
                } else {
                    project.clone()
                };
                if world.shell().fs.cwd() != want {
                    let to = if *home {
                        "~".to_string()
                    } else {
                        format!("~/{}", lesson.project)
                    };
                    let r = world.run(&format!("cd {to}"));
                    if r.status != 0 {
                        return Err(format!("cd {to}: {}", r.stderr.trim()));
                    }
                }
                let r = world.run(command);
                if r.status != 0 && !command_may_fail(lesson, step, command) {
                    return Err(format!(
                        "`{command}` failed: {}",
                        r.stderr.lines().next().unwrap_or("").trim()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Whether a step checks that `command` fails (lab 4 shows a dependency the browser cannot
/// download).
fn command_may_fail(lesson: &Lesson, step: usize, command: &str) -> bool {
    lesson.steps.get(step).is_some_and(|s| {
        s.checks.iter().any(|c| {
            matches!(c, super::format::Check::Command { run, status: Some(st), .. }
                if *st != 0 && run.iter().any(|r| command.contains(r)))
        })
    })
}

/// Where the learner is: per lesson the steps done, the step under way and the session's
/// sequence number when it began (checks of commands and release actions look from there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Index into the lessons.
    pub lesson: usize,
    /// Index of the step under way; the lesson's step count once all are done.
    pub step: usize,
    /// Per lesson, bit `i`: step `i` is done.
    pub done: Vec<u64>,
    pub since: u64,
    /// Hints shown for the step under way.
    pub hints: usize,
}

impl Progress {
    pub fn new(lessons: &[Lesson]) -> Progress {
        Progress {
            lesson: 0,
            step: 0,
            done: vec![0; lessons.len()],
            since: 0,
            hints: 0,
        }
    }

    pub fn is_done(&self, lesson: usize, step: usize) -> bool {
        step < 64 && self.done.get(lesson).is_some_and(|d| d & (1 << step) != 0)
    }

    fn set_done(&mut self, lesson: usize, step: usize) {
        if let Some(d) = self.done.get_mut(lesson) {
            if step < 64 {
                *d |= 1 << step;
            }
        }
    }

    /// Steps of a lesson done.
    pub fn done_count(&self, lesson: usize) -> u32 {
        self.done.get(lesson).map_or(0, |d| d.count_ones())
    }

    /// Whether every step of the lesson is done.
    pub fn lesson_done(&self, lessons: &[Lesson], lesson: usize) -> bool {
        lessons
            .get(lesson)
            .is_some_and(|l| (0..l.steps.len()).all(|s| self.is_done(lesson, s)))
    }

    /// Moves to a step without touching the session.
    pub fn goto(&mut self, lessons: &[Lesson], lesson: usize, step: usize, world: &dyn LabWorld) {
        let Some(l) = lessons.get(lesson) else {
            return;
        };
        self.lesson = lesson;
        self.step = step.min(l.steps.len());
        self.since = world.next_seq();
        self.hints = 0;
    }

    /// Evaluates the step under way; when it is done, marks it and moves on (through every
    /// following step that is already done by the session's state). Returns the verdict on
    /// the step under way afterwards (`None` once the lesson is complete).
    pub fn refresh(&mut self, lessons: &[Lesson], world: &mut dyn LabWorld) -> Option<StepReport> {
        let lesson = lessons.get(self.lesson)?;
        while self.step < lesson.steps.len() {
            let report = evaluate(lesson, &lesson.steps[self.step], world, self.since);
            if !report.done {
                return Some(report);
            }
            self.set_done(self.lesson, self.step);
            self.step += 1;
            self.since = world.next_seq();
            self.hints = 0;
        }
        None
    }

    /// Sets the session up at a step: a fresh session with the changes of every step before it
    /// (all earlier lessons', then this lesson's) replayed, those steps marked done and the
    /// ones from here on not.
    pub fn prepare(
        &mut self,
        lessons: &[Lesson],
        world: &mut dyn LabWorld,
        lesson: usize,
        step: usize,
    ) -> Result<(), String> {
        let Some(target) = lessons.get(lesson) else {
            return Err("no such lesson".into());
        };
        let step = step.min(target.steps.len().saturating_sub(1));
        world.reset();
        for (li, l) in lessons.iter().enumerate().take(lesson + 1) {
            let upto = if li == lesson { step } else { l.steps.len() };
            for s in 0..upto {
                show_me(l, s, world)
                    .map_err(|e| format!("setting up {} step {}: {e}", l.title, s + 1))?;
                self.set_done(li, s);
            }
        }
        if let Some(d) = self.done.get_mut(lesson) {
            *d &= (1u64 << step) - 1;
        }
        self.lesson = lesson;
        self.step = step;
        self.since = world.next_seq();
        self.hints = 0;
        Ok(())
    }

    /// The progress as saved in the browser (JSON).
    pub fn to_json(&self, lessons: &[Lesson]) -> String {
        let mut done = BTreeMap::new();
        for (i, l) in lessons.iter().enumerate() {
            let steps: Vec<usize> = (0..l.steps.len())
                .filter(|s| self.is_done(i, *s))
                .map(|s| s + 1)
                .collect();
            if !steps.is_empty() {
                done.insert(l.key.clone(), steps);
            }
        }
        let saved = Saved {
            v: 1,
            lesson: lessons
                .get(self.lesson)
                .map(|l| l.key.clone())
                .unwrap_or_default(),
            step: self.step + 1,
            since: self.since,
            hints: self.hints,
            done,
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Progress saved with [`Progress::to_json`]; unknown lessons and steps are left out.
    pub fn from_json(text: &str, lessons: &[Lesson]) -> Result<Progress, String> {
        let saved: Saved =
            serde_json::from_str(text).map_err(|e| format!("saved progress: {e}"))?;
        if saved.v != 1 {
            return Err(format!("saved progress: version {} is not known", saved.v));
        }
        let mut p = Progress::new(lessons);
        for (i, l) in lessons.iter().enumerate() {
            for s in saved.done.get(&l.key).into_iter().flatten() {
                if (1..=l.steps.len()).contains(s) {
                    p.set_done(i, s - 1);
                }
            }
        }
        if let Some(i) = lessons.iter().position(|l| l.key == saved.lesson) {
            p.lesson = i;
            p.step = saved.step.saturating_sub(1).min(lessons[i].steps.len());
        }
        p.since = saved.since;
        p.hints = saved.hints.min(16);
        Ok(p)
    }
}

#[derive(Serialize, Deserialize)]
struct Saved {
    v: u32,
    lesson: String,
    /// 1-based.
    step: usize,
    #[serde(default)]
    since: u64,
    #[serde(default)]
    hints: usize,
    /// lesson key → 1-based steps done.
    #[serde(default)]
    done: BTreeMap<String, Vec<usize>>,
}

/// What a link's fragment says besides the chart: `#v1.…&lab=2&step=3&view=instructor`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkParams {
    /// The share codec's part (`v1.…`), if any.
    pub doc: Option<String>,
    /// Lesson number (the lab's), 1-based step.
    pub lab: Option<u32>,
    pub step: Option<usize>,
    pub instructor: bool,
}

/// Longest `lab`/`step` value read from a link.
const MAX_PARAM_DIGITS: usize = 4;

/// Splits a fragment (without `#`) into the chart and the lesson parameters. Unknown
/// parameters are ignored; a malformed number is an error.
pub fn parse_fragment(fragment: &str) -> Result<LinkParams, String> {
    let mut p = LinkParams::default();
    for part in fragment.split('&').filter(|s| !s.is_empty()) {
        let number = |v: &str, what: &str| -> Result<u64, String> {
            if v.is_empty() || v.len() > MAX_PARAM_DIGITS || !v.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(format!("the link's {what} is not a number: {v:?}"));
            }
            v.parse::<u64>().map_err(|e| e.to_string())
        };
        match part.split_once('=') {
            Some(("lab", v)) => p.lab = Some(number(v, "lab")? as u32),
            Some(("step", v)) => p.step = Some(number(v, "step")? as usize),
            Some(("view", v)) => p.instructor = v == "instructor",
            Some(_) => {}
            None if part.starts_with(crate::playground::share::PREFIX)
                || part.starts_with(crate::playground::share::PREFIX_V2) =>
            {
                p.doc = Some(part.to_string())
            }
            None => {}
        }
    }
    Ok(p)
}

/// The fragment for a chart and a lesson position (`lab=2&step=3`, 1-based step).
pub fn fragment(doc: Option<&str>, lab: Option<(u32, usize)>, instructor: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = doc {
        parts.push(d.to_string());
    }
    if let Some((l, s)) = lab {
        parts.push(format!("lab={l}&step={s}"));
    }
    if instructor {
        parts.push("view=instructor".into());
    }
    parts.join("&")
}

/// The lesson and step (indices) a link points at: `lab` is the lesson's number, `step`
/// 1-based (the first step when missing).
pub fn link_target(lessons: &[Lesson], p: &LinkParams) -> Option<(usize, usize)> {
    let lab = p.lab?;
    let i = lessons.iter().position(|l| l.number == lab)?;
    let step = p.step.unwrap_or(1).clamp(1, lessons[i].steps.len()) - 1;
    Some((i, step))
}
