//! `qbank import markdown`: turns a Markdown list of interview questions into a new bank.
//!
//! pulldown-cmark parses the file once, with source offsets. The document's top-level blocks
//! drive the structure — headings become parts and sections, numbered headings and numbered
//! list items become questions — and every answer is a slice of the original source, so the
//! author's Markdown survives except for a few deliberate rewrites: code blocks become fences
//! (Python ones `norun`, so nothing imported runs unseen), `<b>`-style tags become Markdown.
//! The bank is serialized in memory by the model's writer, which checks it reads back
//! identically, before anything is written.
//!
//! The rooms: `reader` walks the structure, `answer` copies answers out of the source, `code`,
//! `html` and `sanitize` rewrite what a bank needs rewritten, `summary` picks each summary,
//! `text` holds the source-text helpers and `stage` puts the files on disk. A document in the
//! shape `qbank export markdown` writes is read exactly by `shape` instead, with nothing
//! guessed.
//! Ids come from [`crate::model::ids`], the YAML from [`crate::model::write`].

mod answer;
mod code;
mod html;
mod reader;
mod sanitize;
mod shape;
mod stage;
mod summary;
#[cfg(test)]
mod tests;
mod text;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::model::{Bank, Question, files, write};
use reader::Importer;
use sanitize::Media;

/// What an import produced.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub parts: usize,
    pub sections: usize,
    pub questions: usize,
    pub answered: usize,
    /// The generated bank id.
    pub bank_id: String,
    /// Python code blocks written as `python norun`: imported code is compiled by
    /// `qbank check --run-examples`, never executed, until someone vouches for it.
    pub python_norun: usize,
    /// Answers whose first paragraph had no sentence to use as the summary, so they got a
    /// placeholder to replace.
    pub placeholder_summaries: usize,
    /// Content left out or worth a look, as `line N: …`.
    pub warnings: Vec<String>,
    /// Every file written.
    pub files: Vec<PathBuf>,
}

/// Choices the Markdown cannot make by itself.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The language of indented code blocks, which carry none. `None` writes them as `text`;
    /// `python` writes `python norun`.
    pub code_language: Option<String>,
}

/// Reads the Markdown file `source` and writes a new bank into `into`.
pub fn markdown(source: &Path, into: &Path) -> Result<ImportReport> {
    markdown_with(source, into, &ImportOptions::default())
}

/// [`markdown`], with options.
pub fn markdown_with(source: &Path, into: &Path, options: &ImportOptions) -> Result<ImportReport> {
    if into.join("bank.yaml").exists() {
        bail!(
            "{} already holds a bank (bank.yaml exists); import into a new folder",
            into.display()
        );
    }
    let bytes = std::fs::read(source).with_context(|| format!("reading {}", source.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8 text", source.display()))?;
    let text = sanitize::clean(&text);
    let fallback_title = source
        .file_stem()
        .and_then(|s| s.to_str())
        .map(reader::title_from_file_name)
        .unwrap_or_default();
    let base = source
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let imported = if shape::is_export(&text) {
        shape::read(&text, Some(base)).map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("{}:{}: {}", source.display(), e.line, e.message))
                .collect();
            anyhow!(
                "{} reads as a `qbank export markdown` document, but:\n{}",
                source.display(),
                lines.join("\n")
            )
        })?
    } else {
        Importer::new(&text, options, Some(base)).run(&fallback_title)
    };
    if imported.questions().count() == 0 {
        bail!(
            "found no questions in {}: questions are numbered headings (`## 1. What…`) or \
             numbered list items (`1. What…`)",
            source.display()
        );
    }
    let mut files = write::bank_files(&imported.bank)?;
    files.extend(files::bank_schema_files());
    let written = stage::write(into, &files, &imported.media)?;
    Ok(ImportReport {
        parts: imported.bank.parts.len(),
        sections: imported.bank.sections().count(),
        questions: imported.questions().count(),
        answered: imported.questions().filter(|q| q.answer.is_some()).count(),
        bank_id: imported.bank.meta.id,
        python_norun: imported.python_norun,
        placeholder_summaries: imported.placeholder_summaries,
        warnings: imported.warnings,
        files: written,
    })
}

/// The bank as built in memory, with what the import has to say about it.
struct Imported {
    bank: Bank,
    warnings: Vec<String>,
    python_norun: usize,
    placeholder_summaries: usize,
    /// Images to copy into the bank.
    media: Media,
}

impl Imported {
    fn questions(&self) -> impl Iterator<Item = &Question> {
        self.bank.questions().map(|(_, q)| q)
    }
}
