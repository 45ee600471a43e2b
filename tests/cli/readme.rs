//! The README's "The two commands" section, run as written: the arguments are
//! parsed out of README.md so the README and the tests cannot drift.

use std::path::PathBuf;

use crate::common::*;

fn workspace() -> PathBuf {
    workspace_root()
}

/// The fenced blocks (info string, body) of the README section `heading`.
fn blocks(heading: &str) -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme.find(heading).expect("README section");
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            out.push((info.to_string(), body.join("\n") + "\n"));
        }
    }
    out
}

/// The arguments after `--` of a `cargo run -p jcat-cli -- …` block.
fn jcat_args(block: &str) -> Vec<String> {
    let joined = block.replace("\\\n", " ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    assert_eq!(
        words[..4],
        ["cargo", "run", "-p", "jcat-cli"],
        "not a jcat-tool command: {block}"
    );
    let dash = words.iter().position(|w| *w == "--").unwrap();
    words[dash + 1..].iter().map(|w| w.to_string()).collect()
}

fn sh_blocks() -> Vec<String> {
    blocks("## The two commands")
        .into_iter()
        .filter(|(info, _)| info == "sh")
        .map(|(_, body)| body)
        .collect()
}

/// The first command verifies the shipped example, made by our own tools, on
/// a fresh clone (no `../shared`), and prints exactly the output the README
/// shows under it.
#[test]
fn readme_first_command_verifies_the_shipped_example() {
    let args = jcat_args(&sh_blocks()[0]);
    assert!(
        args.iter().all(|a| !a.contains("shared")),
        "the first command must not need ../shared: {args:?}"
    );
    let r = jt(&workspace(), &args).ok();
    let shown = blocks("## The two commands")
        .into_iter()
        .find(|(info, _)| info == "text")
        .map(|(_, body)| body)
        .unwrap();
    assert_eq!(r.stdout, shown);
    for kind in ["sha256", "pkcs7", "ed25519", "gpg"] {
        assert!(
            r.stdout.contains(&format!("    PASSED {kind}: ")),
            "{kind}: {}",
            r.stdout
        );
    }
    assert_eq!(r.stderr, "");
}

/// The reference jcat-tool accepts the example too (given a throw-away
/// keyring), so it is a valid Jcat file and not just one we like.
#[test]
fn readme_example_verifies_in_the_reference() {
    if !have_tool("jcat-tool") {
        return;
    }
    let keyring = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--keyring".to_string(),
        keyring.path().to_string_lossy().into_owned(),
    ];
    args.extend(jcat_args(&sh_blocks()[0]));
    let r = rt(&workspace(), &args).ok();
    assert_eq!(r.stdout.matches("    PASSED ").count(), 4, "{}", r.stdout);
}

/// The second command, on the real LVFS catalog in `../shared` (or
/// `$JCAT_SHARED_DIR`): every blob of both items passes.
#[test]
fn readme_second_command_verifies_the_real_lvfs_catalog() {
    crate::shared!("corpus/real/fwupd-fwupd/data/tests");
    let root = shared_dir();
    let root = root.to_string_lossy();
    let args: Vec<String> = jcat_args(&sh_blocks()[1])
        .into_iter()
        .map(|a| a.replacen("../shared", &root, 1))
        .collect();
    let r = jt(&workspace(), &args).ok();
    assert_eq!(r.stdout.matches("    PASSED ").count(), 8, "{}", r.stdout);
    assert!(!r.stdout.contains("FAILED"), "{}", r.stdout);
}
