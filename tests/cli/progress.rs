//! Progress lines for payloads over 64 MiB: on a terminal (a pty made by
//! `script`) they are drawn on stderr while stdout stays exactly the result
//! lines; with `TERM=dumb`, `--json`, `--quiet` or off a terminal nothing is drawn.

use std::path::Path;

use crate::common::*;

/// Two sparse 68 MB payloads with their sha256 in `c.jcat`.
fn large_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for n in ["a.bin", "b.bin"] {
        let f = std::fs::File::create(d.path().join(n)).unwrap();
        f.set_len(68_000_000).unwrap();
    }
    jt(d.path(), "self-sign --kind sha256 c.jcat a.bin b.bin").ok();
    d
}

/// Runs `jcat-tool ARGS > out.txt` on a pty; returns (terminal bytes, stdout file).
fn on_pty(dir: &Path, term: &str, args: &str) -> (String, String) {
    let cmd = format!("{} {args} > out.txt", env!("CARGO_BIN_EXE_jcat-tool"));
    let mut script = std::process::Command::new("script");
    script.env("TERM", term);
    let tty = run(script, dir, &["-qec", &cmd, "/dev/null"]).ok().stdout;
    let stdout = std::fs::read_to_string(dir.join("out.txt")).unwrap();
    (tty, stdout)
}

const RESULT: &str = "a.bin:\n    PASSED sha256: OK\nb.bin:\n    PASSED sha256: OK\n";

#[test]
fn progress_on_a_terminal_never_touches_stdout() {
    if !have_tool("script") {
        return;
    }
    let d = large_dir();
    let p = d.path();
    let (tty, stdout) = on_pty(p, "xterm", "verify c.jcat");
    assert_eq!(stdout, RESULT);
    assert!(tty.contains("a.bin") && tty.contains("MiB"), "{tty:?}");
    for (term, args) in [
        ("dumb", "verify c.jcat"),
        ("xterm", "verify --quiet c.jcat"),
    ] {
        let (tty, stdout) = on_pty(p, term, args);
        assert_eq!(tty, "", "{term} {args}");
        assert_eq!(stdout, if args.contains("quiet") { "" } else { RESULT });
    }
    let (tty, stdout) = on_pty(p, "xterm", "verify --json c.jcat");
    assert_eq!(tty, "");
    assert!(stdout.starts_with("{\n"), "{stdout}");
    // Off a terminal: nothing on stderr.
    jt(p, "verify c.jcat").outputs(0, RESULT, "");
    // Signing a large payload shows a line too, and writes nothing on stdout.
    let (tty, stdout) = on_pty(
        p,
        "xterm",
        "--keyring kr self-sign --kind ed25519 c.jcat a.bin",
    );
    assert_eq!(stdout, "");
    assert!(tty.contains("a.bin"), "{tty:?}");
}

/// Nothing is coloured: no SGR sequence (`ESC [ … m`) on a terminal, in help
/// or progress, with or without `NO_COLOR`.
#[test]
fn no_colour_on_a_terminal() {
    if !have_tool("script") {
        return;
    }
    let d = large_dir();
    let p = d.path();
    let sgr = |s: &str| {
        s.split('\x1b').skip(1).any(|seq| {
            seq.strip_prefix('[').and_then(|r| {
                r.find(|c: char| c.is_ascii_alphabetic())
                    .map(|i| &r[i..i + 1])
            }) == Some("m")
        })
    };
    for args in ["verify c.jcat", "verify --help", "--help", "help sign"] {
        let (tty, stdout) = on_pty(p, "xterm-256color", args);
        assert!(!sgr(&tty) && !sgr(&stdout), "{args}: {tty:?} {stdout:?}");
        assert!(!stdout.is_empty(), "{args}");
    }
}
