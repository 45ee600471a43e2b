//! `info FILENAME`: libjcat's text dump, byte for byte; `--json` for a JSON document.

use std::io::Write;

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    let cat = super::load(ctx, file)?;
    if ctx.args.json {
        let doc = crate::info_json::build(&cat);
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|_| CliError::error("cannot encode the catalog as JSON"))?;
        writeln!(out, "{text}")?;
        return Ok(0);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    jcat_core::write_text(&cat, &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(0)
}
