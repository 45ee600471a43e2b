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
    /// Maps clap errors to GLib's wording where there is one.
    pub fn from_clap(e: clap::Error) -> Self {
        use clap::error::{ContextKind, ErrorKind};
        match e.kind() {
            ErrorKind::UnknownArgument => {
                let arg = e
                    .get(ContextKind::InvalidArg)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                Self::usage_short(format!("Failed to parse arguments: Unknown option {arg}"))
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

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        let broken_pipe = e.kind() == std::io::ErrorKind::BrokenPipe;
        Self {
            broken_pipe,
            ..Self::error(e.to_string())
        }
    }
}

impl From<jcat_core::Error> for CliError {
    fn from(e: jcat_core::Error) -> Self {
        match e {
            jcat_core::Error::ItemNotFound(_)
            | jcat_core::Error::MultipleMatches(_)
            | jcat_core::Error::MultipleAliases(_) => Self::failed(e.to_string()),
            _ => Self::error(e.to_string()),
        }
    }
}

impl From<jcat_core::sign::SignError> for CliError {
    fn from(e: jcat_core::sign::SignError) -> Self {
        Self::error(e.to_string())
    }
}
