//! `add-alias` / `remove-alias FILENAME ID ALIAS_ID`.

use crate::context::Context;
use crate::error::CliError;

pub fn run(ctx: &Context, args: &[&str], add: bool) -> Result<u8, CliError> {
    let [file, id, alias] = args else {
        return Err(CliError::usage(
            "Invalid arguments, expected FILENAME ID ALIAS_ID",
        ));
    };
    let mut cat = super::load(ctx, file)?;
    let item = cat.item_mut(id)?;
    if add {
        item.add_alias(alias);
    } else {
        item.remove_alias(alias);
    }
    super::save(ctx, &cat, file)?;
    Ok(0)
}
