//! Writing bank YAML: the one place that turns strings into YAML text, beside [`super::yaml`],
//! the one place that reads it. `qbank init`, `add`, `import` and `synth` all write through
//! [`Yaml`], so every scalar is quoted by the same rules:
//!
//! - a value is written plain only when every YAML 1.1 and 1.2 reader reads it back as the
//!   same string: not `null`, `~`, `yes`, `off`, `y`, `404`, `0x1F`, `.5`, `1e3`, `2024-01-01`…,
//!   nothing starting with an indicator (`-?:,[]{}#&*!|>'"%@` and backquote), no `: ` or ` #`
//!   inside, no leading or trailing white space;
//! - else single-quoted, else double-quoted with escapes for what YAML cannot hold raw (control
//!   characters, U+0085, U+2028, U+2029, U+FEFF, …);
//! - Markdown with several lines is a literal block that keeps its line breaks exactly: `|`,
//!   `|-` or `|+` as the value ends, with an indentation indicator when its first line starts
//!   with white space. After a `|+` block no blank line is written (it would join the value).
//!
//! [`bank_files`] lays out a whole bank and reads every file back before returning it.

use std::path::PathBuf;

use anyhow::{Result, anyhow};

use super::files::{BANK_MODELINE, BankFile, SECTION_MODELINE, SectionFile};
use super::{Bank, Question, is_slug, yaml};

/// How [`Yaml`] writes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The plainest style that reads back exactly: plain, single- or double-quoted; a value of
    /// more than 80 characters is folded (`>-`) when folding can carry it.
    Auto,
    /// Always double-quoted.
    Quoted,
    /// A literal block (`|`, `|-`, `|+`), for Markdown; double-quoted when no block can carry the
    /// value (it is empty, only line breaks, or holds characters a block cannot).
    Block,
}

/// A YAML document written line by line. Indents are columns: `field(4, …)` writes `key:` at
/// column 4; `item_field(2, …)` writes `- key:` with its dash at column 2.
#[derive(Debug, Default)]
pub struct Yaml {
    text: String,
    /// The last value was a block keeping its trailing line breaks (`|+`).
    kept: bool,
}

impl Yaml {
    pub fn new() -> Yaml {
        Yaml::default()
    }

    /// A document whose first line is `modeline` (a comment naming its schema).
    pub fn with_modeline(modeline: &str) -> Yaml {
        debug_assert!(modeline.starts_with("# ") && !modeline.contains('\n'));
        Yaml {
            text: format!("{modeline}\n"),
            kept: false,
        }
    }

    /// `key: value`.
    pub fn field(&mut self, indent: usize, key: &str, value: &str, style: Style) -> &mut Self {
        self.start(indent, "", key);
        self.value(indent, value, style);
        self
    }

    /// `- key: value`, the first key of a mapping in a sequence.
    pub fn item_field(&mut self, indent: usize, key: &str, value: &str, style: Style) -> &mut Self {
        self.start(indent, "- ", key);
        self.value(indent + 2, value, style);
        self
    }

    /// `key:`, a mapping or sequence on the lines below.
    pub fn key(&mut self, indent: usize, key: &str) -> &mut Self {
        self.start(indent, "", key);
        self.text.push('\n');
        self
    }

    /// `- value`, a one-line item of a block sequence.
    pub fn item(&mut self, indent: usize, value: &str) -> &mut Self {
        self.kept = false;
        self.indent(indent);
        self.text.push_str("- ");
        self.text.push_str(&inline_scalar(value));
        self.text.push('\n');
        self
    }

    /// `key:` and a block sequence below, each item written by `item`; `key: []` when there
    /// are none.
    pub fn list<T>(
        &mut self,
        indent: usize,
        key: &str,
        items: &[T],
        mut item: impl FnMut(&mut Self, &T),
    ) -> &mut Self {
        if items.is_empty() {
            return self.flow::<&str>(indent, key, &[]);
        }
        self.key(indent, key);
        for i in items {
            item(self, i);
        }
        self
    }

    /// `key: [a, b]`, a flow sequence on one line.
    pub fn flow<S: AsRef<str>>(&mut self, indent: usize, key: &str, items: &[S]) -> &mut Self {
        self.start(indent, "", key);
        let items: Vec<String> = items.iter().map(|i| flow_scalar(i.as_ref())).collect();
        self.text.push_str(&format!(" [{}]\n", items.join(", ")));
        self
    }

    /// A comment at the end of the last line, `gap` spaces after its value. The last value must
    /// have been written on its key's line (not a block).
    pub fn comment_after(&mut self, gap: usize, comment: &str) -> &mut Self {
        debug_assert!(!self.kept && !comment.contains('\n'));
        self.text.pop();
        self.indent(gap);
        self.text.push_str("# ");
        self.text.push_str(comment);
        self.text.push('\n');
        self
    }

    /// A blank line between entries, unless the last value was a `|+` block, whose trailing
    /// line breaks a blank line would lengthen.
    pub fn blank(&mut self) -> &mut Self {
        if !self.kept {
            self.text.push('\n');
        }
        self
    }

    /// A question of a section file's `questions:` list (see [`question_entry`]), its question
    /// text and its summary written in the styles given; the answer is always a block.
    pub fn question(&mut self, q: &Question, question: Style, summary: Style) -> &mut Self {
        self.item_field(2, "id", &q.id, Style::Auto)
            .field(4, "question", &q.question, question);
        if let Some(level) = q.level {
            self.field(4, "level", level.as_str(), Style::Auto);
        }
        if !q.tags.is_empty() {
            self.flow(4, "tags", &q.tags);
        }
        if let Some(text) = &q.summary {
            self.field(4, "summary", text, summary);
        }
        if let Some(answer) = &q.answer {
            self.field(4, "answer", answer, Style::Block);
        }
        self
    }

    pub fn finish(self) -> String {
        self.text
    }

    fn indent(&mut self, columns: usize) {
        self.text.extend(std::iter::repeat_n(' ', columns));
    }

    fn start(&mut self, indent: usize, dash: &str, key: &str) {
        debug_assert!(plain_ok(key), "keys are plain words: {key:?}");
        self.kept = false;
        self.indent(indent);
        self.text.push_str(dash);
        self.text.push_str(key);
        self.text.push(':');
    }

    /// The value after `key:`, for a mapping at column `mapping`.
    fn value(&mut self, mapping: usize, value: &str, style: Style) {
        let content = mapping + 2;
        match style {
            Style::Auto if value.chars().count() > 80 && foldable(value) => {
                self.folded(content, value)
            }
            Style::Auto => self.inline(&inline_scalar(value)),
            Style::Quoted => self.inline(&double_quoted(value)),
            Style::Block => match Literal::of(value) {
                Some(literal) => self.literal(content, value, literal),
                None => self.inline(&double_quoted(value)),
            },
        }
    }

    fn inline(&mut self, scalar: &str) {
        self.text.push(' ');
        self.text.push_str(scalar);
        self.text.push('\n');
    }

    /// `>-`, the words wrapped to fit 92 columns (at least 40 per line).
    fn folded(&mut self, content: usize, value: &str) {
        self.text.push_str(" >-\n");
        let width = 92usize.saturating_sub(content).max(40);
        let mut line = String::new();
        for word in value.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                self.indent(content);
                self.text.push_str(&line);
                self.text.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        self.indent(content);
        self.text.push_str(&line);
        self.text.push('\n');
    }

    fn literal(&mut self, content: usize, value: &str, literal: Literal) {
        self.text.push_str(" |");
        if literal.indicator {
            // Relative to the mapping, which sits two columns to the left of the content.
            self.text.push('2');
        }
        self.text.push_str(match literal.breaks {
            0 => "-",
            1 => "",
            _ => "+",
        });
        self.text.push('\n');
        let body = value.trim_end_matches('\n');
        for line in body.split('\n') {
            if !line.is_empty() {
                self.indent(content);
                self.text.push_str(line);
            }
            self.text.push('\n');
        }
        // The first trailing line break ended the last line; the others are empty lines.
        for _ in 1..literal.breaks {
            self.text.push('\n');
        }
        self.kept = literal.breaks > 1;
    }
}

/// How a value is written as a literal block.
struct Literal {
    /// Trailing line breaks: 0 → `|-`, 1 → `|`, more → `|+`.
    breaks: usize,
    /// The first line with content starts with white space, so the indentation is given
    /// rather than detected from it.
    indicator: bool,
}

impl Literal {
    /// `None` when no literal block reads back as `value`.
    fn of(value: &str) -> Option<Literal> {
        let body = value.trim_end_matches('\n');
        if body.is_empty()
            || !value
                .chars()
                .all(|c| c == '\n' || c == '\t' || yaml_printable(c))
        {
            return None;
        }
        let first = body.split('\n').find(|l| !l.is_empty()).unwrap_or("");
        Some(Literal {
            breaks: value.len() - body.len(),
            indicator: first.starts_with([' ', '\t']),
        })
    }
}

/// Characters YAML allows unescaped (c-printable, minus the BOM and the Unicode line breaks
/// U+0085, U+2028 and U+2029, which readers fold).
pub fn yaml_printable(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10_FFFF)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

/// A one-line YAML scalar for `value`: plain, single- or double-quoted.
fn inline_scalar(value: &str) -> String {
    if plain_ok(value) {
        value.to_string()
    } else if value.chars().all(|c| c == '\t' || yaml_printable(c)) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        double_quoted(value)
    }
}

/// An item of a flow sequence (`[a, b]`), where `,[]{}` also end a plain scalar and readers
/// differ on `:` and `?`: plain only without any of them.
fn flow_scalar(value: &str) -> String {
    if value.contains([',', '[', ']', '{', '}', ':', '?', '#']) && plain_ok(value) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        inline_scalar(value)
    }
}

/// Whether `s` reads back as itself written plain, in block context, by YAML 1.1 and 1.2
/// readers alike. Deliberately strict: anything starting with a digit or an indicator is
/// quoted, which rules out every number, date and special float in one go; a version number
/// (`0.1.0`, two dots or more) is the one exception, a string to every reader.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if is_version(s) {
        return true;
    }
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

/// `1.2.3`, `0.1.0.4`: digits in three or more groups joined by dots.
fn is_version(s: &str) -> bool {
    s.split('.').count() >= 3
        && s.split('.')
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether folding (`>-`) reads back as `s`: single spaces between words only.
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

/// One question as a section file lists it, its dash at column 2: the entry `qbank add`
/// appends, and the one [`bank_files`] writes for every question (`question_style`: how the
/// question text is written).
pub fn question_entry(q: &Question, question_style: Style) -> String {
    let mut y = Yaml::new();
    y.question(q, question_style, Style::Auto);
    y.finish()
}

/// Every YAML file of `bank`, as (path relative to the bank folder, contents): `bank.yaml` and
/// `sections/<id>.yaml`, each starting with its schema modeline. Each file is read back with the
/// loader's parser and compared with `bank` first: a mismatch is a bug here, reported as an
/// internal error before anything lands on disk.
pub fn bank_files(bank: &Bank) -> Result<Vec<(PathBuf, String)>> {
    let meta = &bank.meta;
    let mut y = Yaml::with_modeline(BANK_MODELINE);
    y.field(0, "id", &meta.id, Style::Auto)
        .field(0, "title", &meta.title, Style::Auto);
    if let Some(subtitle) = &meta.subtitle {
        y.field(0, "subtitle", subtitle, Style::Auto);
    }
    y.field(0, "language", &meta.language, Style::Auto);
    if !meta.authors.is_empty() {
        y.flow(0, "authors", &meta.authors);
    }
    if let Some(description) = &meta.description {
        y.field(0, "description", description, Style::Auto);
    }
    y.field(0, "version", &meta.version, Style::Auto);
    if !meta.labels.is_empty() {
        y.key(0, "labels");
        for (key, text) in &meta.labels {
            y.field(2, key, text, Style::Auto);
        }
    }
    y.list(0, "parts", &bank.parts, |y, part| {
        y.item_field(2, "title", &part.title, Style::Auto);
        y.list(4, "sections", &part.sections, |y, section| {
            y.item(6, &section.id);
        });
    });
    let mut files = vec![(PathBuf::from("bank.yaml"), y.finish())];
    for section in bank.sections() {
        if !is_slug(&section.id) {
            return Err(anyhow!(
                "internal error: section id `{}` is not a slug; please report this",
                section.id
            ));
        }
        let mut y = Yaml::with_modeline(SECTION_MODELINE);
        y.field(0, "id", &section.id, Style::Auto)
            .field(0, "title", &section.title, Style::Auto);
        let mut first = true;
        y.list(0, "questions", &section.questions, |y, q| {
            if !std::mem::take(&mut first) {
                y.blank();
            }
            y.question(q, Style::Auto, Style::Auto);
        });
        files.push((
            PathBuf::from(format!("sections/{}.yaml", section.id)),
            y.finish(),
        ));
    }
    read_back(bank, &files)?;
    Ok(files)
}

/// Reads the generated YAML back and compares it with `bank`.
fn read_back(bank: &Bank, files: &[(PathBuf, String)]) -> Result<()> {
    let mismatch = |file: &str, what: &str| {
        anyhow!(
            "internal error: the generated {file} does not read back ({what}); please report this"
        )
    };
    let parse = |file: &str, text: &str| yaml::parse(text).map_err(|e| mismatch(file, &e.message));
    let (_, text) = &files[0];
    let read: BankFile = yaml::typed(&parse("bank.yaml", text)?)
        .map_err(|(_, message)| mismatch("bank.yaml", &message))?;
    let meta = &bank.meta;
    let same_parts = read.parts.len() == bank.parts.len()
        && read.parts.iter().zip(&bank.parts).all(|(r, p)| {
            r.title == p.title
                && r.sections.len() == p.sections.len()
                && r.sections.iter().zip(&p.sections).all(|(a, b)| *a == b.id)
        });
    let same_meta = read.id == meta.id
        && read.title == meta.title
        && read.subtitle == meta.subtitle
        && read.language == meta.language
        && read.authors == meta.authors
        && read.description == meta.description
        && read.version == meta.version
        && read.labels == meta.labels;
    if !same_meta || !same_parts {
        return Err(mismatch("bank.yaml", "metadata or parts differ"));
    }
    for (section, (name, text)) in bank.sections().zip(&files[1..]) {
        let name = name.to_string_lossy();
        let read: SectionFile<Question> =
            yaml::typed(&parse(&name, text)?).map_err(|(_, message)| mismatch(&name, &message))?;
        let same = read.id == section.id
            && read.title == section.title
            && read.questions.len() == section.questions.len()
            && read
                .questions
                .iter()
                .zip(&section.questions)
                .all(|(r, q)| same_question(r, q));
        if !same {
            return Err(mismatch(&name, "a question differs"));
        }
    }
    Ok(())
}

/// Whether two questions say the same (where they were written aside).
pub fn same_question(a: &Question, b: &Question) -> bool {
    a.id == b.id
        && a.question == b.question
        && a.level == b.level
        && a.tags == b.tags
        && a.summary == b.summary
        && a.answer == b.answer
}

#[cfg(test)]
mod tests;
