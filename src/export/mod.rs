//! `qbank export`: the whole bank as one file in another tool's format.
//!
//! - [`markdown`]: one Markdown document in the shape `qbank import markdown` reads, carrying
//!   every id, level, tag and summary (readable on any Git host too);
//! - [`csv`]: Anki's text-import format, the same notes as the `.apkg` packages.
//!
//! Exporters only read a bank without errors (the command refuses others, like `build`) and
//! return the whole text; [`write`] puts it in place atomically.

pub mod csv;
pub mod markdown;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::Project;

/// The formats `qbank export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
}

/// An exported bank: the text, and what it holds in words (for the command's report).
pub struct Exported {
    pub text: String,
    pub summary: String,
}

impl Format {
    /// Exports a bank; `project` must have no errors.
    pub fn export(self, project: &Project) -> Exported {
        match self {
            Format::Markdown => {
                let questions = project.bank.questions().count();
                Exported {
                    text: markdown::export(&project.bank),
                    summary: format!("{questions} questions as Markdown"),
                }
            }
            Format::Csv => {
                let (text, notes) = csv::export(&project.rendered);
                Exported {
                    text,
                    summary: format!("{notes} Anki notes (the answered questions) as CSV"),
                }
            }
        }
    }
}

/// Writes `bytes` to `path`, or to stdout when `path` is `None`.
///
/// A file is written whole or not at all: the bytes go to a temporary file beside `path`,
/// which is then renamed over it (so a reader never sees half a file, and a failed export
/// leaves the previous one). An existing file keeps its permissions; a new one gets the
/// usual `0666` less the umask.
pub fn write(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(bytes).and_then(|()| out.flush()) {
            // A closed pipe (`qbank export markdown | head`) is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("writing to stdout"),
        };
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(
        || "export".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file: what `File::create` gives (0666 less the umask), not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("writing {}", path.display()))?;
    if let Some(permissions) = existing {
        tmp.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
