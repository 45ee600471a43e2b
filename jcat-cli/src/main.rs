//! `jcat-tool`: a drop-in replacement for libjcat's command-line tool.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod cli;
mod cmd;
mod context;
mod error;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::error::CliError;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut stdout = std::io::stdout().lock();
    let code = match run(argv, &mut stdout) {
        Ok(code) => code,
        Err(e) => {
            if !e.is_broken_pipe() {
                let mut stderr = std::io::stderr().lock();
                let _ = writeln!(stderr, "{}", e.message);
                if e.help {
                    let _ = write!(stderr, "\n{}", cli::help_text());
                }
            }
            e.code
        }
    };
    let _ = stdout.flush();
    ExitCode::from(code)
}

fn run(argv: Vec<std::ffi::OsString>, out: &mut dyn Write) -> Result<u8, CliError> {
    let args = cli::Args::try_parse_from(argv).map_err(CliError::from_clap)?;
    let ctx = context::Context::new(args)?;
    if ctx.args.help {
        out.write_all(cli::help_text().as_bytes())?;
        return Ok(0);
    }
    if ctx.args.version {
        writeln!(out, "libjcat 0.2.3 (jcat {})", env!("CARGO_PKG_VERSION"))?;
        return Ok(0);
    }
    cmd::dispatch(&ctx, out)
}
