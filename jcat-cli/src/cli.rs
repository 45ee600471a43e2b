//! Command-line definition: clap subcommands, libjcat's options `global`.
//!
//! Options may stand before or after the command, as with GLib's option
//! parser: [`crate::argv::normalise`] moves the command word to the front
//! before clap sees the line. libjcat's own options are accepted by every
//! command (as the reference does); our extensions only by the commands they
//! apply to, anywhere else they are a usage error naming the option.

use std::path::PathBuf;

use jcat_core::SignaturePolicy;

use clap::{Parser, Subcommand, ValueEnum};

/// The whole command line.
#[derive(Parser, Debug)]
#[command(
    name = "jcat-tool",
    about = "Create, inspect, sign and verify Jcat catalogs",
    long_about = "Create, inspect, sign and verify Jcat catalogs: a drop-in replacement \
                  for libjcat's jcat-tool. Options may stand before or after the command.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    allow_negative_numbers = true
)]
pub struct Cli {
    /// Show help options.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
    /// libjcat's options, accepted by every command.
    #[command(flatten)]
    pub global: Global,
    /// Generate man pages (into --prefix) or a shell completion script (on stdout).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub generate: Option<Generate>,
    /// The command.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// libjcat's jcat-tool options (`global`: before or after any command).
#[derive(clap::Args, Debug, Default, Clone)]
pub struct Global {
    /// Print the version number.
    #[arg(long, global = true)]
    pub version: bool,
    /// Print verbose debug statements.
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
    /// Only consider the basename for the ID.
    #[arg(long, global = true)]
    pub basename: bool,
    /// Disable time checks when verifying.
    #[arg(long = "disable-time-checks", global = true)]
    pub disable_time_checks: bool,
    /// Location of public key used for verification (repeatable).
    #[arg(long = "public-key", value_name = "FILE", global = true)]
    pub public_key: Vec<PathBuf>,
    /// Location of public key directories used for verification (repeatable).
    #[arg(long = "public-keys", value_name = "DIR", global = true)]
    pub public_keys: Vec<PathBuf>,
    /// Prefix for payloads (verify) and output files (export, --generate man).
    #[arg(long, value_name = "DIR", global = true)]
    pub prefix: Option<PathBuf>,
    /// Kind for blob, e.g. `gpg`.
    #[arg(long, value_name = "KIND", global = true, value_parser = kind_names())]
    pub kind: Option<String>,
    /// Target for blob, e.g. `sha256`.
    #[arg(long, value_name = "KIND", global = true, value_parser = kind_names())]
    pub target: Option<String>,
    /// Appstream ID for blob, e.g. `com.bbc`.
    #[arg(long = "appstream-id", value_name = "ID", global = true)]
    pub appstream_id: Option<String>,
    /// Keyring location, e.g. `/var/lib/fwupd`.
    #[arg(long, value_name = "DIR", global = true)]
    pub keyring: Option<PathBuf>,
}

/// Kind names in numeric order (the reference's `--kind` error lists them
/// so), from the library's kind table.
pub fn kind_name_list() -> impl Iterator<Item = &'static str> {
    jcat_core::KNOWN_KINDS.iter().filter_map(|k| k.name())
}

/// `--kind`/`--target` values (listed in help and completions).
fn kind_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(kind_name_list())
}

/// What `--generate` writes.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generate {
    /// Man pages `jcat-tool.1` and `jcat-tool-<command>.1`, written into --prefix.
    Man,
    /// bash completion script, on stdout.
    Bash,
    /// zsh completion script, on stdout.
    Zsh,
    /// fish completion script, on stdout.
    Fish,
}

/// `verify --policy`: the library's [`SignaturePolicy`] names, parsed by
/// its `FromStr`; the help lines are the CLI's.
fn policy_parser() -> impl clap::builder::TypedValueParser<Value = SignaturePolicy> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    let help = |p: SignaturePolicy| match p {
        SignaturePolicy::Ignore => "Signatures are not checked, checksums only",
        SignaturePolicy::Verify => "Every signature present must verify (the reference's rule)",
        SignaturePolicy::Require => {
            "As verify, and every item must carry at least one verified signature"
        }
    };
    PossibleValuesParser::new(
        SignaturePolicy::ALL.map(|p| PossibleValue::new(p.name()).help(help(p))),
    )
    .try_map(|s| s.parse::<SignaturePolicy>())
}

/// The positional arguments of a command (their count is checked by the
/// command, with the reference's messages).
#[derive(clap::Args, Debug, Default, Clone)]
pub struct Positional {
    /// The command's arguments, see the usage line.
    #[arg(value_name = "ARGS", hide = true)]
    pub args: Vec<String>,
}

/// `self-sign` arguments.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct SelfSignArgs {
    /// Sign with the post-quantum keyring: ML-DSA-87 key
    /// `<keyring>/pki/secret-mldsa87.key` (PKCS#8 seed form, mode 0600) and
    /// certificate `<keyring>/pki/client-mldsa87.pem`, created on first use;
    /// the blob verifies with `verify --only-pq --public-key` that
    /// certificate. PKCS#7 only.
    #[arg(long = "only-pq")]
    pub only_pq: bool,
    /// ML-DSA keys only: sign the payload itself, without CMS signed
    /// attributes (RFC 9882 section 3.3; no signingTime). GnuTLS up to
    /// 3.8.12, and so libjcat and fwupd today, refuses attribute-bearing
    /// ML-DSA blobs; use this where they must check ours. The payload is
    /// streamed, whatever its size.
    #[arg(long = "no-signed-attributes")]
    pub no_signed_attributes: bool,
    /// The command's arguments, see the usage line.
    #[arg(value_name = "ARGS", hide = true)]
    pub args: Vec<String>,
}

/// `sign` arguments.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct SignArgs {
    /// RSA keys (files or tokens) sign with RSA-PSS (SHA-256, MGF1-SHA-256,
    /// 32-octet salt) instead of PKCS#1 v1.5. PKCS#7 only.
    #[arg(long = "rsa-pss")]
    pub rsa_pss: bool,
    /// The PKCS#11 module for pkcs11: URIs (default: JCAT_PKCS11_MODULE, or
    /// the URI's module-path).
    #[arg(long = "pkcs11-module", value_name = "FILE")]
    pub pkcs11_module: Option<PathBuf>,
    /// ML-DSA keys only: sign the payload itself, without CMS signed
    /// attributes (RFC 9882 section 3.3; no signingTime). GnuTLS up to
    /// 3.8.12, and so libjcat and fwupd today, refuses attribute-bearing
    /// ML-DSA blobs; use this where they must check ours. The payload is
    /// streamed, whatever its size.
    #[arg(long = "no-signed-attributes")]
    pub no_signed_attributes: bool,
    /// The command's arguments, see the usage line.
    #[arg(value_name = "ARGS", hide = true)]
    pub args: Vec<String>,
}

/// `info` arguments.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct InfoArgs {
    /// Print the catalog as one JSON document (schema: docs/info-json.md).
    #[arg(long)]
    pub json: bool,
    /// FILENAME.
    #[arg(value_name = "FILENAME", hide = true)]
    pub args: Vec<String>,
}

/// `verify` arguments: our policy extensions.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct VerifyArgs {
    /// Print one JSON report on stdout (schema: docs/verify-json.md).
    #[arg(long)]
    pub json: bool,
    /// Print nothing on stdout: the exit code tells (errors still on stderr).
    #[arg(short = 'q', long, conflicts_with = "json")]
    pub quiet: bool,
    /// Signature policy.
    #[arg(long, value_name = "LEVEL", value_parser = policy_parser())]
    pub policy: Option<SignaturePolicy>,
    /// A name that must appear in a verified signer chain (repeatable).
    #[arg(long = "require-signer", value_name = "NAME")]
    pub require_signer: Vec<String>,
    /// At least K signatures from distinct keys per item.
    #[arg(long = "min-signers", value_name = "K", value_parser = parse_count)]
    pub min_signers: Option<usize>,
    /// Judge validity periods at this RFC 3339 time instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Certificate revocation list (repeatable).
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// The signer must be an end-entity certificate fit for code signing.
    #[arg(long = "strict-chain")]
    pub strict_chain: bool,
    /// Every file under --prefix must be listed, every listed file present.
    #[arg(long = "strict-set")]
    pub strict_set: bool,
    /// A trusted transparency log key: vkey text or a file holding one (repeatable).
    #[arg(long = "bt-verifier", value_name = "VKEY|FILE")]
    pub bt_verifier: Vec<String>,
    /// The checkpoint origin required (default: the log key's name).
    #[arg(long = "bt-origin", value_name = "ORIGIN")]
    pub bt_origin: Option<String>,
    /// A trusted witness key (cosignature/v1): vkey text or a file (repeatable).
    #[arg(long = "bt-witness", value_name = "VKEY|FILE")]
    pub bt_witness: Vec<String>,
    /// At least N trusted witnesses must have cosigned each checkpoint.
    #[arg(long = "bt-witness-quorum", value_name = "N", value_parser = parse_count)]
    pub bt_witness_quorum: Option<usize>,
    /// Every item must carry a verified checkpoint, manifest and inclusion proof.
    #[arg(long = "require-transparency")]
    pub require_transparency: bool,
    /// Only consider post-quantum signatures: a PKCS#7 signature counts only
    /// when made with an ML-DSA key whose whole chain is ML-DSA-signed;
    /// classical PKCS#7, OpenPGP and Ed25519 signatures then FAIL; checksums
    /// are unaffected. Without an ML-DSA-signed certificate in the trust
    /// store every PKCS#7 blob fails with `no certificates in trust list`.
    #[arg(long = "only-pq")]
    pub only_pq: bool,
    /// FILENAME, then optionally SOURCE.
    #[arg(value_name = "FILENAME [SOURCE]", hide = true)]
    pub args: Vec<String>,
}

/// A count option: a whole number, without Rust's parse error text.
fn parse_count(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .map_err(|_| "expected a whole number from 0".to_owned())
}

/// The eight commands of libjcat's jcat-tool.
#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Add an alias for a specific item
    #[command(
        name = "add-alias",
        override_usage = "jcat-tool add-alias [OPTIONS] FILENAME ID ALIAS_ID",
        long_about = "Add an alias for a specific item.\n\nFILENAME is the catalog, ID the \
                      item's ID or an existing alias, ALIAS_ID the new name (a no-op when it \
                      is already there). The catalog is rewritten atomically."
    )]
    AddAlias(Positional),
    /// Exports all embedded signatures to files
    #[command(
        override_usage = "jcat-tool export [OPTIONS] FILENAME",
        long_about = "Exports all embedded signatures to files.\n\nEvery blob (only those of \
                      --kind if given) is written to <prefix>/<Id>[-<AppstreamId>].<ext>; a \
                      target signature gets the target before the extension \
                      (fw.bin.sha256.p7b), a second blob of the same name a number \
                      (fw.bin.2.p7b). Nothing is written when a name would leave --prefix."
    )]
    Export(Positional),
    /// Import an existing signature to a file
    #[command(
        override_usage = "jcat-tool import [OPTIONS] FILENAME DATA DETACHED_KEY",
        long_about = "Import an existing signature to a file.\n\nFILENAME is the catalog \
                      (created if missing), DATA the item ID (not opened), DETACHED_KEY the \
                      signature or checksum file; its kind comes from the extension: .asc \
                      .p7b .p7c .pem .der .ed25519 .sha256 .SHA256 .sha512 .SHA512 .sha1 \
                      .btmanifest .btcheckpoint .btinclusionproof .btverifier .btlogindex. \
                      sha256sum output is stored as bare hex, CMS PEM or DER PKCS#7 as \
                      PKCS7 PEM."
    )]
    Import(Positional),
    /// Show information about a file
    #[command(
        override_usage = "jcat-tool info [OPTIONS] FILENAME",
        long_about = "Show information about a file.\n\nPrints libjcat's text dump of the \
                      catalog FILENAME, or with --json one JSON document (docs/info-json.md)."
    )]
    Info(InfoArgs),
    /// Remove an alias for a specific item
    #[command(
        name = "remove-alias",
        override_usage = "jcat-tool remove-alias [OPTIONS] FILENAME ID ALIAS_ID",
        long_about = "Remove an alias for a specific item.\n\nFILENAME is the catalog, ID the \
                      item's ID or alias, ALIAS_ID the alias to remove (a missing alias is no \
                      error)."
    )]
    RemoveAlias(Positional),
    /// Add a self-signed signature to a file
    #[command(
        name = "self-sign",
        override_usage = "jcat-tool self-sign [OPTIONS] FILENAME SOURCE...",
        long_about = "Add a self-signed signature to a file.\n\nEach SOURCE file gets a \
                      checksum (--kind sha1, sha256, sha512) or a signature made with the \
                      keyring's key (pkcs7, the default, or ed25519; created in --keyring when \
                      missing) in the catalog FILENAME. With --target KIND the item's KIND \
                      checksum is signed instead of the file."
    )]
    SelfSign(SelfSignArgs),
    /// Add a signature to a file
    #[command(
        override_usage = "jcat-tool sign [OPTIONS] FILENAME SOURCE... CERT PRIVKEY",
        long_about = "Add a signature to a file.\n\nEach SOURCE file is signed with CERT and \
                      PRIVKEY: a certificate (bundle) and its key for pkcs7 (the default), raw \
                      32-byte key files for --kind ed25519, or an exported OpenPGP public and \
                      secret key for --kind gpg (a protected key's passphrase is read from \
                      JCAT_PASSPHRASE). For pkcs7, PRIVKEY may be an RFC 7512 pkcs11: URI \
                      of a key on a token or HSM (pkcs11:token=…;object=…, PIN from the URI's \
                      pin-value or pin-source, else JCAT_PIN; module from --pkcs11-module or \
                      JCAT_PKCS11_MODULE), and CERT a pkcs11: URI of a certificate on the token."
    )]
    Sign(SignArgs),
    /// Verify a signature from a file
    #[command(
        override_usage = "jcat-tool verify [OPTIONS] FILENAME [SOURCE]",
        long_about = "Verify a signature from a file.\n\nEvery item of the catalog FILENAME \
                      (or only the one whose ID or alias is SOURCE) is checked against its \
                      payload under --prefix. Exit 0: every checked blob passed; 1: \
                      verification failed; 2: usage, I/O or format error. Policy options \
                      are described in docs/policy.md, --json in docs/verify-json.md."
    )]
    Verify(VerifyArgs),
    /// Create and run a signing PKI (CA, certificates, keys); see docs/pki.md
    #[command(
        override_usage = "jcat-tool pki [OPTIONS] ACTION DIR",
        long_about = "Create and run a signing PKI: raw Ed25519 keys, a root CA, \
                      organization CAs and code-signing certificates. Files written into \
                      DIR are listed in docs/pki.md; keys are 0600 and never replaced \
                      without --force."
    )]
    Pki(crate::cmd::pki::PkiArgs),
}

impl Command {
    /// The command's name on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Command::AddAlias(_) => "add-alias",
            Command::Export(_) => "export",
            Command::Import(_) => "import",
            Command::Info(_) => "info",
            Command::RemoveAlias(_) => "remove-alias",
            Command::SelfSign(_) => "self-sign",
            Command::Sign(_) => "sign",
            Command::Verify(_) => "verify",
            Command::Pki(_) => "pki",
        }
    }
}

/// Every option resolved into one flat set (what the commands read).
#[derive(Debug, Default, Clone)]
pub struct Args {
    /// libjcat's options.
    pub global: Global,
    /// `--json` (info, verify).
    pub json: bool,
    /// `verify --quiet`.
    pub quiet: bool,
    /// `verify --policy`.
    pub policy: SignaturePolicy,
    /// `verify --require-signer`.
    pub require_signer: Vec<String>,
    /// `verify --min-signers`.
    pub min_signers: Option<usize>,
    /// `verify --at`.
    pub at: Option<String>,
    /// `verify --crl`.
    pub crl: Vec<PathBuf>,
    /// `verify --strict-chain`.
    pub strict_chain: bool,
    /// `verify --strict-set`.
    pub strict_set: bool,
    /// `verify --bt-verifier`.
    pub bt_verifier: Vec<String>,
    /// `verify --bt-origin`.
    pub bt_origin: Option<String>,
    /// `verify --bt-witness`.
    pub bt_witness: Vec<String>,
    /// `verify --bt-witness-quorum`.
    pub bt_witness_quorum: Option<usize>,
    /// `verify --require-transparency`.
    pub require_transparency: bool,
    /// `verify --only-pq`, `self-sign --only-pq`.
    pub only_pq: bool,
    /// `sign`/`self-sign --no-signed-attributes` (ML-DSA).
    pub no_signed_attributes: bool,
    /// `sign --rsa-pss`.
    pub rsa_pss: bool,
    /// `sign --pkcs11-module`.
    pub pkcs11_module: Option<PathBuf>,
    /// The command name (none: `--version`, `--generate` or an error).
    pub command: Option<&'static str>,
    /// The command's positional arguments.
    pub args: Vec<String>,
    /// `pki`'s action.
    pub pki: Option<crate::cmd::pki::PkiArgs>,
}

impl std::ops::Deref for Args {
    type Target = Global;
    fn deref(&self) -> &Global {
        &self.global
    }
}

impl From<Cli> for Args {
    fn from(cli: Cli) -> Self {
        let mut a = Args {
            global: cli.global,
            ..Args::default()
        };
        let Some(command) = cli.command else {
            return a;
        };
        a.command = Some(command.name());
        match command {
            Command::AddAlias(p)
            | Command::Export(p)
            | Command::Import(p)
            | Command::RemoveAlias(p) => a.args = p.args,
            Command::Sign(p) => {
                a.no_signed_attributes = p.no_signed_attributes;
                a.rsa_pss = p.rsa_pss;
                a.pkcs11_module = p.pkcs11_module;
                a.args = p.args;
            }
            Command::Pki(p) => a.pki = Some(p),
            Command::SelfSign(p) => {
                a.only_pq = p.only_pq;
                a.no_signed_attributes = p.no_signed_attributes;
                a.args = p.args;
            }
            Command::Info(i) => {
                a.json = i.json;
                a.args = i.args;
            }
            Command::Verify(v) => {
                a.json = v.json;
                a.quiet = v.quiet;
                a.policy = v.policy.unwrap_or_default();
                a.require_signer = v.require_signer;
                a.min_signers = v.min_signers;
                a.at = v.at;
                a.crl = v.crl;
                a.strict_chain = v.strict_chain;
                a.strict_set = v.strict_set;
                a.bt_verifier = v.bt_verifier;
                a.bt_origin = v.bt_origin;
                a.bt_witness = v.bt_witness;
                a.bt_witness_quorum = v.bt_witness_quorum;
                a.require_transparency = v.require_transparency;
                a.only_pq = v.only_pq;
                a.args = v.args;
            }
        }
        a
    }
}

/// The clap command tree (for parsing, help, man pages and completions).
pub fn command() -> clap::Command {
    let mut tree = <Cli as clap::CommandFactory>::command().version(env!("CARGO_PKG_VERSION"));
    // The top level keeps GLib's help; each command gets clap's `-h/--help`.
    let names: Vec<String> = tree
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        tree = tree.mut_subcommand(name, with_help);
    }
    tree
}

/// Adds `-h/--help` to a command and (for `pki`) to its actions.
fn with_help(c: clap::Command) -> clap::Command {
    let subs: Vec<String> = c
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut c = c.arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help("Print this command's help"),
    );
    for sub in subs {
        c = c.mut_subcommand(sub, with_help);
    }
    c
}

/// Parses a normalised argument vector (command word first).
pub fn parse(argv: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches_from(argv)?;
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
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
        s.push_str(&format!("  {opt:<26}{desc}\n"));
    }
    s.push_str("\nExtensions (not in libjcat's jcat-tool; COMMAND --help for details):\n");
    let ext = [
        ("--json", "info, verify: one JSON document on stdout"),
        ("-q, --quiet", "verify: exit code only, nothing on stdout"),
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
        (
            "--bt-verifier VKEY",
            "verify: trust this transparency log key (repeatable)",
        ),
        ("--bt-origin ORIGIN", "verify: checkpoint origin required"),
        (
            "--bt-witness VKEY",
            "verify: trust this witness key (repeatable)",
        ),
        (
            "--bt-witness-quorum N",
            "verify: N witness cosignatures required",
        ),
        (
            "--require-transparency",
            "verify: every item must be in the log",
        ),
        (
            "--only-pq",
            "verify: only ML-DSA signatures count; self-sign: ML-DSA-87",
        ),
        (
            "--no-signed-attributes",
            "sign, self-sign: ML-DSA over the payload itself",
        ),
        (
            "--generate WHAT",
            "man pages (into --prefix) or bash, zsh, fish completions",
        ),
    ];
    for (opt, desc) in ext {
        s.push_str(&format!("  {opt:<26}{desc}\n"));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn kind_names_are_the_library_kinds_in_numeric_order() {
        let mut kinds = jcat_core::KNOWN_KINDS.to_vec();
        kinds.sort_by_key(|k| k.to_u32());
        let names: Vec<&str> = kinds.iter().filter_map(|k| k.name()).collect();
        assert_eq!(names, kind_name_list().collect::<Vec<_>>());
        // The reference's list, as its `--kind` error prints it.
        assert_eq!(
            names.join(","),
            "sha256,gpg,pkcs7,sha1,bt-manifest,bt-checkpoint,bt-inclusion-proof,\
             bt-verifier,ed25519,sha512,bt-logindex"
        );
    }
}
