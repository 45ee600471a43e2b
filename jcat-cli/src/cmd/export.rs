//! `export FILENAME`: writes every blob to `<prefix>/<Id>[-<AppstreamId>].<ext>`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    let cat = super::load(ctx, file)?;
    let prefix = ctx.prefix();
    // Plan every file first: nothing is written when one name is unsafe or
    // two blobs would land on the same file.
    let mut plan: Vec<(PathBuf, &[u8])> = Vec::new();
    let mut owners: HashMap<PathBuf, String> = HashMap::new();
    for item in cat.items() {
        for (index, blob) in item.blobs.iter().enumerate() {
            if ctx.kind.is_some_and(|k| k != blob.kind) {
                continue;
            }
            let mut name = item.id.clone();
            if let Some(a) = &blob.appstream_id {
                name.push('-');
                name.push_str(a);
            }
            name.push('.');
            match blob.kind.filename_ext() {
                Some(ext) => name.push_str(ext),
                None => name.push_str(&format!("kind{}", blob.kind.to_u32())),
            }
            let path = jcat_core::fsutil::safe_join(&prefix, &name, "export file name")
                .map_err(|e| CliError::error(format!("item {:?} blob {index}: {e}", item.id)))?;
            let who = format!("item {:?} blob {index}", item.id);
            if let Some(prev) = owners.insert(path.clone(), who.clone()) {
                return Err(CliError::error(format!(
                    "{prev} and {who} would both be written to {}",
                    path.display()
                )));
            }
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
