//! Sprig's crypto functions (crypto.go): digests, bcrypt/htpasswd, the Master Password
//! `derivePassword`, private keys and X.509 certificates (`genCA`, `genSignedCert`, …),
//! AES-CBC `encryptAES`/`decryptAES` and `randBytes`, all drawing on the injected random source.
//!
//! Certificates are Sprig's `certificate` struct (`sprig.certificate`, fields `Cert` and `Key`),
//! built by [`x509`] with Go's field layout; key and PEM handling mirror Go's `crypto/x509` and
//! `encoding/pem` (see [`keys`], [`pem`], [`der`]).

mod bcrypt;
mod der;
mod ec;
mod keys;
mod pem;
mod x509;

use std::any::Any;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::engine::func::Signature;
use crate::engine::gostr;
use crate::engine::value::{Kind, Object};
use crate::engine::{CallCtx, FnResult, FuncMap, Map, Ty, Value};
use crate::sprig::date::Time;

use keys::{PrivateKey, Rng};
use x509::Template;

pub(crate) use pem::decode_std as go_base64_decode;

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn str_arg(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn int_arg(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        Some(Value::Uint(n)) => *n as i64,
        _ => 0,
    }
}

fn f_sha1sum(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(hex(&Sha1::digest(gostr::to_bytes(str_arg(
        a, 0,
    ))))))
}

fn f_sha256sum(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(hex(&Sha256::digest(&*gostr::to_bytes(
        str_arg(a, 0),
    )))))
}

fn f_sha512sum(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(hex(&Sha512::digest(&*gostr::to_bytes(
        str_arg(a, 0),
    )))))
}

/// `hash/adler32.Checksum`.
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

fn f_adler32sum(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(
        adler32(&gostr::to_bytes(str_arg(a, 0))).to_string(),
    ))
}

/// Sprig's `bcrypt`: the hash, or its "failed to encrypt" text.
fn bcrypt_string(ctx: &mut CallCtx<'_>, password: &str) -> String {
    let mut salt = [0u8; 16];
    ctx.with_rng(|r| r.fill_bytes(&mut salt));
    match bcrypt::generate(password.as_bytes(), bcrypt::DEFAULT_COST, &salt) {
        Ok(h) => h,
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

fn f_bcrypt(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(bcrypt_string(ctx, str_arg(a, 0))))
}

fn f_htpasswd(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let user = str_arg(a, 0);
    if user.contains(':') {
        return Ok(Value::string(format!("invalid username: {user}")));
    }
    Ok(Value::string(format!(
        "{user}:{}",
        bcrypt_string(ctx, str_arg(a, 1))
    )))
}

fn f_rand_bytes(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let count = int_arg(a, 0);
    if count < 0 {
        return Err("runtime error: makeslice: len out of range".into());
    }
    super::strings::check_len(ctx, (count as u128).div_ceil(3) * 4)?;
    let mut buf = vec![0u8; count as usize];
    ctx.with_rng(|r| r.fill_bytes(&mut buf));
    Ok(Value::string(
        base64::engine::general_purpose::STANDARD.encode(buf),
    ))
}

// ---------------------------------------------------------------------------------------------
// derivePassword (Master Password)

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(c: u8) -> &'static str {
    match c {
        b'V' => "AEIOU",
        b'C' => "BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => "aeiou",
        b'c' => "bcdfghjklmnpqrstvwxyz",
        b'A' => "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => "0123456789",
        b'o' => "@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => "",
    }
}

/// Sprig's `derivePassword(counter, type, password, user, site)`.
pub(crate) fn derive_password(
    counter: u32,
    kind: &str,
    password: &str,
    user: &str,
    site: &str,
) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    const SEED: &str = "com.lyndir.masterpassword";
    let mut salt = Vec::with_capacity(SEED.len() + 4 + user.len());
    salt.extend_from_slice(SEED.as_bytes());
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2, 64)
        .map_err(|e| e.to_string())
        .and_then(|p| {
            scrypt::scrypt(password.as_bytes(), &salt, &p, &mut key).map_err(|e| e.to_string())
        });
    if let Err(e) = derived {
        return format!("failed to derive password: {e}");
    }
    let mut msg = Vec::with_capacity(SEED.len() + 8 + site.len());
    msg.extend_from_slice(SEED.as_bytes());
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password: invalid key".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let chars = template_characters(c).as_bytes();
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

fn f_derive_password(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let counter = int_arg(a, 0) as u32;
    Ok(Value::string(derive_password(
        counter,
        str_arg(a, 1),
        str_arg(a, 2),
        str_arg(a, 3),
        str_arg(a, 4),
    )))
}

// ---------------------------------------------------------------------------------------------
// AES

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = gostr::to_bytes(password);
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

fn f_encrypt_aes(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let plaintext = gostr::to_bytes(str_arg(a, 1));
    let plaintext: &[u8] = &plaintext;
    if plaintext.is_empty() {
        return Ok(Value::str(""));
    }
    let key = aes_key(str_arg(a, 0));
    let padding = 16 - plaintext.len() % 16;
    let mut out = vec![0u8; 16 + plaintext.len() + padding];
    ctx.with_rng(|r| r.fill_bytes(&mut out[..16]));
    out[16..16 + plaintext.len()].copy_from_slice(plaintext);
    for b in &mut out[16 + plaintext.len()..] {
        *b = padding as u8;
    }
    let iv: [u8; 16] = out[..16].try_into().unwrap_or_default();
    let mut enc = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into());
    for block in out[16..].chunks_exact_mut(16) {
        enc.encrypt_block_mut(block.into());
    }
    Ok(Value::string(
        base64::engine::general_purpose::STANDARD.encode(out),
    ))
}

fn f_decrypt_aes(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let crypt64 = str_arg(a, 1);
    if crypt64.is_empty() {
        return Ok(Value::str(""));
    }
    let key = aes_key(str_arg(a, 0));
    let crypt = go_base64_decode(crypt64.as_bytes())
        .map_err(|at| format!("illegal base64 data at input byte {at}"))?;
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt64.len() / 4 * 3
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let iv: [u8; 16] = iv.try_into().unwrap_or_default();
    let mut dec = cbc::Decryptor::<aes::Aes256>::new(&key.into(), &iv.into());
    let mut plain = body.to_vec();
    for block in plain.chunks_exact_mut(16) {
        dec.decrypt_block_mut(block.into());
    }
    let Some(&last) = plain.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let end = plain.len() as i64 - last as i64;
    if end < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{end}]"));
    }
    plain.truncate(end as usize);
    Ok(Value::string(gostr::from_bytes(&plain)))
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates

/// Sprig's `certificate` struct: PEM text of a certificate and its private key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Certificate {
    pub cert: String,
    pub key: String,
}

pub(crate) const CERTIFICATE_TYPE: &str = "sprig.certificate";

impl Object for Certificate {
    fn type_name(&self) -> &str {
        CERTIFICATE_TYPE
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::str(&self.cert)),
            "Key" => Some(Value::str(&self.key)),
            _ => None,
        }
    }
    fn write_v(&self, out: &mut String, plus: bool) {
        out.push('{');
        if plus {
            out.push_str("Cert:");
        }
        out.push_str(&self.cert);
        out.push(' ');
        if plus {
            out.push_str("Key:");
        }
        out.push_str(&self.key);
        out.push('}');
    }
    fn marshal(&self) -> Option<Value> {
        let m = Map::new();
        m.insert("Cert", Value::str(&self.cert));
        m.insert("Key", Value::str(&self.key));
        Some(Value::Map(m))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn f_gen_private_key(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let typ = str_arg(a, 0);
    let key = ctx.with_rng(|r| keys::generate(typ, &mut Rng(r)));
    Ok(Value::string(match key {
        Ok(k) => k
            .to_pem()
            .unwrap_or_else(|e| format!("failed to generate private key: {e}")),
        Err(msg) => msg,
    }))
}

/// `getNetIPs`: every element a string that `net.ParseIP` accepts.
fn net_ips(v: &Value) -> Result<Vec<Vec<u8>>, String> {
    let Some(list) = v.as_list() else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|ip| {
            let s = ip
                .as_str()
                .ok_or_else(|| format!("error parsing ip: {} is not a string", ip.to_v()))?;
            x509::parse_ip(s)
                .map(|b| b.to_vec())
                .ok_or_else(|| format!("error parsing ip: {s}"))
        })
        .collect()
}

/// `getAlternateDNSStrs`.
fn dns_names(v: &Value) -> Result<Vec<String>, String> {
    let Some(list) = v.as_list() else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|d| {
            d.as_str().map(str::to_string).ok_or_else(|| {
                format!(
                    "error processing alternate dns name: {} is not a string",
                    d.to_v()
                )
            })
        })
        .collect()
}

/// `getBaseCertTemplate(cn, ips, dns, daysValid)`.
fn base_template(
    ctx: &mut CallCtx<'_>,
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
) -> Result<Template, String> {
    let ips = net_ips(ips)?;
    let dns_names = dns_names(dns)?;
    let mut serial = vec![0u8; 16];
    ctx.with_rng(|r| r.fill_bytes(&mut serial));
    let now = Time::now(&ctx.now());
    let valid = crate::sprig::date::HOUR.wrapping_mul(24).wrapping_mul(days);
    Ok(Template {
        serial,
        common_name: cn.to_string(),
        ips,
        dns_names,
        not_before: now.clone(),
        not_after: now.add(valid),
        key_usage: x509::KEY_USAGE_KEY_ENCIPHERMENT | x509::KEY_USAGE_DIGITAL_SIGNATURE,
        is_ca: false,
    })
}

/// `getCertAndKey`: the signed certificate and the subject key, both as PEM.
fn cert_and_key(
    ctx: &mut CallCtx<'_>,
    template: &Template,
    subject_key: &PrivateKey,
    parent: Option<&x509::ParsedCert>,
    signer: &PrivateKey,
) -> Result<Certificate, String> {
    let der_bytes = ctx
        .with_rng(|r| x509::create_certificate(&mut Rng(r), template, parent, subject_key, signer))
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: pem::encode("CERTIFICATE", &der_bytes),
        key: subject_key
            .to_pem()
            .map_err(|e| format!("error pem-encoding key: {e}"))?,
    })
}

fn generate_rsa_2048(ctx: &mut CallCtx<'_>) -> Result<PrivateKey, String> {
    ctx.with_rng(|r| keys::generate_rsa(&mut Rng(r), 2048))
        .map_err(|e| format!("error generating rsa key: {e}"))
}

fn certificate_authority(ctx: &mut CallCtx<'_>, cn: &str, days: i64, key: &PrivateKey) -> FnResult {
    let mut template = base_template(ctx, cn, &Value::Nil, &Value::Nil, days)?;
    template.key_usage = x509::KEY_USAGE_KEY_ENCIPHERMENT
        | x509::KEY_USAGE_DIGITAL_SIGNATURE
        | x509::KEY_USAGE_CERT_SIGN;
    template.is_ca = true;
    Ok(Value::object(cert_and_key(ctx, &template, key, None, key)?))
}

fn f_gen_ca(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let key = generate_rsa_2048(ctx)?;
    certificate_authority(ctx, str_arg(a, 0), int_arg(a, 1), &key)
}

fn f_gen_ca_with_key(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let key = keys::parse_private_key_pem(str_arg(a, 2))
        .map_err(|e| format!("parsing private key: {e}"))?;
    certificate_authority(ctx, str_arg(a, 0), int_arg(a, 1), &key)
}

fn self_signed(ctx: &mut CallCtx<'_>, a: &[Value], key: Option<PrivateKey>) -> FnResult {
    let template = base_template(ctx, str_arg(a, 0), &a[1], &a[2], int_arg(a, 3))?;
    let key = match key {
        Some(k) => k,
        None => generate_rsa_2048(ctx)?,
    };
    Ok(Value::object(cert_and_key(
        ctx, &template, &key, None, &key,
    )?))
}

fn f_gen_self_signed_cert(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    self_signed(ctx, a, None)
}

fn f_gen_self_signed_cert_with_key(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let key = keys::parse_private_key_pem(str_arg(a, 4))
        .map_err(|e| format!("parsing private key: {e}"))?;
    self_signed(ctx, a, Some(key))
}

fn signed(ctx: &mut CallCtx<'_>, a: &[Value], key: Option<PrivateKey>) -> FnResult {
    let Some(ca) = a.get(4).and_then(|v| v.downcast::<Certificate>()) else {
        return Err(format!(
            "wrong type for value; expected {CERTIFICATE_TYPE}; got {}",
            a.get(4).map_or_else(|| "<nil>".into(), Value::type_name)
        ));
    };
    let block = pem::decode(ca.cert.as_bytes()).ok_or("unable to decode certificate")?;
    let parent = x509::parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer = keys::parse_private_key_pem(&ca.key)
        .map_err(|e| format!("error parsing private key: {e}"))?;
    let template = base_template(ctx, str_arg(a, 0), &a[1], &a[2], int_arg(a, 3))?;
    let key = match key {
        Some(k) => k,
        None => generate_rsa_2048(ctx)?,
    };
    Ok(Value::object(cert_and_key(
        ctx,
        &template,
        &key,
        Some(&parent),
        &signer,
    )?))
}

fn f_gen_signed_cert(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    signed(ctx, a, None)
}

fn f_gen_signed_cert_with_key(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let key = keys::parse_private_key_pem(str_arg(a, 5))
        .map_err(|e| format!("parsing private key: {e}"))?;
    signed(ctx, a, Some(key))
}

fn f_build_custom_cert(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let cert = go_base64_decode(str_arg(a, 0).as_bytes())
        .map_err(|_| "unable to decode base64 certificate")?;
    let key = go_base64_decode(str_arg(a, 1).as_bytes())
        .map_err(|_| "unable to decode base64 private key")?;
    let block = pem::decode(&cert).ok_or("unable to decode certificate")?;
    x509::parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    let key_text = String::from_utf8_lossy(&key).into_owned();
    keys::parse_private_key_pem(&key_text)
        .map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Value::object(Certificate {
        cert: String::from_utf8_lossy(&cert).into_owned(),
        key: key_text,
    }))
}

pub(crate) fn register(m: &mut FuncMap) {
    const S: Signature = Signature::fixed(&[Ty::String]);
    const S_S: Signature = Signature::fixed(&[Ty::String, Ty::String]);
    const CERT: Ty = Ty::Named(CERTIFICATE_TYPE);
    m.add("sha1sum", S, f_sha1sum);
    m.add("sha256sum", S, f_sha256sum);
    m.add("sha512sum", S, f_sha512sum);
    m.add("adler32sum", S, f_adler32sum);
    m.add("bcrypt", S, f_bcrypt);
    m.add("htpasswd", S_S, f_htpasswd);
    m.add("genPrivateKey", S, f_gen_private_key);
    m.add(
        "derivePassword",
        Signature::fixed(&[Ty::Uint32, Ty::String, Ty::String, Ty::String, Ty::String]),
        f_derive_password,
    );
    m.add("buildCustomCert", S_S, f_build_custom_cert);
    m.add("genCA", Signature::fixed(&[Ty::String, Ty::Int]), f_gen_ca);
    m.add(
        "genCAWithKey",
        Signature::fixed(&[Ty::String, Ty::Int, Ty::String]),
        f_gen_ca_with_key,
    );
    m.add(
        "genSelfSignedCert",
        Signature::fixed(&[Ty::String, Ty::List, Ty::List, Ty::Int]),
        f_gen_self_signed_cert,
    );
    m.add(
        "genSelfSignedCertWithKey",
        Signature::fixed(&[Ty::String, Ty::List, Ty::List, Ty::Int, Ty::String]),
        f_gen_self_signed_cert_with_key,
    );
    m.add(
        "genSignedCert",
        Signature::fixed(&[Ty::String, Ty::List, Ty::List, Ty::Int, CERT]),
        f_gen_signed_cert,
    );
    m.add(
        "genSignedCertWithKey",
        Signature::fixed(&[Ty::String, Ty::List, Ty::List, Ty::Int, CERT, Ty::String]),
        f_gen_signed_cert_with_key,
    );
    m.add("encryptAES", S_S, f_encrypt_aes);
    m.add("decryptAES", S_S, f_decrypt_aes);
    m.add("randBytes", Signature::fixed(&[Ty::Int]), f_rand_bytes);
}

#[cfg(test)]
mod tests;
