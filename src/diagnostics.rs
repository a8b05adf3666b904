//! Problems found in a bank, each pointing at `file:line:col` and the question it concerns.
//!
//! Every stage (load, validate, render) pushes [`Diagnostic`]s into one list so that a run
//! reports all problems at once. The drawing (caret snippets, colours) is codespan-reporting's.

use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor};

/// Index of a file in [`Sources`].
pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a source file: a byte range the caret snippet underlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: FileId,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub place: Option<Place>,
    /// The question (or section) the problem belongs to, where known.
    pub subject: Option<Subject>,
    /// A second place worth showing, e.g. the first of two duplicate ids.
    pub related: Option<(Place, String)>,
    pub help: Option<String>,
}

/// What a diagnostic is about, named in its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Question(String),
    Section(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Question(id) => write!(f, "question `{id}`"),
            Subject::Section(id) => write!(f, "section `{id}`"),
        }
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Diagnostic {
            severity,
            message,
            place: None,
            subject: None,
            related: None,
            help: None,
        }
    }

    pub fn at(mut self, place: Place) -> Self {
        self.place = Some(place);
        self
    }

    pub fn at_opt(mut self, place: Option<Place>) -> Self {
        self.place = place;
        self
    }

    pub fn about(mut self, subject: Option<Subject>) -> Self {
        self.subject = subject;
        self
    }

    pub fn question(self, id: &str) -> Self {
        self.about(Some(Subject::Question(id.to_string())))
    }

    pub fn section(self, id: &str) -> Self {
        self.about(Some(Subject::Section(id.to_string())))
    }

    pub fn related(mut self, place: Option<Place>, label: impl Into<String>) -> Self {
        self.related = place.map(|p| (p, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file read, so diagnostics can show snippets and line numbers.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    paths: Vec<PathBuf>,
}

impl Sources {
    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.paths.push(path.to_path_buf());
        self.files.add(path.display().to_string(), text)
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    pub fn path(&self, file: FileId) -> &Path {
        &self.paths[file]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let line = self.files.line_index(file, offset).unwrap_or(0);
        let col = self.files.column_number(file, line, offset).unwrap_or(1);
        (line + 1, col)
    }

    /// `path:line:col` of a place.
    pub fn describe(&self, place: &Place) -> String {
        let (line, col) = self.line_col(place.file, place.span.start);
        format!("{}:{}:{}", self.path(place.file).display(), line, col)
    }

    /// A place spanning from `offset` to the end of its line (trailing space trimmed).
    pub fn place_to_eol(&self, file: FileId, offset: usize) -> Place {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        let end = offset + text[offset..end].trim_end().len();
        Place {
            file,
            span: offset..end.max(offset),
        }
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

/// Prints diagnostics to stderr with caret snippets; colour only on a terminal, never with
/// `NO_COLOR` set.
pub fn emit(sources: &Sources, diagnostics: &[Diagnostic], color: ColorMode) {
    let choice = match color {
        ColorMode::Always => termcolor::ColorChoice::Always,
        ColorMode::Never => termcolor::ColorChoice::Never,
        ColorMode::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if !no_color && std::io::stderr().is_terminal() {
                termcolor::ColorChoice::Auto
            } else {
                termcolor::ColorChoice::Never
            }
        }
    };
    let writer = termcolor::StandardStream::stderr(choice);
    let mut lock = writer.lock();
    let config = term::Config::default();
    for d in diagnostics {
        let cs = to_codespan(d);
        if term::emit_to_write_style(&mut lock, &config, &sources.files, &cs).is_err() {
            eprintln!("{}", render_plain(sources, d));
        }
    }
}

/// One diagnostic as plain text (no snippet): `path:line:col: error: message [question `id`]`.
pub fn render_plain(sources: &Sources, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    if let Some(place) = &d.place {
        out.push_str(&sources.describe(place));
        out.push_str(": ");
    }
    out.push_str(level);
    out.push_str(": ");
    out.push_str(&d.message);
    if let Some(subject) = &d.subject {
        out.push_str(&format!(" [{subject}]"));
    }
    out
}

/// Renders diagnostics exactly as [`emit`] does without colour, into a string (for tests).
pub fn render_to_string(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        term::emit_to_string(&mut out, &config, &sources.files, &to_codespan(d))
            .expect("every place refers to a known file");
    }
    out
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<FileId> {
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    let mut message = d.message.clone();
    if let Some(subject) = &d.subject {
        message.push_str(&format!(" (in {subject})"));
    }
    let mut labels = Vec::new();
    if let Some(place) = &d.place {
        let text = d
            .subject
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default();
        labels.push(Label::primary(place.file, place.span.clone()).with_message(text));
    }
    if let Some((place, label)) = &d.related {
        labels.push(Label::secondary(place.file, place.span.clone()).with_message(label.clone()));
    }
    let mut cs = base.with_message(message).with_labels(labels);
    if let Some(help) = &d.help {
        cs = cs.with_notes(vec![format!("help: {help}")]);
    }
    cs
}
