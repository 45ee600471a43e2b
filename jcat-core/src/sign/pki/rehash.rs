//! `rehash DIR`: OpenSSL subject-hash links (`<hash>.0`, `.1` on collision;
//! `<hash>.r0` for CRLs), as `c_rehash` / `openssl rehash` make them.

use std::path::{Path, PathBuf};

use der::{Decode, DecodePem, Encode};
use x509_cert::name::Name;

use super::PkiError;
use crate::digest::{digest, DigestAlg};

/// OpenSSL's `X509_NAME_hash` (the "new" hash, OpenSSL ≥ 1.0): SHA-1 of the
/// canonical encoding of `name_der`, first four octets little-endian.
///
/// Canonical encoding (OpenSSL `x509_name_canon`): each RDN as a DER SET,
/// concatenated without the outer SEQUENCE; string values (UTF8, Printable,
/// T61, IA5, BMP, Universal, Visible) become UTF8String, with leading and
/// trailing white space removed, inner runs of white space made one space
/// and ASCII letters lowercased.
pub fn subject_hash(name_der: &[u8]) -> Result<u32, PkiError> {
    let name = Name::from_der(name_der).map_err(|e| PkiError::BadName {
        reason: e.to_string(),
    })?;
    let mut canon = Vec::new();
    for rdn in name.0.iter() {
        let mut atvs: Vec<Vec<u8>> = Vec::new();
        for atv in rdn.0.iter() {
            let oid = crate::sign::pkcs7::oid(atv.oid);
            let value = match canon_string(der::Tagged::tag(&atv.value).octet(), atv.value.value())
            {
                Some(text) => crate::sign::pkcs7::tlv(0x0c, &text),
                None => atv.value.to_der().map_err(|e| PkiError::BadName {
                    reason: e.to_string(),
                })?,
            };
            atvs.push(crate::sign::pkcs7::tlv(0x30, &[oid, value].concat()));
        }
        canon.extend(crate::sign::pkcs7::set_of(atvs));
    }
    let md = digest(DigestAlg::Sha1, &canon);
    let b = |i: usize| u32::from(md.get(i).copied().unwrap_or(0));
    Ok(b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24))
}

/// The canonical UTF-8 of a string value, `None` for non-string types.
fn canon_string(tag: u8, value: &[u8]) -> Option<Vec<u8>> {
    let utf8: Vec<u8> = match tag {
        // UTF8String, PrintableString, T61String, IA5String, VisibleString:
        // bytes as they are (OpenSSL treats T61 as Latin-1; ASCII is the same).
        0x0c | 0x13 | 0x16 | 0x1a => value.to_vec(),
        0x14 => value
            .iter()
            .map(|&b| char::from(b))
            .collect::<String>()
            .into_bytes(),
        // BMPString: UTF-16BE.
        0x1e => {
            let units: Vec<u16> = value
                .chunks(2)
                .map(|c| {
                    u16::from_be_bytes([
                        c.first().copied().unwrap_or(0),
                        c.get(1).copied().unwrap_or(0),
                    ])
                })
                .collect();
            String::from_utf16_lossy(&units).into_bytes()
        }
        // UniversalString: UTF-32BE.
        0x1c => value
            .chunks(4)
            .map(|c| {
                let mut a = [0u8; 4];
                for (d, s) in a.iter_mut().zip(c) {
                    *d = *s;
                }
                char::from_u32(u32::from_be_bytes(a)).unwrap_or('\u{fffd}')
            })
            .collect::<String>()
            .into_bytes(),
        _ => return None,
    };
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let trimmed: &[u8] = {
        let start = utf8.iter().position(|b| !space(*b)).unwrap_or(utf8.len());
        let end = utf8
            .iter()
            .rposition(|b| !space(*b))
            .map_or(start, |e| e + 1);
        utf8.get(start..end).unwrap_or_default()
    };
    let mut out = Vec::with_capacity(trimmed.len());
    let mut in_space = false;
    for &b in trimmed {
        if space(b) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            in_space = false;
            out.push(if b < 0x80 { b.to_ascii_lowercase() } else { b });
        }
    }
    Some(out)
}

/// What one file in the directory holds (its first PEM block).
enum Holds {
    Cert(Vec<u8>),
    Crl(Vec<u8>),
}

fn holds(path: &Path) -> Option<Holds> {
    let bytes = std::fs::read(path).ok()?;
    let cert = x509_cert::Certificate::from_pem(&bytes)
        .or_else(|_| x509_cert::Certificate::from_der(&bytes));
    if let Ok(c) = cert {
        return Some(Holds::Cert(c.tbs_certificate.subject.to_der().ok()?));
    }
    let der = match pem_rfc7468::decode_vec(&bytes) {
        Ok(("X509 CRL", der)) => der,
        Ok(_) => return None,
        Err(_) => bytes,
    };
    let crl = x509_cert::crl::CertificateList::from_der(&der);
    crl.ok()
        .and_then(|c| c.tbs_cert_list.issuer.to_der().ok())
        .map(Holds::Crl)
}

/// A link name `c_rehash` made: eight hex digits, `.`, optional `r`, digits.
fn is_hash_link(name: &str) -> bool {
    let Some((h, n)) = name.split_once('.') else {
        return false;
    };
    let n = n.strip_prefix('r').unwrap_or(n);
    h.len() == 8
        && h.bytes().all(|b| b.is_ascii_hexdigit())
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
}

/// Makes `<hash>.N` symbolic links in `dir` for every certificate file
/// (`.pem`, `.crt`, `.cer`, `.der`) and `<hash>.rN` for every CRL (`.crl`,
/// `.pem`), replacing the hash links that were there; files with identical
/// contents get one link. Returns the (link, target) pairs made, sorted.
pub fn rehash(dir: &Path) -> Result<Vec<(PathBuf, String)>, PkiError> {
    let io = |e| PkiError::Io(crate::Error::io(dir, e));
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ty = entry.file_type().map_err(io)?;
        if is_hash_link(&name) {
            if ty.is_symlink() {
                std::fs::remove_file(entry.path()).map_err(io)?;
            }
            continue;
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if matches!(ext.as_deref(), Some("pem" | "crt" | "cer" | "der" | "crl"))
            && entry.path().is_file()
        {
            names.push(name);
        }
    }
    names.sort();
    let mut made: Vec<(String, Vec<u8>)> = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let (subject, crl) = match holds(&path) {
            Some(Holds::Cert(s)) => (s, false),
            Some(Holds::Crl(s)) => (s, true),
            None => continue,
        };
        let contents = std::fs::read(&path).map_err(io)?;
        let hash = subject_hash(&subject)?;
        let stem = format!("{hash:08x}.{}", if crl { "r" } else { "" });
        if made
            .iter()
            .any(|(l, c)| l.starts_with(&stem) && *c == contents)
        {
            continue;
        }
        let n = made
            .iter()
            .filter(|(l, _)| {
                l.strip_prefix(&stem)
                    .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
            })
            .count();
        let link = format!("{stem}{n}");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&name, dir.join(&link)).map_err(io)?;
        #[cfg(not(unix))]
        std::fs::copy(&path, dir.join(&link)).map_err(io)?;
        made.push((link.clone(), contents));
        out.push((dir.join(link), name));
    }
    Ok(out)
}
