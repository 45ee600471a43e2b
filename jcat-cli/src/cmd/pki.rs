//! `pki …`: make and run a signing PKI (library: `jcat_core::sign::pki`).
//! Layout and file names: docs/pki.md.

use std::io::Write;
use std::path::{Path, PathBuf};

use jcat_core::sign::pki::{self, CaOptions, CertOptions, KeyType, PkiError, Profile};

use crate::context::Context;
use crate::error::CliError;

/// `pki` and its action.
#[derive(clap::Args, Debug, Clone)]
pub struct PkiArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: PkiAction,
}

/// `--key` values.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyArg {
    /// RSA 3072 bits.
    Rsa3072,
    /// RSA 4096 bits.
    Rsa4096,
    /// ECDSA P-256.
    P256,
    /// ECDSA P-384.
    P384,
    /// Ed25519 (certificates, or raw pairs with create-key).
    Ed25519,
    /// ML-DSA-87 (FIPS 204; verify such chains with our verify).
    Mldsa87,
}

impl From<KeyArg> for KeyType {
    fn from(k: KeyArg) -> Self {
        match k {
            KeyArg::Rsa3072 => KeyType::Rsa3072,
            KeyArg::Rsa4096 => KeyType::Rsa4096,
            KeyArg::P256 => KeyType::P256,
            KeyArg::P384 => KeyType::P384,
            KeyArg::Ed25519 => KeyType::Ed25519,
            KeyArg::Mldsa87 => KeyType::MlDsa87,
        }
    }
}

/// `--profile` values.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileArg {
    /// An intermediate ("organization") CA: pathLen 0 unless --path-len.
    Ca,
    /// An end-entity code-signing certificate (signs files, never certificates).
    CodeSigning,
}

/// Options shared by the commands that make a key and certificate.
#[derive(clap::Args, Debug, Clone)]
pub struct KeyOpts {
    /// Subject distinguished name, RFC 4514 (e.g. "CN=Vendor Root CA,O=Vendor").
    #[arg(long, value_name = "DN")]
    pub subject: String,
    /// Key algorithm.
    #[arg(long, value_enum, default_value = "p256")]
    pub key: KeyArg,
    /// Validity in days.
    #[arg(long, value_name = "N", default_value_t = 3650)]
    pub days: u32,
    /// basicConstraints pathLenConstraint (CAs).
    #[arg(long = "path-len", value_name = "N")]
    pub path_len: Option<u8>,
    /// Replace an existing key.
    #[arg(long)]
    pub force: bool,
}

/// The `pki` actions.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum PkiAction {
    /// Write a raw Ed25519 key pair (secret.ed25519 0600, public.ed25519) into DIR
    #[command(name = "create-key")]
    CreateKey {
        /// Output directory.
        dir: PathBuf,
        /// Key algorithm (only ed25519 makes a raw pair).
        #[arg(long, value_enum, default_value = "ed25519")]
        key: KeyArg,
        /// Replace an existing key.
        #[arg(long)]
        force: bool,
    },
    /// Create a self-signed root CA (cert.pem, key.pem, serial) in DIR
    #[command(name = "create-ca")]
    CreateCa {
        /// Output directory.
        dir: PathBuf,
        #[command(flatten)]
        opts: KeyOpts,
    },
    /// Issue a certificate (cert.pem, key.pem, chain.pem) in DIR from the CA in --issuer
    #[command(name = "create-cert")]
    CreateCert {
        /// Output directory.
        dir: PathBuf,
        /// The issuing CA's directory.
        #[arg(long, value_name = "CA_DIR")]
        issuer: PathBuf,
        /// What the certificate is for.
        #[arg(long, value_enum)]
        profile: ProfileArg,
        #[command(flatten)]
        opts: KeyOpts,
    },
    /// Write a key (key.pem, 0600) and a PKCS#10 request for it (csr.pem) into DIR
    #[command(name = "create-csr")]
    CreateCsr {
        /// Output directory.
        dir: PathBuf,
        /// Subject distinguished name, RFC 4514 (e.g. "CN=Organization,O=Org").
        #[arg(long, value_name = "DN")]
        subject: String,
        /// Key algorithm.
        #[arg(long, value_enum, default_value = "p256")]
        key: KeyArg,
        /// Replace an existing key.
        #[arg(long)]
        force: bool,
    },
    /// Issue a certificate for the request CSR from the CA in --issuer (cert.pem and chain.pem beside CSR, or --out)
    #[command(name = "sign-csr")]
    SignCsr {
        /// The PKCS#10 request (PEM); its self-signature is checked.
        csr: PathBuf,
        /// The issuing CA's directory.
        #[arg(long, value_name = "CA_DIR")]
        issuer: PathBuf,
        /// What the certificate is for.
        #[arg(long, value_enum)]
        profile: ProfileArg,
        /// basicConstraints pathLenConstraint (--profile ca; default 0).
        #[arg(long = "path-len", value_name = "N")]
        path_len: Option<u8>,
        /// Validity in days (cut to the issuer's).
        #[arg(long, value_name = "N", default_value_t = 3650)]
        days: u32,
        /// The certificate file (default: cert.pem beside CSR); chain.pem is
        /// written into the same directory.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Certificate revocation lists
    #[command(name = "crl", subcommand)]
    Crl(CrlAction),
    /// Revoke CERT (issued by --issuer) and write a fresh CRL
    #[command(name = "revoke")]
    Revoke {
        /// The certificate (PEM) to revoke.
        cert: PathBuf,
        /// The CA that issued it.
        #[arg(long, value_name = "CA_DIR")]
        issuer: PathBuf,
        /// RFC 5280 reason: unspecified, keyCompromise, cACompromise,
        /// affiliationChanged, superseded, cessationOfOperation, certificateHold,
        /// privilegeWithdrawn, aACompromise.
        #[arg(long, value_name = "R", default_value = "unspecified")]
        reason: String,
        #[command(flatten)]
        crl: CrlOpts,
    },
    /// Add OpenSSL subject-hash links (HASH.0, HASH.r0 for CRLs) to a trust directory
    #[command(name = "rehash")]
    Rehash {
        /// The directory of certificates (.pem .crt .cer .der) and CRLs (.crl).
        dir: PathBuf,
    },
}

/// Where and how long a CRL is written.
#[derive(clap::Args, Debug, Clone)]
pub struct CrlOpts {
    /// Days until nextUpdate.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub days: u32,
    /// The CRL file (default CA_DIR/crl.pem).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `pki crl …`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum CrlAction {
    /// Sign a CRL of the CA in --issuer (revoked certificates from CA_DIR/revoked.txt)
    #[command(name = "create")]
    Create {
        /// The CA.
        #[arg(long, value_name = "CA_DIR")]
        issuer: PathBuf,
        #[command(flatten)]
        crl: CrlOpts,
    },
}

fn pki_err(e: PkiError) -> CliError {
    CliError::error(e.to_string())
}

fn say(out: &mut dyn Write, paths: &[&Path]) -> Result<(), CliError> {
    for p in paths {
        writeln!(out, "wrote {}", p.display()).map_err(|e| CliError::error(e.to_string()))?;
    }
    Ok(())
}

/// The profile; `--path-len` only with `--profile ca`.
fn profile_of(profile: ProfileArg, path_len: Option<u8>) -> Result<Profile, CliError> {
    let profile = match profile {
        ProfileArg::Ca => Profile::Ca,
        ProfileArg::CodeSigning => Profile::CodeSigning,
    };
    if profile == Profile::CodeSigning && path_len.is_some() {
        return Err(CliError::usage_short(
            "--path-len applies to --profile ca only",
        ));
    }
    Ok(profile)
}

/// Runs one `pki` action.
pub fn run(ctx: &Context, args: &PkiArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    match &args.action {
        PkiAction::CreateKey { dir, key, force } => {
            let key = KeyType::from(*key);
            if key != KeyType::Ed25519 {
                return Err(CliError::error(format!(
                    "--key {key}: create-key writes raw Ed25519 pairs only (use create-ca or \
                     create-cert for {key} keys with a certificate)"
                )));
            }
            let [s, p] = pki::create_ed25519_key(dir, *force).map_err(pki_err)?;
            say(out, &[&s, &p])?;
        }
        PkiAction::CreateCa { dir, opts } => {
            let mut o = CaOptions::new(opts.subject.clone(), opts.key.into(), opts.days);
            o.path_len = opts.path_len;
            o.force = opts.force;
            let w = pki::create_ca(dir, &o, ctx.now).map_err(pki_err)?;
            say(out, &[&w.cert, &w.key])?;
        }
        PkiAction::CreateCert {
            dir,
            issuer,
            profile,
            opts,
        } => {
            let profile = profile_of(*profile, opts.path_len)?;
            let mut o = CertOptions::new(opts.subject.clone(), opts.key.into(), opts.days, profile);
            o.path_len = opts.path_len;
            o.force = opts.force;
            let w = pki::create_cert(dir, issuer, &o, ctx.now).map_err(pki_err)?;
            say(out, &[&w.cert, &w.key, &dir.join(pki::CHAIN_FILE)])?;
        }
        PkiAction::CreateCsr {
            dir,
            subject,
            key,
            force,
        } => {
            let mut o = pki::CsrOptions::new(subject.clone(), (*key).into());
            o.force = *force;
            let w = pki::create_csr(dir, &o).map_err(pki_err)?;
            say(out, &[&w.csr, &w.key])?;
        }
        PkiAction::SignCsr {
            csr,
            issuer,
            profile,
            path_len,
            days,
            out: dest,
        } => {
            let profile = profile_of(*profile, *path_len)?;
            let mut o = pki::SignCsrOptions::new(profile, *days);
            o.path_len = *path_len;
            let w = pki::sign_csr(csr, issuer, &o, dest.as_deref(), ctx.now).map_err(pki_err)?;
            say(out, &[&w.cert, &w.chain])?;
        }
        PkiAction::Crl(CrlAction::Create { issuer, crl }) => {
            let w =
                pki::create_crl(issuer, crl.days, crl.out.as_deref(), ctx.now).map_err(pki_err)?;
            say(out, &[&w])?;
        }
        PkiAction::Revoke {
            cert,
            issuer,
            reason,
            crl,
        } => {
            let reason: pki::RevocationReason = reason.parse().map_err(pki_err)?;
            let pem = std::fs::read(cert).map_err(|e| {
                CliError::error(format!("{}: {}", cert.display(), crate::error::io_text(&e)))
            })?;
            let w = pki::revoke(issuer, &pem, reason, crl.days, crl.out.as_deref(), ctx.now)
                .map_err(pki_err)?;
            say(out, &[&w])?;
        }
        PkiAction::Rehash { dir } => {
            for (link, target) in pki::rehash(dir).map_err(pki_err)? {
                writeln!(out, "{} -> {target}", link.display())
                    .map_err(|e| CliError::error(e.to_string()))?;
            }
        }
    }
    Ok(0)
}
