//! `qbank export markdown`: the whole bank as one Markdown document.
//!
//! The shape is the one `qbank import markdown` reads — `#` bank title, `#` parts, `##`
//! sections, numbered `###` questions, each answer after its question — plus what a bank
//! holds beyond the text, written so that it reads well on any Git host and can be read back
//! exactly (README, "Export"):
//!
//! ```markdown
//! # Bank title {#bank-id}
//!
//! `version: 0.1.0` · `language: en` · `authors: [qbank contributors]`
//!
//! > The subtitle.
//!
//! The description.
//!
//! # Part title {.part}
//!
//! ## Section title {#section-id}
//!
//! ### 1. The question? {#question-id}
//!
//! `level: mid` · `tags: [orm, performance]`
//!
//! > The summary.
//!
//! The answer, verbatim.
//! ```
//!
//! Ids are heading attributes (`{#id}`: pandoc's syntax, pulldown-cmark's
//! `ENABLE_HEADING_ATTRIBUTES`), and so is the `{.part}` class that marks a part. The line of code spans under a heading holds the remaining
//! keys, each `key: value` in YAML flow syntax; the blockquote after it is the summary (of a
//! question) or the subtitle (of the bank). Markdown fields are written as they are in the
//! YAML; a question's text is joined onto one line.

use std::fmt::Write as _;

use crate::model::{Bank, Level, Question};

/// Separates the `key: value` code spans of a metadata line.
pub const META_SEPARATOR: &str = " · ";

/// The bank as one Markdown document.
pub fn export(bank: &Bank) -> String {
    let mut out = String::new();
    let meta = &bank.meta;
    heading(
        &mut out,
        1,
        &one_line(&meta.title),
        &format!("#{}", meta.id),
    );
    let mut fields = vec![
        ("version", yaml_scalar(&meta.version)),
        ("language", yaml_scalar(&meta.language)),
    ];
    if !meta.authors.is_empty() {
        fields.push(("authors", yaml_list(&meta.authors)));
    }
    meta_line(&mut out, &fields);
    if let Some(subtitle) = &meta.subtitle {
        blockquote(&mut out, subtitle);
    }
    if let Some(description) = &meta.description {
        block(&mut out, description);
    }
    for part in &bank.parts {
        heading(&mut out, 1, &one_line(&part.title), PART_CLASS);
        for section in &part.sections {
            heading(
                &mut out,
                2,
                &one_line(&section.title),
                &format!("#{}", section.id),
            );
            for (n, q) in section.questions.iter().enumerate() {
                question(&mut out, n + 1, q);
            }
        }
    }
    // One trailing newline, as a text file ends.
    let end = out.trim_end_matches('\n').len();
    out.truncate(end);
    out.push('\n');
    out
}

fn question(out: &mut String, number: usize, q: &Question) {
    heading(
        out,
        3,
        &format!("{number}. {}", one_line(&q.question)),
        &format!("#{}", q.id),
    );
    let mut fields = Vec::new();
    if let Some(level) = q.level {
        fields.push(("level", level_name(level).to_string()));
    }
    if !q.tags.is_empty() {
        fields.push(("tags", yaml_list(&q.tags)));
    }
    meta_line(out, &fields);
    if let Some(summary) = &q.summary {
        blockquote(out, summary);
    }
    if let Some(answer) = &q.answer {
        block(out, answer);
    }
}

/// The heading attribute that marks a part: `# Part title {.part}`. A `#` heading in an answer
/// has none, so the two never mix.
pub const PART_CLASS: &str = ".part";

/// `### text {attribute}` (`#id` or `.part`), then a blank line.
fn heading(out: &mut String, level: usize, text: &str, attribute: &str) {
    out.push_str(&"#".repeat(level));
    out.push(' ');
    out.push_str(&escape_closing_hashes(text));
    let _ = write!(out, " {{{attribute}}}");
    out.push_str("\n\n");
}

/// `` `key: value` · `key: value` ``, then a blank line; nothing when there are no fields.
fn meta_line(out: &mut String, fields: &[(&str, String)]) {
    if fields.is_empty() {
        return;
    }
    let spans: Vec<String> = fields
        .iter()
        .map(|(key, value)| code_span(&format!("{key}: {value}")))
        .collect();
    out.push_str(&spans.join(META_SEPARATOR));
    out.push_str("\n\n");
}

/// Markdown as a blockquote: every line prefixed, so nothing continues lazily.
fn blockquote(out: &mut String, md: &str) {
    for line in md.trim_end().lines() {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
}

/// Markdown as written, ending in one blank line.
fn block(out: &mut String, md: &str) {
    out.push_str(md.trim_end_matches(['\n', '\r']));
    out.push_str("\n\n");
}

/// A heading holds one line: line breaks in the source are soft, so a space reads the same.
fn one_line(md: &str) -> String {
    md.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading text ending in ` #` would lose the `#`s (an ATX closing sequence; with
/// heading attributes too, once `{#id}` is taken off): the first one is escaped.
fn escape_closing_hashes(text: &str) -> String {
    let head = text.trim_end_matches('#');
    if head.len() == text.len() || !(head.is_empty() || head.ends_with([' ', '\t'])) {
        return text.to_string();
    }
    format!("{head}\\{}", &text[head.len()..])
}

/// Inline code holding `text` exactly: a fence longer than any backtick run inside, and a
/// space of padding where the text starts or ends with a backtick.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Junior => "junior",
        Level::Mid => "mid",
        Level::Senior => "senior",
    }
}

/// `[a, b]` in YAML flow syntax.
fn yaml_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| yaml_scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A string as a YAML flow scalar that reads back as this string: plain when that is safe
/// (`0.1.0`, `qbank contributors`), double-quoted (JSON's escapes, valid YAML) otherwise.
fn yaml_scalar(s: &str) -> String {
    let safe_chars = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '+'));
    let lower = s.to_ascii_lowercase();
    let keyword = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let number = s.parse::<f64>().is_ok()
        || s.parse::<i64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower.starts_with("-.inf")
        || lower == ".nan";
    let plain = !s.is_empty()
        && safe_chars
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !s.ends_with(' ')
        && !keyword
        && !number;
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("level: mid"), "`level: mid`");
        assert_eq!(code_span("a `b` c"), "``a `b` c``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }

    #[test]
    fn scalars_read_back_as_the_same_string() {
        for s in [
            "0.1.0",
            "1.0",
            "1",
            "en",
            "pt-BR",
            "qbank contributors",
            "yes",
            "No",
            "O'Brien, Jane",
            "[x]",
            "",
            "a: b",
            " lead",
            "trail ",
            "# not a comment",
            "\"quoted\"",
            ".inf",
            "0x10",
            "null",
        ] {
            let yaml = format!("v: {}", yaml_scalar(s));
            let back: std::collections::HashMap<String, String> =
                serde_norway::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(back["v"], s, "{yaml}");
        }
        let list = format!(
            "v: {}",
            yaml_list(&["a b".into(), "1.5".into(), "c,d".into()])
        );
        let back: std::collections::HashMap<String, Vec<String>> =
            serde_norway::from_str(&list).unwrap();
        assert_eq!(back["v"], ["a b", "1.5", "c,d"]);
    }

    #[test]
    fn headings_are_one_line_and_keep_a_closing_hash() {
        assert_eq!(one_line("What is\n  a `dict`?\n"), "What is a `dict`?");
        assert_eq!(escape_closing_hashes("Notes on C#"), "Notes on C#");
        assert_eq!(escape_closing_hashes("Notes ##"), "Notes \\##");
        assert_eq!(escape_closing_hashes("#"), "\\#");
    }
}
