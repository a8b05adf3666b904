//! The writer's unit tests: tricky scalars, every block chomping, and a whole bank.

use super::*;
use crate::model::{BankMeta, Level, Origin, Part, Section};
use proptest::prelude::*;

/// `key: value` written in `style`, read back.
fn round_trip(value: &str, style: Style) -> (String, String) {
    let mut y = Yaml::new();
    y.field(0, "k", value, style);
    let text = y.finish();
    let doc = yaml::parse(&text).unwrap_or_else(|e| panic!("{text:?}: {}", e.message));
    let read = doc["k"]
        .as_str()
        .unwrap_or_else(|| panic!("{text:?} reads back as {doc:?}"))
        .to_string();
    (read, text)
}

#[track_caller]
fn assert_round_trip(value: &str, style: Style) -> String {
    let (read, text) = round_trip(value, style);
    assert_eq!(read, value, "written as {text:?}");
    text
}

#[test]
fn tricky_scalars_read_back() {
    for s in [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "on",
        "off",
        "Off",
        "y",
        "Y",
        "n",
        "N",
        "true",
        "True",
        "FALSE",
        "null",
        "Null",
        "NULL",
        "~",
        "",
        " ",
        "404",
        "0x1F",
        "0o17",
        "0b101",
        "1e3",
        "1E3",
        ".5",
        "-.5",
        "+1",
        "1_000",
        "1:20",
        "0.1",
        "1.0.0",
        ".inf",
        "-.INF",
        ".nan",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "<<",
        "=",
        "1.5",
        "- dash",
        "-",
        "?",
        "? x",
        ": x",
        ",a",
        "[a]",
        "]",
        "{a}",
        "}",
        "#c",
        "&a",
        "*a",
        "!t",
        "|x",
        ">x",
        "'quoted'",
        "\"dq\"",
        "%x",
        "@at",
        "`code` first",
        "a: b",
        "a #b",
        "a:",
        "a:b",
        "tab\there",
        "\t",
        "trailing ",
        " leading",
        "x\u{2028}y",
        "a \u{2028} b",
        "a \u{85} b",
        "\u{2029}",
        "\u{FEFF}bom",
        "nul\u{0}",
        "bell\u{7}",
        "del\u{7F}",
        "cr\rlf",
        "line\nbreak",
        "é ü",
        "---",
        "...",
        "a\u{a0}",
        "\u{a0}a",
        "\\",
        "it's",
    ] {
        for style in [Style::Auto, Style::Quoted, Style::Block] {
            assert_round_trip(s, style);
        }
    }
}

/// Each value in `style`, written exactly as expected and read back as itself.
#[track_caller]
fn assert_written(style: Style, cases: &[(&str, &str)]) {
    for (value, expected) in cases {
        assert_eq!(assert_round_trip(value, style), *expected, "{value:?}");
    }
}

#[test]
fn plain_only_when_safe() {
    assert_written(
        Style::Auto,
        &[
            ("What is a metaclass?", "k: What is a metaclass?\n"),
            ("0.1.0", "k: 0.1.0\n"),
            ("null", "k: 'null'\n"),
            ("404", "k: '404'\n"),
            ("a #b", "k: 'a #b'\n"),
            ("a \u{2028} b", "k: \"a \\u2028 b\"\n"),
            ("a \u{85} b", "k: \"a \\x85 b\"\n"),
            ("", "k: ''\n"),
        ],
    );
    assert_written(Style::Quoted, &[("plain", "k: \"plain\"\n")]);
}

#[test]
fn blocks_keep_their_chomping() {
    assert_written(
        Style::Block,
        &[
            ("a\nb\n", "k: |\n  a\n  b\n"),
            ("a\nb", "k: |-\n  a\n  b\n"),
            ("a\n\n", "k: |+\n  a\n\n"),
            ("a\n\nb\n\n\n", "k: |+\n  a\n\n  b\n\n\n"),
            (" indented\nnot\n", "k: |2\n   indented\n  not\n"),
            ("\n\n  late indent\n", "k: |2\n\n\n    late indent\n"),
            ("\tx\n", "k: |2\n  \tx\n"),
            ("  \nx", "k: |2-\n    \n  x\n"),
            ("x\n   ", "k: |-\n  x\n     \n"),
            ("# not a comment\n", "k: |\n  # not a comment\n"),
        ],
    );
    let block = |s: &str| assert_round_trip(s, Style::Block);
    // What no block can carry is double-quoted.
    for s in ["", "\n", "\n\n", "a\rb\n", "a\u{2028}b\n", "a\u{85}\n"] {
        assert!(block(s).starts_with("k: \""), "{s:?}");
    }
}

#[test]
fn no_blank_line_lengthens_a_kept_block() {
    let q = |id: &str, answer: &str| Question {
        id: id.into(),
        question: "Q?".into(),
        level: None,
        tags: Vec::new(),
        summary: Some("S.".into()),
        answer: Some(answer.into()),
        origin: Origin::default(),
    };
    let bank = bank_of(vec![
        q("a", "kept\n\n"),
        q("b", "x\n"),
        q("c", "last\n\n\n"),
    ]);
    let files = bank_files(&bank).unwrap();
    assert!(
        files[1]
            .1
            .contains("    answer: |+\n      kept\n\n  - id: b\n"),
        "{}",
        files[1].1
    );
}

fn bank_of(questions: Vec<Question>) -> Bank {
    Bank {
        meta: BankMeta {
            id: "b".into(),
            title: "B".into(),
            subtitle: None,
            language: "en".into(),
            authors: Vec::new(),
            description: None,
            version: "0.1.0".into(),
            labels: Default::default(),
        },
        parts: vec![Part {
            title: "P".into(),
            sections: vec![Section {
                id: "s".into(),
                title: "S".into(),
                questions,
                origin: Origin::default(),
            }],
        }],
        root: PathBuf::new(),
        environments: Default::default(),
        release: Default::default(),
    }
}

#[test]
fn a_whole_bank_folds_long_titles_and_reads_back() {
    let long = "A very long title, with: colons and #hashes and 'quotes', that goes on and on past the fold width";
    let mut bank = bank_of(vec![Question {
        id: "q".into(),
        question: long.into(),
        level: Some(Level::Senior),
        tags: vec!["t".into(), "a, b".into()],
        summary: Some(long.into()),
        answer: Some("  indented first line\n".into()),
        origin: Origin::default(),
    }]);
    bank.meta.title = long.into();
    bank.meta.language = "no".into();
    bank.meta.authors = vec!["Ada, Countess".into(), "Bob".into()];
    bank.meta.subtitle = Some("yes".into());
    bank.meta.description = Some("404".into());
    bank.parts[0].title = long.into();
    bank.parts[0].sections[0].title = long.into();
    let files = bank_files(&bank).unwrap();
    let text = &files[0].1;
    assert!(text.starts_with(BANK_MODELINE), "{text}");
    assert!(text.contains("  - title: >-\n      A very long"), "{text}");
    assert!(text.contains("language: 'no'\n"), "{text}");
    assert!(text.contains("authors: ['Ada, Countess', Bob]\n"), "{text}");
    assert!(
        files[1].1.contains("    tags: [t, 'a, b']\n"),
        "{}",
        files[1].1
    );
    assert!(files[1].1.contains("    level: senior\n"), "{}", files[1].1);
}

#[test]
fn empty_lists_are_written_as_such() {
    let mut bank = bank_of(Vec::new());
    let files = bank_files(&bank).unwrap();
    assert!(files[1].1.ends_with("questions: []\n"), "{}", files[1].1);
    bank.parts[0].sections.clear();
    assert!(
        bank_files(&bank).unwrap()[0]
            .1
            .ends_with("    sections: []\n")
    );
    bank.parts.clear();
    assert!(bank_files(&bank).unwrap()[0].1.ends_with("parts: []\n"));
}

#[test]
fn a_section_id_that_is_no_slug_is_refused() {
    let mut bank = bank_of(Vec::new());
    bank.parts[0].sections[0].id = "../x".into();
    assert!(bank_files(&bank).is_err());
}

proptest! {
    #[test]
    fn scalars_read_back(s in "\\PC{0,120}|[ -~\\t\u{85}\u{a0}\u{2028}]{0,200}") {
        for style in [Style::Auto, Style::Quoted, Style::Block] {
            let (read, text) = round_trip(&s, style);
            prop_assert_eq!(read, s.clone(), "{:?}", text);
        }
    }

    #[test]
    fn blocks_read_back(
        lines in proptest::collection::vec("[ -~\\t]{0,30}|\u{a0}|\u{85}|", 1..6),
        breaks in 0usize..4,
    ) {
        let value = lines.join("\n").trim_end_matches('\n').to_string() + &"\n".repeat(breaks);
        let mut y = Yaml::new();
        y.key(0, "q").field(2, "answer", &value, Style::Block).field(2, "next", "x", Style::Auto);
        let text = y.finish();
        let doc = yaml::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {}", e.message)))?;
        prop_assert_eq!(doc["q"]["answer"].as_str(), Some(value.as_str()), "{:?}", text);
        prop_assert_eq!(doc["q"]["next"].as_str(), Some("x"));
    }
}
