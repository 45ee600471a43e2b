//! X.509 trust material: certificates and CRLs, and the path validation
//! that uses them (chains, CRL checking, name constraints, profiles).
//!
//! Certificates are kept with their original DER: signatures are always
//! checked over the bytes as found, never over a re-encoding. The parsing
//! and signature primitives are in the crate's `x509` module, the layer below.

pub(crate) mod budget;
pub(crate) mod chain;
pub(crate) mod crl;
pub mod error;
pub(crate) mod names;
pub(crate) mod path;
pub(crate) mod profile;

// The pure parsing and signature primitives moved down to the `x509` layer
// (issue 11 §2); these re-exports keep the old paths compiling (transitional).
pub(crate) use crate::x509::{cert, pem_blocks, pubkey, tlv};
pub use crate::x509::{dn, mldsa};

use der::Decode;

use crate::Limits;

pub use dn::format_dn;
pub use error::{BudgetScope, ChainError, CrlProblem};

/// A trusted certificate, with the keys the trust store indexes it by
/// (taken once, when it is loaded).
#[derive(Clone, Debug)]
pub struct TrustedCert {
    /// The DER encoding, as found (signatures are checked over these bytes).
    pub der: Vec<u8>,
    /// The subject Name, whole DER element.
    pub(crate) subject: Vec<u8>,
    /// The subjectKeyIdentifier, if any.
    pub(crate) ski: Option<Vec<u8>>,
    /// The issuer Name, whole DER element, and the serial number's
    /// magnitude (what a CMS issuerAndSerialNumber names).
    pub(crate) issuer_serial: (Vec<u8>, Vec<u8>),
}

/// A certificate revocation list (checked against its issuer before use).
#[derive(Clone, Debug)]
pub struct Crl {
    /// The DER encoding.
    pub der: Vec<u8>,
    /// The issuer Name, whole DER element (the trust store's index key).
    pub(crate) issuer: Vec<u8>,
}

/// What one trust file held.
#[derive(Default, Debug)]
pub struct ParsedTrustFile {
    /// Usable certificates.
    pub certs: Vec<TrustedCert>,
    /// CRLs.
    pub crls: Vec<Crl>,
    /// Certificates that parsed but cannot be used, with reasons.
    pub rejected: Vec<String>,
}

impl ParsedTrustFile {
    /// Whether nothing usable was found.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty()
    }
}

/// Parses PEM (every `CERTIFICATE` / `X509 CRL` block) or DER trust material.
/// `Err` when the bytes are not X.509 material at all.
///
/// Key usage (as libjcat): a certificate whose KeyUsage extension has neither
/// digitalSignature nor keyCertSign is not usable and goes to
/// [`ParsedTrustFile::rejected`] with `certificate not suitable for use [0x..]`
/// (GnuTLS bit values). **Difference from libjcat:** a certificate *without*
/// a KeyUsage extension is accepted (RFC 5280 allows it and means "any
/// usage"); libjcat refuses it with `failed to get key usage`.
pub fn parse_trust_file(bytes: &[u8], limits: &Limits) -> Result<ParsedTrustFile, String> {
    let mut out = ParsedTrustFile::default();
    let text = std::str::from_utf8(bytes).ok();
    if let Some(text) = text.filter(|t| t.contains("-----BEGIN ")) {
        for block in pem_blocks(text) {
            let Ok((label, der)) = pem_rfc7468::decode_vec(block.as_bytes()) else {
                out.rejected.push("a PEM block does not decode".into());
                continue;
            };
            match label {
                "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                    push_cert(&mut out, der, limits)
                }
                "X509 CRL" => match Crl::parse(der) {
                    Ok(crl) => out.crls.push(crl),
                    Err(e) => out.rejected.push(format!("CRL does not parse: {e}")),
                },
                other => out
                    .rejected
                    .push(format!("PEM block {other:?} is not a certificate")),
            }
        }
        if out.is_empty() && out.rejected.is_empty() {
            return Err("no PEM certificate found".into());
        }
        return Ok(out);
    }
    if cert::CertView::parse(bytes).is_ok() {
        push_cert(&mut out, bytes.to_vec(), limits);
        return Ok(out);
    }
    if let Ok(crl) = Crl::parse(bytes.to_vec()) {
        out.crls.push(crl);
        return Ok(out);
    }
    Err("not an X.509 certificate or CRL".into())
}

fn push_cert(out: &mut ParsedTrustFile, der: Vec<u8>, _limits: &Limits) {
    let view = match cert::CertView::parse(&der) {
        Ok(v) => v,
        Err(e) => {
            return out
                .rejected
                .push(format!("certificate does not parse: {e}"))
        }
    };
    if let Some(ku) = &view.ext.key_usage {
        if !ku.digital_signature() && !ku.key_cert_sign() {
            return out.rejected.push(format!(
                "certificate {} not suitable for use [0x{:x}]",
                view.name(),
                cert::gnutls_key_usage_bits(ku)
            ));
        }
    }
    // The strict DER decoder must accept it too (as before); nothing of
    // its result is kept.
    if let Err(e) = x509_cert::Certificate::from_der(&der) {
        return out
            .rejected
            .push(format!("certificate does not parse: {e}"));
    }
    let (subject, ski) = (view.subject.to_vec(), view.ext.ski.clone());
    let issuer_serial = (
        view.issuer.to_vec(),
        tlv::int_magnitude(view.serial).to_vec(),
    );
    drop(view);
    out.certs.push(TrustedCert {
        der,
        subject,
        ski,
        issuer_serial,
    });
}

impl Crl {
    /// A CRL both the strict DER decoder and our view accept (as before).
    fn parse(der: Vec<u8>) -> Result<Self, String> {
        x509_cert::crl::CertificateList::from_der(&der).map_err(|e| e.to_string())?;
        let issuer = crl::CrlView::parse(&der)?.issuer.to_vec();
        Ok(Self { der, issuer })
    }
}

#[cfg(test)]
mod limbo;
