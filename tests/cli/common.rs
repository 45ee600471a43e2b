//! Helpers: run ours or the reference, temp dirs; test data and the shared
//! corpus through the helpers of both suites (`tests/common/mod.rs`).
//!
//! A test reads as the commands it runs and what it expects of each:
//!
//! ```text
//! jt(p, "pki create-ca root --subject 'CN=Store Root,O=Store'").ok();
//! jt(p, "verify c.jcat --public-key root/cert.pem")
//!     .code(1)
//!     .stdout_has("FAILED pkcs7");
//! verify_at(p, "c.jcat --public-key root/cert.pem", 0, "fw.bin:\n    PASSED …\n");
//! ```
//!
//! A command line is split into words at spaces (`'…'` quotes a word that
//! holds spaces); paths that may hold spaces go in a slice instead
//! (`jt(p, &["verify", "c.jcat", "--public-key", key.to_str().unwrap()])`).
//! The [`Run`] assertions return the run, so they chain, and their failure
//! message shows the command, its exit code, stdout and stderr.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../common/mod.rs"]
mod both;
pub use both::*;

/// Our binary.
pub fn ours() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jcat-tool"));
    c.env_remove("XDG_DATA_HOME");
    c
}

/// The reference jcat-tool (Debian's `jcat` package).
pub fn reference() -> Command {
    let mut c = Command::new("jcat-tool");
    c.env("G_MESSAGES_DEBUG", "");
    c
}

/// Command-line arguments. A `&str` is a command line split into words at
/// spaces, with `'…'` quoting a word that holds spaces (no other escapes);
/// slices and vectors are taken word for word (paths, which may hold spaces,
/// go that way).
pub trait Args {
    fn words(&self) -> Vec<String>;
}

impl Args for str {
    fn words(&self) -> Vec<String> {
        words(self)
    }
}

impl Args for String {
    fn words(&self) -> Vec<String> {
        words(self)
    }
}

impl Args for [&str] {
    fn words(&self) -> Vec<String> {
        self.iter().map(|s| (*s).to_owned()).collect()
    }
}

impl<const N: usize> Args for [&str; N] {
    fn words(&self) -> Vec<String> {
        self.as_slice().words()
    }
}

impl Args for Vec<&str> {
    fn words(&self) -> Vec<String> {
        self.as_slice().words()
    }
}

impl Args for [String] {
    fn words(&self) -> Vec<String> {
        self.to_vec()
    }
}

impl Args for Vec<String> {
    fn words(&self) -> Vec<String> {
        self.clone()
    }
}

/// Splits `line` at runs of spaces; `'…'` quotes (part of) a word.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(!quoted, "unbalanced quote in {line:?}");
    out.extend(word);
    out
}

/// Result of a run.
pub struct Run {
    /// The program and its arguments, for failure messages.
    pub what: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0; shows the command, stdout and stderr otherwise.
    #[track_caller]
    pub fn ok(self) -> Self {
        self.code(0)
    }

    /// Asserts exit code `code`.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(self.code, code, "{self}");
        self
    }

    /// Asserts a non-zero exit code.
    #[track_caller]
    pub fn fails(self) -> Self {
        assert_ne!(self.code, 0, "{self}");
        self
    }

    /// Asserts exit code `code` and exactly `stdout`.
    #[track_caller]
    pub fn prints(self, code: i32, stdout: &str) -> Self {
        assert_eq!((self.code, self.stdout.as_str()), (code, stdout), "{self}");
        self
    }

    /// Asserts exit code `code`, exactly `stdout` and exactly `stderr`.
    #[track_caller]
    pub fn outputs(self, code: i32, stdout: &str, stderr: &str) -> Self {
        assert_eq!(
            (self.code, self.stdout.as_str(), self.stderr.as_str()),
            (code, stdout, stderr),
            "{}",
            self.what
        );
        self
    }

    /// A passed `verify`: exit 0, exactly `stdout`, nothing on stderr.
    #[track_caller]
    pub fn passed(self, stdout: &str) -> Self {
        self.outputs(0, stdout, "")
    }

    /// A failed `verify`: exit 1, exactly `stdout`, and the reference's
    /// `Validation failed` on stderr.
    #[track_caller]
    pub fn failed_with(self, stdout: &str) -> Self {
        self.outputs(1, stdout, "Validation failed\n")
    }

    /// Asserts exit code `code` and exactly `stderr`.
    #[track_caller]
    pub fn says(self, code: i32, stderr: &str) -> Self {
        assert_eq!((self.code, self.stderr.as_str()), (code, stderr), "{self}");
        self
    }

    /// Asserts that stdout contains `part`.
    #[track_caller]
    pub fn stdout_has(self, part: &str) -> Self {
        assert!(
            self.stdout.contains(part),
            "no {part:?} in stdout of {self}"
        );
        self
    }

    /// Asserts that stderr contains `part`.
    #[track_caller]
    pub fn stderr_has(self, part: &str) -> Self {
        assert!(
            self.stderr.contains(part),
            "no {part:?} in stderr of {self}"
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (exit {})\n--- stdout\n{}--- stderr\n{}",
            self.what, self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `cmd` with `args` in `dir`.
pub fn run<A: Args + ?Sized>(mut cmd: Command, dir: &Path, args: &A) -> Run {
    let args = args.words();
    let out: Output = cmd.current_dir(dir).args(&args).output().expect("spawn");
    Run {
        what: format!("{:?} {args:?}", cmd.get_program()),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs ours in `dir`.
pub fn jt<A: Args + ?Sized>(dir: &Path, args: &A) -> Run {
    run(ours(), dir, args)
}

/// Runs the reference in `dir`.
pub fn rt<A: Args + ?Sized>(dir: &Path, args: &A) -> Run {
    run(reference(), dir, args)
}

/// Runs the program `name` (openssl, certtool, …) in `dir`.
pub fn tool<A: Args + ?Sized>(dir: &Path, name: &str, args: &A) -> Run {
    run(Command::new(name), dir, args)
}

/// A file's bytes, to check later that a refused command left it alone.
pub struct Snapshot {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Snapshot {
    /// Reads `path` now.
    pub fn of(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let bytes = std::fs::read(&path).unwrap();
        Snapshot { path, bytes }
    }

    /// Asserts that the file still holds the bytes read by [`Snapshot::of`].
    #[track_caller]
    pub fn assert_untouched(&self) {
        let now = std::fs::read(&self.path).unwrap();
        assert!(now == self.bytes, "{} changed", self.path.display());
    }
}

/// A temp dir holding a copy of libjcat's colorhug payload and signatures
/// (from the shared corpus); `None` after `SKIPPED: …` when it is absent.
pub fn colorhug_dir() -> Option<tempfile::TempDir> {
    let src = shared("corpus/real/hughsie-libjcat/data/tests/colorhug")?;
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    Some(dir)
}

/// Loads a catalog with the library.
pub fn load(path: &Path) -> jcat_core::Catalog {
    jcat_core::load_path(path, &jcat_core::Limits::default()).unwrap()
}

/// Drops `Timestamp:` lines (the reference invents "now" for missing ones).
pub fn without_timestamps(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with("Timestamp:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

pub const FW_SHA256: &str = "a196504d09871da4f7d83b874b500f8ee6e0619ab799f074814b316d88f96f7f";

/// Runs ours in `dir`; the run must succeed (exit 0, else the stderr is shown).
#[track_caller]
pub fn jt_ok<A: Args + ?Sized>(dir: &Path, args: &A) -> Run {
    jt(dir, args).ok()
}

/// Runs ours as `verify ARGS…` in `dir` and asserts its exit code and stdout.
#[track_caller]
pub fn verify_at<A: Args + ?Sized>(dir: &Path, args: &A, code: i32, stdout: &str) -> Run {
    let mut all = vec!["verify".to_owned()];
    all.extend(args.words());
    jt(dir, &all).prints(code, stdout)
}

/// Runs ours as `--keyring kr self-sign ARGS…` in `dir`; it must succeed.
#[track_caller]
pub fn self_sign<A: Args + ?Sized>(dir: &Path, args: &A) -> Run {
    let mut all = words("--keyring kr self-sign");
    all.extend(args.words());
    jt_ok(dir, &all)
}

/// Runs `gpg --batch` in the parent of `home`, with `GNUPGHOME=home` and the
/// loopback `passphrase`; it must succeed. Returns its stdout.
#[track_caller]
pub fn gpg_in(home: &Path, passphrase: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new("gpg")
        .current_dir(home.parent().unwrap_or(home))
        .env("GNUPGHOME", home)
        .args([
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
        ])
        .args(args)
        .output()
        .expect("spawn gpg");
    assert!(
        out.status.success(),
        "gpg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn command_lines_split_into_words_with_quotes() {
    assert_eq!(
        words("pki  create-ca root --subject 'CN=A B,O=C' x'y z'"),
        [
            "pki",
            "create-ca",
            "root",
            "--subject",
            "CN=A B,O=C",
            "xy z"
        ]
    );
    assert_eq!(words("a ''"), ["a", ""]);
    assert!(words(" ").is_empty());
}
