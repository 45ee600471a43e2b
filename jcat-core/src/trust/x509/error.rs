//! Why an X.509 certification path (or a CRL, or a CMS signer) is refused:
//! one exact variant per rule, with the certificate it concerns.

use super::rank;

/// Which budget of signature checks ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BudgetScope {
    /// The checks allowed for one signature blob ([`crate::Limits::max_signature_checks_per_blob`]).
    Blob,
    /// The checks allowed for one run, across all blobs sharing a trust
    /// store ([`crate::Limits::max_signature_checks_per_run`]).
    Run,
    /// Name-constraint comparisons for one path (a fixed 2^18).
    NameConstraints,
}

/// Why a CRL that was given cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrlProblem {
    /// Its signature does not verify with the issuer's key.
    BadSignature,
    /// The issuer's keyUsage lacks cRLSign.
    IssuerLacksCrlSign,
    /// The CRL has no CRLNumber extension (RFC 5280 5.2.3: MUST be included).
    CrlNumberMissing,
    /// The CRLNumber extension is marked critical (RFC 5280 5.2.3: MUST NOT).
    CrlNumberCritical,
    /// The CRLNumber is negative or longer than 20 octets.
    CrlNumberInvalid,
    /// A critical CRL or entry extension we do not process.
    CriticalExtensionUnknown {
        /// The extension's OID.
        oid: String,
    },
    /// The CRL's signature uses SHA-1 or MD5.
    WeakDigest {
        /// The digest named.
        alg: String,
    },
    /// The CRL does not parse.
    Malformed {
        /// The parser's reason.
        reason: String,
    },
}

impl std::fmt::Display for CrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadSignature => f.write_str("its signature does not verify"),
            Self::IssuerLacksCrlSign => f.write_str("the issuer's keyUsage lacks cRLSign"),
            Self::CrlNumberMissing => f.write_str("it has no CRLNumber extension"),
            Self::CrlNumberCritical => f.write_str("its CRLNumber extension is critical"),
            Self::CrlNumberInvalid => {
                f.write_str("its CRLNumber is negative or longer than 20 octets")
            }
            Self::CriticalExtensionUnknown { oid } => {
                write!(f, "it has an unsupported critical extension {oid}")
            }
            Self::WeakDigest { alg } => write!(f, "it is signed with {alg}"),
            Self::Malformed { reason } => write!(f, "it does not parse: {reason}"),
        }
    }
}

/// A path-validation rule that failed (RFC 5280 §4.2 / §6.1, and our
/// policy on algorithms). Subjects are RFC 4514 strings (`<empty DN>` when empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// A certificate that is not a CA (no basicConstraints cA=TRUE) issued another.
    #[error("{issuer} is not a CA but issued {child}")]
    NotCa {
        /// The would-be issuer.
        issuer: String,
        /// The certificate it issued.
        child: String,
    },
    /// An issuer whose keyUsage lacks keyCertSign.
    #[error("{issuer} may not sign certificates (keyUsage lacks keyCertSign) but issued {child}")]
    KeyCertSignMissing {
        /// The issuer.
        issuer: String,
        /// The certificate it issued.
        child: String,
    },
    /// More non-self-issued CA certificates below an issuer than its pathLenConstraint allows.
    #[error("pathLenConstraint {path_len} of {issuer} is exceeded ({below} intermediate certificates below it)")]
    PathLenExceeded {
        /// The constrained issuer.
        issuer: String,
        /// Its pathLenConstraint.
        path_len: u8,
        /// Intermediate (non-self-issued) certificates below it.
        below: usize,
    },
    /// Strict chain: the signer is a CA certificate.
    #[error("signer {subject} is a CA certificate, not an end-entity certificate (strict chain)")]
    SignerIsCa {
        /// The signer.
        subject: String,
    },
    /// Strict chain: the signer's keyUsage lacks digitalSignature.
    #[error("signer {subject} lacks the digitalSignature key usage (strict chain)")]
    SignerLacksDigitalSignature {
        /// The signer.
        subject: String,
    },
    /// Strict chain: the signer's extKeyUsage lacks codeSigning.
    #[error("signer {subject} lacks the codeSigning extended key usage (strict chain)")]
    SignerLacksCodeSigning {
        /// The signer.
        subject: String,
    },
    /// A critical extension we do not process (RFC 5280 4.2: MUST reject).
    #[error("certificate {subject} has an unsupported critical extension {oid}")]
    CriticalExtensionUnknown {
        /// The certificate.
        subject: String,
        /// The extension's OID.
        oid: String,
    },
    /// Two extensions with the same OID (RFC 5280 4.2: MUST NOT).
    #[error("certificate {subject} has the extension {oid} more than once")]
    DuplicateExtension {
        /// The certificate.
        subject: String,
        /// The repeated OID.
        oid: String,
    },
    /// The inner `signature` algorithm differs from the outer `signatureAlgorithm`.
    #[error("certificate {subject} names two different signature algorithms")]
    SignatureAlgorithmMismatch {
        /// The certificate.
        subject: String,
    },
    /// A certificate (or CMS signature) made with SHA-1 or MD5.
    #[error("certificate {subject} is signed with the weak digest {alg}")]
    WeakDigest {
        /// The certificate (or signer).
        subject: String,
        /// The digest.
        alg: String,
    },
    /// An RSA key below 2048 bits.
    #[error("certificate {subject} has an RSA key of {bits} bits (at least 2048 required)")]
    WeakRsaKey {
        /// The certificate.
        subject: String,
        /// The modulus size.
        bits: usize,
    },
    /// An EC key on a curve we do not support, or with explicit parameters.
    #[error("certificate {subject} has an EC key on an unsupported curve ({curve})")]
    UnsupportedCurve {
        /// The certificate.
        subject: String,
        /// The curve OID, or `explicit parameters`.
        curve: String,
    },
    /// A public key algorithm we do not accept (DSA, …).
    #[error("certificate {subject} has an unsupported public key algorithm {alg}")]
    UnsupportedKey {
        /// The certificate.
        subject: String,
        /// The algorithm OID.
        alg: String,
    },
    /// An Ed25519 public key of small order or in non-canonical encoding.
    #[error("certificate {subject} has a weak Ed25519 public key")]
    WeakEd25519Key {
        /// The certificate.
        subject: String,
    },
    /// An ML-DSA public key with parameters or of the wrong length (RFC 9881 §4).
    #[error("certificate {subject} has an invalid {set} key: {reason}")]
    MlDsaKey {
        /// The certificate.
        subject: String,
        /// The parameter set its algorithm OID names.
        set: crate::x509::mldsa::MlDsaSet,
        /// What is wrong.
        reason: &'static str,
    },
    /// An ML-DSA certificate whose keyUsage breaks RFC 9881 §5 (an
    /// encipherment or agreement bit, or no signing bit at all).
    #[error("certificate {subject} has an ML-DSA key with keyUsage {usage} (RFC 9881 section 5)")]
    MlDsaKeyUsage {
        /// The certificate.
        subject: String,
        /// The offending bit, or `no signing bit`.
        usage: &'static str,
    },
    /// An ML-DSA signature algorithm identifier with parameters (RFC 9881 §2,
    /// RFC 9882 §3: they must be absent).
    #[error("{what} uses {set} with parameters (they must be absent)")]
    MlDsaParameters {
        /// The certificate, CRL or CMS signer.
        what: String,
        /// The parameter set.
        set: crate::x509::mldsa::MlDsaSet,
    },
    /// A CMS signer whose signature algorithm names one ML-DSA set while its
    /// key is another algorithm or set.
    #[error(
        "PKCS7 signature algorithm {set} does not match the signer key {key_alg} of {subject}"
    )]
    MlDsaKeyMismatch {
        /// The signer certificate.
        subject: String,
        /// The set the signature algorithm names.
        set: crate::x509::mldsa::MlDsaSet,
        /// The key's algorithm OID.
        key_alg: String,
    },
    /// An ML-DSA CMS signature of the wrong length for its set.
    #[error("{set} signature of {len} bytes (expected {expected})")]
    MlDsaSignatureLength {
        /// The parameter set.
        set: crate::x509::mldsa::MlDsaSet,
        /// The length found.
        len: usize,
        /// The set's length.
        expected: usize,
    },
    /// A CMS digest algorithm RFC 9882 Table 2 does not list as suitable
    /// for the ML-DSA parameter set.
    #[error("PKCS7 digest algorithm {digest} is not suitable for {set} (RFC 9882 Table 2)")]
    MlDsaDigestUnsuitable {
        /// The parameter set.
        set: crate::x509::mldsa::MlDsaSet,
        /// The digest named.
        digest: String,
    },
    /// A messageDigest of the wrong length for its algorithm.
    #[error("messageDigest of {len} bytes for {digest} (expected {expected})")]
    MessageDigestLength {
        /// The digest algorithm.
        digest: String,
        /// The length found.
        len: usize,
        /// The algorithm's output length.
        expected: usize,
    },
    /// A name of a certificate lies outside a permitted subtree or inside an excluded one.
    #[error(
        "certificate {subject}: name {name} violates the name constraints of {constrained_by}"
    )]
    NameConstraintViolation {
        /// The certificate carrying the name.
        subject: String,
        /// The name (`DNS:…`, `IP:…`, `email:…`, `DN:…`).
        name: String,
        /// The CA whose constraints it breaks.
        constrained_by: String,
    },
    /// A name constraint we cannot evaluate (an unsupported form in a
    /// critical extension, a malformed IP mask or DNS pattern), or names in
    /// a certificate we cannot check against it.
    #[error("certificate {subject} has a name constraint we cannot process: {form}")]
    NameConstraintUnsupported {
        /// The constrained CA.
        subject: String,
        /// What is unsupported or malformed.
        form: String,
    },
    /// nameConstraints in an end-entity certificate (RFC 5280 4.2.1.10: CA only).
    #[error("certificate {subject} is not a CA but carries name constraints")]
    NameConstraintsInEndEntity {
        /// The certificate.
        subject: String,
    },
    /// A serial number that is zero, negative or longer than 20 octets.
    #[error("certificate {subject} has an invalid serial number ({reason})")]
    InvalidSerial {
        /// The certificate.
        subject: String,
        /// `not positive` or `longer than 20 octets`.
        reason: &'static str,
    },
    /// A CA certificate with an empty subject, or any certificate with an empty issuer.
    #[error("certificate {subject} has an empty {field}")]
    EmptyName {
        /// The certificate.
        subject: String,
        /// `subject` or `issuer`.
        field: &'static str,
    },
    /// keyCertSign asserted without cA=TRUE (RFC 5280 4.2.1.3), or cA=TRUE
    /// with keyUsage lacking keyCertSign, or pathLenConstraint without both.
    #[error("certificate {subject} has inconsistent basicConstraints and keyUsage")]
    InconsistentCaExtensions {
        /// The certificate.
        subject: String,
    },
    /// An extension with the wrong criticality (basicConstraints of a CA
    /// non-critical; AKI, SKI, AIA critical; policyConstraints non-critical).
    #[error("certificate {subject}: extension {extension} must be {must_be}")]
    WrongCriticality {
        /// The certificate.
        subject: String,
        /// The extension's name.
        extension: &'static str,
        /// `critical` or `non-critical`.
        must_be: &'static str,
    },
    /// A subjectAltName entry that is not well formed (a dNSName that is
    /// not a hostname or is an IP address).
    #[error("certificate {subject} has an invalid subjectAltName {name}")]
    InvalidSubjectAltName {
        /// The certificate.
        subject: String,
        /// The entry.
        name: String,
    },
    /// A required key identifier is missing (AKI in a certificate not
    /// self-signed; SKI in a CA certificate).
    #[error("certificate {subject} lacks the {extension} extension")]
    MissingKeyIdentifier {
        /// The certificate.
        subject: String,
        /// `authorityKeyIdentifier` or `subjectKeyIdentifier`.
        extension: &'static str,
    },
    /// An extKeyUsage extension with no purposes.
    #[error("certificate {subject} has an empty extKeyUsage")]
    EmptyExtKeyUsage {
        /// The certificate.
        subject: String,
    },
    /// The path is longer than [`crate::Limits::max_chain_depth`].
    #[error("certificate chain is longer than max_chain_depth of {max}")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// The budget of signature checks ran out: the blob FAILS (never an
    /// unrelated reason). Fatal.
    #[error("certificate path search gave up after {checks} signature checks (limit {max} per {})", match scope { BudgetScope::Blob => "signature", BudgetScope::Run => "run", BudgetScope::NameConstraints => "path in name-constraint comparisons" })]
    BudgetExhausted {
        /// Checks made.
        checks: usize,
        /// The limit.
        max: usize,
        /// Which budget.
        scope: BudgetScope,
    },
    /// A CRL given by the user for this issuer cannot be used (fail closed).
    #[error("CRL issued by {issuer} cannot be used: {problem}")]
    CrlUnusable {
        /// The CRL issuer named in the CRL.
        issuer: String,
        /// Why.
        problem: CrlProblem,
    },
    /// A certificate on the path expired before the verification time.
    #[error("certificate {subject} expired on {}", crate::time::date(*not_after))]
    CertExpired {
        /// Its subject.
        subject: String,
        /// Its notAfter, unix seconds.
        not_after: i64,
        /// The verification time.
        at: i64,
    },
    /// A certificate on the path is not valid yet.
    #[error("certificate {subject} is not valid before {}", crate::time::date(*not_before))]
    CertNotYetValid {
        /// Its subject.
        subject: String,
        /// Its notBefore, unix seconds.
        not_before: i64,
        /// The verification time.
        at: i64,
    },
    /// A certificate revoked by a CRL of its issuer.
    #[error("certificate {subject} (serial {serial}) was revoked on {} by {by}{}", crate::time::date(*on), reason.map(|r| format!(" (reason: {r})")).unwrap_or_default())]
    Revoked {
        /// Its subject.
        subject: String,
        /// Its serial number, hex.
        serial: String,
        /// The revocation date, unix seconds.
        on: i64,
        /// The CRL issuer.
        by: String,
        /// The entry's reason code name, if any.
        reason: Option<&'static str>,
    },
    /// A CRL past its nextUpdate.
    #[error("CRL issued by {issuer} is out of date (nextUpdate {})", crate::time::date(*next_update))]
    CrlStale {
        /// The CRL issuer.
        issuer: String,
        /// Its nextUpdate, unix seconds.
        next_update: i64,
        /// The verification time.
        at: i64,
    },
    /// A certificate on a candidate path is not signed by the next one.
    #[error("certificate {child} is not validly signed by {issuer}")]
    BadLinkSignature {
        /// The certificate whose signature fails.
        child: String,
        /// The would-be issuer.
        issuer: String,
    },
    /// No candidate path from the signer reaches a trusted certificate.
    #[error("no trusted certificate for signer {subject} issued by {issuer}")]
    NoTrustedPath {
        /// The signer's subject.
        subject: String,
        /// Its issuer.
        issuer: String,
    },
    /// A CMS signingTime later than the verification time plus the allowed skew.
    #[error("signing time {} is later than the verification time {} (allowed skew {}s)", crate::time::date(*signing_time), crate::time::date(*at), crate::trust::x509::chain::SIGNING_TIME_SKEW)]
    SigningTimeInFuture {
        /// The signingTime, unix seconds.
        signing_time: i64,
        /// The verification time, unix seconds.
        at: i64,
    },
}

impl ChainError {
    /// Budget exhaustion ends the whole blob at once.
    pub fn is_fatal(&self) -> bool {
        matches!(self, Self::BudgetExhausted { .. })
    }

    /// How specific the error is when several candidate paths fail (see
    /// [`rank`]); the engine's `SigError::rank` uses the same scale.
    pub fn rank(&self) -> u8 {
        match self {
            e if e.is_fatal() => rank::FATAL,
            Self::Revoked { .. } => rank::REVOKED,
            Self::CertExpired { .. }
            | Self::CertNotYetValid { .. }
            | Self::CrlStale { .. }
            | Self::SigningTimeInFuture { .. } => rank::TIME,
            Self::BadLinkSignature { .. } => rank::BAD_SIGNATURE,
            Self::NoTrustedPath { .. } => rank::UNTRUSTED,
            _ => rank::RULE,
        }
    }
}
