//! The YAML writer round trip: any bank model written by `model::write` and read back through
//! the real loader is the same model — every title, question, summary and answer an arbitrary
//! Unicode string (anything the loader accepts: XML characters), with the scalars YAML 1.1 and
//! 1.2 readers misread mixed in.
//!
//! 64 cases by default; more with e.g. `PROPTEST_CASES=5000 cargo test --release --test write`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use qbank::model::{Bank, BankMeta, Level, Origin, Part, Question, Section, write};

fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

/// Pieces YAML readers are known to misread when written carelessly.
const TRICKY: &[&str] = &[
    "null",
    "Null",
    "NULL",
    "~",
    "true",
    "True",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "404",
    "0x1F",
    "0o17",
    "1e3",
    ".5",
    "1_000",
    "-1",
    "+1",
    ".inf",
    "-.Inf",
    ".NaN",
    "2024-01-01",
    "1.0.0",
    "12:30",
    "<<",
    "=",
    "-",
    "- ",
    "?",
    "? ",
    ":",
    ": ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "#",
    " #",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{FEFF}",
    "\u{A0}",
    "\u{7F}",
    "\u{9F}",
    "\\",
    "---",
    "...",
    "é",
    "中文",
    "😀",
    "a\u{301}",
    "word",
    "Text. More",
    "```py\n",
    "    code\n",
];

/// Any character the loader accepts (XML 1.0 characters).
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        1 => select(vec!['\t', '\n', '\r', ' ', '\u{85}', '\u{2028}', '\u{2029}', '\u{FEFF}']),
    ]
    .prop_filter("an XML character", |c| qbank::markup::is_xml_char(*c))
}

/// An arbitrary string: random characters, tricky pieces, or long prose (which folds).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(xml_char(), 0..40).prop_map(String::from_iter),
        3 => proptest::collection::vec(select(TRICKY), 0..8).prop_map(|p| p.concat()),
        1 => proptest::collection::vec(
            prop_oneof![3 => "[a-zA-Zé]{1,12}", 1 => select(TRICKY).prop_map(String::from)],
            10..40,
        )
        .prop_map(|w| w.join(" ")),
    ]
}

/// Text the loader keeps as it is (a blank question, summary or answer is an error that drops
/// the question).
fn non_blank() -> impl Strategy<Value = String> {
    text().prop_filter("not blank", |s| !s.trim().is_empty())
}

fn level() -> impl Strategy<Value = Option<Level>> {
    select(vec![
        None,
        Some(Level::Junior),
        Some(Level::Mid),
        Some(Level::Senior),
    ])
}

/// A question; `n` keeps ids unique across the bank.
fn question(n: usize) -> impl Strategy<Value = Question> {
    (
        non_blank(),
        level(),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of((non_blank(), proptest::option::of(non_blank()))),
    )
        .prop_map(move |(question, level, tags, answered)| {
            // An answer needs a summary; a summary alone is allowed (a warning).
            let (summary, answer) = match answered {
                Some((summary, answer)) => (Some(summary), answer),
                None => (None, None),
            };
            Question {
                id: format!("q-{n}"),
                question,
                level,
                tags,
                summary,
                answer,
                origin: Origin::default(),
            }
        })
}

fn section(n: usize) -> impl Strategy<Value = Section> {
    (text(), proptest::collection::vec(0..1usize, 0..4)).prop_flat_map(move |(title, qs)| {
        let questions: Vec<_> = (0..qs.len()).map(|i| question(n * 10 + i)).collect();
        questions.prop_map(move |questions| Section {
            id: format!("s-{n}"),
            title: title.clone(),
            questions,
            origin: Origin::default(),
        })
    })
}

fn bank() -> impl Strategy<Value = Bank> {
    let meta = (
        text(),
        text(),
        proptest::option::of(text()),
        text(),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
        text(),
    )
        .prop_map(
            |(id, title, subtitle, language, authors, description, version)| BankMeta {
                id,
                title,
                subtitle,
                language,
                authors,
                description,
                version,
                labels: Default::default(),
            },
        );
    let parts = proptest::collection::vec((text(), 1..4usize), 1..3).prop_flat_map(|parts| {
        let mut next = 0;
        let parts: Vec<_> = parts
            .into_iter()
            .map(|(title, n)| {
                let sections: Vec<_> = (next..next + n).map(section).collect();
                next += n;
                sections.prop_map(move |sections| Part {
                    title: title.clone(),
                    sections,
                })
            })
            .collect();
        parts
    });
    (meta, parts).prop_map(|(meta, parts)| Bank {
        meta,
        parts,
        root: PathBuf::from("bank"),
        environments: Default::default(),
        release: Default::default(),
    })
}

/// Everything a bank says, where it was written aside.
fn said(bank: &Bank) -> String {
    let parts: Vec<_> = bank
        .parts
        .iter()
        .map(|p| {
            let sections: Vec<_> = p
                .sections
                .iter()
                .map(|s| {
                    let questions: Vec<_> = s
                        .questions
                        .iter()
                        .map(|q| (&q.id, &q.question, q.level, &q.tags, &q.summary, &q.answer))
                        .collect();
                    (&s.id, &s.title, questions)
                })
                .collect();
            (&p.title, sections)
        })
        .collect();
    format!("{:#?}\n{:#?}", bank.meta, parts)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_model_written_reads_back_the_same_through_the_loader(bank in bank()) {
        let files = write::bank_files(&bank).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
        let loaded = qbank::model::load_in_memory(
            Path::new("bank"),
            files.iter().map(|(p, t)| (p.clone(), t.clone().into_bytes())),
        );
        let syntax: Vec<String> = loaded
            .diagnostics
            .iter()
            // By the message's own words, never by the values quoted in it (a bank id may hold
            // "XML" or "syntax" itself).
            .filter(|d| {
                d.message.starts_with("YAML syntax error")
                    || d.message.starts_with("the text holds the character")
            })
            .map(|d| format!("{d:?}"))
            .collect();
        prop_assert!(syntax.is_empty(), "{:?}", syntax);
        prop_assert_eq!(said(&loaded.bank), said(&bank), "\n{:#?}", files);
    }
}
