//! The curated public API (issue 11 §5, D66, docs/architecture.md "Public
//! API"): `jcat-core`'s modules are private and `lib.rs` re-exports what a
//! user needs. This test reads `lib.rs` and fails when a top-level module
//! becomes public that is not on the list below, when a hidden support
//! module loses `#[doc(hidden)]`, or when a `pub use` in `lib.rs` re-exports a
//! whole internal module (which would make all of it semver surface again).

use std::path::{Path, PathBuf};

/// The public top-level modules. Everything else is `mod x;`.
const PUBLIC_MODULES: &[&str] = &[
    "fsutil",
    "fuzzing",
    "import",
    "par",
    "reasons",
    "sign",
    "testing",
    "transparency",
];

/// Public modules that are test support, hidden from the documentation.
const HIDDEN: &[&str] = &["fuzzing", "testing"];

/// Modules that may be re-exported whole: `reasons::rank` is a module of
/// rank constants (the "most specific error" scale).
const WHOLE_MODULE_REEXPORTS: &[&str] = &["rank"];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Top-level module declarations of `lib.rs`: (name, public, hidden).
fn top_level_modules(lib: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let mut hidden = false;
    for line in lib.lines() {
        // Only unindented lines are top-level items.
        if line.starts_with("#[doc(hidden)]") {
            hidden = true;
            continue;
        }
        if line.starts_with("#[") {
            continue;
        }
        let (public, rest) = if let Some(r) = line.strip_prefix("pub mod ") {
            (true, r)
        } else if let Some(r) = line
            .strip_prefix("pub(crate) mod ")
            .or_else(|| line.strip_prefix("mod "))
        {
            (false, r)
        } else if line.starts_with("pub(") && line.contains(" mod ") {
            // `pub(super)`, `pub(in …)`: not public.
            let r = line.split(" mod ").nth(1).unwrap_or("");
            (false, r)
        } else {
            hidden = false;
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.push((name, public, hidden));
        hidden = false;
    }
    out
}

/// Every module name declared anywhere in the crate (`mod x;`, `pub mod x;`,
/// `pub mod x {`), from the source text.
fn all_module_names(src: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let line = line.trim();
                let Some(at) = line.find("mod ") else {
                    continue;
                };
                let head = &line[..at];
                if !(head.is_empty() || head.starts_with("pub")) || head.contains("//") {
                    continue;
                }
                let name: String = line[at + 4..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The last segments of every `pub use` path in `lib.rs` (inline modules
/// included; `a::{b, c::d}` gives `b` and `d`).
fn reexported_names(lib: &str) -> Vec<String> {
    let text: String = lib
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = Vec::new();
    for stmt in text.split(';') {
        let Some(at) = stmt.find("pub use ") else {
            continue;
        };
        let path = &stmt[at + "pub use ".len()..];
        let (prefix, items): (&str, Vec<&str>) = match path.find('{') {
            Some(open) => (
                path[..open].trim_end_matches(':'),
                path[open + 1..]
                    .trim_end_matches(['}', ' ', '\n'])
                    .split(',')
                    .collect(),
            ),
            None => ("", vec![path]),
        };
        for item in items {
            let item = item.trim();
            let item = item.split(" as ").next().unwrap_or(item);
            let last = match item.rsplit("::").next().unwrap_or("").trim() {
                // `a::{self, …}` re-exports `a` itself.
                "self" => prefix.rsplit("::").next().unwrap_or(""),
                last => last,
            };
            if !last.is_empty() && last != "*" {
                names.push(last.to_string());
            }
        }
    }
    names
}

/// What is wrong with a `lib.rs` text, given the crate's module names.
fn problems(lib: &str, modules: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    for (name, public, hidden) in top_level_modules(lib) {
        if public && !PUBLIC_MODULES.contains(&name.as_str()) {
            bad.push(format!("`pub mod {name}` is not on the public list"));
        }
        if public && HIDDEN.contains(&name.as_str()) && !hidden {
            bad.push(format!("`{name}` must stay #[doc(hidden)]"));
        }
    }
    for name in reexported_names(lib) {
        if modules.contains(&name) && !WHOLE_MODULE_REEXPORTS.contains(&name.as_str()) {
            bad.push(format!("`pub use …::{name}` re-exports a whole module"));
        }
    }
    bad
}

#[test]
fn only_the_curated_modules_are_public() {
    let src = src_dir();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules = all_module_names(&src);
    // The check sees the crate: the internal modules are found.
    for m in [
        "engine", "verify", "trust", "digest", "format", "bt", "checksum",
    ] {
        assert!(modules.contains(&m.to_string()), "{m} not found");
    }
    let mut declared: Vec<String> = top_level_modules(&lib)
        .into_iter()
        .filter(|(_, public, _)| *public)
        .map(|(n, _, _)| n)
        .collect();
    declared.sort();
    assert_eq!(declared, PUBLIC_MODULES, "public top-level modules");
    assert_eq!(problems(&lib, &modules), Vec::<String>::new());
}

#[test]
fn the_check_sees_a_module_made_public_again() {
    let modules: Vec<String> = ["engine", "bt", "rank", "sign"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        problems("mod sign;\npub mod engine;\n", &modules),
        ["`pub mod engine` is not on the public list"]
    );
    assert_eq!(
        problems("pub(crate) mod engine;\npub mod testing;\n", &modules),
        ["`testing` must stay #[doc(hidden)]"]
    );
    assert!(problems("#[doc(hidden)]\npub mod testing;\nmod engine;\n", &modules).is_empty());
    assert_eq!(
        problems(
            "pub mod reasons {\n    pub use crate::engine::{bt, rank};\n}\n",
            &modules
        ),
        ["`pub use …::bt` re-exports a whole module"]
    );
    assert_eq!(
        problems(
            "pub use engine::{self, SigError};\npub use engine::bt;\n",
            &modules
        ),
        [
            "`pub use …::engine` re-exports a whole module",
            "`pub use …::bt` re-exports a whole module"
        ]
    );
}

#[test]
fn trusted_certificates_show_subject_issuer_serial_and_validity() {
    use jcat_core::testing::internals::{checksum, DigestAlg};
    use jcat_core::testing::{self, CertParams, Role, TestKey};
    use jcat_core::{Limits, TrustStore};

    let key = TestKey::generate_p256();
    let ca = CertParams {
        subject: "CN=Accessor CA,O=jcat tests",
        serial: 0x01_2345,
        role: Role::Ca { path_len: None },
        not_before: 1_700_000_000,
        not_after: 1_900_000_000,
    };
    let ca_der = testing::certificate(&ca, &key, None).unwrap();
    let leaf_key = TestKey::generate_p256();
    let leaf = CertParams {
        subject: "CN=Accessor Leaf,O=jcat tests",
        serial: 7,
        role: Role::CodeSigning,
        not_before: 1_710_000_000,
        not_after: 1_800_000_000,
    };
    let leaf_der = testing::certificate(&leaf, &leaf_key, Some((&ca_der, &key))).unwrap();
    let mut pem = testing::pem("CERTIFICATE", &ca_der).unwrap();
    pem.push_str(&testing::pem("CERTIFICATE", &leaf_der).unwrap());
    let mut trust = TrustStore::new();
    trust.add_bytes(Path::new("bundle.pem"), pem.as_bytes(), &Limits::default());
    assert!(trust.skipped().is_empty(), "{:?}", trust.skipped());
    let [c, l] = trust.certificates() else {
        panic!("two certificates expected");
    };
    assert_eq!(c.subject(), "CN=Accessor CA,O=jcat tests");
    assert_eq!(c.issuer(), c.subject());
    assert_eq!(c.serial_hex(), "012345");
    assert_eq!(
        (c.not_before(), c.not_after()),
        (1_700_000_000, 1_900_000_000)
    );
    assert_eq!(c.der(), ca_der);
    assert_eq!(
        c.fingerprint_sha256(),
        checksum::create(DigestAlg::Sha256, &ca_der)
    );
    assert_eq!(l.subject(), "CN=Accessor Leaf,O=jcat tests");
    assert_eq!(l.issuer(), "CN=Accessor CA,O=jcat tests");
    assert_eq!(l.serial_hex(), "07");
    assert_eq!(
        (l.not_before(), l.not_after()),
        (1_710_000_000, 1_800_000_000)
    );
    assert_eq!(l.der(), leaf_der);
}
