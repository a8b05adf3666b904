//! One broken bank per kind of content problem, checked through the real binary: the exit
//! code, and a message naming the file, line, column and question id.

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const BANK: &str = "\
id: mini
title: Mini bank
language: en
version: 1.0.0
parts:
  - title: Only part
    sections: [s1, s2]
";

const S1: &str = "\
id: s1
title: Section One
questions:
  - id: q-one
    question: What is one?
    summary: One.
    answer: |
      The number one.
  - id: q-two
    question: What is two?
";

const S2: &str = "\
id: s2
title: Section Two
questions:
  - id: q-three
    question: What is three?
";

/// A bank folder with the valid base files, then `changes` written over them.
fn bank(changes: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 3] = [
        ("bank.yaml", BANK.as_bytes()),
        ("sections/s1.yaml", S1.as_bytes()),
        ("sections/s2.yaml", S2.as_bytes()),
    ];
    for (name, text) in files.iter().chain(changes) {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs `qbank check` on the bank; returns exit code and stderr.
fn check(dir: &Path) -> (i32, String) {
    let out = Command::cargo_bin("qbank")
        .unwrap()
        .args(["--color", "never", "check", "--bank"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts the run failed (or not) and that stderr holds every expected piece.
fn expect(changes: &[(&str, &[u8])], code: i32, pieces: &[&str]) {
    let dir = bank(changes);
    let (got, stderr) = check(dir.path());
    assert_eq!(got, code, "exit code; stderr:\n{stderr}");
    for piece in pieces {
        assert!(stderr.contains(piece), "missing {piece:?} in:\n{stderr}");
    }
}

#[test]
fn valid_base_bank_passes() {
    let dir = bank(&[]);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("3 questions (1 answered, 2 unanswered)"),
        "{stderr}"
    );
}

#[test]
fn yaml_syntax_error() {
    let s1 = S1.replace("title: Section One", "title: [Section One");
    expect(
        &[("sections/s1.yaml", s1.as_bytes())],
        1,
        &["YAML syntax error", "s1.yaml:3:"],
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let s1 = S1.replace("    summary: One.", "    sumary: One.");
    expect(
        &[("sections/s1.yaml", s1.as_bytes())],
        1,
        &[
            "unknown key `sumary`",
            "did you mean `summary`?",
            "s1.yaml:6:5",
            "question `q-one`",
        ],
    );
}

#[test]
fn unknown_key_in_bank() {
    let b = BANK.replace("version:", "versoin:");
    expect(
        &[("bank.yaml", b.as_bytes())],
        1,
        &[
            "unknown key `versoin`",
            "did you mean `version`?",
            "bank.yaml:4:1",
        ],
    );
}

#[test]
fn missing_required_key() {
    let s2 = S2.replace("    question: What is three?\n", "    tags: [x]\n");
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "missing field `question`",
            "s2.yaml:4:5",
            "question `q-three`",
        ],
    );
}

#[test]
fn wrong_type() {
    let s2 = S2.replace(
        "    question: What is three?\n",
        "    question: What is three?\n    tags: {a: b}\n",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &["invalid type", "s2.yaml:6:11", "question `q-three`"],
    );
}

#[test]
fn invalid_level() {
    let s2 = S2.replace(
        "    question: What is three?\n",
        "    question: What is three?\n    level: expert\n",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "unknown variant `expert`",
            "s2.yaml:6:12",
            "question `q-three`",
        ],
    );
}

#[test]
fn invalid_slug() {
    let s2 = S2.replace("id: q-three", "id: Q_Three");
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "question id `Q_Three` is not a valid slug",
            "`q-three`",
            "s2.yaml:4:9",
            "question `Q_Three`",
        ],
    );
}

#[test]
fn invalid_tag() {
    let s2 = S2.replace(
        "    question: What is three?\n",
        "    question: What is three?\n    tags: [ok, Not OK]\n",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &["tag `Not OK` is not a valid slug", "s2.yaml:6:16"],
    );
}

#[test]
fn duplicate_question_id_across_sections() {
    let s2 = S2.replace("id: q-three", "id: q-one");
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "duplicate question id `q-one`",
            "s2.yaml:4:9",
            "first used here",
            "question `q-one`",
        ],
    );
}

#[test]
fn duplicate_section_id() {
    let b = BANK.replace("[s1, s2]", "[s1, s2, s1]");
    expect(
        &[("bank.yaml", b.as_bytes())],
        1,
        &[
            "section `s1` is listed twice",
            "bank.yaml:7:24",
            "first listed here",
        ],
    );
}

#[test]
fn listed_section_without_file() {
    let b = BANK.replace("[s1, s2]", "[s1, s2, s3]");
    expect(
        &[("bank.yaml", b.as_bytes())],
        1,
        &[
            "section `s3` is listed in bank.yaml but sections/s3.yaml does not exist",
            "bank.yaml:7:24",
        ],
    );
}

#[test]
fn unlisted_section_file_is_a_warning() {
    let s4 = "id: s4\ntitle: Four\nquestions: []\n";
    expect(
        &[("sections/s4.yaml", s4.as_bytes())],
        0,
        &["warning", "sections/s4.yaml is not listed", "s4.yaml:1:1"],
    );
}

#[test]
fn section_id_differs_from_file_name() {
    let s2 = S2.replace("id: s2", "id: section-two");
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "section id `section-two` does not match its file name `s2.yaml`",
            "s2.yaml:1:5",
        ],
    );
}

#[test]
fn empty_question() {
    let s2 = S2.replace("question: What is three?", "question: '  '");
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "the question text is empty",
            "s2.yaml:5:15",
            "question `q-three`",
        ],
    );
}

#[test]
fn non_utf8_file() {
    let mut s2 = S2.as_bytes().to_vec();
    let at = S2.find("three?").unwrap();
    s2[at] = 0xff;
    expect(
        &[("sections/s2.yaml", &s2)],
        1,
        &["file is not valid UTF-8", "s2.yaml:5:23"],
    );
}

#[test]
fn unreadable_file() {
    // A folder where a file is expected cannot be read as one.
    let dir = bank(&[]);
    std::fs::remove_file(dir.path().join("sections/s2.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("sections/s2.yaml")).unwrap();
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("s2.yaml"), "{stderr}");
}

#[test]
fn summary_without_answer_is_a_warning() {
    let s2 = S2.replace(
        "    question: What is three?\n",
        "    question: What is three?\n    summary: Three.\n",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        0,
        &[
            "warning",
            "summary without an answer",
            "s2.yaml:6:14",
            "question `q-three`",
        ],
    );
}

#[test]
fn answer_without_summary() {
    let s2 = S2.replace(
        "    question: What is three?\n",
        "    question: What is three?\n    answer: Three.\n",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &[
            "answered question without a summary",
            "s2.yaml:6:5",
            "question `q-three`",
        ],
    );
}

#[test]
fn dangling_cross_reference() {
    let s1 = S1.replace(
        "      The number one.",
        "      The number one.\n      See [two](q:q-two) and [nine](q:q-nine).",
    );
    expect(
        &[("sections/s1.yaml", s1.as_bytes())],
        1,
        &[
            "link to unknown question `q-nine`",
            "s1.yaml:9:30",
            "question `q-one`",
        ],
    );
}

#[test]
fn unknown_code_language_is_a_warning() {
    let s1 = S1.replace(
        "      The number one.",
        "      The number one.\n\n      ```klingon\n      x\n      ```",
    );
    expect(
        &[("sections/s1.yaml", s1.as_bytes())],
        0,
        &[
            "unknown code language `klingon`",
            "s1.yaml:10:7",
            "question `q-one`",
        ],
    );
}

#[test]
fn image_path_leaving_the_bank() {
    let s1 = S1.replace("      The number one.", "      ![secret](../secret.png)");
    expect(
        &[("sections/s1.yaml", s1.as_bytes())],
        1,
        &[
            "image path `../secret.png` leaves the bank folder",
            "s1.yaml:8:7",
        ],
    );
}

#[test]
fn question_must_be_one_paragraph() {
    let s2 = S2.replace(
        "question: What is three?",
        "question: \"What is three?\\n\\nAnd four?\"",
    );
    expect(
        &[("sections/s2.yaml", s2.as_bytes())],
        1,
        &["single paragraph", "s2.yaml:5:15", "question `q-three`"],
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let s1 = S1.replace("    summary: One.", "    sumary: One.");
    let s2 = S2.replace("id: q-three", "id: q-one");
    let b = BANK.replace("[s1, s2]", "[s1, s2, s3]");
    let dir = bank(&[
        ("sections/s1.yaml", s1.as_bytes()),
        ("sections/s2.yaml", s2.as_bytes()),
        ("bank.yaml", b.as_bytes()),
    ]);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1);
    for piece in [
        "unknown key `sumary`",
        "duplicate question id",
        "sections/s3.yaml does not exist",
        "4 error(s)",
    ] {
        assert!(stderr.contains(piece), "missing {piece:?} in:\n{stderr}");
    }
}

#[test]
fn failed_build_leaves_dist_untouched() {
    let dir = bank(&[]);
    // Beside the bank, never inside it.
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("dist");
    let build = |bank: &Path| {
        Command::cargo_bin("qbank")
            .unwrap()
            .args(["build", "--bank"])
            .arg(bank)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(build(dir.path()).status.success());
    let json = out.join("json/mini.json");
    let before = std::fs::read(&json).unwrap();

    let broken = S2.replace("id: q-three", "id: q-one");
    std::fs::write(dir.path().join("sections/s2.yaml"), broken).unwrap();
    let failed = build(dir.path());
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("nothing was written"));
    assert_eq!(std::fs::read(&json).unwrap(), before);
    // No staging leftovers.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, vec!["anki", "epub", "json", "print"]);
}

#[test]
fn environment_problems_point_into_bank_yaml() {
    let b = format!(
        "{BANK}environments:\n  django:\n    kind: python\n    requirements: [Django>=5]\n    djnago: config.settings\n"
    );
    expect(
        &[("bank.yaml", b.as_bytes())],
        1,
        &[
            "requirement `Django>=5` is not pinned",
            "bank.yaml:11:20",
            "unknown key `djnago`",
            "did you mean `django`?",
            "bank.yaml:12:5",
        ],
    );
}

#[test]
fn removed_lists_a_live_question() {
    let bank_yaml = format!("{BANK}removed:\n  q-two: Merged.\n  gone-one: Outdated.\n");
    expect(
        &[("bank.yaml", bank_yaml.as_bytes())],
        1,
        &[
            "`removed:` lists `q-two`, which is still a question of the bank",
            "bank.yaml:9:",
        ],
    );
}

#[test]
fn changelog_links_to_an_unknown_question() {
    let bank_yaml = format!("{BANK}changelog:\n  1.0.0: See [this](q:no-such-question).\n");
    expect(
        &[("bank.yaml", bank_yaml.as_bytes())],
        1,
        &["no-such-question", "bank.yaml:9:"],
    );
}
