//! ```` ```python env=NAME ```` blocks: a `kind: python` environment's venv, its `path` on
//! `sys.path`, and — with `django:` — a Django project set up for every block.
//!
//! Each block runs in its own process and temporary folder through `harness.py` (embedded
//! below). With Django, the project's migrations are checked (`makemigrations --check`) and
//! applied once per run into a template database; every block then gets its own copy — a
//! copied SQLite file, or on MariaDB a fresh database loaded from the template's dump — so
//! blocks never see each other's rows. The project's own `DATABASES` is replaced; its other
//! settings stay.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde_json::json;

use super::mariadb::Server;
use super::process::{self, Failure, Limits};
use crate::model::Environment;
use crate::model::environments::Database;

/// The runner every environment block goes through.
pub const HARNESS: &str = include_str!("harness.py");

/// Migrations may take this long.
const MIGRATE_TIMEOUT: Duration = Duration::from_secs(300);

/// A `kind: python` environment, ready for blocks.
pub struct PythonEnv {
    python: PathBuf,
    path: Option<PathBuf>,
    django: Option<Django>,
    harness: PathBuf,
    pycache: PathBuf,
}

struct Django {
    settings: String,
    template: Template,
}

enum Template {
    /// A migrated SQLite file, copied for each block.
    Sqlite(PathBuf),
    /// The dump of a migrated MariaDB database, loaded into a fresh one for each block.
    Mariadb(String),
}

/// The folders a run shares: where the harness and templates are written, and the
/// bytecode cache (kept out of the bank's folders).
pub struct Shared<'a> {
    pub run_dir: &'a Path,
    pub cache: &'a Path,
    pub root: &'a Path,
}

impl PythonEnv {
    /// Sets the environment up for blocks: `python` is its venv's interpreter. `Ok(Err)` is
    /// a problem of the bank's (its project or migrations); `Err` a fatal one.
    pub fn prepare(
        env: &Environment,
        python: PathBuf,
        shared: &Shared,
        server: Option<&Server>,
        limits: Limits,
    ) -> Result<Result<PythonEnv, Failure>> {
        let harness = shared.run_dir.join("harness.py");
        if !harness.exists() {
            std::fs::write(&harness, HARNESS).context("writing the example harness")?;
        }
        let path = match &env.path {
            Some(rel) => {
                let full = shared.root.join(rel);
                if !full.is_dir() {
                    return Ok(Err(Failure::new(
                        format!("`path` {} is not a folder", full.display()),
                        "`path` names a folder of the bank, relative to bank.yaml",
                    )));
                }
                Some(full.canonicalize()?)
            }
            None => None,
        };
        let mut this = PythonEnv {
            python,
            path,
            django: None,
            harness,
            pycache: shared.cache.join("pycache"),
        };
        let Some(settings) = &env.django else {
            return Ok(Ok(this));
        };
        let limits = limits.with_timeout(limits.timeout.max(MIGRATE_TIMEOUT));
        let template = match env.database {
            Database::Sqlite => {
                let file = shared
                    .run_dir
                    .join(format!("{}-template.sqlite3", env.name));
                let database = sqlite(&file);
                let mut cmd = this.command("migrate", None, settings, &database, shared.run_dir);
                let done = process::run(&mut cmd, None, limits)?;
                if let Some(f) = done.failure("applying the migrations") {
                    return Ok(Err(f));
                }
                Template::Sqlite(file)
            }
            Database::Mariadb => {
                let server = server.context("a MariaDB server for the Django environment")?;
                let _turn = server.turn();
                let db = server.create_database("template")?;
                let database = mysql(server, &db);
                let mut cmd = this.command("migrate", None, settings, &database, shared.run_dir);
                let done = process::run(&mut cmd, None, limits)?;
                if let Some(f) = done.failure("applying the migrations on MariaDB") {
                    return Ok(Err(f));
                }
                let dump = server.dump(&db)?;
                server.drop_database(&db)?;
                Template::Mariadb(dump)
            }
        };
        this.django = Some(Django {
            settings: settings.clone(),
            template,
        });
        Ok(Ok(this))
    }

    fn command(
        &self,
        mode: &str,
        script: Option<&Path>,
        settings: &str,
        database: &serde_json::Value,
        cwd: &Path,
    ) -> Command {
        let config = json!({
            "path": self.path,
            "django": settings,
            "database": database,
        });
        self.harness_command(mode, script, &config, cwd)
    }

    fn harness_command(
        &self,
        mode: &str,
        script: Option<&Path>,
        config: &serde_json::Value,
        cwd: &Path,
    ) -> Command {
        let mut cmd = Command::new(&self.python);
        cmd.arg("-I")
            .arg("-X")
            .arg(format!("pycache_prefix={}", self.pycache.display()))
            .arg(&self.harness)
            .arg(mode);
        if let Some(script) = script {
            cmd.arg(script);
        }
        cmd.env("QBANK_ENV", config.to_string())
            .env("PYTHONIOENCODING", "utf-8")
            .current_dir(cwd);
        cmd
    }

    /// Runs one block; `Some` describes a failure.
    pub fn run_block(
        &self,
        program: &str,
        expected: Option<&str>,
        server: Option<&Server>,
        limits: Limits,
    ) -> Result<Option<Failure>> {
        let dir = tempfile::tempdir().context("creating a temporary folder")?;
        let script = dir.path().join("example.py");
        std::fs::write(&script, program)?;
        let done = match &self.django {
            None => {
                let config = json!({ "path": self.path });
                let mut cmd = self.harness_command("run", Some(&script), &config, dir.path());
                process::run(&mut cmd, None, limits)?
            }
            Some(Django {
                settings,
                template: Template::Sqlite(file),
            }) => {
                let copy = dir.path().join("db.sqlite3");
                std::fs::copy(file, &copy).context("copying the template database")?;
                let mut cmd =
                    self.command("run", Some(&script), settings, &sqlite(&copy), dir.path());
                process::run(&mut cmd, None, limits)?
            }
            Some(Django {
                settings,
                template: Template::Mariadb(dump),
            }) => {
                let server = server.context("the MariaDB server")?;
                let _turn = server.turn();
                let db = server.create_database("django")?;
                let loaded = server.sql(Some(&db), dump, limits.with_timeout(MIGRATE_TIMEOUT))?;
                if let Some(f) = loaded.failure("loading the migrated database") {
                    return Ok(Some(f));
                }
                let database = mysql(server, &db);
                let mut cmd = self.command("run", Some(&script), settings, &database, dir.path());
                let done = process::run(&mut cmd, None, limits)?;
                server.drop_database(&db)?;
                done
            }
        };
        Ok(done
            .failure("python example")
            .or_else(|| super::compare_output(expected, &done.stdout)))
    }
}

fn sqlite(file: &Path) -> serde_json::Value {
    json!({ "ENGINE": "django.db.backends.sqlite3", "NAME": file })
}

fn mysql(server: &Server, db: &str) -> serde_json::Value {
    json!({
        "ENGINE": "django.db.backends.mysql",
        "NAME": db,
        "USER": "root",
        "HOST": server.socket(),
        "OPTIONS": { "charset": "utf8mb4" },
    })
}
