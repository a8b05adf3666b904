//! The shapes of the bank's YAML files, as serde reads them and as the JSON Schema for
//! editors describes them (`qbank schema`). One definition serves both, so they cannot drift.
//! Every YAML file qbank writes names its schema in a first-line modeline, from here too.

use std::path::PathBuf;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::Question;
use super::environments::EnvironmentFile;

/// The schema folder inside a bank, referenced by the YAML files' modelines.
pub const SCHEMA_DIR: &str = "schema";
/// The first line of a generated `bank.yaml`: editors using the YAML language server validate
/// the file against the schema it names.
pub const BANK_MODELINE: &str = "# yaml-language-server: $schema=schema/bank.schema.json";
/// The first line of a generated `sections/<id>.yaml`.
pub const SECTION_MODELINE: &str = "# yaml-language-server: $schema=../schema/section.schema.json";

/// `bank.yaml`: the bank's metadata and its parts, each listing its sections in order.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "qbank bank.yaml",
    description = "The bank's metadata and its parts, each listing its sections in order."
)]
pub struct BankFile {
    /// Slug; the namespace of every stable id derived from the bank (Anki GUIDs, the EPUB
    /// identifier). Never change it once published.
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// BCP 47 language tag, e.g. `en` or `pt-BR`.
    #[schemars(regex(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"))]
    pub language: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub version: String,
    /// At least one part.
    #[schemars(length(min = 1))]
    pub parts: Vec<PartFile>,
    /// What the code blocks run against in `qbank check --run-examples`, by name (a slug): a
    /// block picks one with `env=NAME` in its info string.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" }))]
    pub environments: BTreeMap<String, EnvironmentFile>,
    /// What's new, by bank version: Markdown notes shown with the changes qbank.lock knows
    /// of (Anki deck descriptions, the EPUB, the book, `qbank changes`).
    #[serde(default)]
    pub changelog: BTreeMap<String, String>,
    /// Why a question was removed, by its id: the back of its retirement note in Anki.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" }))]
    pub removed: BTreeMap<String, String>,
    /// Replacements for qbank's fixed strings ("Contents", "Answer key"…), by message id; the
    /// text is a Project Fluent pattern (`{ $count }` where the message has a count). See
    /// "Languages" in the README for the ids.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A part of the bank: a title and its sections, in reading order.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartFile {
    pub title: String,
    /// Section ids; each is `sections/<id>.yaml`.
    #[schemars(length(min = 1), inner(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")))]
    pub sections: Vec<String>,
}

/// `sections/<id>.yaml`: one section and its questions in order. The loader reads the
/// questions one by one (`Q` = a raw YAML value) so that one broken question never hides the
/// others; the schema describes them as [`Question`]s.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "qbank section file",
    description = "sections/<id>.yaml: one section of a qbank question bank and its questions, in order."
)]
pub struct SectionFile<Q> {
    /// Slug, equal to the file name without `.yaml`.
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub id: String,
    pub title: String,
    pub questions: Vec<Q>,
}

/// The schema files, as (file name, contents): `bank.schema.json`, `section.schema.json`.
pub fn schema_files() -> [(&'static str, String); 2] {
    let (bank, section) = schemas();
    [("bank.schema.json", bank), ("section.schema.json", section)]
}

/// The schema files as a bank holds them: (path relative to the bank folder, contents).
pub fn bank_schema_files() -> Vec<(PathBuf, String)> {
    schema_files()
        .into_iter()
        .map(|(name, text)| (PathBuf::from(SCHEMA_DIR).join(name), text))
        .collect()
}

/// The JSON Schemas of `bank.yaml` and of a section file, pretty-printed.
pub fn schemas() -> (String, String) {
    let bank = schemars::schema_for!(BankFile);
    let section = schemars::schema_for!(SectionFile<Question>);
    let pretty = |s: &schemars::Schema| {
        let mut text = serde_json::to_string_pretty(s).expect("schemas serialize");
        text.push('\n');
        text
    };
    (pretty(&bank), pretty(&section))
}
