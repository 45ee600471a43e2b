//! [`SignError`]: why a blob could not be made, as exact variants with
//! fields. `Display` keeps the wording `jcat-tool` has always printed; a
//! caller that wants to name the file a problem is about asks
//! [`SignError::input`] instead of reading the text.

use crate::model::BlobKind;
use crate::trust::ed25519_raw::Ed25519KeyError;

/// Which of the two key inputs (`sign … CERT PRIVKEY`) an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyInput {
    /// The private or secret key (PRIVKEY).
    PrivateKey,
    /// The certificate or public key (CERT).
    Certificate,
}

/// What is wrong with a certificate or public-key input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertProblem {
    /// The file is not UTF-8 PEM text.
    #[error("the certificate file is not PEM")]
    NotPem,
    /// No `CERTIFICATE` block in the PEM text.
    #[error("no PEM certificate found")]
    NoPemCertificate,
    /// An empty certificate list was passed in.
    #[error("no certificate")]
    Missing,
    /// A keyring file holds no certificate.
    #[error("no certificate in {file}")]
    MissingIn {
        /// The keyring file name (`client.pem`, …).
        file: String,
    },
    /// A certificate's DER does not parse.
    #[error("certificate does not parse: {reason}")]
    Parse {
        /// The parser's message.
        reason: String,
    },
    /// An OpenPGP public key that does not parse.
    #[error("invalid OpenPGP public key: {reason}")]
    InvalidPgp {
        /// The parser's message.
        reason: String,
    },
    /// The input holds no OpenPGP public key.
    #[error("not an OpenPGP public key")]
    NotPgp,
}

/// What is wrong with a private or secret key input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrivateKeyProblem {
    /// A PEM/DER private key that cannot be read or used.
    #[error("unusable private key: {reason}")]
    Unusable {
        /// What failed.
        reason: String,
    },
    /// An OpenPGP secret key that does not parse.
    #[error("invalid OpenPGP secret key: {reason}")]
    InvalidPgp {
        /// The parser's message.
        reason: String,
    },
    /// An armored OpenPGP block of another type (e.g. a public key).
    #[error("expected an OpenPGP secret key, found -----BEGIN {label}-----")]
    WrongPgpBlock {
        /// The armor label found.
        label: String,
    },
    /// Neither an armored nor a binary OpenPGP secret key.
    #[error("not an OpenPGP secret key (armored or binary)")]
    NotPgp,
}

/// What could not be encoded while assembling a signature or certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// The CMS signature or its PEM.
    Signature,
    /// A certificate being generated.
    Certificate,
    /// The RSA-PSS AlgorithmIdentifier parameters.
    RsaPssParameters,
    /// The OpenPGP signature's armor.
    PgpArmor,
    /// An OpenPGP signature packet or subpacket.
    PgpPacket,
    /// A certificate of the test PKI (`testing` only).
    TestPki,
}

/// Errors while creating a blob.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// Reading the payload or a key failed.
    #[error(transparent)]
    Io(#[from] crate::Error),
    /// The certificate or public key cannot be used.
    #[error("{0}")]
    Certificate(CertProblem),
    /// The private or secret key cannot be used.
    #[error("{0}")]
    PrivateKey(PrivateKeyProblem),
    /// Raw Ed25519 key files that cannot be used (including a mismatched pair).
    #[error(transparent)]
    Ed25519Key(#[from] Ed25519KeyError),
    /// The private key does not belong to the certificate.
    #[error("the private key does not match the certificate {subject}")]
    CertKeyMismatch {
        /// The certificate's subject DN.
        subject: String,
    },
    /// The token's key does not belong to the certificate.
    #[error("{uri}: the token's key does not match the certificate {subject}")]
    TokenKeyMismatch {
        /// The key's `pkcs11:` URI.
        uri: String,
        /// The certificate's subject DN.
        subject: String,
    },
    /// The OpenPGP secret key does not belong to the given public key.
    #[error("the OpenPGP secret key {fingerprint} does not belong to the given public key")]
    PgpKeyMismatch {
        /// The secret key's primary fingerprint.
        fingerprint: String,
    },
    /// The OpenPGP key (or every signing subkey) is not valid for signing now.
    #[error("the OpenPGP key {fingerprint} cannot sign: {reason}")]
    PgpCannotSign {
        /// The primary key's fingerprint.
        fingerprint: String,
        /// Why (expired, revoked, no signing flag, …).
        reason: String,
    },
    /// The OpenPGP secret key is protected and the passphrase is wrong or missing.
    #[error("cannot unlock the OpenPGP secret key {fingerprint} (wrong or missing passphrase): {reason}")]
    PgpLocked {
        /// The signing key's fingerprint.
        fingerprint: String,
        /// The OpenPGP library's message.
        reason: String,
    },
    /// Signing with an (unprotected) OpenPGP secret key failed.
    #[error("signing with the OpenPGP secret key {fingerprint} failed: {reason}")]
    PgpSigning {
        /// The signing key's fingerprint.
        fingerprint: String,
        /// The OpenPGP library's message.
        reason: String,
    },
    /// An OpenPGP key version we do not sign with.
    #[error("OpenPGP key version {version} cannot sign")]
    PgpKeyVersion {
        /// The version, as the OpenPGP library names it.
        version: String,
    },
    /// The signing time does not fit OpenPGP's 32-bit timestamps.
    #[error("time {now} is outside OpenPGP's range")]
    PgpTimeRange {
        /// The time asked for.
        now: i64,
    },
    /// The signature just made does not verify with the public key.
    #[error("the new signature does not verify: {reason}")]
    SelfCheck {
        /// The verifier's message.
        reason: String,
    },
    /// Encoding a signature, certificate or parameter failed.
    #[error("{}{reason}", encoding_prefix(*what))]
    Encode {
        /// What was being encoded.
        what: Encoding,
        /// The encoder's message.
        reason: String,
    },
    /// The system's random number generator failed.
    #[error("no randomness: {reason}")]
    Randomness {
        /// The generator's message.
        reason: String,
    },
    /// The kind is not a checksum kind (for [`crate::sign::checksum_blob`]).
    #[error("{0} is not a checksum kind")]
    NotAChecksumKind(BlobKind),
    /// The kind cannot be made with the key given (or at all, by this build).
    #[error("Jcat engine kind '{}' not supported", .0.name().unwrap_or("(null)"))]
    NotSupported(BlobKind),
    /// `--rsa-pss` with a key that is not RSA.
    #[error("--rsa-pss needs an RSA private key")]
    RsaPssNeedsRsa,
    /// The keyring's post-quantum key is not ML-DSA-87.
    #[error("pki/secret-mldsa87.key is not an ML-DSA-87 key")]
    KeyringNotMlDsa87,
    /// A bt-manifest describes a file, not another blob (`--target`).
    #[error("a bt-manifest describes a file, not another blob (--target)")]
    ManifestNeedsFile,
    /// The payload is empty and the engine refuses it (libjcat: `nothing to do`).
    #[error("nothing to do")]
    NothingToDo,
    /// An RSA key below 2048 bits: we refuse to sign with it (and to accept
    /// signatures made with it).
    #[error("refusing to sign with an RSA key of {bits} bits (at least 2048 required)")]
    WeakRsaKey {
        /// The modulus size.
        bits: usize,
    },
    /// [`crate::sign::pkcs7::SignedForm::NoAttributes`] asked of a key that is not ML-DSA.
    #[error("signing without signed attributes is offered for ML-DSA keys only")]
    NoAttributesNeedsMlDsa,
    /// An ML-DSA private key that cannot be used (RFC 9881 section 6 forms
    /// and their consistency).
    #[cfg(feature = "pkcs7")]
    #[error("unusable private key: {0}")]
    MlDsaKey(#[from] crate::sign::pkcs7::MlDsaKeyError),
    /// Signing through a PKCS#11 token failed.
    #[error(transparent)]
    Pkcs11(#[from] crate::sign::pkcs11::Pkcs11Error),
    /// A step that cannot fail did (a bug; the text says which).
    #[error("{0}")]
    Internal(&'static str),
}

fn encoding_prefix(what: Encoding) -> &'static str {
    match what {
        Encoding::Signature => "cannot encode the signature: ",
        Encoding::Certificate => "cannot build certificate: ",
        Encoding::RsaPssParameters => "cannot encode RSA-PSS parameters: ",
        Encoding::PgpArmor => "cannot armor the signature: ",
        Encoding::PgpPacket => "",
        Encoding::TestPki => "cannot build test PKI: ",
    }
}

impl SignError {
    /// Which key input the error is about, if one: the CLI prefixes the
    /// message with that file's name.
    pub fn input(&self) -> Option<KeyInput> {
        match self {
            Self::Certificate(_)
            | Self::Encode {
                what: Encoding::Certificate,
                ..
            } => Some(KeyInput::Certificate),
            Self::PrivateKey(_)
            | Self::PgpSigning { .. }
            | Self::PgpLocked { .. }
            | Self::NoAttributesNeedsMlDsa => Some(KeyInput::PrivateKey),
            #[cfg(feature = "pkcs7")]
            Self::MlDsaKey(_) => Some(KeyInput::PrivateKey),
            Self::Ed25519Key(e) => match e {
                Ed25519KeyError::Mismatch => None,
                Ed25519KeyError::Secret(_) => Some(KeyInput::PrivateKey),
                _ => Some(KeyInput::Certificate),
            },
            _ => None,
        }
    }
}

// The signing engines' constructors: some go unused when an engine is
// not built (features `pkcs7`, `pgp`).
#[cfg_attr(not(all(feature = "pkcs7", feature = "pgp")), allow(dead_code))]
impl SignError {
    /// A certificate problem.
    pub(crate) fn cert(problem: CertProblem) -> Self {
        Self::Certificate(problem)
    }

    /// A certificate that does not parse.
    pub(crate) fn cert_parse(e: impl std::fmt::Display) -> Self {
        Self::Certificate(CertProblem::Parse {
            reason: e.to_string(),
        })
    }

    /// A private key that cannot be used.
    pub(crate) fn unusable_key(e: impl std::fmt::Display) -> Self {
        Self::PrivateKey(PrivateKeyProblem::Unusable {
            reason: e.to_string(),
        })
    }

    /// Encoding `what` failed.
    pub(crate) fn encode<E: std::fmt::Display>(what: Encoding) -> impl Fn(E) -> Self {
        move |e| Self::Encode {
            what,
            reason: e.to_string(),
        }
    }

    /// The random number generator failed.
    pub(crate) fn randomness(e: impl std::fmt::Display) -> Self {
        Self::Randomness {
            reason: e.to_string(),
        }
    }
}
