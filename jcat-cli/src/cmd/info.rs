//! `info FILENAME`: libjcat's text dump, byte for byte.

use std::io::Write;

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    let cat = super::load(ctx, file)?;
    out.write_all(jcat_core::to_text(&cat).as_bytes())?;
    Ok(0)
}
