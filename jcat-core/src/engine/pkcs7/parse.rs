//! A lenient walk over CMS SignedData (RFC 5652): each certificate and
//! SignerInfo is taken on its own from the original bytes, so GnuTLS output
//! that embeds the signer certificate twice still parses, and signed
//! attributes are hashed exactly as they were encoded.

use const_oid::ObjectIdentifier;
use der::Decode;
use spki::AlgorithmIdentifierOwned;

use super::digests::CmsDigest;
use crate::engine::{LimitName, Malformed, Refusal, SigError, Unsupported};
use crate::x509::mldsa::MlDsaSet;
use crate::x509::{cert, tlv};
use crate::Limits;

/// id-data.
pub(crate) use const_oid::db::rfc5911::ID_DATA;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME};

/// How a SignerInfo names its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sid<'a> {
    /// issuerAndSerialNumber: issuer Name element, serial contents octets.
    IssuerSerial {
        /// Issuer Name, whole element.
        issuer: &'a [u8],
        /// Serial contents octets.
        serial: &'a [u8],
    },
    /// subjectKeyIdentifier.
    Ski(&'a [u8]),
}

/// The signed attributes libjcat looks at.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignedAttrs<'a> {
    /// The `[0]` element as found.
    pub raw: &'a [u8],
    /// contentType.
    pub content_type: Option<ObjectIdentifier>,
    /// messageDigest.
    pub message_digest: Option<&'a [u8]>,
    /// signingTime, unix seconds.
    pub signing_time: Option<i64>,
}

impl SignedAttrs<'_> {
    /// What is signed: the attributes re-tagged from `[0]` to SET (0x31).
    pub(crate) fn signed_bytes(&self) -> Vec<u8> {
        let mut v = self.raw.to_vec();
        if let Some(first) = v.first_mut() {
            *first = tlv::SET;
        }
        v
    }
}

/// One SignerInfo.
#[derive(Debug, Clone)]
pub(crate) struct SignerInfo<'a> {
    /// The signer's certificate reference.
    pub sid: Sid<'a>,
    /// digestAlgorithm; `None` only for an ML-DSA signer without signed
    /// attributes, where RFC 9882 §3.3 has it ignored.
    pub digest: Option<CmsDigest>,
    /// digestAlgorithm's OID.
    pub digest_oid: ObjectIdentifier,
    /// Signed attributes, if any.
    pub attrs: Option<SignedAttrs<'a>>,
    /// signatureAlgorithm.
    pub sig_alg: AlgorithmIdentifierOwned,
    /// The signature value.
    pub signature: &'a [u8],
}

/// A detached SignedData.
#[derive(Debug, Clone)]
pub(crate) struct SignedData<'a> {
    /// Embedded certificates (DER), duplicates kept.
    pub certs: Vec<&'a [u8]>,
    /// SignerInfos.
    pub signers: Vec<SignerInfo<'a>>,
}

impl<'a> SignedData<'a> {
    /// How the SignerInfos name their certificates, for the trust store's index.
    pub(crate) fn signer_names(&self) -> Vec<crate::trust::x509::chain::SignerName<'a>> {
        use crate::trust::x509::chain::SignerName;
        self.signers
            .iter()
            .map(|s| match s.sid {
                Sid::IssuerSerial { issuer, serial } => SignerName::IssuerSerial { issuer, serial },
                Sid::Ski(ski) => SignerName::Ski(ski),
            })
            .collect()
    }
}

fn malformed(e: String) -> SigError {
    SigError::Malformed(Malformed::Pkcs7(e))
}

/// The DER of a PEM (`PKCS7` or `CMS` label) or DER signature.
pub(crate) fn decode_pem_or_der(sig: &[u8]) -> Result<Vec<u8>, SigError> {
    if sig.first() == Some(&tlv::SEQUENCE) {
        return Ok(sig.to_vec());
    }
    let text =
        std::str::from_utf8(sig).map_err(|_| SigError::Malformed(Malformed::Pkcs7NotDerOrPem))?;
    for block in crate::trust::x509::pem_blocks(text) {
        if let Some((label, der)) = crate::x509::pem::decode_block(&block, &["PKCS7", "CMS"]) {
            if label == "PKCS7" || label == "CMS" {
                return Ok(der);
            }
        }
    }
    Err(SigError::Malformed(Malformed::Pkcs7NoPemBlock))
}

/// Parses ContentInfo → SignedData, refusing embedded content and applying
/// the CMS limits.
pub(crate) fn parse<'a>(der: &'a [u8], limits: &Limits) -> Result<SignedData<'a>, SigError> {
    let ci = tlv::expect(der, tlv::SEQUENCE, "ContentInfo").map_err(malformed)?;
    let mut c = tlv::Cursor::new(ci.value);
    let ct = c.next_tag(tlv::OID, "contentType").map_err(malformed)?;
    let ct = ObjectIdentifier::from_bytes(ct.value).map_err(|e| malformed(e.to_string()))?;
    if ct != ID_SIGNED_DATA {
        return Err(SigError::Malformed(Malformed::Pkcs7NotSignedData(
            ct.to_string(),
        )));
    }
    let wrapped = c.next_tag(0xa0, "content").map_err(malformed)?;
    let sd = tlv::expect(wrapped.value, tlv::SEQUENCE, "SignedData").map_err(malformed)?;
    let mut s = tlv::Cursor::new(sd.value);
    s.next_tag(tlv::INTEGER, "version").map_err(malformed)?;
    s.next_tag(tlv::SET, "digestAlgorithms")
        .map_err(malformed)?;
    let encap = s
        .next_tag(tlv::SEQUENCE, "encapContentInfo")
        .map_err(malformed)?;
    let mut e = tlv::Cursor::new(encap.value);
    e.next_tag(tlv::OID, "eContentType").map_err(malformed)?;
    if !e.is_empty() {
        return Err(SigError::Refused(Refusal::Pkcs7EmbeddedContent));
    }
    let mut certs = Vec::new();
    if let Some(set) = s.optional(0xa0).map_err(malformed)? {
        let all = tlv::children(set.value, usize::MAX).map_err(malformed)?;
        if all.len() > limits.max_cms_certificates {
            return Err(SigError::Limit {
                limit: LimitName::CmsCertificates,
                value: all.len(),
                max: limits.max_cms_certificates,
            });
        }
        certs.extend(all.iter().filter(|t| t.tag == tlv::SEQUENCE).map(|t| t.raw));
    }
    s.optional(0xa1).map_err(malformed)?;
    let infos = s.next_tag(tlv::SET, "signerInfos").map_err(malformed)?;
    let infos = tlv::children(infos.value, usize::MAX).map_err(malformed)?;
    if infos.len() > limits.max_cms_signers {
        return Err(SigError::Limit {
            limit: LimitName::CmsSigners,
            value: infos.len(),
            max: limits.max_cms_signers,
        });
    }
    if infos.is_empty() {
        return Err(SigError::Malformed(Malformed::Pkcs7NoSigners));
    }
    let signers = infos
        .iter()
        .map(|t| signer_info(*t))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SignedData { certs, signers })
}

fn signer_info(t: tlv::Tlv<'_>) -> Result<SignerInfo<'_>, SigError> {
    if t.tag != tlv::SEQUENCE {
        return Err(malformed("SignerInfo is not a SEQUENCE".into()));
    }
    let mut c = tlv::Cursor::new(t.value);
    c.next_tag(tlv::INTEGER, "SignerInfo version")
        .map_err(malformed)?;
    let sid = c.next("sid").map_err(malformed)?;
    let sid = match sid.tag {
        tlv::SEQUENCE => {
            let mut i = tlv::Cursor::new(sid.value);
            let issuer = i.next_tag(tlv::SEQUENCE, "issuer").map_err(malformed)?;
            let serial = i
                .next_tag(tlv::INTEGER, "serialNumber")
                .map_err(malformed)?;
            Sid::IssuerSerial {
                issuer: issuer.raw,
                serial: serial.value,
            }
        }
        0x80 => Sid::Ski(sid.value),
        other => {
            return Err(malformed(format!(
                "unknown SignerIdentifier tag 0x{other:02x}"
            )))
        }
    };
    let dalg = c
        .next_tag(tlv::SEQUENCE, "digestAlgorithm")
        .map_err(malformed)?;
    let dalg =
        AlgorithmIdentifierOwned::from_der(dalg.raw).map_err(|e| malformed(e.to_string()))?;
    let digest = CmsDigest::from_oid(&dalg.oid);
    let attrs = c
        .optional(0xa0)
        .map_err(malformed)?
        .map(signed_attrs)
        .transpose()?;
    let sig_alg = c
        .next_tag(tlv::SEQUENCE, "signatureAlgorithm")
        .map_err(malformed)?;
    let sig_alg =
        AlgorithmIdentifierOwned::from_der(sig_alg.raw).map_err(|e| malformed(e.to_string()))?;
    let signature = c
        .next_tag(tlv::OCTET_STRING, "signature")
        .map_err(malformed)?;
    let digest_ignored = attrs.is_none() && MlDsaSet::from_oid(&sig_alg.oid).is_some();
    if digest.is_none() && !digest_ignored {
        return Err(SigError::Unsupported(Unsupported::Pkcs7Digest(
            dalg.oid.to_string(),
        )));
    }
    Ok(SignerInfo {
        sid,
        digest,
        digest_oid: dalg.oid,
        attrs,
        sig_alg,
        signature: signature.value,
    })
}

fn signed_attrs(t: tlv::Tlv<'_>) -> Result<SignedAttrs<'_>, SigError> {
    let mut out = SignedAttrs {
        raw: t.raw,
        ..Default::default()
    };
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for attr in tlv::children(t.value, 256).map_err(malformed)? {
        let mut c = tlv::Cursor::new(attr.value);
        let oid = c.next_tag(tlv::OID, "attribute type").map_err(malformed)?;
        let oid = ObjectIdentifier::from_bytes(oid.value).map_err(|e| malformed(e.to_string()))?;
        if seen.contains(&oid) {
            return Err(malformed(format!("signed attribute {oid} appears twice")));
        }
        seen.push(oid);
        let values = c
            .next_tag(tlv::SET, "attribute values")
            .map_err(malformed)?;
        let values = tlv::children(values.value, 16).map_err(malformed)?;
        let [value] = values.as_slice() else {
            if matches!(oid, ID_CONTENT_TYPE | ID_MESSAGE_DIGEST | ID_SIGNING_TIME) {
                return Err(malformed(format!(
                    "signed attribute {oid} must have one value"
                )));
            }
            continue;
        };
        match oid {
            ID_CONTENT_TYPE => {
                if value.tag != tlv::OID {
                    return Err(malformed("contentType is not an OID".into()));
                }
                out.content_type = Some(
                    ObjectIdentifier::from_bytes(value.value)
                        .map_err(|e| malformed(e.to_string()))?,
                );
            }
            ID_MESSAGE_DIGEST => {
                if value.tag != tlv::OCTET_STRING {
                    return Err(malformed("messageDigest is not an OCTET STRING".into()));
                }
                out.message_digest = Some(value.value);
            }
            ID_SIGNING_TIME => out.signing_time = Some(cert::time(*value).map_err(malformed)?),
            _ => {}
        }
    }
    Ok(out)
}
