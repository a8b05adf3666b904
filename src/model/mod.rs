//! The content model: a bank of parts, sections and questions, as written in YAML.
//!
//! It knows nothing of output formats. [`load`] reads and validates a bank folder; the
//! structs here are what every later stage reads.

pub mod environments;
pub mod files;
pub mod ids;
mod load;
mod rules;
pub use rules::is_language_tag;
mod sources;
pub mod write;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostics::FileId;

pub use environments::Environment;
pub use ids::{is_slug, slugify};
pub use load::{Loaded, SourceMap, load, load_in_memory};

/// Bank-level metadata from `bank.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct BankMeta {
    /// Namespace for every stable id derived later (Anki GUIDs, EPUB identifier). Never changes.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// BCP 47 language tag.
    pub language: String,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub version: String,
    /// `labels:` from bank.yaml: message id → the text that replaces qbank's own (see
    /// [`crate::i18n`]). Validated by the loader.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Bank {
    pub meta: BankMeta,
    pub parts: Vec<Part>,
    /// The folder holding `bank.yaml`; media paths are relative to it.
    pub root: PathBuf,
    /// `environments:` from bank.yaml, by name: what code blocks run against.
    pub environments: BTreeMap<String, Environment>,
    /// `changelog:` and `removed:` from bank.yaml.
    pub release: ReleaseText,
}

/// What bank.yaml tells learners about releases: `changelog:` (version → Markdown notes)
/// and `removed:` (removed question id → Markdown reason).
#[derive(Debug, Clone, Default)]
pub struct ReleaseText {
    pub changelog: Vec<Note>,
    pub removed: Vec<Note>,
}

/// A Markdown text under a key of bank.yaml.
#[derive(Debug, Clone)]
pub struct Note {
    pub key: String,
    pub markdown: String,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub origin: Origin,
}

/// One question. `summary` and `answer` stay out until it is answered.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Slug, unique in the bank; never renamed once published (Anki updates cards by it).
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub id: String,
    /// Markdown, one paragraph.
    #[schemars(length(min = 1))]
    pub question: String,
    #[serde(default)]
    pub level: Option<Level>,
    /// Slugs, for filtering (Anki tags).
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")))]
    pub tags: Vec<String>,
    /// Markdown, one or two sentences. Optional while unanswered.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown. Optional while unanswered.
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

impl Question {
    pub fn is_answered(&self) -> bool {
        self.answer.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Mid,
    Senior,
}

impl Level {
    /// The word written in YAML: `junior`, `mid` or `senior`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
        }
    }
}

/// Where a section or question was written: its file and YAML path (`/questions/3`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub path: String,
}

impl Origin {
    pub fn field(&self, name: &str) -> Origin {
        Origin {
            file: self.file,
            path: format!("{}/{}", self.path, name),
        }
    }
}

impl Bank {
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.parts.iter().flat_map(|p| &p.sections)
    }

    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }
}
