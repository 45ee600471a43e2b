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
pub(crate) mod parsed;
pub(crate) mod path;
pub(crate) mod profile;
pub mod rank;
mod store;

use der::Decode;

use crate::x509::{cert, pem_blocks, tlv};
use crate::Limits;

pub use error::{BudgetScope, ChainError, CrlProblem};

/// A trusted certificate, with the keys the trust store indexes it by
/// (taken once, when it is loaded). Seen from outside through its accessors;
/// no third-party certificate type is kept or exposed.
#[derive(Clone, Debug)]
pub struct TrustedCert {
    /// The DER encoding, as found (signatures are checked over these bytes).
    pub(crate) der: Vec<u8>,
    /// notBefore and notAfter, unix seconds.
    pub(crate) validity: (i64, i64),
    /// The subject Name, whole DER element.
    pub(crate) subject: Vec<u8>,
    /// The subjectKeyIdentifier, if any.
    pub(crate) ski: Option<Vec<u8>>,
    /// The issuer Name, whole DER element, and the serial number's
    /// magnitude (what a CMS issuerAndSerialNumber names).
    pub(crate) issuer_serial: (Vec<u8>, Vec<u8>),
    /// Whether the strict DER decoder (`x509-cert`) accepts it too: decided
    /// the first time the certificate is a path candidate, not at load (a
    /// bundle of 1 000 certificates spent half its load time there, issue
    /// 15 V5, and most of them are never looked at).
    strict: std::sync::OnceLock<bool>,
    /// Whether its own signature algorithm is ML-DSA (libjcat's `ONLY_PQ`
    /// anchor filter), taken at load.
    pub(crate) mldsa_signed: bool,
    /// The view parsed at load (shared by clones; path building uses it
    /// instead of parsing the DER for every signature).
    parsed: std::sync::Arc<parsed::ParsedCert>,
}

impl TrustedCert {
    /// Whether the certificate may be used at all: a certificate the strict
    /// DER decoder refuses is never an anchor (as when it was refused at
    /// load), decided once per store.
    pub(crate) fn usable(&self) -> bool {
        *self
            .strict
            .get_or_init(|| x509_cert::Certificate::from_der(&self.der).is_ok())
    }

    /// The certificate parsed (at load) by the lenient view.
    pub(crate) fn view(&self) -> &cert::CertView<'_> {
        self.parsed.view()
    }
}

impl TrustedCert {
    /// The DER encoding, as found in the trust file.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject in RFC 4514 form (`CN=LVFS CA,O=Linux Vendor Firmware
    /// Project`), as libjcat prints names.
    pub fn subject(&self) -> String {
        crate::x509::dn::display_dn(&self.subject)
    }

    /// The issuer in RFC 4514 form.
    pub fn issuer(&self) -> String {
        crate::x509::dn::display_dn(&self.issuer_serial.0)
    }

    /// The serial number as lowercase hex, leading zero bytes dropped.
    pub fn serial_hex(&self) -> String {
        crate::digest::hex(&self.issuer_serial.1)
    }

    /// notBefore, unix seconds.
    pub fn not_before(&self) -> i64 {
        self.validity.0
    }

    /// notAfter, unix seconds.
    pub fn not_after(&self) -> i64 {
        self.validity.1
    }

    /// The SHA-256 fingerprint of the DER, lowercase hex.
    pub fn fingerprint_sha256(&self) -> String {
        crate::digest::hex(&crate::digest::digest(
            crate::digest::DigestAlg::Sha256,
            &self.der,
        ))
    }
}

/// A certificate revocation list (checked against its issuer before use).
#[derive(Clone, Debug)]
pub struct Crl {
    /// The DER encoding.
    pub(crate) der: Vec<u8>,
    /// The issuer Name, whole DER element (the trust store's index key).
    pub(crate) issuer: Vec<u8>,
    /// The view parsed at load (revocation checks use it for every
    /// signature instead of parsing the list again).
    parsed: std::sync::Arc<parsed::ParsedCrl>,
}

mod trust_file;
pub use trust_file::ParsedTrustFile;

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
        // A distribution's bundle holds hundreds of certificates: each block
        // is decoded and checked on its own, in file order. On one thread:
        // since the fast PEM path and the deferred strict decode, a block is
        // about 10 µs, and spreading 1 000 of them over two cores cost more
        // CPU (13 ms against 7.7 ms) and no less wall time (9.8 ms against
        // 9.0 ms; `perf stat -r 30`, BENCHMARKS.md V5). Canonical texts
        // (nearly all) are scanned and decoded in one pass.
        let parsed: Vec<Parsed> =
            match crate::x509::pem::canonical_blocks(text, &crate::x509::pem::TRUST_LABELS) {
                Some(blocks) => blocks
                    .into_iter()
                    .map(|(label, der)| parse_decoded(label, der, limits))
                    .collect(),
                None => pem_blocks(text)
                    .iter()
                    .map(|block| parse_block(block, limits))
                    .collect(),
            };
        for p in parsed {
            match p {
                Parsed::Cert(c) => out.certs.push(*c),
                Parsed::Crl(c) => out.crls.push(c),
                Parsed::Rejected(why) => out.rejected.push(why),
            }
        }
        if out.is_empty() && out.rejected.is_empty() {
            return Err("no PEM certificate found".into());
        }
        return Ok(out);
    }
    if cert::CertView::parse(bytes).is_ok() {
        push(&mut out, trusted_cert(bytes.to_vec(), limits));
        return Ok(out);
    }
    if let Ok(crl) = Crl::parse(bytes.to_vec()) {
        out.crls.push(crl);
        return Ok(out);
    }
    Err("not an X.509 certificate or CRL".into())
}

/// What one PEM block of a trust file is.
enum Parsed {
    Cert(Box<TrustedCert>),
    Crl(Crl),
    Rejected(String),
}

fn parse_block(block: &str, limits: &Limits) -> Parsed {
    let Some((label, der)) = crate::x509::pem::decode_block(block, &crate::x509::pem::TRUST_LABELS)
    else {
        return Parsed::Rejected("a PEM block does not decode".into());
    };
    parse_decoded(&label, der, limits)
}

fn parse_decoded(label: &str, der: Vec<u8>, limits: &Limits) -> Parsed {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            match trusted_cert(der, limits) {
                Ok(c) => Parsed::Cert(Box::new(c)),
                Err(why) => Parsed::Rejected(why),
            }
        }
        "X509 CRL" => match Crl::parse(der) {
            Ok(crl) => Parsed::Crl(crl),
            Err(e) => Parsed::Rejected(format!("CRL does not parse: {e}")),
        },
        other => Parsed::Rejected(format!("PEM block {other:?} is not a certificate")),
    }
}

fn push(out: &mut ParsedTrustFile, cert: Result<TrustedCert, String>) {
    match cert {
        Ok(c) => out.certs.push(c),
        Err(why) => out.rejected.push(why),
    }
}

/// A usable trusted certificate, or why it is not.
fn trusted_cert(der: Vec<u8>, _limits: &Limits) -> Result<TrustedCert, String> {
    let parsed = parsed::ParsedCert::parse(der.clone())
        .map_err(|e| format!("certificate does not parse: {e}"))?;
    let view = parsed.view();
    if let Some(ku) = &view.ext.key_usage {
        if !ku.digital_signature() && !ku.key_cert_sign() {
            return Err(format!(
                "certificate {} not suitable for use [0x{:x}]",
                view.name(),
                cert::gnutls_key_usage_bits(ku)
            ));
        }
    }
    let (subject, ski) = (view.subject.to_vec(), view.ext.ski.clone());
    let validity = (view.not_before, view.not_after);
    let mldsa_signed = crate::x509::mldsa::MlDsaSet::from_oid(&view.sig_alg.oid).is_some();
    let issuer_serial = (
        view.issuer.to_vec(),
        tlv::int_magnitude(view.serial).to_vec(),
    );
    Ok(TrustedCert {
        der,
        validity,
        subject,
        ski,
        issuer_serial,
        strict: std::sync::OnceLock::new(),
        mldsa_signed,
        parsed: std::sync::Arc::new(parsed),
    })
}

impl Crl {
    /// A CRL both the strict DER decoder and our view accept (as before).
    fn parse(der: Vec<u8>) -> Result<Self, String> {
        x509_cert::crl::CertificateList::from_der(&der).map_err(|e| e.to_string())?;
        let parsed = parsed::ParsedCrl::parse(der.clone())?;
        let issuer = parsed.view().issuer.to_vec();
        Ok(Self {
            der,
            issuer,
            parsed: std::sync::Arc::new(parsed),
        })
    }

    /// The CRL parsed (at load).
    pub(crate) fn view(&self) -> &crl::CrlView<'_> {
        self.parsed.view()
    }
}

#[cfg(test)]
mod limbo;

#[cfg(test)]
mod bundle_tests {
    use super::*;
    use crate::sign::pki::{create_ca, CaOptions, KeyType, CERT_FILE};

    /// Distinct P-256 CA certificates, PEM.
    fn cas(n: usize) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        (0..n)
            .map(|i| {
                let d = dir.path().join(i.to_string());
                let opts = CaOptions {
                    subject: format!("CN=Bundle {i}"),
                    key: KeyType::P256,
                    days: 10,
                    path_len: None,
                    force: false,
                };
                create_ca(&d, &opts, 1_800_000_000).unwrap();
                std::fs::read_to_string(d.join(CERT_FILE)).unwrap()
            })
            .collect()
    }

    /// A large bundle gives what its blocks give one file each: same
    /// certificates in file order, same rejections in order.
    #[test]
    fn a_large_bundle_parses_as_its_blocks_do_one_by_one() {
        let limits = Limits::default();
        let certs = cas(8);
        let mut blocks = Vec::new();
        for i in 0..70 {
            blocks.push(match i {
                7 => "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".to_owned(),
                30 => "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_owned(),
                _ => certs[(i * 5) % certs.len()].clone(),
            });
        }
        let whole = parse_trust_file(blocks.concat().as_bytes(), &limits).unwrap();
        let (mut ders, mut rejected) = (Vec::new(), Vec::new());
        for b in &blocks {
            let one = parse_trust_file(b.as_bytes(), &limits).unwrap();
            ders.extend(one.certs.into_iter().map(|c| c.der));
            rejected.extend(one.rejected);
        }
        assert_eq!(ders.len(), 68);
        assert_eq!(
            whole.certs.into_iter().map(|c| c.der).collect::<Vec<_>>(),
            ders
        );
        assert_eq!(whole.rejected, rejected);
        assert_eq!(
            rejected,
            [
                "a PEM block does not decode".to_owned(),
                "PEM block \"PRIVATE KEY\" is not a certificate".to_owned()
            ]
        );
    }

    /// A certificate our lenient view takes but the strict DER decoder
    /// refuses still loads (the strict check is deferred), and is never
    /// handed out as a path candidate.
    #[test]
    fn a_strictly_invalid_certificate_is_never_a_candidate() {
        let limits = Limits::default();
        let pem = cas(1).remove(0);
        let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
        // Find a one-byte change the lenient view accepts and x509-cert does not.
        let bad = (0..der.len())
            .flat_map(|i| [0x01u8, 0x80, 0xff].map(|x| (i, x)))
            .find_map(|(i, x)| {
                let mut d = der.clone();
                d[i] ^= x;
                let lenient = cert::CertView::parse(&d)
                    .is_ok_and(|v| v.ext.key_usage.is_none_or(|k| k.key_cert_sign()));
                (lenient && x509_cert::Certificate::from_der(&d).is_err()).then_some(d)
            })
            .expect("some mutation separates the two decoders");
        let subject = cert::CertView::parse(&bad).unwrap().subject.to_vec();
        let mut store = crate::TrustStore::new();
        store.add_bytes(std::path::Path::new("bad.der"), &bad, &limits);
        assert_eq!(store.certificate_count(), 1, "{:?}", store.skipped());
        assert_eq!(store.certs_with_subject(&subject).count(), 0);
        assert!(!store.certs[0].usable());
        // The unchanged certificate is a candidate.
        let mut good = crate::TrustStore::new();
        good.add_bytes(std::path::Path::new("good.der"), &der, &limits);
        let subject = cert::CertView::parse(&der).unwrap().subject.to_vec();
        assert_eq!(good.certs_with_subject(&subject).count(), 1);
    }
}
