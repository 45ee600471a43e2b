//! A parsed SignedData that owns its DER, so that a blob is parsed once.
//!
//! [`parse::SignedData`] borrows the DER it was parsed from, and the engine's
//! check has to own that DER from `prepare` (which needs the parse to know
//! the digests) to `finish` (which needs it again to verify): a struct
//! holding both would borrow from itself. [`ParsedCms`] keeps the result of
//! the one parse as positions in its own DER instead, and
//! [`ParsedCms::view`] hands out the borrowed form again without parsing.

use const_oid::ObjectIdentifier;
use spki::AlgorithmIdentifierOwned;

use super::digests::CmsDigest;
use super::parse::{self, Sid, SignedAttrs, SignedData, SignerInfo};
use crate::engine::{Malformed, SigError};
use crate::Limits;

/// Where a slice of the DER lies in it.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    len: usize,
}

impl Span {
    /// The position of `inner` in `outer`, or `None` when it is not a
    /// part of it.
    fn of(outer: &[u8], inner: &[u8]) -> Option<Self> {
        let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
        (start.checked_add(inner.len())? <= outer.len()).then_some(Self {
            start,
            len: inner.len(),
        })
    }

    fn get(self, outer: &[u8]) -> &[u8] {
        outer
            .get(self.start..self.start.saturating_add(self.len))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
enum SidAt {
    IssuerSerial { issuer: Span, serial: Span },
    Ski(Span),
}

#[derive(Debug, Clone)]
struct AttrsAt {
    raw: Span,
    content_type: Option<ObjectIdentifier>,
    message_digest: Option<Span>,
    signing_time: Option<i64>,
}

#[derive(Debug, Clone)]
struct SignerAt {
    sid: SidAt,
    digest: Option<CmsDigest>,
    digest_oid: ObjectIdentifier,
    attrs: Option<AttrsAt>,
    sig_alg: AlgorithmIdentifierOwned,
    signature: Span,
}

/// A SignedData parsed once, owning its DER.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCms {
    der: Vec<u8>,
    certs: Vec<Span>,
    signers: Vec<SignerAt>,
}

impl ParsedCms {
    /// Parses `der` ([`parse::parse`]: the CMS limits apply).
    pub(crate) fn parse(der: Vec<u8>, limits: &Limits) -> Result<Self, SigError> {
        let (certs, signers) = {
            let sd = parse::parse(&der, limits)?;
            let at = |s: &[u8]| Span::of(&der, s).ok_or_else(outside);
            let certs = sd.certs.iter().map(|c| at(c)).collect::<Result<_, _>>()?;
            let signers = sd
                .signers
                .into_iter()
                .map(|s| {
                    Ok(SignerAt {
                        sid: match s.sid {
                            Sid::IssuerSerial { issuer, serial } => SidAt::IssuerSerial {
                                issuer: at(issuer)?,
                                serial: at(serial)?,
                            },
                            Sid::Ski(ski) => SidAt::Ski(at(ski)?),
                        },
                        digest: s.digest,
                        digest_oid: s.digest_oid,
                        attrs: s
                            .attrs
                            .map(|a| {
                                Ok::<_, SigError>(AttrsAt {
                                    raw: at(a.raw)?,
                                    content_type: a.content_type,
                                    message_digest: a.message_digest.map(at).transpose()?,
                                    signing_time: a.signing_time,
                                })
                            })
                            .transpose()?,
                        sig_alg: s.sig_alg,
                        signature: at(s.signature)?,
                    })
                })
                .collect::<Result<_, SigError>>()?;
            (certs, signers)
        };
        Ok(Self {
            der,
            certs,
            signers,
        })
    }

    /// The parse, borrowed from this DER (no parsing).
    pub(crate) fn view(&self) -> SignedData<'_> {
        let d = self.der.as_slice();
        SignedData {
            certs: self.certs.iter().map(|s| s.get(d)).collect(),
            signers: self
                .signers
                .iter()
                .map(|s| SignerInfo {
                    sid: match s.sid {
                        SidAt::IssuerSerial { issuer, serial } => Sid::IssuerSerial {
                            issuer: issuer.get(d),
                            serial: serial.get(d),
                        },
                        SidAt::Ski(ski) => Sid::Ski(ski.get(d)),
                    },
                    digest: s.digest,
                    digest_oid: s.digest_oid,
                    attrs: s.attrs.as_ref().map(|a| SignedAttrs {
                        raw: a.raw.get(d),
                        content_type: a.content_type,
                        message_digest: a.message_digest.map(|m| m.get(d)),
                        signing_time: a.signing_time,
                    }),
                    sig_alg: s.sig_alg.clone(),
                    signature: s.signature.get(d),
                })
                .collect(),
        }
    }
}

/// A parse result that is not part of the parsed bytes (never, for
/// [`parse::parse`]; refused rather than assumed).
fn outside() -> SigError {
    SigError::Malformed(Malformed::Pkcs7(
        "internal: a parsed element lies outside the signature".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view gives exactly what parsing the same DER again gives.
    #[test]
    fn the_view_is_the_parse() {
        let dir = tempfile::tempdir().unwrap();
        let ca = crate::sign::pki::CaOptions {
            subject: "CN=Owned CA".into(),
            key: crate::sign::pki::KeyType::P256,
            days: 10,
            path_len: None,
            force: false,
        };
        crate::sign::pki::create_ca(dir.path(), &ca, 1_800_000_000).unwrap();
        let cert = std::fs::read(dir.path().join(crate::sign::pki::CERT_FILE)).unwrap();
        let key = std::fs::read(dir.path().join(crate::sign::pki::KEY_FILE)).unwrap();
        let sig = crate::sign::pkcs7::sign(
            crate::Payload::Bytes(b"payload"),
            &cert,
            &key,
            1_800_000_000,
        )
        .unwrap();
        let der = parse::decode_pem_or_der(&sig).unwrap();
        let limits = Limits::default();
        let again = parse::parse(&der, &limits).unwrap();
        let owned = ParsedCms::parse(der.clone(), &limits).unwrap();
        let view = owned.view();
        assert_eq!(format!("{view:?}"), format!("{again:?}"));
        assert_eq!(view.certs, again.certs);
        let (v, a) = (&view.signers[0], &again.signers[0]);
        assert_eq!(v.sid, a.sid);
        assert_eq!(v.signature, a.signature);
        assert!(v.attrs.as_ref().unwrap().message_digest.is_some());
        // A cut signature fails as the parse does.
        let cut = der[..der.len() - 1].to_vec();
        assert_eq!(
            format!("{:?}", ParsedCms::parse(cut.clone(), &limits).unwrap_err()),
            format!("{:?}", parse::parse(&cut, &limits).unwrap_err())
        );
    }

    #[test]
    fn spans_outside_the_der_are_refused() {
        let a = [1u8, 2, 3, 4];
        let b = [5u8, 6];
        assert!(Span::of(&a, &a[1..3]).is_some_and(|s| s.get(&a) == [2, 3]));
        assert!(Span::of(&a, &b).is_none() && Span::of(&b, &a).is_none());
        assert!(Span::of(&a[..2], &a[1..4]).is_none());
    }
}
