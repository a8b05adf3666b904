//! `qbank build --format pdf`: the PDFs read back with poppler (pdftotext, pdfinfo), which
//! knows nothing of how qbank placed the numbers, and their outline with lopdf. Chromium and
//! poppler-utils are required: `./test.sh` installs them.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_of_content, mini, qbank};

const BANK: &str = "python-django-interview";

fn tool_output(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("`{tool}` is required for the PDF tests: {e}"));
    assert!(out.status.success(), "{tool} failed on {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of each page, as laid out (columns side by side), one string per page.
fn layout_pages(pdf: &Path) -> Vec<String> {
    let text = tool_output("pdftotext", &["-layout"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_count(pdf: &Path) -> usize {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

/// Letters and digits only: wrapping, spacing and ligatures never matter.
fn key(s: &str) -> String {
    s.replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The trailing page number of a contents line ("Title ..... 123").
fn trailing_number(line: &str) -> Option<u32> {
    line.split_whitespace().last()?.parse().ok()
}

#[test]
fn shipped_bank_prints_three_pdfs_with_true_page_numbers() {
    let work = copy_of_content();
    let out = work.path().join("dist");
    qbank()
        .env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["-q", "build", "--format", "pdf,json", "--bank"])
        .arg(work.path().join("content"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("json/{BANK}.json"))).unwrap())
            .unwrap();
    let book = out.join(format!("pdf/{BANK}.pdf"));
    let sheet = out.join(format!("pdf/{BANK}-cheatsheet.pdf"));
    let quiz = out.join(format!("pdf/{BANK}-quiz.pdf"));
    let (book_pages, sheet_pages, quiz_pages) =
        (page_count(&book), page_count(&sheet), page_count(&quiz));
    println!("pages: book {book_pages}, cheat sheet {sheet_pages}, quiz {quiz_pages}");
    assert!(book_pages <= 260, "the book has {book_pages} A4 pages");
    assert!(sheet_pages <= 11, "the cheat sheet has {sheet_pages} pages");
    assert!(info(&book).contains("Page size:       594.96 x 841.92 pts (A4)"));

    let title = model["meta"]["title"].as_str().unwrap();
    let book_info = info(&book);
    assert!(book_info.contains(&format!("Title:           {title}")));
    assert!(book_info.contains("Author:          qbank contributors"));
    assert!(book_info.contains("Creator:         qbank"));

    let pages = layout_pages(&book);
    assert_eq!(pages.len(), book_pages);
    // The contents: its pages carry "Contents" in the running head.
    let is_contents = |p: &str| {
        p.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("Contents"))
    };
    let toc: Vec<usize> = (0..pages.len())
        .filter(|&i| is_contents(&pages[i]))
        .collect();
    assert!(!toc.is_empty(), "no contents pages");
    let body_start = toc.last().unwrap() + 1;
    let toc_lines: Vec<&str> = toc.iter().flat_map(|&i| pages[i].lines()).collect();

    // Every section: its contents line ends with the page where its heading is.
    let parts = model["parts"].as_array().unwrap();
    let mut number = 0;
    let mut checked_questions = 0;
    for (pi, part) in parts.iter().enumerate() {
        let heading = format!("Part {}. {}", pi + 1, part["title"].as_str().unwrap());
        let line = toc_lines
            .iter()
            .find(|l| l.trim_start().starts_with(&heading))
            .unwrap_or_else(|| panic!("contents lack {heading}"));
        let page = trailing_number(line).expect("a page number") as usize;
        assert!(
            key(&pages[page - 1]).contains(&key(&heading)) && page > body_start,
            "{heading}: contents say p. {page}"
        );
        for s in part["sections"].as_array().unwrap() {
            let title = s["title"].as_str().unwrap();
            let count = s["questions"].as_array().unwrap().len();
            let entry = format!("{title} ({count} questions)");
            let line = toc_lines
                .iter()
                .find(|l| l.trim_start().starts_with(&entry))
                .unwrap_or_else(|| panic!("contents lack {entry}"));
            let page = trailing_number(line).expect("a page number") as usize;
            // The section starts there: the first page whose running head names it, and
            // its heading is on that page.
            let head = |i: usize| pages[i].lines().next().unwrap_or("").trim_end().to_string();
            let first = (body_start..pages.len())
                .find(|&i| head(i).ends_with(title))
                .map(|i| i + 1);
            assert!(
                key(&pages[page - 1].lines().skip(1).collect::<String>()).contains(&key(title)),
                "{title}: its heading is not on p. {page}"
            );
            assert_eq!(first, Some(page), "{title}: contents say p. {page}");
            for q in s["questions"].as_array().unwrap() {
                number += 1;
                let text = q["source"]["question"].as_str().unwrap();
                // Question entries sit two to a line; each is "N. text .... page".
                let prefix = format!("{number}. ");
                let Some(found) = toc_lines.iter().find_map(|l| {
                    let at = l.find(&prefix)?;
                    let rest = &l[at + prefix.len()..];
                    let entry = rest.split("   ").find(|x| !x.trim().is_empty())?;
                    let page: u32 = rest[entry.len()..]
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()?;
                    key(text).starts_with(&key(entry)).then_some(page)
                }) else {
                    continue; // wrapped onto two lines: checked through its section above
                };
                let start: String = key(text).chars().take(30).collect();
                let heading = format!("{number}{start}");
                assert!(
                    key(&pages[found as usize - 1]).contains(&heading),
                    "question {number} ({}): contents say p. {found}",
                    q["id"]
                );
                checked_questions += 1;
            }
        }
    }
    assert!(
        checked_questions * 10 >= number * 8,
        "only {checked_questions} of {number} question entries could be read"
    );

    // No question heading is the last line of a page.
    let headings: Vec<(usize, String)> = parts
        .iter()
        .flat_map(|p| p["sections"].as_array().unwrap())
        .flat_map(|s| s["questions"].as_array().unwrap())
        .enumerate()
        .map(|(i, q)| {
            (
                i + 1,
                key(&format!(
                    "{}. {}",
                    i + 1,
                    q["source"]["question"].as_str().unwrap()
                )),
            )
        })
        .collect();
    for (i, page) in pages.iter().enumerate().skip(body_start) {
        let mut lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        // The page number in the footer.
        if lines
            .last()
            .is_some_and(|l| l.trim().parse::<u32>().is_ok())
        {
            lines.pop();
        }
        let Some(last) = lines.last() else { continue };
        let last = key(last);
        for (n, heading) in &headings {
            assert!(
                last.len() < 12 || !heading.starts_with(&last) || !last.starts_with(&n.to_string()),
                "page {}: question {n}'s heading is the last line",
                i + 1
            );
        }
    }

    // The outline: part → section → question, every section in it.
    let outline = qbank::render::pdf::outline(&book).unwrap();
    let depth_of = |title: &str| {
        outline
            .iter()
            .find(|(_, t, _)| t == title)
            .map(|(d, _, _)| *d)
    };
    for (pi, part) in parts.iter().enumerate() {
        let heading = format!("Part {}. {}", pi + 1, part["title"].as_str().unwrap());
        let part_depth = depth_of(&heading).unwrap_or_else(|| panic!("outline lacks {heading}"));
        for s in part["sections"].as_array().unwrap() {
            let title = s["title"].as_str().unwrap();
            let depth = depth_of(title).unwrap_or_else(|| panic!("outline lacks {title}"));
            assert_eq!(depth, part_depth + 1, "{title} is not under {heading}");
        }
    }
    assert!(
        outline.len() > number,
        "the outline has {} entries for {number} questions",
        outline.len()
    );
}

const LONG: &str = "A paragraph long enough to fill a good part of a line, so that forty of \
                    them fill more than a page of the book.";

/// A small bank whose first question is long and refers to the last one, two pages on.
fn xref_bank(dir: &Path) {
    let mut answer = String::from("See [the last one](q:q-three) first.\n");
    for _ in 0..120 {
        answer.push_str(&format!("\n{LONG}\n"));
    }
    let indented: String = answer.lines().map(|l| format!("      {l}\n")).collect();
    let section = format!(
        "id: s1\ntitle: Section One\nquestions:\n  - id: q-one\n    question: What is one?\n    \
         summary: One.\n    answer: |\n{indented}  - id: q-two\n    question: What is two?\n    \
         summary: Two.\n    answer: Two.\n  - id: q-three\n    question: What is three?\n    \
         summary: Three, see [one](q:q-one).\n    answer: Three.\n"
    );
    mini::write_bank(dir, &[("sections/s1.yaml", &section)]);
}

#[test]
fn cross_references_print_number_and_page_and_rebuilds_are_byte_identical() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    xref_bank(&bank);
    let build = |out: &str| {
        let out = work.path().join(out);
        let (code, stderr) = mini::build(&bank, &out, &["--format", "pdf"]);
        assert_eq!(code, 0, "{stderr}");
        out.join("pdf")
    };
    let first = build("one");
    let second = build("two");
    for name in ["mini.pdf", "mini-cheatsheet.pdf", "mini-quiz.pdf"] {
        let a = std::fs::read(first.join(name)).unwrap();
        let b = std::fs::read(second.join(name)).unwrap();
        assert!(a == b, "{name} differs between two builds");
    }
    let book = first.join("mini.pdf");
    let pages = layout_pages(&book);
    let three = pages
        .iter()
        .position(|p| {
            p.contains("3. What is three?") && !p.lines().next().unwrap().contains("Contents")
        })
        .expect("question 3 is printed")
        + 1;
    assert!(
        three > 3,
        "question 3 on page {three}: the test bank is too short"
    );
    let text = key(&pages.concat());
    assert!(
        text.contains(&key(&format!("See the last one (Q 3, p. {three}) first"))),
        "the cross-reference does not print Q 3, p. {three}"
    );
    let info = info(&book);
    assert!(info.contains("Title:           Mini bank"), "{info}");
    assert!(!info.contains("HeadlessChrome"), "{info}");
}

#[test]
fn without_a_browser_pdf_is_a_clear_error_and_other_formats_build() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    mini::write_bank(&bank, &[]);
    let out = work.path().join("dist");
    let (code, stderr) = mini::build(
        &bank,
        &out,
        &[
            "--format",
            "pdf,json",
            "--chromium",
            "/nonexistent/chromium",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(!out.join("json").exists(), "a failed build wrote output");
    // Without --format, pdf is not built, so a machine without a browser builds the rest.
    let output = mini::qbank()
        .env("PATH", "")
        .args(["build", "--bank"])
        .arg(&bank)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(out.join("print/mini.html").exists() && !out.join("pdf").exists());
}

#[test]
fn a_printing_over_the_timeout_is_killed_and_reported() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    mini::write_bank(&bank, &[]);
    let out = work.path().join("dist");
    let (code, stderr) = mini::build(&bank, &out, &["--format", "pdf", "--pdf-timeout", "0.01"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("did not finish printing"), "{stderr}");
    assert!(stderr.contains("--pdf-timeout"), "{stderr}");
    assert!(!out.join("pdf").exists(), "a failed build wrote output");
}
