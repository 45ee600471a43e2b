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

mod argv;
mod cli;
mod cmd;
mod context;
mod error;
mod generate;
mod info_json;
mod output;
mod progress;

use std::io::Write;
use std::process::ExitCode;

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
    let tree = cli::command();
    let argv = match argv::normalise(&tree, argv) {
        argv::Request::GlobalHelp => {
            out.write_all(cli::help_text().as_bytes())?;
            return Ok(0);
        }
        argv::Request::CommandHelp(name) => {
            let mut tree = tree;
            tree.build();
            if let Some(sub) = tree.find_subcommand_mut(&name) {
                write!(out, "{}", sub.render_long_help())?;
            }
            return Ok(0);
        }
        argv::Request::UnknownCommand => return Err(CliError::usage("Command not found")),
        argv::Request::Parse(v) => v,
    };
    let command = argv
        .get(1)
        .map(|c| c.to_string_lossy().into_owned())
        .filter(|c| !c.starts_with('-'));
    let parsed = match cli::parse(argv) {
        Ok(p) => p,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            write!(out, "{}", e.render())?;
            return Ok(0);
        }
        Err(e) => return Err(CliError::from_clap(&e, &tree, command.as_deref())),
    };
    let generate = parsed.generate;
    let ctx = context::Context::new(parsed.into())?;
    if ctx.args.version {
        writeln!(out, "libjcat 0.2.3 (jcat {})", env!("CARGO_PKG_VERSION"))?;
        return Ok(0);
    }
    if let Some(what) = generate {
        return generate::run(&ctx, what, out);
    }
    cmd::dispatch(&ctx, out)
}
