//! Private keys as Sprig handles them: generation (`genPrivateKey`, RSA for certificates),
//! Go's PEM/DER forms (`pemBlockForKey`: PKCS#1, SEC 1, PKCS#8, Sprig's DSA structure),
//! `parsePrivateKeyPEM` with x509's parsers and messages, public key encoding
//! (`marshalPublicKey`) and certificate signatures (`signingParamsForKey`).

use num_bigint_dig::{BigInt, BigUint, Sign};
use rand_core::{CryptoRng, RngCore};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::der::{
    self, big_magnitude, big_sign, field, optional, optional_explicit, unmarshal, FieldKind,
    FieldSpec, StructSpec, Val,
};
use super::{ec, pem};

/// The injected random source as the `CryptoRngCore` the key crates ask for.
pub(crate) struct Rng<'a>(pub &'a mut dyn RngCore);

impl RngCore for Rng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.try_fill_bytes(dest)
    }
}

impl CryptoRng for Rng<'_> {}

pub(crate) const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
pub(crate) const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
pub(crate) const OID_ED25519: &[u64] = &[1, 3, 101, 112];
pub(crate) const OID_DSA: &[u64] = &[1, 2, 840, 10040, 4, 1];
pub(crate) const OID_X25519: &[u64] = &[1, 3, 101, 110];

/// The NIST curves Go's x509 knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    pub(crate) fn oid(self) -> &'static [u64] {
        match self {
            Curve::P224 => &[1, 3, 132, 0, 33],
            Curve::P256 => &[1, 2, 840, 10045, 3, 1, 7],
            Curve::P384 => &[1, 3, 132, 0, 34],
            Curve::P521 => &[1, 3, 132, 0, 35],
        }
    }
    pub(crate) fn from_oid(oid: &[u64]) -> Option<Curve> {
        [Curve::P224, Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.oid() == oid)
    }
    /// `x509.CreateCertificate`'s hash for ECDSA signatures on this curve.
    fn sig_oid(self) -> &'static [u64] {
        match self {
            Curve::P224 | Curve::P256 => &[1, 2, 840, 10045, 4, 3, 2],
            Curve::P384 => &[1, 2, 840, 10045, 4, 3, 3],
            Curve::P521 => &[1, 2, 840, 10045, 4, 3, 4],
        }
    }
}

/// An ECDSA private key: the curve and the scalar (fixed width).
#[derive(Clone)]
pub(crate) struct EcKey {
    pub curve: Curve,
    pub d: Vec<u8>,
}

/// A DSA private key (Sprig's `DSAKeyFormat` fields, big-endian magnitudes).
#[derive(Clone)]
pub(crate) struct DsaKey {
    pub p: Vec<u8>,
    pub q: Vec<u8>,
    pub g: Vec<u8>,
    pub y: Vec<u8>,
    pub x: Vec<u8>,
}

/// A private key of one of the types Go's `crypto/x509` returns.
#[derive(Clone)]
pub(crate) enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ec(EcKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Dsa(DsaKey),
    /// An X25519 key from PKCS#8 (`*ecdh.PrivateKey`): parsed, but Go can neither sign with it
    /// nor put it in a certificate.
    X25519([u8; 32]),
}

fn ec_generate(curve: Curve, rng: &mut Rng<'_>) -> EcKey {
    let d = ec::Params::of(curve).random_scalar(rng.0);
    EcKey { curve, d }
}

/// The uncompressed public point `04 || X || Y`.
fn ec_public_point(k: &EcKey) -> Result<Vec<u8>, String> {
    ec::Params::of(k.curve)
        .public_point(&k.d)
        .ok_or_else(|| "crypto/ecdsa: invalid private key".to_string())
}

/// ECDSA with the hash `CreateCertificate` pairs with the curve (SHA-256 for P-224 and P-256).
fn ec_sign(k: &EcKey, rng: &mut Rng<'_>, msg: &[u8]) -> Result<Vec<u8>, String> {
    let hash = match k.curve {
        Curve::P224 | Curve::P256 => Sha256::digest(msg).to_vec(),
        Curve::P384 => Sha384::digest(msg).to_vec(),
        Curve::P521 => Sha512::digest(msg).to_vec(),
    };
    Ok(ec::Params::of(k.curve).sign(&k.d, &hash, rng.0))
}

fn biguint_bytes(n: &BigUint) -> Vec<u8> {
    n.to_bytes_be()
}

/// RSA key generation with Go's public exponent 65537.
pub(crate) fn generate_rsa(rng: &mut Rng<'_>, bits: usize) -> Result<PrivateKey, String> {
    rsa::RsaPrivateKey::new(rng, bits)
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|e| e.to_string())
}

/// `generatePrivateKey(typ)`: the key or Sprig's message for an unknown type.
pub(crate) fn generate(typ: &str, rng: &mut Rng<'_>) -> Result<PrivateKey, String> {
    match typ {
        "" | "rsa" => generate_rsa(rng, 4096),
        "dsa" => {
            let components = dsa::Components::generate(rng, dsa::KeySize::DSA_2048_256);
            let key = dsa::SigningKey::generate(rng, components);
            let vk = key.verifying_key();
            let c = vk.components();
            Ok(PrivateKey::Dsa(DsaKey {
                p: biguint_bytes(c.p()),
                q: biguint_bytes(c.q()),
                g: biguint_bytes(c.g()),
                y: biguint_bytes(vk.y()),
                x: biguint_bytes(key.x()),
            }))
        }
        "ecdsa" => Ok(PrivateKey::Ec(ec_generate(Curve::P256, rng))),
        "ed25519" => {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            Ok(PrivateKey::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_bytes(&seed),
            )))
        }
        _ => Err(format!("Unknown type {typ}")),
    }
}

fn pkcs1_der(k: &rsa::RsaPrivateKey) -> Vec<u8> {
    let primes = k.primes();
    let multi = primes.len() > 2;
    let mut parts = vec![
        der::int(if multi { 1 } else { 0 }),
        der::uint(&k.n().to_bytes_be()),
        der::uint(&k.e().to_bytes_be()),
        der::uint(&k.d().to_bytes_be()),
        der::uint(&primes[0].to_bytes_be()),
        der::uint(&primes[1].to_bytes_be()),
    ];
    let one = BigUint::from(1u32);
    let dp = k.d() % (&primes[0] - &one);
    let dq = k.d() % (&primes[1] - &one);
    let qinv = k.qinv().and_then(|q| q.to_biguint()).unwrap_or_default();
    parts.push(der::uint(&dp.to_bytes_be()));
    parts.push(der::uint(&dq.to_bytes_be()));
    parts.push(der::uint(&qinv.to_bytes_be()));
    if multi {
        let mut r = &primes[0] * &primes[1];
        let mut extra = Vec::new();
        for p in &primes[2..] {
            let exp = k.d() % (p - &one);
            let coeff = BigInt::from_biguint(Sign::Plus, r.clone())
                .to_biguint()
                .and_then(|rv| mod_inverse(&rv, p))
                .unwrap_or_default();
            extra.push(der::seq(&[
                &der::uint(&p.to_bytes_be()),
                &der::uint(&exp.to_bytes_be()),
                &der::uint(&coeff.to_bytes_be()),
            ]));
            r *= p;
        }
        parts.push(der::tlv(der::TAG_SEQUENCE, &extra.concat()));
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    der::seq(&refs)
}

fn mod_inverse(a: &BigUint, m: &BigUint) -> Option<BigUint> {
    use num_bigint_dig::ModInverse;
    a.clone().mod_inverse(m).and_then(|v| v.to_biguint())
}

fn sec1_der(k: &EcKey) -> Result<Vec<u8>, String> {
    let point = ec_public_point(k)?;
    Ok(der::seq(&[
        &der::int(1),
        &der::octet_string(&k.d),
        &der::explicit(0, &der::oid(k.curve.oid())),
        &der::explicit(1, &der::bit_string(&point)),
    ]))
}

fn ed25519_pkcs8_der(k: &ed25519_dalek::SigningKey) -> Vec<u8> {
    der::seq(&[
        &der::int(0),
        &der::seq(&[&der::oid(OID_ED25519)]),
        &der::octet_string(&der::octet_string(&k.to_bytes())),
    ])
}

fn dsa_der(k: &DsaKey) -> Vec<u8> {
    der::seq(&[
        &der::int(0),
        &der::uint(&k.p),
        &der::uint(&k.q),
        &der::uint(&k.g),
        &der::uint(&k.y),
        &der::uint(&k.x),
    ])
}

impl PrivateKey {
    /// Sprig's `pemBlockForKey` as PEM text.
    pub(crate) fn to_pem(&self) -> Result<String, String> {
        Ok(match self {
            PrivateKey::Rsa(k) => pem::encode("RSA PRIVATE KEY", &pkcs1_der(k)),
            PrivateKey::Ec(k) => pem::encode("EC PRIVATE KEY", &sec1_der(k)?),
            PrivateKey::Ed25519(k) => pem::encode("PRIVATE KEY", &ed25519_pkcs8_der(k)),
            PrivateKey::Dsa(k) => pem::encode("DSA PRIVATE KEY", &dsa_der(k)),
            PrivateKey::X25519(k) => pem::encode(
                "PRIVATE KEY",
                &der::seq(&[
                    &der::int(0),
                    &der::seq(&[&der::oid(OID_X25519)]),
                    &der::octet_string(&der::octet_string(k)),
                ]),
            ),
        })
    }

    /// `x509.marshalPublicKey` of the public half: (AlgorithmIdentifier DER, key bytes).
    pub(crate) fn public_key_info(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        match self {
            PrivateKey::Rsa(k) => Ok((
                der::seq(&[&der::oid(OID_RSA), &der::null()]),
                der::seq(&[
                    &der::uint(&k.n().to_bytes_be()),
                    &der::uint(&k.e().to_bytes_be()),
                ]),
            )),
            PrivateKey::Ec(k) => Ok((
                der::seq(&[&der::oid(OID_EC), &der::oid(k.curve.oid())]),
                ec_public_point(k)?,
            )),
            PrivateKey::Ed25519(k) => Ok((
                der::seq(&[&der::oid(OID_ED25519)]),
                k.verifying_key().to_bytes().to_vec(),
            )),
            PrivateKey::Dsa(_) => Err("x509: unsupported public key type: *dsa.PublicKey".into()),
            PrivateKey::X25519(_) => {
                Err("x509: unsupported public key type: *ecdh.PublicKey".into())
            }
        }
    }

    /// The signature AlgorithmIdentifier `CreateCertificate` uses with this signing key.
    pub(crate) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(_) => Ok(der::seq(&[
                &der::oid(&[1, 2, 840, 113549, 1, 1, 11]),
                &der::null(),
            ])),
            PrivateKey::Ec(k) => Ok(der::seq(&[&der::oid(k.curve.sig_oid())])),
            PrivateKey::Ed25519(_) => Ok(der::seq(&[&der::oid(OID_ED25519)])),
            PrivateKey::Dsa(_) | PrivateKey::X25519(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// Signs a TBSCertificate the way `CreateCertificate` does for this key type.
    pub(crate) fn sign(&self, rng: &mut Rng<'_>, msg: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => k
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg))
                .map_err(|e| e.to_string()),
            PrivateKey::Ec(k) => ec_sign(k, rng, msg),
            PrivateKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(msg).to_bytes().to_vec())
            }
            PrivateKey::Dsa(_) | PrivateKey::X25519(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

static PKCS1_PRIME: StructSpec = StructSpec {
    name: "pkcs1AdditionalRSAPrime",
    fields: &[
        field(FieldKind::BigInt),
        field(FieldKind::BigInt),
        field(FieldKind::BigInt),
    ],
};

static PKCS1: StructSpec = StructSpec {
    name: "pkcs1PrivateKey",
    fields: &[
        field(FieldKind::Int),
        field(FieldKind::BigInt),
        field(FieldKind::Int),
        field(FieldKind::BigInt),
        field(FieldKind::BigInt),
        field(FieldKind::BigInt),
        optional(FieldKind::BigInt),
        optional(FieldKind::BigInt),
        optional(FieldKind::BigInt),
        optional(FieldKind::SeqOf(&PKCS1_PRIME)),
    ],
};

static ALGORITHM_IDENTIFIER: StructSpec = StructSpec {
    name: "AlgorithmIdentifier",
    fields: &[field(FieldKind::Oid), optional(FieldKind::Raw)],
};

static PKCS8: StructSpec = StructSpec {
    name: "pkcs8",
    fields: &[
        field(FieldKind::Int),
        field(FieldKind::Struct(&ALGORITHM_IDENTIFIER)),
        field(FieldKind::Bytes),
    ],
};

static EC_PRIVATE_KEY: StructSpec = StructSpec {
    name: "ecPrivateKey",
    fields: &[
        field(FieldKind::Int),
        field(FieldKind::Bytes),
        optional_explicit(FieldKind::Oid, 0),
        optional_explicit(FieldKind::Bits, 1),
    ],
};

const DSA_FIELDS: [FieldSpec; 6] = [
    field(FieldKind::Int),
    field(FieldKind::BigInt),
    field(FieldKind::BigInt),
    field(FieldKind::BigInt),
    field(FieldKind::BigInt),
    field(FieldKind::BigInt),
];

static DSA_KEY_FORMAT: StructSpec = StructSpec {
    name: "DSAKeyFormat",
    fields: &DSA_FIELDS,
};

fn biguint(b: &[u8]) -> BigUint {
    BigUint::from_bytes_be(big_magnitude(b))
}

/// `x509.ParsePKCS1PrivateKey`.
pub(crate) fn parse_pkcs1(der_bytes: &[u8]) -> Result<PrivateKey, String> {
    let (v, rest) = match unmarshal(der_bytes, &PKCS1) {
        Ok(x) => x,
        Err(e) => {
            if unmarshal(der_bytes, &EC_PRIVATE_KEY).is_ok() {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if unmarshal(der_bytes, &PKCS8).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            return Err(e);
        }
    };
    if !rest.is_empty() {
        return Err("asn1: syntax error: trailing data".into());
    }
    let f = v.fields();
    if f[0].int() > 1 {
        return Err("x509: unsupported private key version".into());
    }
    let (n, d, p, q) = (f[1].bytes(), f[3].bytes(), f[4].bytes(), f[5].bytes());
    if big_sign(n) <= 0 || big_sign(d) <= 0 || big_sign(p) <= 0 || big_sign(q) <= 0 {
        return Err("x509: private key contains zero or negative value".into());
    }
    let e = f[2].int();
    if e <= 0 || e > u32::MAX as i64 {
        return Err("crypto/rsa: invalid public exponent".into());
    }
    let mut primes = vec![biguint(p), biguint(q)];
    for extra in f[9].fields() {
        let prime = extra.fields()[0].bytes();
        if big_sign(prime) <= 0 {
            return Err("x509: private key contains zero or negative prime".into());
        }
        primes.push(biguint(prime));
    }
    let key = rsa::RsaPrivateKey::from_components(
        biguint(n),
        BigUint::from(e as u64),
        biguint(d),
        primes,
    )
    .map_err(|e| match e {
        rsa::Error::InvalidModulus => "crypto/rsa: invalid modulus".to_string(),
        rsa::Error::InvalidExponent => "crypto/rsa: invalid exponents".to_string(),
        rsa::Error::PublicExponentTooSmall | rsa::Error::PublicExponentTooLarge => {
            "crypto/rsa: invalid public exponent".to_string()
        }
        _ => "crypto/rsa: invalid prime".to_string(),
    })?;
    Ok(PrivateKey::Rsa(Box::new(key)))
}

/// x509's `parseECPrivateKey` (SEC 1), with the curve OID from PKCS#8 when given.
fn parse_ec(named_curve: Option<&[u64]>, der_bytes: &[u8]) -> Result<PrivateKey, String> {
    let v = match unmarshal(der_bytes, &EC_PRIVATE_KEY) {
        Ok((v, _)) => v,
        Err(e) => {
            if unmarshal(der_bytes, &PKCS8).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            if unmarshal(der_bytes, &PKCS1).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(format!("x509: failed to parse EC private key: {e}"));
        }
    };
    let f = v.fields();
    if f[0].int() != 1 {
        return Err(format!(
            "x509: unknown EC private key version {}",
            f[0].int()
        ));
    }
    let curve = match named_curve {
        Some(oid) => Curve::from_oid(oid),
        None => Curve::from_oid(f[2].oid()),
    }
    .ok_or("x509: unknown elliptic curve")?;
    let mut k = f[1].bytes();
    let params = ec::Params::of(curve);
    if &BigUint::from_bytes_be(k) >= params.order() {
        return Err("x509: invalid elliptic curve private key value".into());
    }
    let size = params.size;
    while k.len() > size {
        if k[0] != 0 {
            return Err("x509: invalid private key length".into());
        }
        k = &k[1..];
    }
    let mut d = vec![0u8; size];
    d[size - k.len()..].copy_from_slice(k);
    if d.iter().all(|&b| b == 0) {
        return Err("crypto/ecdsa: invalid private key".into());
    }
    Ok(PrivateKey::Ec(EcKey { curve, d }))
}

/// `x509.ParseECPrivateKey`.
pub(crate) fn parse_sec1(der_bytes: &[u8]) -> Result<PrivateKey, String> {
    parse_ec(None, der_bytes)
}

/// `x509.ParsePKCS8PrivateKey` for the key types ChartLab has (RSA, ECDSA, Ed25519).
pub(crate) fn parse_pkcs8(der_bytes: &[u8]) -> Result<PrivateKey, String> {
    let v = match unmarshal(der_bytes, &PKCS8) {
        Ok((v, _)) => v,
        Err(e) => {
            if unmarshal(der_bytes, &EC_PRIVATE_KEY).is_ok() {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if unmarshal(der_bytes, &PKCS1).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(e);
        }
    };
    let f = v.fields();
    let algo = f[1].fields();
    let oid = algo[0].oid();
    let params = match &algo[1] {
        Val::Raw(_, full) => full.as_slice(),
        _ => &[],
    };
    let inner = f[2].bytes();
    if oid == OID_RSA {
        parse_pkcs1(inner)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}"))
    } else if oid == OID_EC {
        let curve = der::unmarshal_kind(params, FieldKind::Oid)
            .ok()
            .map(|(v, _)| v.oid().to_vec());
        let curve = curve.unwrap_or_default();
        parse_ec(Some(&curve), inner)
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"))
    } else if oid == OID_ED25519 {
        if !params.is_empty() {
            return Err("x509: invalid Ed25519 private key parameters".into());
        }
        let (seed, _) = der::unmarshal_kind(inner, FieldKind::Bytes)
            .map_err(|e| format!("x509: invalid Ed25519 private key: {e}"))?;
        let seed = seed.bytes();
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
        Ok(PrivateKey::Ed25519(Box::new(
            ed25519_dalek::SigningKey::from_bytes(&seed),
        )))
    } else if oid == OID_X25519 {
        if !params.is_empty() {
            return Err("x509: invalid X25519 private key parameters".into());
        }
        let (k, _) = der::unmarshal_kind(inner, FieldKind::Bytes)
            .map_err(|e| format!("x509: invalid X25519 private key: {e}"))?;
        let k: [u8; 32] = k
            .bytes()
            .try_into()
            .map_err(|_| "crypto/ecdh: invalid private key size".to_string())?;
        Ok(PrivateKey::X25519(k))
    } else {
        Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            der::oid_string(oid)
        ))
    }
}

/// Sprig's DSA structure (`asn1.Unmarshal` into `DSAKeyFormat`).
fn parse_dsa(der_bytes: &[u8]) -> Result<PrivateKey, String> {
    let (v, _) = unmarshal(der_bytes, &DSA_KEY_FORMAT)?;
    let f = v.fields();
    let m = |i: usize| big_magnitude(f[i].bytes()).to_vec();
    Ok(PrivateKey::Dsa(DsaKey {
        p: m(1),
        q: m(2),
        g: m(3),
        y: m(4),
        x: m(5),
    }))
}

/// Sprig's `parsePrivateKeyPEM`.
pub(crate) fn parse_private_key_pem(text: &str) -> Result<PrivateKey, String> {
    let block = pem::decode(text.as_bytes()).ok_or("no PEM data in input")?;
    if block.kind == "PRIVATE KEY" {
        return parse_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!(
            "no private key data in PEM block of type {}",
            block.kind
        ));
    };
    match prefix {
        "RSA" => {
            parse_pkcs1(&block.bytes).map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => {
            parse_sec1(&block.bytes).map_err(|e| format!("parsing EC private key from PEM: {e}"))
        }
        "DSA" => {
            parse_dsa(&block.bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}"))
        }
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::env::SeededRng;

    #[test]
    fn ecdsa_and_ed25519_round_trip() {
        let mut seeded = SeededRng::new(7);
        let mut rng = Rng(&mut seeded);
        for typ in ["ecdsa", "ed25519"] {
            let k = generate(typ, &mut rng).expect("key");
            let pem_text = k.to_pem().expect("pem");
            let again = parse_private_key_pem(&pem_text).expect("parse");
            assert_eq!(again.to_pem().expect("pem"), pem_text, "{typ}");
            let sig = k.sign(&mut rng, b"tbs").expect("sign");
            assert!(!sig.is_empty());
        }
        assert_eq!(
            generate("foo", &mut rng).err().as_deref(),
            Some("Unknown type foo")
        );
    }

    #[test]
    fn parse_errors_match_go() {
        let block = |t: &str| format!("-----BEGIN {t}-----\nAAAA\n-----END {t}-----\n");
        let tags = "asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}";
        assert_eq!(
            parse_private_key_pem(&block("RSA PRIVATE KEY"))
                .err()
                .expect("err"),
            format!("parsing RSA private key from PEM: {tags} pkcs1PrivateKey @2")
        );
        assert_eq!(
            parse_private_key_pem(&block("EC PRIVATE KEY")).err().expect("err"),
            format!("parsing EC private key from PEM: x509: failed to parse EC private key: {tags} ecPrivateKey @2")
        );
        assert_eq!(
            parse_private_key_pem(&block("PRIVATE KEY"))
                .err()
                .expect("err"),
            format!("decoding PEM as PKCS#8: {tags} pkcs8 @2")
        );
        assert_eq!(
            parse_private_key_pem(&block("DSA PRIVATE KEY"))
                .err()
                .expect("err"),
            format!("parsing DSA private key from PEM: {tags} DSAKeyFormat @2")
        );
        assert_eq!(
            parse_private_key_pem(&block("OPENSSH PRIVATE KEY"))
                .err()
                .as_deref(),
            Some("invalid private key type OPENSSH PRIVATE KEY")
        );
        assert_eq!(
            parse_private_key_pem(&block("FOO")).err().as_deref(),
            Some("no private key data in PEM block of type FOO")
        );
        assert_eq!(
            parse_private_key_pem("not pem").err().as_deref(),
            Some("no PEM data in input")
        );
        assert_eq!(
            parse_private_key_pem(
                "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n"
            )
            .err()
            .as_deref(),
            Some("parsing RSA private key from PEM: asn1: syntax error: sequence truncated")
        );
    }
}
