//! Authoring helpers: `qbank init` (a new bank), `qbank add` (a new question), and
//! `qbank schema` (the JSON Schemas editors validate the YAML with). Ids come from
//! [`crate::model::ids`], YAML text from [`crate::model::write`].

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::model::files::{
    BANK_MODELINE, SECTION_MODELINE, SectionFile, bank_schema_files, schema_files,
};
use crate::model::ids::{fresh_id, slugify};
use crate::model::write::{Style, Yaml, question_entry, same_question};
use crate::model::{Question, yaml};

/// Writes `bank.schema.json` and `section.schema.json` into `dir`, replacing them; returns
/// their paths.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in schema_files() {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Creates a new bank in `dir` that passes `qbank check --run-examples` as it is. It never
/// overwrites a file: when `dir` holds any file it would write, it writes nothing and names
/// them all. Each file is created new, so one appearing meanwhile is not overwritten either.
pub fn init(dir: &Path, title: &str, language: &str) -> Result<()> {
    if !crate::model::is_language_tag(language) {
        bail!(
            "`{language}` is not a language tag: use a BCP 47 tag such as `de`, `pt-BR` or \
             `zh-Hans` (nothing was written)"
        );
    }
    let id = match slugify(title) {
        s if s.is_empty() => "my-bank".to_string(),
        s => s,
    };
    let mut bank = Yaml::with_modeline(BANK_MODELINE);
    bank.field(0, "id", &id, Style::Auto)
        .comment_after(
            16,
            "never change it: Anki uses it to update learners' cards",
        )
        .field(0, "title", title, Style::Quoted)
        .field(0, "language", language, Style::Auto)
        .comment_after(
            2,
            "the outputs' fixed strings, dates and direction follow it; `labels:` rewords them",
        )
        .flow::<&str>(0, "authors", &[])
        .field(0, "version", "0.1.0", Style::Auto)
        .key(0, "parts")
        .item_field(2, "title", "Basics", Style::Auto)
        .flow(4, "sections", &["basics"]);
    let readme = format!(
        "# {title}\n\nA question bank for [qbank](https://crates.io/crates/qbank). Check it with \
         `qbank check --bank {d} --run-examples`, build Anki decks, an EPUB and printable HTML \
         with `qbank build --bank {d}`, or rebuild on every save with `qbank watch --bank {d}`.\n",
        d = dir.display()
    );
    let mut files = vec![
        (PathBuf::from("bank.yaml"), bank.finish()),
        (
            PathBuf::from("sections/basics.yaml"),
            format!("{SECTION_MODELINE}\n{EXAMPLE_SECTION}"),
        ),
        (PathBuf::from("README.md"), readme),
        (PathBuf::from(".gitignore"), "dist/\n".to_string()),
    ];
    files.extend(bank_schema_files());
    let present: Vec<String> = files
        .iter()
        .filter(|(rel, _)| dir.join(rel).symlink_metadata().is_ok())
        .map(|(rel, _)| rel.display().to_string())
        .collect();
    if !present.is_empty() {
        bail!(
            "{} already holds {}: `qbank init` never overwrites a file, so it wrote nothing",
            dir.display(),
            present.join(", ")
        );
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Err(e) = create_new(&path, text) {
            // Leave the folder as it was: take back what this run created.
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(())
}

/// Writes a file that must not exist yet (its folder is created as needed).
fn create_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {} (init never overwrites a file)", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The example section `init` writes (after its modeline): two answered questions whose
/// examples run.
const EXAMPLE_SECTION: &str = r#"id: basics
title: Basics
questions:
  - id: list-comprehension
    question: What does a list comprehension do?
    level: junior
    tags: [python]
    summary: >-
      It builds a list from an iterable in one expression, optionally filtering items —
      shorter and usually faster than an explicit loop with `append`.
    answer: |
      `[expr for item in iterable if condition]` evaluates `expr` for every item that passes
      the condition and collects the results:

      ```python
      squares = [n * n for n in range(6) if n % 2 == 0]
      print(squares)
      ```

      ```output
      [0, 4, 16]
      ```

      Use a generator expression instead when the result is consumed once — see
      [generators](q:generator-expression).

  - id: generator-expression
    question: When would you use a generator expression instead?
    level: mid
    tags: [python, memory]
    summary: >-
      When the values are consumed once, in order: a generator produces them lazily, so
      memory stays constant however long the sequence is.
    answer: |
      `(expr for item in iterable)` returns an iterator that computes each value on demand.
      Feed it straight into `sum`, `max`, `any` or a `for` loop:

      ```python
      total = sum(n * n for n in range(1_000_000))
      print(total)
      ```

      ```output
      333332833333500000
      ```

      It can be iterated only once, and has no `len()` or indexing — use a list when you
      need those.
"#;

/// Appends a new, unanswered question to a section; returns its fresh id. Nothing else in the
/// file changes: the bytes already there stay as they are, and the entry is appended only when
/// the file then reads back as the same section plus this one question.
pub fn add(bank: &Path, section: &str, question: &str) -> Result<String> {
    let question = question.trim();
    if question.is_empty() {
        bail!("the question text is empty");
    }
    let project = crate::Project::open(bank);
    let errors: Vec<_> = project
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        bail!(
            "the bank has {} error(s); run `qbank check` and fix them first",
            errors.len()
        );
    }
    let path = bank.join("sections").join(format!("{section}.yaml"));
    if !project.bank.sections().any(|s| s.id == section) || !path.exists() {
        let known: Vec<&str> = project.bank.sections().map(|s| s.id.as_str()).collect();
        bail!("no section `{section}`; sections: {}", known.join(", "));
    }
    let taken: HashSet<&str> = project
        .bank
        .questions()
        .map(|(_, q)| q.id.as_str())
        .collect();
    let new = Question {
        id: fresh_id(question, &taken),
        question: question.to_string(),
        level: None,
        tags: Vec::new(),
        summary: None,
        answer: None,
        origin: Default::default(),
    };
    let cannot = || {
        anyhow::anyhow!(
            "could not append to {} automatically; add the question by hand",
            path.display()
        )
    };
    let before = std::fs::read_to_string(&path)?;
    let old = read_section(&before).ok_or_else(cannot)?;
    // A blank line before the entry, unless it would join the value before it (a `|+` block
    // keeps trailing blank lines); the file's last line is ended first, if need be.
    let end_line = if before.is_empty() || before.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let entry = question_entry(&new, Style::Quoted);
    let blank = format!("{end_line}\n{entry}");
    let tight = format!("{end_line}{entry}");
    let candidates = if before.ends_with("\n\n") {
        vec![tight]
    } else {
        vec![blank, tight]
    };
    let appended = candidates
        .into_iter()
        .find(|tail| {
            read_section(&format!("{before}{tail}")).is_some_and(|read| {
                read.id == old.id
                    && read.title == old.title
                    && read.questions.len() == old.questions.len() + 1
                    && read
                        .questions
                        .iter()
                        .zip(old.questions.iter().chain([&new]))
                        .all(|(a, b)| same_question(a, b))
            })
        })
        .ok_or_else(cannot)?;
    // Append only: the bytes already in the file are never rewritten. Then make sure the bank
    // still loads, and cut the file back if it does not.
    let mut file = OpenOptions::new().append(true).open(&path)?;
    file.write_all(appended.as_bytes())?;
    drop(file);
    let after = crate::Project::open(bank);
    if after.error_count() > 0 || !after.bank.questions().any(|(_, q)| q.id == new.id) {
        File::options()
            .write(true)
            .open(&path)?
            .set_len(before.len() as u64)?;
        return Err(cannot());
    }
    Ok(new.id)
}

/// A section file's contents, or `None` when they do not read as one.
fn read_section(text: &str) -> Option<SectionFile<Question>> {
    yaml::typed(&yaml::parse(text).ok()?).ok()
}
