//! The importer's unit tests: structure, rewrites, summaries, and any Markdown at all.

use std::collections::HashSet;

use super::code::fence;
use super::reader::{one_paragraph, strip_number};
use super::sanitize::clean;
use super::summary::{SUMMARY_WORDS, summarize};
use super::*;
use proptest::prelude::*;

fn import(md: &str) -> Imported {
    Importer::new(md, &ImportOptions::default(), None).run("fallback")
}

fn answers(bank: &Imported) -> Vec<&str> {
    bank.questions()
        .map(|q| q.answer.as_deref().unwrap_or(""))
        .collect()
}

#[test]
fn numbers_are_stripped() {
    assert_eq!(strip_number("1. What?").as_deref(), Some("What?"));
    assert_eq!(
        strip_number("12) `x` vs `y`").as_deref(),
        Some("`x` vs `y`")
    );
    assert_eq!(strip_number("3\\. Escaped").as_deref(), Some("Escaped"));
    assert_eq!(strip_number("1.5 Not numbered"), None);
    assert_eq!(strip_number("2019 review"), None);
    assert_eq!(strip_number("Python Core"), None);
}

#[test]
fn headings_and_lists_become_the_structure() {
    let bank = import(
        "# My Bank\n\n## Basics\n\n1. What is X?\n2. What is Y?\n\n# Part Two\n\n## More\n\n### 1. Why Z?\n\nBecause.\n",
    );
    assert_eq!(bank.bank.meta.title, "My Bank");
    assert_eq!(bank.bank.meta.id, "my-bank");
    let parts: Vec<_> = bank.bank.parts.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(parts, ["My Bank", "Part Two"]);
    let ids: Vec<_> = bank.questions().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["x", "y", "why-z"]);
    assert_eq!(answers(&bank), ["", "", "Because.\n"]);
}

#[test]
fn a_paragraph_with_code_under_it_is_split_and_merged() {
    let bank = import("## S\n\n# 1. Q\nText here\n    def f():\n        return 1\n    \n    f()\n");
    assert_eq!(
        answers(&bank),
        ["Text here\n\n```text\ndef f():\n    return 1\n\nf()\n```\n"]
    );
}

#[test]
fn html_tags_become_markdown() {
    let bank = import(
        "## S\n\n# 1. Q\n<b> 1. *args (A) </b>\nUse <i>it</i> and <code>x &lt; y</code>, <span>gone</span>.\n\n<b>**kwargs</b>\n",
    );
    assert_eq!(
        answers(&bank),
        ["**1. \\*args (A)**\nUse *it* and `x < y`, gone.\n\n**\\*\\*kwargs**\n"]
    );
}

#[test]
fn links_and_images_fit_a_bank() {
    let bank = import(
        "## S\n\n# 1. Q\nSee [docs][d], [here](other.md#x), [web](https://e.com/a_(b)) and \
         ![pic](https://e.com/p.png \"T\"), ![local](img/p.png).\n\n[d]: https://d.example \"D\"\n",
    );
    assert_eq!(
        answers(&bank),
        [
            "See [docs](https://d.example \"D\"), here, [web](https://e.com/a_(b)) and \
             [pic](https://e.com/p.png \"T\"), local.\n"
        ]
    );
    assert_eq!(bank.warnings.len(), 2, "{:?}", bank.warnings);
}

#[test]
fn comments_and_breaks_are_dropped() {
    let bank = import(
        "## S\n\n<!-- intro note -->\n\n# 1. Q\nOne<br>two <!-- aside -->\n\n<br>\n\n```js title=x\ny\n```\n",
    );
    assert!(bank.warnings.is_empty(), "{:?}", bank.warnings);
    assert_eq!(answers(&bank), ["One two\n\n```js\ny\n```\n"]);
}

#[test]
fn nested_code_in_an_answer_list_is_fenced_in_place() {
    let bank = import(
        "## S\n\n1. Q?\n\n   - step\n\n         code\n\n   > quoted\n   >\n   >     more\n\n   ```py\n   x = 1\n   ```\n",
    );
    assert_eq!(
        answers(&bank),
        [
            "- step\n\n  ```text\n  code\n  ```\n\n> quoted\n>\n> ```text\n> more\n> ```\n\n```python norun\nx = 1\n```\n"
        ]
    );
}

#[test]
fn summaries_are_first_sentences() {
    assert_eq!(
        summarize("It is **bold.** Yes, e.g. this. Then more.\n").as_deref(),
        Some("It is **bold.** Yes, e.g. this.")
    );
    assert_eq!(summarize("```text\nx\n```\n"), None);
    assert_eq!(summarize("- \\[x](y)\n").as_deref(), Some("\\[x](y)"));
    assert_eq!(
        summarize("**Lead-in**\nThe text. More.\n").as_deref(),
        Some("The text.")
    );
    assert_eq!(
        summarize("**Bold** start. More.\n").as_deref(),
        Some("**Bold** start.")
    );
    let long = format!("{}end.", "word ".repeat(50));
    let s = summarize(&long).unwrap();
    assert!(s.ends_with('…'), "{s}");
    assert_eq!(s.split_whitespace().count(), SUMMARY_WORDS);
    assert_eq!(
        summarize("Use `a. b` here.\nNext line. More.").as_deref(),
        Some("Use `a. b` here.")
    );
}

#[test]
fn escapes_at_the_start_survive() {
    let bank = import("1. \\[l](x.md)\n2. \\* star\n");
    let texts: Vec<_> = bank.questions().map(|q| q.question.as_str()).collect();
    assert_eq!(texts, ["\\[l](x.md)", "\\* star"]);
}

#[test]
fn question_text_stays_one_paragraph() {
    assert_eq!(one_paragraph("- not a list".into()), "\\- not a list");
    assert_eq!(one_paragraph("2019. A year".into()), "2019\\. A year");
    assert_eq!(one_paragraph("Plain".into()), "Plain");
}

#[test]
fn fences_outgrow_backticks_in_code() {
    assert_eq!(fence("text", "a ``` b\n", ""), "````text\na ``` b\n````\n");
}

proptest! {
    #[test]
    fn any_markdown_imports_to_a_bank_that_reads_back(
        tokens in proptest::collection::vec(
            prop_oneof![
                Just("# "), Just("## "), Just("### 3) "), Just("1. "), Just("2. "),
                Just("- "), Just("> "), Just("   "), Just("    "), Just("\t"), Just("\n"),
                Just("\n\n"), Just("```py\n"), Just("```"), Just("~~~"), Just("<b>"),
                Just("</b>"), Just("<code>"), Just("</code>"), Just("<br>"), Just("<!--"),
                Just("-->"), Just("*"), Just("`"), Just("_"), Just("é"), Just("\u{a0}"),
                Just("What is it?"), Just("Text. More"), Just("e.g."), Just("---"),
                Just("|a|b|\n|-|-|\n"), Just("'"), Just("\""), Just(": "), Just("#"),
            ],
            0..60,
        )
    ) {
        let md = clean(&tokens.concat());
        let bank = Importer::new(&md, &ImportOptions::default(), None).run("t");
        prop_assert!(write::bank_files(&bank.bank).is_ok());
        let mut ids = HashSet::new();
        for q in bank.questions() {
            prop_assert!(crate::model::is_slug(&q.id), "{}", q.id);
            prop_assert!(ids.insert(q.id.clone()));
            prop_assert!(!q.question.trim().is_empty());
            if let Some(answer) = &q.answer {
                prop_assert!(!answer.trim().is_empty());
                prop_assert!(q.summary.as_ref().is_some_and(|s| !s.trim().is_empty()));
            }
        }
    }
}
