//! `info FILENAME`: libjcat's text dump, byte for byte.

use std::io::Write;

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    let cat = super::load(ctx, file)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    jcat_core::write_text(&cat, &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(0)
}
