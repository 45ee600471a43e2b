//! GLib-style argument order for clap: options may stand before or after the
//! command. [`normalise`] finds the command word (the first argument that is
//! neither an option nor an option's value) and moves it to the front, so that
//! clap sees `jcat-tool COMMAND OPTIONS… ARGS…`.

use std::collections::HashMap;
use std::ffi::OsString;

/// What the command line asks for, before clap parses it.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    /// `-h`/`--help` before any command, or `help` alone: the reference's help.
    GlobalHelp,
    /// `help COMMAND`: that command's help.
    CommandHelp(String),
    /// A word that is no command.
    UnknownCommand,
    /// Parse this vector (command word first, if there is one).
    Parse(Vec<OsString>),
}

/// The commands clap knows.
fn commands(cmd: &clap::Command) -> Vec<String> {
    cmd.get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

/// Long and short option names that take a value, over all commands.
fn value_options(cmd: &clap::Command) -> (HashMap<String, bool>, HashMap<char, bool>) {
    let mut longs = HashMap::new();
    let mut shorts = HashMap::new();
    let mut visit = |c: &clap::Command| {
        for a in c.get_arguments() {
            let takes = a.get_action().takes_values();
            if let Some(l) = a.get_long() {
                longs.insert(l.to_owned(), takes);
            }
            if let Some(s) = a.get_short() {
                shorts.insert(s, takes);
            }
        }
    };
    visit(cmd);
    for sub in cmd.get_subcommands() {
        visit(sub);
    }
    (longs, shorts)
}

/// Reorders `argv` (program name first) for clap; see the module docs.
pub fn normalise(cmd: &clap::Command, argv: Vec<OsString>) -> Request {
    let names = commands(cmd);
    let (longs, shorts) = value_options(cmd);
    let mut iter = argv.into_iter();
    let program = iter.next().unwrap_or_else(|| OsString::from("jcat-tool"));
    let rest: Vec<OsString> = iter.collect();
    let mut command: Option<(usize, String)> = None;
    let mut help_before = false;
    let mut i = 0;
    let mut after_dashes = false;
    while let Some(arg) = rest.get(i) {
        let text = arg.to_string_lossy();
        if after_dashes || text == "-" || !text.starts_with('-') {
            command = Some((i, text.into_owned()));
            break;
        }
        if text == "--" {
            after_dashes = true;
        } else if let Some(long) = text.strip_prefix("--") {
            if long == "help" {
                help_before = true;
            }
            if !long.contains('=') && longs.get(long).copied().unwrap_or(false) {
                i += 1;
            }
        } else {
            let shorts_here: Vec<char> = text.chars().skip(1).collect();
            if shorts_here.contains(&'h') {
                help_before = true;
            }
            // A value-taking short option takes the rest of the word, or the next one.
            if let Some(pos) = shorts_here
                .iter()
                .position(|c| shorts.get(c).copied().unwrap_or(false))
            {
                if pos + 1 == shorts_here.len() {
                    i += 1;
                }
            }
        }
        i += 1;
    }
    if help_before {
        return Request::GlobalHelp;
    }
    let Some((at, word)) = command else {
        let mut v = vec![program];
        v.extend(rest);
        return Request::Parse(v);
    };
    if word == "help" {
        let target = rest
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .find(|a| !a.starts_with('-'));
        return match target {
            None => Request::GlobalHelp,
            Some(t) if names.contains(&t) => Request::CommandHelp(t),
            Some(_) => Request::UnknownCommand,
        };
    }
    if !names.contains(&word) {
        return Request::UnknownCommand;
    }
    let mut v = Vec::with_capacity(rest.len() + 1);
    v.push(program);
    v.push(OsString::from(&word));
    for (j, a) in rest.into_iter().enumerate() {
        if j != at {
            v.push(a);
        }
    }
    Request::Parse(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(args: &[&str]) -> Request {
        let mut v = vec![OsString::from("jcat-tool")];
        v.extend(args.iter().map(OsString::from));
        normalise(&crate::cli::command(), v)
    }

    fn parsed(args: &[&str]) -> Vec<String> {
        match norm(args) {
            Request::Parse(v) => v
                .iter()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn command_word_moves_first_option_values_stay() {
        assert_eq!(
            parsed(&["--prefix", "info", "verify", "x.jcat"]),
            ["verify", "--prefix", "info", "x.jcat"]
        );
        assert_eq!(
            parsed(&[
                "--json",
                "-v",
                "verify",
                "x.jcat",
                "--at",
                "2026-01-01T00:00:00Z"
            ]),
            [
                "verify",
                "--json",
                "-v",
                "x.jcat",
                "--at",
                "2026-01-01T00:00:00Z"
            ]
        );
        assert_eq!(
            parsed(&["--kind=sha256", "export", "x"]),
            ["export", "--kind=sha256", "x"]
        );
        assert_eq!(parsed(&["--", "info", "x"]), ["info", "--", "x"]);
        assert_eq!(parsed(&["--version"]), ["--version"]);
    }

    #[test]
    fn help_requests() {
        assert_eq!(norm(&["--help", "verify"]), Request::GlobalHelp);
        assert_eq!(norm(&["-vh"]), Request::GlobalHelp);
        assert_eq!(norm(&["help"]), Request::GlobalHelp);
        assert_eq!(
            norm(&["help", "verify"]),
            Request::CommandHelp("verify".into())
        );
        assert_eq!(norm(&["help", "nope"]), Request::UnknownCommand);
        assert_eq!(norm(&["nope", "x"]), Request::UnknownCommand);
        assert_eq!(parsed(&["verify", "--help"]), ["verify", "--help"]);
    }
}
