//! CLI errors: a message, an exit code and whether the help text follows.

/// Exit code: verification failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage, I/O or format error.
pub const EXIT_ERROR: u8 = 2;

/// An error that ends the command.
#[derive(Debug)]
pub struct CliError {
    /// One line (or a few) for stderr.
    pub message: String,
    /// Exit code.
    pub code: u8,
    /// Print the help text after the message (usage errors).
    pub help: bool,
    broken_pipe: bool,
}

impl CliError {
    /// Usage error: exit 2, help follows.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: EXIT_ERROR,
            help: true,
            broken_pipe: false,
        }
    }
    /// Usage error without the help text.
    pub fn usage_short(message: impl Into<String>) -> Self {
        Self {
            help: false,
            ..Self::usage(message)
        }
    }
    /// I/O or format error: exit 2.
    pub fn error(message: impl Into<String>) -> Self {
        Self::usage_short(message)
    }
    /// Verification failed: exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_FAILED,
            ..Self::usage_short(message)
        }
    }
    /// Whether stdout was closed by the reader (not an error to report).
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
    /// Maps clap errors to GLib's wording where there is one; `cmd` is the
    /// whole command tree and `command` the command being parsed.
    pub fn from_clap(e: &clap::Error, cmd: &clap::Command, command: Option<&str>) -> Self {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
        match e.kind() {
            ErrorKind::UnknownArgument => {
                let arg = ctx(ContextKind::InvalidArg);
                let name = arg.split('=').next().unwrap_or(&arg).to_owned();
                let owners = option_owners(cmd, &name);
                if owners.is_empty() {
                    return Self::usage_short(format!(
                        "Failed to parse arguments: Unknown option {arg}"
                    ));
                }
                Self::usage_short(match command {
                    Some(here) => format!(
                        "Failed to parse arguments: {name} does not apply to {here} (only to {})",
                        owners.join(", ")
                    ),
                    None => format!(
                        "Failed to parse arguments: {name} needs a command ({})",
                        owners.join(", ")
                    ),
                })
            }
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                let arg = ctx(ContextKind::InvalidArg);
                let arg = arg.split_whitespace().next().unwrap_or_default();
                let value = ctx(ContextKind::InvalidValue);
                let expected = match e.get(ContextKind::ValidValue) {
                    Some(ContextValue::Strings(v)) => v.join(","),
                    _ => std::error::Error::source(e)
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "a valid value".to_owned())
                        .trim_start_matches("expected ")
                        .to_owned(),
                };
                // libjcat's wording for --kind and --target.
                Self::usage_short(match arg {
                    "--kind" => format!("Failed to parse '{value}', expected {expected}"),
                    "--target" => format!("Failed to parse target '{value}', expected {expected}"),
                    _ => format!("Failed to parse {arg} '{value}', expected {expected}"),
                })
            }
            _ => {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("invalid arguments");
                let first = first.strip_prefix("error: ").unwrap_or(first);
                Self::usage_short(format!("Failed to parse arguments: {first}"))
            }
        }
    }
}

/// The commands (or `--generate` at the top) that define the long option `name`.
fn option_owners(cmd: &clap::Command, name: &str) -> Vec<String> {
    let long = name.trim_start_matches('-');
    let defines = |c: &clap::Command| {
        c.get_arguments().any(|a| {
            (name.starts_with("--") && a.get_long() == Some(long))
                || (!name.starts_with("--")
                    && long.len() == 1
                    && a.get_short().map(|s| s.to_string()) == Some(long.to_owned()))
        })
    };
    let mut owners: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| defines(c))
        .map(|c| c.get_name().to_owned())
        .collect();
    if defines(cmd) {
        owners.push(format!("jcat-tool {name} without a command"));
    }
    owners
}

/// An I/O error as a user reads it: the OS message without Rust's
/// `(os error N)` suffix, or a plain phrase for the error kind.
pub fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => "No such file or directory".to_owned(),
        K::PermissionDenied => "Permission denied".to_owned(),
        K::IsADirectory => "Is a directory".to_owned(),
        K::NotADirectory => "Not a directory".to_owned(),
        K::AlreadyExists => "File exists".to_owned(),
        K::InvalidInput | K::InvalidData => "invalid data".to_owned(),
        K::UnexpectedEof => "unexpected end of file".to_owned(),
        K::BrokenPipe => "Broken pipe".to_owned(),
        _ => e.to_string(),
    };
    match text.find(" (os error") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        let broken_pipe = e.kind() == std::io::ErrorKind::BrokenPipe;
        Self {
            broken_pipe,
            ..Self::error(io_text(&e))
        }
    }
}

/// A library error as a user reads it (I/O errors without Rust's suffixes).
pub fn core_text(e: &jcat_core::Error) -> String {
    match e {
        jcat_core::Error::Io { path, source } => format!("{}: {}", path.display(), io_text(source)),
        jcat_core::Error::Stream(source) => format!("I/O error: {}", io_text(source)),
        other => other.to_string(),
    }
}

impl From<jcat_core::Error> for CliError {
    fn from(e: jcat_core::Error) -> Self {
        match e {
            jcat_core::Error::ItemNotFound(_)
            | jcat_core::Error::MultipleMatches(_)
            | jcat_core::Error::MultipleAliases(_) => Self::failed(e.to_string()),
            _ => Self::error(core_text(&e)),
        }
    }
}

impl From<jcat_core::sign::SignError> for CliError {
    fn from(e: jcat_core::sign::SignError) -> Self {
        match e {
            jcat_core::sign::SignError::Io(inner) => Self::error(core_text(&inner)),
            other => Self::error(other.to_string()),
        }
    }
}
