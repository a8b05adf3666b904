//! Reading the Markdown's structure: pulldown-cmark parses the file once, with source offsets,
//! and the document's top-level blocks drive the bank — `#` headings become parts, deeper ones
//! sections, numbered headings and numbered list items questions — while everything after a
//! question flows into its answer ([`super::answer`]). [`Importer::finish`] then mints the ids
//! and the summaries.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::answer::{Piece, assemble};
use super::code::count_norun;
use super::sanitize::{Media, sanitize};
use super::summary::{PLACEHOLDER_SUMMARY, summarize};
use super::text::width;
use super::{ImportOptions, Imported};
use crate::markup::parser_options;
use crate::model::ids::{question_slug, title_slug, unique};
use crate::model::{Bank, BankMeta, Origin, Part, Question, Section};

/// A child of a container: a block (events `lo..hi`, Start to End) or a run of inline events
/// (the unwrapped text of a tight list item).
#[derive(Debug, Clone, Copy)]
pub(super) enum Child {
    Block(usize, usize),
    Inline(usize, usize),
}

/// What opened the question that content currently flows into.
#[derive(Debug, Clone, Copy)]
enum Open {
    Heading,
    /// A list item, with its number: a later list continues the questions only when it
    /// numbers on from there (`1. Q` … text … `2. Q`); one starting again is answer content.
    Item(u64),
}

struct DraftPart {
    title: Option<String>,
    sections: Vec<DraftSection>,
}

struct DraftSection {
    title: Option<(String, String)>,
    line: usize,
    questions: Vec<DraftQuestion>,
}

struct DraftQuestion {
    text: String,
    plain: String,
    pieces: Vec<Piece>,
}

pub(super) struct Importer<'a> {
    pub(super) src: &'a str,
    pub(super) events: Vec<(Event<'a>, Range<usize>)>,
    /// For a `Start` event, the index of its `End`; for any other event, its own index.
    pub(super) ends: Vec<usize>,
    pub(super) line_starts: Vec<usize>,
    pub(super) options: &'a ImportOptions,
    title: Option<(String, String)>,
    parts: Vec<DraftPart>,
    structure_seen: bool,
    open: Option<Open>,
    pub(super) warnings: Vec<String>,
    /// The images to copy into the bank, looked up in the Markdown file's folder.
    pub(super) media: Media,
}

impl<'a> Importer<'a> {
    pub(super) fn new(src: &'a str, options: &'a ImportOptions, base: Option<&'a Path>) -> Self {
        let events: Vec<_> = Parser::new_ext(src, parser_options())
            .into_offset_iter()
            .collect();
        let mut ends: Vec<usize> = (0..events.len()).collect();
        let mut stack = Vec::new();
        for (i, (event, _)) in events.iter().enumerate() {
            match event {
                Event::Start(_) => stack.push(i),
                Event::End(_) => {
                    if let Some(start) = stack.pop() {
                        ends[start] = i;
                    }
                }
                _ => {}
            }
        }
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Importer {
            src,
            events,
            ends,
            line_starts,
            options,
            title: None,
            parts: Vec::new(),
            structure_seen: false,
            open: None,
            warnings: Vec::new(),
            media: Media::in_folder(base),
        }
    }

    pub(super) fn run(mut self, fallback_title: &str) -> Imported {
        for child in self.children(0, self.events.len()) {
            match child {
                Child::Block(lo, hi) => self.top_block(lo, hi),
                inline => self.content(inline),
            }
        }
        self.finish(fallback_title)
    }

    /// The children of the events `lo..hi`, which must be one container's contents.
    fn children(&self, lo: usize, hi: usize) -> Vec<Child> {
        let mut out = Vec::new();
        let mut k = lo;
        while k < hi {
            if is_block(&self.events[k].0) {
                out.push(Child::Block(k, self.ends[k] + 1));
                k = self.ends[k] + 1;
            } else {
                let start = k;
                while k < hi && !is_block(&self.events[k].0) {
                    k = self.ends[k] + 1;
                }
                out.push(Child::Inline(start, k));
            }
        }
        out
    }

    fn top_block(&mut self, lo: usize, hi: usize) {
        match &self.events[lo].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                self.heading(lo, hi, level);
            }
            Event::Rule => {}
            Event::Start(Tag::List(Some(start))) if self.list_starts_questions(*start) => {
                let start = *start;
                self.question_list(lo, hi, start);
            }
            _ => self.content(Child::Block(lo, hi)),
        }
    }

    fn list_starts_questions(&self, start: u64) -> bool {
        match self.open {
            None => true,
            Some(Open::Heading) => false,
            Some(Open::Item(n)) => start > n,
        }
    }

    fn heading(&mut self, lo: usize, hi: usize, level: HeadingLevel) {
        let line = self.line(self.events[lo].1.start);
        let (md, plain) = self.inline(lo + 1, hi - 1);
        if let (Some(text), Some(plain)) = (strip_number(&md), strip_number(&plain)) {
            self.question(text, plain, Open::Heading, line);
            return;
        }
        if md.is_empty() {
            return;
        }
        self.open = None;
        if level == HeadingLevel::H1 && self.title.is_none() && !self.structure_seen {
            self.title = Some((md, plain));
            return;
        }
        self.structure_seen = true;
        if level == HeadingLevel::H1 {
            self.parts.push(DraftPart {
                title: Some(md),
                sections: Vec::new(),
            });
        } else {
            self.current_part().sections.push(DraftSection {
                title: Some((md, plain)),
                line,
                questions: Vec::new(),
            });
        }
    }

    fn question_list(&mut self, lo: usize, hi: usize, start: u64) {
        let items = self.children(lo + 1, hi - 1);
        for (n, item) in items.into_iter().enumerate() {
            let Child::Block(ilo, ihi) = item else {
                continue;
            };
            let number = start + n as u64;
            let line = self.line(self.events[ilo].1.start);
            let kids = self.children(ilo + 1, ihi - 1);
            let question = match kids.first() {
                Some(Child::Inline(a, b)) => Some((*a, *b)),
                Some(Child::Block(a, b))
                    if matches!(self.events[*a].0, Event::Start(Tag::Paragraph)) =>
                {
                    Some((*a + 1, *b - 1))
                }
                _ => None,
            };
            let (md, plain) = question.map_or_else(Default::default, |(a, b)| self.inline(a, b));
            if md.is_empty() {
                self.warnings.push(format!(
                    "line {line}: numbered item {number} has no question text; left out"
                ));
                continue;
            }
            self.question(md, plain, Open::Item(number), line);
            for kid in kids.into_iter().skip(1) {
                self.content(kid);
            }
        }
    }

    fn question(&mut self, text: String, plain: String, open: Open, line: usize) {
        self.structure_seen = true;
        self.open = Some(open);
        if text.is_empty() {
            self.warnings.push(format!(
                "line {line}: numbered heading without text; left out"
            ));
            self.open = None;
            return;
        }
        let text = one_paragraph(sanitize(&text, &self.media));
        let part = self.current_part();
        if part.sections.is_empty() {
            part.sections.push(DraftSection {
                title: None,
                line,
                questions: Vec::new(),
            });
        }
        let section = part
            .sections
            .last_mut()
            .expect("a section was just ensured");
        section.questions.push(DraftQuestion {
            text,
            plain,
            pieces: Vec::new(),
        });
    }

    fn current_part(&mut self) -> &mut DraftPart {
        if self.parts.is_empty() {
            self.parts.push(DraftPart {
                title: None,
                sections: Vec::new(),
            });
        }
        self.parts.last_mut().expect("a part was just ensured")
    }

    /// Content after a question goes into its answer; content before any question is left out.
    fn content(&mut self, child: Child) {
        let open = self.open.is_some();
        let pieces = if open { self.pieces(child) } else { Vec::new() };
        let question = self
            .parts
            .last_mut()
            .and_then(|p| p.sections.last_mut())
            .and_then(|s| s.questions.last_mut())
            .filter(|_| open);
        match question {
            Some(q) => q.pieces.extend(pieces),
            None => {
                let (Child::Block(lo, _) | Child::Inline(lo, _)) = child;
                let trivial = match child {
                    Child::Block(lo, hi) => {
                        matches!(self.events[lo].0, Event::Rule) || self.trivial_html(lo, hi)
                    }
                    Child::Inline(..) => false,
                };
                if !trivial {
                    let line = self.line(self.events[lo].1.start);
                    self.warnings.push(format!(
                        "line {line}: text outside any question (before the first one of its section); left out"
                    ));
                }
            }
        }
    }

    /// The source of inline events `lo..hi`. An escaped first character's event starts after
    /// its backslash, which belongs to the text too.
    pub(super) fn span(&self, lo: usize, hi: usize) -> Range<usize> {
        let events = &self.events[lo..hi];
        let mut start = events.iter().map(|(_, r)| r.start).min().unwrap_or(0);
        let end = events.iter().map(|(_, r)| r.end).max().unwrap_or(start);
        if start > 0 && self.src.as_bytes()[start - 1] == b'\\' {
            start -= 1;
        }
        start..end
    }

    /// The 1-based line of a byte offset.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// The display column (tabs to multiples of 4) of a byte offset.
    pub(super) fn column(&self, offset: usize) -> usize {
        let start = self.line_starts[self.line(offset) - 1];
        width(&self.src[start..offset])
    }

    /// The bank from the drafts: ids minted, answers sanitized, summaries picked; empty
    /// sections and parts left out with a warning.
    fn finish(mut self, fallback_title: &str) -> Imported {
        let (title, title_plain) = self.title.clone().unwrap_or_else(|| {
            let t = if fallback_title.is_empty() {
                "Imported questions".to_string()
            } else {
                fallback_title.to_string()
            };
            (t.clone(), t)
        });
        let mut imported = Imported {
            bank: Bank {
                meta: BankMeta {
                    id: title_slug(&title_plain).unwrap_or_else(|| "imported-bank".into()),
                    title: title.clone(),
                    subtitle: None,
                    language: "en".into(),
                    authors: Vec::new(),
                    description: None,
                    version: "0.1.0".into(),
                    labels: Default::default(),
                },
                parts: Vec::new(),
                root: PathBuf::new(),
                environments: Default::default(),
                release: Default::default(),
            },
            warnings: std::mem::take(&mut self.warnings),
            python_norun: 0,
            placeholder_summaries: 0,
            media: Media::default(),
        };
        let mut section_ids = HashSet::new();
        let mut question_ids = HashSet::new();
        for draft in std::mem::take(&mut self.parts) {
            let part_title = draft.title.clone().unwrap_or_else(|| title.clone());
            let mut part = Part {
                title: part_title.clone(),
                sections: Vec::new(),
            };
            for section in draft.sections {
                let (section_title, section_plain) = section.title.clone().unwrap_or_else(|| {
                    let plain = if draft.title.is_some() {
                        plain_text(&part_title)
                    } else {
                        title_plain.clone()
                    };
                    (part_title.clone(), plain)
                });
                if section.questions.is_empty() {
                    imported.warnings.push(format!(
                        "line {}: section \"{}\" has no questions; left out",
                        section.line, section_plain
                    ));
                    continue;
                }
                let base = title_slug(&section_plain).unwrap_or_else(|| "section".into());
                let mut out = Section {
                    id: unique(base, &mut section_ids),
                    title: section_title,
                    questions: Vec::new(),
                    origin: Origin::default(),
                };
                for q in section.questions {
                    let base = question_slug(&q.plain).unwrap_or_else(|| "question".into());
                    let id = unique(base, &mut question_ids);
                    let answer = assemble(q.pieces).map(|a| sanitize(&a, &self.media));
                    imported.python_norun += answer.as_deref().map_or(0, count_norun);
                    let summary = answer.as_deref().map(|a| {
                        summarize(a).unwrap_or_else(|| {
                            imported.placeholder_summaries += 1;
                            imported.warnings.push(format!(
                                "question `{id}`: the answer has no sentence to summarize; \
                                 its summary is a placeholder (\"{PLACEHOLDER_SUMMARY}\")"
                            ));
                            PLACEHOLDER_SUMMARY.to_string()
                        })
                    });
                    out.questions.push(Question {
                        id,
                        question: q.text,
                        level: None,
                        tags: Vec::new(),
                        summary,
                        answer,
                        origin: Origin::default(),
                    });
                }
                part.sections.push(out);
            }
            if part.sections.is_empty() {
                imported
                    .warnings
                    .push(format!("part \"{part_title}\" has no questions; left out"));
                continue;
            }
            imported.bank.parts.push(part);
        }
        imported.media = std::mem::take(&mut self.media);
        imported
    }
}

pub(super) fn is_block(event: &Event) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::MetadataBlock(_)
        ),
        Event::Rule => true,
        _ => false,
    }
}

/// `1. What…` / `12) What…` → `What…`; `None` when the text is not numbered.
pub(super) fn strip_number(text: &str) -> Option<String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &text[digits..];
    let rest = rest.strip_prefix('\\').unwrap_or(rest);
    let rest = rest.strip_prefix(['.', ')'])?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim().to_string())
}

/// Question text is one paragraph: a text that would parse as something else on its own
/// (`- x`, `2019. x`, `# x`) gets its first marker escaped.
pub(super) fn one_paragraph(md: String) -> String {
    if is_one_paragraph(&md) {
        return md;
    }
    let digits = md.bytes().take_while(u8::is_ascii_digit).count();
    let escaped = if digits > 0 {
        format!("{}\\{}", &md[..digits], &md[digits..])
    } else if md.starts_with(|c: char| c.is_ascii_punctuation()) {
        format!("\\{md}")
    } else {
        return md;
    };
    if is_one_paragraph(&escaped) {
        escaped
    } else {
        md
    }
}

fn is_one_paragraph(md: &str) -> bool {
    let events: Vec<Event> = Parser::new_ext(md, parser_options()).collect();
    matches!(events.first(), Some(Event::Start(Tag::Paragraph)))
        && events
            .iter()
            .filter(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            .count()
            == 1
        && matches!(events.last(), Some(Event::End(TagEnd::Paragraph)))
}

fn plain_text(md: &str) -> String {
    Parser::new_ext(md, parser_options())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".into()),
            _ => None,
        })
        .collect()
}

/// `interview-questions_2024` → `Interview questions 2024`.
pub(super) fn title_from_file_name(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
