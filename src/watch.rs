//! `qbank watch`: rebuild the selected outputs whenever a bank or theme file changes.
//!
//! Changes are debounced (editors write files in bursts); a broken edit prints its
//! diagnostics and the watch goes on; Ctrl-C stops it between builds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::{RecursiveMode, Watcher};

/// Waits this long after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Watches `paths`, calling `rebuild` once at the start and after every burst of changes,
/// until Ctrl-C. Changes under `ignore` (the output folder) do not count.
pub fn run(paths: &[PathBuf], ignore: &Path, mut rebuild: impl FnMut()) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Between builds Ctrl-C ends the watch; during one it also removes what the build
        // was writing (see `interrupt`).
        crate::interrupt::on_idle_interrupt(stop)
            .map_err(anyhow::Error::msg)
            .context("installing the Ctrl-C handler")?;
    }
    let ignore = ignore
        .canonicalize()
        .unwrap_or_else(|_| ignore.to_path_buf());
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let relevant = !event.kind.is_access()
                && event
                    .paths
                    .iter()
                    .any(|p| !p.starts_with(&ignore) && !is_noise(p));
            if relevant {
                let _ = tx.send(());
            }
        }
    })?;
    for path in paths {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", path.display()))?;
    }
    rebuild();
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(()) => {
                // Swallow the rest of the burst.
                while rx.recv_timeout(DEBOUNCE).is_ok() {}
                if !stop.load(Ordering::SeqCst) {
                    rebuild();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

/// Editor swap and backup files, qbank's own lock file and its cache of example
/// environments (`.qbank/`, written by `check --run-examples`) do not trigger rebuilds.
fn is_noise(path: &Path) -> bool {
    if path.components().any(|c| c.as_os_str() == ".qbank") {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == crate::lock::FILE_NAME
        || name.contains(".tmp")
}
