//! The real binary on the shipped bank: structure, outputs, exit codes, help.

mod common;

use std::collections::HashSet;

use common::{content, copy_of_content, qbank};

#[test]
fn shipped_bank_has_2_parts_25_sections_421_unique_questions() {
    let project = qbank::Project::open(&content());
    assert_eq!(project.error_count(), 0);
    let bank = &project.rendered;
    assert_eq!(bank.parts.len(), 2);
    assert_eq!(bank.sections().count(), 25);
    let ids: Vec<&str> = bank.questions().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), 421);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 421);
    // The 16 Python Core questions are answered, with a summary.
    let core = bank.sections().find(|s| s.id == "python-core").unwrap();
    assert_eq!(core.questions.len(), 16);
    assert!(
        core.questions
            .iter()
            .all(|q| q.is_answered() && q.summary.is_some())
    );
}

#[test]
fn build_writes_json_with_every_question() {
    let work = copy_of_content();
    let out = work.path().join("dist");
    qbank()
        .current_dir(work.path())
        .args(["build", "--format", "json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("json/python-django-interview.json")).unwrap(),
    )
    .unwrap();
    let questions: Vec<&serde_json::Value> = json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["sections"].as_array().unwrap())
        .flat_map(|s| s["questions"].as_array().unwrap())
        .collect();
    assert_eq!(questions.len(), 421);
    assert_eq!(json["meta"]["id"], "python-django-interview");
    let first = questions[0];
    assert_eq!(first["id"], "everything-is-an-object");
    assert!(first["answer"]["html"].as_str().unwrap().contains("hl-"));
    assert!(
        json["highlight_css"]["dark"]
            .as_str()
            .unwrap()
            .contains(".hl-")
    );
}

#[test]
fn builds_are_byte_identical() {
    let work = copy_of_content();
    for out in ["a", "b"] {
        qbank()
            .current_dir(work.path())
            .args(["build", "--format", "json", "--out", out])
            .assert()
            .success();
    }
    let file = "json/python-django-interview.json";
    assert_eq!(
        std::fs::read(work.path().join("a").join(file)).unwrap(),
        std::fs::read(work.path().join("b").join(file)).unwrap()
    );
}

#[test]
fn check_on_shipped_bank_succeeds_with_summary() {
    let out = qbank().arg("check").assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("2 parts, 25 sections, 421 questions"),
        "{stderr}"
    );
    assert!(stderr.contains("0 error(s)"), "{stderr}");
}

#[test]
fn run_examples_executes_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sections")).unwrap();
    std::fs::write(
        dir.path().join("bank.yaml"),
        "id: ex\ntitle: Examples\nlanguage: en\nversion: '1'\nparts:\n  - title: P\n    sections: [s]\n",
    )
    .unwrap();
    let section = "id: s\ntitle: S\nquestions:\n  - id: good\n    question: Good?\n    summary: Yes.\n    answer: |\n      ```python\n      print(2 + 2)\n      ```\n\n      ```output\n      4\n      ```\n  - id: wrong-output\n    question: Wrong?\n    summary: No.\n    answer: |\n      Text.\n\n      ```python\n      print(2 + 3)\n      ```\n\n      ```output\n      4\n      ```\n  - id: crashes\n    question: Crash?\n    summary: No.\n    answer: |\n      ```python\n      raise SystemExit('boom')\n      ```\n  - id: bad-norun\n    question: Bad norun?\n    summary: No.\n    answer: |\n      ```python norun\n      from django.db import models\n      def broken(:\n      ```\n";
    std::fs::write(dir.path().join("sections/s.yaml"), section).unwrap();
    let out = qbank()
        .args(["--color", "never", "check", "--run-examples", "--bank"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for piece in [
        "printed something else",
        "s.yaml:21:7",
        "question `wrong-output`",
        "python example failed",
        "boom",
        "question `crashes`",
        "does not compile",
        "question `bad-norun`",
        "examples: 3 ran, 1 checked, 0 skipped",
        "3 error(s)",
    ] {
        assert!(stderr.contains(piece), "missing {piece:?} in:\n{stderr}");
    }
}

#[test]
fn missing_python_fails_instead_of_skipping() {
    qbank()
        .args([
            "check",
            "--run-examples",
            "--python",
            "/nonexistent/python3",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot run"));
}

#[test]
fn usage_errors_exit_2() {
    qbank().args(["build", "--format", "docx"]).assert().code(2);
    qbank().arg("frobnicate").assert().code(2);
}

#[test]
fn help_on_every_command() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["build", "--help"],
        &["stats", "--help"],
    ] {
        qbank().args(args).assert().success();
    }
}

#[test]
fn stats_table_lists_sections() {
    let out = qbank().arg("stats").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("python-core"), "{stdout}");
    assert!(
        stdout.lines().last().unwrap().starts_with("total"),
        "{stdout}"
    );
    assert!(stdout.contains("421"), "{stdout}");
}

#[test]
fn verbose_build_prints_where_the_time_goes() {
    let work = copy_of_content();
    let output = qbank()
        .current_dir(work.path())
        .args(["-v", "build", "--format", "json", "--format", "epub"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    for step in [
        "load and validate YAML",
        "render Markdown and code",
        "hash content for qbank.lock",
        "write json",
        "write epub",
        "publish",
    ] {
        let line = stderr
            .lines()
            .find(|l| l.ends_with(&format!(" ms  {step}")))
            .unwrap_or_else(|| panic!("no timing for `{step}` in:\n{stderr}"));
        let ms: f64 = line.trim().split(' ').next().unwrap().parse().unwrap();
        assert!(ms >= 0.0, "{line}");
    }
    // Formats not built are not timed.
    assert!(!stderr.contains("write anki"), "{stderr}");
}
