//! ECDSA over the NIST curves Go's x509 knows (P-224, P-256, P-384, P-521): key generation,
//! public points and signatures, as Go's `crypto/ecdsa` produces them (uncompressed points,
//! ASN.1 `SEQUENCE { r, s }` signatures, the hash truncated to the order's bit length).
//!
//! One small generic implementation (Jacobian coordinates, a = -3) over the big integers RSA
//! already needs, instead of four curve crates: certificates are signed a handful of times per
//! render, so compactness of the wasm build matters more than speed or constant time here.

use num_bigint_dig::BigUint;
use rand_core::RngCore;

use super::der;
use super::keys::Curve;

/// A curve's domain parameters.
pub(crate) struct Params {
    p: BigUint,
    n: BigUint,
    b: BigUint,
    gx: BigUint,
    gy: BigUint,
    /// Bytes of a field element or scalar.
    pub size: usize,
}

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

impl Params {
    pub(crate) fn of(curve: Curve) -> Params {
        let (p, n, b, gx, gy, size) = match curve {
            Curve::P224 => (
                "ffffffffffffffffffffffffffffffff000000000000000000000001",
                "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d",
                "b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4",
                "b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21",
                "bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34",
                28,
            ),
            Curve::P256 => (
                "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
                "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
                "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
                "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
                32,
            ),
            Curve::P384 => (
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
                "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
                "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
                "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
                "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
                48,
            ),
            Curve::P521 => (
                "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
                "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
                "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
                "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
                66,
            ),
        };
        Params {
            p: hex(p),
            n: hex(n),
            b: hex(b),
            gx: hex(gx),
            gy: hex(gy),
            size,
        }
    }

    /// The group order, big-endian.
    pub(crate) fn order(&self) -> &BigUint {
        &self.n
    }

    fn add(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + b) % &self.p
    }
    fn sub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        ((a + &self.p) - b) % &self.p
    }
    fn mul(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }
    fn small(&self, k: u32, a: &BigUint) -> BigUint {
        (a * BigUint::from(k)) % &self.p
    }

    fn double(&self, pt: &Jacobian) -> Jacobian {
        if pt.is_infinity() {
            return pt.clone();
        }
        let delta = self.mul(&pt.z, &pt.z);
        let gamma = self.mul(&pt.y, &pt.y);
        let beta = self.mul(&pt.x, &gamma);
        let alpha = self.small(
            3,
            &self.mul(&self.sub(&pt.x, &delta), &self.add(&pt.x, &delta)),
        );
        let x3 = self.sub(&self.mul(&alpha, &alpha), &self.small(8, &beta));
        let yz = self.add(&pt.y, &pt.z);
        let z3 = self.sub(&self.sub(&self.mul(&yz, &yz), &gamma), &delta);
        let y3 = self.sub(
            &self.mul(&alpha, &self.sub(&self.small(4, &beta), &x3)),
            &self.small(8, &self.mul(&gamma, &gamma)),
        );
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn add_points(&self, a: &Jacobian, b: &Jacobian) -> Jacobian {
        if a.is_infinity() {
            return b.clone();
        }
        if b.is_infinity() {
            return a.clone();
        }
        let z1z1 = self.mul(&a.z, &a.z);
        let z2z2 = self.mul(&b.z, &b.z);
        let u1 = self.mul(&a.x, &z2z2);
        let u2 = self.mul(&b.x, &z1z1);
        let s1 = self.mul(&self.mul(&a.y, &b.z), &z2z2);
        let s2 = self.mul(&self.mul(&b.y, &a.z), &z1z1);
        if u1 == u2 {
            return if s1 == s2 {
                self.double(a)
            } else {
                Jacobian::infinity()
            };
        }
        let h = self.sub(&u2, &u1);
        let h2 = self.small(2, &h);
        let i = self.mul(&h2, &h2);
        let j = self.mul(&h, &i);
        let r = self.small(2, &self.sub(&s2, &s1));
        let v = self.mul(&u1, &i);
        let x3 = self.sub(&self.sub(&self.mul(&r, &r), &j), &self.small(2, &v));
        let y3 = self.sub(
            &self.mul(&r, &self.sub(&v, &x3)),
            &self.small(2, &self.mul(&s1, &j)),
        );
        let zs = self.add(&a.z, &b.z);
        let z3 = self.mul(&self.sub(&self.sub(&self.mul(&zs, &zs), &z1z1), &z2z2), &h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn scalar_mult(&self, k: &BigUint, pt: &Jacobian) -> Jacobian {
        let mut acc = Jacobian::infinity();
        for byte in k.to_bytes_be() {
            for bit in (0..8).rev() {
                acc = self.double(&acc);
                if (byte >> bit) & 1 == 1 {
                    acc = self.add_points(&acc, pt);
                }
            }
        }
        acc
    }

    fn generator(&self) -> Jacobian {
        Jacobian {
            x: self.gx.clone(),
            y: self.gy.clone(),
            z: BigUint::from(1u32),
        }
    }

    /// Affine (x, y) of a point, None at infinity.
    fn affine(&self, pt: &Jacobian) -> Option<(BigUint, BigUint)> {
        if pt.is_infinity() {
            return None;
        }
        let zinv = pt.z.modpow(&(&self.p - BigUint::from(2u32)), &self.p);
        let zinv2 = self.mul(&zinv, &zinv);
        Some((
            self.mul(&pt.x, &zinv2),
            self.mul(&pt.y, &self.mul(&zinv2, &zinv)),
        ))
    }

    fn fixed(&self, v: &BigUint) -> Vec<u8> {
        let b = v.to_bytes_be();
        let mut out = vec![0u8; self.size.saturating_sub(b.len())];
        out.extend_from_slice(&b);
        out
    }

    /// `04 || X || Y` of `d·G`, or None for a scalar outside [1, n-1].
    pub(crate) fn public_point(&self, d: &[u8]) -> Option<Vec<u8>> {
        let d = BigUint::from_bytes_be(d);
        if d == BigUint::default() || d >= self.n {
            return None;
        }
        let (x, y) = self.affine(&self.scalar_mult(&d, &self.generator()))?;
        let mut out = vec![4u8];
        out.extend(self.fixed(&x));
        out.extend(self.fixed(&y));
        Some(out)
    }

    /// Whether `04 || X || Y` is a point on the curve.
    pub(crate) fn on_curve(&self, point: &[u8]) -> bool {
        if point.len() != 1 + 2 * self.size || point[0] != 4 {
            return false;
        }
        let x = BigUint::from_bytes_be(&point[1..1 + self.size]);
        let y = BigUint::from_bytes_be(&point[1 + self.size..]);
        if x >= self.p || y >= self.p {
            return false;
        }
        // y² = x³ - 3x + b
        let rhs = self.add(
            &self.sub(&self.mul(&self.mul(&x, &x), &x), &self.small(3, &x)),
            &self.b,
        );
        self.mul(&y, &y) == rhs
    }

    /// A uniformly random scalar in [1, n-1].
    pub(crate) fn random_scalar(&self, rng: &mut dyn RngCore) -> Vec<u8> {
        let bits = self.n.bits();
        let mut buf = vec![0u8; self.size];
        loop {
            rng.fill_bytes(&mut buf);
            let excess = self.size * 8 - bits;
            if excess > 0 {
                buf[0] &= 0xff >> excess;
            }
            let k = BigUint::from_bytes_be(&buf);
            if k != BigUint::default() && k < self.n {
                return buf;
            }
        }
    }

    /// The hash as an integer, truncated to the order's bit length (Go's `hashToNat`).
    fn hash_to_int(&self, hash: &[u8]) -> BigUint {
        let size = self.n.bits().div_ceil(8);
        let hash = &hash[..hash.len().min(size)];
        let mut e = BigUint::from_bytes_be(hash);
        let excess = (hash.len() * 8).saturating_sub(self.n.bits());
        if excess > 0 {
            e >>= excess;
        }
        e
    }

    /// An ECDSA signature of `hash` with scalar `d`: DER `SEQUENCE { r, s }`.
    pub(crate) fn sign(&self, d: &[u8], hash: &[u8], rng: &mut dyn RngCore) -> Vec<u8> {
        let d = BigUint::from_bytes_be(d);
        let e = self.hash_to_int(hash);
        let n = &self.n;
        loop {
            let k = BigUint::from_bytes_be(&self.random_scalar(rng));
            let Some((x, _)) = self.affine(&self.scalar_mult(&k, &self.generator())) else {
                continue;
            };
            let r = x % n;
            if r == BigUint::default() {
                continue;
            }
            let kinv = k.modpow(&(n - BigUint::from(2u32)), n);
            let s = (kinv * ((&e + &r * &d) % n)) % n;
            if s == BigUint::default() {
                continue;
            }
            return der::seq(&[&der::uint(&r.to_bytes_be()), &der::uint(&s.to_bytes_be())]);
        }
    }

    /// Checks a DER signature against the public point (used by tests).
    #[cfg(test)]
    pub(crate) fn verify(&self, point: &[u8], hash: &[u8], sig: &[u8]) -> bool {
        let mut r = der::Reader::new(sig);
        let Some(seq) = r.read(der::TAG_SEQUENCE) else {
            return false;
        };
        let mut rs = der::Reader::new(seq.content);
        let (Some(rb), Some(sb)) = (rs.read_integer(), rs.read_integer()) else {
            return false;
        };
        let (r, s) = (BigUint::from_bytes_be(rb), BigUint::from_bytes_be(sb));
        let n = &self.n;
        if r == BigUint::default() || s == BigUint::default() || &r >= n || &s >= n {
            return false;
        }
        let q = Jacobian {
            x: BigUint::from_bytes_be(&point[1..1 + self.size]),
            y: BigUint::from_bytes_be(&point[1 + self.size..]),
            z: BigUint::from(1u32),
        };
        let w = s.modpow(&(n - BigUint::from(2u32)), n);
        let u1 = (self.hash_to_int(hash) * &w) % n;
        let u2 = (&r * &w) % n;
        let sum = self.add_points(
            &self.scalar_mult(&u1, &self.generator()),
            &self.scalar_mult(&u2, &q),
        );
        self.affine(&sum).is_some_and(|(x, _)| x % n == r)
    }
}

#[derive(Clone)]
struct Jacobian {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Jacobian {
    fn infinity() -> Jacobian {
        Jacobian {
            x: BigUint::from(1u32),
            y: BigUint::from(1u32),
            z: BigUint::default(),
        }
    }
    fn is_infinity(&self) -> bool {
        self.z == BigUint::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::env::SeededRng;
    use sha2::{Digest, Sha256};

    #[test]
    fn generators_are_on_their_curves_and_n_g_is_infinity() {
        for c in [Curve::P224, Curve::P256, Curve::P384, Curve::P521] {
            let p = Params::of(c);
            let g = p.affine(&p.generator()).expect("affine");
            let mut pt = vec![4u8];
            pt.extend(p.fixed(&g.0));
            pt.extend(p.fixed(&g.1));
            assert!(p.on_curve(&pt), "{c:?}");
            assert!(p.scalar_mult(&p.n, &p.generator()).is_infinity(), "{c:?}");
        }
    }

    #[test]
    fn signatures_verify() {
        let mut rng = SeededRng::new(9);
        for c in [Curve::P224, Curve::P256, Curve::P384, Curve::P521] {
            let p = Params::of(c);
            let d = p.random_scalar(&mut rng);
            let q = p.public_point(&d).expect("point");
            assert!(p.on_curve(&q));
            let h = Sha256::digest(b"message");
            let sig = p.sign(&d, &h, &mut rng);
            assert!(p.verify(&q, &h, &sig), "{c:?}");
            assert!(!p.verify(&q, &Sha256::digest(b"other"), &sig), "{c:?}");
        }
    }
}
