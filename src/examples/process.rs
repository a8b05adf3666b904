//! Process control for everything `check --run-examples` starts.
//!
//! Each command runs in its own process group, so that the whole group — the block and any
//! process it started in the background — is killed at the timeout, when it prints more than
//! the output cap, when it ends (nothing a block starts outlives it) and on Ctrl-C. Output is
//! read on threads with a cap, so a print loop cannot fill memory.
//!
//! The Ctrl-C handler (installed once per process) kills every group still registered and
//! makes [`check_interrupted`] fail, so a run unwinds and tears its server down.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use wait_timeout::ChildExt;

/// The most a block may print on stdout or on stderr: a megabyte.
pub const OUTPUT_CAP: usize = 1 << 20;

/// How long a run may take and print.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    /// Bytes, per stream.
    pub output_cap: usize,
}

impl Limits {
    pub fn new(timeout: Duration) -> Self {
        Limits {
            timeout,
            output_cap: OUTPUT_CAP,
        }
    }

    /// The same cap with another timeout (for setup steps such as `pip install`).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Limits { timeout, ..self }
    }
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Exited(ExitStatus),
    /// Killed (with its group) at the timeout.
    TimedOut,
    /// Killed (with its group) for printing more than the cap on this stream.
    Overflowed(&'static str),
}

/// A finished process: how it ended and what it printed (up to the cap).
#[derive(Debug)]
pub struct Finished {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    pub limits: Limits,
}

/// Why a block failed: a one-line message and the detail under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub help: String,
}

impl Failure {
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            help: help.into(),
        }
    }
}

impl Finished {
    pub fn success(&self) -> bool {
        matches!(self.ending, Ending::Exited(s) if s.success())
    }

    /// `None` when it exited 0; else what went wrong, `what` naming it ("python example").
    pub fn failure(&self, what: &str) -> Option<Failure> {
        match self.ending {
            Ending::Exited(status) if status.success() => None,
            Ending::Exited(status) => Some(Failure::new(
                format!("{what} failed ({status})"),
                self.tail(),
            )),
            Ending::TimedOut => Some(Failure::new(
                format!(
                    "{what} timed out after {} s",
                    self.limits.timeout.as_secs_f32()
                ),
                "it was killed with every process it started; examples must finish quickly (`--timeout`)",
            )),
            Ending::Overflowed(stream) => Some(Failure::new(
                format!(
                    "{what} printed more than {} on {stream}",
                    human_bytes(self.limits.output_cap)
                ),
                "it was killed with every process it started; print less",
            )),
        }
    }

    /// The last lines of stderr (or of stdout when stderr is empty), for a failure's detail.
    pub fn tail(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        let lines: Vec<&str> = text.trim_end().lines().collect();
        let start = lines.len().saturating_sub(8);
        let label = if self.stderr.trim().is_empty() {
            "stdout"
        } else {
            "stderr"
        };
        format!("{label}:\n{}", lines[start..].join("\n"))
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The process groups alive now, for the Ctrl-C handler.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler once. A process that already has one (`qbank watch`, some
/// test harnesses) keeps it; the groups then die with the terminal's signal or at timeout.
pub fn install_interrupt_handler() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            for group in groups {
                kill_group(group);
            }
        });
    });
}

/// Fails once Ctrl-C was pressed.
pub fn check_interrupted() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        bail!("interrupted (Ctrl-C): stopped every example and server");
    }
    Ok(())
}

/// Sends SIGKILL to a whole process group.
pub fn kill_group(group: u32) {
    #[cfg(target_os = "linux")]
    if let Some(pid) = i32::try_from(group)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = group;
}

/// Asks a process to stop (SIGTERM), as a server's shutdown.
pub fn terminate(pid: u32) {
    #[cfg(target_os = "linux")]
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pid;
}

/// Whether qbank runs as root (servers then need to be told which user to run as).
pub fn is_root() -> bool {
    #[cfg(target_os = "linux")]
    return rustix::process::geteuid().is_root();
    #[cfg(not(target_os = "linux"))]
    return false;
}

/// A started process, leader of its own group; the group is killed when this is dropped.
pub struct Group {
    pub child: Child,
}

impl Group {
    /// Starts `cmd` in a new process group and registers it for Ctrl-C.
    pub fn spawn(cmd: &mut Command) -> std::io::Result<Group> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(cmd, 0);
        let child = cmd.spawn()?;
        GROUPS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(child.id());
        let group = Group { child };
        if INTERRUPTED.load(Ordering::SeqCst) {
            kill_group(group.child.id());
        }
        Ok(group)
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kills the whole group (the leader too, also where groups cannot be signalled).
    pub fn kill(&mut self) {
        kill_group(self.child.id());
        let _ = self.child.kill();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // Only while the leader lives: once it is reaped its id may be reused.
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
            let _ = self.child.wait();
        }
        let id = self.child.id();
        let mut groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
        groups.retain(|g| *g != id);
    }
}

/// Runs `cmd` to the end in its own process group, feeding it `stdin` (or nothing), within
/// `limits`. `Err` when it cannot be started or Ctrl-C was pressed; a failing, overrunning or
/// too chatty process is an `Ok` [`Finished`] saying so.
pub fn run(cmd: &mut Command, stdin: Option<Vec<u8>>, limits: Limits) -> Result<Finished> {
    check_interrupted()?;
    let program = cmd.get_program().to_string_lossy().into_owned();
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut group = Group::spawn(cmd).with_context(|| format!("starting `{program}`"))?;
    let id = group.id();
    if let (Some(input), Some(mut pipe)) = (stdin, group.child.stdin.take()) {
        // A process that exits without reading its input closes the pipe: not an error.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let overflow: Arc<OnceLock<&'static str>> = Arc::new(OnceLock::new());
    let (done_tx, done_rx) = mpsc::channel();
    let mut buffers = Vec::new();
    for (name, pipe) in [
        (
            "stdout",
            group
                .child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            "stderr",
            group
                .child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ] {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        buffers.push(buffer.clone());
        let Some(pipe) = pipe else { continue };
        let overflow = overflow.clone();
        let done = done_tx.clone();
        std::thread::spawn(move || {
            read_capped(pipe, &buffer, limits.output_cap, || {
                let _ = overflow.set(name);
                kill_group(id);
            });
            let _ = done.send(());
        });
    }
    drop(done_tx);
    let ending = match group.child.wait_timeout(limits.timeout)? {
        Some(status) => match overflow.get() {
            Some(stream) => Ending::Overflowed(stream),
            None => Ending::Exited(status),
        },
        None => Ending::TimedOut,
    };
    // Whatever it left running in the background goes too; then the pipes reach their end.
    group.kill();
    let _ = group.child.wait();
    for _ in 0..2 {
        // A process that left the group (setsid) may hold a pipe open: do not wait forever.
        if done_rx.recv_timeout(Duration::from_secs(2)).is_err() {
            break;
        }
    }
    drop(group);
    check_interrupted()?;
    let take = |b: &Arc<Mutex<Vec<u8>>>| {
        let bytes = std::mem::take(&mut *b.lock().unwrap_or_else(|e| e.into_inner()));
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Finished {
        ending,
        stdout: take(&buffers[0]),
        stderr: take(&buffers[1]),
        limits,
    })
}

/// Reads `pipe` into `buffer` up to `cap` bytes; past it calls `overflow` once and stops.
fn read_capped(mut pipe: impl Read, buffer: &Mutex<Vec<u8>>, cap: usize, overflow: impl FnOnce()) {
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match pipe.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let mut buffer = buffer.lock().unwrap_or_else(|e| e.into_inner());
        let room = cap.saturating_sub(buffer.len());
        buffer.extend_from_slice(&chunk[..n.min(room)]);
        if n > room {
            drop(buffer);
            overflow();
            return;
        }
    }
}

/// Finds a program on `PATH`, then in the system folders a non-root `PATH` often lacks
/// (`mariadbd` lives in `/usr/sbin`).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(
            ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"]
                .into_iter()
                .map(PathBuf::from),
        )
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

/// [`find_program`], or an error naming what needs it and the line that installs it.
pub fn require_program(name: &str, needed_by: &str, install: &str) -> Result<PathBuf> {
    find_program(name).with_context(|| {
        format!("`{name}` is not installed: {needed_by}.\n  install it: {install}")
    })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    path.is_file()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::time::Instant;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        cmd
    }

    #[test]
    fn output_is_capped_and_the_chatterbox_killed() {
        let limits = Limits {
            timeout: Duration::from_secs(20),
            output_cap: 64 * 1024,
        };
        let start = Instant::now();
        let done = run(&mut sh("yes 'a line of output'"), None, limits).unwrap();
        assert_eq!(done.ending, Ending::Overflowed("stdout"));
        assert_eq!(done.stdout.len(), 64 * 1024);
        assert!(start.elapsed() < Duration::from_secs(10));
        let failure = done.failure("python example").unwrap();
        assert_eq!(
            failure.message,
            "python example printed more than 64 KB on stdout"
        );
    }

    #[test]
    fn the_whole_group_is_killed_at_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("survived");
        // The background child would write the marker after the parent is killed.
        let script = format!("(sleep 2; touch '{}') & sleep 30", marker.display());
        let limits = Limits {
            timeout: Duration::from_millis(300),
            output_cap: OUTPUT_CAP,
        };
        let start = Instant::now();
        let done = run(&mut sh(&script), None, limits).unwrap();
        assert_eq!(done.ending, Ending::TimedOut);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(2500));
        assert!(!marker.exists(), "a background process outlived its block");
    }

    #[test]
    fn background_processes_end_with_their_block() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("survived");
        // Exits at once, leaving a child that holds stdout open and would write the marker.
        let script = format!("(sleep 2; touch '{}') & echo started", marker.display());
        let start = Instant::now();
        let done = run(&mut sh(&script), None, Limits::new(Duration::from_secs(20))).unwrap();
        assert!(done.success());
        assert_eq!(done.stdout, "started\n");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(2500));
        assert!(!marker.exists(), "a background process outlived its block");
    }

    #[test]
    fn a_missing_tool_names_its_package() {
        let e = require_program(
            "mariadbd-not-installed-here",
            "the bank's `kind: mariadb` environment needs a MariaDB server",
            "apt-get install mariadb-server (Debian, Ubuntu)",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`mariadbd-not-installed-here` is not installed: the bank's `kind: mariadb` environment needs a MariaDB server.\n  install it: apt-get install mariadb-server (Debian, Ubuntu)"
        );
        assert!(require_program("sh", "", "").is_ok());
    }

    #[test]
    fn stdin_is_fed_and_failures_keep_their_stderr() {
        let done = run(
            &mut sh("cat; echo oops >&2; exit 3"),
            Some(b"fed\n".to_vec()),
            Limits::new(Duration::from_secs(20)),
        )
        .unwrap();
        assert_eq!(done.stdout, "fed\n");
        let failure = done.failure("sql example").unwrap();
        assert!(failure.message.contains("exit status: 3"), "{failure:?}");
        assert_eq!(failure.help, "stderr:\noops");
    }
}
