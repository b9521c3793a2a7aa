//! OpenSSH key fingerprints (`SHA256:…`, as `ssh-keygen -lf` prints them), computed from the
//! base64 key blob so the key itself never reaches the snapshot.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `SHA256:<base64 without padding>` of a base64-encoded public key blob; None when the blob
/// is not valid base64.
pub fn ssh_sha256_fingerprint(blob_base64: &str) -> Option<String> {
    let blob = base64_decode(blob_base64)?;
    if blob.is_empty() {
        return None;
    }
    let digest = Sha256::digest(&blob);
    Some(format!("SHA256:{}", base64_encode_unpadded(&digest)))
}

/// Standard base64 decoding (padding optional). None on any other character.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in text.trim_end_matches('=').as_bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Standard base64 encoding without `=` padding.
pub fn base64_encode_unpadded(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ssh_keygen() {
        // Key and fingerprint produced with OpenSSH 9.2 (`ssh-keygen -t ed25519`, then
        // `ssh-keygen -lf`) on this machine.
        let blob = "AAAAC3NzaC1lZDI1NTE5AAAAINxQ7uzCDpcOrtQY90vDLH8qsKa/JVBUS7Q81gDuL0bN";
        assert_eq!(
            ssh_sha256_fingerprint(blob).as_deref(),
            Some(FINGERPRINT_OF_BLOB)
        );
    }

    const FINGERPRINT_OF_BLOB: &str = "SHA256:0XXJloT1dpzoZR+71YseiJekv10VZIgECXo+AhTGjNc";

    #[test]
    fn base64_round_trip() {
        for input in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            let encoded = base64_encode_unpadded(input);
            assert_eq!(base64_decode(&encoded).as_deref(), Some(input));
        }
        assert_eq!(base64_encode_unpadded(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode_unpadded(b"fo"), "Zm8");
        assert_eq!(base64_decode("not base64!"), None);
    }
}
