//! LVFS-shaped post-quantum vectors from our own generator: the shape of
//! today's LVFS metadata catalog (`firmware.xml.zst.jcat`: one item with
//! sha1, sha256, an RSA PKCS#7 blob and a GnuTLS-form ML-DSA-87 blob), with
//! CAs and signers that carry authorityKeyIdentifier and
//! subjectKeyIdentifier, so that the chains verify under our RFC 5280
//! profile (the shared `corpus/pq/derived` certificates lack AKI).
//!
//! The GnuTLS form is what GnuTLS 3.8.9–3.8.12 writes for ML-DSA: signed
//! attributes contentType, signingTime and an **empty** messageDigest,
//! digestAlgorithm id-shake256, a pure ML-DSA signature over the attribute
//! SET only. It binds no payload; only tests make it ([`gnutls_unbound_blob`]).
//! Every time is given by the caller.

use const_oid::db::rfc5911 as cms_oids;
use const_oid::ObjectIdentifier;

use super::{certificate, pem, CertParams, Role, TestKey};
use crate::sign::pkcs7::key::PrivateKey;
use crate::sign::pkcs7::mldsa_key::MlDsaKey;
use crate::sign::pkcs7::{assemble, attr, oid, pem_out, set_of, tlv, SignedContent};
use crate::sign::SignError;
use crate::x509::cert::CertView;
use crate::x509::mldsa::MlDsaSet;
use crate::{Blob, BlobFlags, BlobKind, Catalog, Item, Payload};

/// id-shake256 (NIST hash algorithm 12).
const ID_SHAKE256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.12");

/// The item ID of the LVFS metadata catalog.
pub const ITEM_ID: &str = "firmware-00001-stable.xml.zst";
/// The item's alias.
pub const ITEM_ALIAS: &str = "firmware.xml.zst";
/// Subject of the generated RSA CA.
pub const RSA_CA_DN: &str = "CN=Generated LVFS CA,O=jcat test PKI (NOT LVFS)";
/// Subject of the generated ML-DSA-87 CA.
pub const PQ_CA_DN: &str = "CN=Generated LVFS CA 2025PQ,O=jcat test PKI (NOT LVFS)";

impl TestKey {
    /// An ML-DSA-87 key from a 32-byte seed.
    pub fn mldsa87_from_seed(seed: [u8; 32]) -> Self {
        Self(PrivateKey::MlDsa(MlDsaKey::from_seed(
            MlDsaSet::MlDsa87,
            seed,
        )))
    }

    /// A fresh RSA key of `bits` bits.
    pub fn generate_rsa(bits: usize) -> Result<Self, SignError> {
        PrivateKey::generate_rsa(bits).map(Self)
    }
}

/// A GnuTLS-form ML-DSA blob (PEM `PKCS7`): `signer_der` embedded,
/// signingTime `signing_time`, messageDigest empty, digestAlgorithm
/// id-shake256; the signature covers the attributes only.
pub fn gnutls_unbound_blob(
    signer_der: &[u8],
    key: &TestKey,
    signing_time: i64,
) -> Result<Vec<u8>, SignError> {
    let signer = CertView::parse(signer_der).map_err(SignError::cert_parse)?;
    let time = {
        use der::Encode;
        crate::sign::pkcs7::certgen::x509_time(signing_time)?
            .to_der()
            .map_err(SignError::encode(crate::sign::Encoding::Signature))?
    };
    let attrs = set_of(vec![
        attr(cms_oids::ID_CONTENT_TYPE, oid(cms_oids::ID_DATA)),
        attr(cms_oids::ID_SIGNING_TIME, time),
        attr(cms_oids::ID_MESSAGE_DIGEST, tlv(0x04, &[])),
    ]);
    let der = assemble(
        &[signer_der.to_vec()],
        &signer,
        &key.0,
        SignedContent::AttrsDigest(attrs, ID_SHAKE256),
    )?;
    pem_out(&der)
}

/// The generated LVFS-shaped PKI and blobs.
pub struct LvfsShape {
    /// The RSA CA certificate, PEM.
    pub rsa_ca: String,
    /// The ML-DSA-87 CA certificate, PEM.
    pub pq_ca: String,
    /// The RSA PKCS#7 blob over the payload (signed attributes, SHA-256).
    pub rsa_blob: Vec<u8>,
    /// The GnuTLS-form ML-DSA-87 blob (binds no payload).
    pub pq_blob: Vec<u8>,
}

/// A CA and a code-signing certificate below it (both with SKI, the
/// signer with AKI), valid from `t0` for ten years.
fn chain(
    ca_dn: &str,
    signer_dn: &str,
    ca_key: &TestKey,
    key: &TestKey,
    t0: i64,
) -> Result<(Vec<u8>, Vec<u8>), SignError> {
    let params = |subject, serial, role| CertParams {
        subject,
        serial,
        role,
        not_before: t0,
        not_after: t0 + 10 * 31_536_000,
    };
    let ca = certificate(
        &params(ca_dn, 1, Role::Ca { path_len: Some(1) }),
        ca_key,
        None,
    )?;
    let signer = certificate(
        &params(signer_dn, 0x2025, Role::CodeSigning),
        key,
        Some((&ca, ca_key)),
    )?;
    Ok((ca, signer))
}

/// Makes the PKI (CAs from `t0`, RSA-2048 keys fresh, ML-DSA-87 keys from
/// fixed seeds) and both blobs over `payload`, signed at `signing_time`.
pub fn lvfs_shape(payload: &[u8], t0: i64, signing_time: i64) -> Result<LvfsShape, SignError> {
    let (rsa_ca_key, rsa_key) = (TestKey::generate_rsa(2048)?, TestKey::generate_rsa(2048)?);
    let (rsa_ca, rsa_signer) = chain(
        RSA_CA_DN,
        "CN=generated fwupd.org 2025,O=jcat tests",
        &rsa_ca_key,
        &rsa_key,
        t0,
    )?;
    let (pq_ca_key, pq_key) = (
        TestKey::mldsa87_from_seed([0x11; 32]),
        TestKey::mldsa87_from_seed([0x22; 32]),
    );
    let (pq_ca, pq_signer) = chain(
        PQ_CA_DN,
        "CN=generated fwupd.org 2025PQ,O=jcat tests",
        &pq_ca_key,
        &pq_key,
        t0,
    )?;
    let rsa_blob = crate::sign::pkcs7::sign(
        Payload::Bytes(payload),
        pem("CERTIFICATE", &rsa_signer)?.as_bytes(),
        rsa_key.to_pem()?.as_bytes(),
        signing_time,
    )?;
    let pq_blob = gnutls_unbound_blob(&pq_signer, &pq_key, signing_time)?;
    Ok(LvfsShape {
        rsa_ca: pem("CERTIFICATE", &rsa_ca)?,
        pq_ca: pem("CERTIFICATE", &pq_ca)?,
        rsa_blob,
        pq_blob,
    })
}

/// The metadata catalog: one item [`ITEM_ID`] (alias [`ITEM_ALIAS`]) with
/// sha1 and sha256 of `checksummed`, then each PKCS#7 blob in `pkcs7`.
pub fn metadata_catalog(
    checksummed: &[u8],
    pkcs7: &[&[u8]],
    now: u64,
) -> Result<Catalog, SignError> {
    let mut item = Item::new(ITEM_ID);
    item.add_alias(ITEM_ALIAS);
    for kind in [BlobKind::Sha1, BlobKind::Sha256] {
        item.add_blob(crate::sign::checksum_blob(
            kind,
            Payload::Bytes(checksummed),
            i64::try_from(now).unwrap_or(i64::MAX),
        )?);
    }
    for blob in pkcs7 {
        item.add_blob(Blob::new(
            BlobKind::Pkcs7,
            BlobFlags::IS_UTF8,
            blob.to_vec(),
            Some(now),
        ));
    }
    let mut cat = Catalog::new();
    cat.add_item(item)?;
    Ok(cat)
}
