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
//! A run first sets up what the blocks need, in parallel — the server, each venv, then each
//! Django template database — then runs the blocks on a pool of threads. A missing tool
//! (Python's venv module, MariaDB, bash) is an error naming what to install; an environment
//! the bank got wrong (a requirement pip cannot install, a migration missing) is an error at
//! its declaration in bank.yaml, and its blocks are skipped.

mod django;
mod mariadb;
mod process;
mod python;
mod validators;
mod venv;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

pub use mariadb::require as require_mariadb;
pub use process::{Failure, OUTPUT_CAP};

use crate::diagnostics::{Diagnostic, Place};
use crate::markup::info::ExampleLanguage;
use crate::markup::{CodeBlock, Example};
use crate::model::environments::{Database, EnvironmentKind};
use crate::model::{Bank, Origin, SourceMap};
use crate::render::RenderedBank;
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

/// What happens to one block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Task {
    Python,
    PythonEnv(String),
    Sql,
    SqlParse,
    Compile,
    Toml,
    Yaml,
    Json,
    Shell,
    Skip(String),
}

impl Task {
    fn runs(&self) -> bool {
        matches!(self, Task::Python | Task::PythonEnv(_) | Task::Sql)
    }
}

struct Job<'a> {
    block: &'a CodeBlock,
    question: &'a str,
    origin: Origin,
    markdown: &'a str,
    task: Task,
}

impl Job<'_> {
    fn place(&self, map: &SourceMap) -> Place {
        map.place_in_value(&self.origin, self.markdown, self.block.offset)
    }

    fn diagnostic(&self, map: &SourceMap, f: Failure) -> Diagnostic {
        Diagnostic::error(f.message)
            .at(self.place(map))
            .question(self.question)
            .help(f.help)
    }
}

/// A block the bank got wrong before anything runs (an unknown environment…).
struct Misfit {
    job: usize,
    failure: Failure,
}

/// Decides what happens to every example block.
fn plan<'a>(bank: &Bank, rendered: &'a RenderedBank) -> (Vec<Job<'a>>, Vec<Misfit>) {
    let servers: Vec<&str> = bank
        .environments
        .values()
        .filter(|e| e.kind == EnvironmentKind::Mariadb)
        .map(|e| e.name.as_str())
        .collect();
    let mut jobs = Vec::new();
    let mut misfits = Vec::new();
    for q in rendered.questions() {
        let Some(answer) = &q.answer else { continue };
        let markdown = q.source.answer.as_deref().unwrap_or("");
        for block in &answer.code_blocks {
            let Some(example) = block.example else {
                continue;
            };
            let Some(lang) = ExampleLanguage::of(&block.language.to_ascii_lowercase()) else {
                continue;
            };
            let env = block.env.as_deref();
            let wanted = match lang {
                ExampleLanguage::Python => EnvironmentKind::Python,
                _ => EnvironmentKind::Mariadb,
            };
            let mut misfit = None;
            if let Some(name) = env {
                match bank.environments.get(name) {
                    None => {
                        let known: Vec<&str> =
                            bank.environments.keys().map(String::as_str).collect();
                        misfit = Some(Failure::new(
                            format!("no environment `{name}` in bank.yaml"),
                            if known.is_empty() {
                                "declare it under `environments:` in bank.yaml".to_string()
                            } else {
                                format!("environments: {}", known.join(", "))
                            },
                        ));
                    }
                    Some(e) if e.kind != wanted => {
                        misfit = Some(Failure::new(
                            format!(
                                "environment `{name}` is `kind: {}`; a {} block needs `kind: {}`",
                                kind_name(e.kind),
                                block.language,
                                kind_name(wanted)
                            ),
                            "python blocks run in python environments, sql blocks on mariadb ones",
                        ));
                    }
                    Some(_) => {}
                }
            }
            let task = if let Some(f) = &misfit {
                Task::Skip(f.message.clone())
            } else {
                match (lang, example) {
                    (_, Example::Mysql8) => Task::Skip(
                        "MySQL 8 only: MariaDB can neither run nor parse it, and no MySQL 8 server is available".into(),
                    ),
                    (ExampleLanguage::Python, Example::NoRun) => Task::Compile,
                    (ExampleLanguage::Python, _) => match env {
                        Some(name) => Task::PythonEnv(name.to_string()),
                        None => Task::Python,
                    },
                    (ExampleLanguage::Sql, _) if servers.is_empty() => Task::Skip(
                        "bank.yaml declares no `kind: mariadb` environment to run SQL on".into(),
                    ),
                    (ExampleLanguage::Sql, Example::NoRun) => Task::SqlParse,
                    (ExampleLanguage::Sql, _) => Task::Sql,
                    (ExampleLanguage::Shell, _) => Task::Shell,
                    (ExampleLanguage::Yaml, _) => Task::Yaml,
                    (ExampleLanguage::Json, _) => Task::Json,
                    (ExampleLanguage::Toml, _) => Task::Toml,
                }
            };
            if let Some(failure) = misfit {
                misfits.push(Misfit {
                    job: jobs.len(),
                    failure,
                });
            }
            jobs.push(Job {
                block,
                question: &q.id,
                origin: q.origin.field("answer"),
                markdown,
                task,
            });
        }
    }
    (jobs, misfits)
}

fn kind_name(kind: EnvironmentKind) -> &'static str {
    match kind {
        EnvironmentKind::Python => "python",
        EnvironmentKind::Mariadb => "mariadb",
    }
}

/// The problems `check` reports without running anything: blocks naming an environment the
/// bank does not declare, or one of the wrong kind.
pub fn lint(bank: &Bank, rendered: &RenderedBank, map: &SourceMap) -> Vec<Diagnostic> {
    let (jobs, misfits) = plan(bank, rendered);
    misfits
        .into_iter()
        .map(|m| jobs[m.job].diagnostic(map, m.failure))
        .collect()
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
    let (mut jobs, _) = plan(bank, rendered);
    let limits = Limits::new(opts.timeout);
    let mut report = Report::default();
    let needs = |jobs: &[Job], f: &dyn Fn(&Task) -> bool| jobs.iter().any(|j| f(&j.task));

    let python = python::resolve(&opts.python);
    let python_version = if needs(&jobs, &|t| {
        matches!(
            t,
            Task::Python | Task::PythonEnv(_) | Task::Compile | Task::Toml
        )
    }) {
        Some(python::check_python(&python)?)
    } else {
        None
    };
    let bash = if needs(&jobs, &|t| *t == Task::Shell) {
        Some(validators::find_bash()?)
    } else {
        None
    };
    if needs(&jobs, &|t| *t == Task::Toml) && !python::has_tomllib(&python) {
        for job in jobs.iter_mut().filter(|j| j.task == Task::Toml) {
            job.task = Task::Skip(format!(
                "TOML is parsed by Python's tomllib, which `{}` lacks (Python 3.11+)",
                opts.python.display()
            ));
        }
    }
    let used: BTreeSet<String> = jobs
        .iter()
        .filter_map(|j| match &j.task {
            Task::PythonEnv(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let needs_server = needs(&jobs, &|t| matches!(t, Task::Sql | Task::SqlParse))
        || used.iter().any(|name| {
            bank.environments[name].database == Database::Mariadb
                && bank.environments[name].django.is_some()
        });
    // Absolute: blocks run in other folders.
    let cache = std::path::absolute(
        opts.cache_dir
            .clone()
            .unwrap_or_else(|| bank.root.join(".qbank")),
    )
    .context("finding the cache folder")?;
    let run_dir = tempfile::Builder::new()
        .prefix("qbank-examples-")
        .tempdir()
        .context("creating a temporary folder")?;

    // Set up, in parallel: the server and the venvs, then the Django templates.
    let started = Instant::now();
    let venv_of: BTreeMap<&str, PathBuf> = used
        .iter()
        .map(|name| {
            let env = &bank.environments[name];
            let version = python_version.as_deref().unwrap_or_default();
            let place = venv::location(&cache, version, &python, &env.requirements);
            (name.as_str(), place)
        })
        .collect();
    let distinct: BTreeMap<&PathBuf, &str> = venv_of.iter().map(|(n, p)| (p, *n)).collect();
    let (server, venvs) = std::thread::scope(|s| {
        let server = needs_server.then(|| s.spawn(mariadb::Server::start));
        let venvs: Vec<_> = distinct
            .iter()
            .map(|(place, name)| {
                let requirements = &bank.environments[*name].requirements;
                let python = &python;
                let handle = s.spawn(move || venv::ensure(python, place, requirements, limits));
                ((*place).clone(), handle)
            })
            .collect();
        let venvs: Vec<_> = venvs
            .into_iter()
            .map(|(place, h)| (place, join(h)))
            .collect();
        (server.map(join), venvs)
    });
    let server = server.transpose()?;
    report
        .timings
        .push(("start the server, make the venvs", started.elapsed()));
    let started = Instant::now();
    let mut venv_python: BTreeMap<PathBuf, Result<PathBuf, Failure>> = BTreeMap::new();
    for (place, result) in venvs {
        venv_python.insert(place, result?);
    }
    let shared = django::Shared {
        run_dir: run_dir.path(),
        cache: &cache,
        root: &bank.root,
    };
    let prepared: Vec<(String, Result<Result<django::PythonEnv, Failure>>)> =
        std::thread::scope(|s| {
            let handles: Vec<_> = used
                .iter()
                .map(|name| {
                    let env = &bank.environments[name];
                    let venv = venv_python[&venv_of[name.as_str()]].clone();
                    let server = server.as_ref();
                    let shared = &shared;
                    let handle = s.spawn(move || match venv {
                        Ok(python) => {
                            django::PythonEnv::prepare(env, python, shared, server, limits)
                        }
                        Err(f) => Ok(Err(f)),
                    });
                    (name.clone(), handle)
                })
                .collect();
            handles
                .into_iter()
                .map(|(name, h)| (name, join(h)))
                .collect()
        });
    let mut envs = BTreeMap::new();
    for (name, result) in prepared {
        match result? {
            Ok(env) => {
                envs.insert(name, env);
            }
            Err(f) => {
                let env = &bank.environments[&name];
                report.diagnostics.push(
                    Diagnostic::error(format!(
                        "environment `{name}` could not be set up: {}",
                        f.message
                    ))
                    .at(map.place(&env.origin))
                    .help(f.help),
                );
                for job in jobs.iter_mut() {
                    if job.task == Task::PythonEnv(name.clone()) {
                        job.task = Task::Skip(format!(
                            "environment `{name}` could not be set up (see the error above)"
                        ));
                    }
                }
            }
        }
    }

    report
        .timings
        .push(("set up the environments (migrations)", started.elapsed()));
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
        python: &python,
        bash: bash.as_deref(),
        server: server.as_ref(),
        envs: &envs,
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
    drop(server);
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
                fence: fence(job.block),
                reason: reason.clone(),
            }),
            t if t.runs() => report.ran += 1,
            _ => report.checked += 1,
        }
    }
    Ok(report)
}

/// A thread's result; a panic is passed on.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The info string as qbank understood it.
fn fence(block: &CodeBlock) -> String {
    let mut s = block.language.clone();
    match block.example {
        Some(Example::Mysql8) => s.push_str(" mysql8"),
        Some(Example::NoRun)
            if ExampleLanguage::of(&s.to_ascii_lowercase()).is_some_and(|l| l.runs()) =>
        {
            s.push_str(" norun")
        }
        _ => {}
    }
    if let Some(env) = &block.env {
        s.push_str(&format!(" env={env}"));
    }
    s
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
