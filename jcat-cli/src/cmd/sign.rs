//! `self-sign FILENAME SOURCE...` and `sign FILENAME SOURCE... CERT PRIVKEY`:
//! each source becomes or updates its item; the catalog is written once.

use std::io::Write;
use std::path::Path;

use jcat_core::sign::{self as jsign, Keyring, SignOptions, SigningKey};
use jcat_core::{Blob, BlobKind, Catalog, Payload};

use super::sign_keys::{
    check_key_order, gpg_error, name_key_file, read_key, signed_form, PASSPHRASE_ENV,
};
use super::sources::{self, Source};
use crate::context::Context;
use crate::error::CliError;

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
        .map_err(|e| CliError::error(format!("{source}: {}", crate::error::io_text(&e))))
}

/// Adds each source's blob to its item (found by ID or alias, else created),
/// with one name index for all sources.
fn add_all(
    ctx: &Context,
    cat: &mut Catalog,
    sources: &[Source],
    blobs: Vec<Blob>,
) -> Result<(), CliError> {
    let mut index = cat.name_index();
    for (source, mut blob) in sources.iter().zip(blobs) {
        blob.appstream_id = ctx.args.appstream_id.clone();
        blob.target = ctx.target;
        let pos = index.find_or_insert(cat, &source.id)?;
        if let Some(item) = cat.item_at_mut(pos) {
            item.add_blob(blob);
        }
    }
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
    match kind {
        k if k.is_checksum() => {}
        BlobKind::Ed25519 | BlobKind::Pkcs7 | BlobKind::BtManifest => {}
        BlobKind::Gpg => return Err(CliError::error("signing data is not supported")),
        other => return Err(not_supported(other)),
    }
    if ctx.args.only_pq && kind != BlobKind::Pkcs7 {
        return Err(CliError::usage_short(
            "Failed to parse arguments: self-sign --only-pq makes PKCS#7 (ML-DSA-87) signatures only",
        ));
    }
    if ctx.args.no_signed_attributes && !ctx.args.only_pq {
        return Err(CliError::usage_short(
            "Failed to parse arguments: self-sign --no-signed-attributes needs --only-pq (ML-DSA-87)",
        ));
    }
    let mut pkcs7 = jsign::pkcs7::SignOptions::default();
    pkcs7.form = signed_form(ctx);
    let opts = SignOptions::at(ctx.now).with_pkcs7(pkcs7);
    let ed_key = match kind {
        BlobKind::Ed25519 => Some(jsign::ed25519_keyring_key(&keyring)?),
        _ => None,
    };
    let key = match (kind, &ed_key) {
        (BlobKind::Ed25519, Some(k)) => SigningKey::Ed25519(k),
        (BlobKind::Pkcs7, _) => SigningKey::Keyring {
            keyring: &keyring,
            pq: ctx.args.only_pq,
        },
        // Checksums, and our extension bt-manifest: the payload's manifest
        // in the LVFS layout (docs/transparency.md), the leaf a log would
        // include.
        _ => SigningKey::None,
    };
    let make = |payload: Payload<'_>| -> Result<Blob, CliError> {
        jsign::blob(kind, payload, &key, &opts).map_err(|e| match e {
            jsign::SignError::NotSupported(k) => not_supported(k),
            e => e.into(),
        })
    };
    // The first PKCS#7 self-signature may create the keyring: make it alone.
    let serial_first = kind == BlobKind::Pkcs7;
    let sources = sources::expand(ctx, sources)?;
    let blobs = sign_sources(ctx, &cat, &sources, serial_first, make)?;
    add_all(ctx, &mut cat, &sources, blobs)?;
    super::save(ctx, &cat, file)?;
    Ok(0)
}

/// Makes one blob per source, in parallel across cores, results in source
/// order; the first error (in source order) wins and nothing is written.
fn sign_sources(
    ctx: &Context,
    cat: &Catalog,
    sources: &[Source],
    serial_first: bool,
    make: impl Fn(Payload<'_>) -> Result<Blob, CliError> + Sync,
) -> Result<Vec<Blob>, CliError> {
    // Payload sources are resolved first (targets read the catalog).
    let mut inputs: Vec<Option<Vec<u8>>> = Vec::with_capacity(sources.len());
    for source in sources {
        let data = payload_bytes(ctx, cat, &source.id)?;
        if data.is_none() {
            check_source(&source.path)?;
        }
        inputs.push(data);
    }
    let bars = crate::progress::Progress::new(crate::progress::wanted(false));
    let one = |i: usize| -> Result<Blob, CliError> {
        let source = sources.get(i).map_or("", |s| s.path.as_str());
        let payload = match inputs.get(i).and_then(Option::as_ref) {
            Some(d) => Payload::Bytes(d),
            None => Payload::File(Path::new(source)),
        };
        let size = std::fs::metadata(source).map_or(0, |m| m.len());
        let spinner = match payload {
            Payload::File(_) => bars.spinner(source, size),
            Payload::Bytes(_) => None,
        };
        let blob = make(payload);
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        blob
    };
    let mut results: Vec<Option<Result<Blob, CliError>>> =
        (0..sources.len()).map(|_| None).collect();
    let start = if serial_first && !sources.is_empty() {
        if let Some(slot) = results.get_mut(0) {
            *slot = Some(one(0));
        }
        1
    } else {
        0
    };
    let rest: Vec<usize> = (start..sources.len()).collect();
    let threads = jcat_core::par::worker_count(rest.len());
    jcat_core::par::ordered_map(
        &rest,
        threads,
        |_, i| one(*i),
        |k, r| {
            if let Some(slot) = rest.get(k).and_then(|i| results.get_mut(*i)) {
                *slot = Some(r);
            }
        },
    );
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(CliError::error("signing thread failed"))))
        .collect()
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
    if ctx.args.rsa_pss && kind != BlobKind::Pkcs7 {
        return Err(CliError::usage_short(
            "Failed to parse arguments: --rsa-pss makes PKCS#7 signatures only",
        ));
    }
    let passphrase = std::env::var(PASSPHRASE_ENV).ok();
    if jsign::pkcs11::is_pkcs11_uri(cert_path) || jsign::pkcs11::is_pkcs11_uri(key_path) {
        if kind != BlobKind::Pkcs7 {
            return Err(CliError::usage_short(
                "Failed to parse arguments: pkcs11: URIs make PKCS#7 signatures only",
            ));
        }
        let read = |path: &str| -> Result<Vec<u8>, CliError> {
            let bytes = read_key(path, ctx)?;
            if path == *key_path {
                return jsign::keyfile::decrypt_pkcs8(&bytes, passphrase.as_deref())
                    .map_err(|e| CliError::error(format!("{path}: {e}")));
            }
            Ok(bytes)
        };
        let (cert, signer) = super::sign_pkcs11::resolve(ctx, cert_path, key_path, read)?;
        let make = |payload: Payload<'_>| {
            super::sign_pkcs11::sign_one(ctx, &cert, &signer, payload)
                .map_err(|e| name_key_file(e, cert_path, key_path))
        };
        let sources = sources::expand(ctx, sources)?;
        let blobs = sign_sources(ctx, &cat, &sources, false, make)?;
        add_all(ctx, &mut cat, &sources, blobs)?;
        super::save(ctx, &cat, file)?;
        return Ok(0);
    }
    let cert = read_key(cert_path, ctx)?;
    let key = read_key(key_path, ctx)?;
    check_key_order(cert_path, &cert, key_path, &key)?;
    match kind {
        BlobKind::Pkcs7 | BlobKind::Ed25519 | BlobKind::Gpg => {}
        k if k.is_checksum() => return Err(CliError::error("signing data is not supported")),
        other => return Err(not_supported(other)),
    }
    // PEM/PKCS#8 Ed25519 and encrypted PKCS#8 keys, in the forms the engines take.
    fn named(path: &str) -> impl Fn(jsign::keyfile::KeyFileError) -> CliError + '_ {
        move |e| CliError::error(format!("{path}: {e}"))
    }
    let (cert, key) = match kind {
        BlobKind::Ed25519 => (
            jsign::keyfile::ed25519_public_raw(&cert).map_err(named(cert_path))?,
            jsign::keyfile::ed25519_secret_raw(&key, passphrase.as_deref())
                .map_err(named(key_path))?,
        ),
        BlobKind::Pkcs7 => (
            cert,
            jsign::keyfile::decrypt_pkcs8(&key, passphrase.as_deref()).map_err(named(key_path))?,
        ),
        _ => (cert, key),
    };
    if ctx.args.no_signed_attributes && kind != BlobKind::Pkcs7 {
        return Err(CliError::usage_short(
            "Failed to parse arguments: --no-signed-attributes is for PKCS#7 (ML-DSA) signatures",
        ));
    }
    let mut pkcs7 = jsign::pkcs7::SignOptions::default();
    pkcs7.rsa_pss = ctx.args.rsa_pss;
    pkcs7.form = signed_form(ctx);
    let opts = SignOptions::at(ctx.now).with_pkcs7(pkcs7);
    let signing_key = match kind {
        BlobKind::Ed25519 => SigningKey::Ed25519Raw {
            public: &cert,
            secret: &key,
        },
        BlobKind::Gpg => SigningKey::Pgp {
            public: &cert,
            secret: &key,
            passphrase: passphrase.as_deref(),
        },
        _ => SigningKey::Pkcs7 {
            cert_pem: &cert,
            key_pem: &key,
        },
    };
    let make = |payload: Payload<'_>| -> Result<Blob, CliError> {
        jsign::blob(kind, payload, &signing_key, &opts).map_err(|e| match kind {
            BlobKind::Gpg => gpg_error(e, passphrase.is_some(), cert_path, key_path),
            // Raw key files carry no label: a mismatch that goes away with
            // the two files exchanged means they were swapped.
            BlobKind::Ed25519
                if matches!(e, jsign::SignError::Ed25519Key(_))
                    && jsign::ed25519_sign_with(&key, &cert, Payload::Bytes(b"")).is_ok() =>
            {
                CliError::usage_short(format!(
                    "CERT and PRIVKEY are swapped: {cert_path} holds the Ed25519 secret \
                     key and {key_path} the public key (expected sign FILENAME SOURCE \
                     CERT PRIVKEY)"
                ))
            }
            _ => name_key_file(e, cert_path, key_path),
        })
    };
    let sources = sources::expand(ctx, sources)?;
    let blobs = sign_sources(ctx, &cat, &sources, false, make)?;
    add_all(ctx, &mut cat, &sources, blobs)?;
    super::save(ctx, &cat, file)?;
    Ok(0)
}
