//! The lessons walked natively on a session of their own: every step of every lesson fails
//! its checks before its "show me" and passes them after, progress follows, the chart at the
//! end of labs 2 and 3 is the built-in example of that stage, setting up at a step and the
//! lab 4 routes work.

use super::check::{evaluate, evaluate_check};
use super::runner::{fragment, link_target, parse_fragment, show_me, LinkParams, Progress};
use super::world::{files_under, LabWorld, ShellWorld, Sources, HOME};
use super::*;
use crate::playground::examples::{self, ExampleId};

/// 2026-11-24T10:00:00Z
const NOW: i64 = 1_795_514_400;

fn world() -> ShellWorld {
    ShellWorld::new(Sources::fixed(NOW, 7))
}

fn chart_dir() -> String {
    format!("{HOME}/k8s-summit-2024/charts/myapi")
}

/// The chart's files in the session, as a file map.
fn chart_files(w: &ShellWorld) -> crate::chart::FileMap {
    let dir = chart_dir();
    files_under(w, &dir, 1000)
        .into_iter()
        .map(|rel| {
            let data = w
                .shell()
                .fs
                .read(&format!("{dir}/{rel}"))
                .unwrap_or_default();
            (rel, data)
        })
        .collect()
}

/// Two charts are the same file for file (a unified diff of the first file that differs).
fn assert_same_chart(got: &crate::chart::FileMap, want: &crate::chart::FileMap, what: &str) {
    let names = |m: &crate::chart::FileMap| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "{what}: the files differ");
    for (name, data) in want {
        let g = String::from_utf8_lossy(&got[name]).into_owned();
        let w = String::from_utf8_lossy(data).into_owned();
        if g != w {
            panic!(
                "{what}: {name} differs:\n{}",
                crate::release::diff::unified(&w, &g, "example", "lesson")
            );
        }
    }
}

fn lesson(key: &str) -> (usize, &'static Lesson) {
    lessons()
        .iter()
        .enumerate()
        .find(|(_, l)| l.key == key)
        .unwrap_or_else(|| panic!("no lesson {key}"))
}

#[test]
fn every_lesson_file_reads() {
    for r in parse_all() {
        r.unwrap_or_else(|e| panic!("{e}"));
    }
    let ls = lessons();
    assert_eq!(
        ls.iter()
            .map(|l| (l.key.as_str(), l.number))
            .collect::<Vec<_>>(),
        [("lab1", 1), ("lab2", 2), ("lab3", 3), ("lab4", 4)]
    );
    for l in ls {
        assert_eq!(l.project, "k8s-summit-2024");
        assert_eq!(l.chart, "charts/myapi");
        assert_eq!(l.release, examples::RELEASE_NAME);
        for s in &l.steps {
            assert!(!s.text.trim().is_empty(), "{}: {}", l.key, s.title);
            assert!(!text::blocks(&s.text).is_empty());
        }
    }
}

/// The native lesson test: every step of every lesson, in order, on one session.
#[test]
fn every_step_fails_before_show_me_and_passes_after() {
    let ls = lessons();
    let mut w = world();
    let mut p = Progress::new(ls);
    for (li, l) in ls.iter().enumerate() {
        p.goto(ls, li, 0, &w);
        for (si, s) in l.steps.iter().enumerate() {
            let at = format!("{} step {} ({})", l.key, si + 1, s.title);
            assert_eq!((p.lesson, p.step), (li, si), "{at}: progress");
            let before = evaluate(l, s, &mut w, p.since);
            assert!(!before.done, "{at}: done before its change: {before:?}");
            assert!(before.first_failure().is_some());
            show_me(l, si, &mut w).unwrap_or_else(|e| panic!("{at}: show me: {e}"));
            let after = evaluate(l, s, &mut w, p.since);
            assert!(after.done, "{at}: not done after show me: {after:?}");
            // progress marks it and moves to the next step, which is not done yet
            let next = p.refresh(ls, &mut w);
            assert!(p.is_done(li, si), "{at}");
            assert_eq!(p.step, si + 1, "{at}: progress moved on");
            assert_eq!(next.is_none(), si + 1 == l.steps.len(), "{at}");
            // showing a step twice does no harm to its files
            if s.show
                .iter()
                .all(|a| !matches!(a, format::Show::Run { .. }))
            {
                show_me(l, si, &mut w).unwrap_or_else(|e| panic!("{at}: show me again: {e}"));
            }
        }
        assert!(p.lesson_done(ls, li), "{}", l.key);
        // the chart at the end of a lab is the built-in example of that stage
        let stage = match l.key.as_str() {
            "lab1" => Some(ExampleId::Scaffold),
            "lab2" => Some(ExampleId::Api),
            "lab3" => Some(ExampleId::Checksum),
            _ => None,
        };
        if let Some(id) = stage {
            assert_same_chart(
                &chart_files(&w),
                &examples::build(id).workspace.to_file_map(),
                &format!("{}: example {}", l.key, id.key()),
            );
        }
    }
    // lab 4's chart: the example's (its Chart.yaml with the oci:// dependency as the workshop
    // writes it), with the archive the stand-in was packed into in place of the example's
    // folder, and the lock `helm dependency update` wrote naming the registry
    let mut files = chart_files(&w);
    let lock = files.remove("Chart.lock").expect("Chart.lock");
    let lock = String::from_utf8_lossy(&lock).into_owned();
    assert!(
        lock.starts_with(
            "dependencies:\n- name: common\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 2.22.0\ndigest: sha256:"
        ),
        "{lock}"
    );
    let archive = files.remove("charts/common-2.22.0.tgz").expect("archive");
    let stand_in = crate::chart::load_archive(&archive).expect("archive loads");
    assert_eq!(stand_in.metadata.name, "common");
    let mut want = examples::build(ExampleId::Dependency)
        .workspace
        .to_file_map();
    want.retain(|k, _| !k.starts_with("charts/"));
    assert_same_chart(&files, &want, "lab4: example lab4-dependency");
}

/// The reasons a learner reads, in lab 3's story.
#[test]
fn lab3_reasons_tell_the_story() {
    let ls = lessons();
    let (li, lab3) = lesson("lab3");
    let mut w = world();
    let mut p = Progress::new(ls);
    p.prepare(ls, &mut w, li, 4).expect("prepare");
    let step = &lab3.steps[4];
    let before = evaluate(lab3, step, &mut w, p.since);
    assert_eq!(
        before.checks[0].reason,
        "no install, upgrade or rollback of myapi-release since this step began"
    );
    assert_eq!(
        before.checks[1].reason,
        "`kubectl get secret myapi-release` has not been run since this step began"
    );
    show_me(lab3, 4, &mut w).expect("show me");
    let after = evaluate(lab3, step, &mut w, p.since);
    // labs 1 and 2 made revisions 1-4; this lab's first upgrade made 5
    assert_eq!(
        after.checks[0].reason,
        "revision 6 (Upgrade complete): Deployment myapi-release: pods roll: no (the pod template did not change)"
    );
    // the fix: the next upgrades roll, and say why
    show_me(lab3, 5, &mut w).expect("checksums");
    let since = w.next_seq();
    show_me(lab3, 6, &mut w).expect("upgrade");
    let o = evaluate_check(&lab3.steps[6].checks[0], lab3, &mut w, since);
    assert!(o.ok, "{o:?}");
    assert!(
        o.reason.contains("pods roll: yes, because pod annotation checksum/config added; pod annotation checksum/secret added"),
        "{}",
        o.reason
    );
    let since = w.next_seq();
    show_me(lab3, 7, &mut w).expect("upgrade");
    let o = evaluate_check(&lab3.steps[7].checks[0], lab3, &mut w, since);
    assert!(
        o.reason
            .ends_with("pods roll: yes, because pod annotation checksum/secret changed"),
        "{}",
        o.reason
    );
}

#[test]
fn reasons_for_files_values_and_releases() {
    let ls = lessons();
    let (_, lab1) = lesson("lab1");
    let (li2, lab2) = lesson("lab2");
    let mut w = world();
    let before = evaluate(lab1, &lab1.steps[1], &mut w, 0);
    assert_eq!(
        before.first_failure(),
        Some("charts/myapi/Chart.yaml does not exist yet")
    );
    let mut p = Progress::new(ls);
    p.prepare(ls, &mut w, li2, 0).expect("prepare");
    let r = evaluate(lab2, &lab2.steps[0], &mut w, p.since);
    assert_eq!(
        r.checks[0].reason,
        "image.repository is \"nginx\" in charts/myapi/values.yaml, not \"tiangolo/uvicorn-gunicorn-fastapi\" yet"
    );
    assert_eq!(
        r.checks[4].reason,
        "charts/myapi/values.yaml has no containerPort yet"
    );
    let r = evaluate(lab2, &lab2.steps[3], &mut w, p.since);
    assert_eq!(
        r.checks[1].reason,
        "myapi-release revision 1 is deployed (Install complete); this step wants deployed, Upgrade complete"
    );
    // a template error is the reason of a render check
    let dep = format!("{}/templates/deployment.yaml", chart_dir());
    w.shell_mut()
        .fs
        .write(&dep, b"{{ .Values.image.repository | nope }}")
        .expect("write");
    let r = evaluate(lab2, &lab2.steps[2], &mut w, p.since);
    assert!(
        r.checks[0]
            .reason
            .starts_with("`helm template myapi-release ./charts/myapi` fails: Error: "),
        "{}",
        r.checks[0].reason
    );
    // the check's own command leaves the learner's $? and directory alone
    w.run("cd / && false");
    evaluate(lab2, &lab2.steps[2], &mut w, p.since);
    assert_eq!(w.shell().last_status(), 1);
    assert_eq!(w.shell().fs.cwd(), "/");
    // show me refuses an edit it cannot place
    let values = format!("{}/values.yaml", chart_dir());
    w.shell_mut()
        .fs
        .write(&values, b"image: {}\n")
        .expect("write");
    let e = show_me(lab2, 0, &mut w).expect_err("changed file");
    assert!(e.contains("reset the step"), "{e}");
}

/// A teacher's link to lab 2, step 3: the session is set up with everything before it.
#[test]
fn a_link_opens_at_lab_2_step_3() {
    let ls = lessons();
    let params = parse_fragment("lab=2&step=3").expect("params");
    let (li, si) = link_target(ls, &params).expect("target");
    assert_eq!((ls[li].key.as_str(), si), ("lab2", 2));
    let mut w = world();
    let mut p = Progress::new(ls);
    p.prepare(ls, &mut w, li, si).expect("prepare");
    assert!(p.lesson_done(ls, 0));
    assert!(p.is_done(li, 0) && p.is_done(li, 1) && !p.is_done(li, 2));
    // the values and the ConfigMap are there, the Deployment is not wired yet
    let report = p.refresh(ls, &mut w).expect("report");
    assert!(!report.done);
    assert_eq!(p.step, 2);
    assert!(w
        .commands()
        .iter()
        .any(|c| c.line == "helm install myapi-release ./charts/myapi"));
    assert_eq!(w.shell().fs.cwd(), format!("{HOME}/k8s-summit-2024"));
    show_me(&ls[li], si, &mut w).expect("show me");
    assert!(p.refresh(ls, &mut w).is_some());
    assert_eq!(p.step, 3);
    // reset the step: back to how it began, later steps not done
    p.prepare(ls, &mut w, li, 2).expect("reset");
    assert!(!p.is_done(li, 2) && !p.is_done(li, 3));
    let r = evaluate(&ls[li], &ls[li].steps[2], &mut w, p.since);
    assert!(!r.done);
}

#[test]
fn progress_round_trips_through_json_and_links() {
    let ls = lessons();
    let mut p = Progress::new(ls);
    let w = world();
    p.goto(ls, 1, 2, &w);
    p.done[0] = 0b111_1111;
    p.done[1] = 0b11;
    p.hints = 1;
    let json = p.to_json(ls);
    assert_eq!(
        json,
        r#"{"v":1,"lesson":"lab2","step":3,"since":1,"hints":1,"done":{"lab1":[1,2,3,4,5,6,7],"lab2":[1,2]}}"#
    );
    assert_eq!(Progress::from_json(&json, ls), Ok(p));
    // unknown lessons and steps out of range are left out; bad JSON is an error
    let q = Progress::from_json(
        r#"{"v":1,"lesson":"nope","step":99,"done":{"lab9":[1],"lab1":[0,2,99]}}"#,
        ls,
    )
    .expect("lenient");
    assert_eq!((q.lesson, q.step, q.done[0]), (0, 0, 0b10));
    assert!(Progress::from_json("{", ls).is_err());
    assert!(Progress::from_json(r#"{"v":2,"lesson":"lab1","step":1}"#, ls).is_err());

    // links
    assert_eq!(
        parse_fragment("v1.abc&lab=2&step=3&view=instructor"),
        Ok(LinkParams {
            doc: Some("v1.abc".into()),
            lab: Some(2),
            step: Some(3),
            instructor: true
        })
    );
    assert_eq!(
        fragment(Some("v1.abc"), Some((2, 3)), true),
        "v1.abc&lab=2&step=3&view=instructor"
    );
    assert_eq!(fragment(None, Some((4, 1)), false), "lab=4&step=1");
    assert_eq!(
        parse_fragment("v1.abc"),
        Ok(LinkParams {
            doc: Some("v1.abc".into()),
            ..Default::default()
        })
    );
    assert!(parse_fragment("lab=x").is_err());
    assert!(parse_fragment("step=99999").is_err());
    // out-of-range steps go to the nearest; unknown labs nowhere
    let far = parse_fragment("lab=1&step=50").expect("params");
    assert_eq!(link_target(ls, &far), Some((0, ls[0].steps.len() - 1)));
    assert_eq!(link_target(ls, &parse_fragment("lab=9").expect("p")), None);
    assert_eq!(
        link_target(ls, &parse_fragment("lab=3").expect("p")),
        Some((2, 0))
    );
}

/// Lab 4 with the chart supplied as the archive `helm pull` saves: Bitnami's real `common`
/// (the copy in the conformance corpus), packaged into charts/myapi/charts/.
#[test]
fn lab4_with_a_real_archive() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/cases/rw-nginx-o1/chart/charts/common");
    if !src.is_dir() {
        eprintln!("skipped: {} is not there", src.display());
        return;
    }
    let ls = lessons();
    let (li, lab4) = lesson("lab4");
    let mut w = world();
    let mut p = Progress::new(ls);
    p.prepare(ls, &mut w, li, 2).expect("prepare");
    // the learner's machine: the chart as `helm pull` would save it
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&src)
                    .expect("rel")
                    .to_string_lossy()
                    .into_owned();
                let data = std::fs::read(&path).expect("read");
                world::write_file(&mut w, &format!("/tmp/pulled/common/{rel}"), &data)
                    .expect("write");
            }
        }
    }
    let r = w.run("helm package /tmp/pulled/common -d charts/myapi/charts");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("common-2.31.10.tgz"), "{}", r.stdout);
    assert!(p.refresh(ls, &mut w).is_some());
    assert_eq!(p.step, 3, "the archive supplies the chart");
    // the workshop's commands: the archive stands in for the registry
    let r = w.run("helm dependency update charts/myapi");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("which you supplied"), "{}", r.stdout);
    w.run("helm dependency build charts/myapi");
    let r = w.run("helm dependency list charts/myapi");
    assert!(
        r.stdout
            .contains("oci://registry-1.docker.io/bitnamicharts\tok"),
        "{}",
        r.stdout
    );
    assert!(p.refresh(ls, &mut w).is_some());
    assert_eq!(p.step, 4, "locked and built");
    let lock = w
        .shell()
        .fs
        .read(&format!("{}/Chart.lock", chart_dir()))
        .expect("lock");
    assert!(String::from_utf8_lossy(&lock).contains("  version: 2.31.10\n"));
    // and the release takes it
    show_me(lab4, 4, &mut w).expect("gitignore");
    p.refresh(ls, &mut w);
    show_me(lab4, 5, &mut w).expect("upgrade");
    assert!(p.refresh(ls, &mut w).is_none());
    assert!(p.lesson_done(ls, li));
}

/// Lab 4 the other way: the chart as a folder next to myapi and a `file://` repository.
#[test]
fn lab4_with_a_folder() {
    let ls = lessons();
    let (li, lab4) = lesson("lab4");
    let mut w = world();
    let mut p = Progress::new(ls);
    p.prepare(ls, &mut w, li, 2).expect("prepare");
    let doc = examples::build(ExampleId::Dependency);
    for f in [
        "charts/common/Chart.yaml",
        "charts/common/templates/_names.tpl",
    ] {
        let data = doc.workspace.file(f).expect("example file").to_vec();
        world::write_file(&mut w, &format!("{HOME}/k8s-summit-2024/{f}"), &data).expect("write");
    }
    assert!(p.refresh(ls, &mut w).is_some());
    assert_eq!(p.step, 3, "the folder supplies the chart");
    // with the oci:// repository Helm would still go to the registry
    let r = w.run("helm dependency update charts/myapi");
    assert_eq!(r.status, 1);
    let step = &lab4.steps[3];
    assert!(!evaluate(lab4, step, &mut w, p.since).done);
    let chart_yaml = format!("{}/Chart.yaml", chart_dir());
    let text =
        String::from_utf8(w.shell().fs.read(&chart_yaml).expect("Chart.yaml")).expect("utf-8");
    w.shell_mut()
        .fs
        .write(
            &chart_yaml,
            text.replace(
                "oci://registry-1.docker.io/bitnamicharts",
                "file://../common",
            )
            .as_bytes(),
        )
        .expect("write");
    let r = w.run("helm dependency update charts/myapi && helm dependency build charts/myapi");
    assert_eq!(r.status, 0, "{}", r.stderr);
    let report = evaluate(lab4, step, &mut w, p.since);
    assert!(report.done, "{report:?}");
    let lock = w
        .shell()
        .fs
        .read(&format!("{}/Chart.lock", chart_dir()))
        .expect("lock");
    assert!(String::from_utf8_lossy(&lock).starts_with(
        "dependencies:\n- name: common\n  repository: file://../common\n  version: 2.22.0\n"
    ));
}
