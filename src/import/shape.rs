//! Reading back what `qbank export markdown` writes, exactly: ids from the `{#id}` heading
//! attributes, level and tags from the line of code spans under a heading, the summary (or the
//! bank's subtitle) from the blockquote after it, and every answer verbatim — code fences keep
//! their info strings, `q:` cross-references stay links. The shape is documented in the README
//! ("Export") and in [`crate::export::markdown`].
//!
//! A document is read this way when it opens like an export: a `#` heading with an id, then a
//! metadata line (see [`is_export`]). Anything else goes to the general reader
//! ([`super::reader`]), which guesses structure and mints ids.
//!
//! The structure headings are found with pulldown-cmark (so a `#` line inside a code block is
//! never one); every text is then a slice of the source. A `##`/`###` heading with an id, or
//! a `#` heading marked `{.part}`, ends the answer before it; other headings belong to the
//! answer.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use super::Imported;
use super::sanitize::{Local, Media, sanitize_with};
use crate::export::markdown::{META_SEPARATOR, PART_CLASS};
use crate::markup::parser_options;
use crate::model::ids::is_slug;
use crate::model::{Bank, BankMeta, Level, Origin, Part, Question, Section};

/// A problem in an exported document, at its 1-based line.
#[derive(Debug)]
pub struct ShapeError {
    pub line: usize,
    pub message: String,
}

/// One heading of the structure, with what follows it up to the next one.
struct Block<'a> {
    kind: Kind,
    /// The heading's text as written (the `#`s, the number and the `{#id}` taken off).
    text: String,
    id: Option<String>,
    line: usize,
    /// Everything between this heading and the next structure heading.
    body: &'a str,
    /// The byte offset of `body` in the document.
    body_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bank,
    Part,
    Section,
    Question,
}

/// Whether `text` opens like an export: its first block is a `#` heading with an id, and the
/// next is a line of `key: value` code spans.
pub(super) fn is_export(text: &str) -> bool {
    let mut events = Parser::new_ext(text, options()).into_offset_iter();
    let Some((Event::Start(Tag::Heading { level, id, .. }), _)) = events.next() else {
        return false;
    };
    if level != HeadingLevel::H1 || id.is_none() {
        return false;
    }
    for (event, range) in events.by_ref() {
        if let Event::End(TagEnd::Heading(_)) = event {
            let rest = &text[range.end..];
            return meta_fields(first_paragraph(rest)).is_some();
        }
    }
    false
}

/// Reads an exported document into a bank. Images are looked up in `base` (the Markdown
/// file's folder) and copied when they are inside it; any other image or link qbank would
/// refuse becomes its text, with a warning.
pub(super) fn read(text: &str, base: Option<&Path>) -> Result<Imported, Vec<ShapeError>> {
    let blocks = structure(text);
    let mut errors = Vec::new();
    let mut media = Media::in_folder(base);
    let mut warnings = Vec::new();
    // Section ids and question ids are separate namespaces, as in bank.yaml.
    let mut ids: HashSet<(bool, String)> = HashSet::new();
    let mut bank: Option<Bank> = None;
    for block in &blocks {
        let mut fail = |message: String| {
            errors.push(ShapeError {
                line: block.line,
                message,
            })
        };
        if let Some(id) = &block.id {
            if !is_slug(id) {
                fail(format!(
                    "`{{#{id}}}` is not an id: lowercase letters, digits and single hyphens"
                ));
            } else if block.kind != Kind::Bank
                && !ids.insert((block.kind == Kind::Section, id.clone()))
            {
                fail(format!("the id `{id}` is used twice"));
            }
        }
        let (meta, summary, rest) = split_body(block.body);
        let heading = admit(&block.text, block.line, &mut media, &mut warnings);
        let summary = summary.map(|s| admit(&s, block.line, &mut media, &mut warnings));
        let fields = match meta.map(parse_fields) {
            Some(Ok(fields)) => fields,
            Some(Err(e)) => {
                fail(e);
                Fields::default()
            }
            None => Fields::default(),
        };
        let rest_offset = block.body_start + (block.body.len() - rest.len());
        let mut markdown = |md: &str, offset: usize| -> Option<String> {
            let md = md.trim_end_matches(['\n', ' ', '\t']);
            (!md.trim().is_empty()).then(|| {
                let line = line_of(text, offset);
                admit(md, line, &mut media, &mut warnings) + "\n"
            })
        };
        match block.kind {
            Kind::Bank => {
                if bank.is_some() {
                    fail("a second bank title (a `#` heading with an id)".into());
                    continue;
                }
                if fields.level.is_some() || !fields.tags.is_empty() {
                    fail("`level` and `tags` belong to questions".into());
                }
                bank = Some(Bank {
                    meta: BankMeta {
                        id: block.id.clone().unwrap_or_default(),
                        title: heading.clone(),
                        subtitle: summary,
                        language: fields.language.unwrap_or_else(|| "en".into()),
                        authors: fields.authors,
                        description: markdown(rest, rest_offset).map(|d| d.trim_end().to_string()),
                        version: fields.version.unwrap_or_else(|| "0.1.0".into()),
                        labels: Default::default(),
                    },
                    parts: Vec::new(),
                    root: PathBuf::new(),
                    environments: Default::default(),
                    release: Default::default(),
                });
            }
            kind => {
                let Some(bank) = bank.as_mut() else {
                    fail("the document must open with the bank's title (`# Title {#id}`)".into());
                    continue;
                };
                if fields.version.is_some()
                    || fields.language.is_some()
                    || !fields.authors.is_empty()
                {
                    fail(
                        "`version`, `language` and `authors` belong under the bank's title".into(),
                    );
                }
                let leftover = !rest.trim().is_empty() || summary.is_some();
                match kind {
                    Kind::Part => {
                        if leftover {
                            fail("text under a part heading, before its first section".into());
                        }
                        bank.parts.push(Part {
                            title: heading.clone(),
                            sections: Vec::new(),
                        });
                    }
                    Kind::Section => {
                        if leftover {
                            fail("text under a section heading, before its first question".into());
                        }
                        let Some(part) = bank.parts.last_mut() else {
                            fail("a section before the first part (`# Part title`)".into());
                            continue;
                        };
                        part.sections.push(Section {
                            id: block.id.clone().unwrap_or_default(),
                            title: heading.clone(),
                            questions: Vec::new(),
                            origin: Origin::default(),
                        });
                    }
                    _ => {
                        let Some(section) =
                            bank.parts.last_mut().and_then(|p| p.sections.last_mut())
                        else {
                            fail("a question before the first section (`## Title {#id}`)".into());
                            continue;
                        };
                        section.questions.push(Question {
                            id: block.id.clone().unwrap_or_default(),
                            question: heading.clone(),
                            level: fields.level,
                            tags: fields.tags,
                            summary,
                            answer: markdown(rest, rest_offset),
                            origin: Origin::default(),
                        });
                    }
                }
            }
        }
    }
    if let Some(bank) = &bank {
        let names = environments_named(bank);
        if !names.is_empty() {
            let names = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            warnings.push(format!(
                "code blocks run in the environments {names}, which a Markdown export does not \
                 carry: declare {names} under `environments:` in bank.yaml (with the folders \
                 they use), as the exported bank did"
            ));
        }
    }
    match bank {
        Some(bank) if errors.is_empty() => Ok(Imported {
            bank,
            warnings,
            python_norun: 0,
            placeholder_summaries: 0,
            media,
        }),
        None if errors.is_empty() => Err(vec![ShapeError {
            line: 1,
            message: "no bank title (`# Title {#id}`)".into(),
        }]),
        _ => Err(errors),
    }
}

/// The environments the answers' code blocks name (`env=NAME` in an info string), sorted.
fn environments_named(bank: &Bank) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for (_, q) in bank.questions() {
        let Some(answer) = &q.answer else { continue };
        for event in Parser::new_ext(answer, parser_options()) {
            if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
                names.extend(
                    info.split_whitespace()
                        .filter_map(|w| w.strip_prefix("env="))
                        .map(str::to_string),
                );
            }
        }
    }
    names
}

fn options() -> Options {
    parser_options() | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The structure headings, each with the text up to the next one.
fn structure(text: &str) -> Vec<Block<'_>> {
    let mut heads: Vec<(Kind, Range<usize>, Option<String>)> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level,
                ref id,
                ref classes,
                ..
            }) if depth == 0 => {
                let id = id.as_ref().map(|s| s.to_string());
                let part = classes
                    .iter()
                    .any(|c| PART_CLASS.strip_prefix('.') == Some(c));
                let kind = match (level, &id) {
                    (HeadingLevel::H1, Some(_)) if heads.is_empty() => Some(Kind::Bank),
                    (HeadingLevel::H1, None) if part => Some(Kind::Part),
                    (HeadingLevel::H2, Some(_)) => Some(Kind::Section),
                    (HeadingLevel::H3, Some(_)) => Some(Kind::Question),
                    _ => None,
                };
                if let Some(kind) = kind {
                    heads.push((kind, range.clone(), id));
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    let mut blocks = Vec::with_capacity(heads.len());
    for (k, (kind, range, id)) in heads.iter().enumerate() {
        let line_end = text[range.start..]
            .find('\n')
            .map_or(text.len(), |n| range.start + n);
        let body_start = (line_end + 1).min(text.len());
        let body_end = heads
            .get(k + 1)
            .map_or(text.len(), |(_, next, _)| line_start(text, next.start));
        let attribute = match kind {
            Kind::Part => Some(PART_CLASS.to_string()),
            _ => id.as_ref().map(|id| format!("#{id}")),
        };
        let mut heading = heading_text(&text[range.start..line_end], attribute.as_deref());
        if *kind == Kind::Question {
            heading = strip_number(&heading).to_string();
        }
        blocks.push(Block {
            kind: *kind,
            text: heading,
            id: id.clone(),
            line: line_of(text, range.start),
            body: &text[body_start..body_end.max(body_start)],
            body_start,
        });
    }
    blocks
}

/// `### 1. Text {#id}` → `1. Text` (the closing-hash escape the exporter adds undone).
fn heading_text(line: &str, attribute: Option<&str>) -> String {
    let mut text = line.trim_start().trim_start_matches('#').trim();
    if let Some(attribute) = attribute {
        let attr = format!("{{{attribute}}}");
        if let Some(head) = text.strip_suffix(attr.as_str()) {
            text = head.trim_end();
        }
    }
    let hashes = text.trim_end_matches('#');
    if hashes.len() < text.len()
        && let Some(head) = hashes.strip_suffix('\\')
        && (head.is_empty() || head.ends_with([' ', '\t']))
    {
        return format!("{head}{}", &text[hashes.len()..]);
    }
    text.to_string()
}

/// `12. What…` → `What…`.
fn strip_number(text: &str) -> &str {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match text[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest,
        _ => text,
    }
}

/// The body of a heading split into its metadata line, its blockquote (unquoted) and the rest.
fn split_body(body: &str) -> (Option<&str>, Option<String>, &str) {
    let mut rest = body.trim_start_matches('\n');
    let mut meta = None;
    let first = first_paragraph(rest);
    if meta_fields(first).is_some() {
        meta = Some(first);
        rest = rest[first.len()..].trim_start_matches('\n');
    }
    let mut quote = Vec::new();
    let mut taken = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        let Some(inner) = bare.strip_prefix('>') else {
            break;
        };
        quote.push(inner.strip_prefix(' ').unwrap_or(inner));
        taken += line.len();
    }
    let summary = (!quote.is_empty()).then(|| quote.join("\n").trim_end().to_string());
    (meta, summary, rest[taken..].trim_start_matches('\n'))
}

/// The first paragraph of `text` (up to a blank line), blank lines before it skipped.
fn first_paragraph(text: &str) -> &str {
    let text = text.trim_start_matches('\n');
    let end = text.find("\n\n").map_or(text.len(), |n| n + 1);
    &text[..end]
}

/// The `key: value` texts of a metadata line, or `None` when `line` is not one.
fn meta_fields(line: &str) -> Option<Vec<String>> {
    let line = line.trim_end_matches('\n');
    if line.is_empty() || line.contains('\n') || !line.starts_with('`') {
        return None;
    }
    let mut fields = Vec::new();
    let mut depth = 0;
    for (event, _) in Parser::new_ext(line, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Code(code) if depth == 0 && code.contains(": ") => {
                fields.push(code.to_string());
                depth = 1;
            }
            Event::Text(t) if depth == 1 && t.as_ref() == META_SEPARATOR => depth = 0,
            _ => return None,
        }
    }
    (!fields.is_empty() && depth == 1).then_some(fields)
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    level: Option<Level>,
    #[serde(default)]
    tags: Vec<String>,
    version: Option<String>,
    language: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
}

fn parse_fields(line: &str) -> Result<Fields, String> {
    let fields = meta_fields(line).unwrap_or_default();
    let yaml = fields.join("\n");
    serde_norway::from_str(&yaml).map_err(|e| format!("in the metadata line: {e}"))
}

/// Markdown made safe for a bank: images inside the Markdown file's folder are copied; other
/// images, and links that are not web, mail or `q:` links, become their text.
fn admit(md: &str, line: usize, media: &mut Media, warnings: &mut Vec<String>) -> String {
    for (event, _) in Parser::new_ext(md, parser_options()).into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && media.find(&dest_url) != Local::Inside
        {
            warnings.push(format!(
                "line {line}: image `{dest_url}` kept as plain text (it is not a file inside the \
                 Markdown file's folder; export into the bank's own folder to keep images)"
            ));
        }
    }
    sanitize_with(md, media, true)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |n| n + 1)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_texts_lose_number_id_and_escape() {
        assert_eq!(
            heading_text("### 3. What? {#what}", Some("#what")),
            "3. What?"
        );
        assert_eq!(strip_number("3. What?"), "What?");
        assert_eq!(strip_number("What. Now"), "What. Now");
        assert_eq!(heading_text("# Notes \\## {#n}", Some("#n")), "Notes ##");
        assert_eq!(
            heading_text("# Part one {.part}", Some(".part")),
            "Part one"
        );
    }

    #[test]
    fn metadata_lines_are_code_spans_only() {
        assert_eq!(
            meta_fields("`level: mid` · `tags: [a, b]`\n"),
            Some(vec!["level: mid".to_string(), "tags: [a, b]".to_string()])
        );
        assert_eq!(meta_fields("`level: mid` and more"), None);
        assert_eq!(meta_fields("Some `code: x` prose"), None);
        assert_eq!(meta_fields("`x`"), None);
    }

    #[test]
    fn bodies_split_into_meta_summary_and_answer() {
        let (meta, summary, rest) =
            split_body("\n`level: mid`\n\n> One.\n>\n> Two.\n\nThe answer.\n\n> quoted\n");
        assert_eq!(meta, Some("`level: mid`\n"));
        assert_eq!(summary.as_deref(), Some("One.\n\nTwo."));
        assert_eq!(rest, "The answer.\n\n> quoted\n");
    }
}
