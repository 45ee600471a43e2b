//! `crl create` and `revoke`: a CA's revocation list (`revoked.txt`) and the
//! CRL signed from it (v2, CRLNumber, AKI, thisUpdate/nextUpdate, reason
//! codes per entry).

use std::path::{Path, PathBuf};

use der::asn1::{BitString, OctetString};
use der::{DecodePem, Encode};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::issue::Issuer;
use super::PkiError;
use crate::sign::pkcs7::certgen;

/// The CA's list of revoked certificates: `serial-hex reason unix-time` lines.
pub const REVOKED_FILE: &str = "revoked.txt";
/// The CA's last CRL number (decimal).
pub const CRL_NUMBER_FILE: &str = "crlnumber";
/// Where `crl create` and `revoke` write the CRL by default (in CA_DIR).
pub const CRL_FILE: &str = "crl.pem";

/// RFC 5280 CRLReason values (5.3.1), by their ASN.1 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationReason {
    /// unspecified (0).
    Unspecified,
    /// keyCompromise (1).
    KeyCompromise,
    /// cACompromise (2).
    CaCompromise,
    /// affiliationChanged (3).
    AffiliationChanged,
    /// superseded (4).
    Superseded,
    /// cessationOfOperation (5).
    CessationOfOperation,
    /// certificateHold (6).
    CertificateHold,
    /// privilegeWithdrawn (9).
    PrivilegeWithdrawn,
    /// aACompromise (10).
    AaCompromise,
}

impl RevocationReason {
    /// Every reason, as the names are listed.
    pub const ALL: [RevocationReason; 9] = [
        Self::Unspecified,
        Self::KeyCompromise,
        Self::CaCompromise,
        Self::AffiliationChanged,
        Self::Superseded,
        Self::CessationOfOperation,
        Self::CertificateHold,
        Self::PrivilegeWithdrawn,
        Self::AaCompromise,
    ];

    /// RFC 5280's name (`keyCompromise`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "cACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::CertificateHold => "certificateHold",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
            Self::AaCompromise => "aACompromise",
        }
    }

    /// The ENUMERATED value.
    pub fn code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::CaCompromise => 2,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::CertificateHold => 6,
            Self::PrivilegeWithdrawn => 9,
            Self::AaCompromise => 10,
        }
    }
}

impl std::str::FromStr for RevocationReason {
    type Err = PkiError;
    fn from_str(s: &str) -> Result<Self, PkiError> {
        Self::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| PkiError::UnknownReason { name: s.to_owned() })
    }
}

fn bad(path: &Path, e: impl std::fmt::Display) -> PkiError {
    PkiError::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// One line of [`REVOKED_FILE`].
struct Entry {
    serial: Vec<u8>,
    reason: RevocationReason,
    time: i64,
}

fn read_entries(dir: &Path) -> Result<Vec<Entry>, PkiError> {
    let path = dir.join(REVOKED_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(crate::Error::io(&path, e).into()),
    };
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let entry = match f.as_slice() {
            [s, r, t] => unhex(s).zip(r.parse().ok()).zip(t.parse().ok()),
            _ => None,
        };
        let Some(((serial, reason), time)) = entry else {
            return Err(bad(
                &path,
                format!("line {}: expected SERIAL-HEX REASON UNIX-TIME", n + 1),
            ));
        };
        out.push(Entry {
            serial,
            reason,
            time,
        });
    }
    Ok(out)
}

/// Signs a CRL of the CA in `ca_dir` valid from `now` for `days`, numbered
/// from the CA's [`CRL_NUMBER_FILE`], and writes it (PEM) to `out` (default
/// `ca_dir/crl.pem`). Returns the path written.
pub fn create_crl(
    ca_dir: &Path,
    days: u32,
    out: Option<&Path>,
    now: i64,
) -> Result<PathBuf, PkiError> {
    use const_oid::db::rfc5280 as o;
    let issuer = Issuer::load(ca_dir)?;
    if !issuer.can_sign_crls() {
        return Err(PkiError::IssuerCannotSignCrls {
            issuer: issuer.subject(),
        });
    }
    if days == 0 || days > 36_500 {
        return Err(PkiError::BadDays { days });
    }
    let number_path = ca_dir.join(CRL_NUMBER_FILE);
    let last = match std::fs::read_to_string(&number_path) {
        Ok(s) => s.trim().parse::<u64>().map_err(|e| bad(&number_path, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(crate::Error::io(&number_path, e).into()),
    };
    let number = last
        .checked_add(1)
        .ok_or_else(|| bad(&number_path, "exhausted"))?;
    let mut revoked = Vec::new();
    for e in read_entries(ca_dir)? {
        let reason = Extension {
            extn_id: o::ID_CE_CRL_REASONS,
            critical: false,
            extn_value: OctetString::new(vec![0x0a, 0x01, e.reason.code()])
                .map_err(|e| bad(ca_dir, e))?,
        };
        revoked.push(RevokedCert {
            serial_number: SerialNumber::new(&e.serial).map_err(|x| bad(ca_dir, x))?,
            revocation_date: certgen::x509_time(e.time)?,
            crl_entry_extensions: Some(vec![reason]),
        });
    }
    let (_, spki) = issuer.name_and_spki()?;
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(
            OctetString::new(certgen::key_id(&spki)?).map_err(|e| bad(ca_dir, e))?,
        ),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    let ext = |oid, v: Vec<u8>| -> Result<Extension, PkiError> {
        Ok(Extension {
            extn_id: oid,
            critical: false,
            extn_value: OctetString::new(v).map_err(|e| bad(ca_dir, e))?,
        })
    };
    let number_der = der::asn1::Uint::new(&number.to_be_bytes())
        .and_then(|u| u.to_der())
        .map_err(|e| bad(ca_dir, e))?;
    let exts = vec![
        ext(
            o::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            aki.to_der().map_err(|e| bad(ca_dir, e))?,
        )?,
        ext(o::ID_CE_CRL_NUMBER, number_der)?,
    ];
    let sig_alg = issuer.key.cert_sig_alg();
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: sig_alg.clone(),
        issuer: issuer.cert.tbs_certificate.subject.clone(),
        this_update: certgen::x509_time(now)?,
        next_update: Some(certgen::x509_time(
            now.saturating_add(i64::from(days) * 86_400),
        )?),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(exts),
    };
    let tbs_der = tbs.to_der().map_err(|e| bad(ca_dir, e))?;
    let sig = issuer.key.sign(&tbs_der)?;
    let crl = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: sig_alg,
        signature: BitString::from_bytes(&sig).map_err(|e| bad(ca_dir, e))?,
    };
    let der = crl.to_der().map_err(|e| bad(ca_dir, e))?;
    let pem = pem_rfc7468::encode_string("X509 CRL", pem_rfc7468::LineEnding::LF, &der)
        .map_err(|e| bad(ca_dir, e))?;
    let out = out.map_or_else(|| ca_dir.join(CRL_FILE), Path::to_path_buf);
    crate::fsutil::write_atomic(&out, pem.as_bytes(), None)?;
    crate::fsutil::write_atomic(&number_path, format!("{number}\n").as_bytes(), None)?;
    Ok(out)
}

/// Records `cert_pem` as revoked by the CA in `ca_dir` (only a certificate
/// it issued: issuer name and authorityKeyIdentifier must be the CA's), then
/// writes a fresh CRL as [`create_crl`]. Revoking twice keeps the first entry.
pub fn revoke(
    ca_dir: &Path,
    cert_pem: &[u8],
    reason: RevocationReason,
    days: u32,
    out: Option<&Path>,
    now: i64,
) -> Result<PathBuf, PkiError> {
    let issuer = Issuer::load(ca_dir)?;
    let cert = Certificate::from_pem(cert_pem).map_err(|e| bad(ca_dir, e))?;
    let t = &cert.tbs_certificate;
    let (_, spki) = issuer.name_and_spki()?;
    let ca_key_id = certgen::key_id(&spki)?;
    let aki = t
        .get::<AuthorityKeyIdentifier>()
        .ok()
        .flatten()
        .and_then(|(_, a)| a.key_identifier)
        .map(|k| k.as_bytes().to_vec());
    let ski_of_ca = issuer
        .cert
        .tbs_certificate
        .get::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, s)| s.0.as_bytes().to_vec())
        .unwrap_or(ca_key_id.clone());
    let self_signed = t.subject == t.issuer;
    if t.issuer != issuer.cert.tbs_certificate.subject
        || self_signed
        || aki.is_some_and(|a| a != ski_of_ca && a != ca_key_id)
    {
        return Err(PkiError::NotIssuedBy {
            subject: t.subject.to_string(),
            issuer: issuer.subject(),
        });
    }
    let serial = t.serial_number.as_bytes().to_vec();
    let mut entries = read_entries(ca_dir)?;
    if !entries.iter().any(|e| e.serial == serial) {
        entries.push(Entry {
            serial,
            reason,
            time: now,
        });
        let text: String = entries
            .iter()
            .map(|e| format!("{} {} {}\n", hex(&e.serial), e.reason.name(), e.time))
            .collect();
        crate::fsutil::write_atomic(&ca_dir.join(REVOKED_FILE), text.as_bytes(), None)?;
    }
    create_crl(ca_dir, days, out, now)
}
