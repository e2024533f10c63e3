//! A progress bar on standard error for `scan` and `audit`: drawn only on a terminal, not with
//! `--quiet`, and only once a scan has run for a moment (small scans print nothing).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_millis(300);

pub struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
    shown: AtomicBool,
}

impl ProgressBar {
    /// A bar that draws when `quiet` is false and standard error is a terminal.
    pub fn new(quiet: bool) -> ProgressBar {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(0),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} scanning {bar:30} {pos}/{len} files ({elapsed})",
            ) {
                bar.set_style(style);
            }
            bar
        });
        ProgressBar {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// Files done out of `total`; usable as a [`crate::scan::Progress`].
    pub fn update(&self, done: usize, total: usize) {
        let Some(bar) = &self.bar else { return };
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= DELAY {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
