//! The autosave format: what the page keeps in the browser's `localStorage` so a reload (or a
//! crash) never loses work. A small JSON object, versioned, holding the document as a share code
//! ([`super::share`]) — compact, validated on the way back like any link — plus the Undo
//! snapshot, so a reset or an opened link can still be undone after a reload.

use serde::{Deserialize, Serialize};

use super::examples::ExampleId;
use super::share::{self, Shared};
use super::state::{Selection, Snapshot, State};

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "chartlab.autosave";
/// This format's version.
pub const VERSION: u32 = 1;
const FORMAT: &str = "chartlab-autosave";

#[derive(Serialize, Deserialize)]
struct Payload {
    format: String,
    version: u32,
    /// Milliseconds since the epoch, as the page's clock said.
    saved_at_ms: f64,
    /// The document, as a share code.
    doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    undo: Option<UndoPayload>,
}

#[derive(Serialize, Deserialize)]
struct UndoPayload {
    doc: String,
    reason: String,
}

/// The text to store for `state`.
pub fn save(state: &State, now_ms: f64) -> String {
    let undo = state.undo.as_ref().map(|snap| UndoPayload {
        doc: share::encode(&Shared {
            doc: snap.doc.clone(),
            origin: snap.origin,
            selected: match &snap.selection {
                Some(Selection::File(p)) => Some(p.clone()),
                _ => None,
            },
            lesson: None,
        }),
        reason: snap.reason.clone(),
    });
    let payload = Payload {
        format: FORMAT.into(),
        version: VERSION,
        saved_at_ms: now_ms,
        doc: share::encode(&state.shared()),
        undo,
    };
    serde_json::to_string(&payload).unwrap_or_default()
}

/// What was restored.
#[derive(Debug)]
pub struct Restored {
    pub state: State,
    pub saved_at_ms: f64,
}

/// Reads a stored autosave. A damaged undo snapshot is dropped; a damaged document is an
/// error (the caller starts from an example and says so).
pub fn load(text: &str) -> Result<Restored, String> {
    let payload: Payload =
        serde_json::from_str(text).map_err(|e| format!("the saved work is unreadable ({e})"))?;
    if payload.format != FORMAT {
        return Err("the saved data is not ChartLab's".into());
    }
    if payload.version != VERSION {
        return Err(format!(
            "the saved work is in format {} (this ChartLab reads {VERSION})",
            payload.version
        ));
    }
    let shared = share::decode(&payload.doc)?;
    let undo = payload.undo.and_then(|u| {
        let s = share::decode(&u.doc).ok()?;
        Some(Snapshot {
            doc: s.doc,
            origin: s.origin,
            selection: s.selected.map(Selection::File),
            reason: u.reason,
        })
    });
    Ok(Restored {
        state: State::from_shared(shared, undo),
        saved_at_ms: payload.saved_at_ms,
    })
}

/// A state to start with when nothing was saved: the scaffold.
pub fn fresh() -> State {
    State::from_example(ExampleId::Scaffold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::state::{reduce, Action};

    #[test]
    fn save_and_load_round_trip_with_undo() {
        let mut s = fresh();
        reduce(&mut s, Action::SetReleaseName("kept".into()));
        reduce(&mut s, Action::LoadExample(ExampleId::Api));
        reduce(&mut s, Action::Select("values.yaml".into()));
        let text = save(&s, 1234.0);
        let r = load(&text).expect("load");
        assert_eq!(r.saved_at_ms, 1234.0);
        assert_eq!(r.state.doc, s.doc);
        assert_eq!(r.state.origin, Some(ExampleId::Api));
        assert_eq!(r.state.selected_file(), Some("values.yaml"));
        let mut restored = r.state;
        reduce(&mut restored, Action::Undo);
        assert_eq!(restored.doc.release.name, "kept");
    }

    #[test]
    fn damaged_saves_are_errors() {
        assert!(load("").is_err());
        assert!(load("{}").is_err());
        assert!(load(r#"{"format":"other","version":1,"saved_at_ms":0,"doc":"v1.AA"}"#).is_err());
        let err = load(r#"{"format":"chartlab-autosave","version":2,"saved_at_ms":0,"doc":""}"#)
            .expect_err("newer");
        assert!(err.contains("format 2"), "{err}");
        assert!(
            load(r#"{"format":"chartlab-autosave","version":1,"saved_at_ms":0,"doc":"v1.!"}"#)
                .is_err()
        );
        // a damaged undo is dropped, the document kept
        let good = save(&fresh(), 0.0);
        let with_bad_undo = good.replacen(
            "\"doc\"",
            "\"undo\":{\"doc\":\"junk\",\"reason\":\"x\"},\"doc\"",
            1,
        );
        let r = load(&with_bad_undo).expect("document still loads");
        assert!(r.state.undo.is_none());
    }
}
