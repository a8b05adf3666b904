//! A progress bar for builds that take more than a moment, on a terminal only.
//!
//! Silent with `-q`, when stderr is not a terminal, and for the first half second, so quick
//! builds never flash a bar. It also keeps the wall time of each named step of a build, which
//! `qbank -v build` prints: where the time goes, without a profiler.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const DELAY: Duration = Duration::from_millis(500);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    /// (step, wall time), in the order the steps finished.
    timings: Mutex<Vec<(String, Duration)>>,
}

impl Progress {
    /// A bar that shows only when `enabled` and stderr is a terminal.
    pub fn new(enabled: bool) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:12} [{bar:30}] {pos}/{len} {elapsed}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            timings: Mutex::default(),
        }
    }

    /// A progress that never shows (tests, library use).
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            timings: Mutex::default(),
        }
    }

    /// Starts a stage of `len` steps.
    pub fn stage(&self, message: &'static str, len: u64) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
            bar.set_position(0);
            bar.set_length(len);
            self.reveal(bar);
        }
    }

    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
            self.reveal(bar);
        }
    }

    /// Runs `f`, recording its wall time under `step`. Steps may run on several threads.
    pub fn time<T>(&self, step: impl Into<String>, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        let elapsed = start.elapsed();
        self.timings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((step.into(), elapsed));
        value
    }

    /// The steps timed so far, in the order they finished.
    pub fn timings(&self) -> Vec<(String, Duration)> {
        self.timings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn reveal(&self, bar: &ProgressBar) {
        if bar.is_hidden() && self.started.elapsed() >= DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }
}
