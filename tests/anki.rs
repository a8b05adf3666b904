//! Anki packages: byte-reproducible, and imported, updated and re-imported by the real Anki.

mod common;

use common::{build_formats, client_python, copy_of_content, qbank, repo};

fn build_anki(bank: &std::path::Path, out: &std::path::Path) {
    build_formats(bank, out, "anki", 1_900_000_000);
}

#[test]
fn packages_are_byte_identical_across_builds() {
    let work = copy_of_content();
    let bank = work.path().join("content");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    build_anki(&bank, &a);
    build_anki(&bank, &b);
    let mut compared = 0;
    for rel in [
        "anki/python-django-interview.apkg",
        "anki/sections/python-core.apkg",
    ] {
        let (x, y) = (
            std::fs::read(a.join(rel)).unwrap(),
            std::fs::read(b.join(rel)).unwrap(),
        );
        assert!(x == y, "{rel} differs between two builds");
        compared += 1;
    }
    assert_eq!(compared, 2);
}

#[test]
fn section_filter_limits_the_build() {
    let work = copy_of_content();
    let out = work.path().join("out");
    qbank()
        .args([
            "-q",
            "build",
            "--format",
            "anki",
            "--section",
            "python-core",
            "--bank",
        ])
        .arg(work.path().join("content"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(out.join("anki/sections"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["python-core.apkg"]);
    qbank()
        .args(["build", "--section", "no-such-section", "--bank"])
        .arg(work.path().join("content"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
}

/// Runs a client script of tests/clients with the official Anki library on the shipped bank
/// (`script QBANK CONTENT WORK`); fails with its output unless every check passed.
fn run_anki_client(script: &str, what: &str) {
    let work = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(client_python())
        .arg(repo().join("tests/clients").join(script))
        .arg(assert_cmd::cargo::cargo_bin("qbank"))
        .arg(repo().join("content"))
        .arg(work.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"));
}

#[test]
fn real_anki_imports_updates_and_keeps_history() {
    run_anki_client("anki_verify.py", "Anki verification");
}

/// v1 imported and studied; v2 removes, changes and adds a question and brings hierarchical
/// tags; the learner's import and a fresh one are checked by the real Anki
/// (tests/clients/anki_release_verify.py).
#[test]
fn real_anki_release_timeline_retires_removed_questions() {
    run_anki_client("anki_release_verify.py", "Anki release timeline");
}
