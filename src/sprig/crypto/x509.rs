//! The parts of Go's `crypto/x509` Sprig uses: `CreateCertificate` for Sprig's templates
//! (extensions in Go's order, SubjectKeyId as truncated SHA-256, AuthorityKeyId from the
//! parent), `ParseCertificate`'s structural checks and messages, and `net.ParseIP`.

use sha2::{Digest, Sha256};

use super::der::{self, Reader};
use super::keys::{Curve, PrivateKey, Rng, OID_DSA, OID_EC, OID_ED25519, OID_RSA};
use crate::sprig::date::Time;

/// Sprig's certificate template (`getBaseCertTemplate` plus the CA overrides).
pub(crate) struct Template {
    /// Serial number, big-endian magnitude.
    pub serial: Vec<u8>,
    pub common_name: String,
    pub ips: Vec<Vec<u8>>,
    pub dns_names: Vec<String>,
    pub not_before: Time,
    pub not_after: Time,
    pub key_usage: u16,
    pub is_ca: bool,
}

pub(crate) const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 1;
pub(crate) const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 1 << 2;
pub(crate) const KEY_USAGE_CERT_SIGN: u16 = 1 << 5;

/// A parsed public key: algorithm OID, curve OID (EC), key bytes.
pub(crate) type PublicKeyInfo = (Vec<u64>, Option<Vec<u64>>, Vec<u8>);

/// What `CreateCertificate` needs of a parsed parent certificate.
pub(crate) struct ParsedCert {
    pub raw_subject: Vec<u8>,
    pub subject_key_id: Vec<u8>,
    /// (algorithm OID, curve OID for EC, key bytes) of a known public key algorithm.
    pub public_key: Option<PublicKeyInfo>,
}

/// encoding/asn1's PrintableString test (`*` and `&` rejected when marshaling).
fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || (b'\''..=b')').contains(&b)
        || (b'+'..=b'/').contains(&b)
        || matches!(b, b' ' | b':' | b'=' | b'?')
}

/// `pkix.Name{CommonName: cn}.ToRDNSequence()` marshaled.
fn subject_der(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let tag = if cn.bytes().all(is_printable) {
        der::TAG_PRINTABLE_STRING
    } else {
        der::TAG_UTF8_STRING
    };
    let atv = der::seq(&[&der::oid(&[2, 5, 4, 3]), &der::tlv(tag, cn.as_bytes())]);
    der::seq(&[&der::tlv(der::TAG_SET, &atv)])
}

/// A validity time: UTCTime for 1950..2049, GeneralizedTime otherwise (encoding/asn1).
fn time_der(t: &Time) -> Result<Vec<u8>, String> {
    let utc = t.in_location(crate::sprig::date::Location::utc());
    let f = utc.fields();
    if (1950..2050).contains(&f.year) {
        Ok(der::tlv(
            der::TAG_UTC_TIME,
            utc.format("060102150405Z").as_bytes(),
        ))
    } else if (0..=9999).contains(&f.year) {
        Ok(der::tlv(
            der::TAG_GENERALIZED_TIME,
            utc.format("20060102150405Z").as_bytes(),
        ))
    } else {
        Err("asn1: structure error: cannot represent time as GeneralizedTime".into())
    }
}

fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let id = der::oid(oid);
    let value = der::octet_string(value);
    if critical {
        der::seq(&[&id, &[der::TAG_BOOLEAN, 1, 0xff], &value])
    } else {
        der::seq(&[&id, &value])
    }
}

fn key_usage_der(ku: u16) -> Vec<u8> {
    let a = [(ku as u8).reverse_bits(), ((ku >> 8) as u8).reverse_bits()];
    let l = if a[1] != 0 { 2 } else { 1 };
    let bits = &a[..l];
    let mut bit_len = l * 8;
    'outer: for &b in bits.iter().rev() {
        for bit in 0..8 {
            if (b >> bit) & 1 == 1 {
                break 'outer;
            }
            bit_len -= 1;
        }
    }
    let pad = ((8 - bit_len % 8) % 8) as u8;
    let mut content = vec![pad];
    content.extend_from_slice(bits);
    der::tlv(der::TAG_BIT_STRING, &content)
}

/// `x509.CreateCertificate(rand, template, parent, pub, priv)`; `parent` None is self-signed
/// (the template is its own parent). Returns the certificate DER.
pub(crate) fn create_certificate(
    rng: &mut Rng<'_>,
    template: &Template,
    parent: Option<&ParsedCert>,
    subject_key: &PrivateKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    let sig_alg = signer.signature_algorithm()?;
    let (pk_alg, pk_bytes) = subject_key.public_key_info()?;
    let subject = subject_der(&template.common_name);
    let issuer = parent.map_or_else(|| subject.clone(), |p| p.raw_subject.clone());
    let mut authority_key_id: &[u8] = &[];
    if let Some(p) = parent {
        if issuer != subject && !p.subject_key_id.is_empty() {
            authority_key_id = &p.subject_key_id;
        }
    }
    let subject_key_id = if template.is_ca {
        Sha256::digest(&pk_bytes)[..20].to_vec()
    } else {
        Vec::new()
    };
    if let Some(p) = parent {
        let (signer_alg, signer_bytes) = signer.public_key_info()?;
        if let Some((alg, curve, bytes)) = &p.public_key {
            let mut r = Reader::new(&signer_alg);
            let seq = r
                .read(der::TAG_SEQUENCE)
                .map(|e| e.content)
                .unwrap_or_default();
            let mut r = Reader::new(seq);
            let signer_oid = r.read_oid().unwrap_or_default();
            let signer_curve = r.read_oid();
            if &signer_oid != alg
                || (alg.as_slice() == OID_EC && &signer_curve != curve)
                || &signer_bytes != bytes
            {
                return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
            }
        }
    }

    let mut exts: Vec<Vec<u8>> = Vec::new();
    if template.key_usage != 0 {
        exts.push(extension(
            &[2, 5, 29, 15],
            true,
            &key_usage_der(template.key_usage),
        ));
    }
    let eku = der::seq(&[
        &der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]),
        &der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]),
    ]);
    exts.push(extension(&[2, 5, 29, 37], false, &eku));
    let bc = if template.is_ca {
        der::seq(&[&[der::TAG_BOOLEAN, 1, 0xff]])
    } else {
        der::seq(&[])
    };
    exts.push(extension(&[2, 5, 29, 19], true, &bc));
    if !subject_key_id.is_empty() {
        exts.push(extension(
            &[2, 5, 29, 14],
            false,
            &der::octet_string(&subject_key_id),
        ));
    }
    if !authority_key_id.is_empty() {
        exts.push(extension(
            &[2, 5, 29, 35],
            false,
            &der::seq(&[&der::tlv(0x80, authority_key_id)]),
        ));
    }
    if !template.dns_names.is_empty() || !template.ips.is_empty() {
        let mut names = Vec::new();
        for name in &template.dns_names {
            if !name.is_ascii() {
                return Err(format!(
                    "x509: {} cannot be encoded as an IA5String",
                    go_quote(name)
                ));
            }
            names.extend_from_slice(&der::tlv(0x82, name.as_bytes()));
        }
        for ip in &template.ips {
            names.extend_from_slice(&der::tlv(0x87, to4(ip)));
        }
        let empty_subject = subject == der::seq(&[]);
        exts.push(extension(
            &[2, 5, 29, 17],
            empty_subject,
            &der::tlv(der::TAG_SEQUENCE, &names),
        ));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();

    let validity = der::seq(&[
        &time_der(&template.not_before)?,
        &time_der(&template.not_after)?,
    ]);
    let spki = der::seq(&[&pk_alg, &der::bit_string(&pk_bytes)]);
    let tbs = der::seq(&[
        &der::explicit(0, &der::int(2)),
        &der::uint(&template.serial),
        &sig_alg,
        &issuer,
        &validity,
        &subject,
        &spki,
        &der::explicit(3, &der::seq(&ext_refs)),
    ]);
    let signature = signer.sign(rng, &tbs)?;
    Ok(der::seq(&[&tbs, &sig_alg, &der::bit_string(&signature)]))
}

fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `net.IP.To4()`, falling back to the 16-byte form.
fn to4(ip: &[u8]) -> &[u8] {
    if ip.len() == 16 && ip[..10].iter().all(|&b| b == 0) && ip[10] == 0xff && ip[11] == 0xff {
        &ip[12..]
    } else {
        ip
    }
}

/// `net.ParseIP` (via netip.ParseAddr; zones rejected): the 16-byte form.
pub(crate) fn parse_ip(s: &str) -> Option<[u8; 16]> {
    if let Some(v4) = parse_ipv4(s) {
        let mut out = [0u8; 16];
        out[10] = 0xff;
        out[11] = 0xff;
        out[12..].copy_from_slice(&v4);
        return Some(out);
    }
    parse_ipv6(s)
}

fn parse_ipv4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for slot in out.iter_mut() {
        let p = parts.next()?;
        if p.is_empty()
            || p.len() > 3
            || !p.bytes().all(|b| b.is_ascii_digit())
            || (p.len() > 1 && p.starts_with('0'))
        {
            return None;
        }
        *slot = p.parse::<u16>().ok().filter(|&v| v <= 255)? as u8;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(out)
}

fn parse_ipv6(s: &str) -> Option<[u8; 16]> {
    if s.contains('%') {
        return None;
    }
    let mut out = [0u8; 16];
    let (head, tail) = match s.find("::") {
        Some(i) => (&s[..i], Some(&s[i + 2..])),
        None => (s, None),
    };
    let parse_groups = |part: &str, allow_v4: bool| -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        if part.is_empty() {
            return Some(bytes);
        }
        let groups: Vec<&str> = part.split(':').collect();
        for (i, g) in groups.iter().enumerate() {
            if allow_v4 && i == groups.len() - 1 && g.contains('.') {
                bytes.extend_from_slice(&parse_ipv4(g)?);
                continue;
            }
            if g.is_empty() || g.len() > 4 || !g.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u16::from_str_radix(g, 16).ok()?;
            bytes.extend_from_slice(&v.to_be_bytes());
        }
        Some(bytes)
    };
    match tail {
        None => {
            let b = parse_groups(head, true)?;
            if b.len() != 16 {
                return None;
            }
            out.copy_from_slice(&b);
        }
        Some(tail) => {
            if tail.contains("::") {
                return None;
            }
            let h = parse_groups(head, false)?;
            let t = parse_groups(tail, true)?;
            if h.len() + t.len() > 14 {
                return None;
            }
            out[..h.len()].copy_from_slice(&h);
            out[16 - t.len()..].copy_from_slice(&t);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// ParseCertificate

fn valid_time(tag: u8, c: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let n = |s: &[u8]| s.iter().fold(0u32, |a, &b| a * 10 + (b - b'0') as u32);
    let (date, rest) = match tag {
        der::TAG_UTC_TIME if c.len() == 13 => (&c[..6], &c[6..]),
        der::TAG_GENERALIZED_TIME if c.len() == 15 => (&c[..8], &c[8..]),
        _ => return false,
    };
    if !digits(date) || !digits(&rest[..6]) || rest[6] != b'Z' {
        return false;
    }
    let md = &date[date.len() - 4..];
    let (month, day) = (n(&md[..2]), n(&md[2..]));
    let (hh, mm, ss) = (n(&rest[..2]), n(&rest[2..4]), n(&rest[4..6]));
    (1..=12).contains(&month) && (1..=31).contains(&day) && hh < 24 && mm < 60 && ss < 60
}

fn parse_name(raw: &[u8]) -> Result<(), String> {
    let mut r = Reader::new(raw);
    let seq = r
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: invalid RDNSequence")?;
    let mut rdns = Reader::new(seq.content);
    while !rdns.is_empty() {
        let set = rdns.read(der::TAG_SET).ok_or("x509: invalid RDNSequence")?;
        let mut atvs = Reader::new(set.content);
        while !atvs.is_empty() {
            let atv = atvs
                .read(der::TAG_SEQUENCE)
                .ok_or("x509: invalid RDNSequence: invalid attribute")?;
            let mut a = Reader::new(atv.content);
            a.read_oid()
                .ok_or("x509: invalid RDNSequence: invalid attribute type")?;
            a.read_any().ok_or(
                "x509: invalid RDNSequence: invalid attribute value: invalid ASN.1 element",
            )?;
        }
    }
    Ok(())
}

fn parse_public_key(
    alg: &[u64],
    params: Option<&[u8]>,
    data: &[u8],
) -> Result<PublicKeyInfo, String> {
    if alg == OID_RSA {
        if params != Some(&[der::TAG_NULL, 0][..]) {
            return Err("x509: RSA key missing NULL parameters".into());
        }
        let mut r = Reader::new(data);
        let seq = r
            .read(der::TAG_SEQUENCE)
            .ok_or("x509: invalid RSA public key")?;
        let mut k = Reader::new(seq.content);
        let n = k.read_integer().ok_or("x509: invalid RSA modulus")?;
        let e = k
            .read_integer()
            .ok_or("x509: invalid RSA public exponent")?;
        if der::big_sign(n) <= 0 {
            return Err("x509: RSA modulus is not a positive number".into());
        }
        if der::big_sign(e) <= 0 || e.len() > 8 {
            return Err("x509: RSA public exponent is not a positive number".into());
        }
        Ok((alg.to_vec(), None, data.to_vec()))
    } else if alg == OID_EC {
        let mut p = Reader::new(params.unwrap_or_default());
        let curve_oid = p.read_oid().ok_or("x509: invalid ECDSA parameters")?;
        let curve = Curve::from_oid(&curve_oid).ok_or("x509: unsupported elliptic curve")?;
        if !super::ec::Params::of(curve).on_curve(data) {
            return Err("crypto/ecdsa: invalid public key".into());
        }
        Ok((alg.to_vec(), Some(curve_oid), data.to_vec()))
    } else if alg == OID_ED25519 {
        if params.is_some() {
            return Err("x509: Ed25519 key encoded with illegal parameters".into());
        }
        if data.len() != 32 {
            return Err("x509: wrong Ed25519 public key size".into());
        }
        Ok((alg.to_vec(), None, data.to_vec()))
    } else {
        // DSA: parsed by Go but never matched by a signing key Sprig can use
        Ok((alg.to_vec(), None, data.to_vec()))
    }
}

/// `x509.ParseCertificate`: the structure checks and messages of Go's parser, returning what
/// certificate signing needs.
pub(crate) fn parse_certificate(data: &[u8]) -> Result<ParsedCert, String> {
    let mut input = Reader::new(data);
    let cert = input
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed certificate")?;
    let raw_len = cert.full.len();
    let mut input = Reader::new(cert.content);
    let tbs_el = input
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed tbs certificate")?;
    let mut tbs = Reader::new(tbs_el.content);

    let mut version = 0i64;
    if tbs.peek_tag() == Some(0xa0) {
        let v = tbs.read(0xa0).ok_or("x509: malformed version")?;
        let mut vr = Reader::new(v.content);
        let vb = vr.read_integer().ok_or("x509: malformed version")?;
        if vb.len() > 8 {
            return Err("x509: malformed version".into());
        }
        version = vb
            .iter()
            .fold(if vb[0] & 0x80 != 0 { -1i64 } else { 0 }, |a, &b| {
                (a << 8) | b as i64
            });
    }
    if !(0..=3).contains(&version) {
        return Err("x509: malformed version".into());
    }
    version += 1;
    if version > 3 {
        return Err("x509: invalid version".into());
    }
    let serial = tbs.read_integer().ok_or("x509: malformed serial number")?;
    if der::big_sign(serial) < 0 {
        return Err("x509: negative serial number".into());
    }
    let sig_ai = tbs
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed signature algorithm identifier")?;
    let outer_ai = input
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed algorithm identifier")?;
    if outer_ai.content != sig_ai.content {
        return Err("x509: inner and outer signature algorithm identifiers don't match".into());
    }
    let mut ai = Reader::new(sig_ai.content);
    ai.read_oid().ok_or("x509: malformed OID")?;
    if !ai.is_empty() && ai.read_any().is_none() {
        return Err("x509: malformed parameters".into());
    }
    let issuer = tbs
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed issuer")?;
    parse_name(issuer.full)?;
    let validity = tbs
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed validity")?;
    let mut vr = Reader::new(validity.content);
    for _ in 0..2 {
        match vr.peek_tag() {
            Some(t @ (der::TAG_UTC_TIME | der::TAG_GENERALIZED_TIME)) => {
                let e = vr.read(t).ok_or("x509: malformed UTCTime")?;
                if !valid_time(t, e.content) {
                    return Err(if t == der::TAG_UTC_TIME {
                        "x509: malformed UTCTime".into()
                    } else {
                        "x509: malformed GeneralizedTime".into()
                    });
                }
            }
            _ => return Err("x509: unsupported time format".into()),
        }
    }
    let subject = tbs
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed issuer")?;
    parse_name(subject.full)?;
    let spki = tbs.read(der::TAG_SEQUENCE).ok_or("x509: malformed spki")?;
    let mut spki_r = Reader::new(spki.content);
    let pk_ai = spki_r
        .read(der::TAG_SEQUENCE)
        .ok_or("x509: malformed public key algorithm identifier")?;
    let mut pk_ai_r = Reader::new(pk_ai.content);
    let pk_oid = pk_ai_r.read_oid().ok_or("x509: malformed OID")?;
    let pk_params = if pk_ai_r.is_empty() {
        None
    } else {
        Some(pk_ai_r.read_any().ok_or("x509: malformed parameters")?.full)
    };
    let (_, pk_bits) = spki_r
        .read_bit_string()
        .ok_or("x509: malformed subjectPublicKey")?;
    let known = [OID_RSA, OID_EC, OID_ED25519, OID_DSA].contains(&pk_oid.as_slice());
    let public_key = if known && pk_oid.as_slice() != OID_DSA {
        Some(parse_public_key(&pk_oid, pk_params, pk_bits)?)
    } else {
        None
    };

    let mut subject_key_id = Vec::new();
    if version > 1 {
        if tbs.peek_tag() == Some(0x81) && tbs.read(0x81).is_none() {
            return Err("x509: malformed issuerUniqueID".into());
        }
        if tbs.peek_tag() == Some(0x82) && tbs.read(0x82).is_none() {
            return Err("x509: malformed subjectUniqueID".into());
        }
        if version == 3 && tbs.peek_tag() == Some(0xa3) {
            let exts = tbs.read(0xa3).ok_or("x509: malformed extensions")?;
            let mut er = Reader::new(exts.content);
            let seq = er
                .read(der::TAG_SEQUENCE)
                .ok_or("x509: malformed extensions")?;
            let mut list = Reader::new(seq.content);
            let mut seen: Vec<Vec<u64>> = Vec::new();
            while !list.is_empty() {
                let ext = list
                    .read(der::TAG_SEQUENCE)
                    .ok_or("x509: malformed extension")?;
                let mut x = Reader::new(ext.content);
                let id = x.read_oid().ok_or("x509: malformed extension OID field")?;
                let mut critical = false;
                if x.peek_tag() == Some(der::TAG_BOOLEAN) {
                    let b = x
                        .read(der::TAG_BOOLEAN)
                        .ok_or("x509: malformed extension critical field")?;
                    match b.content {
                        [0] => critical = false,
                        [0xff] => critical = true,
                        _ => return Err("x509: malformed extension critical field".into()),
                    }
                }
                let value = x
                    .read(der::TAG_OCTET_STRING)
                    .ok_or("x509: malformed extension value field")?;
                if seen.contains(&id) {
                    return Err(format!(
                        "x509: certificate contains duplicate extension with OID {}",
                        go_quote(&der::oid_string(&id))
                    ));
                }
                if id == [2, 5, 29, 14] {
                    if critical {
                        return Err(
                            "x509: subject key identifier incorrectly marked critical".into()
                        );
                    }
                    let mut v = Reader::new(value.content);
                    let skid = v
                        .read(der::TAG_OCTET_STRING)
                        .ok_or("x509: invalid subject key identifier")?;
                    subject_key_id = skid.content.to_vec();
                } else if id == [2, 5, 29, 19] {
                    let mut v = Reader::new(value.content);
                    v.read(der::TAG_SEQUENCE)
                        .ok_or("x509: invalid basic constraints")?;
                } else if id == [2, 5, 29, 15] {
                    let mut v = Reader::new(value.content);
                    v.read_bit_string().ok_or("x509: invalid key usage")?;
                }
                seen.push(id);
            }
        }
    }
    input.read_bit_string().ok_or("x509: malformed signature")?;
    if raw_len != data.len() {
        return Err("x509: trailing data".into());
    }
    Ok(ParsedCert {
        raw_subject: subject.full.to_vec(),
        subject_key_id,
        public_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ips_like_go() {
        let ip = |s: &str| parse_ip(s).map(|b| to4(&b).to_vec());
        assert_eq!(ip("10.0.0.1"), Some(vec![10, 0, 0, 1]));
        assert_eq!(ip("::1").map(|v| v.len()), Some(16));
        assert_eq!(ip("::ffff:1.2.3.4"), Some(vec![1, 2, 3, 4]));
        assert_eq!(ip("2001:db8::8a2e:370:7334").map(|v| v.len()), Some(16));
        assert_eq!(ip("01.2.3.4"), None);
        assert_eq!(ip("1.2.3.4.5"), None);
        assert_eq!(ip("256.0.0.1"), None);
        assert_eq!(ip("fe80::1%eth0"), None);
        assert_eq!(ip("not-an-ip"), None);
        assert_eq!(ip("1::2::3"), None);
        assert_eq!(ip(""), None);
    }

    #[test]
    fn key_usage_bits_match_go() {
        assert_eq!(key_usage_der(37), [3, 2, 2, 0xa4]);
        assert_eq!(key_usage_der(5), [3, 2, 5, 0xa0]);
    }

    #[test]
    fn malformed_certificates() {
        assert_eq!(
            parse_certificate(b"junk").err().as_deref(),
            Some("x509: malformed certificate")
        );
        assert_eq!(
            parse_certificate(&[0x30, 0]).err().as_deref(),
            Some("x509: malformed tbs certificate")
        );
    }
}
