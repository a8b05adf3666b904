//! `qbank export`: Markdown that `qbank import markdown` reads and that reads back exactly,
//! Anki CSV whose notes the real Anki updates in place, refusal of a bank with errors, and
//! atomic writes.

mod common;

use std::path::{Path, PathBuf};

use common::roundtrip::{rendered, texts};
use common::{client_python, content, copy_of_content, qbank, repo};

/// Opens a bank and fails on any error.
fn open_clean(dir: &Path) -> qbank::Project {
    let project = qbank::Project::open(dir);
    let errors: Vec<String> = project
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    project
}

/// `qbank export FORMAT --bank BANK -o OUT`, which must succeed.
fn export(format: &str, bank: &Path, out: &Path) -> String {
    qbank()
        .args(["export", format, "--bank"])
        .arg(bank)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

/// `qbank import markdown MD --into INTO`, which must succeed; returns what it printed.
fn import(md: &Path, into: &Path) -> String {
    let out = qbank()
        .args(["import", "markdown"])
        .arg(md)
        .arg("--into")
        .arg(into)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// content/ exported to Markdown and imported back is the same bank: every id, title, level,
/// tag, summary and answer, and the same rendered model. The example environments are not
/// part of the export (their folders are not Markdown), so the test copies them across, as
/// the README tells an author to.
#[test]
fn markdown_export_imports_back_as_the_same_bank() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("bank.md");
    let text = export("markdown", &content(), &md);
    let back = dir.path().join("back");
    let said = import(&md, &back);
    assert!(
        said.contains("imported 421 questions (421 with answers) in 25 sections and 2 parts"),
        "{said}"
    );
    assert!(
        said.contains("declare `django`, `django-mariadb` under `environments:`"),
        "{said}"
    );
    let bank_yaml = std::fs::read_to_string(content().join("bank.yaml")).unwrap();
    let environments = &bank_yaml[bank_yaml.find("\nenvironments:").unwrap()..];
    let imported_yaml = back.join("bank.yaml");
    let mut yaml = std::fs::read_to_string(&imported_yaml).unwrap();
    yaml.push_str(environments);
    std::fs::write(&imported_yaml, yaml).unwrap();
    copy_dir(&content().join("examples"), &back.join("examples"));

    let original = open_clean(&content());
    let imported = open_clean(&back);
    assert_eq!(texts(&imported.bank), texts(&original.bank));
    assert_eq!(rendered(&imported), rendered(&original));
    // The shape, as the README shows it.
    assert!(text.starts_with(
        "# Python, Django, REST API & MySQL Interview Questions {#python-django-interview}\n\n"
    ));
    assert!(text.contains(
        "\n## Python Core {#python-core}\n\n\
         ### 1. What does \"everything is an object\" mean in Python? {#everything-is-an-object}\n\n\
         `level: junior` · `tags: [data-model, cpython]`\n\n> Every value"
    ));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const EDGE_BANK: &str = "\
id: edge
title: 'Edge cases: C# #'
subtitle: A *small* bank
language: pt-BR
authors: ['O''Brien, Jane', '1.0']
description: |
  > Starts with a quote.

  Two paragraphs.
version: '2.0'
parts:
  - title: 'Part #'
    sections: [s1]
  - title: '2019. A numbered part'
    sections: [s2]
";

const EDGE_S1: &str = "\
id: s1
title: 'Section `one`'
questions:
  - id: plain
    question: |
      A question written
      over two lines?
    summary: |
      First line of the summary,

      and a second paragraph.
    answer: |
      > An answer that starts with a quote.

      1. A numbered list
      2. stays in the answer

      ### A heading of its own

      ```python norun
      # not a heading
      print(\"x\")
      ```

      See [the other one](q:tagged) and ![a picture](<images/pic one.png>).
  - id: unanswered
    question: Nobody answered `{this}` yet {really}?
    level: senior
  - id: summary-only
    question: Only a summary?
    tags: [a, '1']
    summary: A summary, no answer yet.
";

const EDGE_S2: &str = "\
id: s2
title: Two
questions:
  - id: tagged
    question: '`code` first?'
    level: mid
    tags: [x-y]
    summary: Yes.
    answer: |
      Done.
";

/// Corners of the shape: quotes where a summary or subtitle would be, multi-line questions,
/// braces and backticks in text, a part title ending in `#`, values YAML would misread, a
/// heading and a `#` line inside an answer, a cross-reference and an image. Exported into the
/// bank's own folder, the image comes along; exported elsewhere, it becomes its text.
#[test]
fn markdown_export_imports_back_exactly_on_edge_cases() {
    let dir = tempfile::tempdir().unwrap();
    let bank_dir = dir.path().join("edge");
    for (name, text) in [
        ("bank.yaml", EDGE_BANK),
        ("sections/s1.yaml", EDGE_S1),
        ("sections/s2.yaml", EDGE_S2),
    ] {
        let path = bank_dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(bank_dir.join("images")).unwrap();
    std::fs::write(bank_dir.join("images/pic one.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let original = open_clean(&bank_dir);
    let md = export("markdown", &bank_dir, &bank_dir.join("edge.md"));
    assert!(md.starts_with("# Edge cases: C# \\# {#edge}\n"), "{md}");
    assert!(md.contains("\n# Part \\# {.part}\n"), "{md}");
    assert!(
        md.contains(
            "`version: \"2.0\"` · `language: pt-BR` · `authors: [\"O'Brien, Jane\", \"1.0\"]`"
        ),
        "{md}"
    );
    assert!(md.contains("\n### 2. Nobody answered `{this}` yet {really}? {#unanswered}\n\n`level: senior`\n\n### 3."), "{md}");

    let back = dir.path().join("back");
    let said = import(&bank_dir.join("edge.md"), &back);
    assert!(!said.contains("warning"), "{said}");
    let imported = open_clean(&back);
    assert_eq!(texts(&imported.bank), texts(&original.bank));
    assert_eq!(rendered(&imported), rendered(&original));
    assert!(back.join("images/pic one.png").is_file());

    // From another folder the image is not there to copy: it is reduced to its text.
    let elsewhere = dir.path().join("elsewhere.md");
    std::fs::copy(bank_dir.join("edge.md"), &elsewhere).unwrap();
    let back2 = dir.path().join("back2");
    let said = import(&elsewhere, &back2);
    assert!(
        said.contains("image `images/pic one.png` kept as plain text"),
        "{said}"
    );
    let imported = open_clean(&back2).bank;
    let answer = imported
        .questions()
        .next()
        .unwrap()
        .1
        .answer
        .clone()
        .unwrap();
    assert!(
        answer.contains("See [the other one](q:tagged) and a picture."),
        "{answer}"
    );
}

/// An export with a broken metadata line or an id used twice is refused with every problem at
/// its line, and nothing is written.
#[test]
fn a_broken_export_is_refused_at_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("bad.md");
    std::fs::write(
        &md,
        "# Bank {#b}\n\n`version: 1.0.0` · `language: en`\n\n# Part\n\n## S {#s}\n\n\
         ### 1. One? {#one}\n\n`level: expert`\n\n> Yes.\n\nBecause.\n\n\
         ### 2. Two? {#one}\n\n> Yes.\n\nAgain.\n",
    )
    .unwrap();
    let back = dir.path().join("back");
    qbank()
        .args(["import", "markdown"])
        .arg(&md)
        .arg("--into")
        .arg(&back)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "bad.md:9: in the metadata line: level: unknown variant `expert`",
        ))
        .stderr(predicates::str::contains(
            "bad.md:17: the id `one` is used twice",
        ));
    assert!(!back.exists());
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_export_is_anki_text_import_with_one_record_per_answered_question() {
    let dir = tempfile::tempdir().unwrap();
    let csv = export("csv", &content(), &dir.path().join("bank.csv"));
    let header: Vec<&str> = csv.lines().take_while(|l| l.starts_with('#')).collect();
    assert_eq!(
        header,
        [
            "#separator:tab",
            "#html:true",
            "#columns:GUID\tQuestion\tSummary\tAnswer\tSection\tId\tLevel\tDeck\tTags\tNotetype",
            "#guid column:1",
            "#deck column:8",
            "#tags column:9",
            "#notetype column:10",
            "#notetype name:qbank: Python, Django, REST API & MySQL Interview Questions (v1)",
            "#if matches:update current",
        ]
    );
    let records: Vec<&str> = csv
        .split("\n\"qb")
        .skip(1)
        .map(|r| r.trim_end_matches('\n'))
        .collect();
    assert_eq!(records.len(), 421);
    let first = records[0];
    assert!(first.starts_with(&format!(
        "{}\"\t\"What does \"\"everything is an object\"\" mean in Python?\"\t\"<p>Every value",
        &qbank::render::anki::note_guid("python-django-interview", "everything-is-an-object")[2..]
    )));
    assert!(first.ends_with(
        "\"\t\"Python Core\"\t\"everything-is-an-object\"\t\"junior\"\t\
         \"Python, Django, REST API & MySQL Interview Questions::Python Core\"\t\
         \"qbank::level::junior qbank::section::python-core qbank::tag::cpython qbank::tag::data-model\"\t\"1677092959358170\""
    ));
}

/// The official Anki library imports the CSV over the `.apkg` notes: matched by GUID,
/// updated in place, exactly the changed note (tests/clients/anki_csv_verify.py).
#[test]
fn real_anki_updates_apkg_notes_from_the_csv() {
    let python = client_python();
    let work = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/clients/anki_csv_verify.py"))
        .arg(assert_cmd::cargo::cargo_bin("qbank"))
        .arg(content())
        .arg(work.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "Anki CSV verification failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"));
}

// ---------------------------------------------------------------------------------------------
// Like `build`: errors refuse, writes are whole.

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_bank_with_errors_is_refused_and_nothing_is_written() {
    let work = copy_of_content();
    let bank = work.path().join("content");
    // Two problems in two files: every one is printed, as `build` does.
    let edit = |file: &str, from: &str, to: &str| {
        let path = bank.join("sections").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("python-core.yaml", "    summary:", "    sumary:");
    edit(
        "django-orm.yaml",
        "](q:when-to-use-raw-sql)",
        "](q:no-such-question)",
    );
    let out_dir = tempfile::tempdir().unwrap();
    for format in ["markdown", "csv"] {
        let target = out_dir.path().join(format!("previous.{format}"));
        std::fs::write(&target, "the previous export\n").unwrap();
        qbank()
            .args(["--color", "never", "export", format, "--bank"])
            .arg(&bank)
            .arg("-o")
            .arg(&target)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("unknown key `sumary`"))
            .stderr(predicates::str::contains("no-such-question"))
            .stderr(predicates::str::contains(format!(
                "problem(s) in {}; nothing was written to {}",
                bank.display(),
                target.display()
            )));
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "the previous export\n"
        );
        // stdout stays empty too.
        qbank()
            .args(["export", format, "--bank"])
            .arg(&bank)
            .assert()
            .code(1)
            .stdout("");
    }
    assert_eq!(
        files_in(out_dir.path()),
        ["previous.csv", "previous.markdown"]
    );
}

#[cfg(unix)]
#[test]
fn an_existing_file_is_replaced_whole_keeping_its_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let target: PathBuf = dir.path().join("bank.md");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let md = export("markdown", &content(), &target);
    assert!(md.starts_with("# Python, Django"));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new file gets ordinary permissions, not a temporary file's 0600.
    let fresh = dir.path().join("new.csv");
    export("csv", &content(), &fresh);
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode, 0o600);
    assert!(mode & 0o044 != 0, "{mode:o}");
    // Nothing else is left beside them.
    assert_eq!(files_in(dir.path()), ["bank.md", "new.csv"]);
}

#[test]
fn stdout_by_default() {
    let out = qbank()
        .args(["export", "markdown"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        md,
        export("markdown", &content(), &dir.path().join("bank.md"))
    );
    qbank()
        .args(["export", "csv"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("#separator:tab\n#html:true\n"));
}
