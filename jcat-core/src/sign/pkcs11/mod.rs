//! Signing with keys held in PKCS#11 tokens and HSMs (`sign … CERT PRIVKEY`
//! with PRIVKEY, and optionally CERT, an RFC 7512 `pkcs11:` URI).
//!
//! The payload is digested here, streamed as for file keys; only the digest
//! of the CMS signed attributes goes to the device: RSA PKCS#1 v1.5
//! (`CKM_RSA_PKCS` over a DigestInfo) or RSA-PSS (`CKM_RSA_PKCS_PSS`,
//! SHA-256, MGF1-SHA-256, 32-octet salt), ECDSA P-256/SHA-256 or
//! P-384/SHA-384 (`CKM_ECDSA`). Every device signature is verified against
//! the certificate before it is used, so a key that is not the
//! certificate's is refused ([`super::SignError::TokenKeyMismatch`]).
//!
//! The module is loaded at run time (the `pkcs11` cargo feature, on by
//! default; without it [`Pkcs11Error::Disabled`]). The PIN is the URI's
//! `pin-value`, else the contents of its `pin-source` file, else the one the
//! caller passes (jcat-tool: `JCAT_PIN`); errors name the URI, never the PIN.

#[cfg(feature = "pkcs11")]
mod key;
#[cfg(feature = "pkcs11")]
mod session;
mod uri;

use std::path::PathBuf;

#[cfg(feature = "pkcs11")]
pub use key::{sign, DeviceKey};
#[cfg(feature = "pkcs11")]
pub use session::{Module, TokenSession};
pub use uri::{is_pkcs11_uri, ObjectType, Pkcs11Uri, UriError, SCHEME};

/// Why signing through PKCS#11 failed. `uri` fields are the URI as given,
/// `pin-value` redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The URI does not parse.
    #[error("{given}: bad pkcs11: URI: {reason}")]
    BadUri {
        /// The argument, `pin-value` cut off.
        given: String,
        /// Why.
        reason: UriError,
    },
    /// jcat was built without the `pkcs11` feature.
    #[error("{uri}: PKCS#11 support is not built in (cargo feature pkcs11)")]
    Disabled {
        /// The URI.
        uri: String,
    },
    /// No module was named (`--pkcs11-module`, `JCAT_PKCS11_MODULE` or the
    /// URI's `module-path`).
    #[error("{uri}: no PKCS#11 module given (use --pkcs11-module or JCAT_PKCS11_MODULE)")]
    NoModule {
        /// The URI.
        uri: String,
    },
    /// The module cannot be loaded or initialised.
    #[error("cannot load the PKCS#11 module {}: {reason}", module.display())]
    ModuleLoad {
        /// The module path.
        module: PathBuf,
        /// The loader's reason.
        reason: String,
    },
    /// No token matches the URI's token attributes.
    #[error("{uri}: no token matches")]
    TokenNotFound {
        /// The URI.
        uri: String,
    },
    /// No object of the class matches the URI.
    #[error("{uri}: no {class} matches on the token")]
    ObjectNotFound {
        /// The URI.
        uri: String,
        /// `private key`, `certificate`.
        class: &'static str,
    },
    /// More than one object matches: the URI must say which.
    #[error("{uri}: {count} objects of class {class} match (add object= or id=)")]
    Ambiguous {
        /// The URI.
        uri: String,
        /// `private key`, `certificate`.
        class: &'static str,
        /// How many matched.
        count: usize,
    },
    /// The token needs a PIN and none was given.
    #[error("{uri}: the token needs a PIN (set JCAT_PIN, or pin-value/pin-source in the URI)")]
    NoPin {
        /// The URI.
        uri: String,
    },
    /// The `pin-source` file cannot be read.
    #[error("{uri}: cannot read the pin-source {}: {reason}", path.display())]
    PinSource {
        /// The URI.
        uri: String,
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The token refused the PIN.
    #[error("{uri}: the PIN is wrong")]
    WrongPin {
        /// The URI.
        uri: String,
    },
    /// The token's PIN is locked after too many wrong tries.
    #[error("{uri}: the PIN is locked")]
    PinLocked {
        /// The URI.
        uri: String,
    },
    /// A key type or curve we cannot sign with.
    #[error("{uri}: unsupported key type {key_type} (expected RSA, or EC on P-256 or P-384)")]
    UnsupportedKeyType {
        /// The URI.
        uri: String,
        /// What the token holds.
        key_type: String,
    },
    /// `--rsa-pss` with a key that is not RSA.
    #[error("{uri}: --rsa-pss needs an RSA key, the token holds {key_type}")]
    PssNeedsRsa {
        /// The URI.
        uri: String,
        /// What the token holds.
        key_type: String,
    },
    /// A device operation failed.
    #[error("{uri}: {operation} failed: {reason}")]
    Device {
        /// The URI.
        uri: String,
        /// What was being done (`C_Sign`, `C_FindObjects`, …).
        operation: &'static str,
        /// The module's reason.
        reason: String,
    },
}

/// Parses a `pkcs11:` argument; the error names it with `pin-value` cut.
pub fn parse_uri(given: &str) -> Result<Pkcs11Uri, Pkcs11Error> {
    Pkcs11Uri::parse(given).map_err(|reason| Pkcs11Error::BadUri {
        given: given
            .split_once("pin-value")
            .map_or(given, |(head, _)| head)
            .to_owned(),
        reason,
    })
}

/// The PIN to log in with: the URI's `pin-value`, else its `pin-source`
/// file (trailing newline removed), else `fallback` (jcat-tool: `JCAT_PIN`).
pub fn resolve_pin(uri: &Pkcs11Uri, fallback: Option<&str>) -> Result<Option<String>, Pkcs11Error> {
    if let Some(pin) = uri.pin_value() {
        return Ok(Some(pin.to_owned()));
    }
    if let Some(path) = &uri.pin_source {
        let text = std::fs::read_to_string(path).map_err(|e| Pkcs11Error::PinSource {
            uri: uri.to_string(),
            path: path.clone(),
            reason: e.to_string(),
        })?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()));
    }
    Ok(fallback.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pin_comes_from_the_uri_first_then_the_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pin");
        std::fs::write(&file, "4321\n").unwrap();
        let with_value = Pkcs11Uri::parse("pkcs11:token=t?pin-value=1111").unwrap();
        assert_eq!(
            resolve_pin(&with_value, Some("9")).unwrap().as_deref(),
            Some("1111")
        );
        let with_source =
            Pkcs11Uri::parse(&format!("pkcs11:token=t?pin-source={}", file.display())).unwrap();
        assert_eq!(
            resolve_pin(&with_source, Some("9")).unwrap().as_deref(),
            Some("4321")
        );
        let plain = Pkcs11Uri::parse("pkcs11:token=t").unwrap();
        assert_eq!(
            resolve_pin(&plain, Some("9")).unwrap().as_deref(),
            Some("9")
        );
        assert_eq!(resolve_pin(&plain, None).unwrap(), None);
        let missing = Pkcs11Uri::parse("pkcs11:token=t?pin-source=/nonexistent/pin").unwrap();
        assert!(matches!(
            resolve_pin(&missing, None),
            Err(Pkcs11Error::PinSource { .. })
        ));
    }

    #[test]
    fn a_bad_uri_is_named_without_its_pin() {
        let e = parse_uri("pkcs11:bogus=1;pin-value=7777").unwrap_err();
        assert!(
            matches!(
                &e,
                Pkcs11Error::BadUri {
                    reason: UriError::UnknownAttribute { .. },
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!e.to_string().contains("7777"), "{e}");
    }
}
