//! The rules each certificate on a path must meet by itself (RFC 5280 §4
//! profile and our algorithm policy), whatever its neighbours.

use super::error::ChainError;
use super::names::{self, Name};
use crate::x509::cert::CertView;
use crate::x509::mldsa::MlDsaSet;
use crate::x509::pubkey::{self, KeyProblem};

/// The role of a certificate in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Role {
    /// It issued the certificate below it (or is an anchor above a signer).
    pub issues: bool,
    /// Its own signature is checked (every certificate but the anchor).
    pub signature_checked: bool,
}

/// Checks one certificate.
pub(crate) fn check_cert(c: &CertView<'_>, role: Role) -> Result<(), ChainError> {
    let subject = || c.name();
    if c.alg_mismatch {
        return Err(ChainError::SignatureAlgorithmMismatch { subject: subject() });
    }
    if let Some(oid) = c.ext.duplicate {
        return Err(ChainError::DuplicateExtension {
            subject: subject(),
            oid: oid.to_string(),
        });
    }
    if let Some(oid) = c.ext.unknown_critical {
        return Err(ChainError::CriticalExtensionUnknown {
            subject: subject(),
            oid: oid.to_string(),
        });
    }
    if let Some((extension, must_be)) = c.ext.wrong_criticality {
        return Err(ChainError::WrongCriticality {
            subject: subject(),
            extension,
            must_be,
        });
    }
    if role.signature_checked {
        // A trust anchor's serial and AKI are not ours to judge (real roots
        // with serial 0 exist; a cross-signed root may omit its AKI).
        serial(c)?;
        if let Some(set) = MlDsaSet::from_oid(&c.sig_alg.oid) {
            if c.sig_alg.parameters.is_some() {
                return Err(ChainError::MlDsaParameters {
                    what: format!("certificate {}", subject()),
                    set,
                });
            }
        }
        if let Some(alg) = pubkey::weak_digest(&c.sig_alg) {
            return Err(ChainError::WeakDigest {
                subject: subject(),
                alg: alg.into(),
            });
        }
    }
    key(c)?;
    // An anchor with an empty issuer is libjcat's own self-signed keyring
    // certificate: accepted as input, refused anywhere else on a path.
    if role.signature_checked && is_empty_name(c.issuer) {
        return Err(ChainError::EmptyName {
            subject: subject(),
            field: "issuer",
        });
    }
    let ku_cert_sign = c.ext.key_usage.as_ref().map(|ku| ku.key_cert_sign());
    if ku_cert_sign == Some(true) && !c.is_ca() {
        return Err(ChainError::InconsistentCaExtensions { subject: subject() });
    }
    if c.ext.eku_empty {
        return Err(ChainError::EmptyExtKeyUsage { subject: subject() });
    }
    if c.ext.name_constraints.is_some() && !c.is_ca() {
        return Err(ChainError::NameConstraintsInEndEntity { subject: subject() });
    }
    if role.signature_checked && !c.self_signed_shape() && c.ext.aki.is_none() {
        return Err(ChainError::MissingKeyIdentifier {
            subject: subject(),
            extension: "authorityKeyIdentifier",
        });
    }
    san(c)?;
    if role.issues {
        issuer_profile(c)?;
    }
    Ok(())
}

/// What a certificate that issues others must carry.
fn issuer_profile(c: &CertView<'_>) -> Result<(), ChainError> {
    let subject = || c.name();
    if is_empty_name(c.subject) {
        return Err(ChainError::EmptyName {
            subject: subject(),
            field: "subject",
        });
    }
    if c.is_ca() && !c.ext.basic_critical {
        return Err(ChainError::WrongCriticality {
            subject: subject(),
            extension: "basicConstraints",
            must_be: "critical",
        });
    }
    if c.ext.ski.is_none() {
        return Err(ChainError::MissingKeyIdentifier {
            subject: subject(),
            extension: "subjectKeyIdentifier",
        });
    }
    Ok(())
}

fn serial(c: &CertView<'_>) -> Result<(), ChainError> {
    let reason = match c.serial {
        [] => Some("not positive"),
        [first, ..] if first & 0x80 != 0 => Some("not positive"),
        s if s.iter().all(|b| *b == 0) => Some("not positive"),
        s if crate::x509::tlv::int_magnitude(s).len() > 20 => Some("longer than 20 octets"),
        _ => None,
    };
    match reason {
        Some(reason) => Err(ChainError::InvalidSerial {
            subject: c.name(),
            reason,
        }),
        None => Ok(()),
    }
}

/// The key policy applied to a certificate's key.
pub(crate) fn key(c: &CertView<'_>) -> Result<(), ChainError> {
    let subject = c.name();
    pubkey::key_policy(c.spki).map_err(|p| match p {
        KeyProblem::WeakRsa(bits) => ChainError::WeakRsaKey { subject, bits },
        KeyProblem::Curve(curve) => ChainError::UnsupportedCurve { subject, curve },
        KeyProblem::Algorithm(alg) => ChainError::UnsupportedKey { subject, alg },
        KeyProblem::WeakEd25519 => ChainError::WeakEd25519Key { subject },
        KeyProblem::Malformed(alg) => ChainError::UnsupportedKey { subject, alg },
        KeyProblem::MlDsa { set, reason } => ChainError::MlDsaKey {
            subject,
            set,
            reason,
        },
    })?;
    mldsa_key_usage(c)
}

/// RFC 9881 §5: an ML-DSA key's keyUsage, when present, has at least one of
/// digitalSignature, nonRepudiation, keyCertSign, cRLSign and none of the
/// encipherment or agreement bits.
fn mldsa_key_usage(c: &CertView<'_>) -> Result<(), ChainError> {
    let Ok(spki) = <spki::SubjectPublicKeyInfoRef<'_> as der::Decode<'_>>::from_der(c.spki) else {
        return Ok(());
    };
    if MlDsaSet::from_oid(&spki.algorithm.oid).is_none() {
        return Ok(());
    }
    let Some(ku) = &c.ext.key_usage else {
        return Ok(());
    };
    let forbidden = [
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    if let Some((_, usage)) = forbidden.iter().find(|(set, _)| *set) {
        return Err(ChainError::MlDsaKeyUsage {
            subject: c.name(),
            usage,
        });
    }
    if !(ku.digital_signature() || ku.non_repudiation() || ku.key_cert_sign() || ku.crl_sign()) {
        return Err(ChainError::MlDsaKeyUsage {
            subject: c.name(),
            usage: "no signing bit",
        });
    }
    Ok(())
}

fn is_empty_name(name: &[u8]) -> bool {
    crate::x509::tlv::expect(name, crate::x509::tlv::SEQUENCE, "name")
        .is_ok_and(|n| n.value.is_empty())
}

/// subjectAltName entries must be well formed, and a certificate with an
/// empty subject must mark its subjectAltName critical (RFC 5280 4.2.1.6).
fn san(c: &CertView<'_>) -> Result<(), ChainError> {
    if is_empty_name(c.subject) && c.ext.san.is_some() && !c.ext.san_critical {
        return Err(ChainError::WrongCriticality {
            subject: c.name(),
            extension: "subjectAltName",
            must_be: "critical",
        });
    }
    let all = names::names_of(c).map_err(|_| ChainError::InvalidSubjectAltName {
        subject: c.name(),
        name: "(malformed)".into(),
    })?;
    for n in all {
        if let Name::Dns(d) = n {
            let ip_like = d.parse::<std::net::Ipv4Addr>().is_ok();
            if ip_like || !names::valid_dns(d, true) {
                return Err(ChainError::InvalidSubjectAltName {
                    subject: c.name(),
                    name: format!("DNS:{d}"),
                });
            }
        }
    }
    Ok(())
}
