//! `qbank import markdown`: turns a Markdown list of interview questions into a new bank.
//!
//! pulldown-cmark parses the file once, with source offsets. The document's top-level blocks
//! drive the structure — headings become parts and sections, numbered headings and numbered
//! list items become questions — and every answer is a slice of the original source, so the
//! author's Markdown survives except for a few deliberate rewrites: code blocks become fences
//! (Python ones `norun`, so nothing imported runs unseen), `<b>`-style tags become Markdown.
//! The bank is serialized in memory and checked to read back identically before anything is
//! written.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
// The parser options every qbank Markdown reader uses, so the import sees the document
// exactly as the renderer will.
use crate::markup::parser_options;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use crate::authoring::{BANK_MODELINE, SCHEMA_DIR, SECTION_MODELINE};
use crate::model::files::{BankFile, SectionFile};
use crate::model::{Question, slugify};

/// What an import produced.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub parts: usize,
    pub sections: usize,
    pub questions: usize,
    pub answered: usize,
    /// The generated bank id.
    pub bank_id: String,
    /// Python code blocks written as `python norun`: imported code is compiled by
    /// `qbank check --run-examples`, never executed, until someone vouches for it.
    pub python_norun: usize,
    /// Answers whose first paragraph had no sentence to use as the summary, so they got a
    /// placeholder to replace.
    pub placeholder_summaries: usize,
    /// Content left out or worth a look, as `line N: …`.
    pub warnings: Vec<String>,
    /// Every file written.
    pub files: Vec<PathBuf>,
}

/// Choices the Markdown cannot make by itself.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The language of indented code blocks, which carry none. `None` writes them as `text`;
    /// `python` writes `python norun`.
    pub code_language: Option<String>,
}

/// Reads the Markdown file `source` and writes a new bank into `into`.
pub fn markdown(source: &Path, into: &Path) -> Result<ImportReport> {
    markdown_with(source, into, &ImportOptions::default())
}

/// [`markdown`], with options.
pub fn markdown_with(source: &Path, into: &Path, options: &ImportOptions) -> Result<ImportReport> {
    if into.join("bank.yaml").exists() {
        bail!(
            "{} already holds a bank (bank.yaml exists); import into a new folder",
            into.display()
        );
    }
    let bytes = std::fs::read(source).with_context(|| format!("reading {}", source.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8 text", source.display()))?;
    let text = clean(&text);
    let fallback_title = source
        .file_stem()
        .and_then(|s| s.to_str())
        .map(title_from_file_name)
        .unwrap_or_default();
    let base = source
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let bank = Importer::new(&text, options, Some(base)).run(&fallback_title);
    if bank.questions().count() == 0 {
        bail!(
            "found no questions in {}: questions are numbered headings (`## 1. What…`) or \
             numbered list items (`1. What…`)",
            source.display()
        );
    }
    let files = bank.files();
    verify(&bank, &files)?;
    let written = write(into, &files, &bank.media)?;
    Ok(ImportReport {
        parts: bank.parts.len(),
        sections: bank.parts.iter().map(|p| p.sections.len()).sum(),
        questions: bank.questions().count(),
        answered: bank.questions().filter(|q| q.answer.is_some()).count(),
        bank_id: bank.id,
        python_norun: bank.python_norun,
        placeholder_summaries: bank.placeholder_summaries,
        warnings: bank.warnings,
        files: written,
    })
}

/// Generated ids keep at most this many words.
const ID_WORDS: usize = 6;
/// A summary longer than this many words is cut at a word boundary and ends with `…`.
const SUMMARY_WORDS: usize = 35;
/// Written when an answer has no sentence to summarize (it is only code, say).
const PLACEHOLDER_SUMMARY: &str = "See the answer.";

// ---------------------------------------------------------------------------------------------
// The bank as built in memory.

struct Bank {
    id: String,
    title: String,
    parts: Vec<PartOut>,
    warnings: Vec<String>,
    python_norun: usize,
    placeholder_summaries: usize,
    /// Images to copy: (path in the bank, source file).
    media: Vec<(PathBuf, PathBuf)>,
}

struct PartOut {
    title: String,
    sections: Vec<SectionOut>,
}

struct SectionOut {
    id: String,
    title: String,
    questions: Vec<QuestionOut>,
}

struct QuestionOut {
    id: String,
    question: String,
    summary: Option<String>,
    answer: Option<String>,
}

impl Bank {
    fn questions(&self) -> impl Iterator<Item = &QuestionOut> {
        self.parts
            .iter()
            .flat_map(|p| &p.sections)
            .flat_map(|s| &s.questions)
    }

    /// Every file of the bank, as (path relative to the bank folder, contents).
    fn files(&self) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        let mut bank = format!("{BANK_MODELINE}\n");
        push_scalar(&mut bank, 0, "id", &self.id);
        push_scalar(&mut bank, 0, "title", &self.title);
        bank.push_str("language: en\nversion: 0.1.0\nparts:\n");
        for part in &self.parts {
            push_scalar(&mut bank, 2, "- title", &part.title);
            bank.push_str("    sections:\n");
            for section in &part.sections {
                bank.push_str(&format!("      - {}\n", inline_scalar(&section.id)));
            }
        }
        files.push((PathBuf::from("bank.yaml"), bank));
        for section in self.parts.iter().flat_map(|p| &p.sections) {
            let mut text = format!("{SECTION_MODELINE}\n");
            push_scalar(&mut text, 0, "id", &section.id);
            push_scalar(&mut text, 0, "title", &section.title);
            text.push_str("questions:\n");
            for (i, q) in section.questions.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                push_scalar(&mut text, 2, "- id", &q.id);
                push_scalar(&mut text, 4, "question", &q.question);
                if let Some(summary) = &q.summary {
                    push_scalar(&mut text, 4, "summary", summary);
                }
                if let Some(answer) = &q.answer {
                    push_block(&mut text, 4, "answer", answer);
                }
            }
            files.push((PathBuf::from(format!("sections/{}.yaml", section.id)), text));
        }
        let (bank_schema, section_schema) = crate::model::files::schemas();
        files.push((Path::new(SCHEMA_DIR).join("bank.schema.json"), bank_schema));
        files.push((
            Path::new(SCHEMA_DIR).join("section.schema.json"),
            section_schema,
        ));
        files
    }
}

/// Reads the generated YAML back and compares it with what was meant: a mismatch is a bug in
/// the writer here, caught before anything lands on disk.
fn verify(bank: &Bank, files: &[(PathBuf, String)]) -> Result<()> {
    let text = |name: &str| {
        files
            .iter()
            .find(|(p, _)| p == Path::new(name))
            .map(|(_, t)| t.as_str())
            .unwrap_or_default()
    };
    let mismatch = |file: &str, what: &str| {
        anyhow!(
            "internal error: the generated {file} does not read back ({what}); please report this"
        )
    };
    let read: BankFile = serde_norway::from_str(text("bank.yaml"))
        .map_err(|e| mismatch("bank.yaml", &e.to_string()))?;
    let same_parts = read.parts.len() == bank.parts.len()
        && read.parts.iter().zip(&bank.parts).all(|(r, p)| {
            r.title == p.title
                && r.sections.len() == p.sections.len()
                && r.sections.iter().zip(&p.sections).all(|(a, b)| *a == b.id)
        });
    if read.id != bank.id || read.title != bank.title || !same_parts {
        return Err(mismatch("bank.yaml", "metadata or parts differ"));
    }
    for section in bank.parts.iter().flat_map(|p| &p.sections) {
        let name = format!("sections/{}.yaml", section.id);
        let read: SectionFile<Question> =
            serde_norway::from_str(text(&name)).map_err(|e| mismatch(&name, &e.to_string()))?;
        let same = read.id == section.id
            && read.title == section.title
            && read.questions.len() == section.questions.len()
            && read.questions.iter().zip(&section.questions).all(|(r, q)| {
                r.id == q.id
                    && r.question == q.question
                    && r.summary == q.summary
                    && r.answer == q.answer
            });
        if !same {
            return Err(mismatch(&name, "a question differs"));
        }
    }
    Ok(())
}

/// Writes the files into `into`. A new folder is staged beside it and renamed into place, so
/// a failure leaves nothing behind; an existing folder only ever gains files.
fn write(
    into: &Path,
    files: &[(PathBuf, String)],
    media: &[(PathBuf, PathBuf)],
) -> Result<Vec<PathBuf>> {
    let is_schema = |rel: &Path| rel.starts_with(SCHEMA_DIR);
    for rel in files
        .iter()
        .map(|(r, _)| r)
        .chain(media.iter().map(|(r, _)| r))
    {
        let path = into.join(rel);
        if !is_schema(rel) && path.exists() {
            bail!(
                "{} already exists; import into a new or empty folder",
                path.display()
            );
        }
    }
    let write_all = |root: &Path| -> Result<()> {
        for (rel, text) in files {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        for (rel, from) in media {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::copy(from, &path)
                .with_context(|| format!("copying {} to {}", from.display(), path.display()))?;
        }
        Ok(())
    };
    if into.exists() {
        write_all(into)?;
    } else {
        let parent = match into.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let staging = tempfile::Builder::new()
            .prefix(".qbank-import-")
            .tempdir_in(parent)
            .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
        write_all(staging.path())?;
        std::fs::rename(staging.path(), into)
            .with_context(|| format!("moving the new bank to {}", into.display()))?;
        // The folder now lives at `into`; there is nothing left for the guard to delete.
        let _ = staging.keep();
    }
    Ok(files
        .iter()
        .map(|(rel, _)| rel)
        .chain(media.iter().map(|(rel, _)| rel))
        .map(|rel| into.join(rel))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Reading the Markdown.

/// A child of a container: a block (events `lo..hi`, Start to End) or a run of inline events
/// (the unwrapped text of a tight list item).
#[derive(Debug, Clone, Copy)]
enum Child {
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

/// A piece of an answer. Code is kept apart so a paragraph's stray code tail and the indented
/// block after it can be merged into one fence.
enum Piece {
    Markdown(String),
    Code {
        info: String,
        body: String,
        mergeable: bool,
    },
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

/// A text edit on the source: replace `range` with `text` (an empty range inserts).
struct Edit {
    range: Range<usize>,
    text: String,
}

struct Importer<'a> {
    src: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    /// For a `Start` event, the index of its `End`; for any other event, its own index.
    ends: Vec<usize>,
    line_starts: Vec<usize>,
    options: &'a ImportOptions,
    title: Option<(String, String)>,
    parts: Vec<DraftPart>,
    structure_seen: bool,
    open: Option<Open>,
    warnings: Vec<String>,
    /// The Markdown file's folder, where local images are looked up.
    base: Option<&'a Path>,
    /// Images to copy into the bank, relative to `base` (and to the bank folder).
    media: Vec<PathBuf>,
}

impl<'a> Importer<'a> {
    fn new(src: &'a str, options: &'a ImportOptions, base: Option<&'a Path>) -> Self {
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
            base,
            media: Vec::new(),
        }
    }

    fn run(mut self, fallback_title: &str) -> Bank {
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

    /// An answer's child as Markdown pieces.
    fn pieces(&mut self, child: Child) -> Vec<Piece> {
        match child {
            Child::Inline(lo, hi) => {
                let range = self.span(lo, hi);
                vec![Piece::Markdown(self.render(lo..hi, range))]
            }
            Child::Block(lo, hi) => match &self.events[lo].0 {
                Event::Rule => Vec::new(),
                Event::Start(Tag::CodeBlock(kind)) => {
                    let kind = kind.clone();
                    let info = match &kind {
                        CodeBlockKind::Indented => self.indented_info(),
                        CodeBlockKind::Fenced(info) => {
                            let info = info.to_string();
                            fenced_info(&info)
                        }
                    };
                    vec![Piece::Code {
                        info,
                        body: self.code_text(lo, hi),
                        mergeable: matches!(kind, CodeBlockKind::Indented),
                    }]
                }
                Event::Start(Tag::Paragraph) => self.paragraph(lo, hi),
                Event::Start(Tag::HtmlBlock) if self.trivial_html(lo, hi) => Vec::new(),
                _ => {
                    let range = self.events[lo].1.clone();
                    vec![Piece::Markdown(self.render(lo..hi, range))]
                }
            },
        }
    }

    /// A paragraph, split when its last lines are indented like code: CommonMark cannot start
    /// an indented code block inside a paragraph, so code written right under a line of text
    /// (no blank line between) reads as more text. The author meant code.
    fn paragraph(&mut self, lo: usize, hi: usize) -> Vec<Piece> {
        let para = self.events[lo].1.clone();
        let content_end = self.span(lo + 1, hi - 1).end;
        let indent = self.column(para.start);
        let mut depth = 0usize;
        for k in lo + 1..hi - 1 {
            match &self.events[k].0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::SoftBreak if depth == 0 => {
                    let tail = self.events[k].1.end..content_end;
                    let code_like = self.src[tail.clone()]
                        .split('\n')
                        .all(|line| leading_width(line) >= indent + 4);
                    if code_like {
                        let head = para.start..self.events[k].1.start;
                        let body: Vec<String> = self.src[tail]
                            .split('\n')
                            .map(|line| strip_columns(line, indent + 4))
                            .collect();
                        return vec![
                            Piece::Markdown(self.render(lo + 1..k, head)),
                            Piece::Code {
                                info: self.indented_info(),
                                body: body.join("\n") + "\n",
                                mergeable: true,
                            },
                        ];
                    }
                }
                _ => {}
            }
        }
        vec![Piece::Markdown(self.render(lo..hi, para))]
    }

    fn code_text(&self, lo: usize, hi: usize) -> String {
        self.events[lo..hi]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect()
    }

    fn indented_info(&self) -> String {
        match &self.options.code_language {
            Some(lang) => fenced_info(lang),
            None => "text".to_string(),
        }
    }

    /// Inline events `lo..hi` (a heading's or a paragraph's contents) as one line of Markdown,
    /// and as plain text.
    fn inline(&mut self, lo: usize, hi: usize) -> (String, String) {
        if lo >= hi {
            return (String::new(), String::new());
        }
        let mut edits = Vec::new();
        self.html_edits(lo..hi, &mut edits);
        self.link_edits(lo..hi, &mut edits);
        let md = one_line(&apply(self.src, self.span(lo, hi), edits));
        let mut plain = String::new();
        for (event, _) in &self.events[lo..hi] {
            match event {
                Event::Text(t) | Event::Code(t) => plain.push_str(t),
                Event::SoftBreak | Event::HardBreak => plain.push(' '),
                _ => {}
            }
        }
        (md, plain.trim().to_string())
    }

    /// The source of a block (events `ev`, source `range`) with its rewrites, outdented so it
    /// stands at the left margin.
    fn render(&mut self, ev: Range<usize>, range: Range<usize>) -> String {
        let indent = self.column(range.start);
        let mut edits = Vec::new();
        self.html_edits(ev.clone(), &mut edits);
        self.link_edits(ev.clone(), &mut edits);
        self.code_edits(ev, &mut edits);
        let text = apply(self.src, range, edits);
        let lines: Vec<String> = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| {
                let line = if i == 0 {
                    line.to_string()
                } else {
                    strip_columns(line, indent)
                };
                if line.trim().is_empty() {
                    String::new()
                } else {
                    line
                }
            })
            .collect();
        lines.join("\n").trim_end().to_string()
    }

    /// Code blocks nested in a block (in a list or quote inside an answer): indented ones are
    /// rewritten as fences carrying the container's line prefix; fenced ones get their info.
    fn code_edits(&self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        let src = self.src;
        let mut k = ev.start;
        while k < ev.end {
            let Event::Start(Tag::CodeBlock(kind)) = &self.events[k].0 else {
                k += 1;
                continue;
            };
            let kind = kind.clone();
            let end = self.ends[k];
            let range = self.events[k].1.clone();
            match kind {
                CodeBlockKind::Fenced(info) => {
                    let info = info.to_string();
                    let new_info = fenced_info(&info);
                    let first_line = src[range.clone()].split('\n').next().unwrap_or("");
                    let fence = first_line
                        .chars()
                        .take_while(|c| matches!(c, '`' | '~'))
                        .count();
                    if new_info != info.trim() {
                        edits.push(Edit {
                            range: range.start + fence..range.start + first_line.len(),
                            text: new_info,
                        });
                    }
                }
                CodeBlockKind::Indented => {
                    let line_start = self.line_starts[self.line(range.start) - 1];
                    let prefix = &src[line_start..range.start];
                    if prefix.chars().all(|c| matches!(c, '>' | ' ' | '\t')) {
                        let prefix = container_prefix(prefix);
                        let info = self.indented_info();
                        let body = self.code_text(k, end + 1);
                        let mut text = fence(&info, &body, &prefix);
                        if !src[range.clone()].ends_with('\n') {
                            text.pop();
                        }
                        edits.push(Edit {
                            range: line_start..range.end,
                            text,
                        });
                    }
                }
            }
            k = end + 1;
        }
    }

    /// Inline HTML tags with a Markdown equivalent are rewritten (`<b>x</b>` → `**x**`,
    /// `<code>` → a code span); presentational ones around text are dropped; the rest stays
    /// (qbank shows raw HTML as text).
    fn html_edits(&self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        let mut open: Vec<(String, usize)> = Vec::new();
        let mut pairs = Vec::new();
        for k in ev {
            let Event::InlineHtml(html) = &self.events[k].0 else {
                continue;
            };
            match parse_tag(html) {
                HtmlTag::Open(name) => open.push((name, k)),
                HtmlTag::Close(name) => {
                    if let Some(pos) = open.iter().rposition(|(n, _)| *n == name) {
                        let (_, start) = open.remove(pos);
                        pairs.push((start, k, name));
                    }
                }
                HtmlTag::Other if html.starts_with("<!--") => {
                    let range = self.events[k].1.clone();
                    if self.droppable(&range) {
                        edits.push(Edit {
                            range,
                            text: String::new(),
                        });
                    }
                }
                HtmlTag::Void(name) if name == "br" || name == "wbr" => {
                    let range = self.events[k].1.clone();
                    if self.droppable(&range) {
                        let next = self.src[range.end..].chars().next();
                        let text = if next.is_some_and(|c| !c.is_whitespace()) {
                            " "
                        } else {
                            ""
                        };
                        edits.push(Edit {
                            range,
                            text: text.into(),
                        });
                    }
                }
                _ => {}
            }
        }
        for (a, b, name) in pairs {
            self.convert_pair(a, b, &name, edits);
        }
    }

    fn convert_pair(&self, a: usize, b: usize, name: &str, edits: &mut Vec<Edit>) {
        let open = self.events[a].1.clone();
        let close = self.events[b].1.clone();
        let delimiter = match name {
            "b" | "strong" => "**",
            "i" | "em" => "*",
            "s" | "del" | "strike" => "~~",
            "code" | "kbd" | "tt" | "samp" => {
                let mut text = String::new();
                for (event, _) in &self.events[a + 1..b] {
                    match event {
                        Event::Text(t) => text.push_str(t),
                        _ => return,
                    }
                }
                let text = text.trim();
                if !text.is_empty() && !text.contains(['`', '\n']) {
                    edits.push(Edit {
                        range: open.start..close.end,
                        text: format!("`{text}`"),
                    });
                }
                return;
            }
            "span" | "u" | "font" | "small" | "big" | "mark" | "sup" | "sub" | "abbr" | "ins"
            | "cite" | "q" | "var" => {
                for range in [open, close] {
                    if self.droppable(&range) {
                        edits.push(Edit {
                            range,
                            text: String::new(),
                        });
                    }
                }
                return;
            }
            _ => return,
        };
        // Emphasis must hug its text: `<b> x </b>` becomes `**x**`, not `** x **`.
        let bytes = self.src.as_bytes();
        let mut inner_start = open.end;
        while inner_start < close.start && matches!(bytes[inner_start], b' ' | b'\t') {
            inner_start += 1;
        }
        let mut inner_end = close.start;
        while inner_end > inner_start && matches!(bytes[inner_end - 1], b' ' | b'\t') {
            inner_end -= 1;
        }
        if inner_start >= inner_end || bytes[inner_start] == b'\n' || bytes[inner_end - 1] == b'\n'
        {
            return;
        }
        edits.push(Edit {
            range: open.start..inner_start,
            text: delimiter.into(),
        });
        edits.push(Edit {
            range: inner_end..close.end,
            text: delimiter.into(),
        });
        // Literal `*` inside (e.g. `<b>**kwargs</b>`) would now pair with the new delimiters.
        for (event, range) in &self.events[a + 1..b] {
            if let Event::Text(t) = event
                && self.src[range.clone()] == **t
            {
                for (i, c) in t.char_indices() {
                    if matches!(c, '*' | '_' | '~') {
                        let at = range.start + i;
                        edits.push(Edit {
                            range: at..at,
                            text: "\\".into(),
                        });
                    }
                }
            }
        }
    }

    /// Links and images made to work inside a bank: reference-style ones become inline (their
    /// definitions stay behind in the Markdown file), links qbank does not allow (relative,
    /// `#anchor`) keep only their text, remote images become links, local images are copied
    /// with the bank when they exist next to the Markdown file, else replaced by their text.
    fn link_edits(&mut self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        for k in ev {
            let (link_type, dest, title, image) = match &self.events[k].0 {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => (*link_type, dest_url.to_string(), title.to_string(), false),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => (*link_type, dest_url.to_string(), title.to_string(), true),
                _ => continue,
            };
            let web = is_web(&dest);
            if link_type == LinkType::Email || link_type == LinkType::Autolink && web {
                continue;
            }
            let whole = self.events[k].1.clone();
            let end = self.ends[k];
            let inner = (k + 1 < end).then(|| self.span(k + 1, end));
            let line = self.line(whole.start);
            let lower = dest.to_ascii_lowercase();
            let keep_as = if image && web && !lower.starts_with("mailto:") {
                Some("[")
            } else if image && self.media_file(&dest) {
                Some("![")
            } else if web && !image {
                Some("[")
            } else {
                self.warnings.push(format!(
                    "line {line}: {} `{dest}` kept as plain text (a bank links only to http(s):// \
                     and mailto: addresses, and shows only images inside its folder)",
                    if image { "image" } else { "link to" }
                ));
                None
            };
            let tail = match keep_as {
                Some(_) => format!("]({})", link_destination(&dest, &title)),
                None => String::new(),
            };
            let opening = keep_as.unwrap_or("").to_string();
            let unchanged =
                keep_as == Some(if image { "![" } else { "[" }) && link_type == LinkType::Inline;
            if unchanged {
                continue;
            }
            match inner {
                Some(inner) => {
                    edits.push(Edit {
                        range: whole.start..inner.start,
                        text: opening,
                    });
                    edits.push(Edit {
                        range: inner.end..whole.end,
                        text: tail,
                    });
                }
                None => edits.push(Edit {
                    range: whole,
                    text: if keep_as.is_some() {
                        format!("{opening}{tail}")
                    } else {
                        String::new()
                    },
                }),
            }
        }
    }

    /// Whether `dest` names an image file next to the Markdown file, inside its folder; if so
    /// it is copied into the bank at the same relative path.
    fn media_file(&mut self, dest: &str) -> bool {
        let Some(base) = self.base else {
            return false;
        };
        let rel = Path::new(dest);
        let inside = !dest.is_empty()
            && !dest.contains("://")
            && rel.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            });
        if !inside || !base.join(rel).is_file() {
            return false;
        }
        let rel: PathBuf = rel.components().collect();
        if !self.media.contains(&rel) {
            self.media.push(rel);
        }
        true
    }

    /// An HTML block that is only a comment or a `<br>`/`<hr>`: dropped rather than shown
    /// as text.
    fn trivial_html(&self, lo: usize, hi: usize) -> bool {
        if !matches!(self.events[lo].0, Event::Start(Tag::HtmlBlock)) {
            return false;
        }
        let html: String = self.events[lo..hi]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Html(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let html = html.trim();
        let comment = html
            .strip_prefix("<!--")
            .and_then(|rest| rest.strip_suffix("-->"))
            .is_some_and(|inner| !inner.contains("-->"));
        comment
            || matches!(parse_tag(html), HtmlTag::Void(name) if matches!(name.as_str(), "br" | "hr" | "wbr"))
    }

    /// Whether removing the tag at `range` keeps the line's meaning: not when it is alone on
    /// its line (that would end the paragraph) or would leave a line starting with markup.
    fn droppable(&self, range: &Range<usize>) -> bool {
        let line_start = self.line_starts[self.line(range.start) - 1];
        if !self.src[line_start..range.start].trim().is_empty() {
            return true;
        }
        self.src[range.end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    }

    /// The source of inline events `lo..hi`. An escaped first character's event starts after
    /// its backslash, which belongs to the text too.
    fn span(&self, lo: usize, hi: usize) -> Range<usize> {
        let events = &self.events[lo..hi];
        let mut start = events.iter().map(|(_, r)| r.start).min().unwrap_or(0);
        let end = events.iter().map(|(_, r)| r.end).max().unwrap_or(start);
        if start > 0 && self.src.as_bytes()[start - 1] == b'\\' {
            start -= 1;
        }
        start..end
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// The display column (tabs to multiples of 4) of a byte offset.
    fn column(&self, offset: usize) -> usize {
        let start = self.line_starts[self.line(offset) - 1];
        width(&self.src[start..offset])
    }

    fn finish(mut self, fallback_title: &str) -> Bank {
        let (title, title_plain) = self.title.clone().unwrap_or_else(|| {
            let t = if fallback_title.is_empty() {
                "Imported questions".to_string()
            } else {
                fallback_title.to_string()
            };
            (t.clone(), t)
        });
        let mut bank = Bank {
            id: slug(&title_plain, ID_WORDS, false).unwrap_or_else(|| "imported-bank".into()),
            title: title.clone(),
            parts: Vec::new(),
            warnings: std::mem::take(&mut self.warnings),
            python_norun: 0,
            placeholder_summaries: 0,
            media: match self.base {
                Some(base) => self
                    .media
                    .iter()
                    .map(|r| (r.clone(), base.join(r)))
                    .collect(),
                None => Vec::new(),
            },
        };
        let mut section_ids = HashSet::new();
        let mut question_ids = HashSet::new();
        for draft in std::mem::take(&mut self.parts) {
            let part_title = draft.title.clone().unwrap_or_else(|| title.clone());
            let mut part = PartOut {
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
                    bank.warnings.push(format!(
                        "line {}: section \"{}\" has no questions; left out",
                        section.line, section_plain
                    ));
                    continue;
                }
                let base =
                    slug(&section_plain, ID_WORDS, false).unwrap_or_else(|| "section".into());
                let mut out = SectionOut {
                    id: unique(base, &mut section_ids),
                    title: section_title,
                    questions: Vec::new(),
                };
                for q in section.questions {
                    let base = slug(&q.plain, ID_WORDS, true).unwrap_or_else(|| "question".into());
                    let id = unique(base, &mut question_ids);
                    let answer = assemble(q.pieces).map(|a| sanitize(&a, &self.media));
                    bank.python_norun += answer.as_deref().map_or(0, count_norun);
                    let summary = answer.as_deref().map(|a| {
                        summarize(a).unwrap_or_else(|| {
                            bank.placeholder_summaries += 1;
                            bank.warnings.push(format!(
                                "question `{id}`: the answer has no sentence to summarize; \
                                 its summary is a placeholder (\"{PLACEHOLDER_SUMMARY}\")"
                            ));
                            PLACEHOLDER_SUMMARY.to_string()
                        })
                    });
                    out.questions.push(QuestionOut {
                        id,
                        question: q.text,
                        summary,
                        answer,
                    });
                }
                part.sections.push(out);
            }
            if part.sections.is_empty() {
                bank.warnings
                    .push(format!("part \"{part_title}\" has no questions; left out"));
                continue;
            }
            bank.parts.push(part);
        }
        bank
    }
}

fn is_block(event: &Event) -> bool {
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

/// The info string a fence gets: Python becomes `python norun` (imported code has never been
/// run by anyone here), `output` (which qbank compares with a runnable block's output) becomes
/// `text`; anything else is kept.
fn fenced_info(info: &str) -> String {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match lang.as_str() {
        "python" | "py" | "python3" => "python norun".to_string(),
        "output" => "text".to_string(),
        // Attributes (`title=…`) are for other tools; qbank would warn about them.
        _ => lang_word(info),
    }
}

/// The first word of an info string, as written.
fn lang_word(info: &str) -> String {
    info.split_whitespace().next().unwrap_or("").to_string()
}

fn count_norun(answer: &str) -> usize {
    Parser::new_ext(answer, parser_options())
        .filter(|e| {
            matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().eq(["python", "norun"]))
        })
        .count()
}

/// Joins an answer's pieces into Markdown; `None` when there is nothing.
fn assemble(pieces: Vec<Piece>) -> Option<String> {
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        if let (
            Some(Piece::Code {
                body: prev,
                mergeable: true,
                ..
            }),
            Piece::Code {
                body,
                mergeable: true,
                ..
            },
        ) = (merged.last_mut(), &piece)
        {
            prev.push('\n');
            prev.push_str(body);
            continue;
        }
        merged.push(piece);
    }
    let blocks: Vec<String> = merged
        .into_iter()
        .map(|piece| match piece {
            Piece::Markdown(md) => md,
            Piece::Code { info, body, .. } => {
                let mut text = fence(&info, &body, "");
                text.pop();
                text
            }
        })
        .filter(|b| !b.trim().is_empty())
        .collect();
    if blocks.is_empty() {
        None
    } else {
        Some(blocks.join("\n\n") + "\n")
    }
}

/// A fenced code block, every line starting with `prefix`, ending with a newline. The fence
/// is longer than any run of its character in the code.
fn fence(info: &str, body: &str, prefix: &str) -> String {
    let ch = if info.contains('`') { '~' } else { '`' };
    let longest = body.split(|c| c != ch).map(str::len).max().unwrap_or(0);
    let marks = ch.to_string().repeat((longest + 1).max(3));
    let mut lines: Vec<&str> = body.trim_end_matches('\n').split('\n').collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    let mut out = format!("{prefix}{marks}{info}\n");
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&format!("{prefix}{marks}\n"));
    out
}

/// The line prefix of a code block's container (`   `, `> `), from the text before an
/// indented code block on its first line, which also holds the block's own four columns.
fn container_prefix(before: &str) -> String {
    let mut expanded = String::new();
    for c in before.chars() {
        if c == '\t' {
            let pad = 4 - width(&expanded) % 4;
            expanded.push_str(&" ".repeat(pad));
        } else {
            expanded.push(c);
        }
    }
    let keep = expanded.len().saturating_sub(4);
    expanded[..keep].to_string()
}

/// Display width of `text` (a line's prefix), tabs to multiples of 4.
fn width(text: &str) -> usize {
    text.chars()
        .fold(0, |w, c| if c == '\t' { w + 4 - w % 4 } else { w + 1 })
}

/// Display width of a line's leading whitespace.
fn leading_width(line: &str) -> usize {
    let end = line
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(line.len());
    width(&line[..end])
}

/// `line` without up to `columns` columns of leading whitespace.
fn strip_columns(line: &str, columns: usize) -> String {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        if width >= columns {
            return line[i..].to_string();
        }
        match c {
            ' ' => width += 1,
            '\t' => {
                let next = width + 4 - width % 4;
                if next > columns {
                    return " ".repeat(next - columns) + &line[i + 1..];
                }
                width = next;
            }
            _ => return line[i..].to_string(),
        }
    }
    String::new()
}

/// Applies non-overlapping edits to `src[range]`; an edit overlapping an earlier one is
/// skipped.
fn apply(src: &str, range: Range<usize>, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::new();
    let mut cursor = range.start;
    for edit in edits {
        if edit.range.start < cursor || edit.range.end > range.end {
            continue;
        }
        out.push_str(&src[cursor..edit.range.start]);
        out.push_str(&edit.text);
        cursor = edit.range.end;
    }
    out.push_str(&src[cursor..range.end]);
    out
}

enum HtmlTag {
    Open(String),
    Close(String),
    Void(String),
    Other,
}

fn parse_tag(html: &str) -> HtmlTag {
    let Some(inner) = html
        .trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
    else {
        return HtmlTag::Other;
    };
    let (close, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        HtmlTag::Other
    } else if close {
        HtmlTag::Close(name)
    } else if inner.ends_with('/') || matches!(name.as_str(), "br" | "wbr" | "hr" | "img") {
        HtmlTag::Void(name)
    } else {
        HtmlTag::Open(name)
    }
}

/// Whether a link may point there in a bank (qbank's rule).
fn is_web(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A last pass over generated Markdown: a link or image qbank would reject is reduced to its
/// text. The source pass ([`Importer::link_edits`]) already fixed what it saw; this catches
/// what changed meaning when a lazy continuation line was outdented.
fn sanitize(md: &str, media: &[PathBuf]) -> String {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(md, parser_options())
        .into_offset_iter()
        .collect();
    let mut edits = Vec::new();
    for (k, (event, whole)) in events.iter().enumerate() {
        let ok = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => *link_type == LinkType::Email || is_web(dest_url),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let rel: PathBuf = Path::new(dest_url.as_ref()).components().collect();
                media.contains(&rel)
            }
            _ => continue,
        };
        if ok {
            continue;
        }
        let mut depth = 0usize;
        let end = events[k..]
            .iter()
            .position(|(e, _)| {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(events.len(), |n| k + n);
        let inner = &events[k + 1..end];
        match (
            inner.iter().map(|(_, r)| r.start).min(),
            inner.iter().map(|(_, r)| r.end).max(),
        ) {
            (Some(mut start), Some(stop)) => {
                if start > whole.start && md.as_bytes()[start - 1] == b'\\' {
                    start -= 1;
                }
                edits.push(Edit {
                    range: whole.start..start,
                    text: String::new(),
                });
                edits.push(Edit {
                    range: stop..whole.end,
                    text: String::new(),
                });
            }
            _ => edits.push(Edit {
                range: whole.clone(),
                text: String::new(),
            }),
        }
    }
    if edits.is_empty() {
        return md.to_string();
    }
    apply(md, 0..md.len(), edits)
}

/// `dest "title"` for an inline link, `<…>`-wrapped when the URL has spaces or parentheses.
fn link_destination(dest: &str, title: &str) -> String {
    let dest = dest
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('\n', "%0A");
    let dest = if dest.contains([' ', '(', ')']) || dest.is_empty() {
        format!("<{dest}>")
    } else {
        dest
    };
    if title.is_empty() {
        dest
    } else {
        let title = title
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', " ");
        format!("{dest} \"{title}\"")
    }
}

/// `1. What…` / `12) What…` → `What…`; `None` when the text is not numbered.
fn strip_number(text: &str) -> Option<String> {
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
fn one_paragraph(md: String) -> String {
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

/// The answer's first sentence as the summary: from its first paragraph, at most
/// [`SUMMARY_WORDS`] words (cut at a word, with `…`), never splitting inline markup.
fn summarize(answer: &str) -> Option<String> {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(answer, parser_options())
        .into_offset_iter()
        .collect();
    // The first run of prose: a paragraph, or the text of a tight list item.
    let (start, len) = events.iter().enumerate().find_map(|(i, (e, _))| {
        let rest = &events[i + 1..];
        match e {
            Event::Start(Tag::Paragraph) => rest
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                .map(|n| (i, n + 1)),
            Event::Start(Tag::Item) if rest.first().is_some_and(|(e, _)| !is_block(e)) => rest
                .iter()
                .position(|(e, _)| is_block(e) || matches!(e, Event::End(TagEnd::Item)))
                .map(|n| (i, n + 1)),
            _ => None,
        }
    })?;
    let mut inline = &events[start + 1..start + len];
    // A bold lead-in on its own line (`<b>The == operator</b>` above the text) is a heading in
    // disguise, not the first sentence.
    if let Some((Event::Start(Tag::Strong), _)) = inline.first()
        && let Some(close) = inline
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Strong)))
        && matches!(
            inline.get(close + 1),
            Some((Event::SoftBreak | Event::HardBreak, _))
        )
        && inline.len() > close + 2
    {
        inline = &inline[close + 2..];
    }
    let mut from = inline.iter().map(|(_, r)| r.start).min()?;
    // An escaped first character's event starts after its backslash.
    if from > 0 && answer.as_bytes()[from - 1] == b'\\' {
        from -= 1;
    }
    let to = inline.iter().map(|(_, r)| r.end).max()?;
    let mut end = to;
    // Places a long sentence may be cut: spaces outside any inline markup.
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    'events: for (i, (event, range)) in inline.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => cuts.push(range.start),
            Event::Text(t) if depth == 0 && answer[range.clone()] == **t => {
                for (j, c) in t.char_indices() {
                    if c.is_whitespace() {
                        cuts.push(range.start + j);
                    }
                    if !matches!(c, '.' | '?' | '!') {
                        continue;
                    }
                    let after = &t[j + 1..];
                    let ends = if after.is_empty() {
                        inline
                            .get(i + 1)
                            .is_none_or(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
                    } else {
                        after.starts_with(char::is_whitespace)
                            && !after.trim_start().starts_with(char::is_lowercase)
                    };
                    if ends && !(c == '.' && abbreviation(&t[..j])) {
                        end = range.start + j + 1;
                        break 'events;
                    }
                }
            }
            _ => {}
        }
    }
    let sentence = one_line(&answer[from..end]);
    if sentence.is_empty() {
        return None;
    }
    if sentence.split_whitespace().count() <= SUMMARY_WORDS {
        return Some(sentence);
    }
    let cut = cuts
        .into_iter()
        .filter(|&c| c > from && c < end)
        .take_while(|&c| one_line(&answer[from..c]).split_whitespace().count() <= SUMMARY_WORDS)
        .last();
    match cut {
        Some(c) => {
            let head = one_line(&answer[from..c]);
            let head = head.trim_end_matches([',', ';', ':', '-', '—', '–', ' ']);
            Some(format!("{head}…"))
        }
        None => Some(sentence),
    }
}

/// Whether the word before a period is an abbreviation (`e.g.`, `etc.`, an initial).
fn abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '\''])
        .to_lowercase();
    word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
        || matches!(
            word.as_str(),
            "e.g"
                | "i.e"
                | "etc"
                | "vs"
                | "mr"
                | "mrs"
                | "ms"
                | "dr"
                | "st"
                | "no"
                | "fig"
                | "cf"
                | "approx"
                | "incl"
                | "al"
                | "eg"
                | "ie"
        )
}

/// Markdown lines joined into one (hard breaks become spaces).
fn one_line(md: &str) -> String {
    md.split('\n')
        .map(|l| {
            let l = l.trim();
            l.strip_suffix('\\').unwrap_or(l).trim_end()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Leading words that say nothing about the topic, dropped from question ids (longest first
/// wins, repeatedly: "What is the difference between X and Y" → `x-and-y`).
const FILLER: &[&str] = &[
    "what is the difference between",
    "what are the differences between",
    "whats the difference between",
    "what is the difference in",
    "what are the differences",
    "the difference between",
    "difference between",
    "differences between",
    "what would happen if",
    "what happens if",
    "what happens when",
    "can you explain",
    "tell me about",
    "how would you",
    "how do you",
    "how can you",
    "how can we",
    "how do we",
    "how does",
    "how do",
    "how is",
    "how are",
    "how to",
    "what is",
    "what are",
    "what does",
    "what do",
    "whats",
    "why do we",
    "why do you",
    "why did you",
    "why is",
    "why are",
    "why does",
    "why do",
    "why did",
    "when should you",
    "when would you",
    "when do you",
    "when should",
    "when do",
    "when to",
    "when is",
    "when are",
    "where does",
    "where do",
    "can you",
    "could you",
    "explain",
    "describe",
    "define",
    "the",
    "a",
    "an",
];

/// Words an id should not end on after being cut.
const DANGLING: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "vs", "with", "by", "at", "from",
    "is", "are", "as", "its", "their", "what", "how", "why", "when", "which", "that", "it", "do",
    "does", "we", "you",
];

/// The readable slug qbank gives a question (`qbank import`, `qbank add`), before making it
/// unique.
pub(crate) fn question_slug(text: &str) -> Option<String> {
    slug(text, ID_WORDS, true)
}

/// A readable slug of at most `words` words; for questions, leading filler is dropped.
fn slug(text: &str, words: usize, question: bool) -> Option<String> {
    let text: String = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    let full = slugify(&text);
    let mut parts: Vec<&str> = full.split('-').filter(|w| !w.is_empty()).collect();
    if question {
        loop {
            let filler = FILLER
                .iter()
                .map(|f| f.split(' ').collect::<Vec<_>>())
                .filter(|f| parts.len() > f.len() && parts[..f.len()] == f[..])
                .max_by_key(Vec::len);
            match filler {
                Some(f) => {
                    parts.drain(..f.len());
                }
                None => break,
            }
        }
    }
    let cut = parts.len() > words;
    parts.truncate(words);
    while cut && parts.len() > 1 && parts.last().is_some_and(|w| DANGLING.contains(w)) {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join("-"))
}

/// `base`, or `base-2`, `base-3`… whichever is free; recorded as taken.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// `interview-questions_2024` → `Interview questions 2024`.
fn title_from_file_name(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Line endings normalized, and characters YAML cannot carry (controls, BOM) removed.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || yaml_printable(c))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Writing YAML. Scalars are written in the plainest style that reads back exactly; `verify`
// re-reads everything, and the tests below check the writer on arbitrary strings.

/// Characters YAML allows unescaped (c-printable, minus BOM and the Unicode line breaks
/// libyaml folds).
fn yaml_printable(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10_FFFF)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

/// `key: value` at `indent`: plain, single- or double-quoted; long prose folded (`>-`).
fn push_scalar(out: &mut String, indent: usize, key: &str, value: &str) {
    out.push_str(&" ".repeat(indent));
    out.push_str(key);
    out.push(':');
    if value.chars().count() > 80 && foldable(value) {
        // `- title` keys sit one level deeper than their dash.
        let content = indent + 2 + if key.starts_with("- ") { 2 } else { 0 };
        out.push_str(" >-\n");
        let width = 92usize.saturating_sub(content).max(40);
        let mut line = String::new();
        for word in value.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&" ".repeat(content));
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&" ".repeat(content));
        out.push_str(&line);
        out.push('\n');
        return;
    }
    out.push(' ');
    out.push_str(&inline_scalar(value));
    out.push('\n');
}

/// A one-line YAML scalar for `value`.
fn inline_scalar(value: &str) -> String {
    if plain_ok(value) {
        value.to_string()
    } else if value.chars().all(|c| c == '\t' || yaml_printable(c)) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        double_quoted(value)
    }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    !first.is_whitespace()
        && !s.ends_with(char::is_whitespace)
        && !"-?:,[]{}#&*!|>'\"%@`<=~.+".contains(first)
        && !first.is_ascii_digit()
        && s.chars().all(|c| c == ' ' || yaml_printable(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn foldable(s: &str) -> bool {
    !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.chars().all(|c| c == ' ' || yaml_printable(c))
}

fn double_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if yaml_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// `key: |` with `value` as a literal block (it must end with one newline), or a quoted
/// scalar when a literal block could not carry it exactly.
fn push_block(out: &mut String, indent: usize, key: &str, value: &str) {
    let literal_ok = value.ends_with('\n')
        && !value.ends_with("\n\n")
        && !value.starts_with([' ', '\t', '\n'])
        && value
            .chars()
            .all(|c| c == '\n' || c == '\t' || yaml_printable(c));
    out.push_str(&" ".repeat(indent));
    out.push_str(key);
    if !literal_ok {
        out.push_str(": ");
        out.push_str(&double_quoted(value));
        out.push('\n');
        return;
    }
    out.push_str(": |\n");
    for line in value.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent + 2));
            out.push_str(line);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn import(md: &str) -> Bank {
        Importer::new(md, &ImportOptions::default(), None).run("fallback")
    }

    fn answers(bank: &Bank) -> Vec<&str> {
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
    fn ids_are_readable() {
        let q = |t| slug(t, ID_WORDS, true).unwrap();
        assert_eq!(
            q("What is the difference between Lock and RLock?"),
            "lock-and-rlock"
        );
        assert_eq!(
            q("Difference between *args and **kwargs."),
            "args-and-kwargs"
        );
        assert_eq!(
            q("How do you scale a Django application?"),
            "scale-a-django-application"
        );
        assert_eq!(q("What is a metaclass?"), "metaclass");
        assert_eq!(q("What's the GIL?"), "gil");
        assert_eq!(
            q("Where does shallow copy cause issues in the real world?"),
            "shallow-copy-cause-issues"
        );
        assert_eq!(
            q("What is monkey patching and what are its risks?"),
            "monkey-patching"
        );
        assert_eq!(q("What is?"), "what-is");
        assert_eq!(slug("¿?", ID_WORDS, true), None);
    }

    #[test]
    fn headings_and_lists_become_the_structure() {
        let bank = import(
            "# My Bank\n\n## Basics\n\n1. What is X?\n2. What is Y?\n\n# Part Two\n\n## More\n\n### 1. Why Z?\n\nBecause.\n",
        );
        assert_eq!(bank.title, "My Bank");
        assert_eq!(bank.id, "my-bank");
        let parts: Vec<_> = bank.parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(parts, ["My Bank", "Part Two"]);
        let ids: Vec<_> = bank.questions().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["x", "y", "why-z"]);
        assert_eq!(answers(&bank), ["", "", "Because.\n"]);
    }

    #[test]
    fn a_paragraph_with_code_under_it_is_split_and_merged() {
        let bank =
            import("## S\n\n# 1. Q\nText here\n    def f():\n        return 1\n    \n    f()\n");
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
    fn long_titles_fold_and_read_back() {
        let long = "A very long title, with: colons and #hashes and 'quotes', that goes on and on past the fold width";
        let bank = Bank {
            id: "b".into(),
            title: long.into(),
            parts: vec![PartOut {
                title: long.into(),
                sections: vec![SectionOut {
                    id: "s".into(),
                    title: long.into(),
                    questions: vec![QuestionOut {
                        id: "q".into(),
                        question: long.into(),
                        summary: Some(long.into()),
                        answer: Some("  indented first line\n".into()),
                    }],
                }],
            }],
            warnings: Vec::new(),
            python_norun: 0,
            placeholder_summaries: 0,
            media: Vec::new(),
        };
        let files = bank.files();
        assert!(
            files[0].1.contains("  - title: >-\n      A very long"),
            "{}",
            files[0].1
        );
        verify(&bank, &files).unwrap();
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

    fn read_back(yaml: &str, key: &str) -> String {
        let value: serde_norway::Value = serde_norway::from_str(yaml).unwrap();
        value[key].as_str().unwrap().to_string()
    }

    #[test]
    fn tricky_scalars_read_back() {
        for s in [
            "yes",
            "1.5",
            "- dash",
            "a: b",
            "a #b",
            "'quoted'",
            "\"dq\"",
            "`code` first",
            "tab\there",
            "trailing ",
            "~",
            "@at",
            "x\u{2028}y",
            "nul\u{0}",
            "é ü",
        ] {
            let mut out = String::new();
            push_scalar(&mut out, 0, "k", s);
            assert_eq!(read_back(&out, "k"), s, "{out}");
        }
    }

    proptest! {
        #[test]
        fn scalars_read_back(s in "\\PC{0,120}|[ -~\\t\u{85}\u{a0}\u{2028}]{0,200}") {
            let mut out = String::new();
            push_scalar(&mut out, 0, "k", &s);
            prop_assert_eq!(read_back(&out, "k"), s);
        }

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
            let files = bank.files();
            prop_assert!(verify(&bank, &files).is_ok());
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

        #[test]
        fn blocks_read_back(lines in proptest::collection::vec("[ -~\\t]{0,30}", 1..6)) {
            let value = lines.join("\n").trim_end_matches('\n').to_string() + "\n";
            let mut out = String::from("q:\n");
            push_block(&mut out, 2, "answer", &value);
            let doc: serde_norway::Value = serde_norway::from_str(&out).unwrap();
            prop_assert_eq!(doc["q"]["answer"].as_str().unwrap(), value.as_str());
        }
    }
}
