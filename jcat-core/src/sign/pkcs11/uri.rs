//! RFC 7512 `pkcs11:` URIs: the token and object attributes that select a
//! key or certificate, and the PIN and module attributes of the query.
//!
//! `pin-value` is kept out of [`Pkcs11Uri`]'s `Debug` and `Display` (which
//! errors use to name the URI), so it is never printed.

use std::path::PathBuf;

/// The scheme prefix.
pub const SCHEME: &str = "pkcs11:";

/// Why a `pkcs11:` URI does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// It does not start with `pkcs11:`.
    #[error("not a pkcs11: URI")]
    NotPkcs11,
    /// An attribute without `=`.
    #[error("attribute '{attr}' has no value (expected name=value)")]
    NoValue {
        /// The attribute as written.
        attr: String,
    },
    /// A `%` not followed by two hex digits.
    #[error("attribute '{attr}': bad percent-encoding")]
    BadPercent {
        /// The attribute's name.
        attr: String,
    },
    /// A text attribute that is not UTF-8 once decoded.
    #[error("attribute '{attr}' is not UTF-8 once percent-decoded")]
    NotUtf8 {
        /// The attribute's name.
        attr: String,
    },
    /// An attribute RFC 7512 does not define (vendor `x-` attributes are
    /// ignored).
    #[error("unknown attribute '{attr}'")]
    UnknownAttribute {
        /// The attribute's name.
        attr: String,
    },
    /// An attribute given twice.
    #[error("attribute '{attr}' given twice")]
    Repeated {
        /// The attribute's name.
        attr: String,
    },
    /// `type=` other than public, private, cert, secret-key, data.
    #[error("type '{value}' is not one of public, private, cert, secret-key, data")]
    BadType {
        /// What was given.
        value: String,
    },
}

/// The `type` attribute: the object class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    /// `public`: a public key.
    Public,
    /// `private`: a private key.
    Private,
    /// `cert`: a certificate.
    Cert,
    /// `secret-key`: a symmetric key.
    SecretKey,
    /// `data`: a data object.
    Data,
}

/// A parsed `pkcs11:` URI. Absent attributes match anything.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    /// `token`: the token label.
    pub token: Option<String>,
    /// `manufacturer`: the token manufacturer.
    pub manufacturer: Option<String>,
    /// `model`: the token model.
    pub model: Option<String>,
    /// `serial`: the token serial number.
    pub serial: Option<String>,
    /// `object`: the object label (CKA_LABEL).
    pub object: Option<String>,
    /// `id`: the object identifier (CKA_ID), raw bytes.
    pub id: Option<Vec<u8>>,
    /// `type`: the object class.
    pub object_type: Option<ObjectType>,
    /// `pin-source`: a file holding the PIN.
    pub pin_source: Option<PathBuf>,
    /// `module-path`: the PKCS#11 module to load.
    pub module_path: Option<PathBuf>,
    /// `pin-value`: the PIN itself (never printed).
    pin_value: Option<String>,
    /// The URI as given, with any `pin-value` redacted.
    shown: String,
}

impl std::fmt::Debug for Pkcs11Uri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pkcs11Uri").field(&self.shown).finish()
    }
}

impl std::fmt::Display for Pkcs11Uri {
    /// The URI as given, `pin-value` replaced by `***`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Whether `s` is a `pkcs11:` URI (rather than a file name).
pub fn is_pkcs11_uri(s: &str) -> bool {
    s.get(..SCHEME.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(SCHEME))
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// RFC 3986 percent-decoding.
fn percent_decode(attr: &str, value: &str) -> Result<Vec<u8>, UriError> {
    let bad = || UriError::BadPercent {
        attr: attr.to_owned(),
    };
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = bytes.next().and_then(hex).ok_or_else(bad)?;
            let lo = bytes.next().and_then(hex).ok_or_else(bad)?;
            out.push(hi << 4 | lo);
        } else {
            out.push(b);
        }
    }
    Ok(out)
}

fn text(attr: &str, value: &str) -> Result<String, UriError> {
    String::from_utf8(percent_decode(attr, value)?).map_err(|_| UriError::NotUtf8 {
        attr: attr.to_owned(),
    })
}

fn set<T>(slot: &mut Option<T>, attr: &str, value: T) -> Result<(), UriError> {
    if slot.is_some() {
        return Err(UriError::Repeated {
            attr: attr.to_owned(),
        });
    }
    *slot = Some(value);
    Ok(())
}

impl Pkcs11Uri {
    /// Parses `uri` (the scheme is matched case-insensitively; attribute
    /// names are case-sensitive as RFC 7512 says).
    pub fn parse(uri: &str) -> Result<Self, UriError> {
        if !is_pkcs11_uri(uri) {
            return Err(UriError::NotPkcs11);
        }
        let rest = uri.get(SCHEME.len()..).unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut out = Pkcs11Uri::default();
        let mut shown: Vec<String> = Vec::new();
        let mut shown_query: Vec<String> = Vec::new();
        let attrs = path
            .split(';')
            .map(|a| (a, false))
            .chain(query.split('&').map(|a| (a, true)));
        for (attr, in_query) in attrs.filter(|(a, _)| !a.is_empty()) {
            let (name, value) = attr.split_once('=').ok_or_else(|| UriError::NoValue {
                attr: attr.to_owned(),
            })?;
            let redacted = if name == "pin-value" {
                "pin-value=***".to_owned()
            } else {
                attr.to_owned()
            };
            if in_query {
                shown_query.push(redacted);
            } else {
                shown.push(redacted);
            }
            out.add(name, value)?;
        }
        out.shown = format!("{SCHEME}{}", shown.join(";"));
        if !shown_query.is_empty() {
            out.shown = format!("{}?{}", out.shown, shown_query.join("&"));
        }
        Ok(out)
    }

    fn add(&mut self, name: &str, value: &str) -> Result<(), UriError> {
        match name {
            "token" => set(&mut self.token, name, text(name, value)?),
            "manufacturer" => set(&mut self.manufacturer, name, text(name, value)?),
            "model" => set(&mut self.model, name, text(name, value)?),
            "serial" => set(&mut self.serial, name, text(name, value)?),
            "object" => set(&mut self.object, name, text(name, value)?),
            "id" => set(&mut self.id, name, percent_decode(name, value)?),
            "type" => {
                let t = match text(name, value)?.as_str() {
                    "public" => ObjectType::Public,
                    "private" => ObjectType::Private,
                    "cert" => ObjectType::Cert,
                    "secret-key" => ObjectType::SecretKey,
                    "data" => ObjectType::Data,
                    other => {
                        return Err(UriError::BadType {
                            value: other.to_owned(),
                        })
                    }
                };
                set(&mut self.object_type, name, t)
            }
            // Accepted in the path too: tools write it there as often.
            "pin-value" => set(&mut self.pin_value, name, text(name, value)?),
            "pin-source" => {
                let p = text(name, value)?;
                let p = p.strip_prefix("file:").unwrap_or(&p).to_owned();
                set(&mut self.pin_source, name, PathBuf::from(p))
            }
            "module-path" => set(&mut self.module_path, name, text(name, value)?.into()),
            // Library and slot attributes select nothing we need; accepted.
            "library-manufacturer"
            | "library-description"
            | "library-version"
            | "slot-manufacturer"
            | "slot-description"
            | "slot-id"
            | "module-name" => Ok(()),
            vendor if vendor.starts_with("x-") => Ok(()),
            other => Err(UriError::UnknownAttribute {
                attr: other.to_owned(),
            }),
        }
    }

    /// The `pin-value` attribute, if any.
    pub fn pin_value(&self) -> Option<&str> {
        self.pin_value.as_deref()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn attributes_are_percent_decoded() {
        let u = Pkcs11Uri::parse(
            "pkcs11:token=My%20Token;object=signing%2Fkey;id=%01%A0;type=private\
             ?pin-source=file:/run/pin&module-path=/usr/lib/softhsm/libsofthsm2.so",
        )
        .unwrap();
        assert_eq!(u.token.as_deref(), Some("My Token"));
        assert_eq!(u.object.as_deref(), Some("signing/key"));
        assert_eq!(u.id.as_deref(), Some(&[0x01, 0xa0][..]));
        assert_eq!(u.object_type, Some(ObjectType::Private));
        assert_eq!(u.pin_source, Some(PathBuf::from("/run/pin")));
        assert_eq!(
            u.module_path,
            Some(PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"))
        );
        assert_eq!(u.pin_value(), None);
    }

    #[test]
    fn pin_value_is_never_shown() {
        let u = Pkcs11Uri::parse("pkcs11:token=t;object=k?pin-value=12%334").unwrap();
        assert_eq!(u.pin_value(), Some("1234"));
        for shown in [u.to_string(), format!("{u:?}")] {
            assert!(
                !shown.contains("12%334") && !shown.contains("1234"),
                "{shown}"
            );
            assert!(shown.contains("pin-value=***"), "{shown}");
        }
        let u = Pkcs11Uri::parse("pkcs11:token=t;pin-value=9876").unwrap();
        assert_eq!(u.pin_value(), Some("9876"));
        assert!(!u.to_string().contains("9876"));
    }

    #[test]
    fn malformed_uris_are_refused_with_the_reason() {
        type Check = fn(&UriError) -> bool;
        let cases: [(&str, Check); 7] = [
            ("/tmp/key.pem", |e| matches!(e, UriError::NotPkcs11)),
            ("pkcs11:token", |e| matches!(e, UriError::NoValue { .. })),
            ("pkcs11:id=%0", |e| matches!(e, UriError::BadPercent { .. })),
            ("pkcs11:id=%zz", |e| {
                matches!(e, UriError::BadPercent { .. })
            }),
            ("pkcs11:object=%ff", |e| {
                matches!(e, UriError::NotUtf8 { .. })
            }),
            (
                "pkcs11:colour=red",
                |e| matches!(e, UriError::UnknownAttribute { attr } if attr == "colour"),
            ),
            ("pkcs11:token=a;token=b", |e| {
                matches!(e, UriError::Repeated { .. })
            }),
        ];
        for (uri, check) in cases {
            let e = Pkcs11Uri::parse(uri).unwrap_err();
            assert!(check(&e), "{uri}: {e:?}");
        }
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:type=key"),
            Err(UriError::BadType { .. })
        ));
        // Vendor attributes and an empty URI are fine.
        assert_eq!(Pkcs11Uri::parse("PKCS11:x-vendor=1").unwrap().token, None);
        assert!(is_pkcs11_uri("pkcs11:") && !is_pkcs11_uri("pkcs1"));
    }
}
