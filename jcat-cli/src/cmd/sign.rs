//! `self-sign FILENAME SOURCE...` and `sign FILENAME SOURCE... CERT PRIVKEY`:
//! each source becomes or updates its item; the catalog is written once.

use std::io::Write;
use std::path::Path;

use jcat_core::sign::{self as jsign, Keyring};
use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Payload};

use crate::context::Context;
use crate::error::CliError;

/// Environment variable holding the passphrase of a protected OpenPGP key.
const PASSPHRASE_ENV: &str = "JCAT_PASSPHRASE";

fn not_supported(kind: BlobKind) -> CliError {
    CliError::error(format!(
        "Jcat engine kind '{}' not supported",
        kind.name().unwrap_or("(null)")
    ))
}

/// The payload for one source: the file, or with `--target` the item's
/// checksum text.
fn payload_bytes(ctx: &Context, cat: &Catalog, id: &str) -> Result<Option<Vec<u8>>, CliError> {
    let Some(target) = ctx.target else {
        return Ok(None);
    };
    let item = cat
        .item(id)
        .map_err(|_| CliError::error(format!("no existing checksum of type {target}")))?;
    Ok(Some(item.blob_by_kind(target)?.data.clone()))
}

fn check_source(source: &str) -> Result<(), CliError> {
    std::fs::metadata(source)
        .map(|_| ())
        .map_err(|e| CliError::error(format!("{source}: {e}")))
}

fn add(ctx: &Context, cat: &mut Catalog, id: &str, mut blob: Blob) -> Result<(), CliError> {
    blob.appstream_id = ctx.args.appstream_id.clone();
    blob.target = ctx.target;
    cat.item_or_insert(id)?.add_blob(blob);
    Ok(())
}

pub fn self_sign(ctx: &Context, args: &[&str], _out: &mut dyn Write) -> Result<u8, CliError> {
    let Some((file, sources)) = args.split_first() else {
        return Err(CliError::usage(
            "Invalid arguments, expected FILENAME SOURCE",
        ));
    };
    let mut cat = super::load_or_new(ctx, file)?;
    let kind = ctx.kind.unwrap_or(BlobKind::Pkcs7);
    let keyring = Keyring::new(ctx.keyring()?);
    for source in sources {
        let id = ctx.id_for(source);
        let target_data = payload_bytes(ctx, &cat, &id)?;
        if target_data.is_none() {
            check_source(source)?;
        }
        let payload = match &target_data {
            Some(d) => Payload::Bytes(d),
            None => Payload::File(Path::new(source)),
        };
        let now = ctx.now_u64();
        let blob = match kind {
            k if k.is_checksum() => jsign::checksum_blob(k, payload, now)?,
            BlobKind::Ed25519 => {
                let key = jsign::ed25519_keyring_key(&keyring)?;
                let sig = jsign::ed25519_sign(&key, payload)?;
                Blob::new(kind, BlobFlags::NONE, sig, Some(now))
            }
            BlobKind::Pkcs7 => {
                let pem = jsign::pkcs7::self_sign(payload, &keyring, ctx.now)?;
                Blob::new(kind, BlobFlags::IS_UTF8, pem, Some(now))
            }
            BlobKind::Gpg => return Err(CliError::error("signing data is not supported")),
            other => return Err(not_supported(other)),
        };
        add(ctx, &mut cat, &id, blob)?;
    }
    super::save(&cat, file)?;
    Ok(0)
}

fn read_key(path: &str, ctx: &Context) -> Result<Vec<u8>, CliError> {
    let meta = std::fs::metadata(path).map_err(|e| CliError::error(format!("{path}: {e}")))?;
    if meta.len() > ctx.limits.max_key_file_size {
        return Err(CliError::error(format!(
            "{path}: {} bytes is over the limit max_key_file_size of {}",
            meta.len(),
            ctx.limits.max_key_file_size
        )));
    }
    std::fs::read(path).map_err(|e| CliError::error(format!("{path}: {e}")))
}

pub fn sign(ctx: &Context, args: &[&str], _out: &mut dyn Write) -> Result<u8, CliError> {
    let (file, rest) = args.split_first().ok_or_else(|| {
        CliError::usage("Invalid arguments, expected FILENAME SOURCE CERT PRIVKEY")
    })?;
    let (sources, keys) = rest.split_at(rest.len().saturating_sub(2));
    let [cert_path, key_path] = keys else {
        return Err(CliError::usage(
            "Invalid arguments, expected FILENAME SOURCE CERT PRIVKEY",
        ));
    };
    let mut cat = super::load_or_new(ctx, file)?;
    let kind = ctx.kind.unwrap_or(BlobKind::Pkcs7);
    let cert = read_key(cert_path, ctx)?;
    let key = read_key(key_path, ctx)?;
    let passphrase = std::env::var(PASSPHRASE_ENV).ok();
    for source in sources {
        let id = ctx.id_for(source);
        let target_data = payload_bytes(ctx, &cat, &id)?;
        if target_data.is_none() {
            check_source(source)?;
        }
        let payload = match &target_data {
            Some(d) => Payload::Bytes(d),
            None => Payload::File(Path::new(source)),
        };
        let now = ctx.now_u64();
        let blob = match kind {
            BlobKind::Pkcs7 => {
                let pem = jsign::pkcs7::sign(payload, &cert, &key, ctx.now)?;
                Blob::new(kind, BlobFlags::IS_UTF8, pem, Some(now))
            }
            BlobKind::Ed25519 => {
                let sig = jsign::ed25519_sign_with(&cert, &key, payload)?;
                Blob::new(kind, BlobFlags::NONE, sig, Some(now))
            }
            BlobKind::Gpg => {
                let asc = jsign::pgp::sign(payload, &cert, &key, passphrase.as_deref(), ctx.now)?;
                Blob::new(kind, BlobFlags::IS_UTF8, asc, Some(now))
            }
            k if k.is_checksum() => return Err(CliError::error("signing data is not supported")),
            other => return Err(not_supported(other)),
        };
        add(ctx, &mut cat, &id, blob)?;
    }
    super::save(&cat, file)?;
    Ok(0)
}
