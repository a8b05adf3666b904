//! The virtual environments of `kind: python` environments.
//!
//! One per requirements list and base interpreter, in `<cache>/venvs/<hash>` (the cache is
//! `<bank>/.qbank` unless `--cache-dir` says otherwise): created on first use — `python3 -m
//! venv`, then `pip install` of the pinned requirements — and reused by every later run. It is
//! built under a temporary name and renamed into place, so a run interrupted half-way never
//! leaves a broken one, and two runs at once do not clash. The cache folder holds a
//! `.gitignore` of `*`, so it is never committed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use sha2::{Digest, Sha256};

use super::process::{self, Failure, Limits};

/// `pip install` may take this long (downloads).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// The folder of the venv for these requirements, whether it exists yet or not.
pub fn location(cache: &Path, base_version: &str, base: &Path, requirements: &[String]) -> PathBuf {
    let mut hash = Sha256::new();
    hash.update(format!("python {base_version} {}\n", base.display()));
    for r in requirements {
        hash.update(r.trim());
        hash.update("\n");
    }
    let hex: String = hash
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    cache.join("venvs").join(hex)
}

/// The venv's interpreter.
pub fn python_of(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Makes sure the venv at `venv` exists with `requirements` installed. `Err` when Python
/// cannot make venvs at all (a tool to install); `Ok(Err)` when pip failed (the bank's
/// requirements are wrong).
pub fn ensure(
    base: &Path,
    venv: &Path,
    requirements: &[String],
    limits: Limits,
) -> Result<Result<PathBuf, Failure>> {
    let python = python_of(venv);
    if venv.join("qbank-requirements.txt").is_file() && python.exists() {
        return Ok(Ok(python));
    }
    let parent = venv.parent().context("venv folder has no parent")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    mark_cache(parent.parent().unwrap_or(parent))?;
    let building = tempfile::Builder::new()
        .prefix(".building-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a folder in {}", parent.display()))?;
    let tmp = building.path();
    let mut cmd = Command::new(base);
    cmd.args(["-m", "venv"]).arg(tmp);
    let made = process::run(&mut cmd, None, limits.with_timeout(INSTALL_TIMEOUT))?;
    if !made.success() {
        let why = format!("{}{}", made.stdout, made.stderr);
        if why.contains("ensurepip") || why.contains("No module named venv") {
            bail!(
                "`{} -m venv` cannot create virtual environments, which the bank's python environments need.\n  install it: apt-get install python3-venv (Debian, Ubuntu)",
                base.display()
            );
        }
        bail!("`{} -m venv` failed:\n{}", base.display(), made.tail());
    }
    let list = tmp.join("qbank-requirements.txt");
    let mut text = requirements.join("\n");
    text.push('\n');
    let pending = tmp.join("requirements.pending");
    std::fs::write(&pending, &text)?;
    let mut pip = Command::new(python_of(tmp));
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
        "-r",
    ])
    .arg(&pending);
    let installed = process::run(&mut pip, None, limits.with_timeout(INSTALL_TIMEOUT))?;
    if let Some(f) = installed.failure("pip install") {
        return Ok(Err(Failure::new(
            format!("could not install the requirements: {}", f.message),
            f.help,
        )));
    }
    std::fs::rename(&pending, &list)?;
    let tmp = building.keep();
    if let Err(e) = std::fs::rename(&tmp, venv) {
        // Another run finished first: use its venv.
        let _ = std::fs::remove_dir_all(&tmp);
        if !venv.join("qbank-requirements.txt").is_file() {
            return Err(e).with_context(|| format!("moving the new venv to {}", venv.display()));
        }
    }
    Ok(Ok(python))
}

/// Makes `cache` a folder git and backup tools leave alone.
pub fn mark_cache(cache: &Path) -> Result<()> {
    std::fs::create_dir_all(cache).with_context(|| format!("creating {}", cache.display()))?;
    let ignore = cache.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Made by qbank (virtual environments for examples): never commit it.\n*\n",
        )?;
    }
    let tag = cache.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# qbank's cache of example environments: safe to delete.\n",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_python_without_venv_names_the_package_to_install() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // What Debian's python3 says without python3-venv.
        let fake = dir.path().join("python3");
        std::fs::write(
            &fake,
            "#!/bin/sh\necho 'The virtual environment was not created successfully because ensurepip is not available.' >&2\nexit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let venv = dir.path().join("cache/venvs/x");
        let limits = Limits::new(Duration::from_secs(20));
        let e = ensure(&fake, &venv, &["Django==5.2.19".into()], limits).unwrap_err();
        assert!(
            e.to_string()
                .contains("install it: apt-get install python3-venv"),
            "{e:#}"
        );
        assert!(!venv.exists());
        // The cache folder is marked, so git never sees it.
        let ignore = std::fs::read_to_string(dir.path().join("cache/.gitignore")).unwrap();
        assert!(ignore.ends_with("*\n"));
    }

    #[test]
    fn the_location_follows_the_requirements_and_the_interpreter() {
        let cache = Path::new("/bank/.qbank");
        let py = Path::new("/usr/bin/python3");
        let a = location(cache, "3.11.2", py, &["Django==5.2.19".into()]);
        assert!(a.starts_with("/bank/.qbank/venvs"));
        assert_eq!(
            a,
            location(cache, "3.11.2", py, &[" Django==5.2.19".into()])
        );
        assert_ne!(a, location(cache, "3.11.2", py, &["Django==5.2.18".into()]));
        assert_ne!(a, location(cache, "3.12.1", py, &["Django==5.2.19".into()]));
    }
}
