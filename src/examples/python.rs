//! Plain ```` ```python ```` blocks, and the checks one Python process does for many blocks.
//!
//! A plain block runs in its own `python3 -I` (isolated: no user site, no `PYTHON*`
//! variables) in an empty temporary folder. `norun` blocks are compiled, and TOML blocks
//! parsed with `tomllib`, by one Python process each for all blocks ([`batch`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::process::{self, Failure, Limits};

/// The interpreter's version and the executable `python` really is (`sys.executable`), or an
/// error saying it cannot be started. Running that executable directly skips wrappers such
/// as pyenv's shims, which cost more than a small block itself.
pub fn check_python(python: &Path) -> Result<(String, PathBuf)> {
    let out = Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys; print(sys.version.split()[0]); print(sys.executable)",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| {
            format!(
                "cannot run `{}` to check the examples; install Python 3 (apt-get install python3) or pass --python",
                python.display()
            )
        })?;
    if !out.status.success() {
        bail!("`{} -c …` failed", python.display());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or_default().trim().to_string();
    let executable = lines
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty() && Path::new(p).is_file())
        .map_or_else(|| python.to_path_buf(), PathBuf::from);
    Ok((version, executable))
}

/// Runs one plain block; `Some` describes a failure.
pub fn run_plain(
    python: &Path,
    program: &str,
    expected: Option<&str>,
    limits: Limits,
) -> Result<Option<Failure>> {
    let dir = tempfile::tempdir().context("creating a temporary folder")?;
    let script = dir.path().join("example.py");
    std::fs::write(&script, program)?;
    let mut cmd = Command::new(python);
    cmd.arg("-I")
        .arg(&script)
        .current_dir(dir.path())
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8");
    let done = process::run(&mut cmd, None, limits)?;
    Ok(done
        .failure("python example")
        .or_else(|| super::compare_output(expected, &done.stdout)))
}

/// Compiles Python sources (the `norun` blocks); returns (index, message) per failure.
pub fn compile_all(
    python: &Path,
    sources: &[&str],
    limits: Limits,
) -> Result<Vec<(usize, String)>> {
    const SCRIPT: &str = r#"
import json, sys
for i, src in enumerate(json.load(sys.stdin)):
    try:
        compile(src, "<norun block>", "exec")
    except SyntaxError as e:
        print(json.dumps([i, f"line {e.lineno}: {e.msg}"]), flush=True)
"#;
    batch(python, SCRIPT, sources, limits)
}

/// Runs `script` with the JSON list of `inputs` on stdin; it prints one JSON `[index,
/// message]` line per failing input. Returns those.
pub fn batch(
    python: &Path,
    script: &str,
    inputs: &[&str],
    limits: Limits,
) -> Result<Vec<(usize, String)>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let input = serde_json::to_vec(inputs)?;
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-c", script]);
    // Many blocks in one process: a longer time, the same cap.
    let limits = limits.with_timeout(limits.timeout.max(Duration::from_secs(60)));
    let done = process::run(&mut cmd, Some(input), limits)?;
    if let Some(f) = done.failure("checking blocks with Python") {
        bail!("{}\n{}", f.message, f.help);
    }
    let mut failures = Vec::new();
    for line in done.stdout.lines() {
        let (i, message): (usize, String) = serde_json::from_str(line)
            .with_context(|| format!("reading the checker's output line {line:?}"))?;
        failures.push((i, message));
    }
    Ok(failures)
}

/// Whether `python` has `tomllib` (Python 3.11+).
pub fn has_tomllib(python: &Path) -> bool {
    Command::new(python)
        .args(["-I", "-c", "import tomllib"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The interpreter as given, or found on `PATH` when it is a bare name.
pub fn resolve(python: &Path) -> PathBuf {
    if python.components().count() == 1 {
        process::find_program(&python.to_string_lossy()).unwrap_or_else(|| python.to_path_buf())
    } else {
        python.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python() -> PathBuf {
        resolve(Path::new("python3"))
    }

    #[test]
    fn plain_blocks_run_isolated_and_their_output_is_compared() {
        let limits = Limits::new(Duration::from_secs(20));
        let ok = run_plain(&python(), "print(sum(range(4)))\n", Some("6\n"), limits).unwrap();
        assert_eq!(ok, None);
        let wrong = run_plain(&python(), "print(7)\n", Some("6\n"), limits)
            .unwrap()
            .unwrap();
        assert!(
            wrong.message.contains("printed something else"),
            "{wrong:?}"
        );
        let crash = run_plain(&python(), "raise SystemExit('boom')\n", None, limits)
            .unwrap()
            .unwrap();
        assert!(crash.help.contains("boom"), "{crash:?}");
    }

    #[test]
    fn a_print_loop_is_stopped_at_the_cap() {
        let limits = Limits::new(Duration::from_secs(30));
        let found = run_plain(
            &python(),
            "while True:\n    print('x' * 80)\n",
            None,
            limits,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            found.message,
            "python example printed more than 1 MB on stdout"
        );
    }

    #[test]
    fn compile_reports_the_broken_ones() {
        let limits = Limits::new(Duration::from_secs(20));
        let found = compile_all(&python(), &["x = 1\n", "def f(:\n"], limits).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
    }
}
