//! Publishing outputs atomically: a build writes each format into a staging folder inside the
//! output directory and only then swaps it into place, so a failed build (or one that is
//! interrupted) leaves what was there before untouched.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Creates `out` if needed and a hidden staging folder inside it (same file system, so
    /// the final renames are atomic).
    pub fn new(out: &Path) -> Result<Self> {
        fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        remove_stale_staging(out);
        let dir = tempfile::Builder::new()
            .prefix(".qbank-staging-")
            .tempdir_in(out)
            .with_context(|| format!("creating a staging folder in {}", out.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// An empty folder to render one format into.
    pub fn folder(&self, name: &str) -> Result<PathBuf> {
        let path = self.dir.path().join(name);
        fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(path)
    }

    /// Where a staged file will live once published.
    pub fn final_path(&self, staged: &Path) -> PathBuf {
        staged
            .strip_prefix(self.dir.path())
            .map_or_else(|_| staged.to_path_buf(), |rel| self.out.join(rel))
    }

    /// Replaces `out/<name>` by the staged folder for each name. The staging folder (with the
    /// previous outputs moved into it) is removed on drop.
    pub fn publish(self, names: &[&str]) -> Result<()> {
        let graveyard = self.dir.path().join(".previous");
        fs::create_dir_all(&graveyard)?;
        for name in names {
            let target = self.out.join(name);
            let staged = self.dir.path().join(name);
            let old = graveyard.join(name);
            let had_old = target.exists();
            if had_old {
                fs::rename(&target, &old)
                    .with_context(|| format!("moving aside {}", target.display()))?;
            }
            if let Err(e) = fs::rename(&staged, &target) {
                if had_old {
                    let _ = fs::rename(&old, &target);
                }
                return Err(e).with_context(|| format!("publishing {}", target.display()));
            }
        }
        Ok(())
    }
}

/// A build that was killed leaves its staging folder behind (nothing else: outputs are only
/// ever renamed into place). The next build removes it. Concurrent builds into the same
/// output folder are not supported.
fn remove_stale_staging(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".qbank-staging-") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
