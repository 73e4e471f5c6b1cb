//! Tests against the real Helm v4.2.3 captures in ../shared/release-fixtures.

use std::path::PathBuf;

use super::gotime::LocalZone;
use super::model;

pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/release-fixtures")
}

pub(crate) fn read(rel: &str) -> String {
    let p = fixtures().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn compact_release_json_round_trips_byte_for_byte() {
    for v in 1..=11 {
        let path = format!("v4.2.3-secret-driver/releases/demo.v{v}.last-write.compact.json");
        let text = read(&path);
        let text = text.trim_end_matches('\n');
        let rel = model::from_json(text, &LocalZone::utc()).unwrap();
        assert_eq!(rel.version, v);
        let back = model::to_json(&rel).unwrap();
        assert_eq!(back, text, "revision {v}");
    }
}

#[test]
fn decodes_helm_records_and_encodes_with_gos_gzip_header() {
    use super::storage;
    use base64::Engine as _;
    for step in ["1-POST-pending-install", "4-PUT-deployed"] {
        let enc = read(&format!(
            "v4.2.3-secret-driver/secret-v1/{step}.helm-encoded-release.txt"
        ));
        let want: serde_json::Value = serde_json::from_str(&read(&format!(
            "v4.2.3-secret-driver/secret-v1/{step}.release.json"
        )))
        .unwrap();
        let json = storage::decode_to_json(enc.trim()).unwrap();
        let got: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(got, want);
        let rel = storage::decode_release(enc.trim(), &LocalZone::utc()).unwrap();
        // re-encoding: same JSON inside, Go's gzip header outside
        let again = storage::encode_release(&rel).unwrap();
        assert_eq!(storage::decode_to_json(&again).unwrap(), json);
        let raw = base64::engine::general_purpose::STANDARD
            .decode(again)
            .unwrap();
        let helm = base64::engine::general_purpose::STANDARD
            .decode(enc.trim())
            .unwrap();
        assert_eq!(raw[..10], helm[..10]);
        assert_eq!(raw[..10], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
        // the Secret's data is that string base64-encoded once more
        let data = read(&format!(
            "v4.2.3-secret-driver/secret-v1/{step}.secret-data-release.txt"
        ));
        let inner = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .unwrap();
        assert_eq!(String::from_utf8(inner).unwrap(), enc.trim());
    }
}

#[test]
fn plain_json_records_from_before_compression_decode() {
    use super::storage;
    use base64::Engine as _;
    let text = read("v4.2.3-secret-driver/releases/demo.v3.last-write.compact.json");
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.trim_end().as_bytes());
    let r = storage::decode_release(&b64, &LocalZone::utc()).unwrap();
    assert_eq!(r.version, 3);
    assert_eq!(
        storage::decode_release("!!", &LocalZone::utc()).unwrap_err(),
        "illegal base64 data at input byte 0"
    );
}

#[test]
fn helm3_records_decode() {
    use super::storage;
    // Helm 3 wrote zero times as "" (its helmtime package) and had no modtimes or apply_method
    let v3 = r#"{"name":"old","info":{"first_deployed":"2021-03-04T05:06:07.5+01:00","last_deployed":"2021-03-04T05:06:07.5+01:00","deleted":"","description":"Install complete","status":"deployed"},"chart":{"metadata":{"name":"old","version":"1.0.0","apiVersion":"v2"},"lock":null,"templates":[{"name":"templates/a.yaml","data":"a2luZDogQQo="}],"values":{"x":1},"schema":null,"files":[]},"config":{"x":2},"manifest":"---\nkind: A\n","hooks":[{"name":"h","kind":"Job","path":"old/templates/h.yaml","manifest":"kind: Job\n","events":["pre-install"],"last_run":{"started_at":"","completed_at":"","phase":""},"delete_policies":["before-hook-creation"]}],"version":1,"namespace":"default"}"#;
    let enc = storage::encode_json(v3.as_bytes());
    let r = storage::decode_release(&enc, &LocalZone::utc()).unwrap();
    assert_eq!(r.version, 1);
    assert!(super::gotime::is_zero(&r.info.as_ref().unwrap().deleted));
    assert!(super::gotime::is_zero(&r.hooks[0].last_run.started_at));
    assert_eq!(r.apply_method, "");
    // written back the Helm 4 way
    let back = model::to_json(&r).unwrap();
    assert!(back.contains(r#""info":{"first_deployed":"2021-03-04T05:06:07.5+01:00","last_deployed":"2021-03-04T05:06:07.5+01:00","description":"Install complete","status":"deployed"}"#), "{back}");
    assert!(
        back.contains(r#""schemamodtime":"0001-01-01T00:00:00Z","files":[]}"#),
        "{back}"
    );
    assert!(back.contains(r#""last_run":{"phase":""}"#), "{back}");
    // a corrupt record fails with Go's json error
    let bad = storage::encode_json(br#"{"version":"one"}"#);
    assert_eq!(
        storage::decode_release(&bad, &LocalZone::utc()).unwrap_err(),
        "json: cannot unmarshal string into Go struct field Release.version of type int"
    );
}
