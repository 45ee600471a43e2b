//! `export FILENAME`: writes every blob to `<prefix>/<Id>[-<AppstreamId>][.<target>][.<n>].<ext>`.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use crate::context::Context;
use crate::error::{core_text, CliError};

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    let cat = super::load(ctx, file)?;
    let prefix = ctx.prefix();
    // Plan every file first: nothing is written when one name is unsafe.
    // Names never collide: a target signature gets the target's name before
    // the extension, a second blob with the same name a number (see
    // docs/compatibility.md, D35).
    let mut plan: Vec<(PathBuf, &[u8])> = Vec::new();
    let mut used: HashSet<PathBuf> = HashSet::new();
    for item in cat.items() {
        for (index, blob) in item.blobs.iter().enumerate() {
            if ctx.kind.is_some_and(|k| k != blob.kind) {
                continue;
            }
            let mut base = item.id.clone();
            if let Some(a) = &blob.appstream_id {
                base.push('-');
                base.push_str(a);
            }
            if let Some(t) = blob.target {
                base.push('.');
                base.push_str(&t.to_string());
            }
            let ext = match blob.kind.filename_ext() {
                Some(ext) => ext.to_owned(),
                None => format!("kind{}", blob.kind.to_u32()),
            };
            let join = |name: &str| {
                jcat_core::fsutil::safe_join(&prefix, name, "export file name").map_err(|e| {
                    CliError::error(format!(
                        "item {:?} blob {index}: {}",
                        item.id,
                        core_text(&e)
                    ))
                })
            };
            let mut path = join(&format!("{base}.{ext}"))?;
            let mut n = 2u64;
            while used.contains(&path) {
                path = join(&format!("{base}.{n}.{ext}"))?;
                n += 1;
            }
            used.insert(path.clone());
            plan.push((path, &blob.data));
        }
    }
    for (path, data) in plan {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                CliError::error(format!(
                    "{}: {}",
                    parent.display(),
                    crate::error::io_text(&e)
                ))
            })?;
        }
        // Re-check after creating directories (a race could add a symlink).
        let rel = path.strip_prefix(&prefix).unwrap_or(&path);
        jcat_core::fsutil::safe_join(&prefix, &rel.to_string_lossy(), "export file name")?;
        jcat_core::fsutil::write_atomic(&path, data, None)?;
        writeln!(out, "Wrote {}", path.display())?;
    }
    Ok(0)
}
