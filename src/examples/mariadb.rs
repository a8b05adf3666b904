//! The throwaway MariaDB server ```` ```sql ```` blocks (and Django blocks with `database:
//! mariadb`) run on.
//!
//! One server per run, started by qbank — `mariadb-install-db` into a temporary folder, then
//! `mariadbd --skip-networking` on a Unix socket in that folder: no system service, no network
//! port. Every block gets a fresh database, dropped after it. Blocks on the server run one at a
//! time, so what is server-wide (users, global variables) never races. The server is stopped
//! and its folder removed when the run ends, also on error and on Ctrl-C.
//!
//! A block goes through the real `mariadb` client (`--table`, as the interactive client
//! prints), which stops at the first error. A `sql norun` block is parsed by the server
//! without running: it is created as the body of a stored procedure, which MariaDB parses in
//! full but resolves (tables, columns) only when called.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use super::process::{self, Failure, Group, Limits};

const INSTALL_HINT: &str = "apt-get install mariadb-server (Debian, Ubuntu)";

const SMALL_LOG: &str = "--innodb-log-file-size=8M";

/// How long the server may take to initialise and to start.
const START_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Server {
    /// The server process; dropped (killed) before `dir`.
    process: Option<Group>,
    socket: PathBuf,
    client: PathBuf,
    dump: PathBuf,
    next: AtomicUsize,
    /// Held while a block runs: one at a time.
    turn: Mutex<()>,
    /// Data, socket and log; removed last.
    dir: tempfile::TempDir,
}

/// The MariaDB programs, or an error naming the package to install.
fn programs() -> Result<[PathBuf; 4]> {
    let find = |name: &str| {
        process::require_program(
            name,
            "the bank's `kind: mariadb` environment needs a MariaDB server",
            INSTALL_HINT,
        )
    };
    Ok([
        find("mariadbd")?,
        find("mariadb-install-db")?,
        find("mariadb")?,
        find("mariadb-dump")?,
    ])
}

impl Server {
    /// Initialises a data folder and starts a server on a socket in it.
    pub fn start() -> Result<Server> {
        let [server, install, client, dump] = programs()?;
        let dir = tempfile::Builder::new()
            .prefix("qbank-mariadb-")
            .tempdir()
            .context("creating the MariaDB server's temporary folder")?;
        let data = dir.path().join("data");
        let socket = dir.path().join("mysqld.sock");
        let log = dir.path().join("server.log");
        let root = process::is_root();
        let mut init = Command::new(&install);
        // Its own tmpdir: a starting server clears temporary tables from its tmpdir, so two
        // sharing /tmp (parallel runs, parallel tests) would delete each other's.
        init.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--tmpdir={}", dir.path().display()))
            .args([
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                // The default 96 MB redo log takes most of the initialisation time.
                SMALL_LOG,
            ]);
        if root {
            init.arg("--user=root");
        }
        let limits = Limits::new(START_TIMEOUT);
        let done = process::run(&mut init, None, limits)?;
        if let Some(f) = done.failure("mariadb-install-db") {
            bail!(
                "{}: could not initialise a MariaDB data folder\n{}",
                f.message,
                f.help
            );
        }
        let mut cmd = Command::new(&server);
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!(
                "--pid-file={}",
                dir.path().join("mysqld.pid").display()
            ))
            .arg(format!("--log-error={}", log.display()))
            .arg(format!("--tmpdir={}", dir.path().display()))
            .args([
                "--skip-networking",
                "--skip-log-bin",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M",
                SMALL_LOG,
                "--innodb-flush-log-at-trx-commit=2",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if root {
            cmd.arg("--user=root");
        }
        let group =
            Group::spawn(&mut cmd).with_context(|| format!("starting {}", server.display()))?;
        let mut this = Server {
            process: Some(group),
            socket,
            client,
            dump,
            next: AtomicUsize::new(0),
            turn: Mutex::new(()),
            dir,
        };
        this.wait_ready()?;
        Ok(this)
    }

    /// Waits until the server answers, or fails with its log when it stopped or never did.
    fn wait_ready(&mut self) -> Result<()> {
        let start = Instant::now();
        loop {
            process::check_interrupted()?;
            if let Some(process) = &mut self.process
                && let Ok(Some(status)) = process.child.try_wait()
            {
                bail!(
                    "the MariaDB server stopped at start ({status})\n{}",
                    self.log_tail()
                );
            }
            if self.socket.exists() {
                let ping = self.sql(None, "SELECT 1;", Limits::new(Duration::from_secs(10)))?;
                if ping.success() {
                    return Ok(());
                }
            }
            if start.elapsed() > START_TIMEOUT {
                bail!(
                    "the MariaDB server did not start within {START_TIMEOUT:?}\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_tail(&self) -> String {
        let log = self.dir.path().join("server.log");
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(10)..].join("\n")
    }

    /// The socket clients connect to.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The client, connected as root to `database`.
    fn client(&self, database: Option<&str>) -> Command {
        let mut cmd = Command::new(&self.client);
        cmd.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--table", "--default-character-set=utf8mb4"]);
        if let Some(db) = database {
            cmd.arg(format!("--database={db}"));
        }
        cmd
    }

    /// Runs SQL text through the client.
    pub fn sql(
        &self,
        database: Option<&str>,
        text: &str,
        limits: Limits,
    ) -> Result<process::Finished> {
        process::run(
            &mut self.client(database),
            Some(text.as_bytes().to_vec()),
            limits,
        )
    }

    /// Creates a fresh, empty database; returns its name.
    pub fn create_database(&self, purpose: &str) -> Result<String> {
        let name = format!(
            "qbank_{purpose}_{}",
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        self.admin(&format!("CREATE DATABASE `{name}`;"))?;
        Ok(name)
    }

    pub fn drop_database(&self, name: &str) -> Result<()> {
        self.admin(&format!("DROP DATABASE IF EXISTS `{name}`;"))
    }

    fn admin(&self, statement: &str) -> Result<()> {
        let done = self.sql(None, statement, Limits::new(Duration::from_secs(60)))?;
        if let Some(f) = done.failure("the MariaDB client") {
            bail!("{statement} failed: {}\n{}", f.message, f.help);
        }
        Ok(())
    }

    /// The whole of a database as SQL (`mariadb-dump`), to copy it into fresh ones.
    pub fn dump(&self, database: &str) -> Result<String> {
        let mut cmd = Command::new(&self.dump);
        cmd.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .args(["--user=root", "--skip-comments", "--skip-dump-date"])
            .arg(database);
        let limits = Limits {
            timeout: Duration::from_secs(120),
            output_cap: 256 << 20,
        };
        let done = process::run(&mut cmd, None, limits)?;
        if let Some(f) = done.failure("mariadb-dump") {
            bail!("{}\n{}", f.message, f.help);
        }
        Ok(done.stdout)
    }

    /// Waits for this block's turn on the server.
    pub fn turn(&self) -> std::sync::MutexGuard<'_, ()> {
        self.turn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a ```` ```sql ```` block in a fresh database; `Some` describes a failure.
    pub fn run_block(
        &self,
        program: &str,
        expected: Option<&str>,
        limits: Limits,
    ) -> Result<Option<Failure>> {
        let _turn = self.turn();
        let db = self.create_database("block")?;
        let done = self.sql(Some(&db), program, limits)?;
        self.drop_database(&db)?;
        Ok(done
            .failure("sql example")
            .or_else(|| super::compare_output(expected, &done.stdout)))
    }

    /// Parses a ```` ```sql norun ```` block without running it; `Some` describes a failure.
    pub fn parse_block(&self, program: &str, limits: Limits) -> Result<Option<Failure>> {
        let _turn = self.turn();
        let db = self.create_database("parse")?;
        let wrapped = format!(
            "DELIMITER ;;\nCREATE PROCEDURE qbank_parse_only()\nBEGIN\n{}\nEND;;\n",
            program.trim_end()
        );
        let done = self.sql(Some(&db), &wrapped, limits)?;
        self.drop_database(&db)?;
        Ok(done.failure("sql block (norun)").map(|f| match done.ending {
            process::Ending::Exited(_) => Failure {
                message: "sql block (norun) does not parse on MariaDB".into(),
                help: format!(
                    "{}\n`sql norun` is parsed as the body of a stored procedure (its line 1 is the procedure's line 3); mark MySQL-8-only syntax `sql mysql8`",
                    f.help
                ),
            },
            _ => f,
        }))
    }
}

impl Drop for Server {
    /// A clean shutdown when it comes quickly; the process group is killed anyway.
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process::terminate(process.id());
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if !matches!(process.child.try_wait(), Ok(None)) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            drop(process);
        }
        // Then `dir` is removed, as the last field dropped.
    }
}

/// Whether the MariaDB programs are installed (for tests, to fail with the install line).
pub fn require() -> Result<()> {
    programs().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> Server {
        Server::start().expect("a MariaDB server (apt-get install mariadb-server)")
    }

    #[test]
    fn blocks_run_in_fresh_databases_and_the_server_goes_away() {
        let server = server();
        let limits = Limits::new(Duration::from_secs(30));
        let program = "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10));\nINSERT INTO t VALUES (1, 'ada');\nSELECT name FROM t;\n";
        let expected = "+------+\n| name |\n+------+\n| ada  |\n+------+\n";
        assert_eq!(
            server.run_block(program, Some(expected), limits).unwrap(),
            None
        );
        // The table was in the first block's database only.
        assert_eq!(
            server.run_block(program, Some(expected), limits).unwrap(),
            None
        );
        let missing = server
            .run_block("SELECT * FROM nowhere;", None, limits)
            .unwrap()
            .unwrap();
        assert!(missing.help.contains("doesn't exist"), "{missing:?}");
        let dir = server.dir.path().to_path_buf();
        let pid = server.process.as_ref().unwrap().id();
        drop(server);
        assert!(!dir.exists());
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "mariadbd still runs"
        );
    }

    #[test]
    fn norun_blocks_are_parsed_not_run() {
        let server = server();
        let limits = Limits::new(Duration::from_secs(30));
        let ok = "SELECT id FROM table_that_does_not_exist WHERE x = 1;\nALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT;";
        assert_eq!(server.parse_block(ok, limits).unwrap(), None);
        let bad = "SELECT id FROM t WHERE;";
        let found = server.parse_block(bad, limits).unwrap().unwrap();
        assert!(found.help.contains("syntax"), "{found:?}");
    }
}
