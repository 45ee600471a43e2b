//! OpenPGP detached signatures (the `gpg` blob kind).
//!
//! OpenPGP hashes `payload ‖ signature trailer`: the check asks the one pass
//! over the payload for the signatures' hash algorithms, then clones each
//! payload state and feeds it the trailer, so the payload is never held in
//! memory. Version 6 signatures hash a salt first; they get their own salted
//! state fed from the raw chunks.
//!
//! Only detached data signatures (type 0x00, binary) are accepted, armored
//! (`-----BEGIN PGP SIGNATURE-----`) or binary, one or several packets;
//! **every** signature must verify (as the reference). An OpenPGP message
//! (inline-signed data, the CVE-2020-10759 shape), a cleartext-signed
//! message, or binary literal/compressed/one-pass packets are refused.

mod error;
mod issuer;
pub mod policy;
pub(crate) mod validity;

pub use error::PgpError;

use pgp::packet::{Packet, PacketParser, Signature, SignatureType, SignatureVersionSpecific};
use pgp::types::Tag;

use super::{
    ChainEntry, KeyId, LimitName, Malformed, PayloadCheck, Refusal, SigError, Unsupported,
    Verified, VerifyContext,
};
use crate::digest::{DigestAlg, DigestSet, HashState};
use crate::trust::pgp_keys::armor_blocks;

/// More signature packets than this in one blob is refused.
const MAX_SIGNATURES: usize = 64;

/// The reference's message for OpenPGP data without any signature.
pub const NO_SIGNATURES: &str = "no signatures from libgpgme";

struct Pending {
    sig: Signature,
    alg: DigestAlg,
    /// The hash is too weak for a data signature: refused once the key is
    /// known (an unknown key is reported first, as the reference does), and
    /// its digest is never computed.
    weak: bool,
    /// Version 6: the salted hash state, fed from the raw payload chunks.
    salted: Option<HashState>,
}

struct PgpCheck {
    sigs: Vec<Pending>,
}

/// Maps an OpenPGP hash algorithm to ours (SHA-1/224/256/384/512 only).
pub(crate) fn digest_alg(alg: pgp::crypto::hash::HashAlgorithm) -> Option<DigestAlg> {
    use pgp::crypto::hash::HashAlgorithm as H;
    match alg {
        H::Sha1 => Some(DigestAlg::Sha1),
        H::Sha224 => Some(DigestAlg::Sha224),
        H::Sha256 => Some(DigestAlg::Sha256),
        H::Sha384 => Some(DigestAlg::Sha384),
        H::Sha512 => Some(DigestAlg::Sha512),
        _ => None,
    }
}

/// Parses an armored or binary detached signature into a check.
pub fn prepare(sig: &[u8], _ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    let mut sigs = Vec::new();
    for s in parse_signatures(sig)? {
        let config = s.config().ok_or_else(|| {
            SigError::Unsupported(Unsupported::PgpVersion(format!("{:?}", s.version())))
        })?;
        match config.typ {
            SignatureType::Binary => {}
            SignatureType::Text => return Err(SigError::Unsupported(Unsupported::PgpTextMode)),
            other => {
                return Err(SigError::Malformed(Malformed::PgpNotDataSignature(
                    format!("{other:?}"),
                )))
            }
        }
        issuer::check_critical(&s)?;
        let weak = !policy::data_hash_ok(config.hash_alg);
        let alg = digest_alg(config.hash_alg).ok_or_else(|| {
            SigError::Unsupported(Unsupported::PgpHash(config.hash_alg.to_string()))
        })?;
        let salted = match &config.version_specific {
            SignatureVersionSpecific::V6 { salt } => {
                let mut h = HashState::new(alg);
                h.update(salt);
                Some(h)
            }
            _ => None,
        };
        sigs.push(Pending {
            sig: s,
            alg,
            weak,
            salted,
        });
    }
    Ok(Box::new(PgpCheck { sigs }))
}

/// The signature packets of a detached signature, armored or binary.
pub(crate) fn parse_signatures(data: &[u8]) -> Result<Vec<Signature>, SigError> {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0)
        .unwrap_or(data.len());
    let body = data.get(start..).unwrap_or_default();
    let Some(&first) = body.first() else {
        return Err(SigError::Malformed(Malformed::PgpEmpty));
    };
    let mut sigs = Vec::new();
    if first & 0x80 != 0 {
        packets_to_sigs(body, &mut sigs)?;
    } else {
        let blocks = armor_blocks(body);
        if blocks.is_empty() {
            return Err(SigError::Malformed(Malformed::PgpNotOpenPgp));
        }
        for block in blocks {
            match block.label.as_str() {
                "PGP SIGNATURE" => {
                    let bytes = dearmor(block.text)?;
                    packets_to_sigs(&bytes, &mut sigs)?;
                }
                "PGP SIGNED MESSAGE" => return Err(SigError::Refused(Refusal::PgpCleartext)),
                l if l.starts_with("PGP MESSAGE") => {
                    return Err(SigError::Refused(Refusal::PgpMessage))
                }
                other => {
                    return Err(SigError::Malformed(Malformed::PgpArmorLabel(
                        other.to_string(),
                    )))
                }
            }
        }
    }
    if sigs.is_empty() {
        return Err(SigError::Malformed(Malformed::PgpNoSignatures));
    }
    Ok(sigs)
}

fn dearmor(text: &[u8]) -> Result<Vec<u8>, SigError> {
    use std::io::Read as _;
    let mut d = pgp::armor::Dearmor::new(text);
    let mut out = Vec::new();
    d.read_to_end(&mut out)
        .map_err(|e| SigError::Malformed(Malformed::PgpArmor(e.to_string())))?;
    Ok(out)
}

fn packets_to_sigs(bytes: &[u8], sigs: &mut Vec<Signature>) -> Result<(), SigError> {
    for packet in PacketParser::new(bytes) {
        let packet =
            packet.map_err(|e| SigError::Malformed(Malformed::PgpPacket(e.to_string())))?;
        match packet {
            Packet::Signature(s) => sigs.push(s),
            Packet::Marker(_) | Packet::Padding(_) => {}
            Packet::LiteralData(_) => return Err(SigError::Refused(Refusal::PgpLiteralData)),
            Packet::CompressedData(_) => return Err(SigError::Refused(Refusal::PgpCompressed)),
            Packet::OnePassSignature(_) => return Err(SigError::Refused(Refusal::PgpOnePass)),
            other => {
                let tag: Tag = pgp::packet::PacketTrait::tag(&other);
                return Err(SigError::Malformed(Malformed::PgpUnexpectedPacket(
                    format!("{tag:?}"),
                )));
            }
        }
        if sigs.len() > MAX_SIGNATURES {
            return Err(SigError::Limit {
                limit: LimitName::PgpSignatures,
                value: sigs.len(),
                max: MAX_SIGNATURES,
            });
        }
    }
    Ok(())
}

fn boxed(state: HashState) -> Box<dyn digest::DynDigest + Send> {
    match state {
        HashState::Sha1(h) => Box::new(h),
        HashState::Sha224(h) => Box::new(h),
        HashState::Sha256(h) => Box::new(h),
        HashState::Sha384(h) => Box::new(h),
        HashState::Sha512(h) => Box::new(h),
    }
}

/// Finishes the OpenPGP hash: the payload state, then the signature's
/// hashed data and trailer.
pub(crate) fn finish_hash(
    config: &pgp::packet::SignatureConfig,
    payload_state: HashState,
) -> Result<Vec<u8>, SigError> {
    let mut h = boxed(payload_state);
    let len = config
        .hash_signature_data(&mut h)
        .map_err(|e| SigError::Malformed(Malformed::PgpHash(e.to_string())))?;
    let trailer = config
        .trailer(len)
        .map_err(|e| SigError::Malformed(Malformed::PgpHash(e.to_string())))?;
    h.update(&trailer);
    Ok(h.finalize().into_vec())
}

impl PayloadCheck for PgpCheck {
    fn digests_needed(&self) -> Vec<DigestAlg> {
        let mut algs: Vec<DigestAlg> = self
            .sigs
            .iter()
            .filter(|p| p.salted.is_none() && !p.weak)
            .map(|p| p.alg)
            .collect();
        algs.sort();
        algs.dedup();
        algs
    }

    fn wants_raw(&self) -> bool {
        self.sigs.iter().any(|p| p.salted.is_some() && !p.weak)
    }

    fn update(&mut self, chunk: &[u8]) {
        for p in &mut self.sigs {
            if let Some(s) = &mut p.salted {
                s.update(chunk);
            }
        }
    }

    fn finish(
        self: Box<Self>,
        digests: &DigestSet,
        ctx: &VerifyContext<'_>,
    ) -> Result<Verified, SigError> {
        let mut goods = Vec::new();
        for p in self.sigs {
            let candidates = issuer::candidates(&p.sig, ctx)?;
            if p.weak {
                return Err(issuer::weak_hash(&p.sig, &candidates));
            }
            let state = match p.salted {
                Some(s) => s,
                None => digests.state(p.alg).cloned().ok_or_else(|| {
                    SigError::Malformed(Malformed::PgpDigestNotComputed(format!("{:?}", p.alg)))
                })?,
            };
            let config = p
                .sig
                .config()
                .ok_or(SigError::Unsupported(Unsupported::PgpUnknownVersion))?;
            let hash = finish_hash(config, state)?;
            goods.push(validity::check_signature(&p.sig, &hash, candidates, ctx)?);
        }
        let mut timestamp = 0i64;
        let mut authority = String::new();
        let mut keys: Vec<KeyId> = Vec::new();
        let mut chain: Vec<ChainEntry> = Vec::new();
        for g in &goods {
            if g.created > timestamp {
                timestamp = g.created;
                authority.clone_from(&g.signer_fpr);
            }
            let key = KeyId::OpenPgp {
                fingerprint: g.primary_fpr.clone(),
            };
            if !keys.contains(&key) {
                keys.push(key);
            }
            let entries = g
                .subkey_fpr
                .iter()
                .chain(std::iter::once(&g.primary_fpr))
                .map(|f| ChainEntry::Fingerprint(f.clone()))
                .chain(g.user_ids.iter().map(|u| ChainEntry::UserId(u.clone())));
            for e in entries {
                if !chain.contains(&e) {
                    chain.push(e);
                }
            }
        }
        Ok(Verified {
            authority: Some(authority),
            timestamp,
            keys,
            chain,
        })
    }
}
