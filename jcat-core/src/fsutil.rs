//! File-system helpers: the one function that turns names into paths inside a
//! directory, and atomic writes.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Joins `name` (an item ID, alias or AppstreamId-derived file name) to
/// `base`, refusing anything that could leave `base`: empty names, absolute
/// paths, `..` components, NUL characters, and existing symbolic links on the
/// way that lead outside `base`.
///
/// `what` names the kind of name in the error ("item ID" …).
pub fn safe_join(base: &Path, name: &str, what: &'static str) -> Result<PathBuf> {
    join_inside(base, name).map_err(|reason| Error::UnsafePath {
        what,
        name: name.to_owned(),
        base: base.to_path_buf(),
        reason,
    })
}

/// [`safe_join`] with the bare reason of a refusal, for callers that report
/// it in their own error type.
pub(crate) fn join_inside(base: &Path, name: &str) -> std::result::Result<PathBuf, &'static str> {
    let refuse = |reason: &'static str| reason;
    if name.is_empty() {
        return Err(refuse("it is empty"));
    }
    if name.contains('\0') {
        return Err(refuse("it contains a NUL character"));
    }
    let rel = Path::new(name);
    let mut joined = base.to_path_buf();
    for comp in rel.components() {
        match comp {
            Component::Normal(c) => joined.push(c),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("it contains a '..' component")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse("it is an absolute path"))
            }
        }
    }
    if joined == base {
        return Err(refuse("it names the directory itself"));
    }
    // Symbolic links: the deepest existing ancestor (or the file itself) must
    // resolve inside the resolved base.
    if let Ok(real_base) = base.canonicalize() {
        let mut probe = joined.clone();
        loop {
            match probe.canonicalize() {
                Ok(real) => {
                    if !real.starts_with(&real_base) {
                        return Err(refuse("a symbolic link on the way leads outside"));
                    }
                    break;
                }
                Err(_) => {
                    // A dangling symlink must not be followed by a later write.
                    if probe.symlink_metadata().is_ok() {
                        return Err(refuse("a symbolic link on the way leads nowhere"));
                    }
                    if !probe.pop() || probe.as_os_str().is_empty() {
                        break;
                    }
                }
            }
        }
    }
    Ok(joined)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory,
/// flushed and synced, then renamed over `path`. The permissions of an existing
/// file are kept; a new file gets `mode` (default 0644).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".jcat-tmp-")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    set_mode(tmp.as_file(), path, mode)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    if let Ok(d) = std::fs::File::open(&dir) {
        // Best effort: make the rename durable.
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, path: &Path, mode: Option<u32>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match std::fs::metadata(path) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => mode.unwrap_or(0o644),
    };
    file.set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io(path, e))
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _path: &Path, _mode: Option<u32>) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsafe_reason(r: Result<PathBuf>) -> &'static str {
        match r {
            Err(Error::UnsafePath { reason, .. }) => reason,
            _ => "accepted",
        }
    }

    #[test]
    fn plain_names_and_subdirectories_are_joined() {
        let base = Path::new("/nonexistent-base");
        assert_eq!(
            safe_join(base, "fw.bin", "item ID").ok(),
            Some(PathBuf::from("/nonexistent-base/fw.bin"))
        );
        assert_eq!(
            safe_join(base, "sub/dir/fw.bin", "item ID").ok(),
            Some(PathBuf::from("/nonexistent-base/sub/dir/fw.bin"))
        );
    }

    #[test]
    fn traversal_absolute_and_empty_are_refused() {
        let base = Path::new("/nonexistent-base");
        assert_eq!(
            unsafe_reason(safe_join(base, "../x", "item ID")),
            "it contains a '..' component"
        );
        assert_eq!(
            unsafe_reason(safe_join(base, "a/../../x", "item ID")),
            "it contains a '..' component"
        );
        assert_eq!(
            unsafe_reason(safe_join(base, "/etc/passwd", "item ID")),
            "it is an absolute path"
        );
        assert_eq!(unsafe_reason(safe_join(base, "", "item ID")), "it is empty");
        assert_eq!(
            unsafe_reason(safe_join(base, "a\0b", "item ID")),
            "it contains a NUL character"
        );
        assert_eq!(
            unsafe_reason(safe_join(base, ".", "item ID")),
            "it names the directory itself"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leading_outside_are_refused() -> std::io::Result<()> {
        let outside = tempfile::tempdir()?;
        let base = tempfile::tempdir()?;
        std::os::unix::fs::symlink(outside.path(), base.path().join("link"))?;
        std::os::unix::fs::symlink(base.path().join("inner"), base.path().join("inlink"))?;
        std::fs::create_dir(base.path().join("inner"))?;
        assert_eq!(
            unsafe_reason(safe_join(base.path(), "link/fw.bin", "item ID")),
            "a symbolic link on the way leads outside"
        );
        assert!(safe_join(base.path(), "inlink/fw.bin", "item ID").is_ok());
        std::os::unix::fs::symlink("/nonexistent/target", base.path().join("dangling"))?;
        assert_eq!(
            unsafe_reason(safe_join(base.path(), "dangling", "item ID")),
            "a symbolic link on the way leads nowhere"
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_mode_and_replaces() -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("f.jcat");
        assert!(write_atomic(&p, b"one", None).is_ok());
        assert_eq!(std::fs::read(&p)?, b"one");
        assert_eq!(std::fs::metadata(&p)?.permissions().mode() & 0o777, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
        assert!(write_atomic(&p, b"two", None).is_ok());
        assert_eq!(std::fs::read(&p)?, b"two");
        assert_eq!(std::fs::metadata(&p)?.permissions().mode() & 0o777, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
        Ok(())
    }
}
