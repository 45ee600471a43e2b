//! The CERT and PRIVKEY files of `sign`: reading them under the size limit,
//! refusing them given the wrong way round, and naming the file an error
//! is about.

use jcat_core::sign::{self as jsign, KeyInput};

use crate::context::Context;
use crate::error::CliError;

/// Environment variable holding the passphrase of a protected OpenPGP key.
pub(super) const PASSPHRASE_ENV: &str = "JCAT_PASSPHRASE";

/// What a key or certificate file holds, by its PEM/armor labels.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Holds {
    Private,
    Public,
    Unknown,
}

fn holds(bytes: &[u8]) -> Holds {
    let text = String::from_utf8_lossy(bytes);
    if text.contains("PRIVATE KEY-----") || text.contains("BEGIN PGP PRIVATE KEY BLOCK") {
        Holds::Private
    } else if text.contains("BEGIN CERTIFICATE")
        || text.contains("BEGIN PUBLIC KEY")
        || text.contains("BEGIN PGP PUBLIC KEY BLOCK")
    {
        Holds::Public
    } else {
        Holds::Unknown
    }
}

/// CERT and PRIVKEY given the wrong way round (or CERT a private key) says so.
pub(super) fn check_key_order(
    cert_path: &str,
    cert: &[u8],
    key_path: &str,
    key: &[u8],
) -> Result<(), CliError> {
    match (holds(cert), holds(key)) {
        (Holds::Private, Holds::Public) => Err(CliError::usage_short(format!(
            "CERT and PRIVKEY are swapped: {cert_path} holds a private key and {key_path} a \
             certificate or public key (expected sign FILENAME SOURCE CERT PRIVKEY)"
        ))),
        (Holds::Private, _) => Err(CliError::usage_short(format!(
            "{cert_path}: CERT holds a private key, expected a certificate or public key \
             (expected sign FILENAME SOURCE CERT PRIVKEY)"
        ))),
        (_, Holds::Public) => Err(CliError::usage_short(format!(
            "{key_path}: PRIVKEY holds a certificate or public key, expected a private key \
             (expected sign FILENAME SOURCE CERT PRIVKEY)"
        ))),
        _ => Ok(()),
    }
}

/// `--no-signed-attributes`: the PKCS#7 form asked for.
pub(super) fn signed_form(ctx: &Context) -> jsign::pkcs7::SignedForm {
    if ctx.args.no_signed_attributes {
        jsign::pkcs7::SignedForm::NoAttributes
    } else {
        jsign::pkcs7::SignedForm::SignedAttributes
    }
}

/// A key or certificate error names the file it is about.
pub(super) fn name_key_file(e: jsign::SignError, cert_path: &str, key_path: &str) -> CliError {
    match e.input() {
        Some(KeyInput::PrivateKey) => CliError::error(format!("{key_path}: {e}")),
        Some(KeyInput::Certificate) => CliError::error(format!("{cert_path}: {e}")),
        _ => e.into(),
    }
}

/// OpenPGP signing errors: a protected key says which variable to set; key
/// errors name the file.
pub(super) fn gpg_error(
    e: jsign::SignError,
    have_passphrase: bool,
    cert_path: &str,
    key_path: &str,
) -> CliError {
    if !matches!(e, jsign::SignError::PgpLocked { .. }) {
        return name_key_file(e, cert_path, key_path);
    }
    CliError::error(if have_passphrase {
        format!("{key_path}: cannot unlock the OpenPGP secret key: the passphrase in {PASSPHRASE_ENV} is wrong")
    } else {
        format!("{key_path}: the OpenPGP secret key is protected by a passphrase: set {PASSPHRASE_ENV} to it")
    })
}

pub(super) fn read_key(path: &str, ctx: &Context) -> Result<Vec<u8>, CliError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::error(format!("{path}: {}", crate::error::io_text(&e))))?;
    if meta.len() > ctx.limits.max_key_file_size {
        return Err(CliError::error(format!(
            "{path}: {} bytes is over the limit max_key_file_size of {}",
            meta.len(),
            ctx.limits.max_key_file_size
        )));
    }
    std::fs::read(path)
        .map_err(|e| CliError::error(format!("{path}: {}", crate::error::io_text(&e))))
}
