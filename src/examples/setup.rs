//! Everything the blocks need, made ready before the first one runs.
//!
//! First the tools: the Python interpreter (and whether it has `tomllib`) and `bash`, looked
//! for only when a block needs them — a missing one is an error naming what to install. Then,
//! in parallel, the MariaDB server and each distinct venv; then, in parallel, each python
//! environment (a Django project's migrations, once, into a template database). A python
//! environment the bank got wrong is an error at its declaration in bank.yaml, and its blocks
//! are skipped; the other environments go on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::thread::ScopedJoinHandle;
use std::time::Instant;

use anyhow::{Context as _, Result};

use super::django::{PythonEnv, Shared};
use super::mariadb::Server;
use super::plan::{Job, Task};
use super::process::{Failure, Limits};
use super::{ExampleOptions, Report, python, validators, venv};
use crate::diagnostics::Diagnostic;
use crate::model::environments::Database;
use crate::model::{Bank, SourceMap};

/// The programs blocks are checked with.
pub struct Tools {
    /// The interpreter for plain blocks, `norun` and TOML, and the venvs' base.
    pub python: PathBuf,
    /// Its version, when a block needs Python at all.
    pub version: Option<String>,
    pub bash: Option<PathBuf>,
}

fn needs(jobs: &[Job], f: impl Fn(&Task) -> bool) -> bool {
    jobs.iter().any(|j| f(&j.task))
}

/// Finds the tools the planned blocks need; TOML blocks are skipped when Python lacks
/// `tomllib`.
pub fn tools(jobs: &mut [Job], opts: &ExampleOptions) -> Result<Tools> {
    let mut python = python::resolve(&opts.python);
    let version = if needs(jobs, |t| {
        matches!(
            t,
            Task::Python | Task::PythonEnv(_) | Task::Compile | Task::Toml
        )
    }) {
        let (version, executable) = python::check_python(&python)?;
        python = executable;
        Some(version)
    } else {
        None
    };
    let bash = if needs(jobs, |t| *t == Task::Shell) {
        Some(validators::find_bash()?)
    } else {
        None
    };
    if needs(jobs, |t| *t == Task::Toml) && !python::has_tomllib(&python) {
        for job in jobs.iter_mut().filter(|j| j.task == Task::Toml) {
            job.task = Task::Skip(format!(
                "TOML is parsed by Python's tomllib, which `{}` lacks (Python 3.11+)",
                opts.python.display()
            ));
        }
    }
    Ok(Tools {
        python,
        version,
        bash,
    })
}

/// The environments, ready. Dropping it stops the server and removes the run's folders.
pub struct Ready {
    pub envs: BTreeMap<String, PythonEnv>,
    pub server: Option<Server>,
    /// The harness and the template databases.
    _run_dir: tempfile::TempDir,
}

/// Sets up the server and the python environments the planned blocks use.
pub fn environments(
    bank: &Bank,
    map: &SourceMap,
    jobs: &mut [Job],
    tools: &Tools,
    opts: &ExampleOptions,
    limits: Limits,
    report: &mut Report,
) -> Result<Ready> {
    let used: BTreeSet<String> = jobs
        .iter()
        .filter_map(|j| match &j.task {
            Task::PythonEnv(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let needs_server = needs(jobs, |t| matches!(t, Task::Sql | Task::SqlParse))
        || used.iter().any(|name| {
            let env = &bank.environments[name];
            env.django.is_some() && env.database == Database::Mariadb
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

    // The server and the venvs, in parallel. Environments with the same requirements share
    // one venv.
    let started = Instant::now();
    let venv_of: BTreeMap<&str, PathBuf> = used
        .iter()
        .map(|name| {
            let requirements = &bank.environments[name].requirements;
            let version = tools.version.as_deref().unwrap_or_default();
            let place = venv::location(&cache, version, &tools.python, requirements);
            (name.as_str(), place)
        })
        .collect();
    let distinct: BTreeMap<&PathBuf, &str> = venv_of.iter().map(|(n, p)| (p, *n)).collect();
    let (server, venvs) = std::thread::scope(|s| {
        let server = needs_server.then(|| s.spawn(Server::start));
        let venvs: Vec<_> = distinct
            .iter()
            .map(|(place, name)| {
                let requirements = &bank.environments[*name].requirements;
                let python = &tools.python;
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
    let mut venv_python: BTreeMap<PathBuf, Result<PathBuf, Failure>> = BTreeMap::new();
    for (place, result) in venvs {
        venv_python.insert(place, result?);
    }
    report
        .timings
        .push(("start the server, make the venvs", started.elapsed()));

    // Each python environment, in parallel: Django's migrations into a template database.
    let started = Instant::now();
    let shared = Shared {
        run_dir: run_dir.path(),
        cache: &cache,
        root: &bank.root,
    };
    let prepared: Vec<(String, Result<Result<PythonEnv, Failure>>)> = std::thread::scope(|s| {
        let handles: Vec<_> = used
            .iter()
            .map(|name| {
                let env = &bank.environments[name];
                let venv = venv_python[&venv_of[name.as_str()]].clone();
                let server = server.as_ref();
                let shared = &shared;
                let handle = s.spawn(move || match venv {
                    Ok(python) => PythonEnv::prepare(env, python, shared, server, limits),
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
                let broken = Task::PythonEnv(name.clone());
                for job in jobs.iter_mut().filter(|j| j.task == broken) {
                    job.task = Task::Skip(format!(
                        "environment `{name}` could not be set up (see the error above)"
                    ));
                }
            }
        }
    }
    report
        .timings
        .push(("set up the environments (migrations)", started.elapsed()));
    Ok(Ready {
        envs,
        server,
        _run_dir: run_dir,
    })
}

/// A thread's result; a panic is passed on.
fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
