//! golang.org/x/crypto/bcrypt's `GenerateFromPassword` (`$2a$`, Go's 72-byte limit) over the
//! RustCrypto Blowfish key schedule.

use base64::alphabet::BCRYPT;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use blowfish::Blowfish;

/// Sprig's cost (`bcrypt.DefaultCost`).
pub(crate) const DEFAULT_COST: u32 = 10;

const BCRYPT_B64: GeneralPurpose = GeneralPurpose::new(
    &BCRYPT,
    GeneralPurposeConfig::new().with_encode_padding(false),
);

/// `bcrypt.GenerateFromPassword(password, cost)` with the given 16-byte salt.
pub(crate) fn generate(password: &[u8], cost: u32, salt: &[u8; 16]) -> Result<String, String> {
    if password.len() > 72 {
        return Err("bcrypt: password length exceeds 72 bytes".into());
    }
    let mut key = Vec::with_capacity(password.len() + 1);
    key.extend_from_slice(password);
    key.push(0);
    let mut state = Blowfish::bc_init_state();
    state.salted_expand_key(salt, &key);
    for _ in 0..(1u64 << cost) {
        state.bc_expand_key(&key);
        state.bc_expand_key(salt);
    }
    let magic = b"OrpheanBeholderScryDoubt";
    let mut words = [0u32; 6];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u32::from_be_bytes([
            magic[4 * i],
            magic[4 * i + 1],
            magic[4 * i + 2],
            magic[4 * i + 3],
        ]);
    }
    for pair in words.chunks_exact_mut(2) {
        let mut lr = [pair[0], pair[1]];
        for _ in 0..64 {
            lr = state.bc_encrypt(lr);
        }
        pair[0] = lr[0];
        pair[1] = lr[1];
    }
    let mut out = [0u8; 24];
    for (i, w) in words.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
    }
    Ok(format!(
        "$2a${cost:02}${}{}",
        BCRYPT_B64.encode(salt),
        BCRYPT_B64.encode(&out[..23])
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salt(s: &str) -> [u8; 16] {
        let cfg = GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true);
        let engine = GeneralPurpose::new(&BCRYPT, cfg);
        engine
            .decode(s)
            .expect("salt")
            .try_into()
            .expect("16 bytes")
    }

    #[test]
    fn known_vectors_from_x_crypto() {
        assert_eq!(
            generate(b"allmine", 10, &salt("XajjQvNhvvRt5GSeFk1xFe")).expect("ok"),
            "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga"
        );
        assert_eq!(
            generate(b"", 12, &salt("JGZJSHED/woRIKSoTp5bZe")).expect("ok")[7..],
            "$2b$12$JGZJSHED/woRIKSoTp5bZea/99GHy6jGK1ToltiTObaiRQMLxH3we"[7..]
        );
    }

    #[test]
    fn long_passwords_are_refused() {
        assert_eq!(
            generate(&[b'a'; 73], 4, &[0; 16]).err().as_deref(),
            Some("bcrypt: password length exceeds 72 bytes")
        );
        assert_eq!(generate(&[b'a'; 72], 4, &[0; 16]).expect("ok").len(), 60);
    }
}
