//! `qbank check --run-examples` on a bank that uses every kind of environment
//! (`tests/fixtures/examples`): plain Python, Django on SQLite and on MariaDB, a venv without
//! Django, SQL on a throwaway MariaDB, and the blocks only checked. These tests need MariaDB
//! (`apt-get install mariadb-server`) and Python's venv module, and fail — never skip — without
//! them. The fixture's venv is kept in `tests/fixtures/examples/.qbank` (ignored by git).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{qbank, repo};

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/examples")
}

/// MariaDB must be installed: say so with the install line instead of a vaguer failure.
fn require_mariadb() {
    if let Err(e) = qbank::examples::require_mariadb() {
        panic!("these tests need MariaDB: {e:#}");
    }
}

/// Runs `check --run-examples` with the venv cache of the fixture; returns (code, stderr).
fn check(bank: &Path, extra: &[&str]) -> (i32, String) {
    let out = qbank()
        .args(["--color", "never", "check", "--run-examples", "--bank"])
        .arg(bank)
        .arg("--cache-dir")
        .arg(fixture().join(".qbank"))
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_environment_runs_for_real() {
    require_mariadb();
    let (code, stderr) = check(Path::new("tests/fixtures/examples"), &["--deny-warnings"]);
    assert_eq!(code, 0, "{stderr}");
    // Ran: plain Python, 2 Django on SQLite, Django on MariaDB, the `tools` venv, 2 SQL.
    // Checked: python norun, sql norun, bash, yaml, json, toml. Skipped: sql mysql8.
    assert!(
        stderr.contains("\nexamples: 7 ran, 6 checked, 1 skipped\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "skipped: tests/fixtures/examples/sections/examples.yaml:115:7 (question `checked-only`, ```sql mysql8): MySQL 8 only"
        ),
        "{stderr}"
    );
}

/// A copy of the fixture with `section` as its only section file (and `bank` for bank.yaml
/// when given).
fn variant(section: &str, bank: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let from = fixture();
    for rel in [
        "project/settings.py",
        "project/pricing.py",
        "project/library/__init__.py",
        "project/library/models.py",
        "project/library/migrations/__init__.py",
        "project/library/migrations/0001_initial.py",
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), root.join(rel)).unwrap();
    }
    let bank_yaml = match bank {
        Some(b) => b.to_string(),
        None => std::fs::read_to_string(from.join("bank.yaml")).unwrap(),
    };
    std::fs::write(root.join("bank.yaml"), bank_yaml).unwrap();
    std::fs::create_dir(root.join("sections")).unwrap();
    std::fs::write(root.join("sections/examples.yaml"), section).unwrap();
    dir
}

/// One question per answer, `answer` indented under `answer: |`.
fn section(answers: &[(&str, &str)]) -> String {
    let mut s = String::from("id: examples\ntitle: Examples\nquestions:\n");
    for (id, answer) in answers {
        s.push_str(&format!(
            "  - id: {id}\n    question: {id}?\n    summary: Yes.\n    answer: |\n"
        ));
        for line in answer.lines() {
            s.push_str(&format!("      {line}\n"));
        }
    }
    s
}

#[test]
fn each_failing_block_is_an_error_at_its_fence() {
    require_mariadb();
    let dir = variant(
        &section(&[
            (
                "wrong-sql-output",
                "```sql\n~ CREATE TABLE t (n INT);\n~ INSERT INTO t VALUES (1);\nSELECT n FROM t;\n```\n\n```output\n+---+\n| n |\n+---+\n| 2 |\n+---+\n```",
            ),
            ("missing-table", "```sql\nSELECT * FROM nowhere;\n```"),
            (
                "django-assert",
                "```python env=django\nAuthor.objects.create(name=\"A\")\n~ assert Author.objects.count() == 2, 'one author only'\n```",
            ),
            ("unknown-env", "```python env=nope\nprint(1)\n```"),
            ("broken-yaml", "```yaml\na: [1, 2\n```"),
            ("broken-bash", "```bash\nif true; then echo\n```"),
            ("broken-sql-norun", "```sql norun\nSELECT FROM WHERE;\n```"),
        ]),
        None,
    );
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    for piece in [
        "error: example printed something else than its `output` block (in question `wrong-sql-output`)",
        "|    1 |",
        "examples.yaml:8:7",
        "error: sql example failed (exit status: 1) (in question `missing-table`)",
        "Table 'qbank_block_",
        "error: python example failed (exit status: 1) (in question `django-assert`)",
        "AssertionError: one author only",
        "error: no environment `nope` in bank.yaml (in question `unknown-env`)",
        "error: yaml block does not parse",
        "error: bash block does not parse (bash -n)",
        "error: sql block (norun) does not parse on MariaDB",
        "skipped: ",
        "```python env=nope): no environment `nope` in bank.yaml",
        "examples: 3 ran, 3 checked, 1 skipped",
        "7 error(s)",
    ] {
        assert!(stderr.contains(piece), "missing {piece:?} in:\n{stderr}");
    }
    // The hidden lines are not shown, but they ran.
    assert!(!stderr.contains("CREATE TABLE t"), "{stderr}");
}

#[test]
fn unknown_environments_are_errors_without_running_anything() {
    let dir = variant(
        &section(&[("x", "```python env=djnago\nprint(1)\n```")]),
        None,
    );
    let out = qbank()
        .args(["--color", "never", "check", "--bank"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no environment `djnago` in bank.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("environments: django, django-mariadb, mariadb, tools"),
        "{stderr}"
    );
}

#[test]
fn a_broken_environment_is_reported_in_bank_yaml_and_its_blocks_skipped() {
    let bank = std::fs::read_to_string(fixture().join("bank.yaml"))
        .unwrap()
        .replace(
            "    path: project\n  mariadb:",
            "    path: nowhere\n  mariadb:",
        );
    let dir = variant(
        &section(&[("uses-tools", "```python env=tools\nprint(1)\n```")]),
        Some(&bank),
    );
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    for piece in [
        "error: environment `tools` could not be set up: `path`",
        "is not a folder",
        "bank.yaml:22:",
        "environment `tools` could not be set up (see the error above)",
        "examples: 0 ran, 0 checked, 1 skipped",
    ] {
        assert!(stderr.contains(piece), "missing {piece:?} in:\n{stderr}");
    }
}

#[test]
fn a_print_loop_and_a_runaway_background_process_are_stopped() {
    let marker_dir = tempfile::tempdir().unwrap();
    let marker = marker_dir.path().join("outlived");
    let runaway = format!(
        "```python\nimport subprocess, time\nsubprocess.Popen(['sh', '-c', 'sleep 5; touch {}'])\ntime.sleep(60)\n```",
        marker.display()
    );
    let dir = variant(
        &section(&[
            (
                "print-loop",
                "```python\nwhile True:\n    print('all work and no play ' * 4)\n```",
            ),
            ("runaway", &runaway),
        ]),
        None,
    );
    let start = Instant::now();
    let (code, stderr) = check(dir.path(), &["--timeout", "3"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert!(
        stderr.contains("python example printed more than 1 MB on stdout"),
        "{stderr}"
    );
    assert!(
        stderr.contains("python example timed out after 3 s"),
        "{stderr}"
    );
    // The background `sh` was in the block's process group and died with it.
    std::thread::sleep(Duration::from_secs(6));
    assert!(!marker.exists(), "a process the block started outlived it");
}

#[test]
fn ctrl_c_stops_the_blocks_and_tears_the_server_down() {
    require_mariadb();
    let tmp = tempfile::tempdir().unwrap();
    let started = tmp.path().join("block-started");
    let sleeper = format!(
        "```python\nimport time\nopen('{}', 'w').close()\ntime.sleep(60)\n```",
        started.display()
    );
    let dir = variant(
        &section(&[
            ("on-the-server", "```sql\nSELECT 1;\n```"),
            ("sleeper", &sleeper),
        ]),
        None,
    );
    // TMPDIR keeps this run's server folder apart from any other's.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("qbank"))
        .args([
            "--color",
            "never",
            "check",
            "--run-examples",
            "--timeout",
            "120",
            "--bank",
        ])
        .arg(dir.path())
        .env("TMPDIR", tmp.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let server_dir = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("qbank-mariadb-")
            })
    };
    while !(started.exists() && server_dir().is_some()) {
        assert!(Instant::now() < deadline, "the run never got going");
        std::thread::sleep(Duration::from_millis(50));
    }
    let server = server_dir().unwrap();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(stderr.contains("interrupted (Ctrl-C)"), "{stderr}");
    assert!(
        !server.exists(),
        "the server's folder is left: {}",
        server.display()
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "block-started")
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    // No process of the run is left: mariadbd (its data folder) and the block (its script)
    // both live under this TMPDIR.
    let needle = tmp.path().to_string_lossy().into_owned();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            assert!(!cmdline.contains(&needle), "still running: {cmdline}");
        }
    }
}
