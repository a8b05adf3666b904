//! Authoring helpers: `qbank init` (a new bank), `qbank add` (a new question), and
//! `qbank schema` (the JSON Schemas editors validate the YAML with).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::model::files::schemas;
use crate::model::slugify;

/// The schema folder inside a bank, referenced by the YAML files' modelines.
pub const SCHEMA_DIR: &str = "schema";
pub const BANK_MODELINE: &str = "# yaml-language-server: $schema=schema/bank.schema.json";
pub const SECTION_MODELINE: &str = "# yaml-language-server: $schema=../schema/section.schema.json";

/// Writes `bank.schema.json` and `section.schema.json` into `dir`; returns their paths.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let (bank, section) = schemas();
    let mut written = Vec::new();
    for (name, text) in [("bank.schema.json", bank), ("section.schema.json", section)] {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Creates a new bank in `dir` that passes `qbank check --run-examples` as it is.
pub fn init(dir: &Path, title: &str) -> Result<()> {
    if dir.join("bank.yaml").exists() {
        bail!("{} already holds a bank (bank.yaml exists)", dir.display());
    }
    let id = match slugify(title) {
        s if s.is_empty() => "my-bank".to_string(),
        s => s,
    };
    std::fs::create_dir_all(dir.join("sections"))?;
    write_schemas(&dir.join(SCHEMA_DIR))?;
    let quoted = |s: &str| serde_json::to_string(s).expect("strings serialize");
    let bank = format!(
        "{BANK_MODELINE}\n\
         id: {id}                # never change it: Anki uses it to update learners' cards\n\
         title: {}\n\
         language: en\n\
         authors: []\n\
         version: 0.1.0\n\
         parts:\n  - title: Basics\n    sections: [basics]\n",
        quoted(title)
    );
    std::fs::write(dir.join("bank.yaml"), bank)?;
    std::fs::write(dir.join("sections/basics.yaml"), EXAMPLE_SECTION)?;
    std::fs::write(
        dir.join("README.md"),
        format!(
            "# {title}\n\nA question bank for [qbank](https://crates.io/crates/qbank). Check it with \
             `qbank check --bank {d} --run-examples`, build Anki decks, an EPUB and printable HTML \
             with `qbank build --bank {d}`, or rebuild on every save with `qbank watch --bank {d}`.\n",
            d = dir.display()
        ),
    )?;
    std::fs::write(dir.join(".gitignore"), "dist/\n")?;
    Ok(())
}

const EXAMPLE_SECTION: &str = r#"# yaml-language-server: $schema=../schema/section.schema.json
id: basics
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

/// Appends a new, unanswered question to a section; returns its fresh id.
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
    let id = fresh_id(question, &taken);
    let mut text = std::fs::read_to_string(&path)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(&format!(
        "  - id: {id}\n    question: {}\n",
        serde_json::to_string(question).expect("strings serialize")
    ));
    // Write, then make sure the bank still loads; put the file back if it does not (e.g. a
    // section written in flow style that a plain append cannot extend).
    let before = std::fs::read(&path)?;
    std::fs::write(&path, &text)?;
    let after = crate::Project::open(bank);
    if after.error_count() > 0 || !after.bank.questions().any(|(_, q)| q.id == id) {
        std::fs::write(&path, before)?;
        bail!(
            "could not append to {} automatically; add the question by hand",
            path.display()
        );
    }
    Ok(id)
}

/// A readable slug for a question (the same one `qbank import` makes), unique among `taken`.
pub fn fresh_id(question: &str, taken: &HashSet<&str>) -> String {
    let base = crate::import::question_slug(question).unwrap_or_else(|| "question".to_string());
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(id.as_str()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_readable_and_unique() {
        let taken: HashSet<&str> = ["select-related-vs-prefetch-related"].into();
        assert_eq!(
            fresh_id(
                "What is the difference between `select_related` vs `prefetch_related`?",
                &taken
            ),
            "select-related-vs-prefetch-related-2"
        );
        assert_eq!(fresh_id("How do you scale Django?", &taken), "scale-django");
        assert_eq!(fresh_id("???", &taken), "question");
    }
}
