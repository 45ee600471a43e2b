//! Certificate revocation lists, read from their original bytes.

use spki::AlgorithmIdentifierOwned;

use super::budget::Budget;
use super::cert::{time, CertView};
use super::error::{ChainError, CrlProblem};
use super::pubkey::{self, Message};
use super::tlv;

/// One revoked entry: serial magnitude and revocation date.
#[derive(Debug, Clone)]
pub(crate) struct RevokedEntry<'a> {
    /// Serial number, leading zeros removed.
    pub serial: &'a [u8],
    /// revocationDate, unix seconds.
    pub date: i64,
    /// The entry's reasonCode (RFC 5280 5.3.1), when present.
    pub reason: Option<u8>,
}

/// RFC 5280's name of a reasonCode (none for unspecified and unknown codes).
pub(crate) fn reason_name(code: u8) -> Option<&'static str> {
    Some(match code {
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => return None,
    })
}

/// The reasonCode of a CRL entry's extensions (SEQUENCE OF Extension contents).
fn entry_reason(exts: &[u8]) -> Option<u8> {
    tlv::children(exts, 64).ok()?.into_iter().find_map(|ext| {
        let mut c = tlv::Cursor::new(ext.value);
        let oid = c.next_tag(tlv::OID, "extnID").ok()?;
        if oid.value != const_oid::db::rfc5280::ID_CE_CRL_REASONS.as_bytes() {
            return None;
        }
        let mut value = c.next("extnValue").ok()?;
        if value.tag == 0x01 {
            value = c.next("extnValue").ok()?;
        }
        match tlv::read_one(value.value).ok()? {
            e if e.tag == 0x0a => e.value.first().copied(),
            _ => None,
        }
    })
}

/// A parsed CRL borrowing its DER.
#[derive(Debug, Clone)]
pub(crate) struct CrlView<'a> {
    /// tbsCertList, whole element.
    pub tbs: &'a [u8],
    /// issuer Name, whole element.
    pub issuer: &'a [u8],
    /// signatureAlgorithm.
    pub sig_alg: AlgorithmIdentifierOwned,
    /// Signature bits.
    pub signature: &'a [u8],
    /// nextUpdate, unix seconds.
    pub next_update: Option<i64>,
    /// Revoked certificates.
    pub revoked: Vec<RevokedEntry<'a>>,
    /// The whole DER.
    pub der: &'a [u8],
    /// CRLNumber contents octets and criticality.
    pub crl_number: Option<(&'a [u8], bool)>,
    /// authorityKeyIdentifier keyIdentifier.
    pub aki: Option<&'a [u8]>,
    /// The first critical CRL extension we do not process.
    pub unknown_critical: Option<String>,
}

impl<'a> CrlView<'a> {
    /// Parses a DER CRL.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, String> {
        let (tbs, sig_alg, signature) =
            super::cert::signed_envelope(der, "CertificateList", "tbsCertList")?;
        let mut t = tlv::Cursor::new(tbs.value);
        t.optional(tlv::INTEGER)?;
        t.next_tag(tlv::SEQUENCE, "signature")?;
        let issuer = t.next_tag(tlv::SEQUENCE, "issuer")?;
        time(t.next("thisUpdate")?)?;
        let next_update = match t.peek_tag() {
            Some(0x17 | 0x18) => Some(time(t.next("nextUpdate")?)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        if let Some(list) = t.optional(tlv::SEQUENCE)? {
            for entry in tlv::children(list.value, usize::MAX)? {
                let mut e = tlv::Cursor::new(entry.value);
                let serial = e.next_tag(tlv::INTEGER, "userCertificate")?;
                let date = time(e.next("revocationDate")?)?;
                revoked.push(RevokedEntry {
                    serial: tlv::int_magnitude(serial.value),
                    date,
                    reason: e
                        .optional(tlv::SEQUENCE)
                        .ok()
                        .flatten()
                        .and_then(|x| entry_reason(x.value)),
                });
            }
        }
        let mut crl_number = None;
        let mut aki = None;
        let mut unknown_critical = None;
        if let Some(exts) = t.optional(0xa0)? {
            let seq = tlv::expect(exts.value, tlv::SEQUENCE, "crlExtensions")?;
            for e in tlv::children(seq.value, 64)? {
                let mut c = tlv::Cursor::new(e.value);
                let oid = c.next_tag(tlv::OID, "extnID")?;
                let critical = match c.peek_tag() {
                    Some(0x01) => c.next("critical")?.value == [0xff],
                    _ => false,
                };
                let value = c.next_tag(tlv::OCTET_STRING, "extnValue")?.value;
                match oid.value {
                    // 2.5.29.20 cRLNumber
                    [0x55, 0x1d, 0x14] => {
                        crl_number = Some((
                            tlv::expect(value, tlv::INTEGER, "cRLNumber")?.value,
                            critical,
                        ))
                    }
                    // 2.5.29.35 authorityKeyIdentifier: [0] keyIdentifier
                    [0x55, 0x1d, 0x23] => {
                        let a = tlv::expect(value, tlv::SEQUENCE, "authorityKeyIdentifier")?;
                        aki = tlv::Cursor::new(a.value).optional(0x80)?.map(|k| k.value);
                    }
                    other if critical => {
                        unknown_critical.get_or_insert(
                            const_oid::ObjectIdentifier::from_bytes(other)
                                .map(|o| o.to_string())
                                .unwrap_or_else(|_| crate::digest::hex(other)),
                        );
                    }
                    _ => {}
                }
            }
        }
        Ok(Self {
            tbs: tbs.raw,
            issuer: issuer.raw,
            sig_alg,
            signature,
            next_update,
            revoked,
            der,
            crl_number,
            aki,
            unknown_critical,
        })
    }

    /// Whether this CRL says it comes from `issuer`: same name, and the same
    /// key identifier when both give one.
    pub(crate) fn names_issuer(&self, issuer: &CertView<'_>) -> bool {
        self.issuer == issuer.subject
            && match (self.aki, &issuer.ext.ski) {
                (Some(a), Some(s)) => a == s.as_slice(),
                _ => true,
            }
    }

    /// Why a CRL naming `issuer` cannot be used, if it cannot (RFC 5280
    /// 5.2.3 and 6.3.3): issuer without cRLSign, weak digest, CRLNumber
    /// missing, critical or invalid, unknown critical extension, bad signature.
    pub(crate) fn problem(
        &self,
        issuer: &CertView<'_>,
        run: &crate::trust::context::RunState,
        budget: &mut Budget<'_>,
    ) -> Result<Option<CrlProblem>, ChainError> {
        if issuer
            .ext
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.crl_sign())
        {
            return Ok(Some(CrlProblem::IssuerLacksCrlSign));
        }
        if let Some(alg) = pubkey::weak_digest(&self.sig_alg) {
            return Ok(Some(CrlProblem::WeakDigest { alg: alg.into() }));
        }
        match self.crl_number {
            None => return Ok(Some(CrlProblem::CrlNumberMissing)),
            Some((_, true)) => return Ok(Some(CrlProblem::CrlNumberCritical)),
            Some((n, false)) => {
                let negative = n.first().is_some_and(|b| b & 0x80 != 0);
                if negative || tlv::int_magnitude(n).len() > 20 {
                    return Ok(Some(CrlProblem::CrlNumberInvalid));
                }
            }
        }
        if let Some(oid) = &self.unknown_critical {
            return Ok(Some(CrlProblem::CriticalExtensionUnknown {
                oid: oid.clone(),
            }));
        }
        if !self.signature_ok(issuer, run, budget)? {
            return Ok(Some(CrlProblem::BadSignature));
        }
        Ok(None)
    }

    fn signature_ok(
        &self,
        issuer: &CertView<'_>,
        run: &crate::trust::context::RunState,
        budget: &mut Budget<'_>,
    ) -> Result<bool, ChainError> {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(b"crl");
        h.update((self.der.len() as u64).to_be_bytes());
        h.update(self.der);
        h.update(issuer.spki);
        let key: [u8; 32] = h.finalize().into();
        if let Some(ok) = run.link_result(&key) {
            return Ok(ok);
        }
        budget.spend()?;
        let ok = pubkey::verify_with(
            &run.rsa_keys,
            issuer.spki,
            &self.sig_alg,
            None,
            Message::Raw(self.tbs),
            self.signature,
        )
        .is_ok();
        run.remember_link(key, ok);
        Ok(ok)
    }

    /// The revocation date of a certificate serial (contents octets), if listed.
    pub(crate) fn revocation_of(&self, serial: &[u8]) -> Option<(i64, Option<u8>)> {
        let serial = tlv::int_magnitude(serial);
        self.revoked
            .iter()
            .find(|r| r.serial == serial)
            .map(|r| (r.date, r.reason))
    }
}

/// Checks a CRL given by the user against the trusted certificates that it
/// names as issuer: the first reason one of them cannot use it, if any
/// (CRLs of issuers met only inside signatures are judged at verification).
pub(crate) fn unusable_with_trusted(
    der: &[u8],
    trust: &crate::trust::TrustStore,
) -> Option<String> {
    let view = match CrlView::parse(der) {
        Ok(v) => v,
        Err(e) => return Some(format!("it does not parse: {e}")),
    };
    let run = crate::trust::context::RunState::new();
    let mut budget = Budget::new(usize::MAX, &run.signature_checks, usize::MAX);
    for (_, t) in trust.certs_with_subject(view.issuer) {
        let issuer = t.view();
        if !view.names_issuer(issuer) {
            continue;
        }
        if let Ok(Some(problem)) = view.problem(issuer, &run, &mut budget) {
            return Some(
                ChainError::CrlUnusable {
                    issuer: issuer.name(),
                    problem,
                }
                .to_string(),
            );
        }
    }
    None
}
