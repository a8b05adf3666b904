//! Ctrl-C and `kill`: what a build is writing is removed before qbank exits.
//!
//! A build registers the temporary paths it creates (its staging folder, the new lock file)
//! with [`Cleanup::register`]. On SIGINT, SIGTERM or SIGHUP the handler removes every
//! registered path and exits with status 130. Publishing runs inside [`critical`]: the
//! handler waits for it, so a signal never lands between two renames of a publish and never
//! removes a staged folder while it is being swapped into place. SIGKILL cannot be caught;
//! the next build into the same folder removes what it left (see `output`).
//!
//! `qbank watch` wants Ctrl-C between builds to end the watch normally: it calls
//! [`on_idle_interrupt`] with the flag to raise when nothing is being written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The exit status of a process ended by a signal it handled (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

struct State {
    paths: Vec<PathBuf>,
    idle: Option<Arc<AtomicBool>>,
}

static STATE: Mutex<State> = Mutex::new(State {
    paths: Vec::new(),
    idle: None,
});
/// Held while publishing; the handler takes it before [`STATE`], so it waits for a publish
/// to finish (and a publish may still register and drop [`Cleanup`]s meanwhile).
static CRITICAL: Mutex<()> = Mutex::new(());
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

fn state() -> MutexGuard<'static, State> {
    // A panic while holding the lock leaves plain data behind: keep using it.
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs the handler once per process. Failing to install it (another handler exists)
/// only loses the clean-up on interrupt, which the next build does anyway.
pub fn install() -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            ctrlc::set_handler(|| {
                let _critical = CRITICAL.lock().unwrap_or_else(|e| e.into_inner());
                let mut state = state();
                if state.paths.is_empty()
                    && let Some(flag) = &state.idle
                {
                    flag.store(true, Ordering::SeqCst);
                    return;
                }
                for path in state.paths.drain(..) {
                    remove(&path);
                }
                eprintln!("interrupted: nothing was published");
                std::process::exit(EXIT_INTERRUPTED);
            })
            .map_err(|e| e.to_string())
        })
        .clone()
}

/// With nothing being written, an interrupt raises `flag` instead of exiting.
pub fn on_idle_interrupt(flag: Arc<AtomicBool>) -> Result<(), String> {
    install()?;
    state().idle = Some(flag);
    Ok(())
}

/// Runs `f` with interrupts held back: a signal arriving meanwhile is handled after it.
pub fn critical<T>(f: impl FnOnce() -> T) -> T {
    let _held = CRITICAL.lock().unwrap_or_else(|e| e.into_inner());
    f()
}

/// A temporary path removed on interrupt; dropping the guard unregisters it (the owner
/// removes or keeps the path itself).
pub struct Cleanup {
    path: PathBuf,
}

impl Cleanup {
    pub fn register(path: &Path) -> Cleanup {
        // Best effort: without a handler the path is still cleaned by the next build.
        let _ = install();
        state().paths.push(path.to_path_buf());
        Cleanup {
            path: path.to_path_buf(),
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let mut state = state();
        if let Some(i) = state.paths.iter().position(|p| *p == self.path) {
            state.paths.remove(i);
        }
    }
}

fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            // Renderer threads may still be writing into it, and may even create it again
            // (`create_dir_all`). They cannot publish (the handler holds `CRITICAL`), so they
            // soon run out of work: remove until the folder has stayed gone for a moment,
            // for at most ten seconds.
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut gone_since: Option<Instant> = None;
            while Instant::now() < deadline {
                if path.exists() {
                    gone_since = None;
                    let _ = std::fs::remove_dir_all(path);
                } else if gone_since.get_or_insert_with(Instant::now).elapsed()
                    > Duration::from_millis(50)
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}
