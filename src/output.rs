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
    ///
    /// On Linux the two folders are swapped in one step (`renameat2` with `RENAME_EXCHANGE`),
    /// so `out/<name>` is never missing, even for an instant. Elsewhere, or on a file system
    /// without the exchange, the old folder is moved aside and the new one renamed in; a
    /// build killed between the two is repaired by the next (see [`remove_stale_staging`]).
    pub fn publish(self, names: &[&str]) -> Result<()> {
        let graveyard = self.dir.path().join(".previous");
        fs::create_dir_all(&graveyard)?;
        for name in names {
            let target = self.out.join(name);
            let staged = self.dir.path().join(name);
            let old = graveyard.join(name);
            let had_old = target.exists();
            if had_old && exchange(&staged, &target) {
                continue;
            }
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

/// Swaps two paths atomically; false when this system cannot (the caller falls back).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// A build that was killed leaves its staging folder behind (nothing else: outputs are only
/// ever renamed into place). The next build removes it. Concurrent builds into the same
/// output folder are not supported.
///
/// Where [`Staging::publish`] cannot swap folders atomically, it uses two renames (the old
/// folder aside, the new one in); a build killed between the two leaves `out/<name>` missing
/// and its previous content in `.previous/`. That is put back here, so the next build starts
/// from the last complete output (and keeps it if it fails too).
fn remove_stale_staging(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".qbank-staging-") {
            if let Ok(previous) = fs::read_dir(entry.path().join(".previous")) {
                for old in previous.flatten() {
                    let target = out.join(old.file_name());
                    if fs::symlink_metadata(&target).is_err() {
                        let _ = fs::rename(old.path(), target);
                    }
                }
            }
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build killed between moving `out/json` aside and renaming the new one in: the next
    /// build puts the old one back before anything else.
    #[test]
    fn a_format_moved_aside_by_a_killed_build_is_restored() {
        let out = tempfile::tempdir().unwrap();
        let stale = out.path().join(".qbank-staging-killed");
        fs::create_dir_all(stale.join(".previous/json")).unwrap();
        fs::write(stale.join(".previous/json/bank.json"), "{}").unwrap();
        fs::create_dir_all(stale.join("json")).unwrap();
        fs::write(stale.join("json/bank.json"), "{\"new\": 1}").unwrap();
        let staging = Staging::new(out.path()).unwrap();
        assert!(!stale.exists());
        assert_eq!(
            fs::read_to_string(out.path().join("json/bank.json")).unwrap(),
            "{}"
        );
        drop(staging);
    }

    #[test]
    fn publishing_replaces_each_format_whole() {
        let out = tempfile::tempdir().unwrap();
        for (round, text) in ["first", "second"].iter().enumerate() {
            let staging = Staging::new(out.path()).unwrap();
            let dir = staging.folder("json").unwrap();
            fs::write(dir.join(format!("{text}.json")), text).unwrap();
            staging.publish(&["json"]).unwrap();
            let names: Vec<_> = fs::read_dir(out.path().join("json"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            assert_eq!(names, [format!("{text}.json")], "round {round}");
        }
        // Nothing left behind but the outputs.
        let left: Vec<_> = fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, ["json"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folders_swap_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "a").unwrap();
        fs::write(b.join("x"), "b").unwrap();
        assert!(exchange(&a, &b));
        assert_eq!(fs::read_to_string(a.join("x")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "a");
    }
}
