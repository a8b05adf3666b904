//! Authoring: init, add, the JSON Schemas (checked by a real validator), watch, completions.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{client_python, content, qbank, repo};

#[test]
fn committed_schemas_match_the_model() {
    let (bank, section) = qbank::model::files::schemas();
    let read = |name: &str| std::fs::read_to_string(content().join("schema").join(name)).unwrap();
    assert_eq!(
        read("bank.schema.json"),
        bank,
        "run `qbank schema` and commit content/schema"
    );
    assert_eq!(
        read("section.schema.json"),
        section,
        "run `qbank schema` and commit content/schema"
    );
}

#[test]
fn schema_accepts_the_bank_and_flags_a_typo() {
    let python = client_python();
    let schema_dir = content().join("schema");
    let sections: Vec<_> = std::fs::read_dir(content().join("sections"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let validate = |schema: &str, files: &[std::path::PathBuf]| {
        Command::new(&python)
            .arg(repo().join("tests/clients/schema_validate.py"))
            .arg(schema_dir.join(schema))
            .args(files)
            .output()
            .unwrap()
    };
    let ok = validate("section.schema.json", &sections);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let ok = validate("bank.schema.json", &[content().join("bank.yaml")]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let work = tempfile::tempdir().unwrap();
    let typo = work.path().join("typo.yaml");
    let text = std::fs::read_to_string(content().join("sections/python-core.yaml")).unwrap();
    std::fs::write(&typo, text.replacen("    summary:", "    sumary:", 1)).unwrap();
    let bad = validate("section.schema.json", &[typo]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).contains("sumary"));
}

#[test]
fn init_creates_a_bank_that_checks_and_builds() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank()
        .args(["init"])
        .arg(&dir)
        .args(["--title", "Rust Interview"])
        .assert()
        .success();
    qbank()
        .args(["check", "--run-examples", "--deny-warnings", "--bank"])
        .arg(&dir)
        .assert()
        .success();
    qbank()
        .args(["-q", "build", "--bank"])
        .arg(&dir)
        .arg("--out")
        .arg(work.path().join("dist"))
        .assert()
        .success();
    assert!(work.path().join("dist/anki/rust-interview.apkg").exists());
    assert!(
        work.path()
            .join("dist/print/rust-interview-cheatsheet.html")
            .exists()
    );
    // Its files name their schema for editors, and the schema is there.
    let section = std::fs::read_to_string(dir.join("sections/basics.yaml")).unwrap();
    assert!(section.starts_with("# yaml-language-server: $schema=../schema/section.schema.json"));
    assert!(dir.join("schema/section.schema.json").exists());
    // A second init into the same folder refuses.
    qbank().args(["init"]).arg(&dir).assert().code(1);
}

#[test]
fn init_starts_a_bank_in_the_language_asked_for() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank()
        .args(["init", "--language", "de", "--title", "Datenbanken"])
        .arg(&dir)
        .assert()
        .success();
    let yaml = std::fs::read_to_string(dir.join("bank.yaml")).unwrap();
    assert!(yaml.contains("\nlanguage: de  # "), "{yaml}");
    let out = work.path().join("dist");
    qbank()
        .args(["-q", "build", "--format", "print", "--bank"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let book = std::fs::read_to_string(out.join("print/datenbanken.html")).unwrap();
    assert!(book.contains("<html lang=\"de\"") && book.contains(">Inhalt<"));

    // A language qbank has no strings for is allowed, with a note; a malformed tag is refused
    // before anything is written.
    let sw = qbank()
        .args(["init", "--language", "sw"])
        .arg(work.path().join("sw"))
        .output()
        .unwrap();
    assert!(sw.status.success());
    assert!(String::from_utf8_lossy(&sw.stderr).contains("no strings in `sw`"));
    let bad = work.path().join("bad");
    let out = qbank()
        .args(["init", "--language", "german"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`german` is not a language tag"));
    assert!(!bad.exists());
}

#[test]
fn add_appends_a_question_with_a_fresh_id() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank().arg("init").arg(&dir).assert().success();
    let add = |q: &str| {
        let out = qbank()
            .args(["add", "--section", "basics", "--bank"])
            .arg(&dir)
            .arg(q)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(add("What is a set comprehension?"), "set-comprehension");
    assert_eq!(add("What is a set comprehension?"), "set-comprehension-2");
    let out = qbank()
        .args(["check", "--bank"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("4 questions (2 answered, 2 unanswered)")
    );
    qbank()
        .args(["add", "--section", "nope", "--bank"])
        .arg(&dir)
        .arg("Q?")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no section `nope`"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = qbank().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("qbank"));
    }
    let man = qbank().arg("man").output().unwrap();
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH qbank 1"));
}

/// Reads the child's stderr until a line contains `needle`, or panics after `secs`.
fn wait_for(lines: &std::sync::mpsc::Receiver<String>, needle: &str, secs: u64) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                return seen;
            }
        }
    }
    panic!(
        "timed out waiting for {needle:?}; saw:\n{}",
        seen.join("\n")
    );
}

#[test]
fn watch_rebuilds_survives_a_broken_edit_and_stops_on_ctrl_c() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank().arg("init").arg(&dir).assert().success();
    let out = work.path().join("dist");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("qbank"))
        .args(["--color", "never", "watch", "--format", "json", "--bank"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    wait_for(&rx, "waiting for changes", 60);
    let json = out.join("json/my-question-bank.json");
    assert!(
        std::fs::read_to_string(&json)
            .unwrap()
            .contains("list comprehension")
    );

    let section = dir.join("sections/basics.yaml");
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(
        &section,
        text.replace(
            "What does a list comprehension do?",
            "What does a list comprehension return?",
        ),
    )
    .unwrap();
    wait_for(&rx, "waiting for changes", 60);
    assert!(
        std::fs::read_to_string(&json)
            .unwrap()
            .contains("list comprehension return")
    );

    std::fs::write(&section, text.replace("    summary: >-", "    sumary: >-")).unwrap();
    let seen = wait_for(&rx, "still watching", 60);
    assert!(
        seen.iter().any(|l| l.contains("unknown key `sumary`")),
        "{seen:?}"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "watch exited on a broken edit"
    );

    // Ctrl-C: SIGINT to the process.
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "watch exited with {status}");
            break;
        }
        assert!(Instant::now() < deadline, "watch did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn init_never_overwrites_a_file() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    let mine = [
        "README.md",
        ".gitignore",
        "sections/basics.yaml",
        "schema/bank.schema.json",
    ];
    for name in mine {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine").unwrap();
    }
    let out = qbank().arg("init").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in mine {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
        assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), "mine");
    }
    // Nothing else was written either.
    assert!(!dir.join("bank.yaml").exists());
    assert!(!dir.join("schema/section.schema.json").exists());

    // A folder holding only unrelated files is fine, and they stay as they were.
    let other = work.path().join("other");
    std::fs::create_dir_all(other.join("sections")).unwrap();
    std::fs::write(other.join("notes.txt"), "keep").unwrap();
    std::fs::write(other.join("sections/draft.txt"), "keep").unwrap();
    qbank().arg("init").arg(&other).assert().success();
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).unwrap(),
        "keep"
    );
    assert_eq!(
        std::fs::read_to_string(other.join("sections/draft.txt")).unwrap(),
        "keep"
    );
    assert!(other.join("bank.yaml").is_file());

    // An empty folder too.
    let empty = work.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    qbank().arg("init").arg(&empty).assert().success();
}

/// `qbank add` in a fresh bank; returns the printed id, or the error.
fn add_to(dir: &std::path::Path, question: &str) -> Result<String, String> {
    let out = qbank()
        .args(["add", "--section", "basics", "--bank"])
        .arg(dir)
        .arg(question)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap().trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn questions_of(dir: &std::path::Path) -> Vec<qbank::model::Question> {
    let project = qbank::Project::open(dir);
    assert_eq!(project.error_count(), 0, "{:?}", project.diagnostics);
    project.bank.questions().map(|(_, q)| q.clone()).collect()
}

#[test]
fn add_quotes_ids_yaml_would_read_as_null_bool_or_number() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank().arg("init").arg(&dir).assert().success();
    // Every case is tried; the failures are reported together.
    let mut wrong = Vec::new();
    for (question, id) in [("Null?", "null"), ("True?", "true"), ("404?", "404")] {
        let added = add_to(&dir, question);
        let last = questions_of(&dir).pop().unwrap();
        if added.as_deref() != Ok(id)
            || (last.id.as_str(), last.question.as_str()) != (id, question)
        {
            wrong.push(format!("{question}: {added:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn add_keeps_unicode_line_separators_and_the_spaces_around_them() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank().arg("init").arg(&dir).assert().success();
    let mut wrong = Vec::new();
    for question in ["Is a \u{2028} b one line?", "Is c \u{85} d one line?"] {
        add_to(&dir, question).unwrap();
        let read = questions_of(&dir).pop().unwrap().question;
        if read != question {
            wrong.push((question, read));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn add_changes_nothing_but_the_appended_question() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bank");
    qbank().arg("init").arg(&dir).assert().success();
    let path = dir.join("sections/basics.yaml");
    // The last answer keeps its trailing line break (`|+`): a blank line appended after it
    // would become part of it. The file also ends without a comment's line break.
    let kept = "# yaml-language-server: $schema=../schema/section.schema.json\n\
                id: basics   # the section\n\
                title: Basics\n\
                questions:\n\
                \x20 - id: kept\n\
                \x20   question: Kept?\n\
                \x20   summary: Yes.\n\
                \x20   answer: |+\n\
                \x20     Keeps its line break.\n";
    for before in [kept.to_string(), format!("{kept}# the end")] {
        std::fs::write(&path, &before).unwrap();
        let answer_before = questions_of(&dir)[0].answer.clone();
        assert_eq!(answer_before.as_deref(), Some("Keeps its line break.\n"));
        let id = add_to(&dir, "What is new?").unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(&before), "{after}");
        let questions = questions_of(&dir);
        assert_eq!(questions[0].answer, answer_before, "{after}");
        assert_eq!(questions.len(), 2);
        assert_eq!(
            (questions[1].id.as_str(), questions[1].question.as_str()),
            (id.as_str(), "What is new?")
        );
    }
}
