//! The detail enums carried by [`SigError`](super::SigError): one variant per
//! message the engines print today, so a caller can match on the reason
//! instead of parsing a string. Each `Display` is the exact text printed
//! after `FAILED kind:`. A `String` field only carries text from a parser
//! we do not own (a DER walker's or the `pgp` crate's own error message).

use crate::model::BlobKind;

/// Why a blob does not parse as a signature of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// The PKCS#7 DER walk failed (the walker's reason).
    #[error("failed to parse PKCS7 signature: {0}")]
    Pkcs7(String),
    /// Neither a DER SEQUENCE nor UTF-8 text.
    #[error("PKCS7 signature is neither DER nor PEM")]
    Pkcs7NotDerOrPem,
    /// Text without a `PKCS7` or `CMS` PEM block.
    #[error("no -----BEGIN PKCS7----- (or CMS) PEM block found")]
    Pkcs7NoPemBlock,
    /// A ContentInfo that is not signedData (the OID found).
    #[error("PKCS7 content type {0} is not signedData")]
    Pkcs7NotSignedData(String),
    /// A SignedData without SignerInfos.
    #[error("no PKCS7 signatures found")]
    Pkcs7NoSigners,
    /// Signed attributes without contentType.
    #[error("signed attributes lack contentType")]
    Pkcs7NoContentType,
    /// Signed attributes without messageDigest.
    #[error("signed attributes lack messageDigest")]
    Pkcs7NoMessageDigest,
    /// The one pass did not compute a digest the check needs (internal).
    #[error("the payload digest was not computed")]
    DigestNotComputed,
    /// An Ed25519 signature of the wrong length.
    #[error("an Ed25519 signature is 64 bytes, not {0}")]
    Ed25519Length(usize),
    /// An empty OpenPGP blob.
    #[error("empty OpenPGP signature")]
    PgpEmpty,
    /// Neither armor nor binary packets.
    #[error("not an OpenPGP signature: neither ASCII armor nor binary packets")]
    PgpNotOpenPgp,
    /// An armor block of another kind (its label).
    #[error("expected a detached signature, found -----BEGIN {0}-----")]
    PgpArmorLabel(String),
    /// The armor does not decode (the `pgp` crate's reason).
    #[error("invalid OpenPGP armor: {0}")]
    PgpArmor(String),
    /// A packet does not parse (the `pgp` crate's reason).
    #[error("invalid OpenPGP signature: {0}")]
    PgpPacket(String),
    /// A packet that has no place in a detached signature (its tag).
    #[error("unexpected OpenPGP {0} packet in a detached signature")]
    PgpUnexpectedPacket(String),
    /// A signature whose type is not a data signature (its type).
    #[error("an OpenPGP signature of type {0} is not a detached data signature")]
    PgpNotDataSignature(String),
    /// No signature packet at all (libjcat's gpgme wording).
    #[error("no signatures from libgpgme")]
    PgpNoSignatures,
    /// The signature's hashed data cannot be hashed (the `pgp` crate's reason).
    #[error("cannot hash the OpenPGP signature: {0}")]
    PgpHash(String),
    /// The one pass did not compute the digest an OpenPGP signature needs.
    #[error("the payload's {0} digest was not computed")]
    PgpDigestNotComputed(String),
    /// A signature packet without signature data.
    #[error("OpenPGP signature without signature data")]
    PgpNoSignatureData,
}

/// A valid structure we refuse to judge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// A SignedData that carries its own content.
    #[error("the PKCS7 signature carries its own content; only detached signatures are accepted")]
    Pkcs7EmbeddedContent,
    /// Signed attributes whose contentType is not id-data (the OID found).
    #[error("signed content type {0} is not id-data")]
    Pkcs7ContentType(String),
    /// A cleartext-signed OpenPGP message.
    #[error("a cleartext-signed message (-----BEGIN PGP SIGNED MESSAGE-----) is not a detached signature")]
    PgpCleartext,
    /// An armored OpenPGP message.
    #[error("an OpenPGP message (-----BEGIN PGP MESSAGE-----) is not a detached signature: inline-signed data is refused")]
    PgpMessage,
    /// OpenPGP data with a literal data packet.
    #[error("not a detached signature: the OpenPGP data carries literal data (an inline-signed message)")]
    PgpLiteralData,
    /// A compressed OpenPGP message.
    #[error("not a detached signature: the OpenPGP data is a compressed message")]
    PgpCompressed,
    /// A one-pass signed OpenPGP message.
    #[error("not a detached signature: the OpenPGP data is a one-pass signed message")]
    PgpOnePass,
}

/// An algorithm or form we do not implement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unsupported {
    /// The blob kind is not a signature kind.
    #[error("{0} is not a signature kind")]
    NotASignatureKind(BlobKind),
    /// A CMS digest algorithm (its OID).
    #[error("PKCS7 digest algorithm {0} is not supported")]
    Pkcs7Digest(String),
    /// A public-key algorithm or parameter the verifier lacks (its reason).
    #[error("{0}")]
    Key(String),
    /// An OpenPGP signature version (as the `pgp` crate names it).
    #[error("OpenPGP signature version {0} is not supported")]
    PgpVersion(String),
    /// An OpenPGP signature of no known version.
    #[error("unknown OpenPGP signature version")]
    PgpUnknownVersion,
    /// Text-mode OpenPGP signatures.
    #[error("text-mode OpenPGP signatures (type 0x01) are not supported")]
    PgpTextMode,
    /// A build without the `pgp` feature.
    #[error("gpg signatures need jcat-core's `pgp` feature")]
    PgpFeature,
    /// A build without the `pkcs7` feature.
    #[error("pkcs7 signatures need jcat-core's `pkcs7` feature")]
    Pkcs7Feature,
    /// An OpenPGP hash algorithm (its name).
    #[error("OpenPGP hash algorithm {0} is not supported")]
    PgpHash(String),
}

/// Which parser limit was exceeded (see [`crate::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitName {
    /// [`crate::Limits::max_signature_size`].
    SignatureSize,
    /// [`crate::Limits::max_cms_certificates`].
    CmsCertificates,
    /// [`crate::Limits::max_cms_signers`].
    CmsSigners,
    /// The fixed number of OpenPGP signatures in one blob.
    PgpSignatures,
}

/// Who is named as the signer that no trusted key or certificate matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signer {
    /// An Ed25519 signature when the keyring holds no Ed25519 key.
    NoKeys,
    /// A CMS signer named by issuer and serial (RFC 4514 issuer, hex serial).
    IssuerSerial {
        /// The issuer DN (`<empty DN>` / `<invalid DN>` when so).
        issuer: String,
        /// The serial number, hex.
        serial: String,
    },
    /// A CMS signer named by subjectKeyIdentifier (hex).
    Ski(String),
    /// A signer certificate found, whose path reaches no trusted certificate.
    Certificate {
        /// Its subject.
        subject: String,
        /// Its issuer.
        issuer: String,
    },
}

impl std::fmt::Display for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoKeys => f.write_str("no keys in keyring"),
            Self::IssuerSerial { issuer, serial } => write!(
                f,
                "no trusted certificate for signer issued by {issuer} with serial {serial}"
            ),
            Self::Ski(ski) => write!(
                f,
                "no trusted certificate for signer with subject key identifier {ski}"
            ),
            Self::Certificate { subject, issuer } => write!(
                f,
                "no trusted certificate for signer {subject} issued by {issuer}"
            ),
        }
    }
}

/// Whose signature failed the cryptographic check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignedBy {
    /// None of the trusted (Ed25519) keys made it.
    AnyTrustedKey,
    /// A CMS signer certificate (subject and issuer DN).
    Certificate {
        /// The signer certificate's subject.
        subject: String,
        /// Its issuer.
        issuer: String,
    },
    /// A certificate on a candidate path is not signed by the next one.
    Issuer {
        /// The certificate whose signature fails.
        child: String,
        /// The would-be issuer.
        issuer: String,
    },
}

impl std::fmt::Display for SignedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AnyTrustedKey => f.write_str("failed to verify data"),
            Self::Certificate { subject, issuer } => write!(
                f,
                "signature by {subject} (issuer {issuer}) does not verify"
            ),
            Self::Issuer { child, issuer } => {
                write!(f, "certificate {child} is not validly signed by {issuer}")
            }
        }
    }
}
