//! `qbank export`: Markdown that `qbank import markdown` reads and that reads back exactly,
//! Anki CSV whose notes the real Anki updates in place, refusal of a bank with errors, and
//! atomic writes.

mod common;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use common::{client_python, content, copy_of_content, qbank, repo};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use qbank::model::{Bank, Level};

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

/// A question's text as a heading holds it: one line.
fn one_line(md: &str) -> String {
    md.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The intent: export content/ to Markdown and import it back. The current importer does
/// not read heading attributes yet, so each question's `{#id}` stays at the end of its text
/// and ids are minted from that text; everything else — parts, sections, questions, their
/// texts and order — comes back.
#[test]
fn markdown_export_imports_back_as_the_same_bank() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("bank.md");
    export("markdown", &content(), &md);
    let back = dir.path().join("back");
    qbank()
        .args(["import", "markdown"])
        .arg(&md)
        .arg("--into")
        .arg(&back)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "imported 421 questions (421 with answers) in 25 sections and 2 parts",
        ));
    // What was imported is a bank `qbank check` accepts.
    qbank()
        .args(["check", "--bank"])
        .arg(&back)
        .assert()
        .success();

    let original = open_clean(&content()).bank;
    let imported = open_clean(&back).bank;
    assert_eq!(imported.parts.len(), 2);
    assert_eq!(imported.sections().count(), 25);
    assert_eq!(imported.questions().count(), 421);
    let part_titles = |b: &Bank| b.parts.iter().map(|p| p.title.clone()).collect::<Vec<_>>();
    assert_eq!(part_titles(&imported), part_titles(&original));
    let sizes = |b: &Bank| b.sections().map(|s| s.questions.len()).collect::<Vec<_>>();
    assert_eq!(sizes(&imported), sizes(&original));
    let texts: Vec<String> = imported
        .questions()
        .map(|(_, q)| q.question.clone())
        .collect();
    let expected: Vec<String> = original
        .questions()
        .map(|(_, q)| format!("{} {{#{}}}", one_line(&q.question), q.id))
        .collect();
    assert_eq!(texts, expected);
}

// ---------------------------------------------------------------------------------------------
// Reading the export back exactly, as the README's "Export" section describes the shape: the
// reference for an importer that reads it.

#[derive(Debug, PartialEq)]
struct ReadBank {
    id: String,
    title: String,
    meta: HashMap<String, serde_norway::Value>,
    subtitle: Option<String>,
    description: Option<String>,
    parts: Vec<(String, Vec<ReadSection>)>,
}

#[derive(Debug, PartialEq)]
struct ReadSection {
    id: String,
    title: String,
    questions: Vec<ReadQuestion>,
}

#[derive(Debug, PartialEq)]
struct ReadQuestion {
    id: String,
    question: String,
    meta: HashMap<String, serde_norway::Value>,
    summary: Option<String>,
    answer: Option<String>,
}

/// A top-level block: its source range, and for a heading its level, id and text range.
struct Block {
    range: Range<usize>,
    heading: Option<(HeadingLevel, Option<String>, Range<usize>)>,
    quote: bool,
    /// The code spans of a paragraph made of code spans and separators only.
    meta: Option<Vec<String>>,
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current: Option<Block> = None;
    let mut only_code = true;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(md, options).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    only_code = true;
                    current = Some(Block {
                        range: range.clone(),
                        heading: match tag {
                            Tag::Heading { level, id, .. } => {
                                Some((*level, id.as_ref().map(|i| i.to_string()), 0..0))
                            }
                            _ => None,
                        },
                        quote: matches!(tag, Tag::BlockQuote(_)),
                        meta: matches!(tag, Tag::Paragraph).then(Vec::new),
                    });
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth -= 1;
                if depth == 0 {
                    let mut block = current.take().unwrap();
                    if !only_code {
                        block.meta = None;
                    }
                    if let (TagEnd::Heading(_), Some((_, id, text))) = (tag, &mut block.heading) {
                        // The heading's text: its line without the `#`s and the attribute.
                        let line = md[block.range.clone()].trim_end();
                        let start = block.range.start + line.find(' ').unwrap() + 1;
                        let end = match id {
                            Some(_) => line.rfind(" {").unwrap(),
                            None => line.len(),
                        };
                        *text = start..block.range.start + end;
                    }
                    out.push(block);
                }
            }
            Event::Code(text) if depth == 1 => {
                if let Some(meta) = current.as_mut().and_then(|b| b.meta.as_mut()) {
                    meta.push(text.to_string());
                }
            }
            Event::Text(text) if depth == 1 && text.trim() == "·" => {}
            _ if depth == 0 => out.push(Block {
                range,
                heading: None,
                quote: false,
                meta: None,
            }),
            _ => only_code = false,
        }
    }
    out
}

fn meta(spans: &[String]) -> HashMap<String, serde_norway::Value> {
    spans
        .iter()
        .map(|s| {
            let map: HashMap<String, serde_norway::Value> = serde_norway::from_str(s).unwrap();
            map.into_iter().next().unwrap()
        })
        .collect()
}

/// A heading text ending in ` #` is written with its first closing `#` escaped.
fn unescape_closing_hashes(text: &str) -> String {
    let head = text.trim_end_matches('#');
    match head.strip_suffix('\\') {
        Some(rest) if head.len() < text.len() && (rest.is_empty() || rest.ends_with(' ')) => {
            format!("{rest}{}", &text[head.len()..])
        }
        _ => text.to_string(),
    }
}

fn unquote(md: &str) -> String {
    md.lines()
        .map(|l| {
            l.strip_prefix("> ")
                .or_else(|| l.strip_prefix('>'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads an export: structure from headings, ids from their attributes, the rest by position.
fn read_export(md: &str) -> ReadBank {
    let blocks = blocks(md);
    let mut k = 0;
    let (level, id, text) = blocks[k].heading.clone().expect("the bank's title");
    assert_eq!(level, HeadingLevel::H1);
    let mut bank = ReadBank {
        id: id.expect("the bank's id"),
        title: unescape_closing_hashes(&md[text]),
        meta: meta(
            blocks[k + 1]
                .meta
                .as_ref()
                .expect("the bank's metadata line"),
        ),
        subtitle: None,
        description: None,
        parts: Vec::new(),
    };
    k += 2;
    // Up to the next block: the text between two blocks' starts, without the blank lines.
    let span = |from: usize, to: usize| {
        let end = blocks.get(to).map_or(md.len(), |b| b.range.start);
        md[blocks[from].range.start..end].trim_end().to_string()
    };
    if blocks[k].quote {
        bank.subtitle = Some(unquote(&span(k, k + 1)));
        k += 1;
    }
    let next_structure = |from: usize| {
        (from..blocks.len())
            .find(|&i| {
                blocks[i].heading.as_ref().is_some_and(|(level, id, _)| {
                    *level == HeadingLevel::H1 || (id.is_some() && *level <= HeadingLevel::H3)
                })
            })
            .unwrap_or(blocks.len())
    };
    let end = next_structure(k);
    if end > k {
        bank.description = Some(span(k, end));
    }
    k = end;
    while k < blocks.len() {
        let (level, id, text) = blocks[k].heading.clone().unwrap();
        let text = unescape_closing_hashes(&md[text]);
        match (level, id) {
            (HeadingLevel::H1, None) => bank.parts.push((text, Vec::new())),
            (HeadingLevel::H2, Some(id)) => bank.parts.last_mut().unwrap().1.push(ReadSection {
                id,
                title: text,
                questions: Vec::new(),
            }),
            (HeadingLevel::H3, Some(id)) => {
                let (number, question) = text.split_once(". ").unwrap();
                let section = bank.parts.last_mut().unwrap().1.last_mut().unwrap();
                assert_eq!(number, (section.questions.len() + 1).to_string());
                let mut q = ReadQuestion {
                    id,
                    question: question.to_string(),
                    meta: HashMap::new(),
                    summary: None,
                    answer: None,
                };
                let end = next_structure(k + 1);
                let mut i = k + 1;
                if i < end
                    && let Some(spans) = &blocks[i].meta
                {
                    q.meta = meta(spans);
                    i += 1;
                }
                if i < end && blocks[i].quote {
                    q.summary = Some(unquote(&span(i, i + 1)));
                    i += 1;
                }
                if i < end {
                    q.answer = Some(span(i, end));
                }
                section.questions.push(q);
                k = end;
                continue;
            }
            other => panic!("unexpected heading {other:?} {text}"),
        }
        k += 1;
    }
    bank
}

/// What the bank says, in the reader's terms.
fn expected(bank: &Bank) -> ReadBank {
    let value = |s: &str| serde_norway::Value::String(s.to_string());
    let list =
        |items: &[String]| serde_norway::Value::Sequence(items.iter().map(|s| value(s)).collect());
    let trimmed = |s: &Option<String>| s.as_ref().map(|s| s.trim_end().to_string());
    let mut meta = HashMap::from([
        ("version".to_string(), value(&bank.meta.version)),
        ("language".to_string(), value(&bank.meta.language)),
    ]);
    if !bank.meta.authors.is_empty() {
        meta.insert("authors".into(), list(&bank.meta.authors));
    }
    ReadBank {
        id: bank.meta.id.clone(),
        title: bank.meta.title.clone(),
        meta,
        subtitle: trimmed(&bank.meta.subtitle),
        description: trimmed(&bank.meta.description),
        parts: bank
            .parts
            .iter()
            .map(|p| {
                let sections = p
                    .sections
                    .iter()
                    .map(|s| ReadSection {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        questions: s
                            .questions
                            .iter()
                            .map(|q| {
                                let mut meta = HashMap::new();
                                if let Some(level) = q.level {
                                    let name = match level {
                                        Level::Junior => "junior",
                                        Level::Mid => "mid",
                                        Level::Senior => "senior",
                                    };
                                    meta.insert("level".to_string(), value(name));
                                }
                                if !q.tags.is_empty() {
                                    meta.insert("tags".to_string(), list(&q.tags));
                                }
                                ReadQuestion {
                                    id: q.id.clone(),
                                    question: one_line(&q.question),
                                    meta,
                                    summary: trimmed(&q.summary),
                                    answer: trimmed(&q.answer),
                                }
                            })
                            .collect(),
                    })
                    .collect();
                (p.title.clone(), sections)
            })
            .collect(),
    }
}

/// Every id, title, level, tag, summary and answer of content/ reads back from the export.
#[test]
fn markdown_export_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let md = export("markdown", &content(), &dir.path().join("bank.md"));
    let bank = open_clean(&content()).bank;
    let read = read_export(&md);
    let want = expected(&bank);
    assert_eq!(read.parts.len(), want.parts.len());
    for ((_, got), (_, want)) in read.parts.iter().zip(&want.parts) {
        for (got, want) in got.iter().zip(want) {
            for (got, want) in got.questions.iter().zip(&want.questions) {
                assert_eq!(got, want);
            }
        }
    }
    assert_eq!(read, want);
    // Headings as the brief asked for them.
    assert!(md.starts_with(
        "# Python, Django, REST API & MySQL Interview Questions {#python-django-interview}\n\n"
    ));
    assert!(md.contains(
        "\n## Python Core {#python-core}\n\n\
         ### 1. What does \"everything is an object\" mean in Python? {#everything-is-an-object}\n\n\
         `level: junior` · `tags: [data-model, cpython]`\n\n> Every value"
    ));
    // Code fences keep their info strings.
    assert!(md.contains("```python norun\n"));
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

      ```python norun
      print(\"x\")
      ```
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
/// braces and backticks in text, a part title ending in `#`, values YAML would misread.
#[test]
fn markdown_export_reads_back_exactly_on_edge_cases() {
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
    let bank = open_clean(&bank_dir).bank;
    let md = export("markdown", &bank_dir, &dir.path().join("edge.md"));
    assert_eq!(read_export(&md), expected(&bank), "{md}");
    assert!(md.starts_with("# Edge cases: C# \\# {#edge}\n"), "{md}");
    assert!(md.contains("\n# Part \\#\n"), "{md}");
    assert!(
        md.contains(
            "`version: \"2.0\"` · `language: pt-BR` · `authors: [\"O'Brien, Jane\", \"1.0\"]`"
        ),
        "{md}"
    );
    assert!(md.contains("\n### 2. Nobody answered `{this}` yet {really}? {#unanswered}\n\n`level: senior`\n\n### 3."), "{md}");
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
