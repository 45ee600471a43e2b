//! What every command needs: parsed options resolved into library values.

use std::path::{Path, PathBuf};

use jcat_core::{BlobKind, Limits, TimeCheck};

use crate::cli::Args;
use crate::error::CliError;

/// Kinds in numeric order, for the `--kind` error message.
fn kind_list() -> String {
    crate::cli::kind_name_list().collect::<Vec<_>>().join(",")
}

/// Resolved options.
pub struct Context {
    /// The raw options.
    pub args: Args,
    /// `--kind`.
    pub kind: Option<BlobKind>,
    /// `--target`.
    pub target: Option<BlobKind>,
    /// Parser limits.
    pub limits: Limits,
    /// The current time, unix seconds.
    pub now: i64,
}

impl Context {
    /// Validates `--kind` / `--target` (before `--version`, as the reference).
    pub fn new(args: Args) -> Result<Self, CliError> {
        let kind = match &args.kind {
            None => None,
            Some(k) => Some(BlobKind::from_name(k).ok_or_else(|| {
                CliError::usage_short(format!("Failed to parse '{k}', expected {}", kind_list()))
            })?),
        };
        let target = match &args.target {
            None => None,
            Some(t) => Some(BlobKind::from_name(t).ok_or_else(|| {
                CliError::usage_short(format!(
                    "Failed to parse target '{t}', expected {}",
                    kind_list()
                ))
            })?),
        };
        Ok(Self {
            args,
            kind,
            target,
            limits: Limits::default(),
            now: chrono::Utc::now().timestamp(),
        })
    }

    /// The blob timestamp for new blobs.
    pub fn now_u64(&self) -> u64 {
        u64::try_from(self.now).unwrap_or(0)
    }

    /// `--prefix`, default `.`.
    pub fn prefix(&self) -> PathBuf {
        self.args
            .prefix
            .clone()
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The item ID for a command-line name (`--basename` keeps the last component).
    pub fn id_for(&self, name: &str) -> String {
        if self.args.basename {
            Path::new(name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| name.to_owned())
        } else {
            name.to_owned()
        }
    }

    /// `--keyring`, else `$XDG_DATA_HOME/libjcat`, else `~/.local/share/libjcat`.
    pub fn keyring(&self) -> Result<PathBuf, CliError> {
        if let Some(k) = &self.args.keyring {
            return Ok(k.clone());
        }
        if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
            return Ok(PathBuf::from(x).join("libjcat"));
        }
        match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            Some(h) => Ok(PathBuf::from(h).join(".local/share/libjcat")),
            None => Err(CliError::error(
                "no keyring: set --keyring, XDG_DATA_HOME or HOME",
            )),
        }
    }

    /// Validity-period rule for verification.
    pub fn time_check(&self) -> Result<TimeCheck, CliError> {
        if self.args.disable_time_checks {
            return Ok(TimeCheck::Disabled);
        }
        match &self.args.at {
            None => Ok(TimeCheck::At(self.now)),
            Some(t) => chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| TimeCheck::At(d.timestamp()))
                .map_err(|_| {
                    CliError::usage_short(format!(
                        "Failed to parse --at '{t}', expected an RFC 3339 time, e.g. 2026-01-01T00:00:00Z"
                    ))
                }),
        }
    }
}
