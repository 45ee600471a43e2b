//! The layer check (issue 11 §2, docs/architecture.md "Layers"): every file
//! under `jcat-core/src/<layer>/` may use only its own layer and the ones
//! before it, in the order
//! `model → time → format → x509 → trust → engine → verify → sign`, with the
//! utilities (`error`, `limits`, `fsutil`, `payload`, `digest`, `par`) below
//! all of them. `lib.rs`, `testing` and `fuzzing` are exempt, and so are
//! `#[cfg(test)]` modules (tests may build what they need from any layer).
//!
//! The check reads the source text: every `crate::…` path (also inside
//! `use crate::{…}` groups) and every `super::…` path that climbs to the
//! crate root, with comments removed. Names re-exported at the crate root
//! (`crate::Limits`) are resolved through `lib.rs`'s `pub use` lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Utilities (rank 0), then the layers in order.
const LAYERS: &[(&str, usize)] = &[
    ("error", 0),
    ("limits", 0),
    ("fsutil", 0),
    ("payload", 0),
    ("digest", 0),
    ("par", 0),
    ("model", 1),
    ("time", 2),
    ("format", 3),
    ("x509", 4),
    ("trust", 5),
    ("engine", 6),
    ("verify", 7),
    ("sign", 8),
];

/// Not checked: the crate root and the test/fuzz support modules.
const EXEMPT: &[&str] = &["lib", "testing", "fuzzing"];

/// Back-edges being removed elsewhere (the "verdict" work on issue 11 §1
/// gives the chain code its own `ChainError` instead of `engine::SigError`).
/// Each entry is (file relative to `src/`, layer it may still use). Remove an
/// entry as soon as its edge is gone: a stale entry fails the test too.
const PENDING: &[(&str, &str)] = &[
    ("trust/x509/chain.rs", "engine"),
    ("trust/x509/error.rs", "engine"),
    ("trust/x509/path.rs", "engine"),
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, r)| *r)
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file relative to `src/` (`engine/pgp/mod.rs` →
/// `["engine", "pgp"]`).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// Removes `//` comments (line and trailing; not inside string literals).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str && c == '/' && prev == '/' {
                cut = i - 1;
                break;
            }
            prev = c;
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// Removes inline `#[cfg(test)] mod name { … }` blocks (brace counting).
fn strip_test_modules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find("#[cfg(test)]") {
        let after = &rest[pos + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let is_inline_mod = trimmed.starts_with("mod ")
            && trimmed
                .find(['{', ';'])
                .is_some_and(|i| trimmed.as_bytes()[i] == b'{');
        out.push_str(&rest[..pos]);
        if !is_inline_mod {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let open = after.find('{').unwrap();
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices().skip_while(|(i, _)| *i < open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segments named after `crate::` (one, or each member of a
/// `crate::{…}` group), and after `super::` chains that climb to the root.
fn root_names(text: &str, module: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let push_group_or_ident = |rest: &str, names: &mut Vec<String>| {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1usize;
            let mut at_item_start = true;
            for (i, c) in group.char_indices() {
                if at_item_start && !c.is_whitespace() {
                    at_item_start = false;
                    let name = ident_at(&group[i..]);
                    if depth == 1 && !name.is_empty() && name != "self" {
                        names.push(name.to_string());
                    }
                }
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => at_item_start = true,
                    _ => {}
                }
            }
        } else {
            let name = ident_at(rest);
            if !name.is_empty() {
                names.push(name.to_string());
            }
        }
    };
    let bytes = text.as_bytes();
    for (pos, _) in text.match_indices("crate::") {
        let before = pos.checked_sub(1).map(|p| bytes[p]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            continue; // `$crate::`, `jcat_crate::`
        }
        push_group_or_ident(&text[pos + "crate::".len()..], &mut names);
    }
    for (pos, _) in text.match_indices("super::") {
        let before = pos.checked_sub(1).map(|p| bytes[p]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
            continue; // counted from the first `super` of the chain
        }
        let mut rest = &text[pos..];
        let mut up = 0usize;
        while let Some(r) = rest.strip_prefix("super::") {
            up += 1;
            rest = r;
        }
        if up >= module.len() {
            push_group_or_ident(rest, &mut names);
        }
    }
    names
}

/// Crate-root names (`Limits`, `load_path`) → the top-level module that
/// defines them, from `lib.rs`'s `pub use` statements.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let lib = strip_comments(lib);
    for stmt in lib.split(';') {
        let Some(at) = stmt.find("pub use ") else {
            continue;
        };
        let path = &stmt[at + "pub use ".len()..];
        let module = ident_at(path.trim_start()).to_string();
        if let Some(open) = path.find('{') {
            for item in path[open + 1..]
                .trim_end_matches(['}', ' ', '\n'])
                .split(',')
            {
                let name = item.trim().rsplit("::").next().unwrap_or("").trim();
                let name = name.rsplit(" as ").next().unwrap_or(name).trim();
                if !name.is_empty() {
                    map.insert(name.to_string(), module.clone());
                }
            }
        } else if let Some(name) = path.trim().rsplit("::").next() {
            map.insert(name.trim().to_string(), module.clone());
        }
    }
    map
}

/// Whether the file's module (or an ancestor) is declared under
/// `#[cfg(test)]` in its parent.
fn is_test_module(src: &Path, module: &[String]) -> bool {
    for depth in 1..module.len() {
        let parent = &module[..depth];
        let name = &module[depth];
        let parent_dir: PathBuf = parent.iter().collect();
        let candidates = [
            src.join(&parent_dir).join("mod.rs"),
            src.join(format!("{}.rs", parent_dir.display())),
        ];
        for file in candidates {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let decl = format!("mod {name};");
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                if line.ends_with(&decl) && i > 0 && lines[i - 1].starts_with("#[cfg(test") {
                    return true;
                }
            }
        }
    }
    false
}

/// Back-edges of one file: (layer used, name) pairs that break the order.
fn back_edges(
    layer: &str,
    text: &str,
    module: &[String],
    reexports: &BTreeMap<String, String>,
) -> Result<Vec<String>, String> {
    let own = rank(layer).ok_or_else(|| format!("layer `{layer}` is not in LAYERS"))?;
    let text = strip_test_modules(&strip_comments(text));
    let mut bad = Vec::new();
    for name in root_names(&text, module) {
        let target = if rank(&name).is_some() || EXEMPT.contains(&name.as_str()) {
            name.clone()
        } else if let Some(m) = reexports.get(&name) {
            m.clone()
        } else {
            return Err(format!(
                "crate::{name} is neither a layer nor a root re-export"
            ));
        };
        if EXEMPT.contains(&target.as_str()) {
            bad.push(target);
            continue;
        }
        let r = rank(&target).ok_or_else(|| format!("layer `{target}` is not in LAYERS"))?;
        if r > own {
            bad.push(target);
        }
    }
    bad.sort();
    bad.dedup();
    Ok(bad)
}

#[test]
fn layers_use_only_earlier_layers() {
    let src = src_dir();
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut pending_seen = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = module_path(rel);
        let layer = module.first().cloned().unwrap_or_else(|| "lib".into());
        if EXEMPT.contains(&layer.as_str()) || is_test_module(&src, &module) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        for target in back_edges(&layer, &text, &module, &reexports).unwrap() {
            if PENDING.contains(&(rel_s.as_str(), target.as_str())) {
                pending_seen.push((rel_s.clone(), target));
            } else {
                violations.push(format!("{rel_s} ({layer}) uses {target}"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "a layer uses a later one (order: utilities → model → time → format → \
         x509 → trust → engine → verify → sign):\n{}",
        violations.join("\n")
    );
    for (file, target) in PENDING {
        assert!(
            pending_seen.iter().any(|(f, t)| f == file && t == target),
            "PENDING lists {file} → {target}, which is gone: remove the entry"
        );
    }
    // Sanity: the walk saw every layer.
    for (layer, _) in LAYERS {
        assert!(
            files.iter().any(|f| {
                let rel = f.strip_prefix(&src).unwrap();
                module_path(rel).first().map(String::as_str) == Some(*layer)
            }),
            "no file found for layer {layer}"
        );
    }
}

#[test]
fn the_check_sees_back_edges() {
    let reexports = root_reexports(
        "pub use verify::{verify_item, Policy};\npub use limits::Limits;\npub use x::Y as Z;\n",
    );
    let module = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    let check =
        |layer: &str, text: &str, m: &str| back_edges(layer, text, &module(m), &reexports).unwrap();
    // Direct paths, groups, root re-exports and `super` climbing to the root.
    assert_eq!(
        check("model", "use crate::verify::Policy;", "model::blob"),
        ["verify"]
    );
    assert_eq!(
        check(
            "trust",
            "use crate::{digest::hex, engine::SigError};",
            "trust::x509::chain"
        ),
        ["engine"]
    );
    assert_eq!(
        check("format", "fn f(p: crate::Policy) {}", "format::read"),
        ["verify"]
    );
    assert_eq!(
        check("x509", "use super::super::sign::x;", "x509::cert"),
        ["sign"]
    );
    assert_eq!(
        check("model", "use crate::testing::x;", "model::blob"),
        ["testing"]
    );
    // Allowed: own layer, earlier layers, comments, test modules, `$crate`.
    assert!(check(
        "engine",
        "use crate::{trust::TrustStore, Limits};",
        "engine::pkcs7"
    )
    .is_empty());
    assert!(check("model", "// see crate::verify::Policy\n", "model::blob").is_empty());
    assert!(check("model", "use super::kind::BlobKind;", "model::blob").is_empty());
    assert!(check(
        "model",
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    use crate::sign::x;\n    fn b() { if true { } }\n}\nfn c() {}\n",
        "model::blob"
    )
    .is_empty());
    assert!(check(
        "model",
        "macro_rules! m { () => { $crate::verify::x } }",
        "model::blob"
    )
    .is_empty());
    // An unknown root name is an error, not a pass.
    assert!(back_edges(
        "model",
        "use crate::Nope;",
        &module("model::blob"),
        &reexports
    )
    .is_err());
}
