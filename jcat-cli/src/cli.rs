//! Command-line definition. Options may stand before or after the command, as
//! with GLib's option parser; the first positional argument is the command.

use std::path::PathBuf;

use clap::Parser;

/// Parsed command line.
#[derive(Parser, Debug, Default)]
#[command(
    name = "jcat-tool",
    disable_help_flag = true,
    disable_version_flag = true,
    allow_negative_numbers = true
)]
pub struct Args {
    /// Show help options.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
    /// Print the version number.
    #[arg(long)]
    pub version: bool,
    /// Print verbose debug statements.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Only consider the basename for the ID.
    #[arg(long)]
    pub basename: bool,
    /// Disable time checks when verifying.
    #[arg(long = "disable-time-checks")]
    pub disable_time_checks: bool,
    /// Location of public key used for verification (repeatable).
    #[arg(long = "public-key", value_name = "FILE")]
    pub public_key: Vec<PathBuf>,
    /// Location of public key directories used for verification (repeatable).
    #[arg(long = "public-keys", value_name = "DIR")]
    pub public_keys: Vec<PathBuf>,
    /// Prefix for payloads (verify) and output files (export).
    #[arg(long)]
    pub prefix: Option<PathBuf>,
    /// Kind for blob, e.g. `gpg`.
    #[arg(long)]
    pub kind: Option<String>,
    /// Target for blob, e.g. `sha256`.
    #[arg(long)]
    pub target: Option<String>,
    /// Appstream ID for blob, e.g. `com.bbc`.
    #[arg(long = "appstream-id")]
    pub appstream_id: Option<String>,
    /// Keyring location, e.g. `/var/lib/fwupd`.
    #[arg(long)]
    pub keyring: Option<PathBuf>,
    /// verify: print one JSON report on stdout.
    #[arg(long)]
    pub json: bool,
    /// verify: signature policy: ignore, verify (default) or require.
    #[arg(long)]
    pub policy: Option<String>,
    /// verify: a name that must appear in a verified signer chain (repeatable).
    #[arg(long = "require-signer", value_name = "NAME")]
    pub require_signer: Vec<String>,
    /// verify: at least K signatures from distinct keys per item.
    #[arg(long = "min-signers", value_name = "K")]
    pub min_signers: Option<usize>,
    /// verify: judge validity periods at this RFC 3339 time instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// verify: certificate revocation list (repeatable).
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// verify: the signer must be an end-entity certificate fit for code signing.
    #[arg(long = "strict-chain")]
    pub strict_chain: bool,
    /// verify: every file under --prefix must be listed, every listed file present.
    #[arg(long = "strict-set")]
    pub strict_set: bool,
    /// The command and its arguments.
    #[arg(value_name = "COMMAND")]
    pub args: Vec<String>,
}

/// The help text, in GLib's layout, with our extensions after it.
pub fn help_text() -> String {
    let commands: [(&str, &str, &str); 8] = [
        (
            "add-alias",
            "FILENAME ID ALIAS_ID",
            "Add an alias for a specific item",
        ),
        (
            "export",
            "FILENAME",
            "Exports all embedded signatures to files",
        ),
        (
            "import",
            "FILENAME DATA DETACHED_KEY",
            "Import an existing signature to a file",
        ),
        ("info", "FILENAME", "Show information about a file"),
        (
            "remove-alias",
            "FILENAME ID ALIAS_ID",
            "Remove an alias for a specific item",
        ),
        (
            "self-sign",
            "FILENAME SOURCE",
            "Add a self-signed signature to a file",
        ),
        (
            "sign",
            "FILENAME SOURCE CERT PRIVKEY",
            "Add a signature to a file",
        ),
        (
            "verify",
            "FILENAME [SOURCE]",
            "Verify a signature from a file",
        ),
    ];
    let mut s = String::from("Usage:\n  jcat-tool [OPTION…]\n\n");
    for (name, args, desc) in commands {
        let head = format!("  {name} {args}");
        if head.len() >= 31 {
            s.push_str(&format!("{head}\n{}{desc}\n", " ".repeat(32)));
        } else {
            s.push_str(&format!("{head:<32}{desc}\n"));
        }
    }
    s.push_str(
        "\nHelp Options:\n  -h, --help                Show help options\n\nApplication Options:\n",
    );
    let options = [
        ("--version", "Print the version number"),
        ("-v, --verbose", "Print verbose debug statements"),
        ("--basename", "Only consider the basename for the ID"),
        (
            "--disable-time-checks",
            "Disable time checks when verifying",
        ),
        (
            "--public-key",
            "Location of public key used for verification",
        ),
        (
            "--public-keys",
            "Location of public key directories used for verification",
        ),
        ("--prefix", "Prefix for import and output files"),
        ("--kind", "Kind for blob, e.g. `gpg`"),
        ("--target", "Target for blob, e.g. `sha256`"),
        ("--appstream-id", "Appstream ID for blob, e.g. `com.bbc`"),
        ("--keyring", "Keyring location, e.g. `/var/lib/fwupd`"),
    ];
    for (opt, desc) in options {
        s.push_str(&format!("  {opt:<24}{desc}\n"));
    }
    s.push_str("\nExtensions (not in libjcat's jcat-tool):\n");
    let ext = [
        ("--json", "verify: one JSON report on stdout"),
        (
            "--policy LEVEL",
            "verify: ignore, verify (default) or require signatures",
        ),
        (
            "--require-signer NAME",
            "verify: NAME must appear in a verified signer chain",
        ),
        (
            "--min-signers K",
            "verify: K signatures from distinct keys per item",
        ),
        ("--at TIME", "verify: judge validity at an RFC 3339 time"),
        ("--crl FILE", "verify: certificate revocation list"),
        (
            "--strict-chain",
            "verify: signer must be an end-entity code-signing cert",
        ),
        (
            "--strict-set",
            "verify: files under --prefix must match the catalog",
        ),
    ];
    for (opt, desc) in ext {
        s.push_str(&format!("  {opt:<24}{desc}\n"));
    }
    s.push('\n');
    s
}
