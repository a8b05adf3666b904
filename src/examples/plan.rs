//! What happens to each example block: run where, checked how, or skipped and why — decided
//! from the block's language and info string and the bank's environments, before anything
//! starts. [`lint`] reports what the bank got wrong here (an unknown environment, or one of the
//! wrong kind) in every `qbank check`, without running anything.

use crate::diagnostics::{Diagnostic, Place};
use crate::markup::info::ExampleLanguage;
use crate::markup::{CodeBlock, Example};
use crate::model::environments::EnvironmentKind;
use crate::model::{Bank, Origin, SourceMap};
use crate::render::RenderedBank;

use super::process::Failure;

/// What happens to one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
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
    pub fn runs(&self) -> bool {
        matches!(self, Task::Python | Task::PythonEnv(_) | Task::Sql)
    }
}

pub struct Job<'a> {
    pub block: &'a CodeBlock,
    pub question: &'a str,
    pub origin: Origin,
    pub markdown: &'a str,
    pub task: Task,
}

impl Job<'_> {
    pub fn place(&self, map: &SourceMap) -> Place {
        map.place_in_value(&self.origin, self.markdown, self.block.offset)
    }

    pub fn diagnostic(&self, map: &SourceMap, f: Failure) -> Diagnostic {
        Diagnostic::error(f.message)
            .at(self.place(map))
            .question(self.question)
            .help(f.help)
    }
}

/// A block the bank got wrong before anything runs (an unknown environment…).
pub struct Misfit {
    pub job: usize,
    pub failure: Failure,
}

/// Decides what happens to every example block.
pub fn plan<'a>(bank: &Bank, rendered: &'a RenderedBank) -> (Vec<Job<'a>>, Vec<Misfit>) {
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

/// The info string as qbank understood it.
pub fn fence(block: &CodeBlock) -> String {
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// The tasks planned for the blocks of one answer, with `envs` in bank.yaml.
    fn planned(envs: &str, answer: &str) -> (Vec<Task>, Vec<String>) {
        let bank = format!(
            "id: b\ntitle: B\nlanguage: en\nversion: '1'\nparts:\n  - title: P\n    sections: [s]\n{envs}"
        );
        let mut section = String::from(
            "id: s\ntitle: S\nquestions:\n  - id: q\n    question: Q?\n    summary: S.\n    answer: |\n",
        );
        for line in answer.lines() {
            section.push_str(&format!("      {line}\n"));
        }
        let loaded = crate::model::load_in_memory(
            Path::new("bank"),
            [
                (PathBuf::from("bank.yaml"), bank.into_bytes()),
                (PathBuf::from("sections/s.yaml"), section.into_bytes()),
            ],
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let (rendered, _) = crate::render::render_bank(
            &loaded.bank,
            &loaded.map,
            &crate::progress::Progress::hidden(),
        );
        let (jobs, misfits) = plan(&loaded.bank, &rendered);
        let misfits = misfits.into_iter().map(|m| m.failure.message).collect();
        (jobs.into_iter().map(|j| j.task).collect(), misfits)
    }

    const ENVS: &str = "environments:\n  dj:\n    kind: python\n    django: config.settings\n  db:\n    kind: mariadb\n";

    #[test]
    fn every_kind_of_block_gets_its_task() {
        let answer = "```python\n1\n```\n\n```python env=dj\n1\n```\n\n```python norun env=dj\n1\n```\n\n```sql\nSELECT 1;\n```\n\n```mysql env=db\nSELECT 1;\n```\n\n```sql norun\nSELECT 1;\n```\n\n```sql mysql8\nSELECT 1;\n```\n\n```sh\nls\n```\n\n```yml\na: 1\n```\n\n```json\n{}\n```\n\n```toml\na = 1\n```\n\n```text\nnothing\n```\n";
        let (tasks, misfits) = planned(ENVS, answer);
        assert!(misfits.is_empty(), "{misfits:?}");
        assert_eq!(tasks.len(), 11);
        assert_eq!(
            tasks[..6],
            [
                Task::Python,
                Task::PythonEnv("dj".into()),
                Task::Compile,
                Task::Sql,
                Task::Sql,
                Task::SqlParse,
            ]
        );
        assert!(matches!(&tasks[6], Task::Skip(r) if r.starts_with("MySQL 8 only")));
        assert_eq!(
            tasks[7..],
            [Task::Shell, Task::Yaml, Task::Json, Task::Toml]
        );
    }

    #[test]
    fn sql_without_a_server_is_skipped_and_wrong_environments_are_misfits() {
        let (tasks, misfits) = planned("", "```sql\nSELECT 1;\n```\n");
        assert!(matches!(&tasks[0], Task::Skip(r) if r.contains("no `kind: mariadb`")));
        assert!(misfits.is_empty());
        let answer = "```python env=db\n1\n```\n\n```sql env=dj\nSELECT 1;\n```\n\n```python env=nope\n1\n```\n";
        let (tasks, misfits) = planned(ENVS, answer);
        assert!(
            tasks.iter().all(|t| matches!(t, Task::Skip(_))),
            "{tasks:?}"
        );
        assert_eq!(
            misfits,
            [
                "environment `db` is `kind: mariadb`; a python block needs `kind: python`",
                "environment `dj` is `kind: python`; a sql block needs `kind: mariadb`",
                "no environment `nope` in bank.yaml",
            ]
        );
    }
}
