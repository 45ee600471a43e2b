//! Progress for large payloads (`indicatif`): one line per active payload,
//! drawn on stderr only when stderr is a terminal and `TERM` is not `dumb`;
//! stdout lines are printed with the bars suspended, so they never interleave.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Payloads above this size get a progress line (documented in the README).
pub const MIN_BYTES: u64 = 64 << 20;

/// Whether progress may be drawn at all: stderr is a terminal, `TERM` is not
/// `dumb`, and the command's output is not machine-read (`--json`, `--quiet`).
pub fn wanted(machine_output: bool) -> bool {
    use std::io::IsTerminal;
    !machine_output
        && std::io::stderr().is_terminal()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// The progress lines of one command.
pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    /// Progress on stderr when `enabled`, else nothing is ever drawn.
    pub fn new(enabled: bool) -> Self {
        Self {
            multi: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn style(template: &str) -> ProgressStyle {
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
    }

    /// `read` of `total` bytes of `id`'s payload have been read.
    pub fn update(&self, id: &str, total: u64, read: u64) {
        let Some(multi) = &self.multi else {
            return;
        };
        if total <= MIN_BYTES {
            return;
        }
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        let bar = bars.entry(id.to_owned()).or_insert_with(|| {
            let b = multi.add(ProgressBar::new(total));
            b.set_style(Self::style(
                "{prefix} [{bar:30}] {percent:>3}% {bytes}/{total_bytes}",
            ));
            b.set_prefix(crate::output::one_line(id));
            b
        });
        bar.set_position(read);
        if read >= total {
            bar.finish_and_clear();
            multi.remove(bar);
            bars.remove(id);
        }
    }

    /// A spinner for work that reports no bytes (signing a large payload).
    pub fn spinner(&self, id: &str, size: u64) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        if size <= MIN_BYTES {
            return None;
        }
        let b = multi.add(ProgressBar::new_spinner());
        b.set_style(Self::style("{spinner} {prefix} ({msg}) {elapsed}"));
        b.set_prefix(crate::output::one_line(id));
        b.set_message(indicatif::HumanBytes(size).to_string());
        b.enable_steady_tick(Duration::from_millis(120));
        Some(b)
    }

    /// Removes `id`'s line (its item is done, whatever happened).
    pub fn done(&self, id: &str) {
        if let (Some(multi), Ok(mut bars)) = (&self.multi, self.bars.lock()) {
            if let Some(bar) = bars.remove(id) {
                bar.finish_and_clear();
                multi.remove(&bar);
            }
        }
    }

    /// Runs `f` (which prints on stdout) with the progress lines cleared.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.multi {
            Some(multi) => multi.suspend(f),
            None => f(),
        }
    }
}
