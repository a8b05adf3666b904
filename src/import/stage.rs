//! Putting an imported bank on disk. A new folder is staged beside its target and renamed into
//! place, so a failure leaves nothing behind; an existing folder only ever gains files (a file
//! already there is an error before anything is written, the schemas aside).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::sanitize::Media;
use crate::model::files::SCHEMA_DIR;

/// Writes `files` (paths relative to the bank folder) and copies `media` into `into`; returns
/// every path written.
pub(super) fn write(
    into: &Path,
    files: &[(PathBuf, String)],
    media: &Media,
) -> Result<Vec<PathBuf>> {
    let is_schema = |rel: &Path| rel.starts_with(SCHEMA_DIR);
    for rel in files.iter().map(|(r, _)| r).chain(media.paths()) {
        let path = into.join(rel);
        if !is_schema(rel) && path.exists() {
            bail!(
                "{} already exists; import into a new or empty folder",
                path.display()
            );
        }
    }
    let write_all = |root: &Path| -> Result<()> {
        for (rel, text) in files {
            let path = root.join(rel);
            create_parent(&path)?;
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        for rel in media.paths() {
            let path = root.join(rel);
            create_parent(&path)?;
            media.copy(rel, &path)?;
        }
        Ok(())
    };
    if into.exists() {
        write_all(into)?;
    } else {
        let parent = match into.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let staging = tempfile::Builder::new()
            .prefix(".qbank-import-")
            .tempdir_in(parent)
            .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
        write_all(staging.path())?;
        std::fs::rename(staging.path(), into)
            .with_context(|| format!("moving the new bank to {}", into.display()))?;
        // The folder now lives at `into`; there is nothing left for the guard to delete.
        let _ = staging.keep();
    }
    Ok(files
        .iter()
        .map(|(rel, _)| rel)
        .chain(media.paths())
        .map(|rel| into.join(rel))
        .collect())
}

fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok(())
}
