//! Share links: the whole document (chart, release settings, user values) and the open file in
//! a URL fragment, `#v1.<base64url>`. The bytes are this module's binary layout (see [`wire`]),
//! raw-deflated when that is shorter.
//!
//! Version 2 (`#v2.…`) is version 1's layout followed by a position in the guided lessons (lab,
//! step, instructor view), so a teacher's link opens at lab 2, step 3. A link without one is
//! still written as version 1, which this module keeps reading.
//!
//! A chart derived from a built-in example is written as its difference from that example —
//! whole files only where they are new, line hunks ([`diff`]) where they were edited — so the
//! scaffold with one edit fits in well under 200 characters.
//!
//! Links come from anywhere, so decoding trusts nothing: the text and the decompressed size are
//! capped, every count and length is checked, paths go through the workspace's checks, hunks
//! must fit the file they patch, and the settings' sizes are validated. A bad link is refused
//! with a message.
//!
//! [`wire`]: super::wire
//! [`diff`]: super::diff

use std::io::{Read, Write};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use super::diff::{self, Hunk};
use super::document::{Document, Overrides, ReleaseSettings, SetEntry, SetKind};
use super::examples::{self, ExampleId};
use super::wire::{Reader, Writer};
use super::workspace::{self, Workspace};

/// What a link starts with (after `#`): the format's version.
pub const PREFIX: &str = "v1.";
/// The prefix of a link that also carries a lesson position.
pub const PREFIX_V2: &str = "v2.";
/// Highest lab number and step a link may name.
const MAX_LESSON_NUMBER: usize = 999;
/// Longest link text decoded (Chromium's URL limit is 2 MB; this leaves room for pasting).
pub const MAX_LINK_CHARS: usize = 4 << 20;
/// Most bytes a link may decompress to.
pub const MAX_DECODED_BYTES: usize = 32 << 20;
/// Most hunks one patched file may have.
const MAX_HUNKS: usize = 100_000;

const OP_PUT: u8 = 1;
const OP_PATCH: u8 = 2;
const OP_DELETE: u8 = 3;

const REL_NAME: u8 = 1;
const REL_NAMESPACE: u8 = 2;
const REL_REVISION: u8 = 4;
const REL_UPGRADE: u8 = 8;
const REL_KUBE: u8 = 16;
const REL_APIS: u8 = 32;

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub doc: Document,
    /// The example the chart was derived from (also what "reset" goes back to).
    pub origin: Option<ExampleId>,
    /// The file open in the editor.
    pub selected: Option<String>,
    /// Where the guided lessons stand (version 2 links only).
    pub lesson: Option<LessonLink>,
}

/// A position in the guided lessons: the lab's number, the step (1-based) and whether the
/// instructor's view is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonLink {
    pub lab: u32,
    pub step: u32,
    pub instructor: bool,
}

const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn base_doc(origin: Option<ExampleId>) -> Document {
    match origin {
        Some(id) => examples::build(id),
        None => Document::default(),
    }
}

/// Encodes a document as the text after `#` in a share link.
pub fn encode(shared: &Shared) -> String {
    let mut body = encode_body(shared);
    let prefix = match &shared.lesson {
        None => PREFIX,
        Some(l) => {
            let mut w = Writer::default();
            w.u8(u8::from(l.instructor));
            w.usize(l.lab as usize);
            w.usize(l.step as usize);
            body.extend_from_slice(&w.buf);
            PREFIX_V2
        }
    };
    let mut framed = Vec::with_capacity(body.len() + 1);
    let compressed = deflate(&body);
    if compressed.len() < body.len() {
        framed.push(1);
        framed.extend_from_slice(&compressed);
    } else {
        framed.push(0);
        framed.extend_from_slice(&body);
    }
    format!("{prefix}{}", B64.encode(framed))
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // writing into a Vec cannot fail
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn encode_body(shared: &Shared) -> Vec<u8> {
    let base = base_doc(shared.origin);
    let mut w = Writer::default();
    w.u8(shared.origin.map_or(0, ExampleId::code));
    encode_release(&mut w, &shared.doc.release, &base.release);
    let o = &shared.doc.overrides;
    w.str(&o.values);
    w.usize(o.set.len());
    for e in &o.set {
        w.u8(e.kind.code());
        w.str(&e.expr);
    }
    let ops = file_ops(&base.workspace, &shared.doc.workspace);
    w.usize(ops.len());
    let mut replay = base.workspace.clone();
    for op in &ops {
        match op {
            FileOp::Put(path, data) => {
                w.u8(OP_PUT);
                w.str(path);
                w.bytes(data);
                let _ = replay.write(path, data.clone());
            }
            FileOp::Patch(path, hunks) => {
                w.u8(OP_PATCH);
                w.str(path);
                write_hunks(&mut w, hunks);
                let patched = replay
                    .text(path)
                    .and_then(|t| diff::apply(&t, hunks).ok())
                    .unwrap_or_default();
                let _ = replay.write(path, patched.into_bytes());
            }
            FileOp::Delete(path) => {
                w.u8(OP_DELETE);
                w.str(path);
                let _ = replay.remove(path);
            }
        }
    }
    let want: Vec<&str> = shared.doc.workspace.recorded_dirs().collect();
    let got: Vec<&str> = replay.recorded_dirs().collect();
    if want == got {
        w.u8(0);
    } else {
        w.u8(1);
        w.usize(want.len());
        for d in want {
            w.str(d);
        }
    }
    w.str(shared.selected.as_deref().unwrap_or(""));
    w.buf
}

fn encode_release(w: &mut Writer, r: &ReleaseSettings, base: &ReleaseSettings) {
    let mut mask = 0u8;
    if r.name != base.name {
        mask |= REL_NAME;
    }
    if r.namespace != base.namespace {
        mask |= REL_NAMESPACE;
    }
    if r.revision != base.revision {
        mask |= REL_REVISION;
    }
    if r.is_upgrade {
        mask |= REL_UPGRADE;
    }
    if !r.kube_version.is_empty() {
        mask |= REL_KUBE;
    }
    if !r.api_versions.is_empty() {
        mask |= REL_APIS;
    }
    w.u8(mask);
    if mask & REL_NAME != 0 {
        w.str(&r.name);
    }
    if mask & REL_NAMESPACE != 0 {
        w.str(&r.namespace);
    }
    if mask & REL_REVISION != 0 {
        w.ivar(r.revision);
    }
    if mask & REL_KUBE != 0 {
        w.str(&r.kube_version);
    }
    if mask & REL_APIS != 0 {
        w.usize(r.api_versions.len());
        for v in &r.api_versions {
            w.str(v);
        }
    }
}

fn write_hunks(w: &mut Writer, hunks: &[Hunk]) {
    w.usize(hunks.len());
    let mut at = 0;
    for h in hunks {
        // positions relative to the end of the previous hunk: small numbers, short varints
        w.usize(h.old_start - at);
        w.usize(h.old_len);
        w.str(&h.new_lines.concat());
        at = h.old_start + h.old_len;
    }
}

enum FileOp {
    Put(String, Vec<u8>),
    Patch(String, Vec<Hunk>),
    Delete(String),
}

fn hunks_size(hunks: &[Hunk]) -> usize {
    hunks
        .iter()
        .map(|h| 6 + h.new_lines.iter().map(String::len).sum::<usize>())
        .sum()
}

fn file_ops(base: &Workspace, target: &Workspace) -> Vec<FileOp> {
    let mut ops = Vec::new();
    for path in base.file_paths() {
        if !target.is_file(path) {
            ops.push(FileOp::Delete(path.to_string()));
        }
    }
    for (path, data) in target.files() {
        match base.file(path) {
            Some(old) if old == data => {}
            Some(old) => {
                let patch = match (std::str::from_utf8(old), std::str::from_utf8(data)) {
                    (Ok(a), Ok(b)) => {
                        let hunks = diff::diff(a, b);
                        (hunks_size(&hunks) < data.len()).then_some(hunks)
                    }
                    _ => None,
                };
                ops.push(match patch {
                    Some(h) => FileOp::Patch(path.to_string(), h),
                    None => FileOp::Put(path.to_string(), data.to_vec()),
                });
            }
            None => ops.push(FileOp::Put(path.to_string(), data.to_vec())),
        }
    }
    ops
}

/// Decodes the text after `#` of a share link (a leading `#` is fine too).
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let text = fragment.trim().trim_start_matches('#');
    if text.len() > MAX_LINK_CHARS {
        return Err(format!(
            "this link is longer than the {} MiB a link may be",
            MAX_LINK_CHARS >> 20
        ));
    }
    let (code, version) = if let Some(c) = text.strip_prefix(PREFIX) {
        (c, 1)
    } else if let Some(c) = text.strip_prefix(PREFIX_V2) {
        (c, 2)
    } else {
        return Err(match text.split_once('.') {
            Some((v, _)) if v.starts_with('v') && v[1..].bytes().all(|b| b.is_ascii_digit()) => {
                format!(
                    "this link was made by a newer ChartLab (format {v}); this one reads v1 and v2"
                )
            }
            _ => "this is not a ChartLab share link".to_string(),
        });
    };
    let framed = B64
        .decode(code)
        .map_err(|e| format!("the link is damaged (base64: {e})"))?;
    let (&flag, payload) = framed
        .split_first()
        .ok_or("the link is empty after its version")?;
    let body = match flag {
        0 => {
            if payload.len() > MAX_DECODED_BYTES {
                return Err("the link holds too much".into());
            }
            payload.to_vec()
        }
        1 => inflate(payload)?,
        _ => return Err(format!("the link is damaged (unknown framing {flag})")),
    };
    decode_body(&body, version)
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(MAX_DECODED_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("the link is damaged (deflate: {e})"))?;
    if out.len() > MAX_DECODED_BYTES {
        return Err(format!(
            "the link unpacks to more than {} MiB",
            MAX_DECODED_BYTES >> 20
        ));
    }
    Ok(out)
}

fn decode_body(body: &[u8], version: u8) -> Result<Shared, String> {
    let mut r = Reader::new(body);
    let origin = match r.u8("the example")? {
        0 => None,
        c => Some(
            ExampleId::from_code(c)
                .ok_or_else(|| format!("the link names an unknown example ({c})"))?,
        ),
    };
    let base = base_doc(origin);
    let release = decode_release(&mut r, &base.release)?;
    let values = r.str("the values override")?.to_string();
    let n = r.count("the --set entries", super::document::MAX_SET_ENTRIES)?;
    let mut set = Vec::with_capacity(n);
    for _ in 0..n {
        let code = r.u8("a --set entry")?;
        let kind = SetKind::from_code(code)
            .ok_or_else(|| format!("the link has an unknown --set kind ({code})"))?;
        set.push(SetEntry {
            kind,
            expr: r.str("a --set entry")?.to_string(),
        });
    }
    let mut ws = base.workspace;
    let n = r.count("the file list", 4 * workspace::MAX_FILES)?;
    for _ in 0..n {
        let op = r.u8("a file change")?;
        let path = r.str("a file name")?;
        workspace::check_path(path).map_err(|e| format!("the link has a bad file name: {e}"))?;
        match op {
            OP_PUT => {
                let data = r.bytes("a file")?;
                ws.write(path, data.to_vec())
                    .map_err(|e| format!("the link cannot hold {path:?}: {e}"))?;
            }
            OP_PATCH => {
                let hunks = read_hunks(&mut r)?;
                let old = ws
                    .file(path)
                    .ok_or_else(|| format!("the link edits {path:?}, which the example lacks"))?;
                let old = std::str::from_utf8(old)
                    .map_err(|_| format!("the link edits {path:?}, which is not text"))?;
                let new = diff::apply(old, &hunks).map_err(|e| format!("{path}: {e}"))?;
                ws.write(path, new.into_bytes())
                    .map_err(|e| format!("the link cannot hold {path:?}: {e}"))?;
            }
            OP_DELETE => {
                if !ws.is_file(path) {
                    return Err(format!("the link deletes {path:?}, which does not exist"));
                }
                ws.remove(path)?;
            }
            other => return Err(format!("the link is damaged (file change {other})")),
        }
    }
    match r.u8("the folder list")? {
        0 => {}
        1 => {
            let n = r.count("the folder list", workspace::MAX_FILES)?;
            let mut dirs = Vec::with_capacity(n);
            for _ in 0..n {
                let d = r.str("a folder name")?;
                workspace::check_path(d)
                    .map_err(|e| format!("the link has a bad folder name: {e}"))?;
                dirs.push(d.to_string());
            }
            ws.set_recorded_dirs(&dirs)
                .map_err(|e| format!("the link's folders do not fit its files: {e}"))?;
        }
        other => return Err(format!("the link is damaged (folder list {other})")),
    }
    let selected = r.str("the open file")?;
    let selected = (!selected.is_empty() && ws.exists(selected)).then(|| selected.to_string());
    let lesson = if version >= 2 {
        let flags = r.u8("the lesson position")?;
        if flags > 1 {
            return Err("the link is damaged (lesson position)".into());
        }
        let lab = r.usize("the lab", MAX_LESSON_NUMBER)?;
        let step = r.usize("the step", MAX_LESSON_NUMBER)?;
        if lab == 0 || step == 0 {
            return Err("the link names lab or step 0; they count from 1".into());
        }
        Some(LessonLink {
            lab: lab as u32,
            step: step as u32,
            instructor: flags == 1,
        })
    } else {
        None
    };
    if !r.at_end() {
        return Err("the link has trailing data".into());
    }
    let doc = Document {
        workspace: ws,
        release,
        overrides: Overrides { values, set },
    };
    doc.check_limits()
        .map_err(|e| format!("the link is refused: {e}"))?;
    Ok(Shared {
        doc,
        origin,
        selected,
        lesson,
    })
}

fn decode_release(r: &mut Reader<'_>, base: &ReleaseSettings) -> Result<ReleaseSettings, String> {
    let mask = r.u8("the release settings")?;
    if mask & !(REL_NAME | REL_NAMESPACE | REL_REVISION | REL_UPGRADE | REL_KUBE | REL_APIS) != 0 {
        return Err("the link is damaged (release settings)".into());
    }
    let mut out = base.clone();
    if mask & REL_NAME != 0 {
        out.name = r.str("the release name")?.to_string();
    }
    if mask & REL_NAMESPACE != 0 {
        out.namespace = r.str("the namespace")?.to_string();
    }
    if mask & REL_REVISION != 0 {
        out.revision = r.ivar("the revision")?;
    }
    out.is_upgrade = mask & REL_UPGRADE != 0;
    out.kube_version = if mask & REL_KUBE != 0 {
        r.str("the kube version")?.to_string()
    } else {
        String::new()
    };
    out.api_versions = Vec::new();
    if mask & REL_APIS != 0 {
        let n = r.count("the API versions", super::document::MAX_API_VERSIONS)?;
        for _ in 0..n {
            out.api_versions.push(r.str("an API version")?.to_string());
        }
    }
    Ok(out)
}

fn read_hunks(r: &mut Reader<'_>) -> Result<Vec<Hunk>, String> {
    let n = r.count("a file's changes", MAX_HUNKS)?;
    let mut hunks = Vec::with_capacity(n);
    let mut at = 0usize;
    for _ in 0..n {
        let gap = r.usize("a change", u32::MAX as usize)?;
        let old_len = r.usize("a change", u32::MAX as usize)?;
        let text = r.str("a change")?;
        let old_start = at
            .checked_add(gap)
            .ok_or("the link is damaged (change position)")?;
        at = old_start
            .checked_add(old_len)
            .ok_or("the link is damaged (change position)")?;
        hunks.push(Hunk {
            old_start,
            old_len,
            new_lines: diff::lines(text).into_iter().map(str::to_string).collect(),
        });
    }
    Ok(hunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &Shared) -> String {
        let link = encode(s);
        assert_eq!(decode(&link).as_ref(), Ok(s), "link {link}");
        link
    }

    fn scaffold() -> Shared {
        Shared {
            doc: examples::build(ExampleId::Scaffold),
            origin: Some(ExampleId::Scaffold),
            selected: Some("values.yaml".into()),
            lesson: None,
        }
    }

    #[test]
    fn the_scaffold_with_one_edit_is_short() {
        let mut s = scaffold();
        let values = s
            .doc
            .workspace
            .text("values.yaml")
            .expect("values")
            .into_owned();
        s.doc
            .workspace
            .write(
                "values.yaml",
                values
                    .replace("replicaCount: 1", "replicaCount: 3")
                    .into_bytes(),
            )
            .expect("write");
        let link = round_trip(&s);
        let url = format!("http://127.0.0.1:8080/#{link}");
        assert!(url.len() <= 200, "{} chars: {url}", url.len());
        let unchanged = round_trip(&scaffold());
        assert!(unchanged.len() < 40, "{unchanged}");
        eprintln!("scaffold + one edit: {} chars: {url}", url.len());
    }

    #[test]
    fn every_example_round_trips_from_itself_and_from_nothing() {
        for e in examples::EXAMPLES {
            let doc = examples::build(e.id);
            let s = Shared {
                doc: doc.clone(),
                origin: Some(e.id),
                selected: None,
                lesson: None,
            };
            round_trip(&s);
            let s = Shared {
                doc,
                origin: None,
                selected: Some("Chart.yaml".into()),
                lesson: None,
            };
            round_trip(&s);
        }
    }

    #[test]
    fn settings_overrides_and_tree_changes_round_trip() {
        let mut s = scaffold();
        let d = &mut s.doc;
        d.release.name = "x".into();
        d.release.namespace = "ns".into();
        d.release.revision = 7;
        d.release.is_upgrade = true;
        d.release.kube_version = "v1.30.0".into();
        d.release.api_versions = vec!["example.com/v1".into()];
        d.overrides.values = "a: 1\n".into();
        d.overrides.set = vec![
            SetEntry {
                kind: SetKind::SetJson,
                expr: "b={\"c\":1}".into(),
            },
            SetEntry {
                kind: SetKind::Set,
                expr: "x=y".into(),
            },
        ];
        d.workspace.remove("templates/hpa.yaml").expect("rm");
        d.workspace.remove("templates/tests").expect("rm dir");
        d.workspace.remove("charts").expect("rm empty dir");
        d.workspace.create_dir("crds").expect("mkdir");
        d.workspace
            .write("files/logo.png", vec![0u8, 159, 146, 150])
            .expect("binary");
        d.workspace
            .rename("templates/service.yaml", "templates/svc.yaml")
            .expect("mv");
        round_trip(&s);
    }

    /// Version 2: a teacher's link to lab 2, step 3, in the instructor's view.
    #[test]
    fn a_lesson_position_round_trips_as_version_2() {
        let mut s = scaffold();
        let plain = round_trip(&s);
        assert!(plain.starts_with("v1."), "{plain}");
        s.lesson = Some(LessonLink {
            lab: 2,
            step: 3,
            instructor: true,
        });
        let link = round_trip(&s);
        assert!(link.starts_with("v2."), "{link}");
        assert!(link.len() < plain.len() + 8, "{link}");
        s.lesson = Some(LessonLink {
            lab: 4,
            step: 999,
            instructor: false,
        });
        round_trip(&s);
        // a version 1 body read as version 2 lacks the position, and the reverse has trailing data
        let v1_as_v2 = format!("{PREFIX_V2}{}", &plain[PREFIX.len()..]);
        assert!(decode(&v1_as_v2).is_err());
        let v2_as_v1 = format!("{PREFIX}{}", &link[PREFIX_V2.len()..]);
        assert_eq!(decode(&v2_as_v1), Err("the link has trailing data".into()));
        // bad positions
        let base = encode_body(&scaffold());
        for (tail, want) in [
            (vec![2u8, 1, 1], "the link is damaged (lesson position)"),
            (
                vec![0u8, 0, 1],
                "the link names lab or step 0; they count from 1",
            ),
        ] {
            let mut body = base.clone();
            body.extend_from_slice(&tail);
            let mut framed = vec![0u8];
            framed.extend_from_slice(&body);
            let link = format!("{PREFIX_V2}{}", B64.encode(framed));
            assert_eq!(decode(&link), Err(want.to_string()));
        }
    }

    #[test]
    fn hostile_links_are_refused_with_a_message() {
        let good = encode(&scaffold());
        let cases: Vec<String> = vec![
            String::new(),
            "#".into(),
            "hello".into(),
            "v2.AAAA".into(),
            "v1.".into(),
            "v1.!!!!".into(),
            format!("{PREFIX}{}", B64.encode([7u8])),
            format!("{PREFIX}{}", B64.encode([1u8, 0xff, 0xff])),
            format!("{PREFIX}{}", B64.encode([0u8, 99])),
            format!("{PREFIX}{}", "A".repeat(MAX_LINK_CHARS + 1)),
            good[..good.len() - 2].to_string(),
        ];
        for c in cases {
            assert!(decode(&c).is_err(), "{c:?} accepted");
        }
    }

    fn raw_link(body: &[u8]) -> String {
        let mut framed = vec![0u8];
        framed.extend_from_slice(body);
        format!("{PREFIX}{}", B64.encode(framed))
    }

    #[test]
    fn hostile_bodies_are_refused() {
        let put = |path: &str| {
            let mut w = Writer::default();
            w.u8(0); // no example
            w.u8(0); // release as default
            w.str(""); // values
            w.usize(0); // set
            w.usize(1);
            w.u8(OP_PUT);
            w.str(path);
            w.bytes(b"x");
            w.u8(0);
            w.str("");
            w.buf
        };
        assert!(decode(&raw_link(&put("templates/ok.yaml"))).is_ok());
        for bad in ["../etc/passwd", "/abs", "a//b", ""] {
            let err = decode(&raw_link(&put(bad))).expect_err(bad);
            assert!(err.contains("bad file name"), "{err}");
        }
        // a patch of a file the base lacks, a hunk past the end, a delete of nothing
        let mut w = Writer::default();
        w.u8(ExampleId::Scaffold.code());
        w.u8(0);
        w.str("");
        w.usize(0);
        w.usize(1);
        w.u8(OP_PATCH);
        w.str("values.yaml");
        w.usize(1);
        w.usize(100_000);
        w.usize(1);
        w.str("x\n");
        w.u8(0);
        w.str("");
        assert!(decode(&raw_link(&w.buf)).is_err());
        let mut w = Writer::default();
        w.u8(0);
        w.u8(0);
        w.str("");
        w.usize(0);
        w.usize(1);
        w.u8(OP_DELETE);
        w.str("nothing");
        w.u8(0);
        w.str("");
        assert!(decode(&raw_link(&w.buf)).is_err());
        // an unknown example, a bad --set kind, trailing bytes
        assert!(decode(&raw_link(&[99])).is_err());
        assert!(decode(&raw_link(&[0, 0, 0, 1, 9, 0])).is_err());
        let mut ok = put("a");
        ok.push(0);
        assert!(decode(&raw_link(&ok)).is_err());
        // a release name longer than the limits
        let mut w = Writer::default();
        w.u8(0);
        w.u8(REL_NAME);
        w.str(&"n".repeat(super::super::document::MAX_SETTING_LEN + 1));
        w.str("");
        w.usize(0);
        w.usize(0);
        w.u8(0);
        w.str("");
        assert!(decode(&raw_link(&w.buf)).is_err());
    }

    #[test]
    fn a_deflate_bomb_is_capped() {
        let zeros = vec![0u8; MAX_DECODED_BYTES + 1024];
        let bomb = deflate(&zeros);
        let mut framed = vec![1u8];
        framed.extend_from_slice(&bomb);
        let link = format!("{PREFIX}{}", B64.encode(framed));
        let err = decode(&link).expect_err("bomb");
        assert!(err.contains("MiB"), "{err}");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 11u64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 56) as u8
                })
                .collect();
            let _ = decode(&raw_link(&bytes));
            let mut framed = vec![1u8];
            framed.extend_from_slice(&bytes);
            let _ = decode(&format!("{PREFIX}{}", B64.encode(framed)));
        }
        // every prefix of a real link
        let mut s = scaffold();
        s.doc.overrides.values = "a: b\n".into();
        let body = encode_body(&s);
        for i in 0..body.len() {
            let _ = decode(&raw_link(&body[..i]));
        }
    }
}
