//! `--generate man|bash|zsh|fish`: every command and every option of each
//! command (as its `--help` lists them) appears in the man pages and in each
//! completion script.

use crate::common::*;

const COMMANDS: [&str; 9] = [
    "add-alias",
    "export",
    "import",
    "info",
    "remove-alias",
    "self-sign",
    "sign",
    "verify",
    "pki",
];

/// Long options a command's `--help` lists.
fn options_of(dir: &std::path::Path, command: &str) -> Vec<String> {
    let r = jt_ok(dir, &[command, "--help"]);
    let mut opts: Vec<String> = r
        .stdout
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_owned()
        })
        .collect();
    opts.sort();
    opts.dedup();
    opts
}

#[test]
fn man_pages_cover_every_command_and_option() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let r = jt(p, "--generate man --prefix man").ok();
    let mut wrote: Vec<&str> = r.stdout.lines().collect();
    wrote.sort_unstable();
    let mut want: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("Wrote man/jcat-tool-{c}.1"))
        .collect();
    want.push("Wrote man/jcat-tool.1".into());
    want.sort();
    assert_eq!(wrote, want);
    let read = |name: &str| {
        std::fs::read_to_string(p.join("man").join(name))
            .unwrap()
            .replace("\\-", "-")
            .replace("\\fB", "")
            .replace("\\fR", "")
    };
    let top = read("jcat-tool.1");
    assert!(
        top.starts_with(".ie \\n(.g .ds Aq") || top.contains(".TH jcat-tool 1"),
        "{top}"
    );
    for c in COMMANDS {
        assert!(top.contains(c), "jcat-tool.1 lacks {c}");
        let page = read(&format!("jcat-tool-{c}.1"));
        assert!(
            page.contains(&format!(".TH jcat-tool-{c} 1")),
            "{c}: {page}"
        );
        assert!(
            page.contains(&format!("jcat-tool {c} [OPTIONS]")),
            "{c}: usage"
        );
        let opts = options_of(p, c);
        assert!(opts.contains(&"--prefix".to_owned()), "{c}: {opts:?}");
        for o in &opts {
            assert!(page.contains(o.as_str()), "jcat-tool-{c}.1 lacks {o}");
        }
    }
    for o in ["--generate", "--version", "--keyring"] {
        assert!(top.contains(o), "jcat-tool.1 lacks {o}");
    }
}

#[test]
fn completions_cover_every_command_and_option() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let all: Vec<(&str, Vec<String>)> = COMMANDS.iter().map(|c| (*c, options_of(p, c))).collect();
    for shell in ["bash", "zsh", "fish"] {
        let r = jt(p, &["--generate", shell]).says(0, "");
        assert!(r.stdout.contains("jcat-tool"), "{shell}");
        for (c, opts) in &all {
            assert!(r.stdout.contains(c), "{shell} lacks {c}");
            for o in opts {
                // fish writes `-l min-signers`, the others `--min-signers`.
                let bare = o.trim_start_matches('-');
                assert!(
                    r.stdout.contains(o.as_str()) || r.stdout.contains(&format!("-l {bare}")),
                    "{shell} completion lacks {o} of {c}"
                );
            }
        }
    }
    jt(p, "--generate tcsh").says(
        2,
        "Failed to parse --generate 'tcsh', expected man,bash,zsh,fish\n",
    );
}
