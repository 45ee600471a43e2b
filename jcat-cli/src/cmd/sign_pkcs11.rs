//! `sign FILENAME SOURCE... CERT PRIVKEY` with PRIVKEY and/or CERT a
//! `pkcs11:` URI: the key (and certificate) on a token or HSM. Without the
//! `pkcs11` feature every such URI is `Pkcs11Error::Disabled`.
#![cfg_attr(not(feature = "pkcs11"), allow(dead_code, unused_imports))]

use std::path::PathBuf;

use jcat_core::sign::pkcs11::{self, Pkcs11Error, Pkcs11Uri};
use jcat_core::sign::{SignError, SignOptions, SigningKey};
use jcat_core::{Blob, BlobKind, Payload};

use crate::context::Context;
use crate::error::CliError;

/// The PIN when the URI has neither `pin-value` nor `pin-source`.
pub const PIN_ENV: &str = "JCAT_PIN";
/// The module when `--pkcs11-module` is not given (before the URI's
/// `module-path`).
pub const MODULE_ENV: &str = "JCAT_PKCS11_MODULE";

fn err(e: Pkcs11Error) -> CliError {
    SignError::Pkcs11(e).into()
}

/// `--pkcs11-module`, else `JCAT_PKCS11_MODULE`, else the URI's
/// `module-path`.
#[cfg(feature = "pkcs11")]
fn module_path(ctx: &Context, uri: &Pkcs11Uri) -> Result<PathBuf, CliError> {
    ctx.args
        .pkcs11_module
        .clone()
        .or_else(|| std::env::var_os(MODULE_ENV).map(PathBuf::from))
        .or_else(|| uri.module_path.clone())
        .ok_or_else(|| {
            err(Pkcs11Error::NoModule {
                uri: uri.to_string(),
            })
        })
}

/// What signs: a device key, or a key file (CERT alone on the token).
pub(super) enum Signer {
    /// PRIVKEY is a `pkcs11:` URI.
    #[cfg(feature = "pkcs11")]
    Device(pkcs11::DeviceKey),
    /// PRIVKEY is a file (its PEM, decrypted).
    File(Vec<u8>),
}

#[cfg(feature = "pkcs11")]
fn open(
    ctx: &Context,
    modules: &mut Vec<(PathBuf, pkcs11::Module)>,
    uri: &Pkcs11Uri,
    pin: Option<&str>,
) -> Result<pkcs11::TokenSession, CliError> {
    let path = module_path(ctx, uri)?;
    if !modules.iter().any(|(p, _)| *p == path) {
        modules.push((path.clone(), pkcs11::Module::load(&path).map_err(err)?));
    }
    let module = modules
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, m)| m)
        .ok_or_else(|| CliError::error("PKCS#11 module vanished"))?;
    module.open(uri, pin).map_err(err)
}

/// Resolves CERT and PRIVKEY where either is a `pkcs11:` URI: the
/// certificate PEM and what signs. `key_file` reads a PRIVKEY file.
pub(super) fn resolve(
    ctx: &Context,
    cert_arg: &str,
    key_arg: &str,
    read_file: impl Fn(&str) -> Result<Vec<u8>, CliError>,
) -> Result<(Vec<u8>, Signer), CliError> {
    let cert_uri = pkcs11::is_pkcs11_uri(cert_arg)
        .then(|| pkcs11::parse_uri(cert_arg))
        .transpose()
        .map_err(err)?;
    let key_uri = pkcs11::is_pkcs11_uri(key_arg)
        .then(|| pkcs11::parse_uri(key_arg))
        .transpose()
        .map_err(err)?;
    #[cfg(not(feature = "pkcs11"))]
    {
        let _ = (ctx, read_file);
        let uri = key_uri
            .or(cert_uri)
            .map(|u| u.to_string())
            .unwrap_or_default();
        Err(err(Pkcs11Error::Disabled { uri }))
    }
    #[cfg(feature = "pkcs11")]
    {
        let env_pin = std::env::var(PIN_ENV).ok();
        let mut modules = Vec::new();
        let signer = match &key_uri {
            Some(uri) => {
                let pin = pkcs11::resolve_pin(uri, env_pin.as_deref()).map_err(err)?;
                let session = open(ctx, &mut modules, uri, pin.as_deref())?;
                let key = session.private_key(uri, ctx.args.rsa_pss).map_err(err)?;
                Signer::Device(key)
            }
            None => Signer::File(read_file(key_arg)?),
        };
        let cert = match &cert_uri {
            Some(uri) => {
                let pin = pkcs11::resolve_pin(uri, env_pin.as_deref()).map_err(err)?;
                open(ctx, &mut modules, uri, pin.as_deref())?
                    .certificate_pem(uri)
                    .map_err(err)?
            }
            None => read_file(cert_arg)?,
        };
        Ok((cert, signer))
    }
}

/// One PKCS#7 blob over `payload`.
pub(super) fn sign_one(
    ctx: &Context,
    cert: &[u8],
    signer: &Signer,
    payload: Payload<'_>,
) -> Result<Blob, SignError> {
    let key = match signer {
        #[cfg(feature = "pkcs11")]
        Signer::Device(key) => SigningKey::Pkcs11 {
            cert_pem: cert,
            key,
        },
        Signer::File(key) => SigningKey::Pkcs7 {
            cert_pem: cert,
            key_pem: key,
        },
    };
    let mut pkcs7 = jcat_core::sign::pkcs7::SignOptions::default();
    pkcs7.rsa_pss = ctx.args.rsa_pss;
    let opts = SignOptions::at(ctx.now).with_pkcs7(pkcs7);
    jcat_core::sign::blob(BlobKind::Pkcs7, payload, &key, &opts)
}
