//! Releases (#18): what a new version tells readers outside Anki — `qbank changes`, the
//! EPUB's "What's new" page (EPUBCheck clean), the printable book's — and a lock written by
//! an older qbank still loading. The Anki side is in tests/anki.rs (real Anki library).

mod common;

use std::path::Path;

use common::{anki_names, build_formats, client_python, qbank, repo, unzip};

/// v1 of the bank: the mini bank (`common::mini::BANK`, version 1.0.0).
const BANK_V1: &str = common::mini::BANK;

const S1_V1: &str = "\
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
    summary: Two.
    answer: |
      The number two.
  - id: q-gone
    question: What is <gone>?
    summary: Gone.
    answer: |
      Soon gone.
";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn build(bank: &Path, out: &Path, epoch: u64) {
    build_formats(bank, out, "epub,print,anki", epoch);
}

/// v1, then v2: q-gone removed (with a reason), q-two changed, q-new added, a changelog.
fn two_releases(root: &Path) -> std::path::PathBuf {
    let bank = root.join("bank");
    write(&bank, "bank.yaml", BANK_V1);
    write(&bank, "sections/s1.yaml", S1_V1);
    build(&bank, &root.join("v1"), 1_800_000_000);
    let s1 = S1_V1
        .replace("The number two.", "The number two, corrected.")
        .replace(
            "  - id: q-gone\n    question: What is <gone>?\n    summary: Gone.\n    answer: |\n      Soon gone.\n",
            "  - id: q-new\n    question: What is new?\n    summary: New.\n    answer: |\n      New.\n",
        );
    write(&bank, "sections/s1.yaml", &s1);
    let bank_v2 = BANK_V1.replace("version: 1.0.0", "version: 2.0.0")
        + "changelog:\n  2.0.0: Fixed [two](q:q-two) & <more>.\nremoved:\n  q-gone: A duplicate.\n";
    write(&bank, "bank.yaml", &bank_v2);
    build(&bank, &root.join("v2"), 1_800_100_000);
    bank
}

#[test]
fn changes_prints_each_version_and_since() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = two_releases(tmp.path());
    let out = qbank()
        .args(["changes", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let expected = "\
What's new in 2.0.0 (1 added, 1 changed, 1 removed)
  Fixed two & <more>.
  Added: What is new?
  Changed: What is two?
  Removed: What is <gone>?

What's new in 1.0.0
  First version: 3 questions.
";
    assert_eq!(text, expected);
    let out = qbank()
        .args(["changes", "--since", "1.0.0", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("What's new in 2.0.0") && !text.contains("1.0.0"),
        "{text}"
    );
    let out = qbank()
        .args(["changes", "--since", "0.9", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("knows: 1.0.0, 2.0.0"));
    // The lock keeps the removed question, with its text and the version that removed it.
    let lock = std::fs::read_to_string(bank.join("qbank.lock")).unwrap();
    assert!(
        lock.contains("removed: q-gone ") && lock.contains(" s1 \"2.0.0\" \"What is <gone>?\"\n"),
        "{lock}"
    );
}

#[test]
fn epub_and_book_say_whats_new_with_links() {
    let tmp = tempfile::tempdir().unwrap();
    two_releases(tmp.path());
    let epub = tmp.path().join("v2/epub/mini.epub");
    let entries = unzip(&epub);
    let page = entries
        .iter()
        .find(|(name, _)| name.ends_with("whats-new.xhtml"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a What's new page");
    assert!(page.contains("s new in 2.0.0"), "{page}");
    assert!(
        page.contains("<a href=\"section-s1.xhtml#q-q-new\">What is new?</a>")
            && page.contains("<a href=\"section-s1.xhtml#q-q-two\">What is two?</a>"),
        "added and changed questions link to their place: {page}"
    );
    assert!(page.contains("<li>What is &lt;gone&gt;?</li>"), "{page}");
    assert!(
        page.contains("&amp; &lt;more&gt;"),
        "changelog escaped: {page}"
    );
    let nav = entries
        .iter()
        .find(|(name, _)| name.ends_with("nav.xhtml"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(nav.contains("s new in 2.0.0"), "in the nav: {nav}");
    let opf = entries
        .iter()
        .find(|(name, _)| name.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(
        opf.contains(">2.0.0</meta>"),
        "version in the metadata: {opf}"
    );

    let book = std::fs::read_to_string(tmp.path().join("v2/print/mini.html")).unwrap();
    assert!(book.contains("s new in 2.0.0"));
    assert!(
        book.contains("<a href=\"#q-q-two\">What is two?</a>"),
        "{book}"
    );
    assert!(
        book.contains("Mini bank · Version 2.0.0"),
        "version in the page header"
    );
    let sheet = std::fs::read_to_string(tmp.path().join("v2/print/mini-cheatsheet.html")).unwrap();
    assert!(sheet.contains("version 2.0.0"));

    let python = client_python();
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/clients/epub_verify.py"))
        .arg(&epub)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed, 0 failed"),
        "EPUBCheck:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_lock_from_before_releases_loads_and_keeps_its_times() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write(&bank, "bank.yaml", BANK_V1);
    write(&bank, "sections/s1.yaml", S1_V1);
    build(&bank, &tmp.path().join("a"), 1_800_000_000);
    let new = std::fs::read_to_string(bank.join("qbank.lock")).unwrap();
    // The same lock as qbank wrote it before version 2: four columns, no releases.
    let old: String = new
        .lines()
        .filter(|l| !l.starts_with("release:") && !l.starts_with("@anki-tags"))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            if l.starts_with('#') || words.len() < 4 {
                l.replace("version 2", "version 1")
            } else {
                words[..4].join(" ")
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(bank.join("qbank.lock"), &old).unwrap();
    build(&bank, &tmp.path().join("b"), 1_900_000_000);
    let again = std::fs::read_to_string(bank.join("qbank.lock")).unwrap();
    let times = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("q-"))
            .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(times(&again), times(&new), "question times kept");
    assert!(
        again.contains("version 2\n") && again.contains("q-one "),
        "{again}"
    );
    assert!(
        again.contains("@anki-tags "),
        "the tag scheme is dated by this build: {again}"
    );
}

/// Every deck description carries "What's new": a release touching many questions lists 20
/// of each kind and says how many more.
#[test]
fn deck_descriptions_stay_short_on_big_releases() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    let section = |answer: &str| {
        let mut s = String::from("id: s1\ntitle: Section One\nquestions:\n");
        for i in 0..23 {
            s += &format!(
                "  - id: q-{i}\n    question: Question {i}?\n    summary: S.\n    answer: |\n      {answer} {i}.\n"
            );
        }
        s
    };
    write(&bank, "bank.yaml", BANK_V1);
    write(&bank, "sections/s1.yaml", &section("First"));
    build(&bank, &tmp.path().join("v1"), 1_800_000_000);
    write(&bank, "bank.yaml", &BANK_V1.replace("1.0.0", "1.1.0"));
    write(&bank, "sections/s1.yaml", &section("Second"));
    build(&bank, &tmp.path().join("v2"), 1_800_100_000);

    let (decks, _) = anki_names(&tmp.path().join("v2/anki/mini.apkg"));
    let desc = decks
        .into_iter()
        .find(|(name, _)| name.ends_with("::Section One"))
        .map(|(_, desc)| desc)
        .unwrap();
    assert!(
        desc.contains("version 1.1.0") && desc.contains("What&#39;s new in 1.1.0"),
        "{desc}"
    );
    assert_eq!(desc.matches("<li>Changed: Question").count(), 20, "{desc}");
    assert!(desc.contains("<li>Changed: 3 more.</li>"), "{desc}");
    // The terminal lists them all.
    let out = qbank()
        .args(["changes", "--bank"])
        .arg(&bank)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("Changed: ")
            .count(),
        23
    );
}

/// The EPUB's `dcterms:modified` value.
fn epub_modified(epub: &Path) -> String {
    let opf = unzip(epub)
        .into_iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    let at = opf.find("dcterms:modified\">").unwrap() + "dcterms:modified\">".len();
    opf[at..at + 20].to_string()
}

#[test]
fn a_new_version_moves_the_epub_date_even_when_no_question_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write(&bank, "bank.yaml", BANK_V1);
    write(&bank, "sections/s1.yaml", S1_V1);
    build(&bank, &tmp.path().join("v1"), 1_800_000_000);
    let v1 = epub_modified(&tmp.path().join("v1/epub/mini.epub"));
    assert_eq!(v1, "2027-01-15T08:00:00Z");
    // The same build again: same date (reproducible).
    build(&bank, &tmp.path().join("v1-again"), 1_800_050_000);
    assert_eq!(
        epub_modified(&tmp.path().join("v1-again/epub/mini.epub")),
        v1
    );
    // A release with only a changelog: its title page and "What's new" changed, so its date.
    let v2 = BANK_V1.replace("version: 1.0.0", "version: 1.1.0")
        + "changelog:\n  1.1.0: New cover text only.\n";
    write(&bank, "bank.yaml", &v2);
    build(&bank, &tmp.path().join("v2"), 1_800_100_000);
    assert_eq!(
        epub_modified(&tmp.path().join("v2/epub/mini.epub")),
        "2027-01-16T11:46:40Z"
    );
}
