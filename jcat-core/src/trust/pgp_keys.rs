//! Trusted OpenPGP public keys.
//!
//! A key file may be ASCII-armored (one or several `PGP PUBLIC KEY BLOCK`s,
//! e.g. a `GPG-KEY-*` file or `gpg --export --armor` output) or binary
//! (`gpg --export`). Nothing is imported into a persistent keyring: the keys
//! live only in the [`crate::TrustStore`] of one run.
//!
//! An exported *secret* key (`PGP PRIVATE KEY BLOCK`) is accepted too, and
//! only its public part is kept (the reference's `gpgme_op_import` also
//! accepts such a file); the secret material is dropped at once.

use pgp::composed::{PublicOrSecret, SignedPublicKey};
use pgp::packet::{SignatureType, Subpacket};
use pgp::types::{KeyDetails as _, Tag};

use super::pgp_policy::self_sig_ok;

/// A trusted OpenPGP public key (primary key with its subkeys): what the
/// trust store loaded, seen through its fingerprint, key ID and certified
/// user IDs. The `pgp` crate's key stays inside the library.
#[derive(Clone, Debug)]
pub struct PgpPublicKey {
    /// The key.
    pub(crate) key: SignedPublicKey,
    user_ids: Vec<String>,
}

impl PgpPublicKey {
    /// Wraps a key, keeping the user IDs that carry a valid self-certification
    /// (one the hash policy of `trust::pgp_policy` accepts) and no
    /// valid certification revocation. A revoked user ID is dropped whatever
    /// the dates, so it never names the signer (`--require-signer`).
    pub(crate) fn new(key: SignedPublicKey) -> Self {
        let primary = &key.primary_key;
        let by_primary = |s: &pgp::packet::Signature, u: &pgp::packet::UserId| {
            s.verify_certification(primary, Tag::UserId, u).is_ok()
        };
        let user_ids = key
            .details
            .users
            .iter()
            .filter(|u| {
                let certified = u.signatures.iter().any(|s| {
                    s.is_certification()
                        && s.typ() != Some(SignatureType::CertRevocation)
                        && self_sig_ok(s)
                        && by_primary(s, &u.id)
                });
                let revoked = u.signatures.iter().any(|s| {
                    s.typ() == Some(SignatureType::CertRevocation) && by_primary(s, &u.id)
                });
                certified && !revoked
            })
            .map(|u| String::from_utf8_lossy(u.id.id()).into_owned())
            .collect();
        Self { key, user_ids }
    }

    /// Parses armored or binary OpenPGP public keys, as the trust store
    /// reads a key file (one or several keys; an exported secret key gives
    /// its public part). `Ok(empty)` when the bytes are not OpenPGP at all;
    /// `Err(reason)` when they are OpenPGP but hold no usable key.
    pub fn parse_all(bytes: &[u8]) -> Result<Vec<Self>, String> {
        parse_public_keys(bytes)
    }

    /// Uppercase hex fingerprints of the subkeys, in key order.
    pub fn subkey_fingerprints(&self) -> Vec<String> {
        self.key
            .public_subkeys
            .iter()
            .map(|s| fingerprint_hex(&s.key.fingerprint()))
            .collect()
    }

    /// Uppercase hex fingerprint of the primary key.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.key.primary_key.fingerprint())
    }

    /// Uppercase 16-hex key ID of the primary key.
    pub fn key_id(&self) -> String {
        self.key
            .primary_key
            .legacy_key_id()
            .to_string()
            .to_uppercase()
    }

    /// The user IDs with a valid self-certification (e.g. `Name <mail>`).
    pub fn user_ids(&self) -> &[String] {
        &self.user_ids
    }
}

/// Uppercase hex of a fingerprint.
pub(crate) fn fingerprint_hex(fp: &pgp::types::Fingerprint) -> String {
    format!("{fp:X}")
}

/// One ASCII-armor block: its label (`PGP SIGNATURE`) and its full text
/// from the `-----BEGIN` line to the end of the `-----END` line.
pub(crate) struct ArmorBlock<'a> {
    pub label: String,
    pub text: &'a [u8],
}

/// Finds every `-----BEGIN PGP …-----` block of a text. A block without its
/// END line runs to the end of the text (the dearmorer then reports it).
pub(crate) fn armor_blocks(bytes: &[u8]) -> Vec<ArmorBlock<'_>> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(rel) = find(bytes.get(pos..).unwrap_or_default(), BEGIN) {
        let start = pos + rel;
        let after = bytes.get(start + BEGIN.len()..).unwrap_or_default();
        let Some(end_of_label) = find(after, b"-----") else {
            break;
        };
        let label_bytes = after.get(..end_of_label).unwrap_or_default();
        let label = String::from_utf8_lossy(label_bytes).into_owned();
        let mut end_marker = b"-----END ".to_vec();
        end_marker.extend_from_slice(label_bytes);
        end_marker.extend_from_slice(b"-----");
        let body_from = start + BEGIN.len() + end_of_label + 5;
        let end = match find(bytes.get(body_from..).unwrap_or_default(), &end_marker) {
            Some(e) => {
                let e = body_from + e + end_marker.len();
                let rest = bytes.get(e..).unwrap_or_default();
                let eol = rest
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(rest.len(), |n| n + 1);
                e + eol
            }
            None => bytes.len(),
        };
        out.push(ArmorBlock {
            label,
            text: bytes.get(start..end).unwrap_or_default(),
        });
        pos = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Whether binary data starts with an OpenPGP packet header of a key packet
/// (public key, tag 6, or secret key, tag 5), in old or new format.
fn starts_with_key_packet(bytes: &[u8]) -> bool {
    let Some(&b) = bytes.first() else {
        return false;
    };
    if b & 0x80 == 0 {
        return false;
    }
    let tag = if b & 0x40 != 0 {
        b & 0x3f
    } else {
        (b >> 2) & 0x0f
    };
    tag == 5 || tag == 6
}

fn collect(
    iter: Box<dyn Iterator<Item = pgp::errors::Result<PublicOrSecret>> + '_>,
    out: &mut Vec<PgpPublicKey>,
) -> Result<(), String> {
    for k in iter {
        let k = k.map_err(|e| format!("invalid OpenPGP key: {e}"))?;
        let public = match k {
            PublicOrSecret::Public(p) => p,
            PublicOrSecret::Secret(s) => s.to_public_key(),
        };
        out.push(PgpPublicKey::new(public));
    }
    Ok(())
}

/// Parses armored or binary OpenPGP public keys (one or several; an exported
/// secret key gives its public part). `Ok(empty)` when the bytes are not
/// OpenPGP at all, so that other formats can be tried; `Err(reason)` when they
/// are OpenPGP but hold no usable key (a signature, a message, a corrupt key).
pub(crate) fn parse_public_keys(bytes: &[u8]) -> Result<Vec<PgpPublicKey>, String> {
    let mut out = Vec::new();
    if starts_with_key_packet(bytes) {
        let iter = PublicOrSecret::from_bytes_many(bytes)
            .map_err(|e| format!("invalid OpenPGP key: {e}"))?;
        collect(iter, &mut out)?;
        if out.is_empty() {
            return Err("binary OpenPGP data without a key".into());
        }
        return Ok(out);
    }
    let blocks: Vec<ArmorBlock<'_>> = armor_blocks(bytes)
        .into_iter()
        .filter(|b| b.label.starts_with("PGP "))
        .collect();
    if blocks.is_empty() {
        return Ok(out);
    }
    let mut others = Vec::new();
    for block in &blocks {
        if block.label != "PGP PUBLIC KEY BLOCK" && block.label != "PGP PRIVATE KEY BLOCK" {
            others.push(block.label.clone());
            continue;
        }
        let (iter, _headers) = PublicOrSecret::from_armor_many(block.text)
            .map_err(|e| format!("invalid OpenPGP key block: {e}"))?;
        collect(iter, &mut out)?;
    }
    if out.is_empty() {
        return Err(if others.is_empty() {
            "an OpenPGP key block without a key (e.g. a bare revocation certificate)".into()
        } else {
            format!("OpenPGP data without a key ({})", others.join(", "))
        });
    }
    Ok(out)
}

/// The first hashed subpacket of a signature that `f` selects.
pub(crate) fn hashed<'a, T>(
    sig: &'a pgp::packet::Signature,
    f: impl Fn(&'a Subpacket) -> Option<T>,
) -> Option<T> {
    sig.config().and_then(|c| c.hashed_subpackets().find_map(f))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn not_openpgp_is_empty() {
        assert!(parse_public_keys(b"hello").unwrap().is_empty());
        assert!(parse_public_keys(&[0x30, 0x82, 0x01]).unwrap().is_empty());
        assert!(parse_public_keys(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        )
        .unwrap()
        .is_empty());
    }

    #[test]
    fn signature_block_is_an_error() {
        let r = parse_public_keys(
            b"-----BEGIN PGP SIGNATURE-----\n\niQ==\n=AAAA\n-----END PGP SIGNATURE-----\n",
        );
        assert_eq!(
            r.err(),
            Some("OpenPGP data without a key (PGP SIGNATURE)".into())
        );
    }

    #[test]
    fn armor_blocks_split() {
        let text =
            b"junk\n-----BEGIN PGP A-----\nx\n-----END PGP A-----\nmid\n-----BEGIN PGP B-----\ny\n";
        let b = armor_blocks(text);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].label, "PGP A");
        assert_eq!(
            b[0].text,
            b"-----BEGIN PGP A-----\nx\n-----END PGP A-----\n"
        );
        assert_eq!(b[1].label, "PGP B");
        assert_eq!(b[1].text, b"-----BEGIN PGP B-----\ny\n");
    }
}
