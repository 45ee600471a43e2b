//! The PKCS#11 module and a session on one token, through `cryptoki`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;

use super::key::{DeviceKey, Kind};
use super::{ObjectType, Pkcs11Error, Pkcs11Uri};

/// A loaded, initialised PKCS#11 module.
pub struct Module {
    ctx: Pkcs11,
    path: PathBuf,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("path", &self.path).finish()
    }
}

fn device<'a>(uri: &'a Pkcs11Uri, operation: &'static str) -> impl Fn(CkError) -> Pkcs11Error + 'a {
    move |e| Pkcs11Error::Device {
        uri: uri.to_string(),
        operation,
        reason: e.to_string(),
    }
}

impl Module {
    /// Loads the module at `path` and initialises it (an already
    /// initialised module is fine).
    pub fn load(path: &Path) -> Result<Self, Pkcs11Error> {
        let fail = |e: CkError| Pkcs11Error::ModuleLoad {
            module: path.to_path_buf(),
            reason: e.to_string(),
        };
        let ctx = Pkcs11::new(path).map_err(fail)?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(fail(e)),
        }
        Ok(Self {
            ctx,
            path: path.to_path_buf(),
        })
    }

    /// Opens a session on the first token matching the URI's token
    /// attributes, logged in as the user when `pin` is given.
    pub fn open(&self, uri: &Pkcs11Uri, pin: Option<&str>) -> Result<TokenSession, Pkcs11Error> {
        let slots = self
            .ctx
            .get_slots_with_token()
            .map_err(device(uri, "C_GetSlotList"))?;
        let wanted = |want: &Option<String>, have: &str| {
            want.as_deref().is_none_or(|w| w == have.trim_end())
        };
        for slot in slots {
            let info = self
                .ctx
                .get_token_info(slot)
                .map_err(device(uri, "C_GetTokenInfo"))?;
            if !(wanted(&uri.token, info.label())
                && wanted(&uri.manufacturer, info.manufacturer_id())
                && wanted(&uri.model, info.model())
                && wanted(&uri.serial, info.serial_number()))
            {
                continue;
            }
            let session = self
                .ctx
                .open_ro_session(slot)
                .map_err(device(uri, "C_OpenSession"))?;
            if let Some(pin) = pin {
                match session.login(UserType::User, Some(&AuthPin::from(pin.to_owned()))) {
                    Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
                    Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => {
                        return Err(Pkcs11Error::WrongPin {
                            uri: uri.to_string(),
                        })
                    }
                    Err(CkError::Pkcs11(RvError::PinLocked, _)) => {
                        return Err(Pkcs11Error::PinLocked {
                            uri: uri.to_string(),
                        })
                    }
                    Err(e) => return Err(device(uri, "C_Login")(e)),
                }
            }
            return Ok(TokenSession {
                session: Arc::new(Mutex::new(session)),
                logged_in: pin.is_some(),
                login_required: info.login_required(),
            });
        }
        Err(Pkcs11Error::TokenNotFound {
            uri: uri.to_string(),
        })
    }
}

/// An open session on one token.
pub struct TokenSession {
    session: Arc<Mutex<Session>>,
    logged_in: bool,
    login_required: bool,
}

impl std::fmt::Debug for TokenSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSession")
            .field("logged_in", &self.logged_in)
            .finish()
    }
}

pub(super) fn poisoned(uri: &str) -> Pkcs11Error {
    Pkcs11Error::Device {
        uri: uri.to_owned(),
        operation: "session",
        reason: "a signing thread panicked".into(),
    }
}

impl TokenSession {
    /// The one object of `class` the URI's `object`/`id` select.
    fn find(
        &self,
        uri: &Pkcs11Uri,
        class: ObjectClass,
        wanted: ObjectType,
        name: &'static str,
    ) -> Result<ObjectHandle, Pkcs11Error> {
        let not_found = || Pkcs11Error::ObjectNotFound {
            uri: uri.to_string(),
            class: name,
        };
        if uri.object_type.is_some_and(|t| t != wanted) {
            return Err(not_found());
        }
        let mut template = vec![Attribute::Class(class)];
        if let Some(label) = &uri.object {
            template.push(Attribute::Label(label.as_bytes().to_vec()));
        }
        if let Some(id) = &uri.id {
            template.push(Attribute::Id(id.clone()));
        }
        let found = self
            .session
            .lock()
            .map_err(|_| poisoned(&uri.to_string()))?
            .find_objects(&template)
            .map_err(device(uri, "C_FindObjects"))?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] if wanted == ObjectType::Private && self.login_required && !self.logged_in => {
                Err(Pkcs11Error::NoPin {
                    uri: uri.to_string(),
                })
            }
            [] => Err(not_found()),
            many => Err(Pkcs11Error::Ambiguous {
                uri: uri.to_string(),
                class: name,
                count: many.len(),
            }),
        }
    }

    /// One attribute of an object, taken out by `pick`.
    fn attribute<T>(
        &self,
        uri: &Pkcs11Uri,
        handle: ObjectHandle,
        ty: AttributeType,
        pick: impl Fn(Attribute) -> Option<T>,
    ) -> Result<Option<T>, Pkcs11Error> {
        Ok(self
            .session
            .lock()
            .map_err(|_| poisoned(&uri.to_string()))?
            .get_attributes(handle, &[ty])
            .map_err(device(uri, "C_GetAttributeValue"))?
            .into_iter()
            .find_map(pick))
    }

    /// The certificate object the URI names, as a PEM `CERTIFICATE`.
    pub fn certificate_pem(&self, uri: &Pkcs11Uri) -> Result<Vec<u8>, Pkcs11Error> {
        let handle = self.find(
            uri,
            ObjectClass::CERTIFICATE,
            ObjectType::Cert,
            "certificate",
        )?;
        let value = self
            .attribute(uri, handle, AttributeType::Value, |a| match a {
                Attribute::Value(v) => Some(v),
                _ => None,
            })?
            .ok_or_else(|| Pkcs11Error::ObjectNotFound {
                uri: uri.to_string(),
                class: "certificate value",
            })?;
        let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &value)
            .map_err(|e| Pkcs11Error::Device {
                uri: uri.to_string(),
                operation: "reading the certificate",
                reason: e.to_string(),
            })?;
        Ok(pem.into_bytes())
    }

    /// The private key object the URI names; `rsa_pss` selects RSA-PSS
    /// for an RSA key (any other key type is then refused).
    pub fn private_key(&self, uri: &Pkcs11Uri, rsa_pss: bool) -> Result<DeviceKey, Pkcs11Error> {
        let handle = self.find(
            uri,
            ObjectClass::PRIVATE_KEY,
            ObjectType::Private,
            "private key",
        )?;
        let key_type = self.attribute(uri, handle, AttributeType::KeyType, |a| match a {
            Attribute::KeyType(t) => Some(t),
            _ => None,
        })?;
        let unsupported = |key_type: String| Pkcs11Error::UnsupportedKeyType {
            uri: uri.to_string(),
            key_type,
        };
        let kind = match key_type {
            Some(t) if t == KeyType::RSA => {
                let modulus = self
                    .attribute(uri, handle, AttributeType::Modulus, |a| match a {
                        Attribute::Modulus(m) => Some(m),
                        _ => None,
                    })?
                    .unwrap_or_default();
                let bits = rsa::BigUint::from_bytes_be(&modulus).bits();
                Kind::Rsa { bits }
            }
            Some(t) if t == KeyType::EC => {
                let params = self
                    .attribute(uri, handle, AttributeType::EcParams, |a| match a {
                        Attribute::EcParams(p) => Some(p),
                        _ => None,
                    })?
                    .unwrap_or_default();
                let p256 = crate::sign::pkcs7::oid(const_oid::db::rfc5912::SECP_256_R_1);
                let p384 = crate::sign::pkcs7::oid(const_oid::db::rfc5912::SECP_384_R_1);
                if params == p256 {
                    Kind::P256
                } else if params == p384 {
                    Kind::P384
                } else {
                    return Err(unsupported(format!(
                        "EC with parameters {}",
                        crate::digest::hex(&params)
                    )));
                }
            }
            Some(t) => return Err(unsupported(t.to_string())),
            None => return Err(unsupported("(no CKA_KEY_TYPE)".into())),
        };
        if rsa_pss && !matches!(kind, Kind::Rsa { .. }) {
            return Err(Pkcs11Error::PssNeedsRsa {
                uri: uri.to_string(),
                key_type: kind.name().into(),
            });
        }
        Ok(DeviceKey::new(
            Arc::clone(&self.session),
            handle,
            kind,
            rsa_pss,
            uri.to_string(),
        ))
    }
}
