//! `qbank import markdown`: fixtures with every construct, refusal to overwrite a bank, and
//! the command line end to end. Every input is a fixture in this repository (nothing is read
//! from outside it); the shipped bank's own round trip is in tests/export.rs.

mod common;

use std::path::{Path, PathBuf};

use common::{qbank, repo};
use qbank::import::{self, ImportOptions};
use qbank::model::{Bank, Question};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

/// Opens a bank and fails on any diagnostic.
fn open_clean(dir: &Path) -> Bank {
    let project = qbank::Project::open(dir);
    let problems: Vec<String> = project
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    project.bank
}

fn question<'a>(bank: &'a Bank, id: &str) -> &'a Question {
    bank.questions()
        .map(|(_, q)| q)
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question `{id}`"))
}

fn answer<'a>(bank: &'a Bank, id: &str) -> &'a str {
    question(bank, id)
        .answer
        .as_deref()
        .unwrap_or_else(|| panic!("`{id}` has no answer"))
}

// The shipped bank's round trip (export content/ to Markdown, import it back: 2 parts, 25
// sections, 421 questions, the same texts in order) is in tests/export.rs.

/// Indented Python, tagged `python norun` on request, compiles: `check --run-examples`
/// passes, so marking imported Python `norun` is safe. Also: code written right under a line
/// of text (no blank line) is split off and merged with the indented block after it, and
/// `<b>…</b>` becomes bold.
#[test]
fn indented_python_becomes_norun_and_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    let options = ImportOptions {
        code_language: Some("python".into()),
    };
    let report = import::markdown_with(&fixture("indented-python.md"), &out, &options).unwrap();
    assert_eq!(
        (
            report.parts,
            report.sections,
            report.questions,
            report.answered
        ),
        (1, 1, 2, 2)
    );
    assert_eq!(report.python_norun, 2);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let bank = open_clean(&out);
    assert_eq!(bank.meta.title, "Python Notes");
    let args = answer(&bank, "args-and-kwargs-collect");
    assert_eq!(
        args,
        "**1. \\*args**\nExtra positional arguments, as a tuple. For example:\n\n\
         ```python norun\ndef total(*args):\n    return sum(args)\n\n\
         print(total(1, 2, 3))  # 6\n```\n\n\
         **2. \\*\\*kwargs** collects extra keyword arguments, as a dict.\n"
    );
    assert_eq!(
        question(&bank, "args-and-kwargs-collect")
            .summary
            .as_deref(),
        Some("Extra positional arguments, as a tuple.")
    );
    assert!(
        answer(&bank, "copy-a-list").contains("```python norun\noriginal = [[1], 2]\n"),
        "{}",
        answer(&bank, "copy-a-list")
    );
    qbank()
        .args(["check", "--run-examples", "--deny-warnings", "--bank"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "examples: 0 ran, 2 checked, 0 skipped",
        ));
}

#[test]
fn fixture_covers_headings_lists_nesting_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    let report = import::markdown(&fixture("mixed.md"), &out).unwrap();
    assert_eq!(
        (
            report.parts,
            report.sections,
            report.questions,
            report.answered
        ),
        (2, 4, 9, 6)
    );
    assert_eq!(report.bank_id, "web-interview-notes");
    assert_eq!(report.python_norun, 1);
    assert_eq!(
        report.warnings,
        ["line 3: text outside any question (before the first one of its section); left out"]
    );

    let bank = open_clean(&out);
    assert_eq!(bank.meta.id, "web-interview-notes");
    let parts: Vec<(&str, Vec<&str>)> = bank
        .parts
        .iter()
        .map(|p| {
            (
                p.title.as_str(),
                p.sections.iter().map(|s| s.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("Web Interview Notes", vec!["python-basics", "http"]),
            ("Databases", vec!["sql", "tight-lists"]),
        ]
    );
    let ids: Vec<&str> = bank.questions().map(|(_, q)| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "list-comprehension",
            "list-comprehension-2",
            "get-do",
            "post-do",
            "is-this-one-unanswered",
            "index",
            "transaction",
            "rest",
            "grpc",
        ]
    );

    // A numbered list inside a heading question's answer stays in the answer.
    let lc = answer(&bank, "list-comprehension");
    assert_eq!(
        lc,
        "A list comprehension builds a list in one expression. It is shorter than a loop.\n\n\
         ```text\nsquares = [n * n for n in range(5)]\n```\n\n\
         Steps to write one:\n\n\
         1. Start with the expression.\n2. Add the `for` clause.\n3. Add an optional `if`.\n"
    );
    assert_eq!(
        question(&bank, "list-comprehension").summary.as_deref(),
        Some("A list comprehension builds a list in one expression.")
    );
    // `)` numbering, Python made `norun`, `output` made plain text.
    assert_eq!(
        question(&bank, "list-comprehension-2").question,
        "What is a list comprehension?"
    );
    let lc2 = answer(&bank, "list-comprehension-2");
    assert!(
        lc2.contains(
            "```python norun\nprint([n for n in range(3)])\n```\n\n```text\n[0, 1, 2]\n```"
        ),
        "{lc2}"
    );
    // Nested content of a numbered item is its answer, outdented, nested list included.
    let get = question(&bank, "get-do");
    assert_eq!(get.question, "What does `GET` do?");
    assert_eq!(
        get.answer.as_deref(),
        Some(
            "It **reads** a resource without changing it. Safe and idempotent.\n\n\
             ```bash\ncurl -i https://example.com/\n```\n\n\
             1. nested step one\n2. nested step two\n"
        )
    );
    assert_eq!(
        get.summary.as_deref(),
        Some("It **reads** a resource without changing it.")
    );
    assert!(!question(&bank, "is-this-one-unanswered").is_answered());
    // Text after a list, not indented, still answers the item before it; the list that
    // numbers on is more questions.
    assert_eq!(
        answer(&bank, "index"),
        "An index is a sorted structure that makes lookups fast. This answer is not indented.\n"
    );
    assert!(!question(&bank, "transaction").is_answered());
    // A tight item's nested list is its answer.
    assert_eq!(answer(&bank, "rest"), "- resources\n- verbs\n");
    assert_eq!(
        question(&bank, "rest").summary.as_deref(),
        Some("resources")
    );
}

#[test]
fn images_are_copied_and_links_kept_valid() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    let report = import::markdown(&fixture("with-image/notes.md"), &out).unwrap();
    assert!(out.join("img/diagram.png").is_file());
    assert!(report.files.contains(&out.join("img/diagram.png")));
    assert_eq!(
        report.warnings,
        [
            "line 11: link to `design.md` kept as plain text (a bank links only to http(s):// and \
          mailto: addresses, and shows only images inside its folder)"
        ]
    );
    let bank = open_clean(&out);
    assert_eq!(
        answer(&bank, "services-talk-to-each-other"),
        "Through a queue, as the diagram shows.\n\n\
         ![Services and the queue](img/diagram.png)\n\n\
         See the design doc and [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110).\n"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Whatever the Markdown, the bank written is one `qbank check` accepts.
    #[test]
    fn any_markdown_becomes_a_bank_without_errors(
        tokens in proptest::collection::vec(
            proptest::sample::select(vec![
                "# ", "## ", "### 3) ", "1. ", "2. ", "10. ", "- ", "> ", "   ", "    ", "\t",
                "\n", "\n\n", "```py\n", "```\n", "~~~", "<b>", "</b>", "<i>", "</i>",
                "<code>", "</code>", "<br>", "<!-- c -->", "*", "`", "_", "é", "What is it?",
                "Text. More", "e.g.", "---", "|a|b|\n|-|-|\n", "'", "\"", ": ", "#",
                "[l](x.md)", "[w](https://e.com)", "![i](i.png)", "[r][d]", "\n[d]: https://d.e\n",
                "&amp;", "\\", "2019. ", "+ ", "***", "\n1. What is it?\n", "\n## 4. Why?\n",
                "\n2. How?\n\n   Because. ", "\n# Part\n", "\n## Section\n", "42",
            ]),
            0..80,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let md = dir.path().join("list.md");
        std::fs::write(&md, tokens.concat()).unwrap();
        let out = dir.path().join("bank");
        if import::markdown(&md, &out).is_ok() {
            let project = qbank::Project::open(&out);
            let errors: Vec<String> = project
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{d:?}"))
                .collect();
            proptest::prop_assert!(errors.is_empty(), "{}\n---\n{}", tokens.concat(), errors.join("\n"));
        }
    }
}

#[test]
fn importing_into_an_existing_bank_fails_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    import::markdown(&fixture("small.md"), &out).unwrap();
    let before = std::fs::read_to_string(out.join("bank.yaml")).unwrap();
    let err = import::markdown(&fixture("mixed.md"), &out).unwrap_err();
    assert!(
        err.to_string().contains("already holds a bank"),
        "unexpected error: {err:#}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("bank.yaml")).unwrap(),
        before
    );
    assert!(!out.join("sections/http.yaml").exists());
}

#[test]
fn importing_into_a_folder_with_a_clashing_section_fails_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    std::fs::create_dir_all(out.join("sections")).unwrap();
    std::fs::write(out.join("sections/basics.yaml"), "mine").unwrap();
    let err = import::markdown(&fixture("small.md"), &out).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err:#}");
    assert!(!out.join("bank.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("sections/basics.yaml")).unwrap(),
        "mine"
    );
}

#[test]
fn a_file_without_questions_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("notes.md");
    std::fs::write(&md, "# Notes\n\nJust prose.\n").unwrap();
    let err = import::markdown(&md, &dir.path().join("bank")).unwrap_err();
    assert!(err.to_string().contains("found no questions"), "{err:#}");
    assert!(!dir.path().join("bank").exists());
}

#[test]
fn cli_imports_then_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("my-bank");
    qbank()
        .args(["import", "markdown"])
        .arg(fixture("small.md"))
        .arg("--into")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "imported 2 questions (1 with answers) in 1 sections and 1 parts",
        ));
    qbank()
        .args(["check", "--bank"])
        .arg(&out)
        .assert()
        .success();
    let bank = open_clean(&out);
    assert_eq!(bank.meta.title, "Small Bank");
    assert_eq!(
        question(&bank, "variable").summary.as_deref(),
        Some("A name bound to a value.")
    );
    // A second import into the same folder is refused with exit code 1.
    qbank()
        .args(["import", "markdown"])
        .arg(fixture("small.md"))
        .arg("--into")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already holds a bank"));
}

/// Images that are symlinks leading out of the Markdown file's folder (to a file, or through a
/// symlinked folder) are never read: they are refused with a warning, and nothing they point
/// at reaches the bank. A symlink staying inside the folder is fine.
#[cfg(unix)]
#[test]
fn images_never_lead_out_of_the_markdown_folder() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(outside.join("secrets")).unwrap();
    std::fs::write(outside.join("passwd"), "SECRET").unwrap();
    std::fs::write(outside.join("secrets/x.png"), "SECRET").unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(notes.join("img")).unwrap();
    std::fs::copy(
        fixture("with-image/img/diagram.png"),
        notes.join("img/diagram.png"),
    )
    .unwrap();
    symlink(outside.join("passwd"), notes.join("pw.png")).unwrap();
    symlink(outside.join("secrets"), notes.join("linked")).unwrap();
    symlink("img/diagram.png", notes.join("alias.png")).unwrap();
    let md = notes.join("notes.md");
    std::fs::write(
        &md,
        "1. What is in the picture?\n\n   ![pw](pw.png) ![x](linked/x.png) ![ok](alias.png)\n",
    )
    .unwrap();
    let out = dir.path().join("bank");
    let report = import::markdown(&md, &out).unwrap();
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("`pw.png`"),
        "{:?}",
        report.warnings
    );
    assert!(
        report.warnings[1].contains("`linked/x.png`"),
        "{:?}",
        report.warnings
    );
    assert!(!out.join("pw.png").exists() && !out.join("linked").exists());
    assert!(out.join("alias.png").is_file());
    let bank = open_clean(&out);
    let answer = bank.questions().next().unwrap().1.answer.clone().unwrap();
    assert_eq!(answer, "pw x ![ok](alias.png)\n");
    // Nothing read from outside the folder is anywhere in the bank.
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                assert!(
                    !std::fs::read(&path)
                        .unwrap()
                        .windows(6)
                        .any(|w| w == b"SECRET"),
                    "{}",
                    path.display()
                );
            }
        }
    }
}
