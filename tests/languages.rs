//! Banks in other languages (#20): German, Russian, Arabic and Japanese fixture banks built to
//! every format carry their own fixed strings (CLDR plurals included), no English one; each
//! passes EPUBCheck, imports into the official Anki library and prints in Chromium with its
//! text read back; the Arabic book reads right to left; the Japanese one asks for CJK fonts
//! and line breaking; `labels:` overrides a string, and a wrong label is an error at its line;
//! a release (What's new, the retired note, cross-references, dates) speaks the language too.

mod common;

use std::path::{Path, PathBuf};

use common::{build_formats, client_python, print_pdf, qbank, repo, unzip};

/// The English fixed strings no output of a non-English bank may show.
const ENGLISH: &[&str] = &[
    "Contents",
    "Not answered yet",
    "not answered yet",
    "Answer key",
    "Cheat sheet",
    "cheat sheet",
    "questions",
    "question)",
    "Part 1",
    "Junior",
    "Mid-level",
    "Senior",
    "updated",
    "Answer each one",
    "reflowable",
];

/// Builds the fixture bank `lang` (copied, so its lock stays out of the repository) into
/// every format; returns the output folder (inside the returned temporary folder).
fn build(lang: &str) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    copy(&repo().join("tests/fixtures/languages").join(lang), &bank);
    let out = work.path().join("out");
    qbank()
        .args(["-q", "build", "--include-unanswered", "--bank"])
        .arg(&bank)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    (work, out)
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every readable document of a build: (name, text) for the print HTML and each file of the
/// EPUB (pages, nav, package), with CSS (theme comments are not output text) left out.
fn documents(out: &Path) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for e in std::fs::read_dir(out.join("print")).unwrap() {
        let path = e.unwrap().path();
        docs.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let epub = epub_path(out);
    for (name, bytes) in unzip(&epub) {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            docs.push((name, String::from_utf8(bytes).unwrap()));
        }
    }
    docs.into_iter()
        .map(|(name, text)| (name, without_style(&text)))
        .collect()
}

fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    }
}

/// `phrase` in `text` as a word of its own (`tableOfContents` is not "Contents").
fn has_word(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric())
    })
}

fn epub_file(out: &Path, suffix: &str) -> String {
    let epub = epub_path(out);
    let (_, bytes) = unzip(&epub)
        .into_iter()
        .find(|(n, _)| n.ends_with(suffix))
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// The `.epub` of a build (the folder also holds qbank's output marker).
fn epub_path(out: &Path) -> PathBuf {
    std::fs::read_dir(out.join("epub"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "epub"))
        .unwrap()
}

fn print_file(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join("print").join(name)).unwrap()
}

/// The Anki collection of the combined package, as bytes (SQLite keeps text as it is).
fn anki_collection(out: &Path, bank_id: &str) -> Vec<u8> {
    unzip(&out.join(format!("anki/{bank_id}.apkg")))
        .into_iter()
        .find(|(n, _)| n == "collection.anki2")
        .unwrap()
        .1
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn no_english_string_remains_in_any_output() {
    for lang in ["de", "ru", "ar", "ja"] {
        let (_work, out) = build(lang);
        let docs = documents(&out);
        assert!(docs.len() > 8, "{lang}: {} documents", docs.len());
        for (name, text) in &docs {
            for english in ENGLISH {
                assert!(!has_word(text, english), "{lang}: `{english}` in {name}");
            }
        }
        let anki = anki_collection(&out, &format!("lang-{lang}"));
        // Cards, deck descriptions (the version, "What's new"), the note type's name.
        for english in [
            "Not answered yet",
            ", version ",
            "What&#39;s new",
            "First version",
            " questions.",
        ] {
            assert!(!contains(&anki, english), "{lang}: `{english}` in Anki");
        }
    }
}

#[test]
fn plurals_follow_each_language() {
    let (_work, out) = build("ru");
    let book = print_file(&out, "lang-ru.html");
    for count in ["(1 вопрос)", "(2 вопроса)", "(5 вопросов)"] {
        assert!(book.contains(count), "{count}");
    }
    assert!(print_file(&out, "lang-ru-quiz.html").contains("Тест · 7 вопросов."));
    assert!(epub_file(&out, "title.xhtml").contains("8 вопросов в 3 разделах (без ответа: 1)."));

    let (_work, out) = build("de");
    let book = print_file(&out, "lang-de.html");
    assert!(book.contains("(1 Frage)") && book.contains("(5 Fragen)"));
    assert!(book.contains("<h2>Teil 1. Grundlagen</h2>"));
    assert!(epub_file(&out, "part-1.xhtml").contains("<span class=\"count\">1 Frage</span>"));
    assert!(
        epub_file(&out, "section-eins.xhtml").contains("<p class=\"level\">Fortgeschritten</p>")
    );
    let anki = anki_collection(&out, "lang-de");
    assert!(contains(&anki, "Noch nicht beantwortet."));
    assert!(
        contains(&anki, "<div class=\\\"qb-card\\\" lang=\\\"de\\\">")
            || contains(&anki, "<div class=\"qb-card\" lang=\"de\">")
    );
}

#[test]
fn labels_override_the_language() {
    // de/bank.yaml says `answer-key: Auflösung`.
    let (_work, out) = build("de");
    let quiz = print_file(&out, "lang-de-quiz.html");
    assert!(quiz.contains("<h2>Auflösung</h2>"), "{quiz}");
    assert!(!quiz.contains("Lösungen</h2>"));
}

#[test]
fn a_wrong_label_is_an_error_at_its_line() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    copy(&repo().join("tests/fixtures/languages/de"), &bank);
    let yaml = std::fs::read_to_string(bank.join("bank.yaml")).unwrap();
    let yaml = yaml.replace(
        "labels:\n",
        "labels:\n  contnets: Inhaltsverzeichnis\n  contents: \"{ $count } Inhalt\"\n",
    );
    std::fs::write(bank.join("bank.yaml"), &yaml).unwrap();
    let output = qbank()
        .args(["check", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`contnets` is not a label qbank has"),
        "{stderr}"
    );
    assert!(stderr.contains("bank.yaml:6:"), "{stderr}");
    assert!(stderr.contains("did you mean `contents`?"), "{stderr}");
    assert!(
        stderr.contains("answer-key"),
        "the valid keys are listed: {stderr}"
    );
    assert!(stderr.contains("uses `$count`"), "{stderr}");
    assert!(stderr.contains("bank.yaml:7:"), "{stderr}");
}

#[test]
fn arabic_reads_right_to_left_with_code_left_to_right() {
    let (_work, out) = build("ar");
    for name in [
        "lang-ar.html",
        "lang-ar-cheatsheet.html",
        "lang-ar-quiz.html",
    ] {
        let page = print_file(&out, name);
        assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{name}");
        // The theme's accent border and list indents follow the reading direction.
        assert!(
            page.contains("border-inline-start") && !page.contains("border-left"),
            "{name}"
        );
    }
    assert!(
        print_file(&out, "lang-ar.html")
            .contains("<pre class=\"code\" data-lang=\"python\" dir=\"ltr\">")
    );
    let opf = epub_file(&out, "content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""), "{opf}");
    assert!(epub_file(&out, "nav.xhtml").contains("xml:lang=\"ar\" dir=\"rtl\""));
    for page in [
        "title.xhtml",
        "contents.xhtml",
        "part-1.xhtml",
        "section-fihris.xhtml",
    ] {
        assert!(
            epub_file(&out, page).contains("xml:lang=\"ar\" dir=\"rtl\">"),
            "{page}"
        );
    }
    assert!(epub_file(&out, "stylesheet.css").contains("border-inline-start"));
    let anki = anki_collection(&out, "lang-ar");
    assert!(
        contains(&anki, "lang=\\\"ar\\\" dir=\\\"rtl\\\"")
            || contains(&anki, "lang=\"ar\" dir=\"rtl\"")
    );
    assert!(contains(&anki, "لم تتم الإجابة بعد."));
}

#[test]
fn japanese_asks_for_cjk_fonts_and_line_breaking() {
    let (_work, out) = build("ja");
    for name in [
        "lang-ja.html",
        "lang-ja-cheatsheet.html",
        "lang-ja-quiz.html",
    ] {
        let page = print_file(&out, name);
        assert!(page.contains("<html lang=\"ja\">"), "{name}");
        assert!(page.contains("\"Noto Sans CJK JP\""), "{name}");
        assert!(page.contains("line-break: strict"), "{name}");
        assert!(!page.contains("dir=\"rtl\""));
    }
    assert!(
        print_file(&out, "lang-ja-cheatsheet.html").contains("早見表 · 4 問 · バージョン 1.0.0")
    );
    assert!(epub_file(&out, "stylesheet.css").contains("\"Noto Sans CJK JP\""));
    assert!(epub_file(&out, "content.opf").contains("page-progression-direction=\"ltr\""));
}

#[test]
fn every_fixture_book_passes_epubcheck() {
    let built: Vec<_> = ["de", "ru", "ar", "ja"].iter().map(|l| build(l)).collect();
    let books: Vec<PathBuf> = built.iter().map(|(_, out)| epub_path(out)).collect();
    let out = std::process::Command::new(client_python())
        .arg(repo().join("tests/clients/epub_verify.py"))
        .args(&books)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("4 passed, 0 failed"),
        "EPUBCheck:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_official_anki_library_imports_every_fixture_deck() {
    for (lang, notes, texts) in [
        (
            "ar",
            5,
            &[
                "dir=\"rtl\"",
                "lang=\"ar\"",
                "لم تتم الإجابة بعد.",
                "dir=\"ltr\"",
            ][..],
        ),
        ("de", 6, &["lang=\"de\"", "Noch nicht beantwortet."][..]),
        ("ru", 8, &["lang=\"ru\"", "Ответа пока нет."][..]),
        ("ja", 5, &["lang=\"ja\"", "まだ回答がありません。"][..]),
    ] {
        let (_work, out) = build(lang);
        let output = std::process::Command::new(client_python())
            .arg(repo().join("tests/clients/anki_languages.py"))
            .arg(out.join(format!("anki/lang-{lang}.apkg")))
            .arg(notes.to_string())
            .args(texts)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains(", 0 failed"),
            "{lang}:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Prints an HTML file to PDF with headless Chromium (offline) and reads its text back.
fn pdf_text(html: &Path) -> String {
    let pdf = print_pdf(html);
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (./test.sh installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_prints_each_language_and_the_text_reads_back() {
    // Words whose glyphs every fallback font has (without Noto CJK installed, pdftotext loses
    // a few kana; the Arabic comes back in presentation order).
    for (lang, words) in [
        ("de", &["5 Fragen", "Auflösung"][..]),
        ("ru", &["7 вопросов", "Ответы"][..]),
        ("ar", &["الفهارس", "مفتاح"][..]),
        ("ja", &["4 問", "解答"][..]),
    ] {
        let (_work, out) = build(lang);
        let text = pdf_text(&out.join(format!("print/lang-{lang}-quiz.html")));
        for word in words {
            assert!(text.contains(word), "{lang}: `{word}` not in\n{text}");
        }
    }
}

#[test]
fn a_release_speaks_the_bank_language_in_anki_on_paper_and_on_the_terminal() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    copy(&repo().join("tests/fixtures/languages/de"), &bank);
    let eins = bank.join("sections/eins.yaml");
    let text = std::fs::read_to_string(&eins).unwrap().replace(
        "als Beispiel.",
        "als Beispiel; siehe [Frage 2](q:fuenf-q1).",
    );
    std::fs::write(&eins, text).unwrap();
    build_formats(
        &bank,
        &work.path().join("v1"),
        "print,anki,epub",
        1_800_000_000,
    );

    // v1.1.0: Frage 5 removed, Frage 3 changed.
    let fuenf = bank.join("sections/fuenf.yaml");
    let text = std::fs::read_to_string(&fuenf).unwrap();
    let gone = "  - id: fuenf-q4\n    question: \"Was ist Frage 5 zu Transaktionen?\"\n    \
                level: senior\n    summary: \"Kurz gesagt: Antwort 5.\"\n    answer: |\n      \
                Die ausführliche Antwort 5, mit `SELECT 1` als Beispiel.\n";
    assert!(text.contains(gone));
    let text = text
        .replace(gone, "")
        .replace("Antwort 3, mit", "Antwort 3, berichtigt, mit");
    std::fs::write(&fuenf, text).unwrap();
    let yaml = bank.join("bank.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("version: 1.0.0", "version: 1.1.0");
    std::fs::write(&yaml, text).unwrap();
    let out = work.path().join("v2");
    build_formats(&bank, &out, "print,anki,epub", 1_800_100_000);

    // Anki: the deck descriptions' "What's new" and the retired note.
    let anki = anki_collection(&out, "lang-de");
    for german in [
        "Neu in Version 1.1.0",
        "Geändert: Was ist Frage 3 zu Transaktionen?",
        "Entfernt: Was ist Frage 5 zu Transaktionen?",
        "Entfernt in Version 1.1.0: Was ist Frage 5 zu Transaktionen?",
        "Diese Frage wurde in Version 1.1.0 aus der Sammlung entfernt.",
    ] {
        assert!(contains(&anki, german), "Anki lacks `{german}`");
    }
    for english in [
        "What&#39;s new",
        "What's new",
        "Removed in version",
        "Changed: ",
        "Removed: ",
        "was removed from the bank",
    ] {
        assert!(!contains(&anki, english), "Anki holds `{english}`");
    }

    // Paper: the cross-reference numbers the question the German way ("F. 2").
    let book = print_file(&out, "lang-de.html");
    assert!(
        book.contains("(F.\u{a0}2)</span>"),
        "{}",
        &book[book.find("xref-at").unwrap_or(0)..][..200]
    );
    assert!(!book.contains("(Q\u{a0}") && !book.contains("(Q&nbsp;"));

    // The EPUB's title page dates the edition the German way (CLDR, through ICU4X).
    let title = epub_file(&out, "title.xhtml");
    assert!(
        title.contains("Version 1.1.0 · aktualisiert am 16. Januar 2027"),
        "{title}"
    );

    // The terminal: `qbank changes` prints the learner's text in the bank's language.
    let changes = qbank()
        .args(["changes", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    let changes = String::from_utf8(changes.stdout).unwrap();
    assert!(
        changes.starts_with("Neu in Version 1.1.0 (0 neu, 1 geändert, 1 entfernt)\n"),
        "{changes}"
    );
    assert!(changes.contains("Erste Version: 6 Fragen."), "{changes}");
}
