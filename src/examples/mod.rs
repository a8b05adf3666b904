//! `check --run-examples`: the code that teaches runs against the real thing.
//!
//! Every code block qbank has a real tool for is an *example* (see [`crate::markup::info`]
//! for info strings and hidden lines):
//!
//! | block | what happens | file |
//! |---|---|---|
//! | ```` ```python ```` | run by `python3 -I` in an empty folder | [`python`] |
//! | ```` ```python env=NAME ```` | run in the `kind: python` environment's venv; with Django on a fresh migrated database | [`venv`], [`django`] |
//! | ```` ```sql ```` | run on a throwaway MariaDB server, in a fresh database | [`mariadb`] |
//! | ```` ```python norun ```` | compiled | [`python`] |
//! | ```` ```sql norun ```` | parsed by MariaDB, not run | [`mariadb`] |
//! | ```` ```sql mysql8 ```` | skipped: no real tool can check MySQL 8 syntax here | |
//! | bash / sh, yaml, json, toml | `bash -n`, serde_norway, serde_json, `tomllib` | [`validators`] |
//!
//! A ```` ```output ```` block after a block that runs is what it must print. Every process runs
//! in its own process group, within the timeout and the output cap ([`process`]).
//!
//! A run decides what happens to each block ([`plan`]), sets up what they need, in parallel —
//! the server, each venv, then each Django template database ([`setup`]) — then runs the
//! blocks on a pool of threads (here). A missing tool
//! (Python's venv module, MariaDB, bash) is an error naming what to install; an environment
//! the bank got wrong (a requirement pip cannot install, a migration missing) is an error at
//! its declaration in bank.yaml, and its blocks are skipped.

mod django;
mod mariadb;
mod plan;
mod process;
mod python;
mod setup;
mod validators;
mod venv;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

pub use mariadb::require as require_mariadb;
pub use plan::lint;
pub use process::{Failure, OUTPUT_CAP};

use crate::diagnostics::{Diagnostic, Place};
use crate::model::{Bank, SourceMap};
use crate::render::RenderedBank;
use plan::{Job, Task};
use process::Limits;

pub struct ExampleOptions {
    /// The interpreter for plain blocks, `norun` and TOML blocks, and the venvs' base.
    pub python: PathBuf,
    pub timeout: Duration,
    pub jobs: usize,
    /// Where venvs are kept; `<bank>/.qbank` when `None`.
    pub cache_dir: Option<PathBuf>,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Blocks executed (passed or failed).
    pub ran: usize,
    /// Blocks compiled or parsed.
    pub checked: usize,
    pub skipped: Vec<Skipped>,
    /// One error per failing block (or broken environment).
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of each step: setting up, running.
    pub timings: Vec<(&'static str, Duration)>,
}

/// A block neither run nor checked, and why.
#[derive(Debug)]
pub struct Skipped {
    pub place: Place,
    pub question: String,
    /// The fence's info string as qbank read it, e.g. `sql mysql8`.
    pub fence: String,
    pub reason: String,
}

/// A piece of work for the pool: one block, or a batch one process checks.
enum Unit {
    One(usize),
    Compile(Vec<usize>),
    Toml(Vec<usize>),
}

/// Runs and checks the examples. `Err` means a tool is missing or the run was interrupted:
/// that must fail the check rather than skip blocks.
pub fn run(
    bank: &Bank,
    rendered: &RenderedBank,
    map: &SourceMap,
    opts: &ExampleOptions,
) -> Result<Report> {
    process::install_interrupt_handler();
    let (mut jobs, _) = plan::plan(bank, rendered);
    let limits = Limits::new(opts.timeout);
    let mut report = Report::default();
    let tools = setup::tools(&mut jobs, opts)?;
    let ready = setup::environments(bank, map, &mut jobs, &tools, opts, limits, &mut report)?;
    let started = Instant::now();

    // The pool: the batches first (one process each), then the blocks in bank order.
    let indices =
        |task: Task| -> Vec<usize> { (0..jobs.len()).filter(|i| jobs[*i].task == task).collect() };
    let mut units = Vec::new();
    for (task, unit) in [
        (Task::Compile, Unit::Compile as fn(Vec<usize>) -> Unit),
        (Task::Toml, Unit::Toml),
    ] {
        let list = indices(task);
        if !list.is_empty() {
            units.push(unit(list));
        }
    }
    units.extend(
        (0..jobs.len())
            .filter(|i| !matches!(jobs[*i].task, Task::Compile | Task::Toml | Task::Skip(_)))
            .map(Unit::One),
    );
    let failures: Mutex<Vec<(usize, Failure)>> = Mutex::new(Vec::new());
    let fatal: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let ctx = Ctx {
        jobs: &jobs,
        python: &tools.python,
        bash: tools.bash.as_deref(),
        server: ready.server.as_ref(),
        envs: &ready.envs,
        limits,
    };
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1).min(units.len().max(1)) {
            s.spawn(|| {
                while !stop.load(Ordering::SeqCst) {
                    let Some(unit) = units.get(next.fetch_add(1, Ordering::SeqCst)) else {
                        break;
                    };
                    match ctx.unit(unit) {
                        Ok(found) => failures.lock().unwrap().extend(found),
                        Err(e) => {
                            stop.store(true, Ordering::SeqCst);
                            fatal.lock().unwrap().get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    report
        .timings
        .push(("run and check the blocks", started.elapsed()));
    let started = Instant::now();
    drop(ready);
    report.timings.push(("stop the server", started.elapsed()));
    if let Some(e) = fatal.into_inner().unwrap() {
        return Err(e);
    }
    process::check_interrupted()?;
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|(i, _)| *i);
    for (i, f) in failures {
        report.diagnostics.push(jobs[i].diagnostic(map, f));
    }
    for job in &jobs {
        match &job.task {
            Task::Skip(reason) => report.skipped.push(Skipped {
                place: job.place(map),
                question: job.question.to_string(),
                fence: plan::fence(job.block),
                reason: reason.clone(),
            }),
            t if t.runs() => report.ran += 1,
            _ => report.checked += 1,
        }
    }
    Ok(report)
}

/// What the pool's threads share.
struct Ctx<'a> {
    jobs: &'a [Job<'a>],
    python: &'a Path,
    bash: Option<&'a Path>,
    server: Option<&'a mariadb::Server>,
    envs: &'a BTreeMap<String, django::PythonEnv>,
    limits: Limits,
}

impl Ctx<'_> {
    fn unit(&self, unit: &Unit) -> Result<Vec<(usize, Failure)>> {
        match unit {
            Unit::Compile(list) => {
                let sources: Vec<&str> = list
                    .iter()
                    .map(|i| self.jobs[*i].block.program.as_str())
                    .collect();
                Ok(python::compile_all(self.python, &sources, self.limits)?
                    .into_iter()
                    .map(|(k, message)| {
                        (
                            list[k],
                            Failure::new(
                                format!("python block (norun) does not compile: {message}"),
                                "`norun` blocks are not executed, but must be valid Python",
                            ),
                        )
                    })
                    .collect())
            }
            Unit::Toml(list) => {
                let sources: Vec<&str> = list
                    .iter()
                    .map(|i| self.jobs[*i].block.program.as_str())
                    .collect();
                Ok(validators::toml_all(self.python, &sources, self.limits)?
                    .into_iter()
                    .map(|(k, f)| (list[k], f))
                    .collect())
            }
            Unit::One(i) => Ok(self
                .one(&self.jobs[*i])?
                .map(|f| (*i, f))
                .into_iter()
                .collect()),
        }
    }

    fn one(&self, job: &Job) -> Result<Option<Failure>> {
        let program = job.block.program.as_str();
        let expected = job.block.expected_output.as_deref();
        let server = || self.server.context("the MariaDB server is not running");
        match &job.task {
            Task::Python => python::run_plain(self.python, program, expected, self.limits),
            Task::PythonEnv(name) => match self.envs.get(name) {
                Some(env) => env.run_block(program, expected, self.server, self.limits),
                None => Ok(None),
            },
            Task::Sql => server()?.run_block(program, expected, self.limits),
            Task::SqlParse => server()?.parse_block(program, self.limits),
            Task::Yaml => Ok(validators::yaml(program)),
            Task::Json => Ok(validators::json(program)),
            Task::Shell => match self.bash {
                Some(bash) => validators::shell(bash, program, self.limits),
                None => Ok(None),
            },
            Task::Compile | Task::Toml | Task::Skip(_) => Ok(None),
        }
    }
}

/// Compares what a block printed with its ```` ```output ```` block (trailing whitespace
/// aside).
fn compare_output(expected: Option<&str>, printed: &str) -> Option<Failure> {
    let expected = expected?;
    (expected.trim_end() != printed.trim_end()).then(|| {
        Failure::new(
            "example printed something else than its `output` block",
            format!(
                "expected:\n{}\nprinted:\n{}",
                expected.trim_end(),
                printed.trim_end()
            ),
        )
    })
}
