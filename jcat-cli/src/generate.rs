//! `--generate man|bash|zsh|fish`: man pages from the clap definition
//! (`clap_mangen`, one page per command as git does) and shell completions
//! (`clap_complete`).

use std::io::Write;

use crate::cli::Generate;
use crate::context::Context;
use crate::error::CliError;

/// Writes the man pages into `--prefix` (default `.`), or a completion script on `out`.
pub fn run(ctx: &Context, what: Generate, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut tree = crate::cli::command();
    let shell = match what {
        Generate::Man => return man_pages(ctx, tree, out),
        Generate::Bash => clap_complete::Shell::Bash,
        Generate::Zsh => clap_complete::Shell::Zsh,
        Generate::Fish => clap_complete::Shell::Fish,
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut tree, "jcat-tool", &mut buf);
    out.write_all(&buf)?;
    Ok(0)
}

/// The pages: `jcat-tool.1` and `jcat-tool-<command>.1` for each command.
pub fn pages(mut tree: clap::Command) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    tree.build();
    let mut pages = Vec::new();
    let mut render = |cmd: clap::Command| -> Result<(), CliError> {
        let man = clap_mangen::Man::new(cmd).source(format!("jcat {}", env!("CARGO_PKG_VERSION")));
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        pages.push((man.get_filename(), buf));
        Ok(())
    };
    render(tree.clone())?;
    for sub in tree.get_subcommands() {
        render(sub.clone())?;
    }
    Ok(pages)
}

fn man_pages(ctx: &Context, tree: clap::Command, out: &mut dyn Write) -> Result<u8, CliError> {
    let dir = ctx.prefix();
    std::fs::create_dir_all(&dir).map_err(|e| {
        CliError::error(format!("{}: {}", dir.display(), crate::error::io_text(&e)))
    })?;
    for (name, data) in pages(tree)? {
        let path = dir.join(&name);
        jcat_core::fsutil::write_atomic(&path, &data, None)?;
        writeln!(out, "Wrote {}", path.display())?;
    }
    Ok(0)
}
