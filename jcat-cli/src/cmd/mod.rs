//! One file per command; `dispatch` checks argument counts as the reference.

mod alias;
mod export;
mod import;
mod info;
pub mod pki;
mod sign;
mod sign_keys;
mod sign_pkcs11;
mod sources;
mod verify;

use std::io::Write;
use std::path::Path;

use jcat_core::Catalog;

use crate::context::Context;
use crate::error::CliError;

/// Runs the command named by the first positional argument.
pub fn dispatch(ctx: &Context, out: &mut dyn Write) -> Result<u8, CliError> {
    let Some(command) = ctx.args.command else {
        return Err(CliError::usage("Command not found"));
    };
    let rest: Vec<&str> = ctx.args.args.iter().map(String::as_str).collect();
    let expect = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(CliError::usage(format!(
                "Invalid arguments, expected {what}"
            )))
        }
    };
    match command {
        "info" => {
            expect(rest.len() == 1, "FILENAME")?;
            info::run(ctx, &rest, out)
        }
        "export" => {
            expect(rest.len() == 1, "FILENAME")?;
            export::run(ctx, &rest, out)
        }
        "import" => {
            expect(rest.len() == 3, "FILENAME DATA DETACHED_KEY")?;
            import::run(ctx, &rest, out)
        }
        "self-sign" => {
            expect(rest.len() >= 2, "FILENAME SOURCE")?;
            sign::self_sign(ctx, &rest, out)
        }
        "sign" => {
            expect(rest.len() >= 4, "FILENAME SOURCE CERT PRIVKEY")?;
            sign::sign(ctx, &rest, out)
        }
        "verify" => {
            expect(!rest.is_empty(), "FILENAME [SOURCE]")?;
            verify::run(ctx, &rest, out)
        }
        "add-alias" => {
            expect(rest.len() == 3, "FILENAME ID ALIAS_ID")?;
            alias::run(ctx, &rest, true)
        }
        "remove-alias" => {
            expect(rest.len() == 3, "FILENAME ID ALIAS_ID")?;
            alias::run(ctx, &rest, false)
        }
        "pki" => match &ctx.args.pki {
            Some(p) => pki::run(ctx, p, out),
            None => Err(CliError::usage("Invalid arguments, expected ACTION")),
        },
        _ => Err(CliError::usage("Command not found")),
    }
}

/// Loads an existing catalog (it must exist and parse).
pub fn load(ctx: &Context, path: &str) -> Result<Catalog, CliError> {
    jcat_core::load_path(Path::new(path), &ctx.limits).map_err(|e| load_error(path, e))
}

/// The message of a catalog that did not load.
pub fn load_error(path: &str, e: jcat_core::Error) -> CliError {
    match e {
        // Already names the file.
        jcat_core::Error::Io { .. } => CliError::from(e),
        other => CliError::error(format!("{path}: {}", crate::error::core_text(&other))),
    }
}

/// Loads the catalog if the file exists, otherwise starts a new one. A file
/// that exists but does not parse is an error (it is never overwritten).
pub fn load_or_new(ctx: &Context, path: &str) -> Result<Catalog, CliError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => load(ctx, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Catalog::new()),
        Err(e) => Err(CliError::error(format!(
            "{path}: {}",
            crate::error::io_text(&e)
        ))),
    }
}

/// Saves atomically; with `--verbose`, warns about blobs old clients drop.
pub fn save(ctx: &Context, cat: &Catalog, path: &str) -> Result<(), CliError> {
    if ctx.args.verbose {
        let mut err = std::io::stderr().lock();
        for w in old_client_warnings(cat) {
            let _ = writeln!(err, "{w}");
        }
    }
    Ok(jcat_core::save_path(cat, Path::new(path))?)
}

/// Signatures of one (kind, target, AppstreamId) of which libjcat ≤ 0.2.3
/// clients keep only the last.
pub fn old_client_warnings(cat: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for item in cat.items() {
        let mut seen: Vec<(
            jcat_core::BlobKind,
            Option<jcat_core::BlobKind>,
            Option<&str>,
        )> = Vec::new();
        for b in item.blobs.iter().filter(|b| b.kind.is_signature()) {
            let key = (b.kind, b.target, b.appstream_id.as_deref());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let same: Vec<usize> = item
                .blobs
                .iter()
                .enumerate()
                .filter(|(_, o)| (o.kind, o.target, o.appstream_id.as_deref()) == key)
                .map(|(i, _)| i)
                .collect();
            if let (true, Some(last)) = (same.len() > 1, same.last()) {
                let label = match b.target {
                    Some(t) => format!("{}-of-{t}", b.kind),
                    None => b.kind.to_string(),
                };
                out.push(format!(
                    "warning: {}: {} {label} signatures with the same target and AppstreamId; \
                     libjcat 0.2.3 and older keep only the last (blob {last})",
                    crate::output::one_line(&item.id),
                    same.len()
                ));
            }
        }
    }
    out
}
