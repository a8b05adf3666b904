//! Publishing outputs safely: a build writes each format into a staging folder inside the
//! output directory and only then swaps it into place, so a failed build (or one that is
//! interrupted) leaves what was there before untouched.
//!
//! qbank replaces or deletes only what it made itself, as cargo does with `target/`:
//!
//! - every format folder it publishes holds a marker file, [`OUTPUT_MARKER`]; a folder named
//!   like a format (`print/`, `anki/`…) without one belongs to the user and is never replaced;
//! - `--out` may not be the bank folder, contain it or sit inside it;
//! - its staging folders hold their own marker, and only those are removed when stale;
//! - one build at a time writes into an output folder: the folder is locked (an advisory
//!   `flock`, released when the process ends, however it ends), and a second build waits.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::interrupt::Cleanup;

/// The file that marks a format folder as qbank's own (like cargo's `CACHEDIR.TAG`).
pub const OUTPUT_MARKER: &str = ".qbank-output";
const OUTPUT_MARKER_TEXT: &str = "This folder was written by qbank (`qbank build`), which \
replaces it whole on every build.\nDelete this file to keep qbank from ever touching the \
folder again.\n";
const STAGING_PREFIX: &str = ".qbank-staging-";
/// Inside a staging folder: proof that qbank made it, so a stale one may be removed.
const STAGING_MARKER: &str = ".qbank-staging";

/// The output folder of one build, locked for it, with a staging folder inside.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    /// Held for the whole build: the advisory lock on `out`.
    _lock: fs::File,
    _cleanup: Cleanup,
}

impl Staging {
    /// Prepares a build of the folders `names` into `out` for the bank in `bank`: refuses
    /// (changing nothing) an `out` that overlaps the bank or a format folder qbank did not
    /// make; creates `out` if needed, waits for any other build into it, removes what an
    /// interrupted build left, and makes a hidden staging folder inside it (same file system,
    /// so the final renames are atomic).
    pub fn new(out: &Path, bank: &Path, names: &[&str]) -> Result<Self> {
        check_location(out, bank)?;
        fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let lock = lock_folder(out)?;
        check_ownership(out, names)?;
        remove_stale_staging(out);
        // Created and registered in one step, so an interrupt in between cannot leave it.
        let _ = crate::interrupt::install();
        let (dir, cleanup) = crate::interrupt::critical(|| -> Result<_> {
            let dir = tempfile::Builder::new()
                .prefix(STAGING_PREFIX)
                .tempdir_in(out)
                .with_context(|| format!("creating a staging folder in {}", out.display()))?;
            let cleanup = Cleanup::register(dir.path());
            Ok((dir, cleanup))
        })?;
        fs::write(dir.path().join(STAGING_MARKER), "qbank build in progress\n")
            .with_context(|| format!("writing in {}", dir.path().display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            _lock: lock,
            _cleanup: cleanup,
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

    /// Marks each staged folder as qbank's; the last step that can fail before publishing.
    pub fn seal(&self, names: &[&str]) -> Result<()> {
        for name in names {
            let marker = self.dir.path().join(name).join(OUTPUT_MARKER);
            fs::write(&marker, OUTPUT_MARKER_TEXT)
                .with_context(|| format!("writing {}", marker.display()))?;
        }
        Ok(())
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
            let had_old = fs::symlink_metadata(&target).is_ok();
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

/// Refuses an output folder that is the bank, holds it, or lies inside it: a build there
/// would replace the bank's own folders, or feed its outputs back into the bank.
fn check_location(out: &Path, bank: &Path) -> Result<()> {
    let out_abs = resolve(out).with_context(|| format!("resolving {}", out.display()))?;
    let bank_abs = bank
        .canonicalize()
        .with_context(|| format!("resolving {}", bank.display()))?;
    let why = if out_abs == bank_abs {
        "is the bank folder"
    } else if bank_abs.starts_with(&out_abs) {
        "contains the bank folder"
    } else if out_abs.starts_with(&bank_abs) {
        "is inside the bank folder"
    } else {
        return Ok(());
    };
    bail!(
        "refusing to build into {}: it {why} ({}); choose an --out outside the bank, such as `dist`. Nothing was written",
        out.display(),
        bank.display()
    )
}

/// `path` made absolute with symlinks resolved, for a path that may not exist yet: the
/// longest existing ancestor is canonicalized and the rest appended (`..` taken lexically).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            // `..` or the root: nothing left to peel off.
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => resolved.push(name),
        }
    }
    Ok(resolved)
}

/// Locks `out` for this build (an advisory lock on the folder itself: nothing is written
/// for it, and the kernel releases it when the process ends, even on SIGKILL). A second
/// build into the same folder waits, saying so.
fn lock_folder(out: &Path) -> Result<fs::File> {
    let dir = fs::File::open(out).with_context(|| format!("opening {}", out.display()))?;
    match dir.try_lock() {
        Ok(()) => return Ok(dir),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", out.display()));
        }
    }
    eprintln!(
        "waiting for another qbank build into {} to finish…",
        out.display()
    );
    dir.lock()
        .with_context(|| format!("locking {}", out.display()))?;
    Ok(dir)
}

/// Refuses to replace anything under `out` that qbank did not make: a format folder without
/// the marker, or a file or symlink in a format folder's place. Every refusal is listed.
fn check_ownership(out: &Path, names: &[&str]) -> Result<()> {
    let mut refused = Vec::new();
    for name in names {
        let target = out.join(name);
        let Ok(meta) = fs::symlink_metadata(&target) else {
            continue;
        };
        let owned = meta.is_dir()
            && fs::symlink_metadata(target.join(OUTPUT_MARKER)).is_ok_and(|m| m.is_file());
        if !owned {
            let what = if meta.is_dir() {
                format!("has no {OUTPUT_MARKER} marker, so qbank did not make it")
            } else if meta.is_symlink() {
                "is a symbolic link".to_string()
            } else {
                "is a file".to_string()
            };
            refused.push(format!("  {} {what}", target.display()));
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    bail!(
        "refusing to replace what qbank did not create:\n{}\nMove it away, or build with an --out \
         of its own (if an older qbank wrote the folder, delete it once by hand). Nothing was \
         written",
        refused.join("\n")
    )
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
/// ever renamed into place). The next build, holding the folder's lock (so no other build
/// is using it), removes the staging folders that carry qbank's marker.
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
        let path = entry.path();
        let ours = name.to_string_lossy().starts_with(STAGING_PREFIX)
            && fs::symlink_metadata(path.join(STAGING_MARKER)).is_ok_and(|m| m.is_file());
        if ours {
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
        fs::write(stale.join(STAGING_MARKER), "").unwrap();
        fs::write(stale.join(".previous/json/bank.json"), "{}").unwrap();
        fs::create_dir_all(stale.join("json")).unwrap();
        fs::write(stale.join("json/bank.json"), "{\"new\": 1}").unwrap();
        let bank = tempfile::tempdir().unwrap();
        let staging = Staging::new(out.path(), bank.path(), &["json"]).unwrap();
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
        let bank = tempfile::tempdir().unwrap();
        for (round, text) in ["first", "second"].iter().enumerate() {
            let staging = Staging::new(out.path(), bank.path(), &["json"]).unwrap();
            let dir = staging.folder("json").unwrap();
            fs::write(dir.join(format!("{text}.json")), text).unwrap();
            staging.seal(&["json"]).unwrap();
            staging.publish(&["json"]).unwrap();
            let names: Vec<_> = fs::read_dir(out.path().join("json"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            let mut names = names;
            names.sort();
            assert_eq!(
                names,
                [OUTPUT_MARKER.to_string(), format!("{text}.json")],
                "round {round}"
            );
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
