//! Ed25519 signing in the minisign format, so `minisign -Vm FILE -P KEY` verifies what Ringscope signs.
//! Keys are minisign key files: the secret key unencrypted (it lives in a 0600 file, or the OS key store) and the
//! public key in minisign's `.pub` form.
//!
//! The minisign crate reads and writes the key files and verifies signatures, but it signs with random noise
//! (hedged Ed25519), which would make two exports of the same packet differ. So signing is done here with
//! ed25519-dalek's deterministic RFC 8032 Ed25519, in minisign's prehashed format: the signature covers
//! BLAKE2b-512 of the file, the global signature covers that signature and the trusted comment. Every signature
//! is checked with the minisign crate before it is written.

use crate::error::{Error, IoContext, Result};
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use std::io::Cursor;
use std::path::{Path, PathBuf};

pub struct SigningKey {
    pub secret: SecretKey,
    pub public: PublicKey,
}

fn key_err(e: impl std::fmt::Display) -> Error {
    Error::Key(e.to_string())
}

/// The key id as minisign prints it (hex of the 8 key-number bytes, little-endian).
pub fn key_id(pk: &PublicKey) -> String {
    pk.keynum()
        .iter()
        .rev()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Writes `<base>.key` (secret, mode 0600) and `<base>.pub`. Refuses to overwrite either.
pub fn keygen(base: &Path) -> Result<(PathBuf, PathBuf, PublicKey)> {
    let secret_path = base.with_extension("key");
    let public_path = base.with_extension("pub");
    for p in [&secret_path, &public_path] {
        if p.exists() {
            return Err(Error::Exists { path: p.clone() });
        }
    }
    let KeyPair { pk, sk } = KeyPair::generate_unencrypted_keypair().map_err(key_err)?;
    let sk_box = sk
        .to_box(Some("ringscope secret key (keep private)"))
        .map_err(key_err)?;
    write_private(&secret_path, sk_box.to_string().as_bytes())?;
    let pk_box = pk.to_box().map_err(key_err)?;
    std::fs::write(&public_path, pk_box.to_string()).at(&public_path)?;
    Ok((secret_path, public_path, pk))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .at(path)?;
    f.write_all(bytes).at(path)
}

pub fn load_secret(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path).at(path)?;
    if PublicKeyBox::from_string(&text)
        .and_then(|b| b.into_public_key())
        .is_ok()
    {
        return Err(Error::Key(format!(
            "{}: that is a public key; pass the secret key file (the .key file `ringscope keygen` wrote beside it)",
            path.display()
        )));
    }
    let secret = SecretKeyBox::from_string(&text)
        .and_then(|b| b.into_unencrypted_secret_key())
        .map_err(|e| {
            Error::Key(format!(
                "{}: not an unencrypted minisign secret key ({e})",
                path.display()
            ))
        })?;
    let public = PublicKey::from_secret_key(&secret).map_err(key_err)?;
    Ok(SigningKey { secret, public })
}

/// A public key from a minisign `.pub` file or a bare base64 key (`RW...`).
pub fn load_public(spec: &str) -> Result<PublicKey> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path).at(path)?;
        return PublicKeyBox::from_string(&text)
            .and_then(|b| b.into_public_key())
            .map_err(|e| Error::Key(format!("{}: {e}", path.display())));
    }
    PublicKey::from_base64(spec.trim())
        .map_err(|e| Error::Key(format!("not a public key file or key: {e}")))
}

/// The untrusted (unsigned) comment line Ringscope writes; verify insists on it, so no byte of the file can change.
pub const UNTRUSTED_COMMENT: &str = "untrusted comment: signature from ringscope";

/// A minisign signature of `data`; the trusted comment is signed too. Deterministic for a key and input.
pub fn sign(key: &SigningKey, data: &[u8], trusted_comment: &str) -> Result<String> {
    use base64::Engine;
    use blake2::Digest;
    use ed25519_dalek::Signer;
    // minisign's secret key layout: sig_alg, kdf_alg, chk_alg (2 each), kdf salt (32), opslimit, memlimit (8 each),
    // then key number (8) and the libsodium secret key (seed 32 + public 32), then a checksum.
    let raw = key.secret.to_bytes();
    let (keynum, sk) = (raw.get(54..62), raw.get(62..126));
    let (Some(keynum), Some(sk)) = (keynum, sk) else {
        return Err(key_err("secret key is too short"));
    };
    let seed: [u8; 32] = sk[..32].try_into().map_err(key_err)?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    if signing.verifying_key().as_bytes()[..] != sk[32..] {
        return Err(key_err("secret key does not match its public half"));
    }
    let signature = signing.sign(&blake2::Blake2b512::digest(data)).to_bytes();
    let mut sig_line = b"ED".to_vec();
    sig_line.extend_from_slice(keynum);
    sig_line.extend_from_slice(&signature);
    let mut global_message = signature.to_vec();
    global_message.extend_from_slice(trusted_comment.as_bytes());
    let global = signing.sign(&global_message).to_bytes();
    let b64 = base64::engine::general_purpose::STANDARD;
    let text = format!(
        "{UNTRUSTED_COMMENT}\n{}\ntrusted comment: {trusted_comment}\n{}\n",
        b64.encode(sig_line),
        b64.encode(global)
    );
    verify(&key.public, data, &text)?;
    Ok(text)
}

/// Verifies with the minisign crate, and insists the file is exactly as Ringscope writes it (the untrusted comment
/// and line ends are not covered by the signature).
pub fn verify(public: &PublicKey, data: &[u8], signature: &str) -> Result<()> {
    let sig = SignatureBox::from_string(signature).map_err(key_err)?;
    if !signature.starts_with(&format!("{UNTRUSTED_COMMENT}\n")) || sig.to_string() != signature {
        return Err(key_err(
            "signature file altered (not in the form Ringscope writes)",
        ));
    }
    minisign::verify(public, &sig, Cursor::new(data), true, false, false).map_err(key_err)
}
