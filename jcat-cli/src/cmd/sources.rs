//! `sign`/`self-sign` SOURCE arguments expanded into (file, item ID) pairs:
//! a directory stands for every regular file under it, with IDs relative to
//! that directory; a file under `--prefix` gets an ID relative to it.

use std::path::{Component, Path, PathBuf};

use crate::context::Context;
use crate::error::CliError;

/// One file to sign and the ID of the item it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as given (or found under a directory source).
    pub path: String,
    /// The item ID.
    pub id: String,
}

/// The most files one directory source may expand to (a runaway tree is an
/// error, not an endless walk).
const MAX_FILES: usize = 1_000_000;

/// Expands every SOURCE in order. With `--target` the sources are item IDs
/// (not opened): they are kept as given.
pub fn expand(ctx: &Context, sources: &[&str]) -> Result<Vec<Source>, CliError> {
    let mut out = Vec::with_capacity(sources.len());
    for source in sources {
        let is_dir = ctx.target.is_none() && std::fs::metadata(source).is_ok_and(|m| m.is_dir());
        if is_dir {
            let root = Path::new(source);
            let mut files = Vec::new();
            walk(root, &mut files)?;
            if files.is_empty() {
                return Err(CliError::error(format!(
                    "{source}: no regular files under it"
                )));
            }
            files.sort();
            for rel in files {
                let id = rel_id(&rel);
                out.push(Source {
                    path: root.join(&rel).to_string_lossy().into_owned(),
                    id: ctx.id_for(&id),
                });
            }
        } else {
            out.push(Source {
                path: (*source).to_owned(),
                id: file_id(ctx, source),
            });
        }
    }
    Ok(out)
}

/// The ID of a file source: relative to `--prefix` when the file is under it
/// (so `verify --prefix DIR` finds it), then `--basename` as the reference.
fn file_id(ctx: &Context, source: &str) -> String {
    if let Some(prefix) = &ctx.args.prefix {
        if let Some(rel) = under(prefix, Path::new(source)) {
            return ctx.id_for(&rel_id(&rel));
        }
    }
    ctx.id_for(source)
}

/// `path` relative to `prefix` when it is lexically under it (`./` and
/// repeated separators ignored; `..` never matches).
fn under(prefix: &Path, path: &Path) -> Option<PathBuf> {
    let clean = |p: &Path| -> Option<Vec<String>> {
        let mut v = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::Normal(s) => v.push(s.to_string_lossy().into_owned()),
                Component::RootDir => v.push(String::new()),
                Component::ParentDir | Component::Prefix(_) => return None,
            }
        }
        Some(v)
    };
    let (p, f) = (clean(prefix)?, clean(path)?);
    let rest = f.strip_prefix(p.as_slice())?;
    if rest.is_empty() {
        return None;
    }
    Some(rest.iter().collect())
}

/// A relative path as an item ID: components joined with `/`.
fn rel_id(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every regular file under `root` (relative paths); symbolic links are not
/// followed (a link to a file is signed as the file it names, a link to a
/// directory is skipped, so a loop cannot recur).
fn walk(root: &Path, files: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        let entries = std::fs::read_dir(&dir).map_err(|e| io(&dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io(&dir, &e))?;
            let name = rel.join(entry.file_name());
            let path = entry.path();
            let ty = entry.file_type().map_err(|e| io(&path, &e))?;
            if ty.is_dir() {
                stack.push(name);
            } else if ty.is_file() || (ty.is_symlink() && path.is_file()) {
                files.push(name);
                if files.len() > MAX_FILES {
                    return Err(CliError::error(format!(
                        "{}: more than {MAX_FILES} files",
                        root.display()
                    )));
                }
            }
        }
    }
    Ok(())
}

fn io(path: &Path, e: &std::io::Error) -> CliError {
    CliError::error(format!("{}: {}", path.display(), crate::error::io_text(e)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn under_prefix_is_lexical() {
        let p = Path::new;
        assert_eq!(
            under(p("many"), p("many/a.bin")),
            Some(PathBuf::from("a.bin"))
        );
        assert_eq!(
            under(p("./many/"), p("many//x/a")),
            Some(PathBuf::from("x/a"))
        );
        assert_eq!(under(p("many"), p("other/a")), None);
        assert_eq!(under(p("many"), p("many")), None);
        assert_eq!(under(p("many"), p("many/../a")), None);
        assert_eq!(under(p("/abs"), p("abs/a")), None);
    }

    #[test]
    fn walk_finds_regular_files_recursively() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("x/y")).unwrap();
        std::fs::write(d.path().join("a"), b"1").unwrap();
        std::fs::write(d.path().join("x/y/b"), b"2").unwrap();
        let mut files = Vec::new();
        walk(d.path(), &mut files).unwrap();
        files.sort();
        let ids: Vec<String> = files.iter().map(|f| rel_id(f)).collect();
        assert_eq!(ids, ["a", "x/y/b"]);
    }
}
