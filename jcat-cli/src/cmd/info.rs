//! `info FILENAME`: libjcat's text dump, byte for byte; `--json` for a JSON document.

use std::io::Write;
use std::path::Path;

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], out: &mut dyn Write) -> Result<u8, CliError> {
    let [file] = args else {
        return Err(CliError::usage("Invalid arguments, expected FILENAME"));
    };
    if !ctx.args.json {
        // Streamed item by item: the catalog is never held whole (D55).
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        return match jcat_core::write_text_path(Path::new(file), &ctx.limits, &mut out) {
            Ok(()) => {
                std::io::Write::flush(&mut out)?;
                Ok(0)
            }
            Err(jcat_core::TextDumpError::Write(e)) => Err(e.into()),
            Err(jcat_core::TextDumpError::Load(e)) => {
                // What printed so far stays printed; the error is the load error.
                let _ = std::io::Write::flush(&mut out);
                Err(super::load_error(file, e))
            }
        };
    }
    let cat = super::load(ctx, file)?;
    {
        let doc = crate::info_json::build(&cat);
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|_| CliError::error("cannot encode the catalog as JSON"))?;
        writeln!(out, "{text}")?;
    }
    Ok(0)
}
