//! Tests for Sprig's crypto family, with the inputs and outputs of the conformance cases
//! (fn-sha1sum, fn-derivePassword, fn-decryptAES, fn-genCA, …) and checks that generated
//! certificates are well-formed and correctly signed.

use super::*;
use crate::engine::{Env, List, Timestamp};

fn call_env(env: &Env, name: &str, args: &[Value]) -> FnResult {
    let mut m = FuncMap::new();
    register(&mut m);
    let f = m.get(name).expect("registered");
    CallCtx::with_env(env, |ctx| (f.imp)(ctx, args))
}

fn call(name: &str, args: &[Value]) -> FnResult {
    call_env(&Env::default(), name, args)
}

fn s(v: &str) -> Value {
    Value::str(v)
}

fn out(name: &str, args: &[Value]) -> String {
    call(name, args).expect("ok").to_v()
}

fn err(name: &str, args: &[Value]) -> String {
    call(name, args).expect_err("error")
}

/// The conformance values shared by the certificate cases (read from ../shared, never copied).
fn shared_values() -> std::collections::HashMap<String, String> {
    let text =
        std::fs::read_to_string("../shared/conformance/cases/fn-buildCustomCert/chart/values.yaml")
            .expect("shared conformance values");
    let mut map = std::collections::HashMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(body) = line.strip_prefix("  ") {
            if let Some((_, v)) = current.as_mut() {
                v.push_str(body);
                v.push('\n');
            }
            continue;
        }
        if let Some((k, v)) = current.take() {
            map.insert(k, v);
        }
        if let Some((k, v)) = line.split_once(": ") {
            if v == "|" {
                current = Some((k.to_string(), String::new()));
            } else {
                map.insert(k.to_string(), v.to_string());
            }
        }
    }
    if let Some((k, v)) = current {
        map.insert(k, v);
    }
    map
}

#[test]
fn fn_sha_and_adler_cases() {
    assert_eq!(
        out("sha1sum", &[s("hello")]),
        "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    );
    assert_eq!(
        out("sha1sum", &[s("")]),
        "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    );
    assert_eq!(
        out("sha1sum", &[s("héllo ☃")]),
        "7aa33399372f18015dda5e0b77518366d64b862b"
    );
    assert_eq!(
        out("sha1sum", &[s("line1\nline2")]),
        "05eed6236c8bda5ecf7af09bae911f9d5f90998b"
    );
    assert_eq!(
        out("sha1sum", &[s("1e+06")]),
        "a795a81bd93a5288e1816f43d9eb6c8ae035a914"
    );
    assert_eq!(
        out("sha256sum", &[s("hello")]),
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(
        out("sha256sum", &[s("日本語")]),
        "77710aedc74ecfa33685e33a6c7df5cc83004da1bdcef7fb280f5c2b2e97e0a5"
    );
    assert_eq!(
        out("sha512sum", &[s("ünïcode")]),
        "250c0dfcf0b45fde730bc2b633f388793424dd3a581a150b20bd4bfa50499bdab5445d8a61acf58ec97e3e0256223984608fd2159c42f1629f9d938603e4d9be"
    );
    assert_eq!(out("sha512sum", &[s("")]), "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    let adler = |x: &str| out("adler32sum", &[s(x)]);
    assert_eq!(
        [
            adler("hello"),
            adler(""),
            adler("Wikipedia"),
            adler("ü"),
            adler(&"abc".repeat(100))
        ],
        ["103547413", "1", "300286872", "38011264", "2286777049"]
    );
    assert_eq!(
        adler(&"x".repeat(100_000)),
        adler32(&[b'x'; 100_000]).to_string()
    );
}

#[test]
fn fn_derive_password_cases() {
    let d = |c: i64, t: &str, p: &str, u: &str, site: &str| {
        out(
            "derivePassword",
            &[Value::Int(c), s(t), s(p), s(u), s(site)],
        )
    };
    assert_eq!(
        d(1, "long", "password", "user", "example.com"),
        "ZedaFaxcZaso9*"
    );
    assert_eq!(
        d(2, "maximum", "secret", "bob", "k8s.io"),
        "w4,*zMNBzW&R)4uRouUE"
    );
    assert_eq!(d(1, "medium", "pw", "u", "s"), "Jiv7?Yuz");
    assert_eq!(d(1, "short", "pw", "u", "s"), "Jiv7");
    assert_eq!(d(1, "basic", "pw", "u", "s"), "oUe71PLN");
    assert_eq!(d(3, "pin", "pw", "u", "s"), "7979");
    assert_eq!(d(1, "pin", "pw", "u", "s"), "6287");
    assert_eq!(
        d(1, "nope", "pw", "u", "s"),
        "cannot find password template nope"
    );
    assert_eq!(
        d(1, "long", "pässwörd", "ünïcode", "site"),
        "Qita0@CizaXetp"
    );
}

#[test]
fn fn_bcrypt_and_htpasswd_shapes() {
    let is_b64 = |c: char| c == '.' || c == '/' || c.is_ascii_alphanumeric();
    let h = out("bcrypt", &[s("pw")]);
    assert!(
        h.starts_with("$2a$10$") && h.len() == 60 && h[7..].chars().all(is_b64),
        "{h}"
    );
    assert_eq!(out("bcrypt", &[s("")]).len(), 60);
    assert!(out("bcrypt", &[s("pässwörd")]).starts_with("$2a$10$"));
    let long = "0123456789".repeat(8);
    assert_eq!(
        out("bcrypt", &[s(&long[..73])]),
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    );
    let u = out("htpasswd", &[s("user"), s("pw")]);
    assert!(u.starts_with("user:$2a$10$") && u.len() == 65, "{u}");
    assert_eq!(
        out("htpasswd", &[s("a:b"), s("pw")]),
        "invalid username: a:b"
    );
}

#[test]
fn fn_aes_cases() {
    assert_eq!(
        out(
            "decryptAES",
            &[
                s("conformance-key"),
                s("1W1k7O0PDbywo18T7xAyYDHqmnGvmu29UW2pCsMXjr8=")
            ]
        ),
        "secret text ☃"
    );
    assert_eq!(out("decryptAES", &[s("k"), s("")]), "");
    assert_eq!(
        err("decryptAES", &[s("k"), s("%%%")]),
        "illegal base64 data at input byte 0"
    );
    let a = out("encryptAES", &[s("secretkey"), s("plaintext")]);
    assert!(a.len() == 44 && a.ends_with('='), "{a}");
    let round = out("encryptAES", &[s("k"), s("text")]);
    assert_eq!(out("decryptAES", &[s("k"), s(&round)]), "text");
    assert_eq!(out("encryptAES", &[s("k"), s("")]), "");
    let sixteen = out("encryptAES", &[s("k"), s("exactly16bytes!!")]);
    assert_eq!(go_base64_decode(sixteen.as_bytes()).expect("b64").len(), 48);
    let long_key = "k".repeat(40);
    let c = out("encryptAES", &[s(&long_key), s("x")]);
    assert_eq!(out("decryptAES", &[s(&"k".repeat(32)), s(&c)]), "x");
}

#[test]
fn decrypt_aes_panics_read_like_go() {
    let e = |c: &str| err("decryptAES", &[s("k"), s(c)]);
    assert_eq!(
        e("QQ=="),
        "runtime error: slice bounds out of range [:16] with capacity 3"
    );
    assert_eq!(
        e("QUJD"),
        "runtime error: slice bounds out of range [:16] with capacity 3"
    );
    assert_eq!(
        e("QUJDREVGR0hJSktMTU5PUA=="),
        "runtime error: index out of range [-1]"
    );
    assert_eq!(
        e("QUJDREVGR0hJSktMTU5PUFFSUw=="),
        "crypto/cipher: input not full blocks"
    );
    assert_eq!(
        e("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="),
        "runtime error: slice bounds out of range [:-9]"
    );
}

#[test]
fn fn_rand_bytes_cases() {
    let a = out("randBytes", &[Value::Int(12)]);
    assert_eq!(go_base64_decode(a.as_bytes()).expect("b64").len(), 12);
    assert_eq!(a.len(), 16);
    assert_eq!(out("randBytes", &[Value::Int(0)]), "");
    assert_eq!(
        err("randBytes", &[Value::Int(-1)]),
        "runtime error: makeslice: len out of range"
    );
}

#[test]
fn fn_gen_private_key_cases() {
    let k = out("genPrivateKey", &[s("ecdsa")]);
    assert!(
        k.starts_with("-----BEGIN EC PRIVATE KEY-----\n")
            && k.ends_with("-----END EC PRIVATE KEY-----\n")
    );
    assert!(out("genPrivateKey", &[s("ed25519")]).starts_with("-----BEGIN PRIVATE KEY-----\n"));
    assert_eq!(out("genPrivateKey", &[s("foo")]), "Unknown type foo");
    let rsa = out("genPrivateKey", &[s("rsa")]);
    assert!(rsa.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let parsed = keys::parse_private_key_pem(&rsa).expect("parses");
    let PrivateKey::Rsa(k) = &parsed else {
        panic!("rsa")
    };
    assert_eq!(
        rsa::traits::PublicKeyParts::size(k.as_ref()),
        512,
        "4096 bits like Sprig"
    );
    assert_eq!(parsed.to_pem().expect("pem"), rsa);
}

/// Splits a certificate into (tbs, signature algorithm, signature, issuer, subject, extensions).
struct Parts {
    tbs: Vec<u8>,
    signature: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
    spki_bits: Vec<u8>,
    extensions: Vec<(Vec<u64>, bool, Vec<u8>)>,
    validity: Vec<u8>,
}

fn split_cert(pem_text: &str) -> Parts {
    let block = pem::decode(pem_text.as_bytes()).expect("pem");
    assert_eq!(block.kind, "CERTIFICATE");
    x509::parse_certificate(&block.bytes).expect("Go-parsable certificate");
    let mut r = der::Reader::new(&block.bytes);
    let cert = r.read(der::TAG_SEQUENCE).expect("cert");
    let mut c = der::Reader::new(cert.content);
    let tbs = c.read(der::TAG_SEQUENCE).expect("tbs");
    c.read(der::TAG_SEQUENCE).expect("alg");
    let (_, sig) = c.read_bit_string().expect("sig");
    let mut t = der::Reader::new(tbs.content);
    t.read(0xa0).expect("version");
    t.read_integer().expect("serial");
    t.read(der::TAG_SEQUENCE).expect("alg");
    let issuer = t.read(der::TAG_SEQUENCE).expect("issuer").full.to_vec();
    let validity = t
        .read(der::TAG_SEQUENCE)
        .expect("validity")
        .content
        .to_vec();
    let subject = t.read(der::TAG_SEQUENCE).expect("subject").full.to_vec();
    let spki = t.read(der::TAG_SEQUENCE).expect("spki");
    let mut sp = der::Reader::new(spki.content);
    sp.read(der::TAG_SEQUENCE).expect("alg");
    let spki_bits = sp.read_bit_string().expect("bits").1.to_vec();
    let exts = t.read(0xa3).expect("extensions");
    let mut er = der::Reader::new(exts.content);
    let list = er.read(der::TAG_SEQUENCE).expect("seq");
    let mut lr = der::Reader::new(list.content);
    let mut extensions = Vec::new();
    while !lr.is_empty() {
        let e = lr.read(der::TAG_SEQUENCE).expect("ext");
        let mut x = der::Reader::new(e.content);
        let id = x.read_oid().expect("oid");
        let critical = x.read(der::TAG_BOOLEAN).is_some();
        let v = x
            .read(der::TAG_OCTET_STRING)
            .expect("value")
            .content
            .to_vec();
        extensions.push((id, critical, v));
    }
    Parts {
        tbs: tbs.full.to_vec(),
        signature: sig.to_vec(),
        issuer,
        subject,
        spki_bits,
        extensions,
        validity,
    }
}

fn verify(parts: &Parts, signer: &PrivateKey) {
    use rsa::signature::Verifier;
    match signer {
        PrivateKey::Rsa(k) => {
            let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.to_public_key());
            let sig = rsa::pkcs1v15::Signature::try_from(parts.signature.as_slice()).expect("sig");
            vk.verify(&parts.tbs, &sig).expect("valid RSA signature");
        }
        PrivateKey::Ec(k) => {
            assert_eq!(k.curve, keys::Curve::P256);
            let params = ec::Params::of(k.curve);
            let point = params.public_point(&k.d).expect("point");
            assert!(
                params.verify(&point, &Sha256::digest(&parts.tbs), &parts.signature),
                "valid ECDSA signature"
            );
        }
        _ => panic!("unexpected signer"),
    }
}

fn cert(v: &Value) -> &Certificate {
    v.downcast::<Certificate>().expect("certificate")
}

fn list(items: &[&str]) -> Value {
    Value::List(List::new(items.iter().map(|x| s(x)).collect()))
}

#[test]
fn fn_gen_ca_and_gen_signed_cert() {
    let env = Env::fixed(Timestamp::utc(1_800_000_000, 123_456_789), 3);
    let ca = call_env(&env, "genCA", &[s("my-ca"), Value::Int(365)]).expect("ca");
    assert_eq!(ca.type_name(), "sprig.certificate");
    let ca_cert = cert(&ca);
    assert!(ca_cert.cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert!(ca_cert.key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let ca_key = keys::parse_private_key_pem(&ca_cert.key).expect("key");
    let p = split_cert(&ca_cert.cert);
    verify(&p, &ca_key);
    assert_eq!(p.issuer, p.subject);
    assert_eq!(
        p.validity,
        [
            der::tlv(0x17, b"270115080000Z"),
            der::tlv(0x17, b"280115080000Z")
        ]
        .concat()
    );
    let ids: Vec<String> = p
        .extensions
        .iter()
        .map(|(id, c, _)| format!("{}{}", der::oid_string(id), if *c { "!" } else { "" }))
        .collect();
    assert_eq!(ids, ["2.5.29.15!", "2.5.29.37", "2.5.29.19!", "2.5.29.14"]);
    assert_eq!(p.extensions[0].2, [3, 2, 2, 0xa4]);
    assert_eq!(p.extensions[2].2, [0x30, 3, 1, 1, 0xff]);
    let ski = Sha256::digest(&p.spki_bits)[..20].to_vec();
    assert_eq!(p.extensions[3].2, der::octet_string(&ski));

    let leaf = call_env(
        &env,
        "genSignedCert",
        &[
            s("leaf.example"),
            list(&["127.0.0.1", "::1"]),
            list(&["leaf.example", "b.example"]),
            Value::Int(5),
            ca.clone(),
        ],
    )
    .expect("leaf");
    let l = split_cert(&cert(&leaf).cert);
    verify(&l, &ca_key);
    assert_eq!(l.issuer, p.subject);
    let ids: Vec<String> = l
        .extensions
        .iter()
        .map(|(id, _, _)| der::oid_string(id))
        .collect();
    assert_eq!(
        ids,
        [
            "2.5.29.15",
            "2.5.29.37",
            "2.5.29.19",
            "2.5.29.35",
            "2.5.29.17"
        ]
    );
    assert_eq!(l.extensions[0].2, [3, 2, 5, 0xa0]);
    assert_eq!(l.extensions[2].2, [0x30, 0]);
    assert_eq!(l.extensions[3].2, der::seq(&[&der::tlv(0x80, &ski)]));
    let mut san = Vec::new();
    for d in ["leaf.example", "b.example"] {
        san.extend(der::tlv(0x82, d.as_bytes()));
    }
    san.extend(der::tlv(0x87, &[127, 0, 0, 1]));
    let mut v6 = [0u8; 16];
    v6[15] = 1;
    san.extend(der::tlv(0x87, &v6));
    assert_eq!(l.extensions[4].2, der::tlv(der::TAG_SEQUENCE, &san));
    assert!(
        !l.extensions[4].1,
        "SAN is critical only for an empty subject"
    );
}

#[test]
fn fn_with_key_cases() {
    let v = shared_values();
    let env = Env::default();
    let ca = call_env(
        &env,
        "genCAWithKey",
        &[s("fixed-ca"), Value::Int(30), s(&v["caKey"])],
    )
    .expect("ca");
    assert_eq!(
        cert(&ca).key,
        v["caKey"],
        "the given key is re-encoded identically"
    );
    let ec_key = keys::parse_private_key_pem(&v["caKey"]).expect("ec key");
    verify(&split_cert(&cert(&ca).cert), &ec_key);

    let ss = call_env(
        &env,
        "genSelfSignedCertWithKey",
        &[
            s("svc"),
            Value::Nil,
            list(&["svc.local"]),
            Value::Int(10),
            s(&v["rsaKey"]),
        ],
    )
    .expect("self-signed");
    assert_eq!(cert(&ss).key, v["rsaKey"]);
    let rsa_key = keys::parse_private_key_pem(&v["rsaKey"]).expect("rsa key");
    verify(&split_cert(&cert(&ss).cert), &rsa_key);

    let custom = call_env(
        &env,
        "buildCustomCert",
        &[s(&v["caCertB64"]), s(&v["caKeyB64"])],
    )
    .expect("custom");
    assert_eq!(cert(&custom).cert, v["caCert"]);
    assert_eq!(cert(&custom).key, v["caKey"]);
    let json = custom
        .downcast::<Certificate>()
        .expect("c")
        .marshal()
        .expect("json");
    assert_eq!(
        json.as_map()
            .expect("map")
            .keys()
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>(),
        ["Cert", "Key"]
    );

    let leaf = call_env(
        &env,
        "genSignedCertWithKey",
        &[
            s("leaf"),
            Value::Nil,
            list(&["a.b"]),
            Value::Int(3),
            custom.clone(),
            s(&v["rsaKey"]),
        ],
    )
    .expect("leaf");
    assert_eq!(cert(&leaf).key, v["rsaKey"]);
    let l = split_cert(&cert(&leaf).cert);
    verify(&l, &ec_key);
    let ca_parts = split_cert(&v["caCert"]);
    assert_eq!(l.issuer, ca_parts.subject);
}

#[test]
fn certificate_errors_match_helm() {
    let v = shared_values();
    assert_eq!(
        err("genCAWithKey", &[s("x"), Value::Int(1), s("not pem")]),
        "parsing private key: no PEM data in input"
    );
    assert_eq!(
        err(
            "genSelfSignedCertWithKey",
            &[
                s("svc"),
                Value::Nil,
                Value::Nil,
                Value::Int(10),
                s("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n")
            ]
        ),
        "parsing private key: no private key data in PEM block of type FOO"
    );
    let rsa_key = s(&v["rsaKey"]);
    assert_eq!(
        err(
            "genSelfSignedCertWithKey",
            &[
                s("foo"),
                list(&["not-an-ip"]),
                Value::Nil,
                Value::Int(1),
                rsa_key.clone()
            ]
        ),
        "error parsing ip: not-an-ip"
    );
    let ten = Value::List(List::new(vec![Value::Int(10)]));
    assert_eq!(
        err(
            "genSelfSignedCertWithKey",
            &[s("foo"), ten, Value::Nil, Value::Int(1), rsa_key.clone()]
        ),
        "error parsing ip: 10 is not a string"
    );
    let five = Value::List(List::new(vec![Value::Int(5)]));
    assert_eq!(
        err(
            "genSelfSignedCertWithKey",
            &[s("x"), Value::Nil, five, Value::Int(1), rsa_key.clone()]
        ),
        "error processing alternate dns name: 5 is not a string"
    );
    assert_eq!(
        err(
            "genSelfSignedCertWithKey",
            &[
                s("x"),
                Value::Nil,
                list(&["ü.com"]),
                Value::Int(1),
                rsa_key.clone()
            ]
        ),
        "error creating certificate: x509: \"ü.com\" cannot be encoded as an IA5String"
    );
    let custom = call("buildCustomCert", &[s(&v["caCertB64"]), s(&v["caKeyB64"])]).expect("custom");
    assert_eq!(
        err(
            "genSignedCertWithKey",
            &[
                s("leaf"),
                list(&["1.2.3.4.5"]),
                Value::Nil,
                Value::Int(3),
                custom,
                rsa_key
            ]
        ),
        "error parsing ip: 1.2.3.4.5"
    );
    assert_eq!(
        err("buildCustomCert", &[s("not base64!"), s("x")]),
        "unable to decode base64 certificate"
    );
    assert_eq!(
        err("buildCustomCert", &[s("anVuaw=="), s(&v["caKeyB64"])]),
        "unable to decode certificate"
    );
    let bogus = Value::Map(Map::new());
    assert_eq!(
        err(
            "genSignedCert",
            &[s("x"), Value::Nil, Value::Nil, Value::Int(1), bogus]
        ),
        "wrong type for value; expected sprig.certificate; got map[string]interface {}"
    );
}

/// An OpenSSL-generated 1024-bit DSA key in the traditional format Sprig reads.
const DSA_KEY: &str = "-----BEGIN DSA PRIVATE KEY-----\nMIIBzAIBAAKBgQCYkRzY1aWJpzeZ5rTigRxjPyo17Jav5SYB8ovmUVeyyS6WPqXZ\nEC2QhK6kzuFGE5d4TbbDBhzyxTOHe+AKaBrJkFo7Kpgx34JBzq0GNscnyxK8VAtK\nFnf9A0zy89X7t18A0hrsLZBkiNlgjBrqvWmhUSljhJRzhoNTZm9QYdHyCQIdAKBH\n6GCjB8/ljWs3ug4PyTWkEGhGXbgEZ98mFycCgYBOHOQGpTRnIxPA9saiiyuRY7nb\nJ716Z0pYzfMC1YI14f4qzo4/s4HtELltGDqqyPfgt3aMf0NoWJdvN8unALlS2OxD\nOTfRYIeq10Hv9fSSRq76rwwHI5xS8MR5dyAh06UBjFBcPe8Brda9BFYL3q8jRYlg\n1Ye6O/8WIC6Bcuh3ZQKBgQCQMUEY6jaWISjaB5uaWU7oRphfeZWmHMDdC0VTDR6f\nayQJ3p38sWvSbpvjz9e/xkHTGbQrTDratENeM1MDFpNZV7Tmi81aQcxZ+NuN13g/\nlURj2ok/x/sV/qV1YRCQWv98EY4FyxZbYOgGF2BrOBNee2vz+n8xg/lf9lnTpb/u\nEwIdAJ2y8oEYhE6s0MxNgP88pC212GgDLhsZLhS7iwM=\n-----END DSA PRIVATE KEY-----\n";
/// An OpenSSL-generated X25519 key (PKCS#8).
const X25519_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEILB0RyGz8h1RxYf2n1/HfIHRNqzmUcAqdkeQYA+Wm11n\n-----END PRIVATE KEY-----\n";

#[test]
fn keys_go_cannot_sign_with() {
    let dsa = s(DSA_KEY);
    let x = s(X25519_KEY);
    assert_eq!(
        err("genCAWithKey", &[s("x"), Value::Int(1), dsa.clone()]),
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    );
    assert_eq!(
        err("genCAWithKey", &[s("x"), Value::Int(1), x.clone()]),
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    );
    let v = shared_values();
    let ca = call("buildCustomCert", &[s(&v["caCertB64"]), s(&v["caKeyB64"])]).expect("ca");
    assert_eq!(
        err(
            "genSignedCertWithKey",
            &[
                s("x"),
                Value::Nil,
                Value::Nil,
                Value::Int(1),
                ca.clone(),
                dsa
            ]
        ),
        "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
    );
    assert_eq!(
        err(
            "genSignedCertWithKey",
            &[s("x"), Value::Nil, Value::Nil, Value::Int(1), ca, x]
        ),
        "error creating certificate: x509: unsupported public key type: *ecdh.PublicKey"
    );
    let parsed = keys::parse_private_key_pem(DSA_KEY).expect("dsa");
    assert_eq!(
        parsed.to_pem().expect("pem"),
        DSA_KEY,
        "DSA keys re-encode identically"
    );
}
