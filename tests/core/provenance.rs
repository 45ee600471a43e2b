//! Provenance of the committed vectors: nothing is copied from another
//! repository, and what we generate is reproduced by its generator.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    crate::common::workspace_root()
}

/// Every file under `dir`, skipping build output, git data and local fuzz corpora.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name();
            if p.is_dir() {
                if !["target", ".git", "corpus", "artifacts"]
                    .iter()
                    .any(|skip| name == *skip)
                {
                    stack.push(p);
                }
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out
}

/// No file of the repository is byte-identical to a file of the borrowed
/// trees of the shared corpus (real-world files from other repositories).
#[test]
fn no_file_is_copied_from_another_repository() {
    crate::shared!("corpus/real");
    let root = crate::common::shared_dir();
    let mut borrowed: HashMap<Vec<u8>, PathBuf> = HashMap::new();
    for tree in ["corpus/real", "corpus/pq/real", "conformance"] {
        let dir = root.join(tree);
        assert!(dir.is_dir(), "{} is missing", dir.display());
        for f in files(&dir) {
            let data = std::fs::read(&f).unwrap();
            if !data.is_empty() {
                borrowed.insert(data, f);
            }
        }
    }
    assert!(
        borrowed.len() > 100,
        "only {} borrowed files",
        borrowed.len()
    );
    let mut checked = 0;
    for f in files(&workspace()) {
        let data = std::fs::read(&f).unwrap();
        if let Some(origin) = borrowed.get(&data) {
            panic!("{} is a copy of {}", f.display(), origin.display());
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files checked");
}

/// `testdata/edge-cases/make.py` regenerates every committed edge case (and
/// the fuzz seeds made from them) byte for byte.
#[test]
fn edge_case_generator_reproduces_the_committed_files() {
    let ws = workspace();
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new("python3")
        .arg(ws.join("testdata/edge-cases/make.py"))
        .arg(out.path())
        .output();
    let Ok(run) = run else {
        eprintln!("SKIPPED: python3 is not installed (needed to run the edge-case generator)");
        return;
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let committed = ws.join("testdata/edge-cases");
    let mut n = 0;
    for f in files(&committed) {
        let name = f.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".jcat") {
            continue;
        }
        let made = std::fs::read(out.path().join(&name))
            .unwrap_or_else(|e| panic!("make.py did not write {name}: {e}"));
        assert_eq!(std::fs::read(&f).unwrap(), made, "{name}");
        let seed = ws
            .join("fuzz/seeds/catalog")
            .join(format!("edge-cases-{name}"));
        assert_eq!(std::fs::read(&seed).unwrap(), made, "{}", seed.display());
        n += 1;
    }
    assert_eq!(
        n,
        files(out.path()).len(),
        "make.py writes uncommitted files"
    );
    assert_eq!(n, 22);
}

/// Whether `.gitattributes` marks `rel` (a `/`-separated path below the
/// workspace) `binary`. Understands the pattern forms the file uses:
/// `*.ext`, `NAME-*` (on the file name) and `dir/**`.
fn marked_binary(attributes: &str, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    attributes
        .lines()
        .filter_map(|l| l.strip_suffix(" binary"))
        .any(|pattern| {
            if let Some(dir) = pattern.strip_suffix("/**") {
                rel.starts_with(&format!("{dir}/"))
            } else if let Some(ext) = pattern.strip_prefix('*') {
                name.ends_with(ext)
            } else if let Some(prefix) = pattern.strip_suffix('*') {
                name.starts_with(prefix)
            } else {
                name == pattern
            }
        })
}

/// `.gitattributes` marks every binary vector `binary` (no end-of-line
/// conversion, no textual diff): each file under `testdata/` and `fuzz/`
/// that is not UTF-8 text matches one of its `binary` patterns.
#[test]
fn gitattributes_marks_every_binary_vector() {
    let ws = workspace();
    let attributes = std::fs::read_to_string(ws.join(".gitattributes")).unwrap();
    assert!(marked_binary(&attributes, "testdata/x/c.jcat"));
    assert!(marked_binary(&attributes, "fuzz/seeds/catalog/any"));
    assert!(!marked_binary(&attributes, "testdata/README.md"));
    let mut binary = 0;
    for top in ["testdata", "fuzz"] {
        for f in files(&ws.join(top)) {
            let data = std::fs::read(&f).unwrap();
            if std::str::from_utf8(&data).is_ok_and(|t| !t.contains('\0')) {
                continue;
            }
            let rel = f
                .strip_prefix(&ws)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            assert!(
                marked_binary(&attributes, &rel),
                "{rel} is binary but .gitattributes does not mark it"
            );
            binary += 1;
        }
    }
    assert!(binary > 10, "only {binary} binary files found");
}
