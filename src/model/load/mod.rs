//! Reading a bank folder into the content model, reporting every problem in one pass.
//!
//! A problem in one question never stops the others from being checked: broken questions are
//! left out of the model and the run ends with all diagnostics collected.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Deserialize;

use super::environments::ENVIRONMENT_KEYS;
use super::files::BankFile;
use super::ids::is_slug;
use super::rules::{MAX_FILE_ID, id_too_long, invalid_slug, is_language_tag, suggest};
pub use super::sources::SourceMap;
use super::sources::{Disk, FileSource, Memory, offset_of};
use super::yaml::{self, Value};
use super::{Bank, BankMeta, Origin, Part, Question, Section};
use crate::diagnostics::{Diagnostic, FileId, Place};

mod checks;

const BANK_KEYS: &[&str] = &[
    "id",
    "title",
    "subtitle",
    "language",
    "authors",
    "description",
    "version",
    "parts",
    "environments",
    "changelog",
    "removed",
    "labels",
];
const PART_KEYS: &[&str] = &["title", "sections"];
const SECTION_KEYS: &[&str] = &["id", "title", "questions"];
const QUESTION_KEYS: &[&str] = &["id", "question", "level", "tags", "summary", "answer"];

type SectionFile = super::files::SectionFile<Value>;

/// The result of loading a bank: the model (without the questions that failed to load),
/// where everything came from, and every problem found.
pub struct Loaded {
    pub bank: Bank,
    pub map: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `dir/bank.yaml` and `dir/sections/*.yaml`.
pub fn load(dir: &Path) -> Loaded {
    load_from(&Disk, dir)
}

/// Loads a bank held in memory instead of on disk: `files` are (path relative to `root`,
/// contents) pairs such as `("bank.yaml", …)` and `("sections/caching.yaml", …)`. Exactly what
/// [`load`] would report for the same files under `root`; `root` only names the folder (in
/// messages and as the bank root), nothing is read from it. For fuzzing and tests, where
/// writing temporary files would cost more than the load itself.
pub fn load_in_memory(root: &Path, files: impl IntoIterator<Item = (PathBuf, Vec<u8>)>) -> Loaded {
    let files = files
        .into_iter()
        .map(|(path, bytes)| (root.join(path), bytes))
        .collect();
    load_from(&Memory(files), root)
}

fn load_from(source: &(dyn FileSource + Sync), dir: &Path) -> Loaded {
    let mut loader = Loader {
        source,
        parsed: HashMap::new(),
        map: SourceMap::default(),
        diagnostics: Vec::new(),
    };
    let bank = loader.load_bank(dir);
    Loaded {
        bank,
        map: loader.map,
        diagnostics: loader.diagnostics,
    }
}

/// A file read and parsed, ahead of validation.
enum Parsed {
    Unreadable(io::Error),
    NotUtf8 {
        lossy: String,
        valid_up_to: usize,
    },
    Text {
        text: String,
        value: Result<Value, yaml::SyntaxError>,
    },
}

impl Parsed {
    fn read(source: &dyn FileSource, path: &Path) -> Parsed {
        match source.read(path).map(String::from_utf8) {
            Err(e) => Parsed::Unreadable(e),
            Ok(Err(e)) => Parsed::NotUtf8 {
                valid_up_to: e.utf8_error().valid_up_to(),
                lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            },
            Ok(Ok(text)) => {
                let value = yaml::parse(&text);
                Parsed::Text { text, value }
            }
        }
    }
}

struct Loader<'s> {
    source: &'s (dyn FileSource + Sync),
    /// Files parsed in advance, all at once and in parallel (YAML parsing is most of the
    /// cost of a load); taken out as validation reaches them.
    parsed: HashMap<PathBuf, Parsed>,
    map: SourceMap,
    diagnostics: Vec<Diagnostic>,
}

impl Loader<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn origin(file: FileId, path: &str) -> Origin {
        Origin {
            file,
            path: path.to_string(),
        }
    }

    /// Reads and parses these files, in parallel, for [`Loader::read`] to take.
    fn parse_ahead(&mut self, paths: Vec<PathBuf>) {
        let source = self.source;
        let parsed: Vec<(PathBuf, Parsed)> = paths
            .into_par_iter()
            .map(|path| {
                let parsed = Parsed::read(source, &path);
                (path, parsed)
            })
            .collect();
        self.parsed.extend(parsed);
    }

    /// Reads and parses one file; every failure becomes a diagnostic.
    fn read(&mut self, path: &Path) -> Option<(FileId, Value)> {
        let parsed = match self.parsed.remove(path) {
            Some(parsed) => parsed,
            None => Parsed::read(self.source, path),
        };
        let (text, value) = match parsed {
            Parsed::Unreadable(e) => {
                self.push(Diagnostic::error(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
                return None;
            }
            Parsed::NotUtf8 { lossy, valid_up_to } => {
                let file = self.map.sources.add(path, lossy);
                let place = self.map.sources.place_to_eol(file, valid_up_to);
                self.push(
                    Diagnostic::error("file is not valid UTF-8")
                        .at(place)
                        .help("save the file as UTF-8"),
                );
                return None;
            }
            Parsed::Text { text, value } => (text, value),
        };
        let file = self.map.sources.add(path, text);
        match value {
            Ok(value) => {
                self.map.positions.insert(file, OnceLock::new());
                if has_non_xml_char(&value) {
                    self.check_characters(file, &value, "");
                }
                Some((file, value))
            }
            Err(e) => {
                let offset = offset_of(self.map.sources.text(file), e.line, e.column);
                let place = self.map.sources.place_to_eol(file, offset);
                self.push(Diagnostic::error(format!("YAML syntax error: {}", e.message)).at(place));
                None
            }
        }
    }

    /// Reports strings holding a character XML 1.0 forbids. YAML refuses them written raw, but
    /// an escape in a double-quoted scalar (`"\x01"`, `"\uFFFE"`) makes one, and every output
    /// except JSON is XML or HTML: a strict reader (an EPUB reading system) rejects a whole
    /// document for one such character.
    fn check_characters(&mut self, file: FileId, value: &Value, path: &str) {
        let bad = |s: &str| s.chars().find(|c| !crate::markup::is_xml_char(*c));
        let report = |c: char, place: Place| {
            Diagnostic::error(format!(
                "the text holds the character U+{:04X}, which XML outputs cannot contain",
                c as u32
            ))
            .at(place)
            .help("remove it; it usually comes from an escape such as `\\x01` in a double-quoted string")
        };
        match value {
            Value::String(s) => {
                if let Some(c) = bad(s) {
                    let d = report(c, self.value_place(file, path));
                    self.push(d);
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.check_characters(file, item, &format!("{path}/{i}"));
                }
            }
            Value::Mapping(m) => {
                for (k, v) in m {
                    let key = k.as_str().unwrap_or("?");
                    let child = format!("{path}/{key}");
                    if let Some(c) = bad(key) {
                        let d = report(c, self.key_place(file, &child));
                        self.push(d);
                    }
                    self.check_characters(file, v, &child);
                }
            }
            Value::Tagged(t) => self.check_characters(file, &t.value, path),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Reports keys not in `allowed`, with a "did you mean" where one is close, and returns
    /// the value without them so the rest of it can still be checked.
    fn check_keys<'v>(
        &mut self,
        file: FileId,
        value: &'v Value,
        path: &str,
        allowed: &[&str],
        subject: &Subject,
    ) -> Cow<'v, Value> {
        let mut cleaned = Cow::Borrowed(value);
        for key in yaml::mapping_keys(value) {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            if let Value::Mapping(m) = cleaned.to_mut() {
                m.remove(key.as_str());
            }
            let place = self.key_place(file, &format!("{path}/{key}"));
            let mut d = Diagnostic::error(format!("unknown key `{key}`"))
                .at(place)
                .about(subject.clone());
            d = match suggest(&key, allowed) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("expected one of: {}", allowed.join(", "))),
            };
            self.push(d);
        }
        cleaned
    }

    fn key_place(&self, file: FileId, path: &str) -> Place {
        let offset = self.map.positions(file).map_or(0, |p| p.key_offset(path));
        self.map.sources.place_to_eol(file, offset)
    }

    fn value_place(&self, file: FileId, path: &str) -> Place {
        let offset = self.map.positions(file).map_or(0, |p| p.value_offset(path));
        self.map.sources.place_to_eol(file, offset)
    }

    /// Deserializes `value` (at `path` in the file) or reports why it cannot be.
    fn typed<T: for<'de> Deserialize<'de>>(
        &mut self,
        file: FileId,
        value: &Value,
        path: &str,
        subject: &Subject,
    ) -> Option<T> {
        match yaml::typed::<T>(value) {
            Ok(t) => Some(t),
            Err((sub, message)) => {
                // Unknown keys were already reported with a suggestion.
                if message.starts_with("unknown field") {
                    return None;
                }
                let full = format!("{path}{sub}");
                let place = self.value_place(file, &full);
                let message = if self.map.positions(file).is_some_and(|p| p.contains(&full))
                    || sub.is_empty()
                {
                    message
                } else {
                    format!("{message} (at `{}`)", sub.trim_start_matches('/'))
                };
                self.push(Diagnostic::error(message).at(place).about(subject.clone()));
                None
            }
        }
    }

    fn load_bank(&mut self, dir: &Path) -> Bank {
        let bank_path = dir.join("bank.yaml");
        let mut bank = Bank {
            meta: BankMeta {
                id: String::new(),
                title: String::new(),
                subtitle: None,
                language: String::new(),
                authors: Vec::new(),
                description: None,
                version: String::new(),
                labels: BTreeMap::new(),
            },
            parts: Vec::new(),
            root: dir.to_path_buf(),
            environments: BTreeMap::new(),
            release: Default::default(),
        };
        let files = self.section_files(dir);
        self.parse_ahead(
            std::iter::once(bank_path.clone())
                .chain(files.values().cloned())
                .collect(),
        );
        let parsed = self.read(&bank_path);
        let bank_file = parsed.as_ref().and_then(|(file, doc)| {
            let file = *file;
            if !matches!(doc, Value::Mapping(_)) {
                let place = self.value_place(file, "");
                self.push(
                    Diagnostic::error("bank.yaml must be a mapping of keys to values").at(place),
                );
                return None;
            }
            // bank.yaml is small: owned copies keep this simple.
            let mut cleaned = self
                .check_keys(file, doc, "", BANK_KEYS, &None)
                .into_owned();
            if let Some(Value::Sequence(parts)) = cleaned.get_mut("parts") {
                for (i, part) in parts.iter_mut().enumerate() {
                    *part = self
                        .check_keys(file, part, &format!("/parts/{i}"), PART_KEYS, &None)
                        .into_owned();
                }
            }
            if let Some(Value::Mapping(envs)) = cleaned.get_mut("environments") {
                for (name, env) in envs.iter_mut() {
                    let path = format!("/environments/{}", name.as_str().unwrap_or("?"));
                    *env = self
                        .check_keys(file, env, &path, ENVIRONMENT_KEYS, &None)
                        .into_owned();
                }
            }
            let bank_file: BankFile = self.typed(file, &cleaned, "", &None)?;
            self.check_meta(file, &bank_file);
            let (environments, problems) =
                super::environments::check(&bank_file.environments, |path| {
                    Self::origin(file, path)
                });
            for (path, d) in problems {
                let place = self.value_place(file, &path);
                self.push(d.at(place));
            }
            bank.environments = environments;
            let note = |section: &str, (key, markdown): (&String, &String)| super::Note {
                key: key.clone(),
                markdown: markdown.clone(),
                origin: Self::origin(file, &format!("/{section}/{key}")),
            };
            bank.release.changelog = bank_file
                .changelog
                .iter()
                .map(|n| note("changelog", n))
                .collect();
            bank.release.removed = bank_file
                .removed
                .iter()
                .map(|n| note("removed", n))
                .collect();
            Some((file, bank_file))
        });

        let mut listed: HashMap<String, Origin> = HashMap::new();
        let mut seen_questions: HashMap<String, Origin> = HashMap::new();
        if let Some((file, bank_file)) = bank_file {
            for (pi, part) in bank_file.parts.iter().enumerate() {
                let mut sections = Vec::new();
                for (si, id) in part.sections.iter().enumerate() {
                    let origin = Self::origin(file, &format!("/parts/{pi}/sections/{si}"));
                    if let Some(first) = listed.get(id) {
                        let d = Diagnostic::error(format!("section `{id}` is listed twice"))
                            .at(self.map.place(&origin))
                            .related(Some(self.map.place(first)), "first listed here")
                            .section(id);
                        self.push(d);
                        continue;
                    }
                    listed.insert(id.clone(), origin.clone());
                    match files.get(id) {
                        Some(path) => {
                            if let Some(s) = self.load_section(path, id, &mut seen_questions) {
                                sections.push(s);
                            }
                        }
                        None => {
                            let d = Diagnostic::error(format!(
                                "section `{id}` is listed in bank.yaml but sections/{id}.yaml does not exist"
                            ))
                            .at(self.map.place(&origin))
                            .section(id);
                            self.push(d);
                        }
                    }
                }
                bank.parts.push(Part {
                    title: part.title.clone(),
                    sections,
                });
            }
            bank.meta = BankMeta {
                id: bank_file.id,
                title: bank_file.title,
                subtitle: bank_file.subtitle,
                language: bank_file.language,
                authors: bank_file.authors,
                description: bank_file.description,
                version: bank_file.version,
                labels: bank_file.labels,
            };
        }
        for note in &bank.release.removed {
            let live = seen_questions.get(&note.key).map(|o| self.map.place(o));
            let place = self.map.place(&note.origin);
            if let Some(d) = super::rules::removed_problem(&note.key, live) {
                self.push(d.at(place));
            }
        }
        // Files nobody listed are still checked, so their problems are not a surprise later.
        for (stem, path) in &files {
            if listed.contains_key(stem) {
                continue;
            }
            if let Some(section) = self.load_section(path, stem, &mut seen_questions) {
                let place = self.map.sources.place_to_eol(section.origin.file, 0);
                self.push(
                    Diagnostic::warning(format!(
                        "sections/{stem}.yaml is not listed in any part of bank.yaml, so it is not built"
                    ))
                    .at(place)
                    .section(&section.id)
                    .help("add its id to a part's `sections` list in bank.yaml, or delete the file"),
                );
            }
        }
        bank
    }

    /// The `*.yaml` files in `dir/sections`, by file stem.
    fn section_files(&mut self, dir: &Path) -> BTreeMap<String, PathBuf> {
        let sections_dir = dir.join("sections");
        let mut files = BTreeMap::new();
        let entries = match self.source.list(&sections_dir) {
            Ok(e) => e,
            Err(e) => {
                self.push(Diagnostic::error(format!(
                    "cannot read {}: {e}",
                    sections_dir.display()
                )));
                return files;
            }
        };
        for path in entries {
            if path.extension().is_some_and(|e| e == "yaml")
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            {
                files.insert(stem.to_string(), path);
            }
        }
        files
    }

    fn load_section(
        &mut self,
        path: &Path,
        stem: &str,
        seen: &mut HashMap<String, Origin>,
    ) -> Option<Section> {
        let (file, value) = self.read(path)?;
        let doc = &value;
        let subject = Some(crate::diagnostics::Subject::Section(stem.to_string()));
        if !matches!(doc, Value::Mapping(_)) {
            let place = self.value_place(file, "");
            self.push(
                Diagnostic::error("a section file must be a mapping of keys to values").at(place),
            );
            return None;
        }
        let cleaned = self.check_keys(file, doc, "", SECTION_KEYS, &subject);
        let header: SectionFile = self.typed(file, &cleaned, "", &subject)?;
        if header.id != stem {
            let place = self.value_place(file, "/id");
            self.push(
                Diagnostic::error(format!(
                    "section id `{}` does not match its file name `{stem}.yaml`",
                    header.id
                ))
                .at(place)
                .section(&header.id)
                .help(format!(
                    "rename the file to `{}.yaml` or set `id: {stem}`",
                    header.id
                )),
            );
        } else if !is_slug(&header.id) {
            let place = self.value_place(file, "/id");
            self.push(invalid_slug("section id", &header.id).at(place));
        } else if header.id.len() > MAX_FILE_ID {
            let place = self.value_place(file, "/id");
            self.push(id_too_long("section id", &header.id).at(place));
        }
        if header.title.trim().is_empty() {
            let place = self.value_place(file, "/title");
            self.push(
                Diagnostic::error("section title is empty")
                    .at(place)
                    .section(stem),
            );
        }
        let mut questions = Vec::new();
        for (i, item) in header.questions.iter().enumerate() {
            let path = format!("/questions/{i}");
            let qid = item.get("id").and_then(Value::as_str).map(str::to_string);
            let subject = qid
                .clone()
                .map(crate::diagnostics::Subject::Question)
                .or_else(|| subject.clone());
            if !matches!(item, Value::Mapping(_)) {
                let place = self.value_place(file, &path);
                self.push(
                    Diagnostic::error(format!(
                        "a question must be a mapping, found {}",
                        yaml::type_name(item)
                    ))
                    .at(place)
                    .about(subject),
                );
                continue;
            }
            let cleaned = self.check_keys(file, item, &path, QUESTION_KEYS, &subject);
            let Some(mut q) = self.typed::<Question>(file, &cleaned, &path, &subject) else {
                continue;
            };
            q.origin = Self::origin(file, &path);
            if self.check_question(&q, seen) {
                questions.push(q);
            }
        }
        Some(Section {
            id: header.id,
            title: header.title,
            questions,
            origin: Self::origin(file, ""),
        })
    }
}

/// Whether any string in the value (keys included) holds a character XML 1.0 forbids: the
/// cheap walk that decides whether [`Loader::check_characters`] must look for where.
fn has_non_xml_char(value: &Value) -> bool {
    // Bytes first: the only suspects are C0 controls and U+FFFE/U+FFFF (lead byte 0xEF).
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF;
    let bad = |s: &str| s.bytes().any(suspect) && s.chars().any(|c| !crate::markup::is_xml_char(c));
    match value {
        Value::String(s) => bad(s),
        Value::Sequence(items) => items.iter().any(has_non_xml_char),
        Value::Mapping(m) => m
            .iter()
            .any(|(k, v)| k.as_str().is_some_and(bad) || has_non_xml_char(v)),
        Value::Tagged(t) => has_non_xml_char(&t.value),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

type Subject = Option<crate::diagnostics::Subject>;
